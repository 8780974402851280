/* conns: the hub's open connections and the deadlines that bound them.
 *
 * libmicrohttpd 0.9.75 only knows an idle timeout, which every trickled
 * byte restarts. This module gives each connection a total deadline
 * instead: its request's headers must be in within `header_ms` of the
 * connection opening (or of the previous answer, on keep-alive), and its
 * body within `body_ms` of the headers. While a request is being answered
 * (or waits as a long-poll) it has none. A timer calls conns_reap(),
 * which shuts down the sockets past their deadline; libmicrohttpd then
 * sees the end of the stream and closes them itself.
 *
 * Entries are made and freed by libmicrohttpd's connection notifications
 * (http.c), which come before it closes the socket, so an entry's fd is
 * always the connection's own. Thread-safe. */
#ifndef SCEAUX_HUB_CONNS_H
#define SCEAUX_HUB_CONNS_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct conns_entry {
    int fd;
    int64_t deadline_ms; /* monotonic; 0 while answering */
    struct conns_entry *prev, *next;
};

struct conns {
    pthread_mutex_t lock;
    struct conns_entry *head;
    size_t count;
    int64_t header_ms, body_ms;
};

void conns_init(struct conns *c, int64_t header_ms, int64_t body_ms);
void conns_release(struct conns *c); /* every entry must be closed */

/* A new connection on fd: its headers are due within header_ms. Returns
 * the new entry (owned by c until conns_close) and, through *count, how
 * many are open with it. */
struct conns_entry *conns_open(struct conns *c, int fd, int64_t now_ms, size_t *count);
/* The connection is gone: unlinks and frees e. */
void conns_close(struct conns *c, struct conns_entry *e);

/* The request's headers are in: its body is due within body_ms. */
void conns_body(struct conns *c, struct conns_entry *e, int64_t now_ms);
/* The request is in whole and being answered: no deadline. */
void conns_answer(struct conns *c, struct conns_entry *e);
/* The answer is sent: the next request's headers are due within
 * header_ms (an idle keep-alive connection ends then). */
void conns_idle(struct conns *c, struct conns_entry *e, int64_t now_ms);

/* Shuts down every connection past its deadline; returns how many. */
size_t conns_reap(struct conns *c, int64_t now_ms);

#endif
