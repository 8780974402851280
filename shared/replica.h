/* replica: the kiosk's local database (docs/architecture.md, "The replica").
 *
 * One SQLite file shared by sceaux-syncd (writes the public tables from the
 * hub's pulls, pushes the outbox) and sceaux-kiosk (reads the public tables,
 * writes outbox rows). It holds:
 *   - every public table of tables.h (tables_replicated: not support, not help_offer), same names
 * and columns as the wire rows, plus `seq INTEGER`; booleans INTEGER 0/1, times as the hub's text,
 * empty optional columns NULL;
 *   - outbox(id, change, created_at): push changes waiting for the hub;
 *   - push_result(id, status, error, message, seq, at): the hub's answers;
 *   - sync_state(key, value): epoch, cursor, online, last_ok, last_error;
 *   - local_booking(id, change_id, room_id, starts_at, ends_at,
 *     created_at): bookings made on this kiosk, to show pending/refused
 *     (never the name typed: personal data stays in the outbox only
 *     until the hub has it);
 *   - search: an FTS5 index (unicode61, diacritics removed) over the
 *     `search` columns of initiative, organization and event, kept in step
 *     by triggers: columns tbl, row_id (the public row's id), body.
 *
 * The handle is opaque because it caches one prepared upsert and one
 * delete per table (per connection). Raw queries go through replica_db().
 * A handle is used by one thread at a time.
 *
 * Transactions: replica_apply() and replica_state_set() run in whatever
 * transaction the caller has open (syncd wraps a whole pull page and its
 * cursor in db_begin()/db_commit()); alone they autocommit. The functions
 * documented "atomic" open their own transaction when none is open, and
 * join the caller's otherwise. */
#ifndef SCEAUX_REPLICA_H
#define SCEAUX_REPLICA_H
#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "err.h"
#include "tables.h"

/* The replica's migrations, for db_open() (replica_open() uses it). */
extern const struct db_schema replica_schema;

struct replica;

/* Lifecycle */

/* Opens (creating and migrating as needed) the replica at path. On
 * success *out is a new handle for replica_close(); on error *out is NULL
 * and errbuf holds a sentence. Errors as db_open(). */
MUST_USE enum err replica_open(const char *path, struct replica **out, char *errbuf, size_t errlen);
/* Finalizes the cached statements and closes the connection. NULL is fine. */
void replica_close(struct replica *r);
/* The connection, borrowed: for queries, db_begin()/db_commit(), and
 * PRAGMA data_version. Do not close it. */
sqlite3 *replica_db(struct replica *r);

/* Applying the hub's changes */

enum replica_op {
    REPLICA_UPSERT,
    REPLICA_DELETE,
};

/* Applies one pulled change to public table t (tables_replicated).
 * REPLICA_UPSERT: `row` (borrowed) is a JSON object already validated as a
 *   wire row of t; its public columns are stored (strings as text,
 *   true/false as 1/0, integers as integers, absent or null as NULL; other
 *   keys are ignored), with `seq`. `id` may be NULL; if given it must equal
 *   row.id. An existing row with that id is replaced in place.
 * REPLICA_DELETE: deletes the row `id` (row may be NULL); a missing row is
 *   not an error (a tombstone for a row this replica never saw).
 * Errors: ERR_INVALID (a table not replicated, no id, a value of the wrong JSON
 * type), ERR_DB / ERR_CONFLICT (SQLite refused, e.g. NOT NULL), ERR_BUSY. */
MUST_USE enum err replica_apply(struct replica *r, const struct table *t, enum replica_op op,
                                const char *id, json_t *row, int64_t seq);

/* Atomic. Deletes every public row (and the search index), sets cursor to
 * "0" and epoch to new_epoch (borrowed). outbox, push_result,
 * local_booking and the other sync_state keys stay. */
MUST_USE enum err replica_reset(struct replica *r, const char *new_epoch);

/* The search index while a fresh replica catches up. Maintaining it row
 * by row (the triggers) costs most of an apply; building it once at the
 * end costs about half as much. replica_search_defer drops the index's
 * triggers and empties it; replica_search_build recreates the triggers and
 * indexes every row; replica_search_deferred tells whether the triggers
 * are gone (the state lives in the schema, so it survives a crash with the
 * transaction that set it). Each joins the caller's transaction or runs
 * in its own. */
enum err replica_search_defer(struct replica *r);
enum err replica_search_build(struct replica *r);
enum err replica_search_deferred(struct replica *r, bool *out);

/* sync_state */

/* *out = a new string (caller frees) with the value of key, or NULL when
 * the value is NULL. ERR_NOT_FOUND when the key is absent. */
MUST_USE enum err replica_state_get(struct replica *r, const char *key, char **out);
/* Inserts or replaces key; value NULL stores NULL. */
MUST_USE enum err replica_state_set(struct replica *r, const char *key, const char *value);
/* The same for integer values (cursor, online), stored as decimal text.
 * Get: ERR_NOT_FOUND when absent or NULL, ERR_INVALID when not a number,
 * *out untouched then (a preset default: not MUST_USE). */
enum err replica_state_get_i64(struct replica *r, const char *key, int64_t *out);
MUST_USE enum err replica_state_set_i64(struct replica *r, const char *key, int64_t value);

/* Outbox and results */

/* Queues one push change: change_id is its `id`, change_json the whole
 * change object as JSON text (both borrowed). created_at is now (ts_now()).
 * ERR_EXISTS when change_id is already queued. */
MUST_USE enum err replica_outbox_add(struct replica *r, const char *change_id,
                                     const char *change_json);
/* *out = the number of queued changes (for X-Sceaux-Outbox); untouched on
 * error, so a caller may preset a default: not MUST_USE. */
enum err replica_outbox_count(struct replica *r, int64_t *out);
/* Atomic. Records the hub's answer to change_id in push_result (replacing
 * an earlier one) with at = now, and deletes the change from the outbox.
 * status is "applied" or "rejected"; error and message may be NULL; seq < 0
 * stores NULL. All strings borrowed. */
MUST_USE enum err replica_outbox_done(struct replica *r, const char *change_id, const char *status,
                                      const char *error, const char *message, int64_t seq);

/* Leaves no copy of deleted rows in the replica's files: the outbox rows
 * just sent held what a person typed (a holder's name, a help offer's
 * contact). Deleted rows are zeroed in their pages (secure_delete); this
 * checkpoints the WAL into the database and truncates it, so the frames
 * written before the delete go too. Waits for the other connections as
 * the busy timeout allows; ERR_BUSY when one still reads an older
 * snapshot: the next call takes those frames too, so a caller may go on
 * (not MUST_USE). Outside a transaction. */
enum err replica_scrub(struct replica *r);

/* Search */

/* Turns what a person typed into a safe FTS5 MATCH expression: words (runs
 * of letters, digits and non-ASCII bytes; ASCII punctuation separates
 * words) each quoted as a prefix phrase and ANDed: `"ecole"* "sante"*`.
 * Quotes, parentheses, stars, colons or keywords (AND, NEAR) in the input
 * never reach FTS5 as syntax. At most REPLICA_SEARCH_MAX_WORDS words from
 * the first REPLICA_SEARCH_MAX_BYTES bytes are kept. Returns a new string
 * (caller frees), or NULL when the text has no word. */
#define REPLICA_SEARCH_MAX_WORDS 16
#define REPLICA_SEARCH_MAX_BYTES 256
char *replica_search_expr(const char *text);

/* Called once per hit, best first; return non-zero to stop early. The
 * strings are borrowed for the duration of the call. */
typedef int (*replica_search_fn)(void *arg, const char *tbl, const char *row_id);

/* Searches the index for `text` (raw user input, made safe with
 * replica_search_expr), best match first (bm25), at most `limit` hits
 * (no limit when limit <= 0).
 * Text without a word gives no hits and ERR_OK. Accent- and
 * case-insensitive: "ecole" and "ÉCOLE" find "École". Callers that want
 * only published initiatives join on (tbl, row_id) themselves, e.g.
 *   SELECT ... FROM search JOIN initiative i ON i.id = search.row_id
 *   WHERE search MATCH ?1 AND search.tbl = 'initiative' AND i.published
 * with ?1 bound to replica_search_expr(text). */
MUST_USE enum err replica_search(struct replica *r, const char *text, int limit,
                                 replica_search_fn fn, void *arg);

#endif
