/* run: the puller and pusher loops, and --once (see run.h for the design).
 * Start with run_daemon(). */
#include "run.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "backoff.h"
#include "id.h"
#include "log.h"
#include "notify.h"
#include "piccache.h"
#include "plan.h"
#include "pull.h"
#include "push.h"
#include "replica.h"
#include "state.h"
#include "ts.h"

#define ONCE_MAX_RESETS 3 /* a hub that keeps resetting us is answering badly */

/* What the two threads share: a generation bumped on every success, so a
 * thread waiting out its back-off learns the hub is back; the replica's
 * fault, which both send with their requests (net.h) so that the operator
 * sees it in the fleet. */
struct shared {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned long hub_ok;
    atomic_int fault; /* enum fault: set by a round that met it, cleared by one that wrote */
};

struct worker {
    const char *name; /* "push" or "pull", for messages */
    const struct run_conf *c;
    struct shared *sh;
    struct replica *rep;
    struct net net;
    struct pull_ahead ahead; /* the puller's second connection */
    bool has_ahead;
    struct backoff bo;
    unsigned long seen; /* sh->hub_ok when last looked at */
    bool hub_away;      /* the last failure was the network, not an answer */
};

static void shared_wait(struct shared *sh, int64_t ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&sh->mu);
    pthread_cond_timedwait(&sh->cv, &sh->mu, &t);
    pthread_mutex_unlock(&sh->mu);
}

static unsigned long shared_gen(struct shared *sh)
{
    pthread_mutex_lock(&sh->mu);
    unsigned long g = sh->hub_ok;
    pthread_mutex_unlock(&sh->mu);
    return g;
}

/* A round that succeeded wrote the replica (a page and its cursor, push
 * results): whatever fault there was is gone. */
static void succeeded(struct worker *w)
{
    atomic_store(&w->sh->fault, FAULT_NONE);
    state_ok(w->rep, ts_now());
    backoff_ok(&w->bo);
    w->hub_away = false;
    pthread_mutex_lock(&w->sh->mu);
    w->seen = ++w->sh->hub_ok;
    pthread_cond_broadcast(&w->sh->cv);
    pthread_mutex_unlock(&w->sh->mu);
}

/* A failed round: the worker's next one waits (back-off with jitter). */
static void retry_later(struct worker *w, enum err rc, const char *why)
{
    uint32_t rnd = 0;
    if (id_random(&rnd, sizeof rnd))
        rnd = (uint32_t)ts_mono_ms(); /* only the back-off's jitter */
    int64_t wait = backoff_fail(&w->bo, ts_mono_ms(), rnd);
    w->hub_away = rc == ERR_NET;
    log_error("%s failed: %s; retrying in %.1f s", w->name, why, (double)wait / 1000);
}

/* A failed push or pull, also told in the replica's sync state. fault:
 * what the round met writing the replica; FAULT_NONE (a network failure,
 * a bad answer) leaves the one known as it was. */
static void failed(struct worker *w, enum err rc, const char *why, enum fault fault)
{
    if (fault != FAULT_NONE)
        atomic_store(&w->sh->fault, fault);
    state_fail(w->rep, ts_now(), why, fault);
    retry_later(w, rc, why);
}

/* True while the worker must keep waiting (it then waited a slice). */
static bool backing_off(struct worker *w)
{
    int64_t rem = backoff_remaining(&w->bo, ts_mono_ms());
    if (rem == 0)
        return false;
    unsigned long g = shared_gen(w->sh);
    if (g != w->seen && w->hub_away) {
        w->seen = g;
        backoff_ok(&w->bo);
        return false;
    }
    shared_wait(w->sh, rem < RUN_POLL_MS ? rem : RUN_POLL_MS);
    return true;
}

static int64_t data_version(struct replica *r)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(replica_db(r), "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Whether a round is due: the replica changed since the last one (another
 * connection, such as the kiosk's or the puller's, committed) or work is
 * pending; otherwise waits a slice and says no. */
static bool round_due(struct worker *w, int64_t *last_dv, bool pending)
{
    int64_t dv = data_version(w->rep);
    if (!pending && dv == *last_dv) {
        shared_wait(w->sh, RUN_POLL_MS);
        return false;
    }
    *last_dv = dv;
    return true;
}

static void log_push(const struct push_stats *st)
{
    if (st->duplicate)
        log_info("pushed %zu changes: %zu applied, %zu rejected (%zu already seen: resent after "
                 "a crash or a lost answer), %" PRId64 " left",
                 st->sent, st->applied, st->rejected, st->duplicate, st->left);
    else if (st->sent || st->rejected)
        log_info("pushed %zu changes: %zu applied, %zu rejected, %" PRId64 " left", st->sent,
                 st->applied, st->rejected, st->left);
}

static void log_pull(const struct pull_stats *st)
{
    if (st->reset)
        log_info("hub has a new epoch or reset us: replica dropped, pulling from 0");
    else if (st->applied)
        log_info("applied %zu changes, cursor %" PRId64, st->applied, st->cursor);
}

static void *pusher(void *arg)
{
    struct worker *w = arg;
    atomic_int *stop = w->c->stop;
    int64_t last_dv = -1;
    bool pending = true;
    while (!*stop) {
        /* This loop turns every RUN_POLL_MS: systemd's watchdog hears it. */
        notify_watchdog();
        if (backing_off(w) || !round_due(w, &last_dv, pending))
            continue;
        struct push_stats st;
        char why[300];
        enum err rc = push_round(w->rep, &w->net, &st, why, sizeof why);
        if (rc && *stop)
            break;
        if (rc) {
            failed(w, rc, why, st.fault);
            pending = true;
            continue;
        }
        log_push(&st);
        if (st.sent)
            succeeded(w);
        pending = st.left > 0;
    }
    return NULL;
}

static void log_pictures(const struct piccache_stats *st)
{
    if (st->fetched || st->evicted || st->no_room)
        log_info("pictures: %zu fetched, %zu removed to stay under the cap, %zu left out (no "
                 "room under the cap)",
                 st->fetched, st->evicted, st->no_room);
}

/* Pictures after rows: a round whenever the replica changed (a pull
 * applied rows) or the last round failed, with its own back-off. Its
 * failures are not the kiosk's connection: the status bar is left to
 * the pull and the push. */
static void *picturer(void *arg)
{
    struct worker *w = arg;
    atomic_int *stop = w->c->stop;
    int64_t last_dv = -1;
    bool pending = true;
    while (!*stop) {
        if (backing_off(w) || !round_due(w, &last_dv, pending))
            continue;
        struct piccache_stats st;
        char why[300];
        enum err rc = piccache_round(w->rep, &w->net, w->c->pictures_dir, w->c->pictures_max, stop,
                                     &st, why, sizeof why);
        log_pictures(&st);
        pending = rc != ERR_OK;
        if (rc && !*stop) {
            retry_later(w, rc, why);
        } else if (rc == ERR_OK) {
            backoff_ok(&w->bo);
        }
    }
    return NULL;
}

static void puller(struct worker *w)
{
    atomic_int *stop = w->c->stop;
    bool more = true; /* catch up at once on start */
    int limit = PLAN_PULL_LIMIT;
    while (!*stop) {
        if (backing_off(w))
            continue;
        struct pull_stats st;
        char why[300];
        enum err rc = pull_round(w->rep, &w->net, &w->ahead, limit, more ? 0 : RUN_WAIT, &st, why,
                                 sizeof why);
        if (rc && *stop)
            break;
        int asked = limit;
        limit = plan_pull_limit(limit, rc == ERR_TOO_BIG, rc == ERR_OK && !st.more);
        if (rc == ERR_TOO_BIG && asked > 1) {
            log_error("pull failed: %s; asking for %d changes a page", why, limit);
            continue; /* not the hub being away: no back-off */
        }
        if (rc) {
            failed(w, rc, why, st.fault);
            more = true;
            continue;
        }
        log_pull(&st);
        succeeded(w);
        more = st.more;
    }
}

static enum err worker_open(struct worker *w, const char *name, const struct run_conf *c,
                            struct shared *sh, bool pulls)
{
    memset(w, 0, sizeof *w);
    w->name = name;
    w->c = c;
    w->sh = sh;
    backoff_init(&w->bo);
    char msg[256] = "";
    enum err rc = replica_open(c->db_path, &w->rep, msg, sizeof msg);
    if (rc) {
        log_error("cannot open '%s': %s", c->db_path, msg);
        return rc;
    }
    rc = net_open(&w->net, &c->http, &sh->fault);
    if (rc == ERR_OK && pulls) {
        rc = pull_ahead_open(&w->ahead, &c->http, &sh->fault);
        w->has_ahead = rc == ERR_OK;
    }
    if (rc)
        log_error("cannot start libcurl");
    return rc;
}

static void worker_close(struct worker *w)
{
    if (w->has_ahead)
        pull_ahead_close(&w->ahead);
    net_close(&w->net);
    replica_close(w->rep);
    w->rep = NULL;
}

int run_daemon(const struct run_conf *c)
{
    struct shared sh = {.hub_ok = 0};
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&sh.mu, NULL);
    pthread_cond_init(&sh.cv, &ca);
    pthread_condattr_destroy(&ca);

    struct worker pull = {0}, push = {0}, pics = {0};
    int code = 1;
    /* The puller's open creates the schema before the others' run. */
    if (worker_open(&pull, "pull", c, &sh, true) == ERR_OK &&
        worker_open(&push, "push", c, &sh, false) == ERR_OK &&
        worker_open(&pics, "pictures", c, &sh, false) == ERR_OK) {
        pthread_t t, tp;
        bool pushing = pthread_create(&t, NULL, pusher, &push) == 0;
        bool picturing = pushing && pthread_create(&tp, NULL, picturer, &pics) == 0;
        if (picturing) {
            log_info("serving '%s' from %s", c->db_path, c->http.base_url);
            notify_ready();
            puller(&pull);
            notify_stopping();
            log_info("stopped");
            code = 0;
        } else {
            log_error("cannot start the push and picture threads");
            *c->stop = 1;
        }
        if (pushing)
            pthread_join(t, NULL);
        if (picturing)
            pthread_join(tp, NULL);
    }
    worker_close(&pics);
    worker_close(&push);
    worker_close(&pull);
    pthread_cond_destroy(&sh.cv);
    pthread_mutex_destroy(&sh.mu);
    return code;
}

static int once_fail(struct worker *w, const char *what, const char *why, enum fault fault)
{
    if (*w->c->stop)
        return 0;
    state_fail(w->rep, ts_now(), why, fault);
    log_error("%s failed: %s", what, why);
    return 1;
}

static int once(struct worker *w)
{
    char why[300];
    atomic_int *stop = w->c->stop;
    for (;;) {
        if (*stop)
            return 0;
        struct push_stats st;
        if (push_round(w->rep, &w->net, &st, why, sizeof why))
            return once_fail(w, "push", why, st.fault);
        log_push(&st);
        if (st.left == 0 || (st.sent == 0 && st.rejected == 0))
            break;
    }
    int resets = 0, limit = PLAN_PULL_LIMIT;
    for (;;) {
        if (*stop)
            return 0;
        struct pull_stats st;
        enum err rc = pull_round(w->rep, &w->net, &w->ahead, limit, 0, &st, why, sizeof why);
        if (rc == ERR_TOO_BIG && limit > 1) {
            limit = plan_pull_limit(limit, true, false);
            continue;
        }
        if (rc)
            return once_fail(w, "pull", why, st.fault);
        log_pull(&st);
        if (st.reset && ++resets > ONCE_MAX_RESETS)
            return once_fail(w, "pull", "hub keeps resetting the replica", FAULT_NONE);
        if (!st.more)
            break;
    }
    state_ok(w->rep, ts_now());
    struct piccache_stats pst;
    if (piccache_round(w->rep, &w->net, w->c->pictures_dir, w->c->pictures_max, stop, &pst, why,
                       sizeof why))
        return once_fail(w, "pictures", why, FAULT_NONE);
    log_pictures(&pst);
    return 0;
}

int run_once(const struct run_conf *c)
{
    struct shared sh = {.hub_ok = 0};
    struct worker w;
    int code = 1;
    if (worker_open(&w, "once", c, &sh, true) == ERR_OK)
        code = once(&w);
    worker_close(&w);
    return code;
}
