/* portal_rating.c - "rate the service" (đánh giá) in the portal: the
 * rating box of the dossier page (a form for the applicant of an ended
 * dossier, or the rating already given; the rating for officers of the
 * handling agency), the rating page /ho-so/{code}/danh-gia (GET: the same
 * box on its own page; POST: the form, through satisfaction_rate), and the
 * scoreboard row "people and businesses satisfied"; and feedback (PAKN)
 * on the dossier page: the list, the applicant's form, the agency's answer
 * forms (POST /ho-so/{code}/phan-anh and .../phan-anh/{id}/tra-loi); the
 * officers' page /danh-gia (their agency's share satisfied, feedback to
 * answer, latest ratings). Works
 * without JavaScript: radio groups in fieldsets with legends, CSRF on every
 * form. */
#include "core/date.h"
#include "dossier/dossier.h"
#include "portal/portal_internal.h"
#include "satisfaction/satisfaction.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *score_label(pt_ctx *c, int score)
{
	switch (score) {
	case 1:
		return PT_T(c, "Rất không hài lòng", "Very dissatisfied");
	case 2:
		return PT_T(c, "Không hài lòng", "Dissatisfied");
	case 3:
		return PT_T(c, "Bình thường", "Neither satisfied nor dissatisfied");
	case 4:
		return PT_T(c, "Hài lòng", "Satisfied");
	default:
		return PT_T(c, "Rất hài lòng", "Very satisfied");
	}
}

/* The question of criterion i. */
static const char *criterion_label(pt_ctx *c, int i)
{
	switch (i) {
	case 0:
		return PT_T(c, "Nhận kết quả đúng hẹn?", "Did you get the result on time?");
	case 1:
		return PT_T(c, "Cán bộ tiếp nhận, giải quyết có tận tình, đúng mực?",
		            "Were the officers courteous and helpful?");
	default:
		return PT_T(c, "Các bước trực tuyến có dễ thực hiện?",
		            "Were the online steps easy to follow?");
	}
}

static void errors_box(pt_ctx *c, mc_buf *b, json_t *errors)
{
	html_fmt(b, "<div class=\"error\" role=\"alert\"><p>%s</p><ul>",
	         PT_T(c, "Chưa gửi được đánh giá:", "The rating was not sent:"));
	size_t i;
	json_t *er;
	json_array_foreach(errors, i, er)
	{
		const char *m =
		    json_string_value(json_object_get(er, c->en ? "message" : "message_vi"));
		html_fmt(b, "<li>%s</li>",
		         m ? m : json_string_value(json_object_get(er, "message")));
	}
	mc_buf_puts(b, "</ul></div>");
}

/* A posted value to keep checked after an error, or NULL. */
static const char *posted(pt_ctx *c, const char *name)
{
	return c->form.n ? pt_field(c, name) : NULL;
}

static void rating_form(pt_ctx *c, mc_buf *b, const char *code, json_t *errors)
{
	html_fmt(b, "<p>%s</p>",
	         PT_T(c,
	              "Hồ sơ đã kết thúc. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn và được "
	              "tính vào chỉ số hài lòng theo Quyết định 766/QĐ-TTg. Mỗi hồ sơ được đánh "
	              "giá một lần.",
	              "The dossier has ended. Your opinion helps the office serve better and "
	              "counts in the satisfaction index of Decision 766/QD-TTg. Each dossier is "
	              "rated once."));
	if (errors)
		errors_box(c, b, errors);
	html_fmt(b, "<form class=\"stack\" method=\"post\" action=\"/ho-so/%U/danh-gia\">", code);
	pt_csrf_input(c, b);
	const char *sc = posted(c, "score");
	html_fmt(b, "<fieldset><legend>%s <span class=\"meta\">(%s)</span></legend>",
	         PT_T(c, "Mức độ hài lòng của bạn", "How satisfied are you"),
	         PT_T(c, "bắt buộc", "required"));
	for (int s = SATISFACTION_SCORE_MAX; s >= SATISFACTION_SCORE_MIN; s--) {
		char v[4];
		snprintf(v, sizeof v, "%d", s);
		html_fmt(
		    b,
		    "<div class=\"check\"><input type=\"radio\" id=\"score-%d\" name=\"score\" "
		    "value=\"%d\" required%R><label for=\"score-%d\">%s</label></div>",
		    s, s, sc && !strcmp(sc, v) ? " checked" : "", s, score_label(c, s));
	}
	mc_buf_puts(b, "</fieldset>");
	for (int i = 0; i < SATISFACTION_CRITERIA; i++) {
		const char *name = satisfaction_criteria[i];
		const char *pv = posted(c, name);
		html_fmt(b,
		         "<fieldset><legend>%s <span class=\"meta\">(%s)</span></legend>"
		         "<div class=\"check\"><input type=\"radio\" id=\"%s-yes\" name=\"%s\" "
		         "value=\"yes\"%R><label for=\"%s-yes\">%s</label></div>"
		         "<div class=\"check\"><input type=\"radio\" id=\"%s-no\" name=\"%s\" "
		         "value=\"no\"%R><label for=\"%s-no\">%s</label></div></fieldset>",
		         criterion_label(c, i), PT_T(c, "không bắt buộc", "optional"), name, name,
		         pv && !strcmp(pv, "yes") ? " checked" : "", name, PT_T(c, "Có", "Yes"),
		         name, name, pv && !strcmp(pv, "no") ? " checked" : "", name,
		         PT_T(c, "Không", "No"));
	}
	const char *cm = posted(c, "comment");
	html_fmt(b,
	         "<label for=\"rate-comment\">%s <span class=\"meta\">(%s)</span></label>"
	         "<textarea id=\"rate-comment\" name=\"comment\" maxlength=\"%d\">%s</textarea>"
	         "<p><button type=\"submit\">%s</button></p></form>",
	         PT_T(c, "Góp ý thêm", "Comments"),
	         PT_T(c, "không bắt buộc, tối đa 2000 ký tự", "optional, at most 2000 characters"),
	         SATISFACTION_COMMENT_MAX, cm ? cm : "",
	         PT_T(c, "Gửi đánh giá", "Send the rating"));
}

static void rating_shown(pt_ctx *c, mc_buf *b, json_t *r)
{
	int score = (int)json_integer_value(json_object_get(r, "score"));
	html_fmt(b, "<dl class=\"facts\"><dt>%s</dt><dd><strong>%s</strong> (%d/5)</dd>",
	         PT_T(c, "Mức độ hài lòng", "Satisfaction"), score_label(c, score), score);
	json_t *cr = json_object_get(r, "criteria");
	for (int i = 0; i < SATISFACTION_CRITERIA; i++) {
		json_t *v = json_object_get(cr, satisfaction_criteria[i]);
		if (json_is_boolean(v))
			html_fmt(b, "<dt>%s</dt><dd>%s</dd>", criterion_label(c, i),
			         json_is_true(v) ? PT_T(c, "Có", "Yes") : PT_T(c, "Không", "No"));
	}
	const char *cm = json_string_value(json_object_get(r, "comment"));
	if (cm)
		html_fmt(b, "<dt>%s</dt><dd>%s</dd>", PT_T(c, "Góp ý", "Comments"), cm);
	html_fmt(b, "<dt>%s</dt><dd>%s</dd></dl>", PT_T(c, "Ngày đánh giá", "Rated on"),
	         pt_datetime(c, json_string_value(json_object_get(r, "rated_at"))));
}

/* The rating section of dossier `dsr` (dossier_get JSON); errors: a 422
 * list to show above the form (NULL: none). */
static void rating_section(pt_ctx *c, mc_buf *b, json_t *dsr, json_t *errors)
{
	int status = (int)json_integer_value(json_object_get(dsr, "status_code"));
	if (!satisfaction_dossier_ended(status))
		return;
	const char *code = json_string_value(json_object_get(dsr, "code"));
	json_t *r = NULL;
	mc_diag d = {0};
	mc_err e = satisfaction_get(c->req->app, &c->who, code, &r, &d);
	mc_diag_clear(&d);
	if (e && e != MC_ERR_NOT_FOUND)
		return; /* officers of another agency: no rating shown */
	bool citizen = c->who.role == ROLE_CITIZEN;
	html_fmt(b, "<section class=\"%R\" id=\"danh-gia\" aria-labelledby=\"h-rate\">",
	         r ? "success" : "box");
	html_fmt(b, "<h2 id=\"h-rate\">%s</h2>",
	         r && citizen ? PT_T(c, "Đánh giá của bạn", "Your rating")
	         : citizen    ? PT_T(c, "Đánh giá mức độ hài lòng", "Rate the service")
	                   : PT_T(c, "Đánh giá của người dân", "The applicant's rating"));
	if (r) {
		if (citizen && http_query(c->req, "rated"))
			html_fmt(b, "<p role=\"status\">%s</p>",
			         PT_T(c, "Cảm ơn bạn đã đánh giá.", "Thank you for your rating."));
		rating_shown(c, b, r);
	} else if (citizen) {
		rating_form(c, b, code, errors);
	} else {
		html_fmt(b, "<p>%s</p>",
		         PT_T(c, "Người nộp chưa đánh giá hồ sơ này.",
		              "The applicant has not rated this dossier."));
	}
	mc_buf_puts(b, "</section>");
	json_decref(r);
}

/* ---- feedback (PAKN) ---- */

static void feedback_section(pt_ctx *c, mc_buf *b, json_t *dsr)
{
	const char *code = json_string_value(json_object_get(dsr, "code"));
	json_t *items = NULL;
	mc_diag d = {0};
	mc_err e = satisfaction_feedback_list(c->req->app, &c->who, code, &items, &d);
	mc_diag_clear(&d);
	if (e)
		return; /* officers of another agency: not shown */
	bool citizen = c->who.role == ROLE_CITIZEN;
	html_fmt(b,
	         "<section class=\"box\" id=\"phan-anh\" aria-labelledby=\"h-fb\"><h2 "
	         "id=\"h-fb\">%s</h2>",
	         PT_T(c, "Phản ánh, kiến nghị", "Feedback"));
	const char *flash = http_query(c->req, "feedback");
	if (flash && (!strcmp(flash, "sent") || !strcmp(flash, "answered")))
		html_fmt(b, "<p class=\"success\" role=\"status\">%s</p>",
		         !strcmp(flash, "sent")
		             ? PT_T(c, "Đã gửi phản ánh, kiến nghị.", "Feedback sent.")
		             : PT_T(c, "Đã gửi câu trả lời.", "Answer sent."));
	if (!json_array_size(items))
		html_fmt(b, "<p>%s</p>",
		         PT_T(c, "Chưa có phản ánh, kiến nghị nào về hồ sơ này.",
		              "No feedback about this dossier yet."));
	else
		mc_buf_puts(b, "<ol class=\"list\">");
	size_t i;
	json_t *f;
	json_array_foreach(items, i, f)
	{
		const char *id = json_string_value(json_object_get(f, "id"));
		html_fmt(b,
		         "<li><p><strong>%s</strong> <span class=\"meta\">%s</span></p><p>%s</p>",
		         citizen ? PT_T(c, "Bạn viết", "You wrote")
		                 : PT_T(c, "Người nộp viết", "The applicant wrote"),
		         pt_datetime(c, json_string_value(json_object_get(f, "created_at"))),
		         json_string_value(json_object_get(f, "content")));
		const char *ans = json_string_value(json_object_get(f, "answer"));
		if (ans)
			html_fmt(
			    b,
			    "<div class=\"success\"><p><strong>%s</strong> <span "
			    "class=\"meta\">%s · %s</span></p><p>%s</p></div>",
			    PT_T(c, "Trả lời của cơ quan", "The agency's answer"),
			    json_string_value(json_object_get(f, "answered_by")),
			    pt_datetime(c, json_string_value(json_object_get(f, "answered_at"))),
			    ans);
		else if (!citizen) {
			html_fmt(b,
			         "<form class=\"stack\" method=\"post\" "
			         "action=\"/ho-so/%U/phan-anh/%U/tra-loi\">",
			         code, id);
			pt_csrf_input(c, b);
			html_fmt(
			    b,
			    "<label for=\"fb-ans-%s\">%s <span class=\"meta\">(%s)</span></label>"
			    "<textarea id=\"fb-ans-%s\" name=\"answer\" maxlength=\"%d\" "
			    "required></textarea><p><button type=\"submit\">%s</button></p></form>",
			    id, PT_T(c, "Trả lời", "Answer"),
			    PT_T(c, "tối đa 4000 ký tự, trả lời một lần",
			         "at most 4000 characters, answered once"),
			    id, SATISFACTION_TEXT_MAX, PT_T(c, "Gửi trả lời", "Send the answer"));
		} else
			html_fmt(b, "<p class=\"meta\">%s</p>",
			         PT_T(c, "Cơ quan chưa trả lời.", "Not answered yet."));
		mc_buf_puts(b, "</li>");
	}
	if (json_array_size(items))
		mc_buf_puts(b, "</ol>");
	if (citizen && json_array_size(items) < SATISFACTION_FEEDBACK_PER_DOSSIER) {
		html_fmt(b,
		         "<details class=\"act\"><summary>%s</summary><form class=\"stack\" "
		         "method=\"post\" action=\"/ho-so/%U/phan-anh\">",
		         PT_T(c, "Gửi phản ánh, kiến nghị", "Send feedback"), code);
		pt_csrf_input(c, b);
		html_fmt(b,
		         "<label for=\"fb-content\">%s <span class=\"meta\">(%s)</span></label>"
		         "<textarea id=\"fb-content\" name=\"content\" maxlength=\"%d\" "
		         "required></textarea><p><button "
		         "type=\"submit\">%s</button></p></form></details>",
		         PT_T(c, "Nội dung phản ánh, kiến nghị", "Your feedback"),
		         PT_T(c, "tối đa 4000 ký tự", "at most 4000 characters"),
		         SATISFACTION_TEXT_MAX, PT_T(c, "Gửi", "Send"));
	}
	mc_buf_puts(b, "</section>");
	json_decref(items);
}

/* Redirects to the dossier page after a feedback form, or answers the
 * error as a page. */
static void feedback_done(pt_ctx *c, mc_err e, mc_diag *d, const char *code, const char *what)
{
	if (e == MC_OK) {
		mc_buf u = {0};
		mc_buf_puts(&u, "/ho-so/");
		html_url(&u, code);
		mc_buf_puts(&u, "?feedback=");
		mc_buf_puts(&u, what);
		mc_buf_puts(&u, "#phan-anh");
		pt_redirect(c, mc_buf_cstr(&u));
		mc_buf_free(&u);
		return;
	}
	json_t *first = json_array_get(json_object_get(d->ext, "errors"), 0);
	const char *why =
	    json_string_value(json_object_get(first, c->en ? "message" : "message_vi"));
	if (!why)
		why = c->en ? d->detail : (d->detail_vi[0] ? d->detail_vi : d->detail);
	int status = e == MC_ERR_INVALID ? 422 : http_status_of(e);
	pt_message(c, status, PT_T(c, "Chưa gửi được", "Not sent"),
	           e == MC_ERR_NOT_FOUND ? PT_T(c, "Không có hồ sơ hoặc phản ánh này.",
	                                        "There is no such dossier or feedback.")
	                                 : why);
}

void pt_h_feedback_post(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN) || !pt_post(&c))
		return;
	const char *content = pt_field(&c, "content");
	json_t *body = json_pack("{s:s}", "content", content ? content : "");
	json_t *out = NULL;
	mc_diag d = {0};
	mc_err e = satisfaction_feedback_send(req->app, &c.who, req->params[0], body, &out, &d);
	json_decref(body);
	json_decref(out);
	feedback_done(&c, e, &d, req->params[0], "sent");
	mc_diag_clear(&d);
}

void pt_h_feedback_answer_post(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN) || !pt_post(&c))
		return;
	const char *answer = pt_field(&c, "answer");
	json_t *body = json_pack("{s:s}", "answer", answer ? answer : "");
	json_t *out = NULL;
	mc_diag d = {0};
	mc_err e = satisfaction_feedback_answer(req->app, &c.who, req->params[1], body, &out, &d);
	/* back to the page of the feedback's own dossier */
	const char *code = json_string_value(json_object_get(out, "dossier_code"));
	feedback_done(&c, e, &d, code ? code : req->params[0], "answered");
	json_decref(body);
	json_decref(out);
	mc_diag_clear(&d);
}

void pt_rating_box(pt_ctx *c, mc_buf *b, json_t *dossier)
{
	rating_section(c, b, dossier, NULL);
	feedback_section(c, b, dossier);
}

/* The rating page of dossier `code`: the box on its own page. */
static void rating_page(pt_ctx *c, int status, const char *code, json_t *errors, const char *notice)
{
	json_t *dsr = NULL;
	mc_diag d = {0};
	mc_err e = dossier_get(c->req->app, &c->who, code, &dsr, &d);
	mc_diag_clear(&d);
	if (e) {
		pt_message(c,
		           e == MC_ERR_FORBIDDEN   ? 403
		           : e == MC_ERR_NOT_FOUND ? 404
		                                   : 500,
		           PT_T(c, "Không xem được hồ sơ", "Dossier not available"),
		           PT_T(c, "Không có hồ sơ này hoặc bạn không được xem.",
		                "There is no such dossier, or you may not see it."));
		return;
	}
	mc_buf b = {0};
	const char *title = mc_arena_printf(c->req->arena, "%s %s",
	                                    PT_T(c, "Đánh giá hồ sơ", "Rate dossier"), code);
	pt_head(c, &b, title);
	html_fmt(&b, "<p class=\"meta\"><a href=\"/ho-so/%U\">%s %s</a></p><h1>%s</h1>", code,
	         PT_T(c, "Hồ sơ", "Dossier"), code, title);
	if (notice)
		html_fmt(&b, "<div class=\"error\" role=\"alert\"><p>%s</p></div>", notice);
	if (!satisfaction_dossier_ended(
	        (int)json_integer_value(json_object_get(dsr, "status_code"))))
		html_fmt(&b, "<p>%s</p>",
		         PT_T(c, "Hồ sơ chưa kết thúc nên chưa đánh giá được.",
		              "The dossier has not ended yet, so it cannot be rated."));
	rating_section(c, &b, dsr, errors);
	json_decref(dsr);
	pt_foot(c, &b);
	pt_reply(c, status, &b);
}

void pt_h_rating(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN))
		return;
	rating_page(&c, 200, req->params[0], NULL, NULL);
}

/* The request body of the posted form: score as an integer when it is one
 * digit (anything else is passed as text, so the service explains it). */
static json_t *form_body(pt_ctx *c)
{
	json_t *body = json_object();
	const char *sc = pt_field(c, "score");
	if (sc && sc[0] >= '0' && sc[0] <= '9' && !sc[1])
		json_object_set_new(body, "score", json_integer(sc[0] - '0'));
	else if (sc && *sc)
		json_object_set_new(body, "score", json_string(sc));
	json_t *cr = json_object();
	for (int i = 0; i < SATISFACTION_CRITERIA; i++) {
		const char *v = pt_field(c, satisfaction_criteria[i]);
		if (v && !strcmp(v, "yes"))
			json_object_set_new(cr, satisfaction_criteria[i], json_true());
		else if (v && !strcmp(v, "no"))
			json_object_set_new(cr, satisfaction_criteria[i], json_false());
	}
	json_object_set_new(body, "criteria", cr);
	const char *cm = pt_field(c, "comment");
	if (cm && *cm)
		json_object_set_new(body, "comment", json_string(cm));
	return body;
}

void pt_h_rating_post(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN) || !pt_post(&c))
		return;
	const char *code = req->params[0];
	json_t *body = form_body(&c), *out = NULL;
	mc_diag d = {0};
	mc_err e = satisfaction_rate(req->app, &c.who, code, body, &out, &d);
	json_decref(body);
	json_decref(out);
	if (e == MC_OK) {
		mc_buf u = {0};
		mc_buf_puts(&u, "/ho-so/");
		html_url(&u, code);
		mc_buf_puts(&u, "?rated=1#danh-gia");
		pt_redirect(&c, mc_buf_cstr(&u));
		mc_buf_free(&u);
	} else if (e == MC_ERR_INVALID || e == MC_ERR_UNPROCESSABLE) {
		json_t *errs = json_object_get(d.ext, "errors");
		rating_page(&c, 422, code, json_is_array(errs) ? errs : NULL, NULL);
	} else if (e == MC_ERR_CONFLICT) {
		rating_page(&c, 409, code, NULL, c.en ? d.detail : d.detail_vi);
	} else if (e == MC_ERR_FORBIDDEN) {
		pt_message(&c, 403, PT_T(&c, "Không được phép", "Not allowed"),
		           PT_T(&c, "Chỉ người nộp hồ sơ đánh giá được.",
		                "Only the applicant of a dossier rates it."));
	} else {
		rating_page(&c, http_status_of(e), code, NULL, NULL);
	}
	mc_diag_clear(&d);
}

/* ---- the officers' page /danh-gia ---- */

#define OFFICE_ROWS 20     /* ratings and feedback listed on the page */
#define OFFICE_EXCERPT 200 /* characters of a comment shown in the table */

/* The first `max` characters of UTF-8 text `s` (arena), with "…" when cut. */
static const char *excerpt(pt_ctx *c, const char *s, size_t max)
{
	size_t i = 0, n = 0;
	while (s[i] && n < max) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n++;
	}
	if (!s[i])
		return s;
	return mc_arena_printf(c->req->arena, "%.*s…", (int)i, s);
}

void pt_h_rating_office(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_OFFICER))
		return;
	const char *agency = c.who.role == ROLE_OFFICER ? c.who.agency : NULL;
	char from[16], to[16], fts[32], tts[32];
	mc_day today = date_local_of(ts_now());
	date_format(today - 364, from);
	date_format(today + 1, to);
	snprintf(fts, sizeof fts, "%sT00:00:00Z", from);
	snprintf(tts, sizeof tts, "%sT00:00:00Z", to);
	json_t *sum = NULL, *ratings = NULL, *fb = NULL;
	bool more_r = false, more_f = false;
	mc_diag d = {0};
	mc_err e = satisfaction_summary(req->app->db, agency, fts, tts, &sum, &d);
	if (!e)
		e = satisfaction_ratings_list(req->app->db, agency, -1, OFFICE_ROWS, NULL, NULL,
		                              &ratings, &more_r, &d);
	if (!e)
		e = satisfaction_feedback_queue(req->app->db, agency, true, OFFICE_ROWS, NULL, NULL,
		                                &fb, &more_f, &d);
	mc_diag_clear(&d);
	if (e) {
		pt_message(&c, 500, PT_T(&c, "Lỗi hệ thống", "System error"),
		           PT_T(&c, "Hãy thử lại sau.", "Try again later."));
		goto out;
	}
	mc_buf b = {0};
	const char *title = PT_T(&c, "Đánh giá và phản ánh của người dân", "Ratings and feedback");
	pt_head(&c, &b, title);
	json_int_t rated = json_integer_value(json_object_get(sum, "rated"));
	json_int_t sat = json_integer_value(json_object_get(sum, "satisfied"));
	char *pct = mc_arena_printf(req->arena, "%.1f", satisfaction_share(sat, rated) * 100.0);
	char *dot = c.en ? NULL : strchr(pct, '.');
	if (dot)
		*dot = ','; /* Vietnamese decimal comma */
	html_fmt(&b, "<h1>%s</h1><p>%s <strong>%s</strong>. %s</p>", title,
	         agency ? PT_T(&c, "Cơ quan", "Agency") : PT_T(&c, "Mọi cơ quan", "All agencies"),
	         agency ? agency : "",
	         rated ? mc_arena_printf(
	                     req->arena,
	                     c.en ? "In the last 365 days: %lld ratings, %lld satisfied (%s%%)."
	                          : "Trong 365 ngày qua: %lld đánh giá, %lld hài lòng (%s %%).",
	                     (long long)rated, (long long)sat, pct)
	               : PT_T(&c, "Chưa có đánh giá nào trong 365 ngày qua.",
	                      "No ratings in the last 365 days."));
	html_fmt(&b, "<h2>%s</h2>",
	         PT_T(&c, "Phản ánh, kiến nghị chờ trả lời", "Feedback to answer"));
	if (!json_array_size(fb)) {
		html_fmt(&b, "<p>%s</p>", PT_T(&c, "Không có.", "None."));
	} else {
		html_fmt(
		    &b,
		    "<div class=\"scroll\" tabindex=\"0\"><table "
		    "class=\"wide\"><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>",
		    PT_T(&c, "Cũ nhất trước", "Oldest first"), PT_T(&c, "Hồ sơ", "Dossier"),
		    PT_T(&c, "Nội dung", "Feedback"), PT_T(&c, "Ngày gửi", "Sent"));
		size_t i;
		json_t *f;
		json_array_foreach(fb, i, f)
		{
			const char *code = json_string_value(json_object_get(f, "dossier_code"));
			html_fmt(
			    &b,
			    "<tr><td><a "
			    "href=\"/ho-so/%U#phan-anh\">%s</a></td><td>%s</td><td>%s</td></tr>",
			    code, code,
			    excerpt(&c, json_string_value(json_object_get(f, "content")),
			            OFFICE_EXCERPT),
			    pt_datetime(&c, json_string_value(json_object_get(f, "created_at"))));
		}
		mc_buf_puts(&b, "</tbody></table></div>");
		if (more_f)
			html_fmt(&b, "<p class=\"meta\">%s</p>",
			         PT_T(&c, "Còn nữa: xem GET /api/v1/feedback.",
			              "More: see GET /api/v1/feedback."));
	}
	html_fmt(&b, "<h2>%s</h2>", PT_T(&c, "Đánh giá gần đây", "Latest ratings"));
	if (!json_array_size(ratings)) {
		html_fmt(&b, "<p>%s</p>", PT_T(&c, "Không có.", "None."));
	} else {
		html_fmt(
		    &b,
		    "<div class=\"scroll\" tabindex=\"0\"><table "
		    "class=\"wide\"><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>",
		    PT_T(&c, "Mới nhất trước", "Newest first"), PT_T(&c, "Hồ sơ", "Dossier"),
		    PT_T(&c, "Mức độ", "Score"), PT_T(&c, "Góp ý", "Comments"),
		    PT_T(&c, "Ngày đánh giá", "Rated on"));
		size_t i;
		json_t *r;
		json_array_foreach(ratings, i, r)
		{
			const char *code = json_string_value(json_object_get(r, "dossier_code"));
			int score = (int)json_integer_value(json_object_get(r, "score"));
			const char *cm = json_string_value(json_object_get(r, "comment"));
			html_fmt(
			    &b,
			    "<tr%R><td><a href=\"/ho-so/%U#danh-gia\">%s</a></td><td>%s (%d/5)</td>"
			    "<td>%s</td><td>%s</td></tr>",
			    satisfaction_is_satisfied(score) ? "" : " class=\"late\"", code, code,
			    score_label(&c, score), score,
			    cm ? excerpt(&c, cm, OFFICE_EXCERPT) : "—",
			    pt_datetime(&c, json_string_value(json_object_get(r, "rated_at"))));
		}
		mc_buf_puts(&b, "</tbody></table></div>");
		if (more_r)
			html_fmt(&b, "<p class=\"meta\">%s</p>",
			         PT_T(&c, "Còn nữa: xem GET /api/v1/satisfaction/ratings.",
			              "More: see GET /api/v1/satisfaction/ratings."));
	}
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
out:
	json_decref(sum);
	json_decref(ratings);
	json_decref(fb);
}

/* ---- the scoreboard row ---- */

void pt_satisfaction_figure(pt_ctx *c, mc_buf *b, const char *from_ts, const char *to_ts,
                            const char *period)
{
	json_t *f = NULL;
	mc_diag d = {0};
	if (satisfaction_figure(c->req->app->db, from_ts, to_ts, &f, &d) != MC_OK)
		f = NULL;
	mc_diag_clear(&d);
	json_int_t sat = json_integer_value(json_object_get(f, "satisfied"));
	json_int_t rated = json_integer_value(json_object_get(f, "rated"));
	const char *value;
	if (!f)
		value = PT_T(c, "không đọc được", "unavailable");
	else if (!rated)
		value = PT_T(c, "chưa có dữ liệu", "no data yet");
	else {
		char *s = mc_arena_printf(c->req->arena, c->en ? "%.1f%%" : "%.1f %%",
		                          (double)sat * 100.0 / (double)rated);
		char *dot = c->en ? NULL : strchr(s, '.');
		if (dot)
			*dot = ',';
		value = s;
	}
	html_fmt(b,
	         "<tr><th scope=\"row\">%s</th><td><strong>%s</strong><br><span "
	         "class=\"meta\">%s</span></td><td>%s</td><td>%s</td><td>%s</td></tr>",
	         PT_T(c, "Người dân, doanh nghiệp hài lòng", "People and businesses satisfied"),
	         value,
	         f ? mc_arena_printf(c->req->arena, "%lld / %lld", (long long)sat, (long long)rated)
	           : "",
	         PT_T(c,
	              "Đánh giá “hài lòng” hoặc “rất hài lòng” (4 hoặc 5 trên thang 5) chia cho "
	              "mọi đánh giá người nộp gửi sau khi hồ sơ kết thúc, trong kỳ.",
	              "Ratings \"satisfied\" or \"very satisfied\" (4 or 5 on a scale of 5) "
	              "divided by all ratings applicants gave after their dossier ended, in the "
	              "period."),
	         period, PT_T(c, "95 % năm 2027, 99 % năm 2030", "95% by 2027, 99% by 2030"));
	json_decref(f);
}
