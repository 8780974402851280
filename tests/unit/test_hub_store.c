/* Unit tests of the hub's rules and SQLite store: role and booking time
 * rules, applying changes (exactly-once, conflicts, supports, cancel codes
 * and their lock, the budgets of rejected records and of pushes), pulls and what kiosks
 * see of them, tokens, the holder sweep, the tombstone purge (and of
 * `applied`), the fleet's faults, import rebasing and the long-poll queue. Each test gets a
 * fresh database in a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sync/hub/auth.h"
#include "../../sync/hub/fleet.h"
#include "changeset.h"
#include "../../sync/hub/import.h"
#include "../../sync/hub/rules.h"
#include "../../sync/hub/store.h"
#include "../../sync/hub/store_sqlite_int.h"
#include "ts.h"
#include "../../sync/hub/waitq.h"
#include "xalloc.h"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_hub_store.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/hub.db", f->dir);
    char err[256];
    if (store_sqlite_open(f->path, &f->s, err, sizeof err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    ts_set_clock(NULL); /* a failed test may leave its clock */
    store_close(f->s);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Parses one push body and applies its changes; returns the results'
 * statuses/errors as "applied,rejected:conflict,..." in out. */
static void push(struct store *s, const struct store_caller *who, int64_t now, const char *json,
                 char *out, size_t outlen, int64_t *last_seq)
{
    struct push_body b = {0};
    struct verr e;
    assert_int_equal(changeset_parse_push(json, strlen(json), NULL, &b, &e), ERR_OK);
    out[0] = '\0';
    for (size_t i = 0; i < b.count; i++) {
        struct push_result r;
        assert_int_equal(store_apply(s, who, &b.changes[i], now, &r), ERR_OK);
        size_t n = strlen(out);
        snprintf(out + n, outlen - n, "%s%s%s%s", i ? "," : "", r.status, r.error[0] ? ":" : "",
                 r.error);
        if (last_seq)
            *last_seq = r.seq;
    }
    changeset_push_free(&b);
}

static const struct store_caller admin = {"admin", STORE_ADMIN, NULL, true, false};
static const struct store_caller kiosk = {"k1", STORE_KIOSK, "s1", true, false};
static const struct store_caller kiosk2 = {"k2", STORE_KIOSK, "s1", true, false};

/* 2035-01-16 is a winter day: 09:00Z is 10:00 in Paris. */
static int64_t t0(void)
{
    int64_t t;
    assert_int_equal(ts_parse("2035-01-01T00:00:00Z", &t), ERR_OK);
    return t;
}

static void load_base(struct store *s)
{
    char res[256];
    push(
        s, &admin, t0(),
        "{\"format\":\"sceaux/1\",\"changes\":["
        "{\"id\":\"a1\",\"table\":\"site\",\"op\":\"upsert\",\"row\":{\"id\":\"s1\",\"name\":\"S\","
        "\"address\":\"A\"}},"
        "{\"id\":\"a2\",\"table\":\"room\",\"op\":\"upsert\",\"row\":{\"id\":\"r1\",\"site_id\":"
        "\"s1\",\"name\":\"R\",\"capacity\":4,\"bookable\":true,\"opens\":\"08:00\",\"closes\":"
        "\"20:00\"}},"
        "{\"id\":\"a3\",\"table\":\"initiative\",\"op\":\"upsert\",\"row\":{\"id\":\"i1\","
        "\"title\":\"T\",\"summary\":\"S\",\"description\":\"D\",\"domain\":\"sport\",\"stage\":"
        "\"emergence\",\"carrier\":\"C\",\"published\":true}}]}",
        res, sizeof res, NULL);
    assert_string_equal(res, "applied,applied,applied");
}

static const char *booking(const char *change, const char *id, const char *from, const char *to)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"%s\",\"table\":\"booking\",\"op\":"
             "\"upsert\",\"row\":{\"id\":\"%s\",\"room_id\":\"r1\",\"starts_at\":\"%s\","
             "\"ends_at\":\"%s\",\"holder\":\"Camille\",\"status\":\"confirmed\","
             "\"cancel_code\":\"123456\"}}]}",
             change, id, from, to);
    return buf;
}

static void booking_rules_and_exactly_once(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[256];
    int64_t seq1 = 0, seq2 = 0;
    push(f->s, &kiosk, t0(), booking("k1:1", "b1", "2035-01-16T09:00:00Z", "2035-01-16T10:00:00Z"),
         res, sizeof res, &seq1);
    assert_string_equal(res, "applied");
    push(f->s, &kiosk2, t0(), booking("k2:1", "b2", "2035-01-16T09:59:00Z", "2035-01-16T11:00:00Z"),
         res, sizeof res, NULL);
    assert_string_equal(res, "rejected:conflict");
    /* Touching ends are not an overlap. */
    push(f->s, &kiosk2, t0(), booking("k2:2", "b2", "2035-01-16T10:00:00Z", "2035-01-16T11:00:00Z"),
         res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    push(f->s, &kiosk, t0(), booking("k1:1", "b1", "2035-01-16T09:00:00Z", "2035-01-16T10:00:00Z"),
         res, sizeof res, &seq2);
    assert_string_equal(res, "duplicate");
    assert_int_equal(seq1, seq2);
    /* The same change id from another token is another change. */
    push(f->s, &kiosk2, t0(), booking("k1:1", "b1", "2035-01-16T09:00:00Z", "2035-01-16T10:00:00Z"),
         res, sizeof res, NULL);
    assert_string_equal(res, "rejected:exists");
}

static void cancel_codes(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[256];
    push(f->s, &kiosk, t0(), booking("c1", "b1", "2035-01-16T09:00:00Z", "2035-01-16T10:00:00Z"),
         res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    const char *bad = "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"c2\",\"table\":\"booking\","
                      "\"op\":\"upsert\",\"row\":{\"id\":\"b1\",\"status\":\"cancelled\","
                      "\"cancel_code\":\"1234567\"}}]}";
    push(f->s, &kiosk2, t0(), bad, res, sizeof res, NULL);
    assert_string_equal(res, "rejected:bad_code");
    const char *good = "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"c3\",\"table\":\"booking\","
                       "\"op\":\"upsert\",\"row\":{\"id\":\"b1\",\"status\":\"cancelled\","
                       "\"cancel_code\":\"123456\"}}]}";
    push(f->s, &kiosk2, t0(), good, res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    struct store_page p;
    assert_int_equal(store_changes(f->s, 0, 100, &p), ERR_OK);
    assert_int_equal(p.count, 4);
    json_t *row = p.changes[3].row;
    assert_string_equal(json_string_value(json_object_get(row, "status")), "cancelled");
    assert_string_equal(json_string_value(json_object_get(row, "holder")), "Camille");
    store_page_free(&p);
}

static const char *cancel(const char *change, const char *id, const char *code)
{
    static char buf[256];
    snprintf(buf, sizeof buf,
             "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"%s\",\"table\":\"booking\","
             "\"op\":\"upsert\",\"row\":{\"id\":\"%s\",\"status\":\"cancelled\"%s%s%s}}]}",
             change, id, code ? ",\"cancel_code\":\"" : "", code ? code : "", code ? "\"" : "");
    return buf;
}

/* Five wrong codes within an hour lock a booking's code checks until the
 * hour has passed; other bookings and staff are not affected. */
static void cancel_codes_cannot_be_guessed(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[256], id[32];
    push(f->s, &kiosk, t0(), booking("g1", "b1", "2035-01-16T09:00:00Z", "2035-01-16T10:00:00Z"),
         res, sizeof res, NULL);
    push(f->s, &kiosk, t0(), booking("g2", "b2", "2035-01-16T10:00:00Z", "2035-01-16T11:00:00Z"),
         res, sizeof res, NULL);
    push(f->s, &kiosk, t0(), booking("g3", "b3", "2035-01-16T11:00:00Z", "2035-01-16T12:00:00Z"),
         res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    int64_t t = t0() + 60;
    for (int i = 0; i < 6; i++) {
        snprintf(id, sizeof id, "guess%d", i);
        push(f->s, &kiosk2, t + i, cancel(id, "b1", "000000"), res, sizeof res, NULL);
        assert_string_equal(res, "rejected:bad_code");
    }
    /* The right code, locked: not even looked at. */
    push(f->s, &kiosk2, t + 10, cancel("right1", "b1", "123456"), res, sizeof res, NULL);
    assert_string_equal(res, "rejected:bad_code");
    push(f->s, &kiosk2, t + STORE_CODE_WINDOW - 1, cancel("right2", "b1", "123456"), res,
         sizeof res, NULL);
    assert_string_equal(res, "rejected:bad_code");
    /* Another booking is unaffected, and staff cancel without a code. */
    push(f->s, &kiosk2, t + 10, cancel("other", "b2", "123456"), res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    for (int i = 0; i < 5; i++) {
        snprintf(id, sizeof id, "guess3-%d", i);
        push(f->s, &kiosk2, t + i, cancel(id, "b3", "999999"), res, sizeof res, NULL);
    }
    static const struct store_caller staff = {"staff", STORE_STAFF, NULL, true, false};
    push(f->s, &staff, t + 10, cancel("staff1", "b3", NULL), res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    /* The hour from the first wrong code has passed: the code is checked. */
    push(f->s, &kiosk2, t + STORE_CODE_WINDOW, cancel("right3", "b1", "123456"), res, sizeof res,
         NULL);
    assert_string_equal(res, "applied");
}

/* A body of n changes, each a support of a missing initiative (rejected),
 * with change ids PREFIX0 ... */
static char *rejected_supports(const char *prefix, int n)
{
    size_t cap = 64 + (size_t)n * 160;
    char *b = xmalloc(cap);
    size_t len = (size_t)snprintf(b, cap, "{\"format\":\"sceaux/1\",\"changes\":[");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(b + len, cap - len,
                                "%s{\"id\":\"%s%d\",\"table\":\"support\",\"op\":\"upsert\","
                                "\"row\":{\"id\":\"x%s%d\",\"initiative_id\":\"nope\"}}",
                                i ? "," : "", prefix, i, prefix, i);
    snprintf(b + len, cap - len, "]}");
    return b;
}

static const char *first_result(const char *res)
{
    static char one[64];
    snprintf(one, sizeof one, "%.*s", (int)strcspn(res, ","), res);
    return one;
}

/* Past STORE_REJECTED_PER_HOUR rejected changes in an hour, a token's
 * rejected changes are answered without a record; the budget comes back
 * the next hour. */
static void rejected_records_are_budgeted(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    int n = STORE_REJECTED_PER_HOUR + 5;
    char *res = xmalloc(64 * (size_t)n);
    char *body = rejected_supports("r", n);
    push(f->s, &kiosk, t0(), body, res, 64 * (size_t)n, NULL);
    assert_non_null(strstr(res, "rejected:invalid"));
    assert_null(strstr(res, "applied"));
    /* Again: the first ones were recorded, the last five were not. */
    push(f->s, &kiosk, t0() + 10, body, res, 64 * (size_t)n, NULL);
    assert_string_equal(first_result(res), "duplicate:invalid");
    char want[64];
    snprintf(want, sizeof want, "duplicate:invalid,rejected:invalid");
    const char *tail = res;
    for (int i = 0; i < STORE_REJECTED_PER_HOUR - 1; i++)
        tail = strchr(tail, ',') + 1;
    assert_memory_equal(tail, want, strlen(want));
    /* Another token has its own budget. */
    char one[64];
    push(f->s, &kiosk2, t0() + 10, cancel("k2c", "nope", "123456"), one, sizeof one, NULL);
    push(f->s, &kiosk2, t0() + 11, cancel("k2c", "nope", "123456"), one, sizeof one, NULL);
    assert_string_equal(one, "duplicate:not_found");
    free(body);
    /* An hour later the token records again. */
    body = rejected_supports("s", 1);
    push(f->s, &kiosk, t0() + 3600, body, one, sizeof one, NULL);
    push(f->s, &kiosk, t0() + 3601, body, one, sizeof one, NULL);
    assert_string_equal(one, "duplicate:invalid");
    free(body);
    free(res);
}

/* The budget through SQLite's exactly-once records: a retry of a decided
 * change, however often, costs nothing (the counting rule itself is
 * test_decide.c's). */
static void retries_cost_no_budget(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[64];
    const char *json = booking("k1:1", "b1", "2035-01-16T09:00:00Z", "2035-01-16T10:00:00Z");
    push(f->s, &kiosk, t0(), json, res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    struct push_body b = {0};
    struct verr e;
    assert_int_equal(changeset_parse_push(json, strlen(json), NULL, &b, &e), ERR_OK);
    size_t n = STORE_CHANGES_PER_HOUR + 1;
    struct push_change *again = xcalloc(n, sizeof *again);
    for (size_t i = 0; i < n; i++)
        again[i] = b.changes[0]; /* shallow: the same id, freed once with b */
    int64_t retry = -1;
    bool refund;
    assert_int_equal(store_push_budget(f->s, "k1", again, n, t0(), &retry, &refund), ERR_OK);
    assert_int_equal(retry, 0);
    free(again);
    again = NULL;
    free(b.changes[0].id);
    b.changes[0].id = xstrdup("k1:new");
    assert_int_equal(store_push_budget(f->s, "k1", b.changes, 1, t0(), &retry, &refund), ERR_OK);
    assert_int_equal(retry, 0);
    changeset_push_free(&b);
}

/* The tombstone purge forgets the exactly-once records of its age. */
static void purge_prunes_applied(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[64];
    int64_t purged;
    char *body = rejected_supports("p", 1);
    push(f->s, &kiosk, t0(), body, res, sizeof res, NULL);
    assert_int_equal(store_purge_tombstones(f->s, t0() - 1, &purged), ERR_OK);
    push(f->s, &kiosk, t0() + 1, body, res, sizeof res, NULL);
    assert_string_equal(res, "duplicate:invalid");
    assert_int_equal(store_purge_tombstones(f->s, t0(), &purged), ERR_OK);
    push(f->s, &kiosk, t0() + 2, body, res, sizeof res, NULL);
    assert_string_equal(res, "rejected:invalid");
    free(body);
}

/* The last change of a pull from `since` as `role` sees it: "skip",
 * "delete", or the upsert's `column` value ("null" when null). */
static const char *viewed(struct store *s, int64_t since, enum store_role role, const char *column)
{
    static char out[64];
    struct store_page p;
    assert_int_equal(store_changes(s, since, 100, &p), ERR_OK);
    assert_true(p.count > 0);
    struct store_change *c = &p.changes[p.count - 1];
    if (!rules_pull_view(role, c))
        snprintf(out, sizeof out, "skip");
    else if (c->op == CS_DELETE)
        snprintf(out, sizeof out, "delete");
    else
        snprintf(out, sizeof out, "%s",
                 json_is_null(json_object_get(c->row, column)) ? "null"
                                                               : rules_str(c->row, column));
    store_page_free(&p);
    return out;
}

static const char *proposal(const char *change, const char *status)
{
    static char buf[256];
    snprintf(buf, sizeof buf,
             "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"%s\",\"table\":\"proposal\","
             "\"op\":\"upsert\",\"row\":{\"id\":\"p1\",\"text\":\"Un banc\",\"author_name\":"
             "\"Zoé Martin\",\"status\":\"%s\"}}]}",
             change, status);
    return buf;
}

/* What kiosk tokens see: no holder; a proposal only while published, as a
 * delete once it was and is no more. Staff see everything. */
static void kiosks_see_the_public_view(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[64];
    push(f->s, &kiosk, t0(), booking("v1", "b1", "2035-01-16T09:00:00Z", "2035-01-16T10:00:00Z"),
         res, sizeof res, NULL);
    assert_string_equal(viewed(f->s, 3, STORE_KIOSK, "holder"), "null");
    assert_string_equal(viewed(f->s, 3, STORE_STAFF, "holder"), "Camille");
    assert_string_equal(viewed(f->s, 3, STORE_ADMIN, "holder"), "Camille");
    push(f->s, &kiosk, t0(), proposal("v2", "submitted"), res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    assert_string_equal(viewed(f->s, 4, STORE_KIOSK, "status"), "skip");
    assert_string_equal(viewed(f->s, 4, STORE_STAFF, "status"), "submitted");
    push(f->s, &admin, t0(), proposal("v3", "rejected"), res, sizeof res, NULL);
    assert_string_equal(viewed(f->s, 4, STORE_KIOSK, "status"), "skip"); /* never published */
    push(f->s, &admin, t0(), proposal("v4", "published"), res, sizeof res, NULL);
    assert_string_equal(viewed(f->s, 4, STORE_KIOSK, "status"), "published");
    assert_string_equal(viewed(f->s, 4, STORE_KIOSK, "author_name"), "Zoé"); /* first name only */
    push(f->s, &admin, t0(), proposal("v5", "submitted"), res, sizeof res, NULL);
    assert_string_equal(viewed(f->s, 4, STORE_KIOSK, "status"), "delete");
    assert_string_equal(viewed(f->s, 4, STORE_STAFF, "status"), "submitted");
}

/* A required text of only white space is invalid, naming the column. */
static void blank_required_text_rejected(void **state)
{
    struct fixture *f = *state;
    char res[64];
    push(f->s, &admin, t0(),
         "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"b\",\"table\":\"site\",\"op\":"
         "\"upsert\",\"row\":{\"id\":\"s9\",\"name\":\" \\t\\u00a0\",\"address\":\"A\"}}]}",
         res, sizeof res, NULL);
    assert_string_equal(res, "rejected:invalid");
    struct store_state st;
    assert_int_equal(store_state(f->s, &st), ERR_OK);
    assert_int_equal(st.head, 0);
}

/* A hub database from before proposal.was_published gains it, set for the
 * proposals published then, so they reach kiosks as deletes if withdrawn. */
/* The store closed, the raw database taken back a few steps by sql (the
 * schema of an older hub), then opened again: its migrations run. */
static void reopen_downgraded(struct fixture *f, const char *sql)
{
    store_close(f->s);
    f->s = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char err[256];
    assert_int_equal(store_sqlite_open(f->path, &f->s, err, sizeof err), ERR_OK);
}

static void older_hub_gains_was_published(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[64];
    push(f->s, &admin, t0(), proposal("w1", "published"), res, sizeof res, NULL);
    reopen_downgraded(f, "ALTER TABLE proposal DROP COLUMN was_published;"
                         "ALTER TABLE fleet DROP COLUMN fault;" /* step 7's */
                         "DROP INDEX event_starts;"             /* step 8's */
                         "PRAGMA user_version = 5;");
    push(f->s, &admin, t0(), proposal("w2", "rejected"), res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    assert_string_equal(viewed(f->s, 4, STORE_KIOSK, "status"), "delete");
}

/* A hub database from before organization.offers, .stages and the links
 * to organizations gains them: an actor's offer is stored, an event names
 * its actor, and a link to no actor is refused. */
static void older_hub_gains_org_links(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    reopen_downgraded(f, "ALTER TABLE organization DROP COLUMN offers;"
                         "ALTER TABLE organization DROP COLUMN stages;"
                         "ALTER TABLE initiative DROP COLUMN organization_id;"
                         "ALTER TABLE event DROP COLUMN organization_id;"
                         "PRAGMA user_version = 9;");
    char res[256];
    push(f->s, &admin, t0(),
         "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"o\",\"table\":\"organization\","
         "\"op\":\"upsert\",\"row\":{\"id\":\"o1\",\"name\":\"N\",\"kind\":\"accompagnement\","
         "\"description\":\"D\",\"offers\":\"local,reseau\",\"stages\":\"emergence\"}},"
         "{\"id\":\"e\",\"table\":\"event\",\"op\":\"upsert\",\"row\":{\"id\":\"e9\","
         "\"title\":\"T\",\"description\":\"D\",\"starts_at\":\"2035-02-01T18:00:00Z\","
         "\"ends_at\":\"2035-02-01T20:00:00Z\",\"category\":\"atelier\","
         "\"organization_id\":\"o1\"}},"
         "{\"id\":\"i\",\"table\":\"initiative\",\"op\":\"upsert\",\"row\":{\"id\":\"i9\","
         "\"title\":\"T\",\"summary\":\"S\",\"description\":\"D\",\"domain\":\"sport\","
         "\"stage\":\"emergence\",\"carrier\":\"C\",\"published\":true,"
         "\"organization_id\":\"nobody\"}}]}",
         res, sizeof res, NULL);
    assert_string_equal(res, "applied,applied,rejected:invalid");
    struct store_page p;
    assert_int_equal(store_changes(f->s, 0, 100, &p), ERR_OK);
    int seen = 0;
    for (size_t i = 0; i < p.count; i++) {
        const char *id = rules_str(p.changes[i].row, "id");
        if (id && strcmp(id, "o1") == 0)
            seen += strcmp(rules_str(p.changes[i].row, "offers"), "local,reseau") == 0;
        if (id && strcmp(id, "e9") == 0)
            seen += strcmp(rules_str(p.changes[i].row, "organization_id"), "o1") == 0;
    }
    store_page_free(&p);
    assert_int_equal(seen, 2);
}

static void supports_bump_the_initiative(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[256];
    int64_t seq = 0;
    push(f->s, &kiosk, t0(),
         "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"s1\",\"table\":\"support\",\"op\":"
         "\"upsert\",\"row\":{\"id\":\"x1\",\"initiative_id\":\"i1\"}},{\"id\":\"s2\",\"table\":"
         "\"support\",\"op\":\"upsert\",\"row\":{\"id\":\"x2\",\"initiative_id\":\"i1\"}}]}",
         res, sizeof res, &seq);
    assert_string_equal(res, "applied,applied");
    struct store_page p;
    assert_int_equal(store_changes(f->s, 3, 100, &p), ERR_OK);
    /* One entry per row: the initiative once, at the latest seq; supports
     * themselves never go out. */
    assert_int_equal(p.count, 1);
    assert_int_equal(p.changes[0].seq, seq);
    assert_int_equal(json_integer_value(json_object_get(p.changes[0].row, "supports")), 2);
    store_page_free(&p);
}

static void holder_sweep_leaves_tombstones(void **state)
{
    struct fixture *f = *state;
    load_base(f->s);
    char res[256];
    push(f->s, &kiosk, t0(), booking("h1", "b1", "2035-01-16T09:00:00Z", "2035-01-16T10:00:00Z"),
         res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    int64_t erased = -1, cutoff;
    assert_int_equal(ts_parse("2035-01-16T10:00:00Z", &cutoff), ERR_OK);
    assert_int_equal(store_erase_holders(f->s, cutoff, &erased), ERR_OK);
    assert_int_equal(erased, 0); /* ends exactly at the cutoff: kept */
    assert_int_equal(store_erase_holders(f->s, cutoff + 30 * 86400, &erased), ERR_OK);
    assert_int_equal(erased, 1);
    struct store_page p;
    assert_int_equal(store_changes(f->s, 3, 100, &p), ERR_OK);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.changes[0].op, CS_DELETE);
    assert_string_equal(p.changes[0].id, "b1");
    assert_int_equal(p.state.head, 5);
    store_page_free(&p);
}

static int64_t fake_now;
static int64_t fake_clock(void)
{
    return fake_now;
}

static bool lists_delete(struct store *s, const char *id, int64_t *horizon)
{
    struct store_page p;
    assert_int_equal(store_changes(s, 0, 100, &p), ERR_OK);
    bool found = false;
    for (size_t i = 0; i < p.count; i++)
        if (p.changes[i].op == CS_DELETE && strcmp(p.changes[i].id, id) == 0)
            found = true;
    *horizon = p.state.horizon;
    store_page_free(&p);
    return found;
}

static void purge_raises_the_horizon(void **state)
{
    struct fixture *f = *state;
    /* rowlog.at comes from the ts.h clock: two deletes ten days apart. */
    fake_now = t0();
    ts_set_clock(fake_clock);
    load_base(f->s);
    char res[256];
    int64_t d1 = 0, d2 = 0, purged = -1, horizon = -1;
    push(f->s, &admin, t0(),
         "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"d1\",\"table\":\"room\",\"op\":"
         "\"delete\",\"row\":{\"id\":\"r1\"}}]}",
         res, sizeof res, &d1);
    assert_string_equal(res, "applied");
    fake_now = t0() + 10 * 86400;
    push(f->s, &admin, fake_now,
         "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"d2\",\"table\":\"site\",\"op\":"
         "\"delete\",\"row\":{\"id\":\"s1\"}}]}",
         res, sizeof res, &d2);
    assert_string_equal(res, "applied");
    assert_int_equal(d2, d1 + 1);

    /* Nothing written at or before the cutoff: the horizon stays 0. */
    assert_int_equal(store_purge_tombstones(f->s, t0() - 1, &purged), ERR_OK);
    assert_int_equal(purged, 0);
    assert_true(lists_delete(f->s, "r1", &horizon));
    assert_int_equal(horizon, 0);

    /* Only the older tombstone goes; the horizon is its seq. */
    assert_int_equal(store_purge_tombstones(f->s, t0() + 5 * 86400, &purged), ERR_OK);
    assert_int_equal(purged, 1);
    assert_false(lists_delete(f->s, "r1", &horizon));
    assert_true(lists_delete(f->s, "s1", &horizon));
    assert_int_equal(horizon, d1);

    /* Upserts are never purged; a written-at-the-cutoff tombstone is. */
    assert_int_equal(store_purge_tombstones(f->s, fake_now, &purged), ERR_OK);
    assert_int_equal(purged, 1);
    assert_false(lists_delete(f->s, "s1", &horizon));
    assert_int_equal(horizon, d2);
    struct store_page p;
    assert_int_equal(store_changes(f->s, 0, 100, &p), ERR_OK);
    assert_int_equal(p.count, 1); /* the initiative */
    assert_int_equal(p.state.head, d2);
    store_page_free(&p);

    /* Purging nothing later never lowers it. */
    assert_int_equal(store_purge_tombstones(f->s, fake_now + 86400, &purged), ERR_OK);
    assert_int_equal(purged, 0);
    (void)lists_delete(f->s, "s1", &horizon);
    assert_int_equal(horizon, d2);
    ts_set_clock(NULL);
}

static void tokens(void **state)
{
    struct fixture *f = *state;
    char tok[AUTH_TOKEN_LEN + 1], hash[AUTH_HASH_LEN + 1];
    assert_int_equal(auth_init(), ERR_OK);
    assert_int_equal(auth_token_new(tok), ERR_OK);
    auth_token_hash(tok, strlen(tok), hash);
    assert_int_equal(store_token_add(f->s, "k1", STORE_KIOSK, "s1", hash, t0()), ERR_OK);
    assert_int_equal(store_token_add(f->s, "k1", STORE_KIOSK, "s1", hash, t0()), ERR_EXISTS);
    struct store_token t;
    assert_int_equal(store_token_lookup(f->s, hash, &t), ERR_OK);
    assert_string_equal(t.name, "k1");
    assert_int_equal(t.role, STORE_KIOSK);
    assert_string_equal(t.site, "s1");
    store_token_release(&t);
    assert_int_equal(store_token_revoke(f->s, "k1", t0()), ERR_OK);
    assert_int_equal(store_token_lookup(f->s, hash, &t), ERR_AUTH);
    assert_int_equal(store_token_revoke(f->s, "k1", t0()), ERR_NOT_FOUND);
}

/* The fault k1 last reported as the store lists it (NULL: none); its
 * version in *version (borrowed into a static copy). */
static const char *fleet_fault(struct store *s, char version[16])
{
    static char fault[16];
    struct store_kiosk *k = NULL;
    size_t n = 0;
    assert_int_equal(store_fleet_list(s, &k, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(k[0].name, "k1");
    snprintf(version, 16, "%s", k[0].version ? k[0].version : "");
    snprintf(fault, sizeof fault, "%s", k[0].fault ? k[0].fault : "");
    store_fleet_free(k, n);
    return fault[0] ? fault : NULL;
}

/* Each kiosk request reports its fault or none (fleet.c): the last one is
 * what the fleet lists, while a request without a version keeps the
 * last version. */
static void fleet_keeps_the_last_fault(void **state)
{
    struct fixture *f = *state;
    char hash[AUTH_HASH_LEN + 1], version[16];
    assert_int_equal(auth_init(), ERR_OK);
    auth_token_hash("k1-token", 8, hash);
    assert_int_equal(store_token_add(f->s, "k1", STORE_KIOSK, "s1", hash, t0()), ERR_OK);
    struct fleet fl;
    fleet_init(&fl);
    fleet_note(&fl, "k1", "s1", "127.0.0.1", "0.1.0", 0, FAULT_DISK_FULL, 12, t0());
    assert_int_equal(fleet_flush(&fl, f->s), ERR_OK);
    assert_string_equal(fleet_fault(f->s, version), "disk_full");
    fleet_note(&fl, "k1", "s1", NULL, NULL, -1, FAULT_READ_ONLY, -1, t0() + 1);
    assert_int_equal(fleet_flush(&fl, f->s), ERR_OK);
    assert_string_equal(fleet_fault(f->s, version), "read_only");
    fleet_note(&fl, "k1", "s1", NULL, NULL, -1, FAULT_NONE, -1, t0() + 2);
    assert_int_equal(fleet_flush(&fl, f->s), ERR_OK);
    assert_null(fleet_fault(f->s, version));
    assert_string_equal(version, "0.1.0");
    fleet_release(&fl);
}

/* Another hub's older sight of the kiosk, flushed after a newer one,
 * changes nothing (a kiosk moves between hubs behind nginx). */
static void fleet_keeps_the_newest_sight(void **state)
{
    struct fixture *f = *state;
    fleet_keeps_the_last_fault(state);
    struct fleet other;
    fleet_init(&other);
    fleet_note(&other, "k1", "s1", "127.0.0.2", "0.0.9", 0, FAULT_DISK_FULL, 3, t0() + 1);
    assert_int_equal(fleet_flush(&other, f->s), ERR_OK);
    char version[16];
    assert_null(fleet_fault(f->s, version));
    assert_string_equal(version, "0.1.0");
    fleet_note(&other, "k1", "s1", "127.0.0.2", "0.2.0", 0, FAULT_NONE, 3, t0() + 3);
    assert_int_equal(fleet_flush(&other, f->s), ERR_OK);
    assert_null(fleet_fault(f->s, version));
    assert_string_equal(version, "0.2.0");
    fleet_release(&other);
}

/* A hub database from before fleet.fault gains the column. */
static void older_hub_gains_fleet_fault(void **state)
{
    struct fixture *f = *state;
    reopen_downgraded(f, "ALTER TABLE fleet DROP COLUMN fault; DROP INDEX event_starts;"
                         " PRAGMA user_version = 6;");
    fleet_keeps_the_last_fault(state);
}

/* An organization's upsert with a picture and the alternative text alt
 * (NULL: none). */
static const char *with_picture(const char *change, const char *alt)
{
    static char buf[512];
    char altcol[128] = "";
    if (alt)
        snprintf(altcol, sizeof altcol, ",\"picture_alt\":\"%s\"", alt);
    snprintf(buf, sizeof buf,
             "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"%s\",\"table\":"
             "\"organization\",\"op\":\"upsert\",\"row\":{\"id\":\"o1\",\"name\":\"N\","
             "\"kind\":\"association\",\"description\":\"D\",\"picture\":"
             "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"%s}}]}",
             change, altcol);
    return buf;
}

/* A hub database from before the picture columns gains them (step 13),
 * and a picture goes with its alternative text. */
static void older_hub_gains_pictures(void **state)
{
    struct fixture *f = *state;
    reopen_downgraded(f, "ALTER TABLE organization DROP COLUMN picture;"
                         "ALTER TABLE organization DROP COLUMN picture_alt;"
                         "ALTER TABLE event DROP COLUMN picture;"
                         " PRAGMA user_version = 9;");
    char res[256];
    struct verr e;
    push(f->s, &admin, t0(), with_picture("p1", NULL), res, sizeof res, NULL);
    assert_string_equal(res, "rejected:invalid");
    push(f->s, &admin, t0(), with_picture("p2", " \\u00a0"), res, sizeof res, NULL);
    assert_string_equal(res, "rejected:invalid");
    push(f->s, &admin, t0(), with_picture("p3", "Le logo"), res, sizeof res, NULL);
    assert_string_equal(res, "applied");
    assert_string_equal(viewed(f->s, 0, STORE_KIOSK, "picture_alt"), "Le logo");
    json_t *row = json_pack("{s:s}", "picture",
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(rules_picture(row, &e), ERR_INVALID);
    assert_string_equal(e.field, "picture_alt");
    json_decref(row);
}

static void secrets(void **state)
{
    (void)state;
    char h1[AUTH_CODE_HASH_LEN + 1], h2[AUTH_CODE_HASH_LEN + 1];
    assert_int_equal(auth_code_hash("123456", h1), ERR_OK);
    assert_int_equal(auth_code_hash("123456", h2), ERR_OK);
    assert_string_not_equal(h1, h2); /* salted */
    assert_null(strstr(h1, "123456"));
    assert_true(auth_code_check("123456", h1));
    assert_true(auth_code_check("123456", h2));
    assert_false(auth_code_check("1234567", h1));
    assert_false(auth_code_check(NULL, h1));
    assert_false(auth_code_check("123456", NULL));
    assert_false(auth_code_check("123456", "b2$short"));
    char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];
    assert_int_equal(auth_token_new(t1), ERR_OK);
    assert_int_equal(auth_token_new(t2), ERR_OK);
    assert_int_equal(strlen(t1), 32);
    assert_string_not_equal(t1, t2);
    char a[AUTH_HASH_LEN + 1], b[AUTH_HASH_LEN + 1];
    auth_token_hash(t1, strlen(t1), a);
    auth_token_hash(t1, strlen(t1), b);
    assert_true(auth_hash_equal(a, b));
    auth_token_hash(t2, strlen(t2), b);
    assert_false(auth_hash_equal(a, b));
}

static void booking_times(void **state)
{
    (void)state;
    struct verr e;
    int64_t s, en, now = t0();
    /* 2035-07-10 is summer (CEST): 06:00Z is 08:00 in Paris. */
    assert_int_equal(ts_parse("2035-07-10T06:00:00Z", &s), ERR_OK);
    assert_int_equal(ts_parse("2035-07-10T18:00:00Z", &en), ERR_OK);
    assert_int_equal(rules_booking_times(s, en, 8 * 60, 20 * 60, now, &e), ERR_OK);
    assert_int_equal(rules_booking_times(s - 60, en - 3600, 8 * 60, 20 * 60, now, &e), ERR_INVALID);
    assert_string_equal(e.field, "starts_at");
    assert_int_equal(rules_booking_times(s, en + 60, 8 * 60, 20 * 60, now, &e), ERR_INVALID);
    assert_string_equal(e.field, "ends_at");
    /* 12 hours is the most. */
    assert_int_equal(rules_booking_times(s, s + 12 * 3600, 0, 24 * 60, now, &e), ERR_OK);
    assert_int_equal(rules_booking_times(s, s + 12 * 3600 + 1, 0, 24 * 60, now, &e), ERR_INVALID);
    /* Until midnight only when the room closes at 24:00. */
    assert_int_equal(ts_parse("2035-07-10T20:00:00Z", &s), ERR_OK);
    assert_int_equal(ts_parse("2035-07-10T22:00:00Z", &en), ERR_OK);
    assert_int_equal(rules_booking_times(s, en, 0, 24 * 60, now, &e), ERR_OK);
    assert_int_equal(rules_booking_times(s, en, 0, 23 * 60 + 59, now, &e), ERR_INVALID);
    assert_int_equal(rules_booking_times(s, en + 60, 0, 24 * 60, now, &e), ERR_INVALID);
    /* Not in the past. */
    assert_int_equal(rules_booking_times(s, en, 0, 24 * 60, en, &e), ERR_INVALID);
}

static void roles(void **state)
{
    (void)state;
    struct verr e;
    json_t *confirmed = json_pack("{s:s}", "status", "confirmed");
    json_t *published = json_pack("{s:s}", "status", "published");
    const struct table *booking_t = tables_find("booking");
    const struct table *proposal = tables_find("proposal");
    const struct table *site = tables_find("site");
    assert_int_equal(rules_permit(STORE_KIOSK, booking_t, CS_UPSERT, confirmed, &e), ERR_OK);
    assert_int_equal(rules_permit(STORE_KIOSK, booking_t, CS_DELETE, confirmed, &e), ERR_FORBIDDEN);
    assert_string_equal(e.error, "forbidden");
    assert_int_equal(rules_permit(STORE_KIOSK, proposal, CS_UPSERT, published, &e), ERR_FORBIDDEN);
    assert_int_equal(rules_permit(STORE_STAFF, proposal, CS_UPSERT, published, &e), ERR_OK);
    assert_int_equal(rules_permit(STORE_STAFF, site, CS_UPSERT, published, &e), ERR_FORBIDDEN);
    assert_int_equal(rules_permit(STORE_STAFF, tables_find("support"), CS_UPSERT, published, &e),
                     ERR_FORBIDDEN);
    assert_int_equal(rules_permit(STORE_ADMIN, site, CS_DELETE, published, &e), ERR_OK);
    /* The city's columns of an idea: never from a kiosk, null or not. */
    json_t *submitted = json_pack("{s:s, s:n, s:n}", "status", "submitted", "outcome", "answer");
    assert_int_equal(rules_permit(STORE_KIOSK, proposal, CS_UPSERT, submitted, &e), ERR_OK);
    json_object_set_new(submitted, "answer", json_string("Oui"));
    assert_int_equal(rules_permit(STORE_KIOSK, proposal, CS_UPSERT, submitted, &e), ERR_FORBIDDEN);
    assert_string_equal(e.field, "answer");
    assert_int_equal(rules_permit(STORE_STAFF, proposal, CS_UPSERT, submitted, &e), ERR_OK);
    assert_int_equal(
        rules_permit(STORE_KIOSK, tables_find("proposal_support"), CS_UPSERT, published, &e),
        ERR_OK);
    assert_int_equal(
        rules_permit(STORE_KIOSK, tables_find("proposal_support"), CS_DELETE, published, &e),
        ERR_FORBIDDEN);
    json_decref(submitted);
    json_decref(confirmed);
    json_decref(published);
}

static void rebase_by_days(void **state)
{
    (void)state;
    /* An event at 19:00 Paris in winter, imported in the next summer:
     * moved by whole days to the import's day, still 19:00 Paris (17:00Z
     * in summer). */
    const char *json = "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"e\",\"table\":\"event\","
                       "\"op\":\"upsert\",\"row\":{\"id\":\"e1\",\"title\":\"T\",\"description\":"
                       "\"D\",\"starts_at\":\"2026-12-01T18:00:00Z\",\"ends_at\":"
                       "\"2026-12-01T20:00:00Z\",\"category\":\"forum\"}}]}";
    struct push_body b = {0};
    struct verr e;
    assert_int_equal(changeset_parse_push(json, strlen(json), NULL, &b, &e), ERR_OK);
    int64_t now;
    assert_int_equal(ts_parse("2027-06-15T21:30:00Z", &now), ERR_OK); /* 23:30 Paris */
    assert_int_equal(import_rebase(&b, now), 196);
    int64_t s, end;
    assert_int_equal(ts_parse(rules_str(b.changes[0].row, "starts_at"), &s), ERR_OK);
    assert_int_equal(ts_parse(rules_str(b.changes[0].row, "ends_at"), &end), ERR_OK);
    struct ts_local l;
    ts_paris(s, &l);
    assert_int_equal(l.year * 10000 + l.month * 100 + l.day, 20270615);
    assert_int_equal(l.hour, 19);
    assert_int_equal(end - s, 2 * 3600);
    assert_int_equal(import_rebase(&b, now), 0); /* already today */
    changeset_push_free(&b);
}

static void rebase_keeps_series_days(void **state)
{
    (void)state;
    /* A first-Saturday series (10:00 Paris) moved by 196 days, from
     * Saturday 5 December to Saturday 19 June: that is the third Saturday,
     * so the series starts on the next first Saturday, 3 July (summer
     * time: 08:00Z), its length kept. */
    const char *json =
        "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"e\",\"table\":\"event\","
        "\"op\":\"upsert\",\"row\":{\"id\":\"e1\",\"title\":\"T\",\"description\":\"D\","
        "\"starts_at\":\"2026-12-01T18:00:00Z\",\"ends_at\":\"2026-12-01T20:00:00Z\","
        "\"category\":\"forum\"}},{\"id\":\"f\",\"table\":\"event\",\"op\":\"upsert\","
        "\"row\":{\"id\":\"e2\",\"title\":\"Up Café\",\"description\":\"D\","
        "\"starts_at\":\"2026-12-05T09:00:00Z\",\"ends_at\":\"2026-12-05T10:30:00Z\","
        "\"category\":\"autre\",\"rrule\":\"FREQ=MONTHLY;BYDAY=1SA;COUNT=6\"}}]}";
    struct push_body b = {0};
    struct verr e;
    assert_int_equal(changeset_parse_push(json, strlen(json), NULL, &b, &e), ERR_OK);
    int64_t now;
    assert_int_equal(ts_parse("2027-06-15T21:30:00Z", &now), ERR_OK);
    assert_int_equal(import_rebase(&b, now), 196);
    assert_string_equal(rules_str(b.changes[1].row, "starts_at"), "2027-07-03T08:00:00Z");
    assert_string_equal(rules_str(b.changes[1].row, "ends_at"), "2027-07-03T09:30:00Z");
    assert_string_equal(rules_str(b.changes[1].row, "rrule"), "FREQ=MONTHLY;BYDAY=1SA;COUNT=6");
    changeset_push_free(&b);
}

static void waitq_wakes_what_is_due(void **state)
{
    (void)state;
    struct waitq q;
    waitq_init(&q, 5);
    struct waitq_entry a = {.since = 5, .deadline_ms = 1000}, b = {.since = 5, .deadline_ms = 50},
                       c = {.since = 4};
    waitq_lock(&q);
    assert_true(waitq_add_locked(&q, &a));
    assert_true(waitq_add_locked(&q, &b));
    assert_false(waitq_add_locked(&q, &c)); /* already behind the head */
    waitq_unlock(&q);
    struct waitq_entry *due = waitq_take(&q, 5, 100);
    assert_ptr_equal(due, &b);
    assert_null(due->next);
    due = waitq_take(&q, 6, 100);
    assert_ptr_equal(due, &a);
    assert_int_equal(waitq_count(&q), 0);
    waitq_lock(&q);
    assert_true(waitq_add_locked(&q, &(struct waitq_entry){.since = 6, .deadline_ms = 1 << 30}));
    waitq_unlock(&q);
    assert_non_null(waitq_close(&q));
    waitq_lock(&q);
    assert_false(waitq_add_locked(&q, &a));
    waitq_unlock(&q);
    waitq_release(&q);
}

int main(void)
{
    xalloc_init();
    if (auth_init() != ERR_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(booking_rules_and_exactly_once, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_codes_cannot_be_guessed, setup, teardown),
        cmocka_unit_test_setup_teardown(rejected_records_are_budgeted, setup, teardown),
        cmocka_unit_test_setup_teardown(purge_prunes_applied, setup, teardown),
        cmocka_unit_test_setup_teardown(retries_cost_no_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(kiosks_see_the_public_view, setup, teardown),
        cmocka_unit_test_setup_teardown(blank_required_text_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(older_hub_gains_was_published, setup, teardown),
        cmocka_unit_test_setup_teardown(older_hub_gains_org_links, setup, teardown),
        cmocka_unit_test_setup_teardown(supports_bump_the_initiative, setup, teardown),
        cmocka_unit_test_setup_teardown(holder_sweep_leaves_tombstones, setup, teardown),
        cmocka_unit_test_setup_teardown(purge_raises_the_horizon, setup, teardown),
        cmocka_unit_test_setup_teardown(tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(fleet_keeps_the_last_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(fleet_keeps_the_newest_sight, setup, teardown),
        cmocka_unit_test_setup_teardown(older_hub_gains_fleet_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(older_hub_gains_pictures, setup, teardown),
        cmocka_unit_test(secrets),
        cmocka_unit_test(booking_times),
        cmocka_unit_test(roles),
        cmocka_unit_test(rebase_by_days),
        cmocka_unit_test(rebase_keeps_series_days),
        cmocka_unit_test(waitq_wakes_what_is_due),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
