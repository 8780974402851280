/* sha256: the names of pictures (docs/protocol.md, "Pictures").
 *
 * A picture is named by the SHA-256 of its bytes, written as exactly 64
 * lower-case hex digits: the hub names what it stores so, rows carry the
 * name (column type COL_PICTURE), and whoever downloads a picture checks
 * the bytes against it. The hash is libsodium's, which every program
 * already links; this module only gives it one spelling. */
#ifndef SCEAUX_SHA256_H
#define SCEAUX_SHA256_H
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define SHA256_HEX_LEN 64 /* hex digits of a name */

/* A hash fed in pieces: sha256_init(), sha256_update() as bytes come,
 * sha256_final() once. A plain struct: copy it to hash two endings. */
struct sha256 {
    crypto_hash_sha256_state st;
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* The name of everything fed, 64 lower-case hex digits and a NUL. */
void sha256_final(struct sha256 *h, char out[SHA256_HEX_LEN + 1]);
/* The name of data[0..len) in one call. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);
/* True when s is a name: exactly 64 characters of [0-9a-f] (upper case
 * is refused, so a name has one spelling and one file); NULL is not. */
MUST_USE bool sha256_hex_valid(const char *s);

#endif
