/* screen_ideas: "Parlons ensemble": write an idea (it becomes an outbox
 * proposal with status submitted, for moderation) and browse the ideas
 * already published. */
#include <stdio.h>
#include <string.h>

#include "widget.h"

static void form(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->pal;
    w_card(a, r);
    struct ui_rect in = ui_inset(r, app_sz(a, 32));
    int gap = app_sz(a, SZ_GAP), bh = app_sz(a, SZ_BUTTON), y = in.y;
    int ts = app_ts(a, TS_BODY);
    bool typing = ui_focused(a->ui) != 0;
    if (!typing || a->portrait)
        y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0},
                          i18n_str(a->lang, S_IDEAS_HINT), UI_FONT_REGULAR, ts, p->text, 0) +
             gap;
    if (a->ideas.sent) {
        y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, i18n_str(a->lang, S_IDEA_SENT),
                          UI_FONT_BOLD, app_ts(a, TS_LEAD), p->ok, 0) +
             gap;
        const char *again = i18n_str(a->lang, S_SUBMIT_IDEA);
        if (w_button(a, (struct ui_rect){in.x, y, w_button_width(a, again, ICON_IDEAS), bh}, again,
                     ICON_IDEAS, W_SECONDARY)) {
            a->ideas.sent = false;
            a->redraw = true;
        }
        return;
    }
    int lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    int ah = (typing && !a->portrait ? 2 : 4) * lh + 2 * app_sz(a, 20);
    w_area(a, (struct ui_rect){in.x, y, in.w, ah}, i18n_str(a->lang, S_IDEA_TEXT), a->ideas.text,
           sizeof a->ideas.text, TABLES_IDEA_TEXT_MAX);
    y += ah + gap;
    const char *send = i18n_str(a->lang, S_SEND);
    int sw = w_button_width(a, send, ICON_CHECK);
    /* The send button beside the name, so both stay above the keyboard. */
    int fw = typing && !a->portrait ? in.w - sw - gap : in.w;
    w_field(a, (struct ui_rect){in.x, y, fw, bh}, i18n_str(a->lang, S_IDEA_AUTHOR), a->ideas.author,
            sizeof a->ideas.author, TABLES_IDEA_AUTHOR_MAX);
    int bx = fw < in.w ? in.x + fw + gap : in.x;
    int by = fw < in.w ? y : y + bh + gap;
    y += bh + gap;
    if (a->ideas.error[0]) {
        int ey = fw < in.w ? y : by + bh + gap;
        ui_label(a->ui, (struct ui_rect){in.x, ey, in.w, ui_line_height(a->ui, UI_FONT_BOLD, ts)},
                 a->ideas.error, UI_FONT_BOLD, ts, p->refused, UI_LEFT);
    }
    y = by;
    if (w_button(a, (struct ui_rect){bx, y, sw, bh}, send, ICON_CHECK, W_PRIMARY)) {
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
    r = ui_inset(r, app_sz(a, SZ_PAD));
    bool typing = ui_focused(a->ui) != 0;
    /* In landscape the keyboard leaves little height: the form goes first. */
    if (!typing || a->portrait) {
        int th = w_title(a, r, i18n_str(a->lang, S_IDEAS_TITLE), ICON_IDEAS);
        ui_cut_top(&r, th + app_sz(a, SZ_GAP));
    }
    int gap = app_sz(a, SZ_GAP) * 2;
    if (a->portrait || typing) {
        /* With the keyboard up, the form alone keeps its fields in view. */
        int fh = typing ? r.h : app_sz(a, 640) + (a->large ? app_sz(a, 120) : 0);
        form(a, ui_cut_top(&r, fh));
        ui_cut_top(&r, gap);
        if (r.h > app_sz(a, 200))
            published(a, r);
    } else {
        struct ui_rect left = ui_cut_left(&r, r.w * 9 / 20);
        left.h = left.h < app_sz(a, 700) ? left.h : app_sz(a, 700);
        form(a, left);
        ui_cut_left(&r, gap);
        published(a, r);
    }
}
