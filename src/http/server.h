/* server.h - starting and stopping the HTTP server (libmicrohttpd with an
 * epoll thread pool). Used by `motcua serve`. */
#ifndef MC_SERVER_H
#define MC_SERVER_H

#include "app.h"

typedef struct server_opts {
	const char *host; /* e.g. "127.0.0.1" */
	int port;
	int threads;
} server_opts;

/* Serves until SIGTERM or SIGINT, then stops accepting, lets in-flight
 * requests finish (bounded wait) and returns. Exit status for main. */
int server_run(mc_app *app, const server_opts *opts);

#endif
