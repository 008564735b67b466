/* store_sqlite.c - the SQLite backend of the store (store.h).
 *
 * One database file DATA/motcua.db in WAL mode with synchronous=FULL, so a
 * commit is on disk before sl_write returns. Writes are funnelled to one
 * writer thread which takes every queued write function, runs each inside
 * its own SAVEPOINT of one transaction and commits them together (group
 * commit): many acknowledged writes share one fsync. Reads use a pool of
 * read-only connections, each in its own snapshot transaction. */
#include "store/migrate.h"
#include "store/store_impl.h"

#include "core/date.h"
#include "core/log.h"
#include "core/mem.h"
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STMT_CACHE 96
#define READ_POOL 16
#define GROUP_MAX 128

struct store_stmt {
	const store_ops *ops;
	store_conn *conn;
	sqlite3_stmt *st;
	const char *sql; /* key in the cache (sqlite3_sql) */
	int in_use;
	int cached;
};

struct store_conn {
	const store_ops *ops;
	sqlite3 *db;
	store_stmt cache[STMT_CACHE];
	int ncache;
	int busy;          /* pool bookkeeping */
	bool writer;       /* the writer thread's connection */
	uint64_t instance; /* sl_conn_instance */
};

typedef struct write_job {
	store_fn fn;
	void *ctx;
	mc_diag *diag;
	mc_err result;
	int done;
	pthread_cond_t cv; /* signalled when done: only this caller wakes */
	struct write_job *next;
} write_job;

struct store {
	const store_ops *ops;
	char *path;
	uint64_t instance;
	store_conn *writer;
	store_conn *readers[READ_POOL];
	int nreaders;
	pthread_mutex_t pool_mu;
	pthread_cond_t pool_cv;

	pthread_mutex_t q_mu;
	pthread_cond_t q_cv; /* writer waits for jobs */
	write_job *q_head, *q_tail;
	int stopping;
	pthread_t thread;
};

static mc_err err_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return MC_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return MC_ERR_UNAVAILABLE;
	case SQLITE_CONSTRAINT:
		return MC_ERR_CONFLICT;
	case SQLITE_TOOBIG:
		return MC_ERR_TOO_LARGE;
	case SQLITE_NOMEM:
		fprintf(stderr, "motcua: sqlite out of memory\n");
		abort();
	default:
		return MC_ERR_IO;
	}
}

static mc_err exec_sql(store_conn *c, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_error("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
	}
	return err_of(rc);
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

/* Process-wide SQLite settings, before the first connection: no global
 * memory statistics (they take a global mutex on every allocation). */
static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

static mc_err conn_open(const char *path, bool writer, bool create, store_conn **out)
{
	pthread_once(&sqlite_once, sqlite_configure);
	store_conn *c = mc_xcalloc(1, sizeof *c);
	c->ops = &store_sqlite_ops;
	int flags = SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
	if (writer && create)
		flags |= SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(c->db);
		free(c);
		return MC_ERR_IO;
	}
	sqlite3_busy_timeout(c->db, 10000);
	sqlite3_extended_result_codes(c->db, 1);
	const char *pragmas = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                               "PRAGMA foreign_keys=ON; PRAGMA cache_size=-16000;"
	                             : "PRAGMA foreign_keys=ON; PRAGMA cache_size=-8000;";
	mc_err e = exec_sql(c, pragmas);
	if (e) {
		sqlite3_close(c->db);
		free(c);
		return e;
	}
	c->writer = writer;
	*out = c;
	return MC_OK;
}

static void conn_close(store_conn *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->ncache; i++)
		sqlite3_finalize(c->cache[i].st);
	sqlite3_close(c->db);
	free(c);
}

/* ---- statements ---- */

static mc_err sl_prepare(store_conn *c, const char *sql, store_stmt **out)
{
	for (int i = 0; i < c->ncache; i++) {
		store_stmt *s = &c->cache[i];
		if (!s->in_use && strcmp(s->sql, sql) == 0) {
			s->in_use = 1;
			*out = s;
			return MC_OK;
		}
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		log_error("sqlite prepare: %s: %.200s", sqlite3_errmsg(c->db), sql);
		return MC_ERR_INTERNAL;
	}
	store_stmt *s;
	if (c->ncache < STMT_CACHE) {
		s = &c->cache[c->ncache++];
		s->cached = 1;
	} else {
		s = mc_xcalloc(1, sizeof *s);
		s->cached = 0;
	}
	s->ops = &store_sqlite_ops;
	s->conn = c;
	s->st = st;
	s->sql = sqlite3_sql(st);
	s->in_use = 1;
	*out = s;
	return MC_OK;
}

static void sl_bind_text(store_stmt *st, int idx, const char *v)
{
	if (v)
		sqlite3_bind_text(st->st, idx, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, idx);
}

static void sl_bind_int(store_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->st, idx, v);
}

static void sl_bind_null(store_stmt *st, int idx)
{
	sqlite3_bind_null(st->st, idx);
}

static void sl_bind_blob(store_stmt *st, int idx, const void *p, size_t n)
{
	sqlite3_bind_blob64(st->st, idx, p, n, SQLITE_TRANSIENT);
}

static mc_err sl_step(store_stmt *st, bool *row)
{
	int rc = sqlite3_step(st->st);
	if (row)
		*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return MC_OK;
	mc_err e = err_of(rc);
	if (e != MC_ERR_CONFLICT)
		log_error("sqlite step: %s", sqlite3_errmsg(st->conn->db));
	return e;
}

static const char *sl_col_text(store_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

static int64_t sl_col_int(store_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

static bool sl_col_null(store_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static const void *sl_col_blob(store_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st->st, col);
	if (n)
		*n = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

static void sl_finish(store_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	if (st->cached) {
		st->in_use = 0;
	} else {
		sqlite3_finalize(st->st);
		free(st);
	}
}

static uint64_t sl_conn_instance(const store_conn *c)
{
	return c->instance;
}

static bool sl_conn_writable(const store_conn *c)
{
	return c->writer;
}

static int64_t sl_changes(store_conn *c)
{
	return sqlite3_changes64(c->db);
}

/* Runs a parameterless statement through the statement cache (BEGIN,
 * COMMIT, SAVEPOINT...: prepared once per connection, not per use). */
static mc_err run_cached(store_conn *c, const char *sql)
{
	store_stmt *st;
	mc_err e = sl_prepare(c, sql, &st);
	if (e)
		return e;
	e = sl_step(st, NULL);
	sl_finish(st);
	return e;
}

/* ---- text index (FTS5) ---- */

static mc_err sl_text_delete(store_conn *c, const char *index, const char *key)
{
	store_stmt *st;
	mc_err e = sl_prepare(
	    c, "DELETE FROM text_index_key WHERE idx = ?1 AND key = ?2 RETURNING docid", &st);
	if (e)
		return e;
	sl_bind_text(st, 1, index);
	sl_bind_text(st, 2, key);
	bool row;
	int64_t docid = -1;
	e = sl_step(st, &row);
	if (!e && row)
		docid = sl_col_int(st, 0);
	while (!e && row)
		e = sl_step(st, &row);
	sl_finish(st);
	if (e || docid < 0)
		return e;
	if ((e = sl_prepare(c, "DELETE FROM text_index WHERE rowid = ?1", &st)))
		return e;
	sl_bind_int(st, 1, docid);
	e = sl_step(st, NULL);
	sl_finish(st);
	return e;
}

static mc_err sl_text_put(store_conn *c, const char *index, const char *key, const char *folded)
{
	mc_err e = sl_text_delete(c, index, key);
	if (e)
		return e;
	store_stmt *st;
	if ((e = sl_prepare(c, "INSERT INTO text_index (body) VALUES (?1)", &st)))
		return e;
	sl_bind_text(st, 1, folded);
	e = sl_step(st, NULL);
	sl_finish(st);
	if (e)
		return e;
	int64_t docid = sqlite3_last_insert_rowid(c->db);
	if ((e = sl_prepare(c, "INSERT INTO text_index_key (idx, key, docid) VALUES (?1, ?2, ?3)",
	                    &st)))
		return e;
	sl_bind_text(st, 1, index);
	sl_bind_text(st, 2, key);
	sl_bind_int(st, 3, docid);
	e = sl_step(st, NULL);
	sl_finish(st);
	return e;
}

/* Builds an FTS5 query: every folded word as a quoted prefix term, ANDed.
 * Words are [a-z0-9] only after folding, so quoting makes them inert. */
static char *fts_query(const char *folded, char **phrase)
{
	mc_buf q = {0}, p = {0};
	const char *s = folded;
	int words = 0;
	while (*s && words < 16) {
		while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			s++;
		const char *w = s;
		while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			s++;
		if (s == w)
			break;
		if (words++) {
			mc_buf_puts(&q, " ");
			mc_buf_puts(&p, " ");
		}
		/* every word but the last must match whole; the last may be
		 * the beginning of a word still being typed */
		bool last = true;
		for (const char *t = s; *t; t++)
			if ((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9')) {
				last = false;
				break;
			}
		mc_buf_puts(&q, "\"");
		mc_buf_append(&q, w, (size_t)(s - w));
		mc_buf_puts(&q, last ? "\"*" : "\"");
		mc_buf_append(&p, w, (size_t)(s - w));
	}
	*phrase = mc_buf_cstr(&p);
	return q.data;
}

static mc_err sl_text_search(store_conn *c, const char *index, const char *folded_query, int limit,
                             int offset, store_text_hit hit, void *ctx)
{
	char *phrase = NULL;
	char *q = fts_query(folded_query, &phrase);
	if (!q) {
		free(phrase);
		return MC_OK;
	}
	/* Exact phrase at the start of the text first, then anywhere, then BM25. */
	store_stmt *st;
	mc_err e = sl_prepare(
	    c,
	    "SELECT k.key, bm25(text_index) AS r, "
	    "  CASE WHEN substr(t.body, 1, length(?3) + 1) = ?3 || ' ' OR t.body = ?3 THEN 0 "
	    "       WHEN instr(' ' || t.body || ' ', ' ' || ?3 || ' ') > 0 THEN 1 ELSE 2 END AS "
	    "tier "
	    "FROM text_index t CROSS JOIN text_index_key k ON k.docid = t.rowid "
	    "WHERE text_index MATCH ?1 AND k.idx = ?2 "
	    "ORDER BY tier, r, k.key LIMIT ?4 OFFSET ?5",
	    &st);
	if (e)
		goto out;
	sl_bind_text(st, 1, q);
	sl_bind_text(st, 2, index);
	sl_bind_text(st, 3, phrase);
	sl_bind_int(st, 4, limit);
	sl_bind_int(st, 5, offset);
	bool row;
	while (!(e = sl_step(st, &row)) && row) {
		double rank = sqlite3_column_double(st->st, 1) - 1000.0 * (2 - sl_col_int(st, 2));
		if (!hit(sl_col_text(st, 0), rank, ctx))
			break;
	}
	sl_finish(st);
out:
	free(q);
	free(phrase);
	return e;
}

/* ---- transactions ---- */

static void *writer_main(void *arg)
{
	store *s = arg;
	pthread_mutex_lock(&s->q_mu);
	for (;;) {
		while (!s->q_head && !s->stopping)
			pthread_cond_wait(&s->q_cv, &s->q_mu);
		if (!s->q_head && s->stopping)
			break;
		/* take up to GROUP_MAX jobs */
		write_job *batch = s->q_head, *last = batch;
		int n = 1;
		while (last->next && n < GROUP_MAX) {
			last = last->next;
			n++;
		}
		s->q_head = last->next;
		if (!s->q_head)
			s->q_tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&s->q_mu);

		store_conn *c = s->writer;
		mc_err e = run_cached(c, "BEGIN IMMEDIATE");
		for (write_job *j = batch; j; j = j->next) {
			if (e) {
				j->result = e;
				continue;
			}
			mc_err se = run_cached(c, "SAVEPOINT job");
			if (se) {
				j->result = se;
				continue;
			}
			j->result = j->fn(c, j->ctx, j->diag);
			if (j->result)
				run_cached(c, "ROLLBACK TO job");
			run_cached(c, "RELEASE job");
		}
		if (!e && (e = run_cached(c, "COMMIT")) != MC_OK) {
			exec_sql(c, "ROLLBACK");
			for (write_job *j = batch; j; j = j->next)
				if (!j->result)
					j->result = e;
		}
		pthread_mutex_lock(&s->q_mu);
		for (write_job *j = batch, *next; j; j = next) {
			next = j->next; /* j may be gone once signalled */
			j->done = 1;
			pthread_cond_signal(&j->cv);
		}
	}
	pthread_mutex_unlock(&s->q_mu);
	return NULL;
}

static mc_err sl_write(store *s, store_fn fn, void *ctx, mc_diag *diag)
{
	write_job job = {.fn = fn, .ctx = ctx, .diag = diag};
	pthread_cond_init(&job.cv, NULL);
	pthread_mutex_lock(&s->q_mu);
	if (s->stopping) {
		pthread_mutex_unlock(&s->q_mu);
		pthread_cond_destroy(&job.cv);
		return mc_fail(diag, MC_ERR_UNAVAILABLE, "the store is shutting down");
	}
	if (s->q_tail)
		s->q_tail->next = &job;
	else
		s->q_head = &job;
	s->q_tail = &job;
	pthread_cond_signal(&s->q_cv);
	while (!job.done)
		pthread_cond_wait(&job.cv, &s->q_mu);
	pthread_mutex_unlock(&s->q_mu);
	pthread_cond_destroy(&job.cv);
	return job.result;
}

static store_conn *pool_take(store *s)
{
	pthread_mutex_lock(&s->pool_mu);
	store_conn *c = NULL;
	for (;;) {
		for (int i = 0; i < s->nreaders; i++) {
			if (!s->readers[i]->busy) {
				c = s->readers[i];
				break;
			}
		}
		if (!c && s->nreaders < READ_POOL) {
			if (conn_open(s->path, false, false, &c) == MC_OK) {
				c->instance = s->instance;
				s->readers[s->nreaders++] = c;
			}
		}
		if (c)
			break;
		pthread_cond_wait(&s->pool_cv, &s->pool_mu);
	}
	c->busy = 1;
	pthread_mutex_unlock(&s->pool_mu);
	return c;
}

static void pool_give(store *s, store_conn *c)
{
	pthread_mutex_lock(&s->pool_mu);
	c->busy = 0;
	pthread_cond_signal(&s->pool_cv);
	pthread_mutex_unlock(&s->pool_mu);
}

static mc_err sl_read(store *s, store_fn fn, void *ctx, mc_diag *diag)
{
	store_conn *c = pool_take(s);
	mc_err e = run_cached(c, "BEGIN");
	if (!e) {
		e = fn(c, ctx, diag);
		run_cached(c, "COMMIT");
	}
	pool_give(s, c);
	return e;
}

/* ---- open, migrate, close ---- */

static mc_err sl_open(const char *url, bool create, store **out, mc_diag *diag)
{
	char *path;
	if (strncmp(url, "sqlite:", 7) == 0)
		path = mc_xstrdup(url + 7);
	else {
		struct stat sb;
		if (stat(url, &sb) != 0) {
			if (!create)
				return mc_fail(diag, MC_ERR_NOT_FOUND, "no data directory at %s",
				               url);
			if (mkdir(url, 0750) != 0)
				return mc_fail(diag, MC_ERR_IO, "cannot create %s: %s", url,
				               strerror(errno));
		} else if (!S_ISDIR(sb.st_mode)) {
			return mc_fail(diag, MC_ERR_INVALID, "%s is not a directory", url);
		}
		path = mc_xasprintf("%s/motcua.db", url);
		if (!create && stat(path, &sb) != 0) {
			free(path);
			return mc_fail(diag, MC_ERR_NOT_FOUND,
			               "%s is not a motcua data directory (run motcua init)", url);
		}
	}
	store *s = mc_xcalloc(1, sizeof *s);
	s->ops = &store_sqlite_ops;
	s->path = path;
	pthread_mutex_init(&s->pool_mu, NULL);
	pthread_cond_init(&s->pool_cv, NULL);
	pthread_mutex_init(&s->q_mu, NULL);
	pthread_cond_init(&s->q_cv, NULL);
	s->instance = store_next_instance();
	mc_err e = conn_open(path, true, create, &s->writer);
	if (!e)
		s->writer->instance = s->instance;
	if (e) {
		mc_fail(diag, e, "cannot open database %s", path);
		free(s->path);
		free(s);
		return e;
	}
	e = exec_sql(s->writer,
	             "CREATE TABLE IF NOT EXISTS schema_migration ("
	             "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
	if (e) {
		conn_close(s->writer);
		free(s->path);
		free(s);
		return mc_fail(diag, e, "cannot initialise database %s", path);
	}
	pthread_create(&s->thread, NULL, writer_main, s);
	*out = s;
	return MC_OK;
}

static void sl_close(store *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->q_mu);
	s->stopping = 1;
	pthread_cond_signal(&s->q_cv);
	pthread_mutex_unlock(&s->q_mu);
	pthread_join(s->thread, NULL);
	for (int i = 0; i < s->nreaders; i++)
		conn_close(s->readers[i]);
	exec_sql(s->writer, "PRAGMA wal_checkpoint(TRUNCATE)");
	conn_close(s->writer);
	free(s->path);
	free(s);
}

struct migrate_ctx {
	const store_migration *m;
};

static mc_err apply_one(store_conn *c, void *ctx, mc_diag *diag)
{
	struct migrate_ctx *mc = ctx;
	mc_err e = exec_sql(c, mc->m->sql);
	if (e)
		return mc_fail(diag, e, "migration %s failed", mc->m->name);
	char ver[16], ts[32];
	snprintf(ver, sizeof ver, "%d", mc->m->version);
	const char *p[] = {ver, mc->m->name, ts_format(ts_now(), ts)};
	return store_execv(
	    c, "INSERT INTO schema_migration (version, name, applied_at) VALUES (?1, ?2, ?3)", 3,
	    p);
}

static int sl_schema_version(store *s)
{
	store_stmt *st;
	int v = 0;
	/* the writer connection is only touched by the writer thread once it
	 * runs, so read through the pool */
	store_conn *c = pool_take(s);
	if (sl_prepare(c, "SELECT coalesce(max(version), 0) FROM schema_migration", &st) == MC_OK) {
		bool row;
		if (sl_step(st, &row) == MC_OK && row)
			v = (int)sl_col_int(st, 0);
		sl_finish(st);
	}
	pool_give(s, c);
	return v;
}

static mc_err sl_migrate(store *s, int *applied, mc_diag *diag)
{
	int have[512], nhave = 0, n = 0;
	store_conn *c = pool_take(s);
	store_stmt *st;
	if (sl_prepare(c, "SELECT version FROM schema_migration ORDER BY version", &st) == MC_OK) {
		bool row;
		while (sl_step(st, &row) == MC_OK && row && nhave < 512)
			have[nhave++] = (int)sl_col_int(st, 0);
		sl_finish(st);
	}
	pool_give(s, c);
	const store_migration *todo[512];
	int k = store_pending_migrations("sqlite", have, nhave, todo, 512);
	for (int i = 0; i < k; i++) {
		struct migrate_ctx ctx = {todo[i]};
		mc_err e = sl_write(s, apply_one, &ctx, diag);
		if (e)
			return e;
		n++;
	}
	if (applied)
		*applied = n;
	return MC_OK;
}

static mc_err optimize_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)ctx;
	mc_err e = exec_sql(c, "INSERT INTO text_index (text_index) VALUES ('optimize')");
	if (!e)
		e = exec_sql(c, "PRAGMA optimize");
	return e ? mc_fail(diag, e, "optimize failed") : MC_OK;
}

static mc_err sl_optimize(store *s, mc_diag *diag)
{
	return sl_write(s, optimize_fn, NULL, diag);
}

static mc_err sl_backup(store *s, const char *path, mc_diag *diag)
{
	sqlite3 *dst = NULL;
	store_conn *c = pool_take(s);
	mc_err e = MC_OK;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		e = mc_fail(diag, MC_ERR_IO, "cannot create %s", path);
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
	if (!b) {
		e = mc_fail(diag, MC_ERR_IO, "backup failed: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		e = mc_fail(diag, MC_ERR_IO, "backup failed: %s", sqlite3_errstr(rc));
out:
	sqlite3_close(dst);
	pool_give(s, c);
	return e;
}

/* Copies the backup file into the database with SQLite's backup API (so
 * the WAL and every page are replaced consistently). */
static mc_err sl_restore(const char *url, const char *path, mc_diag *diag)
{
	char *dbpath = strncmp(url, "sqlite:", 7) == 0 ? mc_xstrdup(url + 7)
	                                               : mc_xasprintf("%s/motcua.db", url);
	sqlite3 *src = NULL, *dst = NULL;
	mc_err e = MC_OK;
	pthread_once(&sqlite_once, sqlite_configure);
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		e = mc_fail(diag, MC_ERR_NOT_FOUND, "cannot open backup %s", path);
		goto out;
	}
	if (sqlite3_open_v2(dbpath, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		e = mc_fail(diag, MC_ERR_IO, "cannot open %s", dbpath);
		goto out;
	}
	sqlite3_busy_timeout(dst, 10000);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		e = mc_fail(diag, MC_ERR_IO, "restore failed: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		e = mc_fail(diag, MC_ERR_IO, "restore failed: %s", sqlite3_errstr(rc));
	else
		sqlite3_exec(dst, "PRAGMA journal_mode=WAL; PRAGMA wal_checkpoint(TRUNCATE)", NULL,
		             NULL, NULL);
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	free(dbpath);
	return e;
}

static bool sl_accepts(const char *url)
{
	return !store_url_is_pg(url);
}

static void sl_set_pool(store *s, int n)
{
	(void)s;
	(void)n; /* readers are opened on demand, up to READ_POOL */
}

const store_ops store_sqlite_ops = {
    .name = "sqlite",
    .accepts = sl_accepts,
    .open = sl_open,
    .close = sl_close,
    .set_pool = sl_set_pool,
    .migrate = sl_migrate,
    .schema_version = sl_schema_version,
    .read = sl_read,
    .write = sl_write,
    .prepare = sl_prepare,
    .bind_text = sl_bind_text,
    .bind_int = sl_bind_int,
    .bind_null = sl_bind_null,
    .bind_blob = sl_bind_blob,
    .step = sl_step,
    .col_text = sl_col_text,
    .col_int = sl_col_int,
    .col_null = sl_col_null,
    .col_blob = sl_col_blob,
    .finish = sl_finish,
    .conn_writable = sl_conn_writable,
    .conn_instance = sl_conn_instance,
    .changes = sl_changes,
    .text_put = sl_text_put,
    .text_delete = sl_text_delete,
    .text_search = sl_text_search,
    .optimize = sl_optimize,
    .backup = sl_backup,
    .restore = sl_restore,
};
