/* gz: gzip compression and capped inflation over zlib.
 *
 * Both directions stream through a small stack chunk and append it to the
 * caller's struct buf, so the buffer's cap is checked after every chunk:
 * gz_inflate() stops a bomb once its output passes out->max, having done at
 * most that much work. zlib allocates through xmalloc, so out-of-memory
 * aborts like everywhere else and Z_MEM_ERROR never reaches the callers. */
#include "gz.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "xalloc.h"

#define GZ_CHUNK 16384
#define GZ_WINDOW (15 + 16) /* 32 KiB window, gzip wrapper (not zlib's) */
/* Level 4, not zlib's default 6: on pull pages it costs a third of the
 * CPU (8.7 ms against 31 ms for 1.25 MB of JSON) for 5-25% more bytes, and
 * a fresh kiosk's catch-up waits on the hub's compression (bench/sync.sh). */
#define GZ_LEVEL 4

static voidpf gz_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    if (size && items > SIZE_MAX / size)
        return Z_NULL;
    return xmalloc((size_t)items * size);
}

static void gz_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    free(p);
}

static void stream_init(z_stream *zs)
{
    zs->zalloc = gz_alloc;
    zs->zfree = gz_free;
    zs->opaque = Z_NULL;
    zs->next_in = Z_NULL;
    zs->avail_in = 0;
}

/* Hands zlib the next part of the input; avail_in is a uInt, so inputs over
 * 4 GiB go in several parts. */
static void feed(z_stream *zs, const unsigned char **src, size_t *rest)
{
    size_t n = *rest < UINT_MAX ? *rest : UINT_MAX;
    zs->next_in = (Bytef *)*src;
    zs->avail_in = (uInt)n;
    *src += n;
    *rest -= n;
}

/* Undoes partial appends, so a failed call leaves out as it was. */
static void restore(struct buf *out, size_t len)
{
    out->len = len;
    if (out->data)
        out->data[len] = '\0';
}

enum err gz_compress(const void *src, size_t n, struct buf *out)
{
    z_stream zs;
    stream_init(&zs);
    if (deflateInit2(&zs, GZ_LEVEL, Z_DEFLATED, GZ_WINDOW, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort(); /* only fails on bad parameters or memory, both impossible here */

    const unsigned char *in = src;
    size_t rest = n;
    size_t old_len = out->len;
    unsigned char chunk[GZ_CHUNK];
    enum err rc = ERR_OK;
    int zr = Z_OK;
    while (rc == ERR_OK && zr != Z_STREAM_END) {
        if (zs.avail_in == 0 && rest > 0)
            feed(&zs, &in, &rest);
        zs.next_out = chunk;
        zs.avail_out = sizeof chunk;
        zr = deflate(&zs, rest > 0 ? Z_NO_FLUSH : Z_FINISH);
        /* With output space and Z_FINISH, deflate only returns Z_OK (more
         * to come), Z_BUF_ERROR (no progress, retried) or Z_STREAM_END. */
        size_t got = sizeof chunk - zs.avail_out;
        if (got)
            rc = buf_append(out, chunk, got);
    }
    deflateEnd(&zs);
    if (rc)
        restore(out, old_len);
    return rc;
}

/* Maps one inflate() step to our result: ERR_OK to go on, or the end. */
static enum err step_result(int zr, const z_stream *zs, size_t rest, int *done)
{
    switch (zr) {
    case Z_OK:
        return ERR_OK;
    case Z_STREAM_END:
        *done = 1;
        /* One member only: a second member or junk after it is refused,
         * not silently dropped. */
        return (zs->avail_in || rest) ? ERR_INVALID : ERR_OK;
    case Z_BUF_ERROR:
        /* No progress with a whole free chunk: zlib wants more input. */
        return (zs->avail_in || rest) ? ERR_INVALID : ERR_TRUNCATED;
    default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
        return ERR_INVALID;
    }
}

enum err gz_inflate(const void *src, size_t n, struct buf *out)
{
    return gz_inflate_checked(src, n, out, NULL, NULL);
}

enum err gz_inflate_checked(const void *src, size_t n, struct buf *out, gz_check_fn *check,
                            void *ctx)
{
    z_stream zs;
    stream_init(&zs);
    if (inflateInit2(&zs, GZ_WINDOW) != Z_OK)
        abort(); /* as in gz_compress */

    const unsigned char *in = src;
    size_t rest = n;
    size_t old_len = out->len;
    unsigned char chunk[GZ_CHUNK];
    enum err rc = ERR_OK;
    int done = 0;
    while (rc == ERR_OK && !done) {
        if (zs.avail_in == 0 && rest > 0)
            feed(&zs, &in, &rest);
        zs.next_out = chunk;
        zs.avail_out = sizeof chunk;
        int zr = inflate(&zs, Z_NO_FLUSH);
        size_t got = sizeof chunk - zs.avail_out;
        if (got && check)
            rc = check(ctx, (const char *)chunk, got);
        if (got && rc == ERR_OK)
            rc = buf_append(out, chunk, got);
        if (rc == ERR_OK)
            rc = step_result(zr, &zs, rest, &done);
    }
    inflateEnd(&zs);
    if (rc)
        restore(out, old_len);
    return rc;
}
