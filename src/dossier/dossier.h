/* dossier.h - the one-stop-shop dossier: submission, lifecycle actions with
 * national status codes, due dates in working days, the 766 on-time rule,
 * idempotent submission, history, officer queue. Owns tables dossier,
 * dossier_event, dossier_component, dossier_seq, idempotency. */
#ifndef MC_DOSSIER_H
#define MC_DOSSIER_H

#include "http/http.h"
#include "store/store.h"

/* Creates the demo dossiers (different states) for `init --demo`. */
mc_err dossier_seed_demo(mc_app *app, mc_diag *diag);

/* Counts dossiers per national status code: counts[1..10] (for /metrics).
 * counts[0] is unused. */
mc_err dossier_count_by_status(store *s, long counts[11]);

extern const http_route dossier_routes[];

#endif
