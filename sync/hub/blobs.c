/* blobs: one file per picture, named by its SHA-256, written atomically.
 * Every access goes through the folder's descriptor (openat, renameat),
 * so a name is only ever looked up inside the folder. */
#include "blobs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "id.h"
#include "picture_scan.h"
#include "xalloc.h"

#define TMP_PREFIX ".tmp-"
#define TMP_STALE 3600 /* seconds after which a temporary file is a crash's leftover */

struct blobs {
    int dir; /* the folder, O_DIRECTORY */
};

char *blobs_default_dir(const char *db)
{
    return xasprintf("%s.blobs", db);
}

/* Temporary files older than TMP_STALE: a write that never finished. A
 * younger one may be another process's write in progress. */
static void remove_stale(struct blobs *b)
{
    int fd = dup(b->dir);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 &&
            fstatat(b->dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            now - st.st_mtime > TMP_STALE)
            unlinkat(b->dir, e->d_name, 0);
    }
    closedir(d);
}

enum err blobs_open(const char *dir, struct blobs **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(errbuf, errlen, "cannot create '%s': %s", dir, strerror(errno));
        return ERR_IO;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(errbuf, errlen, "cannot open '%s': %s", dir, strerror(errno));
        return ERR_IO;
    }
    struct blobs *b = xcalloc(1, sizeof *b);
    b->dir = fd;
    remove_stale(b);
    *out = b;
    return ERR_OK;
}

void blobs_close(struct blobs *b)
{
    if (!b)
        return;
    close(b->dir);
    free(b);
}

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

/* data into the temporary file tmp, synced to disk. */
static enum err write_tmp(struct blobs *b, const char *tmp, const void *data, size_t len)
{
    int fd = openat(b->dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return ERR_IO;
    bool ok = write_all(fd, data, len) && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) {
        saved = errno;
        ok = false;
    }
    errno = saved;
    return ok ? ERR_OK : ERR_IO;
}

enum err blobs_put(struct blobs *b, const void *data, size_t len, char name[SHA256_HEX_LEN + 1])
{
    sha256_hex(data, len, name);
    if (blobs_has(b, name))
        return ERR_OK;
    char rnd[ID_NEW_LEN + 1];
    enum err rc = id_new(rnd);
    if (rc)
        return rc;
    char tmp[sizeof TMP_PREFIX + ID_NEW_LEN];
    snprintf(tmp, sizeof tmp, TMP_PREFIX "%s", rnd);
    rc = write_tmp(b, tmp, data, len);
    if (rc == ERR_OK && renameat(b->dir, tmp, b->dir, name) != 0)
        rc = ERR_IO;
    /* The rename is durable once the folder is. */
    if (rc == ERR_OK && fsync(b->dir) != 0)
        rc = ERR_IO;
    if (rc) {
        int saved = errno;
        unlinkat(b->dir, tmp, 0);
        errno = saved;
    }
    return rc;
}

bool blobs_has(struct blobs *b, const char *name)
{
    struct stat st;
    return sha256_hex_valid(name) && fstatat(b->dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISREG(st.st_mode);
}

enum err blobs_get(struct blobs *b, const char *name, int *fd, uint64_t *size, const char **type)
{
    *fd = -1;
    if (!sha256_hex_valid(name))
        return ERR_INVALID;
    int f = openat(b->dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (f < 0)
        return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
    struct stat st;
    unsigned char head[8];
    ssize_t n = 0;
    if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode) || (n = pread(f, head, sizeof head, 0)) < 0) {
        close(f);
        return ERR_IO;
    }
    const char *t = picture_mime(picture_format_of(head, (size_t)n));
    *type = t ? t : "application/octet-stream";
    *size = (uint64_t)st.st_size;
    *fd = f;
    return ERR_OK;
}
