/* calendar.c - the working-day calendar backed by the store: the statutory
 * rules (calendar_rules.c) with the administrator overrides of table
 * calendar_day on top (an override always wins over the rules).
 *
 * Range functions read the overrides of a whole window with one query and
 * then walk the days in memory; windows are capped (CALENDAR_MAX_SPAN). */
#include "calendar/calendar.h"

#include "audit/audit.h"
#include "core/mem.h"
#include "core/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Overrides of a window of days: kinds[i] for day from + i is 0 (none),
 * 'o' (declared off) or 'w' (declared working day). */
typedef struct override_window {
	mc_day from;
	int len;
	char *kinds;
} override_window;

static bool day_supported(mc_day d)
{
	return d >= date_from_ymd(LUNAR_YEAR_MIN, 1, 1) &&
	       d <= date_from_ymd(LUNAR_YEAR_MAX, 12, 31);
}

/* Loads the overrides of [from, from + len) with one query. */
static mc_err window_load(store_conn *c, mc_day from, int len, override_window *w)
{
	store_stmt *st = NULL;
	char lo[11], hi[11];
	bool row = false;
	mc_err e;

	w->from = from;
	w->len = len;
	free(w->kinds);
	w->kinds = mc_xcalloc((size_t)len, 1);
	e = store_prepare(c, "SELECT day, kind FROM calendar_day WHERE day >= ?1 AND day <= ?2",
	                  &st);
	if (e)
		goto out;
	store_bind_text(st, 1, date_format(from, lo));
	store_bind_text(st, 2, date_format(from + len - 1, hi));
	while ((e = store_step(st, &row)) == MC_OK && row) {
		mc_day d;
		const char *kind = store_col_text(st, 1);
		if (!date_parse(store_col_text(st, 0), &d) || d < from || d >= from + len || !kind)
			continue;
		w->kinds[d - from] = strcmp(kind, "off") == 0 ? 'o' : 'w';
	}
out:
	if (st)
		store_finish(st);
	return e;
}

static void window_free(override_window *w)
{
	free(w->kinds);
	w->kinds = NULL;
}

/* Working day, given the override kind (0, 'o', 'w') of the day. */
static bool working(mc_day d, char override)
{
	if (override == 'o')
		return false;
	if (override == 'w')
		return true;
	return calendar_rule_kind(d, NULL, NULL) == CAL_WORKING;
}

mc_err calendar_is_working_day(store_conn *c, mc_day d, bool *out)
{
	override_window w = {0};
	mc_err e;

	if (!day_supported(d))
		return MC_ERR_INVALID;
	e = window_load(c, d, 1, &w);
	if (!e)
		*out = working(d, w.kinds[0]);
	window_free(&w);
	return e;
}

mc_err calendar_add_working_days(store_conn *c, mc_day from, int n, mc_day *out)
{
	override_window w = {0};
	mc_err e = MC_OK;

	if (n < 0 || n > CALENDAR_MAX_WORKING_DAYS || !day_supported(from))
		return MC_ERR_INVALID;
	/* n = 0: the first working day from `from` on; n >= 1: the n-th working
	 * day after `from`. */
	mc_day d = n == 0 ? from : from + 1;
	int need = n == 0 ? 1 : n;
	mc_day limit = from + CALENDAR_MAX_SPAN; /* first day not searched */
	if (limit > date_from_ymd(LUNAR_YEAR_MAX, 12, 31) + 1)
		limit = date_from_ymd(LUNAR_YEAR_MAX, 12, 31) + 1;
	/* First window sized for the usual case (weekends and a Tết), then
	 * whole years. */
	int chunk = need + need / 2 + 20;
	while (d < limit) {
		if (chunk > 366)
			chunk = 366;
		if (chunk > limit - d)
			chunk = (int)(limit - d);
		e = window_load(c, d, chunk, &w);
		if (e)
			goto out;
		for (int i = 0; i < chunk; i++, d++) {
			if (working(d, w.kinds[i]) && --need == 0) {
				*out = d;
				goto out;
			}
		}
		chunk = 366;
	}
	e = MC_ERR_INVALID; /* no such working day in the searchable span */
out:
	window_free(&w);
	return e;
}

mc_err calendar_working_days_between(store_conn *c, mc_day from, mc_day to, int *out)
{
	override_window w = {0};
	int sign = 1, count = 0;
	mc_err e;

	if (to < from) {
		mc_day t = from;
		from = to;
		to = t;
		sign = -1;
	}
	if (!day_supported(from) || (int64_t)to - from > CALENDAR_MAX_SPAN)
		return MC_ERR_INVALID;
	if (to == from) {
		*out = 0;
		return MC_OK;
	}
	if (!day_supported(to - 1))
		return MC_ERR_INVALID;
	e = window_load(c, from, (int)(to - from), &w);
	if (e)
		goto out;
	for (int i = 0; i < w.len; i++)
		if (working(from + i, w.kinds[i]))
			count++;
	*out = sign * count;
out:
	window_free(&w);
	return e;
}

mc_err calendar_list(store_conn *c, mc_day from, mc_day to, calendar_visit fn, void *ctx)
{
	store_stmt *st = NULL;
	char lo[11], hi[11];
	bool row = false;
	mc_day row_day = 0;
	mc_err e;

	if (to < from || !day_supported(from) || !day_supported(to) ||
	    (int64_t)to - from + 1 > CALENDAR_MAX_SPAN)
		return MC_ERR_INVALID;
	e = store_prepare(c,
	                  "SELECT day, kind, reason_vi, reason_en FROM calendar_day "
	                  "WHERE day >= ?1 AND day <= ?2 ORDER BY day",
	                  &st);
	if (e)
		goto out;
	store_bind_text(st, 1, date_format(from, lo));
	store_bind_text(st, 2, date_format(to, hi));

	/* Merge the sorted override rows with the days of the range. */
	e = store_step(st, &row);
	if (e)
		goto out;
	for (mc_day d = from; d <= to; d++) {
		while (row && (!date_parse(store_col_text(st, 0), &row_day) || row_day < d)) {
			e = store_step(st, &row);
			if (e)
				goto out;
		}
		calendar_entry ent = {.day = d};
		if (row && row_day == d) {
			const char *kind = store_col_text(st, 1);
			ent.kind =
			    kind && strcmp(kind, "off") == 0 ? CAL_DECLARED_OFF : CAL_DECLARED_WORK;
			ent.reason_vi = store_col_text(st, 2);
			ent.reason_en = store_col_text(st, 3);
			if (!ent.reason_vi)
				ent.reason_vi = "";
			if (!ent.reason_en || !*ent.reason_en)
				ent.reason_en = ent.reason_vi;
		} else {
			ent.kind = calendar_rule_kind(d, &ent.reason_en, &ent.reason_vi);
			if (ent.kind == CAL_WORKING)
				continue;
		}
		if (!fn(&ent, ctx))
			break;
	}
out:
	if (st)
		store_finish(st);
	return e;
}

/* Copies the columns day, kind, reason_vi, reason_en, created_by,
 * created_at of the current row into *o. */
static void override_from_row(store_stmt *st, calendar_override *o)
{
	const char *s;
	memset(o, 0, sizeof *o);
	date_parse(store_col_text(st, 0), &o->day);
	s = store_col_text(st, 1);
	o->off = s && strcmp(s, "off") == 0;
	snprintf(o->reason_vi, sizeof o->reason_vi, "%s", (s = store_col_text(st, 2)) ? s : "");
	snprintf(o->reason_en, sizeof o->reason_en, "%s", (s = store_col_text(st, 3)) ? s : "");
	snprintf(o->created_by, sizeof o->created_by, "%s", (s = store_col_text(st, 4)) ? s : "");
	snprintf(o->created_at, sizeof o->created_at, "%s", (s = store_col_text(st, 5)) ? s : "");
}

mc_err calendar_get_day(store_conn *c, mc_day d, calendar_override *out)
{
	store_stmt *st = NULL;
	char day[11];
	bool row = false;
	mc_err e;

	e = store_prepare(c,
	                  "SELECT day, kind, reason_vi, reason_en, created_by, created_at "
	                  "FROM calendar_day WHERE day = ?1",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, date_format(d, day));
	e = store_step(st, &row);
	if (!e && !row)
		e = MC_ERR_NOT_FOUND;
	if (!e)
		override_from_row(st, out);
	store_finish(st);
	return e;
}

json_t *calendar_override_json(const calendar_override *o)
{
	char day[11];
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "date", date_format(o->day, day), "kind",
	                 o->off ? "off" : "work", "reason", o->reason_vi, "reason_en", o->reason_en,
	                 "created_by", o->created_by, "created_at", o->created_at);
}

typedef struct set_ctx {
	const char *actor;
	mc_day day;
	bool off;
	const char *reason_vi, *reason_en;
	calendar_override out; /* out */
	bool created;          /* out */
} set_ctx;

static mc_err set_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	set_ctx *x = vctx;
	calendar_override before;
	char day[11], now[21];
	json_t *detail = NULL;
	char *object = NULL;
	mc_err e;

	(void)diag;
	e = calendar_get_day(c, x->day, &before);
	if (e && e != MC_ERR_NOT_FOUND)
		return e;
	x->created = e == MC_ERR_NOT_FOUND;
	date_format(x->day, day);
	ts_format(ts_now(), now);
	{
		const char *p[] = {
		    day, x->off ? "off" : "work", x->reason_vi, x->reason_en, x->actor, now};
		e = store_execv(
		    c,
		    "INSERT INTO calendar_day (day, kind, reason_vi, reason_en, "
		    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
		    "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, "
		    "reason_vi = excluded.reason_vi, reason_en = excluded.reason_en, "
		    "created_by = excluded.created_by, created_at = excluded.created_at",
		    6, p);
		if (e)
			goto out;
	}
	e = calendar_get_day(c, x->day, &x->out);
	if (e) {
		e = e == MC_ERR_NOT_FOUND ? MC_ERR_INTERNAL : e;
		goto out;
	}
	detail = json_object();
	if (!x->created)
		json_object_set_new(detail, "before", calendar_override_json(&before));
	json_object_set_new(detail, "after", calendar_override_json(&x->out));
	object = mc_xasprintf("calendar_day:%s", day);
	e = audit_append(c, x->actor, "calendar.day.set", object, detail);
out:
	json_decref(detail);
	free(object);
	return e;
}

/* Checks a reason: valid UTF-8 without control characters, at most
 * CALENDAR_REASON_MAX code points. */
static bool reason_ok(const char *s)
{
	if (!text_utf8_valid(s, strlen(s)) || text_utf8_len(s) > CALENDAR_REASON_MAX)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

mc_err calendar_set_day(store *s, const char *actor, mc_day d, bool off, const char *reason_vi,
                        const char *reason_en, calendar_override *out, bool *created, mc_diag *diag)
{
	set_ctx x = {.actor = actor && *actor ? actor : "system", .day = d, .off = off};
	char *vi = NULL, *en = NULL;
	json_t *errs = NULL;
	mc_err e;

	if (!day_supported(d))
		return mc_fail2(diag, MC_ERR_INVALID,
		                "Ngày nằm ngoài khoảng lịch hỗ trợ (1900-2199).",
		                "The date is outside the supported calendar (1900-2199).");
	/* Whole strings (the body size is capped upstream), so that an
	 * over-long reason is refused rather than cut. */
	vi = text_trim_dup(reason_vi ? reason_vi : "", SIZE_MAX);
	en = text_trim_dup(reason_en ? reason_en : "", SIZE_MAX);
	errs = json_array();
	if (!*vi)
		mc_errors_add(errs, "$.reason", "is required", "bắt buộc phải có lý do");
	else if (!reason_ok(vi))
		mc_errors_add(errs, "$.reason", "must be at most 300 characters of plain text",
		              "tối đa 300 ký tự, không chứa ký tự điều khiển");
	if (*en && !reason_ok(en))
		mc_errors_add(errs, "$.reason_en", "must be at most 300 characters of plain text",
		              "tối đa 300 ký tự, không chứa ký tự điều khiển");
	if (json_array_size(errs)) {
		e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Thông tin ngày không hợp lệ.",
		             "The calendar day has invalid fields.");
		mc_diag_ext(diag, "errors", errs);
		errs = NULL;
		goto out;
	}
	x.reason_vi = vi;
	x.reason_en = en;
	e = store_write(s, set_fn, &x, diag);
	if (e)
		goto out;
	if (out)
		*out = x.out;
	if (created)
		*created = x.created;
out:
	json_decref(errs);
	free(vi);
	free(en);
	return e;
}

typedef struct delete_ctx {
	const char *actor;
	mc_day day;
} delete_ctx;

static mc_err delete_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	delete_ctx *x = vctx;
	calendar_override before;
	char day[11];
	json_t *detail = NULL;
	char *object = NULL;
	mc_err e;

	e = calendar_get_day(c, x->day, &before);
	if (e == MC_ERR_NOT_FOUND)
		return mc_fail2(diag, e, "Ngày này không có điều chỉnh nào.",
		                "There is no override for this day.");
	if (e)
		return e;
	date_format(x->day, day);
	{
		const char *p[] = {day};
		e = store_execv(c, "DELETE FROM calendar_day WHERE day = ?1", 1, p);
		if (e)
			goto out;
	}
	detail = json_pack("{s:o}", "before", calendar_override_json(&before));
	object = mc_xasprintf("calendar_day:%s", day);
	e = audit_append(c, x->actor, "calendar.day.delete", object, detail);
out:
	json_decref(detail);
	free(object);
	return e;
}

mc_err calendar_delete_day(store *s, const char *actor, mc_day d, mc_diag *diag)
{
	delete_ctx x = {.actor = actor && *actor ? actor : "system", .day = d};
	if (!day_supported(d))
		return mc_fail2(diag, MC_ERR_INVALID,
		                "Ngày nằm ngoài khoảng lịch hỗ trợ (1900-2199).",
		                "The date is outside the supported calendar (1900-2199).");
	return store_write(s, delete_fn, &x, diag);
}
