/* exchange_later.c - staff look-ups of a person's record in the access log:
 * written at once (exchange_lookup_log, in the caller's write) or, on the
 * hot path of registry reads, queued (exchange_lookup_later) and written by
 * a thread of `serve` in one transaction per batch, so that a look-up
 * answers without waiting for a durable write (registry reads keep their
 * p99 <= 2 ms; a write per read cost ~9 ms).
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

#include "core/worker.h"

#include <pthread.h>
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

static mc_err batch_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	batch *b = ctx;
	for (size_t i = 0; i < b->n; i++) {
		const later_entry *x = &b->items[i];
		exchange_lookup l = {.subject = x->subject,
		                     .actor = x->actor,
		                     .agency = x->agency,
		                     .role = x->role,
		                     .channel = x->channel,
		                     .category = x->category,
		                     .basis_category = x->basis_category,
		                     .audit_action = x->audit_action,
		                     .audit_object = x->audit_object};
		mc_err e = exchange_lookup_log(c, &l, x->at, diag);
		if (e)
			return e;
	}
	return MC_OK;
}

/* Writes what is queued now. On failure the entries go back to the front
 * of the queue (as many as fit) for the next attempt. */
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
		size_t keep = queue ? b.n : 0; /* none after exchange_later_stop */
		if (keep + queued > EXCHANGE_LATER_MAX)
			keep = EXCHANGE_LATER_MAX - queued;
		memmove(queue + keep, queue, queued * sizeof *queue);
		memcpy(queue, b.items, keep * sizeof *queue);
		queued += keep;
		pthread_mutex_unlock(&mu);
		if (keep < b.n)
			log_error("exchange: %zu look-ups could not be logged: %s", b.n - keep,
			          diag ? diag->detail : "store error");
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
