/* Unit tests of the sync daemon's pure logic (sync/syncd/backoff.c,
 * plan.c) and of sceaux-admin's (sync/admin/admin.c): back-off bounds and
 * jitter, batching, what a pulled page means, how results are recorded,
 * operators' times. Time and randomness are arguments, so nothing sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sync/admin/admin.h"
#include "../../sync/syncd/backoff.h"
#include "../../sync/syncd/plan.h"
#include "http.h"
#include "ts.h"
#include "xalloc.h"

static void backoff_grows_and_caps(void **state)
{
    (void)state;
    struct backoff b;
    backoff_init(&b);
    assert_int_equal(backoff_remaining(&b, 0), 0);
    int64_t ceiling = BACKOFF_BASE_MS;
    for (int i = 0; i < 20; i++) {
        int64_t lo = backoff_fail(&b, 1000, 0);
        assert_int_equal(lo, ceiling / 2); /* rnd 0: the lower bound */
        b.failures--;
        int64_t hi = backoff_fail(&b, 1000, UINT32_MAX);
        assert_true(hi >= ceiling / 2 && hi <= ceiling);
        assert_true(hi <= BACKOFF_MAX_MS);
        assert_int_equal(backoff_remaining(&b, 1000), hi);
        assert_int_equal(backoff_remaining(&b, 1000 + hi), 0);
        ceiling = ceiling * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : ceiling * 2;
    }
    assert_int_equal(ceiling, BACKOFF_MAX_MS);
    backoff_ok(&b);
    assert_int_equal(backoff_remaining(&b, 1000), 0);
    assert_int_equal(backoff_fail(&b, 0, 0), BACKOFF_BASE_MS / 2);
}

static void backoff_jitter_spreads(void **state)
{
    (void)state;
    /* A fleet failing at the same instant does not come back at once:
     * after many failures the waits cover [30 s, 60 s]. */
    int64_t min = INT64_MAX, max = 0;
    srand(7);
    for (int k = 0; k < 2000; k++) {
        struct backoff b;
        backoff_init(&b);
        int64_t w = 0;
        for (int i = 0; i < 10; i++)
            w = backoff_fail(&b, 0, (uint32_t)rand() * 2654435761u);
        min = w < min ? w : min;
        max = w > max ? w : max;
    }
    assert_true(min >= BACKOFF_MAX_MS / 2 && min < BACKOFF_MAX_MS / 2 + 1000);
    assert_true(max <= BACKOFF_MAX_MS && max > BACKOFF_MAX_MS - 1000);
}

static void batching(void **state)
{
    (void)state;
    size_t *lens = xcalloc(2500, sizeof *lens);
    for (int i = 0; i < 2500; i++)
        lens[i] = 200;
    assert_int_equal(plan_batch(lens, 0, 1000, 1000000), 0);
    assert_int_equal(plan_batch(lens, 3, 1000, 1000000), 3);
    assert_int_equal(plan_batch(lens, 2500, 1000, 1u << 30), 1000);
    assert_int_equal(plan_batch(lens, 2500, PLAN_BATCH_CHANGES, PLAN_BATCH_BYTES), 1000);
    /* The byte cap cuts the batch... */
    assert_int_equal(plan_batch(lens, 2500, 1000, 1000), 5);
    assert_int_equal(plan_batch(lens, 2500, 1000, 999), 4);
    /* ...but a row over the cap still goes, alone. */
    lens[0] = 5000;
    assert_int_equal(plan_batch(lens, 2500, 1000, 1000), 1);
    lens[0] = 200;
    lens[1] = 5000;
    assert_int_equal(plan_batch(lens, 2500, 1000, 1000), 1);
    free(lens);
}

static void outbox_changes(void **state)
{
    (void)state;
    json_t *c = NULL;
    char why[200];
    const char *ok = "{\"id\":\"other\",\"table\":\"support\",\"op\":\"upsert\","
                     "\"row\":{\"id\":\"s1\",\"initiative_id\":\"i1\"}}";
    assert_int_equal(plan_change("k1:1", ok, strlen(ok), &c, why, sizeof why), ERR_OK);
    /* The outbox key is the change id. */
    assert_string_equal(json_string_value(json_object_get(c, "id")), "k1:1");
    json_decref(c);
    assert_int_equal(plan_change("k1:2", "[1]", 3, &c, why, sizeof why), ERR_INVALID);
    assert_null(c);
    assert_int_equal(plan_change("k1:3", "{\"a\":", 5, &c, why, sizeof why), ERR_INVALID);
    assert_null(c);
}

static void results_match(void **state)
{
    (void)state;
    const char *ids[] = {"a", "b"};
    struct push_result r[2];
    memset(r, 0, sizeof r);
    r[0].id = "a";
    r[1].id = "b";
    char why[200];
    assert_int_equal(plan_results(ids, 2, r, 2, why, sizeof why), ERR_OK);
    assert_int_equal(plan_results(ids, 2, r, 1, why, sizeof why), ERR_INVALID);
    r[1].id = "c";
    assert_int_equal(plan_results(ids, 2, r, 2, why, sizeof why), ERR_INVALID);
}

static void outcomes(void **state)
{
    (void)state;
    struct push_result r;
    struct plan_outcome o;
    memset(&r, 0, sizeof r);
    snprintf(r.status, sizeof r.status, "applied");
    r.seq = 12;
    plan_outcome(&r, &o);
    assert_string_equal(o.status, "applied");
    assert_int_equal(o.seq, 12);
    assert_null(o.error);
    /* A duplicate is recorded as its first result. */
    snprintf(r.status, sizeof r.status, "duplicate");
    plan_outcome(&r, &o);
    assert_string_equal(o.status, "applied");
    snprintf(r.error, sizeof r.error, "conflict");
    snprintf(r.message, sizeof r.message, "room taken");
    r.seq = -1;
    plan_outcome(&r, &o);
    assert_string_equal(o.status, "rejected");
    assert_string_equal(o.error, "conflict");
    assert_string_equal(o.message, "room taken");
    assert_int_equal(o.seq, -1);
    snprintf(r.status, sizeof r.status, "rejected");
    plan_outcome(&r, &o);
    assert_string_equal(o.status, "rejected");
}

static void pull_decisions(void **state)
{
    (void)state;
    struct pull_page p;
    memset(&p, 0, sizeof p);
    snprintf(p.epoch, sizeof p.epoch, "e1");
    p.since = 10;
    p.next = 12;
    assert_int_equal(plan_pull("e1", 10, &p), PLAN_PULL_APPLY);
    assert_int_equal(plan_pull("", 10, &p), PLAN_PULL_APPLY);
    assert_int_equal(plan_pull(NULL, 10, &p), PLAN_PULL_APPLY);
    /* Another epoch: the hub was restored; drop the replica. */
    assert_int_equal(plan_pull("e0", 10, &p), PLAN_PULL_RESET);
    /* An answer to another question. */
    assert_int_equal(plan_pull("e1", 9, &p), PLAN_PULL_BAD);
    p.reset = true;
    assert_int_equal(plan_pull("e1", 10, &p), PLAN_PULL_RESET);
    /* A pull from 0 never resets. */
    p.since = 0;
    assert_int_equal(plan_pull("e1", 0, &p), PLAN_PULL_BAD);
}

static void pull_page_size(void **state)
{
    (void)state;
    /* A page over the cap is asked again smaller, down to one row... */
    int limit = PLAN_PULL_LIMIT;
    for (int i = 0; i < 20; i++)
        limit = plan_pull_limit(limit, true, false);
    assert_int_equal(limit, 1);
    assert_int_equal(plan_pull_limit(PLAN_PULL_LIMIT, true, false), PLAN_PULL_LIMIT / 2);
    /* ...kept small while catching up, and back to full once caught up. */
    assert_int_equal(plan_pull_limit(7, false, false), 7);
    assert_int_equal(plan_pull_limit(7, false, true), PLAN_PULL_LIMIT);
}

static void url_rules(void **state)
{
    (void)state;
    char why[256];
    const char *good[] = {"https://hub.sceaux.fr", "https://hub.sceaux.fr:8443/",
                          "http://127.0.0.1:8080", "http://127.9.9.9",
                          "http://localhost:1",    "http://[::1]:8080"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(http_url_check(good[i], false, why, sizeof why), ERR_OK);
    /* Plain http leaves the machine only when the operator says so. */
    assert_int_equal(http_url_check("http://hub.sceaux.fr", false, why, sizeof why), ERR_INVALID);
    assert_non_null(strstr(why, "--insecure-http"));
    assert_int_equal(http_url_check("http://hub.sceaux.fr", true, why, sizeof why), ERR_OK);
    assert_int_equal(http_url_check("http://128.0.0.1", false, why, sizeof why), ERR_INVALID);
    const char *bad[] = {"",
                         "hub.sceaux.fr",
                         "ftp://127.0.0.1/",
                         "file:///etc/passwd",
                         "https://user:pw@hub.sceaux.fr",
                         "https://"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(http_url_check(bad[i], true, why, sizeof why), ERR_INVALID);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static void token_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/sceaux-token-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], tok[HTTP_TOKEN_MAX + 1], why[256];
    snprintf(path, sizeof path, "%s/t", dir);
    assert_int_equal(write_file(path, "abcDEF0123-_.~\n"), 0);
    assert_int_equal(http_read_token(path, tok, sizeof tok, why, sizeof why), ERR_OK);
    assert_string_equal(tok, "abcDEF0123-_.~");
    /* Anything that could break out of the header line is refused. */
    const char *bad[] = {"", "\n", "two words", "line\r\nX-Evil: 1", "tab\there"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(write_file(path, bad[i]), 0);
        assert_int_equal(http_read_token(path, tok, sizeof tok, why, sizeof why), ERR_INVALID);
    }
    char *big = xcalloc(HTTP_TOKEN_MAX + 2, 1);
    memset(big, 'a', HTTP_TOKEN_MAX + 1);
    assert_int_equal(write_file(path, big), 0);
    assert_int_equal(http_read_token(path, tok, sizeof tok, why, sizeof why), ERR_INVALID);
    big[HTTP_TOKEN_MAX] = '\0';
    assert_int_equal(write_file(path, big), 0);
    assert_int_equal(http_read_token(path, tok, sizeof tok, why, sizeof why), ERR_OK);
    free(big);
    remove(path);
    rmdir(dir);
    snprintf(path, sizeof path, "%s/none", dir);
    assert_int_equal(http_read_token(path, tok, sizeof tok, why, sizeof why), ERR_IO);
}

static void admin_times(void **state)
{
    (void)state;
    int64_t t, z;
    assert_int_equal(ts_parse("2026-12-01T09:00:00Z", &z), ERR_OK);
    assert_int_equal(admin_parse_time("2026-12-01T09:00:00Z", &t), ERR_OK);
    assert_true(t == z);
    assert_int_equal(admin_parse_time("2026-12-01T10:00:00+01:00", &t), ERR_OK);
    assert_true(t == z);
    assert_int_equal(admin_parse_time("2026-12-01t04:30:00.250-04:30", &t), ERR_OK);
    assert_true(t == z);
    assert_int_equal(admin_parse_time("2026-12-01 09:00:00z", &t), ERR_OK);
    assert_true(t == z);
    const char *bad[] = {"",
                         "2026-12-01",
                         "2026-12-01T09:00Z",
                         "2026-12-01T09:00:00",
                         "2026-02-30T09:00:00Z",
                         "2026-12-01T09:00:00+0100",
                         "2026-12-01T09:00:00.Z",
                         "2026-12-01T09:00:00Zjunk"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(admin_parse_time(bad[i], &t), ERR_INVALID);
}

static void admin_announcements(void **state)
{
    (void)state;
    struct admin_announce a = {
        .id = "a1",
        .title = "Forum ESS",
        .body = "Samedi",
        .priority = "urgent",
        .target = "site:mairie",
        .from = 1000,
        .until = 2000,
    };
    json_t *c = NULL;
    struct verr e;
    assert_int_equal(admin_announce_change(&a, &c, &e), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(c, "table")), "announcement");
    json_t *row = json_object_get(c, "row");
    assert_string_equal(json_string_value(json_object_get(row, "starts_at")),
                        "1970-01-01T00:16:40Z");
    assert_string_equal(json_string_value(json_object_get(row, "target")), "site:mairie");
    json_decref(c);
    a.priority = "loud";
    assert_int_equal(admin_announce_change(&a, &c, &e), ERR_INVALID);
    assert_string_equal(e.field, "priority");
    a.priority = "info";
    a.until = 1000;
    assert_int_equal(admin_announce_change(&a, &c, &e), ERR_INVALID);
}

/* The picture cache's cap: unwanted pictures go first, oldest first;
 * shown ones only when asked, and never for a picture that stays out. */
static void evictions(void **state)
{
    (void)state;
    struct plan_file f[4] = {
        {"a", 40, 100, true, false},  /* shown, old */
        {"b", 30, 300, false, false}, /* not shown, recent */
        {"c", 20, 200, false, false}, /* not shown, older */
        {"d", 10, 400, true, false},  /* shown, recent */
    };
    /* 100 held, cap 100: 20 more push out "c" (unwanted, older) alone. */
    assert_true(plan_evict(f, 4, 100, 20, false));
    assert_true(f[2].drop);
    assert_false(f[0].drop || f[1].drop || f[3].drop);
    /* 50 more: both unwanted go, and it fits (100 - 50 + 50). */
    f[2].drop = false;
    assert_true(plan_evict(f, 4, 100, 50, false));
    assert_true(f[1].drop && f[2].drop);
    assert_false(f[0].drop || f[3].drop);
    /* 70 more cannot fit without a shown picture: false, shown ones kept. */
    for (int i = 0; i < 4; i++)
        f[i].drop = false;
    assert_false(plan_evict(f, 4, 100, 70, false));
    assert_false(f[0].drop || f[3].drop);
    /* A lowered cap with wanted_too: then the oldest shown one goes. */
    for (int i = 0; i < 4; i++)
        f[i].drop = false;
    assert_true(plan_evict(f, 4, 45, 0, true));
    assert_true(f[1].drop && f[2].drop && f[0].drop);
    assert_false(f[3].drop);
    assert_true(plan_evict(NULL, 0, 10, 10, false));
    assert_false(plan_evict(NULL, 0, 10, 11, false));
}

int main(void)
{
    xalloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backoff_grows_and_caps),
        cmocka_unit_test(backoff_jitter_spreads),
        cmocka_unit_test(batching),
        cmocka_unit_test(outbox_changes),
        cmocka_unit_test(results_match),
        cmocka_unit_test(outcomes),
        cmocka_unit_test(pull_decisions),
        cmocka_unit_test(pull_page_size),
        cmocka_unit_test(url_rules),
        cmocka_unit_test(token_files),
        cmocka_unit_test(admin_times),
        cmocka_unit_test(admin_announcements),
        cmocka_unit_test(evictions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
