/* script: the test driver behind `--script FILE`.
 *
 * One command per line (blank lines and lines starting with # ignored):
 *   tap LABEL            a tap at the centre of the visible element
 *   touch X Y            a tap at a point, whatever is there (a black screen)
 *   type TEXT            text into the focused field (fails if none)
 *   drag LABEL DX DY     press on the element, move by DX DY, release
 *   wait LABEL           until an element shows (at most 10 s of frames)
 *   wait-picture ALT     until a picture whose alternative text holds ALT
 *                        is drawn (decoded, not its placeholder; 10 s)
 *   expect LABEL         an element is on screen now
 *   expect-not LABEL     no element is
 *   advance SECONDS      moves the app clock forward (ts_set_clock)
 *   screenshot PATH.png  / dump PATH.json (labels, roles, rectangles; the
 *                        lines of text as drawn)
 *   size WxH             resizes the window
 *   lang fr|en           switches the language
 *   quit                 ends the run with exit status 0
 * and, for benches (SCEAUX_KIOSK_STATS prints the figures at exit):
 *   mark                 counters measured from here
 *   redraw N             draws the unchanged frame N times
 *   baseline N           N bare clear+present frames, for comparison
 * tap and drag want an element labelled exactly LABEL (a clickable one if
 * any); wait, expect and expect-not also accept LABEL as a substring of a
 * label. Before each command the app is given frames
 * until it settles. A failing command prints "script:LINE: reason" on
 * stderr and the run exits 1. The end of the file is a quit. With
 * --screenshots DIR, relative PNG and JSON paths are written under DIR. */
#ifndef SCEAUX_KIOSK_SCRIPT_H
#define SCEAUX_KIOSK_SCRIPT_H
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "err.h"

struct script;

/* What the script needs from main.c (SDL lives there). */
struct script_host {
    struct app *app;
    void *ctx;
    const char *out_dir; /* relative screenshot/dump paths go here; NULL: cwd */
    enum err (*screenshot)(void *ctx, const char *path, char *errbuf, size_t errlen);
    void (*resize)(void *ctx, int w, int h);
    /* For benches: redraw the current frame n times (no change), draw n
     * bare clear+present frames as a baseline, and mark the counters. */
    void (*redraw)(void *ctx, int n);
    void (*baseline)(void *ctx, int n);
    void (*mark)(void *ctx);
};

enum script_status { SCRIPT_RUNNING, SCRIPT_DONE, SCRIPT_FAILED };

MUST_USE enum err script_load(const char *path, struct script **out, char *errbuf, size_t errlen);
void script_free(struct script *s);
/* Advances the script by one step; called before each frame. On
 * SCRIPT_FAILED, errbuf holds "script:LINE: reason". *delay_ms is how long
 * the caller may wait before the next step (0: at once). */
enum script_status script_step(struct script *s, struct script_host *h, int *delay_ms, char *errbuf,
                               size_t errlen);

/* The clock handed to ts_set_clock(): real time plus what `advance` added. */
int64_t script_clock(void);

/* Writes the frame's elements as JSON to path. */
MUST_USE enum err script_dump(const struct app *a, const char *path, char *errbuf, size_t errlen);

#endif
