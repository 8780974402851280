/* render: replays the ui's draw commands with SDL_Renderer.
 *
 * Owns the fonts (SDL2_ttf, one TTF_Font per face and pixel size) and a
 * cache of text textures keyed by text, face, size and colour, so a steady
 * frame rasterises no text (render_stats counts rasterisations). Rounded
 * corners are small anti-aliased coverage textures, tinted per draw. QR
 * codes come from libqrencode, cached as textures too; pictures come
 * from picture.c's cache by their key. */
#ifndef SCEAUX_KIOSK_RENDER_H
#define SCEAUX_KIOSK_RENDER_H
#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ui.h"

struct render;

struct render_fonts {
    const char *regular, *bold, *icons; /* file paths, borrowed */
};

/* Opens the fonts; the renderer is borrowed. On error *out is NULL and
 * errbuf names the font that failed. */
MUST_USE enum err render_new(SDL_Renderer *sdl, const struct render_fonts *fonts,
                             struct render **out, char *errbuf, size_t errlen);
void render_free(struct render *r);
/* Metrics for ui_new (ctx is r). */
struct ui_text_metrics render_metrics(struct render *r);
/* Draws the frame's commands over a clear of bg: all of them, or, when
 * damage is not NULL, what its plan says (ui_damage_plan: move the
 * scrolled pixels, then redraw inside its rectangles); the target must
 * then still hold the previous frame, as the software renderer's window
 * surface does. Does not present. */
void render_frame(struct render *r, const struct ui *ui, struct ui_color bg,
                  const struct ui_damage *damage);
/* Whether render_frame can move pixels of the target (a plan with
 * scroll): the software renderer drawing into its window. */
bool render_can_scroll(struct render *r);
/* Saves what is on the render target as a PNG. */
MUST_USE enum err render_screenshot(struct render *r, const char *path, char *errbuf,
                                    size_t errlen);

/* Where UI_CMD_IMAGE finds its textures (borrowed; NULL: none). */
struct pictures;
void render_set_pictures(struct render *r, struct pictures *p);

struct render_stats {
    unsigned long rasterised; /* text textures made since start */
    unsigned long cached;     /* text textures held now */
};
void render_stats(const struct render *r, struct render_stats *out);

#endif
