/* Unit tests of ical: TEXT escaping, folding at 75 octets on character
 * boundaries (unfolding gives the line back), CRLF everywhere, UTC times,
 * the cap, values that could inject a property, and the vCard's contact
 * kinds. A small unfolder here reads the output back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ical.h"
#include "ts.h"

/* Every line ends in CRLF, is at most 75 octets and starts with no
 * partial UTF-8 character; returns the text unfolded (new string). */
static char *unfold_checked(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t o = 0;
    size_t i = 0;
    while (i < n) {
        const char *crlf = strstr(s + i, "\r\n");
        assert_non_null(crlf);
        size_t len = (size_t)(crlf - (s + i));
        assert_true(len <= ICAL_LINE_MAX);
        assert_null(memchr(s + i, '\n', len));
        assert_null(memchr(s + i, '\r', len));
        size_t from = i;
        if (s[i] == ' ') {
            assert_true(o > 0);
            from++;
        } else if (o > 0) {
            out[o++] = '\n';
        }
        assert_true(from == i + len || ((unsigned char)s[from] & 0xc0) != 0x80);
        memcpy(out + o, s + from, i + len - from);
        o += i + len - from;
        i += len + 2;
    }
    out[o] = '\0';
    return out;
}

static char *text_line(const char *name, const char *value)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(ical_text(&b, name, value), ERR_OK);
    char *u = unfold_checked(b.data, b.len);
    buf_release(&b);
    return u;
}

static void escapes_text(void **state)
{
    (void)state;
    char *u = text_line("SUMMARY", "Forum, ateliers; \\ et\r\nsuite\nfin\rici\ttab\x01");
    assert_string_equal(u, "SUMMARY:Forum\\, ateliers\\; \\\\ et\\nsuite\\nfin\\nici tab");
    free(u);
}

static void folds_long_lines_on_characters(void **state)
{
    (void)state;
    /* "é" is 2 octets, "€" 3: every offset of a cut is tried. */
    static const char *const units[] = {"a", "é", "€", "😀"};
    for (size_t k = 0; k < 4; k++) {
        for (size_t lead = 0; lead < 4; lead++) {
            char v[700];
            size_t n = lead;
            memset(v, 'x', lead);
            while (n + 4 < 600) {
                memcpy(v + n, units[k], strlen(units[k]));
                n += strlen(units[k]);
            }
            v[n] = '\0';
            char *u = text_line("DESCRIPTION", v);
            assert_int_equal(strncmp(u, "DESCRIPTION:", 12), 0);
            assert_string_equal(u + 12, v);
            free(u);
        }
    }
}

static void short_lines_are_not_folded(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    char v[76];
    memset(v, 'a', 75 - 8);
    v[75 - 8] = '\0';
    assert_int_equal(ical_text(&b, "SUMMARY", v), ERR_OK); /* 8 + 67 = 75 octets */
    assert_int_equal(b.len, 77);
    buf_release(&b);
}

static void times_are_utc(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(ts_parse("2026-12-01T09:05:07Z", &t), ERR_OK);
    struct buf b;
    buf_init(&b, 1024);
    assert_int_equal(ical_time(&b, "DTSTART", t), ERR_OK);
    assert_string_equal(b.data, "DTSTART:20261201T090507Z\r\n");
    buf_release(&b);
}

static void event_has_its_properties(void **state)
{
    (void)state;
    struct ical_event e = {"event",    "ev-1",
                           "Up Café",  "Mairie, salle 1",
                           NULL,       "https://example.org/a",
                           1764579600, 1764586800,
                           1764500000, "FREQ=MONTHLY;BYDAY=1SA;COUNT=6"};
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(ical_begin(&b, "Agenda"), ERR_OK);
    assert_int_equal(ical_event(&b, &e), ERR_OK);
    assert_int_equal(ical_end(&b), ERR_OK);
    char *u = unfold_checked(b.data, b.len);
    assert_string_equal(u, "BEGIN:VCALENDAR\nVERSION:2.0\n"
                           "PRODID:-//Ville de Sceaux//Sceaux kiosk//FR\n"
                           "METHOD:PUBLISH\nX-WR-CALNAME:Agenda\n"
                           "BEGIN:VEVENT\nUID:event-ev-1@" ICAL_UID_DOMAIN "\n"
                           "DTSTAMP:20251130T105320Z\nDTSTART:20251201T090000Z\n"
                           "DTEND:20251201T110000Z\nSUMMARY:Up Café\n"
                           "LOCATION:Mairie\\, salle 1\nURL:https://example.org/a\n"
                           "RRULE:FREQ=MONTHLY;BYDAY=1SA;COUNT=6\n"
                           "END:VEVENT\nEND:VCALENDAR");
    free(u);
    buf_release(&b);
}

/* A URL or an email with a line break in it would start a property of
 * its own: it is left out, or kept as escaped TEXT. */
static void raw_values_cannot_inject(void **state)
{
    (void)state;
    struct ical_event e = {"event", "x",
                           "a",     NULL,
                           NULL,    "https://a\r\nORGANIZER:evil",
                           0,       60,
                           0,       "FREQ=WEEKLY\r\nATTACH:evil"};
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(ical_event(&b, &e), ERR_OK);
    assert_null(strstr(b.data, "evil"));
    buf_reset(&b);
    struct ical_card c = {"Asso", "a@b.org\r\nTEL:1", "java\nscript:", NULL};
    assert_int_equal(ical_card(&b, &c), ERR_OK);
    assert_non_null(strstr(b.data, "NOTE:a@b.org\\nTEL:1\r\n"));
    assert_null(strstr(b.data, "URL"));
    buf_release(&b);
}

static void busy_says_nothing_but_busy(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(ical_busy(&b, "bk-1", 0, 3600, 0, "Occupé"), ERR_OK);
    char *u = unfold_checked(b.data, b.len);
    assert_string_equal(u, "BEGIN:VEVENT\nUID:busy-bk-1@" ICAL_UID_DOMAIN
                           "\nDTSTAMP:19700101T000000Z\nDTSTART:19700101T000000Z\n"
                           "DTEND:19700101T010000Z\nSUMMARY:Occupé\nTRANSP:OPAQUE\nEND:VEVENT");
    free(u);
    buf_release(&b);
}

static void card_contact_kinds(void **state)
{
    (void)state;
    static const struct {
        const char *contact, *line;
    } cases[] = {
        {"contact@amap-sceaux.example.org", "EMAIL:contact@amap-sceaux.example.org"},
        {"+33 1 41 13 33 00", "TEL:+33 1 41 13 33 00"},
        {"01.41.13.33.00", "TEL:01.41.13.33.00"},
        {"Par la délégation ESS, mairie", "NOTE:Par la délégation ESS\\, mairie"},
        {"écrire à a@b.org", "NOTE:écrire à a@b.org"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ical_card c = {"Sceaux; Valley", cases[i].contact, "https://example.org",
                              "122 rue Houdan, 92330 Sceaux"};
        struct buf b;
        buf_init(&b, 4096);
        assert_int_equal(ical_card(&b, &c), ERR_OK);
        char *u = unfold_checked(b.data, b.len);
        char want[512];
        snprintf(want, sizeof want,
                 "BEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:Sceaux\\; Valley\n"
                 "ORG:Sceaux\\; Valley\n%s\nADR:;;122 rue Houdan\\, 92330 Sceaux;;;;\n"
                 "URL:https://example.org\nEND:VCARD",
                 cases[i].line);
        assert_string_equal(u, want);
        free(u);
        buf_release(&b);
    }
}

static void cap_is_an_error(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 80);
    assert_int_equal(ical_begin(&b, NULL), ERR_OK);
    assert_int_equal(
        ical_event(&b, &(struct ical_event){"event", "x", "a", NULL, NULL, NULL, 0, 60, 0, NULL}),
        ERR_TOO_BIG);
    buf_release(&b);
}

static void fit_cuts_on_characters(void **state)
{
    (void)state;
    assert_int_equal(ical_fit("abc", 10), 3);
    assert_int_equal(ical_fit("aé", 2), 1); /* "é" is 2 octets: not cut */
    assert_int_equal(ical_fit("aé", 3), 3);
    assert_int_equal(ical_fit("€€", 5), 3);
    assert_int_equal(ical_fit("€", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_text),
        cmocka_unit_test(folds_long_lines_on_characters),
        cmocka_unit_test(short_lines_are_not_folded),
        cmocka_unit_test(times_are_utc),
        cmocka_unit_test(event_has_its_properties),
        cmocka_unit_test(raw_values_cannot_inject),
        cmocka_unit_test(busy_says_nothing_but_busy),
        cmocka_unit_test(card_contact_kinds),
        cmocka_unit_test(cap_is_an_error),
        cmocka_unit_test(fit_cuts_on_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
