/* store_pg.c - the PostgreSQL backend of the store (store.h), on libpq.
 *
 * A pool of connections (size set by store_set_pool, serve: --threads + 2)
 * shared by reads and writes. Statements: the portable SQL of a module
 * ("?N" placeholders) is translated to "$N" once per connection and cached
 * by its text; the server-side prepared statement is made on first step,
 * with parameter types taken from the store_bind_* calls (int8 for
 * store_bind_int, text for store_bind_text, bytea in binary for blobs,
 * unknown for NULL), one prepared variant per type signature.
 *
 * Reads: BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY (one snapshot).
 * Writes: BEGIN (READ COMMITTED), then pg_advisory_xact_lock on one
 * database-wide key: writers of every process are serialised exactly like
 * SQLite's single writer, and each statement sees every transaction that
 * committed before the lock was taken. Modules keep the invariants they
 * rely on (gap-free daily dossier codes, idempotency keys, the audit hash
 * chain, row_version checks) without knowing the backend. COMMIT returns
 * once durable (synchronous_commit is forced on per connection).
 *
 * Retries: a write function is re-run (fresh transaction, possibly a fresh
 * connection) after a serialization failure (40001), a deadlock (40P01), a
 * unique violation (23505, once: a race a retry resolves), or a connection
 * lost before COMMIT was sent (including one to a server that turned
 * read-only, 25006, as a demoted primary during a failover does). A
 * connection lost during COMMIT is not retried (the outcome is unknown):
 * the caller gets MC_ERR_UNAVAILABLE, as when retries run out. Reads retry
 * only the BEGIN (a stale pooled
 * connection); a read that loses its connection midway returns
 * MC_ERR_UNAVAILABLE. HTTP maps MC_ERR_UNAVAILABLE to 503 + Retry-After. */
#include "store/migrate.h"
#include "store/store_impl.h"

#include "core/date.h"
#include "core/log.h"
#include "core/mem.h"
#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POOL_DEFAULT 8
#define POOL_MAX 256
#define STMT_CACHE 192
#define MAX_PARAMS 100
#define VARIANTS 4
#define WRITE_ATTEMPTS 10
#define READ_ATTEMPTS 3
/* pg_advisory_xact_lock key of the writer lock: "motcua" in ASCII */
#define WRITER_LOCK "109111116099117097"

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25

typedef struct variant {
	char sig[MAX_PARAMS + 1]; /* per parameter: t text, i int8, b bytea, n null */
	char name[16];            /* server-side prepared statement */
} variant;

struct store_stmt {
	const store_ops *ops;
	store_conn *conn;
	char *sql;   /* portable SQL, the cache key */
	char *pgsql; /* translated: $N placeholders */
	unsigned hash;
	int nparams;
	variant var[VARIANTS];
	int nvar;
	char *vals[MAX_PARAMS];
	int lens[MAX_PARAMS];
	int fmts[MAX_PARAMS];
	char sig[MAX_PARAMS + 1];
	PGresult *res;
	int row, nrows;
	unsigned char *blob; /* unescaped bytea of the current row */
	int in_use, cached;
};

struct store_conn {
	const store_ops *ops;
	store *s;
	PGconn *pg;
	store_stmt *cache[STMT_CACHE];
	int ncache;
	unsigned nprepared;
	int busy;
	bool writer;
	bool broken;      /* the connection failed: reconnect before reuse */
	bool pending;     /* a ROLLBACK was sent and its result not read yet */
	char sqlstate[6]; /* of the last failed statement in this transaction */
	int64_t changes;
	uint64_t instance;
};

struct store {
	const store_ops *ops;
	char *url;
	uint64_t instance;
	store_conn *conns[POOL_MAX];
	int nconns, opening, max;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static bool pg_accepts(const char *url)
{
	return store_url_is_pg(url);
}

/* ---- errors ---- */

static bool state_is(const store_conn *c, const char *code)
{
	return strcmp(c->sqlstate, code) == 0;
}

/* Lost, or pointing at a server that can no longer take writes: a former
 * primary that was demoted, or a proxy that routed us to a standby during a
 * failover (25006 read-only transaction). Either way a new connection is the
 * remedy. */
static bool conn_lost(const store_conn *c)
{
	return c->broken || !strncmp(c->sqlstate, "08", 2) || state_is(c, "57P01") ||
	       state_is(c, "57P02") || state_is(c, "57P03") || state_is(c, "25006");
}

/* A failure that a new transaction may not meet again. */
static bool transient(const store_conn *c)
{
	return conn_lost(c) || state_is(c, "40001") || state_is(c, "40P01") ||
	       !strncmp(c->sqlstate, "53", 2) || state_is(c, "57014") || state_is(c, "55P03");
}

/* Records the SQLSTATE of a failed result and maps it to an mc_err. */
static mc_err fail_of(store_conn *c, PGresult *r, const char *what)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(c->sqlstate, sizeof c->sqlstate, "%s", st ? st : "");
	if (!st || PQstatus(c->pg) != CONNECTION_OK)
		c->broken = true;
	if (conn_lost(c))
		c->broken = true;
	if (transient(c))
		return MC_ERR_UNAVAILABLE;
	if (!strncmp(c->sqlstate, "23", 2))
		return MC_ERR_CONFLICT;
	if (state_is(c, "22001") || !strncmp(c->sqlstate, "54", 2))
		return MC_ERR_TOO_LARGE;
	if (!strncmp(c->sqlstate, "22", 2))
		return MC_ERR_INVALID; /* data exception: e.g. bytes that are not UTF-8 */
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
	log_error("postgresql %s: %s %s", what, c->sqlstate, msg);
	if (!strncmp(c->sqlstate, "42", 2))
		return MC_ERR_INTERNAL;
	return MC_ERR_IO;
}

/* Runs parameterless SQL (BEGIN, COMMIT, migration files) with the simple
 * protocol. */
static mc_err exec_simple(store_conn *c, const char *sql)
{
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	mc_err e = MC_OK;
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
		e = fail_of(c, r, "exec");
	PQclear(r);
	return e;
}

/* ---- connections ---- */

static void stmt_free(store_stmt *st)
{
	PQclear(st->res);
	PQfreemem(st->blob);
	for (int i = 0; i < st->nparams; i++)
		free(st->vals[i]);
	free(st->sql);
	free(st->pgsql);
	free(st);
}

static void conn_drop_cache(store_conn *c)
{
	for (int i = 0; i < c->ncache; i++)
		stmt_free(c->cache[i]);
	c->ncache = 0;
}

/* Connects with the URL; application_name and connect_timeout are
 * defaults the URL may override. */
static PGconn *pg_connect(const char *url)
{
	const char *keys[] = {"application_name", "connect_timeout", "dbname", NULL};
	const char *vals[] = {"motcua", "5", url, NULL};
	return PQconnectdbParams(keys, vals, 1);
}

static mc_err conn_setup(store_conn *c)
{
	if (PQstatus(c->pg) != CONNECTION_OK) {
		c->broken = true;
		return MC_ERR_UNAVAILABLE;
	}
	c->broken = false;
	c->sqlstate[0] = '\0';
	return exec_simple(c, "SET synchronous_commit = on; SET client_min_messages = warning");
}

/* Replaces a failed connection with a new one (its prepared statements
 * went with it). */
static mc_err conn_reconnect(store_conn *c)
{
	c->pending = false;
	conn_drop_cache(c);
	PQfinish(c->pg);
	c->pg = pg_connect(c->s->url);
	return conn_setup(c);
}

/* Reads the result of the ROLLBACK that ended the last read, sent without
 * waiting so that a read costs one round trip less. */
static void conn_drain(store_conn *c)
{
	if (!c->pending)
		return;
	c->pending = false;
	PGresult *r;
	while ((r = PQgetResult(c->pg))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			c->broken = true;
		PQclear(r);
	}
	if (PQstatus(c->pg) != CONNECTION_OK || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		c->broken = true;
}

static void conn_close(store_conn *c)
{
	if (!c)
		return;
	conn_drain(c);
	conn_drop_cache(c);
	PQfinish(c->pg);
	free(c);
}

static store_conn *conn_new(store *s)
{
	store_conn *c = mc_xcalloc(1, sizeof *c);
	c->ops = &store_pg_ops;
	c->s = s;
	c->instance = s->instance;
	c->pg = pg_connect(s->url);
	if (conn_setup(c) != MC_OK)
		log_error("postgresql: cannot connect: %s", PQerrorMessage(c->pg));
	return c;
}

/* Connections of any store held by this thread: a thread that already holds
 * one (a read inside a write function, say) never waits for another, or N
 * such threads could wait for each other forever. */
static _Thread_local int held;

/* Takes a connection from the pool, opening one when under the cap.
 * A broken connection is reconnected here; the caller checks c->broken. */
static store_conn *pool_take(store *s)
{
	pthread_mutex_lock(&s->mu);
	store_conn *c = NULL;
	for (;;) {
		for (int i = 0; i < s->nconns; i++)
			if (!s->conns[i]->busy) {
				c = s->conns[i];
				break;
			}
		if (c)
			break;
		if (s->nconns + s->opening < s->max ||
		    (held > 0 && s->nconns + s->opening < POOL_MAX)) {
			s->opening++;
			pthread_mutex_unlock(&s->mu);
			store_conn *n = conn_new(s); /* outside the lock: it waits on the network */
			pthread_mutex_lock(&s->mu);
			s->opening--;
			n->busy = 1;
			s->conns[s->nconns++] = n;
			pthread_mutex_unlock(&s->mu);
			held++;
			return n;
		}
		pthread_cond_wait(&s->cv, &s->mu);
	}
	c->busy = 1;
	pthread_mutex_unlock(&s->mu);
	held++;
	conn_drain(c);
	if (c->broken || PQstatus(c->pg) != CONNECTION_OK)
		conn_reconnect(c);
	return c;
}

static void pool_give(store *s, store_conn *c)
{
	pthread_mutex_lock(&s->mu);
	c->busy = 0;
	c->writer = false;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	held--;
}

/* ---- statements ---- */

static unsigned hash_of(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* "?N" -> "$N" outside string literals and quoted identifiers. Sets the
 * highest N in *nparams. */
static char *translate(const char *sql, int *nparams)
{
	mc_buf b = {0};
	int max = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			int n = 0;
			mc_buf_puts(&b, "$");
			while (p[1] >= '0' && p[1] <= '9') {
				n = n * 10 + (p[1] - '0');
				mc_buf_append(&b, p + 1, 1);
				p++;
			}
			if (n > max)
				max = n;
			continue;
		}
		mc_buf_append(&b, p, 1);
	}
	*nparams = max;
	return mc_buf_cstr(&b);
}

static mc_err pg_prepare(store_conn *c, const char *sql, store_stmt **out)
{
	unsigned h = hash_of(sql);
	for (int i = 0; i < c->ncache; i++) {
		store_stmt *s = c->cache[i];
		if (!s->in_use && s->hash == h && strcmp(s->sql, sql) == 0) {
			s->in_use = 1;
			*out = s;
			return MC_OK;
		}
	}
	store_stmt *s = mc_xcalloc(1, sizeof *s);
	s->ops = &store_pg_ops;
	s->conn = c;
	s->sql = mc_xstrdup(sql);
	s->hash = h;
	s->pgsql = translate(sql, &s->nparams);
	if (s->nparams > MAX_PARAMS) {
		log_error("postgresql prepare: more than %d parameters: %.200s", MAX_PARAMS, sql);
		stmt_free(s);
		return MC_ERR_INTERNAL;
	}
	memset(s->sig, 'n', (size_t)s->nparams);
	s->sig[s->nparams] = '\0';
	s->in_use = 1;
	if (c->ncache < STMT_CACHE) {
		c->cache[c->ncache++] = s;
		s->cached = 1;
	}
	*out = s;
	return MC_OK;
}

static void set_param(store_stmt *st, int idx, char *v, int len, int fmt, char type)
{
	if (idx < 1 || idx > st->nparams) {
		free(v);
		return;
	}
	free(st->vals[idx - 1]);
	st->vals[idx - 1] = v;
	st->lens[idx - 1] = len;
	st->fmts[idx - 1] = fmt;
	st->sig[idx - 1] = type;
}

static void pg_bind_text(store_stmt *st, int idx, const char *v)
{
	if (v)
		set_param(st, idx, mc_xstrdup(v), 0, 0, 't');
	else
		set_param(st, idx, NULL, 0, 0, 'n');
}

static void pg_bind_int(store_stmt *st, int idx, int64_t v)
{
	set_param(st, idx, mc_xasprintf("%lld", (long long)v), 0, 0, 'i');
}

static void pg_bind_null(store_stmt *st, int idx)
{
	set_param(st, idx, NULL, 0, 0, 'n');
}

static void pg_bind_blob(store_stmt *st, int idx, const void *p, size_t n)
{
	char *v = mc_xmalloc(n ? n : 1);
	if (n)
		memcpy(v, p, n);
	set_param(st, idx, v, (int)n, 1, 'b');
}

static Oid oid_of(char t)
{
	switch (t) {
	case 't':
		return OID_TEXT;
	case 'i':
		return OID_INT8;
	case 'b':
		return OID_BYTEA;
	default:
		return 0; /* NULL: the server infers the type */
	}
}

/* A prepared variant whose types fit the current binds (NULL fits any). */
static const variant *variant_for(store_stmt *st)
{
	for (int v = 0; v < st->nvar; v++) {
		const char *p = st->var[v].sig;
		int i = 0;
		for (; i < st->nparams; i++)
			if (st->sig[i] != 'n' && p[i] != 'n' && p[i] != st->sig[i])
				break;
			else if (st->sig[i] != 'n' && p[i] == 'n')
				break; /* an inferred type may not be the bound one */
		if (i == st->nparams)
			return &st->var[v];
	}
	return NULL;
}

static mc_err execute(store_stmt *st)
{
	store_conn *c = st->conn;
	Oid types[MAX_PARAMS];
	for (int i = 0; i < st->nparams; i++)
		types[i] = oid_of(st->sig[i]);
	PGresult *r;
	const char *const *vals = (const char *const *)st->vals;
	if (!st->cached) {
		r = PQexecParams(c->pg, st->pgsql, st->nparams, types, vals, st->lens, st->fmts, 0);
	} else {
		const variant *v = variant_for(st);
		if (!v) {
			bool added = st->nvar < VARIANTS;
			variant *nv = &st->var[added ? st->nvar++ : VARIANTS - 1];
			snprintf(nv->name, sizeof nv->name, "m%u", ++c->nprepared);
			memcpy(nv->sig, st->sig, (size_t)st->nparams + 1);
			PGresult *p = PQprepare(c->pg, nv->name, st->pgsql, st->nparams, types);
			if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) {
				mc_err e = fail_of(c, p, "prepare");
				if (e == MC_ERR_INTERNAL || e == MC_ERR_IO)
					log_error("postgresql prepare failed: %.300s", st->pgsql);
				PQclear(p);
				nv->name[0] = '\0';
				if (added)
					st->nvar--;
				return e;
			}
			PQclear(p);
			v = nv;
		}
		r = PQexecPrepared(c->pg, v->name, st->nparams, vals, st->lens, st->fmts, 0);
	}
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
		mc_err e = fail_of(c, r, "step");
		if (e == MC_ERR_INTERNAL || e == MC_ERR_IO)
			log_error("postgresql statement failed: %.300s", st->pgsql);
		PQclear(r);
		return e;
	}
	st->res = r;
	st->nrows = t == PGRES_TUPLES_OK ? PQntuples(r) : 0;
	st->row = -1;
	const char *n = PQcmdTuples(r);
	c->changes = n && *n ? strtoll(n, NULL, 10) : 0;
	return MC_OK;
}

static mc_err pg_step(store_stmt *st, bool *row)
{
	PQfreemem(st->blob);
	st->blob = NULL;
	if (!st->res) {
		mc_err e = execute(st);
		if (e) {
			if (row)
				*row = false;
			return e;
		}
	}
	if (st->row < st->nrows)
		st->row++;
	if (row)
		*row = st->row < st->nrows;
	return MC_OK;
}

static bool valid(store_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 &&
	       col < PQnfields(st->res);
}

static const char *pg_col_text(store_stmt *st, int col)
{
	if (!valid(st, col) || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static int64_t pg_col_int(store_stmt *st, int col)
{
	const char *v = pg_col_text(st, col);
	if (!v)
		return 0;
	if (PQftype(st->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static bool pg_col_null(store_stmt *st, int col)
{
	return !valid(st, col) || PQgetisnull(st->res, st->row, col);
}

static const void *pg_col_blob(store_stmt *st, int col, size_t *n)
{
	const char *v = pg_col_text(st, col);
	if (!v) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (PQftype(st->res, col) != OID_BYTEA) {
		if (n)
			*n = (size_t)PQgetlength(st->res, st->row, col);
		return v;
	}
	PQfreemem(st->blob);
	size_t len = 0;
	st->blob = PQunescapeBytea((const unsigned char *)v, &len);
	if (n)
		*n = len;
	return st->blob;
}

static void pg_finish(store_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	PQfreemem(st->blob);
	st->blob = NULL;
	for (int i = 0; i < st->nparams; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
		st->sig[i] = 'n';
	}
	if (st->cached)
		st->in_use = 0;
	else
		stmt_free(st);
}

static bool pg_conn_writable(const store_conn *c)
{
	return c->writer;
}

static uint64_t pg_conn_instance(const store_conn *c)
{
	return c->instance;
}

static int64_t pg_changes(store_conn *c)
{
	return c->changes;
}

/* ---- text index: tsvector ('simple' configuration) + GIN ---- */

static bool word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/* Folded text reduced to words of [a-z0-9] separated by one space, so that
 * the 'simple' parser sees the same words as the SQLite tokenizer. */
static char *words_of(const char *folded)
{
	mc_buf b = {0};
	const char *s = folded ? folded : "";
	for (;;) {
		while (*s && !word_char(*s))
			s++;
		if (!*s)
			break;
		const char *w = s;
		while (word_char(*s))
			s++;
		if (b.len)
			mc_buf_puts(&b, " ");
		mc_buf_append(&b, w, (size_t)(s - w));
	}
	return mc_buf_cstr(&b);
}

static mc_err run1(store_conn *c, const char *sql, const char *a, const char *b)
{
	store_stmt *st;
	mc_err e = pg_prepare(c, sql, &st);
	if (e)
		return e;
	pg_bind_text(st, 1, a);
	if (b)
		pg_bind_text(st, 2, b);
	e = pg_step(st, NULL);
	pg_finish(st);
	return e;
}

static mc_err pg_text_delete(store_conn *c, const char *index, const char *key)
{
	return run1(c,
	            "WITH k AS (DELETE FROM text_index_key WHERE idx = ?1 AND key = ?2 "
	            "RETURNING docid) DELETE FROM text_index WHERE id IN (SELECT docid FROM k)",
	            index, key);
}

static mc_err pg_text_put(store_conn *c, const char *index, const char *key, const char *folded)
{
	mc_err e = pg_text_delete(c, index, key);
	if (e)
		return e;
	store_stmt *st;
	if ((e = pg_prepare(c,
	                    "WITH t AS (INSERT INTO text_index (body) VALUES (?3) RETURNING id) "
	                    "INSERT INTO text_index_key (idx, key, docid) SELECT ?1, ?2, id FROM t",
	                    &st)))
		return e;
	char *body = words_of(folded);
	pg_bind_text(st, 1, index);
	pg_bind_text(st, 2, key);
	pg_bind_text(st, 3, body);
	e = pg_step(st, NULL);
	pg_finish(st);
	free(body);
	return e;
}

/* tsquery: every word ANDed, the last as a prefix (it may still be being
 * typed), at most 16 words; the plain phrase for the ranking tiers. */
static char *ts_query(const char *folded, char **phrase)
{
	char *w = words_of(folded);
	mc_buf q = {0}, p = {0};
	int words = 0;
	for (char *s = w; *s && words < 16;) {
		char *e = strchr(s, ' ');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (words++) {
			mc_buf_puts(&q, " & ");
			mc_buf_puts(&p, " ");
		}
		mc_buf_append(&q, s, n);
		mc_buf_append(&p, s, n);
		if (!e || words == 16)
			mc_buf_puts(&q, ":*");
		s = e ? e + 1 : s + n;
	}
	free(w);
	*phrase = mc_buf_cstr(&p);
	return q.data;
}

static mc_err pg_text_search(store_conn *c, const char *index, const char *folded_query, int limit,
                             int offset, store_text_hit hit, void *ctx)
{
	char *phrase = NULL;
	char *q = ts_query(folded_query, &phrase);
	if (!q) {
		free(phrase);
		return MC_OK;
	}
	/* Exact phrase at the start of the text first, then anywhere, then
	 * ts_rank (higher better); rank reported like the SQLite backend's
	 * (lower is better). */
	store_stmt *st;
	mc_err e = pg_prepare(
	    c,
	    "SELECT k.key, ts_rank(t.tsv, q.q)::float8 AS r, "
	    "  CASE WHEN t.body = ?3 OR substr(t.body, 1, length(?3) + 1) = ?3 || ' ' THEN 0 "
	    "       WHEN position(' ' || ?3 || ' ' IN ' ' || t.body || ' ') > 0 THEN 1 "
	    "       ELSE 2 END AS tier "
	    "FROM (SELECT to_tsquery('simple', ?1) AS q) q, text_index t "
	    "JOIN text_index_key k ON k.docid = t.id "
	    "WHERE t.tsv @@ q.q AND k.idx = ?2 "
	    "ORDER BY tier, r DESC, k.key LIMIT ?4 OFFSET ?5",
	    &st);
	if (e)
		goto out;
	pg_bind_text(st, 1, q);
	pg_bind_text(st, 2, index);
	pg_bind_text(st, 3, phrase);
	pg_bind_int(st, 4, limit);
	pg_bind_int(st, 5, offset);
	bool row;
	while (!(e = pg_step(st, &row)) && row) {
		const char *r = pg_col_text(st, 1);
		double rank = -(r ? strtod(r, NULL) : 0) - 1000.0 * (2 - pg_col_int(st, 2));
		if (!hit(pg_col_text(st, 0), rank, ctx))
			break;
	}
	pg_finish(st);
out:
	free(q);
	free(phrase);
	return e;
}

/* ---- transactions ---- */

/* Sleeps a random 1..2^attempt ms (at most 128 ms) so that retrying
 * writers do not collide again. */
static void backoff(int attempt)
{
	unsigned cap = 1u << (attempt < 7 ? attempt : 7);
	struct timespec ts = {0, (long)(1 + (unsigned)rand() % cap) * 1000000L};
	nanosleep(&ts, NULL);
}

static mc_err pg_read(store *s, store_fn fn, void *ctx, mc_diag *diag)
{
	store_conn *c = pool_take(s);
	mc_err e = MC_ERR_UNAVAILABLE;
	for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
		if (c->broken && conn_reconnect(c) != MC_OK) {
			backoff(attempt + 3);
			continue;
		}
		c->sqlstate[0] = '\0';
		e = exec_simple(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
		if (!e || !c->broken)
			break;
	}
	if (e) {
		pool_give(s, c);
		return mc_fail(diag, MC_ERR_UNAVAILABLE, "the database is unavailable; retry");
	}
	e = fn(c, ctx, diag);
	if (c->broken || (c->sqlstate[0] && transient(c)))
		e = mc_fail(diag, MC_ERR_UNAVAILABLE, "the database is unavailable; retry");
	/* read only: nothing to commit; the next user of the connection reads
	 * the ROLLBACK's answer (conn_drain) */
	if (!c->broken)
		c->pending = PQsendQuery(c->pg, "ROLLBACK") == 1;
	pool_give(s, c);
	return e;
}

static mc_err pg_write(store *s, store_fn fn, void *ctx, mc_diag *diag)
{
	mc_err e = MC_ERR_UNAVAILABLE;
	int unique_retries = 0;
	for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
		if (attempt)
			backoff(attempt);
		store_conn *c = pool_take(s);
		if (c->broken && conn_reconnect(c) != MC_OK) {
			pool_give(s, c);
			e = MC_ERR_UNAVAILABLE;
			continue;
		}
		c->sqlstate[0] = '\0';
		e = exec_simple(c, "BEGIN; SELECT pg_advisory_xact_lock(" WRITER_LOCK ")");
		if (e) {
			if (!c->broken)
				exec_simple(c, "ROLLBACK");
			pool_give(s, c);
			if (e == MC_ERR_UNAVAILABLE)
				continue;
			return mc_fail(diag, e, "cannot begin a transaction");
		}
		c->writer = true;
		if (attempt)
			mc_diag_clear(diag);
		e = fn(c, ctx, diag);
		bool failed_tx = PQtransactionStatus(c->pg) == PQTRANS_INERROR;
		if (!e && !failed_tx && !c->broken) {
			PGresult *r = PQexec(c->pg, "COMMIT");
			ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
			bool ok = t == PGRES_COMMAND_OK && !strcmp(PQcmdStatus(r), "COMMIT");
			if (!ok && t != PGRES_COMMAND_OK)
				fail_of(c, r, "commit");
			PQclear(r);
			if (ok) {
				pool_give(s, c);
				return MC_OK;
			}
			bool lost = c->broken;
			bool again = !lost && transient(c);
			pool_give(s, c);
			if (again)
				continue;
			/* lost during COMMIT: it may or may not have committed,
			 * so the function must not run again */
			return mc_fail(diag, MC_ERR_UNAVAILABLE,
			               lost ? "the database connection was lost while committing; "
			                      "retry (with the same idempotency key)"
			                    : "the transaction could not commit; retry");
		}
		if (!c->broken)
			exec_simple(c, "ROLLBACK");
		bool again = transient(c) || (state_is(c, "23505") && unique_retries++ < 1);
		bool unexpected = !e && (failed_tx || c->broken);
		pool_give(s, c);
		if (again) {
			e = MC_ERR_UNAVAILABLE;
			continue;
		}
		if (unexpected) /* the function went on after a failed statement */
			return mc_fail(diag, MC_ERR_INTERNAL, "a statement failed in a write");
		return e;
	}
	mc_diag_clear(diag);
	return mc_fail2(diag, MC_ERR_UNAVAILABLE, "Cơ sở dữ liệu đang bận; hãy thử lại.",
	                "The database is busy; retry.");
}

/* ---- open, migrate, close ---- */

static void pg_set_pool(store *s, int n)
{
	pthread_mutex_lock(&s->mu);
	s->max = n < 2 ? 2 : n > POOL_MAX ? POOL_MAX : n;
	pthread_mutex_unlock(&s->mu);
}

static void pg_close(store *s)
{
	for (int i = 0; i < s->nconns; i++)
		conn_close(s->conns[i]);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->url);
	free(s);
}

/* Reads one text value of a parameterless query on a pooled connection. */
static char *query_value(store *s, const char *sql)
{
	store_conn *c = pool_take(s);
	char *v = NULL;
	if (!c->broken) {
		PGresult *r = PQexec(c->pg, sql);
		if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
		    !PQgetisnull(r, 0, 0))
			v = mc_xstrdup(PQgetvalue(r, 0, 0));
		else
			fail_of(c, r, "query");
		PQclear(r);
	}
	pool_give(s, c);
	return v;
}

static mc_err create_ledger(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)ctx;
	mc_err e = exec_simple(c, "CREATE TABLE IF NOT EXISTS schema_migration ("
	                          "version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
	                          "applied_at TEXT NOT NULL)");
	return e ? mc_fail(diag, e, "cannot create schema_migration") : MC_OK;
}

static mc_err pg_open(const char *url, bool create, store **out, mc_diag *diag)
{
	store *s = mc_xcalloc(1, sizeof *s);
	s->ops = &store_pg_ops;
	s->url = mc_xstrdup(url);
	s->instance = store_next_instance();
	s->max = POOL_DEFAULT;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	mc_err e = MC_OK;
	store_conn *c = pool_take(s);
	if (c->broken) {
		/* the URL may hold a password: report libpq's message only */
		char msg[300];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(c->pg));
		msg[strcspn(msg, "\n")] = '\0';
		pool_give(s, c);
		e = mc_fail(diag, MC_ERR_UNAVAILABLE, "cannot connect to PostgreSQL: %s", msg);
		goto fail;
	}
	pool_give(s, c);
	char *coll =
	    query_value(s, "SELECT datcollate || ' ' || datctype || ' ' || datlocprovider::text "
	                   "FROM pg_database "
	                   "WHERE datname = current_database()");
	char *enc = query_value(s, "SELECT pg_encoding_to_char(encoding) FROM pg_database "
	                           "WHERE datname = current_database()");
	/* C, POSIX and glibc's C.UTF-8 all order UTF-8 text by its bytes */
	bool bytewise = false;
	if (coll) {
		char co[64] = "", ct[64] = "", prov[8] = "";
		sscanf(coll, "%63s %63s %7s", co, ct, prov);
		const char *ok[] = {"C", "POSIX", "C.UTF-8", "C.utf8"};
		for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
			bytewise = bytewise || !strcmp(co, ok[i]);
		bytewise = bytewise && !strcmp(prov, "c"); /* libc, not ICU */
	}
	bool utf8 = enc && !strcmp(enc, "UTF8");
	if (!bytewise || !utf8) {
		e = mc_fail(diag, MC_ERR_INVALID,
		            "the PostgreSQL database must be UTF8 with the C collation (text "
		            "compares bytewise, as in SQLite); it has encoding %s, collation %s. "
		            "Create it with: CREATE DATABASE name TEMPLATE template0 ENCODING "
		            "'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'",
		            enc ? enc : "?", coll ? coll : "?");
	}
	free(coll);
	free(enc);
	if (e)
		goto fail;
	if (!create) {
		char *t = query_value(s, "SELECT to_regclass('schema_migration')::text");
		free(t);
		if (!t) {
			e = mc_fail(diag, MC_ERR_NOT_FOUND,
			            "the PostgreSQL database has no motcua schema (run motcua init "
			            "--db URL)");
			goto fail;
		}
	} else if ((e = pg_write(s, create_ledger, NULL, diag))) {
		goto fail;
	}
	*out = s;
	return MC_OK;
fail:
	pg_close(s);
	return e;
}

struct migrate_ctx {
	const store_migration *m;
	bool applied;
};

static mc_err apply_one(store_conn *c, void *ctx, mc_diag *diag)
{
	struct migrate_ctx *x = ctx;
	x->applied = false;
	store_stmt *st;
	/* under the writer lock: another node may have applied it meanwhile */
	mc_err e = pg_prepare(c, "SELECT 1 FROM schema_migration WHERE version = ?1", &st);
	if (e)
		return e;
	pg_bind_int(st, 1, x->m->version);
	bool row = false;
	e = pg_step(st, &row);
	pg_finish(st);
	if (e || row)
		return e;
	if ((e = exec_simple(c, x->m->sql)))
		return mc_fail(diag, e, "migration %s failed", x->m->name);
	char ts[32];
	if ((e = pg_prepare(c,
	                    "INSERT INTO schema_migration (version, name, applied_at) "
	                    "VALUES (?1, ?2, ?3)",
	                    &st)))
		return e;
	pg_bind_int(st, 1, x->m->version);
	pg_bind_text(st, 2, x->m->name);
	pg_bind_text(st, 3, ts_format(ts_now(), ts));
	e = pg_step(st, NULL);
	pg_finish(st);
	x->applied = !e;
	return e;
}

struct versions {
	int v[512];
	int n;
};

static mc_err read_versions(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	struct versions *x = ctx;
	x->n = 0;
	store_stmt *st;
	mc_err e = pg_prepare(c, "SELECT version FROM schema_migration ORDER BY version", &st);
	if (e)
		return e;
	bool row;
	while (!(e = pg_step(st, &row)) && row && x->n < 512)
		x->v[x->n++] = (int)pg_col_int(st, 0);
	pg_finish(st);
	return e;
}

static mc_err pg_migrate(store *s, int *applied, mc_diag *diag)
{
	struct versions have;
	mc_err e = pg_read(s, read_versions, &have, diag);
	if (e)
		return e;
	const store_migration *todo[512];
	int k = store_pending_migrations("postgresql", have.v, have.n, todo, 512), n = 0;
	for (int i = 0; i < k; i++) {
		struct migrate_ctx x = {todo[i], false};
		if ((e = pg_write(s, apply_one, &x, diag)))
			return e;
		n += x.applied;
	}
	if (applied)
		*applied = n;
	return MC_OK;
}

static int pg_schema_version(store *s)
{
	char *v = query_value(s, "SELECT coalesce(max(version), 0) FROM schema_migration");
	int n = v ? atoi(v) : 0;
	free(v);
	return n;
}

static mc_err pg_optimize(store *s, mc_diag *diag)
{
	store_conn *c = pool_take(s);
	mc_err e = c->broken ? MC_ERR_UNAVAILABLE : exec_simple(c, "ANALYZE");
	pool_give(s, c);
	return e ? mc_fail(diag, e, "ANALYZE failed") : MC_OK;
}

/* ---- backup and restore: PostgreSQL's own tools ---- */

/* Runs a PostgreSQL client program (MOTCUA_PG_BIN/NAME when set, else
 * /usr/lib/postgresql/15/bin/NAME when present, else NAME on PATH) and
 * waits for it. The URL goes in the argument list, never to the log. */
static mc_err run_tool(const char *name, char *const argv[], mc_diag *diag)
{
	const char *dir = getenv("MOTCUA_PG_BIN");
	char *path = dir ? mc_xasprintf("%s/%s", dir, name)
	                 : mc_xasprintf("/usr/lib/postgresql/15/bin/%s", name);
	if (!dir && access(path, X_OK) != 0) {
		free(path);
		path = mc_xstrdup(name);
	}
	pid_t pid = fork();
	if (pid < 0) {
		free(path);
		return mc_fail(diag, MC_ERR_IO, "cannot start %s: %s", name, strerror(errno));
	}
	if (pid == 0) {
		execvp(path, argv);
		fprintf(stderr, "motcua: cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	free(path);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return mc_fail(diag, MC_ERR_IO, "%s failed (status %d)", name,
		               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return MC_OK;
}

static mc_err pg_backup(store *s, const char *path, mc_diag *diag)
{
	char *argv[] = {"pg_dump",    "--format=custom", "--no-owner", "--no-acl", "--file",
	                (char *)path, "--dbname",        s->url,       NULL};
	return run_tool("pg_dump", argv, diag);
}

static mc_err pg_restore(const char *url, const char *path, mc_diag *diag)
{
	char *argv[] = {"pg_restore",      "--clean",  "--if-exists",
	                "--no-owner",      "--no-acl", "--single-transaction",
	                "--exit-on-error", "--dbname", (char *)url,
	                (char *)path,      NULL};
	return run_tool("pg_restore", argv, diag);
}

const store_ops store_pg_ops = {
    .name = "postgresql",
    .accepts = pg_accepts,
    .open = pg_open,
    .close = pg_close,
    .set_pool = pg_set_pool,
    .migrate = pg_migrate,
    .schema_version = pg_schema_version,
    .read = pg_read,
    .write = pg_write,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_null = pg_col_null,
    .col_blob = pg_col_blob,
    .finish = pg_finish,
    .conn_writable = pg_conn_writable,
    .conn_instance = pg_conn_instance,
    .changes = pg_changes,
    .text_put = pg_text_put,
    .text_delete = pg_text_delete,
    .text_search = pg_text_search,
    .optimize = pg_optimize,
    .backup = pg_backup,
    .restore = pg_restore,
};
