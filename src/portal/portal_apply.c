/* portal_apply.c - the apply wizard at /nop/{code}: one question per page
 * (the receiving agency, then each group of the procedure's eForm, then
 * the documents to upload), a review page, submission through
 * dossier_submit with an idempotency key (a double click never makes two
 * dossiers), and the receipt (the dossier page with ?ok=submit).
 *
 * The wizard keeps no server state: the answers so far travel in hidden
 * fields (the form as JSON, the uploaded document ids), since every value
 * is validated again by dossier_submit at the end. Uploaded files are
 * stored at once (document_put) and referenced by id. */
#include "auth/auth.h"
#include "catalog/catalog.h"
#include "core/jsonschema.h"
#include "core/text.h"
#include "document/document.h"
#include "dossier/dossier.h"
#include "portal/portal_internal.h"
#include "territory/territory.h"
#include "vault/vault.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATE_MAX 60000 /* bytes of the hidden form JSON */
#define AGENCY_HITS 20

typedef struct wiz {
	pt_ctx *c;
	const char *code;
	json_t *proc;   /* the procedure (current version) */
	json_t *schema; /* its eForm */
	json_t *form;   /* answers so far */
	json_t *docs;   /* {component id: document id} */
	json_t *items;  /* {component id: vault item id} chosen instead of an upload */
	const char *agency;
	const char *idem;
	int step;         /* 0 agency, 1..G groups, G+1 documents, G+2 review */
	int ngroups;      /* top-level properties of the eForm */
	json_t *errors;   /* of the step being shown */
	const char *find; /* agency search text */
} wiz;

static int step_docs(wiz *w)
{
	return w->ngroups + 1;
}

static int step_review(wiz *w)
{
	return w->ngroups + 2;
}

/* The name and schema of group `i` (1-based). */
static const char *group(wiz *w, int i, json_t **schema)
{
	json_t *props = json_object_get(w->schema, "properties");
	int k = 0;
	const char *key;
	json_t *v;
	json_object_foreach(props, key, v)
	{
		if (++k == i) {
			*schema = v;
			return key;
		}
	}
	*schema = NULL;
	return NULL;
}

static bool in_list(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (json_is_string(v) &&
	                                  !strcmp(json_string_value(v), s)) return true;
	return false;
}

static const char *type_of(json_t *s)
{
	json_t *t = json_object_get(s, "type");
	if (json_is_string(t))
		return json_string_value(t);
	size_t i;
	json_t *v;
	json_array_foreach(t, i,
	                   v) if (json_is_string(v) &&
	                          strcmp(json_string_value(v), "null")) return json_string_value(v);
	return "string";
}

/* ---- rendering ---- */

static void hidden_state(wiz *w, mc_buf *b)
{
	char *form = json_dumps(w->form, JSON_COMPACT);
	char *docs = json_dumps(w->docs, JSON_COMPACT);
	char *items = json_dumps(w->items, JSON_COMPACT);
	html_fmt(b, "<input type=\"hidden\" name=\"items\" value=\"%s\">", items);
	free(items);
	html_fmt(b,
	         "<input type=\"hidden\" name=\"form\" value=\"%s\">"
	         "<input type=\"hidden\" name=\"docs\" value=\"%s\">"
	         "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
	         "<input type=\"hidden\" name=\"idem\" value=\"%s\">"
	         "<input type=\"hidden\" name=\"step\" value=\"%d\">",
	         form, docs, w->agency ? w->agency : "", w->idem, w->step);
	free(form);
	free(docs);
	pt_csrf_input(w->c, b);
}

/* Words for the enumerated values the catalog's eForms use; other values
 * are shown as they are. */
static const char *enum_label(pt_ctx *c, const char *v)
{
	static const struct {
		const char *v, *vi, *en;
	} words[] = {
	    {"male", "Nam", "Male"},
	    {"female", "Nữ", "Female"},
	    {"first_issue", "Cấp lần đầu", "First issue"},
	    {"renewal", "Cấp lại, gia hạn", "Renewal"},
	    {"lost_or_damaged", "Bị mất hoặc hư hỏng", "Lost or damaged"},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(words[i].v, v))
			return PT_T(c, words[i].vi, words[i].en);
	return v;
}

/* One input for a leaf of the eForm; `path` is its dotted path. */
static void leaf_input(wiz *w, mc_buf *b, const char *path, const char *name, json_t *s,
                       json_t *value, bool required)
{
	pt_ctx *c = w->c;
	const char *id = mc_arena_printf(c->req->arena, "f-%s", path);
	for (char *p = (char *)id; *p; p++)
		if (*p == '.')
			*p = '-';
	const char *title = pt_schema_title(c, s, name);
	const char *type = type_of(s);
	const char *fmt = json_string_value(json_object_get(s, "format"));
	const char *req_mark =
	    required ? mc_arena_printf(c->req->arena, " <span class=\"meta\">(%s)</span>",
	                               PT_T(c, "bắt buộc", "required"))
	             : "";
	if (!strcmp(type, "boolean")) {
		html_fmt(b,
		         "<div class=\"check\"><input type=\"checkbox\" id=\"%s\" name=\"f:%s\" "
		         "value=\"true\"%R><label for=\"%s\">%s</label></div>",
		         id, path, json_is_true(value) ? " checked" : "", id, title);
		return;
	}
	html_fmt(b, "<label for=\"%s\">%s%R</label>", id, title, req_mark);
	char num[64] = "";
	const char *v = json_string_value(value);
	if (json_is_number(value)) {
		snprintf(num, sizeof num, "%g", json_number_value(value));
		v = num;
	}
	json_t *en = json_object_get(s, "enum");
	if (json_is_array(en)) {
		html_fmt(b, "<select id=\"%s\" name=\"f:%s\"%R><option value=\"\">—</option>", id,
		         path, required ? " required" : "");
		size_t i;
		json_t *o;
		json_array_foreach(en, i, o)
		{
			const char *ov = json_string_value(o);
			if (!ov)
				continue;
			const char *label = enum_label(c, ov);
			html_fmt(b, "<option value=\"%s\"%R>%s</option>", ov,
			         v && !strcmp(v, ov) ? " selected" : "", label);
		}
		mc_buf_puts(b, "</select>");
		return;
	}
	/* dates are typed as text (YYYY-MM-DD, said in a hint): the same in
	 * every browser and with the keyboard alone */
	bool date = fmt && !strcmp(fmt, "date");
	const char *itype = !strcmp(type, "integer") || !strcmp(type, "number") ? "number"
	                    : fmt && !strcmp(fmt, "email")                      ? "email"
	                                                                        : "text";
	const char *ac = "";
	if (!strcmp(name, "phone"))
		itype = "tel", ac = " autocomplete=\"tel\"";
	else if (!strcmp(name, "email"))
		ac = " autocomplete=\"email\"";
	json_t *ml = json_object_get(s, "maxLength");
	if (date) {
		html_fmt(
		    b, "<span class=\"hint\" id=\"%s-hint\">%s</span>", id,
		    PT_T(c, "Năm-tháng-ngày, ví dụ 2026-03-02", "Year-month-day, e.g. 2026-03-02"));
		ac = mc_arena_printf(c->req->arena,
		                     " inputmode=\"numeric\" aria-describedby=\"%s-hint\"", id);
	}
	html_fmt(b, "<input type=\"%s\" id=\"%s\" name=\"f:%s\" value=\"%s\"%R%R%R>", itype, id,
	         path, v ? v : "", required ? " required" : "", ac,
	         json_is_integer(ml) ? mc_arena_printf(c->req->arena, " maxlength=\"%lld\"",
	                                               (long long)json_integer_value(ml))
	                             : "");
}

/* Inputs for every leaf under an object schema (nested objects become
 * fieldsets). A leaf is marked required only when every object above it
 * is required too: the members of an optional group may stay empty. */
static void object_inputs(wiz *w, mc_buf *b, const char *path, json_t *s, json_t *value,
                          bool required)
{
	json_t *props = json_object_get(s, "properties");
	json_t *req = json_object_get(s, "required");
	const char *k;
	json_t *ps;
	json_object_foreach(props, k, ps)
	{
		const char *p = mc_arena_printf(w->c->req->arena, "%s.%s", path, k);
		json_t *v = json_object_get(value, k);
		if (!strcmp(type_of(ps), "object")) {
			html_fmt(b, "<fieldset><legend>%s</legend>", pt_schema_title(w->c, ps, k));
			object_inputs(w, b, p, ps, v, required && in_list(req, k));
			mc_buf_puts(b, "</fieldset>");
		} else if (!strcmp(type_of(ps), "array")) {
			continue; /* lists are not asked in the wizard */
		} else {
			leaf_input(w, b, p, k, ps, v, required && in_list(req, k));
		}
	}
}

static void errors_box(wiz *w, mc_buf *b)
{
	if (!json_array_size(w->errors))
		return;
	pt_ctx *c = w->c;
	html_fmt(b, "<div class=\"error\" role=\"alert\"><p>%s</p><ul>",
	         PT_T(c, "Hãy sửa các mục sau:", "Please correct the following:"));
	size_t i;
	json_t *e;
	json_array_foreach(w->errors, i, e)
	{
		const char *m =
		    json_string_value(json_object_get(e, c->en ? "message" : "message_vi"));
		if (!m)
			m = json_string_value(json_object_get(e, "message"));
		html_fmt(b, "<li>%s%R%s</li>", json_string_value(json_object_get(e, "path")),
		         json_object_get(e, "path") ? ": " : "", m);
	}
	mc_buf_puts(b, "</ul></div>");
}

typedef struct agency_search {
	territory_query *q;
	json_t *items;
	bool more;
} agency_search;

static mc_err agency_search_fn(store_conn *conn, void *ctx, mc_diag *d)
{
	agency_search *a = ctx;
	json_decref(a->items);
	a->items = NULL;
	return territory_agency_list(conn, a->q, &a->items, &a->more, d);
}

static void agency_step(wiz *w, mc_buf *b)
{
	pt_ctx *c = w->c;
	html_fmt(b, "<h2>%s</h2>",
	         PT_T(c, "Bạn nộp hồ sơ cho cơ quan nào?", "Which office do you apply to?"));
	if (w->agency && *w->agency)
		html_fmt(b, "<p>%s: <strong>%s</strong></p>", PT_T(c, "Đã chọn", "Chosen"),
		         w->agency);
	html_fmt(
	    b,
	    "<label for=\"find\">%s</label><input type=\"search\" id=\"find\" name=\"find\" "
	    "value=\"%s\" maxlength=\"100\"><button type=\"submit\" name=\"go\" value=\"find\" "
	    "class=\"secondary\">%s</button>",
	    PT_T(c, "Tên xã, phường hoặc tỉnh", "Name of the commune, ward or province"),
	    w->find ? w->find : "", PT_T(c, "Tìm cơ quan", "Find the office"));
	if (!w->find || !*w->find)
		return;
	json_t *lv = json_object_get(w->proc, "level");
	const char *level = NULL;
	if (json_array_size(lv) == 1) {
		const char *l = json_string_value(json_array_get(lv, 0));
		level = l && !strcmp(l, "ministry") ? "central" : l;
	}
	territory_query q = {.level = level, .q = w->find, .limit = AGENCY_HITS};
	agency_search a = {&q, NULL, false};
	mc_diag d = {0};
	mc_err e = store_read(c->req->app->db, agency_search_fn, &a, &d);
	json_t *items = a.items;
	bool more = a.more;
	mc_diag_clear(&d);
	if (e != MC_OK || !json_array_size(items)) {
		html_fmt(b, "<p>%s</p>",
		         PT_T(c, "Không tìm thấy cơ quan phù hợp.", "No matching office found."));
	} else {
		html_fmt(b, "<fieldset><legend>%s</legend>",
		         PT_T(c, "Chọn cơ quan", "Choose the office"));
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *ac = json_string_value(json_object_get(it, "code"));
			const char *nm =
			    json_string_value(json_object_get(it, c->en ? "name_en" : "name"));
			if (!nm)
				nm = json_string_value(json_object_get(it, "name"));
			html_fmt(
			    b,
			    "<div class=\"check\"><input type=\"radio\" id=\"ag-%s\" name=\"pick\" "
			    "value=\"%s\"%R><label for=\"ag-%s\">%s <span class=\"meta\">%s</span>"
			    "</label></div>",
			    ac, ac, i == 0 ? " checked" : "", ac, nm, ac);
		}
		mc_buf_puts(b, "</fieldset>");
		if (more)
			html_fmt(b, "<p class=\"hint\">%s</p>",
			         PT_T(c, "Còn nữa: hãy gõ cụ thể hơn.",
			              "More match: be more specific."));
	}
	json_decref(items);
}

static void group_step(wiz *w, mc_buf *b)
{
	json_t *gs;
	const char *key = group(w, w->step, &gs);
	if (!key)
		return;
	json_t *v = json_object_get(w->form, key);
	if (!strcmp(type_of(gs), "object")) {
		html_fmt(b, "<fieldset><legend><span class=\"h2\">%s</span></legend>",
		         pt_schema_title(w->c, gs, key));
		object_inputs(w, b, key, gs, v,
		              in_list(json_object_get(w->schema, "required"), key));
		mc_buf_puts(b, "</fieldset>");
	} else {
		leaf_input(w, b, key, key, gs, v,
		           in_list(json_object_get(w->schema, "required"), key));
	}
}

/* What the vault knows for the documents step, read in one snapshot:
 * `rows` from vault_resolve_components (required documents: satisfied by
 * a registry, the eForm, the vault, or missing) and, per component id,
 * the holder's valid items of the component's document type. */
typedef struct vault_view {
	const char *holder;
	json_t *proc;
	json_t *rows;  /* array */
	json_t *items; /* {component id: [items]} */
} vault_view;

static mc_err vault_view_fn(store_conn *conn, void *ctx, mc_diag *d)
{
	(void)d;
	vault_view *v = ctx;
	json_decref(v->rows);
	json_decref(v->items);
	v->rows = NULL;
	v->items = json_object();
	json_t *errors = json_array();
	mc_err e = vault_resolve_components(conn, v->holder, v->proc, NULL, true, "$.components",
	                                    errors, &v->rows);
	json_decref(errors);
	size_t i;
	json_t *cp;
	json_array_foreach(json_object_get(v->proc, "components"), i, cp)
	{
		if (e != MC_OK)
			break;
		const char *cid = json_string_value(json_object_get(cp, "id"));
		const char *type = vault_match_name(json_string_value(json_object_get(cp, "name")));
		if (!cid || !type || !catalog_component_is_document(cp))
			continue;
		json_t *list = NULL;
		bool more = false;
		e = vault_list_for_holder(conn, v->holder, type, 10, NULL, NULL, &list, &more,
		                          NULL);
		if (e != MC_OK)
			break;
		json_t *valid = json_array();
		size_t k;
		json_t *it;
		json_array_foreach(list, k, it)
		{
			if (json_is_true(json_object_get(it, "valid")))
				json_array_append(valid, it);
		}
		json_decref(list);
		if (json_array_size(valid))
			json_object_set_new(v->items, cid, valid);
		else
			json_decref(valid);
	}
	return e;
}

/* Fills v for the wizard's applicant; false when there is no vault. */
static bool vault_view_load(wiz *w, vault_view *v)
{
	memset(v, 0, sizeof *v);
	v->holder = w->c->who.person_id;
	v->proc = w->proc;
	if (!v->holder[0])
		return false;
	mc_diag d = {0};
	mc_err e = store_read(w->c->req->app->db, vault_view_fn, v, &d);
	mc_diag_clear(&d);
	if (e != MC_OK) {
		json_decref(v->rows);
		json_decref(v->items);
		v->rows = v->items = NULL;
		return false;
	}
	return true;
}

static json_t *vault_row(vault_view *v, const char *cid)
{
	size_t i;
	json_t *r;
	json_array_foreach(v->rows, i, r)
	{
		if (!strcmp(json_string_value(json_object_get(r, "component")), cid))
			return r;
	}
	return NULL;
}

/* The choice between the holder's vault items and an upload. */
static void vault_choice(wiz *w, mc_buf *b, const char *cid, json_t *items, json_t *row)
{
	pt_ctx *c = w->c;
	const char *chosen = json_string_value(json_object_get(w->items, cid));
	if (!chosen && !json_object_get(w->docs, cid))
		chosen = json_string_value(json_object_get(row, "vault_item"));
	html_fmt(b, "<fieldset><legend>%s</legend>",
	         PT_T(c, "Dùng giấy tờ đã có trong kho dữ liệu của bạn",
	              "Use a document already in your vault"));
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *title = json_string_value(json_object_get(it, "title"));
		if (!title)
			title = pt_i18n(c, json_object_get(it, "type_name"));
		const char *until = json_string_value(json_object_get(it, "valid_until"));
		html_fmt(
		    b,
		    "<div class=\"check\"><input type=\"radio\" id=\"vi-%s-%s\" name=\"item_%s\" "
		    "value=\"%s\"%R><label for=\"vi-%s-%s\">%s <span class=\"meta\">%s%R%s</span>"
		    "</label></div>",
		    cid, id, cid, id, chosen && !strcmp(chosen, id) ? " checked" : "", cid, id,
		    title, json_string_value(json_object_get(it, "issuer")),
		    until ? mc_arena_printf(c->req->arena, " · %s ",
		                            PT_T(c, "hiệu lực đến", "valid until"))
		          : "",
		    until ? pt_date(c, until) : "");
	}
	html_fmt(b,
	         "<div class=\"check\"><input type=\"radio\" id=\"vi-%s-none\" name=\"item_%s\" "
	         "value=\"\"%R><label for=\"vi-%s-none\">%s</label></div></fieldset>",
	         cid, cid, chosen ? "" : " checked", cid,
	         PT_T(c, "Không, tôi tải lên tệp", "No, I upload a file"));
}

static void docs_step(wiz *w, mc_buf *b)
{
	vault_view v;
	bool have_vault = vault_view_load(w, &v);
	pt_ctx *c = w->c;
	html_fmt(b, "<h2>%s</h2><p class=\"hint\">%s</p>", PT_T(c, "Giấy tờ kèm theo", "Documents"),
	         PT_T(c,
	              "Tải lên bản chụp hoặc bản điện tử (PDF, PNG, JPEG, TIFF). Bỏ qua giấy tờ "
	              "không áp dụng cho bạn.",
	              "Upload scans or electronic copies (PDF, PNG, JPEG, TIFF). Skip documents "
	              "that do not apply to you."));
	size_t i;
	json_t *cp;
	bool any = false;
	json_array_foreach(json_object_get(w->proc, "components"), i, cp)
	{
		const char *id = json_string_value(json_object_get(cp, "id"));
		if (!id || !catalog_component_is_document(cp))
			continue;
		any = true;
		bool req = json_is_true(json_object_get(cp, "required"));
		json_t *row = have_vault ? vault_row(&v, id) : NULL;
		const char *by = json_string_value(json_object_get(row, "satisfied_by"));
		html_fmt(b, "<div class=\"box\"><h3>%s <span class=\"meta\">(%s)</span></h3>",
		         json_string_value(json_object_get(cp, "name")),
		         req ? PT_T(c, "bắt buộc", "required")
		             : PT_T(c, "khi cần", "when applicable"));
		if (by && !strcmp(by, "registry")) {
			html_fmt(b, "<p class=\"success\">%s</p></div>",
			         PT_T(c,
			              "Không cần nộp: cơ quan lấy thông tin này từ cơ sở dữ liệu "
			              "quốc gia.",
			              "Nothing to hand in: the office reads this from the national "
			              "database."));
			continue;
		}
		if (by && !strcmp(by, "form")) {
			html_fmt(
			    b, "<p class=\"success\">%s</p></div>",
			    PT_T(c, "Không cần nộp: đã có trong tờ khai bạn vừa điền.",
			         "Nothing to hand in: your answers to the form stand for it."));
			continue;
		}
		json_t *its = have_vault ? json_object_get(v.items, id) : NULL;
		if (json_array_size(its))
			vault_choice(w, b, id, its, row);
		html_fmt(b, "<label for=\"file-%s\">%s</label>", id,
		         PT_T(c, "Tải lên tệp", "Upload a file"));
		if (json_object_get(w->docs, id))
			html_fmt(b, "<p class=\"success\">%s</p>",
			         PT_T(c, "Đã tải lên. Chọn tệp khác để thay.",
			              "Uploaded. Choose another file to replace it."));
		html_fmt(b,
		         "<input type=\"file\" id=\"file-%s\" name=\"file_%s\" "
		         "accept=\"application/pdf,image/png,image/jpeg,image/tiff\"></div>",
		         id, id);
	}
	if (!any)
		html_fmt(b, "<p>%s</p>",
		         PT_T(c, "Thủ tục này không yêu cầu giấy tờ kèm theo.",
		              "This procedure needs no documents."));
	if (have_vault) {
		json_decref(v.rows);
		json_decref(v.items);
	}
}

static void review_step(wiz *w, mc_buf *b)
{
	pt_ctx *c = w->c;
	html_fmt(b,
	         "<h2>%s</h2><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
	         PT_T(c, "Kiểm tra lại trước khi nộp", "Check before you submit"),
	         PT_T(c, "Cơ quan tiếp nhận", "Receiving office"), w->agency,
	         PT_T(c, "Cách nộp", "Channel"), pt_channel_name(c, "online"));
	html_fmt(b, "<h3>%s</h3>", PT_T(c, "Tờ khai", "Form"));
	pt_form_values(c, b, w->form, w->schema);
	html_fmt(b, "<h3>%s</h3><ul>", PT_T(c, "Giấy tờ", "Documents"));
	const char *k;
	json_t *v;
	json_object_foreach(w->docs, k, v)
	{
		json_t *cp = catalog_component(w->proc, k);
		html_fmt(b, "<li>%s</li>", cp ? json_string_value(json_object_get(cp, "name")) : k);
	}
	json_object_foreach(w->items, k, v)
	{
		if (json_object_get(w->docs, k))
			continue;
		json_t *cp = catalog_component(w->proc, k);
		html_fmt(b, "<li>%s <span class=\"meta\">(%s)</span></li>",
		         cp ? json_string_value(json_object_get(cp, "name")) : k,
		         PT_T(c, "từ kho dữ liệu", "from your vault"));
	}
	if (!json_object_size(w->docs) && !json_object_size(w->items))
		html_fmt(b, "<li>%s</li>", PT_T(c, "Không có", "None"));
	mc_buf_puts(b, "</ul>");
}

static void wizard_page(wiz *w, int status)
{
	pt_ctx *c = w->c;
	const char *name = json_string_value(json_object_get(w->proc, "name"));
	mc_buf b = {0};
	pt_head(c, &b,
	        mc_arena_printf(c->req->arena, "%s: %s", PT_T(c, "Nộp hồ sơ", "Apply"), name));
	html_fmt(&b,
	         "<p class=\"meta\"><a href=\"/thu-tuc/%U\">%s</a></p><h1>%s</h1>"
	         "<p class=\"steps\">%s %d / %d</p>",
	         w->code, name, PT_T(c, "Nộp hồ sơ trực tuyến", "Apply online"),
	         PT_T(c, "Bước", "Step"), w->step + 1, step_review(w) + 1);
	errors_box(w, &b);
	html_fmt(&b,
	         "<form class=\"stack\" method=\"post\" action=\"/nop/%U\" "
	         "enctype=\"multipart/form-data\">",
	         w->code);
	hidden_state(w, &b);
	if (w->step == 0)
		agency_step(w, &b);
	else if (w->step == step_docs(w))
		docs_step(w, &b);
	else if (w->step == step_review(w))
		review_step(w, &b);
	else
		group_step(w, &b);
	mc_buf_puts(&b, "<p>");
	if (w->step == step_review(w))
		html_fmt(&b, "<button type=\"submit\" name=\"go\" value=\"submit\">%s</button>",
		         PT_T(c, "Nộp hồ sơ", "Submit the application"));
	else
		html_fmt(&b, "<button type=\"submit\" name=\"go\" value=\"next\">%s</button>",
		         PT_T(c, "Tiếp tục", "Continue"));
	if (w->step > 0)
		html_fmt(&b,
		         "<button type=\"submit\" name=\"go\" value=\"back\" class=\"secondary\" "
		         "formnovalidate>%s</button>",
		         PT_T(c, "Quay lại", "Back"));
	mc_buf_puts(&b, "</p></form>");
	pt_foot(c, &b);
	pt_reply(c, status, &b);
}

/* ---- reading the answers ---- */

/* Reads the answers under an object schema from fields "f:<path>.<k>"
 * into a new object (empty values are left out). */
static json_t *read_object(wiz *w, const char *path, json_t *s)
{
	json_t *o = json_object();
	json_t *props = json_object_get(s, "properties");
	const char *k;
	json_t *ps;
	json_object_foreach(props, k, ps)
	{
		const char *p = mc_arena_printf(w->c->req->arena, "%s.%s", path, k);
		const char *t = type_of(ps);
		if (!strcmp(t, "object")) {
			json_t *sub = read_object(w, p, ps);
			if (json_object_size(sub))
				json_object_set_new(o, k, sub);
			else
				json_decref(sub);
			continue;
		}
		const char *v = pt_field(w->c, mc_arena_printf(w->c->req->arena, "f:%s", p));
		if (!strcmp(t, "boolean")) {
			if (v)
				json_object_set_new(o, k, json_true());
			continue;
		}
		if (!v || !*v)
			continue;
		if (!strcmp(t, "integer") || !strcmp(t, "number")) {
			char *end;
			double d = strtod(v, &end);
			if (end != v && !*end)
				json_object_set_new(o, k,
				                    !strcmp(t, "integer") &&
				                            d == (double)(long long)d
				                        ? json_integer((long long)d)
				                        : json_real(d));
			else
				json_object_set_new(o, k,
				                    json_string(v)); /* the validator says why */
		} else {
			json_object_set_new(o, k, json_string(v));
		}
	}
	return o;
}

/* Fills the state from the hidden fields; false when they are unusable. */
static bool load_state(wiz *w)
{
	pt_ctx *c = w->c;
	const char *form = pt_field(c, "form"), *docs = pt_field(c, "docs");
	const char *idem = pt_field(c, "idem"), *step = pt_field(c, "step");
	if (!form || !docs || !idem || !step || strlen(form) > STATE_MAX || strlen(idem) != 32)
		return false;
	w->form = json_loads(form, JSON_REJECT_DUPLICATES, NULL);
	w->docs = json_loads(docs, JSON_REJECT_DUPLICATES, NULL);
	const char *items = pt_field(c, "items");
	w->items = items && strlen(items) <= STATE_MAX
	               ? json_loads(items, JSON_REJECT_DUPLICATES, NULL)
	               : json_object();
	if (!json_is_object(w->items) || json_object_size(w->items) > DOSSIER_COMPONENTS_MAX)
		return false;
	json_t *iv;
	const char *ik;
	json_object_foreach(w->items, ik, iv) if (!json_is_string(iv)) return false;
	if (!json_is_object(w->form) || !json_is_object(w->docs) ||
	    json_object_size(w->docs) > DOSSIER_COMPONENTS_MAX)
		return false;
	const char *k;
	json_t *v;
	json_object_foreach(w->docs, k, v) if (!json_is_string(v)) return false;
	w->idem = idem;
	w->agency = pt_field(c, "agency");
	if (w->agency && strlen(w->agency) > 64)
		return false;
	w->step = atoi(step);
	return w->step >= 0 && w->step <= step_review(w);
}

/* Stores the uploaded files of the documents step; errors go to w->errors. */
static void take_uploads(wiz *w)
{
	pt_ctx *c = w->c;
	/* vault choices: item_<component> = item id, or "" for an upload */
	for (int i = 0; i < c->form.n; i++) {
		const char *n = c->form.name[i];
		if (strncmp(n, "item_", 5) != 0 || !catalog_component(w->proc, n + 5))
			continue;
		const char *val = c->form.value[i];
		if (*val && strlen(val) <= VAULT_ID_LEN) {
			json_object_set_new(w->items, n + 5, json_string(val));
			json_object_del(w->docs, n + 5);
		} else {
			json_object_del(w->items, n + 5);
		}
	}
	for (int i = 0; i < c->form.nfiles; i++) {
		const pt_file *f = &c->form.files[i];
		if (strncmp(f->field, "file_", 5) != 0)
			continue;
		json_t *cp = catalog_component(w->proc, f->field + 5);
		if (!cp)
			continue;
		char mt[64];
		mc_diag d = {0};
		json_t *doc = NULL;
		mc_err e = document_media_type(f->type, mt, sizeof mt, &d);
		if (e == MC_OK)
			e = document_put(
			    c->req->app, c->who.user_id, c->who.username, mt, f->data, f->len,
			    strlen(f->filename) <= DOCUMENT_NAME_MAX ? f->filename : NULL, &doc,
			    &d);
		if (e == MC_OK) {
			json_object_set(w->docs, f->field + 5, json_object_get(doc, "id"));
			json_object_del(w->items, f->field + 5);
		} else
			mc_errors_add(
			    w->errors, json_string_value(json_object_get(cp, "name")),
			    "the file must be a PDF, PNG, JPEG or TIFF file within the size limit",
			    "tệp phải là PDF, PNG, JPEG hoặc TIFF và không quá dung lượng cho "
			    "phép");
		json_decref(doc);
		mc_diag_clear(&d);
	}
}

typedef struct prefill_ctx {
	const char *person_id;
	json_t *schema; /* borrowed */
	json_t *out;
} prefill_ctx;

static mc_err prefill_fn(store_conn *conn, void *ctx, mc_diag *d)
{
	(void)d;
	prefill_ctx *x = ctx;
	json_decref(x->out);
	x->out = NULL;
	return vault_prefill(conn, x->person_id, x->schema, &x->out);
}

/* Starts the form with what the registries already know (vault_prefill:
 * the applicant, the applicant's spouse, the parents' blocks), and at
 * least the personal number of the account. Values the citizen typed are
 * never overwritten; a registry that cannot be read only means less is
 * pre-filled. */
static void prefill(wiz *w)
{
	pt_ctx *c = w->c;
	if (!c->who.person_id[0])
		return;
	prefill_ctx x = {.person_id = c->who.person_id, .schema = w->schema};
	mc_diag d = {0};
	if (store_read(c->req->app->db, prefill_fn, &x, &d) == MC_OK) {
		const char *group;
		json_t *fields;
		json_object_foreach(x.out, group, fields)
		{
			json_t *cur = json_object_get(w->form, group);
			if (!json_is_object(fields))
				continue;
			if (!json_is_object(cur)) {
				cur = json_object();
				json_object_set_new(w->form, group, cur);
			}
			const char *name;
			json_t *v;
			json_object_foreach(fields, name, v)
			{
				if (!json_object_get(cur, name))
					json_object_set(cur, name, v);
			}
		}
	}
	mc_diag_clear(&d);
	json_decref(x.out);
	json_t *ap = json_object_get(json_object_get(w->schema, "properties"), "applicant");
	if (!json_object_get(json_object_get(ap, "properties"), "person_id"))
		return;
	json_t *cur = json_object_get(w->form, "applicant");
	if (!json_is_object(cur)) {
		cur = json_object();
		json_object_set_new(w->form, "applicant", cur);
	}
	if (!json_object_get(cur, "person_id"))
		json_object_set_new(cur, "person_id", json_string(c->who.person_id));
}

static bool wiz_open(wiz *w, pt_ctx *c)
{
	memset(w, 0, sizeof *w);
	w->c = c;
	w->code = c->req->params[0];
	w->errors = json_array();
	if (!pt_require(c, ROLE_CITIZEN))
		return false;
	if (c->who.role != ROLE_CITIZEN) {
		pt_message(c, 403, PT_T(c, "Chỉ công dân nộp hồ sơ", "Only citizens apply"),
		           PT_T(c, "Tài khoản cán bộ không nộp hồ sơ.",
		                "Staff accounts do not submit dossiers."));
		return false;
	}
	if (pt_procedure(c, w->code, 0, &w->proc) != MC_OK) {
		pt_message(c, 404, PT_T(c, "Không tìm thấy thủ tục", "No such procedure"),
		           PT_T(c, "Mã thủ tục này không có trong danh mục.",
		                "This procedure code is not in the catalog."));
		return false;
	}
	if (!catalog_offers_channel(w->proc, "online")) {
		pt_message(c, 409, PT_T(c, "Chưa nộp trực tuyến được", "Not available online"),
		           PT_T(c, "Thủ tục này chưa cung cấp dịch vụ nộp trực tuyến.",
		                "This procedure cannot be applied for online."));
		return false;
	}
	w->schema = json_object_get(w->proc, "form");
	w->ngroups = (int)json_object_size(json_object_get(w->schema, "properties"));
	return true;
}

static void wiz_close(wiz *w)
{
	json_decref(w->proc);
	json_decref(w->form);
	json_decref(w->docs);
	json_decref(w->items);
	json_decref(w->errors);
}

void pt_h_apply(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	wiz w;
	if (wiz_open(&w, &c)) {
		w.form = json_object();
		w.docs = json_object();
		w.items = json_object();
		unsigned char r[16];
		randombytes_buf(r, sizeof r);
		char *idem = mc_arena_alloc(req->arena, 33);
		sodium_bin2hex(idem, 33, r, sizeof r);
		w.idem = idem;
		prefill(&w);
		wizard_page(&w, 200);
	}
	wiz_close(&w);
}

static void submit(wiz *w)
{
	pt_ctx *c = w->c;
	json_t *comps = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(w->docs, k, v)
	    json_array_append_new(comps, json_pack("{s:s, s:O}", "component", k, "document", v));
	json_object_foreach(w->items, k, v) if (!json_object_get(w->docs, k))
	    json_array_append_new(comps, json_pack("{s:s, s:O}", "component", k, "vault_item", v));
	json_t *body = json_pack("{s:s, s:s, s:s, s:O, s:o}", "procedure", w->code, "agency",
	                         w->agency ? w->agency : "", "channel", "online", "form", w->form,
	                         "components", comps);
	json_t *out = NULL;
	bool replayed = false;
	mc_diag d = {0};
	const char *key = mc_arena_printf(c->req->arena, "portal-%s", w->idem);
	mc_err e = dossier_submit(c->req->app, &c->who, body, key, &out, &replayed, &d);
	json_decref(body);
	if (e == MC_OK) {
		mc_buf u = {0};
		mc_buf_puts(&u, "/ho-so/");
		html_url(&u, json_string_value(json_object_get(out, "code")));
		mc_buf_puts(&u, "?ok=submit");
		pt_redirect(c, mc_buf_cstr(&u));
		mc_buf_free(&u);
	} else {
		json_t *errs = json_object_get(d.ext, "errors");
		if (json_is_array(errs) && json_array_size(errs))
			json_array_extend(w->errors, errs);
		else
			mc_errors_add(w->errors, "$", d.detail[0] ? d.detail : "not submitted",
			              d.detail_vi[0] ? d.detail_vi : d.detail);
		wizard_page(w, http_status_of(e));
	}
	json_decref(out);
	mc_diag_clear(&d);
}

void pt_h_apply_post(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	wiz w;
	if (!wiz_open(&w, &c) || !pt_post(&c))
		goto out;
	if (!load_state(&w)) {
		pt_message(&c, 400, PT_T(&c, "Biểu mẫu không hợp lệ", "Invalid form"),
		           PT_T(&c, "Hãy bắt đầu lại từ trang thủ tục.",
		                "Start again from the procedure page."));
		goto out;
	}
	const char *go = pt_field(&c, "go");
	if (!go)
		go = "next";
	bool fwd = !strcmp(go, "next") || !strcmp(go, "submit");
	if (w.step == 0) {
		const char *pick = pt_field(&c, "pick");
		if (pick && *pick && strlen(pick) <= 64)
			w.agency = pick;
		w.find = pt_field(&c, "find");
		if (w.find && strlen(w.find) > 100)
			w.find = NULL;
		if (!strcmp(go, "find")) {
			wizard_page(&w, 200);
			goto out;
		}
		if (fwd && (!w.agency || !*w.agency)) {
			mc_errors_add(w.errors, PT_T(&c, "Cơ quan", "Office"), "choose the office",
			              "hãy chọn cơ quan tiếp nhận");
		}
	} else if (w.step == step_docs(&w)) {
		take_uploads(&w);
	} else if (w.step < step_docs(&w)) {
		json_t *gs;
		const char *key = group(&w, w.step, &gs);
		json_t *val = NULL;
		if (!strcmp(type_of(gs), "object")) {
			val = read_object(&w, key, gs);
			if (!json_object_size(val)) {
				json_decref(val);
				val = NULL;
			}
		} else {
			const char *v = pt_field(&c, mc_arena_printf(req->arena, "f:%s", key));
			if (v && *v)
				val = json_string(v);
		}
		bool required = in_list(json_object_get(w.schema, "required"), key);
		if (val)
			json_object_set(w.form, key, val);
		else
			json_object_del(w.form, key);
		if (fwd && (val || required)) {
			json_t *probe = val ? json_incref(val) : json_object();
			json_t *errs = jsonschema_validate(gs, probe);
			size_t i;
			json_t *e;
			json_array_foreach(errs, i, e)
			{
				const char *p = json_string_value(json_object_get(e, "path"));
				json_object_set_new(
				    e, "path",
				    json_string(mc_arena_printf(req->arena, "%s%s", key,
				                                p && p[0] == '$' ? p + 1 : "")));
			}
			json_array_extend(w.errors, errs);
			json_decref(errs);
			json_decref(probe);
		}
		json_decref(val);
	} else if (!strcmp(go, "submit")) {
		submit(&w);
		goto out;
	}
	if (json_array_size(w.errors) && fwd) {
		wizard_page(&w, 422);
		goto out;
	}
	if (fwd && w.step < step_review(&w))
		w.step++;
	else if (!strcmp(go, "back") && w.step > 0)
		w.step--;
	json_array_clear(w.errors);
	wizard_page(&w, 200);
out:
	wiz_close(&w);
}
