/* worker.c - background threads that run a job every period or when woken
 * (worker.h). */
#include "core/worker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void *loop(void *arg)
{
	mc_worker *w = arg;
	/* background work yields the processor to requests: this thread (a
	 * Linux task of its own) runs at a lower priority; failure is harmless */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), MC_WORKER_NICE);
	pthread_mutex_lock(&w->mu);
	while (!w->stopping) {
		w->woken = false;
		pthread_mutex_unlock(&w->mu);
		w->job(w->ctx);
		pthread_mutex_lock(&w->mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		long ms = w->period_ms > 0 ? w->period_ms : 1000;
		until.tv_sec += ms / 1000;
		until.tv_nsec += (ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!w->stopping && !w->woken)
			if (pthread_cond_timedwait(&w->cv, &w->mu, &until) != 0)
				break;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

bool mc_worker_start(mc_worker *w, mc_worker_job job, void *ctx, long period_ms)
{
	pthread_mutex_lock(&w->mu);
	if (!w->running) {
		w->job = job;
		w->ctx = ctx;
		w->period_ms = period_ms;
		w->stopping = w->woken = false;
		w->running = pthread_create(&w->thread, NULL, loop, w) == 0;
	}
	bool ok = w->running;
	pthread_mutex_unlock(&w->mu);
	return ok;
}

void mc_worker_set_period(mc_worker *w, long period_ms)
{
	pthread_mutex_lock(&w->mu);
	w->period_ms = period_ms;
	pthread_mutex_unlock(&w->mu);
}

void mc_worker_wake(mc_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->woken = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

bool mc_worker_active(mc_worker *w)
{
	pthread_mutex_lock(&w->mu);
	bool on = w->running && !w->stopping;
	pthread_mutex_unlock(&w->mu);
	return on;
}

void mc_worker_stop(mc_worker *w)
{
	pthread_mutex_lock(&w->mu);
	if (!w->running) {
		pthread_mutex_unlock(&w->mu);
		return;
	}
	w->stopping = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_lock(&w->mu);
	w->running = false;
	pthread_mutex_unlock(&w->mu);
}
