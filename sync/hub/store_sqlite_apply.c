/* store_sqlite_apply: applying one push change in the SQLite backend.
 *
 * sq_apply() runs each change in its own transaction together with its
 * exactly-once record; decide() takes the role rules (rules.c), whether
 * the row exists, then the rules that need other rows (references, room,
 * overlap, cancel code, a help offer's consent) and the columns the hub
 * sets. Also the sweeps of personal data (old bookings with their
 * holders, old help offers), which delete rows the same way a push would. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db.h"
#include "rrule.h"
#include "rules.h"
#include "store.h"
#include "store_sqlite_int.h"
#include "ts.h"
#include "xalloc.h"

/* ---- the rules that need other rows -------------------------------------- */

/* A refusal: fills e and returns ERR_OK (the change is decided, not failed). */
#define REJECT(e, code, field, ...) (validate_fail((e), (code), (field), __VA_ARGS__), ERR_OK)

static enum err row_exists(struct sq_store *st, const char *table, const char *id, bool *out)
{
    json_t *row = NULL;
    enum err rc = sq_get_row(st, tables_find(table), id, &row);
    *out = row != NULL;
    json_decref(row);
    return rc;
}

/* Checks that row[column], when set, names a row of `table`. */
static enum err check_ref(struct sq_store *st, json_t *row, const char *column, const char *table,
                          struct verr *e)
{
    const char *id = rules_str(row, column);
    if (!id)
        return ERR_OK;
    bool ok = false;
    enum err rc = row_exists(st, table, id, &ok);
    if (rc == ERR_OK && !ok)
        return REJECT(e, "invalid", column, "no %s has the id '%s'", table, id);
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

static enum err check_overlap(struct sq_store *st, json_t *row, struct verr *e)
{
    static const char sql[] = "SELECT 1 FROM booking WHERE room_id = ?1 AND status = 'confirmed'"
                              " AND id <> ?2 AND starts_at < ?3 AND ends_at > ?4 LIMIT 1";
    bool taken;
    enum err rc =
        sq_exists(st, sql, "check overlap", &taken, "tttt", rules_str(row, "room_id"),
                  rules_str(row, "id"), rules_str(row, "ends_at"), rules_str(row, "starts_at"));
    if (rc == ERR_OK && taken)
        return REJECT(e, "conflict", "starts_at", "the room is already booked at that time");
    return rc;
}

/* Room, times and overlap of a confirmed booking. */
static enum err check_booking(struct sq_store *st, json_t *row, int64_t now, struct verr *e)
{
    const char *room_id = rules_str(row, "room_id");
    json_t *room = NULL;
    enum err rc = sq_get_row(st, tables_find("room"), room_id, &room);
    if (rc)
        return rc;
    if (!room)
        return REJECT(e, "unavailable", "room_id", "no room has the id '%s'", room_id);
    int opens = 0, closes = 0;
    int64_t starts = 0, ends = 0;
    bool bookable = json_is_true(json_object_get(room, "bookable"));
    bool ok = ts_parse_hhmm(rules_str(room, "opens"), &opens) == ERR_OK &&
              ts_parse_hhmm(rules_str(room, "closes"), &closes) == ERR_OK;
    json_decref(room);
    if (!bookable || !ok)
        return REJECT(e, "unavailable", "room_id", "the room '%s' cannot be booked", room_id);
    if (ts_parse(rules_str(row, "starts_at"), &starts) ||
        ts_parse(rules_str(row, "ends_at"), &ends))
        return REJECT(e, "invalid", "starts_at", "the booking's times are not valid");
    if (rules_booking_times(starts, ends, opens, closes, now, e))
        return ERR_OK;
    return check_overlap(st, row, e);
}

static enum err fill_booking(struct sq_store *st, const struct store_caller *who, json_t *row,
                             json_t *old, int64_t now, struct verr *e)
{
    const char *code = rules_str(row, "cancel_code");
    if (code) {
        char hash[AUTH_CODE_HASH_LEN + 1];
        enum err rc = auth_code_hash(code, hash);
        if (rc)
            return rc;
        json_object_set_new(row, "cancel_hash", json_string(hash));
    } else if (who->role == STORE_KIOSK) {
        return REJECT(e, "invalid", "cancel_code", "a new booking needs a cancel code");
    } else {
        keep_or_set(row, old, "cancel_hash", json_null());
    }
    json_object_del(row, "cancel_code");
    keep_or_set(row, old, "created_by", json_string(who->name));
    if (rules_str_is(row, "status", "confirmed"))
        return check_booking(st, row, now, e);
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
static enum err bump_supports(struct sq_store *st, const struct counted *k, json_t *support,
                              int delta, int64_t now, int64_t seq)
{
    static const char ini[] = "UPDATE initiative SET supports = max(supports + ?1, 0),"
                              " updated_at = ?2, seq = ?3 WHERE id = ?4";
    static const char prop[] = "UPDATE proposal SET supports = max(coalesce(supports, 0) + ?1, 0),"
                               " seq = ?2 WHERE id = ?3";
    const char *id = rules_str(support, k->ref);
    char at[TS_LEN + 1];
    ts_format(now, at);
    enum err rc = strcmp(k->target, "initiative") == 0
                      ? sq_exec(st, ini, "bump supports", "itit", (int64_t)delta, at, seq, id)
                      : sq_exec(st, prop, "bump supports", "iit", (int64_t)delta, seq, id);
    if (rc == ERR_OK && sqlite3_changes(st->db) > 0)
        rc = sq_rowlog_put(st, k->target, id, CS_UPSERT, seq);
    return rc;
}

/* A support of a proposal names one that is published: kiosks show no
 * other. */
static enum err check_supported_proposal(struct sq_store *st, json_t *row, struct verr *e)
{
    const char *id = rules_str(row, "proposal_id");
    json_t *p = NULL;
    enum err rc = sq_get_row(st, tables_find("proposal"), id, &p);
    bool ok = p && rules_str_is(p, "status", "published");
    json_decref(p);
    if (rc == ERR_OK && !ok)
        return REJECT(e, "unavailable", "proposal_id", "no published proposal has the id '%s'", id);
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

/* Table rules of an upsert: references, hub-set columns. The row is the
 * stored copy, completed here. */
static enum err fill_row(struct sq_store *st, const struct store_caller *who, const struct table *t,
                         json_t *row, json_t *old, int64_t now, struct verr *e)
{
    char at[TS_LEN + 1];
    ts_format(now, at);
    const char *n = t->name;
    if (rules_picture(row, e))
        return ERR_OK;
    if (strcmp(n, "room") == 0) {
        int opens = 0, closes = 0;
        ts_parse_hhmm(rules_str(row, "opens"), &opens);
        ts_parse_hhmm(rules_str(row, "closes"), &closes);
        if (opens >= closes)
            return REJECT(e, "invalid", "closes", "a room must close after it opens");
        return check_ref(st, row, "site_id", "site", e);
    }
    if (strcmp(n, "event") == 0) {
        enum err rc = check_span(row, e);
        if (rc == ERR_OK && !e->error[0])
            rc = check_ref(st, row, "site_id", "site", e);
        if (rc == ERR_OK && !e->error[0])
            rc = check_ref(st, row, "room_id", "room", e);
        if (rc == ERR_OK && !e->error[0])
            rc = check_ref(st, row, "organization_id", "organization", e);
        return rc;
    }
    if (strcmp(n, "announcement") == 0)
        return check_span(row, e);
    if (strcmp(n, "initiative") == 0) {
        keep_or_set(row, old, "supports", json_integer(0));
        json_object_set_new(row, "updated_at", json_string(at));
        return check_ref(st, row, "organization_id", "organization", e);
    }
    if (strcmp(n, "proposal") == 0) {
        keep_or_set(row, old, "created_at", json_string(at));
        keep_or_set(row, old, "supports", json_integer(0));
        bool once = (old && json_is_true(json_object_get(old, "was_published"))) ||
                    rules_str_is(row, "status", "published");
        json_object_set_new(row, "was_published", json_boolean(once));
        return check_outcome(row, e);
    }
    if (strcmp(n, "support") == 0 || strcmp(n, "proposal_support") == 0) {
        keep_or_set(row, old, "created_by", json_string(who->name));
        return strcmp(n, "support") == 0 ? check_ref(st, row, "initiative_id", "initiative", e)
                                         : check_supported_proposal(st, row, e);
    }
    if (strcmp(n, "booking") == 0)
        return fill_booking(st, who, row, old, now, e);
    if (strcmp(n, "figure") == 0 && rules_figure(row, e))
        return ERR_OK; /* refused: e is filled, as by REJECT */
    if (strcmp(n, "help_offer") == 0) {
        /* Nothing personal is kept without the person's yes. */
        if (!json_is_true(json_object_get(row, "consent")))
            return REJECT(e, "invalid", "consent", "a help offer needs the person's consent");
        keep_or_set(row, old, "created_at", json_string(at));
        return check_ref(st, row, "initiative_id", "initiative", e);
    }
    return ERR_OK;
}

static enum err do_upsert(struct sq_store *st, const struct store_caller *who,
                          const struct push_change *c, json_t *old, int64_t now, struct verr *e,
                          int64_t *seq)
{
    const struct table *t = c->table;
    const struct counted *k = counted_of(t);
    if (old && (who->role == STORE_KIOSK || k))
        return REJECT(e, "exists", "id", "a %s with the id '%s' already exists", t->name,
                      c->row_id);
    json_t *row = json_deep_copy(c->row);
    enum err rc = fill_row(st, who, t, row, old, now, e);
    if (rc == ERR_OK && !e->error[0])
        rc = sq_commit_row(st, t, row, seq);
    if (rc == ERR_OK && !e->error[0] && k)
        rc = bump_supports(st, k, row, 1, now, *seq);
    json_decref(row);
    return rc;
}

/* A counter in a window, kept in a row (key, count, since) that `sql`
 * reads with the key bound to ?1 (and `kind`, when not NULL, to ?2):
 * *count and *since as stored, or 0 and `now` when there is no row or its
 * window has passed (a clock set back counts as passed). */
static enum err window_get(struct sq_store *st, const char *sql, const char *key, const char *kind,
                           int64_t now, int64_t window, int64_t *count, int64_t *since)
{
    *count = 0;
    *since = now;
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
    if (kind)
        sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *count = sqlite3_column_int64(s, 0);
        *since = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sq_fail(st, r, "read a counter");
    if (now - *since >= window || now < *since) {
        *count = 0;
        *since = now;
    }
    return ERR_OK;
}

/* *ok when `code` is the booking's and the booking is not locked: after
 * STORE_CODE_TRIES wrong codes within STORE_CODE_WINDOW seconds of the
 * first, every check fails without looking at the code until the window
 * has passed (docs/protocol.md: codes cannot be guessed). A wrong
 * code is counted, in the change's transaction. */
static enum err check_code(struct sq_store *st, const char *id, const char *code, const char *hash,
                           int64_t now, bool *ok)
{
    static const char get[] = "SELECT failures, since FROM cancel_guard WHERE booking_id = ?1";
    static const char put[] = "INSERT INTO cancel_guard(booking_id, failures, since)"
                              " VALUES(?1, ?2, ?3) ON CONFLICT(booking_id) DO UPDATE SET"
                              " failures = excluded.failures, since = excluded.since";
    int64_t failures, since;
    enum err rc = window_get(st, get, id, NULL, now, STORE_CODE_WINDOW, &failures, &since);
    *ok = rc == ERR_OK && failures < STORE_CODE_TRIES && auth_code_check(code, hash);
    if (rc || *ok)
        return rc;
    return sq_exec(st, put, "count a wrong code", "tii", id, failures + 1, since);
}

/* A booking cancel {id, status: "cancelled", cancel_code}: only the status
 * changes. Staff and admins need no code. */
static enum err do_cancel(struct sq_store *st, const struct store_caller *who,
                          const struct push_change *c, json_t *old, int64_t now, struct verr *e,
                          int64_t *seq)
{
    if (!old)
        return REJECT(e, "not_found", "id", "no booking has the id '%s'", c->row_id);
    bool ok = who->role != STORE_KIOSK;
    enum err rc = ok ? ERR_OK
                     : check_code(st, c->row_id, rules_str(c->row, "cancel_code"),
                                  rules_str(old, "cancel_hash"), now, &ok);
    if (rc)
        return rc;
    if (!ok)
        return REJECT(e, "bad_code", "cancel_code", "the cancel code does not match");
    json_object_set_new(old, "status", json_string("cancelled"));
    return sq_commit_row(st, c->table, old, seq);
}

/* Deletes the row under a new seq and logs it for pulls (a hub-only
 * table has no rowlog). */
static enum err delete_row(struct sq_store *st, const struct table *t, const char *id,
                           const char *what, int64_t *seq)
{
    enum err rc = sq_next_seq(st, seq);
    if (rc == ERR_OK)
        rc = sq_exec(st, st->del_sql[sq_table_index(t)], what, "t", id);
    if (rc == ERR_OK && !(t->flags & TABLE_HUB))
        rc = sq_rowlog_put(st, t->name, id, CS_DELETE, *seq);
    return rc;
}

static enum err do_delete(struct sq_store *st, const struct push_change *c, json_t *old,
                          int64_t now, struct verr *e, int64_t *seq)
{
    const struct table *t = c->table;
    if (!old)
        return REJECT(e, "not_found", "id", "no %s has the id '%s'", t->name, c->row_id);
    enum err rc = delete_row(st, t, c->row_id, "delete row", seq);
    if (rc == ERR_OK && counted_of(t))
        rc = bump_supports(st, counted_of(t), old, -1, now, *seq);
    return rc;
}

/* Decides one valid change inside the open transaction: applied (e empty,
 * *seq set) or rejected (e filled). Order: role, existence, table rules. */
static enum err decide(struct sq_store *st, const struct store_caller *who,
                       const struct push_change *c, int64_t now, struct verr *e, int64_t *seq)
{
    if (rules_permit(who->role, c->table, c->op, c->row, e))
        return ERR_OK;
    json_t *old = NULL;
    enum err rc = sq_get_row(st, c->table, c->row_id, &old);
    if (rc)
        return rc;
    bool cancel = strcmp(c->table->name, "booking") == 0 && c->op == CS_UPSERT &&
                  rules_str_is(c->row, "status", "cancelled") &&
                  (who->role == STORE_KIOSK || !rules_row_complete(c->table, c->row));
    if (c->op == CS_DELETE)
        rc = do_delete(st, c, old, now, e, seq);
    else if (cancel)
        rc = do_cancel(st, who, c, old, now, e, seq);
    else
        rc = do_upsert(st, who, c, old, now, e, seq);
    json_decref(old);
    return rc;
}

/* ---- apply ------------------------------------------------------------------------- */

static enum err find_applied(struct sq_store *st, const char *token, const char *change,
                             struct push_result *out, bool *found)
{
    static const char sql[] = "SELECT status, seq, error, message, field FROM applied "
                              "WHERE token = ?1 AND change_id = ?2";
    sqlite3_stmt *s;
    *found = false;
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, change, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *found = true;
        snprintf(out->status, sizeof out->status, "duplicate");
        out->seq = sqlite3_column_type(s, 1) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 1);
        snprintf(out->error, sizeof out->error, "%s",
                 sqlite3_column_text(s, 2) ? (const char *)sqlite3_column_text(s, 2) : "");
        snprintf(out->message, sizeof out->message, "%s",
                 sqlite3_column_text(s, 3) ? (const char *)sqlite3_column_text(s, 3) : "");
        snprintf(out->field, sizeof out->field, "%s",
                 sqlite3_column_text(s, 4) ? (const char *)sqlite3_column_text(s, 4) : "");
    } else if (r != SQLITE_DONE) {
        rc = sq_fail(st, r, "read applied");
    }
    sqlite3_reset(s);
    return rc;
}

#define BUDGET_WINDOW 3600 /* seconds: the budgets are hourly */

/* Spends n of the hourly budget `kind` of `token` when no more than `max`
 * is then spent in the hour that began at *since; *ok says whether it
 * did. */
static enum err budget_take(struct sq_store *st, const char *token, const char *kind, int64_t n,
                            int64_t max, int64_t now, bool *ok, int64_t *since)
{
    static const char get[] = "SELECT used, since FROM budget WHERE token = ?1 AND kind = ?2";
    static const char put[] = "INSERT INTO budget(token, kind, used, since) VALUES(?1, ?2, ?3, ?4)"
                              " ON CONFLICT(token, kind) DO UPDATE SET used = excluded.used,"
                              " since = excluded.since";
    int64_t used;
    enum err rc = window_get(st, get, token, kind, now, BUDGET_WINDOW, &used, since);
    *ok = rc == ERR_OK && used + n <= max;
    if (rc || !*ok)
        return rc;
    return sq_exec(st, put, "spend a budget", "ttii", token, kind, used + n, *since);
}

/* *ok when `token` may store one more rejected record this hour (then it
 * is counted): past STORE_REJECTED_PER_HOUR, rejected changes are answered
 * without a record, so a hostile token cannot fill the store. Safe for
 * exactly-once: a rejected change changed nothing, so deciding its retry
 * again applies it at most once. */
static enum err reject_budget(struct sq_store *st, const char *token, int64_t now, bool *ok)
{
    int64_t since;
    return budget_take(st, token, "rejected", 1, STORE_REJECTED_PER_HOUR, now, ok, &since);
}

struct push_count {
    const char *token;
    int64_t n, now;
    int64_t *retry_after;
};

static enum err push_count(struct sq_store *st, const void *p)
{
    const struct push_count *a = p;
    bool ok;
    int64_t since;
    enum err rc =
        budget_take(st, a->token, "changes", a->n, STORE_CHANGES_PER_HOUR, a->now, &ok, &since);
    if (rc == ERR_OK && !ok)
        *a->retry_after = since + BUDGET_WINDOW - a->now;
    return rc;
}

enum err sq_push_budget(struct store *base, const char *token, size_t n, int64_t now,
                        int64_t *retry_after)
{
    *retry_after = 0;
    struct push_count a = {token, (int64_t)n, now, retry_after};
    return sq_in_tx(sq(base), push_count, &a);
}

static const char *nonempty(const char *s)
{
    return s[0] ? s : NULL;
}

static enum err record_applied(struct sq_store *st, const char *token, const struct push_result *r,
                               int64_t now)
{
    static const char sql[] = "INSERT INTO applied(token, change_id, status, seq, error, message,"
                              " field, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    char at[TS_LEN + 1];
    ts_format(now, at);
    return sq_exec(st, sql, "record applied", "tttntttt", token, r->id, r->status, (int64_t)r->seq,
                   nonempty(r->error), nonempty(r->message), nonempty(r->field), at);
}

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

enum err sq_apply(struct store *base, const struct store_caller *who, const struct push_change *c,
                  int64_t now, struct push_result *out)
{
    struct sq_store *st = sq(base);
    memset(out, 0, sizeof *out);
    out->id = c->id;
    out->seq = -1;
    /* A change id that is not a protocol id cannot be retried meaningfully
     * and is not worth storing: it is refused without a record. */
    bool record = who->dedup && id_valid(c->id);
    bool found = false;
    pthread_mutex_lock(&st->lock);
    enum err rc = record ? find_applied(st, who->name, c->id, out, &found) : ERR_OK;
    if (rc || found) {
        pthread_mutex_unlock(&st->lock);
        return rc;
    }
    struct verr e;
    validate_clear(&e);
    int64_t seq = -1;
    rc = db_begin(st->db);
    if (rc)
        sq_fail(st, SQLITE_BUSY, "begin");
    if (rc == ERR_OK) {
        if (!c->valid)
            e = c->err;
        else
            rc = decide(st, who, c, now, &e, &seq);
    }
    if (rc == ERR_OK) {
        result_set(out, &e, seq);
        if (record && e.error[0])
            rc = reject_budget(st, who->name, now, &record);
        if (rc == ERR_OK && record)
            rc = record_applied(st, who->name, out, now);
    }
    if (rc == ERR_OK)
        rc = db_commit(st->db);
    if (rc) {
        db_rollback(st->db);
        out->seq = -1;
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

/* Deletes, as a push would (tombstones for pulls), the rows of table
 * `name` that `sql` selects by the cutoff time bound to ?1. */
static enum err erase_rows(struct sq_store *st, const char *name, const char *sql,
                           const struct sq_sweep *a)
{
    const struct table *t = tables_find(name);
    char cutoff[TS_LEN + 1];
    ts_format(a->cutoff, cutoff);
    sqlite3_stmt *s;
    enum err rc = sq_prep(st, sql, &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, cutoff, -1, SQLITE_TRANSIENT);
    size_t n = 0, cap = 0;
    char **ids = NULL;
    int64_t seq;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            ids = xrealloc(ids, cap * sizeof *ids);
        }
        ids[n++] = sq_col_dup(s, 0);
    }
    if (r != SQLITE_DONE)
        rc = sq_fail(st, r, "find rows to erase");
    sqlite3_reset(s);
    for (size_t i = 0; i < n; i++) {
        if (rc == ERR_OK)
            rc = delete_row(st, t, ids[i], "erase a row", &seq);
        free(ids[i]);
    }
    free(ids);
    *a->count = rc == ERR_OK ? (int64_t)n : 0;
    return rc;
}

static enum err erase_holders(struct sq_store *st, const void *p)
{
    return erase_rows(st, "booking", "SELECT id FROM booking WHERE ends_at < ?1", p);
}

enum err sq_erase_holders(struct store *base, int64_t ended_before, int64_t *erased)
{
    return sq_sweep_run(sq(base), erase_holders, ended_before, erased);
}

static enum err erase_offers(struct sq_store *st, const void *p)
{
    return erase_rows(st, "help_offer", "SELECT id FROM help_offer WHERE created_at <= ?1", p);
}

enum err sq_erase_offers(struct store *base, int64_t created_upto, int64_t *erased)
{
    return sq_sweep_run(sq(base), erase_offers, created_upto, erased);
}
