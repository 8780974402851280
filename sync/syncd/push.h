/* push: one POST /v1/push of the oldest outbox rows, and the recording of
 * the hub's answers.
 *
 * Crash safety rests on two facts: an outbox row is deleted only in the
 * transaction that records its result (replica_outbox_done inside one
 * db_begin/db_commit for the whole batch), and the hub applies a change id
 * at most once per token. So a kill at any instant either leaves the rows
 * queued (they are sent again and answered `duplicate`, recorded as their
 * first result) or leaves them answered: nothing is lost or doubled.
 * Once answered, nothing of a row stays in the replica's files
 * (replica_scrub): the kiosk keeps no name or contact a person typed. */
#ifndef SCEAUX_SYNCD_PUSH_H
#define SCEAUX_SYNCD_PUSH_H
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "fault.h"
#include "net.h"
#include "replica.h"

struct push_stats {
    size_t sent, applied, rejected; /* this round */
    size_t duplicate;               /* answered duplicate: resent after a crash */
    int64_t left;                   /* rows still queued after it */
    enum fault fault; /* when the round failed writing the replica: what it met (state.h) */
};

/* Pushes the next batch (in the order written: created_at, then rowid);
 * a batch the hub finds too big (413) is halved until it fits.
 * Rows that can never be sent (not a JSON object) are recorded rejected
 * ("invalid") without asking the hub; a lone row the hub finds too big
 * (413) is recorded rejected ("too_big"). ERR_OK with st->sent == 0 when
 * the outbox was empty. On error nothing of the batch is recorded and why
 * holds a one-line reason. */
MUST_USE enum err push_round(struct replica *r, struct net *n, struct push_stats *st, char *why,
                             size_t whylen);

/* The part of push_round after the network: parses `body` (the hub's 200
 * answer to a push of the changes ids[0..n)) and, if it answers exactly
 * those in order, records every result and deletes their outbox rows in
 * one transaction; otherwise records nothing (ERR_INVALID, why says why).
 * Counts go to st (applied, rejected, duplicate). */
MUST_USE enum err push_record(struct replica *r, const char *const *ids, size_t n, const char *body,
                              size_t len, struct push_stats *st, char *why, size_t whylen);

#endif
