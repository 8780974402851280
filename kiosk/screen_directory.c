/* screen_directory: "Se faire accompagner", the organisations that
 * inform, train, advise, support and fund project carriers; support
 * bodies first, filtered by kind and domain, and the accompaniment path
 * (screen_accompany.c) one tap away. A card opens the actor's page: what
 * it offers and at which stages, contact, address, a QR code of its
 * contact card, and the initiatives and coming events linked to it. */
#include <stdio.h>
#include <string.h>

#include "tables.h"
#include "when.h"
#include "widget.h"

/* What an actor's card keeps lines for under its tags: its name on one
 * line and its description. */
static const struct w_card_words card_shape = {NULL, NULL, 1, 3, 12, false, {0}};

/* An organisation's placeholder: its domain's colour, or the primary. */
static struct ui_color org_color(const struct app *a, const char *domain)
{
    return domain[0] ? screen_domain_color(domain) : a->look.pal->primary;
}

static bool card(struct app *a, struct ui_rect r, const struct model_rows *o, int i)
{
    const struct theme_palette *p = a->look.pal;
    const char *name = model_str(o, i, ORG_NAME);
    ui_push_id(a->ui, model_str(o, i, ORG_ID));
    bool tapped = w_card_button(&a->look, r, name);
    const char *domain = model_str(o, i, ORG_DOMAIN);
    struct w_card_words c = card_shape;
    c.title = name;
    c.text = model_str(o, i, ORG_DESCRIPTION);
    /* The logo beside the words under the tags, which keep the width. */
    c.pic = (struct w_pic){model_str(o, i, ORG_PICTURE), model_str(o, i, ORG_PICTURE_ALT),
                           org_color(a, domain), ICON_DIRECTORY, true};
    struct w_card_parts parts;
    w_card_words(&a->look, ui_inset(r, look_sz(&a->look, 24)), &c, &parts);
    struct ui_rect t = parts.tags;
    int x = t.x + w_tag(&a->look, t.x, t.y, i18n_kind(a->look.lang, model_str(o, i, ORG_KIND)),
                        p->primary, p->on_primary);
    if (domain[0])
        w_tag(&a->look, x + look_sz(&a->look, 10), t.y, i18n_domain(a->look.lang, domain),
              a->look.contrast ? p->sunken : screen_domain_color(domain),
              a->look.contrast ? p->text : (struct ui_color){255, 255, 255, 255});
    ui_pop_id(a->ui);
    return tapped;
}

static int line(struct app *a, struct ui_rect r, unsigned icon, const char *text)
{
    if (!text[0])
        return 0;
    int ts = look_ts(&a->look, TS_BODY);
    int x = r.x +
            w_icon(&a->look, r.x, r.y, icon, look_ts(&a->look, TS_ICON), a->look.pal->primary) +
            look_sz(&a->look, 14);
    return ui_paragraph(a->ui, (struct ui_rect){x, r.y, r.x + r.w - x, 0}, text, UI_FONT_REGULAR,
                        ts, a->look.pal->text, 3) +
           look_sz(&a->look, 14);
}

/* Contact, address, website and the QR code of its card, in a card of
 * their own. */
static void org_facts(struct app *a, struct ui_rect side, const struct model_rows *o, int i)
{
    w_card(&a->look, side);
    struct ui_rect si = ui_inset(side, look_sz(&a->look, 28));
    int y = si.y;
    y += line(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_MAIL, model_str(o, i, ORG_CONTACT));
    y += line(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_PLACE, model_str(o, i, ORG_ADDRESS));
    y += line(a, (struct ui_rect){si.x, y, si.w, 0}, ICON_WEB, model_str(o, i, ORG_URL));
    w_qr_card(&a->look, (struct ui_rect){si.x, y, si.w, si.y + si.h - y}, o, i);
}

/* A heading of the actor's page; its height. */
static int heading(struct app *a, int x, int y, int w, enum str s)
{
    int ts = look_ts(&a->look, TS_LEAD), lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    ui_label(a->ui, (struct ui_rect){x, y, w, lh}, i18n_str(a->look.lang, s), UI_FONT_BOLD, ts,
             a->look.pal->text, UI_LEFT);
    return lh + look_sz(&a->look, 10);
}

/* The items of set (a COL_SET value) as tags named by name(), wrapping
 * within w; their height. */
static int set_tags(struct app *a, int x, int y, int w, const char *set,
                    const char *(*name)(enum lang, const char *))
{
    int th = w_tag_height(&a->look), gap = look_sz(&a->look, 10), cx = x, cy = y;
    for (const char *p = set; *p;) {
        char v[40];
        size_t len = strcspn(p, ",");
        snprintf(v, sizeof v, "%.*s", (int)len, p);
        const char *label = name(a->look.lang, v);
        int tw = ui_text_width(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_SMALL), label) +
                 look_sz(&a->look, 24);
        if (cx > x && cx + tw > x + w) {
            cx = x;
            cy += th + gap;
        }
        cx += w_tag(&a->look, cx, cy, label, a->look.pal->sunken, a->look.pal->text) + gap;
        p += len + (p[len] == ',');
    }
    return cy - y + th + look_sz(&a->look, SZ_GAP);
}

/* Whether row k of ev is a later occurrence of an event of an earlier
 * row: a weekly workshop shows once, at its next date. */
static bool repeats(const struct model_rows *ev, int k)
{
    for (int j = 0; j < k; j++)
        if (strcmp(model_str(ev, j, EV_ID), model_str(ev, k, EV_ID)) == 0)
            return true;
    return false;
}

/* The initiatives and the coming events linked to org, under headings,
 * each one tap from its page; their height. */
static int linked(struct app *a, int x, int y, int w, const char *org)
{
    const struct model_rows *ini = model_org_initiatives(a->model, org);
    char from[TS_LEN + 1], to[TS_LEN + 1];
    ts_format(a->now, from);
    ts_format(when_midnight(a->now, 120), to);
    const struct model_rows *ev = model_events_linked(a->model, from, to);
    int y0 = y, gap = look_sz(&a->look, 10), bh = look_touch(&a->look, SZ_BUTTON);
    if (ini->n)
        y += heading(a, x, y, w, S_ORG_INITIATIVES);
    for (int i = 0; i < ini->n && i < 6; i++, y += bh + gap) {
        const char *title = model_str(ini, i, INI_TITLE);
        struct ui_rect r = {x, y, w, bh};
        if (w_card_button(&a->look, r, title)) {
            snprintf(a->ini.open, sizeof a->ini.open, "%s", model_str(ini, i, INI_ID));
            a->screen = SCR_INITIATIVES;
            a->redraw = true;
        }
        ui_label(a->ui, ui_inset(r, look_sz(&a->look, 18)), title, UI_FONT_BOLD,
                 look_ts(&a->look, TS_BODY), a->look.pal->primary, UI_LEFT);
    }
    int k = model_find(ev, EV_ORG, org, 0), rh = screen_event_row_height(a);
    if (k >= 0)
        y += (ini->n ? look_sz(&a->look, SZ_GAP) : 0) + heading(a, x, y, w, S_ORG_EVENTS);
    for (int n = 0; k >= 0 && n < 4; k = model_find(ev, EV_ORG, org, k + 1)) {
        if (repeats(ev, k))
            continue;
        n++;
        if (screen_event_row(a, (struct ui_rect){x, y, w, rh}, ev, k, true)) {
            screen_event_open(a, ev, k);
            a->screen = SCR_AGENDA;
            a->redraw = true;
        }
        y += rh + gap;
    }
    return y - y0;
}

/* What the actor offers and the stages it accompanies, then what links
 * to it, below its description; their height. */
static int offer(struct app *a, int x, int y, int w, const struct model_rows *o, int i)
{
    int y0 = y;
    const char *offers = model_str(o, i, ORG_OFFERS), *stages = model_str(o, i, ORG_STAGES);
    if (offers[0]) {
        y += heading(a, x, y, w, S_ORG_OFFERS);
        y += set_tags(a, x, y, w, offers, i18n_offer);
    }
    if (stages[0]) {
        y += heading(a, x, y, w, S_ORG_STAGES);
        y += set_tags(a, x, y, w, stages, i18n_stage);
    }
    return y - y0 + linked(a, x, y, w, model_str(o, i, ORG_ID));
}

static void detail(struct app *a, struct ui_rect r, const struct model_rows *o, int i)
{
    const struct theme_palette *p = a->look.pal;
    int gap = look_sz(&a->look, SZ_GAP);
    if (w_back(&a->look, &r)) {
        a->dir.open[0] = '\0';
        if (a->dir.back_to)
            a->screen = (enum screen_id)(a->dir.back_to - 1);
        a->dir.back_to = 0;
        return;
    }
    if (i < 0) {
        w_empty(&a->look, r, ICON_INFO, i18n_str(a->look.lang, S_NOT_FOUND));
        return;
    }
    /* Without contact, address or website, the text takes the width. */
    if (model_str(o, i, ORG_CONTACT)[0] || model_str(o, i, ORG_ADDRESS)[0] ||
        model_str(o, i, ORG_URL)[0]) {
        org_facts(a, w_side(&a->look, &r, 520, 520), o, i);
    }
    w_card(&a->look, r);
    struct ui_rect in = ui_inset(r, look_sz(&a->look, 36));
    int off = ui_scroll_begin(a->ui, "org-detail", in);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){in.x, in.y - off, in.w, 0}, gap);
    screen_detail_picture(
        a, &l, in.h,
        &(struct w_pic){model_str(o, i, ORG_PICTURE), model_str(o, i, ORG_PICTURE_ALT),
                        org_color(a, model_str(o, i, ORG_DOMAIN)), ICON_DIRECTORY, true});
    struct ui_rect t = ui_layout_block(&l, w_tag_height(&a->look));
    w_tag(&a->look, t.x, t.y, i18n_kind(a->look.lang, model_str(o, i, ORG_KIND)), p->primary,
          p->on_primary);
    ui_layout_text(a->ui, &l, model_str(o, i, ORG_NAME), UI_FONT_BOLD, look_ts(&a->look, TS_TITLE),
                   p->text, 0);
    ui_layout_text(a->ui, &l, model_str(o, i, ORG_DESCRIPTION), UI_FONT_REGULAR,
                   look_ts(&a->look, TS_BODY), p->text, 0);
    int y = ui_layout_top(&l);
    y += offer(a, in.x, y, in.w, o, i);
    ui_scroll_end(a->ui, y + off - in.y);
}

/* The way into the accompaniment path, cut off the top of *r. */
static void path_button(struct app *a, struct ui_rect *r)
{
    const char *start = i18n_str(a->look.lang, S_PATH_START);
    int bw = w_button_width(&a->look, start, ICON_NEXT);
    struct ui_rect b = ui_cut_top(r, look_touch(&a->look, SZ_BUTTON));
    if (w_button(&a->look, (struct ui_rect){b.x, b.y, bw < b.w ? bw : b.w, b.h}, start, ICON_NEXT,
                 W_PRIMARY))
        screen_accompany_start(a, false);
    ui_cut_top(r, look_sz(&a->look, SZ_GAP));
}

/* The kind and domain filters of the directory. */
static void filters(struct app *a, struct w_filter f[2])
{
    w_filter_values(&a->look, &f[0], i18n_str(a->look.lang, S_KIND), &a->dir.kind, S_ALL,
                    model_values("organization", "kind"), i18n_kind);
    w_filter_domains(&a->look, &f[1], &a->dir.domain);
}

static int card_height(struct app *a)
{
    return 2 * look_sz(&a->look, 24) + w_card_words_height(&a->look, &card_shape);
}

/* The list's head cut off the top of *r: title, hint and the way into the
 * path; then, when there are actors or a filter, the filter buttons and,
 * unless a filter's chips are open, the count. */
static void head(struct app *a, struct ui_rect *r, const struct w_filter *f, int n)
{
    const struct theme_palette *p = a->look.pal;
    int th = w_title(&a->look, *r, i18n_str(a->look.lang, S_DIRECTORY_TITLE), ICON_DIRECTORY);
    ui_cut_top(r, th + look_sz(&a->look, 8));
    int hh = ui_paragraph(a->ui, *r, i18n_str(a->look.lang, S_DIRECTORY_HINT), UI_FONT_REGULAR,
                          look_ts(&a->look, TS_BODY), p->muted, 2);
    ui_cut_top(r, hh + look_sz(&a->look, SZ_GAP));
    path_button(a, r);
    if (n == 0 && !a->dir.kind && !a->dir.domain)
        return;
    w_filter_buttons(&a->look, r, f, 2, &a->dir.choosing);
    ui_cut_top(r, look_sz(&a->look, 12));
    if (a->dir.choosing)
        return;
    /* The count says what it counts: "3 acteurs · Association · Culture". */
    char count[64], picked[160], line[240];
    i18n_count(a->look.lang, S_ORGS_1, n, count, sizeof count);
    w_filter_summary(f, 2, picked, sizeof picked);
    snprintf(line, sizeof line, "%s%s%s", count, picked[0] ? " · " : "", picked);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_BODY));
    ui_label(a->ui, ui_cut_top(r, lh), line, UI_FONT_BOLD, look_ts(&a->look, TS_BODY), p->muted,
             UI_LEFT);
    ui_cut_top(r, look_sz(&a->look, 12));
}

/* The height head takes in r. */
static int head_height(struct app *a, struct ui_rect r, const struct w_filter *f, int n)
{
    int h = r.h;
    ui_measure_begin(a->ui);
    head(a, &r, f, n);
    ui_measure_end(a->ui);
    return h - r.h;
}

/* The cards, under the head when it scrolls with them (hh: its height,
 * else 0). */
static void cards(struct app *a, struct ui_rect r, const struct model_rows *o,
                  const struct w_filter *f, int hh)
{
    struct w_grid g = {.n = o->n, .h = card_height(a), .head = hh, .card_w = SZ_CARD_W};
    w_grid_begin(&a->look, &g, "org-list", r);
    if (hh) {
        struct ui_rect h = {r.x, g.top, r.w, hh};
        head(a, &h, f, o->n);
    }
    int i;
    struct ui_rect cell;
    while (w_grid_next(&g, &i, &cell)) {
        if (card(a, cell, o, i)) {
            snprintf(a->dir.open, sizeof a->dir.open, "%s", model_str(o, i, ORG_ID));
            a->redraw = true;
        }
    }
    w_grid_end(&g);
}

void screen_directory(struct app *a, struct ui_rect r)
{
    r = ui_inset(r, look_sz(&a->look, SZ_PAD));
    struct w_filter f[2];
    filters(a, f);
    const struct model_rows *o =
        model_organizations(a->model, w_filter_value(&f[0], model_values("organization", "kind")),
                            w_filter_value(&f[1], tables_domains));
    if (a->dir.open[0]) {
        const struct model_rows *one = model_organization(a->model, a->dir.open);
        detail(a, r, one, one->n ? 0 : -1);
        return;
    }
    if (a->dir.step) {
        screen_accompany(a, r);
        return;
    }
    /* The head scrolls with the cards when it would leave no room for one
     * (larger text and banners on a small display). */
    if (o->n && !a->dir.choosing && r.h - head_height(a, r, f, o->n) < card_height(a)) {
        cards(a, r, o, f, head_height(a, r, f, o->n));
        return;
    }
    head(a, &r, f, o->n);
    if (o->n == 0 && !a->dir.kind && !a->dir.domain) {
        w_empty(&a->look, r, ICON_DIRECTORY, i18n_str(a->look.lang, S_NO_ORGS));
        return;
    }
    if (a->dir.choosing) {
        w_filter_chooser(&a->look, r, f, &a->dir.choosing, "org-list");
        return;
    }
    if (o->n == 0) {
        w_empty(&a->look, r, ICON_SEARCH, i18n_str(a->look.lang, S_NO_ORGS_FILTERS));
        return;
    }
    cards(a, r, o, f, 0);
}

void screen_directory_open(struct app *a, const char *org)
{
    snprintf(a->dir.open, sizeof a->dir.open, "%s", org);
    a->dir.back_to = (int)a->screen + 1;
    a->screen = SCR_DIRECTORY;
    a->redraw = true;
}

void screen_directory_list(struct app *a)
{
    a->dir.open[0] = '\0';
    a->dir.back_to = 0; /* the directory is the way back now, not the page it was opened from */
}

void screen_directory_reset(struct app *a)
{
    memset(&a->dir, 0, sizeof a->dir);
}

bool screen_directory_used(const struct app *a)
{
    return a->dir.kind || a->dir.domain || a->dir.choosing || a->dir.open[0] || a->dir.step ||
           a->dir.p_domain || a->dir.p_stage || a->dir.p_need || a->dir.from_home || a->dir.back_to;
}
