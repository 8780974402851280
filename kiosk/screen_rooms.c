/* screen_rooms: today's and the coming days' slots of every bookable room
 * of this kiosk's site; book a free slot (length, name, confirm: a cancel
 * code is shown), see each booking's state (pending in the outbox,
 * confirmed, refused with the hub's reason; never the holder's name) and
 * cancel one with its code.
 *
 * A slot is shown free only when nothing in the replica overlaps it:
 * confirmed bookings, our own pending or accepted ones, and bookings whose
 * cancellation is still on its way all keep it taken. */
#include <stdio.h>
#include <string.h>

#include "when.h"
#include "widget.h"

#define SLOT_MIN 30
#define DAYS_SHOWN 7

static const int lengths[] = {30, 60, 90, 120};

/* Does an occupying interval of room overlap [s, e)? */
static bool taken(const struct model_rows *sl, const char *room, int64_t s, int64_t e)
{
    for (int i = 0; i < sl->n; i++) {
        if (strcmp(model_str(sl, i, SLOT_ROOM), room) != 0)
            continue;
        if (strcmp(model_str(sl, i, SLOT_STATE), "refused") == 0)
            continue;
        int64_t bs = when_parse(model_str(sl, i, SLOT_STARTS));
        int64_t be = when_parse(model_str(sl, i, SLOT_ENDS));
        if (bs < e && be > s)
            return true;
    }
    return false;
}

static void day_range(struct app *a, char from[TS_LEN + 1], char to[TS_LEN + 1])
{
    ts_format(when_midnight(a->now, 0), from);
    ts_format(when_midnight(a->now, DAYS_SHOWN), to);
}

static void day_label(struct app *a, int d, char *out, size_t cap)
{
    if (d == 0) {
        snprintf(out, cap, "%s", i18n_str(a->look.lang, S_TODAY));
    } else if (d == 1) {
        snprintf(out, cap, "%s", i18n_str(a->look.lang, S_TOMORROW));
    } else {
        struct ts_local l;
        ts_paris(when_midnight(a->now, d) + 3600 * 12, &l);
        snprintf(out, cap, "%s %d", i18n_weekday(a->look.lang, l.wday), l.day);
    }
}

static const char *state_word(struct app *a, const char *state, struct ui_color *c)
{
    const struct theme_palette *p = a->look.pal;
    if (strcmp(state, "pending") == 0) {
        *c = p->pending;
        return i18n_str(a->look.lang, S_PENDING);
    }
    if (strcmp(state, "refused") == 0) {
        *c = p->refused;
        return i18n_str(a->look.lang, S_REFUSED);
    }
    if (strcmp(state, "cancelling") == 0) {
        *c = p->pending;
        return i18n_str(a->look.lang, S_CANCEL_PENDING);
    }
    *c = p->ok;
    return i18n_str(a->look.lang, S_CONFIRMED);
}

/* The hub's refusal code in the visitor's words; otherwise its message. */
static const char *refusal(struct app *a, const char *code, const char *message)
{
    static const struct {
        const char *code;
        enum str text;
    } known[] = {{"conflict", S_ERR_CONFLICT},
                 {"unavailable", S_ERR_UNAVAILABLE},
                 {"invalid", S_ERR_INVALID},
                 {"forbidden", S_ERR_FORBIDDEN},
                 {"bad_code", S_ERR_BAD_CODE}};
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (strcmp(code, known[k].code) == 0)
            return i18n_str(a->look.lang, known[k].text);
    return message;
}

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
    const char *body = ans == MODEL_REJECTED                  ? refusal(a, r->error, "")
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

/* The bookings of one room that day, with state and a cancel button,
 * placed with l. */
static void booking_rows(struct app *a, struct ui_layout *l, const struct model_rows *sl,
                         const char *room, int64_t d0, int64_t d1)
{
    const struct theme_palette *p = a->look.pal;
    int ts = look_ts(&a->look, TS_BODY), bh = look_touch(&a->look, SZ_TOUCH);
    int lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
    for (int i = 0; i < sl->n; i++) {
        if (strcmp(model_str(sl, i, SLOT_ROOM), room) != 0)
            continue;
        int64_t bs = when_parse(model_str(sl, i, SLOT_STARTS));
        int64_t be = when_parse(model_str(sl, i, SLOT_ENDS));
        if (bs >= d1 || be <= d0)
            continue;
        const char *state = model_str(sl, i, SLOT_STATE);
        char hs[8], he[8], line[300];
        when_hhmm(bs, hs, sizeof hs);
        when_hhmm(be, he, sizeof he);
        /* Taken, never by whom: a public screen shows no one's name. */
        snprintf(line, sizeof line, "%s – %s · %s", hs, he, i18n_str(a->look.lang, S_TAKEN));
        ui_push_id(a->ui, model_str(sl, i, SLOT_BOOKING));
        struct ui_color sc;
        const char *word = state_word(a, state, &sc);
        bool can_cancel = strcmp(state, "refused") != 0 && strcmp(state, "cancelling") != 0;
        const char *cl = i18n_str(a->look.lang, S_CANCEL_BOOKING);
        int tag = ui_text_width(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_SMALL), word) +
                  2 * look_sz(&a->look, 14);
        /* The state, the hours, and the button when there is one. */
        ui_layout_row(l, can_cancel ? 3 : 2,
                      (const int[]){tag, 0, w_button_width(&a->look, cl, ICON_CLOSE)}, bh);
        struct ui_rect t = ui_layout_next(l), w = ui_layout_next(l);
        w_tag(&a->look, t.x, t.y + (bh - w_tag_height(&a->look)) / 2, word, sc, p->on_state);
        ui_label(a->ui, w, line, UI_FONT_REGULAR, ts, p->text, UI_LEFT);
        if (can_cancel && w_button(&a->look, ui_layout_next(l), cl, ICON_CLOSE, W_SECONDARY)) {
            snprintf(a->rooms.booking, sizeof a->rooms.booking, "%s",
                     model_str(sl, i, SLOT_BOOKING));
            a->rooms.cancel_code[0] = '\0';
            a->rooms.error[0] = '\0';
            a->rooms.autofocus = true;
            a->redraw = true;
        }
        const char *reason =
            refusal(a, model_str(sl, i, SLOT_ERROR), model_str(sl, i, SLOT_REASON));
        if (strcmp(state, "refused") == 0 && reason[0]) {
            char why[300];
            i18n_pair(a->look.lang, i18n_str(a->look.lang, S_REASON), reason, why, sizeof why);
            ui_layout_space(l, 0);
            int y = ui_layout_top(l);
            ui_layout_space(l, ui_paragraph(a->ui, (struct ui_rect){l->body.x, y, l->body.w, lh},
                                            why, UI_FONT_REGULAR, ts, p->refused, 2));
        }
        ui_layout_space(l, look_sz(&a->look, 8));
        ui_pop_id(a->ui);
    }
}

/* The free and taken slots of room i on the chosen day, a grid placed
 * with l. */
static void slots(struct app *a, struct ui_layout *l, const struct model_rows *rooms, int i,
                  const struct model_rows *sl)
{
    const struct theme_palette *p = a->look.pal;
    const char *id = model_str(rooms, i, ROOM_ID);
    int64_t d0 = when_midnight(a->now, a->rooms.day);
    int open = 0, close = 24 * 60;
    ts_parse_hhmm(model_str(rooms, i, ROOM_OPENS), &open);
    ts_parse_hhmm(model_str(rooms, i, ROOM_CLOSES), &close);
    struct ts_local dl;
    ts_paris(d0 + 3600 * 12, &dl);
    int sw = look_sz(&a->look, 118), ts = look_ts(&a->look, TS_BODY);
    if (sw < w_button_width(&a->look, "00:00", 0)) /* larger text on a small display */
        sw = w_button_width(&a->look, "00:00", 0);
    int cols = (l->body.w + l->gap) / (sw + l->gap), widths[UI_LAYOUT_ITEMS];
    cols = cols < 1 ? 1 : cols > UI_LAYOUT_ITEMS ? UI_LAYOUT_ITEMS : cols;
    for (int c = 0; c < cols; c++)
        widths[c] = (l->body.w - (cols - 1) * l->gap) / cols;
    ui_layout_row(l, cols, widths, look_touch(&a->look, SZ_TOUCH));
    ui_push_id(a->ui, id);
    for (int m = open; m + SLOT_MIN <= close; m += SLOT_MIN) {
        int64_t s = ts_from_paris(dl.year, dl.month, dl.day, m / 60, m % 60);
        if (s + SLOT_MIN * 60 <= a->now)
            continue; /* past */
        char label[8];
        when_hhmm(s, label, sizeof label);
        struct ui_rect sr = ui_layout_next(l);
        if (taken(sl, id, s, s + SLOT_MIN * 60)) {
            ui_draw_rect(a->ui, sr, p->sunken, look_sz(&a->look, 12));
            int tw = ui_text_width(a->ui, UI_FONT_REGULAR, ts, label);
            int lh = ui_line_height(a->ui, UI_FONT_REGULAR, ts);
            ui_draw_text(a->ui, sr.x + (sr.w - tw) / 2, sr.y + (sr.h - lh) / 2, label,
                         UI_FONT_REGULAR, ts, p->muted);
            ui_draw_rect(a->ui,
                         (struct ui_rect){sr.x + look_sz(&a->look, 14), sr.y + sr.h / 2,
                                          sr.w - 2 * look_sz(&a->look, 14), 2},
                         p->muted, 0);
            ui_record(a->ui, label, "slot-taken", sr, 0, false, tw);
        } else if (w_button(&a->look, sr, label, 0, W_SECONDARY)) {
            snprintf(a->rooms.room, sizeof a->rooms.room, "%s", id);
            a->rooms.start = s;
            a->rooms.length = 60;
            a->rooms.booked = false;
            a->rooms.autofocus = true;
            a->rooms.error[0] = '\0';
            a->redraw = true;
        }
    }
    ui_pop_id(a->ui);
}

/* Room i's name, capacity, hours and equipment in r. */
static void room_header(struct app *a, struct ui_rect in, const struct model_rows *rooms, int i)
{
    const struct theme_palette *p = a->look.pal;
    int lead = look_ts(&a->look, TS_LEAD), small = look_ts(&a->look, TS_SMALL);
    int lh = ui_line_height(a->ui, UI_FONT_BOLD, lead);
    char cap[64];
    int64_t seats = model_int(rooms, i, ROOM_CAPACITY);
    i18n_count(a->look.lang, S_CAPACITY_1, seats, cap, sizeof cap);
    int cw = ui_text_width(a->ui, UI_FONT_BOLD, small, cap) + 2 * look_sz(&a->look, 14);
    w_tag(&a->look, in.x + in.w - cw, in.y, cap, p->sunken, p->text);
    ui_label(a->ui, (struct ui_rect){in.x, in.y, in.w - cw - look_sz(&a->look, 20), lh},
             model_str(rooms, i, ROOM_NAME), UI_FONT_BOLD, lead, p->text, UI_LEFT);
    char info[400];
    const char *eq = model_str(rooms, i, ROOM_EQUIPMENT);
    snprintf(info, sizeof info, "%s – %s%s%s", model_str(rooms, i, ROOM_OPENS),
             model_str(rooms, i, ROOM_CLOSES), eq[0] ? " · " : "", eq);
    ui_label(a->ui, (struct ui_rect){in.x, in.y + lh, in.w, in.h - lh}, info, UI_FONT_REGULAR,
             small, p->muted, UI_LEFT);
}

/* One room's card at r.y: header, slot grid for the chosen day, its
 * bookings; returns its height (measured when r.h is 0, else drawn). */
static int room_card(struct app *a, struct ui_rect r, const struct model_rows *rooms, int i,
                     const struct model_rows *sl)
{
    int pad = look_sz(&a->look, 28), gap = look_sz(&a->look, 10);
    if (r.h)
        w_card(&a->look, r);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){r.x + pad, r.y + pad, r.w - 2 * pad, 0}, gap);
    int sub = ui_line_height(a->ui, UI_FONT_REGULAR, look_ts(&a->look, TS_SMALL));
    room_header(
        a,
        ui_layout_block(&l, ui_line_height(a->ui, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD)) + sub),
        rooms, i);
    ui_layout_space(&l, look_sz(&a->look, 16));
    int top = ui_layout_top(&l);
    slots(a, &l, rooms, i, sl);
    /* A day without a free slot keeps a line's room. */
    ui_layout_space(&l, (ui_layout_top(&l) == top ? sub : 0) + gap + look_sz(&a->look, 8));
    int64_t d0 = when_midnight(a->now, a->rooms.day), d1 = when_midnight(a->now, a->rooms.day + 1);
    booking_rows(a, &l, sl, model_str(rooms, i, ROOM_ID), d0, d1);
    return ui_layout_height(&l) + 2 * pad;
}

/* The days cut off the top of *r with the gap under them; *tapped: a
 * day was tapped. */
static void day_chips(struct app *a, struct ui_rect *r, bool *tapped)
{
    char words[DAYS_SHOWN][64];
    const char *labels[DAYS_SHOWN];
    for (int d = 0; d < DAYS_SHOWN; d++) {
        day_label(a, d, words[d], sizeof words[d]);
        labels[d] = words[d];
    }
    *tapped = w_chip_row(&a->look, r, labels, NULL, DAYS_SHOWN, &a->rooms.day, "room-list");
    ui_cut_top(r, look_sz(&a->look, SZ_GAP));
}

/* The height day_chips takes in r. */
static int day_chips_height(struct app *a, struct ui_rect r)
{
    bool tapped;
    int h = r.h;
    ui_measure_begin(a->ui);
    day_chips(a, &r, &tapped);
    ui_measure_end(a->ui);
    return h - r.h;
}

/* The rooms, under the days when these scroll with them (head: their
 * height, 0 when they stay put above). */
static void list(struct app *a, struct ui_rect r, const struct model_rows *rooms,
                 const struct model_rows *sl, int head)
{
    int gap = look_sz(&a->look, SZ_GAP);
    int off = ui_scroll_begin(a->ui, "room-list", r);
    int y = r.y - off;
    bool tapped = false;
    if (head) {
        struct ui_rect days = {r.x, y, r.w, head};
        day_chips(a, &days, &tapped);
    }
    y += head;
    for (int i = 0; i < rooms->n; i++) {
        ui_measure_begin(a->ui);
        int h = room_card(a, (struct ui_rect){r.x, y, r.w, 0}, rooms, i, sl);
        ui_measure_end(a->ui);
        if (y < r.y + r.h && y + h > r.y)
            room_card(a, (struct ui_rect){r.x, y, r.w, h}, rooms, i, sl);
        y += h + gap;
    }
    ui_scroll_end(a->ui, y + off - r.y);
    if (tapped) /* the day chosen, its slots come up */
        ui_scroll_to(a->ui, "room-list", head);
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
                  !taken(sl, a->rooms.room, a->rooms.start, a->rooms.start + len * 60);
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
    if (taken(sl, a->rooms.room, a->rooms.start, a->rooms.start + a->rooms.length * 60)) {
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
static int book_details(struct app *a, struct ui_rect in, const struct model_rows *rooms, int ri,
                        const struct model_rows *sl)
{
    int ts = look_ts(&a->look, TS_LEAD), bs = look_ts(&a->look, TS_BODY);
    char title[200], day[64], hm[8], when[160];
    i18n_fill(title, sizeof title, i18n_str(a->look.lang, S_BOOK_TITLE),
              model_str(rooms, ri, ROOM_NAME));
    struct ui_layout l;
    ui_layout_begin(&l, in, look_sz(&a->look, SZ_GAP));
    ui_layout_block(&l,
                    w_title(&a->look, (struct ui_rect){in.x, in.y, in.w, 0}, title, ICON_ROOMS));
    ui_layout_space(&l, look_sz(&a->look, 8));
    when_day(a->look.lang, a->rooms.start, day, sizeof day);
    when_hhmm(a->rooms.start, hm, sizeof hm);
    snprintf(when, sizeof when, "%s, %s", day, hm);
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
    char day[64], hm[8], len[32], line[240];
    when_day(a->look.lang, a->rooms.start, day, sizeof day);
    when_hhmm(a->rooms.start, hm, sizeof hm);
    i18n_duration(a->look.lang, a->rooms.length, len, sizeof len);
    snprintf(line, sizeof line, "%s · %s, %s · %s", model_str(rooms, ri, ROOM_NAME), day, hm, len);
    ui_label(a->ui, r, line, UI_FONT_BOLD, look_ts(&a->look, TS_BODY), a->look.pal->text, UI_LEFT);
}

/* The booking form: details, then the name and the buttons (at the right
 * in landscape, beside the name when typing leaves little height). */
static void book_form(struct app *a, struct ui_rect r, const struct model_rows *rooms,
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

static void cancel_form(struct app *a, struct ui_rect r)
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

void screen_rooms(struct app *a, struct ui_rect r)
{
    /* A form has its own title: the height is its field's and buttons';
     * while typing, a thinner margin too. */
    bool form = a->rooms.booking[0] || a->rooms.start;
    r = ui_inset(r, look_sz(&a->look, form && a->kbd.open ? 8 : SZ_PAD));
    if (!form) {
        int th = w_title(&a->look, r, i18n_str(a->look.lang, S_ROOMS_TITLE), ICON_ROOMS);
        ui_cut_top(&r, th + look_sz(&a->look, SZ_GAP));
    }
    if (!a->cfg.site) {
        w_empty(&a->look, r, ICON_ROOMS, i18n_str(a->look.lang, S_NO_SITE));
        return;
    }
    const struct model_rows *rooms = model_rooms(a->model, a->cfg.site);
    if (rooms->n == 0) {
        w_empty(&a->look, r, ICON_ROOMS, i18n_str(a->look.lang, S_NO_ROOMS));
        return;
    }
    char from[TS_LEN + 1], to[TS_LEN + 1];
    day_range(a, from, to);
    const struct model_rows *sl = model_slots(a->model, a->cfg.site, from, to);
    if (a->rooms.booking[0]) {
        cancel_form(a, r);
        return;
    }
    if (a->rooms.start) {
        book_form(a, r, rooms, sl);
        return;
    }
    /* The days scroll with the rooms when they would leave too little
     * of them in view (larger text on a small display). */
    bool tapped;
    int head = day_chips_height(a, r);
    if (r.h - head >= 4 * look_touch(&a->look, SZ_TOUCH)) {
        day_chips(a, &r, &tapped);
        head = 0;
    }
    list(a, r, rooms, sl, head);
}

void screen_rooms_list(struct app *a)
{
    a->rooms.room[0] = '\0';
    a->rooms.start = 0;
}

void screen_rooms_reset(struct app *a)
{
    memset(&a->rooms, 0, sizeof a->rooms);
    a->rooms.length = 60; /* the length a booking form offers first */
}

bool screen_rooms_used(const struct app *a)
{
    return a->rooms.day || a->rooms.room[0] || a->rooms.start || a->rooms.name[0] ||
           a->rooms.code[0] || a->rooms.change[0] || a->rooms.booking[0] ||
           a->rooms.cancel_code[0] || a->rooms.booked || a->rooms.cancel_sent || a->rooms.error[0];
}

bool screen_rooms_keypad(const struct app *a)
{
    return a->rooms.booking[0]; /* the cancel form: its code is digits */
}
