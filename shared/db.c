/* db: connection settings, forward migrations, DDL from tables.h.
 *
 * db_open() is the entry point: configure the connection, then migrate().
 * migrate() takes the write lock once per step and re-reads user_version
 * under it, so two processes opening a new file at once apply each step
 * once. The DDL generator at the bottom is pure string work. */
#include "db.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
{
    if (!errbuf || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

enum err db_err(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return ERR_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_BUSY;
    case SQLITE_CONSTRAINT:
        return ERR_CONFLICT;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
        return ERR_IO;
    default:
        return ERR_DB;
    }
}

enum err db_fail(sqlite3 *db, int rc, const char *what, char *errbuf, size_t errlen)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    set_err(errbuf, errlen, "%s: %s", what, msg);
    enum err e = db_err(rc);
    return e == ERR_OK ? ERR_DB : e;
}

enum err db_exec(sqlite3 *db, const char *sql, char *errbuf, size_t errlen)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        set_err(errbuf, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return db_err(rc);
    }
    return ERR_OK;
}

enum err db_begin(sqlite3 *db)
{
    return db_exec(db, "BEGIN IMMEDIATE", NULL, 0);
}

enum err db_commit(sqlite3 *db)
{
    return db_exec(db, "COMMIT", NULL, 0);
}

enum err db_rollback(sqlite3 *db)
{
    if (sqlite3_get_autocommit(db))
        return ERR_OK;
    return db_exec(db, "ROLLBACK", NULL, 0);
}

/* Runs a statement that returns one integer (PRAGMAs). */
static enum err query_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        return ERR_OK;
    return db_err(rc) ? db_err(rc) : ERR_DB;
}

enum err db_user_version(sqlite3 *db, int *out)
{
    return query_int(db, "PRAGMA user_version", out);
}

enum err db_has_column(sqlite3 *db, const char *table, const char *column, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0) > 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? ERR_OK : ERR_DB;
}

/* Applies step `i` if the database is still at version i once the write
 * lock is held. */
static enum err migrate_step(sqlite3 *db, const struct db_schema *s, int i, char *errbuf,
                             size_t errlen)
{
    enum err rc = db_begin(db);
    if (rc) {
        set_err(errbuf, errlen, "cannot lock %s database for migration: %s", s->name,
                sqlite3_errmsg(db));
        return rc;
    }
    int v = 0;
    rc = db_user_version(db, &v);
    if (rc == ERR_OK && v == i) {
        const struct db_step *step = &s->steps[i];
        char why[256] = "";
        if (step->sql)
            rc = db_exec(db, step->sql, why, sizeof why);
        else if (step->fn)
            rc = step->fn(db, why, sizeof why);
        else
            rc = ERR_INVALID;
        if (rc)
            set_err(errbuf, errlen, "%s database migration to version %d failed: %s", s->name,
                    i + 1, why[0] ? why : err_str(rc));
        if (rc == ERR_OK) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %d", i + 1);
            rc = db_exec(db, sql, errbuf, errlen);
        }
    } else if (rc) {
        set_err(errbuf, errlen, "cannot read %s database version", s->name);
    }
    if (rc == ERR_OK)
        rc = db_commit(db);
    if (rc) {
        db_rollback(db);
        return rc;
    }
    return ERR_OK;
}

static enum err migrate(sqlite3 *db, const struct db_schema *s, char *errbuf, size_t errlen)
{
    for (;;) {
        int v = 0;
        enum err rc = db_user_version(db, &v);
        if (rc) {
            set_err(errbuf, errlen, "cannot read %s database version: %s", s->name,
                    sqlite3_errmsg(db));
            return rc;
        }
        if (v > s->nsteps) {
            set_err(errbuf, errlen,
                    "%s database is at version %d, newer than this program (version %d): "
                    "upgrade the program",
                    s->name, v, s->nsteps);
            return ERR_INVALID;
        }
        if (v == s->nsteps)
            return ERR_OK;
        rc = migrate_step(db, s, v, errbuf, errlen);
        if (rc)
            return rc;
    }
}

static enum err configure(sqlite3 *db, char *errbuf, size_t errlen)
{
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    enum err rc = db_exec(db,
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA secure_delete = ON;",
                          errbuf, errlen);
    if (rc)
        return rc;
    /* journal_mode answers with the mode in force: check it, since a
     * database that cannot use WAL (some filesystems) silently stays.
     * In-memory and temporary databases (":memory:", "") have no WAL. */
    const char *file = sqlite3_db_filename(db, "main");
    bool in_memory = !file || !file[0];
    sqlite3_stmt *st = NULL;
    int src;
    /* Processes opening a new database at once (syncd and the kiosk at
     * boot) can get SQLITE_BUSY here without the busy handler being
     * asked: SQLite answers at once where waiting could deadlock. Retry
     * for as long as the busy timeout (seen under qemu, timing-bound). */
    for (int tries = 0;; tries++) {
        src = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
        if (src == SQLITE_OK)
            src = sqlite3_step(st);
        if ((src & 0xff) != SQLITE_BUSY || tries == 500)
            break;
        sqlite3_finalize(st);
        st = NULL;
        sqlite3_sleep(10);
    }
    if (src != SQLITE_ROW) {
        rc = db_fail(db, src, "cannot set WAL mode", errbuf, errlen);
    } else if (!in_memory && sqlite3_strnicmp((const char *)sqlite3_column_text(st, 0), "wal", 4)) {
        set_err(errbuf, errlen, "cannot set WAL mode: journal mode stays '%s'",
                (const char *)sqlite3_column_text(st, 0));
        rc = ERR_DB;
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    /* After journal_mode: in WAL mode, FULL syncs the WAL on every commit. */
    return db_exec(db, "PRAGMA synchronous = FULL", errbuf, errlen);
}

enum err db_open(const char *path, const struct db_schema *schema, sqlite3 **out, char *errbuf,
                 size_t errlen)
{
    *out = NULL;
    sqlite3 *db = NULL;
    int src = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (src != SQLITE_OK) {
        set_err(errbuf, errlen, "cannot open '%s': %s", path,
                db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
        enum err e = db_err(src);
        sqlite3_close_v2(db);
        return e ? e : ERR_DB;
    }
    char why[256] = "";
    enum err rc = configure(db, why, sizeof why);
    if (rc) {
        set_err(errbuf, errlen, "cannot configure '%s': %s", path, why);
    } else {
        rc = migrate(db, schema, why, sizeof why);
        if (rc)
            set_err(errbuf, errlen, "'%s': %s", path, why);
    }
    if (rc) {
        sqlite3_close_v2(db);
        return rc;
    }
    *out = db;
    return ERR_OK;
}

/* DDL */

static bool column_stored(const struct column *c, enum db_ddl_kind kind)
{
    if (kind == DB_DDL_REPLICA)
        return tables_column_public(c);
    return !(c->flags & COL_PUSH_ONLY);
}

char *db_table_ddl(const struct table *t, enum db_ddl_kind kind)
{
    struct buf b;
    /* Identifiers come from tables.c, not from input: the cap only guards
     * against a broken description. */
    buf_init(&b, 64 * 1024);
    enum err rc = buf_printf(&b, "CREATE TABLE \"%s\" (", t->name);
    for (int i = 0; i < t->ncols && rc == ERR_OK; i++) {
        const struct column *c = &t->cols[i];
        if (!column_stored(c, kind))
            continue;
        if (i == 0) {
            rc = buf_printf(&b, "\"%s\" TEXT PRIMARY KEY NOT NULL", c->name);
            continue;
        }
        bool integer = c->type == COL_INT || c->type == COL_BOOL;
        bool nullable =
            kind == DB_DDL_REPLICA ? tables_column_pull_nullable(c) : c->flags & COL_OPT;
        rc = buf_printf(&b, ", \"%s\" %s%s", c->name, integer ? "INTEGER" : "TEXT",
                        nullable ? "" : " NOT NULL");
        if (rc == ERR_OK && c->type == COL_BOOL)
            rc = buf_printf(&b, " CHECK (\"%s\" IN (0, 1))", c->name);
        if (rc == ERR_OK && c->type == COL_INT)
            rc = buf_printf(&b, " CHECK (\"%s\" >= 0)", c->name);
    }
    if (rc == ERR_OK)
        rc =
            buf_puts(&b, kind == DB_DDL_HUB ? ", \"seq\" INTEGER NOT NULL)" : ", \"seq\" INTEGER)");
    if (rc) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

void db_row_sql(const struct table *t, char mark, char **get, char **put, char **del)
{
    struct buf cols, vals, sets;
    buf_init(&cols, 1 << 16);
    buf_init(&vals, 1 << 16);
    buf_init(&sets, 1 << 16);
    int n = 0;
    for (int i = 0; i < t->ncols; i++) {
        if (!column_stored(&t->cols[i], DB_DDL_HUB))
            continue;
        n++;
        enum err rc = buf_printf(&cols, "%s\"%s\"", n > 1 ? ", " : "", t->cols[i].name);
        if (rc == ERR_OK)
            rc = buf_printf(&vals, "%s%c%d", n > 1 ? ", " : "", mark, n);
        if (rc == ERR_OK && i > 0)
            rc = buf_printf(&sets, "\"%s\" = excluded.\"%s\", ", t->cols[i].name, t->cols[i].name);
        if (rc)
            abort(); /* the statements of static tables outgrew 64 KiB */
    }
    *get = xasprintf("SELECT %s FROM \"%s\" WHERE id = %c1", cols.data, t->name, mark);
    *put = xasprintf("INSERT INTO \"%s\"(%s, seq) VALUES(%s, %c%d) ON CONFLICT(id) "
                     "DO UPDATE SET %sseq = excluded.seq",
                     t->name, cols.data, vals.data, mark, n + 1, sets.data);
    *del = xasprintf("DELETE FROM \"%s\" WHERE id = %c1", t->name, mark);
    buf_release(&cols);
    buf_release(&vals);
    buf_release(&sets);
}

enum err db_create_tables(sqlite3 *db, enum db_ddl_kind kind, char *errbuf, size_t errlen)
{
    for (int i = 0; i < tables_count; i++) {
        const struct table *t = &tables_all[i];
        if (kind == DB_DDL_REPLICA && !tables_replicated(t))
            continue;
        char *sql = db_table_ddl(t, kind);
        if (!sql) {
            set_err(errbuf, errlen, "cannot generate table '%s'", t->name);
            return ERR_INVALID;
        }
        enum err rc = db_exec(db, sql, errbuf, errlen);
        free(sql);
        if (rc)
            return rc;
    }
    return ERR_OK;
}
