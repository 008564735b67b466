/* dossier_rules.h - the dossier lifecycle as data: national status codes
 * (1..10), actions, the transition table (state x action -> next state,
 * actor kind, required fields, once-only), allowed actions per state and
 * actor, the due-date arithmetic (working days, supplement time excluded)
 * and the Decision 766 on-time rule. Pure functions: no store, no HTTP; the
 * calendar comes in through a small interface so tests can use a fake. */
#ifndef MC_DOSSIER_RULES_H
#define MC_DOSSIER_RULES_H

#include "catalog/catalog.h"
#include "core/date.h"
#include "core/err.h"
#include <jansson.h>
#include <stdbool.h>

/* National portal status codes. */
typedef enum dossier_status {
	DS_NONE = 0,
	DS_SUBMITTED = 1,  /* mới đăng ký */
	DS_RECEIVED = 2,   /* được tiếp nhận */
	DS_REFUSED = 3,    /* không được tiếp nhận */
	DS_PROCESSING = 4, /* đang xử lý */
	DS_SUPPLEMENT = 5, /* yêu cầu bổ sung */
	DS_PAYMENT = 6,    /* yêu cầu thực hiện nghĩa vụ tài chính */
	DS_WITHDRAWN = 7,  /* công dân yêu cầu rút */
	DS_STOPPED = 8,    /* dừng xử lý */
	DS_PROCESSED = 9,  /* đã xử lý xong */
	DS_RETURNED = 10,  /* đã trả kết quả */
} dossier_status;

#define DS_MAX 10

typedef enum dossier_action {
	DA_RECEIVE = 0,
	DA_REFUSE,
	DA_REQUEST_SUPPLEMENT,
	DA_SUPPLEMENT,
	DA_PROCESS,
	DA_TRANSFER,
	DA_REQUEST_PAYMENT,
	DA_PAY,
	DA_WITHDRAW,
	DA_STOP,
	DA_FINISH,
	DA_RETURN_RESULT,
	DA_APOLOGIZE,
	DA__COUNT
} dossier_action;

/* Actor kinds, as bits: an administrator acts as both. */
#define DOSSIER_ACTOR_APPLICANT 1u
#define DOSSIER_ACTOR_OFFICER 2u
#define DOSSIER_ACTOR_ANY (DOSSIER_ACTOR_APPLICANT | DOSSIER_ACTOR_OFFICER)

/* Special values of dossier_rule.next. */
#define DS_NEXT_SAME (-1)     /* status does not change (transfer, apologize) */
#define DS_NEXT_PREVIOUS (-2) /* back to the status before the supplement request */

/* One row of the transition table. */
typedef struct dossier_rule {
	dossier_action action;
	const char *name;        /* machine name used in the API ("receive") */
	unsigned from;           /* bit (1u << s) set for every allowed status s */
	int next;                /* next status, or DS_NEXT_SAME / DS_NEXT_PREVIOUS */
	unsigned actor;          /* DOSSIER_ACTOR_APPLICANT or DOSSIER_ACTOR_OFFICER */
	bool once;               /* at most once per dossier */
	bool needs_due_date;     /* only when the dossier already has a due date */
	const char *required[3]; /* required body members (NULL-ended) */
	const char *optional[3]; /* optional members besides "note" (NULL-ended) */
} dossier_rule;

/* What the rules need to know about a dossier. */
typedef struct dossier_facts {
	dossier_status status;
	dossier_status before_supplement; /* status when the supplement was requested */
	int supplement_requests;          /* requests made so far */
	bool apologized;                  /* an apology was already sent */
	bool has_due_date;
	mc_day due_date; /* valid when has_due_date */
} dossier_facts;

/* The table row of an action (never NULL for a valid action). */
const dossier_rule *dossier_rule_of(dossier_action a);
/* Parses an action name; false when unknown. */
bool dossier_action_parse(const char *name, dossier_action *out);
/* Machine name of an action ("request_supplement"). */
const char *dossier_action_name(dossier_action a);

/* Machine name of a status ("supplement_requested"), "unknown" if invalid. */
const char *dossier_status_name(dossier_status s);
/* Vietnamese and English display names of a status. */
const char *dossier_status_name_vi(dossier_status s);
const char *dossier_status_name_en(dossier_status s);
/* Parses a status given as machine name or as code "1".."10". */
bool dossier_status_parse(const char *s, dossier_status *out);
/* True for the end states 3, 7, 8, 10. */
bool dossier_status_final(dossier_status s);

/* May an actor of kinds `actor` (bits) do action `a` on a dossier described by
 * `f`? MC_OK; MC_ERR_FORBIDDEN when the action belongs to another kind of
 * actor; MC_ERR_CONFLICT when the current status does not allow it or a
 * once-only action was already done. Fills diag (en + vi) on failure. */
mc_err dossier_rule_check(const dossier_facts *f, dossier_action a, unsigned actor, mc_diag *diag);

/* Status after doing `a` (which must have passed dossier_rule_check). */
dossier_status dossier_next_status(const dossier_facts *f, dossier_action a);

/* Actions the actor may do now, in table order; returns the count and fills
 * out (DA__COUNT entries). */
int dossier_allowed(const dossier_facts *f, unsigned actor, dossier_action out[DA__COUNT]);
/* The same as a new JSON array of action names. */
json_t *dossier_allowed_json(const dossier_facts *f, unsigned actor);

/* True when `key` is a member an action body may carry: "action", "note",
 * or one of the action's required or optional members. */
bool dossier_action_member(dossier_action a, const char *key);

/* Checks the members of an action body (the request object, "action" member
 * included or not): no member the action does not define (each one is an
 * error at "$.<name>"), required members present and of the right type,
 * required text not blank (white space only counts as empty), string caps,
 * items of a supplement request, the apology date (after the current due
 * date, at most CALENDAR_MAX_SPAN days after it and not after the last day
 * of the calendar). MC_ERR_UNPROCESSABLE with diag ext {"errors": [{path,
 * message, message_vi}]} listing every problem. */
mc_err dossier_action_validate(const dossier_facts *f, dossier_action a, json_t *body,
                               mc_diag *diag);

/* The members of an action body that go into its history event: a new
 * object with the members dossier_action_member allows, "action" left out.
 * The server adds its own facts (due_date, from_agency...) afterwards. */
json_t *dossier_action_details(dossier_action a, json_t *body);

/* Working-day calendar seen by the due-date functions. */
typedef struct dossier_calendar {
	/* the day n working days after `from` (n = 0: from or the next working day) */
	mc_err (*add_working_days)(void *ctx, mc_day from, int n, mc_day *out);
	/* working days in [from, to) */
	mc_err (*working_days_between)(void *ctx, mc_day from, mc_day to, int *out);
	void *ctx;
} dossier_calendar;

/* Working days a time limit stands for: working days rounded up; hours
 * rounded up to whole working days of 8 hours (1..8 h = 1 day, 9..16 h = 2);
 * -1 for units that are not counted in working days (calendar days, none). */
int dossier_limit_working_days(catalog_unit unit, double amount);

/* Due date of a dossier received on `received` with time limit (unit,
 * amount): working days and hours via the calendar; calendar days added as
 * such, moved to the next working day when the last day is not one.
 * *has_due = false when the procedure has no time limit (LIMIT_NONE or a
 * negative amount). */
mc_err dossier_due_on_receive(const dossier_calendar *cal, mc_day received, catalog_unit unit,
                              double amount, bool *has_due, mc_day *due);

/* Due date after a supplement: the working days in [requested, supplemented)
 * are added to `due` (time in status 5 does not count). */
mc_err dossier_due_after_supplement(const dossier_calendar *cal, mc_day due, mc_day requested,
                                    mc_day supplemented, mc_day *out);

/* Decision 766: on time when finished on or before the due date (no due date:
 * always in time) and at most one supplement request was made. */
bool dossier_on_time(mc_day finished, bool has_due, mc_day due, int supplement_requests);

/* Lateness of a dossier that is not finished, seen on `today`: late when
 * today is after the due date. In status 5 the clock is stopped: late only
 * when the due date had already passed on `supplement_since` (the day of the
 * request). Final states and dossiers without a due date are not late. */
bool dossier_late_open(dossier_status s, mc_day today, bool has_due, mc_day due,
                       mc_day supplement_since);

#endif
