/* store_sqlite_console: staff accounts, their sessions and the audit
 * trail in the SQLite backend (tables `staff_user` and `audit`, migration
 * step 2 of store_sqlite.c; `staff_user.signature`, `audit.error` and
 * `.field`, step 4; `console_session`, step 15). */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "store_sqlite_int.h"
#include "ts.h"

const char sq_console_schema[] =
    "CREATE TABLE staff_user(name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,"
    " action TEXT NOT NULL, tbl TEXT, row_id TEXT, status TEXT, detail TEXT);";

/* Signatures (NULL for the accounts made before: they sign with the
 * default), and a refused change's error code and field, so the console
 * words it in French. */
const char sq_console_schema_4[] = "ALTER TABLE staff_user ADD COLUMN signature TEXT;"
                                   "ALTER TABLE audit ADD COLUMN error TEXT;"
                                   "ALTER TABLE audit ADD COLUMN field TEXT;";

/* Sessions, once kept in each hub's memory: in the database every hub on
 * it knows them, and a restart no longer logs staff out. */
const char sq_console_sessions[] =
    "CREATE TABLE IF NOT EXISTS console_session(hash TEXT PRIMARY KEY,"
    " user TEXT NOT NULL, expires INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS console_session_user ON console_session(user);";

struct user_arg {
    const char *name;
    enum store_role role;
    const char *hash;
    const char *signature;
    int64_t now;
};

static enum err user_add(struct sq_store *st, const void *p)
{
    const struct user_arg *a = p;
    static const char taken[] = "SELECT 1 FROM staff_user WHERE name = ?1 UNION ALL"
                                " SELECT 1 FROM token WHERE name = ?1 AND revoked_at IS NULL";
    static const char put[] = "INSERT INTO staff_user(name, role, hash, created_at, signature) "
                              "VALUES(?1, ?2, ?3, ?4, ?5)";
    bool found;
    enum err rc = sq_exists(st, taken, "find user", &found, "t", a->name);
    if (rc)
        return rc;
    if (found) {
        snprintf(st->err, sizeof st->err, "the name '%s' is taken by an account or a token",
                 a->name);
        return ERR_EXISTS;
    }
    char at[TS_LEN + 1];
    ts_format(a->now, at);
    return sq_exec(st, put, "add user", "ttttt", a->name, store_role_name(a->role), a->hash, at,
                   a->signature);
}

enum err sq_user_add(struct store *base, const char *name, enum store_role role, const char *hash,
                     const char *signature, int64_t now)
{
    struct user_arg a = {name, role, hash, signature, now};
    return sq_in_tx(sq(base), user_add, &a);
}

/* ERR_NOT_FOUND (with the message) when no statement changed a row. */
static enum err one_user_changed(struct sq_store *st, enum err rc, const char *name)
{
    if (rc == ERR_OK && sqlite3_changes(st->db) == 0) {
        snprintf(st->err, sizeof st->err, "no account is named '%s'", name);
        rc = ERR_NOT_FOUND;
    }
    return rc;
}

static enum err user_sign(struct sq_store *st, const void *p)
{
    const struct user_arg *a = p;
    static const char sql[] = "UPDATE staff_user SET signature = ?2 WHERE name = ?1";
    return one_user_changed(st, sq_exec(st, sql, "sign user", "tt", a->name, a->signature),
                            a->name);
}

enum err sq_user_sign(struct store *base, const char *name, const char *signature)
{
    struct user_arg a = {name, STORE_STAFF, NULL, signature, 0};
    return sq_in_tx(sq(base), user_sign, &a);
}

static enum err user_remove(struct sq_store *st, const void *p)
{
    static const char sql[] = "DELETE FROM staff_user WHERE name = ?1";
    static const char end[] = "DELETE FROM console_session WHERE user = ?1";
    enum err rc = one_user_changed(st, sq_exec(st, sql, "remove user", "t", (const char *)p),
                                   (const char *)p);
    return rc ? rc : sq_exec(st, end, "end the account's sessions", "t", (const char *)p);
}

enum err sq_user_remove(struct store *base, const char *name)
{
    return sq_in_tx(sq(base), user_remove, name);
}

static void user_from_row(sqlite3_stmt *s, void *item)
{
    struct store_user *u = item;
    u->name = sq_col_dup(s, 0);
    u->role = store_console_role((const char *)sqlite3_column_text(s, 1));
    u->hash = sq_col_dup(s, 2);
    u->created_at = sq_col_dup(s, 3);
    u->signature = sq_col_dup(s, 4);
}

enum err sq_user_list(struct store *base, struct store_user **out, size_t *n)
{
    static const char sql[] =
        "SELECT name, role, hash, created_at, signature FROM staff_user ORDER BY name";
    void *items;
    enum err rc = sq_list(sq(base), sql, sizeof **out, user_from_row, &items, n, "list users", "");
    *out = items;
    return rc;
}

static bool user_take(sqlite3_stmt *s, const char *name, void *out)
{
    (void)name;
    user_from_row(s, out);
    return true;
}

enum err sq_user_get(struct store *base, const char *name, struct store_user *out)
{
    static const char sql[] =
        "SELECT name, role, hash, created_at, signature FROM staff_user WHERE name = ?1";
    memset(out, 0, sizeof *out);
    return sq_get_one(sq(base), sql, name, user_take, out, ERR_NOT_FOUND, "find user");
}

struct session_arg {
    const char *hash, *user;
    int64_t expires, now, max;
};

static enum err session_add(struct sq_store *st, const void *p)
{
    const struct session_arg *a = p;
    static const char prune[] = "DELETE FROM console_session WHERE expires <= ?1";
    static const char count[] = "SELECT 1 FROM console_session LIMIT 1 OFFSET ?1";
    static const char put[] = "INSERT INTO console_session(hash, user, expires) VALUES(?1, ?2, ?3)";
    bool full = false;
    enum err rc = sq_exec(st, prune, "forget ended sessions", "i", a->now);
    if (rc == ERR_OK)
        rc = sq_exists(st, count, "count sessions", &full, "i", a->max - 1);
    if (rc == ERR_OK && full) {
        snprintf(st->err, sizeof st->err, "%lld sessions are open", (long long)a->max);
        return ERR_TOO_BIG;
    }
    return rc ? rc : sq_exec(st, put, "add a session", "tti", a->hash, a->user, a->expires);
}

enum err sq_session_add(struct store *base, const char *hash, const char *user, int64_t expires,
                        int64_t now, size_t max)
{
    struct session_arg a = {hash, user, expires, now, (int64_t)max};
    return sq_in_tx(sq(base), session_add, &a);
}

struct session_out {
    int64_t now, expires;
    char *user;
    enum store_role role;
};

static bool session_take(sqlite3_stmt *s, const char *hash, void *out)
{
    (void)hash;
    struct session_out *o = out;
    if (sqlite3_column_int64(s, 1) <= o->now)
        return false;
    o->user = sq_col_dup(s, 0);
    o->expires = sqlite3_column_int64(s, 1);
    o->role = store_console_role((const char *)sqlite3_column_text(s, 2));
    return o->user != NULL;
}

/* Looked up by the hash of a 256-bit random cookie: an index lookup tells
 * an attacker nothing about a hash it cannot choose the preimage of. */
enum err sq_session_get(struct store *base, const char *hash, int64_t now, char **user,
                        enum store_role *role, int64_t *expires)
{
    static const char sql[] = "SELECT s.user, s.expires, u.role FROM console_session s"
                              " JOIN staff_user u ON u.name = s.user WHERE s.hash = ?1";
    struct session_out o = {now, 0, NULL, STORE_STAFF};
    enum err rc = sq_get_one(sq(base), sql, hash, session_take, &o, ERR_AUTH, "find a session");
    *user = o.user;
    *role = o.role;
    *expires = o.expires;
    return rc;
}

static enum err session_end(struct sq_store *st, const void *p)
{
    static const char sql[] = "DELETE FROM console_session WHERE hash = ?1";
    return sq_exec(st, sql, "end a session", "t", (const char *)p);
}

enum err sq_session_end(struct store *base, const char *hash)
{
    return sq_in_tx(sq(base), session_end, hash);
}

static enum err audit_add(struct sq_store *st, const void *p)
{
    const struct store_audit *a = p;
    static const char sql[] =
        "INSERT INTO audit(at, who, action, tbl, row_id, status, detail, error, field)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    return sq_exec(st, sql, "add audit entry", "ttttttttt", a->at, a->user, a->action, a->table,
                   a->row_id, a->status, a->detail, a->error, a->field);
}

enum err sq_audit_add(struct store *base, const struct store_audit *a)
{
    return sq_in_tx(sq(base), audit_add, a);
}

static void audit_from_row(sqlite3_stmt *s, void *item)
{
    struct store_audit *a = item;
    a->id = sqlite3_column_int64(s, 0);
    a->at = sq_col_dup(s, 1);
    a->user = sq_col_dup(s, 2);
    a->action = sq_col_dup(s, 3);
    a->table = sq_col_dup(s, 4);
    a->row_id = sq_col_dup(s, 5);
    a->status = sq_col_dup(s, 6);
    a->detail = sq_col_dup(s, 7);
    a->error = sq_col_dup(s, 8);
    a->field = sq_col_dup(s, 9);
}

enum err sq_audit_list(struct store *base, size_t limit, struct store_audit **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, at, who, action, tbl, row_id, status, detail, error, field"
        " FROM audit ORDER BY id DESC LIMIT ?1";
    int64_t max = (int64_t)limit;
    void *items;
    enum err rc =
        sq_list(sq(base), sql, sizeof **out, audit_from_row, &items, n, "list audit", "i", max);
    *out = items;
    return rc;
}
