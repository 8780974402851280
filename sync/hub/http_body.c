/* http_body: request bodies in the hub's HTTP server, from the bytes
 * libmicrohttpd hands over to what a handler reads (req_body()).
 *
 * Every route has caps that fit what a valid body of it can hold
 * (body_caps()): bytes as sent, bytes inflated and JSON values. Bytes are
 * counted as they arrive against the route's cap and the hub-wide budget;
 * a gzip body is pre-scanned while it inflates, so a bomb stops at the
 * first cap it meets, before jansson builds anything. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "caps.h"
#include "changeset.h"
#include "gz.h"
#include "http_int.h"
#include "tables.h"
#include "users.h"

/* A login is {"name": ..., "password": ...}: two members, a name of at
 * most 64 bytes and a password of at most USERS_PASSWORD_MAX bytes, each
 * written as two at worst (\" and \\). */
#define LOGIN_BYTES_MAX (2 * USERS_PASSWORD_MAX + 1024)
#define LOGIN_VALUES_MAX 16

struct body_caps {
    size_t sent, inflated, values;
};

/* The most JSON values a valid push holds: the envelope {"format": f,
 * "changes": [...]} is 5; a change {"id": i, "table": t, "op": o, "row":
 * {...}} is 9 and its row at most a key and a value for each column of
 * the widest table. */
size_t req_push_values_max(void)
{
    size_t cols = 0;
    for (int i = 0; i < tables_count; i++)
        if ((size_t)tables_all[i].ncols > cols)
            cols = (size_t)tables_all[i].ncols;
    return 5 + CHANGESET_PUSH_MAX * (9 + 2 * cols);
}

static struct body_caps body_caps(const struct hub_http *h, const struct route *rt)
{
    struct body_caps none = {0, 0, 0};
    struct body_caps login = {LOGIN_BYTES_MAX, LOGIN_BYTES_MAX, LOGIN_VALUES_MAX};
    struct body_caps push = {h->cfg.body_max, h->cfg.inflated_max, h->push_values};
    struct body_caps picture = {CAPS_PICTURE_MAX, 0, 0};
    if (!rt || rt->body == BODY_NONE)
        return none;
    if (rt->body == BODY_PICTURE)
        return picture;
    return rt->body == BODY_LOGIN ? login : push;
}

/* Counts n more body bytes against the hub-wide budget. */
static bool reserve(struct req *r, size_t n)
{
    struct hub_http *h = r->h;
    size_t before = atomic_fetch_add(&h->buffered, n);
    if (before + n > h->cfg.bodies_max) {
        atomic_fetch_sub(&h->buffered, n);
        return false;
    }
    r->reserved += n;
    return true;
}

static void drop_body(struct req *r)
{
    atomic_fetch_sub(&r->h->buffered, r->reserved);
    r->reserved = 0;
    buf_release(&r->body);
}

/* Bodies are counted as they arrive and kept only while under every cap;
 * past one, the rest is read and dropped, so the client can read the
 * answer instead of a reset connection. */
void req_body_feed(struct req *r, const char *data, size_t n)
{
    /* A login is the one body worth reading without credentials. */
    bool open = r->route && r->route->body == BODY_LOGIN;
    if (r->too_big || r->overloaded || (r->auth_rc != ERR_OK && !open))
        return;
    if (r->body.len + n > r->body.max) {
        r->too_big = true;
        drop_body(r);
    } else if (!reserve(r, n)) {
        r->overloaded = true;
        drop_body(r);
    } else if (buf_append(&r->body, data, n) != ERR_OK) {
        r->too_big = true;
        drop_body(r);
    }
}

static enum err scan_piece(void *scan, const char *piece, size_t n)
{
    return validate_scan_feed(scan, piece, n);
}

/* Inflates a gzip body into r->inflated, counting its JSON values as it
 * goes: a bomb stops at the first cap it meets. */
static bool inflate_body(struct req *r, struct validate_scan *scan, enum MHD_Result *ret)
{
    buf_init(&r->inflated, body_caps(r->h, r->route).inflated);
    enum err rc = gz_inflate_checked(r->body.data ? r->body.data : "", r->body.len, &r->inflated,
                                     scan_piece, scan);
    if (rc == ERR_OK || scan->failed)
        return true; /* a scan failure is answered by the caller */
    if (rc == ERR_TOO_BIG) {
        char msg[96];
        snprintf(msg, sizeof msg, "the inflated request body is over %zu bytes", r->inflated.max);
        *ret = req_error(r, 413, "too_big", NULL, msg);
    } else {
        *ret = req_error(r, 400, "invalid", NULL, "the gzip request body is corrupt");
    }
    return false;
}

/* The body as the handler sees it: inflated when it came gzip, and
 * pre-scanned so that its JSON values and depth are within what a valid
 * body of the route holds (nothing is parsed yet); the scan stays in
 * r->scan for the parser. Fills the reply itself on error and returns
 * false. */
/* The refusals every body gets the same way: an encoding other than
 * identity (and gzip when `gzip_ok`; *gzip says which came), the hub's
 * budget full, the route's cap passed. False with the reply queued. */
static bool body_arrived(struct req *r, bool gzip_ok, bool *gzip, enum MHD_Result *ret)
{
    const char *enc =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_ENCODING);
    *gzip = enc && strcasecmp(enc, "gzip") == 0;
    if (enc && enc[0] && strcasecmp(enc, "identity") != 0 && !(*gzip && gzip_ok)) {
        *ret = req_error(r, 415, "unsupported_encoding", NULL,
                         gzip_ok ? "request bodies may only be gzip or identity"
                                 : "this request body may only be identity");
        return false;
    }
    if (r->overloaded) {
        *ret = req_error(r, 429, "too_many_requests", NULL,
                         "the hub holds too many request bodies; retry shortly");
        return false;
    }
    if (r->too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "the request body is over %zu bytes", r->body.max);
        *ret = req_error(r, 413, "too_big", NULL, msg);
        return false;
    }
    return true;
}

bool req_body_raw(struct req *r, const char **data, size_t *len, enum MHD_Result *ret)
{
    bool gzip;
    if (!body_arrived(r, false, &gzip, ret))
        return false;
    *data = r->body.data ? r->body.data : "";
    *len = r->body.len;
    return true;
}

bool req_body(struct req *r, const char **data, size_t *len, enum MHD_Result *ret)
{
    bool gzip;
    if (!body_arrived(r, true, &gzip, ret))
        return false;
    struct validate_scan *scan = &r->scan;
    validate_scan_init(scan, VALIDATE_DEPTH_MAX, body_caps(r->h, r->route).values);
    struct buf *b = &r->body;
    if (gzip) {
        if (!inflate_body(r, scan, ret))
            return false;
        b = &r->inflated;
    } else {
        validate_scan_feed(scan, b->data ? b->data : "", b->len);
    }
    if (scan->failed) {
        *ret = req_verr(r, scan->failed == ERR_TOO_BIG ? 413 : 400, &scan->err);
        return false;
    }
    *data = b->data ? b->data : "";
    *len = b->len;
    return true;
}

void req_body_init(struct req *r)
{
    buf_init(&r->body, body_caps(r->h, r->route).sent);
}

/* What a big body took goes back to the system as it is freed: buffers
 * past the hub's mmap threshold (main.c, MALLOC_POOL_MMAP) are mapped on
 * their own, and the main loop's malloc_trim returns the small rest. */
void req_body_release(struct req *r)
{
    drop_body(r);
    buf_release(&r->inflated);
}
