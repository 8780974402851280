/* http: libcurl easy handle with the project's caps, TLS rules and cancel
 * flag (see http.h). The body arrives into a capped buf from the write
 * callback; the Content-Encoding is read from the header callback and the
 * body inflated here, so libcurl's own decoder (CURLOPT_ACCEPT_ENCODING) is
 * never used and the cap covers the inflated size too. */
#include "http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fault.h"
#include "gz.h"
#include "validate.h"
#include "xalloc.h"

#define SEND_MAX (64u << 20) /* a gzip request body we build ourselves */

struct http {
    CURL *curl;
    const struct http_opts *opts;
    char errbuf[CURL_ERROR_SIZE];
};

/* What the callbacks of one transfer share. */
struct xfer {
    CURL *curl;
    const struct http_request *req;
    struct buf raw;
    bool too_big;
    bool sink_failed;  /* req->sink refused bytes, or they came encoded */
    char encoding[32]; /* Content-Encoding of the last response, lower case */
    atomic_int *cancel;
};

static void set_error(struct http_response *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_error(struct http_response *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    /* One line: a reason from a peer or libcurl may hold a newline. */
    for (char *p = r->error; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static bool host_is_loopback(const char *host)
{
    if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
        return true;
    struct in_addr a;
    if (inet_pton(AF_INET, host, &a) == 1)
        return (ntohl(a.s_addr) >> 24) == 127;
    return false;
}

enum err http_url_check(const char *url, bool allow_http, char *why, size_t whylen)
{
    if (strlen(url) > HTTP_URL_MAX) {
        snprintf(why, whylen, "hub URL is longer than %d characters", HTTP_URL_MAX);
        return ERR_INVALID;
    }
    CURLU *u = curl_url();
    if (!u)
        abort();
    char *scheme = NULL, *host = NULL, *user = NULL;
    enum err rc = ERR_OK;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        snprintf(why, whylen, "'%s' is not a URL", url);
        rc = ERR_INVALID;
    } else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
        snprintf(why, whylen, "hub URL must not hold credentials (use --token-file)");
        rc = ERR_INVALID;
    } else if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
        snprintf(why, whylen, "hub URL must be http:// or https://, not '%s'", scheme);
        rc = ERR_INVALID;
    } else if (strcmp(scheme, "http") == 0 && !allow_http && !host_is_loopback(host)) {
        snprintf(why, whylen,
                 "plain http to '%s' is refused: use https, or --insecure-http if you mean it",
                 host);
        rc = ERR_INVALID;
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_url_cleanup(u);
    return rc;
}

enum err http_read_token(const char *path, char *out, size_t outlen, char *why, size_t whylen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, whylen, "cannot open token file '%s': %s", path, strerror(errno));
        return ERR_IO;
    }
    char buf[HTTP_TOKEN_MAX + 2];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    bool bad_read = ferror(f) != 0;
    bool big = n == sizeof buf - 1 && fgetc(f) != EOF;
    fclose(f);
    if (bad_read) {
        snprintf(why, whylen, "cannot read token file '%s'", path);
        return ERR_IO;
    }
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    bool ok = !big && n > 0 && n <= HTTP_TOKEN_MAX && n < outlen;
    for (size_t i = 0; ok && i < n; i++)
        ok = buf[i] > 0x20 && buf[i] < 0x7f;
    if (!ok) {
        snprintf(why, whylen, "token file '%s' does not hold a token on one line", path);
        return ERR_INVALID;
    }
    memcpy(out, buf, n + 1);
    return ERR_OK;
}

enum err http_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? ERR_OK : ERR_IO;
}

void http_global_cleanup(void)
{
    curl_global_cleanup();
}

struct http *http_new(const struct http_opts *opts)
{
    CURL *c = curl_easy_init();
    if (!c)
        return NULL;
    struct http *h = xcalloc(1, sizeof *h);
    h->curl = c;
    h->opts = opts;
    return h;
}

void http_free(struct http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    free(h);
}

/* A 200 answer's bytes to the request's sink, as they are: a sink takes
 * files (pictures), which are never sent encoded. */
static size_t to_sink(struct xfer *x, const char *data, size_t len)
{
    bool plain = x->encoding[0] == '\0' || strcmp(x->encoding, "identity") == 0;
    if (!plain || !x->req->sink(x->req->sink_ctx, data, len)) {
        x->sink_failed = true;
        return 0; /* libcurl stops with CURLE_WRITE_ERROR */
    }
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct xfer *x = arg;
    size_t len = size * n;
    long status = 0;
    if (x->req->sink && curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
        status == 200)
        return to_sink(x, data, len);
    if (buf_append(&x->raw, data, len)) {
        x->too_big = true;
        return 0; /* libcurl stops with CURLE_WRITE_ERROR */
    }
    return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
    struct xfer *x = arg;
    size_t len = size * n;
    /* A new status line (after a 1xx or a redirect) starts a new header set. */
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0)
        x->encoding[0] = '\0';
    static const char name[] = "content-encoding:";
    if (len > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
        size_t i = sizeof name - 1, o = 0;
        while (i < len && (data[i] == ' ' || data[i] == '\t'))
            i++;
        while (i < len && data[i] != '\r' && data[i] != '\n' && o < sizeof x->encoding - 1)
            x->encoding[o++] = (char)tolower((unsigned char)data[i++]);
        while (o > 0 && (x->encoding[o - 1] == ' ' || x->encoding[o - 1] == '\t'))
            o--;
        x->encoding[o] = '\0';
    }
    return len;
}

static int on_progress(void *arg, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln)
{
    (void)dlt, (void)dln, (void)ult, (void)uln;
    struct xfer *x = arg;
    return x->cancel && *x->cancel ? 1 : 0;
}

static struct curl_slist *add_header(struct curl_slist *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static struct curl_slist *add_header(struct curl_slist *l, const char *fmt, ...)
{
    char line[HTTP_TOKEN_MAX + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    struct curl_slist *n = curl_slist_append(l, line);
    if (!n)
        abort();
    return n;
}

static struct curl_slist *build_headers(const struct http *h, const struct http_request *req)
{
    const struct http_opts *o = h->opts;
    struct curl_slist *l = NULL;
    l = add_header(l, "Accept-Encoding: %s", "gzip");
    l = add_header(l, "Expect:%s", ""); /* no 100-continue round trip */
    if (o->token)
        l = add_header(l, "Authorization: Bearer %s", o->token);
    if (o->version)
        l = add_header(l, "X-Sceaux-Version: %s", o->version);
    if (req->outbox >= 0) {
        char n[32];
        snprintf(n, sizeof n, "%ld", req->outbox);
        l = add_header(l, "X-Sceaux-Outbox: %s", n);
    }
    if (req->fault)
        l = add_header(l, "%s: %s", FAULT_HEADER, req->fault);
    if (req->body) {
        l = add_header(l, "Content-Type: %s", "application/json");
        if (req->body_gzip)
            l = add_header(l, "Content-Encoding: %s", "gzip");
    }
    return l;
}

/* Every option of one transfer; the handle keeps its connection between
 * requests, so each request sets everything it relies on. */
static void setup(struct http *h, const struct http_request *req, const char *url,
                  struct curl_slist *hdrs, const struct buf *send, struct xfer *x)
{
    const struct http_opts *o = h->opts;
    CURL *c = h->curl;
    long idle = req->idle_limit > 0 ? req->idle_limit : 30;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout > 0 ? o->connect_timeout : 10L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, idle);
    long whole = req->min_rate > 0 ? idle + (long)(send->len / (size_t)req->min_rate) : idle * 4;
    curl_easy_setopt(c, CURLOPT_TIMEOUT, whole);
    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, req->fresh ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
    if (o->pin)
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, o->pin);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    if (strcmp(req->method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, send->data ? send->data : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)send->len);
    } else if (strcmp(req->method, "GET") != 0) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
    }
}

static enum err decode(struct xfer *x, struct http_response *resp)
{
    if (x->encoding[0] == '\0' || strcmp(x->encoding, "identity") == 0) {
        resp->body = x->raw;
        buf_init(&x->raw, HTTP_BODY_MAX);
        return ERR_OK;
    }
    if (strcmp(x->encoding, "gzip") != 0) {
        set_error(resp, "answer in unsupported encoding '%s'", x->encoding);
        return ERR_INVALID;
    }
    enum err rc = gz_inflate(x->raw.data ? x->raw.data : "", x->raw.len, &resp->body);
    if (rc == ERR_TOO_BIG)
        set_error(resp, "answer over %d MiB once inflated", CAPS_ANSWER_MB);
    else if (rc)
        set_error(resp, "answer is not valid gzip (%s)", err_str(rc));
    return rc;
}

static enum err perform(struct http *h, struct xfer *x, struct http_response *resp)
{
    h->errbuf[0] = '\0';
    CURLcode cc = curl_easy_perform(h->curl);
    if (cc == CURLE_WRITE_ERROR && x->too_big) {
        set_error(resp, "answer over %d MiB", CAPS_ANSWER_MB);
        return ERR_TOO_BIG;
    }
    if (cc == CURLE_WRITE_ERROR && x->sink_failed) {
        set_error(resp, "cannot keep the answer (%s)",
                  x->encoding[0] ? x->encoding : strerror(errno));
        return ERR_IO;
    }
    if (cc == CURLE_ABORTED_BY_CALLBACK) {
        set_error(resp, "%s", "cancelled");
        return ERR_NET;
    }
    if (cc != CURLE_OK) {
        set_error(resp, "%s", h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc));
        return ERR_NET;
    }
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
    return decode(x, resp);
}

enum err http_request(struct http *h, const struct http_request *req, struct http_response *resp)
{
    resp->status = 0;
    resp->error[0] = '\0';
    buf_init(&resp->body, HTTP_BODY_MAX);

    const char *base = h->opts->base_url;
    size_t blen = strlen(base);
    while (blen > 0 && base[blen - 1] == '/')
        blen--;
    char *url = xasprintf("%.*s%s", (int)blen, base, req->path);

    struct buf send;
    buf_init(&send, SEND_MAX);
    enum err rc = ERR_OK;
    if (req->body && req->body_gzip)
        rc = gz_compress(req->body, req->body_len, &send);
    else if (req->body)
        rc = buf_append(&send, req->body, req->body_len);
    if (rc) {
        set_error(resp, "request body over %s", "64 MiB");
        free(url);
        buf_release(&send);
        return rc;
    }

    struct xfer x = {.curl = h->curl, .req = req, .cancel = h->opts->cancel};
    buf_init(&x.raw, HTTP_BODY_MAX);
    struct curl_slist *hdrs = build_headers(h, req);
    setup(h, req, url, hdrs, &send, &x);
    rc = perform(h, &x, resp);
    if (rc)
        resp->status = rc == ERR_NET ? 0 : resp->status;

    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hdrs);
    buf_release(&x.raw);
    buf_release(&send);
    free(url);
    return rc;
}

void http_response_release(struct http_response *resp)
{
    buf_release(&resp->body);
}

void http_describe_status(const struct http_response *resp, char *out, size_t outlen)
{
    json_t *root = NULL;
    struct verr e;
    const char *code = NULL, *msg = NULL;
    if (resp->body.len > 0 &&
        validate_json_load(resp->body.data, resp->body.len, VALIDATE_DEPTH_MAX, &root, &e) ==
            ERR_OK &&
        json_is_object(root)) {
        code = json_string_value(json_object_get(root, "error"));
        msg = json_string_value(json_object_get(root, "message"));
    }
    snprintf(out, outlen, "hub answered %ld%s%s%s%s", resp->status, code ? " " : "",
             code ? code : "", msg ? ": " : "", msg ? msg : "");
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    json_decref(root);
}
