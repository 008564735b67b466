/* assistant_http.c - GET /api/v1/assistant: the service assistant over
 * HTTP, public like the catalog it searches. */
#include "assistant/assistant.h"

#include <string.h>

static bool allowed(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(v, *set))
			return true;
	return false;
}

static void h_ask(mc_req *req, mc_resp *resp)
{
	static const char *const levels[] = {"ministry", "province", "commune", "other", NULL};
	static const char *const online[] = {"full", "partial", "none", NULL};
	mc_diag diag = {0};
	catalog_query filters = {.level = http_query(req, "level"),
	                         .online = http_query(req, "online")};
	const char *q = http_query(req, "q");
	int limit;
	int64_t offset = 0;
	json_t *out = NULL;
	bool more = false;
	mc_err e = http_limit(req, 10, 50, &limit, &diag);
	if (!e)
		e = http_cursor_int(req, "o", 1, ASSISTANT_MAX_RESULTS, &offset, &diag);
	if (!e && filters.level && !allowed(filters.level, levels))
		e = mc_fail2(&diag, MC_ERR_INVALID,
		             "Tham số level phải là ministry, province, commune hoặc other.",
		             "level must be one of ministry, province, commune, other");
	if (!e && filters.online && !allowed(filters.online, online))
		e = mc_fail2(&diag, MC_ERR_INVALID,
		             "Tham số online phải là full, partial hoặc none.",
		             "online must be one of full, partial, none");
	if (!e)
		e = assistant_ask(req->app->db, q, &filters, limit, (int)offset, &out, &more,
		                  &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
		mc_diag_clear(&diag);
		return;
	}
	json_t *next = NULL;
	if (more)
		next = json_pack(
		    "{s:I}", "o",
		    (json_int_t)(offset + (int64_t)json_array_size(json_object_get(out, "items"))));
	json_object_set_new(out, "next_cursor",
	                    next ? json_string(http_cursor_encode(req, next)) : json_null());
	json_decref(next);
	http_reply_json(resp, 200, out);
}

const http_route assistant_routes[] = {
    {"GET", "/api/v1/assistant", h_ask, ACCESS_PUBLIC, BODY_NONE},
    {0},
};
