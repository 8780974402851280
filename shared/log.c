/* log: lines on stderr, one write each so lines from threads never
 * interleave; timestamped, or level-prefixed for journald. */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "sceaux";
/* systemd sets JOURNAL_STREAM when stderr is the journal, which stamps
 * lines itself and reads the level from a "<N>" prefix (sd-daemon(3)).
 * Read once in log_init, before any thread logs. */
static bool journal;

void log_init(const char *program)
{
    prog = program;
    journal = getenv("JOURNAL_STREAM") != NULL;
}

/* Control characters (a newline in a URL, an escape sequence) become '?':
 * one event stays one line, and input cannot forge lines or colours. */
static void defang(char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            s[i] = '?';
}

static void emit(int priority, const char *level, const char *fmt, va_list ap)
{
    char line[2048];
    int n;
    if (journal) {
        n = snprintf(line, sizeof line, "<%d>%s: %s: ", priority, prog, level);
    } else {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        n = snprintf(line, sizeof line, "%s %s: %s: ", stamp, prog, level);
    }
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    if (m < 0)
        return;
    size_t len =
        (size_t)n +
        ((size_t)m < sizeof line - (size_t)n - 1 ? (size_t)m : sizeof line - (size_t)n - 2);
    defang(line + n, len - (size_t)n);
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(6, "info", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(3, "error", fmt, ap);
    va_end(ap);
}
