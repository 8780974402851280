/* fault: what is wrong on a kiosk's own machine, as one short code from a
 * fixed set, so that the operator learns it (docs/protocol.md,
 * X-Sceaux-Fault).
 *
 * syncd names the fault it met writing its replica (sync/syncd/state.c)
 * and sends the code with its requests while the fault lasts; the hub
 * keeps only a code of this set, never a client's bytes, and the fleet
 * view shows it. A code is added here, in the console's words for it and
 * in docs/protocol.md; a hub that does not know it ignores it. */
#ifndef SCEAUX_FAULT_H
#define SCEAUX_FAULT_H

#include "err.h"

#define FAULT_HEADER "X-Sceaux-Fault"

enum fault {
    FAULT_NONE = 0,
    FAULT_DISK_FULL, /* "disk_full": no space (or quota) left under the replica */
    FAULT_READ_ONLY, /* "read_only": the replica's file or file system refuses writes */
};

/* The code of f ("disk_full", "read_only"); NULL for FAULT_NONE and for
 * anything out of range. Static storage. */
const char *fault_name(enum fault f);

/* The fault a header value names: exactly one of the codes (no case
 * folding, no spaces); FAULT_NONE for NULL and for anything else. */
MUST_USE enum fault fault_parse(const char *s);

#endif
