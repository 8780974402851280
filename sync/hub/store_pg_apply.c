/* store_pg_apply: writing public rows in the PostgreSQL backend: the
 * sweeps of personal data (old bookings with their holders, old help
 * offers), which delete rows as a push would, and the answers to the
 * questions of decide.c (decide.h), which decides every push change. */
#include <stdio.h>
#include <stdlib.h>

#include "decide.h"
#include "store_pg_int.h"
#include "ts.h"
#include "xalloc.h"

struct sweep {
    const char *table;
    const char *sql; /* the ids to erase, by the cutoff bound to $1 */
    int64_t cutoff;
    int64_t *count;
};

/* A writer: each erased row gets its seq and tombstone. */
static enum err erase_rows(struct pgs_store *st, PGconn *c, const void *p)
{
    const struct sweep *a = p;
    const struct table *t = tables_find(a->table);
    char cutoff[TS_LEN + 1];
    ts_format(a->cutoff, cutoff);
    PGresult *r;
    enum err rc = pgs_exec(c, &r, a->sql, "find rows to erase", "t", cutoff);
    if (rc)
        return rc;
    int n = PQntuples(r);
    int64_t seq;
    for (int i = 0; i < n && rc == ERR_OK; i++)
        rc = pgs_delete_row(st, c, t, PQgetvalue(r, i, 0), &seq);
    PQclear(r);
    if (rc == ERR_OK)
        *a->count = n;
    return rc;
}

static enum err sweep(struct store *base, struct sweep *a)
{
    *a->count = 0;
    enum err rc = pgs_in_tx(pgs(base), true, erase_rows, a);
    if (rc)
        *a->count = 0;
    return rc;
}

enum err pgs_erase_holders(struct store *base, int64_t ended_before, int64_t *erased)
{
    struct sweep a = {"booking", "SELECT id FROM booking WHERE ends_at < $1 ORDER BY id",
                      ended_before, erased};
    return sweep(base, &a);
}

enum err pgs_erase_offers(struct store *base, int64_t created_upto, int64_t *erased)
{
    struct sweep a = {"help_offer", "SELECT id FROM help_offer WHERE created_at <= $1 ORDER BY id",
                      created_upto, erased};
    return sweep(base, &a);
}

/* ---- the questions of decide.c ---------------------------------------------------- */

/* The connection of the change this thread is deciding, between begin
 * and commit or rollback: decide.c asks with the store alone. */
static _Thread_local PGconn *tx;

/* A writer transaction (store_pg.c: the writer lock orders seq): the
 * rules read other rows and see every change committed before. */
static enum err q_begin(struct store *base)
{
    PGconn *c;
    enum err rc = pgs_take(pgs(base), &c);
    if (rc)
        return rc;
    rc = pgs_begin(c, true);
    if (rc)
        pgs_put(pgs(base), c);
    else
        tx = c;
    return rc;
}

/* On failure the connection stays for rollback, which gives it back. */
static enum err q_commit(struct store *base)
{
    enum err rc = pgs_commit(tx);
    if (rc == ERR_OK) {
        pgs_put(pgs(base), tx);
        tx = NULL;
    }
    return rc;
}

static void q_rollback(struct store *base)
{
    if (!tx)
        return;
    pgs_rollback(tx);
    pgs_put(pgs(base), tx);
    tx = NULL;
}

static enum err q_get_row(struct store *base, const struct table *t, const char *id, json_t **out)
{
    return pgs_get_row(pgs(base), tx, t, id, out);
}

static enum err q_overlap(struct store *base, const char *room_id, const char *id,
                          const char *starts_at, const char *ends_at, bool *taken)
{
    (void)base;
    static const char sql[] = "SELECT 1 FROM booking WHERE room_id = $1 AND status = 'confirmed'"
                              " AND id <> $2 AND starts_at < $3 AND ends_at > $4 LIMIT 1";
    PGresult *r;
    enum err rc = pgs_exec(tx, &r, sql, "check overlap", "tttt", room_id, id, ends_at, starts_at);
    *taken = rc == ERR_OK && PQntuples(r) > 0;
    PQclear(r);
    return rc;
}

static enum err q_put_row(struct store *base, const struct table *t, json_t *row, int64_t *seq)
{
    return pgs_commit_row(pgs(base), tx, t, row, seq);
}

static enum err q_delete_row(struct store *base, const struct table *t, const char *id,
                             int64_t *seq)
{
    return pgs_delete_row(pgs(base), tx, t, id, seq);
}

/* One UPDATE of the counted row (the table's name is tables.h's, not
 * input), logged for pulls when there was one. */
static enum err q_bump_supports(struct store *base, const struct table *t, const char *id,
                                int delta, const char *updated_at, int64_t seq)
{
    (void)base;
    char *sql = xasprintf("UPDATE \"%s\" SET supports = greatest(coalesce(supports, 0) + $1, 0),"
                          " seq = $2%s WHERE id = $3",
                          t->name, updated_at ? ", updated_at = $4" : "");
    int64_t n;
    enum err rc =
        updated_at
            ? pgs_changed(tx, &n, sql, "bump supports", "iitt", (int64_t)delta, seq, id, updated_at)
            : pgs_changed(tx, &n, sql, "bump supports", "iit", (int64_t)delta, seq, id);
    free(sql);
    if (rc == ERR_OK && n > 0 && !(t->flags & TABLE_HUB))
        rc = pgs_rowlog_put(tx, t->name, id, CS_UPSERT, seq);
    return rc;
}

static void copy_col(const PGresult *r, int col, char *out, size_t size)
{
    snprintf(out, size, "%s", PQgetisnull(r, 0, col) ? "" : PQgetvalue(r, 0, col));
}

static enum err q_applied_get(struct store *base, const char *token, const char *change,
                              struct push_result *out, bool *found)
{
    (void)base;
    static const char sql[] = "SELECT seq, error, message, field FROM applied"
                              " WHERE token = $1 AND change_id = $2";
    PGresult *r;
    enum err rc = pgs_exec(tx, &r, sql, "read applied", "tt", token, change);
    *found = rc == ERR_OK && PQntuples(r) == 1;
    if (*found) {
        out->seq = PQgetisnull(r, 0, 0) ? -1 : pgs_int(r, 0, 0);
        copy_col(r, 1, out->error, sizeof out->error);
        copy_col(r, 2, out->message, sizeof out->message);
        copy_col(r, 3, out->field, sizeof out->field);
    }
    PQclear(r);
    return rc;
}

static const char *nonempty(const char *s)
{
    return s[0] ? s : NULL;
}

static enum err q_applied_put(struct store *base, const char *token, const struct push_result *r,
                              const char *at)
{
    (void)base;
    static const char sql[] = "INSERT INTO applied(token, change_id, status, seq, error, message,"
                              " field, at) VALUES($1, $2, $3, $4, $5, $6, $7, $8)";
    return pgs_exec(tx, NULL, sql, "record applied", "tttntttt", token, r->id, r->status,
                    (int64_t)r->seq, nonempty(r->error), nonempty(r->message), nonempty(r->field),
                    at);
}

/* As in SQLite: the cancel-code tries in cancel_guard (keyed by the
 * booking, gone with it), the budgets one row per token and kind. */
static enum err q_counter_get(struct store *base, enum decide_counter k, const char *key,
                              int64_t *count, int64_t *since)
{
    (void)base;
    static const char code[] = "SELECT failures, since FROM cancel_guard WHERE booking_id = $1";
    static const char budget[] = "SELECT used, since FROM budget WHERE token = $1 AND kind = $2";
    PGresult *r;
    enum err rc = k == DECIDE_CODE_TRIES ? pgs_exec(tx, &r, code, "read a counter", "t", key)
                                         : pgs_exec(tx, &r, budget, "read a counter", "tt", key,
                                                    decide_counter_name(k));
    if (rc == ERR_OK && PQntuples(r) == 1) {
        *count = pgs_int(r, 0, 0);
        *since = pgs_int(r, 0, 1);
    }
    PQclear(r);
    return rc;
}

static enum err q_counter_put(struct store *base, enum decide_counter k, const char *key,
                              int64_t count, int64_t since)
{
    (void)base;
    static const char code[] = "INSERT INTO cancel_guard(booking_id, failures, since)"
                               " VALUES($1, $2, $3) ON CONFLICT(booking_id) DO UPDATE SET"
                               " failures = excluded.failures, since = excluded.since";
    static const char budget[] = "INSERT INTO budget(token, kind, used, since)"
                                 " VALUES($1, $4, $2, $3) ON CONFLICT(token, kind) DO UPDATE SET"
                                 " used = excluded.used, since = excluded.since";
    if (k == DECIDE_CODE_TRIES)
        return pgs_exec(tx, NULL, code, "count a wrong code", "tii", key, count, since);
    return pgs_exec(tx, NULL, budget, "spend a budget", "tiit", key, count, since,
                    decide_counter_name(k));
}

const struct decide_ops pgs_decide_ops = {
    .begin = q_begin,
    .commit = q_commit,
    .rollback = q_rollback,
    .get_row = q_get_row,
    .overlap = q_overlap,
    .put_row = q_put_row,
    .delete_row = q_delete_row,
    .bump_supports = q_bump_supports,
    .applied_get = q_applied_get,
    .applied_put = q_applied_put,
    .counter_get = q_counter_get,
    .counter_put = q_counter_put,
};
