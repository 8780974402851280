/* http (hub): docs/protocol.md's endpoints over libmicrohttpd.
 *
 * A request goes through on_request() several times: the first call only
 * allocates its `struct req` (libmicrohttpd 0.9.75 closes keep-alive
 * connections when a response is queued on the first call), the calls
 * with body data count and buffer it up to the cap, and the last call
 * dispatches through the `routes` table below. A long-poll with nothing
 * to return suspends its connection and parks in the waitq; a commit, its
 * deadline or shutdown resumes it, and the next call answers. The timer
 * thread sleeps until the earliest deadline, and closes the connections
 * past theirs (conns.h: headers and body have a total time, not an idle
 * one). on_completed() logs one line per request and frees it. Bodies are
 * in http_body.c, handlers in http_api.c. */
#include "http.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "auth.h"
#include "console.h"
#include "fault.h"
#include "gz.h"
#include "http_int.h"
#include "id.h"
#include "caps.h"
#include "log.h"
#include "tls.h"
#include "ts.h"
#include "xalloc.h"

static const struct route routes[] = {
    {"/v1/health", "GET", false, BODY_NONE, api_health},
    {"/v1/changes", "GET", true, BODY_NONE, api_changes},
    {"/v1/push", "POST", true, BODY_PUSH, api_push},
    {"/v1/fleet", "GET", true, BODY_NONE, api_fleet},
    /* Pictures (http_blobs.c): uploads by staff, by name for any token. */
    {"/v1/blobs", "POST", true, BODY_PICTURE, api_blob_post},
    {"/v1/blobs/*", "GET", true, BODY_NONE, api_blob_get},
    /* Public calendars (http_ical.c): no token, public information. */
    {"/v1/agenda.ics", "GET", false, BODY_NONE, api_agenda_ics},
    {"/v1/rooms/*/busy.ics", "GET", false, BODY_NONE, api_busy_ics},
    /* The staff console (console.c): its page, then its endpoints. */
    {"/console", "GET", false, BODY_NONE, console_redirect},
    {"/console/", "GET", false, BODY_NONE, console_static},
    {"/console/index.html", "GET", false, BODY_NONE, console_static},
    {"/console/console.css", "GET", false, BODY_NONE, console_static},
    {"/console/console.js", "GET", false, BODY_NONE, console_static},
    {"/console/forms.js", "GET", false, BODY_NONE, console_static},
    {"/console/ideas.js", "GET", false, BODY_NONE, console_static},
    {"/console/picture.js", "GET", false, BODY_NONE, console_static},
    {"/v1/console/login", "POST", false, BODY_LOGIN, console_login},
    {"/v1/console/logout", "POST", false, BODY_NONE, console_logout},
    {"/v1/console/session", "GET", false, BODY_NONE, console_session},
    {"/v1/console/audit", "GET", false, BODY_NONE, console_audit},
    {"/v1/console/signature", "POST", false, BODY_LOGIN, console_sign},
    {"/v1/console/schema", "GET", false, BODY_NONE, console_schema},
};

/* Whether path matches pattern: equal, or with one segment (1 to
 * SEGMENT_MAX bytes, no '/'; copied to seg when not NULL) where pattern
 * has "*". What the segment must be is its handler's to check, so that a
 * malformed one is answered as such. */
static bool path_match(const char *pattern, const char *path, char seg_out[SEGMENT_MAX + 1])
{
    const char *star = strchr(pattern, '*');
    if (!star)
        return strcmp(pattern, path) == 0;
    size_t pre = (size_t)(star - pattern);
    if (strncmp(pattern, path, pre) != 0)
        return false;
    const char *seg = path + pre;
    size_t n = strcspn(seg, "/");
    if (n == 0 || n > SEGMENT_MAX || strcmp(seg + n, star + 1) != 0)
        return false;
    if (seg_out) {
        memcpy(seg_out, seg, n);
        seg_out[n] = '\0';
    }
    return true;
}

static const struct route *find_route(const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (path_match(routes[i].path, path, NULL))
            return &routes[i];
    return NULL;
}

bool req_path_segment(const struct req *r, char out[SEGMENT_MAX + 1])
{
    return r->route && strchr(r->route->path, '*') && path_match(r->route->path, r->path, out);
}

bool req_path_id(const struct req *r, char out[ID_MAX + 1])
{
    char seg[SEGMENT_MAX + 1];
    if (!req_path_segment(r, seg) || !id_valid(seg))
        return false;
    memcpy(out, seg, strlen(seg) + 1);
    return true;
}

void hub_http_defaults(struct hub_http_config *cfg)
{
    cfg->listen = "127.0.0.1:8080";
    cfg->body_max = CAPS_BODY_MAX;
    cfg->inflated_max = CAPS_INFLATED_MAX;
    cfg->bodies_max = 256u << 20;
    cfg->threads = 2;
    cfg->conn_limit = 8000;
    cfg->per_ip_limit = 64;
    cfg->timeout = 90;
    cfg->header_timeout = 10;
    cfg->body_timeout = 60;
    cfg->console_dir = NULL;
    cfg->offline_after = 90;
    cfg->session_ttl = SESSION_TTL;
    cfg->metrics_listen = NULL;
    cfg->db_path = NULL;
    cfg->blobs = NULL;
    cfg->picture = PICTURE_LIMITS_DEFAULT;
    cfg->tls = false;
    cfg->insecure_http = false;
    cfg->offer_days = 30;
    cfg->hear_commits = true;
}

/* ---- replies --------------------------------------------------------------- */

static bool accepts_gzip(struct req *r)
{
    const char *v =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (!v)
        return false;
    /* Tokens separated by commas; "gzip;q=0" refuses it. */
    while (*v) {
        while (*v == ' ' || *v == ',')
            v++;
        size_t n = strcspn(v, ",");
        size_t name = strcspn(v, ";, ");
        if (name == 4 && strncasecmp(v, "gzip", 4) == 0) {
            const char *q = v + name;
            const char *end = v + n;
            const char *qp = strstr(q, "q=");
            bool zero = qp && qp < end && strspn(qp + 2, "0.") >= (size_t)(end - qp - 2);
            return !zero;
        }
        v += n;
    }
    return false;
}

bool req_wants_gzip(struct req *r)
{
    return accepts_gzip(r);
}

/* Compresses *body in place when the client asked for gzip; false when it
 * stays as it is. */
bool req_encode(struct req *r, char **body, size_t *len)
{
    if (!accepts_gzip(r))
        return false;
    struct buf out;
    buf_init(&out, *len + *len / 8 + 1024);
    if (gz_compress(*body, *len, &out) != ERR_OK) {
        buf_release(&out);
        return false;
    }
    free(*body);
    *body = buf_detach(&out, len);
    return true;
}

enum MHD_Result req_send(struct req *r, unsigned status, char *body, size_t len, bool gz)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    return req_queue(r, status, resp, gz);
}

enum MHD_Result req_queue(struct req *r, unsigned status, struct MHD_Response *resp, bool gz)
{
    r->status = status;
    bool success = status == 200 || status == 304;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            success && r->type ? r->type : "application/json");
    if (success && r->etag[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->etag);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (gz)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (status == 405 && r->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    if (status == 429 && r->retry_after[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, r->retry_after);
    if (r->set_cookie)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
    /* An answer to a request with credentials is for that caller alone,
     * unless it says how that caller may keep it (a picture). */
    if (success && r->cache && r->cache_private)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache);
    else if (r->session || r->set_cookie ||
             MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    else if (success && r->cache)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache);
    enum MHD_Result ok = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

enum MHD_Result req_reply(struct req *r, unsigned status, char *body, size_t len)
{
    bool gz = req_encode(r, &body, &len);
    return req_send(r, status, body, len, gz);
}

enum MHD_Result req_reply_json(struct req *r, unsigned status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!text)
        return MHD_NO;
    return req_reply(r, status, text, strlen(text));
}

enum MHD_Result req_error(struct req *r, unsigned status, const char *error, const char *field,
                          const char *message)
{
    json_t *o = json_object();
    json_object_set_new(o, "error", json_string(error));
    json_object_set_new(o, "message", json_string(message));
    if (field && field[0])
        json_object_set_new(o, "field", json_string(field));
    return req_reply_json(r, status, o);
}

enum MHD_Result req_verr(struct req *r, unsigned status, const struct verr *e)
{
    return req_error(r, status, e->error[0] ? e->error : "invalid", e->field, e->message);
}

/* ---- request state ----------------------------------------------------------- */

static void copy_printable(char *out, size_t outlen, const char *in)
{
    size_t i = 0;
    for (; in && in[i] && i + 1 < outlen; i++) {
        unsigned char c = (unsigned char)in[i];
        out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    out[i] = '\0';
}

static enum err lookup_token(struct req *r);

static struct req *req_new(struct hub_http *h, struct MHD_Connection *conn, const char *url,
                           const char *method)
{
    struct req *r = xcalloc(1, sizeof *r);
    r->h = h;
    r->conn = conn;
    r->start_ms = ts_mono_ms();
    r->start_us = ts_mono_us();
    copy_printable(r->path, sizeof r->path, url);
    copy_printable(r->method, sizeof r->method, method);
    snprintf(r->who, sizeof r->who, "-");
    r->route = find_route(r->path);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    r->slot = ci ? ci->socket_context : NULL;
    if (r->slot)
        conns_body(&h->conns, r->slot, r->start_ms);
    req_body_init(r);
    r->wait.owner = r;
    /* The headers are all here: knowing the token now lets the body of an
     * unauthenticated request be dropped instead of held. */
    r->auth_rc = lookup_token(r);
    atomic_fetch_add(&h->inflight, 1);
    return r;
}

static void req_free(struct req *r)
{
    req_body_release(r);
    store_token_release(&r->token);
    free(r->set_cookie);
    free(r);
}

/* ---- auth --------------------------------------------------------------------- */

/* Looks the bearer token up into r->token: ERR_OK, ERR_AUTH when there
 * is none or it is unknown or revoked, another code when storage failed. */
static enum err lookup_token(struct req *r)
{
    const char *v =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!v)
        return console_auth(r); /* a console session, or nothing */
    if (strncasecmp(v, "Bearer ", 7) != 0)
        return ERR_AUTH;
    const char *tok = v + 7;
    while (*tok == ' ')
        tok++;
    size_t n = strlen(tok);
    while (n && tok[n - 1] == ' ')
        n--;
    if (n == 0 || n > 256)
        return ERR_AUTH;
    char hash[AUTH_HASH_LEN + 1];
    auth_token_hash(tok, n, hash);
    enum err rc = store_token_lookup(r->h->store, hash, &r->token);
    if (rc == ERR_OK)
        copy_printable(r->who, sizeof r->who, r->token.name);
    return rc;
}

/* The verdict of lookup_token(), or the 401 (500) reply. */
static bool authenticate(struct req *r, enum MHD_Result *ret)
{
    if (r->auth_rc == ERR_OK)
        return true;
    if (r->auth_rc != ERR_AUTH) {
        log_error("cannot look up a token: %s", store_errmsg(r->h->store));
        *ret = req_error(r, 500, "internal", NULL, "the hub cannot read its tokens");
    } else {
        *ret = req_error(r, 401, "unauthorized", NULL, "no or unknown bearer token");
    }
    return false;
}

void req_client_address(struct req *r, char *out, size_t outlen)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)outlen);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)outlen);
}

/* Kiosk requests update the fleet view; cursor -1 when not a pull. */
void req_note_kiosk(struct req *r, int64_t cursor)
{
    if (r->token.role != STORE_KIOSK || !r->token.name)
        return;
    char addr[FLEET_ADDRESS_MAX];
    req_client_address(r, addr, sizeof addr);
    const char *v = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Sceaux-Version");
    char version[FLEET_VERSION_MAX + 1];
    if (v && strlen(v) <= FLEET_VERSION_MAX)
        copy_printable(version, sizeof version, v);
    else
        version[0] = '\0';
    const char *o = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Sceaux-Outbox");
    int64_t outbox = -1;
    if (o && !api_parse_count(o, &outbox))
        outbox = -1;
    /* Absent means healthy; a value outside the set is ignored as if
     * absent, and only the hub's own code is kept. */
    enum fault fault =
        fault_parse(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, FAULT_HEADER));
    fleet_note(&r->h->fleet, r->token.name, r->token.site, addr[0] ? addr : NULL,
               version[0] ? version : NULL, outbox, fault, cursor, ts_now());
}

/* ---- dispatch ----------------------------------------------------------------- */

struct framing {
    int lengths;          /* Content-Length headers */
    const char *transfer; /* the Transfer-Encoding header, or NULL */
    int transfers;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct framing *f = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        f->lengths++;
    if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->transfer = value;
        f->transfers++;
    }
    return MHD_YES;
}

/* A request whose length two readers could read apart (a proxy in front
 * and the hub): more than one Content-Length, Content-Length with
 * Transfer-Encoding, or a transfer coding other than one "chunked".
 * libmicrohttpd takes the first length, or chunked over a length. */
static bool framing_ambiguous(struct MHD_Connection *conn)
{
    struct framing f = {0, NULL, 0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
    if (f.lengths > 1 || (f.lengths && f.transfers) || f.transfers > 1)
        return true;
    return f.transfer && strcasecmp(f.transfer, "chunked") != 0;
}

static enum MHD_Result dispatch(struct req *r)
{
    if (atomic_load(&r->h->stopping))
        return req_error(r, 503, "shutting_down", NULL, "the hub is shutting down");
    const struct route *rt = r->route;
    if (!rt)
        return req_error(r, 404, "not_found", NULL, "no such endpoint");
    bool head = strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0;
    if (strcmp(rt->method, r->method) != 0 && !head) {
        r->allow = strcmp(rt->method, "GET") == 0 ? "GET, HEAD" : rt->method;
        return req_error(r, 405, "method_not_allowed", NULL, "this endpoint takes another method");
    }
    enum MHD_Result ret = MHD_NO;
    if (rt->auth && !authenticate(r, &ret))
        return ret;
    /* A cookie rides along with any request the browser makes: a
     * state-changing one must come from the hub's own page (CSRF). */
    if (r->session && !head && strcmp(r->method, "GET") != 0 && !console_same_origin(r))
        return req_error(r, 403, "forbidden", NULL,
                         "a console request must come from the hub's own page (Origin)");
    return rt->handler(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct hub_http *h = cls;
    struct req *r = *con_cls;
    if (!r) {
        *con_cls = r = req_new(h, conn, url, method);
        /* Answered before the body is read: libmicrohttpd then closes the
         * connection, and nothing of the body is applied. */
        if (framing_ambiguous(conn))
            return req_error(r, 400, "invalid", NULL,
                             "a request carries one Content-Length or Transfer-Encoding: "
                             "chunked, not both nor twice");
        return MHD_YES;
    }
    if (r->status) {
        *upload_data_size = 0; /* answered early: the rest is dropped */
        return MHD_YES;
    }
    if (*upload_data_size) {
        req_body_feed(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->suspended) {
        /* Resumed: a commit, the deadline or shutdown. */
        r->suspended = false;
        return api_changes_answer(r);
    }
    if (r->slot)
        conns_answer(&h->conns, r->slot);
    return dispatch(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct hub_http *h = cls;
    struct req *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    waitq_remove(&h->waitq, &r->wait);
    if (r->slot)
        conns_idle(&h->conns, r->slot, ts_mono_ms());
    long long ms = (long long)(ts_mono_ms() - r->start_ms);
    metrics_note_request(&h->metrics, r->route ? (size_t)(r->route - routes) : SIZE_MAX, r->status,
                         ts_mono_us() - r->start_us);
    if (r->status)
        log_info("%s %s %u %lldms %s", r->method, r->path, r->status, ms, r->who);
    else
        log_info("%s %s - %lldms %s (no answer)", r->method, r->path, ms, r->who);
    req_free(r);
    pthread_mutex_lock(&h->drain_lock);
    atomic_fetch_sub(&h->inflight, 1);
    pthread_cond_broadcast(&h->drained);
    pthread_mutex_unlock(&h->drain_lock);
}

/* ---- connections --------------------------------------------------------------- */

/* libmicrohttpd stops accepting when it reaches its own connection limit
 * (new ones then wait in the listen queue), so it is given this much
 * more than cfg.conn_limit, and the connections past it are refused here
 * at once, with an answer. */
#define REFUSE_ROOM 64
/* Descriptors kept for the database, logs and the console's files. */
#define FD_ROOM 64
/* A connection's memory (request line, headers, the answer's headers).
 * Over 32 KiB, libmicrohttpd maps each pool on its own: it touches only the
 * pages it uses and goes back whole when the connection closes. At 32 KiB
 * it mallocs the pool, and glibc places it in the chunks the previous burst
 * freed, every page resident: 2,000 long-polls held 35 MB in a first round
 * and up to 52 MB in later ones; mapped, 27-29 MB in every round
 * (bench/longpoll.sh). */
#define CONN_POOL_BYTES ((size_t)48 * 1024)

static const char refused_body[] =
    "{\"error\":\"too_many_connections\",\"message\":\"the hub holds all the connections it "
    "can; retry shortly\"}";

/* The whole answer past the limit, written once at start. */
static void refused_init(struct hub_http *h)
{
    int n = snprintf(h->refused, sizeof h->refused,
                     "HTTP/1.1 503 Service Unavailable\r\n"
                     "Content-Type: application/json\r\n"
                     "X-Content-Type-Options: nosniff\r\n"
                     "Retry-After: 1\r\n"
                     "Connection: close\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     strlen(refused_body), refused_body);
    h->refused_len = n > 0 && (size_t)n < sizeof h->refused ? (size_t)n : 0;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct hub_http *h = cls;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        if (*socket_context)
            conns_close(&h->conns, *socket_context);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci)
        return;
    size_t count;
    *socket_context = conns_open(&h->conns, ci->connect_fd, ts_mono_ms(), &count);
    if (count > h->cfg.conn_limit) {
        /* Best effort and never blocking: the client learns why at once. */
        ssize_t sent =
            send(ci->connect_fd, h->refused, h->refused_len, MSG_NOSIGNAL | MSG_DONTWAIT);
        (void)sent;
        shutdown(ci->connect_fd, SHUT_RDWR);
    }
}

/* The connection limit within the descriptors the process may open. */
static unsigned fit_conn_limit(unsigned want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return want;
    rlim_t room =
        rl.rlim_cur > 2 * FD_ROOM + REFUSE_ROOM ? rl.rlim_cur - FD_ROOM - REFUSE_ROOM : FD_ROOM;
    if ((rlim_t)want <= room)
        return want;
    log_info("%u connections at most: the descriptor limit is %llu", (unsigned)room,
             (unsigned long long)rl.rlim_cur);
    return (unsigned)room;
}

/* ---- waking long-polls --------------------------------------------------------- */

static void resume_all(struct waitq_entry *e)
{
    while (e) {
        struct waitq_entry *next = e->next;
        struct req *r = e->owner;
        e->next = NULL;
        MHD_resume_connection(r->conn);
        e = next;
    }
}

void api_wake(struct hub_http *h, int64_t head)
{
    resume_all(waitq_take(&h->waitq, head, ts_mono_ms()));
}

void hub_http_notify(struct hub_http *h)
{
    struct store_state st;
    if (store_state(h->store, &st) == ERR_OK) {
        api_cache_horizon(&h->cache, st.horizon);
        api_wake(h, st.head);
    }
}

/* store_watch's: a commit another process made, heard at once. */
static void on_heard(void *arg, int64_t head, int64_t horizon)
{
    struct hub_http *h = arg;
    api_cache_horizon(&h->cache, horizon);
    if (head > waitq_head(&h->waitq))
        api_wake(h, head);
}

static void on_listening(void *arg, bool on, const char *why)
{
    struct hub_http *h = arg;
    atomic_store(&h->hearing, on);
    if (on) {
        log_info("hearing the commits of other hubs (LISTEN)");
        return;
    }
    log_error("not hearing the commits of other hubs (%s): reading the head every 500 ms", why);
    waitq_kick(&h->waitq); /* the timer reads it now */
}

/* Sleeps until the earliest deadline (or 500 ms, so that commits by other
 * processes are seen within a second when the store does not tell them),
 * then wakes what is due. */
static void *timer_main(void *arg)
{
    struct hub_http *h = arg;
    while (!atomic_load(&h->timer_stop)) {
        waitq_wait(&h->waitq, 500);
        if (atomic_load(&h->timer_stop))
            break;
        struct store_state st;
        int64_t head = 0;
        if (!atomic_load(&h->hearing) && store_state(h->store, &st) == ERR_OK) {
            head = st.head;
            /* A purge by `sceaux-hub purge` moves only the horizon. */
            api_cache_horizon(&h->cache, st.horizon);
        }
        api_wake(h, head);
        size_t reaped = conns_reap(&h->conns, ts_mono_ms());
        if (reaped)
            log_info("closed %zu connections past their deadline", reaped);
    }
    return NULL;
}

void hub_http_tick(struct hub_http *h)
{
    if (fleet_flush(&h->fleet, h->store))
        log_error("cannot record the fleet: %s", store_errmsg(h->store));
}

/* ---- start and stop --------------------------------------------------------------- */

static bool split_listen(const char *listen, char *host, size_t hostlen, char *port, size_t portlen)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || !colon[1])
        return false;
    const char *h = listen;
    size_t n = (size_t)(colon - listen);
    if (h[0] == '[' && n >= 2 && h[n - 1] == ']') {
        h++;
        n -= 2;
    }
    if (n + 1 > hostlen || strlen(colon + 1) + 1 > portlen)
        return false;
    memcpy(host, h, n);
    host[n] = '\0';
    snprintf(port, portlen, "%s", colon + 1);
    return strspn(port, "0123456789") == strlen(port);
}

/* libmicrohttpd logs a line per refused or broken connection: under an
 * attack that is thousands a second, so at most MHD_LOG_PER_SECOND go to
 * the log and the rest are counted. */
#define MHD_LOG_PER_SECOND 10

enum err req_resolve(const char *listen, struct addrinfo **out, char *errbuf, size_t errlen)
{
    char host[256], port[16];
    if (!split_listen(listen, host, sizeof host, port, sizeof port)) {
        snprintf(errbuf, errlen, "bad listen address '%s' (want HOST:PORT)", listen);
        return ERR_INVALID;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    *out = NULL;
    int g = getaddrinfo(host, port, &hints, out);
    if (g != 0 || !*out) {
        snprintf(errbuf, errlen, "cannot resolve '%s': %s", host, gai_strerror(g));
        return ERR_INVALID;
    }
    return ERR_OK;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct hub_http *h = cls;
    int64_t second = ts_mono_ms() / 1000;
    pthread_mutex_lock(&h->log_lock);
    long dropped = 0;
    if (second != h->log_second) {
        dropped = h->log_dropped;
        h->log_second = second;
        h->log_lines = 0;
        h->log_dropped = 0;
    }
    bool show = h->log_lines < MHD_LOG_PER_SECOND;
    if (show)
        h->log_lines++;
    else
        h->log_dropped++;
    pthread_mutex_unlock(&h->log_lock);
    if (dropped)
        log_error("libmicrohttpd: %ld more messages in the last second not shown", dropped);
    if (!show)
        return;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    log_error("libmicrohttpd: %s", line);
}

static enum err start_daemon(struct hub_http *h, const struct sockaddr *sa, char *errbuf,
                             size_t errlen)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL : MHD_USE_POLL;
    if (sa->sa_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* The TLS options go in an array so that a plain server passes none. */
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_CERT_CALLBACK, 0, (void *)tls_mhd_callback()},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
        {MHD_OPTION_END, 0, NULL},
    };
    if (h->cfg.tls) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(errbuf, errlen, "this libmicrohttpd has no TLS: serve behind a proxy");
            return ERR_INVALID;
        }
        flags |= MHD_USE_TLS;
    }
    h->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
        MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, h, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        CONN_POOL_BYTES, MHD_OPTION_CONNECTION_TIMEOUT, h->cfg.timeout, MHD_OPTION_CONNECTION_LIMIT,
        h->cfg.conn_limit + REFUSE_ROOM, MHD_OPTION_PER_IP_CONNECTION_LIMIT, h->cfg.per_ip_limit,
        MHD_OPTION_THREAD_POOL_SIZE, h->cfg.threads > 1 ? h->cfg.threads : 0, MHD_OPTION_ARRAY,
        h->cfg.tls ? tls_opts : &tls_opts[2], MHD_OPTION_END);
    if (!h->mhd) {
        snprintf(errbuf, errlen, "cannot listen on '%s'", h->cfg.listen);
        return ERR_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di ? di->port : 0;
    return ERR_OK;
}

/* Frees h and what it holds, once its daemon and timer are stopped. */
static void release(struct hub_http *h)
{
    conns_release(&h->conns);
    session_release(&h->sessions);
    api_cache_release(&h->cache);
    api_ical_release(&h->agenda);
    fleet_release(&h->fleet);
    waitq_release(&h->waitq);
    pthread_cond_destroy(&h->drained);
    pthread_mutex_destroy(&h->drain_lock);
    pthread_mutex_destroy(&h->log_lock);
    free(h);
}

enum err hub_http_start(struct store *store, const struct hub_http_config *cfg,
                        struct hub_http **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    struct addrinfo *ai = NULL;
    enum err rc = req_resolve(cfg->listen, &ai, errbuf, errlen);
    if (rc)
        return rc;
    if (!cfg->tls && !cfg->insecure_http && !tls_addr_is_loopback(ai->ai_addr)) {
        snprintf(errbuf, errlen,
                 "plain HTTP on '%s' is refused: give --tls-cert and --tls-key, or "
                 "--insecure-http if a proxy on this network does TLS",
                 cfg->listen);
        freeaddrinfo(ai);
        return ERR_INVALID;
    }
    struct store_state st;
    if (store_state(store, &st)) {
        snprintf(errbuf, errlen, "cannot read the database: %s", store_errmsg(store));
        freeaddrinfo(ai);
        return ERR_DB;
    }
    struct hub_http *h = xcalloc(1, sizeof *h);
    h->store = store;
    h->cfg = *cfg;
    h->push_values = req_push_values_max();
    h->cfg.conn_limit = fit_conn_limit(cfg->conn_limit);
    refused_init(h);
    conns_init(&h->conns, (int64_t)cfg->header_timeout * 1000, (int64_t)cfg->body_timeout * 1000);
    waitq_init(&h->waitq, st.head);
    fleet_init(&h->fleet);
    api_cache_init(&h->cache);
    api_cache_horizon(&h->cache, st.horizon);
    api_ical_init(&h->agenda);
    session_init(&h->sessions, cfg->session_ttl);
    if (!console_find_dir(cfg->console_dir, h->console_dir))
        h->console_dir[0] = '\0';
    pthread_mutex_init(&h->drain_lock, NULL);
    pthread_mutex_init(&h->log_lock, NULL);
    pthread_cond_init(&h->drained, NULL);
    const char *paths[sizeof routes / sizeof routes[0]];
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        paths[i] = routes[i].path;
    metrics_init(&h->metrics, paths, sizeof routes / sizeof routes[0]);
    rc = start_daemon(h, ai->ai_addr, errbuf, errlen);
    freeaddrinfo(ai);
    if (rc == ERR_OK && cfg->metrics_listen) {
        rc = metrics_start(h, cfg->metrics_listen, cfg->db_path ? cfg->db_path : "",
                           &h->metrics_server, errbuf, errlen);
        if (rc)
            MHD_stop_daemon(h->mhd);
        else
            log_info("metrics on %s port %u (GET /metrics)", cfg->metrics_listen,
                     metrics_port(h->metrics_server));
    }
    if (rc == ERR_OK && pthread_create(&h->timer, NULL, timer_main, h) != 0) {
        snprintf(errbuf, errlen, "cannot start the timer thread");
        if (h->metrics_server)
            metrics_stop(h->metrics_server);
        MHD_stop_daemon(h->mhd);
        rc = ERR_IO;
    }
    if (rc) {
        release(h);
        return rc;
    }
    /* Until it tells that it listens (never on SQLite or with
     * --no-listen), the timer reads the head. */
    const struct store_watcher w = {on_heard, on_listening, h};
    if (cfg->hear_commits)
        store_watch(store, &w);
    *out = h;
    return ERR_OK;
}

unsigned hub_http_port(struct hub_http *h)
{
    return h->port;
}

const char *hub_http_console_dir(struct hub_http *h)
{
    return h->console_dir;
}

void hub_http_stop(struct hub_http *h, int64_t grace_ms)
{
    store_unwatch(h->store);
    atomic_store(&h->hearing, false);
    MHD_socket lsock = MHD_quiesce_daemon(h->mhd);
    atomic_store(&h->stopping, true);
    /* Waiting long-polls get their answer (the current state) now. */
    resume_all(waitq_close(&h->waitq));
    int64_t until = ts_mono_ms() + grace_ms;
    pthread_mutex_lock(&h->drain_lock);
    while (atomic_load(&h->inflight) > 0 && ts_mono_ms() < until) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&h->drained, &h->drain_lock, &ts);
    }
    pthread_mutex_unlock(&h->drain_lock);
    atomic_store(&h->timer_stop, true);
    waitq_kick(&h->waitq);
    pthread_join(h->timer, NULL);
    /* Anything that suspended after the close is resumed before the stop:
     * libmicrohttpd must not be stopped with suspended connections. */
    resume_all(waitq_take(&h->waitq, 0, 0));
    if (h->metrics_server)
        metrics_stop(h->metrics_server);
    MHD_stop_daemon(h->mhd);
    if (lsock != MHD_INVALID_SOCKET)
        close(lsock);
    hub_http_tick(h);
    release(h);
}
