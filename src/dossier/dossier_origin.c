/* dossier_origin.c - the origin of a dossier (a proactive offer) and the
 * counts of the "essential services delivered proactively" figure; see
 * dossier_origin.h and dossier.h. */
#include "dossier/dossier_origin.h"
#include "dossier/dossier.h"

#include "core/mem.h"
#include <string.h>

#define ORIGIN_CODES_MAX 500

bool dossier_origin_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 64)
		return false;
	for (const char *p = id; *p; p++) {
		char ch = *p;
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

mc_err dossier_origin_set(store_conn *c, const char *code, const char *offer_id)
{
	store_stmt *st;
	mc_err e = store_prepare(c, "UPDATE dossier SET origin_offer = ?2 WHERE code = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, offer_id);
	e = store_step(st, NULL);
	store_finish(st);
	return e;
}

mc_err dossier_origin_json(store_conn *c, const char *code, json_t *j)
{
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT origin_offer FROM dossier WHERE code = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, code);
	bool row;
	e = store_step(st, &row);
	const char *offer = !e && row ? store_col_text(st, 0) : NULL;
	json_object_set_new(j, "origin", offer ? json_pack("{s:s}", "offer", offer) : json_null());
	store_finish(st);
	return e;
}

typedef struct counts_ctx {
	const char *from, *to;
	json_t *codes;
	long all, from_offer;
} counts_ctx;

static mc_err counts_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	counts_ctx *x = vctx;
	x->all = x->from_offer = 0;
	/* one small indexed query per code (statements are cached per
	 * connection): the same SQL on both backends, no IN list to build */
	size_t i;
	json_t *code;
	json_array_foreach(x->codes, i, code)
	{
		if (!json_is_string(code))
			continue;
		store_stmt *st;
		mc_err e = store_prepare(c,
		                         "SELECT COUNT(*), COUNT(origin_offer) FROM dossier "
		                         "WHERE procedure_code = ?1 AND submitted_at >= ?2 AND "
		                         "submitted_at < ?3",
		                         &st);
		if (e)
			return e;
		store_bind_text(st, 1, json_string_value(code));
		store_bind_text(st, 2, x->from);
		store_bind_text(st, 3, x->to);
		bool row;
		e = store_step(st, &row);
		if (!e && row) {
			x->all += (long)store_col_int(st, 0);
			x->from_offer += (long)store_col_int(st, 1);
		}
		while (!e && row)
			e = store_step(st, &row);
		store_finish(st);
		if (e)
			return e;
	}
	return MC_OK;
}

mc_err dossier_origin_counts(store *s, const char *from_ts, const char *to_ts, json_t *codes,
                             long *all, long *from_offer, mc_diag *diag)
{
	*all = *from_offer = 0;
	if (!from_ts || !to_ts || !json_is_array(codes) ||
	    json_array_size(codes) > ORIGIN_CODES_MAX)
		return mc_fail(diag, MC_ERR_INVALID, "bad period or code list");
	counts_ctx x = {.from = from_ts, .to = to_ts, .codes = codes};
	mc_err e = store_read(s, counts_fn, &x, diag);
	if (!e) {
		*all = x.all;
		*from_offer = x.from_offer;
	}
	return e;
}
