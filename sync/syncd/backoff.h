/* backoff: when to try the hub again after a failure (pure logic).
 *
 * Exponential back-off with "equal jitter": after the n-th failure in a
 * row the wait is drawn uniformly from [c/2, c] where c = min(BACKOFF_MAX,
 * BACKOFF_BASE * 2^(n-1)). The jitter spreads a fleet of kiosks that lost
 * the hub at the same moment, so they do not all come back at once. Time
 * and randomness are arguments: tests drive it without sleeping. */
#ifndef SCEAUX_SYNCD_BACKOFF_H
#define SCEAUX_SYNCD_BACKOFF_H
#include <stdbool.h>
#include <stdint.h>

#define BACKOFF_BASE_MS 1000
#define BACKOFF_MAX_MS 60000

struct backoff {
    int failures;     /* in a row; 0 after a success */
    int64_t until_ms; /* no attempt before this time (monotonic ms) */
};

void backoff_init(struct backoff *b);
/* Records a failure at now_ms; `rnd` is a random 32-bit value. Returns the
 * wait chosen, in ms (b->until_ms = now_ms + wait). */
int64_t backoff_fail(struct backoff *b, int64_t now_ms, uint32_t rnd);
/* Records a success: the next attempt may happen at once. */
void backoff_ok(struct backoff *b);
/* Milliseconds still to wait at now_ms (0 when an attempt may be made). */
int64_t backoff_remaining(const struct backoff *b, int64_t now_ms);

#endif
