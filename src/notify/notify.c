/* notify.c - the notification services: the outbox consumer that makes
 * inbox messages and deliveries, the inbox reads and the read mark, the
 * contact and channel preferences, and the delivery loop (claim under a
 * lease, send, record the outcome with backoff). All SQL of the tables
 * notify_message, notify_contact and notify_delivery lives here. */
#include "notify/notify.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/log.h"
#include "core/mem.h"
#include "event/event.h"
#include "notify/notify_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- configuration ---- */

static pthread_mutex_t cfg_mu = PTHREAD_MUTEX_INITIALIZER;
static char *cfg_smtp_url, *cfg_smtp_from, *cfg_sms_url;
static long cfg_retry_base = 60, cfg_poll_ms = 2000;

static bool has_scheme(const char *url, const char *const *schemes)
{
	for (; *schemes; schemes++)
		if (!strncmp(url, *schemes, strlen(*schemes)) && url[strlen(*schemes)])
			return true;
	return false;
}

mc_err notify_configure(const notify_config *cfg, mc_diag *diag)
{
	static const char *const smtp[] = {"smtp://", "smtps://", NULL};
	static const char *const http[] = {"http://", "https://", NULL};
	if (cfg->smtp_url && (strlen(cfg->smtp_url) > 500 || !has_scheme(cfg->smtp_url, smtp)))
		return mc_fail(diag, MC_ERR_INVALID,
		               "--smtp-url must be smtp://HOST:PORT or smtps://...");
	if (cfg->sms_url && (strlen(cfg->sms_url) > 500 || !has_scheme(cfg->sms_url, http)))
		return mc_fail(diag, MC_ERR_INVALID,
		               "--sms-url must be an http:// or https:// address");
	if (cfg->smtp_from && !notify_email_ok(cfg->smtp_from))
		return mc_fail(diag, MC_ERR_INVALID, "--smtp-from must be an e-mail address");
	if (cfg->retry_base && (cfg->retry_base < 1 || cfg->retry_base > 86400))
		return mc_fail(diag, MC_ERR_INVALID, "--notify-retry must be 1..86400 seconds");
	if (cfg->poll_ms && (cfg->poll_ms < 50 || cfg->poll_ms > 3600000))
		return mc_fail(diag, MC_ERR_INVALID,
		               "--notify-poll must be 50..3600000 milliseconds");
	pthread_mutex_lock(&cfg_mu);
	free(cfg_smtp_url);
	free(cfg_smtp_from);
	free(cfg_sms_url);
	cfg_smtp_url = cfg->smtp_url ? mc_xstrdup(cfg->smtp_url) : NULL;
	cfg_smtp_from = mc_xstrdup(cfg->smtp_from ? cfg->smtp_from : "no-reply@motcua.local");
	cfg_sms_url = cfg->sms_url ? mc_xstrdup(cfg->sms_url) : NULL;
	if (cfg->retry_base)
		cfg_retry_base = cfg->retry_base;
	if (cfg->poll_ms)
		cfg_poll_ms = cfg->poll_ms;
	pthread_mutex_unlock(&cfg_mu);
	return MC_OK;
}

void notify_config_copy(notify_channels *out)
{
	pthread_mutex_lock(&cfg_mu);
	out->smtp_url = cfg_smtp_url ? mc_xstrdup(cfg_smtp_url) : NULL;
	out->smtp_from = mc_xstrdup(cfg_smtp_from ? cfg_smtp_from : "no-reply@motcua.local");
	out->sms_url = cfg_sms_url ? mc_xstrdup(cfg_sms_url) : NULL;
	out->retry_base = cfg_retry_base;
	out->poll_ms = cfg_poll_ms;
	pthread_mutex_unlock(&cfg_mu);
}

void notify_channels_free(notify_channels *ch)
{
	free(ch->smtp_url);
	free(ch->smtp_from);
	free(ch->sms_url);
	memset(ch, 0, sizeof *ch);
}

/* ---- the consumer ---- */

typedef struct drain_ctx {
	bool email_on, sms_on; /* channels configured in this process */
	long events, messages;
	bool more;
} drain_ctx;

/* Inserts the deliveries of message `mid` for the person's enabled
 * channels that this process can send. */
static mc_err add_deliveries(store_conn *c, drain_ctx *x, int64_t mid, const char *person,
                             const char *now)
{
	if (!x->email_on && !x->sms_on)
		return MC_OK;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT email, phone, email_enabled, sms_enabled, lang FROM "
	                         "notify_contact WHERE person_id = ?1",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, person);
	bool row;
	char email[NOTIFY_EMAIL_MAX + 1] = "", phone[NOTIFY_PHONE_MAX + 1] = "", lang[4] = "vi";
	if (!(e = store_step(st, &row)) && row) {
		if (store_col_int(st, 2) && store_col_text(st, 0))
			snprintf(email, sizeof email, "%s", store_col_text(st, 0));
		if (store_col_int(st, 3) && store_col_text(st, 1))
			snprintf(phone, sizeof phone, "%s", store_col_text(st, 1));
		if (store_col_text(st, 4))
			snprintf(lang, sizeof lang, "%s", store_col_text(st, 4));
	}
	store_finish(st);
	if (e)
		return e;
	for (int k = 0; k < 2 && !e; k++) {
		const char *channel = k ? "sms" : "email", *addr = k ? phone : email;
		if (!addr[0] || !(k ? x->sms_on : x->email_on))
			continue;
		if ((e = store_prepare(
		         c,
		         "INSERT INTO notify_delivery (message_id, channel, address, "
		         "lang, status, attempts, next_attempt_at, created_at) VALUES "
		         "(?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5) ON CONFLICT DO NOTHING",
		         &st)))
			return e;
		store_bind_int(st, 1, mid);
		store_bind_text(st, 2, channel);
		store_bind_text(st, 3, addr);
		store_bind_text(st, 4, lang);
		store_bind_text(st, 5, now);
		e = store_step(st, NULL);
		store_finish(st);
	}
	return e;
}

/* Inserts the message of one rendered event; *id 0 when it existed. */
static mc_err insert_message(store_conn *c, int64_t seq, const char *type, const notify_rendered *r,
                             const char *now, int64_t *id)
{
	*id = 0;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "INSERT INTO notify_message (person_id, event_seq, event_type, "
	                         "subject_vi, subject_en, body_vi, body_en, link, created_at) "
	                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
	                         "ON CONFLICT (event_seq, person_id) DO NOTHING RETURNING id",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, r->person_id);
	store_bind_int(st, 2, seq);
	store_bind_text(st, 3, type);
	store_bind_text(st, 4, r->subject_vi);
	store_bind_text(st, 5, r->subject_en);
	store_bind_text(st, 6, r->body_vi);
	store_bind_text(st, 7, r->body_en);
	store_bind_text(st, 8, r->link);
	store_bind_text(st, 9, now);
	bool row;
	e = store_step(st, &row);
	if (!e && row)
		*id = store_col_int(st, 0);
	while (!e && row)
		e = store_step(st, &row);
	store_finish(st);
	return e;
}

/* One batch: cursor read, messages inserted, cursor advanced, in the one
 * write transaction of the caller. */
static mc_err drain_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	drain_ctx *x = vctx;
	x->events = x->messages = 0;
	x->more = false;
	int64_t pos;
	json_t *items = NULL;
	mc_err e = event_cursor_get(c, NOTIFY_CURSOR, &pos);
	if (!e)
		e = event_list_after(c, pos, NULL, NULL, NOTIFY_BATCH, &items, &x->more, diag);
	if (e)
		return e;
	char now[32];
	ts_format(ts_now(), now);
	json_t *tmpls = notify_templates();
	int64_t last = pos;
	size_t i;
	json_t *ev;
	json_array_foreach(items, i, ev)
	{
		int64_t seq = json_integer_value(json_object_get(ev, "seq"));
		const char *type = json_string_value(json_object_get(ev, "type"));
		last = seq;
		x->events++;
		notify_rendered r;
		if (!notify_render(tmpls, type, json_string_value(json_object_get(ev, "subject")),
		                   json_object_get(ev, "payload"), &r))
			continue;
		int64_t mid = 0;
		e = insert_message(c, seq, type, &r, now, &mid);
		if (!e && mid > 0) {
			x->messages++;
			e = add_deliveries(c, x, mid, r.person_id, now);
		}
		notify_rendered_free(&r);
		if (e)
			break;
	}
	json_decref(items);
	if (!e && last > pos)
		e = event_cursor_advance(c, NOTIFY_CURSOR, last);
	return e;
}

mc_err notify_drain(store *s, notify_run_report *rep, mc_diag *diag)
{
	notify_channels ch;
	notify_config_copy(&ch);
	drain_ctx x = {.email_on = ch.smtp_url != NULL, .sms_on = ch.sms_url != NULL};
	notify_channels_free(&ch);
	mc_err e;
	do {
		if ((e = store_write(s, drain_fn, &x, diag)))
			break;
		if (rep) {
			rep->events += x.events;
			rep->messages += x.messages;
		}
	} while (x.more);
	return e;
}

/* ---- deliveries ---- */

typedef struct claim_ctx {
	long lease;
	bool got;
	int64_t id;
	int attempts;
	char channel[8];
	char address[NOTIFY_EMAIL_MAX + 1];
	char *subject, *body;
} claim_ctx;

static void claim_reset(claim_ctx *x)
{
	free(x->subject);
	free(x->body);
	x->subject = x->body = NULL;
	x->got = false;
}

/* Claims the delivery due first: attempts + 1 and the next attempt moved
 * to the end of a lease, so that no other worker takes it meanwhile. */
static mc_err claim_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	claim_ctx *x = vctx;
	claim_reset(x);
	time_t t = ts_now();
	char now[32], until[32];
	ts_format(t, now);
	ts_format(t + x->lease, until);
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT d.id, d.channel, d.address, d.attempts, "
	                  "CASE WHEN d.lang = 'en' THEN m.subject_en ELSE m.subject_vi END, "
	                  "CASE WHEN d.lang = 'en' THEN m.body_en ELSE m.body_vi END, m.link "
	                  "FROM notify_delivery d JOIN notify_message m ON m.id = d.message_id "
	                  "WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 "
	                  "ORDER BY d.next_attempt_at, d.id LIMIT 1",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, now);
	bool row;
	if (!(e = store_step(st, &row)) && row) {
		x->got = true;
		x->id = store_col_int(st, 0);
		snprintf(x->channel, sizeof x->channel, "%s", store_col_text(st, 1));
		snprintf(x->address, sizeof x->address, "%s", store_col_text(st, 2));
		x->attempts = (int)store_col_int(st, 3) + 1;
		x->subject = mc_xstrdup(store_col_text(st, 4));
		const char *link = store_col_text(st, 6);
		x->body = link ? mc_xasprintf("%s\n\n%s", store_col_text(st, 5), link)
		               : mc_xstrdup(store_col_text(st, 5));
	}
	store_finish(st);
	if (e || !x->got)
		return e;
	if ((e = store_prepare(c,
	                       "UPDATE notify_delivery SET attempts = ?2, next_attempt_at = ?3 "
	                       "WHERE id = ?1",
	                       &st)))
		return e;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, x->attempts);
	store_bind_text(st, 3, until);
	e = store_step(st, NULL);
	store_finish(st);
	return e;
}

typedef struct outcome_ctx {
	int64_t id;
	int attempts;
	long retry_base;
	const char *error; /* NULL: sent */
	int state;         /* out: 0 sent, 1 retry, 2 failed */
} outcome_ctx;

static mc_err outcome_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	outcome_ctx *x = vctx;
	time_t t = ts_now();
	char now[32], next[32];
	ts_format(t, now);
	store_stmt *st;
	mc_err e;
	if (!x->error) {
		x->state = 0;
		e = store_prepare(c,
		                  "UPDATE notify_delivery SET status = 'sent', sent_at = ?2, "
		                  "next_attempt_at = NULL, last_error = NULL WHERE id = ?1",
		                  &st);
		if (e)
			return e;
		store_bind_int(st, 1, x->id);
		store_bind_text(st, 2, now);
	} else {
		bool final = x->attempts >= NOTIFY_MAX_ATTEMPTS;
		x->state = final ? 2 : 1;
		ts_format(t + notify_backoff(x->retry_base, x->attempts), next);
		e = store_prepare(c,
		                  "UPDATE notify_delivery SET status = ?2, next_attempt_at = ?3, "
		                  "last_error = ?4 WHERE id = ?1",
		                  &st);
		if (e)
			return e;
		store_bind_int(st, 1, x->id);
		store_bind_text(st, 2, final ? "failed" : "pending");
		store_bind_text(st, 3, final ? NULL : next);
		store_bind_text(st, 4, x->error);
	}
	e = store_step(st, NULL);
	store_finish(st);
	return e;
}

mc_err notify_deliver_due(store *s, int max, notify_run_report *rep, mc_diag *diag)
{
	notify_channels ch;
	notify_config_copy(&ch);
	claim_ctx x = {.lease = NOTIFY_LEASE_SECONDS};
	mc_err e = MC_OK;
	for (int n = 0; n < max; n++) {
		if ((e = store_write(s, claim_fn, &x, diag)) || !x.got)
			break;
		char err[200] = "";
		bool is_sms = !strcmp(x.channel, "sms");
		if (is_sms ? !ch.sms_url : !ch.smtp_url)
			snprintf(err, sizeof err, "channel %s is not configured on this node",
			         x.channel);
		else if (is_sms)
			notify_send_sms(ch.sms_url, x.address, x.subject, x.body, err, sizeof err);
		else
			notify_send_email(ch.smtp_url, ch.smtp_from, x.address, x.subject, x.body,
			                  x.id, err, sizeof err);
		outcome_ctx o = {.id = x.id,
		                 .attempts = x.attempts,
		                 .retry_base = ch.retry_base,
		                 .error = err[0] ? err : NULL};
		if ((e = store_write(s, outcome_fn, &o, diag)))
			break;
		if (err[0])
			log_info("notify: delivery %lld (%s) attempt %d failed: %s",
			         (long long)x.id, x.channel, x.attempts, err);
		if (rep) {
			rep->sent += o.state == 0;
			rep->retried += o.state == 1;
			rep->failed += o.state == 2;
		}
	}
	claim_reset(&x);
	notify_channels_free(&ch);
	return e;
}

typedef struct peek_ctx {
	bool events, due;
} peek_ctx;

/* Whether events follow the cursor and deliveries are due, in a read, so
 * that an idle worker takes no write lock. */
static mc_err peek_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	peek_ctx *x = vctx;
	x->events = x->due = false;
	int64_t pos;
	json_t *items = NULL;
	bool more;
	mc_err e = event_cursor_get(c, NOTIFY_CURSOR, &pos);
	if (!e)
		e = event_list_after(c, pos, NULL, NULL, 1, &items, &more, diag);
	x->events = json_array_size(items) > 0;
	json_decref(items);
	if (e)
		return e;
	char now[32];
	ts_format(ts_now(), now);
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "SELECT id FROM notify_delivery WHERE status = 'pending' AND "
	                       "next_attempt_at <= ?1 LIMIT 1",
	                       &st)))
		return e;
	store_bind_text(st, 1, now);
	bool row;
	if (!(e = store_step(st, &row)))
		x->due = row;
	store_finish(st);
	return e;
}

mc_err notify_run(store *s, notify_run_report *rep, mc_diag *diag)
{
	peek_ctx p;
	mc_err e = store_read(s, peek_fn, &p, diag);
	if (e)
		return e;
	notify_run_report mine = {0};
	if (p.events && (e = notify_drain(s, &mine, diag)))
		return e;
	if (p.due || mine.messages > 0)
		e = notify_deliver_due(s, 100, &mine, diag);
	if (rep) {
		rep->events += mine.events;
		rep->messages += mine.messages;
		rep->sent += mine.sent;
		rep->retried += mine.retried;
		rep->failed += mine.failed;
	}
	return e;
}

/* ---- inbox ---- */

#define MSG_COLUMNS                                                                                \
	"id, event_type, event_seq, subject_vi, subject_en, body_vi, body_en, link, created_at, "  \
	"read_at"

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *message_json(store_stmt *st)
{
	const char *read_at = store_col_text(st, 9);
	return json_pack("{s:I, s:s, s:I, s:{s:s, s:s}, s:{s:s, s:s}, s:o, s:s, s:b, s:o}", "id",
	                 (json_int_t)store_col_int(st, 0), "event_type", store_col_text(st, 1),
	                 "event_seq", (json_int_t)store_col_int(st, 2), "subject", "vi",
	                 store_col_text(st, 3), "en", store_col_text(st, 4), "body", "vi",
	                 store_col_text(st, 5), "en", store_col_text(st, 6), "link",
	                 jstr(store_col_text(st, 7)), "created_at", store_col_text(st, 8), "read",
	                 read_at != NULL, "read_at", jstr(read_at));
}

static mc_err count_unread(store_conn *c, const char *person, long *n)
{
	*n = 0;
	store_stmt *st;
	mc_err e = store_prepare(
	    c, "SELECT COUNT(*) FROM notify_message WHERE person_id = ?1 AND read_at IS NULL", &st);
	if (e)
		return e;
	store_bind_text(st, 1, person);
	bool row;
	if (!(e = store_step(st, &row)) && row)
		*n = (long)store_col_int(st, 0);
	store_finish(st);
	return e;
}

typedef struct list_ctx {
	const char *person;
	int64_t before;
	int limit;
	json_t *items;
	bool more;
	long unread;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = json_array();
	x->more = false;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT " MSG_COLUMNS " FROM notify_message WHERE person_id = ?1 "
	                         "AND id < ?2 ORDER BY id DESC LIMIT ?3",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->person);
	store_bind_int(st, 2, x->before > 0 ? x->before : INT64_MAX);
	store_bind_int(st, 3, x->limit + 1);
	e = store_collect(st, x->limit, message_json, x->items, &x->more);
	store_finish(st);
	if (!e)
		e = count_unread(c, x->person, &x->unread);
	return e;
}

mc_err notify_inbox_list(store *s, const char *person_id, int64_t before, int limit, json_t **items,
                         bool *more, long *unread, mc_diag *diag)
{
	*items = NULL;
	list_ctx x = {.person = person_id, .before = before, .limit = limit};
	mc_err e = store_read(s, list_fn, &x, diag);
	if (e) {
		json_decref(x.items);
		return e;
	}
	*items = x.items;
	*more = x.more;
	if (unread)
		*unread = x.unread;
	return MC_OK;
}

typedef struct one_ctx {
	const char *person;
	int64_t id;
	bool mark;
	json_t *out;
} one_ctx;

static mc_err not_found(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy thư.", "No such message.");
}

static mc_err deliveries_json(store_conn *c, int64_t id, json_t **out)
{
	*out = json_array();
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT channel, status, attempts, next_attempt_at, last_error, "
	                  "sent_at FROM notify_delivery WHERE message_id = ?1 ORDER BY channel",
	                  &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	bool row;
	while (!(e = store_step(st, &row)) && row)
		json_array_append_new(
		    *out,
		    json_pack("{s:s, s:s, s:I, s:o, s:o, s:o}", "channel", store_col_text(st, 0),
		              "status", store_col_text(st, 1), "attempts",
		              (json_int_t)store_col_int(st, 2), "next_attempt_at",
		              jstr(store_col_text(st, 3)), "last_error",
		              jstr(store_col_text(st, 4)), "sent_at", jstr(store_col_text(st, 5))));
	store_finish(st);
	return e;
}

static mc_err one_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	one_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	store_stmt *st;
	mc_err e;
	if (x->mark) {
		char now[32];
		ts_format(ts_now(), now);
		if ((e = store_prepare(c,
		                       "UPDATE notify_message SET read_at = ?3 WHERE id = ?1 AND "
		                       "person_id = ?2 AND read_at IS NULL",
		                       &st)))
			return e;
		store_bind_int(st, 1, x->id);
		store_bind_text(st, 2, x->person);
		store_bind_text(st, 3, now);
		e = store_step(st, NULL);
		store_finish(st);
		if (e)
			return e;
	}
	if ((e = store_prepare(
	         c, "SELECT " MSG_COLUMNS " FROM notify_message WHERE id = ?1 AND person_id = ?2",
	         &st)))
		return e;
	store_bind_int(st, 1, x->id);
	store_bind_text(st, 2, x->person);
	bool row;
	if (!(e = store_step(st, &row)) && row)
		x->out = message_json(st);
	store_finish(st);
	if (e)
		return e;
	if (!x->out)
		return not_found(diag);
	json_t *d = NULL;
	e = deliveries_json(c, x->id, &d);
	json_object_set_new(x->out, "deliveries", d);
	return e;
}

static mc_err one(store *s, const char *person, int64_t id, bool mark, json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!person || !*person || id <= 0)
		return not_found(diag);
	one_ctx x = {.person = person, .id = id, .mark = mark};
	mc_err e = mark ? store_write(s, one_fn, &x, diag) : store_read(s, one_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		return e;
	}
	*out = x.out;
	return MC_OK;
}

mc_err notify_inbox_get(store *s, const char *person_id, int64_t id, json_t **out, mc_diag *diag)
{
	return one(s, person_id, id, false, out, diag);
}

mc_err notify_inbox_read(store *s, const char *person_id, int64_t id, json_t **out, mc_diag *diag)
{
	return one(s, person_id, id, true, out, diag);
}

typedef struct count_ctx {
	const char *person;
	long n;
} count_ctx;

static mc_err unread_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	count_ctx *x = vctx;
	return count_unread(c, x->person, &x->n);
}

mc_err notify_unread_count(store *s, const char *person_id, long *n)
{
	count_ctx x = {.person = person_id};
	*n = 0;
	mc_err e = store_read(s, unread_fn, &x, NULL);
	if (!e)
		*n = x.n;
	return e;
}

/* ---- contact ---- */

typedef struct contact_ctx {
	const char *person;
	const char *actor;
	const char *email, *phone, *lang;
	bool email_on, sms_on;
	json_t *out;
} contact_ctx;

static mc_err contact_load(store_conn *c, const char *person, json_t **out)
{
	*out = NULL;
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT email, phone, email_enabled, sms_enabled, lang, updated_at "
	                  "FROM notify_contact WHERE person_id = ?1",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, person);
	bool row;
	if (!(e = store_step(st, &row)) && row)
		*out = json_pack("{s:o, s:o, s:b, s:b, s:s, s:s}", "email",
		                 jstr(store_col_text(st, 0)), "phone", jstr(store_col_text(st, 1)),
		                 "email_enabled", store_col_int(st, 2) != 0, "sms_enabled",
		                 store_col_int(st, 3) != 0, "lang", store_col_text(st, 4),
		                 "updated_at", store_col_text(st, 5));
	store_finish(st);
	if (!e && !*out)
		*out = json_pack("{s:n, s:n, s:b, s:b, s:s, s:n}", "email", "phone",
		                 "email_enabled", 0, "sms_enabled", 0, "lang", "vi", "updated_at");
	return e;
}

static mc_err contact_get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	contact_ctx *x = vctx;
	json_decref(x->out);
	return contact_load(c, x->person, &x->out);
}

mc_err notify_contact_get(store *s, const char *person_id, json_t **out, mc_diag *diag)
{
	contact_ctx x = {.person = person_id};
	mc_err e = store_read(s, contact_get_fn, &x, diag);
	*out = e ? NULL : x.out;
	if (e)
		json_decref(x.out);
	return e;
}

static mc_err contact_put_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	contact_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	char now[32];
	ts_format(ts_now(), now);
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "INSERT INTO notify_contact (person_id, email, phone, email_enabled, sms_enabled, "
	    "lang, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (person_id) DO "
	    "UPDATE SET email = excluded.email, phone = excluded.phone, email_enabled = "
	    "excluded.email_enabled, sms_enabled = excluded.sms_enabled, lang = excluded.lang, "
	    "updated_at = excluded.updated_at",
	    &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->person);
	store_bind_text(st, 2, x->email);
	store_bind_text(st, 3, x->phone);
	store_bind_int(st, 4, x->email_on);
	store_bind_int(st, 5, x->sms_on);
	store_bind_text(st, 6, x->lang);
	store_bind_text(st, 7, now);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		return e;
	char object[64];
	snprintf(object, sizeof object, "notify/contact/%s", x->person);
	/* the addresses are personal data: the audit says what changed, not to what */
	json_t *detail = json_pack("{s:b, s:b, s:b, s:b, s:s}", "email", x->email != NULL, "phone",
	                           x->phone != NULL, "email_enabled", x->email_on, "sms_enabled",
	                           x->sms_on, "lang", x->lang);
	e = audit_append(c, x->actor, "notify.contact", object, detail);
	json_decref(detail);
	if (!e)
		e = contact_load(c, x->person, &x->out);
	return e;
}

mc_err notify_contact_put(store *s, const mc_principal *who, json_t *body, json_t **out,
                          mc_diag *diag)
{
	*out = NULL;
	if (!who->person_id[0])
		return mc_fail2(diag, MC_ERR_FORBIDDEN, "Chỉ người có số định danh mới có hộp thư.",
		                "Only a person with a personal number has an inbox.");
	json_t *errors = json_array();
	contact_ctx x = {.person = who->person_id, .actor = who->username, .lang = "vi"};
	char phone[NOTIFY_PHONE_MAX + 1];
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		if (!strcmp(key, "email")) {
			if (json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
				continue;
			if (!json_is_string(v) || !notify_email_ok(json_string_value(v)))
				mc_errors_add(errors, "$.email",
				              "not an e-mail address (at most 254 bytes)",
				              "không phải địa chỉ thư điện tử (tối đa 254 byte)");
			else
				x.email = json_string_value(v);
		} else if (!strcmp(key, "phone")) {
			if (json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
				continue;
			if (!json_is_string(v) || !notify_phone_norm(json_string_value(v), phone))
				mc_errors_add(
				    errors, "$.phone",
				    "not a Vietnamese mobile number (0912345678 or +84912345678)",
				    "không phải số di động Việt Nam (0912345678 hoặc "
				    "+84912345678)");
			else
				x.phone = phone;
		} else if (!strcmp(key, "email_enabled") || !strcmp(key, "sms_enabled")) {
			if (!json_is_boolean(v) && !json_is_null(v))
				mc_errors_add(errors,
				              key[0] == 'e' ? "$.email_enabled" : "$.sms_enabled",
				              "must be true or false", "phải là true hoặc false");
			else if (key[0] == 'e')
				x.email_on = json_is_true(v);
			else
				x.sms_on = json_is_true(v);
		} else if (!strcmp(key, "lang")) {
			const char *l = json_string_value(v);
			if (!l || (strcmp(l, "vi") && strcmp(l, "en")))
				mc_errors_add(errors, "$.lang", "must be \"vi\" or \"en\"",
				              "phải là \"vi\" hoặc \"en\"");
			else
				x.lang = l;
		} else {
			mc_errors_add(errors, "$", "unknown member",
			              "thành phần không được hỗ trợ");
		}
	}
	if (x.email_on && !x.email)
		mc_errors_add(errors, "$.email_enabled", "e-mail enabled without an address",
		              "bật thư điện tử nhưng chưa có địa chỉ");
	if (x.sms_on && !x.phone)
		mc_errors_add(errors, "$.sms_enabled", "SMS enabled without a phone number",
		              "bật tin nhắn nhưng chưa có số điện thoại");
	mc_err e;
	if (json_array_size(errors)) {
		mc_fail2(diag, MC_ERR_UNPROCESSABLE,
		         "Thông tin liên hệ không hợp lệ; xem danh sách lỗi.",
		         "The contact is invalid; see the list of errors.");
		mc_diag_ext(diag, "errors", errors);
		return MC_ERR_UNPROCESSABLE;
	}
	json_decref(errors);
	e = store_write(s, contact_put_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		return e;
	}
	*out = x.out;
	return MC_OK;
}
