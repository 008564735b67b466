/* notify.h - notifications: a consumer of the event outbox (cursor
 * "notify") that turns events into inbox messages for the person concerned
 * with the templates of data/notify-templates.json (embedded at build
 * time), the person's contact and channel preferences, and deliveries of
 * each message by e-mail (SMTP through libcurl) and SMS (an HTTP gateway)
 * with status, attempts and exponential backoff. Owns the tables
 * notify_message, notify_contact and notify_delivery (docs/NOTIFICATIONS.md).
 *
 * Message JSON: {id, event_type, event_seq, subject: {vi, en}, body: {vi,
 * en}, link, created_at, read, read_at}; with deliveries: [{channel,
 * status, attempts, next_attempt_at, last_error, sent_at}] when asked. */
#ifndef MC_NOTIFY_H
#define MC_NOTIFY_H

#include "app.h"
#include "auth/principal.h"
#include "http/http.h"
#include "store/store.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define NOTIFY_CURSOR "notify"
#define NOTIFY_BATCH 500         /* events per consumer write */
#define NOTIFY_EMAIL_MAX 254     /* bytes of an e-mail address */
#define NOTIFY_PHONE_MAX 16      /* bytes of a phone number (E.164) */
#define NOTIFY_MAX_ATTEMPTS 6    /* a delivery fails for good after these */
#define NOTIFY_BACKOFF_CAP 86400 /* no wait between attempts above a day */
#define NOTIFY_LEASE_SECONDS 120 /* a claimed delivery is retried after it */
#define NOTIFY_SUBJECT_MAX 300   /* bytes of a rendered subject */
#define NOTIFY_BODY_MAX 2000     /* bytes of a rendered body */

/* ---- templates and rules (pure, notify_tmpl.c) ---- */

/* The template document (data/notify-templates.json), parsed once;
 * borrowed. Aborts when the embedded file is malformed (a build error). */
json_t *notify_templates(void);

/* A rendered message of one event for one person. Strings are malloc'ed. */
typedef struct notify_rendered {
	char person_id[32];
	char *subject_vi, *subject_en, *body_vi, *body_en;
	char *link; /* NULL when the template has none or it is unsafe */
} notify_rendered;

void notify_rendered_free(notify_rendered *r);

/* Renders event (type, subject, payload) with `templates` (a document of
 * the shape of data/notify-templates.json). Returns false (r untouched)
 * when the event has no template, no variant for its payload, or no
 * recipient (a person id of 1..31 characters). */
bool notify_render(json_t *templates, const char *type, const char *subject, json_t *payload,
                   notify_rendered *r);

/* Replaces every {name} in `tmpl` with the payload member `name` in
 * language `lang` ("vi"/"en": {vi, en} objects give that member, YYYY-MM-DD
 * dates are written dd/mm/yyyy, integers in decimal, a missing member as
 * "—"); at most `max` bytes, cut at a UTF-8 boundary. malloc'ed. */
char *notify_fill(const char *tmpl, json_t *payload, const char *lang, size_t max);

/* Seconds to wait after failed attempt number `attempts` (1, 2, ...):
 * base * 2^(attempts-1), at most NOTIFY_BACKOFF_CAP. */
long notify_backoff(long base, int attempts);

/* Checks an e-mail address (local@domain.tld, printable ASCII, no spaces
 * or <>,;"\, at most NOTIFY_EMAIL_MAX bytes). */
bool notify_email_ok(const char *s);

/* Normalises a Vietnamese mobile number ("0912345678", "+84912345678",
 * spaces and dots allowed) to E.164 "+84912345678" in out; false when it
 * is not one. */
bool notify_phone_norm(const char *s, char out[NOTIFY_PHONE_MAX + 1]);

/* The e-mail message (RFC 5322, MIME, UTF-8 subject in RFC 2047 base64,
 * base64 text body) from `from` to `to`; malloc'ed. `msgid_seed` makes the
 * Message-ID unique. */
char *notify_mime(const char *from, const char *to, const char *subject, const char *body,
                  time_t date, const char *msgid_seed);

/* ---- configuration of the channels (process-wide, set by serve) ---- */

typedef struct notify_config {
	const char *smtp_url;  /* smtp://host:port (NULL: e-mail off) */
	const char *smtp_from; /* envelope and header sender */
	const char *sms_url;   /* http(s):// gateway (NULL: SMS off) */
	long retry_base;       /* seconds of the first backoff (default 60) */
	long poll_ms;          /* worker poll interval (default 2000) */
} notify_config;

/* Sets the channels (strings are copied). INVALID with a sentence when a
 * URL has the wrong scheme or a value is out of range. */
mc_err notify_configure(const notify_config *cfg, mc_diag *diag);

/* ---- services (each runs its own store_read/store_write) ---- */

/* Report of one run. */
typedef struct notify_run_report {
	long events;   /* events read from the outbox */
	long messages; /* inbox messages created */
	long sent;     /* deliveries sent */
	long retried;  /* deliveries that failed and wait for a retry */
	long failed;   /* deliveries that failed for good */
} notify_run_report;

/* Consumes every event after the cursor, one store_write per batch of
 * NOTIFY_BATCH (cursor read, messages and deliveries inserted, cursor
 * advanced), so two nodes or a crash never handle an event twice. */
mc_err notify_drain(store *s, notify_run_report *rep, mc_diag *diag);

/* Attempts every delivery that is due now (at most `max`), each claimed
 * under a lease in its own write, sent outside any transaction and its
 * outcome recorded. */
mc_err notify_deliver_due(store *s, int max, notify_run_report *rep, mc_diag *diag);

/* notify_drain then notify_deliver_due: what the worker and POST
 * /api/v1/notify/run do. */
mc_err notify_run(store *s, notify_run_report *rep, mc_diag *diag);

/* Messages of `person_id`, newest first, ids below `before` (0: from the
 * newest), at most `limit`; *unread gets the person's unread count. */
mc_err notify_inbox_list(store *s, const char *person_id, int64_t before, int limit, json_t **items,
                         bool *more, long *unread, mc_diag *diag);

/* One message of `person_id` with its deliveries; NOT_FOUND when it does
 * not exist or belongs to someone else. */
mc_err notify_inbox_get(store *s, const char *person_id, int64_t id, json_t **out, mc_diag *diag);

/* Marks message `id` of `person_id` read (idempotent) and returns it;
 * NOT_FOUND as notify_inbox_get. */
mc_err notify_inbox_read(store *s, const char *person_id, int64_t id, json_t **out, mc_diag *diag);

/* Unread messages of `person_id` (one indexed count). */
mc_err notify_unread_count(store *s, const char *person_id, long *n);

/* The person's contact: {email, phone, email_enabled, sms_enabled, lang,
 * updated_at} (empty defaults when never set). */
mc_err notify_contact_get(store *s, const char *person_id, json_t **out, mc_diag *diag);

/* Replaces the contact with `body` ({email, phone, email_enabled,
 * sms_enabled, lang}; members absent or null clear); UNPROCESSABLE with
 * errors[] when a member is wrong, a channel is enabled without its
 * address, or an unknown member is given. Audited as notify.contact. */
mc_err notify_contact_put(store *s, const mc_principal *who, json_t *body, json_t **out,
                          mc_diag *diag);

/* ---- background worker of serve (notify_worker.c) ---- */

/* Starts the thread that runs notify_run every poll interval, or at once
 * after notify_worker_wake. */
mc_err notify_worker_start(mc_app *app, mc_diag *diag);
/* Wakes the worker; registered with event_on_wake, so every write that
 * emitted events and calls event_wake reaches it. */
void notify_worker_wake(void);
/* Stops the worker and waits for it (SIGTERM path of serve). */
void notify_worker_stop(void);

/* GET /api/v1/inbox, GET /api/v1/inbox/{id}, POST /api/v1/inbox/{id}/read,
 * GET/PUT /api/v1/notify/contact, POST /api/v1/notify/run (admin). */
extern const http_route notify_routes[];

#endif
