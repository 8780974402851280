/* store_pg: the hub's storage in PostgreSQL (--db postgresql://...), for
 * several hub processes on one database.
 *
 * The same tables and meaning as store_sqlite.c (schema and migrations in
 * store_pg_schema.c). Each operation takes a connection of a small pool
 * (PGS_POOL per process, opened on demand, reset when the server dropped
 * it), so operations run in parallel and every one is thread-safe.
 *
 * seq and commit order agree (sync/hub/README.md, "Several hubs on
 * PostgreSQL"): every transaction that assigns a seq (a push change, a
 * sweep, the purge) first takes one transaction-level advisory lock, the
 * writer lock, held until its COMMIT, and only then bumps meta.head.
 * PostgreSQL makes a commit visible before it releases the transaction's
 * locks, so the next writer draws seq n + 1 only after seq n is visible to
 * every new snapshot: a reader can never see n + 1 without n. Writes are
 * thus serialised across hubs as they are in one SQLite hub, and the rules
 * that read other rows (overlaps, cancel codes, exactly-once records) see
 * every committed write before them; reads (pulls, long-polls) take no
 * lock and read one snapshot (REPEATABLE READ). This file holds the pool,
 * statements, rows, seq and the reading ops. */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "store.h"
#include "store_pg_int.h"
#include "ts.h"
#include "xalloc.h"

#define MAX_PARAMS 64

static _Thread_local char pgs_err[256];

enum err pgs_fail(enum err code, const char *what, const char *fmt, ...)
{
    char detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    size_t n = strlen(detail);
    while (n && (detail[n - 1] == '\n' || detail[n - 1] == ' '))
        detail[--n] = '\0';
    snprintf(pgs_err, sizeof pgs_err, "%s: %s", what, detail);
    return code;
}

const char *pgs_errmsg(struct store *base)
{
    (void)base;
    return pgs_err;
}

/* ---- connections --------------------------------------------------------------- */

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs ("already exists, skipping") are not events */
}

PGconn *pgs_connect(const char *url, const char *app)
{
    /* The URL first: the keys after it override what it says. Keepalives
     * find a server gone without a word (a cable pulled) in about 20 s. */
    static const char *const keys[] = {
        "dbname",          "application_name",    "connect_timeout",  "keepalives",
        "keepalives_idle", "keepalives_interval", "keepalives_count", NULL};
    const char *const values[] = {url, app, "10", "1", "10", "3", "3", NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    if (c && PQstatus(c) == CONNECTION_OK)
        PQsetNoticeProcessor(c, quiet, NULL);
    return c;
}

bool pgs_dropped(PGconn *c)
{
    struct pollfd p = {.fd = PQsocket(c), .events = POLLIN};
    return PQstatus(c) != CONNECTION_OK || p.fd < 0 || poll(&p, 1, 0) != 0;
}

/* An idle slot, or a new one while the pool has room; waits otherwise. */
static int take_slot(struct pgs_store *st)
{
    for (;;) {
        for (int i = 0; i < st->nconns; i++)
            if (st->idle[i])
                return i;
        if (st->nconns < PGS_POOL) {
            st->conns[st->nconns] = NULL;
            return st->nconns++;
        }
        pthread_cond_wait(&st->freed, &st->lock);
    }
}

enum err pgs_take(struct pgs_store *st, PGconn **out)
{
    pthread_mutex_lock(&st->lock);
    int i = take_slot(st);
    st->idle[i] = false;
    PGconn *c = st->conns[i];
    pthread_mutex_unlock(&st->lock);
    /* Connecting happens outside the lock: the other slots stay usable. */
    if (!c)
        c = pgs_connect(st->url, "sceaux-hub");
    else if (pgs_dropped(c))
        PQreset(c);
    pthread_mutex_lock(&st->lock);
    st->conns[i] = c;
    bool ok = c && PQstatus(c) == CONNECTION_OK;
    if (!ok) {
        st->idle[i] = true;
        pthread_cond_signal(&st->freed);
    }
    pthread_mutex_unlock(&st->lock);
    if (!ok)
        return pgs_fail(ERR_NET, "connect", "%s", c ? PQerrorMessage(c) : "out of memory");
    *out = c;
    return ERR_OK;
}

void pgs_put(struct pgs_store *st, PGconn *c)
{
    if (PQtransactionStatus(c) != PQTRANS_IDLE)
        pgs_rollback(c);
    pthread_mutex_lock(&st->lock);
    for (int i = 0; i < st->nconns; i++)
        if (st->conns[i] == c)
            st->idle[i] = true;
    pthread_cond_signal(&st->freed);
    pthread_mutex_unlock(&st->lock);
}

/* ---- statements ---------------------------------------------------------------- */

static enum err result_err(PGconn *c, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (PQstatus(c) != CONNECTION_OK)
        return ERR_NET;
    if (!state)
        return ERR_DB;
    if (strcmp(state, "23505") == 0)
        return ERR_CONFLICT;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
        return ERR_BUSY;
    return ERR_DB;
}

/* PQexecParams with n text values; the result in *out when asked for. */
static enum err run(PGconn *c, PGresult **out, const char *sql, const char *what, int n,
                    const char *const *values)
{
    if (out)
        *out = NULL;
    PGresult *r = PQexecParams(c, sql, n, NULL, values, NULL, NULL, 0);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        enum err rc = result_err(c, r);
        PQclear(r);
        return pgs_fail(rc, what, "%s", PQerrorMessage(c));
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return ERR_OK;
}

/* pgs_exec with the parameters in ap. */
static enum err vexec(PGconn *c, PGresult **out, const char *sql, const char *what,
                      const char *types, va_list ap)
{
    const char *values[MAX_PARAMS];
    char nums[MAX_PARAMS][24];
    int n = 0;
    for (; types[n] && n < MAX_PARAMS; n++) {
        if (types[n] == 't') {
            values[n] = va_arg(ap, const char *);
            continue;
        }
        int64_t v = va_arg(ap, int64_t);
        snprintf(nums[n], sizeof nums[n], "%lld", (long long)v);
        values[n] = types[n] == 'n' && v < 0 ? NULL : nums[n];
    }
    return run(c, out, sql, what, n, values);
}

enum err pgs_exec(PGconn *c, PGresult **out, const char *sql, const char *what, const char *types,
                  ...)
{
    va_list ap;
    va_start(ap, types);
    enum err rc = vexec(c, out, sql, what, types, ap);
    va_end(ap);
    return rc;
}

enum err pgs_changed(PGconn *c, int64_t *count, const char *sql, const char *what,
                     const char *types, ...)
{
    PGresult *r;
    va_list ap;
    va_start(ap, types);
    enum err rc = vexec(c, &r, sql, what, types, ap);
    va_end(ap);
    *count = rc == ERR_OK ? strtoll(PQcmdTuples(r), NULL, 10) : 0;
    PQclear(r);
    return rc;
}

char *pgs_dup(const PGresult *r, int row, int col)
{
    if (row >= PQntuples(r) || PQgetisnull(r, row, col))
        return NULL;
    return xstrdup(PQgetvalue(r, row, col));
}

int64_t pgs_int(const PGresult *r, int row, int col)
{
    if (row >= PQntuples(r) || PQgetisnull(r, row, col))
        return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* ---- transactions ---------------------------------------------------------------- */

enum err pgs_begin(PGconn *c, bool writer)
{
    enum err rc = pgs_exec(c, NULL, "BEGIN", "begin", "");
    if (rc == ERR_OK && writer)
        rc = pgs_exec(c, NULL, "SELECT pg_advisory_xact_lock(" PGS_LOCK_WRITER ")",
                      "take the writer lock", "");
    if (rc)
        pgs_rollback(c);
    return rc;
}

enum err pgs_commit(PGconn *c)
{
    return pgs_exec(c, NULL, "COMMIT", "commit", "");
}

void pgs_rollback(PGconn *c)
{
    PQclear(PQexec(c, "ROLLBACK"));
}

enum err pgs_in_tx(struct pgs_store *st, bool writer,
                   enum err (*fn)(struct pgs_store *, PGconn *, const void *), const void *arg)
{
    PGconn *c;
    enum err rc = pgs_take(st, &c);
    if (rc)
        return rc;
    rc = pgs_begin(c, writer);
    if (rc == ERR_OK)
        rc = fn(st, c, arg);
    if (rc == ERR_OK)
        rc = pgs_commit(c);
    pgs_put(st, c);
    return rc;
}

enum err pgs_list(struct pgs_store *st, const char *sql, size_t size,
                  void (*fill)(const PGresult *, int, void *), void **out, size_t *n,
                  const char *what, const char *types, ...)
{
    *out = NULL;
    *n = 0;
    PGconn *c;
    enum err rc = pgs_take(st, &c);
    if (rc)
        return rc;
    PGresult *r;
    va_list ap;
    va_start(ap, types);
    rc = vexec(c, &r, sql, what, types, ap);
    va_end(ap);
    pgs_put(st, c);
    if (rc)
        return rc;
    int rows = PQntuples(r);
    char *items = xcalloc(rows ? (size_t)rows : 1, size);
    for (int i = 0; i < rows; i++)
        fill(r, i, items + (size_t)i * size);
    PQclear(r);
    *out = items;
    *n = (size_t)rows;
    return ERR_OK;
}

/* ---- rows as JSON ------------------------------------------------------------------ */

static bool stored(const struct column *c)
{
    return !(c->flags & COL_PUSH_ONLY);
}

static int table_index(const struct table *t)
{
    return (int)(t - tables_all);
}

/* A pull's rows of table t, one statement for the page rather than one
 * per row (a round trip each): rowlog's seq, then every stored column. */
static char *page_sql(const struct table *t)
{
    struct buf cols;
    buf_init(&cols, 1 << 16);
    for (int i = 0; i < t->ncols; i++)
        if (stored(&t->cols[i]) && buf_printf(&cols, ", x.\"%s\"", t->cols[i].name))
            abort(); /* the statements of static tables outgrew 64 KiB */
    char *sql = xasprintf("SELECT l.seq%s FROM rowlog l JOIN \"%s\" x ON x.id = l.id"
                          " WHERE l.tbl = $1 AND l.op = 'upsert' AND l.seq > $2 AND l.seq <= $3",
                          cols.data ? cols.data : "", t->name);
    buf_release(&cols);
    return sql;
}

static void build_sql(struct pgs_store *st)
{
    for (int i = 0; i < tables_count; i++) {
        db_row_sql(&tables_all[i], '$', &st->get_sql[i], &st->put_sql[i], &st->del_sql[i]);
        st->page_sql[i] = page_sql(&tables_all[i]);
    }
}

/* Column k of row `row` of r as the JSON value of column c. */
static json_t *value_of(const PGresult *r, int row, int k, const struct column *c)
{
    if (PQgetisnull(r, row, k))
        return json_null();
    const char *v = PQgetvalue(r, row, k);
    if (c->type == COL_INT)
        return json_integer(strtoll(v, NULL, 10));
    if (c->type == COL_BOOL)
        return json_boolean(strtoll(v, NULL, 10) != 0);
    json_t *s = json_string(v);
    return s ? s : json_null();
}

/* Row `row` of r, its stored columns of t from column k on, as JSON. */
static json_t *row_json(const PGresult *r, int row, int k, const struct table *t)
{
    json_t *o = json_object();
    for (int i = 0; i < t->ncols; i++)
        if (stored(&t->cols[i]))
            json_object_set_new(o, t->cols[i].name, value_of(r, row, k++, &t->cols[i]));
    return o;
}

enum err pgs_get_row(struct pgs_store *st, PGconn *c, const struct table *t, const char *id,
                     json_t **out)
{
    *out = NULL;
    PGresult *r;
    enum err rc = pgs_exec(c, &r, st->get_sql[table_index(t)], "read row", "t", id);
    if (rc)
        return rc;
    if (PQntuples(r) == 1)
        *out = row_json(r, 0, 0, t);
    PQclear(r);
    return ERR_OK;
}

/* The text a JSON value is sent as: booleans as the 0 and 1 stored. */
static const char *text_of(json_t *v, char *num, size_t len)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, len, "%lld", (long long)json_integer_value(v));
        return num;
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "1" : "0";
    return NULL;
}

static enum err put_row(struct pgs_store *st, PGconn *c, const struct table *t, json_t *row,
                        int64_t seq)
{
    const char *values[MAX_PARAMS];
    char nums[MAX_PARAMS][24];
    int n = 0;
    for (int i = 0; i < t->ncols && n < MAX_PARAMS - 1; i++) {
        if (!stored(&t->cols[i]))
            continue;
        values[n] = text_of(json_object_get(row, t->cols[i].name), nums[n], sizeof nums[n]);
        n++;
    }
    snprintf(nums[n], sizeof nums[n], "%lld", (long long)seq);
    values[n] = nums[n];
    return run(c, NULL, st->put_sql[table_index(t)], "write row", n + 1, values);
}

/* ---- seq and rowlog ---------------------------------------------------------------- */

/* Every change of meta tells the hubs listening (store_pg_hubs.c) that
 * it moved, when its transaction commits; they read what it left. */
#define NOTIFY_META "pg_notify('" PGS_CHANNEL "', '')"

enum err pgs_next_seq(PGconn *c, int64_t *seq)
{
    PGresult *r;
    enum err rc = pgs_exec(c, &r, "UPDATE meta SET head = head + 1 RETURNING head, " NOTIFY_META,
                           "bump head", "");
    if (rc)
        return rc;
    *seq = pgs_int(r, 0, 0);
    PQclear(r);
    return ERR_OK;
}

enum err pgs_rowlog_put(PGconn *c, const char *tbl, const char *id, int op, int64_t seq)
{
    static const char sql[] =
        "INSERT INTO rowlog(seq, tbl, id, op, at) VALUES($1, $2, $3, $4, $5) "
        "ON CONFLICT(tbl, id) DO UPDATE SET seq = excluded.seq, op = excluded.op, at = excluded.at";
    /* The clock (ts.h), not the caller's `now`: only the age matters. */
    char at[TS_LEN + 1];
    ts_format(ts_now(), at);
    return pgs_exec(c, NULL, sql, "write rowlog", "itttt", seq, tbl, id, changeset_op_name(op), at);
}

enum err pgs_commit_row(struct pgs_store *st, PGconn *c, const struct table *t, json_t *row,
                        int64_t *seq)
{
    enum err rc = pgs_next_seq(c, seq);
    if (rc == ERR_OK)
        rc = put_row(st, c, t, row, *seq);
    if (rc == ERR_OK && !(t->flags & TABLE_HUB))
        rc = pgs_rowlog_put(c, t->name, json_string_value(json_object_get(row, "id")), CS_UPSERT,
                            *seq);
    return rc;
}

enum err pgs_delete_row(struct pgs_store *st, PGconn *c, const struct table *t, const char *id,
                        int64_t *seq)
{
    enum err rc = pgs_next_seq(c, seq);
    if (rc == ERR_OK)
        rc = pgs_exec(c, NULL, st->del_sql[table_index(t)], "delete row", "t", id);
    if (rc == ERR_OK && !(t->flags & TABLE_HUB))
        rc = pgs_rowlog_put(c, t->name, id, CS_DELETE, *seq);
    return rc;
}

/* As store_sqlite.c's: forgets the delete tombstones and exactly-once
 * records written at or before the cutoff, and raises the horizon to the
 * highest purged seq (never down). A writer: the horizon and the rowlog
 * move together with respect to every seq. */
struct sweep {
    int64_t cutoff;
    int64_t *count;
};

static enum err purge_tombstones(struct pgs_store *st, PGconn *c, const void *p)
{
    (void)st;
    const struct sweep *a = p;
    char cutoff[TS_LEN + 1];
    ts_format(a->cutoff, cutoff);
    PGresult *r;
    enum err rc =
        pgs_exec(c, NULL, "DELETE FROM applied WHERE at <= $1", "prune applied", "t", cutoff);
    if (rc == ERR_OK)
        rc = pgs_exec(c, &r,
                      "WITH gone AS (DELETE FROM rowlog WHERE op = 'delete' AND at <= $1"
                      " RETURNING seq) SELECT count(*), coalesce(max(seq), 0) FROM gone",
                      "purge tombstones", "t", cutoff);
    if (rc)
        return rc;
    int64_t n = pgs_int(r, 0, 0), top = pgs_int(r, 0, 1);
    PQclear(r);
    if (n > 0)
        rc = pgs_exec(c, NULL,
                      "UPDATE meta SET horizon = greatest(horizon, $1) RETURNING " NOTIFY_META,
                      "raise the horizon", "i", top);
    if (rc == ERR_OK)
        *a->count = n;
    return rc;
}

static enum err pgs_purge_tombstones(struct store *base, int64_t upto, int64_t *purged)
{
    struct sweep a = {upto, purged};
    *purged = 0;
    enum err rc = pgs_in_tx(pgs(base), true, purge_tombstones, &a);
    if (rc)
        *purged = 0;
    return rc;
}

/* ---- reading ------------------------------------------------------------------------- */

static enum err read_state(PGconn *c, struct store_state *out)
{
    PGresult *r;
    enum err rc = pgs_exec(c, &r, "SELECT epoch, head, horizon FROM meta", "read meta", "");
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    if (PQntuples(r) == 1) {
        snprintf(out->epoch, sizeof out->epoch, "%s", PQgetvalue(r, 0, 0));
        out->head = pgs_int(r, 0, 1);
        out->horizon = pgs_int(r, 0, 2);
    } else {
        rc = pgs_fail(ERR_DB, "read meta", "no meta row");
    }
    PQclear(r);
    return rc;
}

static enum err pgs_state(struct store *base, struct store_state *out)
{
    PGconn *c;
    enum err rc = pgs_take(pgs(base), &c);
    if (rc)
        return rc;
    rc = read_state(c, out);
    pgs_put(pgs(base), c);
    return rc;
}

/* One rowlog entry of r into ch, its row still to read; *kept false when
 * the entry is not one this code wrote (skipped rather than fail every
 * pull). */
static void read_change(const PGresult *r, int i, struct store_change *ch, bool *kept)
{
    ch->seq = pgs_int(r, i, 0);
    ch->table = tables_find(PQgetvalue(r, i, 1));
    ch->id = pgs_dup(r, i, 2);
    ch->op = changeset_op_parse(PQgetvalue(r, i, 3));
    *kept = ch->table && ch->id && ch->op >= 0;
    if (!*kept) {
        free(ch->id);
        ch->id = NULL;
    }
}

/* The change of page p with this seq (p is in ascending seq), or NULL. */
static struct store_change *change_at(struct store_page *p, int64_t seq)
{
    size_t lo = 0, hi = p->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->changes[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->count && p->changes[lo].seq == seq ? &p->changes[lo] : NULL;
}

/* The rows of the page's upserts of table t, in one statement. */
static enum err read_rows(struct pgs_store *st, PGconn *c, const struct table *t, int64_t since,
                          struct store_page *p)
{
    PGresult *r;
    enum err rc = pgs_exec(c, &r, st->page_sql[table_index(t)], "read rows", "tii", t->name, since,
                           p->changes[p->count - 1].seq);
    if (rc)
        return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        struct store_change *ch = change_at(p, pgs_int(r, i, 0));
        if (ch && ch->table == t && ch->op == CS_UPSERT && !ch->row)
            ch->row = row_json(r, i, 1, t);
    }
    PQclear(r);
    return ERR_OK;
}

static bool has_upserts(const struct store_page *p, const struct table *t)
{
    for (size_t i = 0; i < p->count; i++)
        if (p->changes[i].table == t && p->changes[i].op == CS_UPSERT)
            return true;
    return false;
}

/* The rows of every upsert of the page, a statement per table; an upsert
 * whose row is gone reads as a delete. */
static enum err read_page_rows(struct pgs_store *st, PGconn *c, int64_t since, struct store_page *p)
{
    enum err rc = ERR_OK;
    for (int i = 0; rc == ERR_OK && p->count && i < tables_count; i++)
        if (has_upserts(p, &tables_all[i]))
            rc = read_rows(st, c, &tables_all[i], since, p);
    for (size_t i = 0; rc == ERR_OK && i < p->count; i++)
        if (p->changes[i].op == CS_UPSERT && !p->changes[i].row)
            p->changes[i].op = CS_DELETE;
    return rc;
}

static enum err read_changes(struct pgs_store *st, PGconn *c, int64_t since, size_t limit,
                             struct store_page *out)
{
    static const char sql[] =
        "SELECT seq, tbl, id, op FROM rowlog WHERE seq > $1 ORDER BY seq LIMIT $2";
    PGresult *r;
    enum err rc = read_state(c, &out->state);
    if (rc == ERR_OK)
        rc = pgs_exec(c, &r, sql, "read rowlog", "ii", since, (int64_t)limit + 1);
    if (rc)
        return rc;
    out->changes = xcalloc(limit ? limit : 1, sizeof *out->changes);
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        if (out->count == limit) {
            out->more = true;
            break;
        }
        bool kept;
        read_change(r, i, &out->changes[out->count], &kept);
        if (kept)
            out->count++;
    }
    PQclear(r);
    return read_page_rows(st, c, since, out);
}

static enum err pgs_changes(struct store *base, int64_t since, size_t limit, struct store_page *out)
{
    struct pgs_store *st = pgs(base);
    memset(out, 0, sizeof *out);
    PGconn *c;
    enum err rc = pgs_take(st, &c);
    if (rc)
        return rc;
    /* One snapshot: the state and the rows are of the same instant. */
    rc = pgs_exec(c, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "begin", "");
    if (rc == ERR_OK)
        rc = read_changes(st, c, since, limit, out);
    pgs_rollback(c);
    pgs_put(st, c);
    if (rc)
        store_page_free(out);
    return rc;
}

static enum err pgs_backup(struct store *base, const char *out_path)
{
    (void)base;
    (void)out_path;
    return pgs_fail(ERR_INVALID, "backup", "use pg_dump (sync/hub/README.md)");
}

/* ---- lifecycle ------------------------------------------------------------------------ */

static void pgs_close(struct store *base)
{
    struct pgs_store *st = pgs(base);
    pgs_hubs_release(st);
    for (int i = 0; i < st->nconns; i++)
        PQfinish(st->conns[i]);
    for (int i = 0; i < tables_count; i++) {
        free(st->get_sql[i]);
        free(st->page_sql[i]);
        free(st->put_sql[i]);
        free(st->del_sql[i]);
    }
    pthread_cond_destroy(&st->freed);
    pthread_mutex_destroy(&st->lock);
    free(st->url);
    free(st);
}

static const struct store_ops pgs_ops = {
    .close = pgs_close,
    .state = pgs_state,
    .decide = &pgs_decide_ops,
    .changes = pgs_changes,
    .token_add = pgs_token_add,
    .token_revoke = pgs_token_revoke,
    .token_list = pgs_token_list,
    .token_lookup = pgs_token_lookup,
    .fleet_record = pgs_fleet_record,
    .fleet_list = pgs_fleet_list,
    .erase_holders = pgs_erase_holders,
    .erase_offers = pgs_erase_offers,
    .purge_tombstones = pgs_purge_tombstones,
    .backup = pgs_backup,
    .user_add = pgs_user_add,
    .user_sign = pgs_user_sign,
    .user_remove = pgs_user_remove,
    .user_list = pgs_user_list,
    .user_get = pgs_user_get,
    .session_add = pgs_session_add,
    .session_get = pgs_session_get,
    .session_end = pgs_session_end,
    .audit_add = pgs_audit_add,
    .audit_list = pgs_audit_list,
    .events = pgs_events,
    .busy = pgs_busy,
    .errmsg = pgs_errmsg,
    .watch = pgs_watch,
    .unwatch = pgs_unwatch,
    .sweep_turn = pgs_sweep_turn,
};

enum err store_pg_open(const char *url, struct store **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    struct pgs_store *st = xcalloc(1, sizeof *st);
    st->base.ops = &pgs_ops;
    st->url = xstrdup(url);
    pthread_mutex_init(&st->lock, NULL);
    pthread_cond_init(&st->freed, NULL);
    pgs_hubs_init(st);
    build_sql(st);
    PGconn *c;
    enum err rc = pgs_take(st, &c);
    if (rc == ERR_OK) {
        rc = pgs_migrate(c);
        pgs_put(st, c);
    }
    if (rc) {
        snprintf(errbuf, errlen, "%s", pgs_err);
        pgs_close(&st->base);
        return rc;
    }
    *out = &st->base;
    return ERR_OK;
}
