/* picture: the check every uploaded picture goes through, and the one
 * rendition of it the hub stores (docs/protocol.md, "Pictures"), run by
 * sceaux-picture (main.c) in a process of its own, never in the hub.
 *
 * First picture_scan() reads the file's structure without decoding: not
 * a JPEG or PNG, broken or truncated, a header claiming more than
 * PICTURE_PIXELS_MAX pixels (a decompression bomb), more than
 * PICTURE_METADATA_MAX bytes of metadata, or a ZIP after the image (a
 * file that is both) are refused there. Then libvips, allowed its JPEG
 * and PNG loaders only and told to fail on the first error, decodes it
 * with shrink-on-load, turns it upright by its EXIF orientation, brings
 * it to sRGB and at most PICTURE_SIDE pixels on its long side, and
 * encodes it anew without any metadata: PNG when it has transparency or
 * came as PNG (logos, drawings), JPEG otherwise. Only that re-encoding
 * is stored, so nothing of the upload but its pixels ever reaches a
 * kiosk: no GPS position, no trailing bytes.
 *
 * libvips is started on first use, runs one thread per check and caches
 * nothing; picture_check() may be called from several threads. */
#ifndef SCEAUX_PICTURE_PICTURE_H
#define SCEAUX_PICTURE_PICTURE_H
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "picture_result.h"

#define PICTURE_PIXELS_MAX 50000000u /* a 48-megapixel phone photo passes */
#define PICTURE_SIDE_MAX 30000u      /* either side, as the header claims */
#define PICTURE_METADATA_MAX (1u << 20)

/* Checks data[0..len) and appends its rendition to *out (a buf with its
 * cap). ERR_OK; ERR_INVALID with why filled when the upload is refused;
 * ERR_TOO_BIG when the rendition passes out's cap; ERR_IO when libvips
 * cannot start. */
MUST_USE enum err picture_check(const void *data, size_t len, struct buf *out,
                                struct picture_out *info, struct picture_refusal *why);

#endif
