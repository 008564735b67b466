/* proactive.h - proactive services (DESIGN capability 8): life events
 * recorded in the registries (event outbox: person.born, person.died,
 * person.married, person.address_changed, business.founded) become offers
 * to the persons concerned, by the rules of data/life-events.json: a
 * procedure, a reason (vi, en), a receiving agency and an eForm pre-filled
 * from the registries, which the person confirms in one step (a dossier is
 * submitted through dossier_submit_from_offer) or declines. Owns table
 * proactive_offer; reads the outbox with consumer cursor "proactive".
 *
 * Offer JSON: {id, status (open | accepted | declined | superseded (the
 * same procedure for the same event was accepted by another recipient, e.g.
 * the other parent) | expired), rule,
 * event {seq, type, subject}, recipient, subject, procedure {code, name},
 * agency, reason {vi, en}, form, created_at, expires_on, decided_at,
 * dossier (code or null)}; the detail adds "components" (how each required
 * document is satisfied: vault, registry, eForm or missing) and "missing"
 * (eForm fields the registries could not fill: [{path, message,
 * message_vi}]). */
#ifndef MC_PROACTIVE_H
#define MC_PROACTIVE_H

#include "app.h"
#include "auth/principal.h"
#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define PROACTIVE_CURSOR "proactive" /* event_consumer name */
#define PROACTIVE_BATCH 100          /* events handled per write */
#define PROACTIVE_LIST_MAX 100       /* offers listed per person */

/* What a drain did. */
typedef struct proactive_report {
	long batches, events, offers;
	long skipped;     /* (event, recipient, rule) pairs not offered: ineligible,
	                   * procedure not online, no agency, unknown person */
	int64_t position; /* the cursor after the drain */
} proactive_report;

/* Handles every event after the cursor, PROACTIVE_BATCH per store_write:
 * each write reads the cursor, creates the offers of the batch (one per
 * (event, recipient, procedure), each with its "offer.made" event and an
 * audit entry) and advances the cursor, so two nodes or a crash never
 * handle an event twice. Stops when no event is left or after
 * `max_batches` (<= 0: no limit). */
mc_err proactive_run(store *s, long max_batches, proactive_report *rep, mc_diag *diag);

/* The background consumer of `serve`: drains every few seconds until
 * proactive_worker_stop (which waits for the batch in progress). */
mc_err proactive_worker_start(mc_app *app, mc_diag *diag);
void proactive_worker_stop(void);

/* The offers of citizen `who` (FORBIDDEN for other roles or without a
 * personal number), open ones first (newest first), then the others
 * (newest first), at most PROACTIVE_LIST_MAX: *items = new array. */
mc_err proactive_offer_list(store *s, const mc_principal *who, json_t **items, mc_diag *diag);

/* One offer of `who` with its components and missing fields. NOT_FOUND
 * when absent or another person's. */
mc_err proactive_offer_get(store *s, const mc_principal *who, const char *id, json_t **out,
                           mc_diag *diag);

/* Accepts offer `id` of `who`: submits the pre-filled eForm completed
 * with `form` (nullable object: the fields the registries could not fill;
 * members the offer's form already has are kept, never replaced),
 * online to the offer's agency through dossier_submit_from_offer with the
 * Idempotency-Key "offer-<id>" (a double click gives one dossier), then
 * records the dossier code on the offer (audited "offer.accept") and marks
 * the open offers of the same event and procedure to others superseded.
 * NOT_FOUND (absent, another person's), CONFLICT (diag ext "offer_status",
 * "dossier") when the offer is not open or has expired, the errors of
 * dossier_submit otherwise. *dossier = the dossier JSON. */
mc_err proactive_offer_accept(mc_app *app, const mc_principal *who, const char *id, json_t *form,
                              json_t **dossier, mc_diag *diag);

/* Declines offer `id` of `who` (audited "offer.decline"). NOT_FOUND,
 * CONFLICT as for accept. *out = the offer JSON. */
mc_err proactive_offer_decline(store *s, const mc_principal *who, const char *id, json_t **out,
                               mc_diag *diag);

/* The programme figure "50 % of essential services delivered proactively"
 * for [from_ts, to_ts) ("YYYY-MM-DDTHH:MM:SSZ"): {from_offer, essential,
 * rate (from_offer / essential, null without dossiers), services (number
 * of essential services), codes (their catalog codes), offers {made,
 * accepted, declined} (offers made in the period), from, to, target}. */
mc_err proactive_figure(store *s, const char *from_ts, const char *to_ts, json_t **out,
                        mc_diag *diag);

/* Demo for `init --demo`: records the birth of a second child of the demo
 * citizens (001090012345 and 079190012346) in the population registry
 * through registry_record_put, then drains, so that both have an open
 * offer. Idempotent. */
mc_err proactive_seed_demo(store *s, mc_diag *diag);

/* CLI: motcua proactive run --data DIR [--db URL]. argv[0] is
 * "proactive". Returns the exit status. */
int proactive_cli(int argc, char **argv);

/* GET /api/v1/offers, GET /api/v1/offers/{id}, POST .../accept,
 * POST .../decline, POST /api/v1/proactive/run (admin), GET
 * /api/v1/proactive/rules, GET /api/v1/proactive/figure. */
extern const http_route proactive_routes[];

#endif
