/* options: sceaux-kiosk's settings from its command line and its
 * key=value config file (options.c says how they are read). */
#ifndef SCEAUX_KIOSK_OPTIONS_H
#define SCEAUX_KIOSK_OPTIONS_H
#include "app.h"

#define OPTIONS_MAX_LINES 200

struct options {
    struct app_config cfg;          /* its strings borrowed from argv or owned */
    char *owned[OPTIONS_MAX_LINES]; /* strings from the config file; owned */
    int nowned;
};

/* The defaults: French, the theme's idle time, no night, Debian's fonts. */
void options_init(struct options *o);
/* o->cfg from argv (and the config file it names). Returns -1 to go on,
 * else the exit status with its message printed: 0 after --help or
 * --version, 2 on bad usage (a bad value, an unknown option), 1 when the
 * config file cannot be read. */
int options_parse(struct options *o, int argc, char **argv);
/* Frees the config file's strings (o->cfg's then dangle). */
void options_release(struct options *o);

#endif
