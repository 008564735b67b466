/* dossier_http.c - HTTP handlers of the dossier module and its route table:
 * submission (with Idempotency-Key), actions, reading a dossier and its
 * history, the list / officer queue with filters and cursor paging. The
 * handlers parse and check the request, call the service (dossier.c) and
 * turn its errors into problem documents. */
#include "dossier/dossier.h"

#include "core/date.h"
#include "dossier/dossier_rules.h"
#include <string.h>

static void reply_err(mc_req *req, mc_resp *resp, mc_err e, mc_diag *diag)
{
	http_reply_error(req, resp, e, diag);
	mc_diag_clear(diag);
}

static void h_submit(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	bool replayed = false;
	const char *key = http_header(req, "Idempotency-Key");
	mc_err e = dossier_submit(req->app, &req->who, http_json(req), key, &out, &replayed, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	const char *code = json_string_value(json_object_get(out, "code"));
	http_add_header(resp, "Location", mc_arena_printf(req->arena, "/api/v1/dossiers/%s", code));
	if (replayed)
		http_add_header(resp, "Idempotent-Replayed", "true");
	http_reply_json(resp, 201, out);
}

static void h_act(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = dossier_act(req->app, &req->who, req->params[0], http_json(req), &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, out);
}

static void h_get(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = dossier_get(req->app, &req->who, req->params[0], &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, out);
}

static mc_err bad_param(mc_diag *diag, const char *name, const char *en, const char *vi)
{
	mc_err e = mc_fail2(diag, MC_ERR_INVALID, vi, "Invalid parameter %s: %s.", name, en);
	json_t *errors = json_array();
	mc_errors_add(errors, name, en, vi);
	mc_diag_ext(diag, "errors", errors);
	return e;
}

/* GET /api/v1/dossiers/{code}/history?limit=&cursor=: pages of events by
 * seq (the cursor holds {"after": seq}). */
static void h_history(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *items = NULL;
	int limit;
	int64_t after = 0;
	bool more = false;
	mc_err e = http_limit(req, DOSSIER_HISTORY_PAGE, DOSSIER_HISTORY_PAGE, &limit, &diag);
	if (!e)
		e = http_cursor_int(req, "after", 1, INT64_MAX, &after, &diag);
	if (!e)
		e = dossier_history(req->app, &req->who, req->params[0], after, limit, &items,
		                    &more, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_list(req, resp, items, http_next_after(items, more, "after", "seq"));
}

/* Reads the query parameters of the list into q (strings in the arena). */
static mc_err parse_query(mc_req *req, dossier_query *q, mc_diag *diag)
{
	memset(q, 0, sizeof *q);
	q->late = -1;
	const char *s = http_query(req, "status");
	if (s && *s) {
		dossier_status st;
		if (!dossier_status_parse(s, &st))
			return bad_param(diag, "status",
			                 "a status name (e.g. processing) or code 1..10",
			                 "tên trạng thái (ví dụ processing) hoặc mã 1..10");
		q->status = (int)st;
	}
	s = http_query(req, "agency");
	if (s && *s) {
		if (strlen(s) > 64)
			return bad_param(diag, "agency", "an agency code of at most 64 characters",
			                 "mã cơ quan tối đa 64 ký tự");
		q->agency = s;
	}
	s = http_query(req, "due_before");
	if (s && *s) {
		mc_day d;
		if (!date_parse(s, &d))
			return bad_param(diag, "due_before", "a date YYYY-MM-DD",
			                 "ngày dạng YYYY-MM-DD");
		char buf[16];
		q->due_before = mc_arena_strdup(req->arena, date_format(d, buf));
	}
	s = http_query(req, "late");
	if (s && *s) {
		if (strcmp(s, "true") == 0)
			q->late = 1;
		else if (strcmp(s, "false") == 0)
			q->late = 0;
		else
			return bad_param(diag, "late", "true or false", "true hoặc false");
	}
	mc_err e = http_limit(req, 20, 100, &q->limit, diag);
	if (e)
		return e;
	json_t *cur = NULL;
	if ((e = http_cursor_decode(req, &cur, diag)))
		return e;
	if (cur) {
		const char *d = json_string_value(json_object_get(cur, "d"));
		const char *c = json_string_value(json_object_get(cur, "c"));
		mc_day day;
		if (!d || !c || !date_parse(d, &day) || strlen(c) > DOSSIER_CODE_MAX) {
			json_decref(cur);
			return bad_param(diag, "cursor", "not a cursor of this list",
			                 "không phải con trỏ của danh sách này");
		}
		q->after_due = mc_arena_strdup(req->arena, d);
		q->after_code = mc_arena_strdup(req->arena, c);
		json_decref(cur);
	}
	return MC_OK;
}

static void h_list(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	dossier_query q;
	mc_err e = parse_query(req, &q, &diag);
	json_t *items = NULL, *next = NULL;
	if (!e)
		e = dossier_list(req->app, &req->who, &q, &items, &next, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_list(req, resp, items, next);
}

const http_route dossier_routes[] = {
    {"POST", "/api/v1/dossiers", h_submit, ACCESS_USER, BODY_JSON},
    {"GET", "/api/v1/dossiers", h_list, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/dossiers/{code}", h_get, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/dossiers/{code}/history", h_history, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/dossiers/{code}/actions", h_act, ACCESS_USER, BODY_JSON},
    {0},
};
