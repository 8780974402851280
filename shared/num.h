/* num: numbers read from command lines and files, strictly. */
#ifndef SCEAUX_NUM_H
#define SCEAUX_NUM_H
#include <stdbool.h>

/* Whether s is a whole base-10 integer in [min, max] (no blank, sign
 * allowed, nothing after it); its value then in *out, otherwise *out is
 * untouched. */
bool num_parse(const char *s, long min, long max, long *out);

#endif
