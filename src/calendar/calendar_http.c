/* calendar_http.c - HTTP handlers of the working-day calendar: the public
 * listing of non-working days and the working-day addition, and the admin
 * declaration and removal of day overrides. */
#include "calendar/calendar.h"

#include <string.h>

#define LIST_MAX_DAYS 366

/* Parses query parameter `name` as a date; *present tells whether it was
 * given at all. */
static mc_err query_date(mc_req *req, const char *name, mc_day *out, bool *present, mc_diag *diag)
{
	const char *v = http_query(req, name);
	*present = v && *v;
	if (!*present)
		return MC_OK;
	if (!date_parse(v, out))
		return mc_fail2(diag, MC_ERR_INVALID,
		                "Ngày phải có dạng YYYY-MM-DD và là một ngày có thật.",
		                "Parameter '%s' must be a valid date YYYY-MM-DD.", name);
	return MC_OK;
}

static mc_err check_supported(mc_day d, mc_diag *diag)
{
	if (d < date_from_ymd(LUNAR_YEAR_MIN, 1, 1) || d > date_from_ymd(LUNAR_YEAR_MAX, 12, 31))
		return mc_fail2(diag, MC_ERR_INVALID,
		                "Ngày nằm ngoài khoảng lịch hỗ trợ (1900-2199).",
		                "Dates must lie between 1900-01-01 and 2199-12-31.");
	return MC_OK;
}

/* ---- GET /api/v1/calendar ------------------------------------------------ */

typedef struct list_ctx {
	mc_day from, to;
	json_t *items; /* out */
} list_ctx;

static bool list_visit(const calendar_entry *ent, void *vctx)
{
	list_ctx *x = vctx;
	char day[11];
	json_array_append_new(x->items,
	                      json_pack("{s:s, s:s, s:s, s:s}", "date", date_format(ent->day, day),
	                                "kind", calendar_kind_name(ent->kind), "reason",
	                                ent->reason_vi ? ent->reason_vi : "", "reason_en",
	                                ent->reason_en ? ent->reason_en : ""));
	return true;
}

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	(void)diag;
	json_decref(x->items);
	x->items = json_array();
	return calendar_list(c, x->from, x->to, list_visit, x);
}

static void get_calendar(mc_req *req, mc_resp *resp)
{
	list_ctx x = {0};
	mc_diag diag = {0};
	bool has_from, has_to;
	char from[11], to[11];
	mc_err e;

	e = query_date(req, "from", &x.from, &has_from, &diag);
	if (!e)
		e = query_date(req, "to", &x.to, &has_to, &diag);
	if (e)
		goto fail;
	if (!has_from)
		x.from = date_local_of(ts_now());
	if (!has_to) {
		x.to = x.from + LIST_MAX_DAYS - 1;
		if (x.to > date_from_ymd(LUNAR_YEAR_MAX, 12, 31))
			x.to = date_from_ymd(LUNAR_YEAR_MAX, 12, 31);
	}
	e = check_supported(x.from, &diag);
	if (!e)
		e = check_supported(x.to, &diag);
	if (e)
		goto fail;
	if (x.to < x.from) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Ngày 'to' phải không sớm hơn ngày 'from'.",
		             "'to' must not be before 'from'.");
		goto fail;
	}
	if (x.to - x.from + 1 > LIST_MAX_DAYS) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Khoảng ngày tối đa là 366 ngày.",
		             "The range spans at most %d days.", LIST_MAX_DAYS);
		goto fail;
	}
	e = store_read(req->app->db, list_fn, &x, &diag);
	if (e)
		goto fail;
	{
		json_t *body = http_list(x.items, NULL);
		x.items = NULL;
		json_object_set_new(body, "from", json_string(date_format(x.from, from)));
		json_object_set_new(body, "to", json_string(date_format(x.to, to)));
		http_reply_json(resp, 200, body);
	}
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(x.items);
	mc_diag_clear(&diag);
}

/* ---- GET /api/v1/calendar/add -------------------------------------------- */

typedef struct add_ctx {
	mc_day from;
	int days;
	mc_day date; /* out */
} add_ctx;

static mc_err add_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	add_ctx *x = vctx;
	mc_err e = calendar_add_working_days(c, x->from, x->days, &x->date);
	if (e == MC_ERR_INVALID)
		mc_fail2(diag, e, "Kết quả nằm ngoài khoảng lịch hỗ trợ.",
		         "The resulting date is outside the supported calendar.");
	return e;
}

/* Strict non-negative decimal integer up to `max`. */
static bool parse_count(const char *s, int max, int *out)
{
	if (!s || !*s || strlen(s) > 9)
		return false;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v > max)
		return false;
	*out = (int)v;
	return true;
}

static void get_add(mc_req *req, mc_resp *resp)
{
	add_ctx x = {0};
	mc_diag diag = {0};
	bool has_from;
	char from[11], date[11];
	mc_err e;

	e = query_date(req, "from", &x.from, &has_from, &diag);
	if (e)
		goto fail;
	if (!has_from) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Thiếu tham số 'from' (YYYY-MM-DD).",
		             "Parameter 'from' (YYYY-MM-DD) is required.");
		goto fail;
	}
	if (!parse_count(http_query(req, "days"), CALENDAR_MAX_WORKING_DAYS, &x.days)) {
		e = mc_fail2(
		    &diag, MC_ERR_INVALID, "Tham số 'days' phải là số nguyên từ 0 đến 1000.",
		    "Parameter 'days' must be an integer from 0 to %d.", CALENDAR_MAX_WORKING_DAYS);
		goto fail;
	}
	e = check_supported(x.from, &diag);
	if (e)
		goto fail;
	e = store_read(req->app->db, add_fn, &x, &diag);
	if (e)
		goto fail;
	http_reply_json(resp, 200,
	                json_pack("{s:s, s:i, s:s}", "from", date_format(x.from, from), "days",
	                          x.days, "date", date_format(x.date, date)));
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	mc_diag_clear(&diag);
}

/* ---- PUT/DELETE /api/v1/calendar/days/{date} (admin) ---------------------- */

static mc_err path_date(mc_req *req, mc_day *out, mc_diag *diag)
{
	if (!req->params[0] || !date_parse(req->params[0], out))
		return mc_fail2(diag, MC_ERR_INVALID,
		                "Ngày trong đường dẫn phải có dạng YYYY-MM-DD.",
		                "The date in the path must be a valid date YYYY-MM-DD.");
	return check_supported(*out, diag);
}

static void put_day(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	calendar_override o;
	json_t *body = http_json(req), *errs = json_array();
	json_t *kind, *jr, *jre;
	bool created = false, off = false;
	const char *reason = NULL, *reason_en = NULL;
	mc_day day;
	mc_err e;

	e = path_date(req, &day, &diag);
	if (e)
		goto fail;
	kind = json_object_get(body, "kind");
	jr = json_object_get(body, "reason");
	jre = json_object_get(body, "reason_en");
	if (!json_is_string(kind) || (strcmp(json_string_value(kind), "off") != 0 &&
	                              strcmp(json_string_value(kind), "work") != 0))
		mc_errors_add(errs, "$.kind", "must be \"off\" or \"work\"",
		              "phải là \"off\" (ngày nghỉ) hoặc \"work\" (ngày làm bù)");
	else
		off = strcmp(json_string_value(kind), "off") == 0;
	if (!json_is_string(jr))
		mc_errors_add(errs, "$.reason", "is required and must be a string",
		              "bắt buộc và phải là chuỗi");
	else
		reason = json_string_value(jr);
	if (jre && !json_is_null(jre) && !json_is_string(jre))
		mc_errors_add(errs, "$.reason_en", "must be a string", "phải là chuỗi");
	else
		reason_en = json_string_value(jre);
	if (json_array_size(errs)) {
		e = mc_fail2(&diag, MC_ERR_UNPROCESSABLE, "Thông tin ngày không hợp lệ.",
		             "The calendar day has invalid fields.");
		mc_diag_ext(&diag, "errors", errs);
		errs = NULL;
		goto fail;
	}
	e = calendar_set_day(req->app->db, req->who.username, day, off, reason, reason_en, &o,
	                     &created, &diag);
	if (e)
		goto fail;
	http_reply_json(resp, created ? 201 : 200, calendar_override_json(&o));
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(errs);
	mc_diag_clear(&diag);
}

static void delete_day(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	mc_day day;
	mc_err e;

	e = path_date(req, &day, &diag);
	if (!e)
		e = calendar_delete_day(req->app->db, req->who.username, day, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_bytes(resp, 204, "application/json", "", 0);
	mc_diag_clear(&diag);
}

const http_route calendar_routes[] = {
    {"GET", "/api/v1/calendar", get_calendar, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/calendar/add", get_add, ACCESS_PUBLIC, BODY_NONE},
    {"PUT", "/api/v1/calendar/days/{date}", put_day, ACCESS_ADMIN, BODY_JSON},
    {"DELETE", "/api/v1/calendar/days/{date}", delete_day, ACCESS_ADMIN, BODY_NONE},
    {0},
};
