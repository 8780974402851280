/* libFuzzer target: the hub's view of a push request.
 *
 * Input is a request body, gzip-inflated first (with the cap of
 * docs/protocol.md, CAPS_INFLATED_MAX) when it starts with the gzip magic. Besides "no crash, no
 * leak", it checks the codec's promises: a refused body returns no
 * changes, every error detail is valid UTF-8, and the valid changes,
 * emitted again as a push, parse back valid (a fixed point). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "changeset.h"
#include "gz.h"
#include "caps.h"
#include "xalloc.h"

#define INFLATE_CAP CAPS_INFLATED_MAX

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_verr(const struct verr *e)
{
    if (!validate_utf8(e->message, strlen(e->message), NULL) ||
        !validate_utf8(e->field, strlen(e->field), NULL) || !e->message[0])
        abort();
}

/* Emits the valid changes and parses them again: all must stay valid. */
static void reemit(const struct push_body *body)
{
    json_t **changes = xcalloc(body->count, sizeof *changes);
    size_t n = 0;
    for (size_t i = 0; i < body->count; i++) {
        const struct push_change *c = &body->changes[i];
        if (c->valid)
            changes[n++] = changeset_change_new(c->id, c->table->name, c->op, json_incref(c->row));
    }
    struct buf out;
    buf_init(&out, 64u << 20);
    if (changeset_emit_push(changes, n, &out) != ERR_OK)
        abort();
    struct push_body again;
    struct verr e;
    if (changeset_parse_push(out.data, out.len, NULL, &again, &e) != ERR_OK || again.count != n)
        abort();
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_object_get(changes[i], "row");
        if (!again.changes[i].valid || !json_equal(again.changes[i].row, row) ||
            strcmp(again.changes[i].row_id, json_string_value(json_object_get(row, "id"))) != 0)
            abort();
    }
    changeset_push_free(&again);
    for (size_t i = 0; i < n; i++)
        json_decref(changes[i]);
    free(changes);
    buf_release(&out);
}

/* Answers every change and checks the results body parses back. */
static void answer(const struct push_body *body)
{
    struct push_result *r = xcalloc(body->count, sizeof *r);
    for (size_t i = 0; i < body->count; i++) {
        const struct push_change *c = &body->changes[i];
        r[i].id = c->id;
        r[i].seq = c->valid ? (int64_t)i + 1 : -1;
        memcpy(r[i].status, c->valid ? "applied" : "rejected", c->valid ? 8 : 9);
        memcpy(r[i].error, c->err.error, sizeof r[i].error);
        memcpy(r[i].message, c->err.message, sizeof r[i].message);
        memcpy(r[i].field, c->err.field, sizeof r[i].field);
    }
    struct buf out;
    buf_init(&out, 64u << 20);
    struct push_result *got;
    size_t n;
    struct verr e;
    struct changeset_limits lim = {VALIDATE_DEPTH_MAX, body->count, NULL};
    if (changeset_emit_results(r, body->count, &out) != ERR_OK ||
        changeset_parse_results(out.data, out.len, &lim, &got, &n, &e) != ERR_OK ||
        n != body->count)
        abort();
    changeset_results_free(got, n);
    buf_release(&out);
    free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        xalloc_init();
        ready = 1;
    }
    struct buf inflated;
    buf_init(&inflated, INFLATE_CAP);
    const char *body_data = (const char *)data;
    size_t body_len = size;
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        if (gz_inflate(data, size, &inflated) != ERR_OK) {
            buf_release(&inflated);
            return 0;
        }
        body_data = inflated.data ? inflated.data : "";
        body_len = inflated.len;
    }
    struct push_body body;
    struct verr e;
    if (changeset_parse_push(body_data, body_len, NULL, &body, &e) == ERR_OK) {
        for (size_t i = 0; i < body.count; i++)
            if (!body.changes[i].valid)
                check_verr(&body.changes[i].err);
        reemit(&body);
        answer(&body);
    } else {
        check_verr(&e);
        if (body.count || body.changes)
            abort();
    }
    changeset_push_free(&body);
    buf_release(&inflated);
    return 0;
}
