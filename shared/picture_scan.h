/* picture_scan: the shape of a picture file, read from its bytes before
 * any image library sees them: the hub's upload check (docs/protocol.md,
 * "Pictures") and the kiosk's decoder (kiosk/picture_decode.c).
 *
 * It walks a JPEG's markers or a PNG's chunks without decoding anything:
 * the format, the dimensions the header claims (so a decompression bomb is
 * refused on its header), where the image ends, how many bytes of
 * metadata it carries (JPEG APPn and COM segments, PNG ancillary chunks)
 * and whether a ZIP archive follows it (a file that is both). A pure
 * function of the bytes, and a fuzz target (tests/fuzz/fuzz_picture.c). */
#ifndef SCEAUX_PICTURE_SCAN_H
#define SCEAUX_PICTURE_SCAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum picture_format {
    PICTURE_NONE,
    PICTURE_JPEG,
    PICTURE_PNG,
};

struct picture_shape {
    enum picture_format format;
    uint32_t width, height; /* as the header claims, also when the bytes end later; 0: none */
    size_t end;             /* offset just past the image's last byte (EOI, IEND) */
    size_t metadata;        /* bytes of metadata segments or chunks */
    bool zip_after;         /* a ZIP signature in the bytes past end */
};

/* The format the first n bytes announce (their signature), PICTURE_NONE
 * for any other; and its Content-Type ("image/jpeg", "image/png"), NULL
 * for PICTURE_NONE. */
MUST_USE enum picture_format picture_format_of(const unsigned char *head, size_t n);
MUST_USE const char *picture_mime(enum picture_format f);

/* Reads the shape of d[0..len). ERR_OK with *out filled; ERR_INVALID when
 * the bytes are not a JPEG or PNG (out->format PICTURE_NONE) or break
 * their format's structure (out->format set); ERR_TRUNCATED when they end
 * before the image does. */
MUST_USE enum err picture_scan(const unsigned char *d, size_t len, struct picture_shape *out);

#endif
