/* look: sizes scaled to the window (see look.h). */
#include "look.h"

int look_ts(const struct look *k, int size)
{
    double scale = k->scale < theme_text_min_scale ? theme_text_min_scale : k->scale;
    double s = size * scale * (k->large ? theme_large_text : 1.0);
    return (int)(s + 0.5);
}

int look_sz(const struct look *k, int size)
{
    int v = (int)(size * k->scale + 0.5);
    return v < 1 ? 1 : v;
}

int look_touch(const struct look *k, int size)
{
    int v = look_sz(k, size);
    return v < look_touch_min(k) ? look_touch_min(k) : v;
}

int look_touch_min(const struct look *k)
{
    return k->scale >= 1 ? THEME_TOUCH_MIN_HD_PX : THEME_TOUCH_MIN_PX;
}
