/* session: the staff console's login sessions, kept in the store, and its
 * login rate limit, kept in the hub's memory.
 *
 * A session is 256 random bits sent to the browser once, in an HttpOnly
 * cookie; the store keeps only its BLAKE2b hash (auth.h), the user's name
 * and an absolute expiry, so every hub on the database knows it and a
 * restart keeps it. Logging out or removing the user ends it on the next
 * request.
 *
 * The login rate limit is made so that a stranger slows only themselves:
 * failed logins are counted per (name, address) pair and per address (an
 * IPv6 address counts as its /64, which one host holds whole) in a window;
 * past either limit a login is refused (429) until the window has passed,
 * whatever the password. Nothing counts per name alone, so wrong passwords
 * for a name from one address never lock that name out from another.
 * What bounds many addresses together is the cost itself: at most
 * SESSION_CHECKS_MAX password checks (Argon2id, 64 MiB each) run at once,
 * and a login arriving while they are busy is refused at once, so guessing
 * from any number of addresses is as slow as Argon2id and never takes more
 * memory or threads than that. Every function takes the time (`now`,
 * seconds) from the caller, so tests advance a clock instead of sleeping.
 * Thread-safe. */
#ifndef SCEAUX_HUB_SESSION_H
#define SCEAUX_HUB_SESSION_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "id.h"
#include "store.h"

#define SESSION_TOKEN_LEN 64    /* hex digits of a session token */
#define SESSION_TTL (12 * 3600) /* a working day, then log in again */
#define SESSION_MAX 10000       /* live sessions at once */
#define SESSION_WINDOW 60       /* seconds the failed logins are counted */
#define SESSION_FAILS_PAIR 4    /* failures per name and address in the window before 429 */
#define SESSION_FAILS_ADDR 20   /* failures per address in the window before 429 */
/* Password checks at once. One: the hub serves every connection from a
 * pool of threads (two by default) and a check holds its thread, so at
 * most one of them is ever busy hashing. */
#define SESSION_CHECKS_MAX 1
#define SESSION_ADDR_MAX 64

struct session_fail;

struct session_table {
    pthread_mutex_t lock;
    int64_t ttl;
    struct session_fail *fails; /* owned array */
    size_t nfails, capfails;
    int checking; /* password checks running */
};

/* What a valid session stands for: its account, with the role it has
 * now (not at login). */
struct session_info {
    char name[ID_MAX + 1];
    enum store_role role;
    int64_t expires; /* seconds since the epoch */
};

void session_init(struct session_table *t, int64_t ttl);
void session_release(struct session_table *t);

/* A new session for `name` in `s`: its token (SESSION_TOKEN_LEN hex
 * digits and a NUL) goes to the browser. ERR_TOO_BIG when SESSION_MAX live
 * sessions exist; a storage error otherwise. */
MUST_USE enum err session_new(struct session_table *t, struct store *s, const char *name,
                              int64_t now, char token[SESSION_TOKEN_LEN + 1], int64_t *expires);
/* The live session of `token` (a cookie value, untrusted), or ERR_AUTH;
 * a storage error otherwise. */
MUST_USE enum err session_find(struct store *s, const char *token, int64_t now,
                               struct session_info *out);
/* Ends the session of `token`, if any. */
MUST_USE enum err session_revoke(struct store *s, const char *token);

/* Login rate limit. session_login_allowed() is false while the pair
 * (`name`, `addr`) or `addr` has too many failures in the window;
 * *retry_after says in how many seconds to try again. */
bool session_login_allowed(struct session_table *t, const char *name, const char *addr, int64_t now,
                           int64_t *retry_after);
void session_login_failed(struct session_table *t, const char *name, const char *addr, int64_t now);
/* A good password clears the pair's failures (not the address's). */
void session_login_ok(struct session_table *t, const char *name, const char *addr);

/* A password check may begin: false when SESSION_CHECKS_MAX are running
 * (refuse the login, try again in a second). Every true is followed by
 * one session_check_end(). */
bool session_check_begin(struct session_table *t);
void session_check_end(struct session_table *t);

#endif
