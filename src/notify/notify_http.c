/* notify_http.c - the HTTP API of notifications: the logged-in person's
 * inbox (newest first, cursor paging, unread count; one message with its
 * deliveries; the read mark), the person's contact and channel
 * preferences, and an administrator's synchronous run of the consumer and
 * the due deliveries (the worker of serve does the same on its own). */
#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>

/* The caller's inbox owner, or replies 403 and returns NULL. */
static const char *owner(mc_req *req, mc_resp *resp)
{
	if (req->who.person_id[0])
		return req->who.person_id;
	http_reply_problem(req, resp, MC_ERR_FORBIDDEN,
	                   "Chỉ người có số định danh cá nhân mới có hộp thư.",
	                   "Only a person with a personal number has an inbox.");
	return NULL;
}

static bool parse_id(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 18)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	*out = strtoll(s, NULL, 10);
	return *out > 0;
}

static void h_list(mc_req *req, mc_resp *resp)
{
	const char *person = owner(req, resp);
	if (!person)
		return;
	mc_diag diag = {0};
	json_t *cur = NULL, *items = NULL;
	int limit;
	int64_t before = 0;
	bool more = false;
	long unread = 0;
	mc_err e = http_limit(req, 20, 100, &limit, &diag);
	if (!e)
		e = http_cursor_decode(req, &cur, &diag);
	if (!e && cur) {
		json_t *b = json_object_get(cur, "before");
		if (!json_is_integer(b) || json_integer_value(b) <= 0)
			e = mc_fail2(&diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.",
			             "Invalid cursor.");
		else
			before = json_integer_value(b);
	}
	if (!e)
		e = notify_inbox_list(req->app->db, person, before, limit, &items, &more, &unread,
		                      &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
		goto out;
	}
	json_t *next = http_next_after(items, more, "before", "id");
	json_t *page = http_list(items, next ? http_cursor_encode(req, next) : NULL);
	json_decref(next);
	json_object_set_new(page, "unread", json_integer(unread));
	http_reply_json(resp, 200, page);
out:
	json_decref(cur);
	mc_diag_clear(&diag);
}

static void one(mc_req *req, mc_resp *resp, bool mark)
{
	const char *person = owner(req, resp);
	if (!person)
		return;
	int64_t id;
	if (!parse_id(req->params[0], &id)) {
		http_reply_problem(req, resp, MC_ERR_NOT_FOUND, "Không tìm thấy thư.",
		                   "No such message.");
		return;
	}
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = mark ? notify_inbox_read(req->app->db, person, id, &out, &diag)
	                : notify_inbox_get(req->app->db, person, id, &out, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_json(resp, 200, out);
	mc_diag_clear(&diag);
}

static void h_get(mc_req *req, mc_resp *resp)
{
	one(req, resp, false);
}

static void h_read(mc_req *req, mc_resp *resp)
{
	one(req, resp, true);
}

static void h_contact_get(mc_req *req, mc_resp *resp)
{
	const char *person = owner(req, resp);
	if (!person)
		return;
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = notify_contact_get(req->app->db, person, &out, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_json(resp, 200, out);
	mc_diag_clear(&diag);
}

static void h_contact_put(mc_req *req, mc_resp *resp)
{
	if (!owner(req, resp))
		return;
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = notify_contact_put(req->app->db, &req->who, http_json(req), &out, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_json(resp, 200, out);
	mc_diag_clear(&diag);
}

static void h_run(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	notify_run_report rep = {0};
	mc_err e = notify_run(req->app->db, &rep, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_json(resp, 200,
		                json_pack("{s:I, s:I, s:I, s:I, s:I}", "events",
		                          (json_int_t)rep.events, "messages",
		                          (json_int_t)rep.messages, "sent", (json_int_t)rep.sent,
		                          "retried", (json_int_t)rep.retried, "failed",
		                          (json_int_t)rep.failed));
	mc_diag_clear(&diag);
}

const http_route notify_routes[] = {
    {"GET", "/api/v1/inbox", h_list, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/inbox/{id}", h_get, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/inbox/{id}/read", h_read, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/notify/contact", h_contact_get, ACCESS_USER, BODY_NONE},
    {"PUT", "/api/v1/notify/contact", h_contact_put, ACCESS_USER, BODY_JSON},
    {"POST", "/api/v1/notify/run", h_run, ACCESS_ADMIN, BODY_NONE},
    {0},
};
