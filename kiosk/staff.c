/* staff: the PIN dialog and the staff panel (see staff.h). The panel is
 * where sync health lives, so that the status bar a visitor reads says
 * only whether the kiosk is online. */
#include "staff.h"

#include <stdio.h>
#include <string.h>

#include "when.h"
#include "widget.h"

void staff_tap(struct app *a)
{
    if (a->now - a->staff.first > THEME_STAFF_WINDOW_S) {
        a->staff.first = a->now;
        a->staff.taps = 0;
    }
    if (++a->staff.taps >= THEME_STAFF_TAPS) {
        a->staff.taps = 0;
        a->staff.open = true;
        a->staff.unlocked = false;
        a->staff.pin[0] = '\0';
        a->staff.wrong = false;
    }
}

void staff_reset(struct app *a)
{
    memset(&a->staff, 0, sizeof a->staff);
}

bool staff_used(const struct app *a)
{
    return a->staff.open;
}

static void close_staff(struct app *a)
{
    staff_reset(a);
    ui_focus(a->ui, 0);
    a->redraw = true;
}

/* Cancel and a primary button side by side along r; returns whether the
 * primary one was tapped (Cancel closes). */
static bool buttons(struct app *a, struct ui_rect r, enum str cancel, enum str primary,
                    unsigned icon)
{
    struct ui_layout l;
    ui_layout_begin(&l, r, look_sz(&a->look, 16));
    ui_layout_row(&l, 2, NULL, r.h);
    if (w_button(&a->look, ui_layout_next(&l), i18n_str(a->look.lang, cancel), ICON_CLOSE,
                 W_SECONDARY)) {
        close_staff(a);
        return false;
    }
    return w_button(&a->look, ui_layout_next(&l), i18n_str(a->look.lang, primary), icon, W_PRIMARY);
}

/* The PIN's parts down l: its title, field, the line of its message
 * (kept when empty, so that nothing moves when it shows), keypad and
 * buttons. Returns whether Open or enter was tapped. */
static bool pin_parts(struct app *a, struct ui_layout *l)
{
    int fh = look_touch(&a->look, SZ_BUTTON), ts = look_ts(&a->look, TS_BODY);
    const char *name = i18n_str(a->look.lang, S_STAFF_PIN);
    struct ui_rect t = {l->body.x, ui_layout_top(l), l->body.w, 0};
    ui_layout_block(l, w_title(&a->look, t, name, ICON_LOCK));
    ui_focus(a->ui, ui_id(a->ui, name));
    bool enter =
        w_field(&a->look, ui_layout_block(l, fh), name, a->staff.pin, sizeof a->staff.pin, 12);
    struct ui_rect m = ui_layout_block(l, ui_line_height(a->ui, UI_FONT_BOLD, ts));
    if (a->staff.wrong)
        ui_label(a->ui, m, i18n_str(a->look.lang, S_WRONG_PIN), UI_FONT_BOLD, ts,
                 a->look.pal->refused, UI_LEFT);
    if (w_keyboard(&a->look, &a->kbd, ui_layout_block(l, w_keypad_height(&a->look)), true))
        a->redraw = true;
    return buttons(a, ui_layout_block(l, fh), S_CANCEL, S_STAFF_OPEN, ICON_CHECK) || enter;
}

/* The PIN's dialog, as high as its parts (measured, then drawn), and
 * wide enough for its title when the window allows. */
static void pin_dialog(struct app *a)
{
    int pad = look_sz(&a->look, W_DIALOG_PAD), w = look_sz(&a->look, 720);
    int tw = w_title_width(&a->look, i18n_str(a->look.lang, S_STAFF_PIN), ICON_LOCK) + 2 * pad;
    if (w < tw)
        w = tw;
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){0, 0, w - 2 * pad, 0}, look_sz(&a->look, SZ_GAP));
    ui_measure_begin(a->ui);
    pin_parts(a, &l);
    ui_measure_end(a->ui);
    ui_layout_begin(&l, w_dialog(&a->look, w, ui_layout_height(&l) + 2 * pad), l.gap);
    bool go = pin_parts(a, &l);
    if (!a->staff.open)
        return;
    if (go || (!ui_focused(a->ui) && a->staff.pin[0])) {
        bool right = a->cfg.pin && a->cfg.pin[0] && strcmp(a->staff.pin, a->cfg.pin) == 0;
        a->staff.unlocked = right;
        a->staff.wrong = !right;
        a->staff.pin[0] = '\0';
        ui_focus(a->ui, 0);
        a->redraw = true;
    }
}

/* "07/12 14:05" of a wire time; false when there is none. */
static bool when_text(const char *wire, char *out, size_t cap)
{
    int64_t t = when_parse(wire);
    if (!wire[0] || t == 0)
        return false;
    struct ts_local l;
    ts_paris(t, &l);
    snprintf(out, cap, "%02d/%02d %02d:%02d", l.day, l.month, l.hour, l.minute);
    return true;
}

/* What an operator should do about the fault syncd met (fault.h); NULL
 * when none: the reason is then shown alone. */
static const char *fault_advice(enum lang l, enum fault f)
{
    switch (f) {
    case FAULT_DISK_FULL:
        return i18n_str(l, S_FAULT_DISK_FULL);
    case FAULT_READ_ONLY:
        return i18n_str(l, S_FAULT_READ_ONLY);
    default:
        return NULL;
    }
}

static const enum str row_labels[] = {S_STAFF_CONNECTION, S_STAFF_LAST_OK, S_STAFF_PENDING,
                                      S_STAFF_REFUSED, S_STAFF_LAST_ERROR};
#define PANEL_ROWS (sizeof row_labels / sizeof row_labels[0])

/* The sync state as the panel tells it: a value and its colour per row
 * of row_labels, and whether there was an error. */
struct panel_state {
    struct model_sync s;
    char value[PANEL_ROWS][64];
    struct ui_color color[PANEL_ROWS];
    bool err;
};

static void panel_state(struct app *a, struct panel_state *ps)
{
    const struct theme_palette *p = a->look.pal;
    struct model_sync *s = &ps->s;
    model_sync_state(a->model, s);
    snprintf(ps->value[0], sizeof ps->value[0], "%s",
             i18n_str(a->look.lang, s->online ? S_ONLINE : S_OFFLINE));
    ps->color[0] = s->online ? p->ok : p->pending;
    if (!when_text(s->last_ok, ps->value[1], sizeof ps->value[1]))
        snprintf(ps->value[1], sizeof ps->value[1], "%s", i18n_str(a->look.lang, S_STAFF_NEVER));
    ps->color[1] = p->text;
    snprintf(ps->value[2], sizeof ps->value[2], "%lld", (long long)s->outbox);
    ps->color[2] = s->outbox ? p->pending : p->text;
    snprintf(ps->value[3], sizeof ps->value[3], "%lld", (long long)s->refused);
    ps->color[3] = s->refused ? p->refused : p->text;
    ps->err = when_text(s->last_error, ps->value[4], sizeof ps->value[4]);
    if (!ps->err)
        snprintf(ps->value[4], sizeof ps->value[4], "%s", i18n_str(a->look.lang, S_STAFF_NONE));
    ps->color[4] = ps->err ? p->refused : p->text;
}

/* The widest of the texts of row_labels (font f), or of the values. */
static int widest(struct app *a, const struct panel_state *ps, enum ui_font f)
{
    int w = 0, ts = look_ts(&a->look, TS_BODY);
    for (size_t i = 0; i < PANEL_ROWS; i++) {
        const char *t = ps ? ps->value[i] : i18n_str(a->look.lang, row_labels[i]);
        int tw = ui_text_width(a->ui, f, ts, t);
        w = tw > w ? tw : w;
    }
    return w;
}

/* Where the values start: after the widest label, at most 60% in. */
static int label_column(struct app *a, int w)
{
    int lw = widest(a, NULL, UI_FONT_REGULAR) + look_sz(&a->look, 24);
    return lw < w * 60 / 100 ? lw : w * 60 / 100;
}

/* The rows of the sync state, then what to do about its last error and
 * the error's reason, down l, the values from lw in. */
static void panel_rows(struct app *a, struct ui_layout *l, int lw, const struct panel_state *ps)
{
    const struct theme_palette *p = a->look.pal;
    int ts = look_ts(&a->look, TS_BODY), lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    for (size_t i = 0; i < PANEL_ROWS; i++) {
        ui_layout_row(l, 2, (const int[]){lw - l->gap, 0}, lh);
        ui_label(a->ui, ui_layout_next(l), i18n_str(a->look.lang, row_labels[i]), UI_FONT_REGULAR,
                 ts, p->muted, UI_LEFT);
        ui_label(a->ui, ui_layout_next(l), ps->value[i], UI_FONT_BOLD, ts, ps->color[i], UI_LEFT);
    }
    const char *advice = ps->err ? fault_advice(a->look.lang, ps->s.fault) : NULL;
    if (advice) {
        ui_layout_text(a->ui, l, advice, UI_FONT_BOLD, ts, p->text, 3);
        ui_layout_space(l, 0);
    }
    if (ps->err && ps->s.error_reason[0])
        ui_layout_text(a->ui, l, ps->s.error_reason, UI_FONT_REGULAR, look_ts(&a->look, TS_SMALL),
                       p->muted, 4);
}

/* The panel's title and rows down l. */
static void panel_words(struct app *a, struct ui_layout *l, const struct panel_state *ps)
{
    struct ui_rect t = {l->body.x, ui_layout_top(l), l->body.w, 0};
    ui_layout_block(l, w_title(&a->look, t, i18n_str(a->look.lang, S_STAFF_TITLE), ICON_LOCK));
    ui_layout_space(l, look_sz(&a->look, 24));
    panel_rows(a, l, label_column(a, l->body.w), ps);
}

/* The panel, wide enough for its labels and values side by side and as
 * high as its words (measured) over its buttons. */
static void panel(struct app *a)
{
    struct panel_state ps;
    panel_state(a, &ps);
    int pad = look_sz(&a->look, W_DIALOG_PAD), gap = look_sz(&a->look, 10),
        bh = look_touch(&a->look, SZ_BUTTON);
    /* The labels' column (at most 60% of the width) and the values. */
    int lw = widest(a, NULL, UI_FONT_REGULAR) + look_sz(&a->look, 24);
    int w = lw + widest(a, &ps, UI_FONT_BOLD);
    w = (w > lw * 100 / 60 ? w : lw * 100 / 60 + 1) + 2 * pad;
    w = w > look_sz(&a->look, 960) ? w : look_sz(&a->look, 960);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){0, 0, w - 2 * pad, 0}, gap);
    ui_measure_begin(a->ui);
    panel_words(a, &l, &ps);
    ui_measure_end(a->ui);
    struct ui_rect r = w_dialog(&a->look, w, ui_layout_height(&l) + 2 * gap + bh + 2 * pad);
    struct ui_rect foot = ui_cut_bottom(&r, bh);
    ui_cut_bottom(&r, 2 * gap);
    /* The words stop above the buttons: on a small screen with larger
     * text the reason is cut, never the way out. */
    ui_clip_push(a->ui, r);
    ui_layout_begin(&l, r, gap);
    panel_words(a, &l, &ps);
    ui_clip_pop(a->ui);
    if (buttons(a, foot, S_CLOSE, S_EXIT, ICON_CHECK))
        a->quit = true;
}

void staff_draw(struct app *a)
{
    if (!a->staff.open)
        return;
    if (a->staff.unlocked)
        panel(a);
    else
        pin_dialog(a);
}
