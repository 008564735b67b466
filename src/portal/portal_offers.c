/* portal_offers.c - proactive offers in the portal: the list of a citizen's
 * offers (/de-xuat) and one offer (/de-xuat/{id}): why it was offered,
 * what will be submitted (the eForm pre-filled from the registries, the
 * documents the vault and the registries already satisfy), the few fields
 * the registries could not fill, and one Confirm button that submits the
 * dossier (then shows its receipt) or a Decline button. Everything goes
 * through the public functions of proactive.h; no script needed. */
#include "portal/portal_internal.h"
#include "proactive/proactive.h"
#include "territory/territory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MISSING_MAX 20 /* fields the confirm form asks for at most */

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *status_label(pt_ctx *c, const char *s)
{
	if (!strcmp(s, "accepted"))
		return PT_T(c, "Đã xác nhận, đã nộp hồ sơ", "Confirmed, dossier submitted");
	if (!strcmp(s, "declined"))
		return PT_T(c, "Đã từ chối", "Declined");
	if (!strcmp(s, "superseded"))
		return PT_T(c, "Người thân đã nộp hồ sơ", "A relative has submitted it");
	if (!strcmp(s, "expired"))
		return PT_T(c, "Đã hết hạn", "Expired");
	return PT_T(c, "Đang chờ bạn xác nhận", "Waiting for your confirmation");
}

static void badge(pt_ctx *c, mc_buf *b, const char *s)
{
	const char *cls = !strcmp(s, "accepted") ? "done" : !strcmp(s, "open") ? "open" : "stop";
	html_fmt(b, "<span class=\"badge %s\">%s</span>", cls, status_label(c, s));
}

static bool citizen_page(pt_ctx *c)
{
	if (!pt_require(c, ROLE_CITIZEN))
		return false;
	if (c->who.role != ROLE_CITIZEN || !c->who.person_id[0]) {
		pt_message(c, 403, PT_T(c, "Không có đề xuất", "No offers"),
		           PT_T(c, "Đề xuất dịch vụ dành cho công dân có số định danh cá nhân.",
		                "Offers are made to citizens with a personal number."));
		return false;
	}
	return true;
}

void pt_h_offers(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!citizen_page(&c))
		return;
	json_t *items = NULL;
	mc_diag d = {0};
	mc_err e = proactive_offer_list(req->app->db, &c.who, &items, &d);
	mc_diag_clear(&d);
	mc_buf b = {0};
	const char *title = PT_T(&c, "Dịch vụ đề xuất cho bạn", "Services offered to you");
	pt_head(&c, &b, title);
	html_fmt(&b, "<h1>%s</h1><p>%s</p>", title,
	         PT_T(&c,
	              "Khi cơ sở dữ liệu ghi nhận một sự kiện trong cuộc sống của bạn hoặc gia "
	              "đình bạn (sinh, mất, kết hôn, chuyển nơi ở, thành lập doanh nghiệp), nhà "
	              "nước đề xuất các thủ tục cần làm với hồ sơ đã điền sẵn. Bạn chỉ cần xác "
	              "nhận.",
	              "When a registry records an event in your life or your family's (a birth, "
	              "a death, a marriage, a move, a new business), the state offers the "
	              "procedures that follow with the dossier already filled in. You only "
	              "confirm."));
	const char *ok = http_query(req, "ok");
	if (ok && !strcmp(ok, "decline"))
		html_fmt(&b, "<p class=\"notice\" role=\"status\">%s</p>",
		         PT_T(&c, "Đã từ chối đề xuất.", "The offer was declined."));
	if (e != MC_OK) {
		html_fmt(&b, "<p class=\"error\">%s</p>",
		         PT_T(&c, "Không đọc được các đề xuất.", "The offers could not be read."));
	} else if (!json_array_size(items)) {
		html_fmt(&b, "<p>%s</p>",
		         PT_T(&c, "Hiện chưa có đề xuất nào cho bạn.",
		              "There are no offers for you yet."));
	} else {
		mc_buf_puts(&b, "<ul class=\"list\">");
		size_t i;
		json_t *o;
		json_array_foreach(items, i, o)
		{
			json_t *p = json_object_get(o, "procedure");
			html_fmt(&b, "<li><h2><a href=\"/de-xuat/%U\">%s</a></h2><p>",
			         jstr(o, "id"), jstr(p, "name"));
			badge(&c, &b, jstr(o, "status"));
			html_fmt(&b, "</p><p>%s</p><p class=\"meta\">%s %s · %s %s</p></li>",
			         pt_i18n(&c, json_object_get(o, "reason")),
			         PT_T(&c, "Đề xuất ngày", "Offered on"),
			         pt_datetime(&c, jstr(o, "created_at")),
			         PT_T(&c, "hạn xác nhận", "confirm by"),
			         pt_date(&c, jstr(o, "expires_on")));
		}
		mc_buf_puts(&b, "</ul>");
	}
	json_decref(items);
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
}

/* The schema of eForm path "$.a.b" (borrowed) or NULL. */
static json_t *schema_at(json_t *schema, const char *path, const char **leaf)
{
	if (!path || strncmp(path, "$.", 2) != 0 || strlen(path) > 200)
		return NULL;
	char buf[201];
	snprintf(buf, sizeof buf, "%s", path + 2);
	json_t *s = schema;
	char *save = NULL;
	for (char *seg = strtok_r(buf, ".", &save); seg; seg = strtok_r(NULL, ".", &save)) {
		s = json_object_get(json_object_get(s, "properties"), seg);
		if (!s)
			return NULL;
	}
	*leaf = path + 2;
	return s;
}

static const char *by_label(pt_ctx *c, const char *by)
{
	if (!by || !strcmp(by, "missing"))
		return PT_T(c, "Cơ quan sẽ hướng dẫn nếu cần",
		            "The office tells you if it is needed");
	if (!strcmp(by, "vault"))
		return PT_T(c, "Lấy từ kho dữ liệu của bạn", "Taken from your vault");
	if (!strcmp(by, "registry"))
		return PT_T(c, "Lấy từ cơ sở dữ liệu quốc gia", "Taken from a national registry");
	if (!strcmp(by, "form"))
		return PT_T(c, "Chính là tờ khai điền sẵn", "The pre-filled form itself");
	return PT_T(c, "Tải lên", "Upload");
}

/* The confirm form: the fields the registries could not fill, Confirm and
 * Decline. */
static void decide_forms(pt_ctx *c, mc_buf *b, json_t *o, json_t *schema, json_t *values,
                         json_t *errors)
{
	const char *id = jstr(o, "id");
	json_t *missing = json_object_get(o, "missing");
	html_fmt(b, "<form method=\"post\" action=\"/de-xuat/%U\">", id);
	pt_csrf_input(c, b);
	size_t i;
	json_t *m;
	int shown = 0;
	json_array_foreach(missing, i, m)
	{
		const char *leaf = NULL;
		json_t *s = schema_at(schema, jstr(m, "path"), &leaf);
		if (!s || shown >= MISSING_MAX || !json_is_string(json_object_get(s, "type")) ||
		    strcmp(jstr(s, "type"), "string"))
			continue;
		if (!shown++)
			html_fmt(b, "<h2>%s</h2><p>%s</p>",
			         PT_T(c, "Thông tin bạn cần bổ sung", "What you still need to add"),
			         PT_T(c, "Cơ sở dữ liệu chưa có những thông tin sau.",
			              "The registries do not hold the following."));
		const char *title = pt_schema_title(c, s, leaf);
		const char *val = jstr(values, leaf);
		json_t *en = json_object_get(s, "enum");
		if (json_is_array(en)) {
			html_fmt(b,
			         "<label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"f:%s\">",
			         leaf, title, leaf, leaf);
			size_t k;
			json_t *opt;
			json_array_foreach(en, k, opt) html_fmt(
			    b, "<option%R>%s</option>",
			    val && json_string_value(opt) && !strcmp(val, json_string_value(opt))
			        ? " selected"
			        : "",
			    json_string_value(opt));
			mc_buf_puts(b, "</select>");
		} else {
			json_int_t max = json_integer_value(json_object_get(s, "maxLength"));
			html_fmt(b,
			         "<label for=\"f-%s\">%s</label><input type=\"text\" id=\"f-%s\" "
			         "name=\"f:%s\" value=\"%s\" maxlength=\"%d\" required>",
			         leaf, title, leaf, leaf, val ? val : "",
			         (int)(max > 0 && max < 4000 ? max : 300));
		}
	}
	if (json_array_size(errors)) {
		html_fmt(b, "<div class=\"error\" role=\"alert\"><p>%s</p><ul>",
		         PT_T(c, "Chưa nộp được hồ sơ:", "The dossier was not submitted:"));
		json_array_foreach(errors, i, m)
		{
			const char *msg = jstr(m, c->en ? "message" : "message_vi");
			html_fmt(b, "<li>%s: %s</li>", jstr(m, "path"),
			         msg ? msg : jstr(m, "message"));
		}
		mc_buf_puts(b, "</ul></div>");
	}
	html_fmt(b,
	         "<div class=\"actions\"><button type=\"submit\" name=\"go\" value=\"accept\">%s"
	         "</button> <button type=\"submit\" name=\"go\" value=\"decline\" formnovalidate "
	         "class=\"secondary\">%s</button></div></form>",
	         PT_T(c, "Xác nhận và nộp hồ sơ", "Confirm and submit"),
	         PT_T(c, "Từ chối đề xuất", "Decline the offer"));
}

/* The documents: those the state already holds (vault, registries, the
 * form itself) listed, the others folded away. */
static void components(pt_ctx *c, mc_buf *b, json_t *comps)
{
	size_t i, others = 0;
	json_t *cp;
	html_fmt(b, "<h3>%s</h3><ul class=\"list\">",
	         PT_T(c, "Giấy tờ nhà nước đã có, bạn không phải nộp lại",
	              "Documents the state already holds: you do not hand them in again"));
	json_array_foreach(comps, i, cp)
	{
		const char *by = jstr(cp, "satisfied_by");
		if (!by || !strcmp(by, "missing") || !strcmp(by, "upload")) {
			others++;
			continue;
		}
		html_fmt(b, "<li>%s <span class=\"meta\">(%s)</span></li>", jstr(cp, "name"),
		         by_label(c, by));
	}
	mc_buf_puts(b, "</ul>");
	if (!others)
		return;
	html_fmt(b, "<details><summary>%s (%D)</summary><ul class=\"list\">",
	         PT_T(c, "Giấy tờ chỉ cần trong một số trường hợp",
	              "Documents needed only in some cases"),
	         (int64_t)others);
	json_array_foreach(comps, i, cp)
	{
		const char *by = jstr(cp, "satisfied_by");
		if (!by || !strcmp(by, "missing") || !strcmp(by, "upload"))
			html_fmt(b, "<li>%s</li>", jstr(cp, "name"));
	}
	html_fmt(b, "</ul><p class=\"hint\">%s</p></details>",
	         PT_T(c, "Cơ quan tiếp nhận sẽ hướng dẫn nếu trường hợp của bạn cần.",
	              "The receiving office tells you if your case needs them."));
}

typedef struct agency_ctx {
	const char *code;
	json_t *out;
} agency_ctx;

static mc_err agency_fn(store_conn *conn, void *ctx, mc_diag *d)
{
	agency_ctx *x = ctx;
	json_decref(x->out);
	x->out = NULL;
	return territory_agency_get(conn, x->code, &x->out, d);
}

static void offer_page(pt_ctx *c, int status, const char *id, json_t *values, json_t *errors)
{
	json_t *o = NULL, *proc = NULL;
	mc_diag d = {0};
	mc_err e = proactive_offer_get(c->req->app->db, &c->who, id, &o, &d);
	mc_diag_clear(&d);
	if (e != MC_OK) {
		pt_message(c, e == MC_ERR_NOT_FOUND ? 404 : http_status_of(e),
		           PT_T(c, "Không tìm thấy đề xuất", "No such offer"),
		           PT_T(c, "Đề xuất này không có hoặc không dành cho bạn.",
		                "This offer does not exist or is not yours."));
		return;
	}
	json_t *p = json_object_get(o, "procedure");
	if (pt_procedure(c, jstr(p, "code"), 0, &proc) != MC_OK)
		proc = NULL;
	json_t *schema = json_object_get(proc, "form");
	const char *st = jstr(o, "status");
	agency_ctx ag = {.code = jstr(o, "agency")};
	if (store_read(c->req->app->db, agency_fn, &ag, &d) != MC_OK)
		ag.out = NULL;
	mc_diag_clear(&d);
	const char *agency_name = jstr(ag.out, c->en ? "name_en" : "name");
	if (!agency_name)
		agency_name = jstr(ag.out, "name");
	mc_buf b = {0};
	pt_head(c, &b, jstr(p, "name"));
	html_fmt(&b, "<p><a href=\"/de-xuat\">%s</a></p><h1>%s</h1><p>",
	         PT_T(c, "← Tất cả đề xuất", "← All offers"), jstr(p, "name"));
	badge(c, &b, st);
	html_fmt(&b,
	         "</p><section aria-labelledby=\"why\"><h2 id=\"why\">%s</h2><p>%s</p></section>",
	         PT_T(c, "Vì sao bạn nhận được đề xuất này", "Why you are offered this"),
	         pt_i18n(c, json_object_get(o, "reason")));
	html_fmt(&b,
	         "<dl class=\"facts\"><dt>%s</dt><dd><a href=\"/thu-tuc/%U\">%s</a></dd>"
	         "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	         PT_T(c, "Thủ tục", "Procedure"), jstr(p, "code"), jstr(p, "code"),
	         PT_T(c, "Cơ quan tiếp nhận", "Receiving office"),
	         agency_name ? agency_name : jstr(o, "agency"),
	         PT_T(c, "Đề xuất ngày", "Offered on"), pt_datetime(c, jstr(o, "created_at")),
	         PT_T(c, "Hạn xác nhận", "Confirm by"), pt_date(c, jstr(o, "expires_on")));
	if (jstr(o, "dossier"))
		html_fmt(&b, "<dt>%s</dt><dd><a href=\"/ho-so/%U\">%s</a></dd>",
		         PT_T(c, "Hồ sơ đã nộp", "Dossier submitted"), jstr(o, "dossier"),
		         jstr(o, "dossier"));
	mc_buf_puts(&b, "</dl>");
	html_fmt(&b, "<section aria-labelledby=\"what\"><h2 id=\"what\">%s</h2><p>%s</p>",
	         PT_T(c, "Những gì sẽ được nộp", "What will be submitted"),
	         PT_T(c, "Tờ khai điền sẵn từ cơ sở dữ liệu quốc gia về dân cư:",
	              "The form, filled in from the national population database:"));
	pt_form_values(c, &b, json_object_get(o, "form"), schema);
	json_t *comps = json_object_get(o, "components");
	components(c, &b, comps);
	mc_buf_puts(&b, "</section>");
	if (!strcmp(st, "open"))
		decide_forms(c, &b, o, schema, values, errors);
	pt_foot(c, &b);
	pt_reply(c, status, &b);
	json_decref(o);
	json_decref(proc);
	json_decref(ag.out);
}

void pt_h_offer(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!citizen_page(&c))
		return;
	offer_page(&c, 200, req->params[0], NULL, NULL);
}

/* Sets "a.b" = v in obj (at most three levels). */
static void set_path(json_t *obj, const char *path, const char *v)
{
	char buf[201];
	snprintf(buf, sizeof buf, "%s", path);
	char *save = NULL;
	char *seg = strtok_r(buf, ".", &save);
	int depth = 0;
	while (seg && depth++ < 4) {
		char *next = strtok_r(NULL, ".", &save);
		if (!next) {
			json_object_set_new(obj, seg, json_string(v));
			return;
		}
		json_t *child = json_object_get(obj, seg);
		if (!json_is_object(child)) {
			child = json_object();
			json_object_set_new(obj, seg, child);
		}
		obj = child;
		seg = next;
	}
}

void pt_h_offer_post(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!citizen_page(&c) || !pt_post(&c))
		return;
	const char *id = req->params[0];
	const char *go = pt_field(&c, "go");
	mc_diag d = {0};
	if (go && !strcmp(go, "decline")) {
		json_t *out = NULL;
		mc_err e = proactive_offer_decline(req->app->db, &c.who, id, &out, &d);
		json_decref(out);
		mc_diag_clear(&d);
		if (e == MC_OK)
			pt_redirect(&c, "/de-xuat?ok=decline");
		else
			offer_page(&c, http_status_of(e), id, NULL, NULL);
		return;
	}
	/* accept: the fields typed in ("f:<path>") complete the form */
	json_t *form = json_object(), *values = json_object(), *dossier = NULL;
	for (int i = 0; i < c.form.n; i++) {
		const char *n = c.form.name[i], *v = c.form.value[i];
		if (strncmp(n, "f:", 2) != 0 || strlen(n) > 120 || !v || !*v)
			continue;
		set_path(form, n + 2, v);
		json_object_set_new(values, n + 2, json_string(v));
	}
	mc_err e = proactive_offer_accept(req->app, &c.who, id, form, &dossier, &d);
	const char *code = json_string_value(json_object_get(dossier, "code"));
	if (e == MC_OK && code) {
		pt_redirect(&c, mc_arena_printf(req->arena, "/ho-so/%s?ok=submit", code));
	} else if (e == MC_ERR_CONFLICT && json_is_string(json_object_get(d.ext, "dossier"))) {
		/* a second click: the dossier of the first one */
		pt_redirect(&c,
		            mc_arena_printf(req->arena, "/ho-so/%s",
		                            json_string_value(json_object_get(d.ext, "dossier"))));
	} else {
		json_t *errors = json_array();
		json_t *list = json_object_get(d.ext, "errors");
		if (json_is_array(list) && json_array_size(list))
			json_array_extend(errors, list);
		else
			mc_errors_add(errors, "$", d.detail[0] ? d.detail : "not submitted",
			              d.detail_vi[0] ? d.detail_vi : d.detail);
		offer_page(&c, http_status_of(e), id, values, errors);
		json_decref(errors);
	}
	mc_diag_clear(&d);
	json_decref(form);
	json_decref(values);
	json_decref(dossier);
}
