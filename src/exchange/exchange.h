/* exchange.h - exchange and consent (capability 6 of DESIGN.md): access to
 * a person's data is deny-by-default; an agency reads one data category of
 * a person for a purpose only with a legal basis (it handles or handled a
 * dossier of that person) or the person's active consent; every read of a
 * person's data by someone else is logged (who, which agency, which data,
 * why, on which basis; exchange answers with their digest and the agency's
 * Ed25519 signature), and the person sees that log. Owns tables consent
 * and data_access. See docs/EXCHANGE.md.
 *
 * Consent JSON: {id, person, agency, agency_name {vi, en}, category,
 * category_name {vi, en}, purpose, expires_on, granted_at, granted_by,
 * revoked_at, status (active | expired | revoked)}.
 * Access JSON: {seq, at, actor, agency, agency_name {vi, en} (nulls when
 * none), category, category_name {vi, en}, purpose, basis, channel
 * (exchange | vault | registry), outcome (allowed | denied), digest,
 * key_id, signature}. */
#ifndef MC_EXCHANGE_H
#define MC_EXCHANGE_H

#include "auth/principal.h"
#include "http/http.h"
#include "store/store.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define EXCHANGE_PURPOSE_MAX 500 /* bytes of a purpose */
#define EXCHANGE_BASIS_MAX 160   /* bytes of a basis ("dossier:<code>"...) */
#define EXCHANGE_CATEGORY_MAX 64 /* bytes of a category */
#define EXCHANGE_CONSENT_YEARS 5 /* a consent lasts at most this long */
#define EXCHANGE_ACTIVE_MAX 100  /* active consents of one person */
#define EXCHANGE_ID_LEN 32       /* hex digits of a consent id */
#define EXCHANGE_FORMAT "motcua.exchange/1"

/* One data category of the fixed list. */
typedef struct exchange_category {
	const char *code, *name_vi, *name_en;
} exchange_category;

/* The fixed list (identity, residence, family, civil_status, business,
 * vault_documents), ended by an entry with code NULL. */
extern const exchange_category exchange_categories[];

/* The category `code` or NULL when unknown. */
const exchange_category *exchange_category_find(const char *code);

/* Records that `actor` (username; of agency `agency`, NULL for none) read
 * data `category` (a category code or "registry:<name>") of person
 * `subject` (personal number) for `purpose` (nullable) on `basis`
 * ("consent:<id>", "dossier:<code>", "law:<ref>", "role:<role>"...), in the
 * caller's write transaction (call it inside the store_write of the read,
 * beside the audit entry). Channel "vault" or "registry" as the caller
 * says; outcome "allowed". Reads by the person themself must not be
 * recorded (the caller skips them). INVALID when subject is not a personal
 * number or a string is over its cap. */
mc_err exchange_record_access(store_conn *c, const char *subject, const char *actor,
                              const char *agency, const char *channel, const char *category,
                              const char *purpose, const char *basis, mc_diag *diag);

/* A staff member's look-up of a person's data (a registry record, a
 * vault), to be logged. */
typedef struct exchange_lookup {
	const char *subject;        /* personal number of the person read */
	const char *actor;          /* username of the reader */
	const char *agency;         /* the reader's agency; NULL or "" for none */
	const char *role;           /* "officer" or "admin": the basis without a better one */
	const char *channel;        /* "registry" or "vault" */
	const char *category;       /* what was read: "registry:persons", "vault_documents" */
	const char *basis_category; /* the consent category that can be its basis */
	const char *audit_action;   /* audit entry written with it ("registry.read"); NULL: none */
	const char *audit_object;   /* its object ("registry/persons/<id>") */
} exchange_lookup;

/* Logs look-up `l` that happened at `at` (NULL: now) in the caller's
 * write: its audit entry (when audit_action is set; detail {subject, role,
 * read_at}) and the person's access-log entry, whose basis is a dossier or
 * consent of an officer's agency (exchange_basis with basis_category), else
 * "role:<role>"; *seq (may be NULL) gets the entry's number. INVALID as
 * exchange_record_access. */
mc_err exchange_lookup_log(store_conn *c, const exchange_lookup *l, const char *at, int64_t *seq,
                           mc_diag *diag);

/* Write-behind logging of look-ups on hot read paths (exchange_later.c):
 * exchange_lookup_later copies `l` into a queue that a thread of `serve`
 * writes every EXCHANGE_LATER_MS milliseconds (sooner when half full, and
 * at exit) in one transaction. A batch writes one access-log entry per
 * look-up and, instead of one audit entry each, one audit entry per reader
 * and action: object "data_access/<first>-<last>", detail {role, reads,
 * first_seq, last_seq, sha256 (of the lines "seq|at|person|category\n" of
 * the reader's entries, in order)}, which chains them into the audit log.
 * False when no writer runs, the queue holds
 * EXCHANGE_LATER_MAX entries or a member is over its cap: the caller then
 * logs synchronously (exchange_lookup_log). A crash loses at most the
 * queue. exchange_lookup_flush writes the queue of this process now (before
 * an access log is shown). */
#define EXCHANGE_LATER_MS 200
#define EXCHANGE_LATER_MAX 20000
bool exchange_lookup_later(const exchange_lookup *l);
mc_err exchange_lookup_flush(store *s, mc_diag *diag);
/* Starts / stops (writing what is queued) the writer thread of serve. */
mc_err exchange_later_start(mc_app *app, mc_diag *diag);
void exchange_later_stop(mc_app *app);

/* The basis on which agency `agency` may read `category` of `person` now:
 * "dossier:<code>" when the agency handles or handled a dossier of the
 * person (dossier_agency_person_dossier), else "consent:<id>" of an active
 * consent for that agency and category, else "" (deny). In the caller's
 * transaction or snapshot. basis has EXCHANGE_BASIS_MAX + 1 bytes. */
mc_err exchange_basis(store_conn *c, const char *agency, const char *person, const char *category,
                      char basis[EXCHANGE_BASIS_MAX + 1], mc_diag *diag);

/* Grants a consent of citizen `who` (a citizen with a personal number:
 * else FORBIDDEN) from body {agency, category, purpose, expires_on}:
 * INVALID for wrong member types, UNPROCESSABLE with "errors" for an
 * unknown agency or category, a blank or over-long purpose, an expiry
 * before today or more than EXCHANGE_CONSENT_YEARS ahead; CONFLICT when the
 * person has EXCHANGE_ACTIVE_MAX active consents. Audited
 * ("consent.grant") in the same durable write. *out = consent JSON. */
mc_err exchange_consent_grant(store *s, const mc_principal *who, json_t *body, json_t **out,
                              mc_diag *diag);

/* Revokes consent `id` of `who`: NOT_FOUND when absent or another
 * person's; CONFLICT when already revoked. Audited ("consent.revoke").
 * *out = consent JSON. */
mc_err exchange_consent_revoke(store *s, const mc_principal *who, const char *id, json_t **out,
                               mc_diag *diag);

/* The consents of `person`, newest first: at most `limit` (1..100) after
 * the cursor (granted_at and id of the last item, NULL = start); *more
 * tells whether items follow. */
mc_err exchange_consent_list(store_conn *c, const char *person, int limit,
                             const char *after_granted, const char *after_id, json_t **items,
                             bool *more, mc_diag *diag);

/* The access log of `person`, newest first: at most `limit` (1..100)
 * entries with seq < before (0 = from the newest); *more as above. */
mc_err exchange_access_list(store_conn *c, const char *person, int64_t before, int limit,
                            json_t **items, bool *more, mc_diag *diag);

/* An exchange read by officer `who` (ACCESS_OFFICER; an officer without an
 * agency or an administrator: FORBIDDEN) of `category` of `person` for
 * `purpose`: INVALID for a malformed personal number, unknown category or
 * blank/over-long purpose. Without a basis (exchange_basis) the denial is
 * logged and audited and *denied set (MC_OK: the caller answers 403). With
 * one, the answer document {format, access_id, person, agency, category,
 * purpose, basis, at, data} is signed with the agency's key (result
 * module; digest only when no master key is loaded), logged with its
 * digest and signature, audited ("exchange.read"); *out = {document,
 * digest, signature {alg, key_id, value} or null}. NOT_FOUND when an
 * allowed read finds no such person. */
mc_err exchange_read(store *s, const mc_principal *who, const char *person, const char *category,
                     const char *purpose, json_t **out, bool *denied, mc_diag *diag);

/* Demo data for init --demo: the demo citizen 001090012345 consents that
 * UBND-00008 reads their residence; officer reads (UBND-00004 with its
 * dossier basis, UBND-00008 with the consent, a denied one) go through
 * exchange_read and a vault read is recorded, so "who used my data" shows
 * something. Needs the demo users and dossiers. */
mc_err exchange_seed_demo(mc_app *app, mc_diag *diag);

/* GET/POST /api/v1/consents, POST /api/v1/consents/{id}/revoke,
 * GET /api/v1/me/data-access, GET /api/v1/exchange/categories,
 * GET /api/v1/exchange/persons/{id}. */
extern const http_route exchange_routes[];

#endif
