/* audit_http.c - GET /api/v1/audit (admin): the audit log, newest first,
 * filtered by object, actor or action, paginated with an opaque cursor. */
#include "audit/audit.h"

#include <string.h>

#define AUDIT_FILTER_MAX 256

/* Returns the query parameter when present and not too long; sets *bad. */
static const char *filter(mc_req *req, const char *name, bool *bad)
{
	const char *v = http_query(req, name);
	if (v && (!*v || strlen(v) > AUDIT_FILTER_MAX))
		*bad = true;
	return v && *v ? v : NULL;
}

static void get_audit(mc_req *req, mc_resp *resp)
{
	audit_query x = {0};
	mc_diag diag = {0};
	json_t *items = NULL;
	bool more = false;
	bool bad = false;
	mc_err e;

	e = http_limit(req, 50, 100, &x.limit, &diag);
	if (e)
		goto fail;
	x.object = filter(req, "object", &bad);
	x.actor = filter(req, "actor", &bad);
	x.action = filter(req, "action", &bad);
	if (bad) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Tham số lọc rỗng hoặc quá dài.",
		             "A filter parameter is empty or too long (max %d bytes).",
		             AUDIT_FILTER_MAX);
		goto fail;
	}
	e = http_cursor_int(req, "before", 1, INT64_MAX, &x.before, &diag);
	if (e)
		goto fail;
	e = audit_list(req->app->db, &x, &items, &more, &diag);
	if (e)
		goto fail;
	http_reply_list(req, resp, items, http_next_after(items, more, "before", "seq"));
	items = NULL;
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(items);
	mc_diag_clear(&diag);
}

const http_route audit_routes[] = {
    {"GET", "/api/v1/audit", get_audit, ACCESS_ADMIN, BODY_NONE},
    {0},
};
