/* model_write: the kiosk's writes (see model.h): each a row checked as
 * the hub will check it, queued in the replica's outbox for sceaux-syncd
 * to push; a booking also in local_booking, in the same transaction. A
 * write bumps the model's generation so the next frame reads afresh. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "id.h"
#include "model.h"
#include "model_int.h"
#include "tables.h"
#include "theme.h"
#include "ts.h"
#include "validate.h"

/* A write waits briefly for the lock (the drawing loop is waiting on
 * it); reads keep db_open's patience, as WAL readers rarely wait. */
static void write_wait(struct model *m, bool writing)
{
    sqlite3_busy_timeout(m->db, writing ? THEME_WRITE_WAIT_MS : MODEL_READ_WAIT_MS);
}

/* Queues {"id", "table", "op": "upsert", "row"} (row taken). */
/* Queues an upsert of `row` (taken). The row is checked as the hub will
 * (validate_row in `mode`): ERR_INVALID, and nothing written, for a row
 * the hub would reject as invalid, such as a blank name. */
static enum err outbox_put(struct model *m, const char *table, json_t *row, enum vmode mode,
                           char change_id[33])
{
    if (!row)
        return ERR_UTF8; /* json_pack refuses text that is not UTF-8 */
    struct verr e;
    enum err rc = validate_row(tables_find(table), row, mode, &e);
    if (rc == ERR_OK)
        rc = id_new(change_id);
    if (rc) {
        json_decref(row);
        return rc;
    }
    json_t *change = json_pack("{s:s, s:s, s:s, s:o}", "id", change_id, "table", table, "op",
                               "upsert", "row", row);
    char *text = json_dumps(change, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(change);
    rc = replica_outbox_add(m->rep, change_id, text);
    free(text);
    m->gen++;
    return rc;
}

/* outbox_put as a write of its own; cid may be NULL. */
static enum err outbox_write(struct model *m, const char *table, json_t *row, enum vmode mode,
                             char *cid)
{
    char own[ID_NEW_LEN + 1];
    if (!cid)
        cid = own;
    write_wait(m, true);
    enum err rc = outbox_put(m, table, row, mode, cid);
    write_wait(m, false);
    return rc;
}

/* A support of the row `ref` names, in `table` (support, proposal_support). */
static enum err support(struct model *m, const char *table, const char *ref, const char *id)
{
    char sid[ID_NEW_LEN + 1];
    enum err rc = id_new(sid);
    if (rc)
        return rc;
    json_t *row = json_pack("{s:s, s:s}", "id", sid, ref, id);
    return outbox_write(m, table, row, VALIDATE_PUSH, NULL);
}

enum err model_support(struct model *m, const char *initiative_id)
{
    return support(m, "support", "initiative_id", initiative_id);
}

enum err model_support_idea(struct model *m, const char *proposal_id)
{
    return support(m, "proposal_support", "proposal_id", proposal_id);
}

/* Whether the replica holds a confirmed booking of `room` overlapping
 * [starts, ends). Asked inside the write transaction, so a booking pulled
 * after the screen was drawn is still seen: the kiosk never books over a
 * slot its replica shows taken. */
static enum err slot_taken(struct model *m, const char *room, const char *starts, const char *ends,
                           bool *taken)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(m->db,
                                 "SELECT 1 FROM booking WHERE room_id = ?1 AND status = 'confirmed'"
                                 " AND starts_at < ?3 AND ends_at > ?2 LIMIT 1",
                                 -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(st, 1, room, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, starts, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, ends, -1, SQLITE_STATIC);
        src = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    *taken = src == SQLITE_ROW;
    return src == SQLITE_ROW || src == SQLITE_DONE ? ERR_OK : ERR_DB;
}

/* The outbox row and local_booking go together or not at all; ERR_CONFLICT
 * (and nothing written) when the slot was taken meanwhile. */
static enum err book_tx(struct model *m, json_t *row, const char *booking_id, const char *room,
                        const char *starts, const char *ends, char cid[ID_NEW_LEN + 1])
{
    bool taken = false;
    enum err rc = db_begin(m->db);
    if (rc == ERR_OK) {
        rc = slot_taken(m, room, starts, ends, &taken);
        if (rc == ERR_OK && taken)
            rc = ERR_CONFLICT;
        if (rc)
            db_rollback(m->db);
    }
    if (rc) {
        json_decref(row);
        return rc;
    }
    rc = outbox_put(m, "booking", row, VALIDATE_PUSH, cid);
    if (rc == ERR_OK) {
        sqlite3_stmt *st = NULL;
        char now[TS_LEN + 1];
        ts_format(ts_now(), now);
        int src = sqlite3_prepare_v2(m->db,
                                     "INSERT INTO local_booking (id, change_id, room_id, starts_at,"
                                     " ends_at, created_at) VALUES (?1,?2,?3,?4,?5,?6)",
                                     -1, &st, NULL);
        if (src == SQLITE_OK) {
            const char *v[] = {booking_id, cid, room, starts, ends, now};
            for (int i = 0; i < 6; i++)
                sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
            src = sqlite3_step(st);
        }
        sqlite3_finalize(st);
        if (src != SQLITE_DONE)
            rc = db_err(src) ? db_err(src) : ERR_DB;
    }
    if (rc == ERR_OK)
        rc = db_commit(m->db);
    if (rc)
        db_rollback(m->db);
    return rc;
}

enum err model_book(struct model *m, const char *room, const char *starts, const char *ends,
                    const char *holder, struct model_booked *out)
{
    uint32_t r;
    enum err rc = id_random(&r, sizeof r);
    if (rc == ERR_OK)
        rc = id_new(out->id);
    if (rc)
        return rc;
    snprintf(out->code, sizeof out->code, "%06u", (unsigned)(r % 1000000u));
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", out->id, "room_id", room,
                            "starts_at", starts, "ends_at", ends, "holder", holder, "status",
                            "confirmed", "cancel_code", out->code);
    write_wait(m, true);
    rc = book_tx(m, row, out->id, room, starts, ends, out->change);
    write_wait(m, false);
    return rc;
}

enum err model_cancel(struct model *m, const char *booking_id, const char *code,
                      char change[ID_NEW_LEN + 1])
{
    json_t *row =
        json_pack("{s:s, s:s, s:s}", "id", booking_id, "status", "cancelled", "cancel_code", code);
    return outbox_write(m, "booking", row, VALIDATE_PUSH_PARTIAL, change);
}

enum err model_propose(struct model *m, const char *text, const char *domain, const char *author)
{
    char id[ID_NEW_LEN + 1];
    enum err rc = id_new(id);
    if (rc)
        return rc;
    json_t *row = json_pack("{s:s, s:s, s:s}", "id", id, "text", text, "status", "submitted");
    if (domain && *domain)
        json_object_set_new(row, "domain", json_string(domain));
    if (author && *author)
        json_object_set_new(row, "author_name", json_string(author));
    return outbox_write(m, "proposal", row, VALIDATE_PUSH, NULL);
}

enum err model_offer_help(struct model *m, const char *initiative_id, const char *first_name,
                          const char *contact)
{
    char id[ID_NEW_LEN + 1];
    enum err rc = id_new(id);
    if (rc)
        return rc;
    json_t *row =
        json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "id", id, "initiative_id", initiative_id,
                  "first_name", first_name, "contact", contact, "consent", 1, "status", "new");
    return outbox_write(m, "help_offer", row, VALIDATE_PUSH, NULL);
}
