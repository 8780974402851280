/* store_sqlite: the hub's storage in one SQLite database (WAL).
 *
 * Schema (the migration array `hub_steps` below): every table of tables.h
 * with its hub columns and `seq`; `rowlog`, one entry per public row
 * holding its latest seq and op (a delete's entry is its tombstone), which
 * a pull reads in seq order, with the time it was written (`at`, step 3)
 * so old tombstones can be purged; `meta` (epoch, head, horizon); `token`
 * (hashes only); `applied`, the exactly-once record of every change a
 * token sent, written in the change's own transaction; `fleet` (with the
 * fault each kiosk last reported, step 7); the agenda feed's index came at step 8, event.rrule at
 * step 9, the figure table at step 10, the ideas' supports, outcome and answer at step 11,
 * what an organization offers and the links to it at step 12, the picture columns at step 13,
 * help_offer (with its indexes) at step 14.
 *
 * One connection, one mutex: every operation takes the lock, so the
 * cached prepared statements are never shared between threads. This file
 * holds the schema, statements, rows, seq and the reading ops; applying a
 * change is decided in decide.c and answered in store_sqlite_apply.c, tokens, fleet
 * and files in store_sqlite_admin.c. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "db.h"
#include "rules.h"
#include "store.h"
#include "store_sqlite_int.h"
#include "ts.h"
#include "xalloc.h"

static enum err create_schema(sqlite3 *db, char *errbuf, size_t errlen)
{
    static const char sql[] =
        "CREATE TABLE rowlog(seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, id TEXT NOT NULL,"
        " op TEXT NOT NULL, UNIQUE(tbl, id));"
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value);"
        "CREATE TABLE token(name TEXT PRIMARY KEY, role TEXT NOT NULL, site TEXT,"
        " hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);"
        "CREATE TABLE applied(token TEXT NOT NULL, change_id TEXT NOT NULL, status TEXT NOT NULL,"
        " seq INTEGER, error TEXT, message TEXT, field TEXT, at TEXT NOT NULL,"
        " PRIMARY KEY(token, change_id)) WITHOUT ROWID;"
        "CREATE TABLE fleet(name TEXT PRIMARY KEY, site TEXT, last_seen TEXT, cursor INTEGER,"
        " version TEXT, outbox INTEGER, address TEXT);"
        "CREATE INDEX booking_room ON booking(room_id, starts_at);"
        "CREATE INDEX support_initiative ON support(initiative_id);"
        "INSERT INTO meta(key, value) VALUES('head', 0), ('horizon', 0);";
    enum err rc = db_create_tables(db, DB_DDL_HUB, errbuf, errlen);
    if (rc == ERR_OK)
        rc = db_exec(db, sql, errbuf, errlen);
    char epoch[ID_NEW_LEN + 1];
    if (rc == ERR_OK)
        rc = id_new(epoch);
    if (rc == ERR_OK) {
        char *ins = xasprintf("INSERT INTO meta(key, value) VALUES('epoch', '%s')", epoch);
        rc = db_exec(db, ins, errbuf, errlen);
        free(ins);
    }
    return rc;
}

/* Entries written before step 3 get the upgrade's time: their age counts
 * from then, so no tombstone is purged sooner than --tombstone-days after
 * the hub could first date it. */
static const char rowlog_at_schema[] =
    "ALTER TABLE rowlog ADD COLUMN at TEXT;"
    "UPDATE rowlog SET at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');";

/* What bounds guessing and writing (store_sqlite_apply.c): wrong cancel
 * codes per booking (gone with the booking); per token and hour, the
 * rejected records kept (kind 'rejected') and the changes a kiosk pushed
 * (kind 'changes'). */
static const char guards_schema[] =
    "CREATE TABLE cancel_guard(booking_id TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
    " since INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TRIGGER booking_guard_gone AFTER DELETE ON booking BEGIN"
    " DELETE FROM cancel_guard WHERE booking_id = old.id; END;"
    "CREATE TABLE budget(token TEXT NOT NULL, kind TEXT NOT NULL, used INTEGER NOT NULL,"
    " since INTEGER NOT NULL, PRIMARY KEY(token, kind)) WITHOUT ROWID;";

/* proposal.was_published (tables.h), which a database created before it
 * lacks; a proposal published then counts as published once. */
static enum err add_was_published(sqlite3 *db, char *errbuf, size_t errlen)
{
    int has = 0;
    enum err rc = db_has_column(db, "proposal", "was_published", &has);
    if (rc == ERR_OK && !has)
        rc = db_exec(db,
                     "ALTER TABLE proposal ADD COLUMN \"was_published\" INTEGER"
                     " CHECK (\"was_published\" IN (0, 1));"
                     "UPDATE proposal SET was_published = 1 WHERE status = 'published';",
                     errbuf, errlen);
    return rc;
}

/* The local fault a kiosk last reported (X-Sceaux-Fault, fault.h). */
static const char fleet_fault_schema[] = "ALTER TABLE fleet ADD COLUMN fault TEXT;";

/* The agenda feed reads events by start time (store_sqlite_calendar.c). */
static const char event_starts_schema[] = "CREATE INDEX event_starts ON event(starts_at);";
/* The steps below add what tables.h gained to a database created before
 * it; one created since has it already (create_schema reads tables.h). */

/* Column col of table, as TEXT, unless the database has it. */
static enum err add_text_column(sqlite3 *db, const char *table, const char *col, char *errbuf,
                                size_t errlen)
{
    int has = 0;
    enum err rc = db_has_column(db, table, col, &has);
    if (rc || has)
        return rc;
    char *sql = xasprintf("ALTER TABLE \"%s\" ADD COLUMN \"%s\" TEXT;", table, col);
    rc = db_exec(db, sql, errbuf, errlen);
    free(sql);
    return rc;
}

/* Table name of tables.h, unless the database has it. */
static enum err add_table(sqlite3 *db, const char *name, char *errbuf, size_t errlen)
{
    int has = 0;
    enum err rc = db_has_column(db, name, "id", &has);
    if (rc || has)
        return rc;
    char *ddl = db_table_ddl(tables_find(name), DB_DDL_HUB);
    rc = ddl ? db_exec(db, ddl, errbuf, errlen) : ERR_INVALID;
    free(ddl);
    return rc;
}

static enum err add_event_rrule(sqlite3 *db, char *errbuf, size_t errlen)
{
    return add_text_column(db, "event", "rrule", errbuf, errlen);
}

static enum err add_figure(sqlite3 *db, char *errbuf, size_t errlen)
{
    return add_table(db, "figure", errbuf, errlen);
}

/* Ideas with answers (docs/protocol.md, "Ideas"): proposal.supports (0
 * for the proposals already there), .outcome and .answer, and the
 * supports of proposals. */
static enum err add_idea_answers(sqlite3 *db, char *errbuf, size_t errlen)
{
    int has = 0;
    enum err rc = db_has_column(db, "proposal", "supports", &has);
    if (rc == ERR_OK && !has)
        rc = db_exec(
            db,
            "ALTER TABLE proposal ADD COLUMN \"supports\" INTEGER CHECK (\"supports\" >= 0);"
            "UPDATE proposal SET supports = 0;",
            errbuf, errlen);
    if (rc == ERR_OK)
        rc = add_text_column(db, "proposal", "outcome", errbuf, errlen);
    if (rc == ERR_OK)
        rc = add_text_column(db, "proposal", "answer", errbuf, errlen);
    if (rc == ERR_OK)
        rc = add_table(db, "proposal_support", errbuf, errlen);
    if (rc == ERR_OK)
        rc = db_exec(
            db, "CREATE INDEX IF NOT EXISTS support_proposal ON proposal_support(proposal_id);",
            errbuf, errlen);
    return rc;
}

/* What an organization offers and at which stages, and the links of
 * initiatives and events to an organization. */
static enum err add_org_links(sqlite3 *db, char *errbuf, size_t errlen)
{
    static const char *const cols[][2] = {{"organization", "offers"},
                                          {"organization", "stages"},
                                          {"initiative", "organization_id"},
                                          {"event", "organization_id"}};
    enum err rc = ERR_OK;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0] && rc == ERR_OK; i++)
        rc = add_text_column(db, cols[i][0], cols[i][1], errbuf, errlen);
    return rc;
}

/* picture and picture_alt on the tables that show one. */
static enum err add_pictures(sqlite3 *db, char *errbuf, size_t errlen)
{
    static const char *const tables[] = {"initiative", "organization", "event", "announcement"};
    enum err rc = ERR_OK;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0] && rc == ERR_OK; i++) {
        rc = add_text_column(db, tables[i], "picture", errbuf, errlen);
        if (rc == ERR_OK)
            rc = add_text_column(db, tables[i], "picture_alt", errbuf, errlen);
    }
    return rc;
}

/* help_offer, and the indexes the console (offers by initiative) and the
 * sweep (by age) read it by. */
static enum err add_help_offer(sqlite3 *db, char *errbuf, size_t errlen)
{
    enum err rc = add_table(db, "help_offer", errbuf, errlen);
    if (rc == ERR_OK)
        rc = db_exec(db,
                     "CREATE INDEX IF NOT EXISTS help_offer_initiative"
                     " ON help_offer(initiative_id);"
                     "CREATE INDEX IF NOT EXISTS help_offer_created ON help_offer(created_at);",
                     errbuf, errlen);
    return rc;
}

/* Append only: a past step is never edited (databases already ran it). */
static const struct db_step hub_steps[] = {
    {NULL, create_schema},       {sq_console_schema, NULL}, /* staff accounts, audit trail */
    {rowlog_at_schema, NULL},                               /* rowlog.at: the age of tombstones */
    {sq_console_schema_4, NULL}, /* staff_user.signature, audit.error and .field */
    {guards_schema, NULL},       /* cancel_guard, budget */
    {NULL, add_was_published},   /* proposal.was_published */
    {fleet_fault_schema, NULL},  /* fleet.fault */
    {event_starts_schema, NULL}, /* index event(starts_at) */
    {NULL, add_event_rrule},     /* event.rrule */
    {NULL, add_figure},          /* figure */
    {NULL, add_idea_answers},    /* proposal.supports, .outcome, .answer; proposal_support */
    {NULL, add_org_links},       /* organization.offers, .stages; *.organization_id */
    {NULL, add_pictures},        /* picture, picture_alt */
    {NULL, add_help_offer},      /* help_offer */
    {sq_console_sessions, NULL}, /* console_session */
};

const struct db_schema sq_hub_schema = {"hub", hub_steps,
                                        (int)(sizeof hub_steps / sizeof hub_steps[0])};

/* ---- statements ---------------------------------------------------------- */

enum err sq_fail(struct sq_store *st, int rc, const char *what)
{
    return db_fail(st->db, rc, what, st->err, sizeof st->err);
}

/* A prepared statement for `sql`, reset and unbound, kept for reuse. */
enum err sq_prep(struct sq_store *st, const char *sql, sqlite3_stmt **out)
{
    for (int i = 0; i < st->ncache; i++) {
        if (st->cache[i].key == sql) {
            sqlite3_reset(st->cache[i].stmt);
            sqlite3_clear_bindings(st->cache[i].stmt);
            *out = st->cache[i].stmt;
            return ERR_OK;
        }
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (rc != SQLITE_OK)
        return sq_fail(st, rc, "prepare");
    if (st->ncache < CACHE_MAX) {
        st->cache[st->ncache].key = sql;
        st->cache[st->ncache].stmt = s;
        st->ncache++;
    } else {
        sqlite3_finalize(s);
        return sq_fail(st, SQLITE_ERROR, "statement cache full");
    }
    *out = s;
    return ERR_OK;
}

/* Steps a statement expected to produce no rows. */
enum err sq_run(struct sq_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(st, rc, what);
    sqlite3_reset(s);
    return ERR_OK;
}

/* sq_prep, then the binds of sq_exec. */
static enum err prep_bind(struct sq_store *st, const char *sql, sqlite3_stmt **out,
                          const char *types, va_list ap)
{
    enum err rc = sq_prep(st, sql, out);
    if (rc)
        return rc;
    sqlite3_stmt *s = *out;
    for (int i = 0; types[i]; i++) {
        if (types[i] == 't') {
            sq_bind_text(s, i + 1, va_arg(ap, const char *));
        } else {
            int64_t v = va_arg(ap, int64_t);
            if (types[i] == 'i' || v >= 0)
                sqlite3_bind_int64(s, i + 1, v);
        }
    }
    return ERR_OK;
}

enum err sq_exec(struct sq_store *st, const char *sql, const char *what, const char *types, ...)
{
    sqlite3_stmt *s;
    va_list ap;
    va_start(ap, types);
    enum err rc = prep_bind(st, sql, &s, types, ap);
    va_end(ap);
    return rc ? rc : sq_run(st, s, what);
}

enum err sq_exists(struct sq_store *st, const char *sql, const char *what, bool *found,
                   const char *types, ...)
{
    *found = false;
    sqlite3_stmt *s;
    va_list ap;
    va_start(ap, types);
    enum err rc = prep_bind(st, sql, &s, types, ap);
    va_end(ap);
    if (rc)
        return rc;
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sq_fail(st, r, what);
    *found = r == SQLITE_ROW;
    return ERR_OK;
}

void sq_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

char *sq_col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    return v ? xstrdup((const char *)v) : NULL;
}

/* Runs fn(st, arg) in one write transaction under the lock. */
enum err sq_in_tx(struct sq_store *st, enum err (*fn)(struct sq_store *, const void *),
                  const void *arg)
{
    pthread_mutex_lock(&st->lock);
    enum err rc = db_begin(st->db);
    if (rc)
        sq_fail(st, SQLITE_BUSY, "begin");
    if (rc == ERR_OK)
        rc = fn(st, arg);
    if (rc == ERR_OK)
        rc = db_commit(st->db);
    if (rc)
        db_rollback(st->db);
    pthread_mutex_unlock(&st->lock);
    return rc;
}

enum err sq_list(struct sq_store *st, const char *sql, size_t size,
                 void (*fill)(sqlite3_stmt *, void *), void **out, size_t *n, const char *what,
                 const char *types, ...)
{
    char *items = NULL;
    size_t cap = 0;
    *n = 0;
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s;
    va_list ap;
    va_start(ap, types);
    enum err rc = prep_bind(st, sql, &s, types, ap);
    va_end(ap);
    int r = SQLITE_DONE;
    while (rc == ERR_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            items = xrealloc(items, cap * size);
        }
        fill(s, items + (*n)++ * size);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sq_fail(st, r, what);
    if (rc == ERR_OK)
        sqlite3_reset(s);
    pthread_mutex_unlock(&st->lock);
    *out = items;
    return rc;
}

enum err sq_get_one(struct sq_store *st, const char *sql, const char *key,
                    bool (*take)(sqlite3_stmt *, const char *, void *), void *out, enum err missing,
                    const char *what)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    if (rc == ERR_OK) {
        sq_bind_text(s, 1, key);
        int r = sqlite3_step(s);
        if (r == SQLITE_ROW && take(s, key, out))
            rc = ERR_OK;
        else if (r == SQLITE_ROW || r == SQLITE_DONE)
            rc = missing;
        else
            rc = sq_fail(st, r, what);
        sqlite3_reset(s);
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

enum err sq_sweep_run(struct sq_store *st, enum err (*fn)(struct sq_store *, const void *),
                      int64_t cutoff, int64_t *count)
{
    struct sq_sweep a = {cutoff, count};
    *count = 0;
    enum err rc = sq_in_tx(st, fn, &a);
    if (rc)
        *count = 0;
    return rc;
}

int sq_table_index(const struct table *t)
{
    return (int)(t - tables_all);
}

static bool sq_stored(const struct column *c)
{
    return !(c->flags & COL_PUSH_ONLY);
}

static void build_sql(struct sq_store *st)
{
    for (int ti = 0; ti < tables_count; ti++) {
        const struct table *t = &tables_all[ti];
        db_row_sql(t, '?', &st->get_sql[ti], &st->put_sql[ti], &st->del_sql[ti]);
        /* One statement, so a count moves without reading the row. */
        if (tables_column_index(t, "supports") >= 0)
            st->bump_sql[ti] = xasprintf(
                "UPDATE \"%s\" SET supports = max(coalesce(supports, 0) + ?1, 0),%s seq = ?3"
                " WHERE id = ?4",
                t->name,
                tables_column_index(t, "updated_at") >= 0
                    ? " updated_at = coalesce(?2, updated_at),"
                    : "");
    }
}

/* ---- rows as JSON ---------------------------------------------------------- */

/* *out = the stored row (every stored column), or NULL when there is none. */
enum err sq_get_row(struct sq_store *st, const struct table *t, const char *id, json_t **out)
{
    *out = NULL;
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, st->get_sql[sq_table_index(t)], &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(s);
    if (r == SQLITE_DONE)
        return ERR_OK;
    if (r != SQLITE_ROW)
        return sq_fail(st, r, "read row");
    json_t *row = json_object();
    int k = 0;
    for (int i = 0; i < t->ncols; i++) {
        const struct column *c = &t->cols[i];
        if (!sq_stored(c))
            continue;
        json_t *v;
        if (sqlite3_column_type(s, k) == SQLITE_NULL)
            v = json_null();
        else if (c->type == COL_INT)
            v = json_integer(sqlite3_column_int64(s, k));
        else if (c->type == COL_BOOL)
            v = json_boolean(sqlite3_column_int64(s, k) != 0);
        else
            v = json_string((const char *)sqlite3_column_text(s, k));
        json_object_set_new(row, c->name, v ? v : json_null());
        k++;
    }
    sqlite3_reset(s);
    *out = row;
    return ERR_OK;
}

static void bind_json(sqlite3_stmt *s, int i, json_t *v)
{
    if (json_is_string(v))
        sqlite3_bind_text(s, i, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
    else if (json_is_integer(v))
        sqlite3_bind_int64(s, i, json_integer_value(v));
    else if (json_is_boolean(v))
        sqlite3_bind_int(s, i, json_is_true(v));
    else
        sqlite3_bind_null(s, i);
}

enum err sq_put_row(struct sq_store *st, const struct table *t, json_t *row, int64_t seq)
{
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, st->put_sql[sq_table_index(t)], &s);
    if (rc)
        return rc;
    int n = 0;
    for (int i = 0; i < t->ncols; i++) {
        if (!sq_stored(&t->cols[i]))
            continue;
        n++;
        bind_json(s, n, json_object_get(row, t->cols[i].name));
    }
    sqlite3_bind_int64(s, n + 1, seq);
    return sq_run(st, s, "write row");
}

/* ---- seq and rowlog ------------------------------------------------------- */

enum err sq_next_seq(struct sq_store *st, int64_t *seq)
{
    sqlite3_stmt *s;
    static const char sql[] =
        "UPDATE meta SET value = value + 1 WHERE key = 'head' RETURNING value";
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW)
        return sq_fail(st, r, "bump head");
    *seq = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return ERR_OK;
}

enum err sq_rowlog_put(struct sq_store *st, const char *tbl, const char *id, int op, int64_t seq)
{
    static const char sql[] =
        "INSERT INTO rowlog(seq, tbl, id, op, at) VALUES(?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(tbl, id) DO UPDATE SET seq = excluded.seq, op = excluded.op, at = excluded.at";
    /* The clock (ts.h, injectable in tests), not the caller's `now`: some
     * writers (the holder sweep) have none, and only the age matters. */
    char at[TS_LEN + 1];
    ts_format(ts_now(), at);
    return sq_exec(st, sql, "write rowlog", "itttt", seq, tbl, id, changeset_op_name(op), at);
}

/* Deletes the delete tombstones written at or before a->cutoff and raises
 * meta.horizon to the highest purged seq. A cursor below that seq may have
 * missed a purged delete (it gets reset); a cursor at or above it has seen
 * every purged one (it does not). The horizon never goes down. The
 * exactly-once records of the same age go too: a client retrying a change
 * that old has been offline past the horizon, and rebuilds anyway. */
static enum err purge_tombstones(struct sq_store *st, const void *p)
{
    const struct sq_sweep *a = p;
    static const char find[] =
        "SELECT count(*), max(seq) FROM rowlog WHERE op = 'delete' AND at <= ?1";
    static const char del[] = "DELETE FROM rowlog WHERE op = 'delete' AND at <= ?1";
    static const char horizon[] = "UPDATE meta SET value = max(value, ?1) WHERE key = 'horizon'";
    static const char applied[] = "DELETE FROM applied WHERE at <= ?1";
    char cutoff[TS_LEN + 1];
    ts_format(a->cutoff, cutoff);
    sqlite3_stmt *s;
    enum err rc = sq_exec(st, applied, "prune applied", "t", cutoff);
    if (rc == ERR_OK)
        rc = sq_prep(st, find, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, cutoff, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW)
        return sq_fail(st, r, "find tombstones");
    int64_t n = sqlite3_column_int64(s, 0), top = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    if (n == 0)
        return ERR_OK;
    rc = sq_exec(st, del, "purge tombstones", "t", cutoff);
    if (rc == ERR_OK)
        rc = sq_exec(st, horizon, "raise the horizon", "i", top);
    if (rc == ERR_OK)
        *a->count = n;
    return rc;
}

static enum err sq_purge_tombstones(struct store *base, int64_t upto, int64_t *purged)
{
    return sq_sweep_run(sq(base), purge_tombstones, upto, purged);
}

/* Stores `row` under a new seq and logs it for pulls (hub-only tables are
 * never pulled, so they have no rowlog entry). */
enum err sq_commit_row(struct sq_store *st, const struct table *t, json_t *row, int64_t *seq)
{
    enum err rc = sq_next_seq(st, seq);
    if (rc == ERR_OK)
        rc = sq_put_row(st, t, row, *seq);
    if (rc == ERR_OK && !(t->flags & TABLE_HUB))
        rc = sq_rowlog_put(st, t->name, json_string_value(json_object_get(row, "id")), CS_UPSERT,
                           *seq);
    return rc;
}

/* ---- the ops ----------------------------------------------------------------- */

static void sq_close(struct store *base)
{
    struct sq_store *st = sq(base);
    for (int i = 0; i < st->ncache; i++)
        sqlite3_finalize(st->cache[i].stmt);
    for (int i = 0; i < tables_count; i++) {
        free(st->get_sql[i]);
        free(st->put_sql[i]);
        free(st->del_sql[i]);
        free(st->bump_sql[i]);
    }
    sqlite3_close_v2(st->db);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

static const char *sq_errmsg(struct store *base)
{
    return sq(base)->err;
}

static enum err read_state(struct sq_store *st, struct store_state *out)
{
    static const char sql[] = "SELECT key, value FROM meta";
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(s, 0);
        if (strcmp(k, "epoch") == 0)
            snprintf(out->epoch, sizeof out->epoch, "%s", sqlite3_column_text(s, 1));
        else if (strcmp(k, "head") == 0)
            out->head = sqlite3_column_int64(s, 1);
        else if (strcmp(k, "horizon") == 0)
            out->horizon = sqlite3_column_int64(s, 1);
    }
    if (r != SQLITE_DONE)
        return sq_fail(st, r, "read meta");
    sqlite3_reset(s);
    return ERR_OK;
}

static enum err sq_state(struct store *base, struct store_state *out)
{
    struct sq_store *st = sq(base);
    pthread_mutex_lock(&st->lock);
    enum err rc = read_state(st, out);
    pthread_mutex_unlock(&st->lock);
    return rc;
}

static enum err read_changes(struct sq_store *st, int64_t since, size_t limit,
                             struct store_page *out)
{
    static const char sql[] =
        "SELECT seq, tbl, id, op FROM rowlog WHERE seq > ?1 ORDER BY seq LIMIT ?2";
    enum err rc = read_state(st, &out->state);
    sqlite3_stmt *s;
    if (rc == ERR_OK)
        rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, since);
    sqlite3_bind_int64(s, 2, (int64_t)limit + 1);
    out->changes = xcalloc(limit ? limit : 1, sizeof *out->changes);
    int r;
    while (rc == ERR_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->count == limit) {
            out->more = true;
            break;
        }
        struct store_change *c = &out->changes[out->count];
        c->seq = sqlite3_column_int64(s, 0);
        c->table = tables_find((const char *)sqlite3_column_text(s, 1));
        c->id = sq_col_dup(s, 2);
        c->op = changeset_op_parse((const char *)sqlite3_column_text(s, 3));
        if (!c->table || !c->id || c->op < 0) {
            free(c->id);
            c->id = NULL;
            continue; /* not written by this code: skip rather than fail every pull */
        }
        out->count++;
        if (c->op == CS_UPSERT) {
            rc = sq_get_row(st, c->table, c->id, &c->row);
            if (rc == ERR_OK && !c->row)
                c->op = CS_DELETE;
        }
    }
    if (rc == ERR_OK && r != SQLITE_ROW && r != SQLITE_DONE)
        rc = sq_fail(st, r, "read rowlog");
    sqlite3_reset(s);
    return rc;
}

static enum err sq_changes(struct store *base, int64_t since, size_t limit, struct store_page *out)
{
    struct sq_store *st = sq(base);
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&st->lock);
    /* One read transaction: the state and the rows are of the same instant.
     * Prepared once: an empty pull is the hub's most frequent request. */
    static const char begin[] = "BEGIN", end[] = "COMMIT";
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, begin, &s);
    if (rc == ERR_OK)
        rc = sq_run(st, s, "begin");
    if (rc == ERR_OK) {
        rc = read_changes(st, since, limit, out);
        sqlite3_stmt *c;
        if (sq_prep(st, end, &c) != ERR_OK || sq_run(st, c, "end read") != ERR_OK)
            db_rollback(st->db);
    }
    pthread_mutex_unlock(&st->lock);
    if (rc)
        store_page_free(out);
    return rc;
}

static const struct store_ops sq_ops = {
    .close = sq_close,
    .state = sq_state,
    .decide = &sq_decide_ops,
    .changes = sq_changes,
    .token_add = sq_token_add,
    .token_revoke = sq_token_revoke,
    .token_list = sq_token_list,
    .token_lookup = sq_token_lookup,
    .fleet_record = sq_fleet_record,
    .fleet_list = sq_fleet_list,
    .erase_holders = sq_erase_holders,
    .erase_offers = sq_erase_offers,
    .purge_tombstones = sq_purge_tombstones,
    .backup = sq_backup,
    .user_add = sq_user_add,
    .user_sign = sq_user_sign,
    .user_remove = sq_user_remove,
    .user_list = sq_user_list,
    .user_get = sq_user_get,
    .session_add = sq_session_add,
    .session_get = sq_session_get,
    .session_end = sq_session_end,
    .audit_add = sq_audit_add,
    .audit_list = sq_audit_list,
    .events = sq_events,
    .busy = sq_busy,
    .errmsg = sq_errmsg,
};

enum err store_sqlite_open(const char *path, struct store **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    sqlite3 *db = NULL;
    enum err rc = db_open(path, &sq_hub_schema, &db, errbuf, errlen);
    if (rc)
        return rc;
    struct sq_store *st = xcalloc(1, sizeof *st);
    st->base.ops = &sq_ops;
    st->db = db;
    pthread_mutex_init(&st->lock, NULL);
    build_sql(st);
    *out = &st->base;
    return ERR_OK;
}
