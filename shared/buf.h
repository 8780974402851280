/* buf: a growable byte buffer with a maximum size.
 *
 * The cap is part of the buffer (docs/style.md, caps): buf_init() takes the
 * largest size the buffer may ever hold, and appends past it fail with
 * ERR_TOO_BIG, leaving the buffer as it was. The data is always followed by
 * a NUL byte (not counted in len), so text can be used as a C string. */
#ifndef SCEAUX_BUF_H
#define SCEAUX_BUF_H
#include <stdarg.h>
#include <stddef.h>

#include "err.h"

struct buf {
    char *data; /* owned; NULL until the first append */
    size_t len;
    size_t cap;
    size_t max;
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, memory kept */
MUST_USE enum err buf_append(struct buf *b, const void *data, size_t n);
MUST_USE enum err buf_puts(struct buf *b, const char *s);
MUST_USE enum err buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
MUST_USE enum err buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Hands the data to the caller (NUL-terminated, never NULL) and resets b. */
char *buf_detach(struct buf *b, size_t *len);

#endif
