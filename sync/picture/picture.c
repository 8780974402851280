/* picture: the upload check, picture_scan() then the rendition
 * (picture_vips.c); see picture.h. */
#include "picture.h"

#include "picture_int.h"

/* The refusals picture_scan() alone decides. */
static enum err check_shape(const unsigned char *d, size_t len, struct picture_shape *s,
                            struct picture_refusal *why)
{
    enum err rc = picture_scan(d, len, s);
    if (rc && s->format == PICTURE_NONE)
        return picture_refuse(why, "not_image", "the file is not a JPEG or PNG picture");
    if (rc == ERR_TRUNCATED)
        return picture_refuse(why, "truncated", "the file ends before the picture does");
    if (rc)
        return picture_refuse(why, "malformed", "the picture's structure is broken");
    uint64_t pixels = (uint64_t)s->width * s->height;
    if (s->width == 0 || s->height == 0 || s->width > PICTURE_SIDE_MAX ||
        s->height > PICTURE_SIDE_MAX || pixels > PICTURE_PIXELS_MAX)
        return picture_refuse(why, "too_many_pixels",
                              "the picture claims %u x %u pixels, at most %u pixels allowed",
                              s->width, s->height, PICTURE_PIXELS_MAX);
    if (s->metadata > PICTURE_METADATA_MAX)
        return picture_refuse(why, "metadata_too_big",
                              "the picture carries %zu bytes of metadata, at most %u allowed",
                              s->metadata, PICTURE_METADATA_MAX);
    if (s->zip_after)
        return picture_refuse(why, "polyglot", "the file is also a ZIP archive");
    return ERR_OK;
}

enum err picture_check(const void *data, size_t len, struct buf *out, struct picture_out *info,
                       struct picture_refusal *why)
{
    why->reason = NULL;
    why->message[0] = '\0';
    struct picture_shape s;
    enum err rc = check_shape(data, len, &s, why);
    if (rc)
        return rc;
    return picture_render(data, s.end, &s, out, info, why);
}
