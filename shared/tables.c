/* tables: the column descriptions of docs/protocol.md as static data. */
#include "tables.h"

#include <string.h>

const char *const tables_domains[] = {
    "entrepreneuriat_social",
    "participation_citoyenne",
    "agriculture",
    "jeunesse",
    "sport",
    "education_formation",
    "sante",
    "habitat",
    "mobilite",
    "action_sociale",
    "culture",
    "environnement",
    NULL,
};

const char *const tables_stages[] = {"emergence", "developpement", "mise_en_oeuvre", NULL};
/* What a support actor offers a project carrier (the needs of the field
 * study: funding, premises, training, a network, legal advice, advice and
 * mentoring, information). */
const char *const tables_offers[] = {
    "financement",       "local",   "formation",   "reseau",
    "conseil_juridique", "conseil", "information", NULL,
};
static const char *const org_kinds[] = {
    "association",          "cooperative",  "mutuelle",       "fondation",
    "entreprise_solidaire", "collectivite", "accompagnement", NULL,
};
static const char *const categories[] = {
    "forum", "conference", "atelier", "pitch", "table_ronde", "conseil", "autre", NULL,
};
static const char *const booking_statuses[] = {"confirmed", "cancelled", NULL};
static const char *const priorities[] = {"info", "important", "urgent", NULL};
static const char *const proposal_statuses[] = {"submitted", "published", "rejected", NULL};
static const char *const figure_kinds[] = {"headline", "bar", NULL};
static const char *const figure_units[] = {"number", "percent", "euro", NULL};
static const char *const figure_qualifiers[] = {"about", "nearly", "over", NULL};
/* What became of a published idea (docs/protocol.md, "Ideas"). */
static const char *const proposal_outcomes[] = {"a_l_etude", "retenue", "realisee", "non_retenue",
                                                NULL};
static const char *const offer_statuses[] = {"new", "passed_on", NULL};

#define ID(n)                                                                                      \
    {                                                                                              \
        n, COL_ID, 0, 0, NULL                                                                      \
    }
#define ID_OPT(n)                                                                                  \
    {                                                                                              \
        n, COL_ID, COL_OPT, 0, NULL                                                                \
    }
#define TEXT(n, max)                                                                               \
    {                                                                                              \
        n, COL_TEXT, 0, max, NULL                                                                  \
    }
#define TEXT_OPT(n, max)                                                                           \
    {                                                                                              \
        n, COL_TEXT, COL_OPT, max, NULL                                                            \
    }
#define ENUM(n, v)                                                                                 \
    {                                                                                              \
        n, COL_ENUM, 0, 0, v                                                                       \
    }
#define ENUM_OPT(n, v)                                                                             \
    {                                                                                              \
        n, COL_ENUM, COL_OPT, 0, v                                                                 \
    }
/* Additions (docs/protocol.md): optional, so a push may leave them out. */
#define SET_OPT(n, v)                                                                              \
    {                                                                                              \
        n, COL_SET, COL_OPT, 0, v                                                                  \
    }
#define TIME(n)                                                                                    \
    {                                                                                              \
        n, COL_TIME, 0, 0, NULL                                                                    \
    }
#define COUNT(n) (int)(sizeof(n) / sizeof(n[0]))

static const struct column site_cols[] = {
    ID("id"),
    TEXT("name", 120),
    TEXT("address", 200),
};

static const struct column room_cols[] = {
    ID("id"),
    ID("site_id"),
    TEXT("name", 80),
    {"capacity", COL_INT, 0, 0, NULL},
    TEXT_OPT("equipment", 300),
    {"bookable", COL_BOOL, 0, 0, NULL},
    {"opens", COL_HHMM, 0, 0, NULL},
    {"closes", COL_HHMM, 0, 0, NULL},
};

static const struct column initiative_cols[] = {
    ID("id"),
    TEXT("title", 120),
    TEXT("summary", 280),
    TEXT("description", 4000),
    ENUM("domain", tables_domains),
    ENUM("stage", tables_stages),
    TEXT("carrier", 120),
    TEXT_OPT("contact", 200),
    TEXT_OPT("url", 300),
    {"supports", COL_INT, COL_HUB_SET, 0, NULL},
    {"published", COL_BOOL, 0, 0, NULL},
    {"updated_at", COL_TIME, COL_HUB_SET, 0, NULL},
    ID_OPT("organization_id"), /* an addition: the actor that carries or accompanies it */
    /* Additions (docs/protocol.md, "Pictures"): the hub refuses a picture
     * without its alternative text. */
    {"picture", COL_PICTURE, COL_OPT, 0, NULL},
    TEXT_OPT("picture_alt", TABLES_PICTURE_ALT_MAX),
};

static const struct column organization_cols[] = {
    ID("id"),
    TEXT("name", 120),
    ENUM("kind", org_kinds),
    TEXT("description", 2000),
    ENUM_OPT("domain", tables_domains),
    TEXT_OPT("contact", 200),
    TEXT_OPT("url", 300),
    TEXT_OPT("address", 200),
    SET_OPT("offers", tables_offers),
    SET_OPT("stages", tables_stages), /* the stages of a project it accompanies */
    {"picture", COL_PICTURE, COL_OPT, 0, NULL},
    TEXT_OPT("picture_alt", TABLES_PICTURE_ALT_MAX),
};

static const struct column event_cols[] = {
    ID("id"),
    TEXT("title", 120),
    TEXT("description", 4000),
    TIME("starts_at"),
    TIME("ends_at"),
    ID_OPT("site_id"),
    ID_OPT("room_id"),
    TEXT_OPT("place", 200),
    ENUM("category", categories),
    ENUM_OPT("domain", tables_domains),
    TEXT_OPT("organizer", 120),
    TEXT_OPT("url", 300),
    /* An addition (docs/protocol.md): a push may leave it out. */
    {"rrule", COL_RRULE, COL_OPT, 0, NULL},
    ID_OPT("organization_id"), /* an addition: the actor that holds it or takes part */
    {"picture", COL_PICTURE, COL_OPT, 0, NULL},
    TEXT_OPT("picture_alt", TABLES_PICTURE_ALT_MAX),
};

static const struct column booking_cols[] = {
    ID("id"),
    ID("room_id"),
    TIME("starts_at"),
    TIME("ends_at"),
    {"holder", COL_TEXT, COL_STAFF, TABLES_HOLDER_MAX, NULL},
    TEXT_OPT("purpose", 120),
    ENUM("status", booking_statuses),
    {"cancel_code", COL_CODE, COL_OPT | COL_PUSH_ONLY, 0, NULL},
    {"cancel_hash", COL_TEXT, COL_OPT | COL_HUB, 200, NULL},
    {"created_by", COL_TEXT, COL_OPT | COL_HUB, 120, NULL},
};

static const struct column announcement_cols[] = {
    ID("id"),
    TEXT("title", 120),
    TEXT("body", 1000),
    ENUM("priority", priorities),
    TIME("starts_at"),
    TIME("ends_at"),
    {"target", COL_TARGET, 0, 0, NULL},
    TEXT_OPT("author", 120),
    {"picture", COL_PICTURE, COL_OPT, 0, NULL},
    TEXT_OPT("picture_alt", TABLES_PICTURE_ALT_MAX),
};

static const struct column support_cols[] = {
    ID("id"),
    ID("initiative_id"),
    {"created_by", COL_TEXT, COL_OPT | COL_HUB, 120, NULL},
};

static const struct column proposal_cols[] = {
    ID("id"),
    TEXT("text", TABLES_IDEA_TEXT_MAX),
    ENUM_OPT("domain", tables_domains),
    TEXT_OPT("author_name", TABLES_IDEA_AUTHOR_MAX),
    ENUM("status", proposal_statuses),
    {"created_at", COL_TIME, COL_HUB_SET, 0, NULL},
    /* Whether it was ever published: one that leaves `published` reaches
     * kiosks as a delete, one never published never reaches them. */
    {"was_published", COL_BOOL, COL_OPT | COL_HUB, 0, NULL},
    /* Additions (docs/protocol.md, "Ideas"): optional, so rows of an
     * older hub still apply. */
    {"supports", COL_INT, COL_OPT | COL_HUB_SET, 0, NULL},
    ENUM_OPT("outcome", proposal_outcomes),
    TEXT_OPT("answer", TABLES_IDEA_ANSWER_MAX),
};

static const struct column proposal_support_cols[] = {
    ID("id"),
    ID("proposal_id"),
    {"created_by", COL_TEXT, COL_OPT | COL_HUB, 120, NULL},
};

/* A key figure (docs/protocol.md, an addition): figures of one `chart`
 * are shown together, headlines as big numbers and bars as a bar chart,
 * by position. */
static const struct column figure_cols[] = {
    ID("id"),
    ID("chart"),
    ENUM("kind", figure_kinds),
    TEXT("label", 120),
    TEXT_OPT("label_en", 120),
    ENUM_OPT("domain", tables_domains),
    {"value", COL_INT, 0, 0, NULL},
    ENUM("unit", figure_units),
    ENUM_OPT("qualifier", figure_qualifiers),
    TEXT("source", 200),
    {"year", COL_INT, COL_OPT, 0, NULL},
    {"position", COL_INT, 0, 0, NULL},
};

/* An offer of help to an initiative (docs/protocol.md): staff pass it on
 * to the carrier, the hub erases it after --offer-days. consent must be
 * true (the hub's rule): the person accepted the sentence shown. */
static const struct column help_offer_cols[] = {
    ID("id"),
    ID("initiative_id"),
    TEXT("first_name", TABLES_OFFER_NAME_MAX),
    {"contact", COL_CONTACT, 0, TABLES_CONTACT_MAX, NULL},
    {"consent", COL_BOOL, 0, 0, NULL},
    ENUM("status", offer_statuses),
    {"created_at", COL_TIME, COL_HUB_SET, 0, NULL},
};

static const char *const initiative_search[] = {"title", "summary", "description", "carrier", NULL};
static const char *const organization_search[] = {"name", "description", NULL};
static const char *const event_search[] = {"title", "description", "place", "organizer", NULL};

/* Order matters: a table comes after those it references, so loading a
 * dataset or rebuilding a replica in this order never breaks a reference. */
const struct table tables_all[] = {
    {"site", site_cols, COUNT(site_cols), 0, NULL},
    {"room", room_cols, COUNT(room_cols), 0, NULL},
    {"organization", organization_cols, COUNT(organization_cols), 0, organization_search},
    {"initiative", initiative_cols, COUNT(initiative_cols), 0, initiative_search},
    {"event", event_cols, COUNT(event_cols), 0, event_search},
    {"booking", booking_cols, COUNT(booking_cols), 0, NULL},
    {"announcement", announcement_cols, COUNT(announcement_cols), 0, NULL},
    {"support", support_cols, COUNT(support_cols), TABLE_HUB, NULL},
    {"proposal", proposal_cols, COUNT(proposal_cols), 0, NULL},
    {"figure", figure_cols, COUNT(figure_cols), 0, NULL},
    {"proposal_support", proposal_support_cols, COUNT(proposal_support_cols), TABLE_HUB, NULL},
    {"help_offer", help_offer_cols, COUNT(help_offer_cols), TABLE_STAFF, NULL},
};
const int tables_count = COUNT(tables_all);

const struct table *tables_find(const char *name)
{
    for (int i = 0; i < tables_count; i++)
        if (strcmp(tables_all[i].name, name) == 0)
            return &tables_all[i];
    return NULL;
}

int tables_column_index(const struct table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return i;
    return -1;
}

bool tables_set_has(const char *set, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = set; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, value, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

bool tables_column_public(const struct column *c)
{
    return !(c->flags & (COL_HUB | COL_PUSH_ONLY));
}

bool tables_column_pushable(const struct column *c)
{
    return !(c->flags & (COL_HUB | COL_HUB_SET));
}

bool tables_replicated(const struct table *t)
{
    return !(t->flags & (TABLE_HUB | TABLE_STAFF));
}

bool tables_column_pull_nullable(const struct column *c)
{
    return (c->flags & (COL_OPT | COL_STAFF)) != 0;
}
