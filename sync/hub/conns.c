/* conns: deadlines per connection, reaped by a timer (see conns.h). A
 * doubly linked list under one lock: the reaper walks it every half
 * second, which for the thousands of connections a hub holds is
 * microseconds. */
#include "conns.h"

#include <stdlib.h>
#include <sys/socket.h>

#include "xalloc.h"

void conns_init(struct conns *c, int64_t header_ms, int64_t body_ms)
{
    pthread_mutex_init(&c->lock, NULL);
    c->head = NULL;
    c->count = 0;
    c->header_ms = header_ms;
    c->body_ms = body_ms;
}

void conns_release(struct conns *c)
{
    pthread_mutex_destroy(&c->lock);
}

struct conns_entry *conns_open(struct conns *c, int fd, int64_t now_ms, size_t *count)
{
    struct conns_entry *e = xcalloc(1, sizeof *e);
    e->fd = fd;
    e->deadline_ms = now_ms + c->header_ms;
    pthread_mutex_lock(&c->lock);
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    *count = ++c->count;
    pthread_mutex_unlock(&c->lock);
    return e;
}

void conns_close(struct conns *c, struct conns_entry *e)
{
    pthread_mutex_lock(&c->lock);
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    c->count--;
    pthread_mutex_unlock(&c->lock);
    free(e);
}

static void set_deadline(struct conns *c, struct conns_entry *e, int64_t deadline_ms)
{
    pthread_mutex_lock(&c->lock);
    e->deadline_ms = deadline_ms;
    pthread_mutex_unlock(&c->lock);
}

void conns_body(struct conns *c, struct conns_entry *e, int64_t now_ms)
{
    set_deadline(c, e, now_ms + c->body_ms);
}

void conns_answer(struct conns *c, struct conns_entry *e)
{
    set_deadline(c, e, 0);
}

void conns_idle(struct conns *c, struct conns_entry *e, int64_t now_ms)
{
    set_deadline(c, e, now_ms + c->header_ms);
}

size_t conns_reap(struct conns *c, int64_t now_ms)
{
    size_t n = 0;
    pthread_mutex_lock(&c->lock);
    for (struct conns_entry *e = c->head; e; e = e->next) {
        if (e->deadline_ms && e->deadline_ms <= now_ms) {
            /* Under the lock: the socket cannot be closed (and its number
             * reused) before conns_close() has taken the entry out. */
            shutdown(e->fd, SHUT_RDWR);
            e->deadline_ms = 0;
            n++;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return n;
}
