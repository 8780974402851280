/* Unit tests of the kiosk's string tables (kiosk/i18n.c): both complete,
 * counts by each language's plural rule, and every string written by the
 * rules of typography the kiosk follows: typographic apostrophes, a
 * no-break space before French : ; ! ? », none before English
 * punctuation, a number never apart from its unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../kiosk/i18n.h"
#include "tables.h"

#define NBSP I18N_NBSP
#define NNBSP I18N_NNBSP

static const char *const lang_name[LANG_COUNT] = {"fr", "en"};

/* The words counted with i18n_count: each S_X_1 with its S_X_N. */
static const enum str counted[] = {S_RESULTS_1, S_SUPPORTS_1, S_CAPACITY_1};

static void test_complete(void **state)
{
    (void)state;
    for (int l = 0; l < LANG_COUNT; l++)
        for (int s = 0; s < S_COUNT; s++) {
            const char *t = i18n_str((enum lang)l, (enum str)s);
            if (!t[0])
                fail_msg("%s string %d is empty", lang_name[l], s);
        }
    assert_string_equal(i18n_str(LANG_FR, S_ROOMS), "Salles");
    assert_string_equal(i18n_str(LANG_EN, S_ROOMS), "Rooms");
    assert_string_equal(i18n_domain(LANG_FR, "sante"), "Santé");
    assert_string_equal(i18n_domain(LANG_FR, "inconnu"), "inconnu");
    char out[64];
    i18n_fill(out, sizeof out, "100%% %s", "x"); /* a table string is data, not a format */
    assert_string_equal(out, "100%% x");
    i18n_date(LANG_FR, 0, 1, 12, 2026, out, sizeof out);
    assert_string_equal(out, "lundi 1er décembre 2026");
}

static void test_plural_rule(void **state)
{
    (void)state;
    char out[64];
    static const struct {
        enum lang l;
        enum str one;
        long long n;
        const char *want;
    } cases[] = {
        {LANG_FR, S_SUPPORTS_1, 0, "0" NBSP "soutien"},
        {LANG_FR, S_SUPPORTS_1, 1, "1" NBSP "soutien"},
        {LANG_FR, S_SUPPORTS_1, 2, "2" NBSP "soutiens"},
        {LANG_FR, S_RESULTS_1, 0, "0" NBSP "initiative"},
        {LANG_FR, S_RESULTS_1, 12, "12" NBSP "initiatives"},
        {LANG_FR, S_CAPACITY_1, 1, "1" NBSP "place"},
        {LANG_EN, S_SUPPORTS_1, 0, "0" NBSP "supporters"},
        {LANG_EN, S_SUPPORTS_1, 1, "1" NBSP "supporter"},
        {LANG_EN, S_SUPPORTS_1, 2, "2" NBSP "supporters"},
        {LANG_EN, S_CAPACITY_1, 1, "1" NBSP "seat"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        i18n_count(cases[i].l, cases[i].one, cases[i].n, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    assert_true(i18n_singular(LANG_FR, 0) && i18n_singular(LANG_FR, 1));
    assert_false(i18n_singular(LANG_FR, 2) || i18n_singular(LANG_EN, 0));
    /* Each pair: one placeholder in both forms, and two different forms. */
    for (int l = 0; l < LANG_COUNT; l++)
        for (size_t i = 0; i < sizeof counted / sizeof *counted; i++) {
            const char *one = i18n_str((enum lang)l, counted[i]);
            const char *many = i18n_str((enum lang)l, (enum str)(counted[i] + 1));
            if (!strstr(one, "%d") || !strstr(many, "%d") || strcmp(one, many) == 0)
                fail_msg("%s plural pair %d: '%s' / '%s'", lang_name[l], counted[i], one, many);
        }
}

static void test_composed(void **state)
{
    (void)state;
    char out[64];
    i18n_pair(LANG_FR, i18n_str(LANG_FR, S_STAGE), i18n_stage(LANG_FR, "emergence"), out,
              sizeof out);
    assert_string_equal(out, "Étape" NBSP ": Émergence");
    i18n_pair(LANG_EN, i18n_str(LANG_EN, S_STAGE), i18n_stage(LANG_EN, "developpement"), out,
              sizeof out);
    assert_string_equal(out, "Stage: Developing");
    i18n_duration(LANG_FR, 90, out, sizeof out);
    assert_string_equal(out, "1" NBSP "h" NBSP "30");
    i18n_duration(LANG_EN, 90, out, sizeof out);
    assert_string_equal(out, "1" NBSP "h" NBSP "30" NBSP "min");
    i18n_duration(LANG_FR, 120, out, sizeof out);
    assert_string_equal(out, "2" NBSP "h");
    i18n_duration(LANG_FR, 30, out, sizeof out);
    assert_string_equal(out, "30" NBSP "min");
}

static bool preceded_by(const char *t, const char *at, const char *space)
{
    size_t k = strlen(space);
    return (size_t)(at - t) >= k && memcmp(at - k, space, k) == 0;
}

/* The rules one string breaks, as a sentence, or NULL. */
static const char *typo_fault(enum lang l, const char *t)
{
    if (strchr(t, '\''))
        return "a straight apostrophe (write ’)";
    if (strchr(t, '"'))
        return "a straight quote (write « » or “ ”)";
    if (strstr(t, "..."))
        return "three dots (write …)";
    if (strstr(t, "  "))
        return "two spaces";
    for (const char *p = t; *p; p++) {
        bool digit = (*p >= '0' && *p <= '9') || (p[0] == '%' && p[1] == 'd');
        const char *after = p[0] == '%' ? p + 2 : p + 1;
        if (digit && *after == ' ')
            return "a breaking space after a number (write I18N_NBSP)";
        bool mark = strchr(":;!?", *p) || strncmp(p, "»", strlen("»")) == 0;
        if (!mark)
            continue;
        bool nb = preceded_by(t, p, NBSP) || preceded_by(t, p, NNBSP);
        if (l == LANG_FR && !nb)
            return "French : ; ! ? » without a no-break space before";
        if (l == LANG_EN && (nb || (p > t && p[-1] == ' ')))
            return "a space before English punctuation";
    }
    const char *open = strstr(t, "«");
    if (open && strncmp(open + strlen("«"), NBSP, strlen(NBSP)) != 0)
        return "« without a no-break space after";
    return NULL;
}

static void check(enum lang l, const char *what, int i, const char *t)
{
    const char *fault = typo_fault(l, t);
    if (fault)
        fail_msg("%s %s %d '%s': %s", lang_name[l], what, i, t, fault);
}

static void test_typography(void **state)
{
    (void)state;
    static const char *const stages[] = {"emergence", "developpement", "mise_en_oeuvre"};
    /* Every value of the protocol, so a new one cannot go untranslated. */
    const struct table *pt = tables_find("proposal");
    const char *const *outcomes = pt->cols[tables_column_index(pt, "outcome")].values;
    static const char *const categories[] = {"forum",       "conference", "atelier", "pitch",
                                             "table_ronde", "conseil",    "autre"};
    static const char *const kinds[] = {"association",   "cooperative",          "mutuelle",
                                        "fondation",     "entreprise_solidaire", "collectivite",
                                        "accompagnement"};
    for (int l = 0; l < LANG_COUNT; l++) {
        enum lang g = (enum lang)l;
        for (int s = 0; s < S_COUNT; s++)
            check(g, "string", s, i18n_str(g, (enum str)s));
        for (int i = 0; tables_domains[i]; i++)
            check(g, "domain", i, i18n_domain(g, tables_domains[i]));
        for (size_t i = 0; i < sizeof stages / sizeof *stages; i++) {
            check(g, "stage", (int)i, i18n_stage(g, stages[i]));
            assert_string_not_equal(i18n_stage(g, stages[i]), stages[i]); /* translated */
        }
        for (int i = 0; outcomes[i]; i++) {
            check(g, "outcome", i, i18n_outcome(g, outcomes[i]));
            check(g, "outcome_about", i, i18n_outcome_about(g, outcomes[i]));
            assert_string_not_equal(i18n_outcome(g, outcomes[i]), outcomes[i]); /* translated */
            assert_string_not_equal(i18n_outcome_about(g, outcomes[i]), "");
        }
        for (size_t i = 0; i < sizeof categories / sizeof *categories; i++)
            check(g, "category", (int)i, i18n_category(g, categories[i]));
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
            check(g, "kind", (int)i, i18n_kind(g, kinds[i]));
    }
}

/* The checker itself catches what it is for. */
static void test_typography_faults(void **state)
{
    (void)state;
    assert_non_null(typo_fault(LANG_FR, "Aujourd'hui"));
    assert_non_null(typo_fault(LANG_FR, "Réserver : %s"));
    assert_non_null(typo_fault(LANG_FR, "Merci !"));
    assert_non_null(typo_fault(LANG_FR, "%d soutiens"));
    assert_non_null(typo_fault(LANG_FR, "de 8 h"));
    assert_non_null(typo_fault(LANG_EN, "Stage : %s"));
    assert_non_null(typo_fault(LANG_EN, "Wait..."));
    assert_null(typo_fault(LANG_FR, "Réserver" NBSP ": %s"));
    assert_null(typo_fault(LANG_FR, "Merci" NNBSP "!"));
    assert_null(typo_fault(LANG_EN, "Book: %s"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete),          cmocka_unit_test(test_plural_rule),
        cmocka_unit_test(test_composed),          cmocka_unit_test(test_typography),
        cmocka_unit_test(test_typography_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
