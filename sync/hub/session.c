/* session: login sessions of the staff console, in the store, and its
 * login rate limit (see session.h). The limit's table is small and linear:
 * a town has a few dozen staff, and the cap keeps a flood of logins from
 * growing it. */
#include "session.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "xalloc.h"

#define FAILS_MAX 4096 /* keys tracked at once; the oldest goes first */

/* Failed logins of one key ("p:NAME ADDR" or "a:ADDR") since `first`. */
struct session_fail {
    char key[2 + ID_MAX + 1 + SESSION_ADDR_MAX + 1];
    int64_t first;
    int count;
};

void session_init(struct session_table *t, int64_t ttl)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    t->ttl = ttl > 0 ? ttl : SESSION_TTL;
}

void session_release(struct session_table *t)
{
    free(t->fails);
    pthread_mutex_destroy(&t->lock);
}

static bool token_shape(const char *token)
{
    return token && strlen(token) == SESSION_TOKEN_LEN &&
           strspn(token, "0123456789abcdef") == SESSION_TOKEN_LEN;
}

enum err session_new(struct session_table *t, struct store *s, const char *name, int64_t now,
                     char token[SESSION_TOKEN_LEN + 1], int64_t *expires)
{
    unsigned char raw[SESSION_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, SESSION_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    char hash[AUTH_HASH_LEN + 1];
    auth_token_hash(token, SESSION_TOKEN_LEN, hash);
    *expires = now + t->ttl;
    enum err rc = store_session_add(s, hash, name, *expires, now, SESSION_MAX);
    if (rc)
        sodium_memzero(token, SESSION_TOKEN_LEN + 1);
    return rc;
}

enum err session_find(struct store *s, const char *token, int64_t now, struct session_info *out)
{
    if (!token_shape(token))
        return ERR_AUTH;
    char hash[AUTH_HASH_LEN + 1];
    auth_token_hash(token, SESSION_TOKEN_LEN, hash);
    char *user = NULL;
    enum err rc = store_session_get(s, hash, now, &user, &out->role, &out->expires);
    if (rc == ERR_OK)
        snprintf(out->name, sizeof out->name, "%s", user);
    free(user);
    return rc;
}

enum err session_revoke(struct store *s, const char *token)
{
    if (!token_shape(token))
        return ERR_OK;
    char hash[AUTH_HASH_LEN + 1];
    auth_token_hash(token, SESSION_TOKEN_LEN, hash);
    return store_session_end(s, hash);
}

/* ---- rate limit ------------------------------------------------------------ */

/* The address as counted: an IPv6 address (not an IPv4 one in IPv6
 * form) becomes its /64, as one host may hold the whole prefix. */
static void addr_unit(const char *addr, char out[SESSION_ADDR_MAX])
{
    unsigned char a[16];
    snprintf(out, SESSION_ADDR_MAX, "%s", addr ? addr : "");
    if (!addr || inet_pton(AF_INET6, addr, a) != 1 || IN6_IS_ADDR_V4MAPPED((struct in6_addr *)a))
        return;
    memset(a + 8, 0, 8);
    if (inet_ntop(AF_INET6, a, out, SESSION_ADDR_MAX))
        strncat(out, "/64", SESSION_ADDR_MAX - strlen(out) - 1);
}

/* The key of a pair (name given) or of an address (name NULL). */
static void fail_key(char *out, size_t len, const char *name, const char *addr)
{
    char unit[SESSION_ADDR_MAX];
    addr_unit(addr, unit);
    if (name)
        snprintf(out, len, "p:%.*s %s", ID_MAX, name, unit);
    else
        snprintf(out, len, "a:%s", unit);
}

/* The entry of `key`, its window restarted when it has passed; NULL when
 * none (and `make` is false). Lock held. */
static struct session_fail *fail_entry(struct session_table *t, const char *key, int64_t now,
                                       bool make)
{
    for (size_t i = 0; i < t->nfails; i++) {
        struct session_fail *f = &t->fails[i];
        if (strcmp(f->key, key) != 0)
            continue;
        if (now - f->first >= SESSION_WINDOW) {
            f->first = now;
            f->count = 0;
        }
        return f;
    }
    if (!make)
        return NULL;
    if (t->nfails == FAILS_MAX) {
        /* Full: forget the entry whose window began first. */
        size_t old = 0;
        for (size_t i = 1; i < t->nfails; i++)
            if (t->fails[i].first < t->fails[old].first)
                old = i;
        t->fails[old] = t->fails[--t->nfails];
    }
    if (t->nfails == t->capfails) {
        t->capfails = t->capfails ? 2 * t->capfails : 16;
        t->fails = xrealloc(t->fails, t->capfails * sizeof *t->fails);
    }
    struct session_fail *f = &t->fails[t->nfails++];
    memset(f, 0, sizeof *f);
    snprintf(f->key, sizeof f->key, "%s", key);
    f->first = now;
    return f;
}

static bool over(struct session_table *t, const char *name, const char *addr, int limit,
                 int64_t now, int64_t *retry_after)
{
    char key[sizeof((struct session_fail *)0)->key];
    fail_key(key, sizeof key, name, addr);
    struct session_fail *f = fail_entry(t, key, now, false);
    if (!f || f->count < limit)
        return false;
    int64_t left = f->first + SESSION_WINDOW - now;
    if (left > *retry_after)
        *retry_after = left;
    return true;
}

bool session_login_allowed(struct session_table *t, const char *name, const char *addr, int64_t now,
                           int64_t *retry_after)
{
    *retry_after = 0;
    pthread_mutex_lock(&t->lock);
    bool by_pair = over(t, name, addr, SESSION_FAILS_PAIR, now, retry_after);
    bool by_addr = over(t, NULL, addr, SESSION_FAILS_ADDR, now, retry_after);
    pthread_mutex_unlock(&t->lock);
    if (*retry_after < 1)
        *retry_after = 1;
    return !by_pair && !by_addr;
}

void session_login_failed(struct session_table *t, const char *name, const char *addr, int64_t now)
{
    char key[sizeof((struct session_fail *)0)->key];
    pthread_mutex_lock(&t->lock);
    fail_key(key, sizeof key, name, addr);
    fail_entry(t, key, now, true)->count++;
    fail_key(key, sizeof key, NULL, addr);
    fail_entry(t, key, now, true)->count++;
    pthread_mutex_unlock(&t->lock);
}

void session_login_ok(struct session_table *t, const char *name, const char *addr)
{
    char key[sizeof((struct session_fail *)0)->key];
    fail_key(key, sizeof key, name, addr);
    pthread_mutex_lock(&t->lock);
    for (size_t i = 0; i < t->nfails; i++) {
        if (strcmp(t->fails[i].key, key) == 0) {
            t->fails[i] = t->fails[--t->nfails];
            break;
        }
    }
    pthread_mutex_unlock(&t->lock);
}

bool session_check_begin(struct session_table *t)
{
    pthread_mutex_lock(&t->lock);
    bool ok = t->checking < SESSION_CHECKS_MAX;
    if (ok)
        t->checking++;
    pthread_mutex_unlock(&t->lock);
    return ok;
}

void session_check_end(struct session_table *t)
{
    pthread_mutex_lock(&t->lock);
    t->checking--;
    pthread_mutex_unlock(&t->lock);
}
