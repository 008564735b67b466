/* dossier_origin.h - where a dossier started (column origin_offer of table
 * dossier, migration 0021): the proactive offer it was submitted from.
 * Internal to src/dossier (dossier_origin.c); other modules use
 * dossier_submit_from_offer and dossier_origin_counts of dossier.h. */
#ifndef MC_DOSSIER_ORIGIN_H
#define MC_DOSSIER_ORIGIN_H

#include "store/store.h"
#include <jansson.h>
#include <stdbool.h>

/* True for an offer id a dossier may record: 1..64 characters [0-9A-Za-z_-]. */
bool dossier_origin_ok(const char *offer_id);

/* Records that dossier `code` started from offer `offer_id`, in the
 * caller's write transaction (the submission's). */
mc_err dossier_origin_set(store_conn *c, const char *code, const char *offer_id);

/* Adds "origin": {"offer": id} (or "origin": null) to the dossier JSON `j`. */
mc_err dossier_origin_json(store_conn *c, const char *code, json_t *j);

#endif
