/* catalog_figures.c - the catalog's programme figure: how many current
 * procedures are offered fully online, partly online or not online, in
 * total and per level (DESIGN §1: 100 % of eligible procedures online by
 * 2027). Computed from the procedure table on every call. */
#include "catalog/catalog.h"

#include <string.h>

static const char *const LEVELS[] = {"ministry", "province", "commune", "other"};

static void add(json_t *o, const char *online, json_int_t n)
{
	json_object_set_new(o, "total",
	                    json_integer(json_integer_value(json_object_get(o, "total")) + n));
	json_object_set_new(o, online,
	                    json_integer(json_integer_value(json_object_get(o, online)) + n));
}

static json_t *zero(void)
{
	return json_pack("{s:i,s:i,s:i,s:i}", "total", 0, "full", 0, "partial", 0, "none", 0);
}

static mc_err counts_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	json_t *out = vctx;
	json_t *by = json_object_get(out, "by_level");
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT levels, online_level, COUNT(*) FROM procedure "
	                         "GROUP BY levels, online_level ORDER BY levels, online_level",
	                         &st);
	if (e)
		return e;
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		const char *levels = store_col_text(st, 0);
		const char *online = store_col_text(st, 1);
		json_int_t n = store_col_int(st, 2);
		if (!online || (strcmp(online, "full") && strcmp(online, "partial")))
			online = "none";
		add(out, online, n);
		bool any = false;
		for (size_t i = 0; i < 3; i++) {
			char pat[16];
			size_t k = strlen(LEVELS[i]);
			pat[0] = ',';
			memcpy(pat + 1, LEVELS[i], k);
			pat[k + 1] = ',';
			pat[k + 2] = 0;
			if (levels && strstr(levels, pat)) {
				add(json_object_get(by, LEVELS[i]), online, n);
				any = true;
			}
		}
		if (!any)
			add(json_object_get(by, "other"), online, n);
	}
	store_finish(st);
	return e;
}

mc_err catalog_online_counts(store *s, json_t **out, mc_diag *diag)
{
	json_t *o = zero();
	json_t *by = json_object();
	for (size_t i = 0; i < sizeof LEVELS / sizeof LEVELS[0]; i++)
		json_object_set_new(by, LEVELS[i], zero());
	json_object_set_new(o, "by_level", by);
	mc_err e = store_read(s, counts_fn, o, diag);
	if (e) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return e;
}
