/* proactive_worker.c - the background consumer of `serve`: a core/worker
 * thread that drains the event outbox into offers (proactive_run) every
 * few seconds or at once when a writer of this process calls event_wake,
 * and stops cleanly (the batch in progress finishes, being one write). */
#include "proactive/proactive.h"

#include "core/log.h"
#include "core/worker.h"
#include "event/event.h"

#define POLL_MS 2000

static mc_worker worker = MC_WORKER_INIT;

static void job(void *ctx)
{
	mc_app *app = ctx;
	proactive_report rep;
	mc_diag d = {0};
	if (proactive_run(app->db, 10, &rep, &d) != MC_OK)
		log_error("proactive: cannot handle events: %s", d.detail);
	else if (rep.offers > 0)
		log_info("proactive: %ld offer(s) made from %ld event(s)", rep.offers, rep.events);
	mc_diag_clear(&d);
}

static void wake(void)
{
	mc_worker_wake(&worker);
}

mc_err proactive_worker_start(mc_app *app, mc_diag *diag)
{
	event_on_wake(wake);
	if (!mc_worker_start(&worker, job, app, POLL_MS))
		return mc_fail(diag, MC_ERR_INTERNAL, "cannot start the proactive-services worker");
	return MC_OK;
}

void proactive_worker_stop(void)
{
	mc_worker_stop(&worker);
}
