/* piccache: one round of fetching pictures into the folder (see
 * piccache.h). */
#include "piccache.h"

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
#include "http.h"
#include "log.h"
#include "plan.h"
#include "sha256.h"
#include "xalloc.h"

/* The pictures rows the kiosk shows name, those of the newest rows first. */
static const char sql_wanted[] =
    "SELECT picture FROM ("
    " SELECT picture, seq FROM initiative WHERE picture IS NOT NULL AND published = 1"
    " UNION ALL SELECT picture, seq FROM organization WHERE picture IS NOT NULL"
    " UNION ALL SELECT picture, seq FROM event WHERE picture IS NOT NULL"
    " UNION ALL SELECT picture, seq FROM announcement WHERE picture IS NOT NULL)"
    " GROUP BY picture ORDER BY max(seq) DESC";

struct names {
    char **v; /* owned */
    size_t n;
};

static void names_free(struct names *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i]);
    free(w->v);
    w->v = NULL;
    w->n = 0;
}

static enum err wanted(struct replica *rep, struct names *w, char *why, size_t whylen)
{
    sqlite3 *db = replica_db(rep);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql_wanted, -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "cannot list pictures: %s", sqlite3_errmsg(db));
        return ERR_DB;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (!sha256_hex_valid(s))
            continue; /* the hub checks names; a replica written by hand may not */
        w->v = xrealloc(w->v, (w->n + 1) * sizeof *w->v);
        w->v[w->n++] = xstrdup(s);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(why, whylen, "cannot list pictures: %s", sqlite3_errmsg(db));
        return ERR_DB;
    }
    return ERR_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct files {
    struct plan_file *v;
    size_t n;
};

static void files_add(struct files *f, const char *name, uint64_t size, int64_t used)
{
    f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
    struct plan_file *p = &f->v[f->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->size = size;
    p->used = used;
}

/* The pictures in dir, with when each was last used (read or written);
 * removes what an interrupted write left (one syncd serves a replica:
 * no write is under way). */
static enum err scan(const char *dir, struct files *f, char *why, size_t whylen)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot create '%s': %s", dir, strerror(errno));
        return ERR_IO;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, whylen, "cannot open '%s': %s", dir, strerror(errno));
        return ERR_IO;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (file_is_tmp(e->d_name)) {
            unlinkat(dirfd(d), e->d_name, 0);
            continue;
        }
        if (!sha256_hex_valid(e->d_name) || fstatat(dirfd(d), e->d_name, &st, 0) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        int64_t used = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime;
        files_add(f, e->d_name, (uint64_t)st.st_size, used);
    }
    closedir(d);
    return ERR_OK;
}

static bool has(const struct files *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!f->v[i].drop && strcmp(f->v[i].name, name) == 0)
            return true;
    return false;
}

/* Deletes the files plan_evict marked, and forgets them. */
static void drop_marked(const char *dir, struct files *f, struct piccache_stats *st)
{
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (!f->v[i].drop) {
            f->v[k++] = f->v[i];
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, f->v[i].name);
        if (unlink(path) == 0 || errno == ENOENT)
            st->evicted++;
    }
    f->n = k;
}

/* A download under way: its temporary file in the folder, and the hash
 * and size of what has come so far. Written as it arrives, so syncd holds
 * no picture in memory, and a kill leaves only a temporary file. */
struct download {
    int dir, fd;
    char tmp[FILE_TMP_MAX];
    struct sha256 h;
    uint64_t n;
};

static bool to_file(void *ctx, const void *data, size_t len)
{
    struct download *d = ctx;
    if (d->n + len > HTTP_BODY_MAX) {
        errno = EFBIG;
        return false;
    }
    sha256_update(&d->h, data, len);
    d->n += len;
    return file_write_all(d->fd, data, len);
}

/* The bytes the hub sent for name in d's temporary file (dir's), checked
 * against it; d->fd is left open for keep() on ERR_OK, closed otherwise. */
static enum err fetch(struct net *net, int dir, const char *name, struct download *d,
                      struct piccache_stats *st, char *why, size_t whylen)
{
    *d = (struct download){.dir = dir};
    sha256_init(&d->h);
    d->fd = file_tmp_open(dir, d->tmp);
    if (d->fd < 0) {
        snprintf(why, whylen, "cannot write in the pictures' folder: %s", strerror(errno));
        return ERR_IO;
    }
    struct http_response resp;
    enum err rc = net_blob(net, name, to_file, d, &resp, why, whylen);
    http_response_release(&resp);
    if (rc == ERR_NOT_FOUND)
        st->refused++;
    char got[SHA256_HEX_LEN + 1] = "";
    if (rc == ERR_OK)
        sha256_final(&d->h, got);
    if (rc == ERR_OK && strcmp(got, name) != 0) {
        st->refused++;
        snprintf(why, whylen, "refused picture '%s': its %llu bytes hash to '%s'", name,
                 (unsigned long long)d->n, got);
        log_error("%s", why);
        rc = ERR_INVALID;
    }
    if (rc)
        file_tmp_abort(dir, d->fd, d->tmp);
    return rc;
}

/* Fetches name and keeps it when it fits. */
static enum err one(struct net *net, const char *dir, const char *name, uint64_t cap,
                    struct files *f, struct piccache_stats *st, char *why, size_t whylen)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(why, whylen, "cannot open '%s': %s", dir, strerror(errno));
        return ERR_IO;
    }
    struct download d;
    enum err rc = fetch(net, dfd, name, &d, st, why, whylen);
    bool fits = rc == ERR_OK && plan_evict(f->v, f->n, cap, d.n, false);
    if (rc == ERR_OK && !fits) {
        for (size_t i = 0; i < f->n; i++)
            f->v[i].drop = false; /* nothing goes for a picture that stays out */
        st->no_room++;
        file_tmp_abort(dfd, d.fd, d.tmp);
    } else if (rc == ERR_OK) {
        drop_marked(dir, f, st);
        rc = file_tmp_commit(dfd, d.fd, d.tmp, name, true);
        if (rc)
            snprintf(why, whylen, "cannot write '%s/%s': %s", dir, name, strerror(errno));
        else {
            files_add(f, name, d.n, (int64_t)time(NULL));
            f->v[f->n - 1].wanted = true;
            st->fetched++;
        }
    }
    close(dfd);
    return rc;
}

enum err piccache_round(struct replica *rep, struct net *net, const char *dir, uint64_t cap,
                        const atomic_int *stop, struct piccache_stats *st, char *why, size_t whylen)
{
    memset(st, 0, sizeof *st);
    struct names w = {NULL, 0};
    struct files f = {NULL, 0};
    enum err rc = wanted(rep, &w, why, whylen);
    if (rc == ERR_OK)
        rc = scan(dir, &f, why, whylen);
    if (rc == ERR_OK) {
        char **sorted = xmalloc((w.n ? w.n : 1) * sizeof *sorted);
        if (w.n)
            memcpy(sorted, w.v, w.n * sizeof *sorted);
        qsort(sorted, w.n, sizeof *sorted, cmp_str);
        for (size_t i = 0; i < f.n; i++) {
            char *key = f.v[i].name;
            f.v[i].wanted = bsearch(&key, sorted, w.n, sizeof *sorted, cmp_str) != NULL;
        }
        free(sorted);
        /* A cap lowered since the last run: even shown pictures go. */
        plan_evict(f.v, f.n, cap, 0, true);
        drop_marked(dir, &f, st);
    }
    enum err first = ERR_OK;
    char first_why[300] = "";
    for (size_t i = 0; rc == ERR_OK && i < w.n && !atomic_load(stop); i++) {
        if (has(&f, w.v[i]))
            continue;
        enum err r = one(net, dir, w.v[i], cap, &f, st, why, whylen);
        if (r && first == ERR_OK) {
            first = r;
            snprintf(first_why, sizeof first_why, "%s", why);
        }
        if (r == ERR_NET || r == ERR_IO)
            break; /* the hub is away, or the disk refuses: later */
    }
    if (rc == ERR_OK && first) {
        rc = first;
        snprintf(why, whylen, "%s", first_why);
    }
    names_free(&w);
    free(f.v);
    return rc;
}
