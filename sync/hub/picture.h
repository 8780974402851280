/* picture: the one way a picture enters the hub, for uploads and
 * `sceaux-hub blob add` alike (docs/protocol.md, "Pictures").
 *
 * The check itself (sync/picture/picture.h: the structure scanned, then
 * libvips makes the one rendition stored, without metadata) runs in
 * sceaux-picture, a program of its own found next to the hub's
 * executable, started for each upload: an image decoder never runs
 * inside the server that holds every token, and the hub does not link
 * libvips at all. The child limits its own address space and CPU time;
 * the hub gives it `seconds` of wall time, then kills it by its pid. A
 * child that is killed, crashes or answers nonsense refuses the upload
 * as "check_failed"; no sceaux-picture (a build without libvips, `make
 * cross`) refuses it as "unsupported". The hub trusts nothing of the
 * answer: the rendition's structure, type and size are checked again
 * (picture_scan) before it is stored. */
#ifndef SCEAUX_HUB_PICTURE_H
#define SCEAUX_HUB_PICTURE_H
#include <stddef.h>

#include "blobs.h"
#include "err.h"
#include "picture_result.h"

#define PICTURE_PROGRAM "sceaux-picture"

struct picture_limits {
    unsigned seconds;    /* wall time the hub waits, CPU time the child may use */
    unsigned memory_mib; /* the child's address space */
};

#define PICTURE_LIMITS_DEFAULT ((struct picture_limits){10, 512})

/* The upload data[0..len) checked by sceaux-picture under lim, its
 * rendition stored in b (blobs_put()) and named in name. ERR_OK;
 * ERR_INVALID with why filled when the upload is refused; ERR_IO (errno
 * set) when the checker cannot be started or the disk refuses. Safe from
 * several threads. */
MUST_USE enum err picture_store(struct blobs *b, const struct picture_limits *lim, const void *data,
                                size_t len, char name[SHA256_HEX_LEN + 1], struct picture_out *info,
                                struct picture_refusal *why);

#endif
