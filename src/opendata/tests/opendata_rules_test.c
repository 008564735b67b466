/* opendata_rules_test.c - unit tests of the pure open-data rules
 * (opendata_rules.c): licences, themes and frequencies, dataset names, table
 * schema checks, the streaming CSV validator (any chunking, quotes, CRLF,
 * errors by row and field), the CKAN/Solr filter-term parser and the 766
 * scoring rules. */
#include "opendata/opendata.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_vocabularies(void **state)
{
	(void)state;
	assert_non_null(od_license_find("CC-BY-4.0"));
	assert_non_null(od_license_find("CC0-1.0"));
	assert_non_null(od_license_find("ODC-BY-1.0"));
	assert_null(od_license_find("proprietary"));
	assert_null(od_license_find("cc-by-4.0"));
	assert_null(od_license_find(NULL));
	assert_string_equal(od_theme_find("GOVE")->en, "Government and public sector");
	assert_null(od_theme_find("gove"));
	assert_string_equal(od_frequency_label("MONTHLY"), "monthly");
	assert_null(od_frequency_label("SOMETIMES"));
}

static void test_names(void **state)
{
	(void)state;
	assert_true(od_name_ok("ho-so_2026"));
	assert_false(od_name_ok("a"));
	assert_false(od_name_ok("Hoa"));
	assert_false(od_name_ok("có-dấu"));
	assert_false(od_name_ok("a b"));
	char long_name[102];
	memset(long_name, 'a', 101);
	long_name[101] = '\0';
	assert_false(od_name_ok(long_name));
	long_name[100] = '\0';
	assert_true(od_name_ok(long_name));
}

static json_t *schema(void)
{
	return json_loads(
	    "{\"fields\":["
	    "{\"name\":\"code\",\"type\":\"string\",\"constraints\":{\"required\":true}},"
	    "{\"name\":\"day\",\"type\":\"date\"},"
	    "{\"name\":\"n\",\"type\":\"integer\",\"constraints\":{\"minimum\":0}},"
	    "{\"name\":\"kind\",\"type\":\"string\",\"constraints\":{\"enum\":[\"a\",\"b\"]}}"
	    "]}",
	    0, NULL);
}

static void test_schema_check(void **state)
{
	(void)state;
	json_t *errors = json_array();
	json_t *s = schema();
	od_schema_check(s, "$.schema", errors);
	assert_int_equal(json_array_size(errors), 0);
	json_t *bad = json_loads("{\"fields\":[{\"name\":\"x\",\"type\":\"blob\"},{\"name\":\"x\"},"
	                         "{\"type\":\"string\"}]}",
	                         0, NULL);
	od_schema_check(bad, "$.schema", errors);
	assert_int_equal(json_array_size(errors), 3); /* type, duplicate, no name */
	json_t *none = json_object();
	od_schema_check(none, "$.schema", errors);
	assert_int_equal(json_array_size(errors), 4);
	json_decref(errors);
	json_decref(s);
	json_decref(bad);
	json_decref(none);
}

/* Validates `text` fed in chunks of `step` bytes; returns the error count
 * and the errors. */
static long validate(const char *text, size_t step, json_t **errors, int64_t *rows)
{
	json_t *s = schema();
	od_csv *v = od_csv_new(s);
	size_t n = strlen(text);
	for (size_t i = 0; i < n; i += step)
		od_csv_feed(v, text + i, i + step > n ? n - i : step);
	long e = od_csv_finish(v, errors, rows);
	od_csv_free(v);
	json_decref(s);
	return e;
}

static void test_csv_valid_any_chunking(void **state)
{
	(void)state;
	const char *csv = "code,day,n,kind\r\n"
	                  "\"1.001193\",2026-01-05,12,a\r\n"
	                  "\"with, comma and \"\"quotes\"\"\",,0,b\r\n"
	                  "x,2026-02-28,7,\n"
	                  "\"multi\nline\",2026-03-01,1,a";
	for (size_t step = 1; step <= strlen(csv); step++) {
		json_t *errors;
		int64_t rows;
		long n = validate(csv, step, &errors, &rows);
		assert_int_equal(n, 0);
		assert_int_equal(rows, 4);
		json_decref(errors);
	}
}

static json_t *error_at(json_t *errors, int64_t row, const char *field)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
	{
		const char *f = json_string_value(json_object_get(e, "field"));
		if (json_integer_value(json_object_get(e, "row")) == row &&
		    ((!field && !f) || (field && f && strcmp(f, field) == 0)))
			return e;
	}
	return NULL;
}

static void test_csv_errors_by_row_and_field(void **state)
{
	(void)state;
	const char *csv = "code,day,n,kind\n"
	                  ",2026-02-30,-1,c\n"
	                  "ok,2026-01-01,1.5,a\n"
	                  "short,2026-01-01\n";
	json_t *errors;
	int64_t rows;
	long n = validate(csv, 7, &errors, &rows);
	assert_int_equal(rows, 3);
	assert_int_equal(n, 6);
	assert_non_null(error_at(errors, 2, "code"));
	assert_non_null(error_at(errors, 2, "day"));
	assert_non_null(error_at(errors, 2, "n"));
	assert_non_null(error_at(errors, 2, "kind"));
	assert_non_null(error_at(errors, 3, "n"));
	assert_non_null(error_at(errors, 4, NULL));
	json_decref(errors);
}

static void test_csv_header_and_quotes(void **state)
{
	(void)state;
	json_t *errors;
	int64_t rows;
	assert_true(validate("code,day,kind,n\n", 100, &errors, &rows) >= 2);
	json_decref(errors);
	assert_int_equal(validate("", 100, &errors, &rows), 1); /* no header */
	json_decref(errors);
	/* unclosed quote: the rest is one value, so the row is short too */
	assert_int_equal(validate("code,day,n,kind\n\"open,2026-01-01,1,a\n", 3, &errors, &rows),
	                 2);
	json_decref(errors);
	/* invalid UTF-8 in a value: reported, and the value counts as empty
	 * (so the required code is missing as well) */
	assert_int_equal(validate("code,day,n,kind\n\xff\xfe,2026-01-01,1,a\n", 4, &errors, &rows),
	                 2);
	json_decref(errors);
}

static void test_csv_error_cap(void **state)
{
	(void)state;
	char *csv = malloc(16 + 500 * 12);
	strcpy(csv, "code,day,n,kind\n");
	for (int i = 0; i < 500; i++)
		strcat(csv, "a,bad,1,a\n");
	json_t *errors;
	int64_t rows;
	assert_int_equal(validate(csv, 64, &errors, &rows), 500);
	assert_int_equal(json_array_size(errors), OD_ERRORS_MAX);
	assert_int_equal(rows, 500);
	json_decref(errors);
	free(csv);
}

static void test_terms(void **state)
{
	(void)state;
	od_term *t;
	int n;
	char *words;
	assert_int_equal(
	    od_terms_parse("organization:ubnd-00004 AND tags:\"giáo dục\" "
	                   "metadata_modified:[2026-03-01T01:00:00.123456Z TO *] hello",
	                   &t, &n, &words, NULL),
	    MC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(t[0].field, "organization");
	assert_string_equal(t[0].value, "ubnd-00004");
	assert_string_equal(t[1].value, "giáo dục");
	assert_null(t[2].value);
	assert_string_equal(t[2].lo, "2026-03-01T01:00:00.123456Z");
	assert_null(t[2].hi);
	assert_string_equal(words, "hello");
	od_terms_free(t, n);
	free(words);
	assert_int_equal(od_terms_parse("secret:1", &t, &n, &words, NULL), MC_ERR_INVALID);
	assert_int_equal(od_terms_parse("name:\"open", &t, &n, &words, NULL), MC_ERR_INVALID);
	assert_int_equal(od_terms_parse("metadata_modified:[2026 2027]", &t, &n, &words, NULL),
	                 MC_ERR_INVALID);
	assert_int_equal(od_terms_parse("*:*", &t, &n, &words, NULL), MC_OK);
	assert_int_equal(n, 0);
	assert_null(words);
}

static void test_date_bounds(void **state)
{
	(void)state;
	char out[21];
	assert_true(od_date_bound("2026-03-01T01:00:00.123456Z", out));
	assert_string_equal(out, "2026-03-01T01:00:00Z");
	assert_true(od_date_bound("2026-03-01T01:00:00", out));
	assert_string_equal(out, "2026-03-01T01:00:00Z");
	assert_true(od_date_bound("2026-03-01", out));
	assert_string_equal(out, "2026-03-01T00:00:00Z");
	assert_false(od_date_bound("2026-13-01", out));
	assert_false(od_date_bound("yesterday", out));
	assert_false(od_date_bound("2026-03-01T01:00:00+07:00", out));
}

static void test_766_points(void **state)
{
	(void)state;
	/* linear to the threshold, full at and above it */
	assert_float_equal(od_766_points(0.4, 22, 0.8), 11.0, 1e-4);
	assert_float_equal(od_766_points(0.8, 22, 0.8), 22.0, 1e-4);
	assert_float_equal(od_766_points(1.0, 22, 0.8), 22.0, 1e-4);
	assert_float_equal(od_766_points(0.9, 20, 1.0), 18.0, 1e-4);
	assert_float_equal(od_766_points(0.25, 12, 0.5), 6.0, 1e-4);
	assert_float_equal(od_766_points(0, 12, 0.5), 0.0, 1e-4);
	assert_float_equal(od_766_points(-1, 12, 0.5), 0.0, 1e-4);
	assert_float_equal(od_766_points(0.1, 12, 0), 12.0, 1e-4);
}

static void test_766_digitization(void **state)
{
	(void)state;
	/* reuse not measured: the digitized rate over the whole group */
	assert_float_equal(od_766_digitization(0.4, 0.8, -1, 0.8, 22), 11.0, 1e-4);
	assert_float_equal(od_766_digitization(0.95, 0.8, -1, 0.8, 22), 22.0, 1e-4);
	/* both measured: half each, each linear to its own threshold */
	assert_float_equal(od_766_digitization(0.8, 0.8, 0.4, 0.8, 22), 11.0 + 5.5, 1e-4);
	assert_float_equal(od_766_digitization(0.2, 0.8, 1.0, 0.5, 22), 2.75 + 11.0, 1e-4);
	assert_float_equal(od_766_digitization(0, 0.8, 0, 0.8, 22), 0.0, 1e-4);
	/* nothing measured */
	assert_float_equal(od_766_digitization(-1, 0.8, 0.5, 0.8, 22), -1.0, 1e-4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vocabularies),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_schema_check),
	    cmocka_unit_test(test_csv_valid_any_chunking),
	    cmocka_unit_test(test_csv_errors_by_row_and_field),
	    cmocka_unit_test(test_csv_header_and_quotes),
	    cmocka_unit_test(test_csv_error_cap),
	    cmocka_unit_test(test_terms),
	    cmocka_unit_test(test_date_bounds),
	    cmocka_unit_test(test_766_points),
	    cmocka_unit_test(test_766_digitization),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
