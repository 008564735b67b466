/* store_test.c - the store on both backends: migrations, durable writes,
 * a failing write rolled back alone, concurrent writers, the text index
 * and its ranking; on PostgreSQL also writers of two stores (two
 * processes) serialised, a write re-run after its connection is killed, a
 * read on a pooled connection that was killed. The PostgreSQL group runs
 * when MOTCUA_TEST_DB names a cluster (scripts/pg-test.sh), and is
 * reported as skipped otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/mem.h"
#include "core/text.h"
#include "store/store.h"
#include "testsupport/testsupport.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static bool pg;       /* the group being run */
static char url[256]; /* store_open argument: dir, or a PostgreSQL database */

static mc_err create_table(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)ctx;
	(void)diag;
	return store_execv(c, "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)", 0, NULL);
}

static store *open_fresh(void)
{
	if (pg) {
		if (!testsupport_pg_database("store", url, sizeof url))
			skip();
	} else {
		assert_int_equal(testsupport_tmpdir("store", dir, sizeof dir), 0);
		snprintf(url, sizeof url, "%s", dir);
	}
	store *s = NULL;
	mc_diag d = {0};
	assert_int_equal(store_open(url, true, &s, &d), MC_OK);
	assert_string_equal(store_backend(s), pg ? "postgresql" : "sqlite");
	int applied = 0;
	assert_int_equal(store_migrate(s, &applied, &d), MC_OK);
	assert_true(applied > 0);
	assert_true(store_schema_version(s) >= 1);
	/* a second migrate applies nothing */
	assert_int_equal(store_migrate(s, &applied, &d), MC_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(store_write(s, create_table, NULL, &d), MC_OK);
	return s;
}

struct kv {
	const char *k;
	int64_t v;
	bool found;
};

static mc_err put_kv(store_conn *c, void *ctx, mc_diag *diag)
{
	struct kv *kv = ctx;
	store_stmt *st;
	mc_err e = store_prepare(c, "INSERT INTO t (k, v) VALUES (?1, ?2)", &st);
	if (e)
		return e;
	store_bind_text(st, 1, kv->k);
	store_bind_int(st, 2, kv->v);
	e = store_step(st, NULL);
	store_finish(st);
	return e ? mc_fail(diag, e, "insert failed") : MC_OK;
}

static mc_err get_kv(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	struct kv *kv = ctx;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT v FROM t WHERE k = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, kv->k);
	bool row;
	e = store_step(st, &row);
	kv->found = !e && row;
	if (kv->found)
		kv->v = store_col_int(st, 0);
	store_finish(st);
	return e;
}

static void cleanup(store *s)
{
	if (pg) {
		store_close(s);
		assert_int_equal(testsupport_pg_drop(url), 0);
	} else {
		assert_int_equal(testsupport_store_remove(s, dir), 0);
	}
}

static void test_write_then_read(void **state)
{
	(void)state;
	store *s = open_fresh();
	struct kv a = {"a", 42, false};
	assert_int_equal(store_write(s, put_kv, &a, NULL), MC_OK);
	struct kv r = {"a", 0, false};
	assert_int_equal(store_read(s, get_kv, &r, NULL), MC_OK);
	assert_true(r.found);
	assert_int_equal(r.v, 42);
	/* duplicate key: conflict, and nothing else changes */
	struct kv dup = {"a", 7, false};
	assert_int_equal(store_write(s, put_kv, &dup, NULL), MC_ERR_CONFLICT);
	assert_int_equal(store_read(s, get_kv, &r, NULL), MC_OK);
	assert_int_equal(r.v, 42);
	cleanup(s);
}

/* survives close and reopen (the commit was durable) */
static void test_reopen(void **state)
{
	(void)state;
	store *s = open_fresh();
	struct kv a = {"persist", 5, false};
	assert_int_equal(store_write(s, put_kv, &a, NULL), MC_OK);
	store_close(s);
	mc_diag d = {0};
	assert_int_equal(store_open(url, false, &s, &d), MC_OK);
	struct kv r = {"persist", 0, false};
	assert_int_equal(store_read(s, get_kv, &r, NULL), MC_OK);
	assert_true(r.found);
	assert_int_equal(r.v, 5);
	cleanup(s);
}

struct writer_arg {
	store *s;
	int id, n, failures;
};

static mc_err put_then_fail(store_conn *c, void *ctx, mc_diag *diag)
{
	mc_err e = put_kv(c, ctx, diag);
	return e ? e : MC_ERR_UNPROCESSABLE; /* roll this one back */
}

static void *writer(void *p)
{
	struct writer_arg *w = p;
	for (int i = 0; i < w->n; i++) {
		char key[32];
		snprintf(key, sizeof key, "w%d-%d", w->id, i);
		struct kv kv = {key, i, false};
		/* every third write fails on purpose */
		mc_err e = store_write(w->s, i % 3 == 2 ? put_then_fail : put_kv, &kv, NULL);
		if (e != (i % 3 == 2 ? MC_ERR_UNPROCESSABLE : MC_OK))
			w->failures++;
	}
	return NULL;
}

static mc_err count_rows(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT count(*) FROM t", &st);
	if (e)
		return e;
	bool row;
	e = store_step(st, &row);
	*(int64_t *)ctx = store_col_int(st, 0);
	store_finish(st);
	return e;
}

static void test_concurrent_group_commit(void **state)
{
	(void)state;
	store *s = open_fresh();
	enum { THREADS = 8, N = 60 };
	pthread_t th[THREADS];
	struct writer_arg args[THREADS];
	for (int i = 0; i < THREADS; i++) {
		args[i] = (struct writer_arg){s, i, N, 0};
		pthread_create(&th[i], NULL, writer, &args[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].failures, 0);
	}
	int64_t n = 0;
	assert_int_equal(store_read(s, count_rows, &n, NULL), MC_OK);
	/* the failing third of the writes left nothing behind */
	assert_int_equal(n, THREADS * (N - N / 3));
	cleanup(s);
}

struct hits {
	char keys[8][32];
	int n;
};

static bool on_hit(const char *key, double rank, void *ctx)
{
	(void)rank;
	struct hits *h = ctx;
	snprintf(h->keys[h->n++], 32, "%s", key);
	return h->n < 8;
}

struct doc {
	const char *key, *text;
};

static mc_err index_docs(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	const struct doc *d = ctx;
	for (; d->key; d++) {
		char *f = text_fold(d->text);
		mc_err e = store_text_put(c, "t", d->key, f);
		free(f);
		if (e)
			return e;
	}
	/* re-putting replaces, and another index is separate */
	return store_text_put(c, "other", "x", "dang ky khai sinh");
}

struct search {
	const char *q;
	struct hits *h;
};

static mc_err do_search(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	struct search *sr = ctx;
	char *f = text_fold(sr->q);
	mc_err e = store_text_search(c, "t", f, 8, 0, on_hit, sr->h);
	free(f);
	return e;
}

static void test_text_index(void **state)
{
	(void)state;
	store *s = open_fresh();
	static const struct doc docs[] = {
	    {"p3", "Đăng ký khai sinh có yếu tố nước ngoài"},
	    {"p2", "Thủ tục liên thông: đăng ký khai sinh, thường trú, thẻ bảo hiểm y tế"},
	    {"p1", "Đăng ký khai sinh"},
	    {"p4", "Đăng ký kết hôn"},
	    {NULL, NULL},
	};
	assert_int_equal(store_write(s, index_docs, (void *)docs, NULL), MC_OK);
	const char *queries[] = {"dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "đăng ký khai sinh"};
	for (int i = 0; i < 3; i++) {
		struct hits h = {0};
		struct search sr = {queries[i], &h};
		assert_int_equal(store_read(s, do_search, &sr, NULL), MC_OK);
		assert_int_equal(h.n, 3);
		assert_string_equal(h.keys[0], "p1");
		assert_string_equal(h.keys[1], "p3");
		assert_string_equal(h.keys[2], "p2");
	}
	/* prefix matching of the last word */
	struct hits h = {0};
	struct search sr = {"ket ho", &h};
	assert_int_equal(store_read(s, do_search, &sr, NULL), MC_OK);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.keys[0], "p4");
	/* FTS syntax in a query is inert */
	struct hits h2 = {0};
	struct search sr2 = {"\"khai\" OR NEAR(*", &h2};
	assert_int_equal(store_read(s, do_search, &sr2, NULL), MC_OK);
	assert_int_equal(h2.n, 0);
	cleanup(s);
}

/* ---- PostgreSQL only ---- */

struct counter_arg {
	store *s;
	int n;
	int errors;
};

/* read-modify-write of one row: loses updates unless writers are
 * serialised */
static mc_err bump(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)ctx;
	(void)diag;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT v FROM t WHERE k = 'counter'", &st);
	if (e)
		return e;
	bool row;
	e = store_step(st, &row);
	int64_t v = row ? store_col_int(st, 0) : 0;
	store_finish(st);
	if (e || !row)
		return e ? e : MC_ERR_NOT_FOUND;
	if ((e = store_prepare(c, "UPDATE t SET v = ?1 WHERE k = 'counter'", &st)))
		return e;
	store_bind_int(st, 1, v + 1);
	e = store_step(st, NULL);
	store_finish(st);
	return e;
}

static void *bumper(void *p)
{
	struct counter_arg *a = p;
	for (int i = 0; i < a->n; i++)
		if (store_write(a->s, bump, NULL, NULL) != MC_OK)
			a->errors++;
	return NULL;
}

static void test_pg_two_stores_serialised(void **state)
{
	(void)state;
	store *s = open_fresh();
	struct kv z = {"counter", 0, false};
	assert_int_equal(store_write(s, put_kv, &z, NULL), MC_OK);
	store *s2 = NULL;
	mc_diag d = {0};
	assert_int_equal(store_open(url, false, &s2, &d), MC_OK);
	enum { THREADS = 6, N = 40 };
	pthread_t th[THREADS];
	struct counter_arg a[THREADS];
	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct counter_arg){i % 2 ? s2 : s, N, 0};
		pthread_create(&th[i], NULL, bumper, &a[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(a[i].errors, 0);
	}
	struct kv r = {"counter", 0, false};
	assert_int_equal(store_read(s2, get_kv, &r, NULL), MC_OK);
	assert_int_equal(r.v, THREADS * N);
	store_close(s2);
	cleanup(s);
}

struct killer {
	int calls;
	struct kv kv;
};

/* The first run kills its own connection half-way; the store reconnects
 * and runs the function again. */
static mc_err put_after_kill(store_conn *c, void *ctx, mc_diag *diag)
{
	struct killer *k = ctx;
	if (k->calls++ == 0) {
		mc_err e = put_kv(c, &k->kv, diag);
		if (e)
			return e;
		store_stmt *st;
		if ((e = store_prepare(c, "SELECT pg_terminate_backend(pg_backend_pid())", &st)))
			return e;
		e = store_step(st, NULL);
		store_finish(st);
		if (e)
			return e;
	}
	return put_kv(c, &k->kv, diag);
}

static mc_err kill_others(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)ctx;
	(void)diag;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	                         "WHERE datname = current_database() AND pid <> pg_backend_pid()",
	                         &st);
	if (e)
		return e;
	bool row;
	while (!(e = store_step(st, &row)) && row)
		;
	store_finish(st);
	return e;
}

static void test_pg_lost_connection(void **state)
{
	(void)state;
	store *s = open_fresh();
	struct killer k = {0, {"k", 9, false}};
	assert_int_equal(store_write(s, put_after_kill, &k, NULL), MC_OK);
	assert_int_equal(k.calls, 2);
	struct kv r = {"k", 0, false};
	assert_int_equal(store_read(s, get_kv, &r, NULL), MC_OK);
	assert_true(r.found);
	assert_int_equal(r.v, 9);
	/* kill every pooled connection of s from a second store: the next
	 * read and write reconnect */
	store *s2 = NULL;
	mc_diag d = {0};
	assert_int_equal(store_open(url, false, &s2, &d), MC_OK);
	assert_int_equal(store_read(s2, kill_others, NULL, NULL), MC_OK);
	r.found = false;
	assert_int_equal(store_read(s, get_kv, &r, NULL), MC_OK);
	assert_true(r.found);
	assert_int_equal(store_read(s2, kill_others, NULL, NULL), MC_OK);
	struct kv b = {"after", 1, false};
	assert_int_equal(store_write(s, put_kv, &b, NULL), MC_OK);
	store_close(s2);
	cleanup(s);
}

static int group_sqlite(void **state)
{
	(void)state;
	pg = false;
	return 0;
}

static int group_pg(void **state)
{
	(void)state;
	pg = true;
	if (!testsupport_pg_base())
		fprintf(stderr, "store_test: PostgreSQL tests SKIPPED (MOTCUA_TEST_DB is not set; "
		                "run them with scripts/pg-test.sh run ctest)\n");
	return 0;
}

int main(void)
{
	mc_mem_init();
	const struct CMUnitTest sqlite_tests[] = {
	    cmocka_unit_test(test_write_then_read),
	    cmocka_unit_test(test_reopen),
	    cmocka_unit_test(test_concurrent_group_commit),
	    cmocka_unit_test(test_text_index),
	};
	const struct CMUnitTest pg_tests[] = {
	    cmocka_unit_test(test_write_then_read),
	    cmocka_unit_test(test_reopen),
	    cmocka_unit_test(test_concurrent_group_commit),
	    cmocka_unit_test(test_text_index),
	    cmocka_unit_test(test_pg_two_stores_serialised),
	    cmocka_unit_test(test_pg_lost_connection),
	};
	int failed = cmocka_run_group_tests_name("sqlite", sqlite_tests, group_sqlite, NULL);
	failed += cmocka_run_group_tests_name("postgresql", pg_tests, group_pg, NULL);
	return failed;
}
