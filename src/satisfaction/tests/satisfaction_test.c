/* satisfaction_test.c - unit tests of the pure rating rules
 * (satisfaction_rules.c): which dossier statuses may be rated, what counts
 * as satisfied, the share, and the checks of a rating request (types,
 * range, unknown members, comment caps in characters and bytes), and the
 * check of feedback and answer texts. */
#include "satisfaction/satisfaction.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_ended(void **state)
{
	(void)state;
	bool want[11] = {[3] = true, [8] = true, [9] = true, [10] = true};
	for (int s = 0; s <= 10; s++)
		assert_int_equal(satisfaction_dossier_ended(s), want[s]);
	assert_false(satisfaction_dossier_ended(-1));
	assert_false(satisfaction_dossier_ended(11));
}

static void test_satisfied_share(void **state)
{
	(void)state;
	assert_false(satisfaction_is_satisfied(1));
	assert_false(satisfaction_is_satisfied(3));
	assert_true(satisfaction_is_satisfied(4));
	assert_true(satisfaction_is_satisfied(5));
	assert_false(satisfaction_is_satisfied(6));
	assert_true(satisfaction_share(0, 0) == 0.0);
	assert_true(satisfaction_share(3, 4) == 0.75);
	assert_true(satisfaction_share(5, 4) == 1.0);
}

/* Parses `text`; returns the error and leaves the first error path in
 * path (or ""). */
static mc_err parse(const char *text, satisfaction_input *in, char *path, size_t n)
{
	json_t *body = json_loads(text, 0, NULL);
	assert_non_null(body);
	mc_diag d = {0};
	mc_err e = satisfaction_parse(body, in, &d);
	json_t *first = json_array_get(json_object_get(d.ext, "errors"), 0);
	snprintf(path, n, "%s", first ? json_string_value(json_object_get(first, "path")) : "");
	mc_diag_clear(&d);
	/* keep the body alive for the borrowed comment: leak-free by checking
	 * it here */
	if (!e && in->comment)
		assert_true(strlen(in->comment) > 0);
	json_decref(body);
	in->comment = NULL;
	return e;
}

static void test_parse(void **state)
{
	(void)state;
	satisfaction_input in;
	char path[64];
	assert_int_equal(parse("{\"score\": 5}", &in, path, sizeof path), MC_OK);
	assert_int_equal(in.score, 5);
	assert_int_equal(in.criteria[0], -1);
	assert_int_equal(parse("{\"score\": 1, \"criteria\": {\"on_time\": false, \"courteous\": "
	                       "true, \"easy_online\": null}, \"comment\": \"Tốt\"}",
	                       &in, path, sizeof path),
	                 MC_OK);
	assert_int_equal(in.criteria[0], 0);
	assert_int_equal(in.criteria[1], 1);
	assert_int_equal(in.criteria[2], -1);
	assert_int_equal(parse("{\"score\": 0}", &in, path, sizeof path), MC_ERR_UNPROCESSABLE);
	assert_string_equal(path, "$.score");
	assert_int_equal(parse("{\"score\": 6}", &in, path, sizeof path), MC_ERR_UNPROCESSABLE);
	assert_int_equal(parse("{\"score\": \"x\"}", &in, path, sizeof path), MC_ERR_INVALID);
	assert_string_equal(path, "$.score");
	assert_int_equal(parse("{\"score\": 4.5}", &in, path, sizeof path), MC_ERR_INVALID);
	assert_int_equal(parse("{}", &in, path, sizeof path), MC_ERR_UNPROCESSABLE);
	assert_string_equal(path, "$.score");
	assert_int_equal(parse("{\"score\": 4, \"stars\": 4}", &in, path, sizeof path),
	                 MC_ERR_UNPROCESSABLE);
	assert_string_equal(path, "$.stars");
	assert_int_equal(
	    parse("{\"score\": 4, \"criteria\": {\"speed\": true}}", &in, path, sizeof path),
	    MC_ERR_UNPROCESSABLE);
	assert_int_equal(
	    parse("{\"score\": 4, \"criteria\": {\"on_time\": 1}}", &in, path, sizeof path),
	    MC_ERR_INVALID);
	assert_int_equal(parse("{\"score\": 4, \"comment\": 7}", &in, path, sizeof path),
	                 MC_ERR_INVALID);
	assert_int_equal(parse("[1]", &in, path, sizeof path), MC_ERR_INVALID);
	/* blank comment: none */
	json_t *b = json_pack("{s:i, s:s}", "score", 3, "comment", "  \n ");
	mc_diag d = {0};
	assert_int_equal(satisfaction_parse(b, &in, &d), MC_OK);
	assert_null(in.comment);
	json_decref(b);
}

static void test_comment_caps(void **state)
{
	(void)state;
	/* 2000 two-byte characters pass, 2001 do not */
	char *s = malloc(2 * 2001 + 1);
	for (int i = 0; i < 2001; i++)
		memcpy(s + 2 * i, "ơ", 2);
	s[2 * 2000] = 0;
	satisfaction_input in;
	mc_diag d = {0};
	json_t *b = json_pack("{s:i, s:s}", "score", 4, "comment", s);
	assert_int_equal(satisfaction_parse(b, &in, &d), MC_OK);
	assert_non_null(in.comment);
	json_decref(b);
	s[2 * 2001] = 0;
	memcpy(s + 2 * 2000, "ơ", 2);
	b = json_pack("{s:i, s:s}", "score", 4, "comment", s);
	assert_int_equal(satisfaction_parse(b, &in, &d), MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(b);
	/* 2000 characters of three bytes = 6000 bytes: within both caps */
	char *t = malloc(3 * 2000 + 1);
	for (int i = 0; i < 2000; i++)
		memcpy(t + 3 * i, "ệ", 3);
	t[3 * 2000] = 0;
	b = json_pack("{s:i, s:s}", "score", 4, "comment", t);
	assert_int_equal(satisfaction_parse(b, &in, &d), MC_OK);
	json_decref(b);
	free(t);
	free(s);
}

static void test_text_check(void **state)
{
	(void)state;
	const char *out;
	mc_diag d = {0};
	json_t *v = json_string("Hồ sơ chậm");
	assert_int_equal(satisfaction_text_check(v, "$.content", &out, &d), MC_OK);
	assert_string_equal(out, "Hồ sơ chậm");
	json_decref(v);
	assert_int_equal(satisfaction_text_check(NULL, "$.content", &out, &d),
	                 MC_ERR_UNPROCESSABLE);
	assert_null(out);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(d.ext, "errors"), 0), "path")),
	                    "$.content");
	mc_diag_clear(&d);
	v = json_string(" \n\t ");
	assert_int_equal(satisfaction_text_check(v, "$.content", &out, &d), MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(v);
	v = json_integer(3);
	assert_int_equal(satisfaction_text_check(v, "$.answer", &out, &d), MC_ERR_INVALID);
	mc_diag_clear(&d);
	json_decref(v);
	/* 4000 characters pass, 4001 do not; a NUL inside is refused */
	char *s = malloc(4002);
	memset(s, 'a', 4001);
	s[4000] = 0;
	v = json_string(s);
	assert_int_equal(satisfaction_text_check(v, "$.content", &out, &d), MC_OK);
	json_decref(v);
	s[4000] = 'a';
	s[4001] = 0;
	v = json_string(s);
	assert_int_equal(satisfaction_text_check(v, "$.content", &out, &d), MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(v);
	v = json_stringn("a\0b", 3);
	assert_int_equal(satisfaction_text_check(v, "$.content", &out, &d), MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	json_decref(v);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ended),      cmocka_unit_test(test_satisfied_share),
	    cmocka_unit_test(test_parse),      cmocka_unit_test(test_comment_caps),
	    cmocka_unit_test(test_text_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
