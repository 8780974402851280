/* Unit tests of id: random bytes, new ids and the protocol's id syntax. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "id.h"

static void random_fills_large_requests(void **state)
{
    (void)state;
    /* Over getrandom()'s 256-byte unsplit size and odd-sized, so short
     * reads and the loop are exercised. A run of 64 zero bytes at the end
     * has odds of 2^-512 of being the kernel's choice. */
    static unsigned char big[100003];
    memset(big, 0, sizeof big);
    assert_int_equal(id_random(big, sizeof big), ERR_OK);
    int nonzero = 0;
    for (size_t i = sizeof big - 64; i < sizeof big; i++)
        nonzero |= big[i];
    assert_true(nonzero);
    assert_int_equal(id_random(big, 0), ERR_OK);
}

static void new_ids_are_32_lower_hex_and_distinct(void **state)
{
    (void)state;
    enum { N = 1000 };
    static char ids[N][ID_NEW_LEN + 1];
    for (int i = 0; i < N; i++) {
        assert_int_equal(id_new(ids[i]), ERR_OK);
        assert_int_equal(strlen(ids[i]), ID_NEW_LEN);
        assert_int_equal(strspn(ids[i], "0123456789abcdef"), ID_NEW_LEN);
        assert_true(id_valid(ids[i]));
    }
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            assert_string_not_equal(ids[i], ids[j]);
}

static void valid_ids(void **state)
{
    (void)state;
    static const char *ok[] = {
        "a",
        "Z",
        "0",
        "room-1",
        "site.Sceaux_centre:42",
        "-._:",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", /* 64 */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_true(id_valid(ok[i]));
}

static void invalid_ids(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", /* 65 */
        "a b",  " a",
        "a\n",  "a/b",
        "a+b",  "caf\xc3\xa9",
        "a\"b", "id;drop",
        "\x7f",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(id_valid(bad[i]));
    assert_false(id_valid(NULL));
}

static void every_byte_once(void **state)
{
    (void)state;
    char s[2] = {0, 0};
    int n = 0;
    for (int c = 1; c < 256; c++) {
        s[0] = (char)c;
        if (id_valid(s))
            n++;
    }
    assert_int_equal(n, 26 + 26 + 10 + 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_fills_large_requests),
        cmocka_unit_test(new_ids_are_32_lower_hex_and_distinct),
        cmocka_unit_test(valid_ids),
        cmocka_unit_test(invalid_ids),
        cmocka_unit_test(every_byte_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
