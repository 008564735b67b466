/* vault.c - the vault service: items of persons and businesses (put,
 * status, read, list, reuse), the counts behind the reuse rate and the
 * match report over the catalog. All SQL of tables vault_item and
 * vault_use lives here. */
#include "vault/vault.h"
#include "vault/vault_internal.h"

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/mem.h"
#include "core/text.h"
#include "document/document.h"
#include "territory/territory.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_COLUMNS                                                                               \
	"id, holder, holder_kind, doc_type, title, issuer, valid_from, valid_until, "              \
	"content_sha256, document_id, status, source, ref, created_at, created_by, status_at, "    \
	"status_by, status_reason, (SELECT COUNT(*) FROM vault_use u WHERE u.item_id = "           \
	"vault_item.id)"

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

bool vault_holder_kind(const char *holder, const char **kind)
{
	if (!holder || strlen(holder) > 20)
		return false;
	if (id_person_parse(holder, NULL, NULL) == MC_OK) {
		*kind = "person";
		return true;
	}
	bool branch;
	if (id_enterprise_parse(holder, &branch, NULL) == MC_OK) {
		*kind = "business";
		return true;
	}
	return false;
}

json_t *vault_type_name(const char *code)
{
	json_t *t = vault_doctype(code);
	return json_pack("{s:o, s:o}", "vi", jstr(json_string_value(json_object_get(t, "name_vi"))),
	                 "en", jstr(json_string_value(json_object_get(t, "name_en"))));
}

static void today_str(char buf[16])
{
	date_format(date_local_of(ts_now()), buf);
}

static json_t *item_from_row(store_stmt *st)
{
	const char *type = store_col_text(st, 3);
	json_t *j = json_pack(
	    "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:s, s:s, s:s, "
	    "s:s, s:o, s:I}",
	    "id", store_col_text(st, 0), "holder", store_col_text(st, 1), "holder_kind",
	    store_col_text(st, 2), "type", type, "type_name", vault_type_name(type), "title",
	    jstr(store_col_text(st, 4)), "issuer", jstr(store_col_text(st, 5)), "valid_from",
	    jstr(store_col_text(st, 6)), "valid_until", jstr(store_col_text(st, 7)),
	    "content_sha256", jstr(store_col_text(st, 8)), "document", jstr(store_col_text(st, 9)),
	    "status", store_col_text(st, 10), "source", store_col_text(st, 11), "ref",
	    jstr(store_col_text(st, 12)), "created_at", store_col_text(st, 13), "created_by",
	    store_col_text(st, 14), "status_at", store_col_text(st, 15), "status_by",
	    store_col_text(st, 16), "status_reason", jstr(store_col_text(st, 17)), "uses",
	    (json_int_t)store_col_int(st, 18));
	char today[16];
	today_str(today);
	json_object_set_new(j, "valid", json_boolean(vault_item_valid_on(j, today)));
	return j;
}

/* ---- put ---- */

static bool hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) && !(*s >= 'a' && *s <= 'f'))
			return false;
	}
	return true;
}

static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max || !text_utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
	}
	return true;
}

static bool date_ok(const char *s)
{
	mc_day d;
	return strlen(s) == 10 && date_parse(s, &d);
}

static mc_err check_item(store_conn *c, const vault_item *in, const char **kind, json_t *errors)
{
	if (!vault_holder_kind(in->holder, kind))
		mc_errors_add(errors, "$.holder",
		              "must be a personal identification number (12 digits) or an "
		              "enterprise code",
		              "phải là số định danh cá nhân (12 chữ số) hoặc mã số doanh nghiệp");
	if (!in->doc_type || strlen(in->doc_type) > 64 || !vault_doctype(in->doc_type))
		mc_errors_add(errors, "$.type", "unknown document type (see /api/v1/vault/types)",
		              "loại giấy tờ không có trong danh mục");
	if (in->title && !text_ok(in->title, VAULT_TITLE_MAX))
		mc_errors_add(errors, "$.title", "must be 1 to 300 bytes of text",
		              "phải là văn bản dài 1 đến 300 byte");
	if (in->issuer) {
		json_t *ag = NULL;
		mc_err e = strlen(in->issuer) <= 64 ? territory_agency_get(c, in->issuer, &ag, NULL)
		                                    : MC_ERR_NOT_FOUND;
		json_decref(ag);
		if (e && e != MC_ERR_NOT_FOUND)
			return e;
		if (e)
			mc_errors_add(errors, "$.issuer", "unknown agency", "không có cơ quan này");
	} else if (in->source == VAULT_SRC_RESULT) {
		mc_errors_add(errors, "$.issuer", "an issued result names its issuing agency",
		              "kết quả giải quyết phải ghi cơ quan cấp");
	}
	bool from_ok = !in->valid_from || date_ok(in->valid_from);
	bool until_ok = !in->valid_until || date_ok(in->valid_until);
	if (!from_ok)
		mc_errors_add(errors, "$.valid_from", "must be a date YYYY-MM-DD",
		              "phải là ngày dạng YYYY-MM-DD");
	if (!until_ok)
		mc_errors_add(errors, "$.valid_until", "must be a date YYYY-MM-DD",
		              "phải là ngày dạng YYYY-MM-DD");
	if (from_ok && until_ok && in->valid_from && in->valid_until &&
	    strcmp(in->valid_until, in->valid_from) < 0)
		mc_errors_add(errors, "$.valid_until", "must not be before valid_from",
		              "không được trước ngày bắt đầu hiệu lực");
	if (in->content_sha256 && !hex64(in->content_sha256))
		mc_errors_add(errors, "$.content_sha256", "must be 64 lower-case hex digits",
		              "phải là 64 chữ số thập lục phân viết thường");
	if (in->document_id) {
		json_t *meta = NULL;
		mc_err e = strlen(in->document_id) <= 64
		               ? document_get(c, in->document_id, &meta, NULL)
		               : MC_ERR_NOT_FOUND;
		json_decref(meta);
		if (e && e != MC_ERR_NOT_FOUND)
			return e;
		if (e)
			mc_errors_add(errors, "$.document", "no such document",
			              "không tìm thấy tài liệu này");
	}
	if (in->ref && !text_ok(in->ref, VAULT_REF_MAX))
		mc_errors_add(errors, "$.ref", "must be 1 to 100 bytes of text",
		              "phải là văn bản dài 1 đến 100 byte");
	if ((unsigned)in->status > VAULT_REVOKED || (unsigned)in->source > VAULT_SRC_REGISTRY)
		mc_errors_add(errors, "$.status", "unknown status or source",
		              "trạng thái hoặc nguồn không hợp lệ");
	return MC_OK;
}

mc_err vault_item_put(store_conn *c, const vault_item *in, char **id_out, mc_diag *diag)
{
	if (id_out)
		*id_out = NULL;
	if (sodium_init() < 0)
		return mc_fail(diag, MC_ERR_INTERNAL, "libsodium cannot start");
	json_t *errors = json_array();
	const char *kind = NULL;
	mc_err e = check_item(c, in, &kind, errors);
	if (e)
		goto out;
	if (json_array_size(errors) > 0) {
		e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Giấy tờ không hợp lệ; xem danh sách lỗi.",
		             "The vault item is invalid; see the list of errors.");
		mc_diag_ext(diag, "errors", errors);
		errors = NULL;
		goto out;
	}
	unsigned char rnd[16];
	char id[VAULT_ID_LEN + 1];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	char now[32];
	ts_format(ts_now(), now);
	const char *actor = in->actor ? in->actor : "system";
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "INSERT INTO vault_item (id, holder, holder_kind, doc_type, title, "
	                       "issuer, valid_from, valid_until, content_sha256, document_id, "
	                       "status, source, ref, created_at, created_by, status_at, status_by) "
	                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	                       "?14, ?15, ?14, ?15)",
	                       &st)))
		goto out;
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, in->holder);
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, in->doc_type);
	store_bind_text(st, 5, in->title);
	store_bind_text(st, 6, in->issuer);
	store_bind_text(st, 7, in->valid_from);
	store_bind_text(st, 8, in->valid_until);
	store_bind_text(st, 9, in->content_sha256);
	store_bind_text(st, 10, in->document_id);
	store_bind_text(st, 11, vault_status_name(in->status));
	store_bind_text(st, 12, vault_source_name(in->source));
	store_bind_text(st, 13, in->ref);
	store_bind_text(st, 14, now);
	store_bind_text(st, 15, actor);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		goto out;
	char object[64];
	snprintf(object, sizeof object, "vault/%s", id);
	json_t *detail = json_pack("{s:s, s:s, s:s, s:s, s:o}", "holder", in->holder, "type",
	                           in->doc_type, "source", vault_source_name(in->source), "status",
	                           vault_status_name(in->status), "ref", jstr(in->ref));
	e = audit_append(c, actor, "vault.item.put", object, detail);
	json_decref(detail);
	if (!e && id_out)
		*id_out = mc_xstrdup(id);
out:
	json_decref(errors);
	return e;
}

/* ---- status ---- */

mc_err vault_item_set_status(store_conn *c, const char *id, vault_status s, const char *actor,
                             const char *reason, mc_diag *diag)
{
	json_t *item = NULL;
	mc_err e = vault_item_get(c, id, &item, diag);
	if (e)
		return e;
	const char *cur = json_string_value(json_object_get(item, "status"));
	if (strcmp(cur, "revoked") == 0) {
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Giấy tờ đã bị thu hồi; không thể thay đổi.",
		             "The item is revoked; revocation is final.");
		goto out;
	}
	if (strcmp(cur, vault_status_name(s)) == 0) {
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Giấy tờ đã ở trạng thái này.",
		             "The item already has this status.");
		goto out;
	}
	if (reason && strlen(reason) > VAULT_REASON_MAX) {
		e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Lý do quá dài.",
		             "The reason is too long.");
		goto out;
	}
	char now[32];
	ts_format(ts_now(), now);
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "UPDATE vault_item SET status = ?2, status_at = ?3, status_by = ?4, "
	                       "status_reason = ?5 WHERE id = ?1",
	                       &st)))
		goto out;
	store_bind_text(st, 1, id);
	store_bind_text(st, 2, vault_status_name(s));
	store_bind_text(st, 3, now);
	store_bind_text(st, 4, actor ? actor : "system");
	store_bind_text(st, 5, reason);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		goto out;
	char object[64], action[48];
	snprintf(object, sizeof object, "vault/%s", id);
	snprintf(action, sizeof action, "vault.item.%s", vault_status_name(s));
	json_t *detail = json_pack("{s:s, s:s, s:o}", "from", cur, "to", vault_status_name(s),
	                           "reason", jstr(reason));
	e = audit_append(c, actor, action, object, detail);
	json_decref(detail);
out:
	json_decref(item);
	return e;
}

/* ---- reads ---- */

mc_err vault_item_get(store_conn *c, const char *id, json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!id || strlen(id) != VAULT_ID_LEN)
		goto missing;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT " ITEM_COLUMNS " FROM vault_item WHERE id = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, id);
	bool row;
	e = store_step(st, &row);
	if (!e && row)
		*out = item_from_row(st);
	store_finish(st);
	if (e)
		return e;
	if (*out)
		return MC_OK;
missing:
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy giấy tờ trong kho dữ liệu.",
	                "No such vault item.");
}

mc_err vault_list_for_holder(store_conn *c, const char *holder, const char *doc_type, int limit,
                             const char *after_created, const char *after_id, json_t **items,
                             bool *more, mc_diag *diag)
{
	(void)diag;
	*items = json_array();
	*more = false;
	if (limit < 1 || limit > 100)
		limit = 100;
	/* placeholders numbered without gaps (PostgreSQL types each one) */
	int n = 1;
	mc_buf sql = {0};
	mc_buf_puts(&sql, "SELECT " ITEM_COLUMNS " FROM vault_item WHERE holder = ?1");
	int i_type = 0, i_after = 0;
	if (doc_type) {
		i_type = ++n;
		mc_buf_printf(&sql, " AND doc_type = ?%d", i_type);
	}
	if (after_created && after_id) {
		i_after = ++n;
		mc_buf_printf(&sql, " AND (created_at < ?%d OR (created_at = ?%d AND id < ?%d))",
		              i_after, i_after, i_after + 1);
		n++;
	}
	int i_limit = ++n;
	mc_buf_printf(&sql, " ORDER BY created_at DESC, id DESC LIMIT ?%d", i_limit);
	store_stmt *st;
	mc_err e = store_prepare(c, mc_buf_cstr(&sql), &st);
	mc_buf_free(&sql);
	if (e)
		return e;
	store_bind_text(st, 1, holder);
	if (i_type)
		store_bind_text(st, i_type, doc_type);
	if (i_after) {
		store_bind_text(st, i_after, after_created);
		store_bind_text(st, i_after + 1, after_id);
	}
	store_bind_int(st, i_limit, (int64_t)limit + 1);
	e = store_collect(st, limit, item_from_row, *items, more);
	store_finish(st);
	return e;
}

mc_err vault_item_use(store_conn *c, const char *id, const char *dossier_code,
                      const char *component, mc_diag *diag)
{
	(void)diag;
	char now[32];
	ts_format(ts_now(), now);
	const char *p[] = {id, dossier_code, component, now};
	return store_execv(c,
	                   "INSERT INTO vault_use (item_id, dossier_code, component, used_at) "
	                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (item_id, dossier_code, component) "
	                   "DO NOTHING",
	                   4, p);
}

/* ---- counts for the reuse rate ---- */

mc_err vault_count_items(store_conn *c, const char *from_ts, const char *to_ts, long *created,
                         long *reused)
{
	*created = *reused = 0;
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT COUNT(*), COUNT(CASE WHEN EXISTS (SELECT 1 FROM vault_use u "
	                  "WHERE u.item_id = i.id AND (i.ref IS NULL OR u.dossier_code <> "
	                  "i.ref)) THEN 1 END) FROM vault_item i "
	                  "WHERE i.created_at >= ?1 AND i.created_at < ?2",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, from_ts);
	store_bind_text(st, 2, to_ts);
	bool row;
	e = store_step(st, &row);
	if (!e && row) {
		*created = (long)store_col_int(st, 0);
		*reused = (long)store_col_int(st, 1);
	}
	store_finish(st);
	return e;
}

/* ---- match report over the catalog ---- */

typedef struct report_ctx {
	json_t *codes; /* the page of procedure codes */
	long procedures, documents, typed, required, required_typed;
	json_t *by_type; /* {code: n} */
	json_t *untyped; /* every untyped document component */
} report_ctx;

static mc_err report_page_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	report_ctx *x = vctx;
	size_t i;
	json_t *code;
	json_array_foreach(x->codes, i, code)
	{
		json_t *proc = NULL;
		mc_err e = catalog_procedure_get(c, json_string_value(code), 0, &proc, NULL);
		if (e == MC_ERR_NOT_FOUND)
			continue;
		if (e)
			return e;
		x->procedures++;
		size_t j;
		json_t *comp;
		json_array_foreach(json_object_get(proc, "components"), j, comp)
		{
			if (!catalog_component_is_document(comp))
				continue;
			bool req = json_is_true(json_object_get(comp, "required"));
			const char *name = json_string_value(json_object_get(comp, "name"));
			const char *t = vault_match_name(name);
			x->documents++;
			x->required += req;
			if (t) {
				x->typed++;
				x->required_typed += req;
				json_int_t n = json_integer_value(json_object_get(x->by_type, t));
				json_object_set_new(x->by_type, t, json_integer(n + 1));
			} else {
				const char *nm = name ? name : "";
				size_t n = strlen(nm);
				if (n > 240) {
					/* cut on a UTF-8 character boundary */
					n = 240;
					while (n > 0 && ((unsigned char)nm[n] & 0xC0) == 0x80)
						n--;
				}
				char *short_name = mc_xstrndup(nm, n);
				json_array_append_new(
				    x->untyped,
				    json_pack("{s:O, s:o, s:s, s:b}", "procedure", code,
				              "component",
				              jstr(json_string_value(json_object_get(comp, "id"))),
				              "name", short_name, "required", req));
				free(short_name);
			}
		}
		json_decref(proc);
	}
	return MC_OK;
}

static json_t *share_json(long num, long den)
{
	double r = vault_rate(num, den);
	return json_pack("{s:I, s:I, s:o}", "typed", (json_int_t)num, "total", (json_int_t)den,
	                 "share", r < 0 ? json_null() : json_real(r));
}

mc_err vault_match_report(store *s, int max_examples, json_t **out, mc_diag *diag)
{
	*out = NULL;
	report_ctx x = {.by_type = json_object(), .untyped = json_array()};
	char after[64] = "";
	mc_err e = MC_OK;
	for (;;) {
		catalog_query q = {.limit = 100, .after = after[0] ? after : NULL};
		json_t *items = NULL;
		bool more = false;
		if ((e = catalog_list(s, &q, &items, &more, diag)))
			break;
		x.codes = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			json_array_append(x.codes, json_object_get(it, "code"));
		}
		size_t n = json_array_size(items);
		if (n > 0)
			snprintf(after, sizeof after, "%s",
			         json_string_value(
			             json_object_get(json_array_get(items, n - 1), "code")));
		json_decref(items);
		e = store_read(s, report_page_fn, &x, diag);
		json_decref(x.codes);
		x.codes = NULL;
		if (e || !more || n == 0)
			break;
	}
	if (e) {
		json_decref(x.by_type);
		json_decref(x.untyped);
		return e;
	}
	/* examples spread evenly over the catalog */
	json_t *examples = json_array();
	size_t nu = json_array_size(x.untyped);
	if (max_examples < 0)
		max_examples = 0;
	for (size_t k = 0; k < (size_t)max_examples && k < nu; k++) {
		size_t idx = nu <= (size_t)max_examples ? k : k * nu / (size_t)max_examples;
		json_array_append(examples, json_array_get(x.untyped, idx));
	}
	*out = json_pack("{s:I, s:o, s:o, s:o, s:I, s:o}", "procedures", (json_int_t)x.procedures,
	                 "documents", share_json(x.typed, x.documents), "required_documents",
	                 share_json(x.required_typed, x.required), "by_type", x.by_type,
	                 "untyped_count", (json_int_t)nu, "untyped_examples", examples);
	json_decref(x.untyped);
	return MC_OK;
}

/* ---- demo data ---- */

static mc_err seed_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)vctx;
	static const vault_item demo[] = {
	    {.holder = "001090012345",
	     .doc_type = "driving_licence",
	     .title = "Giấy phép lái xe hạng B / Driving licence, class B",
	     .issuer = "UBND-00004",
	     .valid_from = "2020-07-01",
	     .valid_until = "2030-06-30",
	     .status = VAULT_VERIFIED,
	     .source = VAULT_SRC_RESULT,
	     .ref = "demo:driving-licence-2020",
	     .actor = "system"},
	    {.holder = "001090012345",
	     .doc_type = "health_insurance_card",
	     .title = "Thẻ bảo hiểm y tế / Health insurance card",
	     .issuer = "UBND-00004",
	     .valid_from = "2026-01-01",
	     .valid_until = "2026-12-31",
	     .status = VAULT_VERIFIED,
	     .source = VAULT_SRC_RESULT,
	     .ref = "demo:health-insurance-2026",
	     .actor = "system"},
	    {.holder = "079190012346",
	     .doc_type = "marriage_certificate",
	     .title = "Giấy chứng nhận kết hôn / Marriage certificate",
	     .issuer = "UBND-00004",
	     .valid_from = "2018-06-02",
	     .status = VAULT_VERIFIED,
	     .source = VAULT_SRC_RESULT,
	     .ref = "demo:marriage-registration-2018",
	     .actor = "system"},
	};
	for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
		mc_err e = vault_item_put(c, &demo[i], NULL, diag);
		if (e)
			return e;
	}
	return MC_OK;
}

mc_err vault_seed_demo(store *s, mc_diag *diag)
{
	return store_write(s, seed_fn, NULL, diag);
}
