/* store_sqlite_console: staff accounts and the audit trail in the SQLite
 * backend (tables `staff_user` and `audit`, migration step 2 of
 * store_sqlite.c). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "store_sqlite_int.h"
#include "ts.h"
#include "xalloc.h"

const char sq_console_schema[] =
    "CREATE TABLE staff_user(name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,"
    " action TEXT NOT NULL, tbl TEXT, row_id TEXT, status TEXT, detail TEXT);";

/* Runs `fn` in one write transaction under the lock. */
static enum err in_tx(struct sq_store *st, enum err (*fn)(struct sq_store *, const void *),
                      const void *arg)
{
    pthread_mutex_lock(&st->lock);
    enum err rc = db_begin(st->db);
    if (rc == ERR_OK)
        rc = fn(st, arg);
    if (rc == ERR_OK)
        rc = db_commit(st->db);
    if (rc)
        db_rollback(st->db);
    pthread_mutex_unlock(&st->lock);
    return rc;
}

struct user_arg {
    const char *name;
    enum store_role role;
    const char *hash;
    int64_t now;
};

static enum err user_add(struct sq_store *st, const void *p)
{
    const struct user_arg *a = p;
    static const char taken[] = "SELECT 1 FROM staff_user WHERE name = ?1 UNION ALL"
                                " SELECT 1 FROM token WHERE name = ?1 AND revoked_at IS NULL";
    static const char put[] =
        "INSERT INTO staff_user(name, role, hash, created_at) VALUES(?1, ?2, ?3, ?4)";
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, taken, &s);
    if (rc)
        return rc;
    sq_bind_text(s, 1, a->name);
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r == SQLITE_ROW) {
        snprintf(st->err, sizeof st->err, "the name '%s' is taken by an account or a token",
                 a->name);
        return ERR_EXISTS;
    }
    if (r != SQLITE_DONE)
        return sq_fail(st, r, "find user");
    rc = sq_prep(st, put, &s);
    if (rc)
        return rc;
    char at[TS_LEN + 1];
    ts_format(a->now, at);
    sq_bind_text(s, 1, a->name);
    sq_bind_text(s, 2, store_role_name(a->role));
    sq_bind_text(s, 3, a->hash);
    sq_bind_text(s, 4, at);
    return sq_run(st, s, "add user");
}

enum err sq_user_add(struct store *base, const char *name, enum store_role role, const char *hash,
                     int64_t now)
{
    struct user_arg a = {name, role, hash, now};
    return in_tx(sq(base), user_add, &a);
}

static enum err user_remove(struct sq_store *st, const void *p)
{
    static const char sql[] = "DELETE FROM staff_user WHERE name = ?1";
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    sq_bind_text(s, 1, p);
    rc = sq_run(st, s, "remove user");
    if (rc == ERR_OK && sqlite3_changes(st->db) == 0) {
        snprintf(st->err, sizeof st->err, "no account is named '%s'", (const char *)p);
        rc = ERR_NOT_FOUND;
    }
    return rc;
}

enum err sq_user_remove(struct store *base, const char *name)
{
    return in_tx(sq(base), user_remove, name);
}

static void user_from_row(sqlite3_stmt *s, struct store_user *u)
{
    u->name = sq_col_dup(s, 0);
    /* An unknown role gets the least rights a console user can have. */
    if (store_role_parse((const char *)sqlite3_column_text(s, 1), &u->role) ||
        u->role == STORE_KIOSK)
        u->role = STORE_STAFF;
    u->hash = sq_col_dup(s, 2);
    u->created_at = sq_col_dup(s, 3);
}

enum err sq_user_list(struct store *base, struct store_user **out, size_t *n)
{
    static const char sql[] = "SELECT name, role, hash, created_at FROM staff_user ORDER BY name";
    struct sq_store *st = sq(base);
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    int r = SQLITE_DONE;
    while (rc == ERR_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        user_from_row(s, &(*out)[(*n)++]);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sq_fail(st, r, "list users");
    if (rc == ERR_OK)
        sqlite3_reset(s);
    pthread_mutex_unlock(&st->lock);
    return rc;
}

enum err sq_user_get(struct store *base, const char *name, struct store_user *out)
{
    static const char sql[] = "SELECT name, role, hash, created_at FROM staff_user WHERE name = ?1";
    struct sq_store *st = sq(base);
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    if (rc == ERR_OK) {
        sq_bind_text(s, 1, name);
        int r = sqlite3_step(s);
        if (r == SQLITE_ROW)
            user_from_row(s, out);
        else if (r == SQLITE_DONE)
            rc = ERR_NOT_FOUND;
        else
            rc = sq_fail(st, r, "find user");
        sqlite3_reset(s);
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

static enum err audit_add(struct sq_store *st, const void *p)
{
    const struct store_audit *a = p;
    static const char sql[] = "INSERT INTO audit(at, who, action, tbl, row_id, status, detail)"
                              " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    sq_bind_text(s, 1, a->at);
    sq_bind_text(s, 2, a->user);
    sq_bind_text(s, 3, a->action);
    sq_bind_text(s, 4, a->table);
    sq_bind_text(s, 5, a->row_id);
    sq_bind_text(s, 6, a->status);
    sq_bind_text(s, 7, a->detail);
    return sq_run(st, s, "add audit entry");
}

enum err sq_audit_add(struct store *base, const struct store_audit *a)
{
    return in_tx(sq(base), audit_add, a);
}

enum err sq_audit_list(struct store *base, size_t limit, struct store_audit **out, size_t *n)
{
    static const char sql[] = "SELECT id, at, who, action, tbl, row_id, status, detail FROM audit"
                              " ORDER BY id DESC LIMIT ?1";
    struct sq_store *st = sq(base);
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    int r = SQLITE_DONE;
    if (rc == ERR_OK)
        sqlite3_bind_int64(s, 1, (int64_t)limit);
    while (rc == ERR_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct store_audit *a = &(*out)[(*n)++];
        a->id = sqlite3_column_int64(s, 0);
        a->at = sq_col_dup(s, 1);
        a->user = sq_col_dup(s, 2);
        a->action = sq_col_dup(s, 3);
        a->table = sq_col_dup(s, 4);
        a->row_id = sq_col_dup(s, 5);
        a->status = sq_col_dup(s, 6);
        a->detail = sq_col_dup(s, 7);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sq_fail(st, r, "list audit");
    if (rc == ERR_OK)
        sqlite3_reset(s);
    pthread_mutex_unlock(&st->lock);
    return rc;
}
