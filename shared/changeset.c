/* changeset: push bodies, push results and pull pages (docs/protocol.md).
 *
 * Parsers load with validate_json_load_scanned(), check the envelope, then each
 * change; emitters build compact JSON into a capped buf. The pull writer
 * streams rows in column order straight from tables.h, which is how every
 * public column (and no hub-only one) ends up on the wire. */
#include "changeset.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY)

static const char *const op_names[] = {"upsert", "delete"};

const char *changeset_op_name(int op)
{
    return op == CS_UPSERT || op == CS_DELETE ? op_names[op] : "?";
}

int changeset_op_parse(const char *name)
{
    for (int i = 0; i < 2; i++)
        if (strcmp(name, op_names[i]) == 0)
            return i;
    return -1;
}

static enum err invalid(struct verr *e, const char *field, const char *message)
{
    validate_fail(e, "invalid", field, "%s", message);
    return ERR_INVALID;
}

/* A key is one of the NULL-terminated names. */
static bool key_known(const char *key, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(*names, key) == 0)
            return true;
    return false;
}

/* The first key of o not in names, or NULL. */
static const char *unknown_key(json_t *o, const char *const *names)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        (void)v;
        if (!key_known(key, names))
            return key;
    }
    return NULL;
}

static size_t cap_depth(const struct changeset_limits *lim)
{
    return lim && lim->max_depth ? lim->max_depth : VALIDATE_DEPTH_MAX;
}

/* validate_json_load() with the caller's depth cap, and its scan when it
 * ran one. */
static enum err load(const char *data, size_t len, const struct changeset_limits *lim,
                     json_t **root, struct verr *e)
{
    return validate_json_load_scanned(data, len, cap_depth(lim), lim ? lim->scanned : NULL, root,
                                      e);
}

static size_t cap_changes(const struct changeset_limits *lim, size_t def)
{
    return lim && lim->max_changes ? lim->max_changes : def;
}

/* Fails e naming the unknown key in field and message. */
static enum err unknown(struct verr *e, const char *key, const char *where)
{
    char quoted[48];
    validate_clip(quoted, sizeof quoted, key);
    validate_fail(e, "invalid", key, "unknown key '%s' in %s", quoted, where);
    return ERR_INVALID;
}

/* ---- dumping into a buf ---- */

static int dump_cb(const char *data, size_t n, void *b)
{
    return buf_append(b, data, n) == ERR_OK ? 0 : -1;
}

/* Appends j as compact JSON; on ERR_TOO_BIG out keeps its old content. */
static enum err dump(json_t *j, struct buf *out)
{
    size_t old = out->len;
    if (json_dump_callback(j, dump_cb, out, DUMP_FLAGS) == 0)
        return ERR_OK;
    out->len = old;
    if (out->data)
        out->data[old] = '\0';
    return ERR_TOO_BIG;
}

/* ---- push body ---- */

static const char *const push_keys[] = {"format", "changes", NULL};
static const char *const change_keys[] = {"id", "table", "op", "row", NULL};

/* The envelope: everything that makes the whole request bad. */
static enum err check_push_envelope(json_t *root, size_t max, struct verr *e)
{
    if (!json_is_object(root))
        return invalid(e, NULL, "the body must be a JSON object");
    const char *key = unknown_key(root, push_keys);
    if (key)
        return unknown(e, key, "the push body");
    json_t *format = json_object_get(root, "format");
    if (!json_is_string(format) || strcmp(json_string_value(format), CHANGESET_FORMAT) != 0)
        return invalid(e, "format", "format must be \"" CHANGESET_FORMAT "\"");
    json_t *changes = json_object_get(root, "changes");
    if (!json_is_array(changes))
        return invalid(e, "changes", "changes must be an array");
    if (json_array_size(changes) > max) {
        validate_fail(e, "too_big", "changes", "more than %zu changes in one push", max);
        return ERR_TOO_BIG;
    }
    size_t i;
    json_t *c;
    json_array_foreach(changes, i, c)
    {
        if (!json_is_string(json_object_get(c, "id"))) {
            char field[40];
            snprintf(field, sizeof field, "changes[%zu].id", i);
            return invalid(e, field, "every change needs a string id");
        }
    }
    return ERR_OK;
}

/* A delete's row is exactly {"id": <id>}. */
static bool check_delete_row(struct push_change *pc)
{
    json_t *id = json_object_get(pc->row, "id");
    if (json_object_size(pc->row) != 1 || !json_is_string(id)) {
        invalid(&pc->err, "row", "a delete's row must be exactly {\"id\": <row id>}");
        return false;
    }
    if (!id_valid(json_string_value(id))) {
        invalid(&pc->err, "id", "'id' must be an id: 1 to 64 of [A-Za-z0-9._:-]");
        return false;
    }
    return true;
}

static bool is_cancel(const struct table *t, json_t *row)
{
    json_t *status = json_object_get(row, "status");
    return strcmp(t->name, "booking") == 0 && json_is_string(status) &&
           strcmp(json_string_value(status), "cancelled") == 0;
}

/* The per-change checks, in a fixed order so the reported field is stable. */
static bool check_change(json_t *c, struct push_change *pc)
{
    if (!id_valid(pc->id)) {
        invalid(&pc->err, "id", "the change id must be 1 to 64 of [A-Za-z0-9._:-]");
        return false;
    }
    const char *key = unknown_key(c, change_keys);
    if (key) {
        unknown(&pc->err, key, "a change");
        return false;
    }
    if (!pc->table) {
        invalid(&pc->err, "table", "unknown or missing table");
        return false;
    }
    if (pc->op < 0) {
        invalid(&pc->err, "op", "op must be \"upsert\" or \"delete\"");
        return false;
    }
    if (!pc->row) {
        invalid(&pc->err, "row", "row is missing or not a JSON object");
        return false;
    }
    if (pc->op == CS_DELETE)
        return check_delete_row(pc);
    enum vmode mode = is_cancel(pc->table, pc->row) ? VALIDATE_PUSH_PARTIAL : VALIDATE_PUSH;
    return validate_row(pc->table, pc->row, mode, &pc->err) == ERR_OK;
}

static void parse_change(json_t *c, struct push_change *pc)
{
    pc->id = xstrdup(json_string_value(json_object_get(c, "id")));
    json_t *table = json_object_get(c, "table");
    json_t *op = json_object_get(c, "op");
    json_t *row = json_object_get(c, "row");
    pc->table = json_is_string(table) ? tables_find(json_string_value(table)) : NULL;
    pc->op = json_is_string(op) ? changeset_op_parse(json_string_value(op)) : -1;
    pc->row = json_is_object(row) ? json_incref(row) : NULL;
    pc->row_id = NULL;
    validate_clear(&pc->err);
    pc->valid = check_change(c, pc);
    if (pc->valid)
        pc->row_id = json_string_value(json_object_get(pc->row, "id"));
}

enum err changeset_parse_push(const char *data, size_t len, const struct changeset_limits *lim,
                              struct push_body *out, struct verr *e)
{
    out->changes = NULL;
    out->count = 0;
    json_t *root;
    enum err rc = load(data, len, lim, &root, e);
    if (rc)
        return rc;
    rc = check_push_envelope(root, cap_changes(lim, CHANGESET_PUSH_MAX), e);
    if (rc == ERR_OK) {
        json_t *changes = json_object_get(root, "changes");
        size_t n = json_array_size(changes);
        out->changes = xcalloc(n, sizeof *out->changes);
        for (size_t i = 0; i < n; i++)
            parse_change(json_array_get(changes, i), &out->changes[i]);
        out->count = n;
    }
    json_decref(root);
    return rc;
}

void changeset_push_free(struct push_body *b)
{
    for (size_t i = 0; i < b->count; i++) {
        free(b->changes[i].id);
        json_decref(b->changes[i].row);
    }
    free(b->changes);
    b->changes = NULL;
    b->count = 0;
}

json_t *changeset_change_new(const char *id, const char *table, int op, json_t *row)
{
    json_t *c = json_object();
    json_object_set_new(c, "id", json_string(id));
    json_object_set_new(c, "table", json_string(table));
    json_object_set_new(c, "op", json_string(changeset_op_name(op)));
    json_object_set_new(c, "row", row);
    return c;
}

enum err changeset_emit_push(json_t *const *changes, size_t n, struct buf *out)
{
    json_t *root = json_object();
    json_t *arr = json_array();
    json_object_set_new(root, "format", json_string(CHANGESET_FORMAT));
    for (size_t i = 0; i < n; i++)
        json_array_append(arr, changes[i]);
    json_object_set_new(root, "changes", arr);
    enum err rc = dump(root, out);
    json_decref(root);
    return rc;
}

/* ---- push results ---- */

static const char *const result_statuses[] = {"applied", "duplicate", "rejected", NULL};
static const char *const result_keys[] = {"id", "status", "seq", "error", "message", "field", NULL};

enum err changeset_emit_results(const struct push_result *r, size_t n, struct buf *out)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(r[i].id));
        json_object_set_new(o, "status", json_string(r[i].status));
        json_object_set_new(o, "seq", r[i].seq < 0 ? json_null() : json_integer(r[i].seq));
        if (r[i].error[0])
            json_object_set_new(o, "error", json_string(r[i].error));
        if (r[i].message[0])
            json_object_set_new(o, "message", json_string(r[i].message));
        if (r[i].field[0])
            json_object_set_new(o, "field", json_string(r[i].field));
        json_array_append_new(arr, o);
    }
    json_t *root = json_object();
    json_object_set_new(root, "results", arr);
    enum err rc = dump(root, out);
    json_decref(root);
    return rc;
}

/* Copies an optional string member; ERR_INVALID if present and not a
 * string, or longer than the array when it may not be cut. */
static enum err copy_opt(json_t *o, const char *key, char *dst, size_t cap, bool cut)
{
    json_t *v = json_object_get(o, key);
    dst[0] = '\0';
    if (!v)
        return ERR_OK;
    if (!json_is_string(v))
        return ERR_INVALID;
    const char *s = json_string_value(v);
    if (strlen(s) >= cap && !cut)
        return ERR_INVALID;
    validate_clip(dst, cap, s);
    return ERR_OK;
}

static enum err parse_result(json_t *o, struct push_result *r, size_t i, struct verr *e)
{
    char field[40];
    snprintf(field, sizeof field, "results[%zu]", i);
    if (!json_is_object(o) || unknown_key(o, result_keys))
        return invalid(e, field, "a result must be an object with only the protocol's keys");
    json_t *id = json_object_get(o, "id");
    json_t *status = json_object_get(o, "status");
    json_t *seq = json_object_get(o, "seq");
    if (!json_is_string(id))
        return invalid(e, field, "a result needs a string id");
    if (!json_is_string(status) || !key_known(json_string_value(status), result_statuses))
        return invalid(e, field, "status must be applied, duplicate or rejected");
    snprintf(r->status, sizeof r->status, "%s", json_string_value(status));
    if (json_is_integer(seq) && json_integer_value(seq) >= 0)
        r->seq = json_integer_value(seq);
    else if (json_is_null(seq) && strcmp(r->status, "applied") != 0)
        r->seq = -1;
    else
        return invalid(e, field, "seq must be an integer >= 0 (or null unless applied)");
    if (copy_opt(o, "error", r->error, sizeof r->error, false) ||
        copy_opt(o, "field", r->field, sizeof r->field, false) ||
        copy_opt(o, "message", r->message, sizeof r->message, true))
        return invalid(e, field, "error, message and field must be short strings");
    if (strcmp(r->status, "rejected") == 0 && !r->error[0])
        return invalid(e, field, "a rejected result needs an error");
    r->id = xstrdup(json_string_value(id));
    return ERR_OK;
}

enum err changeset_parse_results(const char *data, size_t len, const struct changeset_limits *lim,
                                 struct push_result **out, size_t *n, struct verr *e)
{
    static const char *const keys[] = {"results", NULL};
    *out = NULL;
    *n = 0;
    json_t *root;
    enum err rc = load(data, len, lim, &root, e);
    if (rc)
        return rc;
    json_t *arr = json_object_get(root, "results");
    size_t max = cap_changes(lim, CHANGESET_PUSH_MAX);
    if (!json_is_object(root) || unknown_key(root, keys) || !json_is_array(arr)) {
        rc = invalid(e, "results", "the body must be {\"results\": [...]}");
    } else if (json_array_size(arr) > max) {
        validate_fail(e, "too_big", "results", "more than %zu results", max);
        rc = ERR_TOO_BIG;
    }
    size_t count = rc ? 0 : json_array_size(arr);
    struct push_result *r = xcalloc(count, sizeof *r);
    size_t done = 0;
    for (; rc == ERR_OK && done < count; done++)
        rc = parse_result(json_array_get(arr, done), &r[done], done, e);
    json_decref(root);
    if (rc) {
        changeset_results_free(r, done);
        return rc;
    }
    *out = r;
    *n = count;
    return ERR_OK;
}

void changeset_results_free(struct push_result *r, size_t n)
{
    if (!r)
        return;
    for (size_t i = 0; i < n; i++)
        free(r[i].id);
    free(r);
}

/* ---- pull page: writer ---- */

static enum err wput(struct pull_writer *w, const char *s)
{
    if (w->rc == ERR_OK)
        w->rc = buf_puts(w->out, s);
    return w->rc;
}

enum err changeset_pull_begin(struct pull_writer *w, struct buf *out, const char *epoch,
                              int64_t since, int64_t next, bool more, bool reset)
{
    w->out = out;
    w->count = 0;
    w->rc = ERR_OK;
    /* An id needs no escaping, so it can be written as it is. */
    if (!id_valid(epoch) || since < 0 || next < 0)
        return w->rc = ERR_INVALID;
    w->rc = buf_printf(out,
                       "{\"format\":\"" CHANGESET_FORMAT "\",\"epoch\":\"%s\",\"since\":%" PRId64
                       ",\"next\":%" PRId64 ",\"more\":%s,\"reset\":%s,\"changes\":[",
                       epoch, since, next, more ? "true" : "false", reset ? "true" : "false");
    return w->rc;
}

static enum err change_head(struct pull_writer *w, int64_t seq, const struct table *t, int op)
{
    if (w->rc == ERR_OK && (seq < 0 || (t->flags & TABLE_HUB)))
        w->rc = ERR_INVALID;
    if (w->rc == ERR_OK)
        w->rc = buf_printf(w->out, "%s{\"seq\":%" PRId64 ",\"table\":\"%s\",\"op\":\"%s\"",
                           w->count ? "," : "", seq, t->name, changeset_op_name(op));
    return w->rc;
}

enum err changeset_pull_upsert(struct pull_writer *w, int64_t seq, const struct table *t,
                               json_t *row)
{
    if (change_head(w, seq, t, CS_UPSERT))
        return w->rc;
    wput(w, ",\"row\":{");
    bool first = true;
    for (int i = 0; i < t->ncols && w->rc == ERR_OK; i++) {
        const struct column *c = &t->cols[i];
        if (!tables_column_public(c))
            continue;
        json_t *v = json_object_get(row, c->name);
        if ((!v || json_is_null(v)) && !tables_column_pull_nullable(c)) {
            w->rc = ERR_INVALID;
            break;
        }
        w->rc = buf_printf(w->out, "%s\"%s\":", first ? "" : ",", c->name);
        first = false;
        if (w->rc == ERR_OK)
            w->rc = v ? dump(v, w->out) : buf_puts(w->out, "null");
    }
    wput(w, "}}");
    if (w->rc == ERR_OK)
        w->count++;
    return w->rc;
}

enum err changeset_pull_delete(struct pull_writer *w, int64_t seq, const struct table *t,
                               const char *id)
{
    if (w->rc == ERR_OK && !id_valid(id))
        w->rc = ERR_INVALID;
    if (change_head(w, seq, t, CS_DELETE))
        return w->rc;
    if (buf_printf(w->out, ",\"id\":\"%s\"}", id) != ERR_OK)
        w->rc = ERR_TOO_BIG;
    if (w->rc == ERR_OK)
        w->count++;
    return w->rc;
}

enum err changeset_pull_end(struct pull_writer *w)
{
    return wput(w, "]}");
}

/* ---- pull page: parser ---- */

static const char *const page_keys[] = {"format", "epoch", "since",   "next",
                                        "more",   "reset", "changes", NULL};

static bool get_count(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return false;
    *out = json_integer_value(v);
    return true;
}

static enum err check_page_envelope(json_t *root, size_t max, struct pull_page *p, struct verr *e)
{
    if (!json_is_object(root))
        return invalid(e, NULL, "the page must be a JSON object");
    const char *key = unknown_key(root, page_keys);
    if (key)
        return unknown(e, key, "the pull page");
    json_t *format = json_object_get(root, "format");
    if (!json_is_string(format) || strcmp(json_string_value(format), CHANGESET_FORMAT) != 0)
        return invalid(e, "format", "format must be \"" CHANGESET_FORMAT "\"");
    json_t *epoch = json_object_get(root, "epoch");
    if (!json_is_string(epoch) || !id_valid(json_string_value(epoch)))
        return invalid(e, "epoch", "epoch must be an id");
    validate_clip(p->epoch, sizeof p->epoch, json_string_value(epoch));
    if (!get_count(root, "since", &p->since))
        return invalid(e, "since", "since must be an integer >= 0");
    /* A reset page may point below since (the client starts again). */
    if (!get_count(root, "next", &p->next))
        return invalid(e, "next", "next must be an integer >= 0");
    json_t *more = json_object_get(root, "more");
    json_t *reset = json_object_get(root, "reset");
    if (!json_is_boolean(more))
        return invalid(e, "more", "more must be true or false");
    if (!json_is_boolean(reset))
        return invalid(e, "reset", "reset must be true or false");
    p->more = json_is_true(more);
    p->reset = json_is_true(reset);
    json_t *changes = json_object_get(root, "changes");
    if (!json_is_array(changes))
        return invalid(e, "changes", "changes must be an array");
    if (p->reset && json_array_size(changes) > 0)
        return invalid(e, "reset", "a reset page has no changes");
    if (!p->reset && p->next < p->since)
        return invalid(e, "next", "next must be at least since");
    if (json_array_size(changes) > max) {
        validate_fail(e, "too_big", "changes", "more than %zu changes in one page", max);
        return ERR_TOO_BIG;
    }
    return ERR_OK;
}

static const char *const upsert_keys[] = {"seq", "table", "op", "row", NULL};
static const char *const delete_keys[] = {"seq", "table", "op", "id", NULL};

/* One change of a page; prev is the previous seq (or since). */
static enum err parse_pull_change(json_t *c, int64_t prev, int64_t next, struct pull_change *pc,
                                  struct verr *e)
{
    if (!json_is_object(c))
        return invalid(e, NULL, "a change must be an object");
    json_t *table = json_object_get(c, "table");
    json_t *op = json_object_get(c, "op");
    if (!json_is_string(table) || !id_valid(json_string_value(table)))
        return invalid(e, "table", "table must be a table's name");
    /* A table added to the protocol after this client: its changes are
     * skipped (table NULL), only their seq counts, so a hub may be upgraded
     * before its kiosks. A hub-only or staff table is never sent to a replica. */
    pc->table = tables_find(json_string_value(table));
    if (pc->table && !tables_replicated(pc->table))
        return invalid(e, "table", "unknown table");
    pc->op = json_is_string(op) ? changeset_op_parse(json_string_value(op)) : -1;
    if (pc->op < 0)
        return invalid(e, "op", "op must be \"upsert\" or \"delete\"");
    if (unknown_key(c, pc->op == CS_UPSERT ? upsert_keys : delete_keys) || json_object_size(c) != 4)
        return invalid(e, NULL, "a change has exactly seq, table, op and row (or id)");
    if (!get_count(c, "seq", &pc->seq) || pc->seq <= prev || pc->seq > next)
        return invalid(e, "seq", "seq must ascend, above since and at most next");
    if (pc->op == CS_DELETE) {
        json_t *id = json_object_get(c, "id");
        if (!json_is_string(id) || !id_valid(json_string_value(id)))
            return invalid(e, "id", "a delete needs a row id");
        pc->id = json_string_value(id);
        return ERR_OK;
    }
    json_t *row = json_object_get(c, "row");
    if (!pc->table)
        return json_is_object(row) ? ERR_OK : invalid(e, "row", "a row must be an object");
    enum err rc = validate_row(pc->table, row, VALIDATE_PULL, e);
    if (rc) {
        char field[sizeof e->field + 8];
        snprintf(field, sizeof field, "row%s%s", e->field[0] ? "." : "", e->field);
        validate_clip(e->field, sizeof e->field, field);
        return rc;
    }
    pc->row = json_incref(row);
    pc->id = json_string_value(json_object_get(row, "id"));
    return ERR_OK;
}

static void page_clear(struct pull_page *p)
{
    memset(p, 0, sizeof *p);
}

enum err changeset_parse_pull(const char *data, size_t len, const struct changeset_limits *lim,
                              struct pull_page *out, struct verr *e)
{
    page_clear(out);
    json_t *root;
    enum err rc = load(data, len, lim, &root, e);
    if (rc)
        return rc;
    out->root = root;
    rc = check_page_envelope(root, cap_changes(lim, CHANGESET_PULL_MAX), out, e);
    json_t *changes = json_object_get(root, "changes");
    size_t n = rc ? 0 : json_array_size(changes);
    out->changes = xcalloc(n, sizeof *out->changes);
    int64_t prev = out->since;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        out->count = i + 1;
        rc = parse_pull_change(json_array_get(changes, i), prev, out->next, &out->changes[i], e);
        prev = out->changes[i].seq;
        if (rc) {
            char field[sizeof e->field + 32];
            snprintf(field, sizeof field, "changes[%zu]%s%s", i, e->field[0] ? "." : "", e->field);
            validate_clip(e->field, sizeof e->field, field);
        }
    }
    if (rc)
        changeset_pull_free(out);
    return rc;
}

void changeset_pull_free(struct pull_page *p)
{
    for (size_t i = 0; i < p->count; i++)
        json_decref(p->changes[i].row);
    free(p->changes);
    json_decref(p->root);
    page_clear(p);
}
