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
#include <stdint.h>

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
	/* BODY_STREAM routes: the context the route's stream open() returned,
	 * and the first error of open() or write() (MC_OK otherwise) with its
	 * diagnostic; the handler replies accordingly. */
	void *stream_ctx;
	mc_err stream_err;
	mc_diag stream_diag;
} mc_req;

/* A streamed response body: fills buf with at most max bytes from position
 * pos; returns the count, 0 at the end, -1 on error (connection closed). */
typedef long (*http_read_fn)(void *cls, uint64_t pos, char *buf, size_t max);

typedef struct mc_resp {
	int status;
	char *body; /* malloc'ed, owned by the response */
	size_t body_len;
	const char *content_type;
	char *headers[8][2]; /* extra headers, malloc'ed pairs */
	int nheaders;
	/* streamed bodies (http_reply_fd, http_reply_stream) instead of body */
	int fd; /* >= 0 when has_fd: bytes [fd_off, fd_off+fd_len) */
	bool has_fd;
	uint64_t fd_off, fd_len;
	http_read_fn read; /* when not NULL: callback body */
	void *read_cls;
	void (*read_free)(void *cls);
	uint64_t read_size; /* UINT64_MAX: unknown (chunked) */
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
	BODY_STREAM,   /* any size: handed chunk by chunk to the route's stream
	                  callbacks (never buffered whole), after the access check */
} http_body;

/* Callbacks of a BODY_STREAM route. open() runs once the route matched and
 * the caller passed its access level, before the first body byte; write()
 * gets every chunk in order; close() always runs when the request ends
 * (after the handler). After an error of open() or write() the rest of the
 * body is read and dropped, and the handler sees req->stream_err. */
typedef struct http_stream_ops {
	mc_err (*open)(mc_req *req, void **ctx, mc_diag *diag);
	mc_err (*write)(void *ctx, const char *p, size_t n, mc_diag *diag);
	void (*close)(void *ctx);
} http_stream_ops;

/* One row of a route table. `pattern` segments in braces are parameters:
 * "/api/v1/procedures/{code}". Tables are arrays ended by {0}. */
typedef struct http_route {
	const char *method;
	const char *pattern;
	http_handler handler;
	http_access access;
	http_body body;
} http_route;

/* The stream callbacks of a BODY_STREAM route, found by its handler. Tables
 * are arrays ended by {0}, listed in routes.c (stream_routes_all). */
typedef struct http_stream_route {
	http_handler handler;
	const http_stream_ops *ops;
} http_stream_route;

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
/* Replies `len` bytes of file `fd` from `off` (sendfile; the response
 * owns and closes fd). */
void http_reply_fd(mc_resp *resp, int status, const char *content_type, int fd, uint64_t off,
                   uint64_t len);
/* Replies a body produced by `read` (cls freed with free_fn, which may be
 * NULL, when the response is done); size UINT64_MAX when unknown. */
void http_reply_stream(mc_resp *resp, int status, const char *content_type, uint64_t size,
                       http_read_fn read, void *cls, void (*free_fn)(void *cls));
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
/* The common cursor of one integer: when ?cursor= is present it must
 * decode to an object whose only member `member` is an integer in [min, max],
 * which goes to *out (MC_ERR_INVALID "invalid cursor" otherwise); *out is
 * left as it is when there is no cursor. */
mc_err http_cursor_int(mc_req *req, const char *member, int64_t min, int64_t max, int64_t *out,
                       mc_diag *diag);

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
