/* fleet: what the hub last saw of each kiosk, kept in memory and written
 * to the store in batches.
 *
 * Every kiosk request updates its entry (time, address, the X-Sceaux-*
 * headers: version, outbox, fault; the cursor of a pull); writing that to the database on every
 * request would cost a synchronous commit per pull. fleet_flush() writes
 * the changed entries in one transaction: the hub calls it every few
 * seconds, before answering GET /v1/fleet, and at shutdown. Thread-safe. */
#ifndef SCEAUX_HUB_FLEET_H
#define SCEAUX_HUB_FLEET_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "fault.h"
#include "store.h"

#define FLEET_VERSION_MAX 64
#define FLEET_ADDRESS_MAX 64

struct fleet_entry;

struct fleet {
    pthread_mutex_t lock;
    struct fleet_entry *entries; /* owned array */
    size_t count, cap;
};

void fleet_init(struct fleet *f);
void fleet_release(struct fleet *f);

/* One observation of a kiosk. version NULL and outbox -1 keep the last
 * values; cursor -1 when the request was not a pull. fault is the one
 * each request reports (FAULT_NONE when healthy): it replaces the last. */
void fleet_note(struct fleet *f, const char *name, const char *site, const char *address,
                const char *version, int64_t outbox, enum fault fault, int64_t cursor, int64_t now);

/* Writes the entries changed since the last flush. On error they stay
 * marked and are written next time (so a caller may go on: not MUST_USE). */
enum err fleet_flush(struct fleet *f, struct store *s);

#endif
