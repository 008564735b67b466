/* exchange_http.c - HTTP handlers of the exchange module and its route
 * table: a citizen's consents (list, grant, revoke), their access log
 * ("who used my data"), the category list, and the exchange read of a
 * person's data by an agency's officer (deny by default; 403 with a
 * problem document when there is neither a legal basis nor a consent). */
#include "exchange/exchange.h"

#include <stdlib.h>
#include <string.h>

static void reply_err(mc_req *req, mc_resp *resp, mc_err e, mc_diag *diag)
{
	http_reply_error(req, resp, e, diag);
	mc_diag_clear(diag);
}

static mc_err bad_cursor(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.", "Invalid cursor.");
}

static mc_err no_person(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_FORBIDDEN, "Tài khoản chưa gắn số định danh cá nhân.",
	                "This account has no personal number.");
}

/* ---- GET /api/v1/exchange/categories ---- */

static void h_categories(mc_req *req, mc_resp *resp)
{
	json_t *items = json_array();
	for (const exchange_category *k = exchange_categories; k->code; k++)
		json_array_append_new(items,
		                      json_pack("{s:s, s:s, s:s}", "code", k->code, "name_vi",
		                                k->name_vi, "name_en", k->name_en));
	http_reply_list(req, resp, items, NULL);
}

/* ---- GET /api/v1/consents ---- */

typedef struct list_ctx {
	const char *person;
	int limit;
	const char *after_g, *after_i;
	int64_t before;
	json_t *items;
	bool more;
} list_ctx;

static mc_err consents_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	return exchange_consent_list(c, x->person, x->limit, x->after_g, x->after_i, &x->items,
	                             &x->more, diag);
}

static void h_consents(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *cur = NULL;
	list_ctx x = {.person = req->who.person_id};
	mc_err e = MC_OK;
	if (req->who.role != ROLE_CITIZEN || !req->who.person_id[0])
		e = no_person(&diag);
	if (!e)
		e = http_limit(req, 50, 100, &x.limit, &diag);
	if (!e)
		e = http_cursor_decode(req, &cur, &diag);
	if (!e && cur) {
		x.after_g = json_string_value(json_object_get(cur, "g"));
		x.after_i = json_string_value(json_object_get(cur, "i"));
		if (!x.after_g || !x.after_i || strlen(x.after_g) > 32 || strlen(x.after_i) > 64)
			e = bad_cursor(&diag);
	}
	if (!e)
		e = store_read(req->app->db, consents_fn, &x, &diag);
	if (e) {
		json_decref(cur);
		json_decref(x.items);
		reply_err(req, resp, e, &diag);
		return;
	}
	json_t *next = NULL;
	if (x.more && json_array_size(x.items)) {
		json_t *last = json_array_get(x.items, json_array_size(x.items) - 1);
		next = json_pack("{s:O, s:O}", "g", json_object_get(last, "granted_at"), "i",
		                 json_object_get(last, "id"));
	}
	json_decref(cur);
	http_reply_list(req, resp, x.items, next);
}

/* ---- POST /api/v1/consents ---- */

static void h_grant(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = exchange_consent_grant(req->app->db, &req->who, http_json(req), &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_add_header(resp, "Location",
	                mc_arena_printf(req->arena, "/api/v1/consents/%s",
	                                json_string_value(json_object_get(out, "id"))));
	http_reply_json(resp, 201, out);
}

/* ---- POST /api/v1/consents/{id}/revoke, DELETE /api/v1/consents/{id} ---- */

static void h_revoke(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = exchange_consent_revoke(req->app->db, &req->who, req->params[0], &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, out);
}

/* ---- GET /api/v1/me/data-access ---- */

static mc_err access_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	return exchange_access_list(c, x->person, x->before, x->limit, &x->items, &x->more, diag);
}

static void h_access(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	list_ctx x = {.person = req->who.person_id};
	mc_err e = MC_OK;
	if (!req->who.person_id[0])
		e = no_person(&diag);
	if (!e)
		e = http_limit(req, 50, 100, &x.limit, &diag);
	if (!e)
		e = http_cursor_int(req, "before", 1, INT64_MAX, &x.before, &diag);
	/* look-ups still queued in this process are written first */
	if (!e)
		e = exchange_lookup_flush(req->app->db, &diag);
	if (!e)
		e = store_read(req->app->db, access_fn, &x, &diag);
	if (e) {
		json_decref(x.items);
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_list(req, resp, x.items, http_next_after(x.items, x.more, "before", "seq"));
}

/* ---- GET /api/v1/exchange/persons/{id}?category=&purpose= ---- */

static void h_read(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	bool denied = false;
	const char *cat = http_query(req, "category");
	mc_err e = exchange_read(req->app->db, &req->who, req->params[0], cat,
	                         http_query(req, "purpose"), &out, &denied, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	if (denied) {
		mc_diag_ext(&diag, "basis", json_string("none"));
		e = mc_fail2(
		    &diag, MC_ERR_FORBIDDEN,
		    "Từ chối: cơ quan của bạn không có căn cứ pháp lý (hồ sơ của người "
		    "này) và không có sự đồng ý còn hiệu lực của người này cho nhóm dữ "
		    "liệu đã yêu cầu. Lần truy cập bị từ chối đã được ghi lại.",
		    "Denied: your agency has no legal basis (a dossier of this person) and "
		    "no active consent of this person for the category asked. The denied "
		    "access was logged.");
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, out);
}

const http_route exchange_routes[] = {
    {"GET", "/api/v1/exchange/categories", h_categories, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/exchange/persons/{id}", h_read, ACCESS_OFFICER, BODY_NONE},
    {"GET", "/api/v1/consents", h_consents, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/consents", h_grant, ACCESS_USER, BODY_JSON},
    {"POST", "/api/v1/consents/{id}/revoke", h_revoke, ACCESS_USER, BODY_NONE},
    {"DELETE", "/api/v1/consents/{id}", h_revoke, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/me/data-access", h_access, ACCESS_USER, BODY_NONE},
    {0},
};
