/* ui_int: the ui core's state, shared by ui.c (building a frame),
 * ui_text.c (lines of text), ui_layout.c (placing and measuring) and
 * ui_damage.c (comparing a frame with the one before). Nothing outside
 * those files includes it. */
#ifndef SCEAUX_KIOSK_UI_INT_H
#define SCEAUX_KIOSK_UI_INT_H
#include "ui.h"

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

/* What ui_measure_begin found, put back by ui_measure_end. */
struct ui_measure_mark {
    size_t ncmds, nels, alen;
    int nscrolls, nclips, nids, nscroll_stack;
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
    bool clamped;    /* a scroll area's content shrank under the offset it was drawn at */
    uint32_t focus;
    char typed[UI_TYPED_MAX]; /* typed text; '\b' backspace, '\n' enter */
    size_t ntyped;

    int measuring; /* depth of ui_measure_begin */
    struct ui_measure_mark measure;
};

/* One line of text[0..n) drawn at (x, y) (nothing when clipped out);
 * returns its width. */
int ui_draw_text_n(struct ui *ui, int x, int y, const char *text, size_t n, enum ui_font f,
                   int size, struct ui_color c);

#endif
