/* ts: wire timestamps and Europe/Paris local time, by arithmetic alone.
 *
 * Dates go to and from day numbers with Howard Hinnant's days-from-civil
 * algorithms (proleptic Gregorian, exact for any int64 day count we use),
 * so nothing here reads TZ or calls timegm/mktime/localtime: the results
 * are the same on every machine and every thread. Paris time is the EU
 * rule applied to every year; it is wrong before 1996, which we never
 * show. Start reading at ts_parse() and ts_paris(). */
#include "ts.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define DAY 86400
/* The wire form has four-digit years: ts_format() clamps to these. */
#define TS_MIN_DAYS (-719528) /* 0000-01-01 */
#define TS_MAX_DAYS 2932896   /* 9999-12-31 */
#define TS_MIN ((int64_t)TS_MIN_DAYS * DAY)
#define TS_MAX ((int64_t)TS_MAX_DAYS * DAY + DAY - 1)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Days since 1970-01-01 of y-m-d; m is 1-12, d may be any value (it is
 * added linearly, so day 0 is the last day of the previous month). */
static int64_t days_from_civil(int64_t y, int m, int64_t d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                           /* 0-399 */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5; /* March-based */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;   /* 0-146096 */
    return era * 146097 + doe + (d - 1) - 719468;
}

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

/* 0 = Monday ... 6 = Sunday; day 0 (1970-01-01) was a Thursday. */
static int weekday(int64_t days)
{
    return (int)(days + 3 - floor_div(days + 3, 7) * 7);
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : len[m - 1];
}

/* Reads n decimal digits at s; false on anything else. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

enum err ts_parse(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se;
    if (!s)
        return ERR_INVALID;
    /* Position by position: the separators are checked before any later
     * read, so a short string stops at its NUL and is never overrun. */
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
        !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se) || s[19] != 'Z' ||
        s[20] != '\0')
        return ERR_INVALID;
    /* No leap seconds (:60): Unix time has no place for them. */
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || se > 59)
        return ERR_INVALID;
    *out = days_from_civil(y, mo, d) * DAY + h * 3600 + mi * 60 + se;
    return ERR_OK;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* Keeps t in years 0000-9999, where every result fits its field and no
 * sum overflows. */
static int64_t clamp(int64_t t)
{
    return t < TS_MIN ? TS_MIN : t > TS_MAX ? TS_MAX : t;
}

void ts_format(int64_t t, char out[TS_LEN + 1])
{
    t = clamp(t);
    int64_t days = floor_div(t, DAY);
    int64_t sec = t - days * DAY;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    put2(out, y / 100);
    put2(out + 2, y % 100);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 'T';
    put2(out + 11, (int)(sec / 3600));
    out[13] = ':';
    put2(out + 14, (int)(sec / 60 % 60));
    out[16] = ':';
    put2(out + 17, (int)(sec % 60));
    out[19] = 'Z';
    out[20] = '\0';
}

/* 01:00 UTC on the last Sunday of month m (31 days long) of year y. */
static int64_t last_sunday_0100(int y, int m)
{
    int64_t last = days_from_civil(y, m, 31);
    int64_t sunday = last - (weekday(last) + 1) % 7;
    return sunday * DAY + 3600;
}

/* Seconds east of UTC in Paris at instant t. */
static int paris_offset(int64_t t)
{
    int y, m, d;
    /* The switches are in March and October, far from New Year, so the UTC
     * year is the year whose rule applies. */
    civil_from_days(floor_div(t, DAY), &y, &m, &d);
    bool summer = t >= last_sunday_0100(y, 3) && t < last_sunday_0100(y, 10);
    return summer ? 7200 : 3600;
}

void ts_paris(int64_t t, struct ts_local *out)
{
    t = clamp(t);
    out->offset = paris_offset(t);
    int64_t local = t + out->offset;
    int64_t days = floor_div(local, DAY);
    int64_t sec = local - days * DAY;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(sec / 3600);
    out->minute = (int)(sec / 60 % 60);
    out->second = (int)(sec % 60);
    out->wday = weekday(days);
}

int64_t ts_from_paris(int year, int month, int day, int hour, int minute)
{
    /* Out-of-range months carry into the year; days, hours and minutes are
     * linear already. */
    int64_t y = year + floor_div(month - 1, 12);
    int m = (int)(month - 1 - floor_div(month - 1, 12) * 12) + 1;
    int64_t wall = days_from_civil(y, m, day) * DAY + (int64_t)hour * 3600 + (int64_t)minute * 60;
    int64_t summer = wall - 7200;
    if (paris_offset(summer) == 7200)
        return summer; /* also the first of the autumn's two instants */
    int64_t winter = wall - 3600;
    if (paris_offset(winter) == 3600)
        return winter;
    /* The spring gap: read as CEST, wall - 3600 shows an hour later. */
    return winter;
}

enum err ts_parse_hhmm(const char *s, int *minutes)
{
    int h, m;
    if (!s || !digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) || s[5] != '\0')
        return ERR_INVALID;
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return ERR_INVALID;
    *minutes = h * 60 + m;
    return ERR_OK;
}

static int64_t system_clock(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec;
}

/* Set by tests before any thread starts; plain reads afterwards. */
static int64_t (*ts_clock)(void) = system_clock;

int64_t ts_now(void)
{
    return ts_clock();
}

void ts_set_clock(int64_t (*clock)(void))
{
    ts_clock = clock ? clock : system_clock;
}

int64_t ts_mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}
