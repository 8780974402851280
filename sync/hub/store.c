/* store: the backend-independent half of the storage interface: dispatch
 * through the backend's ops table (a push change through decide.c), role
 * names, and freeing what the reading calls return. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "decide.h"

static const char *const role_names[] = {"kiosk", "staff", "admin"};

const char *store_role_name(enum store_role r)
{
    if ((unsigned)r >= sizeof role_names / sizeof role_names[0])
        return "?";
    return role_names[r];
}

enum err store_role_parse(const char *name, enum store_role *out)
{
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++) {
        if (strcmp(name, role_names[i]) == 0) {
            *out = (enum store_role)i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

enum store_role store_console_role(const char *name)
{
    enum store_role r;
    if (!name || store_role_parse(name, &r) || r == STORE_KIOSK)
        return STORE_STAFF;
    return r;
}

bool store_is_pg_url(const char *db)
{
    return strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

const char *store_errmsg(struct store *s)
{
    return s->ops->errmsg(s);
}

enum err store_state(struct store *s, struct store_state *out)
{
    return s->ops->state(s, out);
}

enum err store_changes(struct store *s, int64_t since, size_t limit, struct store_page *out)
{
    return s->ops->changes(s, since, limit, out);
}

void store_page_free(struct store_page *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->changes[i].id);
        json_decref(p->changes[i].row);
    }
    free(p->changes);
    p->changes = NULL;
    p->count = 0;
}

enum err store_apply(struct store *s, const struct store_caller *who, const struct push_change *c,
                     int64_t now, struct push_result *out)
{
    return decide_apply(s->ops->decide, s, who, c, now, out);
}

enum err store_push_budget(struct store *s, const char *token, const struct push_change *c,
                           size_t n, int64_t now, int64_t *retry_after, bool *refund)
{
    return decide_push_budget(s->ops->decide, s, token, c, n, now, retry_after, refund);
}

enum err store_erase_holders(struct store *s, int64_t ended_before, int64_t *erased)
{
    return s->ops->erase_holders(s, ended_before, erased);
}

enum err store_erase_offers(struct store *s, int64_t created_upto, int64_t *erased)
{
    return s->ops->erase_offers(s, created_upto, erased);
}

enum err store_purge_tombstones(struct store *s, int64_t upto, int64_t *purged)
{
    return s->ops->purge_tombstones(s, upto, purged);
}

void store_watch(struct store *s, const struct store_watcher *w)
{
    if (s->ops->watch)
        s->ops->watch(s, w);
}

void store_unwatch(struct store *s)
{
    if (s && s->ops->unwatch)
        s->ops->unwatch(s);
}

enum err store_sweep_turn(struct store *s, bool *mine)
{
    *mine = !s->ops->sweep_turn;
    return s->ops->sweep_turn ? s->ops->sweep_turn(s, mine) : ERR_OK;
}

enum err store_token_add(struct store *s, const char *name, enum store_role role, const char *site,
                         const char *hash, int64_t now)
{
    return s->ops->token_add(s, name, role, site, hash, now);
}

enum err store_token_revoke(struct store *s, const char *name, int64_t now)
{
    return s->ops->token_revoke(s, name, now);
}

enum err store_token_list(struct store *s, struct store_token **out, size_t *n)
{
    return s->ops->token_list(s, out, n);
}

enum err store_token_lookup(struct store *s, const char *hash, struct store_token *out)
{
    return s->ops->token_lookup(s, hash, out);
}

void store_token_release(struct store_token *t)
{
    free(t->name);
    free(t->site);
    free(t->created_at);
    free(t->revoked_at);
    memset(t, 0, sizeof *t);
}

void store_tokens_free(struct store_token *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_token_release(&t[i]);
    free(t);
}

enum err store_fleet_record(struct store *s, const struct store_seen *seen, size_t n)
{
    return s->ops->fleet_record(s, seen, n);
}

enum err store_fleet_list(struct store *s, struct store_kiosk **out, size_t *n)
{
    return s->ops->fleet_list(s, out, n);
}

void store_fleet_free(struct store_kiosk *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(k[i].name);
        free(k[i].site);
        free(k[i].last_seen);
        free(k[i].version);
        free(k[i].address);
        free(k[i].fault);
    }
    free(k);
}

enum err store_backup(struct store *s, const char *out_path)
{
    return s->ops->backup(s, out_path);
}

enum err store_user_add(struct store *s, const char *name, enum store_role role, const char *hash,
                        const char *signature, int64_t now)
{
    return s->ops->user_add(s, name, role, hash, signature, now);
}

enum err store_user_sign(struct store *s, const char *name, const char *signature)
{
    return s->ops->user_sign(s, name, signature);
}

enum err store_user_remove(struct store *s, const char *name)
{
    return s->ops->user_remove(s, name);
}

enum err store_user_list(struct store *s, struct store_user **out, size_t *n)
{
    return s->ops->user_list(s, out, n);
}

enum err store_user_get(struct store *s, const char *name, struct store_user *out)
{
    return s->ops->user_get(s, name, out);
}

enum err store_session_add(struct store *s, const char *hash, const char *user, int64_t expires,
                           int64_t now, size_t max)
{
    return s->ops->session_add(s, hash, user, expires, now, max);
}

enum err store_session_get(struct store *s, const char *hash, int64_t now, char **user,
                           enum store_role *role, int64_t *expires)
{
    *user = NULL;
    return s->ops->session_get(s, hash, now, user, role, expires);
}

enum err store_session_end(struct store *s, const char *hash)
{
    return s->ops->session_end(s, hash);
}

void store_user_release(struct store_user *u)
{
    free(u->name);
    free(u->hash);
    free(u->created_at);
    free(u->signature);
    memset(u, 0, sizeof *u);
}

void store_users_free(struct store_user *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_user_release(&u[i]);
    free(u);
}

enum err store_audit_add(struct store *s, const struct store_audit *a)
{
    return s->ops->audit_add(s, a);
}

enum err store_audit_list(struct store *s, size_t limit, struct store_audit **out, size_t *n)
{
    return s->ops->audit_list(s, limit, out, n);
}

void store_audit_free(struct store_audit *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].at);
        free(a[i].user);
        free(a[i].action);
        free(a[i].table);
        free(a[i].row_id);
        free(a[i].status);
        free(a[i].detail);
        free(a[i].error);
        free(a[i].field);
    }
    free(a);
}

enum err store_events(struct store *s, int64_t from, int64_t to, size_t limit,
                      struct store_event **out, size_t *n)
{
    return s->ops->events(s, from, to, limit, out, n);
}

void store_events_free(struct store_event *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].id);
        free(e[i].title);
        free(e[i].description);
        free(e[i].starts_at);
        free(e[i].ends_at);
        free(e[i].place);
        free(e[i].url);
        free(e[i].rrule);
    }
    free(e);
}

enum err store_busy(struct store *s, const char *room, int64_t from, int64_t to, size_t limit,
                    char **room_name, struct store_span **out, size_t *n)
{
    return s->ops->busy(s, room, from, to, limit, room_name, out, n);
}

void store_spans_free(struct store_span *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(b[i].id);
        free(b[i].starts_at);
        free(b[i].ends_at);
    }
    free(b);
}
