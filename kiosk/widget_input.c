/* widget_input: the widgets a visitor types with (widget.h): text
 * fields, the on-screen keyboard and the forms that keep the focused
 * field above it. They see the look and the keyboard's own state
 * (struct kbd), never the app. */
#include "widget.h"

#include <stdio.h>
#include <string.h>

/* ---- fields ---- */

/* The end of text that fits in width (a field shows where one types). */
static const char *tail_fit(struct look *k, const char *text, int ts, int width)
{
    const char *s = text;
    while (*s && ui_text_width(k->ui, UI_FONT_REGULAR, ts, s) > width) {
        s++;
        while (((unsigned char)*s & 0xc0) == 0x80)
            s++;
    }
    return s;
}

/* The frame of a field, focus on tap, and the keys typed into buf; enter
 * tells whether enter was pressed. */
static uint32_t field_frame(struct look *k, struct ui_rect r, const char *name, char *buf,
                            size_t cap, int max_chars, bool *enter)
{
    const struct theme_palette *p = k->pal;
    uint32_t id = ui_id(k->ui, name);
    bool focused = ui_focused(k->ui) == id;
    int rad = look_sz(k, 12);
    ui_draw_rect(k->ui, r, p->surface, rad);
    ui_draw_border(k->ui, r, focused ? p->primary : p->muted, rad, focused ? look_sz(k, 4) : 2);
    ui_record(k->ui, name, "field", r, id, true,
              ui_text_width(k->ui, UI_FONT_REGULAR, look_ts(k, TS_BODY), name) +
                  2 * look_sz(k, 20));
    if (ui_tapped(k->ui, id))
        ui_focus(k->ui, id);
    ui_edit(k->ui, id, buf, cap, max_chars, enter);
    return id;
}

bool w_field(struct look *k, struct ui_rect r, const char *name, char *buf, size_t cap,
             int max_chars)
{
    const struct theme_palette *p = k->pal;
    bool enter = false;
    uint32_t id = field_frame(k, r, name, buf, cap, max_chars, &enter);
    int ts = look_ts(k, TS_BODY);
    int pad = look_sz(k, 20);
    int lh = ui_line_height(k->ui, UI_FONT_REGULAR, ts);
    int y = r.y + (r.h - lh) / 2;
    bool focused = ui_focused(k->ui) == id;
    int caret = look_sz(k, 4);
    if (!buf[0]) {
        ui_draw_text(k->ui, r.x + pad + caret, y, name, UI_FONT_REGULAR, ts, p->muted);
    } else {
        const char *shown = tail_fit(k, buf, ts, r.w - 2 * pad - caret);
        struct ui_rect tr = {r.x + pad, r.y, r.w - 2 * pad - caret, r.h};
        int w = ui_draw_text(k->ui, tr.x, y, shown, UI_FONT_REGULAR, ts, p->text);
        ui_record(k->ui, buf, "value", tr, 0, false, w);
        if (focused)
            ui_draw_rect(k->ui, (struct ui_rect){tr.x + w + 2, y + lh / 8, caret, lh * 3 / 4},
                         p->primary, 0);
        return enter;
    }
    if (focused)
        ui_draw_rect(k->ui, (struct ui_rect){r.x + pad, y + lh / 8, caret, lh * 3 / 4}, p->primary,
                     0);
    return enter;
}

void w_area(struct look *k, struct ui_rect r, const char *name, char *buf, size_t cap,
            int max_chars)
{
    const struct theme_palette *p = k->pal;
    bool enter = false;
    field_frame(k, r, name, buf, cap, max_chars, &enter);
    int ts = look_ts(k, TS_BODY);
    struct ui_rect in = ui_inset(r, look_sz(k, 20));
    ui_clip_push(k->ui, in);
    if (!buf[0])
        ui_draw_text(k->ui, in.x, in.y, name, UI_FONT_REGULAR, ts, p->muted);
    else
        ui_paragraph(k->ui, in, buf, UI_FONT_REGULAR, ts, p->text, 0);
    ui_clip_pop(k->ui);
}

/* ---- keyboard ---- */

/* The apostrophe key types the typographic one (U+2019), as the tables
 * write it. */
static const char *const azerty[][12] = {
    {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "-", "’"},
    {"a", "z", "e", "r", "t", "y", "u", "i", "o", "p", "é", "è"},
    {"q", "s", "d", "f", "g", "h", "j", "k", "l", "m", "ê", "à"},
    {"w", "x", "c", "v", "b", "n", ",", ".", "ç", "ù", "ô", "î"},
};
static const char *const digits[][3] = {
    {"1", "2", "3"},
    {"4", "5", "6"},
    {"7", "8", "9"},
};

#define KEYS_LETTERS ((int)(sizeof azerty / sizeof azerty[0][0]))

/* Gap and key height of the keyboard, and how many letter keys fit on a
 * row of width w (0: any width): twelve (AZERTY's rows) when each key is
 * still a touch target, else fewer, the keys then flowing on more rows. */
static int keys_per_row(struct look *k, int w, int *gap, int *kh)
{
    *gap = look_sz(k, 10);
    *kh = look_touch(k, SZ_TOUCH);
    int inner = w - 2 * *gap, cols = 12;
    while (w > 0 && cols > 6 && (inner - (cols - 1) * *gap) / cols < look_touch_min(k))
        cols--;
    return cols;
}

int w_keyboard_height(struct look *k, int w)
{
    int gap, kh, cols = keys_per_row(k, w, &gap, &kh);
    int rows = (KEYS_LETTERS + cols - 1) / cols + 1; /* and the row of space and done */
    return rows * kh + (rows + 1) * gap;
}

int w_keypad_height(struct look *k)
{
    int gap, kh;
    keys_per_row(k, 0, &gap, &kh);
    return 4 * kh + 5 * gap;
}

/* Capitals of the keyboard's letters (ASCII and the French accents). */
static const char *upper(const char *k, char out[8])
{
    static const char *const pairs[][2] = {{"é", "É"}, {"è", "È"}, {"ê", "Ê"}, {"à", "À"},
                                           {"ç", "Ç"}, {"ù", "Ù"}, {"ô", "Ô"}, {"î", "Î"}};
    if (k[0] >= 'a' && k[0] <= 'z' && !k[1]) {
        out[0] = (char)(k[0] - 'a' + 'A');
        out[1] = '\0';
        return out;
    }
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(k, pairs[i][0]) == 0)
            return pairs[i][1];
    return k;
}

/* A key that types insert into kb's queue; whether it did. */
static bool key(struct look *k, struct kbd *kb, struct ui_rect r, const char *label,
                const char *insert, enum w_style style)
{
    char up[8];
    if (kb->shift && insert[0] != '\b') {
        label = upper(label, up);
        insert = label;
    }
    if (!w_button(k, r, label, 0, style))
        return false;
    if (insert[0] != '\b' && insert[0] != ' ')
        kb->shift = false;
    size_t n = strlen(kb->queue), m = strlen(insert);
    if (n + m >= sizeof kb->queue)
        return false;
    memcpy(kb->queue + n, insert, m + 1);
    return true;
}

/* Shift, erase, @ (an email is a way to be reached), space and done as
 * the last row of l: each as wide as its word needs, what is left
 * shared, most of it to space (which takes the rest of the row). */
static bool letters_bottom(struct look *k, struct kbd *kb, struct ui_layout *l, int kh)
{
    const char *words[5] = {i18n_str(k->lang, S_SHIFT), i18n_str(k->lang, S_ERASE), "@",
                            i18n_str(k->lang, S_SPACE), i18n_str(k->lang, S_DONE)};
    static const int share[5] = {14, 18, 8, 0, 20}; /* percent of what is left */
    int w[5], left = l->body.w - 4 * l->gap;
    for (int i = 0; i < 5; i++) {
        w[i] = ui_text_width(k->ui, UI_FONT_BOLD, look_ts(k, TS_BODY), words[i]) +
               2 * look_sz(k, 12) + 2;
        if (w[i] < look_touch_min(k))
            w[i] = look_touch_min(k);
        left -= w[i];
    }
    for (int i = 0; i < 5; i++) { /* 0: the row's rest, never a key's width */
        w[i] = share[i] ? w[i] + left * share[i] / 100 : 0;
        if (share[i] && w[i] < 1)
            w[i] = 1;
    }
    ui_layout_row(l, 5, w, kh);
    if (w_button(k, ui_layout_next(l), words[0], 0, kb->shift ? W_SELECTED : W_SECONDARY))
        kb->shift = !kb->shift;
    bool typed = key(k, kb, ui_layout_next(l), words[1], "\b", W_SECONDARY);
    typed |= key(k, kb, ui_layout_next(l), words[2], "@", W_SECONDARY);
    typed |= key(k, kb, ui_layout_next(l), words[3], " ", W_SECONDARY);
    if (w_button(k, ui_layout_next(l), words[4], 0, W_PRIMARY))
        ui_focus(k->ui, 0);
    return typed;
}

bool w_keyboard(struct look *k, struct kbd *kb, struct ui_rect r, bool numeric)
{
    ui_draw_rect(k->ui, r, k->pal->sunken, 0);
    ui_record(k->ui, "keyboard", "keyboard", r, ui_id(k->ui, "keyboard"), true, 0);
    ui_push_id(k->ui, "keyboard");
    int gap, kh, cols = numeric ? 3 : keys_per_row(k, r.w, &gap, &kh);
    if (numeric)
        keys_per_row(k, 0, &gap, &kh);
    int maxw = numeric ? look_sz(k, 600) : look_sz(k, 1500);
    struct ui_rect in = ui_inset(r, gap);
    if (in.w > maxw) {
        in.x += (in.w - maxw) / 2;
        in.w = maxw;
    }
    /* The keys in rows of cols, all as wide. */
    int widths[UI_LAYOUT_ITEMS];
    for (int c = 0; c < cols; c++)
        widths[c] = (in.w - (cols - 1) * gap) / cols;
    struct ui_layout l;
    ui_layout_begin(&l, in, gap);
    ui_layout_row(&l, cols, widths, kh);
    int n = numeric ? 9 : KEYS_LETTERS;
    bool typed = false;
    for (int i = 0; i < n; i++) {
        const char *label = numeric ? digits[i / 3][i % 3] : azerty[i / 12][i % 12];
        typed |= key(k, kb, ui_layout_next(&l), label, label, W_SECONDARY);
    }
    if (numeric) {
        typed |= key(k, kb, ui_layout_next(&l), i18n_str(k->lang, S_ERASE), "\b", W_SECONDARY);
        typed |= key(k, kb, ui_layout_next(&l), "0", "0", W_SECONDARY);
        if (w_button(k, ui_layout_next(&l), i18n_str(k->lang, S_DONE), 0, W_PRIMARY))
            ui_focus(k->ui, 0);
    } else {
        typed |= letters_bottom(k, kb, &l, kh);
    }
    ui_pop_id(k->ui);
    return typed;
}

/* ---- forms ---- */

void w_form_begin(struct look *k, struct w_form *f, const char *label, struct ui_rect r)
{
    f->label = label;
    f->r = r;
    f->keep0 = f->keep1 = 0;
    f->y = r.y - ui_scroll_begin(k->ui, label, r);
}

void w_form_keep(struct w_form *f, int y, int h)
{
    f->keep0 = y;
    f->keep1 = y + h;
}

bool w_form_end(struct look *k, struct kbd *kb, struct w_form *f, int bottom)
{
    ui_scroll_end(k->ui, bottom - f->y);
    /* Without the keyboard (none yet: it shows the frame after a tap on a
     * field), the band is the form's buttons, shown once too. */
    uint32_t field = kb->open ? ui_focused(k->ui) : 1;
    bool again = field != kb->shown.field || k->w != kb->shown.w || k->h != kb->shown.h;
    if (!again || f->keep1 <= f->keep0)
        return false;
    kb->shown.field = field;
    kb->shown.w = k->w;
    kb->shown.h = k->h;
    /* In form coordinates: the band at the bottom of the view, just above
     * the keyboard, or its top when it is taller than the view. */
    int k0 = f->keep0 - f->y, k1 = f->keep1 - f->y, off = f->r.y - f->y;
    if (k0 >= off && k1 <= off + f->r.h)
        return false;
    int to = k1 - k0 <= f->r.h ? k1 - f->r.h : k0;
    ui_scroll_to(k->ui, f->label, to < 0 ? 0 : to);
    return true;
}
