/* fault: the codes of a kiosk's local faults (see fault.h). */
#include "fault.h"

#include <string.h>

static const char *const names[] = {
    [FAULT_DISK_FULL] = "disk_full",
    [FAULT_READ_ONLY] = "read_only",
};

#define NNAMES (sizeof names / sizeof names[0])

const char *fault_name(enum fault f)
{
    return (unsigned)f < NNAMES ? names[f] : NULL;
}

enum fault fault_parse(const char *s)
{
    for (unsigned i = 0; s && i < NNAMES; i++)
        if (names[i] && strcmp(s, names[i]) == 0)
            return (enum fault)i;
    return FAULT_NONE;
}
