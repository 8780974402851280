/* err: names of the error codes, for messages. */
#include "err.h"

const char *err_str(enum err e)
{
    static const char *const names[] = {
        [ERR_OK] = "ok",
        [ERR_IO] = "input/output error",
        [ERR_DB] = "database error",
        [ERR_INVALID] = "invalid input",
        [ERR_TOO_BIG] = "too large",
        [ERR_DEPTH] = "nested too deep",
        [ERR_UTF8] = "invalid UTF-8",
        [ERR_NOT_FOUND] = "not found",
        [ERR_EXISTS] = "already exists",
        [ERR_CONFLICT] = "conflict",
        [ERR_FORBIDDEN] = "forbidden",
        [ERR_AUTH] = "not authenticated",
        [ERR_NET] = "network error",
        [ERR_BUSY] = "busy",
        [ERR_TRUNCATED] = "truncated",
    };
    if ((unsigned)e < sizeof names / sizeof names[0] && names[e])
        return names[e];
    return "unknown error";
}
