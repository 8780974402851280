/* sceaux-gendata: synthetic Sceaux data at any scale, for benchmarks.
 *
 * Prints a docs/protocol.md push body with N rows in each public table (sites
 * and rooms scale at N/100, at least 2 and 8), deterministic for a seed, so
 * that runs compare like with like. Texts mix accented French words so the
 * search index does real work. Usage: sceaux-gendata [--rows N] [--seed S]
 * [--start YYYY-MM-DD] [--only TABLE=N]...; with --only, the tables named
 * get N rows each and the other public tables none (sites and rooms still
 * scale with the largest N, so references hold). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"
#include "ts.h"
#include "xalloc.h"
#include "num.h"

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    /* xorshift64*: enough for synthetic data, and reproducible. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

static const char *const words[] = {
    "école",        "santé",     "jardin",      "partagé",   "vélo",     "réparation", "quartier",
    "solidarité",   "numérique", "énergie",     "épicerie",  "fête",     "musique",    "jeunes",
    "seniors",      "emploi",    "coopérative", "recyclage", "théâtre",  "mobilité",   "habitat",
    "alimentation", "forêt",     "échange",     "atelier",   "citoyens", "bénévoles",  "créée",
};
#define NWORDS (sizeof words / sizeof words[0])

static char *phrase(int nwords, size_t max_chars)
{
    char out[4096];
    size_t len = 0;
    size_t chars = 0;
    for (int i = 0; i < nwords; i++) {
        const char *w = words[rnd(NWORDS)];
        size_t wl = strlen(w);
        size_t wc = 0;
        for (const char *p = w; *p; p++)
            wc += ((unsigned char)*p & 0xC0) != 0x80;
        if (chars + wc + 1 > max_chars || len + wl + 2 > sizeof out)
            break;
        if (i) {
            out[len++] = ' ';
            chars++;
        }
        memcpy(out + len, w, wl);
        len += wl;
        chars += wc;
    }
    out[len] = '\0';
    return xstrdup(out);
}

static json_t *text(int nwords, size_t max_chars)
{
    char *s = phrase(nwords, max_chars);
    json_t *j = json_string(s);
    free(s);
    return j;
}

static void emit(json_t *changes, const char *table, json_t *row)
{
    char cid[32];
    snprintf(cid, sizeof cid, "gen:%zu", json_array_size(changes) + 1);
    json_array_append_new(changes, json_pack("{s:s,s:s,s:s,s:o}", "id", cid, "table", table, "op",
                                             "upsert", "row", row));
}

static void gen_time(int64_t start, int day_span, char out[TS_LEN + 1], int64_t *t)
{
    *t = start + (int64_t)rnd((uint32_t)day_span) * 86400 + (8 + (int64_t)rnd(11)) * 3600;
    ts_format(*t, out);
}

static const char *pick(const char *const *values)
{
    int n = 0;
    while (values[n])
        n++;
    return values[rnd((uint32_t)n)];
}

static const char *const *enum_values(const char *table, const char *col)
{
    const struct table *t = tables_find(table);
    return t->cols[tables_column_index(t, col)].values;
}

/* Rows per public table: --rows for all, or only what --only names. */
struct counts {
    long initiative, organization, event, announcement, proposal;
};

static void generate(json_t *changes, const struct counts *k, int64_t start)
{
    long n = k->initiative;
    if (k->organization > n)
        n = k->organization;
    if (k->event > n)
        n = k->event;
    if (k->announcement > n)
        n = k->announcement;
    if (k->proposal > n)
        n = k->proposal;
    int nsites = n / 100 > 2 ? (int)(n / 100) : 2;
    int nrooms = n / 100 > 8 ? (int)(n / 100) : 8;
    char id[40], ref[40], a[TS_LEN + 1], b[TS_LEN + 1];
    int64_t t;
    for (int i = 0; i < nsites; i++) {
        snprintf(id, sizeof id, "gsite-%d", i);
        emit(changes, "site",
             json_pack("{s:s,s:o,s:o}", "id", id, "name", text(3, 120), "address", text(5, 200)));
    }
    for (int i = 0; i < nrooms; i++) {
        snprintf(id, sizeof id, "groom-%d", i);
        snprintf(ref, sizeof ref, "gsite-%d", i % nsites);
        emit(changes, "room",
             json_pack("{s:s,s:s,s:o,s:i,s:o,s:b,s:s,s:s}", "id", id, "site_id", ref, "name",
                       text(2, 80), "capacity", 2 + (int)rnd(40), "equipment", text(4, 300),
                       "bookable", 1, "opens", "08:00", "closes", "20:00"));
    }
    for (long i = 0; i < k->initiative; i++) {
        snprintf(id, sizeof id, "gini-%ld", i);
        emit(changes, "initiative",
             json_pack("{s:s,s:o,s:o,s:o,s:s,s:s,s:o,s:s,s:n,s:b}", "id", id, "title", text(5, 120),
                       "summary", text(20, 280), "description", text(80, 4000), "domain",
                       pick(tables_domains), "stage", pick(enum_values("initiative", "stage")),
                       "carrier", text(3, 120), "contact", "contact@exemple.org", "url",
                       "published", 1));
    }
    for (long i = 0; i < k->organization; i++) {
        snprintf(id, sizeof id, "gorg-%ld", i);
        emit(changes, "organization",
             json_pack("{s:s,s:o,s:s,s:o,s:s,s:n,s:n,s:n}", "id", id, "name", text(3, 120), "kind",
                       pick(enum_values("organization", "kind")), "description", text(40, 2000),
                       "domain", pick(tables_domains), "contact", "url", "address"));
    }
    for (long i = 0; i < k->event; i++) {
        snprintf(id, sizeof id, "gevt-%ld", i);
        gen_time(start, 56, a, &t);
        ts_format(t + 7200, b);
        emit(changes, "event",
             json_pack("{s:s,s:o,s:o,s:s,s:s,s:n,s:n,s:o,s:s,s:s,s:n,s:n}", "id", id, "title",
                       text(5, 120), "description", text(60, 4000), "starts_at", a, "ends_at", b,
                       "site_id", "room_id", "place", text(3, 200), "category",
                       pick(enum_values("event", "category")), "domain", pick(tables_domains),
                       "organizer", "url"));
    }
    for (long i = 0; i < k->announcement; i++) {
        snprintf(id, sizeof id, "gann-%ld", i);
        gen_time(start, 56, a, &t);
        ts_format(t + 7 * 86400, b);
        emit(changes, "announcement",
             json_pack("{s:s,s:o,s:o,s:s,s:s,s:s,s:s,s:n}", "id", id, "title", text(5, 120), "body",
                       text(30, 1000), "priority", pick(enum_values("announcement", "priority")),
                       "starts_at", a, "ends_at", b, "target", "all", "author"));
    }
    for (long i = 0; i < k->proposal; i++) {
        snprintf(id, sizeof id, "gprop-%ld", i);
        emit(changes, "proposal",
             json_pack("{s:s,s:o,s:s,s:n,s:s}", "id", id, "text", text(30, 1000), "domain",
                       pick(tables_domains), "author_name", "status", "published"));
    }
}

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: sceaux-gendata [--rows N] [--seed S] [--start YYYY-MM-DD]\n"
               "                      [--only TABLE=N]...\n");
    return rc;
}

/* --only TABLE=N: sets the count of TABLE in k. */
static int parse_only(const char *arg, struct counts *k)
{
    static const struct {
        const char *name;
        size_t off;
    } names[] = {
        {"initiative", offsetof(struct counts, initiative)},
        {"organization", offsetof(struct counts, organization)},
        {"event", offsetof(struct counts, event)},
        {"announcement", offsetof(struct counts, announcement)},
        {"proposal", offsetof(struct counts, proposal)},
    };
    const char *eq = strchr(arg, '=');
    for (size_t i = 0; eq && i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == (size_t)(eq - arg) &&
            strncmp(arg, names[i].name, (size_t)(eq - arg)) == 0)
            return num_parse(eq + 1, 0, 10000000, (long *)((char *)k + names[i].off)) ? 0 : -1;
    return -1;
}

int main(int argc, char **argv)
{
    long rows = 10000;
    struct counts only = {0};
    bool any_only = false;
    long seed = 1;
    int64_t start = 1796083200; /* 2026-12-01T00:00:00Z */
    xalloc_init();
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "--version") == 0) {
            printf("sceaux-gendata %s\n", SCEAUX_VERSION);
            return 0;
        }
        if (strcmp(argv[i], "--rows") == 0 && v && num_parse(v, 1, 10000000, &rows)) {
            i++;
        } else if (strcmp(argv[i], "--only") == 0 && v && parse_only(v, &only) == 0) {
            any_only = true;
            i++;
        } else if (strcmp(argv[i], "--seed") == 0 && v && num_parse(v, 0, 1L << 30, &seed)) {
            i++;
        } else if (strcmp(argv[i], "--start") == 0 && v) {
            char buf[TS_LEN + 1];
            snprintf(buf, sizeof buf, "%.10sT00:00:00Z", v);
            if (strlen(v) != 10 || ts_parse(buf, &start)) {
                fprintf(stderr, "sceaux-gendata: bad --start '%s'\n", v);
                return 2;
            }
            i++;
        } else {
            fprintf(stderr, "sceaux-gendata: bad argument '%s'\n", argv[i]);
            return usage(stderr, 2);
        }
    }
    rng_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)seed;
    json_t *changes = json_array();
    struct counts all = {rows, rows, rows, rows, rows};
    generate(changes, any_only ? &only : &all, start);
    json_t *body = json_pack("{s:s,s:o}", "format", "sceaux/1", "changes", changes);
    int rc = json_dumpf(body, stdout, JSON_COMPACT) || fputc('\n', stdout) == EOF || fflush(stdout);
    json_decref(body);
    if (rc) {
        fprintf(stderr, "sceaux-gendata: cannot write output\n");
        return 1;
    }
    return 0;
}
