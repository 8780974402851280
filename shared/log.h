/* log: one line per event on stderr, for programs only (shared/ library
 * code never logs). Lines look like
 *   2026-12-01T09:00:00Z hub: info: GET /v1/health 200 0ms -
 * Messages follow git's style: lower case, subject quoted. */
#ifndef SCEAUX_LOG_H
#define SCEAUX_LOG_H

void log_init(const char *program);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
