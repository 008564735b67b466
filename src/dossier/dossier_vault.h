/* dossier_vault.h - once-only inside the dossier module (dossier_vault.c):
 * the rows of table dossier_satisfaction. Internal to src/dossier. */
#ifndef MC_DOSSIER_VAULT_H
#define MC_DOSSIER_VAULT_H

#include "store/store.h"
#include "vault/vault.h"
#include <jansson.h>

/* Upserts the rows of vault_resolve_components for dossier `code` (in the
 * caller's write transaction) and records each vault item's reuse. */
mc_err dossier_sat_save(store_conn *c, const char *code, json_t *rows, const char *now);

/* The rows of dossier `code`: [{component, required, type, satisfied_by,
 * vault_item, registry_fact, document, updated_at}] by component. */
mc_err dossier_sat_json(store_conn *c, const char *code, json_t **out);

/* CONFLICT (diag ext "satisfied_components") when a request_supplement
 * item names a component satisfied from the vault, a registry or the
 * eForm. */
mc_err dossier_sat_check_request(store_conn *c, const char *code, json_t *items, mc_diag *diag);

#endif
