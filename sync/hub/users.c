/* users: Argon2id password hashes for staff accounts and reading a
 * password for `sceaux-hub user add` (see users.h). */
#include "users.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tables.h"
#include "validate.h"

static char dummy_hash[crypto_pwhash_STRBYTES];
static bool dummy_ok;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    static const char pw[] = "no user has this password";
    dummy_ok = crypto_pwhash_str(dummy_hash, pw, sizeof pw - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

enum err users_hash(const char *password, size_t len, char out[USERS_HASH_MAX])
{
    _Static_assert(USERS_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
    if (len < USERS_PASSWORD_MIN || len > USERS_PASSWORD_MAX)
        return ERR_INVALID;
    if (crypto_pwhash_str(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return ERR_IO;
    return ERR_OK;
}

bool users_check(const char *password, size_t len, const char *stored)
{
    if (len > USERS_PASSWORD_MAX)
        len = USERS_PASSWORD_MAX;
    if (!stored) {
        pthread_once(&dummy_once, make_dummy);
        /* The same work as a real check; its answer is always no. */
        if (dummy_ok && crypto_pwhash_str_verify(dummy_hash, password, len) == 0)
            return false;
        return false;
    }
    if (strnlen(stored, USERS_HASH_MAX) >= USERS_HASH_MAX)
        return false;
    return crypto_pwhash_str_verify(stored, password, len) == 0;
}

/* One line of `in` into out (size cap + 2 for the newline and NUL), the
 * newline removed; ERR_INVALID when longer than cap. */
static enum err read_line(FILE *in, char *out, size_t cap)
{
    if (!fgets(out, (int)cap + 2, in))
        return ERR_IO;
    size_t n = strcspn(out, "\r\n");
    bool whole = out[n] != '\0' || feof(in);
    out[n] = '\0';
    if (!whole) {
        int c;
        while ((c = fgetc(in)) != EOF && c != '\n')
            ;
        return ERR_INVALID;
    }
    return ERR_OK;
}

static enum err ask(FILE *in, const char *prompt, char *out, size_t cap)
{
    struct termios old, quiet;
    int fd = fileno(in);
    fputs(prompt, stderr);
    fflush(stderr);
    bool restore = tcgetattr(fd, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    enum err rc = read_line(in, out, cap);
    if (restore)
        tcsetattr(fd, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return rc;
}

enum err users_read_password(FILE *in, char *out, char *why, size_t whylen)
{
    char a[USERS_PASSWORD_MAX + 2], b[USERS_PASSWORD_MAX + 2];
    enum err rc;
    why[0] = '\0';
    out[0] = '\0';
    if (isatty(fileno(in))) {
        rc = ask(in, "password: ", a, USERS_PASSWORD_MAX);
        if (rc == ERR_OK)
            rc = ask(in, "again: ", b, USERS_PASSWORD_MAX);
        if (rc == ERR_OK && strcmp(a, b) != 0) {
            snprintf(why, whylen, "the two passwords differ");
            rc = ERR_INVALID;
        }
    } else {
        rc = read_line(in, a, USERS_PASSWORD_MAX);
    }
    if (rc == ERR_IO)
        snprintf(why, whylen, "no password on standard input");
    else if (rc == ERR_INVALID && !why[0])
        snprintf(why, whylen, "the password is over %d bytes", USERS_PASSWORD_MAX);
    else if (rc == ERR_OK && strlen(a) < USERS_PASSWORD_MIN) {
        snprintf(why, whylen, "the password needs at least %d characters", USERS_PASSWORD_MIN);
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK)
        memcpy(out, a, strlen(a) + 1);
    sodium_memzero(a, sizeof a);
    sodium_memzero(b, sizeof b);
    return rc;
}

bool users_signature_ok(const char *s, size_t len, char *why, size_t whylen)
{
    const struct table *t = tables_find("announcement");
    int max = t->cols[tables_column_index(t, "author")].max_chars;
    bool control = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            control = true;
    }
    if (!validate_utf8(s, len, NULL) || control || strlen(s) != len)
        snprintf(why, whylen, "the signature must be printable text");
    else if (validate_blank(s))
        snprintf(why, whylen, "the signature must not be empty");
    else if (validate_utf8_chars(s) > (size_t)max)
        snprintf(why, whylen, "the signature is over %d characters", max);
    else
        return true;
    return false;
}
