/* audit_http.c - GET /api/v1/audit (admin): the audit log, newest first,
 * filtered by object, actor or action, paginated with an opaque cursor. */
#include "audit/audit.h"

#include "core/mem.h"
#include <stdlib.h>
#include <string.h>

#define AUDIT_FILTER_MAX 256

typedef struct list_ctx {
	const char *object, *actor, *action;
	int64_t before; /* 0: from the newest */
	int limit;
	json_t *items; /* out */
	int64_t last;  /* out: seq of the last item returned */
	bool more;     /* out */
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	mc_buf sql = {0};
	store_stmt *st = NULL;
	const char *vals[3];
	int n = 0;
	bool row = false;
	mc_err e;

	json_decref(x->items);
	x->items = json_array();
	x->more = false;
	x->last = 0;

	/* Only fixed fragments go into the SQL text; values are bound. */
	mc_buf_puts(&sql, "SELECT seq, at, actor, action, object, detail, prev_hash, hash "
	                  "FROM audit_log WHERE 1 = 1");
	if (x->object) {
		vals[n++] = x->object;
		mc_buf_printf(&sql, " AND object = ?%d", n);
	}
	if (x->actor) {
		vals[n++] = x->actor;
		mc_buf_printf(&sql, " AND actor = ?%d", n);
	}
	if (x->action) {
		vals[n++] = x->action;
		mc_buf_printf(&sql, " AND action = ?%d", n);
	}
	if (x->before > 0)
		mc_buf_printf(&sql, " AND seq < ?%d", n + 1);
	mc_buf_printf(&sql, " ORDER BY seq DESC LIMIT ?%d", n + (x->before > 0) + 1);

	e = store_prepare(c, mc_buf_cstr(&sql), &st);
	if (e) {
		mc_fail(diag, e, "cannot read the audit log");
		goto out;
	}
	for (int i = 0; i < n; i++)
		store_bind_text(st, i + 1, vals[i]);
	if (x->before > 0)
		store_bind_int(st, n + 1, x->before);
	store_bind_int(st, n + (x->before > 0) + 1, x->limit + 1);
	for (;;) {
		e = store_step(st, &row);
		if (e || !row)
			break;
		if ((int)json_array_size(x->items) == x->limit) {
			x->more = true;
			break;
		}
		const char *detail = store_col_text(st, 5);
		json_t *d = detail ? json_loads(detail, JSON_DECODE_ANY, NULL) : NULL;
		int64_t seq = store_col_int(st, 0);
		json_array_append_new(
		    x->items,
		    json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:o, s:s?, s:s?}", "seq",
		              (json_int_t)seq, "at", store_col_text(st, 1), "actor",
		              store_col_text(st, 2), "action", store_col_text(st, 3), "object",
		              store_col_text(st, 4), "detail", d ? d : json_null(), "prev_hash",
		              store_col_text(st, 6), "hash", store_col_text(st, 7)));
		x->last = seq;
	}
	if (e)
		mc_fail(diag, e, "cannot read the audit log");
out:
	store_finish(st);
	mc_buf_free(&sql);
	return e;
}

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
	list_ctx x = {0};
	mc_diag diag = {0};
	json_t *cur = NULL;
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
	e = http_cursor_decode(req, &cur, &diag);
	if (e)
		goto fail;
	if (cur) {
		json_t *b = json_object_get(cur, "before");
		if (!json_is_integer(b) || json_integer_value(b) <= 0) {
			e = mc_fail2(&diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.",
			             "Invalid cursor.");
			goto fail;
		}
		x.before = json_integer_value(b);
	}
	e = store_read(req->app->db, list_fn, &x, &diag);
	if (e)
		goto fail;
	{
		const char *next = NULL;
		if (x.more) {
			json_t *state = json_pack("{s:I}", "before", (json_int_t)x.last);
			next = http_cursor_encode(req, state);
			json_decref(state);
		}
		http_reply_json(resp, 200, http_list(x.items, next));
		x.items = NULL;
	}
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(cur);
	json_decref(x.items);
	mc_diag_clear(&diag);
}

const http_route audit_routes[] = {
    {"GET", "/api/v1/audit", get_audit, ACCESS_ADMIN, BODY_NONE},
    {0},
};
