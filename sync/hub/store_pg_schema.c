/* store_pg_schema: the PostgreSQL backend's schema and its migrations.
 *
 * The tables and meaning of store_sqlite.c: every table of tables.h
 * (db_table_ddl) with its hub columns and `seq`; `rowlog` (latest seq and
 * op per public row, a delete's entry its tombstone, `at` its age);
 * `meta`, one row (epoch, head, horizon); `token` (hashes only);
 * `applied`, the exactly-once record; `fleet`; `staff_user`, `audit` and
 * `console_session` (the console); `cancel_guard` and `budget` (what bounds guessing and
 * writing). Text is compared byte by byte (COLLATE "C", as SQLite does),
 * whatever the database's locale: times are compared as text.
 *
 * `hub_version` holds the version; the steps below are append-only, as
 * store_sqlite.c's `hub_steps` (docs/style.md, "Migrations"), and run in
 * one transaction under the writer lock with the version bump, so hubs
 * starting together migrate once. A column that tables.h gains needs a
 * step here too (a database created after it has it already: step 1
 * reads tables.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "id.h"
#include "store_pg_int.h"
#include "xalloc.h"

/* The same ALTER for every generated table: seq as bigint, text in byte
 * order. */
static char *retype_sql(const struct table *t)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    enum err rc = buf_printf(&b, "ALTER TABLE \"%s\" ALTER COLUMN seq TYPE bigint", t->name);
    for (int i = 0; i < t->ncols && rc == ERR_OK; i++) {
        const struct column *c = &t->cols[i];
        if (c->flags & COL_PUSH_ONLY || c->type == COL_INT || c->type == COL_BOOL)
            continue;
        rc = buf_printf(&b, ", ALTER COLUMN \"%s\" TYPE text COLLATE \"C\"", c->name);
    }
    if (rc)
        abort(); /* the statements of static tables outgrew 64 KiB */
    return buf_detach(&b, NULL);
}

static enum err create_tables(PGconn *c)
{
    enum err rc = ERR_OK;
    for (int i = 0; i < tables_count && rc == ERR_OK; i++) {
        char *ddl = db_table_ddl(&tables_all[i], DB_DDL_HUB);
        char *alter = retype_sql(&tables_all[i]);
        rc = ddl ? pgs_exec(c, NULL, ddl, "create a table", "") : ERR_INVALID;
        if (rc == ERR_OK)
            rc = pgs_exec(c, NULL, alter, "retype a table", "");
        free(ddl);
        free(alter);
    }
    return rc;
}

static const char hub_tables[] =
    "CREATE TABLE rowlog(seq bigint PRIMARY KEY, tbl text COLLATE \"C\" NOT NULL,"
    " id text COLLATE \"C\" NOT NULL, op text NOT NULL, at text COLLATE \"C\" NOT NULL,"
    " UNIQUE(tbl, id));"
    "CREATE TABLE meta(one boolean PRIMARY KEY DEFAULT true CHECK (one), epoch text NOT NULL,"
    " head bigint NOT NULL, horizon bigint NOT NULL);"
    "CREATE TABLE token(name text COLLATE \"C\" PRIMARY KEY, role text NOT NULL, site text,"
    " hash text NOT NULL UNIQUE, created_at text NOT NULL, revoked_at text);"
    "CREATE TABLE applied(token text COLLATE \"C\" NOT NULL, change_id text COLLATE \"C\" NOT NULL,"
    " status text NOT NULL, seq bigint, error text, message text, field text,"
    " at text COLLATE \"C\" NOT NULL, PRIMARY KEY(token, change_id));"
    "CREATE TABLE fleet(name text COLLATE \"C\" PRIMARY KEY, site text, last_seen text,"
    " cursor bigint, version text, outbox bigint, address text, fault text);"
    "CREATE TABLE staff_user(name text COLLATE \"C\" PRIMARY KEY, role text NOT NULL,"
    " hash text NOT NULL, created_at text NOT NULL, signature text);"
    "CREATE TABLE audit(id bigserial PRIMARY KEY, at text NOT NULL, who text NOT NULL,"
    " action text NOT NULL, tbl text, row_id text, status text, detail text, error text,"
    " field text);"
    "CREATE TABLE cancel_guard(booking_id text COLLATE \"C\" PRIMARY KEY,"
    " failures bigint NOT NULL, since bigint NOT NULL);"
    /* A booking's wrong-code count goes with the booking, as in SQLite. */
    "CREATE FUNCTION booking_guard_gone() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN DELETE FROM cancel_guard WHERE booking_id = OLD.id; RETURN OLD; END$$;"
    "CREATE TRIGGER booking_guard_gone AFTER DELETE ON booking FOR EACH ROW"
    " EXECUTE FUNCTION booking_guard_gone();"
    "CREATE TABLE budget(token text COLLATE \"C\" NOT NULL, kind text NOT NULL,"
    " used bigint NOT NULL, since bigint NOT NULL, PRIMARY KEY(token, kind));"
    "CREATE INDEX rowlog_at ON rowlog(at) WHERE op = 'delete';"
    "CREATE INDEX applied_at ON applied(at);"
    "CREATE INDEX booking_room ON booking(room_id, starts_at);"
    "CREATE INDEX booking_ends ON booking(ends_at);"
    "CREATE INDEX support_initiative ON support(initiative_id);"
    "CREATE INDEX support_proposal ON proposal_support(proposal_id);"
    "CREATE INDEX event_starts ON event(starts_at);"
    "CREATE INDEX help_offer_initiative ON help_offer(initiative_id);"
    "CREATE INDEX help_offer_created ON help_offer(created_at);";

static enum err create_schema(PGconn *c)
{
    char epoch[ID_NEW_LEN + 1];
    enum err rc = create_tables(c);
    /* Several statements: PQexec's simple protocol (no parameters here). */
    if (rc == ERR_OK) {
        PGresult *r = PQexec(c, hub_tables);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pgs_fail(ERR_DB, "create the hub's tables", "%s", PQerrorMessage(c));
        PQclear(r);
    }
    if (rc == ERR_OK)
        rc = id_new(epoch);
    if (rc == ERR_OK)
        rc = pgs_exec(c, NULL, "INSERT INTO meta(epoch, head, horizon) VALUES($1, 0, 0)",
                      "write meta", "t", epoch);
    return rc;
}

/* Console sessions (store_sqlite.c's step 15), so every hub on the
 * database knows a session another one opened. */
static enum err add_sessions(PGconn *c)
{
    enum err rc = pgs_exec(c, NULL,
                           "CREATE TABLE console_session(hash text PRIMARY KEY,"
                           " \"user\" text NOT NULL, expires bigint NOT NULL)",
                           "create console_session", "");
    if (rc == ERR_OK)
        rc = pgs_exec(c, NULL, "CREATE INDEX console_session_user ON console_session(\"user\")",
                      "index console_session", "");
    return rc;
}

/* Append only: a past step is never edited (databases already ran it). */
static enum err (*const steps[])(PGconn *c) = {
    create_schema, /* everything of store_sqlite.c's hub_steps 1 to 14 */
    add_sessions,  /* console_session */
};
#define NSTEPS ((int64_t)(sizeof steps / sizeof steps[0]))

static enum err run_steps(PGconn *c)
{
    PGresult *r;
    enum err rc =
        pgs_exec(c, NULL, "CREATE TABLE IF NOT EXISTS hub_version(version bigint NOT NULL)",
                 "create hub_version", "");
    if (rc == ERR_OK)
        rc = pgs_exec(c, &r, "SELECT max(version) FROM hub_version", "read the version", "");
    if (rc)
        return rc;
    int64_t version = pgs_int(r, 0, 0);
    PQclear(r);
    if (version > NSTEPS)
        return pgs_fail(ERR_INVALID, "open",
                        "the database is at hub version %lld, newer than this hub's %lld",
                        (long long)version, (long long)NSTEPS);
    for (int64_t v = version; v < NSTEPS && rc == ERR_OK; v++)
        rc = steps[v](c);
    if (rc == ERR_OK && version < NSTEPS)
        rc = pgs_exec(c, NULL, "DELETE FROM hub_version", "write the version", "");
    if (rc == ERR_OK && version < NSTEPS)
        rc = pgs_exec(c, NULL, "INSERT INTO hub_version(version) VALUES($1)", "write the version",
                      "i", NSTEPS);
    return rc;
}

enum err pgs_migrate(PGconn *c)
{
    enum err rc = pgs_begin(c, true);
    if (rc == ERR_OK)
        rc = run_steps(c);
    if (rc == ERR_OK)
        rc = pgs_commit(c);
    else
        pgs_rollback(c);
    return rc;
}
