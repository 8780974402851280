/* pull: one GET /v1/changes and what it does to the replica.
 *
 * A page and its cursor are applied in one transaction (every change with
 * replica_apply, then sync_state cursor = next and epoch), so a kill at
 * any instant leaves the replica at the old cursor or the new one, never
 * between. A page that says `reset`, or an epoch other than the
 * replica's, drops the public rows (replica_reset: outbox and push_result
 * stay) and the next round pulls from 0.
 *
 * Catching up is a pipeline: once a page is parsed and says `more`, a
 * second connection (struct pull_ahead, its own thread and libcurl
 * handle) fetches and parses the next page while this one is applied, so
 * the hub writes page N+1 and this thread only commits page N. The fetched page is
 * used only if the next round asks exactly for it (same cursor and
 * limit); otherwise it is dropped, so a failed apply or a reset changes
 * nothing. */
#ifndef SCEAUX_SYNCD_PULL_H
#define SCEAUX_SYNCD_PULL_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "changeset.h"
#include "err.h"
#include "fault.h"
#include "net.h"
#include "replica.h"

struct pull_stats {
    size_t applied;   /* changes applied this round */
    int64_t cursor;   /* the replica's cursor after it */
    bool reset;       /* the replica was dropped: pull again from 0 */
    bool more;        /* the hub has more: pull again at once */
    enum fault fault; /* when the round failed writing the replica: what it met (state.h) */
};

/* The next page, being fetched on a second connection. */
struct pull_ahead {
    struct net net;
    pthread_t thread;
    bool running; /* thread started and not joined yet */
    int64_t since;
    int limit;
    long outbox;
    enum err rc;
    struct pull_page page; /* parsed by the thread */
    char why[300];
};

/* opts and fault are borrowed (struct net's rules). ERR_NET if libcurl
 * has no handle. */
enum err pull_ahead_open(struct pull_ahead *a, const struct http_opts *opts,
                         const atomic_int *fault);
/* Waits for a fetch under way (a cancel flag in opts ends it soon) and
 * frees everything. */
void pull_ahead_close(struct pull_ahead *a);

/* Pulls one page of at most `limit` changes with long-poll `wait` seconds
 * (0: answer at once), taking it from `ahead` when it fetched that very
 * page, and starting there the fetch of the page after it (ahead may be
 * NULL: no pipeline). On error the replica is unchanged and why holds a
 * one-line reason; ERR_TOO_BIG means the page passed the answer cap
 * (CAPS_ANSWER_MAX: ask again with a smaller limit, see plan_pull_limit). */
MUST_USE enum err pull_round(struct replica *r, struct net *n, struct pull_ahead *ahead, int limit,
                             int wait, struct pull_stats *st, char *why, size_t whylen);

/* The part of pull_round after the network: parses `body` (the inflated
 * answer to a pull from `cursor` with `limit`), judges it against the
 * replica's epoch and applies it or resets. No I/O but the replica's, so
 * tests and benchmarks feed it pages directly. Same errors and stats. */
MUST_USE enum err pull_apply(struct replica *r, int64_t cursor, const char *body, size_t len,
                             int limit, struct pull_stats *st, char *why, size_t whylen);

#endif
