/* picture_int: what picture.c and the rendition (picture_vips.c) share.
 * Not for main.c: it uses picture.h. */
#ifndef SCEAUX_PICTURE_PICTURE_INT_H
#define SCEAUX_PICTURE_PICTURE_INT_H
#include "picture.h"
#include "picture_scan.h"

/* The rendition of data[0..len), a picture whose shape s passed the
 * checks, appended to out: the errors of picture_check() after the scan. */
MUST_USE enum err picture_render(const void *data, size_t len, const struct picture_shape *s,
                                 struct buf *out, struct picture_out *info,
                                 struct picture_refusal *why);

#endif
