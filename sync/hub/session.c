/* session: login sessions and the login rate limit of the staff console
 * (see session.h). Small linear tables: a town has a few dozen staff, and
 * the caps keep a flood of logins from growing them. */
#include "session.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "xalloc.h"

#define FAILS_MAX 4096 /* keys tracked at once; the oldest goes first */

struct session_entry {
    char hash[AUTH_HASH_LEN + 1];
    struct session_info info;
};

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
    if (t->items)
        sodium_memzero(t->items, t->cap * sizeof *t->items);
    free(t->items);
    free(t->fails);
    pthread_mutex_destroy(&t->lock);
}

/* Drops expired sessions; lock held. */
static void prune(struct session_table *t, int64_t now)
{
    size_t j = 0;
    for (size_t i = 0; i < t->count; i++)
        if (t->items[i].info.expires > now)
            t->items[j++] = t->items[i];
    t->count = j;
}

enum err session_new(struct session_table *t, const char *name, enum store_role role, int64_t now,
                     char token[SESSION_TOKEN_LEN + 1], int64_t *expires)
{
    unsigned char raw[SESSION_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, SESSION_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    struct session_entry e;
    memset(&e, 0, sizeof e);
    auth_token_hash(token, SESSION_TOKEN_LEN, e.hash);
    snprintf(e.info.name, sizeof e.info.name, "%s", name);
    e.info.role = role;
    e.info.expires = now + t->ttl;
    enum err rc = ERR_OK;
    pthread_mutex_lock(&t->lock);
    prune(t, now);
    if (t->count >= SESSION_MAX) {
        rc = ERR_TOO_BIG;
    } else {
        if (t->count == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 16;
            t->items = xrealloc(t->items, t->cap * sizeof *t->items);
        }
        t->items[t->count++] = e;
    }
    pthread_mutex_unlock(&t->lock);
    *expires = e.info.expires;
    if (rc)
        sodium_memzero(token, SESSION_TOKEN_LEN + 1);
    return rc;
}

/* Index of the session whose hash is `hash`, or -1; lock held. */
static long find(struct session_table *t, const char *hash)
{
    for (size_t i = 0; i < t->count; i++)
        if (auth_hash_equal(t->items[i].hash, hash))
            return (long)i;
    return -1;
}

static bool token_shape(const char *token)
{
    return token && strlen(token) == SESSION_TOKEN_LEN &&
           strspn(token, "0123456789abcdef") == SESSION_TOKEN_LEN;
}

enum err session_find(struct session_table *t, const char *token, int64_t now,
                      struct session_info *out)
{
    if (!token_shape(token))
        return ERR_AUTH;
    char hash[AUTH_HASH_LEN + 1];
    auth_token_hash(token, SESSION_TOKEN_LEN, hash);
    enum err rc = ERR_AUTH;
    pthread_mutex_lock(&t->lock);
    long i = find(t, hash);
    if (i >= 0 && t->items[i].info.expires > now) {
        *out = t->items[i].info;
        rc = ERR_OK;
    }
    pthread_mutex_unlock(&t->lock);
    return rc;
}

void session_revoke(struct session_table *t, const char *token)
{
    if (!token_shape(token))
        return;
    char hash[AUTH_HASH_LEN + 1];
    auth_token_hash(token, SESSION_TOKEN_LEN, hash);
    pthread_mutex_lock(&t->lock);
    long i = find(t, hash);
    if (i >= 0)
        t->items[i] = t->items[--t->count];
    pthread_mutex_unlock(&t->lock);
}

void session_revoke_user(struct session_table *t, const char *name)
{
    pthread_mutex_lock(&t->lock);
    size_t j = 0;
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->items[i].info.name, name) != 0)
            t->items[j++] = t->items[i];
    t->count = j;
    pthread_mutex_unlock(&t->lock);
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
