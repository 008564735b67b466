/* jsonschema_test.c - unit tests of the JSON Schema subset validator
 * (jsonschema.h): every keyword, error paths, collection of all errors,
 * bilingual messages, pattern translation and caps (length, repetition
 * bounds and their products, expanded size, back-references), one compile
 * per distinct pattern and validation. */
#include "core/jsonschema.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &err);
	if (!v)
		fail_msg("bad JSON in test: %s (%s)", err.text, text);
	return v;
}

/* Validates and returns the errors; frees schema and instance. */
static json_t *run(const char *schema, const char *instance)
{
	json_t *s = parse(schema), *i = parse(instance);
	json_t *errs = jsonschema_validate(s, i);
	json_decref(s);
	json_decref(i);
	assert_true(json_is_array(errs));
	return errs;
}

static size_t count(const char *schema, const char *instance)
{
	json_t *e = run(schema, instance);
	size_t n = json_array_size(e);
	json_decref(e);
	return n;
}

/* True when some error has exactly this path. */
static bool has_path(json_t *errs, const char *path)
{
	size_t i;
	json_t *e;
	json_array_foreach(errs, i, e)
	{
		if (!strcmp(json_string_value(json_object_get(e, "path")), path))
			return true;
	}
	return false;
}

static void test_types(void **state)
{
	(void)state;
	assert_int_equal(count("{\"type\":\"string\"}", "\"x\""), 0);
	assert_int_equal(count("{\"type\":\"string\"}", "1"), 1);
	assert_int_equal(count("{\"type\":\"integer\"}", "3"), 0);
	assert_int_equal(count("{\"type\":\"integer\"}", "3.0"), 0);
	assert_int_equal(count("{\"type\":\"integer\"}", "3.5"), 1);
	assert_int_equal(count("{\"type\":\"number\"}", "3.5"), 0);
	assert_int_equal(count("{\"type\":\"number\"}", "\"3.5\""), 1);
	assert_int_equal(count("{\"type\":\"boolean\"}", "false"), 0);
	assert_int_equal(count("{\"type\":\"boolean\"}", "0"), 1);
	assert_int_equal(count("{\"type\":\"null\"}", "null"), 0);
	assert_int_equal(count("{\"type\":\"object\"}", "[]"), 1);
	assert_int_equal(count("{\"type\":\"array\"}", "[]"), 0);
	assert_int_equal(count("{\"type\":[\"string\",\"null\"]}", "null"), 0);
	assert_int_equal(count("{\"type\":[\"string\",\"null\"]}", "\"a\""), 0);
	assert_int_equal(count("{\"type\":[\"string\",\"null\"]}", "2"), 1);
	/* empty schema and true accept anything, false nothing */
	assert_int_equal(count("{}", "{\"a\":[1,2]}"), 0);
	assert_int_equal(count("true", "1"), 0);
	assert_int_equal(count("false", "1"), 1);
}

static void test_messages_bilingual(void **state)
{
	(void)state;
	json_t *e = run("{\"type\":\"object\",\"required\":[\"name\"]}", "{}");
	assert_int_equal(json_array_size(e), 1);
	json_t *first = json_array_get(e, 0);
	assert_string_equal(json_string_value(json_object_get(first, "path")), "$.name");
	assert_string_equal(json_string_value(json_object_get(first, "message")), "is required");
	assert_string_equal(json_string_value(json_object_get(first, "message_vi")),
	                    "là thông tin bắt buộc");
	json_decref(e);

	e = run("{\"type\":\"integer\"}", "\"x\"");
	first = json_array_get(e, 0);
	assert_string_equal(json_string_value(json_object_get(first, "path")), "$");
	assert_string_equal(json_string_value(json_object_get(first, "message")),
	                    "must be of type integer");
	assert_non_null(
	    strstr(json_string_value(json_object_get(first, "message_vi")), "số nguyên"));
	json_decref(e);
}

static const char *person_schema =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    " \"required\":[\"applicant\",\"child\"],"
    " \"properties\":{"
    "  \"applicant\":{\"type\":\"object\",\"required\":[\"full_name\",\"person_id\"],"
    "    \"properties\":{\"full_name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":10},"
    "                   \"person_id\":{\"type\":\"string\",\"pattern\":\"^[0-9]{12}$\"},"
    "                   \"email\":{\"type\":\"string\",\"format\":\"email\"}}},"
    "  \"child\":{\"type\":\"object\",\"required\":[\"date_of_birth\",\"sex\"],"
    "    \"properties\":{\"date_of_birth\":{\"type\":\"string\",\"format\":\"date\"},"
    "                   \"sex\":{\"enum\":[\"male\",\"female\"]}}},"
    "  \"copies\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
    "  \"tags\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":2,"
    "            \"items\":{\"type\":\"string\",\"maxLength\":3}}}}";

static void test_nested_paths_and_all_errors(void **state)
{
	(void)state;
	json_t *e =
	    run(person_schema,
	        "{\"applicant\":{\"full_name\":\"\",\"person_id\":\"12345\",\"email\":\"nope\"},"
	        " \"child\":{\"date_of_birth\":\"2025-02-30\"},"
	        " \"copies\":0, \"tags\":[\"ok\",\"long\",\"x\"], \"extra\":1,"
	        " \"weird key\":2}");
	assert_true(has_path(e, "$.applicant.full_name"));
	assert_true(has_path(e, "$.applicant.person_id"));
	assert_true(has_path(e, "$.applicant.email"));
	assert_true(has_path(e, "$.child.date_of_birth"));
	assert_true(has_path(e, "$.child.sex"));
	assert_true(has_path(e, "$.copies"));
	assert_true(has_path(e, "$.tags"));
	assert_true(has_path(e, "$.tags[1]"));
	assert_true(has_path(e, "$.extra"));
	assert_true(has_path(e, "$['weird key']"));
	assert_false(has_path(e, "$.tags[0]"));
	assert_int_equal(json_array_size(e), 10);
	json_decref(e);

	assert_int_equal(count(person_schema,
	                       "{\"applicant\":{\"full_name\":\"Lan\","
	                       "\"person_id\":\"001090012345\",\"email\":\"a@b.vn\"},"
	                       "\"child\":{\"date_of_birth\":\"2024-02-29\",\"sex\":\"female\"},"
	                       "\"copies\":10,\"tags\":[\"a\"]}"),
	                 0);
	/* a missing top-level object reports both required members */
	e = run(person_schema, "{}");
	assert_true(has_path(e, "$.applicant"));
	assert_true(has_path(e, "$.child"));
	assert_int_equal(json_array_size(e), 2);
	json_decref(e);
}

static void test_strings(void **state)
{
	(void)state;
	/* lengths count code points, not bytes: "Đăng" is 4 characters */
	assert_int_equal(count("{\"maxLength\":4}", "\"Đăng\""), 0);
	assert_int_equal(count("{\"minLength\":5}", "\"Đăng\""), 1);
	assert_int_equal(count("{\"minLength\":1}", "\"\""), 1);
	/* length keywords ignore other types */
	assert_int_equal(count("{\"minLength\":3}", "12"), 0);
	/* pattern: search semantics unless anchored */
	assert_int_equal(count("{\"pattern\":\"[0-9]\"}", "\"ab3\""), 0);
	assert_int_equal(count("{\"pattern\":\"^[0-9]+$\"}", "\"ab3\""), 1);
	/* ECMA shorthand classes */
	assert_int_equal(count("{\"pattern\":\"^\\\\d{3}-\\\\d{2}$\"}", "\"123-45\""), 0);
	assert_int_equal(count("{\"pattern\":\"^\\\\d{3}-\\\\d{2}$\"}", "\"12a-45\""), 1);
	assert_int_equal(count("{\"pattern\":\"^[\\\\d.]+$\"}", "\"1.5\""), 0);
	assert_int_equal(count("{\"pattern\":\"^\\\\S+$\"}", "\"a b\""), 1);
	assert_int_equal(count("{\"pattern\":\"^\\\\w+$\"}", "\"a_b9\""), 0);
	/* an invalid or oversized pattern is an error, never a crash */
	json_t *e = run("{\"pattern\":\"([a-z\"}", "\"abc\"");
	assert_int_equal(json_array_size(e), 1);
	assert_non_null(
	    strstr(json_string_value(json_object_get(json_array_get(e, 0), "message")), "pattern"));
	json_decref(e);
	char big[400];
	memset(big, 'a', sizeof big);
	big[sizeof big - 1] = '\0';
	char *schema = NULL;
	assert_true(asprintf(&schema, "{\"pattern\":\"%s\"}", big) > 0);
	assert_int_equal(count(schema, "\"a\""), 1);
	free(schema);
	assert_int_equal(count("{\"pattern\":\"abc\\\\\"}", "\"abc\""), 1);
}

/* The reason jsonschema_pattern_check gives, or NULL; checks that a refused
 * pattern has a Vietnamese reason too. */
static const char *refused(const char *pattern)
{
	const char *vi = NULL;
	const char *why = jsonschema_pattern_check(pattern, &vi);
	if (why)
		assert_non_null(vi);
	return why;
}

static void test_pattern_caps(void **state)
{
	(void)state;
	/* the patterns of the derived eForms and usual ones are accepted */
	assert_null(refused("^[0-9]{12}$"));
	assert_null(refused("^(\\+84|0)[0-9]{9,10}$"));
	assert_null(refused("^[0-9]{10}(-[0-9]{3})?$"));
	assert_null(refused("^\\d{3}-\\d{2}$"));
	assert_null(refused("^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}$"));
	/* a single bound: 255 is the most */
	assert_null(refused("a{255}"));
	assert_null(refused("a{1,255}"));
	assert_non_null(refused("a{256}"));
	assert_non_null(refused("a{1,3000}"));
	assert_non_null(refused("a{1,32767}"));
	assert_non_null(refused("a{,300}"));
	assert_non_null(refused("a{300,}"));
	assert_non_null(refused("a{99999999999999999999}"));
	/* nested and stacked bounds multiply, "+" counts 2 */
	assert_null(refused("(a{15}){17}"));     /* 255 */
	assert_non_null(refused("(a{16}){16}")); /* 256 */
	assert_non_null(refused("(.{1,200}){1,200}"));
	assert_non_null(refused("a{16}{16}"));
	assert_null(refused("((((((((a+)+)+)+)+)+)+))")); /* 2^7 */
	assert_non_null(refused("((((((((a+)+)+)+)+)+)+)+)"));
	assert_non_null(refused("(a{200})+"));
	assert_null(refused("(a{200})*"));
	/* the expanded size: 4 x 250 atoms is the most */
	assert_null(refused("a{1,250}b{1,250}c{1,250}d{1,250}"));
	assert_non_null(refused("a{1,250}b{1,250}c{1,250}d{1,251}"));
	assert_non_null(refused("(abcd){1,255}"));
	assert_non_null(refused("(a|b|c|d|e|f|g){1,255}"));
	/* brackets are one atom; a "{" that is not a bound is a character */
	assert_null(refused("[a{1,3000}]"));
	assert_null(refused("[[:alpha:]]{1,200}"));
	/* invalid, too long, back-references */
	assert_non_null(refused("([a-z"));
	assert_non_null(refused("abc\\"));
	assert_non_null(refused("(a)\\1"));
	char big[300];
	memset(big, 'a', sizeof big);
	big[sizeof big - 1] = '\0';
	assert_non_null(refused(big));
	/* the validator refuses them as schema errors without compiling */
	unsigned long before = jsonschema_compile_count();
	json_t *e = run("{\"pattern\":\"a{1,32767}\"}", "\"aaa\"");
	assert_int_equal(json_array_size(e), 1);
	const char *m = json_string_value(json_object_get(json_array_get(e, 0), "message"));
	assert_non_null(strstr(m, "pattern"));
	assert_non_null(strstr(m, "255"));
	assert_non_null(json_string_value(json_object_get(json_array_get(e, 0), "message_vi")));
	json_decref(e);
	assert_int_equal(jsonschema_compile_count(), before);
}

static void test_pattern_compiled_once(void **state)
{
	(void)state;
	/* 300 strings, two distinct patterns (one used twice): two compiles */
	json_t *schema = parse("{\"type\":\"object\",\"properties\":{"
	                       "\"a\":{\"type\":\"array\",\"items\":{\"pattern\":\"^[0-9]{3}$\"}},"
	                       "\"b\":{\"type\":\"array\",\"items\":{\"pattern\":\"^x{1,200}$\"}},"
	                       "\"c\":{\"pattern\":\"^[0-9]{3}$\"}}}");
	json_t *inst = json_object();
	json_t *a = json_array(), *b = json_array();
	for (int i = 0; i < 150; i++) {
		json_array_append_new(a, json_string(i % 50 ? "123" : "12"));
		json_array_append_new(b, json_string(i % 50 ? "xxx" : "xy"));
	}
	json_object_set_new(inst, "a", a);
	json_object_set_new(inst, "b", b);
	json_object_set_new(inst, "c", json_string("1234"));
	unsigned long before = jsonschema_compile_count();
	json_t *e = jsonschema_validate(schema, inst);
	assert_int_equal(jsonschema_compile_count() - before, 2);
	assert_int_equal(json_array_size(e), 3 + 3 + 1);
	assert_true(has_path(e, "$.a[50]"));
	assert_true(has_path(e, "$.b[100]"));
	assert_true(has_path(e, "$.c"));
	json_decref(e);
	/* the next validation compiles afresh (nothing is kept between calls) */
	e = jsonschema_validate(schema, inst);
	assert_int_equal(jsonschema_compile_count() - before, 4);
	json_decref(e);
	json_decref(inst);
	json_decref(schema);
	/* a string already longer than maxLength is not matched */
	assert_int_equal(count("{\"maxLength\":3,\"pattern\":\"^[0-9]+$\"}", "\"abcd\""), 1);
	assert_int_equal(count("{\"maxLength\":4,\"pattern\":\"^[0-9]+$\"}", "\"abcd\""), 1);
	assert_int_equal(count("{\"maxLength\":4,\"pattern\":\"^[a-z]+$\"}", "\"abcd\""), 0);
}

static void test_formats(void **state)
{
	(void)state;
	const char *d = "{\"type\":\"string\",\"format\":\"date\"}";
	assert_int_equal(count(d, "\"2026-01-31\""), 0);
	assert_int_equal(count(d, "\"2024-02-29\""), 0);
	assert_int_equal(count(d, "\"2025-02-29\""), 1);
	assert_int_equal(count(d, "\"2026-13-01\""), 1);
	assert_int_equal(count(d, "\"31/01/2026\""), 1);
	assert_int_equal(count(d, "\"2026-1-31\""), 1);
	assert_int_equal(count(d, "5"), 1); /* type only */
	const char *m = "{\"format\":\"email\"}";
	assert_int_equal(count(m, "\"lan.nguyen@example.vn\""), 0);
	assert_int_equal(count(m, "\"a@b\""), 1);
	assert_int_equal(count(m, "\"@b.vn\""), 1);
	assert_int_equal(count(m, "\"a@@b.vn\""), 1);
	assert_int_equal(count(m, "\"a b@c.vn\""), 1);
	assert_int_equal(count(m, "\"a@b..vn\""), 1);
	/* unknown formats are annotations */
	assert_int_equal(count("{\"format\":\"uri\"}", "\"x\""), 0);
}

static void test_numbers(void **state)
{
	(void)state;
	const char *s = "{\"type\":\"number\",\"minimum\":0.5,\"maximum\":2}";
	assert_int_equal(count(s, "0.5"), 0);
	assert_int_equal(count(s, "2"), 0);
	assert_int_equal(count(s, "0.49"), 1);
	assert_int_equal(count(s, "2.01"), 1);
	assert_int_equal(count(s, "\"1\""), 1);
}

static void test_enum_const(void **state)
{
	(void)state;
	assert_int_equal(count("{\"enum\":[1,\"a\",null]}", "1.0"), 0);
	assert_int_equal(count("{\"enum\":[1,\"a\",null]}", "null"), 0);
	assert_int_equal(count("{\"enum\":[1,\"a\",null]}", "\"b\""), 1);
	assert_int_equal(count("{\"enum\":[{\"x\":1}]}", "{\"x\":1}"), 0);
	assert_int_equal(count("{\"const\":\"online\"}", "\"online\""), 0);
	assert_int_equal(count("{\"const\":\"online\"}", "\"post\""), 1);
	json_t *e = run("{\"enum\":[\"male\",\"female\"]}", "\"x\"");
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(e, 0), "message")),
	                       "\"male\", \"female\""));
	json_decref(e);
}

static void test_arrays_of_objects(void **state)
{
	(void)state;
	json_t *e = run("{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"id\"],"
	                "\"properties\":{\"id\":{\"type\":\"string\"}}}}",
	                "[{\"id\":\"c1\"},{},{\"id\":2}]");
	assert_int_equal(json_array_size(e), 2);
	assert_true(has_path(e, "$[1].id"));
	assert_true(has_path(e, "$[2].id"));
	json_decref(e);
}

static void test_depth_and_error_caps(void **state)
{
	(void)state;
	/* a schema nested deeper than the cap is reported, not recursed */
	char *schema = strdup("{}");
	char *inst = strdup("1");
	for (int i = 0; i < 80; i++) {
		char *s2 = NULL, *i2 = NULL;
		assert_true(asprintf(&s2, "{\"properties\":{\"a\":%s}}", schema) > 0);
		assert_true(asprintf(&i2, "{\"a\":%s}", inst) > 0);
		free(schema);
		free(inst);
		schema = s2;
		inst = i2;
	}
	json_t *e = run(schema, inst);
	assert_int_equal(json_array_size(e), 1);
	json_decref(e);
	free(schema);
	free(inst);

	/* a huge instance yields a bounded error list */
	json_t *s = parse("{\"items\":{\"type\":\"string\"}}");
	json_t *arr = json_array();
	for (int i = 0; i < 1000; i++)
		json_array_append_new(arr, json_integer(i));
	e = jsonschema_validate(s, arr);
	assert_true(json_array_size(e) > 0);
	assert_true(json_array_size(e) <= 200);
	json_decref(e);
	json_decref(s);
	json_decref(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_messages_bilingual),
	    cmocka_unit_test(test_nested_paths_and_all_errors),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_pattern_caps),
	    cmocka_unit_test(test_pattern_compiled_once),
	    cmocka_unit_test(test_formats),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_enum_const),
	    cmocka_unit_test(test_arrays_of_objects),
	    cmocka_unit_test(test_depth_and_error_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
