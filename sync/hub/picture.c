/* picture: uploads checked by sceaux-picture in a child process, their
 * renditions stored; see picture.h. */
#include "picture.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "picture_scan.h"
#include "ts.h"

extern char **environ;

/* What the hub keeps of the child's standard error, for its log: the
 * first lines of a complaint or of a sanitizer's report. */
#define SAID_MAX 4096

struct child {
    pid_t pid;
    int in, out, err, pidfd; /* -1 once closed */
    long long deadline;      /* CLOCK_MONOTONIC, ms */
    char said[SAID_MAX];
    size_t nsaid;
};

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* sceaux-picture beside the running executable (the hub, or a tool of
 * the same build). ERR_NOT_FOUND when it is not there. */
static enum err program(char *path, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return ERR_IO;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash ||
        snprintf(path, cap, "%.*s/%s", (int)(slash - exe), exe, PICTURE_PROGRAM) >= (int)cap) {
        errno = ENAMETOOLONG;
        return ERR_IO;
    }
    return access(path, X_OK) == 0 ? ERR_OK : ERR_NOT_FOUND;
}

/* The child's status, killed first (SIGKILL, by its pid) when it is
 * still running; it is not reaped before, so the pid is still its own. */
static int reap(struct child *c, bool kill_it)
{
    if (kill_it)
        kill(c->pid, SIGKILL);
    int status = 0;
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    close_fd(&c->in);
    close_fd(&c->out);
    close_fd(&c->err);
    close_fd(&c->pidfd);
    if (c->nsaid)
        log_info("%s said: %.*s", PICTURE_PROGRAM, (int)c->nsaid, c->said);
    return status;
}

/* Three pipes, for the child's standard input, output and error. */
static enum err pipes(int p[3][2])
{
    for (int i = 0; i < 3; i++)
        if (pipe2(p[i], O_CLOEXEC)) {
            while (i-- > 0) {
                close(p[i][0]);
                close(p[i][1]);
            }
            return ERR_IO;
        }
    return ERR_OK;
}

/* The child started with pipes on its standard input, output and error
 * (it may write no file: its messages come to the hub's log through it)
 * and no other descriptor of the hub's (no socket, no database). */
static enum err spawn(const char *path, const struct picture_limits *lim, struct child *c)
{
    int p[3][2];
    if (pipes(p))
        return ERR_IO;
    char mib[16], secs[16];
    snprintf(mib, sizeof mib, "%u", lim->memory_mib);
    snprintf(secs, sizeof secs, "%u", lim->seconds);
    char *argv[] = {(char *)path, "--memory-mib", mib, "--seconds", secs, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* Nothing of the hub's signal state: its threads block SIGTERM and
     * the like, and it ignores SIGPIPE, which an exec keeps. */
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t none, sigpipe;
    sigemptyset(&none);
    sigemptyset(&sigpipe);
    sigaddset(&sigpipe, SIGPIPE);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &sigpipe);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    for (int i = 0; i < 3; i++)
        posix_spawn_file_actions_adddup2(&fa, p[i][i == 0 ? 0 : 1], i);
    posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
    int rc = posix_spawn(&c->pid, path, &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(p[0][0]);
    close(p[1][1]);
    close(p[2][1]);
    c->in = p[0][1];
    c->out = p[1][0];
    c->err = p[2][0];
    c->pidfd = rc ? -1 : (int)syscall(SYS_pidfd_open, c->pid, 0);
    if (rc || c->pidfd < 0 || fcntl(c->in, F_SETFL, O_NONBLOCK) ||
        fcntl(c->out, F_SETFL, O_NONBLOCK) || fcntl(c->err, F_SETFL, O_NONBLOCK)) {
        int saved = rc ? rc : errno;
        if (rc == 0) /* started, but cannot be watched: it goes */
            reap(c, true);
        close_fd(&c->in);
        close_fd(&c->out);
        close_fd(&c->err);
        errno = saved;
        return ERR_IO;
    }
    c->deadline = ts_mono_ms() + (long long)lim->seconds * 1000;
    return ERR_OK;
}

/* As much of data[*sent..len) as the pipe takes; the pipe closed when
 * all is sent or the child stopped reading (its end says why). */
static void feed(struct child *c, const char *data, size_t len, size_t *sent)
{
    ssize_t w = *sent < len ? write(c->in, data + *sent, len - *sent) : 0;
    if (w > 0)
        *sent += (size_t)w;
    if (*sent == len || (w < 0 && errno != EAGAIN && errno != EINTR))
        close_fd(&c->in);
}

/* What the child wrote on its standard error, kept up to SAID_MAX. */
static void listen_err(struct child *c)
{
    char chunk[SAID_MAX];
    ssize_t n = read(c->err, chunk, sizeof chunk);
    if (n == 0)
        close_fd(&c->err);
    size_t keep = n > 0 ? (size_t)n : 0;
    if (keep > SAID_MAX - c->nsaid)
        keep = SAID_MAX - c->nsaid;
    for (size_t i = 0; i < keep; i++) /* one log line, whatever the child wrote */
        c->said[c->nsaid++] = chunk[i] >= 0x20 && chunk[i] < 0x7f ? chunk[i] : ' ';
}

/* The upload written to the child and its answer read into ans, until
 * the child has exited. ERR_BUSY when the deadline passed first,
 * ERR_TOO_BIG when it answers more than ans takes. */
static enum err exchange(struct child *c, const char *data, size_t len, struct buf *ans)
{
    size_t sent = 0;
    feed(c, data, len, &sent);
    for (;;) {
        struct pollfd p[4] = {
            {c->pidfd, POLLIN, 0}, {c->out, POLLIN, 0}, {c->in, POLLOUT, 0}, {c->err, POLLIN, 0}};
        long long left = c->deadline - ts_mono_ms();
        if (left <= 0)
            return ERR_BUSY;
        int r = poll(p, 4, (int)left);
        if (r < 0 && errno != EINTR)
            return ERR_IO;
        if (r <= 0)
            continue;
        if (p[2].revents)
            feed(c, data, len, &sent);
        if (p[3].revents)
            listen_err(c);
        char chunk[65536];
        ssize_t n = p[1].revents ? read(c->out, chunk, sizeof chunk) : -1;
        if (n > 0 && buf_append(ans, chunk, (size_t)n))
            return ERR_TOO_BIG;
        if (n == 0)
            close_fd(&c->out);
        if (p[0].revents && c->out < 0 && c->err < 0) /* exited, and all it wrote is read */
            return ERR_OK;
    }
}

/* The refusal for a check that ended without an answer. */
static enum err failed(enum err rc, int status, const struct picture_limits *lim,
                       struct picture_refusal *why)
{
    const char *reason = "check_failed";
    if (rc == ERR_BUSY)
        return picture_refuse(why, reason, "the check took more than %u s", lim->seconds);
    if (rc == ERR_TOO_BIG)
        return picture_refuse(why, reason, "the check answered more than a rendition");
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        return picture_refuse(why, reason, "the check used more than %u s of CPU", lim->seconds);
    if (WIFSIGNALED(status))
        return picture_refuse(why, reason, "the check stopped on signal %d", WTERMSIG(status));
    return picture_refuse(why, reason, "the check failed (exit %d)", WEXITSTATUS(status));
}

/* Whether r[0..len) is the one picture the answer says it is. */
static bool rendition_ok(const unsigned char *r, size_t len, const struct picture_out *info)
{
    struct picture_shape s;
    return picture_scan(r, len, &s) == ERR_OK && s.end == len &&
           strcmp(picture_mime(s.format), info->type) == 0 && s.width == (uint32_t)info->width &&
           s.height == (uint32_t)info->height;
}

/* The checker's answer ans, read: the rendition's offset in *body. */
static enum err verdict(const struct buf *ans, size_t *body, struct picture_out *info,
                        struct picture_refusal *why)
{
    enum err rc = picture_result_parse(ans->data, ans->len, body, info, why);
    if (rc == ERR_NET)
        return picture_refuse(why, "check_failed", "%s", why->message);
    if (rc == ERR_OK &&
        !rendition_ok((const unsigned char *)ans->data + *body, ans->len - *body, info))
        return picture_refuse(why, "check_failed", "the checker's rendition is not what it says");
    return rc;
}

/* The check in the child: its rendition in ans from *body on. SIGPIPE is
 * blocked on this thread meanwhile (a child that dies before reading
 * everything must not take the hub, or `blob add`, with it) and the one
 * it raised taken back. */
static enum err check(const struct picture_limits *lim, const void *data, size_t len,
                      struct buf *ans, size_t *body, struct picture_out *info,
                      struct picture_refusal *why)
{
    char path[PATH_MAX];
    enum err rc = program(path, sizeof path);
    if (rc == ERR_NOT_FOUND)
        return picture_refuse(why, "unsupported", "this hub has no %s to check pictures",
                              PICTURE_PROGRAM);
    struct child c = {.in = -1, .out = -1, .err = -1, .pidfd = -1};
    if (rc || (rc = spawn(path, lim, &c)))
        return rc;
    sigset_t sigpipe, old;
    sigemptyset(&sigpipe);
    sigaddset(&sigpipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe, &old);
    rc = exchange(&c, data, len, ans);
    int status = reap(&c, rc != ERR_OK);
    struct timespec zero = {0, 0};
    while (sigtimedwait(&sigpipe, NULL, &zero) > 0)
        ;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == ERR_IO)
        return rc;
    if (rc || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return failed(rc, status, lim, why);
    return verdict(ans, body, info, why);
}

enum err picture_store(struct blobs *b, const struct picture_limits *lim, const void *data,
                       size_t len, char name[SHA256_HEX_LEN + 1], struct picture_out *info,
                       struct picture_refusal *why)
{
    why->reason = NULL;
    why->message[0] = '\0';
    struct buf ans;
    buf_init(&ans, PICTURE_LINE_MAX + PICTURE_RENDITION_MAX);
    size_t body = 0;
    enum err rc = check(lim, data, len, &ans, &body, info, why);
    if (rc == ERR_OK)
        rc = blobs_put(b, ans.data + body, ans.len - body, name);
    buf_release(&ans);
    return rc;
}
