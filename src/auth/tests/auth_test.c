/* auth_test.c - unit tests of accounts and sessions (auth.h): role names,
 * account rules and duplicates, login and token resolution (valid, expired,
 * unknown, logged out), tokens stored only as hashes, the login rate limit
 * per username and per client address, disabling, and the `user add` CLI. */
#include "auth/auth.h"

#include "audit/audit.h"
#include "auth/auth_internal.h"
#include "core/date.h"
#include "core/mem.h"
#include "territory/territory.h"
#include "testsupport/testsupport.h"
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[64];
static store *db;

typedef struct sql_ctx {
	const char *sql;
	const char *arg;
	long long n; /* first column of the first row */
} sql_ctx;

static mc_err sql_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	sql_ctx *x = vctx;
	store_stmt *st = NULL;
	bool row = true, first = true;
	(void)diag;
	mc_err e = store_prepare(c, x->sql, &st);
	if (e)
		return e;
	if (x->arg)
		store_bind_text(st, 1, x->arg);
	while (!e && row) {
		e = store_step(st, &row);
		if (!e && row && first) {
			x->n = store_col_int(st, 0);
			first = false;
		}
	}
	store_finish(st);
	return e;
}

/* Raw SQL, as a test (or an attacker) with database access would run it. */
static long long raw_sql(const char *sql, const char *arg)
{
	sql_ctx x = {sql, arg, -1};
	assert_int_equal(store_write(db, sql_fn, &x, NULL), MC_OK);
	return x.n;
}

static mc_err agencies_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)ctx;
	(void)diag;
	return territory_ensure_agency(c, "BTP", "Bộ Tư pháp", "Ministry of Justice", "central",
	                               NULL, NULL);
}

static int group_setup(void **state)
{
	(void)state;
	mc_diag d = {0};
	db = testsupport_store_open("auth", dir, sizeof dir);
	if (!db)
		return -1;
	return store_write(db, agencies_fn, NULL, &d) == MC_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	return testsupport_store_remove(db, dir);
}

static mc_err add(const char *user, const char *pw, mc_role role, const char *agency,
                  const char *pid)
{
	mc_diag d = {0};
	mc_err e = auth_user_add(db, user, pw, role, agency, pid, &d);
	mc_diag_clear(&d);
	return e;
}

static mc_err login(const char *user, const char *pw, const char *ip, auth_login_result *r)
{
	mc_diag d = {0};
	mc_err e = auth_login(db, user, pw, ip, r, &d);
	mc_diag_clear(&d);
	return e;
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_roles(void **state)
{
	(void)state;
	mc_role r = ROLE_ANONYMOUS;
	assert_true(role_parse("officer", &r));
	assert_int_equal(r, ROLE_OFFICER);
	assert_true(role_parse("admin", &r));
	assert_int_equal(r, ROLE_ADMIN);
	assert_true(role_parse("citizen", &r));
	assert_int_equal(r, ROLE_CITIZEN);
	assert_false(role_parse("anonymous", &r));
	assert_false(role_parse("Admin", &r));
	assert_false(role_parse(NULL, &r));
	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	assert_string_equal(role_name(ROLE_ANONYMOUS), "anonymous");
	auth_limits l;
	auth_get_limits(&l);
	assert_int_equal(l.token_ttl, 12 * 3600);
	assert_int_equal(l.user_failures, 5);
	assert_int_equal(l.ip_failures, 20);
	assert_int_equal(l.window, 15 * 60);
}

static void test_user_rules(void **state)
{
	(void)state;
	assert_int_equal(add("an.nguyen", "mat-khau-2026", ROLE_CITIZEN, NULL, "001090012345"),
	                 MC_OK);
	assert_int_equal(add("an.nguyen", "other-password", ROLE_CITIZEN, NULL, NULL),
	                 MC_ERR_CONFLICT);
	assert_int_equal(add("An", "mat-khau-2026", ROLE_CITIZEN, NULL, NULL),
	                 MC_ERR_UNPROCESSABLE); /* upper case and too short */
	assert_int_equal(
	    add("x'; DROP TABLE user_account; --", "mat-khau-2026", ROLE_CITIZEN, NULL, NULL),
	    MC_ERR_UNPROCESSABLE);
	assert_int_equal(add("short.pw", "1234567", ROLE_CITIZEN, NULL, NULL),
	                 MC_ERR_UNPROCESSABLE);
	/* the longest username still fits the principal */
	char longest[AUTH_USERNAME_MAX + 2];
	memset(longest, 'n', sizeof longest);
	longest[AUTH_USERNAME_MAX + 1] = '\0';
	assert_int_equal(add(longest, "mat-khau-2026", ROLE_CITIZEN, NULL, NULL),
	                 MC_ERR_UNPROCESSABLE);
	longest[AUTH_USERNAME_MAX] = '\0';
	assert_true(strlen(longest) < sizeof((mc_principal *)0)->username);
	assert_int_equal(add(longest, "mat-khau-2026", ROLE_ADMIN, NULL, NULL), MC_OK);
	assert_int_equal(add("bad.pid", "mat-khau-2026", ROLE_CITIZEN, NULL, "12345"),
	                 MC_ERR_UNPROCESSABLE);
	assert_int_equal(add("bad.pid", "mat-khau-2026", ROLE_CITIZEN, NULL, "00109001234a"),
	                 MC_ERR_UNPROCESSABLE);
	assert_int_equal(add("no.agency", "mat-khau-2026", ROLE_OFFICER, NULL, NULL),
	                 MC_ERR_UNPROCESSABLE);
	assert_int_equal(add("citizen.agency", "mat-khau-2026", ROLE_CITIZEN, "BTP", NULL),
	                 MC_ERR_UNPROCESSABLE);
	assert_int_equal(add("bad.role", "mat-khau-2026", ROLE_ANONYMOUS, NULL, NULL),
	                 MC_ERR_UNPROCESSABLE);

	/* an unknown agency is reported on the agency field */
	mc_diag d = {0};
	assert_int_equal(auth_user_add(db, "ghost.officer", "mat-khau-2026", ROLE_OFFICER,
	                               "UBND-00004", NULL, &d),
	                 MC_ERR_UNPROCESSABLE);
	json_t *err0 = json_array_get(json_object_get(d.ext, "errors"), 0);
	assert_string_equal(json_string_value(json_object_get(err0, "path")), "$.agency");
	mc_diag_clear(&d);

	assert_int_equal(add("can.bo", "mat-khau-2026", ROLE_OFFICER, "BTP", NULL), MC_OK);
	/* the password is stored as an argon2id hash only */
	assert_int_equal(raw_sql("SELECT COUNT(*) FROM user_account WHERE password_hash LIKE "
	                         "'$argon2id$%' AND password_hash <> 'mat-khau-2026'",
	                         NULL),
	                 3);
}

static void test_login_and_resolve(void **state)
{
	(void)state;
	auth_login_result r;
	mc_principal who;
	char hash[65];

	assert_int_equal(login("an.nguyen", "mat-khau-2026", "10.1.1.1", &r), MC_OK);
	assert_int_equal(strlen(r.token), 43);
	assert_int_equal(strlen(r.expires_at), 20);
	assert_string_equal(json_string_value(json_object_get(r.user, "role")), "citizen");
	assert_string_equal(json_string_value(json_object_get(r.user, "person_id")),
	                    "001090012345");
	json_decref(r.user);

	/* expiry about 12 hours from now */
	time_t exp, now = ts_now();
	assert_true(ts_parse(r.expires_at, &exp));
	assert_true(exp - now > 12 * 3600 - 120 && exp - now <= 12 * 3600 + 5);

	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_OK);
	assert_int_equal(who.role, ROLE_CITIZEN);
	assert_string_equal(who.username, "an.nguyen");
	assert_string_equal(who.person_id, "001090012345");
	assert_string_equal(who.agency, "");
	assert_true(who.user_id > 0);

	/* the stored key is the SHA-256 of the token; the token is not stored */
	unsigned char d[crypto_hash_sha256_BYTES];
	char want[65];
	crypto_hash_sha256(d, (const unsigned char *)r.token, strlen(r.token));
	sodium_bin2hex(want, sizeof want, d, sizeof d);
	assert_string_equal(hash, want);
	assert_int_equal(raw_sql("SELECT COUNT(*) FROM auth_token WHERE token_hash = ?1", hash), 1);
	assert_int_equal(raw_sql("SELECT COUNT(*) FROM auth_token WHERE token_hash = ?1", r.token),
	                 0);

	/* officer principal carries the agency; case of the username is folded */
	assert_int_equal(login("CAN.BO", "mat-khau-2026", "10.1.1.1", &r), MC_OK);
	json_decref(r.user);
	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_OK);
	assert_int_equal(who.role, ROLE_OFFICER);
	assert_string_equal(who.agency, "BTP");

	/* unknown, empty, oversized and tampered tokens */
	assert_int_equal(auth_resolve(db, "no-such-token", &who, hash), MC_ERR_UNAUTHENTICATED);
	assert_int_equal(who.role, ROLE_ANONYMOUS);
	assert_int_equal(auth_resolve(db, "", &who, hash), MC_ERR_UNAUTHENTICATED);
	char big[300];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(auth_resolve(db, big, &who, hash), MC_ERR_UNAUTHENTICATED);
	r.token[5] = r.token[5] == 'A' ? 'B' : 'A';
	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_ERR_UNAUTHENTICATED);
}

static void test_expired_token(void **state)
{
	(void)state;
	auth_login_result r;
	mc_principal who;
	char hash[65];
	assert_int_equal(login("an.nguyen", "mat-khau-2026", "10.1.1.2", &r), MC_OK);
	json_decref(r.user);
	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_OK);
	raw_sql("UPDATE auth_token SET expires_at = '2020-01-01T00:00:00Z' WHERE token_hash = ?1",
	        hash);
	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_ERR_UNAUTHENTICATED);
	assert_int_equal(who.role, ROLE_ANONYMOUS);
}

static void test_logout(void **state)
{
	(void)state;
	auth_login_result r;
	mc_principal who;
	char hash[65];
	mc_diag d = {0};
	assert_int_equal(login("an.nguyen", "mat-khau-2026", "10.1.1.3", &r), MC_OK);
	json_decref(r.user);
	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_OK);
	assert_int_equal(auth_logout(db, who.username, hash, &d), MC_OK);
	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_ERR_UNAUTHENTICATED);
	assert_int_equal(auth_logout(db, "an.nguyen", hash, &d), MC_ERR_UNAUTHENTICATED);
	mc_diag_clear(&d);
}

static void test_wrong_credentials_same_answer(void **state)
{
	(void)state;
	auth_login_result r;
	mc_diag a = {0}, b = {0};
	assert_int_equal(auth_login(db, "an.nguyen", "wrong-password", "10.2.0.1", &r, &a),
	                 MC_ERR_UNAUTHENTICATED);
	assert_int_equal(auth_login(db, "nobody.here", "wrong-password", "10.2.0.1", &r, &b),
	                 MC_ERR_UNAUTHENTICATED);
	assert_string_equal(a.detail, b.detail);
	assert_string_equal(a.detail_vi, b.detail_vi);
	assert_null(r.user);
	assert_string_equal(r.token, "");
	mc_diag_clear(&a);
	mc_diag_clear(&b);
	/* too long input is refused before any work */
	char big[400];
	memset(big, 'p', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(login("an.nguyen", big, "10.2.0.1", &r), MC_ERR_INVALID);
}

static void test_rate_limit_username(void **state)
{
	(void)state;
	auth_login_result r;
	mc_diag d = {0};
	assert_int_equal(add("binh.tran", "dung-mat-khau", ROLE_CITIZEN, NULL, NULL), MC_OK);
	/* four failures, then a success resets the username's count */
	for (int i = 0; i < 4; i++)
		assert_int_equal(login("binh.tran", "sai-mat-khau", "10.3.0.1", &r),
		                 MC_ERR_UNAUTHENTICATED);
	assert_int_equal(login("binh.tran", "dung-mat-khau", "10.3.0.2", &r), MC_OK);
	json_decref(r.user);
	/* five failures from different addresses: the username is locked */
	for (int i = 0; i < 5; i++) {
		char ip[32];
		snprintf(ip, sizeof ip, "10.3.1.%d", i);
		assert_int_equal(login("binh.tran", "sai-mat-khau", ip, &r),
		                 MC_ERR_UNAUTHENTICATED);
	}
	assert_int_equal(auth_login(db, "binh.tran", "dung-mat-khau", "10.3.2.1", &r, &d),
	                 MC_ERR_RATE_LIMITED);
	assert_true(r.retry_after > 0 && r.retry_after <= 15 * 60);
	assert_true(d.detail[0] != '\0');
	mc_diag_clear(&d);
	/* case variants share the limit */
	assert_int_equal(login("Binh.Tran", "dung-mat-khau", "10.3.2.1", &r), MC_ERR_RATE_LIMITED);
	/* other users are not affected */
	assert_int_equal(login("an.nguyen", "mat-khau-2026", "10.3.2.1", &r), MC_OK);
	json_decref(r.user);

	/* failures older than the window do not count */
	raw_sql("UPDATE login_attempt SET at = '2020-01-01T00:00:00Z' WHERE subject = ?1",
	        "u:binh.tran");
	assert_int_equal(login("binh.tran", "dung-mat-khau", "10.3.2.1", &r), MC_OK);
	json_decref(r.user);
}

static void test_rate_limit_address(void **state)
{
	(void)state;
	auth_login_result r;
	auth_limits saved, l;
	auth_get_limits(&saved);
	l = saved;
	l.ip_failures = 4; /* fewer hashes than the default 20, same counting */
	auth_set_limits(&l);
	for (int i = 0; i < 4; i++) {
		char user[32];
		snprintf(user, sizeof user, "guess%d", i);
		assert_int_equal(login(user, "whatever-pw", "192.0.2.7", &r),
		                 MC_ERR_UNAUTHENTICATED);
	}
	/* even a right password is refused from that address */
	assert_int_equal(login("an.nguyen", "mat-khau-2026", "192.0.2.7", &r), MC_ERR_RATE_LIMITED);
	assert_true(r.retry_after > 0);
	/* and accepted from another */
	assert_int_equal(login("an.nguyen", "mat-khau-2026", "192.0.2.8", &r), MC_OK);
	json_decref(r.user);
	auth_set_limits(&saved);
	auth_get_limits(&l);
	assert_int_equal(l.ip_failures, 20);
	/* out-of-range values are ignored */
	l.token_ttl = 1;
	auth_set_limits(&l);
	auth_get_limits(&l);
	assert_int_equal(l.token_ttl, 12 * 3600);
}

static void test_disable_revokes(void **state)
{
	(void)state;
	auth_login_result r;
	mc_principal who;
	char hash[65];
	json_t *out = NULL;
	mc_diag d = {0};
	assert_int_equal(add("chi.le", "mat-khau-chi", ROLE_CITIZEN, NULL, NULL), MC_OK);
	assert_int_equal(login("chi.le", "mat-khau-chi", "10.4.0.1", &r), MC_OK);
	json_decref(r.user);
	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_OK);

	json_t *body = json_pack("{s:b}", "disabled", 1);
	assert_int_equal(auth_user_update(db, "admin", "chi.le", body, &out, &d), MC_OK);
	assert_true(json_is_true(json_object_get(out, "disabled")));
	json_decref(out);
	json_decref(body);
	assert_int_equal(auth_resolve(db, r.token, &who, hash), MC_ERR_UNAUTHENTICATED);
	assert_int_equal(login("chi.le", "mat-khau-chi", "10.4.0.1", &r), MC_ERR_UNAUTHENTICATED);

	/* re-enable with a new password */
	body = json_pack("{s:b, s:s}", "disabled", 0, "password", "mat-khau-moi");
	assert_int_equal(auth_user_update(db, "admin", "chi.le", body, &out, &d), MC_OK);
	json_decref(out);
	json_decref(body);
	assert_int_equal(login("chi.le", "mat-khau-moi", "10.4.0.2", &r), MC_OK);
	json_decref(r.user);

	/* an officer needs an agency; unknown members are refused */
	body = json_pack("{s:s}", "role", "officer");
	assert_int_equal(auth_user_update(db, "admin", "chi.le", body, &out, &d),
	                 MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(body);
	body = json_pack("{s:s}", "username", "other");
	assert_int_equal(auth_user_update(db, "admin", "chi.le", body, &out, &d),
	                 MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(body);
	body = json_pack("{s:s}", "role", "admin");
	assert_int_equal(auth_user_update(db, "admin", "nobody.at.all", body, &out, &d),
	                 MC_ERR_NOT_FOUND);
	mc_diag_clear(&d);
	json_decref(body);
}

typedef struct list_ctx {
	const char *role;
	int64_t after;
	json_t *items;
	bool more;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	return auth_user_list(c, x->role, NULL, x->after, 2, &x->items, &x->more, diag);
}

static void test_user_list(void **state)
{
	(void)state;
	list_ctx x = {0};
	int total = 0;
	do {
		x.items = NULL;
		assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
		assert_true(json_array_size(x.items) <= 2);
		size_t i;
		json_t *u;
		json_array_foreach(x.items, i, u)
		{
			assert_null(json_object_get(u, "password_hash"));
			int64_t id = json_integer_value(json_object_get(u, "id"));
			assert_true(id > x.after);
			x.after = id;
			total++;
		}
		json_decref(x.items);
	} while (x.more);
	assert_int_equal(total, 5); /* an.nguyen, nnn..., can.bo, binh.tran, chi.le */
	x = (list_ctx){.role = "officer"};
	assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
	assert_int_equal(json_array_size(x.items), 1);
	json_decref(x.items);
}

static int cli(const char *input, int argc, const char *const *argv)
{
	char tmp[] = "/tmp/motcua-pw-XXXXXX";
	int fd = mkstemp(tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, input, strlen(input)), (ssize_t)strlen(input));
	close(fd);
	assert_non_null(freopen(tmp, "r", stdin));
	fflush(stdout);
	int rc = auth_cli_user(argc, (char **)argv);
	unlink(tmp);
	return rc;
}

static void test_cli(void **state)
{
	(void)state;
	const char *help[] = {"user", "--help"};
	assert_int_equal(cli("", 2, help), 0);
	const char *ok[] = {"user",        "add",          "--data",          dir,
	                    "--username",  "dung.pham",    "--role",          "citizen",
	                    "--person-id", "079190012346", "--password-stdin"};
	assert_int_equal(cli("mat-khau-dung\n", 11, ok), 0);
	assert_int_equal(cli("mat-khau-dung\n", 11, ok), 1); /* taken */
	auth_login_result r;
	assert_int_equal(login("dung.pham", "mat-khau-dung", "10.5.0.1", &r), MC_OK);
	json_decref(r.user);

	const char *no_pw[] = {"user",       "add",  "--data", dir,
	                       "--username", "e.vo", "--role", "citizen"};
	assert_int_equal(cli("x\n", 8, no_pw), 2);
	const char *bad_role[] = {"user",   "add",  "--data",          dir, "--username", "e.vo",
	                          "--role", "king", "--password-stdin"};
	assert_int_equal(cli("mat-khau-e-vo\n", 9, bad_role), 2);
	const char *bad_pid[] = {"user",        "add",  "--data",          dir,
	                         "--username",  "e.vo", "--role",          "citizen",
	                         "--person-id", "123",  "--password-stdin"};
	assert_int_equal(cli("mat-khau-e-vo\n", 11, bad_pid), 2);
	const char *no_agency[] = {"user",   "add",        "--data",
	                           dir,      "--username", "e.vo",
	                           "--role", "officer",    "--password-stdin"};
	assert_int_equal(cli("mat-khau-e-vo\n", 9, no_agency), 2);
	const char *ghost_agency[] = {"user",       "add",        "--data",          dir,
	                              "--username", "e.vo",       "--role",          "officer",
	                              "--agency",   "UBND-77777", "--password-stdin"};
	assert_int_equal(cli("mat-khau-e-vo\n", 11, ghost_agency), 2);
	const char *short_pw[] = {"user",   "add",     "--data",          dir, "--username", "e.vo",
	                          "--role", "citizen", "--password-stdin"};
	assert_int_equal(cli("short\n", 9, short_pw), 2);
	const char *on_cmdline[] = {"user", "add",    "--data",  dir,          "--username",
	                            "e.vo", "--role", "citizen", "--password", "mat-khau-e-vo"};
	assert_int_equal(cli("", 10, on_cmdline), 2);
	const char *unknown[] = {"user", "add", "--data", dir, "--colour", "blue"};
	assert_int_equal(cli("", 6, unknown), 2);
	const char *no_sub[] = {"user", "--data", dir};
	assert_int_equal(cli("", 3, no_sub), 2);
	const char *no_dir[] = {"user", "add",    "--data",  "/nonexistent/motcua", "--username",
	                        "e.vo", "--role", "citizen", "--password-stdin"};
	assert_int_equal(cli("mat-khau-e-vo\n", 9, no_dir), 2);
	const char *officer[] = {"user",   "add",     "--data",   dir,   "--username",      "e.vo",
	                         "--role", "officer", "--agency", "BTP", "--password-stdin"};
	assert_int_equal(cli("mat-khau-e-vo\r\n", 11, officer), 0);
	assert_int_equal(login("e.vo", "mat-khau-e-vo", "10.5.0.2", &r), MC_OK);
	json_decref(r.user);
}

static void test_audited(void **state)
{
	(void)state;
	long long n = 0, bad = 0;
	assert_int_equal(audit_verify(db, &n, &bad, NULL), MC_OK);
	assert_true(raw_sql("SELECT COUNT(*) FROM audit_log WHERE action = ?1", "user.create") >=
	            6);
	assert_true(raw_sql("SELECT COUNT(*) FROM audit_log WHERE action = ?1", "auth.login") >= 5);
	assert_int_equal(raw_sql("SELECT COUNT(*) FROM audit_log WHERE action = ?1", "auth.logout"),
	                 1);
	/* no secret ever reaches the audit log */
	assert_int_equal(
	    raw_sql("SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?1", "%mat-khau%"), 0);
	assert_int_equal(raw_sql("SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?1", "%argon%"),
	                 0);
}

int main(void)
{
	mc_mem_init();
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_user_rules),
	    cmocka_unit_test(test_login_and_resolve),
	    cmocka_unit_test(test_expired_token),
	    cmocka_unit_test(test_logout),
	    cmocka_unit_test(test_wrong_credentials_same_answer),
	    cmocka_unit_test(test_rate_limit_username),
	    cmocka_unit_test(test_rate_limit_address),
	    cmocka_unit_test(test_disable_revokes),
	    cmocka_unit_test(test_user_list),
	    cmocka_unit_test(test_cli),
	    cmocka_unit_test(test_audited),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
