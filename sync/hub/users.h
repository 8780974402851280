/* users: staff accounts' passwords (libsodium Argon2id) and reading one
 * from a terminal or a pipe, for `sceaux-hub user add`; their signatures.
 *
 * Passwords are stored only as crypto_pwhash_str() strings (Argon2id,
 * "interactive" limits: about 64 MiB and a fraction of a second), which
 * carry their own salt and parameters. users_check() takes the same time
 * whether the user exists or not, so a login does not tell which names
 * are accounts. */
#ifndef SCEAUX_HUB_USERS_H
#define SCEAUX_HUB_USERS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

#define USERS_PASSWORD_MIN 8    /* characters (bytes) */
#define USERS_PASSWORD_MAX 1024 /* bytes */
#define USERS_HASH_MAX 128      /* crypto_pwhash_STRBYTES */

/* Hashes `password` (len bytes) into out. ERR_INVALID outside the length
 * limits, ERR_IO when libsodium fails (out of memory for Argon2). */
MUST_USE enum err users_hash(const char *password, size_t len, char out[USERS_HASH_MAX]);

/* True when `password` matches `stored` (a users_hash() string). With
 * `stored` NULL (no such user) a dummy hash is checked, so the answer
 * takes as long, and false is returned. */
MUST_USE bool users_check(const char *password, size_t len, const char *stored);

/* The signature of announcements when an account has none. */
#define USERS_SIGNATURE_DEFAULT "Mairie de Sceaux"

/* True when `s` may sign announcements: valid UTF-8 without control
 * characters, not blank (validate_blank(), as announcement.author itself
 * must not be), within announcement.author's length (tables.h).
 * Otherwise why (whylen bytes) says what is wrong, in English. */
bool users_signature_ok(const char *s, size_t len, char *why, size_t whylen);

/* Reads one password: from the terminal without echo (asked twice) when
 * `in` is a terminal, else the first line of `in`. The password (NUL
 * terminated, no newline) goes to out (USERS_PASSWORD_MAX + 1 bytes).
 * ERR_INVALID with why filled when it is too short, too long or the two
 * entries differ; ERR_IO when reading fails. */
MUST_USE enum err users_read_password(FILE *in, char *out, char *why, size_t whylen);

#endif
