/* http (hub): the HTTP side of sceaux-hub, docs/protocol.md's endpoints over
 * libmicrohttpd.
 *
 * hub_http_start() binds and serves on MHD's internal threads (epoll when
 * the library has it); the caller's thread keeps only signals and the
 * periodic jobs (hub_http_tick()). Every storage access goes through
 * store.h. Public names carry hub_http_ because sync/client/http.h (the libcurl
 * client) owns http_. Start reading at the route table in http.c. */
#ifndef SCEAUX_HUB_HTTP_H
#define SCEAUX_HUB_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blobs.h"
#include "picture.h"
#include "err.h"
#include "store.h"

struct hub_http_config {
    const char *listen;            /* "HOST:PORT"; port 0 picks a free one */
    size_t body_max;               /* request body as sent, 413 past it */
    size_t inflated_max;           /* request body once inflated */
    size_t bodies_max;             /* request bodies held at once, all clients: 429 past it */
    unsigned threads;              /* MHD thread pool size */
    unsigned conn_limit;           /* connections at once */
    unsigned per_ip_limit;         /* connections at once from one address */
    unsigned timeout;              /* idle connection timeout while answering, seconds */
    unsigned header_timeout;       /* a request's headers are in within this, seconds */
    unsigned body_timeout;         /* its body within this after the headers, seconds */
    const char *console_dir;       /* the console's files; NULL: look beside the binary */
    int64_t offline_after;         /* seconds without a request before a kiosk is offline */
    int64_t session_ttl;           /* console sessions last this many seconds */
    const char *metrics_listen;    /* "HOST:PORT" for GET /metrics, NULL: none */
    const char *db_path;           /* the database, whose size /metrics reports */
    struct blobs *blobs;           /* borrowed: the pictures (blobs.h), outliving the server */
    struct picture_limits picture; /* the upload check's (picture.h) */
    bool tls;                      /* HTTPS with the certificate of tls.h (tls_load() first) */
    bool insecure_http;            /* plain HTTP allowed on a non-loopback address */
    long offer_days;               /* help offers are erased this long after made (main.c) */
    bool hear_commits;             /* told of other hubs' commits when the store can (LISTEN) */
};

/* The defaults of docs/protocol.md (shared/caps.h), sizes for a town's
 * fleet, and the deadlines and per-address share of sync/hub/README.md. */
void hub_http_defaults(struct hub_http_config *cfg);

struct hub_http;

/* Starts serving `store` (borrowed; it must outlive the server). On error
 * errbuf says why. */
MUST_USE enum err hub_http_start(struct store *store, const struct hub_http_config *cfg,
                                 struct hub_http **out, char *errbuf, size_t errlen);
/* The bound port (useful with port 0). */
unsigned hub_http_port(struct hub_http *h);
/* The folder the staff console is served from, "" when not found. */
const char *hub_http_console_dir(struct hub_http *h);

/* Periodic work, every second or so from the main thread: wakes waiters
 * on commits made by other processes (imports), writes the fleet. */
void hub_http_tick(struct hub_http *h);
/* Tells the server that something committed in this process (the holder
 * sweep): waiting long-polls are answered. */
void hub_http_notify(struct hub_http *h);

/* Stops accepting, answers the waiting long-polls, lets in-flight
 * requests finish (at most `grace_ms`), writes the fleet and frees
 * everything. */
void hub_http_stop(struct hub_http *h, int64_t grace_ms);

#endif
