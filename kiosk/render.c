/* render: SDL_Renderer backend of the ui's command list.
 *
 * Three caches: fonts by (face, size), text textures by (text, face, size,
 * colour) with eviction of entries unused for a while, and corner
 * textures by (radius, ring width). Everything else is rectangles. */
#include "render.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"
#include "picture.h"
#include "xalloc.h"

#define MAX_FACES 48
#define TEXT_BUCKETS 4096
#define TEXT_KEEP_FRAMES 240 /* unused this long: dropped */
#define MAX_CORNERS 32
#define MAX_QR 4
#define WIDTH_BUCKETS 8192

struct face {
    enum ui_font font;
    int size;
    TTF_Font *ttf;
};

struct text_entry {
    struct text_entry *next;
    uint32_t hash;
    enum ui_font font;
    int size;
    struct ui_color color;
    struct ui_color bg; /* opaque: drawn shaded on it; a == 0: blended */
    char *text;
    SDL_Texture *tex;
    int w, h;
    unsigned long used; /* frame number of last use */
};

struct corner {
    int radius, ring;
    SDL_Texture *tex[4]; /* top-left, top-right, bottom-left, bottom-right */
};

struct qr {
    char *text;
    SDL_Texture *tex;
    unsigned long used;
};

struct width_entry;

struct render {
    SDL_Renderer *sdl;
    struct width_entry *widths[WIDTH_BUCKETS];
    struct font_file files[UI_FONT_COUNT];
    struct face faces[MAX_FACES];
    int nfaces, next_face;
    struct text_entry *buckets[TEXT_BUCKETS];
    unsigned long frame, rasterised, cached;
    struct corner corners[MAX_CORNERS];
    int ncorners;
    struct qr qrs[MAX_QR];
    struct ui_color last_bg; /* the clear colour of the last frame */
    struct ui_rect *clips;   /* the clip each command of the frame is under */
    size_t capclips;
    struct pictures *pictures; /* borrowed, may be NULL */
};

static void font_files_close(struct font_file *files)
{
    for (int i = 0; i < UI_FONT_COUNT; i++)
        font_file_close(&files[i]);
}

enum err render_new(SDL_Renderer *sdl, const struct render_fonts *fonts, struct render **out,
                    char *errbuf, size_t errlen)
{
    *out = NULL;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(errbuf, errlen, "cannot start SDL_ttf: %s", TTF_GetError());
        return ERR_IO;
    }
    const char *paths[UI_FONT_COUNT] = {fonts->regular, fonts->bold, fonts->icons};
    struct font_file files[UI_FONT_COUNT];
    for (int i = 0; i < UI_FONT_COUNT; i++)
        files[i] = (struct font_file){-1, 0};
    enum err rc = ERR_OK;
    for (int i = 0; i < UI_FONT_COUNT && rc == ERR_OK; i++) {
        rc = font_file_open(paths[i], &files[i], errbuf, errlen);
        if (rc)
            break;
        /* Open once now so a file that is no font is one clear error at
         * start. */
        TTF_Font *f = font_open(&files[i], 24);
        if (f) {
            TTF_CloseFont(f);
        } else {
            snprintf(errbuf, errlen, "cannot open font '%s': %s", paths[i], TTF_GetError());
            rc = ERR_IO;
        }
    }
    if (rc) {
        font_files_close(files);
        return rc;
    }
    struct render *r = xcalloc(1, sizeof *r);
    r->sdl = sdl;
    memcpy(r->files, files, sizeof files);
    *out = r;
    return ERR_OK;
}

static void width_sweep(struct render *r, bool all);
static void corner_free(struct corner *c);

static void text_drop(struct render *r, struct text_entry *e)
{
    SDL_DestroyTexture(e->tex);
    free(e->text);
    free(e);
    r->cached--;
}

void render_free(struct render *r)
{
    if (!r)
        return;
    for (int i = 0; i < TEXT_BUCKETS; i++) {
        while (r->buckets[i]) {
            struct text_entry *e = r->buckets[i];
            r->buckets[i] = e->next;
            text_drop(r, e);
        }
    }
    width_sweep(r, true);
    for (int i = 0; i < r->nfaces; i++)
        TTF_CloseFont(r->faces[i].ttf);
    for (int i = 0; i < r->ncorners; i++)
        corner_free(&r->corners[i]);
    for (int i = 0; i < MAX_QR; i++) {
        SDL_DestroyTexture(r->qrs[i].tex);
        free(r->qrs[i].text);
    }
    font_files_close(r->files);
    free(r->clips);
    free(r);
    TTF_Quit();
}

static TTF_Font *face(struct render *r, enum ui_font f, int size)
{
    if (size < 4)
        size = 4;
    for (int i = 0; i < r->nfaces; i++)
        if (r->faces[i].font == f && r->faces[i].size == size)
            return r->faces[i].ttf;
    TTF_Font *ttf = font_open(&r->files[f], size);
    if (!ttf)
        return NULL;
    /* Light hinting (vertical only, by FreeType's autofitter) looks the
     * same at kiosk sizes, and skips the TrueType bytecode interpreter that
     * ran a third of the instructions to the first frame (bench/kiosk.sh). */
    TTF_SetFontHinting(ttf, TTF_HINTING_LIGHT);
    int slot;
    if (r->nfaces < MAX_FACES) {
        slot = r->nfaces++;
    } else {
        /* Full: replace round-robin; text textures do not hold fonts. */
        slot = r->next_face;
        r->next_face = (r->next_face + 1) % MAX_FACES;
        TTF_CloseFont(r->faces[slot].ttf);
    }
    r->faces[slot] = (struct face){f, size, ttf};
    return ttf;
}

/* Widths are asked for every frame (layout, wrapping, ellipses) and
 * shaping them is the costliest part of a frame: they are cached like the
 * textures, by face, size and text. */
struct width_entry {
    struct width_entry *next;
    uint32_t hash;
    enum ui_font font;
    int size, width;
    size_t len;
    unsigned long used;
    char text[]; /* len bytes */
};

static uint32_t width_hash(const char *text, size_t len, enum ui_font f, int size)
{
    uint32_t h = 2166136261u ^ (uint32_t)f * 0x9e3779b1u ^ (uint32_t)size * 0x85ebca6bu;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 16777619u;
    }
    return h;
}

static int measure(struct render *r, enum ui_font f, int size, const char *text, size_t len);

static int m_width(void *ctx, enum ui_font f, int size, const char *text, size_t len)
{
    struct render *r = ctx;
    if (len == 0)
        return 0;
    uint32_t h = width_hash(text, len, f, size);
    struct width_entry **b = &r->widths[h % WIDTH_BUCKETS];
    for (struct width_entry *e = *b; e; e = e->next) {
        if (e->hash == h && e->font == f && e->size == size && e->len == len &&
            memcmp(e->text, text, len) == 0) {
            e->used = r->frame;
            return e->width;
        }
    }
    int w = measure(r, f, size, text, len);
    struct width_entry *e = xmalloc(sizeof *e + len);
    e->hash = h;
    e->font = f;
    e->size = size;
    e->width = w;
    e->len = len;
    e->used = r->frame;
    memcpy(e->text, text, len);
    e->next = *b;
    *b = e;
    return w;
}

static int measure(struct render *r, enum ui_font f, int size, const char *text, size_t len)
{
    TTF_Font *ttf = face(r, f, size);
    if (!ttf || len == 0)
        return 0;
    char small[512];
    char *s = len < sizeof small ? small : xmalloc(len + 1);
    memcpy(s, text, len);
    s[len] = '\0';
    int w = 0, h = 0;
    TTF_SizeUTF8(ttf, s, &w, &h);
    if (s != small)
        free(s);
    return w;
}

static int m_line_height(void *ctx, enum ui_font f, int size)
{
    struct render *r = ctx;
    TTF_Font *ttf = face(r, f, size);
    return ttf ? TTF_FontHeight(ttf) : size;
}

struct ui_text_metrics render_metrics(struct render *r)
{
    return (struct ui_text_metrics){m_width, m_line_height, r};
}

/* ---- text ---- */

static uint32_t text_hash(const char *s, enum ui_font f, int size, struct ui_color c,
                          struct ui_color bg)
{
    uint32_t h = ui_hash(s, 0);
    h ^= (uint32_t)f * 0x9e3779b1u ^ (uint32_t)size * 0x85ebca6bu;
    h ^= ((uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a) * 0xc2b2ae35u;
    h ^= ((uint32_t)bg.r << 24 | (uint32_t)bg.g << 16 | (uint32_t)bg.b << 8 | bg.a) * 0x27d4eb2fu;
    return h;
}

/* Text on a known opaque background is rendered shaded onto it: the
 * texture is opaque and is copied, not blended, which is most of the cost
 * of a frame in the software renderer. Other text is blended. */
static struct text_entry *text_get(struct render *r, const char *s, enum ui_font f, int size,
                                   struct ui_color c, struct ui_color bg)
{
    uint32_t h = text_hash(s, f, size, c, bg);
    struct text_entry **b = &r->buckets[h % TEXT_BUCKETS];
    for (struct text_entry *e = *b; e; e = e->next) {
        if (e->hash == h && e->font == f && e->size == size && !memcmp(&e->color, &c, sizeof c) &&
            !memcmp(&e->bg, &bg, sizeof bg) && strcmp(e->text, s) == 0) {
            e->used = r->frame;
            return e;
        }
    }
    TTF_Font *ttf = face(r, f, size);
    if (!ttf)
        return NULL;
    SDL_Color col = {c.r, c.g, c.b, c.a};
    SDL_Surface *surf = bg.a == 255
                            ? TTF_RenderUTF8_Shaded(ttf, s, col, (SDL_Color){bg.r, bg.g, bg.b, 255})
                            : TTF_RenderUTF8_Blended(ttf, s, col);
    if (!surf)
        return NULL;
    r->rasterised++;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(r->sdl, surf);
    if (tex && bg.a == 255)
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE);
    struct text_entry *e = xcalloc(1, sizeof *e);
    e->hash = h;
    e->font = f;
    e->size = size;
    e->color = c;
    e->bg = bg;
    e->text = xstrdup(s);
    e->tex = tex;
    e->w = surf->w;
    e->h = surf->h;
    e->used = r->frame;
    SDL_FreeSurface(surf);
    e->next = *b;
    *b = e;
    r->cached++;
    return e;
}

static void width_sweep(struct render *r, bool all)
{
    for (int i = 0; i < WIDTH_BUCKETS; i++) {
        struct width_entry **p = &r->widths[i];
        while (*p) {
            struct width_entry *e = *p;
            if (all || r->frame - e->used > TEXT_KEEP_FRAMES) {
                *p = e->next;
                free(e);
            } else {
                p = &e->next;
            }
        }
    }
}

static void text_sweep(struct render *r)
{
    width_sweep(r, false);
    for (int i = 0; i < TEXT_BUCKETS; i++) {
        struct text_entry **p = &r->buckets[i];
        while (*p) {
            struct text_entry *e = *p;
            if (r->frame - e->used > TEXT_KEEP_FRAMES) {
                *p = e->next;
                text_drop(r, e);
            } else {
                p = &e->next;
            }
        }
    }
}

/* ---- shapes ---- */

/* A white quarter-disc (or quarter-ring) of the top-left corner whose
 * alpha is the pixel's coverage, 4x4 supersampled. */
static void corner_free(struct corner *c)
{
    for (int k = 0; k < 4; k++)
        SDL_DestroyTexture(c->tex[k]);
}

/* White quarter-discs (or quarter-rings) whose alpha is each pixel's
 * coverage, 4x4 supersampled, one texture per corner: a plain copy is
 * much cheaper than a flipped one in the software renderer. */
static const struct corner *corner_tex(struct render *r, int radius, int ring)
{
    for (int i = 0; i < r->ncorners; i++)
        if (r->corners[i].radius == radius && r->corners[i].ring == ring)
            return &r->corners[i];
    struct corner c = {radius, ring, {NULL, NULL, NULL, NULL}};
    double ro = radius, ri = ring > 0 ? radius - ring : -1;
    for (int k = 0; k < 4; k++) {
        SDL_Surface *s =
            SDL_CreateRGBSurfaceWithFormat(0, radius, radius, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!s)
            break;
        for (int y = 0; y < radius; y++) {
            uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
            for (int x = 0; x < radius; x++) {
                /* Coordinates in the top-left corner's frame. */
                int tx = k & 1 ? radius - 1 - x : x, ty = k & 2 ? radius - 1 - y : y;
                int in = 0;
                for (int sy = 0; sy < 4; sy++)
                    for (int sx = 0; sx < 4; sx++) {
                        double dx = radius - (tx + (sx + 0.5) / 4);
                        double dy = radius - (ty + (sy + 0.5) / 4);
                        double d = sqrt(dx * dx + dy * dy);
                        in += d <= ro && d >= ri;
                    }
                row[x] = (uint32_t)(in * 255 / 16) << 24 | 0xffffff;
            }
        }
        c.tex[k] = SDL_CreateTextureFromSurface(r->sdl, s);
        SDL_FreeSurface(s);
        if (c.tex[k])
            SDL_SetTextureBlendMode(c.tex[k], SDL_BLENDMODE_BLEND);
    }
    if (!c.tex[0] || !c.tex[1] || !c.tex[2] || !c.tex[3]) {
        corner_free(&c);
        return NULL;
    }
    int slot;
    if (r->ncorners == MAX_CORNERS) {
        corner_free(&r->corners[0]); /* full: the first one goes */
        slot = 0;
    } else {
        slot = r->ncorners++;
    }
    r->corners[slot] = c;
    return &r->corners[slot];
}

static void fill(struct render *r, int x, int y, int w, int h)
{
    if (w > 0 && h > 0)
        SDL_RenderFillRect(r->sdl, &(SDL_Rect){x, y, w, h});
}

static void draw_corners(struct render *r, const struct corner *t, struct ui_rect q, int rad,
                         struct ui_color c)
{
    SDL_Rect d[4] = {{q.x, q.y, rad, rad},
                     {q.x + q.w - rad, q.y, rad, rad},
                     {q.x, q.y + q.h - rad, rad, rad},
                     {q.x + q.w - rad, q.y + q.h - rad, rad, rad}};
    for (int k = 0; k < 4; k++) {
        SDL_SetTextureColorMod(t->tex[k], c.r, c.g, c.b);
        SDL_SetTextureAlphaMod(t->tex[k], c.a);
        SDL_RenderCopy(r->sdl, t->tex[k], NULL, &d[k]);
    }
}

static void draw_rect(struct render *r, const struct ui_cmd *c)
{
    struct ui_rect q = c->rect;
    int rad = c->radius;
    if (rad * 2 > q.w)
        rad = q.w / 2;
    if (rad * 2 > q.h)
        rad = q.h / 2;
    SDL_SetRenderDrawBlendMode(r->sdl,
                               c->color.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r->sdl, c->color.r, c->color.g, c->color.b, c->color.a);
    int b = c->border;
    const struct corner *t = rad > 0 ? corner_tex(r, rad, b) : NULL;
    if (b > 0) {
        fill(r, q.x + rad, q.y, q.w - 2 * rad, b);
        fill(r, q.x + rad, q.y + q.h - b, q.w - 2 * rad, b);
        fill(r, q.x, q.y + rad, b, q.h - 2 * rad);
        fill(r, q.x + q.w - b, q.y + rad, b, q.h - 2 * rad);
    } else {
        fill(r, q.x + rad, q.y, q.w - 2 * rad, q.h);
        fill(r, q.x, q.y + rad, rad, q.h - 2 * rad);
        fill(r, q.x + q.w - rad, q.y + rad, rad, q.h - 2 * rad);
    }
    if (t)
        draw_corners(r, t, q, rad, c->color);
}

static bool inside(struct ui_rect in, struct ui_rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

static bool overlaps(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The uniform opaque colour under the visible part of text command i,
 * or alpha 0 when the background is not one colour (a picture, another
 * text, a rounded corner, a translucent layer). Scans back to the
 * rectangle that holds it, each command taken where its clip lets it
 * draw; the clear colour when none does. Only what is visible counts, so
 * a text moved by a scroll, or cut by its list's edge, keeps the same
 * background as long as what shows under it is the same. */
static struct ui_color background_of(const struct render *r, const struct ui_cmd *cmds, size_t i,
                                     struct ui_color clear)
{
    struct ui_rect t = ui_intersect(cmds[i].rect, r->clips[i]);
    if (t.w <= 0 || t.h <= 0)
        return clear;
    while (i-- > 0) {
        const struct ui_cmd *c = &cmds[i];
        if (c->type == UI_CMD_CLIP)
            continue;
        struct ui_rect v = ui_intersect(c->rect, r->clips[i]);
        if (!overlaps(v, t))
            continue;
        if (c->type != UI_CMD_RECT || c->border > 0 || c->color.a != 255 || !inside(t, v))
            return (struct ui_color){0, 0, 0, 0};
        int rad = c->radius;
        struct ui_rect core_h = {c->rect.x + rad, c->rect.y, c->rect.w - 2 * rad, c->rect.h};
        struct ui_rect core_v = {c->rect.x, c->rect.y + rad, c->rect.w, c->rect.h - 2 * rad};
        if (rad > 0 && !inside(t, core_h) && !inside(t, core_v))
            return (struct ui_color){0, 0, 0, 0};
        return c->color;
    }
    return clear;
}

static void draw_text(struct render *r, const struct ui *ui, const struct ui_cmd *cmds, size_t i,
                      struct ui_color clear)
{
    const struct ui_cmd *c = &cmds[i];
    struct ui_color bg = background_of(r, cmds, i, clear);
    struct text_entry *e = text_get(r, ui_str(ui, c->text), c->font, c->size, c->color, bg);
    if (e && e->tex)
        SDL_RenderCopy(r->sdl, e->tex, NULL, &(SDL_Rect){c->rect.x, c->rect.y, e->w, e->h});
}

/* Text with a character past ASCII (an event, a card) goes in byte mode
 * after an ECI 26 header, which says UTF-8: without it a reader guesses
 * the charset, and some guess Shift JIS for "é". */
static QRcode *qr_encode(const char *text)
{
    size_t n = strlen(text);
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] >= 0x80)
            ascii = false;
    if (ascii)
        return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
    if (!in)
        return NULL;
    QRcode *q = NULL;
    if (QRinput_appendECIheader(in, 26) == 0 &&
        QRinput_append(in, QR_MODE_8, (int)n, (const unsigned char *)text) == 0)
        q = QRcode_encodeInput(in);
    QRinput_free(in);
    return q;
}

static SDL_Texture *qr_tex(struct render *r, const char *text)
{
    int oldest = 0;
    for (int i = 0; i < MAX_QR; i++) {
        if (r->qrs[i].text && strcmp(r->qrs[i].text, text) == 0) {
            r->qrs[i].used = r->frame;
            return r->qrs[i].tex;
        }
        if (r->qrs[i].used < r->qrs[oldest].used)
            oldest = i;
    }
    QRcode *q = qr_encode(text);
    if (!q)
        return NULL;
    int quiet = 2, n = q->width + 2 * quiet;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, n, n, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Texture *t = NULL;
    if (s) {
        for (int y = 0; y < n; y++) {
            uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
            for (int x = 0; x < n; x++) {
                int mx = x - quiet, my = y - quiet;
                bool dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
                            (q->data[my * q->width + mx] & 1);
                row[x] = dark ? 0xff000000 : 0xffffffff;
            }
        }
        t = SDL_CreateTextureFromSurface(r->sdl, s);
        if (t)
            SDL_SetTextureScaleMode(t, SDL_ScaleModeNearest);
        SDL_FreeSurface(s);
    }
    QRcode_free(q);
    SDL_DestroyTexture(r->qrs[oldest].tex);
    free(r->qrs[oldest].text);
    r->qrs[oldest] = (struct qr){xstrdup(text), t, r->frame};
    return t;
}

static void draw_qr(struct render *r, const struct ui *ui, const struct ui_cmd *c)
{
    SDL_Texture *t = qr_tex(r, ui_str(ui, c->text));
    if (!t)
        return;
    int tw = 0;
    SDL_QueryTexture(t, NULL, NULL, &tw, NULL);
    /* Whole pixels per module keep the code sharp and readable. */
    int side = c->rect.w < c->rect.h ? c->rect.w : c->rect.h;
    int scale = tw > 0 ? side / tw : 1;
    if (scale < 1)
        scale = 1;
    int s = tw * scale;
    SDL_RenderCopy(
        r->sdl, t, NULL,
        &(SDL_Rect){c->rect.x + (c->rect.w - s) / 2, c->rect.y + (c->rect.h - s) / 2, s, s});
}

/* A picture not (or no longer) in the cache draws nothing: the screen
 * drew its placeholder under it. */
static void draw_image(struct render *r, const struct ui *ui, const struct ui_cmd *c)
{
    int w = 0, h = 0;
    SDL_Texture *t = pictures_texture(r->pictures, ui_str(ui, c->text), &w, &h);
    if (!t)
        return;
    if (w > c->rect.w)
        w = c->rect.w;
    if (h > c->rect.h)
        h = c->rect.h;
    SDL_RenderCopy(
        r->sdl, t, &(SDL_Rect){0, 0, w, h},
        &(SDL_Rect){c->rect.x + (c->rect.w - w) / 2, c->rect.y + (c->rect.h - h) / 2, w, h});
}

static void set_clip(struct render *r, struct ui_rect c)
{
    SDL_RenderSetClipRect(r->sdl, &(SDL_Rect){c.x, c.y, c.w > 0 ? c.w : 0, c.h > 0 ? c.h : 0});
}

/* The software renderer draws straight into the window's surface, whose
 * pixels can be moved in place; NULL for any other target. */
static SDL_Surface *target_surface(struct render *r)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r->sdl, &info) != 0 || strcmp(info.name, "software") != 0 ||
        SDL_GetRenderTarget(r->sdl) != NULL)
        return NULL;
    SDL_Window *win = SDL_RenderGetWindow(r->sdl);
    SDL_Surface *s = win ? SDL_GetWindowSurface(win) : NULL;
    int w = 0, h = 0;
    if (!s || SDL_GetRendererOutputSize(r->sdl, &w, &h) != 0 || s->w != w || s->h != h)
        return NULL;
    return s;
}

bool render_can_scroll(struct render *r)
{
    return target_surface(r) != NULL;
}

/* Moves the pixels of area up by dy rows (down when negative), row by
 * row in the order that reads each row before it is overwritten. */
static bool scroll_pixels(struct render *r, struct ui_rect area, int dy)
{
    SDL_Surface *s = target_surface(r);
    if (!s)
        return false;
    area = ui_intersect(area, (struct ui_rect){0, 0, s->w, s->h});
    int rows = area.h - abs(dy);
    if (rows <= 0 || area.w <= 0)
        return true; /* nothing to keep: the damage covers it all */
    SDL_RenderFlush(r->sdl);
    if (SDL_MUSTLOCK(s) && SDL_LockSurface(s) != 0)
        return false;
    int bpp = s->format->BytesPerPixel, pitch = s->pitch;
    uint8_t *base = (uint8_t *)s->pixels + (size_t)area.x * (size_t)bpp;
    size_t len = (size_t)area.w * (size_t)bpp;
    if (dy > 0) {
        for (int y = area.y; y < area.y + rows; y++)
            memcpy(base + (size_t)y * (size_t)pitch, base + (size_t)(y + dy) * (size_t)pitch, len);
    } else {
        for (int y = area.y + area.h; y-- > area.y - dy;)
            memcpy(base + (size_t)y * (size_t)pitch, base + (size_t)(y + dy) * (size_t)pitch, len);
    }
    if (SDL_MUSTLOCK(s))
        SDL_UnlockSurface(s);
    return true;
}

/* Every command again over a clear of bg, inside d only. */
static void replay(struct render *r, const struct ui *ui, struct ui_color bg, struct ui_rect full,
                   struct ui_rect d)
{
    set_clip(r, d);
    SDL_SetRenderDrawBlendMode(r->sdl, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r->sdl, bg.r, bg.g, bg.b, 255);
    SDL_RenderFillRect(r->sdl, &(SDL_Rect){d.x, d.y, d.w, d.h});
    size_t n;
    const struct ui_cmd *cmds = ui_commands(ui, &n);
    for (size_t i = 0; i < n; i++) {
        const struct ui_cmd *c = &cmds[i];
        if (c->type == UI_CMD_CLIP) {
            set_clip(r, ui_intersect(c->rect.w > 0 ? c->rect : full, d));
            continue;
        }
        if (!overlaps(c->rect, d))
            continue; /* outside what changed: the target holds it */
        switch (c->type) {
        case UI_CMD_RECT:
            draw_rect(r, c);
            break;
        case UI_CMD_TEXT:
            draw_text(r, ui, cmds, i, bg);
            break;
        case UI_CMD_QR:
            draw_qr(r, ui, c);
            break;
        case UI_CMD_IMAGE:
            draw_image(r, ui, c);
            break;
        case UI_CMD_CLIP:
            break;
        }
    }
}

void render_frame(struct render *r, const struct ui *ui, struct ui_color bg,
                  const struct ui_damage *damage)
{
    r->frame++;
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(r->sdl, &w, &h);
    struct ui_rect full = {0, 0, w, h};
    /* A new clear colour shows everywhere the commands do not cover. */
    if (damage && memcmp(&bg, &r->last_bg, sizeof bg) != 0)
        damage = NULL;
    if (damage && damage->scroll && !scroll_pixels(r, damage->scroll_area, damage->scroll_dy))
        damage = NULL;
    r->last_bg = bg;
    size_t n;
    const struct ui_cmd *cmds = ui_commands(ui, &n);
    if (n > r->capclips) {
        r->capclips = n * 2;
        r->clips = xrealloc(r->clips, r->capclips * sizeof *r->clips);
    }
    struct ui_rect clip = full;
    for (size_t i = 0; i < n; i++) {
        if (cmds[i].type == UI_CMD_CLIP)
            clip = ui_intersect(cmds[i].rect.w > 0 ? cmds[i].rect : full, full);
        r->clips[i] = clip;
    }
    if (!damage) {
        replay(r, ui, bg, full, full);
    } else {
        for (int k = 0; k < damage->n; k++) {
            struct ui_rect d = ui_intersect(damage->rects[k], full);
            if (d.w > 0 && d.h > 0)
                replay(r, ui, bg, full, d);
        }
    }
    SDL_RenderSetClipRect(r->sdl, NULL);
    if (r->frame % 60 == 0)
        text_sweep(r);
}

enum err render_screenshot(struct render *r, const char *path, char *errbuf, size_t errlen)
{
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(r->sdl, &w, &h) != 0 || w <= 0 || h <= 0) {
        snprintf(errbuf, errlen, "cannot read the screen size: %s", SDL_GetError());
        return ERR_IO;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        snprintf(errbuf, errlen, "cannot make a surface: %s", SDL_GetError());
        return ERR_IO;
    }
    enum err rc = ERR_OK;
    if (SDL_RenderReadPixels(r->sdl, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0) {
        snprintf(errbuf, errlen, "cannot read pixels: %s", SDL_GetError());
        rc = ERR_IO;
    } else if (IMG_SavePNG(s, path) != 0) {
        snprintf(errbuf, errlen, "cannot write '%s': %s", path, IMG_GetError());
        rc = ERR_IO;
    }
    SDL_FreeSurface(s);
    return rc;
}

void render_set_pictures(struct render *r, struct pictures *p)
{
    r->pictures = p;
}

void render_stats(const struct render *r, struct render_stats *out)
{
    out->rasterised = r->rasterised;
    out->cached = r->cached;
}
