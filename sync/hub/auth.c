/* auth: token and cancel-code hashing with libsodium's BLAKE2b. */
#include "auth.h"

#include <sodium.h>
#include <string.h>

#include "id.h"

enum err auth_init(void)
{
    return sodium_init() < 0 ? ERR_IO : ERR_OK;
}

enum err auth_token_new(char out[AUTH_TOKEN_LEN + 1])
{
    unsigned char raw[AUTH_TOKEN_LEN / 2];
    enum err rc = id_random(raw, sizeof raw);
    if (rc)
        return rc;
    sodium_bin2hex(out, AUTH_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return ERR_OK;
}

void auth_token_hash(const char *token, size_t len, char out[AUTH_HASH_LEN + 1])
{
    unsigned char h[AUTH_HASH_LEN / 2];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, len, NULL, 0);
    sodium_bin2hex(out, AUTH_HASH_LEN + 1, h, sizeof h);
}

bool auth_hash_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return false;
    return sodium_memcmp(a, b, n) == 0;
}

static void code_digest(const char *code, const unsigned char *salt, size_t saltlen,
                        char out[AUTH_HASH_LEN + 1])
{
    unsigned char h[AUTH_HASH_LEN / 2];
    crypto_generichash(h, sizeof h, (const unsigned char *)code, strlen(code), salt, saltlen);
    sodium_bin2hex(out, AUTH_HASH_LEN + 1, h, sizeof h);
}

enum err auth_code_hash(const char *code, char out[AUTH_CODE_HASH_LEN + 1])
{
    unsigned char salt[16];
    enum err rc = id_random(salt, sizeof salt);
    if (rc)
        return rc;
    char salthex[33];
    char digest[AUTH_HASH_LEN + 1];
    sodium_bin2hex(salthex, sizeof salthex, salt, sizeof salt);
    code_digest(code, salt, sizeof salt, digest);
    memcpy(out, "b2$", 3);
    memcpy(out + 3, salthex, 32);
    out[35] = '$';
    memcpy(out + 36, digest, AUTH_HASH_LEN + 1);
    return ERR_OK;
}

bool auth_code_check(const char *code, const char *stored)
{
    if (!code || !stored || strlen(stored) != AUTH_CODE_HASH_LEN ||
        strncmp(stored, "b2$", 3) != 0 || stored[35] != '$')
        return false;
    unsigned char salt[16];
    size_t saltlen = 0;
    if (sodium_hex2bin(salt, sizeof salt, stored + 3, 32, NULL, &saltlen, NULL) != 0 ||
        saltlen != sizeof salt)
        return false;
    char digest[AUTH_HASH_LEN + 1];
    code_digest(code, salt, sizeof salt, digest);
    return auth_hash_equal(digest, stored + 36);
}
