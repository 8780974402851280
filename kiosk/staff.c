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

/* Cancel and a primary button side by side at the bottom of r; returns
 * whether the primary one was tapped (Cancel closes). */
static bool bottom_buttons(struct app *a, struct ui_rect r, enum str cancel, enum str primary,
                           unsigned icon)
{
    int bh = look_touch(&a->look, SZ_BUTTON);
    struct ui_layout l;
    ui_layout_begin(&l, ui_cut_bottom(&r, bh), look_sz(&a->look, 16));
    ui_layout_row(&l, 2, NULL, bh);
    if (w_button(&a->look, ui_layout_next(&l), i18n_str(a->look.lang, cancel), ICON_CLOSE,
                 W_SECONDARY)) {
        close_staff(a);
        return false;
    }
    return w_button(&a->look, ui_layout_next(&l), i18n_str(a->look.lang, primary), icon, W_PRIMARY);
}

/* The PIN's dialog: a column of its title, field, message, keypad and
 * buttons, as high as they need. */
static void pin_dialog(struct app *a)
{
    int kh = w_keypad_height(&a->look), fh = look_touch(&a->look, SZ_BUTTON),
        gap = look_sz(&a->look, SZ_GAP);
    int th = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_TITLE));
    int mh = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_BODY));
    int h = th + fh + mh + kh + fh + 4 * gap + 2 * look_sz(&a->look, 36);
    struct ui_rect r = w_dialog(&a->look, look_sz(&a->look, 720), h);
    struct ui_layout l;
    ui_layout_begin(&l, r, gap);
    w_title(&a->look, ui_layout_block(&l, th), i18n_str(a->look.lang, S_STAFF_PIN), ICON_LOCK);
    const char *name = i18n_str(a->look.lang, S_STAFF_PIN);
    ui_focus(a->ui, ui_id(a->ui, name));
    bool enter =
        w_field(&a->look, ui_layout_block(&l, fh), name, a->staff.pin, sizeof a->staff.pin, 12);
    struct ui_rect m = ui_layout_block(&l, mh);
    if (a->staff.wrong)
        ui_label(a->ui, m, i18n_str(a->look.lang, S_WRONG_PIN), UI_FONT_BOLD,
                 look_ts(&a->look, TS_BODY), a->look.pal->refused, UI_LEFT);
    if (w_keyboard(&a->look, &a->kbd, ui_layout_block(&l, kh), true))
        a->redraw = true;
    bool go = bottom_buttons(a, r, S_CANCEL, S_STAFF_OPEN, ICON_CHECK);
    if (!a->staff.open)
        return;
    if (go || enter || (!ui_focused(a->ui) && a->staff.pin[0])) {
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

/* Where the values start: after the widest label, at most 60% in. */
static int label_column(struct app *a, int w)
{
    int lw = 0, ts = look_ts(&a->look, TS_BODY);
    for (size_t i = 0; i < sizeof row_labels / sizeof row_labels[0]; i++) {
        int t = ui_text_width(a->ui, UI_FONT_REGULAR, ts, i18n_str(a->look.lang, row_labels[i]));
        if (t > lw)
            lw = t;
    }
    lw += look_sz(&a->look, 24);
    return lw < w * 60 / 100 ? lw : w * 60 / 100;
}

/* One "label   value" row of the panel, its values from lw in. */
static void panel_row(struct app *a, struct ui_layout *l, int lw, enum str label, const char *value,
                      struct ui_color vc)
{
    int ts = look_ts(&a->look, TS_BODY), lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    ui_layout_row(l, 2, (const int[]){lw - l->gap, 0}, lh);
    ui_label(a->ui, ui_layout_next(l), i18n_str(a->look.lang, label), UI_FONT_REGULAR, ts,
             a->look.pal->muted, UI_LEFT);
    ui_label(a->ui, ui_layout_next(l), value, UI_FONT_BOLD, ts, vc, UI_LEFT);
}

/* The rows of the sync state, then what to do about its last error and
 * the error's reason, down l. */
static void panel_rows(struct app *a, struct ui_layout *l, int lw)
{
    const struct theme_palette *p = a->look.pal;
    struct model_sync s;
    model_sync_state(a->model, &s);
    char v[64], n[32];
    panel_row(a, l, lw, S_STAFF_CONNECTION, i18n_str(a->look.lang, s.online ? S_ONLINE : S_OFFLINE),
              s.online ? p->ok : p->pending);
    if (!when_text(s.last_ok, v, sizeof v))
        snprintf(v, sizeof v, "%s", i18n_str(a->look.lang, S_STAFF_NEVER));
    panel_row(a, l, lw, S_STAFF_LAST_OK, v, p->text);
    snprintf(n, sizeof n, "%lld", (long long)s.outbox);
    panel_row(a, l, lw, S_STAFF_PENDING, n, s.outbox ? p->pending : p->text);
    snprintf(n, sizeof n, "%lld", (long long)s.refused);
    panel_row(a, l, lw, S_STAFF_REFUSED, n, s.refused ? p->refused : p->text);
    bool err = when_text(s.last_error, v, sizeof v);
    if (!err)
        snprintf(v, sizeof v, "%s", i18n_str(a->look.lang, S_STAFF_NONE));
    panel_row(a, l, lw, S_STAFF_LAST_ERROR, v, err ? p->refused : p->text);
    const char *advice = err ? fault_advice(a->look.lang, s.fault) : NULL;
    if (advice) {
        ui_layout_text(a->ui, l, advice, UI_FONT_BOLD, look_ts(&a->look, TS_BODY), p->text, 3);
        ui_layout_space(l, 0);
    }
    if (err && s.error_reason[0])
        ui_layout_text(a->ui, l, s.error_reason, UI_FONT_REGULAR, look_ts(&a->look, TS_SMALL),
                       p->muted, 4);
}

static void panel(struct app *a)
{
    struct ui_rect r = w_dialog(&a->look, look_sz(&a->look, 960), look_sz(&a->look, 700));
    struct ui_layout l;
    ui_layout_begin(&l, r, look_sz(&a->look, 10));
    int th = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_TITLE));
    w_title(&a->look, ui_layout_block(&l, th), i18n_str(a->look.lang, S_STAFF_TITLE), ICON_LOCK);
    ui_layout_space(&l, look_sz(&a->look, 24));
    /* Rows stop above the buttons: on a small screen with larger text the
     * reason is cut, never the way out. */
    int top = ui_layout_top(&l);
    ui_clip_push(a->ui, (struct ui_rect){r.x, top, r.w,
                                         r.y + r.h - look_touch(&a->look, SZ_BUTTON) -
                                             look_sz(&a->look, 16) - top});
    panel_rows(a, &l, label_column(a, r.w));
    ui_clip_pop(a->ui);
    if (bottom_buttons(a, r, S_CLOSE, S_EXIT, ICON_CHECK))
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
