/* id: row and change ids.
 *
 * Protocol ids are 1-64 characters of [A-Za-z0-9._:-]. New ids are 128
 * random bits from getrandom(), as 32 lower-case hex digits. */
#ifndef SCEAUX_ID_H
#define SCEAUX_ID_H
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define ID_MAX 64
#define ID_NEW_LEN 32

/* Fills buf with n random bytes from the kernel (retrying interrupted and
 * short reads). ERR_IO if it cannot. */
MUST_USE enum err id_random(void *buf, size_t n);
/* Writes a new random id (ID_NEW_LEN hex digits and a NUL) into out. On
 * ERR_IO out is the empty string. */
MUST_USE enum err id_new(char out[ID_NEW_LEN + 1]);
/* True when s is a valid protocol id; NULL is not. */
MUST_USE bool id_valid(const char *s);

#endif
