/* store_sqlite_apply: the SQLite backend's answers to the questions of
 * decide.c (decide.h), which decides every push change: a statement or
 * three each, inside the transaction q_begin opens under the store's
 * lock.
 * Also the sweeps of personal data (old bookings with their holders, old
 * help offers), which delete rows through the same question a push
 * does. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "decide.h"
#include "store.h"
#include "store_sqlite_int.h"
#include "ts.h"
#include "xalloc.h"

/* ---- the questions of decide.c ------------------------------------------ */

/* begin takes the lock and the write transaction; commit releases both,
 * or leaves them to rollback when it fails. */
static enum err q_begin(struct store *base)
{
    struct sq_store *st = sq(base);
    pthread_mutex_lock(&st->lock);
    enum err rc = db_begin(st->db);
    return rc ? sq_fail(st, SQLITE_BUSY, "begin") : ERR_OK;
}

static enum err q_commit(struct store *base)
{
    struct sq_store *st = sq(base);
    enum err rc = db_commit(st->db);
    if (rc)
        return sq_fail(st, SQLITE_BUSY, "commit");
    pthread_mutex_unlock(&st->lock);
    return ERR_OK;
}

static void q_rollback(struct store *base)
{
    struct sq_store *st = sq(base);
    db_rollback(st->db);
    pthread_mutex_unlock(&st->lock);
}

static enum err q_get_row(struct store *base, const struct table *t, const char *id, json_t **out)
{
    return sq_get_row(sq(base), t, id, out);
}

static enum err q_overlap(struct store *base, const char *room_id, const char *id,
                          const char *starts_at, const char *ends_at, bool *taken)
{
    static const char sql[] = "SELECT 1 FROM booking WHERE room_id = ?1 AND status = 'confirmed'"
                              " AND id <> ?2 AND starts_at < ?3 AND ends_at > ?4 LIMIT 1";
    return sq_exists(sq(base), sql, "check overlap", taken, "tttt", room_id, id, ends_at,
                     starts_at);
}

static enum err q_put_row(struct store *base, const struct table *t, json_t *row, int64_t *seq)
{
    return sq_commit_row(sq(base), t, row, seq);
}

/* Deletes the row under a new seq and logs it for pulls (a hub-only
 * table has no rowlog). */
static enum err q_delete_row(struct store *base, const struct table *t, const char *id,
                             int64_t *seq)
{
    struct sq_store *st = sq(base);
    enum err rc = sq_next_seq(st, seq);
    if (rc == ERR_OK)
        rc = sq_exec(st, st->del_sql[sq_table_index(t)], "delete row", "t", id);
    if (rc == ERR_OK && !(t->flags & TABLE_HUB))
        rc = sq_rowlog_put(st, t->name, id, CS_DELETE, *seq);
    return rc;
}

/* The count never goes below 0; ?2 (updated_at) is bound even where the
 * table has no such column: the statement then does not name it. */
static enum err q_bump_supports(struct store *base, const struct table *t, const char *id,
                                int delta, const char *updated_at, int64_t seq)
{
    struct sq_store *st = sq(base);
    const char *sql = st->bump_sql[sq_table_index(t)];
    if (!sql)
        return ERR_INVALID; /* decide.c bumps only tables that count */
    enum err rc = sq_exec(st, sql, "bump supports", "itit", (int64_t)delta, updated_at, seq, id);
    if (rc == ERR_OK && sqlite3_changes(st->db) > 0 && !(t->flags & TABLE_HUB))
        rc = sq_rowlog_put(st, t->name, id, CS_UPSERT, seq);
    return rc;
}

static void col_copy(sqlite3_stmt *s, int i, char *out, size_t size)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    snprintf(out, size, "%s", v ? (const char *)v : "");
}

static enum err q_applied_get(struct store *base, const char *token, const char *change,
                              struct push_result *out, bool *found)
{
    static const char sql[] = "SELECT seq, error, message, field FROM applied "
                              "WHERE token = ?1 AND change_id = ?2";
    struct sq_store *st = sq(base);
    sqlite3_stmt *s;
    *found = false;
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, change, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *found = true;
        out->seq = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 0);
        col_copy(s, 1, out->error, sizeof out->error);
        col_copy(s, 2, out->message, sizeof out->message);
        col_copy(s, 3, out->field, sizeof out->field);
    } else if (r != SQLITE_DONE) {
        rc = sq_fail(st, r, "read applied");
    }
    sqlite3_reset(s);
    return rc;
}

static const char *nonempty(const char *s)
{
    return s[0] ? s : NULL;
}

static enum err q_applied_put(struct store *base, const char *token, const struct push_result *r,
                              const char *at)
{
    static const char sql[] = "INSERT INTO applied(token, change_id, status, seq, error, message,"
                              " field, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    return sq_exec(sq(base), sql, "record applied", "tttntttt", token, r->id, r->status,
                   (int64_t)r->seq, nonempty(r->error), nonempty(r->message), nonempty(r->field),
                   at);
}

/* The cancel-code tries have their own table (cancel_guard, keyed by the
 * booking), the budgets one row per token and kind (budget). */
static enum err q_counter_get(struct store *base, enum decide_counter k, const char *key,
                              int64_t *count, int64_t *since)
{
    static const char code[] = "SELECT failures, since FROM cancel_guard WHERE booking_id = ?1";
    static const char budget[] = "SELECT used, since FROM budget WHERE token = ?1 AND kind = ?2";
    struct sq_store *st = sq(base);
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, k == DECIDE_CODE_TRIES ? code : budget, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
    if (k != DECIDE_CODE_TRIES)
        sqlite3_bind_text(s, 2, decide_counter_name(k), -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *count = sqlite3_column_int64(s, 0);
        *since = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sq_fail(st, r, "read a counter");
    return ERR_OK;
}

static enum err q_counter_put(struct store *base, enum decide_counter k, const char *key,
                              int64_t count, int64_t since)
{
    static const char code[] = "INSERT INTO cancel_guard(booking_id, failures, since)"
                               " VALUES(?1, ?2, ?3) ON CONFLICT(booking_id) DO UPDATE SET"
                               " failures = excluded.failures, since = excluded.since";
    static const char budget[] = "INSERT INTO budget(token, kind, used, since)"
                                 " VALUES(?1, ?4, ?2, ?3) ON CONFLICT(token, kind) DO UPDATE SET"
                                 " used = excluded.used, since = excluded.since";
    if (k == DECIDE_CODE_TRIES)
        return sq_exec(sq(base), code, "count a wrong code", "tii", key, count, since);
    return sq_exec(sq(base), budget, "spend a budget", "tiit", key, count, since,
                   decide_counter_name(k));
}

const struct decide_ops sq_decide_ops = {
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

/* ---- the sweeps ------------------------------------------------------------ */

/* Deletes, as a push would (tombstones for pulls), the rows of table
 * `name` that `sql` selects by the cutoff time bound to ?1. */
static enum err erase_rows(struct sq_store *st, const char *name, const char *sql,
                           const struct sq_sweep *a)
{
    const struct table *t = tables_find(name);
    char cutoff[TS_LEN + 1];
    ts_format(a->cutoff, cutoff);
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, cutoff, -1, SQLITE_TRANSIENT);
    size_t n = 0, cap = 0;
    char **ids = NULL;
    int64_t seq;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            ids = xrealloc(ids, cap * sizeof *ids);
        }
        ids[n++] = sq_col_dup(s, 0);
    }
    if (r != SQLITE_DONE)
        rc = sq_fail(st, r, "find rows to erase");
    sqlite3_reset(s);
    for (size_t i = 0; i < n; i++) {
        if (rc == ERR_OK)
            rc = q_delete_row(&st->base, t, ids[i], &seq);
        free(ids[i]);
    }
    free(ids);
    *a->count = rc == ERR_OK ? (int64_t)n : 0;
    return rc;
}

static enum err erase_holders(struct sq_store *st, const void *p)
{
    return erase_rows(st, "booking", "SELECT id FROM booking WHERE ends_at < ?1", p);
}

enum err sq_erase_holders(struct store *base, int64_t ended_before, int64_t *erased)
{
    return sq_sweep_run(sq(base), erase_holders, ended_before, erased);
}

static enum err erase_offers(struct sq_store *st, const void *p)
{
    return erase_rows(st, "help_offer", "SELECT id FROM help_offer WHERE created_at <= ?1", p);
}

enum err sq_erase_offers(struct store *base, int64_t created_upto, int64_t *erased)
{
    return sq_sweep_run(sq(base), erase_offers, created_upto, erased);
}
