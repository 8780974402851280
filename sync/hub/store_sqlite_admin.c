/* store_sqlite_admin: tokens, the fleet, backup and restore in the SQLite
 * backend: the operations that do not touch the public tables. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "rules.h"
#include "store.h"
#include "store_sqlite_int.h"
#include "ts.h"
#include "xalloc.h"

/* ---- tokens ------------------------------------------------------------------ */

struct token_arg {
    const char *name;
    enum store_role role;
    const char *site;
    const char *hash;
    int64_t now;
};

static enum err token_add(struct sq_store *st, const void *p)
{
    const struct token_arg *a = p;
    static const char find[] = "SELECT 1 FROM token WHERE name = ?1 AND revoked_at IS NULL";
    static const char put[] =
        "INSERT INTO token(name, role, site, hash, created_at, revoked_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, NULL) ON CONFLICT(name) DO UPDATE SET role = excluded.role,"
        " site = excluded.site, hash = excluded.hash, created_at = excluded.created_at,"
        " revoked_at = NULL";
    bool live;
    enum err rc = sq_exists(st, find, "find token", &live, "t", a->name);
    if (rc)
        return rc;
    if (live) {
        snprintf(st->err, sizeof st->err, "a token named '%s' exists", a->name);
        return ERR_EXISTS;
    }
    char at[TS_LEN + 1];
    ts_format(a->now, at);
    return sq_exec(st, put, "add token", "ttttt", a->name, store_role_name(a->role), a->site,
                   a->hash, at);
}

enum err sq_token_add(struct store *base, const char *name, enum store_role role, const char *site,
                      const char *hash, int64_t now)
{
    struct token_arg a = {name, role, site, hash, now};
    return sq_in_tx(sq(base), token_add, &a);
}

enum err sq_token_revoke(struct store *base, const char *name, int64_t now)
{
    static const char sql[] =
        "UPDATE token SET revoked_at = ?1 WHERE name = ?2 AND revoked_at IS NULL";
    struct sq_store *st = sq(base);
    char at[TS_LEN + 1];
    ts_format(now, at);
    pthread_mutex_lock(&st->lock);
    enum err rc = sq_exec(st, sql, "revoke token", "tt", at, name);
    if (rc == ERR_OK && sqlite3_changes(st->db) == 0) {
        snprintf(st->err, sizeof st->err, "no live token is named '%s'", name);
        rc = ERR_NOT_FOUND;
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

static void token_from_row(sqlite3_stmt *s, void *item)
{
    struct store_token *t = item;
    t->name = sq_col_dup(s, 0);
    if (store_role_parse((const char *)sqlite3_column_text(s, 1), &t->role))
        t->role = STORE_KIOSK; /* unknown roles get the least rights */
    t->site = sq_col_dup(s, 2);
    t->created_at = sq_col_dup(s, 3);
    t->revoked_at = sq_col_dup(s, 4);
}

enum err sq_token_list(struct store *base, struct store_token **out, size_t *n)
{
    static const char sql[] =
        "SELECT name, role, site, created_at, revoked_at FROM token ORDER BY name";
    void *items;
    enum err rc =
        sq_list(sq(base), sql, sizeof **out, token_from_row, &items, n, "list tokens", "");
    *out = items;
    return rc;
}

/* A live token whose stored hash matches (compared in constant time). */
static bool token_take(sqlite3_stmt *s, const char *hash, void *out)
{
    if (sqlite3_column_type(s, 4) != SQLITE_NULL ||
        !auth_hash_equal((const char *)sqlite3_column_text(s, 5), hash))
        return false;
    token_from_row(s, out);
    return true;
}

enum err sq_token_lookup(struct store *base, const char *hash, struct store_token *out)
{
    static const char sql[] =
        "SELECT name, role, site, created_at, revoked_at, hash FROM token WHERE hash = ?1";
    memset(out, 0, sizeof *out);
    return sq_get_one(sq(base), sql, hash, token_take, out, ERR_AUTH, "find token");
}

/* ---- fleet ------------------------------------------------------------------- */

static enum err fleet_put(struct sq_store *st, const struct store_seen *k)
{
    static const char sql[] =
        "INSERT INTO fleet(name, site, last_seen, cursor, version, outbox, address, fault)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(name) DO UPDATE SET"
        " site = coalesce(excluded.site, site), last_seen = coalesce(excluded.last_seen, "
        "last_seen),"
        " cursor = coalesce(excluded.cursor, cursor), version = coalesce(excluded.version, "
        "version),"
        " outbox = coalesce(excluded.outbox, outbox), address = coalesce(excluded.address, "
        "address), fault = excluded.fault WHERE " FLEET_NEWER;
    return sq_exec(st, sql, "record fleet", "tttntntt", k->name, k->site, k->last_seen,
                   (int64_t)k->cursor, k->version, (int64_t)k->outbox, k->address, k->fault);
}

struct fleet_arg {
    const struct store_seen *seen;
    size_t n;
};

static enum err fleet_put_all(struct sq_store *st, const void *p)
{
    const struct fleet_arg *a = p;
    enum err rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < a->n; i++)
        rc = fleet_put(st, &a->seen[i]);
    return rc;
}

enum err sq_fleet_record(struct store *base, const struct store_seen *seen, size_t n)
{
    if (n == 0)
        return ERR_OK;
    struct fleet_arg a = {seen, n};
    return sq_in_tx(sq(base), fleet_put_all, &a);
}

static void kiosk_from_row(sqlite3_stmt *s, void *item)
{
    struct store_kiosk *k = item;
    k->name = sq_col_dup(s, 0);
    k->site = sq_col_dup(s, 1);
    k->last_seen = sq_col_dup(s, 2);
    k->cursor = sqlite3_column_int64(s, 3);
    k->version = sq_col_dup(s, 4);
    k->outbox = sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 5);
    k->address = sq_col_dup(s, 6);
    k->fault = sq_col_dup(s, 7);
}

enum err sq_fleet_list(struct store *base, struct store_kiosk **out, size_t *n)
{
    static const char sql[] =
        "SELECT t.name, t.site, f.last_seen, f.cursor, f.version, f.outbox, f.address, f.fault"
        " FROM token t LEFT JOIN fleet f ON f.name = t.name"
        " WHERE t.role = 'kiosk' AND t.revoked_at IS NULL ORDER BY t.name";
    void *items;
    enum err rc = sq_list(sq(base), sql, sizeof **out, kiosk_from_row, &items, n, "list fleet", "");
    *out = items;
    return rc;
}

/* ---- files ----------------------------------------------------------------------- */

static enum err copy_db(sqlite3 *from, sqlite3 *to, char *errbuf, size_t errlen)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b)
        return db_fail(to, sqlite3_errcode(to), "backup", errbuf, errlen);
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return db_fail(to, rc, "backup", errbuf, errlen);
    return ERR_OK;
}

enum err sq_backup(struct store *base, const char *out_path)
{
    struct sq_store *st = sq(base);
    sqlite3 *to = NULL;
    int r = sqlite3_open_v2(out_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    enum err rc = ERR_OK;
    if (r != SQLITE_OK)
        rc = db_fail(to, r, "open backup", st->err, sizeof st->err);
    if (rc == ERR_OK) {
        sqlite3_busy_timeout(to, 5000);
        pthread_mutex_lock(&st->lock);
        rc = copy_db(st->db, to, st->err, sizeof st->err);
        pthread_mutex_unlock(&st->lock);
    }
    /* The copy carries the WAL flag of its source; a backup is better as
     * one self-contained file. */
    if (rc == ERR_OK)
        rc = db_exec(to, "PRAGMA journal_mode = DELETE", st->err, sizeof st->err);
    sqlite3_close_v2(to);
    return rc;
}

/* A hub database is one with our meta table and a known version. */
static enum err check_hub_file(sqlite3 *db, char *errbuf, size_t errlen)
{
    int version = 0, has = 0;
    enum err rc = db_user_version(db, &version);
    if (rc == ERR_OK)
        rc = db_has_column(db, "meta", "key", &has);
    if (rc || !has || version < 1 || version > sq_hub_schema.nsteps) {
        snprintf(errbuf, errlen, "not a hub database of a known version");
        rc = ERR_INVALID;
    }
    return rc;
}

enum err store_sqlite_restore(const char *path, const char *from, char *errbuf, size_t errlen)
{
    sqlite3 *src = NULL, *dst = NULL;
    int r = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    enum err rc = r == SQLITE_OK ? ERR_OK : db_fail(src, r, "open backup", errbuf, errlen);
    if (rc == ERR_OK)
        rc = check_hub_file(src, errbuf, errlen);
    if (rc == ERR_OK) {
        r = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
        rc = r == SQLITE_OK ? ERR_OK : db_fail(dst, r, "open database", errbuf, errlen);
    }
    if (rc == ERR_OK) {
        sqlite3_busy_timeout(dst, 5000);
        rc = copy_db(src, dst, errbuf, errlen);
    }
    sqlite3_close_v2(src);
    sqlite3_close_v2(dst);
    struct store *s = NULL;
    if (rc == ERR_OK)
        rc = store_sqlite_open(path, &s, errbuf, errlen);
    char epoch[ID_NEW_LEN + 1];
    if (rc == ERR_OK)
        rc = id_new(epoch);
    if (rc == ERR_OK) {
        char *sql = xasprintf("UPDATE meta SET value = '%s' WHERE key = 'epoch'", epoch);
        rc = db_exec(sq(s)->db, sql, errbuf, errlen);
        free(sql);
    }
    store_close(s);
    return rc;
}
