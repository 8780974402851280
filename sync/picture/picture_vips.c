/* picture_vips: the rendition made by libvips (picture.h says what it
 * is). Built where libvips is (the Makefile's HAVE_VIPS); elsewhere there
 * is no sceaux-picture and the hub refuses uploads as "unsupported". */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "picture_int.h"

#define JPEG_QUALITY 85

static pthread_once_t started = PTHREAD_ONCE_INIT;
static bool vips_ok;

/* libvips says on stderr what a refusal already says. */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

/* Every loader blocked but JPEG's and PNG's: the bytes were scanned as one
 * of those, and libvips must never hand them to another (ImageMagick,
 * PDF, SVG) whatever they look like. One thread per check, no cache of
 * operations (each upload is new bytes). */
static void start(void)
{
    /* libvips loads its modules (the ImageMagick, PDF, HEIF, JPEG XL and
     * OpenSlide loaders) from below VIPSHOME as it starts: pointed at no
     * folder, it loads none, so their code and libraries never enter the
     * process, and each check starts some 50 ms sooner. */
    setenv("VIPSHOME", "/nonexistent", 1);
    if (VIPS_INIT("sceaux-picture") != 0)
        return;
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, quiet,
                      NULL);
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_ok = true;
}

/* JPEG's shrink-on-load: the largest of 1, 2, 4 and 8 that keeps the
 * long side at PICTURE_SIDE or more, so a 12-megapixel photo is decoded
 * at an eighth of its pixels or so, never whole. */
static int jpeg_shrink(const struct picture_shape *s)
{
    uint32_t side = s->width > s->height ? s->width : s->height;
    int k = 8;
    while (k > 1 && side / (uint32_t)k < PICTURE_SIDE)
        k /= 2;
    return k;
}

/* The bytes decoded by their own loader. A JPEG fails on libjpeg's first
 * warning: its warnings are corrupt or missing data ("premature end of
 * data segment"). A PNG fails on libpng's errors, not its warnings, which
 * are about ancillary chunks (a profile it finds odd) that the rendition
 * drops anyway. */
static int load(const void *data, size_t len, const struct picture_shape *s, VipsImage **in)
{
    if (s->format == PICTURE_JPEG)
        return vips_jpegload_buffer((void *)data, len, in, "fail_on", VIPS_FAIL_ON_WARNING,
                                    "shrink", jpeg_shrink(s), "access", VIPS_ACCESS_SEQUENTIAL,
                                    NULL);
    return vips_pngload_buffer((void *)data, len, in, "fail_on", VIPS_FAIL_ON_ERROR, "access",
                               VIPS_ACCESS_SEQUENTIAL, NULL);
}

/* The upright, sRGB, 8-bit rendition of the bytes, at most PICTURE_SIDE
 * on its long side (never enlarged), decoded here (copied to memory) so
 * that a decoding error is one and not an encoding error later. */
static VipsImage *render(const void *data, size_t len, const struct picture_shape *s)
{
    VipsImage *in = NULL, *thumb = NULL, *rgb = NULL, *u8 = NULL, *out = NULL;
    int rc = load(data, len, s, &in);
    if (rc == 0)
        rc = vips_thumbnail_image(in, &thumb, PICTURE_SIDE, "height", PICTURE_SIDE, "size",
                                  VIPS_SIZE_DOWN, "export_profile", "srgb", NULL);
    if (rc == 0) {
        bool grey = vips_image_get_bands(thumb) <= 2;
        rc = vips_colourspace(thumb, &rgb,
                              grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB, NULL);
    }
    if (rc == 0)
        rc = vips_cast_uchar(rgb, &u8, NULL);
    if (rc == 0)
        out = vips_image_copy_memory(u8);
    VipsImage *done[] = {in, thumb, rgb, u8};
    for (size_t k = 0; k < sizeof done / sizeof done[0]; k++)
        if (done[k])
            g_object_unref(done[k]);
    return out;
}

/* The first line of libvips's error text, printable ASCII only (it
 * quotes the file's bytes at times), for a JSON message. */
static void printable_line(char *out, size_t cap, const char *in)
{
    size_t i = 0;
    for (; in[i] && in[i] != '\n' && i + 1 < cap; i++)
        out[i] = in[i] >= 0x20 && in[i] < 0x7f ? in[i] : '?';
    out[i] = '\0';
}

static enum err encode(VipsImage *img, bool png, struct buf *out, struct picture_out *info)
{
    void *bytes = NULL;
    size_t n = 0;
    int rc = png ? vips_pngsave_buffer(img, &bytes, &n, "strip", TRUE, "compression", 6, NULL)
                 : vips_jpegsave_buffer(img, &bytes, &n, "Q", JPEG_QUALITY, "strip", TRUE,
                                        "optimize_coding", TRUE, "interlace", TRUE, NULL);
    if (rc != 0)
        return ERR_INVALID;
    enum err e = buf_append(out, bytes, n);
    g_free(bytes);
    info->type = png ? "image/png" : "image/jpeg";
    info->width = vips_image_get_width(img);
    info->height = vips_image_get_height(img);
    return e;
}

enum err picture_render(const void *data, size_t len, const struct picture_shape *s,
                        struct buf *out, struct picture_out *info, struct picture_refusal *why)
{
    pthread_once(&started, start);
    if (!vips_ok)
        return ERR_IO;
    VipsImage *img = render(data, len, s);
    if (!img) {
        char first[120];
        printable_line(first, sizeof first, vips_error_buffer());
        vips_error_clear();
        return picture_refuse(why, "malformed", "the picture cannot be decoded: %s", first);
    }
    bool png = vips_image_hasalpha(img) || s->format == PICTURE_PNG;
    enum err rc = encode(img, png, out, info);
    g_object_unref(img);
    if (rc == ERR_INVALID) {
        vips_error_clear();
        return picture_refuse(why, "malformed", "the picture cannot be encoded again");
    }
    return rc;
}
