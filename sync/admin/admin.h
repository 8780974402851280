/* admin: the pure parts of sceaux-admin: reading operators' times,
 * building an announcement change, and formatting the hub's answers.
 * main.c does the command line and the HTTP around them. */
#ifndef SCEAUX_ADMIN_H
#define SCEAUX_ADMIN_H
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "changeset.h"
#include "err.h"

#define ADMIN_DEFAULT_DAYS 7 /* an announcement's default life */

/* Parses an RFC 3339 time ("2026-12-01T10:00:00+01:00",
 * "2026-12-01T09:00:00.5Z", lower-case t/z or a space also accepted;
 * fractions are dropped) into seconds since the epoch. ERR_INVALID if
 * it is not one. */
MUST_USE enum err admin_parse_time(const char *s, int64_t *out);

struct admin_announce {
    const char *id;                                        /* row and change id */
    const char *title, *body, *priority, *target, *author; /* author may be NULL */
    int64_t from, until;
};

/* The push change (new reference) of an announcement upsert, checked
 * against the announcement table (ERR_INVALID with e filled otherwise:
 * a title too long, a bad priority or target, until <= from). */
MUST_USE enum err admin_announce_change(const struct admin_announce *a, json_t **out,
                                        struct verr *e);

/* Prints one line per result ("ID STATUS [seq N] [error: message
 * (field)]") and counts the rejected ones (a duplicate of a rejected one
 * counts too). */
void admin_print_results(FILE *f, const struct push_result *r, size_t n, size_t *rejected);

/* Prints the fleet answer ({"kiosks": [...]}) as an aligned table.
 * ERR_INVALID if it does not have that shape. */
MUST_USE enum err admin_print_fleet(FILE *f, json_t *fleet);

#endif
