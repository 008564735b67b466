/* result.c - the result service: issuing a signed result inside the write
 * transaction that finishes a dossier, reading it back, verification
 * (valid / tampered / revoked), revocation, and the HTML and plain-text
 * renderings of a result document. All SQL of table result lives here. */
#include "result/result_internal.h"

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "territory/territory.h"
#include "vault/vault.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESULT_COLS                                                                                \
	"id, dossier_code, agency, key_id, applicant_user_id, document, signature, issued_at, "    \
	"revoked_at, revoked_by, revoke_reason, vault_item"

static mc_err not_found(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy kết quả.", "No such result.");
}

static bool id_ok(const char *id)
{
	if (!id || strlen(id) != RESULT_ID_LEN)
		return false;
	for (const char *s = id; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* ---- one stored row ---- */

typedef struct rrow {
	char *id, *dossier_code, *agency, *key_id, *document, *signature, *issued_at;
	char *revoked_at, *revoked_by, *revoke_reason, *vault_item;
	int64_t applicant_user_id;
} rrow;

static char *dup_col(store_stmt *st, int i)
{
	const char *s = store_col_text(st, i);
	return s ? mc_xstrdup(s) : NULL;
}

static void rrow_free(rrow *r)
{
	free(r->id);
	free(r->dossier_code);
	free(r->agency);
	free(r->key_id);
	free(r->document);
	free(r->signature);
	free(r->issued_at);
	free(r->revoked_at);
	free(r->revoked_by);
	free(r->revoke_reason);
	free(r->vault_item);
	memset(r, 0, sizeof *r);
}

/* Loads a row by id (by_dossier false) or dossier code. NOT_FOUND. */
static mc_err rrow_load(store_conn *c, const char *key, bool by_dossier, rrow *r, mc_diag *diag)
{
	memset(r, 0, sizeof *r);
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  by_dossier ? "SELECT " RESULT_COLS " FROM result WHERE dossier_code = ?1"
	                             : "SELECT " RESULT_COLS " FROM result WHERE id = ?1",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, key);
	bool row = false;
	if (!(e = store_step(st, &row)) && row) {
		r->id = dup_col(st, 0);
		r->dossier_code = dup_col(st, 1);
		r->agency = dup_col(st, 2);
		r->key_id = dup_col(st, 3);
		r->applicant_user_id = store_col_int(st, 4);
		r->document = dup_col(st, 5);
		r->signature = dup_col(st, 6);
		r->issued_at = dup_col(st, 7);
		r->revoked_at = dup_col(st, 8);
		r->revoked_by = dup_col(st, 9);
		r->revoke_reason = dup_col(st, 10);
		r->vault_item = dup_col(st, 11);
	}
	store_finish(st);
	if (e)
		return e;
	return row ? MC_OK : not_found(diag);
}

typedef enum rstate { RS_VALID, RS_TAMPERED, RS_REVOKED } rstate;

static const char *state_name(rstate s)
{
	return s == RS_VALID ? "valid" : s == RS_REVOKED ? "revoked" : "tampered";
}

static bool member_is(const json_t *o, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v && want && strcmp(v, want) == 0;
}

/* Checks a row: signature with its key, and that the columns shown next to
 * the document are the signed ones. *doc = parsed document (nullable);
 * *reason = why tampered (static English text). */
static mc_err rrow_check(store_conn *c, const rrow *r, rstate *state, const char **reason,
                         json_t **doc)
{
	*doc = NULL;
	*reason = NULL;
	*state = RS_TAMPERED;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT agency, public_key FROM result_key WHERE id = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, r->key_id);
	bool row = false;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	bool have_pk = false, key_agency_ok = false;
	if (!(e = store_step(st, &row)) && row) {
		const char *hex = store_col_text(st, 1);
		size_t got = 0;
		key_agency_ok = r->agency && strcmp(store_col_text(st, 0), r->agency) == 0;
		have_pk = hex &&
		          sodium_hex2bin(pk, sizeof pk, hex, strlen(hex), NULL, &got, NULL) == 0 &&
		          got == sizeof pk;
	}
	store_finish(st);
	if (e)
		return e;
	*doc = json_loads(r->document, JSON_DECODE_ANY, NULL);
	if (!have_pk) {
		*reason = "the signing key is unknown";
	} else if (!result_signature_ok(pk, r->document, strlen(r->document), r->signature)) {
		*reason = "the signature does not match the document";
	} else if (!key_agency_ok || !json_is_object(*doc) ||
	           !member_is(*doc, "format", RESULT_FORMAT) || !member_is(*doc, "id", r->id) ||
	           !member_is(*doc, "dossier_code", r->dossier_code) ||
	           !member_is(*doc, "signing_key", r->key_id) ||
	           !member_is(*doc, "issued_at", r->issued_at) ||
	           !member_is(json_object_get(*doc, "issuing_agency"), "code", r->agency)) {
		*reason = "the stored fields differ from the signed document";
	} else {
		*state = r->revoked_at ? RS_REVOKED : RS_VALID;
	}
	if (*state == RS_TAMPERED && !json_is_object(*doc)) {
		json_decref(*doc);
		*doc = NULL;
	}
	return MC_OK;
}

static mc_err rrow_json(store_conn *c, const rrow *r, json_t **out)
{
	rstate s;
	const char *reason;
	json_t *doc;
	mc_err e = rrow_check(c, r, &s, &reason, &doc);
	if (e)
		return e;
	char *url = result_verify_url(r->id);
	*out = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "id",
	                 r->id, "dossier_code", r->dossier_code, "agency", r->agency, "key_id",
	                 r->key_id, "applicant_user_id", (json_int_t)r->applicant_user_id,
	                 "issued_at", r->issued_at, "status", state_name(s), "tamper_reason",
	                 jstr(reason), "revoked_at", jstr(r->revoked_at), "revoke_reason",
	                 jstr(r->revoke_reason), "document", doc ? doc : json_null(), "signature",
	                 r->signature, "verify_url", url);
	json_object_set_new(*out, "vault_item", jstr(r->vault_item));
	free(url);
	return MC_OK;
}

mc_err result_get(store_conn *c, const char *id, json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!id_ok(id))
		return not_found(diag);
	rrow r;
	mc_err e = rrow_load(c, id, false, &r, diag);
	if (!e)
		e = rrow_json(c, &r, out);
	rrow_free(&r);
	return e;
}

mc_err result_get_by_dossier(store_conn *c, const char *dossier_code, json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!dossier_code || strlen(dossier_code) > 100)
		return not_found(diag);
	rrow r;
	mc_err e = rrow_load(c, dossier_code, true, &r, diag);
	if (!e)
		e = rrow_json(c, &r, out);
	rrow_free(&r);
	return e;
}

mc_err result_verify(store_conn *c, const char *id, json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!id_ok(id))
		return not_found(diag);
	rrow r;
	json_t *doc = NULL, *ag = NULL;
	mc_err e = rrow_load(c, id, false, &r, diag);
	if (e)
		goto out;
	rstate s;
	const char *reason;
	if ((e = rrow_check(c, &r, &s, &reason, &doc)))
		goto out;
	/* the agency's names: from the signed document when valid, else from
	 * the agency table (the code stored next to the document) */
	json_t *issuer = s != RS_TAMPERED ? json_object_get(doc, "issuing_agency") : NULL;
	json_t *names = NULL;
	if (issuer) {
		names = json_incref(issuer);
	} else {
		e = territory_agency_get(c, r.agency, &ag, NULL);
		if (e && e != MC_ERR_NOT_FOUND)
			goto out;
		e = MC_OK;
		names = json_pack("{s:s, s:o, s:o}", "code", r.agency, "name",
		                  json_incref(ag ? json_object_get(ag, "name") : json_null()),
		                  "name_en",
		                  json_incref(ag ? json_object_get(ag, "name_en") : json_null()));
	}
	json_t *proc = s != RS_TAMPERED ? json_object_get(doc, "procedure") : NULL;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, (const unsigned char *)r.document, strlen(r.document));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	char *url = result_verify_url(r.id);
	*out = json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:s}", "id", r.id,
	                 "status", state_name(s), "reason", jstr(reason), "issuing_agency", names,
	                 "key_id", r.key_id, "issued_at", r.issued_at, "procedure",
	                 proc ? json_incref(proc) : json_null(), "dossier_code", r.dossier_code,
	                 "document_sha256", hex, "revoked_at", jstr(r.revoked_at), "revoke_reason",
	                 jstr(r.revoke_reason), "verify_url", url);
	free(url);
out:
	json_decref(doc);
	json_decref(ag);
	rrow_free(&r);
	return e;
}

/* ---- issuing ---- */

static mc_err bad_content(mc_diag *diag, const char *en, const char *vi)
{
	json_t *errors = json_array();
	mc_errors_add(errors, "$.result", en, vi);
	mc_err e =
	    mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Kết quả không hợp lệ.", "The result is invalid.");
	mc_diag_ext(diag, "errors", errors);
	return e;
}

/* Vault type and title of a result: the procedure's first result name
 * matched against the document-type dictionary, else the procedure name,
 * else "decision". *title (malloc'ed) is that result name or NULL. */
static mc_err vault_type(store_conn *c, const result_issue_in *in, const char **type, char **title)
{
	*type = NULL;
	*title = NULL;
	json_t *proc = NULL;
	mc_err e = catalog_procedure_get(c, in->procedure_code, in->procedure_version, &proc, NULL);
	if (e == MC_ERR_NOT_FOUND)
		e = catalog_procedure_get(c, in->procedure_code, 0, &proc, NULL);
	if (e && e != MC_ERR_NOT_FOUND)
		return e;
	const char *name = json_string_value(
	    json_object_get(json_array_get(json_object_get(proc, "result"), 0), "name"));
	if (name) {
		*type = vault_match_name(name);
		if (strlen(name) <= VAULT_TITLE_MAX)
			*title = mc_xstrdup(name);
	}
	if (!*type && in->procedure_name)
		*type = vault_match_name(in->procedure_name);
	if (!*type)
		*type = "decision";
	json_decref(proc);
	return MC_OK;
}

/* Places the issued result in the applicant's vault (same transaction) and
 * records the item on the result row. An applicant without a personal
 * number has no vault; an item the vault refuses (422) is logged and
 * skipped, so that the signed result is still issued. */
static mc_err place_in_vault(store_conn *c, const result_issue_in *in, const char *id,
                             const char *canon, mc_diag *diag)
{
	if (!in->applicant_person_id || !*in->applicant_person_id)
		return MC_OK;
	const char *type;
	char *title = NULL, *vid = NULL;
	mc_err e = vault_type(c, in, &type, &title);
	if (e)
		return e;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1], day[11];
	crypto_hash_sha256(h, (const unsigned char *)canon, strlen(canon));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(day, sizeof day, "%.10s", in->issued_at);
	vault_item vi = {.holder = in->applicant_person_id,
	                 .doc_type = type,
	                 .title = title,
	                 .issuer = in->agency,
	                 .valid_from = day,
	                 .content_sha256 = hex,
	                 .status = VAULT_VERIFIED,
	                 .source = VAULT_SRC_RESULT,
	                 .ref = id,
	                 .actor = in->actor};
	mc_diag vd = {0};
	e = vault_item_put(c, &vi, &vid, &vd);
	if (e == MC_ERR_UNPROCESSABLE) {
		log_error("result %s: not placed in the vault: %s", id, vd.detail);
		e = MC_OK;
	} else if (e) {
		mc_fail(diag, e, "cannot place the result in the vault: %s", vd.detail);
	} else {
		const char *p[] = {vid, id};
		e = store_execv(c, "UPDATE result SET vault_item = ?1 WHERE id = ?2", 2, p);
	}
	mc_diag_clear(&vd);
	free(vid);
	free(title);
	return e;
}
mc_err result_issue(store_conn *c, const result_issue_in *in, char id_out[RESULT_ID_LEN + 1],
                    mc_diag *diag)
{
	id_out[0] = '\0';
	if (!json_is_object(in->content))
		return bad_content(diag, "must be an object", "phải là một đối tượng");
	char *content = result_canonical(in->content);
	size_t clen = content ? strlen(content) : 0;
	free(content);
	if (clen > RESULT_CONTENT_MAX)
		return bad_content(diag, "is larger than 65536 bytes", "lớn hơn 65536 byte");

	json_t *ag = NULL, *doc = NULL;
	char *canon = NULL;
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT id FROM result WHERE dossier_code = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, in->dossier_code);
	bool row = false;
	e = store_step(st, &row);
	store_finish(st);
	if (e)
		return e;
	if (row)
		return mc_fail2(diag, MC_ERR_CONFLICT, "Hồ sơ đã có kết quả.",
		                "The dossier already has a result.");
	if ((e = territory_agency_get(c, in->agency, &ag, NULL)) && e != MC_ERR_NOT_FOUND)
		goto out;
	e = MC_OK;
	char kid[RESULT_KEY_ID_LEN + 1];
	if ((e = result_active_key(c, in->agency, in->actor, kid, sk, diag)))
		goto out;

	unsigned char rnd[RESULT_ID_LEN / 2];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id_out, RESULT_ID_LEN + 1, rnd, sizeof rnd);
	doc = json_pack(
	    "{s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:o}, s:{s:s, s:o, s:o}, s:s, s:s, s:O}",
	    "format", RESULT_FORMAT, "id", id_out, "dossier_code", in->dossier_code, "procedure",
	    "code", in->procedure_code, "name", in->procedure_name ? in->procedure_name : "",
	    "applicant", "username", in->applicant_username, "person_id",
	    jstr(in->applicant_person_id), "issuing_agency", "code", in->agency, "name",
	    json_incref(ag ? json_object_get(ag, "name") : json_null()), "name_en",
	    json_incref(ag ? json_object_get(ag, "name_en") : json_null()), "issued_at",
	    in->issued_at, "signing_key", kid, "content", in->content);
	if (!doc) {
		e = mc_fail(diag, MC_ERR_INTERNAL, "cannot build the result document");
		goto out;
	}
	canon = result_canonical(doc);
	char sig[2 * crypto_sign_BYTES + 1];
	result_sign_bytes(sk, canon, strlen(canon), sig);

	if ((e = store_prepare(c,
	                       "INSERT INTO result (id, dossier_code, agency, key_id, "
	                       "applicant_user_id, document, signature, issued_at) VALUES (?1, ?2, "
	                       "?3, ?4, ?5, ?6, ?7, ?8)",
	                       &st)))
		goto out;
	store_bind_text(st, 1, id_out);
	store_bind_text(st, 2, in->dossier_code);
	store_bind_text(st, 3, in->agency);
	store_bind_text(st, 4, kid);
	store_bind_int(st, 5, in->applicant_user_id);
	store_bind_text(st, 6, canon);
	store_bind_text(st, 7, sig);
	store_bind_text(st, 8, in->issued_at);
	e = store_step(st, NULL);
	store_finish(st);
	if (e) {
		e = mc_fail(diag, e, "cannot store the result");
		goto out;
	}
	json_t *detail = json_pack("{s:s, s:s, s:s}", "dossier_code", in->dossier_code, "agency",
	                           in->agency, "key_id", kid);
	char object[64];
	snprintf(object, sizeof object, "result/%s", id_out);
	e = audit_append(c, in->actor, "result.issue", object, detail);
	json_decref(detail);
	if (!e)
		e = place_in_vault(c, in, id_out, canon, diag);
out:
	sodium_memzero(sk, sizeof sk);
	if (e)
		id_out[0] = '\0';
	json_decref(ag);
	json_decref(doc);
	free(canon);
	return e;
}

typedef struct count_ctx {
	long n;
	char *first;
} count_ctx;

static mc_err count_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	count_ctx *x = vctx;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT count(*), min(id) FROM result", &st);
	if (e)
		return e;
	bool row = false;
	if (!(e = store_step(st, &row)) && row) {
		x->n = (long)store_col_int(st, 0);
		const char *id = store_col_text(st, 1);
		snprintf(x->first, RESULT_ID_LEN + 1, "%s", id ? id : "");
	}
	store_finish(st);
	return e;
}

mc_err result_count(store *s, long *count, char first[RESULT_ID_LEN + 1], mc_diag *diag)
{
	first[0] = '\0';
	count_ctx x = {0, first};
	mc_err e = store_read(s, count_fn, &x, diag);
	*count = e ? 0 : x.n;
	return e;
}

/* ---- revocation ---- */

bool result_may_read(const mc_principal *who, const json_t *r)
{
	if (who->role == ROLE_ADMIN)
		return true;
	if (who->role == ROLE_OFFICER)
		return member_is(r, "agency", who->agency);
	return who->user_id != 0 &&
	       json_integer_value(json_object_get(r, "applicant_user_id")) == who->user_id;
}

typedef struct revoke_ctx {
	const mc_principal *who;
	const char *id, *reason;
	json_t *out;
} revoke_ctx;

static mc_err revoke_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	revoke_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	rrow r;
	mc_err e = rrow_load(c, x->id, false, &r, diag);
	if (e)
		goto out;
	if (x->who->role == ROLE_CITIZEN || x->who->role == ROLE_ANONYMOUS) {
		e = not_found(diag);
		goto out;
	}
	if (x->who->role == ROLE_OFFICER && strcmp(x->who->agency, r.agency) != 0) {
		e = mc_fail2(diag, MC_ERR_FORBIDDEN,
		             "Chỉ cơ quan đã ban hành mới được thu hồi kết quả.",
		             "Only the issuing agency may revoke a result.");
		goto out;
	}
	if (r.revoked_at) {
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Kết quả đã bị thu hồi.",
		             "The result is already revoked.");
		goto out;
	}
	char now[32];
	ts_format(ts_now(), now);
	const char *p[] = {now, x->who->username, x->reason, x->id};
	if ((e = store_execv(c,
	                     "UPDATE result SET revoked_at = ?1, revoked_by = ?2, revoke_reason = "
	                     "?3 WHERE id = ?4",
	                     4, p)))
		goto out;
	/* the copy in the applicant's vault is no longer valid either */
	if (r.vault_item) {
		mc_diag vd = {0};
		e = vault_item_set_status(c, r.vault_item, VAULT_REVOKED, x->who->username,
		                          x->reason, &vd);
		if (e == MC_ERR_CONFLICT || e == MC_ERR_NOT_FOUND)
			e = MC_OK; /* already revoked there, or gone */
		mc_diag_clear(&vd);
		if (e)
			goto out;
	}
	json_t *detail =
	    json_pack("{s:s, s:s}", "dossier_code", r.dossier_code, "reason", x->reason);
	char object[64];
	snprintf(object, sizeof object, "result/%s", x->id);
	e = audit_append(c, x->who->username, "result.revoke", object, detail);
	json_decref(detail);
	if (e)
		goto out;
	rrow_free(&r);
	if (!(e = rrow_load(c, x->id, false, &r, diag)))
		e = rrow_json(c, &r, &x->out);
out:
	rrow_free(&r);
	return e;
}

mc_err result_revoke(store *s, const mc_principal *who, const char *id, const char *reason,
                     json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!id_ok(id))
		return not_found(diag);
	bool blank = true;
	size_t n = reason ? strlen(reason) : 0;
	for (size_t i = 0; i < n; i++)
		if (reason[i] != ' ' && reason[i] != '\t' && reason[i] != '\n' && reason[i] != '\r')
			blank = false;
	if (blank || n > RESULT_REASON_MAX || !text_utf8_valid(reason, n)) {
		json_t *errors = json_array();
		mc_errors_add(errors, "$.reason", "required, 1 to 1000 bytes, not blank",
		              "bắt buộc, 1 đến 1000 byte, không để trống");
		mc_err e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Cần nêu lý do thu hồi.",
		                    "A reason for the revocation is required.");
		mc_diag_ext(diag, "errors", errors);
		return e;
	}
	revoke_ctx x = {who, id, reason, NULL};
	mc_err e = store_write(s, revoke_fn, &x, diag);
	if (!e) {
		*out = x.out;
		x.out = NULL;
	}
	json_decref(x.out);
	return e;
}

/* ---- renderings ---- */

void result_html_escape(mc_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			mc_buf_puts(b, "&amp;");
			break;
		case '<':
			mc_buf_puts(b, "&lt;");
			break;
		case '>':
			mc_buf_puts(b, "&gt;");
			break;
		case '"':
			mc_buf_puts(b, "&quot;");
			break;
		case '\'':
			mc_buf_puts(b, "&#39;");
			break;
		default:
			mc_buf_append(b, s, 1);
		}
	}
}

static const char *str_at(const json_t *doc, const char *obj, const char *key)
{
	const json_t *o = obj ? json_object_get(doc, obj) : doc;
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Text of a content value: strings as they are, others as canonical JSON. */
static char *value_text(const json_t *v)
{
	if (json_is_string(v))
		return mc_xstrdup(json_string_value(v));
	char *s = result_canonical(v);
	return s ? s : mc_xstrdup("");
}

static const char *const labels[][3] = {
    /* key, Vietnamese, English */
    {"id", "Mã kết quả", "Result id"},
    {"dossier_code", "Mã hồ sơ", "Dossier code"},
    {"procedure", "Thủ tục", "Procedure"},
    {"applicant", "Người nộp", "Applicant"},
    {"issuing_agency", "Cơ quan ban hành", "Issuing agency"},
    {"issued_at", "Thời điểm ban hành", "Issued at"},
    {"signing_key", "Khóa ký", "Signing key"},
};

/* Field values of the header, in the order of labels[]. */
static char *header_value(const json_t *doc, int i)
{
	switch (i) {
	case 2:
		return mc_xasprintf("%s — %s", str_at(doc, "procedure", "code"),
		                    str_at(doc, "procedure", "name"));
	case 3: {
		const char *pid = str_at(doc, "applicant", "person_id");
		return mc_xasprintf("%s%s%s%s", str_at(doc, "applicant", "username"),
		                    *pid ? " (" : "", pid, *pid ? ")" : "");
	}
	case 4:
		return mc_xasprintf("%s (%s)", str_at(doc, "issuing_agency", "name"),
		                    str_at(doc, "issuing_agency", "code"));
	default:
		return mc_xstrdup(str_at(doc, NULL, labels[i][0]));
	}
}

char *result_render_html(const json_t *doc)
{
	mc_buf b = {0};
	mc_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                "<title>Kết quả giải quyết thủ tục hành chính / Result of an "
	                "administrative procedure</title>\n"
	                "<style>body{font-family:sans-serif;max-width:48rem;margin:1rem auto;"
	                "padding:0 1rem;line-height:1.5}dt{font-weight:bold}dd{margin:0 0 .5rem 0}"
	                "</style>\n</head>\n<body>\n<main>\n"
	                "<h1>Kết quả giải quyết thủ tục hành chính <span lang=\"en\">/ Result of "
	                "an administrative procedure</span></h1>\n<dl>\n");
	for (int i = 0; i < (int)(sizeof labels / sizeof labels[0]); i++) {
		char *v = header_value(doc, i);
		mc_buf_printf(&b, "<dt>%s <span lang=\"en\">/ %s</span></dt>\n<dd>", labels[i][1],
		              labels[i][2]);
		result_html_escape(&b, v);
		mc_buf_puts(&b, "</dd>\n");
		free(v);
	}
	mc_buf_puts(&b, "</dl>\n<h2>Nội dung <span lang=\"en\">/ Content</span></h2>\n<dl>\n");
	/* keys in canonical (sorted) order, so that the rendering is stable */
	char *canon = result_canonical(json_object_get(doc, "content"));
	json_t *sorted = canon ? json_loads(canon, 0, NULL) : NULL;
	free(canon);
	const char *key;
	json_t *v;
	json_object_foreach(sorted, key, v)
	{
		char *t = value_text(v);
		mc_buf_puts(&b, "<dt>");
		result_html_escape(&b, key);
		mc_buf_puts(&b, "</dt>\n<dd>");
		result_html_escape(&b, t);
		mc_buf_puts(&b, "</dd>\n");
		free(t);
	}
	json_decref(sorted);
	mc_buf_puts(&b, "</dl>\n<p>Kiểm tra tính hợp lệ tại <span lang=\"en\">/ Verify at</span> "
	                "<a href=\"/verify/");
	result_html_escape(&b, str_at(doc, NULL, "id"));
	mc_buf_puts(&b, "\">/verify/");
	result_html_escape(&b, str_at(doc, NULL, "id"));
	mc_buf_puts(&b, "</a></p>\n</main>\n</body>\n</html>\n");
	return mc_buf_cstr(&b);
}

char *result_render_text(const json_t *doc)
{
	mc_buf b = {0};
	mc_buf_puts(&b, "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH / RESULT OF AN ADMINISTRATIVE "
	                "PROCEDURE\n\n");
	for (int i = 0; i < (int)(sizeof labels / sizeof labels[0]); i++) {
		char *v = header_value(doc, i);
		mc_buf_printf(&b, "%s / %s: %s\n", labels[i][1], labels[i][2], v);
		free(v);
	}
	mc_buf_puts(&b, "\nNội dung / Content:\n");
	json_t *content = json_object_get(doc, "content");
	char *canon = result_canonical(content);
	json_t *sorted = canon ? json_loads(canon, 0, NULL) : NULL;
	free(canon);
	const char *key;
	json_t *v;
	json_object_foreach(sorted, key, v)
	{
		char *t = value_text(v);
		mc_buf_printf(&b, "  %s: %s\n", key, t);
		free(t);
	}
	json_decref(sorted);
	mc_buf_printf(&b, "\nKiểm tra / Verify: /verify/%s\n", str_at(doc, NULL, "id"));
	return mc_buf_cstr(&b);
}

/* ---- the public verification page ---- */

static void dd(mc_buf *b, const char *vi, const char *en, const char *value)
{
	mc_buf_printf(b, "<dt>%s <span lang=\"en\">/ %s</span></dt>\n<dd>", vi, en);
	result_html_escape(b, value ? value : "—");
	mc_buf_puts(b, "</dd>\n");
}

char *result_verify_html(const json_t *v)
{
	mc_buf b = {0};
	const char *status = json_string_value(json_object_get(v, "status"));
	const char *id = json_string_value(json_object_get(v, "id"));
	const char *vi, *en, *cls;
	if (!v || !status) {
		vi = "Không tìm thấy kết quả với mã này.";
		en = "No result has this id.";
		cls = "bad";
	} else if (strcmp(status, "valid") == 0) {
		vi = "HỢP LỆ: chữ ký số của cơ quan ban hành khớp với nội dung.";
		en = "VALID: the issuing agency's signature matches the content.";
		cls = "ok";
	} else if (strcmp(status, "revoked") == 0) {
		vi = "ĐÃ BỊ THU HỒI: kết quả này không còn hiệu lực.";
		en = "REVOKED: this result is no longer in force.";
		cls = "bad";
	} else {
		vi = "BỊ SỬA ĐỔI: nội dung không khớp với chữ ký số; không được tin cậy.";
		en = "TAMPERED: the content does not match its signature; do not trust it.";
		cls = "bad";
	}
	mc_buf_printf(&b,
	              "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
	              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	              "<title>Kiểm tra kết quả / Verify a result</title>\n"
	              "<style>body{font-family:sans-serif;max-width:40rem;margin:1rem auto;"
	              "padding:0 1rem;line-height:1.5;color:#111}"
	              ".ok{border:3px solid #1a7f37;padding:.5rem}"
	              ".bad{border:3px solid #b42318;padding:.5rem}"
	              "dt{font-weight:bold}dd{margin:0 0 .5rem 0;overflow-wrap:anywhere}"
	              "</style>\n</head>\n<body>\n<main>\n"
	              "<h1>Kiểm tra kết quả giải quyết thủ tục hành chính <span lang=\"en\">/ "
	              "Verify the result of an administrative procedure</span></h1>\n"
	              "<p class=\"%s\" role=\"status\"><strong>%s</strong><br><span "
	              "lang=\"en\">%s</span></p>\n",
	              cls, vi, en);
	if (v && status) {
		const json_t *ag = json_object_get(v, "issuing_agency");
		const json_t *proc = json_object_get(v, "procedure");
		char *agency = mc_xasprintf("%s (%s)",
		                            json_string_value(json_object_get(ag, "name"))
		                                ? json_string_value(json_object_get(ag, "name"))
		                                : "",
		                            json_string_value(json_object_get(ag, "code"))
		                                ? json_string_value(json_object_get(ag, "code"))
		                                : "");
		char *procedure = json_is_object(proc)
		                      ? mc_xasprintf("%s — %s", str_at(proc, NULL, "code"),
		                                     str_at(proc, NULL, "name"))
		                      : NULL;
		mc_buf_puts(&b, "<dl>\n");
		dd(&b, "Mã kết quả", "Result id", id);
		dd(&b, "Cơ quan ban hành", "Issued by", agency);
		dd(&b, "Thời điểm ban hành", "Issued at",
		   json_string_value(json_object_get(v, "issued_at")));
		dd(&b, "Khóa ký", "Signing key", json_string_value(json_object_get(v, "key_id")));
		if (procedure)
			dd(&b, "Thủ tục", "Procedure", procedure);
		dd(&b, "Mã hồ sơ", "Dossier code",
		   json_string_value(json_object_get(v, "dossier_code")));
		dd(&b, "SHA-256 của văn bản", "SHA-256 of the document",
		   json_string_value(json_object_get(v, "document_sha256")));
		if (json_is_string(json_object_get(v, "revoked_at"))) {
			dd(&b, "Thu hồi lúc", "Revoked at",
			   json_string_value(json_object_get(v, "revoked_at")));
			dd(&b, "Lý do thu hồi", "Reason",
			   json_string_value(json_object_get(v, "revoke_reason")));
		}
		mc_buf_puts(&b, "</dl>\n<p><img src=\"/verify/");
		result_html_escape(&b, id);
		mc_buf_puts(&b, "/qr.svg\" width=\"164\" height=\"164\" alt=\"Mã QR dẫn tới trang "
		                "này / QR code of this page\"></p>\n");
		free(agency);
		free(procedure);
	}
	mc_buf_puts(&b, "</main>\n</body>\n</html>\n");
	return mc_buf_cstr(&b);
}
