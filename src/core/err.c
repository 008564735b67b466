/* err.c - names of error codes and the mc_diag helpers. */
#include "core/err.h"

#include <stdio.h>
#include <string.h>

static const char *const names[MC_ERR__COUNT] = {
    [MC_OK] = "ok",
    [MC_ERR_INVALID] = "invalid",
    [MC_ERR_UNAUTHENTICATED] = "unauthenticated",
    [MC_ERR_FORBIDDEN] = "forbidden",
    [MC_ERR_NOT_FOUND] = "not_found",
    [MC_ERR_METHOD] = "method_not_allowed",
    [MC_ERR_CONFLICT] = "conflict",
    [MC_ERR_TOO_LARGE] = "too_large",
    [MC_ERR_MEDIA_TYPE] = "unsupported_media_type",
    [MC_ERR_UNPROCESSABLE] = "unprocessable",
    [MC_ERR_RATE_LIMITED] = "rate_limited",
    [MC_ERR_UNAVAILABLE] = "unavailable",
    [MC_ERR_IO] = "io",
    [MC_ERR_INTERNAL] = "internal",
};

const char *mc_err_name(mc_err e)
{
	if ((int)e < 0 || e >= MC_ERR__COUNT)
		return "internal";
	return names[e];
}

mc_err mc_fail(mc_diag *diag, mc_err e, const char *fmt, ...)
{
	if (diag) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(diag->detail, sizeof diag->detail, fmt, ap);
		va_end(ap);
	}
	return e;
}

mc_err mc_fail2(mc_diag *diag, mc_err e, const char *vi, const char *fmt, ...)
{
	if (diag) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(diag->detail, sizeof diag->detail, fmt, ap);
		va_end(ap);
		snprintf(diag->detail_vi, sizeof diag->detail_vi, "%s", vi);
	}
	return e;
}

void mc_diag_ext(mc_diag *diag, const char *key, json_t *value)
{
	if (!diag) {
		json_decref(value);
		return;
	}
	if (!diag->ext)
		diag->ext = json_object();
	json_object_set_new(diag->ext, key, value);
}

void mc_errors_add(json_t *errors, const char *path, const char *en, const char *vi)
{
	json_array_append_new(
	    errors, json_pack("{s:s, s:s, s:s}", "path", path, "message", en, "message_vi", vi));
}

void mc_diag_clear(mc_diag *diag)
{
	if (!diag)
		return;
	json_decref(diag->ext);
	diag->ext = NULL;
	diag->detail[0] = '\0';
	diag->detail_vi[0] = '\0';
}
