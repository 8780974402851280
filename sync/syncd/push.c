/* push: one batch of the outbox to the hub (see push.h). */
#include "push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changeset.h"
#include "plan.h"
#include "state.h"
#include "xalloc.h"

struct batch {
    char **ids;
    char **texts;
    size_t *lens;
    size_t n;
};

static void batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->ids[i]);
        free(b->texts[i]);
    }
    free(b->ids);
    free(b->texts);
    free(b->lens);
    memset(b, 0, sizeof *b);
}

static enum err batch_read(struct replica *r, struct batch *b, char *why, size_t whylen)
{
    sqlite3 *db = replica_db(r);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        db, "SELECT id, change FROM outbox ORDER BY created_at, rowid LIMIT ?", -1, &st, NULL);
    memset(b, 0, sizeof *b);
    if (rc != SQLITE_OK)
        return db_fail(db, rc, "cannot read the outbox", why, whylen);
    sqlite3_bind_int(st, 1, PLAN_BATCH_CHANGES);
    b->ids = xcalloc(PLAN_BATCH_CHANGES, sizeof *b->ids);
    b->texts = xcalloc(PLAN_BATCH_CHANGES, sizeof *b->texts);
    b->lens = xcalloc(PLAN_BATCH_CHANGES, sizeof *b->lens);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && b->n < PLAN_BATCH_CHANGES) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        b->ids[b->n] = xstrdup(id ? id : "");
        b->lens[b->n] = (size_t)sqlite3_column_bytes(st, 1);
        b->texts[b->n] = xstrndup(text ? text : "", b->lens[b->n]);
        b->n++;
    }
    enum err e =
        rc == SQLITE_DONE ? ERR_OK : db_fail(db, rc, "cannot read the outbox", why, whylen);
    sqlite3_finalize(st);
    return e;
}

/* Records results for sent[0..n) in one transaction. */
static enum err record(struct replica *r, const struct push_result *res, size_t n,
                       struct push_stats *stats, char *why, size_t whylen)
{
    sqlite3 *db = replica_db(r);
    enum err rc = db_begin(db);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct plan_outcome o;
        plan_outcome(&res[i], &o);
        rc = replica_outbox_done(r, res[i].id, o.status, o.error, o.message, o.seq);
        if (strcmp(res[i].status, "duplicate") == 0)
            stats->duplicate++;
        if (strcmp(o.status, "applied") == 0)
            stats->applied++;
        else
            stats->rejected++;
    }
    if (rc == ERR_OK)
        rc = db_commit(db);
    if (rc) {
        snprintf(why, whylen, "cannot record push results: %s",
                 state_db_error(db, rc, &stats->fault));
        db_rollback(db);
        return rc;
    }
    /* The hub has them: what the person typed leaves the kiosk's files
     * now. A reader that holds the WAL for longer than the busy timeout
     * leaves it to the next round's scrub, which is no failure of this
     * one. */
    replica_scrub(r);
    return ERR_OK;
}

static enum err reject_locally(struct replica *r, const char *id, const char *error,
                               const char *message, struct push_stats *st)
{
    st->rejected++;
    return replica_outbox_done(r, id, "rejected", error, message, -1);
}

/* Sends changes[0..n) (ids in ids[]) and records the answers. */
static enum err exchange(struct replica *r, struct net *n, json_t **changes, const char *const *ids,
                         size_t count, struct push_stats *st, char *why, size_t whylen)
{
    struct buf body;
    buf_init(&body, CAPS_INFLATED_MAX);
    enum err rc = changeset_emit_push(changes, count, &body);
    if (rc) {
        snprintf(why, whylen, "cannot build the push body: %s", err_str(rc));
        buf_release(&body);
        return rc;
    }
    /* X-Sceaux-Outbox: what will still wait once this batch is in, so the
     * fleet view reads 0 after a kiosk's last push. */
    int64_t queued = 0;
    replica_outbox_count(r, &queued);
    long left = queued > (int64_t)count ? (long)(queued - (int64_t)count) : 0;
    struct http_response resp;
    rc = net_push(n, body.data, body.len, count, left, &resp, why, whylen);
    buf_release(&body);
    if (rc == ERR_TOO_BIG && count == 1 && resp.status == 413) {
        /* Alone and still too big: it can never go; say so on the kiosk. */
        rc = reject_locally(r, ids[0], "too_big", why, st);
        http_response_release(&resp);
        return rc;
    }
    if (rc == ERR_OK)
        rc = push_record(r, ids, count, resp.body.data, resp.body.len, st, why, whylen);
    if (rc == ERR_OK)
        st->sent += count;
    http_response_release(&resp);
    return rc;
}

enum err push_record(struct replica *r, const char *const *ids, size_t n, const char *body,
                     size_t len, struct push_stats *st, char *why, size_t whylen)
{
    struct push_result *res = NULL;
    size_t rn = 0;
    struct verr e;
    struct changeset_limits lim = {VALIDATE_DEPTH_MAX, n, NULL};
    enum err rc = changeset_parse_results(body ? body : "", len, &lim, &res, &rn, &e);
    if (rc) {
        snprintf(why, whylen, "hub answered a bad push result: %s", e.message);
        return ERR_INVALID;
    }
    rc = plan_results(ids, n, res, rn, why, whylen);
    if (rc == ERR_OK)
        rc = record(r, res, rn, st, why, whylen);
    changeset_results_free(res, rn);
    return rc;
}

enum err push_round(struct replica *r, struct net *n, struct push_stats *st, char *why,
                    size_t whylen)
{
    memset(st, 0, sizeof *st);
    struct batch b;
    enum err rc = batch_read(r, &b, why, whylen);
    size_t k = rc ? 0 : plan_batch(b.lens, b.n, PLAN_BATCH_CHANGES, PLAN_BATCH_BYTES);
    json_t **changes = xcalloc(k + 1, sizeof *changes);
    const char **ids = xcalloc(k + 1, sizeof *ids);
    size_t count = 0;
    for (size_t i = 0; i < k && rc == ERR_OK; i++) {
        char reason[200];
        if (plan_change(b.ids[i], b.texts[i], b.lens[i], &changes[count], reason, sizeof reason) ==
            ERR_OK) {
            ids[count++] = b.ids[i];
        } else {
            rc = reject_locally(r, b.ids[i], "invalid", reason, st);
            if (rc)
                snprintf(why, whylen, "cannot record a rejected outbox row: %s",
                         state_db_error(replica_db(r), rc, &st->fault));
        }
    }
    if (rc == ERR_OK && count > 0)
        rc = exchange(r, n, changes, ids, count, st, why, whylen);
    /* The hub's limits may be set lower than ours: halve until it fits;
     * the rest goes in the next rounds. */
    for (size_t half = count / 2; rc == ERR_TOO_BIG && half > 0; half /= 2)
        rc = exchange(r, n, changes, ids, half, st, why, whylen);
    for (size_t i = 0; i < count; i++)
        json_decref(changes[i]);
    free(changes);
    free(ids);
    batch_free(&b);
    if (rc == ERR_OK)
        rc = replica_outbox_count(r, &st->left);
    return rc;
}
