/* pull: one page from the hub into the replica (see pull.h). */
#include "pull.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changeset.h"
#include "plan.h"
#include "state.h"

static enum err read_cursor(struct replica *r, int64_t *cursor)
{
    enum err rc = replica_state_get_i64(r, "cursor", cursor);
    if (rc == ERR_NOT_FOUND) {
        *cursor = 0;
        rc = ERR_OK;
    }
    return rc;
}

static enum err apply_page(struct replica *r, const struct pull_page *p, enum fault *fault,
                           char *why, size_t whylen)
{
    sqlite3 *db = replica_db(r);
    enum err rc = db_begin(db);
    /* A catch-up from 0 over several pages builds the search index once,
     * with its last page (replica.h): a crash in between leaves the
     * triggers gone, and the catch-up that resumes builds it at its end. */
    if (rc == ERR_OK && p->since == 0 && p->more)
        rc = replica_search_defer(r);
    size_t i = 0;
    for (; i < p->count && rc == ERR_OK; i++) {
        const struct pull_change *c = &p->changes[i];
        if (!c->table)
            continue; /* a table added after this client (changeset.h) */
        enum replica_op op = c->op == CS_DELETE ? REPLICA_DELETE : REPLICA_UPSERT;
        rc = replica_apply(r, c->table, op, c->id, c->row, c->seq);
    }
    bool deferred = false;
    if (rc == ERR_OK && !p->more)
        rc = replica_search_deferred(r, &deferred);
    if (rc == ERR_OK && deferred)
        rc = replica_search_build(r);
    if (rc == ERR_OK)
        rc = replica_state_set_i64(r, "cursor", p->next);
    if (rc == ERR_OK)
        rc = replica_state_set(r, "epoch", p->epoch);
    if (rc == ERR_OK && !p->more)
        rc = replica_state_set_i64(r, "lag", 0);
    if (rc == ERR_OK)
        rc = db_commit(db);
    if (rc) {
        snprintf(why, whylen, "cannot apply change %zu of the page after %" PRId64 ": %s", i,
                 p->since, state_db_error(db, rc, fault));
        db_rollback(db);
    }
    return rc;
}

/* While catching up, the kiosk's status bar shows how far behind it is. */
static void note_lag(struct replica *r, struct net *n, int64_t cursor)
{
    int64_t head = 0;
    char why[256];
    if (net_health(n, &head, why, sizeof why) == ERR_OK && head >= cursor &&
        replica_state_set_i64(r, "lag", head - cursor))
        return; /* the status bar's lag is a hint: the pull goes on */
}

/* The answer body, parsed; why says what is wrong with a bad one. */
static enum err parse_page(const char *body, size_t len, int limit, struct pull_page *page,
                           char *why, size_t whylen)
{
    struct verr e;
    struct changeset_limits lim = {VALIDATE_DEPTH_MAX, (size_t)limit, NULL};
    enum err rc = changeset_parse_pull(body ? body : "", len, &lim, page, &e);
    if (rc)
        snprintf(why, whylen, "hub answered a bad page: %s%s%s", e.message,
                 e.field[0] ? " at " : "", e.field);
    return rc;
}

/* GET one page and parse it: no replica, so it may run on any thread. */
static enum err fetch_page(struct net *n, int64_t since, int limit, int wait, long outbox,
                           struct pull_page *page, char *why, size_t whylen)
{
    struct http_response resp;
    enum err rc = net_pull(n, since, limit, wait, outbox, &resp, why, whylen);
    if (rc == ERR_OK)
        rc = parse_page(resp.body.data, resp.body.len, limit, page, why, whylen);
    http_response_release(&resp);
    return rc;
}

/* ---- the next page, fetched while this one is applied ---------------- */

enum err pull_ahead_open(struct pull_ahead *a, const struct http_opts *opts,
                         const atomic_int *fault)
{
    memset(a, 0, sizeof *a);
    return net_open(&a->net, opts, fault);
}

static void *ahead_fetch(void *arg)
{
    struct pull_ahead *a = arg;
    a->rc = fetch_page(&a->net, a->since, a->limit, 0, a->outbox, &a->page, a->why, sizeof a->why);
    return NULL;
}

static void ahead_start(struct pull_ahead *a, int64_t since, int limit, long outbox)
{
    a->since = since;
    a->limit = limit;
    a->outbox = outbox;
    a->running = pthread_create(&a->thread, NULL, ahead_fetch, a) == 0;
}

/* Joins the fetch under way, if any; true when it fetched exactly (since,
 * limit): *page (to free) and why then hold its result. */
static bool ahead_take(struct pull_ahead *a, int64_t since, int limit, struct pull_page *page,
                       enum err *rc, char *why, size_t whylen)
{
    if (!a || !a->running)
        return false;
    pthread_join(a->thread, NULL);
    a->running = false;
    if (a->since != since || a->limit != limit) {
        changeset_pull_free(&a->page);
        return false;
    }
    *page = a->page;
    *rc = a->rc;
    snprintf(why, whylen, "%s", a->why);
    return true;
}

void pull_ahead_close(struct pull_ahead *a)
{
    if (a->running) {
        pthread_join(a->thread, NULL);
        a->running = false;
        changeset_pull_free(&a->page);
    }
    net_close(&a->net);
}

/* ---- one page into the replica ---------------------------------------- */

static enum err handle(struct replica *r, const char *epoch, int64_t cursor,
                       const struct pull_page *page, struct pull_stats *st, char *why,
                       size_t whylen)
{
    enum err rc = ERR_OK;
    switch (plan_pull(epoch, cursor, page)) {
    case PLAN_PULL_BAD:
        snprintf(why, whylen, "hub answered since=%" PRId64 "%s for cursor %" PRId64, page->since,
                 page->reset ? " with reset" : "", cursor);
        return ERR_INVALID;
    case PLAN_PULL_RESET:
        rc = replica_reset(r, page->epoch);
        if (rc) {
            snprintf(why, whylen, "cannot reset the replica: %s",
                     state_db_error(replica_db(r), rc, &st->fault));
            return rc;
        }
        st->reset = true;
        st->more = true;
        st->cursor = 0;
        return ERR_OK;
    case PLAN_PULL_APPLY:
        rc = apply_page(r, page, &st->fault, why, whylen);
        if (rc)
            return rc;
        st->applied = page->count;
        st->more = page->more;
        st->cursor = page->next;
        return ERR_OK;
    }
    return ERR_INVALID;
}

/* Judges a parsed page against the replica and applies it; when it is to
 * be applied and says more, the next page's fetch starts on `ahead` (NULL:
 * none) first, with outbox as that request's X-Sceaux-Outbox. */
static enum err use_page(struct replica *r, int64_t cursor, const struct pull_page *page, int limit,
                         struct pull_ahead *ahead, long outbox, struct pull_stats *st, char *why,
                         size_t whylen)
{
    char *epoch = NULL;
    enum err rc = replica_state_get(r, "epoch", &epoch);
    if (rc == ERR_NOT_FOUND)
        rc = ERR_OK;
    if (rc) {
        snprintf(why, whylen, "cannot read sync_state: %s", err_str(rc));
        return rc;
    }
    if (ahead && page->more && plan_pull(epoch, cursor, page) == PLAN_PULL_APPLY)
        ahead_start(ahead, page->next, limit, outbox);
    rc = handle(r, epoch, cursor, page, st, why, whylen);
    free(epoch);
    return rc;
}

enum err pull_apply(struct replica *r, int64_t cursor, const char *body, size_t len, int limit,
                    struct pull_stats *st, char *why, size_t whylen)
{
    memset(st, 0, sizeof *st);
    st->cursor = cursor;
    struct pull_page page = {0};
    enum err rc = parse_page(body, len, limit, &page, why, whylen);
    if (rc == ERR_OK)
        rc = use_page(r, cursor, &page, limit, NULL, 0, st, why, whylen);
    changeset_pull_free(&page);
    return rc;
}

enum err pull_round(struct replica *r, struct net *n, struct pull_ahead *ahead, int limit, int wait,
                    struct pull_stats *st, char *why, size_t whylen)
{
    memset(st, 0, sizeof *st);
    int64_t cursor = 0, queued = 0;
    enum err rc = read_cursor(r, &cursor);
    if (rc == ERR_OK)
        rc = replica_outbox_count(r, &queued);
    if (rc) {
        snprintf(why, whylen, "cannot read sync_state: %s", err_str(rc));
        return rc;
    }
    st->cursor = cursor;
    struct pull_page page = {0};
    if (!ahead_take(ahead, cursor, limit, &page, &rc, why, whylen))
        rc = fetch_page(n, cursor, limit, wait, (long)queued, &page, why, whylen);
    if (rc == ERR_OK)
        rc = use_page(r, cursor, &page, limit, ahead, (long)queued, st, why, whylen);
    changeset_pull_free(&page);
    if (rc == ERR_OK && st->more && !st->reset)
        note_lag(r, n, st->cursor);
    return rc;
}
