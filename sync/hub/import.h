/* import: loading a content file (a push body, the format of assets/) into
 * the hub as an admin would push it, for `sceaux-hub import`.
 *
 * The bundled dataset has fixed dates; so that a demo always shows a
 * live agenda, import_rebase() moves events and announcements forward by
 * whole days (keeping their Paris wall-clock time) so that the earliest
 * event falls on today: a demo shows events today, tomorrow, this week
 * and over the following weeks, and current announcements. */
#ifndef SCEAUX_HUB_IMPORT_H
#define SCEAUX_HUB_IMPORT_H
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "changeset.h"
#include "err.h"
#include "store.h"

#define IMPORT_FILE_MAX ((size_t)64 << 20)
#define IMPORT_CHANGES_MAX 200000

/* Reads the file at path into out, up to out's cap: ERR_IO when it cannot
 * be read, ERR_TOO_BIG past the cap, errbuf saying which. */
MUST_USE enum err import_read_file(const char *path, struct buf *out, char *errbuf, size_t errlen);

/* The number of days events and announcements were moved (0 when the
 * earliest event is today or later, Paris time). Rows must be parsed and
 * valid. */
int64_t import_rebase(struct push_body *b, int64_t now);

struct import_report {
    size_t applied, rejected;
    int64_t days;
};

/* Reads `path`, rebases it unless told not to, applies every change as
 * admin "import" (no exactly-once record: a file may be loaded again) and
 * writes one line per rejected change to `errs`. ERR_OK even when some
 * changes were rejected (see the report); an error when the file cannot
 * be read or parsed (errbuf says why) or storage failed. */
MUST_USE enum err import_file(struct store *s, const char *path, bool rebase, int64_t now,
                              struct import_report *rep, FILE *errs, char *errbuf, size_t errlen);

#endif
