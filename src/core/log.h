/* log.h - JSON-lines logs on stderr. Never pass secrets (passwords, tokens)
 * to these functions. */
#ifndef MC_LOG_H
#define MC_LOG_H

/* Writes {"ts":..., "level":..., "msg":...} with a printf-formatted msg. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set by `serve --quiet` and tests: info lines are dropped. */
void log_set_quiet(int quiet);

#endif
