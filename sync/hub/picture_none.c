/* picture_none: the rendition in a hub built without libvips (make cross,
 * whose target has no libvips-dev to build against): every upload is
 * refused, pictures already stored are still served. */
#include "picture_int.h"

enum err picture_render(const void *data, size_t len, const struct picture_shape *s,
                        struct buf *out, struct picture_out *info, struct picture_refusal *why)
{
    (void)data;
    (void)len;
    (void)s;
    (void)out;
    (void)info;
    return picture_refuse(why, "unsupported", "this hub was built without libvips");
}
