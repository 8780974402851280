/* app: the kiosk's state and its frame (the shell around the screens).
 *
 * One `struct app` holds the configuration, the model, the ui, the
 * settings a visitor may change (language, larger text, contrast) and the
 * state of every screen, including everything typed; an idle reset
 * (app_reset) wipes it, each screen's part through that screen's reset
 * hook (the screens[] table in app.c). app_frame() draws one frame:
 * status bar, urgent banner, the current screen (dispatched through
 * screens[] in app.c), navigation bar, on-screen keyboard and dialogs.
 * main.c owns SDL and calls app_frame(); script.c drives it in tests. */
#ifndef SCEAUX_KIOSK_APP_H
#define SCEAUX_KIOSK_APP_H
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "i18n.h"
#include "id.h"
#include "look.h"
#include "model.h"
#include "tables.h"
#include "theme.h"
#include "ts.h"
#include "ui.h"

/* Ideas one visitor may support in one visit (more is a script, not a
 * person: the button no longer shows). */
#define APP_IDEA_SUPPORTS 16

enum screen_id {
    SCR_HOME,
    SCR_INITIATIVES,
    SCR_AGENDA,
    SCR_ROOMS,
    SCR_NEWS,
    SCR_DIRECTORY,
    SCR_IDEAS,
    SCR_FIGURES,
    SCR_COUNT
};

struct app_config {
    const char *db, *kiosk, *site, *script, *pin, *screenshots;
    const char *pictures; /* the picture cache folder; NULL: <db>.pictures */
    const char *font_regular, *font_bold, *font_icons;
    int width, height; /* 0: the display's size (main.c) */
    bool fullscreen, accelerated;
    enum lang lang;
    int idle_s;
    /* Night: from sleep_from to sleep_until (minutes since midnight, Paris
     * time; the span may cross midnight), once idle, the screen goes black
     * and the display may power down; a touch wakes it. Both -1: never. */
    int sleep_from, sleep_until;
};

/* A window size "WxH" (each 200 to 8192), from the config file, a flag or
 * a script; ERR_INVALID otherwise, *w and *h then untouched. */
MUST_USE enum err app_parse_size(const char *s, int *w, int *h);
/* Night hours "HH:MM-HH:MM" (different times) into minutes since
 * midnight; ERR_INVALID otherwise, *from and *until then untouched. */
MUST_USE enum err app_parse_hours(const char *s, int *from, int *until);

/* The on-screen keyboard's state, what w_keyboard and forms see besides
 * the look (widget.h): the keys tapped, typed into the ui before the next
 * frame (main.c); shift; whether it shows this frame; the field a form
 * last brought above it, in a window of that size. */
struct kbd {
    char queue[64];
    bool shift; /* the next letter in capitals */
    bool open;  /* drawn this frame */
    struct {
        uint32_t field;
        int w, h;
    } shown;
};

struct app {
    struct app_config cfg;
    struct model *model;
    struct ui *ui;
    /* What widgets see: the same ui, the pictures (borrowed, may be NULL),
     * the palette, the language, larger text and contrast, the window. */
    struct look look;
    int64_t now;
    struct ts_local local;
    uint64_t ms;
    enum screen_id screen;
    int64_t last_input;
    bool quit;
    bool redraw; /* something asked for another frame */
    bool asleep; /* the night's black screen is shown */
    bool waking; /* touched while asleep: awake once the finger lifts */
    struct kbd kbd;
    bool offline; /* from sync_state, this frame */
    char toast[240];
    int64_t toast_until;
    int64_t wake_at;  /* a screen wants a frame at this time (0: none); set per frame */
    bool alerts_open; /* the urgent announcements, whole, over the screen */
    struct {
        char query[128];
        int domain; /* index in tables_domains + 1, 0 = all */
        int stage;  /* index in the initiative's stages + 1, 0 = all */
        char open[ID_MAX + 1];
        char supported[ID_MAX + 1]; /* supported during this visit */
        int choosing;               /* folded filters: the one whose chips are open + 1, 0 = none */
    } ini;
    struct {
        int period;   /* enum agenda_period (screen_agenda.c) */
        int64_t day;  /* the day picked on the calendar (its local midnight) */
        int month;    /* the calendar's month: 0 this one, 1 the next... */
        int category; /* index in the category chips, 0 = all */
        int domain;   /* index in tables_domains + 1, 0 = all */
        int choosing; /* the filter whose chips replace the list, 0 = none */
        char open[ID_MAX + 1];
        char open_at[TS_LEN + 1]; /* the start of the occurrence open */
    } agenda;
    struct {
        int day; /* 0 today, 1 tomorrow, ... */
        char room[ID_MAX + 1];
        int64_t start;                        /* chosen slot, 0 = none */
        int length;                           /* minutes */
        char name[TABLES_HOLDER_MAX * 4 + 1]; /* holder, UTF-8 */
        char code[8];                         /* shown after booking */
        char change[ID_NEW_LEN + 1];          /* the booking or cancel sent, awaiting the hub */
        int64_t sent_at;
        char booking[ID_MAX + 1]; /* the booking being cancelled */
        char cancel_code[16];
        bool booked, cancel_sent; /* the answer to `change` shows */
        bool autofocus;           /* give the name field the keyboard on opening */
        char error[160];
    } rooms;
    struct {
        bool sent;
        char text[TABLES_IDEA_TEXT_MAX * 4 + 1];
        char author[TABLES_IDEA_AUTHOR_MAX * 4 + 1];
        char error[160];
        int theme;     /* the idea's theme: index in tables_domains + 1, 0 = none */
        int picking;   /* 1 while the theme's chips replace the form */
        int domain;    /* the ideas shown: index in tables_domains + 1, 0 = all */
        int choosing;  /* 1 while the theme filter's chips replace the list */
        bool browsing; /* the list alone, where the form leaves it no room */
        char open[ID_MAX + 1];
        /* Supported during this visit: each idea once. */
        char supported[APP_IDEA_SUPPORTS][ID_MAX + 1];
        int nsupported;
    } ideas;
    struct {
        char initiative[ID_MAX + 1]; /* the form is open for it ("" = closed) */
        bool consent, sent;
        char name[TABLES_OFFER_NAME_MAX * 4 + 1];
        char contact[TABLES_CONTACT_MAX + 1];
        char error[200];
    } offer; /* "Je veux m'engager" on an initiative (screen_offer.c) */
    struct {
        int kind;     /* index in the organisation's kinds + 1, 0 = all */
        int domain;   /* index in tables_domains + 1, 0 = all */
        int choosing; /* the filter whose chips replace the list, 0 = none */
        char open[ID_MAX + 1];
        /* The accompaniment path (screen_accompany.c): 0 off, 1 to 3 its
         * questions, 4 its answer; each answer an index in its protocol
         * list + 1, 0 = any. */
        int step, p_domain, p_stage, p_need;
        bool from_home; /* its first Back goes Home */
        int back_to;    /* the screen + 1 an actor's page was opened from (0: this one) */
    } dir;
    struct {
        int taps;
        int64_t first;
        bool open;     /* the PIN dialog or, once unlocked, the panel */
        bool unlocked; /* the right PIN was typed */
        char pin[16];
        bool wrong;
    } staff;
};

void app_init(struct app *a, const struct app_config *cfg, struct model *m, struct ui *ui);
/* Draws one frame of width x height at time ms. */
void app_frame(struct app *a, int width, int height, uint64_t ms);
/* Back to Home with every typed field and open detail cleared. */
void app_reset(struct app *a);
/* An input happened now (postpones the idle countdown). */
void app_touched(struct app *a);
/* Seconds left before the idle reset while the countdown shows, else -1. */
int app_countdown(const struct app *a);
void app_set_lang(struct app *a, enum lang l);
void app_toast(struct app *a, const char *text);

/* Cards shared by several screens (screen_initiatives.c,
 * screen_agenda.c): return whether they were tapped. */
int screen_initiative_card_height(struct app *a);
bool screen_initiative_card(struct app *a, struct ui_rect r, const struct model_rows *rows, int i);
int screen_event_row_height(struct app *a);
/* with_day: say the day when it is not today (lists without day headings). */
bool screen_event_row(struct app *a, struct ui_rect r, const struct model_rows *rows, int i,
                      bool with_day);
/* Opens the detail of event row i (its occurrence, for a series). */
void screen_event_open(struct app *a, const struct model_rows *rows, int i);
/* The announcements now, urgent ones first; *urgent: how many are. */
const struct model_rows *screen_news_rows(struct app *a, int *urgent);
/* The urgent announcements whole, in a dialog over everything
 * (screen_news.c), one of the shell's overlays: opened by a tap on the
 * banner, drawn while open, closed by its button, when the last one ends
 * or by the idle reset (screen_urgent_reset); used while open. */
void screen_urgent_dialog(struct app *a);
void screen_urgent_open(struct app *a);
void screen_urgent_reset(struct app *a);
bool screen_urgent_used(const struct app *a);
/* The supports of a row and the button adding one, at the top of in;
 * once done, the thanks in its place. *tapped: the button was tapped.
 * Returns the height used (screen_initiatives.c). */
int screen_support(struct app *a, struct ui_rect in, int64_t count, bool done, bool *tapped);
struct w_pic;
/* A detail page's picture as the next row of l, on a page page_h high
 * (the placeholder while it is on its way, nothing when the row names
 * none). */
void screen_detail_picture(struct app *a, struct ui_layout *l, int page_h, const struct w_pic *pic);
/* Domain colour and icon (index in tables_domains, or the neutral one). */
struct ui_color screen_domain_color(const char *domain);
unsigned screen_domain_icon(const char *domain);

/* The help offer's form over an initiative's detail r, for row 0 of
 * model_initiative() (screen_offer.c); its state is a->offer, wiped with
 * the initiatives' (screen_initiatives_reset). */
void screen_offer(struct app *a, struct ui_rect r, const struct model_rows *d);

/* Screens (screen_*.c), each drawing into r. */
void screen_home(struct app *a, struct ui_rect r);
void screen_initiatives(struct app *a, struct ui_rect r);
void screen_agenda(struct app *a, struct ui_rect r);
void screen_rooms(struct app *a, struct ui_rect r);
void screen_news(struct app *a, struct ui_rect r);
void screen_directory(struct app *a, struct ui_rect r);
void screen_ideas(struct app *a, struct ui_rect r);
void screen_figures(struct app *a, struct ui_rect r);
/* The accompaniment path inside the directory (screen_accompany.c):
 * start it on its first question, draw its current step. */
void screen_accompany_start(struct app *a, bool from_home);
void screen_accompany(struct app *a, struct ui_rect r);
/* Organisation org's page in the directory, from another screen. */
void screen_directory_open(struct app *a, const char *org);
/* Each screen's state as a new visitor finds it (app_reset, app_init). */
void screen_initiatives_reset(struct app *a);
void screen_agenda_reset(struct app *a);
void screen_rooms_reset(struct app *a);
void screen_directory_reset(struct app *a);
void screen_ideas_reset(struct app *a);
/* Whether a screen holds a visitor's state (typed text, a filter, a page
 * open, a code awaiting its answer...): what its reset would clear. Home
 * then counts down to the idle reset, as it does on any other screen. */
bool screen_initiatives_used(const struct app *a);
bool screen_agenda_used(const struct app *a);
bool screen_rooms_used(const struct app *a);
bool screen_directory_used(const struct app *a);
bool screen_ideas_used(const struct app *a);
/* The rooms' field with the focus takes digits (a cancel code): the
 * keypad instead of the letters. */
bool screen_rooms_keypad(const struct app *a);
/* Its navigation item tapped again: the page open closes, back to the
 * list as it was (filters, search and typed text kept). */
void screen_initiatives_list(struct app *a);
void screen_agenda_list(struct app *a);
void screen_rooms_list(struct app *a);
void screen_directory_list(struct app *a);

#endif
