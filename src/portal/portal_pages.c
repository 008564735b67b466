/* portal_pages.c - the public, read-only pages (home with the search form,
 * procedure search and detail at /thu-tuc/{code}, the scoreboard) and the
 * login/logout forms. Every page here works without JavaScript. */
#include "assistant/assistant.h"
#include "auth/auth.h"
#include "catalog/catalog.h"
#include "dossier/dossier.h"
#include "portal/portal_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_PAGE 20
#define SEARCH_MAX_OFFSET 2000
#define QUERY_MAX 200

static const char *level_name(pt_ctx *c, const char *level)
{
	if (!level)
		return "";
	if (!strcmp(level, "ministry"))
		return PT_T(c, "Cấp bộ", "Ministry");
	if (!strcmp(level, "province"))
		return PT_T(c, "Cấp tỉnh", "Province");
	if (!strcmp(level, "commune"))
		return PT_T(c, "Cấp xã", "Commune");
	return PT_T(c, "Khác", "Other");
}

static const char *online_name(pt_ctx *c, const char *online)
{
	if (online && !strcmp(online, "full"))
		return PT_T(c, "Trực tuyến toàn trình", "Full online");
	if (online && !strcmp(online, "partial"))
		return PT_T(c, "Trực tuyến một phần", "Partly online");
	return PT_T(c, "Chưa trực tuyến", "Not online");
}

/* "3 ngày làm việc" from {amount, unit}. */
const char *pt_limit_text(pt_ctx *c, json_t *tl)
{
	if (!json_is_object(tl))
		return PT_T(c, "Không quy định", "Not set");
	double n = json_number_value(json_object_get(tl, "amount"));
	const char *u = json_string_value(json_object_get(tl, "unit"));
	const char *un = !u                           ? ""
	                 : !strcmp(u, "working_days") ? PT_T(c, "ngày làm việc", "working days")
	                 : !strcmp(u, "days")         ? PT_T(c, "ngày", "days")
	                 : !strcmp(u, "hours")        ? PT_T(c, "giờ", "hours")
	                                              : u;
	return mc_arena_printf(c->req->arena, "%g %s", n, un);
}

static void levels(pt_ctx *c, mc_buf *b, json_t *lv)
{
	if (json_is_string(lv)) {
		html_text(b, level_name(c, json_string_value(lv)));
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(lv, i, v)
	{
		if (i)
			mc_buf_puts(b, ", ");
		html_text(b, level_name(c, json_string_value(v)));
	}
}

static void search_form(pt_ctx *c, mc_buf *b, const char *q)
{
	html_fmt(b,
	         "<form class=\"search\" method=\"get\" action=\"/thu-tuc\" role=\"search\">"
	         "<label for=\"q\" class=\"sr\">%s</label>"
	         "<input type=\"search\" id=\"q\" name=\"q\" value=\"%s\" maxlength=\"200\" "
	         "placeholder=\"%s\"><button type=\"submit\">%s</button></form>",
	         PT_T(c, "Bạn cần làm thủ tục gì?", "What do you need to do?"), q ? q : "",
	         PT_T(c, "ví dụ: làm hộ chiếu, dang ky khai sinh cho con",
	              "e.g. how do I register a birth?"),
	         PT_T(c, "Tìm", "Search"));
}

void pt_h_home(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	mc_buf b = {0};
	pt_head(&c, &b, PT_T(&c, "Trang chủ", "Home"));
	html_fmt(&b, "<h1>%s</h1><p>%s</p>",
	         PT_T(&c, "Dịch vụ công trực tuyến một cửa", "One-door online public services"),
	         PT_T(&c,
	              "Tìm thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi kết quả. Gõ có "
	              "dấu hoặc không dấu đều được.",
	              "Find an administrative procedure, apply online and follow your dossier. "
	              "Type with or without Vietnamese diacritics."));
	search_form(&c, &b, NULL);
	html_fmt(&b, "<h2>%s</h2><ul class=\"list\">",
	         PT_T(&c, "Thủ tục thường dùng", "Frequently used procedures"));
	static const struct {
		const char *code, *vi, *en;
	} popular[] = {
	    {"1.001193", "Đăng ký khai sinh", "Birth registration"},
	    {"1.000656", "Đăng ký khai tử", "Death registration"},
	    {"1.000894", "Đăng ký kết hôn", "Marriage registration"},
	    {"1.004222", "Đăng ký thường trú", "Permanent residence registration"},
	    {"1.001456", "Cấp hộ chiếu phổ thông", "Ordinary passport"},
	    {"3.000333", "Cấp Phiếu lý lịch tư pháp", "Criminal-record certificate"},
	};
	for (size_t i = 0; i < sizeof popular / sizeof popular[0]; i++)
		html_fmt(&b,
		         "<li><a href=\"/thu-tuc/%U\">%s</a> <span class=\"meta\">%s</span></li>",
		         popular[i].code, PT_T(&c, popular[i].vi, popular[i].en), popular[i].code);
	mc_buf_puts(&b, "</ul>");
	html_fmt(&b,
	         "<h2>%s</h2><ul><li><a href=\"/so-lieu\">%s</a></li>"
	         "<li><a href=\"/du-lieu-mo\">%s</a></li></ul>",
	         PT_T(&c, "Công khai", "Public information"),
	         PT_T(&c, "Số liệu giải quyết hồ sơ", "Dossier figures (scoreboard)"),
	         PT_T(&c, "Dữ liệu mở", "Open data"));
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
}

/* What the assistant understood of a question, in a sentence: the
 * services it recognised, or the words it searched for when it dropped
 * some. Nothing for an ordinary keyword search. */
static void assistant_note(pt_ctx *c, mc_buf *b, json_t *answer)
{
	const char *mode = json_string_value(json_object_get(answer, "mode"));
	if (!mode || strcmp(mode, "assistant") != 0)
		return;
	json_t *understood = json_object_get(answer, "understood");
	const char *query = json_string_value(json_object_get(answer, "query"));
	if (json_array_size(understood)) {
		html_fmt(b, "<p class=\"assistant\">%s ",
		         PT_T(c, "Trợ lý hiểu bạn cần:", "The assistant understood you need:"));
		size_t i;
		json_t *u;
		json_array_foreach(understood, i, u)
		{
			html_fmt(b, "%s<strong>%s</strong>", i ? ", " : "",
			         pt_i18n(c, json_object_get(u, "label")));
		}
		mc_buf_puts(b, ".</p>");
	} else if (query && *query) {
		html_fmt(b, "<p class=\"assistant\">%s <q>%s</q>.</p>",
		         PT_T(c, "Trợ lý đã tìm theo các từ:", "The assistant searched for:"),
		         query);
	} else {
		html_fmt(b, "<p class=\"assistant\">%s</p>",
		         PT_T(c,
		              "Trợ lý chưa hiểu câu hỏi. Hãy nêu tên việc cần làm, ví dụ "
		              "“đăng ký khai sinh” hoặc “làm hộ chiếu”.",
		              "The assistant did not understand the question. Name what you need "
		              "to do, for example “register a birth” or “get a "
		              "passport”."));
	}
}

void pt_h_search(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	const char *q = http_query(req, "q");
	const char *level = http_query(req, "level");
	const char *online = http_query(req, "online");
	const char *page_s = http_query(req, "page");
	if (q && strlen(q) > QUERY_MAX) {
		size_t n = QUERY_MAX; /* cut on a character boundary */
		while (n && ((unsigned char)q[n] & 0xC0) == 0x80)
			n--;
		q = mc_arena_strndup(req->arena, q, n);
	}
	if (q && !*q)
		q = NULL;
	if (level && strcmp(level, "ministry") && strcmp(level, "province") &&
	    strcmp(level, "commune"))
		level = NULL;
	if (online && strcmp(online, "full") && strcmp(online, "partial") && strcmp(online, "none"))
		online = NULL;
	int page = page_s ? atoi(page_s) : 1;
	if (page < 1 || (page - 1) * SEARCH_PAGE > SEARCH_MAX_OFFSET)
		page = 1;
	catalog_query cq = {.q = q,
	                    .level = level,
	                    .online = online,
	                    .limit = SEARCH_PAGE,
	                    .offset = q ? (page - 1) * SEARCH_PAGE : 0,
	                    .after = q ? NULL : http_query(req, "after")};
	if (cq.after && strlen(cq.after) > 64)
		cq.after = NULL;
	json_t *items = NULL, *answer = NULL;
	bool more = false;
	mc_diag d = {0};
	mc_err e;
	if (q) {
		/* the assistant reads questions as well as keywords */
		e = assistant_ask(req->app->db, q, &cq, cq.limit, cq.offset, &answer, &more, &d);
		items = json_incref(json_object_get(answer, "items"));
	} else {
		e = catalog_list(req->app->db, &cq, &items, &more, &d);
	}
	mc_buf b = {0};
	pt_head(&c, &b, PT_T(&c, "Tìm thủ tục", "Find a procedure"));
	html_fmt(&b, "<h1>%s</h1>", PT_T(&c, "Tìm thủ tục hành chính", "Find a procedure"));
	search_form(&c, &b, q);
	assistant_note(&c, &b, answer);
	/* filters: plain links, no script */
	html_fmt(&b, "<p class=\"meta\">%s: ", PT_T(&c, "Lọc theo cấp", "Filter by level"));
	static const char *lv[] = {"commune", "province", "ministry"};
	for (int i = 0; i < 3; i++) {
		html_fmt(&b, "<a href=\"/thu-tuc?level=%U", lv[i]);
		if (q)
			html_fmt(&b, "&amp;q=%U", q);
		html_fmt(&b, "\"%R>%s</a> · ",
		         level && !strcmp(level, lv[i]) ? " aria-current=\"true\"" : "",
		         level_name(&c, lv[i]));
	}
	html_fmt(&b, "<a href=\"/thu-tuc%R%U\">%s</a></p>", q ? "?q=" : "", q ? q : "",
	         PT_T(&c, "Tất cả", "All"));
	if (e != MC_OK) {
		html_fmt(&b, "<p class=\"error\">%s</p>",
		         PT_T(&c, "Không tìm được, hãy thử lại.", "The search failed; try again."));
	} else if (json_array_size(items) == 0) {
		html_fmt(&b, "<p>%s</p>",
		         PT_T(&c, "Không có thủ tục nào khớp.", "No procedure matches."));
	} else {
		html_fmt(&b, "<h2>%s</h2><ol class=\"list\">", PT_T(&c, "Kết quả", "Results"));
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *code = json_string_value(json_object_get(it, "code"));
			html_fmt(&b, "<li><a href=\"/thu-tuc/%U\">%s</a><div class=\"meta\">%s · ",
			         code, json_string_value(json_object_get(it, "name")), code);
			levels(&c, &b, json_object_get(it, "level"));
			html_fmt(
			    &b, " · %s · %s · %s</div></li>",
			    json_string_value(json_object_get(it, "field")),
			    online_name(&c, json_string_value(json_object_get(it, "online_level"))),
			    pt_limit_text(&c, json_object_get(it, "time_limit")));
		}
		mc_buf_puts(&b, "</ol><nav class=\"pager\" aria-label=\"pages\">");
		if (q && page > 1) {
			html_fmt(&b, "<a href=\"/thu-tuc?q=%U&amp;page=%d", q, page - 1);
			if (level)
				html_fmt(&b, "&amp;level=%U", level);
			html_fmt(&b, "\">%s</a>", PT_T(&c, "Trang trước", "Previous page"));
		}
		if (more) {
			if (q) {
				html_fmt(&b, "<a href=\"/thu-tuc?q=%U&amp;page=%d", q, page + 1);
			} else {
				json_t *last = json_array_get(items, json_array_size(items) - 1);
				html_fmt(&b, "<a href=\"/thu-tuc?after=%U",
				         json_string_value(json_object_get(last, "code")));
			}
			if (level)
				html_fmt(&b, "&amp;level=%U", level);
			if (online)
				html_fmt(&b, "&amp;online=%U", online);
			html_fmt(&b, "\">%s</a>", PT_T(&c, "Trang sau", "Next page"));
		}
		mc_buf_puts(&b, "</nav>");
	}
	json_decref(items);
	json_decref(answer);
	mc_diag_clear(&d);
	pt_foot(&c, &b);
	pt_reply(&c, e == MC_OK ? 200 : http_status_of(e), &b);
}

typedef struct proc_ctx {
	const char *code;
	int version;
	json_t *out;
} proc_ctx;

static mc_err read_proc(store_conn *conn, void *ctx, mc_diag *d)
{
	proc_ctx *p = ctx;
	return catalog_procedure_get(conn, p->code, p->version, &p->out, d);
}

mc_err pt_procedure(pt_ctx *c, const char *code, int version, json_t **out)
{
	proc_ctx p = {code, version, NULL};
	mc_diag d = {0};
	*out = NULL;
	if (strlen(code) > 64)
		return MC_ERR_NOT_FOUND;
	mc_err e = store_read(c->req->app->db, read_proc, &p, &d);
	mc_diag_clear(&d);
	if (e == MC_OK)
		*out = p.out;
	return e;
}

const char *pt_channel_name(pt_ctx *c, const char *ch)
{
	if (!ch)
		return "";
	if (!strcmp(ch, "online"))
		return PT_T(c, "Trực tuyến", "Online");
	if (!strcmp(ch, "in_person"))
		return PT_T(c, "Trực tiếp", "In person");
	if (!strcmp(ch, "post"))
		return PT_T(c, "Dịch vụ bưu chính", "By post");
	return ch;
}

static void text_list(mc_buf *b, json_t *arr, const char *member)
{
	mc_buf_puts(b, "<ul>");
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *s =
		    member ? json_string_value(json_object_get(v, member)) : json_string_value(v);
		if (s && *s)
			html_fmt(b, "<li>%s</li>", s);
	}
	mc_buf_puts(b, "</ul>");
}

void pt_h_procedure(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	json_t *p = NULL;
	mc_err e = pt_procedure(&c, req->params[0], 0, &p);
	if (e == MC_ERR_NOT_FOUND) {
		pt_message(&c, 404, PT_T(&c, "Không tìm thấy thủ tục", "No such procedure"),
		           PT_T(&c, "Mã thủ tục này không có trong danh mục.",
		                "This procedure code is not in the catalog."));
		return;
	}
	if (e != MC_OK) {
		pt_message(&c, 500, PT_T(&c, "Lỗi hệ thống", "System error"),
		           PT_T(&c, "Hãy thử lại sau.", "Try again later."));
		return;
	}
	const char *code = json_string_value(json_object_get(p, "code"));
	const char *name = json_string_value(json_object_get(p, "name"));
	mc_buf b = {0};
	pt_head(&c, &b, name);
	html_fmt(&b, "<p class=\"meta\"><a href=\"/thu-tuc\">%s</a> › %s</p><h1>%s</h1>",
	         PT_T(&c, "Thủ tục", "Procedures"), code, name);
	if (catalog_offers_channel(p, "online"))
		html_fmt(&b, "<p><a class=\"button\" href=\"/nop/%U\">%s</a></p>", code,
		         PT_T(&c, "Nộp hồ sơ trực tuyến", "Apply online"));
	html_fmt(&b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
	         PT_T(&c, "Mã thủ tục", "Procedure code"), code,
	         PT_T(&c, "Cấp thực hiện", "Level"));
	levels(&c, &b, json_object_get(p, "level"));
	html_fmt(&b, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	         PT_T(&c, "Lĩnh vực", "Field"), json_string_value(json_object_get(p, "field")),
	         PT_T(&c, "Mức độ trực tuyến", "Online service"),
	         online_name(&c, json_string_value(json_object_get(p, "online_level"))));
	const char *subj = json_string_value(json_object_get(p, "subjects"));
	if (subj)
		html_fmt(&b, "<dt>%s</dt><dd>%s</dd>", PT_T(&c, "Đối tượng", "Who may apply"),
		         subj);
	html_fmt(&b, "<dt>%s</dt><dd>%s</dd></dl>", PT_T(&c, "Thời hạn giải quyết", "Time limit"),
	         pt_limit_text(&c, json_object_get(p, "time_limit")));

	json_t *channels = json_object_get(p, "channels");
	if (json_array_size(channels)) {
		html_fmt(&b,
		         "<h2>%s</h2><div class=\"scroll\" tabindex=\"0\"><table><caption "
		         "class=\"sr\">%s</caption>"
		         "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		         "<th scope=\"col\">%s</th></tr></thead><tbody>",
		         PT_T(&c, "Cách thức thực hiện, thời hạn và phí",
		              "Channels, time limits and fees"),
		         PT_T(&c, "Cách thức thực hiện", "Channels"),
		         PT_T(&c, "Cách nộp", "Channel"), PT_T(&c, "Thời hạn", "Time limit"),
		         PT_T(&c, "Phí, lệ phí", "Fees"));
		size_t i;
		json_t *ch;
		json_array_foreach(channels, i, ch)
		{
			html_fmt(
			    &b, "<tr><td>%s</td><td>%s</td><td>",
			    pt_channel_name(&c, json_string_value(json_object_get(ch, "channel"))),
			    pt_limit_text(&c, json_object_get(ch, "time_limit")));
			size_t k;
			json_t *fee;
			json_array_foreach(json_object_get(ch, "fees"), k, fee)
			{
				if (k)
					mc_buf_puts(&b, "; ");
				html_text(&b, json_string_value(json_object_get(fee, "text")));
			}
			mc_buf_puts(&b, "</td></tr>");
		}
		mc_buf_puts(&b, "</tbody></table></div>");
	}
	json_t *steps = json_object_get(p, "steps");
	if (json_array_size(steps)) {
		html_fmt(&b, "<h2>%s</h2>", PT_T(&c, "Trình tự thực hiện", "Steps"));
		text_list(&b, steps, NULL);
	}
	json_t *comps = json_object_get(p, "components");
	if (json_array_size(comps)) {
		html_fmt(&b, "<h2>%s</h2><ul>", PT_T(&c, "Thành phần hồ sơ", "Documents"));
		size_t i;
		json_t *cp;
		json_array_foreach(comps, i, cp)
		{
			bool req_ = json_is_true(json_object_get(cp, "required"));
			bool doc = catalog_component_is_document(cp);
			html_fmt(&b, "<li>%s <span class=\"meta\">(%s%s%s)</span></li>",
			         json_string_value(json_object_get(cp, "name")),
			         doc ? (req_ ? PT_T(&c, "bắt buộc", "required")
			                     : PT_T(&c, "khi cần", "when applicable"))
			             : PT_T(&c, "ghi chú", "note"),
			         json_string_value(json_object_get(cp, "quantity")) ? ", " : "",
			         json_string_value(json_object_get(cp, "quantity")));
		}
		mc_buf_puts(&b, "</ul>");
	}
	json_t *result = json_object_get(p, "result");
	if (json_array_size(result)) {
		html_fmt(&b, "<h2>%s</h2>", PT_T(&c, "Kết quả", "Result"));
		text_list(&b, result, "name");
	}
	json_t *legal = json_object_get(p, "legal_basis");
	if (json_array_size(legal)) {
		html_fmt(&b, "<h2>%s</h2><ul>", PT_T(&c, "Căn cứ pháp lý", "Legal basis"));
		size_t i;
		json_t *l;
		json_array_foreach(legal, i, l)
		    html_fmt(&b, "<li>%s <span class=\"meta\">%s</span></li>",
		             json_string_value(json_object_get(l, "title")),
		             json_string_value(json_object_get(l, "code")));
		mc_buf_puts(&b, "</ul>");
	}
	json_decref(p);
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
}

/* ---- login / logout ---- */

/* A local path to come back to after login ("/" when unsafe). */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 500 ||
	    strpbrk(next, "\r\n\"<>"))
		return "/";
	return next;
}

static void login_page(pt_ctx *c, int status, const char *error, const char *username,
                       const char *next)
{
	mc_buf b = {0};
	pt_head(c, &b, PT_T(c, "Đăng nhập", "Log in"));
	html_fmt(&b, "<h1>%s</h1>", PT_T(c, "Đăng nhập", "Log in"));
	if (error)
		html_fmt(&b, "<p class=\"error\" role=\"alert\">%s</p>", error);
	html_fmt(&b,
	         "<form class=\"stack\" method=\"post\" action=\"/dang-nhap\">"
	         "<label for=\"username\">%s</label>"
	         "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" "
	         "required maxlength=\"63\" value=\"%s\">"
	         "<label for=\"password\">%s</label>"
	         "<input type=\"password\" id=\"password\" name=\"password\" "
	         "autocomplete=\"current-password\" required maxlength=\"256\">"
	         "<input type=\"hidden\" name=\"next\" value=\"%s\">",
	         PT_T(c, "Tên đăng nhập", "Username"), username ? username : "",
	         PT_T(c, "Mật khẩu", "Password"), safe_next(next));
	pt_csrf_input(c, &b);
	html_fmt(&b, "<p><button type=\"submit\">%s</button></p></form><p class=\"hint\">%s</p>",
	         PT_T(c, "Đăng nhập", "Log in"),
	         PT_T(c,
	              "Tài khoản thử nghiệm: citizen / citizen-demo-2026 (công dân), officer / "
	              "officer-demo-2026 (cán bộ) khi chạy make demo.",
	              "Demo accounts: citizen / citizen-demo-2026 (citizen), officer / "
	              "officer-demo-2026 (officer) under make demo."));
	pt_foot(c, &b);
	pt_reply(c, status, &b);
}

void pt_h_login(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	login_page(&c, 200, NULL, NULL, http_query(req, "next"));
}

void pt_h_login_post(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_post(&c))
		return;
	const char *u = pt_field(&c, "username"), *pw = pt_field(&c, "password");
	const char *next = safe_next(pt_field(&c, "next"));
	if (!u || !pw || !*u || !*pw || strlen(u) > AUTH_USERNAME_MAX ||
	    strlen(pw) > AUTH_PASSWORD_MAX) {
		login_page(&c, 422,
		           PT_T(&c, "Hãy nhập tên đăng nhập và mật khẩu.",
		                "Enter your username and password."),
		           u && strlen(u) <= AUTH_USERNAME_MAX ? u : NULL, next);
		return;
	}
	auth_login_result r = {0};
	mc_diag d = {0};
	mc_err e = auth_login(req->app->db, u, pw, req->client_ip, &r, &d);
	mc_diag_clear(&d);
	json_decref(r.user);
	if (e == MC_ERR_RATE_LIMITED) {
		login_page(&c, 429,
		           PT_T(&c, "Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút.",
		                "Too many failed logins. Try again in a few minutes."),
		           u, next);
		return;
	}
	if (e != MC_OK) {
		login_page(&c, 401,
		           PT_T(&c, "Tên đăng nhập hoặc mật khẩu không đúng.",
		                "Wrong username or password."),
		           u, next);
		return;
	}
	auth_limits lim;
	auth_get_limits(&lim);
	char *ck = mc_arena_printf(req->arena,
	                           "mc_session=%s; Path=/; Max-Age=%ld; HttpOnly; Secure; "
	                           "SameSite=Lax",
	                           r.token, lim.token_ttl);
	sodium_memzero(r.token, sizeof r.token);
	c.new_pre_csrf = false;
	pt_redirect(&c, next);
	http_add_header(resp, "Set-Cookie", ck);
}

void pt_h_logout(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_post(&c))
		return;
	if (c.token) {
		mc_diag d = {0};
		auth_logout(req->app->db, c.who.username, c.token_hash, &d);
		mc_diag_clear(&d);
	}
	pt_redirect(&c, "/");
	http_add_header(resp, "Set-Cookie",
	                "mc_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
}

/* ---- scoreboard ---- */

void pt_h_scoreboard(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	long n[11] = {0};
	mc_err e = dossier_count_by_status(req->app->db, n);
	mc_buf b = {0};
	pt_head(&c, &b, PT_T(&c, "Số liệu", "Scoreboard"));
	html_fmt(&b, "<h1>%s</h1><p>%s</p>",
	         PT_T(&c, "Số liệu giải quyết hồ sơ", "Dossier figures"),
	         PT_T(&c, "Tính trực tiếp từ dữ liệu vận hành, không nhập tay.",
	              "Computed from operational data, never typed in."));
	if (e != MC_OK) {
		html_fmt(&b, "<p class=\"error\">%s</p>",
		         PT_T(&c, "Không đọc được số liệu.", "The figures could not be read."));
	} else {
		long total = 0;
		for (int i = 1; i <= 10; i++)
			total += n[i];
		long done = n[9] + n[10];
		long open = n[1] + n[2] + n[4] + n[5] + n[6];
		html_fmt(&b, "<ul class=\"figures\">");
		html_fmt(&b, "<li><strong>%D</strong>%s</li>", (int64_t)total,
		         PT_T(&c, "hồ sơ đã nộp", "dossiers submitted"));
		html_fmt(&b, "<li><strong>%D</strong>%s</li>", (int64_t)open,
		         PT_T(&c, "đang giải quyết", "being handled"));
		html_fmt(&b, "<li><strong>%D</strong>%s</li>", (int64_t)done,
		         PT_T(&c, "đã giải quyết xong", "settled"));
		if (total > 0)
			html_fmt(&b, "<li><strong>%D %%</strong>%s</li>",
			         (int64_t)((done * 100 + total / 2) / total),
			         PT_T(&c, "tỷ lệ đã giải quyết", "share settled"));
		mc_buf_puts(&b, "</ul>");
		html_fmt(&b,
		         "<h2>%s</h2><div class=\"scroll\" tabindex=\"0\"><table><caption "
		         "class=\"sr\">%s</caption><thead><tr><th scope=\"col\">%s</th>"
		         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		         PT_T(&c, "Theo trạng thái", "By status"),
		         PT_T(&c, "Số hồ sơ theo mã trạng thái quốc gia",
		              "Dossiers by national status code"),
		         PT_T(&c, "Mã", "Code"), PT_T(&c, "Trạng thái", "Status"),
		         PT_T(&c, "Số hồ sơ", "Dossiers"));
		static const char *names[11][2] = {
		    {"", ""},
		    {"Mới đăng ký", "Submitted"},
		    {"Được tiếp nhận", "Received"},
		    {"Không được tiếp nhận", "Refused at reception"},
		    {"Đang xử lý", "Processing"},
		    {"Yêu cầu bổ sung", "Supplement requested"},
		    {"Yêu cầu thực hiện nghĩa vụ tài chính", "Payment requested"},
		    {"Công dân yêu cầu rút hồ sơ", "Withdrawn by the applicant"},
		    {"Dừng xử lý", "Processing stopped"},
		    {"Đã xử lý xong", "Processed"},
		    {"Đã trả kết quả", "Result returned"},
		};
		for (int i = 1; i <= 10; i++)
			html_fmt(&b, "<tr><td>%d</td><th scope=\"row\">%s</th><td>%D</td></tr>", i,
			         names[i][c.en ? 1 : 0], (int64_t)n[i]);
		mc_buf_puts(&b, "</tbody></table></div>");
	}
	pt_programme_figures(&c, &b);
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
}
