/* look: what the widgets see of the app (widget.h): the ui they draw
 * into, the palette, the scale of the window and whether text is larger,
 * the language and the window's size. The app holds one (struct app's
 * look) and changes it when a visitor picks another language, larger
 * text or contrast, and app_frame() when the window changes; a widget
 * reads it and never the rest of the app, so what a widget can depend on
 * is written here.
 *
 * Sizes are given at the reference scale (theme.h: the short side of the
 * window is 1080 px) and scaled with look_sz (spacing), look_ts (text,
 * larger when asked) and look_touch (touch targets, never under
 * look_touch_min). */
#ifndef SCEAUX_KIOSK_LOOK_H
#define SCEAUX_KIOSK_LOOK_H
#include <stdbool.h>

#include "i18n.h"
#include "theme.h"
#include "ui.h"

struct pictures;

struct look {
    struct ui *ui;                   /* borrowed */
    struct pictures *pictures;       /* borrowed, may be NULL (picture.h) */
    const struct theme_palette *pal; /* the palette of contrast, below */
    enum lang lang;
    bool large, contrast;
    double scale; /* the short side of the window / 1080, at least 0.4 */
    int w, h;     /* the window */
    bool portrait;
};

/* Sizes scaled to the window: text (with larger text) and spacing. */
int look_ts(const struct look *k, int size);
int look_sz(const struct look *k, int size);
/* The height of a touch target of design size size, never under
 * look_touch_min(): THEME_TOUCH_MIN_PX, or THEME_TOUCH_MIN_HD_PX when the
 * short side of the window is 1080 px or more. */
int look_touch(const struct look *k, int size);
int look_touch_min(const struct look *k);

#endif
