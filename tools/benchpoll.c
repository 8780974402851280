/* sceaux-benchpoll: the "hub long-polls held at once" figure of docs/architecture.md
 * (run by bench/longpoll.sh).
 *
 *   sceaux-benchpoll --port P --token KIOSK --staff-token STAFF
 *                    [--conns N] [--wait S] [--hub-pid PID] [--settle-ms MS]
 *                    [--rounds R]
 *
 * 1. Baseline: one push of an announcement (POST /v1/push, staff token)
 *    with nobody waiting; its round trip is push_alone_ms.
 * 2. Reads the head (GET /v1/health), then opens N keep-alive connections
 *    with non-blocking sockets and epoll (at most 64 connects in flight,
 *    so the listen backlog never drops SYNs) and sends each
 *    GET /v1/changes?since=HEAD&wait=S.
 * 3. Waits until the hub holds them all: with --hub-pid, until the hub has
 *    N more descriptors than when idle and its VmRSS has not moved for
 *    settle-ms; without it, settle-ms after the last request went out. A
 *    bench may wait like this; a test may not. Any answer before the push
 *    counts as `early` (the hub refused or dropped a waiter).
 * 4. Pushes one more announcement and times, from just before the push
 *    connects, each waiter's complete answer: first_answer_ms and
 *    last_answer_ms.
 * 5. With --rounds R, steps 2 to 4 again, R times in all against the same
 *    hub, each round once the hub has closed the previous one's connections
 *    (with --hub-pid: its descriptors back to idle, a few files aside;
 *    else the next round's could pass the hub's share for one address):
 *    held_rss_kb_rounds lists its VmRSS holding the waiters in each
 *    round, max_held_rss_kb the largest (memory a hub does not give back
 *    shows as growth from round to round); the other figures are round
 *    1's.
 * Prints key=value lines; exits 1 when the run itself failed (hub gone,
 * push refused, a waiter never answered within 30 s). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"
#include "ts.h"
#include "num.h"

#define HEAD_MAX 8192 /* bytes of response headers kept per waiter */
#define CONNECTS_INFLIGHT 64
#define ANSWER_TIMEOUT_MS 30000.0
#define SETTLE_CAP_MS 120000.0

static const char usage[] =
    "usage: sceaux-benchpoll --port P --token KIOSK --staff-token STAFF\n"
    "                        [--conns N] [--wait S] [--hub-pid PID] [--settle-ms MS]\n"
    "                        [--rounds R]\n";

enum cstate { C_IDLE, C_CONNECTING, C_SENDING, C_WAITING, C_DONE, C_FAILED };

struct conn {
    int fd;
    enum cstate state;
    size_t sent;
    char head[HEAD_MAX];
    size_t hlen;       /* bytes in head (headers, then the start of the body) */
    long body_need;    /* Content-Length, -1 unknown */
    size_t body_got;   /* body bytes past the headers */
    size_t header_end; /* offset of the body in head, 0 until found */
    bool chunked;
    char tail[5]; /* last bytes seen, for a chunked terminator */
    int status;
    double done_ms;
};

struct opts {
    int port;
    const char *token, *staff;
    size_t conns;
    int wait;
    long hub_pid;
    double settle_ms;
    int rounds;
};

/* ---- the hub process, seen from /proc ------------------------------------ */

static long hub_rss_kb(long pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static long hub_fds(long pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    long n = 0;
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

/* ---- one blocking exchange (push, health) -------------------------------- */

static int connect_blocking(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads to EOF (the request said Connection: close) into out (NUL-ended);
 * returns the HTTP status, or -1. */
static int read_answer(int fd, char *out, size_t max)
{
    size_t len = 0;
    for (;;) {
        ssize_t r = recv(fd, out + len, max - 1 - len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
        if (len == max - 1)
            break;
    }
    out[len] = '\0';
    int status = -1;
    if (len > 12 && strncmp(out, "HTTP/1.", 7) == 0)
        status = (int)strtol(out + 9, NULL, 10);
    return status;
}

static int request(int port, const char *req, char *out, size_t max)
{
    int fd = connect_blocking(port);
    if (fd < 0)
        return -1;
    int status = send_all(fd, req, strlen(req)) ? -1 : read_answer(fd, out, max);
    close(fd);
    return status;
}

static char *push_request(const struct opts *o, int k)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"format\":\"sceaux/1\",\"changes\":[{\"id\":\"benchpoll-%ld-%d\","
             "\"table\":\"announcement\",\"op\":\"upsert\",\"row\":{\"id\":\"benchpoll-%ld-%d\","
             "\"title\":\"Banc d'essai\",\"body\":\"Long-poll bench\",\"priority\":\"info\","
             "\"starts_at\":\"2026-01-01T00:00:00Z\",\"ends_at\":\"2036-01-01T00:00:00Z\","
             "\"target\":\"all\"}}]}",
             (long)getpid(), k, (long)getpid(), k);
    return xasprintf("POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     o->port, o->staff, strlen(body), body);
}

/* The push's answer must be 200 with the change applied. */
static int push_check(int status, const char *answer)
{
    if (status != 200 || !strstr(answer, "\"applied\"")) {
        const char *body = strstr(answer, "\r\n\r\n");
        fprintf(stderr, "sceaux-benchpoll: push answered %d %s\n", status, body ? body + 4 : "");
        return 1;
    }
    return 0;
}

static long head_seq(const struct opts *o)
{
    char req[256], out[4096];
    snprintf(req, sizeof req,
             "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", o->port);
    if (request(o->port, req, out, sizeof out) != 200)
        return -1;
    const char *p = strstr(out, "\"seq\":");
    return p ? strtol(p + 6, NULL, 10) : -1;
}

/* ---- the waiters ---------------------------------------------------------- */

struct fleet {
    struct conn *c;
    size_t n, opened, connecting, waiting, done, early, failed;
    int ep;
    int port;
    char *req;
    size_t req_len;
    bool pushed;
};

static void conn_fail(struct fleet *f, struct conn *c)
{
    if (c->state == C_CONNECTING)
        f->connecting--;
    if (c->state == C_WAITING)
        f->waiting--;
    c->state = C_FAILED;
    f->failed++;
    if (!f->pushed)
        f->early++;
    close(c->fd);
    c->fd = -1;
}

static void conn_open(struct fleet *f, size_t i)
{
    struct conn *c = &f->c[i];
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    c->body_need = -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)f->port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->state = C_CONNECTING;
    f->connecting++;
    f->opened++;
    if (c->fd < 0) {
        conn_fail(f, c);
        return;
    }
    int rc = connect(c->fd, (struct sockaddr *)&sa, sizeof sa);
    if (rc && errno != EINPROGRESS) {
        conn_fail(f, c);
        return;
    }
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u64 = i};
    epoll_ctl(f->ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static void conn_send(struct fleet *f, struct conn *c, size_t i)
{
    if (c->state == C_CONNECTING) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            conn_fail(f, c);
            return;
        }
        f->connecting--;
        c->state = C_SENDING;
    }
    while (c->sent < f->req_len) {
        ssize_t w = send(c->fd, f->req + c->sent, f->req_len - c->sent, MSG_NOSIGNAL);
        if (w < 0 && errno == EAGAIN)
            return;
        if (w <= 0) {
            conn_fail(f, c);
            return;
        }
        c->sent += (size_t)w;
    }
    c->state = C_WAITING;
    f->waiting++;
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = i};
    epoll_ctl(f->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void parse_head(struct conn *c)
{
    char *end = memmem(c->head, c->hlen, "\r\n\r\n", 4);
    if (!end)
        return;
    c->header_end = (size_t)(end - c->head) + 4;
    c->body_got = c->hlen - c->header_end;
    c->status = strncmp(c->head, "HTTP/1.", 7) == 0 ? (int)strtol(c->head + 9, NULL, 10) : -1;
    for (char *p = c->head; p < end; p = strstr(p, "\r\n") + 2) {
        if (strncasecmp(p, "content-length:", 15) == 0)
            c->body_need = strtol(p + 15, NULL, 10);
        if (strncasecmp(p, "transfer-encoding:", 18) == 0 && strstr(p, "chunked") < end)
            c->chunked = true;
        if (!strstr(p, "\r\n"))
            break;
    }
}

static bool answer_complete(const struct conn *c)
{
    if (!c->header_end)
        return false;
    if (c->body_need >= 0)
        return c->body_got >= (size_t)c->body_need;
    return c->chunked && memcmp(c->tail, "0\r\n\r\n", 5) == 0;
}

static void keep_tail(struct conn *c, const char *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        memmove(c->tail, c->tail + 1, 4);
        c->tail[4] = p[k];
    }
}

static void conn_read(struct fleet *f, struct conn *c)
{
    char tmp[16384];
    for (;;) {
        ssize_t r = recv(c->fd, tmp, sizeof tmp, 0);
        if (r < 0 && errno == EAGAIN)
            return;
        if (r <= 0) { /* closed before a whole answer */
            conn_fail(f, c);
            return;
        }
        keep_tail(c, tmp, (size_t)r);
        if (!c->header_end) {
            size_t room = HEAD_MAX - c->hlen, take = (size_t)r < room ? (size_t)r : room;
            memcpy(c->head + c->hlen, tmp, take);
            c->hlen += take;
            parse_head(c);
            if (c->header_end)
                c->body_got += (size_t)r - take;
            else if (c->hlen == HEAD_MAX) {
                conn_fail(f, c);
                return;
            }
        } else {
            c->body_got += (size_t)r;
        }
        if (answer_complete(c)) {
            c->done_ms = (ts_mono_us() / 1e3);
            c->state = C_DONE;
            f->waiting--;
            f->done++;
            if (!f->pushed)
                f->early++;
            return;
        }
    }
}

static void fleet_event(struct fleet *f, const struct epoll_event *ev)
{
    size_t i = (size_t)ev->data.u64;
    struct conn *c = &f->c[i];
    if (c->state == C_CONNECTING || c->state == C_SENDING) {
        if (ev->events & (EPOLLERR | EPOLLHUP)) {
            conn_fail(f, c);
            return;
        }
        conn_send(f, c, i);
        if (c->state != C_WAITING)
            return;
    }
    if (c->state == C_WAITING && (ev->events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
        conn_read(f, c);
}

/* Opens what the pacing allows and handles what epoll reports, for up to
 * timeout_ms. */
static void fleet_step(struct fleet *f, int timeout_ms)
{
    while (f->opened < f->n && f->connecting < CONNECTS_INFLIGHT)
        conn_open(f, f->opened);
    struct epoll_event evs[256];
    int k = epoll_wait(f->ep, evs, 256, timeout_ms);
    for (int j = 0; j < k; j++)
        fleet_event(f, &evs[j]);
}

/* ---- the run -------------------------------------------------------------- */

/* Step 3: until every request is out and the hub holds them all. */
static int settle(struct fleet *f, const struct opts *o, long idle_fds)
{
    double start = (ts_mono_us() / 1e3), last_change = 0;
    long last_rss = -1;
    while ((ts_mono_us() / 1e3) - start < SETTLE_CAP_MS) {
        fleet_step(f, 100);
        if (f->opened < f->n || f->connecting || f->waiting + f->failed + f->done < f->n)
            continue;
        double t = (ts_mono_us() / 1e3);
        if (last_change == 0)
            last_change = t;
        if (o->hub_pid) {
            long rss = hub_rss_kb(o->hub_pid), fds = hub_fds(o->hub_pid);
            if (rss < 0)
                return 1;
            if (rss != last_rss || fds - idle_fds < (long)f->waiting) {
                last_rss = rss;
                last_change = t;
            }
        }
        if (t - last_change >= o->settle_ms)
            return 0;
    }
    fprintf(stderr, "sceaux-benchpoll: the hub did not settle within %.0f s\n",
            SETTLE_CAP_MS / 1e3);
    return 1;
}

static void fleet_init(struct fleet *f, const struct opts *o, long since)
{
    memset(f, 0, sizeof *f);
    f->n = o->conns;
    f->c = xcalloc(f->n, sizeof *f->c);
    f->port = o->port;
    f->ep = epoll_create1(0);
    f->req = xasprintf("GET /v1/changes?since=%ld&wait=%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                       "Authorization: Bearer %s\r\n\r\n",
                       since, o->wait, o->port, o->token);
    f->req_len = strlen(f->req);
}

static void fleet_release(struct fleet *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->c[i].fd > 0 && f->c[i].state != C_FAILED)
            close(f->c[i].fd);
    close(f->ep);
    free(f->c);
    free(f->req);
}

/* Step 4: the push, then every answer; results into the report. */
struct answers {
    size_t n, ok; /* answered after the push; of them, with 200 */
    double first, last;
};

static int measure(struct fleet *f, const struct opts *o, int k, struct answers *a)
{
    char *req = push_request(o, k);
    char answer[8192];
    f->pushed = true;
    double t0 = (ts_mono_us() / 1e3);
    int fd = connect_blocking(o->port);
    int rc = fd < 0 || send_all(fd, req, strlen(req));
    free(req);
    while (rc == 0 && f->waiting && (ts_mono_us() / 1e3) - t0 < ANSWER_TIMEOUT_MS)
        fleet_step(f, 50);
    int status = fd < 0 ? -1 : read_answer(fd, answer, sizeof answer);
    if (fd >= 0)
        close(fd);
    if (rc || push_check(status, answer))
        return 1;
    for (size_t i = 0; i < f->n; i++) {
        const struct conn *c = &f->c[i];
        if (c->state != C_DONE || c->done_ms < t0)
            continue;
        double ms = c->done_ms - t0;
        if (a->n == 0 || ms < a->first)
            a->first = ms;
        if (ms > a->last)
            a->last = ms;
        a->n++;
        a->ok += c->status == 200;
    }
    return 0;
}

/* What one round (steps 2 to 4) saw. */
struct round {
    long since, held_rss, held_fds;
    size_t held, early, unanswered;
    struct answers a;
};

/* Before a round: until the hub has closed the previous round's waiters. */
#define DRAIN_SLACK_FDS 8 /* files the hub may have opened meanwhile (the WAL) */
static int drained(const struct opts *o, long idle_fds)
{
    double start = (ts_mono_us() / 1e3);
    while (o->hub_pid && (ts_mono_us() / 1e3) - start < SETTLE_CAP_MS) {
        long fds = hub_fds(o->hub_pid);
        if (fds < 0)
            return 1;
        if (fds - idle_fds <= DRAIN_SLACK_FDS)
            return 0;
        struct timespec tick = {0, 20 * 1000000L};
        nanosleep(&tick, NULL);
    }
    if (!o->hub_pid)
        return 0;
    fprintf(stderr, "sceaux-benchpoll: the hub kept the last round's connections %.0f s\n",
            SETTLE_CAP_MS / 1e3);
    return 1;
}

/* Round k (from 0): waiters opened, held, answered and closed. 1 when the run
 * failed (hub gone, push refused, a waiter not answered in time). */
static int round_run(const struct opts *o, int k, long idle_fds, struct round *rd)
{
    memset(rd, 0, sizeof *rd);
    if (k > 0 && drained(o, idle_fds))
        return 1;
    rd->since = head_seq(o);
    if (rd->since < 0) {
        fprintf(stderr, "sceaux-benchpoll: GET /v1/health failed\n");
        return 1;
    }
    struct fleet f;
    fleet_init(&f, o, rd->since);
    int rc = settle(&f, o, idle_fds);
    rd->held_rss = o->hub_pid ? hub_rss_kb(o->hub_pid) : -1;
    rd->held_fds = o->hub_pid ? hub_fds(o->hub_pid) - idle_fds : -1;
    rd->held = f.waiting;
    rd->early = f.early;
    if (rc == 0)
        rc = measure(&f, o, k + 1, &rd->a);
    rd->unanswered = f.waiting;
    if (rc == 0 && f.waiting) {
        fprintf(stderr, "sceaux-benchpoll: %zu waiters not answered within %.0f s\n", f.waiting,
                ANSWER_TIMEOUT_MS / 1e3);
        rc = 1;
    }
    fleet_release(&f);
    return rc;
}

static int run(const struct opts *o)
{
    long idle_rss = o->hub_pid ? hub_rss_kb(o->hub_pid) : -1;
    long idle_fds = o->hub_pid ? hub_fds(o->hub_pid) : -1;
    char answer[8192];
    char *req = push_request(o, 0);
    double t0 = (ts_mono_us() / 1e3);
    int status = request(o->port, req, answer, sizeof answer);
    double alone = (ts_mono_us() / 1e3) - t0;
    free(req);
    if (push_check(status, answer))
        return 1;
    struct round first = {0}, rd;
    long max_rss = 0;
    size_t whole = 0; /* rounds where every waiter was held, then answered 200 */
    int rc = 0, k;
    char rounds[1024] = "";
    for (k = 0; k < o->rounds && rc == 0; k++) {
        rc = round_run(o, k, idle_fds, &rd);
        if (k == 0)
            first = rd;
        max_rss = rd.held_rss > max_rss ? rd.held_rss : max_rss;
        whole += rd.held == o->conns && rd.early == 0 && rd.a.ok == o->conns;
        size_t used = strlen(rounds);
        snprintf(rounds + used, sizeof rounds - used, "%s%ld", k ? " " : "", rd.held_rss);
    }
    printf("conns=%zu\nsince=%ld\nidle_rss_kb=%ld\nheld_rss_kb=%ld\nheld_fds=%ld\nheld=%zu\n",
           o->conns, first.since, idle_rss, first.held_rss, first.held_fds, first.held);
    printf("early=%zu\nanswered=%zu\nanswered_200=%zu\nunanswered=%zu\n", first.early, first.a.n,
           first.a.ok, first.unanswered);
    printf("push_alone_ms=%.2f\nfirst_answer_ms=%.2f\nlast_answer_ms=%.2f\n", alone, first.a.first,
           first.a.last);
    printf("rounds=%d\nrounds_whole=%zu\nheld_rss_kb_rounds=%s\nmax_held_rss_kb=%ld\n", k, whole,
           rounds, max_rss);
    return rc;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    long v = 0;
    *o = (struct opts){.conns = 2000, .wait = 60, .settle_ms = 1000, .rounds = 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val)
            return -1;
        i++;
        if (strcmp(a, "--token") == 0)
            o->token = val;
        else if (strcmp(a, "--staff-token") == 0)
            o->staff = val;
        else if (strcmp(a, "--port") == 0 && num_parse(val, 1, 65535, &v))
            o->port = (int)v;
        else if (strcmp(a, "--conns") == 0 && num_parse(val, 1, 100000, &v))
            o->conns = (size_t)v;
        else if (strcmp(a, "--wait") == 0 && num_parse(val, 1, 60, &v))
            o->wait = (int)v;
        else if (strcmp(a, "--hub-pid") == 0 && num_parse(val, 1, 1L << 30, &v))
            o->hub_pid = v;
        else if (strcmp(a, "--rounds") == 0 && num_parse(val, 1, 100, &v))
            o->rounds = (int)v;
        else if (strcmp(a, "--settle-ms") == 0 && num_parse(val, 100, 60000, &v))
            o->settle_ms = (double)v;
        else
            return -1;
    }
    return o->port && o->token && o->staff ? 0 : -1;
}

int main(int argc, char **argv)
{
    xalloc_init();
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("sceaux-benchpoll %s\n", SCEAUX_VERSION);
        return 0;
    }
    struct opts o;
    if (parse_opts(argc, argv, &o)) {
        fprintf(stderr, "sceaux-benchpoll: bad arguments\n%s", usage);
        return 2;
    }
    /* One descriptor per waiter: take what the hard limit allows. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    return run(&o) ? 1 : 0;
}
