/* event_http.c - the event feed for officers and administrators:
 * GET /api/v1/events?after=SEQ&type=&limit= in seq order; next_cursor
 * continues after the last event, and every event's seq can be passed as
 * ?after= by a consumer that keeps its own position. */
#include "event/event.h"

#include <stdlib.h>
#include <string.h>

typedef struct list_ctx {
	int64_t after;
	const char *type;
	int limit;
	json_t *items;
	bool more;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	return event_list_after(c, x->after, x->type, NULL, x->limit, &x->items, &x->more, diag);
}

static bool parse_seq(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 18)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	*out = strtoll(s, NULL, 10);
	return true;
}

static void h_list(mc_req *req, mc_resp *resp)
{
	list_ctx x = {0};
	mc_diag diag = {0};
	mc_err e = http_limit(req, 50, 100, &x.limit, &diag);
	if (e)
		goto fail;
	const char *after = http_query(req, "after");
	if (after && *after && !parse_seq(after, &x.after)) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Tham số after phải là số thứ tự sự kiện.",
		             "after must be an event sequence number");
		goto fail;
	}
	if ((e = http_cursor_int(req, "after", 0, INT64_MAX, &x.after, &diag)))
		goto fail;
	const char *type = http_query(req, "type");
	if (type && strlen(type) > EVENT_TYPE_MAX) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Loại sự kiện quá dài.", "type is too long");
		goto fail;
	}
	x.type = type && *type ? type : NULL;
	if ((e = store_read(req->app->db, list_fn, &x, &diag)))
		goto fail;
	http_reply_list(req, resp, x.items, http_next_after(x.items, x.more, "after", "seq"));
	x.items = NULL;
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(x.items);
	mc_diag_clear(&diag);
}

const http_route event_routes[] = {
    {"GET", "/api/v1/events", h_list, ACCESS_OFFICER, BODY_NONE},
    {0},
};
