/* picture_result: what the upload check (sceaux-picture, sync/picture)
 * answers the hub on its standard output, and how the hub reads it back
 * (docs/protocol.md, "Pictures").
 *
 * The answer is one line, then the rendition's bytes when there is one:
 *
 *   ok image/jpeg 1280 960\n<the rendition>
 *   refused too_many_pixels the picture claims ...\n
 *
 * The hub trusts none of it: the child decoded hostile bytes and may be
 * anything by then. picture_result_parse() takes only a known type, a
 * size within PICTURE_SIDE, a reason of the fixed set (returned as this
 * module's static string) and a message of printable ASCII. */
#ifndef SCEAUX_PICTURE_RESULT_H
#define SCEAUX_PICTURE_RESULT_H
#include <stddef.h>

#include "err.h"

#define PICTURE_SIDE 1280                 /* the rendition's long side at most */
#define PICTURE_RENDITION_MAX (16u << 20) /* bytes; a 1280 x 1280 RGBA PNG is under 7 MB */
#define PICTURE_LINE_MAX 256              /* the answer's first line, its newline included */

/* Why an upload was refused: `reason` is one of "not_image",
 * "truncated", "malformed", "too_many_pixels", "metadata_too_big",
 * "polyglot", "unsupported", "check_failed" (docs/protocol.md);
 * `message` an English sentence. */
struct picture_refusal {
    const char *reason; /* static */
    char message[200];
};

struct picture_out {
    const char *type; /* static: "image/jpeg" or "image/png" */
    int width, height;
};

/* Fills why with reason (static) and a printf message; ERR_INVALID. */
enum err picture_refuse(struct picture_refusal *why, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The first line of an answer into line[0..cap): "ok" with info when why
 * is NULL, else "refused" with why. Its length, newline included. */
size_t picture_result_line(char *line, size_t cap, const struct picture_out *info,
                           const struct picture_refusal *why);

/* Reads the answer d[0..len): ERR_OK with *info filled and *body the
 * offset of the rendition's first byte; ERR_INVALID with *why filled for
 * a refusal; ERR_NET when it is neither, a checker gone wrong
 * (why->message says what). */
MUST_USE enum err picture_result_parse(const char *d, size_t len, size_t *body,
                                       struct picture_out *info, struct picture_refusal *why);

#endif
