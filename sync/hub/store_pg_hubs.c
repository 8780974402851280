/* store_pg_hubs: what the hubs on one PostgreSQL database share beyond
 * its rows.
 *
 * Hearing commits. Every change of meta (a seq drawn, the horizon raised)
 * notifies PGS_CHANNEL (store_pg.c); PostgreSQL delivers it when, and
 * only if, its transaction commits, to every session listening then.
 * Each hub keeps one more connection that LISTENs, in a thread of its own
 * asleep in poll() on the connection's socket and on a pipe (written to
 * stop it), and on each batch of notifications reads the head and the
 * horizon and tells the watcher (http.c wakes its long-polls). When that
 * connection drops, the thread says so (the watcher reads the head every
 * 500 ms meanwhile), connects again after a back-off (250 ms, doubling up
 * to 8 s), LISTENs, and only then reads the head and tells it: a commit
 * before that read is in it, one after it is notified, so none is missed
 * (sync/hub/README.md).
 *
 * Sweeps. The hub holding a session-level advisory lock (PGS_LOCK_SWEEP)
 * on a connection of its own runs the sweeps; the others find it taken
 * and skip their round, until that hub stops or its connection drops and
 * the next one to try takes it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_pg_int.h"
#include "xalloc.h"

#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 8000

struct pgs_hearing {
    struct store_watcher w;
    const char *url; /* borrowed from the store */
    pthread_t thread;
    int stop[2];           /* a pipe: its read end readable means stop */
    int64_t head, horizon; /* the highest told */
    char why[256];         /* why the last connection ended */
};

/* Waits up to ms (-1: no limit) for fd (-1: none) to be readable or for
 * the stop; true on the stop. */
static bool wait_for(struct pgs_hearing *hr, int fd, int ms)
{
    struct pollfd p[2] = {{.fd = hr->stop[0], .events = POLLIN}, {.fd = fd, .events = POLLIN}};
    int n;
    do
        n = poll(p, fd >= 0 ? 2 : 1, ms);
    while (n < 0 && errno == EINTR);
    return n > 0 && p[0].revents;
}

static void set_why(struct pgs_hearing *hr, PGconn *c, const char *what)
{
    char detail[200];
    snprintf(detail, sizeof detail, "%s", c ? PQerrorMessage(c) : "out of memory");
    detail[strcspn(detail, "\n")] = '\0';
    snprintf(hr->why, sizeof hr->why, "%s: %s", what, detail);
}

/* Tells the watcher, when a value grew: notifications come in commit
 * order, but the read after LISTEN may be ahead of the first ones. */
static void tell(struct pgs_hearing *hr, int64_t head, int64_t horizon)
{
    if (head <= hr->head && horizon <= hr->horizon)
        return;
    hr->head = head > hr->head ? head : hr->head;
    hr->horizon = horizon > hr->horizon ? horizon : hr->horizon;
    hr->w.heard(hr->w.arg, hr->head, hr->horizon);
}

/* Reads the head and the horizon and tells them; false (and hr->why)
 * when the connection cannot. A notification's payload is not read:
 * whoever may write the database may NOTIFY this channel too, and a
 * made-up head would answer every long-poll at once. */
static bool read_head(struct pgs_hearing *hr, PGconn *c)
{
    PGresult *r = PQexec(c, "SELECT head, horizon FROM meta");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok)
        tell(hr, pgs_int(r, 0, 0), pgs_int(r, 0, 1));
    else
        set_why(hr, c, "read the head");
    PQclear(r);
    return ok;
}

/* A new connection that listens, the head read after it did; NULL (and
 * hr->why) when the server cannot be reached. */
static PGconn *listen_again(struct pgs_hearing *hr)
{
    char app[64];
    snprintf(app, sizeof app, "sceaux-hub listen %ld", (long)getpid());
    PGconn *c = pgs_connect(hr->url, app);
    bool ok = c && PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PGresult *r = PQexec(c, "LISTEN " PGS_CHANNEL);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok)
            set_why(hr, c, "listen");
    } else {
        set_why(hr, c, "listen");
    }
    if (ok && !read_head(hr, c))
        ok = false;
    if (!ok)
        PQfinish(c);
    return ok ? c : NULL;
}

/* Reads the head once for the notifications libpq holds (those that came
 * during the LISTEN and the first read included); false when the
 * connection cannot. */
static bool tell_notified(struct pgs_hearing *hr, PGconn *c)
{
    bool any = false;
    PGnotify *n;
    while ((n = PQnotifies(c))) {
        any = any || strcmp(n->relname, PGS_CHANNEL) == 0;
        PQfreemem(n);
    }
    return !any || read_head(hr, c);
}

/* Tells each batch of notifications until the connection drops (false,
 * hr->why says how) or the stop (true). */
static bool hear(struct pgs_hearing *hr, PGconn *c)
{
    for (;;) {
        if (!tell_notified(hr, c))
            return false;
        if (wait_for(hr, PQsocket(c), -1))
            return true;
        if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK) {
            set_why(hr, c, "connection lost");
            return false;
        }
    }
}

static void *hearing_main(void *arg)
{
    struct pgs_hearing *hr = arg;
    int backoff = BACKOFF_FIRST_MS;
    bool told_off = false;
    for (;;) {
        PGconn *c = listen_again(hr);
        if (c) {
            hr->w.listening(hr->w.arg, true, NULL);
            bool stop = hear(hr, c);
            PQfinish(c);
            if (stop)
                break;
            backoff = BACKOFF_FIRST_MS;
            told_off = false;
        }
        if (!told_off)
            hr->w.listening(hr->w.arg, false, hr->why);
        told_off = true;
        if (wait_for(hr, -1, backoff))
            break;
        backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
    }
    return NULL;
}

/* Without a thread (no pipe, no thread: the system's limits) nothing is
 * told, and the watcher reads the head itself. */
void pgs_watch(struct store *base, const struct store_watcher *w)
{
    struct pgs_store *st = pgs(base);
    if (st->hearing)
        return;
    struct pgs_hearing *hr = xcalloc(1, sizeof *hr);
    hr->w = *w;
    hr->url = st->url;
    if (pipe2(hr->stop, O_CLOEXEC) != 0) {
        free(hr);
        return;
    }
    if (pthread_create(&hr->thread, NULL, hearing_main, hr) != 0) {
        close(hr->stop[0]);
        close(hr->stop[1]);
        free(hr);
        return;
    }
    st->hearing = hr;
}

void pgs_unwatch(struct store *base)
{
    struct pgs_store *st = pgs(base);
    struct pgs_hearing *hr = st->hearing;
    if (!hr)
        return;
    ssize_t n;
    do
        n = write(hr->stop[1], "x", 1);
    while (n < 0 && errno == EINTR);
    pthread_join(hr->thread, NULL);
    close(hr->stop[0]);
    close(hr->stop[1]);
    free(hr);
    st->hearing = NULL;
}

/* ---- sweeps, one hub at a time -------------------------------------------------- */

void pgs_hubs_init(struct pgs_store *st)
{
    pthread_mutex_init(&st->sweep_lock, NULL);
}

void pgs_hubs_release(struct pgs_store *st)
{
    pgs_unwatch(&st->base);
    /* The lock would go with the session, but the server ends it a moment
     * after this process: a hub started again at once (a restart) finds
     * it free for the sweep of its start. */
    if (st->sweeping)
        PQclear(PQexec(st->sweep_conn, "SELECT pg_advisory_unlock(" PGS_LOCK_SWEEP ")"));
    PQfinish(st->sweep_conn);
    pthread_mutex_destroy(&st->sweep_lock);
}

/* Takes the sweep lock unless this hub holds it; a connection found
 * dropped has lost it (another hub may have it now). */
static enum err take_turn(struct pgs_store *st)
{
    if (st->sweep_conn && pgs_dropped(st->sweep_conn)) {
        PQfinish(st->sweep_conn);
        st->sweep_conn = NULL;
        st->sweeping = false;
    }
    if (st->sweeping)
        return ERR_OK;
    if (!st->sweep_conn) {
        char app[64];
        snprintf(app, sizeof app, "sceaux-hub sweeps %ld", (long)getpid());
        st->sweep_conn = pgs_connect(st->url, app);
    }
    if (!st->sweep_conn || PQstatus(st->sweep_conn) != CONNECTION_OK)
        return pgs_fail(ERR_NET, "connect", "%s",
                        st->sweep_conn ? PQerrorMessage(st->sweep_conn) : "out of memory");
    PGresult *r;
    enum err rc = pgs_exec(st->sweep_conn, &r, "SELECT pg_try_advisory_lock(" PGS_LOCK_SWEEP ")",
                           "take the sweep lock", "");
    if (rc == ERR_OK) {
        st->sweeping = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        PQclear(r);
    }
    return rc;
}

enum err pgs_sweep_turn(struct store *base, bool *mine)
{
    struct pgs_store *st = pgs(base);
    pthread_mutex_lock(&st->sweep_lock);
    enum err rc = take_turn(st);
    *mine = rc == ERR_OK && st->sweeping;
    pthread_mutex_unlock(&st->sweep_lock);
    return rc;
}
