/* id: random ids from the kernel and the protocol's id syntax.
 *
 * getrandom() without flags blocks only until the kernel's pool is first
 * seeded (early boot) and never fails afterwards except on signals, which
 * are retried, so id_new() is safe for ids that must not collide. */
#include "id.h"

#include <errno.h>
#include <sys/random.h>
#include <sys/types.h>

enum err id_random(void *buf, size_t n)
{
    unsigned char *p = buf;
    size_t done = 0;
    while (done < n) {
        /* Requests over 256 bytes may come back short: loop for the rest. */
        ssize_t r = getrandom(p + done, n - done, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return ERR_IO;
        }
        done += (size_t)r;
    }
    return ERR_OK;
}

enum err id_new(char out[ID_NEW_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char bytes[ID_NEW_LEN / 2];
    enum err rc = id_random(bytes, sizeof bytes);
    if (rc) {
        out[0] = '\0';
        return rc;
    }
    for (size_t i = 0; i < sizeof bytes; i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 0xf];
    }
    out[ID_NEW_LEN] = '\0';
    return ERR_OK;
}

/* By hand rather than isalnum(): the locale must not widen the set. */
static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
}

bool id_valid(const char *s)
{
    if (!s)
        return false;
    size_t n = 0;
    for (; s[n]; n++) {
        if (n >= ID_MAX || !id_char(s[n]))
            return false;
    }
    return n > 0;
}
