/* model: the kiosk's view of the replica (queries and its three writes).
 *
 * The kiosk reads only the local replica, never the network. Queries
 * return rows of text cells (struct model_rows), cached until the replica
 * changes (PRAGMA data_version, checked by model_poll between frames and
 * model_refresh at the start of one) or the parameters change, so a
 * screen may ask every frame. Each query's columns are the
 * enum beside it. Writes (support, booking, cancel, proposal, help offer) are outbox
 * rows, PROTOCOL push changes that syncd sends; the UI shows them as
 * pending until push_result holds the hub's answer.
 *
 * Start reading at model_open() and model_rows. Cells are borrowed, valid
 * until the next call of the same query or model_close(). */
#ifndef SCEAUX_KIOSK_MODEL_H
#define SCEAUX_KIOSK_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "fault.h"
#include "id.h"

struct model;

struct model_rows {
    int n, ncols;
    char **cell; /* n * ncols, NULL for SQL NULL */
};

/* Cell (i, j), "" when NULL. */
const char *model_str(const struct model_rows *r, int i, int j);
/* Cell as an integer (0 when NULL). */
int64_t model_int(const struct model_rows *r, int i, int j);
/* The first row from `from` on whose column j is value, or -1. */
int model_find(const struct model_rows *r, int j, const char *value, int from);

MUST_USE enum err model_open(const char *path, struct model **out, char *errbuf, size_t errlen);
void model_close(struct model *m);
/* Polls PRAGMA data_version (at most every 250 ms of ms); true when the
 * replica changed since the last poll. */
bool model_poll(struct model *m, uint64_t ms);
/* The same check now, unthrottled: called at the start of each frame so
 * that the status bar and the screen read the replica as of one check
 * (a cache hit would otherwise show rows older than a cache miss). */
bool model_refresh(struct model *m);

/* Reads. site and kiosk may be NULL. Times are wire text. */
/* Each row's picture (the SHA-256 of its file, picture.h) and its
 * alternative text come last, NULL when there is none. */
enum {
    INI_ID,
    INI_TITLE,
    INI_SUMMARY,
    INI_DOMAIN,
    INI_STAGE,
    INI_CARRIER,
    INI_SUPPORTS,
    INI_PICTURE,
    INI_PICTURE_ALT
};
/* Published initiatives of domain and stage (NULL: any) matching query
 * (NULL or no word: all), most supported first; search results best
 * match first. */
const struct model_rows *model_initiatives(struct model *m, const char *domain, const char *stage,
                                           const char *query);
enum {
    INID_ID,
    INID_TITLE,
    INID_SUMMARY,
    INID_DOMAIN,
    INID_STAGE,
    INID_CARRIER,
    INID_SUPPORTS,
    INID_DESCRIPTION,
    INID_CONTACT,
    INID_URL,
    INID_PICTURE,
    INID_PICTURE_ALT
};
const struct model_rows *model_initiative(struct model *m, const char *id);
/* One published initiative that changes with the day. */
const struct model_rows *model_featured(struct model *m, int64_t day);

enum {
    EV_ID,
    EV_TITLE,
    EV_STARTS,
    EV_ENDS,
    EV_CATEGORY,
    EV_PLACE,
    EV_DOMAIN,
    EV_ORGANIZER,
    EV_DESCRIPTION,
    EV_URL,
    EV_ROOM,
    EV_RRULE,
    EV_ORG, /* the organisation it is linked to, or "" */
    EV_PICTURE,
    EV_PICTURE_ALT
};
/* Events overlapping [from, to) of category and domain (each NULL for
 * any: the two filters combine), by start. A recurring event (EV_RRULE,
 * rrule.h) comes as one row per occurrence in the window, EV_STARTS and
 * EV_ENDS those of the occurrence. model_events_month is the same query
 * in a cache of its own, for the calendar's month. */
const struct model_rows *model_events(struct model *m, const char *from, const char *to,
                                      const char *category, const char *domain);
const struct model_rows *model_events_month(struct model *m, const char *from, const char *to,
                                            const char *category, const char *domain);
/* The first event (occurrence) starting at or after `after`, within about
 * a year, of category and domain (NULL: any): zero rows or one. */
const struct model_rows *model_event_next(struct model *m, const char *after, const char *category,
                                          const char *domain);
const struct model_rows *model_event(struct model *m, const char *id);
/* Events overlapping [from, to) on the home screen, at most 12, as
 * model_events (a separate cache). */
const struct model_rows *model_events_home(struct model *m, const char *from, const char *to);
/* Events linked to an organisation (EV_ORG) overlapping [from, to), as
 * model_events: the screens pick those of the actors they show. */
const struct model_rows *model_events_linked(struct model *m, const char *from, const char *to);

enum { ROOM_ID, ROOM_NAME, ROOM_CAPACITY, ROOM_EQUIPMENT, ROOM_OPENS, ROOM_CLOSES };
/* Bookable rooms of site, by name. */
const struct model_rows *model_rooms(struct model *m, const char *site);

/* What occupies rooms of site in [from, to), never who (kiosks receive
 * no holder, and keep none of their own bookings): the state is "confirmed",
 * "cancelling" (a cancel is in the outbox), "pending" (the booking is in
 * the outbox), "applied" (accepted, not yet pulled) or "refused" (with
 * the hub's message in SLOT_REASON and its error code in SLOT_ERROR). */
enum {
    SLOT_ROOM,
    SLOT_STARTS,
    SLOT_ENDS,
    SLOT_STATE,
    SLOT_BOOKING,
    SLOT_REASON,
    SLOT_LOCAL,
    SLOT_ERROR
};
const struct model_rows *model_slots(struct model *m, const char *site, const char *from,
                                     const char *to);

enum {
    ANN_ID,
    ANN_TITLE,
    ANN_BODY,
    ANN_PRIORITY,
    ANN_STARTS,
    ANN_ENDS,
    ANN_PICTURE,
    ANN_PICTURE_ALT
};
/* Announcements for this kiosk at time now: target all, site:<site> or
 * kiosk:<kiosk>, starts_at <= now < ends_at; urgent first, then the
 * latest to start and, for the same start, the latest published. */
const struct model_rows *model_announcements(struct model *m, const char *site, const char *kiosk,
                                             const char *now);

enum {
    ORG_ID,
    ORG_NAME,
    ORG_KIND,
    ORG_DESCRIPTION,
    ORG_DOMAIN,
    ORG_CONTACT,
    ORG_URL,
    ORG_ADDRESS,
    ORG_OFFERS, /* a set of tables_offers, or "" */
    ORG_STAGES, /* a set of tables_stages, or "" */
    ORG_PICTURE,
    ORG_PICTURE_ALT
};
/* The values of a protocol enum column, NULL-terminated (an empty list
 * for another column): the choices of a filter. Static. */
const char *const *model_values(const char *table, const char *column);

/* The organisations of kind and domain (NULL: any), support bodies first. */
const struct model_rows *model_organizations(struct model *m, const char *kind, const char *domain);
/* One organisation (zero rows or one). */
const struct model_rows *model_organization(struct model *m, const char *id);
/* The actors of the accompaniment path: organisations that offer
 * something, accompany stage and offer need (NULL: any); those of domain
 * first (others help any domain), then support bodies, by name. */
const struct model_rows *model_accompany(struct model *m, const char *domain, const char *stage,
                                         const char *need);
/* Every value of tables_offers that some organisation offers, as a set
 * (tables_set_has), "" when none. */
const char *model_offers_present(struct model *m);
/* The published initiatives linked to organisation org (INI_ columns). */
const struct model_rows *model_org_initiatives(struct model *m, const char *org);

enum {
    PROP_ID,
    PROP_TEXT,
    PROP_DOMAIN,
    PROP_AUTHOR,
    PROP_CREATED,
    PROP_SUPPORTS,
    PROP_OUTCOME,
    PROP_ANSWER
};
/* Published proposals of domain (their theme; NULL: any), newest first.
 * PROP_AUTHOR is only the first word of author_name (a first name, never
 * a full name on a public screen); PROP_SUPPORTS is 0 when the hub sent
 * none; PROP_OUTCOME and PROP_ANSWER are "" until the city answers. */
const struct model_rows *model_proposals(struct model *m, const char *domain);

enum {
    FIG_ID,
    FIG_CHART,
    FIG_KIND,
    FIG_LABEL,
    FIG_LABEL_EN,
    FIG_DOMAIN,
    FIG_VALUE,
    FIG_UNIT,
    FIG_QUALIFIER,
    FIG_SOURCE,
    FIG_YEAR
};
/* The key figures, chart by chart (the charts in the order of their first
 * position), each chart's by position: its rows are consecutive. */
const struct model_rows *model_figures(struct model *m);

struct model_sync {
    bool online;
    char last_ok[32];       /* wire time or "" */
    char last_error[32];    /* wire time or "" */
    char error_reason[300]; /* what syncd wrote after that time, or "" */
    enum fault fault;       /* the local fault syncd met last, until a write succeeds */
    int64_t outbox;         /* changes waiting */
    int64_t refused;        /* push_result rows rejected */
};
void model_sync_state(struct model *m, struct model_sync *out);
/* The hub's answer to a change this kiosk queued, as syncd recorded it;
 * MODEL_WAITING until there is one. For a rejection, error gets the
 * hub's code (such as "bad_code" or "conflict") or "". */
enum model_answer { MODEL_WAITING, MODEL_APPLIED, MODEL_REJECTED };
enum model_answer model_answer(struct model *m, const char *change, char *error, size_t cap);
/* Name of site id, or "" (borrowed until the next call). */
const char *model_site_name(struct model *m, const char *site);

/* Writes: one outbox row each (one transaction with local_booking for a
 * booking). Strings borrowed. They run on the drawing loop, so they wait
 * at most THEME_WRITE_WAIT_MS for syncd's write lock, then return
 * ERR_BUSY and write nothing: the screen asks to try again. A row the
 * hub would refuse as invalid (a blank name or text, validate.h) is
 * ERR_INVALID, and nothing is written. */
MUST_USE enum err model_support(struct model *m, const char *initiative_id);
/* A support of a published idea (proposal_support). */
MUST_USE enum err model_support_idea(struct model *m, const char *proposal_id);
struct model_booked {
    char code[7];                /* the 6-digit cancel code */
    char id[ID_NEW_LEN + 1];     /* the new booking's */
    char change[ID_NEW_LEN + 1]; /* its outbox change's (model_answer) */
};
/* Books room for [starts, ends) (wire times) into *out. ERR_CONFLICT, and
 * nothing written, when the replica holds a confirmed booking overlapping
 * it (pulled since the screen was drawn). */
MUST_USE enum err model_book(struct model *m, const char *room, const char *starts,
                             const char *ends, const char *holder, struct model_booked *out);
/* change gets the outbox change's id, for model_answer. */
MUST_USE enum err model_cancel(struct model *m, const char *booking_id, const char *code,
                               char change[ID_NEW_LEN + 1]);
/* domain and author may be NULL or "". */
MUST_USE enum err model_propose(struct model *m, const char *text, const char *domain,
                                const char *author);
/* An offer of help to an initiative, the person having accepted the
 * consent sentence (the caller asks for it first: nothing is written
 * without it). Only the outbox holds the name and contact, and syncd
 * deletes the row once the hub has answered (docs/protocol.md, "Help
 * offers"). */
MUST_USE enum err model_offer_help(struct model *m, const char *initiative_id,
                                   const char *first_name, const char *contact);

#endif
