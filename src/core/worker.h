/* worker.h - a background thread of `serve` that runs a job now and then:
 * every period, or at once when woken, until stopped (the run in progress
 * finishes first). Used by the notification and proactive consumers and
 * the access-log writer; each keeps one static mc_worker. */
#ifndef MC_WORKER_H
#define MC_WORKER_H

#include <pthread.h>
#include <stdbool.h>

/* One run of the job. */
typedef void (*mc_worker_job)(void *ctx);

typedef struct mc_worker {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool running, stopping, woken;
	mc_worker_job job;
	void *ctx;
	long period_ms;
} mc_worker;

#define MC_WORKER_INIT                                                                             \
	{                                                                                          \
		.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER                    \
	}

/* Nice value of worker threads: they give way to request threads when the
 * processors are busy (Linux schedules each thread on its own). */
#define MC_WORKER_NICE 10

/* Starts the thread: it runs job(ctx) at once, then after each run waits
 * period_ms milliseconds (re-read every time, see mc_worker_set_period) or
 * until woken. A started worker is left as it is. False when the thread
 * cannot be created. */
bool mc_worker_start(mc_worker *w, mc_worker_job job, void *ctx, long period_ms);
/* Changes the wait between runs (takes effect after the current wait). */
void mc_worker_set_period(mc_worker *w, long period_ms);
/* Makes the worker run again as soon as its current run ends. */
void mc_worker_wake(mc_worker *w);
/* True while the worker runs and has not been asked to stop. */
bool mc_worker_active(mc_worker *w);
/* Asks the worker to stop and waits for the thread; nothing if not started. */
void mc_worker_stop(mc_worker *w);

#endif
