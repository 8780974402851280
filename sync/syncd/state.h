/* state: the daemon's status in the replica's sync_state, for the kiosk's
 * status bar (docs/architecture.md, "The replica"): online is 1 after a
 * successful exchange and 0 after a failed one, last_ok the time of the
 * last success, last_error "<time> <one-line reason>", fault the code
 * (fault.h) of the local fault met last until a write succeeds again
 * ("" when none: the kiosk's staff panel gives its advice from it), lag
 * the changes the hub has that this replica has not pulled yet (0 when
 * caught up). */
#ifndef SCEAUX_SYNCD_STATE_H
#define SCEAUX_SYNCD_STATE_H
#include <stdint.h>

#include "err.h"
#include "fault.h"
#include "replica.h"

/* What a failed write to the replica's database means to whoever must fix
 * it, to read right after the failure (before a rollback): "disk full
 * (SQLITE_FULL)", "read-only (SQLITE_READONLY)", the system error for a
 * failed write (ENOSPC, EROFS, EDQUOT, EFBIG), or err_str(rc). Static
 * storage or db's own. *fault is its code for the hub (fault.h):
 * FAULT_DISK_FULL, FAULT_READ_ONLY, or FAULT_NONE for anything else. */
const char *state_db_error(sqlite3 *db, enum err rc, enum fault *fault);

/* Each is one transaction; `now` is seconds since the epoch. Not MUST_USE:
 * the record is for the status bar, and the next exchange writes it again. */
enum err state_ok(struct replica *r, int64_t now);
/* fault: FAULT_NONE (a network failure, a bad answer) leaves the fault
 * known as it was; state_ok clears it. */
enum err state_fail(struct replica *r, int64_t now, const char *reason, enum fault fault);

#endif
