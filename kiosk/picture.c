/* picture: the cache of picture textures and its decoding thread (see
 * picture.h). Entries are a small table searched in order: a screen
 * shows a few dozen pictures at most. */
#include "picture.h"

#include <SDL.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "picture_decode.h"
#include "sha256.h"
#include "xalloc.h"

#define PICTURE_ENTRIES 192
#define PICTURE_LOGGED 64 /* files whose failure was logged */
#define PICTURE_LOOK_MS 250

struct entry {
    char key[PICTURE_KEY_MAX]; /* "" when the slot is free */
    char sha[SHA256_HEX_LEN + 1];
    int w, h;
    bool whole;
    enum picture_state state;
    SDL_Texture *tex;
    int tw, th;
    size_t bytes;
    unsigned long used; /* tick of the last want */
    unsigned long gen;  /* folder generation when the file was looked for */
};

/* A decode for the worker: what to read, and what came of it. */
struct job {
    struct job *next;
    char key[PICTURE_KEY_MAX];
    char *path; /* owned */
    int w, h;
    bool whole;
    SDL_Surface *out; /* owned until handed to a texture */
    enum err rc;
    char why[200];
};

struct pictures {
    SDL_Renderer *sdl;
    char *dir;
    size_t budget, bytes;
    struct entry e[PICTURE_ENTRIES];
    unsigned long tick, frame_mark, gen;
    uint64_t looked_ms;
    struct timespec dir_mtime;
    unsigned long decoded, failed;
    char logged[PICTURE_LOGGED][SHA256_HEX_LEN + 1];
    int nlogged;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu; /* guards the fields below */
    pthread_cond_t cv;
    bool stop;
    struct job *todo, *done;
};

void picture_key(const char *sha, int w, int h, bool whole, char *key)
{
    snprintf(key, PICTURE_KEY_MAX, "%.64s/%dx%d/%c", sha, w, h, whole ? 'w' : 'c');
}

/* The whole file, at most PICTURE_FILE_MAX bytes, into *data (new). */
static enum err read_file(const char *path, uint8_t **data, size_t *len, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "cannot read the file");
        if (fd >= 0)
            close(fd);
        return ERR_IO;
    }
    if ((uint64_t)st.st_size > PICTURE_FILE_MAX) {
        snprintf(why, whylen, "%lld bytes, over the limit of %u", (long long)st.st_size,
                 PICTURE_FILE_MAX);
        close(fd);
        return ERR_TOO_BIG;
    }
    size_t n = (size_t)st.st_size, got = 0;
    uint8_t *buf = xmalloc(n ? n : 1);
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    *data = buf;
    *len = got; /* a file cut while read is judged by the decoder */
    return ERR_OK;
}

static void run_job(struct job *j)
{
    uint8_t *data = NULL;
    size_t len = 0;
    j->rc = read_file(j->path, &data, &len, j->why, sizeof j->why);
    if (j->rc == ERR_OK)
        j->rc = picture_decode(data, len, j->w, j->h, j->whole, &j->out, j->why, sizeof j->why);
    free(data);
}

static void *worker(void *arg)
{
    struct pictures *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !p->todo)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop)
            break;
        struct job *j = p->todo;
        p->todo = j->next;
        pthread_mutex_unlock(&p->mu);
        run_job(j);
        pthread_mutex_lock(&p->mu);
        j->next = p->done;
        p->done = j;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

enum err pictures_new(SDL_Renderer *sdl, const char *dir, size_t budget, struct pictures **out,
                      char *why, size_t whylen)
{
    *out = NULL;
    enum err rc = picture_decode_init(why, whylen);
    if (rc)
        return rc;
    struct pictures *p = xcalloc(1, sizeof *p);
    p->sdl = sdl;
    p->dir = xstrdup(dir);
    p->budget = budget;
    p->gen = 1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        snprintf(why, whylen, "cannot start the picture thread");
        pictures_free(p);
        return ERR_IO;
    }
    p->started = true;
    *out = p;
    return ERR_OK;
}

static void jobs_free(struct job *j)
{
    while (j) {
        struct job *next = j->next;
        SDL_FreeSurface(j->out);
        free(j->path);
        free(j);
        j = next;
    }
}

void pictures_free(struct pictures *p)
{
    if (!p)
        return;
    if (p->started) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
    }
    jobs_free(p->todo);
    jobs_free(p->done);
    for (int i = 0; i < PICTURE_ENTRIES; i++)
        SDL_DestroyTexture(p->e[i].tex);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->dir);
    free(p);
}

static struct entry *find(struct pictures *p, const char *key)
{
    for (int i = 0; i < PICTURE_ENTRIES; i++)
        if (p->e[i].key[0] && strcmp(p->e[i].key, key) == 0)
            return &p->e[i];
    return NULL;
}

/* Drops an entry's texture; the entry looks for its file again. */
static void unload(struct pictures *p, struct entry *e)
{
    SDL_DestroyTexture(e->tex);
    e->tex = NULL;
    p->bytes -= e->bytes;
    e->bytes = 0;
    e->state = PICTURE_ABSENT;
    e->gen = 0;
}

/* The least recently wanted entry not drawn in the current frame and not
 * being decoded; with_texture: only one holding a texture. */
static struct entry *oldest(struct pictures *p, bool with_texture)
{
    struct entry *best = NULL;
    for (int i = 0; i < PICTURE_ENTRIES; i++) {
        struct entry *e = &p->e[i];
        if (!e->key[0] || e->state == PICTURE_LOADING || e->used > p->frame_mark)
            continue;
        if (with_texture && !e->tex)
            continue;
        if (!best || e->used < best->used)
            best = e;
    }
    return best;
}

static void make_room(struct pictures *p, size_t need)
{
    while (p->bytes + need > p->budget) {
        struct entry *e = oldest(p, true);
        if (!e)
            return; /* all on screen: over the budget while they show */
        unload(p, e);
    }
}

static void log_once(struct pictures *p, const char *sha, const char *why)
{
    for (int i = 0; i < p->nlogged; i++)
        if (strcmp(p->logged[i], sha) == 0)
            return;
    log_error("cannot show picture '%s': %s", sha, why);
    snprintf(p->logged[p->nlogged % PICTURE_LOGGED], sizeof p->logged[0], "%s", sha);
    if (p->nlogged < PICTURE_LOGGED)
        p->nlogged++;
}

static void finish(struct pictures *p, struct job *j)
{
    struct entry *e = find(p, j->key);
    p->decoded++;
    if (!e)
        return;
    p->bytes -= e->bytes; /* the reservation enqueue made, for the real size */
    e->bytes = 0;
    if (j->rc == ERR_OK) {
        size_t bytes = (size_t)j->out->w * (size_t)j->out->h * 4;
        make_room(p, bytes);
        e->tex = SDL_CreateTextureFromSurface(p->sdl, j->out);
        SDL_FreeSurface(j->out); /* the texture holds the pixels now */
        j->out = NULL;
        if (e->tex) {
            SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_NONE);
            SDL_QueryTexture(e->tex, NULL, NULL, &e->tw, &e->th);
            e->bytes = bytes;
            p->bytes += bytes;
            e->state = PICTURE_READY;
            return;
        }
        snprintf(j->why, sizeof j->why, "cannot make a texture: %s", SDL_GetError());
    }
    p->failed++;
    e->state = PICTURE_FAILED;
    log_once(p, e->sha, j->why);
}

/* The folder's modification time moves when syncd renames a picture in
 * or evicts one: entries without a texture look again. */
static bool look(struct pictures *p, uint64_t ms)
{
    if (p->looked_ms && ms - p->looked_ms < PICTURE_LOOK_MS)
        return false;
    p->looked_ms = ms;
    struct stat st;
    struct timespec t = {0, 0};
    if (stat(p->dir, &st) == 0)
        t = st.st_mtim;
    if (t.tv_sec == p->dir_mtime.tv_sec && t.tv_nsec == p->dir_mtime.tv_nsec)
        return false;
    p->dir_mtime = t;
    p->gen++;
    return true;
}

bool pictures_poll(struct pictures *p, uint64_t ms)
{
    if (!p)
        return false;
    pthread_mutex_lock(&p->mu);
    struct job *done = p->done;
    p->done = NULL;
    pthread_mutex_unlock(&p->mu);
    bool need = done != NULL;
    for (struct job *j = done; j; j = j->next) {
        finish(p, j);
    }
    jobs_free(done);
    return look(p, ms) || need;
}

void pictures_frame(struct pictures *p)
{
    if (p)
        p->frame_mark = p->tick;
}

static struct entry *slot(struct pictures *p)
{
    for (int i = 0; i < PICTURE_ENTRIES; i++)
        if (!p->e[i].key[0])
            return &p->e[i];
    struct entry *e = oldest(p, false);
    if (e) {
        unload(p, e);
        e->key[0] = '\0';
    }
    return e;
}

static void enqueue(struct pictures *p, struct entry *e)
{
    struct job *j = xcalloc(1, sizeof *j);
    snprintf(j->key, sizeof j->key, "%s", e->key);
    size_t n = strlen(p->dir) + SHA256_HEX_LEN + 2;
    j->path = xmalloc(n);
    snprintf(j->path, n, "%s/%s", p->dir, e->sha);
    j->w = e->w;
    j->h = e->h;
    j->whole = e->whole;
    /* Its texture's bytes are in the budget from now on: older textures
     * go before the decode rather than after it, so that the pixels being
     * decoded and scaled are not held on top of a full cache (the kiosk's
     * peak memory). */
    e->bytes = (size_t)e->w * (size_t)e->h * 4;
    make_room(p, e->bytes);
    p->bytes += e->bytes;
    pthread_mutex_lock(&p->mu);
    j->next = p->todo;
    p->todo = j; /* the latest asked first: what the screen shows now */
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    e->state = PICTURE_LOADING;
}

enum picture_state pictures_want(struct pictures *p, const char *sha, int w, int h, bool whole)
{
    if (!p || !sha256_hex_valid(sha) || w < 1 || h < 1 || w > PICTURE_SIDE_MAX ||
        h > PICTURE_SIDE_MAX)
        return PICTURE_ABSENT;
    char key[PICTURE_KEY_MAX];
    picture_key(sha, w, h, whole, key);
    struct entry *e = find(p, key);
    if (!e) {
        e = slot(p);
        if (!e)
            return PICTURE_ABSENT;
        *e = (struct entry){.w = w, .h = h, .whole = whole};
        snprintf(e->key, sizeof e->key, "%s", key);
        snprintf(e->sha, sizeof e->sha, "%s", sha);
    }
    e->used = ++p->tick;
    if ((e->state == PICTURE_ABSENT || e->state == PICTURE_FAILED) && e->gen != p->gen) {
        e->gen = p->gen;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", p->dir, sha);
        if (stat(path, &st) == 0)
            enqueue(p, e);
    }
    return e->state;
}

SDL_Texture *pictures_texture(struct pictures *p, const char *key, int *w, int *h)
{
    struct entry *e = p ? find(p, key) : NULL;
    if (!e || e->state != PICTURE_READY)
        return NULL;
    *w = e->tw;
    *h = e->th;
    return e->tex;
}

void pictures_stats(const struct pictures *p, struct pictures_stats *out)
{
    *out = (struct pictures_stats){0, 0, 0};
    if (p)
        *out = (struct pictures_stats){p->bytes, p->decoded, p->failed};
}
