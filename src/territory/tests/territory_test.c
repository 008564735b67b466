/* territory_test.c - unit tests of administrative units and agencies
 * (territory.h): the real admin-units-vn.json loaded into a temporary store
 * (34 provinces, 3,321 communes, their People's Committees), idempotent
 * reload, province children, unit types, folded search, pagination, and the
 * admin's agency creation and update rules. */
#include "territory/territory.h"

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
#include <unistd.h>

#include <cmocka.h>

static char dir[64];
static store *db;

static int group_setup(void **state)
{
	(void)state;
	int units = 0, agencies = 0;
	db = testsupport_store_open("territory", dir, sizeof dir);
	if (!db || testsupport_load_units(db, &units, &agencies))
		return -1;
	/* every unit gets exactly one People's Committee */
	return units == 34 + 3321 && agencies == units ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	return testsupport_store_remove(db, dir);
}

/* ---- helpers --------------------------------------------------------------- */

typedef struct list_ctx {
	territory_query q;
	bool agencies;
	json_t *items;
	bool more;
	mc_diag diag;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	return x->agencies ? territory_agency_list(c, &x->q, &x->items, &x->more, diag)
	                   : territory_unit_list(c, &x->q, &x->items, &x->more, diag);
}

/* Walks every page of a list; returns the number of items, calling `each`
 * (may be NULL) for every item, and checks codes strictly increase. */
static int count_all(territory_query q, bool agencies, void (*each)(json_t *, void *), void *ctx)
{
	char last[64] = "";
	int total = 0;
	for (;;) {
		list_ctx x = {.q = q, .agencies = agencies};
		x.q.after = last[0] ? last : NULL;
		assert_int_equal(store_read(db, list_fn, &x, &x.diag), MC_OK);
		size_t i;
		json_t *it;
		json_array_foreach(x.items, i, it)
		{
			const char *code = json_string_value(json_object_get(it, "code"));
			assert_non_null(code);
			assert_true(strcmp(code, last) > 0);
			snprintf(last, sizeof last, "%s", code);
			if (each)
				each(it, ctx);
			total++;
		}
		assert_true(json_array_size(x.items) <= (size_t)q.limit);
		bool more = x.more;
		json_decref(x.items);
		if (!more)
			break;
	}
	return total;
}

typedef struct get_ctx {
	const char *code;
	bool agency;
	json_t *out;
} get_ctx;

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	get_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return x->agency ? territory_agency_get(c, x->code, &x->out, diag)
	                 : territory_unit_get(c, x->code, true, &x->out, diag);
}

static json_t *get(const char *code, bool agency, mc_err want)
{
	get_ctx x = {code, agency, NULL};
	assert_int_equal(store_read(db, get_fn, &x, NULL), want);
	return x.out;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- loading ----------------------------------------------------------------- */

static void test_counts(void **state)
{
	(void)state;
	territory_query q = {.limit = 100};
	q.level = "province";
	assert_int_equal(count_all(q, false, NULL, NULL), 34);
	q.level = "commune";
	assert_int_equal(count_all(q, false, NULL, NULL), 3321);
	q.level = NULL;
	assert_int_equal(count_all(q, false, NULL, NULL), 3355);
	q.level = "province";
	assert_int_equal(count_all(q, true, NULL, NULL), 34);
	q.level = "commune";
	assert_int_equal(count_all(q, true, NULL, NULL), 3321);
}

static void count_types(json_t *it, void *ctx)
{
	int *n = ctx;
	const char *t = str(it, "type");
	if (strcmp(t, "ward") == 0)
		n[0]++;
	else if (strcmp(t, "commune") == 0)
		n[1]++;
	else if (strcmp(t, "special_zone") == 0)
		n[2]++;
	else
		n[3]++;
	assert_string_equal(str(it, "level"), "commune");
	assert_non_null(str(it, "parent"));
	assert_int_equal(strlen(str(it, "code")), 5);
}

static void test_commune_types(void **state)
{
	(void)state;
	int n[4] = {0};
	territory_query q = {.level = "commune", .limit = 100};
	count_all(q, false, count_types, n);
	/* 697 wards (phường), 2,611 communes (xã), 13 special zones (đặc khu) */
	assert_int_equal(n[0], 697);
	assert_int_equal(n[1], 2611);
	assert_int_equal(n[2], 13);
	assert_int_equal(n[3], 0);
	json_t *u = get("31078", false, MC_OK);
	assert_string_equal(str(u, "full_name"), "Đặc khu Phú Quốc");
	assert_string_equal(str(u, "type"), "special_zone");
	assert_string_equal(str(u, "parent"), "91");
	json_decref(u);
}

static void test_reload_is_idempotent(void **state)
{
	(void)state;
	mc_diag d = {0};
	int units = 0, agencies = 0;
	char *path = testsupport_data_path("admin-units-vn.json");
	assert_int_equal(territory_load_units(db, path, &units, &agencies, &d), MC_OK);
	free(path);
	territory_query q = {.limit = 100};
	assert_int_equal(count_all(q, false, NULL, NULL), 3355);
	assert_int_equal(count_all(q, true, NULL, NULL), 3355);
}

static void test_bad_file(void **state)
{
	(void)state;
	mc_diag d = {0};
	int units = -1, agencies = -1;
	assert_int_equal(territory_load_units(db, "/nonexistent/units.json", &units, &agencies, &d),
	                 MC_ERR_IO);
	assert_int_equal(units, -1);
	char tmp[] = "/tmp/motcua-units-XXXXXX";
	int fd = mkstemp(tmp);
	assert_true(fd >= 0);
	const char bad[] = "[{\"Type\":\"province\",\"Code\":\"1\",\"Name\":\"X\",\"Wards\":[]}]";
	assert_int_equal(write(fd, bad, sizeof bad - 1), (ssize_t)(sizeof bad - 1));
	close(fd);
	assert_int_equal(territory_load_units(db, tmp, &units, &agencies, &d), MC_ERR_INVALID);
	unlink(tmp);
}

/* ---- lookups ------------------------------------------------------------------- */

static void test_province_children(void **state)
{
	(void)state;
	json_t *p = get("01", false, MC_OK);
	assert_string_equal(str(p, "name"), "Hà Nội");
	assert_string_equal(str(p, "full_name_en"), "Hanoi City");
	assert_string_equal(str(p, "level"), "province");
	assert_true(json_is_null(json_object_get(p, "parent")));
	json_t *kids = json_object_get(p, "children");
	assert_int_equal(json_array_size(kids), 126);
	size_t i;
	json_t *k;
	bool ba_dinh = false;
	json_array_foreach(kids, i, k)
	{
		assert_string_equal(str(k, "parent"), "01");
		assert_string_equal(str(k, "level"), "commune");
		if (strcmp(str(k, "code"), "00004") == 0) {
			ba_dinh = true;
			assert_string_equal(str(k, "full_name"), "Phường Ba Đình");
			assert_string_equal(str(k, "type"), "ward");
		}
	}
	assert_true(ba_dinh);
	json_decref(p);

	/* a commune has no children member */
	json_t *w = get("00004", false, MC_OK);
	assert_null(json_object_get(w, "children"));
	json_decref(w);
	assert_null(get("99", false, MC_ERR_NOT_FOUND));
	assert_null(get("'; DROP TABLE unit; --", false, MC_ERR_NOT_FOUND));
}

static void test_committees(void **state)
{
	(void)state;
	json_t *a = get("UBND-00004", true, MC_OK);
	assert_string_equal(str(a, "name"), "Ủy ban nhân dân Phường Ba Đình");
	assert_string_equal(str(a, "name_en"), "People's Committee of Ba Dinh Ward");
	assert_string_equal(str(a, "level"), "commune");
	assert_string_equal(str(a, "unit"), "00004");
	assert_string_equal(str(a, "parent"), "UBND-01");
	json_decref(a);
	a = get("UBND-01", true, MC_OK);
	assert_string_equal(str(a, "name"), "Ủy ban nhân dân Thành phố Hà Nội");
	assert_string_equal(str(a, "level"), "province");
	assert_true(json_is_null(json_object_get(a, "parent")));
	json_decref(a);
	assert_null(get("UBND-99999", true, MC_ERR_NOT_FOUND));

	/* the committees of Hà Nội's communes */
	territory_query q = {.parent = "UBND-01", .limit = 100};
	assert_int_equal(count_all(q, true, NULL, NULL), 126);
	q = (territory_query){.unit = "00008", .limit = 10};
	assert_int_equal(count_all(q, true, NULL, NULL), 1);
}

static void test_search_folds(void **state)
{
	(void)state;
	const char *queries[] = {"ba dinh", "Ba Đình", "BA ĐÌNH", "phuong ba dinh"};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		territory_query q = {.q = queries[i], .level = "commune", .limit = 100};
		list_ctx x = {.q = q};
		assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
		bool found = false;
		size_t j;
		json_t *it;
		json_array_foreach(x.items, j, it) found =
		    found || strcmp(str(it, "code"), "00004") == 0;
		assert_true(found);
		json_decref(x.items);
	}
	territory_query q = {.q = "da nang", .level = "province", .limit = 10};
	list_ctx x = {.q = q};
	assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
	assert_int_equal(json_array_size(x.items), 1);
	assert_string_equal(str(json_array_get(x.items, 0), "code"), "48");
	json_decref(x.items);
	/* wildcard characters are not wildcards */
	q = (territory_query){.q = "%", .limit = 10};
	x = (list_ctx){.q = q};
	assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
	json_decref(x.items);
}

static void test_bad_filters(void **state)
{
	(void)state;
	list_ctx x = {.q = {.level = "district", .limit = 10}};
	assert_int_equal(store_read(db, list_fn, &x, &x.diag), MC_ERR_INVALID);
	x = (list_ctx){.q = {.level = "central", .limit = 10}};
	assert_int_equal(store_read(db, list_fn, &x, &x.diag), MC_ERR_INVALID); /* units */
	x = (list_ctx){.q = {.level = "central", .limit = 10}, .agencies = true};
	assert_int_equal(store_read(db, list_fn, &x, &x.diag), MC_OK);
	json_decref(x.items);
}

static void test_pages(void **state)
{
	(void)state;
	list_ctx x = {.q = {.level = "province", .limit = 10}};
	assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
	assert_int_equal(json_array_size(x.items), 10);
	assert_true(x.more);
	assert_string_equal(str(json_array_get(x.items, 0), "code"), "01");
	json_decref(x.items);
	x = (list_ctx){.q = {.level = "province", .limit = 10, .after = "92"}};
	assert_int_equal(store_read(db, list_fn, &x, NULL), MC_OK);
	assert_int_equal(json_array_size(x.items), 1); /* 96 Cà Mau */
	assert_false(x.more);
	json_decref(x.items);
}

/* ---- agency changes ------------------------------------------------------------- */

/* Runs a put; on 422 checks that `path` is among the errors. */
static void put(const char *code, const char *body, bool create, mc_err want, const char *path)
{
	json_t *in = json_loads(body, 0, NULL), *out = NULL;
	mc_diag d = {0};
	assert_non_null(in);
	assert_int_equal(territory_agency_save(db, "admin", code, in, create, &out, &d), want);
	if (want == MC_ERR_UNPROCESSABLE) {
		json_t *errs = json_object_get(d.ext, "errors");
		bool found = false;
		size_t i;
		json_t *e;
		json_array_foreach(errs, i, e) found = found || strcmp(str(e, "path"), path) == 0;
		assert_true(found);
	}
	if (want == MC_OK)
		assert_non_null(out);
	json_decref(out);
	json_decref(in);
	mc_diag_clear(&d);
}

typedef struct ensure_ctx {
	const char *code;
} ensure_ctx;

static mc_err ensure_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	ensure_ctx *x = vctx;
	(void)diag;
	return territory_ensure_agency(c, x->code, "Bộ Tư pháp", "Ministry of Justice", "central",
	                               NULL, NULL);
}

static void test_ensure_agency(void **state)
{
	(void)state;
	ensure_ctx x = {"BTP"};
	assert_int_equal(store_write(db, ensure_fn, &x, NULL), MC_OK);
	assert_int_equal(store_write(db, ensure_fn, &x, NULL), MC_OK);
	json_t *a = get("BTP", true, MC_OK);
	assert_string_equal(str(a, "level"), "central");
	assert_true(json_is_null(json_object_get(a, "unit")));
	json_decref(a);
	list_ctx l = {.q = {.level = "central", .limit = 100}, .agencies = true};
	assert_int_equal(store_read(db, list_fn, &l, NULL), MC_OK);
	assert_int_equal(json_array_size(l.items), 1);
	json_decref(l.items);
	x.code = "bad code!";
	assert_int_equal(store_write(db, ensure_fn, &x, NULL), MC_ERR_INVALID);
}

static void test_agency_create_update(void **state)
{
	(void)state;
	put(NULL,
	    "{\"code\":\"STP-01\",\"name\":\"Sở Tư pháp Hà Nội\",\"name_en\":\"Hanoi Department "
	    "of Justice\",\"level\":\"province\",\"unit\":\"01\",\"parent\":\"UBND-01\"}",
	    true, MC_OK, NULL);
	json_t *a = get("STP-01", true, MC_OK);
	assert_string_equal(str(a, "name"), "Sở Tư pháp Hà Nội");
	assert_string_equal(str(a, "parent"), "UBND-01");
	json_decref(a);
	/* duplicate */
	put(NULL, "{\"code\":\"STP-01\",\"name\":\"x\",\"name_en\":\"x\",\"level\":\"central\"}",
	    true, MC_ERR_CONFLICT, NULL);
	/* field rules */
	put(NULL, "{\"code\":\"X\",\"name\":\"x\",\"name_en\":\"x\",\"level\":\"central\"}", true,
	    MC_ERR_UNPROCESSABLE, "$.code");
	put(NULL, "{\"code\":\"AB-1\",\"name\":\"\",\"name_en\":\"x\",\"level\":\"central\"}", true,
	    MC_ERR_UNPROCESSABLE, "$.name");
	put(NULL, "{\"code\":\"AB-1\",\"name\":\"x\",\"name_en\":\"x\",\"level\":\"district\"}",
	    true, MC_ERR_UNPROCESSABLE, "$.level");
	put(NULL,
	    "{\"code\":\"AB-1\",\"name\":\"x\",\"name_en\":\"x\",\"level\":\"central\","
	    "\"unit\":\"01\"}",
	    true, MC_ERR_UNPROCESSABLE, "$.unit");
	put(NULL,
	    "{\"code\":\"AB-1\",\"name\":\"x\",\"name_en\":\"x\",\"level\":\"province\","
	    "\"unit\":\"00004\"}",
	    true, MC_ERR_UNPROCESSABLE, "$.unit"); /* a commune is not a province */
	put(NULL,
	    "{\"code\":\"AB-1\",\"name\":\"x\",\"name_en\":\"x\",\"level\":\"commune\","
	    "\"unit\":\"99999\"}",
	    true, MC_ERR_UNPROCESSABLE, "$.unit");
	put(NULL,
	    "{\"code\":\"AB-1\",\"name\":\"x\",\"name_en\":\"x\",\"level\":\"central\","
	    "\"parent\":\"NOPE\"}",
	    true, MC_ERR_UNPROCESSABLE, "$.parent");
	assert_null(get("AB-1", true, MC_ERR_NOT_FOUND));

	/* update keeps absent members; names are trimmed */
	put("STP-01", "{\"name\":\"  Sở Tư pháp thành phố Hà Nội \"}", false, MC_OK, NULL);
	a = get("STP-01", true, MC_OK);
	assert_string_equal(str(a, "name"), "Sở Tư pháp thành phố Hà Nội");
	assert_string_equal(str(a, "name_en"), "Hanoi Department of Justice");
	assert_string_equal(str(a, "unit"), "01");
	json_decref(a);
	put("STP-01", "{\"code\":\"OTHER\"}", false, MC_ERR_UNPROCESSABLE, "$.code");
	put("NOPE-1", "{\"name\":\"x\"}", false, MC_ERR_NOT_FOUND, NULL);
	/* a parent cycle: UBND-01 under STP-01 whose parent is UBND-01 */
	put("UBND-01", "{\"parent\":\"STP-01\"}", false, MC_ERR_UNPROCESSABLE, "$.parent");
	put("STP-01", "{\"parent\":\"STP-01\"}", false, MC_ERR_UNPROCESSABLE, "$.parent");
	/* null clears the parent */
	put("STP-01", "{\"parent\":null}", false, MC_OK, NULL);
	a = get("STP-01", true, MC_OK);
	assert_true(json_is_null(json_object_get(a, "parent")));
	json_decref(a);
}

static void test_audit_chain_intact(void **state)
{
	(void)state;
	long long n = 0, bad = 0;
	assert_int_equal(audit_verify(db, &n, &bad, NULL), MC_OK);
	assert_true(n >= 2); /* at least the loads */
}

int main(void)
{
	mc_mem_init();
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_commune_types),
	    cmocka_unit_test(test_reload_is_idempotent),
	    cmocka_unit_test(test_bad_file),
	    cmocka_unit_test(test_province_children),
	    cmocka_unit_test(test_committees),
	    cmocka_unit_test(test_search_folds),
	    cmocka_unit_test(test_bad_filters),
	    cmocka_unit_test(test_pages),
	    cmocka_unit_test(test_ensure_agency),
	    cmocka_unit_test(test_agency_create_update),
	    cmocka_unit_test(test_audit_chain_intact),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
