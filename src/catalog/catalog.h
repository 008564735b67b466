/* catalog.h - the national procedure catalog: import of the portal's
 * records, versions, eForms, full-text search. Owns tables procedure,
 * procedure_version and the "procedure" text index. */
#ifndef MC_CATALOG_H
#define MC_CATALOG_H

#include "http/http.h"
#include "store/store.h"
#include <stdio.h>

typedef enum catalog_unit { LIMIT_NONE = 0, LIMIT_WORKING_DAYS, LIMIT_DAYS, LIMIT_HOURS } catalog_unit;

typedef struct catalog_import_report {
	long read, imported, updated, failed;
	/* per field: values that could not be parsed */
	long unparsed_time_limit, unparsed_components, unparsed_channels, unparsed_fees,
	    unparsed_level;
} catalog_import_report;

/* Imports a .jsonl or .jsonl.gz file in the portal's format. Existing codes
 * get a new version only when their content changed. */
mc_err catalog_import_file(store *s, const char *path, catalog_import_report *rep, mc_diag *diag);
/* Prints the report (human readable) to f. */
void catalog_report_print(const catalog_import_report *rep, FILE *f);

/* Loads a procedure as its API JSON (see GET /api/v1/procedures/{code}),
 * version 0 = current. Includes "version", "channels" [{channel, time_limit:
 * {amount, unit}, fees}], "components" [{id, name, ...}], "form" (JSON
 * Schema), "agency" codes. NOT_FOUND when absent. */
mc_err catalog_procedure_get(store_conn *c, const char *code, int version, json_t **out,
			     mc_diag *diag);

/* Time limit of `channel` ("online", "in_person", "post") in a procedure
 * JSON from catalog_procedure_get. Falls back to any channel's limit. */
catalog_unit catalog_time_limit(json_t *procedure, const char *channel, double *amount);

/* Codes of the agencies that own the catalog's procedures (ministries), with
 * names, for territory to create at init. Calls fn per distinct agency. */
mc_err catalog_owner_agencies(store *s,
			      void (*fn)(const char *code, const char *name_vi, const char *name_en, void *ctx),
			      void *ctx);

/* CLI: motcua import procedures FILE [--data DIR]. Returns the exit status. */
int catalog_cli_import(int argc, char **argv);

extern const http_route catalog_routes[];

#endif
