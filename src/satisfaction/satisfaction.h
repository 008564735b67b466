/* satisfaction.h - citizens' ratings of the service, per dossier: the
 * satisfaction part of the Decision 766/QĐ-TTg index and of the programme
 * figure "people and businesses satisfied". The applicant of a dossier that
 * has ended (refused, stopped, processed or result returned) rates it once:
 * a score 1..5 (5 = very satisfied; satisfied = score >= 4), three optional
 * yes/no criteria and an optional comment. Officers of the handling agency
 * and admins read the ratings of their dossiers and the aggregates.
 * Ownership, status and agency come from the dossier module's public
 * functions (dossier_get), never from its tables. Feedback (PAKN): the
 * applicant writes about a dossier, an officer of the handling agency
 * answers. Owns tables satisfaction_rating and satisfaction_feedback. */
#ifndef MC_SATISFACTION_H
#define MC_SATISFACTION_H

#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define SATISFACTION_SCORE_MIN 1
#define SATISFACTION_SCORE_MAX 5
#define SATISFACTION_SATISFIED_MIN 4    /* scores counted as satisfied */
#define SATISFACTION_COMMENT_MAX 2000   /* characters of a comment */
#define SATISFACTION_COMMENT_BYTES 8000 /* bytes of a comment (UTF-8) */
#define SATISFACTION_AGENCY_MAX 64      /* bytes of an agency code filter */
#define SATISFACTION_CRITERIA 3         /* on_time, courteous, easy_online */

/* Names of the optional criteria, in storage order. */
extern const char *const satisfaction_criteria[SATISFACTION_CRITERIA];

/* A parsed rating request. */
typedef struct satisfaction_input {
	int score;                           /* 1..5 */
	int criteria[SATISFACTION_CRITERIA]; /* 1 yes, 0 no, -1 not answered */
	const char *comment;                 /* borrowed from the body; NULL: none */
} satisfaction_input;

/* ---- pure rules (unit-tested) ---- */

/* True when a dossier with national status code `status` has ended and may
 * be rated: 3 refused, 8 stopped, 9 processed, 10 result returned. */
bool satisfaction_dossier_ended(int status);
/* True when `score` counts as satisfied (>= SATISFACTION_SATISFIED_MIN). */
bool satisfaction_is_satisfied(int score);
/* Share satisfied / rated in [0, 1]; 0 when nothing was rated. */
double satisfaction_share(int64_t satisfied, int64_t rated);
/* Reads a rating request {"score", "criteria": {"on_time", "courteous",
 * "easy_online"}, "comment"} into *in (strings borrowed from body). Wrong
 * member types (score not an integer, criteria not booleans or null,
 * comment not a string) give MC_ERR_INVALID; a score outside 1..5, unknown
 * members or criteria, a comment over SATISFACTION_COMMENT_MAX characters or
 * SATISFACTION_COMMENT_BYTES bytes or not valid UTF-8 give
 * MC_ERR_UNPROCESSABLE. Both with diag ext {"errors": [{path, message,
 * message_vi}]}. An empty or blank comment counts as none. */
mc_err satisfaction_parse(json_t *body, satisfaction_input *in, mc_diag *diag);

/* ---- services ---- */

/* Rates dossier `code` as citizen `who` with the request `body` (see
 * satisfaction_parse). FORBIDDEN for officers and admins; NOT_FOUND when
 * the dossier does not exist or is not the caller's (dossier_get's rule,
 * so its existence is not revealed); INVALID / UNPROCESSABLE for a bad
 * body; CONFLICT when the dossier has not ended (diag ext "status_code") or
 * was already rated (one rating per dossier, no revision). The rating and
 * its audit entry ("satisfaction.rate") are committed in one durable
 * write. *out = the rating (satisfaction_get JSON). */
mc_err satisfaction_rate(mc_app *app, const mc_principal *who, const char *code, json_t *body,
                         json_t **out, mc_diag *diag);

/* The rating of dossier `code`: {dossier_code, agency, procedure, score,
 * satisfied, criteria {on_time, courteous, easy_online: true|false|null},
 * comment (or null), rated_at}. Readers: the applicant, officers of the
 * agency handling the dossier, admins. NOT_FOUND for other citizens, an
 * unknown dossier or a dossier not rated yet; FORBIDDEN for officers of
 * another agency. */
mc_err satisfaction_get(mc_app *app, const mc_principal *who, const char *code, json_t **out,
                        mc_diag *diag);

/* Aggregate of the ratings given in [from_ts, to_ts) ("YYYY-MM-DDTHH:MM:SSZ")
 * for `agency` (NULL = all agencies): {rated, satisfied, satisfied_share,
 * by_score {"1".."5"}, criteria {name: {yes, no}}, agencies [{agency,
 * rated, satisfied, satisfied_share}] (by agency code)}. No access check:
 * the caller decides who may see which agency. */
mc_err satisfaction_summary(store *s, const char *agency, const char *from_ts, const char *to_ts,
                            json_t **out, mc_diag *diag);

/* One page of the ratings of `agency` (NULL = all), newest first by
 * (rated_at, dossier_code), before the cursor (before_at/before_code, NULL
 * = from the newest); satisfied: -1 any, 0 only scores 1-3, 1 only 4-5.
 * *items = up to `limit` (1..SATISFACTION_QUEUE_PAGE) ratings
 * (satisfaction_get JSON); *more tells whether older ones follow. No access
 * check: the caller decides who may see which agency. */
mc_err satisfaction_ratings_list(store *s, const char *agency, int satisfied, int limit,
                                 const char *before_at, const char *before_code, json_t **items,
                                 bool *more, mc_diag *diag);

/* The programme figure "people and businesses satisfied" for ratings given
 * in [from_ts, to_ts): *out = {satisfied, rated, share} (share 0 when none
 * rated). */
mc_err satisfaction_figure(store *s, const char *from_ts, const char *to_ts, json_t **out,
                           mc_diag *diag);

/* One agency and month of ratings, for the open-data statistics. Strings
 * are valid during the callback only. */
typedef struct satisfaction_month {
	const char *month;  /* YYYY-MM of the rating */
	const char *agency; /* agency handling the dossier when rated */
	int64_t rated, satisfied;
} satisfaction_month;
typedef void (*satisfaction_month_fn)(const satisfaction_month *m, void *ctx);
/* Calls fn for every (month, agency) with ratings, in the caller's
 * snapshot. */
mc_err satisfaction_monthly_each(store_conn *c, satisfaction_month_fn fn, void *ctx);

/* `init --demo`: the demo citizen ("citizen") rates its ended demo
 * dossiers that have their result returned, through satisfaction_rate
 * (already rated ones are skipped), and sends one feedback about a demo
 * dossier in processing (unless it has some). *rated = ratings made
 * (nullable). */
mc_err satisfaction_seed_demo(mc_app *app, int *rated, mc_diag *diag);

/* ---- feedback (PAKN, phản ánh kiến nghị) ---- */

#define SATISFACTION_TEXT_MAX 4000           /* characters of feedback or an answer */
#define SATISFACTION_TEXT_BYTES 16000        /* bytes of the same */
#define SATISFACTION_FEEDBACK_PER_DOSSIER 20 /* feedback one dossier may receive */
#define SATISFACTION_QUEUE_PAGE 100          /* largest page of the feedback queue */

/* Checks the text member `v` at JSON path `path` (for the errors list): a
 * string (else MC_ERR_INVALID), not blank, valid UTF-8 of at most
 * SATISFACTION_TEXT_MAX characters and SATISFACTION_TEXT_BYTES bytes (else
 * MC_ERR_UNPROCESSABLE); absent (NULL) is MC_ERR_UNPROCESSABLE. *out =
 * the string (borrowed). Pure. */
mc_err satisfaction_text_check(json_t *v, const char *path, const char **out, mc_diag *diag);

/* The applicant of dossier `code` sends feedback {"content": text} (any
 * status). FORBIDDEN for officers and admins, NOT_FOUND for other
 * citizens, INVALID / UNPROCESSABLE for a bad body (unknown members too),
 * CONFLICT when the dossier already has SATISFACTION_FEEDBACK_PER_DOSSIER.
 * The feedback and its audit entry ("satisfaction.feedback") in one write.
 * *out = {id, dossier_code, agency, content, created_at, status
 * ("open"|"answered"), answer, answered_by, answered_at}; the agency is the
 * one handling the dossier when it is sent, and answers it. */
mc_err satisfaction_feedback_send(mc_app *app, const mc_principal *who, const char *code,
                                  json_t *body, json_t **out, mc_diag *diag);

/* The feedback of dossier `code`, oldest first (array of the JSON above).
 * Readers as satisfaction_get (applicant, officers of the handling agency,
 * admins). */
mc_err satisfaction_feedback_list(mc_app *app, const mc_principal *who, const char *code,
                                  json_t **items, mc_diag *diag);

/* Answers feedback `id` with {"answer": text}: officers of the feedback's
 * agency and admins (others FORBIDDEN); NOT_FOUND for an unknown id;
 * CONFLICT when already answered (one answer). Audited
 * ("satisfaction.feedback_answer") in the same write. *out = the feedback. */
mc_err satisfaction_feedback_answer(mc_app *app, const mc_principal *who, const char *id,
                                    json_t *body, json_t **out, mc_diag *diag);

/* The feedback queue of `agency` (NULL = all), oldest first by (created_at,
 * id) after the cursor (after_at/after_id, NULL = start); open_only keeps
 * the unanswered. *items = up to `limit` (1..SATISFACTION_QUEUE_PAGE);
 * *more tells whether more follow. */
mc_err satisfaction_feedback_queue(store *s, const char *agency, bool open_only, int limit,
                                   const char *after_at, const char *after_id, json_t **items,
                                   bool *more, mc_diag *diag);

extern const http_route satisfaction_routes[];

#endif
