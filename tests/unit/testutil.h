/* testutil: small helpers the cmocka unit tests share. Include after
 * <cmocka.h>; everything is static inline, so a test uses what it needs. */
#ifndef SCEAUX_TESTUTIL_H
#define SCEAUX_TESTUTIL_H
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/* Removes a SQLite file and the files WAL mode leaves beside it. */
static inline void tu_remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

/* The integer a one-row query answers; fails the test otherwise. */
static inline int64_t tu_query_i64(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Parses JSON written in a test; fails the test on a typo. New reference. */
static inline json_t *tu_json(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    if (!j)
        fail_msg("%s", jerr.text);
    return j;
}

#endif
