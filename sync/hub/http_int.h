/* http_int: what http.c and http_api.c share inside the hub's HTTP
 * server: the server and request structures, the route type, the reply
 * helpers (http.c) and the endpoint handlers (http_api.c). Not for other
 * modules: they use http.h. */
#ifndef SCEAUX_HUB_HTTP_INT_H
#define SCEAUX_HUB_HTTP_INT_H
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "buf.h"
#include "conns.h"
#include "err.h"
#include "fleet.h"
#include "http.h"
#include "metrics.h"
#include "session.h"
#include "store.h"
#include "validate.h"
#include "waitq.h"

/* The last pull page built for each view (what a role may see: staff and
 * admin tokens, or kiosk tokens), plain and gzip: when a commit wakes
 * thousands of long-polls with the same cursor, one of them reads the
 * store and the others copy its bytes. Valid while the head has not moved. */
struct api_page {
    int64_t since, head;
    size_t limit;
    char *page[2]; /* [0] plain, [1] gzip; owned or NULL */
    size_t len[2];
};

struct api_cache {
    pthread_mutex_t lock;
    int64_t horizon;         /* the store's horizon as last seen: pages are of it */
    struct api_page view[2]; /* [0] staff and admin, [1] kiosk */
};

/* The agenda feed as last built (http_ical.c), plain and gzip: it is
 * the same for everyone until the head moves or the day changes, so a
 * crowd of anonymous requests costs one build. */
struct ical_feed {
    pthread_mutex_t lock;
    int64_t head, day; /* what the body is of: the store's head, the window's day */
    char *body[2];     /* [0] plain, [1] gzip; owned or NULL */
    size_t len[2];
};

struct hub_http {
    struct store *store; /* borrowed */
    struct hub_http_config cfg;
    struct MHD_Daemon *mhd;
    unsigned port;
    struct waitq waitq;
    struct fleet fleet;
    struct api_cache cache;
    struct ical_feed agenda;
    struct conns conns;
    char refused[320]; /* the 503 past cfg.conn_limit (http.c), refused_len bytes */
    size_t refused_len;
    struct metrics metrics;
    struct metrics_server *metrics_server; /* NULL unless cfg.metrics_listen */
    pthread_t timer;
    atomic_bool timer_stop;
    atomic_bool
        hearing; /* the store tells each commit (store_watch): the timer need not read the head */
    atomic_bool stopping;
    atomic_int inflight;    /* requests begun and not completed */
    atomic_size_t buffered; /* request body bytes held, all requests */
    atomic_int pictures;    /* uploads being checked (http_blobs.c): one at a time */
    size_t push_values;     /* JSON values a valid push holds at most */
    pthread_mutex_t drain_lock;
    pthread_cond_t drained;
    pthread_mutex_t log_lock; /* libmicrohttpd's lines this second (mhd_log) */
    int64_t log_second;
    long log_lines, log_dropped;
    struct session_table sessions; /* console logins */
    char console_dir[1024];        /* "" when the console is not installed */
};

struct route;

/* One request, from the first call of the access handler to completion. */
struct req {
    struct hub_http *h;
    struct MHD_Connection *conn;
    struct conns_entry *slot;  /* the connection's deadline (conns.h) */
    const struct route *route; /* NULL when no route has the path */
    int64_t start_ms;
    int64_t start_us; /* for /metrics */
    char method[16];
    char path[128];    /* printable copy for the log */
    char who[64];      /* token name for the log, "-" before auth */
    const char *allow; /* Allow header of a 405 */
    unsigned status;   /* answered status, 0 until then */
    struct buf body;   /* as sent, capped for the route (body_caps()) */
    size_t reserved;   /* bytes of body counted in h->buffered */
    bool too_big;
    bool overloaded;  /* the hub's body budget was full: 429 */
    enum err auth_rc; /* token lookup, done when the headers arrive */
    struct buf inflated;
    /* req_body()'s scan of the bytes it handed out: a parser given it
     * skips its own depth scan (changeset_limits.scanned). */
    struct validate_scan scan;
    struct store_token token; /* after auth: the token's, or a session's user */
    bool session;             /* authenticated by a console session cookie */
    int64_t session_expires;
    char session_token[SESSION_TOKEN_LEN + 1];
    char *set_cookie;     /* owned; a Set-Cookie header for the reply, or NULL */
    char retry_after[24]; /* a Retry-After header for a 429, or "" */
    const char *type;     /* Content-Type of a 200; NULL: application/json */
    const char *cache;    /* Cache-Control of a 200 without credentials, or NULL */
    bool cache_private;   /* cache goes with credentials too: the caller may keep it */
    char etag[160];       /* ETag of a 200 or 304, or "" */
    /* long-poll */
    struct waitq_entry wait;
    bool suspended;
    int64_t since;
    size_t limit;
};

/* What a route reads of a request body, and so the caps it gets
 * (body_caps() in http.c): a body is only ever as big as a valid one. */
enum route_body {
    BODY_NONE,    /* read and dropped */
    BODY_LOGIN,   /* a console login or signature: a few bytes, few values */
    BODY_PUSH,    /* a push: the configured sizes, values for 1000 changes */
    BODY_PICTURE, /* an upload: CAPS_PICTURE_MAX bytes, not JSON, never inflated */
};

struct route {
    const char *path; /* "*" stands for one segment: req_path_id(), req_path_segment() */
    const char *method;
    bool auth;
    enum route_body body;
    enum MHD_Result (*handler)(struct req *r);
};

/* http.c */
enum MHD_Result req_reply(struct req *r, unsigned status, char *body, size_t len); /* takes body */
/* req_reply in two steps: gzip when asked (true if done), then send. */
bool req_wants_gzip(struct req *r);
bool req_encode(struct req *r, char **body, size_t *len);
enum MHD_Result req_send(struct req *r, unsigned status, char *body, size_t len, bool gz);
/* Adds the answer's headers to resp (taken) and queues it: what
 * req_send() does, for any kind of response. */
enum MHD_Result req_queue(struct req *r, unsigned status, struct MHD_Response *resp, bool gz);
enum MHD_Result req_reply_json(struct req *r, unsigned status, json_t *body); /* steals body */
enum MHD_Result req_error(struct req *r, unsigned status, const char *error, const char *field,
                          const char *message);
enum MHD_Result req_verr(struct req *r, unsigned status, const struct verr *e);

/* The segment in place of the "*" of the request's route path, as sent
 * (printable ASCII, no '/'); false when there is none. */
#define SEGMENT_MAX 127
MUST_USE bool req_path_segment(const struct req *r, char out[SEGMENT_MAX + 1]);
/* The same segment when it is an id (id.h); false otherwise. */
MUST_USE bool req_path_id(const struct req *r, char out[ID_MAX + 1]);
void req_note_kiosk(struct req *r, int64_t cursor);
/* The client's address as text ("" when unknown). */
void req_client_address(struct req *r, char *out, size_t outlen);
void api_wake(struct hub_http *h, int64_t head);
/* "HOST:PORT" (IPv6 hosts in brackets) to an address to listen on; free
 * it with freeaddrinfo(). On error errbuf says why. */
struct addrinfo;
enum err req_resolve(const char *listen, struct addrinfo **out, char *errbuf, size_t errlen);

/* http_body.c */
/* The body as its handler sees it (inflated, pre-scanned, the scan in
 * r->scan); false with the error reply queued. */
bool req_body(struct req *r, const char **data, size_t *len, enum MHD_Result *ret);
/* The body as sent, for a route whose body is not JSON (a picture):
 * identity encoding only (415 otherwise); false with the error reply
 * queued. */
bool req_body_raw(struct req *r, const char **data, size_t *len, enum MHD_Result *ret);
/* The body's caps from r->route; then each piece as it arrives; at the
 * end its memory freed. */
void req_body_init(struct req *r);
void req_body_feed(struct req *r, const char *data, size_t n);
void req_body_release(struct req *r);
/* The most JSON values a valid push holds, from tables.h. */
size_t req_push_values_max(void);

/* http_api.c */
void api_cache_init(struct api_cache *c);
void api_cache_release(struct api_cache *c);
/* Records the store's horizon; a change drops the cached pages (a purge
 * moves it without moving the head, and changes what a pull answers). */
void api_cache_horizon(struct api_cache *c, int64_t horizon);
enum MHD_Result api_health(struct req *r);
enum MHD_Result api_changes(struct req *r);
enum MHD_Result api_changes_answer(struct req *r);
enum MHD_Result api_push(struct req *r);
enum MHD_Result api_fleet(struct req *r);
/* http_blobs.c: pictures. */
enum MHD_Result api_blob_get(struct req *r);
enum MHD_Result api_blob_post(struct req *r);
/* http_ical.c: the public calendars. */
void api_ical_init(struct ical_feed *f);
void api_ical_release(struct ical_feed *f);
enum MHD_Result api_agenda_ics(struct req *r);
enum MHD_Result api_busy_ics(struct req *r);
/* Parses a decimal count (digits only, at most 15); false otherwise. */
MUST_USE bool api_parse_count(const char *s, int64_t *out);
/* A JSON string, or JSON null for a NULL s. */
json_t *api_str_or_null(const char *s);

#endif
