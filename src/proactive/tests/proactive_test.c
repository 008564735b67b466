/* proactive_test.c - the store-free rules of proactive services: the rules
 * and essential services shipped as data (every rule complete, codes
 * unique), eligibility (a child under 6, a newborn, a missing death record,
 * a spouse living elsewhere, unknown conditions never pass), ages and
 * expiry (capped at the sixth birthday, 29 February), the receiving agency
 * by level, placeholders, filling and merging eForms, effective status. */
#include "proactive/proactive_rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static json_t *rule_by_id(const char *id)
{
	size_t i;
	json_t *r;
	json_array_foreach(proactive_rules(), i, r)
	{
		if (!strcmp(json_string_value(json_object_get(r, "id")), id))
			return r;
	}
	return NULL;
}

static void test_data_files(void **state)
{
	(void)state;
	json_t *rules = proactive_rules();
	assert_true(json_array_size(rules) >= 6);
	/* the anchors of DESIGN §4: birth -> permanent residence, death ->
	 * removal of permanent residence and survivor benefits */
	assert_string_equal(
	    json_string_value(json_object_get(rule_by_id("birth-residence"), "procedure")),
	    "1.004222");
	assert_string_equal(
	    json_string_value(json_object_get(rule_by_id("death-residence-removal"), "procedure")),
	    "1.003197");
	assert_non_null(rule_by_id("death-survivor-benefits"));
	size_t i;
	json_t *r;
	json_array_foreach(rules, i, r)
	{
		assert_true(json_is_string(json_object_get(json_object_get(r, "reason"), "en")));
		assert_true(json_integer_value(json_object_get(r, "valid_days")) > 0);
	}
	assert_int_equal(json_array_size(proactive_essential_services()), 25);
	json_t *codes = proactive_essential_codes();
	assert_true(json_array_size(codes) > 20);
	for (size_t a = 0; a < json_array_size(codes); a++)
		for (size_t b = a + 1; b < json_array_size(codes); b++)
			assert_false(
			    json_equal(json_array_get(codes, a), json_array_get(codes, b)));
}

static void test_eligibility(void **state)
{
	(void)state;
	const char *why = NULL;
	json_t *hi = rule_by_id("birth-health-insurance");
	pr_facts f = {.event_date = "2026-11-20", .subject_dob = "2026-11-20"};
	assert_true(proactive_rule_applies(hi, &f, &why));
	f.subject_dob = "2020-11-21"; /* 5 years 364 days: still under 6 */
	assert_true(proactive_rule_applies(hi, &f, NULL));
	f.subject_dob = "2020-11-20"; /* sixth birthday: no longer under 6 */
	assert_false(proactive_rule_applies(hi, &f, &why));
	assert_string_equal(why, "subject_max_age_years");
	f.subject_dob = NULL; /* unknown age: not eligible */
	assert_false(proactive_rule_applies(hi, &f, NULL));

	json_t *res = rule_by_id("birth-residence");
	f.subject_dob = "2026-10-01";
	assert_true(proactive_rule_applies(res, &f, NULL));
	f.subject_dob = "1990-05-01"; /* an adult entered late is not a newborn */
	assert_false(proactive_rule_applies(res, &f, &why));
	assert_string_equal(why, "subject_max_age_days");

	json_t *reg = rule_by_id("death-registration");
	pr_facts g = {.event_date = "2026-11-01", .subject_has_death_record = false};
	assert_true(proactive_rule_applies(reg, &g, NULL));
	g.subject_has_death_record = true;
	assert_false(proactive_rule_applies(reg, &g, &why));
	assert_string_equal(why, "no_death_record");

	json_t *mar = rule_by_id("marriage-residence");
	pr_facts m = {.recipient_residence = "00004", .spouse_residence = "26734"};
	assert_true(proactive_rule_applies(mar, &m, NULL));
	m.spouse_residence = "00004";
	assert_false(proactive_rule_applies(mar, &m, NULL));
	m.spouse_residence = NULL;
	assert_false(proactive_rule_applies(mar, &m, NULL));

	json_t *odd = json_pack("{s:{s:b}}", "conditions", "moon_is_full", 1);
	assert_false(proactive_rule_applies(odd, &m, &why));
	assert_string_equal(why, "moon_is_full");
	json_decref(odd);
	json_t *none = json_pack("{s:{}}", "conditions");
	assert_true(proactive_rule_applies(none, &m, NULL));
	json_decref(none);
}

static void test_ages_and_expiry(void **state)
{
	(void)state;
	assert_int_equal(proactive_age_years("2020-11-21", "2026-11-20"), 5);
	assert_int_equal(proactive_age_years("2020-11-20", "2026-11-20"), 6);
	assert_int_equal(proactive_age_years("2026-01-02", "2026-01-01"), -1);
	assert_int_equal(proactive_age_years("bad", "2026-01-01"), -1);
	assert_int_equal(proactive_days_between("2026-01-01", "2026-03-01"), 59);
	assert_int_equal(proactive_days_between("2026-03-01", "2026-01-01"), -1);
	char out[11];
	assert_true(proactive_expiry("2026-11-27", 60, NULL, 0, out));
	assert_string_equal(out, "2027-01-26");
	/* capped at the day before the sixth birthday */
	assert_true(proactive_expiry("2026-11-27", 90, "2020-12-01", 6, out));
	assert_string_equal(out, "2026-11-30");
	assert_true(proactive_expiry("2026-01-15", 60, "2020-02-29", 6, out));
	assert_string_equal(out, "2026-02-28"); /* 29 February -> 1 March in 2026 */
	assert_true(proactive_expiry("2023-01-01", 30, "2020-02-29", 3, out));
	assert_string_equal(out, "2023-01-31");
	assert_true(proactive_expiry("2024-02-01", 60, "2020-02-29", 4, out));
	assert_string_equal(out, "2024-02-28");
	assert_false(proactive_expiry("27/11/2026", 60, NULL, 0, out));

	assert_string_equal(proactive_effective_status("open", "2026-11-27", "2026-11-27"), "open");
	assert_string_equal(proactive_effective_status("open", "2026-11-26", "2026-11-27"),
	                    "expired");
	assert_string_equal(proactive_effective_status("accepted", "2026-11-26", "2026-11-27"),
	                    "accepted");
}

static void test_agency(void **state)
{
	(void)state;
	char out[24];
	json_t *commune = json_pack("[s]", "commune");
	json_t *both = json_pack("[s, s]", "province", "commune");
	json_t *province = json_pack("[s]", "province");
	json_t *ministry = json_pack("[s]", "ministry");
	assert_string_equal(proactive_agency_for(commune, "00004", "01", out), "UBND-00004");
	assert_string_equal(proactive_agency_for(both, "00004", "01", out), "UBND-00004");
	assert_string_equal(proactive_agency_for(province, "00004", "01", out), "UBND-01");
	assert_null(proactive_agency_for(ministry, "00004", "01", out));
	assert_null(proactive_agency_for(commune, NULL, "01", out));
	assert_null(proactive_agency_for(commune, "4", "01", out));
	json_decref(commune);
	json_decref(both);
	json_decref(province);
	json_decref(ministry);
}

static void test_templates_and_forms(void **state)
{
	(void)state;
	json_t *vars = json_pack("{s:s, s:s}", "subject_name", "Nguyễn Ngọc Lan",
	                         "subject_residence", "00004");
	char *s = proactive_expand("Con: {subject_name}, {unknown}{", vars);
	assert_string_equal(s, "Con: Nguyễn Ngọc Lan, {");
	free(s);
	json_t *schema = json_pack("{s:{s:{s:{s:{s:s}, s:{s:s}}}, s:{s:s}}}", "properties",
	                           "residence", "properties", "commune_code", "type", "string",
	                           "detail", "type", "string", "note", "type", "string");
	json_t *form = json_pack("{s:{s:s}}", "applicant", "person_id", "001090012345");
	json_t *fill =
	    json_pack("{s:s, s:s, s:s, s:s}", "residence.commune_code", "{subject_residence}",
	              "note", "Cho {subject_name}", "deceased.name", "{subject_name}",
	              "residence.detail", "{missing}");
	proactive_fill(form, schema, fill, vars);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(form, "residence"), "commune_code")),
	    "00004");
	assert_string_equal(json_string_value(json_object_get(form, "note")),
	                    "Cho Nguyễn Ngọc Lan");
	assert_null(json_object_get(form, "deceased")); /* not in schema */
	assert_null(json_object_get(json_object_get(form, "residence"), "detail")); /* empty */
	assert_non_null(json_object_get(form, "applicant"));                        /* kept */

	json_t *extra =
	    json_pack("{s:{s:s}, s:s}", "residence", "detail", "12 Đội Cấn", "note", "khác");
	proactive_merge(form, extra, 4);
	json_t *r = json_object_get(form, "residence");
	assert_string_equal(json_string_value(json_object_get(r, "commune_code")), "00004");
	assert_string_equal(json_string_value(json_object_get(r, "detail")), "12 Đội Cấn");
	assert_string_equal(json_string_value(json_object_get(form, "note")),
	                    "Cho Nguyễn Ngọc Lan"); /* registry values are kept */
	json_t *deep = json_pack("{s:{s:{s:{s:s}}}}", "a", "b", "c", "d", "x");
	proactive_merge(form, deep, 1); /* objects below the last level: ignored */
	assert_null(json_object_get(form, "a"));
	proactive_merge(form, deep, 2); /* a new object is added whole */
	assert_non_null(json_object_get(json_object_get(form, "a"), "b"));
	json_decref(deep);
	assert_string_equal(proactive_relationship_vi("children"), "Con");
	assert_string_equal(proactive_relationship_vi("spouse"), "Vợ/chồng");
	assert_string_equal(proactive_relationship_vi("subject"), "");
	json_decref(extra);
	json_decref(fill);
	json_decref(form);
	json_decref(schema);
	json_decref(vars);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_data_files),          cmocka_unit_test(test_eligibility),
	    cmocka_unit_test(test_ages_and_expiry),     cmocka_unit_test(test_agency),
	    cmocka_unit_test(test_templates_and_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
