/* result_test.c - unit tests of signed results (result.h): canonical bytes,
 * signing and verification (one changed byte is rejected), encryption of
 * secret keys at rest (round trip; another master key, key id or agency, or
 * an altered ciphertext is refused), the master key file (0600, format,
 * permissions), and against a temporary store: issuing, verification
 * valid / tampered (one byte of the stored document edited with raw SQL) /
 * revoked, revocation rules, key rotation keeping old results valid, and
 * escaping in the renderings. */
#include "result/result.h"

#include "core/mem.h"
#include "testsupport/testsupport.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

static void test_canonical(void **state)
{
	(void)state;
	json_t *a = json_loads("{\"b\": 1, \"a\": {\"y\": \"Việt Nam\", \"x\": [1, 2]}}", 0, NULL);
	json_t *b = json_loads("{\"a\":{\"x\":[1,2],\"y\":\"Việt Nam\"},\"b\":1}", 0, NULL);
	char *ca = result_canonical(a), *cb = result_canonical(b);
	assert_string_equal(ca, "{\"a\":{\"x\":[1,2],\"y\":\"Việt Nam\"},\"b\":1}");
	assert_string_equal(ca, cb);
	free(ca);
	free(cb);
	json_decref(a);
	json_decref(b);
}

static void test_sign_verify_tamper(void **state)
{
	(void)state;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	char msg[] = "{\"content\":{\"so\":\"GKS-2026-0001\"},\"id\":\"x\"}";
	char sig[2 * crypto_sign_BYTES + 1];
	result_sign_bytes(sk, msg, strlen(msg), sig);
	assert_int_equal(strlen(sig), 128);
	assert_true(result_signature_ok(pk, msg, strlen(msg), sig));
	assert_false(result_signature_ok(pk2, msg, strlen(msg), sig));
	/* every single changed byte is caught */
	for (size_t i = 0; i < strlen(msg); i++) {
		msg[i] ^= 1;
		assert_false(result_signature_ok(pk, msg, strlen(msg), sig));
		msg[i] ^= 1;
	}
	assert_false(result_signature_ok(pk, msg, strlen(msg), "00"));
	assert_false(result_signature_ok(pk, msg, strlen(msg), NULL));
	char bad[sizeof sig];
	memcpy(bad, sig, sizeof sig);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	assert_false(result_signature_ok(pk, msg, strlen(msg), bad));
}

static void test_key_seal_round_trip(void **state)
{
	(void)state;
	unsigned char m[RESULT_MASTER_KEY_BYTES], m2[RESULT_MASTER_KEY_BYTES];
	randombytes_buf(m, sizeof m);
	randombytes_buf(m2, sizeof m2);
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	unsigned char back[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	char kid[RESULT_KEY_ID_LEN + 1];
	result_key_id(pk, kid);
	assert_int_equal(strlen(kid), RESULT_KEY_ID_LEN);
	assert_int_equal(kid[0], 'k');
	char *hex = NULL;
	result_key_seal(m, kid, "UBND-00004", sk, &hex);
	/* the secret key does not appear in clear */
	char skhex[2 * sizeof sk + 1];
	sodium_bin2hex(skhex, sizeof skhex, sk, sizeof sk);
	assert_null(strstr(hex, skhex));
	assert_int_equal(result_key_open(m, kid, "UBND-00004", hex, back), MC_OK);
	assert_memory_equal(back, sk, sizeof sk);
	assert_int_equal(result_key_open(m2, kid, "UBND-00004", hex, back), MC_ERR_FORBIDDEN);
	assert_int_equal(result_key_open(m, kid, "UBND-00008", hex, back), MC_ERR_FORBIDDEN);
	assert_int_equal(result_key_open(m, "k0000000000000000", "UBND-00004", hex, back),
	                 MC_ERR_FORBIDDEN);
	hex[60] = hex[60] == '0' ? '1' : '0';
	assert_int_equal(result_key_open(m, kid, "UBND-00004", hex, back), MC_ERR_FORBIDDEN);
	assert_int_equal(result_key_open(m, kid, "UBND-00004", "abcd", back), MC_ERR_FORBIDDEN);
	free(hex);
}

static void test_master_key_file(void **state)
{
	(void)state;
	char dir[128];
	assert_int_equal(testsupport_tmpdir("mkey", dir, sizeof dir), 0);
	char *path = result_master_key_path(NULL, dir);
	bool created = false;
	assert_int_equal(result_master_key_create(path, &created, NULL), MC_OK);
	assert_true(created);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, 65);
	assert_int_equal(result_master_key_create(path, &created, NULL), MC_OK);
	assert_false(created); /* kept */
	assert_int_equal(result_master_key_load(path, NULL), MC_OK);
	chmod(path, 0644);
	assert_int_equal(result_master_key_load(path, NULL), MC_ERR_INVALID);
	char *bad = mc_xasprintf("%s/bad.key", dir);
	FILE *f = fopen(bad, "w");
	fputs("not hex\n", f);
	fclose(f);
	chmod(bad, 0600);
	assert_int_equal(result_master_key_load(bad, NULL), MC_ERR_INVALID);
	char *missing = mc_xasprintf("%s/none.key", dir);
	assert_int_equal(result_master_key_load(missing, NULL), MC_ERR_IO);
	char *opt = result_master_key_path("/x/y.key", dir);
	assert_string_equal(opt, "/x/y.key");
	free(opt);
	free(bad);
	free(missing);
	free(path);
	testsupport_rmtree(dir);
}

static void test_public_url(void **state)
{
	(void)state;
	assert_int_equal(result_set_public_url("https://dichvucong.example.vn/", NULL), MC_OK);
	char *u = result_verify_url("abc");
	assert_string_equal(u, "https://dichvucong.example.vn/verify/abc");
	free(u);
	assert_int_equal(result_set_public_url("ftp://x", NULL), MC_ERR_INVALID);
	assert_int_equal(result_set_public_url("http://a b", NULL), MC_ERR_INVALID);
	assert_int_equal(result_set_public_url("http://x\"><script>", NULL), MC_ERR_INVALID);
	assert_int_equal(result_set_public_url("http://127.0.0.1:8080", NULL), MC_OK);
}

/* ---- against a store ---- */

static char dir[128];
static store *db;

typedef struct issue_ctx {
	const char *code, *agency;
	json_t *content;
	char id[RESULT_ID_LEN + 1];
} issue_ctx;

static mc_err issue_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	issue_ctx *x = vctx;
	result_issue_in in = {.dossier_code = x->code,
	                      .procedure_code = "1.001193",
	                      .procedure_name = "Thủ tục đăng ký khai sinh",
	                      .agency = x->agency,
	                      .applicant_username = "citizen",
	                      .applicant_person_id = "001090012345",
	                      .applicant_user_id = 3,
	                      .content = x->content,
	                      .issued_at = "2026-03-02T02:00:00Z",
	                      .actor = "officer"};
	return result_issue(c, &in, x->id, diag);
}

static mc_err issue(const char *code, const char *agency, const char *content, char *id)
{
	issue_ctx x = {code, agency, json_loads(content, JSON_DECODE_ANY, NULL), ""};
	mc_diag d = {0};
	mc_err e = store_write(db, issue_fn, &x, &d);
	json_decref(x.content);
	mc_diag_clear(&d);
	if (id)
		strcpy(id, x.id);
	return e;
}

typedef struct get_ctx {
	const char *id;
	bool verify;
	json_t *out;
} get_ctx;

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	get_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return x->verify ? result_verify(c, x->id, &x->out, diag)
	                 : result_get(c, x->id, &x->out, diag);
}

/* Status of result id per result_verify ("" when an error). */
static char *status_of(const char *id, char *buf)
{
	get_ctx x = {id, true, NULL};
	buf[0] = '\0';
	if (store_read(db, get_fn, &x, NULL) == MC_OK)
		strcpy(buf, json_string_value(json_object_get(x.out, "status")));
	json_decref(x.out);
	return buf;
}

static mc_err exec_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	const char **p = vctx;
	return store_execv(c, p[0], 1, p + 1);
}

static void sql1(const char *sql, const char *arg)
{
	const char *p[] = {sql, arg};
	assert_int_equal(store_write(db, exec_fn, p, NULL), MC_OK);
}

static int store_setup(void **state)
{
	(void)state;
	db = testsupport_store_open("result", dir, sizeof dir);
	if (!db || testsupport_load_units(db, NULL, NULL))
		return -1;
	unsigned char m[RESULT_MASTER_KEY_BYTES];
	randombytes_buf(m, sizeof m);
	result_master_key_set(m);
	return 0;
}

static int store_teardown(void **state)
{
	(void)state;
	result_master_key_set(NULL);
	return testsupport_store_remove(db, dir);
}

static void test_issue_verify_tamper(void **state)
{
	(void)state;
	char id[RESULT_ID_LEN + 1], st[16];
	assert_int_equal(issue("UBND-00004-260302-0001", "UBND-00004",
	                       "{\"so\": \"GKS-2026-0001\", \"ho_ten\": \"Nguyễn Văn An\"}", id),
	                 MC_OK);
	assert_int_equal(strlen(id), RESULT_ID_LEN);
	assert_string_equal(status_of(id, st), "valid");
	/* a second result for the same dossier is refused */
	assert_int_equal(issue("UBND-00004-260302-0001", "UBND-00004", "{}", NULL),
	                 MC_ERR_CONFLICT);
	/* content must be an object */
	assert_int_equal(issue("UBND-00004-260302-0009", "UBND-00004", "[1]", NULL),
	                 MC_ERR_UNPROCESSABLE);

	get_ctx g = {id, false, NULL};
	assert_int_equal(store_read(db, get_fn, &g, NULL), MC_OK);
	json_t *doc = json_object_get(g.out, "document");
	assert_string_equal(json_string_value(json_object_get(doc, "format")), RESULT_FORMAT);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(doc, "issuing_agency"), "code")),
	    "UBND-00004");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(doc, "content"), "so")),
	    "GKS-2026-0001");
	json_decref(g.out);

	/* one byte of the stored document changed: tampered */
	sql1("UPDATE result SET document = replace(document, 'GKS-2026-0001', 'GKS-2026-0002') "
	     "WHERE id = ?1",
	     id);
	assert_string_equal(status_of(id, st), "tampered");
	sql1("UPDATE result SET document = replace(document, 'GKS-2026-0002', 'GKS-2026-0001') "
	     "WHERE id = ?1",
	     id);
	assert_string_equal(status_of(id, st), "valid");
	/* a column next to the document changed: tampered as well */
	sql1("UPDATE result SET issued_at = '2020-01-01T00:00:00Z' WHERE id = ?1", id);
	assert_string_equal(status_of(id, st), "tampered");
	sql1("UPDATE result SET issued_at = '2026-03-02T02:00:00Z' WHERE id = ?1", id);
	assert_string_equal(status_of(id, st), "valid");
	/* unknown ids */
	assert_string_equal(status_of("00000000000000000000000000000000", st), "");
	assert_string_equal(status_of("../../etc/passwd", st), "");
}

static void test_revoke(void **state)
{
	(void)state;
	char id[RESULT_ID_LEN + 1], st[16];
	assert_int_equal(issue("UBND-00004-260302-0002", "UBND-00004", "{\"so\": \"R-1\"}", id),
	                 MC_OK);
	mc_principal citizen = {.role = ROLE_CITIZEN, .user_id = 3, .username = "citizen"};
	mc_principal other = {
	    .role = ROLE_OFFICER, .user_id = 5, .username = "officer2", .agency = "UBND-00008"};
	mc_principal officer = {
	    .role = ROLE_OFFICER, .user_id = 4, .username = "officer", .agency = "UBND-00004"};
	json_t *out = NULL;
	assert_int_equal(result_revoke(db, &officer, id, "  ", &out, NULL), MC_ERR_UNPROCESSABLE);
	assert_int_equal(result_revoke(db, &officer, id, NULL, &out, NULL), MC_ERR_UNPROCESSABLE);
	assert_int_equal(result_revoke(db, &citizen, id, "x", &out, NULL), MC_ERR_NOT_FOUND);
	assert_int_equal(result_revoke(db, &other, id, "x", &out, NULL), MC_ERR_FORBIDDEN);
	assert_string_equal(status_of(id, st), "valid");
	assert_int_equal(result_revoke(db, &officer, id, "Cấp nhầm người", &out, NULL), MC_OK);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "revoked");
	json_decref(out);
	assert_string_equal(status_of(id, st), "revoked");
	assert_int_equal(result_revoke(db, &officer, id, "again", &out, NULL), MC_ERR_CONFLICT);
	/* a revoked result that is also edited is reported as tampered */
	sql1("UPDATE result SET document = replace(document, 'R-1', 'R-2') WHERE id = ?1", id);
	assert_string_equal(status_of(id, st), "tampered");
}

typedef struct keys_ctx {
	json_t *out;
} keys_ctx;

static mc_err keys_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	keys_ctx *x = vctx;
	json_decref(x->out);
	return result_keys_list(c, "UBND-00004", &x->out, diag);
}

static void test_rotation(void **state)
{
	(void)state;
	char old_id[RESULT_ID_LEN + 1], new_id[RESULT_ID_LEN + 1], st[16];
	assert_int_equal(issue("UBND-00004-260302-0003", "UBND-00004", "{\"n\": 1}", old_id),
	                 MC_OK);
	json_t *key = NULL;
	assert_int_equal(result_key_rotate_on(db, "UBND-00004", "admin", &key, NULL), MC_OK);
	const char *new_kid = json_string_value(json_object_get(key, "id"));
	assert_int_equal(issue("UBND-00004-260302-0004", "UBND-00004", "{\"n\": 2}", new_id),
	                 MC_OK);
	assert_string_equal(status_of(old_id, st), "valid");
	assert_string_equal(status_of(new_id, st), "valid");
	get_ctx g = {new_id, true, NULL};
	assert_int_equal(store_read(db, get_fn, &g, NULL), MC_OK);
	assert_string_equal(json_string_value(json_object_get(g.out, "key_id")), new_kid);
	json_decref(g.out);
	g = (get_ctx){old_id, true, NULL};
	assert_int_equal(store_read(db, get_fn, &g, NULL), MC_OK);
	assert_string_not_equal(json_string_value(json_object_get(g.out, "key_id")), new_kid);
	json_decref(g.out);

	keys_ctx k = {NULL};
	assert_int_equal(store_read(db, keys_fn, &k, NULL), MC_OK);
	assert_true(json_array_size(k.out) >= 2);
	int active = 0;
	size_t i;
	json_t *v;
	json_array_foreach(k.out, i, v) active += json_is_true(json_object_get(v, "active"));
	assert_int_equal(active, 1);
	json_decref(k.out);
	json_decref(key);
	assert_int_equal(result_key_rotate_on(db, "UBND-99999", "admin", NULL, NULL),
	                 MC_ERR_NOT_FOUND);
	/* without a master key nothing can be signed */
	unsigned char m[RESULT_MASTER_KEY_BYTES];
	randombytes_buf(m, sizeof m);
	result_master_key_set(NULL);
	assert_int_equal(issue("UBND-00004-260302-0005", "UBND-00004", "{}", NULL),
	                 MC_ERR_UNAVAILABLE);
	/* another master key cannot decrypt the agency's key */
	result_master_key_set(m);
	assert_int_equal(issue("UBND-00004-260302-0005", "UBND-00004", "{}", NULL),
	                 MC_ERR_UNAVAILABLE);
}

static void test_renderings_escape(void **state)
{
	(void)state;
	json_t *doc = json_loads(
	    "{\"id\": \"abc\", \"procedure\": {\"code\": \"1.001193\", \"name\": \"Khai sinh\"}, "
	    "\"issuing_agency\": {\"code\": \"UBND-00004\", \"name\": \"UBND <b>\"}, "
	    "\"content\": {\"z\": \"<script>alert(1)</script>\", \"a\": {\"n\": 1}}}",
	    0, NULL);
	char *html = result_render_html(doc);
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "&lt;script&gt;"));
	assert_non_null(strstr(html, "UBND &lt;b&gt;"));
	/* sorted content keys */
	assert_true(strstr(html, "<dt>a</dt>") < strstr(html, "<dt>z</dt>"));
	char *text = result_render_text(doc);
	assert_non_null(strstr(text, "  a: {\"n\":1}\n  z: <script>"));
	free(html);
	free(text);
	json_t *v = json_pack("{s:s, s:s, s:{s:s, s:s}}", "id", "abc\"<", "status", "revoked",
	                      "issuing_agency", "code", "X", "name", "<i>");
	char *page = result_verify_html(v);
	assert_non_null(strstr(page, "THU HỒI"));
	assert_non_null(strstr(page, "REVOKED"));
	assert_null(strstr(page, "<i>"));
	assert_null(strstr(page, "<script"));
	free(page);
	page = result_verify_html(NULL);
	assert_non_null(strstr(page, "No result has this id"));
	free(page);
	json_decref(v);
	json_decref(doc);
}

int main(void)
{
	mc_mem_init();
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(test_canonical),           cmocka_unit_test(test_sign_verify_tamper),
	    cmocka_unit_test(test_key_seal_round_trip), cmocka_unit_test(test_master_key_file),
	    cmocka_unit_test(test_public_url),          cmocka_unit_test(test_renderings_escape),
	};
	const struct CMUnitTest stored[] = {
	    cmocka_unit_test(test_issue_verify_tamper),
	    cmocka_unit_test(test_revoke),
	    cmocka_unit_test(test_rotation),
	};
	int rc = cmocka_run_group_tests_name("result", pure, NULL, NULL);
	rc |= cmocka_run_group_tests_name("result_store", stored, store_setup, store_teardown);
	return rc;
}
