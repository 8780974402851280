/* when: Paris wall-clock formatting and day arithmetic. Days are stepped
 * by calendar (ts_from_paris), never by adding 86400 s, so the two
 * daylight-saving days have their true length. */
#include "when.h"

#include <stdio.h>

#include "ts.h"

void when_hhmm(int64_t t, char *out, size_t cap)
{
    struct ts_local l;
    ts_paris(t, &l);
    snprintf(out, cap, "%02d:%02d", l.hour, l.minute);
}

void when_day(enum lang l, int64_t t, char *out, size_t cap)
{
    struct ts_local d;
    ts_paris(t, &d);
    if (l == LANG_FR)
        snprintf(out, cap, "%s %d%s %s", i18n_weekday(l, d.wday), d.day, d.day == 1 ? "er" : "",
                 i18n_month(l, d.month));
    else
        snprintf(out, cap, "%s %d %s", i18n_weekday(l, d.wday), d.day, i18n_month(l, d.month));
}

void when_range(enum lang l, int64_t start, int64_t end, char *out, size_t cap)
{
    char day[64], a[8], b[8];
    when_day(l, start, day, sizeof day);
    when_hhmm(start, a, sizeof a);
    when_hhmm(end, b, sizeof b);
    struct ts_local s, e;
    ts_paris(start, &s);
    ts_paris(end, &e);
    if (s.year == e.year && s.month == e.month && s.day == e.day) {
        snprintf(out, cap, "%s, %s – %s", day, a, b);
    } else {
        char day2[64];
        when_day(l, end, day2, sizeof day2);
        snprintf(out, cap, "%s, %s – %s, %s", day, a, day2, b);
    }
}

int64_t when_parse(const char *wire)
{
    int64_t t = 0;
    if (!wire || ts_parse(wire, &t) != ERR_OK)
        return 0;
    return t;
}

/* Days from 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t when_midnight(int64_t t, int days)
{
    struct ts_local l;
    ts_paris(t, &l);
    int y, m, d;
    civil_from_days(days_from_civil(l.year, l.month, l.day) + days, &y, &m, &d);
    return ts_from_paris(y, m, d, 0, 0);
}

int64_t when_week_start(int64_t t)
{
    struct ts_local l;
    ts_paris(t, &l);
    return when_midnight(t, -l.wday);
}

int64_t when_month_start(int64_t t, int months)
{
    struct ts_local l;
    ts_paris(t, &l);
    int m0 = l.month - 1 + months;
    int y = l.year + (m0 >= 0 ? m0 / 12 : (m0 - 11) / 12);
    int m = ((m0 % 12) + 12) % 12 + 1;
    return ts_from_paris(y, m, 1, 0, 0);
}
