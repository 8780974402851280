/* Unit tests of the protocol's table description. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tables.h"

static void every_table_starts_with_id(void **state)
{
    (void)state;
    assert_int_equal(tables_count, 12);
    for (int i = 0; i < tables_count; i++) {
        assert_string_equal(tables_all[i].cols[0].name, "id");
        assert_int_equal(tables_all[i].cols[0].type, COL_ID);
    }
}

static void lookups(void **state)
{
    (void)state;
    const struct table *t = tables_find("booking");
    assert_non_null(t);
    assert_null(tables_find("bookings"));
    int i = tables_column_index(t, "cancel_code");
    assert_true(i > 0);
    assert_false(tables_column_public(&t->cols[i]));
    assert_true(tables_column_pushable(&t->cols[i]));
    i = tables_column_index(t, "cancel_hash");
    assert_false(tables_column_public(&t->cols[i]));
    assert_false(tables_column_pushable(&t->cols[i]));
    t = tables_find("initiative");
    i = tables_column_index(t, "supports");
    assert_true(tables_column_public(&t->cols[i]));
    assert_false(tables_column_pushable(&t->cols[i]));
    assert_int_equal(tables_column_index(t, "nope"), -1);
}

static void twelve_domains(void **state)
{
    (void)state;
    int n = 0;
    while (tables_domains[n])
        n++;
    assert_int_equal(n, 12);
    assert_true(tables_find("support")->flags & TABLE_HUB);
    /* Personal data for staff: on the hub, never in a replica. */
    assert_true(tables_find("help_offer")->flags & TABLE_STAFF);
    assert_false(tables_replicated(tables_find("help_offer")));
    assert_false(tables_replicated(tables_find("support")));
    assert_true(tables_replicated(tables_find("booking")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_table_starts_with_id),
        cmocka_unit_test(lookups),
        cmocka_unit_test(twelve_domains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
