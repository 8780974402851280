/* script: runs a test script against the live app, one step per frame.
 *
 * A command that acts (tap, drag, type, advance, size, lang) is split into
 * steps with a frame between each (press, release), then the script waits
 * until the app settles (no frame requested) before the next command, so
 * commands always see the screen their predecessor produced. */
#include "script.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"
#include "num.h"

#define SCRIPT_MAX_LINES 10000
#define SCRIPT_MAX_LINE 2000
#define SCRIPT_SETTLE_FRAMES 30
#define SCRIPT_WAIT_MS 10000
#define DRAG_STEPS 8

struct script {
    char **lines;
    int n, pc;
    int phase;  /* step within the current command */
    int settle; /* frames given to settle */
    int x, y, dx, dy;
    uint64_t started_ms, t_ms;
};

static int64_t clock_offset;

int64_t script_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec + clock_offset;
}

enum err script_load(const char *path, struct script **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(errbuf, errlen, "cannot open script '%s'", path);
        return ERR_IO;
    }
    struct script *s = xcalloc(1, sizeof *s);
    char line[SCRIPT_MAX_LINE];
    while (fgets(line, sizeof line, f)) {
        if (s->n >= SCRIPT_MAX_LINES) {
            snprintf(errbuf, errlen, "script '%s' has too many lines", path);
            fclose(f);
            script_free(s);
            return ERR_TOO_BIG;
        }
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            snprintf(errbuf, errlen, "script '%s': line %d is too long", path, s->n + 1);
            fclose(f);
            script_free(s);
            return ERR_TOO_BIG;
        }
        line[strcspn(line, "\r\n")] = '\0';
        s->lines = xrealloc(s->lines, (size_t)(s->n + 1) * sizeof *s->lines);
        s->lines[s->n++] = xstrdup(line);
    }
    fclose(f);
    *out = s;
    return ERR_OK;
}

void script_free(struct script *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        free(s->lines[i]);
    free(s->lines);
    free(s);
}

/* The element labelled `label`: exact match first, then (unless exact)
 * substring; among equals, a clickable one when want_click. NULL when
 * none. */
static const struct ui_element *find(const struct app *a, const char *label, bool want_click,
                                     bool exact)
{
    size_t n;
    const struct ui_element *els = ui_elements(a->ui, &n);
    const struct ui_element *best = NULL;
    for (int pass = 0; pass < (exact ? 1 : 2); pass++) {
        for (size_t i = 0; i < n; i++) {
            const char *l = ui_str(a->ui, els[i].label);
            bool match = pass == 0 ? strcmp(l, label) == 0 : strstr(l, label) != NULL;
            if (!match)
                continue;
            if (!want_click || els[i].clickable)
                return &els[i];
            if (!best)
                best = &els[i];
        }
        if (best)
            return best;
    }
    return NULL;
}

/* A picture (role "picture": decoded and drawn) whose alternative text
 * holds alt. */
static bool picture_shown(const struct app *a, const char *alt)
{
    size_t n;
    const struct ui_element *els = ui_elements(a->ui, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(els[i].role, "picture") == 0 && strstr(ui_str(a->ui, els[i].label), alt))
            return true;
    return false;
}

static enum script_status fail(struct script *s, char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static enum script_status fail(struct script *s, char *errbuf, size_t errlen, const char *fmt, ...)
{
    int n = snprintf(errbuf, errlen, "script:%d: ", s->pc + 1);
    if (n > 0 && (size_t)n < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errbuf + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return SCRIPT_FAILED;
}

static void next(struct script *s)
{
    s->pc++;
    s->phase = 0;
    s->settle = 0;
}

/* drag LABEL DX DY: split off the two numbers at the end. */
static int parse_drag(char *arg, int *dx, int *dy)
{
    char *sp2 = strrchr(arg, ' ');
    if (!sp2)
        return -1;
    *sp2 = '\0';
    char *sp1 = strrchr(arg, ' ');
    if (!sp1)
        return -1;
    *sp1 = '\0';
    char *e1, *e2;
    long x = strtol(sp1 + 1, &e1, 10), y = strtol(sp2 + 1, &e2, 10);
    if (*e1 || *e2 || e1 == sp1 + 1 || e2 == sp2 + 1 || x < -10000 || x > 10000 || y < -10000 ||
        y > 10000)
        return -1;
    *dx = (int)x;
    *dy = (int)y;
    return 0;
}

/* "X Y" of a touch: a point on screen, whatever is (or is not) there. */
static int parse_point(const char *arg, int *x, int *y)
{
    char *e1, *e2;
    long px = strtol(arg, &e1, 10);
    long py = strtol(e1, &e2, 10);
    if (e1 == arg || e2 == e1 || *e2 || px < 0 || py < 0 || px > 10000 || py > 10000)
        return -1;
    *x = (int)px;
    *y = (int)py;
    return 0;
}

static enum script_status pointer_cmd(struct script *s, struct app *a, const char *cmd, char *arg,
                                      char *errbuf, size_t errlen)
{
    bool drag = strcmp(cmd, "drag") == 0;
    if (s->phase == 0 && strcmp(cmd, "touch") == 0) {
        if (parse_point(arg, &s->x, &s->y) != 0)
            return fail(s, errbuf, errlen, "usage: touch X Y");
    } else if (s->phase == 0) {
        if (drag && parse_drag(arg, &s->dx, &s->dy) != 0)
            return fail(s, errbuf, errlen, "usage: drag LABEL DX DY");
        const struct ui_element *e = find(a, arg, true, true);
        if (!e)
            return fail(s, errbuf, errlen, "no element labelled '%s'", arg);
        s->x = e->rect.x + e->rect.w / 2;
        s->y = e->rect.y + e->rect.h / 2;
    }
    if (s->phase == 0) {
        s->t_ms = a->ms;
        ui_pointer_down(a->ui, s->x, s->y, s->t_ms);
        app_touched(a);
        s->phase = 1;
        return SCRIPT_RUNNING;
    }
    int steps = drag ? DRAG_STEPS : 0;
    if (s->phase <= steps) {
        int k = s->phase;
        s->t_ms += 16;
        ui_pointer_move(a->ui, s->x + s->dx * k / steps, s->y + s->dy * k / steps, s->t_ms);
        s->phase++;
        return SCRIPT_RUNNING;
    }
    s->t_ms += 16;
    ui_pointer_up(a->ui, s->x + (drag ? s->dx : 0), s->y + (drag ? s->dy : 0), s->t_ms);
    app_touched(a);
    next(s);
    return SCRIPT_RUNNING;
}

static enum script_status run(struct script *s, struct script_host *h, char *cmd, char *arg,
                              int *delay_ms, char *errbuf, size_t errlen)
{
    struct app *a = h->app;
    if (strcmp(cmd, "tap") == 0 || strcmp(cmd, "drag") == 0 || strcmp(cmd, "touch") == 0)
        return pointer_cmd(s, a, cmd, arg, errbuf, errlen);
    if (strcmp(cmd, "type") == 0) {
        if (!ui_focused(a->ui))
            return fail(s, errbuf, errlen, "no text field has the focus to type '%s'", arg);
        ui_text_input(a->ui, arg);
        app_touched(a);
    } else if (strcmp(cmd, "wait") == 0 || strcmp(cmd, "wait-picture") == 0) {
        if (s->phase == 0) {
            s->started_ms = a->ms;
            s->phase = 1;
        }
        bool picture = strcmp(cmd, "wait-picture") == 0;
        if (picture ? !picture_shown(a, arg) : !find(a, arg, false, false)) {
            if (a->ms - s->started_ms > SCRIPT_WAIT_MS)
                return fail(s, errbuf, errlen, "timed out waiting for '%s'", arg);
            *delay_ms = 20;
            return SCRIPT_RUNNING;
        }
    } else if (strcmp(cmd, "expect") == 0) {
        if (!find(a, arg, false, false))
            return fail(s, errbuf, errlen, "expected '%s' on screen", arg);
    } else if (strcmp(cmd, "expect-not") == 0) {
        if (find(a, arg, false, false))
            return fail(s, errbuf, errlen, "did not expect '%s' on screen", arg);
    } else if (strcmp(cmd, "advance") == 0) {
        long v;
        if (!num_parse(arg, 0, 100L * 86400, &v))
            return fail(s, errbuf, errlen, "bad number of seconds '%s'", arg);
        clock_offset += v;
    } else if (strcmp(cmd, "screenshot") == 0 || strcmp(cmd, "dump") == 0) {
        char err[300], path[1200];
        if (h->out_dir && arg[0] != '/')
            snprintf(path, sizeof path, "%s/%s", h->out_dir, arg);
        else
            snprintf(path, sizeof path, "%s", arg);
        enum err rc = cmd[0] == 's' ? h->screenshot(h->ctx, path, err, sizeof err)
                                    : script_dump(a, path, err, sizeof err);
        if (rc)
            return fail(s, errbuf, errlen, "%s", err);
    } else if (strcmp(cmd, "size") == 0) {
        int w, hh;
        if (app_parse_size(arg, &w, &hh) != ERR_OK)
            return fail(s, errbuf, errlen, "bad size '%s' (WxH)", arg);
        h->resize(h->ctx, w, hh);
    } else if (strcmp(cmd, "lang") == 0) {
        int l = i18n_parse(arg);
        if (l < 0)
            return fail(s, errbuf, errlen, "bad language '%s' (fr or en)", arg);
        app_set_lang(a, (enum lang)l);
    } else if (strcmp(cmd, "mark") == 0) {
        h->mark(h->ctx);
    } else if (strcmp(cmd, "redraw") == 0 || strcmp(cmd, "baseline") == 0) {
        long v;
        if (!num_parse(arg, 1, 100000, &v))
            return fail(s, errbuf, errlen, "bad count '%s'", arg);
        if (cmd[0] == 'r')
            h->redraw(h->ctx, (int)v);
        else
            h->baseline(h->ctx, (int)v);
    } else if (strcmp(cmd, "quit") == 0) {
        return SCRIPT_DONE;
    } else {
        return fail(s, errbuf, errlen, "unknown command '%s'", cmd);
    }
    next(s);
    return SCRIPT_RUNNING;
}

enum script_status script_step(struct script *s, struct script_host *h, int *delay_ms, char *errbuf,
                               size_t errlen)
{
    *delay_ms = 0;
    /* Let the previous command's effects settle (bounded). */
    if (s->phase == 0 && h->app->redraw && s->settle < SCRIPT_SETTLE_FRAMES) {
        s->settle++;
        return SCRIPT_RUNNING;
    }
    while (s->pc < s->n) {
        char *line = s->lines[s->pc];
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line && *line != '#')
            break;
        s->pc++;
    }
    if (s->pc >= s->n)
        return SCRIPT_DONE;
    char buf[SCRIPT_MAX_LINE];
    snprintf(buf, sizeof buf, "%s", s->lines[s->pc]);
    char *cmd = buf;
    while (*cmd == ' ' || *cmd == '\t')
        cmd++;
    char *arg = cmd + strcspn(cmd, " \t");
    if (*arg)
        *arg++ = '\0';
    size_t n = strlen(arg);
    while (n > 0 && (arg[n - 1] == ' ' || arg[n - 1] == '\t'))
        arg[--n] = '\0';
    return run(s, h, cmd, arg, delay_ms, errbuf, errlen);
}

enum err script_dump(const struct app *a, const char *path, char *errbuf, size_t errlen)
{
    size_t n;
    const struct ui_element *els = ui_elements(a->ui, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct ui_element *e = &els[i];
        json_t *o =
            json_pack("{s:s?, s:s, s:i, s:i, s:i, s:i, s:b, s:i, s:i, s:i, s:b, s:b}", "label",
                      ui_str(a->ui, e->label), "role", e->role, "x", e->rect.x, "y", e->rect.y, "w",
                      e->rect.w, "h", e->rect.h, "clickable", e->clickable, "text_w", e->text_w,
                      "box_w", e->box_w, "box_h", e->box_h, "fits", e->text_w <= e->box_w,
                      "focused", e->id != 0 && e->id == ui_focused(a->ui));
        if (!o) /* a label that is not UTF-8: keep the element, without it */
            o = json_pack("{s:s, s:i, s:i, s:i, s:i}", "role", e->role, "x", e->rect.x, "y",
                          e->rect.y, "w", e->rect.w, "h", e->rect.h);
        json_array_append_new(arr, o);
    }
    /* The lines of text as drawn (wrapped, shortened): where a paragraph
     * broke, which the elements, holding whole texts, do not say. */
    json_t *lines = json_array();
    const struct ui_cmd *cmds = ui_commands(a->ui, &n);
    for (size_t i = 0; i < n; i++)
        if (cmds[i].type == UI_CMD_TEXT)
            json_array_append_new(lines, json_pack("{s:s?, s:i, s:i, s:i}", "text",
                                                   ui_str(a->ui, cmds[i].text), "x", cmds[i].rect.x,
                                                   "y", cmds[i].rect.y, "w", cmds[i].rect.w));
    static const char *const screens[SCR_COUNT] = {"home", "initiatives", "agenda", "rooms",
                                                   "news", "directory",   "ideas",  "figures"};
    json_t *doc =
        json_pack("{s:s, s:i, s:i, s:s, s:b, s:b, s:o, s:o}", "screen", screens[a->screen], "width",
                  a->look.w, "height", a->look.h, "lang", i18n_code(a->look.lang), "large",
                  a->look.large, "contrast", a->look.contrast, "elements", arr, "lines", lines);
    int rc = json_dump_file(doc, path, JSON_INDENT(1));
    json_decref(doc);
    if (rc != 0) {
        snprintf(errbuf, errlen, "cannot write '%s'", path);
        return ERR_IO;
    }
    return ERR_OK;
}
