/* registry_rules_test.c - the store-free rules of registries: built-in
 * definitions, validation of persons (structure of the personal number
 * against date of birth and sex, dates, family members) and businesses
 * (check digit, branch codes), checks of proposed definitions, the fill
 * mask and duplicate key (folded: diacritics and case do not hide a
 * duplicate), the events derived from a change, and who sees what. */
#include "registry/registry_rules.h"

#include "core/date.h"
#include "core/ids.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const mc_principal anon = {ROLE_ANONYMOUS, 0, "", "", ""};
static const mc_principal citizen = {ROLE_CITIZEN, 10, "citizen", "", "001090012345"};
static const mc_principal citizen2 = {ROLE_CITIZEN, 11, "citizen2", "", "079190012346"};
static const mc_principal officer = {ROLE_OFFICER, 20, "officer", "UBND-00004", ""};
static const mc_principal owner = {ROLE_OFFICER, 21, "bca", "BCA", ""};
static const mc_principal admin = {ROLE_ADMIN, 1, "admin", "", ""};

static reg_def load(const char *name)
{
	json_t *j = reg_builtin(name);
	assert_non_null(j);
	reg_def d;
	assert_true(reg_def_bind(&d, j));
	json_decref(j);
	return d;
}

static mc_day today(void)
{
	return date_from_ymd(2026, 3, 2);
}

/* Validates `text` as a record of d; returns the errors (caller frees). */
static json_t *check(const reg_def *d, const char *text)
{
	json_t *data = json_loads(text, 0, NULL);
	assert_non_null(data);
	json_t *errors = json_array();
	reg_validate(d, data, today(), errors);
	json_decref(data);
	return errors;
}

/* True when errors has an entry at `path`. */
static bool has_path(json_t *errors, const char *path)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "path")), path) == 0)
			return true;
	}
	return false;
}

static void test_builtins(void **state)
{
	(void)state;
	for (int i = 0; reg_builtin_names[i]; i++) {
		reg_def d = load(reg_builtin_names[i]);
		assert_string_equal(d.id_field, "id");
		assert_true(d.builtin);
		/* the built-ins pass the checks an API definition must pass, but
		 * their names are reserved */
		json_t *errors = json_array();
		json_t *copy = json_deep_copy(d.json);
		json_object_del(copy, "builtin");
		reg_def_check(copy, errors);
		assert_int_equal(json_array_size(errors), 1);
		assert_true(has_path(errors, "$.name"));
		json_decref(errors);
		json_decref(copy);
		reg_def_release(&d);
	}
	assert_null(reg_builtin("vehicles"));
	reg_def p = load("persons");
	assert_int_equal(p.nfields, 9);
	assert_string_equal(p.fields[0], "date_of_birth"); /* sorted */
	reg_def_release(&p);
}

static void test_persons_validation(void **state)
{
	(void)state;
	reg_def d = load("persons");
	json_t *e = check(&d, "{\"id\":\"001090012345\",\"full_name\":\"Nguyễn Văn An\","
	                      "\"date_of_birth\":\"1990-05-01\",\"sex\":\"male\","
	                      "\"residence\":\"00004\"}");
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	/* 2000s female: century/sex digit 3 */
	e = check(&d,
	          "{\"id\":\"079305000001\",\"full_name\":\"Trần Thị Lan\","
	          "\"date_of_birth\":\"2005-02-03\",\"sex\":\"female\",\"residence\":\"00004\"}");
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	/* wrong sex for digit 0, wrong year for digits 90 */
	e = check(&d,
	          "{\"id\":\"001090012345\",\"full_name\":\"Nguyễn Văn An\","
	          "\"date_of_birth\":\"1991-05-01\",\"sex\":\"female\",\"residence\":\"00004\"}");
	assert_true(has_path(e, "$.sex"));
	assert_true(has_path(e, "$.date_of_birth"));
	json_decref(e);
	/* unknown province 003, 11 digits, missing name, bad enum */
	e = check(&d, "{\"id\":\"003090012345\",\"date_of_birth\":\"1990-05-01\","
	              "\"sex\":\"male\",\"residence\":\"00004\"}");
	assert_true(has_path(e, "$.id"));
	assert_true(has_path(e, "$.full_name"));
	json_decref(e);
	e = check(&d,
	          "{\"id\":\"00109001234\",\"full_name\":\"A B\",\"date_of_birth\":\"1990-05-01\","
	          "\"sex\":\"x\",\"residence\":\"4\",\"extra\":1}");
	assert_true(has_path(e, "$.id"));
	assert_true(has_path(e, "$.sex"));
	assert_true(has_path(e, "$.residence"));
	assert_true(has_path(e, "$.extra"));
	json_decref(e);
	/* dates: death before birth, birth in the future, own father, father = mother */
	e = check(&d, "{\"id\":\"001090012345\",\"full_name\":\"Nguyễn Văn An\","
	              "\"date_of_birth\":\"1990-05-01\",\"sex\":\"male\",\"residence\":\"00004\","
	              "\"date_of_death\":\"1980-01-01\",\"father_id\":\"001090012345\"}");
	assert_true(has_path(e, "$.date_of_death"));
	assert_true(has_path(e, "$.father_id"));
	json_decref(e);
	e = check(&d, "{\"id\":\"001226000001\",\"full_name\":\"Nguyễn Văn Bé\","
	              "\"date_of_birth\":\"2026-12-01\",\"sex\":\"male\",\"residence\":\"00004\","
	              "\"father_id\":\"001060000101\",\"mother_id\":\"001060000101\"}");
	assert_true(has_path(e, "$.date_of_birth"));
	assert_true(has_path(e, "$.mother_id"));
	json_decref(e);
	reg_def_release(&d);
}

static void test_businesses_validation(void **state)
{
	(void)state;
	reg_def d = load("businesses");
	char code[11], text[512];
	snprintf(code, sizeof code, "010123456%d", id_enterprise_check_digit("010123456"));
	const char *fmt = "{\"id\":\"%s\",\"name\":\"Công ty TNHH A\",\"address\":\"00004\","
	                  "\"legal_representative\":\"001090012345\",\"status\":\"active\"}";
	snprintf(text, sizeof text, fmt, code);
	json_t *e = check(&d, text);
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	char branch[16];
	snprintf(branch, sizeof branch, "%s-001", code);
	snprintf(text, sizeof text, fmt, branch);
	e = check(&d, text);
	assert_int_equal(json_array_size(e), 0);
	json_decref(e);
	/* wrong check digit, branch 000, 13 digits without the dash */
	char bad[11];
	memcpy(bad, code, 11);
	bad[9] = (char)('0' + (code[9] - '0' + 1) % 10);
	snprintf(text, sizeof text, fmt, bad);
	e = check(&d, text);
	assert_true(has_path(e, "$.id"));
	json_decref(e);
	snprintf(branch, sizeof branch, "%s-000", code);
	snprintf(text, sizeof text, fmt, branch);
	e = check(&d, text);
	assert_true(has_path(e, "$.id"));
	json_decref(e);
	e = check(&d, "{\"id\":\"0101234567\",\"name\":\"X Y\",\"address\":\"00004\","
	              "\"legal_representative\":\"001090012345\",\"status\":\"closed\"}");
	assert_true(has_path(e, "$.status"));
	json_decref(e);
	reg_def_release(&d);
}

static void test_definition_checks(void **state)
{
	(void)state;
	json_t *def = json_loads(
	    "{\"name\":\"vehicles\",\"title\":\"Phương tiện\",\"id_field\":\"plate\","
	    "\"agency\":\"UBND-01\",\"indexed_fields\":[\"owner_id\"],\"subject_field\":\"owner_"
	    "id\","
	    "\"personal_fields\":[\"owner_id\"],\"schema\":{\"type\":\"object\","
	    "\"required\":[\"plate\"],\"properties\":{\"plate\":{\"type\":\"string\","
	    "\"pattern\":\"^[0-9]{2}[A-Z]-[0-9]{5}$\"},\"owner_id\":{\"type\":\"string\","
	    "\"x-ref\":\"persons\"}}}}",
	    0, NULL);
	assert_non_null(def);
	json_t *errors = json_array();
	reg_def_check(def, errors);
	assert_int_equal(json_array_size(errors), 0);
	json_decref(errors);
	/* bad: name, id not required, unknown indexed field, bad pattern, extra member */
	json_object_set_new(def, "name", json_string("Vehicles!"));
	json_array_clear(json_object_get(json_object_get(def, "schema"), "required"));
	json_array_append_new(json_object_get(def, "indexed_fields"), json_string("colour"));
	json_object_set_new(
	    json_object_get(json_object_get(json_object_get(def, "schema"), "properties"),
	                    "owner_id"),
	    "pattern", json_string("(a{200}){200}"));
	json_object_set_new(def, "owner", json_true());
	errors = json_array();
	reg_def_check(def, errors);
	assert_true(has_path(errors, "$.name"));
	assert_true(has_path(errors, "$.id_field"));
	assert_true(has_path(errors, "$.indexed_fields[1]"));
	assert_true(has_path(errors, "$.schema.properties.owner_id.pattern"));
	assert_true(has_path(errors, "$.owner"));
	json_decref(errors);
	json_decref(def);
}

static void test_mask_and_duplicate_key(void **state)
{
	(void)state;
	reg_def d = load("persons");
	json_t *a = json_loads("{\"id\":\"001090012345\",\"full_name\":\"Nguyễn Văn An\","
	                       "\"date_of_birth\":\"1990-05-01\",\"sex\":\"male\","
	                       "\"residence\":\"00004\",\"spouse_id\":null}",
	                       0, NULL);
	json_t *b = json_loads("{\"id\":\"001090099999\",\"full_name\":\"NGUYEN  VAN AN\","
	                       "\"date_of_birth\":\"1990-05-01\",\"sex\":\"male\","
	                       "\"residence\":\"00004\"}",
	                       0, NULL);
	char *ka = reg_dup_key(&d, a), *kb = reg_dup_key(&d, b);
	assert_non_null(ka);
	assert_string_equal(ka, kb);
	assert_string_equal(ka, "nguyen van an|1990 05 01|00004");
	json_object_set_new(b, "residence", json_string("00008"));
	char *kc = reg_dup_key(&d, b);
	assert_string_not_equal(ka, kc);
	json_object_del(b, "residence");
	assert_null(reg_dup_key(&d, b)); /* incomplete key: no candidate */
	/* fill mask: 5 of 9 fields; null does not count */
	int64_t m = reg_filled_mask(&d, a);
	int bits = 0;
	for (int i = 0; i < d.nfields; i++)
		bits += (m >> i) & 1;
	assert_int_equal(bits, 5);
	free(ka);
	free(kb);
	free(kc);
	json_decref(a);
	json_decref(b);
	reg_def_release(&d);
}

/* Types of the events of a change, joined by spaces. */
static char *event_types(const char *reg, const char *old_text, const char *new_text)
{
	json_t *o = old_text ? json_loads(old_text, 0, NULL) : NULL;
	json_t *n = json_loads(new_text, 0, NULL);
	json_t *ev = reg_events(reg, "x", o, n);
	static char buf[256];
	buf[0] = '\0';
	size_t i;
	json_t *e;
	json_array_foreach(ev, i, e)
	{
		if (i)
			strcat(buf, " ");
		strcat(buf, json_string_value(json_object_get(e, "type")));
	}
	json_decref(ev);
	json_decref(o);
	json_decref(n);
	return buf;
}

static void test_events_from_diff(void **state)
{
	(void)state;
	const char *p1 = "{\"id\":\"x\",\"residence\":\"00004\"}";
	assert_string_equal(event_types("persons", NULL, p1), "person.born");
	assert_string_equal(event_types("persons", p1, p1), "");
	assert_string_equal(event_types("persons", p1, "{\"id\":\"x\",\"residence\":\"00008\"}"),
	                    "person.address_changed");
	assert_string_equal(
	    event_types("persons", p1,
	                "{\"id\":\"x\",\"residence\":\"00004\",\"date_of_death\":\"2026-01-01\"}"),
	    "person.died");
	assert_string_equal(
	    event_types("persons", p1,
	                "{\"id\":\"x\",\"residence\":\"00004\",\"spouse_id\":\"079190012346\"}"),
	    "person.married");
	/* death and move in one change; a death already recorded does not repeat */
	const char *dead =
	    "{\"id\":\"x\",\"residence\":\"00008\",\"date_of_death\":\"2026-01-01\"}";
	assert_string_equal(event_types("persons", p1, dead), "person.died person.address_changed");
	assert_string_equal(event_types("persons", dead, dead), "");
	/* null spouse is no marriage */
	assert_string_equal(
	    event_types("persons", p1, "{\"id\":\"x\",\"residence\":\"00004\",\"spouse_id\":null}"),
	    "");
	const char *b1 = "{\"id\":\"x\",\"status\":\"active\"}";
	assert_string_equal(event_types("businesses", NULL, b1), "business.founded");
	assert_string_equal(
	    event_types("businesses", b1, "{\"id\":\"x\",\"status\":\"dissolved\"}"),
	    "business.dissolved");
	assert_string_equal(
	    event_types("businesses", b1, "{\"id\":\"x\",\"status\":\"suspended\"}"), "");
	assert_string_equal(event_types("vehicles", NULL, b1), "");
	/* changed fields, sorted; removal counts, null = absent */
	json_t *o = json_loads("{\"a\":1,\"b\":2,\"c\":null}", 0, NULL);
	json_t *n = json_loads("{\"b\":3,\"a\":1,\"d\":4}", 0, NULL);
	json_t *ch = reg_changes(o, n);
	assert_int_equal(json_array_size(ch), 2);
	assert_string_equal(json_string_value(json_array_get(ch, 0)), "b");
	assert_string_equal(json_string_value(json_array_get(ch, 1)), "d");
	json_decref(ch);
	json_decref(o);
	json_decref(n);
}

static void test_visibility(void **state)
{
	(void)state;
	reg_def p = load("persons");
	json_t *rec = json_loads("{\"registry\":\"persons\",\"id\":\"001090012345\",\"data\":"
	                         "{\"id\":\"001090012345\",\"full_name\":\"Nguyễn Văn An\","
	                         "\"father_id\":\"001060000101\",\"residence\":\"00004\"}}",
	                         0, NULL);
	assert_null(reg_visible(&anon, &p, rec));
	assert_null(reg_visible(&citizen2, &p, rec));
	json_t *v = reg_visible(&citizen, &p, rec);
	assert_non_null(v);
	assert_non_null(json_object_get(json_object_get(v, "data"), "father_id"));
	assert_null(json_object_get(v, "masked"));
	json_decref(v);
	v = reg_visible(&officer, &p, rec); /* not the owning agency: sensitive masked */
	assert_null(json_object_get(json_object_get(v, "data"), "father_id"));
	assert_non_null(json_object_get(json_object_get(v, "data"), "full_name"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "masked"), 0)),
	                    "father_id");
	json_decref(v);
	v = reg_visible(&owner, &p, rec);
	assert_non_null(json_object_get(json_object_get(v, "data"), "father_id"));
	json_decref(v);
	v = reg_visible(&admin, &p, rec);
	assert_non_null(json_object_get(json_object_get(v, "data"), "father_id"));
	json_decref(v);
	assert_true(reg_may_write(&officer, &p));
	assert_false(reg_may_write(&citizen, &p));
	json_decref(rec);
	reg_def_release(&p);
	/* businesses are public without their personal field */
	reg_def b = load("businesses");
	rec = json_loads("{\"data\":{\"id\":\"0101234567\",\"name\":\"Công ty\","
	                 "\"legal_representative\":\"001090012345\",\"status\":\"active\"}}",
	                 0, NULL);
	v = reg_visible(&anon, &b, rec);
	assert_non_null(v);
	assert_null(json_object_get(json_object_get(v, "data"), "legal_representative"));
	assert_non_null(json_object_get(json_object_get(v, "data"), "name"));
	json_decref(v);
	v = reg_visible(&citizen, &b, rec); /* the representative sees it whole */
	assert_non_null(json_object_get(json_object_get(v, "data"), "legal_representative"));
	json_decref(v);
	json_decref(rec);
	reg_def_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builtins),
	    cmocka_unit_test(test_persons_validation),
	    cmocka_unit_test(test_businesses_validation),
	    cmocka_unit_test(test_definition_checks),
	    cmocka_unit_test(test_mask_and_duplicate_key),
	    cmocka_unit_test(test_events_from_diff),
	    cmocka_unit_test(test_visibility),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
