/* Unit tests of ts: the strict wire form, Europe/Paris across the DST
 * switches, wall-clock to UTC in the gap and the overlap, "HH:MM", and the
 * injectable clock. glibc's timegm/gmtime_r and the system's tzdata serve
 * as independent oracles where present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ts.h"

static int64_t parse_ok(const char *s)
{
    int64_t t = -1;
    assert_int_equal(ts_parse(s, &t), ERR_OK);
    return t;
}

static void known_values(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int64_t t;
    } cases[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"1969-12-31T23:59:59Z", -1},
        {"2026-12-01T09:00:00Z", 1796115600},
        {"2024-02-29T12:34:56Z", 1709210096},
        {"2000-03-01T00:00:00Z", 951868800},
        {"2038-01-19T03:14:08Z", 2147483648},
        {"0000-01-01T00:00:00Z", -62167219200},
        {"9999-12-31T23:59:59Z", 253402300799},
    };
    char out[TS_LEN + 1];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(parse_ok(cases[i].s), cases[i].t);
        ts_format(cases[i].t, out);
        assert_string_equal(out, cases[i].s);
    }
}

/* Every day from 1600 to 2400, at a time of day that moves, against glibc. */
static void agrees_with_libc(void **state)
{
    (void)state;
    struct tm tm = {.tm_year = 1600 - 1900, .tm_mon = 0, .tm_mday = 1};
    int64_t start = (int64_t)timegm(&tm);
    tm = (struct tm){.tm_year = 2400 - 1900, .tm_mon = 0, .tm_mday = 1};
    int64_t end = (int64_t)timegm(&tm);
    char ours[TS_LEN + 1], libc[TS_LEN + 8];
    for (int64_t t = start; t < end; t += 86400 + 7) {
        time_t tt = (time_t)t;
        assert_non_null(gmtime_r(&tt, &tm));
        assert_int_equal(strftime(libc, sizeof libc, "%Y-%m-%dT%H:%M:%SZ", &tm), TS_LEN);
        ts_format(t, ours);
        assert_string_equal(ours, libc);
        assert_int_equal(parse_ok(ours), t);
    }
}

static void format_clamps_to_four_digit_years(void **state)
{
    (void)state;
    char out[TS_LEN + 1];
    ts_format(INT64_MIN, out);
    assert_string_equal(out, "0000-01-01T00:00:00Z");
    ts_format(INT64_MAX, out);
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    ts_format(-62167219201, out);
    assert_string_equal(out, "0000-01-01T00:00:00Z");
}

static void leap_years(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(ts_parse("2024-02-29T00:00:00Z", &t), ERR_OK);
    assert_int_equal(ts_parse("2000-02-29T00:00:00Z", &t), ERR_OK);
    assert_int_equal(ts_parse("2026-02-28T23:59:59Z", &t), ERR_OK);
    assert_int_equal(ts_parse("2026-02-29T00:00:00Z", &t), ERR_INVALID);
    assert_int_equal(ts_parse("2100-02-29T00:00:00Z", &t), ERR_INVALID);
    assert_int_equal(ts_parse("1900-02-29T00:00:00Z", &t), ERR_INVALID);
    assert_int_equal(ts_parse("2024-02-30T00:00:00Z", &t), ERR_INVALID);
}

static void rejects_everything_else(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",
        "2026-12-01T09:00:00",       /* missing Z */
        "2026-12-01T09:00:00+00:00", /* offsets */
        "2026-12-01T09:00:00+01:00",
        "2026-12-01T10:00:00-01:00",
        "2026-12-01T09:00:00.000Z", /* fractions */
        "2026-12-01T09:00:00.5Z",
        "2026-12-01t09:00:00Z", /* lower case */
        "2026-12-01T09:00:00z",
        "2026-12-01 09:00:00Z",
        "2026-12-01T09:00:00Z ", /* trailing */
        "2026-12-01T09:00:00ZZ",
        "2026-12-01T09:00:00Z\n",
        " 2026-12-01T09:00:00Z",
        "2026-12-01T24:00:00Z", /* out of range */
        "2026-12-01T09:60:00Z",
        "2026-12-01T09:00:60Z", /* leap second */
        "2026-00-01T09:00:00Z",
        "2026-13-01T09:00:00Z",
        "2026-12-00T09:00:00Z",
        "2026-12-32T09:00:00Z",
        "2026-04-31T09:00:00Z",
        "2026-06-31T09:00:00Z",
        "2026-09-31T09:00:00Z",
        "2026-11-31T09:00:00Z",
        "26-12-01T09:00:00Z", /* shape */
        "+2026-12-01T09:00:00Z",
        "2026-1-01T09:00:00Z",
        "2026-12-1T09:00:00Z",
        "2026-12-01T9:00:00Z",
        "2026-12-01T09:0:00Z",
        "2026/12/01T09:00:00Z",
        "2026-12-01T09-00-00Z",
        "2026-12-01",
        "2026-12-01T09:00Z",
        "2026-12-01T09:00:0Z",
        "2026-1a-01T09:00:00Z",
        "\xef\xbc\x92"
        "026-12-01T09:00:00Z", /* a full-width digit */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 12345;
        if (ts_parse(bad[i], &t) != ERR_INVALID)
            fail_msg("accepted '%s'", bad[i]);
        assert_int_equal(t, 12345); /* untouched */
    }
    int64_t t;
    assert_int_equal(ts_parse(NULL, &t), ERR_INVALID);
}

static void expect_paris(const char *utc, int y, int mo, int d, int h, int mi, int s, int offset)
{
    struct ts_local l;
    ts_paris(parse_ok(utc), &l);
    if (l.year != y || l.month != mo || l.day != d || l.hour != h || l.minute != mi ||
        l.second != s || l.offset != offset)
        fail_msg("%s: got %04d-%02d-%02d %02d:%02d:%02d %+d", utc, l.year, l.month, l.day, l.hour,
                 l.minute, l.second, l.offset);
}

static void paris_across_the_switches(void **state)
{
    (void)state;
    /* 2026: spring forward on 29 March, fall back on 25 October. */
    expect_paris("2026-03-29T00:59:59Z", 2026, 3, 29, 1, 59, 59, 3600);
    expect_paris("2026-03-29T01:00:00Z", 2026, 3, 29, 3, 0, 0, 7200);
    expect_paris("2026-10-25T00:59:59Z", 2026, 10, 25, 2, 59, 59, 7200);
    expect_paris("2026-10-25T01:00:00Z", 2026, 10, 25, 2, 0, 0, 3600);
    /* 2027: 28 March and 31 October. */
    expect_paris("2027-03-28T00:59:59Z", 2027, 3, 28, 1, 59, 59, 3600);
    expect_paris("2027-03-28T01:00:00Z", 2027, 3, 28, 3, 0, 0, 7200);
    expect_paris("2027-10-31T00:59:59Z", 2027, 10, 31, 2, 59, 59, 7200);
    expect_paris("2027-10-31T01:00:00Z", 2027, 10, 31, 2, 0, 0, 3600);
    /* A week off the switch is plain winter or summer. */
    expect_paris("2026-03-22T01:00:00Z", 2026, 3, 22, 2, 0, 0, 3600);
    expect_paris("2027-10-24T01:00:00Z", 2027, 10, 24, 3, 0, 0, 7200);
    /* Midnight crossings, including the new year. */
    expect_paris("2026-12-31T23:30:00Z", 2027, 1, 1, 0, 30, 0, 3600);
    expect_paris("2026-07-13T22:00:00Z", 2026, 7, 14, 0, 0, 0, 7200);
    expect_paris("2026-12-01T09:00:00Z", 2026, 12, 1, 10, 0, 0, 3600);
}

static void weekdays(void **state)
{
    (void)state;
    static const struct {
        const char *utc;
        int wday;
    } cases[] = {
        {"1970-01-01T00:00:00Z", 3}, /* Thursday */
        {"2026-11-26T12:00:00Z", 3}, /* Thursday */
        {"2026-03-29T01:00:00Z", 6}, /* the switch is on a Sunday */
        {"2027-10-31T12:00:00Z", 6},
        {"2026-11-29T23:30:00Z", 0}, /* Sunday night in UTC, Monday in Paris */
        {"1969-12-28T12:00:00Z", 6}, /* before the epoch */
        {"2000-01-01T12:00:00Z", 5}, /* Saturday */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ts_local l;
        ts_paris(parse_ok(cases[i].utc), &l);
        if (l.wday != cases[i].wday)
            fail_msg("%s: wday %d, want %d", cases[i].utc, l.wday, cases[i].wday);
    }
}

/* Paris against the system's tzdata, every hour of 1996-2037 and a
 * second each side of each switch; skipped where tzdata is missing. */
static void paris_agrees_with_tzdata(void **state)
{
    (void)state;
    if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) != 0)
        skip();
    char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    setenv("TZ", "Europe/Paris", 1);
    tzset();
    int64_t from = parse_ok("1996-01-01T00:00:00Z");
    int64_t to = parse_ok("2037-12-31T00:00:00Z");
    int checked = 0;
    for (int64_t t = from; t < to; t += 3600) {
        for (int64_t dt = -1; dt <= 1; dt++) {
            time_t tt = (time_t)(t + dt);
            struct tm tm;
            struct ts_local l;
            assert_non_null(localtime_r(&tt, &tm));
            ts_paris(t + dt, &l);
            if (l.year != tm.tm_year + 1900 || l.month != tm.tm_mon + 1 || l.day != tm.tm_mday ||
                l.hour != tm.tm_hour || l.minute != tm.tm_min || l.second != tm.tm_sec ||
                l.offset != tm.tm_gmtoff || l.wday != (tm.tm_wday + 6) % 7)
                fail_msg("differs from tzdata at %lld", (long long)(t + dt));
            checked++;
        }
    }
    assert_true(checked > 1000000);
    if (old) {
        setenv("TZ", old, 1);
        free(old);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

static void expect_from_paris(int y, int mo, int d, int h, int mi, const char *utc)
{
    char out[TS_LEN + 1];
    ts_format(ts_from_paris(y, mo, d, h, mi), out);
    if (strcmp(out, utc) != 0)
        fail_msg("%04d-%02d-%02d %02d:%02d: got %s, want %s", y, mo, d, h, mi, out, utc);
}

static void from_paris(void **state)
{
    (void)state;
    expect_from_paris(2026, 12, 1, 10, 0, "2026-12-01T09:00:00Z");
    expect_from_paris(2026, 7, 14, 10, 0, "2026-07-14T08:00:00Z");
    /* Spring gap of 2026: 02:00-02:59 does not exist, read an hour later. */
    expect_from_paris(2026, 3, 29, 1, 59, "2026-03-29T00:59:00Z");
    expect_from_paris(2026, 3, 29, 2, 0, "2026-03-29T01:00:00Z");
    expect_from_paris(2026, 3, 29, 2, 30, "2026-03-29T01:30:00Z");
    expect_from_paris(2026, 3, 29, 3, 0, "2026-03-29T01:00:00Z");
    expect_from_paris(2026, 3, 29, 3, 30, "2026-03-29T01:30:00Z");
    /* Autumn overlap of 2026: 02:00-02:59 happens twice, summer first. */
    expect_from_paris(2026, 10, 25, 1, 59, "2026-10-24T23:59:00Z");
    expect_from_paris(2026, 10, 25, 2, 0, "2026-10-25T00:00:00Z");
    expect_from_paris(2026, 10, 25, 2, 30, "2026-10-25T00:30:00Z");
    expect_from_paris(2026, 10, 25, 2, 59, "2026-10-25T00:59:00Z");
    expect_from_paris(2026, 10, 25, 3, 0, "2026-10-25T02:00:00Z");
    /* 2027. */
    expect_from_paris(2027, 3, 28, 2, 30, "2027-03-28T01:30:00Z");
    expect_from_paris(2027, 10, 31, 2, 30, "2027-10-31T00:30:00Z");
    expect_from_paris(2027, 10, 31, 3, 0, "2027-10-31T02:00:00Z");
    /* Carrying: 24:00 is the next midnight (a room closing at "24:00"). */
    expect_from_paris(2026, 12, 31, 24, 0, "2026-12-31T23:00:00Z");
    expect_from_paris(2026, 6, 30, 24, 0, "2026-06-30T22:00:00Z");
    expect_from_paris(2026, 13, 1, 0, 0, "2026-12-31T23:00:00Z");
    expect_from_paris(2027, 3, 0, 12, 0, "2027-02-28T11:00:00Z");
    expect_from_paris(2026, 12, 1, 9, 90, "2026-12-01T09:30:00Z");
}

/* Every minute of 2026 and 2027 goes to Paris and back: the same instant,
 * except the second pass of each autumn hour, which maps to the first. */
static void from_paris_inverts_paris(void **state)
{
    (void)state;
    int64_t from = parse_ok("2026-01-01T00:00:00Z");
    int64_t to = parse_ok("2028-01-01T00:00:00Z");
    int repeated = 0;
    for (int64_t t = from; t < to; t += 60) {
        struct ts_local l;
        ts_paris(t, &l);
        int64_t back = ts_from_paris(l.year, l.month, l.day, l.hour, l.minute);
        if (back == t - 3600 && l.offset == 3600 && l.hour == 2)
            repeated++;
        else if (back != t)
            fail_msg("%lld came back as %lld", (long long)t, (long long)back);
    }
    assert_int_equal(repeated, 2 * 60);
}

static void hhmm(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int minutes;
    } ok[] = {
        {"00:00", 0}, {"09:30", 570}, {"12:05", 725}, {"23:59", 1439}, {"24:00", 1440},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int m = -1;
        assert_int_equal(ts_parse_hhmm(ok[i].s, &m), ERR_OK);
        assert_int_equal(m, ok[i].minutes);
    }
    static const char *bad[] = {
        "",       "24:01", "25:00", "9:30",  "09:3",  "0930",   "09:60",  "09:30 ",
        " 09:30", "09h30", "ab:cd", "-1:00", "+9:30", "09:30Z", "099:30", "09:30:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int m = -1;
        if (ts_parse_hhmm(bad[i], &m) != ERR_INVALID)
            fail_msg("accepted '%s'", bad[i]);
        assert_int_equal(m, -1);
    }
    int m;
    assert_int_equal(ts_parse_hhmm(NULL, &m), ERR_INVALID);
}

static int64_t fake_now;

static int64_t fake_clock(void)
{
    return fake_now;
}

static void injectable_clock(void **state)
{
    (void)state;
    int64_t before = (int64_t)time(NULL);
    int64_t sys = ts_now();
    /* time() reads glibc's coarse clock, up to a tick behind ts_now()'s. */
    assert_true(sys >= before && sys <= (int64_t)time(NULL) + 1);

    fake_now = parse_ok("2026-10-25T00:59:59Z");
    ts_set_clock(fake_clock);
    assert_int_equal(ts_now(), fake_now);
    fake_now += 1; /* tests advance time instead of sleeping */
    struct ts_local l;
    ts_paris(ts_now(), &l);
    assert_int_equal(l.hour, 2);
    assert_int_equal(l.offset, 3600);

    ts_set_clock(NULL);
    before = (int64_t)time(NULL);
    sys = ts_now();
    /* time() reads glibc's coarse clock, up to a tick behind ts_now()'s. */
    assert_true(sys >= before && sys <= (int64_t)time(NULL) + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_values),
        cmocka_unit_test(agrees_with_libc),
        cmocka_unit_test(format_clamps_to_four_digit_years),
        cmocka_unit_test(leap_years),
        cmocka_unit_test(rejects_everything_else),
        cmocka_unit_test(paris_across_the_switches),
        cmocka_unit_test(weekdays),
        cmocka_unit_test(paris_agrees_with_tzdata),
        cmocka_unit_test(from_paris),
        cmocka_unit_test(from_paris_inverts_paris),
        cmocka_unit_test(hhmm),
        cmocka_unit_test(injectable_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
