/* db: opening SQLite databases, schema migrations, and the CREATE TABLE
 * statements generated from tables.h.
 *
 * Every database of the project (the hub's, the kiosk replica) is opened
 * through db_open() with its `struct db_schema`: an append-only array of
 * migration steps indexed by PRAGMA user_version (docs/style.md, "Migrations"). Step
 * i (0-based) takes the database from version i to version i + 1; it runs
 * in one BEGIN IMMEDIATE transaction together with the user_version bump,
 * so a crash leaves the database at one version or the next, never between.
 * Start reading at `struct db_step`, then db_open().
 *
 * Library code: nothing here logs; errors come back as `enum err` plus a
 * sentence in the caller's errbuf (errbuf may be NULL when errlen is 0). */
#ifndef SCEAUX_DB_H
#define SCEAUX_DB_H
#include <sqlite3.h>
#include <stddef.h>

#include "err.h"
#include "tables.h"

/* Migrations */

/* One migration step: exactly one of `sql` and `fn` is set.
 *   sql: one or more statements, run as by sqlite3_exec();
 *   fn:  C code (for DDL generated from tables.h, or data fix-ups); it runs
 *        inside the step's transaction and must not BEGIN/COMMIT itself. On
 *        failure it returns an error and may write a sentence into errbuf.
 * A step must never be edited once released: append a new one instead.
 * A step that generates DDL from tables.h produces what tables.h says at
 * the time it runs, not when it was written: a later step that changes a
 * generated table must therefore cope with both shapes (see db_has_column). */
struct db_step {
    const char *sql;
    enum err (*fn)(sqlite3 *db, char *errbuf, size_t errlen);
};

struct db_schema {
    const char *name; /* for messages: "replica", "hub" */
    const struct db_step *steps;
    int nsteps; /* the latest version: a migrated database has user_version == nsteps */
};

/* Opens or creates the database at `path` and brings it to the latest
 * version of `schema`. Connection settings: busy_timeout 5000 ms, WAL,
 * synchronous=FULL, foreign_keys=ON, secure_delete=ON. A file that cannot
 * use WAL is refused (ERR_DB); ":memory:" is accepted as it is (for tests).
 * A database whose user_version is above schema->nsteps (written by newer
 * code) is refused with ERR_INVALID and a message saying so; it is left
 * untouched. Several processes may open the same file at once: each step
 * re-reads user_version inside its transaction, so it is applied once.
 * On success *out is a new connection (close it with sqlite3_close_v2()
 * or through its owner, e.g. replica_close()); on error *out is NULL.
 * Errors: ERR_DB (SQLite refused, or a step failed), ERR_BUSY (locked past
 * the timeout), ERR_INVALID (newer database). */
MUST_USE enum err db_open(const char *path, const struct db_schema *schema, sqlite3 **out,
                          char *errbuf, size_t errlen);

/* PRAGMA user_version of db. */
MUST_USE enum err db_user_version(sqlite3 *db, int *out);

/* Helpers */

/* Runs one or more SQL statements (no results). */
MUST_USE enum err db_exec(sqlite3 *db, const char *sql, char *errbuf, size_t errlen);
/* BEGIN IMMEDIATE: takes the write lock now, so a transaction that will
 * write never fails half-way with SQLITE_BUSY. */
MUST_USE enum err db_begin(sqlite3 *db);
MUST_USE enum err db_commit(sqlite3 *db);
/* Rolls back if a transaction is open; harmless otherwise. Not MUST_USE:
 * it runs after a failure, whose error is the one to report. */
enum err db_rollback(sqlite3 *db);
/* Maps an SQLite result code to the project's error space: SQLITE_OK and
 * SQLITE_DONE/ROW -> ERR_OK, BUSY/LOCKED -> ERR_BUSY, CONSTRAINT ->
 * ERR_CONFLICT, CANTOPEN/IOERR/FULL -> ERR_IO, anything else -> ERR_DB. */
MUST_USE enum err db_err(int rc);
/* Writes "what: sqlite's message" into errbuf (if any) and returns
 * db_err(rc). For callers that want the same message shape as db.c. */
MUST_USE enum err db_fail(sqlite3 *db, int rc, const char *what, char *errbuf, size_t errlen);
/* *out = whether `table` has a column named `column`. */
MUST_USE enum err db_has_column(sqlite3 *db, const char *table, const char *column, int *out);

/* DDL generated from tables.h */

enum db_ddl_kind {
    /* The kiosk replica: public columns only (tables_column_public), plus
     * `seq INTEGER`. */
    DB_DDL_REPLICA,
    /* The hub: every stored column (public and COL_HUB, never
     * COL_PUSH_ONLY), plus `seq INTEGER NOT NULL`. */
    DB_DDL_HUB,
};

/* A new string (caller frees) holding `CREATE TABLE "<name>" (...)` for t:
 * `"id" TEXT PRIMARY KEY`, COL_INT and COL_BOOL as INTEGER, every other
 * type TEXT; NOT NULL unless COL_OPT; COL_BOOL checked IN (0, 1), COL_INT
 * checked >= 0. No foreign keys (the hub validates references and a
 * replica must accept rows in seq order), no enum or length CHECKs (those
 * would freeze tables.h's lists into the file: SQLite cannot alter a
 * CHECK). No indexes besides the primary key: the caller adds its own
 * (the hub needs one on seq). No trailing semicolon. */
char *db_table_ddl(const struct table *t, enum db_ddl_kind kind);

/* The statements a hub store runs on a row of t, every stored column
 * (DB_DDL_HUB's) in tables.h order, parameters written `mark` and their
 * number ('?' for SQLite, '$' for PostgreSQL): *get `SELECT <columns>
 * WHERE id = 1`; *put the insert-or-replace of the columns then seq
 * (parameters 1 to n + 1), keeping nothing of the old row; *del `DELETE
 * ... WHERE id = 1`. New strings. */
void db_row_sql(const struct table *t, char mark, char **get, char **put, char **del);

/* Creates every table of tables.h for `kind` (DB_DDL_REPLICA skips
 * tables that are not tables_replicated), in tables_all order. Meant for a migration step's fn. */
MUST_USE enum err db_create_tables(sqlite3 *db, enum db_ddl_kind kind, char *errbuf, size_t errlen);

#endif
