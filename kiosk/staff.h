/* staff: what the kiosk keeps for the people who run it, behind the
 * staff gesture (five taps on the site name within a few seconds): a PIN,
 * then the sync health (connection, last success, last error and its
 * reason, changes waiting, changes the hub refused) and the way out of the
 * kiosk. Visitors see none of it; the idle reset closes it. */
#ifndef SCEAUX_KIOSK_STAFF_H
#define SCEAUX_KIOSK_STAFF_H
#include "app.h"

/* A tap on the site name: opens the PIN dialog on the gesture's last tap. */
void staff_tap(struct app *a);
/* Draws the PIN dialog or the panel over everything, when open. */
void staff_draw(struct app *a);
/* Closed, locked, its PIN and gesture forgotten (the idle reset). */
void staff_reset(struct app *a);
/* Whether the PIN dialog or the panel is open (the idle reset closes it). */
bool staff_used(const struct app *a);

#endif
