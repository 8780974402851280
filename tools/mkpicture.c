/* sceaux-mkpicture: makes a picture file for tests and benches, and
 * prints its name (the SHA-256 of its bytes, docs/protocol.md).
 *
 *   sceaux-mkpicture --size WxH [--seed N] [--dir DIR | --out FILE] [--jpeg]
 *                    [--noise]
 *
 * The picture is drawn, never fetched: bands of colour that change with
 * the seed, so two seeds give two files; with --noise, pixels at random
 * (from the seed), which no compression shrinks: a large file for tests
 * of slow or capped downloads. With --dir it is written as
 * DIR/<sha256>, as the kiosk's picture cache holds it; with --out, to
 * FILE. PNG unless --jpeg. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "xalloc.h"

static const char usage[] =
    "usage: sceaux-mkpicture --size WxH [--seed N] [--dir DIR | --out FILE] [--jpeg] [--noise]\n";

static SDL_Surface *draw(int w, int h, unsigned seed, bool noise)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    uint32_t base = seed * 2654435761u;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < w; x++) {
            unsigned band = (unsigned)(x * 8 / w + y * 6 / h);
            uint32_t c = base ^ (band * 0x3f2a1bu);
            uint8_t r = (uint8_t)(c >> 16), g = (uint8_t)(c >> 8), b = (uint8_t)c;
            /* A diagonal stripe, so scaling and cropping show. */
            if (((x + y) / 24) % 5 == 0)
                r = g = b = 250;
            if (noise) {
                c = (uint32_t)rand_r(&seed);
                r = (uint8_t)(c >> 16);
                g = (uint8_t)(c >> 8);
                b = (uint8_t)c;
            }
            row[x] = 0xff000000u | (uint32_t)r << 16 | (uint32_t)g << 8 | b;
        }
    }
    return s;
}

/* Writes s as PNG or JPEG into a memory buffer (new) and its length. */
static int encode(SDL_Surface *s, bool jpeg, void **data, size_t *len)
{
    size_t cap = (size_t)s->w * (size_t)s->h * 4 + 65536;
    void *mem = xmalloc(cap);
    SDL_RWops *rw = SDL_RWFromMem(mem, (int)cap);
    int rc = jpeg ? IMG_SaveJPG_RW(s, rw, 0, 85) : IMG_SavePNG_RW(s, rw, 0);
    Sint64 n = SDL_RWtell(rw);
    SDL_RWclose(rw);
    if (rc != 0 || n <= 0) {
        free(mem);
        return 1;
    }
    *data = mem;
    *len = (size_t)n;
    return 0;
}

int main(int argc, char **argv)
{
    int w = 0, h = 0;
    unsigned seed = 1;
    const char *dir = NULL, *out = NULL;
    bool jpeg = false, noise = false;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--jpeg") == 0) {
            jpeg = true;
        } else if (strcmp(argv[i], "--noise") == 0) {
            noise = true;
        } else if (strcmp(argv[i], "--size") == 0 && v && sscanf(v, "%dx%d", &w, &h) == 2) {
            i++;
        } else if (strcmp(argv[i], "--seed") == 0 && v) {
            seed = (unsigned)strtoul(v, NULL, 10);
            i++;
        } else if (strcmp(argv[i], "--dir") == 0 && v) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && v) {
            out = argv[++i];
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (w < 1 || h < 1 || w > 8192 || h > 8192 || (!dir && !out)) {
        fputs(usage, stderr);
        return 2;
    }
    SDL_Surface *s = draw(w, h, seed, noise);
    void *data = NULL;
    size_t len = 0;
    if (!s || encode(s, jpeg, &data, &len) != 0) {
        fprintf(stderr, "sceaux-mkpicture: cannot encode: %s\n", SDL_GetError());
        return 1;
    }
    SDL_FreeSurface(s);
    char sha[SHA256_HEX_LEN + 1], path[4096];
    sha256_hex(data, len, sha);
    if (dir)
        snprintf(path, sizeof path, "%s/%s", dir, sha);
    else
        snprintf(path, sizeof path, "%s", out);
    FILE *f = fopen(path, "wb");
    int rc = !f || fwrite(data, 1, len, f) != len;
    if (f && fclose(f) != 0)
        rc = 1;
    free(data);
    if (rc) {
        fprintf(stderr, "sceaux-mkpicture: cannot write '%s'\n", path);
        return 1;
    }
    printf("%s\n", sha);
    return 0;
}
