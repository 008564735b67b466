/* builtin.c - the server's own routes: /healthz, /metrics (Prometheus text
 * format: requests by route and status, latency histogram by route,
 * dossiers by status) and /openapi.json (the embedded API description).
 * GET / is the portal's home page (src/portal). */
#include "dossier/dossier.h"
#include "http/server_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define MAX_ROUTES 256
#define NSTATUS 20

static const int statuses[NSTATUS] = {200, 201, 204, 206, 304, 400, 401, 403, 404,
                                      405, 409, 413, 415, 422, 429, 500, 503, 0};
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])

/* index MAX_ROUTES collects requests that matched no route */
static atomic_long req_count[MAX_ROUTES + 1][NSTATUS];
static atomic_long lat_bucket[MAX_ROUTES + 1][NBUCKETS + 1];
static atomic_long lat_sum_us[MAX_ROUTES + 1];

extern const char embedded_openapi[];

static int status_slot(int status)
{
	for (int i = 0; statuses[i]; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS - 1; /* "other" */
}

void metrics_record(int route, int status, double seconds)
{
	int r = route >= 0 && route < MAX_ROUTES ? route : MAX_ROUTES;
	atomic_fetch_add(&req_count[r][status_slot(status)], 1);
	size_t b = 0;
	while (b < NBUCKETS && seconds > buckets[b])
		b++;
	atomic_fetch_add(&lat_bucket[r][b], 1);
	atomic_fetch_add(&lat_sum_us[r], (long)(seconds * 1e6));
}

static void h_healthz(mc_req *req, mc_resp *resp)
{
	(void)req;
	http_reply_json(resp, 200,
	                json_pack("{s:s, s:i}", "status", "ok", "schema_version",
	                          store_schema_version(req->app->db)));
}

static void route_label(mc_buf *b, int r)
{
	const http_route *rt = routes_at(r);
	if (rt)
		mc_buf_printf(b, "method=\"%s\",route=\"%s\"", rt->method, rt->pattern);
	else
		mc_buf_puts(b, "method=\"\",route=\"unmatched\"");
}

static void h_metrics(mc_req *req, mc_resp *resp)
{
	mc_buf b = {0};
	int n = routes_count();
	mc_buf_puts(&b, "# HELP motcua_http_requests_total HTTP requests by route and status.\n"
	                "# TYPE motcua_http_requests_total counter\n");
	for (int r = 0; r <= MAX_ROUTES; r++) {
		if (r >= n && r != MAX_ROUTES)
			continue;
		for (int s = 0; s < NSTATUS; s++) {
			long v = atomic_load(&req_count[r][s]);
			if (!v)
				continue;
			mc_buf_puts(&b, "motcua_http_requests_total{");
			route_label(&b, r < n ? r : -1);
			if (statuses[s])
				mc_buf_printf(&b, ",status=\"%d\"} %ld\n", statuses[s], v);
			else
				mc_buf_printf(&b, ",status=\"other\"} %ld\n", v);
		}
	}
	mc_buf_puts(&b, "# HELP motcua_http_request_duration_seconds Request latency by route.\n"
	                "# TYPE motcua_http_request_duration_seconds histogram\n");
	for (int r = 0; r <= MAX_ROUTES; r++) {
		if (r >= n && r != MAX_ROUTES)
			continue;
		long cum = 0;
		for (size_t k = 0; k <= NBUCKETS; k++)
			cum += atomic_load(&lat_bucket[r][k]);
		if (!cum)
			continue;
		long acc = 0;
		for (size_t k = 0; k <= NBUCKETS; k++) {
			acc += atomic_load(&lat_bucket[r][k]);
			mc_buf_puts(&b, "motcua_http_request_duration_seconds_bucket{");
			route_label(&b, r < n ? r : -1);
			if (k < NBUCKETS)
				mc_buf_printf(&b, ",le=\"%g\"} %ld\n", buckets[k], acc);
			else
				mc_buf_printf(&b, ",le=\"+Inf\"} %ld\n", acc);
		}
		mc_buf_puts(&b, "motcua_http_request_duration_seconds_sum{");
		route_label(&b, r < n ? r : -1);
		mc_buf_printf(&b, "} %.6f\n", (double)atomic_load(&lat_sum_us[r]) / 1e6);
		mc_buf_puts(&b, "motcua_http_request_duration_seconds_count{");
		route_label(&b, r < n ? r : -1);
		mc_buf_printf(&b, "} %ld\n", cum);
	}
	long counts[11] = {0};
	if (dossier_count_by_status(req->app->db, counts) == MC_OK) {
		mc_buf_puts(&b, "# HELP motcua_dossiers Dossiers by national status code.\n"
		                "# TYPE motcua_dossiers gauge\n");
		for (int s = 1; s <= 10; s++)
			mc_buf_printf(&b, "motcua_dossiers{status_code=\"%d\"} %ld\n", s,
			              counts[s]);
	}
	http_reply_bytes(resp, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	mc_buf_free(&b);
}

static void h_openapi(mc_req *req, mc_resp *resp)
{
	(void)req;
	http_reply_bytes(resp, 200, "application/json", embedded_openapi, strlen(embedded_openapi));
	http_add_header(resp, "Cache-Control", "public, max-age=300");
}

const http_route builtin_routes[] = {
    {"GET", "/healthz", h_healthz, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/metrics", h_metrics, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/openapi.json", h_openapi, ACCESS_PUBLIC, BODY_NONE},
    {0},
};
