/* satisfaction.c - the satisfaction service: giving and reading the rating
 * of a dossier, the aggregates per agency and period, the programme figure,
 * the monthly counts for open data and the demo ratings. All SQL of table
 * satisfaction_rating lives here; dossiers are seen only through
 * dossier_get and dossier_list. */
#include "satisfaction/satisfaction.h"

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/mem.h"
#include "dossier/dossier.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SATISFACTION_SATISFIED_MIN as SQL text (checked below). */
#define SATISFIED_MIN_SQL "4"
_Static_assert(SATISFACTION_SATISFIED_MIN == 4, "SATISFIED_MIN_SQL must match");

#define ROW_COLUMNS                                                                                \
	"dossier_code, agency, procedure_code, score, on_time, courteous, easy_online, comment, "  \
	"rated_at"

/* The string value of v, "" when v is not a string. */
static const char *str_of(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

static json_t *tri(store_stmt *st, int col)
{
	if (store_col_null(st, col))
		return json_null();
	return json_boolean(store_col_int(st, col) != 0);
}

static json_t *row_json(store_stmt *st)
{
	int score = (int)store_col_int(st, 3);
	const char *comment = store_col_text(st, 7);
	return json_pack("{s:s, s:s, s:s, s:i, s:b, s:{s:o, s:o, s:o}, s:o, s:s}", "dossier_code",
	                 store_col_text(st, 0), "agency", store_col_text(st, 1), "procedure",
	                 store_col_text(st, 2), "score", score, "satisfied",
	                 satisfaction_is_satisfied(score), "criteria", "on_time", tri(st, 4),
	                 "courteous", tri(st, 5), "easy_online", tri(st, 6), "comment",
	                 comment ? json_string(comment) : json_null(), "rated_at",
	                 store_col_text(st, 8));
}

/* The rating of `code` in *out, NULL when none. */
static mc_err load(store_conn *c, const char *code, json_t **out)
{
	*out = NULL;
	store_stmt *st;
	mc_err e = store_prepare(
	    c, "SELECT " ROW_COLUMNS " FROM satisfaction_rating WHERE dossier_code = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, code);
	bool row;
	if (!(e = store_step(st, &row)) && row)
		*out = row_json(st);
	store_finish(st);
	return e;
}

/* ---- rating ---- */

typedef struct rate_ctx {
	const char *code, *agency, *procedure, *actor;
	int64_t user_id;
	const satisfaction_input *in;
	char now[32];
	json_t *out;
} rate_ctx;

static mc_err rate_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	rate_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *old = NULL;
	mc_err e = load(c, x->code, &old);
	if (e)
		return e;
	if (old) {
		json_decref(old);
		return mc_fail2(diag, MC_ERR_CONFLICT, "Hồ sơ này đã được đánh giá.",
		                "This dossier has already been rated.");
	}
	store_stmt *st;
	e = store_prepare(c,
	                  "INSERT INTO satisfaction_rating (dossier_code, agency, procedure_code, "
	                  "rater_user_id, score, on_time, courteous, easy_online, comment, "
	                  "rated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->code);
	store_bind_text(st, 2, x->agency);
	store_bind_text(st, 3, x->procedure);
	store_bind_int(st, 4, x->user_id);
	store_bind_int(st, 5, x->in->score);
	for (int i = 0; i < SATISFACTION_CRITERIA; i++) {
		if (x->in->criteria[i] < 0)
			store_bind_null(st, 6 + i);
		else
			store_bind_int(st, 6 + i, x->in->criteria[i]);
	}
	if (x->in->comment)
		store_bind_text(st, 9, x->in->comment);
	else
		store_bind_null(st, 9);
	store_bind_text(st, 10, x->now);
	bool row;
	e = store_step(st, &row);
	store_finish(st);
	if (e)
		return e;
	/* the audit entry says what was rated, not the comment's text */
	json_t *detail = json_pack("{s:s, s:i, s:b}", "agency", x->agency, "score", x->in->score,
	                           "comment", x->in->comment != NULL);
	e = audit_append(c, x->actor, "satisfaction.rate", x->code, detail);
	json_decref(detail);
	if (e)
		return e;
	return load(c, x->code, &x->out);
}

mc_err satisfaction_rate(mc_app *app, const mc_principal *who, const char *code, json_t *body,
                         json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (who->role != ROLE_CITIZEN)
		return mc_fail2(diag, MC_ERR_FORBIDDEN, "Chỉ người nộp hồ sơ đánh giá được.",
		                "Only the applicant of a dossier rates it.");
	json_t *d = NULL;
	/* NOT_FOUND for another citizen's dossier: dossier_get's own rule */
	mc_err e = dossier_get(app, who, code, &d, diag);
	if (e)
		return e;
	json_t *ap = json_object_get(d, "applicant");
	if (strcmp(str_of(json_object_get(ap, "user")), who->username) != 0) {
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy hồ sơ.", "No such dossier.");
		goto out;
	}
	satisfaction_input in;
	if ((e = satisfaction_parse(body, &in, diag)))
		goto out;
	int status = (int)json_integer_value(json_object_get(d, "status_code"));
	/* ended statuses are final (9 only moves on to 10, also ended), so the
	 * check outside the write transaction cannot go stale */
	if (!satisfaction_dossier_ended(status)) {
		e = mc_fail2(diag, MC_ERR_CONFLICT,
		             "Chỉ đánh giá được hồ sơ đã kết thúc (đã trả kết quả, đã xử lý xong, "
		             "không được tiếp nhận hoặc dừng xử lý).",
		             "Only a dossier that has ended can be rated (result returned, "
		             "processed, refused or stopped).");
		mc_diag_ext(diag, "status_code", json_integer(status));
		goto out;
	}
	rate_ctx x = {.code = json_string_value(json_object_get(d, "code")),
	              .agency = json_string_value(json_object_get(d, "agency")),
	              .procedure = json_string_value(json_object_get(d, "procedure")),
	              .actor = who->username,
	              .user_id = who->user_id,
	              .in = &in};
	ts_format(ts_now(), x.now);
	e = store_write(app->db, rate_fn, &x, diag);
	if (e)
		json_decref(x.out);
	else
		*out = x.out;
out:
	json_decref(d);
	return e;
}

/* ---- reading ---- */

typedef struct get_ctx {
	const char *code;
	json_t *out;
} get_ctx;

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	get_ctx *x = vctx;
	json_decref(x->out);
	return load(c, x->code, &x->out);
}

mc_err satisfaction_get(mc_app *app, const mc_principal *who, const char *code, json_t **out,
                        mc_diag *diag)
{
	*out = NULL;
	json_t *d = NULL;
	mc_err e = dossier_get(app, who, code, &d, diag);
	if (e)
		return e;
	if (who->role == ROLE_OFFICER &&
	    strcmp(str_of(json_object_get(d, "agency")), who->agency) != 0) {
		e = mc_fail2(diag, MC_ERR_FORBIDDEN,
		             "Chỉ cơ quan đang giải quyết hồ sơ xem được đánh giá.",
		             "Only the agency handling the dossier reads its rating.");
		goto out;
	}
	get_ctx x = {.code = json_string_value(json_object_get(d, "code"))};
	if ((e = store_read(app->db, get_fn, &x, diag)))
		goto out;
	if (!x.out) {
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Hồ sơ chưa được đánh giá.",
		             "The dossier has not been rated yet.");
		goto out;
	}
	*out = x.out;
out:
	json_decref(d);
	return e;
}

/* ---- aggregates ---- */

typedef struct sum_ctx {
	const char *agency, *from, *to;
	json_t *out;
} sum_ctx;

static void add_int(json_t *obj, const char *key, int64_t n)
{
	json_object_set_new(obj, key,
	                    json_integer(json_integer_value(json_object_get(obj, key)) + n));
}

static void set_share(json_t *obj)
{
	json_object_set_new(
	    obj, "satisfied_share",
	    json_real(satisfaction_share(json_integer_value(json_object_get(obj, "satisfied")),
	                                 json_integer_value(json_object_get(obj, "rated")))));
}

static mc_err sum_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	sum_ctx *x = vctx;
	json_decref(x->out);
	json_t *by_score = json_object(), *criteria = json_object(), *agencies = json_object();
	for (int i = SATISFACTION_SCORE_MIN; i <= SATISFACTION_SCORE_MAX; i++) {
		char k[4];
		snprintf(k, sizeof k, "%d", i);
		json_object_set_new(by_score, k, json_integer(0));
	}
	for (int i = 0; i < SATISFACTION_CRITERIA; i++)
		json_object_set_new(criteria, satisfaction_criteria[i],
		                    json_pack("{s:i, s:i}", "yes", 0, "no", 0));
	x->out = json_pack("{s:i, s:i, s:o, s:o}", "rated", 0, "satisfied", 0, "by_score", by_score,
	                   "criteria", criteria);
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    x->agency ? "SELECT agency, score, on_time, courteous, easy_online, COUNT(*) FROM "
	                "satisfaction_rating WHERE rated_at >= ?1 AND rated_at < ?2 AND agency = "
	                "?3 GROUP BY agency, score, on_time, courteous, easy_online"
	              : "SELECT agency, score, on_time, courteous, easy_online, COUNT(*) FROM "
	                "satisfaction_rating WHERE rated_at >= ?1 AND rated_at < ?2 "
	                "GROUP BY agency, score, on_time, courteous, easy_online",
	    &st);
	if (e) {
		json_decref(agencies);
		return e;
	}
	store_bind_text(st, 1, x->from);
	store_bind_text(st, 2, x->to);
	if (x->agency)
		store_bind_text(st, 3, x->agency);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		const char *ag = store_col_text(st, 0);
		int score = (int)store_col_int(st, 1);
		int64_t n = store_col_int(st, 5);
		bool sat = satisfaction_is_satisfied(score);
		char k[24];
		snprintf(k, sizeof k, "%d", score);
		add_int(by_score, k, n);
		add_int(x->out, "rated", n);
		add_int(x->out, "satisfied", sat ? n : 0);
		for (int i = 0; i < SATISFACTION_CRITERIA; i++)
			if (!store_col_null(st, 2 + i))
				add_int(json_object_get(criteria, satisfaction_criteria[i]),
				        store_col_int(st, 2 + i) ? "yes" : "no", n);
		json_t *a = json_object_get(agencies, ag);
		if (!a) {
			a = json_pack("{s:s, s:i, s:i}", "agency", ag, "rated", 0, "satisfied", 0);
			json_object_set_new(agencies, ag, a);
		}
		add_int(a, "rated", n);
		add_int(a, "satisfied", sat ? n : 0);
	}
	store_finish(st);
	set_share(x->out);
	/* agencies by code: json objects keep insertion order, so sort here */
	json_t *list = json_array();
	size_t na = json_object_size(agencies);
	const char **keys = mc_xcalloc(na ? na : 1, sizeof *keys);
	size_t i = 0;
	const char *k;
	json_t *v;
	json_object_foreach(agencies, k, v) keys[i++] = k;
	for (size_t a = 1; a < na; a++)
		for (size_t b = a; b > 0 && strcmp(keys[b - 1], keys[b]) > 0; b--) {
			const char *t = keys[b];
			keys[b] = keys[b - 1];
			keys[b - 1] = t;
		}
	for (i = 0; i < na; i++) {
		json_t *a = json_object_get(agencies, keys[i]);
		set_share(a);
		json_array_append(list, a);
	}
	free(keys);
	json_decref(agencies);
	json_object_set_new(x->out, "agencies", list);
	return e;
}

mc_err satisfaction_summary(store *s, const char *agency, const char *from_ts, const char *to_ts,
                            json_t **out, mc_diag *diag)
{
	sum_ctx x = {.agency = agency, .from = from_ts, .to = to_ts};
	mc_err e = store_read(s, sum_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		x.out = NULL;
	}
	*out = x.out;
	return e;
}

typedef struct ratings_ctx {
	const char *agency, *before_at, *before_code;
	int satisfied, limit;
	json_t *items;
	bool more;
} ratings_ctx;

static mc_err ratings_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	ratings_ctx *x = vctx;
	json_array_clear(x->items);
	x->more = false;
	/* parameters numbered without gaps (PostgreSQL infers each one's type);
	 * the satisfied filter compares with a constant of this file */
	char sql[600];
	snprintf(sql, sizeof sql,
	         "SELECT " ROW_COLUMNS " FROM satisfaction_rating WHERE (rated_at < ?2 OR "
	         "(rated_at = ?2 AND dossier_code < ?3))%s%s ORDER BY rated_at DESC, "
	         "dossier_code DESC LIMIT ?1",
	         x->satisfied < 0   ? ""
	         : x->satisfied > 0 ? " AND score >= " SATISFIED_MIN_SQL
	                            : " AND score < " SATISFIED_MIN_SQL,
	         x->agency ? " AND agency = ?4" : "");
	store_stmt *st;
	mc_err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	store_bind_int(st, 1, x->limit + 1);
	/* no cursor: before every timestamp ("9" sorts after "YYYY-...") */
	store_bind_text(st, 2, x->before_at ? x->before_at : "9");
	store_bind_text(st, 3, x->before_code ? x->before_code : "");
	if (x->agency)
		store_bind_text(st, 4, x->agency);
	e = store_collect(st, x->limit, row_json, x->items, &x->more);
	store_finish(st);
	return e;
}

mc_err satisfaction_ratings_list(store *s, const char *agency, int satisfied, int limit,
                                 const char *before_at, const char *before_code, json_t **items,
                                 bool *more, mc_diag *diag)
{
	ratings_ctx x = {.agency = agency,
	                 .before_at = before_at,
	                 .before_code = before_code,
	                 .satisfied = satisfied,
	                 .limit = limit < 1                         ? 1
	                          : limit > SATISFACTION_QUEUE_PAGE ? SATISFACTION_QUEUE_PAGE
	                                                            : limit,
	                 .items = json_array()};
	mc_err e = store_read(s, ratings_fn, &x, diag);
	if (e) {
		json_decref(x.items);
		x.items = NULL;
	}
	*items = x.items;
	*more = x.more;
	return e;
}

typedef struct fig_ctx {
	const char *from, *to;
	int64_t rated, satisfied;
} fig_ctx;

static mc_err fig_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	fig_ctx *x = vctx;
	x->rated = x->satisfied = 0;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT COUNT(*), COALESCE(SUM(CASE WHEN score >= ?3 THEN 1 ELSE "
	                         "0 END), 0) FROM satisfaction_rating WHERE rated_at >= ?1 AND "
	                         "rated_at < ?2",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->from);
	store_bind_text(st, 2, x->to);
	store_bind_int(st, 3, SATISFACTION_SATISFIED_MIN);
	bool row;
	if (!(e = store_step(st, &row)) && row) {
		x->rated = store_col_int(st, 0);
		x->satisfied = store_col_int(st, 1);
	}
	store_finish(st);
	return e;
}

mc_err satisfaction_figure(store *s, const char *from_ts, const char *to_ts, json_t **out,
                           mc_diag *diag)
{
	*out = NULL;
	fig_ctx x = {.from = from_ts, .to = to_ts};
	mc_err e = store_read(s, fig_fn, &x, diag);
	if (!e)
		*out = json_pack("{s:I, s:I, s:f}", "satisfied", (json_int_t)x.satisfied, "rated",
		                 (json_int_t)x.rated, "share",
		                 satisfaction_share(x.satisfied, x.rated));
	return e;
}

mc_err satisfaction_monthly_each(store_conn *c, satisfaction_month_fn fn, void *ctx)
{
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT substr(rated_at, 1, 7), agency, COUNT(*), "
	                         "SUM(CASE WHEN score >= ?1 THEN 1 ELSE 0 END) "
	                         "FROM satisfaction_rating GROUP BY substr(rated_at, 1, 7), agency",
	                         &st);
	if (e)
		return e;
	store_bind_int(st, 1, SATISFACTION_SATISFIED_MIN);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		satisfaction_month m = {.month = store_col_text(st, 0),
		                        .agency = store_col_text(st, 1),
		                        .rated = store_col_int(st, 2),
		                        .satisfied = store_col_int(st, 3)};
		fn(&m, ctx);
	}
	store_finish(st);
	return e;
}

/* ---- demo ---- */

mc_err satisfaction_seed_demo(mc_app *app, int *rated, mc_diag *diag)
{
	if (rated)
		*rated = 0;
	mc_principal citizen = {0};
	mc_err e = auth_principal_of(app->db, "citizen", &citizen, diag);
	if (e)
		return e;
	dossier_query q = {.status = 10, .late = -1, .limit = 20};
	json_t *items = NULL, *next = NULL;
	if ((e = dossier_list(app, &citizen, &q, &items, &next, diag)))
		return e;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		json_t *body = json_pack(
		    "{s:i, s:{s:b, s:b, s:b}, s:s}", "score", 5, "criteria", "on_time", 1,
		    "courteous", 1, "easy_online", 1, "comment",
		    "Cán bộ hướng dẫn tận tình, nhận kết quả đúng hẹn. / Helpful officers, result "
		    "on time.");
		json_t *out = NULL;
		e = satisfaction_rate(app, &citizen, json_string_value(json_object_get(it, "code")),
		                      body, &out, diag);
		json_decref(body);
		json_decref(out);
		if (e == MC_ERR_CONFLICT) {
			mc_diag_clear(diag);
			e = MC_OK;
		} else if (!e && rated) {
			(*rated)++;
		}
		if (e)
			break;
	}
	json_decref(items);
	json_decref(next);
	items = next = NULL;
	/* one open feedback on a dossier being processed, for the officer */
	dossier_query p = {.status = 4, .late = -1, .limit = 1};
	if (!e && !(e = dossier_list(app, &citizen, &p, &items, &next, diag)) &&
	    json_array_size(items)) {
		const char *code =
		    json_string_value(json_object_get(json_array_get(items, 0), "code"));
		json_t *old = NULL;
		if (!(e = satisfaction_feedback_list(app, &citizen, code, &old, diag)) &&
		    !json_array_size(old)) {
			json_t *body = json_pack(
			    "{s:s}", "content",
			    "Hồ sơ đang xử lý đã lâu, đề nghị cho biết khi nào có kết quả. / The "
			    "dossier has been in processing for a while: when will the result "
			    "come?");
			json_t *out = NULL;
			e = satisfaction_feedback_send(app, &citizen, code, body, &out, diag);
			json_decref(body);
			json_decref(out);
		}
		json_decref(old);
	}
	json_decref(items);
	json_decref(next);
	return e;
}
