/* baseline.c - the benchmark's reference servers: the least a C server with
 * the same libraries can do. Not part of motcua.
 *   baseline get DB PORT     GET /p/{code}: one stored JSON blob by key
 *   baseline insert DB PORT  POST /i: one durable INSERT (WAL, synchronous
 *                            FULL) per request, answering 201
 * Same libmicrohttpd threading as motcua (epoll, thread pool of 4). */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *db_path;
static int insert_mode;
static pthread_mutex_t write_mu = PTHREAD_MUTEX_INITIALIZER;
static __thread sqlite3 *tdb;

static sqlite3 *thread_db(void)
{
	if (!tdb) {
		sqlite3_open_v2(db_path, &tdb, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
		sqlite3_busy_timeout(tdb, 10000);
		sqlite3_exec(tdb, "PRAGMA synchronous=FULL", 0, 0, 0);
	}
	return tdb;
}

static enum MHD_Result reply(struct MHD_Connection *c, int status, const char *body, size_t n)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(n, (void *)body, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **state)
{
	(void)cls;
	(void)method;
	(void)version;
	(void)data;
	if (!*state) {
		*state = (void *)1;
		return MHD_YES;
	}
	if (*size) {
		*size = 0;
		return MHD_YES;
	}
	sqlite3 *db = thread_db();
	sqlite3_stmt *st;
	if (insert_mode) {
		pthread_mutex_lock(&write_mu);
		sqlite3_prepare_v2(db, "INSERT INTO item (body) VALUES ('{\"x\":1}')", -1, &st,
		                   NULL);
		sqlite3_step(st);
		sqlite3_finalize(st);
		pthread_mutex_unlock(&write_mu);
		return reply(c, 201, "{\"ok\":true}", 11);
	}
	const char *code = strrchr(url, '/');
	sqlite3_prepare_v2(db, "SELECT body FROM item WHERE code = ?1", -1, &st, NULL);
	sqlite3_bind_text(st, 1, code ? code + 1 : "", -1, SQLITE_STATIC);
	enum MHD_Result ret;
	if (sqlite3_step(st) == SQLITE_ROW)
		ret = reply(c, 200, (const char *)sqlite3_column_text(st, 0),
		            (size_t)sqlite3_column_bytes(st, 0));
	else
		ret = reply(c, 404, "{}", 2);
	sqlite3_finalize(st);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: baseline get|insert DB PORT\n");
		return 2;
	}
	insert_mode = strcmp(argv[1], "insert") == 0;
	db_path = argv[2];
	sqlite3 *db;
	sqlite3_open(db_path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL", 0, 0, 0);
	sqlite3_exec(
	    db,
	    "CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, code TEXT UNIQUE, body TEXT)",
	    0, 0, 0);
	sqlite3_close(db);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	struct MHD_Daemon *d =
	    MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO,
	                     (uint16_t)atoi(argv[3]), NULL, NULL, handler, NULL,
	                     MHD_OPTION_THREAD_POOL_SIZE, 4u, MHD_OPTION_END);
	if (!d)
		return 1;
	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
