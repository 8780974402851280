/* screen_ideas: "Parlons ensemble": write an idea with its theme (it
 * becomes an outbox proposal with status submitted, for moderation),
 * browse the published ideas by theme, open one: what became of it (its
 * outcome and the city's answer), its supports and "Je soutiens", once
 * per idea and visit. */
#include <stdio.h>
#include <string.h>

#include "tables.h"
#include "widget.h"

/* Where the idea form puts things, from its top. The send button goes
 * beside the name while typing in landscape; when the form's height
 * would hide the focused field or the button (the keyboard open, a small
 * display), it goes beside the focused field (or the name) and the text
 * area shrinks, a touch target at least. */
struct layout {
    int pad, gap, bh, sw, tw, w, hint, area, ah, author, theme, send, error, bottom;
    bool by_text, by_author, shared;
};

/* The idea's theme, as a filter whose "all" is no theme. */
static void theme_filter(struct app *a, struct w_filter *f)
{
    w_filter_domains_as(&a->look, f, &a->ideas.theme, S_THEME, S_NO_THEME);
}

/* The theme's button goes under the name, beside the send button when
 * both fit; while typing it waits for the keyboard to close. */
static void place(struct app *a, struct layout *l)
{
    int ts = look_ts(&a->look, TS_BODY);
    bool theme = !a->kbd.open;
    l->area = l->pad + l->hint;
    l->author = l->area + l->ah + l->gap;
    l->shared = theme && !l->by_text && !l->by_author && l->tw + l->gap + l->sw <= l->w;
    int next = l->author + l->bh + l->gap;
    l->theme = theme ? next : -1;
    if (theme && !l->shared)
        next += l->bh + l->gap;
    l->send = l->by_text ? l->area : l->by_author ? l->author : next;
    l->error = l->by_text || l->by_author ? next : l->send + l->bh + l->gap;
    l->bottom =
        l->error + (a->ideas.error[0] ? ui_line_height(a->ui, UI_FONT_BOLD, ts) : 0) + l->pad;
}

/* The band kept in view while typing: the focused field to the button. */
static int band(const struct layout *l, bool text)
{
    return l->bottom - l->pad - (text ? l->area : l->author);
}

static void layout(struct app *a, struct ui_rect r, struct layout *l)
{
    int ts = look_ts(&a->look, TS_BODY), lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    l->pad = look_sz(&a->look, 32);
    l->gap = look_sz(&a->look, SZ_GAP);
    l->bh = look_touch(&a->look, SZ_BUTTON);
    l->sw = w_button_width(&a->look, i18n_str(a->look.lang, S_SEND), ICON_CHECK);
    l->w = r.w - 2 * l->pad;
    struct w_filter f;
    theme_filter(a, &f);
    char label[160];
    i18n_pair(a->look.lang, f.name, f.labels[*f.sel], label, sizeof label);
    l->tw = w_button_width(&a->look, label, ICON_DOWN);
    bool text = ui_focused(a->ui) == ui_id(a->ui, i18n_str(a->look.lang, S_IDEA_TEXT));
    l->ah = (a->kbd.open && !a->look.portrait ? 2 : 4) * lh + 2 * look_sz(&a->look, 20);
    l->by_text = false;
    l->by_author = a->kbd.open && !a->look.portrait;
    l->hint = a->kbd.open && !a->look.portrait
                  ? 0
                  : ui_wrap(a->ui, UI_FONT_REGULAR, ts, i18n_str(a->look.lang, S_IDEAS_HINT),
                            r.w - 2 * l->pad, NULL, NULL) *
                            lh +
                        l->gap;
    place(a, l);
    int room = a->kbd.open ? r.h - 2 * l->gap : r.h;
    for (int step = 0; step < 3; step++) {
        int over = (a->kbd.open ? band(l, text) : l->bottom) - room;
        if (over <= 0)
            return;
        if (step == 1 && l->hint) { /* the title says what the form is for */
            l->hint = 0;
            place(a, l);
            continue;
        }
        if (step >= 1) { /* the area alone could not make room enough */
            l->by_text = a->kbd.open && text;
            l->by_author = !l->by_text;
        }
        l->ah = l->ah - over > l->bh ? l->ah - over : l->bh;
        place(a, l);
    }
}

/* After sending: thanks, and a button to write another. */
static void sent(struct app *a, struct ui_rect in)
{
    int y = in.y, gap = look_sz(&a->look, SZ_GAP), bh = look_touch(&a->look, SZ_BUTTON);
    y +=
        ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, i18n_str(a->look.lang, S_IDEA_SENT),
                     UI_FONT_BOLD, look_ts(&a->look, TS_LEAD), a->look.pal->ok, 0) +
        gap;
    const char *again = i18n_str(a->look.lang, S_SUBMIT_IDEA);
    if (w_button(&a->look,
                 (struct ui_rect){in.x, y, w_button_width(&a->look, again, ICON_IDEAS), bh}, again,
                 ICON_IDEAS, W_SECONDARY)) {
        a->ideas.sent = false;
        a->redraw = true;
    }
}

static void send(struct app *a)
{
    const char *t = a->ideas.text;
    while (*t == ' ' || *t == '\n')
        t++;
    /* A blank text is refused by model_propose as the hub would. */
    const char *theme = a->ideas.theme > 0 ? tables_domains[a->ideas.theme - 1] : NULL;
    enum err rc = model_propose(a->model, t, theme, a->ideas.author);
    if (rc == ERR_OK) {
        /* The form empties; what this visitor browsed and supported stays. */
        a->ideas.text[0] = a->ideas.author[0] = a->ideas.error[0] = '\0';
        a->ideas.theme = 0;
        a->ideas.sent = true;
        ui_focus(a->ui, 0);
    } else {
        snprintf(a->ideas.error, sizeof a->ideas.error, "%s",
                 i18n_str(a->look.lang, rc == ERR_INVALID ? S_IDEA_REQUIRED : S_WRITE_FAILED));
    }
    a->redraw = true;
}

static void form(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->look.pal;
    struct layout l;
    layout(a, r, &l);
    struct w_form f;
    w_form_begin(&a->look, &f, "idea-form", r);
    int ts = look_ts(&a->look, TS_BODY), x = r.x + l.pad, w = r.w - 2 * l.pad;
    int bottom = a->ideas.sent ? r.h : l.bottom;
    w_card(&a->look, (struct ui_rect){r.x, f.y, r.w, bottom});
    if (l.hint)
        ui_paragraph(a->ui, (struct ui_rect){x, f.y + l.pad, w, 0},
                     i18n_str(a->look.lang, S_IDEAS_HINT), UI_FONT_REGULAR, ts, p->text, 0);
    if (a->ideas.sent) {
        sent(a, (struct ui_rect){x, f.y + l.area, w, 0});
        if (w_form_end(&a->look, &a->kbd, &f, f.y + bottom))
            a->redraw = true;
        return;
    }
    int side = l.sw + l.gap;
    w_area(&a->look, (struct ui_rect){x, f.y + l.area, w - (l.by_text ? side : 0), l.ah},
           i18n_str(a->look.lang, S_IDEA_TEXT), a->ideas.text, sizeof a->ideas.text,
           TABLES_IDEA_TEXT_MAX);
    w_field(&a->look, (struct ui_rect){x, f.y + l.author, w - (l.by_author ? side : 0), l.bh},
            i18n_str(a->look.lang, S_IDEA_AUTHOR), a->ideas.author, sizeof a->ideas.author,
            TABLES_IDEA_AUTHOR_MAX);
    if (l.theme >= 0) {
        struct w_filter tf;
        theme_filter(a, &tf);
        int dy = (l.bh - look_touch(&a->look, SZ_TOUCH)) / 2; /* centred on the send button's row */
        w_filter_buttons(&a->look, &(struct ui_rect){x, f.y + l.theme + dy, w, l.bh}, &tf, 1,
                         &a->ideas.picking);
    }
    int sx = l.by_text || l.by_author || l.shared ? x + w - l.sw : x;
    bool text = ui_focused(a->ui) == ui_id(a->ui, i18n_str(a->look.lang, S_IDEA_TEXT));
    int keep = text ? l.area : l.author;
    w_form_keep(&f, f.y + keep, (a->ideas.error[0] ? l.bottom - l.pad : l.error) - keep);
    if (a->ideas.error[0])
        ui_label(a->ui,
                 (struct ui_rect){x, f.y + l.error, w, ui_line_height(a->ui, UI_FONT_BOLD, ts)},
                 a->ideas.error, UI_FONT_BOLD, ts, p->refused, UI_LEFT);
    bool go = w_button(&a->look, (struct ui_rect){sx, f.y + l.send, l.sw, l.bh},
                       i18n_str(a->look.lang, S_SEND), ICON_CHECK, W_PRIMARY);
    if (w_form_end(&a->look, &a->kbd, &f, f.y + bottom))
        a->redraw = true;
    if (go)
        send(a);
}

/* What became of idea i: a tag in the outcome's colour ("Réponse à
 * venir" before the city answers); returns its width. */
static int outcome_tag(struct app *a, int x, int y, const struct model_rows *pr, int i)
{
    const struct theme_palette *p = a->look.pal;
    const char *o = model_str(pr, i, PROP_OUTCOME);
    if (!o[0])
        return w_tag(&a->look, x, y, i18n_str(a->look.lang, S_AWAITING_TAG), p->sunken, p->text);
    bool decided = strcmp(o, "retenue") == 0 || strcmp(o, "realisee") == 0;
    struct ui_color bg = decided ? p->ok : strcmp(o, "non_retenue") == 0 ? p->muted : p->primary;
    return w_tag(&a->look, x, y, i18n_outcome(a->look.lang, o), bg,
                 decided ? p->on_state : p->on_primary);
}

/* The outcome's tag, then the theme's. */
static int tags(struct app *a, int x, int y, const struct model_rows *pr, int i)
{
    int w = outcome_tag(a, x, y, pr, i);
    const char *domain = model_str(pr, i, PROP_DOMAIN);
    if (domain[0])
        w += look_sz(&a->look, 10) +
             w_tag(&a->look, x + w + look_sz(&a->look, 10), y, i18n_domain(a->look.lang, domain),
                   a->look.contrast ? a->look.pal->sunken : screen_domain_color(domain),
                   a->look.contrast ? a->look.pal->text : (struct ui_color){255, 255, 255, 255});
    return w;
}

/* "Zoé · 3 soutiens" (no name: the count alone). */
static void byline(struct app *a, const struct model_rows *pr, int i, char *out, size_t cap)
{
    char sup[64];
    i18n_count(a->look.lang, S_SUPPORTS_1, model_int(pr, i, PROP_SUPPORTS), sup, sizeof sup);
    const char *author = model_str(pr, i, PROP_AUTHOR);
    snprintf(out, cap, "%s%s%s", author, author[0] ? " · " : "", sup);
}

#define CARD_LINES 3 /* of an idea's text on its card; the detail has it all */

static int card_height(struct app *a, const char *text, int w)
{
    int ts = look_ts(&a->look, TS_BODY), pad = look_sz(&a->look, 26);
    int lines = ui_wrap(a->ui, UI_FONT_REGULAR, ts, text, w - 2 * pad, NULL, NULL);
    lines = lines < CARD_LINES ? lines : CARD_LINES;
    return 2 * pad + w_tag_height(&a->look) + look_sz(&a->look, 12) +
           lines * ui_line_height(a->ui, UI_FONT_REGULAR, ts) + look_sz(&a->look, 10) +
           ui_line_height(a->ui, UI_FONT_REGULAR, look_ts(&a->look, TS_SMALL));
}

static bool card(struct app *a, struct ui_rect c, const struct model_rows *pr, int i)
{
    const struct theme_palette *p = a->look.pal;
    const char *text = model_str(pr, i, PROP_TEXT);
    int pad = look_sz(&a->look, 26), ts = look_ts(&a->look, TS_BODY),
        small = look_ts(&a->look, TS_SMALL);
    ui_push_id(a->ui, model_str(pr, i, PROP_ID));
    bool tapped = w_card_button(&a->look, c, text);
    int tw = c.w - 2 * pad, yy = c.y + pad;
    tags(a, c.x + pad, yy, pr, i);
    yy += w_tag_height(&a->look) + look_sz(&a->look, 12);
    yy += ui_paragraph(a->ui, (struct ui_rect){c.x + pad, yy, tw, 0}, text, UI_FONT_REGULAR, ts,
                       p->text, CARD_LINES) +
          look_sz(&a->look, 10);
    char by[160];
    byline(a, pr, i, by, sizeof by);
    ui_label(a->ui,
             (struct ui_rect){c.x + pad, yy, tw, ui_line_height(a->ui, UI_FONT_REGULAR, small)}, by,
             UI_FONT_REGULAR, small, p->muted, UI_LEFT);
    ui_pop_id(a->ui);
    return tapped;
}

static void cards(struct app *a, struct ui_rect r, const struct model_rows *pr)
{
    int gap = look_sz(&a->look, SZ_GAP);
    int off = ui_scroll_begin(a->ui, "idea-list", r);
    int y = r.y - off;
    for (int i = 0; i < pr->n; i++) {
        int h = card_height(a, model_str(pr, i, PROP_TEXT), r.w);
        if (y + h > r.y && y < r.y + r.h && card(a, (struct ui_rect){r.x, y, r.w, h}, pr, i)) {
            snprintf(a->ideas.open, sizeof a->ideas.open, "%s", model_str(pr, i, PROP_ID));
            ui_focus(a->ui, 0);
            a->redraw = true;
        }
        y += h + gap;
    }
    ui_scroll_end(a->ui, y + off - r.y);
}

/* The published ideas under their theme filter, with their count; the
 * filter's button goes in `row` when given, else at the top of r. */
static void published(struct app *a, struct ui_rect r, struct ui_rect *row)
{
    const struct theme_palette *p = a->look.pal;
    struct w_filter f;
    w_filter_domains_as(&a->look, &f, &a->ideas.domain, S_THEME, S_ALL);
    const struct model_rows *pr = model_proposals(a->model, w_filter_value(&f, tables_domains));
    if (pr->n == 0 && !a->ideas.domain) {
        w_empty(&a->look, r, ICON_IDEAS, i18n_str(a->look.lang, S_NO_IDEAS));
        return;
    }
    int gap = look_sz(&a->look, 12), ts = look_ts(&a->look, TS_BODY);
    w_filter_buttons(&a->look, row ? row : &r, &f, 1, &a->ideas.choosing);
    if (!row)
        ui_cut_top(&r, gap);
    if (a->ideas.choosing) {
        w_filter_chooser(&a->look, r, &f, &a->ideas.choosing, "idea-list");
        return;
    }
    char count[64], line[240];
    i18n_count(a->look.lang, S_IDEAS_1, pr->n, count, sizeof count);
    snprintf(line, sizeof line, "%s%s%s", count, a->ideas.domain ? " · " : "",
             a->ideas.domain ? f.labels[a->ideas.domain] : "");
    ui_label(a->ui, ui_cut_top(&r, ui_line_height(a->ui, UI_FONT_BOLD, ts)), line, UI_FONT_BOLD, ts,
             p->muted, UI_LEFT);
    ui_cut_top(&r, gap);
    if (pr->n == 0) {
        char why[300];
        i18n_fill(why, sizeof why, i18n_str(a->look.lang, S_NO_IDEAS_FOR),
                  f.labels[a->ideas.domain]);
        w_empty(&a->look, r, ICON_SEARCH, why);
        return;
    }
    cards(a, r, pr);
}

/* ---- one idea ---- */

static bool supported(const struct app *a, const char *id)
{
    for (int i = 0; i < a->ideas.nsupported; i++)
        if (strcmp(a->ideas.supported[i], id) == 0)
            return true;
    return false;
}

static void support_side(struct app *a, struct ui_rect r, const struct model_rows *pr, int i)
{
    const char *id = model_str(pr, i, PROP_ID);
    w_card(&a->look, r);
    bool tapped;
    /* Past APP_IDEA_SUPPORTS in a visit, the count shows without its button. */
    bool done = supported(a, id) || a->ideas.nsupported == APP_IDEA_SUPPORTS;
    screen_support(a, ui_inset(r, look_sz(&a->look, 28)), model_int(pr, i, PROP_SUPPORTS), done,
                   &tapped);
    if (!tapped)
        return;
    if (model_support_idea(a->model, id) == ERR_OK)
        snprintf(a->ideas.supported[a->ideas.nsupported++], ID_MAX + 1, "%s", id);
    else
        app_toast(a, i18n_str(a->look.lang, S_WRITE_FAILED));
    a->redraw = true;
}

/* Its text and author, what became of it and the city's answer. */
static void detail(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->look.pal;
    const struct model_rows *pr = model_proposals(a->model, NULL);
    int i = model_find(pr, PROP_ID, a->ideas.open, 0), gap = look_sz(&a->look, SZ_GAP);
    r = ui_inset(r, look_sz(&a->look, SZ_PAD));
    if (w_back(&a->look, &r)) {
        a->ideas.open[0] = '\0';
        return;
    }
    if (i < 0) {
        w_empty(&a->look, r, ICON_INFO, i18n_str(a->look.lang, S_NOT_FOUND));
        return;
    }
    support_side(a, w_side(&a->look, &r, 520, 240), pr, i);
    w_card(&a->look, r);
    struct ui_rect in = ui_inset(r, look_sz(&a->look, 36));
    int off = ui_scroll_begin(a->ui, "idea-detail", in);
    int body = look_ts(&a->look, TS_BODY);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){in.x, in.y - off, in.w, 0}, gap);
    struct ui_rect t = ui_layout_block(&l, w_tag_height(&a->look));
    tags(a, t.x, t.y, pr, i);
    ui_layout_text(a->ui, &l, model_str(pr, i, PROP_TEXT), UI_FONT_BOLD, look_ts(&a->look, TS_LEAD),
                   p->text, 0);
    ui_layout_space(&l, look_sz(&a->look, 8));
    const char *author = model_str(pr, i, PROP_AUTHOR);
    char by[160];
    i18n_fill(by, sizeof by, i18n_str(a->look.lang, S_PROPOSED_BY), author);
    if (author[0])
        ui_layout_text(a->ui, &l, by, UI_FONT_REGULAR, body, p->muted, 0);
    else
        ui_layout_space(&l, gap); /* the gap the author's line would have had */
    const char *o = model_str(pr, i, PROP_OUTCOME), *answer = model_str(pr, i, PROP_ANSWER);
    ui_layout_text(a->ui, &l,
                   o[0] ? i18n_outcome_about(a->look.lang, o)
                        : i18n_str(a->look.lang, S_AWAITING_ANSWER),
                   UI_FONT_REGULAR, body, p->muted, 0);
    if (answer[0]) {
        ui_layout_text(a->ui, &l, i18n_str(a->look.lang, S_CITY_ANSWER), UI_FONT_BOLD, body,
                       p->primary, 0);
        ui_layout_space(&l, look_sz(&a->look, 8));
        ui_layout_text(a->ui, &l, answer, UI_FONT_REGULAR, body, p->text, 0);
    }
    ui_scroll_end(a->ui, ui_layout_height(&l));
}

/* The theme's chips in place of the form and the list, under a
 * question; they scroll where they do not fit (larger text on a small
 * display). */
static void pick_theme(struct app *a, struct ui_rect r)
{
    struct w_filter f;
    theme_filter(a, &f);
    int off = ui_scroll_begin(a->ui, "idea-themes", r);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){r.x, r.y - off, r.w, 0}, look_sz(&a->look, SZ_GAP));
    ui_layout_text(a->ui, &l, i18n_str(a->look.lang, S_CHOOSE_THEME), UI_FONT_BOLD,
                   look_ts(&a->look, TS_LEAD), a->look.pal->text, 0);
    struct ui_rect c = ui_layout_block(&l, w_chip_row_height(&a->look, r.w, f.labels, f.dots, f.n));
    w_filter_chooser(&a->look, c, &f, &a->ideas.picking, "idea-form");
    ui_scroll_end(a->ui, ui_layout_height(&l));
}

/* Where the form leaves no room for the list: a button in the title's
 * row opens the list on its own. */
static void see_ideas(struct app *a, struct ui_rect title)
{
    int n = model_proposals(a->model, NULL)->n;
    if (n == 0)
        return;
    char label[80];
    i18n_count(a->look.lang, S_SEE_IDEAS_1, n, label, sizeof label);
    int w = w_button_width(&a->look, label, ICON_IDEAS), h = look_touch(&a->look, SZ_TOUCH);
    struct ui_rect b = {title.x + title.w - w, title.y + (title.h - h) / 2, w, h};
    if (w_button(&a->look, b, label, ICON_IDEAS, W_SECONDARY)) {
        a->ideas.browsing = true;
        a->redraw = true;
    }
}

/* The list alone, the theme's button beside the back one. */
static void browse(struct app *a, struct ui_rect r)
{
    int bw = w_button_width(&a->look, i18n_str(a->look.lang, S_BACK), ICON_BACK) +
             look_sz(&a->look, SZ_GAP);
    struct ui_rect row = {r.x + bw, r.y, r.w - bw, look_touch(&a->look, SZ_BUTTON)};
    if (w_back(&a->look, &r))
        a->ideas.browsing = false;
    else
        published(a, r, &row);
}

void screen_ideas(struct app *a, struct ui_rect r)
{
    if (a->ideas.open[0]) {
        detail(a, r);
        return;
    }
    bool typing = ui_focused(a->ui) != 0;
    /* While typing, a thinner margin leaves the form the height. */
    r = ui_inset(r, look_sz(&a->look, a->kbd.open ? 8 : SZ_PAD));
    if (a->ideas.browsing) {
        browse(a, r);
        return;
    }
    /* In landscape the keyboard leaves little height: the form goes first. */
    struct ui_rect title = {r.x, r.y, r.w, 0};
    if (!typing || a->look.portrait) {
        title.h = w_title(&a->look, r, i18n_str(a->look.lang, S_IDEAS_TITLE), ICON_IDEAS);
        ui_cut_top(&r, title.h + look_sz(&a->look, SZ_GAP));
    }
    if (a->ideas.picking) {
        pick_theme(a, r);
        return;
    }
    int gap = look_sz(&a->look, SZ_GAP) * 2;
    /* In landscape the form is a column beside the ideas, unless the
     * column is too narrow to show it without squeezing. */
    struct layout l;
    layout(a, (struct ui_rect){r.x, r.y, r.w * 9 / 20, r.h}, &l);
    if (a->look.portrait || typing || l.by_author) {
        /* With the keyboard up, the form alone keeps its fields in view. */
        layout(a, r, &l);
        int fh = typing || l.bottom > r.h ? r.h : l.bottom;
        form(a, ui_cut_top(&r, fh));
        ui_cut_top(&r, gap);
        if (r.h > look_sz(&a->look, 200))
            published(a, r, NULL);
        else if (title.h && !typing) /* while typing, the form is what counts */
            see_ideas(a, title);
    } else {
        struct ui_rect left = ui_cut_left(&r, r.w * 9 / 20);
        form(a, left);
        ui_cut_left(&r, gap);
        published(a, r, NULL);
    }
}

void screen_ideas_reset(struct app *a)
{
    memset(&a->ideas, 0, sizeof a->ideas);
}

bool screen_ideas_used(const struct app *a)
{
    return a->ideas.sent || a->ideas.text[0] || a->ideas.author[0] || a->ideas.error[0] ||
           a->ideas.theme || a->ideas.picking || a->ideas.domain || a->ideas.choosing ||
           a->ideas.browsing || a->ideas.open[0] || a->ideas.nsupported;
}
