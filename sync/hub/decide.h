/* decide: the hub's decisions that need stored rows, the same for every
 * store backend by construction.
 *
 * decide_apply() holds the whole algorithm of applying one push change:
 * the exactly-once record, the role rules (rules.c), whether the row
 * exists, references, a booking's room, times and overlap, the cancel
 * code and its lock, supports counters, moderation, help offers, the
 * columns the hub sets, and the budget of rejected records.
 * decide_push_budget() spends a token's hourly push budget. Neither knows
 * SQL: they ask the backend small questions through a `struct
 * decide_ops`, each one or two parameterised statements in any SQL
 * database, all inside the transaction opened by `begin`. A backend
 * points its store_ops.decide at its table; store_apply() and
 * store_push_budget() run through here. */
#ifndef SCEAUX_HUB_DECIDE_H
#define SCEAUX_HUB_DECIDE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "changeset.h"
#include "err.h"
#include "store.h"
#include "tables.h"

/* The hourly counters a backend keeps, each a (count, since) pair under a
 * key: wrong cancel codes per booking id, rejected exactly-once records
 * per token name, pushed changes per token name. */
enum decide_counter {
    DECIDE_CODE_TRIES, /* "cancel" */
    DECIDE_REJECTED,   /* "rejected" */
    DECIDE_PUSHED,     /* "changes" */
};

/* A stable name for each counter ("cancel", "rejected", "changes"), for a
 * backend that keeps them in one table keyed by it. */
const char *decide_counter_name(enum decide_counter k);

/* The questions. Every one gets the store handle it was called with; an
 * error return means storage failed (the backend's errmsg says why) and
 * decide rolls the change back. Strings and rows are borrowed. Times are
 * in the wire form (ts.h) where they are strings. */
struct decide_ops {
    /* One change's transaction: begin takes what the backend must hold
     * (a lock, a write transaction) until commit or rollback, and the
     * questions below are asked between them. Each begin is followed by
     * exactly one commit that succeeds or, after any failure (begin's and
     * commit's included), one rollback, which releases what begin took. */
    enum err (*begin)(struct store *s);
    enum err (*commit)(struct store *s);
    void (*rollback)(struct store *s);

    /* The stored row `id` of `t` (every stored column, hub ones too), a
     * new reference in *out, or *out NULL when there is none. */
    enum err (*get_row)(struct store *s, const struct table *t, const char *id, json_t **out);
    /* *taken when a booking other than `id` of room `room_id` with status
     * "confirmed" overlaps [starts_at, ends_at): starts_at < ends_at of
     * the other and ends_at > its starts_at (touching is no overlap). */
    enum err (*overlap)(struct store *s, const char *room_id, const char *id, const char *starts_at,
                        const char *ends_at, bool *taken);
    /* Stores `row` (every stored column of t; row["id"] is its id),
     * inserting or replacing, under a new seq returned in *seq, and
     * records it for pulls as an upsert (not for TABLE_HUB tables). */
    enum err (*put_row)(struct store *s, const struct table *t, json_t *row, int64_t *seq);
    /* Deletes row `id` of `t` under a new seq returned in *seq and
     * records the delete (tombstone) for pulls (not for TABLE_HUB). The
     * sweeps that delete "as a push would" use this too. */
    enum err (*delete_row)(struct store *s, const struct table *t, const char *id, int64_t *seq);
    /* Adds `delta` to the integer column "supports" of row `id` of `t`
     * (NULL counts as 0; never below 0), sets its "updated_at" to
     * `updated_at` when that is not NULL, and records the row for pulls
     * as an upsert under `seq` (the seq of the support that moved it,
     * not a new one). Nothing, and ERR_OK, when there is no such row. */
    enum err (*bump_supports)(struct store *s, const struct table *t, const char *id, int delta,
                              const char *updated_at, int64_t seq);

    /* The exactly-once record of (token, change_id): *found, and when
     * found out->seq (-1 when none was stored), out->error, out->message
     * and out->field ("" when none); out->status and out->id are not
     * touched. */
    enum err (*applied_get)(struct store *s, const char *token, const char *change_id,
                            struct push_result *out, bool *found);
    /* Records r (r->id is the change id, r->status, r->seq -1 for none,
     * r->error, r->message, r->field: "" for none) for `token`, written
     * at `at`: the tombstone purge forgets records as old as it. */
    enum err (*applied_put)(struct store *s, const char *token, const struct push_result *r,
                            const char *at);

    /* Counter `k` of `key` as stored: *count and *since (seconds, the
     * hub's clock), left untouched when there is no such counter. */
    enum err (*counter_get)(struct store *s, enum decide_counter k, const char *key, int64_t *count,
                            int64_t *since);
    /* Sets counter `k` of `key` to (count, since), creating it if need be. */
    enum err (*counter_put)(struct store *s, enum decide_counter k, const char *key, int64_t count,
                            int64_t since);
};

/* store_apply() of store.h through the questions of `q`. */
MUST_USE enum err decide_apply(const struct decide_ops *q, struct store *s,
                               const struct store_caller *who, const struct push_change *c,
                               int64_t now, struct push_result *out);
/* store_push_budget() of store.h through the questions of `q`, in its own
 * transaction. */
MUST_USE enum err decide_push_budget(const struct decide_ops *q, struct store *s, const char *token,
                                     const struct push_change *c, size_t n, int64_t now,
                                     int64_t *retry_after, bool *refund);

#endif
