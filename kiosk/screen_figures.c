/* screen_figures: "L'ESS en chiffres", the key figures of the figure
 * table, one card per chart: its headlines as big numbers, its bars as a
 * horizontal bar chart drawn here (each bar's value written beside it as
 * text, and the bar recorded with role "bar" and its label and value, so
 * the dump can measure it), and under a chart with bars the source and
 * year. A chart of headlines alone gives each its own source. */
#include <stdio.h>
#include <string.h>

#include "widget.h"

/* Rows [first, first + n) of the figures are one chart. */
struct chart {
    int first, n;
    bool bars; /* some of them are bars */
};

static struct chart chart_at(const struct model_rows *f, int first)
{
    struct chart c = {first, 0, false};
    const char *id = model_str(f, first, FIG_CHART);
    while (first + c.n < f->n && strcmp(model_str(f, first + c.n, FIG_CHART), id) == 0) {
        c.bars = c.bars || strcmp(model_str(f, first + c.n, FIG_KIND), "bar") == 0;
        c.n++;
    }
    return c;
}

static bool is_bar(const struct model_rows *f, int i)
{
    return strcmp(model_str(f, i, FIG_KIND), "bar") == 0;
}

static const char *label_of(struct app *a, const struct model_rows *f, int i)
{
    const char *en = model_str(f, i, FIG_LABEL_EN);
    return a->look.lang == LANG_EN && en[0] ? en : model_str(f, i, FIG_LABEL);
}

static void value_of(struct app *a, const struct model_rows *f, int i, char *out, size_t cap)
{
    i18n_figure(a->look.lang, model_int(f, i, FIG_VALUE), model_str(f, i, FIG_UNIT),
                model_str(f, i, FIG_QUALIFIER), out, cap);
}

/* "source, year" of row i (the source alone without a year). */
static void source_of(const struct model_rows *f, int i, char *out, size_t cap)
{
    const char *year = model_str(f, i, FIG_YEAR);
    snprintf(out, cap, "%s%s%s", model_str(f, i, FIG_SOURCE), year[0] ? ", " : "", year);
}

/* "Source : a" or "Sources : a ; b" over the rows of ch (each source and
 * year once, in order), or of row `only` alone when it is not -1. */
static void sources_line(struct app *a, const struct model_rows *f, struct chart ch, int only,
                         char *out, size_t cap)
{
    char all[1200] = "", one[300];
    int n = 0;
    for (int i = ch.first; i < ch.first + ch.n; i++) {
        if (only >= 0 && i != only)
            continue;
        source_of(f, i, one, sizeof one);
        bool seen = false;
        for (int j = ch.first; j < i && !seen; j++) {
            char other[300];
            source_of(f, j, other, sizeof other);
            seen = only < 0 && strcmp(one, other) == 0;
        }
        if (seen)
            continue;
        size_t len = strlen(all);
        snprintf(all + len, sizeof all - len, "%s%s", n ? i18n_str(a->look.lang, S_FIG_JOIN) : "",
                 one);
        n++;
    }
    i18n_fill(out, cap, i18n_str(a->look.lang, n > 1 ? S_FIG_SOURCES : S_FIG_SOURCE), all);
}

/* A paragraph at (x, y) in width w: its height. */
static int para(struct app *a, int x, int y, int w, const char *text, enum ui_font font, int ts,
                struct ui_color c)
{
    return ui_paragraph(a->ui, (struct ui_rect){x, y, w, 0}, text, font, ts, c, 0);
}

/* Headline i as a big number over its label (and its source when
 * with_source), at (x, y) in width w: its height. */
static int headline(struct app *a, int x, int y, int w, const struct model_rows *f, int i,
                    struct chart ch, bool with_source)
{
    const struct theme_palette *p = a->look.pal;
    char value[96], src[1300];
    value_of(a, f, i, value, sizeof value);
    int h = para(a, x, y, w, value, UI_FONT_BOLD, look_ts(&a->look, TS_HUGE), p->primary);
    h += para(a, x, y + h, w, label_of(a, f, i), UI_FONT_REGULAR, look_ts(&a->look, TS_LEAD),
              p->text);
    if (!with_source)
        return h;
    sources_line(a, f, ch, i, src, sizeof src);
    h += look_sz(&a->look, 8);
    return h + para(a, x, y + h, w, src, UI_FONT_REGULAR, look_ts(&a->look, TS_SMALL), p->muted);
}

/* The chart's headlines in rows of up to three tiles: their height. */
static int headlines(struct app *a, int x, int y, int w, const struct model_rows *f,
                     struct chart ch)
{
    int gap = look_sz(&a->look, 36), cols = w / look_sz(&a->look, 420), n = 0;
    cols = cols < 1 ? 1 : cols > 3 ? 3 : cols;
    for (int i = ch.first; i < ch.first + ch.n; i++)
        n += !is_bar(f, i);
    if (n > 0 && n < cols)
        cols = n;
    int widths[3];
    for (int c = 0; c < cols; c++)
        widths[c] = (w - (cols - 1) * gap) / cols;
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){x, y, w, 0}, gap);
    ui_layout_row(&l, cols, widths, 0);
    for (int i = ch.first; i < ch.first + ch.n; i++) {
        if (is_bar(f, i))
            continue;
        struct ui_rect t = ui_layout_next(&l);
        ui_layout_grow(&l, headline(a, t.x, t.y, t.w, f, i, ch, !ch.bars));
    }
    return ui_layout_height(&l);
}

/* The bar chart: each bar under its label, as long as its value against
 * the largest of the chart, its value as text at its end. */
static int bars(struct app *a, int x, int y, int w, const struct model_rows *f, struct chart ch)
{
    const struct theme_palette *p = a->look.pal;
    int y0 = y, vs = look_ts(&a->look, TS_LEAD), gap = look_sz(&a->look, 16);
    int bh = ui_line_height(a->ui, UI_FONT_BOLD, vs);
    int64_t max = 0;
    int vw = 0;
    bool domains = false;
    for (int i = ch.first; i < ch.first + ch.n; i++) {
        char v[96];
        if (!is_bar(f, i))
            continue;
        value_of(a, f, i, v, sizeof v);
        int tw = ui_text_width(a->ui, UI_FONT_BOLD, vs, v);
        vw = tw > vw ? tw : vw;
        max = model_int(f, i, FIG_VALUE) > max ? model_int(f, i, FIG_VALUE) : max;
        domains = domains || model_str(f, i, FIG_DOMAIN)[0];
    }
    if (domains)
        y += para(a, x, y, w, i18n_str(a->look.lang, S_FIG_BY_DOMAIN), UI_FONT_BOLD, vs, p->text) +
             gap;
    int track = w - vw - gap;
    for (int i = ch.first; i < ch.first + ch.n; i++) {
        if (!is_bar(f, i))
            continue;
        const char *label = label_of(a, f, i);
        y += para(a, x, y, w, label, UI_FONT_REGULAR, look_ts(&a->look, TS_BODY), p->text);
        int64_t v = model_int(f, i, FIG_VALUE);
        int bw = max > 0 ? (int)(v * track / max) : 0;
        char value[96], both[400];
        value_of(a, f, i, value, sizeof value);
        struct ui_rect bar = {x, y, bw > 0 ? bw : 1, bh};
        ui_draw_rect(a->ui, bar, screen_domain_color(model_str(f, i, FIG_DOMAIN)),
                     look_sz(&a->look, 6));
        i18n_pair(a->look.lang, label, value, both, sizeof both);
        ui_record(a->ui, both, "bar", bar, 0, false, 0);
        ui_label(a->ui, (struct ui_rect){x + bar.w + gap, y, vw, bh}, value, UI_FONT_BOLD, vs,
                 p->text, UI_LEFT);
        y += bh + gap;
    }
    return y - y0;
}

/* The card of chart ch at c; returns its height. Drawn when c.h is that
 * height, measured (ui_measure_begin) when it is 0. */
static int chart_card(struct app *a, struct ui_rect c, const struct model_rows *f, struct chart ch)
{
    int pad = look_sz(&a->look, 32), x = c.x + pad, w = c.w - 2 * pad, y = c.y + pad;
    if (c.h)
        w_card(&a->look, c);
    ui_push_id(a->ui, model_str(f, ch.first, FIG_CHART));
    y += headlines(a, x, y, w, f, ch);
    if (ch.bars) {
        char src[1300];
        if (y > c.y + pad)
            y += look_sz(&a->look, 36);
        y += bars(a, x, y, w, f, ch);
        sources_line(a, f, ch, -1, src, sizeof src);
        y +=
            para(a, x, y, w, src, UI_FONT_REGULAR, look_ts(&a->look, TS_SMALL), a->look.pal->muted);
    }
    ui_pop_id(a->ui);
    return y + pad - c.y;
}

void screen_figures(struct app *a, struct ui_rect r)
{
    r = ui_inset(r, look_sz(&a->look, SZ_PAD));
    int th = w_title(&a->look, r, i18n_str(a->look.lang, S_FIGURES_TITLE), ICON_CHART);
    ui_cut_top(&r, th + look_sz(&a->look, SZ_GAP));
    const struct model_rows *f = model_figures(a->model);
    if (f->n == 0) {
        w_empty(&a->look, r, ICON_CHART, i18n_str(a->look.lang, S_NO_FIGURES));
        return;
    }
    int maxw = look_sz(&a->look, 1400), gap = look_sz(&a->look, SZ_GAP);
    if (r.w > maxw)
        r.w = maxw;
    int off = ui_scroll_begin(a->ui, "figure-list", r);
    int y = r.y - off;
    for (int i = 0; i < f->n;) {
        struct chart ch = chart_at(f, i);
        struct ui_rect c = {r.x, y, r.w, 0};
        ui_measure_begin(a->ui);
        c.h = chart_card(a, c, f, ch);
        ui_measure_end(a->ui);
        if (y + c.h > r.y && y < r.y + r.h)
            chart_card(a, c, f, ch);
        y += c.h + gap;
        i += ch.n;
    }
    ui_scroll_end(a->ui, y - gap + off - r.y);
}
