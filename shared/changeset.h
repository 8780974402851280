/* changeset: the three message bodies of docs/protocol.md, parsed and emitted.
 *
 *   push body     {"format":"sceaux/1","changes":[{id,table,op,row}...]}
 *                 syncd emits it, the hub parses it (changeset_parse_push)
 *   push results  {"results":[{id,status,seq,error,message,field}...]}
 *                 the hub emits it, syncd parses it
 *   pull page     {"format","epoch","since","next","more","reset","changes"}
 *                 the hub emits it (pull writer), syncd parses it
 *
 * Parsers take untrusted bytes (already inflated) and check everything the
 * contract says, with validate.h; emitters write compact JSON into a capped
 * struct buf. Rows are checked against tables.h, which alone lists the
 * columns. Start with changeset_parse_push() and struct push_change. */
#ifndef SCEAUX_CHANGESET_H
#define SCEAUX_CHANGESET_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "id.h"
#include "caps.h"
#include "tables.h"
#include "validate.h"

#define CHANGESET_FORMAT "sceaux/1"
#define CHANGESET_PUSH_MAX CAPS_PUSH_CHANGES
#define CHANGESET_PULL_MAX CAPS_PULL_CHANGES

enum { CS_UPSERT = 0, CS_DELETE = 1 };

/* Caps for a parser; a NULL `lim` or a 0 field means the defaults: depth
 * VALIDATE_DEPTH_MAX and CHANGESET_PUSH_MAX (push), CHANGESET_PULL_MAX
 * (pull) or CHANGESET_PUSH_MAX (results) changes. `scanned` (borrowed,
 * NULL for none) is a scan the caller already ran over these very bytes:
 * the loader skips its own depth scan when that one provably did the same
 * (validate_json_load_scanned). */
struct changeset_limits {
    size_t max_depth;
    size_t max_changes;
    const struct validate_scan *scanned;
};

/* "upsert" / "delete" for CS_UPSERT / CS_DELETE; CS_* or -1 from a name. */
const char *changeset_op_name(int op);
MUST_USE int changeset_op_parse(const char *name);

/* ---- push body (hub side: parse) ---------------------------------------
 *
 * Whole-request errors return an error code, fill e and leave *out empty:
 * not JSON or not UTF-8 or too deep (ERR_INVALID, ERR_UTF8, ERR_DEPTH),
 * top level not an object, "format" not "sceaux/1", "changes" not an array,
 * an unknown top-level key (field names it), a change that is not an
 * object or has no string "id" (field "changes[i].id"), all ERR_INVALID;
 * more than lim->max_changes changes, ERR_TOO_BIG (error "too_big").
 *
 * Anything else is per change: the change gets valid = false and err
 * filled (error "invalid"), and the hub answers rejected/invalid for that
 * change alone. Per-change checks: the change id is a protocol id (field
 * "id"); keys are only id, table, op, row (field names the extra key);
 * known table (field "table"); op "upsert" or "delete" (field "op"); row an
 * object (field "row"); a delete's row exactly {"id": <id>}; an upsert's
 * row validate_row() in VALIDATE_PUSH mode, or VALIDATE_PUSH_PARTIAL for a
 * booking whose status is "cancelled" (field = column). Hub-set and
 * hub-only columns are removed from the rows. Role rules and rules between
 * rows are the hub's. */
struct push_change {
    char *id;                  /* owned; the change id, never NULL */
    const struct table *table; /* NULL if missing or unknown */
    int op;                    /* CS_UPSERT, CS_DELETE or -1 if unknown */
    json_t *row;               /* owned reference; NULL unless an object */
    const char *row_id;        /* borrowed from row; NULL unless valid */
    bool valid;
    struct verr err; /* when !valid */
};

struct push_body {
    struct push_change *changes; /* owned array */
    size_t count;
};

MUST_USE enum err changeset_parse_push(const char *data, size_t len,
                                       const struct changeset_limits *lim, struct push_body *out,
                                       struct verr *e);
/* Frees what parse filled; out is empty afterwards. Safe on an empty body. */
void changeset_push_free(struct push_body *b);

/* ---- push body (syncd side: emit) -------------------------------------- */

/* A new change object {id, table, op, row}; takes `row` (stolen). For a
 * delete, pass the row {"id": ...}. The kiosk stores its JSON text in the
 * outbox. */
json_t *changeset_change_new(const char *id, const char *table, int op, json_t *row);

/* Appends {"format":"sceaux/1","changes":[...]} to out; `changes` are
 * borrowed change objects (outbox rows), written as they are. ERR_TOO_BIG
 * when out's cap is reached (out is then reset to its previous length). */
MUST_USE enum err changeset_emit_push(json_t *const *changes, size_t n, struct buf *out);

/* ---- push results (hub: emit, syncd: parse) ---------------------------- */

struct push_result {
    char *id;          /* owned (parse) or borrowed (emit): the change id */
    char status[12];   /* "applied", "duplicate" or "rejected" */
    int64_t seq;       /* -1 for null */
    char error[16];    /* "" when none */
    char message[200]; /* "" when none */
    char field[80];    /* "" when none */
};

/* Appends {"results":[...]} to out; empty error/message/field are left
 * out, seq -1 is written null. ERR_TOO_BIG as for changeset_emit_push. */
MUST_USE enum err changeset_emit_results(const struct push_result *r, size_t n, struct buf *out);

/* Parses a results body strictly: top level exactly {"results": [...]},
 * each result an object with only the keys above, "id" a string, "status"
 * one of the three, "seq" null or an integer >= 0 (an integer is required
 * for applied), error/message/field strings that fit (message is cut on a
 * character boundary; error and field over their size are ERR_INVALID).
 * On success *out is a new array of *n results (free with
 * changeset_results_free); on error nothing is returned. */
MUST_USE enum err changeset_parse_results(const char *data, size_t len,
                                          const struct changeset_limits *lim,
                                          struct push_result **out, size_t *n, struct verr *e);
void changeset_results_free(struct push_result *r, size_t n);

/* ---- pull page (hub: emit) ---------------------------------------------
 *
 * A writer streams a page into a buf without building it in memory:
 *   changeset_pull_begin(&w, &out, epoch, since, next, more, reset);
 *   changeset_pull_upsert(&w, seq, table, row);  // or _delete, repeatedly
 *   changeset_pull_end(&w);
 * Rows are written in the table's column order with every public column:
 * a column missing from `row` or null is written null when optional
 * (ERR_INVALID when required), hub-only and push-only columns of `row` are
 * left out, other keys of `row` are ignored. Values are written as they
 * are (the hub stored them validated). Any ERR_TOO_BIG or ERR_INVALID
 * sticks: later calls do nothing and return it. */
struct pull_writer {
    struct buf *out; /* borrowed */
    size_t count;    /* changes written so far */
    enum err rc;     /* first error, sticky: only _end must be checked */
};

enum err changeset_pull_begin(struct pull_writer *w, struct buf *out, const char *epoch,
                              int64_t since, int64_t next, bool more, bool reset);
enum err changeset_pull_upsert(struct pull_writer *w, int64_t seq, const struct table *t,
                               json_t *row);
enum err changeset_pull_delete(struct pull_writer *w, int64_t seq, const struct table *t,
                               const char *id);
MUST_USE enum err changeset_pull_end(struct pull_writer *w);

/* ---- pull page (syncd: parse) ------------------------------------------
 *
 * Strict: exactly the seven top-level keys; format "sceaux/1"; epoch an
 * id; since and next integers >= 0 with next >= since unless reset;
 * more and reset booleans; a reset page has no changes; at most
 * lim->max_changes changes (ERR_TOO_BIG); each change has exactly seq,
 * table, op and row (upsert) or id (delete); seq ascending, > since and
 * <= next; table known and not hub-only; upsert rows pass validate_row()
 * in VALIDATE_PULL mode. Any failure is ERR_INVALID (or the loader's
 * code) for the whole page with e filled and *out left empty. */
struct pull_change {
    int64_t seq;
    const struct table *table; /* NULL: a table this client does not know, to skip */
    int op;                    /* CS_UPSERT or CS_DELETE */
    json_t *row;               /* owned reference for an upsert; NULL for a delete or a skip */
    const char *id;            /* the row id, borrowed from row or from the page; NULL for a skip */
};

struct pull_page {
    char epoch[ID_MAX + 1];
    int64_t since, next;
    bool more, reset;
    struct pull_change *changes; /* owned array */
    size_t count;
    json_t *root; /* owned: keeps the borrowed strings alive */
};

MUST_USE enum err changeset_parse_pull(const char *data, size_t len,
                                       const struct changeset_limits *lim, struct pull_page *out,
                                       struct verr *e);
/* Frees what parse filled; out is empty afterwards. Safe on an empty page. */
void changeset_pull_free(struct pull_page *p);

#endif
