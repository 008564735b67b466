/* dossier_vault.c - once-only in the dossier: the rows of table
 * dossier_satisfaction (how each component is satisfied: upload, vault
 * item, registry fact, eForm, or missing, as decided by
 * vault_resolve_components), the refusal of a supplement request for a
 * component the state already holds, and the counts behind the once-only
 * and digitization rates (in total, and per agency and month of finishing
 * for the 766 index). */
#include "dossier/dossier_vault.h"

#include "dossier/dossier.h"

#include "core/mem.h"
#include <stdio.h>
#include <string.h>

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

mc_err dossier_sat_save(store_conn *c, const char *code, json_t *rows, const char *now)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *comp = json_string_value(json_object_get(r, "component"));
		const char *by = json_string_value(json_object_get(r, "satisfied_by"));
		const char *item = json_string_value(json_object_get(r, "vault_item"));
		store_stmt *st;
		mc_err e = store_prepare(
		    c,
		    "INSERT INTO dossier_satisfaction (dossier_code, component, required, "
		    "doc_type, "
		    "source, vault_item_id, registry_fact, document_id, updated_at) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
		    "ON CONFLICT (dossier_code, component) DO UPDATE SET source = excluded.source, "
		    "vault_item_id = excluded.vault_item_id, registry_fact = "
		    "excluded.registry_fact, "
		    "document_id = excluded.document_id, updated_at = excluded.updated_at",
		    &st);
		if (e)
			return e;
		store_bind_text(st, 1, code);
		store_bind_text(st, 2, comp);
		store_bind_int(st, 3, json_is_true(json_object_get(r, "required")) ? 1 : 0);
		store_bind_text(st, 4, json_string_value(json_object_get(r, "type")));
		store_bind_text(st, 5, by);
		store_bind_text(st, 6, item);
		store_bind_text(st, 7, json_string_value(json_object_get(r, "registry_fact")));
		store_bind_text(st, 8, json_string_value(json_object_get(r, "document")));
		store_bind_text(st, 9, now);
		e = store_step(st, NULL);
		store_finish(st);
		if (e)
			return e;
		if (item && (e = vault_item_use(c, item, code, comp, NULL)))
			return e;
	}
	return MC_OK;
}

mc_err dossier_sat_json(store_conn *c, const char *code, json_t **out)
{
	*out = json_array();
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT component, required, doc_type, source, vault_item_id, "
	                         "registry_fact, document_id, updated_at FROM dossier_satisfaction "
	                         "WHERE dossier_code = ?1 ORDER BY component",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, code);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		json_array_append_new(
		    *out,
		    json_pack("{s:s, s:b, s:o, s:s, s:o, s:o, s:o, s:s}", "component",
		              store_col_text(st, 0), "required", store_col_int(st, 1) != 0, "type",
		              jstr(store_col_text(st, 2)), "satisfied_by", store_col_text(st, 3),
		              "vault_item", jstr(store_col_text(st, 4)), "registry_fact",
		              jstr(store_col_text(st, 5)), "document", jstr(store_col_text(st, 6)),
		              "updated_at", store_col_text(st, 7)));
	}
	store_finish(st);
	return e;
}

mc_err dossier_sat_check_request(store_conn *c, const char *code, json_t *items, mc_diag *diag)
{
	json_t *rows = NULL;
	mc_err e = dossier_sat_json(c, code, &rows);
	if (e)
		goto out;
	json_t *held = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *comp = json_string_value(json_object_get(it, "component"));
		size_t j;
		json_t *r;
		json_array_foreach(rows, j, r)
		{
			const char *by = json_string_value(json_object_get(r, "satisfied_by"));
			if (comp &&
			    strcmp(comp, json_string_value(json_object_get(r, "component"))) == 0 &&
			    (strcmp(by, "vault") == 0 || strcmp(by, "registry") == 0 ||
			     strcmp(by, "form") == 0))
				json_array_append_new(held, json_pack("{s:s, s:s}", "component",
				                                      comp, "satisfied_by", by));
		}
	}
	if (json_array_size(held) > 0) {
		e = mc_fail2(
		    diag, MC_ERR_CONFLICT,
		    "Không được yêu cầu bổ sung thành phần hồ sơ đã được đáp ứng từ kho dữ "
		    "liệu, cơ sở dữ liệu quốc gia hoặc biểu mẫu điện tử (nguyên tắc chỉ cung "
		    "cấp thông tin một lần).",
		    "A supplement cannot ask for a component already satisfied from the "
		    "vault, a registry or the eForm (once-only).");
		mc_diag_ext(diag, "satisfied_components", held);
	} else {
		json_decref(held);
	}
out:
	json_decref(rows);
	return e;
}

typedef struct counts_ctx {
	const char *from, *to;
	vault_rate_counts *k;
} counts_ctx;

static mc_err counts_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	counts_ctx *x = vctx;
	vault_rate_counts *k = x->k;
	k->components_required = k->by_vault = k->by_registry = k->by_upload = k->by_form =
	    k->missing = k->dossiers_finished = k->dossiers_digitized = 0;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT s.source, COUNT(*) FROM dossier_satisfaction s "
	                         "JOIN dossier d ON d.code = s.dossier_code WHERE s.required = 1 "
	                         "AND d.submitted_at >= ?1 AND d.submitted_at < ?2 "
	                         "GROUP BY s.source",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->from);
	store_bind_text(st, 2, x->to);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		const char *src = store_col_text(st, 0);
		long n = (long)store_col_int(st, 1);
		k->components_required += n;
		if (strcmp(src, "vault") == 0)
			k->by_vault += n;
		else if (strcmp(src, "registry") == 0)
			k->by_registry += n;
		else if (strcmp(src, "upload") == 0)
			k->by_upload += n;
		else if (strcmp(src, "form") == 0)
			k->by_form += n;
		else
			k->missing += n;
	}
	store_finish(st);
	if (e)
		return e;
	if ((e = store_prepare(
	         c,
	         "SELECT COUNT(*), COUNT(CASE WHEN d.result IS NOT NULL AND NOT EXISTS "
	         "(SELECT 1 FROM dossier_satisfaction s WHERE s.dossier_code = d.code "
	         "AND s.required = 1 AND s.source = 'missing') THEN 1 END) "
	         "FROM dossier d WHERE d.status IN (9, 10) AND d.finished_at >= ?1 "
	         "AND d.finished_at < ?2",
	         &st)))
		return e;
	store_bind_text(st, 1, x->from);
	store_bind_text(st, 2, x->to);
	e = store_step(st, &row);
	if (!e && row) {
		k->dossiers_finished = (long)store_col_int(st, 0);
		k->dossiers_digitized = (long)store_col_int(st, 1);
	}
	store_finish(st);
	return e;
}

mc_err dossier_rate_counts(store *s, const char *from_ts, const char *to_ts, vault_rate_counts *k,
                           mc_diag *diag)
{
	counts_ctx x = {from_ts, to_ts, k};
	return store_read(s, counts_fn, &x, diag);
}

mc_err dossier_digitized_each(store_conn *c, dossier_digitized_fn fn, void *ctx)
{
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "SELECT substr(d.finished_at, 1, 7) AS m, d.agency, COUNT(*), COUNT(CASE WHEN "
	    "d.result IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dossier_satisfaction s WHERE "
	    "s.dossier_code = d.code AND s.required = 1 AND s.source = 'missing') THEN 1 END) "
	    "FROM dossier d WHERE d.status IN (9, 10) AND d.finished_at IS NOT NULL "
	    "GROUP BY substr(d.finished_at, 1, 7), d.agency ORDER BY m, d.agency",
	    &st);
	if (e)
		return e;
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		dossier_digitized d = {
		    .month = store_col_text(st, 0),
		    .agency = store_col_text(st, 1),
		    .finished = (long)store_col_int(st, 2),
		    .digitized = (long)store_col_int(st, 3),
		};
		fn(&d, ctx);
	}
	store_finish(st);
	return e;
}
