/* portal_test.c - unit tests of the portal's pure parts: the escaping
 * writer (html.h), form bodies (urlencoded and multipart), cookies and the
 * session-bound CSRF token. */
#include "portal/html.h"
#include "portal/portal_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

static void test_text_escapes_markup(void **state)
{
	(void)state;
	mc_buf b = {0};
	html_text(&b, "<script>alert('x')</script> & \"q\"");
	assert_string_equal(mc_buf_cstr(&b),
	                    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	mc_buf_free(&b);
	mc_buf e = {0};
	html_text(&e, NULL);
	html_text(&e, "Đăng ký khai sinh");
	assert_string_equal(mc_buf_cstr(&e), "Đăng ký khai sinh");
	mc_buf_free(&e);
}

static void test_url_encodes_everything_but_unreserved(void **state)
{
	(void)state;
	mc_buf b = {0};
	html_url(&b, "a b/c?d=e&f\"<đ>~._-");
	assert_string_equal(mc_buf_cstr(&b), "a%20b%2Fc%3Fd%3De%26f%22%3C%C4%91%3E~._-");
	mc_buf_free(&b);
}

static void test_fmt_escapes_arguments_only(void **state)
{
	(void)state;
	mc_buf b = {0};
	html_fmt(&b, "<a href=\"/thu-tuc/%U\" title=\"%s\">%s</a>%R %d %D 100%%", "1.0/x", "\"><b>",
	         "<i>", "<hr>", 42, (int64_t)1234567890123LL);
	assert_string_equal(mc_buf_cstr(&b),
	                    "<a href=\"/thu-tuc/1.0%2Fx\" title=\"&quot;&gt;&lt;b&gt;\">"
	                    "&lt;i&gt;</a><hr> 42 1234567890123 100%");
	mc_buf_free(&b);
}

static void test_form_decode(void **state)
{
	(void)state;
	char a[] = "%C4%90%C4%83ng+k%C3%BD";
	assert_true(html_form_decode(a));
	assert_string_equal(a, "Đăng ký");
	char bad1[] = "50%";
	assert_false(html_form_decode(bad1));
	char bad2[] = "a%zz";
	assert_false(html_form_decode(bad2));
	char nul[] = "a%00b";
	assert_false(html_form_decode(nul));
}

static void test_urlencoded(void **state)
{
	(void)state;
	mc_arena *a = mc_arena_new();
	pt_form *f = calloc(1, sizeof *f);
	const char *body = "username=citizen&password=p%26ss+w&empty=&flag&csrf=ab";
	assert_true(pt_parse_urlencoded(a, body, strlen(body), f));
	assert_int_equal(f->n, 5);
	assert_string_equal(f->name[1], "password");
	assert_string_equal(f->value[1], "p&ss w");
	assert_string_equal(f->value[2], "");
	assert_string_equal(f->name[3], "flag");
	assert_string_equal(f->value[3], "");
	/* invalid UTF-8 and encoded NULs are refused */
	assert_false(pt_parse_urlencoded(a, "x=%FF%FE", 8, f));
	assert_false(pt_parse_urlencoded(a, "x=%00", 5, f));
	/* too many fields */
	mc_buf many = {0};
	for (int i = 0; i <= PT_FORM_MAX_FIELDS; i++)
		mc_buf_puts(&many, "a=1&");
	assert_false(pt_parse_urlencoded(a, many.data, many.len, f));
	mc_buf_free(&many);
	free(f);
	mc_arena_free(a);
}

static void test_multipart(void **state)
{
	(void)state;
	mc_arena *a = mc_arena_new();
	pt_form *f = calloc(1, sizeof *f);
	const char *ct = "multipart/form-data; boundary=----xyz";
	const char body[] =
	    "------xyz\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	    "0123\r\n"
	    "------xyz\r\n"
	    "Content-Disposition: form-data; name=\"file_c1\"; filename=\"a.pdf\"\r\n"
	    "Content-Type: application/pdf\r\n\r\n"
	    "%PDF-1.4\r\nbinary\r\n"
	    "------xyz\r\n"
	    "Content-Disposition: form-data; name=\"file_c2\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n"
	    "\r\n"
	    "------xyz--\r\n";
	assert_true(pt_parse_multipart(a, ct, body, sizeof body - 1, f));
	assert_int_equal(f->n, 1);
	assert_string_equal(f->name[0], "csrf");
	assert_string_equal(f->value[0], "0123");
	assert_int_equal(f->nfiles, 1); /* the empty file input is dropped */
	assert_string_equal(f->files[0].field, "file_c1");
	assert_string_equal(f->files[0].filename, "a.pdf");
	assert_string_equal(f->files[0].type, "application/pdf");
	assert_int_equal(f->files[0].len, strlen("%PDF-1.4\r\nbinary"));
	assert_memory_equal(f->files[0].data, "%PDF-1.4\r\nbinary", f->files[0].len);
	/* no closing delimiter, wrong boundary, no boundary */
	assert_false(pt_parse_multipart(a, ct, body, 60, f));
	assert_false(
	    pt_parse_multipart(a, "multipart/form-data; boundary=other", body, sizeof body - 1, f));
	assert_false(pt_parse_multipart(a, "multipart/form-data", body, sizeof body - 1, f));
	free(f);
	mc_arena_free(a);
}

static void test_cookie(void **state)
{
	(void)state;
	mc_arena *a = mc_arena_new();
	const char *h = "mc_lang=en; mc_session=abc=def; x=1";
	assert_string_equal(pt_cookie(a, h, "mc_lang"), "en");
	assert_string_equal(pt_cookie(a, h, "mc_session"), "abc=def");
	assert_string_equal(pt_cookie(a, h, "x"), "1");
	assert_null(pt_cookie(a, h, "mc"));
	assert_null(pt_cookie(a, NULL, "mc_lang"));
	mc_arena_free(a);
}

static void test_csrf_bound_to_session(void **state)
{
	(void)state;
	char t1[PT_CSRF_LEN + 1], t2[PT_CSRF_LEN + 1], t3[PT_CSRF_LEN + 1];
	pt_csrf_of("token-one", t1);
	pt_csrf_of("token-one", t2);
	pt_csrf_of("token-two", t3);
	assert_int_equal(strlen(t1), PT_CSRF_LEN);
	assert_string_equal(t1, t2);
	assert_string_not_equal(t1, t3);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_escapes_markup),
	    cmocka_unit_test(test_url_encodes_everything_but_unreserved),
	    cmocka_unit_test(test_fmt_escapes_arguments_only),
	    cmocka_unit_test(test_form_decode),
	    cmocka_unit_test(test_urlencoded),
	    cmocka_unit_test(test_multipart),
	    cmocka_unit_test(test_cookie),
	    cmocka_unit_test(test_csrf_bound_to_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
