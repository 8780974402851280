/* piccache: the pictures rows name, fetched into a folder the kiosk reads.
 *
 * The folder (by default the replica's path with ".pictures" added) holds
 * one file per picture, named by the SHA-256 of its bytes (sha256.h), as
 * the hub names them (docs/protocol.md, "Pictures"). A round lists the
 * pictures the replica's rows name (newest rows first), fetches those the
 * folder lacks from GET /v1/blobs, checks that the bytes hash to their
 * name (a mismatch is refused and logged, nothing kept). A download is
 * written as it arrives into a temporary file of the folder (syncd holds
 * no picture in memory), hashed on the way, and only when its bytes match
 * its name synced and renamed into place, then the folder synced: a crash
 * or a SIGKILL leaves a picture whole or absent, never half written under
 * its name (temporary files are removed at the next round). While it
 * downloads, a picture may take the folder past its cap by its size. The folder stays under a byte
 * cap (plan_evict): pictures no row names go first, least recently used (read by the kiosk or
 * written) first; a picture that would push out one rows still name is not fetched. Rounds run on
 * their own thread (run.c), so rows never wait for a picture. */
#ifndef SCEAUX_SYNCD_PICCACHE_H
#define SCEAUX_SYNCD_PICCACHE_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "net.h"
#include "replica.h"

#define PICCACHE_DEFAULT_MB 256 /* the cap when none is given */

struct piccache_stats {
    size_t fetched; /* written into the folder */
    size_t refused; /* bytes that did not match their name, or the hub had none */
    size_t no_room; /* not fetched: the cap is full of pictures rows name */
    size_t evicted; /* removed to stay under the cap */
};

/* One round over the folder dir (created when missing) with a cap of cap
 * bytes; stops early when *stop is set. ERR_OK when every picture named
 * is there or has no room; otherwise the first failure's code (ERR_NET
 * when the hub could not be reached) and why: the caller backs off and
 * runs it again. */
MUST_USE enum err piccache_round(struct replica *rep, struct net *net, const char *dir,
                                 uint64_t cap, const atomic_int *stop, struct piccache_stats *st,
                                 char *why, size_t whylen);

#endif
