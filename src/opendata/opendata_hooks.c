/* opendata_hooks.c - webhooks for dataset changes. An admin registers a
 * receiver URL (optionally for one agency's datasets) and gets a secret
 * once. Every change of the change feed is queued as one delivery per
 * matching webhook; a background thread POSTs it with libcurl as JSON,
 * signed with HMAC-SHA256 of the body under the secret
 * (X-Motcua-Signature: sha256=<hex>), and retries failures with
 * exponential backoff (1 s, 2 s, 4 s ... at most 1 h; failed after 8
 * attempts). Delivery status is kept per delivery. */
#include "opendata/opendata.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/log.h"
#include "core/mem.h"
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define URL_MAX 500
#define ATTEMPTS_MAX 8
#define BATCH 20

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- registration ---- */

typedef struct add_ctx {
	const char *url, *agency, *actor, *secret;
	json_t *out;
} add_ctx;

static mc_err add_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	add_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	char now[32];
	ts_format(ts_now(), now);
	/* start after the newest change: a new receiver gets what changes next */
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT coalesce(max(seq), 0) FROM od_change", &st);
	if (e)
		return e;
	bool row;
	e = store_step(st, &row);
	int64_t last = !e && row ? store_col_int(st, 0) : 0;
	store_finish(st);
	if (e)
		return e;
	e = store_prepare(c,
	                  "INSERT INTO od_webhook (url, secret, agency, created_by, created_at, "
	                  "last_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->url);
	store_bind_text(st, 2, x->secret);
	store_bind_text(st, 3, x->agency);
	store_bind_text(st, 4, x->actor);
	store_bind_text(st, 5, now);
	store_bind_int(st, 6, last);
	e = store_step(st, &row);
	int64_t id = !e && row ? store_col_int(st, 0) : 0;
	store_finish(st);
	if (e)
		return e;
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	json_t *detail = json_pack("{s:s,s:s?}", "url", x->url, "agency", x->agency);
	e = audit_append(c, x->actor, "opendata.webhook.create", ids, detail);
	json_decref(detail);
	if (!e)
		x->out = json_pack("{s:I,s:s,s:s?,s:s,s:s}", "id", (json_int_t)id, "url", x->url,
		                   "agency", x->agency, "secret", x->secret, "created", now);
	return e;
}

mc_err opendata_webhook_add(mc_app *app, const mc_principal *who, json_t *body, json_t **out,
                            mc_diag *diag)
{
	*out = NULL;
	const char *url = str_of(body, "url");
	json_t *ag = json_object_get(body, "agency");
	json_t *errors = json_array();
	if (!url || strlen(url) > URL_MAX ||
	    (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
	    strpbrk(url, " \r\n\t"))
		mc_errors_add(errors, "$.url",
		              "an http(s) URL of at most 500 characters is required",
		              "cần một địa chỉ http(s) tối đa 500 ký tự");
	if (ag && !json_is_null(ag) &&
	    (!json_is_string(ag) || !*json_string_value(ag) || strlen(json_string_value(ag)) > 64))
		mc_errors_add(errors, "$.agency", "agency is an agency code or null",
		              "agency là mã cơ quan hoặc null");
	if (json_array_size(errors)) {
		mc_diag_ext(diag, "errors", errors);
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Webhook không hợp lệ.",
		                "invalid webhook");
	}
	json_decref(errors);
	unsigned char key[32];
	char secret[65];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(secret, sizeof secret, key, sizeof key);
	add_ctx x = {
	    .url = url, .agency = json_string_value(ag), .actor = who->username, .secret = secret};
	mc_err e = store_write(app->db, add_fn, &x, diag);
	if (e)
		json_decref(x.out);
	else
		*out = x.out;
	return e;
}

typedef struct list_ctx {
	json_t *out;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	list_ctx *x = vctx;
	json_decref(x->out);
	x->out = json_array();
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT w.id, w.url, w.agency, w.created_at, w.last_seq, "
	                  "(SELECT count(*) FROM od_delivery d WHERE d.webhook_id = w.id AND "
	                  "d.status = 'pending'), (SELECT count(*) FROM od_delivery d WHERE "
	                  "d.webhook_id = w.id AND d.status = 'delivered'), (SELECT count(*) "
	                  "FROM od_delivery d WHERE d.webhook_id = w.id AND d.status = "
	                  "'failed') FROM od_webhook w ORDER BY w.id",
	                  &st);
	if (e)
		return e;
	bool row;
	while ((e = store_step(st, &row)) == MC_OK && row) {
		json_array_append_new(
		    x->out,
		    json_pack("{s:I,s:s,s:s?,s:s,s:I,s:{s:I,s:I,s:I}}", "id",
		              (json_int_t)store_col_int(st, 0), "url", store_col_text(st, 1),
		              "agency", store_col_text(st, 2), "created", store_col_text(st, 3),
		              "last_seq", (json_int_t)store_col_int(st, 4), "deliveries", "pending",
		              (json_int_t)store_col_int(st, 5), "delivered",
		              (json_int_t)store_col_int(st, 6), "failed",
		              (json_int_t)store_col_int(st, 7)));
	}
	store_finish(st);
	if (e)
		return e;
	/* the newest deliveries of each webhook, for diagnosis */
	size_t i;
	json_t *w;
	json_array_foreach(x->out, i, w)
	{
		json_t *recent = json_array();
		e = store_prepare(
		    c,
		    "SELECT id, seq, status, attempts, last_status, last_error, next_at "
		    "FROM od_delivery WHERE webhook_id = ?1 ORDER BY id DESC LIMIT 10",
		    &st);
		if (e) {
			json_decref(recent);
			return e;
		}
		store_bind_int(st, 1, json_integer_value(json_object_get(w, "id")));
		while ((e = store_step(st, &row)) == MC_OK && row)
			json_array_append_new(
			    recent,
			    json_pack("{s:I,s:I,s:s,s:I,s:I,s:s?,s:s}", "id",
			              (json_int_t)store_col_int(st, 0), "seq",
			              (json_int_t)store_col_int(st, 1), "status",
			              store_col_text(st, 2), "attempts",
			              (json_int_t)store_col_int(st, 3), "last_status",
			              (json_int_t)store_col_int(st, 4), "last_error",
			              store_col_text(st, 5), "next_at", store_col_text(st, 6)));
		store_finish(st);
		json_object_set_new(w, "recent", recent);
		if (e)
			return e;
	}
	return MC_OK;
}

mc_err opendata_webhook_list(mc_app *app, json_t **out, mc_diag *diag)
{
	list_ctx x = {0};
	mc_err e = store_read(app->db, list_fn, &x, diag);
	*out = e ? NULL : x.out;
	if (e)
		json_decref(x.out);
	return e;
}

/* ---- delivery ---- */

/* Is there anything to queue or deliver? (a read, so idle servers never
 * write) */
typedef struct due_ctx {
	const char *now;
	bool work;
} due_ctx;

static mc_err due_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	due_ctx *x = vctx;
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "SELECT (SELECT count(*) FROM od_webhook WHERE last_seq < (SELECT coalesce(max(seq), "
	    "0) "
	    "FROM od_change)) + (SELECT count(*) FROM od_delivery WHERE status = 'pending' AND "
	    "next_at <= ?1)",
	    &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->now);
	bool row;
	e = store_step(st, &row);
	x->work = !e && row && store_col_int(st, 0) > 0;
	store_finish(st);
	return e;
}

static mc_err queue_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)vctx;
	(void)diag;
	/* one delivery per (webhook, change) after the webhook's mark, matching
	 * its agency filter; then move every mark to the newest change */
	const char *now = vctx;
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "INSERT INTO od_delivery (webhook_id, seq, status, attempts, next_at, last_status) "
	    "SELECT w.id, ch.seq, 'pending', 0, ?1, 0 FROM od_webhook w JOIN od_change ch ON "
	    "ch.seq "
	    "> w.last_seq AND (w.agency IS NULL OR w.agency = ch.agency) ON CONFLICT (webhook_id, "
	    "seq) DO NOTHING",
	    &st);
	if (e)
		return e;
	store_bind_text(st, 1, now);
	bool row;
	e = store_step(st, &row);
	store_finish(st);
	if (e)
		return e;
	return store_execv(c,
	                   "UPDATE od_webhook SET last_seq = (SELECT coalesce(max(seq), 0) FROM "
	                   "od_change)",
	                   0, NULL);
}

typedef struct job {
	int64_t id, attempts;
	char *url, *secret, *body;
} job;

typedef struct jobs_ctx {
	const char *now;
	job jobs[BATCH];
	int n;
} jobs_ctx;

static void jobs_clear(jobs_ctx *x)
{
	for (int i = 0; i < x->n; i++) {
		free(x->jobs[i].url);
		free(x->jobs[i].secret);
		free(x->jobs[i].body);
	}
	x->n = 0;
}

static mc_err jobs_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	jobs_ctx *x = vctx;
	jobs_clear(x);
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "SELECT d.id, d.attempts, w.url, w.secret, w.id, ch.seq, ch.dataset_uuid, ch.name, "
	    "ch.agency, ch.action, ch.at FROM od_delivery d JOIN od_webhook w ON w.id = "
	    "d.webhook_id "
	    "JOIN od_change ch ON ch.seq = d.seq WHERE d.status = 'pending' AND d.next_at <= ?1 "
	    "ORDER "
	    "BY d.next_at, d.id LIMIT 20",
	    &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->now);
	bool row;
	while (x->n < BATCH && (e = store_step(st, &row)) == MC_OK && row) {
		job *j = &x->jobs[x->n++];
		j->id = store_col_int(st, 0);
		j->attempts = store_col_int(st, 1);
		j->url = mc_xstrdup(store_col_text(st, 2));
		j->secret = mc_xstrdup(store_col_text(st, 3));
		json_t *b =
		    json_pack("{s:s,s:I,s:I,s:{s:I,s:s,s:s,s:s,s:s,s:s}}", "event",
		              "dataset.changed", "webhook", (json_int_t)store_col_int(st, 4),
		              "delivery", (json_int_t)j->id, "change", "seq",
		              (json_int_t)store_col_int(st, 5), "dataset", store_col_text(st, 6),
		              "name", store_col_text(st, 7), "agency", store_col_text(st, 8),
		              "action", store_col_text(st, 9), "at", store_col_text(st, 10));
		j->body = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(b);
	}
	store_finish(st);
	return e;
}

typedef struct result_ctx {
	int64_t id, attempts;
	long status;
	const char *error, *next_at;
	bool ok;
} result_ctx;

static mc_err result_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	result_ctx *x = vctx;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "UPDATE od_delivery SET status = ?2, attempts = ?3, next_at = ?4, "
	                         "last_status = ?5, last_error = ?6 WHERE id = ?1",
	                         &st);
	if (e)
		return e;
	store_bind_int(st, 1, x->id);
	store_bind_text(st, 2,
	                x->ok                         ? "delivered"
	                : x->attempts >= ATTEMPTS_MAX ? "failed"
	                                              : "pending");
	store_bind_int(st, 3, x->attempts);
	store_bind_text(st, 4, x->next_at);
	store_bind_int(st, 5, x->status);
	store_bind_text(st, 6, x->error);
	bool row;
	e = store_step(st, &row);
	store_finish(st);
	return e;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

/* POSTs one delivery; returns the HTTP status (0 when none) and fills err. */
static long post(const job *j, char *err, size_t errlen)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state hs;
	crypto_auth_hmacsha256_init(&hs, (const unsigned char *)j->secret, strlen(j->secret));
	crypto_auth_hmacsha256_update(&hs, (const unsigned char *)j->body, strlen(j->body));
	crypto_auth_hmacsha256_final(&hs, mac);
	char hex[2 * sizeof mac + 1];
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	char sig[100], did[64];
	snprintf(sig, sizeof sig, "X-Motcua-Signature: sha256=%s", hex);
	snprintf(did, sizeof did, "X-Motcua-Delivery: %lld", (long long)j->id);
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "X-Motcua-Event: dataset.changed");
	h = curl_slist_append(h, sig);
	h = curl_slist_append(h, did);
	CURL *cu = curl_easy_init();
	long status = 0;
	char ebuf[CURL_ERROR_SIZE] = "";
	if (!cu) {
		snprintf(err, errlen, "curl init failed");
		curl_slist_free_all(h);
		return 0;
	}
	curl_easy_setopt(cu, CURLOPT_URL, j->url);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(cu, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(cu, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(cu, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(cu, CURLOPT_USERAGENT, "motcua-webhook/1");
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(cu, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = curl_easy_perform(cu);
	if (rc == CURLE_OK)
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
	curl_easy_cleanup(cu);
	curl_slist_free_all(h);
	if (rc == CURLE_OK && (status < 200 || status > 299))
		snprintf(err, errlen, "HTTP %ld", status);
	return status;
}

int opendata_webhook_run(mc_app *app)
{
	char now[32];
	ts_format(ts_now(), now);
	due_ctx d = {.now = now};
	if (store_read(app->db, due_fn, &d, NULL) != MC_OK || !d.work)
		return 0;
	if (store_write(app->db, queue_fn, now, NULL) != MC_OK)
		return 0;
	jobs_ctx x = {.now = now};
	if (store_read(app->db, jobs_fn, &x, NULL) != MC_OK) {
		jobs_clear(&x);
		return 0;
	}
	int n = x.n;
	for (int i = 0; i < x.n; i++) {
		job *j = &x.jobs[i];
		char err[300] = "";
		long status = post(j, err, sizeof err);
		result_ctx r = {.id = j->id,
		                .attempts = j->attempts + 1,
		                .status = status,
		                .ok = status >= 200 && status <= 299};
		r.error = r.ok ? NULL : err;
		long delay = 1L << (r.attempts - 1 > 12 ? 12 : r.attempts - 1);
		if (delay > 3600)
			delay = 3600;
		char next[32];
		ts_format(ts_now() + (r.ok ? 0 : delay), next);
		r.next_at = next;
		if (store_write(app->db, result_fn, &r, NULL) != MC_OK)
			log_error("webhook delivery %lld: cannot record the result",
			          (long long)j->id);
	}
	jobs_clear(&x);
	return n;
}
