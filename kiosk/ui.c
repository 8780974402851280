/* ui: immediate-mode core. See ui.h for the model; this file has three
 * parts: the frame's buffers (commands, elements, text arena), input
 * (taps, drags, inertia, typed text), then the widgets. */
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

#define UI_MAX_SCROLLS 32
#define UI_MAX_STACK 16
#define UI_TYPED_MAX 512
#define UI_INERTIA_TAU_MS 325.0
#define UI_INERTIA_STOP 12.0 /* px/s under which a fling stops */
#define UI_DAMAGE_SLACK 8192 /* pixels drawn twice rather than keep two rects */

struct ui_scroll {
    uint32_t id;
    double offset;
    double vel; /* px per second, positive scrolls content up */
    int content, view;
    struct ui_rect visible; /* clipped on screen, last frame */
    bool used;
};

/* A scroll region as drawn in a frame: its commands are cmds[begin] (the
 * clip it pushes) to cmds[end - 1]; cmds[end] is the clip it pops. */
struct ui_scroll_rec {
    uint32_t id;
    struct ui_rect area;
    int offset;
    size_t begin, end; /* end == 0: not closed */
};

struct ui_frame {
    struct ui_cmd *cmds;
    size_t ncmds, capcmds;
    struct ui_scroll_rec scrolls[UI_MAX_SCROLLS];
    int nscrolls;
    struct ui_element *els;
    size_t nels, capels;
    char *arena;
    size_t alen, acap;
};

struct ui {
    struct ui_text_metrics m;
    int w, h;
    uint64_t ms, prev_ms;
    struct ui_frame cur, prev;
    bool changed;

    uint32_t ids[UI_MAX_STACK];
    int nids;
    struct ui_rect clips[UI_MAX_STACK];
    int nclips;

    /* Pointer: a press, then either a drag or a tap on release. */
    bool down, dragging;
    int px, py, down_x, down_y;
    uint32_t press_id, tap_pending, tap_id;
    int drag_scroll; /* index in scrolls, or -1 */
    double drag_vel;
    uint64_t last_move_ms;

    struct ui_scroll scrolls[UI_MAX_SCROLLS];
    int scroll_stack[UI_MAX_STACK];
    int scroll_rec_stack[UI_MAX_STACK]; /* index in cur.scrolls, or -1 */
    int nscroll_stack;

    bool input_used; /* this frame consumed a tap or typed text */
    uint32_t focus;
    char typed[UI_TYPED_MAX]; /* typed text; '\b' backspace, '\n' enter */
    size_t ntyped;
};

struct ui *ui_new(const struct ui_text_metrics *m)
{
    struct ui *ui = xcalloc(1, sizeof *ui);
    ui->m = *m;
    ui->drag_scroll = -1;
    return ui;
}

static void frame_release(struct ui_frame *f)
{
    free(f->cmds);
    free(f->els);
    free(f->arena);
}

void ui_free(struct ui *ui)
{
    if (!ui)
        return;
    frame_release(&ui->cur);
    frame_release(&ui->prev);
    free(ui);
}

/* ---- frame buffers ---- */

static size_t arena_put(struct ui *ui, const char *s, size_t n)
{
    struct ui_frame *f = &ui->cur;
    if (f->alen + n + 1 > f->acap) {
        size_t cap = f->acap ? f->acap : 4096;
        while (f->alen + n + 1 > cap)
            cap *= 2;
        f->arena = xrealloc(f->arena, cap);
        f->acap = cap;
    }
    size_t off = f->alen;
    memcpy(f->arena + off, s, n);
    f->arena[off + n] = '\0';
    f->alen += n + 1;
    return off;
}

const char *ui_str(const struct ui *ui, size_t offset)
{
    return ui->cur.arena + offset;
}

static struct ui_rect clip_now(const struct ui *ui)
{
    if (ui->nclips)
        return ui->clips[ui->nclips - 1];
    return (struct ui_rect){0, 0, ui->w, ui->h};
}

static struct ui_cmd *push_cmd(struct ui *ui, enum ui_cmd_type type)
{
    struct ui_frame *f = &ui->cur;
    if (f->ncmds == f->capcmds) {
        f->capcmds = f->capcmds ? 2 * f->capcmds : 256;
        f->cmds = xrealloc(f->cmds, f->capcmds * sizeof *f->cmds);
    }
    struct ui_cmd *c = &f->cmds[f->ncmds++];
    memset(c, 0, sizeof *c); /* padding too: frames are compared bytewise */
    c->type = type;
    return c;
}

void ui_record(struct ui *ui, const char *label, const char *role, struct ui_rect r, uint32_t id,
               bool clickable, int text_w)
{
    struct ui_rect v = ui_intersect(r, clip_now(ui));
    if (v.w <= 0 || v.h <= 0)
        return;
    struct ui_frame *f = &ui->cur;
    if (f->nels == f->capels) {
        f->capels = f->capels ? 2 * f->capels : 128;
        f->els = xrealloc(f->els, f->capels * sizeof *f->els);
    }
    struct ui_element *e = &f->els[f->nels++];
    memset(e, 0, sizeof *e);
    e->label = arena_put(ui, label, strlen(label));
    e->role = role;
    e->rect = v;
    e->id = id;
    e->clickable = clickable;
    e->text_w = text_w;
    e->box_w = r.w;
    e->box_h = r.h;
}

const struct ui_cmd *ui_commands(const struct ui *ui, size_t *n)
{
    *n = ui->cur.ncmds;
    return ui->cur.cmds;
}

const struct ui_element *ui_elements(const struct ui *ui, size_t *n)
{
    *n = ui->cur.nels;
    return ui->cur.els;
}

bool ui_changed(const struct ui *ui)
{
    return ui->changed;
}

static bool cmd_same(const struct ui *ui, const struct ui_cmd *a, const struct ui_cmd *b)
{
    if (a->type != b->type || memcmp(&a->rect, &b->rect, sizeof a->rect) ||
        memcmp(&a->color, &b->color, sizeof a->color) || a->radius != b->radius ||
        a->border != b->border || a->font != b->font || a->size != b->size)
        return false;
    if (a->type == UI_CMD_TEXT || a->type == UI_CMD_QR)
        return strcmp(ui->cur.arena + a->text, ui->prev.arena + b->text) == 0;
    return true;
}

static struct ui_rect cmd_area(const struct ui *ui, const struct ui_cmd *c)
{
    if (c->type == UI_CMD_CLIP && c->rect.w == 0)
        return (struct ui_rect){0, 0, ui->w, ui->h};
    return c->rect;
}

static bool overlaps_rect(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void grow(struct ui_rect *acc, bool *any, struct ui_rect r)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    if (!*any) {
        *acc = r;
        *any = true;
        return;
    }
    int x0 = acc->x < r.x ? acc->x : r.x, y0 = acc->y < r.y ? acc->y : r.y;
    int x1 = acc->x + acc->w > r.x + r.w ? acc->x + acc->w : r.x + r.w;
    int y1 = acc->y + acc->h > r.y + r.h ? acc->y + acc->h : r.y + r.h;
    *acc = (struct ui_rect){x0, y0, x1 - x0, y1 - y0};
}

/* ---- damage plan: a partial frame, with scrolling by moving pixels ---- */

static bool rect_empty(struct ui_rect r)
{
    return r.w <= 0 || r.h <= 0;
}

static bool rect_inside(struct ui_rect in, struct ui_rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

static struct ui_rect rect_shift(struct ui_rect r, int dy)
{
    r.y -= dy;
    return r;
}

static long rect_area(struct ui_rect r)
{
    return (long)r.w * r.h;
}

/* Adds r to the list. A rectangle that nearly touches one already there
 * joins it (their bounding box costs little more than both); a full list
 * merges r into the one whose bounding box grows least. */
static void damage_add(struct ui_damage *d, struct ui_rect r, struct ui_rect screen)
{
    r = ui_intersect(r, screen);
    if (rect_empty(r))
        return;
    for (int i = 0; i < d->n; i++)
        if (rect_inside(r, d->rects[i]))
            return;
    int k = 0;
    for (int i = 0; i < d->n; i++)
        if (!rect_inside(d->rects[i], r))
            d->rects[k++] = d->rects[i];
    d->n = k;
    int best = -1;
    long best_grow = 0;
    for (int i = 0; i < d->n; i++) {
        struct ui_rect m = d->rects[i];
        bool any = true;
        grow(&m, &any, r);
        long g = rect_area(m) - rect_area(d->rects[i]) - rect_area(r);
        if (best < 0 || g < best_grow) {
            best_grow = g;
            best = i;
        }
    }
    if (best < 0 || (d->n < UI_DAMAGE_RECTS && best_grow > UI_DAMAGE_SLACK)) {
        d->rects[d->n++] = r;
        return;
    }
    struct ui_rect m = d->rects[best];
    bool any = true;
    grow(&m, &any, r);
    d->rects[best] = d->rects[--d->n];
    damage_add(d, m, screen);
}

/* Does c paint one colour over all of s (so that moving pixels within s
 * leaves its part unchanged)? clip is the clip it is drawn under. */
static bool uniform_over(const struct ui_cmd *c, struct ui_rect clip, struct ui_rect s)
{
    if (c->type != UI_CMD_RECT || c->border > 0 || !rect_inside(s, clip))
        return false;
    struct ui_rect q = c->rect;
    int rad = c->radius; /* clamped as render.c draws it */
    if (rad * 2 > q.w)
        rad = q.w / 2;
    if (rad * 2 > q.h)
        rad = q.h / 2;
    struct ui_rect core_h = {q.x + rad, q.y, q.w - 2 * rad, q.h};
    struct ui_rect core_v = {q.x, q.y + rad, q.w, q.h - 2 * rad};
    return rect_inside(s, core_h) || rect_inside(s, core_v);
}

struct plan {
    const struct ui *ui;
    struct ui_damage *d;
    struct ui_rect screen;
    struct ui_rect s, copied; /* the scrolled area; the rows moved into it */
    int dy;
};

/* A drawing command and the clip it is drawn under. */
struct drawn {
    const struct ui_cmd *c;
    struct ui_rect clip;
};

/* The drawing commands of cmds[a0..a1), clips resolved: a clip command
 * draws nothing itself, it only matters through the commands under it. */
static struct drawn *drawn_list(const struct ui *ui, const struct ui_cmd *cmds, size_t a0,
                                size_t a1, struct ui_rect screen, size_t *n)
{
    struct drawn *out = xmalloc((a1 - a0 + 1) * sizeof *out);
    struct ui_rect clip = screen;
    *n = 0;
    for (size_t i = a0; i < a1; i++) {
        if (cmds[i].type == UI_CMD_CLIP)
            clip = ui_intersect(cmd_area(ui, &cmds[i]), screen);
        else
            out[(*n)++] = (struct drawn){&cmds[i], clip};
    }
    return out;
}

/* Does the old command b, moved up by dy (0 outside the list), draw what
 * the new command a draws? Clips only need the same effect where pixels
 * are kept: on the moved rows for the list, everywhere for the rest. */
static bool drawn_same(const struct plan *p, const struct drawn *a, const struct drawn *b, int dy)
{
    struct ui_cmd t = *b->c;
    t.rect = rect_shift(t.rect, dy);
    if (!cmd_same(p->ui, a->c, &t))
        return false;
    struct ui_rect ca = a->clip, cb = rect_shift(b->clip, dy);
    if (dy && a->c->type == UI_CMD_TEXT) {
        /* Text takes its background from what shows under it, so a text
         * cut differently by the list's edge is drawn again. */
        struct ui_rect va = ui_intersect(a->c->rect, ca), vb = ui_intersect(t.rect, cb);
        return memcmp(&va, &vb, sizeof va) == 0;
    }
    if (dy) {
        ca = ui_intersect(ca, p->copied);
        cb = ui_intersect(cb, p->copied);
        if (rect_empty(ca) && rect_empty(cb))
            return true;
    }
    return memcmp(&ca, &cb, sizeof ca) == 0;
}

/* A new command nothing matches: drawn again where it shows. */
static void damage_new(struct plan *p, const struct drawn *a)
{
    damage_add(p->d, ui_intersect(a->c->rect, a->clip), p->screen);
}

/* An old command nothing matches: drawn over where it was, and where the
 * move carried its pixels (moved says it was in the list). */
static void damage_old(struct plan *p, const struct drawn *b, bool moved)
{
    struct ui_rect o = ui_intersect(b->c->rect, b->clip);
    if (!moved)
        damage_add(p->d, o, p->screen);
    if (p->dy)
        damage_add(p->d, ui_intersect(rect_shift(o, p->dy), p->s), p->screen);
}

#define PLAN_WINDOW 64 /* commands looked ahead to realign the two lists */

/* The new commands of cur[a0..a1) against the old ones of prev[b0..b1),
 * moved up by dy when moved (the scrolled list), in place otherwise. A
 * greedy in-order matching: rows leave the list at one end and come in
 * at the other, a card's lines show or hide at the edges, one widget
 * changes among others. A pixel that no unmatched command touches is
 * drawn by the same commands in the same order in both frames, so it is
 * kept; the unmatched ones are drawn again. Outside the list, a kept
 * command that overlaps it must paint it uniformly, or the move changed
 * what it shows there. */
static void diff(struct plan *p, size_t a0, size_t a1, size_t b0, size_t b1, bool moved)
{
    size_t na, nb;
    struct drawn *da = drawn_list(p->ui, p->ui->cur.cmds, a0, a1, p->screen, &na);
    struct drawn *db = drawn_list(p->ui, p->ui->prev.cmds, b0, b1, p->screen, &nb);
    int dy = moved ? p->dy : 0;
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (p->d->n == 1 && rect_inside(p->screen, p->d->rects[0]))
            break; /* all of it is drawn again anyway */
        if (drawn_same(p, &da[i], &db[j], dy)) {
            const struct drawn *k = &da[i];
            if (!moved && p->dy && overlaps_rect(ui_intersect(k->c->rect, k->clip), p->s) &&
                !uniform_over(k->c, k->clip, p->s)) {
                damage_new(p, k);
                damage_old(p, &db[j], false);
            }
            i++;
            j++;
            continue;
        }
        size_t skip_a = 0, skip_b = 0;
        for (size_t k = 1; k <= PLAN_WINDOW && !skip_a && !skip_b; k++) {
            if (j + k < nb && drawn_same(p, &da[i], &db[j + k], dy))
                skip_b = k;
            else if (i + k < na && drawn_same(p, &da[i + k], &db[j], dy))
                skip_a = k;
        }
        if (!skip_a && !skip_b)
            skip_a = skip_b = 1;
        for (size_t k = 0; k < skip_a; k++)
            damage_new(p, &da[i++]);
        for (size_t k = 0; k < skip_b; k++)
            damage_old(p, &db[j++], moved);
    }
    for (; i < na; i++)
        damage_new(p, &da[i]);
    for (; j < nb; j++)
        damage_old(p, &db[j], moved);
    free(da);
    free(db);
}

/* The scroll region worth moving: the largest one that scrolled and is
 * otherwise where it was. */
static const struct ui_scroll_rec *moved_scroll(const struct ui *ui,
                                                const struct ui_scroll_rec **old)
{
    const struct ui_scroll_rec *best = NULL;
    long best_area = 0;
    for (int i = 0; i < ui->cur.nscrolls; i++) {
        const struct ui_scroll_rec *a = &ui->cur.scrolls[i];
        if (!a->end || rect_empty(a->area))
            continue;
        for (int k = 0; k < ui->prev.nscrolls; k++) {
            const struct ui_scroll_rec *b = &ui->prev.scrolls[k];
            int dy = a->offset - b->offset;
            if (b->id != a->id || !b->end || memcmp(&a->area, &b->area, sizeof a->area) ||
                dy == 0 || abs(dy) >= a->area.h)
                continue;
            long area = (long)a->area.w * a->area.h;
            if (area > best_area) {
                best_area = area;
                best = a;
                *old = b;
            }
        }
    }
    return best;
}

/* Text is drawn shaded on the colour found under it in the command list,
 * which the commands before it decide: a text partly damaged is drawn
 * again whole, so that it never shows two renderings. */
static bool spread_text(const struct ui *ui, struct ui_damage *d, struct ui_rect screen)
{
    bool grew = false;
    struct ui_rect clip = screen;
    for (size_t i = 0; i < ui->cur.ncmds; i++) {
        const struct ui_cmd *c = &ui->cur.cmds[i];
        if (c->type == UI_CMD_CLIP)
            clip = ui_intersect(cmd_area(ui, c), screen);
        if (c->type != UI_CMD_TEXT)
            continue;
        struct ui_rect t = ui_intersect(c->rect, clip); /* what of it shows */
        if (rect_empty(t))
            continue;
        bool hit = false, whole = false;
        for (int k = 0; k < d->n && !whole; k++) {
            if (overlaps_rect(t, d->rects[k])) {
                hit = true;
                whole = rect_inside(t, d->rects[k]);
            }
        }
        if (hit && !whole) {
            damage_add(d, t, screen);
            grew = true;
        }
    }
    return grew;
}

bool ui_damage_plan(const struct ui *ui, bool can_scroll, struct ui_damage *out)
{
    memset(out, 0, sizeof *out);
    struct plan p = {ui, out, {0, 0, ui->w, ui->h}, {0, 0, 0, 0}, {0, 0, 0, 0}, 0};
    const struct ui_scroll_rec *b = NULL;
    const struct ui_scroll_rec *a = can_scroll ? moved_scroll(ui, &b) : NULL;
    if (a) {
        p.s = a->area;
        p.dy = a->offset - b->offset;
        int h = p.s.h - abs(p.dy);
        p.copied = (struct ui_rect){p.s.x, p.dy > 0 ? p.s.y : p.s.y - p.dy, p.s.w, h};
        out->scroll = true;
        out->scroll_area = p.s;
        out->scroll_dy = p.dy;
        /* The rows the move leaves without pixels. */
        damage_add(out, (struct ui_rect){p.s.x, p.dy > 0 ? p.s.y + h : p.s.y, p.s.w, abs(p.dy)},
                   p.screen);
        diff(&p, 0, a->begin, 0, b->begin, false);
        diff(&p, a->begin, a->end, b->begin, b->end, true);
        diff(&p, a->end, ui->cur.ncmds, b->end, ui->prev.ncmds, false);
    } else {
        diff(&p, 0, ui->cur.ncmds, 0, ui->prev.ncmds, false);
    }
    int round = 0;
    while (round < 4 && spread_text(ui, out, p.screen))
        round++;
    if (round == 4 && spread_text(ui, out, p.screen)) {
        /* Still spreading: the whole screen, drawn plainly. */
        memset(out, 0, sizeof *out);
        out->rects[out->n++] = p.screen;
    }
    return out->n > 0 || out->scroll;
}

/* ---- ids and rects ---- */

uint32_t ui_hash(const char *s, uint32_t seed)
{
    uint32_t h = seed ? seed : 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h ? h : 1;
}

void ui_push_id(struct ui *ui, const char *s)
{
    if (ui->nids < UI_MAX_STACK) {
        ui->ids[ui->nids] = ui_hash(s, ui->nids ? ui->ids[ui->nids - 1] : 0);
        ui->nids++;
    }
}

void ui_pop_id(struct ui *ui)
{
    if (ui->nids > 0)
        ui->nids--;
}

uint32_t ui_id(const struct ui *ui, const char *label)
{
    return ui_hash(label, ui->nids ? ui->ids[ui->nids - 1] : 0);
}

struct ui_rect ui_cut_top(struct ui_rect *r, int h)
{
    if (h > r->h)
        h = r->h;
    struct ui_rect out = {r->x, r->y, r->w, h};
    r->y += h;
    r->h -= h;
    return out;
}

struct ui_rect ui_cut_bottom(struct ui_rect *r, int h)
{
    if (h > r->h)
        h = r->h;
    r->h -= h;
    return (struct ui_rect){r->x, r->y + r->h, r->w, h};
}

struct ui_rect ui_cut_left(struct ui_rect *r, int w)
{
    if (w > r->w)
        w = r->w;
    struct ui_rect out = {r->x, r->y, w, r->h};
    r->x += w;
    r->w -= w;
    return out;
}

struct ui_rect ui_cut_right(struct ui_rect *r, int w)
{
    if (w > r->w)
        w = r->w;
    r->w -= w;
    return (struct ui_rect){r->x + r->w, r->y, w, r->h};
}

struct ui_rect ui_inset(struct ui_rect r, int d)
{
    r.x += d;
    r.y += d;
    r.w -= 2 * d;
    r.h -= 2 * d;
    if (r.w < 0)
        r.w = 0;
    if (r.h < 0)
        r.h = 0;
    return r;
}

struct ui_rect ui_intersect(struct ui_rect a, struct ui_rect b)
{
    int x0 = a.x > b.x ? a.x : b.x;
    int y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    if (x1 < x0)
        x1 = x0;
    if (y1 < y0)
        y1 = y0;
    return (struct ui_rect){x0, y0, x1 - x0, y1 - y0};
}

bool ui_contains(struct ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* ---- input ---- */

/* The topmost clickable element of the last frame under (x, y): elements
 * are recorded in drawing order, so the last match is on top. */
static uint32_t element_at(const struct ui *ui, int x, int y)
{
    for (size_t i = ui->cur.nels; i-- > 0;) {
        const struct ui_element *e = &ui->cur.els[i];
        if (e->clickable && ui_contains(e->rect, x, y))
            return e->id;
    }
    return 0;
}

static int scroll_at(const struct ui *ui, int x, int y)
{
    /* Regions nest and a dialog's come after the screen's: the last one
     * begun in the frame on screen is under the finger. Slots are reused
     * in any order, so their order says nothing. */
    uint32_t id = 0;
    for (int j = 0; j < ui->cur.nscrolls; j++)
        if (ui_contains(ui->cur.scrolls[j].area, x, y))
            id = ui->cur.scrolls[j].id;
    for (int i = 0; id && i < UI_MAX_SCROLLS; i++)
        if (ui->scrolls[i].id == id)
            return i;
    return -1;
}

void ui_pointer_down(struct ui *ui, int x, int y, uint64_t ms)
{
    ui->down = true;
    ui->dragging = false;
    ui->px = ui->down_x = x;
    ui->py = ui->down_y = y;
    ui->press_id = element_at(ui, x, y);
    ui->drag_scroll = scroll_at(ui, x, y);
    ui->drag_vel = 0;
    ui->last_move_ms = ms;
    if (ui->drag_scroll >= 0)
        ui->scrolls[ui->drag_scroll].vel = 0; /* a touch stops a fling */
}

void ui_pointer_move(struct ui *ui, int x, int y, uint64_t ms)
{
    int dy = y - ui->py;
    ui->px = x;
    ui->py = y;
    if (!ui->down)
        return;
    if (!ui->dragging) {
        int mx = x - ui->down_x, my = y - ui->down_y;
        if (mx * mx + my * my <= UI_DRAG_SLOP * UI_DRAG_SLOP)
            return;
        ui->dragging = true;
        ui->press_id = 0;
        dy = y - ui->down_y; /* the slop moves the content too */
    }
    if (ui->drag_scroll < 0)
        return;
    struct ui_scroll *s = &ui->scrolls[ui->drag_scroll];
    s->offset -= dy;
    double dt = (double)(ms - ui->last_move_ms);
    if (dt > 0) {
        double v = -dy * 1000.0 / dt;
        ui->drag_vel = 0.8 * v + 0.2 * ui->drag_vel;
    }
    ui->last_move_ms = ms;
}

bool ui_held(const struct ui *ui)
{
    return ui->down;
}

void ui_pointer_up(struct ui *ui, int x, int y, uint64_t ms)
{
    if (!ui->down)
        return;
    ui_pointer_move(ui, x, y, ms);
    ui->down = false;
    if (ui->dragging) {
        if (ui->drag_scroll >= 0 && ms - ui->last_move_ms < 100)
            ui->scrolls[ui->drag_scroll].vel = ui->drag_vel;
    } else {
        uint32_t id = element_at(ui, x, y);
        if (id && id == ui->press_id)
            ui->tap_pending = id;
    }
    ui->dragging = false;
    ui->press_id = 0;
    ui->drag_scroll = -1;
}

void ui_text_input(struct ui *ui, const char *utf8)
{
    size_t n = strlen(utf8);
    if (ui->ntyped + n < UI_TYPED_MAX) {
        memcpy(ui->typed + ui->ntyped, utf8, n);
        ui->ntyped += n;
    }
}

void ui_key(struct ui *ui, enum ui_key key)
{
    ui_text_input(ui, key == UI_KEY_BACKSPACE ? "\b" : "\n");
}

void ui_focus(struct ui *ui, uint32_t id)
{
    ui->focus = id;
}

uint32_t ui_focused(const struct ui *ui)
{
    return ui->focus;
}

static size_t utf8_seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0)
        return 2;
    if ((c & 0xf0) == 0xe0)
        return 3;
    if ((c & 0xf8) == 0xf0)
        return 4;
    return 1; /* a stray byte counts as one, never loops */
}

int ui_utf8_len(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

bool ui_edit(struct ui *ui, uint32_t id, char *buf, size_t cap, int max_chars, bool *enter)
{
    bool changed = false;
    if (enter)
        *enter = false;
    if (id != ui->focus || cap == 0)
        return false;
    size_t len = strlen(buf);
    for (size_t i = 0; i < ui->ntyped;) {
        unsigned char c = (unsigned char)ui->typed[i];
        if (c == '\b') {
            while (len > 0 && ((unsigned char)buf[len - 1] & 0xc0) == 0x80)
                len--;
            if (len > 0)
                len--;
            buf[len] = '\0';
            changed = true;
            i++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (enter)
                *enter = true;
            i++;
            continue;
        }
        size_t n = utf8_seq_len(c);
        if (i + n > ui->ntyped)
            break;
        bool control = c < 0x20;
        if (!control && len + n < cap && ui_utf8_len(buf) < max_chars) {
            memcpy(buf + len, ui->typed + i, n);
            len += n;
            buf[len] = '\0';
            changed = true;
        }
        i += n;
    }
    ui->ntyped = 0;
    return changed;
}

/* ---- frame ---- */

void ui_begin(struct ui *ui, int width, int height, uint64_t ms)
{
    struct ui_frame t = ui->prev;
    ui->prev = ui->cur;
    ui->cur = t;
    ui->cur.ncmds = ui->cur.nels = ui->cur.alen = 0;
    ui->cur.nscrolls = 0;
    ui->w = width;
    ui->h = height;
    ui->prev_ms = ui->ms ? ui->ms : ms;
    ui->ms = ms;
    ui->nids = ui->nclips = ui->nscroll_stack = 0;
    ui->tap_id = ui->tap_pending;
    ui->tap_pending = 0;
    ui->input_used = ui->tap_id != 0 || ui->ntyped != 0;
    double dt = (double)(ui->ms - ui->prev_ms);
    for (int i = 0; i < UI_MAX_SCROLLS; i++) {
        struct ui_scroll *s = &ui->scrolls[i];
        s->used = false;
        if (s->vel == 0 || dt <= 0)
            continue;
        s->offset += s->vel * dt / 1000.0;
        s->vel *= exp(-dt / UI_INERTIA_TAU_MS);
        if (fabs(s->vel) < UI_INERTIA_STOP)
            s->vel = 0;
    }
}

bool ui_end(struct ui *ui)
{
    const struct ui_frame *a = &ui->cur, *b = &ui->prev;
    ui->changed = a->ncmds != b->ncmds || a->alen != b->alen ||
                  (a->ncmds && memcmp(a->cmds, b->cmds, a->ncmds * sizeof *a->cmds)) ||
                  (a->alen && memcmp(a->arena, b->arena, a->alen));
    /* A tap or typed text changed state mid-frame: draw once more so the
     * whole screen reflects it. */
    bool animating = ui->input_used;
    ui->tap_id = 0;
    ui->ntyped = 0; /* text nobody took is dropped */
    for (int i = 0; i < UI_MAX_SCROLLS; i++) {
        if (!ui->scrolls[i].used) {
            if (i != ui->drag_scroll)
                memset(&ui->scrolls[i], 0, sizeof ui->scrolls[i]);
            continue;
        }
        if (ui->scrolls[i].vel != 0)
            animating = true;
    }
    return animating;
}

bool ui_tapped(struct ui *ui, uint32_t id)
{
    return id && ui->tap_id == id;
}

bool ui_pressed(const struct ui *ui, uint32_t id)
{
    return id && ui->down && !ui->dragging && ui->press_id == id &&
           element_at(ui, ui->px, ui->py) == id;
}

bool ui_hit(struct ui *ui, struct ui_rect r, const char *label, const char *role)
{
    uint32_t id = ui_id(ui, label);
    ui_record(ui, label, role, r, id, true, 0);
    return ui_tapped(ui, id);
}

/* ---- clip and scroll ---- */

void ui_clip_push(struct ui *ui, struct ui_rect r)
{
    struct ui_rect c = ui_intersect(r, clip_now(ui));
    if (ui->nclips < UI_MAX_STACK)
        ui->clips[ui->nclips++] = c;
    struct ui_cmd *cmd = push_cmd(ui, UI_CMD_CLIP);
    cmd->rect = c;
}

void ui_clip_pop(struct ui *ui)
{
    if (ui->nclips > 0)
        ui->nclips--;
    struct ui_cmd *cmd = push_cmd(ui, UI_CMD_CLIP);
    if (ui->nclips)
        cmd->rect = ui->clips[ui->nclips - 1];
}

static void scroll_clamp(struct ui_scroll *s)
{
    double max = s->content > s->view ? s->content - s->view : 0;
    if (s->offset > max) {
        s->offset = max;
        s->vel = 0;
    }
    if (s->offset < 0) {
        s->offset = 0;
        s->vel = 0;
    }
}

int ui_scroll_begin(struct ui *ui, const char *label, struct ui_rect r)
{
    uint32_t id = ui_id(ui, label);
    int slot = -1, free_slot = -1;
    for (int i = 0; i < UI_MAX_SCROLLS; i++) {
        if (ui->scrolls[i].id == id)
            slot = i;
        else if (!ui->scrolls[i].id && free_slot < 0)
            free_slot = i;
    }
    if (slot < 0)
        slot = free_slot >= 0 ? free_slot : UI_MAX_SCROLLS - 1;
    struct ui_scroll *s = &ui->scrolls[slot];
    if (s->id != id)
        memset(s, 0, sizeof *s);
    s->id = id;
    s->used = true;
    s->view = r.h;
    if (s->content)
        scroll_clamp(s);
    s->visible = ui_intersect(r, clip_now(ui));
    ui_record(ui, label, "scroll", r, id, false, 0);
    ui_clip_push(ui, r);
    int off = (int)lround(s->offset);
    if (ui->nscroll_stack < UI_MAX_STACK) {
        int rec = -1;
        struct ui_frame *f = &ui->cur;
        if (f->nscrolls < UI_MAX_SCROLLS) {
            rec = f->nscrolls++;
            f->scrolls[rec] =
                (struct ui_scroll_rec){id, f->cmds[f->ncmds - 1].rect, off, f->ncmds - 1, 0};
        }
        ui->scroll_rec_stack[ui->nscroll_stack] = rec;
        ui->scroll_stack[ui->nscroll_stack++] = slot;
    }
    return off;
}

void ui_scroll_end(struct ui *ui, int content_h)
{
    ui_clip_pop(ui);
    if (ui->nscroll_stack == 0)
        return;
    int rec = ui->scroll_rec_stack[ui->nscroll_stack - 1];
    if (rec >= 0)
        ui->cur.scrolls[rec].end = ui->cur.ncmds - 1;
    struct ui_scroll *s = &ui->scrolls[ui->scroll_stack[--ui->nscroll_stack]];
    s->content = content_h;
    scroll_clamp(s);
}

void ui_scroll_reset(struct ui *ui, const char *label)
{
    uint32_t id = ui_id(ui, label);
    for (int i = 0; i < UI_MAX_SCROLLS; i++)
        if (ui->scrolls[i].id == id) {
            ui->scrolls[i].offset = 0;
            ui->scrolls[i].vel = 0;
        }
}

void ui_scroll_to(struct ui *ui, const char *label, int offset)
{
    uint32_t id = ui_id(ui, label);
    for (int i = 0; i < UI_MAX_SCROLLS; i++)
        if (ui->scrolls[i].id == id) {
            ui->scrolls[i].offset = offset;
            ui->scrolls[i].vel = 0;
            scroll_clamp(&ui->scrolls[i]);
        }
}

void ui_scroll_reset_all(struct ui *ui)
{
    for (int i = 0; i < UI_MAX_SCROLLS; i++) {
        ui->scrolls[i].offset = 0;
        ui->scrolls[i].vel = 0;
    }
}

/* ---- drawing ---- */

static bool visible(const struct ui *ui, struct ui_rect r)
{
    struct ui_rect v = ui_intersect(r, clip_now(ui));
    return v.w > 0 && v.h > 0;
}

void ui_draw_rect(struct ui *ui, struct ui_rect r, struct ui_color c, int radius)
{
    if (!visible(ui, r) || c.a == 0)
        return;
    struct ui_cmd *cmd = push_cmd(ui, UI_CMD_RECT);
    cmd->rect = r;
    cmd->color = c;
    cmd->radius = radius;
}

void ui_draw_border(struct ui *ui, struct ui_rect r, struct ui_color c, int radius, int width)
{
    if (!visible(ui, r) || c.a == 0 || width <= 0)
        return;
    struct ui_cmd *cmd = push_cmd(ui, UI_CMD_RECT);
    cmd->rect = r;
    cmd->color = c;
    cmd->radius = radius;
    cmd->border = width;
}

int ui_text_width(struct ui *ui, enum ui_font f, int size, const char *text)
{
    return ui->m.width(ui->m.ctx, f, size, text, strlen(text));
}

int ui_line_height(struct ui *ui, enum ui_font f, int size)
{
    return ui->m.line_height(ui->m.ctx, f, size);
}

static int draw_text_n(struct ui *ui, int x, int y, const char *text, size_t n, enum ui_font f,
                       int size, struct ui_color c)
{
    int w = ui->m.width(ui->m.ctx, f, size, text, n);
    struct ui_rect r = {x, y, w, ui_line_height(ui, f, size)};
    if (n == 0 || !visible(ui, r))
        return w;
    struct ui_cmd *cmd = push_cmd(ui, UI_CMD_TEXT);
    cmd->rect = r;
    cmd->color = c;
    cmd->font = f;
    cmd->size = size;
    cmd->text = arena_put(ui, text, n);
    return w;
}

int ui_draw_text(struct ui *ui, int x, int y, const char *text, enum ui_font f, int size,
                 struct ui_color c)
{
    return draw_text_n(ui, x, y, text, strlen(text), f, size, c);
}

void ui_draw_qr(struct ui *ui, struct ui_rect r, const char *text, const char *label)
{
    if (visible(ui, r)) {
        struct ui_cmd *cmd = push_cmd(ui, UI_CMD_QR);
        cmd->rect = r;
        cmd->text = arena_put(ui, text, strlen(text));
    }
    ui_record(ui, label, "qr", r, ui_id(ui, label), false, 0);
}

/* ---- text widgets ---- */

static size_t next_cp(const char *s, size_t i, size_t n)
{
    i++;
    while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
        i++;
    return i;
}

/* Longest prefix of text[0..n), cut at a code point, whose width is at
 * most width. Binary search over the code point boundaries: widths grow
 * with the prefix. */
static size_t fit_prefix(struct ui *ui, enum ui_font f, int size, const char *text, size_t n,
                         int width)
{
    size_t lo = 0, hi = n; /* lo fits (the empty prefix does); find the largest */
    if (ui->m.width(ui->m.ctx, f, size, text, n) <= width)
        return n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        while (mid > lo && mid < n && ((unsigned char)text[mid] & 0xc0) == 0x80)
            mid--; /* back to a code point boundary */
        if (mid == lo) {
            /* No boundary strictly inside (lo, hi]: try the next one up. */
            size_t next = next_cp(text, lo, n);
            if (next > hi || ui->m.width(ui->m.ctx, f, size, text, next) > width)
                return lo;
            lo = next;
            continue;
        }
        if (ui->m.width(ui->m.ctx, f, size, text, mid) <= width)
            lo = mid;
        else
            hi = mid - 1;
    }
    while (lo > 0 && lo < n && ((unsigned char)text[lo] & 0xc0) == 0x80)
        lo--;
    return lo;
}

/* The end of the line that starts at p[start], a paragraph of para bytes:
 * the longest run of whole chunks (text.h) that fits in width, or 0 when
 * not even the first one fits. */
static size_t fit_chunks(struct ui *ui, enum ui_font f, int size, const char *p, size_t start,
                         size_t para, int width)
{
    size_t fit = 0, end = start;
    while (end < para) {
        size_t w = end;
        while (w < para && p[w] == ' ')
            w++;
        if (w >= para)
            return fit ? fit : para; /* trailing spaces; a line of spaces only */
        bool address;
        w = text_chunk_end(p, w, para, &address);
        if (ui->m.width(ui->m.ctx, f, size, p + start, w - start) > width)
            break;
        fit = end = w;
    }
    return fit;
}

int ui_wrap(struct ui *ui, enum ui_font f, int size, const char *text, int width,
            void (*line)(void *ctx, const char *start, size_t len, bool cut), void *ctx)
{
    int lines = 0;
    const char *p = text;
    while (*p) {
        size_t para = strcspn(p, "\n");
        size_t start = 0;
        do {
            size_t fit = fit_chunks(ui, f, size, p, start, para, width);
            bool cut = false;
            if (fit == 0) {
                /* The first chunk alone is wider than the line: an email or
                 * a URL stays whole, shortened by the caller; a word is cut
                 * by characters. */
                size_t ws = start;
                while (ws < para && p[ws] == ' ')
                    ws++;
                size_t ce = text_chunk_end(p, ws, para, &cut);
                fit = cut ? ce : start + fit_prefix(ui, f, size, p + start, para - start, width);
                if (fit == start)
                    fit = next_cp(p, start, para);
            }
            if (line)
                line(ctx, p + start, fit - start, cut);
            lines++;
            start = fit;
            while (start < para && p[start] == ' ')
                start++;
        } while (start < para);
        p += para;
        if (*p == '\n')
            p++;
    }
    return lines;
}

void ui_label(struct ui *ui, struct ui_rect r, const char *text, enum ui_font f, int size,
              struct ui_color c, enum ui_align align)
{
    size_t n = strlen(text);
    int w = ui->m.width(ui->m.ctx, f, size, text, n);
    int lh = ui_line_height(ui, f, size);
    int y = r.y + (r.h - lh) / 2;
    if (w <= r.w) {
        int x = align == UI_LEFT ? r.x : align == UI_CENTER ? r.x + (r.w - w) / 2 : r.x + r.w - w;
        draw_text_n(ui, x, y, text, n, f, size, c);
    } else {
        static const char ell[] = "\xe2\x80\xa6";
        int ew = ui->m.width(ui->m.ctx, f, size, ell, 3);
        size_t k = fit_prefix(ui, f, size, text, n, r.w - ew);
        while (k > 0 && text[k - 1] == ' ')
            k--;
        char tmp[1024];
        if (k > sizeof tmp - 4)
            k = sizeof tmp - 4;
        memcpy(tmp, text, k);
        memcpy(tmp + k, ell, 3);
        w = draw_text_n(ui, r.x, y, tmp, k + 3, f, size, c);
    }
    ui_record(ui, text, "text", r, ui_id(ui, text), false, w);
}

struct para_ctx {
    struct ui *ui;
    struct ui_rect r;
    enum ui_font f;
    int size, lh, max_lines, n, maxw;
    struct ui_color c;
    bool more;
};

static void para_line(void *vctx, const char *start, size_t len, bool cut)
{
    struct para_ctx *p = vctx;
    if (p->max_lines && p->n >= p->max_lines) {
        p->more = true;
        return;
    }
    int y = p->r.y + p->n * p->lh;
    int w;
    if (cut || (p->max_lines && p->n == p->max_lines - 1 && start[len] != '\0')) {
        /* The last allowed line of a longer text, and an address wider
         * than the line, end with an ellipsis. */
        char tmp[1024];
        int ew = ui_text_width(p->ui, p->f, p->size, "\xe2\x80\xa6");
        size_t k = fit_prefix(p->ui, p->f, p->size, start, len, p->r.w - ew);
        if (k > sizeof tmp - 4)
            k = sizeof tmp - 4;
        memcpy(tmp, start, k);
        memcpy(tmp + k, "\xe2\x80\xa6", 3);
        w = draw_text_n(p->ui, p->r.x, y, tmp, k + 3, p->f, p->size, p->c);
    } else {
        w = draw_text_n(p->ui, p->r.x, y, start, len, p->f, p->size, p->c);
    }
    if (w > p->maxw)
        p->maxw = w;
    p->n++;
}

int ui_paragraph(struct ui *ui, struct ui_rect r, const char *text, enum ui_font f, int size,
                 struct ui_color c, int max_lines)
{
    struct para_ctx p = {ui, r, f, size, ui_line_height(ui, f, size), max_lines, 0, 0, c, false};
    ui_wrap(ui, f, size, text, r.w, para_line, &p);
    int h = p.n * p.lh;
    ui_record(ui, text, "text", (struct ui_rect){r.x, r.y, r.w, h}, ui_id(ui, text), false, p.maxw);
    return h;
}
