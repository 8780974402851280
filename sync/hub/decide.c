/* decide: applying one push change, whatever the store (decide.h).
 *
 * decide_apply() opens the change's transaction, answers a retry from
 * its exactly-once record, else decides: the role rules (rules.c),
 * whether the row exists, then the rules that need other rows
 * (references, room, overlap, cancel code, a help offer's consent) and
 * the columns the hub sets; then it records the result (within the
 * budget of rejected records) and commits. Every read and write is a
 * question of the backend's `struct decide_ops`. */
#include "decide.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "id.h"
#include "rrule.h"
#include "rules.h"
#include "ts.h"

/* One change being decided: who asks, through which store, when. */
struct dc {
    const struct decide_ops *q;
    struct store *s;
    const struct store_caller *who;
    int64_t now;
    char at[TS_LEN + 1]; /* now, in the wire form */
    struct verr *e;
};

/* A refusal: fills e and returns ERR_OK (the change is decided, not failed). */
#define REJECT(e, code, field, ...) (validate_fail((e), (code), (field), __VA_ARGS__), ERR_OK)

const char *decide_counter_name(enum decide_counter k)
{
    static const char *const names[] = {"cancel", "rejected", "changes"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* ---- the rules that need other rows -------------------------------------- */

/* Checks that row[column], when set, names a row of `table`. */
static enum err check_ref(struct dc *d, json_t *row, const char *column, const char *table)
{
    const char *id = rules_str(row, column);
    if (!id || d->e->error[0])
        return ERR_OK;
    json_t *found = NULL;
    enum err rc = d->q->get_row(d->s, tables_find(table), id, &found);
    bool ok = found != NULL;
    json_decref(found);
    if (rc == ERR_OK && !ok)
        return REJECT(d->e, "invalid", column, "no %s has the id '%s'", table, id);
    return rc;
}

/* starts_at <= ends_at for events and announcements, and a series does
 * not end (UNTIL) before it starts: both columns are already valid. */
static enum err check_span(json_t *row, struct verr *e)
{
    const char *a = rules_str(row, "starts_at");
    const char *b = rules_str(row, "ends_at");
    if (a && b && strcmp(a, b) > 0)
        return REJECT(e, "invalid", "ends_at", "it must not end before it starts");
    const char *rule = rules_str(row, "rrule");
    struct rrule r;
    char why[120];
    int64_t start;
    if (a && rule && rrule_parse(rule, &r, why, sizeof why) == ERR_OK && r.until &&
        ts_parse(a, &start) == ERR_OK && r.until < start)
        return REJECT(e, "invalid", "rrule", "the rule's UNTIL is before the event starts");
    return ERR_OK;
}

static void keep_or_set(json_t *row, json_t *old, const char *column, json_t *fresh)
{
    json_t *v = old ? json_object_get(old, column) : NULL;
    if (v && !json_is_null(v)) {
        json_object_set(row, column, v);
        json_decref(fresh);
    } else {
        json_object_set_new(row, column, fresh);
    }
}

static enum err check_overlap(struct dc *d, json_t *row)
{
    bool taken = false;
    enum err rc = d->q->overlap(d->s, rules_str(row, "room_id"), rules_str(row, "id"),
                                rules_str(row, "starts_at"), rules_str(row, "ends_at"), &taken);
    if (rc == ERR_OK && taken)
        return REJECT(d->e, "conflict", "starts_at", "the room is already booked at that time");
    return rc;
}

/* Room, times and overlap of a confirmed booking. */
static enum err check_booking(struct dc *d, json_t *row)
{
    const char *room_id = rules_str(row, "room_id");
    json_t *room = NULL;
    enum err rc = d->q->get_row(d->s, tables_find("room"), room_id, &room);
    if (rc)
        return rc;
    if (!room)
        return REJECT(d->e, "unavailable", "room_id", "no room has the id '%s'", room_id);
    int opens = 0, closes = 0;
    int64_t starts = 0, ends = 0;
    bool bookable = json_is_true(json_object_get(room, "bookable"));
    bool ok = ts_parse_hhmm(rules_str(room, "opens"), &opens) == ERR_OK &&
              ts_parse_hhmm(rules_str(room, "closes"), &closes) == ERR_OK;
    json_decref(room);
    if (!bookable || !ok)
        return REJECT(d->e, "unavailable", "room_id", "the room '%s' cannot be booked", room_id);
    if (ts_parse(rules_str(row, "starts_at"), &starts) ||
        ts_parse(rules_str(row, "ends_at"), &ends))
        return REJECT(d->e, "invalid", "starts_at", "the booking's times are not valid");
    if (rules_booking_times(starts, ends, opens, closes, d->now, d->e))
        return ERR_OK;
    return check_overlap(d, row);
}

static enum err fill_booking(struct dc *d, json_t *row, json_t *old)
{
    const char *code = rules_str(row, "cancel_code");
    if (code) {
        char hash[AUTH_CODE_HASH_LEN + 1];
        enum err rc = auth_code_hash(code, hash);
        if (rc)
            return rc;
        json_object_set_new(row, "cancel_hash", json_string(hash));
    } else if (d->who->role == STORE_KIOSK) {
        return REJECT(d->e, "invalid", "cancel_code", "a new booking needs a cancel code");
    } else {
        keep_or_set(row, old, "cancel_hash", json_null());
    }
    json_object_del(row, "cancel_code");
    keep_or_set(row, old, "created_by", json_string(d->who->name));
    if (rules_str_is(row, "status", "confirmed"))
        return check_booking(d, row);
    return ERR_OK;
}

/* A support counts on the row it names: `supports` of an initiative
 * (support) or of a published proposal (proposal_support). NULL for
 * another table. */
struct counted {
    const char *table, *ref, *target;
};

static const struct counted *counted_of(const struct table *t)
{
    static const struct counted all[] = {
        {"support", "initiative_id", "initiative"},
        {"proposal_support", "proposal_id", "proposal"},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(t->name, all[i].table) == 0)
            return &all[i];
    return NULL;
}

/* Adds delta to the supports of the row a support names, under seq. An
 * initiative's updated_at moves with it; a proposal has no such column. */
static enum err bump_supports(struct dc *d, const struct counted *k, json_t *support, int delta,
                              int64_t seq)
{
    bool dated = strcmp(k->target, "initiative") == 0;
    return d->q->bump_supports(d->s, tables_find(k->target), rules_str(support, k->ref), delta,
                               dated ? d->at : NULL, seq);
}

/* A support of a proposal names one that is published: kiosks show no
 * other. */
static enum err check_supported_proposal(struct dc *d, json_t *row)
{
    const char *id = rules_str(row, "proposal_id");
    json_t *p = NULL;
    enum err rc = d->q->get_row(d->s, tables_find("proposal"), id, &p);
    bool ok = p && rules_str_is(p, "status", "published");
    json_decref(p);
    if (rc == ERR_OK && !ok)
        return REJECT(d->e, "unavailable", "proposal_id", "no published proposal has the id '%s'",
                      id);
    return rc;
}

/* The city's answer to a published idea: an outcome that decides
 * (retenue, realisee, non_retenue) says why. */
static enum err check_outcome(json_t *row, struct verr *e)
{
    const char *outcome = rules_str(row, "outcome");
    const char *answer = rules_str(row, "answer");
    if (outcome && strcmp(outcome, "a_l_etude") != 0 && !answer)
        return REJECT(e, "invalid", "answer", "an outcome '%s' needs the city's answer", outcome);
    return ERR_OK;
}

static enum err fill_room(struct dc *d, json_t *row)
{
    int opens = 0, closes = 0;
    ts_parse_hhmm(rules_str(row, "opens"), &opens);
    ts_parse_hhmm(rules_str(row, "closes"), &closes);
    if (opens >= closes)
        return REJECT(d->e, "invalid", "closes", "a room must close after it opens");
    return check_ref(d, row, "site_id", "site");
}

static enum err fill_event(struct dc *d, json_t *row)
{
    enum err rc = check_span(row, d->e);
    if (rc == ERR_OK)
        rc = check_ref(d, row, "site_id", "site");
    if (rc == ERR_OK)
        rc = check_ref(d, row, "room_id", "room");
    if (rc == ERR_OK)
        rc = check_ref(d, row, "organization_id", "organization");
    return rc;
}

static enum err fill_proposal(struct dc *d, json_t *row, json_t *old)
{
    keep_or_set(row, old, "created_at", json_string(d->at));
    keep_or_set(row, old, "supports", json_integer(0));
    bool once = (old && json_is_true(json_object_get(old, "was_published"))) ||
                rules_str_is(row, "status", "published");
    json_object_set_new(row, "was_published", json_boolean(once));
    return check_outcome(row, d->e);
}

static enum err fill_help_offer(struct dc *d, json_t *row, json_t *old)
{
    /* Nothing personal is kept without the person's yes. */
    if (!json_is_true(json_object_get(row, "consent")))
        return REJECT(d->e, "invalid", "consent", "a help offer needs the person's consent");
    keep_or_set(row, old, "created_at", json_string(d->at));
    return check_ref(d, row, "initiative_id", "initiative");
}

/* Table rules of an upsert: references, hub-set columns. The row is the
 * stored copy, completed here. */
static enum err fill_row(struct dc *d, const struct table *t, json_t *row, json_t *old)
{
    const char *n = t->name;
    if (rules_picture(row, d->e))
        return ERR_OK; /* refused: e is filled, as by REJECT */
    if (strcmp(n, "room") == 0)
        return fill_room(d, row);
    if (strcmp(n, "event") == 0)
        return fill_event(d, row);
    if (strcmp(n, "announcement") == 0)
        return check_span(row, d->e);
    if (strcmp(n, "initiative") == 0) {
        keep_or_set(row, old, "supports", json_integer(0));
        json_object_set_new(row, "updated_at", json_string(d->at));
        return check_ref(d, row, "organization_id", "organization");
    }
    if (strcmp(n, "proposal") == 0)
        return fill_proposal(d, row, old);
    if (strcmp(n, "support") == 0 || strcmp(n, "proposal_support") == 0) {
        keep_or_set(row, old, "created_by", json_string(d->who->name));
        return strcmp(n, "support") == 0 ? check_ref(d, row, "initiative_id", "initiative")
                                         : check_supported_proposal(d, row);
    }
    if (strcmp(n, "booking") == 0)
        return fill_booking(d, row, old);
    if (strcmp(n, "figure") == 0 && rules_figure(row, d->e))
        return ERR_OK; /* refused: e is filled */
    if (strcmp(n, "help_offer") == 0)
        return fill_help_offer(d, row, old);
    return ERR_OK;
}

static enum err do_upsert(struct dc *d, const struct push_change *c, json_t *old, int64_t *seq)
{
    const struct table *t = c->table;
    const struct counted *k = counted_of(t);
    if (old && (d->who->role == STORE_KIOSK || k))
        return REJECT(d->e, "exists", "id", "a %s with the id '%s' already exists", t->name,
                      c->row_id);
    json_t *row = json_deep_copy(c->row);
    enum err rc = fill_row(d, t, row, old);
    if (rc == ERR_OK && !d->e->error[0])
        rc = d->q->put_row(d->s, t, row, seq);
    if (rc == ERR_OK && !d->e->error[0] && k)
        rc = bump_supports(d, k, row, 1, *seq);
    json_decref(row);
    return rc;
}

/* Counter k of key as stored, or 0 and `now` when there is none or its
 * window has passed (a clock set back counts as passed). */
static enum err window_get(struct dc *d, enum decide_counter k, const char *key, int64_t window,
                           int64_t *count, int64_t *since)
{
    *count = 0;
    *since = d->now;
    enum err rc = d->q->counter_get(d->s, k, key, count, since);
    if (rc == ERR_OK && (d->now - *since >= window || d->now < *since)) {
        *count = 0;
        *since = d->now;
    }
    return rc;
}

/* *ok when `code` is the booking's and the booking is not locked: after
 * STORE_CODE_TRIES wrong codes within STORE_CODE_WINDOW seconds of the
 * first, every check fails without looking at the code until the window
 * has passed (docs/protocol.md: codes cannot be guessed). A wrong
 * code is counted, in the change's transaction. */
static enum err check_code(struct dc *d, const char *id, const char *code, const char *hash,
                           bool *ok)
{
    int64_t failures, since;
    enum err rc = window_get(d, DECIDE_CODE_TRIES, id, STORE_CODE_WINDOW, &failures, &since);
    *ok = rc == ERR_OK && failures < STORE_CODE_TRIES && auth_code_check(code, hash);
    if (rc || *ok)
        return rc;
    return d->q->counter_put(d->s, DECIDE_CODE_TRIES, id, failures + 1, since);
}

/* A booking cancel {id, status: "cancelled", cancel_code}: only the status
 * changes. Staff and admins need no code. */
static enum err do_cancel(struct dc *d, const struct push_change *c, json_t *old, int64_t *seq)
{
    if (!old)
        return REJECT(d->e, "not_found", "id", "no booking has the id '%s'", c->row_id);
    bool ok = d->who->role != STORE_KIOSK;
    enum err rc = ok ? ERR_OK
                     : check_code(d, c->row_id, rules_str(c->row, "cancel_code"),
                                  rules_str(old, "cancel_hash"), &ok);
    if (rc)
        return rc;
    if (!ok)
        return REJECT(d->e, "bad_code", "cancel_code", "the cancel code does not match");
    json_object_set_new(old, "status", json_string("cancelled"));
    return d->q->put_row(d->s, c->table, old, seq);
}

static enum err do_delete(struct dc *d, const struct push_change *c, json_t *old, int64_t *seq)
{
    const struct table *t = c->table;
    if (!old)
        return REJECT(d->e, "not_found", "id", "no %s has the id '%s'", t->name, c->row_id);
    enum err rc = d->q->delete_row(d->s, t, c->row_id, seq);
    if (rc == ERR_OK && counted_of(t))
        rc = bump_supports(d, counted_of(t), old, -1, *seq);
    return rc;
}

/* Decides one valid change inside the open transaction: applied (e empty,
 * *seq set) or rejected (e filled). Order: role, existence, table rules. */
static enum err decide(struct dc *d, const struct push_change *c, int64_t *seq)
{
    if (rules_permit(d->who->role, c->table, c->op, c->row, d->e))
        return ERR_OK;
    json_t *old = NULL;
    enum err rc = d->q->get_row(d->s, c->table, c->row_id, &old);
    if (rc)
        return rc;
    bool cancel = strcmp(c->table->name, "booking") == 0 && c->op == CS_UPSERT &&
                  rules_str_is(c->row, "status", "cancelled") &&
                  (d->who->role == STORE_KIOSK || !rules_row_complete(c->table, c->row));
    if (c->op == CS_DELETE)
        rc = do_delete(d, c, old, seq);
    else if (cancel)
        rc = do_cancel(d, c, old, seq);
    else
        rc = do_upsert(d, c, old, seq);
    json_decref(old);
    return rc;
}

/* ---- budgets --------------------------------------------------------------- */

#define BUDGET_WINDOW 3600 /* seconds: the budgets are hourly */

/* Spends n of the hourly budget k of `token` when no more than `max` is
 * then spent in the hour that began at *since; *ok says whether it did. */
static enum err budget_take(struct dc *d, enum decide_counter k, const char *token, int64_t n,
                            int64_t max, bool *ok, int64_t *since)
{
    int64_t used;
    enum err rc = window_get(d, k, token, BUDGET_WINDOW, &used, since);
    *ok = rc == ERR_OK && used + n <= max;
    if (rc || !*ok)
        return rc;
    return d->q->counter_put(d->s, k, token, used + n, *since);
}

/* How many of the n changes c `token` has not pushed before: a retry of
 * a decided one (a push answered too late for its sender) writes nothing
 * and costs nothing, or a slow hub would spend a kiosk's hour on one
 * batch sent again. One lookup each: only for a retry or a push that
 * does not fit as a whole (push_charge). */
static enum err count_new(struct dc *d, const char *token, const struct push_change *c, size_t n,
                          int64_t *fresh)
{
    *fresh = 0;
    for (size_t i = 0; i < n; i++) {
        struct push_result r = {0};
        bool found = false;
        enum err rc = d->q->applied_get(d->s, token, c[i].id, &r, &found);
        if (rc)
            return rc;
        *fresh += !found;
    }
    return ERR_OK;
}

/* Charges the push c[0..n) to `token`'s budget, as if only its new
 * changes counted. The lookups of count_new take a round trip each (a
 * tenth of a second for a full batch on PostgreSQL, with the writers'
 * lock held), and apply looks each change up anyway: so a push that fits
 * as a whole is charged whole without them, and apply gives back each
 * duplicate it finds (*refund). But a push whose first change was
 * decided before is a retry (syncd sends its outbox oldest first), whose
 * refunds, a write each, would cost more than the lookups: it is counted
 * change by change, as is a push that does not fit whole (its duplicates
 * may make it fit); then it is charged exactly, and apply gives nothing
 * back. */
static enum err push_charge(struct dc *d, const char *token, const struct push_change *c, size_t n,
                            bool *ok, int64_t *since, bool *refund)
{
    struct push_result first = {0};
    bool retry = false;
    int64_t fresh;
    *refund = false;
    enum err rc = n ? d->q->applied_get(d->s, token, c[0].id, &first, &retry) : ERR_OK;
    if (rc == ERR_OK && !retry) {
        *refund = true;
        rc = budget_take(d, DECIDE_PUSHED, token, (int64_t)n, STORE_CHANGES_PER_HOUR, ok, since);
        if (*ok)
            return rc;
    }
    if (rc)
        return rc;
    *refund = false;
    rc = count_new(d, token, c, n, &fresh);
    if (rc == ERR_OK)
        rc = budget_take(d, DECIDE_PUSHED, token, fresh, STORE_CHANGES_PER_HOUR, ok, since);
    return rc;
}

enum err decide_push_budget(const struct decide_ops *q, struct store *s, const char *token,
                            const struct push_change *c, size_t n, int64_t now,
                            int64_t *retry_after, bool *refund)
{
    struct dc d = {.q = q, .s = s, .now = now};
    *retry_after = 0;
    *refund = false;
    bool ok;
    int64_t since;
    enum err rc = q->begin(s);
    if (rc == ERR_OK)
        rc = push_charge(&d, token, c, n, &ok, &since, refund);
    if (rc == ERR_OK && !ok) {
        *retry_after = since + BUDGET_WINDOW - now;
        *refund = false;
    }
    if (rc == ERR_OK)
        rc = q->commit(s);
    if (rc) {
        q->rollback(s);
        *retry_after = 0;
        *refund = false;
    }
    return rc;
}

/* Gives back to the push budget of d->who the charge of one change found
 * decided before: store_push_budget charged it, unseen, in the window
 * that holds d->now (the push's clock). Nothing when that window has
 * passed or holds nothing: a new hour's count is not the push's. */
static enum err budget_refund(struct dc *d)
{
    int64_t used, since;
    enum err rc = window_get(d, DECIDE_PUSHED, d->who->name, BUDGET_WINDOW, &used, &since);
    if (rc || used <= 0)
        return rc;
    return d->q->counter_put(d->s, DECIDE_PUSHED, d->who->name, used - 1, since);
}

/* ---- apply ------------------------------------------------------------------------- */

static void result_set(struct push_result *out, const struct verr *e, int64_t seq)
{
    if (e->error[0]) {
        snprintf(out->status, sizeof out->status, "rejected");
        out->seq = -1;
        snprintf(out->error, sizeof out->error, "%s", e->error);
        snprintf(out->message, sizeof out->message, "%s", e->message);
        snprintf(out->field, sizeof out->field, "%s", e->field);
    } else {
        snprintf(out->status, sizeof out->status, "applied");
        out->seq = seq;
    }
}

/* Decides c and records the result in out, and in the exactly-once
 * record when `record` (a rejected change only within the token's hourly
 * budget: past STORE_REJECTED_PER_HOUR it is answered without a record,
 * so a hostile token cannot fill the store; safe for exactly-once, as a
 * rejected change changed nothing, so deciding its retry again applies
 * it at most once). */
static enum err decide_and_record(struct dc *d, const struct push_change *c, bool record,
                                  struct push_result *out)
{
    int64_t seq = -1, since;
    enum err rc = ERR_OK;
    if (!c->valid)
        *d->e = c->err;
    else
        rc = decide(d, c, &seq);
    if (rc)
        return rc;
    result_set(out, d->e, seq);
    if (record && d->e->error[0])
        rc = budget_take(d, DECIDE_REJECTED, d->who->name, 1, STORE_REJECTED_PER_HOUR, &record,
                         &since);
    if (rc == ERR_OK && record)
        rc = d->q->applied_put(d->s, d->who->name, out, d->at);
    return rc;
}

enum err decide_apply(const struct decide_ops *q, struct store *s, const struct store_caller *who,
                      const struct push_change *c, int64_t now, struct push_result *out)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    out->seq = -1;
    struct verr e;
    validate_clear(&e);
    struct dc d = {.q = q, .s = s, .who = who, .now = now, .e = &e};
    ts_format(now, d.at);
    /* A change id that is not a protocol id cannot be retried meaningfully
     * and is not worth storing: it is refused without a record. */
    bool record = who->dedup && id_valid(c->id);
    bool found = false;
    enum err rc = q->begin(s);
    if (rc == ERR_OK && record)
        rc = q->applied_get(s, who->name, c->id, out, &found);
    if (rc == ERR_OK && found && who->refund)
        rc = budget_refund(&d);
    if (rc == ERR_OK && found)
        snprintf(out->status, sizeof out->status, "duplicate");
    else if (rc == ERR_OK)
        rc = decide_and_record(&d, c, record, out);
    if (rc == ERR_OK)
        rc = q->commit(s);
    if (rc) {
        q->rollback(s);
        memset(out, 0, sizeof *out);
        out->id = c->id;
        out->seq = -1;
    }
    return rc;
}
