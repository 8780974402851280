/* rules: role permissions, pull views and booking time rules, pure
 * functions of their arguments (the clock comes in as `now`), so tests
 * call them directly. */
#include "rules.h"

#include <string.h>

#include "changeset.h"
#include "ts.h"

const char *rules_str(json_t *row, const char *name)
{
    json_t *v = json_object_get(row, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

bool rules_str_is(json_t *row, const char *name, const char *value)
{
    const char *s = rules_str(row, name);
    return s && strcmp(s, value) == 0;
}

/* The city's columns of a proposal (its outcome and answer) that a row
 * sets, or NULL: staff decide them, never a kiosk. */
static const char *city_column_set(const struct table *t, json_t *row)
{
    static const char *const city[] = {"outcome", "answer", NULL};
    for (int i = 0; strcmp(t->name, "proposal") == 0 && city[i]; i++) {
        json_t *v = json_object_get(row, city[i]);
        if (v && !json_is_null(v))
            return city[i];
    }
    return NULL;
}

static bool kiosk_may(const struct table *t, int op, json_t *row)
{
    if (op != CS_UPSERT)
        return false;
    if (strcmp(t->name, "booking") == 0)
        return rules_str_is(row, "status", "confirmed") || rules_str_is(row, "status", "cancelled");
    if (strcmp(t->name, "support") == 0 || strcmp(t->name, "proposal_support") == 0)
        return true;
    if (strcmp(t->name, "proposal") == 0)
        return rules_str_is(row, "status", "submitted") && !city_column_set(t, row);
    if (strcmp(t->name, "help_offer") == 0)
        return rules_str_is(row, "status", "new");
    return false;
}

static bool staff_may(const struct table *t)
{
    static const char *const allowed[] = {
        "room",     "initiative", "organization", "event",      "announcement",
        "proposal", "booking",    "figure",       "help_offer", NULL,
    };
    for (int i = 0; allowed[i]; i++)
        if (strcmp(t->name, allowed[i]) == 0)
            return true;
    return false;
}

enum err rules_permit(enum store_role role, const struct table *t, int op, json_t *row,
                      struct verr *e)
{
    bool ok = false;
    switch (role) {
    case STORE_ADMIN:
        ok = true;
        break;
    case STORE_STAFF:
        ok = staff_may(t);
        break;
    case STORE_KIOSK:
        ok = kiosk_may(t, op, row);
        break;
    }
    if (ok)
        return ERR_OK;
    const char *city = role == STORE_KIOSK ? city_column_set(t, row) : NULL;
    if (city) {
        validate_fail(e, "forbidden", city, "a kiosk token may not set a proposal's '%s'", city);
        return ERR_FORBIDDEN;
    }
    validate_fail(e, "forbidden", NULL, "a %s token may not %s this %s", store_role_name(role),
                  op == CS_DELETE ? "delete" : "write", t->name);
    return ERR_FORBIDDEN;
}

static int seconds_of_day(const struct ts_local *l)
{
    return l->hour * 3600 + l->minute * 60 + l->second;
}

static bool same_day(const struct ts_local *a, const struct ts_local *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day;
}

/* The end may fall on the next day's 00:00:00 only when the room closes
 * at 24:00. */
static bool ends_before_close(const struct ts_local *s, const struct ts_local *en, int closes)
{
    if (same_day(s, en))
        return seconds_of_day(en) <= closes * 60;
    if (closes != 24 * 60 || seconds_of_day(en) != 0)
        return false;
    int64_t next = ts_from_paris(s->year, s->month, s->day, 12, 0) + 24 * 3600;
    struct ts_local n;
    ts_paris(next, &n);
    return same_day(&n, en);
}

enum err rules_booking_times(int64_t starts, int64_t ends, int opens, int closes, int64_t now,
                             struct verr *e)
{
    if (ends <= starts) {
        validate_fail(e, "invalid", "ends_at", "a booking must end after it starts");
        return ERR_INVALID;
    }
    if (ends - starts > RULES_BOOKING_MAX) {
        validate_fail(e, "invalid", "ends_at", "a booking lasts at most 12 hours");
        return ERR_INVALID;
    }
    if (ends <= now) {
        validate_fail(e, "invalid", "ends_at", "a booking may not end in the past");
        return ERR_INVALID;
    }
    struct ts_local s, en;
    ts_paris(starts, &s);
    ts_paris(ends, &en);
    if (seconds_of_day(&s) < opens * 60) {
        validate_fail(e, "invalid", "starts_at", "the room opens at %02d:%02d", opens / 60,
                      opens % 60);
        return ERR_INVALID;
    }
    if (!ends_before_close(&s, &en, closes)) {
        validate_fail(e, "invalid", "ends_at", "the room closes at %02d:%02d on the same day",
                      closes / 60, closes % 60);
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err rules_picture(json_t *row, struct verr *e)
{
    if (!rules_str(row, "picture"))
        return ERR_OK;
    const char *alt = rules_str(row, "picture_alt");
    if (alt && !validate_blank(alt))
        return ERR_OK;
    validate_fail(e, "invalid", "picture_alt", "a picture needs its alternative text");
    return ERR_INVALID;
}

/* An author's first word only: a public screen shows a first name, never
 * a full name someone typed (docs/protocol.md). */
static void first_name_only(json_t *row)
{
    const char *name = rules_str(row, "author_name");
    if (!name)
        return;
    static const char space[] = " \t\r\n";
    name += strspn(name, space);
    size_t n = strcspn(name, space);
    json_object_set_new(row, "author_name", n ? json_stringn(name, n) : json_null());
}

bool rules_pull_view(enum store_role role, struct store_change *c)
{
    if (role == STORE_KIOSK && (c->table->flags & TABLE_STAFF))
        return false; /* neither its rows nor their deletes */
    if (role != STORE_KIOSK || c->op != CS_UPSERT)
        return true;
    if (strcmp(c->table->name, "proposal") == 0) {
        if (rules_str_is(c->row, "status", "published")) {
            first_name_only(c->row);
            return true;
        }
        if (!json_is_true(json_object_get(c->row, "was_published")))
            return false;
        json_decref(c->row);
        c->row = NULL;
        c->op = CS_DELETE;
        return true;
    }
    for (int i = 0; i < c->table->ncols; i++)
        if (c->table->cols[i].flags & COL_STAFF)
            json_object_set_new(c->row, c->table->cols[i].name, json_null());
    return true;
}

bool rules_row_complete(const struct table *t, json_t *row)
{
    for (int i = 0; i < t->ncols; i++) {
        const struct column *c = &t->cols[i];
        if ((c->flags & COL_OPT) || !tables_column_pushable(c))
            continue;
        json_t *v = json_object_get(row, c->name);
        if (!v || json_is_null(v))
            return false;
    }
    return true;
}

enum err rules_figure(json_t *row, struct verr *e)
{
    json_int_t value = json_integer_value(json_object_get(row, "value"));
    json_t *year = json_object_get(row, "year");
    if (rules_str_is(row, "unit", "percent") && value > 100) {
        validate_fail(e, "invalid", "value", "a percentage is at most 100");
        return ERR_INVALID;
    }
    if (json_is_integer(year) &&
        (json_integer_value(year) < RULES_YEAR_MIN || json_integer_value(year) > RULES_YEAR_MAX)) {
        validate_fail(e, "invalid", "year", "a figure's year is from %d to %d", RULES_YEAR_MIN,
                      RULES_YEAR_MAX);
        return ERR_INVALID;
    }
    return ERR_OK;
}
