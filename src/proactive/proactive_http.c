/* proactive_http.c - HTTP handlers of proactive services and their route
 * table: a citizen's offers (list, detail, accept in one step, decline),
 * the synchronous drain for administrators, the rules as data and the
 * programme figure. */
#include "proactive/proactive.h"
#include "proactive/proactive_rules.h"

#include "core/date.h"
#include "core/mem.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static void reply_err(mc_req *req, mc_resp *resp, mc_err e, mc_diag *diag)
{
	http_reply_error(req, resp, e, diag);
	mc_diag_clear(diag);
}

/* GET /api/v1/offers */
static void h_list(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *items = NULL;
	mc_err e = proactive_offer_list(req->app->db, &req->who, &items, &diag);
	if (e)
		return reply_err(req, resp, e, &diag);
	http_reply_list(req, resp, items, NULL);
}

/* GET /api/v1/offers/{id} */
static void h_get(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = proactive_offer_get(req->app->db, &req->who, req->params[0], &out, &diag);
	if (e)
		return reply_err(req, resp, e, &diag);
	http_reply_json(resp, 200, out);
}

/* These routes take a raw body (it may be empty), capped like JSON bodies. */
static bool too_large(mc_req *req)
{
	return req->app->max_body > 0 && req->body_len > (size_t)req->app->max_body;
}

/* The optional JSON body of accept: {} or {"form": {...}}; NULL body ok. */
static mc_err optional_body(mc_req *req, json_t **out, mc_diag *diag)
{
	*out = NULL;
	size_t n = req->body_len;
	const char *p = req->body;
	if (too_large(req))
		return mc_fail2(diag, MC_ERR_TOO_LARGE, "Nội dung quá lớn.",
		                "the body is larger than %ld bytes", req->app->max_body);
	while (n && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) {
		p++;
		n--;
	}
	if (n == 0)
		return MC_OK;
	const char *ct = req->content_type;
	if (!ct || strncasecmp(ct, "application/json", 16) != 0)
		return mc_fail2(diag, MC_ERR_MEDIA_TYPE, "Hãy gửi nội dung dạng application/json.",
		                "send the body as application/json");
	json_error_t jerr;
	json_t *j = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		return mc_fail2(diag, MC_ERR_INVALID, "Nội dung JSON không hợp lệ.",
		                "malformed JSON at line %d column %d: %s", jerr.line, jerr.column,
		                jerr.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return mc_fail2(diag, MC_ERR_INVALID, "Nội dung phải là một đối tượng JSON.",
		                "the body must be a JSON object");
	}
	*out = j;
	return MC_OK;
}

/* POST /api/v1/offers/{id}/accept  body (optional): {"form": {...}} */
static void h_accept(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *body = NULL, *out = NULL;
	mc_err e = optional_body(req, &body, &diag);
	if (!e)
		e = proactive_offer_accept(req->app, &req->who, req->params[0],
		                           json_object_get(body, "form"), &out, &diag);
	json_decref(body);
	if (e)
		return reply_err(req, resp, e, &diag);
	const char *code = json_string_value(json_object_get(out, "code"));
	if (code)
		http_add_header(resp, "Location",
		                mc_arena_printf(req->arena, "/api/v1/dossiers/%s", code));
	http_reply_json(resp, 201, out);
}

/* POST /api/v1/offers/{id}/decline */
static void h_decline(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e =
	    too_large(req)
	        ? mc_fail2(&diag, MC_ERR_TOO_LARGE, "Nội dung quá lớn.",
	                   "the body is larger than %ld bytes", req->app->max_body)
	        : proactive_offer_decline(req->app->db, &req->who, req->params[0], &out, &diag);
	if (e)
		return reply_err(req, resp, e, &diag);
	http_reply_json(resp, 200, out);
}

/* POST /api/v1/proactive/run (admins): drains the outbox now. */
static void h_run(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	proactive_report rep;
	mc_err e = proactive_run(req->app->db, 0, &rep, &diag);
	if (e)
		return reply_err(req, resp, e, &diag);
	http_reply_json(resp, 200,
	                json_pack("{s:I, s:I, s:I, s:I, s:I}", "batches", (json_int_t)rep.batches,
	                          "events", (json_int_t)rep.events, "offers",
	                          (json_int_t)rep.offers, "skipped", (json_int_t)rep.skipped,
	                          "position", (json_int_t)rep.position));
}

/* GET /api/v1/proactive/rules: the life-event rules and essential services. */
static void h_rules(mc_req *req, mc_resp *resp)
{
	(void)req;
	http_reply_json(resp, 200,
	                json_pack("{s:O, s:O}", "rules", proactive_rules(), "essential_services",
	                          proactive_essential_services()));
}

/* GET /api/v1/proactive/figure?from=YYYY-MM-DD&to=YYYY-MM-DD */
static void h_figure(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	mc_day a, b;
	if (!from || !to || strlen(from) != 10 || strlen(to) != 10 || !date_parse(from, &a) ||
	    !date_parse(to, &b) || b <= a) {
		mc_err e = mc_fail2(&diag, MC_ERR_INVALID, "Kỳ phải là from < to, dạng YYYY-MM-DD.",
		                    "the period needs from < to as YYYY-MM-DD");
		json_t *errors = json_array();
		mc_errors_add(errors, "from", "from < to as YYYY-MM-DD",
		              "from < to, dạng YYYY-MM-DD");
		mc_diag_ext(&diag, "errors", errors);
		return reply_err(req, resp, e, &diag);
	}
	char f[32], t[32];
	snprintf(f, sizeof f, "%sT00:00:00Z", from);
	snprintf(t, sizeof t, "%sT00:00:00Z", to);
	json_t *out = NULL;
	mc_err e = proactive_figure(req->app->db, f, t, &out, &diag);
	if (e)
		return reply_err(req, resp, e, &diag);
	http_reply_json(resp, 200, out);
}

const http_route proactive_routes[] = {
    {"GET", "/api/v1/offers", h_list, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/offers/{id}", h_get, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/offers/{id}/accept", h_accept, ACCESS_USER, BODY_RAW},
    {"POST", "/api/v1/offers/{id}/decline", h_decline, ACCESS_USER, BODY_RAW},
    {"POST", "/api/v1/proactive/run", h_run, ACCESS_ADMIN, BODY_NONE},
    {"GET", "/api/v1/proactive/rules", h_rules, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/proactive/figure", h_figure, ACCESS_PUBLIC, BODY_NONE},
    {0},
};
