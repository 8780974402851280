/* app: the shell around the screens: status bar, urgent banner,
 * navigation, keyboard, idle countdown, staff exit and toasts.
 *
 * Layout is computed from the window each frame: sizes scale with the
 * short side (1080 px = scale 1), the navigation sits at the bottom
 * (within reach on a portrait totem), and the status bar takes a second
 * row when its parts do not fit on one. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"
#include "widget.h"

struct screen {
    enum str name;
    unsigned icon;
    void (*draw)(struct app *a, struct ui_rect r);
};

static const struct screen screens[SCR_COUNT] = {
    [SCR_HOME] = {S_HOME, ICON_HOME, screen_home},
    [SCR_INITIATIVES] = {S_INITIATIVES, ICON_INITIATIVES, screen_initiatives},
    [SCR_AGENDA] = {S_AGENDA, ICON_AGENDA, screen_agenda},
    [SCR_ROOMS] = {S_ROOMS, ICON_ROOMS, screen_rooms},
    [SCR_NEWS] = {S_NEWS, ICON_NEWS, screen_news},
    [SCR_DIRECTORY] = {S_DIRECTORY, ICON_DIRECTORY, screen_directory},
    [SCR_IDEAS] = {S_IDEAS, ICON_IDEAS, screen_ideas},
};

void app_init(struct app *a, const struct app_config *cfg, struct model *m, struct ui *ui)
{
    memset(a, 0, sizeof *a);
    a->cfg = *cfg;
    a->model = m;
    a->ui = ui;
    a->lang = cfg->lang;
    a->pal = &theme_normal;
    a->scale = 1;
    a->last_input = ts_now();
    a->rooms.length = 60;
}

enum err app_parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return ERR_INVALID;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end || a < 200 || b < 200 || a > 8192 || b > 8192)
        return ERR_INVALID;
    *w = (int)a;
    *h = (int)b;
    return ERR_OK;
}

int app_ts(const struct app *a, int size)
{
    double s = size * a->scale * (a->large ? theme_large_text : 1.0);
    return (int)(s + 0.5);
}

int app_sz(const struct app *a, int size)
{
    int v = (int)(size * a->scale + 0.5);
    return v < 1 ? 1 : v;
}

enum err app_parse_hours(const char *s, int *from, int *until)
{
    char a[6], b[6];
    const char *dash = strchr(s, '-');
    if (!dash || dash - s != 5 || strlen(dash + 1) != 5)
        return ERR_INVALID;
    memcpy(a, s, 5);
    a[5] = '\0';
    memcpy(b, dash + 1, 6);
    int f, u;
    if (ts_parse_hhmm(a, &f) || ts_parse_hhmm(b, &u) || f == u)
        return ERR_INVALID;
    *from = f;
    *until = u;
    return ERR_OK;
}

void app_touched(struct app *a)
{
    a->last_input = ts_now();
    if (a->asleep)
        a->waking = true;
}

static bool dirty(const struct app *a)
{
    return a->screen != SCR_HOME || ui_focused(a->ui) || a->ini.query[0] || a->rooms.name[0] ||
           a->ideas.text[0] || a->ideas.author[0] || a->rooms.cancel_code[0] || a->staff.open;
}

int app_countdown(const struct app *a)
{
    int64_t idle = a->now - a->last_input;
    if (idle < a->cfg.idle_s || !dirty(a))
        return -1;
    int64_t left = a->cfg.idle_s + THEME_COUNTDOWN_S - idle;
    return left < 0 ? 0 : (int)left;
}

void app_reset(struct app *a)
{
    memset(&a->ini, 0, sizeof a->ini);
    memset(&a->agenda, 0, sizeof a->agenda);
    memset(&a->rooms, 0, sizeof a->rooms);
    memset(&a->ideas, 0, sizeof a->ideas);
    memset(&a->staff, 0, sizeof a->staff);
    a->open_org[0] = '\0';
    a->rooms.length = 60;
    a->toast[0] = '\0';
    a->kbd_queue[0] = '\0';
    a->kbd_shift = false;
    ui_focus(a->ui, 0);
    a->screen = SCR_HOME;
    a->last_input = ts_now();
}

void app_set_lang(struct app *a, enum lang l)
{
    a->lang = l;
}

void app_toast(struct app *a, const char *text)
{
    snprintf(a->toast, sizeof a->toast, "%s", text);
    a->toast_until = a->now + 6;
}

/* ---- status bar ---- */

static void hhmm(int64_t t, char out[8])
{
    struct ts_local l;
    ts_paris(t, &l);
    snprintf(out, 8, "%02d:%02d", l.hour, l.minute);
}

static void sync_text(struct app *a, char *out, size_t cap, bool *offline)
{
    struct model_sync s;
    model_sync_state(a->model, &s);
    int64_t t = 0;
    *offline = !s.online;
    if (s.online) {
        snprintf(out, cap, "%s", i18n_str(a->lang, S_ONLINE));
    } else if (s.last_ok[0] && ts_parse(s.last_ok, &t) == ERR_OK) {
        char hm[8];
        hhmm(t, hm);
        i18n_fill(out, cap, i18n_str(a->lang, S_OFFLINE_SINCE), hm);
    } else {
        snprintf(out, cap, "%s", i18n_str(a->lang, S_OFFLINE));
    }
    size_t n = strlen(out);
    if (s.outbox > 0 && n < cap) {
        snprintf(out + n, cap - n, " · ");
        n = strlen(out);
        i18n_fill_int(out + n, cap - n, i18n_str(a->lang, S_PENDING_N), s.outbox);
    }
    n = strlen(out);
    if (s.refused > 0 && n < cap) {
        snprintf(out + n, cap - n, " · ");
        n = strlen(out);
        i18n_fill_int(out + n, cap - n, i18n_str(a->lang, S_REFUSED_N), s.refused);
    }
}

static void staff_tap(struct app *a)
{
    if (a->now - a->staff.first > THEME_STAFF_WINDOW_S) {
        a->staff.first = a->now;
        a->staff.taps = 0;
    }
    if (++a->staff.taps >= THEME_STAFF_TAPS) {
        a->staff.taps = 0;
        a->staff.open = true;
        a->staff.pin[0] = '\0';
        a->staff.wrong = false;
    }
}

/* Toggles on the right; returns their total width when draw is false. */
static int toggles(struct app *a, int x, int y, int h, bool draw)
{
    struct {
        const char *label;
        unsigned icon;
        bool on;
    } t[] = {
        {i18n_str(a->lang, S_LANG_OTHER), ICON_LANG, false},
        {i18n_str(a->lang, S_LARGER_TEXT), ICON_TEXT_SIZE, a->large},
        {i18n_str(a->lang, S_CONTRAST), ICON_CONTRAST, a->contrast},
    };
    int gap = app_sz(a, 10), x0 = x;
    for (int i = 0; i < 3; i++) {
        int w = w_button_width(a, t[i].label, t[i].icon);
        if (draw && w_button(a, (struct ui_rect){x, y, w, h}, t[i].label, t[i].icon,
                             t[i].on ? W_SELECTED : W_SECONDARY)) {
            if (i == 0)
                a->lang = a->lang == LANG_FR ? LANG_EN : LANG_FR;
            else if (i == 1)
                a->large = !a->large;
            else
                a->contrast = !a->contrast;
            a->pal = a->contrast ? &theme_contrast : &theme_normal;
            a->redraw = true;
        }
        x += w + gap;
    }
    return x - x0 - gap;
}

static int status_bar(struct app *a, struct ui_rect *area)
{
    const struct theme_palette *p = a->pal;
    int pad = app_sz(a, SZ_PAD), gap = app_sz(a, 24);
    int bh = app_sz(a, SZ_TOUCH);
    int row = bh + 2 * app_sz(a, 8);
    char site[200], clock[8], sync[200];
    const char *sname = a->cfg.site ? model_site_name(a->model, a->cfg.site) : "";
    snprintf(site, sizeof site, "%s", sname[0] ? sname : a->cfg.site ? a->cfg.site : "Sceaux");
    hhmm(a->now, clock);
    bool offline;
    sync_text(a, sync, sizeof sync, &offline);
    a->offline = offline;
    int ts = app_ts(a, TS_BODY);
    int is = app_ts(a, TS_ICON);
    int site_w = ui_text_width(a->ui, UI_FONT_BOLD, ts, site);
    int site_min = site_w < area->w * 22 / 100 ? site_w : area->w * 22 / 100;
    /* The sync text may shorten (ellipsis) down to a sixth of the row,
     * and the site name to 22 %, before the bar takes a second row. */
    int sync_w = ui_text_width(a->ui, UI_FONT_REGULAR, ts, sync);
    int rest = gap + ui_text_width(a->ui, UI_FONT_BOLD, ts, clock) + gap + is + app_sz(a, 8);
    int right_w = toggles(a, 0, 0, bh, false);
    bool two_rows =
        site_min + rest + (sync_w < area->w / 6 ? sync_w : area->w / 6) + right_w + 2 * pad + gap >
        area->w;
    /* The site name then takes what its row leaves beside the whole sync
     * text: shortened only when it really does not fit. */
    int room = area->w - 2 * pad - rest - sync_w - (two_rows ? 0 : right_w + gap);
    int sw = site_w < room ? site_w : room > site_min ? room : site_min;
    struct ui_rect bar = ui_cut_top(area, two_rows ? 2 * row : row);
    ui_draw_rect(a->ui, bar, p->surface, 0);
    ui_draw_rect(a->ui, (struct ui_rect){bar.x, bar.y + bar.h - 2, bar.w, 2}, p->line, 0);
    struct ui_rect r1 = ui_inset((struct ui_rect){bar.x, bar.y, bar.w, row}, 0);
    r1.x += pad;
    r1.w -= 2 * pad;
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    int y = r1.y + (row - lh) / 2;
    /* The site name is also the staff gesture: five taps in four seconds. */
    struct ui_rect sr = {r1.x, r1.y, sw, row};
    (void)y;
    ui_label(a->ui, sr, site, UI_FONT_BOLD, ts, p->primary, UI_LEFT);
    if (ui_hit(a->ui, sr, site, "site"))
        staff_tap(a);
    int x = r1.x + sw + gap;
    ui_label(a->ui, (struct ui_rect){x, r1.y, ui_text_width(a->ui, UI_FONT_BOLD, ts, clock), row},
             clock, UI_FONT_BOLD, ts, p->text, UI_LEFT);
    x += ui_text_width(a->ui, UI_FONT_BOLD, ts, clock) + gap;
    struct ui_color sc = offline ? p->pending : p->ok;
    int ih = ui_line_height(a->ui, UI_FONT_ICON, is);
    x += w_icon(a, x, r1.y + (row - ih) / 2, offline ? ICON_WIFI_OFF : ICON_WIFI, is, sc) +
         app_sz(a, 8);
    int avail = two_rows ? r1.x + r1.w - x : r1.x + r1.w - right_w - gap - x;
    ui_label(a->ui, (struct ui_rect){x, r1.y, avail, row}, sync, UI_FONT_REGULAR, ts,
             offline ? p->pending : p->text, UI_LEFT);
    int ty = two_rows ? bar.y + row + (row - bh) / 2 : bar.y + (row - bh) / 2;
    toggles(a, r1.x + r1.w - right_w, ty, bh, true);
    return bar.h;
}

/* ---- banner, navigation ---- */

/* Where a visitor sends something, a calm line says that offline it will
 * leave later: the request is kept, not lost. */
static void offline_notice(struct app *a, struct ui_rect *area)
{
    if (!a->offline || (a->screen != SCR_ROOMS && a->screen != SCR_IDEAS))
        return;
    const struct theme_palette *p = a->pal;
    int pad = app_sz(a, SZ_PAD), ts = app_ts(a, TS_SMALL), is = app_ts(a, TS_ICON);
    const char *text = i18n_str(a->lang, S_OFFLINE_NOTICE);
    int tx = pad + is + app_sz(a, 12);
    int tw = area->w - tx - pad;
    int lines = ui_wrap(a->ui, UI_FONT_REGULAR, ts, text, tw, NULL, NULL);
    int h = lines * ui_line_height(a->ui, UI_FONT_REGULAR, ts) + 2 * app_sz(a, 12);
    struct ui_rect b = ui_cut_top(area, h);
    ui_draw_rect(a->ui, b, p->sunken, 0);
    w_icon(a, b.x + pad, b.y + (h - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2, ICON_WIFI_OFF, is,
           p->pending);
    ui_paragraph(a->ui, (struct ui_rect){b.x + tx, b.y + app_sz(a, 12), tw, h}, text,
                 UI_FONT_REGULAR, ts, p->text, 0);
}

static void banner(struct app *a, struct ui_rect *area)
{
    char now[TS_LEN + 1];
    ts_format(a->now, now);
    const struct model_rows *ann = model_announcements(a->model, a->cfg.site, a->cfg.kiosk, now);
    const struct theme_palette *p = a->pal;
    int pad = app_sz(a, SZ_PAD), ts = app_ts(a, TS_BODY), is = app_ts(a, TS_ICON);
    for (int i = 0; i < ann->n && i < 3; i++) {
        if (strcmp(model_str(ann, i, ANN_PRIORITY), "urgent") != 0)
            break;
        char text[1300];
        snprintf(text, sizeof text, "%s : %s", model_str(ann, i, ANN_TITLE),
                 model_str(ann, i, ANN_BODY));
        int tx = pad + is + app_sz(a, 16);
        int tw = area->w - tx - pad;
        int lines = ui_wrap(a->ui, UI_FONT_BOLD, ts, text, tw, NULL, NULL);
        if (lines > 4)
            lines = 4;
        int h = lines * ui_line_height(a->ui, UI_FONT_BOLD, ts) + 2 * app_sz(a, 16);
        struct ui_rect b = ui_cut_top(area, h);
        ui_draw_rect(a->ui, b, p->urgent, 0);
        ui_record(a->ui, i18n_str(a->lang, S_URGENT), "banner", b, 0, false, 0);
        w_icon(a, b.x + pad, b.y + app_sz(a, 16), ICON_ALERT, is, p->on_urgent);
        ui_paragraph(a->ui, (struct ui_rect){b.x + tx, b.y + app_sz(a, 16), tw, h}, text,
                     UI_FONT_BOLD, ts, p->on_urgent, 4);
    }
}

static int nav_height(struct app *a)
{
    return app_sz(a, SZ_NAV) + (a->large ? app_sz(a, 16) : 0);
}

static void nav(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->pal;
    ui_draw_rect(a->ui, r, p->surface, 0);
    ui_draw_rect(a->ui, (struct ui_rect){r.x, r.y, r.w, 2}, p->line, 0);
    int iw = r.w / SCR_COUNT;
    int inner = iw - 2 * app_sz(a, 6);
    /* One size for all labels: the largest that fits every item (never
     * below the small text size of the scale). */
    int ts = app_ts(a, TS_SMALL);
    for (int i = 0; i < SCR_COUNT; i++)
        while (ts > app_sz(a, TS_SMALL) &&
               ui_text_width(a->ui, UI_FONT_BOLD, ts, i18n_str(a->lang, screens[i].name)) > inner)
            ts--;
    int is = app_ts(a, TS_ICON);
    for (int i = 0; i < SCR_COUNT; i++) {
        const char *label = i18n_str(a->lang, screens[i].name);
        struct ui_rect it = {r.x + i * iw, r.y + 2, iw, r.h - 2};
        struct ui_rect hi = ui_inset(it, app_sz(a, 6));
        uint32_t id = ui_id(a->ui, label);
        bool sel = a->screen == (enum screen_id)i;
        if (sel || ui_pressed(a->ui, id))
            ui_draw_rect(a->ui, hi, sel ? p->accent_bg : p->sunken, app_sz(a, 14));
        struct ui_color fg = sel ? p->accent : p->muted;
        int ih = ui_line_height(a->ui, UI_FONT_ICON, is);
        int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
        int top = it.y + (it.h - ih - lh) / 2;
        char s[5];
        w_icon_utf8(screens[i].icon, s);
        int icw = ui_text_width(a->ui, UI_FONT_ICON, is, s);
        w_icon(a, it.x + (it.w - icw) / 2, top, screens[i].icon, is, fg);
        int tw = ui_text_width(a->ui, UI_FONT_BOLD, ts, label);
        ui_draw_text(a->ui, it.x + (it.w - tw) / 2, top + ih, label, UI_FONT_BOLD, ts, fg);
        ui_record(a->ui, label, sel ? "nav-selected" : "nav", hi, id, true, tw);
        if (ui_tapped(a->ui, id)) {
            if (a->screen == (enum screen_id)i) {
                /* Tapping the current item goes back to its list. */
                a->ini.open[0] = a->agenda.open[0] = a->open_org[0] = '\0';
                a->rooms.room[0] = '\0';
                a->rooms.start = 0;
            }
            a->screen = (enum screen_id)i;
            ui_focus(a->ui, 0);
            a->redraw = true;
        }
    }
}

/* ---- overlays ---- */

static void countdown(struct app *a, int left)
{
    struct ui_rect r = w_dialog(a, app_sz(a, 760), app_sz(a, 380));
    char text[120];
    w_title(a, r, i18n_str(a->lang, S_STILL_THERE), ICON_TIMER);
    i18n_fill_int(text, sizeof text, i18n_str(a->lang, S_RESET_IN), left);
    int ts = app_ts(a, TS_LEAD);
    ui_paragraph(a->ui, (struct ui_rect){r.x, r.y + app_sz(a, 90), r.w, r.h}, text, UI_FONT_REGULAR,
                 ts, a->pal->text, 0);
    const char *more = i18n_str(a->lang, S_MORE_TIME);
    struct ui_rect b = {r.x, r.y + r.h - app_sz(a, SZ_BUTTON), r.w, app_sz(a, SZ_BUTTON)};
    if (w_button(a, b, more, ICON_CLOCK, W_PRIMARY))
        app_touched(a);
}

static void staff_dialog(struct app *a)
{
    int kh = w_keyboard_height(a, 0);
    struct ui_rect r = w_dialog(a, app_sz(a, 720), app_sz(a, 380) + kh);
    w_title(a, r, i18n_str(a->lang, S_STAFF_PIN), ICON_LOCK);
    int fh = app_sz(a, SZ_BUTTON);
    struct ui_rect f = {r.x, r.y + app_sz(a, 80), r.w, fh};
    const char *name = i18n_str(a->lang, S_STAFF_PIN);
    ui_focus(a->ui, ui_id(a->ui, name));
    bool enter = w_field(a, f, name, a->staff.pin, sizeof a->staff.pin, 12);
    if (a->staff.wrong)
        ui_label(a->ui, (struct ui_rect){r.x, f.y + fh, r.w, app_sz(a, 50)},
                 i18n_str(a->lang, S_WRONG_PIN), UI_FONT_BOLD, app_ts(a, TS_BODY), a->pal->refused,
                 UI_LEFT);
    struct ui_rect k = {r.x, f.y + fh + app_sz(a, 60), r.w, kh};
    w_keyboard(a, k, true);
    struct ui_rect b = {r.x, r.y + r.h - app_sz(a, SZ_BUTTON), (r.w - app_sz(a, 16)) / 2,
                        app_sz(a, SZ_BUTTON)};
    if (w_button(a, b, i18n_str(a->lang, S_CANCEL), ICON_CLOSE, W_SECONDARY)) {
        a->staff.open = false;
        ui_focus(a->ui, 0);
    }
    b.x += b.w + app_sz(a, 16);
    bool go = w_button(a, b, i18n_str(a->lang, S_EXIT), ICON_CHECK, W_PRIMARY);
    if (go || enter || (!ui_focused(a->ui) && a->staff.pin[0])) {
        if (a->cfg.pin && a->cfg.pin[0] && strcmp(a->staff.pin, a->cfg.pin) == 0)
            a->quit = true;
        a->staff.wrong = true;
        a->staff.pin[0] = '\0';
    }
}

static void toast(struct app *a, struct ui_rect area)
{
    if (!a->toast[0] || a->now >= a->toast_until)
        return;
    int ts = app_ts(a, TS_BODY), pad = app_sz(a, 24);
    int w = area.w - 2 * app_sz(a, SZ_PAD);
    if (w > app_sz(a, 1000))
        w = app_sz(a, 1000);
    int lines = ui_wrap(a->ui, UI_FONT_BOLD, ts, a->toast, w - 2 * pad, NULL, NULL);
    int h = lines * ui_line_height(a->ui, UI_FONT_BOLD, ts) + 2 * pad;
    struct ui_rect r = {area.x + (area.w - w) / 2, area.y + area.h - h - app_sz(a, 24), w, h};
    ui_draw_rect(a->ui, r, a->pal->text, app_sz(a, 16));
    ui_paragraph(a->ui, ui_inset(r, pad), a->toast, UI_FONT_BOLD, ts, a->pal->bg, 0);
}

static bool night(const struct app *a)
{
    int f = a->cfg.sleep_from, u = a->cfg.sleep_until;
    if (f < 0)
        return false;
    int m = a->local.hour * 60 + a->local.minute;
    return f < u ? m >= f && m < u : m >= f || m < u;
}

/* The night's screen: black, so nothing burns in and an LCD shows its
 * darkest. The touch that wakes it lands here, on nothing, so it never
 * presses what is under the finger on the screen that comes back. */
static bool sleep_frame(struct app *a, int width, int height, uint64_t ms)
{
    if (!a->asleep)
        a->asleep = night(a) && a->now - a->last_input >= a->cfg.idle_s && app_countdown(a) < 0;
    if (!a->asleep)
        return false;
    ui_begin(a->ui, width, height, ms);
    ui_draw_rect(a->ui, (struct ui_rect){0, 0, width, height}, (struct ui_color){0, 0, 0, 255}, 0);
    if (a->waking && !ui_held(a->ui)) {
        a->asleep = a->waking = false;
        a->last_input = a->now;
        a->redraw = true;
    }
    ui_end(a->ui);
    return true;
}

void app_frame(struct app *a, int width, int height, uint64_t ms)
{
    a->w = width;
    a->h = height;
    a->portrait = height > width;
    a->scale = (width < height ? width : height) / 1080.0;
    if (a->scale < 0.4)
        a->scale = 0.4;
    a->ms = ms;
    a->now = ts_now();
    ts_paris(a->now, &a->local);
    a->pal = a->contrast ? &theme_contrast : &theme_normal;
    int left = app_countdown(a);
    if (left == 0)
        app_reset(a);
    if (sleep_frame(a, width, height, ms))
        return;
    /* One look at the replica for the whole frame: the status bar then
     * agrees with a screen that reads fresh rows. */
    model_refresh(a->model);
    ui_begin(a->ui, width, height, ms);
    struct ui_rect area = {0, 0, width, height};
    /* render_frame() clears to the background: no full-screen rect here. */
    status_bar(a, &area);
    banner(a, &area);
    offline_notice(a, &area);
    struct ui_rect navr = ui_cut_bottom(&area, nav_height(a));
    if (ui_focused(a->ui) && !a->staff.open) {
        int kh = w_keyboard_height(a, area.w);
        struct ui_rect k = ui_cut_bottom(&area, kh);
        bool numeric = a->screen == SCR_ROOMS && a->rooms.booking[0];
        w_keyboard(a, k, numeric);
    }
    struct ui_rect content = area;
    ui_push_id(a->ui, "screen");
    ui_clip_push(a->ui, content);
    screens[a->screen].draw(a, content);
    ui_clip_pop(a->ui);
    ui_pop_id(a->ui);
    nav(a, navr);
    toast(a, content);
    if (a->staff.open)
        staff_dialog(a);
    left = app_countdown(a);
    if (left > 0)
        countdown(a, left);
    if (ui_end(a->ui))
        a->redraw = true;
}
