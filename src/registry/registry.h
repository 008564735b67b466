/* registry.h - national and specialized registries (cơ sở dữ liệu quốc gia,
 * chuyên ngành) as schema-driven record stores. Owns tables registry_def,
 * registry_record, registry_version and registry_field.
 *
 * A registry is defined by a JSON document (see docs/REGISTRIES.md):
 *   {name, title, title_en, version, id_field, agency, schema (JSON Schema),
 *    personal_fields, sensitive_fields, indexed_fields, search_fields,
 *    subject_field, duplicate_key, writers ("officers" | "owner")}
 * Built in (defined in code, always present): "persons" (owner BCA),
 * "businesses" (owner BTC) and "death_records" (owner BTP).
 *
 * A record is a JSON object valid against its registry's schema, keyed by
 * the value of id_field. Every change keeps the previous version (who, when,
 * why, which fields changed). Record JSON as returned by this module:
 *   {registry, id, version, data: {...}, valid, created_at, updated_at,
 *    verified_at (null when never verified)}
 *
 * Relations: persons name their father_id, mother_id and spouse_id;
 * businesses their legal_representative; death records their person_id.
 * Reverse lookups go through the declared indexed fields. */
#ifndef MC_REGISTRY_H
#define MC_REGISTRY_H

#include "auth/principal.h"
#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdio.h>

#define REGISTRY_NAME_MAX 40      /* bytes of a registry name */
#define REGISTRY_ID_MAX 64        /* bytes of a record identifier */
#define REGISTRY_REASON_MAX 500   /* bytes of a change reason */
#define REGISTRY_RECORD_MAX 65536 /* bytes of a record's JSON */
#define REGISTRY_FIELDS_MAX 62    /* properties of a registry's schema */
#define REGISTRY_INDEXED_MAX 8    /* indexed fields of a registry */

/* ---- reading (for other modules: vault, exchange, proactive) ---------- */

/* The current version of record `id` of `registry`, in the caller's
 * transaction or snapshot (store_read or store_write): *out gets the record
 * JSON of the file comment, unmasked (access checks are the caller's).
 * NOT_FOUND for an unknown registry or record. */
mc_err registry_record_get(store_conn *c, const char *registry, const char *id, json_t **out,
                           mc_diag *diag);

/* Version `version` (1 = first) of a record, same shape plus {changed_by,
 * reason, changes (array of changed field names)}. NOT_FOUND. */
mc_err registry_record_version(store_conn *c, const char *registry, const char *id, int version,
                               json_t **out, mc_diag *diag);

/* Identifiers of the records of `registry` whose indexed field `field`
 * equals `value`, ordered, at most `limit` (1..1000): *ids gets a new array
 * of strings. INVALID when the field is not indexed; NOT_FOUND for an
 * unknown registry. */
mc_err registry_find_by_field(store_conn *c, const char *registry, const char *field,
                              const char *value, int limit, json_t **ids, mc_diag *diag);

/* Family and business relations of person `person_id`, from the persons,
 * businesses and death_records registries: *out gets
 *   {id, father_id, mother_id, spouse_id (each a string or null),
 *    children: [ids], businesses: [enterprise codes where legal
 *    representative], death_record: id or null, deceased: bool}
 * NOT_FOUND when the person is not in the persons registry. */
mc_err registry_person_relations(store_conn *c, const char *person_id, json_t **out, mc_diag *diag);

/* ---- definitions ----------------------------------------------------- */

/* The definition of `name` (built in or created through the API) as JSON
 * (the document of the file comment plus builtin, created_at). NOT_FOUND. */
mc_err registry_def_get(store_conn *c, const char *name, json_t **out, mc_diag *diag);

/* Every definition, built-ins first then by name: *out gets a new array. */
mc_err registry_def_list(store_conn *c, json_t **out, mc_diag *diag);

/* Creates a specialized registry from `def` (borrowed) on behalf of `who`
 * (an officer: the agency is the officer's own; an admin: def.agency, which
 * must exist). UNPROCESSABLE with "errors" for a bad definition (name,
 * schema, unknown fields in the lists...), CONFLICT when the name exists.
 * Audited ("registry.create"). Runs in store_write. *out: the definition. */
mc_err registry_def_create(store *s, const mc_principal *who, json_t *def, json_t **out,
                           mc_diag *diag);

/* ---- writing ----------------------------------------------------------- */

/* Creates (create = true; CONFLICT when the identifier exists) or updates
 * (NOT_FOUND when absent) a record of `registry` from `data` (borrowed;
 * for an update the identifier is `id` and data's id field must equal it
 * or be absent). Validates against the schema and the registry's rules
 * (UNPROCESSABLE with "errors" as JSON paths), writes a new version with
 * `actor` and `reason`, updates the indexes, emits the events derived from
 * the change (event_emit) and audits, all in the caller's write
 * transaction. *out (nullable) gets the stored record. */
mc_err registry_record_put(store_conn *c, const char *registry, const char *id, json_t *data,
                           bool create, const char *actor, const char *reason, json_t **out,
                           mc_diag *diag);

/* Marks a record verified now (freshness), as a new audit entry, not a new
 * version. NOT_FOUND. Runs in store_write. */
mc_err registry_record_verify(store_conn *c, const char *registry, const char *id,
                              const char *actor, mc_diag *diag);

/* ---- access (who may read what) ---------------------------------------- */

/* What `who` may see of record `rec` (borrowed) of definition `def`:
 * returns a new record JSON with personal fields removed and sensitive
 * fields masked as the rules of docs/REGISTRIES.md say, or NULL when the
 * caller may not see the record at all (the handler answers 401 or 404). */
json_t *registry_visible(const mc_principal *who, json_t *def, json_t *rec);

/* ---- quality and demo data -------------------------------------------- */

/* The data-quality report of a registry (see docs/REGISTRIES.md):
 * {registry, records, valid, valid_share, completeness {field: share},
 *  freshness {verified, never_verified, verified_last_year, oldest_verified_at,
 *  mean_age_days}, duplicates {groups, records, examples[]}, contradictions
 *  {rule: {count, examples[]}}, generated_at}. NOT_FOUND. */
mc_err registry_quality(store_conn *c, const char *registry, json_t **out, mc_diag *diag);

/* Seeds a deterministic synthetic population of about `persons` persons
 * (families across real communes, births, deaths with death records,
 * marriages, businesses) from `seed`, in a few large transactions, plus the
 * demo citizens 001090012345 and 079190012346. Writes a summary to `log`
 * (nullable). Rerunning with the same arguments is a no-op for existing
 * identifiers. */
mc_err registry_seed(store *s, long persons, unsigned long seed, FILE *log, mc_diag *diag);

/* CLI: motcua registry quality NAME --data DIR | registry seed --persons N
 * --data DIR [--seed S]. argv[0] is "registry". Returns the exit status. */
int registry_cli(int argc, char **argv);

extern const http_route registry_routes[];

#endif
