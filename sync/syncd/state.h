/* state: the daemon's status in the replica's sync_state, for the kiosk's
 * status bar (docs/architecture.md, "The replica"): online is 1 after a
 * successful exchange and 0 after a failed one, last_ok the time of the
 * last success, last_error "<time> <one-line reason>", lag the changes
 * the hub has that this replica has not pulled yet (0 when caught up). */
#ifndef SCEAUX_SYNCD_STATE_H
#define SCEAUX_SYNCD_STATE_H
#include <stdint.h>

#include "err.h"
#include "replica.h"

/* Each is one transaction; `now` is seconds since the epoch. Not MUST_USE:
 * the record is for the status bar, and the next exchange writes it again. */
enum err state_ok(struct replica *r, int64_t now);
enum err state_fail(struct replica *r, int64_t now, const char *reason);

#endif
