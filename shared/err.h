/* err: the one error space of the project.
 *
 * Every function that can fail returns an `enum err`; ERR_OK is zero so
 * `if (rc)` reads as "if it failed". Detail for people goes through an
 * out-parameter (for example `struct verr` in validate.h), never a global.
 * Out-of-memory is not an error code: xalloc aborts. */
#ifndef SCEAUX_ERR_H
#define SCEAUX_ERR_H

enum err {
    ERR_OK = 0,
    ERR_IO,        /* a system call failed; errno tells more */
    ERR_DB,        /* SQLite refused */
    ERR_INVALID,   /* input of the wrong shape */
    ERR_TOO_BIG,   /* input over a cap */
    ERR_DEPTH,     /* JSON nested too deep */
    ERR_UTF8,      /* text that is not UTF-8 */
    ERR_NOT_FOUND, /* no such row, file or name */
    ERR_EXISTS,    /* already there */
    ERR_CONFLICT,  /* refused by a rule about other rows */
    ERR_FORBIDDEN, /* the caller's role may not */
    ERR_AUTH,      /* no or unknown credentials */
    ERR_NET,       /* the network or the peer failed */
    ERR_BUSY,      /* locked by another process */
    ERR_TRUNCATED, /* input ended early */
};

/* On the declaration of a function whose result must be looked at: every
 * one returning an `enum err`, and the checks and parsers that answer
 * without allocating (ignoring their result is always a bug). GCC warns,
 * and -Werror fails the build, even through a (void) cast. */
#define MUST_USE __attribute__((warn_unused_result))

/* A short lower-case description of `e`, static storage. */
const char *err_str(enum err e);

#endif
