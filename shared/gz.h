/* gz: gzip with zlib, with the size cap enforced while inflating.
 *
 * Untrusted input (request and response bodies) is only ever inflated
 * through gz_inflate(), whose output buffer carries the cap: a bomb is
 * refused as soon as its output passes out->max, after at most that many
 * bytes of work. */
#ifndef SCEAUX_GZ_H
#define SCEAUX_GZ_H
#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Appends the gzip (RFC 1952) compression of src to out. ERR_TOO_BIG if
 * out's cap is reached (out keeps what it had). */
MUST_USE enum err gz_compress(const void *src, size_t n, struct buf *out);

/* Appends the inflation of exactly one gzip member to out, whose max is
 * the cap. ERR_TOO_BIG as soon as the output would pass the cap,
 * ERR_TRUNCATED when the input ends before the member does (empty input
 * included), ERR_INVALID on a corrupt stream (bad header, data or CRC) or
 * any bytes after the member, even a second member. On error out's length
 * and contents are as they were (its storage may have grown). */
MUST_USE enum err gz_inflate(const void *src, size_t n, struct buf *out);

/* Looks at each piece of inflated output before it is appended: anything
 * but ERR_OK stops the inflation with that code. */
typedef enum err gz_check_fn(void *ctx, const char *piece, size_t n);

/* gz_inflate(), with check(ctx, ...) called on every piece of output in
 * order, so a caller can refuse a body by its content after inflating
 * only as much as it takes to see it (a JSON value count). */
enum err gz_inflate_checked(const void *src, size_t n, struct buf *out, gz_check_fn *check,
                            void *ctx);

#endif
