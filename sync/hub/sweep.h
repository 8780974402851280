/* sweep: the periodic sweeps of `sceaux-hub serve`: bookings past
 * --holder-days (their holders' names) and help offers past --offer-days
 * are deleted as a push would, then the delete tombstones past
 * --tombstone-days are purged; at start and every --sweep-every seconds.
 *
 * On a database several hubs share, one hub at a time runs them: each
 * round asks the store whose turn it is (store_sweep_turn), and a hub
 * that is not the one skips the round. The log says when the turn moves.
 * Called from the main thread only. */
#ifndef SCEAUX_HUB_SWEEP_H
#define SCEAUX_HUB_SWEEP_H
#include <stdbool.h>

#include "http.h"
#include "store.h"

/* How long the hub keeps what it erases (days), and its turn. */
struct sweep {
    long holders, offers, tombstones;
    bool mine; /* this hub ran the last round it tried (true at first) */
};

/* One round: erases and purges when it is this hub's turn, logs what
 * went, and answers the long-polls (hub_http_notify) when anything did. */
void sweep_round(struct sweep *sw, struct store *s, struct hub_http *h);

#endif
