/* Unit tests of the validator: UTF-8, the JSON loader's caps, row rules in
 * the three modes, and error detail that stays valid UTF-8.
 *
 * Rows for every table are made from tables.h itself (sample_row()), so a
 * column added there is covered here without editing this file; the push
 * and pull data sets (test_changeset.c) cover the cases one by one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "buf.h"
#include "validate.h"
#include "xalloc.h"

struct utf8_case {
    const char *s;
    size_t len;
    bool ok;
    size_t bad;
};

#define U(lit, ok, bad)                                                                            \
    {                                                                                              \
        lit, sizeof(lit) - 1, ok, bad                                                              \
    }

static void utf8(void **state)
{
    (void)state;
    static const struct utf8_case cases[] = {
        U("", true, 0),
        U("plain ascii", true, 0),
        U("caf\xc3\xa9", true, 0),      /* é */
        U("\xe2\x82\xac", true, 0),     /* € */
        U("\xf0\x9f\x8c\xb3", true, 0), /* 🌳 */
        U("\xf4\x8f\xbf\xbf", true, 0), /* U+10FFFF */
        U("\xed\x9f\xbf", true, 0),     /* U+D7FF */
        U("a\x00z", true, 0),           /* NUL is UTF-8; JSON refuses it */
        U("caf\xe9", false, 3),         /* Latin-1 */
        U("ab\xff", false, 2),
        U("\x80", false, 0),     /* lone continuation */
        U("\xc0\xaf", false, 0), /* overlong / */
        U("\xc1\xbf", false, 0),
        U("\xe0\x80\xaf", false, 0),     /* overlong, 3 bytes */
        U("\xf0\x80\x80\xaf", false, 0), /* overlong, 4 bytes */
        U("x\xed\xa0\x80", false, 1),    /* surrogate U+D800 */
        U("\xed\xbf\xbf", false, 0),     /* surrogate U+DFFF */
        U("\xf4\x90\x80\x80", false, 0), /* U+110000 */
        U("\xf5\x80\x80\x80", false, 0),
        U("\xe2\x82", false, 0),  /* truncated at the end */
        U("\xe2\x82z", false, 0), /* truncated in the middle */
        U("\xc3", false, 0),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t bad = 999;
        bool ok = validate_utf8(cases[i].s, cases[i].len, &bad);
        if (ok != cases[i].ok || (!ok && bad != cases[i].bad))
            fail_msg("case %zu: ok=%d bad=%zu", i, ok, bad);
    }
    assert_int_equal(validate_utf8_chars(""), 0);
    assert_int_equal(validate_utf8_chars("abc"), 3);
    assert_int_equal(validate_utf8_chars("\xc3\xa9t\xc3\xa9"), 3);
    assert_int_equal(validate_utf8_chars("\xf0\x9f\x8c\xb3\xe2\x82\xac"), 2);
}

static char *nested(size_t depth, char open, char close)
{
    char *s = xmalloc(2 * depth + 1);
    memset(s, open, depth);
    memset(s + depth, close, depth);
    s[2 * depth] = '\0';
    return s;
}

/* Loads s, trusting the scan `done` when not NULL; ERR_OK or the code,
 * the value dropped. */
static enum err load_after(const char *s, size_t max_depth, const struct validate_scan *done,
                           struct verr *e)
{
    json_t *j;
    enum err rc = done ? validate_json_load_scanned(s, strlen(s), max_depth, done, &j, e)
                       : validate_json_load(s, strlen(s), max_depth, &j, e);
    assert_true(rc ? j == NULL : j != NULL);
    if (rc) {
        assert_string_equal(e->error, "invalid");
        assert_true(e->message[0]);
        assert_true(validate_utf8(e->message, strlen(e->message), NULL));
    }
    json_decref(j);
    return rc;
}

static enum err load(const char *s, size_t max_depth, struct verr *e)
{
    return load_after(s, max_depth, NULL, e);
}

static void json_depth(void **state)
{
    (void)state;
    struct verr e;
    char *s = nested(32, '[', ']');
    assert_int_equal(load(s, 32, &e), ERR_OK);
    free(s);
    s = nested(33, '[', ']');
    assert_int_equal(load(s, 32, &e), ERR_DEPTH);
    assert_non_null(strstr(e.message, "32"));
    assert_int_equal(load(s, 33, &e), ERR_OK);
    free(s);
    /* Objects count too, mixed with arrays. */
    struct buf b;
    buf_init(&b, 1 << 16);
    for (int i = 0; i < 16; i++)
        assert_int_equal(buf_puts(&b, "{\"a\":["), ERR_OK);
    for (int i = 0; i < 16; i++)
        assert_int_equal(buf_puts(&b, "]}"), ERR_OK);
    assert_int_equal(load(b.data, 32, &e), ERR_OK);
    assert_int_equal(load(b.data, 31, &e), ERR_DEPTH);
    buf_release(&b);
    /* Brackets in strings, also after escaped quotes and backslashes, do
     * not count; siblings do not add up. */
    assert_int_equal(load("[\"[[[[\", \"\\\"[[[[\", \"\\\\\", [[]], [[]]]", 3, &e), ERR_OK);
    assert_int_equal(load("[\"\\\\\", [[[]]]]", 3, &e), ERR_DEPTH);
    /* Far deeper than jansson's own limit: refused before parsing. */
    s = nested(100000, '[', ']');
    assert_int_equal(load(s, 32, &e), ERR_DEPTH);
    free(s);
}

/* Values counted by the pre-scan, fed whole and one byte at a time. */
static size_t values_in(const char *s, size_t piece)
{
    struct validate_scan scan;
    validate_scan_init(&scan, 32, SIZE_MAX);
    for (size_t i = 0, n = strlen(s); i < n; i += piece)
        assert_int_equal(validate_scan_feed(&scan, s + i, n - i < piece ? n - i : piece), ERR_OK);
    return scan.values;
}

static void json_values(void **state)
{
    (void)state;
    const char *s = "{\"a\": [1, -2.5e3, true, null, \"x,y]\\\"\"], \"b\": {}}";
    assert_int_equal(values_in(s, 1000), 10);
    assert_int_equal(values_in(s, 1), 10);
    struct validate_scan scan;
    validate_scan_init(&scan, 32, 9);
    assert_int_equal(validate_scan_feed(&scan, s, strlen(s)), ERR_TOO_BIG);
    assert_string_equal(scan.err.error, "too_big");
    assert_non_null(strstr(scan.err.message, "byte 46"));
    /* Once failed, always failed. */
    assert_int_equal(validate_scan_feed(&scan, "", 0), ERR_TOO_BIG);
}

static void json_errors(void **state)
{
    (void)state;
    struct verr e;
    assert_int_equal(load("{\"a\":\"caf\xe9\"}", 32, &e), ERR_UTF8);
    assert_non_null(strstr(e.message, "byte 9"));
    assert_int_equal(load("{\"a\":1,\n \"b\":}", 32, &e), ERR_INVALID);
    assert_non_null(strstr(e.message, "line 2"));
    assert_int_equal(load("{\"a\":1,\"a\":2}", 32, &e), ERR_INVALID);
    assert_non_null(strstr(e.message, "duplicate"));
    assert_int_equal(load("{\"a\":\"x\\u0000y\"}", 32, &e), ERR_INVALID);
    assert_int_equal(load("{\"a\":\"\\udc00\"}", 32, &e), ERR_INVALID);
    assert_int_equal(load("\"scalar\"", 32, &e), ERR_INVALID);
    assert_int_equal(load("", 32, &e), ERR_INVALID);
    assert_int_equal(load("{} {}", 32, &e), ERR_INVALID);
    assert_int_equal(load("{\"a\":\"\xf0\x9f\x8c\xb3\"}", 32, &e), ERR_OK);
    /* A NUL byte in the body is refused, not cut short. */
    json_t *j;
    assert_int_equal(validate_json_load("{}\0{", 4, 32, &j, &e), ERR_INVALID);
    assert_null(j);
}

/* The hub's body scan stands for the loader's only when it measured the
 * same bytes with the same cap or a stricter one and passed; UTF-8 and
 * syntax are always checked. */
static void json_load_after_scan(void **state)
{
    (void)state;
    struct verr e;
    char *deep = nested(6, '[', ']');
    struct validate_scan scan;
    /* A scan that claims to have passed all the bytes at cap 4 is
     * believed: the loader does not measure again (a forged claim here,
     * to show the skip; the hub's scans are real). */
    validate_scan_init(&scan, 4, SIZE_MAX);
    scan.offset = strlen(deep);
    assert_int_equal(load_after(deep, 4, &scan, &e), ERR_OK);
    /* Anything else is measured again: a NULL scan, a laxer cap, a scan
     * of fewer bytes, a failed scan. */
    assert_int_equal(load_after(deep, 4, NULL, &e), ERR_DEPTH);
    validate_scan_init(&scan, 8, SIZE_MAX);
    assert_int_equal(validate_scan_feed(&scan, deep, strlen(deep)), ERR_OK);
    assert_int_equal(load_after(deep, 4, &scan, &e), ERR_DEPTH);
    assert_non_null(strstr(e.message, "deeper than 4"));
    validate_scan_init(&scan, 4, SIZE_MAX);
    assert_int_equal(validate_scan_feed(&scan, deep, 4), ERR_OK);
    assert_int_equal(load_after(deep, 4, &scan, &e), ERR_DEPTH);
    validate_scan_init(&scan, 4, SIZE_MAX);
    assert_int_equal(validate_scan_feed(&scan, deep, strlen(deep)), ERR_DEPTH);
    assert_int_equal(load_after(deep, 4, &scan, &e), ERR_DEPTH);
    free(deep);
    /* After a real scan, the rest of the loader's checks still run. */
    const char *bad[] = {"{\"a\":\"caf\xe9\"}", "{\"a\":1,\"a\":2}", "{\"a\":", "\"scalar\""};
    enum err want[] = {ERR_UTF8, ERR_INVALID, ERR_INVALID, ERR_INVALID};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        validate_scan_init(&scan, 32, SIZE_MAX);
        assert_int_equal(validate_scan_feed(&scan, bad[i], strlen(bad[i])), ERR_OK);
        assert_int_equal(load_after(bad[i], 32, &scan, &e), want[i]);
        assert_string_equal(e.error, "invalid");
    }
}

/* ---- rows built from tables.h ---- */

/* A valid value for column c. */
#define PIC "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static json_t *sample(const struct column *c)
{
    switch (c->type) {
    case COL_ID:
        return json_string("x1");
    case COL_TEXT: {
        /* Longest allowed, in 2-byte characters: lengths count characters. */
        size_t n = (size_t)c->max_chars;
        char *s = xmalloc(2 * n + 1);
        for (size_t i = 0; i < n; i++)
            memcpy(s + 2 * i, "\xc3\xa9", 2);
        s[2 * n] = '\0';
        json_t *j = json_string(s);
        free(s);
        return j;
    }
    case COL_INT:
        return json_integer(2147483647);
    case COL_BOOL:
        return json_false();
    case COL_TIME:
        return json_string("2026-12-01T09:00:00Z");
    case COL_ENUM:
        return json_string(c->values[0]);
    case COL_HHMM:
        return json_string("23:59");
    case COL_TARGET:
        return json_string("kiosk:hall");
    case COL_CODE:
        return json_string("123456");
    case COL_RRULE:
        return json_string("FREQ=WEEKLY;COUNT=3");
    case COL_SET: {
        /* Every value, in reverse order: a set has none. */
        char s[200] = "";
        size_t n = 0;
        while (c->values[n])
            n++;
        for (size_t i = n; i-- > 0;)
            snprintf(s + strlen(s), sizeof s - strlen(s), "%s%s", c->values[i], i ? "," : "");
        return json_string(s);
    }
    case COL_PICTURE:
        return json_string(PIC);
    case COL_CONTACT:
        return json_string("camille@example.org");
    }
    return NULL;
}

/* A row with every column that the mode allows. */
static json_t *sample_row(const struct table *t, enum vmode mode)
{
    json_t *row = json_object();
    for (int i = 0; i < t->ncols; i++) {
        const struct column *c = &t->cols[i];
        if (mode == VALIDATE_PULL ? tables_column_public(c) : tables_column_pushable(c))
            json_object_set_new(row, c->name, sample(c));
    }
    return row;
}

static void expect_invalid(const struct table *t, json_t *row, enum vmode mode, const char *field)
{
    struct verr e;
    enum err rc = validate_row(t, row, mode, &e);
    if (rc != ERR_INVALID || strcmp(e.field, field) != 0)
        fail_msg("%s/%s: rc %d field '%s', expected '%s'", t->name, field, rc, e.field, field);
    assert_string_equal(e.error, "invalid");
    assert_non_null(strstr(e.message, field));
}

static void every_table_valid(void **state)
{
    (void)state;
    struct verr e;
    for (int ti = 0; ti < tables_count; ti++) {
        const struct table *t = &tables_all[ti];
        for (enum vmode m = VALIDATE_PUSH; m <= VALIDATE_PULL; m++) {
            json_t *row = sample_row(t, m);
            if (validate_row(t, row, m, &e) != ERR_OK)
                fail_msg("%s mode %d: %s", t->name, m, e.message);
            json_decref(row);
        }
    }
}

/* Each column alone: missing, null, wrong type, one too long. */
static void every_column_checked(void **state)
{
    (void)state;
    for (int ti = 0; ti < tables_count; ti++) {
        const struct table *t = &tables_all[ti];
        for (int i = 0; i < t->ncols; i++) {
            const struct column *c = &t->cols[i];
            bool push = tables_column_pushable(c), pull = tables_column_public(c);
            json_t *row = sample_row(t, push ? VALIDATE_PUSH : VALIDATE_PULL);
            if (!push && !pull) {
                json_decref(row);
                continue;
            }
            enum vmode m = push ? VALIDATE_PUSH : VALIDATE_PULL;
            json_object_set_new(row, c->name, json_null());
            struct verr e;
            if (c->flags & COL_OPT)
                assert_int_equal(validate_row(t, row, m, &e), ERR_OK);
            else
                expect_invalid(t, row, m, c->name);
            json_object_set_new(row, c->name, json_array());
            expect_invalid(t, row, m, c->name);
            json_object_set_new(row, c->name,
                                c->type == COL_INT ? json_integer(2147483648LL)
                                                   : json_string("\xc3\xa9x"));
            if (c->type != COL_TEXT)
                expect_invalid(t, row, m, c->name);
            if (c->type == COL_TEXT) {
                json_t *v = sample(c);
                char *s = xasprintf("%sz", json_string_value(v));
                json_object_set_new(row, c->name, json_string(s));
                expect_invalid(t, row, m, c->name);
                free(s);
                json_decref(v);
            }
            json_object_del(row, c->name);
            if (c->flags & COL_OPT) /* in a pull too: from a hub older than it */
                assert_int_equal(validate_row(t, row, m, &e), ERR_OK);
            else
                expect_invalid(t, row, m, c->name);
            json_decref(row);
        }
    }
}

static void modes(void **state)
{
    (void)state;
    struct verr e;
    const struct table *booking = tables_find("booking");
    const struct table *initiative = tables_find("initiative");

    /* Push drops hub-set and hub-only columns, keeps push-only ones. */
    json_t *row = sample_row(initiative, VALIDATE_PULL);
    assert_int_equal(validate_row(initiative, row, VALIDATE_PUSH, &e), ERR_OK);
    assert_null(json_object_get(row, "supports"));
    assert_null(json_object_get(row, "updated_at"));
    json_decref(row);
    row = sample_row(booking, VALIDATE_PUSH);
    json_object_set_new(row, "cancel_hash", json_integer(5)); /* even of a wrong type */
    json_object_set_new(row, "created_by", json_string("me"));
    assert_int_equal(validate_row(booking, row, VALIDATE_PUSH, &e), ERR_OK);
    assert_null(json_object_get(row, "cancel_hash"));
    assert_null(json_object_get(row, "created_by"));
    assert_non_null(json_object_get(row, "cancel_code"));
    /* ...which a pull refuses. */
    expect_invalid(booking, row, VALIDATE_PULL, "cancel_code");
    json_decref(row);
    row = sample_row(booking, VALIDATE_PULL);
    json_object_set_new(row, "cancel_hash", json_string("h"));
    expect_invalid(booking, row, VALIDATE_PULL, "cancel_hash");
    json_decref(row);
    /* A column this build does not know (added to the protocol later) is
     * dropped from a pulled row, and refused in a push. */
    row = sample_row(initiative, VALIDATE_PULL);
    json_object_set_new(row, "video", json_string("ab12"));
    assert_int_equal(validate_row(initiative, row, VALIDATE_PULL, &e), ERR_OK);
    assert_null(json_object_get(row, "video"));
    json_object_set_new(row, "video", json_string("ab12"));
    expect_invalid(initiative, row, VALIDATE_PUSH, "video");
    json_decref(row);

    /* Partial: only id required, present columns still checked. */
    row = tu_json("{\"id\":\"b1\",\"status\":\"cancelled\",\"cancel_code\":\"123456\"}");
    assert_int_equal(validate_row(booking, row, VALIDATE_PUSH_PARTIAL, &e), ERR_OK);
    expect_invalid(booking, row, VALIDATE_PUSH, "room_id");
    json_object_set_new(row, "status", json_string("gone"));
    expect_invalid(booking, row, VALIDATE_PUSH_PARTIAL, "status");
    json_object_del(row, "status");
    json_object_del(row, "id");
    expect_invalid(booking, row, VALIDATE_PUSH_PARTIAL, "id");
    json_object_set_new(row, "id", json_string("b1"));
    json_object_set_new(row, "nope", json_true());
    expect_invalid(booking, row, VALIDATE_PUSH_PARTIAL, "nope");
    json_decref(row);

    /* Not an object. */
    row = json_array();
    assert_int_equal(validate_row(booking, row, VALIDATE_PUSH, &e), ERR_INVALID);
    assert_string_equal(e.field, "");
    json_decref(row);
}

/* What "blank" means, for rows and the hub's other required texts. */
static void blank_texts(void **state)
{
    (void)state;
    const char *blank[] = {"",
                           " ",
                           "\t\r\n\v\f",
                           "\xc2\xa0",
                           "\xe2\x80\xaf \xe3\x80\x80",
                           "\xe2\x80\x8a\xe2\x81\x9f\xe1\x9a\x80"};
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
        assert_true(validate_blank(blank[i]));
    const char *shown[] = {"a", " a ", "\xc2\xa0.",
                           "\xe2\x80\x8b" /* zero width: not White_Space */};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        assert_false(validate_blank(shown[i]));
}

/* help_offer.contact: an email or a phone, nothing else. */
static void contacts(void **state)
{
    (void)state;
    const char *good[] = {"camille@example.org", "c.dupont+sceaux@mairie-sceaux.fr",
                          "A_B@x.y.example.com", "0141133300",
                          "01 41 13 33 00",      "+33 6 12 34 56 78",
                          "(0)1.41.13.33.00",    "06-12-34-56-78"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(validate_contact(good[i]));
    const char *bad[] = {"",
                         "camille",
                         "camille@",
                         "@example.org",
                         "camille@example",
                         "camille@example.o2",
                         ".camille@example.org",
                         "ca..mille@example.org",
                         "camille@-example.org",
                         "camille@example..org",
                         "camille@example.org.",
                         "camille@@example.org",
                         "cam ille@example.org",
                         "camille@ex\xc3\xa9mple.org",
                         " 0141133300",
                         "0141133300 ",
                         "01 41 13",
                         "+",
                         "0612345678901234",
                         "06 12 34 56 7x",
                         "06 12 34 56 78 (",
                         "++33612345678"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(validate_contact(bad[i]));
}

static void value_rules(void **state)
{
    (void)state;
    struct {
        const char *table, *column, *json;
        bool ok;
    } cases[] = {
        {"room", "capacity", "0", true},
        {"room", "capacity", "-1", false},
        {"room", "capacity", "1.5", false},
        {"room", "capacity", "true", false},
        {"room", "bookable", "true", true},
        {"room", "bookable", "0", false},
        {"room", "bookable", "\"true\"", false},
        {"room", "opens", "\"00:00\"", true},
        {"room", "opens", "\"24:01\"", false},
        {"room", "opens", "\"0900\"", false},
        {"room", "closes", "\"24:00\"", true},
        {"announcement", "target", "\"all\"", true},
        {"announcement", "target", "\"All\"", false},
        {"announcement", "target", "\"site:s1\"", true},
        {"announcement", "target", "\"site:\"", false},
        {"announcement", "target", "\"kiosk:k:1\"", true},
        {"announcement", "target", "\"room:r1\"", false},
        {"booking", "cancel_code", "\"000000\"", true},
        {"booking", "cancel_code", "\"12 456\"", false},
        {"booking", "cancel_code", "\"+123456\"", false},
        {"booking", "starts_at", "\"2028-02-29T23:59:59Z\"", true},
        {"booking", "starts_at", "\"2027-02-29T00:00:00Z\"", false},
        {"booking", "starts_at", "\"2026-12-01T09:00:00z\"", false},
        {"booking", "starts_at", "\"2026-12-01T24:00:00Z\"", false},
        {"site", "id", "\"A-z_0.9:x\"", true},
        {"site", "id", "\"a/b\"", false},
        {"proposal", "status", "\"published\"", true},
        {"proposal", "status", "\"draft\"", false},
        {"organization", "offers", "\"local\"", true},
        {"organization", "offers", "\"reseau,financement,local\"", true},
        {"organization", "offers", "null", true},
        {"organization", "offers", "\"\"", false},
        {"organization", "offers", "\"local,\"", false},
        {"organization", "offers", "\",local\"", false},
        {"organization", "offers", "\"local,,reseau\"", false},
        {"organization", "offers", "\"local,local\"", false},
        {"organization", "offers", "\"local, reseau\"", false},
        {"organization", "offers", "\"Local\"", false},
        {"organization", "offers", "\"loc\"", false},
        {"organization", "offers", "\"localx\"", false},
        {"organization", "offers", "[\"local\"]", false},
        {"organization", "stages", "\"mise_en_oeuvre,emergence\"", true},
        {"organization", "stages", "\"financement\"", false},
        {"event", "organization_id", "\"org-1\"", true},
        {"initiative", "organization_id", "\"a b\"", false},
        {"event", "picture", "\"" PIC "\"", true},
        {"event", "picture", "null", true},
        {"initiative", "picture",
         "\"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\"", false},
        {"organization", "picture",
         "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\"", false},
        {"announcement", "picture", "\"" PIC "0\"", false},
        {"event", "picture", "\"g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
         false},
        {"event", "picture", "\"../../etc/passwd\"", false},
        {"event", "picture", "64", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct table *t = tables_find(cases[i].table);
        json_t *row = sample_row(t, VALIDATE_PUSH);
        json_error_t jerr;
        json_object_set_new(row, cases[i].column,
                            json_loads(cases[i].json, JSON_DECODE_ANY, &jerr));
        struct verr e;
        bool ok = validate_row(t, row, VALIDATE_PUSH, &e) == ERR_OK;
        if (ok != cases[i].ok)
            fail_msg("%s.%s = %s: ok=%d (%s)", cases[i].table, cases[i].column, cases[i].json, ok,
                     e.message);
        if (!ok)
            assert_string_equal(e.field, cases[i].column);
        json_decref(row);
    }
}

static void error_detail_stays_utf8(void **state)
{
    (void)state;
    struct verr e;
    char *long_e = xmalloc(601);
    for (int i = 0; i < 300; i++)
        memcpy(long_e + 2 * i, "\xc3\xa9", 2);
    long_e[600] = '\0';
    validate_fail(&e, "invalid", long_e, "%s", long_e);
    assert_true(strlen(e.message) < sizeof e.message);
    assert_true(strlen(e.message) >= sizeof e.message - 2);
    assert_true(validate_utf8(e.message, strlen(e.message), NULL));
    assert_true(validate_utf8(e.field, strlen(e.field), NULL));
    assert_int_equal(strlen(e.field), 78);
    /* An unknown column with a long multi-byte name. */
    json_t *row = sample_row(tables_find("site"), VALIDATE_PUSH);
    json_object_set_new(row, long_e, json_true());
    assert_int_equal(validate_row(tables_find("site"), row, VALIDATE_PUSH, &e), ERR_INVALID);
    assert_true(validate_utf8(e.message, strlen(e.message), NULL));
    assert_true(validate_utf8(e.field, strlen(e.field), NULL));
    assert_non_null(strstr(e.message, "unknown column"));
    json_decref(row);
    free(long_e);
    char small[5];
    validate_clip(small, sizeof small, "a\xc3\xa9\xc3\xa9");
    assert_string_equal(small, "a\xc3\xa9");
    validate_clear(&e);
    assert_string_equal(e.error, "");
}

int main(void)
{
    xalloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8),
        cmocka_unit_test(json_depth),
        cmocka_unit_test(json_values),
        cmocka_unit_test(json_errors),
        cmocka_unit_test(json_load_after_scan),
        cmocka_unit_test(every_table_valid),
        cmocka_unit_test(every_column_checked),
        cmocka_unit_test(modes),
        cmocka_unit_test(blank_texts),
        cmocka_unit_test(contacts),
        cmocka_unit_test(value_rules),
        cmocka_unit_test(error_detail_stays_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
