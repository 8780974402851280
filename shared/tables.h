/* tables: the protocol's tables and columns (docs/protocol.md, "Tables"), once,
 * as data.
 *
 * The hub's validator, the replica and hub schemas (db.c generates their
 * CREATE TABLE statements from here), the codec and the tests all read this
 * description; nothing else lists columns. Column 0 of every table is `id`.
 * Start reading at `struct table`, then the array in tables.c. */
#ifndef SCEAUX_TABLES_H
#define SCEAUX_TABLES_H
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Lengths (characters) that code outside tables.c needs at compile time:
 * the kiosk's form buffers. tables.c uses them for the columns. */
#define TABLES_HOLDER_MAX 60        /* booking.holder */
#define TABLES_IDEA_TEXT_MAX 1000   /* proposal.text */
#define TABLES_IDEA_AUTHOR_MAX 60   /* proposal.author_name */
#define TABLES_IDEA_ANSWER_MAX 1000 /* proposal.answer */
#define TABLES_PICTURE_ALT_MAX 200  /* picture_alt: a picture told in words */
#define TABLES_OFFER_NAME_MAX 60    /* help_offer.first_name */
#define TABLES_CONTACT_MAX 200      /* help_offer.contact */

enum col_type {
    COL_ID,      /* 1-64 of [A-Za-z0-9._:-] */
    COL_TEXT,    /* UTF-8, at most max_chars characters (code points) */
    COL_INT,     /* integer in [0, 2^31-1] */
    COL_BOOL,    /* JSON true/false; INTEGER 0/1 in SQLite */
    COL_TIME,    /* RFC 3339 UTC, "2026-12-01T09:00:00Z" */
    COL_ENUM,    /* one of values[] */
    COL_HHMM,    /* "HH:MM", 00:00 to 23:59 (24:00 allowed for closes) */
    COL_TARGET,  /* "all", "site:<id>" or "kiosk:<id>" */
    COL_CODE,    /* 6 to 12 ASCII digits */
    COL_RRULE,   /* a recurrence rule of rrule.h, at most RRULE_MAX_CHARS */
    COL_PICTURE, /* a picture's name: its SHA-256, 64 lower-case hex digits (sha256.h) */
    COL_SET,     /* some of values[], comma-separated, each once, at least one ("local,reseau") */
    COL_CONTACT, /* an email address or a phone number (validate_contact), at most max_chars */
};

enum col_flag {
    COL_OPT = 1 << 0,       /* may be absent or null */
    COL_HUB = 1 << 1,       /* hub-only: never sent, ignored when pushed */
    COL_HUB_SET = 1 << 2,   /* set by the hub: sent, ignored when pushed */
    COL_PUSH_ONLY = 1 << 3, /* read from a push, never stored nor sent */
    COL_STAFF = 1 << 4,     /* personal: null in pulls by kiosk tokens (booking.holder) */
};

struct column {
    const char *name;
    enum col_type type;
    unsigned flags;
    int max_chars;             /* COL_TEXT only */
    const char *const *values; /* COL_ENUM and COL_SET: NULL-terminated */
};

enum table_flag {
    TABLE_HUB = 1 << 0, /* hub-only table (support, proposal_support): never replicated */
    /* Personal data for staff (help_offer): in the hub's rowlog, pulled by
     * staff and admin, never by a kiosk token, never in a replica. */
    TABLE_STAFF = 1 << 1,
};

struct table {
    const char *name;
    const struct column *cols; /* cols[0].name is "id" */
    int ncols;
    unsigned flags;
    const char *const
        *search; /* text columns in the replica's full-text index, NULL-terminated; NULL if none */
};

extern const struct table tables_all[];
extern const int tables_count;
extern const char *const tables_domains[]; /* NULL-terminated */
extern const char *const tables_stages[];  /* initiative.stage, organization.stages */
extern const char *const tables_offers[];  /* organization.offers: what an actor offers */

/* The table named `name`, or NULL. */
MUST_USE const struct table *tables_find(const char *name);
/* Index of the column `name` in t, or -1. */
MUST_USE int tables_column_index(const struct table *t, const char *name);
/* True when the set `set` (a COL_SET value, already valid) holds `value`. */
bool tables_set_has(const char *set, const char *value);
/* True when the column travels in pull rows (not hub-only, not push-only). */
bool tables_column_public(const struct column *c);
/* True when a push may set the column (not hub, not hub-set). */
bool tables_column_pushable(const struct column *c);
/* True when kiosks keep the table in their replica (neither TABLE_HUB
 * nor TABLE_STAFF). */
bool tables_replicated(const struct table *t);
/* True when a pull row may carry null in the column: an optional one, or
 * a staff column in a kiosk's pull (so a replica stores it nullable). */
bool tables_column_pull_nullable(const struct column *c);

#endif
