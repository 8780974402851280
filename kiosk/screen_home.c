/* screen_home: the attract screen: clock and date, current announcements,
 * today's events and a featured initiative that changes with the day. */
#include <stdio.h>
#include <string.h>

#include "when.h"
#include "widget.h"

/* Shortcuts to the three things people come for. row: at the top of r,
 * in a row when their words fit, else a column; !row: a column at the
 * bottom of r. Returns the height
 * used (0 when there is no room). */
static int shortcuts(struct app *a, struct ui_rect r, bool row)
{
    static const struct {
        enum str label;
        unsigned icon;
        enum screen_id to;
    } go[] = {{S_ROOMS_TITLE, ICON_ROOMS, SCR_ROOMS},
              {S_SUBMIT_IDEA, ICON_IDEAS, SCR_IDEAS},
              {S_DIRECTORY_TITLE, ICON_DIRECTORY, SCR_DIRECTORY}};
    int bh = look_touch(&a->look, SZ_BUTTON), gap = look_sz(&a->look, 14), n = 3;
    bool top = row; /* a row is wanted at the top of r; a column sits at its bottom */
    int bw = row ? (r.w - (n - 1) * gap) / n : r.w;
    for (int i = 0; row && i < n; i++)
        if (w_button_width(&a->look, i18n_str(a->look.lang, go[i].label), 0) > bw)
            row = false;
    bw = row ? bw : r.w;
    int h = row ? bh : n * bh + (n - 1) * gap;
    int by = top ? r.y : r.y + r.h - h;
    if (by < r.y)
        return 0;
    for (int i = 0; i < n; i++) {
        const char *l = i18n_str(a->look.lang, go[i].label);
        struct ui_rect b = row ? (struct ui_rect){r.x + i * (bw + gap), by, bw, bh}
                               : (struct ui_rect){r.x, by + i * (bh + gap), bw, bh};
        if (w_button(&a->look, b, l, go[i].icon, W_SECONDARY)) {
            a->screen = go[i].to;
            a->redraw = true;
            /* "Se faire accompagner" asks its three questions first. */
            if (go[i].to == SCR_DIRECTORY)
                screen_accompany_start(a, true);
        }
    }
    return h;
}

static int para_h(struct app *a, enum ui_font f, int ts, const char *t, int w, int max)
{
    int n = ui_wrap(a->ui, f, ts, t, w, NULL, NULL);
    if (max > 0 && n > max)
        n = max;
    return n * ui_line_height(a->ui, f, ts);
}

/* The heights of the clock panel's lines (clock, date, welcome, invitation)
 * in a width w of text. */
static void clock_measure(struct app *a, int w, const char *date, int *ch, int *dh, int *wh,
                          int *th)
{
    *ch = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_CLOCK));
    *dh = para_h(a, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD), date, w, 0);
    *wh = para_h(a, UI_FONT_BOLD, look_ts(&a->look, TS_TITLE), i18n_str(a->look.lang, S_WELCOME), w,
                 0);
    *th = para_h(a, UI_FONT_REGULAR, look_ts(&a->look, TS_BODY), i18n_str(a->look.lang, S_TOUCH), w,
                 3);
}

/* In portrait the panel is as tall as its words, leaving the rest to the
 * news column. */
static int clock_height(struct app *a, int w)
{
    char date[80];
    i18n_date(a->look.lang, a->local.wday, a->local.day, a->local.month, a->local.year, date,
              sizeof date);
    int in = look_sz(&a->look, 40), ch, dh, wh, th;
    clock_measure(a, w - 2 * in, date, &ch, &dh, &wh, &th);
    return 2 * in + ch + dh + look_sz(&a->look, 30) + wh + look_sz(&a->look, 12) + th;
}

/* The clock, date and welcome. In landscape the shortcuts sit at the
 * bottom of the panel and keep their place: when the panel is short (a
 * second urgent banner, larger text) the invitation, then the welcome go,
 * then the clock shrinks, so the buttons never do. */
static void clock_panel(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->look.pal;
    ui_draw_rect(a->ui, r, p->primary, look_sz(&a->look, SZ_RADIUS));
    struct ui_rect in = ui_inset(r, look_sz(&a->look, 40));
    char hm[8], date[80];
    when_hhmm(a->now, hm, sizeof hm);
    i18n_date(a->look.lang, a->local.wday, a->local.day, a->local.month, a->local.year, date,
              sizeof date);
    const char *welcome = i18n_str(a->look.lang, S_WELCOME),
               *touch = i18n_str(a->look.lang, S_TOUCH);
    int cs = look_ts(&a->look, TS_CLOCK), wg = look_sz(&a->look, 30), tg = look_sz(&a->look, 12);
    int ch, dh, wh, th;
    clock_measure(a, in.w, date, &ch, &dh, &wh, &th);
    int sh = 0;
    if (!a->look.portrait) {
        int n = 3, bh = look_touch(&a->look, SZ_BUTTON), gap = look_sz(&a->look, 14);
        sh = n * bh + (n - 1) * gap + look_sz(&a->look, 24);
    }
    bool show_touch = ch + dh + wg + wh + tg + th + sh <= in.h;
    bool show_welcome = ch + dh + wg + wh + sh <= in.h;
    if (ch + dh + sh > in.h) {
        cs = look_ts(&a->look, TS_HUGE);
        ch = ui_line_height(a->ui, UI_FONT_BOLD, cs);
    }
    /* Still short (a small display): the date, then the clock go; the
     * status bar shows the time. */
    if (ch + dh + sh > in.h)
        dh = 0;
    if (ch + sh > in.h)
        ch = 0;
    if (ch)
        ui_label(a->ui, (struct ui_rect){in.x, in.y, in.w, ch}, hm, UI_FONT_BOLD, cs, p->on_primary,
                 UI_LEFT);
    int y = in.y + ch;
    if (dh)
        y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, date, UI_FONT_BOLD,
                          look_ts(&a->look, TS_LEAD), p->on_primary, 0);
    if (show_welcome)
        y += wg + ui_paragraph(a->ui, (struct ui_rect){in.x, y + wg, in.w, 0}, welcome,
                               UI_FONT_BOLD, look_ts(&a->look, TS_TITLE), p->on_primary, 0);
    if (show_touch)
        y += tg + ui_paragraph(a->ui, (struct ui_rect){in.x, y + tg, in.w, th}, touch,
                               UI_FONT_REGULAR, look_ts(&a->look, TS_BODY), p->on_primary, 3);
    if (!a->look.portrait)
        shortcuts(a, (struct ui_rect){in.x, y, in.w, in.y + in.h - y}, false);
}
static int section_height(struct app *a)
{
    return ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD)) + look_sz(&a->look, 12);
}

static int section(struct app *a, struct ui_rect r, const char *title, unsigned icon)
{
    int ts = look_ts(&a->look, TS_LEAD);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    int x =
        r.x + w_icon(&a->look, r.x, r.y, icon, ts, a->look.pal->primary) + look_sz(&a->look, 12);
    ui_label(a->ui, (struct ui_rect){x, r.y, r.x + r.w - x, lh}, title, UI_FONT_BOLD, ts,
             a->look.pal->text, UI_LEFT);
    return lh + look_sz(&a->look, 12);
}

/* Non-urgent announcements (urgent ones are the banner above), as many
 * whole ones as r holds: the title in bold on its line, the body under
 * it, apart by layout rather than joined by a colon. */
static int notices(struct app *a, struct ui_rect r)
{
    char now[TS_LEN + 1];
    ts_format(a->now, now);
    const struct model_rows *ann = model_announcements(a->model, a->cfg.site, a->cfg.kiosk, now);
    int y = r.y, shown = 0, gap = look_sz(&a->look, SZ_GAP);
    int pad = look_sz(&a->look, 24), ts = look_ts(&a->look, TS_BODY), tw = r.w - 2 * pad;
    int th = ui_line_height(a->ui, UI_FONT_BOLD, ts),
        lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    for (int i = 0; i < ann->n && shown < 2; i++) {
        if (strcmp(model_str(ann, i, ANN_PRIORITY), "urgent") == 0)
            continue;
        bool imp = strcmp(model_str(ann, i, ANN_PRIORITY), "important") == 0;
        const char *title = model_str(ann, i, ANN_TITLE), *body = model_str(ann, i, ANN_BODY);
        int lines = ui_wrap(a->ui, UI_FONT_REGULAR, ts, body, tw, NULL, NULL);
        if (lines > 2)
            lines = 2;
        /* Short of room, the body gives up a line (it ends in an
         * ellipsis); never half a card: the whole text is one tap away in
         * News. */
        if (lines > 1 && y + 2 * pad + th + lines * lh + gap > r.y + r.h)
            lines--;
        int h = 2 * pad + th + lines * lh;
        if (y + h + gap > r.y + r.h)
            break;
        struct ui_rect c = {r.x, y, r.w, h};
        ui_push_id(a->ui, model_str(ann, i, ANN_ID));
        if (w_card_button(&a->look, c, title)) {
            a->screen = SCR_NEWS;
            a->redraw = true;
        }
        ui_pop_id(a->ui);
        ui_draw_rect(a->ui, (struct ui_rect){c.x, c.y, look_sz(&a->look, 10), c.h},
                     imp ? a->look.pal->pending : a->look.pal->primary, 0);
        ui_paragraph(a->ui, (struct ui_rect){c.x + pad, c.y + pad, tw, th}, title, UI_FONT_BOLD, ts,
                     a->look.pal->text, 1);
        ui_paragraph(a->ui, (struct ui_rect){c.x + pad, c.y + pad + th, tw, lines * lh}, body,
                     UI_FONT_REGULAR, ts, a->look.pal->text, lines);
        y += h + gap;
        shown++;
    }
    return y - r.y;
}

/* Today's events; when there are none, says so and shows the next ones
 * (one query over the coming week, split at midnight). */
static int today(struct app *a, struct ui_rect r, int max_rows)
{
    char from[TS_LEN + 1], to[TS_LEN + 1];
    ts_format(a->now, from);
    ts_format(when_midnight(a->now, 7), to);
    const struct model_rows *ev = model_events_home(a->model, from, to);
    int64_t midnight = when_midnight(a->now, 1);
    int ntoday = 0;
    while (ntoday < ev->n && when_parse(model_str(ev, ntoday, EV_STARTS)) < midnight)
        ntoday++;
    int bottom = r.y + r.h, rh = screen_event_row_height(a), gap = look_sz(&a->look, 10);
    if (r.h < section_height(a) + rh)
        return 0; /* a heading alone would say nothing */
    int y = r.y + section(a, r, i18n_str(a->look.lang, S_TODAY_EVENTS), ICON_AGENDA);
    int first = 0, count = ntoday;
    if (ntoday == 0) {
        int ts = look_ts(&a->look, TS_BODY);
        const char *t = i18n_str(a->look.lang, S_NO_EVENTS_TODAY);
        int pad = look_sz(&a->look, 24);
        int lines = ui_wrap(a->ui, UI_FONT_REGULAR, ts, t, r.w - 2 * pad, NULL, NULL);
        int h = lines * ui_line_height(a->ui, UI_FONT_REGULAR, ts) + 2 * pad;
        if (y + h > bottom)
            return y - r.y;
        w_card(&a->look, (struct ui_rect){r.x, y, r.w, h});
        ui_paragraph(a->ui, (struct ui_rect){r.x + pad, y + pad, r.w - 2 * pad, h}, t,
                     UI_FONT_REGULAR, ts, a->look.pal->text, 0);
        y += h + look_sz(&a->look, SZ_GAP);
        if (ev->n == 0 || y + section_height(a) + rh > bottom)
            return y - r.y;
        y += section(a, (struct ui_rect){r.x, y, r.w, 0}, i18n_str(a->look.lang, S_UPCOMING),
                     ICON_CLOCK);
        count = ev->n;
        max_rows = max_rows > 1 ? max_rows - 1 : 1;
    }
    for (int i = first; i < count && i - first < max_rows && y + rh <= bottom; i++) {
        if (screen_event_row(a, (struct ui_rect){r.x, y, r.w, rh}, ev, i, true)) {
            screen_event_open(a, ev, i);
            a->screen = SCR_AGENDA;
            a->redraw = true;
        }
        y += rh + gap;
    }
    return y - r.y;
}

/* The featured initiative's title and card: the height it needs whole. */
static int featured_height(struct app *a)
{
    return section_height(a) + screen_initiative_card_height(a);
}

static void featured(struct app *a, struct ui_rect r)
{
    const struct model_rows *f = model_featured(a->model, a->now / 86400);
    int y = r.y + section(a, r, i18n_str(a->look.lang, S_FEATURED), ICON_INITIATIVES);
    int h = screen_initiative_card_height(a);
    if (f->n == 0) {
        w_empty(&a->look, (struct ui_rect){r.x, y, r.w, h}, ICON_INITIATIVES,
                i18n_str(a->look.lang, S_EMPTY_INITIATIVES));
        return;
    }
    if (screen_initiative_card(a, (struct ui_rect){r.x, y, r.w, h}, f, 0)) {
        snprintf(a->ini.open, sizeof a->ini.open, "%s", model_str(f, 0, INI_ID));
        a->screen = SCR_INITIATIVES;
        a->redraw = true;
    }
}

/* The column of notices, today's events (at most events) and the
 * featured initiative, within *v and cut off its top. Nothing is drawn
 * cut: today's heading and first event come first, then the featured card
 * whole when it fits, and the notices take what is left, whole ones only;
 * today's further events fill any room below them. */
static void news(struct app *a, struct ui_rect *v, int events)
{
    int gap = look_sz(&a->look, SZ_GAP) * 2;
    int today_min = section_height(a) + screen_event_row_height(a) + look_sz(&a->look, 10);
    int fh = featured_height(a) + gap;
    bool feat = v->h >= today_min + fh;
    int keep = today_min + (feat ? fh : 0);
    ui_cut_top(v, notices(a, (struct ui_rect){v->x, v->y, v->w, v->h - keep}));
    ui_cut_top(v, today(a, (struct ui_rect){v->x, v->y, v->w, v->h - (feat ? fh : 0)}, events));
    if (!feat)
        return;
    ui_cut_top(v, gap);
    featured(a, *v);
    ui_cut_top(v, featured_height(a));
}

void screen_home(struct app *a, struct ui_rect r)
{
    int pad = look_sz(&a->look, SZ_PAD), gap = look_sz(&a->look, SZ_GAP) * 2;
    r = ui_inset(r, pad);
    int off = ui_scroll_begin(a->ui, "home", r);
    struct ui_rect v = r;
    v.y -= off;
    int top = v.y;
    if (a->look.portrait) {
        int ph = clock_height(a, v.w);
        clock_panel(a, ui_cut_top(&v, ph));
        ui_cut_top(&v, gap / 2);
        ui_cut_top(&v, shortcuts(a, (struct ui_rect){v.x, v.y, v.w, a->look.h}, true));
        ui_cut_top(&v, gap);
        news(a, &v, 4);
    } else {
        struct ui_rect left = ui_cut_left(&v, v.w * 2 / 5);
        left.h = r.h;
        clock_panel(a, left);
        ui_cut_left(&v, gap);
        news(a, &v, 3);
        if (v.y < left.y + left.h)
            v.y = left.y + left.h;
    }
    ui_scroll_end(a->ui, v.y - top);
}
