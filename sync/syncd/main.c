/* sceaux-syncd: the sync daemon beside each kiosk.
 *
 * It keeps the kiosk's replica (an SQLite file) in step with the hub:
 * pushes the outbox, pulls the hub's changes, records its state for the
 * kiosk's status bar. This file is the command line, the single-instance
 * lock (flock on DB.lock) and the signals; run.c holds the loops (read its
 * header for the threading design), push.c and pull.c one exchange each,
 * plan.c the pure decisions, net.c the HTTP requests over sync/client/http.c.
 *
 * Exit codes: 0 success (and after SIGTERM/SIGINT), 1 failure with one
 * line on stderr, 2 bad usage. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "piccache.h"
#include "run.h"
#include "xalloc.h"
#include "num.h"

/* Atomic, not volatile sig_atomic_t: the push thread reads it too. */
static atomic_int stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static const char usage[] =
    "usage: sceaux-syncd --db FILE --hub URL --token-file FILE [--once]\n"
    "                    [--ca FILE] [--pin sha256//BASE64] [--insecure-http]\n"
    "                    [--pictures DIR] [--pictures-max MB]\n"
    "\n"
    "Keeps the kiosk replica FILE in step with the hub at URL.\n"
    "  --db FILE          the replica (created if missing)\n"
    "  --hub URL          https://host:port (http:// only to a loopback host)\n"
    "  --token-file FILE  file holding the kiosk's bearer token\n"
    "  --once             push the outbox, pull until caught up, exit\n"
    "  --ca FILE          CA certificates to verify the hub with\n"
    "  --pin sha256//...  also require this public key (curl's pinned key syntax)\n"
    "  --insecure-http    allow plain http:// to a non-loopback hub\n"
    "  --pictures DIR     where the pictures rows name are kept for the kiosk\n"
    "                     (default: FILE.pictures)\n"
    "  --pictures-max MB  the most that folder holds (default 256)\n"
    "  --help, --version\n";

struct args {
    const char *db, *hub, *token_file, *ca, *pin, *pictures;
    long pictures_mb;
    bool once, insecure_http;
};

/* 0 to run, or an exit code (--help/--version: 0 printed; bad usage: 2). */
static int parse_args(int argc, char **argv, struct args *a, bool *done)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"hub", required_argument, NULL, 'u'},
        {"token-file", required_argument, NULL, 't'},
        {"once", no_argument, NULL, 'o'},
        {"ca", required_argument, NULL, 'c'},
        {"pin", required_argument, NULL, 'p'},
        {"insecure-http", no_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"pictures", required_argument, NULL, 'P'},
        {"pictures-max", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->pictures_mb = PICCACHE_DEFAULT_MB;
    *done = false;
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            a->db = optarg;
            break;
        case 'u':
            a->hub = optarg;
            break;
        case 't':
            a->token_file = optarg;
            break;
        case 'o':
            a->once = true;
            break;
        case 'c':
            a->ca = optarg;
            break;
        case 'p':
            a->pin = optarg;
            break;
        case 'i':
            a->insecure_http = true;
            break;
        case 'P':
            a->pictures = optarg;
            break;
        case 'M':
            if (!num_parse(optarg, 1, 1000000, &a->pictures_mb)) {
                fprintf(stderr, "sceaux-syncd: bad --pictures-max '%s' (1 to 1000000 MB)\n",
                        optarg);
                return 2;
            }
            break;
        case 'h':
            fputs(usage, stdout);
            *done = true;
            return 0;
        case 'V':
            printf("sceaux-syncd %s\n", SCEAUX_VERSION);
            *done = true;
            return 0;
        default:
            fprintf(stderr, "sceaux-syncd: unknown or incomplete option '%s'\n%s", argv[optind - 1],
                    usage);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sceaux-syncd: unexpected argument '%s'\n%s", argv[optind], usage);
        return 2;
    }
    if (!a->db || !a->hub || !a->token_file) {
        fprintf(stderr, "sceaux-syncd: --db, --hub and --token-file are required\n%s", usage);
        return 2;
    }
    if (a->pin && strncmp(a->pin, "sha256//", 8) != 0) {
        fprintf(stderr, "sceaux-syncd: --pin must look like sha256//BASE64\n");
        return 2;
    }
    char why[256];
    if (http_url_check(a->hub, a->insecure_http, why, sizeof why)) {
        fprintf(stderr, "sceaux-syncd: %s\n", why);
        return 2;
    }
    return 0;
}

static int read_token(const char *path, char *out, size_t outlen)
{
    char why[512];
    if (http_read_token(path, out, outlen, why, sizeof why)) {
        fprintf(stderr, "sceaux-syncd: %s\n", why);
        return 1;
    }
    return 0;
}

/* One daemon per replica: a second one would push the same rows twice at
 * once. The lock is on a side file so SQLite's own locking is untouched;
 * the kernel drops it when the process dies, even by SIGKILL. */
static int take_lock(const char *db, int *fd_out)
{
    char *path = xasprintf("%s.lock", db);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "sceaux-syncd: cannot open '%s': %s\n", path, strerror(errno));
        free(path);
        return 1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            fprintf(stderr, "sceaux-syncd: '%s' is locked: another sceaux-syncd serves '%s'\n",
                    path, db);
        else
            fprintf(stderr, "sceaux-syncd: cannot lock '%s': %s\n", path, strerror(errno));
        close(fd);
        free(path);
        return 1;
    }
    free(path);
    *fd_out = fd;
    return 0;
}

static void set_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
    /* First of all: a SIGTERM even during start-up means "stop cleanly". */
    set_signals();
    struct args a;
    bool done;
    int code = parse_args(argc, argv, &a, &done);
    if (code || done)
        return code;
    xalloc_init();
    log_init("syncd");
    static char token[HTTP_TOKEN_MAX + 1];
    if (read_token(a.token_file, token, sizeof token))
        return 1;
    int lock_fd = -1;
    if (take_lock(a.db, &lock_fd))
        return 1;
    if (http_global_init()) {
        fprintf(stderr, "sceaux-syncd: cannot initialise libcurl\n");
        close(lock_fd);
        return 1;
    }
    char *pictures = a.pictures ? xstrdup(a.pictures) : xasprintf("%s.pictures", a.db);
    struct run_conf c = {
        .db_path = a.db,
        .pictures_dir = pictures,
        .pictures_max = (uint64_t)a.pictures_mb << 20,
        .http =
            {
                .base_url = a.hub,
                .token = token,
                .ca_file = a.ca,
                .pin = a.pin,
                .version = SCEAUX_VERSION,
                .connect_timeout = 10,
                .cancel = &stop_flag,
            },
        .stop = &stop_flag,
    };
    code = a.once ? run_once(&c) : run_daemon(&c);
    http_global_cleanup();
    free(pictures);
    close(lock_fd);
    return code;
}
