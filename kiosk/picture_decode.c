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

enum err picture_probe(const uint8_t *data, size_t len, enum picture_format *fmt, int *w, int *h,
                       char *why, size_t whylen)
{
    struct picture_shape s;
    enum err rc = picture_scan(data, len, &s);
    *fmt = s.format;
    if (s.format == PICTURE_NONE) {
        snprintf(why, whylen, "not a PNG or JPEG file");
        return ERR_INVALID;
    }
    /* The size first: a bomb is told as one, however its bytes end. */
    if (s.width > PICTURE_SIDE_MAX || s.height > PICTURE_SIDE_MAX ||
        (uint64_t)s.width * s.height > PICTURE_PIXELS_MAX) {
        snprintf(why, whylen, "%ux%u pixels, over the limit of %u pixels", (unsigned)s.width,
                 (unsigned)s.height, PICTURE_PIXELS_MAX);
        return ERR_TOO_BIG;
    }
    if (rc == ERR_OK && (s.width == 0 || s.height == 0))
        rc = ERR_INVALID;
    if (rc) {
        snprintf(why, whylen, "%s %s", s.format == PICTURE_PNG ? "PNG" : "JPEG",
                 rc == ERR_TRUNCATED ? "cut short" : "malformed");
        return rc;
    }
    *w = (int)s.width;
    *h = (int)s.height;
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

/* img is taken: only the part shown is copied to ARGB (a card's picture
 * is cropped to the card's shape, a detail page's to a wide band), and
 * img freed as soon as that copy exists, so that a picture is held at
 * most once whole, once cropped (the kiosk's memory budget). */
static enum err scale(SDL_Surface *img, int bw, int bh, bool whole, SDL_Surface **out, char *why,
                      size_t whylen)
{
    SDL_Rect sr;
    int ow, oh;
    fit(img->w, img->h, bw, bh, whole, &sr, &ow, &oh);
    SDL_Surface *src = SDL_CreateRGBSurfaceWithFormat(0, sr.w, sr.h, 32, SDL_PIXELFORMAT_ARGB8888);
    /* Copied as they are: no blending, no colour key skipping pixels. */
    if (!src || SDL_SetSurfaceBlendMode(img, SDL_BLENDMODE_NONE) != 0 ||
        SDL_SetColorKey(img, SDL_FALSE, 0) != 0 || SDL_BlitSurface(img, &sr, src, NULL) != 0) {
        snprintf(why, whylen, "cannot convert the pixels: %s", SDL_GetError());
        SDL_FreeSurface(src);
        SDL_FreeSurface(img);
        return ERR_INVALID;
    }
    SDL_FreeSurface(img);
    sr = (SDL_Rect){0, 0, src->w, src->h};
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
