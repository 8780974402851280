/* rrule: the recurrence rule of an event (event.rrule, docs/protocol.md),
 * a strict subset of RFC 5545's RRULE, parsed and expanded.
 *
 * Accepted, parts in any order, each at most once, upper case:
 *   FREQ=WEEKLY or FREQ=MONTHLY (required)
 *   INTERVAL=1 to 99 (every Nth week or month; 1 when absent)
 *   BYDAY: weekly, plain weekdays ("MO,TH"); monthly, one weekday with
 *     its ordinal, 1 to 5 or -1 for the last ("1TH", "-1FR"). Without it,
 *     the first occurrence's weekday or day of the month.
 *   UNTIL=YYYYMMDDTHHMMSSZ (UTC; the last start allowed) or COUNT=1 to
 *     1000, not both
 * Anything else is refused with a reason. The event's own start is the
 * first occurrence (RFC 5545: DTSTART counts, also for COUNT), and every
 * occurrence keeps its Paris wall-clock time (ts.h), so a workshop at
 * 18:30 stays at 18:30 across the changes of hour. Pure: no allocation. */
#ifndef SCEAUX_RRULE_H
#define SCEAUX_RRULE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define RRULE_MAX_CHARS 120
#define RRULE_MAX_INTERVAL 99
#define RRULE_MAX_COUNT 1000

struct rrule {
    bool monthly;
    int interval;  /* >= 1 */
    unsigned days; /* weekly: bit d for weekday d (0 = Monday); 0: the first's */
    int ordinal;   /* monthly: 1..5 or -1, with wday; 0: the first's day of the month */
    int wday;
    int64_t until; /* the last start allowed; 0: none */
    int count;     /* occurrences at most; 0: no count */
};

/* Parses s into *out. ERR_INVALID otherwise, with a sentence in why[cap]
 * (English, as the hub's answers; lower case start) and *out untouched. */
MUST_USE enum err rrule_parse(const char *s, struct rrule *out, char *why, size_t cap);

/* The starts of the occurrences of the series whose first occurrence is
 * [first, first + length) that overlap [from, to), in order, into
 * out[0..max); returns how many were written. Without COUNT the walk
 * starts near `from`, so an old series costs no more than a new one; it
 * stops at `to`, at UNTIL or COUNT, or after RRULE_MAX_STEPS periods,
 * whichever comes first, so its cost is bounded whatever the rule and
 * the window. */
#define RRULE_MAX_STEPS 20000
int rrule_expand(const struct rrule *r, int64_t first, int64_t length, int64_t from, int64_t to,
                 int64_t *out, int max);

#endif
