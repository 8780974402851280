/* Unit tests of db: connection settings, forward migrations, refusal of a
 * newer database, atomic steps, and the DDL generated from tables.h. Each
 * test works on a new file in its own temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "testutil.h"
#include "xalloc.h"

struct fixture {
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_db.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_remove_db(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static char *query_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(st, 0);
    char *out = xstrdup(v ? v : "(null)");
    sqlite3_finalize(st);
    return out;
}

static bool table_exists(sqlite3 *db, const char *name)
{
    char *sql =
        xasprintf("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'", name);
    bool yes = tu_query_i64(db, sql) == 1;
    free(sql);
    return yes;
}

/* A schema mixing SQL and C steps, as the hub's does. */
static enum err step_hub_tables(sqlite3 *db, char *errbuf, size_t errlen)
{
    return db_create_tables(db, DB_DDL_HUB, errbuf, errlen);
}

static enum err step_fill(sqlite3 *db, char *errbuf, size_t errlen)
{
    return db_exec(db, "UPDATE a SET note = 'from step 3'", errbuf, errlen);
}

static const struct db_step test_steps[] = {
    {.sql = "CREATE TABLE a (x INTEGER NOT NULL); INSERT INTO a (x) VALUES (1);"},
    {.fn = step_hub_tables},
    {.sql = "ALTER TABLE a ADD COLUMN note TEXT"},
    {.fn = step_fill},
};
static const struct db_schema test_schema = {"test", test_steps, 4};
static const struct db_schema test_schema_v1 = {"test", test_steps, 1};

static void fresh_database_is_latest(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(f->path, &test_schema, &db, err, sizeof err), ERR_OK);
    int v = -1;
    assert_int_equal(db_user_version(db, &v), ERR_OK);
    assert_int_equal(v, 4);
    assert_true(table_exists(db, "a"));
    for (int i = 0; i < tables_count; i++)
        assert_true(table_exists(db, tables_all[i].name));
    char *note = query_text(db, "SELECT note FROM a");
    assert_string_equal(note, "from step 3");
    free(note);
    sqlite3_close_v2(db);

    /* Opening again applies nothing and keeps the data. */
    assert_int_equal(db_open(f->path, &test_schema, &db, err, sizeof err), ERR_OK);
    assert_int_equal(tu_query_i64(db, "SELECT count(*) FROM a"), 1);
    sqlite3_close_v2(db);
}

static void older_database_migrates_forward(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(f->path, &test_schema_v1, &db, err, sizeof err), ERR_OK);
    int v = -1;
    assert_int_equal(db_user_version(db, &v), ERR_OK);
    assert_int_equal(v, 1);
    assert_false(table_exists(db, "site"));
    assert_int_equal(db_exec(db, "INSERT INTO a (x) VALUES (2)", NULL, 0), ERR_OK);
    sqlite3_close_v2(db);

    assert_int_equal(db_open(f->path, &test_schema, &db, err, sizeof err), ERR_OK);
    assert_int_equal(db_user_version(db, &v), ERR_OK);
    assert_int_equal(v, 4);
    assert_true(table_exists(db, "site"));
    assert_int_equal(tu_query_i64(db, "SELECT count(*) FROM a"), 2);
    assert_int_equal(tu_query_i64(db, "SELECT sum(x) FROM a WHERE note = 'from step 3'"), 3);
    sqlite3_close_v2(db);
}

static void newer_database_is_refused(void **state)
{
    struct fixture *f = *state;
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_equal(db_exec(raw, "CREATE TABLE z (y); PRAGMA user_version = 9", NULL, 0), ERR_OK);
    sqlite3_close(raw);

    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(f->path, &test_schema, &db, err, sizeof err), ERR_INVALID);
    assert_null(db);
    assert_non_null(strstr(err, "version 9"));
    assert_non_null(strstr(err, "newer"));

    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_equal(tu_query_i64(raw, "PRAGMA user_version"), 9);
    assert_false(table_exists(raw, "a"));
    sqlite3_close(raw);
}

static enum err step_fails(sqlite3 *db, char *errbuf, size_t errlen)
{
    enum err rc = db_exec(db, "INSERT INTO a (x) VALUES (100)", errbuf, errlen);
    if (rc == ERR_OK) {
        snprintf(errbuf, errlen, "deliberate failure");
        rc = ERR_INVALID;
    }
    return rc;
}

static void failed_step_changes_nothing(void **state)
{
    struct fixture *f = *state;
    static const struct db_step bad_sql[] = {
        {.sql = "CREATE TABLE a (x INTEGER NOT NULL); INSERT INTO a (x) VALUES (1);"},
        {.sql = "CREATE TABLE b (y); INSERT INTO nowhere VALUES (1);"},
    };
    static const struct db_schema s1 = {"bad", bad_sql, 2};
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(f->path, &s1, &db, err, sizeof err), ERR_DB);
    assert_null(db);
    assert_non_null(strstr(err, "version 2"));
    assert_non_null(strstr(err, "nowhere"));

    static const struct db_step bad_fn[] = {
        {.sql = "CREATE TABLE a (x INTEGER NOT NULL); INSERT INTO a (x) VALUES (1);"},
        {.fn = step_fails},
    };
    static const struct db_schema s2 = {"bad", bad_fn, 2};
    assert_int_equal(db_open(f->path, &s2, &db, err, sizeof err), ERR_INVALID);
    assert_non_null(strstr(err, "deliberate failure"));

    /* Version 1 stayed, without b and without the row of the failed fn. */
    assert_int_equal(db_open(f->path, &test_schema_v1, &db, err, sizeof err), ERR_OK);
    assert_int_equal(tu_query_i64(db, "PRAGMA user_version"), 1);
    assert_false(table_exists(db, "b"));
    assert_int_equal(tu_query_i64(db, "SELECT count(*) FROM a"), 1);
    assert_int_equal(sqlite3_get_autocommit(db), 1);
    sqlite3_close_v2(db);
}

static void pragmas_in_effect(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(f->path, &test_schema, &db, err, sizeof err), ERR_OK);
    char *mode = query_text(db, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    assert_int_equal(tu_query_i64(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(tu_query_i64(db, "PRAGMA secure_delete"), 1);
    assert_int_equal(tu_query_i64(db, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(tu_query_i64(db, "PRAGMA busy_timeout"), 5000);
    sqlite3_close_v2(db);
}

static void cannot_open_is_reported(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_not_equal(db_open("/nonexistent-dir/x/y.db", &test_schema, &db, err, sizeof err),
                         ERR_OK);
    assert_null(db);
    assert_non_null(strstr(err, "cannot open '/nonexistent-dir/x/y.db'"));
}

static void transactions(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(f->path, &test_schema, &db, err, sizeof err), ERR_OK);
    assert_int_equal(db_begin(db), ERR_OK);
    assert_int_equal(db_exec(db, "INSERT INTO a (x) VALUES (5)", NULL, 0), ERR_OK);
    assert_int_equal(db_rollback(db), ERR_OK);
    assert_int_equal(db_rollback(db), ERR_OK); /* none open: harmless */
    assert_int_equal(tu_query_i64(db, "SELECT count(*) FROM a"), 1);
    assert_int_equal(db_begin(db), ERR_OK);
    assert_int_equal(db_exec(db, "INSERT INTO a (x) VALUES (5)", NULL, 0), ERR_OK);
    assert_int_equal(db_commit(db), ERR_OK);
    assert_int_equal(tu_query_i64(db, "SELECT count(*) FROM a"), 2);

    /* A second connection cannot take the write lock meanwhile. */
    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
    assert_int_equal(db_begin(db), ERR_OK);
    assert_int_equal(db_begin(other), ERR_BUSY);
    assert_int_equal(db_exec(db, "INSERT INTO a (x) VALUES (5)", err, sizeof err), ERR_OK);
    assert_int_equal(db_exec(db, "INSERT INTO nowhere VALUES (1)", err, sizeof err), ERR_DB);
    assert_non_null(strstr(err, "nowhere"));
    assert_int_equal(db_commit(db), ERR_OK);
    sqlite3_close(other);

    int has = -1;
    assert_int_equal(db_has_column(db, "a", "note", &has), ERR_OK);
    assert_int_equal(has, 1);
    assert_int_equal(db_has_column(db, "a", "nope", &has), ERR_OK);
    assert_int_equal(has, 0);
    sqlite3_close_v2(db);
}

/* The generated table's columns, as "name type notnull pk;" for each. */
static char *describe(sqlite3 *db, const char *table)
{
    char *sql = xasprintf("SELECT group_concat(name || ' ' || type || ' ' || \"notnull\" || ' ' "
                          "|| pk, ';') FROM pragma_table_info('%s')",
                          table);
    char *out = query_text(db, sql);
    free(sql);
    return out;
}

static void ddl_follows_tables(void **state)
{
    (void)state;
    for (int kind = DB_DDL_REPLICA; kind <= DB_DDL_HUB; kind++) {
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
        for (int k = 0; k < tables_count; k++) {
            const struct table *t = &tables_all[k];
            char *ddl = db_table_ddl(t, (enum db_ddl_kind)kind);
            assert_non_null(ddl);
            char err[256] = "";
            assert_int_equal(db_exec(db, ddl, err, sizeof err), ERR_OK);
            free(ddl);
            /* Expected description, built from tables.h independently. */
            char *want = xstrdup("");
            for (int i = 0; i < t->ncols; i++) {
                const struct column *c = &t->cols[i];
                bool stored =
                    kind == DB_DDL_REPLICA ? tables_column_public(c) : !(c->flags & COL_PUSH_ONLY);
                if (!stored)
                    continue;
                const char *type = (c->type == COL_INT || c->type == COL_BOOL) ? "INTEGER" : "TEXT";
                char *next =
                    xasprintf("%s%s%s %s %d %d", want, i ? ";" : "", c->name, type,
                              i == 0 || !(kind == DB_DDL_REPLICA ? tables_column_pull_nullable(c)
                                                                 : c->flags & COL_OPT),
                              i == 0);
                free(want);
                want = next;
            }
            char *next = xasprintf("%s;seq INTEGER %d 0", want, kind == DB_DDL_HUB);
            free(want);
            want = next;
            char *got = describe(db, t->name);
            assert_string_equal(got, want);
            free(got);
            free(want);
        }
        sqlite3_close(db);
    }
}

static void ddl_checks_and_hub_columns(void **state)
{
    (void)state;
    char *hub = db_table_ddl(tables_find("booking"), DB_DDL_HUB);
    char *rep = db_table_ddl(tables_find("booking"), DB_DDL_REPLICA);
    assert_non_null(strstr(hub, "\"cancel_hash\""));
    assert_non_null(strstr(hub, "\"created_by\""));
    assert_null(strstr(hub, "cancel_code"));
    assert_null(strstr(rep, "cancel_hash"));
    assert_null(strstr(rep, "created_by"));
    assert_null(strstr(rep, "cancel_code"));
    assert_null(strstr(hub, "REFERENCES"));
    free(hub);
    free(rep);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(db_create_tables(db, DB_DDL_REPLICA, NULL, 0), ERR_OK);
    assert_false(table_exists(db, "support"));
#define ROOM(id, capacity, bookable)                                                               \
    "INSERT INTO room (id, site_id, name, capacity, bookable, opens, closes, seq) VALUES ('" id    \
    "', 's-unknown', 'Salle', " capacity ", " bookable ", '08:00', '20:00', NULL)"
    char *ok = xstrdup(ROOM("r1", "10", "1"));
    char *bad_bool = xstrdup(ROOM("r2", "10", "2"));
    char *bad_int = xstrdup(ROOM("r3", "-1", "0"));
#undef ROOM
    /* No foreign key: a room whose site is not there yet is accepted. */
    assert_int_equal(db_exec(db, ok, NULL, 0), ERR_OK);
    assert_int_equal(db_exec(db, bad_bool, NULL, 0), ERR_CONFLICT);
    assert_int_equal(db_exec(db, bad_int, NULL, 0), ERR_CONFLICT);
    assert_int_equal(
        db_exec(db, "INSERT INTO site (id, name, address) VALUES (NULL, 'a', 'b')", NULL, 0),
        ERR_CONFLICT);
    free(ok);
    free(bad_bool);
    free(bad_int);
    sqlite3_close(db);

    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(db_create_tables(db, DB_DDL_HUB, NULL, 0), ERR_OK);
    assert_true(table_exists(db, "support"));
    sqlite3_close(db);
}

static void memory_database(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(":memory:", &test_schema, &db, err, sizeof err), ERR_OK);
    assert_int_equal(tu_query_i64(db, "PRAGMA user_version"), 4);
    assert_int_equal(tu_query_i64(db, "PRAGMA foreign_keys"), 1);
    sqlite3_close_v2(db);
}

/* Several connections opening a new file at once (syncd and the kiosk
 * starting together): every one succeeds and each step runs once. */
struct racer {
    const char *path;
    enum err rc;
    char err[256];
};

static enum err step_once(sqlite3 *db, char *errbuf, size_t errlen)
{
    return db_exec(db, "INSERT INTO a (x) VALUES (10)", errbuf, errlen);
}

static const struct db_step race_steps[] = {
    {.sql = "CREATE TABLE a (x INTEGER NOT NULL)"},
    {.fn = step_once},
    {.fn = step_hub_tables},
    {.fn = step_once},
};
static const struct db_schema race_schema = {"race", race_steps, 4};

static void *racer_main(void *arg)
{
    struct racer *r = arg;
    sqlite3 *db = NULL;
    r->rc = db_open(r->path, &race_schema, &db, r->err, sizeof r->err);
    sqlite3_close_v2(db);
    return NULL;
}

static void concurrent_first_open(void **state)
{
    struct fixture *f = *state;
    enum { N = 6 };
    struct racer racers[N];
    pthread_t threads[N];
    for (int i = 0; i < N; i++) {
        racers[i] = (struct racer){.path = f->path};
        assert_int_equal(pthread_create(&threads[i], NULL, racer_main, &racers[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        if (racers[i].rc)
            fprintf(stderr, "racer %d: %s\n", i, racers[i].err);
        assert_int_equal(racers[i].rc, ERR_OK);
    }
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(f->path, &race_schema, &db, err, sizeof err), ERR_OK);
    assert_int_equal(tu_query_i64(db, "SELECT count(*) FROM a"), 2);
    sqlite3_close_v2(db);
}

int main(void)
{
    xalloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fresh_database_is_latest, setup, teardown),
        cmocka_unit_test_setup_teardown(older_database_migrates_forward, setup, teardown),
        cmocka_unit_test_setup_teardown(newer_database_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_step_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(pragmas_in_effect, setup, teardown),
        cmocka_unit_test(cannot_open_is_reported),
        cmocka_unit_test_setup_teardown(transactions, setup, teardown),
        cmocka_unit_test(ddl_follows_tables),
        cmocka_unit_test(ddl_checks_and_hub_columns),
        cmocka_unit_test(memory_database),
        cmocka_unit_test_setup_teardown(concurrent_first_open, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
