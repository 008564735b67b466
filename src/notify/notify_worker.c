/* notify_worker.c - the notification worker of a serving process: a
 * core/worker thread that consumes new events into inbox messages and
 * attempts the deliveries that are due (notify_run), every --notify-poll
 * milliseconds or at once when woken. Safe beside other nodes: the
 * consumer advances its cursor in the write that handles a batch, and a
 * delivery is claimed under a lease before it is sent. */
#include "notify/notify.h"

#include "core/log.h"
#include "core/worker.h"
#include "event/event.h"
#include "notify/notify_internal.h"

static mc_worker worker = MC_WORKER_INIT;

static void job(void *ctx)
{
	mc_app *app = ctx;
	notify_run_report rep = {0};
	mc_diag d = {0};
	if (notify_run(app->db, &rep, &d) != MC_OK)
		log_error("notify: %s", d.detail);
	mc_diag_clear(&d);
}

void notify_worker_wake(void)
{
	mc_worker_wake(&worker);
}

mc_err notify_worker_start(mc_app *app, mc_diag *diag)
{
	notify_channels ch;
	notify_config_copy(&ch);
	long ms = ch.poll_ms;
	notify_channels_free(&ch);
	event_on_wake(notify_worker_wake);
	if (!mc_worker_start(&worker, job, app, ms))
		return mc_fail(diag, MC_ERR_INTERNAL, "cannot start the notification worker");
	return MC_OK;
}

void notify_worker_stop(void)
{
	mc_worker_stop(&worker);
}
