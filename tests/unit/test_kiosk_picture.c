/* Unit tests of the kiosk's picture decoding (kiosk/picture_decode.c):
 * formats told by their signature, sizes read from headers, bombs and
 * cut headers refused before decoding, pictures scaled to the box they
 * are shown in (cropped to fill it, or whole within it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kiosk/picture_decode.h"
#include "xalloc.h"

static uint8_t *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "tests/data/picture/%s", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = xmalloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void probes(void **state)
{
    (void)state;
    char why[200];
    enum picture_format fmt;
    int w = 0, h = 0;
    size_t len;
    uint8_t *png = slurp("small.png", &len);
    assert_int_equal(picture_probe(png, len, &fmt, &w, &h, why, sizeof why), ERR_OK);
    assert_int_equal(fmt, PICTURE_PNG);
    assert_int_equal(w, 24);
    assert_int_equal(h, 16);
    /* Cut inside the IHDR: refused, not read past the end. */
    assert_int_equal(picture_probe(png, 20, &fmt, &w, &h, why, sizeof why), ERR_TRUNCATED);
    free(png);
    uint8_t *jpg = slurp("small.jpg", &len);
    assert_int_equal(picture_probe(jpg, len, &fmt, &w, &h, why, sizeof why), ERR_OK);
    assert_int_equal(fmt, PICTURE_JPEG); /* its size after an EXIF block */
    assert_int_equal(w, 24);
    assert_int_equal(h, 16);
    assert_int_equal(picture_probe(jpg, 40, &fmt, &w, &h, why, sizeof why), ERR_TRUNCATED);
    free(jpg);
    /* 100,000 x 100,000 declared: refused from the header alone. */
    static const uint8_t bomb[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,    13,
                                   'I',  'H', 'D', 'R', 0,    1,    0x86, 0xa0, 0, 1, 0x86, 0xa0};
    assert_int_equal(picture_probe(bomb, sizeof bomb, &fmt, &w, &h, why, sizeof why), ERR_TOO_BIG);
    assert_non_null(strstr(why, "over the limit"));
    static const uint8_t gif[] = "GIF89a\x01\x00\x01\x00";
    assert_int_equal(picture_probe(gif, sizeof gif, &fmt, &w, &h, why, sizeof why), ERR_INVALID);
}

static void decodes_to_the_box(void **state)
{
    (void)state;
    char why[200];
    size_t len;
    assert_int_equal(picture_decode_init(why, sizeof why), ERR_OK);
    uint8_t *png = slurp("small.png", &len);
    SDL_Surface *s = NULL;
    /* Cropped to fill: exactly the box. */
    assert_int_equal(picture_decode(png, len, 10, 10, false, &s, why, sizeof why), ERR_OK);
    assert_int_equal(s->w, 10);
    assert_int_equal(s->h, 10);
    SDL_FreeSurface(s);
    /* Whole: within the box, its shape kept (24x16 into 12x12: 12x8). */
    assert_int_equal(picture_decode(png, len, 12, 12, true, &s, why, sizeof why), ERR_OK);
    assert_int_equal(s->w, 12);
    assert_int_equal(s->h, 8);
    SDL_FreeSurface(s);
    /* Whole and smaller than the box: not enlarged. */
    assert_int_equal(picture_decode(png, len, 300, 300, true, &s, why, sizeof why), ERR_OK);
    assert_int_equal(s->w, 24);
    SDL_FreeSurface(s);
    /* Cut short: refused before SDL_image, which would loop on it. */
    assert_int_equal(picture_decode(png, len / 2, 10, 10, false, &s, why, sizeof why),
                     ERR_TRUNCATED);
    assert_null(s);
    assert_int_equal(picture_decode(png, len - 1, 10, 10, false, &s, why, sizeof why),
                     ERR_TRUNCATED);
    free(png);
    uint8_t *jpg = slurp("small.jpg", &len);
    assert_int_equal(picture_decode(jpg, len, 20, 5, false, &s, why, sizeof why), ERR_OK);
    assert_int_equal(s->w, 20);
    assert_int_equal(s->h, 5);
    SDL_FreeSurface(s);
    free(jpg);
}

int main(void)
{
    xalloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(probes),
        cmocka_unit_test(decodes_to_the_box),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
