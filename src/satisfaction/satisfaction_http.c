/* satisfaction_http.c - HTTP handlers of the satisfaction module and its
 * route table: the rating of a dossier (given by its applicant, read by
 * the applicant, officers of the handling agency and admins), the
 * aggregate per agency and period for officers and admins, and feedback
 * (PAKN): sent by the applicant, answered by the agency, its queue. */
#include "satisfaction/satisfaction.h"

#include "core/date.h"
#include <stdio.h>
#include <string.h>

#define PERIOD_DAYS 365 /* default period of the aggregate: the last year */

static void reply_err(mc_req *req, mc_resp *resp, mc_err e, mc_diag *diag)
{
	http_reply_error(req, resp, e, diag);
	mc_diag_clear(diag);
}

static void h_rate(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e =
	    satisfaction_rate(req->app, &req->who, req->params[0], http_json(req), &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 201, out);
}

static void h_get(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = satisfaction_get(req->app, &req->who, req->params[0], &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, out);
}

/* ?name=YYYY-MM-DD into *day (def when absent); false after replying 400. */
static bool day_param(mc_req *req, mc_resp *resp, const char *name, mc_day def, mc_day *day)
{
	const char *s = http_query(req, name);
	*day = def;
	if (!s)
		return true;
	if (strlen(s) != 10 || !date_parse(s, day)) {
		http_reply_problem(req, resp, MC_ERR_INVALID, "Ngày phải có dạng YYYY-MM-DD.",
		                   "%s must be a date YYYY-MM-DD.", name);
		return false;
	}
	return true;
}

/* The agency an officer or admin may read: ?agency= checked (400 when
 * malformed), officers limited to their own (403 for another). *agency =
 * NULL for an admin without the parameter. False after replying. */
static bool agency_scope(mc_req *req, mc_resp *resp, const char **agency)
{
	*agency = http_query(req, "agency");
	if (*agency && (!**agency || strlen(*agency) > SATISFACTION_AGENCY_MAX)) {
		http_reply_problem(req, resp, MC_ERR_INVALID, "Mã cơ quan không hợp lệ.",
		                   "agency must be an agency code of at most %d bytes.",
		                   SATISFACTION_AGENCY_MAX);
		return false;
	}
	if (req->who.role == ROLE_OFFICER) {
		if (*agency && strcmp(*agency, req->who.agency) != 0) {
			http_reply_problem(req, resp, MC_ERR_FORBIDDEN,
			                   "Cán bộ chỉ xem được dữ liệu của cơ quan mình.",
			                   "Officers read the data of their own agency only.");
			return false;
		}
		*agency = req->who.agency;
	}
	return true;
}

/* Decodes ?cursor= into its two strings (members `k1`, `k2`); *cur keeps
 * them alive (caller decrefs). False after replying 400. */
static bool cursor_pair(mc_req *req, mc_resp *resp, const char *k1, const char *k2, json_t **cur,
                        const char **v1, const char **v2)
{
	mc_diag diag = {0};
	*v1 = *v2 = NULL;
	mc_err e = http_cursor_decode(req, cur, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return false;
	}
	*v1 = json_string_value(json_object_get(*cur, k1));
	*v2 = json_string_value(json_object_get(*cur, k2));
	if (*cur && (!*v1 || !*v2)) {
		json_decref(*cur);
		*cur = NULL;
		http_reply_problem(req, resp, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.",
		                   "invalid cursor");
		return false;
	}
	return true;
}

static void h_summary(mc_req *req, mc_resp *resp)
{
	mc_day today = date_local_of(ts_now()), from, to;
	if (!day_param(req, resp, "from", today - PERIOD_DAYS + 1, &from) ||
	    !day_param(req, resp, "to", today + 1, &to))
		return;
	if (to <= from) {
		http_reply_problem(req, resp, MC_ERR_INVALID, "Ngày \"to\" phải sau ngày \"from\".",
		                   "\"to\" must come after \"from\" (the period is [from, to)).");
		return;
	}
	const char *agency;
	if (!agency_scope(req, resp, &agency))
		return;
	char f[16], t[16], fts[32], tts[32];
	date_format(from, f);
	date_format(to, t);
	snprintf(fts, sizeof fts, "%sT00:00:00Z", f);
	snprintf(tts, sizeof tts, "%sT00:00:00Z", t);
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = satisfaction_summary(req->app->db, agency, fts, tts, &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	json_object_set_new(out, "agency", agency ? json_string(agency) : json_null());
	json_object_set_new(out, "from", json_string(f));
	json_object_set_new(out, "to", json_string(t));
	http_reply_json(resp, 200, out);
}

/* The parameters of the agency lists (ratings, feedback queue): limit,
 * agency scope and the cursor {"a": time, k2: key} of the last item;
 * false after replying 400/403. */
typedef struct page_params {
	int limit;
	const char *agency, *at, *key;
	json_t *cur; /* owns at and key; json_decref when done */
} page_params;

static bool page_params_read(mc_req *req, mc_resp *resp, const char *k2, page_params *p)
{
	mc_diag diag = {0};
	p->cur = NULL;
	mc_err e = http_limit(req, 50, SATISFACTION_QUEUE_PAGE, &p->limit, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return false;
	}
	return agency_scope(req, resp, &p->agency) &&
	       cursor_pair(req, resp, "a", k2, &p->cur, &p->at, &p->key);
}

/* Replies the page `items` with the cursor of its last item (members
 * at_member and key_member, as "a" and k2) when more follow. */
static void reply_page(mc_req *req, mc_resp *resp, json_t *items, bool more, const char *at_member,
                       const char *k2, const char *key_member)
{
	json_t *next = NULL;
	json_t *last = json_array_get(items, json_array_size(items) - 1);
	if (more && last)
		next = json_pack("{s:O, s:O}", "a", json_object_get(last, at_member), k2,
		                 json_object_get(last, key_member));
	http_reply_list(req, resp, items, next);
}

static void h_ratings(mc_req *req, mc_resp *resp)
{
	const char *sat = http_query(req, "satisfied");
	if (sat && strcmp(sat, "true") != 0 && strcmp(sat, "false") != 0) {
		http_reply_problem(req, resp, MC_ERR_INVALID, "satisfied là true hoặc false.",
		                   "satisfied must be true or false.");
		return;
	}
	page_params p;
	if (!page_params_read(req, resp, "c", &p))
		return;
	mc_diag diag = {0};
	json_t *items = NULL;
	bool more = false;
	mc_err e =
	    satisfaction_ratings_list(req->app->db, p.agency, !sat ? -1 : !strcmp(sat, "true"),
	                              p.limit, p.at, p.key, &items, &more, &diag);
	json_decref(p.cur);
	if (e)
		reply_err(req, resp, e, &diag);
	else
		reply_page(req, resp, items, more, "rated_at", "c", "dossier_code");
}

/* ---- feedback ---- */

static void h_feedback_send(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = satisfaction_feedback_send(req->app, &req->who, req->params[0], http_json(req),
	                                      &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 201, out);
}

static void h_feedback_list(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *items = NULL;
	mc_err e = satisfaction_feedback_list(req->app, &req->who, req->params[0], &items, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static void h_feedback_answer(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = satisfaction_feedback_answer(req->app, &req->who, req->params[0], http_json(req),
	                                        &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, out);
}

static void h_feedback_queue(mc_req *req, mc_resp *resp)
{
	const char *status = http_query(req, "status");
	if (status && strcmp(status, "open") != 0 && strcmp(status, "all") != 0) {
		http_reply_problem(req, resp, MC_ERR_INVALID, "status là open hoặc all.",
		                   "status must be open or all.");
		return;
	}
	page_params p;
	if (!page_params_read(req, resp, "i", &p))
		return;
	mc_diag diag = {0};
	json_t *items = NULL;
	bool more = false;
	mc_err e =
	    satisfaction_feedback_queue(req->app->db, p.agency, !status || !strcmp(status, "open"),
	                                p.limit, p.at, p.key, &items, &more, &diag);
	json_decref(p.cur);
	if (e)
		reply_err(req, resp, e, &diag);
	else
		reply_page(req, resp, items, more, "created_at", "i", "id");
}

const http_route satisfaction_routes[] = {
    {"POST", "/api/v1/dossiers/{code}/rating", h_rate, ACCESS_USER, BODY_JSON},
    {"GET", "/api/v1/dossiers/{code}/rating", h_get, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/satisfaction", h_summary, ACCESS_OFFICER, BODY_NONE},
    {"GET", "/api/v1/satisfaction/ratings", h_ratings, ACCESS_OFFICER, BODY_NONE},
    {"POST", "/api/v1/dossiers/{code}/feedback", h_feedback_send, ACCESS_USER, BODY_JSON},
    {"GET", "/api/v1/dossiers/{code}/feedback", h_feedback_list, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/feedback", h_feedback_queue, ACCESS_OFFICER, BODY_NONE},
    {"POST", "/api/v1/feedback/{id}/answer", h_feedback_answer, ACCESS_OFFICER, BODY_JSON},
    {0},
};
