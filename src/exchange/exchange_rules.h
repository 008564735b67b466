/* exchange_rules.h - the pure access rules of the exchange module (no I/O,
 * unit-tested): consent status, which consent covers a read, the decision
 * between legal basis and consent, and the checks of a consent request. */
#ifndef MC_EXCHANGE_RULES_H
#define MC_EXCHANGE_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A stored consent as the rules see it (strings borrowed). */
typedef struct exch_consent {
	const char *id;
	const char *agency;
	const char *category;
	const char *expires_on; /* YYYY-MM-DD, last valid day */
	bool revoked;
} exch_consent;

/* "revoked", "expired" (today after expires_on) or "active". */
const char *exch_consent_status(const exch_consent *k, const char *today);

/* True when `k` lets `agency` read `category` on day `today`: active, same
 * agency, same category. */
bool exch_consent_covers(const exch_consent *k, const char *agency, const char *category,
                         const char *today);

/* The decision of an exchange read: a legal basis first (dossier_code not
 * NULL/empty: "dossier:<code>"), else the first of the n consents that
 * covers the read ("consent:<id>"), else deny. Writes the basis into
 * basis (cap bytes, "" on deny) and returns whether the read is allowed. */
bool exch_decide(const char *dossier_code, const exch_consent *ks, size_t n, const char *agency,
                 const char *category, const char *today, char *basis, size_t cap);

/* Checks a consent request {agency, category, purpose, expires_on} on day
 * `today` (YYYY-MM-DD), except whether the agency exists: appends
 * {path, message, message_vi} to `errors` for each problem (missing or
 * non-string members, unknown category, blank or over-long or non-UTF-8
 * purpose, malformed expiry, expiry before today or more than
 * EXCHANGE_CONSENT_YEARS years after today). Returns true when none. */
bool exch_consent_check(json_t *body, const char *today, json_t *errors);

/* The last day a consent given on `today` may last (today plus
 * EXCHANGE_CONSENT_YEARS years; 29 February becomes 28 February). */
void exch_max_expiry(const char *today, char out[11]);

#endif
