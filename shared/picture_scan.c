/* picture_scan: JPEG markers (ITU T.81, B.1) and PNG chunks (PNG 5.3)
 * walked with every length checked against the bytes left. */
#include "picture_scan.h"

#include <string.h>

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Past an SOS header: the entropy-coded data runs to the next marker
 * that is not a stuffed 0xFF00 nor a restart (RST0-7). *i ends on that
 * marker's 0xFF. */
static enum err skip_scan(const unsigned char *d, size_t len, size_t *i)
{
    size_t k = *i;
    for (;;) {
        const unsigned char *ff = memchr(d + k, 0xff, len - k);
        if (!ff || (size_t)(ff - d) + 1 >= len)
            return ERR_TRUNCATED;
        k = (size_t)(ff - d);
        unsigned m = d[k + 1];
        if (m != 0x00 && !(m >= 0xd0 && m <= 0xd7) && m != 0xff) {
            *i = k;
            return ERR_OK;
        }
        k += m == 0xff ? 1 : 2;
    }
}

/* Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC). */
static bool is_sof(unsigned m)
{
    return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

static enum err scan_jpeg(const unsigned char *d, size_t len, struct picture_shape *s)
{
    size_t i = 2;
    for (;;) {
        if (i >= len)
            return ERR_TRUNCATED;
        if (d[i] != 0xff)
            return ERR_INVALID;
        while (i < len && d[i] == 0xff) /* fill bytes */
            i++;
        if (i >= len)
            return ERR_TRUNCATED;
        unsigned m = d[i++];
        if (m == 0xd9) { /* EOI */
            s->end = i;
            return ERR_OK;
        }
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
            continue; /* no length */
        if (m == 0xd8 || m == 0x00)
            return ERR_INVALID;
        if (i + 2 > len)
            return ERR_TRUNCATED;
        size_t seg = be16(d + i);
        if (seg < 2)
            return ERR_INVALID;
        if (is_sof(m) && seg >= 7 && i + 7 <= len) { /* the size, even if the rest is cut */
            s->height = be16(d + i + 3);
            s->width = be16(d + i + 5);
        }
        if (i + seg > len)
            return ERR_TRUNCATED;
        if ((m >= 0xe0 && m <= 0xef) || m == 0xfe)
            s->metadata += seg;
        i += seg;
        if (m == 0xda) {
            enum err rc = skip_scan(d, len, &i);
            if (rc)
                return rc;
        }
    }
}

static enum err scan_png(const unsigned char *d, size_t len, struct picture_shape *s)
{
    size_t i = 8;
    bool first = true;
    for (;;) {
        if (i + 12 > len)
            return ERR_TRUNCATED;
        uint32_t n = be32(d + i);
        const unsigned char *type = d + i + 4;
        if (n > 0x7fffffffu)
            return ERR_INVALID;
        bool ihdr = memcmp(type, "IHDR", 4) == 0;
        if (first != ihdr || (ihdr && n != 13))
            return ERR_INVALID;      /* IHDR first, and only there */
        if (ihdr && i + 16 <= len) { /* the size, even if the rest is cut */
            s->width = be32(d + i + 8);
            s->height = be32(d + i + 12);
        }
        if ((size_t)n > len - i - 12)
            return ERR_TRUNCATED;
        if (type[0] & 0x20) /* ancillary: text, EXIF, ICC profile... */
            s->metadata += n + 12;
        first = false;
        i += (size_t)n + 12;
        if (memcmp(type, "IEND", 4) == 0) {
            s->end = i;
            return ERR_OK;
        }
    }
}

/* A local file header, central directory entry or end of central
 * directory: what a ZIP reader looks for. */
static bool has_zip(const unsigned char *d, size_t len)
{
    static const char *const sigs[] = {"PK\x03\x04", "PK\x01\x02", "PK\x05\x06"};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
        if (memmem(d, len, sigs[k], 4))
            return true;
    return false;
}

enum picture_format picture_format_of(const unsigned char *head, size_t n)
{
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff)
        return PICTURE_JPEG;
    if (n >= sizeof png && memcmp(head, png, sizeof png) == 0)
        return PICTURE_PNG;
    return PICTURE_NONE;
}

const char *picture_mime(enum picture_format f)
{
    return f == PICTURE_JPEG ? "image/jpeg" : f == PICTURE_PNG ? "image/png" : NULL;
}

enum err picture_scan(const unsigned char *d, size_t len, struct picture_shape *out)
{
    memset(out, 0, sizeof *out);
    out->format = picture_format_of(d, len);
    enum err rc = ERR_INVALID;
    if (out->format == PICTURE_JPEG)
        rc = scan_jpeg(d, len, out);
    else if (out->format == PICTURE_PNG)
        rc = scan_png(d, len, out);
    if (rc == ERR_OK)
        out->zip_after = has_zip(d + out->end, len - out->end);
    return rc;
}
