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
#include <string.h>

#include "num.h"
#include "staff.h"
#include "tables.h"
#include "when.h"
#include "widget.h"

struct screen {
    enum str name;
    unsigned icon;
    void (*draw)(struct app *a, struct ui_rect r);
    void (*reset)(struct app *a);        /* a new visitor; NULL: the screen keeps no state */
    bool (*used)(const struct app *a);   /* a visitor's state is in it; NULL: never */
    void (*list)(struct app *a);         /* its item tapped again: back to its list; NULL: none */
    bool (*keypad)(const struct app *a); /* its field with the focus takes digits; NULL: never */
    bool sends; /* a visitor sends from it: offline, a notice says it will leave later */
};

static const struct screen screens[SCR_COUNT] = {
    [SCR_HOME] = {.name = S_HOME, .icon = ICON_HOME, .draw = screen_home},
    [SCR_INITIATIVES] = {.name = S_INITIATIVES,
                         .icon = ICON_INITIATIVES,
                         .draw = screen_initiatives,
                         .reset = screen_initiatives_reset,
                         .used = screen_initiatives_used,
                         .list = screen_initiatives_list},
    [SCR_AGENDA] = {.name = S_AGENDA,
                    .icon = ICON_AGENDA,
                    .draw = screen_agenda,
                    .reset = screen_agenda_reset,
                    .used = screen_agenda_used,
                    .list = screen_agenda_list},
    [SCR_ROOMS] = {.name = S_ROOMS,
                   .icon = ICON_ROOMS,
                   .draw = screen_rooms,
                   .reset = screen_rooms_reset,
                   .used = screen_rooms_used,
                   .list = screen_rooms_list,
                   .keypad = screen_rooms_keypad,
                   .sends = true},
    [SCR_NEWS] = {.name = S_NEWS, .icon = ICON_NEWS, .draw = screen_news},
    [SCR_DIRECTORY] = {.name = S_DIRECTORY,
                       .icon = ICON_DIRECTORY,
                       .draw = screen_directory,
                       .reset = screen_directory_reset,
                       .used = screen_directory_used,
                       .list = screen_directory_list},
    [SCR_IDEAS] = {.name = S_IDEAS,
                   .icon = ICON_IDEAS,
                   .draw = screen_ideas,
                   .reset = screen_ideas_reset,
                   .used = screen_ideas_used,
                   .sends = true},
    [SCR_FIGURES] = {.name = S_FIGURES, .icon = ICON_CHART, .draw = screen_figures},
};

/* The shell's overlays over the screen and the navigation, in the order
 * they are drawn: the same reset and used hooks as screens; each draws
 * itself only while open. */
struct overlay {
    void (*draw)(struct app *a);
    void (*reset)(struct app *a);
    bool (*used)(const struct app *a); /* open: a visitor's */
    bool keys; /* brings its own keypad: the on-screen keyboard stays shut while open */
};

static const struct overlay overlays[] = {
    {.draw = screen_urgent_dialog, .reset = screen_urgent_reset, .used = screen_urgent_used},
    {.draw = staff_draw, .reset = staff_reset, .used = staff_used, .keys = true},
};
#define NOVERLAYS (sizeof overlays / sizeof overlays[0])

static void reset_visitor(struct app *a)
{
    for (int i = 0; i < SCR_COUNT; i++)
        if (screens[i].reset)
            screens[i].reset(a);
    for (size_t i = 0; i < NOVERLAYS; i++)
        overlays[i].reset(a);
}

/* Whether an overlay is open; with keys, one that brings its own keypad. */
static bool overlay_open(const struct app *a, bool keys)
{
    for (size_t i = 0; i < NOVERLAYS; i++)
        if ((!keys || overlays[i].keys) && overlays[i].used(a))
            return true;
    return false;
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
    reset_visitor(a);
}

enum err app_parse_size(const char *s, int *w, int *h)
{
    char a[8];
    size_t n = strcspn(s, "xX");
    long x, y;
    if (!s[n] || n >= sizeof a)
        return ERR_INVALID;
    memcpy(a, s, n);
    a[n] = '\0';
    if (!num_parse(a, 200, 8192, &x) || !num_parse(s + n + 1, 200, 8192, &y))
        return ERR_INVALID;
    *w = (int)x;
    *h = (int)y;
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

/* Whether anything of the last visitor is left, for the countdown to
 * clear: a screen other than Home, a field with the focus, a dialog,
 * their display choices or what a screen holds of them. */
static bool dirty(const struct app *a)
{
    if (a->screen != SCR_HOME || ui_focused(a->ui) || overlay_open(a, false) ||
        ui_scrolled_any(a->ui))
        return true;
    if (a->look.lang != a->cfg.lang || a->look.large || a->look.contrast)
        return true;
    for (int i = 0; i < SCR_COUNT; i++)
        if (screens[i].used && screens[i].used(a))
            return true;
    return false;
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
    reset_visitor(a);
    a->toast[0] = '\0';
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

/* The toggles in a row from r's left, without their icons when these
 * would not fit r.w; returns their width, which a measuring pass
 * (ui_measure_begin) gives before they are placed. */
static int toggles(struct app *a, struct ui_rect r)
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
    int gap = look_sz(&a->look, 10), w[3], all = 2 * gap, bare = 2 * gap, least = 2 * gap;
    for (int i = 0; i < 3; i++) {
        all += w_button_width(&a->look, t[i].label, t[i].icon);
        bare += w_button_width(&a->look, t[i].label, 0);
        least += w_button_min_width(&a->look, t[i].label, 0);
    }
    for (int i = 0; i < 3; i++) {
        t[i].icon = all > r.w ? 0 : t[i].icon;
        w[i] = bare > r.w ? w_button_min_width(&a->look, t[i].label, 0) + (r.w - least) / 3
                          : w_button_width(&a->look, t[i].label, t[i].icon);
    }
    struct ui_layout l;
    ui_layout_begin(&l, r, gap);
    ui_layout_row(&l, 3, w, r.h);
    for (int i = 0; i < 3; i++) {
        if (!w_button(&a->look, ui_layout_next(&l), t[i].label, t[i].icon,
                      t[i].on ? W_SELECTED : W_SECONDARY))
            continue;
        if (i == 0)
            a->look.lang = a->look.lang == LANG_FR ? LANG_EN : LANG_FR;
        else if (i == 1)
            a->look.large = !a->look.large;
        else
            a->look.contrast = !a->look.contrast;
        a->look.pal = a->look.contrast ? &theme_contrast : &theme_normal;
        a->redraw = true;
    }
    return w[0] + w[1] + w[2] + 2 * gap;
}

/* The status bar's words and how they share its width. */
struct bar_plan {
    char site[200], clock[8], sync[200];
    int site_w, clock_w, icon_w, toggles_w; /* icon_w: the sync icon and its space */
    bool offline, two_rows, toggles_shown;
};

static void bar_plan(struct app *a, int w, struct bar_plan *b)
{
    int pad = look_sz(&a->look, SZ_PAD), gap = look_sz(&a->look, 24);
    int ts = look_ts(&a->look, TS_BODY);
    const char *sname = a->cfg.site ? model_site_name(a->model, a->cfg.site) : "";
    snprintf(b->site, sizeof b->site, "%s",
             sname[0]      ? sname
             : a->cfg.site ? a->cfg.site
                           : "Sceaux");
    when_hhmm(a->now, b->clock, sizeof b->clock);
    sync_text(a, b->sync, sizeof b->sync, &b->offline);
    int site_w = ui_text_width(a->ui, UI_FONT_BOLD, ts, b->site);
    int site_min = site_w < w * 22 / 100 ? site_w : w * 22 / 100;
    b->clock_w = ui_text_width(a->ui, UI_FONT_BOLD, ts, b->clock);
    b->icon_w = look_ts(&a->look, TS_ICON) + look_sz(&a->look, 8);
    ui_measure_begin(a->ui);
    b->toggles_w = toggles(a, (struct ui_rect){0, 0, w - 2 * pad, 0});
    ui_measure_end(a->ui);
    /* The sync text may shorten (ellipsis) down to a sixth of the row,
     * and the site name to 22 %, before the bar takes a second row. */
    int sync_w = ui_text_width(a->ui, UI_FONT_REGULAR, ts, b->sync);
    int rest = gap + b->clock_w + gap + b->icon_w;
    b->two_rows =
        site_min + rest + (sync_w < w / 6 ? sync_w : w / 6) + b->toggles_w + 2 * pad + gap > w;
    /* The site name then takes what its row leaves beside the whole sync
     * text: shortened only when it really does not fit. */
    int room = w - 2 * pad - rest - sync_w - (b->two_rows ? 0 : b->toggles_w + gap);
    b->site_w = site_w < room ? site_w : room > site_min ? room : site_min;
    /* While typing in landscape, the toggles' row gives its height to the
     * form; they come back with Valider. */
    b->toggles_shown = !b->two_rows || !a->kbd.open || a->look.portrait;
}

/* A row of the site name, the clock and the sync state, then the
 * toggles at its right or, when they do not fit, on a second row. */
static void status_bar(struct app *a, struct ui_rect *area)
{
    const struct theme_palette *p = a->look.pal;
    struct bar_plan b;
    bar_plan(a, area->w, &b);
    a->offline = b.offline;
    int pad = look_sz(&a->look, SZ_PAD), ts = look_ts(&a->look, TS_BODY),
        is = look_ts(&a->look, TS_ICON), bh = look_touch(&a->look, SZ_TOUCH);
    int row = bh + 2 * look_sz(&a->look, 8);
    struct ui_rect bar = ui_cut_top(area, b.two_rows && b.toggles_shown ? 2 * row : row);
    ui_draw_rect(a->ui, bar, p->surface, 0);
    ui_draw_rect(a->ui, (struct ui_rect){bar.x, bar.y + bar.h - 2, bar.w, 2}, p->line, 0);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){bar.x + pad, bar.y, bar.w - 2 * pad, 0},
                    look_sz(&a->look, 24));
    ui_layout_row(&l, b.two_rows ? 3 : 4, (const int[]){b.site_w, b.clock_w, 0, b.toggles_w}, row);
    /* The site name is also the staff gesture: five taps in four seconds. */
    struct ui_rect sr = ui_layout_next(&l);
    ui_label(a->ui, sr, b.site, UI_FONT_BOLD, ts, p->primary, UI_LEFT);
    if (ui_hit(a->ui, sr, b.site, "site"))
        staff_tap(a);
    ui_label(a->ui, ui_layout_next(&l), b.clock, UI_FONT_BOLD, ts, p->text, UI_LEFT);
    struct ui_rect sy = ui_layout_next(&l);
    struct ui_rect ir = ui_cut_left(&sy, b.icon_w);
    w_icon(&a->look, ir.x, ir.y + (row - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2,
           b.offline ? ICON_WIFI_OFF : ICON_WIFI, is, b.offline ? p->pending : p->ok);
    ui_label(a->ui, sy, b.sync, UI_FONT_REGULAR, ts, b.offline ? p->pending : p->text, UI_LEFT);
    if (!b.toggles_shown)
        return;
    if (b.two_rows)
        ui_layout_space(&l, 0);
    struct ui_rect tr = b.two_rows ? ui_layout_block(&l, row) : ui_layout_next(&l);
    tr = ui_cut_right(&tr, b.toggles_w);
    toggles(a, (struct ui_rect){tr.x, tr.y + (row - bh) / 2, tr.w, bh});
}

/* ---- banner, navigation ---- */

/* Where a visitor sends something, a calm line says that offline it will
 * leave later: the request is kept, not lost. Its words are measured
 * where they go, for the band's height, then drawn there. */
static void offline_notice(struct app *a, struct ui_rect *area)
{
    if (!a->offline || !screens[a->screen].sends)
        return;
    const struct theme_palette *p = a->look.pal;
    int pad = look_sz(&a->look, SZ_PAD), in = look_sz(&a->look, 12),
        ts = look_ts(&a->look, TS_SMALL), is = look_ts(&a->look, TS_ICON);
    const char *text = i18n_str(a->look.lang, S_OFFLINE_NOTICE);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){area->x + pad, area->y + in, area->w - 2 * pad, 0}, in);
    ui_layout_row(&l, 2, (const int[]){is, 0}, 0);
    struct ui_rect ir = ui_layout_next(&l), tr = ui_layout_next(&l);
    ui_measure_begin(a->ui);
    int th = ui_paragraph(a->ui, tr, text, UI_FONT_REGULAR, ts, p->text, 0);
    ui_measure_end(a->ui);
    struct ui_rect b = ui_cut_top(area, th + 2 * in);
    ui_draw_rect(a->ui, b, p->sunken, 0);
    w_icon(&a->look, ir.x, b.y + (b.h - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2, ICON_WIFI_OFF,
           is, p->pending);
    ui_paragraph(a->ui, tr, text, UI_FONT_REGULAR, ts, p->text, 0);
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

/* The width of the pill that says what a tap opens. */
static int pill_width(struct app *a, const char *label)
{
    int ts = look_ts(&a->look, TS_BODY);
    char chev[5];
    w_icon_utf8(ICON_NEXT, chev);
    return ui_text_width(a->ui, UI_FONT_BOLD, ts, label) +
           ui_text_width(a->ui, UI_FONT_ICON, ts, chev) + 2 * look_sz(&a->look, 16);
}

/* That pill, centred in the height of r; filled while the band is held. */
static void band_pill(struct app *a, struct ui_rect r, const char *label, bool held)
{
    const struct theme_palette *p = a->look.pal;
    int ts = look_ts(&a->look, TS_BODY), in = look_sz(&a->look, 16);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts), ph = lh + 2 * look_sz(&a->look, 8);
    r.y += (r.h - ph) / 2;
    r.h = ph;
    if (held)
        ui_draw_rect(a->ui, r, p->on_urgent, ph / 2);
    else
        ui_draw_border(a->ui, r, p->on_urgent, ph / 2, look_sz(&a->look, 3));
    struct ui_color fg = held ? p->urgent : p->on_urgent;
    int tw = ui_draw_text(a->ui, r.x + in, r.y + (ph - lh) / 2, label, UI_FONT_BOLD, ts, fg);
    w_icon(&a->look, r.x + in + tw, r.y + (ph - ui_line_height(a->ui, UI_FONT_ICON, ts)) / 2,
           ICON_NEXT, ts, fg);
}

/* Urgent announcements share one band of two lines whatever their number:
 * the most recent, its title in bold over its body, and at the right
 * what a tap opens. The whole band is the touch target: the dialog then
 * shows every urgent announcement whole (Annonces lists them too). */
static void banner(struct app *a, struct ui_rect *area)
{
    int n;
    const struct model_rows *ann = screen_news_rows(a, &n);
    if (n == 0)
        return;
    const struct theme_palette *p = a->look.pal;
    char title[4 * 120 + 1], body[4 * 1000 + 1]; /* docs/protocol.md's limits, in UTF-8 */
    one_line(model_str(ann, 0, ANN_TITLE), title, sizeof title);
    one_line(model_str(ann, 0, ANN_BODY), body, sizeof body);
    int pad = look_sz(&a->look, SZ_PAD), ts = look_ts(&a->look, TS_BODY),
        is = look_ts(&a->look, TS_ICON), gap = look_sz(&a->look, 16);
    int tl = ui_line_height(a->ui, UI_FONT_BOLD, ts),
        bl = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    int th = tl + (body[0] ? bl : 0), h = th + 2 * look_sz(&a->look, SZ_BAND_PAD);
    struct ui_rect b = ui_cut_top(area, h < THEME_TOUCH_MIN_PX ? THEME_TOUCH_MIN_PX : h);
    char more[80];
    band_more(a, n, title, body, b.w - 2 * pad - is - gap, more, sizeof more);
    const char *label = more[0] ? more : title;
    ui_draw_rect(a->ui, b, p->urgent, 0);
    /* The icon, the title over the body, and the pill when there is more. */
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){b.x + pad, b.y, b.w - 2 * pad, 0}, gap);
    ui_layout_row(&l, more[0] ? 3 : 2, (const int[]){is, 0, more[0] ? pill_width(a, more) : 0},
                  b.h);
    struct ui_rect ir = ui_layout_next(&l), tr = ui_layout_next(&l);
    w_icon(&a->look, ir.x, ir.y + (b.h - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2, ICON_ALERT,
           is, p->on_urgent);
    if (more[0])
        band_pill(a, ui_layout_next(&l), more, ui_pressed(a->ui, ui_id(a->ui, label)));
    struct ui_layout c;
    ui_layout_begin(&c, (struct ui_rect){tr.x, b.y + (b.h - th) / 2, tr.w, 0}, 0);
    ui_label(a->ui, ui_layout_block(&c, tl), title, UI_FONT_BOLD, ts, p->on_urgent, UI_LEFT);
    if (body[0])
        ui_label(a->ui, ui_layout_block(&c, bl), body, UI_FONT_REGULAR, ts, p->on_urgent, UI_LEFT);
    if (ui_hit(a->ui, b, label, "banner"))
        screen_urgent_open(a);
}

static int nav_height(struct app *a)
{
    return look_sz(&a->look, SZ_NAV) + (a->look.large ? look_sz(&a->look, 16) : 0);
}

/* One label size for all items: the largest that fits every one (never
 * below the small text size of the scale). */
static int nav_text_size(struct app *a, int inner)
{
    int ts = look_ts(&a->look, TS_SMALL);
    for (int i = 0; i < SCR_COUNT; i++)
        while (ts > look_sz(&a->look, TS_SMALL) &&
               ui_text_width(a->ui, UI_FONT_BOLD, ts, i18n_str(a->look.lang, screens[i].name)) >
                   inner)
            ts--;
    return ts;
}

/* The navigation: a row of as many items as screens, each its icon over
 * its name, centred. */
static void nav(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->look.pal;
    ui_draw_rect(a->ui, r, p->surface, 0);
    ui_draw_rect(a->ui, ui_cut_top(&r, 2), p->line, 0);
    struct ui_layout l;
    ui_layout_begin(&l, r, 0);
    ui_layout_row(&l, SCR_COUNT, NULL, r.h);
    int in = look_sz(&a->look, 6), is = look_ts(&a->look, TS_ICON);
    int ts = nav_text_size(a, r.w / SCR_COUNT - 2 * in);
    int ih = ui_line_height(a->ui, UI_FONT_ICON, is), lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    for (int i = 0; i < SCR_COUNT; i++) {
        const char *label = i18n_str(a->look.lang, screens[i].name);
        struct ui_rect it = ui_layout_next(&l), hi = ui_inset(it, in);
        uint32_t id = ui_id(a->ui, label);
        bool sel = a->screen == (enum screen_id)i;
        if (sel || ui_pressed(a->ui, id))
            ui_draw_rect(a->ui, hi, sel ? p->accent_bg : p->sunken, look_sz(&a->look, 14));
        struct ui_color fg = sel ? p->accent : p->muted;
        char s[5];
        w_icon_utf8(screens[i].icon, s);
        struct ui_layout c;
        ui_layout_begin(&c, (struct ui_rect){it.x, it.y + (it.h - ih - lh) / 2, it.w, 0}, 0);
        struct ui_rect ir = ui_layout_block(&c, ih), tr = ui_layout_block(&c, lh);
        int icw = ui_text_width(a->ui, UI_FONT_ICON, is, s);
        w_icon(&a->look, ir.x + (ir.w - icw) / 2, ir.y, screens[i].icon, is, fg);
        int tw = ui_text_width(a->ui, UI_FONT_BOLD, ts, label);
        ui_draw_text(a->ui, tr.x + (tr.w - tw) / 2, tr.y, label, UI_FONT_BOLD, ts, fg);
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

/* The countdown's title, words and button down in; their height. */
static int countdown_body(struct app *a, struct ui_rect in, int left)
{
    char text[120];
    i18n_fill_int(text, sizeof text, i18n_str(a->look.lang, S_RESET_IN), left);
    struct ui_layout l;
    ui_layout_begin(&l, in, look_sz(&a->look, SZ_GAP));
    ui_layout_block(&l, w_title(&a->look, in, i18n_str(a->look.lang, S_STILL_THERE), ICON_TIMER));
    ui_layout_text(a->ui, &l, text, UI_FONT_REGULAR, look_ts(&a->look, TS_LEAD), a->look.pal->text,
                   0);
    ui_layout_space(&l, look_sz(&a->look, 36));
    struct ui_rect b = ui_layout_block(&l, look_touch(&a->look, SZ_BUTTON));
    if (w_button(&a->look, b, i18n_str(a->look.lang, S_MORE_TIME), ICON_CLOCK, W_PRIMARY))
        app_touched(a);
    return ui_layout_height(&l);
}

/* A dialog as high as its words and button, measured at the width
 * w_dialog gives it. */
static void countdown(struct app *a, int left)
{
    int w = look_sz(&a->look, 760), in = look_sz(&a->look, 36),
        most = a->look.w - 2 * look_sz(&a->look, 24);
    w = w < most ? w : most;
    ui_measure_begin(a->ui);
    int h = countdown_body(a, (struct ui_rect){0, 0, w - 2 * in, 0}, left);
    ui_measure_end(a->ui);
    countdown_body(a, w_dialog(&a->look, w, h + 2 * in), left);
}

/* A toast is a band at the bottom of the screen's area for its few
 * seconds, not a layer over it: it covers no button. Its words are
 * measured for its height, then drawn. */
static void toast(struct app *a, struct ui_rect *area)
{
    if (!a->toast[0] || a->now >= a->toast_until || a->kbd.open) /* typing comes first */
        return;
    int ts = look_ts(&a->look, TS_BODY), pad = look_sz(&a->look, 16),
        side = look_sz(&a->look, SZ_PAD);
    struct ui_rect r = {area->x + side, 0, area->w - 2 * side, 0};
    ui_measure_begin(a->ui);
    r.h = ui_paragraph(a->ui, ui_inset(r, pad), a->toast, UI_FONT_BOLD, ts, a->look.pal->bg, 0) +
          2 * pad;
    ui_measure_end(a->ui);
    r.y = ui_cut_bottom(area, r.h + look_sz(&a->look, 12)).y;
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
    bool numeric = screens[a->screen].keypad && screens[a->screen].keypad(a);
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
    a->kbd.open = ui_focused(a->ui) && !overlay_open(a, true);
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
    for (size_t i = 0; i < NOVERLAYS; i++)
        overlays[i].draw(a);
    left = app_countdown(a);
    if (left > 0)
        countdown(a, left);
    if (ui_end(a->ui))
        a->redraw = true;
}
