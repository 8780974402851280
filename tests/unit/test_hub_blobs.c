/* Unit tests of the hub's picture folder (blobs.h), of the picture
 * names (sha256.h) and of the write under them (file.h): a known digest,
 * names refused, a file stored once under its name and read back with its
 * type, a failed write leaving nothing, and the leftovers of an
 * interrupted write removed only once stale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../sync/hub/blobs.h"
#include "file.h"
#include "sha256.h"

/* SHA-256 of "abc" (FIPS 180-2, appendix B.1). */
#define ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static void names(void **state)
{
    (void)state;
    char out[SHA256_HEX_LEN + 1];
    sha256_hex("abc", 3, out);
    assert_string_equal(out, ABC);
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, "a", 1);
    sha256_update(&h, "bc", 2);
    sha256_final(&h, out);
    assert_string_equal(out, ABC);
    assert_true(sha256_hex_valid(ABC));
    assert_false(sha256_hex_valid(NULL));
    assert_false(sha256_hex_valid(""));
    assert_false(sha256_hex_valid(ABC "0"));
    assert_false(sha256_hex_valid(ABC + 1));
    char upper[] = ABC;
    upper[0] = 'B';
    assert_false(sha256_hex_valid(upper));
    char dots[] = ABC;
    memcpy(dots, "../", 3);
    assert_false(sha256_hex_valid(dots));
}

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sceaux-test-blobs.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void put_and_get(void **state)
{
    (void)state;
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
    char sub[300], err[256];
    snprintf(sub, sizeof sub, "%s/pictures", dir);
    struct blobs *b = NULL;
    assert_int_equal(blobs_open(sub, &b, err, sizeof err), ERR_OK);
    char name[SHA256_HEX_LEN + 1], again[SHA256_HEX_LEN + 1];
    assert_int_equal(blobs_put(b, png, sizeof png, name), ERR_OK);
    assert_int_equal(blobs_put(b, png, sizeof png, again), ERR_OK);
    assert_string_equal(name, again);
    assert_true(blobs_has(b, name));
    int fd = -1;
    uint64_t size = 0;
    const char *type = NULL;
    assert_int_equal(blobs_get(b, name, &fd, &size, &type), ERR_OK);
    assert_int_equal(size, sizeof png);
    assert_string_equal(type, "image/png");
    close(fd);
    assert_int_equal(blobs_put(b, "abc", 3, name), ERR_OK);
    assert_string_equal(name, ABC);
    assert_int_equal(blobs_get(b, ABC, &fd, &size, &type), ERR_OK);
    assert_string_equal(type, "application/octet-stream");
    close(fd);
    char missing[] = ABC;
    missing[0] = 'c';
    assert_int_equal(blobs_get(b, missing, &fd, &size, &type), ERR_NOT_FOUND);
    assert_false(blobs_has(b, missing));
    assert_int_equal(blobs_get(b, "../pictures", &fd, &size, &type), ERR_INVALID);
    assert_int_equal(fd, -1);
    blobs_close(b);
}

/* A file replaced whole; a write that cannot land leaves no file. */
static void file_put_whole_or_nothing(void **state)
{
    (void)state;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_int_equal(file_put(fd, "f", "first", 5), ERR_OK);
    assert_int_equal(file_put(fd, "f", "2nd", 3), ERR_OK);
    char path[300], got[8] = "";
    snprintf(path, sizeof path, "%s/f", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fread(got, 1, sizeof got, f), 3);
    fclose(f);
    assert_memory_equal(got, "2nd", 3);
    assert_int_equal(file_put(fd, "no-such-folder/f", "x", 1), ERR_IO); /* the rename fails */
    close(fd);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = f", dir);
    assert_int_equal(system(cmd), 0);
}

/* A write that died leaves ".tmp-..."; the next open removes it once it
 * is an hour old, never a younger one (another writer's). */
static void stale_temporaries(void **state)
{
    (void)state;
    char fresh[300], old[300], err[256];
    snprintf(fresh, sizeof fresh, "%s/.tmp-fresh", dir);
    snprintf(old, sizeof old, "%s/.tmp-old", dir);
    close(open(fresh, O_WRONLY | O_CREAT, 0644));
    close(open(old, O_WRONLY | O_CREAT, 0644));
    struct timespec two_hours_ago[2] = {{time(NULL) - 7200, 0}, {time(NULL) - 7200, 0}};
    assert_int_equal(utimensat(AT_FDCWD, old, two_hours_ago, 0), 0);
    struct blobs *b = NULL;
    assert_int_equal(blobs_open(dir, &b, err, sizeof err), ERR_OK);
    assert_int_equal(access(fresh, F_OK), 0);
    assert_int_not_equal(access(old, F_OK), 0);
    blobs_close(b);
    assert_int_equal(blobs_open("/proc/version/x", &b, err, sizeof err), ERR_IO);
    assert_non_null(strstr(err, "/proc/version/x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test_setup_teardown(put_and_get, setup, teardown),
        cmocka_unit_test_setup_teardown(file_put_whole_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_temporaries, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
