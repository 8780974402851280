/* screen_agenda: events of today, this week or this month, by category,
 * grouped by day; an event's detail with place, organiser, description
 * and a QR code of its link. */
#include <stdio.h>
#include <string.h>

#include "tables.h"
#include "when.h"
#include "widget.h"

static const char *const categories[] = {"forum",       "conference", "atelier", "pitch",
                                         "table_ronde", "conseil",    "autre"};
#define NCAT 7

int screen_event_row_height(struct app *a)
{
    return 2 * app_sz(a, 18) + ui_line_height(a->ui, UI_FONT_BOLD, app_ts(a, TS_LEAD)) +
           ui_line_height(a->ui, UI_FONT_REGULAR, app_ts(a, TS_BODY));
}

bool screen_event_row(struct app *a, struct ui_rect r, const struct model_rows *rows, int i,
                      bool with_day)
{
    const struct theme_palette *p = a->pal;
    const char *title = model_str(rows, i, EV_TITLE);
    ui_push_id(a->ui, model_str(rows, i, EV_ID));
    bool tapped = w_card_button(a, r, title);
    int pad = app_sz(a, 18), lead = app_ts(a, TS_LEAD), body = app_ts(a, TS_BODY);
    int64_t s = when_parse(model_str(rows, i, EV_STARTS));
    int64_t e = when_parse(model_str(rows, i, EV_ENDS));
    char hs[8], he[8];
    when_hhmm(s, hs, sizeof hs);
    when_hhmm(e, he, sizeof he);
    int tcol = app_sz(a, 130);
    const char *domain = model_str(rows, i, EV_DOMAIN);
    ui_draw_rect(a->ui, (struct ui_rect){r.x, r.y, app_sz(a, 10), r.h},
                 domain[0] ? screen_domain_color(domain) : p->primary, 0);
    int x = r.x + app_sz(a, 10) + pad;
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, lead);
    ui_label(a->ui, (struct ui_rect){x, r.y + pad, tcol, lh}, hs, UI_FONT_BOLD, lead, p->primary,
             UI_LEFT);
    ui_label(
        a->ui,
        (struct ui_rect){x, r.y + pad + lh, tcol, ui_line_height(a->ui, UI_FONT_REGULAR, body)}, he,
        UI_FONT_REGULAR, body, p->muted, UI_LEFT);
    x += tcol;
    int w = r.x + r.w - pad - x;
    ui_label(a->ui, (struct ui_rect){x, r.y + pad, w, lh}, title, UI_FONT_BOLD, lead, p->text,
             UI_LEFT);
    char info[480];
    const char *place = model_str(rows, i, EV_PLACE);
    /* An event on another day says which, beside its category. */
    char day[80] = "";
    if (with_day && s >= when_midnight(a->now, 1)) {
        char dname[64];
        when_day(a->lang, s, dname, sizeof dname);
        snprintf(day, sizeof day, " · %s", dname);
    }
    snprintf(info, sizeof info, "%s%s%s%s", i18n_category(a->lang, model_str(rows, i, EV_CATEGORY)),
             day, place[0] ? " · " : "", place);
    ui_label(a->ui,
             (struct ui_rect){x, r.y + pad + lh, w, ui_line_height(a->ui, UI_FONT_REGULAR, body)},
             info, UI_FONT_REGULAR, body, p->muted, UI_LEFT);
    ui_pop_id(a->ui);
    return tapped;
}

static void list(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->pal;
    int gap = app_sz(a, SZ_GAP);
    const char *periods[] = {i18n_str(a->lang, S_TODAY), i18n_str(a->lang, S_WEEK),
                             i18n_str(a->lang, S_MONTH)};
    w_chip_row(a, &r, periods, NULL, 3, &a->agenda.period, "agenda-list");
    ui_cut_top(&r, app_sz(a, 12));
    const char *cats[NCAT + 1];
    cats[0] = i18n_str(a->lang, S_ALL);
    for (int i = 0; i < NCAT; i++)
        cats[i + 1] = i18n_category(a->lang, categories[i]);
    w_chip_row(a, &r, cats, NULL, NCAT + 1, &a->agenda.category, "agenda-list");
    ui_cut_top(&r, gap);
    int64_t from = a->now, to;
    if (a->agenda.period == 0)
        to = when_midnight(a->now, 1);
    else if (a->agenda.period == 1)
        to = when_midnight(when_week_start(a->now), 7);
    else
        to = when_month_start(a->now, 1);
    char f[TS_LEN + 1], t[TS_LEN + 1];
    ts_format(from, f);
    ts_format(to, t);
    const char *cat = a->agenda.category > 0 ? categories[a->agenda.category - 1] : NULL;
    const struct model_rows *ev = model_events(a->model, f, t, cat);
    if (ev->n == 0) {
        w_empty(a, r, ICON_AGENDA, i18n_str(a->lang, S_NO_EVENTS));
        return;
    }
    int rh = screen_event_row_height(a);
    int dh = ui_line_height(a->ui, UI_FONT_BOLD, app_ts(a, TS_LEAD)) + app_sz(a, 16);
    int off = ui_scroll_begin(a->ui, "agenda-list", r);
    int y = r.y - off;
    char last[64] = "";
    for (int i = 0; i < ev->n; i++) {
        char day[64];
        int64_t s = when_parse(model_str(ev, i, EV_STARTS));
        when_day(a->lang, s < a->now ? a->now : s, day, sizeof day);
        if (strcmp(day, last) != 0) {
            snprintf(last, sizeof last, "%s", day);
            y += app_sz(a, 8);
            if (y + dh > r.y && y < r.y + r.h)
                ui_label(a->ui, (struct ui_rect){r.x, y, r.w, dh}, day, UI_FONT_BOLD,
                         app_ts(a, TS_LEAD), p->primary, UI_LEFT);
            y += dh;
        }
        if (y + rh > r.y && y < r.y + r.h &&
            screen_event_row(a, (struct ui_rect){r.x, y, r.w, rh}, ev, i, false)) {
            snprintf(a->agenda.open, sizeof a->agenda.open, "%s", model_str(ev, i, EV_ID));
            a->redraw = true;
        }
        y += rh + app_sz(a, 10);
    }
    ui_scroll_end(a->ui, y + off - r.y);
}

static int fact(struct app *a, struct ui_rect r, unsigned icon, const char *label,
                const char *value)
{
    if (!value[0])
        return 0;
    const struct theme_palette *p = a->pal;
    int ts = app_ts(a, TS_BODY), is = app_ts(a, TS_ICON);
    int x = r.x + w_icon(a, r.x, r.y, icon, is, p->primary) + app_sz(a, 14);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    ui_label(a->ui, (struct ui_rect){x, r.y, r.x + r.w - x, lh}, label, UI_FONT_BOLD, ts, p->muted,
             UI_LEFT);
    int h = ui_paragraph(a->ui, (struct ui_rect){x, r.y + lh, r.x + r.w - x, 0}, value,
                         UI_FONT_REGULAR, ts, p->text, 3);
    return lh + h + app_sz(a, 16);
}

static void detail(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->pal;
    const struct model_rows *d = model_event(a->model, a->agenda.open);
    int gap = app_sz(a, SZ_GAP);
    if (w_back(a, &r)) {
        a->agenda.open[0] = '\0';
        return;
    }
    if (d->n == 0) {
        w_empty(a, r, ICON_INFO, i18n_str(a->lang, S_NOT_FOUND));
        return;
    }
    struct ui_rect side = w_side(a, &r, 520, 560);
    w_card(a, side);
    struct ui_rect si = ui_inset(side, app_sz(a, 28));
    char when[160];
    when_range(a->lang, when_parse(model_str(d, 0, EV_STARTS)),
               when_parse(model_str(d, 0, EV_ENDS)), when, sizeof when);
    int y = si.y;
    y += fact(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_CLOCK, i18n_str(a->lang, S_WHEN), when);
    y += fact(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_PLACE, i18n_str(a->lang, S_PLACE),
              model_str(d, 0, EV_PLACE));
    y += fact(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_PEOPLE, i18n_str(a->lang, S_ORGANIZER),
              model_str(d, 0, EV_ORGANIZER));
    w_qr_event(a, (struct ui_rect){si.x, y, si.w, si.y + si.h - y}, d, 0);
    w_card(a, r);
    struct ui_rect in = ui_inset(r, app_sz(a, 36));
    int off = ui_scroll_begin(a->ui, "event-detail", in);
    y = in.y - off;
    w_tag(a, in.x, y, i18n_category(a->lang, model_str(d, 0, EV_CATEGORY)), p->primary,
          p->on_primary);
    y += w_tag_height(a) + gap;
    y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, model_str(d, 0, EV_TITLE),
                      UI_FONT_BOLD, app_ts(a, TS_TITLE), p->text, 0) +
         gap;
    y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, model_str(d, 0, EV_DESCRIPTION),
                      UI_FONT_REGULAR, app_ts(a, TS_BODY), p->text, 0);
    ui_scroll_end(a->ui, y + off - in.y);
}

void screen_agenda(struct app *a, struct ui_rect r)
{
    r = ui_inset(r, app_sz(a, SZ_PAD));
    if (a->agenda.open[0]) {
        detail(a, r);
        return;
    }
    int th = w_title(a, r, i18n_str(a->lang, S_AGENDA), ICON_AGENDA);
    ui_cut_top(&r, th + app_sz(a, SZ_GAP));
    list(a, r);
}
