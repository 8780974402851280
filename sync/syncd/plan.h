/* plan: the daemon's decisions, as pure functions of bytes already read
 * (docs/style.md, pure logic). push.c and pull.c do the I/O around them: they read
 * the outbox or the hub's answer, ask plan_* what it means, then write.
 *
 *   plan_batch      how many outbox rows go in the next push
 *   plan_change     an outbox row's JSON, checked, ready to send
 *   plan_results    the hub's results matched to what was sent
 *   plan_outcome    how one result is recorded in push_result
 *   plan_pull       apply a pulled page, or drop the replica first
 *   plan_evict      which cached pictures go to stay under the cap */
#ifndef SCEAUX_SYNCD_PLAN_H
#define SCEAUX_SYNCD_PLAN_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "changeset.h"
#include "err.h"

#define PLAN_BATCH_CHANGES CHANGESET_PUSH_MAX /* changes a push */
/* Uncompressed JSON a push: well under the hub's inflated cap
 * (CAPS_INFLATED_MAX), and (JSON compresses 3-10x) under its cap as
 * sent (CAPS_BODY_MAX). */
#define PLAN_BATCH_BYTES (3u << 20)
/* Changes a pull page: 1000 rows of the largest shape (an initiative,
 * about 5,000 characters, at most 6 bytes each as JSON) stay under the
 * answer cap (CAPS_ANSWER_MAX); a page that still passes it is asked
 * again smaller. */
#define PLAN_PULL_LIMIT 1000

/* The number of rows, of the n queued (in order, lens[i] the JSON size
 * of row i), that go in the next push: at most max_changes and, past the
 * first, at most max_bytes in all. Never 0 when n > 0, so a single row
 * over max_bytes still goes alone (and the hub decides). */
size_t plan_batch(const size_t *lens, size_t n, size_t max_changes, size_t max_bytes);

/* Checks an outbox row: `text` must be a JSON object (a PROTOCOL push
 * change). Its "id" is set to `id` (the outbox key is the change id by
 * contract, so results always match rows). On success *out is a new
 * reference; otherwise ERR_INVALID and a sentence in why: the row can
 * never be sent, and is recorded rejected without asking the hub. */
MUST_USE enum err plan_change(const char *id, const char *text, size_t len, json_t **out, char *why,
                              size_t whylen);

/* Checks that the hub answered exactly one result per change sent, in
 * order (ids[i] the change ids sent). ERR_INVALID with a sentence if not:
 * nothing may then be recorded. */
MUST_USE enum err plan_results(const char *const *ids, size_t n, const struct push_result *r,
                               size_t rn, char *why, size_t whylen);

/* How a result is recorded (docs/architecture.md: push_result holds applied or
 * rejected; a duplicate is recorded as its first result). Pointers are
 * borrowed from r; error and message are NULL when empty. */
struct plan_outcome {
    const char *status; /* "applied" or "rejected" */
    const char *error;
    const char *message;
    int64_t seq; /* -1: none */
};
void plan_outcome(const struct push_result *r, struct plan_outcome *out);

enum plan_pull_action {
    PLAN_PULL_APPLY, /* apply the changes, then cursor = next, epoch = page's */
    PLAN_PULL_RESET, /* drop the replica (new epoch, cursor 0), pull from 0 */
    PLAN_PULL_BAD,   /* the page does not answer what was asked */
};

/* The page size to ask next: halved (down to 1) after a page over the
 * cap, back to PLAN_PULL_LIMIT once caught up. */
int plan_pull_limit(int limit, bool too_big, bool caught_up);

/* What to do with a parsed page, given the replica's epoch (NULL or ""
 * for a new replica) and the cursor that was sent. */
enum plan_pull_action plan_pull(const char *epoch, int64_t cursor, const struct pull_page *page);

/* A picture in syncd's cache folder (piccache.h). */
struct plan_file {
    char name[65]; /* its SHA-256 */
    uint64_t size;
    int64_t used; /* when last read or written, seconds */
    bool wanted;  /* a row of the replica names it */
    bool drop;    /* out: to delete (left as it is when already set) */
};

/* Marks files to drop so that those kept plus `incoming` bytes fit in
 * cap: the pictures no row names first, least recently used first; then,
 * only when wanted_too, the ones rows name, in the same order. Returns
 * whether it then fits; when it does not, only what had to go with
 * wanted_too false (or nothing past that) is marked, so a picture that
 * cannot fit never pushes out one that rows still show. */
bool plan_evict(struct plan_file *f, size_t n, uint64_t cap, uint64_t incoming, bool wanted_too);

#endif
