/* validate: the JSON loader for untrusted bytes and the row validator.
 *
 * validate_row() walks the row's keys for unknown ones, then the table's
 * columns (tables.h) once; check_value() and check_string() hold the
 * per-type rules. Every
 * string put into a struct verr goes through validate_clip() or utf8_cut() so the
 * error body stays valid UTF-8 even when a hostile key is quoted. */
#include "validate.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "id.h"
#include "rrule.h"
#include "sha256.h"
#include "ts.h"

#define QUOTE_MAX 48 /* bytes of a client's key quoted in a message */

bool validate_utf8(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            goto fail;
        }
        if (n >= len - i)
            goto fail;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto fail;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto fail;
        i += n + 1;
    }
    return true;
fail:
    if (bad)
        *bad = i;
    return false;
}

size_t validate_utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

void validate_clip(char *dst, size_t cap, const char *src)
{
    size_t len = strlen(src);
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Cuts s at its first byte that is not valid UTF-8 (a truncated tail). */
static void utf8_cut(char *s)
{
    size_t bad;
    if (!validate_utf8(s, strlen(s), &bad))
        s[bad] = '\0';
}

void validate_clear(struct verr *e)
{
    e->error[0] = '\0';
    e->field[0] = '\0';
    e->message[0] = '\0';
}

void validate_fail(struct verr *e, const char *error, const char *field, const char *fmt, ...)
{
    validate_clip(e->error, sizeof e->error, error);
    utf8_cut(e->error);
    validate_clip(e->field, sizeof e->field, field ? field : "");
    utf8_cut(e->field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    utf8_cut(e->message);
}

/* ---- JSON loader ---- */

void validate_scan_init(struct validate_scan *s, size_t max_depth, size_t max_values)
{
    memset(s, 0, sizeof *s);
    s->max_depth = max_depth;
    s->max_values = max_values;
}

/* One token starts at byte i: counts it against the cap. */
static enum err scan_value(struct validate_scan *s, size_t i)
{
    if (++s->values <= s->max_values)
        return ERR_OK;
    validate_fail(&s->err, "too_big", NULL, "more than %zu JSON values (at byte %zu)",
                  s->max_values, s->offset + i);
    return ERR_TOO_BIG;
}

/* Without recursion and one byte at a time, so that the caller may feed a
 * body as it inflates; strings (and their escapes) are skipped so brackets
 * inside them do not count. */
enum err validate_scan_feed(struct validate_scan *s, const char *d, size_t len)
{
    if (s->failed)
        return s->failed;
    enum err rc = ERR_OK;
    size_t i = 0;
    for (; i < len && rc == ERR_OK; i++) {
        char c = d[i];
        if (s->in_str) {
            if (s->esc)
                s->esc = false;
            else if (c == '\\')
                s->esc = true;
            else if (c == '"')
                s->in_str = false;
            continue;
        }
        bool bare = !strchr(" \t\r\n[]{},:\"", c);
        if (bare && !s->in_bare)
            rc = scan_value(s, i);
        s->in_bare = bare;
        if (c == '"') {
            s->in_str = true;
            rc = scan_value(s, i);
        } else if (c == '[' || c == '{') {
            rc = scan_value(s, i);
            if (rc == ERR_OK && ++s->depth > s->max_depth) {
                validate_fail(&s->err, "invalid", NULL,
                              "JSON nested deeper than %zu levels (at byte %zu)", s->max_depth,
                              s->offset + i);
                rc = ERR_DEPTH;
            }
        } else if ((c == ']' || c == '}') && s->depth > 0) {
            s->depth--;
        }
    }
    s->offset += i;
    s->failed = rc;
    return rc;
}

/* Whether `done` measured the depth of these len bytes as the loader
 * would have: all of them, with a cap at most max_depth, and passed. */
static bool scanned(const struct validate_scan *done, size_t len, size_t max_depth)
{
    return done && done->failed == ERR_OK && done->offset == len && done->max_depth <= max_depth;
}

enum err validate_json_load_scanned(const char *data, size_t len, size_t max_depth,
                                    const struct validate_scan *done, json_t **out, struct verr *e)
{
    *out = NULL;
    validate_clear(e);
    if (!data)
        data = ""; /* an empty body, as a NULL buf hands it */
    if (!scanned(done, len, max_depth)) {
        struct validate_scan scan;
        validate_scan_init(&scan, max_depth, SIZE_MAX);
        enum err rc = validate_scan_feed(&scan, data, len);
        if (rc) {
            *e = scan.err;
            return rc;
        }
    }
    size_t at;
    if (!validate_utf8(data, len, &at)) {
        validate_fail(e, "invalid", NULL, "body is not valid UTF-8 (at byte %zu)", at);
        return ERR_UTF8;
    }
    json_error_t jerr;
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        validate_fail(e, "invalid", NULL, "invalid JSON at line %d, column %d: %s", jerr.line,
                      jerr.column, jerr.text);
        return ERR_INVALID;
    }
    *out = j;
    return ERR_OK;
}

enum err validate_json_load(const char *data, size_t len, size_t max_depth, json_t **out,
                            struct verr *e)
{
    return validate_json_load_scanned(data, len, max_depth, NULL, out, e);
}

/* ---- rows ---- */

static bool in_list(const char *s, const char *const *values)
{
    for (; *values; values++)
        if (strcmp(*values, s) == 0)
            return true;
    return false;
}

/* "a, b, c" into out, or a shorter "a, b, ..." when it does not fit. */
static void list_values(char *out, size_t cap, const char *const *values)
{
    size_t len = 0;
    out[0] = '\0';
    for (; *values; values++) {
        size_t n = strlen(*values) + (len ? 2 : 0);
        if (len + n + 5 >= cap) {
            snprintf(out + len, cap - len, "%s...", len ? ", " : "");
            return;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "", *values);
    }
}

static bool code_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 6 || n > 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool target_valid(const char *s)
{
    if (strcmp(s, "all") == 0)
        return true;
    if (strncmp(s, "site:", 5) == 0)
        return id_valid(s + 5);
    if (strncmp(s, "kiosk:", 6) == 0)
        return id_valid(s + 6);
    return false;
}

static bool email_local_valid(const char *s, size_t n)
{
    if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        bool alnum = isascii((unsigned char)s[i]) && isalnum((unsigned char)s[i]);
        if (!alnum && !strchr(".!#$%&'*+/=?^_`{|}~-", s[i]))
            return false;
        if (s[i] == '.' && s[i + 1] == '.')
            return false;
    }
    return true;
}

static bool email_domain_valid(const char *s)
{
    int labels = 0;
    bool letters = false; /* the last label so far is letters only */
    while (*s) {
        size_t n = 0;
        letters = true;
        while (isascii((unsigned char)s[n]) && (isalnum((unsigned char)s[n]) || s[n] == '-')) {
            letters = letters && isalpha((unsigned char)s[n]);
            n++;
        }
        if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
            return false;
        labels++;
        s += n;
        if (*s == '.' && s[1])
            s++;
        else if (*s)
            return false;
    }
    return labels >= 2 && letters;
}

static bool phone_valid(const char *s)
{
    int digits = 0;
    if (*s == '+')
        s++;
    if (*s != '(' && (*s < '0' || *s > '9'))
        return false; /* white space first, or nothing */
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (!strchr(" .-()", *s))
            return false;
    }
    return digits >= 8 && digits <= 15 && s[-1] >= '0' && s[-1] <= '9';
}

bool validate_contact(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at)
        return phone_valid(s);
    return email_local_valid(s, (size_t)(at - s)) && email_domain_valid(at + 1);
}

static enum err bad(struct verr *e, const struct column *c, const char *what)
{
    validate_fail(e, "invalid", c->name, "'%s' %s", c->name, what);
    return ERR_INVALID;
}

/* Length in bytes of the white space (Unicode White_Space) at s, 0 when
 * s does not start with some. */
static size_t space_len(const unsigned char *s)
{
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
        return 1;
    if (s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0)) /* NEL, no-break space */
        return 2;
    if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) /* ogham space mark */
        return 3;
    if (s[0] == 0xE2 && s[1] == 0x80 &&
        (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return 3; /* en quad to hair space, line and paragraph separators, narrow no-break */
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) /* medium mathematical space */
        return 3;
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) /* ideographic space */
        return 3;
    return 0;
}

bool validate_blank(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    while ((n = space_len(p)) > 0)
        p += n;
    return *p == '\0';
}

/* A COL_SET value: items of values, comma-separated, no blanks, each
 * once, at least one (none is null). */
static bool set_valid(const char *s, const char *const *values)
{
    int nvalues = 0;
    while (values[nvalues])
        nvalues++;
    bool seen[32] = {false};
    if (nvalues > 32 || !*s)
        return false;
    for (const char *p = s;;) {
        size_t len = strcspn(p, ",");
        int k = 0;
        while (k < nvalues && !(strlen(values[k]) == len && strncmp(values[k], p, len) == 0))
            k++;
        if (k == nvalues || seen[k])
            return false;
        seen[k] = true;
        if (!p[len])
            return true;
        p += len + 1;
    }
}

/* The rules of one string-typed column; s has no NUL inside. A required
 * text must show something: blanks are refused where a client writes
 * (push modes), not in pulls, so rows stored before the rule never wedge
 * a replica. */
static enum err check_string(const struct column *c, const char *s, enum vmode mode, struct verr *e)
{
    int64_t t;
    int minutes;
    char list[150];
    switch (c->type) {
    case COL_ID:
        return id_valid(s) ? ERR_OK : bad(e, c, "must be an id: 1 to 64 of [A-Za-z0-9._:-]");
    case COL_TEXT: {
        if (!(c->flags & COL_OPT) && mode != VALIDATE_PULL && validate_blank(s))
            return bad(e, c, "must hold at least one character other than white space");
        size_t n = validate_utf8_chars(s);
        if (n <= (size_t)c->max_chars)
            return ERR_OK;
        validate_fail(e, "invalid", c->name, "'%s' is %zu characters long, at most %d allowed",
                      c->name, n, c->max_chars);
        return ERR_INVALID;
    }
    case COL_TIME:
        return ts_parse(s, &t) == ERR_OK
                   ? ERR_OK
                   : bad(e, c, "must be a UTC time like 2026-12-01T09:00:00Z");
    case COL_ENUM:
        if (in_list(s, c->values))
            return ERR_OK;
        list_values(list, sizeof list, c->values);
        validate_fail(e, "invalid", c->name, "'%s' must be one of: %s", c->name, list);
        return ERR_INVALID;
    case COL_SET:
        if (set_valid(s, c->values))
            return ERR_OK;
        list_values(list, sizeof list, c->values);
        validate_fail(e, "invalid", c->name, "'%s' must be some of: %s, comma-separated, each once",
                      c->name, list);
        return ERR_INVALID;
    case COL_HHMM:
        return ts_parse_hhmm(s, &minutes) == ERR_OK ? ERR_OK
                                                    : bad(e, c, "must be a time of day like 09:30");
    case COL_TARGET:
        return target_valid(s) ? ERR_OK
                               : bad(e, c, "must be \"all\", \"site:<id>\" or \"kiosk:<id>\"");
    case COL_CODE:
        return code_valid(s) ? ERR_OK : bad(e, c, "must be 6 to 12 digits");
    case COL_CONTACT:
        /* The value is personal: the message never quotes it. */
        if (strlen(s) > (size_t)c->max_chars)
            return bad(e, c, "is too long");
        return validate_contact(s) ? ERR_OK
                                   : bad(e, c, "must be an email address or a phone number");
    case COL_RRULE: {
        struct rrule r;
        char why[120];
        if (rrule_parse(s, &r, why, sizeof why) == ERR_OK)
            return ERR_OK;
        validate_fail(e, "invalid", c->name, "'%s' is not a supported rule: %s", c->name, why);
        return ERR_INVALID;
    }
    case COL_PICTURE:
        return sha256_hex_valid(s) ? ERR_OK
                                   : bad(e, c, "must be a SHA-256: 64 lower-case hex digits");
    default:
        return bad(e, c, "has an unexpected type");
    }
}

static enum err check_value(const struct column *c, json_t *v, enum vmode mode, struct verr *e)
{
    bool nullable = mode == VALIDATE_PULL ? tables_column_pull_nullable(c) : c->flags & COL_OPT;
    if (json_is_null(v))
        return nullable ? ERR_OK : bad(e, c, "may not be null");
    switch (c->type) {
    case COL_INT: {
        if (!json_is_integer(v))
            return bad(e, c, "must be an integer");
        json_int_t n = json_integer_value(v);
        return n >= 0 && n <= INT32_MAX ? ERR_OK : bad(e, c, "must be between 0 and 2147483647");
    }
    case COL_BOOL:
        return json_is_boolean(v) ? ERR_OK : bad(e, c, "must be true or false");
    default:
        if (!json_is_string(v))
            return bad(e, c, "must be a string");
        if (strlen(json_string_value(v)) != json_string_length(v))
            return bad(e, c, "may not contain a NUL character");
        return check_string(c, json_string_value(v), mode, e);
    }
}

/* Whether column i must be in the row in this mode. A pull may lack an
 * optional column: a hub older than the column does not send it. */
static bool required(const struct column *c, int i, enum vmode mode)
{
    if (c->flags & COL_OPT)
        return false;
    return mode != VALIDATE_PUSH_PARTIAL || i == 0;
}

enum err validate_row(const struct table *t, json_t *row, enum vmode mode, struct verr *e)
{
    validate_clear(e);
    if (!json_is_object(row)) {
        validate_fail(e, "invalid", NULL, "a %s row must be a JSON object", t->name);
        return ERR_INVALID;
    }
    const char *key;
    json_t *v;
    void *tmp;
    char quoted[QUOTE_MAX];
    json_object_foreach_safe(row, tmp, key, v)
    {
        int i = tables_column_index(t, key);
        if (i < 0 && mode == VALIDATE_PULL) {
            /* a column added to the protocol after this client: ignored,
             * so a hub may be upgraded before its kiosks */
            json_object_del(row, key);
            continue;
        }
        if (i < 0) {
            validate_clip(quoted, sizeof quoted, key);
            validate_fail(e, "invalid", key, "unknown column '%s' in table %s", quoted, t->name);
            return ERR_INVALID;
        }
        if (mode == VALIDATE_PULL && !tables_column_public(&t->cols[i]))
            return bad(e, &t->cols[i], "is never sent by the hub");
    }
    for (int i = 0; i < t->ncols; i++) {
        const struct column *c = &t->cols[i];
        bool push = mode != VALIDATE_PULL;
        if (push && !tables_column_pushable(c)) {
            json_object_del(row, c->name); /* set by the hub: a client's value is ignored */
            continue;
        }
        if (!push && !tables_column_public(c))
            continue;
        v = json_object_get(row, c->name);
        if (!v) {
            if (required(c, i, mode))
                return bad(e, c, "is missing");
            if (mode == VALIDATE_PULL) /* as a hub that knows it sends it */
                json_object_set_new(row, c->name, json_null());
            continue;
        }
        enum err rc = check_value(c, v, mode, e);
        if (rc)
            return rc;
    }
    return ERR_OK;
}
