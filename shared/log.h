/* log: one line per event on stderr, for programs only (shared/ library
 * code never logs). Lines look like
 *   2026-12-01T09:00:00Z hub: info: GET /v1/health 200 0ms -
 * Under systemd (JOURNAL_STREAM set) the stamp gives way to journald's
 * level prefix: "<6>hub: info: ..." (<3> for errors). Control characters
 * in a message are written as '?', so a line is always one event.
 * Messages follow git's style: lower case, subject quoted. */
#ifndef SCEAUX_LOG_H
#define SCEAUX_LOG_H

/* Call first, before any thread logs: it reads the environment once. */
void log_init(const char *program);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
