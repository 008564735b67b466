/* territory.h - administrative units (34 provinces, 3,321 communes) and
 * agencies (central ministries, provincial and commune People's Committees).
 * Owns tables unit and agency.
 *
 * Unit JSON: {code, name, name_en, full_name, full_name_en, type
 * (province|ward|commune|special_zone), level (province|commune), parent}.
 * Agency JSON: {code, name, name_en, level (central|province|commune), unit,
 * parent}. */
#ifndef MC_TERRITORY_H
#define MC_TERRITORY_H

#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>

/* Loads units from admin-units-vn.json at `path` and creates the People's
 * Committee agency of every province ("UBND-<code>") and commune
 * ("UBND-<5-digit code>"). Idempotent. Reports counts. */
mc_err territory_load_units(store *s, const char *path, int *units, int *agencies, mc_diag *diag);

/* Creates (or keeps) a central agency; idempotent. Appends an audit entry
 * ("agency.create", actor "system") only when the agency is new. Runs inside
 * store_write. */
mc_err territory_ensure_agency(store_conn *c, const char *code, const char *name_vi,
                               const char *name_en, const char *level, const char *unit,
                               const char *parent);

/* Loads an agency as JSON {code,name,name_en,level,unit,parent}; NOT_FOUND. */
mc_err territory_agency_get(store_conn *c, const char *code, json_t **out, mc_diag *diag);

/* Loads a unit as JSON (see the file comment); with `children`, a province
 * also gets "children": its communes ordered by code. NOT_FOUND. */
mc_err territory_unit_get(store_conn *c, const char *code, bool children, json_t **out,
                          mc_diag *diag);

/* Filters of the unit and agency lists; NULL members do not filter. */
typedef struct territory_query {
	const char *level;  /* units: province|commune; agencies: central|province|commune */
	const char *parent; /* parent code */
	const char *unit;   /* agencies only: unit code */
	const char *q;      /* free text, folded (diacritics ignored), substring match */
	const char *after;  /* pagination: only codes greater than this */
	int limit;          /* 1..100 */
} territory_query;

/* Lists units (ordered by code) into a new array *items; *more is true when
 * further rows follow the last item. INVALID for a bad filter. */
mc_err territory_unit_list(store_conn *c, const territory_query *q, json_t **items, bool *more,
                           mc_diag *diag);
/* Same for agencies. */
mc_err territory_agency_list(store_conn *c, const territory_query *q, json_t **items, bool *more,
                             mc_diag *diag);

/* Creates (create = true; CONFLICT when the code exists) or updates
 * (NOT_FOUND when absent) the agency described by `body` {code, name,
 * name_en, level, unit, parent}; for an update `code` is the path code and
 * body.code, when present, must equal it, and absent members keep their
 * value (null clears unit/parent). UNPROCESSABLE with an "errors"
 * list on invalid fields (unknown unit or parent, unit level mismatch,
 * parent cycle...). Audits "agency.create"/"agency.update" as `actor`, in
 * the same durable write; *out receives the stored agency JSON (NULL on
 * error). */
mc_err territory_agency_save(store *s, const char *actor, const char *code, json_t *body,
                             bool create, json_t **out, mc_diag *diag);

extern const http_route territory_routes[];

#endif
