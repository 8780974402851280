/* Unit tests of picture_scan (shared/picture_scan.h) on files built
 * byte by byte: a JPEG's segments, entropy data with stuffed bytes and
 * restarts, its end and what follows it; a PNG's chunks; and every way
 * they break (truncated, lengths that lie, IHDR out of place). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "picture_scan.h"

/* SOI, APP0 (16 bytes with its length), SOF0 of 4000 x 3000, SOS, entropy
 * data holding a stuffed 0xFF00 and a restart marker, EOI. */
static const unsigned char jpeg[] = {
    0xff, 0xd8, /* SOI */
    0xff, 0xe0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0,    1,    1, 0,    0,
    1,    0,    1,    0,    0,                                              /* APP0 */
    0xff, 0xc0, 0x00, 0x0b, 8,    0x0b, 0xb8, 0x0f, 0xa0, 1,    1, 0x11, 0, /* SOF0 */
    0xff, 0xda, 0x00, 0x08, 1,    1,    0,    0,    0x3f, 0,                /* SOS */
    0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56, 0xff, 0xff, 0xd9,             /* data, EOI */
};

static const unsigned char png_sig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* Appends a PNG chunk (the CRC is not checked by the scan: zeros). */
static size_t chunk(unsigned char *p, const char *type, uint32_t len, const void *data)
{
    p[0] = (unsigned char)(len >> 24);
    p[1] = (unsigned char)(len >> 16);
    p[2] = (unsigned char)(len >> 8);
    p[3] = (unsigned char)len;
    memcpy(p + 4, type, 4);
    if (data)
        memcpy(p + 8, data, len);
    memset(p + 8 + len, 0, 4);
    return 12 + len;
}

static size_t png(unsigned char *p, bool ihdr_first, uint32_t text_len)
{
    static const unsigned char ihdr[13] = {0, 0, 0x01, 0x00, 0, 0, 0x00, 0xc8, 8, 2, 0, 0, 0};
    static const unsigned char text[64] = "Comment";
    size_t n = sizeof png_sig;
    memcpy(p, png_sig, n);
    if (!ihdr_first)
        n += chunk(p + n, "tEXt", 8, text);
    n += chunk(p + n, "IHDR", 13, ihdr);
    n += chunk(p + n, "tEXt", text_len, text);
    n += chunk(p + n, "IDAT", 3, "abc");
    n += chunk(p + n, "IEND", 0, NULL);
    return n;
}

static void jpeg_whole(void **state)
{
    (void)state;
    struct picture_shape s;
    assert_int_equal(picture_scan(jpeg, sizeof jpeg, &s), ERR_OK);
    assert_int_equal(s.format, PICTURE_JPEG);
    assert_int_equal(s.width, 4000);
    assert_int_equal(s.height, 3000);
    assert_int_equal(s.metadata, 16);
    assert_int_equal(s.end, sizeof jpeg);
    assert_false(s.zip_after);
    assert_string_equal(picture_mime(s.format), "image/jpeg");
}

static void jpeg_after_end(void **state)
{
    (void)state;
    unsigned char d[sizeof jpeg + 32];
    memcpy(d, jpeg, sizeof jpeg);
    memcpy(d + sizeof jpeg, "a phone's video: PK but no zip..", 32);
    struct picture_shape s;
    assert_int_equal(picture_scan(d, sizeof d, &s), ERR_OK);
    assert_int_equal(s.end, sizeof jpeg);
    assert_false(s.zip_after);
    memcpy(d + sizeof jpeg + 10, "PK\x05\x06", 4);
    assert_int_equal(picture_scan(d, sizeof d, &s), ERR_OK);
    assert_true(s.zip_after);
}

static void jpeg_broken(void **state)
{
    (void)state;
    struct picture_shape s;
    for (size_t n = 3; n < sizeof jpeg; n++) /* every cut before the EOI's end */
        assert_int_equal(picture_scan(jpeg, n, &s), ERR_TRUNCATED);
    unsigned char d[sizeof jpeg];
    memcpy(d, jpeg, sizeof jpeg);
    d[5] = 1; /* APP0 length 1: shorter than its own length field */
    assert_int_equal(picture_scan(d, sizeof d, &s), ERR_INVALID);
    memcpy(d, jpeg, sizeof jpeg);
    d[20] = 0x12; /* no marker where SOF0 should start */
    assert_int_equal(picture_scan(d, sizeof d, &s), ERR_INVALID);
    memcpy(d, jpeg, sizeof jpeg);
    d[4] = 0xff; /* APP0 claims 65,296 bytes */
    assert_int_equal(picture_scan(d, sizeof d, &s), ERR_TRUNCATED);
}

static void png_chunks(void **state)
{
    (void)state;
    unsigned char d[256];
    size_t n = png(d, true, 20);
    struct picture_shape s;
    assert_int_equal(picture_scan(d, n, &s), ERR_OK);
    assert_int_equal(s.format, PICTURE_PNG);
    assert_int_equal(s.width, 256);
    assert_int_equal(s.height, 200);
    assert_int_equal(s.metadata, 20 + 12);
    assert_int_equal(s.end, n);
    n = png(d, false, 20);
    assert_int_equal(picture_scan(d, n, &s), ERR_INVALID); /* IHDR not first */
    n = png(d, true, 20);
    for (size_t cut = sizeof png_sig; cut < n; cut++)
        assert_int_equal(picture_scan(d, cut, &s), ERR_TRUNCATED);
    d[8 + 25] = 0x80; /* the tEXt chunk's length past 2^31 */
    assert_int_equal(picture_scan(d, n, &s), ERR_INVALID);
}

static void not_pictures(void **state)
{
    (void)state;
    static const unsigned char gif[] = "GIF89a....";
    struct picture_shape s;
    assert_int_equal(picture_scan(gif, sizeof gif, &s), ERR_INVALID);
    assert_int_equal(s.format, PICTURE_NONE);
    assert_int_equal(picture_scan(gif, 0, &s), ERR_INVALID);
    assert_int_equal(picture_scan(jpeg, 2, &s), ERR_INVALID);
    assert_int_equal(picture_format_of(png_sig, sizeof png_sig), PICTURE_PNG);
    assert_int_equal(picture_format_of(png_sig, 7), PICTURE_NONE);
    assert_null(picture_mime(PICTURE_NONE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jpeg_whole),   cmocka_unit_test(jpeg_after_end),
        cmocka_unit_test(jpeg_broken),  cmocka_unit_test(png_chunks),
        cmocka_unit_test(not_pictures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
