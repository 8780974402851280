/* sceaux-picture: the hub's upload check (picture.h) in a process of its
 * own, so that an image decoder never runs inside the server that holds
 * every token, and its memory is given back after each upload.
 *
 *   sceaux-picture [--memory-mib N] [--seconds N] <UPLOAD >ANSWER
 *
 * The hub (sync/hub/picture.c) runs the one next to its own executable
 * for each upload, writes the file on its standard input and reads the
 * answer on its standard output (shared/picture_result.h): a line, then
 * the rendition. Before reading a byte it limits itself: its address
 * space to --memory-mib (512; not under AddressSanitizer, whose shadow
 * alone reserves terabytes), its CPU time to --seconds (10), any file it
 * writes to the size of an answer (the hub gives it pipes; a file is
 * for whoever runs it by hand). A decoding that runs over is killed by
 * the kernel or by the hub, alone. Exit 0 with an answer (ok or refused), 1 when
 * the check cannot run (libvips does not start, an answer that cannot
 * be written), 2 on bad usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "caps.h"
#include "picture.h"
#include "num.h"

#define EXIT_USAGE 2

#if defined(__SANITIZE_ADDRESS__)
#define LIMIT_AS 0
#else
#define LIMIT_AS 1
#endif

static int usage(void)
{
    fputs("usage: sceaux-picture [--memory-mib N] [--seconds N] <UPLOAD >ANSWER\n", stderr);
    return EXIT_USAGE;
}

static int fail(const char *what)
{
    fprintf(stderr, "sceaux-picture: %s: %s\n", what, strerror(errno));
    return EXIT_FAILURE;
}

/* The limit `what` lowered to value, or kept when already lower. */
static int limit(int what, rlim_t value)
{
    struct rlimit r;
    if (getrlimit(what, &r))
        return -1;
    if (r.rlim_max != RLIM_INFINITY && r.rlim_max < value)
        value = r.rlim_max;
    r.rlim_cur = r.rlim_max = value;
    return setrlimit(what, &r);
}

/* The options' values into mib and secs; false on anything else. */
static int parse(int argc, char **argv, long *mib, long *secs)
{
    for (int i = 1; i < argc; i += 2) {
        long *to = strcmp(argv[i], "--memory-mib") == 0 ? mib
                   : strcmp(argv[i], "--seconds") == 0  ? secs
                                                        : NULL;
        if (!to || i + 1 == argc || !num_parse(argv[i + 1], 1, 65536, to))
            return -1;
    }
    return 0;
}

/* Standard input whole, at most CAPS_PICTURE_MAX bytes (the hub sends no
 * more), into in. */
static enum err read_upload(struct buf *in)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
        if (n == 0)
            return ERR_OK;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ERR_IO;
        enum err rc = buf_append(in, chunk, (size_t)n);
        if (rc)
            return rc;
    }
}

/* The answer to the upload in `in` on standard output. */
static int answer(const struct buf *in)
{
    struct buf out;
    buf_init(&out, PICTURE_RENDITION_MAX);
    struct picture_out info;
    struct picture_refusal why;
    enum err rc = picture_check(in->data, in->len, &out, &info, &why);
    if (rc && rc != ERR_INVALID) {
        buf_release(&out);
        fprintf(stderr, "sceaux-picture: cannot check: %s\n", err_str(rc));
        return EXIT_FAILURE;
    }
    char line[PICTURE_LINE_MAX];
    size_t n = picture_result_line(line, sizeof line, &info, rc ? &why : NULL);
    int ret = fwrite(line, 1, n, stdout) == n &&
                      (rc || fwrite(out.data, 1, out.len, stdout) == out.len) && fflush(stdout) == 0
                  ? 0
                  : fail("cannot write the answer");
    buf_release(&out);
    return ret;
}

int main(int argc, char **argv)
{
    long mib = 512, secs = 10;
    if (parse(argc, argv, &mib, &secs))
        return usage();
    if ((LIMIT_AS && limit(RLIMIT_AS, (rlim_t)mib << 20)) || limit(RLIMIT_CPU, (rlim_t)secs) ||
        limit(RLIMIT_FSIZE, PICTURE_LINE_MAX + PICTURE_RENDITION_MAX))
        return fail("cannot limit itself");
    struct buf in;
    buf_init(&in, CAPS_PICTURE_MAX);
    enum err rc = read_upload(&in);
    if (rc == ERR_TOO_BIG)
        fprintf(stderr, "sceaux-picture: the upload is over %u bytes\n", CAPS_PICTURE_MAX);
    int ret = rc == ERR_TOO_BIG ? EXIT_FAILURE : rc ? fail("cannot read the upload") : answer(&in);
    buf_release(&in);
    return ret;
}
