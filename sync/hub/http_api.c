/* http_api: the handlers of docs/protocol.md's endpoints, called by http.c's
 * route table once the request is complete and, where needed,
 * authenticated. Each one replies through the req_* helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changeset.h"
#include "console.h"
#include "http_int.h"
#include "log.h"
#include "rules.h"
#include "ts.h"
#include "xalloc.h"

#define LIMIT_DEFAULT 500
#define LIMIT_MAX CHANGESET_PULL_MAX
#define WAIT_MAX 60
#define PAGE_MAX ((size_t)256 << 20) /* 5,000 rows of at most ~20 KB of text */
#define RESULTS_MAX ((size_t)16 << 20)

bool api_parse_count(const char *s, int64_t *out)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 15 || s[n] != '\0')
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    *out = v;
    return true;
}

static enum MHD_Result internal(struct req *r, const char *what)
{
    log_error("%s: %s", what, store_errmsg(r->h->store));
    return req_error(r, 500, "internal", NULL, "the hub's storage failed; try again");
}

enum MHD_Result api_health(struct req *r)
{
    struct store_state st;
    if (store_state(r->h->store, &st))
        return internal(r, "cannot read the state");
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string("ok"));
    json_object_set_new(o, "epoch", json_string(st.epoch));
    json_object_set_new(o, "seq", json_integer(st.head));
    json_object_set_new(o, "version", json_string(SCEAUX_VERSION));
    return req_reply_json(r, 200, o);
}

/* ---- GET /v1/changes ----------------------------------------------------------- */

/* A query argument as a count: `def` when absent; false (400 sent) when
 * malformed. */
static bool query_count(struct req *r, const char *name, int64_t def, int64_t *out,
                        enum MHD_Result *ret)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    if (!v) {
        *out = def;
        return true;
    }
    if (api_parse_count(v, out))
        return true;
    char msg[96];
    snprintf(msg, sizeof msg, "'%s' must be a whole number of at most 15 digits", name);
    *ret = req_error(r, 400, "invalid", name, msg);
    return false;
}

/* The page from `since` as `role` sees it (rules_pull_view). With more,
 * `next` is the seq of the last change read, sent or not, so the cursor
 * advances over the changes this role does not receive. */
static enum err write_page(struct store_page *p, int64_t since, enum store_role role,
                           struct buf *out)
{
    const struct store_state *st = &p->state;
    bool reset = (since > 0 && since < st->horizon) || since > st->head;
    struct pull_writer w;
    if (reset) {
        changeset_pull_begin(&w, out, st->epoch, since, since > st->head ? since : st->head, false,
                             true);
        return changeset_pull_end(&w);
    }
    int64_t next = st->head > since ? st->head : since;
    if (p->more && p->count)
        next = p->changes[p->count - 1].seq;
    changeset_pull_begin(&w, out, st->epoch, since, next, p->more, false);
    for (size_t i = 0; i < p->count; i++) {
        struct store_change *c = &p->changes[i];
        if (!rules_pull_view(role, c))
            continue;
        if (c->op == CS_UPSERT)
            changeset_pull_upsert(&w, c->seq, c->table, c->row);
        else
            changeset_pull_delete(&w, c->seq, c->table, c->id);
    }
    return changeset_pull_end(&w);
}

static void page_drop(struct api_page *p)
{
    free(p->page[0]);
    free(p->page[1]);
    p->page[0] = p->page[1] = NULL;
    p->head = -1;
}

void api_cache_init(struct api_cache *c)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    page_drop(&c->view[0]);
    page_drop(&c->view[1]);
}

void api_cache_release(struct api_cache *c)
{
    page_drop(&c->view[0]);
    page_drop(&c->view[1]);
    pthread_mutex_destroy(&c->lock);
}

/* The view a request's role gets: kiosks see less than staff. */
static struct api_page *cache_view(struct api_cache *c, struct req *r)
{
    return &c->view[r->token.role == STORE_KIOSK ? 1 : 0];
}

/* A copy of the cached page for this request, or NULL. */
static char *cache_get(struct api_cache *c, struct req *r, int64_t head, int gz, size_t *len)
{
    char *out = NULL;
    pthread_mutex_lock(&c->lock);
    struct api_page *v = cache_view(c, r);
    if (v->head == head && v->since == r->since && v->limit == r->limit && v->page[gz]) {
        *len = v->len[gz];
        out = xmalloc(*len);
        memcpy(out, v->page[gz], *len);
    }
    pthread_mutex_unlock(&c->lock);
    return out;
}

void api_cache_horizon(struct api_cache *c, int64_t horizon)
{
    pthread_mutex_lock(&c->lock);
    if (c->horizon != horizon) {
        page_drop(&c->view[0]);
        page_drop(&c->view[1]);
        c->horizon = horizon;
    }
    pthread_mutex_unlock(&c->lock);
}

static void cache_put(struct api_cache *c, struct req *r, const struct store_state *st, int gz,
                      const char *page, size_t len)
{
    pthread_mutex_lock(&c->lock);
    /* A page read against another horizon than the one last seen is not
     * kept: it may list purged tombstones or miss a reset. */
    if (st->horizon != c->horizon) {
        pthread_mutex_unlock(&c->lock);
        return;
    }
    struct api_page *v = cache_view(c, r);
    if (v->head != st->head || v->since != r->since || v->limit != r->limit) {
        page_drop(v);
        v->head = st->head;
        v->since = r->since;
        v->limit = r->limit;
    }
    if (!v->page[gz]) {
        v->page[gz] = xmalloc(len);
        memcpy(v->page[gz], page, len);
        v->len[gz] = len;
    }
    pthread_mutex_unlock(&c->lock);
}

enum MHD_Result api_changes_answer(struct req *r)
{
    struct api_cache *cache = &r->h->cache;
    int64_t known = waitq_head(&r->h->waitq);
    int gz = req_wants_gzip(r) ? 1 : 0;
    size_t len;
    char *text = cache_get(cache, r, known, gz, &len);
    if (text)
        return req_send(r, 200, text, len, gz);
    struct store_page page;
    if (store_changes(r->h->store, r->since, r->limit, &page))
        return internal(r, "cannot read changes");
    struct store_state state = page.state;
    struct buf out;
    buf_init(&out, PAGE_MAX);
    enum err rc = write_page(&page, r->since, r->token.role, &out);
    store_page_free(&page);
    if (rc) {
        buf_release(&out);
        log_error("cannot write a page from %lld: %s", (long long)r->since, err_str(rc));
        return req_error(r, 500, "internal", NULL, "the hub cannot write this page");
    }
    text = buf_detach(&out, &len);
    bool zipped = req_encode(r, &text, &len);
    /* Only a page of the head the waiters know is worth keeping. */
    if (state.head == known)
        cache_put(cache, r, &state, zipped ? 1 : 0, text, len);
    return req_send(r, 200, text, len, zipped);
}

enum MHD_Result api_changes(struct req *r)
{
    enum MHD_Result ret = MHD_NO;
    int64_t since, limit, wait;
    if (!query_count(r, "since", 0, &since, &ret) ||
        !query_count(r, "limit", LIMIT_DEFAULT, &limit, &ret) ||
        !query_count(r, "wait", 0, &wait, &ret))
        return ret;
    if (limit == 0)
        return req_error(r, 400, "invalid", "limit", "'limit' must be at least 1");
    r->since = since;
    r->limit = (size_t)(limit > LIMIT_MAX ? LIMIT_MAX : limit);
    wait = wait > WAIT_MAX ? WAIT_MAX : wait;
    req_note_kiosk(r, since);
    if (wait == 0)
        return api_changes_answer(r);
    struct store_state st;
    if (store_state(r->h->store, &st))
        return internal(r, "cannot read the state");
    bool reset = (since > 0 && since < st.horizon) || since > st.head;
    if (reset || st.head > since)
        return api_changes_answer(r);
    /* Nothing yet: park without holding a thread. Suspend before linking,
     * so a wake-up that comes at once finds a suspended connection; if the
     * queue refuses (a commit slipped in, or shutdown), resume at once and
     * answer on the next call. */
    r->wait.since = since;
    r->wait.deadline_ms = ts_mono_ms() + wait * 1000;
    r->suspended = true;
    MHD_suspend_connection(r->conn);
    waitq_lock(&r->h->waitq);
    bool linked = waitq_add_locked(&r->h->waitq, &r->wait);
    waitq_unlock(&r->h->waitq);
    if (!linked)
        MHD_resume_connection(r->conn);
    return MHD_YES;
}

/* ---- POST /v1/push ---------------------------------------------------------------- */

static enum MHD_Result push_results(struct req *r, struct push_result *res, size_t n)
{
    struct buf out;
    buf_init(&out, RESULTS_MAX);
    enum err rc = changeset_emit_results(res, n, &out);
    if (rc) {
        buf_release(&out);
        return req_error(r, 500, "internal", NULL, "the hub cannot write the results");
    }
    size_t len;
    char *text = buf_detach(&out, &len);
    return req_reply(r, 200, text, len);
}

/* True when the push b fits the token's hourly budget (kiosk
 * tokens, store.h), with *refund for its store_apply() calls; otherwise
 * false with the answer sent (429 with Retry-After, nothing of the push
 * applied) in *ret. */
static bool push_budget(struct req *r, const struct push_body *b, int64_t now, bool *refund,
                        enum MHD_Result *ret)
{
    int64_t retry = 0;
    *refund = false;
    if (r->token.role != STORE_KIOSK)
        return true;
    if (store_push_budget(r->h->store, r->token.name, b->changes, b->count, now, &retry, refund)) {
        *ret = internal(r, "cannot count pushed changes");
        return false;
    }
    if (retry == 0)
        return true;
    snprintf(r->retry_after, sizeof r->retry_after, "%lld", (long long)retry);
    char msg[160];
    snprintf(msg, sizeof msg,
             "a kiosk pushes at most %d changes an hour; nothing was applied, try again in %lld s",
             STORE_CHANGES_PER_HOUR, (long long)retry);
    *ret = req_error(r, 429, "too_many_requests", NULL, msg);
    return false;
}

enum MHD_Result api_push(struct req *r)
{
    enum MHD_Result ret = MHD_NO;
    const char *data;
    size_t len;
    req_note_kiosk(r, -1);
    if (!req_body(r, &data, &len, &ret))
        return ret;
    /* req_body() measured the depth already, with the same cap. */
    struct changeset_limits lim = {VALIDATE_DEPTH_MAX, CHANGESET_PUSH_MAX, &r->scan};
    struct push_body body = {0};
    struct verr e;
    validate_clear(&e);
    enum err rc = changeset_parse_push(data, len, &lim, &body, &e);
    if (rc)
        return req_verr(r, rc == ERR_TOO_BIG ? 413 : 400, &e);
    int64_t now = ts_now();
    struct store_caller who = {r->token.name, r->token.role, r->token.site, true, false};
    if (!push_budget(r, &body, now, &who.refund, &ret)) {
        changeset_push_free(&body);
        return ret;
    }
    struct push_result *res = xcalloc(body.count ? body.count : 1, sizeof *res);
    int64_t top = 0;
    size_t i = 0;
    for (; i < body.count; i++) {
        console_push_prepare(r, &body.changes[i]);
        rc = store_apply(r->h->store, &who, &body.changes[i], now, &res[i]);
        if (rc)
            break;
        console_push_note(r, &body.changes[i], &res[i]);
        if (strcmp(res[i].status, "applied") == 0 && res[i].seq > top)
            top = res[i].seq;
    }
    if (top > 0)
        api_wake(r->h, top);
    metrics_note_push(&r->h->metrics, res, i);
    if (rc)
        ret = internal(r, "cannot apply a change");
    else
        ret = push_results(r, res, body.count);
    free(res);
    changeset_push_free(&body);
    return ret;
}

/* ---- GET /v1/fleet ------------------------------------------------------------------ */

json_t *api_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Online: a long-poll of the kiosk is parked right now, or its last
 * request began at most `after` seconds ago. */
static bool kiosk_online(const struct store_kiosk *k, char **connected, size_t n, int64_t now,
                         int64_t after)
{
    for (size_t i = 0; i < n; i++)
        if (k->name && strcmp(connected[i], k->name) == 0)
            return true;
    int64_t seen = 0;
    return k->last_seen && ts_parse(k->last_seen, &seen) == ERR_OK && now - seen <= after;
}

enum MHD_Result api_fleet(struct req *r)
{
    if (r->token.role == STORE_KIOSK)
        return req_error(r, 403, "forbidden", NULL, "only staff and admin tokens see the fleet");
    fleet_flush(&r->h->fleet, r->h->store);
    struct store_state st;
    struct store_kiosk *k = NULL;
    size_t n = 0;
    if (store_state(r->h->store, &st) || store_fleet_list(r->h->store, &k, &n))
        return internal(r, "cannot read the fleet");
    char **connected = NULL;
    size_t nconn = 0;
    console_connected(r->h, &connected, &nconn);
    int64_t now = ts_now();
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", api_str_or_null(k[i].name));
        json_object_set_new(o, "site", api_str_or_null(k[i].site));
        json_object_set_new(o, "last_seen", api_str_or_null(k[i].last_seen));
        json_object_set_new(o, "cursor", json_integer(k[i].cursor));
        json_object_set_new(o, "version", api_str_or_null(k[i].version));
        json_object_set_new(o, "outbox",
                            k[i].outbox >= 0 ? json_integer(k[i].outbox) : json_null());
        json_object_set_new(o, "address", api_str_or_null(k[i].address));
        json_object_set_new(o, "fault", api_str_or_null(k[i].fault));
        int64_t lag = st.head - k[i].cursor;
        json_object_set_new(o, "lag", json_integer(lag > 0 ? lag : 0));
        json_object_set_new(
            o, "online",
            json_boolean(kiosk_online(&k[i], connected, nconn, now, r->h->cfg.offline_after)));
        json_array_append_new(list, o);
    }
    store_fleet_free(k, n);
    for (size_t i = 0; i < nconn; i++)
        free(connected[i]);
    free(connected);
    char at[TS_LEN + 1];
    ts_format(now, at);
    json_t *o = json_object();
    json_object_set_new(o, "kiosks", list);
    json_object_set_new(o, "now", json_string(at));
    json_object_set_new(o, "offline_after", json_integer(r->h->cfg.offline_after));
    return req_reply_json(r, 200, o);
}
