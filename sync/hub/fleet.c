/* fleet: an array of kiosk observations with dirty marks. Linear search by
 * name: a town has tens of kiosks, and the bench's thousands of waiters
 * share a few names. */
#include "fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts.h"
#include "xalloc.h"

struct fleet_entry {
    char *name;
    char *site;
    char address[FLEET_ADDRESS_MAX];
    char version[FLEET_VERSION_MAX + 1];
    int64_t outbox;
    enum fault fault;
    int64_t cursor;
    int64_t last_seen;
    bool dirty;
};

void fleet_init(struct fleet *f)
{
    pthread_mutex_init(&f->lock, NULL);
    f->entries = NULL;
    f->count = 0;
    f->cap = 0;
}

void fleet_release(struct fleet *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->entries[i].name);
        free(f->entries[i].site);
    }
    free(f->entries);
    pthread_mutex_destroy(&f->lock);
}

static struct fleet_entry *find_or_add(struct fleet *f, const char *name)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->entries[i].name, name) == 0)
            return &f->entries[i];
    if (f->count == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 16;
        f->entries = xrealloc(f->entries, f->cap * sizeof *f->entries);
    }
    struct fleet_entry *e = &f->entries[f->count++];
    memset(e, 0, sizeof *e);
    e->name = xstrdup(name);
    e->outbox = -1;
    e->cursor = -1;
    return e;
}

void fleet_note(struct fleet *f, const char *name, const char *site, const char *address,
                const char *version, int64_t outbox, enum fault fault, int64_t cursor, int64_t now)
{
    pthread_mutex_lock(&f->lock);
    struct fleet_entry *e = find_or_add(f, name);
    if (site && (!e->site || strcmp(e->site, site) != 0)) {
        free(e->site);
        e->site = xstrdup(site);
    }
    if (address)
        snprintf(e->address, sizeof e->address, "%s", address);
    if (version)
        snprintf(e->version, sizeof e->version, "%s", version);
    if (outbox >= 0)
        e->outbox = outbox;
    e->fault = fault;
    if (cursor >= 0)
        e->cursor = cursor;
    e->last_seen = now;
    e->dirty = true;
    pthread_mutex_unlock(&f->lock);
}

enum err fleet_flush(struct fleet *f, struct store *s)
{
    pthread_mutex_lock(&f->lock);
    struct store_seen *seen = xcalloc(f->count ? f->count : 1, sizeof *seen);
    char(*stamps)[TS_LEN + 1] = xcalloc(f->count ? f->count : 1, sizeof *stamps);
    size_t n = 0;
    for (size_t i = 0; i < f->count; i++) {
        struct fleet_entry *e = &f->entries[i];
        if (!e->dirty)
            continue;
        ts_format(e->last_seen, stamps[n]);
        seen[n] = (struct store_seen){
            .name = e->name,
            .site = e->site,
            .last_seen = stamps[n],
            .cursor = e->cursor,
            .version = e->version[0] ? e->version : NULL,
            .outbox = e->outbox,
            .address = e->address[0] ? e->address : NULL,
            .fault = fault_name(e->fault),
        };
        n++;
    }
    /* Written under the lock: the borrowed strings must not move. Notes
     * from requests wait for one batched commit. */
    enum err rc = store_fleet_record(s, seen, n);
    if (rc == ERR_OK)
        for (size_t i = 0; i < f->count; i++)
            f->entries[i].dirty = false;
    pthread_mutex_unlock(&f->lock);
    free(seen);
    free(stamps);
    return rc;
}
