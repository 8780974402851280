/* Unit tests of the staff console's pieces that need no HTTP: sessions
 * and the login rate limit (session.c, with a clock passed in), Argon2id
 * passwords (users.c), and the accounts and audit trail of the SQLite
 * store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sync/hub/auth.h"
#include "../../sync/hub/session.h"
#include "../../sync/hub/store.h"
#include "../../sync/hub/users.h"
#include "xalloc.h"

/* A store on a fresh file of a fresh folder (dir: its template, filled). */
static struct store *fresh_store(char *dir, char *path, size_t len)
{
    char err[256];
    struct store *s = NULL;
    assert_non_null(mkdtemp(dir));
    snprintf(path, len, "%s/hub.db", dir);
    assert_int_equal(store_sqlite_open(path, &s, err, sizeof err), ERR_OK);
    return s;
}

static void fresh_store_remove(struct store *s, const char *dir, const char *path)
{
    store_close(s);
    char f[96];
    const char *ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s%s", path, ext[i]);
        unlink(f);
    }
    rmdir(dir);
}

static void sessions_expire_and_revoke(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_hub_session.XXXXXX", path[64], err[256];
    struct store *s = fresh_store(dir, path, sizeof path);
    struct session_table t;
    session_init(&t, 100);
    char tok[SESSION_TOKEN_LEN + 1], tok2[SESSION_TOKEN_LEN + 1];
    int64_t exp = 0;
    assert_int_equal(store_user_add(s, "anne", STORE_STAFF, "h", NULL, 0), ERR_OK);
    assert_int_equal(session_new(&t, s, "anne", 1000, tok, &exp), ERR_OK);
    assert_int_equal(exp, 1100);
    assert_int_equal(strlen(tok), SESSION_TOKEN_LEN);
    assert_int_equal(session_new(&t, s, "anne", 1000, tok2, &exp), ERR_OK);
    assert_string_not_equal(tok, tok2);
    struct session_info si;
    assert_int_equal(session_find(s, tok, 1099, &si), ERR_OK);
    assert_string_equal(si.name, "anne");
    assert_int_equal(si.role, STORE_STAFF); /* the account's, read with the session */
    assert_int_equal(si.expires, 1100);
    assert_int_equal(session_find(s, tok, 1100, &si), ERR_AUTH); /* expired */
    assert_int_equal(session_find(s, "nope", 1000, &si), ERR_AUTH);
    char first = tok2[0];
    tok2[0] = first == 'a' ? 'b' : 'a';
    assert_int_equal(session_find(s, tok2, 1000, &si), ERR_AUTH); /* one digit off */
    tok2[0] = first;
    /* Another hub on the same database knows the session (and a restart
     * keeps it). */
    struct store *other = NULL;
    assert_int_equal(store_sqlite_open(path, &other, err, sizeof err), ERR_OK);
    assert_int_equal(session_find(other, tok2, 1000, &si), ERR_OK);
    assert_int_equal(session_revoke(other, tok2), ERR_OK);
    assert_int_equal(session_find(s, tok2, 1000, &si), ERR_AUTH);
    store_close(other);
    /* Removing an account ends its sessions. */
    assert_int_equal(store_user_add(s, "bruno", STORE_ADMIN, "h", NULL, 0), ERR_OK);
    assert_int_equal(session_new(&t, s, "bruno", 1000, tok, &exp), ERR_OK);
    assert_int_equal(session_find(s, tok, 1000, &si), ERR_OK);
    assert_int_equal(si.role, STORE_ADMIN);
    assert_int_equal(store_user_remove(s, "bruno"), ERR_OK);
    assert_int_equal(session_find(s, tok, 1000, &si), ERR_AUTH);
    session_release(&t);
    fresh_store_remove(s, dir, path);
}

/* At most `max` live sessions (the hub passes SESSION_MAX); ended ones
 * make room again. */
static void sessions_are_capped(void **state)
{
    (void)state;
    enum { MAX = 30 };
    char dir[] = "/tmp/test_hub_session.XXXXXX", path[64];
    struct store *s = fresh_store(dir, path, sizeof path);
    char hash[32];
    for (int i = 0; i < MAX; i++) {
        snprintf(hash, sizeof hash, "h%d", i);
        int64_t ends = i < 10 ? 2000 : 3000;
        assert_int_equal(store_session_add(s, hash, "anne", ends, 1000, MAX), ERR_OK);
    }
    assert_int_equal(store_session_add(s, "one-more", "anne", 5000, 1000, MAX), ERR_TOO_BIG);
    /* At 2000 the first ten have ended: ten fit again, not eleven. */
    for (int i = 0; i < 10; i++) {
        snprintf(hash, sizeof hash, "n%d", i);
        assert_int_equal(store_session_add(s, hash, "anne", 5000, 2000, MAX), ERR_OK);
    }
    assert_int_equal(store_session_add(s, "one-more", "anne", 5000, 2000, MAX), ERR_TOO_BIG);
    fresh_store_remove(s, dir, path);
}

static void logins_are_rate_limited(void **state)
{
    (void)state;
    struct session_table t;
    session_init(&t, 0);
    int64_t retry = 0;
    for (int i = 0; i < SESSION_FAILS_PAIR; i++) {
        assert_true(session_login_allowed(&t, "anne", "10.0.0.1", 1000 + i, &retry));
        session_login_failed(&t, "anne", "10.0.0.1", 1000 + i);
    }
    /* The fifth quick try from that address is refused, whatever the
     * password. */
    assert_false(session_login_allowed(&t, "anne", "10.0.0.1", 1004, &retry));
    assert_int_equal(retry, SESSION_WINDOW - 4);
    /* anne from elsewhere is not locked out by the stranger. */
    assert_true(session_login_allowed(&t, "anne", "10.0.0.2", 1004, &retry));
    /* Another name from the same address is still heard. */
    assert_true(session_login_allowed(&t, "bruno", "10.0.0.1", 1004, &retry));
    /* Once the window has passed, the pair may try again. */
    assert_true(session_login_allowed(&t, "anne", "10.0.0.1", 1000 + SESSION_WINDOW, &retry));
    /* Many names from one address: the address is limited too. */
    char name[16];
    for (int i = 0; i < SESSION_FAILS_ADDR; i++) {
        snprintf(name, sizeof name, "u%d", i);
        session_login_failed(&t, name, "10.0.0.9", 2000);
    }
    assert_false(session_login_allowed(&t, "zoe", "10.0.0.9", 2001, &retry));
    /* An IPv6 host holds its /64: other addresses in it count as one. */
    for (int i = 0; i < SESSION_FAILS_ADDR; i++) {
        snprintf(name, sizeof name, "2001:db8::%x", i + 1);
        session_login_failed(&t, "anne", name, 2000);
    }
    assert_false(session_login_allowed(&t, "carl", "2001:db8::ffff", 2001, &retry));
    assert_true(session_login_allowed(&t, "carl", "2001:db8:0:1::1", 2001, &retry));
    /* A good password clears the pair's count. */
    session_login_failed(&t, "carl", "10.0.0.3", 3000);
    session_login_ok(&t, "carl", "10.0.0.3");
    for (int i = 0; i < SESSION_FAILS_PAIR - 1; i++)
        session_login_failed(&t, "carl", "10.0.0.3", 3001);
    assert_true(session_login_allowed(&t, "carl", "10.0.0.3", 3002, &retry));
    /* The password checks running at once are bounded. */
    for (int i = 0; i < SESSION_CHECKS_MAX; i++)
        assert_true(session_check_begin(&t));
    assert_false(session_check_begin(&t));
    session_check_end(&t);
    assert_true(session_check_begin(&t));
    for (int i = 0; i < SESSION_CHECKS_MAX; i++)
        session_check_end(&t);
    session_release(&t);
}

static void passwords(void **state)
{
    (void)state;
    char hash[USERS_HASH_MAX];
    assert_int_equal(users_hash("court", 5, hash), ERR_INVALID);
    assert_int_equal(users_hash("correct horse", 13, hash), ERR_OK);
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_true(users_check("correct horse", 13, hash));
    assert_false(users_check("correct horsE", 13, hash));
    assert_false(users_check("correct horse", 13, NULL));
    char why[128];
    assert_true(users_signature_ok("Mairie de Sceaux", 16, why, sizeof why));
    assert_false(users_signature_ok("   ", 3, why, sizeof why));
    assert_false(users_signature_ok("a\nb", 3, why, sizeof why));
    /* Blank as the rows' rule has it: no-break and ideographic spaces
     * sign nothing (tabs are refused before, as control characters). */
    assert_false(users_signature_ok("\xc2\xa0\xc2\xa0", 4, why, sizeof why));
    assert_string_equal(why, "the signature must not be empty");
    assert_false(users_signature_ok(" \xe2\x80\xaf\xe3\x80\x80 ", 8, why, sizeof why));
    assert_string_equal(why, "the signature must not be empty");
    assert_false(users_signature_ok("\t\t", 2, why, sizeof why));
    assert_true(users_signature_ok("Mairie\xc2\xa0"
                                   "de Sceaux",
                                   17, why, sizeof why));
    char longer[200];
    memset(longer, 'x', 121);
    longer[121] = '\0';
    assert_false(users_signature_ok(longer, 121, why, sizeof why));
    longer[120] = '\0';
    assert_true(users_signature_ok(longer, 120, why, sizeof why));
}

static void accounts_and_audit(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_hub_console.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], err[256];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    struct store *s = NULL;
    assert_int_equal(store_sqlite_open(path, &s, err, sizeof err), ERR_OK);
    assert_int_equal(store_token_add(s, "kiosk-1", STORE_KIOSK, "site-a", "h1", 0), ERR_OK);
    assert_int_equal(store_user_add(s, "kiosk-1", STORE_STAFF, "x", NULL, 0), ERR_EXISTS);
    assert_int_equal(store_user_add(s, "anne", STORE_STAFF, "hash-a", NULL, 0), ERR_OK);
    assert_int_equal(store_user_add(s, "anne", STORE_ADMIN, "hash-b", "Mairie", 0), ERR_EXISTS);
    struct store_user u;
    assert_int_equal(store_user_get(s, "anne", &u), ERR_OK);
    assert_string_equal(u.hash, "hash-a");
    assert_int_equal(u.role, STORE_STAFF);
    assert_null(u.signature); /* the default */
    store_user_release(&u);
    assert_int_equal(store_user_sign(s, "anne", "Mairie de Sceaux, communication"), ERR_OK);
    assert_int_equal(store_user_get(s, "anne", &u), ERR_OK);
    assert_string_equal(u.signature, "Mairie de Sceaux, communication");
    store_user_release(&u);
    assert_int_equal(store_user_sign(s, "zoe", "x"), ERR_NOT_FOUND);
    assert_int_equal(store_user_get(s, "zoe", &u), ERR_NOT_FOUND);
    struct store_audit a = {0,          "2026-12-01T09:00:00Z",
                            "anne",     "upsert",
                            "proposal", "p-1",
                            "rejected", "published",
                            "invalid",  "text"};
    assert_int_equal(store_audit_add(s, &a), ERR_OK);
    a.action = "logout";
    a.table = a.row_id = a.detail = a.error = a.field = NULL;
    assert_int_equal(store_audit_add(s, &a), ERR_OK);
    struct store_audit *l = NULL;
    size_t n = 0;
    assert_int_equal(store_audit_list(s, 10, &l, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].action, "logout"); /* newest first */
    assert_null(l[0].table);
    assert_string_equal(l[1].detail, "published");
    assert_string_equal(l[1].error, "invalid"); /* the console words it */
    assert_string_equal(l[1].field, "text");
    assert_null(l[0].error);
    store_audit_free(l, n);
    assert_int_equal(store_user_remove(s, "anne"), ERR_OK);
    assert_int_equal(store_user_remove(s, "anne"), ERR_NOT_FOUND);
    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    xalloc_init();
    if (auth_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sessions_expire_and_revoke), cmocka_unit_test(sessions_are_capped),
        cmocka_unit_test(logins_are_rate_limited),    cmocka_unit_test(passwords),
        cmocka_unit_test(accounts_and_audit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
