/* store_sqlite_int: what the files of the SQLite backend share
 * (store_sqlite.c, _apply.c, _admin.c, _console.c). `sq_` is
 * the backend's internal prefix; nothing outside these files includes this
 * header. Every sq_ helper runs with st->lock held by its caller, except
 * sq_in_tx, sq_sweep_run, sq_list and sq_get_one, which take it. */
#ifndef SCEAUX_HUB_STORE_SQLITE_INT_H
#define SCEAUX_HUB_STORE_SQLITE_INT_H
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "err.h"
#include "store.h"
#include "tables.h"

#define CACHE_MAX 128

struct cached {
    const char *key; /* the SQL text; compared by address for generated SQL */
    sqlite3_stmt *stmt;
};

struct sq_store {
    struct store base;
    sqlite3 *db;
    pthread_mutex_t lock;
    char *get_sql[16]; /* per table of tables_all: SELECT of every stored column */
    char *put_sql[16]; /* per table: INSERT ... ON CONFLICT DO UPDATE */
    char *del_sql[16];
    char *bump_sql[16]; /* per table with a supports column, else NULL */
    struct cached cache[CACHE_MAX];
    int ncache;
    char err[256];
};

extern const struct db_schema sq_hub_schema;

static inline struct sq_store *sq(struct store *s)
{
    return (struct sq_store *)s;
}

/* Statements: a cached prepared statement for `sql` (compared by address),
 * reset and unbound; failures fill st->err. sq_fail() fills it and returns
 * the code: not MUST_USE, a caller may already hold the code. */
enum err sq_fail(struct sq_store *st, int rc, const char *what);
MUST_USE enum err sq_prep(struct sq_store *st, const char *sql, sqlite3_stmt **out);
/* Steps a statement that returns no rows, then resets it. */
MUST_USE enum err sq_run(struct sq_store *st, sqlite3_stmt *s, const char *what);
/* Takes the lock, runs fn(st, arg) in one write transaction: commits when
 * it returns ERR_OK, else rolls back. */
MUST_USE enum err sq_in_tx(struct sq_store *st, enum err (*fn)(struct sq_store *, const void *),
                           const void *arg);
/* A sweep: fn gets a struct sq_sweep, deletes what is older than `cutoff`
 * and sets *count to how much it deleted; run by sq_in_tx, *count is 0
 * unless it commits. */
struct sq_sweep {
    int64_t cutoff;
    int64_t *count;
};
MUST_USE enum err sq_sweep_run(struct sq_store *st, enum err (*fn)(struct sq_store *, const void *),
                               int64_t cutoff, int64_t *count);
/* Takes the lock: one `size`-byte item per row of `sql` (its parameters
 * bound as sq_exec's), filled by `fill`, in a new array *out of *n items;
 * on failure *out holds the items read so far, for the caller to free. */
MUST_USE enum err sq_list(struct sq_store *st, const char *sql, size_t size,
                          void (*fill)(sqlite3_stmt *, void *), void **out, size_t *n,
                          const char *what, const char *types, ...);
/* Takes the lock: the row of `sql` with `key` bound to ?1, handed to `take`
 * (which fills `out`, or returns false to refuse the row); `missing` when
 * there is no row or it was refused. */
MUST_USE enum err sq_get_one(struct sq_store *st, const char *sql, const char *key,
                             bool (*take)(sqlite3_stmt *, const char *, void *), void *out,
                             enum err missing, const char *what);
/* sq_prep + binds + sq_run: one argument per letter of `types`, bound to
 * ?1, ?2...: 't' a string (NULL binds NULL), 'i' an int64_t, 'n' an
 * int64_t that binds NULL when negative (pass int64_t exactly: varargs). */
MUST_USE enum err sq_exec(struct sq_store *st, const char *sql, const char *what, const char *types,
                          ...);
/* sq_prep + binds (as sq_exec) + one step: *found when `sql` has a row. */
MUST_USE enum err sq_exists(struct sq_store *st, const char *sql, const char *what, bool *found,
                            const char *types, ...);
void sq_bind_text(sqlite3_stmt *s, int i, const char *v); /* NULL binds NULL */
char *sq_col_dup(sqlite3_stmt *s, int i);                 /* new string or NULL */
int sq_table_index(const struct table *t);

/* Rows: every stored column as JSON; *out NULL when there is no row. */
MUST_USE enum err sq_get_row(struct sq_store *st, const struct table *t, const char *id,
                             json_t **out);
MUST_USE enum err sq_put_row(struct sq_store *st, const struct table *t, json_t *row, int64_t seq);
/* Bumps meta.head and returns it: the seq of the change being applied. */
MUST_USE enum err sq_next_seq(struct sq_store *st, int64_t *seq);
/* Sets the row's rowlog entry (its latest seq and op). */
MUST_USE enum err sq_rowlog_put(struct sq_store *st, const char *tbl, const char *id, int op,
                                int64_t seq);
/* sq_next_seq + sq_put_row + sq_rowlog_put (hub-only tables have no rowlog). */
MUST_USE enum err sq_commit_row(struct sq_store *st, const struct table *t, json_t *row,
                                int64_t *seq);

/* The ops implemented in the other files. */
extern const struct decide_ops sq_decide_ops; /* store_sqlite_apply.c */
MUST_USE enum err sq_erase_holders(struct store *base, int64_t ended_before, int64_t *erased);
MUST_USE enum err sq_erase_offers(struct store *base, int64_t created_upto, int64_t *erased);
MUST_USE enum err sq_token_add(struct store *base, const char *name, enum store_role role,
                               const char *site, const char *hash, int64_t now);
MUST_USE enum err sq_token_revoke(struct store *base, const char *name, int64_t now);
MUST_USE enum err sq_token_list(struct store *base, struct store_token **out, size_t *n);
MUST_USE enum err sq_token_lookup(struct store *base, const char *hash, struct store_token *out);
MUST_USE enum err sq_fleet_record(struct store *base, const struct store_seen *seen, size_t n);
MUST_USE enum err sq_fleet_list(struct store *base, struct store_kiosk **out, size_t *n);
MUST_USE enum err sq_backup(struct store *base, const char *out_path);
/* store_sqlite_console.c: staff accounts and the audit trail. */
extern const char sq_console_schema[];
extern const char sq_console_schema_4[];
extern const char sq_console_sessions[];
MUST_USE enum err sq_user_add(struct store *base, const char *name, enum store_role role,
                              const char *hash, const char *signature, int64_t now);
MUST_USE enum err sq_user_sign(struct store *base, const char *name, const char *signature);
MUST_USE enum err sq_user_remove(struct store *base, const char *name);
MUST_USE enum err sq_user_list(struct store *base, struct store_user **out, size_t *n);
MUST_USE enum err sq_user_get(struct store *base, const char *name, struct store_user *out);
MUST_USE enum err sq_session_add(struct store *base, const char *hash, const char *user,
                                 int64_t expires, int64_t now, size_t max);
MUST_USE enum err sq_session_get(struct store *base, const char *hash, int64_t now, char **user,
                                 enum store_role *role, int64_t *expires);
MUST_USE enum err sq_session_end(struct store *base, const char *hash);
MUST_USE enum err sq_audit_add(struct store *base, const struct store_audit *a);
MUST_USE enum err sq_audit_list(struct store *base, size_t limit, struct store_audit **out,
                                size_t *n);
/* store_sqlite_calendar.c: the public calendars. */
MUST_USE enum err sq_events(struct store *base, int64_t from, int64_t to, size_t limit,
                            struct store_event **out, size_t *n);
MUST_USE enum err sq_busy(struct store *base, const char *room, int64_t from, int64_t to,
                          size_t limit, char **room_name, struct store_span **out, size_t *n);

#endif
