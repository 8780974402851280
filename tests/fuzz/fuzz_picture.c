/* libFuzzer target: the hub's upload check (sync/picture/picture.h), the
 * function sceaux-picture runs for each upload.
 *
 * Input is an uploaded file. Besides "no crash, no leak", it checks the
 * check's promises: a refusal has a reason and a message; an accepted
 * file gives a rendition that is itself a JPEG or PNG that the scan
 * takes whole, at most PICTURE_SIDE pixels on a side, with nothing after
 * its end and almost no metadata (a JPEG's JFIF header at most).
 *
 * tools/fuzz.sh reads the lines below to build it:
 * fuzz-sources: sync/picture/picture.c sync/picture/picture_vips.c
 * fuzz-packages: vips
 * fuzz-seeds: tests/data/picture */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "picture.h"
#include "picture_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RENDITION_METADATA_MAX 64

static void check_rendition(const struct buf *out, const struct picture_out *info)
{
    struct picture_shape s;
    if (picture_scan((const unsigned char *)out->data, out->len, &s) != ERR_OK)
        abort();
    if (s.end != out->len || s.metadata > RENDITION_METADATA_MAX)
        abort();
    if (strcmp(info->type, picture_mime(s.format)) != 0)
        abort();
    if (info->width < 1 || info->height < 1 || info->width > PICTURE_SIDE ||
        info->height > PICTURE_SIDE)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf out;
    buf_init(&out, PICTURE_RENDITION_MAX);
    struct picture_out info;
    struct picture_refusal why;
    enum err rc = picture_check(data, size, &out, &info, &why);
    if (rc == ERR_INVALID && (!why.reason || !why.message[0]))
        abort();
    if (rc == ERR_OK)
        check_rendition(&out, &info);
    buf_release(&out);
    return 0;
}
