/* exchange_seed.c - demo data of the exchange module for init --demo: a
 * consent of the demo citizen and a few reads of their data, all made
 * through the module's own service functions. */
#include "exchange/exchange.h"

#include "auth/auth.h"
#include "core/date.h"

#include <string.h>

typedef struct has_ctx {
	const char *person;
	bool any;
} has_ctx;

static mc_err has_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	has_ctx *x = vctx;
	json_t *items = NULL;
	bool more = false;
	mc_err e = exchange_consent_list(c, x->person, 1, NULL, NULL, &items, &more, diag);
	x->any = json_array_size(items) > 0;
	json_decref(items);
	return e;
}

typedef struct vault_read_ctx {
	const mc_principal *officer;
	const char *person;
} vault_read_ctx;

static mc_err vault_read_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	vault_read_ctx *x = vctx;
	return exchange_record_access(c, x->person, x->officer->username, x->officer->agency,
	                              "vault", "vault_documents", NULL, "role:officer", diag);
}

mc_err exchange_seed_demo(mc_app *app, mc_diag *diag)
{
	mc_principal citizen, officer, officer2;
	mc_err e;
	if ((e = auth_principal_of(app->db, "citizen", &citizen, diag)) ||
	    (e = auth_principal_of(app->db, "officer", &officer, diag)) ||
	    (e = auth_principal_of(app->db, "officer2", &officer2, diag)))
		return e;
	has_ctx h = {.person = citizen.person_id};
	if ((e = store_read(app->db, has_fn, &h, diag)))
		return e;
	if (h.any)
		return MC_OK;
	char until[11];
	date_format(date_local_of(ts_now()) + 365, until);
	json_t *out = NULL;
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "agency", officer2.agency, "category",
	                         "residence", "purpose",
	                         "Xác nhận nơi cư trú để nhận trợ cấp / Residence check for a "
	                         "benefit",
	                         "expires_on", until);
	e = exchange_consent_grant(app->db, &citizen, body, &out, diag);
	json_decref(body);
	json_decref(out);
	if (e)
		return e;
	vault_read_ctx v = {.officer = &officer, .person = citizen.person_id};
	if ((e = store_write(app->db, vault_read_fn, &v, diag)))
		return e;
	bool denied = false;
	out = NULL;
	if ((e = exchange_read(app->db, &officer, citizen.person_id, "identity",
	                       "Giải quyết hồ sơ / Handling a dossier", &out, &denied, diag)))
		return e;
	json_decref(out);
	out = NULL;
	if ((e = exchange_read(app->db, &officer2, citizen.person_id, "residence",
	                       "Xác nhận nơi cư trú / Residence check", &out, &denied, diag)))
		return e;
	json_decref(out);
	out = NULL;
	e = exchange_read(app->db, &officer2, citizen.person_id, "family",
	                  "Tra cứu quan hệ gia đình / Family look-up", &out, &denied, diag);
	json_decref(out);
	return e;
}
