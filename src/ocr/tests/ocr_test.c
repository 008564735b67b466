/* ocr_test.c - unit tests of the OCR module (ocr.h): the character-accuracy
 * measure, the job queue against a temporary store (enqueue, claim once,
 * lease expiry, give-up after repeated claims, completion with the text
 * index, reuse of the text of identical content, failure), and the
 * engine's refusal of undecodable and oversized images before decoding. */
#include "ocr/ocr.h"

#include "core/mem.h"
#include "testsupport/testsupport.h"
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

static void test_accuracy(void **state)
{
	(void)state;
	assert_true(fabs(ocr_char_accuracy("abc", "abc") - 1.0) < 1e-9);
	assert_true(fabs(ocr_char_accuracy("", "") - 1.0) < 1e-9);
	assert_true(fabs(ocr_char_accuracy("", "x") - 0.0) < 1e-9);
	assert_true(fabs(ocr_char_accuracy("abcdefghij", "abcdefghiX") - 0.9) < 1e-9);
	assert_true(fabs(ocr_char_accuracy("abcdefghij", "abcdefghi") - 0.9) < 1e-9);
	assert_true(fabs(ocr_char_accuracy("abcdefghij", "abcdefghijk") - 0.9) < 1e-9);
	/* whitespace runs and ends do not count */
	assert_true(fabs(ocr_char_accuracy("Hà  Nội\n", " Hà\n\nNội") - 1.0) < 1e-9);
	/* a missing diacritic is one code point wrong: "Việt" vs "Viet" */
	assert_true(fabs(ocr_char_accuracy("Việt", "Viet") - 0.75) < 1e-9);
	assert_true(fabs(ocr_char_accuracy("Đông", "Dông") - 0.75) < 1e-9);
	/* floored at 0 */
	assert_true(ocr_char_accuracy("ab", "xxxxxxxxxx") == 0.0);
}

static char dir[128];
static store *db;

static mc_err exec_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	const char **p = vctx;
	int n = 0;
	while (p[n + 1])
		n++;
	return store_execv(c, p[0], n, p + 1);
}

static void sql(const char *s, const char *a, const char *b)
{
	const char *p[] = {s, a, b, NULL};
	assert_int_equal(store_write(db, exec_fn, p, NULL), MC_OK);
}

typedef struct enq_ctx {
	const char *id, *sha, *type;
} enq_ctx;

static mc_err enq_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	enq_ctx *x = vctx;
	return ocr_enqueue(c, x->id, x->sha, x->type, "2026-03-02T02:00:00Z");
}

static void enqueue(const char *id, const char *sha)
{
	enq_ctx x = {id, sha, "image/png"};
	assert_int_equal(store_write(db, enq_fn, &x, NULL), MC_OK);
}

typedef struct get_ctx {
	const char *id;
	json_t *out;
} get_ctx;

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	get_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return ocr_get(c, x->id, &x->out, diag);
}

static json_t *job_of(const char *id)
{
	get_ctx x = {id, NULL};
	assert_int_equal(store_read(db, get_fn, &x, NULL), MC_OK);
	return x.out;
}

static bool hit(const char *key, double rank, void *ctx)
{
	(void)rank;
	json_array_append_new(ctx, json_string(key));
	return true;
}

static mc_err search_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	return store_text_search(c, "ocr", "khai sinh", 10, 0, hit, vctx);
}

static int store_setup(void **state)
{
	(void)state;
	db = testsupport_store_open("ocr", dir, sizeof dir);
	return db ? 0 : -1;
}

static int store_teardown(void **state)
{
	(void)state;
	return testsupport_store_remove(db, dir);
}

static const char *SHA_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char *SHA_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static void test_queue(void **state)
{
	(void)state;
	enqueue("d0000000000000000000000000000001", SHA_A);
	enqueue("d0000000000000000000000000000002", SHA_B);
	ocr_job job;
	bool got = false;
	assert_int_equal(ocr_claim(db, "w1", &job, &got, NULL), MC_OK);
	assert_true(got);
	assert_string_equal(job.document_id, "d0000000000000000000000000000001");
	assert_string_equal(job.media_type, "image/png");
	assert_int_equal(job.attempts, 1);
	ocr_job job2;
	assert_int_equal(ocr_claim(db, "w1", &job2, &got, NULL), MC_OK);
	assert_true(got);
	assert_string_equal(job2.document_id, "d0000000000000000000000000000002");
	/* both held: nothing to claim */
	assert_int_equal(ocr_claim(db, "w1", &job2, &got, NULL), MC_OK);
	assert_false(got);
	json_t *j = job_of("d0000000000000000000000000000001");
	assert_string_equal(json_string_value(json_object_get(j, "state")), "running");
	json_decref(j);

	assert_int_equal(
	    ocr_complete(db, job.document_id, "GIẤY KHAI SINH\nHọ và tên: Nguyễn Văn An", 1, NULL),
	    MC_OK);
	j = job_of(job.document_id);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "done");
	assert_int_equal(json_integer_value(json_object_get(j, "pages")), 1);
	assert_non_null(strstr(json_string_value(json_object_get(j, "text")), "Nguyễn Văn An"));
	json_decref(j);
	json_t *keys = json_array();
	assert_int_equal(store_read(db, search_fn, keys, NULL), MC_OK);
	assert_int_equal(json_array_size(keys), 1);
	assert_string_equal(json_string_value(json_array_get(keys, 0)), job.document_id);
	json_decref(keys);

	/* the same content uploaded again is done at once with the same text */
	enqueue("d0000000000000000000000000000003", SHA_A);
	j = job_of("d0000000000000000000000000000003");
	assert_string_equal(json_string_value(json_object_get(j, "state")), "done");
	assert_non_null(strstr(json_string_value(json_object_get(j, "text")), "KHAI SINH"));
	json_decref(j);

	/* an expired lease is claimed again; after OCR_MAX_ATTEMPTS it fails */
	for (int i = 2; i <= OCR_MAX_ATTEMPTS; i++) {
		sql("UPDATE ocr_job SET lease_until = '2000-01-01T00:00:00Z' WHERE document_id = "
		    "?1",
		    "d0000000000000000000000000000002", NULL);
		assert_int_equal(ocr_claim(db, "w1", &job2, &got, NULL), MC_OK);
		assert_true(got);
		assert_int_equal(job2.attempts, i);
	}
	sql("UPDATE ocr_job SET lease_until = '2000-01-01T00:00:00Z' WHERE document_id = ?1",
	    "d0000000000000000000000000000002", NULL);
	assert_int_equal(ocr_claim(db, "w1", &job2, &got, NULL), MC_OK);
	assert_false(got);
	j = job_of("d0000000000000000000000000000002");
	assert_string_equal(json_string_value(json_object_get(j, "state")), "failed");
	json_decref(j);

	/* a restarted worker takes back its own running jobs, not others' */
	enqueue("d0000000000000000000000000000005",
	        "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
	assert_int_equal(ocr_claim(db, "w2", &job, &got, NULL), MC_OK);
	assert_true(got);
	int n = -1;
	assert_int_equal(ocr_requeue_own(db, "w1", &n, NULL), MC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(ocr_requeue_own(db, "w2", &n, NULL), MC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ocr_claim(db, "w1", &job, &got, NULL), MC_OK);
	assert_true(got);
	assert_string_equal(job.document_id, "d0000000000000000000000000000005");
	assert_int_equal(job.attempts, 2);
	assert_int_equal(ocr_complete(db, job.document_id, "x", 1, NULL), MC_OK);

	enqueue("d0000000000000000000000000000004", SHA_B);
	assert_int_equal(ocr_claim(db, "w1", &job, &got, NULL), MC_OK);
	assert_true(got);
	assert_int_equal(ocr_fail(db, job.document_id, "cannot decode", NULL), MC_OK);
	j = job_of(job.document_id);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "failed");
	assert_string_equal(json_string_value(json_object_get(j, "error")), "cannot decode");
	json_decref(j);
	get_ctx none = {"nope", NULL};
	assert_int_equal(store_read(db, get_fn, &none, NULL), MC_ERR_NOT_FOUND);
}

/* A PNG whose header announces w x h pixels (no pixel data needed). */
static unsigned char *png_header(uint32_t w, uint32_t h, size_t *n)
{
	static unsigned char b[33];
	memcpy(b, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
	unsigned char *p = b + 16;
	p[0] = (unsigned char)(w >> 24), p[1] = (unsigned char)(w >> 16);
	p[2] = (unsigned char)(w >> 8), p[3] = (unsigned char)w;
	p[4] = (unsigned char)(h >> 24), p[5] = (unsigned char)(h >> 16);
	p[6] = (unsigned char)(h >> 8), p[7] = (unsigned char)h;
	p[8] = 8, p[9] = 0, p[10] = 0, p[11] = 0, p[12] = 0;
	uLong crc = crc32(crc32(0L, Z_NULL, 0), b + 12, 17);
	b[29] = (unsigned char)(crc >> 24), b[30] = (unsigned char)(crc >> 16);
	b[31] = (unsigned char)(crc >> 8), b[32] = (unsigned char)crc;
	*n = sizeof b;
	return b;
}

static void test_engine_refuses(void **state)
{
	(void)state;
	char *text = NULL;
	int pages = 0;
	mc_diag d = {0};
	size_t n;
	const unsigned char *big = png_header(50000, 50000, &n);
	mc_err e = ocr_extract("image/png", big, n, "vie", &text, &pages, &d);
	if (e == MC_ERR_UNAVAILABLE) {
		/* no Vietnamese language data on this machine */
		mc_diag_clear(&d);
		skip();
	}
	assert_int_equal(e, MC_ERR_UNPROCESSABLE);
	if (!strstr(d.detail, "too large"))
		fail_msg("detail: %s", d.detail);
	mc_diag_clear(&d);
	/* a TIFF page announcing 60000 x 60000 pixels is refused before decoding */
	unsigned char tif[8 + 2 + 9 * 12 + 4 + 4] = {'I', 'I', 42, 0, 8, 0, 0, 0, 9, 0};
	static const uint16_t tags[9][3] = {{256, 4, 60000}, {257, 4, 60000}, {258, 3, 8},
	                                    {259, 3, 1},     {262, 3, 1},     {273, 4, 126},
	                                    {277, 3, 1},     {278, 4, 60000}, {279, 4, 4}};
	for (int i = 0; i < 9; i++) {
		unsigned char *t = tif + 10 + 12 * i;
		t[0] = (unsigned char)tags[i][0], t[1] = (unsigned char)(tags[i][0] >> 8);
		t[2] = (unsigned char)tags[i][1], t[4] = 1;
		t[8] = (unsigned char)tags[i][2], t[9] = (unsigned char)(tags[i][2] >> 8);
	}
	e = ocr_extract("image/tiff", tif, sizeof tif, "vie", &text, &pages, &d);
	assert_int_equal(e, MC_ERR_UNPROCESSABLE);
	if (!strstr(d.detail, "too large"))
		fail_msg("detail: %s", d.detail);
	mc_diag_clear(&d);
	const char junk[] = "\x89PNG\r\n\x1a\nnot really a png";
	assert_int_equal(ocr_extract("image/png", junk, sizeof junk - 1, "vie", &text, &pages, &d),
	                 MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	assert_int_equal(ocr_extract("text/plain", junk, 3, "vie", &text, &pages, &d),
	                 MC_ERR_MEDIA_TYPE);
	mc_diag_clear(&d);
	assert_null(text);
	ocr_engine_release();
}

int main(void)
{
	mc_mem_init();
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(test_accuracy),
	    cmocka_unit_test(test_engine_refuses),
	};
	const struct CMUnitTest stored[] = {
	    cmocka_unit_test(test_queue),
	};
	int rc = cmocka_run_group_tests_name("ocr", pure, NULL, NULL);
	rc |= cmocka_run_group_tests_name("ocr_store", stored, store_setup, store_teardown);
	return rc;
}
