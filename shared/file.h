/* file: a file written whole or not at all, for the folders of pictures
 * (the hub's blob store, syncd's picture cache).
 *
 * file_put writes a temporary file beside the final one (named
 * FILE_TMP_PREFIX and a random id), syncs it, renames it over the final
 * name and syncs the folder, so a crash leaves the old file or the new
 * one, never part of one; what a crash leaves under a temporary name is
 * for the folder's owner to remove (file_is_tmp). */
#ifndef SCEAUX_FILE_H
#define SCEAUX_FILE_H
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define FILE_TMP_PREFIX ".tmp-"

/* data into name inside the open folder dir. ERR_IO with errno set, and
 * no temporary file left; ERR_IO also when only the folder's sync failed
 * (the file is in place, its name may not survive a power cut). */
MUST_USE enum err file_put(int dir, const char *name, const void *data, size_t len);

/* The same in steps, for a file written as it arrives (syncd's
 * downloads): file_tmp_open makes a new temporary file in dir, its name
 * into tmp, and answers its descriptor (-1, errno set); file_write_all
 * writes to it; file_tmp_commit closes fd and, when ok (false: give up),
 * syncs it and renames it to name, as file_put; the temporary file is
 * removed whenever it is not renamed. file_tmp_abort closes and removes
 * it (errno kept). */
#define FILE_TMP_MAX 64
MUST_USE int file_tmp_open(int dir, char tmp[FILE_TMP_MAX]);
MUST_USE bool file_write_all(int fd, const void *data, size_t len);
MUST_USE enum err file_tmp_commit(int dir, int fd, const char *tmp, const char *name, bool ok);
void file_tmp_abort(int dir, int fd, const char *tmp);

/* Whether name is one of file_put's temporary files. */
bool file_is_tmp(const char *name);

#endif
