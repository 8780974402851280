/* model_int: what model.c (the cached queries) and model_write.c (the
 * outbox writes) share: the handle and its caches. Nothing else includes
 * it. */
#ifndef SCEAUX_KIOSK_MODEL_INT_H
#define SCEAUX_KIOSK_MODEL_INT_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "replica.h"

enum slot {
    Q_INITIATIVES,
    Q_INITIATIVE,
    Q_FEATURED,
    Q_EVENTS,
    Q_EVENTS_MONTH,
    Q_EVENT_NEXT,
    Q_EVENT,
    Q_EVENTS_HOME,
    Q_ROOMS,
    Q_SLOTS,
    Q_ANNOUNCEMENTS,
    Q_ORGS,
    Q_ORG,
    Q_ACCOMPANY,
    Q_OFFERS,
    Q_ORG_INITIATIVES,
    Q_EVENTS_LINKED,
    Q_PROPOSALS,
    Q_SITE,
    Q_ANSWER,
    Q_FIGURES,
    Q_COUNT
};

#define MODEL_READ_WAIT_MS 5000 /* db_open's busy timeout, kept for reads */

struct cache {
    const char *sql;
    char *key; /* the parameters joined, NULL-aware */
    uint64_t gen;
    bool valid;
    struct model_rows rows;
    uint64_t fill; /* times rows were read */
    /* Event slots: rows as occurrences (expand()), as of fill expanded_fill. */
    struct model_rows expanded;
    uint64_t expanded_fill;
};

struct model {
    struct replica *rep;
    sqlite3 *db;
    uint64_t gen;
    int64_t data_version;
    uint64_t polled_ms;
    struct cache caches[Q_COUNT];
    struct model_sync sync; /* model_sync_state's answer at sync_gen */
    uint64_t sync_gen;
};

#endif
