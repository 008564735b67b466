/* registry_rules.h - the pure part of the registry module, shared by its
 * files and unit-tested: built-in definitions, the parsed form of a
 * definition, record validation rules that need no store, the fill mask
 * and duplicate key of a record, the events derived from a change, and
 * the access view of a record. No I/O. */
#ifndef MC_REGISTRY_RULES_H
#define MC_REGISTRY_RULES_H

#include "auth/principal.h"
#include "core/date.h"
#include "registry/registry.h"
#include <jansson.h>
#include <stdbool.h>

/* A definition and borrowed views into it (valid while `json` lives). */
typedef struct reg_def {
	json_t *json; /* owned reference */
	const char *name, *id_field, *agency, *subject_field, *writers;
	json_t *schema, *props;
	json_t *personal, *sensitive, *indexed, *search, *dupkey; /* arrays of names */
	bool builtin, public_read;
	int version;
	const char *fields[REGISTRY_FIELDS_MAX]; /* property names, sorted: bit order of filled */
	int nfields;
} reg_def;

/* The built-in definition `name` (new reference) or NULL. */
json_t *reg_builtin(const char *name);
/* Names of the built-in registries, NULL-terminated. */
extern const char *const reg_builtin_names[];

/* Fills d from definition `def` (a reference is taken). Returns false when
 * the definition lacks a member the module relies on. */
bool reg_def_bind(reg_def *d, json_t *def);
/* Drops the reference of d. */
void reg_def_release(reg_def *d);

/* Checks a definition proposed through the API (not the store-dependent
 * parts: agency existence, x-ref targets, name uniqueness). Appends to
 * `errors` with paths like "$.schema.properties.x". */
void reg_def_check(json_t *def, json_t *errors);

/* True when `name` is in the array of strings `list`. */
bool reg_in(json_t *list, const char *name);

/* Validates record `data` against d's schema and the store-free rules of
 * the built-ins (persons: identifier structure consistent with date of
 * birth and sex, dates ordered and not in the future after `today`,
 * nobody their own parent or spouse; businesses: enterprise check digit and
 * branch form). Appends to `errors` with paths relative to "$" (the
 * record). */
void reg_validate(const reg_def *d, json_t *data, mc_day today, json_t *errors);

/* Bit i set when property d->fields[i] is present and not null. */
int64_t reg_filled_mask(const reg_def *d, json_t *data);

/* The folded duplicate key "v1|v2|..." of d->dupkey (malloc'ed), or NULL
 * when d has none or a member is missing. */
char *reg_dup_key(const reg_def *d, json_t *data);

/* The text of a member as stored in the field index: strings as they are,
 * integers and booleans in decimal / true|false; NULL for null, objects,
 * arrays or absent members. Malloc'ed. */
char *reg_scalar_text(json_t *v);

/* Names of the top-level members whose values differ between old (nullable)
 * and new: a new array of strings, sorted. */
json_t *reg_changes(json_t *old_data, json_t *new_data);

/* The events a change of a record of registry `name` implies, as a new
 * array of {type, payload}: persons -> person.born (created), person.died
 * (date_of_death set), person.married (spouse_id set to another person),
 * person.address_changed (residence changed); businesses ->
 * business.founded (created), business.dissolved (status became
 * dissolved). old_data NULL means created. */
json_t *reg_events(const char *name, const char *id, json_t *old_data, json_t *new_data);

/* The view of rec (record JSON, borrowed) that `who` may read under d's
 * rules (see registry_visible). */
json_t *reg_visible(const mc_principal *who, const reg_def *d, json_t *rec);

/* True when `who` may create or change records of d. */
bool reg_may_write(const mc_principal *who, const reg_def *d);

#endif
