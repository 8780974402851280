/* sweep: the erasures of personal data and the tombstone purge, each
 * its own writer transaction in the store, run by one hub at a time. */
#include "sweep.h"

#include "log.h"
#include "ts.h"

/* Deletes as a push would what `fn` finds older than `days` (a
 * booking by its end, an offer by its making), and says how many went. */
static int64_t erase(struct store *s, enum err (*fn)(struct store *, int64_t, int64_t *), long days,
                     const char *what)
{
    int64_t erased = 0;
    if (fn(s, ts_now() - (int64_t)days * 86400, &erased))
        log_error("cannot erase old %s: %s", what, store_errmsg(s));
    else if (erased > 0)
        log_info("erased %lld %s older than %ld days", (long long)erased, what, days);
    return erased;
}

/* Whether this round is this hub's, logged when that changes. */
static bool my_turn(struct sweep *sw, struct store *s)
{
    bool mine;
    if (store_sweep_turn(s, &mine)) {
        log_error("skipping the sweeps: cannot tell whether another hub runs them: %s",
                  store_errmsg(s));
        return false;
    }
    if (mine != sw->mine)
        log_info(mine ? "this hub runs the sweeps now (personal data, tombstones)"
                      : "another hub runs the sweeps: this one skips them");
    sw->mine = mine;
    return mine;
}

/* The personal data (holders' names, help offers), then the tombstones:
 * the erased rows' own tombstones are purged tombstone days after the
 * erasure, like any delete. */
void sweep_round(struct sweep *sw, struct store *s, struct hub_http *h)
{
    if (!my_turn(sw, s))
        return;
    int64_t purged = 0;
    int64_t erased = erase(s, store_erase_holders, sw->holders, "bookings") +
                     erase(s, store_erase_offers, sw->offers, "help offers");
    if (store_purge_tombstones(s, ts_now() - (int64_t)sw->tombstones * 86400, &purged))
        log_error("cannot purge old tombstones: %s", store_errmsg(s));
    else if (purged > 0)
        log_info("purged %lld tombstones older than %ld days", (long long)purged, sw->tombstones);
    if (erased > 0 || purged > 0)
        hub_http_notify(h);
}
