/* blobs: the hub's pictures on disk (docs/protocol.md, "Pictures").
 *
 * One folder (`serve --blobs DIR`, by default the database's path with
 * ".blobs" added), one file per picture, named by the SHA-256 of its bytes
 * (sha256.h). A file is written under a temporary name, synced and renamed
 * into place, then the folder is synced: a crash leaves the picture whole
 * or absent, never half written under its name. Names are content, so a
 * file never changes once there and two writers of the same picture write
 * the same bytes. Which bytes may be stored is the caller's business (the
 * upload check); this module stores and finds them. */
#ifndef SCEAUX_HUB_BLOBS_H
#define SCEAUX_HUB_BLOBS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "sha256.h"

struct blobs;

/* The default folder for the database at db: "<db>.blobs" (new). */
char *blobs_default_dir(const char *db);

/* Opens the folder dir, created (0755) when missing, and removes the
 * temporary files an interrupted write left there over an hour ago. On
 * error errbuf says why. */
MUST_USE enum err blobs_open(const char *dir, struct blobs **out, char *errbuf, size_t errlen);
void blobs_close(struct blobs *b);

/* Stores data[0..len) under its name, written into name; nothing is
 * written when the picture is already there. ERR_IO (errno set) when the
 * disk refuses. Safe from several threads and processes at once. */
MUST_USE enum err blobs_put(struct blobs *b, const void *data, size_t len,
                            char name[SHA256_HEX_LEN + 1]);

/* Opens the picture `name` for reading: *fd (owned: the caller closes
 * it), its size and its Content-Type (static, from its first bytes:
 * image/jpeg, image/png, else application/octet-stream). ERR_INVALID when
 * name is not a SHA-256 (sha256_hex_valid), ERR_NOT_FOUND when no such
 * picture is stored, ERR_IO otherwise. */
MUST_USE enum err blobs_get(struct blobs *b, const char *name, int *fd, uint64_t *size,
                            const char **type);

/* True when the picture `name` (a valid name) is stored. */
MUST_USE bool blobs_has(struct blobs *b, const char *name);

/* A picture file copied by blobs_copy is at most this big (the hub's
 * renditions are a few MB; `blob add` takes 64 MB files, not stored). */
#define BLOBS_FILE_MAX ((off_t)64 << 20)

/* Every picture of from that to lacks, into to: for a backup beside its
 * database copy, and back at a restore. Hard-linked when both share a
 * file system, else copied and checked against its name: a file whose
 * bytes no longer match it is left out and counted in *bad. *copied
 * counts what came in. ERR_IO (errno set) when a folder or the disk
 * refuses. */
MUST_USE enum err blobs_copy(const struct blobs *from, struct blobs *to, size_t *copied,
                             size_t *bad);

#endif
