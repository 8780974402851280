#include "num.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

bool num_parse(const char *s, long min, long max, long *out)
{
    /* strtol would skip leading blanks: a number written " 4" is a typo. */
    if (isspace((unsigned char)*s))
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}
