/* sceaux-hub: the central server of docs/protocol.md and its operator commands.
 *
 *   serve    http.c serves the protocol from the store (store.h), while
 *            this thread waits for signals and runs the periodic jobs
 *            (fleet writes, the sweeps of personal data and tombstones: sweep.c);
 *   token    add / revoke / list bearer tokens (auth.h hashes them);
 *   user     add / remove / list staff console accounts (users.h);
 *   import   a content file, as an admin would push it (import.c);
 *   purge    old delete tombstones, raising the horizon (store.h);
 *   blob     add a picture to the hub's folder of pictures (blobs.h);
 *   backup / restore  consistent copies (store_sqlite.c; pg_dump for a
 *            PostgreSQL database).
 * Exit status: 0 success, 1 failure (one line on stderr), 2 bad usage. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sodium.h>
#include <time.h>

#include "auth.h"
#include "blobs.h"
#include "http.h"
#include "id.h"
#include "import.h"
#include "log.h"
#include "notify.h"
#include "picture.h"
#include "store.h"
#include "sweep.h"
#include "tls.h"
#include "ts.h"
#include "users.h"
#include "xalloc.h"
#include "num.h"

#define EXIT_USAGE 2
#define SWEEP_EVERY 3600 /* seconds between sweeps (sweep.h) unless --sweep-every */

static const char usage_text[] =
    "usage: sceaux-hub serve --db FILE --listen HOST:PORT [--body-max BYTES]\n"
    "                        [--bodies-max BYTES] [--holder-days N] [--offer-days N]\n"
    "                        [--tombstone-days N]\n"
    "                        [--threads N] [--max-connections N] [--max-per-ip N]\n"
    "                        [--offline-after SECONDS] [--console-dir DIR]\n"
    "                        [--header-timeout SECONDS] [--body-timeout SECONDS]\n"
    "                        [--metrics-listen HOST:PORT] [--blobs DIR]\n"
    "                        [--picture-seconds N] [--picture-memory-mib N]\n"
    "                        [--tls-cert FILE --tls-key FILE] [--insecure-http]\n"
    "                        [--sweep-every SECONDS] [--no-listen]\n"
    "       sceaux-hub token add --db FILE --role kiosk|staff|admin --name NAME [--site ID]\n"
    "       sceaux-hub token revoke --db FILE NAME\n"
    "       sceaux-hub token list --db FILE\n"
    "       sceaux-hub user add --db FILE --name NAME --role staff|admin [--signature TEXT]\n"
    "                           (password on stdin; the signature of announcements)\n"
    "       sceaux-hub user remove --db FILE NAME\n"
    "       sceaux-hub user list --db FILE\n"
    "       sceaux-hub import --db FILE DATA.json [--no-rebase]\n"
    "       sceaux-hub purge --db FILE --older-than-days N\n"
    "       sceaux-hub blob add --db FILE [--blobs DIR] [--picture-seconds N]\n"
    "                           [--picture-memory-mib N] PICTURE\n"
    "       sceaux-hub backup --db FILE [--blobs DIR] OUT\n"
    "       sceaux-hub restore --db FILE [--blobs DIR] FROM\n"
    "       sceaux-hub --help | --version\n"
    "\n"
    "serve       serve the sceaux/1 protocol from FILE (created when missing);\n"
    "            at start and every hour, delete bookings that ended over\n"
    "            --holder-days (30) ago and help offers made --offer-days (30)\n"
    "            ago or earlier, and purge delete tombstones written over\n"
    "            --tombstone-days (90, at least 1) ago; a request's headers must\n"
    "            arrive within --header-timeout (10) seconds and its body\n"
    "            within --body-timeout (60) more; --max-per-ip (64)\n"
    "            connections from one address, --max-connections (8000);\n"
    "            GET /metrics (Prometheus) on --metrics-listen, off by default;\n"
    "            HTTPS with --tls-cert (PEM, leaf first) and --tls-key, reread\n"
    "            on SIGHUP; plain HTTP only on a loopback address unless\n"
    "            --insecure-http; pictures in --blobs (FILE.blobs), each upload\n"
    "            checked by sceaux-picture (beside this program) in a process\n"
    "            of its own, killed past --picture-seconds (10) and limited to\n"
    "            --picture-memory-mib (512) of address space; the sweeps run\n"
    "            every --sweep-every (3600) seconds, by one hub at a time on a\n"
    "            PostgreSQL database; --no-listen: learn of other hubs'\n"
    "            commits by reading the head every 500 ms, not by LISTEN\n"
    "token add   print a new token for NAME, alone on stdout (shown once)\n"
    "user add    a staff console account; the password is asked twice on a\n"
    "            terminal, else read from the first line of stdin\n"
    "import      apply a content file as admin; events and announcements move\n"
    "            forward by whole days so the first event falls on today\n"
    "purge       forget delete tombstones written N days ago or earlier (0: all)\n"
    "            and raise the horizon to the last one: kiosks whose cursor is\n"
    "            below it pull everything anew\n"
    "blob add    check a JPEG or PNG picture as an upload is checked, store\n"
    "            its rendition (1280 px at most, no metadata) in --blobs\n"
    "            (FILE.blobs) and print its name (SHA-256), for a row's picture\n"
    "backup      write a consistent copy of a live database to OUT, and its\n"
    "            pictures to OUT.blobs (hard links on the same file system)\n"
    "restore     replace FILE by FROM with a new epoch (kiosks rebuild), and\n"
    "            add FROM.blobs's pictures to the hub's\n"
    "\n"
    "FILE may be a PostgreSQL database's URL (postgresql://USER@HOST/NAME),\n"
    "which several hubs may serve at once; --blobs is then needed, and\n"
    "backup and restore are pg_dump's and pg_restore's (README).\n";

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "sceaux-hub: %s\n", why);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sceaux-hub: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_FAILURE;
}

/* Options shared by the commands; each command says which it takes. */
struct opts {
    const char *db;
    const char *listen;
    const char *role;
    const char *name;
    const char *site;
    bool no_rebase;
    const char *console_dir;
    const char *signature;
    const char *metrics_listen;
    const char *blobs;
    const char *tls_cert, *tls_key;
    bool insecure_http;
    bool no_listen;
    long offline_after, sweep_every;
    long body_max, bodies_max, holder_days, offer_days, threads, max_conn, max_per_ip;
    long header_timeout, body_timeout;
    long tombstone_days, older_than_days; /* -1 when not given */
    long picture_seconds, picture_memory_mib;
    int npos;
    const char *pos[4];
};

/* One option: where its value goes (exactly one of text, flag and num)
 * and, for a number, its range. */
struct opt_spec {
    const char *name;
    const char **text;
    bool *flag;
    long *num;
    long min, max;
};

#define OPT_VAL 256 /* getopt_long's value for specs[i]: OPT_VAL + i, past any short option */

static bool opt_set(const struct opt_spec *sp, const char *arg)
{
    if (sp->text)
        *sp->text = arg;
    else if (sp->flag)
        *sp->flag = true;
    else
        return num_parse(arg, sp->min, sp->max, sp->num);
    return true;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    const struct opt_spec specs[] = {
        {"db", &o->db, NULL, NULL, 0, 0},
        {"listen", &o->listen, NULL, NULL, 0, 0},
        {"role", &o->role, NULL, NULL, 0, 0},
        {"name", &o->name, NULL, NULL, 0, 0},
        {"site", &o->site, NULL, NULL, 0, 0},
        {"no-rebase", NULL, &o->no_rebase, NULL, 0, 0},
        {"body-max", NULL, NULL, &o->body_max, 1024, 1L << 30},
        {"bodies-max", NULL, NULL, &o->bodies_max, 1024, 1L << 40},
        {"holder-days", NULL, NULL, &o->holder_days, 0, 36500},
        {"offer-days", NULL, NULL, &o->offer_days, 0, 36500},
        {"threads", NULL, NULL, &o->threads, 1, 64},
        {"max-connections", NULL, NULL, &o->max_conn, 1, 1000000},
        {"max-per-ip", NULL, NULL, &o->max_per_ip, 1, 1000000},
        {"console-dir", &o->console_dir, NULL, NULL, 0, 0},
        {"offline-after", NULL, NULL, &o->offline_after, 1, 86400},
        {"tombstone-days", NULL, NULL, &o->tombstone_days, 1, 36500},
        {"older-than-days", NULL, NULL, &o->older_than_days, 0, 36500},
        {"signature", &o->signature, NULL, NULL, 0, 0},
        {"header-timeout", NULL, NULL, &o->header_timeout, 1, 3600},
        {"body-timeout", NULL, NULL, &o->body_timeout, 1, 3600},
        {"metrics-listen", &o->metrics_listen, NULL, NULL, 0, 0},
        {"tls-cert", &o->tls_cert, NULL, NULL, 0, 0},
        {"tls-key", &o->tls_key, NULL, NULL, 0, 0},
        {"insecure-http", NULL, &o->insecure_http, NULL, 0, 0},
        {"blobs", &o->blobs, NULL, NULL, 0, 0},
        {"picture-seconds", NULL, NULL, &o->picture_seconds, 1, 600},
        {"picture-memory-mib", NULL, NULL, &o->picture_memory_mib, 16, 65536},
        {"sweep-every", NULL, NULL, &o->sweep_every, 1, 86400},
        {"no-listen", NULL, &o->no_listen, NULL, 0, 0},
    };
    enum { NSPECS = sizeof specs / sizeof specs[0] };
    struct option longs[NSPECS + 1];
    for (int i = 0; i < NSPECS; i++)
        longs[i] = (struct option){specs[i].name, specs[i].flag ? no_argument : required_argument,
                                   NULL, OPT_VAL + i};
    longs[NSPECS] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+", longs, NULL)) != -1) {
        if (c < OPT_VAL || c >= OPT_VAL + NSPECS || !opt_set(&specs[c - OPT_VAL], optarg)) {
            fprintf(stderr, "sceaux-hub: bad option '%s'\n", argv[optind - 1]);
            return -1;
        }
        /* Positional arguments may come between options. */
        while (optind < argc && argv[optind][0] != '-') {
            if (o->npos == 4)
                return -1;
            o->pos[o->npos++] = argv[optind++];
        }
    }
    while (optind < argc) {
        if (o->npos == 4 || argv[optind][0] == '-')
            return -1;
        o->pos[o->npos++] = argv[optind++];
    }
    return 0;
}

/* Options as given by no one: the day counts -1 so a command tells "not
 * given" from 0. */
static const struct opts opts_none = {
    .holder_days = -1, .offer_days = -1, .tombstone_days = -1, .older_than_days = -1};

/* One verb of a command that has several (`sceaux-hub token add ...`). */
struct verb {
    const char *name;
    int (*run)(struct opts *o);
};

/* Runs the verb argv[1] names among verbs (NULL-terminated) with the
 * options after it; `need` is the usage line when there is none. */
static int run_verb(int argc, char **argv, const struct verb *verbs, const char *need)
{
    if (argc < 2)
        return usage(need);
    struct opts o = opts_none;
    if (parse_opts(argc - 1, argv + 1, &o))
        return usage(NULL);
    for (; verbs->name; verbs++)
        if (strcmp(argv[1], verbs->name) == 0)
            return verbs->run(&o);
    return usage(need);
}

/* A URL is not printed: it may hold a password. */
static int open_store(const char *db, struct store **s)
{
    char err[256] = "";
    if (store_is_pg_url(db) && store_pg_open(db, s, err, sizeof err))
        return fail("cannot open the PostgreSQL database: %s", err);
    if (!store_is_pg_url(db) && store_sqlite_open(db, s, err, sizeof err))
        return fail("cannot open '%s': %s", db, err);
    return 0;
}

/* The upload check's limits: the defaults, or as given. */
static struct picture_limits limits_of(const struct opts *o)
{
    struct picture_limits lim = PICTURE_LIMITS_DEFAULT;
    if (o->picture_seconds)
        lim.seconds = (unsigned)o->picture_seconds;
    if (o->picture_memory_mib)
        lim.memory_mib = (unsigned)o->picture_memory_mib;
    return lim;
}

/* The pictures' folder: --blobs, else beside the database file (a
 * PostgreSQL database has no side: the hubs on it name their folder). */
static int open_blobs(const struct opts *o, struct blobs **b)
{
    if (!o->blobs && o->db && store_is_pg_url(o->db))
        return usage("a PostgreSQL --db needs --blobs DIR");
    char *dir = o->blobs ? xstrdup(o->blobs) : blobs_default_dir(o->db);
    char err[512] = "";
    int ret = blobs_open(dir, b, err, sizeof err) ? fail("%s", err) : 0;
    free(dir);
    return ret;
}

/* ---- serve ------------------------------------------------------------------ */

static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

#define MALLOC_MMAP_FROM (32 * 1024)

static int serve(struct opts *o)
{
    if (!o->db || !o->listen || o->npos)
        return usage("serve needs --db and --listen");
    if (!o->tls_cert != !o->tls_key)
        return usage("--tls-cert and --tls-key go together");
    struct hub_http_config cfg;
    hub_http_defaults(&cfg);
    cfg.listen = o->listen;
    if (o->body_max)
        cfg.body_max = (size_t)o->body_max;
    if (o->bodies_max)
        cfg.bodies_max = (size_t)o->bodies_max;
    if (o->threads)
        cfg.threads = (unsigned)o->threads;
    if (o->max_conn)
        cfg.conn_limit = (unsigned)o->max_conn;
    if (o->max_per_ip)
        cfg.per_ip_limit = (unsigned)o->max_per_ip;
    if (o->console_dir)
        cfg.console_dir = o->console_dir;
    if (o->offline_after)
        cfg.offline_after = o->offline_after;
    if (o->header_timeout)
        cfg.header_timeout = (unsigned)o->header_timeout;
    if (o->body_timeout)
        cfg.body_timeout = (unsigned)o->body_timeout;
    cfg.metrics_listen = o->metrics_listen;
    cfg.db_path = o->db;
    cfg.tls = o->tls_cert != NULL;
    cfg.insecure_http = o->insecure_http;
    cfg.picture = limits_of(o);
    cfg.hear_commits = !o->no_listen;
    struct sweep sweeps = {o->holder_days >= 0 ? o->holder_days : 30,
                           o->offer_days >= 0 ? o->offer_days : cfg.offer_days,
                           o->tombstone_days >= 0 ? o->tombstone_days : 90, true};
    cfg.offer_days = sweeps.offers; /* the console tells staff */
    long sweep_every = o->sweep_every ? o->sweep_every : SWEEP_EVERY;

    /* Signals go to this thread only: block them before any thread starts. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    raise_fd_limit();
    /* Memory that comes back after a burst: glibc keeps what the
     * libmicrohttpd threads free in their arenas, fragmented. Blocks of
     * 32 KiB or more (push bodies, their inflated JSON, long strings) are
     * mapped on their own and go back whole when freed; malloc_trim in the
     * loop below returns the small rest. Connection pools are mapped by
     * libmicrohttpd itself (http.c, CONN_POOL_BYTES). */
    mallopt(M_MMAP_THRESHOLD, MALLOC_MMAP_FROM);

    char err[512] = "";
    if (cfg.tls && tls_load(o->tls_cert, o->tls_key, err, sizeof err))
        return fail("%s", err);
    struct store *s = NULL;
    struct blobs *blobs = NULL;
    if (open_blobs(o, &blobs) || open_store(o->db, &s)) {
        blobs_close(blobs);
        tls_release();
        return EXIT_FAILURE;
    }
    cfg.blobs = blobs;
    struct hub_http *h = NULL;
    if (hub_http_start(s, &cfg, &h, err, sizeof err)) {
        store_close(s);
        blobs_close(blobs);
        tls_release();
        return fail("%s", err);
    }
    struct store_state st;
    if (store_state(s, &st)) {
        hub_http_stop(h, 0);
        store_close(s);
        blobs_close(blobs);
        return fail("cannot read the database's epoch and head");
    }
    /* Before the line that says the hub listens: whoever waits for it
     * finds the personal data past its time already gone. */
    sweep_round(&sweeps, s, h);
    log_info("listening on %s port %u%s (epoch %s, seq %lld)", o->listen, hub_http_port(h),
             cfg.tls ? " with TLS" : "", st.epoch, (long long)st.head);
    if (hub_http_console_dir(h)[0])
        log_info("staff console at /console/ from %s", hub_http_console_dir(h));
    else
        log_info("staff console files not found (see --console-dir): /console/ answers 404");
    time_t last_sweep = time(NULL);
    notify_ready();
    for (;;) {
        notify_watchdog();
        struct timespec tick = {1, 0};
        int sig = sigtimedwait(&set, NULL, &tick);
        if (sig == SIGTERM || sig == SIGINT) {
            log_info("stopping on signal %d", sig);
            notify_stopping();
            break;
        }
        if (sig == SIGHUP && !cfg.tls)
            log_info("SIGHUP: no certificate to reload");
        else if (sig == SIGHUP && tls_reload(err, sizeof err))
            log_error("keeping the current certificate: %s", err);
        else if (sig == SIGHUP)
            log_info("certificate reloaded from '%s'", o->tls_cert);
        hub_http_tick(h);
        /* See MALLOC_MMAP_FROM: small frees come back here. */
        malloc_trim(0);
        if (time(NULL) - last_sweep >= sweep_every) {
            sweep_round(&sweeps, s, h);
            last_sweep = time(NULL);
        }
    }
    hub_http_stop(h, 5000);
    store_close(s);
    blobs_close(blobs);
    tls_release();
    log_info("stopped");
    return 0;
}

/* ---- token ----------------------------------------------------------------- */

static int token_add(struct opts *o)
{
    enum store_role role;
    if (!o->db || !o->role || !o->name || o->npos)
        return usage("token add needs --db, --role and --name");
    if (store_role_parse(o->role, &role))
        return usage("--role must be kiosk, staff or admin");
    if (!id_valid(o->name))
        return usage("--name must be 1-64 of [A-Za-z0-9._:-]");
    if (o->site && !id_valid(o->site))
        return usage("--site must be an id");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    char token[AUTH_TOKEN_LEN + 1], hash[AUTH_HASH_LEN + 1];
    int ret = 0;
    if (auth_token_new(token)) {
        ret = fail("cannot draw random bytes");
    } else {
        auth_token_hash(token, strlen(token), hash);
        enum err rc = store_token_add(s, o->name, role, o->site, hash, ts_now());
        if (rc)
            ret = fail("cannot add token '%s': %s", o->name, store_errmsg(s));
        else
            printf("%s\n", token);
    }
    store_close(s);
    return ret;
}

static int token_revoke(struct opts *o)
{
    if (!o->db || o->npos != 1)
        return usage("token revoke needs --db and a NAME");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    int ret = 0;
    if (store_token_revoke(s, o->pos[0], ts_now()))
        ret = fail("cannot revoke '%s': %s", o->pos[0], store_errmsg(s));
    store_close(s);
    return ret;
}

static int token_list(struct opts *o)
{
    if (!o->db || o->npos)
        return usage("token list needs --db");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    struct store_token *t = NULL;
    size_t n = 0;
    int ret = 0;
    if (store_token_list(s, &t, &n)) {
        ret = fail("cannot list tokens: %s", store_errmsg(s));
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%s\t%s\t%s\t%s\t%s\n", t[i].name, store_role_name(t[i].role),
                   t[i].site ? t[i].site : "-", t[i].created_at,
                   t[i].revoked_at ? t[i].revoked_at : "live");
    }
    store_tokens_free(t, n);
    store_close(s);
    return ret;
}

static int token(int argc, char **argv)
{
    static const struct verb verbs[] = {
        {"add", token_add}, {"revoke", token_revoke}, {"list", token_list}, {NULL, NULL}};
    return run_verb(argc, argv, verbs, "token needs add, revoke or list");
}

/* ---- user (staff console accounts) ------------------------------------------- */

static int user_add(struct opts *o)
{
    enum store_role role;
    if (!o->db || !o->role || !o->name || o->npos)
        return usage("user add needs --db, --name and --role");
    if (store_role_parse(o->role, &role) || role == STORE_KIOSK)
        return usage("--role must be staff or admin");
    if (!id_valid(o->name))
        return usage("--name must be 1-64 of [A-Za-z0-9._:-]");
    char pw[USERS_PASSWORD_MAX + 1], why[128] = "";
    if (o->signature && !users_signature_ok(o->signature, strlen(o->signature), why, sizeof why))
        return fail("%s", why);
    if (users_read_password(stdin, pw, why, sizeof why))
        return fail("%s", why);
    char hash[USERS_HASH_MAX];
    enum err rc = users_hash(pw, strlen(pw), hash);
    sodium_memzero(pw, sizeof pw);
    if (rc)
        return fail("cannot hash the password");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    int ret = 0;
    if (store_user_add(s, o->name, role, hash, o->signature, ts_now()))
        ret = fail("cannot add '%s': %s", o->name, store_errmsg(s));
    else
        printf("added %s account '%s'\n", store_role_name(role), o->name);
    store_close(s);
    return ret;
}

static int user_remove(struct opts *o)
{
    if (!o->db || o->npos != 1)
        return usage("user remove needs --db and a NAME");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    int ret = 0;
    if (store_user_remove(s, o->pos[0]))
        ret = fail("cannot remove '%s': %s", o->pos[0], store_errmsg(s));
    store_close(s);
    return ret;
}

static int user_list(struct opts *o)
{
    if (!o->db || o->npos)
        return usage("user list needs --db");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    struct store_user *u = NULL;
    size_t n = 0;
    int ret = 0;
    if (store_user_list(s, &u, &n))
        ret = fail("cannot list accounts: %s", store_errmsg(s));
    for (size_t i = 0; i < n; i++)
        printf("%s\t%s\t%s\t%s\n", u[i].name, store_role_name(u[i].role), u[i].created_at,
               u[i].signature ? u[i].signature : USERS_SIGNATURE_DEFAULT);
    store_users_free(u, n);
    store_close(s);
    return ret;
}

static int user(int argc, char **argv)
{
    static const struct verb verbs[] = {
        {"add", user_add}, {"remove", user_remove}, {"list", user_list}, {NULL, NULL}};
    return run_verb(argc, argv, verbs, "user needs add, remove or list");
}

/* ---- import, backup, restore ------------------------------------------------ */

static int import(struct opts *o)
{
    if (!o->db || o->npos != 1)
        return usage("import needs --db and a DATA.json");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    struct import_report rep;
    char err[512] = "";
    enum err rc = import_file(s, o->pos[0], !o->no_rebase, ts_now(), &rep, stderr, err, sizeof err);
    store_close(s);
    if (rc)
        return fail("%s", err);
    printf("imported %zu changes, %zu rejected", rep.applied, rep.rejected);
    if (rep.days)
        printf(", events moved %lld day%s forward", (long long)rep.days, rep.days > 1 ? "s" : "");
    printf("\n");
    if (rep.rejected) {
        fprintf(stderr, "sceaux-hub: %zu changes of '%s' were rejected\n", rep.rejected, o->pos[0]);
        return EXIT_FAILURE;
    }
    return 0;
}

static int purge(struct opts *o)
{
    if (!o->db || o->older_than_days < 0 || o->npos)
        return usage("purge needs --db and --older-than-days");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    int64_t purged = 0;
    struct store_state st;
    int ret = 0;
    if (store_purge_tombstones(s, ts_now() - (int64_t)o->older_than_days * 86400, &purged) ||
        store_state(s, &st))
        ret = fail("cannot purge tombstones: %s", store_errmsg(s));
    else
        printf("purged %lld tombstones, horizon %lld\n", (long long)purged, (long long)st.horizon);
    store_close(s);
    return ret;
}

/* ---- blob ------------------------------------------------------------------ */

/* What an operator may hand over: more than an upload (CAPS_PICTURE_MAX),
 * since the file is theirs; the rendition is what is stored. */
#define BLOB_FILE_MAX ((size_t)64 << 20)

static int blob_add(struct opts *o)
{
    if ((!o->db && !o->blobs) || o->npos != 1)
        return usage("blob add needs --db or --blobs, and a PICTURE");
    struct buf data;
    buf_init(&data, BLOB_FILE_MAX);
    char err[512] = "";
    struct blobs *b = NULL;
    int ret = import_read_file(o->pos[0], &data, err, sizeof err) ? fail("%s", err) : 0;
    if (ret == 0)
        ret = open_blobs(o, &b);
    char name[SHA256_HEX_LEN + 1];
    struct picture_out info;
    struct picture_refusal why;
    struct picture_limits lim = limits_of(o);
    enum err rc = ret ? ERR_OK : picture_store(b, &lim, data.data, data.len, name, &info, &why);
    if (rc == ERR_INVALID)
        ret = fail("'%s' refused (%s): %s", o->pos[0], why.reason, why.message);
    else if (rc)
        ret =
            fail("cannot store '%s': %s", o->pos[0], rc == ERR_IO ? strerror(errno) : err_str(rc));
    else if (ret == 0)
        printf("%s\n", name);
    blobs_close(b);
    buf_release(&data);
    return ret;
}

static int blob(int argc, char **argv)
{
    static const struct verb verbs[] = {{"add", blob_add}, {NULL, NULL}};
    return run_verb(argc, argv, verbs, "blob needs add");
}

/* The pictures of the folder `from` that the folder `to` lacks, into it
 * (blobs_copy); `to` is created. A `from` that does not exist has none. */
static int copy_pictures(const char *from, const char *to)
{
    struct stat st;
    if (stat(from, &st) != 0 && errno == ENOENT) {
        fprintf(stderr, "sceaux-hub: no pictures in '%s': rows naming one show its placeholder\n",
                from);
        return 0;
    }
    char err[512] = "";
    struct blobs *a = NULL, *b = NULL;
    int ret = blobs_open(from, &a, err, sizeof err) || blobs_open(to, &b, err, sizeof err)
                  ? fail("%s", err)
                  : 0;
    size_t copied = 0, bad = 0;
    if (ret == 0 && blobs_copy(a, b, &copied, &bad))
        ret = fail("cannot copy the pictures of '%s' to '%s': %s", from, to, strerror(errno));
    if (bad)
        fprintf(stderr, "sceaux-hub: %zu pictures of '%s' no longer match their name: left out\n",
                bad, from);
    blobs_close(a);
    blobs_close(b);
    return ret;
}

/* The database, then its pictures beside the copy (OUT.blobs): a backup
 * is a whole hub, which `serve --db OUT` would serve as it is. */
static int backup(struct opts *o)
{
    if (!o->db || o->npos != 1)
        return usage("backup needs --db and an OUT file");
    struct store *s = NULL;
    if (open_store(o->db, &s))
        return EXIT_FAILURE;
    int ret = 0;
    if (store_backup(s, o->pos[0]))
        ret = fail("cannot back up to '%s': %s", o->pos[0], store_errmsg(s));
    store_close(s);
    char *from = o->blobs ? xstrdup(o->blobs) : blobs_default_dir(o->db);
    char *to = blobs_default_dir(o->pos[0]);
    if (ret == 0)
        ret = copy_pictures(from, to);
    free(from);
    free(to);
    return ret;
}

/* The database replaced, then the backup's pictures added to the hub's
 * (those it has already stay: a picture never changes under its name). */
static int restore(struct opts *o)
{
    if (!o->db || o->npos != 1)
        return usage("restore needs --db and a FROM file");
    if (store_is_pg_url(o->db))
        return fail("restore a PostgreSQL database with pg_restore (see the hub's README)");
    char err[256] = "";
    if (store_sqlite_restore(o->db, o->pos[0], err, sizeof err))
        return fail("cannot restore from '%s': %s", o->pos[0], err);
    char *from = blobs_default_dir(o->pos[0]);
    char *to = o->blobs ? xstrdup(o->blobs) : blobs_default_dir(o->db);
    int ret = copy_pictures(from, to);
    free(from);
    free(to);
    return ret;
}

int main(int argc, char **argv)
{
    log_init("hub");
    xalloc_init();
    if (argc < 2)
        return usage(NULL);
    const char *cmd = argv[1];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("sceaux-hub %s\n", SCEAUX_VERSION);
        return 0;
    }
    if (auth_init())
        return fail("cannot start libsodium");
    if (strcmp(cmd, "token") == 0)
        return token(argc - 1, argv + 1);
    if (strcmp(cmd, "user") == 0)
        return user(argc - 1, argv + 1);
    if (strcmp(cmd, "blob") == 0)
        return blob(argc - 1, argv + 1);
    struct opts o = opts_none;
    if (parse_opts(argc - 1, argv + 1, &o))
        return usage(NULL);
    if (strcmp(cmd, "serve") == 0)
        return serve(&o);
    if (strcmp(cmd, "import") == 0)
        return import(&o);
    if (strcmp(cmd, "purge") == 0)
        return purge(&o);
    if (strcmp(cmd, "backup") == 0)
        return backup(&o);
    if (strcmp(cmd, "restore") == 0)
        return restore(&o);
    return usage("unknown command");
}
