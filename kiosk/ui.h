/* ui: the kiosk's immediate-mode core (after rxi's microui).
 *
 * Screens call widget functions every frame; the core never touches SDL.
 * It turns those calls into a list of draw commands (rectangles, text,
 * QR codes) that render.c replays, and records every visible element
 * (label, role, rectangle) so that the script runner can dump the screen
 * and tap an element by its label, as a person would.
 *
 * Input comes as pointer events (ui_pointer_*) and text (ui_text_input).
 * A press that moves more than UI_DRAG_SLOP pixels becomes a drag that
 * scrolls the scroll region under it (with inertia after release);
 * otherwise its release is a tap, given to the topmost clickable element
 * of the previous frame under the pointer. Widgets are identified by a
 * hash of their label and the id stack (ui_push_id), so a list of cards
 * with the same button text still gives each button its own id.
 *
 * Start reading at ui_begin() / ui_end(), then ui_button(). */
#ifndef SCEAUX_KIOSK_UI_H
#define SCEAUX_KIOSK_UI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_DRAG_SLOP 14 /* pixels a press may wander and still be a tap */

struct ui_rect {
    int x, y, w, h;
};

struct ui_color {
    uint8_t r, g, b, a;
};

enum ui_font { UI_FONT_REGULAR, UI_FONT_BOLD, UI_FONT_ICON, UI_FONT_COUNT };

enum ui_cmd_type {
    UI_CMD_RECT,  /* filled, or an outline when border > 0; rounded by radius */
    UI_CMD_TEXT,  /* one line of text, its top-left at rect.x, rect.y */
    UI_CMD_QR,    /* a QR code of the text, fitted in rect (a square) */
    UI_CMD_CLIP,  /* clip the following commands to rect (w = 0: no clip) */
    UI_CMD_IMAGE, /* the picture whose key (picture.h) is the text, in rect */
};

struct ui_cmd {
    enum ui_cmd_type type;
    struct ui_rect rect;
    struct ui_color color;
    int radius;
    int border;
    enum ui_font font;
    int size;    /* pixel size of the font */
    size_t text; /* offset of the NUL-terminated text in the frame's arena */
};

/* An element as a person sees it: label (its text), role, rectangle
 * (clipped to what is visible) and, for text, whether it fits its box. */
struct ui_element {
    size_t label; /* offset in the frame's arena */
    const char *role;
    struct ui_rect rect;
    uint32_t id;
    bool clickable;
    int text_w; /* measured width of the label as drawn, 0 if not text */
    int box_w;  /* width it had to fit in */
    int box_h;  /* its whole height, scrolled out of view or not */
};

/* Width in pixels of text[0..len) in font at size; must not rasterise.
 * line_height gives the height of a line. Borrowed context. */
struct ui_text_metrics {
    int (*width)(void *ctx, enum ui_font font, int size, const char *text, size_t len);
    int (*line_height)(void *ctx, enum ui_font font, int size);
    void *ctx;
};

struct ui;

/* Lifecycle. The metrics are copied. */
struct ui *ui_new(const struct ui_text_metrics *m);
void ui_free(struct ui *ui);

/* Input, between frames. Times in milliseconds from any origin. */
void ui_pointer_down(struct ui *ui, int x, int y, uint64_t ms);
void ui_pointer_move(struct ui *ui, int x, int y, uint64_t ms);
void ui_pointer_up(struct ui *ui, int x, int y, uint64_t ms);
/* True while a finger is down (between ui_pointer_down and _up). */
bool ui_held(const struct ui *ui);
/* UTF-8 typed text for the focused field; backspace and enter as keys. */
void ui_text_input(struct ui *ui, const char *utf8);
enum ui_key { UI_KEY_BACKSPACE, UI_KEY_ENTER };
void ui_key(struct ui *ui, enum ui_key key);

/* A frame. ui_end returns true when another frame is needed: something
 * animates (inertia), or input was consumed this frame (its effect shows
 * completely only in the next frame). */
void ui_begin(struct ui *ui, int width, int height, uint64_t ms);
bool ui_end(struct ui *ui);

/* The frame's output, valid until the next ui_begin. */
const struct ui_cmd *ui_commands(const struct ui *ui, size_t *n);
const struct ui_element *ui_elements(const struct ui *ui, size_t *n);
const char *ui_str(const struct ui *ui, size_t offset);
/* True when this frame's output differs from the previous frame's. */
bool ui_changed(const struct ui *ui);
/* What a renderer that keeps the previous frame must do to show this one:
 * when scroll is set, first move the pixels of scroll_area up by
 * scroll_dy (down when negative): the new pixel at (x, y) is the old one
 * at (x, y + scroll_dy), for the rows of scroll_area that have one; then
 * redraw everything inside rects[0..n). A list scrolling by a few pixels
 * is then a copy and a strip, not the whole list drawn again. */
#define UI_DAMAGE_RECTS 16
struct ui_damage {
    bool scroll;
    struct ui_rect scroll_area;
    int scroll_dy;
    struct ui_rect rects[UI_DAMAGE_RECTS];
    int n;
};
/* The plan from the previous frame to this one; can_scroll says whether
 * the renderer can move pixels. False when nothing differs. */
bool ui_damage_plan(const struct ui *ui, bool can_scroll, struct ui_damage *out);

/* Ids. */
uint32_t ui_hash(const char *s, uint32_t seed);
void ui_push_id(struct ui *ui, const char *s);
void ui_pop_id(struct ui *ui);
uint32_t ui_id(const struct ui *ui, const char *label);

/* Rect helpers (pure). cut_* remove a strip from r and return it. */
struct ui_rect ui_cut_top(struct ui_rect *r, int h);
struct ui_rect ui_cut_bottom(struct ui_rect *r, int h);
struct ui_rect ui_cut_left(struct ui_rect *r, int w);
struct ui_rect ui_cut_right(struct ui_rect *r, int w);
struct ui_rect ui_inset(struct ui_rect r, int d);
struct ui_rect ui_intersect(struct ui_rect a, struct ui_rect b);
bool ui_contains(struct ui_rect r, int x, int y);

/* ---- layout (after microui's mu_layout_row) ----
 * A cursor that places a screen's parts in rows down body: a row of items
 * (ui_layout_row: their widths, 0 for a share of what the others leave,
 * and the row's height; ui_layout_next hands out each item's rectangle,
 * starting the row again when they are used up), a whole-width block, or
 * items that flow onto the next line when they do not fit (chips, filter
 * buttons). Rows are gap apart unless ui_layout_space says otherwise.
 * ui_layout_height says how high what was placed is, so one function
 * that places a part with the cursor gives its height (measured, see
 * below) and draws it from the same arithmetic. */
#define UI_LAYOUT_ITEMS 16
struct ui_layout {
    struct ui_rect body; /* x and w: the rows' extent; y: their top */
    int gap;
    int x, y, row_h;                /* the next item's place; the current row's height */
    int widths[UI_LAYOUT_ITEMS], h; /* the current row's items */
    int items, item;
    int bottom; /* the lowest edge so far */
};
void ui_layout_begin(struct ui_layout *l, struct ui_rect body, int gap);
void ui_layout_row(struct ui_layout *l, int items, const int *widths, int h);
struct ui_rect ui_layout_next(struct ui_layout *l);
/* A row of one item as wide as body. */
struct ui_rect ui_layout_block(struct ui_layout *l, int h);
/* An item w wide beside the one before, or at the start of a new line
 * when it would pass the right edge. */
struct ui_rect ui_layout_flow(struct ui_layout *l, int w, int h);
/* The item just placed is h high after all (a tile whose words wrap,
 * placed in a row of height 0): its row and the lowest edge grow to it. */
void ui_layout_grow(struct ui_layout *l, int h);
/* The next row starts h under the lowest edge so far (instead of gap). */
void ui_layout_space(struct ui_layout *l, int h);
/* Height from body.y to the lowest edge placed (or space added). */
int ui_layout_height(const struct ui_layout *l);
/* Where the next row would start. */
int ui_layout_top(const struct ui_layout *l);
/* A paragraph (ui_paragraph) across body as the next row; its height. */
int ui_layout_text(struct ui *ui, struct ui_layout *l, const char *text, enum ui_font f, int size,
                   struct ui_color c, int max_lines);

/* Measuring: between ui_measure_begin and ui_measure_end (they nest),
 * widgets draw and record nothing, and take no tap or typed text: the
 * code that draws a part runs once to learn its height (a card's, drawn
 * before its content), then again to draw it. */
void ui_measure_begin(struct ui *ui);
void ui_measure_end(struct ui *ui);
bool ui_measuring(const struct ui *ui);

/* Drawing. */
void ui_draw_rect(struct ui *ui, struct ui_rect r, struct ui_color c, int radius);
void ui_draw_border(struct ui *ui, struct ui_rect r, struct ui_color c, int radius, int width);
/* One line at (x, y); returns its width. Not recorded as an element. */
int ui_draw_text(struct ui *ui, int x, int y, const char *text, enum ui_font f, int size,
                 struct ui_color c);
void ui_draw_qr(struct ui *ui, struct ui_rect r, const char *text, const char *label);
/* A picture by its key (the renderer finds its texture), in r: drawn
 * over what is under it, centred when smaller. Not recorded. */
void ui_draw_image(struct ui *ui, struct ui_rect r, const char *key);

/* Text measurement. */
int ui_text_width(struct ui *ui, enum ui_font f, int size, const char *text);
int ui_line_height(struct ui *ui, enum ui_font f, int size);

/* Lines of text wrapped into width: calls line(ctx, start, len, cut) per
 * line (when line is not NULL) and returns the number of lines. Breaks at
 * ASCII spaces and newlines, never where French typography keeps words
 * together (a no-break space, "8 h", "froid :": text.h); a word wider than
 * width is cut by characters, but an email or a URL is not cut: it comes
 * whole as a line of its own with cut set, to be shortened with an
 * ellipsis. */
int ui_wrap(struct ui *ui, enum ui_font f, int size, const char *text, int width,
            void (*line)(void *ctx, const char *start, size_t len, bool cut), void *ctx);

/* Text elements, recorded with role "text". ui_label draws one line,
 * shortened with an ellipsis when it does not fit (the element keeps the
 * whole text as label). ui_paragraph wraps into r.w, at most max_lines
 * (0 = no limit), and returns the height used. */
enum ui_align { UI_LEFT, UI_CENTER, UI_RIGHT };
void ui_label(struct ui *ui, struct ui_rect r, const char *text, enum ui_font f, int size,
              struct ui_color c, enum ui_align align);
int ui_paragraph(struct ui *ui, struct ui_rect r, const char *text, enum ui_font f, int size,
                 struct ui_color c, int max_lines);

/* Records an element without drawing (for composite widgets). */
void ui_record(struct ui *ui, const char *label, const char *role, struct ui_rect r, uint32_t id,
               bool clickable, int text_w);

/* Interaction, by id. A tap is true for one frame; pressed while the
 * pointer is held on the element and not dragging. */
bool ui_tapped(struct ui *ui, uint32_t id);
bool ui_pressed(const struct ui *ui, uint32_t id);
/* Declares a clickable area (recorded with role and label) and returns
 * whether it was tapped this frame. */
bool ui_hit(struct ui *ui, struct ui_rect r, const char *label, const char *role);

/* Clipping stack (nested clips intersect). */
void ui_clip_push(struct ui *ui, struct ui_rect r);
void ui_clip_pop(struct ui *ui);

/* Scroll regions: between begin and end, draw content at y offset by the
 * returned value (content starts at r.y - offset). end takes the content
 * height so the offset stays in range. One region per label per frame. */
int ui_scroll_begin(struct ui *ui, const char *label, struct ui_rect r);
void ui_scroll_end(struct ui *ui, int content_h);
/* Resets a region's offset (for example when a filter changes). */
void ui_scroll_reset(struct ui *ui, const char *label);
/* Sets a region's offset (kept in range): a form brings its field into
 * view. */
void ui_scroll_to(struct ui *ui, const char *label, int offset);
/* Every region back to its top (a new visitor). */
void ui_scroll_reset_all(struct ui *ui);
/* Whether a region is away from its top: a visitor left it scrolled. */
bool ui_scrolled_any(const struct ui *ui);

/* Text input focus: the id of the focused field (0: none) and the text
 * typed since the last frame, which the focused field consumes. */
void ui_focus(struct ui *ui, uint32_t id);
uint32_t ui_focused(const struct ui *ui);
/* Applies pending typed text and keys to buf (cap bytes including NUL,
 * max_chars code points) when id has focus. Returns true if it changed;
 * *enter is set when enter was pressed. */
bool ui_edit(struct ui *ui, uint32_t id, char *buf, size_t cap, int max_chars, bool *enter);

/* Count of UTF-8 code points in s. */
int ui_utf8_len(const char *s);

#endif
