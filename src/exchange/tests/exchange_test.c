/* exchange_test.c - the access rules of the exchange module: consent status
 * (active, expired, revoked), coverage (other agency, other category), the
 * decision between a legal basis and a consent, the checks of a consent
 * request; then against a temporary store: grant (unknown agency 422),
 * exchange_basis with an active, another agency's and a revoked consent,
 * another person's consent 404, the access log recorded and listed newest
 * first with paging, and a denied exchange read logged. */
#include "exchange/exchange.h"

#include "core/date.h"
#include "exchange/exchange_rules.h"
#include "testsupport/testsupport.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- pure rules ---- */

static void test_status(void **state)
{
	(void)state;
	exch_consent k = {"c1", "UBND-00004", "identity", "2026-12-31", false};
	assert_string_equal(exch_consent_status(&k, "2026-06-01"), "active");
	assert_string_equal(exch_consent_status(&k, "2026-12-31"), "active");
	assert_string_equal(exch_consent_status(&k, "2027-01-01"), "expired");
	k.revoked = true;
	assert_string_equal(exch_consent_status(&k, "2026-06-01"), "revoked");
}

static void test_covers(void **state)
{
	(void)state;
	exch_consent k = {"c1", "UBND-00004", "identity", "2026-12-31", false};
	assert_true(exch_consent_covers(&k, "UBND-00004", "identity", "2026-06-01"));
	assert_false(exch_consent_covers(&k, "UBND-00008", "identity", "2026-06-01"));
	assert_false(exch_consent_covers(&k, "UBND-00004", "residence", "2026-06-01"));
	assert_false(exch_consent_covers(&k, "UBND-00004", "identity", "2027-01-01"));
	k.revoked = true;
	assert_false(exch_consent_covers(&k, "UBND-00004", "identity", "2026-06-01"));
}

static void test_decide(void **state)
{
	(void)state;
	char basis[EXCHANGE_BASIS_MAX + 1];
	exch_consent ks[] = {
	    {"revoked1", "UBND-00004", "identity", "2030-01-01", true},
	    {"expired1", "UBND-00004", "identity", "2020-01-01", false},
	    {"other1", "UBND-00008", "identity", "2030-01-01", false},
	    {"good1", "UBND-00004", "identity", "2030-01-01", false},
	};
	/* a legal basis wins, even with no consent at all */
	assert_true(exch_decide("UBND-00004-261127-0001", NULL, 0, "UBND-00004", "family",
	                        "2026-06-01", basis, sizeof basis));
	assert_string_equal(basis, "dossier:UBND-00004-261127-0001");
	/* the only covering consent is picked */
	assert_true(
	    exch_decide(NULL, ks, 4, "UBND-00004", "identity", "2026-06-01", basis, sizeof basis));
	assert_string_equal(basis, "consent:good1");
	/* revoked, expired, other agency, other category: deny */
	assert_false(
	    exch_decide("", ks, 3, "UBND-00004", "identity", "2026-06-01", basis, sizeof basis));
	assert_string_equal(basis, "");
	assert_false(
	    exch_decide(NULL, ks, 4, "UBND-00004", "residence", "2026-06-01", basis, sizeof basis));
	assert_false(
	    exch_decide(NULL, ks, 4, "UBND-00009", "identity", "2026-06-01", basis, sizeof basis));
}

static size_t check(const char *text, const char *today)
{
	json_t *body = json_loads(text, 0, NULL);
	assert_non_null(body);
	json_t *errors = json_array();
	bool ok = exch_consent_check(body, today, errors);
	size_t n = json_array_size(errors);
	assert_int_equal(ok, n == 0);
	json_decref(errors);
	json_decref(body);
	return n;
}

static void test_check(void **state)
{
	(void)state;
	const char *t = "2026-11-27";
	assert_int_equal(check("{\"agency\":\"UBND-00004\",\"category\":\"identity\","
	                       "\"purpose\":\"x\",\"expires_on\":\"2031-11-27\"}",
	                       t),
	                 0);
	assert_int_equal(check("{\"agency\":\"UBND-00004\",\"category\":\"identity\","
	                       "\"purpose\":\"x\",\"expires_on\":\"2031-11-28\"}",
	                       t),
	                 1);
	assert_int_equal(check("{\"agency\":\"UBND-00004\",\"category\":\"identity\","
	                       "\"purpose\":\"x\",\"expires_on\":\"2026-11-26\"}",
	                       t),
	                 1);
	assert_int_equal(check("{\"agency\":\"UBND-00004\",\"category\":\"secrets\","
	                       "\"purpose\":\"  \",\"expires_on\":\"2026-02-30\"}",
	                       t),
	                 3);
	assert_int_equal(check("{\"agency\":7}", t), 4);
	char max[11];
	exch_max_expiry("2028-02-29", max);
	assert_string_equal(max, "2033-02-28");
}

/* ---- against a store ---- */

static char dir[64];
static store *db;
static const mc_principal citizen = {ROLE_CITIZEN, 2, "citizen", "", "001090012345"};
static const mc_principal citizen2 = {ROLE_CITIZEN, 3, "citizen2", "", "079190012346"};
static const mc_principal officer2 = {ROLE_OFFICER, 5, "officer2", "UBND-00008", ""};

static int setup(void **state)
{
	(void)state;
	db = testsupport_store_open("exchange", dir, sizeof dir);
	if (!db || testsupport_load_units(db, NULL, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return testsupport_store_remove(db, dir);
}

static json_t *grant(const mc_principal *who, const char *agency, const char *category, mc_err want)
{
	char until[11];
	date_format(date_local_of(ts_now()) + 30, until);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "agency", agency, "category", category,
	                         "purpose", "test", "expires_on", until);
	json_t *out = NULL;
	mc_diag d = {0};
	assert_int_equal(exchange_consent_grant(db, who, body, &out, &d), want);
	mc_diag_clear(&d);
	json_decref(body);
	return out;
}

typedef struct basis_ctx {
	const char *agency, *person, *category;
	char basis[EXCHANGE_BASIS_MAX + 1];
} basis_ctx;

static mc_err basis_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	basis_ctx *x = vctx;
	return exchange_basis(c, x->agency, x->person, x->category, x->basis, diag);
}

static const char *basis_of(basis_ctx *x, const char *agency, const char *category)
{
	x->agency = agency;
	x->person = "001090012345";
	x->category = category;
	assert_int_equal(store_read(db, basis_fn, x, NULL), MC_OK);
	return x->basis;
}

static void test_consents(void **state)
{
	(void)state;
	basis_ctx x;
	assert_string_equal(basis_of(&x, "UBND-00008", "residence"), "");
	assert_null(grant(&citizen, "NO-SUCH", "residence", MC_ERR_UNPROCESSABLE));
	assert_null(grant(&officer2, "UBND-00008", "residence", MC_ERR_FORBIDDEN));
	json_t *k = grant(&citizen, "UBND-00008", "residence", MC_OK);
	assert_string_equal(json_string_value(json_object_get(k, "status")), "active");
	const char *id = json_string_value(json_object_get(k, "id"));
	char want[64];
	snprintf(want, sizeof want, "consent:%s", id);
	assert_string_equal(basis_of(&x, "UBND-00008", "residence"), want);
	assert_string_equal(basis_of(&x, "UBND-00008", "identity"), "");
	assert_string_equal(basis_of(&x, "UBND-00004", "residence"), "");
	json_t *out = NULL;
	mc_diag d = {0};
	assert_int_equal(exchange_consent_revoke(db, &citizen2, id, &out, &d), MC_ERR_NOT_FOUND);
	mc_diag_clear(&d);
	assert_int_equal(exchange_consent_revoke(db, &citizen, id, &out, &d), MC_OK);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "revoked");
	json_decref(out);
	assert_int_equal(exchange_consent_revoke(db, &citizen, id, &out, &d), MC_ERR_CONFLICT);
	mc_diag_clear(&d);
	assert_string_equal(basis_of(&x, "UBND-00008", "residence"), "");
	json_decref(k);
}

typedef struct log_ctx {
	int n;
	json_t *items;
	bool more;
	int64_t before;
} log_ctx;

static mc_err record_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	log_ctx *x = vctx;
	mc_err e = MC_OK;
	for (int i = 0; i < x->n && !e; i++)
		e = exchange_record_access(c, "001090012345", "officer", "UBND-00004", "vault",
		                           "vault_documents", NULL, "role:officer", diag);
	return e;
}

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	log_ctx *x = vctx;
	json_decref(x->items);
	return exchange_access_list(c, "001090012345", x->before, 2, &x->items, &x->more, diag);
}

static mc_err bad_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)vctx;
	return exchange_record_access(c, "12345", "officer", NULL, "vault", "vault_documents", NULL,
	                              "role:officer", diag);
}

static void test_access_log(void **state)
{
	(void)state;
	mc_diag d = {0};
	assert_int_equal(store_write(db, bad_fn, NULL, &d), MC_ERR_INVALID);
	mc_diag_clear(&d);
	/* a denied exchange read is logged (no dossier, no consent) */
	json_t *out = NULL;
	bool denied = false;
	assert_int_equal(
	    exchange_read(db, &officer2, "001090012345", "family", "check", &out, &denied, &d),
	    MC_OK);
	assert_true(denied);
	assert_null(out);
	log_ctx x = {.n = 3};
	assert_int_equal(store_write(db, record_fn, &x, NULL), MC_OK);
	assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
	assert_int_equal(json_array_size(x.items), 2);
	assert_true(x.more);
	json_t *first = json_array_get(x.items, 0);
	assert_int_equal(json_integer_value(json_object_get(first, "seq")), 4);
	assert_string_equal(json_string_value(json_object_get(first, "basis")), "role:officer");
	x.before = json_integer_value(json_object_get(json_array_get(x.items, 1), "seq"));
	assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
	assert_int_equal(json_array_size(x.items), 2);
	assert_false(x.more);
	json_t *last = json_array_get(x.items, 1);
	assert_string_equal(json_string_value(json_object_get(last, "outcome")), "denied");
	assert_string_equal(json_string_value(json_object_get(last, "category")), "family");
	json_decref(x.items);
	/* invalid parameters are refused before any write */
	assert_int_equal(
	    exchange_read(db, &officer2, "001090012345", "nope", "check", &out, &denied, &d),
	    MC_ERR_INVALID);
	mc_diag_clear(&d);
	assert_int_equal(
	    exchange_read(db, &citizen, "001090012345", "family", "check", &out, &denied, &d),
	    MC_ERR_FORBIDDEN);
	mc_diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_covers),
	    cmocka_unit_test(test_decide),
	    cmocka_unit_test(test_check),
	};
	const struct CMUnitTest stored[] = {
	    cmocka_unit_test(test_consents),
	    cmocka_unit_test(test_access_log),
	};
	int rc = cmocka_run_group_tests(pure, NULL, NULL);
	return rc | cmocka_run_group_tests(stored, setup, teardown);
}
