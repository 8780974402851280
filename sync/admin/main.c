/* sceaux-admin: the operators' command line for the hub.
 *
 *   sceaux-admin --hub URL --token-file FILE announce --title T --body B ...
 *   sceaux-admin --hub URL --token-file FILE fleet
 *   sceaux-admin --hub URL --token-file FILE push FILE.json
 *
 * Global options come before the command; each command has its own. The
 * HTTP client is sync/client/http.c (the one sceaux-syncd uses); admin.c holds
 * the pure parts. Exit codes: 0 success, 1 failure (hub unreachable, bad
 * answer, a rejected change) with one line on stderr, 2 bad usage. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "http.h"
#include "id.h"
#include "ts.h"
#include "validate.h"
#include "xalloc.h"

#define PUSH_FILE_MAX CAPS_INFLATED_MAX /* the hub's inflated body cap */

static const char usage[] =
    "usage: sceaux-admin --hub URL --token-file FILE [--ca FILE] [--pin sha256//...]\n"
    "                    [--insecure-http] COMMAND [ARGS]\n"
    "commands:\n"
    "  announce --title T --body B [--priority info|important|urgent]\n"
    "           [--target all|site:ID|kiosk:NAME] [--from TIME] [--until TIME] [--author A]\n"
    "           push an announcement (TIME is RFC 3339; default now, until +7 days)\n"
    "  fleet    list the kiosks the hub has seen\n"
    "  push FILE.json\n"
    "           send a push body ({\"format\":\"sceaux/1\",\"changes\":[...]}),\n"
    "           print one result a line; exit 1 if any is rejected\n"
    "  --help, --version\n";

struct global {
    const char *hub, *token_file, *ca, *pin;
    bool insecure_http;
    char token[HTTP_TOKEN_MAX + 1];
};

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad_usage(const char *fmt, ...)
{
    fputs("sceaux-admin: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    fputs(usage, stderr);
    return 2;
}

static int fail(const char *what, const char *why)
{
    fprintf(stderr, "sceaux-admin: %s: %s\n", what, why);
    return 1;
}

static int read_token(const char *path, char *out, size_t outlen)
{
    char why[512];
    if (http_read_token(path, out, outlen, why, sizeof why)) {
        fprintf(stderr, "sceaux-admin: %s\n", why);
        return 1;
    }
    return 0;
}

/* Sends one request; 0 when a 200 answer is in resp, else 1 with a line
 * printed (resp is released then). */
static int call(struct global *g, const struct http_request *req, struct http_response *resp)
{
    struct http_opts o = {
        .base_url = g->hub,
        .token = g->token,
        .ca_file = g->ca,
        .pin = g->pin,
        .version = SCEAUX_VERSION,
        .connect_timeout = 10,
    };
    struct http *h = http_new(&o);
    if (!h)
        return fail("cannot start libcurl", "out of resources");
    enum err rc = http_request(h, req, resp);
    http_free(h);
    if (rc) {
        fprintf(stderr, "sceaux-admin: cannot reach the hub at %s: %s\n", g->hub, resp->error);
        http_response_release(resp);
        return 1;
    }
    if (resp->status != 200) {
        char why[512];
        http_describe_status(resp, why, sizeof why);
        fprintf(stderr, "sceaux-admin: %s\n", why);
        http_response_release(resp);
        return 1;
    }
    return 0;
}

/* POSTs a push body and prints its results; 1 if any is rejected. */
static int push_body(struct global *g, const char *body, size_t len)
{
    struct http_request req = {
        .method = "POST",
        .path = "/v1/push",
        .body = body,
        .body_len = len,
        .body_gzip = true,
        .outbox = -1,
        .idle_limit = 60,
    };
    struct http_response resp;
    if (call(g, &req, &resp))
        return 1;
    struct push_result *r = NULL;
    size_t n = 0;
    struct verr e;
    enum err rc = changeset_parse_results(resp.body.data ? resp.body.data : "", resp.body.len, NULL,
                                          &r, &n, &e);
    http_response_release(&resp);
    if (rc)
        return fail("hub answered a bad push result", e.message);
    size_t rejected = 0;
    admin_print_results(stdout, r, n, &rejected);
    changeset_results_free(r, n);
    if (rejected) {
        fprintf(stderr, "sceaux-admin: %zu of %zu changes rejected\n", rejected, n);
        return 1;
    }
    return 0;
}

static int parse_time_opt(const char *name, const char *v, int64_t *out)
{
    if (admin_parse_time(v, out)) {
        fprintf(stderr, "sceaux-admin: %s '%s' is not an RFC 3339 time\n", name, v);
        return 2;
    }
    return 0;
}

/* The options of `announce`, as a table: each fills one string. */
static int announce_args(int argc, char **argv, struct admin_announce *a, const char **from,
                         const char **until)
{
    static const struct option opts[] = {
        {"title", required_argument, NULL, 0},    {"body", required_argument, NULL, 1},
        {"priority", required_argument, NULL, 2}, {"target", required_argument, NULL, 3},
        {"from", required_argument, NULL, 4},     {"until", required_argument, NULL, 5},
        {"author", required_argument, NULL, 6},   {NULL, 0, NULL, 0},
    };
    const char **slot[] = {&a->title, &a->body, &a->priority, &a->target, from, until, &a->author};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch < 0 || ch >= (int)(sizeof slot / sizeof slot[0]))
            return bad_usage("announce: unknown or incomplete option '%s'", argv[optind - 1]);
        *slot[ch] = optarg;
    }
    if (optind < argc)
        return bad_usage("announce: unexpected argument '%s'", argv[optind]);
    if (!a->title || !a->body)
        return bad_usage("announce: --title and --body are required");
    return 0;
}

static int cmd_announce(struct global *g, int argc, char **argv)
{
    char id[ID_NEW_LEN + 1];
    if (id_new(id))
        return fail("cannot make an id", strerror(errno));
    struct admin_announce a = {.id = id, .priority = "info", .target = "all"};
    const char *from = NULL, *until = NULL;
    if (announce_args(argc, argv, &a, &from, &until))
        return 2;
    a.from = ts_now();
    if (from && parse_time_opt("--from", from, &a.from))
        return 2;
    a.until = a.from + ADMIN_DEFAULT_DAYS * 86400;
    if (until && parse_time_opt("--until", until, &a.until))
        return 2;
    json_t *change = NULL;
    struct verr e;
    if (admin_announce_change(&a, &change, &e)) {
        fprintf(stderr, "sceaux-admin: announce: %s%s%s\n", e.message, e.field[0] ? " at " : "",
                e.field);
        return 2;
    }
    struct buf body;
    buf_init(&body, PUSH_FILE_MAX);
    enum err rc = changeset_emit_push(&change, 1, &body);
    json_decref(change);
    int code =
        rc ? fail("cannot build the push body", err_str(rc)) : push_body(g, body.data, body.len);
    buf_release(&body);
    return code;
}

static int cmd_fleet(struct global *g, int argc, char **argv)
{
    if (argc > 1)
        return bad_usage("fleet: unexpected argument '%s'", argv[1]);
    struct http_request req = {.method = "GET", .path = "/v1/fleet", .outbox = -1};
    struct http_response resp;
    if (call(g, &req, &resp))
        return 1;
    json_t *root = NULL;
    struct verr e;
    enum err rc = validate_json_load(resp.body.data ? resp.body.data : "", resp.body.len,
                                     VALIDATE_DEPTH_MAX, &root, &e);
    http_response_release(&resp);
    if (rc == ERR_OK && admin_print_fleet(stdout, root) == ERR_OK) {
        json_decref(root);
        return 0;
    }
    json_decref(root);
    return fail("hub answered a bad fleet list", rc ? e.message : "no \"kiosks\" array");
}

static int read_file(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "sceaux-admin: cannot open '%s': %s\n", path, strerror(errno));
        return 1;
    }
    char chunk[65536];
    size_t n;
    enum err rc = ERR_OK;
    while (rc == ERR_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(out, chunk, n);
    bool bad = ferror(f);
    fclose(f);
    if (rc == ERR_TOO_BIG) {
        fprintf(stderr, "sceaux-admin: '%s' is over the hub's %d MiB limit\n", path,
                CAPS_INFLATED_MB);
        return 1;
    }
    if (bad) {
        fprintf(stderr, "sceaux-admin: cannot read '%s'\n", path);
        return 1;
    }
    return 0;
}

static int cmd_push(struct global *g, int argc, char **argv)
{
    if (argc != 2)
        return bad_usage("push: expected one FILE.json");
    struct buf body;
    buf_init(&body, PUSH_FILE_MAX);
    int code = read_file(argv[1], &body);
    if (code == 0)
        code = push_body(g, body.data ? body.data : "", body.len);
    buf_release(&body);
    return code;
}

static int parse_global(int argc, char **argv, struct global *g, bool *done)
{
    static const struct option opts[] = {
        {"hub", required_argument, NULL, 'u'},     {"token-file", required_argument, NULL, 't'},
        {"ca", required_argument, NULL, 'c'},      {"pin", required_argument, NULL, 'p'},
        {"insecure-http", no_argument, NULL, 'i'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0},
    };
    int ch;
    *done = false;
    opterr = 0;
    /* "+": stop at the command, whose options are its own. */
    while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (ch) {
        case 'u':
            g->hub = optarg;
            break;
        case 't':
            g->token_file = optarg;
            break;
        case 'c':
            g->ca = optarg;
            break;
        case 'p':
            g->pin = optarg;
            break;
        case 'i':
            g->insecure_http = true;
            break;
        case 'h':
            fputs(usage, stdout);
            *done = true;
            return 0;
        case 'V':
            printf("sceaux-admin %s\n", SCEAUX_VERSION);
            *done = true;
            return 0;
        default:
            return bad_usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return bad_usage("no command given");
    if (!g->hub || !g->token_file)
        return bad_usage("--hub and --token-file are required");
    if (g->pin && strncmp(g->pin, "sha256//", 8) != 0)
        return bad_usage("--pin must look like sha256//BASE64");
    char why[256];
    if (http_url_check(g->hub, g->insecure_http, why, sizeof why))
        return bad_usage("%s", why);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(struct global *g, int argc, char **argv);
    } cmds[] = {{"announce", cmd_announce}, {"fleet", cmd_fleet}, {"push", cmd_push}};
    static struct global g;
    bool done;
    int code = parse_global(argc, argv, &g, &done);
    if (code || done)
        return code;
    int first = optind;
    int which = -1;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[first], cmds[i].name) == 0)
            which = (int)i;
    if (which < 0)
        return bad_usage("unknown command '%s'", argv[first]);
    xalloc_init();
    if (read_token(g.token_file, g.token, sizeof g.token))
        return 1;
    if (http_global_init())
        return fail("cannot initialise libcurl", "curl_global_init failed");
    code = cmds[which].fn(&g, argc - first, argv + first);
    http_global_cleanup();
    return code;
}
