/* Unit tests of decide.c through a second backend of its questions: an
 * in-memory store of JSON rows (the fake below), so the rules of a push
 * change are shown to hold whatever answers them. Booking overlap, cancel
 * codes and their lock, exactly-once records and their budget, the push
 * budget (its refunds on SQLite too), kiosk refusals, supports counters, proposal moderation, help
 * offers, pictures' alternative text, references, and a failing question
 * that leaves nothing applied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sync/hub/decide.h"
#include "../../sync/hub/rules.h"
#include "changeset.h"
#include "ts.h"
#include "xalloc.h"

/* ---- the fake: every question answered from one JSON document ------------ */

/* db: {"rows": {table: {id: row}}, "log": {"table/id": [seq, op]},
 * "applied": {"token/change": result}, "counters": {"kind/key": [count,
 * since]}, "head": n}. begin keeps a copy that rollback puts back. */
struct fake {
    struct store base; /* never dispatched through: decide.c gets the ops */
    json_t *db;
    json_t *saved;
    const char *fail; /* the name of a question that fails, or NULL */
};

static struct fake *fk(struct store *s)
{
    return (struct fake *)s;
}

/* ERR_IO when the test made question `name` fail. */
static enum err failing(struct store *s, const char *name)
{
    return fk(s)->fail && strcmp(fk(s)->fail, name) == 0 ? ERR_IO : ERR_OK;
}

static json_t *sub(struct store *s, const char *name)
{
    return json_object_get(fk(s)->db, name);
}

static json_t *table_rows(struct store *s, const char *table)
{
    json_t *rows = sub(s, "rows"), *t = json_object_get(rows, table);
    if (!t) {
        t = json_object();
        json_object_set_new(rows, table, t);
    }
    return t;
}

static const char *key2(char *buf, size_t n, const char *a, const char *b)
{
    snprintf(buf, n, "%s/%s", a, b);
    return buf;
}

static enum err f_begin(struct store *s)
{
    assert_null(fk(s)->saved); /* one change at a time */
    fk(s)->saved = json_deep_copy(fk(s)->db);
    return failing(s, "begin");
}

static enum err f_commit(struct store *s)
{
    enum err rc = failing(s, "commit");
    if (rc == ERR_OK) {
        json_decref(fk(s)->saved);
        fk(s)->saved = NULL;
    }
    return rc;
}

static void f_rollback(struct store *s)
{
    assert_non_null(fk(s)->saved);
    json_decref(fk(s)->db);
    fk(s)->db = fk(s)->saved;
    fk(s)->saved = NULL;
}

static enum err f_get_row(struct store *s, const struct table *t, const char *id, json_t **out)
{
    assert_non_null(fk(s)->saved); /* asked inside the transaction */
    json_t *row = json_object_get(table_rows(s, t->name), id);
    *out = row ? json_deep_copy(row) : NULL;
    return failing(s, "get_row");
}

static enum err f_overlap(struct store *s, const char *room_id, const char *id,
                          const char *starts_at, const char *ends_at, bool *taken)
{
    const char *k;
    json_t *b;
    *taken = false;
    json_object_foreach(table_rows(s, "booking"), k, b)
    {
        if (rules_str_is(b, "room_id", room_id) && rules_str_is(b, "status", "confirmed") &&
            strcmp(k, id) != 0 && strcmp(rules_str(b, "starts_at"), ends_at) < 0 &&
            strcmp(rules_str(b, "ends_at"), starts_at) > 0)
            *taken = true;
    }
    return failing(s, "overlap");
}

static void log_row(struct store *s, const struct table *t, const char *id, const char *op,
                    int64_t seq)
{
    char k[160];
    if (!(t->flags & TABLE_HUB))
        json_object_set_new(sub(s, "log"), key2(k, sizeof k, t->name, id),
                            json_pack("[I,s]", (json_int_t)seq, op));
}

static int64_t next_seq(struct store *s)
{
    int64_t seq = json_integer_value(sub(s, "head")) + 1;
    json_object_set_new(fk(s)->db, "head", json_integer(seq));
    return seq;
}

static enum err f_put_row(struct store *s, const struct table *t, json_t *row, int64_t *seq)
{
    const char *id = rules_str(row, "id");
    *seq = next_seq(s);
    json_object_set_new(table_rows(s, t->name), id, json_deep_copy(row));
    log_row(s, t, id, "upsert", *seq);
    return failing(s, "put_row");
}

static enum err f_delete_row(struct store *s, const struct table *t, const char *id, int64_t *seq)
{
    *seq = next_seq(s);
    json_object_del(table_rows(s, t->name), id);
    log_row(s, t, id, "delete", *seq);
    return failing(s, "delete_row");
}

static enum err f_bump_supports(struct store *s, const struct table *t, const char *id, int delta,
                                const char *updated_at, int64_t seq)
{
    json_t *row = json_object_get(table_rows(s, t->name), id);
    if (!row)
        return failing(s, "bump_supports");
    json_int_t n = json_integer_value(json_object_get(row, "supports")) + delta;
    json_object_set_new(row, "supports", json_integer(n > 0 ? n : 0));
    if (updated_at)
        json_object_set_new(row, "updated_at", json_string(updated_at));
    log_row(s, t, id, "upsert", seq);
    return failing(s, "bump_supports");
}

static enum err f_applied_get(struct store *s, const char *token, const char *change,
                              struct push_result *out, bool *found)
{
    char k[160];
    json_t *r = json_object_get(sub(s, "applied"), key2(k, sizeof k, token, change));
    *found = r != NULL;
    if (r) {
        out->seq = json_integer_value(json_object_get(r, "seq"));
        snprintf(out->error, sizeof out->error, "%s", rules_str(r, "error"));
        snprintf(out->message, sizeof out->message, "%s", rules_str(r, "message"));
        snprintf(out->field, sizeof out->field, "%s", rules_str(r, "field"));
    }
    return failing(s, "applied_get");
}

static enum err f_applied_put(struct store *s, const char *token, const struct push_result *r,
                              const char *at)
{
    char k[160];
    json_object_set_new(sub(s, "applied"), key2(k, sizeof k, token, r->id),
                        json_pack("{s:s,s:I,s:s,s:s,s:s,s:s}", "status", r->status, "seq",
                                  (json_int_t)r->seq, "error", r->error, "message", r->message,
                                  "field", r->field, "at", at));
    return failing(s, "applied_put");
}

static enum err f_counter_get(struct store *s, enum decide_counter kind, const char *key,
                              int64_t *count, int64_t *since)
{
    char k[160];
    json_t *c =
        json_object_get(sub(s, "counters"), key2(k, sizeof k, decide_counter_name(kind), key));
    if (c) {
        *count = json_integer_value(json_array_get(c, 0));
        *since = json_integer_value(json_array_get(c, 1));
    }
    return failing(s, "counter_get");
}

static enum err f_counter_put(struct store *s, enum decide_counter kind, const char *key,
                              int64_t count, int64_t since)
{
    char k[160];
    json_object_set_new(sub(s, "counters"), key2(k, sizeof k, decide_counter_name(kind), key),
                        json_pack("[I,I]", (json_int_t)count, (json_int_t)since));
    return failing(s, "counter_put");
}

static const struct decide_ops fake_ops = {
    .begin = f_begin,
    .commit = f_commit,
    .rollback = f_rollback,
    .get_row = f_get_row,
    .overlap = f_overlap,
    .put_row = f_put_row,
    .delete_row = f_delete_row,
    .bump_supports = f_bump_supports,
    .applied_get = f_applied_get,
    .applied_put = f_applied_put,
    .counter_get = f_counter_get,
    .counter_put = f_counter_put,
};

static int setup(void **state)
{
    struct fake *f = xcalloc(1, sizeof *f);
    f->db = json_pack("{s:{},s:{},s:{},s:{},s:i}", "rows", "log", "applied", "counters", "head", 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fake *f = *state;
    json_decref(f->db);
    json_decref(f->saved);
    free(f);
    return 0;
}

/* ---- pushing through decide.c ------------------------------------------- */

static const struct store_caller admin = {"admin", STORE_ADMIN, NULL, true, false};
static const struct store_caller staff = {"staff", STORE_STAFF, NULL, true, false};
static const struct store_caller kiosk = {"k1", STORE_KIOSK, "s1", true, false};
static const struct store_caller kiosk2 = {"k2", STORE_KIOSK, "s1", true, false};

/* 2035-01-16 is a winter day: 09:00Z is 10:00 in Paris. */
static int64_t t0(void)
{
    int64_t t;
    assert_int_equal(ts_parse("2035-01-01T00:00:00Z", &t), ERR_OK);
    return t;
}

static int64_t last_seq;

/* Applies one change {id: change, table, op, row} as `who` at `now`:
 * "applied", "duplicate", or "rejected:ERROR:FIELD" ("duplicate:ERROR:
 * FIELD" for a recorded refusal); its seq in last_seq. */
static const char *one(struct fake *f, const struct store_caller *who, int64_t now,
                       const char *change, const char *table, const char *op, const char *row)
{
    static char out[160];
    char body[2048];
    snprintf(body, sizeof body,
             "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"%s\",\"table\":\"%s\",\"op\":\"%s\","
             "\"row\":%s}]}",
             change, table, op, row);
    struct push_body b = {0};
    struct verr e;
    assert_int_equal(changeset_parse_push(body, strlen(body), NULL, &b, &e), ERR_OK);
    struct push_result r;
    assert_int_equal(decide_apply(&fake_ops, &f->base, who, &b.changes[0], now, &r), ERR_OK);
    assert_ptr_equal(r.id, b.changes[0].id);
    snprintf(out, sizeof out, "%s%s%s%s%s", r.status, r.error[0] ? ":" : "", r.error,
             r.error[0] ? ":" : "", r.field);
    last_seq = r.seq;
    changeset_push_free(&b);
    return out;
}

static json_t *row_of(struct fake *f, const char *table, const char *id)
{
    return json_object_get(table_rows(&f->base, table), id);
}

/* The seq under which a pull would list row `id` of `table`, 0 when none. */
static int64_t logged(struct fake *f, const char *table, const char *id)
{
    char k[160];
    json_t *e = json_object_get(sub(&f->base, "log"), key2(k, sizeof k, table, id));
    return e ? json_integer_value(json_array_get(e, 0)) : 0;
}

#define SITE "{\"id\":\"s1\",\"name\":\"S\",\"address\":\"A\"}"
#define ROOM(id, bookable, opens, closes)                                                          \
    "{\"id\":\"" id "\",\"site_id\":\"s1\",\"name\":\"R\",\"capacity\":4,\"bookable\":" bookable   \
    ",\"opens\":\"" opens "\",\"closes\":\"" closes "\"}"
#define INITIATIVE(id, extra)                                                                      \
    "{\"id\":\"" id "\",\"title\":\"T\",\"summary\":\"S\",\"description\":\"D\",\"domain\":"       \
    "\"sport\",\"stage\":\"emergence\",\"carrier\":\"C\",\"published\":true" extra "}"

/* Formats of rows with what varies left as %s. */
#define PROPOSAL "{\"id\":\"p1\",\"text\":\"Un banc\",\"status\":\"%s\"%s}"
#define OFFER                                                                                      \
    "{\"id\":\"o1\",\"initiative_id\":\"%s\",\"first_name\":\"Lou\",\"contact\":"                  \
    "\"lou@example.org\",\"consent\":%s,\"status\":\"%s\"}"
#define EVENT                                                                                      \
    "{\"id\":\"e1\",\"title\":\"T\",\"description\":\"D\",\"starts_at\":"                          \
    "\"2035-02-01T18:00:00Z\",\"ends_at\":\"%s\",\"category\":\"atelier\"%s}"

static void load_base(struct fake *f)
{
    assert_string_equal(one(f, &admin, t0(), "a1", "site", "upsert", SITE), "applied");
    assert_string_equal(
        one(f, &admin, t0(), "a2", "room", "upsert", ROOM("r1", "true", "08:00", "20:00")),
        "applied");
    assert_string_equal(one(f, &admin, t0(), "a3", "initiative", "upsert", INITIATIVE("i1", "")),
                        "applied");
}

static const char *booking(const char *id, const char *room, const char *from, const char *to,
                           const char *code)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "{\"id\":\"%s\",\"room_id\":\"%s\",\"starts_at\":\"2035-01-16T%s:00Z\","
             "\"ends_at\":\"2035-01-16T%s:00Z\",\"holder\":\"Camille\",\"status\":\"confirmed\""
             "%s%s%s}",
             id, room, from, to, code ? ",\"cancel_code\":\"" : "", code ? code : "",
             code ? "\"" : "");
    return buf;
}

static const char *cancel(const char *id, const char *code)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"status\":\"cancelled\"%s%s%s}", id,
             code ? ",\"cancel_code\":\"" : "", code ? code : "", code ? "\"" : "");
    return buf;
}

/* one() of a booking of `room` from `from` to `to` (HH:MM, UTC) that day. */
static const char *book(struct fake *f, const struct store_caller *who, const char *change,
                        const char *id, const char *room, const char *from, const char *to,
                        const char *code)
{
    return one(f, who, t0(), change, "booking", "upsert", booking(id, room, from, to, code));
}

/* ---- the tests ----------------------------------------------------------- */

/* Overlap, touching ends, and a retry answered from the first result. */
static void booking_overlap_and_exactly_once(void **state)
{
    struct fake *f = *state;
    load_base(f);
    char b1[512];
    snprintf(b1, sizeof b1, "%s", booking("b1", "r1", "09:00", "10:00", "123456"));
    assert_string_equal(one(f, &kiosk, t0(), "k1:1", "booking", "upsert", b1), "applied");
    int64_t seq1 = last_seq;
    assert_true(seq1 > 0);
    assert_string_equal(book(f, &kiosk2, "k2:1", "b2", "r1", "09:59", "11:00", "123456"),
                        "rejected:conflict:starts_at");
    assert_string_equal(book(f, &kiosk2, "k2:2", "b2", "r1", "10:00", "11:00", "123456"),
                        "applied");
    /* The retry: the first result, nothing applied again. */
    int64_t head = json_integer_value(sub(&f->base, "head"));
    assert_string_equal(one(f, &kiosk, t0(), "k1:1", "booking", "upsert", b1), "duplicate");
    assert_int_equal(last_seq, seq1);
    assert_int_equal(json_integer_value(sub(&f->base, "head")), head);
    /* A recorded refusal is answered with its error. */
    assert_string_equal(book(f, &kiosk2, "k2:1", "b3", "r1", "12:00", "13:00", "123456"),
                        "duplicate:conflict:starts_at");
    /* The same change id from another token is another change. */
    assert_string_equal(one(f, &kiosk2, t0(), "k1:1", "booking", "upsert", b1),
                        "rejected:exists:id");
    /* The hub keeps a hash of the code and who booked, never the code. */
    json_t *row = row_of(f, "booking", "b1");
    assert_null(json_object_get(row, "cancel_code"));
    assert_non_null(rules_str(row, "cancel_hash"));
    assert_string_equal(rules_str(row, "created_by"), "k1");
}

/* A booking's room must exist, be bookable and open; times are checked. */
static void booking_room_and_times(void **state)
{
    struct fake *f = *state;
    load_base(f);
    assert_string_equal(
        one(f, &admin, t0(), "a4", "room", "upsert", ROOM("r2", "false", "08:00", "20:00")),
        "applied");
    assert_string_equal(book(f, &kiosk, "b1", "b1", "nope", "09:00", "10:00", "123456"),
                        "rejected:unavailable:room_id");
    assert_string_equal(book(f, &kiosk, "b2", "b2", "r2", "09:00", "10:00", "123456"),
                        "rejected:unavailable:room_id");
    assert_string_equal(book(f, &kiosk, "b3", "b3", "r1", "05:00", "06:00", "123456"),
                        "rejected:invalid:starts_at");
    assert_string_equal(book(f, &kiosk, "b4", "b4", "r1", "09:00", "10:00", NULL),
                        "rejected:invalid:cancel_code");
    /* Staff book without a code, held to the same overlap rule. */
    assert_string_equal(book(f, &staff, "b5", "b5", "r1", "09:00", "10:00", NULL), "applied");
    assert_true(json_is_null(json_object_get(row_of(f, "booking", "b5"), "cancel_hash")));
    assert_string_equal(book(f, &staff, "b6", "b6", "r1", "09:30", "10:30", NULL),
                        "rejected:conflict:starts_at");
    assert_string_equal(
        one(f, &admin, t0(), "b7", "room", "upsert", ROOM("r3", "true", "20:00", "08:00")),
        "rejected:invalid:closes");
}

/* Right and wrong codes; STORE_CODE_TRIES wrong ones lock the booking's
 * code checks for STORE_CODE_WINDOW; staff need none. */
static void cancel_codes_and_their_lock(void **state)
{
    struct fake *f = *state;
    load_base(f);
    assert_string_equal(book(f, &kiosk, "g1", "b1", "r1", "09:00", "10:00", "123456"), "applied");
    assert_string_equal(book(f, &kiosk, "g2", "b2", "r1", "10:00", "11:00", "123456"), "applied");
    assert_string_equal(book(f, &kiosk, "g3", "b3", "r1", "11:00", "12:00", "123456"), "applied");
    assert_string_equal(one(f, &kiosk2, t0(), "c0", "booking", "upsert", cancel("nope", "123456")),
                        "rejected:not_found:id");
    int64_t t = t0() + 60;
    char id[32];
    for (int i = 0; i < STORE_CODE_TRIES; i++) {
        snprintf(id, sizeof id, "guess%d", i);
        assert_string_equal(one(f, &kiosk2, t + i, id, "booking", "upsert", cancel("b1", "000000")),
                            "rejected:bad_code:cancel_code");
    }
    assert_string_equal(
        one(f, &kiosk2, t + 10, "right1", "booking", "upsert", cancel("b1", "123456")),
        "rejected:bad_code:cancel_code");
    assert_string_equal(one(f, &kiosk2, t + STORE_CODE_WINDOW - 1, "right2", "booking", "upsert",
                            cancel("b1", "123456")),
                        "rejected:bad_code:cancel_code");
    /* One wrong code fewer does not lock. */
    for (int i = 0; i < STORE_CODE_TRIES - 1; i++) {
        snprintf(id, sizeof id, "miss%d", i);
        (void)one(f, &kiosk2, t + i, id, "booking", "upsert", cancel("b2", "000000"));
    }
    assert_string_equal(
        one(f, &kiosk2, t + 10, "other", "booking", "upsert", cancel("b2", "123456")), "applied");
    /* Only the status changes. */
    json_t *b2 = row_of(f, "booking", "b2");
    assert_string_equal(rules_str(b2, "status"), "cancelled");
    assert_string_equal(rules_str(b2, "holder"), "Camille");
    assert_string_equal(one(f, &staff, t + 10, "staff1", "booking", "upsert", cancel("b3", NULL)),
                        "applied");
    assert_string_equal(one(f, &kiosk2, t + STORE_CODE_WINDOW, "right3", "booking", "upsert",
                            cancel("b1", "123456")),
                        "applied");
}

/* A support `row` sent as change `change` at `now`, refused, then again a
 * second later: the retry's answer. */
static const char *retried(struct fake *f, const struct store_caller *who, int64_t now,
                           const char *change, const char *row)
{
    assert_non_null(strstr(one(f, who, now, change, "support", "upsert", row), "rejected:"));
    return one(f, who, now + 1, change, "support", "upsert", row);
}

/* Past STORE_REJECTED_PER_HOUR refusals in an hour, a token's refusals
 * are not recorded (a retry is decided again); the next hour they are. */
static void rejected_records_are_budgeted(void **state)
{
    struct fake *f = *state;
    char id[32], row[96];
    for (int i = 0; i < STORE_REJECTED_PER_HOUR + 2; i++) {
        snprintf(id, sizeof id, "r%d", i);
        snprintf(row, sizeof row, "{\"id\":\"x%d\",\"initiative_id\":\"nope\"}", i);
        assert_string_equal(one(f, &kiosk, t0(), id, "support", "upsert", row),
                            "rejected:invalid:initiative_id");
    }
    const char *nope = "{\"id\":\"x0\",\"initiative_id\":\"nope\"}";
    assert_string_equal(one(f, &kiosk, t0() + 10, "r0", "support", "upsert", nope),
                        "duplicate:invalid:initiative_id");
    snprintf(id, sizeof id, "r%d", STORE_REJECTED_PER_HOUR);
    assert_string_equal(one(f, &kiosk, t0() + 10, id, "support", "upsert", nope),
                        "rejected:invalid:initiative_id");
    /* Another token has its own budget; an hour after the first refusal
     * the token records again; a change id that is not a protocol id is
     * never recorded. */
    assert_string_equal(retried(f, &kiosk2, t0() + 10, "k2", nope),
                        "duplicate:invalid:initiative_id");
    assert_string_equal(retried(f, &kiosk, t0() + 3600, "late", nope),
                        "duplicate:invalid:initiative_id");
    assert_string_equal(retried(f, &kiosk, t0() + 3601, "no id!", nope), "rejected:invalid:id");
}

/* The budget's retry_after for n changes named PREFIX-0... of token. */
static int64_t budget(struct store *s, const char *token, const char *prefix, size_t n, int64_t now)
{
    struct push_change *c = xcalloc(n, sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i].id = xasprintf("%s-%zu", prefix, i);
    int64_t retry = -1;
    bool refund;
    assert_int_equal(decide_push_budget(&fake_ops, s, token, c, n, now, &retry, &refund), ERR_OK);
    for (size_t i = 0; i < n; i++)
        free(c[i].id);
    free(c);
    return retry;
}

/* STORE_CHANGES_PER_HOUR new changes a token an hour, from the first;
 * those it pushed before (a retry) cost nothing. */
static void pushes_are_budgeted(void **state)
{
    struct fake *f = *state;
    struct store *s = &f->base;
    assert_int_equal(budget(s, "k1", "a", 1000, t0()), 0);
    for (size_t i = 0; i < 1000; i++) {
        char id[16];
        snprintf(id, sizeof id, "a-%zu", i);
        struct push_result r = {.id = id, .status = "applied", .seq = -1};
        assert_int_equal(fake_ops.applied_put(s, "k1", &r, "2035-01-01T00:00:00Z"), ERR_OK);
    }
    assert_int_equal(budget(s, "k1", "b", STORE_CHANGES_PER_HOUR - 1000, t0() + 10), 0);
    assert_int_equal(budget(s, "k1", "c", 1, t0() + 100), 3500);
    assert_int_equal(budget(s, "k1", "a", 1000, t0() + 100), 0);
    assert_int_equal(budget(s, "k2", "a", 1000, t0() + 100), 0);
    assert_int_equal(budget(s, "k1", "c", 1000, t0() + 3600), 0);
}

/* A push of kiosk k1 as the hub's api_push() runs it through q: the
 * budget, then each change with the refund the budget said. The changes
 * are proposals p-I under change ids p-I, for I from `from` up to `to`
 * excluded, or down to it when to < from (the newest first: not a
 * retry's order). Its retry_after: when not 0, nothing was applied. */
static int64_t push_range(const struct decide_ops *q, struct store *s, int from, int to,
                          int64_t now)
{
    json_t *changes = json_array();
    int step = from < to ? 1 : -1;
    for (int i = from; i != to; i += step) {
        char id[16];
        snprintf(id, sizeof id, "p-%d", i);
        json_array_append_new(changes, json_pack("{s:s,s:s,s:s,s:{s:s,s:s,s:s}}", "id", id, "table",
                                                 "proposal", "op", "upsert", "row", "id", id,
                                                 "text", "Un banc", "status", "submitted"));
    }
    json_t *root = json_pack("{s:s,s:o}", "format", "sceaux/1", "changes", changes);
    char *body = json_dumps(root, 0);
    struct push_body b = {0};
    struct verr e;
    assert_int_equal(changeset_parse_push(body, strlen(body), NULL, &b, &e), ERR_OK);
    struct store_caller who = kiosk;
    int64_t retry = -1;
    assert_int_equal(
        decide_push_budget(q, s, who.name, b.changes, b.count, now, &retry, &who.refund), ERR_OK);
    for (size_t i = 0; retry == 0 && i < b.count; i++) {
        struct push_result r;
        assert_int_equal(decide_apply(q, s, &who, &b.changes[i], now, &r), ERR_OK);
        assert_string_not_equal(r.status, "rejected");
    }
    changeset_push_free(&b);
    free(body);
    json_decref(root);
    return retry;
}

/* k1's push budget as stored: the changes it spent this hour. */
static int64_t spent(const struct decide_ops *q, struct store *s)
{
    int64_t used = 0, since = 0;
    assert_int_equal(q->begin(s), ERR_OK);
    assert_int_equal(q->counter_get(s, DECIDE_PUSHED, "k1", &used, &since), ERR_OK);
    assert_int_equal(q->commit(s), ERR_OK);
    return used;
}

/* The budget as pushes spend it: a push that fits whole is charged whole
 * and apply gives back the duplicates it finds; a retry, or a push that
 * does not fit whole, is counted change by change and charged its new
 * changes, nothing given back. Either way the budget ends with the
 * hour's new changes. */
static void budget_refunds(const struct decide_ops *q, struct store *s)
{
    const int64_t max = STORE_CHANGES_PER_HOUR;
    assert_int_equal(push_range(q, s, 0, 40, t0()), 0);
    assert_int_equal(spent(q, s), 40);
    assert_int_equal(push_range(q, s, 0, 40, t0() + 1), 0); /* a retry */
    assert_int_equal(spent(q, s), 40);
    assert_int_equal(push_range(q, s, 59, 19, t0() + 2), 0); /* half new, refunds */
    assert_int_equal(spent(q, s), 60);
    assert_int_equal(push_range(q, s, 30, 70, t0() + 2), 0); /* a retry and more */
    assert_int_equal(spent(q, s), 70);
    /* Near the limit, 10 decided and 12 new changes do not fit whole,
     * the 12 new do; then 12 decided and 8 new do not fit at all. */
    assert_int_equal(q->begin(s), ERR_OK);
    assert_int_equal(q->counter_put(s, DECIDE_PUSHED, "k1", max - 15, t0()), ERR_OK);
    assert_int_equal(q->commit(s), ERR_OK);
    assert_int_equal(push_range(q, s, 81, 59, t0() + 3), 0);
    assert_int_equal(spent(q, s), max - 3);
    assert_int_equal(push_range(q, s, 89, 69, t0() + 4), 3600 - 4);
    assert_int_equal(spent(q, s), max - 3);
    json_t *row = NULL;
    assert_int_equal(q->begin(s), ERR_OK);
    assert_int_equal(q->get_row(s, tables_find("proposal"), "p-89", &row), ERR_OK);
    assert_int_equal(q->commit(s), ERR_OK);
    assert_null(row);
}

static void budget_refunds_fake(void **state)
{
    struct fake *f = *state;
    budget_refunds(&fake_ops, &f->base);
}

/* The same on SQLite, through its own questions. */
static void budget_refunds_sqlite(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_decide.XXXXXX", path[64], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/hub.db", dir);
    struct store *s = NULL;
    assert_int_equal(store_sqlite_open(path, &s, err, sizeof err), ERR_OK);
    budget_refunds(s->ops->decide, s);
    store_close(s);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* What a kiosk token may not do, and what it may do only once. */
static void kiosk_refusals(void **state)
{
    struct fake *f = *state;
    load_base(f);
    assert_string_equal(one(f, &kiosk, t0(), "k1", "initiative", "upsert", INITIATIVE("i2", "")),
                        "rejected:forbidden:");
    assert_string_equal(one(f, &kiosk, t0(), "k2", "booking", "delete", "{\"id\":\"b1\"}"),
                        "rejected:forbidden:");
    assert_string_equal(one(f, &kiosk, t0(), "k3", "proposal", "upsert",
                            "{\"id\":\"p1\",\"text\":\"Un banc\",\"status\":\"published\"}"),
                        "rejected:forbidden:");
    assert_string_equal(one(f, &kiosk, t0(), "k4", "proposal", "upsert",
                            "{\"id\":\"p1\",\"text\":\"Un banc\",\"status\":\"submitted\","
                            "\"outcome\":\"retenue\"}"),
                        "rejected:forbidden:outcome");
    assert_string_equal(one(f, &staff, t0(), "k5", "site", "upsert", SITE), "rejected:forbidden:");
    const char *b1 = booking("b1", "r1", "09:00", "10:00", "123456");
    assert_string_equal(one(f, &kiosk, t0(), "k6", "booking", "upsert", b1), "applied");
    assert_string_equal(one(f, &kiosk, t0(), "k7", "booking", "upsert", b1), "rejected:exists:id");
    assert_string_equal(one(f, &admin, t0(), "k8", "booking", "delete", "{\"id\":\"b1\"}"),
                        "applied");
    assert_int_equal(logged(f, "booking", "b1"), last_seq);
    assert_null(row_of(f, "booking", "b1"));
    assert_string_equal(one(f, &admin, t0(), "k9", "booking", "delete", "{\"id\":\"b1\"}"),
                        "rejected:not_found:id");
}

/* A support adds one to what it names, under its own seq; its delete
 * takes it back; a support row is never replaced. */
static void supports_counters(void **state)
{
    struct fake *f = *state;
    load_base(f);
    const char *x1 = "{\"id\":\"x1\",\"initiative_id\":\"i1\"}";
    assert_string_equal(one(f, &kiosk, t0() + 5, "s1", "support", "upsert", x1), "applied");
    assert_string_equal(one(f, &kiosk, t0() + 6, "s2", "support", "upsert",
                            "{\"id\":\"x2\",\"initiative_id\":\"i1\"}"),
                        "applied");
    json_t *i1 = row_of(f, "initiative", "i1");
    assert_int_equal(json_integer_value(json_object_get(i1, "supports")), 2);
    assert_int_equal(logged(f, "initiative", "i1"), last_seq);
    char at[TS_LEN + 1];
    ts_format(t0() + 6, at);
    assert_string_equal(rules_str(i1, "updated_at"), at);
    assert_int_equal(logged(f, "support", "x1"), 0); /* supports never go out */
    assert_string_equal(rules_str(row_of(f, "support", "x1"), "created_by"), "k1");
    assert_string_equal(one(f, &admin, t0(), "s3", "support", "upsert", x1), "rejected:exists:id");
    assert_string_equal(one(f, &admin, t0(), "s4", "support", "delete", "{\"id\":\"x1\"}"),
                        "applied");
    assert_int_equal(json_integer_value(json_object_get(row_of(f, "initiative", "i1"), "supports")),
                     1);
    /* An update of the initiative keeps its count. */
    assert_string_equal(one(f, &admin, t0(), "s5", "initiative", "upsert", INITIATIVE("i1", "")),
                        "applied");
    assert_int_equal(json_integer_value(json_object_get(row_of(f, "initiative", "i1"), "supports")),
                     1);
    /* A proposal is supported only while published. */
    char row[128];
    snprintf(row, sizeof row, PROPOSAL, "submitted", "");
    assert_string_equal(one(f, &kiosk, t0(), "p1", "proposal", "upsert", row), "applied");
    const char *ps = "{\"id\":\"y1\",\"proposal_id\":\"p1\"}";
    assert_string_equal(one(f, &kiosk, t0(), "s6", "proposal_support", "upsert", ps),
                        "rejected:unavailable:proposal_id");
    snprintf(row, sizeof row, PROPOSAL, "published", "");
    assert_string_equal(one(f, &admin, t0(), "p2", "proposal", "upsert", row), "applied");
    assert_string_equal(one(f, &kiosk, t0(), "s7", "proposal_support", "upsert", ps), "applied");
    assert_int_equal(json_integer_value(json_object_get(row_of(f, "proposal", "p1"), "supports")),
                     1);
    assert_int_equal(logged(f, "proposal", "p1"), last_seq);
}

/* Hub-set columns of a proposal, was_published kept once set, and the
 * city's answer to a deciding outcome. */
static void proposal_moderation(void **state)
{
    struct fake *f = *state;
    char row[256];
    snprintf(row, sizeof row, PROPOSAL, "submitted", ",\"supports\":9");
    assert_string_equal(one(f, &kiosk, t0(), "p1", "proposal", "upsert", row), "applied");
    json_t *r = row_of(f, "proposal", "p1");
    char at[TS_LEN + 1];
    ts_format(t0(), at);
    assert_string_equal(rules_str(r, "created_at"), at);
    assert_int_equal(json_integer_value(json_object_get(r, "supports")), 0);
    assert_true(json_is_false(json_object_get(r, "was_published")));
    assert_string_equal(one(f, &kiosk, t0(), "p2", "proposal", "upsert", row),
                        "rejected:exists:id");
    snprintf(row, sizeof row, PROPOSAL, "published", "");
    assert_string_equal(one(f, &staff, t0() + 60, "p3", "proposal", "upsert", row), "applied");
    snprintf(row, sizeof row, PROPOSAL, "submitted", "");
    assert_string_equal(one(f, &staff, t0() + 60, "p4", "proposal", "upsert", row), "applied");
    r = row_of(f, "proposal", "p1");
    assert_true(json_is_true(json_object_get(r, "was_published")));
    assert_string_equal(rules_str(r, "created_at"), at);
    snprintf(row, sizeof row, PROPOSAL, "published", ",\"outcome\":\"retenue\"");
    assert_string_equal(one(f, &staff, t0(), "p5", "proposal", "upsert", row),
                        "rejected:invalid:answer");
    snprintf(row, sizeof row, PROPOSAL, "published", ",\"outcome\":\"a_l_etude\"");
    assert_string_equal(one(f, &staff, t0(), "p6", "proposal", "upsert", row), "applied");
    snprintf(row, sizeof row, PROPOSAL, "published", ",\"outcome\":\"retenue\",\"answer\":\"Oui\"");
    assert_string_equal(one(f, &staff, t0(), "p7", "proposal", "upsert", row), "applied");
}

/* A help offer needs the person's consent and names an initiative. */
static void help_offer_rules(void **state)
{
    struct fake *f = *state;
    load_base(f);
    char row[256];
    snprintf(row, sizeof row, OFFER, "i1", "false", "new");
    assert_string_equal(one(f, &kiosk, t0(), "o1", "help_offer", "upsert", row),
                        "rejected:invalid:consent");
    snprintf(row, sizeof row, OFFER, "nope", "true", "new");
    assert_string_equal(one(f, &kiosk, t0(), "o2", "help_offer", "upsert", row),
                        "rejected:invalid:initiative_id");
    snprintf(row, sizeof row, OFFER, "i1", "true", "passed_on");
    assert_string_equal(one(f, &kiosk, t0(), "o3", "help_offer", "upsert", row),
                        "rejected:forbidden:");
    snprintf(row, sizeof row, OFFER, "i1", "true", "new");
    assert_string_equal(one(f, &kiosk, t0(), "o4", "help_offer", "upsert", row), "applied");
    char at[TS_LEN + 1];
    ts_format(t0(), at);
    assert_string_equal(rules_str(row_of(f, "help_offer", "o1"), "created_at"), at);
    snprintf(row, sizeof row, OFFER, "i1", "true", "passed_on");
    assert_string_equal(one(f, &staff, t0() + 60, "o5", "help_offer", "upsert", row), "applied");
    assert_string_equal(rules_str(row_of(f, "help_offer", "o1"), "created_at"), at);
}

/* A picture is told in words; references and spans are checked. */
static void pictures_references_and_spans(void **state)
{
    struct fake *f = *state;
    load_base(f);
    char row[512];
    const char *pic = ",\"picture\":\"" /* 64 hex digits */
                      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"";
    snprintf(row, sizeof row, INITIATIVE("i2", "%s,\"picture_alt\":\" \""), pic);
    assert_string_equal(one(f, &admin, t0(), "c1", "initiative", "upsert", row),
                        "rejected:invalid:picture_alt");
    snprintf(row, sizeof row, INITIATIVE("i2", "%s,\"picture_alt\":\"Un banc\""), pic);
    assert_string_equal(one(f, &admin, t0(), "c2", "initiative", "upsert", row), "applied");
    assert_string_equal(one(f, &admin, t0(), "c3", "initiative", "upsert",
                            INITIATIVE("i3", ",\"organization_id\":\"nobody\"")),
                        "rejected:invalid:organization_id");
    snprintf(row, sizeof row, EVENT, "2035-02-01T17:00:00Z", "");
    assert_string_equal(one(f, &admin, t0(), "c4", "event", "upsert", row),
                        "rejected:invalid:ends_at");
    snprintf(row, sizeof row, EVENT, "2035-02-01T20:00:00Z", ",\"room_id\":\"nope\"");
    assert_string_equal(one(f, &admin, t0(), "c5", "event", "upsert", row),
                        "rejected:invalid:room_id");
    snprintf(row, sizeof row, EVENT, "2035-02-01T20:00:00Z",
             ",\"rrule\":\"FREQ=WEEKLY;UNTIL=20350101T000000Z\"");
    assert_string_equal(one(f, &admin, t0(), "c6", "event", "upsert", row),
                        "rejected:invalid:rrule");
    snprintf(row, sizeof row, EVENT, "2035-02-01T20:00:00Z", ",\"room_id\":\"r1\"");
    assert_string_equal(one(f, &admin, t0(), "c7", "event", "upsert", row), "applied");
}

/* A question that fails mid-change: an error, nothing applied, no
 * record, no counter moved; the retry then applies once. */
static void failing_question_applies_nothing(void **state)
{
    struct fake *f = *state;
    load_base(f);
    const char *fails[] = {"put_row", "bump_supports", "applied_put", "commit"};
    const char *x1 = "{\"id\":\"x1\",\"initiative_id\":\"i1\"}";
    char body[256];
    snprintf(body, sizeof body,
             "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"s1\",\"table\":\"support\","
             "\"op\":\"upsert\",\"row\":%s}]}",
             x1);
    struct push_body b = {0};
    struct verr e;
    assert_int_equal(changeset_parse_push(body, strlen(body), NULL, &b, &e), ERR_OK);
    char *before = json_dumps(f->db, JSON_SORT_KEYS);
    for (size_t i = 0; i < sizeof fails / sizeof fails[0]; i++) {
        f->fail = fails[i];
        struct push_result r;
        assert_int_equal(decide_apply(&fake_ops, &f->base, &kiosk, &b.changes[0], t0(), &r),
                         ERR_IO);
        assert_int_equal(r.seq, -1);
        assert_null(f->saved);
        char *after = json_dumps(f->db, JSON_SORT_KEYS);
        assert_string_equal(after, before);
        free(after);
    }
    free(before);
    changeset_push_free(&b);
    f->fail = NULL;
    assert_string_equal(one(f, &kiosk, t0(), "s1", "support", "upsert", x1), "applied");
    assert_int_equal(json_integer_value(json_object_get(row_of(f, "initiative", "i1"), "supports")),
                     1);
    assert_string_equal(one(f, &kiosk, t0(), "s1", "support", "upsert", x1), "duplicate");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(booking_overlap_and_exactly_once, setup, teardown),
        cmocka_unit_test_setup_teardown(booking_room_and_times, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_codes_and_their_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(rejected_records_are_budgeted, setup, teardown),
        cmocka_unit_test_setup_teardown(pushes_are_budgeted, setup, teardown),
        cmocka_unit_test_setup_teardown(budget_refunds_fake, setup, teardown),
        cmocka_unit_test(budget_refunds_sqlite),
        cmocka_unit_test_setup_teardown(kiosk_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(supports_counters, setup, teardown),
        cmocka_unit_test_setup_teardown(proposal_moderation, setup, teardown),
        cmocka_unit_test_setup_teardown(help_offer_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(pictures_references_and_spans, setup, teardown),
        cmocka_unit_test_setup_teardown(failing_question_applies_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
