/* libFuzzer target: syncd's view of a pull page (and of a push results
 * body, which comes from the same untrusted peer).
 *
 * A page that parses is written again with the hub's pull writer and must
 * parse to the same changes: the writer and the strict parser agree on
 * every page the parser accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "changeset.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_verr(const struct verr *e)
{
    if (!validate_utf8(e->message, strlen(e->message), NULL) ||
        !validate_utf8(e->field, strlen(e->field), NULL) || !e->message[0])
        abort();
}

/* The page written again by the hub's writer parses to the same changes;
 * those of a table this build skips (table NULL) are left out of both. */
static void rewrite(const struct pull_page *p)
{
    struct buf out;
    buf_init(&out, 64u << 20);
    struct pull_writer w;
    changeset_pull_begin(&w, &out, p->epoch, p->since, p->next, p->more, p->reset);
    size_t known = 0;
    for (size_t i = 0; i < p->count; i++) {
        const struct pull_change *c = &p->changes[i];
        if (!c->table)
            continue;
        known++;
        if (c->op == CS_UPSERT)
            changeset_pull_upsert(&w, c->seq, c->table, c->row);
        else
            changeset_pull_delete(&w, c->seq, c->table, c->id);
    }
    if (changeset_pull_end(&w) != ERR_OK)
        abort();
    struct pull_page again;
    struct verr e;
    struct changeset_limits lim = {VALIDATE_DEPTH_MAX, known, NULL};
    if (changeset_parse_pull(out.data, out.len, &lim, &again, &e) != ERR_OK ||
        again.count != known || again.next != p->next || strcmp(again.epoch, p->epoch) != 0)
        abort();
    for (size_t i = 0, k = 0; i < p->count; i++) {
        const struct pull_change *a = &p->changes[i];
        if (!a->table)
            continue;
        const struct pull_change *b = &again.changes[k++];
        if (a->seq != b->seq || a->table != b->table || strcmp(a->id, b->id) != 0 ||
            (a->row && !json_equal(a->row, b->row)))
            abort();
    }
    changeset_pull_free(&again);
    buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        xalloc_init();
        ready = 1;
    }
    struct pull_page page;
    struct verr e;
    if (changeset_parse_pull((const char *)data, size, NULL, &page, &e) == ERR_OK) {
        rewrite(&page);
        changeset_pull_free(&page);
    } else {
        check_verr(&e);
        if (page.count || page.root || page.changes)
            abort();
    }
    struct push_result *r;
    size_t n;
    if (changeset_parse_results((const char *)data, size, NULL, &r, &n, &e) == ERR_OK)
        changeset_results_free(r, n);
    else if (r || n)
        abort();
    return 0;
}
