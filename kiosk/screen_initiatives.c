/* screen_initiatives: browse initiatives by domain, search them from the
 * on-screen keyboard (accent-insensitive, through the replica's FTS5
 * index), open one: stage, carrier, description, supports, "Je soutiens",
 * "Je veux m'engager" (screen_offer.c) and a QR code of its url or
 * contact.
 *
 * The list is a virtualised grid: only the rows on screen are drawn, so
 * 10,000 initiatives scroll as smoothly as ten. */
#include <stdio.h>
#include <string.h>

#include "tables.h"
#include "widget.h"

static int domain_index(const char *domain)
{
    for (int i = 0; domain && tables_domains[i] && i < THEME_DOMAINS; i++)
        if (strcmp(tables_domains[i], domain) == 0)
            return i;
    return -1;
}

struct ui_color screen_domain_color(const char *domain)
{
    int i = domain_index(domain);
    return i >= 0 ? theme_domain_colors[i] : theme_domain_none;
}

unsigned screen_domain_icon(const char *domain)
{
    int i = domain_index(domain);
    return i >= 0 ? theme_domain_icons[i] : ICON_INFO;
}

/* A domain tag: coloured, with the domain's icon beside its name. */
static int domain_tag(struct app *a, int x, int y, const char *domain)
{
    struct ui_color bg = a->look.contrast ? a->look.pal->primary : screen_domain_color(domain);
    struct ui_color fg =
        a->look.contrast ? a->look.pal->on_primary : (struct ui_color){255, 255, 255, 255};
    int ts = look_ts(&a->look, TS_SMALL), pad = look_sz(&a->look, 12), th = w_tag_height(&a->look);
    const char *name = i18n_domain(a->look.lang, domain);
    char ic[5];
    w_icon_utf8(screen_domain_icon(domain), ic);
    int iw = ui_text_width(a->ui, UI_FONT_ICON, ts, ic);
    int tw = ui_text_width(a->ui, UI_FONT_BOLD, ts, name);
    struct ui_rect r = {x, y, pad + iw + look_sz(&a->look, 8) + tw + pad, th};
    ui_draw_rect(a->ui, r, bg, look_sz(&a->look, 10));
    ui_draw_text(a->ui, x + pad, y + (th - ui_line_height(a->ui, UI_FONT_ICON, ts)) / 2, ic,
                 UI_FONT_ICON, ts, fg);
    ui_draw_text(a->ui, x + pad + iw + look_sz(&a->look, 8),
                 y + (th - ui_line_height(a->ui, UI_FONT_BOLD, ts)) / 2, name, UI_FONT_BOLD, ts,
                 fg);
    ui_record(a->ui, name, "tag", r, 0, false, r.w);
    return r.w;
}

/* What an initiative's card keeps lines for under its tags: a title of
 * two lines, its summary and a foot (carrier, supports). */
static const struct w_card_words card_shape = {NULL, NULL, 2, 2, 14, true, {0}};

int screen_initiative_card_height(struct app *a)
{
    return 2 * look_sz(&a->look, 24) + w_card_words_height(&a->look, &card_shape);
}

/* The carrier at the left of the foot, the supports at its right. */
static void card_foot(struct app *a, struct ui_rect f, const struct model_rows *rows, int i)
{
    const struct theme_palette *p = a->look.pal;
    int ts = look_ts(&a->look, TS_SMALL), lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    char sup[64], by[200];
    i18n_count(a->look.lang, S_SUPPORTS_1, model_int(rows, i, INI_SUPPORTS), sup, sizeof sup);
    int sw = ui_text_width(a->ui, UI_FONT_BOLD, ts, sup);
    w_icon(&a->look, f.x + f.w - sw - look_sz(&a->look, 40), f.y, ICON_HEART, ts, p->refused);
    ui_label(a->ui, (struct ui_rect){f.x + f.w - sw, f.y, sw, lh}, sup, UI_FONT_BOLD, ts, p->text,
             UI_RIGHT);
    snprintf(by, sizeof by, "%s %s", i18n_str(a->look.lang, S_CARRIER),
             model_str(rows, i, INI_CARRIER));
    ui_label(a->ui, (struct ui_rect){f.x, f.y, f.w - sw - look_sz(&a->look, 60), f.h}, by,
             UI_FONT_REGULAR, ts, p->muted, UI_LEFT);
}

bool screen_initiative_card(struct app *a, struct ui_rect r, const struct model_rows *rows, int i)
{
    const struct theme_palette *p = a->look.pal;
    const char *title = model_str(rows, i, INI_TITLE);
    const char *domain = model_str(rows, i, INI_DOMAIN);
    ui_push_id(a->ui, model_str(rows, i, INI_ID));
    bool tapped = w_card_button(&a->look, r, title);
    int pad = look_sz(&a->look, 24), bar = look_sz(&a->look, 10);
    /* The domain's colour down the left edge, rounded with the card. */
    ui_clip_push(a->ui, r);
    ui_draw_rect(a->ui, (struct ui_rect){r.x, r.y, bar * 3, r.h}, screen_domain_color(domain),
                 look_sz(&a->look, SZ_RADIUS));
    ui_draw_rect(a->ui, (struct ui_rect){r.x + bar, r.y, bar * 2, r.h},
                 ui_pressed(a->ui, ui_id(a->ui, title)) ? p->sunken : p->surface, 0);
    ui_clip_pop(a->ui);
    struct w_card_words c = card_shape;
    c.title = title;
    c.text = model_str(rows, i, INI_SUMMARY);
    c.pic = (struct w_pic){model_str(rows, i, INI_PICTURE), model_str(rows, i, INI_PICTURE_ALT),
                           screen_domain_color(domain), screen_domain_icon(domain), false};
    struct w_card_parts parts;
    w_card_words(&a->look, (struct ui_rect){r.x + bar + pad, r.y + pad, r.w - bar - 2 * pad, 0}, &c,
                 &parts);
    struct ui_rect t = parts.tags;
    int x = t.x + domain_tag(a, t.x, t.y, domain) + look_sz(&a->look, 12);
    ui_label(a->ui, (struct ui_rect){x, t.y, t.x + t.w - x, t.h},
             i18n_stage(a->look.lang, model_str(rows, i, INI_STAGE)), UI_FONT_REGULAR,
             look_ts(&a->look, TS_SMALL), p->muted, UI_LEFT);
    card_foot(a, parts.foot, rows, i);
    ui_pop_id(a->ui);
    return tapped;
}

/* ---- list ---- */

/* The domain and stage filters of the list. */
static void filters(struct app *a, struct w_filter f[2])
{
    w_filter_domains(&a->look, &f[0], &a->ini.domain);
    w_filter_values(&a->look, &f[1], i18n_str(a->look.lang, S_STAGE), &a->ini.stage, S_ALL_STAGES,
                    model_values("initiative", "stage"), i18n_stage);
}

/* The domains with their colours, then the stages, as rows of chips at
 * the top of r; a tap picks one of each. Returns their height; draw false
 * only measures it. */
static int chips(struct app *a, struct ui_rect r, bool draw)
{
    struct w_filter f[2];
    filters(a, f);
    int gap = look_sz(&a->look, 12), y = r.y;
    for (int i = 0; i < 2; i++) {
        int h = w_chip_row_height(&a->look, r.w, f[i].labels, f[i].dots, f[i].n);
        if (draw) {
            struct ui_rect row = {r.x, y, r.w, h};
            w_chip_row(&a->look, &row, f[i].labels, f[i].dots, f[i].n, f[i].sel, "initiative-list");
        }
        y += h + (i == 0 ? gap : 0);
    }
    return y - r.y;
}

/* The cards in columns, scrolling. */
static void cards(struct app *a, struct ui_rect r, const struct model_rows *rows)
{
    struct w_grid g = {.n = rows->n, .h = screen_initiative_card_height(a), .card_w = SZ_CARD_W};
    w_grid_begin(&a->look, &g, "initiative-list", r);
    int i;
    struct ui_rect cell;
    while (w_grid_next(&g, &i, &cell)) {
        if (screen_initiative_card(a, cell, rows, i)) {
            snprintf(a->ini.open, sizeof a->ini.open, "%s", model_str(rows, i, INI_ID));
            ui_focus(a->ui, 0);
            a->redraw = true;
        }
    }
    w_grid_end(&g);
}

static void list(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->look.pal;
    /* While typing, a thinner margin keeps the search field whole above
     * the keyboard on a small display. */
    int pad = look_sz(&a->look, a->kbd.open ? 8 : SZ_PAD), gap = look_sz(&a->look, SZ_GAP);
    r = ui_inset(r, pad);
    int th = look_touch(&a->look, SZ_BUTTON);
    struct ui_rect top = ui_cut_top(&r, th);
    struct ui_rect fr;
    if (a->look.portrait) {
        /* Portrait: the search gets a full row under the title. */
        ui_cut_top(&r, gap);
        fr = ui_cut_top(&r, th);
    } else {
        fr = ui_cut_right(&top, top.w * 2 / 5);
    }
    w_title(&a->look,
            (struct ui_rect){
                top.x,
                top.y + (th - ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_TITLE))) / 2,
                top.w, th},
            i18n_str(a->look.lang, S_INITIATIVES), ICON_INITIATIVES);
    const char *search = i18n_str(a->look.lang, S_SEARCH);
    if (a->ini.query[0]) {
        /* One tap empties the search. */
        const char *clear = i18n_str(a->look.lang, S_CLEAR);
        int cw = w_button_width(&a->look, clear, ICON_CLOSE);
        struct ui_rect cr = ui_cut_right(&fr, cw);
        ui_cut_right(&fr, look_sz(&a->look, 12));
        if (w_button(&a->look, cr, clear, ICON_CLOSE, W_QUIET)) {
            a->ini.query[0] = '\0';
            ui_scroll_reset(a->ui, "initiative-list");
            a->redraw = true;
        }
    }
    w_field(&a->look, fr, search, a->ini.query, sizeof a->ini.query, 60);
    ui_cut_top(&r, gap);
    /* While the keyboard is up, the results need the room more than the
     * filters do. The chips take at most half the room and leave a whole
     * card under them; past that (larger text, banners, a small display:
     * 800x480, 480x800) they fold into one button
     * per filter, as the directory's, which opens its chips in place of
     * the cards: a visitor sees initiatives first, not filters. */
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_BODY));
    struct w_filter f[2];
    filters(a, f);
    if (!ui_focused(a->ui)) {
        int head = chips(a, r, false) + gap, room = r.h - lh - gap;
        if (a->ini.choosing || 2 * head > room || room - head < screen_initiative_card_height(a)) {
            w_filter_buttons(&a->look, &r, f, 2, &a->ini.choosing);
            ui_cut_top(&r, gap);
        } else {
            chips(a, r, true);
            ui_cut_top(&r, head);
        }
    }
    if (a->ini.choosing) {
        w_filter_chooser(&a->look, r, f, &a->ini.choosing, "initiative-list");
        return;
    }
    const struct model_rows *rows =
        model_initiatives(a->model, w_filter_value(&f[0], tables_domains),
                          w_filter_value(&f[1], model_values("initiative", "stage")), a->ini.query);
    /* The count says what it counts: "2 initiatives · Agriculture · Émergence". */
    char count[64], picked[160], line[240];
    i18n_count(a->look.lang, S_RESULTS_1, rows->n, count, sizeof count);
    w_filter_summary(f, 2, picked, sizeof picked);
    snprintf(line, sizeof line, "%s%s%s", count, picked[0] ? " · " : "", picked);
    ui_label(a->ui, ui_cut_top(&r, lh), line, UI_FONT_BOLD, look_ts(&a->look, TS_BODY), p->muted,
             UI_LEFT);
    ui_cut_top(&r, gap);
    if (rows->n == 0) {
        char why[400];
        if (picked[0])
            i18n_fill(why, sizeof why, i18n_str(a->look.lang, S_NO_RESULTS_FOR), picked);
        else
            snprintf(why, sizeof why, "%s",
                     i18n_str(a->look.lang, a->ini.query[0] ? S_NO_RESULTS : S_EMPTY_INITIATIVES));
        w_empty(&a->look, r, picked[0] || a->ini.query[0] ? ICON_SEARCH : ICON_INITIATIVES, why);
        return;
    }
    cards(a, r, rows);
}

/* ---- detail ---- */

/* "Qui accompagne à cette étape": the actors that accompany the
 * initiative's stage, those of its domain first, each one tap from its
 * page with why it fits; their height. */
static void accompanied_by(struct app *a, struct ui_layout *l, const struct model_rows *d)
{
    const char *stage = model_str(d, 0, INID_STAGE);
    const struct model_rows *o =
        model_accompany(a->model, model_str(d, 0, INID_DOMAIN), stage, NULL);
    if (o->n == 0)
        return;
    int ts = look_ts(&a->look, TS_LEAD), bh = look_touch(&a->look, SZ_BUTTON),
        gap = look_sz(&a->look, 10);
    ui_label(a->ui, ui_layout_block(l, ui_line_height(a->ui, UI_FONT_BOLD, ts)),
             i18n_str(a->look.lang, S_ACCOMPANIED_BY), UI_FONT_BOLD, ts, a->look.pal->text,
             UI_LEFT);
    ui_layout_space(l, gap);
    for (int i = 0; i < o->n && i < 4; i++) {
        const char *name = model_str(o, i, ORG_NAME);
        struct ui_rect r = ui_layout_block(l, bh);
        ui_layout_space(l, gap);
        ui_push_id(a->ui, model_str(o, i, ORG_ID));
        if (w_card_button(&a->look, r, name))
            screen_directory_open(a, model_str(o, i, ORG_ID));
        ui_label(a->ui, ui_inset(r, look_sz(&a->look, 18)), name, UI_FONT_BOLD,
                 look_ts(&a->look, TS_BODY), a->look.pal->primary, UI_LEFT);
        ui_pop_id(a->ui);
    }
}

int screen_support(struct app *a, struct ui_rect in, int64_t count, bool done, bool *tapped)
{
    const struct theme_palette *p = a->look.pal;
    int bh = look_touch(&a->look, SZ_BUTTON), gap = look_sz(&a->look, SZ_GAP);
    char sup[64];
    i18n_count(a->look.lang, S_SUPPORTS_1, count, sup, sizeof sup);
    int ts = look_ts(&a->look, TS_LEAD);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
    int x = in.x + w_icon(&a->look, in.x, in.y, ICON_HEART, ts, p->refused) + look_sz(&a->look, 12);
    ui_label(a->ui, (struct ui_rect){x, in.y, in.x + in.w - x, lh}, sup, UI_FONT_BOLD, ts, p->text,
             UI_LEFT);
    int y = in.y + lh + gap;
    const char *label = i18n_str(a->look.lang, done ? S_SUPPORTED : S_SUPPORT);
    *tapped = false;
    if (done) {
        /* The thanks replaces the button, where the person looks: no
         * toast saying it again. */
        int n = ui_wrap(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_BODY), label, in.w, NULL, NULL);
        y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, n * lh}, label, UI_FONT_BOLD,
                          look_ts(&a->look, TS_BODY), p->ok, 0);
    } else {
        *tapped =
            w_button(&a->look, (struct ui_rect){in.x, y, in.w, bh}, label, ICON_HEART, W_PRIMARY);
        y += bh;
    }
    return y - in.y;
}

void screen_detail_picture(struct app *a, struct ui_layout *l, int page_h, const struct w_pic *pic)
{
    /* A row without a picture starts with its words: the placeholder is
     * for cards, and for a picture still on its way. */
    if (!pic->sha || !pic->sha[0])
        return;
    /* At most half the page's height, so the words start on the screen. */
    int h = l->body.w * 9 / 16;
    if (h > look_sz(&a->look, 460))
        h = look_sz(&a->look, 460);
    if (h > page_h / 2)
        h = page_h / 2;
    w_picture(&a->look, ui_layout_block(l, h), pic);
}

static void detail_side(struct app *a, struct ui_rect r, const struct model_rows *d)
{
    const struct theme_palette *p = a->look.pal;
    const char *id = model_str(d, 0, INID_ID);
    int bh = look_touch(&a->look, SZ_BUTTON), gap = look_sz(&a->look, SZ_GAP);
    w_card(&a->look, r);
    struct ui_rect in = ui_inset(r, look_sz(&a->look, 28));
    bool tapped;
    int y = in.y + screen_support(a, in, model_int(d, 0, INID_SUPPORTS),
                                  strcmp(a->ini.supported, id) == 0, &tapped);
    if (tapped) {
        if (model_support(a->model, id) == ERR_OK)
            snprintf(a->ini.supported, sizeof a->ini.supported, "%s", id);
        else
            app_toast(a, i18n_str(a->look.lang, S_WRITE_FAILED));
        a->redraw = true;
    }
    y += gap;
    const char *offer = i18n_str(a->look.lang, S_OFFER_HELP);
    if (w_button(&a->look, (struct ui_rect){in.x, y, in.w, bh}, offer, ICON_PEOPLE, W_SECONDARY)) {
        memset(&a->offer, 0, sizeof a->offer);
        snprintf(a->offer.initiative, sizeof a->offer.initiative, "%s", id);
        a->redraw = true;
    }
    y += bh + gap * 2;
    const char *url = model_str(d, 0, INID_URL), *contact = model_str(d, 0, INID_CONTACT);
    const char *qr = url[0] ? url : contact;
    if (contact[0]) {
        int cs = look_ts(&a->look, TS_BODY);
        ui_label(a->ui, (struct ui_rect){in.x, y, in.w, ui_line_height(a->ui, UI_FONT_BOLD, cs)},
                 i18n_str(a->look.lang, S_CONTACT), UI_FONT_BOLD, cs, p->muted, UI_LEFT);
        y += ui_line_height(a->ui, UI_FONT_BOLD, cs);
        y += ui_paragraph(a->ui, (struct ui_rect){in.x, y, in.w, 0}, contact, UI_FONT_REGULAR, cs,
                          p->text, 3) +
             gap;
    }
    if (qr[0]) {
        int side = in.w < look_sz(&a->look, 300) ? in.w : look_sz(&a->look, 300);
        int room =
            in.y + in.h - y - ui_line_height(a->ui, UI_FONT_REGULAR, look_ts(&a->look, TS_SMALL));
        if (side > room)
            side = room;
        if (side > look_sz(&a->look, 120)) {
            ui_draw_qr(a->ui, (struct ui_rect){in.x + (in.w - side) / 2, y, side, side}, qr,
                       i18n_str(a->look.lang, S_QR_CAPTION));
            y += side + look_sz(&a->look, 8);
            ui_label(a->ui,
                     (struct ui_rect){
                         in.x, y, in.w,
                         ui_line_height(a->ui, UI_FONT_REGULAR, look_ts(&a->look, TS_SMALL))},
                     i18n_str(a->look.lang, S_QR_CAPTION), UI_FONT_REGULAR,
                     look_ts(&a->look, TS_SMALL), p->muted, UI_CENTER);
        }
    }
}

static void detail(struct app *a, struct ui_rect r)
{
    const struct theme_palette *p = a->look.pal;
    const struct model_rows *d = model_initiative(a->model, a->ini.open);
    bool offering = a->offer.initiative[0] && strcmp(a->offer.initiative, a->ini.open) == 0;
    /* While typing, a thinner margin leaves the form the height. */
    int pad = look_sz(&a->look, offering && a->kbd.open ? 8 : SZ_PAD),
        gap = look_sz(&a->look, SZ_GAP);
    r = ui_inset(r, pad);
    if (offering && d->n > 0) {
        screen_offer(a, r, d);
        return;
    }
    if (w_back(&a->look, &r)) {
        a->ini.open[0] = '\0';
        return;
    }
    if (d->n == 0) {
        w_empty(&a->look, r, ICON_INFO, i18n_str(a->look.lang, S_NOT_FOUND));
        return;
    }
    detail_side(a, w_side(&a->look, &r, 520, 720), d);
    w_card(&a->look, r);
    struct ui_rect in = ui_inset(r, look_sz(&a->look, 36));
    int off = ui_scroll_begin(a->ui, "initiative-detail", in);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){in.x, in.y - off, in.w, 0}, gap);
    const char *domain = model_str(d, 0, INID_DOMAIN);
    screen_detail_picture(
        a, &l, in.h,
        &(struct w_pic){model_str(d, 0, INID_PICTURE), model_str(d, 0, INID_PICTURE_ALT),
                        screen_domain_color(domain), screen_domain_icon(domain), false});
    /* The title first: on a small display it is what shows above the fold. */
    ui_layout_text(a->ui, &l, model_str(d, 0, INID_TITLE), UI_FONT_BOLD,
                   look_ts(&a->look, TS_TITLE), p->text, 0);
    char by[200];
    snprintf(by, sizeof by, "%s %s", i18n_str(a->look.lang, S_CARRIER),
             model_str(d, 0, INID_CARRIER));
    ui_layout_text(a->ui, &l, by, UI_FONT_BOLD, look_ts(&a->look, TS_BODY), p->primary, 0);
    ui_layout_space(&l, look_sz(&a->look, 8));
    struct ui_rect tags = ui_layout_block(&l, w_tag_height(&a->look));
    int x = tags.x + domain_tag(a, tags.x, tags.y, domain) + look_sz(&a->look, 12);
    char stage[120];
    i18n_pair(a->look.lang, i18n_str(a->look.lang, S_STAGE),
              i18n_stage(a->look.lang, model_str(d, 0, INID_STAGE)), stage, sizeof stage);
    w_tag(&a->look, x, tags.y, stage, p->sunken, p->text);
    ui_layout_space(&l, look_sz(&a->look, 8));
    ui_layout_text(a->ui, &l, i18n_stage_about(a->look.lang, model_str(d, 0, INID_STAGE)),
                   UI_FONT_REGULAR, look_ts(&a->look, TS_BODY), p->muted, 0);
    ui_layout_space(&l, look_sz(&a->look, 8));
    ui_layout_text(a->ui, &l, model_str(d, 0, INID_SUMMARY), UI_FONT_BOLD,
                   look_ts(&a->look, TS_LEAD), p->text, 0);
    ui_layout_text(a->ui, &l, model_str(d, 0, INID_DESCRIPTION), UI_FONT_REGULAR,
                   look_ts(&a->look, TS_BODY), p->text, 0);
    accompanied_by(a, &l, d);
    ui_scroll_end(a->ui, ui_layout_height(&l));
}

void screen_initiatives(struct app *a, struct ui_rect r)
{
    if (a->ini.open[0])
        detail(a, r);
    else
        list(a, r);
}

void screen_initiatives_list(struct app *a)
{
    a->ini.open[0] = '\0';
}

void screen_initiatives_reset(struct app *a)
{
    memset(&a->ini, 0, sizeof a->ini);
    memset(&a->offer, 0, sizeof a->offer);
}

/* The help offer's form is part of the initiatives' state (reset above). */
bool screen_initiatives_used(const struct app *a)
{
    return a->ini.query[0] || a->ini.domain || a->ini.stage || a->ini.choosing || a->ini.open[0] ||
           a->ini.supported[0] || a->offer.initiative[0] || a->offer.consent || a->offer.sent ||
           a->offer.name[0] || a->offer.contact[0] || a->offer.error[0];
}
