/* font: a font file opened once, and a face of it at any pixel size.
 *
 * SDL_ttf opens one face per size, each reading the file through an
 * SDL_RWops. Through its stdio stream each of FreeType's seeks was an
 * lseek and most of its reads a read, for each size again: 7,510 lseek
 * and 2,307 read calls to Home's first frame. font_open gives each face a
 * stream over the file's one descriptor with pread: a seek is free, and
 * small reads come from a block read ahead (4,060 calls in all to the
 * first frame, 11,701 before). Mapping the file instead kept the pages
 * FreeType touched resident: 0.5 to 1.6 MB more with the picture cache
 * full, over the 40 MB of bench/kiosk.sh. */
#ifndef SCEAUX_KIOSK_FONT_H
#define SCEAUX_KIOSK_FONT_H
#include <SDL.h>
#include <SDL_ttf.h>
#include <stddef.h>

#include "err.h"

struct font_file {
    int fd; /* owned; -1: none */
    Sint64 size;
};

/* Opens the font file at path; on error *out is untouched and errbuf
 * says "cannot open font 'PATH': why". */
MUST_USE enum err font_file_open(const char *path, struct font_file *out, char *errbuf,
                                 size_t errlen);
/* Closes it (fd -1 afterwards); the faces opened from it are closed first. */
void font_file_close(struct font_file *f);
/* A face of file at size pixels, with a stream of its own that SDL_ttf
 * closes with the face; NULL on error (TTF_GetError). file is borrowed
 * until the face is closed. */
TTF_Font *font_open(const struct font_file *file, int size);

#endif
