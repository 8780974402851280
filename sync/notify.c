/* notify: see notify.h. The watchdog interval is read once, at the first
 * notify_watchdog(). */
#include "notify.h"
#include "ts.h"

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-daemon.h>

void notify_ready(void)
{
    sd_notify(0, "READY=1");
}

void notify_stopping(void)
{
    sd_notify(0, "STOPPING=1");
}

void notify_watchdog(void)
{
    static bool known;
    static uint64_t half_us, last_us;
    if (!known) {
        uint64_t usec = 0;
        if (sd_watchdog_enabled(0, &usec) > 0)
            half_us = usec / 2;
        known = true;
    }
    if (!half_us)
        return;
    uint64_t now = (uint64_t)ts_mono_us();
    if (last_us && now - last_us < half_us)
        return;
    sd_notify(0, "WATCHDOG=1");
    last_us = now;
}
