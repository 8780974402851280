/* replica: the kiosk replica's schema, the apply path of pulled changes,
 * sync_state, the outbox and full-text search.
 *
 * Start at `steps` (the migrations), then replica_apply(). The public
 * tables and their search index are generated from tables.h by
 * rebuild_public(), which drops and recreates them and resets the cursor:
 * a replica is only a copy of the hub, so when tables.h changes the next
 * migration step is simply {.fn = rebuild_public} again, and syncd pulls
 * everything from 0 into the new shape. The local tables (outbox,
 * push_result, sync_state, local_booking) are plain SQL steps and survive.
 *
 * The search index row of public row R of table number k (its index in
 * tables_all) has rowid R.rowid * SEARCH_TAGS + k, so triggers find it by
 * rowid instead of scanning the index's UNINDEXED columns. */
#include "replica.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ts.h"
#include "xalloc.h"

#define SEARCH_TAGS 16

struct replica {
    sqlite3 *db;
    /* Indexed like tables_all; prepared on first use, NULL until then. */
    sqlite3_stmt **upsert;
    sqlite3_stmt **del;
};

/* Schema */

static const char local_tables_sql[] =
    "CREATE TABLE outbox (id TEXT PRIMARY KEY NOT NULL, change TEXT NOT NULL,"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE push_result (id TEXT PRIMARY KEY NOT NULL, status TEXT NOT NULL, error TEXT,"
    " message TEXT, seq INTEGER, at TEXT NOT NULL);"
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY NOT NULL, value TEXT);"
    "INSERT INTO sync_state (key, value) VALUES ('epoch', ''), ('cursor', '0'), ('online', '0'),"
    " ('last_ok', NULL), ('last_error', NULL);"
    "CREATE TABLE local_booking (id TEXT PRIMARY KEY NOT NULL, change_id TEXT NOT NULL,"
    " room_id TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,"
    " holder TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE INDEX local_booking_room ON local_booking (room_id, starts_at);";

/* Indexes for the kiosk's usual queries (agenda by date, a room's day).
 * They name columns of tables.h: a rebuild fails loudly if those go. */
static const char public_indexes_sql[] =
    "CREATE INDEX event_starts ON event (starts_at);"
    "CREATE INDEX booking_room ON booking (room_id, starts_at);"
    "CREATE INDEX initiative_domain ON initiative (domain);";

/* The SQL expression of a search table's index body, over `rec` ("new"). */
static enum err body_expr(struct buf *b, const struct table *t, const char *rec)
{
    enum err rc = ERR_OK;
    for (int i = 0; t->search[i] && rc == ERR_OK; i++)
        rc = buf_printf(b, "%scoalesce(%s.\"%s\", '')", i ? " || ' ' || " : "", rec, t->search[i]);
    return rc;
}

static enum err search_triggers(struct buf *b, const struct table *t, int k)
{
    const char *n = t->name;
    enum err rc = buf_printf(b,
                             "CREATE TRIGGER \"%s_search_ai\" AFTER INSERT ON \"%s\" BEGIN "
                             "INSERT INTO search (rowid, tbl, row_id, body) VALUES "
                             "(new.rowid * %d + %d, '%s', new.id, ",
                             n, n, SEARCH_TAGS, k, n);
    if (rc == ERR_OK)
        rc = body_expr(b, t, "new");
    if (rc == ERR_OK)
        rc = buf_printf(b, "); END;\nCREATE TRIGGER \"%s_search_au\" AFTER UPDATE ON \"%s\" WHEN ",
                        n, n);
    /* Only when an indexed column changed: a pull that bumps `supports`
     * must not rewrite the index. */
    for (int i = 0; t->search[i] && rc == ERR_OK; i++)
        rc = buf_printf(b, "old.\"%s\" IS NOT new.\"%s\" OR ", t->search[i], t->search[i]);
    if (rc == ERR_OK)
        rc = buf_printf(b,
                        "old.rowid IS NOT new.rowid BEGIN "
                        "DELETE FROM search WHERE rowid = old.rowid * %d + %d; "
                        "INSERT INTO search (rowid, tbl, row_id, body) VALUES "
                        "(new.rowid * %d + %d, '%s', new.id, ",
                        SEARCH_TAGS, k, SEARCH_TAGS, k, n);
    if (rc == ERR_OK)
        rc = body_expr(b, t, "new");
    if (rc == ERR_OK)
        rc = buf_printf(b,
                        "); END;\nCREATE TRIGGER \"%s_search_ad\" AFTER DELETE ON \"%s\" BEGIN "
                        "DELETE FROM search WHERE rowid = old.rowid * %d + %d; END;\n",
                        n, n, SEARCH_TAGS, k);
    return rc;
}

/* Drops what exists of the public tables and the index, then creates them
 * from tables.h, empty, with cursor 0 and no epoch. Triggers and indexes
 * go with their tables. */
static enum err rebuild_public(sqlite3 *db, char *errbuf, size_t errlen)
{
    struct buf b;
    buf_init(&b, 1024 * 1024);
    enum err rc = buf_puts(&b, "DROP TABLE IF EXISTS search;\n");
    for (int k = 0; k < tables_count && rc == ERR_OK; k++)
        if (tables_replicated(&tables_all[k]))
            rc = buf_printf(&b, "DROP TABLE IF EXISTS \"%s\";\n", tables_all[k].name);
    if (rc == ERR_OK)
        rc = buf_puts(&b, "CREATE VIRTUAL TABLE search USING fts5(tbl UNINDEXED, row_id UNINDEXED,"
                          " body, tokenize = 'unicode61 remove_diacritics 2');\n");
    for (int k = 0; k < tables_count && rc == ERR_OK; k++) {
        const struct table *t = &tables_all[k];
        if (!tables_replicated(t))
            continue;
        char *ddl = db_table_ddl(t, DB_DDL_REPLICA);
        rc = ddl ? buf_printf(&b, "%s;\n", ddl) : ERR_INVALID;
        free(ddl);
        if (rc == ERR_OK && t->search)
            rc = k < SEARCH_TAGS ? search_triggers(&b, t, k) : ERR_INVALID;
    }
    if (rc == ERR_OK)
        rc = buf_puts(&b, public_indexes_sql);
    if (rc == ERR_OK)
        rc = buf_puts(&b, "UPDATE sync_state SET value = '0' WHERE key = 'cursor';"
                          "UPDATE sync_state SET value = '' WHERE key = 'epoch';");
    if (rc) {
        snprintf(errbuf, errlen, "cannot generate the replica's tables");
        buf_release(&b);
        return rc;
    }
    rc = db_exec(db, b.data, errbuf, errlen);
    buf_release(&b);
    return rc;
}

/* Personal data off kiosks (docs/protocol.md): a kiosk's own
 * bookings no longer keep the name typed, and the public tables are
 * rebuilt (holder nullable) and pulled again, which erases the holders'
 * names and the unpublished proposals that older hubs sent. */
static const char local_booking_anonymous_sql[] = "ALTER TABLE local_booking DROP COLUMN holder;";

/* Append-only (db.h): never edit a released step. */
static const struct db_step steps[] = {
    {.sql = local_tables_sql},
    {.fn = rebuild_public},
    {.sql = local_booking_anonymous_sql},
    {.fn = rebuild_public},
    {.fn = rebuild_public}, /* event.rrule */
    /* figure; proposal.supports, .outcome, .answer; organization.offers,
     * .stages, *.organization_id; picture, picture_alt: one rebuild, one
     * pull again from 0 */
    {.fn = rebuild_public},
};

const struct db_schema replica_schema = {
    .name = "replica",
    .steps = steps,
    .nsteps = (int)(sizeof steps / sizeof steps[0]),
};

/* Lifecycle */

enum err replica_open(const char *path, struct replica **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    sqlite3 *db = NULL;
    enum err rc = db_open(path, &replica_schema, &db, errbuf, errlen);
    if (rc)
        return rc;
    struct replica *r = xcalloc(1, sizeof *r);
    r->db = db;
    r->upsert = xcalloc((size_t)tables_count, sizeof *r->upsert);
    r->del = xcalloc((size_t)tables_count, sizeof *r->del);
    *out = r;
    return ERR_OK;
}

void replica_close(struct replica *r)
{
    if (!r)
        return;
    for (int i = 0; i < tables_count; i++) {
        sqlite3_finalize(r->upsert[i]);
        sqlite3_finalize(r->del[i]);
    }
    free(r->upsert);
    free(r->del);
    sqlite3_close_v2(r->db);
    free(r);
}

sqlite3 *replica_db(struct replica *r)
{
    return r->db;
}

/* Joins the caller's transaction, or opens one when none is open; *own
 * tells tx_end() whether to finish it. */
static enum err tx_start(sqlite3 *db, bool *own)
{
    *own = sqlite3_get_autocommit(db) != 0;
    return *own ? db_begin(db) : ERR_OK;
}

static enum err tx_end(sqlite3 *db, bool own, enum err rc)
{
    if (!own)
        return rc;
    if (rc == ERR_OK)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

/* Applying changes */

static int table_index(const struct table *t)
{
    if (t >= tables_all && t < tables_all + tables_count)
        return (int)(t - tables_all);
    const struct table *found = tables_find(t->name);
    return found ? (int)(found - tables_all) : -1;
}

/* Statements kept in the cache are persistent; one-shot ones are not. */
static enum err prepare_flags(sqlite3 *db, const char *sql, unsigned flags, sqlite3_stmt **out)
{
    int src = sqlite3_prepare_v3(db, sql, -1, flags, out, NULL);
    return src == SQLITE_OK ? ERR_OK : db_err(src) ? db_err(src) : ERR_DB;
}

static enum err prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
    return prepare_flags(db, sql, 0, out);
}

static enum err prepare_cached(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
    return prepare_flags(db, sql, SQLITE_PREPARE_PERSISTENT, out);
}

static char *upsert_sql(const struct table *t)
{
    struct buf cols, vals, set;
    buf_init(&cols, 64 * 1024);
    buf_init(&vals, 64 * 1024);
    buf_init(&set, 64 * 1024);
    int p = 0;
    enum err rc = ERR_OK;
    for (int i = 0; i < t->ncols && rc == ERR_OK; i++) {
        const struct column *c = &t->cols[i];
        if (!tables_column_public(c))
            continue;
        p++;
        rc = buf_printf(&cols, "%s\"%s\"", p > 1 ? ", " : "", c->name);
        if (rc == ERR_OK)
            rc = buf_printf(&vals, "%s?%d", p > 1 ? ", " : "", p);
        if (rc == ERR_OK && i > 0)
            rc = buf_printf(&set, "\"%s\" = excluded.\"%s\", ", c->name, c->name);
    }
    char *sql = NULL;
    if (rc == ERR_OK)
        sql = xasprintf("INSERT INTO \"%s\" (%s, \"seq\") VALUES (%s, ?%d) ON CONFLICT (\"id\") "
                        "DO UPDATE SET %s\"seq\" = excluded.\"seq\"",
                        t->name, cols.data, vals.data, p + 1, set.data ? set.data : "");
    buf_release(&cols);
    buf_release(&vals);
    buf_release(&set);
    return sql;
}

/* Binds the JSON value v (borrowed; may be NULL) for column c. */
static enum err bind_value(sqlite3_stmt *st, int p, const struct column *c, json_t *v)
{
    int src;
    if (!v || json_is_null(v)) {
        src = sqlite3_bind_null(st, p);
    } else if (c->type == COL_BOOL) {
        if (!json_is_boolean(v))
            return ERR_INVALID;
        src = sqlite3_bind_int(st, p, json_is_true(v) ? 1 : 0);
    } else if (c->type == COL_INT) {
        if (!json_is_integer(v))
            return ERR_INVALID;
        src = sqlite3_bind_int64(st, p, (sqlite3_int64)json_integer_value(v));
    } else {
        if (!json_is_string(v))
            return ERR_INVALID;
        src = sqlite3_bind_text64(st, p, json_string_value(v), json_string_length(v), SQLITE_STATIC,
                                  SQLITE_UTF8);
    }
    return src == SQLITE_OK ? ERR_OK : ERR_DB;
}

static enum err apply_upsert(struct replica *r, int k, const char *id, json_t *row, int64_t seq)
{
    const struct table *t = &tables_all[k];
    if (!json_is_object(row))
        return ERR_INVALID;
    json_t *jid = json_object_get(row, "id");
    if (!json_is_string(jid) || (id && strcmp(id, json_string_value(jid)) != 0))
        return ERR_INVALID;
    enum err rc = ERR_OK;
    if (!r->upsert[k]) {
        char *sql = upsert_sql(t);
        rc = sql ? prepare_cached(r->db, sql, &r->upsert[k]) : ERR_INVALID;
        free(sql);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = r->upsert[k];
    int p = 0;
    for (int i = 0; i < t->ncols && rc == ERR_OK; i++) {
        const struct column *c = &t->cols[i];
        if (tables_column_public(c))
            rc = bind_value(st, ++p, c, json_object_get(row, c->name));
    }
    if (rc == ERR_OK && sqlite3_bind_int64(st, p + 1, seq) != SQLITE_OK)
        rc = ERR_DB;
    if (rc == ERR_OK) {
        int src = sqlite3_step(st);
        rc = src == SQLITE_DONE ? ERR_OK : db_err(src) ? db_err(src) : ERR_DB;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static enum err apply_delete(struct replica *r, int k, const char *id)
{
    if (!id)
        return ERR_INVALID;
    enum err rc = ERR_OK;
    if (!r->del[k]) {
        char *sql = xasprintf("DELETE FROM \"%s\" WHERE \"id\" = ?1", tables_all[k].name);
        rc = prepare_cached(r->db, sql, &r->del[k]);
        free(sql);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = r->del[k];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    rc = src == SQLITE_DONE ? ERR_OK : db_err(src) ? db_err(src) : ERR_DB;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

enum err replica_apply(struct replica *r, const struct table *t, enum replica_op op, const char *id,
                       json_t *row, int64_t seq)
{
    int k = table_index(t);
    if (k < 0 || !tables_replicated(&tables_all[k]))
        return ERR_INVALID;
    if (op == REPLICA_UPSERT)
        return apply_upsert(r, k, id, row, seq);
    if (op == REPLICA_DELETE)
        return apply_delete(r, k, id);
    return ERR_INVALID;
}

enum err replica_reset(struct replica *r, const char *new_epoch)
{
    bool own;
    enum err rc = tx_start(r->db, &own);
    if (rc)
        return rc;
    /* The index first, so the delete triggers find nothing to do. */
    rc = db_exec(r->db, "DELETE FROM search", NULL, 0);
    for (int k = tables_count - 1; k >= 0 && rc == ERR_OK; k--) {
        if (!tables_replicated(&tables_all[k]))
            continue;
        char *sql = xasprintf("DELETE FROM \"%s\"", tables_all[k].name);
        rc = db_exec(r->db, sql, NULL, 0);
        free(sql);
    }
    if (rc == ERR_OK)
        rc = replica_state_set(r, "cursor", "0");
    if (rc == ERR_OK)
        rc = replica_state_set(r, "epoch", new_epoch);
    return tx_end(r->db, own, rc);
}

/* The search index, deferred */

/* Drops the index's triggers and empties it; with `build`, then recreates
 * the triggers and indexes every row of every searchable table. */
static enum err search_sql(struct buf *b, bool build)
{
    enum err rc = buf_puts(b, "DELETE FROM search;\n");
    for (int k = 0; k < tables_count && rc == ERR_OK; k++) {
        const struct table *t = &tables_all[k];
        if (!tables_replicated(t) || !t->search)
            continue;
        static const char *const kinds[] = {"ai", "au", "ad"};
        for (int i = 0; i < 3 && rc == ERR_OK; i++)
            rc = buf_printf(b, "DROP TRIGGER IF EXISTS \"%s_search_%s\";\n", t->name, kinds[i]);
        if (!build || rc)
            continue;
        rc = search_triggers(b, t, k);
        char *rec = xasprintf("\"%s\"", t->name);
        if (rc == ERR_OK)
            rc = buf_printf(b,
                            "INSERT INTO search (rowid, tbl, row_id, body) SELECT "
                            "rowid * %d + %d, '%s', id, ",
                            SEARCH_TAGS, k, t->name);
        if (rc == ERR_OK)
            rc = body_expr(b, t, rec);
        if (rc == ERR_OK)
            rc = buf_printf(b, " FROM \"%s\";\n", t->name);
        free(rec);
    }
    return rc;
}

static enum err search_exec(struct replica *r, bool build)
{
    struct buf b;
    buf_init(&b, 1024 * 1024);
    bool own;
    enum err rc = search_sql(&b, build);
    if (rc == ERR_OK)
        rc = tx_start(r->db, &own);
    if (rc == ERR_OK)
        rc = tx_end(r->db, own, db_exec(r->db, b.data, NULL, 0));
    buf_release(&b);
    return rc;
}

enum err replica_search_defer(struct replica *r)
{
    return search_exec(r, false);
}

enum err replica_search_build(struct replica *r)
{
    return search_exec(r, true);
}

enum err replica_search_deferred(struct replica *r, bool *out)
{
    sqlite3_stmt *st = NULL;
    enum err rc = prepare(r->db,
                          "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                          " AND name LIKE '%\\_search\\_ai' ESCAPE '\\'",
                          &st);
    if (rc == ERR_OK && sqlite3_step(st) != SQLITE_ROW)
        rc = db_err(sqlite3_errcode(r->db)) ? db_err(sqlite3_errcode(r->db)) : ERR_DB;
    if (rc == ERR_OK)
        *out = sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    return rc;
}

/* sync_state */

/* Steps a one-shot statement to completion; ERR_OK on SQLITE_DONE. */
static enum err step_done(sqlite3_stmt *st)
{
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src == SQLITE_DONE)
        return ERR_OK;
    return db_err(src) ? db_err(src) : ERR_DB;
}

enum err replica_state_get(struct replica *r, const char *key, char **out)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    enum err rc = prepare(r->db, "SELECT value FROM sync_state WHERE key = ?1", &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (v)
            *out = xstrdup(v);
    } else if (src == SQLITE_DONE) {
        rc = ERR_NOT_FOUND;
    } else {
        rc = db_err(src) ? db_err(src) : ERR_DB;
    }
    sqlite3_finalize(st);
    return rc;
}

enum err replica_state_set(struct replica *r, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    enum err rc =
        prepare(r->db, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)", &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (value)
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return step_done(st);
}

enum err replica_state_get_i64(struct replica *r, const char *key, int64_t *out)
{
    char *v = NULL;
    enum err rc = replica_state_get(r, key, &v);
    if (rc == ERR_OK && !v)
        rc = ERR_NOT_FOUND;
    if (rc == ERR_OK) {
        char *end = NULL;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || end == v || *end)
            rc = ERR_INVALID;
        else
            *out = n;
    }
    free(v);
    return rc;
}

enum err replica_state_set_i64(struct replica *r, const char *key, int64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)value);
    return replica_state_set(r, key, text);
}

/* Outbox */

enum err replica_outbox_add(struct replica *r, const char *change_id, const char *change_json)
{
    char now[TS_LEN + 1];
    ts_format(ts_now(), now);
    sqlite3_stmt *st = NULL;
    enum err rc =
        prepare(r->db, "INSERT INTO outbox (id, change, created_at) VALUES (?1, ?2, ?3)", &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, change_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, change_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    rc = step_done(st);
    return rc == ERR_CONFLICT ? ERR_EXISTS : rc;
}

enum err replica_outbox_count(struct replica *r, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    enum err rc = prepare(r->db, "SELECT count(*) FROM outbox", &st);
    if (rc)
        return rc;
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = db_err(src) ? db_err(src) : ERR_DB;
    sqlite3_finalize(st);
    return rc;
}

static enum err record_result(struct replica *r, const char *change_id, const char *status,
                              const char *error, const char *message, int64_t seq)
{
    char now[TS_LEN + 1];
    ts_format(ts_now(), now);
    sqlite3_stmt *st = NULL;
    enum err rc = prepare(r->db,
                          "INSERT OR REPLACE INTO push_result (id, status, error, message, seq, at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, change_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    if (error)
        sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
    if (message)
        sqlite3_bind_text(st, 4, message, -1, SQLITE_STATIC);
    if (seq >= 0)
        sqlite3_bind_int64(st, 5, seq);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
    return step_done(st);
}

enum err replica_outbox_done(struct replica *r, const char *change_id, const char *status,
                             const char *error, const char *message, int64_t seq)
{
    bool own;
    enum err rc = tx_start(r->db, &own);
    if (rc)
        return rc;
    rc = record_result(r, change_id, status, error, message, seq);
    if (rc == ERR_OK) {
        sqlite3_stmt *st = NULL;
        rc = prepare(r->db, "DELETE FROM outbox WHERE id = ?1", &st);
        if (rc == ERR_OK) {
            sqlite3_bind_text(st, 1, change_id, -1, SQLITE_STATIC);
            rc = step_done(st);
        }
    }
    return tx_end(r->db, own, rc);
}

enum err replica_scrub(struct replica *r)
{
    /* secure_delete (db.c) zeroed the deleted rows in the pages; the WAL
     * still holds the frames written before, until a checkpoint copies
     * every frame into the database and truncates it. */
    int src = sqlite3_wal_checkpoint_v2(r->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return src == SQLITE_OK ? ERR_OK : db_err(src);
}

/* Search */

static bool word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char *replica_search_expr(const char *text)
{
    size_t n = strnlen(text, REPLICA_SEARCH_MAX_BYTES + 1);
    if (n > REPLICA_SEARCH_MAX_BYTES) {
        /* Cut on a character boundary: never hand FTS5 half a character. */
        n = REPLICA_SEARCH_MAX_BYTES;
        while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
            n--;
    }
    struct buf b;
    /* Each word costs at most its bytes plus 4 (quotes, star, space). */
    buf_init(&b, 5 * REPLICA_SEARCH_MAX_BYTES + 16);
    int words = 0;
    size_t i = 0;
    while (i < n && words < REPLICA_SEARCH_MAX_WORDS) {
        while (i < n && !word_byte((unsigned char)text[i]))
            i++;
        size_t start = i;
        while (i < n && word_byte((unsigned char)text[i]))
            i++;
        if (i == start)
            break;
        /* Words hold no ASCII punctuation, so no quote to escape. */
        if (buf_printf(&b, "%s\"%.*s\"*", words ? " " : "", (int)(i - start), text + start))
            break;
        words++;
    }
    if (words == 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

enum err replica_search(struct replica *r, const char *text, int limit, replica_search_fn fn,
                        void *arg)
{
    char *expr = replica_search_expr(text);
    if (!expr)
        return ERR_OK;
    sqlite3_stmt *st = NULL;
    enum err rc = prepare(
        r->db, "SELECT tbl, row_id FROM search WHERE search MATCH ?1 ORDER BY rank LIMIT ?2", &st);
    if (rc == ERR_OK) {
        sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
        int src = sqlite3_step(st);
        for (; src == SQLITE_ROW; src = sqlite3_step(st)) {
            const char *tbl = (const char *)sqlite3_column_text(st, 0);
            const char *row_id = (const char *)sqlite3_column_text(st, 1);
            if (fn(arg, tbl ? tbl : "", row_id ? row_id : ""))
                break;
        }
        if (src != SQLITE_ROW && src != SQLITE_DONE)
            rc = db_err(src) ? db_err(src) : ERR_DB;
    }
    sqlite3_finalize(st);
    free(expr);
    return rc;
}
