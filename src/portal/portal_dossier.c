/* portal_dossier.c - dossiers in the portal: the citizen's list ("my
 * dossiers") and the officer's queue (by status and due date, late and
 * at-risk highlighted), the dossier page (components, form, supplement
 * request, result, status timeline) with one form per lifecycle action
 * the caller may take, and the download of attached files. */
#include "calendar/calendar.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "core/text.h"
#include "document/document.h"
#include "dossier/dossier.h"
#include "portal/portal_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PAGE 25
#define AT_RISK_DAYS 2 /* open dossiers due within this many days are "at risk" */

/* ---- form values with eForm titles ---- */

const char *pt_schema_title(pt_ctx *c, json_t *schema, const char *name)
{
	const char *t = json_string_value(json_object_get(schema, c->en ? "x-title-en" : "title"));
	if (!t)
		t = json_string_value(json_object_get(schema, "title"));
	return t ? t : name;
}

void pt_form_values(pt_ctx *c, mc_buf *b, json_t *value, json_t *schema)
{
	if (json_is_object(value)) {
		json_t *props = json_object_get(schema, "properties");
		mc_buf_puts(b, "<dl class=\"facts\">");
		const char *k;
		json_t *v;
		json_object_foreach(value, k, v)
		{
			json_t *ps = json_object_get(props, k);
			html_fmt(b, "<dt>%s</dt><dd>", pt_schema_title(c, ps, k));
			pt_form_values(c, b, v, ps);
			mc_buf_puts(b, "</dd>");
		}
		mc_buf_puts(b, "</dl>");
	} else if (json_is_array(value)) {
		mc_buf_puts(b, "<ul>");
		size_t i;
		json_t *v;
		json_array_foreach(value, i, v)
		{
			mc_buf_puts(b, "<li>");
			pt_form_values(c, b, v, json_object_get(schema, "items"));
			mc_buf_puts(b, "</li>");
		}
		mc_buf_puts(b, "</ul>");
	} else if (json_is_string(value)) {
		html_text(b, json_string_value(value));
	} else if (json_is_true(value)) {
		html_text(b, PT_T(c, "Có", "Yes"));
	} else if (json_is_false(value)) {
		html_text(b, PT_T(c, "Không", "No"));
	} else if (json_is_number(value)) {
		mc_buf_printf(b, "%g", json_number_value(value));
	}
}

/* ---- list / queue ---- */

static int status_param(const char *s)
{
	if (!s)
		return 0;
	int n = atoi(s);
	return n >= 1 && n <= 10 ? n : 0;
}

void pt_h_dossiers(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN))
		return;
	bool staff = c.who.role >= ROLE_OFFICER;
	const char *late_s = http_query(req, "late");
	dossier_query q = {.status = status_param(http_query(req, "status")),
	                   .late = late_s && !strcmp(late_s, "1") ? 1 : -1,
	                   .limit = LIST_PAGE,
	                   .after_due = http_query(req, "after_d"),
	                   .after_code = http_query(req, "after_c")};
	if ((q.after_due && strlen(q.after_due) > 16) ||
	    (q.after_code && strlen(q.after_code) > DOSSIER_CODE_MAX) || !q.after_code)
		q.after_due = q.after_code = NULL;
	json_t *items = NULL, *next = NULL;
	mc_diag d = {0};
	mc_err e = dossier_list(req->app, &c.who, &q, &items, &next, &d);
	mc_diag_clear(&d);
	const char *title = staff ? PT_T(&c, "Hồ sơ cần xử lý", "Dossier queue")
	                          : PT_T(&c, "Hồ sơ của tôi", "My dossiers");
	mc_buf b = {0};
	pt_head(&c, &b, title);
	html_fmt(&b, "<h1>%s</h1>", title);
	if (staff && c.who.agency[0])
		html_fmt(&b, "<p class=\"meta\">%s: %s</p>", PT_T(&c, "Cơ quan", "Agency"),
		         c.who.agency);
	/* filters as plain links */
	static const struct {
		const char *q, *vi, *en;
	} filters[] = {
	    {"", "Tất cả", "All"},
	    {"status=1", "Mới đăng ký", "Submitted"},
	    {"status=2", "Đã tiếp nhận", "Received"},
	    {"status=4", "Đang xử lý", "Processing"},
	    {"status=5", "Chờ bổ sung", "Awaiting supplement"},
	    {"status=9", "Đã xử lý xong", "Processed"},
	    {"late=1", "Quá hạn", "Late"},
	};
	html_fmt(&b, "<nav aria-label=\"%s\"><p class=\"meta\">",
	         PT_T(&c, "Lọc hồ sơ", "Filter dossiers"));
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
		html_fmt(&b, "%R<a href=\"/ho-so%R%R\">%s</a>", i ? " · " : "",
		         filters[i].q[0] ? "?" : "", filters[i].q,
		         PT_T(&c, filters[i].vi, filters[i].en));
	if (!staff)
		html_fmt(&b, " · <a href=\"/thu-tuc\">%s</a>",
		         PT_T(&c, "Nộp hồ sơ mới", "Apply for a new procedure"));
	mc_buf_puts(&b, "</p></nav>");
	if (e != MC_OK) {
		html_fmt(
		    &b, "<p class=\"error\">%s</p>",
		    PT_T(&c, "Không đọc được danh sách hồ sơ.", "The dossiers could not be read."));
	} else if (!json_array_size(items)) {
		html_fmt(&b, "<p>%s</p>", PT_T(&c, "Không có hồ sơ nào.", "No dossiers."));
	} else {
		char today[16];
		mc_day t = date_local_of(ts_now());
		date_format(t, today);
		html_fmt(
		    &b,
		    "<div class=\"scroll\" tabindex=\"0\"><table><thead><tr><th "
		    "scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "%R</tr></thead><tbody>",
		    PT_T(&c, "Mã hồ sơ", "Dossier code"), PT_T(&c, "Thủ tục", "Procedure"),
		    PT_T(&c, "Trạng thái", "Status"), PT_T(&c, "Hạn trả kết quả", "Due date"),
		    staff ? mc_arena_printf(req->arena, "<th scope=\"col\">%s</th>",
		                            PT_T(&c, "Người nộp", "Applicant"))
		          : "");
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *code = json_string_value(json_object_get(it, "code"));
			const char *due = json_string_value(json_object_get(it, "due_date"));
			int sc = (int)json_integer_value(json_object_get(it, "status_code"));
			bool late = json_is_true(json_object_get(it, "late"));
			bool open = sc == 1 || sc == 2 || sc == 4 || sc == 6;
			mc_day dd;
			bool risk =
			    !late && open && due && date_parse(due, &dd) && dd - t <= AT_RISK_DAYS;
			html_fmt(
			    &b,
			    "<tr class=\"%R\"><td><a href=\"/ho-so/%U\">%s</a></td><td>%s</td><td>",
			    late   ? "late"
			    : risk ? "risk"
			           : "",
			    code, code, json_string_value(json_object_get(it, "procedure_name")));
			pt_status_badge(&c, &b, it);
			html_fmt(&b, "</td><td>%s", due ? pt_date(&c, due) : "—");
			if (late)
				html_fmt(&b, " <span class=\"late\">%s</span>",
				         PT_T(&c, "Quá hạn", "Late"));
			else if (risk)
				html_fmt(&b, " <span class=\"risk\">%s</span>",
				         PT_T(&c, "Sắp đến hạn", "Due soon"));
			mc_buf_puts(&b, "</td>");
			if (staff)
				html_fmt(&b, "<td>%s</td>",
				         json_string_value(json_object_get(
				             json_object_get(it, "applicant"), "user")));
			mc_buf_puts(&b, "</tr>");
		}
		mc_buf_puts(&b, "</tbody></table></div>");
		if (next) {
			html_fmt(&b, "<p><a href=\"/ho-so?after_d=%U&amp;after_c=%U",
			         json_string_value(json_object_get(next, "d")),
			         json_string_value(json_object_get(next, "c")));
			if (q.status)
				html_fmt(&b, "&amp;status=%d", q.status);
			if (q.late == 1)
				mc_buf_puts(&b, "&amp;late=1");
			html_fmt(&b, "\">%s</a></p>", PT_T(&c, "Trang sau", "Next page"));
		}
	}
	json_decref(items);
	json_decref(next);
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
}

/* ---- one dossier ---- */

static void field(pt_ctx *c, mc_buf *b, const char *id, const char *name, const char *label,
                  const char *type, bool required)
{
	html_fmt(b, "<label for=\"%s\">%s%R</label>", id, label,
	         required ? mc_arena_printf(c->req->arena, " <span class=\"meta\">(%s)</span>",
	                                    PT_T(c, "bắt buộc", "required"))
	                  : "");
	if (!strcmp(type, "textarea"))
		html_fmt(b, "<textarea id=\"%s\" name=\"%s\" maxlength=\"2000\"%R></textarea>", id,
		         name, required ? " required" : "");
	else
		html_fmt(b, "<input type=\"%s\" id=\"%s\" name=\"%s\"%R>", type, id, name,
		         required ? " required" : "");
}

static void action_form_open(pt_ctx *c, mc_buf *b, const char *code, const char *action,
                             bool multipart)
{
	html_fmt(b,
	         "<details class=\"act\"><summary>%s</summary>"
	         "<form class=\"stack\" method=\"post\" action=\"/ho-so/%U\"%R>"
	         "<input type=\"hidden\" name=\"action\" value=\"%s\">",
	         pt_action_name(c, action), code,
	         multipart ? " enctype=\"multipart/form-data\"" : "", action);
	pt_csrf_input(c, b);
}

static void action_form_close(pt_ctx *c, mc_buf *b, const char *action)
{
	html_fmt(b, "<p><button type=\"submit\">%s</button></p></form></details>",
	         pt_action_name(c, action));
}

/* The forms of the actions `who` may take now. */
static void action_forms(pt_ctx *c, mc_buf *b, json_t *dsr, json_t *proc)
{
	json_t *allowed = json_object_get(dsr, "allowed_actions");
	if (!json_array_size(allowed))
		return;
	const char *code = json_string_value(json_object_get(dsr, "code"));
	html_fmt(b, "<section aria-labelledby=\"h-act\"><h2 id=\"h-act\">%s</h2>",
	         PT_T(c, "Thao tác", "Actions"));
	size_t i;
	json_t *a;
	json_array_foreach(allowed, i, a)
	{
		const char *act = json_string_value(a);
		char id[64];
		if (!strcmp(act, "receive") || !strcmp(act, "process") ||
		    !strcmp(act, "return_result")) {
			html_fmt(b,
			         "<form class=\"inline\" method=\"post\" action=\"/ho-so/%U\">"
			         "<input type=\"hidden\" name=\"action\" value=\"%s\">",
			         code, act);
			pt_csrf_input(c, b);
			html_fmt(b, "<button type=\"submit\">%s</button></form>",
			         pt_action_name(c, act));
			continue;
		}
		if (!strcmp(act, "refuse") || !strcmp(act, "stop") || !strcmp(act, "withdraw")) {
			action_form_open(c, b, code, act, false);
			snprintf(id, sizeof id, "%s-reason", act);
			field(c, b, id, "reason", PT_T(c, "Lý do", "Reason"), "textarea",
			      strcmp(act, "withdraw") != 0);
			action_form_close(c, b, act);
		} else if (!strcmp(act, "request_supplement")) {
			action_form_open(c, b, code, act, false);
			html_fmt(b, "<fieldset><legend>%s</legend>",
			         PT_T(c, "Đánh dấu mọi giấy tờ còn thiếu (chỉ yêu cầu một lần)",
			              "Tick everything that is missing (asked only once)"));
			size_t k;
			json_t *cp;
			json_array_foreach(json_object_get(proc, "components"), k, cp)
			{
				const char *cid = json_string_value(json_object_get(cp, "id"));
				if (!cid || !catalog_component_is_document(cp))
					continue;
				html_fmt(
				    b,
				    "<div class=\"check\"><input type=\"checkbox\" id=\"rs-%s\" "
				    "name=\"item\" value=\"%s\"><label "
				    "for=\"rs-%s\">%s</label></div>"
				    "<label for=\"rs-note-%s\" class=\"sr\">%s</label>"
				    "<input type=\"text\" id=\"rs-note-%s\" name=\"note_%s\" "
				    "maxlength=\"2000\" placeholder=\"%s\">",
				    cid, cid, cid, json_string_value(json_object_get(cp, "name")),
				    cid,
				    PT_T(c, "Ghi chú cho giấy tờ này", "Note for this document"),
				    cid, cid,
				    PT_T(c, "Ghi chú (không bắt buộc)", "Note (optional)"));
			}
			mc_buf_puts(b, "</fieldset>");
			field(c, b, "rs-other", "other",
			      PT_T(c, "Nội dung khác cần bổ sung", "Anything else to supply"),
			      "text", false);
			field(c, b, "rs-note", "note", PT_T(c, "Ghi chú chung", "General note"),
			      "textarea", false);
			action_form_close(c, b, act);
		} else if (!strcmp(act, "supplement")) {
			action_form_open(c, b, code, act, true);
			json_t *sr = json_object_get(dsr, "supplement_request");
			size_t k;
			json_t *it;
			bool any = false;
			json_array_foreach(json_object_get(sr, "items"), k, it)
			{
				const char *cid =
				    json_string_value(json_object_get(it, "component"));
				if (!cid)
					continue;
				json_t *cp = catalog_component(proc, cid);
				html_fmt(
				    b,
				    "<label for=\"sup-%s\">%s</label>"
				    "<input type=\"file\" id=\"sup-%s\" name=\"file_%s\" "
				    "accept=\"application/pdf,image/png,image/jpeg,image/tiff\">",
				    cid, cp ? json_string_value(json_object_get(cp, "name")) : cid,
				    cid, cid);
				any = true;
			}
			if (!any)
				html_fmt(b, "<p>%s</p>",
				         PT_T(c, "Gửi nội dung bổ sung trong phần ghi chú.",
				              "Send what was asked for in the note."));
			field(c, b, "sup-note", "note", PT_T(c, "Ghi chú", "Note"), "textarea",
			      false);
			action_form_close(c, b, act);
		} else if (!strcmp(act, "transfer")) {
			action_form_open(c, b, code, act, false);
			field(c, b, "tr-agency", "agency",
			      PT_T(c, "Mã cơ quan nhận (ví dụ UBND-00008)",
			           "Code of the receiving agency (e.g. UBND-00008)"),
			      "text", true);
			field(c, b, "tr-reason", "reason", PT_T(c, "Lý do", "Reason"), "textarea",
			      true);
			action_form_close(c, b, act);
		} else if (!strcmp(act, "request_payment")) {
			action_form_open(c, b, code, act, false);
			field(c, b, "pay-amount", "amount",
			      PT_T(c, "Số tiền (đồng)", "Amount (VND)"), "number", true);
			field(c, b, "pay-reason", "reason", PT_T(c, "Lý do", "Reason"), "textarea",
			      true);
			action_form_close(c, b, act);
		} else if (!strcmp(act, "pay")) {
			action_form_open(c, b, code, act, false);
			field(c, b, "pay-ref", "reference",
			      PT_T(c, "Mã giao dịch thanh toán", "Payment reference"), "text",
			      false);
			action_form_close(c, b, act);
		} else if (!strcmp(act, "finish")) {
			action_form_open(c, b, code, act, false);
			field(
			    c, b, "fin-number", "result_number",
			    PT_T(c, "Số, ký hiệu văn bản kết quả", "Number of the result document"),
			    "text", true);
			field(c, b, "fin-content", "result_content",
			      PT_T(c, "Nội dung kết quả", "Content of the result"), "textarea",
			      false);
			action_form_close(c, b, act);
		} else if (!strcmp(act, "apologize")) {
			action_form_open(c, b, code, act, false);
			field(c, b, "ap-date", "new_due_date",
			      PT_T(c, "Ngày hẹn mới", "New due date"), "date", true);
			field(c, b, "ap-reason", "reason",
			      PT_T(c, "Lý do chậm", "Reason for the delay"), "textarea", true);
			action_form_close(c, b, act);
		}
	}
	mc_buf_puts(b, "</section>");
}

static void history(pt_ctx *c, mc_buf *b, const char *code)
{
	json_t *items = NULL;
	bool more = false;
	mc_diag d = {0};
	if (dossier_history(c->req->app, &c->who, code, 0, DOSSIER_HISTORY_PAGE, &items, &more,
	                    &d) != MC_OK) {
		mc_diag_clear(&d);
		return;
	}
	html_fmt(
	    b,
	    "<section aria-labelledby=\"h-hist\"><h2 id=\"h-hist\">%s</h2><ol class=\"timeline\">",
	    PT_T(c, "Quá trình xử lý", "Timeline"));
	size_t i;
	json_t *ev;
	json_array_foreach(items, i, ev)
	{
		json_t *det = json_object_get(ev, "details");
		html_fmt(b, "<li><strong>%s</strong> <span class=\"meta\">%s · %s</span>",
		         pt_action_name(c, json_string_value(json_object_get(ev, "action"))),
		         pt_datetime(c, json_string_value(json_object_get(ev, "at"))),
		         json_string_value(json_object_get(ev, "actor")));
		const char *note = json_string_value(json_object_get(ev, "note"));
		if (note)
			html_fmt(b, "<div>%s</div>", note);
		const char *reason = json_string_value(json_object_get(det, "reason"));
		if (reason)
			html_fmt(b, "<div>%s: %s</div>", PT_T(c, "Lý do", "Reason"), reason);
		const char *due = json_string_value(json_object_get(det, "due_date"));
		if (due)
			html_fmt(b, "<div>%s: %s</div>", PT_T(c, "Hạn trả kết quả", "Due date"),
			         pt_date(c, due));
		const char *to = json_string_value(json_object_get(det, "agency"));
		if (to && !strcmp(json_string_value(json_object_get(ev, "action")), "transfer"))
			html_fmt(b, "<div>%s: %s</div>", PT_T(c, "Chuyển đến", "Transferred to"),
			         to);
		mc_buf_puts(b, "</li>");
	}
	mc_buf_puts(b, "</ol></section>");
	json_decref(items);
}

typedef struct due_ctx {
	mc_day from;
	int n;
	mc_day out;
} due_ctx;

static mc_err add_days(store_conn *conn, void *ctx, mc_diag *d)
{
	(void)d;
	due_ctx *x = ctx;
	return calendar_add_working_days(conn, x->from, x->n, &x->out);
}

/* The due date the dossier would get if received today (YYYY-MM-DD in
 * buf), from the procedure's time limit for its channel; false when the
 * procedure has none. */
static bool expected_due(pt_ctx *c, json_t *proc, const char *channel, char buf[16])
{
	double amount = 0;
	catalog_unit u = catalog_time_limit(proc, channel, &amount);
	due_ctx x = {.from = date_local_of(ts_now())};
	if (u == LIMIT_NONE || amount < 0 || amount > 1000)
		return false;
	if (u == LIMIT_DAYS) {
		date_format(x.from + (mc_day)ceil(amount), buf);
		return true;
	}
	x.n = u == LIMIT_HOURS ? (int)ceil(amount / CALENDAR_WORKING_HOURS) : (int)ceil(amount);
	mc_diag d = {0};
	mc_err e = store_read(c->req->app->db, add_days, &x, &d);
	mc_diag_clear(&d);
	if (e != MC_OK)
		return false;
	date_format(x.out, buf);
	return true;
}

static void receipt(pt_ctx *c, mc_buf *b, json_t *dsr, json_t *proc)
{
	const char *code = json_string_value(json_object_get(dsr, "code"));
	const char *ch = json_string_value(json_object_get(dsr, "channel"));
	html_fmt(b,
	         "<section class=\"success receipt\" role=\"status\" aria-labelledby=\"h-rc\">"
	         "<h2 id=\"h-rc\">%s</h2><p>%s: <strong>%s</strong></p><p>%s: %s</p>",
	         PT_T(c, "Biên nhận: hồ sơ đã được nộp", "Receipt: your application was submitted"),
	         PT_T(c, "Mã hồ sơ", "Dossier code"), code,
	         PT_T(c, "Thời điểm nộp", "Submitted at"),
	         pt_datetime(c, json_string_value(json_object_get(dsr, "submitted_at"))));
	char due[16];
	const char *set = json_string_value(json_object_get(dsr, "due_date"));
	if (set)
		html_fmt(b, "<p>%s: <strong>%s</strong></p>",
		         PT_T(c, "Ngày hẹn trả kết quả", "Due date"), pt_date(c, set));
	else if (expected_due(c, proc, ch ? ch : "online", due))
		html_fmt(b, "<p>%s: <strong>%s</strong> (%s: %s)</p>",
		         PT_T(c, "Ngày hẹn trả kết quả dự kiến, nếu hồ sơ được tiếp nhận hôm nay",
		              "Expected due date if the dossier is received today"),
		         pt_date(c, due), PT_T(c, "thời hạn", "time limit"),
		         pt_limit_text(c, json_object_get(proc, "time_limit")));
	html_fmt(
	    b, "<p>%s</p></section>",
	    PT_T(c,
	         "Ngày hẹn chính thức được ghi khi cơ quan tiếp nhận hồ sơ; bạn theo dõi tại "
	         "trang này.",
	         "The official due date is set when the office receives the dossier; follow it "
	         "on this page."));
}

/* The dossier page; `flash` is a success line, `errors` a 422 error list
 * (both may be NULL). */
static void dossier_page(pt_ctx *c, int status, const char *code, const char *flash,
                         bool show_receipt, json_t *errors)
{
	json_t *dsr = NULL;
	mc_diag d = {0};
	mc_err e = dossier_get(c->req->app, &c->who, code, &dsr, &d);
	mc_diag_clear(&d);
	if (e == MC_ERR_NOT_FOUND || e == MC_ERR_FORBIDDEN) {
		pt_message(c, e == MC_ERR_FORBIDDEN ? 403 : 404,
		           PT_T(c, "Không xem được hồ sơ", "Dossier not available"),
		           PT_T(c, "Không có hồ sơ này hoặc bạn không được xem.",
		                "There is no such dossier, or you may not see it."));
		return;
	}
	if (e != MC_OK) {
		pt_message(c, 500, PT_T(c, "Lỗi hệ thống", "System error"),
		           PT_T(c, "Hãy thử lại sau.", "Try again later."));
		return;
	}
	json_t *proc = NULL;
	pt_procedure(c, json_string_value(json_object_get(dsr, "procedure")),
	             (int)json_integer_value(json_object_get(dsr, "procedure_version")), &proc);
	mc_buf b = {0};
	pt_head(c, &b, code);
	html_fmt(&b, "<p class=\"meta\"><a href=\"/ho-so\">%s</a> › %s</p><h1>%s %s</h1>",
	         c->who.role >= ROLE_OFFICER ? PT_T(c, "Hồ sơ cần xử lý", "Dossier queue")
	                                     : PT_T(c, "Hồ sơ của tôi", "My dossiers"),
	         code, PT_T(c, "Hồ sơ", "Dossier"), code);
	if (show_receipt)
		receipt(c, &b, dsr, proc);
	else if (flash)
		html_fmt(&b, "<p class=\"success\" role=\"status\">%s</p>", flash);
	if (errors) {
		html_fmt(&b, "<div class=\"error\" role=\"alert\"><p>%s</p><ul>",
		         PT_T(c, "Chưa thực hiện được:", "Not done:"));
		size_t i;
		json_t *er;
		json_array_foreach(errors, i, er) html_fmt(
		    &b, "<li>%s</li>",
		    json_string_value(json_object_get(er, c->en ? "message" : "message_vi"))
		        ? json_string_value(json_object_get(er, c->en ? "message" : "message_vi"))
		        : json_string_value(json_object_get(er, "message")));
		mc_buf_puts(&b, "</ul></div>");
	}
	html_fmt(
	    &b,
	    "<dl class=\"facts\"><dt>%s</dt><dd><a href=\"/thu-tuc/%U\">%s</a></dd><dt>%s</dt><dd>",
	    PT_T(c, "Thủ tục", "Procedure"), json_string_value(json_object_get(dsr, "procedure")),
	    json_string_value(json_object_get(dsr, "procedure_name")),
	    PT_T(c, "Trạng thái", "Status"));
	pt_status_badge(c, &b, dsr);
	const char *due = json_string_value(json_object_get(dsr, "due_date"));
	html_fmt(&b, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	         PT_T(c, "Cơ quan giải quyết", "Handling agency"),
	         json_string_value(json_object_get(dsr, "agency")),
	         PT_T(c, "Ngày nộp", "Submitted"),
	         pt_datetime(c, json_string_value(json_object_get(dsr, "submitted_at"))),
	         PT_T(c, "Hạn trả kết quả", "Due date"),
	         due ? pt_date(c, due)
	             : PT_T(c, "Có khi hồ sơ được tiếp nhận", "Set when the dossier is received"));
	if (json_is_true(json_object_get(dsr, "late")))
		html_fmt(&b, "<dt>%s</dt><dd class=\"late\">%s</dd>",
		         PT_T(c, "Tiến độ", "Progress"), PT_T(c, "Quá hạn", "Late"));
	json_t *apo = json_object_get(dsr, "apology");
	if (json_is_object(apo))
		html_fmt(&b, "<dt>%s</dt><dd>%s</dd>", PT_T(c, "Thư xin lỗi", "Apology"),
		         json_string_value(json_object_get(apo, "reason")));
	json_t *pay = json_object_get(dsr, "payment");
	if (json_is_object(pay) && json_is_integer(json_object_get(pay, "amount")))
		html_fmt(&b, "<dt>%s</dt><dd>%D đ — %s</dd>", PT_T(c, "Phí phải nộp", "Fee due"),
		         (int64_t)json_integer_value(json_object_get(pay, "amount")),
		         json_string_value(json_object_get(pay, "reason")));
	const char *offer =
	    json_string_value(json_object_get(json_object_get(dsr, "origin"), "offer"));
	if (offer) { /* started from a proactive offer (portal_offers.c) */
		const char *what = PT_T(c, "Nộp từ đề xuất chủ động (sự kiện trong cuộc sống)",
		                        "Submitted from a proactive offer (a life event)");
		if (c->who.role == ROLE_CITIZEN)
			html_fmt(&b, "<dt>%s</dt><dd><a href=\"/de-xuat/%U\">%s</a></dd>",
			         PT_T(c, "Nguồn", "Origin"), offer, what);
		else
			html_fmt(&b, "<dt>%s</dt><dd>%s</dd>", PT_T(c, "Nguồn", "Origin"), what);
	}
	mc_buf_puts(&b, "</dl>");

	json_t *sr = json_object_get(dsr, "supplement_request");
	if (json_is_object(sr)) {
		int sc = (int)json_integer_value(json_object_get(dsr, "status_code"));
		html_fmt(&b, "<div class=\"%R\"><h2>%s</h2><ul>", sc == 5 ? "notice" : "box",
		         PT_T(c, "Yêu cầu bổ sung", "Supplement requested"));
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(sr, "items"), i, it)
		{
			const char *cid = json_string_value(json_object_get(it, "component"));
			json_t *cp = cid ? catalog_component(proc, cid) : NULL;
			const char *what = cp    ? json_string_value(json_object_get(cp, "name"))
			                   : cid ? cid
			                         : json_string_value(json_object_get(it, "field"));
			const char *note = json_string_value(json_object_get(it, "note"));
			html_fmt(&b, "<li>%s%R%s</li>", what, note ? " — " : "", note);
		}
		mc_buf_puts(&b, "</ul>");
		const char *note = json_string_value(json_object_get(sr, "note"));
		if (note)
			html_fmt(&b, "<p>%s</p>", note);
		mc_buf_puts(&b, "</div>");
	}
	json_t *result = json_object_get(dsr, "result");
	if (json_is_object(result)) {
		html_fmt(
		    &b,
		    "<section class=\"success\" aria-labelledby=\"h-res\"><h2 id=\"h-res\">%s</h2>",
		    PT_T(c, "Kết quả giải quyết", "Result"));
		pt_form_values(c, &b, result, NULL);
		mc_buf_puts(&b, "</section>");
	}
	int scode = (int)json_integer_value(json_object_get(dsr, "status_code"));
	if (scode == 9 || scode == 10)
		pt_result_box(c, &b, code);
	pt_rating_box(c, &b, dsr);
	json_t *comps = json_object_get(dsr, "components");
	html_fmt(&b, "<h2>%s</h2>", PT_T(c, "Giấy tờ đã nộp", "Documents handed in"));
	if (!json_array_size(comps)) {
		html_fmt(&b, "<p>%s</p>", PT_T(c, "Không có.", "None."));
	} else {
		mc_buf_puts(&b, "<ul>");
		size_t i;
		json_t *cp;
		json_array_foreach(comps, i, cp)
		{
			const char *doc = json_string_value(json_object_get(cp, "document"));
			html_fmt(&b, "<li>%s", json_string_value(json_object_get(cp, "name")));
			if (doc)
				html_fmt(&b, " — <a href=\"/tep/%U\">%s</a>", doc,
				         PT_T(c, "xem tệp", "open the file"));
			else if (json_is_string(json_object_get(cp, "vault_item")))
				html_fmt(&b, " — %s", PT_T(c, "từ kho dữ liệu", "from the vault"));
			mc_buf_puts(&b, "</li>");
		}
		mc_buf_puts(&b, "</ul>");
	}
	json_t *sat = json_object_get(dsr, "satisfaction");
	if (json_array_size(sat)) {
		html_fmt(&b,
		         "<h2>%s</h2><div class=\"scroll\" tabindex=\"0\"><table><thead><tr><th "
		         "scope=\"col\">%s</th>"
		         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		         PT_T(c, "Thành phần bắt buộc và nguồn",
		              "Required documents and where they come from"),
		         PT_T(c, "Thành phần", "Component"), PT_T(c, "Nguồn", "Source"),
		         PT_T(c, "Căn cứ", "Evidence"));
		size_t i;
		json_t *r;
		json_array_foreach(sat, i, r)
		{
			const char *cid = json_string_value(json_object_get(r, "component"));
			json_t *pc = cid ? catalog_component(proc, cid) : NULL;
			const char *by = json_string_value(json_object_get(r, "satisfied_by"));
			const char *label =
			    !by                       ? ""
			    : !strcmp(by, "upload")   ? PT_T(c, "Tệp tải lên", "Upload")
			    : !strcmp(by, "vault")    ? PT_T(c, "Kho dữ liệu", "Vault")
			    : !strcmp(by, "registry") ? PT_T(c, "Cơ sở dữ liệu", "Registry")
			    : !strcmp(by, "form")     ? PT_T(c, "Tờ khai", "Form")
			                              : PT_T(c, "Còn thiếu", "Missing");
			html_fmt(&b, "<tr><td>%s</td><td%R>%s</td><td>",
			         pc ? json_string_value(json_object_get(pc, "name")) : cid,
			         by && !strcmp(by, "missing") ? " class=\"late\"" : "", label);
			const char *doc = json_string_value(json_object_get(r, "document"));
			const char *vi = json_string_value(json_object_get(r, "vault_item"));
			const char *rf = json_string_value(json_object_get(r, "registry_fact"));
			if (doc)
				html_fmt(&b, "<a href=\"/tep/%U\">%s</a>", doc,
				         PT_T(c, "xem tệp", "open the file"));
			else if (vi)
				html_fmt(&b, "%s %s", PT_T(c, "Giấy tờ", "Item"), vi);
			else if (rf)
				html_fmt(&b, "%s: %s", PT_T(c, "Dữ liệu", "Fact"), rf);
			mc_buf_puts(&b, "</td></tr>");
		}
		mc_buf_puts(&b, "</tbody></table></div>");
	}
	json_t *form = json_object_get(dsr, "form");
	if (json_object_size(form)) {
		html_fmt(&b, "<details><summary>%s</summary>",
		         PT_T(c, "Thông tin tờ khai", "Form data"));
		pt_form_values(c, &b, form, json_object_get(proc, "form"));
		mc_buf_puts(&b, "</details>");
	}
	action_forms(c, &b, dsr, proc);
	history(c, &b, code);
	json_decref(proc);
	json_decref(dsr);
	pt_foot(c, &b);
	pt_reply(c, status, &b);
}

void pt_h_dossier(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN))
		return;
	const char *ok = http_query(req, "ok");
	const char *flash = NULL;
	if (ok && strlen(ok) < 32)
		flash = mc_arena_printf(req->arena, "%s: %s", PT_T(&c, "Đã thực hiện", "Done"),
		                        pt_action_name(&c, ok));
	dossier_page(&c, 200, req->params[0], flash, ok && !strcmp(ok, "submit"), NULL);
}

/* Builds the action body from the posted form; uploads supplement files
 * first. Returns false after replying when an upload fails. */
static bool action_body(pt_ctx *c, const char *action, json_t *body, json_t *errors)
{
	json_object_set_new(body, "action", json_string(action));
	const char *note = pt_field(c, "note");
	if (note && *note)
		json_object_set_new(body, "note", json_string(note));
	const char *reason = pt_field(c, "reason");
	if (reason && *reason && strcmp(action, "pay") != 0)
		json_object_set_new(body, "reason", json_string(reason));
	if (!strcmp(action, "transfer")) {
		const char *ag = pt_field(c, "agency");
		json_object_set_new(body, "agency", json_string(ag ? ag : ""));
	} else if (!strcmp(action, "request_payment")) {
		const char *am = pt_field(c, "amount");
		char *end = NULL;
		long long v = am ? strtoll(am, &end, 10) : 0;
		if (!am || end == am || *end)
			mc_errors_add(errors, "$.amount",
			              "the amount must be a whole number of VND",
			              "số tiền phải là số nguyên (đồng)");
		else
			json_object_set_new(body, "amount", json_integer(v));
	} else if (!strcmp(action, "pay")) {
		const char *ref = pt_field(c, "reference");
		if (ref && *ref)
			json_object_set_new(body, "reference", json_string(ref));
	} else if (!strcmp(action, "finish")) {
		json_t *res = json_object();
		const char *n = pt_field(c, "result_number"), *ct = pt_field(c, "result_content");
		if (n && *n)
			json_object_set_new(res, "number", json_string(n));
		if (ct && *ct)
			json_object_set_new(res, "content", json_string(ct));
		json_object_set_new(body, "result", res);
	} else if (!strcmp(action, "apologize")) {
		const char *nd = pt_field(c, "new_due_date");
		json_object_set_new(body, "new_due_date", json_string(nd ? nd : ""));
	} else if (!strcmp(action, "request_supplement")) {
		json_t *items = json_array();
		for (int i = 0; i < c->form.n; i++) {
			if (strcmp(c->form.name[i], "item") != 0)
				continue;
			const char *cid = c->form.value[i];
			json_t *it = json_pack("{s:s}", "component", cid);
			const char *n = pt_field(c, mc_arena_printf(c->req->arena, "note_%s", cid));
			if (n && *n)
				json_object_set_new(it, "note", json_string(n));
			json_array_append_new(items, it);
		}
		const char *other = pt_field(c, "other");
		if (other && *other)
			json_array_append_new(
			    items, json_pack("{s:s, s:s}", "field", "other", "note", other));
		json_object_set_new(body, "items", items);
	} else if (!strcmp(action, "supplement")) {
		json_t *comps = json_array();
		for (int i = 0; i < c->form.nfiles; i++) {
			const pt_file *f = &c->form.files[i];
			if (strncmp(f->field, "file_", 5) != 0)
				continue;
			char mt[64];
			mc_diag d = {0};
			json_t *doc = NULL;
			mc_err e = document_media_type(f->type, mt, sizeof mt, &d);
			if (e == MC_OK)
				e = document_put(c->req->app, c->who.user_id, c->who.username, mt,
				                 f->data, f->len, f->filename, &doc, &d);
			if (e != MC_OK) {
				mc_errors_add(errors, f->field,
				              "the file must be a PDF, PNG, JPEG or TIFF document",
				              "tệp phải là PDF, PNG, JPEG hoặc TIFF");
				mc_diag_clear(&d);
				continue;
			}
			json_array_append_new(comps,
			                      json_pack("{s:s, s:O}", "component", f->field + 5,
			                                "document", json_object_get(doc, "id")));
			json_decref(doc);
		}
		if (json_array_size(comps))
			json_object_set_new(body, "components", comps);
		else
			json_decref(comps);
	}
	return true;
}

void pt_h_dossier_post(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN) || !pt_post(&c))
		return;
	const char *code = req->params[0];
	const char *action = pt_field(&c, "action");
	if (!action || strlen(action) > 32) {
		dossier_page(&c, 422, code, NULL, false, NULL);
		return;
	}
	json_t *body = json_object(), *errors = json_array();
	action_body(&c, action, body, errors);
	if (json_array_size(errors)) {
		dossier_page(&c, 422, code, NULL, false, errors);
		goto out;
	}
	json_t *out = NULL;
	mc_diag d = {0};
	mc_err e = dossier_act(req->app, &c.who, code, body, &out, &d);
	json_decref(out);
	if (e == MC_OK) {
		mc_buf u = {0};
		mc_buf_puts(&u, "/ho-so/");
		html_url(&u, code);
		mc_buf_puts(&u, "?ok=");
		html_url(&u, action);
		pt_redirect(&c, mc_buf_cstr(&u));
		mc_buf_free(&u);
	} else if (e == MC_ERR_UNPROCESSABLE || e == MC_ERR_CONFLICT || e == MC_ERR_INVALID) {
		json_t *errs = json_object_get(d.ext, "errors");
		json_t *list = json_is_array(errs) ? json_incref(errs) : json_array();
		if (!json_array_size(list))
			json_array_append_new(
			    list, json_pack("{s:s, s:s}", "message",
			                    d.detail[0] ? d.detail : "not allowed now",
			                    "message_vi", d.detail_vi[0] ? d.detail_vi : d.detail));
		dossier_page(&c, e == MC_ERR_CONFLICT ? 409 : 422, code, NULL, false, list);
		json_decref(list);
	} else {
		dossier_page(&c, http_status_of(e), code, NULL, false, NULL);
	}
	mc_diag_clear(&d);
out:
	json_decref(body);
	json_decref(errors);
}

/* GET /tep/{id}: the bytes of an attached file for its uploader, officers
 * and admins (the rule of GET /api/v1/documents/{id}/content). */
void pt_h_file(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN))
		return;
	json_t *meta = NULL;
	mc_diag d = {0};
	mc_err e = strlen(req->params[0]) == DOCUMENT_ID_LEN
	               ? http_read_json(req, document_get, req->params[0], &meta, &d)
	               : MC_ERR_NOT_FOUND;
	if (e == MC_OK && c.who.role < ROLE_OFFICER &&
	    json_integer_value(json_object_get(meta, "owner")) != c.who.user_id)
		e = MC_ERR_NOT_FOUND;
	void *data = NULL;
	size_t n = 0;
	if (e == MC_OK)
		e = document_read_content(req->app, meta, &data, &n, &d);
	if (e != MC_OK) {
		pt_message(&c, e == MC_ERR_NOT_FOUND ? 404 : 500,
		           PT_T(&c, "Không có tệp", "No such file"),
		           PT_T(&c, "Không có tệp này hoặc bạn không được xem.",
		                "There is no such file, or you may not see it."));
	} else {
		http_reply_bytes(resp, 200, json_string_value(json_object_get(meta, "media_type")),
		                 data, n);
		http_add_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
		http_add_header(resp, "Content-Disposition", "inline");
	}
	free(data);
	json_decref(meta);
	mc_diag_clear(&d);
}
