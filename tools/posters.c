/* sceaux-posters: pictures the project makes itself for the bundled data
 * (no photo of a real person or place), for the demo.
 *
 *   sceaux-posters --blobs DIR IN.json OUT.json
 *
 * Reads a content file (assets/sceaux.json), draws a 1280 x 720 poster for
 * each initiative, event and organization that has no picture: its
 * domain's colour and pictogram (the kiosk's, kiosk/theme.h) and its title
 * in white, stores it through the hub's upload check (picture_store(), so
 * the demo's pictures are what an upload would store; sceaux-picture
 * is found beside this program) in DIR, and writes
 * the content file with each row's picture and description to OUT.json,
 * which `sceaux-hub import` then loads. Exit 0, 1 on failure, 2 on bad
 * usage. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

#include "../kiosk/theme.h"
#include "../sync/hub/blobs.h"
#include "../sync/hub/import.h"
#include "../sync/hub/picture.h"
#include "tables.h"

#define W 1280
#define H 720
#define ICON_X 90
#define TEXT_X 440
#define TEXT_W 760

/* A 1-band mask of markup set in font, at most width wide (0: any). */
static int text_mask(const char *markup, const char *font, int width, VipsImage **out)
{
    return vips_text(out, markup, "font", font, "width", width, "dpi", 72, NULL);
}

/* mask laid on a W x H black field at (x, centred vertically). */
static int place(VipsImage *field, VipsImage *mask, int x, VipsImage **out)
{
    int y = (H - vips_image_get_height(mask)) / 2;
    return vips_insert(field, mask, out, x, y > 0 ? y : 0, NULL);
}

/* The poster: white pictogram and title over the domain's colour. */
static int draw(const char *title, struct ui_color bg, unsigned icon, void **png, size_t *len)
{
    char glyph[8] = "";
    glyph[g_unichar_to_utf8(icon, glyph)] = '\0';
    char *esc = g_markup_escape_text(title, -1);
    double c[3] = {bg.r, bg.g, bg.b}, one[3] = {1, 1, 1}, white[3] = {255, 255, 255};
    VipsImage *t[9] = {NULL};
    int rc = vips_black(&t[0], W, H, NULL);
    rc = rc ? rc : text_mask(glyph, "Material Design Icons 260", 0, &t[1]);
    rc = rc ? rc : text_mask(esc, "Noto Sans Bold 64", TEXT_W, &t[2]);
    rc = rc ? rc : place(t[0], t[1], ICON_X, &t[3]);
    rc = rc ? rc : place(t[3], t[2], TEXT_X, &t[4]);
    rc = rc ? rc : vips_black(&t[5], W, H, "bands", 3, NULL);
    rc = rc ? rc : vips_linear(t[5], &t[6], one, c, 3, "uchar", TRUE, NULL);
    rc = rc ? rc : vips_linear(t[5], &t[7], one, white, 3, "uchar", TRUE, NULL);
    rc = rc ? rc : vips_ifthenelse(t[4], t[7], t[6], &t[8], "blend", TRUE, NULL);
    rc = rc ? rc : vips_pngsave_buffer(t[8], png, len, NULL);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i])
            g_object_unref(t[i]);
    g_free(esc);
    return rc;
}

/* The domain's colour and pictogram, or the neutral colour and the
 * table's own pictogram. */
static void look(const struct table *t, json_t *row, struct ui_color *bg, unsigned *icon)
{
    const char *d = json_string_value(json_object_get(row, "domain"));
    for (int i = 0; d && i < THEME_DOMAINS && tables_domains[i]; i++) {
        if (strcmp(d, tables_domains[i]) == 0) {
            *bg = theme_domain_colors[i];
            *icon = theme_domain_icons[i];
            return;
        }
    }
    *bg = theme_domain_none;
    *icon = strcmp(t->name, "event") == 0          ? ICON_AGENDA
            : strcmp(t->name, "organization") == 0 ? ICON_DIRECTORY
                                                   : ICON_INITIATIVES;
}

static const char *const kinds[] = {"initiative", "event", "organization"};

/* A poster for one row, stored and named in it. */
static int poster(struct blobs *b, const struct table *t, json_t *row)
{
    const char *title = json_string_value(json_object_get(row, "title"));
    if (!title)
        title = json_string_value(json_object_get(row, "name"));
    struct ui_color bg;
    unsigned icon;
    look(t, row, &bg, &icon);
    void *png = NULL;
    size_t len = 0;
    if (!title || draw(title, bg, icon, &png, &len)) {
        fprintf(stderr, "sceaux-posters: cannot draw a poster: %s\n", vips_error_buffer());
        return 1;
    }
    char name[SHA256_HEX_LEN + 1];
    struct picture_out info;
    struct picture_refusal why;
    struct picture_limits lim = PICTURE_LIMITS_DEFAULT;
    enum err rc = picture_store(b, &lim, png, len, name, &info, &why);
    g_free(png);
    if (rc) {
        fprintf(stderr, "sceaux-posters: the poster of '%s' is refused: %s\n", title,
                rc == ERR_INVALID ? why.message : err_str(rc));
        return 1;
    }
    char alt[TABLES_PICTURE_ALT_MAX * 4];
    snprintf(alt, sizeof alt, "Affiche : « %.150s » en blanc sur la couleur de son domaine", title);
    json_object_set_new(row, "picture", json_string(name));
    json_object_set_new(row, "picture_alt", json_string(alt));
    return 0;
}

static int run(struct blobs *b, json_t *root)
{
    size_t i, made = 0;
    json_t *c;
    json_array_foreach(json_object_get(root, "changes"), i, c)
    {
        const struct table *t = tables_find(json_string_value(json_object_get(c, "table")));
        json_t *row = json_object_get(c, "row");
        bool wanted = false;
        for (size_t k = 0; t && k < sizeof kinds / sizeof kinds[0]; k++)
            wanted = wanted || strcmp(t->name, kinds[k]) == 0;
        if (!wanted || !json_is_object(row) || json_object_get(row, "picture"))
            continue;
        if (poster(b, t, row))
            return 1;
        made++;
    }
    fprintf(stderr, "sceaux-posters: %zu posters\n", made);
    return 0;
}

int main(int argc, char **argv)
{
    static const char usage[] = "usage: sceaux-posters --blobs DIR IN.json OUT.json\n";
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc != 5 || strcmp(argv[1], "--blobs") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    if (VIPS_INIT(argv[0]))
        return 1;
    char err[512] = "";
    struct buf text;
    buf_init(&text, IMPORT_FILE_MAX);
    struct blobs *b = NULL;
    json_t *root = NULL;
    int ret = import_read_file(argv[3], &text, err, sizeof err) ||
              blobs_open(argv[2], &b, err, sizeof err);
    if (!ret) {
        json_error_t jerr;
        root = json_loadb(text.data, text.len, 0, &jerr);
        if (!root)
            snprintf(err, sizeof err, "'%s': %s", argv[3], jerr.text);
        ret = !root || run(b, root);
    }
    if (!ret && json_dump_file(root, argv[4], JSON_INDENT(1) | JSON_ENSURE_ASCII) != 0) {
        snprintf(err, sizeof err, "cannot write '%s'", argv[4]);
        ret = 1;
    }
    if (ret && err[0])
        fprintf(stderr, "sceaux-posters: %s\n", err);
    json_decref(root);
    blobs_close(b);
    buf_release(&text);
    return ret;
}
