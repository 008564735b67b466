/* vault_internal.h - functions shared by the files of the vault module
 * (service, HTTP handlers, rates); not part of its public contract. */
#ifndef MC_VAULT_INTERNAL_H
#define MC_VAULT_INTERNAL_H

#include "store/store.h"
#include <jansson.h>
#include <stdbool.h>

/* True when holder is a personal number ("person") or an enterprise code
 * ("business"); *kind gets the static name. */
bool vault_holder_kind(const char *holder, const char **kind);

/* {vi, en} names of a type code (nulls when unknown). New reference. */
json_t *vault_type_name(const char *code);

/* Vault items created in [from_ts, to_ts) and those of them reused by a
 * dossier other than the one they came from. */
mc_err vault_count_items(store_conn *c, const char *from_ts, const char *to_ts, long *created,
                         long *reused);

/* Registry facts a holder has (bits). */
#define VAULT_FACT_IDENTITY 1u
#define VAULT_FACT_RESIDENCE 2u
#define VAULT_FACT_RELATIONS 4u

/* Appends to `items` the registry-backed facts about `holder` as computed
 * vault items (id "registry:<key>", source "registry", "data" with the
 * registry values) and sets *have to the VAULT_FACT_* bits found. Without
 * the registry module (or an unknown holder) appends nothing. */
mc_err vault_registry_facts(store_conn *c, const char *holder, json_t *items, unsigned *have);

/* True when a dictionary type is backed by a registry fact in `have`. */
bool vault_fact_for_type(json_t *type, unsigned have);

/* *ok = the person `person_id` may act for `holder`: the holder is the
 * person, or a business whose legal representative the person is. */
mc_err vault_may_act_for(store_conn *c, const char *person_id, const char *holder, bool *ok);

#endif
