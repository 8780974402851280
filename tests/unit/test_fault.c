/* Unit tests of the fault codes: the hub's check of an X-Sceaux-Fault
 * value takes exactly the codes of the set and nothing else, and each
 * code reads back as itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fault.h"

static void codes_round_trip(void **state)
{
    (void)state;
    assert_null(fault_name(FAULT_NONE));
    assert_string_equal(fault_name(FAULT_DISK_FULL), "disk_full");
    assert_string_equal(fault_name(FAULT_READ_ONLY), "read_only");
    assert_null(fault_name((enum fault)99));
    assert_null(fault_name((enum fault)-1));
    for (enum fault f = FAULT_DISK_FULL; f <= FAULT_READ_ONLY; f++)
        assert_int_equal(fault_parse(fault_name(f)), f);
}

/* Whatever a client sends that is not exactly a code is no fault: the
 * hub stores a code of its own, never these bytes. */
static void header_check(void **state)
{
    (void)state;
    const char *other[] = {
        "",           "disk",          "DISK_FULL",    "Disk_full",     " disk_full",
        "disk_full ", "disk_full\t",   "disk_full,read_only",        "disk_fullx",
        "read-only",  "none",          "io_error",     "<script>",      "disk_full\r\nX: y",
        "\xc3\xa9",   "disk\xc2\xa0" "full",
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        assert_int_equal(fault_parse(other[i]), FAULT_NONE);
    assert_int_equal(fault_parse(NULL), FAULT_NONE);
    assert_int_equal(fault_parse("disk_full"), FAULT_DISK_FULL);
    assert_int_equal(fault_parse("read_only"), FAULT_READ_ONLY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_round_trip),
        cmocka_unit_test(header_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
