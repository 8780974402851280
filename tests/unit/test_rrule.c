/* Unit tests of rrule: the accepted subset and what is refused (with a
 * reason), weekly and monthly expansion in Paris time across the change
 * of hour, UNTIL and COUNT, the window, and the bounds of a walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "rrule.h"
#include "ts.h"

#define HOUR 3600

static struct rrule parse_ok(const char *s)
{
    struct rrule r;
    char why[160] = "";
    if (rrule_parse(s, &r, why, sizeof why) != ERR_OK)
        fail_msg("'%s' refused: %s", s, why);
    return r;
}

static int64_t at(const char *wire)
{
    int64_t t = 0;
    assert_int_equal(ts_parse(wire, &t), ERR_OK);
    return t;
}

static void accepts_the_subset(void **state)
{
    (void)state;
    struct rrule r = parse_ok("FREQ=WEEKLY");
    assert_false(r.monthly);
    assert_int_equal(r.interval, 1);
    r = parse_ok("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10");
    assert_int_equal(r.interval, 2);
    assert_int_equal(r.days, 1u << 0 | 1u << 3);
    assert_int_equal(r.count, 10);
    r = parse_ok("BYDAY=1TH;FREQ=MONTHLY;UNTIL=20270630T220000Z");
    assert_true(r.monthly);
    assert_int_equal(r.ordinal, 1);
    assert_int_equal(r.wday, 3);
    assert_true(r.until == at("2027-06-30T22:00:00Z"));
    r = parse_ok("FREQ=MONTHLY;BYDAY=-1FR");
    assert_int_equal(r.ordinal, -1);
    assert_int_equal(r.wday, 4);
    parse_ok("FREQ=MONTHLY");
}

static void refuses_the_rest(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "FREQ=DAILY",
        "FREQ=YEARLY",
        "freq=weekly",
        "RRULE:FREQ=WEEKLY",
        "FREQ=WEEKLY;",
        "FREQ=WEEKLY;;COUNT=2",
        "INTERVAL=2",
        "FREQ=WEEKLY;FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;INTERVAL=100",
        "FREQ=WEEKLY;INTERVAL=+2",
        "FREQ=WEEKLY;INTERVAL= 2",
        "FREQ=WEEKLY;COUNT=0",
        "FREQ=WEEKLY;COUNT=1001",
        "FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z",
        "FREQ=WEEKLY;UNTIL=20270101",
        "FREQ=WEEKLY;UNTIL=20270230T000000Z",
        "FREQ=WEEKLY;UNTIL=2027-01-01T00:00:00Z",
        "FREQ=WEEKLY;BYDAY=1TH",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYDAY=MO,",
        "FREQ=MONTHLY;BYDAY=TH",
        "FREQ=MONTHLY;BYDAY=1TH,3TH",
        "FREQ=MONTHLY;BYDAY=6TH",
        "FREQ=MONTHLY;BYDAY=-2TH",
        "FREQ=MONTHLY;BYMONTHDAY=1",
        "FREQ=WEEKLY;WKST=MO",
        "FREQ",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU,MO,TU,WE,TH,FR,SA,SU,MO,TU,WE,TH,FR,SA,SU,MO,TU,"
        "WE,TH,FR,SA,SU,MO,TU,WE,TH,FR,SA,SU",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rrule r = {.interval = 42};
        char why[160] = "";
        if (rrule_parse(bad[i], &r, why, sizeof why) != ERR_INVALID)
            fail_msg("'%s' accepted", bad[i]);
        assert_true(why[0] != '\0');
        assert_int_equal(r.interval, 42); /* untouched */
    }
}

/* The starts of a series in the window, as wire text joined by spaces. */
static void expand(const char *rule, const char *first, int64_t length, const char *from,
                   const char *to, char *out, size_t cap)
{
    struct rrule r = parse_ok(rule);
    int64_t t[64];
    int n = rrule_expand(&r, at(first), length, at(from), at(to), t, 64);
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        char w[TS_LEN + 1];
        ts_format(t[i], w);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", w);
    }
}

static void weekly_keeps_the_wall_clock(void **state)
{
    (void)state;
    char got[2048];
    /* Thursdays 18:30 Paris, across the end of summer time (25 October). */
    expand("FREQ=WEEKLY;UNTIL=20261106T000000Z", "2026-10-15T16:30:00Z", 2 * HOUR,
           "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-10-15T16:30:00Z 2026-10-22T16:30:00Z 2026-10-29T17:30:00Z "
                             "2026-11-05T17:30:00Z");
    /* Every other week, Monday and Thursday, three occurrences in all. */
    expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=3", "2026-12-03T09:00:00Z", HOUR,
           "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-12-03T09:00:00Z 2026-12-14T09:00:00Z 2026-12-17T09:00:00Z");
}

static void monthly_on_the_nth_weekday(void **state)
{
    (void)state;
    char got[2048];
    /* The first Thursday, from Thursday 3 December 2026, five times. */
    expand("FREQ=MONTHLY;BYDAY=1TH;COUNT=5", "2026-12-03T17:00:00Z", HOUR, "2026-01-01T00:00:00Z",
           "2028-01-01T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-12-03T17:00:00Z 2027-01-07T17:00:00Z 2027-02-04T17:00:00Z "
                             "2027-03-04T17:00:00Z 2027-04-01T16:00:00Z");
    /* The last Friday; the 5th Monday exists only in some months. */
    expand("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", "2026-12-25T10:00:00Z", HOUR, "2026-01-01T00:00:00Z",
           "2028-01-01T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-12-25T10:00:00Z 2027-01-29T10:00:00Z 2027-02-26T10:00:00Z");
    expand("FREQ=MONTHLY;BYDAY=5MO;COUNT=3", "2026-11-30T10:00:00Z", HOUR, "2026-01-01T00:00:00Z",
           "2028-01-01T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-11-30T10:00:00Z 2027-03-29T09:00:00Z 2027-05-31T09:00:00Z");
    /* Without BYDAY, the day of the month; months without a 31st skipped. */
    expand("FREQ=MONTHLY;COUNT=3", "2027-01-31T10:00:00Z", HOUR, "2026-01-01T00:00:00Z",
           "2028-01-01T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2027-01-31T10:00:00Z 2027-03-31T09:00:00Z 2027-05-31T09:00:00Z");
}

static void only_the_window(void **state)
{
    (void)state;
    char got[2048];
    /* COUNT counts from the first even when the window starts later; an
     * occurrence that started before the window but ends in it is kept. */
    expand("FREQ=WEEKLY;COUNT=4", "2026-12-01T09:00:00Z", 2 * HOUR, "2026-12-15T10:00:00Z",
           "2027-06-01T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-12-15T09:00:00Z 2026-12-22T09:00:00Z");
    expand("FREQ=WEEKLY", "2026-12-01T09:00:00Z", HOUR, "2026-12-08T10:00:00Z",
           "2026-12-22T09:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-12-15T09:00:00Z");
    /* Nothing before the first occurrence. */
    expand("FREQ=WEEKLY", "2026-12-01T09:00:00Z", HOUR, "2026-11-01T00:00:00Z",
           "2026-12-01T09:00:00Z", got, sizeof got);
    assert_string_equal(got, "");
}

static void bounded(void **state)
{
    (void)state;
    struct rrule r = parse_ok("FREQ=WEEKLY");
    int64_t t[8];
    /* A window of centuries: out's size bounds the answer. */
    assert_int_equal(rrule_expand(&r, at("2026-12-01T09:00:00Z"), HOUR, at("2026-12-01T00:00:00Z"),
                                  at("9999-01-01T00:00:00Z"), t, 8),
                     8);
    /* A series that began five centuries ago (10:00 Paris, Tuesdays): the walk
     * starts near the window, past RRULE_MAX_STEPS weeks from the first. */
    char got[512];
    expand("FREQ=WEEKLY", "1526-12-07T09:00:00Z", HOUR, "2026-12-01T00:00:00Z",
           "2026-12-31T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-12-01T09:00:00Z 2026-12-08T09:00:00Z 2026-12-15T09:00:00Z "
                             "2026-12-22T09:00:00Z 2026-12-29T09:00:00Z");
    expand("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU", "1526-12-28T09:00:00Z", HOUR,
           "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "2026-06-30T08:00:00Z 2026-09-29T08:00:00Z 2026-12-29T09:00:00Z");
    /* With COUNT the walk counts from the first: a series of
     * ten has nothing left in 2026. */
    expand("FREQ=WEEKLY;COUNT=10", "1526-12-07T09:00:00Z", HOUR, "2026-12-01T00:00:00Z",
           "2026-12-31T00:00:00Z", got, sizeof got);
    assert_string_equal(got, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_the_subset),
        cmocka_unit_test(refuses_the_rest),
        cmocka_unit_test(weekly_keeps_the_wall_clock),
        cmocka_unit_test(monthly_on_the_nth_weekday),
        cmocka_unit_test(only_the_window),
        cmocka_unit_test(bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
