/* Unit tests of kiosk/model.c on a real replica (replica_open on a
 * temporary file): the rows the screens see (published initiatives,
 * accent-insensitive search, announcements by target and time window,
 * booking states from the outbox and push_result) and the outbox rows
 * the kiosk writes (support, booking with local_booking, cancel, idea),
 * the status bar agreeing with a screen after model_refresh, and writes
 * that give up quickly while syncd holds the lock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../../kiosk/model.h"
#include "tables.h"
#include "xalloc.h"

struct fx {
    char path[64];
    struct model *m;
    sqlite3 *raw; /* a second connection, as syncd would be */
};

static void sql(sqlite3 *db, const char *s)
{
    char *err = NULL;
    if (sqlite3_exec(db, s, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("sql: %s: %s", s, err);
}

static int64_t count(sqlite3 *db, const char *s)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, s, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int setup(void **state)
{
    xalloc_init();
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/test_kiosk_model.%d.db", (int)getpid());
    unlink(f->path);
    char err[200];
    assert_int_equal(model_open(f->path, &f->m, err, sizeof err), ERR_OK);
    assert_int_equal(sqlite3_open(f->path, &f->raw), SQLITE_OK);
    sqlite3_busy_timeout(f->raw, 5000);
    sql(f->raw,
        "INSERT INTO site VALUES ('s1', 'Site', 'Adresse', 1);"
        "INSERT INTO room VALUES ('r1', 's1', 'Alpha', 10, NULL, 1, '08:00', '20:00', 1),"
        " ('r2', 's1', 'Fermée', 10, NULL, 0, '08:00', '20:00', 1),"
        " ('r3', 's2', 'Ailleurs', 10, NULL, 1, '08:00', '20:00', 1);"
        "INSERT INTO initiative (id, title, summary, description, domain, stage, carrier, contact,"
        " url, supports, published, updated_at, seq) VALUES"
        " ('i1', 'École ouverte', 'r', 'd', 'education_formation', 'emergence', 'c', NULL, NULL, 5,"
        " 1, '2026-11-01T00:00:00Z', 1),"
        " ('i2', 'Jardin', 'r', 'd', 'agriculture', 'emergence', 'c', NULL, NULL, 9, 1,"
        " '2026-11-01T00:00:00Z', 1),"
        " ('i3', 'Caché école', 'r', 'd', 'culture', 'emergence', 'c', NULL, NULL, 0, 0,"
        " '2026-11-01T00:00:00Z', 1);");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    sqlite3_close(f->raw);
    model_close(f->m);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static void test_initiatives_and_search(void **state)
{
    struct fx *f = *state;
    const struct model_rows *r = model_initiatives(f->m, NULL, NULL, NULL);
    assert_int_equal(r->n, 2);                          /* the unpublished one is never shown */
    assert_string_equal(model_str(r, 0, INI_ID), "i2"); /* most supported first */
    r = model_initiatives(f->m, "education_formation", NULL, NULL);
    assert_int_equal(r->n, 1);
    r = model_initiatives(f->m, NULL, NULL, "ECOLE");
    assert_int_equal(r->n, 1);
    assert_string_equal(model_str(r, 0, INI_TITLE), "École ouverte");
    r = model_initiatives(f->m, NULL, NULL, "\"ecol*) (");
    assert_int_equal(r->n, 1); /* syntax in the input stays text */
    r = model_initiatives(f->m, "agriculture", NULL, "école");
    assert_int_equal(r->n, 0);
    /* Stage and domain together, with and without search words. */
    assert_int_equal(model_initiatives(f->m, NULL, "emergence", NULL)->n, 2);
    assert_int_equal(model_initiatives(f->m, "agriculture", "emergence", NULL)->n, 1);
    assert_int_equal(model_initiatives(f->m, "agriculture", "developpement", NULL)->n, 0);
    assert_int_equal(model_initiatives(f->m, NULL, "emergence", "ecole")->n, 1);
    assert_int_equal(model_initiatives(f->m, NULL, "developpement", "ecole")->n, 0);
    assert_string_equal(model_str(r, 3, 0), ""); /* out of range: empty, not a crash */
    /* A filter's choices come from the protocol's enum. */
    assert_string_equal(model_values("initiative", "stage")[2], "mise_en_oeuvre");
    assert_null(model_values("initiative", "title")[0]);
    assert_null(model_values("nope", "stage")[0]);
}

/* The accompaniment path's actors: an item of a set matches whole (local
 * is not localisation, mise_en_oeuvre's underscores are not wildcards),
 * actors of the project's domain come first, those without an offer
 * never; the needs offered are those some actor has. */
static void test_accompany(void **state)
{
    struct fx *f = *state;
    sql(f->raw,
        "INSERT INTO organization (id, name, kind, description, domain, offers, stages, seq) VALUES"
        " ('o1', 'Alpha', 'accompagnement', 'd', 'sport', 'local,reseau', 'emergence', 1),"
        " ('o2', 'Beta', 'association', 'd', 'culture', 'financement', 'emergence,mise_en_oeuvre', "
        "1),"
        " ('o3', 'Gamma', 'collectivite', 'd', NULL, NULL, 'emergence', 1),"
        " ('o4', 'Delta', 'accompagnement', 'd', NULL, 'conseil', 'misexenxoeuvre', 1);"
        "INSERT INTO event (id, title, description, starts_at, ends_at, category, organization_id,"
        " seq) VALUES ('e1', 'Atelier', 'd', '2035-01-10T17:00:00Z', '2035-01-10T18:00:00Z',"
        " 'atelier', 'o2', 1);");
    const struct model_rows *r = model_accompany(f->m, NULL, "emergence", NULL);
    assert_int_equal(r->n, 2);                          /* Gamma offers nothing */
    assert_string_equal(model_str(r, 0, ORG_ID), "o1"); /* a support body first */
    r = model_accompany(f->m, "culture", "emergence", NULL);
    assert_string_equal(model_str(r, 0, ORG_ID), "o2"); /* the project's domain first */
    assert_int_equal(model_accompany(f->m, NULL, "mise_en_oeuvre", NULL)->n, 1);
    assert_int_equal(model_accompany(f->m, NULL, NULL, "loca")->n, 0);
    r = model_accompany(f->m, NULL, NULL, "reseau");
    assert_int_equal(r->n, 1);
    assert_string_equal(model_str(r, 0, ORG_OFFERS), "local,reseau");
    const char *offered = model_offers_present(f->m);
    assert_true(tables_set_has(offered, "conseil") && tables_set_has(offered, "local"));
    assert_false(tables_set_has(offered, "formation"));
    r = model_events_linked(f->m, "2035-01-01T00:00:00Z", "2035-02-01T00:00:00Z");
    assert_int_equal(r->n, 1);
    assert_string_equal(model_str(r, 0, EV_ORG), "o2");
    assert_int_equal(model_organization(f->m, "o4")->n, 1);
}

static void test_data_version_poll(void **state)
{
    struct fx *f = *state;
    assert_int_equal(model_initiatives(f->m, NULL, NULL, NULL)->n, 2);
    model_poll(f->m, 1000);
    sql(f->raw, "UPDATE initiative SET published = 1 WHERE id = 'i3'");
    assert_false(model_poll(f->m, 1100)); /* at most every 250 ms */
    assert_true(model_poll(f->m, 1300));
    assert_int_equal(model_initiatives(f->m, NULL, NULL, NULL)->n, 3);
}

static void test_announcements(void **state)
{
    struct fx *f = *state;
    sql(f->raw, "INSERT INTO announcement (id, title, body, priority, starts_at, ends_at, target,"
                " author, seq) VALUES"
                " ('a1', 't', 'b', 'info', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', 'all', "
                "NULL, 1),"
                " ('a2', 't', 'b', 'urgent', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z',"
                " 'site:s1', NULL, 1),"
                " ('a3', 't', 'b', 'info', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z',"
                " 'kiosk:k9', NULL, 1),"
                " ('a4', 't', 'b', 'info', '2026-12-01T12:00:00Z', '2026-12-02T00:00:00Z', 'all',"
                " NULL, 1)");
    const struct model_rows *r = model_announcements(f->m, "s1", "k1", "2026-12-01T10:00:00Z");
    assert_int_equal(r->n, 2);
    assert_string_equal(model_str(r, 0, ANN_ID), "a2"); /* urgent first */
    r = model_announcements(f->m, NULL, "k9", "2026-12-01T13:00:00Z");
    assert_int_equal(r->n, 3);
    r = model_announcements(f->m, "s1", "k1", "2026-12-02T00:00:00Z");
    assert_int_equal(r->n, 0); /* ends_at is exclusive */
    /* Two published in the same second: the later one (higher seq) first,
     * whatever their ids. */
    sql(f->raw, "INSERT INTO announcement (id, title, body, priority, starts_at, ends_at, target,"
                " author, seq) VALUES"
                " ('a-first', 't', 'b', 'urgent', '2026-12-01T11:00:00Z', '2026-12-02T00:00:00Z',"
                " 'all', NULL, 2),"
                " ('z-second', 't', 'b', 'urgent', '2026-12-01T11:00:00Z', '2026-12-02T00:00:00Z',"
                " 'all', NULL, 3)");
    model_poll(f->m, 10000);
    r = model_announcements(f->m, NULL, NULL, "2026-12-01T11:30:00Z");
    assert_string_equal(model_str(r, 0, ANN_ID), "z-second");
    assert_string_equal(model_str(r, 1, ANN_ID), "a-first");
}

static const char *state_of(const struct model_rows *r, const char *booking)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(model_str(r, i, SLOT_BOOKING), booking) == 0)
            return model_str(r, i, SLOT_STATE);
    return "absent";
}

static void test_booking_states(void **state)
{
    struct fx *f = *state;
    struct model_booked b;
    assert_int_equal(
        model_book(f->m, "r1", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z", "Ada", &b), ERR_OK);
    assert_int_equal(strlen(b.code), 6);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM outbox"), 1);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM local_booking l JOIN outbox o ON o.id ="
                                   " l.change_id AND json_extract(o.change, '$.row.id') = l.id"),
                     1);
    const char *from = "2026-12-01T00:00:00Z", *to = "2026-12-02T00:00:00Z";
    assert_string_equal(state_of(model_slots(f->m, "s1", from, to), b.id), "pending");
    char err[32];
    assert_int_equal(model_answer(f->m, b.change, err, sizeof err), MODEL_WAITING);
    /* Cancelled before it left: the cancel waits behind it. */
    char cancel[ID_NEW_LEN + 1];
    assert_int_equal(model_cancel(f->m, b.id, b.code, cancel), ERR_OK);
    assert_string_not_equal(cancel, b.change);
    assert_string_equal(state_of(model_slots(f->m, "s1", from, to), b.id), "cancelling");
    sql(f->raw, "DELETE FROM outbox WHERE json_extract(change, '$.row.status') = 'cancelled'");
    /* syncd: the hub refused it. */
    char q[600];
    snprintf(q, sizeof q,
             "INSERT INTO push_result SELECT change_id, 'rejected', 'conflict', 'taken', NULL,"
             " '2026-12-01T00:00:00Z' FROM local_booking WHERE id = '%s';"
             "DELETE FROM outbox WHERE id = (SELECT change_id FROM local_booking WHERE id = '%s')",
             b.id, b.id);
    sql(f->raw, q);
    model_poll(f->m, 10000);
    assert_int_equal(model_answer(f->m, b.change, err, sizeof err), MODEL_REJECTED);
    assert_string_equal(err, "conflict");
    const struct model_rows *r = model_slots(f->m, "s1", from, to);
    assert_string_equal(state_of(r, b.id), "refused");
    for (int i = 0; i < r->n; i++)
        if (strcmp(model_str(r, i, SLOT_BOOKING), b.id) == 0)
            assert_string_equal(model_str(r, i, SLOT_REASON), "taken");
    /* Someone else's confirmed booking, and one in another site. */
    sql(f->raw, "INSERT INTO booking VALUES ('b9', 'r1', '2026-12-01T11:00:00Z',"
                " '2026-12-01T12:00:00Z', 'Bob', NULL, 'confirmed', 3),"
                " ('b8', 'r3', '2026-12-01T11:00:00Z', '2026-12-01T12:00:00Z', 'Eve', NULL,"
                " 'confirmed', 3),"
                " ('b7', 'r1', '2026-12-01T13:00:00Z', '2026-12-01T14:00:00Z', 'Old', NULL,"
                " 'cancelled', 3)");
    model_poll(f->m, 20000);
    r = model_slots(f->m, "s1", from, to);
    assert_string_equal(state_of(r, "b9"), "confirmed");
    assert_string_equal(state_of(r, "b8"), "absent");
    assert_string_equal(state_of(r, "b7"), "absent");
    struct model_sync s;
    model_sync_state(f->m, &s);
    assert_int_equal(s.refused, 1);
    assert_int_equal(s.outbox, 0);
    assert_false(s.online);
    /* The cancel, applied: no error code. */
    snprintf(q, sizeof q,
             "INSERT INTO push_result VALUES ('%s', 'applied', NULL, NULL, 7,"
             " '2026-12-01T00:00:00Z')",
             cancel);
    sql(f->raw, q);
    model_poll(f->m, 30000);
    assert_int_equal(model_answer(f->m, cancel, err, sizeof err), MODEL_APPLIED);
    assert_string_equal(err, "");
}

static void test_support_and_idea(void **state)
{
    struct fx *f = *state;
    assert_int_equal(model_support(f->m, "i1"), ERR_OK);
    assert_int_equal(
        count(f->raw, "SELECT count(*) FROM outbox WHERE json_extract(change, '$.table') ="
                      " 'support' AND json_extract(change, '$.row.initiative_id') = 'i1'"
                      " AND json_extract(change, '$.id') = id AND json_extract(change, '$.op') ="
                      " 'upsert'"),
        1);
    assert_int_equal(model_propose(f->m, "Des bancs", NULL, ""), ERR_OK);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM outbox WHERE json_extract(change,"
                                   " '$.row.status') = 'submitted' AND json_type(change,"
                                   " '$.row.author_name') IS NULL"),
                     1);
    /* Text that is not UTF-8 is refused, nothing is queued. */
    assert_int_equal(model_propose(f->m, "caf\xe9", NULL, NULL), ERR_UTF8);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM outbox"), 2);
}

/* An offer of help: one outbox row with the consent and status the hub
 * wants; a contact the hub would refuse writes nothing. */
static void test_offer_help(void **state)
{
    struct fx *f = *state;
    assert_int_equal(model_offer_help(f->m, "i1", "Camille", "06 12 34 56 78"), ERR_OK);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM outbox WHERE json_extract(change,"
                                   " '$.table') = 'help_offer' AND json_extract(change,"
                                   " '$.row.consent') = 1 AND json_extract(change,"
                                   " '$.row.status') = 'new' AND json_extract(change,"
                                   " '$.row.initiative_id') = 'i1'"),
                     1);
    assert_int_equal(model_offer_help(f->m, "i1", "Camille", "camille"), ERR_INVALID);
    assert_int_equal(model_offer_help(f->m, "i1", " ", "camille@example.org"), ERR_INVALID);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM outbox"), 1);
}

/* A screen opened between two polls reads fresh rows (its cache misses);
 * after model_refresh, which app_frame calls first, the status bar reads
 * the same state. */
static void test_refresh_status_agrees(void **state)
{
    struct fx *f = *state;
    struct model_sync s;
    model_poll(f->m, 1000);
    model_sync_state(f->m, &s);
    assert_false(s.online);
    assert_int_equal(s.outbox, 0);
    sql(f->raw, "UPDATE sync_state SET value = '1' WHERE key = 'online';"
                "INSERT INTO outbox (id, change, created_at) VALUES ('c1', '{}',"
                " '2026-12-01T00:00:00Z');"
                "UPDATE initiative SET published = 1 WHERE id = 'i3'");
    assert_false(model_poll(f->m, 1100)); /* throttled */
    assert_int_equal(model_initiative(f->m, "i3")->n, 1);
    assert_true(model_refresh(f->m));
    model_sync_state(f->m, &s);
    assert_true(s.online);
    assert_int_equal(s.outbox, 1);
    assert_false(model_refresh(f->m)); /* nothing new */
    assert_false(model_poll(f->m, 2000));
}

static int64_t ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* syncd holds the write lock: a tap's write gives up after
 * THEME_WRITE_WAIT_MS (not SQLite's 5 s) with ERR_BUSY and writes
 * nothing, then succeeds once the lock is free. */
static void test_write_busy(void **state)
{
    struct fx *f = *state;
    struct model_booked b;
    sql(f->raw, "BEGIN IMMEDIATE");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(model_support(f->m, "i1"), ERR_BUSY);
    assert_int_equal(
        model_book(f->m, "r1", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z", "Ada", &b),
        ERR_BUSY);
    assert_int_equal(model_propose(f->m, "Des bancs", NULL, NULL), ERR_BUSY);
    assert_true(ms_since(&t0) < 3000); /* three writes, each well under 5 s */
    sql(f->raw, "ROLLBACK");
    assert_int_equal(count(f->raw, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM local_booking"), 0);
    assert_int_equal(
        model_book(f->m, "r1", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z", "Ada", &b), ERR_OK);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM local_booking"), 1);
    /* The read timeout is back for the reads. */
    assert_int_equal(model_initiatives(f->m, NULL, NULL, NULL)->n, 2);
}

/* A booking pulled after the screen was drawn, before the tap: the
 * kiosk must not book over it, and writes nothing. */
static void test_book_over_pulled_slot(void **state)
{
    struct fx *f = *state;
    struct model_booked b;
    model_poll(f->m, 10000);
    sql(f->raw, "INSERT INTO booking VALUES ('b9', 'r1', '2026-12-01T11:00:00Z',"
                " '2026-12-01T12:00:00Z', 'Bob', NULL, 'confirmed', 3)");
    assert_int_equal(
        model_book(f->m, "r1", "2026-12-01T11:30:00Z", "2026-12-01T12:30:00Z", "Ada", &b),
        ERR_CONFLICT);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM local_booking"), 0);
    /* Touching is not overlapping; another room is free. */
    assert_int_equal(
        model_book(f->m, "r1", "2026-12-01T12:00:00Z", "2026-12-01T13:00:00Z", "Ada", &b), ERR_OK);
    assert_int_equal(
        model_book(f->m, "r3", "2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z", "Ada", &b), ERR_OK);
    assert_int_equal(count(f->raw, "SELECT count(*) FROM local_booking"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_initiatives_and_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accompany, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_version_poll, setup, teardown),
        cmocka_unit_test_setup_teardown(test_announcements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_booking_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_support_and_idea, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offer_help, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refresh_status_agrees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_book_over_pulled_slot, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
