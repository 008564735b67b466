/* opendata_form_test.c - unit tests of the streaming multipart/form-data
 * parser of CKAN's resource_create upload (od_form_*, opendata_files.c):
 * the same fields and file bytes whatever the chunking (down to one byte,
 * so that delimiters split across chunks are found), delimiter-like bytes
 * inside the file, other file parts dropped, and malformed bodies refused. */
#include "app.h"
#include "opendata/opendata.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static const char BODY[] = "preamble ignored\r\n"
                           "--B0uNd\r\n"
                           "Content-Disposition: form-data; name=\"package_id\"\r\n"
                           "\r\n"
                           "my-dataset\r\n"
                           "--B0uNd\r\n"
                           "Content-Disposition: form-data; name=\"other\"; filename=\"o.txt\"\r\n"
                           "Content-Type: text/plain\r\n"
                           "\r\n"
                           "dropped\r\n"
                           "--B0uNd\r\n"
                           "Content-Disposition: form-data; name=\"upload\"; filename=\"d.csv\"\r\n"
                           "Content-Type: text/csv\r\n"
                           "\r\n"
                           "a,b\r\n--B0uN,\r\n--B0uNx\r\n"
                           "\r\n--B0uNd\r\n"
                           "Content-Disposition: form-data; name=\"name\"\r\n"
                           "\r\n"
                           "Tên tệp\r\n"
                           "--B0uNd--\r\n"
                           "epilogue";

static const char FILE_BYTES[] = "a,b\r\n--B0uN,\r\n--B0uNx\r\n";

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *b = calloc(1, 4096);
	*n = fread(b, 1, 4095, f);
	fclose(f);
	return b;
}

static void parse_in_chunks(mc_app *app, size_t chunk)
{
	mc_diag d = {0};
	mc_err e;
	od_form *f = od_form_new("multipart/form-data; boundary=B0uNd", app, &d, &e);
	assert_int_equal(e, MC_OK);
	size_t len = strlen(BODY);
	for (size_t i = 0; i < len; i += chunk) {
		size_t n = len - i < chunk ? len - i : chunk;
		assert_int_equal(od_form_feed(f, BODY + i, n, &d), MC_OK);
	}
	assert_int_equal(od_form_finish(f, &d), MC_OK);
	json_t *fields = od_form_fields(f);
	assert_string_equal(json_string_value(json_object_get(fields, "package_id")), "my-dataset");
	assert_string_equal(json_string_value(json_object_get(fields, "name")), "Tên tệp");
	assert_null(json_object_get(fields, "other"));
	assert_string_equal(od_form_filename(f), "d.csv");
	size_t n;
	char *got = read_file(od_form_file(f), &n);
	assert_int_equal(n, strlen(FILE_BYTES));
	assert_memory_equal(got, FILE_BYTES, n);
	free(got);
	char *tmp = strdup(od_form_file(f));
	od_form_free(f);
	assert_int_not_equal(access(tmp, F_OK), 0); /* removed when not committed */
	free(tmp);
	mc_diag_clear(&d);
}

static void test_any_chunking(void **state)
{
	mc_app *app = *state;
	size_t sizes[] = {1, 2, 3, 5, 7, 11, 64, 4096};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		parse_in_chunks(app, sizes[i]);
}

static mc_err feed_all(mc_app *app, const char *ct, const char *body)
{
	mc_diag d = {0};
	mc_err e;
	od_form *f = od_form_new(ct, app, &d, &e);
	if (!e)
		e = od_form_feed(f, body, strlen(body), &d);
	if (!e)
		e = od_form_finish(f, &d);
	od_form_free(f);
	mc_diag_clear(&d);
	return e;
}

static void test_malformed(void **state)
{
	mc_app *app = *state;
	const char *ct = "multipart/form-data; boundary=\"X\"";
	/* no boundary, not multipart */
	assert_int_equal(feed_all(app, "multipart/form-data", "x"), MC_ERR_INVALID);
	assert_int_equal(feed_all(app, "application/json", "{}"), MC_ERR_INVALID);
	/* no closing delimiter */
	assert_int_equal(
	    feed_all(app, ct, "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv"),
	    MC_ERR_INVALID);
	/* garbage after a delimiter */
	assert_int_equal(feed_all(app, ct,
	                          "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	                          "v\r\n--Xzz"),
	                 MC_ERR_INVALID);
	/* a part without a name */
	assert_int_equal(feed_all(app, ct, "--X\r\nContent-Type: text/plain\r\n\r\nv\r\n--X--"),
	                 MC_ERR_INVALID);
	/* a field over its cap */
	size_t big = 300000;
	char *body = malloc(big + 200);
	int k = snprintf(body, 200, "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n");
	memset(body + k, 'x', big);
	strcpy(body + k + big, "\r\n--X--");
	assert_int_equal(feed_all(app, ct, body), MC_ERR_TOO_LARGE);
	free(body);
	/* well formed, quoted boundary */
	assert_int_equal(
	    feed_all(app, ct,
	             "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--X--"),
	    MC_OK);
}

static int setup(void **state)
{
	static mc_app app;
	static char dir[] = "/tmp/od-form-XXXXXX";
	assert_non_null(mkdtemp(dir));
	app.data_dir = dir;
	*state = &app;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_any_chunking),
	    cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
