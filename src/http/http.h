/* http.h - what a module handler sees of HTTP: the request, the response it
 * fills, the route table entry that declares it. The server (server.c) owns
 * libmicrohttpd; modules never include microhttpd.h.
 *
 * Handlers run after the whole body has arrived (capped) and after the auth
 * stage has resolved the principal. A handler fills `mc_resp` through the
 * http_reply_* helpers exactly once; memory it needs for the request comes
 * from req->arena. */
#ifndef MC_HTTP_H
#define MC_HTTP_H

#include "app.h"
#include "auth/principal.h"
#include "core/err.h"
#include "core/mem.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_PARAMS 4

typedef struct mc_req {
	mc_app *app;
	mc_arena *arena;
	const char *method;                  /* "GET", "POST", ... */
	const char *path;                    /* URL path, without the query */
	const char *params[HTTP_MAX_PARAMS]; /* {name} segments of the route, decoded */
	const char *body;                    /* raw body, NUL-terminated, may be "" */
	size_t body_len;
	const char *content_type; /* header value or NULL */
	mc_principal who;         /* resolved by the auth stage */
	const char *token_hash;   /* hex hash of the bearer token, or NULL */
	const char *lang;         /* "vi" (default) or "en" */
	const char *client_ip;
	void *conn; /* opaque server connection */
} mc_req;

typedef struct mc_resp {
	int status;
	char *body; /* malloc'ed, owned by the response */
	size_t body_len;
	const char *content_type;
	char *headers[8][2]; /* extra headers, malloc'ed pairs */
	int nheaders;
} mc_resp;

typedef void (*http_handler)(mc_req *req, mc_resp *resp);

typedef enum http_access {
	ACCESS_PUBLIC = 0, /* anyone */
	ACCESS_USER,       /* any authenticated user, else 401 */
	ACCESS_OFFICER,    /* officer or admin, else 401/403 */
	ACCESS_ADMIN,      /* admin, else 401/403 */
} http_access;

typedef enum http_body {
	BODY_NONE = 0, /* no body expected */
	BODY_JSON,     /* application/json required (415 otherwise), parsed */
	BODY_RAW,      /* any content type, up to app->max_upload */
} http_body;

/* One row of a route table. `pattern` segments in braces are parameters:
 * "/api/v1/procedures/{code}". Tables are arrays ended by {0}. */
typedef struct http_route {
	const char *method;
	const char *pattern;
	http_handler handler;
	http_access access;
	http_body body;
} http_route;

/* Value of query parameter `name` (decoded) or NULL. */
const char *http_query(mc_req *req, const char *name);
/* Request header value or NULL (case-insensitive name). */
const char *http_header(mc_req *req, const char *name);
/* Parsed JSON body for BODY_JSON routes: an object, never NULL there. */
json_t *http_json(mc_req *req);

/* Replies `body` (stolen reference) as application/json. */
void http_reply_json(mc_resp *resp, int status, json_t *body);
/* Replies raw bytes (copied) with the given content type. */
void http_reply_bytes(mc_resp *resp, int status, const char *content_type, const void *p, size_t n);
/* Adds a response header (copied). */
void http_add_header(mc_resp *resp, const char *name, const char *value);
/* Replies an application/problem+json document for `e` (status from
 * http_status_of), with diag's detail and extension members. Uses the
 * request language for the title. */
void http_reply_error(mc_req *req, mc_resp *resp, mc_err e, const mc_diag *diag);
/* Shorthand: problem with a Vietnamese sentence and a formatted English
 * detail. */
void http_reply_problem(mc_req *req, mc_resp *resp, mc_err e, const char *vi, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* HTTP status of an error code. */
int http_status_of(mc_err e);

/* Reads a list page size from ?limit= (default def, capped at max; 400 via
 * the returned error when not a positive integer). */
mc_err http_limit(mc_req *req, int def, int max, int *out, mc_diag *diag);

/* Opaque cursors: base64url of a small JSON object. Returns an arena string. */
const char *http_cursor_encode(mc_req *req, json_t *state);
/* Decodes ?cursor= into a new JSON object (*out NULL when absent). */
mc_err http_cursor_decode(mc_req *req, json_t **out, mc_diag *diag);

/* Builds {"items": items, "next_cursor": next_or_null} (items stolen). */
json_t *http_list(json_t *items, const char *next_cursor);
/* Replies 200 with the list page {"items": items, "next_cursor": ...}:
 * the cursor is next_state encoded (http_cursor_encode), or null when
 * next_state is NULL (the last page). Both references are stolen. */
void http_reply_list(mc_req *req, mc_resp *resp, json_t *items, json_t *next_state);
/* The usual next_state of a keyset page: {state_key: <member item_key of
 * the last item>} (new object) when `more` and items is not empty, else
 * NULL. */
json_t *http_next_after(json_t *items, bool more, const char *state_key, const char *item_key);

/* A read of one JSON document by key in a store snapshot, such as
 * territory_agency_get or document_get: fills *out (new reference). */
typedef mc_err (*http_get_fn)(store_conn *c, const char *key, json_t **out, mc_diag *diag);
/* Runs get(conn, key, &doc) with store_read on req->app->db. Returns get's
 * error; *out is the document on MC_OK, NULL otherwise. */
mc_err http_read_json(mc_req *req, http_get_fn get, const char *key, json_t **out, mc_diag *diag);
/* http_read_json, then replies 200 with the document, or the problem
 * document of the error. */
void http_reply_read(mc_req *req, mc_resp *resp, http_get_fn get, const char *key);

#endif
