/* ids_test.c - personal identification numbers and enterprise codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/ids.h"
#include <stdio.h>
#include <string.h>

static void test_person_valid(void **state)
{
	(void)state;
	id_person p;
	/* Hà Nội, male, born 1990 */
	assert_int_equal(id_person_parse("001090012345", &p, NULL), MC_OK);
	assert_int_equal(p.province, 1);
	assert_false(p.female);
	assert_int_equal(p.birth_year, 1990);
	/* TP Hồ Chí Minh, female, born 1990 */
	assert_int_equal(id_person_parse("079190012346", &p, NULL), MC_OK);
	assert_int_equal(p.province, 79);
	assert_true(p.female);
	assert_int_equal(p.birth_year, 1990);
	/* Cà Mau, female, born 2007 */
	assert_int_equal(id_person_parse("096307000001", &p, NULL), MC_OK);
	assert_true(p.female);
	assert_int_equal(p.birth_year, 2007);
	/* male born 2100 */
	assert_int_equal(id_person_parse("048400999999", &p, NULL), MC_OK);
	assert_int_equal(p.birth_year, 2100);
	assert_true(id_person_matches("001090012345", 1990, false));
	assert_false(id_person_matches("001090012345", 1990, true));
	assert_false(id_person_matches("001090012345", 2090, false));
}

static void test_person_invalid(void **state)
{
	(void)state;
	mc_diag d = {0};
	const char *bad[] = {
	    "",              /* empty */
	    "00109001234",   /* 11 digits */
	    "0010900123456", /* 13 digits */
	    "00109001234a",  /* letter */
	    "000090012345",  /* province 000 */
	    "003090012345",  /* 003 is not a province code */
	    "097090012345",  /* beyond 096 */
	    "099090012345",
	    " 01090012345", /* space */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(id_person_parse(bad[i], NULL, &d), MC_ERR_UNPROCESSABLE);
		assert_true(d.detail[0] && d.detail_vi[0]);
	}
	assert_int_equal(id_person_parse(NULL, NULL, NULL), MC_ERR_UNPROCESSABLE);
	/* every one of the 63 old province codes, and nothing else, is accepted */
	int accepted = 0;
	for (int prov = 0; prov < 1000; prov++) {
		char id[16];
		snprintf(id, sizeof id, "%03d090012345", prov);
		accepted += id_person_parse(id, NULL, NULL) == MC_OK;
	}
	assert_int_equal(accepted, 63);
}

static void test_enterprise_check_digit(void **state)
{
	(void)state;
	/* published enterprise codes */
	assert_int_equal(id_enterprise_parse("0100109106", NULL, NULL), MC_OK);
	assert_int_equal(id_enterprise_parse("0300588569", NULL, NULL), MC_OK);
	/* the check digit computed by hand for the first: weights 31 29 23 19
	 * 17 13 7 5 3 over 0 1 0 0 1 0 9 1 0 = 114; 114 mod 11 = 4; 10 - 4 = 6 */
	assert_int_equal(id_enterprise_check_digit("010010910"), 6);
	/* any other last digit is rejected */
	for (char c = '0'; c <= '9'; c++) {
		char code[11] = "010010910X";
		code[9] = c;
		assert_int_equal(id_enterprise_parse(code, NULL, NULL) == MC_OK, c == '6');
	}
	/* prefixes whose weighted sum is a multiple of 11 have no check digit:
	 * no code starting with them is valid */
	int none = 0;
	for (int n = 0; n < 1000; n++) {
		char d9[10];
		snprintf(d9, sizeof d9, "000000%03d", n);
		int c = id_enterprise_check_digit(d9);
		if (c < 0) {
			none++;
			char code[11];
			snprintf(code, sizeof code, "%s0", d9);
			assert_int_not_equal(id_enterprise_parse(code, NULL, NULL), MC_OK);
		}
	}
	assert_true(none > 0);
}

static void test_enterprise_branches(void **state)
{
	(void)state;
	bool branch = false;
	assert_int_equal(id_enterprise_parse("0100109106-001", &branch, NULL), MC_OK);
	assert_true(branch);
	assert_int_equal(id_enterprise_parse("0100109106999", &branch, NULL), MC_OK);
	assert_true(branch);
	assert_int_equal(id_enterprise_parse("0100109106", &branch, NULL), MC_OK);
	assert_false(branch);
	mc_diag d = {0};
	assert_int_equal(id_enterprise_parse("0100109106-000", NULL, &d), MC_ERR_UNPROCESSABLE);
	assert_int_equal(id_enterprise_parse("0100109106-01", NULL, &d), MC_ERR_UNPROCESSABLE);
	assert_int_equal(id_enterprise_parse("0100109107-001", NULL, &d), MC_ERR_UNPROCESSABLE);
	assert_int_equal(id_enterprise_parse("010010910", NULL, &d), MC_ERR_UNPROCESSABLE);
	assert_int_equal(id_enterprise_parse("01001091O6", NULL, &d), MC_ERR_UNPROCESSABLE);
	assert_int_equal(id_enterprise_parse(NULL, NULL, &d), MC_ERR_UNPROCESSABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_person_valid),
	    cmocka_unit_test(test_person_invalid),
	    cmocka_unit_test(test_enterprise_check_digit),
	    cmocka_unit_test(test_enterprise_branches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
