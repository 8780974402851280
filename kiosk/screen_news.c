/* screen_news: the announcements for this kiosk now (target all, its
 * site or its name; inside their time window), urgent ones first; and the
 * dialog that shows the urgent ones whole over any screen (the urgent
 * band in app.c opens it). */
#include <stdio.h>
#include <string.h>

#include "when.h"
#include "widget.h"

const struct model_rows *screen_news_rows(struct app *a, int *urgent)
{
    char now[TS_LEN + 1];
    ts_format(a->now, now);
    const struct model_rows *ann = model_announcements(a->model, a->cfg.site, a->cfg.kiosk, now);
    int n = 0;
    while (n < ann->n && strcmp(model_str(ann, n, ANN_PRIORITY), "urgent") == 0)
        n++;
    *urgent = n;
    return ann;
}

/* Announcement i as a card of width c.w at c.y: its priority's tag (when
 * tag), title, body and last day; returns its height. Drawn when c.h is
 * that height, measured (ui_measure_begin) when it is 0. */
static int news_card(struct app *a, struct ui_rect c, const struct model_rows *ann, int i, bool tag)
{
    const struct theme_palette *p = a->look.pal;
    const char *prio = model_str(ann, i, ANN_PRIORITY);
    bool urgent = strcmp(prio, "urgent") == 0, imp = strcmp(prio, "important") == 0;
    struct ui_color bar = urgent ? p->urgent : imp ? p->pending : p->primary;
    int pad = look_sz(&a->look, 32), edge = look_sz(&a->look, 10), gap = look_sz(&a->look, 10);
    int x = c.x + edge + pad, tw = c.w - 2 * pad - edge;
    int small = look_ts(&a->look, TS_SMALL), sh = ui_line_height(a->ui, UI_FONT_REGULAR, small);
    if (c.h) {
        w_card(&a->look, c);
        ui_draw_rect(a->ui, (struct ui_rect){c.x, c.y, edge, c.h}, bar, 0);
    }
    /* An image, when the announcement has one, at the right of its words
     * in the list (the urgent dialog keeps to the words). */
    int ph = 0;
    const char *pic = model_str(ann, i, ANN_PICTURE);
    if (tag && pic[0] && tw >= look_sz(&a->look, 600)) {
        int pw = tw / 3 < look_sz(&a->look, 360) ? tw / 3 : look_sz(&a->look, 360);
        ph = pw * 3 / 4;
        tw -= pw + gap * 2;
        w_picture(&a->look, (struct ui_rect){x + tw + gap * 2, c.y + pad, pw, ph},
                  &(struct w_pic){pic, model_str(ann, i, ANN_PICTURE_ALT), bar, ICON_NEWS, false});
    }
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){x, c.y + pad, tw, 0}, gap);
    if (tag) {
        enum str word = urgent ? S_URGENT : imp ? S_IMPORTANT : S_INFO;
        struct ui_rect t = ui_layout_block(&l, w_tag_height(&a->look));
        w_tag(&a->look, t.x, t.y, i18n_str(a->look.lang, word), bar,
              urgent ? p->on_urgent : p->on_state);
        ui_layout_space(&l, look_sz(&a->look, 12));
    }
    ui_layout_text(a->ui, &l, model_str(ann, i, ANN_TITLE), UI_FONT_BOLD,
                   look_ts(&a->look, TS_LEAD), p->text, 0);
    ui_layout_text(a->ui, &l, model_str(ann, i, ANN_BODY), UI_FONT_REGULAR,
                   look_ts(&a->look, TS_BODY), p->text, 0);
    char until[120], day[64];
    /* ends_at is exclusive: the last day shown is the second before. */
    when_day(a->look.lang, when_parse(model_str(ann, i, ANN_ENDS)) - 1, day, sizeof day);
    i18n_fill(until, sizeof until, i18n_str(a->look.lang, S_UNTIL), day);
    ui_label(a->ui, ui_layout_block(&l, sh), until, UI_FONT_REGULAR, small, p->muted, UI_LEFT);
    int h = ui_layout_height(&l);
    return pad + (h < ph ? ph : h) + pad;
}

/* model_announcements' LIMIT: a card's height for every row. */
#define NEWS_MAX 200

/* The heights of the first n announcements' cards, w wide, into h[0..n),
 * measured once a frame (not drawn); returns their column's height. */
static int news_heights(struct app *a, int w, const struct model_rows *ann, int n, bool tags,
                        int *h)
{
    int total = 0, gap = look_sz(&a->look, SZ_GAP);
    ui_measure_begin(a->ui);
    for (int i = 0; i < n; i++) {
        h[i] = news_card(a, (struct ui_rect){0, 0, w, 0}, ann, i, tags);
        total += h[i] + gap;
    }
    ui_measure_end(a->ui);
    return total;
}

/* The first n announcements, h[i] high each, as a column of cards in the
 * scroll region named scroll within r; only the cards in view are drawn.
 * Returns whether some of them are below the view. */
static bool news_list(struct app *a, struct ui_rect r, const struct model_rows *ann, int n,
                      const int *h, bool tags, const char *scroll)
{
    int gap = look_sz(&a->look, SZ_GAP);
    int off = ui_scroll_begin(a->ui, scroll, r);
    int y = r.y - off;
    for (int i = 0; i < n; i++) {
        if (y + h[i] > r.y && y < r.y + r.h)
            news_card(a, (struct ui_rect){r.x, y, r.w, h[i]}, ann, i, tags);
        y += h[i] + gap;
    }
    ui_scroll_end(a->ui, y + off - r.y);
    return y - gap > r.y + r.h;
}

void screen_news(struct app *a, struct ui_rect r)
{
    r = ui_inset(r, look_sz(&a->look, SZ_PAD));
    int th = w_title(&a->look, r, i18n_str(a->look.lang, S_NEWS_TITLE), ICON_NEWS);
    ui_cut_top(&r, th + look_sz(&a->look, SZ_GAP));
    int urgent;
    const struct model_rows *ann = screen_news_rows(a, &urgent);
    if (ann->n == 0) {
        w_empty(&a->look, r, ICON_NEWS, i18n_str(a->look.lang, S_NO_NEWS));
        return;
    }
    int maxw = look_sz(&a->look, 1400);
    if (r.w > maxw)
        r.w = maxw;
    int h[NEWS_MAX], n = ann->n < NEWS_MAX ? ann->n : NEWS_MAX;
    news_heights(a, r.w, ann, n, true, h);
    news_list(a, r, ann, n, h, true, "news-list");
}

/* As wide as a comfortable line of its text (wider with larger text,
 * within the window); as tall as its cards when they fit, else the
 * window's height with the cards scrolling between the title and the
 * close button, which stay, and a word saying there is more below. No
 * tags: the title says they are urgent. */
void screen_urgent_dialog(struct app *a)
{
    if (!a->alerts_open)
        return;
    const struct theme_palette *p = a->look.pal;
    int n;
    const struct model_rows *ann = screen_news_rows(a, &n);
    if (n == 0) {
        a->alerts_open = false; /* the last one ended while it was open */
        return;
    }
    int in = look_sz(&a->look, 36), gap = look_sz(&a->look, SZ_GAP),
        bh = look_touch(&a->look, SZ_BUTTON);
    int w = 46 * look_ts(&a->look, TS_BODY), margin = look_sz(&a->look, 24);
    if (w > a->look.w - 2 * margin)
        w = a->look.w - 2 * margin;
    int th = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_TITLE));
    int h[NEWS_MAX];
    n = n < NEWS_MAX ? n : NEWS_MAX;
    int content = news_heights(a, w - 2 * in, ann, n, false, h);
    struct ui_rect r = w_dialog(&a->look, w, 2 * in + th + gap + content + bh);
    struct ui_layout l;
    ui_layout_begin(&l, r, gap);
    w_title(&a->look, ui_layout_block(&l, th), i18n_str(a->look.lang, S_ALERTS_TITLE), ICON_ALERT);
    /* The list's last gap is its space above the button. */
    bool more =
        news_list(a, ui_layout_block(&l, r.h - th - gap - bh), ann, n, h, false, "urgent-list");
    ui_layout_space(&l, 0);
    const char *close = i18n_str(a->look.lang, S_CLOSE);
    int bw = w_button_width(&a->look, close, ICON_CLOSE);
    ui_layout_row(&l, 2, (const int[]){0, bw < r.w / 3 ? r.w / 3 : bw}, bh);
    struct ui_rect m = ui_layout_next(&l), b = ui_layout_next(&l);
    if (more) {
        int ts = look_ts(&a->look, TS_SMALL), is = look_ts(&a->look, TS_ICON);
        int iw = w_icon(&a->look, m.x, m.y + (bh - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2,
                        ICON_DOWN, is, p->muted);
        ui_cut_left(&m, iw);
        ui_label(a->ui, m, i18n_str(a->look.lang, S_SCROLL_MORE), UI_FONT_REGULAR, ts, p->muted,
                 UI_LEFT);
    }
    if (w_button(&a->look, b, close, ICON_CLOSE, W_PRIMARY)) {
        a->alerts_open = false;
        a->redraw = true;
    }
}

void screen_urgent_open(struct app *a)
{
    a->alerts_open = true;
    a->redraw = true;
}

void screen_urgent_reset(struct app *a)
{
    a->alerts_open = false;
}

bool screen_urgent_used(const struct app *a)
{
    return a->alerts_open;
}
