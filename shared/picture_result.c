/* picture_result: the upload check's answer to the hub; see
 * picture_result.h. */
#include "picture_result.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reasons[] = {
    "not_image",        "truncated", "malformed",   "too_many_pixels",
    "metadata_too_big", "polyglot",  "unsupported", "check_failed",
};
static const char *const types[] = {"image/jpeg", "image/png"};

enum err picture_refuse(struct picture_refusal *why, const char *reason, const char *fmt, ...)
{
    why->reason = reason;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->message, sizeof why->message, fmt, ap);
    va_end(ap);
    return ERR_INVALID;
}

size_t picture_result_line(char *line, size_t cap, const struct picture_out *info,
                           const struct picture_refusal *why)
{
    int n = why ? snprintf(line, cap, "refused %s %s\n", why->reason, why->message)
                : snprintf(line, cap, "ok %s %d %d\n", info->type, info->width, info->height);
    if (n < 0 || (size_t)n >= cap) { /* a message cut short still ends its line */
        line[cap - 2] = '\n';
        return cap - 1;
    }
    return (size_t)n;
}

/* The entry of list[0..n) equal to word[0..len), or NULL. */
static const char *known(const char *const *list, size_t n, const char *word, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], word, len) == 0)
            return list[i];
    return NULL;
}

static enum err bad(struct picture_refusal *why, const char *what)
{
    why->reason = NULL;
    snprintf(why->message, sizeof why->message, "the checker's answer %s", what);
    return ERR_NET;
}

/* A side "1".."PICTURE_SIDE" at *p, ended by `end`. */
static bool side(const char **p, char end, int *out)
{
    char *stop = NULL;
    long v = strtol(*p, &stop, 10);
    if (stop == *p || *stop != end || **p < '1' || **p > '9' || v > PICTURE_SIDE)
        return false;
    *out = (int)v;
    *p = stop + 1;
    return true;
}

static enum err parse_ok(const char *p, struct picture_out *info, struct picture_refusal *why)
{
    size_t n = strcspn(p, " ");
    info->type = known(types, sizeof types / sizeof types[0], p, n);
    p += n + (p[n] == ' ');
    if (!info->type || !side(&p, ' ', &info->width) || !side(&p, '\n', &info->height))
        return bad(why, "names no rendition");
    return ERR_OK;
}

static enum err parse_refused(const char *p, struct picture_refusal *why)
{
    size_t n = strcspn(p, " \n");
    const char *reason = known(reasons, sizeof reasons / sizeof reasons[0], p, n);
    if (!reason || p[n] != ' ')
        return bad(why, "names no reason");
    p += n + 1;
    size_t m = 0;
    for (; p[m] != '\n' && m + 1 < sizeof why->message; m++) {
        if (p[m] < 0x20 || p[m] > 0x7e)
            return bad(why, "has a message that is not printable");
        why->message[m] = p[m];
    }
    why->message[m] = '\0';
    why->reason = reason;
    return ERR_INVALID;
}

enum err picture_result_parse(const char *d, size_t len, size_t *body, struct picture_out *info,
                              struct picture_refusal *why)
{
    const char *nl = memchr(d, '\n', len < PICTURE_LINE_MAX ? len : PICTURE_LINE_MAX);
    if (!nl)
        return bad(why, "has no first line");
    char line[PICTURE_LINE_MAX + 1];
    size_t n = (size_t)(nl - d) + 1;
    memcpy(line, d, n);
    line[n] = '\0';
    if (memchr(line, '\0', n))
        return bad(why, "has a NUL byte");
    *body = n;
    if (strncmp(line, "ok ", 3) == 0)
        return parse_ok(line + 3, info, why);
    if (strncmp(line, "refused ", 8) == 0)
        return parse_refused(line + 8, why);
    return bad(why, "is neither ok nor refused");
}
