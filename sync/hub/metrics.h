/* metrics: the hub's counters, and `GET /metrics` in Prometheus text
 * format on a listen address of its own (`serve --metrics-listen
 * HOST:PORT`, off by default), so that scraping stays off the public port.
 *
 * The counters are always kept (atomics, no lock): requests and their
 * latency per endpoint (http.c, on completion), change results of pushes
 * by status and error (http_api.c). The rest is read at scrape time:
 * long-polls held, kiosks online and each kiosk's replica lag (the
 * store's fleet), the database's size on disk. */
#ifndef SCEAUX_HUB_METRICS_H
#define SCEAUX_HUB_METRICS_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "changeset.h"
#include "err.h"

#define METRICS_ENDPOINTS_MAX 24 /* routes, plus one for unknown paths */
#define METRICS_STATUSES 14      /* the statuses the hub answers, plus "other" */
#define METRICS_BUCKETS 8        /* latency histogram bounds, +Inf included */
#define METRICS_RESULTS 27       /* push results: 3 statuses by 9 errors */

struct metrics_endpoint {
    const char *path; /* borrowed (the route table); NULL for unknown paths */
    atomic_ullong by_status[METRICS_STATUSES];
    atomic_ullong le[METRICS_BUCKETS]; /* cumulative at scrape, per bucket here */
    atomic_ullong micros;              /* sum of durations */
};

struct metrics {
    struct metrics_endpoint ep[METRICS_ENDPOINTS_MAX];
    size_t nep; /* ep[nep - 1] counts unknown paths */
    atomic_ullong results[METRICS_RESULTS];
};

/* paths[0..n) (borrowed, n < METRICS_ENDPOINTS_MAX) are the endpoints. */
void metrics_init(struct metrics *m, const char *const *paths, size_t n);
/* One request done: its endpoint index (n or more for an unknown path),
 * answered status (0 when none) and duration. */
void metrics_note_request(struct metrics *m, size_t endpoint, unsigned status, int64_t micros);
/* The results of one push. */
void metrics_note_push(struct metrics *m, const struct push_result *res, size_t n);

struct hub_http;
struct metrics_server;

/* Serves GET /metrics for h (borrowed) on listen ("HOST:PORT"), db_path
 * the database whose size is reported. On error errbuf says why. */
enum err metrics_start(struct hub_http *h, const char *listen, const char *db_path,
                       struct metrics_server **out, char *errbuf, size_t errlen);
/* The bound port (useful with port 0). */
unsigned metrics_port(struct metrics_server *s);
void metrics_stop(struct metrics_server *s);

#endif
