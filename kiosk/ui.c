/* ui: immediate-mode core. See ui.h for the model; this file has three
 * parts: the frame's buffers (commands, elements, text arena), input
 * (taps, drags, inertia, typed text), then clips, scroll regions and
 * drawing. Text set in lines (wrapping, ellipses) is ui_text.c's, the
 * layout cursor ui_layout.c's, and what changed between two frames, so
 * what to redraw, ui_damage.c's. */
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ui_int.h"
#include "xalloc.h"

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
    if (id != ui->focus || cap == 0 || ui->measuring)
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
    ui->clamped = false;
    double dt = (double)(ui->ms - ui->prev_ms);
    for (int i = 0; i < UI_MAX_SCROLLS; i++) {
        struct ui_scroll *s = &ui->scrolls[i];
        s->used = false;
        if (s->vel == 0 || dt <= 0)
            continue;
        /* The exact distance of an exponential decay over dt, and its whole
         * rest when it stops: a fling goes as far (vel x tau) however slow
         * or uneven the frames are. */
        double decay = exp(-dt / UI_INERTIA_TAU_MS);
        s->offset += s->vel * UI_INERTIA_TAU_MS * (1 - decay) / 1000.0;
        s->vel *= decay;
        if (fabs(s->vel) < UI_INERTIA_STOP) {
            s->offset += s->vel * UI_INERTIA_TAU_MS / 1000.0;
            s->vel = 0;
        }
    }
}

bool ui_end(struct ui *ui)
{
    const struct ui_frame *a = &ui->cur, *b = &ui->prev;
    ui->changed = a->ncmds != b->ncmds || a->alen != b->alen ||
                  (a->ncmds && memcmp(a->cmds, b->cmds, a->ncmds * sizeof *a->cmds)) ||
                  (a->alen && memcmp(a->arena, b->arena, a->alen));
    /* A tap or typed text changed state mid-frame, or a scroll area was
     * drawn at an offset its content no longer reaches (a form losing
     * lines as the keyboard opens): draw once more. */
    bool animating = ui->input_used || ui->clamped;
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
    return id && !ui->measuring && ui->tap_id == id;
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
    double drawn = s->offset;
    scroll_clamp(s);
    ui->clamped = ui->clamped || (!ui->measuring && s->offset != drawn);
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

bool ui_scrolled_any(const struct ui *ui)
{
    for (int i = 0; i < UI_MAX_SCROLLS; i++)
        if (ui->scrolls[i].offset >= 1 || ui->scrolls[i].vel != 0)
            return true;
    return false;
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

int ui_draw_text_n(struct ui *ui, int x, int y, const char *text, size_t n, enum ui_font f,
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
    return ui_draw_text_n(ui, x, y, text, strlen(text), f, size, c);
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

void ui_draw_image(struct ui *ui, struct ui_rect r, const char *key)
{
    if (visible(ui, r)) {
        struct ui_cmd *cmd = push_cmd(ui, UI_CMD_IMAGE);
        cmd->rect = r;
        cmd->text = arena_put(ui, key, strlen(key));
    }
}
