/* satisfaction_feedback.c - feedback (PAKN, phản ánh kiến nghị) about a
 * dossier: the applicant writes, an officer of the agency handling the
 * dossier when it was sent (or an admin) answers once; the agency's queue
 * of feedback. All SQL of table satisfaction_feedback lives here; the
 * dossier is seen only through dossier_get. */
#include "satisfaction/satisfaction.h"

#include "audit/audit.h"
#include "core/date.h"
#include "dossier/dossier.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define COLUMNS "id, dossier_code, agency, content, created_at, answer, answered_by, answered_at"

static json_t *opt(store_stmt *st, int col)
{
	const char *s = store_col_text(st, col);
	return s ? json_string(s) : json_null();
}

static json_t *row_json(store_stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
	                 store_col_text(st, 0), "dossier_code", store_col_text(st, 1), "agency",
	                 store_col_text(st, 2), "content", store_col_text(st, 3), "created_at",
	                 store_col_text(st, 4), "status",
	                 store_col_null(st, 5) ? "open" : "answered", "answer", opt(st, 5),
	                 "answered_by", opt(st, 6), "answered_at", opt(st, 7));
}

static mc_err load(store_conn *c, const char *id, json_t **out)
{
	*out = NULL;
	store_stmt *st;
	mc_err e =
	    store_prepare(c, "SELECT " COLUMNS " FROM satisfaction_feedback WHERE id = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, id);
	bool row;
	if (!(e = store_step(st, &row)) && row)
		*out = row_json(st);
	store_finish(st);
	return e;
}

static const char *str_of(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

/* The one text member `name` of `body` (no other members): *text borrowed. */
static mc_err body_text(json_t *body, const char *name, const char **text, mc_diag *diag)
{
	*text = NULL;
	if (!json_is_object(body))
		return mc_fail2(diag, MC_ERR_INVALID, "Nội dung phải là một đối tượng JSON.",
		                "The body must be a JSON object.");
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		if (strcmp(k, name) != 0) {
			json_t *errors = json_array();
			char path[64];
			snprintf(path, sizeof path, "$.%.40s", k);
			mc_errors_add(errors, path, "unknown member",
			              "trường không có trong yêu cầu");
			mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Yêu cầu có trường không hợp lệ.",
			         "The request has an unknown member.");
			mc_diag_ext(diag, "errors", errors);
			return MC_ERR_UNPROCESSABLE;
		}
	}
	char path[64];
	snprintf(path, sizeof path, "$.%s", name);
	return satisfaction_text_check(json_object_get(body, name), path, text, diag);
}

/* ---- sending ---- */

typedef struct send_ctx {
	const char *id, *code, *agency, *content, *actor;
	int64_t user_id;
	char now[32];
	json_t *out;
} send_ctx;

static mc_err send_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	send_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	store_stmt *st;
	mc_err e = store_prepare(
	    c, "SELECT COUNT(*) FROM satisfaction_feedback WHERE dossier_code = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->code);
	bool row;
	int64_t n = 0;
	if (!(e = store_step(st, &row)) && row)
		n = store_col_int(st, 0);
	store_finish(st);
	if (e)
		return e;
	if (n >= SATISFACTION_FEEDBACK_PER_DOSSIER)
		return mc_fail2(diag, MC_ERR_CONFLICT,
		                "Hồ sơ đã có đủ số phản ánh, kiến nghị tối đa (20).",
		                "The dossier already has the most feedback allowed (%d).",
		                SATISFACTION_FEEDBACK_PER_DOSSIER);
	e = store_prepare(c,
	                  "INSERT INTO satisfaction_feedback (id, dossier_code, agency, "
	                  "author_user_id, content, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->id);
	store_bind_text(st, 2, x->code);
	store_bind_text(st, 3, x->agency);
	store_bind_int(st, 4, x->user_id);
	store_bind_text(st, 5, x->content);
	store_bind_text(st, 6, x->now);
	e = store_step(st, &row);
	store_finish(st);
	if (e)
		return e;
	json_t *detail = json_pack("{s:s, s:s}", "dossier", x->code, "agency", x->agency);
	e = audit_append(c, x->actor, "satisfaction.feedback", x->id, detail);
	json_decref(detail);
	if (e)
		return e;
	return load(c, x->id, &x->out);
}

mc_err satisfaction_feedback_send(mc_app *app, const mc_principal *who, const char *code,
                                  json_t *body, json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (who->role != ROLE_CITIZEN)
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Chỉ người nộp hồ sơ gửi phản ánh, kiến nghị về hồ sơ.",
		                "Only the applicant of a dossier sends feedback about it.");
	json_t *d = NULL;
	mc_err e = dossier_get(app, who, code, &d, diag);
	if (e)
		return e;
	if (strcmp(str_of(json_object_get(json_object_get(d, "applicant"), "user")),
	           who->username) != 0) {
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy hồ sơ.", "No such dossier.");
		goto out;
	}
	const char *content;
	if ((e = body_text(body, "content", &content, diag)))
		goto out;
	unsigned char rnd[16];
	char id[33];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	send_ctx x = {.id = id,
	              .code = str_of(json_object_get(d, "code")),
	              .agency = str_of(json_object_get(d, "agency")),
	              .content = content,
	              .actor = who->username,
	              .user_id = who->user_id};
	ts_format(ts_now(), x.now);
	if ((e = store_write(app->db, send_fn, &x, diag)))
		json_decref(x.out);
	else
		*out = x.out;
out:
	json_decref(d);
	return e;
}

/* ---- reading ---- */

typedef struct list_ctx {
	const char *code;
	json_t *items;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	list_ctx *x = vctx;
	json_array_clear(x->items);
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT " COLUMNS " FROM satisfaction_feedback WHERE "
	                         "dossier_code = ?1 ORDER BY created_at, id",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->code);
	bool row;
	while (!(e = store_step(st, &row)) && row)
		json_array_append_new(x->items, row_json(st));
	store_finish(st);
	return e;
}

mc_err satisfaction_feedback_list(mc_app *app, const mc_principal *who, const char *code,
                                  json_t **items, mc_diag *diag)
{
	*items = NULL;
	json_t *d = NULL;
	mc_err e = dossier_get(app, who, code, &d, diag);
	if (e)
		return e;
	if (who->role == ROLE_OFFICER &&
	    strcmp(str_of(json_object_get(d, "agency")), who->agency)) {
		e = mc_fail2(diag, MC_ERR_FORBIDDEN,
		             "Chỉ cơ quan đang giải quyết hồ sơ xem được phản ánh, kiến nghị.",
		             "Only the agency handling the dossier reads its feedback.");
		goto out;
	}
	list_ctx x = {.code = str_of(json_object_get(d, "code")), .items = json_array()};
	if ((e = store_read(app->db, list_fn, &x, diag)))
		json_decref(x.items);
	else
		*items = x.items;
out:
	json_decref(d);
	return e;
}

/* ---- answering ---- */

typedef struct answer_ctx {
	const char *id, *answer;
	const mc_principal *who;
	char now[32];
	json_t *out;
} answer_ctx;

static mc_err answer_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	answer_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *f = NULL;
	mc_err e = load(c, x->id, &f);
	if (e)
		return e;
	if (!f)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy phản ánh, kiến nghị.",
		                "No such feedback.");
	const char *agency = str_of(json_object_get(f, "agency"));
	if (x->who->role != ROLE_ADMIN &&
	    (x->who->role != ROLE_OFFICER || strcmp(agency, x->who->agency) != 0))
		e = mc_fail2(diag, MC_ERR_FORBIDDEN,
		             "Chỉ cơ quan nhận phản ánh, kiến nghị trả lời được.",
		             "Only the agency the feedback was sent to answers it.");
	else if (json_is_string(json_object_get(f, "answer")))
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Phản ánh, kiến nghị đã được trả lời.",
		             "The feedback has already been answered.");
	json_t *detail = e ? NULL
	                   : json_pack("{s:O, s:s}", "dossier", json_object_get(f, "dossier_code"),
	                               "agency", agency);
	json_decref(f);
	if (e)
		return e;
	store_stmt *st;
	e = store_prepare(c,
	                  "UPDATE satisfaction_feedback SET answer = ?2, answered_by = ?3, "
	                  "answered_at = ?4 WHERE id = ?1 AND answer IS NULL",
	                  &st);
	if (!e) {
		store_bind_text(st, 1, x->id);
		store_bind_text(st, 2, x->answer);
		store_bind_text(st, 3, x->who->username);
		store_bind_text(st, 4, x->now);
		bool row;
		e = store_step(st, &row);
		store_finish(st);
	}
	if (!e)
		e = audit_append(c, x->who->username, "satisfaction.feedback_answer", x->id,
		                 detail);
	json_decref(detail);
	if (e)
		return e;
	return load(c, x->id, &x->out);
}

mc_err satisfaction_feedback_answer(mc_app *app, const mc_principal *who, const char *id,
                                    json_t *body, json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (who->role != ROLE_OFFICER && who->role != ROLE_ADMIN)
		return mc_fail2(diag, MC_ERR_FORBIDDEN, "Chỉ cán bộ trả lời phản ánh, kiến nghị.",
		                "Only officers answer feedback.");
	const char *answer;
	mc_err e = body_text(body, "answer", &answer, diag);
	if (e)
		return e;
	answer_ctx x = {.id = id, .answer = answer, .who = who};
	ts_format(ts_now(), x.now);
	if ((e = store_write(app->db, answer_fn, &x, diag)))
		json_decref(x.out);
	else
		*out = x.out;
	return e;
}

/* ---- the queue ---- */

typedef struct queue_ctx {
	const char *agency, *after_at, *after_id;
	bool open_only;
	int limit;
	json_t *items;
	bool more;
} queue_ctx;

static mc_err queue_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	queue_ctx *x = vctx;
	json_array_clear(x->items);
	x->more = false;
	char sql[512];
	snprintf(sql, sizeof sql,
	         "SELECT " COLUMNS " FROM satisfaction_feedback WHERE (created_at > ?1 OR "
	         "(created_at = ?1 AND id > ?2))%s%s ORDER BY created_at, id LIMIT ?3",
	         x->agency ? " AND agency = ?4" : "", x->open_only ? " AND answer IS NULL" : "");
	store_stmt *st;
	mc_err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->after_at ? x->after_at : "");
	store_bind_text(st, 2, x->after_id ? x->after_id : "");
	store_bind_int(st, 3, x->limit + 1);
	if (x->agency)
		store_bind_text(st, 4, x->agency);
	e = store_collect(st, x->limit, row_json, x->items, &x->more);
	store_finish(st);
	return e;
}

mc_err satisfaction_feedback_queue(store *s, const char *agency, bool open_only, int limit,
                                   const char *after_at, const char *after_id, json_t **items,
                                   bool *more, mc_diag *diag)
{
	queue_ctx x = {.agency = agency,
	               .after_at = after_at,
	               .after_id = after_id,
	               .open_only = open_only,
	               .limit = limit < 1                         ? 1
	                        : limit > SATISFACTION_QUEUE_PAGE ? SATISFACTION_QUEUE_PAGE
	                                                          : limit,
	               .items = json_array()};
	mc_err e = store_read(s, queue_fn, &x, diag);
	if (e) {
		json_decref(x.items);
		x.items = NULL;
	}
	*items = x.items;
	*more = x.more;
	return e;
}
