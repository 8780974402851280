/* store_pg_admin: tokens, the fleet, staff accounts, the audit trail and
 * the public calendars in the PostgreSQL backend: the operations that do
 * not assign a seq (store.h says what each one promises; store_sqlite's
 * files answer the same). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "rules.h"
#include "store_pg_int.h"
#include "ts.h"

/* ---- tokens -------------------------------------------------------------------- */

struct token_arg {
    const char *name;
    enum store_role role;
    const char *site;
    const char *hash;
    int64_t now;
};

static enum err token_add(struct pgs_store *st, PGconn *c, const void *p)
{
    (void)st;
    const struct token_arg *a = p;
    static const char put[] =
        "INSERT INTO token(name, role, site, hash, created_at, revoked_at)"
        " VALUES($1, $2, $3, $4, $5, NULL) ON CONFLICT(name) DO UPDATE SET role = excluded.role,"
        " site = excluded.site, hash = excluded.hash, created_at = excluded.created_at,"
        " revoked_at = NULL WHERE token.revoked_at IS NOT NULL";
    char at[TS_LEN + 1];
    ts_format(a->now, at);
    int64_t n;
    enum err rc = pgs_changed(c, &n, put, "add token", "ttttt", a->name, store_role_name(a->role),
                              a->site, a->hash, at);
    if (rc == ERR_OK && n == 0)
        rc = pgs_fail(ERR_EXISTS, "add token", "a token named '%s' exists", a->name);
    return rc;
}

enum err pgs_token_add(struct store *base, const char *name, enum store_role role, const char *site,
                       const char *hash, int64_t now)
{
    struct token_arg a = {name, role, site, hash, now};
    return pgs_in_tx(pgs(base), false, token_add, &a);
}

/* One statement with the strings of `types` ("t" or "tt") on a
 * connection of the pool; *n rows changed. */
static enum err changed(struct store *base, int64_t *n, const char *sql, const char *what,
                        const char *types, const char *a, const char *b)
{
    PGconn *c;
    enum err rc = pgs_take(pgs(base), &c);
    if (rc == ERR_OK) {
        rc = pgs_changed(c, n, sql, what, types, a, b);
        pgs_put(pgs(base), c);
    }
    return rc;
}

enum err pgs_token_revoke(struct store *base, const char *name, int64_t now)
{
    static const char sql[] =
        "UPDATE token SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL";
    char at[TS_LEN + 1];
    ts_format(now, at);
    int64_t n;
    enum err rc = changed(base, &n, sql, "revoke token", "tt", name, at);
    if (rc == ERR_OK && n == 0)
        rc = pgs_fail(ERR_NOT_FOUND, "revoke token", "no live token is named '%s'", name);
    return rc;
}

static void token_from_row(const PGresult *r, int i, void *item)
{
    struct store_token *t = item;
    t->name = pgs_dup(r, i, 0);
    if (store_role_parse(PQgetvalue(r, i, 1), &t->role))
        t->role = STORE_KIOSK; /* unknown roles get the least rights */
    t->site = pgs_dup(r, i, 2);
    t->created_at = pgs_dup(r, i, 3);
    t->revoked_at = pgs_dup(r, i, 4);
}

enum err pgs_token_list(struct store *base, struct store_token **out, size_t *n)
{
    static const char sql[] =
        "SELECT name, role, site, created_at, revoked_at FROM token ORDER BY name";
    void *items;
    enum err rc =
        pgs_list(pgs(base), sql, sizeof **out, token_from_row, &items, n, "list tokens", "");
    *out = items;
    return rc;
}

enum err pgs_token_lookup(struct store *base, const char *hash, struct store_token *out)
{
    static const char sql[] = "SELECT name, role, site, created_at, revoked_at, hash FROM token"
                              " WHERE hash = $1 AND revoked_at IS NULL";
    memset(out, 0, sizeof *out);
    PGconn *c;
    PGresult *r;
    enum err rc = pgs_take(pgs(base), &c);
    if (rc)
        return rc;
    rc = pgs_exec(c, &r, sql, "find token", "t", hash);
    pgs_put(pgs(base), c);
    if (rc)
        return rc;
    /* The index found it; the comparison that decides is in constant time. */
    if (PQntuples(r) == 1 && auth_hash_equal(PQgetvalue(r, 0, 5), hash))
        token_from_row(r, 0, out);
    else
        rc = ERR_AUTH;
    PQclear(r);
    return rc;
}

/* ---- fleet ------------------------------------------------------------------------- */

struct fleet_arg {
    const struct store_seen *seen;
    size_t n;
};

static enum err fleet_put_all(struct pgs_store *st, PGconn *c, const void *p)
{
    (void)st;
    static const char sql[] =
        "INSERT INTO fleet(name, site, last_seen, cursor, version, outbox, address, fault)"
        " VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT(name) DO UPDATE SET"
        " site = coalesce(excluded.site, fleet.site),"
        " last_seen = coalesce(excluded.last_seen, fleet.last_seen),"
        " cursor = coalesce(excluded.cursor, fleet.cursor),"
        " version = coalesce(excluded.version, fleet.version),"
        " outbox = coalesce(excluded.outbox, fleet.outbox),"
        " address = coalesce(excluded.address, fleet.address), fault = excluded.fault"
        " WHERE " FLEET_NEWER;
    const struct fleet_arg *a = p;
    enum err rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < a->n; i++) {
        const struct store_seen *k = &a->seen[i];
        rc = pgs_exec(c, NULL, sql, "record fleet", "tttntntt", k->name, k->site, k->last_seen,
                      (int64_t)k->cursor, k->version, (int64_t)k->outbox, k->address, k->fault);
    }
    return rc;
}

enum err pgs_fleet_record(struct store *base, const struct store_seen *seen, size_t n)
{
    struct fleet_arg a = {seen, n};
    return n ? pgs_in_tx(pgs(base), false, fleet_put_all, &a) : ERR_OK;
}

static void kiosk_from_row(const PGresult *r, int i, void *item)
{
    struct store_kiosk *k = item;
    k->name = pgs_dup(r, i, 0);
    k->site = pgs_dup(r, i, 1);
    k->last_seen = pgs_dup(r, i, 2);
    k->cursor = pgs_int(r, i, 3);
    k->version = pgs_dup(r, i, 4);
    k->outbox = PQgetisnull(r, i, 5) ? -1 : pgs_int(r, i, 5);
    k->address = pgs_dup(r, i, 6);
    k->fault = pgs_dup(r, i, 7);
}

enum err pgs_fleet_list(struct store *base, struct store_kiosk **out, size_t *n)
{
    static const char sql[] =
        "SELECT t.name, t.site, f.last_seen, f.cursor, f.version, f.outbox, f.address, f.fault"
        " FROM token t LEFT JOIN fleet f ON f.name = t.name"
        " WHERE t.role = 'kiosk' AND t.revoked_at IS NULL ORDER BY t.name";
    void *items;
    enum err rc =
        pgs_list(pgs(base), sql, sizeof **out, kiosk_from_row, &items, n, "list fleet", "");
    *out = items;
    return rc;
}

/* ---- staff accounts and the audit trail --------------------------------------------- */

struct user_arg {
    const char *name;
    enum store_role role;
    const char *hash;
    const char *signature;
    int64_t now;
};

static enum err user_add(struct pgs_store *st, PGconn *c, const void *p)
{
    (void)st;
    const struct user_arg *a = p;
    /* The name must be free of live tokens too (one exactly-once space);
     * the insert adds nothing when it is not. */
    static const char put[] = "INSERT INTO staff_user(name, role, hash, created_at, signature)"
                              " SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS"
                              " (SELECT 1 FROM token WHERE name = $1 AND revoked_at IS NULL)"
                              " ON CONFLICT(name) DO NOTHING";
    char at[TS_LEN + 1];
    ts_format(a->now, at);
    int64_t n;
    enum err rc = pgs_changed(c, &n, put, "add user", "ttttt", a->name, store_role_name(a->role),
                              a->hash, at, a->signature);
    if (rc == ERR_OK && n == 0)
        rc = pgs_fail(ERR_EXISTS, "add user", "the name '%s' is taken by an account or a token",
                      a->name);
    return rc;
}

enum err pgs_user_add(struct store *base, const char *name, enum store_role role, const char *hash,
                      const char *signature, int64_t now)
{
    struct user_arg a = {name, role, hash, signature, now};
    return pgs_in_tx(pgs(base), false, user_add, &a);
}

/* ERR_NOT_FOUND (with the message) when the statement changed no row. */
static enum err one_user(struct store *base, const char *sql, const char *what, const char *types,
                         const char *name, const char *b)
{
    int64_t n;
    enum err rc = changed(base, &n, sql, what, types, name, b);
    if (rc == ERR_OK && n == 0)
        rc = pgs_fail(ERR_NOT_FOUND, what, "no account is named '%s'", name);
    return rc;
}

enum err pgs_user_sign(struct store *base, const char *name, const char *signature)
{
    static const char sql[] = "UPDATE staff_user SET signature = $2 WHERE name = $1";
    return one_user(base, sql, "sign user", "tt", name, signature);
}

/* The account and its sessions, in one transaction. */
static enum err user_remove(struct pgs_store *st, PGconn *c, const void *p)
{
    (void)st;
    const char *name = p;
    int64_t n;
    enum err rc =
        pgs_changed(c, &n, "DELETE FROM staff_user WHERE name = $1", "remove user", "t", name);
    if (rc == ERR_OK && n == 0)
        rc = pgs_fail(ERR_NOT_FOUND, "remove user", "no account is named '%s'", name);
    if (rc == ERR_OK)
        rc = pgs_exec(c, NULL, "DELETE FROM console_session WHERE \"user\" = $1",
                      "end the account's sessions", "t", name);
    return rc;
}

enum err pgs_user_remove(struct store *base, const char *name)
{
    return pgs_in_tx(pgs(base), false, user_remove, name);
}

/* ---- console sessions (store.h): only the cookie's hash is stored ------------------- */

struct session_arg {
    const char *hash, *user;
    int64_t expires, now, max;
};

/* The count and the insert under a transaction-level advisory lock of
 * their own, so two hubs adding at once cannot both pass `max`. */
static enum err session_add(struct pgs_store *st, PGconn *c, const void *p)
{
    (void)st;
    const struct session_arg *a = p;
    PGresult *r;
    enum err rc = pgs_exec(c, NULL, "SELECT pg_advisory_xact_lock(" PGS_LOCK_SESSIONS ")",
                           "lock sessions", "");
    if (rc == ERR_OK)
        rc = pgs_exec(c, NULL, "DELETE FROM console_session WHERE expires <= $1",
                      "forget ended sessions", "i", a->now);
    if (rc == ERR_OK)
        rc = pgs_exec(c, &r, "SELECT count(*) FROM console_session", "count sessions", "");
    if (rc)
        return rc;
    bool full = pgs_int(r, 0, 0) >= a->max;
    PQclear(r);
    if (full)
        return pgs_fail(ERR_TOO_BIG, "add a session", "%lld sessions are open", (long long)a->max);
    return pgs_exec(c, NULL,
                    "INSERT INTO console_session(hash, \"user\", expires) VALUES($1, $2, $3)",
                    "add a session", "tti", a->hash, a->user, a->expires);
}

enum err pgs_session_add(struct store *base, const char *hash, const char *user, int64_t expires,
                         int64_t now, size_t max)
{
    struct session_arg a = {hash, user, expires, now, (int64_t)max};
    return pgs_in_tx(pgs(base), false, session_add, &a);
}

struct session_row {
    char *user;
    int64_t expires;
    enum store_role role;
};

static void session_from_row(const PGresult *r, int i, void *item)
{
    struct session_row *a = item;
    a->user = pgs_dup(r, i, 0);
    a->expires = pgs_int(r, i, 1);
    a->role = store_console_role(PQgetvalue(r, i, 2));
}

/* Looked up by the hash of a 256-bit random cookie: an index lookup tells
 * an attacker nothing about a hash it cannot choose the preimage of. */
enum err pgs_session_get(struct store *base, const char *hash, int64_t now, char **user,
                         enum store_role *role, int64_t *expires)
{
    static const char sql[] = "SELECT s.\"user\", s.expires, u.role FROM console_session s"
                              " JOIN staff_user u ON u.name = s.\"user\""
                              " WHERE s.hash = $1 AND s.expires > $2";
    *user = NULL;
    *expires = 0;
    void *p;
    size_t n;
    enum err rc = pgs_list(pgs(base), sql, sizeof(struct session_row), session_from_row, &p, &n,
                           "find a session", "ti", hash, now);
    struct session_row *items = p;
    if (rc == ERR_OK && n == 1) {
        *user = items[0].user;
        *role = items[0].role;
        *expires = items[0].expires;
    } else if (rc == ERR_OK) {
        rc = ERR_AUTH;
    }
    free(items);
    return rc;
}

enum err pgs_session_end(struct store *base, const char *hash)
{
    int64_t n;
    return changed(base, &n, "DELETE FROM console_session WHERE hash = $1", "end a session", "t",
                   hash, NULL);
}

static void user_from_row(const PGresult *r, int i, void *item)
{
    struct store_user *u = item;
    u->name = pgs_dup(r, i, 0);
    u->role = store_console_role(PQgetvalue(r, i, 1));
    u->hash = pgs_dup(r, i, 2);
    u->created_at = pgs_dup(r, i, 3);
    u->signature = pgs_dup(r, i, 4);
}

enum err pgs_user_list(struct store *base, struct store_user **out, size_t *n)
{
    static const char sql[] =
        "SELECT name, role, hash, created_at, signature FROM staff_user ORDER BY name";
    void *items;
    enum err rc =
        pgs_list(pgs(base), sql, sizeof **out, user_from_row, &items, n, "list users", "");
    *out = items;
    return rc;
}

enum err pgs_user_get(struct store *base, const char *name, struct store_user *out)
{
    static const char sql[] =
        "SELECT name, role, hash, created_at, signature FROM staff_user WHERE name = $1";
    memset(out, 0, sizeof *out);
    struct store_user *items;
    size_t n;
    void *p;
    enum err rc =
        pgs_list(pgs(base), sql, sizeof *items, user_from_row, &p, &n, "find user", "t", name);
    items = p;
    if (rc == ERR_OK && n == 1)
        *out = items[0];
    else if (rc == ERR_OK)
        rc = pgs_fail(ERR_NOT_FOUND, "find user", "no account is named '%s'", name);
    free(items); /* the array; its one item, when any, is *out's now */
    return rc;
}

static enum err audit_add(struct pgs_store *st, PGconn *c, const void *p)
{
    (void)st;
    const struct store_audit *a = p;
    static const char sql[] =
        "INSERT INTO audit(at, who, action, tbl, row_id, status, detail, error, field)"
        " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    return pgs_exec(c, NULL, sql, "add audit entry", "ttttttttt", a->at, a->user, a->action,
                    a->table, a->row_id, a->status, a->detail, a->error, a->field);
}

enum err pgs_audit_add(struct store *base, const struct store_audit *a)
{
    return pgs_in_tx(pgs(base), false, audit_add, a);
}

static void audit_from_row(const PGresult *r, int i, void *item)
{
    struct store_audit *a = item;
    a->id = pgs_int(r, i, 0);
    a->at = pgs_dup(r, i, 1);
    a->user = pgs_dup(r, i, 2);
    a->action = pgs_dup(r, i, 3);
    a->table = pgs_dup(r, i, 4);
    a->row_id = pgs_dup(r, i, 5);
    a->status = pgs_dup(r, i, 6);
    a->detail = pgs_dup(r, i, 7);
    a->error = pgs_dup(r, i, 8);
    a->field = pgs_dup(r, i, 9);
}

enum err pgs_audit_list(struct store *base, size_t limit, struct store_audit **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, at, who, action, tbl, row_id, status, detail, error, field"
        " FROM audit ORDER BY id DESC LIMIT $1";
    void *items;
    enum err rc = pgs_list(pgs(base), sql, sizeof **out, audit_from_row, &items, n, "list audit",
                           "i", (int64_t)limit);
    *out = items;
    return rc;
}

/* ---- the public calendars (store_sqlite_calendar.c reads the same) ------------------ */

static void event_from_row(const PGresult *r, int i, void *item)
{
    struct store_event *e = item;
    e->id = pgs_dup(r, i, 0);
    e->title = pgs_dup(r, i, 1);
    e->description = pgs_dup(r, i, 2);
    e->starts_at = pgs_dup(r, i, 3);
    e->ends_at = pgs_dup(r, i, 4);
    e->place = pgs_dup(r, i, 5);
    e->url = pgs_dup(r, i, 6);
    e->rrule = pgs_dup(r, i, 7);
}

enum err pgs_events(struct store *base, int64_t from, int64_t to, size_t limit,
                    struct store_event **out, size_t *n)
{
    static const char sql[] =
        "SELECT e.id, e.title, e.description, e.starts_at, e.ends_at,"
        " coalesce(e.place, r.name || ', ' || s.name, r.name, s.name), e.url, e.rrule"
        " FROM event e LEFT JOIN room r ON r.id = e.room_id LEFT JOIN site s ON s.id = e.site_id"
        " WHERE e.starts_at < $2 AND (e.starts_at >= $1 OR e.rrule IS NOT NULL)"
        " ORDER BY e.starts_at, e.id LIMIT $3";
    char a[TS_LEN + 1], b[TS_LEN + 1];
    ts_format(from, a);
    ts_format(to, b);
    void *items;
    enum err rc = pgs_list(pgs(base), sql, sizeof **out, event_from_row, &items, n, "list events",
                           "tti", a, b, (int64_t)limit);
    *out = items;
    return rc;
}

static void span_from_row(const PGresult *r, int i, void *item)
{
    struct store_span *b = item;
    b->id = pgs_dup(r, i, 0);
    b->starts_at = pgs_dup(r, i, 1);
    b->ends_at = pgs_dup(r, i, 2);
}

static void name_from_row(const PGresult *r, int i, void *item)
{
    *(char **)item = pgs_dup(r, i, 0);
}

enum err pgs_busy(struct store *base, const char *room, int64_t from, int64_t to, size_t limit,
                  char **room_name, struct store_span **out, size_t *n)
{
    static const char room_sql[] = "SELECT name FROM room WHERE id = $1 AND bookable = 1";
    /* A booking lasts at most RULES_BOOKING_MAX: the index bounds the
     * scan from both sides. */
    static const char sql[] =
        "SELECT id, starts_at, ends_at FROM booking WHERE room_id = $1 AND status = 'confirmed'"
        " AND starts_at < $3 AND ends_at > $2 AND starts_at >= $4"
        " ORDER BY starts_at, id LIMIT $5";
    *out = NULL;
    *n = 0;
    *room_name = NULL;
    void *names;
    size_t found;
    enum err rc = pgs_list(pgs(base), room_sql, sizeof(char *), name_from_row, &names, &found,
                           "find room", "t", room);
    if (rc == ERR_OK && found == 1)
        *room_name = *(char **)names;
    free(names);
    if (rc || !*room_name)
        return rc ? rc : pgs_fail(ERR_NOT_FOUND, "find room", "no bookable room '%s'", room);
    char a[TS_LEN + 1], b[TS_LEN + 1], earliest[TS_LEN + 1];
    ts_format(from, a);
    ts_format(to, b);
    ts_format(from - RULES_BOOKING_MAX, earliest);
    void *items = NULL;
    rc = pgs_list(pgs(base), sql, sizeof **out, span_from_row, &items, n, "list bookings", "tttti",
                  room, a, b, earliest, (int64_t)limit);
    *out = items;
    return rc;
}
