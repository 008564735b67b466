/* ocr_worker.c - the background OCR worker of a serving process: one
 * thread that claims jobs (ocr_claim), reads the document's content, runs
 * the engine and stores the outcome. It is woken after each upload and
 * otherwise looks at the queue every few seconds (jobs left by a stopped
 * process or another node, expired leases). Errors that may pass (storage,
 * missing language data) leave the job to be claimed again once its lease
 * expires; errors of the document itself fail the job. */
#include "ocr/ocr.h"

#include "core/log.h"
#include "document/document.h"
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define POLL_SECONDS 3

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static bool running, stopping, woken;
static mc_app *wapp;
static char worker_id[320]; /* host name and data directory */

void ocr_worker_wake(void)
{
	pthread_mutex_lock(&mu);
	woken = true;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

static mc_err get_meta(store_conn *c, const char *id, json_t **out, mc_diag *diag)
{
	return document_get(c, id, out, diag);
}

typedef struct meta_ctx {
	const char *id;
	json_t *out;
} meta_ctx;

static mc_err meta_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	meta_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return get_meta(c, x->id, &x->out, diag);
}

/* Runs one claimed job to its end. */
static void run_job(const ocr_job *job)
{
	mc_diag d = {0};
	meta_ctx m = {job->document_id, NULL};
	void *data = NULL;
	size_t n = 0;
	char *text = NULL;
	int pages = 0;
	mc_err e = store_read(wapp->db, meta_fn, &m, &d);
	if (!e)
		e = document_read_content(wapp, m.out, &data, &n, &d);
	if (!e)
		e = ocr_extract(job->media_type, data, n, "vie", &text, &pages, &d);
	if (!e) {
		mc_diag_clear(&d);
		if ((e = ocr_complete(wapp->db, job->document_id, text, pages, &d)))
			log_error("ocr: cannot store the text of a document: %s", d.detail);
	} else if (e == MC_ERR_UNPROCESSABLE || e == MC_ERR_MEDIA_TYPE || e == MC_ERR_NOT_FOUND) {
		char reason[sizeof d.detail];
		snprintf(reason, sizeof reason, "%s", d.detail);
		mc_diag_clear(&d);
		if (ocr_fail(wapp->db, job->document_id, reason, &d))
			log_error("ocr: cannot mark a job failed: %s", d.detail);
	} else {
		/* transient: the lease expires and the job is claimed again */
		log_error("ocr: job left for a retry: %s", d.detail);
	}
	json_decref(m.out);
	free(data);
	free(text);
	mc_diag_clear(&d);
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
		ocr_job job;
		bool got = false;
		mc_diag d = {0};
		if (ocr_claim(wapp->db, worker_id, &job, &got, &d) != MC_OK)
			log_error("ocr: cannot claim a job: %s", d.detail);
		mc_diag_clear(&d);
		if (got) {
			run_job(&job);
			continue;
		}
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
	ocr_engine_release();
	return NULL;
}

mc_err ocr_worker_start(mc_app *app, mc_diag *diag)
{
	pthread_mutex_lock(&mu);
	if (running) {
		pthread_mutex_unlock(&mu);
		return MC_OK;
	}
	wapp = app;
	stopping = false;
	char host[128] = "";
	gethostname(host, sizeof host - 1);
	char *dir = app->data_dir ? realpath(app->data_dir, NULL) : NULL;
	snprintf(worker_id, sizeof worker_id, "%s:%s", host,
	         dir ? dir : (app->data_dir ? app->data_dir : "."));
	free(dir);
	/* jobs this worker held when its process died are taken back now */
	int n = 0;
	mc_diag d = {0};
	if (ocr_requeue_own(app->db, worker_id, &n, &d) != MC_OK)
		log_error("ocr: cannot take back unfinished jobs: %s", d.detail);
	else if (n > 0)
		log_info("ocr: %d unfinished job(s) taken back", n);
	mc_diag_clear(&d);
	/* one core for OCR: Tesseract must not take the whole machine */
	setenv("OMP_THREAD_LIMIT", "1", 0);
	int rc = pthread_create(&thread, NULL, worker, NULL);
	running = rc == 0;
	pthread_mutex_unlock(&mu);
	if (rc != 0)
		return mc_fail(diag, MC_ERR_INTERNAL, "cannot start the OCR worker");
	return MC_OK;
}

void ocr_worker_stop(void)
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
