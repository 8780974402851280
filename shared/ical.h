/* ical: iCalendar (RFC 5545) events and vCard (RFC 6350) contact cards,
 * written into a capped buf.
 *
 * What the hub's public feeds (GET /v1/agenda.ics, /v1/rooms/ID/busy.ics)
 * and the kiosk's QR codes carry, so both write the same event the same
 * way: a phone that scanned an event at a kiosk and subscribed to the feed
 * sees one event (same UID). Every line ends in CRLF and is folded before
 * 75 octets, never inside a UTF-8 character; TEXT values are escaped
 * (backslash, ";", ",", newlines) and stripped of other control
 * characters; times are UTC DATE-TIME ("20261201T090000Z"). Inputs are
 * the protocol's rows, already valid UTF-8 (validate.h).
 *
 * Each writer is a sticky sequence: the first failure (ERR_TOO_BIG when
 * the buf's cap is reached) is returned and the buf is left with what was
 * written before it. Start reading at ical_event(). */
#ifndef SCEAUX_ICAL_H
#define SCEAUX_ICAL_H
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* The domain part of every UID ("event-ID@" ICAL_UID_DOMAIN): a row id is
 * unique in its table, the table kind and this reserved name (RFC 2606)
 * make it unique among calendars. */
#define ICAL_UID_DOMAIN "sceaux-kiosk.invalid"
/* A folded line's content, in octets (RFC 5545 3.1: 75 with the fold's
 * leading space). */
#define ICAL_LINE_MAX 75

/* One VEVENT. Strings borrowed; NULL or "" leaves a property out. */
struct ical_event {
    const char *kind; /* the UID's prefix: "event", "busy" */
    const char *id;   /* a protocol row id */
    const char *summary;
    const char *location;
    const char *description;
    const char *url;
    int64_t starts, ends; /* seconds since the epoch; of the first occurrence */
    int64_t stamp;        /* DTSTAMP */
    const char *rrule;    /* a repetition in rrule.h's subset of RRULE, or NULL */
};

/* An organisation's public contact card. Strings borrowed; NULL or "" is
 * left out, except name (FN is required). */
struct ical_card {
    const char *name;
    const char *contact; /* an email, a phone number or a sentence (NOTE) */
    const char *url;
    const char *address; /* one line, as the directory shows it */
};

/* "BEGIN:VCALENDAR", VERSION and PRODID; for a feed (`name` not NULL)
 * METHOD PUBLISH and X-WR-CALNAME `name` (what calendar apps title a
 * subscription). A lone event (a QR code) takes NULL: the fewer octets,
 * the larger its modules. */
MUST_USE enum err ical_begin(struct buf *b, const char *name);
MUST_USE enum err ical_event(struct buf *b, const struct ical_event *e);
/* An opaque busy period of a room: UID, DTSTAMP, times, TRANSP OPAQUE
 * and the summary `label`; nothing of who or why. */
MUST_USE enum err ical_busy(struct buf *b, const char *id, int64_t starts, int64_t ends,
                            int64_t stamp, const char *label);
MUST_USE enum err ical_end(struct buf *b);
/* A vCard 4.0 of KIND org. */
MUST_USE enum err ical_card(struct buf *b, const struct ical_card *c);

/* Pieces, for tests and for callers with properties of their own. */

/* "NAME:value" with value escaped as TEXT, folded, CRLF. */
MUST_USE enum err ical_text(struct buf *b, const char *name, const char *value);
/* "NAME:YYYYMMDDTHHMMSSZ" CRLF. */
MUST_USE enum err ical_time(struct buf *b, const char *name, int64_t t);
/* The length of the longest prefix of s within max octets that ends on a
 * character boundary (s is UTF-8). */
size_t ical_fit(const char *s, size_t max);

#endif
