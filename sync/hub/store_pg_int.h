/* store_pg_int: what the files of the PostgreSQL backend share
 * (store_pg.c, _schema.c, _admin.c, _apply.c). `pgs_` is the backend's
 * internal prefix; nothing outside these files includes this header.
 *
 * Statements are parameterised (PQexecParams, every value sent as text
 * and typed by the server from its place), run on a connection taken from
 * the store's pool for one operation. Errors fill this thread's message
 * (pgs_fail), which store_errmsg() returns. */
#ifndef SCEAUX_HUB_STORE_PG_INT_H
#define SCEAUX_HUB_STORE_PG_INT_H
#include <jansson.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "tables.h"

#define PGS_POOL 8 /* connections per hub process, opened on demand */

/* Advisory locks' keys: any numbers, as long as they differ. */
#define PGS_LOCK_WRITER "5314"   /* seq and commit order (store_pg.c) */
#define PGS_LOCK_SESSIONS "5315" /* the console sessions' count (_admin.c) */
#define PGS_LOCK_SWEEP "5316"    /* one hub sweeps at a time (_hubs.c) */

/* The channel every change of meta notifies (no payload: listeners read
 * meta, store_pg_hubs.c). */
#define PGS_CHANNEL "sceaux_head"

struct pgs_hearing; /* store_pg_hubs.c */

struct pgs_store {
    struct store base;
    char *url;
    pthread_mutex_t lock; /* guards conns and idle */
    pthread_cond_t freed;
    PGconn *conns[PGS_POOL];
    bool idle[PGS_POOL];
    int nconns;
    char *get_sql[16];  /* per table of tables_all: SELECT of every stored column */
    char *page_sql[16]; /* per table: its rows that rowlog lists in a seq range */
    char *put_sql[16];  /* per table: INSERT ... ON CONFLICT DO UPDATE */
    char *del_sql[16];
    struct pgs_hearing *hearing; /* the LISTEN thread, NULL when none */
    pthread_mutex_t sweep_lock;  /* guards the two below */
    PGconn *sweep_conn;          /* holds the sweep lock while this hub sweeps */
    bool sweeping;               /* it holds it */
};

static inline struct pgs_store *pgs(struct store *s)
{
    return (struct pgs_store *)s;
}

/* A new connection to url, named `app` in pg_stat_activity; check
 * PQstatus. */
PGconn *pgs_connect(const char *url, const char *app);
/* Whether an idle connection of the pool or of the sweep lock was
 * dropped: those LISTEN to nothing, so bytes or an end of file there are
 * the server's goodbye (a restart, an administrator's kill). */
bool pgs_dropped(PGconn *c);
/* Connections: a connection of the pool for one operation (reset first
 * when the server dropped it), given back with pgs_put. */
MUST_USE enum err pgs_take(struct pgs_store *st, PGconn **out);
void pgs_put(struct pgs_store *st, PGconn *c);

/* Fills this thread's message ("what: detail") and returns code. */
enum err pgs_fail(enum err code, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *pgs_errmsg(struct store *base);

/* One statement with one parameter per letter of `types`, $1, $2...: 't'
 * a string (NULL sends NULL), 'i' an int64_t, 'n' an int64_t sent as NULL
 * when negative (pass int64_t exactly: varargs). *out (when not NULL) is
 * the result, for the caller to PQclear; NULL on failure. A refusal maps
 * to ERR_CONFLICT (a unique key), ERR_BUSY (a serialisation failure or a
 * deadlock), ERR_NET (the connection is gone), else ERR_DB. */
MUST_USE enum err pgs_exec(PGconn *c, PGresult **out, const char *sql, const char *what,
                           const char *types, ...);
/* The rows a statement without a result changed (UPDATE, DELETE). */
MUST_USE enum err pgs_changed(PGconn *c, int64_t *n, const char *sql, const char *what,
                              const char *types, ...);
/* A new string of column col of row 0 of r, NULL when null or no row. */
char *pgs_dup(const PGresult *r, int row, int col);
int64_t pgs_int(const PGresult *r, int row, int col); /* 0 when null */

/* Transactions: takes a connection, BEGINs, runs fn(st, c, arg), COMMITs
 * when it returns ERR_OK, else rolls back. A `writer` transaction first
 * takes the hub-wide writer lock (store_pg.c: why seq and commit order
 * agree). */
MUST_USE enum err pgs_in_tx(struct pgs_store *st, bool writer,
                            enum err (*fn)(struct pgs_store *, PGconn *, const void *),
                            const void *arg);
MUST_USE enum err pgs_begin(PGconn *c, bool writer);
MUST_USE enum err pgs_commit(PGconn *c);
void pgs_rollback(PGconn *c);

/* Takes a connection: one `size`-byte item per row of `sql` (parameters
 * as pgs_exec), filled by `fill`, in a new array *out of *n items. */
MUST_USE enum err pgs_list(struct pgs_store *st, const char *sql, size_t size,
                           void (*fill)(const PGresult *, int, void *), void **out, size_t *n,
                           const char *what, const char *types, ...);

/* Rows: every stored column as JSON; *out NULL when there is no row. */
MUST_USE enum err pgs_get_row(struct pgs_store *st, PGconn *c, const struct table *t,
                              const char *id, json_t **out);
/* Bumps meta.head and returns it: the seq of the change being written. */
MUST_USE enum err pgs_next_seq(PGconn *c, int64_t *seq);
MUST_USE enum err pgs_rowlog_put(PGconn *c, const char *tbl, const char *id, int op, int64_t seq);
/* Stores `row` under a new seq, logged for pulls (not a hub-only table). */
MUST_USE enum err pgs_commit_row(struct pgs_store *st, PGconn *c, const struct table *t,
                                 json_t *row, int64_t *seq);
/* Deletes the row under a new seq, its tombstone logged for pulls. */
MUST_USE enum err pgs_delete_row(struct pgs_store *st, PGconn *c, const struct table *t,
                                 const char *id, int64_t *seq);

/* store_pg_schema.c: creates or migrates the schema on c. */
MUST_USE enum err pgs_migrate(PGconn *c);

/* store_pg_hubs.c: what the hubs on one database share beyond its rows:
 * hearing each other's commits (LISTEN) and taking turns at sweeps. */
void pgs_hubs_init(struct pgs_store *st);
void pgs_hubs_release(struct pgs_store *st); /* stops the LISTEN thread too */
void pgs_watch(struct store *base, const struct store_watcher *w);
void pgs_unwatch(struct store *base);
MUST_USE enum err pgs_sweep_turn(struct store *base, bool *mine);

/* The ops of the other files. */
extern const struct decide_ops pgs_decide_ops; /* store_pg_apply.c */
MUST_USE enum err pgs_erase_holders(struct store *base, int64_t ended_before, int64_t *erased);
MUST_USE enum err pgs_erase_offers(struct store *base, int64_t created_upto, int64_t *erased);
MUST_USE enum err pgs_token_add(struct store *base, const char *name, enum store_role role,
                                const char *site, const char *hash, int64_t now);
MUST_USE enum err pgs_token_revoke(struct store *base, const char *name, int64_t now);
MUST_USE enum err pgs_token_list(struct store *base, struct store_token **out, size_t *n);
MUST_USE enum err pgs_token_lookup(struct store *base, const char *hash, struct store_token *out);
MUST_USE enum err pgs_fleet_record(struct store *base, const struct store_seen *seen, size_t n);
MUST_USE enum err pgs_fleet_list(struct store *base, struct store_kiosk **out, size_t *n);
MUST_USE enum err pgs_user_add(struct store *base, const char *name, enum store_role role,
                               const char *hash, const char *signature, int64_t now);
MUST_USE enum err pgs_user_sign(struct store *base, const char *name, const char *signature);
MUST_USE enum err pgs_user_remove(struct store *base, const char *name);
MUST_USE enum err pgs_user_list(struct store *base, struct store_user **out, size_t *n);
MUST_USE enum err pgs_user_get(struct store *base, const char *name, struct store_user *out);
MUST_USE enum err pgs_session_add(struct store *base, const char *hash, const char *user,
                                  int64_t expires, int64_t now, size_t max);
MUST_USE enum err pgs_session_get(struct store *base, const char *hash, int64_t now, char **user,
                                  enum store_role *role, int64_t *expires);
MUST_USE enum err pgs_session_end(struct store *base, const char *hash);
MUST_USE enum err pgs_audit_add(struct store *base, const struct store_audit *a);
MUST_USE enum err pgs_audit_list(struct store *base, size_t limit, struct store_audit **out,
                                 size_t *n);
MUST_USE enum err pgs_events(struct store *base, int64_t from, int64_t to, size_t limit,
                             struct store_event **out, size_t *n);
MUST_USE enum err pgs_busy(struct store *base, const char *room, int64_t from, int64_t to,
                           size_t limit, char **room_name, struct store_span **out, size_t *n);

#endif
