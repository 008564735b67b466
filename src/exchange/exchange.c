/* exchange.c - services of the exchange module: the category list,
 * consents (grant, revoke, list), the access log (record, list), the basis
 * of a read and the signed exchange read. HTTP is in exchange_http.c, the
 * pure rules in exchange_rules.c, demo data in exchange_seed.c. */
#include "exchange/exchange.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/mem.h"
#include "core/text.h"
#include "dossier/dossier.h"
#include "exchange/exchange_rules.h"
#include "registry/registry.h"
#include "result/result.h"
#include "territory/territory.h"
#include "vault/vault.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const exchange_category exchange_categories[] = {
    {"identity", "Thông tin nhân thân (họ tên, ngày sinh, giới tính)",
     "Identity (name, date of birth, sex)"},
    {"residence", "Nơi cư trú", "Residence"},
    {"family", "Quan hệ gia đình (cha, mẹ, vợ/chồng, con)",
     "Family relations (parents, spouse, children)"},
    {"civil_status", "Kết quả hộ tịch (khai sinh, kết hôn, khai tử...)",
     "Civil-status results (birth, marriage, death...)"},
    {"business", "Doanh nghiệp mình đại diện", "Businesses you represent"},
    {"vault_documents", "Giấy tờ trong kho dữ liệu", "Documents in your vault"},
    {NULL, NULL, NULL},
};

/* Vault document types that are civil-status results. */
static const char *const civil_types[] = {
    "birth_certificate",          "death_certificate", "marriage_certificate",
    "marital_status_certificate", "divorce_decision",  NULL,
};

const exchange_category *exchange_category_find(const char *code)
{
	for (const exchange_category *k = exchange_categories; code && k->code; k++)
		if (strcmp(k->code, code) == 0)
			return k;
	return NULL;
}

static void today_str(char out[11])
{
	date_format(date_local_of(ts_now()), out);
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *category_name(const char *code)
{
	const exchange_category *k = exchange_category_find(code);
	if (k)
		return json_pack("{s:s, s:s}", "vi", k->name_vi, "en", k->name_en);
	if (code && strcmp(code, "registry:persons") == 0)
		return json_pack("{s:s, s:s}", "vi", "Bản ghi dân cư (CSDL quốc gia về dân cư)",
		                 "en", "Population record (national population database)");
	if (code && strncmp(code, "registry:", 9) == 0)
		return json_pack("{s:s, s:s}", "vi", "Bản ghi trong cơ sở dữ liệu", "en",
		                 "A registry record");
	return json_pack("{s:n, s:n}", "vi", "en");
}

static json_t *agency_name(store_conn *c, const char *code)
{
	json_t *a = NULL;
	if (code && territory_agency_get(c, code, &a, NULL) == MC_OK && a) {
		json_t *n = json_pack("{s:O, s:O}", "vi", json_object_get(a, "name"), "en",
		                      json_object_get(a, "name_en"));
		json_decref(a);
		return n;
	}
	return json_pack("{s:n, s:n}", "vi", "en");
}

/* ---- consents ---- */

#define CONSENT_COLS                                                                               \
	"id, person_id, agency, category, purpose, expires_on, granted_at, granted_by, "           \
	"revoked_at "

static json_t *consent_json(store_conn *c, store_stmt *st, const char *today)
{
	exch_consent k = {.id = store_col_text(st, 0),
	                  .agency = store_col_text(st, 2),
	                  .category = store_col_text(st, 3),
	                  .expires_on = store_col_text(st, 5),
	                  .revoked = !store_col_null(st, 8)};
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:s}", "id", k.id, "person",
	    store_col_text(st, 1), "agency", k.agency, "agency_name", agency_name(c, k.agency),
	    "category", k.category, "category_name", category_name(k.category), "purpose",
	    store_col_text(st, 4), "expires_on", k.expires_on, "granted_at", store_col_text(st, 6),
	    "granted_by", store_col_text(st, 7), "revoked_at", jstr(store_col_text(st, 8)),
	    "status", exch_consent_status(&k, today));
	return o;
}

static mc_err consent_load(store_conn *c, const char *id, json_t **out)
{
	*out = NULL;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT " CONSENT_COLS "FROM consent WHERE id = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, id);
	bool row = false;
	char today[11];
	today_str(today);
	if (!(e = store_step(st, &row)) && row)
		*out = consent_json(c, st, today);
	store_finish(st);
	return e;
}

mc_err exchange_consent_list(store_conn *c, const char *person, int limit,
                             const char *after_granted, const char *after_id, json_t **items,
                             bool *more, mc_diag *diag)
{
	*items = json_array();
	*more = false;
	if (limit < 1 || limit > 100)
		limit = 100;
	bool cur = after_granted && after_id;
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    cur ? "SELECT " CONSENT_COLS "FROM consent WHERE person_id = ?1 AND (granted_at < ?2 "
	          "OR (granted_at = ?2 AND id < ?3)) ORDER BY granted_at DESC, id DESC LIMIT ?4"
	        : "SELECT " CONSENT_COLS "FROM consent WHERE person_id = ?1 ORDER BY "
	          "granted_at DESC, id DESC LIMIT ?2",
	    &st);
	if (e)
		return e;
	store_bind_text(st, 1, person);
	if (cur) {
		store_bind_text(st, 2, after_granted);
		store_bind_text(st, 3, after_id);
		store_bind_int(st, 4, limit + 1);
	} else {
		store_bind_int(st, 2, limit + 1);
	}
	char today[11];
	today_str(today);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if ((int)json_array_size(*items) == limit) {
			*more = true;
			break;
		}
		json_array_append_new(*items, consent_json(c, st, today));
	}
	store_finish(st);
	return e;
}

static mc_err citizen_only(const mc_principal *who, mc_diag *diag)
{
	if (who->role == ROLE_CITIZEN && who->person_id[0])
		return MC_OK;
	return mc_fail2(diag, MC_ERR_FORBIDDEN,
	                "Chỉ công dân có số định danh cá nhân mới quản lý sự đồng ý chia sẻ dữ "
	                "liệu của mình.",
	                "Only a citizen with a personal number manages consents to share their "
	                "data.");
}

typedef struct grant_ctx {
	const mc_principal *who;
	json_t *body;
	json_t *out;
} grant_ctx;

static mc_err grant_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	grant_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	char today[11];
	today_str(today);
	json_t *errors = json_array();
	exch_consent_check(x->body, today, errors);
	const char *agency = json_string_value(json_object_get(x->body, "agency"));
	if (agency && agency[0] && strlen(agency) <= 64) {
		json_t *a = NULL;
		mc_err e = territory_agency_get(c, agency, &a, NULL);
		json_decref(a);
		if (e == MC_ERR_NOT_FOUND)
			mc_errors_add(errors, "$.agency", "unknown agency (see /api/v1/agencies)",
			              "không có cơ quan này");
		else if (e) {
			json_decref(errors);
			return e;
		}
	}
	if (json_array_size(errors)) {
		mc_err e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Yêu cầu đồng ý không hợp lệ.",
		                    "The consent is not valid.");
		mc_diag_ext(diag, "errors", errors);
		return e;
	}
	json_decref(errors);
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT count(*) FROM consent WHERE person_id = ?1 AND revoked_at "
	                         "IS NULL AND expires_on >= ?2",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->who->person_id);
	store_bind_text(st, 2, today);
	bool row = false;
	int64_t n = 0;
	if (!(e = store_step(st, &row)) && row)
		n = store_col_int(st, 0);
	store_finish(st);
	if (e)
		return e;
	if (n >= EXCHANGE_ACTIVE_MAX)
		return mc_fail2(diag, MC_ERR_CONFLICT,
		                "Bạn đã có 100 sự đồng ý còn hiệu lực; hãy thu hồi bớt trước.",
		                "You already have 100 active consents; revoke some first.");
	unsigned char rnd[16];
	char id[EXCHANGE_ID_LEN + 1];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	char now[32];
	ts_format(ts_now(), now);
	const char *cat = json_string_value(json_object_get(x->body, "category"));
	const char *purpose = json_string_value(json_object_get(x->body, "purpose"));
	const char *exp = json_string_value(json_object_get(x->body, "expires_on"));
	const char *p[] = {id, x->who->person_id, agency, cat, purpose, exp, now, x->who->username};
	if ((e = store_execv(c,
	                     "INSERT INTO consent (id, person_id, agency, category, purpose, "
	                     "expires_on, granted_at, granted_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                     "?7, ?8)",
	                     8, p)))
		return e;
	char object[64];
	snprintf(object, sizeof object, "consent/%s", id);
	json_t *detail = json_pack("{s:s, s:s, s:s, s:s}", "person", x->who->person_id, "agency",
	                           agency, "category", cat, "expires_on", exp);
	e = audit_append(c, x->who->username, "consent.grant", object, detail);
	json_decref(detail);
	if (!e)
		e = consent_load(c, id, &x->out);
	return e;
}

mc_err exchange_consent_grant(store *s, const mc_principal *who, json_t *body, json_t **out,
                              mc_diag *diag)
{
	*out = NULL;
	mc_err e = citizen_only(who, diag);
	if (e)
		return e;
	if (!json_is_object(body))
		return mc_fail2(diag, MC_ERR_INVALID, "Nội dung phải là một đối tượng JSON.",
		                "The body must be a JSON object.");
	grant_ctx x = {.who = who, .body = body};
	e = store_write(s, grant_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		return e;
	}
	*out = x.out;
	return MC_OK;
}

typedef struct revoke_ctx {
	const mc_principal *who;
	const char *id;
	json_t *out;
} revoke_ctx;

static mc_err consent_missing(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy sự đồng ý này.",
	                "No such consent.");
}

static mc_err revoke_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	revoke_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *k = NULL;
	mc_err e = consent_load(c, x->id, &k);
	if (e)
		return e;
	if (!k || strcmp(json_string_value(json_object_get(k, "person")), x->who->person_id)) {
		json_decref(k);
		return consent_missing(diag);
	}
	bool revoked = !json_is_null(json_object_get(k, "revoked_at"));
	json_decref(k);
	if (revoked)
		return mc_fail2(diag, MC_ERR_CONFLICT, "Sự đồng ý này đã được thu hồi.",
		                "The consent is already revoked.");
	char now[32];
	ts_format(ts_now(), now);
	const char *p[] = {x->id, now, x->who->username};
	if ((e = store_execv(c,
	                     "UPDATE consent SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1 "
	                     "AND revoked_at IS NULL",
	                     3, p)))
		return e;
	char object[64];
	snprintf(object, sizeof object, "consent/%s", x->id);
	json_t *detail = json_pack("{s:s}", "person", x->who->person_id);
	e = audit_append(c, x->who->username, "consent.revoke", object, detail);
	json_decref(detail);
	if (!e)
		e = consent_load(c, x->id, &x->out);
	return e;
}

mc_err exchange_consent_revoke(store *s, const mc_principal *who, const char *id, json_t **out,
                               mc_diag *diag)
{
	*out = NULL;
	mc_err e = citizen_only(who, diag);
	if (e)
		return e;
	if (!id || strlen(id) != EXCHANGE_ID_LEN)
		return consent_missing(diag);
	revoke_ctx x = {.who = who, .id = id};
	e = store_write(s, revoke_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		return e;
	}
	*out = x.out;
	return MC_OK;
}

/* ---- the access log ---- */

typedef struct access_row {
	const char *subject, *actor, *agency, *channel, *category, *purpose, *basis, *outcome;
	const char *digest, *key_id, *signature;
	const char *at;   /* NULL: now */
	int64_t seq;      /* 0: the next number */
	int64_t *seq_out; /* receives the number used (may be NULL) */
} access_row;

/* The number of the next access-log entry (writes are serialised, so it is
 * still free when the same write inserts it). */
static mc_err next_seq(store_conn *c, int64_t *seq)
{
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM data_access", &st);
	if (e)
		return e;
	bool row = false;
	*seq = 1;
	if (!(e = store_step(st, &row)) && row)
		*seq = store_col_int(st, 0);
	store_finish(st);
	return e;
}

static bool too_long(const char *s, size_t max)
{
	return s && strlen(s) > max;
}

static mc_err access_put(store_conn *c, const access_row *r, mc_diag *diag)
{
	if (!r->subject || id_person_parse(r->subject, NULL, NULL) != MC_OK)
		return mc_fail(diag, MC_ERR_INVALID,
		               "access log: subject is not a personal number");
	if (!r->actor || !r->category || !r->basis || !r->channel || too_long(r->actor, 64) ||
	    too_long(r->agency, 64) || too_long(r->category, EXCHANGE_CATEGORY_MAX) ||
	    too_long(r->purpose, EXCHANGE_PURPOSE_MAX) || too_long(r->basis, EXCHANGE_BASIS_MAX) ||
	    too_long(r->channel, 16))
		return mc_fail(diag, MC_ERR_INVALID, "access log: missing or over-long member");
	int64_t seq = r->seq;
	mc_err e = seq > 0 ? MC_OK : next_seq(c, &seq);
	if (e)
		return e;
	char now[32];
	ts_format(ts_now(), now);
	store_stmt *st;
	bool row = false;
	if ((e = store_prepare(c,
	                       "INSERT INTO data_access (seq, at, person_id, actor, agency, "
	                       "category, purpose, basis, channel, outcome, digest, key_id, "
	                       "signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	                       "?12, ?13)",
	                       &st)))
		return e;
	store_bind_int(st, 1, seq);
	store_bind_text(st, 2, r->at ? r->at : now);
	store_bind_text(st, 3, r->subject);
	store_bind_text(st, 4, r->actor);
	store_bind_text(st, 5, r->agency && r->agency[0] ? r->agency : NULL);
	store_bind_text(st, 6, r->category);
	store_bind_text(st, 7, r->purpose);
	store_bind_text(st, 8, r->basis);
	store_bind_text(st, 9, r->channel);
	store_bind_text(st, 10, r->outcome ? r->outcome : "allowed");
	store_bind_text(st, 11, r->digest);
	store_bind_text(st, 12, r->key_id);
	store_bind_text(st, 13, r->signature);
	e = store_step(st, &row);
	store_finish(st);
	if (!e && r->seq_out)
		*r->seq_out = seq;
	return e;
}

mc_err exchange_record_access(store_conn *c, const char *subject, const char *actor,
                              const char *agency, const char *channel, const char *category,
                              const char *purpose, const char *basis, mc_diag *diag)
{
	access_row r = {.subject = subject,
	                .actor = actor,
	                .agency = agency,
	                .channel = channel,
	                .category = category,
	                .purpose = purpose,
	                .basis = basis};
	return access_put(c, &r, diag);
}

mc_err exchange_lookup_log(store_conn *c, const exchange_lookup *l, const char *at, int64_t *seq,
                           mc_diag *diag)
{
	char now[32];
	if (!at) {
		ts_format(ts_now(), now);
		at = now;
	}
	mc_err e = MC_OK;
	if (l->audit_action) {
		json_t *detail =
		    json_pack("{s:s, s:s, s:s}", "subject", l->subject ? l->subject : "", "role",
		              l->role, "read_at", at);
		e = audit_append(c, l->actor, l->audit_action, l->audit_object, detail);
		json_decref(detail);
		if (e)
			return e;
	}
	char basis[EXCHANGE_BASIS_MAX + 1] = "";
	if (!strcmp(l->role, "officer") && l->agency && l->agency[0] && l->subject &&
	    (e = exchange_basis(c, l->agency, l->subject, l->basis_category, basis, diag)))
		return e;
	if (!basis[0])
		snprintf(basis, sizeof basis, "role:%s", l->role);
	access_row r = {.subject = l->subject,
	                .actor = l->actor,
	                .agency = l->agency,
	                .channel = l->channel,
	                .category = l->category,
	                .basis = basis,
	                .at = at,
	                .seq_out = seq};
	return access_put(c, &r, diag);
}

mc_err exchange_access_list(store_conn *c, const char *person, int64_t before, int limit,
                            json_t **items, bool *more, mc_diag *diag)
{
	*items = json_array();
	*more = false;
	if (limit < 1 || limit > 100)
		limit = 100;
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT seq, at, actor, agency, category, purpose, basis, channel, "
	                  "outcome, digest, key_id, signature FROM data_access WHERE "
	                  "person_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, person);
	store_bind_int(st, 2, before > 0 ? before : INT64_MAX);
	store_bind_int(st, 3, limit + 1);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if ((int)json_array_size(*items) == limit) {
			*more = true;
			break;
		}
		const char *agency = store_col_text(st, 3);
		const char *cat = store_col_text(st, 4);
		json_t *o = json_pack(
		    "{s:I, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:o}", "seq",
		    (json_int_t)store_col_int(st, 0), "at", store_col_text(st, 1), "actor",
		    store_col_text(st, 2), "agency", jstr(agency), "agency_name",
		    agency_name(c, agency), "category", cat, "category_name", category_name(cat),
		    "purpose", jstr(store_col_text(st, 5)), "basis", store_col_text(st, 6),
		    "channel", store_col_text(st, 7), "outcome", store_col_text(st, 8), "digest",
		    jstr(store_col_text(st, 9)), "key_id", jstr(store_col_text(st, 10)),
		    "signature", jstr(store_col_text(st, 11)));
		json_array_append_new(*items, o);
	}
	store_finish(st);
	return e;
}

/* ---- the basis of a read ---- */

mc_err exchange_basis(store_conn *c, const char *agency, const char *person, const char *category,
                      char basis[EXCHANGE_BASIS_MAX + 1], mc_diag *diag)
{
	basis[0] = 0;
	char code[DOSSIER_CODE_MAX + 1];
	bool found = false;
	mc_err e = dossier_agency_person_dossier(c, agency, person, code, &found);
	if (e)
		return e;
	char today[11];
	today_str(today);
	if (found) {
		exch_decide(code, NULL, 0, agency, category, today, basis, EXCHANGE_BASIS_MAX + 1);
		return MC_OK;
	}
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "SELECT id, agency, category, expires_on, revoked_at FROM consent "
	                       "WHERE person_id = ?1 AND agency = ?2 AND category = ?3 ORDER BY "
	                       "granted_at, id",
	                       &st)))
		return e;
	store_bind_text(st, 1, person);
	store_bind_text(st, 2, agency);
	store_bind_text(st, 3, category);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		exch_consent k = {.id = store_col_text(st, 0),
		                  .agency = store_col_text(st, 1),
		                  .category = store_col_text(st, 2),
		                  .expires_on = store_col_text(st, 3),
		                  .revoked = !store_col_null(st, 4)};
		if (exch_decide(NULL, &k, 1, agency, category, today, basis,
		                EXCHANGE_BASIS_MAX + 1))
			break;
	}
	store_finish(st);
	return e;
}

/* ---- the exchange read ---- */

static void copy_members(json_t *dst, json_t *src, const char *const *names)
{
	for (; *names; names++) {
		json_t *v = json_object_get(src, *names);
		json_object_set(dst, *names, v ? v : json_null());
	}
}

static json_t *vault_summary(json_t *it)
{
	json_t *o = json_object();
	static const char *const keep[] = {"id",     "type",       "type_name",   "title",
	                                   "issuer", "valid_from", "valid_until", "status",
	                                   "valid",  NULL};
	copy_members(o, it, keep);
	return o;
}

/* The data of `category` about `person`: only that category's fields. */
static mc_err category_data(store_conn *c, const char *person, const char *category, json_t **out,
                            mc_diag *diag)
{
	*out = NULL;
	json_t *rec = NULL, *rel = NULL, *items = NULL;
	mc_err e = registry_record_get(c, "persons", person, &rec, diag);
	if (e == MC_ERR_NOT_FOUND) {
		mc_diag_clear(diag);
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có người này trong CSDL dân cư.",
		             "No such person in the population registry.");
	}
	if (e)
		goto out;
	json_t *d = json_object_get(rec, "data");
	json_t *data = json_object();
	if (!strcmp(category, "identity")) {
		static const char *const keep[] = {"id", "full_name", "date_of_birth", "sex", NULL};
		copy_members(data, d, keep);
	} else if (!strcmp(category, "residence")) {
		static const char *const keep[] = {"id", "residence", NULL};
		copy_members(data, d, keep);
	} else if (!strcmp(category, "family") || !strcmp(category, "business") ||
	           !strcmp(category, "civil_status")) {
		if ((e = registry_person_relations(c, person, &rel, diag))) {
			json_decref(data);
			goto out;
		}
		if (!strcmp(category, "family")) {
			static const char *const keep[] = {"father_id", "mother_id", "spouse_id",
			                                   "children", NULL};
			copy_members(data, rel, keep);
		} else if (!strcmp(category, "business")) {
			static const char *const keep[] = {"businesses", NULL};
			copy_members(data, rel, keep);
		} else {
			static const char *const keep[] = {"deceased", "death_record", NULL};
			copy_members(data, rel, keep);
			json_object_set_new(data, "date_of_death",
			                    json_deep_copy(json_object_get(d, "date_of_death")
			                                       ? json_object_get(d, "date_of_death")
			                                       : json_null()));
			json_t *docs = json_array();
			for (const char *const *t = civil_types; *t; t++) {
				bool more = false;
				if ((e = vault_list_for_holder(c, person, *t, 20, NULL, NULL,
				                               &items, &more, diag))) {
					json_decref(docs);
					json_decref(data);
					goto out;
				}
				size_t i;
				json_t *it;
				json_array_foreach(items, i, it)
				    json_array_append_new(docs, vault_summary(it));
				json_decref(items);
				items = NULL;
			}
			json_object_set_new(data, "documents", docs);
		}
	} else {
		bool more = false;
		if ((e = vault_list_for_holder(c, person, NULL, 100, NULL, NULL, &items, &more,
		                               diag))) {
			json_decref(data);
			goto out;
		}
		json_t *docs = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it) json_array_append_new(docs, vault_summary(it));
		json_object_set_new(data, "documents", docs);
		json_object_set_new(data, "more", json_boolean(more));
	}
	*out = data;
out:
	json_decref(rec);
	json_decref(rel);
	json_decref(items);
	return e;
}

typedef struct read_ctx {
	const mc_principal *who;
	const char *person, *category, *purpose;
	json_t *out;
	bool denied;
} read_ctx;

static mc_err read_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	read_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	x->denied = false;
	char basis[EXCHANGE_BASIS_MAX + 1];
	const char *agency = x->who->agency;
	mc_err e = exchange_basis(c, agency, x->person, x->category, basis, diag);
	if (e)
		return e;
	char object[64];
	snprintf(object, sizeof object, "person/%s", x->person);
	if (!basis[0]) {
		x->denied = true;
		access_row r = {.subject = x->person,
		                .actor = x->who->username,
		                .agency = agency,
		                .channel = "exchange",
		                .category = x->category,
		                .purpose = x->purpose,
		                .basis = "none",
		                .outcome = "denied"};
		if ((e = access_put(c, &r, diag)))
			return e;
		json_t *detail = json_pack("{s:s, s:s, s:s}", "agency", agency, "category",
		                           x->category, "reason", "no legal basis and no consent");
		e = audit_append(c, x->who->username, "exchange.denied", object, detail);
		json_decref(detail);
		return e;
	}
	json_t *data = NULL;
	if ((e = category_data(c, x->person, x->category, &data, diag)))
		return e;
	/* the access entry's number goes into the signed document */
	int64_t seq = 0;
	if ((e = next_seq(c, &seq))) {
		json_decref(data);
		return e;
	}
	char now[32];
	ts_format(ts_now(), now);
	json_t *doc = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "format",
	                        EXCHANGE_FORMAT, "access_id", (json_int_t)seq, "person", x->person,
	                        "agency", agency, "category", x->category, "purpose", x->purpose,
	                        "basis", basis, "at", now, "data", data);
	char *canon = result_canonical(doc);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)canon, strlen(canon));
	char digest[2 * crypto_hash_sha256_BYTES + 1];
	sodium_bin2hex(digest, sizeof digest, h, sizeof h);
	char kid[RESULT_KEY_ID_LEN + 1] = "";
	char sig[2 * crypto_sign_BYTES + 1] = "";
	mc_diag sd = {0};
	mc_err se =
	    result_agency_sign(c, agency, x->who->username, canon, strlen(canon), kid, sig, &sd);
	mc_diag_clear(&sd);
	free(canon);
	if (se && se != MC_ERR_UNAVAILABLE) {
		json_decref(doc);
		return se;
	}
	bool signed_ok = se == MC_OK;
	access_row r = {.subject = x->person,
	                .actor = x->who->username,
	                .agency = agency,
	                .channel = "exchange",
	                .category = x->category,
	                .purpose = x->purpose,
	                .basis = basis,
	                .outcome = "allowed",
	                .digest = digest,
	                .key_id = signed_ok ? kid : NULL,
	                .signature = signed_ok ? sig : NULL,
	                .at = now,
	                .seq = seq};
	if ((e = access_put(c, &r, diag))) {
		json_decref(doc);
		return e;
	}
	json_t *detail = json_pack("{s:s, s:s, s:s, s:s}", "agency", agency, "category",
	                           x->category, "basis", basis, "digest", digest);
	e = audit_append(c, x->who->username, "exchange.read", object, detail);
	json_decref(detail);
	if (e) {
		json_decref(doc);
		return e;
	}
	json_t *signature =
	    signed_ok ? json_pack("{s:s, s:s, s:s}", "alg", "Ed25519", "key_id", kid, "value", sig)
	              : json_null();
	x->out =
	    json_pack("{s:o, s:s, s:o}", "document", doc, "digest", digest, "signature", signature);
	return MC_OK;
}

mc_err exchange_read(store *s, const mc_principal *who, const char *person, const char *category,
                     const char *purpose, json_t **out, bool *denied, mc_diag *diag)
{
	*out = NULL;
	*denied = false;
	if (who->role != ROLE_OFFICER || !who->agency[0])
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Chỉ cán bộ của một cơ quan mới khai thác dữ liệu qua trao đổi.",
		                "Exchange reads are made by an officer of an agency.");
	json_t *errors = json_array();
	if (!person || id_person_parse(person, NULL, NULL) != MC_OK)
		mc_errors_add(errors, "id", "not a personal number (12 digits)",
		              "không phải số định danh cá nhân (12 chữ số)");
	if (!category || !exchange_category_find(category))
		mc_errors_add(
		    errors, "category",
		    "required, one of the data categories (see /api/v1/exchange/categories)",
		    "bắt buộc, một nhóm dữ liệu trong danh sách");
	bool blank = true;
	for (const char *p = purpose; p && *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			blank = false;
	if (blank || strlen(purpose) > EXCHANGE_PURPOSE_MAX ||
	    !text_utf8_valid(purpose, strlen(purpose)))
		mc_errors_add(errors, "purpose", "required, 1 to 500 bytes of text",
		              "bắt buộc, từ 1 đến 500 byte");
	if (json_array_size(errors)) {
		mc_err e =
		    mc_fail2(diag, MC_ERR_INVALID, "Tham số không hợp lệ.", "Invalid parameters.");
		mc_diag_ext(diag, "errors", errors);
		return e;
	}
	json_decref(errors);
	read_ctx x = {.who = who, .person = person, .category = category, .purpose = purpose};
	mc_err e = store_write(s, read_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		return e;
	}
	*out = x.out;
	*denied = x.denied;
	return MC_OK;
}
