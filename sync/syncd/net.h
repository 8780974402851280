/* net: the daemon's exchanges with the hub over sync/client/http.c
 * (GET /v1/changes, POST /v1/push, GET /v1/blobs, GET /v1/health), with the status of
 * the answer mapped to the project's error space. This is the only
 * syncd file that touches the network; everything it returns is bytes for
 * plan.c, push.c and pull.c to judge. */
#ifndef SCEAUX_SYNCD_NET_H
#define SCEAUX_SYNCD_NET_H
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "http.h"

/* A push gives up after its idle time without a byte from the hub:
 * NET_PUSH_IDLE seconds, plus NET_PUSH_IDLE_PER_CHANGE ms for each of its
 * changes (at most CAPS_PUSH_CHANGES: 18 s for a full batch), and must
 * end within that plus its gzip bytes at NET_PUSH_MIN_RATE bytes a second
 * (6 s for a booking, about 50 s for the largest batch). The hub answers
 * only once it has applied every change, one transaction each, and sends
 * nothing meanwhile: a loaded PostgreSQL hub took 6 to 14 s for 1,000
 * changes, so a fixed 6 s gave up on a full batch the hub was applying
 * and sent it again, all of it to be answered duplicate. A single booking
 * still gives up after 6 s: a stalled connection holds the outbox for
 * seconds, not a minute. */
#define NET_PUSH_IDLE 6
#define NET_PUSH_IDLE_PER_CHANGE 12 /* ms */
#define NET_PUSH_MIN_RATE (16 * 1024)

/* A client for one thread. opts (and what it points to) is borrowed. */
struct net {
    struct http *http;
    bool failed; /* the last request got no answer: the next opens a new connection */
    /* Borrowed, may be NULL: the replica's fault as an enum fault, shared
     * by the daemon's threads; pulls and pushes send its code as
     * X-Sceaux-Fault while it is not FAULT_NONE. */
    const atomic_int *fault;
};

MUST_USE enum err net_open(struct net *n, const struct http_opts *opts, const atomic_int *fault);
void net_close(struct net *n);

/* Each call fills resp (release it with http_response_release, also on
 * error) and returns ERR_OK only for a 200 answer. Otherwise a one-line
 * reason is in why and the code says what kind of failure it was:
 * ERR_NET (no answer, 5xx, 429), ERR_AUTH (401, 403), ERR_TOO_BIG (413, or
 * an answer over the cap), ERR_INVALID (any other status, bad encoding). */
MUST_USE enum err net_pull(struct net *n, int64_t since, int limit, int wait, long outbox,
                           struct http_response *resp, char *why, size_t whylen);
/* A push of `changes` changes: body, len bytes (gzipped on the way). */
MUST_USE enum err net_push(struct net *n, const char *body, size_t len, size_t changes, long outbox,
                           struct http_response *resp, char *why, size_t whylen);
/* The picture named sha (GET /v1/blobs/<sha>, docs/protocol.md): its
 * bytes handed to sink as they arrive (http.h), the errors as net_pull.
 * ERR_NOT_FOUND for a 404 (the hub has no such picture), ERR_IO when the
 * sink refused. Its bytes are not checked here (piccache.c). */
MUST_USE enum err net_blob(struct net *n, const char *sha,
                           bool (*sink)(void *ctx, const void *data, size_t len), void *ctx,
                           struct http_response *resp, char *why, size_t whylen);
/* The hub's head seq, from /v1/health. */
MUST_USE enum err net_health(struct net *n, int64_t *head, char *why, size_t whylen);

#endif
