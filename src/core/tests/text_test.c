/* text_test.c - unit tests of the Vietnamese-aware text helpers (text.h):
 * diacritic folding of precomposed and decomposed input, UTF-8 checks,
 * trimming. */
#include "core/text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void expect_fold(const char *in, const char *want)
{
	char *got = text_fold(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_fold_birth_registration(void **state)
{
	(void)state;
	expect_fold("Đăng ký khai sinh", "dang ky khai sinh");
	expect_fold("DANG KY KHAI SINH", "dang ky khai sinh");
	expect_fold("đăng ký khai sinh", "dang ky khai sinh");
	expect_fold("ĐĂNG KÝ KHAI SINH", "dang ky khai sinh");
	expect_fold("Đăng ký KHAI SINH!", "dang ky khai sinh");
}

static void test_fold_decomposed(void **state)
{
	(void)state;
	/* "Đăng ký khai sinh" in NFD: a + U+0306 (breve), y + U+0301 (acute). */
	expect_fold("\xc4\x90"
	            "a\xcc\x86"
	            "ng ky\xcc\x81 khai sinh",
	            "dang ky khai sinh");
	/* "Người" as n g u + U+031B (horn) + o + U+031B + U+0300 (grave) + i */
	expect_fold("Ngu\xcc\x9bo\xcc\x9b\xcc\x80i", "nguoi");
	/* A combining mark alone does not make a word. */
	expect_fold("\xcc\x81", "");
}

/* Every Vietnamese vowel with each of the five tones, both cases, folds to
 * its base letter. The lists are in the Vietnamese alphabet order, written
 * out as text so that the test does not reuse the implementation's table. */
static void test_fold_all_vietnamese_letters(void **state)
{
	(void)state;
	static const struct {
		const char *letters;
		char base;
	} groups[] = {
	    {"aàáảãạăằắẳẵặâầấẩẫậAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'a'},
	    {"eèéẻẽẹêềếểễệEÈÉẺẼẸÊỀẾỂỄỆ", 'e'},
	    {"iìíỉĩịIÌÍỈĨỊ", 'i'},
	    {"oòóỏõọôồốổỗộơờớởỡợOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'o'},
	    {"uùúủũụưừứửữựUÙÚỦŨỤƯỪỨỬỮỰ", 'u'},
	    {"yỳýỷỹỵYỲÝỶỸỴ", 'y'},
	    {"đĐdD", 'd'},
	};
	size_t total = 0;
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		char *folded = text_fold(groups[g].letters);
		size_t n = strlen(folded);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(folded[i], groups[g].base);
		/* One output letter per input code point. */
		assert_int_equal(n, text_utf8_len(groups[g].letters));
		total += n;
		free(folded);
	}
	/* 12 vowels x 6 forms x 2 cases + d, đ, D, Đ */
	assert_int_equal(total, 12 * 6 * 2 + 4);
}

static void test_fold_punctuation(void **state)
{
	(void)state;
	expect_fold("  Cấp   lại, đổi thẻ -- Căn cước (CCCD)...  ",
	            "cap lai doi the can cuoc cccd");
	expect_fold("1.001193", "1 001193");
	expect_fold("a\tb\nc", "a b c");
	/* Typographic punctuation and no-break space separate words too. */
	expect_fold("\xe2\x80\x9cHộ t\xe1\xbb\x8b"
	            "ch\xe2\x80\x9d\xc2\xa0\xe2\x80\x93 x",
	            "ho tich x");
	expect_fold("!!!", "");
	expect_fold("Ⓐ", "");
	/* Other scripts are kept as they are. */
	expect_fold("Ωmega 中文", "Ωmega 中文");
	/* Invalid UTF-8 bytes act as separators, output stays valid. */
	char *f = text_fold("ab\xff\xfe"
	                    "cd\xc3");
	assert_string_equal(f, "ab cd");
	assert_true(text_utf8_valid(f, strlen(f)));
	free(f);
}

static void test_fold_empty(void **state)
{
	(void)state;
	expect_fold("", "");
	expect_fold("   ", "");
	expect_fold(NULL, "");
}

static void test_utf8_valid(void **state)
{
	(void)state;
	const char *ok = "Đăng ký";
	assert_true(text_utf8_valid(ok, strlen(ok)));
	assert_true(text_utf8_valid("", 0));
	assert_true(text_utf8_valid("\xf0\x9f\x98\x80", 4));  /* U+1F600 */
	assert_false(text_utf8_valid("a\0b", 3));             /* NUL */
	assert_false(text_utf8_valid("\xc3", 1));             /* truncated */
	assert_false(text_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	assert_false(text_utf8_valid("\xe0\x80\xaf", 3));     /* overlong */
	assert_false(text_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(text_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(text_utf8_valid("\x80", 1));             /* lone continuation */
	/* Only the first len bytes are checked. */
	assert_true(text_utf8_valid("ab\xff", 2));
}

static void test_utf8_len(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_len(""), 0);
	assert_int_equal(text_utf8_len("abc"), 3);
	assert_int_equal(text_utf8_len("Đăng ký"), 7);
	assert_int_equal(text_utf8_len("\xf0\x9f\x98\x80x"), 2);
}

static void test_trim_dup(void **state)
{
	(void)state;
	char *s = text_trim_dup("  \t hello world \n", 100);
	assert_string_equal(s, "hello world");
	free(s);
	s = text_trim_dup("   ", 100);
	assert_string_equal(s, "");
	free(s);
	s = text_trim_dup("  abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	/* "Đă" is 4 bytes; a cap of 3 must not cut the second letter. */
	s = text_trim_dup("Đăng", 3);
	assert_string_equal(s, "Đ");
	free(s);
	s = text_trim_dup("ab  cd", 4);
	assert_string_equal(s, "ab");
	free(s);
}

static void test_starts_with(void **state)
{
	(void)state;
	assert_true(text_starts_with("/api/v1/calendar", "/api/"));
	assert_true(text_starts_with("abc", ""));
	assert_false(text_starts_with("ab", "abc"));
	assert_false(text_starts_with("xabc", "abc"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fold_birth_registration),
	    cmocka_unit_test(test_fold_decomposed),
	    cmocka_unit_test(test_fold_all_vietnamese_letters),
	    cmocka_unit_test(test_fold_punctuation),
	    cmocka_unit_test(test_fold_empty),
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_utf8_len),
	    cmocka_unit_test(test_trim_dup),
	    cmocka_unit_test(test_starts_with),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
