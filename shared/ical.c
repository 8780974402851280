/* ical: iCalendar events and vCards (ical.h). A property is built whole
 * in a scratch buf, then folded into the output, so escaping and folding
 * each stay one simple loop. */
#include "ical.h"

#include <stdbool.h>
#include <string.h>

#include "ts.h"

/* A property's unfolded length at most: the longest protocol text (4000
 * characters of description) escaped, with room to spare. */
#define LINE_CAP (32 * 1024)

static bool continuation(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

size_t ical_fit(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && continuation((unsigned char)s[max]))
        max--;
    return max;
}

/* Writes line (n octets, no CRLF) folded: the first piece up to 75
 * octets, each next one a space and up to 74, all cut on characters. */
static enum err fold(struct buf *b, const char *line, size_t n)
{
    size_t room = ICAL_LINE_MAX;
    enum err rc = ERR_OK;
    while (rc == ERR_OK) {
        size_t k = n;
        if (k > room) {
            k = room;
            while (k > 0 && continuation((unsigned char)line[k]))
                k--;
        }
        rc = buf_append(b, line, k);
        if (rc == ERR_OK)
            rc = buf_append(b, "\r\n", 2);
        line += k;
        n -= k;
        if (n == 0)
            break;
        if (rc == ERR_OK)
            rc = buf_append(b, " ", 1);
        room = ICAL_LINE_MAX - 1;
    }
    return rc;
}

/* RFC 5545 3.3.11: backslash, ";" and "," escaped, a line break (CRLF,
 * LF or CR) as "\n"; other control characters are not allowed in TEXT
 * and are dropped, except tabs, kept as spaces. */
static enum err escape(struct buf *out, const char *v)
{
    enum err rc = ERR_OK;
    for (const char *p = v; *p && rc == ERR_OK; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\' || c == ';' || c == ',') {
            char e[2] = {'\\', (char)c};
            rc = buf_append(out, e, 2);
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && p[1] == '\n')
                p++;
            rc = buf_append(out, "\\n", 2);
        } else if (c == '\t') {
            rc = buf_append(out, " ", 1);
        } else if (c >= 0x20 && c != 0x7f) {
            rc = buf_append(out, p, 1);
        }
    }
    return rc;
}

/* "NAME:" then value escaped (or raw when !text), folded. */
static enum err property(struct buf *b, const char *name, const char *value, bool text)
{
    struct buf line;
    buf_init(&line, LINE_CAP);
    enum err rc = buf_printf(&line, "%s:", name);
    if (rc == ERR_OK)
        rc = text ? escape(&line, value) : buf_puts(&line, value);
    if (rc == ERR_OK)
        rc = fold(b, line.data, line.len);
    buf_release(&line);
    return rc;
}

enum err ical_text(struct buf *b, const char *name, const char *value)
{
    return property(b, name, value, true);
}

/* ical_text when value is neither NULL nor "". */
static enum err optional(struct buf *b, const char *name, const char *value)
{
    return value && value[0] ? ical_text(b, name, value) : ERR_OK;
}

enum err ical_time(struct buf *b, const char *name, int64_t t)
{
    char w[TS_LEN + 1];
    ts_format(t, w); /* "2026-12-01T09:00:00Z" */
    char v[17];
    size_t n = 0;
    for (const char *p = w; *p; p++)
        if (*p != '-' && *p != ':')
            v[n++] = *p;
    v[n] = '\0';
    return property(b, name, v, false);
}

/* "UID:KIND-ID@domain"; escaped as TEXT, a no-op on a valid id. */
static enum err uid(struct buf *b, const char *kind, const char *id)
{
    struct buf v;
    buf_init(&v, LINE_CAP);
    enum err rc = buf_printf(&v, "%s-%s@%s", kind, id, ICAL_UID_DOMAIN);
    if (rc == ERR_OK)
        rc = ical_text(b, "UID", v.data);
    buf_release(&v);
    return rc;
}

/* A value written raw (URI, email, phone) must be printable ASCII without
 * spaces, so nothing in it can end the line or start a property. */
static bool raw_safe(const char *v)
{
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return false;
    return true;
}

/* A URL or a rule as it is (not TEXT), left out when not raw_safe. */
static enum err raw(struct buf *b, const char *name, const char *v)
{
    return v && v[0] && raw_safe(v) ? property(b, name, v, false) : ERR_OK;
}

enum err ical_begin(struct buf *b, const char *name)
{
    enum err rc = buf_puts(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                              "PRODID:-//Ville de Sceaux//Sceaux kiosk//FR\r\n");
    if (rc == ERR_OK && name)
        rc = buf_puts(b, "METHOD:PUBLISH\r\n");
    if (rc == ERR_OK)
        rc = optional(b, "X-WR-CALNAME", name);
    return rc;
}

enum err ical_end(struct buf *b)
{
    return buf_puts(b, "END:VCALENDAR\r\n");
}

/* BEGIN:VEVENT with the properties every event has. */
static enum err event_head(struct buf *b, const char *kind, const char *id, int64_t starts,
                           int64_t ends, int64_t stamp)
{
    enum err rc = buf_puts(b, "BEGIN:VEVENT\r\n");
    if (rc == ERR_OK)
        rc = uid(b, kind, id);
    if (rc == ERR_OK)
        rc = ical_time(b, "DTSTAMP", stamp);
    if (rc == ERR_OK)
        rc = ical_time(b, "DTSTART", starts);
    if (rc == ERR_OK)
        rc = ical_time(b, "DTEND", ends);
    return rc;
}

enum err ical_event(struct buf *b, const struct ical_event *e)
{
    enum err rc = event_head(b, e->kind, e->id, e->starts, e->ends, e->stamp);
    if (rc == ERR_OK)
        rc = optional(b, "SUMMARY", e->summary);
    if (rc == ERR_OK)
        rc = optional(b, "LOCATION", e->location);
    if (rc == ERR_OK)
        rc = optional(b, "DESCRIPTION", e->description);
    if (rc == ERR_OK)
        rc = raw(b, "URL", e->url);
    if (rc == ERR_OK)
        rc = raw(b, "RRULE", e->rrule);
    if (rc == ERR_OK)
        rc = buf_puts(b, "END:VEVENT\r\n");
    return rc;
}

enum err ical_busy(struct buf *b, const char *id, int64_t starts, int64_t ends, int64_t stamp,
                   const char *label)
{
    enum err rc = event_head(b, "busy", id, starts, ends, stamp);
    if (rc == ERR_OK)
        rc = optional(b, "SUMMARY", label);
    if (rc == ERR_OK)
        rc = buf_puts(b, "TRANSP:OPAQUE\r\nEND:VEVENT\r\n");
    return rc;
}

/* An email has one "@" and no space; a phone number is digits with
 * spaces, dots, dashes and one leading "+". Anything else is a NOTE. */
static const char *contact_kind(const char *c)
{
    const char *at = strchr(c, '@');
    if (at && at != c && at[1] && !strchr(at + 1, '@') && raw_safe(c) && !strpbrk(c, ",;<>\"()"))
        return "EMAIL";
    size_t digits = 0;
    for (const char *p = c; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" .-", *p) && !(*p == '+' && p == c))
            return "NOTE";
    }
    return digits >= 4 ? "TEL" : "NOTE";
}

/* RFC 6350: VERSION right after BEGIN, FN required. The address is one
 * line: it goes whole in ADR's street component (its ";" and ","
 * escaped by TEXT rules). */
enum err ical_card(struct buf *b, const struct ical_card *c)
{
    enum err rc = buf_puts(b, "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\n");
    if (rc == ERR_OK)
        rc = ical_text(b, "FN", c->name);
    if (rc == ERR_OK)
        rc = ical_text(b, "ORG", c->name);
    if (rc == ERR_OK && c->contact && c->contact[0]) {
        const char *k = contact_kind(c->contact);
        rc = strcmp(k, "NOTE") == 0 ? ical_text(b, k, c->contact)
                                    : property(b, k, c->contact, false);
    }
    if (rc == ERR_OK && c->address && c->address[0]) {
        struct buf v;
        buf_init(&v, LINE_CAP);
        rc = buf_puts(&v, ";;");
        if (rc == ERR_OK)
            rc = escape(&v, c->address);
        if (rc == ERR_OK)
            rc = buf_puts(&v, ";;;;");
        if (rc == ERR_OK)
            rc = property(b, "ADR", v.data, false);
        buf_release(&v);
    }
    if (rc == ERR_OK)
        rc = raw(b, "URL", c->url);
    if (rc == ERR_OK)
        rc = buf_puts(b, "END:VCARD\r\n");
    return rc;
}
