/* audit_test.c - unit tests of the hash-chained audit log (audit.h):
 * appends verify, and every kind of tampering made with raw SQL (edited
 * field, deleted middle entry, deleted newest entry, replaced head) is
 * detected at the right entry; failed writes leave no entry; the CLI's exit
 * statuses. */
#include "audit/audit.h"

#include "core/mem.h"
#include "testsupport/testsupport.h"
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct fixture {
	char dir[64];
	store *s;
} fixture;

static int setup(void **state)
{
	fixture *f = mc_xcalloc(1, sizeof *f);
	f->s = testsupport_store_open("audit", f->dir, sizeof f->dir);
	if (!f->s) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	int rc = testsupport_store_remove(f->s, f->dir);
	free(f);
	return rc;
}

typedef struct append_ctx {
	int n;     /* entries to append */
	int first; /* number of the first, for the detail */
	bool fail; /* return an error after appending */
} append_ctx;

static mc_err append_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	append_ctx *x = vctx;
	(void)diag;
	for (int i = 0; i < x->n; i++) {
		char object[32];
		snprintf(object, sizeof object, "dossier:%d", x->first + i);
		json_t *d = json_pack("{s:i, s:s, s:[i,i]}", "n", x->first + i, "note",
		                      "Tiếp nhận hồ sơ", "list", 1, 2);
		mc_err e =
		    audit_append(c, i % 2 ? "officer" : "citizen", "dossier.test", object, d);
		json_decref(d);
		if (e)
			return e;
	}
	return x->fail ? MC_ERR_CONFLICT : MC_OK;
}

static void append(store *s, int n, int first)
{
	append_ctx x = {n, first, false};
	assert_int_equal(store_write(s, append_fn, &x, NULL), MC_OK);
}

typedef struct sql_ctx {
	const char *sql;
} sql_ctx;

static mc_err sql_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	sql_ctx *x = vctx;
	store_stmt *st = NULL;
	bool row = true;
	(void)diag;
	mc_err e = store_prepare(c, x->sql, &st);
	if (e)
		return e;
	while (!e && row)
		e = store_step(st, &row);
	store_finish(st);
	return e;
}

/* Tampering as an attacker with database access would: raw SQL. */
static void raw_sql(store *s, const char *sql)
{
	sql_ctx x = {sql};
	assert_int_equal(store_write(s, sql_fn, &x, NULL), MC_OK);
}

static void expect_ok(store *s, long long n)
{
	long long checked = -1, bad = -1;
	mc_diag d = {0};
	assert_int_equal(audit_verify(s, &checked, &bad, &d), MC_OK);
	assert_int_equal(checked, n);
	assert_int_equal(bad, 0);
}

static void expect_broken(store *s, long long at)
{
	long long checked = -1, bad = -1;
	mc_diag d = {0};
	assert_int_equal(audit_verify(s, &checked, &bad, &d), MC_ERR_CONFLICT);
	assert_int_equal(bad, at);
	assert_true(d.detail[0] != '\0');
	mc_diag_clear(&d);
}

static void test_empty_log_verifies(void **state)
{
	fixture *f = *state;
	expect_ok(f->s, 0);
}

static void test_appends_verify(void **state)
{
	fixture *f = *state;
	append(f->s, 1, 1);
	append(f->s, 3, 2); /* several entries in one transaction */
	append(f->s, 2, 5);
	expect_ok(f->s, 6);
}

typedef struct row_ctx {
	long long seq;
	char detail[256], prev[80], hash[80];
} row_ctx;

static mc_err row_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	row_ctx *x = vctx;
	store_stmt *st = NULL;
	bool row = false;
	(void)diag;
	mc_err e =
	    store_prepare(c, "SELECT detail, prev_hash, hash FROM audit_log WHERE seq = ?1", &st);
	if (e)
		return e;
	store_bind_int(st, 1, x->seq);
	e = store_step(st, &row);
	if (!e && row) {
		snprintf(x->detail, sizeof x->detail, "%s", store_col_text(st, 0));
		snprintf(x->prev, sizeof x->prev, "%s", store_col_text(st, 1));
		snprintf(x->hash, sizeof x->hash, "%s", store_col_text(st, 2));
	}
	store_finish(st);
	return !e && !row ? MC_ERR_NOT_FOUND : e;
}

static void test_chain_links_and_canonical_detail(void **state)
{
	fixture *f = *state;
	append(f->s, 2, 1);
	row_ctx a = {.seq = 1}, b = {.seq = 2};
	assert_int_equal(store_read(f->s, row_fn, &a, NULL), MC_OK);
	assert_int_equal(store_read(f->s, row_fn, &b, NULL), MC_OK);
	/* first entry chains to 64 zeros, the second to the first */
	assert_string_equal(a.prev,
	                    "0000000000000000000000000000000000000000000000000000000000000000");
	assert_string_equal(b.prev, a.hash);
	assert_int_equal(strlen(a.hash), 64);
	assert_string_not_equal(a.hash, b.hash);
	/* detail is stored canonically: sorted keys, no white space */
	assert_string_equal(a.detail, "{\"list\":[1,2],\"n\":1,\"note\":\"Tiếp nhận hồ sơ\"}");
}

static void test_edited_detail_detected(void **state)
{
	fixture *f = *state;
	append(f->s, 5, 1);
	expect_ok(f->s, 5);
	raw_sql(f->s, "UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = 3");
	expect_broken(f->s, 3);
}

static void test_edited_actor_detected(void **state)
{
	fixture *f = *state;
	append(f->s, 4, 1);
	raw_sql(f->s, "UPDATE audit_log SET actor = 'admin' WHERE seq = 2");
	expect_broken(f->s, 2);
}

static void test_deleted_middle_detected(void **state)
{
	fixture *f = *state;
	append(f->s, 5, 1);
	raw_sql(f->s, "DELETE FROM audit_log WHERE seq = 3");
	expect_broken(f->s, 3);
}

static void test_deleted_first_detected(void **state)
{
	fixture *f = *state;
	append(f->s, 3, 1);
	raw_sql(f->s, "DELETE FROM audit_log WHERE seq = 1");
	expect_broken(f->s, 1);
}

static void test_deleted_last_detected(void **state)
{
	fixture *f = *state;
	append(f->s, 5, 1);
	raw_sql(f->s, "DELETE FROM audit_log WHERE seq = 5");
	expect_broken(f->s, 5);
}

static void test_renumbered_tail_detected(void **state)
{
	fixture *f = *state;
	append(f->s, 5, 1);
	/* delete entry 3 and shift the later ones down to close the gap */
	raw_sql(f->s, "DELETE FROM audit_log WHERE seq = 3");
	raw_sql(f->s, "UPDATE audit_log SET seq = seq - 1 WHERE seq > 3");
	expect_broken(f->s, 3);
}

static void test_head_rewound_detected(void **state)
{
	fixture *f = *state;
	append(f->s, 4, 1);
	/* drop the newest entry and rewind the head to the one before: the
	 * stored hash of entry 3 no longer matches the head */
	raw_sql(f->s, "DELETE FROM audit_log WHERE seq = 4");
	raw_sql(f->s, "UPDATE audit_head SET seq = 3");
	expect_broken(f->s, 3);
}

static void test_failed_write_leaves_no_entry(void **state)
{
	fixture *f = *state;
	append(f->s, 2, 1);
	append_ctx x = {3, 10, true};
	assert_int_equal(store_write(f->s, append_fn, &x, NULL), MC_ERR_CONFLICT);
	expect_ok(f->s, 2);
	append(f->s, 1, 20); /* numbering continues without a gap */
	expect_ok(f->s, 3);
}

static int run_cli(int argc, const char *const *argv)
{
	fflush(stdout);
	return audit_cli(argc, (char **)argv);
}

static void test_cli(void **state)
{
	fixture *f = *state;
	append(f->s, 3, 1);
	const char *ok[] = {"audit", "verify", "--data", f->dir};
	assert_int_equal(run_cli(4, ok), 0);
	const char *help[] = {"audit", "--help"};
	assert_int_equal(run_cli(2, help), 0);
	const char *no_sub[] = {"audit", "--data", f->dir};
	assert_int_equal(run_cli(3, no_sub), 2);
	const char *bad_opt[] = {"audit", "verify", "--data", f->dir, "--frobnicate"};
	assert_int_equal(run_cli(5, bad_opt), 2);
	const char *no_val[] = {"audit", "verify", "--data"};
	assert_int_equal(run_cli(3, no_val), 2);
	const char *no_dir[] = {"audit", "verify", "--data", "/nonexistent/motcua-dir"};
	assert_int_equal(run_cli(4, no_dir), 2);
	raw_sql(f->s, "UPDATE audit_log SET object = 'dossier:x' WHERE seq = 2");
	assert_int_equal(run_cli(4, ok), 1);
}

int main(void)
{
	mc_mem_init();
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_empty_log_verifies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_appends_verify, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chain_links_and_canonical_detail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_edited_detail_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_edited_actor_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deleted_middle_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deleted_first_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deleted_last_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_renumbered_tail_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_head_rewound_detected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_write_leaves_no_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
