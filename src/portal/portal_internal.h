/* portal_internal.h - what the portal's files share: the page context
 * (language, session, CSRF token, parsed form), the page frame, replies and
 * the form parsers. Not for other modules. */
#ifndef MC_PORTAL_INTERNAL_H
#define MC_PORTAL_INTERNAL_H

#include "auth/principal.h"
#include "core/mem.h"
#include "http/http.h"
#include "portal/html.h"
#include <stdbool.h>
#include <stddef.h>

#define PT_FORM_MAX_FIELDS 400 /* fields of one posted form */
#define PT_FORM_MAX_FILES 40   /* files of one multipart form */
#define PT_FIELD_MAX 20000     /* bytes of one text field */
#define PT_CSRF_LEN 32         /* hex characters of a CSRF token */

/* One uploaded file of a multipart form (data points into the body). */
typedef struct pt_file {
	const char *field;    /* form field name */
	const char *filename; /* as sent by the browser, may be "" */
	const char *type;     /* Content-Type of the part, may be NULL */
	const char *data;
	size_t len;
} pt_file;

/* A parsed form body (application/x-www-form-urlencoded or
 * multipart/form-data). Strings live in the request arena. */
typedef struct pt_form {
	int n;
	const char *name[PT_FORM_MAX_FIELDS];
	const char *value[PT_FORM_MAX_FIELDS];
	int nfiles;
	pt_file files[PT_FORM_MAX_FILES];
} pt_form;

/* What every page handler works with. */
typedef struct pt_ctx {
	mc_req *req;
	mc_resp *resp;
	bool en;             /* English page */
	const char *lang;    /* "vi" or "en" */
	mc_principal who;    /* the session's user (anonymous without one) */
	const char *token;   /* the session token (cookie), NULL without one */
	char token_hash[65]; /* its hash, "" without one */
	char csrf[PT_CSRF_LEN + 1];
	bool new_pre_csrf; /* the pre-session CSRF cookie must be set */
	const char *set_lang;
	pt_form form;
} pt_ctx;

/* Starts a page: language (?lang= sets the cookie, else the cookie, else
 * Accept-Language), the session from the cookie, the CSRF token. */
void pt_begin(pt_ctx *c, mc_req *req, mc_resp *resp);

/* The Vietnamese or English text, by page language. */
#define PT_T(c, vi, en_) ((c)->en ? (en_) : (vi))

/* The page frame: doctype, head, header with navigation, language switch
 * and session box; then the caller writes the content of <main>. */
void pt_head(pt_ctx *c, mc_buf *b, const char *title);
/* Closes <main>, writes the footer and closes the document. */
void pt_foot(pt_ctx *c, mc_buf *b);
/* Replies the page (gzip when accepted) with the security headers, the
 * cookies the context needs and `status`; frees b. */
void pt_reply(pt_ctx *c, int status, mc_buf *b);
/* A whole page with a heading and one paragraph (errors, notices). */
void pt_message(pt_ctx *c, int status, const char *title, const char *text);
/* 303 See Other to `location` (a local path). */
void pt_redirect(pt_ctx *c, const char *location);
/* Redirects to the login page (coming back to the current page) when there
 * is no session, or answers 403 when the role is below `min`. True when
 * the caller may go on. */
bool pt_require(pt_ctx *c, mc_role min);

/* Writes the hidden CSRF input of a form. */
void pt_csrf_input(pt_ctx *c, mc_buf *b);
/* Parses the posted form and checks its CSRF token; on failure replies
 * (400 or 403) and returns false. */
bool pt_post(pt_ctx *c);
/* Value of form field `name` (first one) or NULL. */
const char *pt_field(pt_ctx *c, const char *name);
/* The first file of field `name` with a non-empty body, or NULL. */
const pt_file *pt_file_of(pt_ctx *c, const char *name);

/* Parsers (exposed for the unit tests). Both fill `f` with arena strings;
 * false when the body is malformed or over the caps. */
bool pt_parse_urlencoded(mc_arena *a, const char *body, size_t len, pt_form *f);
bool pt_parse_multipart(mc_arena *a, const char *content_type, const char *body, size_t len,
                        pt_form *f);
/* Value of cookie `name` in a Cookie header (arena copy) or NULL. */
const char *pt_cookie(mc_arena *a, const char *header, const char *name);
/* The CSRF token bound to a session token: 32 hex characters of a keyed
 * hash of the token, so it cannot be computed without the (HttpOnly)
 * session cookie. */
void pt_csrf_of(const char *session_token, char out[PT_CSRF_LEN + 1]);

/* Human date "dd/mm/yyyy" from "YYYY-MM-DD..." (arena), "" for NULL. */
const char *pt_date(pt_ctx *c, const char *iso);
/* Human time "dd/mm/yyyy hh:mm" (UTC+7) from "YYYY-MM-DDTHH:MM:SSZ". */
const char *pt_datetime(pt_ctx *c, const char *iso);
/* Localised text of a {"vi": ..., "en": ...} object or a plain string. */
const char *pt_i18n(pt_ctx *c, json_t *v);
/* Localised name of a lifecycle action ("receive" -> "Tiếp nhận"). */
const char *pt_action_name(pt_ctx *c, const char *action);
/* Writes a dossier status badge (class by status code). */
void pt_status_badge(pt_ctx *c, mc_buf *b, json_t *dossier);

/* Loads version `version` (0 = current) of a procedure through the
 * catalog (caller decrefs *out). */
mc_err pt_procedure(pt_ctx *c, const char *code, int version, json_t **out);
/* Label of a procedure name, level, channel, time limit in the page
 * language. */
const char *pt_channel_name(pt_ctx *c, const char *channel);
const char *pt_limit_text(pt_ctx *c, json_t *time_limit);
/* Title of an eForm property schema in the page language (falls back to
 * the member name). */
const char *pt_schema_title(pt_ctx *c, json_t *schema, const char *name);
/* Writes a submitted eForm value as nested definition lists, with the
 * titles of `schema` (may be NULL). */
void pt_form_values(pt_ctx *c, mc_buf *b, json_t *value, json_t *schema);

/* Page handlers (portal_pages.c, portal_dossier.c, portal_apply.c). */
void pt_h_home(mc_req *req, mc_resp *resp);
void pt_h_asset(mc_req *req, mc_resp *resp);
void pt_h_search(mc_req *req, mc_resp *resp);
void pt_h_procedure(mc_req *req, mc_resp *resp);
void pt_h_login(mc_req *req, mc_resp *resp);
void pt_h_login_post(mc_req *req, mc_resp *resp);
void pt_h_logout(mc_req *req, mc_resp *resp);
void pt_h_scoreboard(mc_req *req, mc_resp *resp);
void pt_h_dossiers(mc_req *req, mc_resp *resp);
void pt_h_dossier(mc_req *req, mc_resp *resp);
void pt_h_dossier_post(mc_req *req, mc_resp *resp);
void pt_h_apply(mc_req *req, mc_resp *resp);
void pt_h_apply_post(mc_req *req, mc_resp *resp);
void pt_h_file(mc_req *req, mc_resp *resp);
void pt_h_verify(mc_req *req, mc_resp *resp);
void pt_h_vault(mc_req *req, mc_resp *resp);
void pt_h_verify_id(mc_req *req, mc_resp *resp);
/* Proactive offers (portal_offers.c): the list and one offer with its
 * Confirm / Decline form. */
void pt_h_offers(mc_req *req, mc_resp *resp);
void pt_h_offer(mc_req *req, mc_resp *resp);
void pt_h_offer_post(mc_req *req, mc_resp *resp);
/* "My data" (portal_privacy.c): who used my data, my consents. */
void pt_h_privacy_log(mc_req *req, mc_resp *resp);
void pt_h_consents(mc_req *req, mc_resp *resp);
void pt_h_consents_post(mc_req *req, mc_resp *resp);
/* The programme figures of the scoreboard (portal_figures.c). */
void pt_programme_figures(pt_ctx *c, mc_buf *b);
/* The open-data catalog (portal_opendata.c): search and one dataset. */
void pt_h_opendata(mc_req *req, mc_resp *resp);
void pt_h_dataset(mc_req *req, mc_resp *resp);
/* The inbox (portal_inbox.c): messages, one message, its read mark, the
 * contact and channel preferences. */
void pt_h_inbox(mc_req *req, mc_resp *resp);
void pt_h_inbox_message(mc_req *req, mc_resp *resp);
void pt_h_inbox_read(mc_req *req, mc_resp *resp);
void pt_h_inbox_contact(mc_req *req, mc_resp *resp);
/* The signed-result box of a dossier page (id, status, QR code, link to
 * the check), when the dossier has a result `who` may read. */
void pt_result_box(pt_ctx *c, mc_buf *b, const char *dossier_code);
/* "Rate the service" (portal_rating.c): the rating box of the dossier page
 * for dossier `dossier` (dossier_get JSON; the rating only once it has
 * ended; then the feedback list and forms),
 * the rating page and its form post, and the scoreboard row of satisfied
 * people and businesses for ratings in [from_ts, to_ts). */
void pt_rating_box(pt_ctx *c, mc_buf *b, json_t *dossier);
void pt_h_rating(mc_req *req, mc_resp *resp);
void pt_h_rating_post(mc_req *req, mc_resp *resp);
/* Feedback (PAKN) forms of the same box: the applicant's feedback and the
 * agency's answer (portal_rating.c). */
void pt_h_feedback_post(mc_req *req, mc_resp *resp);
void pt_h_feedback_answer_post(mc_req *req, mc_resp *resp);
/* The officers' page /danh-gia: their agency's ratings and open feedback
 * (admins: all agencies). */
void pt_h_rating_office(mc_req *req, mc_resp *resp);
void pt_satisfaction_figure(pt_ctx *c, mc_buf *b, const char *from_ts, const char *to_ts,
                            const char *period);

/* The embedded files of web/static (generated by scripts/embed_web.cmake). */
typedef struct web_asset {
	const char *name;
	const unsigned char *data;
	size_t len;
} web_asset;
extern const web_asset web_assets[];

#endif
