/* font: font files opened once, their faces read through pread (font.h). */
#include "font.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

enum err font_file_open(const char *path, struct font_file *out, char *errbuf, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(errbuf, errlen, "cannot open font '%s': %s", path, strerror(errno));
        return ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        snprintf(errbuf, errlen, "cannot open font '%s': not a font file", path);
        close(fd);
        return ERR_IO;
    }
    *out = (struct font_file){fd, (Sint64)st.st_size};
    return ERR_OK;
}

#define STREAM_BUF 4096

/* FreeType reads a face in many small pieces (table directory, headers,
 * a glyph's outline): they come from one block read ahead. */
struct font_stream {
    const struct font_file *file; /* borrowed: render's */
    Sint64 pos;
    Sint64 buf_at; /* the file offset of buf[0] */
    size_t buf_len;
    unsigned char buf[STREAM_BUF];
};

static Sint64 stream_size(SDL_RWops *rw)
{
    const struct font_stream *s = rw->hidden.unknown.data1;
    return s->file->size;
}

static Sint64 stream_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
    struct font_stream *s = rw->hidden.unknown.data1;
    Sint64 base = whence == RW_SEEK_SET ? 0 : whence == RW_SEEK_CUR ? s->pos : s->file->size;
    if ((whence != RW_SEEK_SET && whence != RW_SEEK_CUR && whence != RW_SEEK_END) ||
        base + offset < 0)
        return SDL_SetError("bad seek in a font");
    s->pos = base + offset;
    return s->pos;
}

static size_t pread_all(int fd, unsigned char *to, size_t want, Sint64 at)
{
    size_t got = 0;
    while (got < want) {
        ssize_t r = pread(fd, to + got, want - got, (off_t)(at + (Sint64)got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static size_t stream_read(SDL_RWops *rw, void *ptr, size_t size, size_t n)
{
    struct font_stream *s = rw->hidden.unknown.data1;
    if (size == 0 || n > SIZE_MAX / size)
        return 0;
    size_t want = size * n, got;
    bool in_buf = s->pos >= s->buf_at && s->pos - s->buf_at + (Sint64)want <= (Sint64)s->buf_len;
    if (!in_buf && want < STREAM_BUF) {
        s->buf_at = s->pos;
        s->buf_len = pread_all(s->file->fd, s->buf, STREAM_BUF, s->pos);
        in_buf = (Sint64)want <= (Sint64)s->buf_len;
    }
    if (in_buf) {
        memcpy(ptr, s->buf + (s->pos - s->buf_at), want);
        got = want;
    } else {
        got = pread_all(s->file->fd, ptr, want, s->pos);
    }
    s->pos += (Sint64)got;
    return got / size;
}

static size_t stream_write(SDL_RWops *rw, const void *ptr, size_t size, size_t n)
{
    (void)rw;
    (void)ptr;
    (void)size;
    (void)n;
    SDL_SetError("a font is read-only");
    return 0;
}

static int stream_close(SDL_RWops *rw)
{
    free(rw->hidden.unknown.data1);
    SDL_FreeRW(rw);
    return 0;
}

/* A face of the file at size; SDL_ttf closes its stream with it. */
TTF_Font *font_open(const struct font_file *file, int size)
{
    SDL_RWops *rw = SDL_AllocRW();
    if (!rw)
        return NULL;
    struct font_stream *s = xcalloc(1, sizeof *s);
    s->file = file;
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->size = stream_size;
    rw->seek = stream_seek;
    rw->read = stream_read;
    rw->write = stream_write;
    rw->close = stream_close;
    rw->hidden.unknown.data1 = s;
    return TTF_OpenFontRW(rw, 1, size);
}

void font_file_close(struct font_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}
