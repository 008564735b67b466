/* portal_privacy.c - "my data" pages of a citizen: who used my data
 * (/du-lieu-cua-toi: every read of the citizen's data by an agency or
 * officer, when, which data, why and on which basis, in plain words) and
 * my consents (/dong-y: the list, the grant form and revocation), through
 * the exchange module's service functions. Forms carry the CSRF token and
 * work without JavaScript. */
#include "core/date.h"
#include "exchange/exchange.h"
#include "portal/portal_internal.h"
#include "registry/registry.h"
#include "territory/territory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACCESS_PAGE 30
#define AGENCY_SEARCH_MAX 50

static bool citizen_page(pt_ctx *c)
{
	if (!pt_require(c, ROLE_CITIZEN))
		return false;
	if (c->who.role != ROLE_CITIZEN || !c->who.person_id[0]) {
		pt_message(c, 403, PT_T(c, "Không có dữ liệu cá nhân", "No personal data"),
		           PT_T(c, "Trang này dành cho công dân có số định danh cá nhân.",
		                "This page is for a citizen with a personal number."));
		return false;
	}
	return true;
}

/* The two pages link to each other. */
static void subnav(pt_ctx *c, mc_buf *b, bool log_page)
{
	html_fmt(b,
	         "<nav aria-label=\"%s\" class=\"meta\"><a href=\"/du-lieu-cua-toi\"%R>%s</a> · "
	         "<a href=\"/dong-y\"%R>%s</a></nav>",
	         PT_T(c, "Dữ liệu của tôi", "My data"), log_page ? " aria-current=\"page\"" : "",
	         PT_T(c, "Ai đã dùng dữ liệu của tôi", "Who used my data"),
	         log_page ? "" : " aria-current=\"page\"",
	         PT_T(c, "Sự đồng ý của tôi", "My consents"));
}

static const char *name_of(pt_ctx *c, json_t *names, const char *fallback)
{
	const char *s = json_string_value(json_object_get(names, c->en ? "en" : "vi"));
	return s ? s : fallback;
}

/* ---- /du-lieu-cua-toi ---- */

typedef struct access_ctx {
	const char *person;
	int64_t before;
	json_t *items;
	bool more;
} access_ctx;

static mc_err access_fn(store_conn *conn, void *vctx, mc_diag *d)
{
	access_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	return exchange_access_list(conn, x->person, x->before, ACCESS_PAGE, &x->items, &x->more,
	                            d);
}

static void basis_text(pt_ctx *c, mc_buf *b, const char *basis)
{
	if (!basis || !strcmp(basis, "none")) {
		html_fmt(b, "%s",
		         PT_T(c, "Không có căn cứ nào: yêu cầu đã bị từ chối",
		              "No basis at all: the request was refused"));
	} else if (!strncmp(basis, "dossier:", 8)) {
		html_fmt(b, "%s <a href=\"/ho-so/%U\">%s</a>",
		         PT_T(c, "Để giải quyết hồ sơ của bạn", "To handle your dossier"),
		         basis + 8, basis + 8);
	} else if (!strncmp(basis, "consent:", 8)) {
		html_fmt(b, "<a href=\"/dong-y#k-%U\">%s</a>", basis + 8,
		         PT_T(c, "Theo sự đồng ý của bạn", "With your consent"));
	} else if (!strncmp(basis, "law:", 4)) {
		html_fmt(b, "%s %s", PT_T(c, "Theo quy định pháp luật:", "Required by law:"),
		         basis + 4);
	} else if (!strcmp(basis, "role:admin")) {
		html_fmt(b, "%s",
		         PT_T(c, "Quản trị viên hệ thống tra cứu",
		              "Looked up by a system administrator"));
	} else if (!strncmp(basis, "role:", 5)) {
		html_fmt(b, "%s",
		         PT_T(c,
		              "Cán bộ tra cứu khi thi hành công vụ (không gắn với hồ sơ hay sự "
		              "đồng ý nào)",
		              "An officer's look-up on duty (not tied to a dossier or a consent)"));
	} else {
		html_fmt(b, "%s", basis);
	}
}

static const char *channel_text(pt_ctx *c, const char *ch)
{
	if (ch && !strcmp(ch, "vault"))
		return PT_T(c, "Xem kho dữ liệu của bạn", "Viewed your vault");
	if (ch && !strcmp(ch, "registry"))
		return PT_T(c, "Xem cơ sở dữ liệu", "Viewed a registry");
	return PT_T(c, "Trao đổi dữ liệu giữa cơ quan", "Data exchange between agencies");
}

void pt_h_privacy_log(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!citizen_page(&c))
		return;
	access_ctx x = {.person = c.who.person_id};
	const char *bq = http_query(req, "before");
	if (bq && strlen(bq) < 19)
		x.before = strtoll(bq, NULL, 10);
	if (x.before < 0)
		x.before = 0;
	mc_diag d = {0};
	/* look-ups still queued in this process are written first */
	mc_err e = exchange_lookup_flush(req->app->db, &d);
	if (!e)
		e = store_read(req->app->db, access_fn, &x, &d);
	mc_diag_clear(&d);
	const char *title = PT_T(&c, "Ai đã dùng dữ liệu của tôi", "Who used my data");
	mc_buf b = {0};
	pt_head(&c, &b, title);
	subnav(&c, &b, true);
	html_fmt(&b, "<h1>%s</h1><p>%s</p>", title,
	         PT_T(&c,
	              "Mỗi lần một cơ quan hay cán bộ xem hoặc xin dữ liệu của bạn đều được ghi "
	              "lại ở đây: khi nào, ai, dữ liệu gì, để làm gì và dựa trên căn cứ nào. "
	              "Lần bạn tự xem không được ghi.",
	              "Every time an agency or officer views or asks for your data it is recorded "
	              "here: when, who, which data, what for and on which basis. Your own views "
	              "are not recorded."));
	if (e != MC_OK) {
		html_fmt(&b, "<p class=\"error\" role=\"alert\">%s</p>",
		         PT_T(&c, "Không đọc được nhật ký.", "The log could not be read."));
	} else if (!json_array_size(x.items)) {
		html_fmt(
		    &b, "<p>%s</p>",
		    PT_T(&c, "Chưa có ai dùng dữ liệu của bạn.", "Nobody has used your data yet."));
	} else {
		mc_buf_puts(&b, "<ul class=\"list\">");
		size_t i;
		json_t *it;
		json_array_foreach(x.items, i, it)
		{
			const char *agency = json_string_value(json_object_get(it, "agency"));
			const char *outcome = json_string_value(json_object_get(it, "outcome"));
			bool denied = outcome && !strcmp(outcome, "denied");
			const char *purpose = json_string_value(json_object_get(it, "purpose"));
			html_fmt(&b, "<li><h2>%s</h2><dl class=\"facts\"><dt>%s</dt><dd>%s",
			         pt_datetime(&c, json_string_value(json_object_get(it, "at"))),
			         PT_T(&c, "Ai", "Who"),
			         agency ? name_of(&c, json_object_get(it, "agency_name"), agency)
			                : PT_T(&c, "Quản trị hệ thống", "System administration"));
			html_fmt(
			    &b, " (%s %s)</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
			    PT_T(&c, "cán bộ", "officer"),
			    json_string_value(json_object_get(it, "actor")),
			    PT_T(&c, "Dữ liệu", "Data"),
			    name_of(&c, json_object_get(it, "category_name"),
			            json_string_value(json_object_get(it, "category"))),
			    PT_T(&c, "Cách thức", "How"),
			    channel_text(&c, json_string_value(json_object_get(it, "channel"))));
			html_fmt(&b, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
			         PT_T(&c, "Mục đích", "Purpose"),
			         purpose ? purpose : PT_T(&c, "Không nêu", "Not stated"),
			         PT_T(&c, "Căn cứ", "Basis"));
			basis_text(&c, &b, json_string_value(json_object_get(it, "basis")));
			html_fmt(&b, "</dd><dt>%s</dt><dd><span class=\"badge %s\">%s</span>",
			         PT_T(&c, "Kết quả", "Outcome"), denied ? "stop" : "done",
			         denied ? PT_T(&c, "Bị từ chối", "Refused")
			                : PT_T(&c, "Đã cho phép", "Allowed"));
			const char *kid = json_string_value(json_object_get(it, "key_id"));
			if (kid)
				html_fmt(&b, " %s %s",
				         PT_T(&c, "— dữ liệu gửi đi có chữ ký số của cơ quan, khóa",
				              "— the answer was signed by the agency, key"),
				         kid);
			mc_buf_puts(&b, "</dd></dl></li>");
		}
		mc_buf_puts(&b, "</ul>");
		if (x.more) {
			json_t *last = json_array_get(x.items, json_array_size(x.items) - 1);
			char next[32];
			snprintf(next, sizeof next, "%lld",
			         (long long)json_integer_value(json_object_get(last, "seq")));
			html_fmt(&b, "<p><a href=\"/du-lieu-cua-toi?before=%U\">%s</a></p>", next,
			         PT_T(&c, "Trang sau", "Next page"));
		}
	}
	json_decref(x.items);
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
}

/* ---- /dong-y ---- */

typedef struct consent_ctx {
	const char *person;
	const char *q; /* agency search, NULL: the default groups */
	json_t *items, *central, *province, *communes, *found;
} consent_ctx;

static void consent_clear(consent_ctx *x)
{
	json_decref(x->items);
	json_decref(x->central);
	json_decref(x->province);
	json_decref(x->communes);
	json_decref(x->found);
	x->items = x->central = x->province = x->communes = x->found = NULL;
}

/* Every agency of query q (pages of 100, at most `max`). */
static mc_err agencies(store_conn *conn, territory_query q, int max, json_t **out, mc_diag *d)
{
	*out = json_array();
	char after[80] = "";
	for (;;) {
		json_t *page = NULL;
		bool more = false;
		q.limit = 100;
		q.after = after[0] ? after : NULL;
		mc_err e = territory_agency_list(conn, &q, &page, &more, d);
		if (e) {
			json_decref(page);
			return e;
		}
		size_t n = json_array_size(page);
		if (n)
			snprintf(after, sizeof after, "%s",
			         json_string_value(
			             json_object_get(json_array_get(page, n - 1), "code")));
		json_array_extend(*out, page);
		json_decref(page);
		if (!more || !n || (int)json_array_size(*out) >= max)
			return MC_OK;
	}
}

static mc_err consent_fn(store_conn *conn, void *vctx, mc_diag *d)
{
	consent_ctx *x = vctx;
	consent_clear(x);
	bool more = false;
	mc_err e = exchange_consent_list(conn, x->person, 100, NULL, NULL, &x->items, &more, d);
	if (e)
		return e;
	if (x->q) {
		territory_query q = {.q = x->q};
		return agencies(conn, q, AGENCY_SEARCH_MAX, &x->found, d);
	}
	territory_query q = {.level = "central"};
	if ((e = agencies(conn, q, 200, &x->central, d)))
		return e;
	q.level = "province";
	if ((e = agencies(conn, q, 200, &x->province, d)))
		return e;
	/* the communes of the province where the person lives */
	json_t *rec = NULL, *unit = NULL;
	if (registry_record_get(conn, "persons", x->person, &rec, NULL) == MC_OK) {
		const char *commune =
		    json_string_value(json_object_get(json_object_get(rec, "data"), "residence"));
		if (commune && territory_unit_get(conn, commune, false, &unit, NULL) == MC_OK) {
			const char *prov = json_string_value(json_object_get(unit, "parent"));
			if (prov) {
				char parent[64];
				snprintf(parent, sizeof parent, "UBND-%s", prov);
				territory_query cq = {.level = "commune", .parent = parent};
				e = agencies(conn, cq, 400, &x->communes, d);
			}
		}
	}
	json_decref(rec);
	json_decref(unit);
	return e;
}

static void options(pt_ctx *c, mc_buf *b, json_t *list, const char *label, const char *sel)
{
	if (!json_array_size(list))
		return;
	html_fmt(b, "<optgroup label=\"%s\">", label);
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a)
	{
		const char *code = json_string_value(json_object_get(a, "code"));
		const char *name =
		    json_string_value(json_object_get(a, c->en ? "name_en" : "name"));
		html_fmt(b, "<option value=\"%s\"%R>%s</option>", code,
		         sel && code && !strcmp(sel, code) ? " selected" : "", name ? name : code);
	}
	mc_buf_puts(b, "</optgroup>");
}

static const char *status_label(pt_ctx *c, const char *s, const char **cls)
{
	if (s && !strcmp(s, "active")) {
		*cls = "done";
		return PT_T(c, "Đang hiệu lực", "Active");
	}
	*cls = "stop";
	if (s && !strcmp(s, "revoked"))
		return PT_T(c, "Đã thu hồi", "Revoked");
	return PT_T(c, "Đã hết hạn", "Expired");
}

static void consent_page(pt_ctx *c, int status, const char *flash, json_t *errors)
{
	mc_req *req = c->req;
	const char *q = http_query(req, "q");
	if (q && (!q[0] || strlen(q) > 100))
		q = NULL;
	consent_ctx x = {.person = c->who.person_id, .q = q};
	mc_diag d = {0};
	mc_err e = store_read(req->app->db, consent_fn, &x, &d);
	mc_diag_clear(&d);
	const char *title = PT_T(c, "Sự đồng ý của tôi", "My consents");
	mc_buf b = {0};
	pt_head(c, &b, title);
	subnav(c, &b, false);
	html_fmt(&b, "<h1>%s</h1><p>%s</p>", title,
	         PT_T(c,
	              "Cơ quan nhà nước chỉ được lấy dữ liệu của bạn khi đang giải quyết hồ sơ của "
	              "bạn, hoặc khi bạn đồng ý. Ở đây bạn cho phép một cơ quan dùng một nhóm dữ "
	              "liệu cho một mục đích đến một ngày, và thu hồi bất cứ lúc nào.",
	              "Public agencies may use your data only while handling a dossier of yours, "
	              "or with your consent. Here you let an agency use one kind of data for one "
	              "purpose until a date, and withdraw that at any time."));
	if (flash)
		html_fmt(&b, "<p class=\"success\" role=\"status\">%s</p>", flash);
	if (errors && json_array_size(errors)) {
		html_fmt(&b, "<div class=\"error\" role=\"alert\"><p>%s</p><ul>",
		         PT_T(c, "Chưa thực hiện được:", "Not done:"));
		size_t i;
		json_t *er;
		json_array_foreach(errors, i, er)
		{
			const char *m = json_string_value(
			    json_object_get(er, c->en ? "message" : "message_vi"));
			html_fmt(&b, "<li>%s</li>",
			         m ? m : json_string_value(json_object_get(er, "message")));
		}
		mc_buf_puts(&b, "</ul></div>");
	}
	if (e != MC_OK) {
		html_fmt(&b, "<p class=\"error\" role=\"alert\">%s</p>",
		         PT_T(c, "Không đọc được danh sách.", "The list could not be read."));
	}
	html_fmt(&b, "<h2>%s</h2>", PT_T(c, "Các sự đồng ý đã cho", "Consents you gave"));
	if (!json_array_size(x.items)) {
		html_fmt(&b, "<p>%s</p>",
		         PT_T(c, "Bạn chưa cho cơ quan nào dùng dữ liệu.",
		              "You have not let any agency use your data."));
	} else {
		mc_buf_puts(&b, "<ul class=\"list\">");
		size_t i;
		json_t *k;
		json_array_foreach(x.items, i, k)
		{
			const char *id = json_string_value(json_object_get(k, "id"));
			const char *agency = json_string_value(json_object_get(k, "agency"));
			const char *cls = "stop";
			const char *st =
			    status_label(c, json_string_value(json_object_get(k, "status")), &cls);
			html_fmt(&b,
			         "<li id=\"k-%s\"><h3 id=\"kh-%s\">%s</h3><dl "
			         "class=\"facts\"><dt>%s</dt><dd>%s</dd>",
			         id, id, name_of(c, json_object_get(k, "agency_name"), agency),
			         PT_T(c, "Dữ liệu", "Data"),
			         name_of(c, json_object_get(k, "category_name"),
			                 json_string_value(json_object_get(k, "category"))));
			html_fmt(&b, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
			         PT_T(c, "Mục đích", "Purpose"),
			         json_string_value(json_object_get(k, "purpose")),
			         PT_T(c, "Đến hết ngày", "Until"),
			         pt_date(c, json_string_value(json_object_get(k, "expires_on"))));
			html_fmt(&b, "<dt>%s</dt><dd><span class=\"badge %s\">%s</span></dd></dl>",
			         PT_T(c, "Tình trạng", "Status"), cls, st);
			if (!strcmp(cls, "done")) {
				html_fmt(&b,
				         "<form method=\"post\" action=\"/dong-y\">"
				         "<input type=\"hidden\" name=\"action\" value=\"revoke\">"
				         "<input type=\"hidden\" name=\"id\" value=\"%s\">",
				         id);
				pt_csrf_input(c, &b);
				html_fmt(
				    &b,
				    "<button type=\"submit\" aria-describedby=\"kh-%s\">%s</button>"
				    "</form>",
				    id, PT_T(c, "Thu hồi sự đồng ý này", "Withdraw this consent"));
			}
			mc_buf_puts(&b, "</li>");
		}
		mc_buf_puts(&b, "</ul>");
	}
	/* the grant form */
	char today[11], max[11], def[11];
	mc_day t = date_local_of(ts_now());
	date_format(t, today);
	date_format(t + 365, def);
	{
		mc_day m = t + 365 * 5;
		date_format(m, max);
	}
	const char *sel_agency = pt_field(c, "agency");
	const char *sel_cat = pt_field(c, "category");
	const char *purpose = pt_field(c, "purpose");
	const char *exp = pt_field(c, "expires_on");
	html_fmt(&b, "<h2 id=\"cho-phep\">%s</h2>",
	         PT_T(c, "Cho phép một cơ quan dùng dữ liệu", "Let an agency use your data"));
	html_fmt(
	    &b,
	    "<form method=\"get\" action=\"/dong-y\" role=\"search\"><label for=\"q\">%s</label>"
	    "<input type=\"search\" id=\"q\" name=\"q\" maxlength=\"100\" value=\"%s\"> "
	    "<button type=\"submit\">%s</button></form>",
	    PT_T(c, "Tìm cơ quan theo tên (không bắt buộc)", "Find an agency by name (optional)"),
	    q ? q : "", PT_T(c, "Tìm", "Search"));
	html_fmt(&b, "<form method=\"post\" action=\"/dong-y\">"
	             "<input type=\"hidden\" name=\"action\" value=\"grant\">");
	pt_csrf_input(c, &b);
	html_fmt(&b,
	         "<p><label for=\"agency\">%s</label><select id=\"agency\" name=\"agency\" "
	         "required><option value=\"\">%s</option>",
	         PT_T(c, "Cơ quan", "Agency"), PT_T(c, "— Chọn cơ quan —", "— Choose an agency —"));
	if (x.found) {
		options(c, &b, x.found, PT_T(c, "Kết quả tìm", "Search results"), sel_agency);
	} else {
		options(c, &b, x.central, PT_T(c, "Bộ, ngành trung ương", "Ministries"),
		        sel_agency);
		options(c, &b, x.province, PT_T(c, "Tỉnh, thành phố", "Provinces and cities"),
		        sel_agency);
		options(c, &b, x.communes,
		        PT_T(c, "Xã, phường nơi bạn cư trú", "Communes and wards where you live"),
		        sel_agency);
	}
	html_fmt(&b,
	         "</select></p><p><label for=\"category\">%s</label><select id=\"category\" "
	         "name=\"category\" required><option value=\"\">%s</option>",
	         PT_T(c, "Dữ liệu", "Data"),
	         PT_T(c, "— Chọn nhóm dữ liệu —", "— Choose the data —"));
	for (const exchange_category *k = exchange_categories; k->code; k++)
		html_fmt(&b, "<option value=\"%s\"%R>%s</option>", k->code,
		         sel_cat && !strcmp(sel_cat, k->code) ? " selected" : "",
		         c->en ? k->name_en : k->name_vi);
	html_fmt(&b,
	         "</select></p><p><label for=\"purpose\">%s</label><textarea id=\"purpose\" "
	         "name=\"purpose\" maxlength=\"500\" required rows=\"3\">%s</textarea></p>",
	         PT_T(c, "Mục đích", "Purpose"), purpose ? purpose : "");
	html_fmt(
	    &b,
	    "<p><label for=\"expires_on\">%s</label><input type=\"date\" id=\"expires_on\" "
	    "name=\"expires_on\" required min=\"%s\" max=\"%s\" value=\"%s\" "
	    "aria-describedby=\"exp-hint\"> <span id=\"exp-hint\" class=\"meta\">%s</span></p>",
	    PT_T(c, "Đến hết ngày", "Until"), today, max, exp ? exp : def,
	    PT_T(c, "Tối đa 5 năm.", "At most 5 years."));
	html_fmt(&b, "<p><button type=\"submit\">%s</button></p></form>",
	         PT_T(c, "Đồng ý cho phép", "Give consent"));
	consent_clear(&x);
	pt_foot(c, &b);
	pt_reply(c, status, &b);
}

void pt_h_consents(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!citizen_page(&c))
		return;
	const char *ok = http_query(req, "ok");
	const char *flash = NULL;
	if (ok && !strcmp(ok, "grant"))
		flash = PT_T(&c, "Đã ghi nhận sự đồng ý của bạn.", "Your consent is recorded.");
	else if (ok && !strcmp(ok, "revoke"))
		flash = PT_T(&c, "Đã thu hồi sự đồng ý.", "The consent is withdrawn.");
	consent_page(&c, 200, flash, NULL);
}

void pt_h_consents_post(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!citizen_page(&c) || !pt_post(&c))
		return;
	const char *action = pt_field(&c, "action");
	json_t *out = NULL;
	mc_diag d = {0};
	mc_err e;
	bool grant = action && !strcmp(action, "grant");
	if (grant) {
		json_t *body = json_object();
		static const char *const names[] = {"agency", "category", "purpose", "expires_on",
		                                    NULL};
		for (const char *const *n = names; *n; n++) {
			const char *v = pt_field(&c, *n);
			json_object_set_new(body, *n, json_string(v ? v : ""));
		}
		e = exchange_consent_grant(req->app->db, &c.who, body, &out, &d);
		json_decref(body);
	} else if (action && !strcmp(action, "revoke")) {
		e = exchange_consent_revoke(req->app->db, &c.who, pt_field(&c, "id"), &out, &d);
	} else {
		e = mc_fail2(&d, MC_ERR_INVALID, "Thao tác không hợp lệ.", "Unknown action.");
	}
	json_decref(out);
	if (e == MC_OK) {
		pt_redirect(&c, grant ? "/dong-y?ok=grant" : "/dong-y?ok=revoke");
	} else {
		json_t *errs = json_object_get(d.ext, "errors");
		json_t *list = json_is_array(errs) ? json_incref(errs) : json_array();
		if (!json_array_size(list))
			json_array_append_new(
			    list,
			    json_pack("{s:s, s:s}", "message", d.detail[0] ? d.detail : "not done",
			              "message_vi", d.detail_vi[0] ? d.detail_vi : d.detail));
		int st = http_status_of(e);
		consent_page(&c, st >= 500 ? st : (st == 404 || st == 409 ? st : 422), NULL, list);
		json_decref(list);
	}
	mc_diag_clear(&d);
}
