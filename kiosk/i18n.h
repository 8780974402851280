/* i18n: every string the kiosk shows, one table per language (i18n.c).
 *
 * Screens ask i18n_str(lang, S_KEY); strings holding a placeholder say so
 * in their key's comment. Enum values (domains, stages, categories,
 * kinds) have their own lookups. A count is never formed by hand: its
 * words come in pairs S_X_1, S_X_N and i18n_count picks by the language's
 * rule (French: 0 and 1 take the singular). The tables follow French
 * typography: typographic apostrophes, a no-break space before : and
 * between a number and its unit, a narrow one before ; ! ?. The French
 * table is the reference; tests/unit/test_kiosk_i18n.c checks both tables
 * for completeness and for these rules. */
#ifndef SCEAUX_KIOSK_I18N_H
#define SCEAUX_KIOSK_I18N_H
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum lang { LANG_FR, LANG_EN, LANG_COUNT };

/* No-break spaces (UTF-8), for the tables and what is composed from them:
 * I18N_NBSP before ":" and between a number and its unit ("8 h"),
 * I18N_NNBSP (narrow) before ";", "!" and "?" in French. */
#define I18N_NBSP "\xc2\xa0"
#define I18N_NNBSP "\xe2\x80\xaf"

enum str {
    S_HOME,
    S_INITIATIVES,
    S_AGENDA,
    S_ROOMS,
    S_NEWS,
    S_DIRECTORY,
    S_IDEAS,
    S_ONLINE,
    S_OFFLINE,
    S_OFFLINE_SINCE, /* %s: HH:MM */
    S_LANG_OTHER,    /* the name of the other language, in it */
    S_LARGER_TEXT,
    S_CONTRAST,
    S_WELCOME,
    S_TODAY_EVENTS,
    S_NO_EVENTS_TODAY,
    S_FEATURED,
    S_UPCOMING,
    S_TOUCH,
    S_SEE_ALL,
    S_ALL,
    S_SEARCH,
    S_SEARCH_HINT,
    S_RESULTS_1, /* %d, with S_RESULTS_N: i18n_count */
    S_RESULTS_N,
    S_NO_RESULTS,
    S_EMPTY_INITIATIVES,
    S_CARRIER,
    S_SUPPORTS_1, /* %d, with S_SUPPORTS_N: i18n_count */
    S_SUPPORTS_N,
    S_SUPPORT,
    S_SUPPORTED,
    S_QR_CAPTION,
    S_BACK,
    S_CONTACT,
    S_STAGE,
    S_COLON, /* between a label and its value: i18n_pair */
    S_DOMAIN,
    S_SPACE,
    S_SHIFT,
    S_ERASE,
    S_DONE,
    S_CLEAR,
    S_ROOMS_TITLE,
    S_NO_ROOMS,
    S_NO_SITE,
    S_FREE,
    S_TAKEN,
    S_PENDING,
    S_CONFIRMED,
    S_REFUSED,
    S_CANCEL_PENDING,
    S_BOOK_TITLE, /* %s: room name */
    S_BOOK_WHEN,  /* %s: day, %s: start time */
    S_LENGTH,
    S_YOUR_NAME,
    S_CONFIRM,
    S_CANCEL,
    S_BOOKED_TITLE,
    S_CANCEL_CODE,
    S_KEEP_CODE,
    S_CANCEL_BOOKING,
    S_REASON,
    S_CLOSED,
    S_TODAY,
    S_TOMORROW,
    S_NAME_REQUIRED,
    S_CODE_REQUIRED,
    S_CAPACITY_1, /* %d, with S_CAPACITY_N: i18n_count */
    S_CAPACITY_N,
    S_WEEK,
    S_PLACE,
    S_ORGANIZER,
    S_WHEN,
    S_NEWS_TITLE,
    S_NO_NEWS,
    S_URGENT,
    S_IMPORTANT,
    S_INFO,
    S_UNTIL, /* %s: a day */
    S_DIRECTORY_TITLE,
    S_DIRECTORY_HINT,
    S_NO_ORGS,
    S_IDEAS_TITLE,
    S_IDEAS_HINT,
    S_SUBMIT_IDEA,
    S_IDEA_TEXT,
    S_IDEA_AUTHOR,
    S_SEND,
    S_IDEA_SENT,
    S_NO_IDEAS,
    S_IDEA_REQUIRED,
    S_STILL_THERE,
    S_RESET_IN, /* %d seconds */
    S_MORE_TIME,
    S_OFFLINE_NOTICE,
    S_STAFF_PIN,
    S_EXIT,
    S_WRONG_PIN,
    S_CLOSE,
    S_NOT_FOUND,
    S_WRITE_FAILED,
    S_SLOT_GONE,
    S_ERR_CONFLICT,
    S_ERR_UNAVAILABLE,
    S_ERR_INVALID,
    S_ERR_FORBIDDEN,
    S_STAFF_OPEN,
    S_STAFF_TITLE,
    S_STAFF_CONNECTION,
    S_STAFF_LAST_OK,
    S_STAFF_PENDING,
    S_STAFF_REFUSED,
    S_STAFF_LAST_ERROR,
    S_STAFF_NEVER,
    S_STAFF_NONE,
    S_FAULT_DISK_FULL,
    S_FAULT_READ_ONLY,
    S_ERR_BAD_CODE,
    S_ANSWER_CHECKING,
    S_BOOK_CONFIRMED,
    S_BOOK_REFUSED,
    S_BOOK_LATER,
    S_CANCEL_DONE,
    S_CANCEL_REFUSED,
    S_CANCEL_LATER,
    S_KIOSK_OFFLINE,
    S_NO_ANSWER_YET,
    S_TRY_AGAIN,
    S_ALERTS_TITLE,
    S_ALERTS_MORE_1, /* %d, with S_ALERTS_MORE_N: i18n_count */
    S_ALERTS_MORE_N, /* %d */
    S_READ_MORE,
    S_SCROLL_MORE,
    S_QR_EVENT, /* under an event's QR code (an iCalendar VEVENT) */
    S_QR_CARD,  /* under an organisation's QR code (a vCard) */
    S_WEEKEND,
    S_CATEGORY,
    S_ALL_FEM, /* "all" agreeing with a feminine noun (catégorie) */
    S_PREV_MONTH,
    S_NEXT_MONTH,
    S_NEXT_EVENT, /* %s: a day */
    S_GO_TO_DAY,
    S_NO_EVENTS_AHEAD,
    S_NO_EVENTS_FILTERS,
    S_REPEATS,
    S_EVERY_WEEK,
    S_EVERY_MONTH,
    S_EVERY_N_WEEKS,  /* %d >= 2 (always plural) */
    S_EVERY_N_MONTHS, /* %d >= 2 (always plural) */
    S_ALL_STAGES,
    S_NO_RESULTS_FOR, /* %s: the filters picked (w_filter_summary) */
    S_KIND,
    S_ORGS_1, /* %d, with S_ORGS_N: i18n_count */
    S_ORGS_N, /* %d */
    S_NO_ORGS_FILTERS,
    S_FIGURES, /* the navigation's word for "L'ESS en chiffres" */
    S_FIGURES_TITLE,
    S_NO_FIGURES,
    S_FIG_BY_DOMAIN, /* over a bar chart whose bars are domains */
    S_FIG_SOURCE,    /* %s: the source (and year) */
    S_FIG_SOURCES,   /* %s: several, joined by S_FIG_JOIN */
    S_FIG_JOIN,
    S_FIG_ABOUT,   /* %s: a number (figure.qualifier) */
    S_FIG_NEARLY,  /* %s */
    S_FIG_OVER,    /* %s */
    S_FIG_PERCENT, /* %s: a number */
    S_FIG_EURO,    /* %s */
    S_THEME,
    S_NO_THEME,
    S_IDEAS_1,      /* %d, with S_IDEAS_N: i18n_count */
    S_IDEAS_N,      /* %d */
    S_NO_IDEAS_FOR, /* %s: the theme picked */
    S_CITY_ANSWER,
    S_AWAITING_ANSWER,
    S_CHOOSE_THEME,
    S_AWAITING_TAG,
    S_SEE_IDEAS_1, /* %d, with S_SEE_IDEAS_N: i18n_count */
    S_SEE_IDEAS_N, /* %d */
    S_PROPOSED_BY, /* %s: a first name */
    S_PATH_STEP,   /* %d: the question's number, of 3 */
    S_PATH_Q_DOMAIN,
    S_PATH_Q_STAGE,
    S_PATH_Q_NEED,
    S_PATH_ANY_DOMAIN,
    S_PATH_ANY_STAGE,
    S_PATH_ANY_STAGE_ABOUT,
    S_PATH_ANY_NEED,
    S_PATH_RESULTS,
    S_PATH_NONE,
    S_PATH_START,
    S_PATH_RESTART,
    S_PATH_NEXT, /* %s: an event's day and title */
    S_ORG_OFFERS,
    S_ORG_STAGES,
    S_ORG_INITIATIVES,
    S_ORG_EVENTS,
    S_ACCOMPANIED_BY,
    S_OFFER_HELP,      /* the button on an initiative */
    S_OFFER_TITLE,     /* the form's title */
    S_OFFER_HINT,      /* %s: the initiative's carrier */
    S_OFFER_NAME,      /* the first name field */
    S_OFFER_CONTACT,   /* the email or phone field */
    S_OFFER_CONSENT,   /* the sentence the person accepts */
    S_OFFER_SENT,      /* %s: the initiative's carrier */
    S_OFFER_NEED_NAME, /* the errors beside the form */
    S_OFFER_NEED_CONTACT,
    S_OFFER_NEED_CONSENT,
    S_COUNT
};

const char *i18n_str(enum lang l, enum str s);
/* Display names of protocol values; the value itself when unknown. */
const char *i18n_domain(enum lang l, const char *domain);
const char *i18n_stage(enum lang l, const char *stage);
/* What a stage of the accompaniment path means, in one sentence; "" when
 * unknown. */
const char *i18n_stage_about(enum lang l, const char *stage);
/* What became of a published idea (proposal.outcome), and what that
 * means in one sentence; "" when unknown. */
const char *i18n_outcome(enum lang l, const char *outcome);
const char *i18n_outcome_about(enum lang l, const char *outcome);
/* Why an actor fits, as a phrase: "accompagne l’émergence" for a stage,
 * "propose un local" for an offer; "" when unknown. */
const char *i18n_stage_why(enum lang l, const char *stage);
const char *i18n_offer_why(enum lang l, const char *offer);
/* A need as a visitor names it (organization.offers); the value when unknown. */
const char *i18n_offer(enum lang l, const char *offer);
const char *i18n_category(enum lang l, const char *category);
const char *i18n_kind(enum lang l, const char *kind);
const char *i18n_weekday(enum lang l, int wday); /* 0 = Monday */
const char *i18n_month(enum lang l, int month);  /* 1-12 */
/* "jeudi 26 novembre 2026" / "Thursday 26 November 2026" into out. */
void i18n_date(enum lang l, int wday, int day, int month, int year, char *out, int cap);
/* Fills a string's one placeholder ("%s" or "%d") with arg into out; the
 * tables are data, never printf formats. */
void i18n_fill(char *out, size_t cap, const char *tmpl, const char *arg);
void i18n_fill_int(char *out, size_t cap, const char *tmpl, long long arg);
/* The count n with its word into out: one (S_X_1) or the key after it
 * (S_X_N), by the language's plural rule. */
void i18n_count(enum lang l, enum str one, long long n, char *out, size_t cap);
/* Whether n takes the singular in l. */
bool i18n_singular(enum lang l, long long n);
/* n with the language's thousands separator: "50 000" (a narrow no-break
 * space) / "50,000". */
void i18n_number(enum lang l, long long n, char *out, size_t cap);
/* A figure's value as shown: n in its unit ("number", "percent",
 * "euro") after its qualifier ("about", "nearly", "over"; NULL or ""
 * for none): "près de 50 000", "26 %" / "nearly 50,000", "26%". */
void i18n_figure(enum lang l, long long n, const char *unit, const char *qualifier, char *out,
                 size_t cap);
/* "Étape : Émergence" / "Stage: Emerging" into out. */
void i18n_pair(enum lang l, const char *label, const char *value, char *out, size_t cap);
/* A length of time: "1 h 30", "45 min" / "1 h 30 min". */
void i18n_duration(enum lang l, int minutes, char *out, size_t cap);
/* LANG_FR for "fr", LANG_EN for "en", -1 otherwise. */
MUST_USE int i18n_parse(const char *code);
const char *i18n_code(enum lang l);

#endif
