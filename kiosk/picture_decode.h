/* picture_decode: a picture file's bytes to pixels of the size shown.
 *
 * The kiosk's pictures come from the hub, which checks them, through
 * syncd, which verifies their hash; still, the bytes are read as hostile
 * (the cache folder is a file system anyone with the kiosk's user can
 * write, and the fuzz target feeds this module anything). What it
 * guarantees: only PNG and JPEG are parsed (told by their signature,
 * never by SDL_image's guess among its other formats); the header's
 * width and height are read first, and a picture over PICTURE_SIDE_MAX
 * on a side is refused before any pixel is allocated (a decompression
 * bomb costs nothing); the whole structure is walked first by
 * picture_scan (shared/picture_scan.h), the hub's own check: a PNG's
 * chunks must all lie within the file, up to IEND, a JPEG's segments up
 * to EOI (ERR_TRUNCATED otherwise: SDL_image's PNG reader would read past
 * the end forever); the decoded size must equal the header's. Only the
 * part shown is kept (a card's crop), scaled down (halving, then
 * bilinear) to cover or fit the box it is shown in, so a texture never
 * holds more pixels than shown.
 *
 * No threads, no renderer: the worker thread of picture.c calls it, and
 * tests/fuzz/fuzz_picture.c. SDL_image must have been initialised
 * (picture_decode_init) before a call from another thread. */
#ifndef SCEAUX_KIOSK_PICTURE_DECODE_H
#define SCEAUX_KIOSK_PICTURE_DECODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "picture_scan.h"

#define PICTURE_SIDE_MAX 4096 /* pixels on a side (the hub's renditions: 1280) */
/* Pixels in all: the hub's renditions are at most 1280x1280 (1.6 MP); a
 * picture is held whole as decoded, then the part shown as ARGB, so 2 MP
 * costs at most 16 MB for a moment, within the kiosk's 40 MB. */
#define PICTURE_PIXELS_MAX (2u << 20)
#define PICTURE_FILE_MAX (16u << 20) /* bytes of a picture file */

struct SDL_Surface;

/* Once, on the main thread, before the first picture_decode. */
MUST_USE enum err picture_decode_init(char *why, size_t whylen);

/* The format and size a file's header declares, its structure walked
 * without decoding it. ERR_INVALID (not PNG or JPEG, malformed, a zero
 * size), ERR_TRUNCATED (cut short) or ERR_TOO_BIG (a size over the
 * limits above, told before the rest), with a reason in why. */
MUST_USE enum err picture_probe(const uint8_t *data, size_t len, enum picture_format *fmt, int *w,
                                int *h, char *why, size_t whylen);

/* Decodes data into *out (new, ARGB8888; SDL_FreeSurface it), scaled
 * to box_w x box_h: exactly that size, centre cropped, when whole is
 * false (a card's picture); the whole picture within it otherwise. A
 * picture smaller than the box is not enlarged past its own size when
 * whole. On error *out is NULL and why says what was wrong. */
MUST_USE enum err picture_decode(const uint8_t *data, size_t len, int box_w, int box_h, bool whole,
                                 struct SDL_Surface **out, char *why, size_t whylen);

#endif
