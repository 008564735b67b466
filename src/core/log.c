/* log.c - JSON-lines logging to stderr (one write per line). */
#include "core/log.h"

#include "core/date.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int quiet;

void log_set_quiet(int q)
{
	quiet = q;
}

static void emit(const char *level, const char *fmt, va_list ap)
{
	char msg[1024], ts[32];
	vsnprintf(msg, sizeof msg, fmt, ap);
	json_t *o = json_pack("{s:s, s:s, s:s}", "ts", ts_format(time(NULL), ts), "level", level,
	                      "msg", msg);
	char *line = json_dumps(o, JSON_COMPACT);
	if (line) {
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	json_decref(o);
}

void log_info(const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit("info", fmt, ap);
	va_end(ap);
}

void log_request(const char *method, const char *route, int status, double ms)
{
	if (quiet)
		return;
	char ts[32];
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:f}", "ts",
	                      ts_format(time(NULL), ts), "level", "info", "msg", "request",
	                      "method", method, "route", route, "status", status, "ms", ms);
	char *line = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4));
	if (line) {
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	json_decref(o);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("error", fmt, ap);
	va_end(ap);
}
