/* Unit tests of what sceaux-syncd does with the hub's answers, on a real
 * replica in a temporary file. Pulled pages (sync/syncd/pull.c,
 * pull_apply): a page and its cursor land together, a bad page changes
 * nothing, a new epoch or `reset` drops the public rows but keeps the
 * outbox and the push results; a catch-up from 0 over several pages builds
 * the search index with its last page, also after a crash between pages. Push results (push.c,
 * push_record): each result recorded with its outbox row deleted, a duplicate recorded as its first
 * result, an answer that does not match records nothing. A page that does not fit on the disk, or
 * meets a read-only replica, is refused with the fault named, and its code for the hub. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sync/syncd/plan.h"
#include "../../sync/syncd/pull.h"
#include "../../sync/syncd/push.h"
#include "buf.h"
#include "replica.h"
#include "xalloc.h"

struct fixture {
    char dir[64];
    char path[96];
    struct replica *r;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sceaux-pull-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/kiosk.db", f->dir);
    char msg[256];
    if (replica_open(f->path, &f->r, msg, sizeof msg))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    replica_close(f->r);
    const char *sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s%s", f->path, sfx[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t count(struct replica *r, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(replica_db(r), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t cursor(struct replica *r)
{
    int64_t c = -1;
    assert_int_equal(replica_state_get_i64(r, "cursor", &c), ERR_OK);
    return c;
}

static char *epoch(struct replica *r)
{
    char *e = NULL;
    assert_int_equal(replica_state_get(r, "epoch", &e), ERR_OK);
    return e;
}

static enum err apply(struct replica *r, int64_t from, const char *page, struct pull_stats *st)
{
    char why[300];
    return pull_apply(r, from, page, strlen(page), PLAN_PULL_LIMIT, st, why, sizeof why);
}

#define SITE(seq, id, name)                                                                        \
    "{\"seq\":" #seq ",\"table\":\"site\",\"op\":\"upsert\",\"row\":{\"id\":\"" id                 \
    "\",\"name\":\"" name "\",\"address\":\"1 rue Houdan\"}}"
#define ROOM(seq, id)                                                                              \
    "{\"seq\":" #seq ",\"table\":\"room\",\"op\":\"upsert\",\"row\":{\"id\":\"" id                 \
    "\",\"site_id\":\"s1\",\"name\":\"Salle\",\"capacity\":8,\"equipment\":null,"                  \
    "\"bookable\":true,\"opens\":\"08:00\",\"closes\":\"20:00\"}}"
#define PAGE(epoch, since, next, more, reset, changes)                                             \
    "{\"format\":\"sceaux/1\",\"epoch\":\"" epoch "\",\"since\":" #since ",\"next\":" #next        \
    ",\"more\":" more ",\"reset\":" reset ",\"changes\":[" changes "]}"

static const char page1[] =
    PAGE("e1", 0, 3, "false", "false",
         SITE(1, "s1", "Mairie") "," SITE(2, "s2", "Smart") "," ROOM(3, "r1"));

static void page_and_cursor_land_together(void **state)
{
    struct fixture *f = *state;
    struct pull_stats st;
    assert_int_equal(apply(f->r, 0, page1, &st), ERR_OK);
    assert_int_equal(st.applied, 3);
    assert_false(st.more);
    assert_int_equal(cursor(f->r), 3);
    char *e = epoch(f->r);
    assert_string_equal(e, "e1");
    free(e);
    assert_int_equal(count(f->r, "SELECT count(*) FROM site"), 2);
    assert_int_equal(count(f->r, "SELECT bookable FROM room WHERE id = 'r1'"), 1);
    assert_int_equal(count(f->r, "SELECT equipment IS NULL FROM room WHERE id = 'r1'"), 1);

    /* A delete and an update in the next page. */
    static const char page2[] =
        PAGE("e1", 3, 9, "true", "false",
             "{\"seq\":5,\"table\":\"site\",\"op\":\"delete\",\"id\":\"s2\"}," SITE(
                 9, "s1", "Hôtel de ville"));
    assert_int_equal(apply(f->r, 3, page2, &st), ERR_OK);
    assert_true(st.more);
    assert_int_equal(cursor(f->r), 9);
    assert_int_equal(count(f->r, "SELECT count(*) FROM site"), 1);
    assert_int_equal(count(f->r, "SELECT count(*) FROM site WHERE name = 'Hôtel de ville'"), 1);
}

/* A table added to the protocol after this build (a newer hub): its
 * changes are skipped, the rest of the page lands, the cursor passes it. */
static void unknown_table_is_skipped(void **state)
{
    struct fixture *f = *state;
    struct pull_stats st;
    static const char page[] =
        PAGE("e1", 0, 4, "false", "false",
             SITE(1, "s1", "Mairie") ",{\"seq\":2,\"table\":\"later_table\",\"op\":\"upsert\","
                                     "\"row\":{\"id\":\"x1\",\"what\":1}},"
                                     "{\"seq\":3,\"table\":\"later_table\",\"op\":\"delete\","
                                     "\"id\":\"x0\"}," SITE(4, "s2", "Smart"));
    assert_int_equal(apply(f->r, 0, page, &st), ERR_OK);
    assert_int_equal(cursor(f->r), 4);
    assert_int_equal(count(f->r, "SELECT count(*) FROM site"), 2);
}

static void bad_pages_change_nothing(void **state)
{
    struct fixture *f = *state;
    struct pull_stats st;
    assert_int_equal(apply(f->r, 0, page1, &st), ERR_OK);
    const char *bad[] = {
        /* a row missing a column */
        PAGE("e1", 3, 4, "false", "false",
             "{\"seq\":4,\"table\":\"site\",\"op\":\"upsert\",\"row\":{\"id\":\"s3\"}}"),
        /* an answer to another cursor */
        PAGE("e1", 2, 4, "false", "false", SITE(4, "s3", "X")),
        /* seq not ascending */
        PAGE("e1", 3, 5, "false", "false", SITE(5, "s3", "X") "," SITE(4, "s4", "Y")),
        /* a hub-only table */
        PAGE("e1", 3, 4, "false", "false",
             "{\"seq\":4,\"table\":\"support\",\"op\":\"delete\",\"id\":\"x\"}"),
        "{\"format\":\"sceaux/1\"}",
        "not json",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(apply(f->r, 3, bad[i], &st), ERR_INVALID);
        assert_int_equal(st.fault, FAULT_NONE); /* the hub's fault, not the kiosk's */
        assert_int_equal(cursor(f->r), 3);
        assert_int_equal(count(f->r, "SELECT count(*) FROM site"), 2);
    }
}

static void new_epoch_drops_replica_keeps_outbox(void **state)
{
    struct fixture *f = *state;
    struct pull_stats st;
    assert_int_equal(apply(f->r, 0, page1, &st), ERR_OK);
    assert_int_equal(replica_outbox_add(f->r, "k:1", "{\"id\":\"k:1\"}"), ERR_OK);
    assert_int_equal(replica_outbox_add(f->r, "k:2", "{\"id\":\"k:2\"}"), ERR_OK);
    assert_int_equal(replica_outbox_done(f->r, "k:1", "applied", NULL, NULL, 7), ERR_OK);

    /* The hub was restored: another epoch, even for a plausible page. */
    static const char restored[] = PAGE("e2", 3, 3, "false", "false", "");
    assert_int_equal(apply(f->r, 3, restored, &st), ERR_OK);
    assert_true(st.reset);
    assert_true(st.more);
    assert_int_equal(cursor(f->r), 0);
    char *e = epoch(f->r);
    assert_string_equal(e, "e2");
    free(e);
    assert_int_equal(count(f->r, "SELECT count(*) FROM site"), 0);
    assert_int_equal(count(f->r, "SELECT count(*) FROM room"), 0);
    assert_int_equal(count(f->r, "SELECT count(*) FROM outbox"), 1);
    assert_int_equal(count(f->r, "SELECT count(*) FROM push_result"), 1);

    /* Then the rebuild from 0. */
    static const char rebuild[] = PAGE("e2", 0, 2, "false", "false", SITE(2, "s9", "Neuf"));
    assert_int_equal(apply(f->r, 0, rebuild, &st), ERR_OK);
    assert_false(st.reset);
    assert_int_equal(cursor(f->r), 2);
    assert_int_equal(count(f->r, "SELECT count(*) FROM site"), 1);
}

static void reset_flag_drops_replica(void **state)
{
    struct fixture *f = *state;
    struct pull_stats st;
    assert_int_equal(apply(f->r, 0, page1, &st), ERR_OK);
    static const char reset[] = PAGE("e1", 3, 3, "false", "true", "");
    assert_int_equal(apply(f->r, 3, reset, &st), ERR_OK);
    assert_true(st.reset);
    assert_int_equal(cursor(f->r), 0);
    assert_int_equal(count(f->r, "SELECT count(*) FROM site"), 0);
    /* A pull from 0 never resets: such an answer is refused. */
    static const char reset0[] = PAGE("e1", 0, 0, "false", "true", "");
    assert_int_equal(apply(f->r, 0, reset0, &st), ERR_INVALID);
}

static enum err record(struct replica *r, const char *const *ids, size_t n, const char *body,
                       struct push_stats *st)
{
    char why[300];
    memset(st, 0, sizeof *st);
    return push_record(r, ids, n, body, strlen(body), st, why, sizeof why);
}

static void results_recorded_with_outbox_rows(void **state)
{
    struct fixture *f = *state;
    const char *ids[] = {"k:1", "k:2", "k:3"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(replica_outbox_add(f->r, ids[i], "{}"), ERR_OK);
    struct push_stats st;
    /* Answers that do not match what was sent record nothing. */
    const char *wrong[] = {
        "{\"results\":[{\"id\":\"k:1\",\"status\":\"applied\",\"seq\":4}]}",
        "{\"results\":[{\"id\":\"k:1\",\"status\":\"applied\",\"seq\":4},"
        "{\"id\":\"k:3\",\"status\":\"applied\",\"seq\":5},"
        "{\"id\":\"k:2\",\"status\":\"applied\",\"seq\":6}]}",
        "{\"results\":\"no\"}",
        "",
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        assert_int_equal(record(f->r, ids, 3, wrong[i], &st), ERR_INVALID);
        assert_int_equal(count(f->r, "SELECT count(*) FROM outbox"), 3);
        assert_int_equal(count(f->r, "SELECT count(*) FROM push_result"), 0);
    }
    static const char ok[] =
        "{\"results\":[{\"id\":\"k:1\",\"status\":\"applied\",\"seq\":4},"
        "{\"id\":\"k:2\",\"status\":\"duplicate\",\"seq\":null,\"error\":\"conflict\","
        "\"message\":\"slot taken\",\"field\":\"starts_at\"},"
        "{\"id\":\"k:3\",\"status\":\"duplicate\",\"seq\":2}]}";
    assert_int_equal(record(f->r, ids, 3, ok, &st), ERR_OK);
    assert_int_equal(st.applied, 2);
    assert_int_equal(st.rejected, 1);
    assert_int_equal(st.duplicate, 2);
    assert_int_equal(count(f->r, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(count(f->r, "SELECT seq FROM push_result WHERE id = 'k:1' AND "
                                 "status = 'applied' AND error IS NULL"),
                     4);
    /* A duplicate is recorded as its first result. */
    assert_int_equal(count(f->r, "SELECT count(*) FROM push_result WHERE id = 'k:2' AND "
                                 "status = 'rejected' AND error = 'conflict' AND seq IS NULL"),
                     1);
    assert_int_equal(count(f->r, "SELECT seq FROM push_result WHERE id = 'k:3' AND "
                                 "status = 'applied'"),
                     2);
}

#define ORG(seq, id, name)                                                                         \
    "{\"seq\":" #seq ",\"table\":\"organization\",\"op\":\"upsert\",\"row\":{\"id\":\"" id         \
    "\",\"name\":\"" name "\",\"kind\":\"association\",\"description\":\"Ateliers\","              \
    "\"domain\":null,\"contact\":null,\"url\":null,\"address\":null}}"

static int64_t hits(struct replica *r, const char *word)
{
    char *sql = xasprintf("SELECT count(*) FROM search WHERE search MATCH '%s'", word);
    int64_t n = count(r, sql);
    free(sql);
    return n;
}

/* The first page of a catch-up from 0 drops the index's triggers; the
 * last one builds the index from every row. A crash (the replica closed
 * and opened again) between the two changes nothing to that. */
static void catch_up_builds_search_at_its_end(void **state)
{
    struct fixture *f = *state;
    static const char first[] = PAGE("e1", 0, 2, "true", "false",
                                     ORG(1, "o1", "Jardiniers du Parc") "," ORG(2, "o2", "Vélo"));
    static const char last[] =
        PAGE("e1", 2, 4, "false", "false", ORG(3, "o3", "Repair Café") "," ORG(4, "o1", "Jardin"));
    struct pull_stats st;
    bool deferred = false;
    assert_int_equal(apply(f->r, 0, first, &st), ERR_OK);
    assert_int_equal(replica_search_deferred(f->r, &deferred), ERR_OK);
    assert_true(deferred);
    assert_int_equal(hits(f->r, "jardiniers"), 0);

    replica_close(f->r);
    char msg[256];
    assert_int_equal(replica_open(f->path, &f->r, msg, sizeof msg), ERR_OK);
    assert_int_equal(replica_search_deferred(f->r, &deferred), ERR_OK);
    assert_true(deferred);

    assert_int_equal(apply(f->r, 2, last, &st), ERR_OK);
    assert_int_equal(replica_search_deferred(f->r, &deferred), ERR_OK);
    assert_false(deferred);
    assert_int_equal(hits(f->r, "repair"), 1);
    assert_int_equal(hits(f->r, "velo"), 1);
    assert_int_equal(hits(f->r, "jardiniers"), 0); /* o1 was renamed by the last page */
    assert_int_equal(hits(f->r, "jardin"), 1);
    assert_int_equal(count(f->r, "SELECT count(*) FROM search"), 3);

    /* The triggers are back: a later page keeps the index as it goes. */
    static const char later[] = PAGE("e1", 4, 5, "false", "false", ORG(5, "o2", "Cyclistes"));
    assert_int_equal(apply(f->r, 4, later, &st), ERR_OK);
    assert_int_equal(hits(f->r, "velo"), 0);
    assert_int_equal(hits(f->r, "cyclistes"), 1);
}

/* A replica that may not grow (PRAGMA max_page_count, the way SQLite
 * sees a full disk) refuses a page with "disk full" in the reason, not
 * "input/output error", and keeps its cursor. */
static void full_disk_is_named(void **state)
{
    struct fixture *f = *state;
    int64_t pages = count(f->r, "PRAGMA page_count");
    char *sql = xasprintf("PRAGMA max_page_count = %lld", (long long)pages + 4);
    assert_int_equal(sqlite3_exec(replica_db(f->r), sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    struct buf page;
    buf_init(&page, 1u << 24);
    assert_int_equal(buf_puts(&page,
                              "{\"format\":\"sceaux/1\",\"epoch\":\"e1\",\"since\":0,\"next\":200,"
                              "\"more\":false,\"reset\":false,\"changes\":["),
                     ERR_OK);
    for (int i = 1; i <= 200; i++)
        assert_int_equal(
            buf_printf(
                &page,
                "%s{\"seq\":%d,\"table\":\"site\",\"op\":\"upsert\",\"row\":{\"id\":\"s%d\","
                "\"name\":\"Maison de quartier des Blagis numéro %d\",\"address\":\"%0200d\"}}",
                i > 1 ? "," : "", i, i, i, i),
            ERR_OK);
    assert_int_equal(buf_puts(&page, "]}"), ERR_OK);
    struct pull_stats st;
    char why[300] = "";
    assert_int_not_equal(
        pull_apply(f->r, 0, page.data, page.len, PLAN_PULL_LIMIT, &st, why, sizeof why), ERR_OK);
    assert_non_null(strstr(why, "disk full (SQLITE_FULL)"));
    assert_null(strstr(why, "input/output"));
    assert_int_equal(st.fault, FAULT_DISK_FULL); /* what syncd tells the hub */
    assert_int_equal(cursor(f->r), 0);
    assert_int_equal(count(f->r, "SELECT count(*) FROM site"), 0);
    buf_release(&page);
}

/* A replica that may not be written (PRAGMA query_only, as SQLite sees a
 * read-only file) refuses a page as read-only, for the log and the hub. */
static void read_only_is_named(void **state)
{
    struct fixture *f = *state;
    struct pull_stats st;
    assert_int_equal(apply(f->r, 0, page1, &st), ERR_OK);
    assert_int_equal(sqlite3_exec(replica_db(f->r), "PRAGMA query_only = 1", NULL, NULL, NULL),
                     SQLITE_OK);
    static const char page2[] = PAGE("e1", 3, 4, "false", "false", SITE(4, "s3", "X"));
    char why[300] = "";
    assert_int_not_equal(
        pull_apply(f->r, 3, page2, strlen(page2), PLAN_PULL_LIMIT, &st, why, sizeof why), ERR_OK);
    assert_non_null(strstr(why, "read-only (SQLITE_READONLY)"));
    assert_int_equal(st.fault, FAULT_READ_ONLY);
    assert_int_equal(cursor(f->r), 3);
}

int main(void)
{
    xalloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(page_and_cursor_land_together, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_table_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_pages_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(new_epoch_drops_replica_keeps_outbox, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_flag_drops_replica, setup, teardown),
        cmocka_unit_test_setup_teardown(results_recorded_with_outbox_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(catch_up_builds_search_at_its_end, setup, teardown),
        cmocka_unit_test_setup_teardown(full_disk_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(read_only_is_named, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
