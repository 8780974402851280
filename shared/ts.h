/* ts: times. RFC 3339 UTC on the wire, Europe/Paris on screen.
 *
 * Times are int64 seconds since the Unix epoch. The wire form is exactly
 * "YYYY-MM-DDTHH:MM:SSZ" (UTC, no fraction, no offset): anything else is
 * refused. Europe/Paris is computed from the EU rule (CET, CEST from the
 * last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC),
 * not from the process's TZ, so it is the same on every machine and
 * thread-safe. The clock is injectable so tests advance time. */
#ifndef SCEAUX_TS_H
#define SCEAUX_TS_H
#include <stdint.h>

#include "err.h"

#define TS_LEN 20 /* "2026-12-01T09:00:00Z" without the NUL */

struct ts_local {
    int year, month, day; /* month 1-12, day 1-31 */
    int hour, minute, second;
    int wday;   /* 0 = Monday ... 6 = Sunday */
    int offset; /* seconds east of UTC: 3600 or 7200 */
};

/* Parses the strict wire form into *out. ERR_INVALID on anything else,
 * including impossible dates (2026-02-30, 2026-02-29), out-of-range fields
 * (hour 24, leap second :60), lower-case 't' or 'z', fractions, offsets and
 * trailing characters; *out is then untouched. */
MUST_USE enum err ts_parse(const char *s, int64_t *out);
/* Formats t in the wire form into out (TS_LEN + 1 bytes, NUL-terminated).
 * Times outside years 0000-9999 are clamped to them, so the output always
 * parses. */
void ts_format(int64_t t, char out[TS_LEN + 1]);
/* Breaks t down into Europe/Paris local time (t clamped as in ts_format). */
void ts_paris(int64_t t, struct ts_local *out);
/* The UTC time of a Paris wall-clock time. In the autumn's repeated hour
 * the first (summer) instant is chosen; in the spring's missing hour, the
 * time an hour later (02:30 on the switch day gives 03:30 CEST). Fields
 * out of range carry over as in mktime: hour 24 is the next midnight,
 * month 13 is January of the next year, day 0 the previous month's last. */
int64_t ts_from_paris(int year, int month, int day, int hour, int minute);
/* Parses exactly "HH:MM" (00:00 to 24:00, two digits each) into minutes
 * since midnight (0 to 1440). ERR_INVALID otherwise, *minutes untouched (so
 * a caller may preset a default and go on: not MUST_USE). */
enum err ts_parse_hhmm(const char *s, int *minutes);

/* Seconds since the epoch from the current clock (the system's unless a
 * test set another). */
int64_t ts_now(void);
/* Replaces the clock; NULL restores the system clock. Not synchronised:
 * call it before starting threads (tests do). */
void ts_set_clock(int64_t (*clock)(void));
/* Microseconds on the monotonic clock, for durations and deadlines: it
 * never jumps when the wall clock is set, and tests do not replace it. */
int64_t ts_mono_us(void);
static inline int64_t ts_mono_ms(void)
{
    return ts_mono_us() / 1000;
}

#endif
