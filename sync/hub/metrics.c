/* metrics: counters kept as the hub works, and the scrape endpoint (see
 * metrics.h). render() writes the whole page; the scrape server is a
 * second, small libmicrohttpd daemon that answers nothing but it. */
#include "metrics.h"

#include <stdarg.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "http_int.h"
#include "ts.h"
#include "xalloc.h"

#define PAGE_MAX (8u << 20)

static const unsigned statuses[METRICS_STATUSES - 1] = {200, 301, 400, 401, 403, 404, 405,
                                                        413, 415, 429, 500, 503, 304};
/* Upper bounds of the latency buckets, in microseconds; the last is +Inf. */
static const unsigned long long bounds[METRICS_BUCKETS - 1] = {5000,   10000,   50000,  100000,
                                                               500000, 1000000, 5000000};
static const char *const results[3] = {"applied", "duplicate", "rejected"};
static const char *const errors[9] = {"",         "invalid",   "forbidden",
                                      "conflict", "bad_code",  "unavailable",
                                      "exists",   "not_found", "other"};

void metrics_init(struct metrics *m, const char *const *paths, size_t n)
{
    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < n; i++)
        m->ep[i].path = paths[i];
    m->nep = n + 1;
}

void metrics_note_request(struct metrics *m, size_t endpoint, unsigned status, int64_t micros)
{
    struct metrics_endpoint *e = &m->ep[endpoint < m->nep ? endpoint : m->nep - 1];
    size_t s = 0;
    while (s < METRICS_STATUSES - 1 && statuses[s] != status)
        s++;
    atomic_fetch_add(&e->by_status[s], 1);
    size_t b = 0;
    while (b < METRICS_BUCKETS - 1 && (unsigned long long)micros > bounds[b])
        b++;
    atomic_fetch_add(&e->le[b], 1);
    atomic_fetch_add(&e->micros, (unsigned long long)(micros > 0 ? micros : 0));
}

static size_t index_of(const char *const *list, size_t n, const char *s)
{
    size_t i = 0;
    while (i < n - 1 && strcmp(list[i], s) != 0)
        i++;
    return i; /* the last entry when none matches */
}

void metrics_note_push(struct metrics *m, const struct push_result *res, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t r = index_of(results, 3, res[i].status);
        size_t e = index_of(errors, 9, res[i].error);
        atomic_fetch_add(&m->results[r * 9 + e], 1);
    }
}

/* ---- the page ---------------------------------------------------------------- */

/* The page being written; a line that does not fit marks it, and a marked
 * page is answered 500 rather than served short. */
struct page {
    struct buf b;
    enum err rc;
};

__attribute__((format(printf, 2, 3))) static void put(struct page *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum err rc = buf_vprintf(&p->b, fmt, ap);
    va_end(ap);
    if (rc && !p->rc)
        p->rc = rc;
}

static void family(struct page *p, const char *name, const char *type, const char *help)
{
    put(p, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void render_requests(struct page *p, struct metrics *m)
{
    family(p, "sceaux_hub_requests_total", "counter", "Requests answered, by endpoint and status.");
    for (size_t i = 0; i < m->nep; i++)
        for (size_t s = 0; s < METRICS_STATUSES; s++) {
            unsigned long long n = atomic_load(&m->ep[i].by_status[s]);
            if (!n)
                continue;
            char code[16] = "other";
            if (s < METRICS_STATUSES - 1)
                snprintf(code, sizeof code, "%u", statuses[s]);
            put(p, "sceaux_hub_requests_total{endpoint=\"%s\",code=\"%s\"} %llu\n",
                m->ep[i].path ? m->ep[i].path : "other", code, n);
        }
    family(p, "sceaux_hub_request_duration_seconds", "histogram",
           "From a request's headers to its end (a long-poll's wait included).");
    for (size_t i = 0; i < m->nep; i++) {
        const char *path = m->ep[i].path ? m->ep[i].path : "other";
        unsigned long long le[METRICS_BUCKETS], total = 0;
        for (size_t k = 0; k < METRICS_BUCKETS; k++)
            le[k] = atomic_load(&m->ep[i].le[k]);
        for (size_t k = 0; k < METRICS_BUCKETS; k++)
            total += le[k];
        if (!total)
            continue; /* an endpoint nobody asked yet */
        total = 0;
        for (size_t k = 0; k < METRICS_BUCKETS; k++) {
            total += le[k];
            if (k == METRICS_BUCKETS - 1)
                put(p,
                    "sceaux_hub_request_duration_seconds_bucket{endpoint=\"%s\","
                    "le=\"+Inf\"} %llu\n",
                    path, total);
            else
                put(p,
                    "sceaux_hub_request_duration_seconds_bucket{endpoint=\"%s\","
                    "le=\"%g\"} %llu\n",
                    path, (double)bounds[k] / 1e6, total);
        }
        put(p, "sceaux_hub_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n", path,
            (double)atomic_load(&m->ep[i].micros) / 1e6);
        put(p, "sceaux_hub_request_duration_seconds_count{endpoint=\"%s\"} %llu\n", path, total);
    }
}

static void render_pushes(struct page *p, struct metrics *m)
{
    family(p, "sceaux_hub_push_changes_total", "counter",
           "Changes received in pushes, by result and error.");
    for (size_t i = 0; i < METRICS_RESULTS; i++) {
        unsigned long long n = atomic_load(&m->results[i]);
        if (n)
            put(p, "sceaux_hub_push_changes_total{result=\"%s\",error=\"%s\"} %llu\n",
                results[i / 9], errors[i % 9], n);
    }
}

/* Kiosks, from the fleet as the store has it (written every second). */
static void render_fleet(struct page *p, struct hub_http *h)
{
    struct store_state st;
    struct store_kiosk *k = NULL;
    size_t n = 0;
    if (store_state(h->store, &st) || store_fleet_list(h->store, &k, &n))
        return;
    family(p, "sceaux_hub_head_seq", "gauge", "The last committed seq.");
    put(p, "sceaux_hub_head_seq %lld\n", (long long)st.head);
    family(p, "sceaux_hub_kiosk_replica_lag", "gauge",
           "Changes a kiosk's replica is behind the head (head - its cursor).");
    int64_t now = ts_now(), seen = 0;
    size_t online = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t lag = st.head - k[i].cursor;
        put(p, "sceaux_hub_kiosk_replica_lag{kiosk=\"%s\",site=\"%s\"} %lld\n",
            k[i].name ? k[i].name : "", k[i].site ? k[i].site : "", (long long)(lag > 0 ? lag : 0));
        if (k[i].last_seen && ts_parse(k[i].last_seen, &seen) == ERR_OK &&
            now - seen <= h->cfg.offline_after)
            online++;
    }
    family(p, "sceaux_hub_kiosks_online", "gauge",
           "Kiosk tokens seen within --offline-after seconds.");
    put(p, "sceaux_hub_kiosks_online %zu\n", online);
    family(p, "sceaux_hub_kiosks", "gauge", "Live kiosk tokens.");
    put(p, "sceaux_hub_kiosks %zu\n", n);
    store_fleet_free(k, n);
}

static long long file_size(const char *path, const char *suffix)
{
    char name[4096];
    struct stat sb;
    snprintf(name, sizeof name, "%s%s", path, suffix);
    return stat(name, &sb) == 0 ? (long long)sb.st_size : 0;
}

struct metrics_server {
    struct hub_http *h;
    char *db_path;
    struct MHD_Daemon *mhd;
    unsigned port;
};

/* The page, or NULL when it passed PAGE_MAX. */
static char *render(struct metrics_server *s, size_t *len)
{
    struct page pg = {.rc = ERR_OK};
    struct page *p = &pg;
    buf_init(&p->b, PAGE_MAX);
    render_requests(p, &s->h->metrics);
    render_pushes(p, &s->h->metrics);
    family(p, "sceaux_hub_longpolls_held", "gauge", "Long-polls waiting for a commit.");
    put(p, "sceaux_hub_longpolls_held %zu\n", waitq_count(&s->h->waitq));
    render_fleet(p, s->h);
    /* A PostgreSQL database is no file of ours: its size is the server's
     * to report (pg_database_size), and a 0 here would mislead. */
    if (!store_is_pg_url(s->db_path)) {
        family(p, "sceaux_hub_database_bytes", "gauge", "The database and its write-ahead log.");
        put(p, "sceaux_hub_database_bytes %lld\n",
            file_size(s->db_path, "") + file_size(s->db_path, "-wal"));
    }
    if (p->rc) {
        buf_release(&p->b);
        return NULL;
    }
    return buf_detach(&p->b, len);
}

static enum MHD_Result on_scrape(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    (void)version, (void)upload_data, (void)con_cls;
    *upload_data_size = 0; /* a body is read and dropped */
    bool found = strcmp(url, "/metrics") == 0 && strcmp(method, "GET") == 0;
    size_t len = 0;
    unsigned status = 200;
    char *page = found ? render(cls, &len) : NULL;
    if (!page) {
        status = found ? 500 : 404;
        page = xstrdup(found ? "metrics page over its size cap\n" : "not found: GET /metrics\n");
        len = strlen(page);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, page, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(page);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

enum err metrics_start(struct hub_http *h, const char *listen, const char *db_path,
                       struct metrics_server **out, char *errbuf, size_t errlen)
{
    struct addrinfo *ai = NULL;
    *out = NULL;
    enum err rc = req_resolve(listen, &ai, errbuf, errlen);
    if (rc)
        return rc;
    struct metrics_server *s = xcalloc(1, sizeof *s);
    s->h = h;
    s->db_path = xstrdup(db_path);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_scrape, s, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                              MHD_OPTION_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
                              MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!s->mhd) {
        snprintf(errbuf, errlen, "cannot listen on '%s'", listen);
        free(s->db_path);
        free(s);
        return ERR_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    *out = s;
    return ERR_OK;
}

unsigned metrics_port(struct metrics_server *s)
{
    return s->port;
}

void metrics_stop(struct metrics_server *s)
{
    MHD_stop_daemon(s->mhd);
    free(s->db_path);
    free(s);
}
