/* proactive_rules.h - the store-free rules of proactive services: the
 * life-event rules and the essential services shipped as data
 * (data/life-events.json, data/essential-services.json, embedded at build
 * time), who is eligible (age of the subject, a missing death record, a
 * spouse living elsewhere), the receiving agency, the expiry of an offer,
 * the placeholders of reasons and pre-filled fields, and the effective
 * status of an offer. Unit-tested in tests/proactive_test.c. */
#ifndef MC_PROACTIVE_RULES_H
#define MC_PROACTIVE_RULES_H

#include <jansson.h>
#include <stdbool.h>

/* The rules of data/life-events.json (borrowed array of rule objects
 * {id, event, procedure, recipients, conditions, valid_days, reason {vi,
 * en}, fill}). Aborts at the first call when the file is malformed. */
json_t *proactive_rules(void);

/* The services of data/essential-services.json (borrowed array of {id,
 * name {vi, en}, codes}). */
json_t *proactive_essential_services(void);

/* Every procedure code of the essential services, in file order (borrowed
 * array of strings, no duplicates). */
json_t *proactive_essential_codes(void);

/* What the eligibility conditions of a rule look at, for one recipient.
 * Dates are "YYYY-MM-DD"; NULL when unknown. */
typedef struct pr_facts {
	const char *event_date;          /* day of the event (birth, death, change) */
	const char *subject_dob;         /* date of birth of the subject */
	bool subject_has_death_record;   /* death_records has a record of the subject */
	const char *recipient_residence; /* commune code of the recipient */
	const char *spouse_residence;    /* commune code of the recipient's spouse */
} pr_facts;

/* True when every condition of `rule` holds for `f`; otherwise false and
 * *why (nullable) names the first failing condition. Unknown conditions
 * fail (a rule is never applied more widely than written). */
bool proactive_rule_applies(json_t *rule, const pr_facts *f, const char **why);

/* Whole days from `from` to `to` ("YYYY-MM-DD"), or -1 when a date is bad
 * or `to` is before `from`. */
long proactive_days_between(const char *from, const char *to);

/* Completed years of age on day `on` of a person born on `dob`; -1 when a
 * date is bad or `on` is before `dob`. */
int proactive_age_years(const char *dob, const char *on);

/* The last day ("YYYY-MM-DD" into out[11]) an offer made on `made_on` may
 * be accepted: `valid_days` later, and never past the day before the
 * subject's `max_age_years`th birthday when both are given (max_age_years
 * <= 0 or dob NULL: no cap). False on a bad date. */
bool proactive_expiry(const char *made_on, int valid_days, const char *dob, int max_age_years,
                      char out[11]);

/* Status of an offer as its owner sees it on day `today`: the stored
 * status, except "expired" for an open offer whose last day `expires_on`
 * has passed. */
const char *proactive_effective_status(const char *stored, const char *expires_on,
                                       const char *today);

/* The receiving agency of a procedure offered at levels `levels` (catalog
 * array of "ministry" | "province" | "commune") for a person living in
 * commune `commune` of province `province`: the commune's People's
 * Committee ("UBND-<commune>") when the procedure is done at commune level,
 * else the province's ("UBND-<province>"), as the portal wizard lists them
 * by level; NULL (no offer) for ministry-only procedures or unknown
 * residence. Writes into out[24]. */
const char *proactive_agency_for(json_t *levels, const char *commune, const char *province,
                                 char out[24]);

/* `tmpl` with every "{name}" replaced by the string member `name` of
 * `vars` (unknown or non-string members become ""). New string. */
char *proactive_expand(const char *tmpl, json_t *vars);

/* Sets in `form` every entry of `fill` ({"a.b": template}) whose path
 * exists in the eForm `schema` (properties at each level), with the
 * expanded template; empty expansions are skipped. Existing values from
 * the registries are kept unless the rule names them. */
void proactive_fill(json_t *form, json_t *schema, json_t *fill, json_t *vars);

/* Adds the members of object `extra` that `form` lacks, recursively
 * (objects merged member by member); members `form` already has (the
 * values from the registries) are kept. At most `max_depth` levels; deeper
 * members are ignored. */
void proactive_merge(json_t *form, json_t *extra, int max_depth);

/* Relationship of a recipient to the subject, as eForms write it:
 * "parents" -> "Cha/mẹ", "children" -> "Con", "spouse" -> "Vợ/chồng",
 * anything else -> "". */
const char *proactive_relationship_vi(const char *recipient_kind);

#endif
