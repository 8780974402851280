/* backoff: exponential back-off with equal jitter (see backoff.h). */
#include "backoff.h"

void backoff_init(struct backoff *b)
{
    b->failures = 0;
    b->until_ms = 0;
}

int64_t backoff_fail(struct backoff *b, int64_t now_ms, uint32_t rnd)
{
    if (b->failures < 1000)
        b->failures++;
    int64_t ceiling = BACKOFF_BASE_MS;
    for (int i = 1; i < b->failures && ceiling < BACKOFF_MAX_MS; i++)
        ceiling *= 2;
    if (ceiling > BACKOFF_MAX_MS)
        ceiling = BACKOFF_MAX_MS;
    int64_t half = ceiling / 2;
    int64_t wait = half + (int64_t)(rnd % (uint32_t)(half + 1));
    b->until_ms = now_ms + wait;
    return wait;
}

void backoff_ok(struct backoff *b)
{
    b->failures = 0;
    b->until_ms = 0;
}

int64_t backoff_remaining(const struct backoff *b, int64_t now_ms)
{
    return b->until_ms > now_ms ? b->until_ms - now_ms : 0;
}
