/* Unit tests of the kiosk's pure parts, without SDL: the ui core (rects,
 * taps versus drags, topmost hit, wrapping, ellipsis, scrolling, editing),
 * the damage plans of partial frames (against a reference rasteriser),
 * the theme's contrast and the day arithmetic (the string tables are
 * test_kiosk_i18n.c's). Text is measured by a fake font: every code point
 * is size/2 pixels wide. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../kiosk/app.h"
#include "../../kiosk/theme.h"
#include "../../kiosk/ui.h"
#include "../../kiosk/when.h"
#include "../../kiosk/widget.h"
#include "ts.h"

static int fake_width(void *ctx, enum ui_font f, int size, const char *text, size_t len)
{
    (void)ctx;
    (void)f;
    int n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xc0) != 0x80)
            n++;
    return n * size / 2;
}

static int fake_height(void *ctx, enum ui_font f, int size)
{
    (void)ctx;
    (void)f;
    return size + size / 4;
}

static const struct ui_text_metrics metrics = {fake_width, fake_height, NULL};

static void test_rect_cuts(void **state)
{
    (void)state;
    struct ui_rect r = {0, 0, 100, 50};
    struct ui_rect t = ui_cut_top(&r, 10);
    assert_int_equal(t.h, 10);
    assert_int_equal(r.y, 10);
    assert_int_equal(r.h, 40);
    struct ui_rect l = ui_cut_left(&r, 30);
    assert_int_equal(l.w, 30);
    assert_int_equal(r.x, 30);
    struct ui_rect b = ui_cut_bottom(&r, 500); /* more than there is */
    assert_int_equal(b.h, 40);
    assert_int_equal(r.h, 0);
    struct ui_rect i = ui_intersect((struct ui_rect){0, 0, 10, 10}, (struct ui_rect){20, 20, 5, 5});
    assert_int_equal(i.w, 0);
    assert_int_equal(i.h, 0);
    assert_true(ui_contains((struct ui_rect){5, 5, 10, 10}, 5, 14));
    assert_false(ui_contains((struct ui_rect){5, 5, 10, 10}, 15, 5));
}

/* The layout cursor: rows of fixed and shared widths, a gap between
 * items and rows, flowing items that wrap, space instead of a gap. */
static void test_layout_rows(void **state)
{
    (void)state;
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){10, 20, 100, 0}, 4);
    ui_layout_row(&l, 3, (const int[]){30, 0, 0}, 12);
    struct ui_rect a = ui_layout_next(&l), b = ui_layout_next(&l), c = ui_layout_next(&l);
    assert_int_equal(a.x, 10);
    assert_int_equal(a.w, 30);
    assert_int_equal(b.x, 44);
    assert_int_equal(b.w, 31); /* (100 - 30 - 8) / 2 */
    assert_int_equal(c.x + c.w, 110);
    assert_int_equal(c.y, 20);
    struct ui_rect d = ui_layout_next(&l); /* the row again, under the first */
    assert_int_equal(d.x, 10);
    assert_int_equal(d.y, 36);
    struct ui_rect e = ui_layout_block(&l, 5);
    assert_int_equal(e.y, 52);
    assert_int_equal(e.w, 100);
    assert_int_equal(ui_layout_height(&l), 37);
    ui_layout_space(&l, 10);
    assert_int_equal(ui_layout_top(&l), 67);
    struct ui_rect f1 = ui_layout_flow(&l, 60, 8), f2 = ui_layout_flow(&l, 36, 8);
    struct ui_rect f3 = ui_layout_flow(&l, 10, 8);
    assert_int_equal(f1.y, 67);
    assert_int_equal(f2.x, 74); /* 60 + 4 + 36 = 100: still fits */
    assert_int_equal(f3.x, 10); /* wrapped */
    assert_int_equal(f3.y, 79);
    assert_int_equal(ui_layout_height(&l), 67);
    /* An item wider than the row starts its own line, and fits no better. */
    struct ui_rect g = ui_layout_flow(&l, 200, 8);
    assert_int_equal(g.x, 10);
    assert_int_equal(g.y, 91);
    struct ui_rect h = ui_layout_flow(&l, 5, 8);
    assert_int_equal(h.x, 10);
    assert_int_equal(h.y, 103);
    /* Tiles of a row of height 0, each as high as its words: the row is
     * as high as its highest, the next row under it. */
    ui_layout_row(&l, 2, NULL, 0);
    struct ui_rect t1 = ui_layout_next(&l);
    ui_layout_grow(&l, 30);
    ui_layout_next(&l);
    ui_layout_grow(&l, 20);
    assert_int_equal(t1.y, 115);
    assert_int_equal(ui_layout_next(&l).y, 149);
    assert_int_equal(ui_layout_height(&l), 129);
}

/* A paragraph is a row of the cursor: drawn at its top, as high as its
 * lines. */
static void test_layout_text(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    ui_begin(ui, 400, 300, 0);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){10, 0, 100, 0}, 5);
    ui_layout_block(&l, 10);
    /* 5 px a code point: two lines of 100 px at most, 12 px each. */
    int h = ui_layout_text(ui, &l, "aaaaaaaaaa bbbbbbbbbb cccc", UI_FONT_REGULAR, 10,
                           (struct ui_color){0, 0, 0, 255}, 0);
    assert_int_equal(h, 24);
    assert_int_equal(ui_layout_top(&l), 44);
    size_t n;
    const struct ui_element *e = ui_elements(ui, &n);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].rect.x, 10);
    assert_int_equal(e[0].rect.y, 15);
    ui_end(ui);
    ui_free(ui);
}

/* A measuring pass draws, records and takes nothing: the frame is as if
 * it had not run, and a tap waits for the drawing pass. */
static void test_measure(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    ui_begin(ui, 400, 300, 0);
    ui_hit(ui, (struct ui_rect){0, 0, 100, 100}, "go", "button");
    ui_end(ui);
    ui_pointer_down(ui, 10, 10, 1);
    ui_pointer_up(ui, 10, 10, 2);
    ui_begin(ui, 400, 300, 3);
    ui_draw_rect(ui, (struct ui_rect){0, 0, 10, 10}, (struct ui_color){1, 2, 3, 255}, 0);
    size_t n0, e0;
    ui_commands(ui, &n0);
    ui_elements(ui, &e0);
    ui_measure_begin(ui);
    assert_true(ui_measuring(ui));
    ui_push_id(ui, "card");
    ui_clip_push(ui, (struct ui_rect){0, 0, 50, 50});
    ui_label(ui, (struct ui_rect){0, 0, 100, 20}, "words", UI_FONT_REGULAR, 10,
             (struct ui_color){0, 0, 0, 255}, UI_LEFT);
    ui_pop_id(ui);
    assert_false(ui_hit(ui, (struct ui_rect){0, 0, 100, 100}, "go", "button"));
    ui_measure_end(ui);
    assert_false(ui_measuring(ui));
    size_t n1, e1;
    ui_commands(ui, &n1);
    ui_elements(ui, &e1);
    assert_int_equal(n1, n0);
    assert_int_equal(e1, e0);
    assert_true(ui_hit(ui, (struct ui_rect){0, 0, 100, 100}, "go", "button"));
    ui_end(ui);
    ui_free(ui);
}

/* One frame with two overlapping buttons; returns which were tapped. */
static int frame(struct ui *ui, bool *front, bool *back)
{
    ui_begin(ui, 400, 300, 0);
    *back = ui_hit(ui, (struct ui_rect){0, 0, 200, 200}, "back", "button");
    *front = ui_hit(ui, (struct ui_rect){50, 50, 50, 50}, "front", "button");
    return ui_end(ui);
}

static void test_tap_topmost(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    bool f, b;
    frame(ui, &f, &b);
    ui_pointer_down(ui, 60, 60, 10);
    ui_pointer_up(ui, 62, 61, 20); /* within the slop: a tap */
    frame(ui, &f, &b);
    assert_true(f);
    assert_false(b);
    frame(ui, &f, &b); /* a tap lasts one frame */
    assert_false(f);
    ui_pointer_down(ui, 10, 10, 30);
    ui_pointer_up(ui, 10, 10, 40);
    frame(ui, &f, &b);
    assert_true(b);
    assert_false(f);
    ui_free(ui);
}

static void test_drag_is_not_tap(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    bool f, b;
    frame(ui, &f, &b);
    ui_pointer_down(ui, 60, 60, 0);
    ui_pointer_move(ui, 60, 60 + UI_DRAG_SLOP + 5, 16);
    ui_pointer_up(ui, 60, 60 + UI_DRAG_SLOP + 5, 32);
    frame(ui, &f, &b);
    assert_false(f);
    assert_false(b);
    /* Released elsewhere than pressed: no tap either. */
    ui_pointer_down(ui, 60, 60, 40);
    ui_pointer_up(ui, 150, 150, 50);
    frame(ui, &f, &b);
    assert_false(f);
    ui_free(ui);
}

static int scroll_frame(struct ui *ui, uint64_t ms, bool *anim)
{
    ui_begin(ui, 400, 300, ms);
    int off = ui_scroll_begin(ui, "list", (struct ui_rect){0, 0, 400, 300});
    ui_draw_rect(ui, (struct ui_rect){0, -off, 400, 1000}, (struct ui_color){1, 2, 3, 255}, 0);
    ui_scroll_end(ui, 1000);
    *anim = ui_end(ui);
    return off;
}

static void test_scroll_drag_inertia_clamp(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    bool anim;
    assert_int_equal(scroll_frame(ui, 1, &anim), 0);
    assert_false(ui_scrolled_any(ui));
    ui_pointer_down(ui, 200, 250, 10);
    for (int i = 1; i <= 5; i++)
        ui_pointer_move(ui, 200, 250 - 30 * i, 10 + 16 * (uint64_t)i);
    ui_pointer_up(ui, 200, 100, 96);
    int off = scroll_frame(ui, 100, &anim);
    assert_true(off >= 150);
    assert_true(anim);                /* flung: still moving */
    assert_true(ui_scrolled_any(ui)); /* what the idle reset looks for */
    int later = off;
    for (uint64_t t = 116; t < 5000 && anim; t += 16)
        later = scroll_frame(ui, t, &anim);
    assert_false(anim);
    assert_true(later > off);
    assert_true(later <= 700); /* content 1000 - view 300 */
    /* Dragging far past the top clamps at 0. */
    ui_pointer_down(ui, 200, 10, 6000);
    ui_pointer_move(ui, 200, 290, 6016);
    ui_pointer_move(ui, 200, 299, 6032);
    ui_pointer_up(ui, 200, 299, 6500);
    for (uint64_t t = 6600; t < 9000; t += 16)
        off = scroll_frame(ui, t, &anim);
    assert_true(off >= 0);
    ui_scroll_to(ui, "list", 200);
    assert_true(ui_scrolled_any(ui));
    ui_scroll_reset_all(ui);
    assert_false(ui_scrolled_any(ui));
    ui_free(ui);
}

/* The same fling, drawn at 60 frames a second or at 3 uneven ones (a
 * loaded machine), ends at the same offset. */
static int fling_end(const int *frame_ms, int nframes)
{
    struct ui *ui = ui_new(&metrics);
    bool anim;
    scroll_frame(ui, 1, &anim);
    ui_pointer_down(ui, 200, 250, 10);
    for (int i = 1; i <= 3; i++)
        ui_pointer_move(ui, 200, 250 - 20 * i, 10 + 16 * (uint64_t)i);
    ui_pointer_up(ui, 200, 190, 64);
    uint64_t t = 64;
    int off = 0;
    for (int i = 0; i < 1000 && (i == 0 || anim); i++) {
        t += (uint64_t)frame_ms[i % nframes];
        off = scroll_frame(ui, t, &anim);
    }
    ui_free(ui);
    return off;
}

static void test_fling_distance_ignores_frame_rate(void **state)
{
    (void)state;
    static const int smooth[] = {16};
    static const int loaded[] = {40, 400, 170};
    int a = fling_end(smooth, 1), b = fling_end(loaded, 3);
    assert_true(a > 100);
    if (abs(a - b) > 1)
        fail_msg("the fling ends at %d px at 60 fps and at %d px with slow frames", a, b);
}

/* A frame with the screen's region named screen and, when dialog, a
 * dialog's region "b" drawn over it; their offsets into off. */
static void overlay_frame(struct ui *ui, uint64_t ms, const char *screen, bool dialog, int off[2])
{
    ui_begin(ui, 400, 300, ms);
    off[0] = ui_scroll_begin(ui, screen, (struct ui_rect){0, 0, 400, 300});
    ui_scroll_end(ui, 1000);
    if (dialog) {
        off[1] = ui_scroll_begin(ui, "b", (struct ui_rect){50, 50, 300, 200});
        ui_scroll_end(ui, 1000);
    }
    ui_end(ui);
}

static void test_scroll_overlay_on_top(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    int off[2] = {0, 0};
    /* From screen "c" to screen "a": "a" takes the second slot, and the
     * dialog's "b", opened next, the first (freed meanwhile). */
    overlay_frame(ui, 0, "c", false, off);
    overlay_frame(ui, 16, "a", false, off);
    overlay_frame(ui, 32, "a", true, off);
    /* A drag on the dialog scrolls the dialog, not the screen under it. */
    ui_pointer_down(ui, 200, 200, 100);
    ui_pointer_move(ui, 200, 150, 116);
    ui_pointer_move(ui, 200, 100, 132);
    ui_pointer_up(ui, 200, 100, 400);
    overlay_frame(ui, 416, "a", true, off);
    assert_int_equal(off[0], 0);
    assert_true(off[1] > 0);
    ui_free(ui);
}

struct lines {
    int n;
    char text[8][64];
    bool cut[8];
};

static void collect(void *ctx, const char *start, size_t len, bool cut)
{
    struct lines *l = ctx;
    l->cut[l->n < 8 ? l->n : 7] = cut;
    if (l->n < 8) {
        memcpy(l->text[l->n], start, len);
        l->text[l->n][len] = '\0';
    }
    l->n++;
}

static void test_wrap(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    struct lines l = {0};
    /* size 10: 5 px a character, width 50: 10 characters a line */
    int n = ui_wrap(ui, UI_FONT_REGULAR, 10, "un deux trois quatre", 50, collect, &l);
    assert_int_equal(n, 3);
    assert_string_equal(l.text[0], "un deux");
    assert_string_equal(l.text[1], "trois");
    assert_string_equal(l.text[2], "quatre");
    memset(&l, 0, sizeof l);
    n = ui_wrap(ui, UI_FONT_REGULAR, 10, "abcdefghijklmnop", 50, collect, &l);
    assert_int_equal(n, 2); /* a word longer than a line is cut */
    assert_string_equal(l.text[0], "abcdefghij");
    memset(&l, 0, sizeof l);
    n = ui_wrap(ui, UI_FONT_REGULAR, 10, "été\nà", 50, collect, &l);
    assert_int_equal(n, 2);
    assert_string_equal(l.text[0], "été");
    ui_free(ui);
}

/* Breaks French typography forbids, in data typed with ordinary spaces,
 * and an address that never breaks. Each width is chosen so that the old
 * rule (any space) would break there. */
static void test_wrap_typography(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    static const struct {
        const char *text;
        int chars; /* the width, in characters */
        int n;
        const char *lines[4];
    } cases[] = {
        {"de 8 h à 20 h", 5, 3, {"de", "8 h à", "20 h"}},
        {"le froid : x", 9, 2, {"le", "froid : x"}},
        {"semaine ; pour", 9, 2, {"semaine ;", "pour"}},
        {"à 9 h 30 ici", 7, 3, {"à", "9 h 30", "ici"}},
        {"dit « oui » ici", 8, 3, {"dit", "« oui »", "ici"}},
        {"aa bb\xc2\xa0"
         "cc",
         6,
         2,
         {"aa", "bb\xc2\xa0"
                "cc"}},
        {"écrire à contact@conciergerie.example.org merci",
         20,
         3,
         {"écrire à", "contact@conciergerie.example.org", "merci"}},
        {"voir https://example.org/a/b", 10, 2, {"voir", "https://example.org/a/b"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct lines l = {0};
        int n = ui_wrap(ui, UI_FONT_REGULAR, 10, cases[i].text, cases[i].chars * 5, collect, &l);
        if (n != cases[i].n)
            fail_msg("'%s': %d lines, not %d", cases[i].text, n, cases[i].n);
        for (int k = 0; k < n; k++) {
            assert_string_equal(l.text[k], cases[i].lines[k]);
            /* Only an address wider than the line comes cut. */
            assert_int_equal(l.cut[k], strchr(l.text[k], '@') || strstr(l.text[k], "://"));
        }
    }
    /* The paragraph draws a cut address shortened with an ellipsis, the
     * element keeping the whole text. */
    ui_begin(ui, 400, 300, 0);
    int h = ui_paragraph(ui, (struct ui_rect){0, 0, 100, 0}, "à contact@conciergerie.example.org",
                         UI_FONT_REGULAR, 10, (struct ui_color){0, 0, 0, 255}, 0);
    assert_int_equal(h, 2 * 12);
    size_t nc;
    const struct ui_cmd *c = ui_commands(ui, &nc);
    assert_int_equal(nc, 2);
    assert_string_equal(ui_str(ui, c[1].text), "contact@conciergeri\xe2\x80\xa6"); /* 19 + 1 */
    assert_true(c[1].rect.w <= 100);
    ui_end(ui);
    ui_free(ui);
}

static void test_label_ellipsis_and_record(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    ui_begin(ui, 400, 300, 0);
    ui_label(ui, (struct ui_rect){0, 0, 50, 20}, "Jardin partagé des Blagis", UI_FONT_REGULAR, 10,
             (struct ui_color){0, 0, 0, 255}, UI_LEFT);
    ui_label(ui, (struct ui_rect){0, 400, 50, 20}, "hors champ", UI_FONT_REGULAR, 10,
             (struct ui_color){0, 0, 0, 255}, UI_LEFT);
    ui_end(ui);
    size_t n;
    const struct ui_element *e = ui_elements(ui, &n);
    assert_int_equal(n, 1); /* the second one is not visible */
    assert_string_equal(ui_str(ui, e[0].label), "Jardin partagé des Blagis");
    assert_true(e[0].text_w <= e[0].box_w);
    const struct ui_cmd *c = ui_commands(ui, &n);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].type, UI_CMD_TEXT);
    const char *drawn = ui_str(ui, c[0].text);
    assert_non_null(strstr(drawn, "\xe2\x80\xa6"));
    ui_free(ui);
}

static void test_edit_utf8(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    char buf[16] = "";
    uint32_t id = 42;
    ui_focus(ui, id);
    ui_text_input(ui, "école");
    ui_begin(ui, 100, 100, 0);
    assert_true(ui_edit(ui, id, buf, sizeof buf, 60, NULL));
    ui_end(ui);
    assert_string_equal(buf, "école");
    ui_key(ui, UI_KEY_BACKSPACE);
    ui_key(ui, UI_KEY_BACKSPACE);
    ui_key(ui, UI_KEY_BACKSPACE);
    ui_key(ui, UI_KEY_BACKSPACE);
    ui_text_input(ui, "à");
    bool enter;
    ui_key(ui, UI_KEY_ENTER);
    ui_begin(ui, 100, 100, 0);
    ui_edit(ui, id, buf, sizeof buf, 60, &enter);
    ui_end(ui);
    assert_string_equal(buf, "éà"); /* whole code points removed */
    assert_true(enter);
    /* Caps: bytes and characters. */
    ui_text_input(ui, "0123456789abcdefghij");
    ui_begin(ui, 100, 100, 0);
    ui_edit(ui, id, buf, sizeof buf, 5, NULL);
    ui_end(ui);
    assert_int_equal(ui_utf8_len(buf), 5);
    /* Text for a field without focus is dropped at the end of the frame. */
    ui_focus(ui, 7);
    ui_text_input(ui, "x");
    ui_begin(ui, 100, 100, 0);
    assert_false(ui_edit(ui, id, buf, sizeof buf, 60, NULL));
    ui_end(ui);
    ui_focus(ui, id);
    ui_begin(ui, 100, 100, 0);
    assert_false(ui_edit(ui, id, buf, sizeof buf, 60, NULL));
    ui_end(ui);
    ui_free(ui);
}

static void test_unchanged_frame(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    for (int i = 0; i < 3; i++) {
        ui_begin(ui, 100, 100, (uint64_t)i);
        ui_label(ui, (struct ui_rect){0, 0, 100, 20}, "même", UI_FONT_BOLD, 10,
                 (struct ui_color){0, 0, 0, 255}, UI_LEFT);
        ui_end(ui);
        if (i == 0)
            assert_true(ui_changed(ui));
        else
            assert_false(ui_changed(ui));
    }
    ui_free(ui);
}

static void two_rects(struct ui *ui, int bx)
{
    struct ui_color c = {10, 20, 30, 255};
    ui_begin(ui, 400, 300, 0);
    ui_draw_rect(ui, (struct ui_rect){0, 0, 50, 50}, c, 0);
    ui_draw_rect(ui, (struct ui_rect){bx, 100, 20, 20}, c, 0);
    ui_draw_text(ui, 10, 200, "même", UI_FONT_REGULAR, 10, c);
    ui_end(ui);
}

/* The bounding box of a plan's rectangles. */
static struct ui_rect plan_box(const struct ui_damage *p)
{
    int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
    for (int i = 0; i < p->n; i++) {
        const struct ui_rect *r = &p->rects[i];
        x0 = r->x < x0 ? r->x : x0;
        y0 = r->y < y0 ? r->y : y0;
        x1 = r->x + r->w > x1 ? r->x + r->w : x1;
        y1 = r->y + r->h > y1 ? r->y + r->h : y1;
    }
    return (struct ui_rect){x0, y0, x1 - x0, y1 - y0};
}

static void test_damage(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    struct ui_damage p;
    two_rects(ui, 100);
    two_rects(ui, 100);
    assert_false(ui_damage_plan(ui, false, &p)); /* nothing moved */
    two_rects(ui, 130);
    assert_true(ui_damage_plan(ui, false, &p)); /* old and new place of the moved one */
    struct ui_rect d = plan_box(&p);
    assert_int_equal(d.x, 100);
    assert_int_equal(d.y, 100);
    assert_int_equal(d.w, 50);
    assert_int_equal(d.h, 20);
    /* A command that went: its area is damaged too. */
    ui_begin(ui, 400, 300, 0);
    ui_draw_rect(ui, (struct ui_rect){0, 0, 50, 50}, (struct ui_color){10, 20, 30, 255}, 0);
    ui_end(ui);
    assert_true(ui_damage_plan(ui, false, &p));
    d = plan_box(&p);
    assert_true(d.y <= 100);
    assert_true(d.y + d.h >= 200);
    ui_free(ui);
}

/* ---- damage plans, checked pixel for pixel ----
 * A reference rasteriser of the command list (rectangles as plain fills
 * or outlines, text as a block of a colour its string decides): a plan
 * applied to the previous frame's pixels must give exactly the pixels of
 * the new frame drawn whole. */

#define PW 400
#define PH 300

static uint32_t px_color(const struct ui *ui, const struct ui_cmd *c)
{
    uint32_t v = (uint32_t)c->color.r << 16 | (uint32_t)c->color.g << 8 | c->color.b;
    if (c->type == UI_CMD_TEXT)
        v ^= ui_hash(ui_str(ui, c->text), 0) & 0xffffff;
    if (c->radius)
        v ^= (uint32_t)c->radius * 0x10101u;
    return v;
}

static void px_fill(uint32_t *px, struct ui_rect r, struct ui_rect clip, uint32_t v)
{
    r = ui_intersect(r, clip);
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            px[y * PW + x] = v;
}

/* Replays the frame inside d, as render.c does. */
static void px_replay(const struct ui *ui, uint32_t *px, struct ui_rect d)
{
    struct ui_rect full = {0, 0, PW, PH};
    d = ui_intersect(d, full);
    struct ui_rect clip = d;
    px_fill(px, d, d, 0x808080);
    size_t n;
    const struct ui_cmd *c = ui_commands(ui, &n);
    for (size_t i = 0; i < n; i++) {
        if (c[i].type == UI_CMD_CLIP) {
            clip = ui_intersect(c[i].rect.w > 0 ? c[i].rect : full, d);
            continue;
        }
        uint32_t v = px_color(ui, &c[i]);
        struct ui_rect r = c[i].rect;
        int b = c[i].border;
        if (b > 0) {
            px_fill(px, (struct ui_rect){r.x, r.y, r.w, b}, clip, v);
            px_fill(px, (struct ui_rect){r.x, r.y + r.h - b, r.w, b}, clip, v);
            px_fill(px, (struct ui_rect){r.x, r.y, b, r.h}, clip, v);
            px_fill(px, (struct ui_rect){r.x + r.w - b, r.y, b, r.h}, clip, v);
        } else {
            px_fill(px, r, clip, v);
        }
    }
}

/* What render.c does with a plan: move, then redraw the rectangles. */
static void px_apply(const struct ui *ui, uint32_t *px, const struct ui_damage *d)
{
    if (d->scroll) {
        struct ui_rect a = d->scroll_area;
        int dy = d->scroll_dy, rows = a.h - abs(dy);
        if (dy > 0)
            for (int y = a.y; y < a.y + rows; y++)
                memcpy(&px[y * PW + a.x], &px[(y + dy) * PW + a.x], (size_t)a.w * 4);
        else
            for (int y = a.y + a.h; y-- > a.y - dy;)
                memcpy(&px[y * PW + a.x], &px[(y + dy) * PW + a.x], (size_t)a.w * 4);
    }
    for (int k = 0; k < d->n; k++)
        px_replay(ui, px, d->rects[k]);
}

struct list_opts {
    int pressed;  /* card drawn pressed, -1: none */
    bool overlay; /* a toast over the list, drawn after it */
    bool header;  /* a header whose text changes with the offset */
};

/* A screen: a fixed title, a panel, a scrolled list of cards (each with
 * its own clip, an accent and two lines of text), a footer. */
static void list_frame(struct ui *ui, uint64_t ms, const struct list_opts *o, int *off)
{
    struct ui_color panel = {200, 200, 200, 255}, card = {250, 250, 250, 255};
    ui_begin(ui, PW, PH, ms);
    ui_draw_rect(ui, (struct ui_rect){0, 0, PW, 40}, (struct ui_color){10, 40, 90, 255}, 0);
    ui_draw_text(ui, 10, 10, "Titre", UI_FONT_BOLD, 16, card);
    /* A panel under the whole list paints it uniformly; a rounded badge
     * overlapping its top edge does not. */
    ui_draw_rect(ui, (struct ui_rect){0, 40, PW, 230}, panel, 8);
    ui_draw_rect(ui, (struct ui_rect){300, 45, 60, 20}, (struct ui_color){200, 0, 0, 255}, 10);
    struct ui_rect area = {10, 50, 380, 200};
    int y0 = ui_scroll_begin(ui, "list", area);
    *off = y0;
    for (int i = 0; i < 40; i++) {
        struct ui_rect r = {area.x, area.y + i * 70 - y0, area.w, 60};
        if (r.y + r.h < area.y || r.y > area.y + area.h)
            continue;
        char label[32];
        snprintf(label, sizeof label, "carte %d", i);
        ui_push_id(ui, label);
        ui_draw_rect(ui, r, i == o->pressed ? panel : card, 6);
        ui_clip_push(ui, r);
        ui_draw_rect(ui, (struct ui_rect){r.x, r.y, 8, r.h}, (struct ui_color){0, 120, 0, 255}, 0);
        ui_clip_pop(ui);
        ui_draw_text(ui, r.x + 16, r.y + 8, label, UI_FONT_BOLD, 16,
                     (struct ui_color){0, 0, 0, 255});
        ui_draw_text(ui, r.x + 16, r.y + 34, "détail", UI_FONT_REGULAR, 12,
                     (struct ui_color){90, 90, 90, 255});
        ui_draw_border(ui, r, (struct ui_color){0, 0, 0, 255}, 6, 1);
        ui_pop_id(ui);
    }
    ui_scroll_end(ui, 40 * 70);
    if (o->header) {
        char h[32];
        snprintf(h, sizeof h, "décalage %d", y0);
        ui_draw_text(ui, 200, 10, h, UI_FONT_REGULAR, 12, card);
    }
    if (o->overlay)
        ui_draw_rect(ui, (struct ui_rect){100, 200, 200, 40}, (struct ui_color){0, 0, 0, 160}, 12);
    ui_draw_rect(ui, (struct ui_rect){0, 270, PW, 30}, (struct ui_color){30, 30, 30, 255}, 0);
    ui_end(ui);
}

/* Drags the list through flings both ways, checking every frame's plan
 * against a whole frame; returns how many frames moved pixels and the
 * largest area a moving frame redrew. */
static void check_plans(const struct list_opts *o, int *moved, long *max_redrawn)
{
    struct ui *ui = ui_new(&metrics);
    uint32_t *kept = calloc(PW * PH, 4), *whole = calloc(PW * PH, 4);
    assert_non_null(kept);
    assert_non_null(whole);
    int off;
    uint64_t ms = 1;
    list_frame(ui, ms, o, &off);
    px_replay(ui, kept, (struct ui_rect){0, 0, PW, PH});
    *moved = 0;
    *max_redrawn = 0;
    static const int drags[] = {-90, -150, -7, 60, -400, 300, 1, -2, 500, -40};
    for (size_t g = 0; g < sizeof drags / sizeof drags[0]; g++) {
        ui_pointer_down(ui, 200, 150, ms);
        for (int k = 1; k <= 6; k++) {
            ms += 16;
            ui_pointer_move(ui, 200, 150 + drags[g] * k / 6, ms);
            list_frame(ui, ms, o, &off);
            struct ui_damage d;
            if (ui_damage_plan(ui, true, &d)) {
                px_apply(ui, kept, &d);
                if (d.scroll) {
                    (*moved)++;
                    long area = 0;
                    for (int q = 0; q < d.n; q++)
                        area += (long)d.rects[q].w * d.rects[q].h;
                    if (area > *max_redrawn)
                        *max_redrawn = area;
                }
            }
            px_replay(ui, whole, (struct ui_rect){0, 0, PW, PH});
            if (memcmp(kept, whole, PW * PH * 4) != 0)
                fail_msg("drag %zu step %d (offset %d): the plan's frame differs", g, k, off);
        }
        ui_pointer_up(ui, 200, 150 + drags[g], ms + 16);
        bool anim = true;
        for (int f = 0; f < 400 && anim; f++) {
            ms += 7;
            list_frame(ui, ms, o, &off);
            anim = ui_end(ui); /* already ended: only reads the state */
            struct ui_damage d;
            if (ui_damage_plan(ui, true, &d)) {
                px_apply(ui, kept, &d);
                *moved += d.scroll;
            }
            px_replay(ui, whole, (struct ui_rect){0, 0, PW, PH});
            if (memcmp(kept, whole, PW * PH * 4) != 0)
                fail_msg("fling %zu frame %d (offset %d): the plan's frame differs", g, f, off);
        }
    }
    free(kept);
    free(whole);
    ui_free(ui);
}

static void test_damage_plan_scroll(void **state)
{
    (void)state;
    int moved;
    long max;
    struct list_opts plain = {-1, false, false};
    check_plans(&plain, &moved, &max);
    assert_true(moved > 20);
    /* A list moved by a drag step (84 px at most here) redraws the strip
     * that came in, with the badge and the lines of text across its edge,
     * not the list: the list is 380 x 200. */
    assert_true(max <= 380 * 130);
    struct list_opts busy = {3, true, true};
    check_plans(&busy, &moved, &max);
    assert_true(moved > 20);
}

static void test_damage_plan_no_scroll(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    struct list_opts o = {-1, false, false};
    int off;
    list_frame(ui, 1, &o, &off);
    list_frame(ui, 2, &o, &off);
    struct ui_damage d;
    assert_false(ui_damage_plan(ui, true, &d)); /* nothing changed */
    uint32_t *kept = calloc(PW * PH, 4), *whole = calloc(PW * PH, 4);
    assert_non_null(kept);
    assert_non_null(whole);
    px_replay(ui, kept, (struct ui_rect){0, 0, PW, PH});
    /* Pressing a card changes that card only, scrolled or not. */
    o.pressed = 1;
    list_frame(ui, 3, &o, &off);
    assert_true(ui_damage_plan(ui, true, &d));
    assert_false(d.scroll);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.rects[0].y, 50 + 70);
    assert_int_equal(d.rects[0].h, 60);
    px_apply(ui, kept, &d);
    px_replay(ui, whole, (struct ui_rect){0, 0, PW, PH});
    assert_memory_equal(kept, whole, PW * PH * 4);
    /* Without moving pixels, a scroll redraws the list. */
    ui_pointer_down(ui, 200, 150, 10);
    ui_pointer_move(ui, 200, 120, 26);
    ui_pointer_move(ui, 200, 100, 42);
    list_frame(ui, 42, &o, &off);
    assert_true(ui_damage_plan(ui, false, &d));
    assert_false(d.scroll);
    px_apply(ui, kept, &d);
    px_replay(ui, whole, (struct ui_rect){0, 0, PW, PH});
    assert_memory_equal(kept, whole, PW * PH * 4);
    free(kept);
    free(whole);
    ui_free(ui);
}

static double channel(uint8_t c)
{
    double s = c / 255.0;
    return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

static double luminance(struct ui_color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

static double contrast(struct ui_color a, struct ui_color b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static void test_theme_contrast(void **state)
{
    (void)state;
    const struct {
        struct ui_color fg, bg;
    } normal[] = {THEME_PAIRS(theme_normal)}, high[] = {THEME_PAIRS(theme_contrast)};
    for (size_t i = 0; i < sizeof normal / sizeof normal[0]; i++) {
        if (contrast(normal[i].fg, normal[i].bg) < 4.5)
            fail_msg("normal pair %zu: %.2f", i, contrast(normal[i].fg, normal[i].bg));
        if (contrast(high[i].fg, high[i].bg) < 7.0)
            fail_msg("high-contrast pair %zu: %.2f", i, contrast(high[i].fg, high[i].bg));
    }
    struct ui_color white = {255, 255, 255, 255};
    for (int i = 0; i < THEME_DOMAINS; i++)
        if (contrast(white, theme_domain_colors[i]) < 4.5)
            fail_msg("domain %d: %.2f", i, contrast(white, theme_domain_colors[i]));
    assert_true(contrast(white, theme_domain_none) >= 4.5);
}

static void test_when_days(void **state)
{
    (void)state;
    int64_t t;
    /* 2026-03-29 is the spring change in Paris: a 23-hour day. */
    assert_int_equal(ts_parse("2026-03-29T12:00:00Z", &t), ERR_OK);
    int64_t m0 = when_midnight(t, 0), m1 = when_midnight(t, 1);
    assert_int_equal(m1 - m0, 23 * 3600);
    char s[TS_LEN + 1];
    ts_format(m0, s);
    assert_string_equal(s, "2026-03-28T23:00:00Z");
    /* Week starts on Monday; month start across a year. */
    assert_int_equal(ts_parse("2026-12-31T12:00:00Z", &t), ERR_OK); /* a Thursday */
    ts_format(when_week_start(t), s);
    assert_string_equal(s, "2026-12-27T23:00:00Z");
    ts_format(when_month_start(t, 1), s);
    assert_string_equal(s, "2026-12-31T23:00:00Z");
    char hm[8];
    when_hhmm(t, hm, sizeof hm);
    assert_string_equal(hm, "13:00");
}

/* The size of --size, the config file and a script's size command. */
static void test_parse_size(void **state)
{
    (void)state;
    int w = 1, h = 1;
    assert_int_equal(app_parse_size("1080x1920", &w, &h), ERR_OK);
    assert_int_equal(w, 1080);
    assert_int_equal(h, 1920);
    assert_int_equal(app_parse_size("200X8192", &w, &h), ERR_OK);
    assert_int_equal(w, 200);
    const char *bad[] = {"",           "x",          "1080",       "1080x",     "x1920",
                         "199x600",    "600x8193",   "1080x1920 ", "1080*1920", "-1080x1920",
                         " 1080x1920", "1080x 1920", "1080x+ 1920"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        w = h = 7;
        assert_int_equal(app_parse_size(bad[i], &w, &h), ERR_INVALID);
        assert_int_equal(w + h, 14); /* untouched */
    }
}

/* ---- widgets: what they see is a look (and the keyboard's state) ---- */

static struct look test_look(struct ui *ui, int w, int h)
{
    return (struct look){ui, NULL, &theme_normal, LANG_FR, false, false, 1.0, w, h, h > w};
}

/* The cards a grid hands out in a 1000x600 area scrolled to off, under a
 * head of head px: their first index into *first, how many into *n. */
static void grid_frame(struct ui *ui, int off, int head, int *first, int *n)
{
    struct look k = test_look(ui, 1000, 600);
    ui_begin(ui, 1000, 600, 0);
    ui_scroll_to(ui, "cards", off);
    struct w_grid g = {.n = 10000, .h = 100, .head = head, .card_w = 300};
    struct ui_rect r = {0, 0, 1000, 600}, cell, prev = {0, 0, 0, 0};
    w_grid_begin(&k, &g, "cards", r);
    int i;
    *n = 0;
    while (w_grid_next(&g, &i, &cell)) {
        if (*n == 0)
            *first = i;
        else if (cell.y == prev.y) /* beside the one before, a gap apart */
            assert_int_equal(cell.x, prev.x + prev.w + look_sz(&k, SZ_GAP));
        assert_int_equal(cell.h, 100);
        assert_true(cell.y < r.y + r.h && cell.y + cell.h + look_sz(&k, SZ_GAP) > r.y);
        prev = cell;
        (*n)++;
    }
    w_grid_end(&g);
    ui_end(ui);
}

static void test_grid_in_view(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    int first, n, step = 100 + 18; /* a card and the gap, at scale 1 */
    grid_frame(ui, 0, 0, &first, &n);
    grid_frame(ui, 0, 0, &first, &n); /* the scroll area knows its content now */
    assert_int_equal(first, 0);
    assert_int_equal(n, 3 * 6); /* 3 columns of 300; rows 0 to 5 start above 600 */
    grid_frame(ui, 50 * step + 10, 0, &first, &n);
    assert_int_equal(first, 50 * 3);
    assert_int_equal(n, 3 * 6);
    /* Under a head: the first row starts below it, and is first in view
     * once the head has scrolled away. */
    grid_frame(ui, 0, 250, &first, &n);
    assert_int_equal(first, 0);
    assert_int_equal(n, 3 * 3);
    grid_frame(ui, 250 + 2 * step, 250, &first, &n);
    assert_int_equal(first, 2 * 3);
    ui_free(ui);
}

/* A list's cards are all as high, whatever their words: the height
 * measured is the height placed, long title or short. */
static void test_card_words_height(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    struct look k = test_look(ui, 1000, 600);
    static const struct w_card_words shape = {NULL, NULL, 2, 2, 14, true, {0}};
    ui_begin(ui, 1000, 600, 0);
    int h = w_card_words_height(&k, &shape);
    size_t n0;
    ui_elements(ui, &n0);
    assert_int_equal(n0, 0); /* measured: nothing recorded */
    const char *titles[] = {"Court", "Un titre bien plus long que la carte, sur plusieurs lignes "
                                     "qui ne tiennent pas toutes dans la carte"};
    for (int t = 0; t < 2; t++) {
        struct w_card_words c = shape;
        c.title = titles[t];
        c.text = "Un résumé de quelques mots.";
        struct w_card_parts parts;
        assert_int_equal(w_card_words(&k, (struct ui_rect){0, 100 * t, 400, 0}, &c, &parts), h);
        assert_int_equal(parts.tags.y, 100 * t);
        assert_int_equal(parts.foot.y + parts.foot.h, 100 * t + h);
    }
    ui_end(ui);
    ui_free(ui);
}

/* The keyboard types into its own state, which is all it sees with the
 * look: shift gives one capital, then letters again. */
static void test_keyboard_queue(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    struct look k = test_look(ui, 1000, 600);
    struct kbd kb;
    memset(&kb, 0, sizeof kb);
    struct ui_rect r = {0, 0, 1000, w_keyboard_height(&k, 1000)};
    const char *taps[] = {"Majuscule", "A", "a"}; /* the key shows what it types */
    for (int t = 0; t < 3; t++) {
        ui_begin(ui, 1000, 600, (uint64_t)t * 10);
        w_keyboard(&k, &kb, r, false);
        ui_end(ui);
        size_t n;
        const struct ui_element *e = ui_elements(ui, &n);
        size_t i = 0;
        while (i < n && strcmp(ui_str(ui, e[i].label), taps[t]) != 0)
            i++;
        assert_true(i < n);
        int x = e[i].rect.x + e[i].rect.w / 2, y = e[i].rect.y + e[i].rect.h / 2;
        ui_pointer_down(ui, x, y, (uint64_t)t * 10 + 1);
        ui_pointer_up(ui, x, y, (uint64_t)t * 10 + 2);
        ui_begin(ui, 1000, 600, (uint64_t)t * 10 + 3);
        bool typed = w_keyboard(&k, &kb, r, false);
        ui_end(ui);
        assert_int_equal(typed, t > 0);
    }
    assert_string_equal(kb.queue, "Aa");
    assert_false(kb.shift);
    ui_free(ui);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rect_cuts),
        cmocka_unit_test(test_layout_rows),
        cmocka_unit_test(test_layout_text),
        cmocka_unit_test(test_measure),
        cmocka_unit_test(test_tap_topmost),
        cmocka_unit_test(test_drag_is_not_tap),
        cmocka_unit_test(test_scroll_drag_inertia_clamp),
        cmocka_unit_test(test_fling_distance_ignores_frame_rate),
        cmocka_unit_test(test_scroll_overlay_on_top),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_wrap_typography),
        cmocka_unit_test(test_label_ellipsis_and_record),
        cmocka_unit_test(test_edit_utf8),
        cmocka_unit_test(test_unchanged_frame),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_damage_plan_scroll),
        cmocka_unit_test(test_damage_plan_no_scroll),
        cmocka_unit_test(test_theme_contrast),
        cmocka_unit_test(test_when_days),
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_grid_in_view),
        cmocka_unit_test(test_card_words_height),
        cmocka_unit_test(test_keyboard_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
