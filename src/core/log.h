/* log.h - JSON-lines logs on stderr. Never pass secrets (passwords, tokens)
 * to these functions. */
#ifndef MC_LOG_H
#define MC_LOG_H

/* Writes {"ts":..., "level":..., "msg":...} with a printf-formatted msg. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One access-log line: {"ts", "level": "info", "msg": "request", "method",
 * "route", "status", "ms"}. `route` is the route pattern (e.g.
 * "/api/v1/dossiers/{code}"), never the concrete path, so identifiers and
 * search terms of citizens stay out of the logs. */
void log_request(const char *method, const char *route, int status, double ms);
/* Set by `serve --quiet` and tests: info lines are dropped. */
void log_set_quiet(int quiet);

#endif
