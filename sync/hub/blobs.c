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

#include "file.h"
#include "picture_scan.h"
#include "xalloc.h"

#define TMP_STALE 3600 /* seconds after which a temporary file is a crash's leftover */

struct blobs {
    int dir; /* the folder, O_DIRECTORY */
};

char *blobs_default_dir(const char *db)
{
    return xasprintf("%s.blobs", db);
}

/* The folder's listing from its start (closedir it), or NULL with errno
 * set. From its start: a dup shares the offset an earlier listing left. */
static DIR *listing(const struct blobs *b)
{
    int fd = dup(b->dir);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d && fd >= 0)
        close(fd);
    if (d)
        rewinddir(d);
    return d;
}

/* Temporary files older than TMP_STALE: a write that never finished. A
 * younger one may be another process's write in progress. */
static void remove_stale(struct blobs *b)
{
    DIR *d = listing(b);
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (file_is_tmp(e->d_name) && fstatat(b->dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
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

enum err blobs_put(struct blobs *b, const void *data, size_t len, char name[SHA256_HEX_LEN + 1])
{
    sha256_hex(data, len, name);
    return blobs_has(b, name) ? ERR_OK : file_put(b->dir, name, data, len);
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

/* The picture `name` of from read whole into data (xmalloc'd), when its
 * bytes still hash to its name; ERR_INVALID when they do not. */
static enum err read_checked(const struct blobs *from, const char *name, char **data, size_t *len)
{
    int f = openat(from->dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (f < 0 || fstat(f, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > BLOBS_FILE_MAX) {
        if (f >= 0)
            close(f);
        return f < 0 ? ERR_IO : ERR_INVALID;
    }
    *len = (size_t)st.st_size;
    *data = xmalloc(*len ? *len : 1);
    ssize_t n = pread(f, *data, *len, 0);
    close(f);
    char got[SHA256_HEX_LEN + 1];
    if (n >= 0)
        sha256_hex(*data, (size_t)n, got);
    if (n < 0 || (size_t)n != *len || strcmp(got, name) != 0) {
        free(*data);
        return n < 0 ? ERR_IO : ERR_INVALID;
    }
    return ERR_OK;
}

/* One picture into to: a hard link when both folders share a file system
 * (a picture never changes under its name, so the link is as good as a
 * copy and costs no space), else a copy of bytes checked against it. */
static enum err copy_one(const struct blobs *from, struct blobs *to, const char *name)
{
    if (linkat(from->dir, name, to->dir, name, 0) == 0 || errno == EEXIST)
        return ERR_OK;
    if (errno != EXDEV && errno != EPERM && errno != EMLINK)
        return ERR_IO;
    char *data = NULL;
    size_t len = 0;
    enum err rc = read_checked(from, name, &data, &len);
    if (rc == ERR_OK) {
        rc = file_put(to->dir, name, data, len);
        free(data);
    }
    return rc;
}

enum err blobs_copy(const struct blobs *from, struct blobs *to, size_t *copied, size_t *bad)
{
    *copied = *bad = 0;
    DIR *d = listing(from);
    if (!d)
        return ERR_IO;
    enum err rc = ERR_OK;
    struct dirent *e;
    while (rc == ERR_OK && (e = readdir(d)) != NULL) {
        if (!sha256_hex_valid(e->d_name) || blobs_has(to, e->d_name))
            continue;
        rc = copy_one(from, to, e->d_name);
        if (rc == ERR_INVALID) {
            (*bad)++;
            rc = ERR_OK;
        } else if (rc == ERR_OK) {
            (*copied)++;
        }
    }
    int saved = errno;
    closedir(d);
    errno = saved;
    return rc;
}
