/* auth.c - accounts (argon2id password hashes), login with rate limiting
 * stored in the database (so it holds across threads and nodes), bearer
 * tokens stored as SHA-256 hashes, logout, token resolution for the auth
 * stage, user listing and updates. Never logs passwords or tokens. */
#include "auth/auth_internal.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/mem.h"
#include "territory/territory.h"
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USER_COLS "id, username, role, agency, person_id, created_at, disabled"
#define HASH_HEX_LEN (crypto_hash_sha256_BYTES * 2 + 1)
#define AGENCY_CODE_MAX 32
/* Concurrent argon2id computations (each takes ~64 MB for ~0.1 s): bounds
 * the memory a burst of logins can take. */
#define HASH_CONCURRENCY 2

static auth_limits limits = {
    .token_ttl = 12 * 3600,
    .user_failures = 5,
    .ip_failures = 20,
    .window = 15 * 60,
};

void auth_set_limits(const auth_limits *l)
{
	if (l->token_ttl >= 60 && l->token_ttl <= 30L * 86400)
		limits.token_ttl = l->token_ttl;
	if (l->user_failures >= 1 && l->user_failures <= 10000)
		limits.user_failures = l->user_failures;
	if (l->ip_failures >= 1 && l->ip_failures <= 1000000)
		limits.ip_failures = l->ip_failures;
	if (l->window >= 1 && l->window <= 86400)
		limits.window = l->window;
}

void auth_get_limits(auth_limits *out)
{
	*out = limits;
}

/* ---- password hashing ----------------------------------------------------- */

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_busy;

static void gate_enter(void)
{
	pthread_mutex_lock(&gate_mu);
	while (gate_busy >= HASH_CONCURRENCY)
		pthread_cond_wait(&gate_cv, &gate_mu);
	gate_busy++;
	pthread_mutex_unlock(&gate_mu);
}

static void gate_leave(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_busy--;
	pthread_cond_signal(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}

/* argon2id hash of pw into out; false when out of memory. */
static bool hash_password(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	gate_enter();
	int rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
	gate_leave();
	return rc == 0;
}

static bool verify_password(const char *hash, const char *pw)
{
	gate_enter();
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	gate_leave();
	return rc == 0;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

/* A hash of a random password, verified for unknown users so that a wrong
 * username costs the same time as a wrong password. */
static void make_dummy(void)
{
	unsigned char rnd[16];
	char pw[33];

	if (sodium_init() < 0)
		return;
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
	if (!hash_password(pw, dummy_hash))
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof pw);
}

/* Hex SHA-256 of the first n bytes of a token. */
static void token_hash(const char *token, size_t n, char hex[HASH_HEX_LEN])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, n);
	sodium_bin2hex(hex, HASH_HEX_LEN, d, sizeof d);
}

/* ---- validation ----------------------------------------------------------- */

static bool username_ok(const char *u)
{
	size_t n = u ? strlen(u) : 0;
	if (n < AUTH_USERNAME_MIN || n > AUTH_USERNAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)u[i];
		if (!(ch >= 'a' && ch <= 'z') && !(ch >= '0' && ch <= '9') && ch != '.' &&
		    ch != '_' && ch != '-')
			return false;
	}
	return true;
}

static void check_spec(const auth_user_spec *u, bool check_password, json_t *errs)
{
	if (!username_ok(u->username))
		mc_errors_add(errs, "$.username",
		              "must be 3 to 63 characters of a-z, 0-9, '.', '_' or '-'",
		              "phải gồm 3 đến 63 ký tự a-z, 0-9, '.', '_' hoặc '-'");
	if (check_password) {
		size_t n = u->password ? strlen(u->password) : 0;
		if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX)
			mc_errors_add(errs, "$.password", "must be 8 to 256 bytes",
			              "phải dài từ 8 đến 256 byte");
	}
	if (u->role != ROLE_CITIZEN && u->role != ROLE_OFFICER && u->role != ROLE_ADMIN)
		mc_errors_add(errs, "$.role", "must be citizen, officer or admin",
		              "phải là citizen, officer hoặc admin");
	if (u->agency && (!*u->agency || strlen(u->agency) > AGENCY_CODE_MAX))
		mc_errors_add(errs, "$.agency", "must be an agency code", "phải là mã cơ quan");
	else if (u->role == ROLE_OFFICER && !u->agency)
		mc_errors_add(errs, "$.agency", "is required for an officer",
		              "bắt buộc với cán bộ");
	else if (u->role == ROLE_CITIZEN && u->agency)
		mc_errors_add(errs, "$.agency", "must be absent for a citizen",
		              "công dân không thuộc cơ quan");
	mc_diag pd = {0};
	if (u->person_id && id_person_parse(u->person_id, NULL, &pd) != MC_OK)
		mc_errors_add(errs, "$.person_id", pd.detail, pd.detail_vi);
}

json_t *auth_user_check(const auth_user_spec *u)
{
	json_t *errs = json_array();
	check_spec(u, true, errs);
	return errs;
}

static mc_err invalid(mc_diag *diag, json_t *errs)
{
	mc_err e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Thông tin tài khoản không hợp lệ.",
	                    "The account has invalid fields.");
	mc_diag_ext(diag, "errors", errs);
	return e;
}

/* ---- users ------------------------------------------------------------------ */

static json_t *user_json(store_stmt *st)
{
	return json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:b}", "id",
	                 (json_int_t)store_col_int(st, 0), "username", store_col_text(st, 1),
	                 "role", store_col_text(st, 2), "agency", store_col_text(st, 3),
	                 "person_id", store_col_text(st, 4), "created_at", store_col_text(st, 5),
	                 "disabled", store_col_int(st, 6) != 0);
}

mc_err auth_user_get(store_conn *c, const char *username, json_t **out, mc_diag *diag)
{
	store_stmt *st = NULL;
	bool row = false;
	mc_err e;

	*out = NULL;
	if (!username_ok(username))
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có tài khoản này.", "No such user.");
	e = store_prepare(c, "SELECT " USER_COLS " FROM user_account WHERE username = ?1", &st);
	if (e)
		return mc_fail(diag, e, "cannot read users");
	store_bind_text(st, 1, username);
	e = store_step(st, &row);
	if (!e && row)
		*out = user_json(st);
	store_finish(st);
	if (e)
		return mc_fail(diag, e, "cannot read users");
	if (!*out)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có tài khoản này.", "No user %s.",
		                username);
	return MC_OK;
}

/* UNPROCESSABLE unless `agency` (may be NULL) names an existing agency. */
static mc_err check_agency(store_conn *c, const char *agency, mc_diag *diag)
{
	json_t *a = NULL;
	if (!agency)
		return MC_OK;
	mc_err e = territory_agency_get(c, agency, &a, NULL);
	json_decref(a);
	if (e == MC_ERR_NOT_FOUND) {
		json_t *errs = json_array();
		mc_errors_add(errs, "$.agency", "no such agency", "không có cơ quan này");
		return invalid(diag, errs);
	}
	return e ? mc_fail(diag, e, "cannot read agencies") : MC_OK;
}

typedef struct create_ctx {
	const char *actor;
	const auth_user_spec *u;
	const char *hash;
	json_t *out;
} create_ctx;

static mc_err create_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	create_ctx *x = vctx;
	const auth_user_spec *u = x->u;
	store_stmt *st = NULL;
	bool row = false;
	char now[32];
	mc_err e;

	json_decref(x->out);
	x->out = NULL;
	mc_diag_clear(diag);
	e = check_agency(c, u->agency, diag);
	if (e)
		return e;
	e = store_prepare(c, "SELECT id FROM user_account WHERE username = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, u->username);
	e = store_step(st, &row);
	store_finish(st);
	if (e)
		return e;
	if (row)
		return mc_fail2(diag, MC_ERR_CONFLICT, "Tên đăng nhập đã được sử dụng.",
		                "The username %s is taken.", u->username);
	ts_format(ts_now(), now);
	{
		const char *p[] = {u->username, x->hash,      role_name(u->role),
		                   u->agency,   u->person_id, now};
		e = store_execv(
		    c,
		    "INSERT INTO user_account (username, password_hash, role, agency, "
		    "person_id, created_at, disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
		    6, p);
		if (e)
			return e;
	}
	e = auth_user_get(c, u->username, &x->out, diag);
	if (e)
		return e;
	json_t *d = json_pack("{s:s, s:s, s:s?, s:s?}", "username", u->username, "role",
	                      role_name(u->role), "agency", u->agency, "person_id", u->person_id);
	char *object = mc_xasprintf("user:%s", u->username);
	e = audit_append(c, x->actor, "user.create", object, d);
	free(object);
	json_decref(d);
	return e;
}

mc_err auth_user_create(store *s, const char *actor, const auth_user_spec *u, json_t **out,
                        mc_diag *diag)
{
	char hash[crypto_pwhash_STRBYTES];
	create_ctx x = {.actor = actor, .u = u, .hash = hash};
	mc_err e;

	if (out)
		*out = NULL;
	json_t *errs = auth_user_check(u);
	if (json_array_size(errs))
		return invalid(diag, errs);
	json_decref(errs);
	if (!hash_password(u->password, hash))
		return mc_fail(diag, MC_ERR_UNAVAILABLE,
		               "out of memory while hashing the password");
	e = store_write(s, create_fn, &x, diag);
	sodium_memzero(hash, sizeof hash);
	if (!e && out)
		*out = x.out;
	else
		json_decref(x.out);
	return e;
}

mc_err auth_user_add(store *s, const char *username, const char *password, mc_role role,
                     const char *agency, const char *person_id, mc_diag *diag)
{
	auth_user_spec u = {username, password, role, agency, person_id};
	return auth_user_create(s, "system", &u, NULL, diag);
}

mc_err auth_user_list(store_conn *c, const char *role, const char *agency, int64_t after_id,
                      int limit, json_t **items, bool *more, mc_diag *diag)
{
	mc_buf sql = {0};
	store_stmt *st = NULL;
	const char *vals[2];
	int n = 0;
	mc_err e;

	*items = json_array();
	*more = false;
	mc_buf_puts(&sql, "SELECT " USER_COLS " FROM user_account WHERE id > ?1");
	if (role) {
		vals[n++] = role;
		mc_buf_printf(&sql, " AND role = ?%d", n + 1);
	}
	if (agency) {
		vals[n++] = agency;
		mc_buf_printf(&sql, " AND agency = ?%d", n + 1);
	}
	mc_buf_printf(&sql, " ORDER BY id LIMIT ?%d", n + 2);
	e = store_prepare(c, mc_buf_cstr(&sql), &st);
	if (e)
		goto out;
	store_bind_int(st, 1, after_id);
	for (int i = 0; i < n; i++)
		store_bind_text(st, i + 2, vals[i]);
	store_bind_int(st, n + 2, limit + 1);
	e = store_collect(st, limit, user_json, *items, more);
	store_finish(st);
out:
	mc_buf_free(&sql);
	if (e) {
		json_decref(*items);
		*items = NULL;
		return mc_fail(diag, e, "cannot list users");
	}
	return MC_OK;
}

/* ---- user update ------------------------------------------------------------- */

typedef struct update_ctx {
	const char *actor, *username;
	json_t *body;
	const char *hash; /* new password hash or NULL */
	json_t *out;
} update_ctx;

static mc_err update_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	update_ctx *x = vctx;
	json_t *old = NULL, *errs = NULL, *v;
	auth_user_spec u = {0};
	bool disabled, revoke;
	mc_err e;

	json_decref(x->out);
	x->out = NULL;
	mc_diag_clear(diag);
	e = auth_user_get(c, x->username, &old, diag);
	if (e)
		return e;
	u.username = json_string_value(json_object_get(old, "username"));
	role_parse(json_string_value(json_object_get(old, "role")), &u.role);
	u.agency = json_string_value(json_object_get(old, "agency"));
	u.person_id = json_string_value(json_object_get(old, "person_id"));
	disabled = json_is_true(json_object_get(old, "disabled"));

	errs = json_array();
	if ((v = json_object_get(x->body, "role")) && !role_parse(json_string_value(v), &u.role))
		mc_errors_add(errs, "$.role", "must be citizen, officer or admin",
		              "phải là citizen, officer hoặc admin");
	if ((v = json_object_get(x->body, "agency"))) {
		if (json_is_null(v))
			u.agency = NULL;
		else if (json_is_string(v))
			u.agency = json_string_value(v);
		else
			mc_errors_add(errs, "$.agency", "must be a string or null",
			              "phải là chuỗi hoặc null");
	}
	if ((v = json_object_get(x->body, "person_id"))) {
		if (json_is_null(v))
			u.person_id = NULL;
		else if (json_is_string(v))
			u.person_id = json_string_value(v);
		else
			mc_errors_add(errs, "$.person_id", "must be a string or null",
			              "phải là chuỗi hoặc null");
	}
	if ((v = json_object_get(x->body, "disabled"))) {
		if (json_is_boolean(v))
			disabled = json_is_true(v);
		else
			mc_errors_add(errs, "$.disabled", "must be true or false",
			              "phải là true hoặc false");
	}
	if (!json_array_size(errs))
		check_spec(&u, false, errs);
	if (json_array_size(errs)) {
		e = invalid(diag, errs);
		errs = NULL;
		goto out;
	}
	if (x->actor && strcmp(x->actor, x->username) == 0 && (disabled || u.role != ROLE_ADMIN)) {
		e = mc_fail2(diag, MC_ERR_CONFLICT,
		             "Không thể tự khóa hoặc hạ quyền tài khoản của chính mình.",
		             "You cannot disable or demote your own account.");
		goto out;
	}
	e = check_agency(c, u.agency, diag);
	if (e)
		goto out;
	{
		const char *p[] = {x->username, role_name(u.role),    u.agency,
		                   u.person_id, disabled ? "1" : "0", x->hash};
		e = store_execv(c,
		                "UPDATE user_account SET role = ?2, agency = ?3, person_id = ?4, "
		                "disabled = CAST(?5 AS INTEGER), "
		                "password_hash = COALESCE(?6, password_hash) WHERE username = ?1",
		                6, p);
		if (e)
			goto out;
	}
	{
		const char *old_agency = json_string_value(json_object_get(old, "agency"));
		bool agency_changed = (old_agency == NULL) != (u.agency == NULL) ||
		                      (old_agency && strcmp(old_agency, u.agency) != 0);
		revoke =
		    disabled || x->hash || agency_changed ||
		    strcmp(role_name(u.role), json_string_value(json_object_get(old, "role"))) != 0;
	}
	if (revoke) {
		char id[32];
		snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT,
		         json_integer_value(json_object_get(old, "id")));
		const char *p[] = {id};
		e = store_execv(c, "DELETE FROM auth_token WHERE user_id = CAST(?1 AS INTEGER)", 1,
		                p);
		if (e)
			goto out;
	}
	e = auth_user_get(c, x->username, &x->out, diag);
	if (e)
		goto out;
	{
		json_t *d =
		    json_pack("{s:O, s:O, s:b, s:b}", "before", old, "after", x->out,
		              "password_changed", x->hash != NULL, "tokens_revoked", revoke);
		char *object = mc_xasprintf("user:%s", x->username);
		e = audit_append(c, x->actor, "user.update", object, d);
		free(object);
		json_decref(d);
	}
out:
	json_decref(errs);
	json_decref(old);
	return e;
}

mc_err auth_user_update(store *s, const char *actor, const char *username, json_t *body,
                        json_t **out, mc_diag *diag)
{
	static const char *const known[] = {"role",     "agency",   "person_id",
	                                    "disabled", "password", NULL};
	char hash[crypto_pwhash_STRBYTES];
	update_ctx x = {.actor = actor, .username = username, .body = body};
	json_t *errs = json_array(), *pw;
	const char *key;
	json_t *val;
	mc_err e;

	*out = NULL;
	if (!json_is_object(body)) {
		json_decref(errs);
		return mc_fail2(diag, MC_ERR_INVALID, "Nội dung phải là đối tượng JSON.",
		                "The body must be a JSON object.");
	}
	json_object_foreach(body, key, val)
	{
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(key, *k) == 0;
		if (!ok) {
			char *path = mc_xasprintf("$.%.64s", key);
			mc_errors_add(errs, path, "unknown member", "trường không được hỗ trợ");
			free(path);
		}
	}
	pw = json_object_get(body, "password");
	if (pw) {
		size_t n = json_is_string(pw) ? strlen(json_string_value(pw)) : 0;
		if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX)
			mc_errors_add(errs, "$.password", "must be 8 to 256 bytes",
			              "phải dài từ 8 đến 256 byte");
	}
	if (json_array_size(errs))
		return invalid(diag, errs);
	json_decref(errs);
	if (pw) {
		if (!hash_password(json_string_value(pw), hash))
			return mc_fail(diag, MC_ERR_UNAVAILABLE,
			               "out of memory while hashing the password");
		x.hash = hash;
	}
	e = store_write(s, update_fn, &x, diag);
	sodium_memzero(hash, sizeof hash);
	if (e)
		json_decref(x.out);
	else
		*out = x.out;
	return e;
}

/* ---- login ------------------------------------------------------------------- */

typedef struct login_ctx {
	const char *username, *ukey, *ikey, *now, *cutoff;
	/* read results */
	int ufail, ifail;
	char ufirst[32], ifirst[32];
	bool found, disabled;
	int64_t id;
	char hash[crypto_pwhash_STRBYTES];
	/* issue */
	const char *token_hash, *expires_at, *rehash, *ip;
	json_t *user;
} login_ctx;

static mc_err count_failures(store_conn *c, const char *subject, const char *cutoff, int *n,
                             char first[32])
{
	store_stmt *st = NULL;
	bool row = false;
	mc_err e = store_prepare(
	    c, "SELECT COUNT(*), MIN(at) FROM login_attempt WHERE subject = ?1 AND at > ?2", &st);
	*n = 0;
	first[0] = '\0';
	if (e)
		return e;
	store_bind_text(st, 1, subject);
	store_bind_text(st, 2, cutoff);
	e = store_step(st, &row);
	if (!e && row) {
		const char *f = store_col_text(st, 1);
		*n = (int)store_col_int(st, 0);
		snprintf(first, 32, "%s", f ? f : "");
	}
	store_finish(st);
	return e;
}

static mc_err login_read_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	login_ctx *x = vctx;
	store_stmt *st = NULL;
	bool row = false;
	mc_err e;

	e = count_failures(c, x->ukey, x->cutoff, &x->ufail, x->ufirst);
	if (!e)
		e = count_failures(c, x->ikey, x->cutoff, &x->ifail, x->ifirst);
	if (e)
		return e;
	x->found = false;
	e = store_prepare(
	    c, "SELECT id, password_hash, disabled FROM user_account WHERE username = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->username);
	e = store_step(st, &row);
	if (!e && row) {
		const char *h = store_col_text(st, 1);
		x->found = true;
		x->id = store_col_int(st, 0);
		snprintf(x->hash, sizeof x->hash, "%s", h ? h : "");
		x->disabled = store_col_int(st, 2) != 0;
	}
	store_finish(st);
	return e;
}

static mc_err login_fail_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	login_ctx *x = vctx;
	const char *p1[] = {x->ukey, x->now};
	const char *p2[] = {x->ikey, x->now};
	const char *p3[] = {x->cutoff};
	mc_err e = store_execv(c, "INSERT INTO login_attempt (subject, at) VALUES (?1, ?2)", 2, p1);
	if (!e)
		e = store_execv(c, "INSERT INTO login_attempt (subject, at) VALUES (?1, ?2)", 2,
		                p2);
	if (!e) /* prune what no window can count any more */
		e = store_execv(c, "DELETE FROM login_attempt WHERE at <= ?1", 1, p3);
	return e;
}

static mc_err login_issue_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	login_ctx *x = vctx;
	store_stmt *st = NULL;
	bool row = false;
	char id[32];
	mc_err e;

	json_decref(x->user);
	x->user = NULL;
	snprintf(id, sizeof id, "%lld", (long long)x->id);
	{
		const char *p[] = {x->token_hash, id, x->now, x->expires_at};
		e = store_execv(
		    c,
		    "INSERT INTO auth_token (token_hash, user_id, created_at, expires_at) "
		    "VALUES (?1, CAST(?2 AS INTEGER), ?3, ?4)",
		    4, p);
	}
	if (!e) {
		/* housekeeping: drop every expired token (indexed by expiry) */
		const char *p[] = {x->now};
		e = store_execv(c, "DELETE FROM auth_token WHERE expires_at <= ?1", 1, p);
	}
	if (!e) {
		const char *p[] = {x->ukey};
		e = store_execv(c, "DELETE FROM login_attempt WHERE subject = ?1", 1, p);
	}
	if (!e && x->rehash) {
		const char *p[] = {id, x->rehash};
		e = store_execv(c,
		                "UPDATE user_account SET password_hash = ?2 WHERE id = "
		                "CAST(?1 AS INTEGER)",
		                2, p);
	}
	if (e)
		return e;
	e = store_prepare(c,
	                  "SELECT id, username, role, agency, person_id FROM user_account "
	                  "WHERE id = ?1",
	                  &st);
	if (e)
		return e;
	store_bind_int(st, 1, x->id);
	e = store_step(st, &row);
	if (!e && row)
		x->user = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?}", "id",
		                    (json_int_t)store_col_int(st, 0), "username",
		                    store_col_text(st, 1), "role", store_col_text(st, 2), "agency",
		                    store_col_text(st, 3), "person_id", store_col_text(st, 4));
	store_finish(st);
	if (e || !x->user)
		return e ? e : MC_ERR_INTERNAL;
	json_t *d = json_pack("{s:s, s:s}", "ip", x->ip, "expires_at", x->expires_at);
	char *object = mc_xasprintf("user:%s", x->username);
	e = audit_append(c, x->username, "auth.login", object, d);
	free(object);
	json_decref(d);
	return e;
}

static long seconds_left(const char *first, time_t now)
{
	time_t t;
	if (!first[0] || !ts_parse(first, &t))
		return limits.window;
	long left = (long)(t + limits.window - now);
	return left < 1 ? 1 : left;
}

mc_err auth_login(store *s, const char *username, const char *password, const char *client_ip,
                  auth_login_result *out, mc_diag *diag)
{
	char name[AUTH_USERNAME_MAX + 1], now[32], cutoff[32], expires[32], th[HASH_HEX_LEN];
	char rehash[crypto_pwhash_STRBYTES];
	login_ctx x = {0};
	time_t t = ts_now();
	bool ok;
	mc_err e;

	memset(out, 0, sizeof *out);
	pthread_once(&dummy_once, make_dummy);
	if (!username || !password)
		return mc_fail2(diag, MC_ERR_INVALID, "Cần tên đăng nhập và mật khẩu.",
		                "username and password are required");
	if (strlen(username) > AUTH_USERNAME_MAX || strlen(password) > AUTH_PASSWORD_MAX)
		return mc_fail2(diag, MC_ERR_INVALID, "Tên đăng nhập hoặc mật khẩu quá dài.",
		                "username or password too long");
	/* usernames are lower case: fold so that case variants share a limit */
	size_t i;
	for (i = 0; username[i]; i++)
		name[i] = (char)tolower((unsigned char)username[i]);
	name[i] = '\0';

	ts_format(t, now);
	ts_format(t - limits.window, cutoff);
	x.username = name;
	x.now = now;
	x.cutoff = cutoff;
	x.ip = client_ip && *client_ip ? client_ip : "unknown";
	char *ukey = mc_xasprintf("u:%s", name);
	char *ikey = mc_xasprintf("ip:%.64s", x.ip);
	x.ukey = ukey;
	x.ikey = ikey;

	e = store_read(s, login_read_fn, &x, diag);
	if (e) {
		mc_fail(diag, e, "cannot read accounts");
		goto out;
	}
	if (x.ufail >= limits.user_failures || x.ifail >= limits.ip_failures) {
		long a = x.ufail >= limits.user_failures ? seconds_left(x.ufirst, t) : 0;
		long b = x.ifail >= limits.ip_failures ? seconds_left(x.ifirst, t) : 0;
		out->retry_after = a > b ? a : b;
		e = mc_fail2(diag, MC_ERR_RATE_LIMITED,
		             "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.",
		             "Too many failed logins; try again in %ld seconds.", out->retry_after);
		goto out;
	}
	/* unknown users still cost one hash verification */
	ok = verify_password(x.found ? x.hash : dummy_hash, password);
	if (!ok || !x.found || x.disabled) {
		mc_err fe = store_write(s, login_fail_fn, &x, NULL);
		if (fe)
			log_error("auth: cannot record a failed login (%s)", mc_err_name(fe));
		log_info("auth: failed login from %s", x.ip);
		e = mc_fail2(diag, MC_ERR_UNAUTHENTICATED, "Sai tên đăng nhập hoặc mật khẩu.",
		             "Wrong username or password.");
		goto out;
	}
	if (crypto_pwhash_str_needs_rehash(x.hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                   crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
	    hash_password(password, rehash))
		x.rehash = rehash;

	{
		unsigned char raw[32];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2base64(out->token, sizeof out->token, raw, sizeof raw,
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sodium_memzero(raw, sizeof raw);
	}
	token_hash(out->token, strlen(out->token), th);
	ts_format(t + limits.token_ttl, expires);
	x.token_hash = th;
	x.expires_at = expires;
	e = store_write(s, login_issue_fn, &x, diag);
	if (e) {
		sodium_memzero(out->token, sizeof out->token);
		mc_fail(diag, e, "cannot store the session");
		goto out;
	}
	snprintf(out->expires_at, sizeof out->expires_at, "%s", expires);
	out->user = x.user;
	x.user = NULL;
out:
	sodium_memzero(x.hash, sizeof x.hash);
	json_decref(x.user);
	free(ukey);
	free(ikey);
	return e;
}

/* ---- tokens --------------------------------------------------------------------- */

typedef struct resolve_ctx {
	const char *hash, *now;
	mc_principal *who;
	bool found;
} resolve_ctx;

/* Fills `w` from a row (id, username, role, agency, person_id); false when
 * the stored role is unknown. */
static bool principal_from_row(store_stmt *st, mc_principal *w)
{
	const char *name = store_col_text(st, 1), *role = store_col_text(st, 2),
	           *agency = store_col_text(st, 3), *pid = store_col_text(st, 4);
	memset(w, 0, sizeof *w);
	if (!role_parse(role, &w->role))
		return false;
	w->user_id = store_col_int(st, 0);
	snprintf(w->username, sizeof w->username, "%s", name ? name : "");
	snprintf(w->agency, sizeof w->agency, "%s", agency ? agency : "");
	snprintf(w->person_id, sizeof w->person_id, "%s", pid ? pid : "");
	return true;
}

static mc_err resolve_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	resolve_ctx *x = vctx;
	store_stmt *st = NULL;
	bool row = false;
	mc_err e = store_prepare(c,
	                         "SELECT u.id, u.username, u.role, u.agency, u.person_id "
	                         "FROM auth_token t JOIN user_account u ON u.id = t.user_id "
	                         "WHERE t.token_hash = ?1 AND t.expires_at > ?2 AND u.disabled = 0",
	                         &st);
	x->found = false;
	if (e)
		return e;
	store_bind_text(st, 1, x->hash);
	store_bind_text(st, 2, x->now);
	e = store_step(st, &row);
	if (!e && row)
		x->found = principal_from_row(st, x->who);
	store_finish(st);
	return e;
}

mc_err auth_resolve(store *s, const char *token, mc_principal *out, char *token_hash_hex)
{
	char now[32];
	size_t n = token ? strnlen(token, AUTH_TOKEN_MAX + 1) : 0;
	resolve_ctx x = {.hash = token_hash_hex, .now = now, .who = out};

	memset(out, 0, sizeof *out);
	token_hash_hex[0] = '\0';
	if (n == 0 || n > AUTH_TOKEN_MAX)
		return MC_ERR_UNAUTHENTICATED;
	token_hash(token, n, token_hash_hex);
	ts_format(ts_now(), now);
	mc_err e = store_read(s, resolve_fn, &x, NULL);
	if (e)
		return e == MC_ERR_UNAVAILABLE ? e : MC_ERR_UNAUTHENTICATED;
	if (!x.found) {
		memset(out, 0, sizeof *out);
		return MC_ERR_UNAUTHENTICATED;
	}
	return MC_OK;
}

typedef struct logout_ctx {
	const char *actor, *hash;
	bool found;
} logout_ctx;

static mc_err logout_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	logout_ctx *x = vctx;
	const char *p[] = {x->hash};
	mc_err e = store_execv(c, "DELETE FROM auth_token WHERE token_hash = ?1", 1, p);
	if (e)
		return e;
	x->found = store_changes(c) > 0;
	if (!x->found)
		return MC_OK;
	char *object = mc_xasprintf("user:%s", x->actor ? x->actor : "");
	e = audit_append(c, x->actor, "auth.logout", object, NULL);
	free(object);
	return e;
}

mc_err auth_logout(store *s, const char *actor, const char *token_hash, mc_diag *diag)
{
	logout_ctx x = {.actor = actor, .hash = token_hash};
	if (!token_hash || !*token_hash)
		return mc_fail2(diag, MC_ERR_UNAUTHENTICATED, "Chưa đăng nhập.",
		                "No session to end.");
	mc_err e = store_write(s, logout_fn, &x, diag);
	if (e)
		return mc_fail(diag, e, "cannot end the session");
	if (!x.found)
		return mc_fail2(diag, MC_ERR_UNAUTHENTICATED, "Phiên đã kết thúc.",
		                "The session has already ended.");
	return MC_OK;
}

typedef struct principal_ctx {
	const char *username;
	mc_principal *who;
	bool found;
} principal_ctx;

static mc_err principal_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	principal_ctx *x = vctx;
	store_stmt *st = NULL;
	bool row = false;
	mc_err e = store_prepare(c,
	                         "SELECT id, username, role, agency, person_id FROM user_account "
	                         "WHERE username = ?1 AND disabled = 0",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->username);
	e = store_step(st, &row);
	x->found = !e && row && principal_from_row(st, x->who);
	store_finish(st);
	return e;
}

mc_err auth_principal_of(store *s, const char *username, mc_principal *out, mc_diag *diag)
{
	principal_ctx x = {.username = username, .who = out};
	memset(out, 0, sizeof *out);
	mc_err e = store_read(s, principal_fn, &x, diag);
	if (!e && !x.found)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có tài khoản này.", "No user %s.",
		             username);
	return e;
}
