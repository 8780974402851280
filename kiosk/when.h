/* when: dates and times as the kiosk shows them (Europe/Paris, through
 * shared/ts.h), and the day boundaries its queries use. */
#ifndef SCEAUX_KIOSK_WHEN_H
#define SCEAUX_KIOSK_WHEN_H
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "i18n.h"

/* "14:05" */
void when_hhmm(int64_t t, char *out, size_t cap);
/* "jeudi 26 novembre" (no year) */
void when_day(enum lang l, int64_t t, char *out, size_t cap);
/* "jeudi 26 novembre, 18:00 – 20:00" (the end's day too when it differs) */
void when_range(enum lang l, int64_t start, int64_t end, char *out, size_t cap);
/* Wire text of a wire time plus nothing: parse, or 0 on bad text. */
MUST_USE int64_t when_parse(const char *wire);
/* The UTC instant of local midnight, `days` days after the day of t. */
int64_t when_midnight(int64_t t, int days);
/* Monday 00:00 of t's week; first of t's month; both local. */
int64_t when_week_start(int64_t t);
int64_t when_month_start(int64_t t, int months);

#endif
