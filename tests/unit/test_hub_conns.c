/* Unit tests of the hub's connection deadlines (sync/hub/conns.c), on
 * socket pairs with the clock passed in: a connection past its deadline
 * is shut down (its peer reads the end), one being answered never is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../sync/hub/conns.h"
#include "xalloc.h"

/* True when the hub's side of the pair was shut down: the peer reads the
 * end of the stream instead of waiting. */
static bool peer_sees_end(int peer)
{
    char c;
    return recv(peer, &c, 1, MSG_DONTWAIT) == 0;
}

static void deadlines_by_phase(void **state)
{
    (void)state;
    struct conns c;
    conns_init(&c, 10000, 60000);
    int a[2], b[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
    size_t count = 0;
    struct conns_entry *ea = conns_open(&c, a[0], 1000, &count);
    struct conns_entry *eb = conns_open(&c, b[0], 1000, &count);
    assert_int_equal(count, 2);
    /* Headers due at 11000; b's are in at 5000, its body due at 65000. */
    conns_body(&c, eb, 5000);
    assert_int_equal(conns_reap(&c, 10999), 0);
    assert_false(peer_sees_end(a[1]));
    assert_int_equal(conns_reap(&c, 11000), 1);
    assert_true(peer_sees_end(a[1]));
    assert_false(peer_sees_end(b[1]));
    /* Answered (or a long-poll parked): no deadline at all. */
    conns_answer(&c, eb);
    assert_int_equal(conns_reap(&c, 1000000), 0);
    /* Then idle on keep-alive: the next headers are due header_ms later. */
    conns_idle(&c, eb, 1000000);
    assert_int_equal(conns_reap(&c, 1009999), 0);
    assert_int_equal(conns_reap(&c, 1010000), 1);
    assert_true(peer_sees_end(b[1]));
    /* Reaped once only. */
    assert_int_equal(conns_reap(&c, 2000000), 0);
    conns_close(&c, ea);
    conns_close(&c, eb);
    conns_release(&c);
    for (int i = 0; i < 2; i++) {
        close(a[i]);
        close(b[i]);
    }
}

int main(void)
{
    xalloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deadlines_by_phase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
