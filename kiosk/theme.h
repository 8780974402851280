/* theme: the kiosk's appearance as data (dwm's config.h habit).
 *
 * Colours of the normal and the high-contrast palettes, one colour per
 * protocol domain, sizes at the reference scale (the short side of the
 * window is 1080 px) and timeouts. Every text/background pair used by the
 * screens is listed in theme_text_pairs so a unit test checks its WCAG
 * contrast (at least 4.5:1). Included by the screens, render.c and tests. */
#ifndef SCEAUX_KIOSK_THEME_H
#define SCEAUX_KIOSK_THEME_H
#include "ui.h"

#define RGB(hex)                                                                                   \
    {                                                                                              \
        (uint8_t)((hex) >> 16), (uint8_t)((hex) >> 8 & 0xff), (uint8_t)((hex)&0xff), 255           \
    }

struct theme_palette {
    struct ui_color bg;         /* page background */
    struct ui_color surface;    /* cards, bars */
    struct ui_color sunken;     /* inputs, chips at rest */
    struct ui_color line;       /* separators, card borders (not text) */
    struct ui_color text;       /* body text on bg, surface and sunken */
    struct ui_color muted;      /* secondary text on bg, surface and sunken */
    struct ui_color primary;    /* status bar, main buttons */
    struct ui_color on_primary; /* text on primary */
    struct ui_color pressed;    /* primary while held */
    struct ui_color accent_bg;  /* selected nav item background */
    struct ui_color accent;     /* text on accent_bg */
    struct ui_color urgent;     /* urgent banner */
    struct ui_color on_urgent;
    struct ui_color ok;       /* confirmed (text on surface, fill with white text) */
    struct ui_color pending;  /* pending (same) */
    struct ui_color refused;  /* refused (same) */
    struct ui_color on_state; /* text on ok / pending / refused fills */
    struct ui_color scrim;    /* behind dialogs */
    struct ui_color shadow;   /* under cards */
};

static const struct theme_palette theme_normal = {
    .bg = RGB(0xF3F0E8),
    .surface = RGB(0xFFFFFF),
    .sunken = RGB(0xE9E5DA),
    .line = RGB(0xD8D2C4),
    .text = RGB(0x1E2A32),
    .muted = RGB(0x4F5B63),
    .primary = RGB(0x1D4E6B),
    .on_primary = RGB(0xFFFFFF),
    .pressed = RGB(0x123549),
    .accent_bg = RGB(0xDCE9F0),
    .accent = RGB(0x163F57),
    .urgent = RGB(0xA3201B),
    .on_urgent = RGB(0xFFFFFF),
    .ok = RGB(0x1E6B3A),
    .pending = RGB(0x7A4F00),
    .refused = RGB(0xA3201B),
    .on_state = RGB(0xFFFFFF),
    .scrim = {20, 30, 40, 150},
    .shadow = RGB(0xDCD7CA), /* opaque: blending a whole card costs a frame */
};

static const struct theme_palette theme_contrast = {
    .bg = RGB(0x000000),
    .surface = RGB(0x101010),
    .sunken = RGB(0x262626),
    .line = RGB(0xFFFFFF),
    .text = RGB(0xFFFFFF),
    .muted = RGB(0xE0E0E0),
    .primary = RGB(0xFFD400),
    .on_primary = RGB(0x000000),
    .pressed = RGB(0xFFFFFF),
    .accent_bg = RGB(0xFFD400),
    .accent = RGB(0x000000),
    .urgent = RGB(0xFFD400),
    .on_urgent = RGB(0x000000),
    .ok = RGB(0x7CF29A),
    .pending = RGB(0xFFD400),
    .refused = RGB(0xFF9C9C),
    .on_state = RGB(0x000000),
    .scrim = {0, 0, 0, 200},
    .shadow = {0, 0, 0, 0}, /* none: borders instead */
};

/* One colour per domain, in the order of tables_domains[]; white text on
 * each passes AA. theme_domain_icons holds Material Design Icons code points. */
static const struct ui_color theme_domain_colors[] = {
    RGB(0x6A3D9A), /* entrepreneuriat_social */
    RGB(0x1F5FA8), /* participation_citoyenne */
    RGB(0x4A6B1E), /* agriculture */
    RGB(0xA64200), /* jeunesse */
    RGB(0xAD1F3D), /* sport */
    RGB(0x0E6A70), /* education_formation */
    RGB(0xB0184F), /* sante */
    RGB(0x77502F), /* habitat */
    RGB(0x3B4A55), /* mobilite */
    RGB(0x3F4BA8), /* action_sociale */
    RGB(0x8A2C8F), /* culture */
    RGB(0x2A6B2F), /* environnement */
};
static const unsigned theme_domain_icons[] = {
    0xF0D6, 0xF188, 0xF32A, 0xF64C, 0xF46E, 0xF474, 0xF5F6, 0xF2DD, 0xF0E7, 0xF2D1, 0xF3D8, 0xF531,
};
#define THEME_DOMAINS 12
static const struct ui_color theme_domain_none = RGB(0x4F5B63);

/* Icon code points (Material Design Icons, the Debian font's version). */
enum {
    ICON_HOME = 0xF2DC,
    ICON_INITIATIVES = 0xF335,
    ICON_AGENDA = 0xF0ED,
    ICON_ROOMS = 0xF1D7,
    ICON_NEWS = 0xF0E6,
    ICON_DIRECTORY = 0xF00E,
    ICON_IDEAS = 0xF64F,
    ICON_WIFI = 0xF5A9,
    ICON_WIFI_OFF = 0xF5AA,
    ICON_SEARCH = 0xF349,
    ICON_CLOSE = 0xF156,
    ICON_CHECK = 0xF12C,
    ICON_BACK = 0xF04D,
    ICON_HEART = 0xF2D1,
    ICON_PLACE = 0xF34E,
    ICON_QR = 0xF432,
    ICON_BACKSPACE = 0xF06E,
    ICON_TEXT_SIZE = 0xF27F,
    ICON_CONTRAST = 0xF197,
    ICON_LANG = 0xF5CA,
    ICON_ALERT = 0xF028,
    ICON_CLOCK = 0xF150,
    ICON_PERSON = 0xF004,
    ICON_MAIL = 0xF1EE,
    ICON_WEB = 0xF59F,
    ICON_TIMER = 0xF51F,
    ICON_SYNC_ALERT = 0xF4E7,
    ICON_LOCK = 0xF33E,
    ICON_INFO = 0xF2FC,
    ICON_PEOPLE = 0xF00E,
    ICON_NEXT = 0xF142,
    ICON_PREV = 0xF141,
    ICON_DOWN = 0xF140,
    ICON_CHART = 0xF128, /* chart-bar */
};

/* Sizes in pixels at scale 1 (short side 1080). Text sizes are further
 * multiplied by theme_large_text when "larger text" is on. */
enum {
    TS_SMALL = 22,
    TS_BODY = 26,
    TS_LEAD = 30,
    TS_TITLE = 40,
    TS_HUGE = 64,
    TS_CLOCK = 110,
    TS_ICON = 34,
    SZ_TOUCH = 64, /* smallest touch target */
    SZ_BUTTON = 76,
    SZ_STATUS = 76,
    SZ_NAV = 116,
    SZ_PAD = 28,
    SZ_GAP = 18,
    SZ_RADIUS = 18,
    SZ_CARD_W = 520,  /* a card column is at least this wide */
    SZ_BAND_PAD = 12, /* the urgent band, above and below its two lines */
};
static const double theme_large_text = 1.3;
/* Text never scales below this: on a 800x480 display (scale 0.44) body
 * text would be 12 px, and larger text 15 px, hardly larger. */
static const double theme_text_min_scale = 0.6;
/* The smallest touch target in pixels, whatever the scale: a fingertip on
 * a small 800x480 display, where scaled sizes fall below it; on a display
 * of 1080 lines or more, seen from further away, 60. */
/* Bytes of decoded pictures the kiosk keeps as textures, and reserves
 * for those being decoded (picture.h): a screen of cards at 1080p shows
 * about 1.6 MB, a detail page's band 1.6 MB; the kiosk's whole resident
 * budget is 40 MB, of which about 28 go to the rest and up to 5 to a
 * picture being decoded (bench/kiosk.sh). */
#define THEME_PICTURE_BUDGET (4u << 20)
#define THEME_TOUCH_MIN_PX 44
#define THEME_TOUCH_MIN_HD_PX 60

/* Timeouts and periods. */
enum {
    THEME_IDLE_S = 90,         /* without a touch: the countdown appears */
    THEME_COUNTDOWN_S = 20,    /* then back to Home, fields cleared */
    THEME_POLL_MS = 250,       /* PRAGMA data_version at most this often */
    THEME_WRITE_WAIT_MS = 500, /* a tap's write waits this long for syncd's lock */
    THEME_STAFF_TAPS = 5,      /* taps on the site name within ... */
    THEME_STAFF_WINDOW_S = 4,
    THEME_ANSWER_WAIT_S = 10, /* online, a booking or cancel waits this long for the hub */
};

/* Text/background pairs checked for contrast by tests/unit/test_kiosk_ui.c. */
#define THEME_PAIRS(p)                                                                             \
    {(p).text, (p).bg}, {(p).text, (p).surface}, {(p).text, (p).sunken}, {(p).muted, (p).bg},      \
        {(p).muted, (p).surface}, {(p).muted, (p).sunken}, {(p).on_primary, (p).primary},          \
        {(p).on_primary, (p).pressed}, {(p).accent, (p).accent_bg}, {(p).on_urgent, (p).urgent},   \
        {(p).ok, (p).surface}, {(p).pending, (p).surface}, {(p).refused, (p).surface},             \
        {(p).on_state, (p).ok}, {(p).on_state, (p).pending}, {(p).on_state, (p).refused},          \
        {(p).primary, (p).surface},                                                                \
    {                                                                                              \
        (p).primary, (p).bg                                                                        \
    }

#endif
