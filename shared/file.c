/* file: a file written whole or not at all (see file.h). */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "id.h"

static bool write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

enum err file_put(int dir, const char *name, const void *data, size_t len)
{
    char rnd[ID_NEW_LEN + 1];
    enum err rc = id_new(rnd);
    if (rc)
        return rc;
    char tmp[sizeof FILE_TMP_PREFIX + ID_NEW_LEN];
    snprintf(tmp, sizeof tmp, FILE_TMP_PREFIX "%s", rnd);
    int fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return ERR_IO;
    bool ok = write_all(fd, data, len) && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) {
        saved = errno;
        ok = false;
    }
    if (ok && renameat(dir, tmp, dir, name) != 0) {
        saved = errno;
        ok = false;
    }
    if (!ok)
        unlinkat(dir, tmp, 0);
    else if (fsync(dir) != 0) { /* the rename lasts once the folder is synced */
        saved = errno;
        ok = false;
    }
    errno = saved;
    return ok ? ERR_OK : ERR_IO;
}

bool file_is_tmp(const char *name)
{
    return strncmp(name, FILE_TMP_PREFIX, strlen(FILE_TMP_PREFIX)) == 0;
}
