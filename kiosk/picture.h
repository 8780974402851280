/* picture: the kiosk's pictures, from the cache folder to textures.
 *
 * syncd keeps the pictures that rows name in a folder beside the replica
 * (<replica>.pictures/<sha256>, docs/architecture.md); the kiosk only
 * reads it. A screen asks for a picture at the size it shows it
 * (pictures_want); the first ask reads and decodes the file on a worker
 * thread (picture_decode.h: scaled down to that size), never on the frame
 * path, and the picture shows from a later frame on; until then, or when
 * there is no file or it does not decode, the screen draws its
 * placeholder. Between frames pictures_poll turns finished decodes into
 * textures (the renderer is only used on the main thread) and notices new
 * files in the folder, and says when a frame is needed.
 *
 * Textures live in a cache of at most `budget` bytes of pixels, which
 * counts a picture's texture from the moment its decode is asked: the
 * least recently drawn go first, before the decode rather than after it,
 * never one drawn in the last frame (a screen full of pictures may go
 * over for as long as it shows). A file that does
 * not decode is logged once and shows the placeholder; its entry is tried
 * again when the folder changes. */
#ifndef SCEAUX_KIOSK_PICTURE_H
#define SCEAUX_KIOSK_PICTURE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sha256.h"

/* "sha/WxH/c": the key of a picture at a size (c: cropped, w: whole). */
#define PICTURE_KEY_MAX (SHA256_HEX_LEN + 32)

struct SDL_Renderer;
struct SDL_Texture;
struct pictures;

enum picture_state {
    PICTURE_ABSENT,  /* no picture, or no file yet */
    PICTURE_LOADING, /* being decoded */
    PICTURE_READY,   /* a texture to draw */
    PICTURE_FAILED,  /* the file did not decode */
};

/* dir: the cache folder (copied); the renderer is borrowed. budget:
 * bytes of texture pixels. Starts the worker thread. */
MUST_USE enum err pictures_new(struct SDL_Renderer *sdl, const char *dir, size_t budget,
                               struct pictures **out, char *why, size_t whylen);
void pictures_free(struct pictures *p);

/* The key of sha at w x h into key (PICTURE_KEY_MAX bytes). */
void picture_key(const char *sha, int w, int h, bool whole, char *key);

/* Between frames: uploads finished decodes and looks at the folder (at
 * most every 250 ms of ms). True when a frame is needed. */
bool pictures_poll(struct pictures *p, uint64_t ms);
/* Marks the start of a frame (what is drawn from now on is in use). */
void pictures_frame(struct pictures *p);
/* The state of sha at w x h; asks for its decode when its file is there.
 * p may be NULL (no pictures: PICTURE_ABSENT). */
enum picture_state pictures_want(struct pictures *p, const char *sha, int w, int h, bool whole);
/* The texture of key (borrowed until the next pictures_poll) and its
 * size, or NULL. */
struct SDL_Texture *pictures_texture(struct pictures *p, const char *key, int *w, int *h);

struct pictures_stats {
    size_t bytes;          /* texture pixels held */
    unsigned long decoded; /* decodes finished since start */
    unsigned long failed;  /* of which failed */
};
void pictures_stats(const struct pictures *p, struct pictures_stats *out);

#endif
