/* screen_rooms_int.h: what the rooms screen (screen_rooms.c) and its
 * forms (screen_rooms_form.c) share. */
#ifndef SCEAUX_KIOSK_SCREEN_ROOMS_INT_H
#define SCEAUX_KIOSK_SCREEN_ROOMS_INT_H
#include <stdbool.h>
#include <stdint.h>

#include "app.h"

/* Does an occupying interval of room in the slots sl overlap [s, e)? */
bool screen_rooms_taken(const struct model_rows *sl, const char *room, int64_t s, int64_t e);
/* The hub's refusal code in the visitor's words; otherwise its message. */
const char *screen_rooms_refusal(struct app *a, const char *code, const char *message);
/* The booking form of the slot a->rooms.start, in r. */
void screen_rooms_book_form(struct app *a, struct ui_rect r, const struct model_rows *rooms,
                            const struct model_rows *sl);
/* The cancel form of the booking a->rooms.booking, in r. */
void screen_rooms_cancel_form(struct app *a, struct ui_rect r);

#endif
