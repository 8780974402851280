/* notify: see notify.h. The watchdog interval is read once, at the first
 * notify_watchdog(). */
#include "notify.h"

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-daemon.h>
#include <time.h>

void notify_ready(void)
{
    sd_notify(0, "READY=1");
}

void notify_stopping(void)
{
    sd_notify(0, "STOPPING=1");
}

static uint64_t mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
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
    uint64_t now = mono_us();
    if (last_us && now - last_us < half_us)
        return;
    sd_notify(0, "WATCHDOG=1");
    last_us = now;
}
