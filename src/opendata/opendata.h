/* opendata.h - open data: datasets owned by agencies with DCAT-AP 3.0.1
 * metadata in Vietnamese and English, resources (CSV with a Frictionless
 * Table Schema, JSON) whose every content version stays downloadable,
 * streamed and resumable uploads, the CKAN Action API, DCAT-AP catalogs
 * (JSON-LD, Turtle), generated datasets refreshed by a background thread, a
 * change feed, webhooks and the programme figure (share of agencies that
 * published or refreshed open data in a period). Owns tables od_dataset,
 * od_tag, od_resource, od_resource_version, od_upload, od_change,
 * od_webhook, od_delivery and the files under DATA/opendata.
 *
 * Dataset JSON (native API):
 * {id, name, agency, title {vi, en}, description {vi, en}, keywords {vi: [],
 *  en: []}, themes [EU data-theme codes], license, spatial [unit codes],
 *  temporal {start, end} | null, frequency (EU frequency code), contact
 *  {name, email}, generated, created, modified, resources [{id, name,
 *  description, format, schema, version, size, sha256, rows, modified}]} */
#ifndef MC_OPENDATA_H
#define MC_OPENDATA_H

#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define OD_NAME_MAX 100      /* dataset name (slug) */
#define OD_TEXT_MAX 4000     /* a description */
#define OD_TITLE_MAX 500     /* a title, a keyword list entry, a contact */
#define OD_LIST_MAX 50       /* keywords, themes, spatial codes, resources */
#define OD_SCHEMA_FIELDS 200 /* fields of a table schema */
#define OD_ERRORS_MAX 100    /* CSV errors reported */

/* ---- vocabularies and pure rules (opendata_rules.c) ---- */

/* An open licence: {id, title, url}; NULL when `id` is not one (only
 * open licences are accepted: CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, ODC-BY-1.0,
 * ODC-ODbL-1.0, ODC-PDDL-1.0, OGL-VN-1.0 is not one). */
typedef struct od_license {
	const char *id, *title, *url;
} od_license;
const od_license *od_license_find(const char *id);
/* All licences, ended by {0}. */
extern const od_license od_licenses[];

/* EU data themes: {code, label_en, label_vi}; NULL when unknown. */
typedef struct od_theme {
	const char *code, *en, *vi;
} od_theme;
const od_theme *od_theme_find(const char *code);
extern const od_theme od_themes[];

/* EU frequency codes (ANNUAL, MONTHLY, DAILY, ...); label in English. */
const char *od_frequency_label(const char *code);

/* True for a dataset name CKAN accepts: 2..100 of [a-z0-9_-]. */
bool od_name_ok(const char *name);

/* Validates a Frictionless Table Schema of the supported subset (fields
 * [{name, type: string|integer|number|boolean|date|datetime|year, title,
 * description, constraints {required, minimum, maximum, enum}}]); adds
 * errors under `path` to `errors`. */
void od_schema_check(json_t *schema, const char *path, json_t *errors);

/* Streaming CSV validator against a table schema: feed bytes in any
 * chunking, then finish. Errors {row, field, message} (row 1 = header). */
typedef struct od_csv od_csv;
od_csv *od_csv_new(json_t *schema /* borrowed, may be NULL */);
void od_csv_feed(od_csv *v, const char *p, size_t n);
/* Ends the input; returns the number of errors (all counted, at most
 * OD_ERRORS_MAX kept in *errors, a new array), *rows the data rows. */
long od_csv_finish(od_csv *v, json_t **errors, int64_t *rows);
void od_csv_free(od_csv *v);

/* One CKAN/Solr filter term of fq or q: field:value, field:"value",
 * field:[A TO B] (A or B may be *). */
typedef struct od_term {
	char field[32];
	char *value;   /* exact value, or NULL for a range */
	char *lo, *hi; /* range bounds (NULL = open) */
} od_term;
/* Parses `text` into terms (space or AND separated; free words go to
 * *words as a space-joined string, new). INVALID on a syntax error or an
 * unknown field. Free with od_terms_free. */
mc_err od_terms_parse(const char *text, od_term **terms, int *n, char **words, mc_diag *diag);
void od_terms_free(od_term *terms, int n);

/* Normalises a Solr date bound ("2026-03-01T01:00:00.123456Z", "2026-03-01",
 * "*", "NOW") into "YYYY-MM-DDTHH:MM:SSZ" in out[21]; false if malformed. */
bool od_date_bound(const char *s, char out[21]);

/* Points of a rate in the Decision 766 index: linear below the threshold
 * (rate * max / threshold), full `max` at or above it; 0 for a negative
 * rate; threshold <= 0 counts as reached. */
double od_766_points(double rate, double max, double threshold);

/* Points of the 766 digitization group (max points `max`): digitized
 * dossiers (rate `digitized`, threshold `t_digitized`) and reuse of
 * digitized data (rate `reuse`, threshold `t_reuse`) each score linearly
 * to their threshold over max / 2; when reuse is not measured (reuse < 0)
 * the digitized rate alone scores over the whole `max`. -1 when digitized
 * is not measured either (digitized < 0). */
double od_766_digitization(double digitized, double t_digitized, double reuse, double t_reuse,
                           double max);

/* ---- service (opendata.c) ---- */

/* Creates (key NULL) or updates the dataset `key` (name or id) from the
 * native `body`; `patch` keeps absent members. Officers write their own
 * agency's datasets, admins any (FORBIDDEN otherwise). UNPROCESSABLE with
 * errors on bad members, CONFLICT when the name is taken. Resources given
 * in body ([{name, description, format, schema}], or with id to keep one)
 * replace the list. Audited; records a change. *out = the dataset. */
mc_err opendata_dataset_save(mc_app *app, const mc_principal *who, const char *key, json_t *body,
                             bool patch, json_t **out, mc_diag *diag);
/* Same, for generated datasets (actor "system", no access check). */
mc_err opendata_dataset_save_system(mc_app *app, const char *key, json_t *body, json_t **out,
                                    mc_diag *diag);
/* Loads a dataset (name or id) with its resources. NOT_FOUND. */
mc_err opendata_dataset_get(store_conn *c, const char *key, json_t **out, mc_diag *diag);
/* Adds a resource {name, description, format, schema} to dataset `key`;
 * *out = the resource. */
mc_err opendata_resource_add(mc_app *app, const mc_principal *who, const char *key, json_t *body,
                             json_t **out, mc_diag *diag);
/* Loads a resource by id, with "dataset" (name) and "versions" when
 * `versions`. NOT_FOUND. */
mc_err opendata_resource_get(store_conn *c, const char *id, bool versions, json_t **out,
                             mc_diag *diag);

/* Search (CKAN package_search semantics). */
typedef struct od_query {
	const char *q, *fq, *sort;
	int rows, start;
	const char *facets[8];
	int nfacets;
	const char *after; /* cursor paging: uuid of the last item (sort id) */
} od_query;
/* *result = {count, results: [datasets], facets: {field: {value: n}}}. */
mc_err opendata_search(store *s, const od_query *q, json_t **result, mc_diag *diag);
/* Rebuilds the full-text index of the datasets (index "opendata", kept up
 * to date by every save) from the stored search texts; *n = datasets.
 * Run at server start, so that a database written before the index existed
 * is searchable. */
mc_err opendata_reindex(mc_app *app, int64_t *n, mc_diag *diag);
/* Names of every dataset, by name (offset/limit). */
mc_err opendata_names(store *s, int offset, int limit, json_t **out, mc_diag *diag);
/* Organizations: agencies with at least one dataset: [{code, count}]. */
mc_err opendata_orgs(store *s, json_t **out, mc_diag *diag);
/* Distinct tags with counts [{tag, count}] ordered by tag. */
mc_err opendata_tags(store *s, json_t **out, mc_diag *diag);
/* Per theme code: number of datasets ({code: n}). */
mc_err opendata_theme_counts(store *s, json_t **out, mc_diag *diag);

/* Change feed: changes with seq > after, at most limit:
 * [{seq, dataset, name, agency, action, at}]; *more. */
mc_err opendata_changes(store *s, int64_t after, int limit, json_t **items, bool *more,
                        mc_diag *diag);
/* Records a change (inside a write). */
mc_err opendata_change_add(store_conn *c, const char *uuid, const char *name, const char *agency,
                           const char *action);

/* Programme figure over [from, to) (YYYY-MM-DD): agencies that published
 * or refreshed open data, among `denominator` agencies (every agency of
 * the territory module) -> {from, to, agencies, publishing, share}. */
mc_err opendata_figure(store *s, const char *from, const char *to, json_t **out, mc_diag *diag);

/* ---- files (opendata_files.c) ---- */

/* Stores a new content version of resource `id` from the file at `tmp`
 * (moved into DATA/opendata/files, checked against the schema for CSV):
 * UNPROCESSABLE with errors {row, field, message} when a CSV row breaks
 * the schema (the file is removed). *out = the resource. Audited. */
mc_err opendata_content_commit(mc_app *app, const char *actor, const char *id, const char *tmp,
                               json_t **out, mc_diag *diag);
/* Reads the current content of resource `id` (uuid) into *out (new,
 * NUL-terminated, *len bytes) for pages that show a small generated table:
 * NOT_FOUND without content, TOO_LARGE above `max` bytes, IO when the file
 * cannot be read. */
mc_err opendata_content_read(mc_app *app, const char *id, size_t max, char **out, size_t *len,
                             mc_diag *diag);
/* A multipart/form-data body read as it arrives (CKAN's resource_create
 * upload): text fields are kept (at most 64, 256 KiB each), the first file
 * part named "upload" is written to a temporary file (capped like any
 * upload), other file parts are dropped. */
typedef struct od_form od_form;
/* NULL (INVALID) unless `content_type` is multipart/form-data with a
 * boundary; IO when no temporary file can be created. */
od_form *od_form_new(const char *content_type, mc_app *app, mc_diag *diag, mc_err *e);
/* Feeds the next bytes (any chunking). INVALID on a malformed body,
 * TOO_LARGE past a cap. */
mc_err od_form_feed(od_form *f, const char *p, size_t n, mc_diag *diag);
/* Ends the body: INVALID without the closing delimiter; the file is
 * fsync'd. */
mc_err od_form_finish(od_form *f, mc_diag *diag);
/* The text fields {name: value} (borrowed). */
json_t *od_form_fields(od_form *f);
/* The uploaded file's temporary path and its client-side name, or NULL. */
const char *od_form_file(od_form *f);
const char *od_form_filename(od_form *f);
/* Frees; removes the temporary file unless it was committed (moved). */
void od_form_free(od_form *f);
/* Checks the CSV file at `path` against `schema`: UNPROCESSABLE with
 * errors {row, field, message} (error_count) when rows break it. */
mc_err od_csv_check_file(const char *path, json_t *schema, mc_diag *diag);

/* Directory DATA/opendata/<sub>, created when missing (new string). */
char *opendata_dir(mc_app *app, const char *sub);

/* ---- DCAT-AP (opendata_dcat.c) ---- */

/* Catalog page `page` (1-based, 100 datasets) as JSON-LD (*jsonld) or
 * Turtle (*ttl), with hydra paging; `base` is the public base URL. One
 * dataset when `key` is given. Caller frees. */
mc_err opendata_dcat(store *s, const char *base, const char *key, int page, bool turtle, char **out,
                     mc_diag *diag);

/* ---- generated datasets (opendata_gen.c) ---- */

/* Regenerates every generated dataset (procedure catalog, dossier
 * statistics, satisfaction, 766 index) now; *report = {datasets, rows}. */
mc_err opendata_refresh(mc_app *app, json_t **report, mc_diag *diag);
/* Starts the background threads: refresh every `seconds` (0: never), and
 * webhook deliveries every second; stop with opendata_stop. */
void opendata_start(mc_app *app, int seconds);
void opendata_stop(void);
/* Threshold under which counts are suppressed (MOTCUA_OPENDATA_MIN_COUNT,
 * default 5). */
int opendata_min_count(void);

/* ---- webhooks (opendata_hooks.c) ---- */

/* Admin: registers a webhook {url, agency?} (agency: only that agency's
 * datasets); *out = {id, url, agency, secret, created}; the secret is shown
 * only here. UNPROCESSABLE on a bad URL. Audited. */
mc_err opendata_webhook_add(mc_app *app, const mc_principal *who, json_t *body, json_t **out,
                            mc_diag *diag);
/* Every webhook with delivery counts and its 10 newest deliveries. */
mc_err opendata_webhook_list(mc_app *app, json_t **out, mc_diag *diag);
/* One delivery round: queues new changes, POSTs due deliveries (signed),
 * records results and schedules retries. Returns the deliveries tried. */
int opendata_webhook_run(mc_app *app);

/* The public base URL of a request (MOTCUA_PUBLIC_URL or http://Host). */
const char *opendata_base(mc_req *req);

/* CKAN resource_create as a BODY_STREAM route (opendata_http.c): a JSON
 * body, or multipart/form-data with the file in the "upload" field. */
void opendata_ckan_resource_create(mc_req *req, mc_resp *resp);
extern const http_stream_ops opendata_rc_ops;

extern const http_route opendata_routes[];
extern const http_route opendata_file_routes[];
extern const http_stream_route opendata_stream_routes[];

#endif
