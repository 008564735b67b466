/* exchange_later.c - staff look-ups of a person's record in the access log:
 * written at once (exchange_lookup_log, in the caller's write) or, on the
 * hot path of registry reads, queued (exchange_lookup_later) and written by
 * a thread of `serve` in one transaction per batch, so that a look-up
 * answers without waiting for a durable write (a write per read took the
 * registry read's p99 from 0.5 to ~9 ms). A batch has one access-log entry
 * per look-up and one audit entry per reader whose digest covers them.
 *
 * The queue holds at most EXCHANGE_LATER_MAX entries; the thread writes it
 * every EXCHANGE_LATER_MS milliseconds, at once when it is half full,
 * before `serve` exits, and whenever someone asks for an access log in
 * this process (exchange_lookup_flush). When the queue is full or no thread
 * runs, exchange_lookup_later refuses and the caller logs synchronously, so
 * a look-up is never answered without its entry being written or queued.
 * What a crash of the process loses is the queue: at most
 * EXCHANGE_LATER_MS of look-ups (docs/EXCHANGE.md). */
#include "exchange/exchange.h"

#include "core/date.h"
#include "core/log.h"
#include "core/mem.h"

#include "audit/audit.h"
#include "core/worker.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* One queued look-up: copies of the strings of an exchange_lookup. */
typedef struct later_entry {
	char subject[16], actor[65], agency[65], role[16], channel[17];
	char category[EXCHANGE_CATEGORY_MAX + 1], basis_category[EXCHANGE_CATEGORY_MAX + 1];
	char audit_action[65], audit_object[161], at[32];
} later_entry;

static mc_worker writer = MC_WORKER_INIT;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* guards the queue */
static later_entry *queue; /* EXCHANGE_LATER_MAX entries while accepting */
static size_t queued;
static bool accepting;

static bool copy(char *dst, size_t cap, const char *src)
{
	src = src ? src : "";
	size_t n = strlen(src);
	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

bool exchange_lookup_later(const exchange_lookup *l)
{
	later_entry x;
	ts_format(ts_now(), x.at);
	if (!copy(x.subject, sizeof x.subject, l->subject) ||
	    !copy(x.actor, sizeof x.actor, l->actor) ||
	    !copy(x.agency, sizeof x.agency, l->agency) || !copy(x.role, sizeof x.role, l->role) ||
	    !copy(x.channel, sizeof x.channel, l->channel) ||
	    !copy(x.category, sizeof x.category, l->category) ||
	    !copy(x.basis_category, sizeof x.basis_category, l->basis_category) ||
	    !copy(x.audit_action, sizeof x.audit_action, l->audit_action) ||
	    !copy(x.audit_object, sizeof x.audit_object, l->audit_object))
		return false; /* the synchronous path reports what is wrong */
	pthread_mutex_lock(&mu);
	bool ok = accepting && queued < EXCHANGE_LATER_MAX;
	if (ok)
		queue[queued++] = x;
	bool half = ok && queued >= EXCHANGE_LATER_MAX / 2;
	pthread_mutex_unlock(&mu);
	if (half)
		mc_worker_wake(&writer);
	return ok;
}

typedef struct batch {
	later_entry *items;
	size_t n;
} batch;

/* The audit entry of one reader's look-ups in a batch. */
typedef struct reader_sum {
	const later_entry *first; /* actor, role, action of the group */
	int64_t first_seq, last_seq, reads;
	crypto_hash_sha256_state sha;
} reader_sum;

/* The group of x (same actor and audit action) in sums[0..*n), added when
 * new. */
static reader_sum *group_of(reader_sum *sums, size_t *n, const later_entry *x)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(sums[i].first->actor, x->actor) &&
		    !strcmp(sums[i].first->audit_action, x->audit_action))
			return &sums[i];
	reader_sum *g = &sums[(*n)++];
	*g = (reader_sum){.first = x};
	crypto_hash_sha256_init(&g->sha);
	return g;
}

static mc_err batch_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	batch *b = ctx;
	reader_sum *sums = mc_xcalloc(b->n, sizeof *sums);
	size_t nsums = 0;
	mc_err e = MC_OK;
	for (size_t i = 0; i < b->n && !e; i++) {
		const later_entry *x = &b->items[i];
		exchange_lookup l = {.subject = x->subject,
		                     .actor = x->actor,
		                     .agency = x->agency,
		                     .role = x->role,
		                     .channel = x->channel,
		                     .category = x->category,
		                     .basis_category = x->basis_category};
		int64_t seq = 0;
		if ((e = exchange_lookup_log(c, &l, x->at, &seq, diag)) || !x->audit_action[0])
			continue;
		reader_sum *g = group_of(sums, &nsums, x);
		if (!g->reads++)
			g->first_seq = seq;
		g->last_seq = seq;
		char line[256];
		int len = snprintf(line, sizeof line, "%lld|%s|%s|%s\n", (long long)seq, x->at,
		                   x->subject, x->category);
		crypto_hash_sha256_update(&g->sha, (const unsigned char *)line, (size_t)len);
	}
	for (size_t i = 0; i < nsums && !e; i++) {
		reader_sum *g = &sums[i];
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[2 * crypto_hash_sha256_BYTES + 1], object[64];
		crypto_hash_sha256_final(&g->sha, h);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		snprintf(object, sizeof object, "data_access/%lld-%lld", (long long)g->first_seq,
		         (long long)g->last_seq);
		json_t *detail =
		    json_pack("{s:s, s:I, s:I, s:I, s:s}", "role", g->first->role, "reads",
		              (json_int_t)g->reads, "first_seq", (json_int_t)g->first_seq,
		              "last_seq", (json_int_t)g->last_seq, "sha256", hex);
		e = audit_append(c, g->first->actor, g->first->audit_action, object, detail);
		json_decref(detail);
	}
	free(sums);
	return e;
}

/* Writes what is queued now. When the store is unavailable the entries go
 * back to the front of the queue (as many as fit) for the next attempt;
 * any other failure would fail again, so the batch is dropped and said so
 * in the log rather than blocking every later look-up. */
static mc_err flush_queue(store *s, mc_diag *diag)
{
	pthread_mutex_lock(&mu);
	batch b = {.n = queued};
	if (b.n) {
		b.items = mc_xmalloc(b.n * sizeof *b.items);
		memcpy(b.items, queue, b.n * sizeof *b.items);
		queued = 0;
	}
	pthread_mutex_unlock(&mu);
	if (!b.n)
		return MC_OK;
	mc_err e = store_write(s, batch_fn, &b, diag);
	if (e) {
		pthread_mutex_lock(&mu);
		size_t keep = queue && (e == MC_ERR_UNAVAILABLE || e == MC_ERR_IO) ? b.n : 0;
		if (keep + queued > EXCHANGE_LATER_MAX)
			keep = EXCHANGE_LATER_MAX - queued;
		memmove(queue + keep, queue, queued * sizeof *queue);
		memcpy(queue, b.items, keep * sizeof *queue);
		queued += keep;
		pthread_mutex_unlock(&mu);
		if (keep < b.n)
			log_error("exchange: %zu look-ups could not be logged: %s %s", b.n - keep,
			          mc_err_name(e), diag ? diag->detail : "");
	}
	free(b.items);
	return e;
}

mc_err exchange_lookup_flush(store *s, mc_diag *diag)
{
	pthread_mutex_lock(&mu);
	bool on = queue != NULL;
	pthread_mutex_unlock(&mu);
	return on ? flush_queue(s, diag) : MC_OK;
}

static void job(void *ctx)
{
	mc_app *app = ctx;
	mc_diag d = {0};
	if (flush_queue(app->db, &d) != MC_OK)
		log_error("exchange: access log batch: %s", d.detail);
	mc_diag_clear(&d);
}

mc_err exchange_later_start(mc_app *app, mc_diag *diag)
{
	pthread_mutex_lock(&mu);
	if (!queue)
		queue = mc_xcalloc(EXCHANGE_LATER_MAX, sizeof *queue);
	accepting = true;
	pthread_mutex_unlock(&mu);
	if (mc_worker_start(&writer, job, app, EXCHANGE_LATER_MS))
		return MC_OK;
	pthread_mutex_lock(&mu);
	accepting = false;
	pthread_mutex_unlock(&mu);
	return mc_fail(diag, MC_ERR_INTERNAL, "cannot start the access-log writer");
}

void exchange_later_stop(mc_app *app)
{
	pthread_mutex_lock(&mu);
	bool on = queue != NULL;
	accepting = false; /* from now on look-ups log synchronously */
	pthread_mutex_unlock(&mu);
	if (!on)
		return;
	mc_worker_stop(&writer);
	/* what is left is written now */
	mc_diag d = {0};
	for (int attempt = 0; attempt < 3 && flush_queue(app->db, &d) != MC_OK; attempt++)
		mc_diag_clear(&d);
	mc_diag_clear(&d);
	pthread_mutex_lock(&mu);
	if (queued)
		log_error("exchange: %zu look-ups not logged at exit", queued);
	free(queue);
	queue = NULL;
	queued = 0;
	pthread_mutex_unlock(&mu);
}
