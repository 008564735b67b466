/* portal_figures.c - the programme figures of the scoreboard (/so-lieu),
 * each computed live by the module that owns its data, never typed in:
 * procedures offered fully online (catalog), the once-only, digitization
 * and reuse rates (vault), the share of agencies publishing open data
 * (opendata), people and businesses satisfied (satisfaction, through
 * portal_rating.c), the essential services delivered proactively
 * (proactive). Each row says its definition, its period and the target of
 * the programme (DESIGN §1). Plain accessible tables, no chart. */
#include "catalog/catalog.h"
#include "core/date.h"
#include "opendata/opendata.h"
#include "portal/portal_internal.h"
#include "proactive/proactive.h"
#include "territory/territory.h"
#include "vault/vault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERIOD_DAYS 365 /* the rates cover the last twelve months */
#define INDEX_DATASET "motcua-766-index"
#define INDEX_MAX_BYTES (1 << 20) /* the generated index file read at most */
#define INDEX_MAX_ROWS 200        /* provinces shown */
#define INDEX_COLS 24             /* cells of a line read at most */

/* "62,5 %" (vi) or "62.5%" (en) of num/den; "no data" when den is 0. */
static const char *percent(pt_ctx *c, double num, double den)
{
	if (den <= 0)
		return PT_T(c, "chưa có dữ liệu", "no data yet");
	char *s = mc_arena_printf(c->req->arena, c->en ? "%.1f%%" : "%.1f %%", num * 100.0 / den);
	if (!c->en) {
		char *dot = strchr(s, '.');
		if (dot)
			*dot = ',';
	}
	return s;
}

typedef struct figure {
	const char *name, *value, *detail, *definition, *period, *target;
} figure;

static void figure_row(mc_buf *b, const figure *f)
{
	html_fmt(b,
	         "<tr><th scope=\"row\">%s</th><td><strong>%s</strong><br><span "
	         "class=\"meta\">%s</span></td><td>%s</td><td>%s</td><td>%s</td></tr>",
	         f->name, f->value, f->detail, f->definition, f->period, f->target);
}

/* A vault rate {rate, numerator, denominator} as a row. */
static void rate_row(pt_ctx *c, mc_buf *b, json_t *r, figure *f)
{
	json_int_t num = json_integer_value(json_object_get(r, "numerator"));
	json_int_t den = json_integer_value(json_object_get(r, "denominator"));
	f->value =
	    r ? percent(c, (double)num, (double)den) : PT_T(c, "không đọc được", "unavailable");
	f->detail =
	    r ? mc_arena_printf(c->req->arena, "%lld / %lld", (long long)num, (long long)den) : "";
	figure_row(b, f);
}

static const char *level_label(pt_ctx *c, const char *level)
{
	if (!strcmp(level, "ministry"))
		return PT_T(c, "Cấp bộ", "Ministry");
	if (!strcmp(level, "province"))
		return PT_T(c, "Cấp tỉnh", "Province");
	if (!strcmp(level, "commune"))
		return PT_T(c, "Cấp xã", "Commune");
	return PT_T(c, "Khác", "Other");
}

/* ---- the Decision 766 index per province (opendata's generated dataset) ---- */

typedef struct index_ctx {
	const char *resource; /* out: uuid of the CSV resource (arena) */
	const char *modified; /* out: when it was generated (arena) */
	mc_arena *arena;
	json_t *names; /* province code -> name, filled for codes given */
} index_ctx;

static mc_err index_meta_fn(store_conn *conn, void *vctx, mc_diag *d)
{
	index_ctx *x = vctx;
	json_t *ds = NULL;
	mc_err e = opendata_dataset_get(conn, INDEX_DATASET, &ds, d);
	if (e)
		return e;
	json_t *r = json_array_get(json_object_get(ds, "resources"), 0);
	const char *id = json_string_value(json_object_get(r, "id"));
	const char *mod = json_string_value(json_object_get(r, "modified"));
	x->resource = id ? mc_arena_strndup(x->arena, id, strlen(id)) : NULL;
	x->modified = mod ? mc_arena_strndup(x->arena, mod, strlen(mod)) : NULL;
	json_decref(ds);
	return MC_OK;
}

static mc_err index_names_fn(store_conn *conn, void *vctx, mc_diag *d)
{
	index_ctx *x = vctx;
	const char *code;
	json_t *v;
	json_object_foreach(x->names, code, v)
	{
		json_t *u = NULL;
		if (territory_unit_get(conn, code, false, &u, d) == MC_OK)
			json_object_set(x->names, code, json_object_get(u, "name"));
		json_decref(u);
		mc_diag_clear(d);
	}
	return MC_OK;
}

/* Splits one CSV line of the generated index (no quoted cells) in place;
 * returns the number of cells (at most INDEX_COLS). */
static int split_line(char *line, char **cols)
{
	int n = 0;
	cols[n++] = line;
	for (char *p = line; *p && n < INDEX_COLS; p++)
		if (*p == ',') {
			*p = 0;
			cols[n++] = p + 1;
		}
	return n;
}

static const char *cell(pt_ctx *c, const char *s, bool rate)
{
	if (!s || !*s)
		return "—";
	if (rate)
		return percent(c, strtod(s, NULL), 1.0);
	if (c->en)
		return s;
	char *t = mc_arena_strndup(c->req->arena, s, strlen(s));
	char *dot = strchr(t, '.');
	if (dot)
		*dot = ',';
	return t;
}

static void index_766(pt_ctx *c, mc_buf *b)
{
	mc_app *app = c->req->app;
	index_ctx x = {.arena = c->req->arena};
	mc_diag d = {0};
	char *csv = NULL;
	size_t len = 0;
	html_fmt(b, "<h2 id=\"chi-so-766\">%s</h2><p>%s <a href=\"/du-lieu-mo/%U\">%s</a></p>",
	         PT_T(c, "Chỉ số 766 theo tỉnh", "Decision 766 index per province"),
	         PT_T(c,
	              "Phần đo được của chỉ số theo Quyết định 766/QĐ-TTg (tiến độ giải quyết 20 "
	              "điểm, dịch vụ trực tuyến 12 điểm, số hóa hồ sơ 22 điểm, mức độ hài lòng 18 "
	              "điểm), quy về thang 0–100 trên số điểm đo được; số ít hơn ngưỡng công bố "
	              "để trống. Chỉ số theo cơ quan có trong cùng bộ dữ liệu. Nguồn:",
	              "The measured part of the Decision 766/QD-TTg index (progress of settlement "
	              "20 points, online services 12 points, digitization 22 points, satisfaction "
	              "18 points), scaled to 0-100 over the points measured; counts under the "
	              "publication threshold are left empty. The index per agency is in the same "
	              "dataset. Source:"),
	         INDEX_DATASET, PT_T(c, "bộ dữ liệu mở", "the open dataset"));
	mc_err e = store_read(app->db, index_meta_fn, &x, &d);
	mc_diag_clear(&d);
	if (!e && !x.resource)
		e = MC_ERR_NOT_FOUND;
	if (!e)
		e = opendata_content_read(app, x.resource, INDEX_MAX_BYTES, &csv, &len, &d);
	mc_diag_clear(&d);
	if (e) {
		html_fmt(b, "<p>%s</p>",
		         PT_T(c, "Chỉ số chưa được tạo.", "The index has not been generated yet."));
		return;
	}
	/* the columns shown, found by header name (new columns may appear) */
	static const struct {
		const char *name, *vi, *en;
		bool rate;
	} show[] = {
	    {"dossiers", "Hồ sơ", "Dossiers", false},
	    {"on_time_rate", "Đúng hạn", "On time", true},
	    {"progress_points", "Điểm tiến độ", "Progress points", false},
	    {"online_rate", "Nộp trực tuyến", "Submitted online", true},
	    {"online_points", "Điểm trực tuyến", "Online points", false},
	    {"digitized_rate", "Hồ sơ số hóa", "Dossiers digitized", true},
	    {"digitization_points", "Điểm số hóa", "Digitization points", false},
	    {"satisfied_share", "Hài lòng", "Satisfied", true},
	    {"satisfaction_points", "Điểm hài lòng", "Satisfaction points", false},
	    {"index", "Chỉ số (0–100)", "Index (0-100)", false},
	};
	enum { NSHOW = sizeof show / sizeof show[0] };
	int at[NSHOW];
	char *save = NULL;
	char *hcols[INDEX_COLS] = {0};
	char *line = strtok_r(csv, "\n", &save); /* the header */
	int ncols = line ? split_line(line, hcols) : 0;
	int nshown = 0;
	for (int k = 0; k < NSHOW; k++) {
		at[k] = -1;
		for (int i = 2; i < ncols; i++)
			if (strcmp(hcols[i], show[k].name) == 0)
				at[k] = i;
		nshown += at[k] >= 0;
	}
	/* rows of the latest month */
	char *rows[INDEX_MAX_ROWS][INDEX_COLS];
	int nrows = 0;
	const char *month = NULL;
	x.names = json_object();
	while (ncols > 2 && (line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *cols[INDEX_COLS] = {0};
		if (split_line(line, cols) != ncols)
			continue;
		if (!month || strcmp(cols[0], month) > 0) {
			month = cols[0];
			nrows = 0;
			json_object_clear(x.names);
		}
		if (strcmp(cols[0], month) != 0 || nrows >= INDEX_MAX_ROWS)
			continue;
		memcpy(rows[nrows++], cols, sizeof cols);
		json_object_set_new(x.names, cols[1], json_null());
	}
	if (!nrows || !nshown) {
		html_fmt(
		    b, "<p>%s</p>",
		    PT_T(c, "Chưa có hồ sơ để tính chỉ số.", "No dossier to compute it from yet."));
		goto out;
	}
	store_read(app->db, index_names_fn, &x, &d);
	mc_diag_clear(&d);
	html_fmt(b,
	         "<div class=\"scroll\" tabindex=\"0\"><table class=\"wide\"><caption>%s "
	         "%s</caption><thead><tr><th scope=\"col\">%s</th>",
	         PT_T(c, "Chỉ số 766 theo tỉnh, tháng", "Decision 766 index per province, month"),
	         month, PT_T(c, "Tỉnh", "Province"));
	for (int k = 0; k < NSHOW; k++)
		if (at[k] >= 0)
			html_fmt(b, "<th scope=\"col\">%s</th>", PT_T(c, show[k].vi, show[k].en));
	html_fmt(b, "</tr></thead><tbody>");
	for (int i = 0; i < nrows; i++) {
		char **r = rows[i];
		const char *nm = json_string_value(json_object_get(x.names, r[1]));
		html_fmt(b, "<tr><th scope=\"row\">%s <span class=\"meta\">%s</span></th>",
		         nm ? nm : "", r[1]);
		for (int k = 0; k < NSHOW; k++) {
			if (at[k] < 0)
				continue;
			bool last = strcmp(show[k].name, "index") == 0;
			html_fmt(b, last ? "<td><strong>%s</strong></td>" : "<td>%s</td>",
			         cell(c, r[at[k]], show[k].rate));
		}
		html_fmt(b, "</tr>");
	}
	html_fmt(b, "</tbody></table></div><p class=\"meta\">%s %s</p>",
	         PT_T(c, "Tính lúc", "Computed at"), pt_datetime(c, x.modified));
out:
	json_decref(x.names);
	free(csv);
}

void pt_programme_figures(pt_ctx *c, mc_buf *b)
{
	mc_app *app = c->req->app;
	char from[16], to[16], end[16], from_ts[32], to_ts[32];
	mc_day today = date_local_of(ts_now());
	date_format(today - PERIOD_DAYS + 1, from);
	date_format(today + 1, to); /* exclusive */
	date_format(today, end);
	snprintf(from_ts, sizeof from_ts, "%sT00:00:00Z", from);
	snprintf(to_ts, sizeof to_ts, "%sT00:00:00Z", to);
	const char *period =
	    mc_arena_printf(c->req->arena, "%s – %s", pt_date(c, from), pt_date(c, end));

	json_t *online = NULL, *rates = NULL, *od = NULL;
	mc_diag d = {0};
	if (catalog_online_counts(app->db, &online, &d) != MC_OK)
		online = NULL;
	mc_diag_clear(&d);
	if (vault_rates(app->db, from_ts, to_ts, &rates, &d) != MC_OK)
		rates = NULL;
	mc_diag_clear(&d);
	if (opendata_figure(app->db, from, to, &od, &d) != MC_OK)
		od = NULL;
	mc_diag_clear(&d);
	json_t *pro = NULL;
	if (proactive_figure(app->db, from_ts, to_ts, &pro, &d) != MC_OK)
		pro = NULL;
	mc_diag_clear(&d);

	html_fmt(b,
	         "<h2 id=\"chi-tieu\">%s</h2><p>%s</p><div class=\"scroll\" tabindex=\"0\">"
	         "<table class=\"figures-table\"><caption>%s</caption><thead><tr>"
	         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	         PT_T(c, "Chỉ tiêu Chính phủ số", "Digital-government targets"),
	         PT_T(c,
	              "Mỗi chỉ tiêu được tính trực tiếp từ dữ liệu của nền tảng mỗi khi trang "
	              "được mở, không nhập tay.",
	              "Each figure is computed from the platform's own data every time this page "
	              "opens, never typed in."),
	         PT_T(c, "Chỉ tiêu của chương trình phát triển Chính phủ số đến năm 2030",
	              "Targets of the programme for digital government to 2030"),
	         PT_T(c, "Chỉ tiêu", "Figure"), PT_T(c, "Giá trị", "Value"),
	         PT_T(c, "Cách tính", "Definition"), PT_T(c, "Kỳ", "Period"),
	         PT_T(c, "Mục tiêu", "Target"));

	figure f = {0};
	json_int_t total = json_integer_value(json_object_get(online, "total"));
	json_int_t full = json_integer_value(json_object_get(online, "full"));
	f.name =
	    PT_T(c, "Thủ tục cung cấp trực tuyến toàn trình", "Procedures offered fully online");
	f.value = online ? percent(c, (double)full, (double)total)
	                 : PT_T(c, "không đọc được", "unavailable");
	f.detail = online ? mc_arena_printf(c->req->arena, "%lld / %lld", (long long)full,
	                                    (long long)total)
	                  : "";
	f.definition = PT_T(c,
	                    "Số thủ tục có kênh trực tuyến toàn trình chia cho tổng số thủ tục "
	                    "trong danh mục.",
	                    "Procedures with a full-online channel divided by all procedures of "
	                    "the catalog.");
	f.period = PT_T(c, "Danh mục hiện hành", "The catalog as it is now");
	f.target =
	    PT_T(c, "100 % thủ tục đủ điều kiện, năm 2027", "100% of eligible procedures by 2027");
	figure_row(b, &f);

	f.name = PT_T(c, "Giấy tờ chỉ cung cấp một lần", "Documents given only once");
	f.definition = PT_T(c,
	                    "Thành phần hồ sơ bắt buộc được đáp ứng từ kho dữ liệu hoặc cơ sở dữ "
	                    "liệu (không phải tải lên lại) chia cho thành phần được đáp ứng bằng "
	                    "kho, cơ sở dữ liệu hoặc tải lên, của hồ sơ nộp trong kỳ.",
	                    "Required dossier components satisfied from the vault or a registry "
	                    "instead of a fresh upload, divided by those satisfied by the vault, "
	                    "a registry or an upload, for dossiers submitted in the period.");
	f.period = period;
	f.target = PT_T(c, "100 %, năm 2027", "100% by 2027");
	rate_row(c, b, rates ? json_object_get(rates, "once_only") : NULL, &f);

	json_int_t agencies = json_integer_value(json_object_get(od, "agencies"));
	json_int_t publishing = json_integer_value(json_object_get(od, "publishing"));
	f.name = PT_T(c, "Cơ quan công bố dữ liệu mở", "Agencies publishing open data");
	f.value = od ? percent(c, (double)publishing, (double)agencies)
	             : PT_T(c, "không đọc được", "unavailable");
	f.detail = od ? mc_arena_printf(c->req->arena, "%lld / %lld", (long long)publishing,
	                                (long long)agencies)
	              : "";
	f.definition = PT_T(c,
	                    "Cơ quan có ít nhất một bộ dữ liệu DCAT-AP được công bố hoặc cập nhật "
	                    "trong kỳ, chia cho tổng số cơ quan.",
	                    "Agencies with at least one DCAT-AP dataset published or updated in "
	                    "the period, divided by all agencies.");
	f.period = period;
	f.target = PT_T(c, "100 % cơ quan, năm 2030", "100% of agencies by 2030");
	figure_row(b, &f);
	pt_satisfaction_figure(c, b, from_ts, to_ts, period);

	f.name = PT_T(c, "Hồ sơ và kết quả được số hóa", "Dossiers and results digitized");
	f.definition = PT_T(c,
	                    "Hồ sơ giải quyết xong trong kỳ có mọi thành phần bắt buộc và kết quả "
	                    "lưu điện tử, chia cho hồ sơ giải quyết xong trong kỳ.",
	                    "Dossiers finished in the period whose required components and result "
	                    "are all stored electronically, divided by dossiers finished in the "
	                    "period.");
	f.period = period;
	f.target = PT_T(c, "100 %, năm 2030", "100% by 2030");
	rate_row(c, b, rates ? json_object_get(rates, "digitization") : NULL, &f);

	f.name = PT_T(c, "Dữ liệu số hóa được tái sử dụng", "Digitized data reused");
	f.definition = PT_T(c,
	                    "Mục trong kho dữ liệu tạo ra trong kỳ và sau đó được dùng lại cho một "
	                    "hồ sơ khác, chia cho mục tạo ra trong kỳ.",
	                    "Vault items created in the period and later used by another dossier, "
	                    "divided by items created in the period.");
	f.period = period;
	f.target = PT_T(c, "80 %, năm 2030", "80% by 2030");
	rate_row(c, b, rates ? json_object_get(rates, "reuse") : NULL, &f);

	json_int_t from_offer = json_integer_value(json_object_get(pro, "from_offer"));
	json_int_t essential = json_integer_value(json_object_get(pro, "essential"));
	f.name = PT_T(c, "Dịch vụ thiết yếu cung cấp chủ động",
	              "Essential services delivered proactively");
	f.value = pro ? percent(c, (double)from_offer, (double)essential)
	              : PT_T(c, "không đọc được", "unavailable");
	f.detail = pro ? mc_arena_printf(c->req->arena, "%lld / %lld", (long long)from_offer,
	                                 (long long)essential)
	               : "";
	f.definition = PT_T(c,
	                    "Hồ sơ của 25 dịch vụ công thiết yếu nộp trong kỳ bắt đầu từ một đề "
	                    "xuất chủ động (sự kiện trong cuộc sống), chia cho mọi hồ sơ của các "
	                    "dịch vụ đó nộp trong kỳ.",
	                    "Dossiers of the 25 essential public services submitted in the period "
	                    "that started from a proactive offer (a life event), divided by all "
	                    "dossiers of those services submitted in the period.");
	f.period = period;
	f.target = PT_T(c, "50 % năm 2030", "50% by 2030");
	figure_row(b, &f);
	mc_buf_puts(b, "</tbody></table></div>");

	if (online) {
		html_fmt(
		    b,
		    "<h2>%s</h2><div class=\"scroll\" tabindex=\"0\"><table><caption>%s"
		    "</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>",
		    PT_T(c, "Thủ tục trực tuyến theo cấp", "Online procedures by level"),
		    PT_T(c, "Số thủ tục theo cấp thực hiện và mức độ trực tuyến",
		         "Procedures by level and online service"),
		    PT_T(c, "Cấp", "Level"), PT_T(c, "Tổng số", "Total"),
		    PT_T(c, "Toàn trình", "Full online"), PT_T(c, "Một phần", "Partly online"),
		    PT_T(c, "Chưa trực tuyến", "Not online"),
		    PT_T(c, "Tỷ lệ toàn trình", "Share full online"));
		static const char *const lv[] = {"ministry", "province", "commune", "other"};
		for (size_t i = 0; i < 4; i++) {
			json_t *l = json_object_get(json_object_get(online, "by_level"), lv[i]);
			json_int_t t = json_integer_value(json_object_get(l, "total"));
			if (!t)
				continue;
			json_int_t fu = json_integer_value(json_object_get(l, "full"));
			html_fmt(b,
			         "<tr><th scope=\"row\">%s</th><td>%D</td><td>%D</td><td>%D</td>"
			         "<td>%D</td><td>%s</td></tr>",
			         level_label(c, lv[i]), (int64_t)t, (int64_t)fu,
			         (int64_t)json_integer_value(json_object_get(l, "partial")),
			         (int64_t)json_integer_value(json_object_get(l, "none")),
			         percent(c, (double)fu, (double)t));
		}
		mc_buf_puts(b, "</tbody></table></div>");
	}
	index_766(c, b);
	json_decref(online);
	json_decref(rates);
	json_decref(od);
	json_decref(pro);
}
