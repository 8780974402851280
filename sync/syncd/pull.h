/* pull: one GET /v1/changes and what it does to the replica.
 *
 * A page and its cursor are applied in one transaction (every change with
 * replica_apply, then sync_state cursor = next and epoch), so a kill at
 * any instant leaves the replica at the old cursor or the new one, never
 * between. A page that says `reset`, or an epoch other than the
 * replica's, drops the public rows (replica_reset: outbox and push_result
 * stay) and the next round pulls from 0. */
#ifndef SCEAUX_SYNCD_PULL_H
#define SCEAUX_SYNCD_PULL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "net.h"
#include "replica.h"

struct pull_stats {
    size_t applied; /* changes applied this round */
    int64_t cursor; /* the replica's cursor after it */
    bool reset;     /* the replica was dropped: pull again from 0 */
    bool more;      /* the hub has more: pull again at once */
};

/* Pulls one page of at most `limit` changes with long-poll `wait` seconds
 * (0: answer at once). On error the replica is unchanged and why holds a
 * one-line reason; ERR_TOO_BIG means the page passed the answer cap
 * (CAPS_ANSWER_MAX: ask again with a smaller limit, see plan_pull_limit). */
MUST_USE enum err pull_round(struct replica *r, struct net *n, int limit, int wait,
                             struct pull_stats *st, char *why, size_t whylen);

/* The part of pull_round after the network: parses `body` (the inflated
 * answer to a pull from `cursor` with `limit`), judges it against the
 * replica's epoch and applies it or resets. No I/O but the replica's, so
 * tests and benchmarks feed it pages directly. Same errors and stats. */
MUST_USE enum err pull_apply(struct replica *r, int64_t cursor, const char *body, size_t len,
                             int limit, struct pull_stats *st, char *why, size_t whylen);

#endif
