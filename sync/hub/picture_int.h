/* picture_int: what picture.c and the rendition (picture_vips.c, or
 * picture_none.c in a build without libvips) share. Not for other
 * modules: they use picture.h. */
#ifndef SCEAUX_HUB_PICTURE_INT_H
#define SCEAUX_HUB_PICTURE_INT_H
#include "picture.h"
#include "picture_scan.h"

/* Fills why with reason (static) and a printf message; ERR_INVALID. */
enum err picture_refuse(struct picture_refusal *why, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The rendition of data[0..len), a picture whose shape s passed the
 * checks, appended to out: the errors of picture_check() after the scan. */
MUST_USE enum err picture_render(const void *data, size_t len, const struct picture_shape *s,
                                 struct buf *out, struct picture_out *info,
                                 struct picture_refusal *why);

#endif
