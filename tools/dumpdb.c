/* sceaux-dumpdb: a canonical text dump of the public state of a hub
 * database or a kiosk replica, so the two can be compared with diff.
 *
 *   sceaux-dumpdb [--kiosk] FILE [TABLE...]
 *
 * For every public table of tables.h (tables_replicated), in tables_all order,
 * or only those named: one line per row, sorted by id, "TABLE<TAB>{json}"
 * with the public columns (tables_column_public) in the table's column
 * order. Values print by their SQLite type: integers as numbers, text as
 * JSON strings, NULL as null; hub-only columns and extra columns such as
 * `seq` are left out. With --kiosk, rows are shown as a kiosk token
 * pulls them (rules_pull_view: no holder, proposals only while
 * published and by their author's first name), so a hub compares with a
 * replica. The database is opened
 * read-only. Exit 0, 1 when the
 * file or a table cannot be read, 2 on bad usage. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sync/hub/rules.h"
#include "buf.h"
#include "changeset.h"
#include "tables.h"
#include "xalloc.h"

static json_t *value(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_NULL:
        return json_null();
    default: {
        const char *s = (const char *)sqlite3_column_text(st, i);
        int n = sqlite3_column_bytes(st, i);
        json_t *v = json_stringn(s ? s : "", (size_t)n);
        return v ? v : json_string("<not UTF-8>");
    }
    }
}

/* Prints one row as `role` would pull it (nothing when it would not). */
static void print_row(const struct table *t, json_t *row, enum store_role role)
{
    struct store_change c = {.table = t, .op = CS_UPSERT, .row = row};
    if (rules_pull_view(role, &c) && c.op == CS_UPSERT) {
        char *text = json_dumps(c.row, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        printf("%s\t%s\n", t->name, text);
        free(text);
    }
    json_decref(c.row);
}

static int dump_table(sqlite3 *db, const struct table *t, enum store_role role)
{
    struct buf sql;
    buf_init(&sql, 1u << 16);
    enum err brc = buf_puts(&sql, "SELECT ");
    const char *sep = "";
    for (int i = 0; i < t->ncols; i++) {
        if (!tables_column_public(&t->cols[i]))
            continue;
        if (brc == ERR_OK)
            brc = buf_printf(&sql, "%s\"%s\"", sep, t->cols[i].name);
        sep = ", ";
    }
    if (brc == ERR_OK)
        brc = buf_printf(&sql, " FROM \"%s\" ORDER BY id", t->name);
    sqlite3_stmt *st = NULL;
    int rc = brc ? SQLITE_TOOBIG : sqlite3_prepare_v2(db, sql.data, -1, &st, NULL);
    buf_release(&sql);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "sceaux-dumpdb: cannot read table '%s': %s\n", t->name, sqlite3_errmsg(db));
        return 1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = json_object();
        int k = 0;
        for (int i = 0; i < t->ncols; i++)
            if (tables_column_public(&t->cols[i]))
                json_object_set_new(row, t->cols[i].name, value(st, k++));
        print_row(t, row, role);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "sceaux-dumpdb: cannot read table '%s': %s\n", t->name, sqlite3_errmsg(db));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        printf("usage: sceaux-dumpdb [--kiosk] FILE [TABLE...]\n"
               "prints every public row of a hub database or replica, sorted, one a line\n"
               "(--kiosk: as a kiosk token pulls them)\n");
        return 0;
    }
    enum store_role role = STORE_ADMIN;
    if (argc >= 2 && strcmp(argv[1], "--kiosk") == 0) {
        role = STORE_KIOSK;
        argv++;
        argc--;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("sceaux-dumpdb %s\n", SCEAUX_VERSION);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: sceaux-dumpdb [--kiosk] FILE [TABLE...]\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        const struct table *t = tables_find(argv[i]);
        if (!t || !tables_replicated(t)) {
            fprintf(stderr, "sceaux-dumpdb: '%s' is not a public table\n", argv[i]);
            return 2;
        }
    }
    xalloc_init();
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "sceaux-dumpdb: cannot open '%s': %s\n", argv[1],
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return 1;
    }
    sqlite3_busy_timeout(db, 5000);
    /* One read transaction: every table from the same instant of a live hub. */
    int code = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : 1;
    if (argc > 2) {
        for (int i = 2; i < argc && code == 0; i++)
            code = dump_table(db, tables_find(argv[i]), role);
    } else {
        for (int i = 0; i < tables_count && code == 0; i++)
            if (tables_replicated(&tables_all[i]))
                code = dump_table(db, &tables_all[i], role);
    }
    sqlite3_close(db);
    return code;
}
