/* dossier.c - the dossier service: submission (validation against the
 * catalog, territory and documents; gap-free daily code per agency;
 * idempotency keys), lifecycle actions driven by the table of
 * dossier_rules.c, due dates through the working-day calendar, history,
 * visibility rules, the queue and the JSON representation; every
 * submission and lifecycle action also emits the event
 * dossier.status_changed in its write. All SQL of the tables dossier,
 * dossier_component, dossier_event, dossier_seq and idempotency lives
 * here. */
#include "dossier/dossier.h"
#include "dossier/dossier_origin.h"

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "core/jsonschema.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "document/document.h"
#include "dossier/dossier_rules.h"
#include "dossier/dossier_vault.h"
#include "event/event.h"
#include "result/result.h"
#include "territory/territory.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROCEDURE_CODE_MAX 32
#define AGENCY_CODE_MAX 64
#define NO_DUE "9999-12-31"

/* ---- the dossier row ---- */

typedef struct drow {
	char *code, *procedure, *procedure_name, *agency, *receiving_agency, *channel;
	int procedure_version;
	dossier_status status;
	int64_t applicant_user_id;
	char *applicant_username, *applicant_person_id;
	json_t *form;
	char *submitted_at, *received_at, *due_date, *finished_at, *timeliness;
	int supplement_requests;
	json_t *supplement_request;
	int supplement_from;
	char *supplement_since;
	json_t *apology, *payment, *result;
	int64_t row_version;
} drow;

#define ROW_COLUMNS                                                                                \
	"code, procedure_code, procedure_version, procedure_name, agency, receiving_agency, "      \
	"channel, status, applicant_user_id, applicant_username, applicant_person_id, form, "      \
	"submitted_at, received_at, due_date, finished_at, timeliness, supplement_requests, "      \
	"supplement_request, supplement_from, supplement_since, apology, payment, result, "        \
	"row_version"

static char *col_dup(store_stmt *st, int i)
{
	const char *s = store_col_text(st, i);
	return s ? mc_xstrdup(s) : NULL;
}

static json_t *col_json(store_stmt *st, int i)
{
	const char *s = store_col_text(st, i);
	return s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? mc_xstrdup(v) : NULL;
}

static void set_json(json_t **dst, json_t *v)
{
	json_decref(*dst);
	*dst = v;
}

static void drow_load_cols(store_stmt *st, drow *d)
{
	d->code = col_dup(st, 0);
	d->procedure = col_dup(st, 1);
	d->procedure_version = (int)store_col_int(st, 2);
	d->procedure_name = col_dup(st, 3);
	d->agency = col_dup(st, 4);
	d->receiving_agency = col_dup(st, 5);
	d->channel = col_dup(st, 6);
	d->status = (dossier_status)store_col_int(st, 7);
	d->applicant_user_id = store_col_int(st, 8);
	d->applicant_username = col_dup(st, 9);
	d->applicant_person_id = col_dup(st, 10);
	d->form = col_json(st, 11);
	d->submitted_at = col_dup(st, 12);
	d->received_at = col_dup(st, 13);
	d->due_date = col_dup(st, 14);
	d->finished_at = col_dup(st, 15);
	d->timeliness = col_dup(st, 16);
	d->supplement_requests = (int)store_col_int(st, 17);
	d->supplement_request = col_json(st, 18);
	d->supplement_from = store_col_null(st, 19) ? 0 : (int)store_col_int(st, 19);
	d->supplement_since = col_dup(st, 20);
	d->apology = col_json(st, 21);
	d->payment = col_json(st, 22);
	d->result = col_json(st, 23);
	d->row_version = store_col_int(st, 24);
}

static void drow_free(drow *d)
{
	if (!d)
		return;
	free(d->code);
	free(d->procedure);
	free(d->procedure_name);
	free(d->agency);
	free(d->receiving_agency);
	free(d->channel);
	free(d->applicant_username);
	free(d->applicant_person_id);
	json_decref(d->form);
	free(d->submitted_at);
	free(d->received_at);
	free(d->due_date);
	free(d->finished_at);
	free(d->timeliness);
	json_decref(d->supplement_request);
	free(d->supplement_since);
	json_decref(d->apology);
	json_decref(d->payment);
	json_decref(d->result);
	memset(d, 0, sizeof *d);
}

static mc_err not_found(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy hồ sơ.", "No such dossier.");
}

/* Loads a dossier row; NOT_FOUND when absent. */
static mc_err drow_load(store_conn *c, const char *code, drow *d, mc_diag *diag)
{
	memset(d, 0, sizeof *d);
	if (!code || strlen(code) > DOSSIER_CODE_MAX)
		return not_found(diag);
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT " ROW_COLUMNS " FROM dossier WHERE code = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, code);
	bool row;
	e = store_step(st, &row);
	if (!e && row)
		drow_load_cols(st, d);
	store_finish(st);
	if (e)
		return e;
	if (!row)
		return not_found(diag);
	return MC_OK;
}

static dossier_facts drow_facts(const drow *d)
{
	dossier_facts f = {0};
	f.status = d->status;
	f.before_supplement = (dossier_status)d->supplement_from;
	f.supplement_requests = d->supplement_requests;
	f.apologized = d->apology != NULL;
	f.has_due_date = d->due_date && date_parse(d->due_date, &f.due_date);
	return f;
}

/* ---- who may see and act ---- */

static unsigned actor_of(const mc_principal *who, const drow *d)
{
	if (who->role == ROLE_ADMIN)
		return DOSSIER_ACTOR_ANY;
	unsigned k = 0;
	if (who->role == ROLE_CITIZEN && who->user_id != 0 && who->user_id == d->applicant_user_id)
		k |= DOSSIER_ACTOR_APPLICANT;
	if (who->role == ROLE_OFFICER && who->agency[0] && strcmp(who->agency, d->agency) == 0)
		k |= DOSSIER_ACTOR_OFFICER;
	return k;
}

/* Visible: admin, owner, officer of the handling agency or of an agency that
 * handled it before (history). Citizens get NOT_FOUND for other citizens'
 * dossiers (they must not learn that a code exists); officers of other
 * agencies get FORBIDDEN. */
static mc_err check_visible(store_conn *c, const mc_principal *who, const drow *d, mc_diag *diag)
{
	if (actor_of(who, d))
		return MC_OK;
	if (who->role == ROLE_OFFICER && who->agency[0]) {
		store_stmt *st;
		mc_err e = store_prepare(c,
		                         "SELECT 1 FROM dossier_event WHERE dossier_code = ?1 "
		                         "AND agency = ?2 LIMIT 1",
		                         &st);
		if (e)
			return e;
		store_bind_text(st, 1, d->code);
		store_bind_text(st, 2, who->agency);
		bool row = false;
		e = store_step(st, &row);
		store_finish(st);
		if (e)
			return e;
		if (row)
			return MC_OK;
		/* codes carry the agency: no secret to keep from staff */
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Hồ sơ thuộc cơ quan khác; cán bộ chỉ xem và xử lý hồ sơ của "
		                "cơ quan mình.",
		                "The dossier belongs to another agency; officers see and act on "
		                "their own agency's dossiers only.");
	}
	return not_found(diag);
}

/* ---- JSON representation ---- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jcopy(json_t *v)
{
	return v ? json_deep_copy(v) : json_null();
}

static bool drow_late(const drow *d, mc_day today)
{
	if (d->timeliness)
		return strcmp(d->timeliness, "late") == 0;
	dossier_facts f = drow_facts(d);
	mc_day since = 0;
	if (d->supplement_since)
		date_parse(d->supplement_since, &since);
	return dossier_late_open(d->status, today, f.has_due_date, f.due_date, since);
}

static json_t *status_name_json(dossier_status s)
{
	return json_pack("{s:s, s:s}", "vi", dossier_status_name_vi(s), "en",
	                 dossier_status_name_en(s));
}

static json_t *drow_summary(const drow *d, mc_day today)
{
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:{s:s, s:o}, s:s, s:o, s:o, s:o, s:o, "
	    "s:b, s:i}",
	    "code", d->code, "procedure", d->procedure, "procedure_name", d->procedure_name,
	    "agency", d->agency, "channel", d->channel, "status", dossier_status_name(d->status),
	    "status_code", (int)d->status, "status_name", status_name_json(d->status), "applicant",
	    "user", d->applicant_username, "person_id", jstr(d->applicant_person_id),
	    "submitted_at", d->submitted_at, "received_at", jstr(d->received_at), "due_date",
	    jstr(d->due_date), "finished_at", jstr(d->finished_at), "timeliness",
	    jstr(d->timeliness), "late", drow_late(d, today), "supplement_requests",
	    d->supplement_requests);
}

static mc_err components_json(store_conn *c, const char *code, json_t **out)
{
	*out = json_array();
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT component, component_name, document_id, added_at "
	                         "FROM dossier_component WHERE dossier_code = ?1 ORDER BY seq",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, code);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		json_array_append_new(
		    *out, json_pack("{s:s, s:o, s:s, s:s}", "component", store_col_text(st, 0),
		                    "name", jstr(store_col_text(st, 1)), "document",
		                    store_col_text(st, 2), "added_at", store_col_text(st, 3)));
	}
	store_finish(st);
	return e;
}

static mc_day today_local(void)
{
	return date_local_of(ts_now());
}

/* Full representation as seen by `who`. */
static mc_err drow_json(store_conn *c, const drow *d, const mc_principal *who, json_t **out)
{
	json_t *comps = NULL, *sat = NULL;
	mc_err e = components_json(c, d->code, &comps);
	if (!e)
		e = dossier_sat_json(c, d->code, &sat);
	if (e) {
		json_decref(comps);
		json_decref(sat);
		return e;
	}
	json_t *j = drow_summary(d, today_local());
	dossier_facts f = drow_facts(d);
	json_object_set_new(j, "procedure_version", json_integer(d->procedure_version));
	json_object_set_new(j, "receiving_agency", json_string(d->receiving_agency));
	json_object_set_new(j, "form", d->form ? json_deep_copy(d->form) : json_object());
	json_object_set_new(j, "components", comps);
	json_object_set_new(j, "satisfaction", sat);
	json_object_set_new(j, "supplement_request", jcopy(d->supplement_request));
	json_object_set_new(j, "apology", jcopy(d->apology));
	json_object_set_new(j, "payment", jcopy(d->payment));
	json_object_set_new(j, "result", jcopy(d->result));
	json_object_set_new(j, "allowed_actions", dossier_allowed_json(&f, actor_of(who, d)));
	if ((e = dossier_origin_json(c, d->code, j))) {
		json_decref(j);
		return e;
	}
	*out = j;
	return MC_OK;
}

/* ---- shared helpers ---- */

static mc_err fail_errors(mc_diag *diag, mc_err e, json_t *errors, const char *vi, const char *en)
{
	mc_fail2(diag, e, vi, "%s", en);
	mc_diag_ext(diag, "errors", errors);
	return e;
}

/* Moves the errors of jsonschema_validate under "$.form". */
static void append_form_errors(json_t *errors, json_t *schema_errors)
{
	size_t i;
	json_t *e;
	json_array_foreach(schema_errors, i, e)
	{
		const char *p = json_string_value(json_object_get(e, "path"));
		if (!p || p[0] != '$')
			p = "$";
		char *path = mc_xasprintf("$.form%s", p + 1);
		json_t *copy = json_deep_copy(e);
		json_object_set_new(copy, "path", json_string(path));
		json_array_append_new(errors, copy);
		free(path);
	}
}

static void hash_hex(const char *s, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* Checks components [{component, document}] against the procedure and the
 * documents of `owner`; appends errors under `base` ("$.components"). Fills
 * `names` (array aligned with comps) with component names when given. */
static mc_err check_components(store_conn *c, json_t *proc, json_t *comps, int64_t owner,
                               const char *base, json_t *errors, json_t *names)
{
	size_t i;
	json_t *it;
	json_array_foreach(comps, i, it)
	{
		const char *cid = json_string_value(json_object_get(it, "component"));
		const char *did = json_string_value(json_object_get(it, "document"));
		char path[96];
		json_t *pc = proc && cid ? catalog_component(proc, cid) : NULL;
		if (proc && !pc) {
			snprintf(path, sizeof path, "%s[%zu].component", base, i);
			mc_errors_add(errors, path, "unknown component of this procedure",
			              "thủ tục không có thành phần hồ sơ này");
		} else if (pc && !catalog_component_is_document(pc)) {
			snprintf(path, sizeof path, "%s[%zu].component", base, i);
			mc_errors_add(errors, path,
			              "this item is an explanatory note of the procedure, not a "
			              "document to hand in",
			              "mục này là ghi chú của thủ tục, không phải giấy tờ cần nộp");
		}
		if (names)
			json_array_append_new(names,
			                      jstr(json_string_value(json_object_get(pc, "name"))));
		/* a vault item instead of an upload: vault_resolve_components
		 * checks it */
		if (!did && json_is_string(json_object_get(it, "vault_item")))
			continue;
		json_t *meta = NULL;
		mc_err e = did ? document_get(c, did, &meta, NULL) : MC_ERR_NOT_FOUND;
		if (e && e != MC_ERR_NOT_FOUND)
			return e;
		if (!meta || json_integer_value(json_object_get(meta, "owner")) != owner) {
			snprintf(path, sizeof path, "%s[%zu].document", base, i);
			mc_errors_add(errors, path, "no such document among your uploads",
			              "không tìm thấy tài liệu này trong các tệp bạn đã tải lên");
		}
		json_decref(meta);
	}
	return MC_OK;
}

/* Next sequence number of a dossier's events or components (inside the
 * write transaction, so no other writer interleaves). `sql` selects
 * COALESCE(MAX(seq), 0) + 1 for ?1 = code. */
static mc_err next_seq(store_conn *c, const char *sql, const char *code, int64_t *out)
{
	store_stmt *st;
	mc_err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	store_bind_text(st, 1, code);
	bool row;
	e = store_step(st, &row);
	*out = !e && row ? store_col_int(st, 0) : 1;
	store_finish(st);
	return e;
}

static mc_err insert_components(store_conn *c, const char *code, json_t *comps, json_t *names,
                                const char *now)
{
	size_t i;
	json_t *it;
	json_array_foreach(comps, i, it)
	{
		if (!json_is_string(json_object_get(it, "document")))
			continue; /* a vault item: see dossier_satisfaction */
		int64_t seq;
		mc_err e = next_seq(c,
		                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM dossier_component "
		                    "WHERE dossier_code = ?1",
		                    code, &seq);
		if (e)
			return e;
		store_stmt *st;
		if ((e = store_prepare(
		         c,
		         "INSERT INTO dossier_component (dossier_code, seq, component, "
		         "component_name, document_id, added_at) "
		         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		         &st)))
			return e;
		store_bind_text(st, 1, code);
		store_bind_int(st, 2, seq);
		store_bind_text(st, 3, json_string_value(json_object_get(it, "component")));
		store_bind_text(st, 4, json_string_value(json_array_get(names, i)));
		store_bind_text(st, 5, json_string_value(json_object_get(it, "document")));
		store_bind_text(st, 6, now);
		e = store_step(st, NULL);
		store_finish(st);
		if (e)
			return e;
	}
	return MC_OK;
}

static const char *role_of(const mc_principal *who)
{
	return role_name(who->role);
}

/* Appends a history event; `agency` = agency handling it before the event. */
static mc_err insert_event(store_conn *c, const char *code, const char *now,
                           const mc_principal *who, const char *action, int from, int to,
                           const char *agency, const char *note, json_t *details)
{
	int64_t seq;
	mc_err e = next_seq(
	    c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM dossier_event WHERE dossier_code = ?1", code,
	    &seq);
	if (e)
		return e;
	store_stmt *st;
	if ((e = store_prepare(
	         c,
	         "INSERT INTO dossier_event (dossier_code, seq, occurred_at, actor, "
	         "actor_role, action_name, from_status, to_status, agency, note, details) "
	         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	         &st)))
		return e;
	char *dj = details ? json_dumps(details, JSON_COMPACT) : NULL;
	store_bind_text(st, 1, code);
	store_bind_int(st, 2, seq);
	store_bind_text(st, 3, now);
	store_bind_text(st, 4, who->username);
	store_bind_text(st, 5, role_of(who));
	store_bind_text(st, 6, action);
	if (from > 0)
		store_bind_int(st, 7, from);
	else
		store_bind_null(st, 7);
	store_bind_int(st, 8, to);
	store_bind_text(st, 9, agency);
	store_bind_text(st, 10, note);
	store_bind_text(st, 11, dj);
	e = store_step(st, NULL);
	store_finish(st);
	free(dj);
	return e;
}

static mc_err audit_dossier(store_conn *c, const mc_principal *who, const char *action,
                            const char *code, int from, int to, const char *agency)
{
	char object[160];
	snprintf(object, sizeof object, "dossier/%s", code);
	json_t *detail = json_pack("{s:o, s:s, s:s}", "from",
	                           from > 0 ? json_string(dossier_status_name((dossier_status)from))
	                                    : json_null(),
	                           "to", dossier_status_name((dossier_status)to), "agency", agency);
	mc_err e = audit_append(c, who->username, action, object, detail);
	json_decref(detail);
	return e;
}

/* Emits dossier.status_changed (subject: the dossier code; payload as in
 * docs/DOSSIERS.md) for `d` as it is after `action`, in the caller's
 * write, so that the event commits or rolls back with the change. The
 * catalog keeps one (Vietnamese) name, given as both vi and en. */
static mc_err emit_status_changed(store_conn *c, const drow *d, const char *action, int from)
{
	const char *name = d->procedure_name ? d->procedure_name : d->procedure;
	json_t *p =
	    json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:i, s:i, s:s, s:o}", "code", d->code,
	              "procedure", d->procedure, "procedure_name", "vi", name, "en", name, "action",
	              action, "from_status_code", from > 0 ? from : 0, "to_status_code",
	              (int)d->status, "agency", d->agency, "due_date", jstr(d->due_date));
	if (!p)
		return MC_ERR_INTERNAL;
	if (d->applicant_person_id && *d->applicant_person_id)
		json_object_set_new(p, "applicant", json_string(d->applicant_person_id));
	mc_err e = event_emit(c, "dossier.status_changed", d->code, p);
	json_decref(p);
	return e;
}

/* ---- working-day calendar through the calendar module ---- */

static mc_err cal_add(void *ctx, mc_day from, int n, mc_day *out)
{
	return calendar_add_working_days(ctx, from, n, out);
}

static mc_err cal_between(void *ctx, mc_day from, mc_day to, int *out)
{
	return calendar_working_days_between(ctx, from, to, out);
}

/* ---- submission ---- */

typedef struct submit_ctx {
	const mc_principal *who;
	const char *idem_key;
	const char *origin_offer; /* proactive offer the dossier starts from, or NULL */
	char body_hash[65];
	const char *procedure, *agency, *channel;
	json_t *form;       /* borrowed from the body */
	json_t *components; /* borrowed, may be NULL */
	/* prepared by the read phase */
	int proc_version;
	char *proc_name;
	json_t *names;
	json_t *sat; /* vault_resolve_components rows */
	/* outputs */
	json_t *out;
	bool replayed;
} submit_ctx;

/* Checks the envelope: types (INVALID) and presence (UNPROCESSABLE). */
static mc_err parse_envelope(json_t *body, submit_ctx *x, mc_diag *diag)
{
	json_t *types = json_array();
	json_t *missing = json_array();
	static const char *const keys[] = {"procedure", "agency", "channel"};
	const char **dst[] = {&x->procedure, &x->agency, &x->channel};
	if (!json_is_object(body)) {
		mc_errors_add(types, "$", "must be an object", "phải là một đối tượng");
		goto out;
	}
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(body, keys[i]);
		char path[32];
		snprintf(path, sizeof path, "$.%s", keys[i]);
		if (!v || json_is_null(v))
			mc_errors_add(missing, path, "required member is missing",
			              "thiếu thông tin bắt buộc");
		else if (!json_is_string(v))
			mc_errors_add(types, path, "must be a string", "phải là chuỗi ký tự");
		else
			*dst[i] = json_string_value(v);
	}
	json_t *form = json_object_get(body, "form");
	if (form && !json_is_null(form) && !json_is_object(form))
		mc_errors_add(types, "$.form", "must be an object", "phải là một đối tượng");
	else
		x->form = form && json_is_object(form) ? form : NULL;
	json_t *comps = json_object_get(body, "components");
	if (comps && !json_is_null(comps)) {
		if (!json_is_array(comps)) {
			mc_errors_add(types, "$.components", "must be an array",
			              "phải là một danh sách");
		} else {
			size_t i;
			json_t *it;
			json_array_foreach(comps, i, it)
			{
				char path[64];
				snprintf(path, sizeof path, "$.components[%zu]", i);
				json_t *doc = json_object_get(it, "document");
				json_t *vi = json_object_get(it, "vault_item");
				if (!json_is_object(it) ||
				    !json_is_string(json_object_get(it, "component")) ||
				    json_is_string(doc) == json_is_string(vi) ||
				    (doc && !json_is_string(doc)) || (vi && !json_is_string(vi)))
					mc_errors_add(
					    types, path,
					    "must be {\"component\": string, \"document\": "
					    "string} or {\"component\": string, \"vault_item\": "
					    "string}",
					    "phải có dạng {\"component\": chuỗi, \"document\": "
					    "chuỗi} hoặc {\"component\": chuỗi, \"vault_item\": "
					    "chuỗi}");
			}
			x->components = comps;
		}
	}
out:
	if (json_array_size(types) > 0) {
		json_decref(missing);
		return fail_errors(diag, MC_ERR_INVALID, types, "Yêu cầu không đúng định dạng.",
		                   "The request members have wrong types.");
	}
	json_decref(types);
	if (json_array_size(missing) > 0)
		return fail_errors(diag, MC_ERR_UNPROCESSABLE, missing, "Thiếu thông tin bắt buộc.",
		                   "Required members are missing.");
	json_decref(missing);
	return MC_OK;
}

/* Looks up an idempotency key: *found, and *same when the body matches. */
static mc_err idem_lookup(store_conn *c, submit_ctx *x, bool *found, bool *same, char **code)
{
	*found = *same = false;
	*code = NULL;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT body_hash, dossier_code FROM idempotency "
	                         "WHERE user_id = ?1 AND idem_key = ?2",
	                         &st);
	if (e)
		return e;
	store_bind_int(st, 1, x->who->user_id);
	store_bind_text(st, 2, x->idem_key);
	bool row;
	e = store_step(st, &row);
	if (!e && row) {
		*found = true;
		*same = strcmp(store_col_text(st, 0), x->body_hash) == 0;
		*code = col_dup(st, 1);
	}
	store_finish(st);
	return e;
}

/* Handles a known key: replays the dossier or refuses a different body. */
static mc_err idem_resolve(store_conn *c, submit_ctx *x, bool *done, mc_diag *diag)
{
	*done = false;
	if (!x->idem_key)
		return MC_OK;
	bool found, same;
	char *code = NULL;
	mc_err e = idem_lookup(c, x, &found, &same, &code);
	if (e || !found)
		goto out;
	*done = true;
	if (!same) {
		e = mc_fail2(diag, MC_ERR_UNPROCESSABLE,
		             "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.",
		             "This Idempotency-Key was already used with a different body.");
		goto out;
	}
	drow d;
	if ((e = drow_load(c, code, &d, diag)) == MC_OK) {
		e = drow_json(c, &d, x->who, &x->out);
		x->replayed = true;
	}
	drow_free(&d);
out:
	free(code);
	return e;
}

/* Read phase: idempotent replay or full validation. */
static mc_err submit_check_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	submit_ctx *x = vctx;
	json_t *proc = NULL, *agency = NULL, *errors = json_array();
	bool done;
	mc_err e = idem_resolve(c, x, &done, diag);
	if (e || done)
		goto out;

	if (strlen(x->procedure) > PROCEDURE_CODE_MAX)
		mc_errors_add(errors, "$.procedure", "unknown procedure", "không có thủ tục này");
	else if ((e = catalog_procedure_get(c, x->procedure, 0, &proc, NULL)) != MC_OK) {
		if (e != MC_ERR_NOT_FOUND)
			goto out;
		e = MC_OK;
		proc = NULL;
		mc_errors_add(errors, "$.procedure", "unknown procedure", "không có thủ tục này");
	}
	if (strlen(x->agency) > AGENCY_CODE_MAX)
		mc_errors_add(errors, "$.agency", "unknown agency", "không có cơ quan này");
	else if ((e = territory_agency_get(c, x->agency, &agency, NULL)) != MC_OK) {
		if (e != MC_ERR_NOT_FOUND)
			goto out;
		e = MC_OK;
		agency = NULL;
		mc_errors_add(errors, "$.agency", "unknown agency", "không có cơ quan này");
	}
	bool channel_known = strcmp(x->channel, "online") == 0 ||
	                     strcmp(x->channel, "in_person") == 0 ||
	                     strcmp(x->channel, "post") == 0;
	if (!channel_known)
		mc_errors_add(errors, "$.channel", "must be one of online, in_person, post",
		              "phải là một trong online, in_person, post");
	if (proc && agency &&
	    !catalog_handled_at(proc, json_string_value(json_object_get(agency, "level"))))
		mc_errors_add(errors, "$.agency",
		              "this agency's level does not handle this procedure",
		              "cơ quan ở cấp này không giải quyết thủ tục này");
	if (proc && channel_known && !catalog_offers_channel(proc, x->channel))
		mc_errors_add(errors, "$.channel", "this procedure is not offered on this channel",
		              "thủ tục không được cung cấp qua hình thức này");
	if (proc) {
		json_t *schema = json_object_get(proc, "form");
		json_t *empty = json_object();
		if (json_is_object(schema)) {
			json_t *ferr = jsonschema_validate(schema, x->form ? x->form : empty);
			append_form_errors(errors, ferr);
			json_decref(ferr);
		}
		json_decref(empty);
	}
	json_decref(x->names);
	x->names = json_array();
	if (x->components) {
		if (json_array_size(x->components) > DOSSIER_COMPONENTS_MAX)
			mc_errors_add(errors, "$.components", "too many components (at most 100)",
			              "quá nhiều thành phần hồ sơ (tối đa 100)");
		else if ((e = check_components(c, proc, x->components, x->who->user_id,
		                               "$.components", errors, x->names)))
			goto out;
	}
	if (proc && json_array_size(x->components) <= DOSSIER_COMPONENTS_MAX) {
		json_decref(x->sat);
		x->sat = NULL;
		if ((e = vault_resolve_components(c, x->who->person_id, proc, x->components, true,
		                                  "$.components", errors, &x->sat)))
			goto out;
	}
	if (json_array_size(errors) > 0) {
		e = fail_errors(diag, MC_ERR_UNPROCESSABLE, errors,
		                "Hồ sơ không hợp lệ; xem danh sách lỗi.",
		                "The dossier is invalid; see the list of errors.");
		errors = NULL;
		goto out;
	}
	x->proc_version = (int)json_integer_value(json_object_get(proc, "version"));
	free(x->proc_name);
	const char *pname = json_string_value(json_object_get(proc, "name"));
	x->proc_name = mc_xstrdup(pname ? pname : x->procedure);
out:
	json_decref(errors);
	json_decref(proc);
	json_decref(agency);
	return e;
}

/* Resolves again, in the write transaction, how the components are
 * satisfied (an item may have been revoked since the read phase) and
 * stores the rows. */
static mc_err submit_satisfaction(store_conn *c, submit_ctx *x, const char *code, const char *now,
                                  mc_diag *diag)
{
	json_t *proc = NULL, *rows = NULL, *errors = json_array();
	mc_err e = catalog_procedure_get(c, x->procedure, x->proc_version, &proc, NULL);
	if (e == MC_ERR_NOT_FOUND)
		e = catalog_procedure_get(c, x->procedure, 0, &proc, NULL);
	if (e)
		goto out;
	if ((e = vault_resolve_components(c, x->who->person_id, proc, x->components, true,
	                                  "$.components", errors, &rows)))
		goto out;
	if (json_array_size(errors) > 0) {
		e = fail_errors(diag, MC_ERR_UNPROCESSABLE, errors,
		                "Hồ sơ không hợp lệ; xem danh sách lỗi.",
		                "The dossier is invalid; see the list of errors.");
		errors = NULL;
		goto out;
	}
	e = dossier_sat_save(c, code, rows, now);
out:
	json_decref(proc);
	json_decref(rows);
	json_decref(errors);
	return e;
}

/* Write phase: code, rows, event, key, audit; re-runnable. */
static mc_err submit_write_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	submit_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	x->replayed = false;
	bool done;
	mc_err e = idem_resolve(c, x, &done, diag);
	if (e || done)
		return e;

	time_t t = ts_now();
	char now[32], day[16];
	ts_format(t, now);
	mc_day local = date_local_of(t);
	date_format(local, day);
	int y, m, dd;
	date_to_ymd(local, &y, &m, &dd);

	store_stmt *st;
	if ((e = store_prepare(c,
	                       "INSERT INTO dossier_seq (agency, day, n) VALUES (?1, ?2, 1) "
	                       "ON CONFLICT (agency, day) DO UPDATE SET n = dossier_seq.n + 1 "
	                       "RETURNING n",
	                       &st)))
		return e;
	store_bind_text(st, 1, x->agency);
	store_bind_text(st, 2, day);
	bool row;
	int64_t n = 0;
	e = store_step(st, &row);
	if (!e && row)
		n = store_col_int(st, 0);
	while (!e && row)
		e = store_step(st, &row);
	store_finish(st);
	if (e || n <= 0)
		return e ? e : MC_ERR_INTERNAL;
	char code[DOSSIER_CODE_MAX + 32];
	snprintf(code, sizeof code, "%s-%02d%02d%02d-%04lld", x->agency, y % 100, m, dd,
	         (long long)n);

	char *form = x->form ? json_dumps(x->form, JSON_COMPACT) : mc_xstrdup("{}");
	if ((e = store_prepare(
	         c,
	         "INSERT INTO dossier (code, procedure_code, procedure_version, procedure_name, "
	         "agency, receiving_agency, channel, status, applicant_user_id, "
	         "applicant_username, applicant_person_id, form, submitted_at, updated_at) "
	         "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, 1, ?7, ?8, ?9, ?10, ?11, ?11)",
	         &st))) {
		free(form);
		return e;
	}
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, x->procedure);
	store_bind_int(st, 3, x->proc_version);
	store_bind_text(st, 4, x->proc_name);
	store_bind_text(st, 5, x->agency);
	store_bind_text(st, 6, x->channel);
	store_bind_int(st, 7, x->who->user_id);
	store_bind_text(st, 8, x->who->username);
	store_bind_text(st, 9, x->who->person_id[0] ? x->who->person_id : NULL);
	store_bind_text(st, 10, form);
	store_bind_text(st, 11, now);
	e = store_step(st, NULL);
	store_finish(st);
	free(form);
	if (e)
		return e;
	if (x->origin_offer && (e = dossier_origin_set(c, code, x->origin_offer)))
		return e;
	if (x->components && (e = insert_components(c, code, x->components, x->names, now)))
		return e;
	if ((e = submit_satisfaction(c, x, code, now, diag)))
		return e;
	json_t *details = json_pack("{s:s, s:i, s:s}", "procedure", x->procedure,
	                            "procedure_version", x->proc_version, "channel", x->channel);
	e = insert_event(c, code, now, x->who, "submit", 0, DS_SUBMITTED, x->agency, NULL, details);
	json_decref(details);
	if (e)
		return e;
	if (x->idem_key) {
		if ((e = store_prepare(c,
		                       "INSERT INTO idempotency (user_id, idem_key, body_hash, "
		                       "dossier_code, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
		                       &st)))
			return e;
		store_bind_int(st, 1, x->who->user_id);
		store_bind_text(st, 2, x->idem_key);
		store_bind_text(st, 3, x->body_hash);
		store_bind_text(st, 4, code);
		store_bind_text(st, 5, now);
		e = store_step(st, NULL);
		store_finish(st);
		if (e)
			return e;
	}
	if ((e = audit_dossier(c, x->who, "dossier.submit", code, 0, DS_SUBMITTED, x->agency)))
		return e;
	drow d;
	if ((e = drow_load(c, code, &d, diag)) == MC_OK &&
	    (e = emit_status_changed(c, &d, "submit", 0)) == MC_OK)
		e = drow_json(c, &d, x->who, &x->out);
	drow_free(&d);
	return e;
}

static bool idem_key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > DOSSIER_IDEMPOTENCY_KEY_MAX)
		return false;
	for (const unsigned char *s = (const unsigned char *)k; *s; s++) {
		if (*s < 0x21 || *s > 0x7e)
			return false;
	}
	return true;
}

static mc_err submit_as(mc_app *app, const mc_principal *who, json_t *body, const char *idem_key,
                        const char *origin_offer, json_t **out, bool *replayed, mc_diag *diag);

mc_err dossier_submit(mc_app *app, const mc_principal *who, json_t *body, const char *idem_key,
                      json_t **out, bool *replayed, mc_diag *diag)
{
	return submit_as(app, who, body, idem_key, NULL, out, replayed, diag);
}

mc_err dossier_submit_from_offer(mc_app *app, const mc_principal *who, json_t *body,
                                 const char *idem_key, const char *offer_id, json_t **out,
                                 bool *replayed, mc_diag *diag)
{
	*out = NULL;
	if (!offer_id || !dossier_origin_ok(offer_id))
		return mc_fail2(diag, MC_ERR_INVALID, "Mã đề xuất không hợp lệ.",
		                "The offer identifier is not valid.");
	return submit_as(app, who, body, idem_key, offer_id, out, replayed, diag);
}

static mc_err submit_as(mc_app *app, const mc_principal *who, json_t *body, const char *idem_key,
                        const char *origin_offer, json_t **out, bool *replayed, mc_diag *diag)
{
	*out = NULL;
	if (replayed)
		*replayed = false;
	if (who->role != ROLE_CITIZEN || who->user_id == 0)
		return mc_fail2(diag, MC_ERR_FORBIDDEN, "Chỉ công dân được nộp hồ sơ.",
		                "Only citizens submit dossiers.");
	if (idem_key && !idem_key_ok(idem_key))
		return mc_fail2(diag, MC_ERR_INVALID,
		                "Idempotency-Key phải gồm 1 đến 200 ký tự ASCII in được.",
		                "Idempotency-Key must be 1 to 200 printable ASCII characters.");
	if (sodium_init() < 0)
		return mc_fail(diag, MC_ERR_INTERNAL, "libsodium cannot start");
	submit_ctx x = {.who = who, .idem_key = idem_key, .origin_offer = origin_offer};
	mc_err e = parse_envelope(body, &x, diag);
	if (e)
		return e;
	char *canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	hash_hex(canon, strlen(canon), x.body_hash);
	free(canon);

	e = store_read(app->db, submit_check_fn, &x, diag);
	if (!e && !x.out) {
		e = store_write(app->db, submit_write_fn, &x, diag);
		if (!e)
			event_wake(); /* the committed event, to its consumers */
	}
	if (!e) {
		*out = x.out;
		x.out = NULL;
		if (replayed)
			*replayed = x.replayed;
	}
	json_decref(x.out);
	json_decref(x.names);
	json_decref(x.sat);
	free(x.proc_name);
	return e;
}

/* ---- actions ---- */

typedef struct act_ctx {
	const mc_principal *who;
	const char *code;
	json_t *body;
	json_t *out;
} act_ctx;

static const char *body_str(json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

static mc_err update_row(store_conn *c, const drow *d, const char *now, mc_diag *diag)
{
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "UPDATE dossier SET agency = ?2, status = ?3, form = ?4, received_at = ?5, "
	    "due_date = ?6, finished_at = ?7, timeliness = ?8, supplement_requests = ?9, "
	    "supplement_request = ?10, supplement_from = ?11, supplement_since = ?12, "
	    "apology = ?13, payment = ?14, result = ?15, row_version = row_version + 1, "
	    "updated_at = ?16 WHERE code = ?1 AND row_version = ?17",
	    &st);
	if (e)
		return e;
	char *form = d->form ? json_dumps(d->form, JSON_COMPACT) : mc_xstrdup("{}");
	char *sr = d->supplement_request ? json_dumps(d->supplement_request, JSON_COMPACT) : NULL;
	char *ap = d->apology ? json_dumps(d->apology, JSON_COMPACT) : NULL;
	char *pay = d->payment ? json_dumps(d->payment, JSON_COMPACT) : NULL;
	char *res = d->result ? json_dumps(d->result, JSON_COMPACT) : NULL;
	store_bind_text(st, 1, d->code);
	store_bind_text(st, 2, d->agency);
	store_bind_int(st, 3, d->status);
	store_bind_text(st, 4, form);
	store_bind_text(st, 5, d->received_at);
	store_bind_text(st, 6, d->due_date);
	store_bind_text(st, 7, d->finished_at);
	store_bind_text(st, 8, d->timeliness);
	store_bind_int(st, 9, d->supplement_requests);
	store_bind_text(st, 10, sr);
	if (d->supplement_from > 0)
		store_bind_int(st, 11, d->supplement_from);
	else
		store_bind_null(st, 11);
	store_bind_text(st, 12, d->supplement_since);
	store_bind_text(st, 13, ap);
	store_bind_text(st, 14, pay);
	store_bind_text(st, 15, res);
	store_bind_text(st, 16, now);
	store_bind_int(st, 17, d->row_version);
	e = store_step(st, NULL);
	int64_t changed = e ? 0 : store_changes(c);
	store_finish(st);
	free(form);
	free(sr);
	free(ap);
	free(pay);
	free(res);
	if (!e && changed != 1)
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Hồ sơ vừa được thay đổi; hãy thử lại.",
		             "The dossier changed meanwhile; try again.");
	return e;
}

/* Loads the procedure version of the dossier (falls back to the current). */
static mc_err load_procedure(store_conn *c, const drow *d, json_t **proc)
{
	*proc = NULL;
	mc_err e = catalog_procedure_get(c, d->procedure, d->procedure_version, proc, NULL);
	if (e == MC_ERR_NOT_FOUND)
		e = catalog_procedure_get(c, d->procedure, 0, proc, NULL);
	return e;
}

static mc_err apply_receive(store_conn *c, drow *d, time_t t, json_t *details)
{
	char now[32], due[16];
	json_t *proc = NULL;
	mc_err e = load_procedure(c, d, &proc);
	if (e && e != MC_ERR_NOT_FOUND)
		return e;
	double amount = 0;
	catalog_unit unit = proc ? catalog_time_limit(proc, d->channel, &amount) : LIMIT_NONE;
	json_decref(proc);
	dossier_calendar cal = {cal_add, cal_between, c};
	bool has = false;
	mc_day dd;
	e = dossier_due_on_receive(&cal, date_local_of(t), unit, amount, &has, &dd);
	if (e == MC_ERR_INVALID) {
		/* The calendar cannot count this limit (a procedure stored before
		 * the catalog capped limits at CALENDAR_MAX_WORKING_DAYS, or no
		 * working day in range). The dossier is received without a due
		 * date rather than never: the event says so and the log tells the
		 * operator. */
		log_error("dossier %s: received without a due date: the calendar cannot count "
		          "%g %s",
		          d->code, amount,
		          unit == LIMIT_HOURS  ? "hours"
		          : unit == LIMIT_DAYS ? "days"
		                               : "working days");
		json_object_set_new(details, "due_date_unavailable", json_true());
		has = false;
		e = MC_OK;
	}
	if (e)
		return e;
	set_str(&d->received_at, ts_format(t, now));
	set_str(&d->due_date, has ? date_format(dd, due) : NULL);
	json_object_set_new(details, "due_date", jstr(d->due_date));
	return MC_OK;
}

static mc_err apply_supplement(store_conn *c, drow *d, json_t *body, time_t t, const char *now,
                               json_t *details, mc_diag *diag)
{
	json_t *errors = json_array();
	json_t *proc = NULL, *names = json_array(), *merged = NULL, *sat = NULL;
	mc_err e = load_procedure(c, d, &proc);
	if (e && e != MC_ERR_NOT_FOUND)
		goto out;
	e = MC_OK;
	json_t *comps = json_object_get(body, "components");
	if (json_is_array(comps) && (e = check_components(c, proc, comps, d->applicant_user_id,
	                                                  "$.components", errors, names)))
		goto out;
	if (json_is_array(comps) && proc &&
	    (e = vault_resolve_components(c, d->applicant_person_id, proc, comps, false,
	                                  "$.components", errors, &sat)))
		goto out;
	json_t *form = json_object_get(body, "form");
	if (json_is_object(form)) {
		merged = d->form ? json_deep_copy(d->form) : json_object();
		json_object_update(merged, form);
		json_t *schema = json_object_get(proc, "form");
		if (json_is_object(schema)) {
			json_t *ferr = jsonschema_validate(schema, merged);
			append_form_errors(errors, ferr);
			json_decref(ferr);
		}
	}
	if (json_array_size(errors) > 0) {
		e = fail_errors(diag, MC_ERR_UNPROCESSABLE, errors,
		                "Hồ sơ bổ sung không hợp lệ; xem danh sách lỗi.",
		                "The supplement is invalid; see the list of errors.");
		errors = NULL;
		goto out;
	}
	if (merged) {
		set_json(&d->form, merged);
		merged = NULL;
	}
	if (json_is_array(comps) && (e = insert_components(c, d->code, comps, names, now)))
		goto out;
	if (sat && (e = dossier_sat_save(c, d->code, sat, now)))
		goto out;
	/* time in status 5 does not count */
	dossier_facts f = drow_facts(d);
	mc_day since;
	if (f.has_due_date && d->supplement_since && date_parse(d->supplement_since, &since)) {
		dossier_calendar cal = {cal_add, cal_between, c};
		mc_day nd;
		char buf[16];
		e = dossier_due_after_supplement(&cal, f.due_date, since, date_local_of(t), &nd);
		if (e == MC_ERR_INVALID) {
			/* The calendar cannot extend this due date (out of its
			 * range): keep it rather than leave the dossier stuck in
			 * status 5. */
			log_error("dossier %s: due date %s kept after the supplement: the calendar "
			          "cannot extend it",
			          d->code, d->due_date);
			json_object_set_new(details, "due_date_unavailable", json_true());
			nd = f.due_date;
			e = MC_OK;
		}
		if (e)
			goto out;
		json_object_set_new(details, "previous_due_date", json_string(d->due_date));
		set_str(&d->due_date, date_format(nd, buf));
		json_object_set_new(details, "due_date", json_string(d->due_date));
	}
	if (d->supplement_request)
		json_object_set_new(d->supplement_request, "supplemented_at", json_string(now));
	d->supplement_from = 0;
	set_str(&d->supplement_since, NULL);
out:
	json_decref(errors);
	json_decref(proc);
	json_decref(names);
	json_decref(merged);
	json_decref(sat);
	return e;
}

/* transfer: the dossier moves to another existing agency (interlinked
 * procedures); the history keeps where it came from. */
static mc_err apply_transfer(store_conn *c, drow *d, const char *to, json_t *details, mc_diag *diag)
{
	json_t *ag = NULL;
	mc_err e = territory_agency_get(c, to, &ag, NULL);
	json_decref(ag);
	if (e && e != MC_ERR_NOT_FOUND)
		return e;
	if (e || strcmp(to, d->agency) == 0) {
		json_t *errors = json_array();
		mc_errors_add(errors, "$.agency",
		              e ? "unknown agency" : "the dossier is already at this agency",
		              e ? "không có cơ quan này" : "hồ sơ đang ở cơ quan này");
		return fail_errors(diag, MC_ERR_UNPROCESSABLE, errors,
		                   "Cơ quan chuyển đến không hợp lệ.", "Invalid target agency.");
	}
	json_object_set_new(details, "from_agency", json_string(d->agency));
	set_str(&d->agency, to);
	return MC_OK;
}

static mc_err act_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	act_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	drow d;
	json_t *details = NULL;
	mc_err e = drow_load(c, x->code, &d, diag);
	if (e)
		goto out;
	if ((e = check_visible(c, x->who, &d, diag)))
		goto out;
	json_t *jaction = json_object_get(x->body, "action");
	dossier_action a;
	if (!json_is_string(jaction) || !dossier_action_parse(json_string_value(jaction), &a)) {
		json_t *errors = json_array();
		mc_errors_add(errors, "$.action", "unknown action", "thao tác không hợp lệ");
		e = fail_errors(diag, MC_ERR_UNPROCESSABLE, errors, "Thao tác không hợp lệ.",
		                "Unknown action.");
		dossier_facts f = drow_facts(&d);
		mc_diag_ext(diag, "allowed_actions",
		            dossier_allowed_json(&f, actor_of(x->who, &d)));
		goto out;
	}
	dossier_facts f = drow_facts(&d);
	unsigned actor = actor_of(x->who, &d);
	if ((e = dossier_rule_check(&f, a, actor, diag))) {
		if (e == MC_ERR_CONFLICT) {
			mc_diag_ext(diag, "allowed_actions", dossier_allowed_json(&f, actor));
			mc_diag_ext(diag, "dossier_status",
			            json_string(dossier_status_name(d.status)));
		}
		goto out;
	}
	if ((e = dossier_action_validate(&f, a, x->body, diag)))
		goto out;

	time_t t = ts_now();
	char now[32];
	ts_format(t, now);
	mc_day today = date_local_of(t);
	char today_s[16];
	date_format(today, today_s);
	int from = d.status;
	char *prev_agency = mc_xstrdup(d.agency);
	const char *note = body_str(x->body, "reason");
	if (!note)
		note = body_str(x->body, "note");
	details = dossier_action_details(a, x->body);

	switch (a) {
	case DA_RECEIVE:
		e = apply_receive(c, &d, t, details);
		break;
	case DA_REQUEST_SUPPLEMENT:
		if ((e = dossier_sat_check_request(c, d.code, json_object_get(x->body, "items"),
		                                   diag))) {
			if (e == MC_ERR_CONFLICT)
				mc_diag_ext(diag, "allowed_actions",
				            dossier_allowed_json(&f, actor));
			break;
		}
		d.supplement_requests++;
		set_json(&d.supplement_request,
		         json_pack("{s:O, s:o, s:s}", "items", json_object_get(x->body, "items"),
		                   "note", jstr(body_str(x->body, "note")), "requested_at", now));
		d.supplement_from = d.status;
		set_str(&d.supplement_since, today_s);
		break;
	case DA_SUPPLEMENT:
		e = apply_supplement(c, &d, x->body, t, now, details, diag);
		break;
	case DA_TRANSFER:
		e = apply_transfer(c, &d, body_str(x->body, "agency"), details, diag);
		break;
	case DA_REQUEST_PAYMENT:
		set_json(&d.payment,
		         json_pack("{s:O, s:s, s:s, s:n}", "amount",
		                   json_object_get(x->body, "amount"), "reason",
		                   body_str(x->body, "reason"), "requested_at", now, "paid_at"));
		break;
	case DA_PAY:
		if (!d.payment)
			d.payment = json_object();
		json_object_set_new(d.payment, "paid_at", json_string(now));
		json_object_set_new(d.payment, "reference", jstr(body_str(x->body, "reference")));
		break;
	case DA_FINISH: {
		set_json(&d.result, json_deep_copy(json_object_get(x->body, "result")));
		set_str(&d.finished_at, now);
		bool on_time =
		    dossier_on_time(today, f.has_due_date, f.due_date, d.supplement_requests);
		set_str(&d.timeliness, on_time ? "on_time" : "late");
		json_object_set_new(details, "timeliness", json_string(d.timeliness));
		/* the signed electronic result, in this same transaction */
		result_issue_in ri = {.dossier_code = d.code,
		                      .procedure_code = d.procedure,
		                      .procedure_name = d.procedure_name,
		                      .procedure_version = d.procedure_version,
		                      .agency = d.agency,
		                      .applicant_username = d.applicant_username,
		                      .applicant_person_id = d.applicant_person_id,
		                      .applicant_user_id = d.applicant_user_id,
		                      .content = d.result,
		                      .issued_at = now,
		                      .actor = x->who->username};
		char rid[RESULT_ID_LEN + 1];
		if (!(e = result_issue(c, &ri, rid, diag)))
			json_object_set_new(details, "result_id", json_string(rid));
		break;
	}
	case DA_APOLOGIZE: {
		const char *nd = body_str(x->body, "new_due_date");
		set_json(&d.apology, json_pack("{s:s, s:o, s:s, s:s}", "new_due_date", nd,
		                               "previous_due_date", jstr(d.due_date), "reason",
		                               body_str(x->body, "reason"), "at", now));
		json_object_set_new(details, "previous_due_date", jstr(d.due_date));
		set_str(&d.due_date, nd);
		break;
	}
	default:
		break;
	}
	if (e) {
		free(prev_agency);
		goto out;
	}
	d.status = dossier_next_status(&f, a);
	char action_audit[64];
	snprintf(action_audit, sizeof action_audit, "dossier.%s", dossier_action_name(a));
	if (!(e = update_row(c, &d, now, diag)) &&
	    !(e = insert_event(c, d.code, now, x->who, dossier_action_name(a), from, d.status,
	                       prev_agency, note, details)) &&
	    !(e = audit_dossier(c, x->who, action_audit, d.code, from, d.status, d.agency)) &&
	    !(e = emit_status_changed(c, &d, dossier_action_name(a), from))) {
		drow fresh;
		if ((e = drow_load(c, d.code, &fresh, diag)) == MC_OK)
			e = drow_json(c, &fresh, x->who, &x->out);
		drow_free(&fresh);
	}
	free(prev_agency);
out:
	json_decref(details);
	drow_free(&d);
	return e;
}

mc_err dossier_act(mc_app *app, const mc_principal *who, const char *code, json_t *body,
                   json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!json_is_object(body))
		return mc_fail2(diag, MC_ERR_INVALID, "Yêu cầu phải là một đối tượng JSON.",
		                "The body must be a JSON object.");
	json_t *a = json_object_get(body, "action");
	if (a && !json_is_string(a))
		return mc_fail2(diag, MC_ERR_INVALID, "\"action\" phải là chuỗi ký tự.",
		                "\"action\" must be a string.");
	act_ctx x = {.who = who, .code = code, .body = body};
	mc_err e = store_write(app->db, act_fn, &x, diag);
	if (!e) {
		event_wake(); /* the committed event, to its consumers */
		*out = x.out;
		x.out = NULL;
	}
	json_decref(x.out);
	return e;
}

/* ---- reads ---- */

typedef struct get_ctx {
	const mc_principal *who;
	const char *code;
	bool history;
	int64_t after_seq; /* history page: events after this seq */
	int limit;         /* history page size */
	bool more;         /* out: events follow the page */
	json_t *out;
} get_ctx;

/* The events of dossier `code` after seq `after`, at most `limit`. */
static mc_err history_json(store_conn *c, const char *code, int64_t after, int limit, json_t **out,
                           bool *more)
{
	*out = json_array();
	*more = false;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT seq, occurred_at, actor, actor_role, action_name, "
	                         "from_status, to_status, agency, note, details FROM dossier_event "
	                         "WHERE dossier_code = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, code);
	store_bind_int(st, 2, after);
	store_bind_int(st, 3, (int64_t)limit + 1);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if ((int)json_array_size(*out) == limit) {
			*more = true;
			break;
		}
		bool has_from = !store_col_null(st, 5);
		dossier_status from = has_from ? (dossier_status)store_col_int(st, 5) : DS_NONE;
		dossier_status to = (dossier_status)store_col_int(st, 6);
		json_t *details = col_json(st, 9);
		json_array_append_new(
		    *out,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:i, s:s, s:o, s:o}", "seq",
		              (json_int_t)store_col_int(st, 0), "at", store_col_text(st, 1),
		              "actor", store_col_text(st, 2), "actor_role", store_col_text(st, 3),
		              "action", store_col_text(st, 4), "from_status",
		              has_from ? json_string(dossier_status_name(from)) : json_null(),
		              "from_status_code", has_from ? json_integer(from) : json_null(),
		              "to_status", dossier_status_name(to), "to_status_code", (int)to,
		              "agency", store_col_text(st, 7), "note", jstr(store_col_text(st, 8)),
		              "details", details ? details : json_object()));
	}
	store_finish(st);
	return e;
}

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	get_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	drow d;
	mc_err e = drow_load(c, x->code, &d, diag);
	if (!e)
		e = check_visible(c, x->who, &d, diag);
	if (!e)
		e = x->history ? history_json(c, d.code, x->after_seq, x->limit, &x->out, &x->more)
		               : drow_json(c, &d, x->who, &x->out);
	drow_free(&d);
	return e;
}

static mc_err get_common(mc_app *app, get_ctx *x, json_t **out, mc_diag *diag)
{
	*out = NULL;
	mc_err e = store_read(app->db, get_fn, x, diag);
	if (!e) {
		*out = x->out;
		x->out = NULL;
	}
	json_decref(x->out);
	return e;
}

mc_err dossier_get(mc_app *app, const mc_principal *who, const char *code, json_t **out,
                   mc_diag *diag)
{
	get_ctx x = {.who = who, .code = code};
	return get_common(app, &x, out, diag);
}

mc_err dossier_history(mc_app *app, const mc_principal *who, const char *code, int64_t after_seq,
                       int limit, json_t **items, bool *more, mc_diag *diag)
{
	if (limit < 1 || limit > DOSSIER_HISTORY_PAGE)
		limit = DOSSIER_HISTORY_PAGE;
	get_ctx x = {.who = who,
	             .code = code,
	             .history = true,
	             .after_seq = after_seq < 0 ? 0 : after_seq,
	             .limit = limit};
	mc_err e = get_common(app, &x, items, diag);
	*more = !e && x.more;
	return e;
}

/* ---- list / queue ---- */

typedef struct list_ctx {
	const mc_principal *who;
	const dossier_query *q;
	json_t *items, *next;
} list_ctx;

#define SORT_KEY "COALESCE(due_date, '" NO_DUE "')"
#define LATE_EXPR                                                                                  \
	"(COALESCE(timeliness, '') = 'late' OR (timeliness IS NULL AND due_date IS NOT NULL "      \
	"AND ((status IN (1, 2, 4, 6) AND due_date < ?%d) OR (status = 5 AND "                     \
	"supplement_since IS NOT NULL AND supplement_since > due_date))))"

typedef struct sql_args {
	int n;
	const char *text[12];
	int64_t num[12];
	bool is_num[12];
} sql_args;

static int arg_text(sql_args *a, const char *v)
{
	a->text[a->n] = v;
	a->is_num[a->n] = false;
	return ++a->n;
}

static int arg_int(sql_args *a, int64_t v)
{
	a->num[a->n] = v;
	a->is_num[a->n] = true;
	return ++a->n;
}

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	const dossier_query *q = x->q;
	json_decref(x->items);
	json_decref(x->next);
	x->items = json_array();
	x->next = NULL;
	mc_day today = today_local();
	char today_s[16];
	date_format(today, today_s);

	mc_buf sql = {0};
	sql_args a = {0};
	mc_buf_puts(&sql, "SELECT " ROW_COLUMNS ", " SORT_KEY " FROM dossier WHERE 1 = 1");
	if (x->who->role == ROLE_CITIZEN)
		mc_buf_printf(&sql, " AND applicant_user_id = ?%d", arg_int(&a, x->who->user_id));
	else if (x->who->role == ROLE_OFFICER)
		mc_buf_printf(&sql, " AND agency = ?%d", arg_text(&a, x->who->agency));
	if (q->agency)
		mc_buf_printf(&sql, " AND agency = ?%d", arg_text(&a, q->agency));
	if (q->status > 0)
		mc_buf_printf(&sql, " AND status = ?%d", arg_int(&a, q->status));
	if (q->due_before)
		mc_buf_printf(&sql, " AND due_date IS NOT NULL AND due_date < ?%d",
		              arg_text(&a, q->due_before));
	if (q->late >= 0) {
		int i = arg_text(&a, today_s);
		mc_buf_puts(&sql, q->late ? " AND " : " AND NOT ");
		mc_buf_printf(&sql, LATE_EXPR, i);
	}
	if (q->after_due && q->after_code) {
		int i = arg_text(&a, q->after_due);
		int j = arg_text(&a, q->after_code);
		mc_buf_printf(&sql,
		              " AND (" SORT_KEY " > ?%d OR (" SORT_KEY " = ?%d AND code > ?%d))", i,
		              i, j);
	}
	mc_buf_printf(&sql, " ORDER BY " SORT_KEY ", code LIMIT ?%d", arg_int(&a, q->limit + 1));

	store_stmt *st;
	mc_err e = store_prepare(c, mc_buf_cstr(&sql), &st);
	mc_buf_free(&sql);
	if (e)
		return mc_fail(diag, e, "cannot list dossiers");
	for (int i = 0; i < a.n; i++) {
		if (a.is_num[i])
			store_bind_int(st, i + 1, a.num[i]);
		else
			store_bind_text(st, i + 1, a.text[i]);
	}
	bool row;
	int n = 0;
	char last_due[16] = "", last_code[DOSSIER_CODE_MAX + 32] = "";
	while (!(e = store_step(st, &row)) && row) {
		if (n == q->limit) {
			x->next = json_pack("{s:s, s:s}", "d", last_due, "c", last_code);
			break;
		}
		drow d = {0};
		drow_load_cols(st, &d);
		json_array_append_new(x->items, drow_summary(&d, today));
		snprintf(last_due, sizeof last_due, "%s", store_col_text(st, 25));
		snprintf(last_code, sizeof last_code, "%s", d.code);
		drow_free(&d);
		n++;
	}
	store_finish(st);
	return e;
}

mc_err dossier_list(mc_app *app, const mc_principal *who, const dossier_query *q, json_t **items,
                    json_t **next, mc_diag *diag)
{
	*items = NULL;
	*next = NULL;
	if (who->role == ROLE_ANONYMOUS)
		return mc_fail(diag, MC_ERR_UNAUTHENTICATED, "authentication required");
	if (who->role == ROLE_OFFICER && q->agency && strcmp(q->agency, who->agency) != 0)
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Cán bộ chỉ xem được hồ sơ của cơ quan mình.",
		                "Officers see only the queue of their own agency.");
	list_ctx x = {.who = who, .q = q};
	mc_err e = store_read(app->db, list_fn, &x, diag);
	if (!e) {
		*items = x.items;
		*next = x.next;
		x.items = x.next = NULL;
	}
	json_decref(x.items);
	json_decref(x.next);
	return e;
}

typedef struct count_ctx {
	long *counts;
} count_ctx;

static mc_err count_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	count_ctx *x = vctx;
	for (int i = 0; i <= DS_MAX; i++)
		x->counts[i] = 0;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT status, COUNT(*) FROM dossier GROUP BY status", &st);
	if (e)
		return e;
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		int64_t s = store_col_int(st, 0);
		if (s >= 1 && s <= DS_MAX)
			x->counts[s] = (long)store_col_int(st, 1);
	}
	store_finish(st);
	return e;
}

mc_err dossier_count_by_status(store *s, long counts[11])
{
	count_ctx x = {counts};
	return store_read(s, count_fn, &x, NULL);
}

mc_err dossier_document_dossiers(store_conn *c, const char *document_id, json_t **out)
{
	*out = json_array();
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT DISTINCT d.code, d.agency FROM dossier_component k JOIN "
	                         "dossier d ON d.code = k.dossier_code WHERE k.document_id = ?1 "
	                         "ORDER BY d.code",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, document_id);
	bool row;
	while (!(e = store_step(st, &row)) && row)
		json_array_append_new(*out, json_pack("{s:s, s:s}", "code", store_col_text(st, 0),
		                                      "agency", store_col_text(st, 1)));
	store_finish(st);
	return e;
}

mc_err dossier_stats_each(store_conn *c, dossier_stat_fn fn, void *ctx)
{
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT procedure_code, receiving_agency, agency, channel, status, "
	                  "submitted_at, received_at, finished_at, timeliness FROM dossier "
	                  "ORDER BY code",
	                  &st);
	if (e)
		return e;
	bool row;
	while ((e = store_step(st, &row)) == MC_OK && row) {
		dossier_stat d = {
		    .procedure_code = store_col_text(st, 0),
		    .receiving_agency = store_col_text(st, 1),
		    .agency = store_col_text(st, 2),
		    .channel = store_col_text(st, 3),
		    .status = (int)store_col_int(st, 4),
		    .submitted_at = store_col_text(st, 5),
		    .received_at = store_col_text(st, 6),
		    .finished_at = store_col_text(st, 7),
		    .timeliness = store_col_text(st, 8),
		};
		fn(&d, ctx);
	}
	store_finish(st);
	return e;
}

mc_err dossier_agency_person_dossier(store_conn *c, const char *agency, const char *person_id,
                                     char code[DOSSIER_CODE_MAX + 1], bool *found)
{
	*found = false;
	code[0] = 0;
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "SELECT d.code FROM dossier d WHERE d.applicant_person_id = ?1 AND (d.agency = ?2 "
	    "OR d.receiving_agency = ?2 OR EXISTS (SELECT 1 FROM dossier_event e WHERE "
	    "e.dossier_code = d.code AND e.agency = ?2)) ORDER BY d.submitted_at DESC, d.code "
	    "DESC LIMIT 1",
	    &st);
	if (e)
		return e;
	store_bind_text(st, 1, person_id);
	store_bind_text(st, 2, agency);
	bool row = false;
	if (!(e = store_step(st, &row)) && row) {
		snprintf(code, DOSSIER_CODE_MAX + 1, "%s", store_col_text(st, 0));
		*found = true;
	}
	store_finish(st);
	return e;
}
