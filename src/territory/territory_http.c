/* territory_http.c - HTTP handlers of administrative units and agencies:
 * public lists and lookups, admin creation and update of agencies. */
#include "territory/territory.h"

#include <string.h>

/* ---- lists --------------------------------------------------------------- */

typedef struct list_ctx {
	territory_query q;
	bool agencies;
	json_t *items; /* out */
	bool more;     /* out */
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	return x->agencies ? territory_agency_list(c, &x->q, &x->items, &x->more, diag)
	                   : territory_unit_list(c, &x->q, &x->items, &x->more, diag);
}

static const char *param(mc_req *req, const char *name)
{
	const char *v = http_query(req, name);
	return v && *v ? v : NULL;
}

static void list(mc_req *req, mc_resp *resp, bool agencies)
{
	list_ctx x = {.agencies = agencies};
	mc_diag diag = {0};
	json_t *cur = NULL;
	mc_err e;

	e = http_limit(req, 50, 100, &x.q.limit, &diag);
	if (e)
		goto fail;
	e = http_cursor_decode(req, &cur, &diag);
	if (e)
		goto fail;
	if (cur) {
		x.q.after = json_string_value(json_object_get(cur, "after"));
		if (!x.q.after) {
			e = mc_fail2(&diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.",
			             "Invalid cursor.");
			goto fail;
		}
	}
	x.q.level = param(req, "level");
	x.q.parent = param(req, "parent");
	x.q.q = param(req, "q");
	if (agencies)
		x.q.unit = param(req, "unit");
	e = store_read(req->app->db, list_fn, &x, &diag);
	if (e)
		goto fail;
	http_reply_list(req, resp, x.items, http_next_after(x.items, x.more, "after", "code"));
	x.items = NULL;
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(x.items);
	json_decref(cur);
	mc_diag_clear(&diag);
}

static void get_units(mc_req *req, mc_resp *resp)
{
	list(req, resp, false);
}

static void get_agencies(mc_req *req, mc_resp *resp)
{
	list(req, resp, true);
}

/* ---- one unit / agency ------------------------------------------------------ */

/* A unit with its children, as the handler shows it. */
static mc_err unit_get(store_conn *c, const char *code, json_t **out, mc_diag *diag)
{
	return territory_unit_get(c, code, true, out, diag);
}

static void get_unit(mc_req *req, mc_resp *resp)
{
	http_reply_read(req, resp, unit_get, req->params[0]);
}

static void get_agency(mc_req *req, mc_resp *resp)
{
	http_reply_read(req, resp, territory_agency_get, req->params[0]);
}

/* ---- admin changes ------------------------------------------------------------ */

static void put(mc_req *req, mc_resp *resp, bool create)
{
	json_t *out = NULL;
	mc_diag diag = {0};
	mc_err e =
	    territory_agency_save(req->app->db, req->who.username, create ? NULL : req->params[0],
	                          http_json(req), create, &out, &diag);

	if (e) {
		http_reply_error(req, resp, e, &diag);
	} else {
		const char *loc = mc_arena_printf(req->arena, "/api/v1/agencies/%s",
		                                  json_string_value(json_object_get(out, "code")));
		http_reply_json(resp, create ? 201 : 200, out);
		if (create)
			http_add_header(resp, "Location", loc);
	}
	mc_diag_clear(&diag);
}

static void post_agency(mc_req *req, mc_resp *resp)
{
	put(req, resp, true);
}

static void put_agency(mc_req *req, mc_resp *resp)
{
	put(req, resp, false);
}

const http_route territory_routes[] = {
    {"GET", "/api/v1/units", get_units, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/units/{code}", get_unit, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/agencies", get_agencies, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/agencies/{code}", get_agency, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/v1/agencies", post_agency, ACCESS_ADMIN, BODY_JSON},
    {"PUT", "/api/v1/agencies/{code}", put_agency, ACCESS_ADMIN, BODY_JSON},
    {0},
};
