/* http: the small libcurl client that sceaux-syncd and sceaux-admin share.
 *
 * One `struct http` is one libcurl easy handle (one keep-alive connection)
 * bound to a hub base URL and a bearer token; it is used by one thread at a
 * time. What it enforces so that callers cannot forget:
 *   - plain http:// only towards a loopback host unless the caller allows
 *     it (http_url_check); TLS always verified, with an optional CA file
 *     and public-key pin;
 *   - a response body is capped while it arrives (HTTP_BODY_MAX raw) and,
 *     when the hub sent it gzip, inflated with the same cap (gz_inflate);
 *     libcurl never decodes by itself: Accept-Encoding is our own header;
 *   - connect and low-speed timeouts on every request, and a cancel flag
 *     (set from a signal handler) that aborts a transfer within about a
 *     second, even a long-poll.
 * Library code: nothing here logs; failures come back as `enum err` plus a
 * one-line reason in struct http_response.error. Start with http_request(). */
#ifndef SCEAUX_HTTP_H
#define SCEAUX_HTTP_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "caps.h"

#define HTTP_BODY_MAX CAPS_ANSWER_MAX /* response bytes, raw and inflated */
#define HTTP_URL_MAX 2048
#define HTTP_TOKEN_MAX 512

struct http_opts {
    const char *base_url; /* borrowed: "https://hub.example:8443" (a trailing / is fine) */
    const char *token;    /* borrowed: bearer token, NULL for none */
    const char *ca_file;  /* borrowed: CA bundle, NULL for the system's */
    const char *pin;      /* borrowed: "sha256//<base64>" (';'-separated list), or NULL */
    const char *version;  /* borrowed: sent as X-Sceaux-Version, or NULL */
    long connect_timeout; /* seconds; 0 means 10 */
    /* Borrowed: a transfer stops with ERR_NET ("cancelled") soon after
     * *cancel becomes non-zero. NULL for none. */
    atomic_int *cancel;
};

struct http_request {
    const char *method; /* "GET" or "POST" */
    const char *path;   /* "/v1/changes?since=0", appended to the base URL */
    const void *body;   /* POST body or NULL */
    size_t body_len;
    bool body_gzip;    /* compress the body and send Content-Encoding: gzip */
    long outbox;       /* >= 0: sent as X-Sceaux-Outbox */
    const char *fault; /* borrowed: a fault.h code sent as X-Sceaux-Fault, or NULL */
    long idle_limit;   /* seconds without a byte before giving up; 0 means 30 */
    /* > 0: the whole exchange must end within idle_limit + (bytes sent) /
     * min_rate seconds; 0: within 4 x idle_limit. */
    long min_rate;
    bool fresh; /* on a new connection, never one kept alive (after a failure) */
    /* Non-NULL: a 200 answer's bytes go to sink as they arrive, never into
     * resp->body (a file written as it downloads); sink answers false to
     * stop, and so does an answer with a Content-Encoding: ERR_IO. Other
     * answers (404 and the like) are read into resp->body as usual. */
    bool (*sink)(void *ctx, const void *data, size_t len);
    void *sink_ctx;
};

struct http_response {
    long status;     /* HTTP status, 0 when no answer */
    struct buf body; /* inflated body, capped at HTTP_BODY_MAX */
    char error[256]; /* one line when http_request failed */
};

struct http;

/* Checks that url is http(s) with a host and no user info, and that
 * plain http goes only to a loopback host (127.0.0.0/8, ::1, localhost)
 * unless allow_http. ERR_INVALID with a sentence in why otherwise. */
MUST_USE enum err http_url_check(const char *url, bool allow_http, char *why, size_t whylen);

/* Reads a bearer token from the file at path: one line of printable
 * ASCII without spaces (so it can go in a header as it is), at most
 * HTTP_TOKEN_MAX characters; a trailing newline is fine. On success out
 * (outlen > HTTP_TOKEN_MAX) holds it; otherwise ERR_IO (cannot read) or
 * ERR_INVALID (not a token) with a sentence in why. */
MUST_USE enum err http_read_token(const char *path, char *out, size_t outlen, char *why,
                                  size_t whylen);

/* Once per program, before any thread starts (curl_global_init). */
MUST_USE enum err http_global_init(void);
void http_global_cleanup(void);

/* A new client (opts and the strings it points to are borrowed and must
 * outlive it). Does not connect. NULL only if libcurl cannot make a
 * handle. */
struct http *http_new(const struct http_opts *opts);
void http_free(struct http *h);

/* Sends one request and reads the whole answer into resp (initialised by
 * this call; release it with http_response_release). ERR_OK means an HTTP
 * answer arrived, whatever its status. Errors: ERR_NET (connect, TLS,
 * timeout, cancelled, reset), ERR_TOO_BIG (answer over the cap),
 * ERR_INVALID (an encoding other than gzip or identity, corrupt gzip),
 * ERR_IO (the request's sink refused the bytes). */
MUST_USE enum err http_request(struct http *h, const struct http_request *req,
                               struct http_response *resp);
void http_response_release(struct http_response *resp);

/* A one-line description of a non-2xx answer for messages: the
 * "error"/"message" of a JSON error body when there is one, e.g.
 * "401 unauthorized: unknown token". Writes into out (outlen bytes). */
void http_describe_status(const struct http_response *resp, char *out, size_t outlen);

#endif
