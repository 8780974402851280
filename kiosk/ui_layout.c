/* ui_layout: the row/column cursor every screen places its parts with,
 * and the measuring pass that runs the same placing code without drawing
 * (see ui.h, "Layout"). */
#include <string.h>

#include "ui_int.h"

void ui_layout_begin(struct ui_layout *l, struct ui_rect body, int gap)
{
    memset(l, 0, sizeof *l);
    l->body = body;
    l->gap = gap;
    l->x = body.x;
    l->y = l->bottom = body.y;
}

/* Ends the current row, if it holds anything: the next starts a gap
 * under it. */
static void newline(struct ui_layout *l)
{
    if (l->x == l->body.x)
        return;
    l->y += l->row_h + l->gap;
    l->x = l->body.x;
    l->row_h = 0;
}

static struct ui_rect place(struct ui_layout *l, int w, int h)
{
    struct ui_rect r = {l->x, l->y, w, h};
    l->x += w + l->gap;
    if (h > l->row_h)
        l->row_h = h;
    if (l->y + h > l->bottom)
        l->bottom = l->y + h;
    return r;
}

void ui_layout_row(struct ui_layout *l, int items, const int *widths, int h)
{
    newline(l);
    if (items > UI_LAYOUT_ITEMS)
        items = UI_LAYOUT_ITEMS;
    l->items = items < 1 ? 1 : items;
    l->item = 0;
    l->h = h;
    int fixed = 0, shared = 0;
    for (int i = 0; i < l->items; i++) {
        l->widths[i] = widths ? widths[i] : 0;
        fixed += l->widths[i] > 0 ? l->widths[i] : 0;
        shared += l->widths[i] > 0 ? 0 : 1;
    }
    /* What the fixed items and the gaps leave, shared by the others; the
     * last of them takes the odd pixels so the row ends at the edge. */
    int left = l->body.w - fixed - (l->items - 1) * l->gap;
    for (int i = 0, k = 0; i < l->items; i++) {
        if (l->widths[i] > 0)
            continue;
        k++;
        l->widths[i] = k == shared ? left - (shared - 1) * (left / shared) : left / shared;
        if (l->widths[i] < 0)
            l->widths[i] = 0;
    }
}

struct ui_rect ui_layout_next(struct ui_layout *l)
{
    if (l->items == 0)
        ui_layout_row(l, 1, NULL, 0);
    if (l->item == l->items) {
        newline(l);
        l->item = 0;
    }
    return place(l, l->widths[l->item++], l->h);
}

struct ui_rect ui_layout_block(struct ui_layout *l, int h)
{
    ui_layout_row(l, 1, NULL, h);
    return ui_layout_next(l);
}

struct ui_rect ui_layout_flow(struct ui_layout *l, int w, int h)
{
    l->items = 0;
    if (l->x > l->body.x && l->x + w > l->body.x + l->body.w)
        newline(l);
    return place(l, w, h);
}

void ui_layout_grow(struct ui_layout *l, int h)
{
    if (h > l->row_h)
        l->row_h = h;
    if (l->y + h > l->bottom)
        l->bottom = l->y + h;
}

void ui_layout_space(struct ui_layout *l, int h)
{
    l->items = 0;
    l->x = l->body.x;
    l->row_h = 0;
    l->y = l->bottom = l->bottom + h;
}

int ui_layout_height(const struct ui_layout *l)
{
    return l->bottom - l->body.y;
}

int ui_layout_top(const struct ui_layout *l)
{
    return l->x == l->body.x ? l->y : l->y + l->row_h + l->gap;
}

int ui_layout_text(struct ui *ui, struct ui_layout *l, const char *text, enum ui_font f, int size,
                   struct ui_color c, int max_lines)
{
    struct ui_rect r = {l->body.x, ui_layout_top(l), l->body.w, 0};
    int h = ui_paragraph(ui, r, text, f, size, c, max_lines);
    ui_layout_block(l, h);
    return h;
}

/* ---- measuring ---- */

void ui_measure_begin(struct ui *ui)
{
    if (ui->measuring++ > 0)
        return;
    struct ui_measure_mark *m = &ui->measure;
    m->ncmds = ui->cur.ncmds;
    m->nels = ui->cur.nels;
    m->alen = ui->cur.alen;
    m->nscrolls = ui->cur.nscrolls;
    m->nclips = ui->nclips;
    m->nids = ui->nids;
    m->nscroll_stack = ui->nscroll_stack;
}

void ui_measure_end(struct ui *ui)
{
    if (ui->measuring == 0 || --ui->measuring > 0)
        return;
    const struct ui_measure_mark *m = &ui->measure;
    ui->cur.ncmds = m->ncmds;
    ui->cur.nels = m->nels;
    ui->cur.alen = m->alen;
    ui->cur.nscrolls = m->nscrolls;
    ui->nclips = m->nclips;
    ui->nids = m->nids;
    ui->nscroll_stack = m->nscroll_stack;
}

bool ui_measuring(const struct ui *ui)
{
    return ui->measuring > 0;
}
