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

#include "screen_rooms_int.h"
#include "when.h"
#include "widget.h"

#define SLOT_MIN 30
#define DAYS_SHOWN 7

bool screen_rooms_taken(const struct model_rows *sl, const char *room, int64_t s, int64_t e)
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

const char *screen_rooms_refusal(struct app *a, const char *code, const char *message)
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
            screen_rooms_refusal(a, model_str(sl, i, SLOT_ERROR), model_str(sl, i, SLOT_REASON));
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
        if (screen_rooms_taken(sl, id, s, s + SLOT_MIN * 60)) {
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
        screen_rooms_cancel_form(a, r);
        return;
    }
    if (a->rooms.start) {
        screen_rooms_book_form(a, r, rooms, sl);
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
