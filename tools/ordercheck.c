/* sceaux-ordercheck: proves that no reader ever misses a change because
 * of the order in which concurrent writers commit (docs/protocol.md: a
 * cursor passed is never looked at again), against one hub or several on
 * one database (sync/hub/README.md, "Several hubs on PostgreSQL").
 *
 *   sceaux-ordercheck --hub URL [--hub URL ...] --token STAFF
 *                     [--pushers N] [--readers N] [--changes N]
 *
 * Pushers (threads, each on its own connection, spread over the hubs)
 * each push --changes new announcements, one per request, and keep the
 * seq the hub gave each. Readers pull /v1/changes from their cursor the
 * whole time, from a different hub at every page (a kiosk that moves
 * between hubs), and check that the changes of a page come above their
 * cursor in ascending order. Once the pushers are done, each reader
 * catches up to the highest seq given; then every seq a pusher was given
 * must have reached every reader. A hub that let seq 11 commit and be
 * read before seq 10 committed fails this: a reader whose cursor passed
 * 10 never receives it. Nobody else may write during a run: the rows
 * pushed are only ever created, so each seq names one change for good.
 *
 * Also times the run for bench/multi.sh: pushes answered per second while
 * the readers pull, and pages read per second.
 *
 * Prints key=value lines; exits 1 when a change was skipped, came twice
 * or below a cursor, a seq was given to two changes (out_of_order counts
 * these too), or a request failed. */
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "xalloc.h"
#include "ts.h"
#include "num.h"

#define HUBS_MAX 8
#define THREADS_MAX 64
#define SEQ_MAX (1L << 21) /* the highest seq a run may see */

static const char usage[] = "usage: sceaux-ordercheck --hub URL [--hub URL ...] --token STAFF\n"
                            "                         [--pushers N] [--readers N] [--changes N]\n";

struct opts {
    const char *hubs[HUBS_MAX];
    struct http_opts http[HUBS_MAX]; /* borrowed by the clients: live as long */
    int nhubs;
    const char *token;
    long pushers, readers, changes;
};

struct pusher {
    const struct opts *o;
    int index;
    long *seqs; /* the seq each of its changes was given */
    long done;
    bool failed;
};

struct reader {
    const struct opts *o;
    int index;
    unsigned char *seen; /* by seq */
    long cursor, pages, anomalies;
    bool failed;
};

static atomic_int pushing;  /* pushers still running */
static atomic_long top_seq; /* the highest seq given to a pusher */

static struct http *client(const struct opts *o, int hub)
{
    return http_new(&o->http[hub % o->nhubs]);
}

/* One POST /v1/push of one new announcement; its seq, or -1. */
static long push_one(struct http *h, int pusher, long k)
{
    char body[768];
    int n = snprintf(body, sizeof body,
                     "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"oc-%ld-%d-%ld\","
                     "\"table\":\"announcement\",\"op\":\"upsert\",\"row\":{\"id\":"
                     "\"oc-%ld-%d-%ld\",\"title\":\"Ordre\",\"body\":\"Essai d'ordre\","
                     "\"priority\":\"info\",\"starts_at\":\"2026-01-01T00:00:00Z\","
                     "\"ends_at\":\"2036-01-01T00:00:00Z\",\"target\":\"all\"}}]}",
                     (long)getpid(), pusher, k, (long)getpid(), pusher, k);
    struct http_request rq = {
        .method = "POST", .path = "/v1/push", .body = body, .body_len = (size_t)n, .outbox = -1};
    struct http_response rs;
    long seq = -1;
    if (http_request(h, &rq, &rs) == ERR_OK && rs.status == 200) {
        json_t *j = json_loadb(rs.body.data, rs.body.len, 0, NULL);
        json_t *r = json_array_get(json_object_get(j, "results"), 0);
        if (json_is_string(json_object_get(r, "status")) &&
            strcmp(json_string_value(json_object_get(r, "status")), "applied") == 0)
            seq = (long)json_integer_value(json_object_get(r, "seq"));
        json_decref(j);
    }
    if (seq < 1 || seq > SEQ_MAX)
        fprintf(stderr, "sceaux-ordercheck: push %d/%ld failed: %ld %s%.*s\n", pusher, k, rs.status,
                rs.error, (int)rs.body.len, rs.body.data ? rs.body.data : "");
    http_response_release(&rs);
    return seq >= 1 && seq <= SEQ_MAX ? seq : -1;
}

static void *push_run(void *arg)
{
    struct pusher *p = arg;
    struct http *h = client(p->o, p->index);
    for (long k = 0; h && k < p->o->changes; k++) {
        long seq = push_one(h, p->index, k);
        if (seq < 0) {
            p->failed = true;
            break;
        }
        p->seqs[p->done++] = seq;
        long top = atomic_load(&top_seq);
        while (seq > top && !atomic_compare_exchange_weak(&top_seq, &top, seq))
            ;
    }
    p->failed = p->failed || !h;
    http_free(h);
    atomic_fetch_sub(&pushing, 1);
    return NULL;
}

/* Takes one page's changes into r; *more says whether the hub has more. */
static void take_page(struct reader *r, json_t *page, bool *more)
{
    size_t i;
    json_t *c;
    long last = r->cursor;
    json_array_foreach(json_object_get(page, "changes"), i, c)
    {
        long seq = (long)json_integer_value(json_object_get(c, "seq"));
        if (seq <= last || seq > SEQ_MAX || r->seen[seq]) {
            fprintf(stderr, "sceaux-ordercheck: reader %d: seq %ld after %ld (cursor %ld)\n",
                    r->index, seq, last, r->cursor);
            r->anomalies++;
        }
        if (seq > 0 && seq <= SEQ_MAX)
            r->seen[seq] = 1;
        last = seq > last ? seq : last;
    }
    json_t *next = json_object_get(page, "next");
    r->cursor = json_is_integer(next) ? (long)json_integer_value(next) : last;
    *more = json_is_true(json_object_get(page, "more"));
    if (json_is_true(json_object_get(page, "reset"))) {
        fprintf(stderr, "sceaux-ordercheck: reader %d: reset at %ld\n", r->index, r->cursor);
        r->anomalies++;
    }
}

/* One GET /v1/changes from r's cursor on hub `hub`; false on failure. */
static bool pull_one(struct reader *r, struct http **h, int hub, bool *more)
{
    char path[64];
    snprintf(path, sizeof path, "/v1/changes?since=%ld", r->cursor);
    struct http_request rq = {.method = "GET", .path = path, .outbox = -1};
    struct http_response rs;
    bool ok = http_request(h[hub], &rq, &rs) == ERR_OK && rs.status == 200;
    json_t *page = ok ? json_loadb(rs.body.data, rs.body.len, 0, NULL) : NULL;
    if (page)
        take_page(r, page, more);
    else
        fprintf(stderr, "sceaux-ordercheck: reader %d: pull failed: %ld %s\n", r->index, rs.status,
                rs.error);
    json_decref(page);
    http_response_release(&rs);
    r->pages++;
    return page != NULL;
}

static void *read_run(void *arg)
{
    struct reader *r = arg;
    struct http *h[HUBS_MAX] = {0};
    for (int i = 0; i < r->o->nhubs; i++)
        if (!(h[i] = client(r->o, i)))
            r->failed = true;
    bool more = false;
    for (long k = r->index; !r->failed; k++) {
        /* Read before looking at the pushers: a page read after the last
         * push ended and that says no more has seen everything. */
        bool done = atomic_load(&pushing) == 0;
        if (!pull_one(r, h, (int)(k % r->o->nhubs), &more))
            r->failed = true;
        else if (done && !more && r->cursor >= atomic_load(&top_seq))
            break;
    }
    for (int i = 0; i < r->o->nhubs; i++)
        http_free(h[i]);
    return NULL;
}

/* Every seq given to a pusher reached every reader; the count missed. */
static long missed(struct pusher *p, long np, struct reader *r, long nr)
{
    long n = 0;
    for (long i = 0; i < np; i++)
        for (long k = 0; k < p[i].done; k++)
            for (long j = 0; j < nr; j++)
                if (!r[j].seen[p[i].seqs[k]]) {
                    if (n++ < 10)
                        fprintf(stderr, "sceaux-ordercheck: reader %ld never got seq %ld\n", j,
                                p[i].seqs[k]);
                }
    return n;
}

/* Seqs the hubs gave to two pushes: two hubs numbering on their own
 * give the same seqs, which readers hopping between them cannot always
 * tell (each seq then reaches them from one hub or the other). */
static long given_twice(const struct pusher *p, long np)
{
    unsigned char *given = xcalloc(SEQ_MAX + 1, 1);
    long n = 0;
    for (long i = 0; i < np; i++)
        for (long k = 0; k < p[i].done; k++)
            if (given[p[i].seqs[k]]++ && n++ < 10)
                fprintf(stderr, "sceaux-ordercheck: seq %ld was given twice\n", p[i].seqs[k]);
    free(given);
    return n;
}

static int run(const struct opts *o)
{
    struct pusher *p = xcalloc((size_t)o->pushers, sizeof *p);
    struct reader *r = xcalloc((size_t)o->readers, sizeof *r);
    pthread_t tp[THREADS_MAX], tr[THREADS_MAX];
    atomic_store(&pushing, (int)o->pushers);
    for (long j = 0; j < o->readers; j++) {
        r[j] = (struct reader){o, (int)j, xcalloc(SEQ_MAX + 1, 1), 0, 0, 0, false};
        pthread_create(&tr[j], NULL, read_run, &r[j]);
    }
    double t0 = (ts_mono_us() / 1e3);
    for (long i = 0; i < o->pushers; i++) {
        p[i] = (struct pusher){o, (int)i, xcalloc((size_t)o->changes, sizeof(long)), 0, false};
        pthread_create(&tp[i], NULL, push_run, &p[i]);
    }
    long pushed = 0, pages = 0, anomalies = 0;
    int failed = 0;
    for (long i = 0; i < o->pushers; i++) {
        pthread_join(tp[i], NULL);
        pushed += p[i].done;
        failed += p[i].failed;
    }
    double push_ms = (ts_mono_us() / 1e3) - t0;
    for (long j = 0; j < o->readers; j++) {
        pthread_join(tr[j], NULL);
        pages += r[j].pages;
        anomalies += r[j].anomalies;
        failed += r[j].failed;
    }
    long miss = missed(p, o->pushers, r, o->readers);
    anomalies += given_twice(p, o->pushers);
    double all_ms = (ts_mono_us() / 1e3) - t0;
    printf("hubs=%d pushers=%ld readers=%ld pushed=%ld top_seq=%ld pages=%ld missed=%ld "
           "out_of_order=%ld failed=%d pushes_per_s=%.0f pages_per_s=%.0f\n",
           o->nhubs, o->pushers, o->readers, pushed, atomic_load(&top_seq), pages, miss, anomalies,
           failed, pushed * 1000.0 / push_ms, pages * 1000.0 / all_ms);
    for (long i = 0; i < o->pushers; i++)
        free(p[i].seqs);
    for (long j = 0; j < o->readers; j++)
        free(r[j].seen);
    free(p);
    free(r);
    return miss || anomalies || failed ? 1 : 0;
}

static bool parse_opts(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){.pushers = 8, .readers = 4, .changes = 200};
    for (int i = 1; i < argc; i += 2) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = v != NULL;
        char why[256] = "";
        if (ok && strcmp(k, "--hub") == 0) {
            ok = o->nhubs < HUBS_MAX && http_url_check(v, false, why, sizeof why) == ERR_OK;
            if (ok)
                o->hubs[o->nhubs++] = v;
        } else if (ok && strcmp(k, "--token") == 0)
            o->token = v;
        else if (ok && strcmp(k, "--pushers") == 0)
            ok = v && num_parse(v, 1, THREADS_MAX, &o->pushers);
        else if (ok && strcmp(k, "--readers") == 0)
            ok = v && num_parse(v, 1, THREADS_MAX, &o->readers);
        else if (ok && strcmp(k, "--changes") == 0)
            ok = v && num_parse(v, 1, SEQ_MAX / 2, &o->changes);
        else
            ok = false;
        if (!ok) {
            fprintf(stderr, "sceaux-ordercheck: bad option '%s' %s\n%s", k, why, usage);
            return false;
        }
    }
    if (!o->nhubs || !o->token || o->pushers * o->changes > SEQ_MAX / 2) {
        fputs(usage, stderr);
        return false;
    }
    for (int i = 0; i < o->nhubs; i++)
        o->http[i] = (struct http_opts){.base_url = o->hubs[i], .token = o->token};
    return true;
}

int main(int argc, char **argv)
{
    struct opts o;
    if (!parse_opts(argc, argv, &o) || http_global_init())
        return 2;
    xalloc_init();
    int rc = run(&o);
    http_global_cleanup();
    return rc;
}
