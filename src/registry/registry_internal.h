/* registry_internal.h - functions shared by the files of the registry
 * module (service, quality, seed, HTTP); not for other modules. */
#ifndef MC_REGISTRY_INTERNAL_H
#define MC_REGISTRY_INTERNAL_H

#include "registry/registry_rules.h"

/* Loads definition `name` (built in or stored) into d. NOT_FOUND. */
mc_err reg_def_load(store_conn *c, const char *name, reg_def *d, mc_diag *diag);

/* Writes one version of a record and its indexes, without validation,
 * events or audit: the shared tail of registry_record_put and the seed.
 * With `insert_only`, an existing record is left alone and *inserted is
 * false. `changes` (borrowed, nullable) names the changed fields. */
typedef struct reg_row {
	const char *id;
	json_t *data; /* borrowed */
	int version;
	bool valid;
	const char *created_at, *updated_at, *verified_at; /* verified_at nullable */
	const char *actor, *reason;                        /* reason nullable */
	json_t *changes;
} reg_row;
mc_err reg_write_row(store_conn *c, const reg_def *d, const reg_row *r, bool insert_only,
                     bool *inserted);

/* Store-dependent checks of a record: x-unit members name existing units
 * of that level, x-ref members existing records (persons: a father is
 * male, a mother female, both born before the child). Appends to errors. */
mc_err reg_check_refs(store_conn *c, const reg_def *d, json_t *data, json_t *errors);

/* A page of search results (see the handler): text query `q` (folded
 * words, nullable), up to 3 filters on indexed fields, keyset after `after`
 * (filters) or `offset` (text query). *items gets record JSON. */
typedef struct reg_search {
	const char *q;
	const char *field[3], *value[3];
	int nfilters;
	const char *after;
	int offset, limit;
} reg_search;
mc_err reg_search_run(store_conn *c, const reg_def *d, const reg_search *q, json_t **items,
                      bool *more, mc_diag *diag);

/* Versions of a record, newest first, with version < before (0: all),
 * at most limit. NOT_FOUND when the record does not exist. */
mc_err reg_versions(store_conn *c, const char *registry, const char *id, int before, int limit,
                    json_t **items, bool *more, mc_diag *diag);

#endif
