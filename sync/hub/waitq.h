/* waitq: the long-polls waiting for a commit (GET /v1/changes?wait=W).
 *
 * A waiting request holds no thread: http.c suspends its connection and
 * links a `struct waitq_entry` (embedded in the request) here. The queue
 * knows the head seq; when it moves past an entry's cursor, or the
 * entry's deadline passes, or the hub shuts down, the entry is unlinked
 * and handed back to the caller, which resumes the connection outside the
 * queue's lock. A timer thread calls waitq_wait() to sleep until the next
 * deadline. Thread-safe. */
#ifndef SCEAUX_HUB_WAITQ_H
#define SCEAUX_HUB_WAITQ_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct waitq_entry {
    int64_t since;       /* the request's cursor */
    int64_t deadline_ms; /* monotonic milliseconds */
    void *owner;         /* borrowed: the request */
    struct waitq_entry *prev, *next;
    bool linked;
};

struct waitq {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct waitq_entry *head_entry; /* doubly linked, unordered */
    size_t count;
    int64_t head;  /* latest committed seq known */
    bool closed;   /* shutting down: no new waiters */
    bool kick;     /* the timer thread should look again */
    int64_t until; /* when the timer thread wakes next (monotonic ms) */
};

void waitq_init(struct waitq *q, int64_t head);
void waitq_release(struct waitq *q);

/* Links e (since, deadline_ms, owner set by the caller) when the head is
 * still at or below e->since and the queue is open; then the caller must
 * already have suspended the connection. Returns whether it was linked;
 * when not, the caller answers at once. Call with the suspension done
 * under the queue's lock: see waitq_lock(). */
bool waitq_add_locked(struct waitq *q, struct waitq_entry *e);
void waitq_lock(struct waitq *q);
void waitq_unlock(struct waitq *q);
/* The head as the queue knows it. */
int64_t waitq_head(struct waitq *q);

/* Unlinks e if linked (its client went away). */
void waitq_remove(struct waitq *q, struct waitq_entry *e);

/* Records a new head (ignored if not newer) and unlinks every entry that
 * is now due: cursor below the head, deadline passed (now_ms), or all of
 * them once closed. Returns the unlinked entries as a list through
 * `next`; the caller resumes each. */
struct waitq_entry *waitq_take(struct waitq *q, int64_t head, int64_t now_ms);

/* Closes the queue (no new waiters) and returns every entry, unlinked. */
struct waitq_entry *waitq_close(struct waitq *q);

/* Sleeps until the earliest deadline, at most max_ms, or until
 * waitq_kick(). */
void waitq_wait(struct waitq *q, int64_t max_ms);
void waitq_kick(struct waitq *q);

size_t waitq_count(struct waitq *q);

#endif
