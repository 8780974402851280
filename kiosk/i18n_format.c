/* i18n_format: the words around numbers and dates, per language (see
 * i18n.h): dates and month names, templates filled, plurals by each
 * language's rule, durations and numbers with French typography's
 * no-break spaces, the figures' units. The words themselves are i18n.c's
 * tables. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"

static const char *const weekdays[LANG_COUNT][7] = {
    {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
};

static const char *const months[LANG_COUNT][12] = {
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
};

const char *i18n_weekday(enum lang l, int wday)
{
    if ((unsigned)l >= LANG_COUNT || wday < 0 || wday > 6)
        return "";
    return weekdays[l][wday];
}

const char *i18n_month(enum lang l, int month)
{
    if ((unsigned)l >= LANG_COUNT || month < 1 || month > 12)
        return "";
    return months[l][month - 1];
}

void i18n_date(enum lang l, int wday, int day, int month, int year, char *out, int cap)
{
    const char *first = day == 1 && l == LANG_FR ? "er" : "";
    snprintf(out, (size_t)cap, "%s %d%s %s %d", i18n_weekday(l, wday), day, first,
             i18n_month(l, month), year);
}

void i18n_fill(char *out, size_t cap, const char *tmpl, const char *arg)
{
    const char *s = strstr(tmpl, "%s");
    if (!s)
        s = strstr(tmpl, "%d");
    if (!s) {
        snprintf(out, cap, "%s", tmpl);
        return;
    }
    snprintf(out, cap, "%.*s%s%s", (int)(s - tmpl), tmpl, arg, s + 2);
}

void i18n_fill_int(char *out, size_t cap, const char *tmpl, long long arg)
{
    char n[32];
    snprintf(n, sizeof n, "%lld", arg);
    i18n_fill(out, cap, tmpl, n);
}

/* The counts that take the singular, per language (CLDR's "one" for
 * whole numbers): French 0 and 1, English 1. */
static const struct {
    long long lo, hi;
} singular[LANG_COUNT] = {[LANG_FR] = {0, 1}, [LANG_EN] = {1, 1}};

bool i18n_singular(enum lang l, long long n)
{
    if ((unsigned)l >= LANG_COUNT)
        l = LANG_FR;
    return n >= singular[l].lo && n <= singular[l].hi;
}

void i18n_count(enum lang l, enum str one, long long n, char *out, size_t cap)
{
    enum str s = i18n_singular(l, n) ? one : (enum str)(one + 1);
    i18n_fill_int(out, cap, i18n_str(l, s), n);
}

void i18n_pair(enum lang l, const char *label, const char *value, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s", label, i18n_str(l, S_COLON), value);
}

void i18n_duration(enum lang l, int minutes, char *out, size_t cap)
{
    int h = minutes / 60, m = minutes % 60;
    if (h == 0)
        snprintf(out, cap, "%d" I18N_NBSP "min", m);
    else if (m == 0)
        snprintf(out, cap, "%d" I18N_NBSP "h", h);
    else if (l == LANG_EN)
        snprintf(out, cap, "%d" I18N_NBSP "h" I18N_NBSP "%02d" I18N_NBSP "min", h, m);
    else
        snprintf(out, cap, "%d" I18N_NBSP "h" I18N_NBSP "%02d", h, m);
}

void i18n_number(enum lang l, long long n, char *out, size_t cap)
{
    const char *sep = l == LANG_EN ? "," : I18N_NNBSP;
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
    size_t o = 0;
    if (cap == 0)
        return;
    if (n < 0 && o + 1 < cap)
        out[o++] = '-';
    for (int i = 0; i < len && o + 1 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            size_t sl = strlen(sep);
            if (o + sl + 1 >= cap)
                break;
            memcpy(out + o, sep, sl);
            o += sl;
        }
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* The template of a figure's unit or qualifier; NULL for "number", none
 * or a value this kiosk does not know (shown bare). */
static const char *figure_template(enum lang l, const char *value)
{
    static const struct {
        const char *value;
        enum str s;
    } words[] = {{"percent", S_FIG_PERCENT},
                 {"euro", S_FIG_EURO},
                 {"about", S_FIG_ABOUT},
                 {"nearly", S_FIG_NEARLY},
                 {"over", S_FIG_OVER}};
    for (size_t i = 0; value && i < sizeof words / sizeof words[0]; i++)
        if (strcmp(value, words[i].value) == 0)
            return i18n_str(l, words[i].s);
    return NULL;
}

void i18n_figure(enum lang l, long long n, const char *unit, const char *qualifier, char *out,
                 size_t cap)
{
    char num[48], with_unit[64];
    i18n_number(l, n, num, sizeof num);
    const char *u = figure_template(l, unit), *q = figure_template(l, qualifier);
    if (u)
        i18n_fill(with_unit, sizeof with_unit, u, num);
    else
        snprintf(with_unit, sizeof with_unit, "%s", num);
    if (q)
        i18n_fill(out, cap, q, with_unit);
    else
        snprintf(out, cap, "%s", with_unit);
}
