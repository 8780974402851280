/* screen_agenda: what is on, ahead: today, this weekend, this week or any
 * day picked on a month calendar (this month and the next three), with
 * category and domain filters that combine. An empty choice points to
 * the next event and jumps to its day. An event's detail shows place,
 * organiser, description and a QR code of its link. */
#include <stdio.h>
#include <string.h>

#include "rrule.h"
#include "tables.h"
#include "when.h"
#include "widget.h"

#define AGENDA_MONTHS 4 /* the calendar: this month and the next three */
enum agenda_period { P_TODAY, P_WEEKEND, P_WEEK, P_DAY };

int screen_event_row_height(struct app *a)
{
    return 2 * look_sz(&a->look, 18) +
           ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD)) +
           ui_line_height(a->ui, UI_FONT_REGULAR, look_ts(&a->look, TS_BODY));
}

/* An event's colour and pictogram: its domain's, or the agenda's. */
static struct ui_color event_color(const struct app *a, const char *domain)
{
    return domain[0] ? screen_domain_color(domain) : a->look.pal->primary;
}

static unsigned event_icon(const char *domain)
{
    return domain[0] ? screen_domain_icon(domain) : ICON_AGENDA;
}

bool screen_event_row(struct app *a, struct ui_rect r, const struct model_rows *rows, int i,
                      bool with_day)
{
    const struct theme_palette *p = a->look.pal;
    const char *title = model_str(rows, i, EV_TITLE);
    ui_push_id(a->ui, model_str(rows, i, EV_ID));
    bool tapped = w_card_button(&a->look, r, title);
    int pad = look_sz(&a->look, 18), lead = look_ts(&a->look, TS_LEAD),
        body = look_ts(&a->look, TS_BODY);
    int64_t s = when_parse(model_str(rows, i, EV_STARTS));
    int64_t e = when_parse(model_str(rows, i, EV_ENDS));
    char hs[8], he[8];
    when_hhmm(s, hs, sizeof hs);
    when_hhmm(e, he, sizeof he);
    int tcol = look_sz(&a->look, 130);
    const char *domain = model_str(rows, i, EV_DOMAIN);
    ui_draw_rect(a->ui, (struct ui_rect){r.x, r.y, look_sz(&a->look, 10), r.h},
                 event_color(a, domain), 0);
    int x = r.x + look_sz(&a->look, 10) + pad;
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, lead);
    ui_label(a->ui, (struct ui_rect){x, r.y + pad, tcol, lh}, hs, UI_FONT_BOLD, lead, p->primary,
             UI_LEFT);
    ui_label(
        a->ui,
        (struct ui_rect){x, r.y + pad + lh, tcol, ui_line_height(a->ui, UI_FONT_REGULAR, body)}, he,
        UI_FONT_REGULAR, body, p->muted, UI_LEFT);
    x += tcol;
    struct ui_rect in = {x, r.y + look_sz(&a->look, 10), r.x + r.w - look_sz(&a->look, 10) - x,
                         r.h - 2 * look_sz(&a->look, 10)};
    w_card_picture(&a->look, &in,
                   &(struct w_pic){model_str(rows, i, EV_PICTURE),
                                   model_str(rows, i, EV_PICTURE_ALT), event_color(a, domain),
                                   event_icon(domain), false});
    int end = in.x + in.w < r.x + r.w - pad ? in.x + in.w : r.x + r.w - pad;
    int w = end - x;
    ui_label(a->ui, (struct ui_rect){x, r.y + pad, w, lh}, title, UI_FONT_BOLD, lead, p->text,
             UI_LEFT);
    char info[480];
    const char *place = model_str(rows, i, EV_PLACE);
    /* An event on another day says which, beside its category. */
    char day[80] = "";
    if (with_day && s >= when_midnight(a->now, 1)) {
        char dname[64];
        when_day(a->look.lang, s, dname, sizeof dname);
        snprintf(day, sizeof day, " · %s", dname);
    }
    snprintf(info, sizeof info, "%s%s%s%s",
             i18n_category(a->look.lang, model_str(rows, i, EV_CATEGORY)), day,
             place[0] ? " · " : "", place);
    ui_label(a->ui,
             (struct ui_rect){x, r.y + pad + lh, w, ui_line_height(a->ui, UI_FONT_REGULAR, body)},
             info, UI_FONT_REGULAR, body, p->muted, UI_LEFT);
    ui_pop_id(a->ui);
    return tapped;
}

static const char *filter_category(const struct app *a)
{
    return a->agenda.category > 0 ? model_values("event", "category")[a->agenda.category - 1]
                                  : NULL;
}

static const char *filter_domain(const struct app *a)
{
    return a->agenda.domain > 0 ? tables_domains[a->agenda.domain - 1] : NULL;
}

/* [from, to) of the chosen period, never before now. */
static void period_range(const struct app *a, int64_t *from, int64_t *to)
{
    int64_t week = when_week_start(a->now), start = a->now;
    switch (a->agenda.period) {
    case P_WEEKEND:
        start = when_midnight(week, 5);
        *to = when_midnight(week, 7);
        break;
    case P_WEEK:
        *to = when_midnight(week, 7);
        break;
    case P_DAY:
        start = a->agenda.day;
        *to = when_midnight(a->agenda.day, 1);
        break;
    default:
        *to = when_midnight(a->now, 1);
    }
    *from = start > a->now ? start : a->now;
}

/* Picks the day of t, its month in view on the calendar. */
static void go_to_day(struct app *a, int64_t t)
{
    struct ts_local now, d;
    ts_paris(a->now, &now);
    ts_paris(t, &d);
    int months = (d.year - now.year) * 12 + d.month - now.month;
    a->agenda.period = P_DAY;
    a->agenda.day = when_midnight(t, 0);
    a->agenda.month = months < 0 ? 0 : months >= AGENDA_MONTHS ? AGENDA_MONTHS - 1 : months;
    ui_scroll_reset(a->ui, "agenda-list");
    a->redraw = true;
}

/* start[i]: midnight of day i + 1 of first's month, start[n] the next
 * month's first; returns n, the month's length. */
static int month_days(int64_t first, int64_t start[32])
{
    struct ts_local f, l;
    ts_paris(first, &f);
    for (int n = 0;; n++) {
        start[n] = when_midnight(first, n);
        ts_paris(start[n], &l);
        if (l.month != f.month)
            return n;
    }
}

/* The days of the month with an event under the filters (bit i: day i + 1). */
static uint32_t busy_days(struct app *a, const int64_t *start, int n)
{
    char f[TS_LEN + 1], t[TS_LEN + 1];
    ts_format(start[0], f);
    ts_format(start[n], t);
    const struct model_rows *ev =
        model_events_month(a->model, f, t, filter_category(a), filter_domain(a));
    uint32_t busy = 0;
    for (int i = 0; i < ev->n; i++) {
        int64_t s = when_parse(model_str(ev, i, EV_STARTS));
        int64_t e = when_parse(model_str(ev, i, EV_ENDS));
        for (int d = 0; d < n; d++)
            if (s < start[d + 1] && e > start[d])
                busy |= 1u << d;
    }
    return busy;
}

/* An icon button; its label (what a screen reader would say) is recorded. */
static bool arrow(struct app *a, struct ui_rect r, unsigned icon, enum str label)
{
    bool tapped = ui_hit(a->ui, r, i18n_str(a->look.lang, label), "button");
    int is = look_ts(&a->look, TS_ICON);
    int iw =
        w_icon(&a->look, 0, -10000, icon, is, a->look.pal->primary); /* measure only: off screen */
    w_icon(&a->look, r.x + (r.w - iw) / 2,
           r.y + (r.h - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2, icon, is,
           a->look.pal->primary);
    if (tapped)
        a->redraw = true;
    return tapped;
}

static void month_nav(struct app *a, struct ui_rect r, int64_t first)
{
    struct ts_local l;
    ts_paris(first, &l);
    char title[48];
    snprintf(title, sizeof title, "%s %d", i18n_month(a->look.lang, l.month), l.year);
    /* A row of the two square arrows and the month between them. */
    struct ui_layout row;
    ui_layout_begin(&row, r, 0);
    ui_layout_row(&row, 3, (const int[]){r.h, 0, r.h}, r.h);
    struct ui_rect prev = ui_layout_next(&row), mid = ui_layout_next(&row),
                   next = ui_layout_next(&row);
    ui_label(a->ui, mid, title, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD), a->look.pal->text,
             UI_CENTER);
    if (a->agenda.month > 0 && arrow(a, prev, ICON_PREV, S_PREV_MONTH))
        a->agenda.month--;
    if (a->agenda.month < AGENDA_MONTHS - 1 && arrow(a, next, ICON_NEXT, S_NEXT_MONTH))
        a->agenda.month++;
}

/* One day of the calendar: its number, a dot when something is on; a
 * tap picks it (past days cannot be picked). Its label is the whole date. */
static void day_cell(struct app *a, struct ui_rect c, int64_t day, int num, bool busy)
{
    const struct theme_palette *p = a->look.pal;
    bool past = when_midnight(day, 1) <= a->now;
    bool picked = a->agenda.period == P_DAY && a->agenda.day == day;
    int rad = look_sz(&a->look, 12);
    if (picked)
        ui_draw_rect(a->ui, c, p->primary, rad);
    else if (day == when_midnight(a->now, 0))
        ui_draw_border(a->ui, c, p->primary, rad, 2);
    char label[64], digits[12];
    when_day(a->look.lang, day, label, sizeof label);
    if (!past && ui_hit(a->ui, c, label, "day"))
        go_to_day(a, day);
    snprintf(digits, sizeof digits, "%d", num);
    int ts = look_ts(&a->look, TS_BODY), lh = ui_line_height(a->ui, UI_FONT_BOLD, ts),
        dot = look_sz(&a->look, 8);
    int tw = ui_text_width(a->ui, UI_FONT_BOLD, ts, digits);
    int y = c.y + (c.h - lh - dot) / 2;
    ui_draw_text(a->ui, c.x + (c.w - tw) / 2, y, digits, UI_FONT_BOLD, ts,
                 picked ? p->on_primary
                 : past ? p->muted
                        : p->text);
    if (busy)
        ui_draw_rect(a->ui, (struct ui_rect){c.x + (c.w - dot) / 2, y + lh, dot, dot},
                     picked ? p->on_primary : p->primary, dot / 2);
}

/* A day's square: at most 84 design px, at least a touch target with its
 * margins, within a seventh of w when it can. */
static int cell_size(struct app *a, int w)
{
    int least = look_touch_min(&a->look) + 2 * look_sz(&a->look, 3);
    int cell = w / 7 < look_sz(&a->look, 84) ? w / 7 : look_sz(&a->look, 84);
    return cell > least ? cell : least;
}

/* The calendar's width in landscape: seven cells however small the display. */
static int calendar_width(struct app *a)
{
    int w = 7 * cell_size(a, 0);
    return w > look_sz(&a->look, 560) ? w : look_sz(&a->look, 560);
}

/* The calendar from the top of r: the month, the initials of the days,
 * then the weeks in squares (cell_size) as tall as wide when the height
 * allows; in landscape it takes the whole of r and on a short display the
 * weeks scroll rather than shrink below a touch target; in portrait it is
 * as tall as the month's weeks. Returns the height used. */
static int calendar(struct app *a, struct ui_rect r)
{
    int64_t first = when_month_start(a->now, a->agenda.month), start[32];
    int n = month_days(first, start);
    struct ts_local f;
    ts_paris(first, &f);
    int ts = look_ts(&a->look, TS_SMALL), lh = ui_line_height(a->ui, UI_FONT_BOLD, ts), cw[7];
    for (int i = 0; i < 7; i++)
        cw[i] = r.w / 7;
    struct ui_layout l;
    ui_layout_begin(&l, r, 0);
    month_nav(a, ui_layout_block(&l, look_touch(&a->look, SZ_TOUCH)), first);
    ui_layout_row(&l, 7, cw, lh);
    for (int i = 0; i < 7; i++) {
        char initial[2] = {(char)(i18n_weekday(a->look.lang, i)[0] & ~0x20),
                           '\0'}; /* ASCII names */
        ui_label(a->ui, ui_layout_next(&l), initial, UI_FONT_BOLD, ts, a->look.pal->muted,
                 UI_CENTER);
    }
    ui_layout_space(&l, look_sz(&a->look, 8));
    /* Portrait: as tall as this month's weeks (five or six). */
    int cell = cell_size(a, r.w), top = ui_layout_top(&l);
    int rows = a->look.portrait ? (f.wday + n + 6) / 7 : 6;
    struct ui_rect weeks = ui_layout_block(&l, a->look.portrait ? rows * cell : r.y + r.h - top);
    int ch = weeks.h / rows < cell ? weeks.h / rows : cell;
    if (ch < cell_size(a, 0))
        ch = cell_size(a, 0);
    uint32_t busy = busy_days(a, start, n);
    int off = ui_scroll_begin(a->ui, "agenda-calendar", weeks);
    struct ui_layout w;
    ui_layout_begin(&w, (struct ui_rect){weeks.x, weeks.y - off, weeks.w, 0}, 0);
    ui_layout_row(&w, 7, cw, ch);
    for (int d = -f.wday; d < n; d++) { /* from the first week's Monday */
        struct ui_rect c = ui_layout_next(&w);
        if (d >= 0)
            day_cell(a, ui_inset(c, look_sz(&a->look, 3)), start[d], d + 1, busy >> d & 1);
    }
    ui_scroll_end(a->ui, ui_layout_height(&w));
    return ui_layout_height(&l);
}

/* The category and domain filters of the agenda. */
static void filters(struct app *a, struct w_filter f[2])
{
    w_filter_values(&a->look, &f[0], i18n_str(a->look.lang, S_CATEGORY), &a->agenda.category,
                    S_ALL_FEM, model_values("event", "category"), i18n_category);
    w_filter_domains(&a->look, &f[1], &a->agenda.domain);
}

void screen_event_open(struct app *a, const struct model_rows *rows, int i)
{
    snprintf(a->agenda.open, sizeof a->agenda.open, "%s", model_str(rows, i, EV_ID));
    snprintf(a->agenda.open_at, sizeof a->agenda.open_at, "%s", model_str(rows, i, EV_STARTS));
    a->redraw = true;
}

/* The periods and the filter buttons, cut off the top of *r with the
 * gap under them. */
static void head(struct app *a, struct ui_rect *r, const struct w_filter *f)
{
    const char *periods[] = {i18n_str(a->look.lang, S_TODAY), i18n_str(a->look.lang, S_WEEKEND),
                             i18n_str(a->look.lang, S_WEEK)};
    int period = a->agenda.period;
    w_chip_row(&a->look, r, periods, NULL, 3, &period, "agenda-list");
    if (period != a->agenda.period) {
        a->agenda.period = period;
        a->agenda.month = 0;
    }
    ui_cut_top(r, look_sz(&a->look, 12));
    w_filter_buttons(&a->look, r, f, 2, &a->agenda.choosing);
    ui_cut_top(r, look_sz(&a->look, SZ_GAP));
}

static int head_height(struct app *a, struct ui_rect r, const struct w_filter *f)
{
    int h = r.h;
    ui_measure_begin(a->ui);
    head(a, &r, f);
    ui_measure_end(a->ui);
    return h - r.h;
}

/* Whether c shows in r (a row of a list only drawn in view). */
static bool shows(struct ui_rect c, struct ui_rect r)
{
    return c.y + c.h > r.y && c.y < r.y + r.h;
}

/* The head as the first row of a list's content when it scrolls with it
 * (hh: its height, 0 when it stays above). */
static void head_in_list(struct app *a, struct ui_layout *l, const struct w_filter *f, int hh)
{
    struct ui_rect h = ui_layout_block(l, hh);
    if (hh)
        head(a, &h, f);
}

/* The card of the next event nx after an empty period, at the top of c
 * (c.h 0: measured): the sentence text, the event, and a button that
 * picks its day; its height. */
static int next_card(struct app *a, struct ui_rect c, const struct model_rows *nx, const char *text)
{
    int pad = look_sz(&a->look, 28), bh = look_touch(&a->look, SZ_BUTTON);
    if (c.h)
        w_card(&a->look, c);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){c.x + pad, c.y + pad, c.w - 2 * pad, 0},
                    look_sz(&a->look, SZ_GAP));
    ui_layout_text(a->ui, &l, text, UI_FONT_REGULAR, look_ts(&a->look, TS_LEAD), a->look.pal->text,
                   0);
    if (screen_event_row(a, ui_layout_block(&l, screen_event_row_height(a)), nx, 0, true))
        screen_event_open(a, nx, 0);
    const char *go = i18n_str(a->look.lang, S_GO_TO_DAY);
    ui_layout_row(&l, 1, (const int[]){w_button_width(&a->look, go, ICON_NEXT)}, bh);
    if (w_button(&a->look, ui_layout_next(&l), go, ICON_NEXT, W_PRIMARY))
        go_to_day(a, when_parse(model_str(nx, 0, EV_STARTS)));
    return ui_layout_height(&l) + 2 * pad;
}

/* Nothing in the period: the next event after it, and a button that
 * picks its day. */
static void next_pointer(struct app *a, struct ui_rect r, int64_t after, const struct w_filter *hf,
                         int hh)
{
    char f[TS_LEN + 1];
    ts_format(after, f);
    const struct model_rows *nx =
        model_event_next(a->model, f, filter_category(a), filter_domain(a));
    if (nx->n == 0) {
        bool filtered = a->agenda.category || a->agenda.domain;
        if (hh)
            head(a, &r, hf);
        w_empty(&a->look, r, ICON_AGENDA,
                i18n_str(a->look.lang, filtered ? S_NO_EVENTS_FILTERS : S_NO_EVENTS_AHEAD));
        return;
    }
    char day[64], text[256];
    when_day(a->look.lang, when_parse(model_str(nx, 0, EV_STARTS)), day, sizeof day);
    i18n_fill(text, sizeof text, i18n_str(a->look.lang, S_NEXT_EVENT), day);
    int off = ui_scroll_begin(a->ui, "agenda-list", r);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){r.x, r.y - off, r.w, 0}, 0);
    head_in_list(a, &l, hf, hh);
    struct ui_rect c = {r.x, ui_layout_top(&l), r.w, 0};
    ui_measure_begin(a->ui);
    c.h = next_card(a, c, nx, text);
    ui_measure_end(a->ui);
    next_card(a, ui_layout_block(&l, c.h), nx, text);
    ui_scroll_end(a->ui, ui_layout_height(&l));
}

/* The events of the period in r, under the head when it scrolls with
 * them (hh: its height; 0: it stays above), under a heading per day;
 * only the rows in view are drawn. */
static void events(struct app *a, struct ui_rect r, const struct w_filter *hf, int hh)
{
    int64_t from, to;
    period_range(a, &from, &to);
    char f[TS_LEN + 1], t[TS_LEN + 1];
    ts_format(from, f);
    ts_format(to, t);
    const struct model_rows *ev =
        model_events(a->model, f, t, filter_category(a), filter_domain(a));
    if (ev->n == 0) {
        next_pointer(a, r, to, hf, hh);
        return;
    }
    int rh = screen_event_row_height(a), lead = look_ts(&a->look, TS_LEAD);
    int dh = ui_line_height(a->ui, UI_FONT_BOLD, lead) + look_sz(&a->look, 16);
    int off = ui_scroll_begin(a->ui, "agenda-list", r);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){r.x, r.y - off, r.w, 0}, 0);
    head_in_list(a, &l, hf, hh);
    char last[64] = "";
    for (int i = 0; i < ev->n; i++) {
        char day[64];
        int64_t s = when_parse(model_str(ev, i, EV_STARTS));
        when_day(a->look.lang, s < from ? from : s, day, sizeof day);
        if (strcmp(day, last) != 0) {
            snprintf(last, sizeof last, "%s", day);
            ui_layout_space(&l, look_sz(&a->look, 8));
            struct ui_rect d = ui_layout_block(&l, dh);
            if (shows(d, r))
                ui_label(a->ui, d, day, UI_FONT_BOLD, lead, a->look.pal->primary, UI_LEFT);
        }
        struct ui_rect e = ui_layout_block(&l, rh);
        ui_layout_space(&l, look_sz(&a->look, 10));
        if (shows(e, r) && screen_event_row(a, e, ev, i, false))
            screen_event_open(a, ev, i);
    }
    ui_scroll_end(a->ui, ui_layout_height(&l));
}

/* Landscape: the calendar at the left, periods, filters and events at the
 * right; portrait: the calendar on top. */
static void list(struct app *a, struct ui_rect r)
{
    int gap = look_sz(&a->look, SZ_GAP);
    if (a->look.portrait) {
        ui_cut_top(&r, calendar(a, r) + gap);
    } else {
        calendar(a, ui_cut_left(&r, calendar_width(a)));
        ui_cut_left(&r, 2 * gap);
    }
    struct w_filter f[2];
    filters(a, f);
    /* The periods and filters scroll with the events when they would
     * leave too little of them in view (larger text on a small display). */
    int hh = head_height(a, r, f);
    if (a->agenda.choosing || r.h - hh >= 3 * look_touch(&a->look, SZ_TOUCH)) {
        head(a, &r, f);
        hh = 0;
    }
    if (a->agenda.choosing)
        w_filter_chooser(&a->look, r, f, &a->agenda.choosing, "agenda-list");
    else
        events(a, r, f, hh);
}

static int fact(struct app *a, struct ui_rect r, unsigned icon, const char *label,
                const char *value)
{
    if (!value[0])
        return 0;
    const struct theme_palette *p = a->look.pal;
    int ts = look_ts(&a->look, TS_BODY), is = look_ts(&a->look, TS_ICON);
    int x = r.x + w_icon(&a->look, r.x, r.y, icon, is, p->primary) + look_sz(&a->look, 14);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    ui_label(a->ui, (struct ui_rect){x, r.y, r.x + r.w - x, lh}, label, UI_FONT_BOLD, ts, p->muted,
             UI_LEFT);
    int h = ui_paragraph(a->ui, (struct ui_rect){x, r.y + lh, r.x + r.w - x, 0}, value,
                         UI_FONT_REGULAR, ts, p->text, 3);
    return lh + h + look_sz(&a->look, 16);
}

/* "Chaque semaine", "Tous les 2 mois"; "" without a rule. */
static const char *repeats(struct app *a, const char *rule, char *out, size_t cap)
{
    struct rrule r;
    char why[120];
    out[0] = '\0';
    if (!rule[0] || rrule_parse(rule, &r, why, sizeof why))
        return out;
    if (r.interval == 1)
        return i18n_str(a->look.lang, r.monthly ? S_EVERY_MONTH : S_EVERY_WEEK);
    i18n_fill_int(out, cap, i18n_str(a->look.lang, r.monthly ? S_EVERY_N_MONTHS : S_EVERY_N_WEEKS),
                  r.interval);
    return out;
}

/* When (the occurrence opened, for a series) and how often; the height. */
static int when_facts(struct app *a, const struct model_rows *d, struct ui_rect r)
{
    int64_t s = when_parse(model_str(d, 0, EV_STARTS)), e = when_parse(model_str(d, 0, EV_ENDS));
    int64_t at = when_parse(a->agenda.open_at);
    if (at) {
        e = at + (e - s);
        s = at;
    }
    char when[160], every[80];
    when_range(a->look.lang, s, e, when, sizeof when);
    int h = fact(a, (struct ui_rect){r.x, r.y, r.w, 0}, ICON_CLOCK, i18n_str(a->look.lang, S_WHEN),
                 when);
    return h + fact(a, (struct ui_rect){r.x, r.y + h, r.w, 0}, ICON_AGENDA,
                    i18n_str(a->look.lang, S_REPEATS),
                    repeats(a, model_str(d, 0, EV_RRULE), every, sizeof every));
}

static void detail(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->look.pal;
    const struct model_rows *d = model_event(a->model, a->agenda.open);
    int gap = look_sz(&a->look, SZ_GAP);
    if (w_back(&a->look, &r)) {
        a->agenda.open[0] = '\0';
        return;
    }
    if (d->n == 0) {
        w_empty(&a->look, r, ICON_INFO, i18n_str(a->look.lang, S_NOT_FOUND));
        return;
    }
    struct ui_rect side = w_side(&a->look, &r, 520, 560);
    w_card(&a->look, side);
    struct ui_rect si = ui_inset(side, look_sz(&a->look, 28));
    int y = si.y + when_facts(a, d, si);
    y += fact(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_PLACE, i18n_str(a->look.lang, S_PLACE),
              model_str(d, 0, EV_PLACE));
    y += fact(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_PEOPLE,
              i18n_str(a->look.lang, S_ORGANIZER), model_str(d, 0, EV_ORGANIZER));
    w_qr_event(&a->look, (struct ui_rect){si.x, y, si.w, si.y + si.h - y}, d, 0);
    w_card(&a->look, r);
    struct ui_rect in = ui_inset(r, look_sz(&a->look, 36));
    int off = ui_scroll_begin(a->ui, "event-detail", in);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){in.x, in.y - off, in.w, 0}, gap);
    const char *domain = model_str(d, 0, EV_DOMAIN);
    screen_detail_picture(a, &l, in.h,
                          &(struct w_pic){model_str(d, 0, EV_PICTURE),
                                          model_str(d, 0, EV_PICTURE_ALT), event_color(a, domain),
                                          event_icon(domain), true});
    struct ui_rect t = ui_layout_block(&l, w_tag_height(&a->look));
    w_tag(&a->look, t.x, t.y, i18n_category(a->look.lang, model_str(d, 0, EV_CATEGORY)), p->primary,
          p->on_primary);
    ui_layout_text(a->ui, &l, model_str(d, 0, EV_TITLE), UI_FONT_BOLD, look_ts(&a->look, TS_TITLE),
                   p->text, 0);
    ui_layout_text(a->ui, &l, model_str(d, 0, EV_DESCRIPTION), UI_FONT_REGULAR,
                   look_ts(&a->look, TS_BODY), p->text, 0);
    ui_scroll_end(a->ui, ui_layout_height(&l));
}

void screen_agenda(struct app *a, struct ui_rect r)
{
    r = ui_inset(r, look_sz(&a->look, SZ_PAD));
    if (a->agenda.open[0]) {
        detail(a, r);
        return;
    }
    /* A short display (larger text, urgent announcements) gives the
     * title's room to the calendar and the events: the navigation says
     * where this is. Short: under eight touch rows, fourteen in portrait
     * where the calendar's six weeks stand above the events. */
    if (r.h >= (a->look.portrait ? 14 : 8) * look_touch(&a->look, SZ_TOUCH)) {
        int th = w_title(&a->look, r, i18n_str(a->look.lang, S_AGENDA), ICON_AGENDA);
        ui_cut_top(&r, th + look_sz(&a->look, SZ_GAP));
    }
    list(a, r);
}

void screen_agenda_list(struct app *a)
{
    a->agenda.open[0] = '\0';
}

void screen_agenda_reset(struct app *a)
{
    memset(&a->agenda, 0, sizeof a->agenda);
}

bool screen_agenda_used(const struct app *a)
{
    return a->agenda.period || a->agenda.day || a->agenda.month || a->agenda.category ||
           a->agenda.domain || a->agenda.choosing || a->agenda.open[0] || a->agenda.open_at[0];
}
