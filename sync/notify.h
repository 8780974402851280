/* notify: what a program tells systemd about itself when it runs as a
 * Type=notify service (sd_notify(3) of libsystemd): ready, alive, stopping.
 * Outside systemd (no NOTIFY_SOCKET) every call does nothing. Linked into
 * sceaux-hub, sceaux-syncd and sceaux-kiosk. */
#ifndef SCEAUX_NOTIFY_H
#define SCEAUX_NOTIFY_H

/* READY=1: set up and serving (systemd then starts what waits on us). */
void notify_ready(void);
/* WATCHDOG=1 when half of the unit's WatchdogSec= has passed since the
 * last one; call it from the loop whose hanging must get the program
 * restarted, as often as it turns. One thread only. */
void notify_watchdog(void);
/* STOPPING=1: shutting down on request, not hung. */
void notify_stopping(void);

#endif
