/* auth: secrets the hub keeps only as hashes: bearer tokens and booking
 * cancel codes (libsodium).
 *
 * A token is 128 random bits shown once as 32 hex digits; the hub stores
 * its BLAKE2b-256 hash (a token has full entropy, so a fast hash is enough)
 * and looks it up by hash. A cancel code (6 to 12 digits) is stored as a
 * salted BLAKE2b hash "b2$<salt>$<hash>": a slow password hash would not
 * protect a million-value space much, and would hold the store's lock. */
#ifndef SCEAUX_HUB_AUTH_H
#define SCEAUX_HUB_AUTH_H
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define AUTH_TOKEN_LEN 32 /* hex digits of a new token */
#define AUTH_HASH_LEN 64  /* hex digits of a token hash */
#define AUTH_CODE_HASH_LEN (3 + 32 + 1 + 64)

/* Calls sodium_init(); ERR_IO if libsodium cannot start. */
MUST_USE enum err auth_init(void);
/* A new token (AUTH_TOKEN_LEN hex digits and a NUL). */
MUST_USE enum err auth_token_new(char out[AUTH_TOKEN_LEN + 1]);
/* The hash of a token as sent (any bytes up to len). */
void auth_token_hash(const char *token, size_t len, char out[AUTH_HASH_LEN + 1]);
/* Constant-time equality of two NUL-terminated hashes of the same length. */
bool auth_hash_equal(const char *a, const char *b);
MUST_USE enum err auth_code_hash(const char *code, char out[AUTH_CODE_HASH_LEN + 1]);
/* True when `code` hashes to `stored` (an auth_code_hash() result). */
MUST_USE bool auth_code_check(const char *code, const char *stored);

#endif
