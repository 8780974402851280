/* widget: buttons, chips, cards, lists of cards, pictures, titles and
 * dialogs in the theme's look (fields, keyboard and forms are
 * widget_input.c's). Pressed states come from ui_pressed(); every widget records
 * what it shows so that tests can find it by its words. */
#include "widget.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "ical.h"
#include "picture.h"
#include "tables.h"

void w_icon_utf8(unsigned cp, char out[5])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        out[1] = '\0';
    } else if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        out[2] = '\0';
    } else if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        out[3] = '\0';
    } else {
        out[0] = (char)(0xf0 | cp >> 18);
        out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        out[4] = '\0';
    }
}

int w_icon(struct look *k, int x, int y, unsigned cp, int size, struct ui_color c)
{
    char s[5];
    w_icon_utf8(cp, s);
    return ui_draw_text(k->ui, x, y, s, UI_FONT_ICON, size, c);
}

static int icon_width(struct look *k, unsigned cp, int size)
{
    char s[5];
    w_icon_utf8(cp, s);
    return ui_text_width(k->ui, UI_FONT_ICON, size, s);
}

/* ---- buttons ---- */

static int content_width(struct look *k, const char *label, unsigned icon, int ts, int is)
{
    int w = ui_text_width(k->ui, UI_FONT_BOLD, ts, label);
    if (icon)
        w += icon_width(k, icon, is) + look_sz(k, 12);
    return w;
}

int w_button_width(struct look *k, const char *label, unsigned icon)
{
    int w = content_width(k, label, icon, look_ts(k, TS_BODY), look_ts(k, TS_ICON)) +
            2 * look_sz(k, SZ_PAD);
    return w < look_touch_min(k) ? look_touch_min(k) : w;
}

int w_button_min_width(struct look *k, const char *label, unsigned icon)
{
    return content_width(k, label, icon, look_ts(k, TS_BODY), look_ts(k, TS_ICON)) +
           2 * look_sz(k, 12);
}

bool w_button(struct look *k, struct ui_rect r, const char *label, unsigned icon,
              enum w_style style)
{
    const struct theme_palette *p = k->pal;
    uint32_t id = ui_id(k->ui, label);
    bool down = ui_pressed(k->ui, id);
    struct ui_color bg = p->surface, fg = p->primary;
    switch (style) {
    case W_PRIMARY:
        bg = down ? p->pressed : p->primary;
        fg = p->on_primary;
        break;
    case W_SECONDARY:
        bg = down ? p->sunken : p->surface;
        break;
    case W_QUIET:
        bg = down ? p->sunken : (struct ui_color){0, 0, 0, 0};
        fg = p->primary;
        break;
    case W_SELECTED:
        bg = down ? p->sunken : p->accent_bg;
        fg = p->accent;
        break;
    }
    int rad = look_sz(k, 14);
    ui_draw_rect(k->ui, r, bg, rad);
    if (style == W_SECONDARY)
        ui_draw_border(k->ui, r, p->primary, rad, look_sz(k, 3) > 1 ? look_sz(k, 3) : 2);
    int ts = look_ts(k, TS_BODY), is = look_ts(k, TS_ICON);
    int margin = 2 * look_sz(k, 12);
    int cw = content_width(k, label, icon, ts, is);
    if (icon && cw + margin > r.w) {
        /* Too narrow for both: the words stay, the icon goes. */
        icon = 0;
        cw = content_width(k, label, 0, ts, is);
    }
    int x = r.x + (r.w - cw) / 2;
    if (icon) {
        int ih = ui_line_height(k->ui, UI_FONT_ICON, is);
        x += w_icon(k, x, r.y + (r.h - ih) / 2, icon, is, fg) + look_sz(k, 12);
    }
    int lh = ui_line_height(k->ui, UI_FONT_BOLD, ts);
    ui_draw_text(k->ui, x, r.y + (r.h - lh) / 2, label, UI_FONT_BOLD, ts, fg);
    ui_record(k->ui, label, "button", r, id, true, cw + margin);
    return ui_tapped(k->ui, id);
}

int w_chip_width(struct look *k, const char *label)
{
    int w = ui_text_width(k->ui, UI_FONT_BOLD, look_ts(k, TS_SMALL), label) + look_sz(k, 40) +
            look_sz(k, 22);
    return w < look_touch_min(k) ? look_touch_min(k) : w;
}

bool w_chip(struct look *k, struct ui_rect r, const char *label, struct ui_color dot, bool selected)
{
    const struct theme_palette *p = k->pal;
    uint32_t id = ui_id(k->ui, label);
    bool down = ui_pressed(k->ui, id);
    struct ui_color bg = selected ? p->primary : down ? p->line : p->surface;
    struct ui_color fg = selected ? p->on_primary : p->text;
    ui_draw_rect(k->ui, r, bg, r.h / 2);
    if (!selected)
        ui_draw_border(k->ui, r, p->line, r.h / 2, 2);
    int ts = look_ts(k, TS_SMALL);
    int x = r.x + look_sz(k, 20);
    int d = look_sz(k, 16);
    if (dot.a) {
        struct ui_rect dr = {x, r.y + (r.h - d) / 2, d, d};
        ui_draw_rect(k->ui, dr, selected ? p->on_primary : dot, d / 2);
        x += d + look_sz(k, 10);
    }
    int lh = ui_line_height(k->ui, UI_FONT_BOLD, ts);
    int tw = ui_draw_text(k->ui, x, r.y + (r.h - lh) / 2, label, UI_FONT_BOLD, ts, fg);
    ui_record(k->ui, label, "chip", r, id, true, x - r.x + tw + look_sz(k, 16));
    return ui_tapped(k->ui, id);
}

/* The chips placed with the cursor l, one after the other, wrapping; a
 * tap selects i into *sel and resets the scroll area scroll. */
static bool chips(struct look *k, struct ui_layout *l, const char *const *labels,
                  const struct ui_color *dots, int n, int *sel, const char *scroll)
{
    int h = look_touch(k, SZ_TOUCH);
    bool tapped = false;
    for (int i = 0; i < n; i++) {
        struct ui_color dot = dots ? dots[i] : (struct ui_color){0, 0, 0, 0};
        int w = w_chip_width(k, labels[i]) + (dot.a ? look_sz(k, 26) : 0);
        if (w_chip(k, ui_layout_flow(l, w, h), labels[i], dot, sel && *sel == i)) {
            *sel = i;
            ui_scroll_reset(k->ui, scroll);
            tapped = true;
        }
    }
    return tapped;
}

int w_chip_row_height(struct look *k, int w, const char *const *labels, const struct ui_color *dots,
                      int n)
{
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){0, 0, w, 0}, look_sz(k, 12));
    ui_measure_begin(k->ui);
    chips(k, &l, labels, dots, n, NULL, NULL);
    ui_measure_end(k->ui);
    return ui_layout_height(&l);
}

bool w_chip_row(struct look *k, struct ui_rect *r, const char *const *labels,
                const struct ui_color *dots, int n, int *sel, const char *scroll)
{
    struct ui_layout l;
    ui_layout_begin(&l, *r, look_sz(k, 12));
    bool tapped = chips(k, &l, labels, dots, n, sel, scroll);
    ui_cut_top(r, ui_layout_height(&l));
    return tapped;
}

/* ---- filters ---- */

void w_filter_values(struct look *k, struct w_filter *f, const char *name, int *sel, enum str all,
                     const char *const *values, const char *(*display)(enum lang, const char *))
{
    memset(f, 0, sizeof *f);
    f->name = name;
    f->sel = sel;
    f->labels[f->n++] = i18n_str(k->lang, all);
    for (int i = 0; values[i] && f->n < W_CHOICES_MAX; i++)
        f->labels[f->n++] = display(k->lang, values[i]);
}

void w_filter_domains_as(struct look *k, struct w_filter *f, int *sel, enum str name, enum str all)
{
    w_filter_values(k, f, i18n_str(k->lang, name), sel, all, tables_domains, i18n_domain);
    for (int i = 1; i < f->n; i++)
        f->dots[i] = screen_domain_color(tables_domains[i - 1]);
}

void w_filter_domains(struct look *k, struct w_filter *f, int *sel)
{
    w_filter_domains_as(k, f, sel, S_DOMAIN, S_ALL);
}

const char *w_filter_value(const struct w_filter *f, const char *const *values)
{
    return *f->sel > 0 && *f->sel < f->n ? values[*f->sel - 1] : NULL;
}

void w_filter_buttons(struct look *k, struct ui_rect *r, const struct w_filter *f, int n,
                      int *choosing)
{
    struct ui_layout l;
    ui_layout_begin(&l, *r, look_sz(k, 12));
    for (int i = 0; i < n; i++) {
        char label[160];
        i18n_pair(k->lang, f[i].name, f[i].labels[*f[i].sel], label, sizeof label);
        struct ui_rect b =
            ui_layout_flow(&l, w_button_width(k, label, ICON_DOWN), look_touch(k, SZ_TOUCH));
        bool on = *f[i].sel || *choosing == i + 1;
        if (w_button(k, b, label, ICON_DOWN, on ? W_PRIMARY : W_SECONDARY)) {
            *choosing = *choosing == i + 1 ? 0 : i + 1;
        }
    }
    ui_cut_top(r, ui_layout_height(&l));
}

void w_filter_chooser(struct look *k, struct ui_rect r, const struct w_filter *f, int *choosing,
                      const char *scroll)
{
    const struct w_filter *c = &f[*choosing - 1];
    int pick = *c->sel;
    w_chip_row(k, &r, c->labels, c->dots, c->n, &pick, scroll);
    if (pick != *c->sel) {
        *c->sel = pick;
        *choosing = 0;
    }
}

void w_filter_summary(const struct w_filter *f, int n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (*f[i].sel <= 0 || *f[i].sel >= f[i].n || len >= cap)
            continue;
        int w = snprintf(out + len, cap - len, "%s%s", len ? " · " : "", f[i].labels[*f[i].sel]);
        len += w > 0 ? (size_t)w : 0;
    }
}

int w_tag_height(struct look *k)
{
    return ui_line_height(k->ui, UI_FONT_BOLD, look_ts(k, TS_SMALL)) + look_sz(k, 8);
}

int w_tag(struct look *k, int x, int y, const char *text, struct ui_color bg, struct ui_color fg)
{
    int ts = look_ts(k, TS_SMALL);
    int pad = look_sz(k, 14);
    int tw = ui_text_width(k->ui, UI_FONT_BOLD, ts, text);
    struct ui_rect r = {x, y, tw + 2 * pad, w_tag_height(k)};
    ui_draw_rect(k->ui, r, bg, look_sz(k, 10));
    ui_draw_text(k->ui, x + pad, y + look_sz(k, 4), text, UI_FONT_BOLD, ts, fg);
    ui_record(k->ui, text, "tag", r, 0, false, tw + 2 * pad);
    return r.w;
}

/* ---- cards ---- */

void w_card(struct look *k, struct ui_rect r)
{
    int rad = look_sz(k, SZ_RADIUS);
    /* The shadow is only the strip that shows below the card: filling it
     * whole under the card would draw every card twice. */
    int off = look_sz(k, 4);
    if (r.h > 2 * rad + off)
        ui_draw_rect(k->ui, (struct ui_rect){r.x, r.y + r.h + off - 2 * rad, r.w, 2 * rad},
                     k->pal->shadow, rad);
    ui_draw_rect(k->ui, r, k->pal->surface, rad);
    if (k->contrast)
        ui_draw_border(k->ui, r, k->pal->line, rad, 2);
}

bool w_card_button(struct look *k, struct ui_rect r, const char *label)
{
    uint32_t id = ui_id(k->ui, label);
    int rad = look_sz(k, SZ_RADIUS);
    w_card(k, r);
    if (ui_pressed(k->ui, id))
        ui_draw_rect(k->ui, r, k->pal->sunken, rad);
    ui_record(k->ui, label, "card", r, id, true, 0);
    return ui_tapped(k->ui, id);
}

/* ---- pictures ---- */

void w_picture(struct look *k, struct ui_rect r, const struct w_pic *pic)
{
    /* A measuring pass asks for no picture: it would decode off-screen
     * cards' pictures. */
    if (r.w <= 0 || r.h <= 0 || ui_measuring(k->ui))
        return;
    enum picture_state st = pictures_want(k->pictures, pic->sha, r.w, r.h, pic->whole);
    bool ready = st == PICTURE_READY;
    /* A whole picture may leave bands, in a quiet colour. */
    if (ready && pic->whole)
        ui_draw_rect(k->ui, r, k->pal->sunken, 0);
    else if (!ready)
        ui_draw_rect(k->ui, r, k->contrast ? k->pal->primary : pic->bg, 0);
    if (ready) {
        char key[PICTURE_KEY_MAX];
        picture_key(pic->sha, r.w, r.h, pic->whole, key);
        ui_draw_image(k->ui, r, key);
    } else {
        int side = r.w < r.h ? r.w : r.h;
        int is = side * 2 / 5;
        char ic[5];
        w_icon_utf8(pic->icon, ic);
        int iw = ui_text_width(k->ui, UI_FONT_ICON, is, ic);
        int ih = ui_line_height(k->ui, UI_FONT_ICON, is);
        ui_draw_text(k->ui, r.x + (r.w - iw) / 2, r.y + (r.h - ih) / 2, ic, UI_FONT_ICON, is,
                     k->contrast ? k->pal->on_primary : (struct ui_color){255, 255, 255, 255});
    }
    /* The alternative text is what a screen reader, and a test, reads. */
    const char *alt = pic->sha && pic->sha[0] ? pic->alt : "";
    ui_record(k->ui, alt, ready ? "picture" : "placeholder", r, 0, false, 0);
}

void w_card_picture(struct look *k, struct ui_rect *in, const struct w_pic *pic)
{
    int pw = in->h * 4 / 3;
    if (pw > in->w * 2 / 5)
        pw = in->w * 2 / 5;
    if (in->w - pw < look_ts(k, 300))
        return; /* the words first, as wide as their size wants */
    w_picture(k, ui_cut_right(in, pw), pic);
    ui_cut_right(in, look_sz(k, 20));
}

/* ---- lists of cards ---- */

int w_card_words(struct look *k, struct ui_rect in, const struct w_card_words *c,
                 struct w_card_parts *parts)
{
    const struct theme_palette *p = k->pal;
    int lead = look_ts(k, TS_LEAD), body = look_ts(k, TS_BODY);
    int tl = ui_line_height(k->ui, UI_FONT_BOLD, lead);
    int bl = ui_line_height(k->ui, UI_FONT_REGULAR, body);
    int fl = c->foot ? ui_line_height(k->ui, UI_FONT_REGULAR, look_ts(k, TS_SMALL)) : 0;
    int fgap = c->foot ? look_sz(k, 12) : 0, tgap = look_sz(k, 6);
    struct ui_layout l;
    ui_layout_begin(&l, in, 0);
    struct ui_rect tags = ui_layout_block(&l, w_tag_height(k));
    ui_layout_space(&l, look_sz(k, c->under_tags));
    struct ui_rect words =
        ui_layout_block(&l, c->title_lines * tl + tgap + c->text_lines * bl + fgap + fl);
    w_card_picture(k, &words, &c->pic);
    struct ui_rect foot = ui_cut_bottom(&words, fl);
    ui_cut_bottom(&words, fgap);
    /* A title of one line is cut where it stops fitting; a longer one
     * wraps, and a short title leaves its lines to the text. */
    int used = tl;
    if (c->title_lines == 1)
        ui_label(k->ui, (struct ui_rect){words.x, words.y, words.w, tl}, c->title, UI_FONT_BOLD,
                 lead, p->text, UI_LEFT);
    else
        used = ui_paragraph(k->ui, (struct ui_rect){words.x, words.y, words.w, 0}, c->title,
                            UI_FONT_BOLD, lead, p->text, c->title_lines);
    ui_cut_top(&words, used + tgap);
    if (words.h >= bl)
        ui_paragraph(k->ui, (struct ui_rect){words.x, words.y, words.w, 0}, c->text,
                     UI_FONT_REGULAR, body, p->muted, words.h / bl);
    if (parts) {
        parts->tags = tags;
        parts->foot = foot;
    }
    return ui_layout_height(&l);
}

int w_card_words_height(struct look *k, const struct w_card_words *shape)
{
    struct w_card_words c = *shape;
    c.title = c.text = "";
    ui_measure_begin(k->ui);
    int h = w_card_words(k, (struct ui_rect){0, 0, 0, 0}, &c, NULL);
    ui_measure_end(k->ui);
    return h;
}

/* A column holds words: it widens with them (larger text, a small
 * display where text keeps a least size). */
static int grid_columns(struct look *k, const struct w_grid *g, int w)
{
    int gap = look_sz(k, SZ_GAP), cols = (w + gap) / (look_ts(k, g->card_w) + gap);
    if (g->max_cols && cols > g->max_cols)
        cols = g->max_cols;
    return cols < 1 ? 1 : cols > UI_LAYOUT_ITEMS ? UI_LAYOUT_ITEMS : cols;
}

int w_grid_width(struct look *k, const struct w_grid *g, int w)
{
    int cols = grid_columns(k, g, w);
    return (w - (cols - 1) * look_sz(k, SZ_GAP)) / cols;
}

void w_grid_begin(struct look *k, struct w_grid *g, const char *scroll, struct ui_rect r)
{
    int gap = look_sz(k, SZ_GAP), cols = grid_columns(k, g, r.w);
    g->k = k;
    g->r = r;
    g->cols = cols;
    g->top = r.y - ui_scroll_begin(k->ui, scroll, r);
    /* From the first row in view, under the head when it shows. */
    int off = r.y - g->top, step = g->h + gap;
    int first = off > g->head ? (off - g->head) / step : 0;
    g->i = first * cols;
    int widths[UI_LAYOUT_ITEMS];
    for (int c = 0; c < cols; c++)
        widths[c] = w_grid_width(k, g, r.w);
    ui_layout_begin(&g->l, (struct ui_rect){r.x, g->top + g->head + first * step, r.w, 0}, gap);
    ui_layout_row(&g->l, cols, widths, g->h);
}

bool w_grid_next(struct w_grid *g, int *i, struct ui_rect *cell)
{
    if (g->i >= g->n)
        return false;
    *cell = ui_layout_next(&g->l);
    if (cell->y >= g->r.y + g->r.h)
        return false;
    *i = g->i++;
    return true;
}

void w_grid_end(struct w_grid *g)
{
    int rows = (g->n + g->cols - 1) / g->cols;
    ui_scroll_end(g->k->ui, g->head + rows * (g->h + g->l.gap));
}

/* ---- titles, empty states, dialogs ---- */

int w_title_width(struct look *k, const char *text, unsigned icon)
{
    int ts = look_ts(k, TS_TITLE);
    return (icon ? icon_width(k, icon, ts) + look_sz(k, 16) : 0) +
           ui_text_width(k->ui, UI_FONT_BOLD, ts, text);
}

int w_title(struct look *k, struct ui_rect r, const char *text, unsigned icon)
{
    int ts = look_ts(k, TS_TITLE);
    int lh = ui_line_height(k->ui, UI_FONT_BOLD, ts);
    int x = r.x;
    if (icon) {
        int is = look_ts(k, TS_TITLE);
        x += w_icon(k, x, r.y + (lh - ui_line_height(k->ui, UI_FONT_ICON, is)) / 2, icon, is,
                    k->pal->primary) +
             look_sz(k, 16);
    }
    ui_label(k->ui, (struct ui_rect){x, r.y, r.x + r.w - x, lh}, text, UI_FONT_BOLD, ts,
             k->pal->text, UI_LEFT);
    return lh;
}

void w_empty(struct look *k, struct ui_rect r, unsigned icon, const char *text)
{
    int pad = look_sz(k, 40);
    int is = look_ts(k, TS_HUGE);
    int ts = look_ts(k, TS_LEAD);
    int tw = r.w - 2 * pad;
    int lines = ui_wrap(k->ui, UI_FONT_REGULAR, ts, text, tw, NULL, NULL);
    int ih = ui_line_height(k->ui, UI_FONT_ICON, is) + look_sz(k, 16);
    int h = 2 * pad + ih + lines * ui_line_height(k->ui, UI_FONT_REGULAR, ts);
    if (h > r.h) { /* the words matter more than the picture */
        h -= ih;
        ih = 0;
    }
    int full = h; /* still taller than r: they scroll */
    if (h > r.h)
        h = r.h;
    if (full > h)
        r.y -= ui_scroll_begin(k->ui, "empty", r);
    struct ui_rect c = {r.x, r.y, r.w, full};
    w_card(k, c);
    int iw = w_icon(k, 0, -10000, icon, is, k->pal->primary); /* measure only: off screen */
    if (ih)
        w_icon(k, c.x + (c.w - iw) / 2, c.y + pad, icon, is, k->pal->primary);
    int y = c.y + pad + ih;
    ui_paragraph(k->ui, (struct ui_rect){c.x + pad, y, tw, c.y + c.h - y}, text, UI_FONT_REGULAR,
                 ts, k->pal->text, 0);
    if (full > h)
        ui_scroll_end(k->ui, full);
}

struct ui_rect w_dialog(struct look *k, int w, int h)
{
    struct ui_rect all = {0, 0, k->w, k->h};
    ui_draw_rect(k->ui, all, k->pal->scrim, 0);
    ui_record(k->ui, "dialog", "scrim", all, ui_id(k->ui, "dialog-scrim"), true, 0);
    if (w > k->w - 2 * look_sz(k, 24))
        w = k->w - 2 * look_sz(k, 24);
    if (h > k->h - 2 * look_sz(k, 24))
        h = k->h - 2 * look_sz(k, 24);
    struct ui_rect r = {(k->w - w) / 2, (k->h - h) / 2, w, h};
    w_card(k, r);
    return ui_inset(r, look_sz(k, W_DIALOG_PAD));
}

/* ---- detail pages ---- */

bool w_back(struct look *k, struct ui_rect *r)
{
    const char *back = i18n_str(k->lang, S_BACK);
    struct ui_rect top = ui_cut_top(r, look_touch(k, SZ_BUTTON));
    if (w_button(k, (struct ui_rect){top.x, top.y, w_button_width(k, back, ICON_BACK), top.h}, back,
                 ICON_BACK, W_SECONDARY))
        return true;
    ui_cut_top(r, look_sz(k, SZ_GAP));
    return false;
}

struct ui_rect w_side(struct look *k, struct ui_rect *r, int w, int h)
{
    int gap = look_sz(k, SZ_GAP);
    if (k->portrait) {
        struct ui_rect side = ui_cut_bottom(r, look_sz(k, h));
        ui_cut_bottom(r, gap);
        return side;
    }
    struct ui_rect side = ui_cut_right(r, look_sz(k, w));
    ui_cut_right(r, gap * 2);
    return side;
}

/* A phone reads a code of two pixels a module from arm's length; an
 * event or a card needs some 80 modules, so on a small screen the code
 * takes this many pixels when there is room, past its design size. */
#define QR_MIN_PX 180

void w_qr(struct look *k, struct ui_rect r, const char *text, enum str caption_key)
{
    int room = r.h - look_sz(k, 40);
    int q = look_sz(k, 260) > QR_MIN_PX ? look_sz(k, 260) : QR_MIN_PX;
    if (q > room)
        q = room;
    if (q > r.w)
        q = r.w;
    if (!text[0] || q <= look_sz(k, 120))
        return;
    const char *caption = i18n_str(k->lang, caption_key);
    ui_draw_qr(k->ui, (struct ui_rect){r.x + (r.w - q) / 2, r.y, q, q}, text, caption);
    ui_label(k->ui, (struct ui_rect){r.x, r.y + q, r.w, look_sz(k, 36)}, caption, UI_FONT_REGULAR,
             look_ts(k, TS_SMALL), k->pal->muted, UI_CENTER);
}

/* The QR codes' texts (shared/ical.h). A code holds what a phone needs
 * offline and no more, so its modules stay large enough to scan: the
 * event's summary and place are clipped to QR_FIELD_MAX octets. */
#define QR_FIELD_MAX 60
#define QR_TEXT_MAX 2048

/* s, or its first words within QR_FIELD_MAX octets and "…" (new). */
static void clip(const char *s, char out[QR_FIELD_MAX + 1])
{
    size_t n = strlen(s);
    if (n > QR_FIELD_MAX) {
        n = ical_fit(s, QR_FIELD_MAX - 3); /* "…" is 3 octets */
        size_t w = n;
        while (w > QR_FIELD_MAX / 2 && s[w] != ' ')
            w--;
        if (w > QR_FIELD_MAX / 2)
            n = w;
        while (n > 0 && strchr(" ,;:-", s[n - 1]))
            n--;
        memcpy(out, s, n);
        memcpy(out + n, "…", 4);
        return;
    }
    memcpy(out, s, n + 1);
}

void w_qr_event(struct look *k, struct ui_rect r, const struct model_rows *d, int i)
{
    char summary[QR_FIELD_MAX + 1], place[QR_FIELD_MAX + 1];
    clip(model_str(d, i, EV_TITLE), summary);
    clip(model_str(d, i, EV_PLACE), place);
    /* DTSTAMP: today's midnight (UTC), so the text, and the code drawn
     * from it, stay the same all day (render.c caches codes by text). */
    int64_t now = ts_now();
    struct ical_event e = {"event", model_str(d, i, EV_ID), summary, place, NULL, NULL, 0, 0,
                           now - (now % 86400 + 86400) % 86400,
                           /* a series goes whole, as in the hub's feed */
                           model_str(d, i, EV_RRULE)};
    struct buf b;
    buf_init(&b, QR_TEXT_MAX);
    enum err rc = ts_parse(model_str(d, i, EV_STARTS), &e.starts);
    if (rc == ERR_OK)
        rc = ts_parse(model_str(d, i, EV_ENDS), &e.ends);
    if (rc == ERR_OK)
        rc = ical_begin(&b, NULL);
    if (rc == ERR_OK)
        rc = ical_event(&b, &e);
    if (rc == ERR_OK)
        rc = ical_end(&b);
    w_qr(k, r, rc == ERR_OK ? b.data : "", S_QR_EVENT);
    buf_release(&b);
}

void w_qr_card(struct look *k, struct ui_rect r, const struct model_rows *o, int i)
{
    struct ical_card c = {model_str(o, i, ORG_NAME), model_str(o, i, ORG_CONTACT),
                          model_str(o, i, ORG_URL), model_str(o, i, ORG_ADDRESS)};
    struct buf b;
    buf_init(&b, QR_TEXT_MAX);
    enum err rc = ical_card(&b, &c);
    w_qr(k, r, rc == ERR_OK ? b.data : "", S_QR_CARD);
    buf_release(&b);
}
