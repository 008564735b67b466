/* auth_http.c - HTTP handlers of login, logout, the current user and the
 * admin's user management. Tokens appear only in the login response. */
#include "auth/auth_internal.h"

#include "territory/territory.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replies 422 with one {path, message, message_vi} per offending member. */
static void reply_fields(mc_req *req, mc_resp *resp, json_t *errs)
{
	mc_diag diag = {0};
	mc_fail2(&diag, MC_ERR_UNPROCESSABLE, "Dữ liệu không hợp lệ.", "Invalid fields.");
	mc_diag_ext(&diag, "errors", errs);
	http_reply_error(req, resp, MC_ERR_UNPROCESSABLE, &diag);
	mc_diag_clear(&diag);
}

/* ---- login / logout / me ---------------------------------------------------- */

static void post_login(mc_req *req, mc_resp *resp)
{
	json_t *body = http_json(req), *errs = json_array();
	json_t *ju = json_object_get(body, "username"), *jp = json_object_get(body, "password");
	auth_login_result r;
	mc_diag diag = {0};
	mc_err e;

	if (!json_is_string(ju))
		mc_errors_add(errs, "$.username", "is required and must be a string",
		              "bắt buộc và phải là chuỗi");
	if (!json_is_string(jp))
		mc_errors_add(errs, "$.password", "is required and must be a string",
		              "bắt buộc và phải là chuỗi");
	if (json_array_size(errs)) {
		mc_fail2(&diag, MC_ERR_INVALID, "Cần tên đăng nhập và mật khẩu.",
		         "username and password are required strings");
		mc_diag_ext(&diag, "errors", errs);
		http_reply_error(req, resp, MC_ERR_INVALID, &diag);
		goto out;
	}
	json_decref(errs);
	e = auth_login(req->app->db, json_string_value(ju), json_string_value(jp), req->client_ip,
	               &r, &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
		if (e == MC_ERR_RATE_LIMITED) {
			char ra[32];
			snprintf(ra, sizeof ra, "%ld", r.retry_after);
			http_add_header(resp, "Retry-After", ra);
		}
		goto out;
	}
	http_reply_json(resp, 200,
	                json_pack("{s:s, s:s, s:s, s:o}", "token", r.token, "token_type", "Bearer",
	                          "expires_at", r.expires_at, "user", r.user));
	http_add_header(resp, "Cache-Control", "no-store");
	sodium_memzero(r.token, sizeof r.token);
out:
	mc_diag_clear(&diag);
}

static void post_logout(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	mc_err e = auth_logout(req->app->db, req->who.username, req->token_hash, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_bytes(resp, 204, "text/plain", "", 0);
	mc_diag_clear(&diag);
}

static void get_me(mc_req *req, mc_resp *resp)
{
	const mc_principal *w = &req->who;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s?, s:s?}", "id", (json_int_t)w->user_id,
	                      "username", w->username, "role", role_name(w->role), "agency",
	                      w->agency[0] ? w->agency : NULL, "person_id",
	                      w->person_id[0] ? w->person_id : NULL);
	json_t *agency = NULL;
	if (w->agency[0] &&
	    http_read_json(req, territory_agency_get, w->agency, &agency, NULL) == MC_OK &&
	    agency) {
		json_object_set_new(o, "agency_name",
		                    json_deep_copy(json_object_get(agency, "name")));
		json_object_set_new(o, "agency_name_en",
		                    json_deep_copy(json_object_get(agency, "name_en")));
	}
	json_decref(agency);
	http_reply_json(resp, 200, o);
}

/* ---- users (admin) -------------------------------------------------------------- */

static void post_user(mc_req *req, mc_resp *resp)
{
	static const char *const known[] = {"username", "password",  "role",
	                                    "agency",   "person_id", NULL};
	json_t *body = http_json(req), *errs = json_array(), *out = NULL, *val;
	auth_user_spec u = {0};
	mc_diag diag = {0};
	const char *key;
	mc_err e;

	json_object_foreach(body, key, val)
	{
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(key, *k) == 0;
		if (!ok) {
			char path[80];
			snprintf(path, sizeof path, "$.%.64s", key);
			mc_errors_add(errs, path, "unknown member", "trường không được hỗ trợ");
		}
	}
	for (int i = 0; i < 5; i++) {
		json_t *v = json_object_get(body, known[i]);
		bool required = i < 3;
		char path[32];
		snprintf(path, sizeof path, "$.%s", known[i]);
		if ((!v && required) || (v && !json_is_string(v) && (required || !json_is_null(v))))
			mc_errors_add(errs, path,
			              required ? "is required and must be a string"
			                       : "must be a string or null",
			              required ? "bắt buộc và phải là chuỗi"
			                       : "phải là chuỗi hoặc null");
	}
	u.username = json_string_value(json_object_get(body, "username"));
	u.password = json_string_value(json_object_get(body, "password"));
	u.agency = json_string_value(json_object_get(body, "agency"));
	u.person_id = json_string_value(json_object_get(body, "person_id"));
	if (!role_parse(json_string_value(json_object_get(body, "role")), &u.role))
		u.role = ROLE_ANONYMOUS; /* reported by the checks as a bad role */
	if (json_array_size(errs)) {
		/* report the value rules too, for members not already reported */
		json_t *more = auth_user_check(&u), *m;
		size_t i;
		json_array_foreach(more, i, m)
		{
			const char *path = json_string_value(json_object_get(m, "path"));
			bool seen = false;
			size_t j;
			json_t *o;
			json_array_foreach(errs, j, o) seen =
			    seen ||
			    strcmp(json_string_value(json_object_get(o, "path")), path) == 0;
			if (!seen)
				json_array_append(errs, m);
		}
		json_decref(more);
		reply_fields(req, resp, errs);
		errs = NULL;
		goto out;
	}
	e = auth_user_create(req->app->db, req->who.username, &u, &out, &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
		goto out;
	}
	{
		const char *loc = mc_arena_printf(req->arena, "/api/v1/users/%s", u.username);
		http_reply_json(resp, 201, out);
		out = NULL;
		http_add_header(resp, "Location", loc);
	}
out:
	json_decref(errs);
	json_decref(out);
	mc_diag_clear(&diag);
}

typedef struct users_ctx {
	const char *role, *agency;
	int64_t after;
	int limit;
	json_t *items;
	bool more;
} users_ctx;

static mc_err users_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	users_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	return auth_user_list(c, x->role, x->agency, x->after, x->limit, &x->items, &x->more, diag);
}

static void get_users(mc_req *req, mc_resp *resp)
{
	users_ctx x = {0};
	mc_diag diag = {0};
	json_t *cur = NULL;
	mc_role role;
	mc_err e;

	e = http_limit(req, 50, 100, &x.limit, &diag);
	if (e)
		goto fail;
	x.role = http_query(req, "role");
	if (x.role && !*x.role)
		x.role = NULL;
	if (x.role && !role_parse(x.role, &role)) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Tham số role không hợp lệ.",
		             "Parameter role must be citizen, officer or admin.");
		goto fail;
	}
	x.agency = http_query(req, "agency");
	if (x.agency && !*x.agency)
		x.agency = NULL;
	if (x.agency && strlen(x.agency) > 64) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Tham số agency quá dài.",
		             "Parameter agency is too long.");
		goto fail;
	}
	e = http_cursor_decode(req, &cur, &diag);
	if (e)
		goto fail;
	if (cur) {
		json_t *a = json_object_get(cur, "after");
		if (!json_is_integer(a) || json_integer_value(a) < 0) {
			e = mc_fail2(&diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.",
			             "Invalid cursor.");
			goto fail;
		}
		x.after = json_integer_value(a);
	}
	e = store_read(req->app->db, users_fn, &x, &diag);
	if (e)
		goto fail;
	http_reply_list(req, resp, x.items, http_next_after(x.items, x.more, "after", "id"));
	x.items = NULL;
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(cur);
	json_decref(x.items);
	mc_diag_clear(&diag);
}

static void get_user(mc_req *req, mc_resp *resp)
{
	http_reply_read(req, resp, auth_user_get, req->params[0]);
}

static void put_user(mc_req *req, mc_resp *resp)
{
	json_t *out = NULL;
	mc_diag diag = {0};
	mc_err e = auth_user_update(req->app->db, req->who.username, req->params[0], http_json(req),
	                            &out, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_json(resp, 200, out);
	mc_diag_clear(&diag);
}

const http_route auth_routes[] = {
    {"POST", "/api/v1/auth/login", post_login, ACCESS_PUBLIC, BODY_JSON},
    {"POST", "/api/v1/auth/logout", post_logout, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/auth/me", get_me, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/users", post_user, ACCESS_ADMIN, BODY_JSON},
    {"GET", "/api/v1/users", get_users, ACCESS_ADMIN, BODY_NONE},
    {"GET", "/api/v1/users/{username}", get_user, ACCESS_ADMIN, BODY_NONE},
    {"PUT", "/api/v1/users/{username}", put_user, ACCESS_ADMIN, BODY_JSON},
    {0},
};
