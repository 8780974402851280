/* screen_ideas: "Parlons ensemble": write an idea (it becomes an outbox
 * proposal with status submitted, for moderation) and browse the ideas
 * already published. */
#include <stdio.h>
#include <string.h>

#include "widget.h"

/* Where the idea form puts things, from its top. The send button goes
 * beside the name while typing in landscape; when the form's height
 * would hide the focused field or the button (the keyboard open, a small
 * display), it goes beside the focused field (or the name) and the text
 * area shrinks, a touch target at least. */
struct layout {
    int pad, gap, bh, sw, hint, area, ah, author, send, error, bottom;
    bool by_text, by_author;
};

static void place(struct app *a, struct layout *l)
{
    int ts = app_ts(a, TS_BODY);
    l->area = l->pad + l->hint;
    l->author = l->area + l->ah + l->gap;
    l->send = l->by_text ? l->area : l->by_author ? l->author : l->author + l->bh + l->gap;
    l->error = (l->by_text || l->by_author ? l->author : l->send) + l->bh + l->gap;
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
    int ts = app_ts(a, TS_BODY), lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    l->pad = app_sz(a, 32);
    l->gap = app_sz(a, SZ_GAP);
    l->bh = app_touch(a, SZ_BUTTON);
    l->sw = w_button_width(a, i18n_str(a->lang, S_SEND), ICON_CHECK);
    bool text = ui_focused(a->ui) == ui_id(a->ui, i18n_str(a->lang, S_IDEA_TEXT));
    l->ah = (a->keyboard && !a->portrait ? 2 : 4) * lh + 2 * app_sz(a, 20);
    l->by_text = false;
    l->by_author = a->keyboard && !a->portrait;
    l->hint = a->keyboard && !a->portrait
                  ? 0
                  : ui_wrap(a->ui, UI_FONT_REGULAR, ts, i18n_str(a->lang, S_IDEAS_HINT),
                            r.w - 2 * l->pad, NULL, NULL) *
                            lh +
                        l->gap;
    place(a, l);
    int room = a->keyboard ? r.h - 2 * l->gap : r.h;
    for (int step = 0; step < 2; step++) {
        int over = (a->keyboard ? band(l, text) : l->bottom) - room;
        if (over <= 0)
            return;
        if (step == 1) { /* the area alone could not make room enough */
            l->by_text = a->keyboard && text;
            l->by_author = !l->by_text;
        }
        l->ah = l->ah - over > l->bh ? l->ah - over : l->bh;
        place(a, l);
    }
}

/* After sending: thanks, and a button to write another. */
static void sent(struct app *a, struct ui_rect in)
{
    int y = in.y, gap = app_sz(a, SZ_GAP), bh = app_touch(a, SZ_BUTTON);
    y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, i18n_str(a->lang, S_IDEA_SENT),
                      UI_FONT_BOLD, app_ts(a, TS_LEAD), a->pal->ok, 0) +
         gap;
    const char *again = i18n_str(a->lang, S_SUBMIT_IDEA);
    if (w_button(a, (struct ui_rect){in.x, y, w_button_width(a, again, ICON_IDEAS), bh}, again,
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
    enum err rc = model_propose(a->model, t, NULL, a->ideas.author);
    if (rc == ERR_OK) {
        memset(&a->ideas, 0, sizeof a->ideas);
        a->ideas.sent = true;
        ui_focus(a->ui, 0);
    } else {
        snprintf(a->ideas.error, sizeof a->ideas.error, "%s",
                 i18n_str(a->lang, rc == ERR_INVALID ? S_IDEA_REQUIRED : S_WRITE_FAILED));
    }
    a->redraw = true;
}

static void form(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->pal;
    struct layout l;
    layout(a, r, &l);
    struct w_form f;
    w_form_begin(a, &f, "idea-form", r);
    int ts = app_ts(a, TS_BODY), x = r.x + l.pad, w = r.w - 2 * l.pad;
    int bottom = a->ideas.sent ? r.h : l.bottom;
    w_card(a, (struct ui_rect){r.x, f.y, r.w, bottom});
    if (l.hint)
        ui_paragraph(a->ui, (struct ui_rect){x, f.y + l.pad, w, 0}, i18n_str(a->lang, S_IDEAS_HINT),
                     UI_FONT_REGULAR, ts, p->text, 0);
    if (a->ideas.sent) {
        sent(a, (struct ui_rect){x, f.y + l.area, w, 0});
        w_form_end(a, &f, f.y + bottom);
        return;
    }
    int side = l.sw + l.gap;
    w_area(a, (struct ui_rect){x, f.y + l.area, w - (l.by_text ? side : 0), l.ah},
           i18n_str(a->lang, S_IDEA_TEXT), a->ideas.text, sizeof a->ideas.text,
           TABLES_IDEA_TEXT_MAX);
    w_field(a, (struct ui_rect){x, f.y + l.author, w - (l.by_author ? side : 0), l.bh},
            i18n_str(a->lang, S_IDEA_AUTHOR), a->ideas.author, sizeof a->ideas.author,
            TABLES_IDEA_AUTHOR_MAX);
    int sx = l.by_text || l.by_author ? x + w - l.sw : x;
    bool text = ui_focused(a->ui) == ui_id(a->ui, i18n_str(a->lang, S_IDEA_TEXT));
    int keep = text ? l.area : l.author;
    w_form_keep(&f, f.y + keep, (a->ideas.error[0] ? l.bottom - l.pad : l.error) - keep);
    if (a->ideas.error[0])
        ui_label(a->ui,
                 (struct ui_rect){x, f.y + l.error, w, ui_line_height(a->ui, UI_FONT_BOLD, ts)},
                 a->ideas.error, UI_FONT_BOLD, ts, p->refused, UI_LEFT);
    bool go = w_button(a, (struct ui_rect){sx, f.y + l.send, l.sw, l.bh}, i18n_str(a->lang, S_SEND),
                       ICON_CHECK, W_PRIMARY);
    w_form_end(a, &f, f.y + bottom);
    if (go)
        send(a);
}

static void published(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->pal;
    const struct model_rows *pr = model_proposals(a->model);
    if (pr->n == 0) {
        w_empty(a, r, ICON_IDEAS, i18n_str(a->lang, S_NO_IDEAS));
        return;
    }
    int gap = app_sz(a, SZ_GAP), pad = app_sz(a, 26), ts = app_ts(a, TS_BODY);
    int off = ui_scroll_begin(a->ui, "idea-list", r);
    int y = r.y - off;
    for (int i = 0; i < pr->n; i++) {
        const char *text = model_str(pr, i, PROP_TEXT);
        int tw = r.w - 2 * pad;
        int lines = ui_wrap(a->ui, UI_FONT_REGULAR, ts, text, tw, NULL, NULL);
        int sub = ui_line_height(a->ui, UI_FONT_REGULAR, app_ts(a, TS_SMALL));
        int h = 2 * pad + lines * ui_line_height(a->ui, UI_FONT_REGULAR, ts) + app_sz(a, 10) + sub;
        if (y + h > r.y && y < r.y + r.h) {
            struct ui_rect c = {r.x, y, r.w, h};
            w_card(a, c);
            int yy = c.y + pad;
            yy += ui_paragraph(a->ui, (struct ui_rect){c.x + pad, yy, tw, 0}, text, UI_FONT_REGULAR,
                               ts, p->text, 0) +
                  app_sz(a, 10);
            char who[200];
            const char *author = model_str(pr, i, PROP_AUTHOR);
            const char *domain = model_str(pr, i, PROP_DOMAIN);
            snprintf(who, sizeof who, "%s%s%s", author, author[0] && domain[0] ? " · " : "",
                     domain[0] ? i18n_domain(a->lang, domain) : "");
            ui_label(a->ui, (struct ui_rect){c.x + pad, yy, tw, sub}, who, UI_FONT_REGULAR,
                     app_ts(a, TS_SMALL), p->muted, UI_LEFT);
        }
        y += h + gap;
    }
    ui_scroll_end(a->ui, y + off - r.y);
}

void screen_ideas(struct app *a, struct ui_rect r)
{
    bool typing = ui_focused(a->ui) != 0;
    /* While typing, a thinner margin leaves the form the height. */
    r = ui_inset(r, app_sz(a, a->keyboard ? 8 : SZ_PAD));
    /* In landscape the keyboard leaves little height: the form goes first. */
    if (!typing || a->portrait) {
        int th = w_title(a, r, i18n_str(a->lang, S_IDEAS_TITLE), ICON_IDEAS);
        ui_cut_top(&r, th + app_sz(a, SZ_GAP));
    }
    int gap = app_sz(a, SZ_GAP) * 2;
    /* In landscape the form is a column beside the ideas, unless the
     * column is too narrow to show it without squeezing. */
    struct layout l;
    layout(a, (struct ui_rect){r.x, r.y, r.w * 9 / 20, r.h}, &l);
    if (a->portrait || typing || l.by_author) {
        /* With the keyboard up, the form alone keeps its fields in view. */
        layout(a, r, &l);
        int fh = typing || l.bottom > r.h ? r.h : l.bottom;
        form(a, ui_cut_top(&r, fh));
        ui_cut_top(&r, gap);
        if (r.h > app_sz(a, 200))
            published(a, r);
    } else {
        struct ui_rect left = ui_cut_left(&r, r.w * 9 / 20);
        form(a, left);
        ui_cut_left(&r, gap);
        published(a, r);
    }
}

void screen_ideas_reset(struct app *a)
{
    memset(&a->ideas, 0, sizeof a->ideas);
}
