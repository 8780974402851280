/* screen_directory: "Se faire accompagner", the organisations that
 * inform, train, advise, support and fund project carriers; support
 * bodies first, filtered by kind and domain. A card opens the detail
 * with contact, address and a QR code of its contact card. */
#include <stdio.h>
#include <string.h>

#include "tables.h"
#include "widget.h"

static int card_height(struct app *a)
{
    return 2 * app_sz(a, 24) + w_tag_height(a) + app_sz(a, 12) +
           ui_line_height(a->ui, UI_FONT_BOLD, app_ts(a, TS_LEAD)) + app_sz(a, 6) +
           3 * ui_line_height(a->ui, UI_FONT_REGULAR, app_ts(a, TS_BODY));
}

/* An organisation's placeholder: its domain's colour, or the primary. */
static struct ui_color org_color(const struct app *a, const char *domain)
{
    return domain[0] ? screen_domain_color(domain) : a->pal->primary;
}

static bool card(struct app *a, struct ui_rect r, const struct model_rows *o, int i)
{
    const struct theme_palette *p = a->pal;
    const char *name = model_str(o, i, ORG_NAME);
    ui_push_id(a->ui, model_str(o, i, ORG_ID));
    bool tapped = w_card_button(a, r, name);
    int pad = app_sz(a, 24);
    struct ui_rect in = ui_inset(r, pad);
    int x = in.x + w_tag(a, in.x, in.y, i18n_kind(a->lang, model_str(o, i, ORG_KIND)), p->primary,
                         p->on_primary);
    const char *domain = model_str(o, i, ORG_DOMAIN);
    if (domain[0])
        w_tag(a, x + app_sz(a, 10), in.y, i18n_domain(a->lang, domain),
              a->contrast ? p->sunken : screen_domain_color(domain),
              a->contrast ? p->text : (struct ui_color){255, 255, 255, 255});
    int y = in.y + w_tag_height(a) + app_sz(a, 12);
    /* The logo beside the words under the tags, which keep the width. */
    struct ui_rect words = {in.x, y, in.w, in.y + in.h - y};
    screen_card_picture(a, &words,
                        &(struct w_pic){model_str(o, i, ORG_PICTURE),
                                        model_str(o, i, ORG_PICTURE_ALT), org_color(a, domain),
                                        ICON_DIRECTORY, true});
    in.w = words.w;
    int lead = app_ts(a, TS_LEAD);
    ui_label(a->ui, (struct ui_rect){in.x, y, in.w, ui_line_height(a->ui, UI_FONT_BOLD, lead)},
             name, UI_FONT_BOLD, lead, p->text, UI_LEFT);
    y += ui_line_height(a->ui, UI_FONT_BOLD, lead) + app_sz(a, 6);
    ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, model_str(o, i, ORG_DESCRIPTION),
                 UI_FONT_REGULAR, app_ts(a, TS_BODY), p->muted, 3);
    ui_pop_id(a->ui);
    return tapped;
}

static int index_of(const struct model_rows *o, const char *id)
{
    for (int i = 0; i < o->n; i++)
        if (strcmp(model_str(o, i, ORG_ID), id) == 0)
            return i;
    return -1;
}

static int line(struct app *a, struct ui_rect r, unsigned icon, const char *text)
{
    if (!text[0])
        return 0;
    int ts = app_ts(a, TS_BODY);
    int x = r.x + w_icon(a, r.x, r.y, icon, app_ts(a, TS_ICON), a->pal->primary) + app_sz(a, 14);
    return ui_paragraph(a->ui, (struct ui_rect){x, r.y, r.x + r.w - x, 0}, text, UI_FONT_REGULAR,
                        ts, a->pal->text, 3) +
           app_sz(a, 14);
}

/* Contact, address, website and the QR code of its card, in a card of
 * their own. */
static void org_facts(struct app *a, struct ui_rect side, const struct model_rows *o, int i)
{
    w_card(a, side);
    struct ui_rect si = ui_inset(side, app_sz(a, 28));
    int y = si.y;
    y += line(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_MAIL, model_str(o, i, ORG_CONTACT));
    y += line(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_PLACE, model_str(o, i, ORG_ADDRESS));
    y += line(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_WEB, model_str(o, i, ORG_URL));
    w_qr_card(a, (struct ui_rect){si.x, y, si.w, si.y + si.h - y}, o, i);
}

static void detail(struct app *a, struct ui_rect r, const struct model_rows *o, int i)
{
    const struct theme_palette *p = a->pal;
    int gap = app_sz(a, SZ_GAP);
    if (w_back(a, &r)) {
        a->dir.open[0] = '\0';
        return;
    }
    if (i < 0) {
        w_empty(a, r, ICON_INFO, i18n_str(a->lang, S_NOT_FOUND));
        return;
    }
    /* Without contact, address or website, the text takes the width. */
    if (model_str(o, i, ORG_CONTACT)[0] || model_str(o, i, ORG_ADDRESS)[0] ||
        model_str(o, i, ORG_URL)[0]) {
        org_facts(a, w_side(a, &r, 520, 520), o, i);
    }
    w_card(a, r);
    struct ui_rect in = ui_inset(r, app_sz(a, 36));
    int off = ui_scroll_begin(a->ui, "org-detail", in);
    int y = in.y - off;
    y += screen_detail_picture(
        a, (struct ui_rect){in.x, y, in.w, in.h},
        &(struct w_pic){model_str(o, i, ORG_PICTURE), model_str(o, i, ORG_PICTURE_ALT),
                        org_color(a, model_str(o, i, ORG_DOMAIN)), ICON_DIRECTORY, true});
    w_tag(a, in.x, y, i18n_kind(a->lang, model_str(o, i, ORG_KIND)), p->primary, p->on_primary);
    y += w_tag_height(a) + gap;
    y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, model_str(o, i, ORG_NAME),
                      UI_FONT_BOLD, app_ts(a, TS_TITLE), p->text, 0) +
         gap;
    y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, model_str(o, i, ORG_DESCRIPTION),
                      UI_FONT_REGULAR, app_ts(a, TS_BODY), p->text, 0);
    ui_scroll_end(a->ui, y + off - in.y);
}

/* The kind and domain filters of the directory. */
static void filters(struct app *a, struct w_filter f[2])
{
    w_filter_values(a, &f[0], i18n_str(a->lang, S_KIND), &a->dir.kind, S_ALL,
                    model_values("organization", "kind"), i18n_kind);
    w_filter_domains(a, &f[1], &a->dir.domain);
}

static void cards(struct app *a, struct ui_rect r, const struct model_rows *o)
{
    int gap = app_sz(a, SZ_GAP), cw = app_sz(a, SZ_CARD_W);
    int cols = (r.w + gap) / (cw + gap);
    if (cols < 1)
        cols = 1;
    int w = (r.w - (cols - 1) * gap) / cols, h = card_height(a);
    int nrows = (o->n + cols - 1) / cols;
    int off = ui_scroll_begin(a->ui, "org-list", r);
    for (int row = off / (h + gap); row < nrows && row * (h + gap) - off < r.h; row++) {
        for (int c = 0; c < cols && row * cols + c < o->n; c++) {
            int i = row * cols + c;
            if (card(a, (struct ui_rect){r.x + c * (w + gap), r.y + row * (h + gap) - off, w, h}, o,
                     i)) {
                snprintf(a->dir.open, sizeof a->dir.open, "%s", model_str(o, i, ORG_ID));
                a->redraw = true;
            }
        }
    }
    ui_scroll_end(a->ui, nrows * (h + gap));
}

void screen_directory(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->pal;
    r = ui_inset(r, app_sz(a, SZ_PAD));
    struct w_filter f[2];
    filters(a, f);
    const struct model_rows *o =
        model_organizations(a->model, w_filter_value(&f[0], model_values("organization", "kind")),
                            w_filter_value(&f[1], tables_domains));
    if (a->dir.open[0]) {
        detail(a, r, o, index_of(o, a->dir.open));
        return;
    }
    int th = w_title(a, r, i18n_str(a->lang, S_DIRECTORY_TITLE), ICON_DIRECTORY);
    ui_cut_top(&r, th + app_sz(a, 8));
    int hh = ui_paragraph(a->ui, r, i18n_str(a->lang, S_DIRECTORY_HINT), UI_FONT_REGULAR,
                          app_ts(a, TS_BODY), p->muted, 2);
    ui_cut_top(&r, hh + app_sz(a, SZ_GAP));
    bool filtered = a->dir.kind || a->dir.domain;
    if (o->n == 0 && !filtered) {
        w_empty(a, r, ICON_DIRECTORY, i18n_str(a->lang, S_NO_ORGS));
        return;
    }
    w_filter_buttons(a, &r, f, 2, &a->dir.choosing);
    ui_cut_top(&r, app_sz(a, 12));
    if (a->dir.choosing) {
        w_filter_chooser(a, r, f, &a->dir.choosing, "org-list");
        return;
    }
    /* The count says what it counts: "3 acteurs · Association · Culture". */
    char count[64], picked[160], line[240];
    i18n_count(a->lang, S_ORGS_1, o->n, count, sizeof count);
    w_filter_summary(f, 2, picked, sizeof picked);
    snprintf(line, sizeof line, "%s%s%s", count, picked[0] ? " · " : "", picked);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, app_ts(a, TS_BODY));
    ui_label(a->ui, ui_cut_top(&r, lh), line, UI_FONT_BOLD, app_ts(a, TS_BODY), p->muted, UI_LEFT);
    ui_cut_top(&r, app_sz(a, 12));
    if (o->n == 0) {
        w_empty(a, r, ICON_SEARCH, i18n_str(a->lang, S_NO_ORGS_FILTERS));
        return;
    }
    cards(a, r, o);
}

void screen_directory_reset(struct app *a)
{
    memset(&a->dir, 0, sizeof a->dir);
}
