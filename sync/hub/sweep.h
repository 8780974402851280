/* sweep: the periodic sweeps of `sceaux-hub serve`: bookings past
 * --holder-days (their holders' names) and help offers past --offer-days
 * are deleted as a push would, then the delete tombstones past
 * --tombstone-days are purged; at start and every hour. Called from the
 * main thread only. */
#ifndef SCEAUX_HUB_SWEEP_H
#define SCEAUX_HUB_SWEEP_H
#include "http.h"
#include "store.h"

/* How long the hub keeps what it erases (days). */
struct sweep {
    long holders, offers, tombstones;
};

/* One round: erases and purges, logs what went, and answers the
 * long-polls (hub_http_notify) when anything did. */
void sweep_round(struct sweep *sw, struct store *s, struct hub_http *h);

#endif
