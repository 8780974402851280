/* screen_offer: "Je veux m'engager" on an initiative: a first name, an
 * email or a phone, and the consent sentence the person ticks; then one
 * outbox row (model_offer_help) and the thanks.
 *
 * Nothing is written without the tick, and nothing of what was typed
 * stays on the kiosk once sent: the fields are wiped at once (and by the
 * idle reset), and syncd deletes the outbox row when the hub has it
 * (docs/protocol.md, "Help offers"). The buttons sit in a foot that never
 * scrolls; the fields and the sentence scroll above it (w_form). While
 * the keyboard is open the form fits its view instead, so that no line
 * is cut through by its edge: what happens shows in whole lines, or not
 * at all, and the rest when the keyboard closes. */
#include <stdio.h>
#include <string.h>

#include "validate.h"
#include "widget.h"

/* The sentence to accept in a row w wide: its wrap width and the row's
 * height (at least a touch target). */
static int consent_height(struct app *a, int w, int *text_w)
{
    int ts = look_ts(&a->look, TS_BODY), lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    int box = look_touch(&a->look, SZ_TOUCH) * 3 / 4, pad = look_sz(&a->look, 14);
    *text_w = w - box - look_sz(&a->look, 20) - 2 * pad;
    int h = ui_wrap(a->ui, UI_FONT_REGULAR, ts, i18n_str(a->look.lang, S_OFFER_CONSENT), *text_w,
                    NULL, NULL) *
                lh +
            2 * pad;
    return h < look_touch(&a->look, SZ_TOUCH) ? look_touch(&a->look, SZ_TOUCH) : h;
}

/* The sentence to accept, as a box and its words, as the next row of l;
 * the whole row is the touch target. */
static void consent(struct app *a, struct ui_layout *l)
{
    const struct theme_palette *p = a->look.pal;
    const char *text = i18n_str(a->look.lang, S_OFFER_CONSENT);
    int tw, h = consent_height(a, l->body.w, &tw);
    int box = look_touch(&a->look, SZ_TOUCH) * 3 / 4, pad = look_sz(&a->look, 14);
    struct ui_rect row = ui_layout_block(l, h), r = row;
    uint32_t id = ui_id(a->ui, text);
    int rad = look_sz(&a->look, 12);
    ui_draw_rect(a->ui, row, ui_pressed(a->ui, id) ? p->sunken : p->surface, rad);
    ui_draw_border(a->ui, row, a->offer.consent ? p->primary : p->line, rad, 2);
    struct ui_rect b = {r.x + pad, r.y + (h - box) / 2, box, box};
    if (a->offer.consent) {
        ui_draw_rect(a->ui, b, p->primary, look_sz(&a->look, 8));
        int is = look_ts(&a->look, TS_LEAD);
        w_icon(&a->look, b.x + (box - is) / 2,
               b.y + (box - ui_line_height(a->ui, UI_FONT_ICON, is)) / 2, ICON_CHECK, is,
               p->on_primary);
    } else {
        ui_draw_border(a->ui, b, p->muted, look_sz(&a->look, 8), look_sz(&a->look, 4));
    }
    ui_paragraph(a->ui, (struct ui_rect){r.x + r.w - pad - tw, r.y + pad, tw, 0}, text,
                 UI_FONT_REGULAR, look_ts(&a->look, TS_BODY), p->text, 0);
    ui_record(a->ui, text, a->offer.consent ? "checkbox checked" : "checkbox", row, id, true, 0);
    if (ui_tapped(a->ui, id)) {
        a->offer.consent = !a->offer.consent;
        a->offer.error[0] = '\0';
        ui_focus(a->ui, 0);
        a->redraw = true;
    }
}

/* s without the spaces around it, into out. */
static void trim(const char *s, char *out, size_t cap)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    snprintf(out, cap, "%.*s", (int)n, s);
}

/* Checks what was typed, in the order the form shows it; one outbox row
 * when all is there, then the fields are wiped. */
static void send(struct app *a)
{
    char name[sizeof a->offer.name], contact[sizeof a->offer.contact];
    trim(a->offer.name, name, sizeof name);
    trim(a->offer.contact, contact, sizeof contact);
    enum str why = S_COUNT;
    if (validate_blank(name))
        why = S_OFFER_NEED_NAME;
    else if (!validate_contact(contact))
        why = S_OFFER_NEED_CONTACT;
    else if (!a->offer.consent)
        why = S_OFFER_NEED_CONSENT;
    else if (model_offer_help(a->model, a->offer.initiative, name, contact))
        why = S_WRITE_FAILED;
    memset(name, 0, sizeof name);
    memset(contact, 0, sizeof contact);
    ui_focus(a->ui, 0);
    if (why != S_COUNT) {
        snprintf(a->offer.error, sizeof a->offer.error, "%s", i18n_str(a->look.lang, why));
        /* The field at fault takes the keyboard, and comes in view. */
        if (why == S_OFFER_NEED_NAME || why == S_OFFER_NEED_CONTACT)
            ui_focus(a->ui, ui_id(a->ui, i18n_str(a->look.lang, why == S_OFFER_NEED_NAME
                                                                    ? S_OFFER_NAME
                                                                    : S_OFFER_CONTACT)));
    } else {
        memset(a->offer.name, 0, sizeof a->offer.name);
        memset(a->offer.contact, 0, sizeof a->offer.contact);
        a->offer.consent = false;
        a->offer.error[0] = '\0';
        a->offer.sent = true;
    }
    a->redraw = true;
}

/* One field as the next row of l, at most 900 wide (design size); enter
 * moves on to `next` (0: closes the keyboard). Keeps the field above the
 * keyboard while it is typed into. */
static void field(struct app *a, struct w_form *f, struct ui_layout *l, enum str name, char *buf,
                  size_t cap, int max, enum str next)
{
    int fw = l->body.w < look_sz(&a->look, 900) ? l->body.w : look_sz(&a->look, 900);
    ui_layout_row(l, 1, &fw, look_touch(&a->look, SZ_BUTTON));
    struct ui_rect r = ui_layout_next(l);
    const char *label = i18n_str(a->look.lang, name);
    uint32_t before = ui_hash(buf, 0);
    if (w_field(&a->look, r, label, buf, cap, max)) {
        ui_focus(a->ui, next == S_COUNT ? 0 : ui_id(a->ui, i18n_str(a->look.lang, next)));
        a->redraw = true;
    }
    if (ui_hash(buf, 0) != before)
        a->offer.error[0] = '\0'; /* the message was about the old text */
    if (ui_focused(a->ui) == ui_id(a->ui, label))
        w_form_keep(f, r.y, r.h);
}

/* The initiative and what happens, as the next rows of l; while typing
 * (fit >= 0) within fit pixels: whole lines, the last of a longer text
 * shortened with an ellipsis (the rest shows when the keyboard closes),
 * or nothing when no line fits. */
static void about(struct app *a, struct ui_layout *l, const struct model_rows *d, int fit)
{
    char hint[400];
    i18n_fill(hint, sizeof hint, i18n_str(a->look.lang, S_OFFER_HINT),
              model_str(d, 0, INID_CARRIER));
    const char *text[] = {model_str(d, 0, INID_TITLE), hint};
    const enum ui_font font[] = {UI_FONT_BOLD, UI_FONT_REGULAR};
    const int ts[] = {look_ts(&a->look, TS_LEAD), look_ts(&a->look, TS_BODY)};
    const struct ui_color c[] = {a->look.pal->text, a->look.pal->muted};
    int bottom = ui_layout_top(l) + fit, space = look_sz(&a->look, 8);
    for (int i = 0; i < 2; i++) {
        int lines = 0, y = ui_layout_top(l) + (i > 0 ? space : 0);
        if (fit >= 0 && (lines = (bottom - y) / ui_line_height(a->ui, font[i], ts[i])) < 1)
            return;
        if (i > 0)
            ui_layout_space(l, space);
        ui_layout_text(a->ui, l, text[i], font[i], ts[i], c[i], lines);
    }
}

/* The two fields (alone: only the one typed into) and, unless typing
 * leaves no room for it whole, the sentence, as the next rows of l (gap
 * apart). */
static void fields(struct app *a, struct w_form *f, struct ui_layout *l, bool alone, bool sentence)
{
    bool name = ui_focused(a->ui) == ui_id(a->ui, i18n_str(a->look.lang, S_OFFER_NAME));
    if (!alone || name)
        field(a, f, l, S_OFFER_NAME, a->offer.name, sizeof a->offer.name, TABLES_OFFER_NAME_MAX,
              S_OFFER_CONTACT);
    if (!alone || !name)
        field(a, f, l, S_OFFER_CONTACT, a->offer.contact, sizeof a->offer.contact,
              TABLES_CONTACT_MAX, S_COUNT);
    if (sentence)
        consent(a, l);
}

/* The height of the fields (and the sentence) w wide. */
static int fields_height(struct app *a, int w, bool alone, bool sentence)
{
    int tw, gap = look_sz(&a->look, SZ_GAP), bh = look_touch(&a->look, SZ_BUTTON);
    int h = alone ? bh : 2 * bh + gap;
    return sentence ? h + gap + consent_height(a, w, &tw) : h;
}

/* The form's title as the next row of l, unless it leaves less than its
 * own height of fit (fit >= 0: typing, the fields first). */
static void title(struct app *a, struct ui_layout *l, int fit)
{
    struct ui_rect r = {l->body.x, ui_layout_top(l), l->body.w, 0};
    const char *text = i18n_str(a->look.lang, S_OFFER_TITLE);
    ui_measure_begin(a->ui);
    int h = w_title(&a->look, r, text, ICON_PEOPLE) + look_sz(&a->look, 8);
    ui_measure_end(a->ui);
    if (fit >= 0 && h > fit)
        return;
    ui_layout_block(l, w_title(&a->look, r, text, ICON_PEOPLE));
    ui_layout_space(l, look_sz(&a->look, 8));
}

/* Title, the initiative, what happens, then the two fields and the
 * sentence: under them, or beside them in landscape so that a short
 * display shows the sentence without a scroll. While typing, all of it
 * stays in view without a scroll (none of its lines cut by the view's
 * edge): what happens loses lines, the sentence shows when whole.
 * Returns the bottom. */
static int body(struct app *a, struct w_form *f, struct ui_rect in, const struct model_rows *d)
{
    int gap = look_sz(&a->look, SZ_GAP);
    struct ui_rect right = in;
    bool beside = !a->look.portrait && in.w > look_sz(&a->look, 1400);
    if (beside) {
        right.x += (in.w - 2 * gap) * 2 / 5 + 2 * gap;
        right.w -= (in.w - 2 * gap) * 2 / 5 + 2 * gap;
    }
    bool typing = a->kbd.open;
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){in.x, f->y, in.w, 0}, 0);
    bool alone = typing && fields_height(a, right.w, false, false) > in.h;
    int fit = in.h - (beside ? 0 : gap) - fields_height(a, right.w, alone, false);
    title(a, &l, !typing ? -1 : fit > 0 ? fit : 0);
    l.body.w = beside ? right.x - in.x - 2 * gap : in.w;
    int top = ui_layout_top(&l), room = f->y + in.h - top;
    bool sentence = !typing || fields_height(a, right.w, alone, true) <= room;
    fit = beside ? room : room - gap - fields_height(a, right.w, alone, sentence);
    about(a, &l, d, !typing ? -1 : fit > 0 ? fit : 0);
    int left = ui_layout_height(&l) + f->y, at = beside ? top : left + gap;
    struct ui_layout r;
    ui_layout_begin(&r, (struct ui_rect){right.x, at, right.w, 0}, gap);
    fields(a, f, &r, alone, sentence);
    int y = at + ui_layout_height(&r);
    /* Without the keyboard, what to fill and tick comes in view: on
     * opening, and when Done closes the keyboard. */
    if (!ui_focused(a->ui))
        w_form_keep(f, at, y - at);
    return y > left ? y : left;
}

/* Cancel and Send along r; returns 1 or 2 for the one tapped, else 0. */
static int foot(struct app *a, struct ui_rect r)
{
    const char *l1 = i18n_str(a->look.lang, S_CANCEL), *l2 = i18n_str(a->look.lang, S_SEND);
    int gap = look_sz(&a->look, SZ_GAP), w1 = w_button_width(&a->look, l1, ICON_CLOSE);
    int w2 = w_button_width(&a->look, l2, ICON_CHECK);
    if (w_button(&a->look, (struct ui_rect){r.x, r.y, w1, r.h}, l1, ICON_CLOSE, W_SECONDARY))
        return 1;
    if (w_button(&a->look, (struct ui_rect){r.x + w1 + gap, r.y, w2, r.h}, l2, ICON_CHECK,
                 W_PRIMARY))
        return 2;
    return 0;
}

/* The thanks' title and what happens next, down l. */
static void thanks_words(struct app *a, struct ui_layout *l, const struct model_rows *d)
{
    char text[400];
    i18n_fill(text, sizeof text, i18n_str(a->look.lang, S_OFFER_SENT),
              model_str(d, 0, INID_CARRIER));
    struct ui_rect t = {l->body.x, ui_layout_top(l), l->body.w, 0};
    ui_layout_block(l, w_title(&a->look, t, i18n_str(a->look.lang, S_OFFER_TITLE), ICON_PEOPLE));
    ui_layout_space(l, look_sz(&a->look, 12));
    ui_layout_text(a->ui, l, text, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD), a->look.pal->ok, 0);
}

/* After Send: the thanks over Close back to the initiative, in a card as
 * high as they are (measured); the words scroll when that does not fit,
 * never Close. */
static void thanks(struct app *a, struct ui_rect r, const struct model_rows *d)
{
    int pad = look_sz(&a->look, 36), bh = look_touch(&a->look, SZ_BUTTON),
        gap = look_sz(&a->look, SZ_GAP);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){0, 0, r.w - 2 * pad, 0}, 0);
    ui_measure_begin(a->ui);
    thanks_words(a, &l, d);
    ui_measure_end(a->ui);
    int h = ui_layout_height(&l) + gap + bh + 2 * pad;
    if (h < r.h)
        r.h = h;
    w_card(&a->look, r);
    ui_record(a->ui, "offer-thanks", "card", r, 0, false, 0);
    struct ui_rect in = ui_inset(r, pad), foot = ui_cut_bottom(&in, bh);
    ui_cut_bottom(&in, gap);
    int off = ui_scroll_begin(a->ui, "offer-thanks-words", in);
    ui_layout_begin(&l, (struct ui_rect){in.x, in.y - off, in.w, 0}, 0);
    thanks_words(a, &l, d);
    ui_scroll_end(a->ui, ui_layout_height(&l));
    const char *close = i18n_str(a->look.lang, S_CLOSE);
    foot.w = w_button_width(&a->look, close, ICON_CHECK);
    if (w_button(&a->look, foot, close, ICON_CHECK, W_PRIMARY)) {
        memset(&a->offer, 0, sizeof a->offer);
        a->redraw = true;
    }
}

void screen_offer(struct app *a, struct ui_rect r, const struct model_rows *d)
{
    if (a->offer.sent) {
        thanks(a, r, d);
        return;
    }
    int pad = look_sz(&a->look, a->kbd.open ? 16 : 36), gap = look_sz(&a->look, SZ_GAP);
    int bh = look_touch(&a->look, SZ_BUTTON), ts = look_ts(&a->look, TS_BODY);
    if (r.h < bh + 2 * pad) /* larger text, a banner and the keyboard: the field first */
        pad = 0;
    w_card(&a->look, r);
    struct ui_rect in = ui_inset(r, pad);
    /* While typing on a short display, the field alone: Done on the
     * keyboard brings the buttons back. */
    bool with_foot = !a->kbd.open || in.h >= 3 * bh + 2 * gap;
    struct ui_rect fr = {0};
    if (with_foot) {
        fr = ui_cut_bottom(&in, bh);
        ui_cut_bottom(&in, gap);
        if (a->offer.error[0]) {
            int lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
            int n = ui_wrap(a->ui, UI_FONT_BOLD, ts, a->offer.error, in.w, NULL, NULL);
            struct ui_rect er = ui_cut_bottom(&in, n * lh);
            ui_cut_bottom(&in, look_sz(&a->look, 8));
            ui_paragraph(a->ui, (struct ui_rect){er.x, er.y, er.w, 0}, a->offer.error, UI_FONT_BOLD,
                         ts, a->look.pal->refused, 0);
        }
    }
    struct w_form f;
    w_form_begin(&a->look, &f, "offer-form", in);
    if (w_form_end(&a->look, &a->kbd, &f, body(a, &f, in, d)))
        a->redraw = true;
    int tap = with_foot ? foot(a, fr) : 0;
    if (tap == 1) {
        memset(&a->offer, 0, sizeof a->offer);
        ui_focus(a->ui, 0);
        a->redraw = true;
    } else if (tap == 2) {
        send(a);
    }
}
