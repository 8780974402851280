/* waitq: a mutex-protected list of suspended long-polls with deadlines.
 * The list is unordered: the timer scans it (a few thousand entries, a
 * few times a second), which is cheaper than keeping it sorted under
 * every insert. */
#include "waitq.h"
#include "ts.h"

#include <time.h>

void waitq_init(struct waitq *q, int64_t head)
{
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cond, &attr);
    pthread_condattr_destroy(&attr);
    q->head_entry = NULL;
    q->count = 0;
    q->head = head;
    q->closed = false;
    q->kick = false;
    q->until = 0;
}

void waitq_release(struct waitq *q)
{
    pthread_cond_destroy(&q->cond);
    pthread_mutex_destroy(&q->lock);
}

void waitq_lock(struct waitq *q)
{
    pthread_mutex_lock(&q->lock);
}

void waitq_unlock(struct waitq *q)
{
    pthread_mutex_unlock(&q->lock);
}

int64_t waitq_head(struct waitq *q)
{
    pthread_mutex_lock(&q->lock);
    int64_t h = q->head;
    pthread_mutex_unlock(&q->lock);
    return h;
}

static void unlink_entry(struct waitq *q, struct waitq_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        q->head_entry = e->next;
    if (e->next)
        e->next->prev = e->prev;
    e->prev = e->next = NULL;
    e->linked = false;
    q->count--;
}

bool waitq_add_locked(struct waitq *q, struct waitq_entry *e)
{
    if (q->closed || q->head > e->since)
        return false;
    e->prev = NULL;
    e->next = q->head_entry;
    if (q->head_entry)
        q->head_entry->prev = e;
    q->head_entry = e;
    e->linked = true;
    q->count++;
    /* Wake the timer only when this deadline comes before its own: a
     * thousand waiters arriving must not mean a thousand timer rounds. */
    if (e->deadline_ms < q->until) {
        q->kick = true;
        pthread_cond_signal(&q->cond);
    }
    return true;
}

void waitq_remove(struct waitq *q, struct waitq_entry *e)
{
    pthread_mutex_lock(&q->lock);
    if (e->linked)
        unlink_entry(q, e);
    pthread_mutex_unlock(&q->lock);
}

struct waitq_entry *waitq_take(struct waitq *q, int64_t head, int64_t now_ms)
{
    struct waitq_entry *out = NULL;
    pthread_mutex_lock(&q->lock);
    if (head > q->head)
        q->head = head;
    struct waitq_entry *e = q->head_entry;
    while (e) {
        struct waitq_entry *next = e->next;
        if (q->closed || e->since < q->head || e->deadline_ms <= now_ms) {
            unlink_entry(q, e);
            e->next = out;
            out = e;
        }
        e = next;
    }
    pthread_mutex_unlock(&q->lock);
    return out;
}

struct waitq_entry *waitq_close(struct waitq *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = true;
    q->kick = true;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->lock);
    return waitq_take(q, 0, 0);
}

void waitq_wait(struct waitq *q, int64_t max_ms)
{
    pthread_mutex_lock(&q->lock);
    int64_t now = ts_mono_ms();
    int64_t until = now + max_ms;
    for (struct waitq_entry *e = q->head_entry; e; e = e->next)
        if (e->deadline_ms < until)
            until = e->deadline_ms;
    q->kick = false;
    q->until = until;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t ns = (int64_t)ts.tv_nsec + (until > now ? until - now : 0) * 1000000;
    ts.tv_sec += ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    while (!q->kick && !q->closed && ts_mono_ms() < until) {
        if (pthread_cond_timedwait(&q->cond, &q->lock, &ts) != 0)
            break;
    }
    pthread_mutex_unlock(&q->lock);
}

void waitq_kick(struct waitq *q)
{
    pthread_mutex_lock(&q->lock);
    q->kick = true;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->lock);
}

size_t waitq_count(struct waitq *q)
{
    pthread_mutex_lock(&q->lock);
    size_t n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}
