/* rules: the hub's decisions that need no storage, shared by every store
 * backend: which role may send which change (docs/protocol.md, "Role rules"),
 * what each role may see of a pulled row, and the booking time rules
 * (order, length, opening hours, not in the past). A refusal fills a `struct verr` with the
 * protocol's error code
 * ("forbidden", "invalid") and the field at fault. */
#ifndef SCEAUX_HUB_RULES_H
#define SCEAUX_HUB_RULES_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "tables.h"
#include "validate.h"

#define RULES_BOOKING_MAX (12 * 3600) /* longest booking, seconds */

/* ERR_OK when `role` may send this change (upsert or delete of `row`, a
 * row already checked by the codec); ERR_FORBIDDEN with e filled
 * otherwise. Kiosks may only create bookings (status confirmed), cancel
 * bookings, create supports (of initiatives and of proposals), proposals
 * with status submitted and no outcome or answer (the city's: `field`
 * names the one set) and help offers with status new; whether the row
 * already exists is the store's to check. */
MUST_USE enum err rules_permit(enum store_role role, const struct table *t, int op, json_t *row,
                               struct verr *e);

/* ERR_OK when a confirmed booking from `starts` to `ends` fits a room open
 * from `opens` to `closes` (minutes after midnight, Europe/Paris, closes
 * up to 24:00) and ends after `now`; ERR_INVALID with e filled (field
 * "starts_at" or "ends_at") otherwise. */
MUST_USE enum err rules_booking_times(int64_t starts, int64_t ends, int opens, int closes,
                                      int64_t now, struct verr *e);

/* The years a figure may give (figure.year), so a typo shows. */
#define RULES_YEAR_MIN 1900
#define RULES_YEAR_MAX 2100

/* ERR_OK when a figure row (already of its table's shape) makes sense: a
 * percentage at most 100 (field "value"), a year from RULES_YEAR_MIN to
 * RULES_YEAR_MAX when there is one (field "year"); ERR_INVALID with e
 * filled otherwise. */
MUST_USE enum err rules_figure(json_t *row, struct verr *e);
/* ERR_OK when row (checked by the codec) names no picture, or names one
 * with an alternative text that is not blank; ERR_INVALID with e filled
 * (field "picture_alt") otherwise: a picture on a public screen is also
 * told in words, for those who cannot see it. */
MUST_USE enum err rules_picture(json_t *row, struct verr *e);

/* What a pull by `role` shows of one change (docs/protocol.md),
 * changed in place: to a kiosk token, staff columns (booking.holder) are
 * null, a staff table (help_offer) never shows, not even its deletes, and
 * a proposal shows only while published, with its author's first word
 * only: one that left it goes as a delete, one never published not at all
 * (false: skip the change). */
bool rules_pull_view(enum store_role role, struct store_change *c);

/* True when every column a full push must carry is in row: a booking
 * cancel {id, status, cancel_code} is not complete. */
bool rules_row_complete(const struct table *t, json_t *row);

/* The string value of row[name], or NULL when absent or not a string. */
const char *rules_str(json_t *row, const char *name);
/* True when row[name] is the string `value`. */
bool rules_str_is(json_t *row, const char *name, const char *value);

#endif
