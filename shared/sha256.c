/* sha256: libsodium's SHA-256 written as the protocol's picture names. */
#include "sha256.h"

#include <string.h>

void sha256_init(struct sha256 *h)
{
    crypto_hash_sha256_init(&h->st);
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
    crypto_hash_sha256_update(&h->st, data, len);
}

void sha256_final(struct sha256 *h, char out[SHA256_HEX_LEN + 1])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h->st, d);
    sodium_bin2hex(out, SHA256_HEX_LEN + 1, d, sizeof d);
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, data, len);
    sha256_final(&h, out);
}

bool sha256_hex_valid(const char *s)
{
    if (!s || strlen(s) != SHA256_HEX_LEN)
        return false;
    for (int i = 0; i < SHA256_HEX_LEN; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}
