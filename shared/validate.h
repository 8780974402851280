/* validate: untrusted JSON in, a verdict and a reason out.
 *
 * Two jobs. validate_json_load() turns untrusted bytes into a jansson value
 * with the caps of docs/protocol.md (nesting depth, UTF-8, no duplicate keys, no
 * NUL), so every JSON the hub or syncd reads from the network goes through
 * it. validate_row() checks one wire row against its table in tables.h (the
 * only list of columns) for the three ways rows travel: a full push, a
 * partial push (booking cancel) and a pull.
 *
 * Failures fill a `struct verr` with the protocol's error body: `error` is
 * the code ("invalid" for a bad row or a bad request, "too_big" for a cap
 * that maps to 413), `field` the column or path at fault ("" when none),
 * `message` an English sentence. All three are always NUL-terminated valid
 * UTF-8, so they can be put in a JSON answer as they are. */
#ifndef SCEAUX_VALIDATE_H
#define SCEAUX_VALIDATE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "caps.h"
#include "tables.h"

#define VALIDATE_DEPTH_MAX CAPS_DEPTH

struct verr {
    char error[16];    /* protocol error code, "" when no error */
    char field[80];    /* column name or path such as "changes[3].op", or "" */
    char message[200]; /* a human sentence */
};

enum vmode {
    /* A full row from a client: every required pushable column present,
     * unknown columns refused, hub-set and hub-only columns removed from
     * the row without complaint, push-only columns (cancel_code) allowed. */
    VALIDATE_PUSH,
    /* As VALIDATE_PUSH, but only `id` is required (a booking cancel:
     * {id, status, cancel_code}). Columns present are still checked. */
    VALIDATE_PUSH_PARTIAL,
    /* A row from the hub: every required public column present (optional
     * ones may be absent, and are then set null in the row, or null; staff
     * ones, which kiosks receive null, null), no hub-only or push-only
     * column; columns this build does not know are removed from the row
     * (additions to the protocol that an older client ignores). */
    VALIDATE_PULL,
};

/* Checks `row` (borrowed; in the push modes hub-set and hub-only columns
 * are deleted from it, in a pull unknown ones) against table t. ERR_OK, or ERR_INVALID with e
 * filled: error "invalid", field the column name (or "" when row is not an
 * object). Rules: ints are JSON integers in [0, 2^31-1]; bools true/false;
 * texts strings of at most max_chars code points; enums one of the values;
 * ids, times ("YYYY-MM-DDTHH:MM:SSZ"), "HH:MM", targets ("all",
 * "site:<id>", "kiosk:<id>"), cancel codes (6 to 12 ASCII digits), pictures
 * (64 lower-case hex digits); null
 * only for optional columns (and staff ones in a pull); a required text
 * holds something other than white space (push modes only). Rules between columns (opens < closes,
 * starts_at < ends_at, a picture's alternative text) are the hub's, not checked here. */
MUST_USE enum err validate_row(const struct table *t, json_t *row, enum vmode mode, struct verr *e);

/* True when s (valid UTF-8, NUL-terminated) is empty or only white space
 * (Unicode White_Space: tabs and line breaks, no-break and ideographic
 * spaces too): what a required text may not be. The one rule for
 * "blank", for rows and for whatever else must show something. */
MUST_USE bool validate_blank(const char *s);

/* True when s is a way to reach a person that a kiosk may collect
 * (help_offer.contact): an email address (local@domain.tld in ASCII, the
 * local part of letters, digits and .!#$%&'*+/=?^_`{|}~- without a dot at
 * either end nor two in a row, the domain of two or more labels of
 * letters, digits and inner hyphens, the last one letters) or a phone
 * number (8 to 15 digits, a leading +, spaces, dots, hyphens and
 * parentheses between them). No white space around it. */
MUST_USE bool validate_contact(const char *s);

/* Number of code points in s, which must be valid UTF-8 (jansson strings
 * are). */
size_t validate_utf8_chars(const char *s);

/* True when s[0..len) is valid UTF-8 (no overlong forms, no surrogates,
 * nothing past U+10FFFF); otherwise *bad (if not NULL) is the offset of the
 * first bad byte. */
MUST_USE bool validate_utf8(const char *s, size_t len, size_t *bad);

/* The pre-scan that runs before jansson builds anything, so that the
 * cost of a body is bounded by what a valid one may hold: it measures the
 * nesting depth and counts the values (every array, object, string,
 * object keys included, and bare literal), without recursion and in
 * pieces, so a body can be fed as it arrives or inflates. Syntax is
 * jansson's business: the count is an upper bound for any body it
 * accepts. */
struct validate_scan {
    size_t max_depth, max_values; /* the caps; SIZE_MAX for none */
    size_t depth, values, offset; /* so far */
    bool in_str, esc, in_bare;
    enum err failed; /* the first failure, ERR_OK until then */
    struct verr err; /* when failed */
};

void validate_scan_init(struct validate_scan *s, size_t max_depth, size_t max_values);
/* Scans the next len bytes. ERR_OK, or (then and for every later call)
 * ERR_DEPTH (err.error "invalid") past max_depth or ERR_TOO_BIG
 * (err.error "too_big") past max_values, with the byte offset in
 * err.message. */
enum err validate_scan_feed(struct validate_scan *s, const char *d, size_t len);

/* Parses untrusted JSON. The nesting depth is measured before parsing
 * (validate_scan): more than max_depth nested arrays/objects is
 * ERR_DEPTH. Bytes that are not UTF-8 give ERR_UTF8 (with the offset in
 * the message); any other parse failure (syntax, duplicate key, \u0000,
 * lone surrogate escape, top level not an object or array) gives
 * ERR_INVALID with line and column in the message. e->error is "invalid"
 * in every case. On success *out is a new reference the caller decrefs. */
MUST_USE enum err validate_json_load(const char *data, size_t len, size_t max_depth, json_t **out,
                                     struct verr *e);
/* validate_json_load() without measuring the depth a second time when
 * `done` (borrowed, may be NULL) shows it was measured: a scan of exactly
 * len bytes, with a depth cap no higher than max_depth, that did not fail
 * (the hub scans a request body as it arrives or inflates). With any
 * other `done` the bytes are scanned here, so a caller that passes the
 * wrong scan loses time, never a check. The caller vouches that `done`
 * read these very bytes. */
MUST_USE enum err validate_json_load_scanned(const char *data, size_t len, size_t max_depth,
                                             const struct validate_scan *done, json_t **out,
                                             struct verr *e);

/* Fills e: error code, field (NULL for none) and a printf message, each
 * truncated on a character boundary to fit. For callers that report their
 * own errors in the same shape (the hub's rules). */
void validate_fail(struct verr *e, const char *error, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Copies src (valid UTF-8) into dst[cap], cut on a character boundary. */
void validate_clip(char *dst, size_t cap, const char *src);
/* Empties e (all three strings ""). */
void validate_clear(struct verr *e);

#endif
