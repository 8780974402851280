/* store_pg_apply: writing public rows in the PostgreSQL backend: the
 * sweeps of personal data (old bookings with their holders, old help
 * offers), which delete rows as a push would, and applying push changes. */
#include <stdlib.h>

#include "store_pg_int.h"
#include "ts.h"
#include "xalloc.h"

struct sweep {
    const char *table;
    const char *sql; /* the ids to erase, by the cutoff bound to $1 */
    int64_t cutoff;
    int64_t *count;
};

/* A writer: each erased row gets its seq and tombstone. */
static enum err erase_rows(struct pgs_store *st, PGconn *c, const void *p)
{
    const struct sweep *a = p;
    const struct table *t = tables_find(a->table);
    char cutoff[TS_LEN + 1];
    ts_format(a->cutoff, cutoff);
    PGresult *r;
    enum err rc = pgs_exec(c, &r, a->sql, "find rows to erase", "t", cutoff);
    if (rc)
        return rc;
    int n = PQntuples(r);
    int64_t seq;
    for (int i = 0; i < n && rc == ERR_OK; i++)
        rc = pgs_delete_row(st, c, t, PQgetvalue(r, i, 0), &seq);
    PQclear(r);
    if (rc == ERR_OK)
        *a->count = n;
    return rc;
}

static enum err sweep(struct store *base, struct sweep *a)
{
    *a->count = 0;
    enum err rc = pgs_in_tx(pgs(base), true, erase_rows, a);
    if (rc)
        *a->count = 0;
    return rc;
}

enum err pgs_erase_holders(struct store *base, int64_t ended_before, int64_t *erased)
{
    struct sweep a = {"booking", "SELECT id FROM booking WHERE ends_at < $1 ORDER BY id",
                      ended_before, erased};
    return sweep(base, &a);
}

enum err pgs_erase_offers(struct store *base, int64_t created_upto, int64_t *erased)
{
    struct sweep a = {"help_offer", "SELECT id FROM help_offer WHERE created_at <= $1 ORDER BY id",
                      created_upto, erased};
    return sweep(base, &a);
}

/* Until decide.c answers push changes for every backend (issue 13), this
 * store refuses them rather than copy store_sqlite_apply.c's rules. */
enum err pgs_apply(struct store *base, const struct store_caller *who, const struct push_change *ch,
                   int64_t now, struct push_result *out)
{
    (void)base;
    (void)who;
    (void)ch;
    (void)now;
    (void)out;
    return pgs_fail(ERR_DB, "apply", "push changes need decide.c");
}

enum err pgs_push_budget(struct store *base, const char *token, size_t n, int64_t now,
                         int64_t *retry_after)
{
    (void)base;
    (void)token;
    (void)n;
    (void)now;
    *retry_after = 0;
    return pgs_fail(ERR_DB, "push budget", "push changes need decide.c");
}
