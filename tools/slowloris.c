/* sceaux-slowloris: slow clients against a hub on loopback, for
 * tests/integration/hub_attack.sh (issue 8 item 2).
 *
 *   sceaux-slowloris --port P --from A[,B...] --conns N --seconds S
 *                    [--every MS] [--mode headers|body|idle] [--reconnect]
 *
 * Opens N connections from each source address (all in 127.0.0.0/8,
 * bound before connecting) to 127.0.0.1:P, then every MS milliseconds
 * (200) sends each one more byte: of headers that never end (headers),
 * of a body that never ends after whole headers (body), or nothing after
 * one whole request (idle: a keep-alive connection left open). With
 * --reconnect a connection the hub closed is opened again half a second
 * later, as an attacker would. Stops after S seconds (at most 120) and
 * prints key=value lines: opened, closed (by the hub), held_max (open at
 * once), lived_max_ms (the longest a connection stayed open, till the end
 * for those never closed). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"
#include "ts.h"
#include "num.h"

#define CONNS_MAX 20000
#define FROM_MAX 8

static const char usage[] =
    "usage: sceaux-slowloris --port P --from A[,B...] --conns N --seconds S\n"
    "                        [--every MS] [--mode headers|body|idle] [--reconnect]\n";

struct opts {
    long port, conns, seconds, every;
    const char *mode;
    bool reconnect;
    struct in_addr from[FROM_MAX];
    int nfrom;
};

struct conn {
    int fd;
    int64_t opened_ms, retry_ms;
    struct in_addr from;
};

/* A comma-separated list of loopback addresses. */
static bool parse_from(char *list, struct opts *o)
{
    for (char *save = NULL, *a = strtok_r(list, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
        if (o->nfrom == FROM_MAX || inet_pton(AF_INET, a, &o->from[o->nfrom]) != 1 ||
            (ntohl(o->from[o->nfrom].s_addr) >> 24) != 127)
            return false;
        o->nfrom++;
    }
    return o->nfrom > 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){.every = 200, .mode = "headers"};
    bool ok = true;
    for (int i = 1; ok && i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--reconnect") == 0) {
            o->reconnect = true;
            continue;
        }
        if (!v)
            return -1;
        i++;
        if (strcmp(a, "--port") == 0)
            ok = num_parse(v, 1, 65535, &o->port);
        else if (strcmp(a, "--conns") == 0)
            ok = num_parse(v, 1, CONNS_MAX, &o->conns);
        else if (strcmp(a, "--seconds") == 0)
            ok = num_parse(v, 1, 120, &o->seconds);
        else if (strcmp(a, "--every") == 0)
            ok = num_parse(v, 10, 10000, &o->every);
        else if (strcmp(a, "--mode") == 0)
            o->mode = v;
        else if (strcmp(a, "--from") == 0)
            ok = parse_from(argv[i], o);
        else
            ok = false;
    }
    bool mode = !strcmp(o->mode, "headers") || !strcmp(o->mode, "body") || !strcmp(o->mode, "idle");
    return ok && mode && o->port && o->conns && o->seconds && o->nfrom ? 0 : -1;
}

/* The bytes sent at once on connecting. */
static const char *opening(const char *mode)
{
    if (!strcmp(mode, "body"))
        return "POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Length: 1000000\r\n\r\n";
    if (!strcmp(mode, "idle"))
        return "GET /v1/health HTTP/1.1\r\nHost: hub\r\n\r\n";
    return "GET /v1/health HTTP/1.1\r\nHost: hub\r\nX-Slow: ";
}

static int open_conn(const struct opts *o, struct in_addr from)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {0, 500000}; /* connect() gives up after this */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr = from};
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const char *first = opening(o->mode);
    if (bind(fd, (struct sockaddr *)&src, sizeof src) ||
        connect(fd, (struct sockaddr *)&dst, sizeof dst) ||
        send(fd, first, strlen(first), MSG_NOSIGNAL) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads what the hub sent; false once it closed the connection. */
static bool still_open(int fd)
{
    char scratch[4096];
    for (;;) {
        ssize_t n = recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (n > 0)
            continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

static int run(const struct opts *o)
{
    size_t n = (size_t)o->conns * (size_t)o->nfrom;
    struct conn *c = xcalloc(n, sizeof *c);
    for (size_t i = 0; i < n; i++) {
        c[i].fd = -1;
        c[i].from = o->from[i % (size_t)o->nfrom];
    }
    long opened = 0, closed = 0, held_max = 0;
    int64_t lived_max = 0;
    int64_t end = ts_mono_ms() + (int64_t)o->seconds * 1000;
    while (ts_mono_ms() < end) {
        long held = 0;
        for (size_t i = 0; i < n && ts_mono_ms() < end; i++) {
            int64_t t = ts_mono_ms();
            if (c[i].fd < 0 && (o->reconnect || c[i].opened_ms == 0) && t >= c[i].retry_ms) {
                c[i].fd = open_conn(o, c[i].from);
                c[i].opened_ms = t;
                c[i].retry_ms = t + 500;
                opened += c[i].fd >= 0;
            } else if (c[i].fd >= 0 && (!still_open(c[i].fd) ||
                                        (strcmp(o->mode, "idle") &&
                                         send(c[i].fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
                                         errno != EAGAIN))) {
                close(c[i].fd);
                c[i].fd = -1;
                c[i].retry_ms = t + 500;
                closed++;
                if (t - c[i].opened_ms > lived_max)
                    lived_max = t - c[i].opened_ms;
            }
            held += c[i].fd >= 0;
        }
        if (held > held_max)
            held_max = held;
        struct timespec pause = {o->every / 1000, (long)(o->every % 1000) * 1000000};
        nanosleep(&pause, NULL);
    }
    int64_t t = ts_mono_ms();
    for (size_t i = 0; i < n; i++) {
        if (c[i].fd < 0)
            continue;
        if (t - c[i].opened_ms > lived_max)
            lived_max = t - c[i].opened_ms;
        close(c[i].fd);
    }
    free(c);
    printf("opened=%ld\nclosed=%ld\nheld_max=%ld\nlived_max_ms=%lld\n", opened, closed, held_max,
           (long long)lived_max);
    return 0;
}

int main(int argc, char **argv)
{
    xalloc_init();
    struct opts o;
    if (parse_opts(argc, argv, &o)) {
        fputs(usage, stderr);
        return 2;
    }
    /* One descriptor per connection: take what the hard limit allows. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    return run(&o);
}
