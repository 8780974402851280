/* options: sceaux-kiosk's settings, from its command line and its
 * key=value config file (--config, read first so that flags given beside
 * it win). Every value is checked here (numbers strictly, sizes, hours,
 * the language); a bad one is refused with the setting named and the
 * usage, exit status 2. */
#include "options.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "theme.h"
#include "xalloc.h"

void options_init(struct options *o)
{
    memset(o, 0, sizeof *o);
    o->cfg.lang = LANG_FR;
    o->cfg.idle_s = THEME_IDLE_S;
    o->cfg.sleep_from = o->cfg.sleep_until = -1;
    o->cfg.font_regular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
    o->cfg.font_bold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";
    o->cfg.font_icons =
        "/usr/share/fonts/truetype/materialdesignicons-webfont/materialdesignicons-webfont.ttf";
}

void options_release(struct options *o)
{
    for (int i = 0; i < o->nowned; i++)
        free(o->owned[i]);
    o->nowned = 0;
}

static const char usage[] =
    "usage: sceaux-kiosk --db FILE [--kiosk NAME --site ID] [--fullscreen] [--size WxH]\n"
    "                    [--lang fr|en] [--script FILE] [--config FILE] [--accelerated]\n"
    "                    [--pictures DIR] [--idle-seconds N]\n"
    "  --db FILE        the local replica (SQLite), kept by sceaux-syncd\n"
    "  --pictures DIR   the pictures sceaux-syncd keeps (default: FILE.pictures)\n"
    "  --kiosk NAME     this kiosk's name (announcements targeted kiosk:NAME)\n"
    "  --site ID        the site it stands in (rooms, announcements site:ID)\n"
    "  --fullscreen     kiosk lock-down: no cursor, no quit by shortcuts;\n"
    "                   five taps on the site name and the staff PIN exit\n"
    "  --size WxH       window size (default: the display's, 1920x1080 headless;\n"
    "                   1080x1920 for portrait)\n"
    "  --sleep HH:MM-HH:MM  night hours (Paris time): once idle, the screen goes\n"
    "                   black and the display may power down; a touch wakes it\n"
    "  --lang fr|en     start language (default fr)\n"
    "  --idle-seconds N  idle time before the countdown to the reset (5 to 86400)\n"
    "  --script FILE    run a test script (see kiosk/script.h) and exit\n"
    "  --screenshots DIR  where the script's relative screenshot/dump paths go\n"
    "  --config FILE    key=value settings: db, pictures, kiosk, site, lang, size, fullscreen,\n"
    "                   staff_pin, idle_seconds, sleep, font_regular, font_bold,\n"
    "                   font_icons, accelerated (flags win over the file)\n"
    "  --accelerated    use a GPU renderer instead of the software one\n";

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sceaux-kiosk: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

static bool truthy(const char *v)
{
    return strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
}

/* One setting, from the file or a flag. Returns 0, or 2 on a bad value. */
static int set(struct options *o, const char *key, const char *v)
{
    struct app_config *c = &o->cfg;
    if (strcmp(key, "db") == 0) {
        c->db = v;
    } else if (strcmp(key, "pictures") == 0) {
        c->pictures = v;
    } else if (strcmp(key, "kiosk") == 0) {
        c->kiosk = v;
    } else if (strcmp(key, "site") == 0) {
        c->site = v;
    } else if (strcmp(key, "script") == 0) {
        c->script = v;
    } else if (strcmp(key, "screenshots") == 0) {
        c->screenshots = v;
    } else if (strcmp(key, "staff_pin") == 0) {
        c->pin = v;
    } else if (strcmp(key, "font_regular") == 0) {
        c->font_regular = v;
    } else if (strcmp(key, "font_bold") == 0) {
        c->font_bold = v;
    } else if (strcmp(key, "font_icons") == 0) {
        c->font_icons = v;
    } else if (strcmp(key, "fullscreen") == 0) {
        c->fullscreen = truthy(v);
    } else if (strcmp(key, "accelerated") == 0) {
        c->accelerated = truthy(v);
    } else if (strcmp(key, "lang") == 0) {
        int l = i18n_parse(v);
        if (l < 0)
            return bad_usage("bad language '%s' (fr or en)", v);
        c->lang = (enum lang)l;
    } else if (strcmp(key, "size") == 0) {
        if (app_parse_size(v, &c->width, &c->height) != ERR_OK)
            return bad_usage("bad size '%s' (WxH, 200 to 8192)", v);
    } else if (strcmp(key, "sleep") == 0) {
        if (app_parse_hours(v, &c->sleep_from, &c->sleep_until) != ERR_OK)
            return bad_usage("bad sleep hours '%s' (HH:MM-HH:MM, such as 22:00-07:00)", v);
    } else if (strcmp(key, "idle_seconds") == 0) {
        long s;
        if (!num_parse(v, 5, 86400, &s))
            return bad_usage("bad idle_seconds '%s' (5 to 86400)", v);
        c->idle_s = (int)s;
    } else {
        return bad_usage("unknown setting '%s'", key);
    }
    return 0;
}

static int load_config(struct options *o, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "sceaux-kiosk: cannot open config '%s'\n", path);
        return 1;
    }
    char line[1024];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *k = line;
        while (*k == ' ' || *k == '\t')
            k++;
        if (!*k || *k == '#')
            continue;
        char *eq = strchr(k, '=');
        if (!eq || o->nowned >= OPTIONS_MAX_LINES) {
            rc = bad_usage("bad config line '%s' (key=value)", k);
            break;
        }
        *eq = '\0';
        char *e = eq;
        while (e > k && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        o->owned[o->nowned] = xstrdup(v);
        rc = set(o, k, o->owned[o->nowned++]);
    }
    fclose(f);
    return rc;
}

/* Flags: --config is read first, so flags given beside it win. */
int options_parse(struct options *o, int argc, char **argv)
{
    static const char *const keys[][2] = {
        {"--db", "db"},
        {"--kiosk", "kiosk"},
        {"--site", "site"},
        {"--size", "size"},
        {"--sleep", "sleep"},
        {"--lang", "lang"},
        {"--script", "script"},
        {"--screenshots", "screenshots"},
        {"--pictures", "pictures"},
        {"--idle-seconds", "idle_seconds"},
    };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0) {
            if (i + 1 >= argc)
                return bad_usage("%s needs a value", argv[i]);
            int rc = load_config(o, argv[i + 1]);
            if (rc)
                return rc;
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("sceaux-kiosk %s\n", SCEAUX_VERSION);
            return 0;
        }
        if (strcmp(a, "--fullscreen") == 0) {
            o->cfg.fullscreen = true;
            continue;
        }
        if (strcmp(a, "--accelerated") == 0) {
            o->cfg.accelerated = true;
            continue;
        }
        if (strcmp(a, "--config") == 0) {
            i++;
            continue;
        }
        int k = -1;
        for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++)
            if (strcmp(a, keys[j][0]) == 0)
                k = (int)j;
        if (k < 0)
            return bad_usage("unknown option '%s'", a);
        if (i + 1 >= argc)
            return bad_usage("%s needs a value", a);
        int rc = set(o, keys[k][1], argv[++i]);
        if (rc)
            return rc;
    }
    if (!o->cfg.db)
        return bad_usage("%s is required", "--db");
    if ((o->cfg.kiosk && !o->cfg.kiosk[0]) || (o->cfg.site && !o->cfg.site[0]))
        return bad_usage("%s", "--kiosk and --site need a non-empty value");
    return -1;
}
