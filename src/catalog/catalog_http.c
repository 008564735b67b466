/* catalog_http.c - HTTP handlers of the procedure catalog: public list,
 * search, procedure and eForm lookups (any version), version history, and
 * the admin writes (create, update, replace the eForm). */
#include "catalog/catalog.h"

#include "core/text.h"

#include <stdlib.h>
#include <string.h>

#define MAX_Q 200     /* bytes of a search query */
#define MAX_FIELD 500 /* bytes of a field filter */
#define MAX_CODE 32   /* bytes of a procedure code */
#define MAX_AGENCY 64

static const char *param(mc_req *req, const char *name)
{
	const char *v = http_query(req, name);
	return v && *v ? v : NULL;
}

static mc_err bad_param(mc_diag *diag, const char *name, const char *en, const char *vi)
{
	char v[256];
	snprintf(v, sizeof v, "Tham số %s không hợp lệ: %s.", name, vi);
	return mc_fail2(diag, MC_ERR_INVALID, v, "invalid parameter %s: %s", name, en);
}

static bool one_of(const char *v, const char *const *set)
{
	for (; *set; set++) {
		if (!strcmp(v, *set))
			return true;
	}
	return false;
}

static bool code_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n > max)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* ?version=N: 0 when absent. */
static mc_err version_param(mc_req *req, int *out, mc_diag *diag)
{
	*out = 0;
	const char *v = param(req, "version");
	if (!v)
		return MC_OK;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 1000000 || v[0] == '+' || v[0] == ' ')
		return bad_param(diag, "version", "a positive integer", "phải là số nguyên dương");
	*out = (int)n;
	return MC_OK;
}

/* The {code} of the path: NOT_FOUND when it cannot be a procedure code. */
static mc_err code_param(mc_req *req, mc_diag *diag)
{
	if (code_ok(req->params[0], MAX_CODE))
		return MC_OK;
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có thủ tục này.", "no such procedure");
}

/* ---- GET /api/v1/procedures ---- */

static void list_procedures(mc_req *req, mc_resp *resp)
{
	static const char *const levels[] = {"ministry", "province", "commune", "other", NULL};
	static const char *const online[] = {"full", "partial", "none", NULL};
	catalog_query q = {0};
	mc_diag diag = {0};
	json_t *cur = NULL, *items = NULL;
	bool more = false;
	mc_err e;
	if ((e = http_limit(req, 20, 100, &q.limit, &diag)))
		goto fail;
	q.q = param(req, "q");
	q.level = param(req, "level");
	q.field = param(req, "field");
	q.agency = param(req, "agency");
	q.online = param(req, "online");
	if (q.q && strlen(q.q) > MAX_Q) {
		e = bad_param(&diag, "q", "at most 200 bytes", "tối đa 200 byte");
		goto fail;
	}
	if (q.q) {
		/* a query of punctuation only lists by code (and pages like it) */
		char *f = text_fold(q.q);
		if (!*f)
			q.q = NULL;
		free(f);
	}
	if (q.level && !one_of(q.level, levels)) {
		e = bad_param(&diag, "level", "one of ministry, province, commune, other",
		              "phải là ministry, province, commune hoặc other");
		goto fail;
	}
	if (q.online && !one_of(q.online, online)) {
		e = bad_param(&diag, "online", "one of full, partial, none",
		              "phải là full, partial hoặc none");
		goto fail;
	}
	if (q.field && strlen(q.field) > MAX_FIELD) {
		e = bad_param(&diag, "field", "at most 500 bytes", "tối đa 500 byte");
		goto fail;
	}
	if (q.agency && !code_ok(q.agency, MAX_AGENCY)) {
		e = bad_param(&diag, "agency", "an agency code", "phải là mã cơ quan");
		goto fail;
	}
	if ((e = http_cursor_decode(req, &cur, &diag)))
		goto fail;
	if (cur) {
		json_t *o = json_object_get(cur, "o"), *a = json_object_get(cur, "after");
		if (q.q && json_is_integer(o) && json_integer_value(o) >= 0 &&
		    json_integer_value(o) <= 100000) {
			q.offset = (int)json_integer_value(o);
		} else if (!q.q && json_is_string(a) && strlen(json_string_value(a)) <= MAX_CODE) {
			q.after = json_string_value(a);
		} else {
			e = mc_fail2(&diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.",
			             "invalid cursor");
			goto fail;
		}
	}
	if ((e = catalog_list(req->app->db, &q, &items, &more, &diag)))
		goto fail;
	json_t *state = NULL;
	size_t n = json_array_size(items);
	if (!q.q)
		state = http_next_after(items, more, "after", "code");
	else if (more && n) /* search results page by offset */
		state = json_pack("{s:i}", "o", q.offset + (int)n);
	http_reply_list(req, resp, items, state);
	items = NULL;
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(items);
	json_decref(cur);
	mc_diag_clear(&diag);
}

/* ---- GET /api/v1/procedures/{code} and /form ---- */

static void get_procedure(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	char *json = NULL;
	int version;
	mc_err e = version_param(req, &version, &diag);
	if (!e)
		e = code_param(req, &diag);
	if (!e)
		e = catalog_render(req->app->db, req->params[0], version, &json, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_bytes(resp, 200, "application/json", json, strlen(json));
	free(json);
	mc_diag_clear(&diag);
}

static void get_form(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	char *json = NULL;
	int version, got = 0;
	mc_err e = version_param(req, &version, &diag);
	if (!e)
		e = code_param(req, &diag);
	if (!e)
		e = catalog_form_get(req->app->db, req->params[0], version, &json, &got, &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
	} else {
		http_reply_bytes(resp, 200, "application/json", json, strlen(json));
		char v[16];
		snprintf(v, sizeof v, "%d", got);
		http_add_header(resp, "Procedure-Version", v);
	}
	free(json);
	mc_diag_clear(&diag);
}

/* ---- GET /api/v1/procedures/{code}/versions ---- */

static void get_versions(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *items = NULL;
	int limit;
	int64_t before = 0;
	bool more = false;
	mc_err e;
	if ((e = http_limit(req, 20, 100, &limit, &diag)))
		goto fail;
	if ((e = http_cursor_int(req, "before", 1, 1000000, &before, &diag)))
		goto fail;
	if ((e = code_param(req, &diag)))
		goto fail;
	if ((e = catalog_versions(req->app->db, req->params[0], (int)before, limit, &items, &more,
	                          &diag)))
		goto fail;
	http_reply_list(req, resp, items, http_next_after(items, more, "before", "version"));
	items = NULL;
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(items);
	mc_diag_clear(&diag);
}

/* ---- admin writes ---- */

static void post_procedure(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = catalog_create(req->app->db, req->who.username, http_json(req), &out, &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
	} else {
		const char *loc = mc_arena_printf(req->arena, "/api/v1/procedures/%s",
		                                  json_string_value(json_object_get(out, "code")));
		http_reply_json(resp, 201, out);
		http_add_header(resp, "Location", loc);
	}
	mc_diag_clear(&diag);
}

/* An admin change of the procedure {code}: catalog_update or
 * catalog_form_put. */
typedef mc_err (*put_fn)(store *s, const char *actor, const char *code, json_t *body, json_t **out,
                         mc_diag *diag);

static void put_with(mc_req *req, mc_resp *resp, put_fn fn)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = code_param(req, &diag);
	if (!e)
		e = fn(req->app->db, req->who.username, req->params[0], http_json(req), &out,
		       &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_json(resp, 200, out);
	mc_diag_clear(&diag);
}

static void put_procedure(mc_req *req, mc_resp *resp)
{
	put_with(req, resp, catalog_update);
}

static void put_form(mc_req *req, mc_resp *resp)
{
	put_with(req, resp, catalog_form_put);
}

const http_route catalog_routes[] = {
    {"GET", "/api/v1/procedures", list_procedures, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/v1/procedures", post_procedure, ACCESS_ADMIN, BODY_JSON},
    {"GET", "/api/v1/procedures/{code}", get_procedure, ACCESS_PUBLIC, BODY_NONE},
    {"PUT", "/api/v1/procedures/{code}", put_procedure, ACCESS_ADMIN, BODY_JSON},
    {"GET", "/api/v1/procedures/{code}/form", get_form, ACCESS_PUBLIC, BODY_NONE},
    {"PUT", "/api/v1/procedures/{code}/form", put_form, ACCESS_ADMIN, BODY_JSON},
    {"GET", "/api/v1/procedures/{code}/versions", get_versions, ACCESS_PUBLIC, BODY_NONE},
    {0},
};
