/* net: the daemon's requests to the hub (see net.h). */
#include "net.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>

#include "caps.h"
#include "fault.h"
#include "validate.h"

enum err net_open(struct net *n, const struct http_opts *opts, const atomic_int *fault)
{
    n->http = http_new(opts);
    n->failed = false;
    n->fault = fault;
    return n->http ? ERR_OK : ERR_NET;
}

void net_close(struct net *n)
{
    http_free(n->http);
    n->http = NULL;
}

/* Sends req; after a request that got no answer, on a new connection:
 * the kept-alive one may be the one that stalled. The replica's fault
 * goes with it, as it is now. */
static enum err send_req(struct net *n, struct http_request *req, struct http_response *resp)
{
    req->fresh = n->failed;
    req->fault = n->fault ? fault_name((enum fault)atomic_load(n->fault)) : NULL;
    enum err rc = http_request(n->http, req, resp);
    n->failed = rc == ERR_NET;
    return rc;
}

static enum err judge(enum err rc, struct http_response *resp, char *why, size_t whylen)
{
    if (rc) {
        snprintf(why, whylen, "%s", resp->error);
        return rc;
    }
    if (resp->status == 200)
        return ERR_OK;
    http_describe_status(resp, why, whylen);
    switch (resp->status) {
    case 401:
    case 403:
        return ERR_AUTH;
    case 413:
        return ERR_TOO_BIG;
    case 429:
        return ERR_NET;
    default:
        return resp->status >= 500 ? ERR_NET : ERR_INVALID;
    }
}

enum err net_pull(struct net *n, int64_t since, int limit, int wait, long outbox,
                  struct http_response *resp, char *why, size_t whylen)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/changes?since=%" PRId64 "&limit=%d&wait=%d", since, limit,
             wait);
    struct http_request req = {
        .method = "GET",
        .path = path,
        .outbox = outbox,
        /* The hub answers a long-poll after `wait` seconds: give it time
         * before calling the connection dead. */
        .idle_limit = wait + 20,
    };
    return judge(send_req(n, &req, resp), resp, why, whylen);
}

enum err net_push(struct net *n, const char *body, size_t len, size_t changes, long outbox,
                  struct http_response *resp, char *why, size_t whylen)
{
    if (changes > CAPS_PUSH_CHANGES)
        changes = CAPS_PUSH_CHANGES;
    long per_change_ms = (long)changes * NET_PUSH_IDLE_PER_CHANGE;
    struct http_request req = {
        .method = "POST",
        .path = "/v1/push",
        .body = body,
        .body_len = len,
        .body_gzip = true,
        .outbox = outbox,
        .idle_limit = NET_PUSH_IDLE + (per_change_ms + 999) / 1000,
        .min_rate = NET_PUSH_MIN_RATE,
    };
    return judge(send_req(n, &req, resp), resp, why, whylen);
}

enum err net_blob(struct net *n, const char *sha,
                  bool (*sink)(void *ctx, const void *data, size_t len), void *ctx,
                  struct http_response *resp, char *why, size_t whylen)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/blobs/%.64s", sha);
    /* A picture is a few hundred kB: a hub that stops sending for this
     * long is away, and the rows never wait for it (run.h). */
    struct http_request req = {.method = "GET",
                               .path = path,
                               .outbox = -1,
                               .idle_limit = 20,
                               .sink = sink,
                               .sink_ctx = ctx};
    enum err rc = judge(send_req(n, &req, resp), resp, why, whylen);
    return rc == ERR_INVALID && resp->status == 404 ? ERR_NOT_FOUND : rc;
}

enum err net_health(struct net *n, int64_t *head, char *why, size_t whylen)
{
    struct http_request req = {.method = "GET", .path = "/v1/health", .outbox = -1};
    struct http_response resp;
    enum err rc = judge(send_req(n, &req, &resp), &resp, why, whylen);
    json_t *root = NULL;
    struct verr e;
    if (rc == ERR_OK) {
        rc = validate_json_load(resp.body.data, resp.body.len, VALIDATE_DEPTH_MAX, &root, &e);
        json_t *seq = json_object_get(root, "seq");
        if (rc == ERR_OK && json_is_integer(seq) && json_integer_value(seq) >= 0) {
            *head = json_integer_value(seq);
        } else {
            snprintf(why, whylen, "hub health answer has no seq");
            rc = ERR_INVALID;
        }
    }
    json_decref(root);
    http_response_release(&resp);
    return rc;
}
