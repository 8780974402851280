/* http_ical (hub): the public calendars of docs/protocol.md, as iCalendar
 * (shared/ical.h), for the town's website and phones: no token, since
 * they hold only what every kiosk shows to anyone.
 *
 * GET /v1/agenda.ics: the events starting from ICAL_PAST_DAYS ago to
 * ICAL_AHEAD_DAYS ahead. GET /v1/rooms/ID/busy.ics: a bookable room's
 * confirmed bookings over the same window, as opaque busy periods (the
 * store never reads holder, purpose or code for them). An anonymous
 * request's cost is bounded: a capped number of rows read through an
 * index, a capped body, and the agenda built once per head and day
 * (struct ical_feed) however many ask. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gz.h"
#include "http_int.h"
#include "ical.h"
#include "log.h"
#include "rrule.h"
#include "ts.h"
#include "xalloc.h"

#define ICAL_PAST_DAYS 30
#define ICAL_AHEAD_DAYS 366
#define ICAL_EVENTS_MAX 1000 /* events in the feed at most, earliest first */
#define ICAL_SPANS_MAX 2000  /* busy periods of one room at most */
/* Bodies at most: ICAL_EVENTS_MAX events of the longest texts fit (4000
 * characters of 4 octets of description, folded, and the rest: under 18
 * KB an event). Real agendas are a few dozen KB. */
#define ICAL_BODY_MAX (24u << 20)
#define ICAL_TYPE "text/calendar; charset=utf-8"
/* The feeds change when staff edit the agenda: five minutes of caching by
 * browsers and proxies spares the hub and delays no one much. */
#define ICAL_CACHE "public, max-age=300"

void api_ical_init(struct ical_feed *f)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    f->head = -1;
}

static void feed_drop(struct ical_feed *f)
{
    free(f->body[0]);
    free(f->body[1]);
    f->body[0] = f->body[1] = NULL;
    f->len[0] = f->len[1] = 0;
}

void api_ical_release(struct ical_feed *f)
{
    feed_drop(f);
    pthread_mutex_destroy(&f->lock);
}

/* The window's first instant: midnight UTC ICAL_PAST_DAYS before today,
 * so that a body is the same all day. */
static int64_t window_start(int64_t now)
{
    int64_t day = now - (now % 86400 + 86400) % 86400;
    return day - (int64_t)ICAL_PAST_DAYS * 86400;
}

static int64_t window_end(int64_t from)
{
    return from + (int64_t)(ICAL_PAST_DAYS + ICAL_AHEAD_DAYS) * 86400;
}

static enum MHD_Result failed(struct req *r, const char *what, enum err rc)
{
    log_error("%s: %s", what, rc == ERR_TOO_BIG ? "too big" : store_errmsg(r->h->store));
    return req_error(r, 500, "internal", NULL, "the hub cannot build this calendar; try again");
}

/* Whether a series begun before from still repeats in [from, to). */
static bool repeats_in(const struct ical_event *ev, int64_t from, int64_t to)
{
    struct rrule r;
    char why[8];
    int64_t next;
    return rrule_parse(ev->rrule, &r, why, sizeof why) == ERR_OK &&
           rrule_expand(&r, ev->starts, ev->ends - ev->starts, from, to, &next, 1) == 1;
}

/* One event of [from, to); rows whose times do not parse are skipped (a
 * row that reached the store parsed, so this is only belt and braces). */
static enum err agenda_event(struct buf *b, const struct store_event *e, int64_t stamp,
                             int64_t from, int64_t to)
{
    struct ical_event ev = {"event", e->id, e->title, e->place, e->description,
                            e->url,  0,     0,        stamp,    e->rrule};
    if (ts_parse(e->starts_at, &ev.starts) || ts_parse(e->ends_at, &ev.ends))
        return ERR_OK;
    if (ev.starts < from && !repeats_in(&ev, from, to))
        return ERR_OK;
    return ical_event(b, &ev);
}

static enum err agenda_build(struct store *s, int64_t from, int64_t now, struct buf *b)
{
    struct store_event *ev = NULL;
    size_t n = 0;
    enum err rc = store_events(s, from, window_end(from), ICAL_EVENTS_MAX, &ev, &n);
    if (rc == ERR_OK)
        rc = ical_begin(b, "Agenda de l’ESS à Sceaux");
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = agenda_event(b, &ev[i], now, from, window_end(from));
    if (rc == ERR_OK)
        rc = ical_end(b);
    store_events_free(ev, n);
    return rc;
}

/* The cached body for (head, day) in the wanted encoding, built under the
 * lock when missing so that concurrent requests wait for one build. A
 * copy is handed out (new). */
static enum err agenda_get(struct hub_http *h, int64_t head, int64_t from, int gz, char **out,
                           size_t *len)
{
    struct ical_feed *f = &h->agenda;
    enum err rc = ERR_OK;
    pthread_mutex_lock(&f->lock);
    if (f->head != head || f->day != from) {
        feed_drop(f);
        f->head = -1; /* nothing cached until a build succeeds */
        struct buf b;
        buf_init(&b, ICAL_BODY_MAX);
        rc = agenda_build(h->store, from, ts_now(), &b);
        if (rc == ERR_OK) {
            f->body[0] = buf_detach(&b, &f->len[0]);
            f->head = head;
            f->day = from;
        }
        buf_release(&b);
    }
    if (rc == ERR_OK && gz && !f->body[1]) {
        struct buf z;
        buf_init(&z, f->len[0] + f->len[0] / 8 + 1024);
        rc = gz_compress(f->body[0], f->len[0], &z);
        if (rc == ERR_OK)
            f->body[1] = buf_detach(&z, &f->len[1]);
        buf_release(&z);
    }
    if (rc == ERR_OK) {
        *len = f->len[gz];
        *out = xmalloc(*len + 1);
        memcpy(*out, f->body[gz], *len);
    }
    pthread_mutex_unlock(&f->lock);
    return rc;
}

/* Sets the answer's headers; true when the client's If-None-Match names
 * the feed as it is now: a feed (`what`: "agenda" or a room id) is a
 * function of the database (epoch, head) and the window's day, so a
 * calendar app that polls gets a 304 without a read of the rows. */
static bool not_modified(struct req *r, const struct store_state *st, int64_t from,
                         const char *what)
{
    r->type = ICAL_TYPE;
    r->cache = ICAL_CACHE;
    snprintf(r->etag, sizeof r->etag, "W/\"%.16s-%lld-%lld-%s\"", st->epoch, (long long)st->head,
             (long long)(from / 86400), what);
    const char *v =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    return v && strstr(v, r->etag + 2); /* the quoted tag, weak or not */
}

static enum MHD_Result answer_304(struct req *r)
{
    return req_send(r, 304, xmalloc(1), 0, false);
}

enum MHD_Result api_agenda_ics(struct req *r)
{
    struct store_state st;
    enum err rc = store_state(r->h->store, &st);
    if (rc)
        return failed(r, "cannot read the state", rc);
    int64_t from = window_start(ts_now());
    if (not_modified(r, &st, from, "agenda"))
        return answer_304(r);
    int gz = req_wants_gzip(r) ? 1 : 0;
    char *body = NULL;
    size_t len = 0;
    rc = agenda_get(r->h, st.head, from, gz, &body, &len);
    if (rc)
        return failed(r, "cannot build the agenda feed", rc);
    return req_send(r, 200, body, len, gz == 1);
}

static enum err busy_build(struct store *s, const char *room, int64_t now, struct buf *b)
{
    int64_t from = window_start(now);
    char *name = NULL;
    struct store_span *sp = NULL;
    size_t n = 0;
    enum err rc = store_busy(s, room, from, window_end(from), ICAL_SPANS_MAX, &name, &sp, &n);
    if (rc == ERR_OK) {
        char title[200];
        snprintf(title, sizeof title, "%s (occupation)", name);
        rc = ical_begin(b, title);
    }
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        int64_t a = 0, z = 0;
        if (ts_parse(sp[i].starts_at, &a) == ERR_OK && ts_parse(sp[i].ends_at, &z) == ERR_OK)
            rc = ical_busy(b, sp[i].id, a, z, now, "Occupé");
    }
    if (rc == ERR_OK)
        rc = ical_end(b);
    store_spans_free(sp, n);
    free(name);
    return rc;
}

enum MHD_Result api_busy_ics(struct req *r)
{
    char room[ID_MAX + 1];
    if (!req_path_id(r, room))
        return req_error(r, 404, "not_found", NULL, "no such endpoint");
    struct store_state st;
    enum err rc = store_state(r->h->store, &st);
    if (rc)
        return failed(r, "cannot read the state", rc);
    int64_t now = ts_now();
    /* The tag came with a 200 for this room: the room was bookable at
     * this head, and is still. */
    if (not_modified(r, &st, window_start(now), room))
        return answer_304(r);
    struct buf b;
    buf_init(&b, ICAL_BODY_MAX);
    rc = busy_build(r->h->store, room, now, &b);
    if (rc == ERR_NOT_FOUND) {
        buf_release(&b);
        return req_error(r, 404, "not_found", "room_id", "no bookable room has this id");
    }
    if (rc) {
        buf_release(&b);
        return failed(r, "cannot build a room's busy feed", rc);
    }
    size_t len;
    char *body = buf_detach(&b, &len);
    return req_reply(r, 200, body, len);
}
