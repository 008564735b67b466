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

#endif
