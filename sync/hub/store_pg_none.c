/* store_pg_none: the PostgreSQL store in a hub built without libpq (make
 * cross: Debian's libpq-dev is not multiarch): a postgresql:// --db is
 * refused with a sentence that says why. */
#include <stdio.h>

#include "store.h"

enum err store_pg_open(const char *url, struct store **out, char *errbuf, size_t errlen)
{
    (void)url;
    *out = NULL;
    snprintf(errbuf, errlen, "this hub was built without libpq (PostgreSQL)");
    return ERR_INVALID;
}
