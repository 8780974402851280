/* Unit tests of the kiosk's pure parts, without SDL: the ui core (rects,
 * taps versus drags, topmost hit, wrapping, ellipsis, scrolling, editing),
 * the theme's contrast, the string tables and the day arithmetic. Text is
 * measured by a fake font: every code point is size/2 pixels wide. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../kiosk/i18n.h"
#include "../../kiosk/theme.h"
#include "../../kiosk/ui.h"
#include "../../kiosk/when.h"
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
    ui_pointer_down(ui, 200, 250, 10);
    for (int i = 1; i <= 5; i++)
        ui_pointer_move(ui, 200, 250 - 30 * i, 10 + 16 * (uint64_t)i);
    ui_pointer_up(ui, 200, 100, 96);
    int off = scroll_frame(ui, 100, &anim);
    assert_true(off >= 150);
    assert_true(anim); /* flung: still moving */
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
    ui_free(ui);
}

struct lines {
    int n;
    char text[8][64];
};

static void collect(void *ctx, const char *start, size_t len)
{
    struct lines *l = ctx;
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

static void test_damage(void **state)
{
    (void)state;
    struct ui *ui = ui_new(&metrics);
    struct ui_rect d;
    two_rects(ui, 100);
    two_rects(ui, 100);
    assert_false(ui_damage(ui, &d)); /* nothing moved */
    two_rects(ui, 130);
    assert_true(ui_damage(ui, &d)); /* old and new place of the moved one */
    assert_int_equal(d.x, 100);
    assert_int_equal(d.y, 100);
    assert_int_equal(d.w, 50);
    assert_int_equal(d.h, 20);
    /* A command that went: its area is damaged too. */
    ui_begin(ui, 400, 300, 0);
    ui_draw_rect(ui, (struct ui_rect){0, 0, 50, 50}, (struct ui_color){10, 20, 30, 255}, 0);
    ui_end(ui);
    assert_true(ui_damage(ui, &d));
    assert_int_equal(d.y, 100);
    assert_true(d.y + d.h >= 200);
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

static void test_i18n_complete(void **state)
{
    (void)state;
    for (int l = 0; l < LANG_COUNT; l++)
        for (int s = 0; s < S_COUNT; s++) {
            const char *t = i18n_str((enum lang)l, (enum str)s);
            if (!t[0])
                fail_msg("language %d string %d is empty", l, s);
        }
    assert_string_equal(i18n_str(LANG_FR, S_ROOMS), "Salles");
    assert_string_equal(i18n_str(LANG_EN, S_ROOMS), "Rooms");
    assert_string_equal(i18n_domain(LANG_FR, "sante"), "Santé");
    assert_string_equal(i18n_domain(LANG_FR, "inconnu"), "inconnu");
    char out[64];
    i18n_fill_int(out, sizeof out, i18n_str(LANG_FR, S_RESULTS_N), 12);
    assert_string_equal(out, "12 initiatives");
    i18n_fill(out, sizeof out, "100%% %s", "x"); /* a table string is data, not a format */
    assert_string_equal(out, "100%% x");
    i18n_date(LANG_FR, 0, 1, 12, 2026, out, sizeof out);
    assert_string_equal(out, "lundi 1er décembre 2026");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rect_cuts),
        cmocka_unit_test(test_tap_topmost),
        cmocka_unit_test(test_drag_is_not_tap),
        cmocka_unit_test(test_scroll_drag_inertia_clamp),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_label_ellipsis_and_record),
        cmocka_unit_test(test_edit_utf8),
        cmocka_unit_test(test_unchanged_frame),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_theme_contrast),
        cmocka_unit_test(test_i18n_complete),
        cmocka_unit_test(test_when_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
