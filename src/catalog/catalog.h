/* catalog.h - the national procedure catalog: import of the portal's
 * records, versions, eForms, full-text search. Owns tables procedure,
 * procedure_version and the "procedure" text index. */
#ifndef MC_CATALOG_H
#define MC_CATALOG_H

#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdio.h>

typedef enum catalog_unit {
	LIMIT_NONE = 0,
	LIMIT_WORKING_DAYS,
	LIMIT_DAYS,
	LIMIT_HOURS
} catalog_unit;

typedef struct catalog_import_report {
	long read, imported, updated, failed;
	/* per field: values that could not be parsed */
	long unparsed_time_limit, unparsed_components, unparsed_channels, unparsed_fees,
	    unparsed_level;
	long unchanged;      /* records identical to their last import */
	long complete;       /* records with a time limit and a component list */
	long unit_assumed;   /* records where a bare number got the default unit */
	long time_from_text; /* records whose limit came from a description */
	/* components of the parsed records by class (catalog_components_classify):
	 * documents needed in every case, conditional documents, notes, and
	 * those shown rather than handed in */
	long components, required_documents, conditional_documents, notes, shown;
} catalog_import_report;

/* Imports a .jsonl or .jsonl.gz file in the portal's format, in write
 * transactions of 200 records. Existing codes get a new version only when
 * their record changed (admin overrides of the online level and the eForm
 * are kept). Malformed lines (not JSON, no code or name, longer than 4 MiB)
 * count as failed and never stop the import. With s == NULL the file is only
 * parsed (dry run: "imported" counts what would be imported). IO when the
 * file cannot be read. */
mc_err catalog_import_file(store *s, const char *path, catalog_import_report *rep, mc_diag *diag);
/* Prints the report (human readable) to f. */
void catalog_report_print(const catalog_import_report *rep, FILE *f);

/* Loads a procedure as its API JSON (see GET /api/v1/procedures/{code}),
 * version 0 = current. Includes "version", "channels" [{channel, time_limit:
 * {amount, unit}, fees}], "components" [{id, name, ...}], "form" (JSON
 * Schema), "agency" codes. NOT_FOUND when absent. The caller owns *out,
 * a shallow copy: its top-level members may be replaced, but the values
 * are shared with a process-wide cache and must never be modified. */
mc_err catalog_procedure_get(store_conn *c, const char *code, int version, json_t **out,
                             mc_diag *diag);

/* Time limit of `channel` ("online", "in_person", "post") in a procedure
 * JSON from catalog_procedure_get. Falls back to any channel's limit. */
catalog_unit catalog_time_limit(json_t *procedure, const char *channel, double *amount);

/* Component `id` of a procedure JSON (borrowed), or NULL. */
json_t *catalog_component(json_t *procedure, const char *id);
/* True when the component is a document to hand in (not an explanatory
 * note; see docs/CATALOG.md for the classification). */
bool catalog_component_is_document(json_t *component);
/* True when the procedure offers `channel` ("online", "in_person", "post");
 * a procedure whose channels are unknown offers every channel. */
bool catalog_offers_channel(json_t *procedure, const char *channel);
/* True when an agency of `agency_level` ("central", "province", "commune")
 * may handle the procedure (its "level": ministry | province | commune); a
 * procedure of unknown level may be handled at any level. */
bool catalog_handled_at(json_t *procedure, const char *agency_level);

/* Codes of the agencies that own the catalog's procedures (ministries), with
 * names, for territory to create at init. Calls fn per distinct agency. */
mc_err catalog_owner_agencies(store *s,
                              void (*fn)(const char *code, const char *name_vi, const char *name_en,
                                         void *ctx),
                              void *ctx);

/* CLI: motcua import procedures FILE [--data DIR]. Returns the exit status.
 * argv may start with "import" and/or "procedures". */
int catalog_cli_import(int argc, char **argv);

/* ---- services behind the HTTP API (each runs its own store_read/write) ---- */

/* List / search parameters (NULL = no filter). */
typedef struct catalog_query {
	const char *q;      /* free text, folded here */
	const char *level;  /* ministry | province | commune | other */
	const char *field;  /* linh_vuc, compared folded */
	const char *agency; /* ministry code, UBND-<2 digits> (province level),
	                       UBND-<5 digits> (commune level) or an agency listed */
	const char *online; /* full | partial | none */
	int limit;          /* 1..100 */
	int offset;         /* search: hits to skip */
	const char *after;  /* list without q: last code of the previous page */
} catalog_query;

/* Lists procedure summaries {code, name, level, field, ministry,
 * online_level, time_limit, version}: by code without q, ranked by
 * relevance with q (exact name first, then the phrase at the start of the
 * name, then anywhere, then BM25). *more tells whether a next page exists. */
mc_err catalog_list(store *s, const catalog_query *q, json_t **items, bool *more, mc_diag *diag);

/* The API JSON of a procedure as a string (no parse/serialise round trip):
 * the stored document with "version", "current_version", "versioned_at" and
 * "form" added. version 0 = current. Caller frees *json. */
mc_err catalog_render(store *s, const char *code, int version, char **json, mc_diag *diag);

/* The eForm of a version (0 = current) as JSON text; *version_out gets the
 * version number. Caller frees *json. */
mc_err catalog_form_get(store *s, const char *code, int version, char **json, int *version_out,
                        mc_diag *diag);

/* Admin: creates a procedure from `body` (document members, optionally
 * "form"). CONFLICT when the code exists, UNPROCESSABLE with
 * ext {"errors": [{path, message, message_vi}]} on bad members. *out = the
 * procedure JSON. Audited as catalog.procedure.create. */
mc_err catalog_create(store *s, const char *actor, json_t *body, json_t **out, mc_diag *diag);

/* Admin: updates `code` with the members of `body` (members absent keep
 * their value; "online_level" and "form" become admin overrides that later
 * imports keep). Creates a new version unless nothing changed. Audited as
 * catalog.procedure.update. */
mc_err catalog_update(store *s, const char *actor, const char *code, json_t *body, json_t **out,
                      mc_diag *diag);

/* Admin: replaces the eForm (a schema of the jsonschema.h subset) in a new
 * version. Audited as catalog.form.update. *out = {code, version, form}. */
mc_err catalog_form_put(store *s, const char *actor, const char *code, json_t *schema, json_t **out,
                        mc_diag *diag);

/* Versions of a procedure, newest first: [{version, created_at,
 * created_by}], those below `before` (0 = all), at most `limit`. */
mc_err catalog_versions(store *s, const char *code, int before, int limit, json_t **items,
                        bool *more, mc_diag *diag);

/* The programme figure "procedures offered fully online": *out =
 * {total, full, partial, none, by_level: {ministry|province|commune|other:
 * {total, full, partial, none}}} over the current procedures (a procedure
 * of several levels counts once in each). Caller decrefs. */
mc_err catalog_online_counts(store *s, json_t **out, mc_diag *diag);

extern const http_route catalog_routes[];

#endif
