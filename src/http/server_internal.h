/* server_internal.h - what the server's own files share (not for modules):
 * the request state, the router, metrics and the built-in routes. */
#ifndef MC_SERVER_INTERNAL_H
#define MC_SERVER_INTERNAL_H

#include "http/http.h"
#include <stdio.h>

/* Parsed JSON body of a BODY_JSON request (borrowed). */
json_t *server_req_json(mc_req *req);

/* Router: finds the route for method+path, filling req->params. Returns
 * the route index (into routes_all) or -1 with *status 404 or 405 (and
 * `allow` filled with the allowed methods for 405). */
int router_match(mc_req *req, const char *method, const char *path, int *status, char *allow,
                 size_t allow_len);

/* Every route of every module, in one array ended by {0} (routes.c). */
extern const http_route *routes_all[];
/* Stream callbacks of every BODY_STREAM route (routes.c), NULL-ended. */
extern const http_stream_route *stream_routes_all[];
/* The stream callbacks of a route's handler, or NULL. */
const http_stream_ops *routes_stream_ops(const http_route *rt);
/* Number of routes in routes_all (computed once). */
int routes_count(void);
/* The i-th route across all tables. */
const http_route *routes_at(int i);
/* Prints "METHOD PATTERN" per line (motcua routes). */
void routes_print(FILE *f);

/* Metrics: record one finished request (route index or -1). */
void metrics_record(int route, int status, double seconds);
/* Built-in routes: /healthz, /metrics, /openapi.json. */
extern const http_route builtin_routes[];

#endif
