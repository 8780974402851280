/* Unit tests of the kiosk replica: schema, applying pulled rows for every
 * public table (built from tables.h), reset, sync_state, outbox, and the
 * accent-insensitive search index with its triggers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replica.h"
#include "testutil.h"
#include "xalloc.h"

struct fixture {
    char dir[64];
    char path[128];
    struct replica *r;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_replica.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/kiosk.db", f->dir);
    char err[256] = "";
    if (replica_open(f->path, &f->r, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    replica_close(f->r);
    tu_remove_db(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t count(struct replica *r, const char *table)
{
    char *sql = xasprintf("SELECT count(*) FROM \"%s\"", table);
    int64_t n = tu_query_i64(replica_db(r), sql);
    free(sql);
    return n;
}

/* A wire row of t whose optional columns are present (`opt` 0), absent
 * (1) or null (2). */
static json_t *sample_row(const struct table *t, const char *id, int opt)
{
    json_t *row = json_object();
    for (int i = 0; i < t->ncols; i++) {
        const struct column *c = &t->cols[i];
        if (!tables_column_public(c))
            continue;
        if ((c->flags & COL_OPT) && opt == 1)
            continue;
        json_t *v = NULL;
        if ((c->flags & COL_OPT) && opt == 2)
            v = json_null();
        else if (i == 0)
            v = json_string(id);
        else if (c->type == COL_ID)
            v = json_string("ref-1");
        else if (c->type == COL_TEXT)
            v = json_string("Texte é");
        else if (c->type == COL_INT)
            v = json_integer(42);
        else if (c->type == COL_BOOL)
            v = json_boolean(opt != 2);
        else if (c->type == COL_TIME)
            v = json_string("2026-12-01T09:00:00Z");
        else if (c->type == COL_ENUM)
            v = json_string(c->values[0]);
        else if (c->type == COL_HHMM)
            v = json_string("08:30");
        else if (c->type == COL_TARGET)
            v = json_string("all");
        else if (c->type == COL_RRULE)
            v = json_string("FREQ=WEEKLY");
        else if (c->type == COL_SET)
            v = json_string(c->values[0]);
        else if (c->type == COL_PICTURE)
            v = json_string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        else
            v = json_string("123456");
        json_object_set_new(row, c->name, v);
    }
    return row;
}

/* Checks that row `id` of t holds what sample_row(t, id, opt) made. */
static void check_row(struct replica *r, const struct table *t, const char *id, int opt,
                      int64_t seq)
{
    char *sql = xasprintf("SELECT * FROM \"%s\" WHERE id = ?1", t->name);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(replica_db(r), sql, -1, &st, NULL), SQLITE_OK);
    free(sql);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    json_t *want = sample_row(t, id, opt);
    int ncols = sqlite3_column_count(st);
    for (int j = 0; j < ncols; j++) {
        const char *name = sqlite3_column_name(st, j);
        if (strcmp(name, "seq") == 0) {
            assert_int_equal(sqlite3_column_int64(st, j), seq);
            continue;
        }
        int i = tables_column_index(t, name);
        assert_true(i >= 0);
        assert_true(tables_column_public(&t->cols[i]));
        json_t *v = json_object_get(want, name);
        if (!v || json_is_null(v)) {
            assert_int_equal(sqlite3_column_type(st, j), SQLITE_NULL);
        } else if (json_is_boolean(v)) {
            assert_int_equal(sqlite3_column_type(st, j), SQLITE_INTEGER);
            assert_int_equal(sqlite3_column_int(st, j), json_is_true(v) ? 1 : 0);
        } else if (json_is_integer(v)) {
            assert_int_equal(sqlite3_column_type(st, j), SQLITE_INTEGER);
            assert_int_equal(sqlite3_column_int64(st, j), json_integer_value(v));
        } else {
            assert_int_equal(sqlite3_column_type(st, j), SQLITE_TEXT);
            assert_string_equal((const char *)sqlite3_column_text(st, j), json_string_value(v));
        }
    }
    json_decref(want);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void schema_and_defaults(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = replica_db(f->r);
    assert_int_equal(tu_query_i64(db, "PRAGMA user_version"), replica_schema.nsteps);
    for (int k = 0; k < tables_count; k++) {
        char *sql =
            xasprintf("SELECT count(*) FROM sqlite_schema WHERE name = '%s'", tables_all[k].name);
        assert_int_equal(tu_query_i64(db, sql), tables_replicated(&tables_all[k]) ? 1 : 0);
        free(sql);
    }
    assert_int_equal(count(f->r, "outbox"), 0);
    assert_int_equal(count(f->r, "push_result"), 0);
    assert_int_equal(count(f->r, "local_booking"), 0);
    assert_int_equal(count(f->r, "search"), 0);
    char *v = NULL;
    assert_int_equal(replica_state_get(f->r, "epoch", &v), ERR_OK);
    assert_string_equal(v, "");
    free(v);
    assert_int_equal(replica_state_get(f->r, "cursor", &v), ERR_OK);
    assert_string_equal(v, "0");
    free(v);
    assert_int_equal(replica_state_get(f->r, "online", &v), ERR_OK);
    assert_string_equal(v, "0");
    free(v);
    assert_int_equal(replica_state_get(f->r, "last_error", &v), ERR_OK);
    assert_null(v);
    assert_int_equal(replica_state_get(f->r, "nope", &v), ERR_NOT_FOUND);
    assert_null(v);
}

static void apply_every_table(void **state)
{
    struct fixture *f = *state;
    for (int k = 0; k < tables_count; k++) {
        const struct table *t = &tables_all[k];
        if (!tables_replicated(t))
            continue;
        for (int opt = 0; opt < 3; opt++) {
            char id[16];
            snprintf(id, sizeof id, "%s-%d", t->name, opt);
            json_t *row = sample_row(t, id, opt);
            assert_int_equal(replica_apply(f->r, t, REPLICA_UPSERT, NULL, row, 10 + opt), ERR_OK);
            json_decref(row);
            check_row(f->r, t, id, opt, 10 + opt);
        }
        assert_int_equal(count(f->r, t->name), 3);

        /* Upsert again: replaced in place (present -> absent optionals). */
        char id0[16];
        snprintf(id0, sizeof id0, "%s-0", t->name);
        json_t *row = sample_row(t, id0, 1);
        assert_int_equal(replica_apply(f->r, t, REPLICA_UPSERT, id0, row, 20), ERR_OK);
        json_decref(row);
        check_row(f->r, t, id0, 1, 20);
        assert_int_equal(count(f->r, t->name), 3);

        assert_int_equal(replica_apply(f->r, t, REPLICA_DELETE, id0, NULL, 21), ERR_OK);
        assert_int_equal(count(f->r, t->name), 2);
        /* A tombstone for a row never seen is fine. */
        assert_int_equal(replica_apply(f->r, t, REPLICA_DELETE, "never-seen", NULL, 22), ERR_OK);
        assert_int_equal(count(f->r, t->name), 2);
    }
}

static void apply_refuses_bad_input(void **state)
{
    struct fixture *f = *state;
    const struct table *site = tables_find("site");
    json_t *row = sample_row(site, "s1", 0);
    /* Hub-only table. */
    assert_int_equal(replica_apply(f->r, tables_find("support"), REPLICA_UPSERT, NULL, row, 1),
                     ERR_INVALID);
    /* id argument that disagrees with the row. */
    assert_int_equal(replica_apply(f->r, site, REPLICA_UPSERT, "s2", row, 1), ERR_INVALID);
    /* Not an object, no id, delete without id. */
    json_t *arr = json_array();
    assert_int_equal(replica_apply(f->r, site, REPLICA_UPSERT, NULL, arr, 1), ERR_INVALID);
    json_decref(arr);
    assert_int_equal(replica_apply(f->r, site, REPLICA_DELETE, NULL, NULL, 1), ERR_INVALID);
    json_object_del(row, "id");
    assert_int_equal(replica_apply(f->r, site, REPLICA_UPSERT, NULL, row, 1), ERR_INVALID);
    json_decref(row);

    /* Wrong JSON types. */
    const struct table *room = tables_find("room");
    row = sample_row(room, "r1", 0);
    json_object_set_new(row, "bookable", json_integer(1));
    assert_int_equal(replica_apply(f->r, room, REPLICA_UPSERT, NULL, row, 1), ERR_INVALID);
    json_object_set_new(row, "bookable", json_true());
    json_object_set_new(row, "capacity", json_string("12"));
    assert_int_equal(replica_apply(f->r, room, REPLICA_UPSERT, NULL, row, 1), ERR_INVALID);
    json_object_set_new(row, "capacity", json_integer(12));
    json_object_set_new(row, "name", json_integer(12));
    assert_int_equal(replica_apply(f->r, room, REPLICA_UPSERT, NULL, row, 1), ERR_INVALID);
    /* Missing required column: SQLite's NOT NULL refuses it. */
    json_object_del(row, "name");
    assert_int_equal(replica_apply(f->r, room, REPLICA_UPSERT, NULL, row, 1), ERR_CONFLICT);
    json_decref(row);
    assert_int_equal(count(f->r, "room"), 0);

    /* The cached statement still works after the failures. */
    row = sample_row(room, "r1", 0);
    assert_int_equal(replica_apply(f->r, room, REPLICA_UPSERT, NULL, row, 2), ERR_OK);
    json_decref(row);
    check_row(f->r, room, "r1", 0, 2);
}

static void fill(struct replica *r)
{
    for (int k = 0; k < tables_count; k++) {
        const struct table *t = &tables_all[k];
        if (!tables_replicated(t))
            continue;
        json_t *row = sample_row(t, "x1", 0);
        assert_int_equal(replica_apply(r, t, REPLICA_UPSERT, NULL, row, k + 1), ERR_OK);
        json_decref(row);
    }
}

static void public_rows(struct replica *r, int64_t want_each)
{
    for (int k = 0; k < tables_count; k++)
        if (tables_replicated(&tables_all[k]))
            assert_int_equal(count(r, tables_all[k].name), want_each);
}

static void reset_keeps_local_state(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = replica_db(f->r);
    fill(f->r);
    assert_int_equal(count(f->r, "search"), 3);
    assert_int_equal(replica_state_set(f->r, "epoch", "e1"), ERR_OK);
    assert_int_equal(replica_state_set_i64(f->r, "cursor", 9), ERR_OK);
    assert_int_equal(replica_state_set(f->r, "last_ok", "2026-12-01T09:00:00Z"), ERR_OK);
    assert_int_equal(replica_outbox_add(f->r, "c1", "{\"id\":\"c1\"}"), ERR_OK);
    assert_int_equal(replica_outbox_add(f->r, "c2", "{\"id\":\"c2\"}"), ERR_OK);
    assert_int_equal(replica_outbox_done(f->r, "c1", "applied", NULL, NULL, 7), ERR_OK);
    assert_int_equal(db_exec(db,
                             "INSERT INTO local_booking VALUES ('b1', 'c2', 'r1', "
                             "'2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', "
                             "'2026-11-30T09:00:00Z')",
                             NULL, 0),
                     ERR_OK);

    /* Inside the caller's transaction, reset joins it: a rollback undoes it. */
    assert_int_equal(db_begin(db), ERR_OK);
    assert_int_equal(replica_reset(f->r, "e2"), ERR_OK);
    public_rows(f->r, 0);
    assert_int_equal(db_rollback(db), ERR_OK);
    public_rows(f->r, 1);

    /* Alone it is atomic on its own. */
    assert_int_equal(replica_reset(f->r, "e2"), ERR_OK);
    assert_int_equal(sqlite3_get_autocommit(db), 1);
    public_rows(f->r, 0);
    assert_int_equal(count(f->r, "search"), 0);
    int64_t cursor = -1;
    assert_int_equal(replica_state_get_i64(f->r, "cursor", &cursor), ERR_OK);
    assert_int_equal(cursor, 0);
    char *v = NULL;
    assert_int_equal(replica_state_get(f->r, "epoch", &v), ERR_OK);
    assert_string_equal(v, "e2");
    free(v);
    assert_int_equal(replica_state_get(f->r, "last_ok", &v), ERR_OK);
    assert_string_equal(v, "2026-12-01T09:00:00Z");
    free(v);
    assert_int_equal(count(f->r, "outbox"), 1);
    assert_int_equal(count(f->r, "push_result"), 1);
    assert_int_equal(count(f->r, "local_booking"), 1);

    /* The replica fills again after a reset. */
    fill(f->r);
    public_rows(f->r, 1);
    assert_int_equal(count(f->r, "search"), 3);
}

static void state_and_outbox(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = replica_db(f->r);
    int64_t n = -1;
    assert_int_equal(replica_state_set_i64(f->r, "cursor", 1234567890123), ERR_OK);
    assert_int_equal(replica_state_get_i64(f->r, "cursor", &n), ERR_OK);
    assert_int_equal(n, 1234567890123);
    assert_int_equal(replica_state_set(f->r, "online", "yes"), ERR_OK);
    assert_int_equal(replica_state_get_i64(f->r, "online", &n), ERR_INVALID);
    assert_int_equal(replica_state_set(f->r, "online", NULL), ERR_OK);
    assert_int_equal(replica_state_get_i64(f->r, "online", &n), ERR_NOT_FOUND);
    assert_int_equal(replica_state_get_i64(f->r, "absent", &n), ERR_NOT_FOUND);

    assert_int_equal(replica_outbox_add(f->r, "k:1", "{\"id\":\"k:1\"}"), ERR_OK);
    assert_int_equal(replica_outbox_add(f->r, "k:2", "{\"id\":\"k:2\"}"), ERR_OK);
    assert_int_equal(replica_outbox_add(f->r, "k:1", "{}"), ERR_EXISTS);
    assert_int_equal(replica_outbox_count(f->r, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tu_query_i64(db, "SELECT count(*) FROM outbox WHERE id = 'k:1' AND change = "
                                      "'{\"id\":\"k:1\"}' AND length(created_at) = 20"),
                     1);

    assert_int_equal(replica_outbox_done(f->r, "k:1", "rejected", "conflict", "slot taken", -1),
                     ERR_OK);
    assert_int_equal(replica_outbox_count(f->r, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(tu_query_i64(db,
                                  "SELECT count(*) FROM push_result WHERE id = 'k:1' AND status "
                                  "= 'rejected' AND error = 'conflict' AND message = 'slot "
                                  "taken' AND seq IS NULL AND length(at) = 20"),
                     1);
    assert_int_equal(replica_outbox_done(f->r, "k:2", "applied", NULL, NULL, 5), ERR_OK);
    assert_int_equal(tu_query_i64(db,
                                  "SELECT count(*) FROM push_result WHERE id = 'k:2' AND status "
                                  "= 'applied' AND error IS NULL AND seq = 5"),
                     1);
    assert_int_equal(replica_outbox_count(f->r, &n), ERR_OK);
    assert_int_equal(n, 0);
}

/* Search */

struct hits {
    int n;
    char ids[8][32];
};

static int collect(void *arg, const char *tbl, const char *row_id)
{
    struct hits *h = arg;
    assert_true(strlen(tbl) > 0);
    if (h->n < 8)
        snprintf(h->ids[h->n], sizeof h->ids[0], "%s", row_id);
    h->n++;
    return 0;
}

static struct hits search(struct replica *r, const char *text)
{
    struct hits h = {0};
    assert_int_equal(replica_search(r, text, 0, collect, &h), ERR_OK);
    return h;
}

static void put_initiative(struct replica *r, const char *id, const char *title, int supports,
                           int64_t seq)
{
    const struct table *t = tables_find("initiative");
    json_t *row = sample_row(t, id, 1);
    json_object_set_new(row, "title", json_string(title));
    json_object_set_new(row, "summary", json_string("Résumé"));
    json_object_set_new(row, "description", json_string("Un projet"));
    json_object_set_new(row, "carrier", json_string("Up Sceaux"));
    json_object_set_new(row, "supports", json_integer(supports));
    assert_int_equal(replica_apply(r, t, REPLICA_UPSERT, NULL, row, seq), ERR_OK);
    json_decref(row);
}

static void search_ignores_accents_and_case(void **state)
{
    struct fixture *f = *state;
    put_initiative(f->r, "i1", "École du numérique", 0, 1);
    put_initiative(f->r, "i2", "Maison de santé", 0, 2);
    struct hits h = search(f->r, "ecole");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "i1");
    h = search(f->r, "sante");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "i2");
    h = search(f->r, "ÉCOLE");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "i1");
    h = search(f->r, "numér");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "i1");
    h = search(f->r, "SANTÉ maison");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "i2");
    h = search(f->r, "sceaux");
    assert_int_equal(h.n, 2);
    h = search(f->r, "ecole sante");
    assert_int_equal(h.n, 0);

    /* Other indexed tables. */
    const struct table *org = tables_find("organization");
    json_t *row = sample_row(org, "o1", 1);
    json_object_set_new(row, "name", json_string("Sceaux Valley"));
    assert_int_equal(replica_apply(f->r, org, REPLICA_UPSERT, NULL, row, 3), ERR_OK);
    json_decref(row);
    const struct table *ev = tables_find("event");
    row = sample_row(ev, "e1", 0);
    json_object_set_new(row, "place", json_string("Hôtel de ville"));
    assert_int_equal(replica_apply(f->r, ev, REPLICA_UPSERT, NULL, row, 4), ERR_OK);
    json_decref(row);
    h = search(f->r, "valley");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "o1");
    h = search(f->r, "hotel");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "e1");
    /* Not indexed: a site's name. */
    const struct table *site = tables_find("site");
    row = sample_row(site, "s1", 0);
    json_object_set_new(row, "name", json_string("Sceaux Smart"));
    assert_int_equal(replica_apply(f->r, site, REPLICA_UPSERT, NULL, row, 5), ERR_OK);
    json_decref(row);
    h = search(f->r, "smart");
    assert_int_equal(h.n, 0);
}

static void search_input_is_safe(void **state)
{
    struct fixture *f = *state;
    put_initiative(f->r, "i1", "École du numérique", 0, 1);
    const char *nasty[] = {
        "\"",      "\"ecole",   "ecole\"", "(",      ")",          "ecole)",      "*",
        "ecole*",  "*ecole",    "title:x", ":",      "AND",        "ecole AND",   "OR OR",
        "NOT",     "NEAR(a b)", "-ecole",  "^ecole", "{title}: e", "e\"c\"o(l)e", "'; --",
        "«école»", "l’école",   "",        "   ",    "+",          "\\",          "%_",
    };
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
        struct hits h = {0};
        assert_int_equal(replica_search(f->r, nasty[i], 10, collect, &h), ERR_OK);
    }
    assert_int_equal(search(f->r, "\"ecole").n, 1);
    assert_int_equal(search(f->r, "(ecole)").n, 1);
    assert_int_equal(search(f->r, "ecole*").n, 1);
    assert_int_equal(search(f->r, "title:ecole").n, 0); /* both words must match */
    assert_int_equal(search(f->r, "«école»").n, 1);
    assert_int_equal(search(f->r, "l’école").n, 0); /* phrase "l ecole": not in the title */

    char *e = replica_search_expr("Maison \"de\" (santé)*");
    assert_string_equal(e, "\"Maison\"* \"de\"* \"santé\"*");
    free(e);
    assert_null(replica_search_expr(" ()*\":^ "));
    assert_null(replica_search_expr(""));

    /* Long input: capped in words and bytes, never cut inside a character. */
    char longtext[1024] = "a";
    size_t len = 1;
    while (len + 3 < sizeof longtext) {
        memcpy(longtext + len, "é", 2);
        len += 2;
    }
    longtext[len] = '\0';
    e = replica_search_expr(longtext);
    assert_non_null(e);
    /* "a" then é (2 bytes) each: byte 256 falls inside an é, so the word
     * keeps 255 bytes, plus the quotes and the star. */
    assert_int_equal(strlen(e), 255 + 3);
    free(e);
    struct hits h = {0};
    assert_int_equal(replica_search(f->r, longtext, 10, collect, &h), ERR_OK);
    char many[512] = "";
    len = 0;
    for (int i = 0; i < 40; i++) {
        memcpy(many + len, "ab ", 3);
        len += 3;
    }
    many[len] = '\0';
    e = replica_search_expr(many);
    int words = 0;
    for (const char *p = e; *p; p++)
        words += *p == '*';
    assert_int_equal(words, REPLICA_SEARCH_MAX_WORDS);
    free(e);

    /* The limit stops early. */
    put_initiative(f->r, "i2", "École de musique", 0, 2);
    h = (struct hits){0};
    assert_int_equal(replica_search(f->r, "ecole", 1, collect, &h), ERR_OK);
    assert_int_equal(h.n, 1);
}

static void search_follows_updates_and_deletes(void **state)
{
    struct fixture *f = *state;
    const struct table *t = tables_find("initiative");
    put_initiative(f->r, "i1", "École du numérique", 0, 1);
    put_initiative(f->r, "i2", "Maison de santé", 0, 2);
    assert_int_equal(search(f->r, "ecole").n, 1);

    put_initiative(f->r, "i1", "Atelier vélo", 0, 3);
    assert_int_equal(search(f->r, "ecole").n, 0);
    struct hits h = search(f->r, "velo");
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "i1");
    assert_int_equal(count(f->r, "search"), 2);

    /* An update of a column outside the index keeps its entry. */
    put_initiative(f->r, "i1", "Atelier vélo", 5, 4);
    h = search(f->r, "velo");
    assert_int_equal(h.n, 1);
    assert_int_equal(count(f->r, "search"), 2);

    assert_int_equal(replica_apply(f->r, t, REPLICA_DELETE, "i1", NULL, 5), ERR_OK);
    assert_int_equal(search(f->r, "velo").n, 0);
    assert_int_equal(search(f->r, "sante").n, 1);
    assert_int_equal(count(f->r, "search"), 1);

    /* A row deleted then inserted again is indexed again. */
    put_initiative(f->r, "i1", "Atelier vélo", 0, 6);
    assert_int_equal(search(f->r, "velo").n, 1);
    assert_int_equal(count(f->r, "search"), 2);
    assert_int_equal(
        tu_query_i64(replica_db(f->r),
                     "SELECT count(*) FROM search s JOIN initiative i ON i.id = s.row_id "
                     "AND s.tbl = 'initiative'"),
        2);
}

/* Closes the fixture's replica and makes another, `name` in its folder
 * (path[160]), at version `nsteps` of the schema. */
static sqlite3 *older_replica(struct fixture *f, const char *name, int nsteps, char *path)
{
    replica_close(f->r);
    f->r = NULL;
    snprintf(path, 160, "%s/%s", f->dir, name);
    struct db_schema old = replica_schema;
    old.nsteps = nsteps;
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(db_open(path, &old, &db, err, sizeof err), ERR_OK);
    return db;
}

static void older_replica_migrates_keeping_outbox(void **state)
{
    struct fixture *f = *state;
    char path[160], err[256] = "";
    /* Version 1: the local tables only. */
    sqlite3 *db = older_replica(f, "old.db", 1, path);
    assert_int_equal(db_exec(db,
                             "INSERT INTO outbox VALUES ('c1', '{}', '2026-12-01T09:00:00Z');"
                             "UPDATE sync_state SET value = 'kept' WHERE key = 'last_error';",
                             NULL, 0),
                     ERR_OK);
    sqlite3_close_v2(db);

    assert_int_equal(replica_open(path, &f->r, err, sizeof err), ERR_OK);
    assert_int_equal(tu_query_i64(replica_db(f->r), "PRAGMA user_version"), replica_schema.nsteps);
    assert_int_equal(count(f->r, "outbox"), 1);
    char *v = NULL;
    assert_int_equal(replica_state_get(f->r, "last_error", &v), ERR_OK);
    assert_string_equal(v, "kept");
    free(v);
    fill(f->r);
    public_rows(f->r, 1);
    replica_close(f->r);
    f->r = NULL;

    /* A replica from newer code is refused, and stays as it was. */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(db_exec(db, "PRAGMA user_version = 99", NULL, 0), ERR_OK);
    sqlite3_close(db);
    assert_int_equal(replica_open(path, &f->r, err, sizeof err), ERR_INVALID);
    assert_null(f->r);
    assert_non_null(strstr(err, "newer"));
    tu_remove_db(path);
}

/* A replica from before the privacy amendments (version 2) held holders'
 * names, the names typed for its own bookings and unpublished proposals:
 * the migration erases them and pulls again, keeping the outbox. */
static void older_replica_forgets_names(void **state)
{
    struct fixture *f = *state;
    char path[160], err[256] = "";
    sqlite3 *db = older_replica(f, "v2.db", 2, path);
    assert_int_equal(
        db_exec(db,
                "INSERT INTO booking VALUES ('b1', 'r1', '2026-12-01T09:00:00Z',"
                " '2026-12-01T10:00:00Z', 'Camille Dupont', NULL, 'confirmed', 3);"
                "INSERT INTO proposal (id, text, domain, author_name, status, created_at, seq)"
                " VALUES ('p1', 't', NULL, 'Zoé Martin', 'submitted',"
                " '2026-12-01T09:00:00Z', 4);"
                "INSERT INTO local_booking VALUES ('b1', 'c1', 'r1', '2026-12-01T09:00:00Z',"
                " '2026-12-01T10:00:00Z', 'Camille Dupont', '2026-12-01T08:00:00Z');"
                "INSERT INTO outbox VALUES ('c1', '{}', '2026-12-01T08:00:00Z');"
                "UPDATE sync_state SET value = '4' WHERE key = 'cursor';",
                err, sizeof err),
        ERR_OK);
    sqlite3_close_v2(db);

    assert_int_equal(replica_open(path, &f->r, err, sizeof err), ERR_OK);
    assert_int_equal(count(f->r, "booking"), 0);
    assert_int_equal(count(f->r, "proposal"), 0);
    assert_int_equal(count(f->r, "local_booking"), 1);
    assert_int_equal(count(f->r, "outbox"), 1);
    int has = 1;
    assert_int_equal(db_has_column(replica_db(f->r), "local_booking", "holder", &has), ERR_OK);
    assert_false(has);
    assert_int_equal(tu_query_i64(replica_db(f->r), "SELECT value FROM sync_state"
                                                    " WHERE key = 'cursor'"),
                     0);
    /* A kiosk's pull carries holder null: the replica takes it. */
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:n, s:n, s:s}", "id", "b2", "room_id", "r1",
                            "starts_at", "2026-12-01T09:00:00Z", "ends_at", "2026-12-01T10:00:00Z",
                            "holder", "purpose", "status", "confirmed");
    assert_int_equal(replica_apply(f->r, tables_find("booking"), REPLICA_UPSERT, NULL, row, 5),
                     ERR_OK);
    json_decref(row);
    replica_close(f->r);
    f->r = NULL;
    tu_remove_db(path);
}

int main(void)
{
    xalloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(schema_and_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(apply_every_table, setup, teardown),
        cmocka_unit_test_setup_teardown(apply_refuses_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_keeps_local_state, setup, teardown),
        cmocka_unit_test_setup_teardown(state_and_outbox, setup, teardown),
        cmocka_unit_test_setup_teardown(search_ignores_accents_and_case, setup, teardown),
        cmocka_unit_test_setup_teardown(search_input_is_safe, setup, teardown),
        cmocka_unit_test_setup_teardown(search_follows_updates_and_deletes, setup, teardown),
        cmocka_unit_test_setup_teardown(older_replica_migrates_keeping_outbox, setup, teardown),
        cmocka_unit_test_setup_teardown(older_replica_forgets_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
