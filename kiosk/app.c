/* app: the shell around the screens: status bar, urgent banner,
 * navigation, keyboard, idle countdown and toasts; the staff gesture
 * opens staff.c's panel.
 *
 * Layout is computed from the window each frame: sizes scale with the
 * short side (1080 px = scale 1), the navigation sits at the bottom
 * (within reach on a portrait totem), and the status bar takes a second
 * row when its parts do not fit on one. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff.h"
#include "tables.h"
#include "when.h"
#include "widget.h"

struct screen {
    enum str name;
    unsigned icon;
    void (*draw)(struct app *a, struct ui_rect r);
    void (*reset)(struct app *a); /* a new visitor; NULL: the screen keeps no state */
    void (*list)(struct app *a);  /* its item tapped again: back to its list; NULL: none */
};

static const struct screen screens[SCR_COUNT] = {
    [SCR_HOME] = {S_HOME, ICON_HOME, screen_home, NULL, NULL},
    [SCR_INITIATIVES] = {S_INITIATIVES, ICON_INITIATIVES, screen_initiatives,
                         screen_initiatives_reset, screen_initiatives_list},
    [SCR_AGENDA] = {S_AGENDA, ICON_AGENDA, screen_agenda, screen_agenda_reset, screen_agenda_list},
    [SCR_ROOMS] = {S_ROOMS, ICON_ROOMS, screen_rooms, screen_rooms_reset, screen_rooms_list},
    [SCR_NEWS] = {S_NEWS, ICON_NEWS, screen_news, NULL, NULL},
    [SCR_DIRECTORY] = {S_DIRECTORY, ICON_DIRECTORY, screen_directory, screen_directory_reset,
                       screen_directory_list},
    [SCR_IDEAS] = {S_IDEAS, ICON_IDEAS, screen_ideas, screen_ideas_reset, NULL},
    [SCR_FIGURES] = {S_FIGURES, ICON_CHART, screen_figures, NULL, NULL},
};

static void reset_screens(struct app *a)
{
    for (int i = 0; i < SCR_COUNT; i++)
        if (screens[i].reset)
            screens[i].reset(a);
}

void app_init(struct app *a, const struct app_config *cfg, struct model *m, struct ui *ui)
{
    memset(a, 0, sizeof *a);
    a->cfg = *cfg;
    a->model = m;
    a->ui = ui;
    a->look.ui = ui;
    a->look.lang = cfg->lang;
    a->look.pal = &theme_normal;
    a->look.scale = 1;
    a->last_input = ts_now();
    reset_screens(a);
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
           a->ideas.text[0] || a->ideas.author[0] || a->rooms.cancel_code[0] || a->staff.open ||
           a->alerts_open;
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
    reset_screens(a);
    staff_reset(a);
    a->toast[0] = '\0';
    a->alerts_open = false;
    a->kbd.queue[0] = '\0';
    a->kbd.shift = false;
    ui_focus(a->ui, 0);
    ui_scroll_reset_all(a->ui);
    /* The last visitor's language and display choices are theirs too. */
    a->look.lang = a->cfg.lang;
    a->look.large = a->look.contrast = false;
    a->look.pal = &theme_normal;
    a->screen = SCR_HOME;
    a->last_input = ts_now();
}

void app_set_lang(struct app *a, enum lang l)
{
    a->look.lang = l;
}

void app_toast(struct app *a, const char *text)
{
    snprintf(a->toast, sizeof a->toast, "%s", text);
    a->toast_until = a->now + 6;
}

/* ---- status bar ---- */

/* Online or offline since when: all a visitor needs; the outbox and
 * refusals are staff information (staff.c). */
static void sync_text(struct app *a, char *out, size_t cap, bool *offline)
{
    struct model_sync s;
    model_sync_state(a->model, &s);
    int64_t t = 0;
    *offline = !s.online;
    if (s.online) {
        snprintf(out, cap, "%s", i18n_str(a->look.lang, S_ONLINE));
    } else if (s.last_ok[0] && ts_parse(s.last_ok, &t) == ERR_OK) {
        char hm[8];
        when_hhmm(t, hm, sizeof hm);
        i18n_fill(out, cap, i18n_str(a->look.lang, S_OFFLINE_SINCE), hm);
    } else {
        snprintf(out, cap, "%s", i18n_str(a->look.lang, S_OFFLINE));
    }
}

/* Toggles on the right, within avail (without their icons when these
 * would not fit); returns their total width. */
static int toggles(struct app *a, int x, int y, int h, int avail, bool draw)
{
    struct {
        const char *label;
        unsigned icon;
        bool on;
    } t[] = {
        {i18n_str(a->look.lang, S_LANG_OTHER), ICON_LANG, false},
        {i18n_str(a->look.lang, S_LARGER_TEXT), ICON_TEXT_SIZE, a->look.large},
        {i18n_str(a->look.lang, S_CONTRAST), ICON_CONTRAST, a->look.contrast},
    };
    /* Their natural widths; else without icons; else their words' widths
     * and a share of what is left. */
    int gap = look_sz(&a->look, 10), x0 = x, w[3], all = 2 * gap, bare = 2 * gap, least = 2 * gap;
    for (int i = 0; i < 3; i++) {
        all += w_button_width(&a->look, t[i].label, t[i].icon);
        bare += w_button_width(&a->look, t[i].label, 0);
        least += w_button_min_width(&a->look, t[i].label, 0);
    }
    for (int i = 0; i < 3; i++) {
        t[i].icon = all > avail ? 0 : t[i].icon;
        w[i] = bare > avail ? w_button_min_width(&a->look, t[i].label, 0) + (avail - least) / 3
                            : w_button_width(&a->look, t[i].label, t[i].icon);
    }
    for (int i = 0; i < 3; i++) {
        if (draw && w_button(&a->look, (struct ui_rect){x, y, w[i], h}, t[i].label, t[i].icon,
                             t[i].on ? W_SELECTED : W_SECONDARY)) {
            if (i == 0)
                a->look.lang = a->look.lang == LANG_FR ? LANG_EN : LANG_FR;
            else if (i == 1)
                a->look.large = !a->look.large;
            else
                a->look.contrast = !a->look.contrast;
            a->look.pal = a->look.contrast ? &theme_contrast : &theme_normal;
            a->redraw = true;
        }
        x += w[i] + gap;
    }
    return x - x0 - gap;
}

static int status_bar(struct app *a, struct ui_rect *area)
{
    const struct theme_palette *p = a->look.pal;
    int pad = look_sz(&a->look, SZ_PAD), gap = look_sz(&a->look, 24);
    int bh = look_touch(&a->look, SZ_TOUCH);
    int row = bh + 2 * look_sz(&a->look, 8);
    char site[200], clock[8], sync[200];
    const char *sname = a->cfg.site ? model_site_name(a->model, a->cfg.site) : "";
    snprintf(site, sizeof site, "%s", sname[0] ? sname : a->cfg.site ? a->cfg.site : "Sceaux");
    when_hhmm(a->now, clock, sizeof clock);
    bool offline;
    sync_text(a, sync, sizeof sync, &offline);
    a->offline = offline;
    int ts = look_ts(&a->look, TS_BODY);
    int is = look_ts(&a->look, TS_ICON);
    int site_w = ui_text_width(a->ui, UI_FONT_BOLD, ts, site);
    int site_min = site_w < area->w * 22 / 100 ? site_w : area->w * 22 / 100;
    /* The sync text may shorten (ellipsis) down to a sixth of the row,
     * and the site name to 22 %, before the bar takes a second row. */
    int sync_w = ui_text_width(a->ui, UI_FONT_REGULAR, ts, sync);
    int rest =
        gap + ui_text_width(a->ui, UI_FONT_BOLD, ts, clock) + gap + is + look_sz(&a->look, 8);
    int right_w = toggles(a, 0, 0, bh, area->w - 2 * pad, false);
    bool two_rows =
        site_min + rest + (sync_w < area->w / 6 ? sync_w : area->w / 6) + right_w + 2 * pad + gap >
        area->w;
    /* The site name then takes what its row leaves beside the whole sync
     * text: shortened only when it really does not fit. */
    int room = area->w - 2 * pad - rest - sync_w - (two_rows ? 0 : right_w + gap);
    int sw = site_w < room ? site_w : room > site_min ? room : site_min;
    /* While typing in landscape, the toggles' row gives its height to the
     * form; they come back with Valider. */
    bool toggles_shown = !two_rows || !a->kbd.open || a->look.portrait;
    struct ui_rect bar = ui_cut_top(area, two_rows && toggles_shown ? 2 * row : row);
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
    x += w_icon(&a->look, x, r1.y + (row - ih) / 2, offline ? ICON_WIFI_OFF : ICON_WIFI, is, sc) +
         look_sz(&a->look, 8);
    int avail = two_rows ? r1.x + r1.w - x : r1.x + r1.w - right_w - gap - x;
    ui_label(a->ui, (struct ui_rect){x, r1.y, avail, row}, sync, UI_FONT_REGULAR, ts,
             offline ? p->pending : p->text, UI_LEFT);
    int ty = two_rows ? bar.y + row + (row - bh) / 2 : bar.y + (row - bh) / 2;
    if (toggles_shown)
        toggles(a, r1.x + r1.w - right_w, ty, bh, r1.w, true);
    return bar.h;
}

/* ---- banner, navigation ---- */

/* Where a visitor sends something, a calm line says that offline it will
 * leave later: the request is kept, not lost. */
static void offline_notice(struct app *a, struct ui_rect *area)
{
    if (!a->offline || (a->screen != SCR_ROOMS && a->screen != SCR_IDEAS))
        return;
    const struct theme_palette *p = a->look.pal;
    int pad = look_sz(&a->look, SZ_PAD), ts = look_ts(&a->look, TS_SMALL),
        is = look_ts(&a->look, TS_ICON);
    const char *text = i18n_str(a->look.lang, S_OFFLINE_NOTICE);
    int tx = pad + is + look_sz(&a->look, 12);
    int tw = area->w - tx - pad;
    int lines = ui_wrap(a->ui, UI_FONT_REGULAR, ts, text, tw, NULL, NULL);
    int h = lines * ui_line_height(a->ui, UI_FONT_REGULAR, ts) + 2 * look_sz(&a->look, 12);
    struct ui_rect b = ui_cut_top(area, h);
    ui_draw_rect(a->ui, b, p->sunken, 0);
    w_icon(&a->look, b.x + pad, b.y + (h - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2,
           ICON_WIFI_OFF, is, p->pending);
    ui_paragraph(a->ui, (struct ui_rect){b.x + tx, b.y + look_sz(&a->look, 12), tw, h}, text,
                 UI_FONT_REGULAR, ts, p->text, 0);
}

/* s on one line into out: each run of line breaks and tabs becomes one
 * space (a label would show them as boxes). */
static void one_line(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++) {
        bool brk = *s == '\n' || *s == '\r' || *s == '\t';
        if (!brk)
            out[n++] = *s;
        else if (n > 0 && out[n - 1] != ' ')
            out[n++] = ' ';
    }
    out[n] = '\0';
}

/* What a tap on the urgent band opens, in words, into out: the others
 * ("+2 alertes") or the rest of a text cut at w; empty when all shows. */
static void band_more(struct app *a, int n, const char *title, const char *body, int w, char *out,
                      size_t cap)
{
    int ts = look_ts(&a->look, TS_BODY);
    out[0] = '\0';
    if (n > 1)
        i18n_count(a->look.lang, S_ALERTS_MORE_1, n - 1, out, cap);
    else if (ui_text_width(a->ui, UI_FONT_BOLD, ts, title) > w ||
             ui_text_width(a->ui, UI_FONT_REGULAR, ts, body) > w)
        snprintf(out, cap, "%s", i18n_str(a->look.lang, S_READ_MORE));
}

/* The pill that says what a tap opens, at the right of the band b;
 * returns its left edge. Filled while the band is held. */
static int band_pill(struct app *a, struct ui_rect b, const char *label, bool held)
{
    const struct theme_palette *p = a->look.pal;
    int ts = look_ts(&a->look, TS_BODY), in = look_sz(&a->look, 16);
    char chev[5];
    w_icon_utf8(ICON_NEXT, chev);
    int tw = ui_text_width(a->ui, UI_FONT_BOLD, ts, label);
    int cw = ui_text_width(a->ui, UI_FONT_ICON, ts, chev);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    int ph = lh + 2 * look_sz(&a->look, 8), pw = tw + cw + 2 * in;
    struct ui_rect r = {b.x + b.w - look_sz(&a->look, SZ_PAD) - pw, b.y + (b.h - ph) / 2, pw, ph};
    if (held)
        ui_draw_rect(a->ui, r, p->on_urgent, ph / 2);
    else
        ui_draw_border(a->ui, r, p->on_urgent, ph / 2, look_sz(&a->look, 3));
    struct ui_color fg = held ? p->urgent : p->on_urgent;
    ui_draw_text(a->ui, r.x + in, r.y + (ph - lh) / 2, label, UI_FONT_BOLD, ts, fg);
    w_icon(&a->look, r.x + in + tw, r.y + (ph - ui_line_height(a->ui, UI_FONT_ICON, ts)) / 2,
           ICON_NEXT, ts, fg);
    return r.x;
}

/* Urgent announcements share one band of two lines whatever their number:
 * the most recent, its title in bold over its body, and at the right
 * what a tap opens. The whole band is the touch target: the dialog then
 * shows every urgent announcement whole (Annonces lists them too). */
static void banner(struct app *a, struct ui_rect *area)
{
    int n;
    const struct model_rows *ann = screen_news_rows(a, &n);
    if (n == 0) {
        a->alerts_open = false; /* the last one ended while it was open */
        return;
    }
    const struct theme_palette *p = a->look.pal;
    char title[4 * 120 + 1], body[4 * 1000 + 1]; /* docs/protocol.md's limits, in UTF-8 */
    one_line(model_str(ann, 0, ANN_TITLE), title, sizeof title);
    one_line(model_str(ann, 0, ANN_BODY), body, sizeof body);
    int pad = look_sz(&a->look, SZ_PAD), ts = look_ts(&a->look, TS_BODY),
        is = look_ts(&a->look, TS_ICON);
    int tl = ui_line_height(a->ui, UI_FONT_BOLD, ts),
        bl = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    int th = tl + (body[0] ? bl : 0), h = th + 2 * look_sz(&a->look, SZ_BAND_PAD);
    struct ui_rect b = ui_cut_top(area, h < THEME_TOUCH_MIN_PX ? THEME_TOUCH_MIN_PX : h);
    int ty = b.y + (b.h - th) / 2;
    int tx = b.x + pad + is + look_sz(&a->look, 16);
    char more[80];
    band_more(a, n, title, body, b.x + b.w - pad - tx, more, sizeof more);
    const char *label = more[0] ? more : title;
    ui_draw_rect(a->ui, b, p->urgent, 0);
    w_icon(&a->look, b.x + pad, b.y + (b.h - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2,
           ICON_ALERT, is, p->on_urgent);
    int right = more[0] ? band_pill(a, b, more, ui_pressed(a->ui, ui_id(a->ui, label))) -
                              look_sz(&a->look, 16)
                        : b.x + b.w - pad;
    ui_label(a->ui, (struct ui_rect){tx, ty, right - tx, tl}, title, UI_FONT_BOLD, ts, p->on_urgent,
             UI_LEFT);
    if (body[0])
        ui_label(a->ui, (struct ui_rect){tx, ty + tl, right - tx, bl}, body, UI_FONT_REGULAR, ts,
                 p->on_urgent, UI_LEFT);
    if (ui_hit(a->ui, b, label, "banner")) {
        a->alerts_open = true;
        a->redraw = true;
    }
}

static int nav_height(struct app *a)
{
    return look_sz(&a->look, SZ_NAV) + (a->look.large ? look_sz(&a->look, 16) : 0);
}

static void nav(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->look.pal;
    ui_draw_rect(a->ui, r, p->surface, 0);
    ui_draw_rect(a->ui, (struct ui_rect){r.x, r.y, r.w, 2}, p->line, 0);
    int iw = r.w / SCR_COUNT;
    int inner = iw - 2 * look_sz(&a->look, 6);
    /* One size for all labels: the largest that fits every item (never
     * below the small text size of the scale). */
    int ts = look_ts(&a->look, TS_SMALL);
    for (int i = 0; i < SCR_COUNT; i++)
        while (ts > look_sz(&a->look, TS_SMALL) &&
               ui_text_width(a->ui, UI_FONT_BOLD, ts, i18n_str(a->look.lang, screens[i].name)) >
                   inner)
            ts--;
    int is = look_ts(&a->look, TS_ICON);
    for (int i = 0; i < SCR_COUNT; i++) {
        const char *label = i18n_str(a->look.lang, screens[i].name);
        struct ui_rect it = {r.x + i * iw, r.y + 2, iw, r.h - 2};
        struct ui_rect hi = ui_inset(it, look_sz(&a->look, 6));
        uint32_t id = ui_id(a->ui, label);
        bool sel = a->screen == (enum screen_id)i;
        if (sel || ui_pressed(a->ui, id))
            ui_draw_rect(a->ui, hi, sel ? p->accent_bg : p->sunken, look_sz(&a->look, 14));
        struct ui_color fg = sel ? p->accent : p->muted;
        int ih = ui_line_height(a->ui, UI_FONT_ICON, is);
        int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
        int top = it.y + (it.h - ih - lh) / 2;
        char s[5];
        w_icon_utf8(screens[i].icon, s);
        int icw = ui_text_width(a->ui, UI_FONT_ICON, is, s);
        w_icon(&a->look, it.x + (it.w - icw) / 2, top, screens[i].icon, is, fg);
        int tw = ui_text_width(a->ui, UI_FONT_BOLD, ts, label);
        ui_draw_text(a->ui, it.x + (it.w - tw) / 2, top + ih, label, UI_FONT_BOLD, ts, fg);
        ui_record(a->ui, label, sel ? "nav-selected" : "nav", hi, id, true, tw);
        if (ui_tapped(a->ui, id)) {
            if (a->screen == (enum screen_id)i && screens[i].list)
                screens[i].list(a);
            a->screen = (enum screen_id)i;
            ui_focus(a->ui, 0);
            a->redraw = true;
        }
    }
}

/* ---- overlays ---- */

static void countdown(struct app *a, int left)
{
    struct ui_rect r = w_dialog(&a->look, look_sz(&a->look, 760), look_sz(&a->look, 380));
    char text[120];
    w_title(&a->look, r, i18n_str(a->look.lang, S_STILL_THERE), ICON_TIMER);
    i18n_fill_int(text, sizeof text, i18n_str(a->look.lang, S_RESET_IN), left);
    int ts = look_ts(&a->look, TS_LEAD);
    ui_paragraph(a->ui, (struct ui_rect){r.x, r.y + look_sz(&a->look, 90), r.w, r.h}, text,
                 UI_FONT_REGULAR, ts, a->look.pal->text, 0);
    const char *more = i18n_str(a->look.lang, S_MORE_TIME);
    struct ui_rect b = {r.x, r.y + r.h - look_touch(&a->look, SZ_BUTTON), r.w,
                        look_touch(&a->look, SZ_BUTTON)};
    if (w_button(&a->look, b, more, ICON_CLOCK, W_PRIMARY))
        app_touched(a);
}

/* A toast is a band at the bottom of the screen's area for its few
 * seconds, not a layer over it: it covers no button. */
static void toast(struct app *a, struct ui_rect *area)
{
    if (!a->toast[0] || a->now >= a->toast_until || a->kbd.open) /* typing comes first */
        return;
    int ts = look_ts(&a->look, TS_BODY), pad = look_sz(&a->look, 16);
    int w = area->w - 2 * look_sz(&a->look, SZ_PAD);
    int lines = ui_wrap(a->ui, UI_FONT_BOLD, ts, a->toast, w - 2 * pad, NULL, NULL);
    int h = lines * ui_line_height(a->ui, UI_FONT_BOLD, ts) + 2 * pad;
    struct ui_rect band = ui_cut_bottom(area, h + look_sz(&a->look, 12));
    struct ui_rect r = {band.x + look_sz(&a->look, SZ_PAD), band.y, w, h};
    ui_draw_rect(a->ui, r, a->look.pal->text, look_sz(&a->look, 16));
    ui_record(a->ui, a->toast, "toast", r, 0, false, 0);
    ui_paragraph(a->ui, ui_inset(r, pad), a->toast, UI_FONT_BOLD, ts, a->look.pal->bg, 0);
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

/* The on-screen keyboard at the bottom of *area while a field has the
 * focus: the digits keypad for a cancel code. */
static void keyboard(struct app *a, struct ui_rect *area)
{
    if (!a->kbd.open)
        return;
    bool numeric = a->screen == SCR_ROOMS && a->rooms.booking[0];
    int kh = numeric ? w_keypad_height(&a->look) : w_keyboard_height(&a->look, area->w);
    if (w_keyboard(&a->look, &a->kbd, ui_cut_bottom(area, kh), numeric))
        a->redraw = true;
}

void app_frame(struct app *a, int width, int height, uint64_t ms)
{
    a->look.w = width;
    a->look.h = height;
    a->look.portrait = height > width;
    a->look.scale = (width < height ? width : height) / 1080.0;
    if (a->look.scale < 0.4)
        a->look.scale = 0.4;
    a->ms = ms;
    a->now = ts_now();
    a->wake_at = 0;
    ts_paris(a->now, &a->local);
    a->look.pal = a->look.contrast ? &theme_contrast : &theme_normal;
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
    a->kbd.open = ui_focused(a->ui) && !a->staff.open;
    status_bar(a, &area);
    banner(a, &area);
    /* While typing, the form's field and buttons need the height more. */
    if (!a->kbd.open)
        offline_notice(a, &area);
    struct ui_rect navr = ui_cut_bottom(&area, nav_height(a));
    keyboard(a, &area);
    toast(a, &area);
    struct ui_rect content = area;
    ui_push_id(a->ui, "screen");
    ui_clip_push(a->ui, content);
    screens[a->screen].draw(a, content);
    ui_clip_pop(a->ui);
    ui_pop_id(a->ui);
    nav(a, navr);
    if (a->alerts_open)
        screen_urgent_dialog(a);
    staff_draw(a);
    left = app_countdown(a);
    if (left > 0)
        countdown(a, left);
    if (ui_end(a->ui))
        a->redraw = true;
}
