/* proactive_worker.c - the background consumer of `serve`: one thread that
 * drains the event outbox into offers (proactive_run) every few seconds or
 * at once when a writer of this process calls event_wake, and stops
 * cleanly (the batch in progress finishes, being one write). */
#include "proactive/proactive.h"

#include "core/log.h"
#include "event/event.h"
#include <pthread.h>
#include <time.h>

#define POLL_SECONDS 2

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static bool running, stopping, woken;
static mc_app *wapp;

static void proactive_worker_wake(void)
{
	pthread_mutex_lock(&mu);
	woken = true;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&mu);
		bool stop = stopping;
		woken = false;
		pthread_mutex_unlock(&mu);
		if (stop)
			break;
		proactive_report rep;
		mc_diag d = {0};
		if (proactive_run(wapp->db, 10, &rep, &d) != MC_OK)
			log_error("proactive: cannot handle events: %s", d.detail);
		else if (rep.offers > 0)
			log_info("proactive: %ld offer(s) made from %ld event(s)", rep.offers,
			         rep.events);
		mc_diag_clear(&d);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += POLL_SECONDS;
		pthread_mutex_lock(&mu);
		while (!stopping && !woken) {
			if (pthread_cond_timedwait(&cv, &mu, &until) != 0)
				break;
		}
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

mc_err proactive_worker_start(mc_app *app, mc_diag *diag)
{
	pthread_mutex_lock(&mu);
	if (running) {
		pthread_mutex_unlock(&mu);
		return MC_OK;
	}
	wapp = app;
	stopping = false;
	event_on_wake(proactive_worker_wake);
	int rc = pthread_create(&thread, NULL, worker, NULL);
	running = rc == 0;
	pthread_mutex_unlock(&mu);
	if (rc != 0)
		return mc_fail(diag, MC_ERR_INTERNAL, "cannot start the proactive-services worker");
	return MC_OK;
}

void proactive_worker_stop(void)
{
	pthread_mutex_lock(&mu);
	if (!running) {
		pthread_mutex_unlock(&mu);
		return;
	}
	stopping = true;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	pthread_mutex_lock(&mu);
	running = false;
	pthread_mutex_unlock(&mu);
}
