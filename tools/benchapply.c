/* sceaux-benchapply: the "syncd applying 10,000 pulled rows" figure of
 * docs/architecture.md, beside its baseline, in one process (run by bench/apply.sh).
 *
 *   sceaux-benchapply --data FILE [--rows N] [--runs R] [--dir DIR]
 *
 * FILE is a push body (sceaux-gendata's output); its first N upserts of
 * public tables become pulled rows (hub-set columns filled the way the hub
 * fills them, seq 1..N). They are written as gzip pull pages with the
 * hub's own pull writer, before any clock runs. Then, R times each,
 * interleaved so drift hits all three alike, into a new replica file:
 *   raw    sqlite3 prepared INSERTs of the same values into the same
 *          schema (replica_open's), one transaction: the baseline;
 *   one    syncd's path for one page of N rows: gz_inflate,
 *          changeset_parse_pull, replica_apply for each change, cursor and
 *          epoch, one transaction (syncd's own pull_apply);
 *   paged  the same with syncd's own page size (PLAN_PULL_LIMIT), one
 *          transaction a page, as syncd really pulls a backlog.
 * Prints key=value lines: the best time of each, in milliseconds, and the
 * rates. Every run is checked to leave exactly N rows. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sync/syncd/plan.h"
#include "../sync/syncd/pull.h"
#include "changeset.h"
#include "db.h"
#include "gz.h"
#include "replica.h"
#include "tables.h"
#include "ts.h"
#include "validate.h"
#include "xalloc.h"
#include "num.h"

#define BODY_MAX CAPS_ANSWER_MAX /* syncd's cap on an answer once inflated */
#define EPOCH "benchapply0epoch"

static const char usage[] =
    "usage: sceaux-benchapply --data FILE [--rows N] [--runs R] [--dir DIR]\n";

/* One pulled row: its table, seq and the row as the hub would send it. */
struct prow {
    const struct table *t;
    json_t *row; /* owned */
    int64_t seq;
};

/* One value of the raw baseline, extracted before the clock runs. */
struct rawval {
    int kind; /* SQLITE_NULL, SQLITE_INTEGER or SQLITE_TEXT */
    sqlite3_int64 i;
    const char *s; /* borrowed from the row */
    size_t n;
};

struct gzpage {
    struct buf gz;
    size_t json_len;
    size_t count;
};

/* What the hub stores for a row pushed without its hub-set columns, with
 * every public column present (null when empty) and nothing else. */
static void as_pulled(const struct table *t, json_t *row, const char *now)
{
    for (int i = 0; i < t->ncols; i++) {
        const struct column *c = &t->cols[i];
        if (!tables_column_public(c)) {
            json_object_del(row, c->name);
            continue;
        }
        if ((c->flags & COL_HUB_SET) && !json_object_get(row, c->name)) {
            if (c->type == COL_INT)
                json_object_set_new(row, c->name, json_integer(0));
            else
                json_object_set_new(row, c->name, json_string(now));
        }
        if (!json_object_get(row, c->name))
            json_object_set_new(row, c->name, json_null());
    }
}

static int load_rows(const char *path, size_t want, struct prow **out, size_t *n)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!doc) {
        fprintf(stderr, "sceaux-benchapply: cannot read '%s': %s\n", path, jerr.text);
        return 1;
    }
    char now[TS_LEN + 1];
    ts_format(ts_now(), now);
    struct prow *rows = xcalloc(want, sizeof *rows);
    size_t got = 0, i;
    json_t *ch;
    json_array_foreach(json_object_get(doc, "changes"), i, ch)
    {
        if (got == want)
            break;
        const struct table *t = tables_find(json_string_value(json_object_get(ch, "table")));
        json_t *row = json_object_get(ch, "row");
        const char *op = json_string_value(json_object_get(ch, "op"));
        if (!t || !tables_replicated(t) || !json_is_object(row) || !op || strcmp(op, "upsert") != 0)
            continue;
        json_t *copy = json_deep_copy(row);
        as_pulled(t, copy, now);
        struct verr e;
        if (validate_row(t, copy, VALIDATE_PULL, &e)) {
            fprintf(stderr, "sceaux-benchapply: change %zu (%s) is not a pull row: %s\n", i,
                    t->name, e.message);
            json_decref(copy);
            continue;
        }
        rows[got].t = t;
        rows[got].row = copy;
        rows[got].seq = (int64_t)got + 1;
        got++;
    }
    json_decref(doc);
    if (got < want) {
        fprintf(stderr, "sceaux-benchapply: '%s' has only %zu usable rows, %zu wanted\n", path, got,
                want);
        for (size_t k = 0; k < got; k++)
            json_decref(rows[k].row);
        free(rows);
        return 1;
    }
    *out = rows;
    *n = got;
    return 0;
}

/* The pages the hub would send for a pull from 0 with limit `page`. */
static int make_pages(const struct prow *rows, size_t n, size_t page, struct gzpage **out,
                      size_t *npages)
{
    size_t np = (n + page - 1) / page;
    struct gzpage *pages = xcalloc(np, sizeof *pages);
    enum err rc = ERR_OK;
    for (size_t p = 0; p < np && rc == ERR_OK; p++) {
        size_t first = p * page, last = first + page < n ? first + page : n;
        struct buf json;
        buf_init(&json, BODY_MAX);
        struct pull_writer w;
        rc = changeset_pull_begin(&w, &json, EPOCH, rows[first].seq - 1, rows[last - 1].seq,
                                  last < n, false);
        for (size_t k = first; k < last && rc == ERR_OK; k++)
            rc = changeset_pull_upsert(&w, rows[k].seq, rows[k].t, rows[k].row);
        if (rc == ERR_OK)
            rc = changeset_pull_end(&w);
        buf_init(&pages[p].gz, BODY_MAX);
        if (rc == ERR_OK)
            rc = gz_compress(json.data, json.len, &pages[p].gz);
        pages[p].json_len = json.len;
        pages[p].count = last - first;
        buf_release(&json);
    }
    *out = pages;
    *npages = np;
    if (rc)
        fprintf(stderr, "sceaux-benchapply: cannot write a pull page: %s\n", err_str(rc));
    return rc ? 1 : 0;
}

/* What syncd does with each answer body once it has arrived: inflate, then
 * pull_apply (parse, then the page and its cursor in one transaction). */
static enum err apply_pages(struct replica *r, const struct gzpage *pages, size_t np, size_t page)
{
    enum err rc = ERR_OK;
    int64_t cursor = 0;
    for (size_t k = 0; k < np && rc == ERR_OK; k++) {
        struct buf body;
        buf_init(&body, BODY_MAX);
        rc = gz_inflate(pages[k].gz.data, pages[k].gz.len, &body);
        struct pull_stats st;
        char why[256] = "";
        if (rc == ERR_OK)
            rc = pull_apply(r, cursor, body.data, body.len, (int)page, &st, why, sizeof why);
        if (rc)
            fprintf(stderr, "sceaux-benchapply: page %zu: %s %s\n", k, err_str(rc), why);
        else
            cursor = st.cursor;
        buf_release(&body);
    }
    return rc;
}

static struct rawval *extract(const struct prow *rows, size_t n, size_t *per_row)
{
    size_t w = 0;
    for (int t = 0; t < tables_count; t++)
        if ((size_t)tables_all[t].ncols > w)
            w = (size_t)tables_all[t].ncols;
    struct rawval *v = xcalloc(n * w, sizeof *v);
    for (size_t k = 0; k < n; k++) {
        const struct table *t = rows[k].t;
        size_t p = 0;
        for (int c = 0; c < t->ncols; c++) {
            if (!tables_column_public(&t->cols[c]))
                continue;
            json_t *j = json_object_get(rows[k].row, t->cols[c].name);
            struct rawval *x = &v[k * w + p++];
            if (json_is_string(j)) {
                x->kind = SQLITE_TEXT;
                x->s = json_string_value(j);
                x->n = json_string_length(j);
            } else if (json_is_boolean(j) || json_is_integer(j)) {
                x->kind = SQLITE_INTEGER;
                x->i = json_is_boolean(j) ? json_is_true(j) : json_integer_value(j);
            } else {
                x->kind = SQLITE_NULL;
            }
        }
    }
    *per_row = w;
    return v;
}

static sqlite3_stmt *raw_prepare(sqlite3 *db, const struct table *t)
{
    struct buf sql;
    buf_init(&sql, 1u << 16);
    enum err rc = buf_printf(&sql, "INSERT INTO \"%s\" (", t->name);
    int p = 0;
    for (int c = 0; c < t->ncols; c++)
        if (rc == ERR_OK && tables_column_public(&t->cols[c]))
            rc = buf_printf(&sql, "%s\"%s\"", p++ ? ", " : "", t->cols[c].name);
    if (rc == ERR_OK)
        rc = buf_puts(&sql, ", \"seq\") VALUES (");
    for (int k = 1; rc == ERR_OK && k <= p + 1; k++)
        rc = buf_printf(&sql, "%s?%d", k > 1 ? ", " : "", k);
    if (rc == ERR_OK)
        rc = buf_puts(&sql, ")");
    sqlite3_stmt *st = NULL;
    if (rc)
        fprintf(stderr, "sceaux-benchapply: cannot build the insert: %s\n", err_str(rc));
    else if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK)
        fprintf(stderr, "sceaux-benchapply: cannot prepare: %s\n", sqlite3_errmsg(db));
    buf_release(&sql);
    return st;
}

/* The baseline: prepared INSERTs, values bound as they are, one commit. */
static enum err raw_insert(sqlite3 *db, const struct prow *rows, size_t n, const struct rawval *v,
                           size_t w)
{
    sqlite3_stmt **st = xcalloc((size_t)tables_count, sizeof *st);
    enum err rc = db_begin(db);
    for (size_t k = 0; k < n && rc == ERR_OK; k++) {
        int ti = (int)(rows[k].t - tables_all);
        if (!st[ti])
            st[ti] = raw_prepare(db, rows[k].t);
        if (!st[ti]) {
            rc = ERR_DB;
            break;
        }
        int np = sqlite3_bind_parameter_count(st[ti]);
        for (int p = 0; p < np - 1; p++) {
            const struct rawval *x = &v[k * w + (size_t)p];
            if (x->kind == SQLITE_TEXT)
                sqlite3_bind_text64(st[ti], p + 1, x->s, x->n, SQLITE_STATIC, SQLITE_UTF8);
            else if (x->kind == SQLITE_INTEGER)
                sqlite3_bind_int64(st[ti], p + 1, x->i);
            else
                sqlite3_bind_null(st[ti], p + 1);
        }
        sqlite3_bind_int64(st[ti], np, rows[k].seq);
        if (sqlite3_step(st[ti]) != SQLITE_DONE) {
            fprintf(stderr, "sceaux-benchapply: insert: %s\n", sqlite3_errmsg(db));
            rc = ERR_DB;
        }
        sqlite3_reset(st[ti]);
    }
    for (int t = 0; t < tables_count; t++)
        sqlite3_finalize(st[t]);
    free(st);
    if (rc == ERR_OK)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

static void remove_db(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static int count_rows(struct replica *r, size_t *out)
{
    size_t total = 0;
    for (int t = 0; t < tables_count; t++) {
        if (!tables_replicated(&tables_all[t]))
            continue;
        char *sql = xasprintf("SELECT count(*) FROM \"%s\"", tables_all[t].name);
        sqlite3_stmt *st = NULL;
        int ok = sqlite3_prepare_v2(replica_db(r), sql, -1, &st, NULL) == SQLITE_OK &&
                 sqlite3_step(st) == SQLITE_ROW;
        if (ok)
            total += (size_t)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        free(sql);
        if (!ok)
            return 1;
    }
    *out = total;
    return 0;
}

enum way { WAY_RAW, WAY_ONE, WAY_PAGED, WAY_COUNT };
static const char *const way_name[WAY_COUNT] = {"raw", "one", "paged"};

struct setup {
    const struct prow *rows;
    size_t n;
    const struct rawval *vals;
    size_t w;
    const struct gzpage *one, *paged;
    size_t npaged;
};

/* One timed run of `way` into a new replica at path; *ms its time. */
static int run_once(const struct setup *s, enum way way, const char *path, double *ms)
{
    char err[300];
    struct replica *r = NULL;
    remove_db(path);
    if (replica_open(path, &r, err, sizeof err)) {
        fprintf(stderr, "sceaux-benchapply: cannot open '%s': %s\n", path, err);
        return 1;
    }
    double t0 = (ts_mono_us() / 1e3);
    enum err rc;
    if (way == WAY_RAW)
        rc = raw_insert(replica_db(r), s->rows, s->n, s->vals, s->w);
    else if (way == WAY_ONE)
        rc = apply_pages(r, s->one, 1, s->n);
    else
        rc = apply_pages(r, s->paged, s->npaged, PLAN_PULL_LIMIT);
    *ms = (ts_mono_us() / 1e3) - t0;
    size_t got = 0;
    if (rc == ERR_OK && count_rows(r, &got) == 0 && got != s->n) {
        fprintf(stderr, "sceaux-benchapply: %s left %zu rows, not %zu\n", way_name[way], got, s->n);
        rc = ERR_INVALID;
    }
    if (rc)
        fprintf(stderr, "sceaux-benchapply: %s run failed: %s\n", way_name[way], err_str(rc));
    replica_close(r);
    remove_db(path);
    return rc ? 1 : 0;
}

static void report(const struct setup *s, const double best[WAY_COUNT], size_t runs)
{
    size_t gz_one = s->one[0].gz.len, json_one = s->one[0].json_len, gz_paged = 0;
    for (size_t k = 0; k < s->npaged; k++)
        gz_paged += s->paged[k].gz.len;
    printf("rows=%zu\nruns=%zu\npage_one=%zu\npage_syncd=%d\npages_syncd=%zu\n", s->n, runs, s->n,
           PLAN_PULL_LIMIT, s->npaged);
    printf("json_bytes=%zu\ngzip_bytes=%zu\ngzip_bytes_paged=%zu\n", json_one, gz_one, gz_paged);
    for (int k = 0; k < WAY_COUNT; k++)
        printf("%s_ms=%.1f\n%s_rows_per_s=%.0f\n", way_name[k], best[k], way_name[k],
               (double)s->n / (best[k] / 1e3));
}

int main(int argc, char **argv)
{
    xalloc_init();
    const char *data = NULL, *dir = "/tmp";
    long want = 10000, runs = 5;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("sceaux-benchapply %s\n", SCEAUX_VERSION);
            return 0;
        }
        if (strcmp(argv[i], "--data") == 0 && v) {
            data = argv[++i];
        } else if (strcmp(argv[i], "--dir") == 0 && v) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--rows") == 0 && v && num_parse(v, 1, 1000000, &want)) {
            i++;
        } else if (strcmp(argv[i], "--runs") == 0 && v && num_parse(v, 1, 100, &runs)) {
            i++;
        } else {
            fprintf(stderr, "sceaux-benchapply: bad argument '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (!data) {
        fprintf(stderr, "sceaux-benchapply: --data is required\n%s", usage);
        return 2;
    }
    struct prow *rows = NULL;
    size_t n = 0;
    if (load_rows(data, (size_t)want, &rows, &n))
        return 1;
    struct setup s = {.rows = rows, .n = n};
    struct gzpage *one = NULL, *paged = NULL;
    size_t none = 0;
    int rc = make_pages(rows, n, n, &one, &none);
    if (rc == 0)
        rc = make_pages(rows, n, PLAN_PULL_LIMIT, &paged, &s.npaged);
    s.one = one;
    s.paged = paged;
    struct rawval *vals = extract(rows, n, &s.w);
    s.vals = vals;
    char *path = xasprintf("%s/benchapply-%ld.db", dir, (long)getpid());
    double best[WAY_COUNT] = {0};
    for (long r = 0; r < runs && rc == 0; r++) {
        for (int k = 0; k < WAY_COUNT && rc == 0; k++) {
            double ms = 0;
            rc = run_once(&s, (enum way)k, path, &ms);
            if (r == 0 || ms < best[k])
                best[k] = ms;
        }
    }
    if (rc == 0)
        report(&s, best, (size_t)runs);
    free(path);
    free(vals);
    for (size_t k = 0; k < none; k++)
        buf_release(&one[k].gz);
    for (size_t k = 0; k < s.npaged; k++)
        buf_release(&paged[k].gz);
    free(one);
    free(paged);
    for (size_t k = 0; k < n; k++)
        json_decref(rows[k].row);
    free(rows);
    return rc;
}
