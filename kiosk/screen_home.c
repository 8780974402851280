/* screen_home: the attract screen: clock and date, current announcements,
 * today's events and a featured initiative that changes with the day. */
#include <stdio.h>
#include <string.h>

#include "when.h"
#include "widget.h"

/* Shortcuts to the three things people come for. row: at the top of r,
 * in a row when their words fit, else a column; !row: a column at the
 * bottom of r. Returns the height used (0 when there is no room). */
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
    for (int i = 0; row && i < n; i++)
        if (w_button_width(&a->look, i18n_str(a->look.lang, go[i].label), 0) >
            (r.w - (n - 1) * gap) / n)
            row = false;
    int h = row ? bh : n * bh + (n - 1) * gap;
    if (h > r.h && !top)
        return 0;
    struct ui_layout l;
    ui_layout_begin(&l, r, gap);
    if (!top)
        ui_layout_space(&l, r.h - h);
    ui_layout_row(&l, row ? n : 1, NULL, bh);
    for (int i = 0; i < n; i++) {
        if (!w_button(&a->look, ui_layout_next(&l), i18n_str(a->look.lang, go[i].label), go[i].icon,
                      W_SECONDARY))
            continue;
        a->screen = go[i].to;
        a->redraw = true;
        /* "Se faire accompagner" asks its three questions first. */
        if (go[i].to == SCR_DIRECTORY)
            screen_accompany_start(a, true);
    }
    return h;
}

/* The clock panel's parts, and what it shows when short of room: the
 * invitation, then the welcome go, then the clock shrinks, then the date
 * and the clock go (the status bar shows the time). */
enum { CLOCK_BIG = 1, CLOCK_SMALL = 2, CLOCK_DATE = 4, CLOCK_WELCOME = 8, CLOCK_TOUCH = 16 };
static const unsigned clock_parts[] = {
    CLOCK_BIG | CLOCK_DATE | CLOCK_WELCOME | CLOCK_TOUCH,
    CLOCK_BIG | CLOCK_DATE | CLOCK_WELCOME,
    CLOCK_BIG | CLOCK_DATE,
    CLOCK_SMALL | CLOCK_DATE,
    CLOCK_SMALL,
    0,
};

/* The parts of the clock panel down in (measured under
 * ui_measure_begin); returns their height. */
static int clock_column(struct app *a, struct ui_rect in, unsigned parts)
{
    const struct theme_palette *p = a->look.pal;
    char hm[8], date[80];
    when_hhmm(a->now, hm, sizeof hm);
    i18n_date(a->look.lang, a->local.wday, a->local.day, a->local.month, a->local.year, date,
              sizeof date);
    struct ui_layout l;
    ui_layout_begin(&l, in, 0);
    if (parts & (CLOCK_BIG | CLOCK_SMALL)) {
        int cs = look_ts(&a->look, parts & CLOCK_BIG ? TS_CLOCK : TS_HUGE);
        ui_label(a->ui, ui_layout_block(&l, ui_line_height(a->ui, UI_FONT_BOLD, cs)), hm,
                 UI_FONT_BOLD, cs, p->on_primary, UI_LEFT);
    }
    if (parts & CLOCK_DATE)
        ui_layout_text(a->ui, &l, date, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD), p->on_primary, 0);
    if (parts & CLOCK_WELCOME) {
        ui_layout_space(&l, look_sz(&a->look, 30));
        ui_layout_text(a->ui, &l, i18n_str(a->look.lang, S_WELCOME), UI_FONT_BOLD,
                       look_ts(&a->look, TS_TITLE), p->on_primary, 0);
    }
    if (parts & CLOCK_TOUCH) {
        ui_layout_space(&l, look_sz(&a->look, 12));
        ui_layout_text(a->ui, &l, i18n_str(a->look.lang, S_TOUCH), UI_FONT_REGULAR,
                       look_ts(&a->look, TS_BODY), p->on_primary, 3);
    }
    return ui_layout_height(&l);
}

/* In portrait the panel is as tall as its words (clock_parts[k]),
 * leaving the rest to the news column. */
static int clock_height(struct app *a, int w, size_t k)
{
    int in = look_sz(&a->look, 40);
    ui_measure_begin(a->ui);
    int h = clock_column(a, (struct ui_rect){0, 0, w - 2 * in, 0}, clock_parts[k]);
    ui_measure_end(a->ui);
    return 2 * in + h;
}

/* The clock, date and welcome. In landscape the shortcuts sit at the
 * bottom of the panel and keep their place: when the panel is short (a
 * second urgent banner, larger text) its parts give way (clock_parts),
 * so the buttons never do. */
static void clock_panel(struct app *a, struct ui_rect r)
{
    ui_draw_rect(a->ui, r, a->look.pal->primary, look_sz(&a->look, SZ_RADIUS));
    struct ui_rect in = ui_inset(r, look_sz(&a->look, 40));
    int sh = 0;
    ui_measure_begin(a->ui);
    if (!a->look.portrait)
        sh =
            shortcuts(a, (struct ui_rect){in.x, 0, in.w, a->look.h}, false) + look_sz(&a->look, 24);
    size_t k = 0;
    while (clock_parts[k] && clock_column(a, in, clock_parts[k]) + sh > in.h)
        k++;
    ui_measure_end(a->ui);
    int h = clock_column(a, in, clock_parts[k]);
    if (a->look.portrait)
        return;
    /* With none of the clock's parts left, the buttons sit in the middle
     * of the panel, not under a blank band. */
    int lift = clock_parts[k] ? 0 : (in.h - sh + look_sz(&a->look, 24)) / 2;
    shortcuts(a, (struct ui_rect){in.x, in.y + h, in.w, in.h - h - (lift > 0 ? lift : 0)}, false);
}

static int section_height(struct app *a)
{
    return ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD)) + look_sz(&a->look, 12);
}

/* A section's title as the next row of l, and its space under it. */
static void section(struct app *a, struct ui_layout *l, const char *title, unsigned icon)
{
    int ts = look_ts(&a->look, TS_LEAD);
    struct ui_rect r = ui_layout_block(l, ui_line_height(a->ui, UI_FONT_BOLD, ts));
    ui_cut_left(&r,
                w_icon(&a->look, r.x, r.y, icon, ts, a->look.pal->primary) + look_sz(&a->look, 12));
    ui_label(a->ui, r, title, UI_FONT_BOLD, ts, a->look.pal->text, UI_LEFT);
    ui_layout_space(l, look_sz(&a->look, 12));
}

/* Announcement i as a card at c: its title in bold on its line, at most
 * lines of its body under it, apart by layout rather than joined by a
 * colon. Measured (ui_measure_begin) for its height, then drawn. */
static int notice(struct app *a, struct ui_rect c, const struct model_rows *ann, int i, int lines)
{
    const struct theme_palette *p = a->look.pal;
    int pad = look_sz(&a->look, 24), ts = look_ts(&a->look, TS_BODY);
    const char *title = model_str(ann, i, ANN_TITLE);
    if (c.h) {
        ui_push_id(a->ui, model_str(ann, i, ANN_ID));
        if (w_card_button(&a->look, c, title)) {
            a->screen = SCR_NEWS;
            a->redraw = true;
        }
        ui_pop_id(a->ui);
        bool imp = strcmp(model_str(ann, i, ANN_PRIORITY), "important") == 0;
        ui_draw_rect(a->ui, (struct ui_rect){c.x, c.y, look_sz(&a->look, 10), c.h},
                     imp ? p->pending : p->primary, 0);
    }
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){c.x + pad, c.y + pad, c.w - 2 * pad, 0}, 0);
    ui_layout_text(a->ui, &l, title, UI_FONT_BOLD, ts, p->text, 1);
    ui_layout_text(a->ui, &l, model_str(ann, i, ANN_BODY), UI_FONT_REGULAR, ts, p->text, lines);
    return pad + ui_layout_height(&l) + pad;
}

/* Non-urgent announcements (urgent ones are the banner above), as many
 * whole ones as r holds, down a column. */
static int notices(struct app *a, struct ui_rect r)
{
    char now[TS_LEN + 1];
    ts_format(a->now, now);
    const struct model_rows *ann = model_announcements(a->model, a->cfg.site, a->cfg.kiosk, now);
    int gap = look_sz(&a->look, SZ_GAP), shown = 0;
    struct ui_layout l;
    ui_layout_begin(&l, r, gap);
    for (int i = 0; i < ann->n && shown < 2; i++) {
        if (strcmp(model_str(ann, i, ANN_PRIORITY), "urgent") == 0)
            continue;
        /* Short of room, the body gives up a line (it ends in an
         * ellipsis); never half a card: the whole text is one tap away in
         * News. */
        struct ui_rect c = {r.x, ui_layout_top(&l), r.w, 0};
        int lines = 2;
        ui_measure_begin(a->ui);
        c.h = notice(a, c, ann, i, lines);
        if (c.y + c.h + gap > r.y + r.h)
            c.h = notice(a, c, ann, i, --lines);
        ui_measure_end(a->ui);
        if (c.y + c.h + gap > r.y + r.h)
            break;
        notice(a, ui_layout_block(&l, c.h), ann, i, lines);
        shown++;
    }
    return shown ? ui_layout_height(&l) + gap : 0;
}

/* Says there is nothing today, in a card as the next row of l when it
 * fits above bottom; returns whether it did. */
static bool nothing_today(struct app *a, struct ui_layout *l, int bottom)
{
    int ts = look_ts(&a->look, TS_BODY), pad = look_sz(&a->look, 24);
    const char *t = i18n_str(a->look.lang, S_NO_EVENTS_TODAY);
    struct ui_rect c = {l->body.x, ui_layout_top(l), l->body.w, 0};
    ui_measure_begin(a->ui);
    c.h = ui_paragraph(a->ui, ui_inset(c, pad), t, UI_FONT_REGULAR, ts, a->look.pal->text, 0) +
          2 * pad;
    ui_measure_end(a->ui);
    if (c.y + c.h > bottom)
        return false;
    c = ui_layout_block(l, c.h);
    w_card(&a->look, c);
    ui_paragraph(a->ui, ui_inset(c, pad), t, UI_FONT_REGULAR, ts, a->look.pal->text, 0);
    ui_layout_space(l, look_sz(&a->look, SZ_GAP));
    return true;
}

/* Today's events; when there are none, says so and shows the next ones
 * (one query over the coming week, split at midnight). Returns the
 * height used, with the space under it. */
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
    int bottom = r.y + r.h, rh = screen_event_row_height(a);
    if (r.h < section_height(a) + rh)
        return 0; /* a heading alone would say nothing */
    struct ui_layout l;
    ui_layout_begin(&l, r, look_sz(&a->look, 10));
    section(a, &l, i18n_str(a->look.lang, S_TODAY_EVENTS), ICON_AGENDA);
    int count = ntoday;
    if (ntoday == 0) {
        if (!nothing_today(a, &l, bottom) || ev->n == 0 ||
            ui_layout_top(&l) + section_height(a) + rh > bottom)
            return ui_layout_top(&l) - r.y;
        section(a, &l, i18n_str(a->look.lang, S_UPCOMING), ICON_CLOCK);
        count = ev->n;
        max_rows = max_rows > 1 ? max_rows - 1 : 1;
    }
    for (int i = 0; i < count && i < max_rows && ui_layout_top(&l) + rh <= bottom; i++) {
        if (screen_event_row(a, ui_layout_block(&l, rh), ev, i, true)) {
            screen_event_open(a, ev, i);
            a->screen = SCR_AGENDA;
            a->redraw = true;
        }
    }
    return ui_layout_top(&l) - r.y;
}

/* Today's heading and first event: the least the news column shows. */
static int today_height(struct app *a)
{
    return section_height(a) + screen_event_row_height(a) + look_sz(&a->look, 10);
}

/* The featured initiative's title and card: the height it needs whole. */
static int featured_height(struct app *a)
{
    return section_height(a) + screen_initiative_card_height(a);
}

static void featured(struct app *a, struct ui_rect r)
{
    const struct model_rows *f = model_featured(a->model, a->now / 86400);
    struct ui_layout l;
    ui_layout_begin(&l, r, 0);
    section(a, &l, i18n_str(a->look.lang, S_FEATURED), ICON_INITIATIVES);
    struct ui_rect c = ui_layout_block(&l, screen_initiative_card_height(a));
    if (f->n == 0) {
        w_empty(&a->look, c, ICON_INITIATIVES, i18n_str(a->look.lang, S_EMPTY_INITIATIVES));
        return;
    }
    if (screen_initiative_card(a, c, f, 0)) {
        snprintf(a->ini.open, sizeof a->ini.open, "%s", model_str(f, 0, INI_ID));
        a->screen = SCR_INITIATIVES;
        a->redraw = true;
    }
}

/* The column of notices, today's events (at most events) and the
 * featured initiative down col, in room px; returns their height.
 * Nothing is drawn cut: today's heading and first event come first, then
 * the featured card whole when it fits, and the notices take what is
 * left, whole ones only; today's further events fill any room below them. */
static int news(struct app *a, struct ui_rect col, int room, int events)
{
    int gap = look_sz(&a->look, SZ_GAP) * 2;
    int today_min = today_height(a);
    int fh = featured_height(a) + gap;
    bool feat = room >= today_min + fh;
    int keep = today_min + (feat ? fh : 0);
    struct ui_layout l;
    ui_layout_begin(&l, col, 0);
    ui_layout_block(&l, notices(a, (struct ui_rect){col.x, col.y, col.w, room - keep}));
    int used = ui_layout_height(&l);
    ui_layout_block(
        &l,
        today(a, (struct ui_rect){col.x, ui_layout_top(&l), col.w, room - used - (feat ? fh : 0)},
              events));
    if (feat) {
        ui_layout_space(&l, gap);
        featured(a, ui_layout_block(&l, featured_height(a)));
    }
    return ui_layout_height(&l);
}

/* The portrait panel's height in r: as its words, unless giving up the
 * invitation, then the welcome, lets the featured initiative show whole
 * under today's first event (larger text, urgent announcements). */
static int portrait_clock_height(struct app *a, struct ui_rect r)
{
    int gap = look_sz(&a->look, SZ_GAP) * 2;
    ui_measure_begin(a->ui);
    int below = gap / 2 + shortcuts(a, (struct ui_rect){r.x, 0, r.w, a->look.h}, true) + gap;
    ui_measure_end(a->ui);
    int news = today_height(a) + featured_height(a) + gap;
    for (size_t k = 0; k < 3; k++)
        if (r.h - clock_height(a, r.w, k) - below >= news)
            return clock_height(a, r.w, k);
    return clock_height(a, r.w, 0);
}

/* Portrait: the clock panel, the shortcuts in a row under it, then the
 * news; landscape: the panel with the shortcuts at its bottom at the
 * left, the news at the right. The whole scrolls when it does not fit. */
void screen_home(struct app *a, struct ui_rect r)
{
    int pad = look_sz(&a->look, SZ_PAD), gap = look_sz(&a->look, SZ_GAP) * 2;
    r = ui_inset(r, pad);
    int off = ui_scroll_begin(a->ui, "home", r);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){r.x, r.y - off, r.w, 0}, gap);
    if (a->look.portrait) {
        clock_panel(a, ui_layout_block(&l, portrait_clock_height(a, r)));
        ui_layout_space(&l, gap / 2);
        ui_layout_block(
            &l, shortcuts(a, (struct ui_rect){r.x, ui_layout_top(&l), r.w, a->look.h}, true));
        ui_layout_space(&l, gap);
        int top = ui_layout_top(&l);
        ui_layout_block(&l, news(a, (struct ui_rect){r.x, top, r.w, 0}, r.y - off + r.h - top, 4));
    } else {
        ui_layout_row(&l, 2, (const int[]){r.w * 2 / 5, 0}, r.h);
        clock_panel(a, ui_layout_next(&l));
        ui_layout_grow(&l, news(a, ui_layout_next(&l), r.h, 3));
    }
    ui_scroll_end(a->ui, ui_layout_height(&l));
}
