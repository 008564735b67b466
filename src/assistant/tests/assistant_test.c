/* assistant_test.c - unit tests of how the assistant reads a question
 * (assistant_plan_make): English and Vietnamese with or without
 * diacritics map to the catalog's words, stop words are dropped, the usual
 * procedure's name is tried first only when the question names one
 * service and nothing else, and keyword queries stay ordinary searches. */
#include "assistant/assistant.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Reads q and checks the searches tried, best first (NULL-ended). */
static void expect(const char *q, bool plain, const char *const *searches)
{
	assistant_plan p;
	assistant_plan_make(q, &p);
	int n = 0;
	while (searches[n])
		n++;
	if (p.plain != plain || p.nsearch != n) {
		for (int i = 0; i < p.nsearch; i++)
			print_message("  search %d: %s\n", i, p.search[i]);
		fail_msg("%s: plain %d (want %d), %d searches (want %d)", q, p.plain, plain,
		         p.nsearch, n);
	}
	for (int i = 0; i < n; i++)
		if (strcmp(p.search[i], searches[i]))
			fail_msg("%s: search %d is \"%s\", want \"%s\"", q, i, p.search[i],
			         searches[i]);
	assistant_plan_free(&p);
}

static const char *first_concept(const char *q)
{
	static char id[64];
	assistant_plan p;
	assistant_plan_make(q, &p);
	json_t *u = json_array_get(p.understood, 0);
	snprintf(id, sizeof id, "%s", u ? json_string_value(json_object_get(u, "id")) : "");
	assistant_plan_free(&p);
	return id;
}

static void test_english_questions(void **state)
{
	(void)state;
	expect("How do I get a passport?", false,
	       (const char *const[]){"cap ho chieu pho thong", "ho chieu", NULL});
	/* "register a birth" is one phrase of the concept */
	expect("How do I register a birth?", false,
	       (const char *const[]){"dang ky khai sinh", "khai sinh", NULL});
	expect("I lost my passport", false,
	       (const char *const[]){"ho chieu mat", "ho chieu", NULL});
	assert_string_equal(first_concept("my father passed away"), "death");
	assert_string_equal(first_concept("start a company"), "business");
	assert_string_equal(first_concept("renew my driver's license"), "driving-licence");
}

static void test_vietnamese_with_and_without_diacritics(void **state)
{
	(void)state;
	const char *const marriage[] = {"dang ky ket hon", "ket hon dang ky", "ket hon", NULL};
	expect("Làm thế nào để đăng ký kết hôn?", false, marriage);
	expect("lam the nao de dang ky ket hon", false, marriage);
	expect("tôi muốn làm hộ chiếu", false,
	       (const char *const[]){"cap ho chieu pho thong", "ho chieu", NULL});
	assert_string_equal(first_concept("nhập hộ khẩu cho con"), "permanent-residence");
	assert_string_equal(first_concept("SỔ ĐỎ"), "land");
}

static void test_name_first_only_for_one_plain_service(void **state)
{
	(void)state;
	/* a generic word the name does not say: no name first */
	expect("marry a foreigner", false,
	       (const char *const[]){"ket hon nuoc ngoai", "ket hon", NULL});
	/* another word kept: no name first, the concept alone last */
	expect("khai sinh quá hạn", false,
	       (const char *const[]){"khai sinh qua han", "khai sinh", NULL});
	/* two services: each alone after both */
	expect(
	    "birth and health insurance", false,
	    (const char *const[]){"khai sinh bao hiem y te", "khai sinh", "bao hiem y te", NULL});
}

static void test_keywords_stay_a_plain_search(void **state)
{
	(void)state;
	expect("giấy phép môi trường", true, (const char *const[]){"giay phep moi truong", NULL});
	/* stop words dropped: no longer plain */
	expect("xin hỏi giấy phép môi trường", false,
	       (const char *const[]){"giay phep moi truong", NULL});
	/* nothing left */
	expect("how do I", false, (const char *const[]){NULL});
	expect("", false, (const char *const[]){NULL});
	expect(NULL, false, (const char *const[]){NULL});
	expect("?!", false, (const char *const[]){NULL});
}

static void test_long_question_is_bounded(void **state)
{
	(void)state;
	char q[4000] = "";
	for (int i = 0; i < 300; i++)
		strcat(q, "ho ");
	assistant_plan p;
	assistant_plan_make(q, &p);
	assert_true(p.nsearch <= ASSISTANT_MAX_SEARCHES);
	assistant_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_english_questions),
	    cmocka_unit_test(test_vietnamese_with_and_without_diacritics),
	    cmocka_unit_test(test_name_first_only_for_one_plain_service),
	    cmocka_unit_test(test_keywords_stay_a_plain_search),
	    cmocka_unit_test(test_long_question_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
