/* sceaux-loadreplica: fills a kiosk replica from push bodies, for tests
 * and demos without a hub.
 *
 *   sceaux-loadreplica --db FILE DATA.json...
 *
 * Each file is a PROTOCOL push body ({"format": "sceaux/1", "changes":
 * [...]}, the format of assets/). Every upsert and delete is applied with
 * replica_apply() in one transaction per file, as syncd applies a pull;
 * the columns the hub sets (initiative.supports and updated_at,
 * proposal.created_at) get the hub's defaults when the file leaves them
 * out, so the rows look pulled. Rows are checked with validate_row() in
 * pull mode first: a bad row stops the load with its change named. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "replica.h"
#include "tables.h"
#include "ts.h"
#include "validate.h"
#include "xalloc.h"

#define MAX_FILE (64L << 20)

static const char usage[] = "usage: sceaux-loadreplica --db FILE DATA.json...\n";

/* Fills hub-set columns the way the hub would on first insert. */
static void hub_defaults(const struct table *t, json_t *row, const char *now)
{
    for (int i = 0; i < t->ncols; i++) {
        const struct column *c = &t->cols[i];
        if (!(c->flags & COL_HUB_SET) || json_object_get(row, c->name))
            continue;
        if (c->type == COL_INT)
            json_object_set_new(row, c->name, json_integer(0));
        else if (c->type == COL_TIME)
            json_object_set_new(row, c->name, json_string(now));
    }
    /* A pulled row carries every public column; absent optional ones are
     * null. */
    for (int i = 0; i < t->ncols; i++) {
        const struct column *c = &t->cols[i];
        if ((c->flags & COL_OPT) && tables_column_public(c) && !json_object_get(row, c->name))
            json_object_set_new(row, c->name, json_null());
    }
    /* Push-only and hub-only columns never reach a replica. */
    for (int i = 0; i < t->ncols; i++)
        if (!tables_column_public(&t->cols[i]))
            json_object_del(row, t->cols[i].name);
}

static int load(struct replica *rep, const char *path)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        fprintf(stderr, "sceaux-loadreplica: cannot read '%s': %s (line %d)\n", path, jerr.text,
                jerr.line);
        return 1;
    }
    json_t *changes = json_object_get(doc, "changes");
    if (!json_is_array(changes)) {
        fprintf(stderr, "sceaux-loadreplica: '%s' has no \"changes\" array\n", path);
        json_decref(doc);
        return 1;
    }
    char now[TS_LEN + 1];
    ts_format(ts_now(), now);
    sqlite3 *db = replica_db(rep);
    int64_t seq = 0;
    replica_state_get_i64(rep, "cursor", &seq);
    enum err rc = db_begin(db);
    size_t i;
    json_t *ch;
    json_array_foreach(changes, i, ch)
    {
        if (rc)
            break;
        const char *tname = json_string_value(json_object_get(ch, "table"));
        const char *op = json_string_value(json_object_get(ch, "op"));
        json_t *row = json_object_get(ch, "row");
        const struct table *t = tname ? tables_find(tname) : NULL;
        if (!t || !tables_replicated(t) || !op || !json_is_object(row)) {
            fprintf(stderr, "sceaux-loadreplica: '%s': change %zu: bad table, op or row\n", path,
                    i);
            rc = ERR_INVALID;
            break;
        }
        seq++;
        if (strcmp(op, "delete") == 0) {
            const char *id = json_string_value(json_object_get(row, "id"));
            rc = replica_apply(rep, t, REPLICA_DELETE, id, NULL, seq);
            continue;
        }
        json_t *copy = json_deep_copy(row);
        hub_defaults(t, copy, now);
        struct verr ve;
        rc = validate_row(t, copy, VALIDATE_PULL, &ve);
        if (rc) {
            fprintf(stderr, "sceaux-loadreplica: '%s': change %zu (%s): %s\n", path, i, tname,
                    ve.message);
        } else {
            rc = replica_apply(rep, t, REPLICA_UPSERT, NULL, copy, seq);
            if (rc)
                fprintf(stderr, "sceaux-loadreplica: '%s': change %zu (%s): %s\n", path, i, tname,
                        err_str(rc));
        }
        json_decref(copy);
    }
    if (rc == ERR_OK)
        rc = replica_state_set_i64(rep, "cursor", seq);
    if (rc == ERR_OK)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    json_decref(doc);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    xalloc_init();
    const char *dbpath = NULL;
    int first = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("sceaux-loadreplica %s\n", SCEAUX_VERSION);
            return 0;
        }
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            dbpath = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "sceaux-loadreplica: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        } else if (!first) {
            first = i;
        }
    }
    if (!dbpath) {
        fprintf(stderr, "sceaux-loadreplica: --db is required\n%s", usage);
        return 2;
    }
    char err[300];
    struct replica *rep = NULL;
    if (replica_open(dbpath, &rep, err, sizeof err)) {
        fprintf(stderr, "sceaux-loadreplica: cannot open '%s': %s\n", dbpath, err);
        return 1;
    }
    int rc = 0;
    for (int i = first; first && i < argc && rc == 0; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            i++;
            continue;
        }
        rc = load(rep, argv[i]);
    }
    replica_close(rep);
    return rc;
}
