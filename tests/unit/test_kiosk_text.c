/* Unit tests of the kiosk's line breaking (ui_wrap over text.h's rules)
 * with a font whose line is not the sum of its words, as a real one is
 * not: kerning after a space, after a full stop, and an overhang at the
 * end of a line. Long texts, French spacing and addresses are wrapped at
 * every width and each line checked against the rule itself (the longest
 * run of whole chunks that fits); and the wrap measures each word about
 * once, not every longer prefix of a line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../kiosk/text.h"
#include "../../kiosk/ui.h"

struct font {
    size_t bytes; /* measured so far */
};

/* size/2 px a code point; a capital or a digit after a space 2 px
 * closer, a space after "." or "," 2 px wider, a last "f" 3 px more. */
static int kerned_width(void *ctx, enum ui_font f, int size, const char *text, size_t len)
{
    struct font *font = ctx;
    (void)f;
    font->bytes += len;
    int w = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)text[i] & 0xc0) != 0x80)
            w += size / 2;
        if (i > 0 && text[i - 1] == ' ' &&
            ((text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= '0' && text[i] <= '9')))
            w -= 2;
        if (i > 0 && text[i] == ' ' && (text[i - 1] == '.' || text[i - 1] == ','))
            w += 2;
    }
    if (len > 0 && text[len - 1] == 'f')
        w += 3;
    return w;
}

static int kerned_height(void *ctx, enum ui_font f, int size)
{
    (void)ctx;
    (void)f;
    return size + size / 4;
}

static const char *const texts[] = {
    "Le gymnase des Blagis accueille les personnes sans abri de 19 h à 8 h. Si vous croisez une "
    "personne en difficulté, appelez le 115 : des équipes passent pour les rejoindre, de jour "
    "comme de nuit. Plan grand froid : « restez chez vous » si possible ; 10 000 € de dons, "
    "n° 5 de la rue Houdan, 9 h 30 précises !",
    "Écrire à contact@conciergerie.example.org ou voir https://example.org/a/b/c, "
    "www.sceaux.fr. Atelier vélo : Tous les samedis, Apportez votre vélo, Réparez-le. "
    "Un financement, un local, une formation, un réseau, un conseil, une information.",
    "Of Toto Tartuf Tof. A B C D E F G H I J K L M N O P Q R S T U V W X Y Z 1 2 3 4 5 6 7 8 9",
    "  deux espaces avant, trois   entre, et après   ",
};

/* The end of the longest run of whole chunks from start that fits in
 * width, from every run measured whole: the rule, computed the slow
 * way. 0 when the first chunk alone is too wide. */
static size_t rule_fit(const struct ui_text_metrics *m, const char *p, size_t start, size_t para,
                       int width)
{
    size_t best = 0, end = start;
    for (;;) {
        size_t w = end;
        while (w < para && p[w] == ' ')
            w++;
        if (w >= para)
            return end == start ? para : best; /* a line of spaces only: all of it */
        bool address;
        end = text_chunk_end(p, w, para, &address);
        if (m->width(m->ctx, UI_FONT_REGULAR, 10, p + start, end - start) <= width)
            best = end;
    }
}

struct lines {
    const char *text;
    size_t at; /* where the next line must start */
    int width;
    const struct ui_text_metrics *m;
};

static void check_line(void *ctx, const char *start, size_t len, bool cut)
{
    struct lines *l = ctx;
    const char *t = l->text;
    while (t[l->at] == ' ' || t[l->at] == '\n')
        l->at++;
    size_t s = (size_t)(start - t);
    /* A line starts where the last ended, its leading spaces kept only
     * at the start of a paragraph. */
    if (s != l->at && !(s < l->at && (s == 0 || t[s - 1] == '\n')))
        fail_msg("line at %zu, expected at %zu in '%s'", s, l->at, t);
    size_t para = s + strcspn(t + s, "\n");
    size_t want = rule_fit(l->m, t, s, para, l->width);
    if (want == 0) {
        /* A chunk too wide alone: an address whole (cut), a word by
         * characters within the width. */
        bool address;
        size_t w = s;
        while (t[w] == ' ')
            w++;
        size_t ce = text_chunk_end(t, w, para, &address);
        if (cut)
            assert_int_equal(s + len, ce);
        else
            assert_true(l->m->width(l->m->ctx, UI_FONT_REGULAR, 10, start, len) <= l->width ||
                        len == 1 || ((unsigned char)start[1] & 0xc0) == 0x80);
    } else {
        if (s + len != want)
            fail_msg("width %d: line '%.*s' ends at %zu, the rule says %zu", l->width, (int)len,
                     start, s + len, want);
        assert_false(cut);
    }
    l->at = s + len;
}

static void test_wrap_follows_the_rule(void **state)
{
    (void)state;
    struct font font = {0};
    struct ui_text_metrics m = {kerned_width, kerned_height, &font};
    struct ui *ui = ui_new(&m);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        for (int width = 5; width <= 700; width += 3) {
            struct lines l = {texts[i], 0, width, &m};
            int n = ui_wrap(ui, UI_FONT_REGULAR, 10, texts[i], width, check_line, &l);
            assert_true(n > 0);
            while (texts[i][l.at] == ' ')
                l.at++;
            assert_int_equal(texts[i][l.at], '\0'); /* all of it, once */
        }
    }
    ui_free(ui);
}

/* A long paragraph at a wide line: the bytes measured stay a small
 * multiple of the text's (each word once, then each line and the line
 * with the next word), where growing prefixes measured each line about
 * as many times as it has words. */
static void test_wrap_measures_words_once(void **state)
{
    (void)state;
    static const char sentence[] = "Les initiatives de Sceaux pour une économie sociale et "
                                   "solidaire, près de chez vous et pour tous. ";
    char text[sizeof sentence * 40];
    size_t len = sizeof sentence - 1;
    for (int i = 0; i < 40; i++)
        memcpy(text + (size_t)i * len, sentence, len);
    text[40 * len] = '\0';
    struct font font = {0};
    struct ui_text_metrics m = {kerned_width, kerned_height, &font};
    struct ui *ui = ui_new(&m);
    int n = ui_wrap(ui, UI_FONT_REGULAR, 10, text, 120 * 5, NULL, NULL);
    assert_true(n >= 30);
    if (font.bytes > 4 * strlen(text))
        fail_msg("%zu bytes measured for a text of %zu", font.bytes, strlen(text));
    ui_free(ui);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_follows_the_rule),
        cmocka_unit_test(test_wrap_measures_words_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
