/* import: file reading, week rebasing and the apply loop of `sceaux-hub
 * import`. */
#include "import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rrule.h"
#include "rules.h"
#include "ts.h"

#define DAY ((int64_t)24 * 3600)

static bool rebased_table(const struct push_change *c)
{
    return c->valid && c->op == CS_UPSERT && c->table &&
           (strcmp(c->table->name, "event") == 0 || strcmp(c->table->name, "announcement") == 0);
}

/* Noon of t's Paris day: differences of noons are whole days give or take
 * a DST hour, never a day off. */
static int64_t paris_noon(int64_t t)
{
    struct ts_local l;
    ts_paris(t, &l);
    return ts_from_paris(l.year, l.month, l.day, 12, 0);
}

/* Moves t by `days`, keeping its Paris wall-clock time across DST. */
static int64_t shift(int64_t t, int64_t days)
{
    struct ts_local l;
    ts_paris(t, &l);
    return ts_from_paris(l.year, l.month, l.day + (int)days, l.hour, l.minute) + l.second;
}

static void shift_column(json_t *row, const char *name, int64_t days)
{
    int64_t t;
    const char *s = rules_str(row, name);
    if (!s || ts_parse(s, &t))
        return;
    char out[TS_LEN + 1];
    ts_format(shift(t, days), out);
    json_object_set_new(row, name, json_string(out));
}

/* A series (event.rrule) keeps its rule's days: it starts at the rule's
 * first occurrence on or after its shifted start (UNTIL and COUNT set
 * aside for the search; COUNT then counts from there, and an UNTIL stays
 * as written, so the bundled data uses COUNT). */
static bool shift_series(json_t *row, int64_t days)
{
    struct rrule r;
    char why[120];
    int64_t s, e, t;
    const char *rule = rules_str(row, "rrule");
    if (!rule || rrule_parse(rule, &r, why, sizeof why) ||
        ts_parse(rules_str(row, "starts_at"), &s) || ts_parse(rules_str(row, "ends_at"), &e))
        return false;
    r.until = 0;
    r.count = 0;
    if (rrule_expand(&r, s, 1, shift(s, days), INT64_MAX, &t, 1) != 1)
        return false;
    char out[TS_LEN + 1];
    ts_format(t, out);
    json_object_set_new(row, "starts_at", json_string(out));
    ts_format(t + (e - s), out);
    json_object_set_new(row, "ends_at", json_string(out));
    return true;
}

int64_t import_rebase(struct push_body *b, int64_t now)
{
    int64_t earliest = INT64_MAX;
    for (size_t i = 0; i < b->count; i++) {
        const struct push_change *c = &b->changes[i];
        int64_t t;
        if (rebased_table(c) && strcmp(c->table->name, "event") == 0 &&
            ts_parse(rules_str(c->row, "starts_at"), &t) == ERR_OK && t < earliest)
            earliest = t;
    }
    if (earliest == INT64_MAX)
        return 0;
    int64_t days = (paris_noon(now) - paris_noon(earliest) + DAY / 2) / DAY;
    if (days <= 0)
        return 0;
    for (size_t i = 0; i < b->count; i++) {
        if (!rebased_table(&b->changes[i]))
            continue;
        if (shift_series(b->changes[i].row, days))
            continue;
        shift_column(b->changes[i].row, "starts_at", days);
        shift_column(b->changes[i].row, "ends_at", days);
    }
    return days;
}

enum err import_read_file(const char *path, struct buf *out, char *errbuf, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(errbuf, errlen, "cannot open '%s': %s", path, strerror(errno));
        return ERR_IO;
    }
    char chunk[65536];
    size_t n;
    enum err rc = ERR_OK;
    while (rc == ERR_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(out, chunk, n);
    if (rc == ERR_OK && ferror(f)) {
        snprintf(errbuf, errlen, "cannot read '%s': %s", path, strerror(errno));
        rc = ERR_IO;
    } else if (rc) {
        snprintf(errbuf, errlen, "'%s' is over %zu bytes", path, out->max);
    }
    fclose(f);
    return rc;
}

enum err import_file(struct store *s, const char *path, bool rebase, int64_t now,
                     struct import_report *rep, FILE *errs, char *errbuf, size_t errlen)
{
    memset(rep, 0, sizeof *rep);
    struct buf text;
    buf_init(&text, IMPORT_FILE_MAX);
    enum err rc = import_read_file(path, &text, errbuf, errlen);
    struct push_body body = {0};
    struct verr e;
    validate_clear(&e);
    struct changeset_limits lim = {VALIDATE_DEPTH_MAX, IMPORT_CHANGES_MAX, NULL};
    if (rc == ERR_OK) {
        rc = changeset_parse_push(text.data ? text.data : "", text.len, &lim, &body, &e);
        if (rc)
            snprintf(errbuf, errlen, "'%s' is not a content file: %s%s%s", path, e.message,
                     e.field[0] ? " at " : "", e.field);
    }
    buf_release(&text);
    if (rc == ERR_OK && rebase)
        rep->days = import_rebase(&body, now);
    struct store_caller who = {"import", STORE_ADMIN, NULL, false, false};
    for (size_t i = 0; rc == ERR_OK && i < body.count; i++) {
        struct push_result r;
        rc = store_apply(s, &who, &body.changes[i], now, &r);
        if (rc) {
            snprintf(errbuf, errlen, "cannot apply change '%s': %s", body.changes[i].id,
                     store_errmsg(s));
        } else if (strcmp(r.status, "rejected") == 0) {
            rep->rejected++;
            fprintf(errs, "change '%s' rejected: %s%s%s: %s\n", r.id, r.error,
                    r.field[0] ? " " : "", r.field, r.message);
        } else {
            rep->applied++;
        }
    }
    changeset_push_free(&body);
    return rc;
}
