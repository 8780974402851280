/* run: the daemon's three loops and the --once sequence.
 *
 * Design (docs/architecture.md asks for a push within a second of a new outbox row,
 * even while a pull is long-polling): three threads, each with its own
 * SQLite connection and its own libcurl handle, so neither waits for the
 * other.
 *   - The puller (the main thread) long-polls GET /v1/changes (wait=25)
 *     and applies each page with its cursor in one transaction.
 *   - The pusher wakes every RUN_POLL_MS, reads PRAGMA data_version (it
 *     changes when another connection, such as the kiosk's, commits) and,
 *     when it moved or rows are left, pushes the outbox in batches.
 *   - The picturer wakes like the pusher and, when the replica changed
 *     or a round failed, fetches the pictures rows name into the cache
 *     folder (piccache.h): on its own thread and connection, so that a
 *     picture never delays a row.
 * Each has its own back-off timer; a success of either tells the other
 * the hub is back, so it retries at once instead of finishing its wait.
 * SIGTERM/SIGINT set `stop`: transfers are cancelled within about a
 * second (a libcurl progress callback), an open transaction always
 * finishes first (the flag is only read between steps), and the program
 * exits 0. */
#ifndef SCEAUX_SYNCD_RUN_H
#define SCEAUX_SYNCD_RUN_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "http.h"

#define RUN_POLL_MS 200 /* outbox poll and stop-flag check interval */
#define RUN_WAIT 25     /* long-poll seconds, under common proxy idle timeouts */

struct run_conf {
    const char *db_path;
    const char *pictures_dir; /* the picture cache folder (piccache.h) */
    uint64_t pictures_max;    /* its cap in bytes */
    struct http_opts http;    /* cancel points at `stop` */
    atomic_int *stop;
};

/* Both return the process exit code: 0, or 1 with a line logged. */
int run_once(const struct run_conf *c);
int run_daemon(const struct run_conf *c);

#endif
