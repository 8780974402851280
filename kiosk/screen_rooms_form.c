/* screen_rooms_form: the rooms' forms, typed into at the kiosk: booking
 * a free slot (length, name, confirm; then the cancel code and the hub's
 * answer in place), and cancelling a booking with its code (the answer
 * in place too). Each keeps its field and buttons above the keyboard,
 * and fits its view while typing (no line cut by its edge). */
#include <stdio.h>
#include <string.h>

#include "screen_rooms_int.h"
#include "when.h"
#include "widget.h"

static const int lengths[] = {30, 60, 90, 120};

/* What is known of the answer to the booking or cancel just sent
 * (a->rooms.change): the model's answer, the hub's code of a refusal,
 * and whether it is still being checked (online, for
 * THEME_ANSWER_WAIT_S: the kiosk wakes when that ends). */
struct reply {
    enum model_answer ans;
    bool checking;
    char error[64];
};

static struct reply reply_now(struct app *a)
{
    struct reply r;
    r.ans = model_answer(a->model, a->rooms.change, r.error, sizeof r.error);
    int64_t until = a->rooms.sent_at + THEME_ANSWER_WAIT_S;
    r.checking = r.ans == MODEL_WAITING && !a->offline && a->now < until;
    if (r.checking)
        a->wake_at = until;
    return r;
}

/* The answer r, told to the person still in front of the kiosk: while
 * none has come, that it is being checked, then that it will be settled
 * later and what holds until then. Placed with l (no gap between its
 * rows). */
static void answer(struct app *a, struct ui_layout *l, const struct reply *r, enum str done,
                   enum str refused, enum str later)
{
    const struct theme_palette *p = a->look.pal;
    enum model_answer ans = r->ans;
    enum str head = ans == MODEL_APPLIED    ? done
                    : ans == MODEL_REJECTED ? refused
                    : r->checking           ? S_ANSWER_CHECKING
                    : a->offline            ? S_KIOSK_OFFLINE
                                            : S_NO_ANSWER_YET;
    const char *body = ans == MODEL_REJECTED ? screen_rooms_refusal(a, r->error, "")
                       : ans == MODEL_WAITING && !r->checking ? i18n_str(a->look.lang, later)
                                                              : "";
    struct ui_color c = ans == MODEL_APPLIED    ? p->ok
                        : ans == MODEL_REJECTED ? p->refused
                                                : p->pending;
    ui_layout_text(a->ui, l, i18n_str(a->look.lang, head), UI_FONT_BOLD, look_ts(&a->look, TS_LEAD),
                   c, 0);
    if (body[0])
        ui_layout_text(a->ui, l, body, UI_FONT_REGULAR, look_ts(&a->look, TS_BODY), p->text, 0);
    ui_layout_space(l, look_sz(&a->look, 16));
}

/* ---- booking form ---- */

/* The answer and the cancel code, placed with l (gap 0). */
static void done_panel(struct app *a, struct ui_layout *l, const struct reply *r)
{
    const struct theme_palette *p = a->look.pal;
    ui_layout_block(l,
                    w_title(&a->look, (struct ui_rect){l->body.x, ui_layout_top(l), l->body.w, 0},
                            i18n_str(a->look.lang, S_BOOKED_TITLE), ICON_CHECK));
    ui_layout_space(l, look_sz(&a->look, 24));
    answer(a, l, r, S_BOOK_CONFIRMED, S_BOOK_REFUSED, S_BOOK_LATER);
    if (r->ans == MODEL_REJECTED) /* a refused booking has nothing to cancel */
        return;
    int ts = look_ts(&a->look, TS_LEAD), hs = look_ts(&a->look, TS_CLOCK);
    ui_label(a->ui, ui_layout_block(l, ui_line_height(a->ui, UI_FONT_BOLD, ts)),
             i18n_str(a->look.lang, S_CANCEL_CODE), UI_FONT_BOLD, ts, p->muted, UI_LEFT);
    ui_label(a->ui, ui_layout_block(l, ui_line_height(a->ui, UI_FONT_BOLD, hs)), a->rooms.code,
             UI_FONT_BOLD, hs, p->primary, UI_LEFT);
    ui_layout_text(a->ui, l, i18n_str(a->look.lang, S_KEEP_CODE), UI_FONT_REGULAR,
                   look_ts(&a->look, TS_BODY), p->text, 0);
}

/* The lengths that fit before closing time and the next booking; the
 * others are shown greyed, never offered. */
static void length_chips(struct app *a, struct ui_layout *l, const struct model_rows *rooms, int ri,
                         const struct model_rows *sl)
{
    const struct theme_palette *p = a->look.pal;
    int close = 24 * 60;
    ts_parse_hhmm(model_str(rooms, ri, ROOM_CLOSES), &close);
    struct ts_local sl0;
    ts_paris(a->rooms.start, &sl0);
    int start_min = sl0.hour * 60 + sl0.minute;
    for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
        int len = lengths[k];
        char label[32];
        i18n_duration(a->look.lang, len, label, sizeof label);
        bool ok = start_min + len <= close &&
                  !screen_rooms_taken(sl, a->rooms.room, a->rooms.start, a->rooms.start + len * 60);
        if (!ok && a->rooms.length == len)
            a->rooms.length = lengths[0];
        struct ui_rect cr =
            ui_layout_flow(l, w_chip_width(&a->look, label), look_touch(&a->look, SZ_TOUCH));
        if (ok) {
            if (w_chip(&a->look, cr, label, (struct ui_color){0, 0, 0, 0},
                       a->rooms.length == len)) {
                a->rooms.length = len;
                a->redraw = true;
            }
        } else {
            ui_draw_rect(a->ui, cr, p->sunken, cr.h / 2);
            int tw = ui_text_width(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_SMALL), label);
            ui_draw_text(
                a->ui, cr.x + (cr.w - tw) / 2,
                cr.y +
                    (cr.h - ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_SMALL))) / 2,
                label, UI_FONT_BOLD, look_ts(&a->look, TS_SMALL), p->muted);
        }
    }
}

/* Confirm: a slot still free in the replica, a name that is not blank
 * (model_book refuses one as invalid), then one outbox row and one
 * local_booking row; the cancel code is shown next. */
static void book_confirm(struct app *a, const struct model_rows *sl)
{
    const char *n = a->rooms.name;
    while (*n == ' ')
        n++;
    if (screen_rooms_taken(sl, a->rooms.room, a->rooms.start,
                           a->rooms.start + a->rooms.length * 60)) {
        /* Pulled while the form was open: never book over it. */
        snprintf(a->rooms.error, sizeof a->rooms.error, "%s", i18n_str(a->look.lang, S_SLOT_GONE));
    } else {
        char s[TS_LEN + 1], e[TS_LEN + 1];
        struct model_booked b;
        ts_format(a->rooms.start, s);
        ts_format(a->rooms.start + a->rooms.length * 60, e);
        enum err rc = model_book(a->model, a->rooms.room, s, e, n, &b);
        if (rc == ERR_OK) {
            snprintf(a->rooms.code, sizeof a->rooms.code, "%s", b.code);
            snprintf(a->rooms.change, sizeof a->rooms.change, "%s", b.change);
            a->rooms.sent_at = a->now;
            a->rooms.booked = true;
            ui_focus(a->ui, 0);
        } else {
            enum str why = rc == ERR_CONFLICT  ? S_SLOT_GONE
                           : rc == ERR_INVALID ? S_NAME_REQUIRED
                                               : S_WRITE_FAILED;
            snprintf(a->rooms.error, sizeof a->rooms.error, "%s", i18n_str(a->look.lang, why));
        }
    }
}

/* A form's two buttons: the first (cancel, back) outlined, the second
 * (confirm) filled. */
struct pair {
    const char *l1, *l2;
    unsigned i1, i2;
};

/* Whether a form's buttons go beside its field: while typing, when the
 * height view_h above the keyboard cannot show the field, the message
 * (err high) and the buttons one under the other. */
static bool beside(struct app *a, int view_h, int err)
{
    int bh = look_touch(&a->look, SZ_BUTTON), gap = look_sz(&a->look, SZ_GAP);
    return a->kbd.open && 2 * bh + gap + err + 2 * gap > view_h;
}

/* The height of field_row's block. */
static int field_block(struct app *a, bool side, int err)
{
    int bh = look_touch(&a->look, SZ_BUTTON), gap = look_sz(&a->look, SZ_GAP);
    return bh + gap + err + (side ? 0 : bh);
}

/* A form's field, its message (a->rooms.error, cleared when the text
 * changes) and its buttons, under the field or beside it; the band the
 * form keeps above the keyboard. Draws at *y and moves it past them.
 * Returns 1 or 2 for the button tapped (2 also for enter), else 0. */
static int field_row(struct app *a, struct w_form *f, struct ui_rect in, int *y, bool side,
                     const char *name, char *buf, size_t cap, int max, const struct pair *b)
{
    int bh = look_touch(&a->look, SZ_BUTTON), gap = look_sz(&a->look, SZ_GAP), row = *y;
    /* Beside the field, the buttons leave their icons: the words say it. */
    unsigned i1 = side ? 0 : b->i1, i2 = side ? 0 : b->i2;
    int w1 = w_button_width(&a->look, b->l1, i1), w2 = w_button_width(&a->look, b->l2, i2);
    int fw = side ? in.w - w1 - w2 - 2 * gap : in.w;
    if (fw > look_sz(&a->look, 800))
        fw = look_sz(&a->look, 800);
    uint32_t before = ui_hash(buf, 0);
    bool enter = w_field(&a->look, (struct ui_rect){in.x, row, fw, bh}, name, buf, cap, max);
    if (ui_hash(buf, 0) != before)
        a->rooms.error[0] = '\0'; /* the message was about the old text */
    *y = row + bh + gap;
    if (a->rooms.error[0]) {
        int ts = look_ts(&a->look, TS_BODY), lh = ui_line_height(a->ui, UI_FONT_BOLD, ts);
        ui_label(a->ui, (struct ui_rect){in.x, *y, in.w, lh}, a->rooms.error, UI_FONT_BOLD, ts,
                 a->look.pal->refused, UI_LEFT);
        *y += lh + look_sz(&a->look, 8);
    }
    int bx = side ? in.x + fw + gap : in.x, by = side ? row : *y;
    if (!side)
        *y += bh;
    w_form_keep(f, row, *y - row);
    if (w_button(&a->look, (struct ui_rect){bx, by, w1, bh}, b->l1, i1, W_SECONDARY))
        return 1;
    if (w_button(&a->look, (struct ui_rect){bx + w1 + gap, by, w2, bh}, b->l2, i2, W_PRIMARY) ||
        enter)
        return 2;
    return 0;
}

/* The height of done_panel in a width w for the answer r, measured. */
static int done_height(struct app *a, int w, const struct reply *r)
{
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){0, 0, w, 0}, 0);
    ui_measure_begin(a->ui);
    done_panel(a, &l, r);
    ui_measure_end(a->ui);
    return ui_layout_height(&l);
}

/* After Confirm: the answer and the cancel code over Close, the card as
 * high as the tallest the answer can make it (still checked, confirmed,
 * settled later), so that Close stays where it is when the answer comes;
 * scrolling when that does not fit. */
static void booked_card(struct app *a, struct ui_rect r)
{
    int pad = look_sz(&a->look, 36), bh = look_touch(&a->look, SZ_BUTTON),
        gap = look_sz(&a->look, SZ_GAP), w = r.w - 2 * pad;
    struct reply now = reply_now(a), ok = {MODEL_APPLIED, false, ""},
                 later = {MODEL_WAITING, false, ""};
    int h = done_height(a, w, &now), h2 = done_height(a, w, &ok), h3 = done_height(a, w, &later);
    h = h > h2 ? h : h2;
    int fh = (h > h3 ? h : h3) + gap + bh + 2 * pad;
    if (fh < r.h)
        r.h = fh;
    w_card(&a->look, r);
    struct ui_rect in = ui_inset(r, pad);
    struct ui_rect foot = ui_cut_bottom(&in, bh);
    ui_cut_bottom(&in, gap);
    struct w_form f;
    w_form_begin(&a->look, &f, "booked", in);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){in.x, f.y, in.w, 0}, 0);
    done_panel(a, &l, &now);
    if (w_form_end(&a->look, &a->kbd, &f, f.y + ui_layout_height(&l)))
        a->redraw = true;
    const char *close = i18n_str(a->look.lang, S_CLOSE);
    foot.w = w_button_width(&a->look, close, ICON_CHECK);
    if (w_button(&a->look, foot, close, ICON_CHECK, W_PRIMARY)) {
        a->rooms.start = 0;
        a->rooms.booked = false;
        a->rooms.code[0] = '\0';
        a->rooms.change[0] = '\0';
        a->rooms.name[0] = '\0';
        a->redraw = true;
    }
}

/* The slot's room, day and time, and the lengths offered (wrapping
 * when they do not fit), from the top of in; returns their height. */
/* The slot's day and time: "mardi 8 décembre, 11:00". */
static void slot_when(struct app *a, char *out, size_t cap)
{
    char day[64], hm[8];
    when_day(a->look.lang, a->rooms.start, day, sizeof day);
    when_hhmm(a->rooms.start, hm, sizeof hm);
    snprintf(out, cap, "%s, %s", day, hm);
}

static int book_details(struct app *a, struct ui_rect in, const struct model_rows *rooms, int ri,
                        const struct model_rows *sl)
{
    int ts = look_ts(&a->look, TS_LEAD), bs = look_ts(&a->look, TS_BODY);
    char title[200], when[160];
    i18n_fill(title, sizeof title, i18n_str(a->look.lang, S_BOOK_TITLE),
              model_str(rooms, ri, ROOM_NAME));
    struct ui_layout l;
    ui_layout_begin(&l, in, look_sz(&a->look, SZ_GAP));
    ui_layout_block(&l,
                    w_title(&a->look, (struct ui_rect){in.x, in.y, in.w, 0}, title, ICON_ROOMS));
    ui_layout_space(&l, look_sz(&a->look, 8));
    slot_when(a, when, sizeof when);
    ui_label(a->ui, ui_layout_block(&l, ui_line_height(a->ui, UI_FONT_REGULAR, ts)), when,
             UI_FONT_REGULAR, ts, a->look.pal->text, UI_LEFT);
    ui_label(a->ui, ui_layout_block(&l, ui_line_height(a->ui, UI_FONT_BOLD, bs)),
             i18n_str(a->look.lang, S_LENGTH), UI_FONT_BOLD, bs, a->look.pal->muted, UI_LEFT);
    ui_layout_space(&l, look_sz(&a->look, 8));
    struct ui_layout chips;
    ui_layout_begin(&chips, (struct ui_rect){in.x, ui_layout_top(&l), in.w, 0},
                    look_sz(&a->look, 12));
    length_chips(a, &chips, rooms, ri, sl);
    ui_layout_block(&l, ui_layout_height(&chips));
    return ui_layout_height(&l);
}

/* The height of book_details in a width w: the same code, measured. */
static int details_height(struct app *a, int w, const struct model_rows *rooms, int ri,
                          const struct model_rows *sl)
{
    ui_measure_begin(a->ui);
    int h = book_details(a, (struct ui_rect){0, 0, w, 0}, rooms, ri, sl);
    ui_measure_end(a->ui);
    return h;
}

/* "Salle Alpha · mardi 8 décembre, 11:00 · 1 h" on one line of r: the
 * booking form's details while the keyboard leaves no room for them. */
static void book_brief(struct app *a, struct ui_rect r, const struct model_rows *rooms, int ri)
{
    char when[160], len[32], line[240];
    slot_when(a, when, sizeof when);
    i18n_duration(a->look.lang, a->rooms.length, len, sizeof len);
    snprintf(line, sizeof line, "%s · %s · %s", model_str(rooms, ri, ROOM_NAME), when, len);
    ui_label(a->ui, r, line, UI_FONT_BOLD, look_ts(&a->look, TS_BODY), a->look.pal->text, UI_LEFT);
}

/* The booking form: details, then the name and the buttons (at the right
 * in landscape, beside the name when typing leaves little height). */
void screen_rooms_book_form(struct app *a, struct ui_rect r, const struct model_rows *rooms,
                            const struct model_rows *sl)
{
    int ri = model_find(rooms, ROOM_ID, a->rooms.room, 0);
    if (a->rooms.autofocus && !a->rooms.booked) {
        a->rooms.autofocus = false;
        ui_focus(a->ui, ui_id(a->ui, i18n_str(a->look.lang, S_YOUR_NAME)));
        a->redraw = true;
    }
    if (a->rooms.booked) {
        booked_card(a, r);
        return;
    }
    if (ri < 0) {
        a->rooms.start = 0;
        return;
    }
    int pad = look_sz(&a->look, 36), gap = look_sz(&a->look, SZ_GAP),
        tl = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_TITLE));
    int err = a->rooms.error[0] ? ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_BODY)) +
                                      look_sz(&a->look, 8)
                                : 0;
    bool side = beside(a, r.h, err), two = !a->look.portrait && !side;
    int block = field_block(a, side, err),
        details = details_height(a, r.w - 2 * pad, rooms, ri, sl);
    int inner =
        two ? (details > tl + look_sz(&a->look, 8) + block ? details
                                                           : tl + look_sz(&a->look, 8) + block)
            : details + gap + block;
    /* Typing with less height than the whole form: the field and its
     * buttons, under one line that says what is booked when it fits, so
     * that no line is cut by the view's edge; the details are back when
     * the keyboard closes. */
    int brief = 0;
    bool compact = a->kbd.open && inner + 2 * pad > r.h;
    if (compact) {
        pad = look_sz(&a->look, 12);
        two = false;
        brief = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_BODY)) + gap;
        if (brief + block + 2 * pad > r.h) { /* the buttons beside the field make room */
            side = true;
            block = field_block(a, side, err);
        }
        brief = brief + block + 2 * pad <= r.h ? brief : 0;
        inner = brief + block;
    }
    struct w_form f;
    w_form_begin(&a->look, &f, "book-form", r);
    w_card(&a->look, (struct ui_rect){r.x, f.y, r.w, inner + 2 * pad});
    struct ui_rect in = {r.x + pad, f.y + pad, r.w - 2 * pad, inner};
    int y = in.y + brief;
    if (brief)
        book_brief(a, (struct ui_rect){in.x, in.y, in.w, brief - gap}, rooms, ri);
    else if (!compact)
        y = in.y + book_details(a, in, rooms, ri, sl) + gap;
    if (two) { /* the name and the buttons in the right half */
        int half = (in.w - 2 * gap) / 2;
        y = in.y + tl + look_sz(&a->look, 8);
        in.x += half + 2 * gap;
        in.w = half;
    }
    struct pair b = {i18n_str(a->look.lang, S_CANCEL), i18n_str(a->look.lang, S_CONFIRM),
                     ICON_CLOSE, ICON_CHECK};
    int tap = field_row(a, &f, in, &y, side, i18n_str(a->look.lang, S_YOUR_NAME), a->rooms.name,
                        sizeof a->rooms.name, TABLES_HOLDER_MAX, &b);
    if (w_form_end(&a->look, &a->kbd, &f, f.y + inner + 2 * pad))
        a->redraw = true;
    if (tap == 1) {
        a->rooms.start = 0;
        ui_focus(a->ui, 0);
    } else if (tap == 2) {
        book_confirm(a, sl);
    }
    if (tap)
        a->redraw = true;
}

/* After Confirm: the hub's answer in place. A wrong code may be typed
 * again (the hub locks a booking after a few wrong ones). */
static int cancel_answer(struct app *a, struct ui_rect in, int y)
{
    struct reply r = reply_now(a);
    struct ui_layout al;
    ui_layout_begin(&al, (struct ui_rect){in.x, y, in.w, 0}, 0);
    answer(a, &al, &r, S_CANCEL_DONE, S_CANCEL_REFUSED, S_CANCEL_LATER);
    y = ui_layout_top(&al);
    int bh = look_touch(&a->look, SZ_BUTTON);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){in.x, y, in.w, 0}, look_sz(&a->look, SZ_GAP));
    if (r.ans == MODEL_REJECTED && strcmp(r.error, "bad_code") == 0) {
        const char *again = i18n_str(a->look.lang, S_TRY_AGAIN);
        if (w_button(&a->look, ui_layout_flow(&l, w_button_width(&a->look, again, ICON_BACK), bh),
                     again, ICON_BACK, W_SECONDARY)) {
            a->rooms.cancel_sent = false;
            a->rooms.change[0] = '\0';
            a->rooms.autofocus = true;
            a->redraw = true;
        }
    }
    const char *close = i18n_str(a->look.lang, S_CLOSE);
    if (w_button(&a->look, ui_layout_flow(&l, w_button_width(&a->look, close, ICON_CHECK), bh),
                 close, ICON_CHECK, W_PRIMARY)) {
        a->rooms.booking[0] = '\0';
        a->rooms.cancel_sent = false;
        a->rooms.change[0] = '\0';
        a->redraw = true;
    }
    return y + ui_layout_height(&l);
}

/* The code typed is sent as a cancellation when it has 6 to 12 digits. */
static void cancel_send(struct app *a)
{
    size_t n = strlen(a->rooms.cancel_code);
    bool digits = n >= 6 && n <= 12 && strspn(a->rooms.cancel_code, "0123456789") == n;
    if (!digits) {
        snprintf(a->rooms.error, sizeof a->rooms.error, "%s",
                 i18n_str(a->look.lang, S_CODE_REQUIRED));
    } else if (model_cancel(a->model, a->rooms.booking, a->rooms.cancel_code, a->rooms.change) ==
               ERR_OK) {
        a->rooms.cancel_sent = true;
        a->rooms.sent_at = a->now;
        a->rooms.cancel_code[0] = '\0';
        ui_focus(a->ui, 0);
    } else {
        snprintf(a->rooms.error, sizeof a->rooms.error, "%s",
                 i18n_str(a->look.lang, S_WRITE_FAILED));
    }
}

void screen_rooms_cancel_form(struct app *a, struct ui_rect r)
{
    int pad = look_sz(&a->look, 36), gap = look_sz(&a->look, SZ_GAP);
    int tl = ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_TITLE));
    int err = a->rooms.error[0] ? ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_BODY)) +
                                      look_sz(&a->look, 8)
                                : 0;
    bool side = beside(a, r.h, err);
    int inner = tl + gap + field_block(a, side, err);
    if (a->rooms.cancel_sent) { /* the answer as it wraps, and its buttons */
        ui_measure_begin(a->ui);
        inner = tl + gap + cancel_answer(a, (struct ui_rect){0, 0, r.w - 2 * pad, 0}, 0);
        ui_measure_end(a->ui);
    }
    /* Typing with less height than the whole form: the title only when it
     * fits whole above the field (as the booking form's details). */
    bool titled = true;
    if (a->kbd.open && !a->rooms.cancel_sent && inner + 2 * pad > r.h) {
        pad = look_sz(&a->look, 12);
        titled = inner + 2 * pad <= r.h;
        inner = titled ? inner : field_block(a, side, err);
    }
    struct w_form f;
    w_form_begin(&a->look, &f, "cancel-form", r);
    w_card(&a->look, (struct ui_rect){r.x, f.y, r.w, inner + 2 * pad});
    struct ui_rect in = {r.x + pad, f.y + pad, r.w - 2 * pad, inner};
    int y = in.y;
    if (titled)
        y += w_title(&a->look, (struct ui_rect){in.x, in.y, in.w, 0},
                     i18n_str(a->look.lang, S_CANCEL_BOOKING), ICON_CLOSE) +
             gap;
    int tap = 0;
    if (a->rooms.cancel_sent) {
        cancel_answer(a, in, y);
    } else {
        const char *name = i18n_str(a->look.lang, S_CANCEL_CODE);
        if (a->rooms.autofocus) {
            a->rooms.autofocus = false;
            ui_focus(a->ui, ui_id(a->ui, name));
            a->redraw = true;
        }
        if (!a->look.portrait && !side)
            in.w = in.w < look_sz(&a->look, 900) ? in.w : look_sz(&a->look, 900);
        struct pair b = {i18n_str(a->look.lang, S_BACK), i18n_str(a->look.lang, S_CONFIRM),
                         ICON_BACK, ICON_CHECK};
        tap = field_row(a, &f, in, &y, side, name, a->rooms.cancel_code,
                        sizeof a->rooms.cancel_code, 12, &b);
    }
    if (w_form_end(&a->look, &a->kbd, &f, f.y + inner + 2 * pad))
        a->redraw = true;
    if (tap == 1) {
        a->rooms.booking[0] = '\0';
        ui_focus(a->ui, 0);
    } else if (tap == 2) {
        cancel_send(a);
    }
    if (tap)
        a->redraw = true;
}
