/* store_sqlite_calendar: what the public calendars read (store.h,
 * "Public calendars"). Both reads walk an index (event_starts,
 * booking_room) and stop at their limit: what an anonymous request costs
 * is bounded. The busy read selects no holder, purpose or code: they
 * cannot leak from a row that never held them. */
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "store_sqlite_int.h"
#include "ts.h"

static void event_from_row(sqlite3_stmt *s, void *item)
{
    struct store_event *e = item;
    e->id = sq_col_dup(s, 0);
    e->title = sq_col_dup(s, 1);
    e->description = sq_col_dup(s, 2);
    e->starts_at = sq_col_dup(s, 3);
    e->ends_at = sq_col_dup(s, 4);
    e->place = sq_col_dup(s, 5);
    e->url = sq_col_dup(s, 6);
    e->rrule = sq_col_dup(s, 7);
}

enum err sq_events(struct store *base, int64_t from, int64_t to, size_t limit,
                   struct store_event **out, size_t *n)
{
    /* The place as the kiosk's agenda shows it (kiosk/model.c). */
    static const char sql[] =
        "SELECT e.id, e.title, e.description, e.starts_at, e.ends_at,"
        " coalesce(e.place, r.name || ', ' || s.name, r.name, s.name), e.url, e.rrule"
        " FROM event e LEFT JOIN room r ON r.id = e.room_id LEFT JOIN site s ON s.id = e.site_id"
        /* a series begun before the window may repeat into it
         * (http_ical.c keeps those that do) */
        " WHERE e.starts_at < ?2 AND (e.starts_at >= ?1 OR e.rrule IS NOT NULL)"
        " ORDER BY e.starts_at, e.id LIMIT ?3";
    char a[TS_LEN + 1], b[TS_LEN + 1];
    ts_format(from, a);
    ts_format(to, b);
    void *items;
    enum err rc = sq_list(sq(base), sql, sizeof **out, event_from_row, &items, n, "list events",
                          "tti", a, b, (int64_t)limit);
    *out = items;
    return rc;
}

static bool room_take(sqlite3_stmt *s, const char *id, void *out)
{
    (void)id;
    if (sqlite3_column_int(s, 1) != 1)
        return false;
    *(char **)out = sq_col_dup(s, 0);
    return true;
}

static void span_from_row(sqlite3_stmt *s, void *item)
{
    struct store_span *b = item;
    b->id = sq_col_dup(s, 0);
    b->starts_at = sq_col_dup(s, 1);
    b->ends_at = sq_col_dup(s, 2);
}

enum err sq_busy(struct store *base, const char *room, int64_t from, int64_t to, size_t limit,
                 char **room_name, struct store_span **out, size_t *n)
{
    static const char room_sql[] = "SELECT name, bookable FROM room WHERE id = ?1";
    /* A booking lasts at most RULES_BOOKING_MAX (rules.c): one that
     * overlaps the window starts at most that long before it, so the
     * index bounds the scan from both sides. */
    static const char sql[] =
        "SELECT id, starts_at, ends_at FROM booking WHERE room_id = ?1 AND status = 'confirmed'"
        " AND starts_at < ?3 AND ends_at > ?2 AND starts_at >= ?4"
        " ORDER BY starts_at, id LIMIT ?5";
    *out = NULL;
    *n = 0;
    *room_name = NULL;
    enum err rc =
        sq_get_one(sq(base), room_sql, room, room_take, room_name, ERR_NOT_FOUND, "find room");
    if (rc)
        return rc;
    char a[TS_LEN + 1], b[TS_LEN + 1], earliest[TS_LEN + 1];
    ts_format(from, a);
    ts_format(to, b);
    ts_format(from - RULES_BOOKING_MAX, earliest);
    void *items = NULL;
    rc = sq_list(sq(base), sql, sizeof **out, span_from_row, &items, n, "list bookings", "tttti",
                 room, a, b, earliest, (int64_t)limit);
    *out = items;
    return rc;
}
