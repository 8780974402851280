/* rrule: the RRULE subset of rrule.h. Parsing splits on ';' and '=' by
 * hand (no sscanf: a "+5" or " 5" must be refused); expansion walks the
 * periods (weeks or months) from the first occurrence's and builds each
 * candidate from Paris wall-clock fields with ts_from_paris. */
#include "rrule.h"

#include <stdio.h>
#include <string.h>

#include "ts.h"

static const char wdays[7][3] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

static enum err why_fail(char *why, size_t cap, const char *msg)
{
    snprintf(why, cap, "%s", msg);
    return ERR_INVALID;
}

/* A decimal in [lo, hi] made of digits only, from s[0..n). */
static bool number(const char *s, size_t n, int lo, int hi, int *out)
{
    if (n == 0 || n > 4)
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int weekday(const char *s)
{
    for (int d = 0; d < 7; d++)
        if (strncmp(s, wdays[d], 2) == 0)
            return d;
    return -1;
}

/* One BYDAY item s[0..n): an optional ordinal ("1", "-1") and a weekday. */
static bool byday_item(const char *s, size_t n, int *ordinal, int *wd)
{
    if (n < 2 || (*wd = weekday(s + n - 2)) < 0)
        return false;
    *ordinal = 0;
    if (n == 2)
        return true;
    if (n == 4 && s[0] == '-' && s[1] == '1') {
        *ordinal = -1;
        return true;
    }
    return n == 3 && number(s, 1, 1, 5, ordinal);
}

static enum err parse_byday(const char *v, size_t n, struct rrule *r, char *why, size_t cap)
{
    int count = 0;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && v[j] != ',')
            j++;
        int ord, wd;
        if (!byday_item(v + i, j - i, &ord, &wd))
            return why_fail(why, cap, "'BYDAY' must list days like MO,TH or, monthly, 1TH");
        if (ord && ++count == 1) {
            r->ordinal = ord;
            r->wday = wd;
        } else if (ord || r->ordinal) {
            return why_fail(why, cap, "'BYDAY' takes one ordinal day such as 1TH");
        } else {
            r->days |= 1u << wd;
        }
        i = j + 1;
    }
    return ERR_OK;
}

/* "YYYYMMDDTHHMMSSZ" through the wire form, so the same date checks apply. */
static bool until_time(const char *v, size_t n, int64_t *out)
{
    if (n != 16 || v[8] != 'T' || v[15] != 'Z')
        return false;
    char wire[TS_LEN + 1];
    snprintf(wire, sizeof wire, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", v, v + 4, v + 6, v + 9, v + 11,
             v + 13);
    for (size_t i = 0; i < 15; i++)
        if (i != 8 && (v[i] < '0' || v[i] > '9'))
            return false;
    return ts_parse(wire, out) == ERR_OK;
}

static enum err parse_part(const char *k, size_t kn, const char *v, size_t vn, struct rrule *r,
                           unsigned *seen, char *why, size_t cap)
{
    static const char *const keys[] = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT"};
    int key = -1;
    for (int i = 0; i < 5; i++)
        if (strlen(keys[i]) == kn && strncmp(k, keys[i], kn) == 0)
            key = i;
    if (key < 0)
        return why_fail(why, cap, "only FREQ, INTERVAL, BYDAY, UNTIL and COUNT are supported");
    if (*seen & (1u << key)) {
        snprintf(why, cap, "'%s' appears twice", keys[key]);
        return ERR_INVALID;
    }
    *seen |= 1u << key;
    switch (key) {
    case 0:
        if (vn == 6 && strncmp(v, "WEEKLY", 6) == 0)
            return ERR_OK;
        r->monthly = vn == 7 && strncmp(v, "MONTHLY", 7) == 0;
        return r->monthly ? ERR_OK : why_fail(why, cap, "'FREQ' must be WEEKLY or MONTHLY");
    case 1:
        return number(v, vn, 1, RRULE_MAX_INTERVAL, &r->interval)
                   ? ERR_OK
                   : why_fail(why, cap, "'INTERVAL' must be 1 to 99");
    case 2:
        return parse_byday(v, vn, r, why, cap);
    case 3:
        return until_time(v, vn, &r->until)
                   ? ERR_OK
                   : why_fail(why, cap, "'UNTIL' must be a UTC time like 20270301T000000Z");
    default:
        return number(v, vn, 1, RRULE_MAX_COUNT, &r->count)
                   ? ERR_OK
                   : why_fail(why, cap, "'COUNT' must be 1 to 1000");
    }
}

/* The rules between parts, once all are read. */
static enum err check_whole(const struct rrule *r, unsigned seen, char *why, size_t cap)
{
    if (!(seen & 1u))
        return why_fail(why, cap, "'FREQ' is missing");
    if (r->until && r->count)
        return why_fail(why, cap, "UNTIL and COUNT may not both be given");
    if (r->monthly && r->days)
        return why_fail(why, cap, "monthly, 'BYDAY' takes one ordinal day such as 1TH");
    if (!r->monthly && r->ordinal)
        return why_fail(why, cap, "weekly, 'BYDAY' takes plain days such as MO,TH");
    return ERR_OK;
}

enum err rrule_parse(const char *s, struct rrule *out, char *why, size_t cap)
{
    struct rrule r = {.interval = 1};
    unsigned seen = 0;
    size_t n = strlen(s);
    if (n == 0 || n > RRULE_MAX_CHARS)
        return why_fail(why, cap, "a rule is 1 to 120 characters such as FREQ=WEEKLY");
    for (size_t i = 0; i <= n;) {
        size_t j = i, eq = 0;
        while (j < n && s[j] != ';') {
            if (s[j] == '=' && !eq)
                eq = j;
            j++;
        }
        if (!eq)
            return why_fail(why, cap, "each part is NAME=VALUE, separated by ';'");
        enum err rc = parse_part(s + i, eq - i, s + eq + 1, j - eq - 1, &r, &seen, why, cap);
        if (rc)
            return rc;
        i = j + 1;
    }
    enum err rc = check_whole(&r, seen, why, cap);
    if (rc == ERR_OK)
        *out = r;
    return rc;
}

/* The day of the month of period k's occurrence (0: none that month). */
static int monthly_day(const struct rrule *r, const struct ts_local *f, int k, int *y, int *m)
{
    struct ts_local first, last;
    ts_paris(ts_from_paris(f->year, f->month + k, 1, 12, 0), &first);
    ts_paris(ts_from_paris(f->year, f->month + k + 1, 0, 12, 0), &last);
    *y = first.year;
    *m = first.month;
    if (!r->ordinal)
        return f->day <= last.day ? f->day : 0;
    int day;
    if (r->ordinal > 0)
        day = 1 + (r->wday - first.wday + 7) % 7 + 7 * (r->ordinal - 1);
    else
        day = last.day - (last.wday - r->wday + 7) % 7;
    return day <= last.day ? day : 0;
}

struct walk {
    const struct rrule *r;
    int64_t first, length, from, to;
    int64_t *out;
    int max, n, seen;
    bool done;
};

/* One candidate start t, in order: counted, kept when it overlaps. */
static void visit(struct walk *w, int64_t t)
{
    if (t < w->first)
        return;
    if (t >= w->to || (w->r->until && t > w->r->until) || (w->r->count && w->seen >= w->r->count)) {
        w->done = true;
        return;
    }
    w->seen++;
    if (t + w->length > w->from && w->n < w->max)
        w->out[w->n++] = t;
}

/* The first period worth walking: 0 with COUNT (occurrences count from
 * the first), else a period before the earliest start that may still
 * overlap `from`, so an old series costs what its window holds. Months
 * are taken as 31 days: an under-estimate, whose extra periods the walk
 * skips. */
static int first_period(const struct rrule *r, int64_t first, int64_t length, int64_t from)
{
    int64_t gap = from - length - first;
    if (r->count || gap <= 0)
        return 0;
    int64_t k = gap / ((r->monthly ? 31 : 7) * (int64_t)86400) - 1;
    if (k <= 0)
        return 0;
    if (k > 10000000) /* past year 9999 either way; keeps 7 * k an int */
        k = 10000000;
    return (int)(k - k % r->interval);
}

int rrule_expand(const struct rrule *r, int64_t first, int64_t length, int64_t from, int64_t to,
                 int64_t *out, int max)
{
    struct walk w = {r, first, length, from, to, out, max, 0, 0, false};
    struct ts_local f;
    ts_paris(first, &f);
    visit(&w, first); /* the event's own start, rule or not */
    int k = first_period(r, first, length, from);
    for (int step = 0; step < RRULE_MAX_STEPS && !w.done && w.n < max; step++, k += r->interval) {
        if (r->monthly) {
            int y, m, d = monthly_day(r, &f, k, &y, &m);
            int64_t t = d ? ts_from_paris(y, m, d, f.hour, f.minute) : first;
            if (t != first)
                visit(&w, t);
            continue;
        }
        unsigned days = r->days ? r->days : 1u << f.wday;
        for (int d = 0; d < 7 && !w.done; d++) {
            int64_t t =
                ts_from_paris(f.year, f.month, f.day - f.wday + 7 * k + d, f.hour, f.minute);
            if ((days >> d & 1) && t != first)
                visit(&w, t);
        }
    }
    return w.n;
}
