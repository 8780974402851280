/* libFuzzer target: the kiosk's picture loading path (kiosk/picture_decode.c),
 * the bytes of a cached picture file to pixels at a size shown. Any input
 * must end in a surface of the box's size or a clean error, within the
 * pixel limits: never a crash, a leak or a read out of bounds.
 *
 * tools/fuzz.sh reads the lines below to build it:
 * fuzz-sources: kiosk/picture_decode.c
 * fuzz-packages: sdl2 SDL2_image
 * fuzz-seeds: tests/data/picture */
#include <SDL.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "picture_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    char why[200];
    if (!ready) {
        if (picture_decode_init(why, sizeof why) != ERR_OK)
            abort();
        ready = true;
    }
    /* The box comes from the input's last bytes, so sizes vary too. */
    int bw = size > 0 ? 1 + data[size - 1] % 97 : 1;
    int bh = size > 1 ? 1 + data[size - 2] % 61 : 1;
    bool whole = size > 2 && (data[size - 3] & 1);
    SDL_Surface *s = NULL;
    if (picture_decode(data, size, bw, bh, whole, &s, why, sizeof why) == ERR_OK) {
        if (!s || s->w < 1 || s->h < 1 || s->w > bw || s->h > bh ||
            (!whole && (s->w != bw || s->h != bh)))
            abort();
        SDL_FreeSurface(s);
    } else if (s) {
        abort();
    }
    return 0;
}
