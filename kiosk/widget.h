/* widget: the kiosk's building blocks on top of the ui core, in the
 * theme's look: buttons with icon and words, chips, cards, text fields,
 * the AZERTY on-screen keyboard, empty states and dialogs.
 *
 * Widgets see the app through its struct look (look.h: the ui, palette,
 * scale, language, window) and nothing else; the on-screen keyboard
 * (which types into its queue) and forms (which remember the field they
 * brought above it) take the keyboard's state too (struct kbd, app.h). A
 * tap is told by the return value; the ui core asks for the frame after
 * it (ui_end).
 *
 * Every widget records its element (label, role) for the script runner;
 * a label is always the visible words, so tests find what a person sees. */
#ifndef SCEAUX_KIOSK_WIDGET_H
#define SCEAUX_KIOSK_WIDGET_H
#include "app.h"
#include "look.h"

enum w_style {
    W_PRIMARY,   /* filled with the primary colour */
    W_SECONDARY, /* outlined */
    W_QUIET,     /* text on the surface, no frame */
    W_SELECTED,  /* a selected navigation item or tab */
};

/* UTF-8 of an icon code point into out (5 bytes). */
void w_icon_utf8(unsigned cp, char out[5]);
/* Draws an icon at (x, y) (top-left); returns its width. */
int w_icon(struct look *k, int x, int y, unsigned cp, int size, struct ui_color c);

/* Natural width of a button with this label and icon (0: none). */
int w_button_width(struct look *k, const char *label, unsigned icon);
/* The least width that still shows its words whole (no side padding). */
int w_button_min_width(struct look *k, const char *label, unsigned icon);
bool w_button(struct look *k, struct ui_rect r, const char *label, unsigned icon,
              enum w_style style);
/* A filter chip; a colour dot when dot.a > 0. */
int w_chip_width(struct look *k, const char *label);
bool w_chip(struct look *k, struct ui_rect r, const char *label, struct ui_color dot,
            bool selected);
/* A row of chips, one of them selected, wrapping within r->w and cut off
 * the top of *r: labels[i], with the colour dot dots[i] (dots may be
 * NULL). A tap selects i into *sel, resets the scroll area scroll and
 * makes it return true (the selected chip tapped again too). */
bool w_chip_row(struct look *k, struct ui_rect *r, const char *const *labels,
                const struct ui_color *dots, int n, int *sel, const char *scroll);
/* The height w_chip_row takes in a width w. */
int w_chip_row_height(struct look *k, int w, const char *const *labels, const struct ui_color *dots,
                      int n);

/* ---- pictures ----
 * A row's picture (picture.h) in r, or its placeholder until the
 * picture is decoded, or when there is none or it does not decode: the
 * colour bg with the pictogram icon, as the domains are drawn. Recorded
 * with role "picture" (shown) or "placeholder" and the alternative text
 * as label ("" without a picture). */
struct w_pic {
    const char *sha, *alt; /* the row's picture and picture_alt ("" or NULL: none) */
    struct ui_color bg;
    unsigned icon;
    bool whole; /* the whole picture within r (a poster), else r filled, cropped */
};
void w_picture(struct look *k, struct ui_rect r, const struct w_pic *pic);
/* A card's picture at the right of its inner area *in, which loses that
 * part and a gap; none when the words would be left narrower than 300
 * (a design size of text). */
void w_card_picture(struct look *k, struct ui_rect *in, const struct w_pic *pic);

/* ---- lists of cards ----
 * The inside of a card of a list (initiatives, actors), placed down in
 * with the layout cursor: a row of tags (the caller's, in parts->tags),
 * then, beside a picture at the right (w_card_picture), the title in bold
 * on at most title_lines lines, its text in the lines left and a foot of
 * one small line (the caller's, in parts->foot) when foot. The lines are
 * kept whatever the words, so the cards of a list are all as high:
 * w_card_words_height gives it from the same code, measured. Returns the
 * height placed. */
struct w_card_words {
    const char *title, *text;
    int title_lines, text_lines;
    int under_tags; /* design px between the tags and the words */
    bool foot;
    struct w_pic pic;
};
struct w_card_parts {
    struct ui_rect tags, foot;
};
int w_card_words(struct look *k, struct ui_rect in, const struct w_card_words *c,
                 struct w_card_parts *parts);
int w_card_words_height(struct look *k, const struct w_card_words *shape);

/* A list's cards, n of them, each h high, in columns at least card_w wide
 * (a design size of text: wider with larger text; at most max_cols, 0:
 * any) in the scroll area named
 * scroll over r, under a head of head px that scrolls with them (the
 * caller draws it from top). All as high, only the rows in view are
 * placed: 10,000 cards scroll as smoothly as ten. w_grid_next hands out
 * each card in view, its index in *i, placed with the layout cursor;
 * w_grid_end closes the scroll area. The caller sets n, h, head, card_w
 * and max_cols; w_grid_begin the rest. */
struct w_grid {
    int n, h, head, card_w, max_cols;
    int top; /* the content's top, scrolled: where the head goes */
    struct look *k;
    struct ui_rect r;
    struct ui_layout l;
    int cols, i;
};
void w_grid_begin(struct look *k, struct w_grid *g, const char *scroll, struct ui_rect r);
/* The width of a column of g over a width w (before w_grid_begin: cards
 * measured for their height). */
int w_grid_width(struct look *k, const struct w_grid *g, int w);
bool w_grid_next(struct w_grid *g, int *i, struct ui_rect *cell);
void w_grid_end(struct w_grid *g);

/* ---- filters ----
 * A filter of a list: its name and its choices, choice 0 being "all".
 * Screens draw it as a row of chips (w_chip_row of labels, dots) or as a
 * button that shows its chips in place of the list (w_filter_buttons). */
#define W_CHOICES_MAX 16
struct w_filter {
    const char *name;                    /* "Domaine", borrowed */
    const char *labels[W_CHOICES_MAX];   /* labels[0]: all; borrowed */
    struct ui_color dots[W_CHOICES_MAX]; /* alpha 0: no dot */
    int n;
    int *sel; /* the choice picked, in [0, n) */
};
/* A filter over the values of a protocol enum (model_values), shown by
 * name(); all: the word for "all". */
void w_filter_values(struct look *k, struct w_filter *f, const char *name, int *sel, enum str all,
                     const char *const *values, const char *(*display)(enum lang, const char *));
/* The domain filter: "Tous" and the domains with their colours. */
void w_filter_domains(struct look *k, struct w_filter *f, int *sel);
/* The same under another name, with another word for none (an idea's
 * theme: "Sans thème"). */
void w_filter_domains_as(struct look *k, struct w_filter *f, int *sel, enum str name, enum str all);
/* The protocol value picked on a filter over values, or NULL for all. */
const char *w_filter_value(const struct w_filter *f, const char *const *values);
/* A button per filter ("Catégorie : Toutes"), wrapping within r->w, cut
 * off the top of *r; a tap shows or hides that filter's chips (*choosing:
 * 0 none, i + 1 filter i). */
void w_filter_buttons(struct look *k, struct ui_rect *r, const struct w_filter *f, int n,
                      int *choosing);
/* The chips of filter *choosing - 1 in r; picking one closes them and
 * resets the scroll area scroll. */
void w_filter_chooser(struct look *k, struct ui_rect r, const struct w_filter *f, int *choosing,
                      const char *scroll);
/* The choices picked on the filters, joined by " · " into out ("" when
 * all are on "all"): what a count or an empty state says is filtered. */
void w_filter_summary(const struct w_filter *f, int n, char *out, size_t cap);

/* A small coloured tag (domain, state); returns its width. */
int w_tag(struct look *k, int x, int y, const char *text, struct ui_color bg, struct ui_color fg);
int w_tag_height(struct look *k);

void w_card(struct look *k, struct ui_rect r);
/* A tappable card: background, pressed state, recorded with role "card"
 * and the label; returns whether it was tapped. */
bool w_card_button(struct look *k, struct ui_rect r, const char *label);

/* A one-line text field with its name as label; tapping it gives it the
 * keyboard. Returns true when enter was pressed. */
bool w_field(struct look *k, struct ui_rect r, const char *name, char *buf, size_t cap,
             int max_chars);
/* A multi-line field of height r.h. */
void w_area(struct look *k, struct ui_rect r, const char *name, char *buf, size_t cap,
            int max_chars);
/* Height of the letters keyboard for width w (0: a wide one), and of
 * the digits keypad. */
int w_keyboard_height(struct look *k, int w);
int w_keypad_height(struct look *k);
/* The keyboard in r (the digits keypad when digits): a key tapped goes
 * to kb's queue (and returns true: another frame is needed), Done takes
 * the focus away. */
bool w_keyboard(struct look *k, struct kbd *kb, struct ui_rect r, bool digits);

/* ---- forms ----
 * A form in r that scrolls when it does not fit (the on-screen keyboard
 * open, a small display): draw it from f->y (its top, scrolled), mark with
 * w_form_keep the band that must show while one of its fields is typed
 * into (the field, its message and its buttons) and end with its bottom.
 * When the keyboard opens on a field, or the window changes size, the
 * form scrolls so that this band shows above the keyboard, as phones do
 * (w_form_end then returns true: another frame is needed); a drag still
 * reaches the rest. kb remembers the field it was done for. */
struct w_form {
    const char *label;
    struct ui_rect r;
    int y;            /* the form's top, scrolled */
    int keep0, keep1; /* the band to show, frame coordinates; keep1 <= keep0: none */
};
void w_form_begin(struct look *k, struct w_form *f, const char *label, struct ui_rect r);
void w_form_keep(struct w_form *f, int y, int h);
bool w_form_end(struct look *k, struct kbd *kb, struct w_form *f, int bottom);

/* Title line; returns its height. */
int w_title(struct look *k, struct ui_rect r, const char *text, unsigned icon);
/* The width a title needs to show whole. */
int w_title_width(struct look *k, const char *text, unsigned icon);
/* A friendly empty state: icon and sentence, centred in a card. */
void w_empty(struct look *k, struct ui_rect r, unsigned icon, const char *text);
/* A dialog of at most w x h centred over everything, behind a scrim
 * that swallows taps; returns its inner area, W_DIALOG_PAD (design
 * size) in from its edges. */
#define W_DIALOG_PAD 36
struct ui_rect w_dialog(struct look *k, int w, int h);

/* ---- detail pages ---- */

/* The Back button of a detail page, cut with a gap off the top of *r.
 * Returns true when tapped: the caller closes the page and draws nothing
 * more. */
bool w_back(struct look *k, struct ui_rect *r);
/* Cuts a detail page's side panel off *r with a gap: at the bottom, h
 * high, in portrait; at the right, w wide, otherwise (design sizes). */
struct ui_rect w_side(struct look *k, struct ui_rect *r, int w, int h);
/* A QR code of text, 260 wide (design size; on a small screen at least
 * QR_MIN_PX pixels) or less to fit r, centred at its top with its caption
 * below, when text is not empty and r leaves room enough. */
void w_qr(struct look *k, struct ui_rect r, const char *text, enum str caption);
/* w_qr of row i of model_event(): the event as iCalendar, which a phone
 * adds to its calendar without a network ("Ajouter à mon agenda"). */
void w_qr_event(struct look *k, struct ui_rect r, const struct model_rows *ev, int i);
/* w_qr of row i of model_organizations(): its public contact card as a
 * vCard, which a phone saves without a network ("Enregistrer le contact"). */
void w_qr_card(struct look *k, struct ui_rect r, const struct model_rows *org, int i);

#endif
