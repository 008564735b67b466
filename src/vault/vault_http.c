/* vault_http.c - HTTP handlers of the vault and its route table: the
 * document-type dictionary, a holder's vault (stored items and registry
 * facts), uploads by the holder, items recorded by officers, verification
 * and revocation, the eForm pre-filled from the registries, the match
 * report and the once-only / digitization / reuse rates.
 *
 * Access: a citizen sees the vault of their own personal number and of the
 * businesses they legally represent; officers and administrators see any
 * holder's vault and every such read is audited ("vault.read") and, for a
 * person's vault, recorded in the person's access log (src/exchange, "who
 * used my data") with its basis (a dossier or consent of the officer's
 * agency, else the reader's role); anonymous
 * callers see only the dictionary and the rates. */
#include "vault/vault.h"
#include "vault/vault_internal.h"

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "core/mem.h"
#include "core/text.h"
#include "document/document.h"
#include "dossier/dossier.h"
#include "exchange/exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply_err(mc_req *req, mc_resp *resp, mc_err e, mc_diag *diag)
{
	http_reply_error(req, resp, e, diag);
	mc_diag_clear(diag);
}

static mc_err bad_param(mc_diag *diag, const char *name, const char *en, const char *vi)
{
	mc_err e = mc_fail2(diag, MC_ERR_INVALID, vi, "Invalid parameter %s: %s.", name, en);
	json_t *errors = json_array();
	mc_errors_add(errors, name, en, vi);
	mc_diag_ext(diag, "errors", errors);
	return e;
}

static bool is_staff(const mc_principal *who)
{
	return who->role == ROLE_OFFICER || who->role == ROLE_ADMIN;
}

static mc_err no_vault(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_FORBIDDEN,
	                "Tài khoản chưa gắn số định danh cá nhân nên chưa có kho dữ liệu.",
	                "This account has no personal number, so it has no vault.");
}

static mc_err not_yours(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_FORBIDDEN,
	                "Bạn chỉ xem được kho dữ liệu của mình và của doanh nghiệp mình đại "
	                "diện.",
	                "You see only your own vault and those of the businesses you represent.");
}

static mc_err audit_read(store_conn *c, const mc_principal *who, const char *holder,
                         const char *what)
{
	char object[64];
	snprintf(object, sizeof object, "vault/%s", holder);
	json_t *detail = json_pack("{s:s, s:s, s:s}", "holder", holder, "read", what, "role",
	                           role_name(who->role));
	mc_err e = audit_append(c, who->username, "vault.read", object, detail);
	json_decref(detail);
	const char *kind = NULL;
	if (e || !vault_holder_kind(holder, &kind) || strcmp(kind, "person") != 0 ||
	    strcmp(holder, who->person_id) == 0)
		return e;
	/* the person sees this read in "who used my data" (src/exchange) */
	exchange_lookup l = {.subject = holder,
	                     .actor = who->username,
	                     .agency = who->agency,
	                     .role = role_name(who->role),
	                     .channel = "vault",
	                     .category = "vault_documents",
	                     .basis_category = "vault_documents"};
	return exchange_lookup_log(c, &l, NULL, NULL, NULL);
}

/* ---- GET /api/v1/vault/types ---- */

static void h_types(mc_req *req, mc_resp *resp)
{
	json_t *items = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(vault_doctypes(), i, t)
	{
		json_t *o = json_pack(
		    "{s:O, s:O, s:O, s:O, s:b}", "code", json_object_get(t, "code"), "name_vi",
		    json_object_get(t, "name_vi"), "name_en", json_object_get(t, "name_en"),
		    "patterns", json_object_get(t, "patterns"), "form",
		    json_is_true(json_object_get(t, "form")));
		json_t *r = json_object_get(t, "registry");
		json_object_set(o, "registry", r ? r : json_null());
		json_array_append_new(items, o);
	}
	http_reply_list(req, resp, items, NULL);
}

/* ---- GET /api/v1/vault/items ---- */

typedef struct list_ctx {
	const mc_principal *who;
	const char *holder, *type;
	int limit;
	const char *after_c, *after_i;
	bool first_page;
	json_t *items;
	bool more;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	if (x->who->role == ROLE_CITIZEN) {
		bool ok = false;
		mc_err e = vault_may_act_for(c, x->who->person_id, x->holder, &ok);
		if (e)
			return e;
		if (!ok)
			return not_yours(diag);
	}
	json_t *stored = NULL;
	mc_err e = vault_list_for_holder(c, x->holder, x->type, x->limit, x->after_c, x->after_i,
	                                 &stored, &x->more, diag);
	if (e) {
		json_decref(stored);
		return e;
	}
	x->items = json_array();
	if (x->first_page) {
		json_t *facts = json_array();
		unsigned have = 0;
		if ((e = vault_registry_facts(c, x->holder, facts, &have))) {
			json_decref(facts);
			json_decref(stored);
			return e;
		}
		size_t i;
		json_t *f;
		json_array_foreach(facts, i, f)
		{
			if (!x->type ||
			    strcmp(x->type, json_string_value(json_object_get(f, "type"))) == 0)
				json_array_append(x->items, f);
		}
		json_decref(facts);
	}
	json_array_extend(x->items, stored);
	json_decref(stored);
	if (is_staff(x->who))
		e = audit_read(c, x->who, x->holder, "list");
	return e;
}

static void h_list(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *cur = NULL;
	list_ctx x = {.who = &req->who};
	const char *kind;
	mc_err e = http_limit(req, 50, 100, &x.limit, &diag);
	if (!e)
		e = http_cursor_decode(req, &cur, &diag);
	if (e)
		goto out;
	x.holder = http_query(req, "holder");
	x.type = http_query(req, "type");
	if (x.type && !vault_doctype(x.type)) {
		e = bad_param(&diag, "type", "unknown document type", "loại giấy tờ không hợp lệ");
		goto out;
	}
	if (!x.holder && req->who.role == ROLE_CITIZEN) {
		if (!req->who.person_id[0]) {
			e = no_vault(&diag);
			goto out;
		}
		x.holder = req->who.person_id;
	}
	if (!x.holder) {
		e = bad_param(&diag, "holder", "required for officers and administrators",
		              "cán bộ phải nêu chủ kho dữ liệu");
		goto out;
	}
	if (!vault_holder_kind(x.holder, &kind)) {
		e = bad_param(&diag, "holder",
		              "must be a personal number (12 digits) or an enterprise code",
		              "phải là số định danh cá nhân hoặc mã số doanh nghiệp");
		goto out;
	}
	if (cur) {
		x.after_c = json_string_value(json_object_get(cur, "c"));
		x.after_i = json_string_value(json_object_get(cur, "i"));
		if (!x.after_c || !x.after_i) {
			e = bad_param(&diag, "cursor", "malformed cursor", "con trỏ không hợp lệ");
			goto out;
		}
	}
	x.first_page = cur == NULL;
	e = is_staff(&req->who) ? store_write(req->app->db, list_fn, &x, &diag)
	                        : store_read(req->app->db, list_fn, &x, &diag);
	if (e)
		goto out;
	json_t *next = NULL;
	size_t n = json_array_size(x.items);
	if (x.more && n > 0) {
		json_t *last = json_array_get(x.items, n - 1);
		next = json_pack("{s:O, s:O}", "c", json_object_get(last, "created_at"), "i",
		                 json_object_get(last, "id"));
	}
	http_reply_list(req, resp, x.items, next);
	x.items = NULL;
out:
	if (e)
		reply_err(req, resp, e, &diag);
	json_decref(x.items);
	json_decref(cur);
}

/* ---- GET /api/v1/vault/items/{id} ---- */

typedef struct get_ctx {
	const mc_principal *who;
	const char *id;
	json_t *out;
} get_ctx;

static mc_err item_missing(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy giấy tờ trong kho dữ liệu.",
	                "No such vault item.");
}

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	get_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	if (text_starts_with(x->id, "registry:")) {
		/* a computed fact: only the holder's own */
		if (x->who->role != ROLE_CITIZEN || !x->who->person_id[0])
			return item_missing(diag);
		json_t *facts = json_array();
		unsigned have;
		mc_err e = vault_registry_facts(c, x->who->person_id, facts, &have);
		size_t i;
		json_t *f;
		json_array_foreach(facts, i, f)
		{
			if (!x->out &&
			    strcmp(json_string_value(json_object_get(f, "id")), x->id) == 0)
				x->out = json_incref(f);
		}
		json_decref(facts);
		if (e)
			return e;
		return x->out ? MC_OK : item_missing(diag);
	}
	mc_err e = vault_item_get(c, x->id, &x->out, diag);
	if (e)
		return e;
	const char *holder = json_string_value(json_object_get(x->out, "holder"));
	if (x->who->role == ROLE_CITIZEN) {
		bool ok = false;
		if ((e = vault_may_act_for(c, x->who->person_id, holder, &ok)))
			return e;
		if (!ok) {
			json_decref(x->out);
			x->out = NULL;
			return item_missing(diag);
		}
		return MC_OK;
	}
	return audit_read(c, x->who, holder, x->id);
}

static void h_get(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	get_ctx x = {.who = &req->who, .id = req->params[0]};
	if (strlen(x.id) > 128) {
		mc_err e = item_missing(&diag);
		reply_err(req, resp, e, &diag);
		return;
	}
	mc_err e = is_staff(&req->who) && !text_starts_with(x.id, "registry:")
	               ? store_write(req->app->db, get_fn, &x, &diag)
	               : store_read(req->app->db, get_fn, &x, &diag);
	if (e) {
		json_decref(x.out);
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, x.out);
}

/* ---- POST /api/v1/vault/items ---- */

typedef struct put_ctx {
	const mc_principal *who;
	vault_item in;
	int64_t doc_owner_must_be; /* citizens: their own uploads only */
	json_t *out;
} put_ctx;

static mc_err put_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	put_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *errors = json_array();
	mc_err e = MC_OK;
	char sha[72] = "";
	if (x->who->role == ROLE_CITIZEN) {
		bool ok = false;
		if ((e = vault_may_act_for(c, x->who->person_id, x->in.holder, &ok)))
			goto out;
		if (!ok) {
			e = not_yours(diag);
			goto out;
		}
	}
	if (x->in.document_id) {
		json_t *meta = NULL;
		e = strlen(x->in.document_id) <= 64
		        ? document_get(c, x->in.document_id, &meta, NULL)
		        : MC_ERR_NOT_FOUND;
		if (e && e != MC_ERR_NOT_FOUND)
			goto out;
		e = MC_OK;
		if (!meta ||
		    (x->doc_owner_must_be &&
		     json_integer_value(json_object_get(meta, "owner")) != x->doc_owner_must_be)) {
			mc_errors_add(errors, "$.document", "no such document among your uploads",
			              "không tìm thấy tài liệu này trong các tệp bạn đã tải lên");
		} else if (!x->in.content_sha256) {
			snprintf(sha, sizeof sha, "%s",
			         json_string_value(json_object_get(meta, "sha256")));
			x->in.content_sha256 = sha;
		}
		json_decref(meta);
	}
	if (json_array_size(errors) > 0) {
		e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Giấy tờ không hợp lệ; xem danh sách lỗi.",
		             "The vault item is invalid; see the list of errors.");
		mc_diag_ext(diag, "errors", errors);
		errors = NULL;
		goto out;
	}
	char *id = NULL;
	if ((e = vault_item_put(c, &x->in, &id, diag)))
		goto out;
	e = vault_item_get(c, id, &x->out, diag);
	free(id);
out:
	if (sha[0])
		x->in.content_sha256 = NULL;
	json_decref(errors);
	return e;
}

static const char *const citizen_members[] = {"holder",     "type",        "document", "title",
                                              "valid_from", "valid_until", NULL};
static const char *const staff_members[] = {"holder",     "type",        "document",       "title",
                                            "valid_from", "valid_until", "content_sha256", "issuer",
                                            "ref",        NULL};

static bool member_allowed(const char *k, const char *const *allowed)
{
	for (int i = 0; allowed[i]; i++) {
		if (strcmp(allowed[i], k) == 0)
			return true;
	}
	return false;
}

static void h_put(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *body = http_json(req);
	const mc_principal *who = &req->who;
	bool staff = is_staff(who);
	const char *const *allowed = staff ? staff_members : citizen_members;
	json_t *types = json_array(), *errors = json_array();
	put_ctx x = {.who = who};
	mc_err e = MC_OK;
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		char path[96];
		snprintf(path, sizeof path, "$.%.80s", k);
		if (!member_allowed(k, allowed)) {
			if (json_array_size(errors) < 20)
				mc_errors_add(errors, path, "unknown member",
				              "thành phần không hợp lệ");
		} else if (!json_is_string(v) && !json_is_null(v)) {
			mc_errors_add(types, path, "must be a string", "phải là chuỗi ký tự");
		}
	}
	if (json_array_size(types) > 0) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Yêu cầu không đúng định dạng.",
		             "The request members have wrong types.");
		mc_diag_ext(&diag, "errors", types);
		types = NULL;
		goto out;
	}
#define S(name) json_string_value(json_object_get(body, name))
	x.in.holder = S("holder");
	x.in.doc_type = S("type");
	x.in.title = S("title");
	x.in.valid_from = S("valid_from");
	x.in.valid_until = S("valid_until");
	x.in.document_id = S("document");
	x.in.actor = who->username;
	if (!x.in.doc_type)
		mc_errors_add(errors, "$.type", "required member is missing",
		              "thiếu thông tin bắt buộc");
	if (staff) {
		x.in.content_sha256 = S("content_sha256");
		x.in.ref = S("ref");
		x.in.issuer = S("issuer");
		x.in.source = VAULT_SRC_RESULT;
		x.in.status = VAULT_VERIFIED;
		if (!x.in.holder)
			mc_errors_add(errors, "$.holder", "required member is missing",
			              "thiếu thông tin bắt buộc");
		if (who->role == ROLE_OFFICER) {
			if (x.in.issuer && strcmp(x.in.issuer, who->agency) != 0) {
				e = mc_fail2(&diag, MC_ERR_FORBIDDEN,
				             "Cán bộ chỉ ghi nhận giấy tờ do cơ quan mình cấp.",
				             "Officers record documents issued by their own agency "
				             "only.");
				goto out;
			}
			x.in.issuer = who->agency;
		} else if (!x.in.issuer) {
			mc_errors_add(errors, "$.issuer", "required member is missing",
			              "thiếu thông tin bắt buộc");
		}
	} else {
		if (!who->person_id[0]) {
			e = no_vault(&diag);
			goto out;
		}
		if (!x.in.holder)
			x.in.holder = who->person_id;
		if (!x.in.document_id)
			mc_errors_add(errors, "$.document", "required member is missing",
			              "thiếu thông tin bắt buộc");
		x.in.source = VAULT_SRC_UPLOAD;
		x.in.status = VAULT_UNVERIFIED;
		x.doc_owner_must_be = who->user_id;
	}
#undef S
	if (json_array_size(errors) > 0) {
		e = mc_fail2(&diag, MC_ERR_UNPROCESSABLE,
		             "Giấy tờ không hợp lệ; xem danh sách lỗi.",
		             "The vault item is invalid; see the list of errors.");
		mc_diag_ext(&diag, "errors", errors);
		errors = NULL;
		goto out;
	}
	if ((e = store_write(req->app->db, put_fn, &x, &diag)))
		goto out;
	http_add_header(resp, "Location",
	                mc_arena_printf(req->arena, "/api/v1/vault/items/%s",
	                                json_string_value(json_object_get(x.out, "id"))));
	http_reply_json(resp, 201, x.out);
out:
	if (e)
		reply_err(req, resp, e, &diag);
	json_decref(types);
	json_decref(errors);
}

/* ---- POST /api/v1/vault/items/{id}/status ---- */

typedef struct status_ctx {
	const mc_principal *who;
	const char *id, *reason;
	vault_status st;
	json_t *out;
} status_ctx;

static mc_err status_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	status_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *it = NULL;
	mc_err e = vault_item_get(c, x->id, &it, diag);
	if (e)
		return e;
	if (x->who->role == ROLE_OFFICER) {
		const char *src = json_string_value(json_object_get(it, "source"));
		const char *issuer = json_string_value(json_object_get(it, "issuer"));
		bool own = issuer && strcmp(issuer, x->who->agency) == 0;
		bool upload = strcmp(src, "upload") == 0;
		if (!upload && !own) {
			json_decref(it);
			return mc_fail2(
			    diag, MC_ERR_FORBIDDEN,
			    "Cán bộ chỉ xác minh, thu hồi giấy tờ công dân tải lên hoặc "
			    "giấy tờ do cơ quan mình cấp.",
			    "Officers verify or revoke uploads and documents issued by "
			    "their own agency only.");
		}
	}
	json_decref(it);
	if ((e = vault_item_set_status(c, x->id, x->st, x->who->username, x->reason, diag)))
		return e;
	return vault_item_get(c, x->id, &x->out, diag);
}

static void h_status(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *body = http_json(req);
	json_t *errors = json_array();
	status_ctx x = {.who = &req->who, .id = req->params[0]};
	mc_err e = MC_OK;
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		if (strcmp(k, "status") != 0 && strcmp(k, "reason") != 0) {
			char path[96];
			snprintf(path, sizeof path, "$.%.80s", k);
			if (json_array_size(errors) < 20)
				mc_errors_add(errors, path, "unknown member",
				              "thành phần không hợp lệ");
		}
	}
	json_t *st = json_object_get(body, "status");
	json_t *reason = json_object_get(body, "reason");
	if ((st && !json_is_string(st)) ||
	    (reason && !json_is_string(reason) && !json_is_null(reason))) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "\"status\" và \"reason\" phải là chuỗi ký tự.",
		             "\"status\" and \"reason\" must be strings.");
		goto out;
	}
	x.reason = json_string_value(reason);
	if (!st)
		mc_errors_add(errors, "$.status", "required member is missing",
		              "thiếu thông tin bắt buộc");
	else if (!vault_status_parse(json_string_value(st), &x.st) || x.st == VAULT_UNVERIFIED)
		mc_errors_add(errors, "$.status", "must be verified or revoked",
		              "phải là verified hoặc revoked");
	if (st && x.st == VAULT_REVOKED &&
	    (!x.reason || strspn(x.reason, " \t\r\n") == strlen(x.reason)))
		mc_errors_add(errors, "$.reason", "a revocation states its reason",
		              "thu hồi phải nêu lý do");
	if (x.reason && strlen(x.reason) > VAULT_REASON_MAX)
		mc_errors_add(errors, "$.reason", "must be at most 2000 bytes", "tối đa 2000 byte");
	if (json_array_size(errors) > 0) {
		e = mc_fail2(&diag, MC_ERR_UNPROCESSABLE,
		             "Yêu cầu không hợp lệ; xem danh sách lỗi.",
		             "The request is invalid; see the list of errors.");
		mc_diag_ext(&diag, "errors", errors);
		errors = NULL;
		goto out;
	}
	if ((e = store_write(req->app->db, status_fn, &x, &diag)))
		goto out;
	http_reply_json(resp, 200, x.out);
	x.out = NULL;
out:
	if (e)
		reply_err(req, resp, e, &diag);
	json_decref(x.out);
	json_decref(errors);
}

/* ---- GET /api/v1/vault/prefill?procedure= ---- */

typedef struct prefill_ctx {
	const mc_principal *who;
	const char *procedure;
	json_t *out;
} prefill_ctx;

static mc_err prefill_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	prefill_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *proc = NULL, *form = NULL, *rows = NULL, *errors = json_array();
	mc_err e = catalog_procedure_get(c, x->procedure, 0, &proc, NULL);
	if (e == MC_ERR_NOT_FOUND)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có thủ tục này.", "No such procedure.");
	if (e)
		goto out;
	if ((e = vault_prefill(c, x->who->person_id, json_object_get(proc, "form"), &form)))
		goto out;
	if ((e = vault_resolve_components(c, x->who->person_id, proc, NULL, true, "$.components",
	                                  errors, &rows)))
		goto out;
	x->out =
	    json_pack("{s:O, s:O, s:o, s:o}", "procedure", json_object_get(proc, "code"), "version",
	              json_object_get(proc, "version"), "form", form, "components", rows);
	form = rows = NULL;
out:
	json_decref(proc);
	json_decref(form);
	json_decref(rows);
	json_decref(errors);
	return e;
}

static void h_prefill(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	prefill_ctx x = {.who = &req->who, .procedure = http_query(req, "procedure")};
	mc_err e = MC_OK;
	if (req->who.role != ROLE_CITIZEN)
		e = mc_fail2(&diag, MC_ERR_FORBIDDEN, "Chỉ công dân có biểu mẫu điền sẵn.",
		             "Only citizens get pre-filled forms.");
	else if (!req->who.person_id[0])
		e = no_vault(&diag);
	else if (!x.procedure || !x.procedure[0] || strlen(x.procedure) > 32)
		e = bad_param(&diag, "procedure", "a procedure code is required",
		              "phải nêu mã thủ tục");
	if (!e)
		e = store_read(req->app->db, prefill_fn, &x, &diag);
	if (e) {
		json_decref(x.out);
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, x.out);
}

/* ---- GET /api/v1/vault/match-report ---- */

static void h_match_report(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	const char *ex = http_query(req, "examples");
	long n = 20;
	if (ex) {
		char *end;
		n = strtol(ex, &end, 10);
		if (!*ex || *end || n < 0 || n > 1000) {
			mc_err e = bad_param(&diag, "examples", "must be an integer 0..1000",
			                     "phải là số nguyên từ 0 đến 1000");
			reply_err(req, resp, e, &diag);
			return;
		}
	}
	json_t *out = NULL;
	mc_err e = vault_match_report(req->app->db, (int)n, &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, out);
}

/* ---- GET /api/v1/vault/rates?from=&to= ---- */

typedef struct rates_ctx {
	const char *from, *to;
	vault_rate_counts *k;
} rates_ctx;

static mc_err rates_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	rates_ctx *x = vctx;
	return vault_count_items(c, x->from, x->to, &x->k->items_created, &x->k->items_reused);
}

static void h_rates(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	const char *from = http_query(req, "from");
	const char *to = http_query(req, "to");
	mc_day dfrom, dto;
	char today[16], from_ts[32], to_ts[32], tob[16];
	mc_err e = MC_OK;
	date_format(date_local_of(ts_now()), today);
	if (!from)
		from = "2000-01-01";
	if (!to)
		to = today;
	if (strlen(from) != 10 || !date_parse(from, &dfrom))
		e = bad_param(&diag, "from", "must be a date YYYY-MM-DD",
		              "phải là ngày YYYY-MM-DD");
	else if (strlen(to) != 10 || !date_parse(to, &dto))
		e = bad_param(&diag, "to", "must be a date YYYY-MM-DD", "phải là ngày YYYY-MM-DD");
	else if (dto < dfrom)
		e = bad_param(&diag, "to", "must not be before from",
		              "không được trước ngày bắt đầu");
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	/* the period covers whole days [from, to], in UTC timestamps */
	snprintf(from_ts, sizeof from_ts, "%sT00:00:00Z", from);
	snprintf(to_ts, sizeof to_ts, "%sT00:00:00Z", date_format(dto + 1, tob));
	vault_rate_counts k = {0};
	e = dossier_rate_counts(req->app->db, from_ts, to_ts, &k, &diag);
	rates_ctx x = {from_ts, to_ts, &k};
	if (!e)
		e = store_read(req->app->db, rates_fn, &x, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	json_t *out = vault_rates_json(&k);
	json_object_set_new(out, "from", json_string(from));
	json_object_set_new(out, "to", json_string(to));
	http_reply_json(resp, 200, out);
}

const http_route vault_routes[] = {
    {"GET", "/api/v1/vault/types", h_types, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/vault/rates", h_rates, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/vault/match-report", h_match_report, ACCESS_OFFICER, BODY_NONE},
    {"GET", "/api/v1/vault/prefill", h_prefill, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/vault/items", h_list, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/vault/items", h_put, ACCESS_USER, BODY_JSON},
    {"GET", "/api/v1/vault/items/{id}", h_get, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/vault/items/{id}/status", h_status, ACCESS_OFFICER, BODY_JSON},
    {0},
};
