/* Unit tests of gz: round trips, the inflation cap against a 1 GiB bomb,
 * and every way a gzip stream can be broken (truncated, trailing bytes,
 * corrupt header, data or checksum). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gz.h"
#include "xalloc.h"

#define MIB (1024u * 1024u)

/* `printf 'hello\n' | gzip -n -9`: a stream from another implementation. */
static const unsigned char hello_gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
                                         0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00,
                                         0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00};

/* Deterministic text-like bytes: words from a small alphabet, so deflate
 * has work to do but the data is not trivially compressible. */
static void fill_text(char *p, size_t n, uint32_t seed)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz  \n{}\":,0123456789";
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
}

static void compress_whole(const void *src, size_t n, struct buf *gz)
{
    buf_init(gz, n + n / 2 + 1024);
    assert_int_equal(gz_compress(src, n, gz), ERR_OK);
}

static void round_trip(const void *src, size_t n)
{
    struct buf gz, back;
    compress_whole(src, n, &gz);
    assert_true(gz.len >= 18); /* header 10 + empty block + trailer 8 */
    assert_int_equal((unsigned char)gz.data[0], 0x1f);
    assert_int_equal((unsigned char)gz.data[1], 0x8b);
    buf_init(&back, n);
    assert_int_equal(gz_inflate(gz.data, gz.len, &back), ERR_OK);
    assert_int_equal(back.len, n);
    if (n)
        assert_memory_equal(back.data, src, n);
    buf_release(&gz);
    buf_release(&back);
}

static void round_trips(void **state)
{
    (void)state;
    round_trip("", 0);
    round_trip("x", 1);
    round_trip("hello, Sceaux\n", 14);
    size_t n = 5 * MIB + 123;
    char *big = xmalloc(n);
    fill_text(big, n, 42);
    round_trip(big, n);
    free(big);
}

static void reads_gzip_tool_output(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 100);
    assert_int_equal(gz_inflate(hello_gz, sizeof hello_gz, &out), ERR_OK);
    assert_int_equal(out.len, 6);
    assert_string_equal(out.data, "hello\n");
    buf_release(&out);
}

static void appends_to_existing_content(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 100);
    assert_int_equal(buf_puts(&out, "> "), ERR_OK);
    assert_int_equal(gz_inflate(hello_gz, sizeof hello_gz, &out), ERR_OK);
    assert_string_equal(out.data, "> hello\n");
    buf_release(&out);
}

static void cap_is_exact(void **state)
{
    (void)state;
    char data[5000];
    fill_text(data, sizeof data, 7);
    struct buf gz, out;
    compress_whole(data, sizeof data, &gz);

    buf_init(&out, sizeof data); /* exactly enough */
    assert_int_equal(gz_inflate(gz.data, gz.len, &out), ERR_OK);
    assert_int_equal(out.len, sizeof data);
    buf_release(&out);

    buf_init(&out, sizeof data - 1); /* one byte short */
    assert_int_equal(gz_inflate(gz.data, gz.len, &out), ERR_TOO_BIG);
    assert_int_equal(out.len, 0);
    buf_release(&out);
    buf_release(&gz);
}

static void compress_respects_cap(void **state)
{
    (void)state;
    char data[20000];
    fill_text(data, sizeof data, 9);
    struct buf out;
    buf_init(&out, 100);
    assert_int_equal(buf_puts(&out, "keep"), ERR_OK);
    assert_int_equal(gz_compress(data, sizeof data, &out), ERR_TOO_BIG);
    assert_int_equal(out.len, 4);
    assert_string_equal(out.data, "keep");
    buf_release(&out);
}

/* Streams 1 GiB of zeros through deflate from one 1 MiB zero buffer, so the
 * test never holds the gigabyte. Z_RLE finds the same 258-byte runs as the
 * full match search, only much faster, and gives a ~1 MiB member. */
static void make_bomb(struct buf *gz)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_RLE), Z_OK);
    unsigned char *zeros = xcalloc(1, MIB);
    unsigned char chunk[65536];
    buf_init(gz, 4 * MIB);
    for (unsigned i = 0; i < 1024; i++) {
        zs.next_in = zeros;
        zs.avail_in = MIB;
        int flush = i == 1023 ? Z_FINISH : Z_NO_FLUSH;
        int zr;
        do {
            zs.next_out = chunk;
            zs.avail_out = sizeof chunk;
            zr = deflate(&zs, flush);
            assert_true(zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR);
            assert_int_equal(buf_append(gz, chunk, sizeof chunk - zs.avail_out), ERR_OK);
        } while (zs.avail_in > 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
    }
    assert_int_equal(zs.total_in, 1024ul * MIB);
    deflateEnd(&zs);
    free(zeros);
}

static void bomb_is_refused_at_the_cap(void **state)
{
    (void)state;
    struct buf gz, out;
    make_bomb(&gz);
    assert_true(gz.len < 2 * MIB);

    buf_init(&out, 16 * MIB);
    assert_int_equal(buf_puts(&out, "before"), ERR_OK);
    assert_int_equal(gz_inflate(gz.data, gz.len, &out), ERR_TOO_BIG);
    assert_int_equal(out.len, 6);
    assert_string_equal(out.data, "before");
    /* The buffer never held more than the cap: its storage is at most the
     * doubling step above it, not the gigabyte. */
    assert_true(out.cap <= 2 * (16 * MIB + 1));
    buf_release(&out);
    buf_release(&gz);
}

/* A check that refuses once it has seen more than *ctx bytes. */
static enum err refuse_after(void *ctx, const char *piece, size_t n)
{
    (void)piece;
    size_t *left = ctx;
    if (n > *left)
        return ERR_DEPTH; /* any code: it is handed back as it is */
    *left -= n;
    return ERR_OK;
}

static void check_stops_the_bomb_early(void **state)
{
    (void)state;
    struct buf gz, out;
    make_bomb(&gz);
    buf_init(&out, 16 * MIB);
    assert_int_equal(buf_puts(&out, "before"), ERR_OK);
    size_t left = 100000;
    assert_int_equal(gz_inflate_checked(gz.data, gz.len, &out, refuse_after, &left), ERR_DEPTH);
    assert_string_equal(out.data, "before");
    /* Stopped at the first piece past 100 kB, not at the 16 MiB cap. */
    assert_true(out.cap < MIB);
    buf_release(&out);
    buf_release(&gz);
}

static void every_truncation_is_truncated(void **state)
{
    (void)state;
    char data[3000];
    fill_text(data, sizeof data, 3);
    struct buf gz, out;
    compress_whole(data, sizeof data, &gz);
    buf_init(&out, sizeof data);
    for (size_t n = 0; n < gz.len; n++) {
        assert_int_equal(gz_inflate(gz.data, n, &out), ERR_TRUNCATED);
        assert_int_equal(out.len, 0);
    }
    assert_int_equal(gz_inflate(gz.data, gz.len, &out), ERR_OK);
    buf_release(&out);
    buf_release(&gz);
}

static void empty_input_is_truncated(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 100);
    assert_int_equal(gz_inflate("", 0, &out), ERR_TRUNCATED);
    assert_int_equal(gz_inflate(NULL, 0, &out), ERR_TRUNCATED);
    assert_int_equal(out.len, 0);
    buf_release(&out);
}

static void expect_invalid(const unsigned char *src, size_t n)
{
    struct buf out;
    buf_init(&out, 1000);
    assert_int_equal(buf_puts(&out, "kept"), ERR_OK);
    assert_int_equal(gz_inflate(src, n, &out), ERR_INVALID);
    assert_int_equal(out.len, 4);
    assert_string_equal(out.data, "kept");
    buf_release(&out);
}

static void trailing_bytes_are_invalid(void **state)
{
    (void)state;
    unsigned char two[2 * sizeof hello_gz];
    memcpy(two, hello_gz, sizeof hello_gz);
    two[sizeof hello_gz] = 'x';
    expect_invalid(two, sizeof hello_gz + 1);
    two[sizeof hello_gz] = 0;
    expect_invalid(two, sizeof hello_gz + 1);
    /* A second member is valid gzip but not what the protocol sends. */
    memcpy(two + sizeof hello_gz, hello_gz, sizeof hello_gz);
    expect_invalid(two, sizeof two);
}

static void corruption_is_invalid(void **state)
{
    (void)state;
    unsigned char bad[sizeof hello_gz];
    static const size_t at[] = {
        0,  /* magic */
        1,  /* magic */
        2,  /* method: only 8 (deflate) exists */
        3,  /* flags: reserved bits set below */
        10, /* first byte of the deflate data */
        18, /* CRC-32 */
        22, /* length modulo 2^32 */
    };
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        memcpy(bad, hello_gz, sizeof bad);
        bad[at[i]] ^= at[i] == 3 ? 0xe0 : 0x55;
        expect_invalid(bad, sizeof bad);
    }
    /* Plain text and the zlib wrapper are not gzip. */
    expect_invalid((const unsigned char *)"{\"changes\": []}", 15);
    unsigned char zlib_form[64];
    uLongf zn = sizeof zlib_form;
    assert_int_equal(compress(zlib_form, &zn, (const Bytef *)"hello\n", 6), Z_OK);
    expect_invalid(zlib_form, zn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips),
        cmocka_unit_test(reads_gzip_tool_output),
        cmocka_unit_test(appends_to_existing_content),
        cmocka_unit_test(cap_is_exact),
        cmocka_unit_test(compress_respects_cap),
        cmocka_unit_test(check_stops_the_bomb_early),
        cmocka_unit_test(bomb_is_refused_at_the_cap),
        cmocka_unit_test(every_truncation_is_truncated),
        cmocka_unit_test(empty_input_is_truncated),
        cmocka_unit_test(trailing_bytes_are_invalid),
        cmocka_unit_test(corruption_is_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
