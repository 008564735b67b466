/* err.h - the one error-code enum of motcua and the diagnostic that travels
 * with it from services to handlers. Services return mc_err; only HTTP
 * handlers turn an mc_err into a status code (http_status_of in http/). */
#ifndef MC_ERR_H
#define MC_ERR_H

#include <jansson.h>
#include <stdarg.h>

typedef enum mc_err {
	MC_OK = 0,
	MC_ERR_INVALID,         /* malformed request or argument (400) */
	MC_ERR_UNAUTHENTICATED, /* no or bad credentials (401) */
	MC_ERR_FORBIDDEN,       /* authenticated but not allowed (403) */
	MC_ERR_NOT_FOUND,       /* no such object (404) */
	MC_ERR_METHOD,          /* the resource does not support the method (405) */
	MC_ERR_CONFLICT,        /* state conflict, duplicate (409) */
	MC_ERR_TOO_LARGE,       /* size cap exceeded (413) */
	MC_ERR_MEDIA_TYPE,      /* unsupported content type (415) */
	MC_ERR_UNPROCESSABLE,   /* well-formed but fails validation (422) */
	MC_ERR_RATE_LIMITED,    /* too many attempts (429) */
	MC_ERR_UNAVAILABLE,     /* transient, retry later (503) */
	MC_ERR_IO,              /* storage or file-system failure (500) */
	MC_ERR_INTERNAL,        /* bug or impossible state (500) */
	MC_ERR__COUNT
} mc_err;

/* Diagnostic filled by a service next to a non-OK mc_err. `detail` is a
 * human sentence (English; Vietnamese in detail_vi when given), `ext` a JSON
 * object merged into the problem document (e.g. {"errors": [...]} for 422,
 * {"allowed_actions": [...]} for 409). Owned by the caller; release with
 * mc_diag_clear. Every function taking an mc_diag* accepts NULL. */
typedef struct mc_diag {
	char detail[512];
	char detail_vi[512];
	json_t *ext;
} mc_diag;

/* Stable machine name of an error ("not_found"...). Never NULL. */
const char *mc_err_name(mc_err e);

/* Sets diag->detail (printf-style) and returns `e`, so a service can write
 * `return mc_fail(diag, MC_ERR_NOT_FOUND, "no procedure %s", code);`. */
mc_err mc_fail(mc_diag *diag, mc_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Like mc_fail with a Vietnamese sentence as well. */
mc_err mc_fail2(mc_diag *diag, mc_err e, const char *vi, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds `value` (stolen) under `key` in diag->ext, creating ext as needed. */
void mc_diag_ext(mc_diag *diag, const char *key, json_t *value);

/* Appends {"path", "message", "message_vi"} to `errors`, the array of a 422
 * problem's "errors" member (path is a JSON path like "$.form.name"). */
void mc_errors_add(json_t *errors, const char *path, const char *en, const char *vi);

/* Frees diag->ext and empties the texts. */
void mc_diag_clear(mc_diag *diag);

#endif
