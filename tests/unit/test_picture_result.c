/* Unit tests of picture_result (shared/picture_result.h): the answers
 * sceaux-picture writes read back, and the answers a checker gone wrong
 * could write refused, each one field at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "picture_result.h"

/* parse TEXT: picture_result_parse() of the C string. */
static enum err parse(const char *text, size_t *body, struct picture_out *info,
                      struct picture_refusal *why)
{
    return picture_result_parse(text, strlen(text), body, info, why);
}

static void round_trips(void **state)
{
    (void)state;
    char line[PICTURE_LINE_MAX + 8];
    struct picture_out info = {"image/png", 1280, 7}, back;
    struct picture_refusal why, got;
    size_t n = picture_result_line(line, sizeof line, &info, NULL), body = 0;
    memcpy(line + n, "PIXELS", 7);
    assert_int_equal(parse(line, &body, &back, &got), ERR_OK);
    assert_int_equal(body, n);
    assert_string_equal(back.type, "image/png");
    assert_int_equal(back.width, 1280);
    assert_int_equal(back.height, 7);
    assert_int_equal(picture_refuse(&why, "polyglot", "the file is also a %s", "ZIP"), ERR_INVALID);
    picture_result_line(line, sizeof line, NULL, &why);
    assert_int_equal(parse(line, &body, &back, &got), ERR_INVALID);
    assert_string_equal(got.reason, "polyglot");
    assert_string_equal(got.message, "the file is also a ZIP");
}

static void long_message_cut(void **state)
{
    (void)state;
    struct picture_refusal why = {"malformed", ""}, got;
    memset(why.message, 'x', sizeof why.message - 1);
    why.message[sizeof why.message - 1] = '\0';
    char line[64];
    size_t n = picture_result_line(line, sizeof line, NULL, &why), body = 0;
    assert_int_equal(n, sizeof line - 1);
    assert_int_equal(line[n - 1], '\n');
    struct picture_out info;
    assert_int_equal(picture_result_parse(line, n, &body, &info, &got), ERR_INVALID);
    assert_string_equal(got.reason, "malformed");
}

static void nonsense_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "ok image/jpeg 10 10",     /* no end of line */
        "ok image/gif 10 10\n",    /* a type the hub does not serve */
        "ok image/jpeg 1281 10\n", /* past PICTURE_SIDE */
        "ok image/jpeg 0 10\n",    /* no pixels */
        "ok image/jpeg -5 10\n",   /* negative */
        "ok image/jpeg 10\n",      /* a side missing */
        "ok image/jpeg  10 10\n",  /* two spaces */
        "ok image/jpeg 10 10 \n",  /* trailing */
        "refused bogus the reason is made up\n",
        "refused malformed\n", /* no message */
        "refused malformed bell \a here\n",
        "refused malformed \xc3\xa9t\xc3\xa9\n", /* not ASCII: the log and JSON take no bytes */
        "maybe image/jpeg 10 10\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t body = 0;
        struct picture_out info;
        struct picture_refusal why;
        assert_int_equal(parse(bad[i], &body, &info, &why), ERR_NET);
        assert_null(why.reason);
        assert_true(strlen(why.message) > 0);
    }
    char nul[] = "refused malformed a\0b\n";
    size_t body = 0;
    struct picture_out info;
    struct picture_refusal why;
    assert_int_equal(picture_result_parse(nul, sizeof nul - 1, &body, &info, &why), ERR_NET);
    char longline[PICTURE_LINE_MAX + 10];
    memset(longline, 'a', sizeof longline);
    longline[sizeof longline - 1] = '\n';
    assert_int_equal(picture_result_parse(longline, sizeof longline, &body, &info, &why), ERR_NET);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips),
        cmocka_unit_test(long_message_cut),
        cmocka_unit_test(nonsense_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
