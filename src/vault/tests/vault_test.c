/* vault_test.c - the vault's pure rules: the document-type dictionary, the
 * matcher on real component names of the catalog, the satisfaction rule,
 * item validity and the rate formulas; and the service against a temporary
 * store (put, validation errors, status changes, list, reuse counts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/date.h"
#include "testsupport/testsupport.h"
#include "vault/vault.h"
#include "vault/vault_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_dictionary(void **state)
{
	(void)state;
	json_t *types = vault_doctypes();
	assert_true(json_array_size(types) >= 20);
	/* every type the issue names exists, with both names */
	const char *need[] = {"birth_certificate",
	                      "death_certificate",
	                      "marriage_certificate",
	                      "identity_card",
	                      "residence_confirmation",
	                      "household_business_licence",
	                      "enterprise_registration",
	                      "health_insurance_card",
	                      "passport",
	                      "criminal_record_certificate",
	                      "driving_licence",
	                      "photo",
	                      "declaration_form",
	                      NULL};
	for (int i = 0; need[i]; i++) {
		json_t *t = vault_doctype(need[i]);
		assert_non_null(t);
		assert_true(json_string_length(json_object_get(t, "name_vi")) > 0);
		assert_true(json_string_length(json_object_get(t, "name_en")) > 0);
	}
	assert_null(vault_doctype("no_such_type"));
	assert_null(vault_doctype(NULL));
	/* registry facts and form types */
	assert_string_equal(
	    json_string_value(json_object_get(vault_doctype("identity_card"), "registry")),
	    "identity");
	assert_string_equal(
	    json_string_value(json_object_get(vault_doctype("residence_confirmation"), "registry")),
	    "residence");
	assert_true(json_is_true(json_object_get(vault_doctype("declaration_form"), "form")));
	assert_null(json_object_get(vault_doctype("birth_certificate"), "registry"));
}

static void expect_type(const char *name, const char *type)
{
	const char *got = vault_match_name(name);
	if (!type) {
		if (got)
			fail_msg("%s: expected untyped, got %s", name ? name : "(null)", got);
		return;
	}
	if (!got || strcmp(got, type) != 0)
		fail_msg("%s: expected %s, got %s", name ? name : "(null)", type,
		         got ? got : "(none)");
}

static void test_matcher(void **state)
{
	(void)state;
	/* names from the catalog (1.001193, 1.000894, 1.004222 ...) */
	expect_type("Tờ khai đăng ký khai sinh theo mẫu  (nếu người có yêu cầu lựa chọn nộp hồ "
	            "sơ theo hình thức trực tiếp)",
	            "declaration_form");
	expect_type("Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của "
	            "người làm chứng",
	            "birth_notice");
	expect_type("Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận "
	            "căn cước hoặc các giấy tờ khác có dán ảnh",
	            "identity_card");
	expect_type("Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan "
	            "đăng ký hộ tịch không thể khai thác được",
	            "residence_confirmation");
	expect_type("Bản sao Giấy khai sinh của trẻ em", "birth_certificate");
	expect_type("BẢN SAO GIAY KHAI SINH", "birth_certificate");
	expect_type("Trích lục khai tử", "death_certificate");
	expect_type("Giấy chứng nhận kết hôn (bản sao)", "marriage_certificate");
	expect_type("Giấy xác nhận tình trạng hôn nhân", "marital_status_certificate");
	expect_type("Phiếu lý lịch tư pháp số 1", "criminal_record_certificate");
	expect_type("02 ảnh chân dung cỡ 4x6 cm", "photo");
	expect_type("Ảnh màu nền trắng", "photo");
	expect_type("Giấy chứng nhận đăng ký doanh nghiệp", "enterprise_registration");
	expect_type("Bản sao Giấy chứng nhận đăng ký hộ kinh doanh", "household_business_licence");
	expect_type("Thẻ bảo hiểm y tế", "health_insurance_card");
	expect_type("Giấy phép lái xe còn thời hạn", "driving_licence");
	expect_type("Văn bản ủy quyền (được chứng thực)", "authorization_document");
	expect_type("Đơn đề nghị cấp lại", "application_form");
	expect_type("Giấy tờ chứng minh quan hệ nhân thân với chủ hộ", "family_relation_proof");
	/* a weak phrase loses to a strong one found later */
	expect_type("Giấy chứng nhận quyền sử dụng đất", "land_use_certificate");
	/* words must match whole: "anh" (photo) is not inside "thanh" */
	expect_type("Danh mục hàng hóa (nếu có);", NULL);
	expect_type("Thời hạn trao đổi thông tin, dữ liệu.", NULL);
	expect_type("", NULL);
	expect_type(NULL, NULL);
	/* enumeration labels do not hide an anchored phrase */
	expect_type("a) Ảnh chụp chân dung", "photo");
}

static void test_satisfy_rule(void **state)
{
	(void)state;
	json_t *birth = vault_doctype("birth_certificate");
	json_t *id = vault_doctype("identity_card");
	json_t *form = vault_doctype("declaration_form");
	/* an upload or a chosen item wins over everything */
	assert_int_equal(vault_satisfy_rule(id, true, true, true, 1), VAULT_BY_UPLOAD);
	assert_int_equal(vault_satisfy_rule(id, false, true, true, 0), VAULT_BY_VAULT);
	assert_int_equal(vault_satisfy_rule(NULL, false, true, false, 0), VAULT_BY_VAULT);
	/* untyped: nothing automatic */
	assert_int_equal(vault_satisfy_rule(NULL, false, false, true, 1), VAULT_BY_NONE);
	/* forms by the eForm */
	assert_int_equal(vault_satisfy_rule(form, false, false, false, 0), VAULT_BY_FORM);
	/* registry facts only for types a registry backs, when known */
	assert_int_equal(vault_satisfy_rule(id, false, false, true, 0), VAULT_BY_REGISTRY);
	assert_int_equal(vault_satisfy_rule(id, false, false, false, 0), VAULT_BY_NONE);
	assert_int_equal(vault_satisfy_rule(birth, false, false, true, 0), VAULT_BY_NONE);
	/* automatic choice only with exactly one valid item */
	assert_int_equal(vault_satisfy_rule(birth, false, false, false, 1), VAULT_BY_VAULT);
	assert_int_equal(vault_satisfy_rule(birth, false, false, false, 2), VAULT_BY_NONE);
	assert_int_equal(vault_satisfy_rule(id, false, false, false, 1), VAULT_BY_VAULT);
	assert_string_equal(vault_satisfied_by_name(VAULT_BY_REGISTRY), "registry");
	assert_string_equal(vault_satisfied_by_name(VAULT_BY_NONE), "missing");
}

static void test_validity(void **state)
{
	(void)state;
	json_t *it = json_pack("{s:s, s:s, s:s}", "status", "verified", "valid_from", "2026-01-01",
	                       "valid_until", "2026-12-31");
	assert_true(vault_item_valid_on(it, "2026-01-01"));
	assert_true(vault_item_valid_on(it, "2026-12-31"));
	assert_false(vault_item_valid_on(it, "2025-12-31"));
	assert_false(vault_item_valid_on(it, "2027-01-01"));
	json_object_set_new(it, "valid_until", json_null());
	assert_true(vault_item_valid_on(it, "2099-01-01"));
	json_object_set_new(it, "status", json_string("revoked"));
	assert_false(vault_item_valid_on(it, "2026-06-01"));
	json_decref(it);
}

static double rate_of(json_t *r, const char *k)
{
	json_t *v = json_object_get(json_object_get(r, k), "rate");
	return json_is_null(v) ? -1 : json_real_value(v);
}

static void test_rates(void **state)
{
	(void)state;
	assert_true(vault_rate(1, 0) < 0);
	assert_true(vault_rate(0, 4) == 0.0);
	assert_true(vault_rate(3, 4) == 0.75);
	assert_true(vault_rate(5, 4) == 1.0);
	vault_rate_counts k = {.components_required = 10,
	                       .by_vault = 2,
	                       .by_registry = 4,
	                       .by_upload = 2,
	                       .by_form = 1,
	                       .missing = 1,
	                       .dossiers_finished = 4,
	                       .dossiers_digitized = 3,
	                       .items_created = 5,
	                       .items_reused = 2};
	json_t *r = vault_rates_json(&k);
	/* once-only: (2 + 4) / (2 + 4 + 2); forms and missing ones not counted */
	assert_true(rate_of(r, "once_only") == 0.75);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(r, "once_only"), "denominator")), 8);
	assert_true(rate_of(r, "digitization") == 0.75);
	assert_true(rate_of(r, "reuse") == 0.4);
	json_decref(r);
	vault_rate_counts zero = {0};
	r = vault_rates_json(&zero);
	assert_true(rate_of(r, "once_only") < 0);
	assert_true(rate_of(r, "digitization") < 0);
	assert_true(rate_of(r, "reuse") < 0);
	json_decref(r);
}

/* ---- the service on a temporary store ---- */

typedef struct fx {
	store *s;
	char dir[256];
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->s = testsupport_store_open("vault", f->dir, sizeof f->dir);
	if (!f->s || testsupport_load_units(f->s, NULL, NULL) != 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	int rc = testsupport_store_remove(f->s, f->dir);
	free(f);
	return rc;
}

typedef struct put_ctx {
	vault_item in;
	char *id;
	mc_diag diag;
} put_ctx;

static mc_err put_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	put_ctx *x = vctx;
	free(x->id);
	x->id = NULL;
	return vault_item_put(c, &x->in, &x->id, diag);
}

static mc_err put(store *s, put_ctx *x)
{
	mc_diag_clear(&x->diag);
	return store_write(s, put_fn, x, &x->diag);
}

typedef struct status_ctx {
	const char *id;
	vault_status st;
} status_ctx;

static mc_err status_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	status_ctx *x = vctx;
	return vault_item_set_status(c, x->id, x->st, "officer", "checked", diag);
}

typedef struct read_ctx {
	const char *id, *holder;
	json_t *out;
	bool more;
	long created, reused;
} read_ctx;

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	read_ctx *x = vctx;
	json_decref(x->out);
	return vault_item_get(c, x->id, &x->out, diag);
}

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	read_ctx *x = vctx;
	json_decref(x->out);
	return vault_list_for_holder(c, x->holder, NULL, 1, NULL, NULL, &x->out, &x->more, diag);
}

static mc_err use_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	read_ctx *x = vctx;
	mc_err e = vault_item_use(c, x->id, "UBND-00004-260302-0002", "c1", diag);
	if (!e) /* twice: a no-op */
		e = vault_item_use(c, x->id, "UBND-00004-260302-0002", "c1", diag);
	return e;
}

static mc_err count_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	read_ctx *x = vctx;
	return vault_count_items(c, "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", &x->created,
	                         &x->reused);
}

static void test_service(void **state)
{
	fx *f = *state;
	put_ctx x = {.in = {.holder = "001090012345",
	                    .doc_type = "birth_certificate",
	                    .title = "Giấy khai sinh",
	                    .issuer = "UBND-00004",
	                    .valid_from = "2026-03-02",
	                    .status = VAULT_VERIFIED,
	                    .source = VAULT_SRC_RESULT,
	                    .ref = "UBND-00004-260302-0001",
	                    .actor = "officer"}};
	assert_int_equal(put(f->s, &x), MC_OK);
	assert_non_null(x.id);
	assert_int_equal(strlen(x.id), VAULT_ID_LEN);
	char *first = x.id;
	x.id = NULL;

	/* every bad member is reported at its path */
	put_ctx bad = {.in = {.holder = "123",
	                      .doc_type = "nope",
	                      .valid_from = "2026-13-01",
	                      .valid_until = "2026-01-01",
	                      .content_sha256 = "XYZ",
	                      .source = VAULT_SRC_RESULT}};
	assert_int_equal(put(f->s, &bad), MC_ERR_UNPROCESSABLE);
	json_t *errors = json_object_get(bad.diag.ext, "errors");
	char *dump = json_dumps(errors, JSON_COMPACT);
	const char *paths[] = {"$.holder",         "$.type",   "$.valid_from",
	                       "$.content_sha256", "$.issuer", NULL};
	for (int i = 0; paths[i]; i++) {
		char needle[64];
		snprintf(needle, sizeof needle, "\"path\":\"%s\"", paths[i]);
		if (!strstr(dump, needle))
			fail_msg("missing %s in %s", paths[i], dump);
	}
	free(dump);
	mc_diag_clear(&bad.diag);
	assert_null(bad.id);

	/* a business holder: an enterprise code */
	put_ctx biz = {.in = {.holder = "0100109106",
	                      .doc_type = "enterprise_registration",
	                      .status = VAULT_UNVERIFIED,
	                      .source = VAULT_SRC_UPLOAD}};
	assert_int_equal(put(f->s, &biz), MC_OK);

	read_ctx r = {.id = first};
	assert_int_equal(store_read(f->s, get_fn, &r, NULL), MC_OK);
	assert_string_equal(json_string_value(json_object_get(r.out, "status")), "verified");
	assert_string_equal(json_string_value(json_object_get(r.out, "holder_kind")), "person");
	assert_string_equal(json_string_value(json_object_get(r.out, "source")), "result");
	assert_true(json_is_true(json_object_get(r.out, "valid")));

	/* revoke; revocation is final */
	status_ctx sc = {first, VAULT_REVOKED};
	assert_int_equal(store_write(f->s, status_fn, &sc, NULL), MC_OK);
	sc.st = VAULT_VERIFIED;
	assert_int_equal(store_write(f->s, status_fn, &sc, NULL), MC_ERR_CONFLICT);
	assert_int_equal(store_read(f->s, get_fn, &r, NULL), MC_OK);
	assert_string_equal(json_string_value(json_object_get(r.out, "status")), "revoked");
	assert_false(json_is_true(json_object_get(r.out, "valid")));
	sc.id = "0123456789abcdef0123456789abcdef";
	assert_int_equal(store_write(f->s, status_fn, &sc, NULL), MC_ERR_NOT_FOUND);

	/* a second item; the list pages newest first */
	assert_int_equal(put(f->s, &x), MC_OK);
	r.holder = "001090012345";
	assert_int_equal(store_read(f->s, list_fn, &r, NULL), MC_OK);
	assert_int_equal(json_array_size(r.out), 1);
	assert_true(r.more);

	/* reuse by another dossier counts once */
	r.id = x.id;
	assert_int_equal(store_write(f->s, use_fn, &r, NULL), MC_OK);
	assert_int_equal(store_read(f->s, count_fn, &r, NULL), MC_OK);
	assert_int_equal(r.created, 3);
	assert_int_equal(r.reused, 1);

	json_decref(r.out);
	free(first);
	free(x.id);
	free(biz.id);
	mc_diag_clear(&x.diag);
	mc_diag_clear(&biz.diag);
}

/* ---- vault_resolve_components on a temporary store ---- */

typedef struct resolve_ctx {
	const char *holder;
	json_t *proc, *given, *errors, *rows;
	bool all;
} resolve_ctx;

static mc_err resolve_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	resolve_ctx *x = vctx;
	json_decref(x->rows);
	json_decref(x->errors);
	x->errors = json_array();
	return vault_resolve_components(c, x->holder, x->proc, x->given, x->all, "$.components",
	                                x->errors, &x->rows);
}

static json_t *row_of(json_t *rows, const char *component)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "component")), component) == 0)
			return r;
	}
	return NULL;
}

static const char *by_of(json_t *rows, const char *component)
{
	return json_string_value(json_object_get(row_of(rows, component), "satisfied_by"));
}

static void test_resolve(void **state)
{
	fx *f = *state;
	/* a procedure with a birth certificate, a marriage certificate, a
	 * declaration, an untyped document, a conditional one and a note */
	json_t *proc = json_pack(
	    "{s:s, s:[{s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b}, "
	    "{s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b}]}",
	    "code", "9.000001", "components", "id", "c1", "name", "Bản sao Giấy khai sinh", "kind",
	    "document", "required", 1, "id", "c2", "name", "Giấy chứng nhận kết hôn", "kind",
	    "document", "required", 1, "id", "c3", "name", "Tờ khai theo mẫu", "kind", "document",
	    "required", 1, "id", "c4", "name", "Danh mục hàng hóa", "kind", "document", "required",
	    1, "id", "c5", "name", "Giấy chứng tử (nếu có)", "kind", "document", "required", 0,
	    "id", "c6", "name", "Lưu ý: không phải nộp", "kind", "note", "required", 0);
	/* citizen2: one birth certificate, two marriage certificates, one
	 * revoked death certificate; citizen: one birth certificate */
	put_ctx birth = {.in = {.holder = "079190012346",
	                        .doc_type = "birth_certificate",
	                        .issuer = "UBND-00004",
	                        .status = VAULT_VERIFIED,
	                        .source = VAULT_SRC_RESULT}};
	assert_int_equal(put(f->s, &birth), MC_OK);
	put_ctx m1 = birth, m2 = birth, death = birth, other = birth;
	m1.id = m2.id = death.id = other.id = NULL;
	m1.in.doc_type = m2.in.doc_type = "marriage_certificate";
	death.in.doc_type = "death_certificate";
	other.in.holder = "001090012345";
	assert_int_equal(put(f->s, &m1), MC_OK);
	assert_int_equal(put(f->s, &m2), MC_OK);
	assert_int_equal(put(f->s, &death), MC_OK);
	assert_int_equal(put(f->s, &other), MC_OK);
	status_ctx sc = {death.id, VAULT_REVOKED};
	assert_int_equal(store_write(f->s, status_fn, &sc, NULL), MC_OK);

	/* nothing given: the only birth certificate is chosen, two marriage
	 * certificates leave it to the applicant, the declaration is the
	 * eForm, untyped stays missing; conditional ones and notes get no row */
	resolve_ctx x = {.holder = "079190012346", .proc = proc, .all = true};
	assert_int_equal(store_read(f->s, resolve_fn, &x, NULL), MC_OK);
	assert_int_equal(json_array_size(x.errors), 0);
	assert_int_equal(json_array_size(x.rows), 4);
	assert_string_equal(by_of(x.rows, "c1"), "vault");
	assert_string_equal(json_string_value(json_object_get(row_of(x.rows, "c1"), "vault_item")),
	                    birth.id);
	assert_string_equal(by_of(x.rows, "c2"), "missing");
	assert_int_equal(json_integer_value(json_object_get(row_of(x.rows, "c2"), "candidates")),
	                 2);
	assert_string_equal(by_of(x.rows, "c3"), "form");
	assert_string_equal(by_of(x.rows, "c4"), "missing");
	assert_null(row_of(x.rows, "c5"));
	assert_null(row_of(x.rows, "c6"));

	/* given: a chosen marriage certificate, an upload for the untyped one,
	 * and items that cannot be used (another holder's, revoked, another
	 * type), each an error at its path */
	x.given = json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]",
	                    "component", "c2", "vault_item", m2.id, "component", "c4", "document",
	                    "d1", "component", "c1", "vault_item", other.id, "component", "c5",
	                    "vault_item", death.id, "component", "c3", "vault_item", m1.id);
	assert_int_equal(store_read(f->s, resolve_fn, &x, NULL), MC_OK);
	assert_string_equal(by_of(x.rows, "c2"), "vault");
	assert_string_equal(json_string_value(json_object_get(row_of(x.rows, "c2"), "vault_item")),
	                    m2.id);
	assert_string_equal(by_of(x.rows, "c4"), "upload");
	assert_non_null(row_of(x.rows, "c5")); /* given, so it has a row */
	char *dump = json_dumps(x.errors, JSON_COMPACT);
	const char *paths[] = {"$.components[2].vault_item", "$.components[3].vault_item",
	                       "$.components[4].vault_item", NULL};
	for (int i = 0; paths[i]; i++) {
		char needle[80];
		snprintf(needle, sizeof needle, "\"path\":\"%s\"", paths[i]);
		if (!strstr(dump, needle))
			fail_msg("missing %s in %s", paths[i], dump);
	}
	assert_int_equal(json_array_size(x.errors), 3);
	free(dump);

	/* only the given ones when not all_required (a supplement) */
	json_decref(x.given);
	x.given = json_pack("[{s:s, s:s}]", "component", "c2", "vault_item", m1.id);
	x.all = false;
	assert_int_equal(store_read(f->s, resolve_fn, &x, NULL), MC_OK);
	assert_int_equal(json_array_size(x.rows), 1);
	assert_string_equal(by_of(x.rows, "c2"), "vault");

	/* no personal number: no vault */
	x.holder = "";
	x.all = true;
	json_decref(x.given);
	x.given = NULL;
	assert_int_equal(store_read(f->s, resolve_fn, &x, NULL), MC_OK);
	assert_string_equal(by_of(x.rows, "c1"), "missing");

	json_decref(x.rows);
	json_decref(x.errors);
	json_decref(proc);
	put_ctx *all[] = {&birth, &m1, &m2, &death, &other};
	for (size_t i = 0; i < 5; i++) {
		free(all[i]->id);
		mc_diag_clear(&all[i]->diag);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dictionary),
	    cmocka_unit_test(test_matcher),
	    cmocka_unit_test(test_satisfy_rule),
	    cmocka_unit_test(test_validity),
	    cmocka_unit_test(test_rates),
	    cmocka_unit_test_setup_teardown(test_service, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
