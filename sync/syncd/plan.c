/* plan: pure decisions of the sync daemon (see plan.h). */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"
#include "xalloc.h"

size_t plan_batch(const size_t *lens, size_t n, size_t max_changes, size_t max_bytes)
{
    size_t k = 0, bytes = 0;
    while (k < n && k < max_changes) {
        if (k > 0 && (lens[k] > max_bytes - bytes))
            break;
        bytes += lens[k] > max_bytes ? max_bytes : lens[k];
        k++;
    }
    return k;
}

enum err plan_change(const char *id, const char *text, size_t len, json_t **out, char *why,
                     size_t whylen)
{
    *out = NULL;
    json_t *c = NULL;
    struct verr e;
    if (validate_json_load(text, len, VALIDATE_DEPTH_MAX, &c, &e)) {
        snprintf(why, whylen, "outbox change is not valid JSON: %s", e.message);
        return ERR_INVALID;
    }
    if (!json_is_object(c)) {
        json_decref(c);
        snprintf(why, whylen, "outbox change is not a JSON object");
        return ERR_INVALID;
    }
    json_object_set_new(c, "id", json_string(id));
    *out = c;
    return ERR_OK;
}

enum err plan_results(const char *const *ids, size_t n, const struct push_result *r, size_t rn,
                      char *why, size_t whylen)
{
    if (rn != n) {
        snprintf(why, whylen, "hub answered %zu results for %zu changes", rn, n);
        return ERR_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ids[i], r[i].id) != 0) {
            snprintf(why, whylen, "hub answered result %zu for '%.64s', expected '%.64s'", i,
                     r[i].id, ids[i]);
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

void plan_outcome(const struct push_result *r, struct plan_outcome *out)
{
    bool rejected = strcmp(r->status, "rejected") == 0 ||
                    (strcmp(r->status, "duplicate") == 0 && r->error[0] != '\0');
    out->status = rejected ? "rejected" : "applied";
    out->error = r->error[0] ? r->error : NULL;
    out->message = r->message[0] ? r->message : NULL;
    out->seq = r->seq;
}

int plan_pull_limit(int limit, bool too_big, bool caught_up)
{
    if (too_big)
        return limit > 1 ? limit / 2 : 1;
    if (caught_up)
        return PLAN_PULL_LIMIT;
    return limit;
}

enum plan_pull_action plan_pull(const char *epoch, int64_t cursor, const struct pull_page *page)
{
    if (page->since != cursor)
        return PLAN_PULL_BAD;
    if (page->reset)
        return cursor == 0 ? PLAN_PULL_BAD : PLAN_PULL_RESET;
    if (epoch && epoch[0] && strcmp(epoch, page->epoch) != 0)
        return PLAN_PULL_RESET;
    return PLAN_PULL_APPLY;
}

static int evict_order(const void *pa, const void *pb)
{
    const struct plan_file *a = *(const struct plan_file *const *)pa;
    const struct plan_file *b = *(const struct plan_file *const *)pb;
    if (a->wanted != b->wanted)
        return a->wanted ? 1 : -1;
    if (a->used != b->used)
        return a->used < b->used ? -1 : 1;
    return strcmp(a->name, b->name); /* one order for equal times */
}

bool plan_evict(struct plan_file *f, size_t n, uint64_t cap, uint64_t incoming, bool wanted_too)
{
    uint64_t total = incoming;
    struct plan_file **order = xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++) {
        order[i] = &f[i];
        if (!f[i].drop)
            total += f[i].size;
    }
    qsort(order, n, sizeof *order, evict_order);
    /* Unwanted files may go whatever comes of it: they show nothing. */
    for (size_t i = 0; i < n && total > cap; i++) {
        if (order[i]->drop || (order[i]->wanted && !wanted_too))
            continue;
        order[i]->drop = true;
        total -= order[i]->size;
    }
    free(order);
    return total <= cap;
}
