/* store: the hub's storage, behind one narrow interface.
 *
 * http.c and main.c see only this header: a `struct store` handle, the
 * operations the protocol needs (apply one push change, read the changes
 * after a cursor, the database's epoch and head, tokens, the fleet, the
 * holder sweep, the tombstone purge) and nothing of SQL. A backend fills a `struct store_ops`
 * table; store_sqlite.c is the one we have, and a PostgreSQL backend would
 * be a second table chosen in main.c, with http.c untouched.
 *
 * Every operation is safe to call from several threads at once (the
 * backend serialises what it must). No backend decides anything about a
 * pushed change: rules that need no storage (roles, booking times) live
 * in rules.c, and the ones that need stored rows (exactly-once records,
 * references, overlaps, cancel codes, supports, budgets) in decide.c,
 * which asks the backend small questions through its `decide` table
 * (decide.h), so every backend applies the same rules by construction.
 * Start reading at store_apply(). */
#ifndef SCEAUX_HUB_STORE_H
#define SCEAUX_HUB_STORE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "changeset.h"
#include "err.h"
#include "id.h"
#include "tables.h"

enum store_role {
    STORE_KIOSK,
    STORE_STAFF,
    STORE_ADMIN,
};

/* "kiosk", "staff", "admin". */
const char *store_role_name(enum store_role r);
/* ERR_INVALID for any other name. */
MUST_USE enum err store_role_parse(const char *name, enum store_role *out);
/* A console account's stored role: an unknown one (or "kiosk") gets the
 * least rights a console user can have, STORE_STAFF. */
enum store_role store_console_role(const char *name);

/* Who sends a change. `name` is the token name: it keys the exactly-once
 * record and becomes created_by. Imports run with dedup false: a content
 * file may be loaded again after it was edited. `refund` when
 * store_push_budget() said so for the push: a change found decided before
 * gives its charge back to `name`'s push budget. */
struct store_caller {
    const char *name; /* borrowed */
    enum store_role role;
    const char *site; /* borrowed; a kiosk's site, or NULL */
    bool dedup;
    bool refund;
};

/* The state a pull page is cut against. */
struct store_state {
    char epoch[ID_MAX + 1];
    int64_t head;    /* seq of the latest applied change, 0 when none */
    int64_t horizon; /* the highest purged tombstone's seq (0: none): a cursor
                      * below it may have missed a delete */
};

/* One entry of a pull: the latest state of one row. */
struct store_change {
    int64_t seq;
    const struct table *table;
    int op;      /* CS_UPSERT or CS_DELETE */
    char *id;    /* owned */
    json_t *row; /* owned; every stored column (hub ones too); NULL for a delete */
};

struct store_page {
    struct store_state state;     /* read in the same transaction as the changes */
    struct store_change *changes; /* owned array, ascending seq */
    size_t count;
    bool more; /* rows after the last one returned exist */
};

struct store_token {
    char *name; /* owned */
    enum store_role role;
    char *site;       /* owned or NULL */
    char *created_at; /* owned */
    char *revoked_at; /* owned or NULL */
};

/* What the hub knows of one kiosk (GET /v1/fleet). Strings owned, NULL
 * when never seen; outbox -1 when never sent. */
struct store_kiosk {
    char *name;
    char *site;
    char *last_seen;
    int64_t cursor;
    char *version;
    int64_t outbox;
    char *address;
    char *fault; /* a fault.h code the kiosk last reported, NULL when none */
};

/* A batch of fleet observations to merge in; NULL or -1 keeps the stored
 * value (a request without the headers keeps the last ones), except for
 * fault, written as it is: a request without one says there is none. An
 * observation older than the stored one changes nothing: several hubs
 * flush what they saw of a kiosk that moved between them in any order. */
struct store_seen {
    const char *name;
    const char *site;
    const char *last_seen;
    int64_t cursor; /* -1: no pull in this batch */
    const char *version;
    int64_t outbox;
    const char *address;
    const char *fault; /* a fault.h code (fault_name), NULL for none */
};

/* Staff accounts and the audit trail (the console). */

/* A staff account; strings owned. */
struct store_user {
    char *name;
    enum store_role role; /* STORE_STAFF or STORE_ADMIN */
    char *hash;           /* users.h password hash */
    char *created_at;
    char *signature; /* announcements' public author; NULL: the service's (console.h) */
};

/* One audit entry: a console login or logout, or a change a staff member
 * pushed with its result. Strings owned when read, borrowed when added;
 * NULL when not relevant. */
struct store_audit {
    int64_t id; /* ascending; set by the store */
    char *at;
    char *user;
    char
        *action; /* "upsert", "delete", "invalid", "login", "login_failed", "logout", "signature" */
    char *table;
    char *row_id;
    char *status; /* push status ("applied", "rejected", ...) or "ok" */
    char *detail; /* a title, a status: a short line for people */
    char *error;  /* a refused change's error code, else NULL */
    char *field;  /* and the field it names, else NULL */
};

/* The public calendars (GET /v1/agenda.ics, /v1/rooms/ID/busy.ics).
 * Strings owned; times in the wire form (ts.h). */

/* One event of the agenda; place is the event's, else its room and site,
 * as the kiosk shows it; NULL when none. */
struct store_event {
    char *id;
    char *title;
    char *description;
    char *starts_at, *ends_at;
    char *place;
    char *url;
    char *rrule; /* NULL: once */
};

/* A confirmed booking's time, and nothing of who or why. */
struct store_span {
    char *id;
    char *starts_at, *ends_at;
};

struct store;
struct decide_ops;

/* Who hears the commits other processes make (store_watch). Both are
 * called from the store's own thread. */
struct store_watcher {
    /* A commit was heard: the head and horizon as of it (or as read just
     * after listening began). Values only grow between calls. */
    void (*heard)(void *arg, int64_t head, int64_t horizon);
    /* Listening began (on) or was lost (off, `why` says how, borrowed for
     * the call): while it is off, the caller reads the head itself. */
    void (*listening)(void *arg, bool on, const char *why);
    void *arg; /* borrowed: must outlive store_unwatch() */
};

struct store_ops {
    void (*close)(struct store *s);
    enum err (*state)(struct store *s, struct store_state *out);
    const struct decide_ops *decide; /* store_apply, store_push_budget (decide.h) */
    enum err (*changes)(struct store *s, int64_t since, size_t limit, struct store_page *out);
    enum err (*token_add)(struct store *s, const char *name, enum store_role role, const char *site,
                          const char *hash, int64_t now);
    enum err (*token_revoke)(struct store *s, const char *name, int64_t now);
    enum err (*token_list)(struct store *s, struct store_token **out, size_t *n);
    enum err (*token_lookup)(struct store *s, const char *hash, struct store_token *out);
    enum err (*fleet_record)(struct store *s, const struct store_seen *seen, size_t n);
    enum err (*fleet_list)(struct store *s, struct store_kiosk **out, size_t *n);
    enum err (*erase_holders)(struct store *s, int64_t ended_before, int64_t *erased);
    enum err (*erase_offers)(struct store *s, int64_t created_upto, int64_t *erased);
    enum err (*purge_tombstones)(struct store *s, int64_t upto, int64_t *purged);
    enum err (*backup)(struct store *s, const char *out_path);
    enum err (*user_add)(struct store *s, const char *name, enum store_role role, const char *hash,
                         const char *signature, int64_t now);
    enum err (*user_sign)(struct store *s, const char *name, const char *signature);
    enum err (*user_remove)(struct store *s, const char *name);
    enum err (*user_list)(struct store *s, struct store_user **out, size_t *n);
    enum err (*user_get)(struct store *s, const char *name, struct store_user *out);
    enum err (*session_add)(struct store *s, const char *hash, const char *user, int64_t expires,
                            int64_t now, size_t max);
    enum err (*session_get)(struct store *s, const char *hash, int64_t now, char **user,
                            enum store_role *role, int64_t *expires);
    enum err (*session_end)(struct store *s, const char *hash);
    enum err (*audit_add)(struct store *s, const struct store_audit *a);
    enum err (*audit_list)(struct store *s, size_t limit, struct store_audit **out, size_t *n);
    enum err (*events)(struct store *s, int64_t from, int64_t to, size_t limit,
                       struct store_event **out, size_t *n);
    enum err (*busy)(struct store *s, const char *room, int64_t from, int64_t to, size_t limit,
                     char **room_name, struct store_span **out, size_t *n);
    const char *(*errmsg)(struct store *s);
    /* NULL in a backend one process serves alone (SQLite). */
    void (*watch)(struct store *s, const struct store_watcher *w);
    void (*unwatch)(struct store *s);
    enum err (*sweep_turn)(struct store *s, bool *mine);
};

/* Every backend's handle starts with this. */
struct store {
    const struct store_ops *ops;
};

/* Lifecycle */

void store_close(struct store *s); /* NULL is fine */
/* The last error's sentence ("" when none), valid until the next call
 * from the same thread. */
const char *store_errmsg(struct store *s);

/* Reading */

MUST_USE enum err store_state(struct store *s, struct store_state *out);
/* Up to `limit` changes with seq > since, ascending, plus the state they
 * were read against. Free with store_page_free(). */
MUST_USE enum err store_changes(struct store *s, int64_t since, size_t limit,
                                struct store_page *out);
void store_page_free(struct store_page *p);

/* Writing */

#define STORE_CODE_TRIES 5          /* wrong cancel codes on a booking ... */
#define STORE_CODE_WINDOW 3600      /* ... within this many seconds lock it */
#define STORE_REJECTED_PER_HOUR 100 /* rejected exactly-once records per token */
#define STORE_CHANGES_PER_HOUR 3000 /* changes a kiosk token may push */

/* Applies one parsed push change for `who`, in its own transaction
 * together with its exactly-once record, and fills `out` (out->id is
 * borrowed from c). A change refused by the rules is ERR_OK with
 * out->status "rejected"; an error return means storage failed and nothing
 * of this change was applied. `now` is the hub's clock: it also dates the
 * cancel-code lock (STORE_CODE_TRIES wrong codes within
 * STORE_CODE_WINDOW: bad_code without looking) and the hourly budget of
 * rejected records (past STORE_REJECTED_PER_HOUR a rejected change is
 * answered the same but not recorded, so its retry is decided again). */
MUST_USE enum err store_apply(struct store *s, const struct store_caller *who,
                              const struct push_change *c, int64_t now, struct push_result *out);
/* Counts the changes of c[0..n) pushed by `token` at `now` against its
 * hourly budget (STORE_CHANGES_PER_HOUR, for kiosk tokens: what a public
 * screen may write, rows and exactly-once records, stays bounded), those
 * already decided (a retry's duplicates) not counted. *retry_after is 0
 * when they fit (they are counted), else the seconds until the budget
 * comes back (nothing counted). A push that fits whole and does not
 * begin with a change decided before (a retry) is counted whole without
 * looking its changes up (a round trip each): then *refund is true, and
 * the push's store_apply() calls, with `now` and who->refund set, give
 * back the duplicates they find, in their own transactions. */
MUST_USE enum err store_push_budget(struct store *s, const char *token, const struct push_change *c,
                                    size_t n, int64_t now, int64_t *retry_after, bool *refund);
/* Deletes (tombstones) bookings that ended before `ended_before`, so the
 * holders' names leave the hub and every kiosk. */
MUST_USE enum err store_erase_holders(struct store *s, int64_t ended_before, int64_t *erased);
/* Deletes (tombstones) the help offers made at or before `created_upto`,
 * passed on or not, so the names and contacts leave the hub and the
 * consoles. */
MUST_USE enum err store_erase_offers(struct store *s, int64_t created_upto, int64_t *erased);
/* In one transaction: forgets the delete tombstones written at or before
 * `upto` (a pull from 0 no longer lists them) and raises the horizon to the
 * highest purged seq, so a cursor below it is answered `reset` and a cursor
 * at or above it is not. *purged = how many; the horizon is untouched when
 * none. The exactly-once records written at or before `upto` are
 * forgotten too (not counted in *purged). */
MUST_USE enum err store_purge_tombstones(struct store *s, int64_t upto, int64_t *purged);

/* Several processes on one database (PostgreSQL) */

/* Starts telling w (copied) of every commit, whoever makes it, until
 * store_unwatch(); nothing when the backend cannot (SQLite: the caller
 * reads the head now and then, as it does until w is told listening). */
void store_watch(struct store *s, const struct store_watcher *w);
/* Stops it: no call to the watcher once this returns. NULL-safe, and
 * fine when store_watch() was not called. */
void store_unwatch(struct store *s);
/* Whether this process runs the periodic sweeps (the erasures and the
 * purge above) this round: on a database several hubs share, one at a
 * time, the one that holds the sweep lock, until it stops; always when the
 * backend has one process (SQLite). An error: *mine false. */
MUST_USE enum err store_sweep_turn(struct store *s, bool *mine);

/* Tokens: only hashes (auth.h) are stored. */

/* ERR_EXISTS when a token that is not revoked has this name; a revoked
 * name is reused (the kiosk keeps its name and exactly-once record). */
MUST_USE enum err store_token_add(struct store *s, const char *name, enum store_role role,
                                  const char *site, const char *hash, int64_t now);
/* ERR_NOT_FOUND when no live token has this name. */
MUST_USE enum err store_token_revoke(struct store *s, const char *name, int64_t now);
MUST_USE enum err store_token_list(struct store *s, struct store_token **out, size_t *n);
/* The live token whose hash is `hash` (compared in constant time), or
 * ERR_AUTH. Fill is released with store_token_release(). */
MUST_USE enum err store_token_lookup(struct store *s, const char *hash, struct store_token *out);
void store_token_release(struct store_token *t);
void store_tokens_free(struct store_token *t, size_t n);

/* Fleet */

/* The condition that ends both backends' fleet upsert (last_seen is the
 * wire form, which sorts as text). */
#define FLEET_NEWER                                                                                \
    "(excluded.last_seen IS NULL OR fleet.last_seen IS NULL"                                       \
    " OR excluded.last_seen >= fleet.last_seen)"

MUST_USE enum err store_fleet_record(struct store *s, const struct store_seen *seen, size_t n);
/* Every live kiosk token, seen or not. */
MUST_USE enum err store_fleet_list(struct store *s, struct store_kiosk **out, size_t *n);
void store_fleet_free(struct store_kiosk *k, size_t n);

/* Files */

/* A consistent copy of the live database at out_path. */
MUST_USE enum err store_backup(struct store *s, const char *out_path);

/* Staff accounts (sceaux-hub user ...) */

/* ERR_EXISTS when the name is taken by an account or a live token (they
 * share the exactly-once record space). `signature` may be NULL. */
MUST_USE enum err store_user_add(struct store *s, const char *name, enum store_role role,
                                 const char *hash, const char *signature, int64_t now);
/* Sets the account's signature (NULL: back to the default); ERR_NOT_FOUND
 * when there is no such account. */
MUST_USE enum err store_user_sign(struct store *s, const char *name, const char *signature);
/* ERR_NOT_FOUND when there is no such account. */
MUST_USE enum err store_user_remove(struct store *s, const char *name);
MUST_USE enum err store_user_list(struct store *s, struct store_user **out, size_t *n);
/* ERR_NOT_FOUND when there is no such account; release with
 * store_user_release(). */
MUST_USE enum err store_user_get(struct store *s, const char *name, struct store_user *out);

/* Console sessions (session.h) live in the database, so that every hub on
 * it knows a session another one opened. Only the hash of the cookie
 * (auth.h) is stored; removing an account ends its sessions. */
/* Adds session `hash` of `user` until `expires`, once the sessions ended
 * by `now` are forgotten; ERR_TOO_BIG when `max` are live. */
MUST_USE enum err store_session_add(struct store *s, const char *hash, const char *user,
                                    int64_t expires, int64_t now, size_t max);
/* The account (*user, new string), its role as it is now and the end of
 * the live session `hash`, in one read (a console request asks it each
 * time), or ERR_AUTH. */
MUST_USE enum err store_session_get(struct store *s, const char *hash, int64_t now, char **user,
                                    enum store_role *role, int64_t *expires);
/* Ends session `hash`, if there is one. */
MUST_USE enum err store_session_end(struct store *s, const char *hash);
void store_user_release(struct store_user *u);
void store_users_free(struct store_user *u, size_t n);

/* Audit trail: entries are only added, read newest first. */
MUST_USE enum err store_audit_add(struct store *s, const struct store_audit *a);
MUST_USE enum err store_audit_list(struct store *s, size_t limit, struct store_audit **out,
                                   size_t *n);
void store_audit_free(struct store_audit *a, size_t n);

/* Public calendars */

/* Up to `limit` events starting in [from, to), by start time. */
MUST_USE enum err store_events(struct store *s, int64_t from, int64_t to, size_t limit,
                               struct store_event **out, size_t *n);
void store_events_free(struct store_event *e, size_t n);
/* Up to `limit` confirmed bookings of the bookable room `room` that
 * overlap [from, to), by start time, and the room's name (*room_name,
 * new). ERR_NOT_FOUND when there is no such room or it is not bookable:
 * its use is nobody's business then. */
MUST_USE enum err store_busy(struct store *s, const char *room, int64_t from, int64_t to,
                             size_t limit, char **room_name, struct store_span **out, size_t *n);
void store_spans_free(struct store_span *b, size_t n);

/* Opening a store: --db names a SQLite file, or a PostgreSQL database by
 * its URL (postgresql://... or postgres://...). */
bool store_is_pg_url(const char *db);

/* The SQLite backend (store_sqlite.c). */

MUST_USE enum err store_sqlite_open(const char *path, struct store **out, char *errbuf,
                                    size_t errlen);
/* Replaces the database at `path` with a copy of `from` (a hub database)
 * and gives it a new epoch. The hub must not be running on `path`. */
MUST_USE enum err store_sqlite_restore(const char *path, const char *from, char *errbuf,
                                       size_t errlen);

/* The PostgreSQL backend (store_pg.c): connects to `url` (a libpq
 * connection URI), creates or migrates the schema. Backups are pg_dump's
 * (store_backup refuses). */
MUST_USE enum err store_pg_open(const char *url, struct store **out, char *errbuf, size_t errlen);

#endif
