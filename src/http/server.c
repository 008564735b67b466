/* server.c - libmicrohttpd glue: body accumulation with caps, the request
 * pipeline (route -> auth stage -> access check -> body checks -> handler),
 * response queueing, metrics and graceful shutdown.
 *
 * Pipeline per request (all on an MHD worker thread of the epoll pool):
 * first callback allocates the request state; upload callbacks append the
 * body up to the route's cap (the excess is read and dropped, then 413);
 * the final callback runs the handler and queues the response (never on the
 * first callback, so keep-alive keeps working). */
#include "http/server.h"

#include "auth/auth.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/server_internal.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define URL_MAX 8192              /* longest URL (path and query) served */
#define DISCARD_LIMIT (64u << 20) /* read and drop at most 64 MiB past a cap, then close */

typedef struct req_state {
	mc_req req;
	mc_buf body;
	size_t body_cap;
	int route;        /* index or -1 */
	int route_status; /* 404/405 when no route */
	char allow[64];
	int too_large;
	int url_too_long;
	int ignore_body; /* BODY_NONE route or no route: the body is dropped */
	int url_has_nul;
	size_t dropped; /* body bytes read and dropped after the cap */
	json_t *json;
	struct timespec start;
	bool streaming; /* BODY_STREAM route whose open() succeeded */
	bool early;     /* BODY_STREAM: the access check already replied */
	mc_resp early_resp;
} req_state;

static atomic_int in_flight;
static mc_app *the_app;

json_t *server_req_json(mc_req *req)
{
	return ((req_state *)req)->json;
}

/* MHD_get_connection_values callback: sets *(int *)cls and stops at an
 * argument still holding "%00" (see on_unescape). */
static enum MHD_Result arg_has_nul(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	(void)kind;
	if (strstr(key, "%00") || (value && strstr(value, "%00"))) {
		*(int *)cls = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

static double elapsed(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static const char *lang_of(struct MHD_Connection *c)
{
	const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	if (q)
		return strcmp(q, "en") == 0 ? "en" : "vi";
	const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
	if (al && strncasecmp(al, "en", 2) == 0)
		return "en";
	return "vi";
}

static const char *client_ip(struct MHD_Connection *c, mc_arena *a)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		if (ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr, buf,
			          sizeof buf);
		else if (ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
			          buf, sizeof buf);
	}
	return mc_arena_strdup(a, buf);
}

static bool ctype_is(const char *ct, const char *want)
{
	if (!ct)
		return false;
	size_t n = strlen(want);
	return strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Resolves the bearer token, then applies the route's access level. A
 * public route treats a missing, malformed or expired token alike: the
 * caller is anonymous there. */
static bool auth_stage(req_state *rs, const http_route *rt, mc_resp *resp)
{
	mc_req *r = &rs->req;
	mc_role need = rt->access == ACCESS_ADMIN     ? ROLE_ADMIN
	               : rt->access == ACCESS_OFFICER ? ROLE_OFFICER
	               : rt->access == ACCESS_USER    ? ROLE_CITIZEN
	                                              : ROLE_ANONYMOUS;
	const char *h = http_header(r, "Authorization");
	if (h && *h) {
		char hash[65];
		const char *token = strncasecmp(h, "Bearer ", 7) == 0 ? h + 7 : NULL;
		while (token && *token == ' ')
			token++;
		mc_err ae =
		    token ? auth_resolve(r->app->db, token, &r->who, hash) : MC_ERR_UNAUTHENTICATED;
		if (ae == MC_OK) {
			r->token_hash = mc_arena_strdup(r->arena, hash);
		} else if (ae == MC_ERR_UNAVAILABLE) {
			/* the database did not answer: retry later, not "log in again" */
			http_reply_problem(r, resp, MC_ERR_UNAVAILABLE,
			                   "Hệ thống đang bận; vui lòng thử lại.",
			                   "the database is unavailable; retry");
			return false;
		} else if (need != ROLE_ANONYMOUS) {
			http_reply_problem(r, resp, MC_ERR_UNAUTHENTICATED,
			                   "Phiên đăng nhập không hợp lệ hoặc đã hết hạn.",
			                   "the bearer token is malformed, unknown or expired");
			http_add_header(resp, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
			return false;
		}
	}
	if (need == ROLE_ANONYMOUS)
		return true;
	if (r->who.role == ROLE_ANONYMOUS) {
		http_reply_problem(r, resp, MC_ERR_UNAUTHENTICATED, "Vui lòng đăng nhập.",
		                   "log in first");
		http_add_header(resp, "WWW-Authenticate", "Bearer");
		return false;
	}
	bool ok = need == ROLE_CITIZEN || (need == ROLE_OFFICER && r->who.role >= ROLE_OFFICER) ||
	          (need == ROLE_ADMIN && r->who.role == ROLE_ADMIN);
	if (!ok)
		http_reply_problem(r, resp, MC_ERR_FORBIDDEN,
		                   "Vai trò của bạn không được phép thực hiện thao tác này.",
		                   "your role may not do this");
	return ok;
}

/* Body checks that depend on the route, then the handler. */
static void dispatch(req_state *rs, mc_resp *resp)
{
	mc_req *r = &rs->req;
	if (rs->route < 0) {
		if (rs->url_has_nul) {
			http_reply_problem(r, resp, MC_ERR_INVALID,
			                   "Địa chỉ (URL) chứa ký tự NUL (%%00).",
			                   "the URL holds an encoded NUL (%%00)");
		} else if (rs->url_too_long) {
			http_reply_problem(r, resp, MC_ERR_INVALID, "Địa chỉ (URL) quá dài.",
			                   "the URL is longer than %d bytes", URL_MAX);
		} else if (rs->route_status == 405) {
			http_reply_problem(r, resp, MC_ERR_METHOD,
			                   "Tài nguyên này không hỗ trợ phương thức đã dùng.",
			                   "%s is not allowed here; allowed: %s", r->method,
			                   rs->allow);
			http_add_header(resp, "Allow", rs->allow);
		} else {
			http_reply_problem(r, resp, MC_ERR_NOT_FOUND, "Không có tài nguyên này.",
			                   "no such resource: %.200s", r->path);
		}
		return;
	}
	const http_route *rt = routes_at(rs->route);
	if (rt->body == BODY_STREAM) {
		/* the access check ran before the body (see on_request) */
		if (rs->early) {
			*resp = rs->early_resp;
			memset(&rs->early_resp, 0, sizeof rs->early_resp);
			return;
		}
		rt->handler(r, resp);
		if (!resp->status)
			http_reply_problem(r, resp, MC_ERR_INTERNAL, "Lỗi hệ thống.", "no reply");
		return;
	}
	if (!auth_stage(rs, rt, resp))
		return;
	if (rs->too_large) {
		http_reply_problem(r, resp, MC_ERR_TOO_LARGE,
		                   "Nội dung gửi lên vượt quá giới hạn cho phép.",
		                   "the body exceeds %zu bytes", rs->body_cap);
		return;
	}
	r->body = mc_buf_cstr(&rs->body);
	r->body_len = rs->body.len;
	if (rt->body == BODY_JSON) {
		if (!ctype_is(r->content_type, "application/json")) {
			http_reply_problem(r, resp, MC_ERR_MEDIA_TYPE,
			                   "Hãy gửi nội dung dạng application/json.",
			                   "send the body as application/json");
			return;
		}
		json_error_t jerr;
		rs->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!rs->json) {
			http_reply_problem(r, resp, MC_ERR_INVALID, "Nội dung JSON không hợp lệ.",
			                   "malformed JSON at line %d column %d: %s", jerr.line,
			                   jerr.column, jerr.text);
			return;
		}
		if (!json_is_object(rs->json)) {
			http_reply_problem(r, resp, MC_ERR_INVALID,
			                   "Nội dung phải là một đối tượng JSON.",
			                   "the body must be a JSON object");
			return;
		}
	}
	rt->handler(r, resp);
	if (!resp->status)
		http_reply_problem(r, resp, MC_ERR_INTERNAL, "Lỗi hệ thống.", "no reply");
}

/* MHD content reader over an http_read_fn. */
static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	mc_resp *holder = cls;
	long n = holder->read(holder->read_cls, pos, buf, max);
	if (n > 0)
		return (ssize_t)n;
	return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
	mc_resp *holder = cls;
	if (holder->read_free)
		holder->read_free(holder->read_cls);
	free(holder);
}

static enum MHD_Result queue(struct MHD_Connection *c, mc_resp *resp)
{
	struct MHD_Response *mr;
	if (resp->has_fd) {
		mr = MHD_create_response_from_fd_at_offset64(resp->fd_len, resp->fd, resp->fd_off);
		resp->has_fd = false;
	} else if (resp->read) {
		mc_resp *holder = mc_xmalloc(sizeof *holder);
		*holder = *resp;
		mr = MHD_create_response_from_callback(
		    resp->read_size == UINT64_MAX ? MHD_SIZE_UNKNOWN : resp->read_size, 64 * 1024,
		    stream_reader, holder, stream_free);
		resp->read = NULL;
	} else {
		mr = MHD_create_response_from_buffer_with_free_callback(resp->body_len, resp->body,
		                                                        free);
	}
	resp->body = NULL;
	MHD_add_response_header(mr, "Content-Type",
	                        resp->content_type ? resp->content_type : "application/json");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	bool has_cache = false;
	for (int i = 0; i < resp->nheaders; i++) {
		MHD_add_response_header(mr, resp->headers[i][0], resp->headers[i][1]);
		if (strcasecmp(resp->headers[i][0], "Cache-Control") == 0)
			has_cache = true;
		free(resp->headers[i][0]);
		free(resp->headers[i][1]);
	}
	if (!has_cache)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* BODY_STREAM: access check and the route's open() before the first body
 * byte. False when the body must be dropped (an early reply is kept, or the
 * handler will see req.stream_err). */
static bool stream_begin(req_state *rs, const http_route *rt)
{
	if (!auth_stage(rs, rt, &rs->early_resp)) {
		rs->early = true;
		return false;
	}
	const http_stream_ops *ops = routes_stream_ops(rt);
	if (!ops) {
		rs->req.stream_err =
		    mc_fail(&rs->req.stream_diag, MC_ERR_INTERNAL, "no stream ops");
		return false;
	}
	rs->req.stream_err = ops->open(&rs->req, &rs->req.stream_ctx, &rs->req.stream_diag);
	if (rs->req.stream_err != MC_OK)
		return false;
	rs->streaming = true;
	return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)version;
	req_state *rs = *con_cls;
	if (!rs) {
		rs = mc_xcalloc(1, sizeof *rs);
		clock_gettime(CLOCK_MONOTONIC, &rs->start);
		atomic_fetch_add(&in_flight, 1);
		mc_req *r = &rs->req;
		r->app = the_app;
		r->arena = mc_arena_new();
		r->conn = c;
		r->method = mc_arena_strdup(r->arena, method);
		r->path = mc_arena_strdup(r->arena, url);
		r->lang = lang_of(c);
		r->client_ip = client_ip(c, r->arena);
		r->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		int nul = 0;
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, arg_has_nul, &nul);
		rs->url_has_nul = nul || strstr(url, "%00") != NULL;
		rs->url_too_long = strlen(url) > URL_MAX;
		rs->route = rs->url_has_nul || rs->url_too_long
		                ? -1
		                : router_match(r, method, url, &rs->route_status, rs->allow,
		                               sizeof rs->allow);
		const http_route *rt = rs->route >= 0 ? routes_at(rs->route) : NULL;
		/* a route without a body ignores one (read and dropped, bounded) */
		rs->ignore_body = !rt || rt->body == BODY_NONE;
		if (rt && rt->body == BODY_STREAM && !stream_begin(rs, rt))
			rs->ignore_body = 1;
		rs->body_cap = rt && rt->body == BODY_RAW ? (size_t)the_app->max_upload
		                                          : (size_t)the_app->max_body;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (!rs->ignore_body && !rs->streaming && cl &&
		    strtoull(cl, NULL, 10) > rs->body_cap)
			rs->too_large = 1;
		*con_cls = rs;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (rs->streaming) {
			const http_route *srt = routes_at(rs->route);
			if (rs->req.stream_err == MC_OK)
				rs->req.stream_err = routes_stream_ops(srt)->write(
				    rs->req.stream_ctx, upload_data, n, &rs->req.stream_diag);
			if (rs->req.stream_err != MC_OK) {
				rs->dropped += n;
				return rs->dropped > DISCARD_LIMIT ? MHD_NO : MHD_YES;
			}
			return MHD_YES;
		}
		if (rs->ignore_body || rs->too_large || rs->body.len + n > rs->body_cap) {
			/* read and drop the excess so the 413 can be answered on
			 * a live connection; give up on a flood */
			rs->too_large = !rs->ignore_body;
			rs->dropped += n;
			return rs->dropped > DISCARD_LIMIT ? MHD_NO : MHD_YES;
		}
		mc_buf_append(&rs->body, upload_data, n);
		return MHD_YES;
	}
	mc_resp resp = {0};
	dispatch(rs, &resp);
	double took = elapsed(&rs->start);
	metrics_record(rs->route, resp.status, took);
	const http_route *rt = routes_at(rs->route);
	log_request(rs->req.method, rt ? rt->pattern : "(no route)", resp.status, took * 1000.0);
	return queue(c, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	req_state *rs = *con_cls;
	if (!rs)
		return;
	json_decref(rs->json);
	if (rs->streaming) {
		const http_route *srt = routes_at(rs->route);
		const http_stream_ops *ops = routes_stream_ops(srt);
		if (ops->close)
			ops->close(rs->req.stream_ctx);
	}
	mc_diag_clear(&rs->req.stream_diag);
	free(rs->early_resp.body);
	for (int i = 0; i < rs->early_resp.nheaders; i++) {
		free(rs->early_resp.headers[i][0]);
		free(rs->early_resp.headers[i][1]);
	}
	mc_buf_free(&rs->body);
	mc_arena_free(rs->req.arena);
	free(rs);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

/* URL decoding that leaves a string holding "%00" undecoded: a NUL would
 * silently cut a path parameter or query value short. on_request then
 * refuses any request whose path or query still holds "%00" (the text
 * "%00" itself, sent as %2500, is refused too: a documented limit). */
static size_t on_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	if (strstr(s, "%00"))
		return strlen(s);
	return MHD_http_unescape(s);
}

static void on_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
	(void)cls;
	log_error("libmicrohttpd panic at %s:%u: %s", file, line, reason ? reason : "");
	abort();
}

int server_run(mc_app *app, const server_opts *o)
{
	the_app = app;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
	if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1) {
		fprintf(stderr, "motcua: --listen: not an IPv4 address: %s\n", o->host);
		return 2;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	MHD_set_panic_func(on_panic, NULL);

	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, 0, NULL, NULL,
	    on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
	    MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)(64 * 1024), MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "motcua: cannot listen on %s:%d\n", o->host, o->port);
		return 1;
	}
	log_info("listening on http://%s:%d with %d threads", o->host, o->port, o->threads);
	printf("motcua: serving on http://%s:%d\n", o->host, o->port);
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("signal %d: stopping", sig);
	/* stop accepting, let requests in flight finish (at most 10 s) */
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	log_info("stopped");
	return 0;
}
