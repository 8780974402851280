/* console: the staff console's endpoints, session auth and static files
 * (see console.h). Start at console_login(), then console_auth(). */
#include "console.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "id.h"
#include "log.h"
#include "rules.h"
#include "session.h"
#include "ts.h"
#include "users.h"
#include "xalloc.h"

#define ASSET_MAX ((off_t)1 << 20) /* bytes of one console file */
#define AUDIT_DEFAULT 200
#define AUDIT_MAX 1000
#define DETAIL_MAX 160 /* bytes of an audit entry's detail */

/* No inline script or style, nothing from elsewhere, never in a frame. */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                          "frame-ancestors 'none'; base-uri 'none'";

struct asset {
    const char *path;
    const char *file;
    const char *type;
};

static const struct asset assets[] = {
    {"/console/", "index.html", "text/html; charset=utf-8"},
    {"/console/index.html", "index.html", "text/html; charset=utf-8"},
    {"/console/console.css", "console.css", "text/css; charset=utf-8"},
    {"/console/console.js", "console.js", "text/javascript; charset=utf-8"},
    {"/console/forms.js", "forms.js", "text/javascript; charset=utf-8"},
    {"/console/ideas.js", "ideas.js", "text/javascript; charset=utf-8"},
    {"/console/picture.js", "picture.js", "text/javascript; charset=utf-8"},
};

/* ---- static files ------------------------------------------------------------ */

static bool read_asset(const char *dir, const char *file, char **out, size_t *len)
{
    char path[CONSOLE_DIR_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat sb;
    bool ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size <= ASSET_MAX;
    char *buf = ok ? xmalloc((size_t)sb.st_size + 1) : NULL;
    size_t got = 0;
    while (ok && got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
        if (n <= 0)
            ok = false;
        else
            got += (size_t)n;
    }
    close(fd);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *len = got;
    return true;
}

static void security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
}

enum MHD_Result console_static(struct req *r)
{
    const struct asset *a = NULL;
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
        if (strcmp(assets[i].path, r->path) == 0)
            a = &assets[i];
    char *body = NULL;
    size_t len = 0;
    if (!a || !r->h->console_dir[0] || !read_asset(r->h->console_dir, a->file, &body, &len))
        return req_error(r, 404, "not_found", NULL, "the console's files are not installed");
    bool gz = req_encode(r, &body, &len);
    r->status = 200;
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (gz)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    security_headers(resp);
    enum MHD_Result ok = MHD_queue_response(r->conn, 200, resp);
    MHD_destroy_response(resp);
    return ok;
}

enum MHD_Result console_redirect(struct req *r)
{
    r->status = 301;
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, "/console/");
    enum MHD_Result ok = MHD_queue_response(r->conn, 301, resp);
    MHD_destroy_response(resp);
    return ok;
}

static bool has_index(const char *dir)
{
    char path[CONSOLE_DIR_MAX + 64];
    snprintf(path, sizeof path, "%s/index.html", dir);
    return access(path, R_OK) == 0;
}

bool console_find_dir(const char *given, char *out)
{
    out[0] = '\0';
    if (given) {
        snprintf(out, CONSOLE_DIR_MAX, "%s", given);
        return has_index(out);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        static const char *const rel[] = {"../share/sceaux/console", "../assets/console",
                                          "../../assets/console"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char cand[PATH_MAX + 64];
            snprintf(cand, sizeof cand, "%s/%s", exe, rel[i]);
            char real[PATH_MAX];
            if (realpath(cand, real) && strlen(real) < CONSOLE_DIR_MAX && has_index(real)) {
                memcpy(out, real, strlen(real) + 1);
                return true;
            }
        }
    }
    char real[PATH_MAX];
    if (realpath("assets/console", real) && strlen(real) < CONSOLE_DIR_MAX && has_index(real)) {
        memcpy(out, real, strlen(real) + 1);
        return true;
    }
    return false;
}

/* ---- origin ---------------------------------------------------------------------- */

static const char *header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* True when `url` is http(s)://HOST followed by the end or by `tail`. */
static bool url_is_host(const char *url, const char *host, const char *tails)
{
    size_t skip;
    if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else
        return false;
    size_t hl = strlen(host);
    if (hl == 0 || strncasecmp(url + skip, host, hl) != 0)
        return false;
    char next = url[skip + hl];
    return next == '\0' || strchr(tails, next) != NULL;
}

bool console_same_origin(struct req *r)
{
    const char *host = header(r, MHD_HTTP_HEADER_HOST);
    if (!host)
        return false;
    const char *origin = header(r, "Origin");
    if (origin)
        return url_is_host(origin, host, "");
    const char *ref = header(r, MHD_HTTP_HEADER_REFERER);
    return ref && url_is_host(ref, host, "/?#");
}

static bool over_tls(struct req *r)
{
    const char *proto = header(r, "X-Forwarded-Proto");
    const char *origin = header(r, "Origin");
    return r->h->cfg.tls || (proto && strcasecmp(proto, "https") == 0) ||
           (origin && strncasecmp(origin, "https://", 8) == 0);
}

/* ---- audit ------------------------------------------------------------------------- */

/* Copies at most max bytes of s, never cutting a UTF-8 sequence. */
static void cut_utf8(char *out, size_t outlen, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (max > outlen - 1)
        max = outlen - 1;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Writes entry `a` (its strings borrowed) at the hub's time, its detail
 * cut to DETAIL_MAX bytes. */
static void audit(struct req *r, struct store_audit a)
{
    char at[TS_LEN + 1];
    ts_format(ts_now(), at);
    a.at = at;
    char d[DETAIL_MAX + 1] = "";
    if (a.detail) {
        cut_utf8(d, sizeof d, a.detail, DETAIL_MAX);
        a.detail = d;
    }
    if (store_audit_add(r->h->store, &a))
        log_error("cannot write the audit trail: %s", store_errmsg(r->h->store));
}

/* An entry of `who` doing `action` with result `status`; detail may be
 * NULL. */
static void audit_event(struct req *r, const char *who, const char *action, const char *status,
                        const char *detail)
{
    audit(r, (struct store_audit){.user = (char *)who,
                                  .action = (char *)action,
                                  .status = (char *)status,
                                  .detail = (char *)detail});
}

/* The signature of `name` (an account): its own, else the default. New. */
static char *signature_of(struct req *r, const char *name)
{
    struct store_user u;
    char *sig = NULL;
    if (store_user_get(r->h->store, name, &u) == ERR_OK) {
        sig = u.signature;
        u.signature = NULL;
        store_user_release(&u);
    }
    return sig ? sig : xstrdup(USERS_SIGNATURE_DEFAULT);
}

void console_push_prepare(struct req *r, struct push_change *c)
{
    if (!r->session || !c->valid || c->op != CS_UPSERT || !c->row || !c->table)
        return;
    if (strcmp(c->table->name, "announcement") == 0) {
        char *sig = signature_of(r, r->token.name);
        json_object_set_new(c->row, "author", json_string(sig));
        free(sig);
    }
}

void console_push_note(struct req *r, const struct push_change *c, const struct push_result *res)
{
    /* Every write by a person: a console session, or a staff or admin
     * token (sceaux-admin); kiosks' writes are the public's. */
    if (!r->session && r->token.role != STORE_STAFF && r->token.role != STORE_ADMIN)
        return;
    const char *label = NULL;
    /* A status says what was done; a help offer's name and contact
     * never reach the audit trail, which outlives them. */
    static const char *const by_status[] = {"proposal", "booking", "help_offer", NULL};
    for (int i = 0; c->row && c->table && by_status[i]; i++)
        if (strcmp(c->table->name, by_status[i]) == 0)
            label = rules_str(c->row, "status");
    if (!label && c->row)
        label = rules_str(c->row, "title");
    if (!label && c->row)
        label = rules_str(c->row, "name");
    /* The refusal as its code and field: the console words it (in French),
     * the hub's English message is not kept. */
    const char *action = c->valid ? changeset_op_name(c->op) : "invalid";
    audit(r, (struct store_audit){.user = r->token.name,
                                  .action = (char *)(action ? action : "invalid"),
                                  .table = (char *)(c->table ? c->table->name : NULL),
                                  .row_id = (char *)c->row_id,
                                  .status = (char *)res->status,
                                  .detail = (char *)label,
                                  .error = res->error[0] ? (char *)res->error : NULL,
                                  .field = res->field[0] ? (char *)res->field : NULL});
}

/* ---- sessions ----------------------------------------------------------------------- */

enum err console_auth(struct req *r)
{
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, CONSOLE_COOKIE);
    if (!cookie)
        return ERR_AUTH;
    struct session_info si;
    enum err rc = session_find(r->h->store, cookie, ts_now(), &si);
    if (rc)
        return rc;
    r->token.name = xstrdup(si.name);
    r->token.role = si.role;
    r->session = true;
    r->session_expires = si.expires;
    snprintf(r->session_token, sizeof r->session_token, "%s", cookie);
    snprintf(r->who, sizeof r->who, "%s", r->token.name);
    return ERR_OK;
}

static enum MHD_Result me(struct req *r, const char *name, enum store_role role, int64_t expires)
{
    char at[TS_LEN + 1];
    ts_format(expires, at);
    char *sig = signature_of(r, name);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "role", json_string(store_role_name(role)));
    json_object_set_new(o, "expires_at", json_string(at));
    json_object_set_new(o, "signature", json_string(sig));
    free(sig);
    return req_reply_json(r, 200, o);
}

/* 401 for requests without a session (a bearer token is not one). */
static bool need_session(struct req *r, enum MHD_Result *ret)
{
    if (r->session)
        return true;
    if (r->auth_rc != ERR_OK && r->auth_rc != ERR_AUTH) {
        *ret = req_error(r, 500, "internal", NULL, "the hub cannot read its sessions");
        return false;
    }
    *ret = req_error(r, 401, "unauthorized", NULL, "log in to the console first");
    return false;
}

enum MHD_Result console_session(struct req *r)
{
    enum MHD_Result ret = MHD_NO;
    if (!need_session(r, &ret))
        return ret;
    return me(r, r->token.name, r->token.role, r->session_expires);
}

/* Reads {"name": ..., "password": ...}; false with the reply sent. */
static bool login_body(struct req *r, json_t **root, const char **name, const char **pw,
                       size_t *pwlen, enum MHD_Result *ret)
{
    const char *data;
    size_t len;
    if (!req_body(r, &data, &len, ret))
        return false;
    json_error_t jerr;
    *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    json_t *n = *root ? json_object_get(*root, "name") : NULL;
    json_t *p = *root ? json_object_get(*root, "password") : NULL;
    const char *field = !json_is_string(n) || !id_valid(json_string_value(n)) ? "name"
                        : !json_is_string(p) || json_string_length(p) > USERS_PASSWORD_MAX
                            ? "password"
                            : NULL;
    if (!*root || !json_is_object(*root) || field) {
        *ret = req_error(r, 400, "invalid", field,
                         "send {\"name\": \"<account>\", \"password\": \"<password>\"}");
        return false;
    }
    *name = json_string_value(n);
    *pw = json_string_value(p);
    *pwlen = json_string_length(p);
    return true;
}

static enum MHD_Result login_refused(struct req *r, int64_t retry, const char *why)
{
    snprintf(r->retry_after, sizeof r->retry_after, "%lld", (long long)retry);
    return req_error(r, 429, "too_many_requests", NULL, why);
}

/* Checks the password of `name` in one of the few check slots (session.h):
 * *good tells; the user, when found, goes to u (release it). False with
 * the reply sent when the slots are busy or storage failed. */
static bool login_check(struct req *r, const char *name, const char *pw, size_t pwlen,
                        struct store_user *u, bool *good, enum MHD_Result *ret)
{
    if (!session_check_begin(&r->h->sessions)) {
        *ret = login_refused(r, 1, "the hub is checking other passwords; try again in a second");
        return false;
    }
    enum err rc = store_user_get(r->h->store, name, u);
    if (rc && rc != ERR_NOT_FOUND) {
        session_check_end(&r->h->sessions);
        log_error("cannot read an account: %s", store_errmsg(r->h->store));
        *ret = req_error(r, 500, "internal", NULL, "the hub cannot read its accounts");
        return false;
    }
    *good = users_check(pw, pwlen, rc == ERR_OK ? u->hash : NULL);
    session_check_end(&r->h->sessions);
    return true;
}

enum MHD_Result console_login(struct req *r)
{
    enum MHD_Result ret = MHD_NO;
    /* Browsers always send Origin with a POST; curl may send none. */
    if (header(r, "Origin") && !console_same_origin(r))
        return req_error(r, 403, "forbidden", NULL, "log in from the hub's own page");
    json_t *root = NULL;
    const char *name, *pw;
    size_t pwlen;
    if (!login_body(r, &root, &name, &pw, &pwlen, &ret)) {
        json_decref(root);
        return ret;
    }
    char addr[SESSION_ADDR_MAX];
    req_client_address(r, addr, sizeof addr);
    int64_t now = ts_now(), retry = 0;
    if (!session_login_allowed(&r->h->sessions, name, addr, now, &retry)) {
        json_decref(root);
        return login_refused(r, retry, "too many failed logins; wait a minute before trying again");
    }
    struct store_user u;
    memset(&u, 0, sizeof u);
    bool good = false;
    if (!login_check(r, name, pw, pwlen, &u, &good, &ret)) {
        json_decref(root);
        return ret;
    }
    if (!good) {
        session_login_failed(&r->h->sessions, name, addr, now);
        if (u.name)
            audit_event(r, u.name, "login_failed", "refused", addr);
        store_user_release(&u);
        json_decref(root);
        return req_error(r, 401, "unauthorized", NULL, "wrong name or password");
    }
    session_login_ok(&r->h->sessions, name, addr);
    char token[SESSION_TOKEN_LEN + 1];
    int64_t expires = 0;
    enum err rc = session_new(&r->h->sessions, r->h->store, u.name, now, token, &expires);
    if (rc == ERR_OK) {
        r->set_cookie =
            xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", CONSOLE_COOKIE,
                      token, (long long)(expires - now), over_tls(r) ? "; Secure" : "");
        audit_event(r, u.name, "login", "ok", addr);
        snprintf(r->who, sizeof r->who, "%s", u.name);
        ret = me(r, u.name, u.role, expires);
    } else if (rc == ERR_TOO_BIG) {
        ret = req_error(r, 503, "too_many_sessions", NULL, "too many open sessions");
    } else {
        log_error("cannot open a session: %s", store_errmsg(r->h->store));
        ret = req_error(r, 500, "internal", NULL, "the hub cannot write its sessions");
    }
    store_user_release(&u);
    json_decref(root);
    return ret;
}

enum MHD_Result console_logout(struct req *r)
{
    enum MHD_Result ret = MHD_NO;
    if (!need_session(r, &ret))
        return ret;
    if (session_revoke(r->h->store, r->session_token)) {
        log_error("cannot end a session: %s", store_errmsg(r->h->store));
        return req_error(r, 500, "internal", NULL, "the hub cannot write its sessions");
    }
    r->set_cookie = xasprintf("%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", CONSOLE_COOKIE);
    audit_event(r, r->token.name, "logout", "ok", NULL);
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string("logged_out"));
    return req_reply_json(r, 200, o);
}

enum MHD_Result console_sign(struct req *r)
{
    enum MHD_Result ret = MHD_NO;
    if (!need_session(r, &ret))
        return ret;
    const char *data;
    size_t len;
    if (!req_body(r, &data, &len, &ret))
        return ret;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
    json_t *v = json_is_object(root) ? json_object_get(root, "signature") : NULL;
    char why[128] = "send {\"signature\": \"<text>\"} or null for the default";
    bool ok = json_is_null(v) ||
              (json_is_string(v) &&
               users_signature_ok(json_string_value(v), json_string_length(v), why, sizeof why));
    if (!ok) {
        json_decref(root);
        return req_error(r, 400, "invalid", "signature", why);
    }
    enum err rc = store_user_sign(r->h->store, r->token.name, json_string_value(v));
    json_decref(root);
    if (rc) {
        log_error("cannot set a signature: %s", store_errmsg(r->h->store));
        return req_error(r, 500, "internal", NULL, "the hub cannot write its accounts");
    }
    char *sig = signature_of(r, r->token.name);
    audit_event(r, r->token.name, "signature", "ok", sig);
    free(sig);
    return me(r, r->token.name, r->token.role, r->session_expires);
}

enum MHD_Result console_audit(struct req *r)
{
    enum MHD_Result ret = MHD_NO;
    if (!need_session(r, &ret))
        return ret;
    int64_t limit = AUDIT_DEFAULT;
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "limit");
    if (v && (!api_parse_count(v, &limit) || limit == 0))
        return req_error(r, 400, "invalid", "limit", "'limit' must be a whole number from 1");
    if (limit > AUDIT_MAX)
        limit = AUDIT_MAX;
    struct store_audit *a = NULL;
    size_t n = 0;
    if (store_audit_list(r->h->store, (size_t)limit, &a, &n)) {
        log_error("cannot read the audit trail: %s", store_errmsg(r->h->store));
        return req_error(r, 500, "internal", NULL, "the hub cannot read its audit trail");
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(a[i].id));
        json_object_set_new(o, "at", api_str_or_null(a[i].at));
        json_object_set_new(o, "user", api_str_or_null(a[i].user));
        json_object_set_new(o, "action", api_str_or_null(a[i].action));
        json_object_set_new(o, "table", api_str_or_null(a[i].table));
        json_object_set_new(o, "row_id", api_str_or_null(a[i].row_id));
        json_object_set_new(o, "status", api_str_or_null(a[i].status));
        json_object_set_new(o, "detail", api_str_or_null(a[i].detail));
        json_object_set_new(o, "error", api_str_or_null(a[i].error));
        json_object_set_new(o, "field", api_str_or_null(a[i].field));
        json_array_append_new(list, o);
    }
    store_audit_free(a, n);
    json_t *o = json_object();
    json_object_set_new(o, "entries", list);
    return req_reply_json(r, 200, o);
}

/* ---- fleet ---------------------------------------------------------------------- */

void console_connected(struct hub_http *h, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    size_t cap = 0;
    waitq_lock(&h->waitq);
    for (struct waitq_entry *e = h->waitq.head_entry; e; e = e->next) {
        struct req *o = e->owner;
        if (o->token.role != STORE_KIOSK || !o->token.name)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *names = xrealloc(*names, cap * sizeof **names);
        }
        (*names)[(*n)++] = xstrdup(o->token.name);
    }
    waitq_unlock(&h->waitq);
}
