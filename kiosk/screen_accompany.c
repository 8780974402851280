/* screen_accompany: "Se faire accompagner", the accompaniment path of the
 * directory. Three questions on big buttons (the project's domain, its
 * stage with what each stage means, what it needs), each with a way back
 * and a way past ("Je ne sais pas encore"), then the actors that fit
 * (model_accompany): why they fit, how to reach them and the next event
 * where they are. A result opens the actor's page (screen_directory.c);
 * its Back comes back here. State: a->dir.step and the answers, wiped by
 * screen_directory_reset like the rest of the directory. */
#include <stdio.h>
#include <string.h>

#include "tables.h"
#include "when.h"
#include "widget.h"

enum { STEP_DOMAIN = 1, STEP_STAGE, STEP_NEED, STEP_RESULTS };

void screen_accompany_start(struct app *a, bool from_home)
{
    a->dir.step = STEP_DOMAIN;
    a->dir.from_home = from_home;
    a->dir.p_domain = a->dir.p_stage = a->dir.p_need = 0;
    a->dir.open[0] = '\0';
    a->screen = SCR_DIRECTORY;
    ui_scroll_reset(a->ui, "path");
    a->redraw = true;
}

/* A choice of the current question: its words in bold, a coloured icon
 * when icon, and a sentence under them when about is not empty. */
struct choice {
    const char *label, *about;
    unsigned icon;
    struct ui_color color;
};

/* A choice's icon and words from the top of in; their height. */
static int choice_words(struct app *a, struct ui_rect in, const struct choice *c)
{
    int x = in.x;
    if (c->icon)
        x += w_icon(&a->look, x, in.y, c->icon, look_ts(&a->look, TS_ICON), c->color) +
             look_sz(&a->look, 16);
    struct ui_layout l;
    ui_layout_begin(&l, (struct ui_rect){x, in.y, in.x + in.w - x, 0}, look_sz(&a->look, 6));
    ui_layout_text(a->ui, &l, c->label, UI_FONT_BOLD, look_ts(&a->look, TS_LEAD), a->look.pal->text,
                   0);
    if (c->about[0])
        ui_layout_text(a->ui, &l, c->about, UI_FONT_REGULAR, look_ts(&a->look, TS_BODY),
                       a->look.pal->muted, 0);
    return ui_layout_height(&l);
}

/* The height of a choice's button w wide: its words, measured, and the
 * margins, at least a large touch target. */
static int choice_height(struct app *a, const struct choice *c, int w)
{
    int pad = look_sz(&a->look, 24);
    ui_measure_begin(a->ui);
    int h = choice_words(a, (struct ui_rect){0, 0, w - 2 * pad, 0}, c) + 2 * pad;
    ui_measure_end(a->ui);
    int min = look_touch(&a->look, 96);
    return h > min ? h : min;
}

/* The choice's card with its words in the middle; whether it was tapped. */
static bool choice_button(struct app *a, struct ui_rect r, const struct choice *c)
{
    bool tapped = w_card_button(&a->look, r, c->label);
    struct ui_rect in = ui_inset(r, look_sz(&a->look, 24));
    in.y += (r.h - choice_height(a, c, r.w)) / 2;
    choice_words(a, in, c);
    return tapped;
}

/* The question's words from the top of in, with the space under them
 * (the head of the choices' grid, scrolling with them); their height. */
static int question_words(struct app *a, struct ui_rect in, int step)
{
    static const enum str q[] = {S_PATH_Q_DOMAIN, S_PATH_Q_STAGE, S_PATH_Q_NEED};
    struct ui_layout l;
    ui_layout_begin(&l, in, 0);
    ui_layout_text(a->ui, &l, i18n_str(a->look.lang, q[step - 1]), UI_FONT_BOLD,
                   look_ts(&a->look, TS_TITLE), a->look.pal->text, 2);
    ui_layout_space(&l, look_sz(&a->look, SZ_GAP));
    return ui_layout_height(&l);
}

/* The n choices of question step in a scrolling grid of equal cells under
 * the question's words; the index tapped, or -1. */
static int choice_grid(struct app *a, struct ui_rect r, int step, const struct choice *c, int n)
{
    struct w_grid g = {.n = n, .card_w = 360, .max_cols = 3};
    int w = w_grid_width(&a->look, &g, r.w);
    for (int i = 0; i < n; i++) {
        int ch = choice_height(a, &c[i], w);
        g.h = ch > g.h ? ch : g.h;
    }
    ui_measure_begin(a->ui);
    g.head = question_words(a, r, step);
    ui_measure_end(a->ui);
    int picked = -1, i;
    struct ui_rect cell;
    w_grid_begin(&a->look, &g, "path", r);
    question_words(a, (struct ui_rect){r.x, g.top, r.w, 0}, step);
    while (w_grid_next(&g, &i, &cell))
        if (choice_button(a, cell, &c[i]))
            picked = i;
    w_grid_end(&g);
    return picked;
}

/* The choices of question step into c (at most 16): the protocol's
 * values, then "any". values gets the values. */
static int choices(struct app *a, int step, struct choice *c, const char **values)
{
    static const struct ui_color none = {0, 0, 0, 0};
    const char *const *v = step == STEP_DOMAIN  ? tables_domains
                           : step == STEP_STAGE ? tables_stages
                                                : tables_offers;
    const char *present = step == STEP_NEED ? model_offers_present(a->model) : NULL;
    int n = 0;
    for (int i = 0; v[i] && n < 15; i++) {
        if (present && !tables_set_has(present, v[i]))
            continue; /* no actor offers it: no dead end */
        values[n] = v[i];
        if (step == STEP_DOMAIN)
            c[n++] =
                (struct choice){i18n_domain(a->look.lang, v[i]), "", screen_domain_icon(v[i]),
                                a->look.contrast ? a->look.pal->text : screen_domain_color(v[i])};
        else if (step == STEP_STAGE)
            c[n++] = (struct choice){i18n_stage(a->look.lang, v[i]),
                                     i18n_stage_about(a->look.lang, v[i]), 0, none};
        else
            c[n++] = (struct choice){i18n_offer(a->look.lang, v[i]), "", 0, none};
    }
    static const enum str any[] = {S_PATH_ANY_DOMAIN, S_PATH_ANY_STAGE, S_PATH_ANY_NEED};
    values[n] = NULL;
    c[n++] = (struct choice){
        i18n_str(a->look.lang, any[step - 1]),
        step == STEP_STAGE ? i18n_str(a->look.lang, S_PATH_ANY_STAGE_ABOUT) : "", 0, none};
    return n;
}

/* The index + 1 in the protocol's list of value (0: any). */
static int answer_of(const char *const *list, const char *value)
{
    for (int i = 0; value && list[i]; i++)
        if (strcmp(list[i], value) == 0)
            return i + 1;
    return 0;
}

static void question(struct app *a, struct ui_rect r)
{
    int step = a->dir.step;
    struct choice c[16];
    const char *values[16];
    int nc = choices(a, step, c, values);
    int picked = choice_grid(a, r, step, c, nc);
    if (picked < 0)
        return;
    if (step == STEP_DOMAIN)
        a->dir.p_domain = answer_of(tables_domains, values[picked]);
    else if (step == STEP_STAGE)
        a->dir.p_stage = answer_of(tables_stages, values[picked]);
    else
        a->dir.p_need = answer_of(tables_offers, values[picked]);
    a->dir.step++;
    ui_scroll_reset(a->ui, "path");
    a->redraw = true;
}

/* The answer picked at a question (NULL: any). */
static const char *picked(const char *const *list, int answer)
{
    return answer > 0 ? list[answer - 1] : NULL;
}

/* Why actor i fits, into out: its domain when it is the project's, the
 * stage asked (or its first), the need asked (or its first offer). */
static void why(struct app *a, const struct model_rows *o, int i, char *out, size_t cap)
{
    const char *domain = picked(tables_domains, a->dir.p_domain);
    const char *stage = picked(tables_stages, a->dir.p_stage);
    const char *need = picked(tables_offers, a->dir.p_need);
    char first_stage[32], first_offer[32];
    const char *st = model_str(o, i, ORG_STAGES), *of = model_str(o, i, ORG_OFFERS);
    snprintf(first_stage, sizeof first_stage, "%.*s", (int)strcspn(st, ","), st);
    snprintf(first_offer, sizeof first_offer, "%.*s", (int)strcspn(of, ","), of);
    const char *parts[3] = {
        domain && strcmp(model_str(o, i, ORG_DOMAIN), domain) == 0
            ? i18n_domain(a->look.lang, domain)
            : "",
        i18n_stage_why(a->look.lang, stage ? stage : first_stage),
        i18n_offer_why(a->look.lang, need ? need : first_offer),
    };
    size_t len = 0;
    out[0] = '\0';
    for (int k = 0; k < 3; k++)
        if (parts[k][0] && len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " · " : "", parts[k]);
}

/* A line of a result: an icon and one line of text, placed with l. */
static void result_line(struct app *a, struct ui_layout *l, unsigned icon, const char *text,
                        struct ui_color c)
{
    int ts = look_ts(&a->look, TS_BODY);
    struct ui_rect r = ui_layout_block(l, ui_line_height(a->ui, UI_FONT_REGULAR, ts));
    int x =
        r.x + w_icon(&a->look, r.x, r.y, icon, ts, a->look.pal->primary) + look_sz(&a->look, 12);
    ui_label(a->ui, (struct ui_rect){x, r.y, r.x + r.w - x, r.h}, text, UI_FONT_REGULAR, ts, c,
             UI_LEFT);
}

/* Actor i's name, why it fits, how to reach it and its next event from
 * the top of in; their height, which is every result's: the event's line
 * is kept when it has none. */
static int result_words(struct app *a, struct ui_rect in, const struct model_rows *o, int i,
                        const struct model_rows *ev)
{
    int lead = look_ts(&a->look, TS_LEAD);
    struct ui_layout l;
    ui_layout_begin(&l, in, look_sz(&a->look, 6));
    ui_label(a->ui, ui_layout_block(&l, ui_line_height(a->ui, UI_FONT_BOLD, lead)),
             model_str(o, i, ORG_NAME), UI_FONT_BOLD, lead, a->look.pal->text, UI_LEFT);
    char text[400];
    why(a, o, i, text, sizeof text);
    result_line(a, &l, ICON_CHECK, text, a->look.pal->primary);
    const char *contact = model_str(o, i, ORG_CONTACT);
    result_line(a, &l, ICON_MAIL, contact[0] ? contact : model_str(o, i, ORG_URL),
                a->look.pal->text);
    int k = model_find(ev, EV_ORG, model_str(o, i, ORG_ID), 0);
    text[0] = '\0';
    if (k >= 0) {
        char day[80], what[300];
        when_day(a->look.lang, when_parse(model_str(ev, k, EV_STARTS)), day, sizeof day);
        snprintf(what, sizeof what, "%s · %s", day, model_str(ev, k, EV_TITLE));
        i18n_fill(text, sizeof text, i18n_str(a->look.lang, S_PATH_NEXT), what);
    }
    if (text[0])
        result_line(a, &l, ICON_AGENDA, text, a->look.pal->text);
    else
        ui_layout_block(&l, ui_line_height(a->ui, UI_FONT_REGULAR, look_ts(&a->look, TS_BODY)));
    return ui_layout_height(&l);
}

/* The height of every result's card (rows: at least one). */
static int result_height(struct app *a, const struct model_rows *o, const struct model_rows *ev)
{
    ui_measure_begin(a->ui);
    int h = result_words(a, (struct ui_rect){0, 0, 0, 0}, o, 0, ev);
    ui_measure_end(a->ui);
    /* The margins, and under the last line the space between lines. */
    return h + 2 * look_sz(&a->look, 24) + look_sz(&a->look, 6);
}

static bool result(struct app *a, struct ui_rect r, const struct model_rows *o, int i,
                   const struct model_rows *ev)
{
    ui_push_id(a->ui, model_str(o, i, ORG_ID));
    bool tapped = w_card_button(&a->look, r, model_str(o, i, ORG_NAME));
    result_words(a, ui_inset(r, look_sz(&a->look, 24)), o, i, ev);
    ui_pop_id(a->ui);
    return tapped;
}

/* The answers as one line: "Culture · Émergence · Un local". */
static void answers(struct app *a, char *out, size_t cap)
{
    const char *d = picked(tables_domains, a->dir.p_domain);
    const char *s = picked(tables_stages, a->dir.p_stage);
    const char *n = picked(tables_offers, a->dir.p_need);
    snprintf(out, cap, "%s · %s · %s",
             d ? i18n_domain(a->look.lang, d) : i18n_str(a->look.lang, S_PATH_ANY_DOMAIN),
             s ? i18n_stage(a->look.lang, s) : i18n_str(a->look.lang, S_PATH_ANY_STAGE),
             n ? i18n_offer(a->look.lang, n) : i18n_str(a->look.lang, S_PATH_ANY_NEED));
}

/* Over the results, scrolling with them: the title when the display
 * holds three results (a short one gives its room to the actors: the
 * answers' line says what this is), then the answers; their height. */
static int results_head(struct app *a, struct ui_rect in, bool title)
{
    struct ui_layout l;
    ui_layout_begin(&l, in, 0);
    if (title) {
        ui_layout_block(
            &l, w_title(&a->look, in, i18n_str(a->look.lang, S_PATH_RESULTS), ICON_DIRECTORY));
        ui_layout_space(&l, look_sz(&a->look, 8));
    }
    char line[300];
    answers(a, line, sizeof line);
    int ts = look_ts(&a->look, TS_BODY);
    ui_label(a->ui, ui_layout_block(&l, ui_line_height(a->ui, UI_FONT_BOLD, ts)), line,
             UI_FONT_BOLD, ts, a->look.pal->muted, UI_LEFT);
    ui_layout_space(&l, look_sz(&a->look, SZ_GAP));
    return ui_layout_height(&l);
}

static void results(struct app *a, struct ui_rect r)
{
    const struct model_rows *o = model_accompany(a->model, picked(tables_domains, a->dir.p_domain),
                                                 picked(tables_stages, a->dir.p_stage),
                                                 picked(tables_offers, a->dir.p_need));
    char from[TS_LEN + 1], to[TS_LEN + 1];
    ts_format(a->now, from);
    ts_format(when_midnight(a->now, 120), to);
    const struct model_rows *ev = model_events_linked(a->model, from, to);
    int h = o->n ? result_height(a, o, ev) : 0;
    bool title = r.h >= 3 * h;
    if (o->n == 0) {
        ui_cut_top(&r, results_head(a, r, title));
        w_empty(&a->look, r, ICON_SEARCH, i18n_str(a->look.lang, S_PATH_NONE));
        return;
    }
    /* Wide cards: their lines say why, how to reach, when to meet. */
    struct w_grid g = {.n = o->n, .h = h, .card_w = 2 * SZ_CARD_W - 140};
    ui_measure_begin(a->ui);
    g.head = results_head(a, r, title);
    ui_measure_end(a->ui);
    int i;
    struct ui_rect cell;
    w_grid_begin(&a->look, &g, "path", r);
    results_head(a, (struct ui_rect){r.x, g.top, r.w, 0}, title);
    while (w_grid_next(&g, &i, &cell)) {
        if (result(a, cell, o, i, ev)) {
            snprintf(a->dir.open, sizeof a->dir.open, "%s", model_str(o, i, ORG_ID));
            a->redraw = true;
        }
    }
    w_grid_end(&g);
}

/* The right end of the Back row, w wide (r: the screen's area, before
 * w_back takes that row). */
static struct ui_rect back_row_end(struct app *a, struct ui_rect r, int w)
{
    struct ui_layout l;
    ui_layout_begin(&l, r, 0);
    ui_layout_row(&l, 2, (const int[]){0, w}, look_touch(&a->look, SZ_BUTTON));
    ui_layout_next(&l);
    return ui_layout_next(&l);
}

/* Start again, at the right of the Back row: the answer keeps its room
 * for the actors. True when tapped. */
static bool restart(struct app *a, struct ui_rect r)
{
    const char *again = i18n_str(a->look.lang, S_PATH_RESTART);
    if (!w_button(&a->look, back_row_end(a, r, w_button_width(&a->look, again, 0)), again, 0,
                  W_SECONDARY))
        return false;
    screen_accompany_start(a, a->dir.from_home);
    return true;
}

/* "Question 1 of 3" at the right of the Back row, leaving the question
 * and its choices the height under it. */
static void step_label(struct app *a, struct ui_rect r)
{
    char n[64];
    i18n_fill_int(n, sizeof n, i18n_str(a->look.lang, S_PATH_STEP), a->dir.step);
    int ts = look_ts(&a->look, TS_BODY);
    ui_label(a->ui, back_row_end(a, r, ui_text_width(a->ui, UI_FONT_BOLD, ts, n)), n, UI_FONT_BOLD,
             ts, a->look.pal->primary, UI_RIGHT);
}

void screen_accompany(struct app *a, struct ui_rect r)
{
    if (a->dir.step == STEP_RESULTS && restart(a, r))
        return;
    if (a->dir.step < STEP_RESULTS)
        step_label(a, r);
    if (w_back(&a->look, &r)) {
        a->dir.step--;
        if (a->dir.step == 0 && a->dir.from_home)
            a->screen = SCR_HOME;
        ui_scroll_reset(a->ui, "path");
        return;
    }
    if (a->dir.step == STEP_RESULTS)
        results(a, r);
    else
        question(a, r);
}
