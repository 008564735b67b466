/* notify_worker.c - the notification worker of a serving process: one
 * thread that consumes new events into inbox messages and attempts the
 * deliveries that are due (notify_run), every --notify-poll milliseconds
 * or at once when woken. Safe beside other nodes: the consumer advances
 * its cursor in the write that handles a batch, and a delivery is claimed
 * under a lease before it is sent. */
#include "notify/notify.h"

#include "core/log.h"
#include "event/event.h"
#include "notify/notify_internal.h"

#include <pthread.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static bool running, stopping, woken;
static mc_app *wapp;

void notify_worker_wake(void)
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
		notify_run_report rep = {0};
		mc_diag d = {0};
		if (notify_run(wapp->db, &rep, &d) != MC_OK)
			log_error("notify: %s", d.detail);
		mc_diag_clear(&d);
		notify_channels ch;
		notify_config_copy(&ch);
		long ms = ch.poll_ms;
		notify_channels_free(&ch);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += ms / 1000;
		until.tv_nsec += (ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&mu);
		while (!stopping && !woken) {
			if (pthread_cond_timedwait(&cv, &mu, &until) != 0)
				break;
		}
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

mc_err notify_worker_start(mc_app *app, mc_diag *diag)
{
	pthread_mutex_lock(&mu);
	if (running) {
		pthread_mutex_unlock(&mu);
		return MC_OK;
	}
	wapp = app;
	stopping = false;
	event_on_wake(notify_worker_wake);
	int rc = pthread_create(&thread, NULL, worker, NULL);
	running = rc == 0;
	pthread_mutex_unlock(&mu);
	if (rc != 0)
		return mc_fail(diag, MC_ERR_INTERNAL, "cannot start the notification worker");
	return MC_OK;
}

void notify_worker_stop(void)
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
