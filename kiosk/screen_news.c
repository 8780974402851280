/* screen_news: the announcements for this kiosk now (target all, its
 * site or its name; inside their time window), urgent ones first. */
#include <stdio.h>
#include <string.h>

#include "when.h"
#include "widget.h"

void screen_news(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->pal;
    r = ui_inset(r, app_sz(a, SZ_PAD));
    int th = w_title(a, r, i18n_str(a->lang, S_NEWS_TITLE), ICON_NEWS);
    ui_cut_top(&r, th + app_sz(a, SZ_GAP));
    char now[TS_LEN + 1];
    ts_format(a->now, now);
    const struct model_rows *ann = model_announcements(a->model, a->cfg.site, a->cfg.kiosk, now);
    if (ann->n == 0) {
        w_empty(a, r, ICON_NEWS, i18n_str(a->lang, S_NO_NEWS));
        return;
    }
    int maxw = app_sz(a, 1400);
    if (r.w > maxw)
        r.w = maxw;
    int gap = app_sz(a, SZ_GAP), pad = app_sz(a, 32);
    int off = ui_scroll_begin(a->ui, "news-list", r);
    int y = r.y - off;
    for (int i = 0; i < ann->n; i++) {
        const char *prio = model_str(ann, i, ANN_PRIORITY);
        bool urgent = strcmp(prio, "urgent") == 0, imp = strcmp(prio, "important") == 0;
        struct ui_color bar = urgent ? p->urgent : imp ? p->pending : p->primary;
        int tw = r.w - 2 * pad - app_sz(a, 10);
        int lead = app_ts(a, TS_LEAD), body = app_ts(a, TS_BODY);
        int h = 2 * pad + w_tag_height(a) + app_sz(a, 12) +
                ui_wrap(a->ui, UI_FONT_BOLD, lead, model_str(ann, i, ANN_TITLE), tw, NULL, NULL) *
                    ui_line_height(a->ui, UI_FONT_BOLD, lead) +
                app_sz(a, 10) +
                ui_wrap(a->ui, UI_FONT_REGULAR, body, model_str(ann, i, ANN_BODY), tw, NULL, NULL) *
                    ui_line_height(a->ui, UI_FONT_REGULAR, body) +
                app_sz(a, 10) + ui_line_height(a->ui, UI_FONT_REGULAR, app_ts(a, TS_SMALL));
        struct ui_rect c = {r.x, y, r.w, h};
        if (y + h > r.y && y < r.y + r.h) {
            w_card(a, c);
            ui_draw_rect(a->ui, (struct ui_rect){c.x, c.y, app_sz(a, 10), c.h}, bar, 0);
            int x = c.x + app_sz(a, 10) + pad, yy = c.y + pad;
            enum str word = urgent ? S_URGENT : imp ? S_IMPORTANT : S_INFO;
            w_tag(a, x, yy, i18n_str(a->lang, word), bar, urgent ? p->on_urgent : p->on_state);
            yy += w_tag_height(a) + app_sz(a, 12);
            yy += ui_paragraph(a->ui, (struct ui_rect){x, yy, tw, 0}, model_str(ann, i, ANN_TITLE),
                               UI_FONT_BOLD, lead, p->text, 0) +
                  app_sz(a, 10);
            yy += ui_paragraph(a->ui, (struct ui_rect){x, yy, tw, 0}, model_str(ann, i, ANN_BODY),
                               UI_FONT_REGULAR, body, p->text, 0) +
                  app_sz(a, 10);
            char until[120], day[64];
            /* ends_at is exclusive: the last day shown is the second before. */
            when_day(a->lang, when_parse(model_str(ann, i, ANN_ENDS)) - 1, day, sizeof day);
            i18n_fill(until, sizeof until, i18n_str(a->lang, S_UNTIL), day);
            ui_label(a->ui,
                     (struct ui_rect){x, yy, tw,
                                      ui_line_height(a->ui, UI_FONT_REGULAR, app_ts(a, TS_SMALL))},
                     until, UI_FONT_REGULAR, app_ts(a, TS_SMALL), p->muted, UI_LEFT);
        }
        y += h + gap;
    }
    ui_scroll_end(a->ui, y + off - r.y);
}
