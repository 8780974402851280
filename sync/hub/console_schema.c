/* console_schema: GET /v1/console/schema, the protocol's numbers as the
 * console reads them (see console.h): the caps of caps.h as this hub
 * applies them, and every table of tables.h with its columns, their
 * types, lengths, enum values and whether a push must carry them. The
 * console builds its forms and checks from this answer, so a length or
 * an enum value changes in tables.c alone. */
#include "caps.h"
#include "changeset.h"
#include "console.h"
#include "tables.h"

static const char *const type_names[] = {
    [COL_ID] = "id",     [COL_TEXT] = "text",   [COL_INT] = "int",         [COL_BOOL] = "bool",
    [COL_TIME] = "time", [COL_ENUM] = "enum",   [COL_HHMM] = "hhmm",       [COL_TARGET] = "target",
    [COL_CODE] = "code", [COL_RRULE] = "rrule", [COL_PICTURE] = "picture",
};

static json_t *column_json(const struct column *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "type", json_string(type_names[c->type]));
    json_object_set_new(o, "required", json_boolean(!(c->flags & COL_OPT)));
    json_object_set_new(o, "pushable", json_boolean(tables_column_pushable(c)));
    if (c->type == COL_TEXT)
        json_object_set_new(o, "max", json_integer(c->max_chars));
    if (c->type == COL_ENUM) {
        json_t *v = json_array();
        for (const char *const *e = c->values; *e; e++)
            json_array_append_new(v, json_string(*e));
        json_object_set_new(o, "values", v);
    }
    return o;
}

enum MHD_Result console_schema(struct req *r)
{
    json_t *tables = json_object();
    for (int i = 0; i < tables_count; i++) {
        const struct table *t = &tables_all[i];
        if (t->flags & TABLE_HUB)
            continue;
        json_t *cols = json_array();
        for (int j = 0; j < t->ncols; j++)
            if (!(t->cols[j].flags & COL_HUB))
                json_array_append_new(cols, column_json(&t->cols[j]));
        json_object_set_new(tables, t->name, cols);
    }
    json_t *caps = json_object();
    json_object_set_new(caps, "body_max", json_integer((json_int_t)r->h->cfg.body_max));
    json_object_set_new(caps, "inflated_max", json_integer((json_int_t)r->h->cfg.inflated_max));
    json_object_set_new(caps, "push_changes", json_integer(CAPS_PUSH_CHANGES));
    json_object_set_new(caps, "pull_changes", json_integer(CAPS_PULL_CHANGES));
    json_object_set_new(caps, "depth", json_integer(CAPS_DEPTH));
    json_object_set_new(caps, "picture_max", json_integer(CAPS_PICTURE_MAX));
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string(CHANGESET_FORMAT));
    json_object_set_new(o, "caps", caps);
    json_object_set_new(o, "tables", tables);
    return req_reply_json(r, 200, o);
}
