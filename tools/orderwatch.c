/* sceaux-orderwatch: a reader for tests/integration/hub_order.sh, which
 * proves that no change ever commits below a cursor a reader has passed.
 *
 *   sceaux-orderwatch URL TOKEN STOPFILE
 *
 * Pulls GET URL/v1/changes?since=CURSOR&limit=5 in a tight loop (a shell
 * loop with jq is far too slow to land between two commits), moving its
 * cursor to each page's `next`, and prints "SEQ ID" per change. A change
 * at or below the cursor it was asked above is a broken promise: a line
 * "below SEQ CURSOR" on stderr and exit 1. Stops once STOPFILE exists and
 * a page read after that says no more; exit 1 too when a pull fails. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

#define PAGE_MAX ((size_t)4 << 20)

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    return buf_append(arg, data, size * n) == ERR_OK ? size * n : 0;
}

/* One page from `since`, parsed; NULL when the pull failed. */
static json_t *pull(CURL *c, const char *url, int64_t since)
{
    char target[1024];
    snprintf(target, sizeof target, "%s/v1/changes?since=%lld&limit=5", url, (long long)since);
    struct buf body;
    buf_init(&body, PAGE_MAX);
    curl_easy_setopt(c, CURLOPT_URL, target);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    long status = 0;
    json_t *page = NULL;
    if (curl_easy_perform(c) == CURLE_OK &&
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200)
        page = json_loadb(body.data ? body.data : "", body.len, 0, NULL);
    buf_release(&body);
    return page;
}

/* Prints the page's changes; false on one at or below `since`. */
static bool check_page(json_t *page, int64_t since)
{
    size_t i;
    json_t *ch;
    json_array_foreach(json_object_get(page, "changes"), i, ch)
    {
        int64_t seq = json_integer_value(json_object_get(ch, "seq"));
        if (seq <= since) {
            fprintf(stderr, "below %lld %lld\n", (long long)seq, (long long)since);
            return false;
        }
        json_t *row = json_object_get(ch, "row");
        json_t *id = json_object_get(row ? row : ch, "id");
        printf("%lld %s\n", (long long)seq, json_is_string(id) ? json_string_value(id) : "?");
    }
    return true;
}

static int watch(CURL *c, const char *url, const char *stopfile)
{
    int64_t cursor = 0;
    for (;;) {
        bool last = access(stopfile, F_OK) == 0;
        json_t *page = pull(c, url, cursor);
        if (!page) {
            fprintf(stderr, "sceaux-orderwatch: a pull from %lld failed\n", (long long)cursor);
            return 1;
        }
        bool ok = check_page(page, cursor);
        bool more = json_is_true(json_object_get(page, "more"));
        cursor = json_integer_value(json_object_get(page, "next"));
        json_decref(page);
        if (!ok)
            return 1;
        if (last && !more)
            return 0;
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: sceaux-orderwatch URL TOKEN STOPFILE\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *c = curl_easy_init();
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", argv[2]);
    struct curl_slist *headers = curl_slist_append(NULL, auth);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    int ret = watch(c, argv[1], argv[3]);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    curl_global_cleanup();
    return ret;
}
