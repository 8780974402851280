/* admin: times, the announcement change and answer formatting (see
 * admin.h). */
#include "admin.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"
#include "ts.h"
#include "validate.h"
#include "xalloc.h"

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

enum err admin_parse_time(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0;
    if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || !strchr("Tt ", s[10]) || s[10] == '\0' ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &sec))
        return ERR_INVALID;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return ERR_INVALID;
        while (isdigit((unsigned char)*p))
            p++;
    }
    int sign = 0;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        sign = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && digits(p + 1, 2, &oh) && p[3] == ':' &&
               digits(p + 4, 2, &om) && oh < 24 && om < 60) {
        sign = *p == '+' ? 1 : -1;
    } else {
        return ERR_INVALID;
    }
    char utc[64]; /* the fields have 2 or 4 digits; room for what the compiler fears */
    snprintf(utc, sizeof utc, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, sec);
    int64_t t;
    if (ts_parse(utc, &t))
        return ERR_INVALID;
    *out = t - sign * (int64_t)(oh * 3600 + om * 60);
    return ERR_OK;
}

enum err admin_announce_change(const struct admin_announce *a, json_t **out, struct verr *e)
{
    *out = NULL;
    validate_clear(e);
    if (a->until <= a->from) {
        validate_fail(e, "invalid", "ends_at", "--until must be after --from");
        return ERR_INVALID;
    }
    char from[TS_LEN + 1], until[TS_LEN + 1];
    ts_format(a->from, from);
    ts_format(a->until, until);
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", a->id, "title", a->title,
                            "body", a->body, "priority", a->priority, "starts_at", from, "ends_at",
                            until, "target", a->target);
    if (!row) {
        validate_fail(e, "invalid", "", "texts must be UTF-8");
        return ERR_INVALID;
    }
    if (a->author)
        json_object_set_new(row, "author", json_string(a->author));
    if (validate_row(tables_find("announcement"), row, VALIDATE_PUSH, e)) {
        json_decref(row);
        return ERR_INVALID;
    }
    *out = changeset_change_new(a->id, "announcement", CS_UPSERT, row);
    return ERR_OK;
}

void admin_print_results(FILE *f, const struct push_result *r, size_t n, size_t *rejected)
{
    *rejected = 0;
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s %s", r[i].id, r[i].status);
        if (r[i].seq >= 0)
            fprintf(f, " seq %" PRId64, r[i].seq);
        if (r[i].error[0]) {
            fprintf(f, " %s", r[i].error);
            if (r[i].message[0])
                fprintf(f, ": %s", r[i].message);
            if (r[i].field[0])
                fprintf(f, " (%s)", r[i].field);
            (*rejected)++;
        } else if (strcmp(r[i].status, "rejected") == 0) {
            (*rejected)++;
        }
        fputc('\n', f);
    }
}

/* The text of a fleet cell: strings as they are, numbers in decimal,
 * null or absent as "-". Returns a new string. */
static char *cell(json_t *v)
{
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v))
        return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    if (json_is_real(v))
        return xasprintf("%g", json_real_value(v));
    return xstrdup("-");
}

enum err admin_print_fleet(FILE *f, json_t *fleet)
{
    /* fault last: an older hub does not send it ("-"), and scripts that
     * read the first columns by position keep them. */
    static const char *const cols[] = {"name",   "site",    "last_seen", "lag",  "cursor",
                                       "outbox", "version", "address",   "fault"};
    enum { NCOLS = sizeof cols / sizeof cols[0] };
    json_t *kiosks = json_object_get(fleet, "kiosks");
    if (!json_is_array(kiosks))
        return ERR_INVALID;
    size_t n = json_array_size(kiosks);
    char **cells = xcalloc((n + 1) * NCOLS, sizeof *cells);
    size_t width[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        cells[c] = xstrdup(cols[c]);
        for (char *p = cells[c]; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        width[c] = strlen(cols[c]);
    }
    for (size_t i = 0; i < n; i++) {
        json_t *k = json_array_get(kiosks, i);
        for (int c = 0; c < NCOLS; c++) {
            char *s = cell(json_object_get(k, cols[c]));
            for (char *p = s; *p; p++)
                if ((unsigned char)*p < 0x20)
                    *p = ' ';
            if (strlen(s) > width[c])
                width[c] = strlen(s);
            cells[(i + 1) * NCOLS + c] = s;
        }
    }
    for (size_t i = 0; i <= n; i++) {
        for (int c = 0; c + 1 < NCOLS; c++)
            fprintf(f, "%-*s  ", (int)width[c], cells[i * NCOLS + c]);
        fprintf(f, "%s\n", cells[i * NCOLS + NCOLS - 1]);
    }
    for (size_t i = 0; i < (n + 1) * NCOLS; i++)
        free(cells[i]);
    free(cells);
    return ERR_OK;
}
