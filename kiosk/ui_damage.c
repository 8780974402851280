/* ui_damage: what changed between the last two frames of the ui core,
 * as the few rectangles to redraw, and a scroll that moves pixels instead
 * of drawing them again (ui_damage_plan in ui.h). Commands are compared
 * in order; a scroll region's commands are compared shifted by its
 * offset's change. */
#include <stdlib.h>
#include <string.h>

#include "ui_int.h"
#include "xalloc.h"

static bool cmd_same(const struct ui *ui, const struct ui_cmd *a, const struct ui_cmd *b)
{
    if (a->type != b->type || memcmp(&a->rect, &b->rect, sizeof a->rect) ||
        memcmp(&a->color, &b->color, sizeof a->color) || a->radius != b->radius ||
        a->border != b->border || a->font != b->font || a->size != b->size)
        return false;
    if (a->type == UI_CMD_TEXT || a->type == UI_CMD_QR || a->type == UI_CMD_IMAGE)
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
