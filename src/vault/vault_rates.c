/* vault_rates.c - the once-only, digitization and reuse rates of a period
 * as one public call, for pages that show the programme figures (the
 * portal's scoreboard) without reaching into the vault's internals. */
#include "dossier/dossier.h"
#include "vault/vault.h"
#include "vault/vault_internal.h"

typedef struct items_ctx {
	const char *from, *to;
	vault_rate_counts *k;
} items_ctx;

static mc_err items_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	items_ctx *x = vctx;
	return vault_count_items(c, x->from, x->to, &x->k->items_created, &x->k->items_reused);
}

mc_err vault_rates(store *s, const char *from_ts, const char *to_ts, json_t **out, mc_diag *diag)
{
	vault_rate_counts k = {0};
	*out = NULL;
	mc_err e = dossier_rate_counts(s, from_ts, to_ts, &k, diag);
	items_ctx x = {from_ts, to_ts, &k};
	if (!e)
		e = store_read(s, items_fn, &x, diag);
	if (!e)
		*out = vault_rates_json(&k);
	return e;
}
