/* portal_opendata.c - the open-data catalog pages: /du-lieu-mo (search and
 * paging over the published datasets) and /du-lieu-mo/{name} (one dataset:
 * title and description in the page language, publisher, licence, themes,
 * coverage, update frequency, resources with their formats, sizes, versions
 * and download links, links to the DCAT-AP representations). Read-only,
 * server-rendered, no JavaScript; everything through opendata.h. */
#include "opendata/opendata.h"
#include "portal/portal_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OD_PAGE 20          /* datasets per page */
#define OD_MAX_PAGE 100     /* deepest page reachable by number */
#define OD_QUERY_MAX 200    /* bytes of the search text */
#define OD_VERSIONS_SHOWN 5 /* versions listed per resource */

/* The search text as plain words: characters of the CKAN query syntax
 * (field:value, quotes, ranges, wildcards) become spaces, so whatever a
 * visitor types is a free-text search and never a syntax error. */
static char *plain_words(mc_arena *a, const char *q)
{
	char *s = mc_arena_strndup(a, q, strlen(q) > OD_QUERY_MAX ? OD_QUERY_MAX : strlen(q));
	for (char *p = s; *p; p++)
		if (strchr(":\"[](){}*?\\^~!+-&|/", *p))
			*p = ' ';
	return s;
}

static const char *frequency_name(pt_ctx *c, const char *code)
{
	static const struct {
		const char *code, *vi;
	} vi[] = {
	    {"DAILY", "Hằng ngày"},        {"WEEKLY", "Hằng tuần"},
	    {"MONTHLY", "Hằng tháng"},     {"QUARTERLY", "Hằng quý"},
	    {"ANNUAL", "Hằng năm"},        {"IRREG", "Không định kỳ"},
	    {"CONT", "Liên tục"},          {"NEVER", "Không cập nhật"},
	    {"UNKNOWN", "Không xác định"}, {"BIENNIAL", "Hai năm một lần"},
	};
	if (!code)
		return PT_T(c, "Không xác định", "Unknown");
	if (!c->en)
		for (size_t i = 0; i < sizeof vi / sizeof vi[0]; i++)
			if (!strcmp(vi[i].code, code))
				return vi[i].vi;
	const char *en = od_frequency_label(code);
	return en ? en : code;
}

static const char *theme_name(pt_ctx *c, const char *code)
{
	const od_theme *t = od_theme_find(code);
	if (!t)
		return code ? code : "";
	return c->en ? t->en : t->vi;
}

/* "12,3 KB" / "12.3 KB" for a byte count. */
static const char *size_text(pt_ctx *c, json_int_t n)
{
	if (n < 0)
		return "";
	if (n < 1024)
		return mc_arena_printf(c->req->arena, "%lld B", (long long)n);
	double v = (double)n / 1024.0;
	const char *unit = "KB";
	if (v >= 1024.0) {
		v /= 1024.0;
		unit = "MB";
	}
	if (v >= 1024.0) {
		v /= 1024.0;
		unit = "GB";
	}
	char *s = mc_arena_printf(c->req->arena, "%.1f %s", v, unit);
	if (!c->en) {
		char *dot = strchr(s, '.');
		if (dot)
			*dot = ',';
	}
	return s;
}

static void theme_list(pt_ctx *c, mc_buf *b, json_t *themes)
{
	size_t i;
	json_t *t;
	json_array_foreach(themes, i, t)
	{
		if (i)
			mc_buf_puts(b, ", ");
		html_text(b, theme_name(c, json_string_value(t)));
	}
}

static void format_list(mc_buf *b, json_t *resources)
{
	const char *seen[OD_LIST_MAX];
	size_t n = 0, i;
	json_t *r;
	json_array_foreach(resources, i, r)
	{
		const char *f = json_string_value(json_object_get(r, "format"));
		if (!f)
			continue;
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup = dup || !strcmp(seen[k], f);
		if (dup || n >= OD_LIST_MAX)
			continue;
		if (n)
			mc_buf_puts(b, ", ");
		seen[n++] = f;
		html_text(b, f);
	}
}

static void od_search_form(pt_ctx *c, mc_buf *b, const char *q)
{
	html_fmt(b,
	         "<form class=\"search\" method=\"get\" action=\"/du-lieu-mo\" role=\"search\">"
	         "<label for=\"q\" class=\"sr\">%s</label>"
	         "<input type=\"search\" id=\"q\" name=\"q\" value=\"%s\" maxlength=\"200\" "
	         "placeholder=\"%s\"><button type=\"submit\">%s</button></form>",
	         PT_T(c, "Tìm bộ dữ liệu", "Search datasets"), q ? q : "",
	         PT_T(c, "ví dụ: thủ tục, hồ sơ, chỉ số 766", "e.g. procedures, dossiers, 766"),
	         PT_T(c, "Tìm", "Search"));
}

static void dcat_links(pt_ctx *c, mc_buf *b, const char *name)
{
	html_fmt(b, "<h2>%s</h2><ul>", PT_T(c, "Siêu dữ liệu DCAT-AP", "DCAT-AP metadata"));
	if (name) {
		html_fmt(b,
		         "<li><a href=\"/api/v1/opendata/datasets/%U/dcat.ttl\" "
		         "type=\"text/turtle\">Turtle</a></li>"
		         "<li><a href=\"/api/v1/opendata/datasets/%U/dcat.jsonld\" "
		         "type=\"application/ld+json\">JSON-LD</a></li>"
		         "<li><a href=\"/api/v1/opendata/datasets/%U\" "
		         "type=\"application/json\">JSON (API)</a></li>",
		         name, name, name);
	}
	html_fmt(b,
	         "<li><a href=\"/catalog.ttl\" type=\"text/turtle\">%s (Turtle)</a></li>"
	         "<li><a href=\"/catalog.jsonld\" type=\"application/ld+json\">%s "
	         "(JSON-LD)</a></li>"
	         "<li><a href=\"/api/3/action/package_search\">CKAN Action API</a></li></ul>",
	         PT_T(c, "Toàn bộ danh mục", "The whole catalog"),
	         PT_T(c, "Toàn bộ danh mục", "The whole catalog"));
}

void pt_h_opendata(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	const char *q = http_query(req, "q");
	const char *page_s = http_query(req, "page");
	if (q && strlen(q) > OD_QUERY_MAX)
		q = mc_arena_strndup(req->arena, q, OD_QUERY_MAX);
	if (q && !*q)
		q = NULL;
	int page = page_s ? atoi(page_s) : 1;
	if (page < 1 || page > OD_MAX_PAGE)
		page = 1;
	const char *words = q ? plain_words(req->arena, q) : NULL;
	od_query oq = {.q = words,
	               .sort = words ? NULL : "title_string asc",
	               .rows = OD_PAGE,
	               .start = (page - 1) * OD_PAGE};
	json_t *result = NULL;
	mc_diag d = {0};
	mc_err e = opendata_search(req->app->db, &oq, &result, &d);
	mc_diag_clear(&d);
	mc_buf b = {0};
	pt_head(&c, &b, PT_T(&c, "Dữ liệu mở", "Open data"));
	html_fmt(&b, "<h1>%s</h1><p>%s</p>", PT_T(&c, "Dữ liệu mở", "Open data"),
	         PT_T(&c,
	              "Bộ dữ liệu do các cơ quan công bố theo giấy phép mở, tải về tự do. Siêu dữ "
	              "liệu theo DCAT-AP, dùng được với CKAN.",
	              "Datasets the agencies publish under open licences, free to download. "
	              "Metadata follows DCAT-AP and works with CKAN clients."));
	od_search_form(&c, &b, q);
	long count = e == MC_OK ? (long)json_integer_value(json_object_get(result, "count")) : 0;
	json_t *items = json_object_get(result, "results");
	if (e != MC_OK) {
		html_fmt(&b, "<p class=\"error\">%s</p>",
		         PT_T(&c, "Không tìm được, hãy thử lại.", "The search failed; try again."));
	} else if (json_array_size(items) == 0) {
		html_fmt(&b, "<p>%s</p>",
		         PT_T(&c, "Không có bộ dữ liệu nào khớp.", "No dataset matches."));
	} else {
		html_fmt(
		    &b, "<h2>%s</h2><p class=\"meta\" role=\"status\">%D %s</p><ol class=\"list\">",
		    PT_T(&c, "Bộ dữ liệu", "Datasets"), (int64_t)count,
		    PT_T(&c, "bộ dữ liệu", count == 1 ? "dataset" : "datasets"));
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *name = json_string_value(json_object_get(it, "name"));
			html_fmt(&b,
			         "<li><a href=\"/du-lieu-mo/%U\">%s</a><div>%s</div>"
			         "<div class=\"meta\">%s · ",
			         name, pt_i18n(&c, json_object_get(it, "title")),
			         pt_i18n(&c, json_object_get(it, "description")),
			         json_string_value(json_object_get(it, "agency")));
			theme_list(&c, &b, json_object_get(it, "themes"));
			mc_buf_puts(&b, " · ");
			format_list(&b, json_object_get(it, "resources"));
			html_fmt(&b, " · %s %s</div></li>", PT_T(&c, "cập nhật", "updated"),
			         pt_date(&c, json_string_value(json_object_get(it, "modified"))));
		}
		html_fmt(&b, "</ol><nav class=\"pager\" aria-label=\"%s\">",
		         PT_T(&c, "Các trang", "Pages"));
		if (page > 1) {
			html_fmt(&b, "<a href=\"/du-lieu-mo?page=%d", page - 1);
			if (q)
				html_fmt(&b, "&amp;q=%U", q);
			html_fmt(&b, "\">%s</a>", PT_T(&c, "Trang trước", "Previous page"));
		}
		if ((long)page * OD_PAGE < count && page < OD_MAX_PAGE) {
			html_fmt(&b, "<a href=\"/du-lieu-mo?page=%d", page + 1);
			if (q)
				html_fmt(&b, "&amp;q=%U", q);
			html_fmt(&b, "\">%s</a>", PT_T(&c, "Trang sau", "Next page"));
		}
		mc_buf_puts(&b, "</nav>");
	}
	dcat_links(&c, &b, NULL);
	json_decref(result);
	pt_foot(&c, &b);
	pt_reply(&c, e == MC_OK ? 200 : http_status_of(e), &b);
}

/* ---- one dataset ---- */

typedef struct ds_ctx {
	const char *name;
	json_t *ds;       /* the dataset */
	json_t *versions; /* resource id -> versions */
} ds_ctx;

static mc_err ds_read(store_conn *conn, void *vctx, mc_diag *d)
{
	ds_ctx *x = vctx;
	mc_err e = opendata_dataset_get(conn, x->name, &x->ds, d);
	if (e)
		return e;
	x->versions = json_object();
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(x->ds, "resources"), i, r)
	{
		const char *id = json_string_value(json_object_get(r, "id"));
		json_t *full = NULL;
		if (!id || opendata_resource_get(conn, id, true, &full, d) != MC_OK)
			continue;
		json_object_set(x->versions, id, json_object_get(full, "versions"));
		json_decref(full);
	}
	return MC_OK;
}

static void resource_box(pt_ctx *c, mc_buf *b, json_t *r, json_t *versions)
{
	const char *id = json_string_value(json_object_get(r, "id"));
	const char *name = json_string_value(json_object_get(r, "name"));
	const char *format = json_string_value(json_object_get(r, "format"));
	json_int_t version = json_integer_value(json_object_get(r, "version"));
	html_fmt(b, "<li><h3>%s</h3>", name);
	const char *desc = pt_i18n(c, json_object_get(r, "description"));
	if (desc && *desc)
		html_fmt(b, "<p>%s</p>", desc);
	html_fmt(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd>", PT_T(c, "Định dạng", "Format"),
	         format);
	if (version <= 0) {
		html_fmt(b, "</dl><p class=\"meta\">%s</p></li>",
		         PT_T(c, "Chưa có nội dung để tải về.", "No content to download yet."));
		return;
	}
	html_fmt(b, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%D</dd>", PT_T(c, "Dung lượng", "Size"),
	         size_text(c, json_integer_value(json_object_get(r, "size"))),
	         PT_T(c, "Phiên bản", "Version"), (int64_t)version);
	json_t *rows = json_object_get(r, "rows");
	if (json_is_integer(rows))
		html_fmt(b, "<dt>%s</dt><dd>%D</dd>", PT_T(c, "Số dòng", "Rows"),
		         (int64_t)json_integer_value(rows));
	html_fmt(b, "<dt>%s</dt><dd>%s</dd></dl>", PT_T(c, "Cập nhật", "Updated"),
	         pt_datetime(c, json_string_value(json_object_get(r, "modified"))));
	html_fmt(b,
	         "<p><a class=\"button\" href=\"/api/v1/opendata/resources/%U/download\" "
	         "download>%s %s<span class=\"sr\"> %s</span></a></p>",
	         id, PT_T(c, "Tải về", "Download"), format, name);
	if (json_array_size(versions) > 1) {
		html_fmt(
		    b,
		    "<div class=\"scroll\" tabindex=\"0\"><table><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>",
		    PT_T(c, "Các phiên bản", "Versions"), PT_T(c, "Phiên bản", "Version"),
		    PT_T(c, "Ngày", "Date"), PT_T(c, "Dung lượng", "Size"),
		    PT_T(c, "Tải về", "Download"));
		size_t i;
		json_t *v;
		json_array_foreach(versions, i, v)
		{
			if (i >= OD_VERSIONS_SHOWN)
				break;
			json_int_t n = json_integer_value(json_object_get(v, "version"));
			html_fmt(
			    b,
			    "<tr><th scope=\"row\">%D</th><td>%s</td><td>%s</td><td><a "
			    "href=\"/api/v1/opendata/resources/%U/download?version=%D\">%s %D</a>"
			    "</td></tr>",
			    (int64_t)n,
			    pt_datetime(c, json_string_value(json_object_get(v, "created"))),
			    size_text(c, json_integer_value(json_object_get(v, "size"))), id,
			    (int64_t)n, PT_T(c, "phiên bản", "version"), (int64_t)n);
		}
		mc_buf_puts(b, "</tbody></table></div>");
	}
	mc_buf_puts(b, "</li>");
}

void pt_h_dataset(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	ds_ctx x = {.name = req->params[0]};
	mc_diag d = {0};
	mc_err e =
	    od_name_ok(x.name) ? store_read(req->app->db, ds_read, &x, &d) : MC_ERR_NOT_FOUND;
	mc_diag_clear(&d);
	if (e == MC_ERR_NOT_FOUND) {
		json_decref(x.ds);
		json_decref(x.versions);
		pt_message(&c, 404, PT_T(&c, "Không tìm thấy bộ dữ liệu", "No such dataset"),
		           PT_T(&c, "Không có bộ dữ liệu mở nào có tên này.",
		                "No open dataset has this name."));
		return;
	}
	if (e != MC_OK) {
		json_decref(x.ds);
		json_decref(x.versions);
		pt_message(&c, 500, PT_T(&c, "Lỗi hệ thống", "System error"),
		           PT_T(&c, "Hãy thử lại sau.", "Try again later."));
		return;
	}
	json_t *ds = x.ds;
	const char *name = json_string_value(json_object_get(ds, "name"));
	const char *title = pt_i18n(&c, json_object_get(ds, "title"));
	mc_buf b = {0};
	pt_head(&c, &b, title);
	html_fmt(&b, "<p class=\"meta\"><a href=\"/du-lieu-mo\">%s</a> › %s</p><h1>%s</h1>",
	         PT_T(&c, "Dữ liệu mở", "Open data"), name, title);
	const char *desc = pt_i18n(&c, json_object_get(ds, "description"));
	if (desc && *desc)
		html_fmt(&b, "<p>%s</p>", desc);
	html_fmt(&b, "<dl class=\"facts\"><dt>%s</dt><dd>%s",
	         PT_T(&c, "Cơ quan công bố", "Publisher"),
	         json_string_value(json_object_get(ds, "agency")));
	json_t *contact = json_object_get(ds, "contact");
	const char *cname = json_string_value(json_object_get(contact, "name"));
	const char *cmail = json_string_value(json_object_get(contact, "email"));
	if (cname && *cname)
		html_fmt(&b, " · %s", cname);
	if (cmail && *cmail)
		html_fmt(&b, " · <a href=\"mailto:%s\">%s</a>", cmail, cmail);
	const char *lic = json_string_value(json_object_get(ds, "license"));
	const od_license *l = od_license_find(lic);
	html_fmt(&b, "</dd><dt>%s</dt><dd>", PT_T(&c, "Giấy phép", "Licence"));
	if (l)
		html_fmt(&b, "<a href=\"%s\" rel=\"license\">%s</a>", l->url, l->title);
	else
		html_text(&b, lic);
	html_fmt(&b, "</dd><dt>%s</dt><dd>", PT_T(&c, "Chủ đề", "Themes"));
	theme_list(&c, &b, json_object_get(ds, "themes"));
	html_fmt(&b, "</dd><dt>%s</dt><dd>", PT_T(&c, "Phạm vi địa lý", "Spatial coverage"));
	json_t *spatial = json_object_get(ds, "spatial");
	if (json_array_size(spatial) == 0)
		mc_buf_puts(&b, PT_T(&c, "Toàn quốc", "Whole country"));
	size_t i;
	json_t *v;
	json_array_foreach(spatial, i, v)
	{
		if (i)
			mc_buf_puts(&b, ", ");
		html_text(&b, json_string_value(v));
	}
	html_fmt(&b, "</dd><dt>%s</dt><dd>", PT_T(&c, "Thời gian", "Temporal coverage"));
	json_t *tmp = json_object_get(ds, "temporal");
	if (json_is_object(tmp))
		html_fmt(&b, "%s – %s",
		         pt_date(&c, json_string_value(json_object_get(tmp, "start"))),
		         pt_date(&c, json_string_value(json_object_get(tmp, "end"))));
	else
		mc_buf_puts(&b, PT_T(&c, "Không giới hạn", "Not limited"));
	html_fmt(&b, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
	         PT_T(&c, "Tần suất cập nhật", "Update frequency"),
	         frequency_name(&c, json_string_value(json_object_get(ds, "frequency"))),
	         PT_T(&c, "Định dạng", "Formats"));
	format_list(&b, json_object_get(ds, "resources"));
	html_fmt(&b, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	         PT_T(&c, "Ngày tạo", "Created"),
	         pt_date(&c, json_string_value(json_object_get(ds, "created"))),
	         PT_T(&c, "Cập nhật", "Updated"),
	         pt_datetime(&c, json_string_value(json_object_get(ds, "modified"))));
	json_t *kw = json_object_get(json_object_get(ds, "keywords"), c.lang);
	if (json_array_size(kw)) {
		html_fmt(&b, "<dt>%s</dt><dd>", PT_T(&c, "Từ khóa", "Keywords"));
		json_array_foreach(kw, i, v)
		{
			if (i)
				mc_buf_puts(&b, ", ");
			html_text(&b, json_string_value(v));
		}
		mc_buf_puts(&b, "</dd>");
	}
	if (json_is_true(json_object_get(ds, "generated")))
		html_fmt(&b, "<dt>%s</dt><dd>%s</dd>", PT_T(&c, "Nguồn", "Source"),
		         PT_T(&c, "Tạo tự động từ dữ liệu vận hành của nền tảng",
		              "Generated automatically from the platform's operational data"));
	mc_buf_puts(&b, "</dl>");
	json_t *res = json_object_get(ds, "resources");
	html_fmt(&b, "<h2>%s</h2>", PT_T(&c, "Tài nguyên", "Resources"));
	if (json_array_size(res) == 0) {
		html_fmt(&b, "<p>%s</p>", PT_T(&c, "Chưa có tài nguyên.", "No resource yet."));
	} else {
		mc_buf_puts(&b, "<ul class=\"list\">");
		json_array_foreach(res, i, v) resource_box(
		    &c, &b, v,
		    json_object_get(x.versions, json_string_value(json_object_get(v, "id"))));
		mc_buf_puts(&b, "</ul>");
	}
	dcat_links(&c, &b, name);
	json_decref(x.ds);
	json_decref(x.versions);
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
}
