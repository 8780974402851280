/* model: cached queries of the replica (the outbox writes are
 * model_write.c).
 *
 * Each query owns a cache slot holding its last parameters, the replica
 * generation it was read at and its rows. A slot is read again only when
 * the parameters differ or the generation moved (another process
 * committed, seen through PRAGMA data_version, or this process wrote), so
 * a frame drawn while scrolling costs no SQL at all. */
#include "model.h"

#include <stdio.h>
#include <string.h>

#include "model_int.h"
#include "replica.h"
#include "rrule.h"
#include "tables.h"
#include "theme.h"
#include "ts.h"
#include "xalloc.h"

#define MODEL_MAX_PARAMS 4
#define MODEL_MAX_ROWS 20000                          /* a cap on what one screen may hold */
#define MODEL_MAX_EVENTS 2000                         /* occurrences on one screen */
#define MODEL_MAX_OCCURRENCES 400                     /* of one series in one window */
#define MODEL_NEXT_HORIZON ((int64_t)400 * 24 * 3600) /* how far the next event is looked for */

const char *model_str(const struct model_rows *r, int i, int j)
{
    if (!r || i < 0 || i >= r->n || j < 0 || j >= r->ncols)
        return "";
    const char *s = r->cell[i * r->ncols + j];
    return s ? s : "";
}

int model_find(const struct model_rows *r, int j, const char *value, int from)
{
    for (int i = from < 0 ? 0 : from; r && i < r->n; i++)
        if (strcmp(model_str(r, i, j), value) == 0)
            return i;
    return -1;
}

int64_t model_int(const struct model_rows *r, int i, int j)
{
    return strtoll(model_str(r, i, j), NULL, 10);
}

static int64_t data_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

enum err model_open(const char *path, struct model **out, char *errbuf, size_t errlen)
{
    struct replica *rep = NULL;
    *out = NULL;
    enum err rc = replica_open(path, &rep, errbuf, errlen);
    if (rc)
        return rc;
    struct model *m = xcalloc(1, sizeof *m);
    m->rep = rep;
    m->db = replica_db(rep);
    m->gen = 1;
    m->data_version = data_version(m->db);
    *out = m;
    return ERR_OK;
}

static void rows_free(struct model_rows *r)
{
    for (int i = 0; i < r->n * r->ncols; i++)
        free(r->cell[i]);
    free(r->cell);
    memset(r, 0, sizeof *r);
}

void model_close(struct model *m)
{
    if (!m)
        return;
    for (int i = 0; i < Q_COUNT; i++) {
        rows_free(&m->caches[i].rows);
        rows_free(&m->caches[i].expanded);
        free(m->caches[i].key);
    }
    replica_close(m->rep);
    free(m);
}

bool model_poll(struct model *m, uint64_t ms)
{
    if (m->polled_ms && ms - m->polled_ms < THEME_POLL_MS)
        return false;
    m->polled_ms = ms;
    return model_refresh(m);
}

bool model_refresh(struct model *m)
{
    int64_t v = data_version(m->db);
    if (v == m->data_version)
        return false;
    m->data_version = v;
    m->gen++;
    return true;
}

static char *join_key(const char *const *params, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += (params[i] ? strlen(params[i]) : 0) + 2;
    char *k = xmalloc(len), *p = k;
    for (int i = 0; i < n; i++) {
        *p++ = params[i] ? 'v' : 'n';
        if (params[i]) {
            size_t l = strlen(params[i]);
            memcpy(p, params[i], l);
            p += l;
        }
        *p++ = '\x1f';
    }
    *p = '\0';
    return k;
}

/* Runs sql with params (NULL binds NULL) into slot's rows, unless the slot
 * already holds them for this generation. On a database error the slot is
 * left empty: screens then show their empty state, never stale rows of
 * another query. */
static const struct model_rows *query(struct model *m, enum slot slot, const char *sql,
                                      const char *const *params, int nparams)
{
    struct cache *c = &m->caches[slot];
    char *key = join_key(params, nparams);
    if (c->valid && c->sql == sql && c->gen == m->gen && strcmp(c->key, key) == 0) {
        free(key);
        return &c->rows;
    }
    rows_free(&c->rows);
    free(c->key);
    c->fill++;
    c->key = key;
    c->sql = sql;
    c->gen = m->gen;
    c->valid = true;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK)
        return &c->rows;
    for (int i = 0; i < nparams; i++) {
        if (params[i])
            sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, i + 1);
    }
    int ncols = sqlite3_column_count(st);
    size_t cap = 0;
    c->rows.ncols = ncols;
    while (c->rows.n < MODEL_MAX_ROWS && sqlite3_step(st) == SQLITE_ROW) {
        size_t need = (size_t)(c->rows.n + 1) * (size_t)ncols;
        if (need > cap) {
            cap = cap ? cap * 2 : (size_t)ncols * 64;
            c->rows.cell = xrealloc(c->rows.cell, cap * sizeof *c->rows.cell);
        }
        for (int j = 0; j < ncols; j++) {
            const unsigned char *t = sqlite3_column_text(st, j);
            c->rows.cell[c->rows.n * ncols + j] = t ? xstrdup((const char *)t) : NULL;
        }
        c->rows.n++;
    }
    sqlite3_finalize(st);
    return &c->rows;
}

/* ---- reads ---- */

static const char sql_initiatives[] =
    "SELECT id, title, summary, domain, stage, carrier, supports, picture, picture_alt"
    " FROM initiative WHERE published = 1 AND (?1 IS NULL OR domain = ?1) AND (?3 IS NULL OR stage "
    "= ?3)"
    " ORDER BY supports DESC, title COLLATE NOCASE, id";

static const char sql_initiatives_search[] =
    "SELECT i.id, i.title, i.summary, i.domain, i.stage, i.carrier, i.supports, i.picture,"
    " i.picture_alt"
    " FROM search JOIN initiative i ON i.id = search.row_id"
    " WHERE search MATCH ?2 AND search.tbl = 'initiative' AND i.published = 1"
    " AND (?1 IS NULL OR i.domain = ?1) AND (?3 IS NULL OR i.stage = ?3)"
    " ORDER BY rank LIMIT 2000";

const struct model_rows *model_initiatives(struct model *m, const char *domain, const char *stage,
                                           const char *query_text)
{
    char *expr = query_text ? replica_search_expr(query_text) : NULL;
    /* Without search words ?2 is unused and stays NULL. */
    const char *p[] = {domain, expr, stage};
    const struct model_rows *r =
        query(m, Q_INITIATIVES, expr ? sql_initiatives_search : sql_initiatives, p, 3);
    free(expr);
    return r;
}

const struct model_rows *model_initiative(struct model *m, const char *id)
{
    static const char sql[] =
        "SELECT id, title, summary, domain, stage, carrier, supports, description, contact, url,"
        " picture, picture_alt FROM initiative WHERE id = ?1 AND published = 1";
    const char *p[] = {id};
    return query(m, Q_INITIATIVE, sql, p, 1);
}

const struct model_rows *model_featured(struct model *m, int64_t day)
{
    static const char sql[] =
        "SELECT id, title, summary, domain, stage, carrier, supports, picture, picture_alt"
        " FROM initiative WHERE published = 1 ORDER BY id LIMIT 1 OFFSET"
        " (?1 % max(1, (SELECT count(*) FROM initiative WHERE published = 1)))";
    char d[32];
    snprintf(d, sizeof d, "%lld", (long long)(day < 0 ? -day : day));
    const char *p[] = {d};
    return query(m, Q_FEATURED, sql, p, 1);
}

/* An event without a place shows its room and site, when it has them. */
#define EVENT_COLS                                                                                 \
    "SELECT e.id, e.title, e.starts_at, e.ends_at, e.category,"                                    \
    " coalesce(e.place, r.name || ', ' || s.name, r.name, s.name), e.domain, e.organizer,"         \
    " e.description, e.url, e.room_id, e.rrule, e.organization_id, e.picture, e.picture_alt"       \
    " FROM event e"                                                                                \
    " LEFT JOIN room r ON r.id = e.room_id LEFT JOIN site s ON s.id = e.site_id "

/* Events overlapping [?1, ?2), and series (rrule) that start before ?2,
 * of category ?3 and domain ?4 (NULL: any). */
static const char sql_events[] =
    EVENT_COLS "WHERE e.starts_at < ?2 AND (e.ends_at > ?1 OR e.rrule IS NOT NULL)"
               " AND (?3 IS NULL OR e.category = ?3) AND (?4 IS NULL OR e.domain = ?4)"
               " ORDER BY e.starts_at, e.title LIMIT 2000";

struct occ {
    int64_t start, length;
    int row;
};

static int occ_cmp(const void *a, const void *b)
{
    const struct occ *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->row - y->row; /* the query's order: by title */
}

/* The occurrences of rows's events overlapping [from, to) and starting at
 * or after min_start, by start, at most limit (and MODEL_MAX_OCCURRENCES
 * per series). */
static int occurrences(const struct model_rows *rows, int64_t from, int64_t to, int64_t min_start,
                       int limit, struct occ **out)
{
    int n = 0, cap = 0;
    int64_t t[MODEL_MAX_OCCURRENCES];
    *out = NULL;
    for (int i = 0; i < rows->n; i++) {
        int64_t s = 0, e = 0;
        struct rrule r;
        char why[120];
        if (ts_parse(model_str(rows, i, EV_STARTS), &s) ||
            ts_parse(model_str(rows, i, EV_ENDS), &e))
            continue;
        const char *rule = model_str(rows, i, EV_RRULE);
        int k = 1;
        t[0] = s;
        if (rule[0])
            k = rrule_parse(rule, &r, why, sizeof why) == ERR_OK
                    ? rrule_expand(&r, s, e - s, from, to, t, MODEL_MAX_OCCURRENCES)
                    : 0;
        for (int j = 0; j < k; j++) {
            if (t[j] < min_start)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                *out = xrealloc(*out, (size_t)cap * sizeof **out);
            }
            (*out)[n++] = (struct occ){t[j], e - s, i};
        }
    }
    if (n > 1)
        qsort(*out, (size_t)n, sizeof **out, occ_cmp);
    return n < limit ? n : limit;
}

/* Slot's rows (events, by query()) as occurrences into the slot's second
 * set of rows: each a copy of its event's row, its times the occurrence's.
 * Rebuilt only when query() read the slot again. */
static const struct model_rows *expand(struct model *m, enum slot slot, const char *from,
                                       const char *to, int64_t min_start, int limit)
{
    struct cache *c = &m->caches[slot];
    if (c->expanded_fill == c->fill)
        return &c->expanded;
    rows_free(&c->expanded);
    c->expanded_fill = c->fill;
    struct occ *o;
    int64_t f = 0, t = 0;
    if (ts_parse(from, &f) || ts_parse(to, &t))
        return &c->expanded;
    int n = occurrences(&c->rows, f, t, min_start, limit, &o);
    int nc = c->rows.ncols;
    c->expanded.ncols = nc;
    c->expanded.n = n;
    c->expanded.cell = xcalloc((size_t)n * (size_t)nc + 1, sizeof *c->expanded.cell);
    for (int i = 0; i < n; i++) {
        const char *const *src = (const char *const *)&c->rows.cell[o[i].row * nc];
        char **dst = &c->expanded.cell[i * nc];
        for (int j = 0; j < nc; j++)
            dst[j] = src[j] ? xstrdup(src[j]) : NULL;
        ts_format(o[i].start, dst[EV_STARTS]); /* both TS_LEN long */
        ts_format(o[i].start + o[i].length, dst[EV_ENDS]);
    }
    free(o);
    return &c->expanded;
}

const struct model_rows *model_events(struct model *m, const char *from, const char *to,
                                      const char *category, const char *domain)
{
    const char *p[] = {from, to, category, domain};
    query(m, Q_EVENTS, sql_events, p, 4);
    return expand(m, Q_EVENTS, from, to, INT64_MIN, MODEL_MAX_EVENTS);
}

const struct model_rows *model_events_month(struct model *m, const char *from, const char *to,
                                            const char *category, const char *domain)
{
    const char *p[] = {from, to, category, domain};
    query(m, Q_EVENTS_MONTH, sql_events, p, 4);
    return expand(m, Q_EVENTS_MONTH, from, to, INT64_MIN, MODEL_MAX_EVENTS);
}

const struct model_rows *model_event_next(struct model *m, const char *after, const char *category,
                                          const char *domain)
{
    int64_t t = 0;
    char to[TS_LEN + 1];
    if (ts_parse(after, &t))
        t = INT64_MAX - MODEL_NEXT_HORIZON; /* no event starts after that */
    ts_format(t + MODEL_NEXT_HORIZON, to);
    const char *p[] = {after, to, category, domain};
    query(m, Q_EVENT_NEXT, sql_events, p, 4);
    return expand(m, Q_EVENT_NEXT, after, to, t, 1);
}

const struct model_rows *model_event(struct model *m, const char *id)
{
    static const char sql[] = EVENT_COLS "WHERE e.id = ?1";
    const char *p[] = {id};
    return query(m, Q_EVENT, sql, p, 1);
}

const struct model_rows *model_events_home(struct model *m, const char *from, const char *to)
{
    const char *p[] = {from, to, NULL, NULL};
    query(m, Q_EVENTS_HOME, sql_events, p, 4);
    return expand(m, Q_EVENTS_HOME, from, to, INT64_MIN, 12);
}

const struct model_rows *model_events_linked(struct model *m, const char *from, const char *to)
{
    const char *p[] = {from, to, NULL, NULL};
    query(m, Q_EVENTS_LINKED, sql_events, p, 4);
    return expand(m, Q_EVENTS_LINKED, from, to, INT64_MIN, MODEL_MAX_EVENTS);
}

const struct model_rows *model_rooms(struct model *m, const char *site)
{
    static const char sql[] = "SELECT id, name, capacity, equipment, opens, closes FROM room"
                              " WHERE site_id = ?1 AND bookable = 1 ORDER BY name, id";
    const char *p[] = {site};
    return query(m, Q_ROOMS, sql, p, 1);
}

/* A cancel waiting in the outbox for booking id `x`. */
#define CANCEL_QUEUED(x)                                                                           \
    "EXISTS (SELECT 1 FROM outbox o2 WHERE json_extract(o2.change, '$.table') = 'booking'"         \
    " AND json_extract(o2.change, '$.row.id') = " x                                                \
    " AND json_extract(o2.change, '$.row.status') = 'cancelled')"

const struct model_rows *model_slots(struct model *m, const char *site, const char *from,
                                     const char *to)
{
    static const char sql[] =
        "SELECT b.room_id, b.starts_at, b.ends_at,"
        " CASE WHEN " CANCEL_QUEUED(
            "b.id") " THEN 'cancelling' ELSE 'confirmed' END,"
                    " b.id, NULL, EXISTS (SELECT 1 FROM local_booking l WHERE l.id = b.id), NULL"
                    " FROM booking b JOIN room r ON r.id = b.room_id"
                    " WHERE r.site_id = ?1 AND b.status = 'confirmed' AND b.starts_at < ?3 AND "
                    "b.ends_at > ?2"
                    " UNION ALL "
                    "SELECT lb.room_id, lb.starts_at, lb.ends_at,"
                    " CASE WHEN pr.status = 'rejected' THEN 'refused'"
                    " WHEN " CANCEL_QUEUED(
                        "lb.id") " THEN 'cancelling'"
                                 " WHEN o.id IS NOT NULL THEN 'pending' ELSE 'applied' END,"
                                 " lb.id, CASE WHEN pr.status = 'rejected' THEN "
                                 "coalesce(pr.message, pr.error) END, 1,"
                                 " CASE WHEN pr.status = 'rejected' THEN pr.error END"
                                 " FROM local_booking lb JOIN room r ON r.id = lb.room_id"
                                 " LEFT JOIN outbox o ON o.id = lb.change_id LEFT JOIN push_result "
                                 "pr ON pr.id = lb.change_id"
                                 " WHERE r.site_id = ?1 AND lb.starts_at < ?3 AND lb.ends_at > ?2"
                                 " AND NOT EXISTS (SELECT 1 FROM booking b2 WHERE b2.id = lb.id)"
                                 " ORDER BY 1, 2";
    const char *p[] = {site, from, to};
    return query(m, Q_SLOTS, sql, p, 3);
}

const struct model_rows *model_announcements(struct model *m, const char *site, const char *kiosk,
                                             const char *now)
{
    static const char sql[] =
        "SELECT id, title, body, priority, starts_at, ends_at, picture, picture_alt FROM "
        "announcement"
        " WHERE starts_at <= ?3 AND ends_at > ?3 AND (target = 'all'"
        " OR (?1 IS NOT NULL AND target = 'site:' || ?1)"
        " OR (?2 IS NOT NULL AND target = 'kiosk:' || ?2))"
        " ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'important' THEN 1 ELSE 2 END,"
        " starts_at DESC, seq DESC, id LIMIT 200";
    const char *p[] = {site, kiosk, now};
    return query(m, Q_ANNOUNCEMENTS, sql, p, 3);
}

#define ORG_COLS                                                                                   \
    "SELECT id, name, kind, description, domain, contact, url, address, offers, stages, picture,"  \
    " picture_alt FROM organization "
/* A set column (tables.h) holding ?N: its items between commas. */
#define SET_HAS(col, n) "(?" n " IS NULL OR instr(',' || " col " || ',', ',' || ?" n " || ',') > 0)"

const struct model_rows *model_organizations(struct model *m, const char *kind, const char *domain)
{
    static const char sql[] = ORG_COLS
        "WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR domain = ?2) ORDER BY CASE kind WHEN "
        "'accompagnement' THEN 0 WHEN 'collectivite' THEN 1 ELSE 2 END,"
        " name COLLATE NOCASE, id LIMIT 2000";
    const char *p[] = {kind, domain};
    return query(m, Q_ORGS, sql, p, 2);
}

const struct model_rows *model_organization(struct model *m, const char *id)
{
    static const char sql[] = ORG_COLS "WHERE id = ?1";
    const char *p[] = {id};
    return query(m, Q_ORG, sql, p, 1);
}

const struct model_rows *model_accompany(struct model *m, const char *domain, const char *stage,
                                         const char *need)
{
    static const char sql[] =
        ORG_COLS "WHERE offers IS NOT NULL AND " SET_HAS("stages", "2") " AND " SET_HAS(
            "offers", "3") " ORDER BY coalesce(domain = ?1, 0) DESC,"
                           " kind = 'accompagnement' DESC, name COLLATE NOCASE, id LIMIT 200";
    const char *p[] = {domain, stage, need};
    return query(m, Q_ACCOMPANY, sql, p, 3);
}

const char *model_offers_present(struct model *m)
{
    static const char sql[] = "SELECT group_concat(offers) FROM organization";
    return model_str(query(m, Q_OFFERS, sql, NULL, 0), 0, 0);
}

const struct model_rows *model_org_initiatives(struct model *m, const char *org)
{
    static const char sql[] =
        "SELECT id, title, summary, domain, stage, carrier, supports FROM initiative"
        " WHERE published = 1 AND organization_id = ?1 ORDER BY title COLLATE NOCASE, id LIMIT 50";
    const char *p[] = {org};
    return query(m, Q_ORG_INITIATIVES, sql, p, 1);
}

const char *const *model_values(const char *table, const char *column)
{
    static const char *const none[] = {NULL};
    const struct table *t = tables_find(table);
    int c = t ? tables_column_index(t, column) : -1;
    return c >= 0 && t->cols[c].values ? t->cols[c].values : none;
}

const struct model_rows *model_proposals(struct model *m, const char *domain)
{
    /* The first word: tabs and line breaks count as spaces (a hub cuts
     * the name already; a replica may hold rows from an older one). */
    static const char sql[] =
        "SELECT id, text, domain, substr(a, 1, instr(a || ' ', ' ') - 1), created_at,"
        " coalesce(supports, 0), outcome, answer FROM"
        " (SELECT *, ltrim(replace(replace(replace(coalesce(author_name, ''), char(9), ' '),"
        " char(10), ' '), char(13), ' ')) AS a FROM proposal WHERE status = 'published'"
        " AND (?1 IS NULL OR domain = ?1))"
        " ORDER BY created_at DESC, id LIMIT 500";
    const char *p[] = {domain};
    return query(m, Q_PROPOSALS, sql, p, 1);
}

const struct model_rows *model_figures(struct model *m)
{
    static const char sql[] =
        "SELECT f.id, f.chart, f.kind, f.label, f.label_en, f.domain, f.value, f.unit,"
        " f.qualifier, f.source, f.year FROM figure f"
        " JOIN (SELECT chart, min(position) AS first FROM figure GROUP BY chart) c"
        " ON c.chart = f.chart ORDER BY c.first, f.chart, f.position, f.id LIMIT 500";
    return query(m, Q_FIGURES, sql, NULL, 0);
}

const char *model_site_name(struct model *m, const char *site)
{
    static const char sql[] = "SELECT name FROM site WHERE id = ?1";
    const char *p[] = {site};
    return model_str(query(m, Q_SITE, sql, p, 1), 0, 0);
}

enum model_answer model_answer(struct model *m, const char *change, char *error, size_t cap)
{
    static const char sql[] = "SELECT status, error FROM push_result WHERE id = ?1";
    const char *p[] = {change};
    const struct model_rows *r = query(m, Q_ANSWER, sql, p, 1);
    snprintf(error, cap, "%s", model_str(r, 0, 1));
    if (r->n == 0)
        return MODEL_WAITING;
    return strcmp(model_str(r, 0, 0), "rejected") == 0 ? MODEL_REJECTED : MODEL_APPLIED;
}

static void state_copy(struct model *m, const char *key, char *out, size_t cap)
{
    char *v = NULL;
    out[0] = '\0';
    if (replica_state_get(m->rep, key, &v) == ERR_OK && v)
        snprintf(out, cap, "%s", v);
    free(v);
}

void model_sync_state(struct model *m, struct model_sync *out)
{
    /* Asked every frame by the status bar: read again only when the
     * replica changed. */
    if (m->sync_gen == m->gen) {
        *out = m->sync;
        return;
    }
    char online[8];
    memset(out, 0, sizeof *out);
    state_copy(m, "online", online, sizeof online);
    out->online = strcmp(online, "1") == 0;
    state_copy(m, "last_ok", out->last_ok, sizeof out->last_ok);
    /* last_error is "<time> <reason>" (sync/syncd/state.c). */
    char line[sizeof out->last_error + sizeof out->error_reason];
    state_copy(m, "last_error", line, sizeof line);
    size_t t = strcspn(line, " ");
    snprintf(out->error_reason, sizeof out->error_reason, "%s", line[t] ? line + t + 1 : "");
    if (t < sizeof out->last_error) { /* a wire time fits; anything longer is not one */
        memcpy(out->last_error, line, t);
        out->last_error[t] = '\0';
    }
    char fault[32];
    state_copy(m, "fault", fault, sizeof fault);
    out->fault = fault_parse(fault);
    replica_outbox_count(m->rep, &out->outbox);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(m->db, "SELECT count(*) FROM push_result WHERE status = 'rejected'", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        out->refused = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    m->sync = *out;
    m->sync_gen = m->gen;
}
