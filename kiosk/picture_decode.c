/* picture_decode: header probe, decode and scale (see picture_decode.h). */
#include "picture_decode.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <string.h>

enum err picture_decode_init(char *why, size_t whylen)
{
    int want = IMG_INIT_JPG | IMG_INIT_PNG;
    if ((IMG_Init(want) & want) != want) {
        snprintf(why, whylen, "cannot start SDL_image: %s", IMG_GetError());
        return ERR_IO;
    }
    return ERR_OK;
}

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The signature, then IHDR, which PNG requires to come first. */
static enum err probe_png(const uint8_t *d, size_t len, uint32_t *w, uint32_t *h)
{
    if (len < 24 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
        return ERR_INVALID;
    *w = be32(d + 16);
    *h = be32(d + 20);
    return ERR_OK;
}

/* Every chunk whole within the data, up to IEND: SDL_image's PNG reader
 * does not stop at the end of its input (a chunk that claims more bytes
 * than are left has libpng read nothing, warn and read again, forever). */
static bool png_whole(const uint8_t *d, size_t len)
{
    size_t i = 8;
    while (i + 12 <= len) {
        uint32_t n = be32(d + i);
        if (n > len - i - 12)
            return false;
        if (memcmp(d + i + 4, "IEND", 4) == 0)
            return true;
        i += 12 + (size_t)n;
    }
    return false;
}

/* Segments from SOI to the first start of frame (SOF0-15 but DHT, JPG,
 * DAC), which holds the size; anything cut short is refused. */
static enum err probe_jpeg(const uint8_t *d, size_t len, uint32_t *w, uint32_t *h)
{
    size_t i = 2;
    while (i + 4 <= len) {
        if (d[i] != 0xff)
            return ERR_INVALID;
        uint8_t m = d[i + 1];
        if (m == 0xff) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
            i += 2;
            continue;
        }
        if (m == 0xd9 || m == 0xda) /* end, or scan data before any frame */
            return ERR_INVALID;
        uint32_t seg = be16(d + i + 2);
        if (seg < 2 || i + 2 + seg > len)
            return ERR_INVALID;
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
            if (seg < 7)
                return ERR_INVALID;
            *h = be16(d + i + 5);
            *w = be16(d + i + 7);
            return ERR_OK;
        }
        i += 2 + seg;
    }
    return ERR_INVALID;
}

enum err picture_probe(const uint8_t *data, size_t len, enum picture_format *fmt, int *w, int *h,
                       char *why, size_t whylen)
{
    static const uint8_t png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint32_t pw = 0, ph = 0;
    enum err rc = ERR_INVALID;
    if (len >= 8 && memcmp(data, png, 8) == 0) {
        *fmt = PICTURE_PNG;
        rc = probe_png(data, len, &pw, &ph);
    } else if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) {
        *fmt = PICTURE_JPEG;
        rc = probe_jpeg(data, len, &pw, &ph);
    } else {
        snprintf(why, whylen, "not a PNG or JPEG file");
        return ERR_INVALID;
    }
    if (rc == ERR_OK && (pw == 0 || ph == 0))
        rc = ERR_INVALID;
    if (rc) {
        snprintf(why, whylen, "%s header cut short or malformed",
                 *fmt == PICTURE_PNG ? "PNG" : "JPEG");
        return rc;
    }
    if (pw > PICTURE_SIDE_MAX || ph > PICTURE_SIDE_MAX || (uint64_t)pw * ph > PICTURE_PIXELS_MAX) {
        snprintf(why, whylen, "%ux%u pixels, over the limit of %u pixels", (unsigned)pw,
                 (unsigned)ph, PICTURE_PIXELS_MAX);
        return ERR_TOO_BIG;
    }
    *w = (int)pw;
    *h = (int)ph;
    return ERR_OK;
}

/* Halves src (taken) while it is over twice the target, so that the
 * last bilinear pass averages neighbours rather than skipping pixels. */
static SDL_Surface *halve_to(SDL_Surface *src, SDL_Rect *sr, int tw, int th)
{
    while (sr->w >= 2 * tw && sr->h >= 2 * th && tw > 0 && th > 0) {
        SDL_Surface *half =
            SDL_CreateRGBSurfaceWithFormat(0, sr->w / 2, sr->h / 2, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!half || SDL_SoftStretchLinear(src, sr, half, NULL) != 0) {
            SDL_FreeSurface(half);
            break;
        }
        SDL_FreeSurface(src);
        src = half;
        *sr = (SDL_Rect){0, 0, half->w, half->h};
    }
    return src;
}

/* The part of the picture shown (all of it, or the centre cropped to
 * the box's shape) and the size it is drawn at. */
static void fit(int iw, int ih, int bw, int bh, bool whole, SDL_Rect *src, int *ow, int *oh)
{
    *src = (SDL_Rect){0, 0, iw, ih};
    if (whole) {
        double s = (double)bw / iw < (double)bh / ih ? (double)bw / iw : (double)bh / ih;
        if (s > 1)
            s = 1;
        *ow = (int)(iw * s + 0.5);
        *oh = (int)(ih * s + 0.5);
    } else {
        /* Crop the source to the box's aspect, then scale to the box. */
        if ((int64_t)iw * bh > (int64_t)ih * bw)
            src->w = (int)((int64_t)ih * bw / bh);
        else
            src->h = (int)((int64_t)iw * bh / bw);
        src->x = (iw - src->w) / 2;
        src->y = (ih - src->h) / 2;
        *ow = bw;
        *oh = bh;
    }
    if (*ow < 1)
        *ow = 1;
    if (*oh < 1)
        *oh = 1;
    if (src->w < 1)
        src->w = 1;
    if (src->h < 1)
        src->h = 1;
}

/* img is taken: freed as soon as its ARGB copy exists, so that a picture
 * is held at most twice at once (the kiosk's memory budget). */
static enum err scale(SDL_Surface *img, int bw, int bh, bool whole, SDL_Surface **out, char *why,
                      size_t whylen)
{
    SDL_Surface *src = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(img);
    if (!src) {
        snprintf(why, whylen, "cannot convert the pixels: %s", SDL_GetError());
        return ERR_INVALID;
    }
    SDL_Rect sr;
    int ow, oh;
    fit(src->w, src->h, bw, bh, whole, &sr, &ow, &oh);
    src = halve_to(src, &sr, ow, oh);
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!dst || SDL_SoftStretchLinear(src, &sr, dst, NULL) != 0) {
        snprintf(why, whylen, "cannot scale the picture: %s", SDL_GetError());
        SDL_FreeSurface(dst);
        SDL_FreeSurface(src);
        return ERR_INVALID;
    }
    SDL_FreeSurface(src);
    *out = dst;
    return ERR_OK;
}

enum err picture_decode(const uint8_t *data, size_t len, int box_w, int box_h, bool whole,
                        SDL_Surface **out, char *why, size_t whylen)
{
    *out = NULL;
    enum picture_format fmt;
    int w = 0, h = 0;
    if (box_w < 1 || box_h < 1 || box_w > PICTURE_SIDE_MAX || box_h > PICTURE_SIDE_MAX) {
        snprintf(why, whylen, "bad box %dx%d", box_w, box_h);
        return ERR_INVALID;
    }
    if (len > PICTURE_FILE_MAX) {
        snprintf(why, whylen, "%zu bytes, over the limit of %u", len, PICTURE_FILE_MAX);
        return ERR_TOO_BIG;
    }
    enum err rc = picture_probe(data, len, &fmt, &w, &h, why, whylen);
    if (rc)
        return rc;
    if (fmt == PICTURE_PNG && !png_whole(data, len)) {
        snprintf(why, whylen, "PNG cut short: a chunk runs past the end of the file");
        return ERR_TRUNCATED;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    SDL_Surface *img = rw ? IMG_LoadTyped_RW(rw, 1, fmt == PICTURE_PNG ? "PNG" : "JPG") : NULL;
    if (!img) {
        snprintf(why, whylen, "cannot decode: %s", IMG_GetError());
        return ERR_INVALID;
    }
    if (img->w != w || img->h != h) {
        snprintf(why, whylen, "decoded %dx%d, header says %dx%d", img->w, img->h, w, h);
        SDL_FreeSurface(img);
        return ERR_INVALID;
    }
    return scale(img, box_w, box_h, whole, out, why, whylen);
}
