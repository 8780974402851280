/* xalloc: allocation that cannot fail.
 *
 * Running out of memory is not an error path this project handles: these
 * abort with a message instead, so every other error path is about input,
 * I/O, the database or the network. xalloc_init() hands them to jansson. */
#ifndef SCEAUX_XALLOC_H
#define SCEAUX_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Makes jansson allocate through xmalloc. Call once at start. */
void xalloc_init(void);

#endif
