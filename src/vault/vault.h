/* vault.h - the vault (kho dữ liệu điện tử) of every person and business:
 * issued results, uploaded and verified documents, and registry-backed
 * facts about them; the document-type dictionary and the matcher from
 * catalog components to types; the rules that satisfy a dossier component
 * from the vault, a registry, the eForm or an upload; the once-only,
 * digitization and reuse rates. Owns tables vault_item and vault_use.
 *
 * Holders are identified by a personal number (12 digits, core/ids.h) or
 * an enterprise code (10 digits with check digit, optional branch). Item
 * bytes live in the document module; an item references them by SHA-256
 * (and by document id when uploaded). */
#ifndef MC_VAULT_H
#define MC_VAULT_H

#include "http/http.h"
#include "store/store.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Caps on client-controlled values. */
#define VAULT_TITLE_MAX 300
#define VAULT_REF_MAX 100
#define VAULT_REASON_MAX 2000
#define VAULT_ID_LEN 32

typedef enum vault_status {
	VAULT_UNVERIFIED = 0,
	VAULT_VERIFIED,
	VAULT_REVOKED,
} vault_status;

typedef enum vault_source {
	VAULT_SRC_RESULT = 0, /* a result issued by an agency (signed result, dossier finish) */
	VAULT_SRC_UPLOAD,     /* the holder's own upload */
	VAULT_SRC_REGISTRY,   /* a document recorded from a registry */
} vault_source;

/* One item to store. Strings are borrowed; NULL = absent. */
typedef struct vault_item {
	const char *holder;         /* personal number or enterprise code (required) */
	const char *doc_type;       /* dictionary code, e.g. "birth_certificate" (required) */
	const char *title;          /* optional, <= VAULT_TITLE_MAX bytes */
	const char *issuer;         /* issuing agency code; required for results */
	const char *valid_from;     /* "YYYY-MM-DD" or NULL */
	const char *valid_until;    /* "YYYY-MM-DD" or NULL (no end) */
	const char *content_sha256; /* 64 lower-case hex digits, or NULL */
	const char *document_id;    /* document module id of the bytes, or NULL */
	vault_status status;
	vault_source source;
	const char *ref;   /* originating object (result id, dossier code), <= VAULT_REF_MAX */
	const char *actor; /* username for the audit entry; NULL = "system" */
} vault_item;

/* Adds an item in the caller's write transaction (call it inside
 * store_write; the results module calls it from dossier `finish`).
 * Checks every member (MC_ERR_UNPROCESSABLE, diag ext "errors" with
 * {path, message, message_vi} for each: holder not a valid personal number
 * or enterprise code, unknown type, malformed dates or hash, valid_until
 * before valid_from, over-long strings, a result without issuer). Appends
 * the audit entry "vault.item.put". *id_out (nullable) receives the new
 * id (malloc'ed, caller frees). Safe to re-run: each run makes a new id. */
mc_err vault_item_put(store_conn *c, const vault_item *in, char **id_out, mc_diag *diag);

/* Sets the status of item `id` (in the caller's write transaction) and
 * audits "vault.item.<status>" with `actor` and `reason` (NULL allowed,
 * <= VAULT_REASON_MAX bytes). NOT_FOUND when absent; CONFLICT when the item
 * is revoked (revocation is final) or already has that status. */
mc_err vault_item_set_status(store_conn *c, const char *id, vault_status st, const char *actor,
                             const char *reason, mc_diag *diag);

/* Loads item `id` as JSON {id, holder, holder_kind, type, type_name {vi,
 * en}, title, issuer, valid_from, valid_until, content_sha256, document,
 * status, source, ref, created_at, created_by, status_at, status_by,
 * status_reason, valid (bool: not revoked and today within validity),
 * uses (number of dossiers that reused it)}. NOT_FOUND when absent. */
mc_err vault_item_get(store_conn *c, const char *id, json_t **out, mc_diag *diag);

/* The stored items of `holder`, newest first, as an array of the JSON of
 * vault_item_get. `doc_type` (NULL = any) filters by type; at most `limit`
 * (1..100) items after the cursor (`after_created`, `after_id`: the
 * created_at and id of the last item of the previous page, NULL = start);
 * *more tells whether items follow. */
mc_err vault_list_for_holder(store_conn *c, const char *holder, const char *doc_type, int limit,
                             const char *after_created, const char *after_id, json_t **items,
                             bool *more, mc_diag *diag);

/* Records that dossier `dossier_code` used item `id` for `component` (in
 * the caller's write transaction); repeated calls are no-ops. */
mc_err vault_item_use(store_conn *c, const char *id, const char *dossier_code,
                      const char *component, mc_diag *diag);

/* Names. */
const char *vault_status_name(vault_status s);
bool vault_status_parse(const char *s, vault_status *out);
const char *vault_source_name(vault_source s);
bool vault_source_parse(const char *s, vault_source *out);

/* Validity of an item JSON (from vault_item_get) on day `today`
 * ("YYYY-MM-DD"): not revoked, valid_from <= today (or none) and today <=
 * valid_until (or none). */
bool vault_item_valid_on(json_t *item, const char *today);

/* ---- the document-type dictionary (data/vault-doctypes.json) ---- */

/* The dictionary as a JSON array of {code, name_vi, name_en, patterns,
 * registry (fact name or null), form (bool)} (borrowed, never freed). The
 * registry facts are "identity", "residence", "relations"; `form` types
 * (declarations, applications) are satisfied by the dossier's eForm. */
json_t *vault_doctypes(void);
/* The dictionary entry of `code` (borrowed) or NULL. */
json_t *vault_doctype(const char *code);

/* Maps a catalog component name to a type code (borrowed static string),
 * or NULL when no rule matches. Rules: the name is folded (text_fold); each
 * type lists folded phrases, matched on word boundaries ("^" at the start
 * of a phrase anchors it to the start of the name); the phrase found
 * earliest in the name wins, a longer phrase breaking ties. A leading
 * "bản sao" / "bản chính" and similar copy words do not count. */
const char *vault_match_name(const char *name);

/* Runs the matcher over every document component (catalog_component_is_document)
 * of the current version of every procedure: *out = {procedures,
 * documents {typed, total, share}, required_documents {typed, total,
 * share}, by_type {code: n}, untyped_count, untyped_examples [{procedure,
 * component, name, required}] (at most max_examples, spread evenly over
 * the catalog)}. */
mc_err vault_match_report(store *s, int max_examples, json_t **out, mc_diag *diag);

/* Demo data for `init --demo`: electronic results in the vaults of the
 * demo citizens (a driving licence and a health-insurance card for
 * 001090012345, a marriage certificate for 079190012346). The demo
 * dossiers finished later add their signed results (a birth certificate). */
mc_err vault_seed_demo(store *s, mc_diag *diag);

/* CLI: motcua vault match-report --data DIR [--examples N] [--json].
 * argv[0] is "vault". Returns the exit status (usage errors: 2). */
int vault_cli(int argc, char **argv);

/* Initial eForm values for applicant `person_id` from the registries, for
 * the blocks and fields `schema` (the eForm) has: applicant (name, date of
 * birth, personal number, sex, residence commune), the applicant as father
 * or mother and the spouse as the other parent, spouse. *out: new object.
 * Runs in the caller's snapshot or transaction; the portal's wizard,
 * GET /api/v1/vault/prefill and proactive offers use it. */
mc_err vault_prefill(store_conn *c, const char *person_id, json_t *schema, json_t **out);

/* ---- satisfaction of a dossier component ---- */

typedef enum vault_satisfied_by {
	VAULT_BY_NONE = 0, /* not satisfied: the applicant must upload it */
	VAULT_BY_UPLOAD,
	VAULT_BY_VAULT,
	VAULT_BY_REGISTRY,
	VAULT_BY_FORM,
} vault_satisfied_by;

const char *vault_satisfied_by_name(vault_satisfied_by s);

/* The pure rule, in order: an upload given by the applicant; a vault item
 * the applicant chose; the eForm for form types; a registry fact for types
 * a registry backs when the registry has that fact about the applicant;
 * the only valid vault item of the type when there is exactly one;
 * otherwise nothing. `type` is the dictionary entry (NULL: untyped
 * component, satisfiable only by an upload or a chosen item). */
vault_satisfied_by vault_satisfy_rule(json_t *type, bool upload, bool chosen_item,
                                      bool registry_fact_available, int valid_items);

/* Resolves, in the caller's snapshot or transaction, how the components
 * of a dossier are satisfied for applicant `holder` (personal number; NULL
 * or "": no vault, no registry facts) today. `procedure` is the catalog
 * JSON of the version; `given` (nullable) the components the applicant
 * gave: [{component, document} | {component, vault_item}]. With
 * `all_required`, every required document component of the procedure gets
 * a row (vault_satisfy_rule decides), otherwise only the given ones. A
 * given vault_item that is not the holder's (or a business the holder
 * represents), is revoked or out of validity, or has another type than the
 * component's, gets an error at "<base>[i].vault_item" in `errors`.
 * *out = array of {component, name, required, type, satisfied_by
 * (upload|vault|registry|form|missing), vault_item, registry_fact,
 * document, candidates (valid vault items of the type)}. */
mc_err vault_resolve_components(store_conn *c, const char *holder, json_t *procedure, json_t *given,
                                bool all_required, const char *base, json_t *errors, json_t **out);

/* ---- rates (DESIGN §1) ---- */

typedef struct vault_rate_counts {
	/* required components of dossiers submitted in the period */
	long components_required, by_vault, by_registry, by_upload, by_form, missing;
	/* dossiers finished (status 9 or 10) in the period, and those of them
	 * whose required components are all stored electronically (no
	 * component missing) and whose result is stored */
	long dossiers_finished, dossiers_digitized;
	/* vault items created in the period, and those of them used later by a
	 * dossier other than the one they came from */
	long items_created, items_reused;
} vault_rate_counts;

/* Share num/den in [0, 1], or -1 when den is 0 (no data). */
double vault_rate(long num, long den);

/* The rates as JSON {once_only: {rate, numerator, denominator}, ...}:
 * once-only = (by_vault + by_registry) / (by_vault + by_registry +
 * by_upload) (components filled by the eForm and still missing are
 * reported but not counted); digitization = dossiers_digitized /
 * dossiers_finished; reuse = items_reused / items_created. A rate with a
 * zero denominator is null. */
json_t *vault_rates_json(const vault_rate_counts *k);

/* The rates of the period [from_ts, to_ts) ("YYYY-MM-DDTHH:MM:SSZ"):
 * dossier_rate_counts and the vault items counted together, *out =
 * vault_rates_json of them (caller decrefs). */
mc_err vault_rates(store *s, const char *from_ts, const char *to_ts, json_t **out, mc_diag *diag);

extern const http_route vault_routes[];

#endif
