/* file: a file written whole or not at all (see file.h). */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "id.h"

bool file_write_all(int fd, const void *data, size_t len)
{
    const unsigned char *p = data;
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

int file_tmp_open(int dir, char tmp[FILE_TMP_MAX])
{
    char rnd[ID_NEW_LEN + 1];
    if (id_new(rnd))
        return -1;
    snprintf(tmp, FILE_TMP_MAX, FILE_TMP_PREFIX "%s", rnd);
    return openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

void file_tmp_abort(int dir, int fd, const char *tmp)
{
    int saved = errno;
    close(fd);
    unlinkat(dir, tmp, 0);
    errno = saved;
}

enum err file_tmp_commit(int dir, int fd, const char *tmp, const char *name, bool ok)
{
    ok = ok && fsync(fd) == 0;
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

enum err file_put(int dir, const char *name, const void *data, size_t len)
{
    char tmp[FILE_TMP_MAX];
    int fd = file_tmp_open(dir, tmp);
    if (fd < 0)
        return ERR_IO;
    return file_tmp_commit(dir, fd, tmp, name, file_write_all(fd, data, len));
}

bool file_is_tmp(const char *name)
{
    return strncmp(name, FILE_TMP_PREFIX, strlen(FILE_TMP_PREFIX)) == 0;
}
