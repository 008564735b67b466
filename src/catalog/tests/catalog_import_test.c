/* catalog_import_test.c - the catalog service on a real store: imports the
 * whole shipped data/procedures-vn.jsonl.gz into a temporary data directory
 * and checks the parse rate (>= 95 % with a time limit and a component
 * list), search from the three spellings of "Đăng ký khai sinh", filters
 * and pagination, that every derived eForm stays in the schema subset,
 * re-import (unchanged / updated versions, admin overrides kept), admin
 * create/update/form replacement with their errors, malformed lines and
 * the audit trail. */
#include "audit/audit.h"
#include "catalog/catalog.h"
#include "catalog/catalog_parse.h"
#include "core/mem.h"
#include "testsupport/testsupport.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

static char dir[64];
static store *db;
static catalog_import_report first;

static char *source_path(void)
{
	return testsupport_data_path("procedures-vn.jsonl.gz");
}

static int group_setup(void **state)
{
	(void)state;
	mc_mem_init();
	mc_diag d = {0};
	db = testsupport_store_open("catalog", dir, sizeof dir);
	if (!db)
		return -1;
	char *path = source_path();
	mc_err e = catalog_import_file(db, path, &first, &d);
	free(path);
	if (e) {
		fprintf(stderr, "import: %s\n", d.detail);
		return -1;
	}
	catalog_report_print(&first, stdout);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return testsupport_store_remove(db, dir);
}

/* Codes of a list/search, in order (caller frees). */
static json_t *codes_of(catalog_query *q)
{
	json_t *items = NULL;
	bool more;
	mc_diag d = {0};
	assert_int_equal(catalog_list(db, q, &items, &more, &d), MC_OK);
	json_t *codes = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) json_array_append(codes, json_object_get(it, "code"));
	json_decref(items);
	return codes;
}

static bool has_code(json_t *codes, const char *code)
{
	size_t i;
	json_t *c;
	json_array_foreach(codes, i, c)
	{
		if (!strcmp(json_string_value(c), code))
			return true;
	}
	return false;
}

/* ---- import of the shipped file ---- */

static void test_parse_rate(void **state)
{
	(void)state;
	assert_int_equal(first.read, 2642);
	assert_int_equal(first.failed, 0);
	assert_int_equal(first.imported, 2642);
	assert_int_equal(first.updated, 0);
	/* the target: >= 95 % with a time limit and a component list */
	assert_true(first.complete * 100 >= first.read * 95);
	assert_true(first.unparsed_time_limit * 100 <= first.read * 5);
	assert_true(first.unparsed_components * 100 <= first.read * 5);
	assert_int_equal(first.unparsed_level, 0);
	assert_int_equal(first.unparsed_channels, 0);
	/* every component is classified once; no row is dropped; notes are a
	 * minority but present (the civil-status "Lưu ý" tables alone have
	 * hundreds); documents shown are counted among the others */
	assert_true(first.components > 14000);
	assert_int_equal(first.required_documents + first.conditional_documents + first.notes,
	                 first.components);
	assert_true(first.notes > 445 && first.notes * 100 < first.components * 15);
	assert_true(first.required_documents > first.components / 3);
	assert_true(first.conditional_documents > 0);
	assert_true(first.shown > 0 && first.shown < first.components);
}

static void test_search_spellings(void **state)
{
	(void)state;
	const char *spellings[] = {"dang ky khai sinh", "đăng ký khai sinh", "DANG KY KHAI SINH",
	                           "Đăng ký khai sinh", "  ĐĂNG   KÝ khai-sinh "};
	for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
		catalog_query q = {.q = spellings[i], .limit = 10};
		json_t *codes = codes_of(&q);
		assert_true(json_array_size(codes) == 10);
		assert_string_equal(json_string_value(json_array_get(codes, 0)), "1.001193");
		json_decref(codes);
	}
	/* the code and a ministry find it too */
	catalog_query q = {.q = "1.001193", .limit = 5};
	json_t *codes = codes_of(&q);
	assert_string_equal(json_string_value(json_array_get(codes, 0)), "1.001193");
	json_decref(codes);
	/* other examples of the design document */
	struct {
		const char *q, *code;
	} ex[] = {{"dang ky khai tu", "1.000656"},
	          {"ly lich tu phap", "3.000333"},
	          {"ho chieu pho thong", "1.001456"}};
	for (size_t i = 0; i < sizeof ex / sizeof *ex; i++) {
		catalog_query qq = {.q = ex[i].q, .limit = 20};
		codes = codes_of(&qq);
		if (!has_code(codes, ex[i].code))
			fail_msg("%s not found by \"%s\"", ex[i].code, ex[i].q);
		json_decref(codes);
	}
	catalog_query none = {.q = "zzzqqq khong co", .limit = 5};
	codes = codes_of(&none);
	assert_int_equal(json_array_size(codes), 0);
	json_decref(codes);
}

static void test_filters_and_pages(void **state)
{
	(void)state;
	catalog_query q = {.q = "khai sinh", .limit = 100, .level = "commune"};
	json_t *codes = codes_of(&q);
	assert_true(has_code(codes, "1.001193"));
	json_decref(codes);
	q.level = "ministry";
	codes = codes_of(&q);
	assert_false(has_code(codes, "1.001193"));
	json_decref(codes);
	q.level = NULL;
	q.agency = "UBND-00004";
	codes = codes_of(&q);
	assert_true(has_code(codes, "1.001193"));
	json_decref(codes);
	q.agency = "BTP";
	codes = codes_of(&q);
	assert_true(has_code(codes, "1.001193"));
	json_decref(codes);
	q.agency = "BCA";
	codes = codes_of(&q);
	assert_false(has_code(codes, "1.001193"));
	json_decref(codes);
	q.agency = NULL;
	q.field = "HỘ TỊCH";
	codes = codes_of(&q);
	assert_true(has_code(codes, "1.001193"));
	json_decref(codes);
	q.field = NULL;
	q.online = "none";
	codes = codes_of(&q);
	assert_false(has_code(codes, "1.001193"));
	json_decref(codes);

	/* list by code: pages are ordered, disjoint and complete */
	catalog_query l = {.limit = 100};
	json_t *items;
	bool more = true;
	mc_diag d = {0};
	long total = 0;
	char last[64] = "";
	while (more) {
		l.after = last[0] ? last : NULL;
		assert_int_equal(catalog_list(db, &l, &items, &more, &d), MC_OK);
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *c = json_string_value(json_object_get(it, "code"));
			assert_true(strcmp(c, last) > 0);
			snprintf(last, sizeof last, "%s", c);
			assert_non_null(json_object_get(it, "online_level"));
			assert_non_null(json_object_get(it, "time_limit"));
			total++;
		}
		json_decref(items);
	}
	assert_int_equal(total, 2642);
	l.after = NULL;
	l.level = "province";
	l.online = "partial";
	l.limit = 20;
	assert_int_equal(catalog_list(db, &l, &items, &more, &d), MC_OK);
	assert_true(json_array_size(items) == 20 && more);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		assert_string_equal(json_string_value(json_object_get(it, "online_level")),
		                    "partial");
	}
	json_decref(items);

	/* search pages do not overlap */
	catalog_query s1 = {.q = "dang ky", .limit = 10},
	              s2 = {.q = "dang ky", .limit = 10, .offset = 10};
	json_t *p1 = codes_of(&s1), *p2 = codes_of(&s2);
	assert_int_equal(json_array_size(p2), 10);
	json_array_foreach(p2, i, it) assert_false(has_code(p1, json_string_value(it)));
	json_decref(p1);
	json_decref(p2);
}

typedef struct get_ctx {
	const char *code;
	int version;
	json_t *out;
} get_ctx;

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	get_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return catalog_procedure_get(c, x->code, x->version, &x->out, diag);
}

static json_t *get(const char *code, int version, mc_err *err)
{
	get_ctx x = {.code = code, .version = version};
	mc_diag d = {0};
	mc_err e = store_read(db, get_fn, &x, &d);
	mc_diag_clear(&d);
	if (err)
		*err = e;
	return x.out;
}

static void test_every_form_in_subset(void **state)
{
	(void)state;
	catalog_query l = {.limit = 100};
	json_t *items;
	bool more = true;
	mc_diag d = {0};
	char last[64] = "";
	long checked = 0;
	while (more) {
		l.after = last[0] ? last : NULL;
		assert_int_equal(catalog_list(db, &l, &items, &more, &d), MC_OK);
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *c = json_string_value(json_object_get(it, "code"));
			snprintf(last, sizeof last, "%s", c);
			json_t *p = get(c, 0, NULL);
			assert_non_null(p);
			json_t *errs = catalog_form_check(json_object_get(p, "form"));
			if (json_array_size(errs))
				fail_msg("form of %s leaves the subset", c);
			json_decref(errs);
			/* the stored document passes the admin check too */
			json_t *doc = json_deep_copy(p);
			const char *ro[] = {"version", "current_version", "versioned_at", "form",
			                    "time_limit"};
			for (size_t k = 0; k < 5; k++)
				json_object_del(doc, ro[k]);
			errs = catalog_doc_check(doc);
			if (json_array_size(errs))
				fail_msg("document %s fails its own check at %s", c,
				         json_string_value(
				             json_object_get(json_array_get(errs, 0), "path")));
			json_decref(errs);
			json_decref(doc);
			json_decref(p);
			checked++;
		}
		json_decref(items);
	}
	assert_int_equal(checked, 2642);
}

static void test_procedure_json(void **state)
{
	(void)state;
	mc_err e;
	json_t *p = get("1.001193", 0, &e);
	assert_int_equal(e, MC_OK);
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(p, "ministry")), "BTP");
	assert_string_equal(json_string_value(json_object_get(p, "online_level")), "full");
	json_t *comps = json_object_get(p, "components");
	assert_true(json_array_size(comps) > 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(comps, 0), "id")),
	                    "c1");
	/* stored classified: c1 a conditional document, c3 a note */
	assert_string_equal(json_string_value(json_object_get(json_array_get(comps, 0), "kind")),
	                    "document");
	assert_true(json_is_false(json_object_get(json_array_get(comps, 0), "required")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(comps, 2), "kind")),
	                    "note");
	double amount;
	assert_int_equal(catalog_time_limit(p, "online", &amount), LIMIT_WORKING_DAYS);
	assert_true(amount == 1);
	assert_non_null(
	    json_object_get(json_object_get(json_object_get(p, "form"), "properties"), "child"));
	json_decref(p);
	assert_null(get("9.999999", 0, &e));
	assert_int_equal(e, MC_ERR_NOT_FOUND);
	assert_null(get("1.001193", 7, &e));
	assert_int_equal(e, MC_ERR_NOT_FOUND);

	char *json = NULL;
	mc_diag d = {0};
	assert_int_equal(catalog_render(db, "1.001193", 0, &json, &d), MC_OK);
	json_t *r = json_loads(json, 0, NULL);
	assert_non_null(r);
	assert_int_equal(json_integer_value(json_object_get(r, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(r, "code")), "1.001193");
	assert_true(json_is_object(json_object_get(r, "form")));
	json_decref(r);
	free(json);
	int v = 0;
	assert_int_equal(catalog_form_get(db, "1.001193", 0, &json, &v, &d), MC_OK);
	assert_int_equal(v, 1);
	r = json_loads(json, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(r, "type")), "object");
	json_decref(r);
	free(json);
}

/* Writes lines to a plain .jsonl file in the test directory. */
static char *write_jsonl(const char *name, const char *const *lines, size_t n)
{
	char *path = mc_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	fclose(f);
	return path;
}

/* The shipped record of `code` as a JSON object. */
static json_t *shipped_record(const char *code)
{
	char *path = source_path();
	gzFile f = gzopen(path, "rb");
	free(path);
	assert_non_null(f);
	static char line[1 << 20];
	json_t *found = NULL;
	while (!found && gzgets(f, line, sizeof line)) {
		json_t *r = json_loads(line, 0, NULL);
		if (r && !strcmp(json_string_value(json_object_get(r, "ma_thu_tuc")), code))
			found = r;
		else
			json_decref(r);
	}
	gzclose(f);
	assert_non_null(found);
	return found;
}

static void test_reimport_and_versions(void **state)
{
	(void)state;
	mc_diag d = {0};
	catalog_import_report rep;
	char *path = source_path();
	assert_int_equal(catalog_import_file(db, path, &rep, &d), MC_OK);
	free(path);
	assert_int_equal(rep.unchanged, 2642);
	assert_int_equal(rep.imported + rep.updated, 0);

	/* admin override of the online level: version 2, version 1 intact */
	json_t *body = json_pack("{s:s}", "online_level", "partial"), *out = NULL;
	assert_int_equal(catalog_update(db, "admin", "1.001193", body, &out, &d), MC_OK);
	json_decref(body);
	assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(out, "online_level")), "partial");
	json_decref(out);
	json_t *v1 = get("1.001193", 1, NULL);
	assert_string_equal(json_string_value(json_object_get(v1, "online_level")), "full");
	assert_int_equal(json_integer_value(json_object_get(v1, "current_version")), 2);
	json_decref(v1);
	/* the same PUT again changes nothing */
	body = json_pack("{s:s}", "online_level", "partial");
	assert_int_equal(catalog_update(db, "admin", "1.001193", body, &out, &d), MC_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
	json_decref(out);
	json_decref(body);

	/* the portal changes the record: a new version keeps the override */
	json_t *rec = shipped_record("1.001193");
	json_object_set_new(rec, "cach_thuc_thuc_hien",
	                    json_string("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày "
	                                "làm việcMiễn phíTrực tiếp3 Ngày làm việcMiễn phí"));
	char *line = json_dumps(rec, JSON_COMPACT);
	const char *lines[] = {"", "not json at all", "{\"ma_thu_tuc\": 5}", "[1,2]", line};
	char *p2 = write_jsonl("changed.jsonl", lines, 5);
	assert_int_equal(catalog_import_file(db, p2, &rep, &d), MC_OK);
	assert_int_equal(rep.read, 4);
	assert_int_equal(rep.failed, 3);
	assert_int_equal(rep.updated, 1);
	json_t *v3 = get("1.001193", 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(v3, "version")), 3);
	assert_string_equal(json_string_value(json_object_get(v3, "online_level")), "partial");
	double amount;
	assert_int_equal(catalog_time_limit(v3, "online", &amount), LIMIT_WORKING_DAYS);
	assert_true(amount == 3);
	json_decref(v3);
	/* importing it again is a no-op */
	assert_int_equal(catalog_import_file(db, p2, &rep, &d), MC_OK);
	assert_int_equal(rep.unchanged, 1);
	assert_int_equal(rep.updated, 0);

	/* replacing the eForm: a bad schema is refused with paths */
	json_t *bad = json_loads(
	    "{\"type\":\"object\",\"properties\":{\"x\":{\"minLength\":\"1\"}}}", 0, NULL);
	assert_int_equal(catalog_form_put(db, "admin", "1.001193", bad, &out, &d),
	                 MC_ERR_UNPROCESSABLE);
	json_t *errs = json_object_get(d.ext, "errors");
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 0), "path")),
	                    "$.properties['x'].minLength");
	mc_diag_clear(&d);
	json_decref(bad);
	json_t *form = json_loads("{\"type\":\"object\",\"required\":[\"ho_ten\"],\"properties\":"
	                          "{\"ho_ten\":{\"type\":\"string\",\"minLength\":1}}}",
	                          0, NULL);
	assert_int_equal(catalog_form_put(db, "admin", "1.001193", form, &out, &d), MC_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "version")), 4);
	json_decref(out);
	/* a changed source keeps the admin's form */
	json_object_set_new(rec, "linh_vuc", json_string("Hộ tịch (sửa)"));
	free(line);
	line = json_dumps(rec, JSON_COMPACT);
	const char *lines2[] = {line};
	char *p3 = write_jsonl("changed2.jsonl", lines2, 1);
	assert_int_equal(catalog_import_file(db, p3, &rep, &d), MC_OK);
	assert_int_equal(rep.updated, 1);
	json_t *v5 = get("1.001193", 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(v5, "version")), 5);
	assert_true(json_equal(json_object_get(v5, "form"), form));
	assert_string_equal(json_string_value(json_object_get(v5, "field")), "Hộ tịch (sửa)");
	json_decref(v5);
	/* every version stays readable */
	json_t *old = get("1.001193", 1, NULL);
	assert_non_null(
	    json_object_get(json_object_get(json_object_get(old, "form"), "properties"), "child"));
	json_decref(old);
	json_t *items;
	bool more;
	assert_int_equal(catalog_versions(db, "1.001193", 0, 3, &items, &more, &d), MC_OK);
	assert_int_equal(json_array_size(items), 3);
	assert_true(more);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "version")),
	                 5);
	json_decref(items);
	assert_int_equal(catalog_versions(db, "1.001193", 3, 10, &items, &more, &d), MC_OK);
	assert_int_equal(json_array_size(items), 2);
	assert_false(more);
	json_decref(items);
	json_decref(form);
	json_decref(rec);
	free(line);
	free(p2);
	free(p3);
}

static void test_admin_create(void **state)
{
	(void)state;
	mc_diag d = {0};
	json_t *out = NULL;
	json_t *dup = json_pack("{s:s, s:s}", "code", "1.001193", "name", "Trùng");
	assert_int_equal(catalog_create(db, "admin", dup, &out, &d), MC_ERR_CONFLICT);
	mc_diag_clear(&d);
	json_decref(dup);

	json_t *bad =
	    json_loads("{\"code\":\"x y\",\"name\":\"\",\"level\":[\"district\"],"
	               "\"channels\":[{\"channel\":\"fax\"}],\"form\":{\"type\":\"string\"}}",
	               0, NULL);
	assert_int_equal(catalog_create(db, "admin", bad, &out, &d), MC_ERR_UNPROCESSABLE);
	json_t *errs = json_object_get(d.ext, "errors");
	const char *want[] = {"$.code", "$.name", "$.level[0]", "$.channels[0].channel",
	                      "$.form.type"};
	for (size_t i = 0; i < 5; i++) {
		bool found = false;
		size_t k;
		json_t *e;
		json_array_foreach(errs, k, e)
		{
			if (!strcmp(json_string_value(json_object_get(e, "path")), want[i]))
				found = true;
		}
		if (!found)
			fail_msg("no error at %s", want[i]);
	}
	mc_diag_clear(&d);
	json_decref(bad);

	json_t *good = json_loads(
	    "{\"code\":\"9.000001\",\"name\":\"Thủ tục thử nghiệm cấp giấy xác nhận\","
	    "\"level\":[\"commune\"],\"ministry\":\"BTP\",\"field\":\"Chứng thực\","
	    "\"channels\":[{\"channel\":\"in_person\",\"time_limit\":{\"amount\":2,\"unit\":"
	    "\"working_days\"},\"fees\":[{\"text\":\"Miễn phí\",\"free\":true,\"amount_vnd\":0}]}],"
	    "\"components\":[{\"id\":\"c1\",\"name\":\"Tờ khai\"},{\"id\":\"c2\",\"name\":"
	    "\"Giấy phép (nếu có)\",\"kind\":\"document\",\"required\":true}]}",
	    0, NULL);
	assert_int_equal(catalog_create(db, "admin", good, &out, &d), MC_OK);
	/* a component without a kind is classified, an admin's kind is kept */
	json_t *oc = json_object_get(out, "components");
	assert_string_equal(json_string_value(json_object_get(json_array_get(oc, 0), "kind")),
	                    "document");
	assert_true(json_is_true(json_object_get(json_array_get(oc, 0), "required")));
	assert_true(json_is_true(json_object_get(json_array_get(oc, 1), "required")));
	assert_null(json_object_get(json_array_get(oc, 1), "condition"));
	assert_int_equal(json_integer_value(json_object_get(out, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(out, "online_level")), "none");
	assert_string_equal(json_string_value(json_array_get(json_object_get(out, "agency"), 0)),
	                    "BTP");
	assert_true(json_is_object(json_object_get(out, "form")));
	json_decref(out);
	json_decref(good);
	catalog_query q = {.q = "thu nghiem cap giay xac nhan", .limit = 5};
	json_t *codes = codes_of(&q);
	assert_string_equal(json_string_value(json_array_get(codes, 0)), "9.000001");
	json_decref(codes);

	/* components replaced by an update are classified too */
	json_t *body = json_loads("{\"components\":[{\"id\":\"c1\",\"name\":\"Tờ khai\"},"
	                          "{\"id\":\"c2\",\"name\":\"Giấy phép (nếu có)\"}]}",
	                          0, NULL);
	assert_int_equal(catalog_update(db, "admin", "9.000001", body, &out, &d), MC_OK);
	oc = json_object_get(out, "components");
	assert_true(json_is_false(json_object_get(json_array_get(oc, 1), "required")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(oc, 1), "condition")),
	                    "nếu có");
	json_decref(out);
	json_decref(body);
	/* a kind outside the enumeration is refused */
	body = json_loads("{\"components\":[{\"id\":\"c1\",\"name\":\"Tờ khai\",\"kind\":"
	                  "\"form\"}]}",
	                  0, NULL);
	assert_int_equal(catalog_update(db, "admin", "9.000001", body, &out, &d),
	                 MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(body);

	/* update with a different code in the body is refused */
	body = json_pack("{s:s}", "code", "9.000002");
	assert_int_equal(catalog_update(db, "admin", "9.000001", body, &out, &d),
	                 MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(body);
	body = json_pack("{s:s}", "name", "x");
	assert_int_equal(catalog_update(db, "admin", "9.999999", body, &out, &d), MC_ERR_NOT_FOUND);
	mc_diag_clear(&d);
	json_decref(body);
}

static void test_audit(void **state)
{
	(void)state;
	long long checked = 0, bad = 0;
	mc_diag d = {0};
	assert_int_equal(audit_verify(db, &checked, &bad, &d), MC_OK);
	/* 14 import batches of the shipped file, the online-level update, two
	 * imports of a changed record, the form replacement, the creation */
	assert_true(checked >= 19);
}

static void owner_cb(const char *code, const char *vi, const char *en, void *ctx)
{
	int *n = ctx;
	assert_non_null(vi);
	assert_non_null(en);
	if (!strcmp(code, "BCA") || !strcmp(code, "TANDTC"))
		(*n)++;
	(*n) += 100;
}

static void test_owner_agencies(void **state)
{
	(void)state;
	int n = 0;
	assert_int_equal(catalog_owner_agencies(db, owner_cb, &n), MC_OK);
	assert_int_equal(n, 7 * 100 + 2);
}

/* Procedures a list query finds, over every page. */
static long count_list(catalog_query l)
{
	bool more = true;
	long n = 0;
	char last[64] = "";
	mc_diag d = {0};
	l.limit = 100;
	while (more) {
		json_t *items;
		l.after = last[0] ? last : NULL;
		assert_int_equal(catalog_list(db, &l, &items, &more, &d), MC_OK);
		n += (long)json_array_size(items);
		json_t *it = json_array_get(items, json_array_size(items) - 1);
		if (it)
			snprintf(last, sizeof last, "%s",
			         json_string_value(json_object_get(it, "code")));
		json_decref(items);
	}
	return n;
}

static void test_online_counts(void **state)
{
	(void)state;
	json_t *o;
	mc_diag d = {0};
	assert_int_equal(catalog_online_counts(db, &o, &d), MC_OK);
	long total = 0;
	static const char *const online[] = {"full", "partial", "none"};
	for (int i = 0; i < 3; i++) {
		long n = count_list((catalog_query){.online = online[i]});
		assert_int_equal(json_integer_value(json_object_get(o, online[i])), n);
		total += n;
	}
	assert_true(total > 0);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), total);
	assert_int_equal(count_list((catalog_query){0}), total);
	static const char *const levels[] = {"ministry", "province", "commune"};
	for (int i = 0; i < 3; i++) {
		json_t *l = json_object_get(json_object_get(o, "by_level"), levels[i]);
		assert_int_equal(json_integer_value(json_object_get(l, "total")),
		                 count_list((catalog_query){.level = levels[i]}));
		assert_int_equal(json_integer_value(json_object_get(l, "full")),
		                 count_list((catalog_query){.level = levels[i], .online = "full"}));
	}
	json_decref(o);
}

static void test_missing_file(void **state)
{
	(void)state;
	catalog_import_report rep;
	mc_diag d = {0};
	char *p = mc_xasprintf("%s/none.jsonl.gz", dir);
	assert_int_equal(catalog_import_file(db, p, &rep, &d), MC_ERR_IO);
	free(p);
	/* a dry run (no store) parses and counts */
	const char *lines[] = {"{\"ma_thu_tuc\":\"9.000100\",\"ten_thu_tuc\":\"Thử\"}", "{"};
	p = write_jsonl("dry.jsonl", lines, 2);
	assert_int_equal(catalog_import_file(NULL, p, &rep, &d), MC_OK);
	assert_int_equal(rep.read, 2);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.imported, 1);
	assert_int_equal(rep.unparsed_time_limit, 1);
	assert_int_equal(rep.unparsed_components, 1);
	free(p);

	/* a line longer than the cap is skipped and counted, the next one read */
	size_t big = (5u << 20);
	char *huge = mc_xmalloc(big + 64);
	strcpy(huge, "{\"ma_thu_tuc\":\"9.000101\",\"ten_thu_tuc\":\"");
	size_t n = strlen(huge);
	memset(huge + n, 'a', big);
	strcpy(huge + n + big, "\"}");
	const char *lines2[] = {huge, "{\"ma_thu_tuc\":\"9.000102\",\"ten_thu_tuc\":\"Thử\"}"};
	p = write_jsonl("long.jsonl", lines2, 2);
	free(huge);
	assert_int_equal(catalog_import_file(NULL, p, &rep, &d), MC_OK);
	assert_int_equal(rep.read, 2);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.imported, 1);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_rate),        cmocka_unit_test(test_search_spellings),
	    cmocka_unit_test(test_filters_and_pages), cmocka_unit_test(test_every_form_in_subset),
	    cmocka_unit_test(test_procedure_json),    cmocka_unit_test(test_reimport_and_versions),
	    cmocka_unit_test(test_admin_create),      cmocka_unit_test(test_audit),
	    cmocka_unit_test(test_owner_agencies),    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_online_counts),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
