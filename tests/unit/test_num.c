/* Unit tests of num: what a command line may write as a number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>

#include "num.h"

static void accepted(void **state)
{
    (void)state;
    long v = 0;
    assert_true(num_parse("42", 1, 100, &v));
    assert_int_equal(v, 42);
    assert_true(num_parse("1", 1, 100, &v));
    assert_int_equal(v, 1);
    assert_true(num_parse("100", 1, 100, &v));
    assert_int_equal(v, 100);
    assert_true(num_parse("-5", -10, 10, &v));
    assert_int_equal(v, -5);
}

static void refused_and_untouched(void **state)
{
    (void)state;
    static const char *const bad[] = {"",  " 4",  "4 ", "4x", "0x10", "1e3",
                                      "0", "101", "-1", "+",  "4.0",  "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        long v = 7;
        assert_false(num_parse(bad[i], 1, 100, &v));
        assert_int_equal(v, 7);
    }
    long v = 7;
    assert_false(num_parse("9223372036854775808", LONG_MIN, LONG_MAX, &v));
    assert_int_equal(v, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepted),
        cmocka_unit_test(refused_and_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
