/* dossier.h - the one-stop-shop dossier: submission, lifecycle actions with
 * national status codes, due dates in working days, the 766 on-time rule,
 * idempotent submission, history, officer queue. Owns tables dossier,
 * dossier_event, dossier_component, dossier_seq, idempotency. The pure
 * lifecycle rules are in dossier_rules.h. */
#ifndef MC_DOSSIER_H
#define MC_DOSSIER_H

#include "http/http.h"
#include "store/store.h"
#include "vault/vault.h"
#include <stdbool.h>
#include <stdint.h>

/* Caps on client-controlled values. */
#define DOSSIER_IDEMPOTENCY_KEY_MAX 200
#define DOSSIER_CODE_MAX 100
#define DOSSIER_COMPONENTS_MAX 100

/* Submits a dossier for citizen `who` (officers and admins: FORBIDDEN).
 * `body` is the request {"procedure", "agency", "channel", "form",
 * "components": [{"component", "document"}]}: wrong member types give
 * MC_ERR_INVALID, failed validation MC_ERR_UNPROCESSABLE with diag ext
 * {"errors": [{path, message, message_vi}]} listing every problem (unknown
 * procedure or agency, agency level not among the procedure's levels,
 * channel not offered, every failing form field as "$.form.<field>",
 * unknown components, documents that do not exist or are not the
 * caller's). `idem_key` (NULL = none, <= 200 chars): a repeated key with the
 * same body sets *replayed and returns the same dossier; with another body
 * MC_ERR_UNPROCESSABLE. The code, row, components, first history event,
 * idempotency key and audit entry are committed in one durable write.
 * *out receives the dossier JSON as seen by `who`. */
mc_err dossier_submit(mc_app *app, const mc_principal *who, json_t *body, const char *idem_key,
                      json_t **out, bool *replayed, mc_diag *diag);

/* dossier_submit for a dossier that starts from proactive offer `offer_id`
 * (<= 64 printable ASCII characters, INVALID otherwise): the same checks
 * and idempotency, and the dossier records its origin (column
 * origin_offer, shown as "origin": {"offer": id} in the dossier JSON) in
 * the submission's own write. A replayed key keeps the first origin. */
mc_err dossier_submit_from_offer(mc_app *app, const mc_principal *who, json_t *body,
                                 const char *idem_key, const char *offer_id, json_t **out,
                                 bool *replayed, mc_diag *diag);

/* Counts for the "essential services delivered proactively" figure:
 * dossiers submitted in [from_ts, to_ts) ("YYYY-MM-DDTHH:MM:SSZ") whose
 * procedure is one of `codes` (array of strings, borrowed; at most 500)
 * into *all, and those of them that started from an offer into
 * *from_offer. Implemented in dossier_origin.c. */
mc_err dossier_origin_counts(store *s, const char *from_ts, const char *to_ts, json_t *codes,
                             long *all, long *from_offer, mc_diag *diag);

/* Performs the action body {"action": name, ...} on dossier `code`.
 * NOT_FOUND when absent or, for a citizen, not theirs; FORBIDDEN for an
 * officer of an agency that never handled it; UNPROCESSABLE for an
 * unknown action or missing/invalid members; FORBIDDEN when the action
 * belongs to another actor (applicant actions: the owner; officer actions:
 * officers of the handling agency; admins: all); CONFLICT (diag ext
 * "allowed_actions") when the status does not allow it. Appends a history
 * event and an audit entry in the same write. *out = the updated dossier. */
mc_err dossier_act(mc_app *app, const mc_principal *who, const char *code, json_t *body,
                   json_t **out, mc_diag *diag);

/* Loads dossier `code` as JSON for `who` (owner, officer of the handling
 * agency or of an agency it was transferred from, admin); NOT_FOUND for
 * other citizens, FORBIDDEN for officers of other agencies. */
mc_err dossier_get(mc_app *app, const mc_principal *who, const char *code, json_t **out,
                   mc_diag *diag);

/* Page size of the history: default and maximum. */
#define DOSSIER_HISTORY_PAGE 100

/* One page of the history of dossier `code` in time order: the events with
 * seq > after_seq (0 = from the first), at most `limit` (1..100), as a JSON
 * array of {seq, at, actor, actor_role, action, from_status,
 * from_status_code, to_status, to_status_code, agency, note, details};
 * *more tells whether events follow. Same visibility as dossier_get. */
mc_err dossier_history(mc_app *app, const mc_principal *who, const char *code, int64_t after_seq,
                       int limit, json_t **items, bool *more, mc_diag *diag);

/* Filters of the dossier list (queue). */
typedef struct dossier_query {
	int status;             /* 1..10, 0 = any */
	const char *agency;     /* handling agency, NULL = any */
	const char *due_before; /* "YYYY-MM-DD": due date strictly before, NULL = any */
	int late;               /* -1 any, 0 not late, 1 late */
	int limit;              /* 1..100 */
	const char *after_due;  /* cursor: sort key of the last item, NULL = start */
	const char *after_code;
} dossier_query;

/* Lists dossiers visible to `who` (citizens: their own; officers: the queue
 * of their agency, FORBIDDEN when q->agency names another; admins: all),
 * sorted by due date (none last) then code. *items = array of summaries;
 * *next = cursor state {"d", "c"} when more items follow, else NULL. */
mc_err dossier_list(mc_app *app, const mc_principal *who, const dossier_query *q, json_t **items,
                    json_t **next, mc_diag *diag);

/* Number of dossiers per status code (counts[1..10]; counts[0] = 0), for
 * the metrics endpoint. */
mc_err dossier_count_by_status(store *s, long counts[11]);

/* Counts behind the once-only and digitization rates (vault_rates_json)
 * for the period [from_ts, to_ts) ("YYYY-MM-DDTHH:MM:SSZ"): the required
 * components of dossiers submitted in the period by how they were
 * satisfied, and the dossiers finished in the period (status 9 or 10) with
 * those whose required components are all stored electronically and whose
 * result is stored. Fills the dossier members of *k only. */
mc_err dossier_rate_counts(store *s, const char *from_ts, const char *to_ts, vault_rate_counts *k,
                           mc_diag *diag);

/* Digitized dossiers of one agency and month, for the digitization group
 * of the 766 index. Strings are valid during the callback only. */
typedef struct dossier_digitized {
	const char *month;  /* YYYY-MM of finished_at */
	const char *agency; /* agency that finished it (the handling agency) */
	long finished;      /* dossiers finished (status 9 or 10) in the month */
	long digitized;     /* of them: result stored and no required component
	                       missing (the rule of dossier_rate_counts) */
} dossier_digitized;
typedef void (*dossier_digitized_fn)(const dossier_digitized *d, void *ctx);
/* Calls fn once per (month of finishing, handling agency) with at least one
 * finished dossier, ordered by month then agency, in the caller's snapshot.
 * The per-month, per-agency split of the digitization counts of
 * dossier_rate_counts (same rule). Implemented in dossier_vault.c. */
mc_err dossier_digitized_each(store_conn *c, dossier_digitized_fn fn, void *ctx);

/* One dossier as published statistics see it: no applicant data. Strings
 * are valid during the callback only. */
typedef struct dossier_stat {
	const char *procedure_code;
	const char *receiving_agency; /* agency it was submitted to */
	const char *agency;           /* agency handling it now */
	const char *channel;          /* online | in_person | post */
	int status;                   /* national status code 1..10 */
	const char *submitted_at;     /* YYYY-MM-DDTHH:MM:SSZ */
	const char *received_at;      /* NULL until received */
	const char *finished_at;      /* NULL until finished */
	const char *timeliness;       /* on_time | late | NULL (not finished) */
} dossier_stat;
typedef void (*dossier_stat_fn)(const dossier_stat *d, void *ctx);
/* Calls fn for every dossier, ordered by code, in the caller's snapshot
 * (for the open-data statistics). */
mc_err dossier_stats_each(store_conn *c, dossier_stat_fn fn, void *ctx);

/* Creates the demo dossiers (different states) for `init --demo`: needs the
 * demo users "citizen" and "officer" (looked up through auth). */
mc_err dossier_seed_demo(mc_app *app, mc_diag *diag);

/* The same with explicit principals: submits as `citizen` and acts as
 * `officer` (agency UBND-00004) through dossier_submit / dossier_act. */
mc_err dossier_seed_demo_as(mc_app *app, const mc_principal *citizen, const mc_principal *officer,
                            mc_diag *diag);

/* The dossiers that include document `document_id` as a component, with
 * the agency handling each now: a new array of {code, agency}, in code
 * order (empty when none). Runs in the caller's transaction. */
mc_err dossier_document_dossiers(store_conn *c, const char *document_id, json_t **out);

/* Whether agency `agency` handles or handled a dossier of person
 * `person_id` (the applicant's personal number): the dossier is with the
 * agency now, was submitted to it, or passed through it (history). The
 * legal basis of an exchange read (src/exchange). *found tells; code gets
 * the newest such dossier's code ("" when none). Runs in the caller's
 * transaction or snapshot. */
mc_err dossier_agency_person_dossier(store_conn *c, const char *agency, const char *person_id,
                                     char code[DOSSIER_CODE_MAX + 1], bool *found);

extern const http_route dossier_routes[];

#endif
