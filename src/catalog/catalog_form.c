/* catalog_form.c - eForms of procedures: the default JSON Schema derived
 * from a procedure document (applicant block plus blocks inferred from the
 * procedure's name and subjects), the check that an admin-supplied schema
 * stays inside the subset jsonschema.c implements, and the check of
 * admin-supplied procedure documents. Pure functions. */
#include "catalog/catalog_parse.h"

#include "calendar/calendar.h"
#include "core/jsonschema.h"
#include "core/mem.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORM_MAX_DEPTH 16
#define FORM_MAX_NODES 2000

/* ---- derivation ---- */

static json_t *str_field(const char *vi, const char *en, int max)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:i}", "type", "string", "title", vi, "x-title-en",
	                 en, "minLength", 1, "maxLength", max);
}

static json_t *date_field(const char *vi, const char *en)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "type", "string", "format", "date", "title", vi,
	                 "x-title-en", en);
}

static json_t *person_id_field(void)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "type", "string", "pattern", "^[0-9]{12}$",
	                 "title", "Số định danh cá nhân", "x-title-en",
	                 "Personal identification number (12 digits)");
}

static json_t *object_block(const char *vi, const char *en, json_t *props, json_t *required)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:o, s:o}", "type", "object", "title", vi,
	                 "x-title-en", en, "additionalProperties", 0, "properties", props,
	                 "required", required);
}

static json_t *address_block(const char *vi, const char *en)
{
	json_t *props = json_object();
	json_object_set_new(props, "commune_code",
	                    json_pack("{s:s, s:s, s:s, s:s}", "type", "string", "pattern",
	                              "^[0-9]{5}$", "title", "Mã xã, phường, đặc khu", "x-title-en",
	                              "Commune code (5 digits)"));
	json_object_set_new(
	    props, "detail",
	    str_field("Số nhà, đường, thôn, tổ dân phố", "House number, street, village", 300));
	return object_block(vi, en, props, json_pack("[s]", "commune_code"));
}

static json_t *applicant_block(void)
{
	json_t *p = json_object();
	json_object_set_new(p, "full_name", str_field("Họ, chữ đệm và tên", "Full name", 100));
	json_object_set_new(p, "date_of_birth",
	                    date_field("Ngày, tháng, năm sinh", "Date of birth"));
	json_object_set_new(p, "person_id", person_id_field());
	json_object_set_new(p, "phone",
	                    json_pack("{s:s, s:s, s:s, s:s}", "type", "string", "pattern",
	                              "^(\\+84|0)[0-9]{9,10}$", "title", "Số điện thoại",
	                              "x-title-en", "Phone number"));
	json_object_set_new(p, "email",
	                    json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "string", "format",
	                              "email", "maxLength", 254, "title", "Thư điện tử",
	                              "x-title-en", "Email"));
	json_object_set_new(p, "address", address_block("Nơi cư trú", "Place of residence"));
	return object_block("Người nộp hồ sơ", "Applicant", p,
	                    json_pack("[s,s,s]", "full_name", "date_of_birth", "person_id"));
}

static json_t *sex_field(void)
{
	return json_pack("{s:s, s:[s,s], s:s, s:s}", "type", "string", "enum", "male", "female",
	                 "title", "Giới tính", "x-title-en", "Sex");
}

/* A parent, spouse...: name required, identifiers optional. */
static json_t *person_block(const char *vi, const char *en, bool with_birth_date)
{
	json_t *p = json_object();
	json_object_set_new(p, "full_name", str_field("Họ, chữ đệm và tên", "Full name", 100));
	json_object_set_new(p, "person_id", person_id_field());
	if (with_birth_date)
		json_object_set_new(p, "date_of_birth",
		                    date_field("Ngày, tháng, năm sinh", "Date of birth"));
	json_object_set_new(p, "nationality", str_field("Quốc tịch", "Nationality", 100));
	return object_block(vi, en, p,
	                    with_birth_date ? json_pack("[s,s]", "full_name", "date_of_birth")
	                                    : json_pack("[s]", "full_name"));
}

static void add_block(json_t *props, json_t *required, const char *key, json_t *block, bool req)
{
	if (json_object_get(props, key)) {
		json_decref(block);
		return;
	}
	json_object_set_new(props, key, block);
	if (req)
		json_array_append_new(required, json_string(key));
}

static void add_birth(json_t *props, json_t *req)
{
	json_t *c = json_object();
	json_object_set_new(c, "full_name", str_field("Họ, chữ đệm và tên", "Full name", 100));
	json_object_set_new(c, "date_of_birth",
	                    date_field("Ngày, tháng, năm sinh", "Date of birth"));
	json_object_set_new(c, "sex", sex_field());
	json_object_set_new(c, "place_of_birth", str_field("Nơi sinh", "Place of birth", 300));
	json_object_set_new(c, "ethnicity", str_field("Dân tộc", "Ethnicity", 50));
	json_object_set_new(c, "nationality", str_field("Quốc tịch", "Nationality", 100));
	json_object_set_new(c, "home_town", str_field("Quê quán", "Home town", 300));
	add_block(props, req, "child",
	          object_block("Người được khai sinh", "Child", c,
	                       json_pack("[s,s,s,s]", "full_name", "date_of_birth", "sex",
	                                 "place_of_birth")),
	          true);
	add_block(props, req, "father", person_block("Cha", "Father", false), false);
	add_block(props, req, "mother", person_block("Mẹ", "Mother", false), false);
	json_object_set_new(
	    props, "relationship",
	    str_field("Quan hệ với người được khai sinh", "Relationship to the child", 100));
}

static void add_death(json_t *props, json_t *req)
{
	json_t *d = json_object();
	json_object_set_new(d, "full_name", str_field("Họ, chữ đệm và tên", "Full name", 100));
	json_object_set_new(d, "person_id", person_id_field());
	json_object_set_new(d, "date_of_birth",
	                    date_field("Ngày, tháng, năm sinh", "Date of birth"));
	json_object_set_new(d, "date_of_death", date_field("Ngày chết", "Date of death"));
	json_object_set_new(d, "place_of_death", str_field("Nơi chết", "Place of death", 300));
	json_object_set_new(d, "cause", str_field("Nguyên nhân chết", "Cause of death", 300));
	add_block(
	    props, req, "deceased",
	    object_block("Người chết", "Deceased", d,
	                 json_pack("[s,s,s]", "full_name", "date_of_death", "place_of_death")),
	    true);
	json_object_set_new(
	    props, "relationship",
	    str_field("Quan hệ với người chết", "Relationship to the deceased", 100));
}

static void add_marriage(json_t *props, json_t *req)
{
	add_block(props, req, "husband", person_block("Bên nam", "Husband", true), true);
	add_block(props, req, "wife", person_block("Bên nữ", "Wife", true), true);
}

static void add_residence(json_t *props, json_t *req, bool removal)
{
	json_t *r = json_object();
	json_object_set_new(r, "commune_code",
	                    json_pack("{s:s, s:s, s:s, s:s}", "type", "string", "pattern",
	                              "^[0-9]{5}$", "title", "Mã xã, phường, đặc khu", "x-title-en",
	                              "Commune code (5 digits)"));
	json_object_set_new(
	    r, "detail",
	    str_field("Số nhà, đường, thôn, tổ dân phố", "House number, street, village", 300));
	json_object_set_new(r, "accommodation",
	                    json_pack("{s:s, s:[s,s,s,s], s:s, s:s}", "type", "string", "enum",
	                              "owned", "rented", "relative", "other", "title",
	                              "Chỗ ở hợp pháp", "x-title-en", "Legal accommodation"));
	add_block(props, req, "residence",
	          object_block("Nơi cư trú đăng ký", "Residence to register", r,
	                       json_pack("[s,s]", "commune_code", "detail")),
	          false);
	if (removal)
		add_block(props, req, "reason", str_field("Lý do", "Reason", 1000), true);
}

static void add_criminal_record(json_t *props, json_t *req)
{
	json_t *c = json_object();
	json_object_set_new(c, "form",
	                    json_pack("{s:s, s:[s,s], s:s, s:s}", "type", "string", "enum", "1",
	                              "2", "title", "Loại phiếu (số 1 hoặc số 2)", "x-title-en",
	                              "Certificate form (no. 1 or no. 2)"));
	json_object_set_new(c, "purpose", str_field("Mục đích sử dụng", "Purpose", 500));
	json_object_set_new(c, "copies",
	                    json_pack("{s:s, s:i, s:i, s:s, s:s}", "type", "integer", "minimum", 1,
	                              "maximum", 10, "title", "Số lượng phiếu", "x-title-en",
	                              "Number of copies"));
	add_block(props, req, "request",
	          object_block("Yêu cầu cấp phiếu", "Certificate request", c,
	                       json_pack("[s,s]", "form", "purpose")),
	          true);
}

static void add_reason(json_t *props, json_t *req, const char *const *reasons, size_t n)
{
	json_t *en = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(en, json_string(reasons[i]));
	add_block(props, req, "reason",
	          json_pack("{s:s, s:o, s:s, s:s}", "type", "string", "enum", en, "title",
	                    "Lý do đề nghị", "x-title-en", "Reason of the request"),
	          true);
}

static void add_organization(json_t *props, json_t *req, bool required)
{
	json_t *o = json_object();
	json_object_set_new(o, "name",
	                    str_field("Tên tổ chức, doanh nghiệp", "Organisation name", 300));
	json_object_set_new(o, "tax_code",
	                    json_pack("{s:s, s:s, s:s, s:s}", "type", "string", "pattern",
	                              "^[0-9]{10}(-[0-9]{3})?$", "title",
	                              "Mã số doanh nghiệp / thuế", "x-title-en",
	                              "Enterprise (tax) code"));
	json_object_set_new(o, "address", str_field("Địa chỉ trụ sở", "Head office address", 300));
	add_block(
	    props, req, "organization",
	    object_block("Tổ chức đề nghị", "Requesting organisation", o, json_pack("[s]", "name")),
	    required);
}

json_t *catalog_form_derive(json_t *doc)
{
	const char *name = json_string_value(json_object_get(doc, "name"));
	const char *subjects = json_string_value(json_object_get(doc, "subjects"));
	char *fn = text_fold(name ? name : "");
	char *fs = text_fold(subjects ? subjects : "");
	json_t *props = json_object(), *req = json_array();
	json_object_set_new(props, "applicant", applicant_block());
	json_array_append_new(req, json_string("applicant"));

	bool birth = strstr(fn, "khai sinh") != NULL;
	if (birth)
		add_birth(props, req);
	if (strstr(fn, "khai tu"))
		add_death(props, req);
	if (strstr(fn, "ket hon") && !strstr(fn, "ly hon"))
		add_marriage(props, req);
	if (strstr(fn, "thuong tru") || strstr(fn, "tam tru"))
		add_residence(props, req, strstr(fn, "xoa dang ky") != NULL);
	if (strstr(fn, "ly lich tu phap"))
		add_criminal_record(props, req);
	if (strstr(fn, "ho chieu")) {
		static const char *const r[] = {"first_issue", "renewal", "lost_or_damaged"};
		add_reason(props, req, r, 3);
	} else if (strstr(fn, "can cuoc")) {
		static const char *const r[] = {"first_issue", "renewal", "lost_or_damaged",
		                                "change_of_details"};
		add_reason(props, req, r, 4);
	}
	if (strstr(fn, "bao hiem y te") || (birth && strstr(fn, "bhyt")))
		json_object_set_new(props, "health_insurance",
		                    object_block("Bảo hiểm y tế", "Health insurance",
		                                 json_pack("{s:o}", "card_number",
		                                           str_field("Số thẻ BHYT (nếu có)",
		                                                     "Card number (if any)", 15)),
		                                 json_array()));
	bool org = strstr(fs, "doanh nghiep") || strstr(fs, "to chuc") || strstr(fs, "hop tac xa");
	bool person = !*fs || strstr(fs, "cong dan") || strstr(fs, "ca nhan") ||
	              strstr(fs, "nguoi") || strstr(fs, "can bo");
	if (org)
		add_organization(props, req, !person);
	json_object_set_new(props, "note",
	                    json_pack("{s:s, s:i, s:s, s:s}", "type", "string", "maxLength", 4000,
	                              "title", "Nội dung đề nghị", "x-title-en",
	                              "Details of the request"));
	free(fn);
	free(fs);
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "$schema",
	                 "https://json-schema.org/draft/2020-12/schema", "title", name ? name : "",
	                 "x-derived", "catalog", "type", "object", "additionalProperties", 0,
	                 "properties", props, "required", req);
}

/* ---- schema subset check ---- */

static void err(json_t *errors, const char *path, const char *en, const char *vi)
{
	if (json_array_size(errors) < 200)
		mc_errors_add(errors, path, en, vi);
}

static bool type_name_ok(const char *t)
{
	static const char *const names[] = {"string", "integer", "number", "boolean",
	                                    "object", "array",   "null"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		if (!strcmp(t, names[i]))
			return true;
	}
	return false;
}

static bool is_count(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

static bool is_annotation(const char *k)
{
	static const char *const ann[] = {"title",    "description", "$schema",
	                                  "$id",      "$comment",    "default",
	                                  "examples", "readOnly",    "deprecated"};
	if (!strncmp(k, "x-", 2))
		return true;
	for (size_t i = 0; i < sizeof ann / sizeof *ann; i++) {
		if (!strcmp(k, ann[i]))
			return true;
	}
	return false;
}

static void check_schema(json_t *s, const char *path, json_t *errors, int depth, int *nodes);

static void check_keyword(json_t *s, const char *k, json_t *v, const char *path, json_t *errors,
                          int depth, int *nodes)
{
	char *p = mc_xasprintf("%s.%s", path, k);
	if (!strcmp(k, "type")) {
		if (json_is_string(v)) {
			if (!type_name_ok(json_string_value(v)))
				err(errors, p, "unknown type", "kiểu không hợp lệ");
		} else if (json_is_array(v) && json_array_size(v) > 0) {
			size_t i;
			json_t *t;
			json_array_foreach(v, i, t)
			{
				if (!json_is_string(t) || !type_name_ok(json_string_value(t)))
					err(errors, p, "unknown type", "kiểu không hợp lệ");
			}
		} else {
			err(errors, p, "must be a type name or a non-empty array of them",
			    "phải là tên kiểu hoặc danh sách tên kiểu");
		}
	} else if (!strcmp(k, "properties")) {
		if (!json_is_object(v)) {
			err(errors, p, "must be an object", "phải là đối tượng");
		} else {
			const char *name;
			json_t *sub;
			json_object_foreach(v, name, sub)
			{
				char *sp = mc_xasprintf("%s['%s']", p, name);
				check_schema(sub, sp, errors, depth + 1, nodes);
				free(sp);
			}
		}
	} else if (!strcmp(k, "items")) {
		check_schema(v, p, errors, depth + 1, nodes);
	} else if (!strcmp(k, "required")) {
		size_t i;
		json_t *r;
		if (!json_is_array(v))
			err(errors, p, "must be an array of property names",
			    "phải là danh sách tên trường");
		json_array_foreach(v, i, r)
		{
			if (!json_is_string(r))
				err(errors, p, "must be an array of property names",
				    "phải là danh sách tên trường");
		}
	} else if (!strcmp(k, "additionalProperties")) {
		if (!json_is_boolean(v))
			err(errors, p, "must be true or false (schemas are not supported here)",
			    "phải là true hoặc false");
	} else if (!strcmp(k, "enum")) {
		if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 1000)
			err(errors, p, "must be a non-empty array (at most 1000 values)",
			    "phải là danh sách khác rỗng (tối đa 1000 giá trị)");
	} else if (!strcmp(k, "const")) {
		/* any value */
	} else if (!strcmp(k, "minLength") || !strcmp(k, "maxLength") || !strcmp(k, "minItems") ||
	           !strcmp(k, "maxItems")) {
		if (!is_count(v))
			err(errors, p, "must be a non-negative integer",
			    "phải là số nguyên không âm");
	} else if (!strcmp(k, "minimum") || !strcmp(k, "maximum")) {
		if (!json_is_number(v))
			err(errors, p, "must be a number", "phải là số");
	} else if (!strcmp(k, "pattern")) {
		const char *why, *why_vi;
		if (!json_is_string(v)) {
			err(errors, p, "must be a regular expression (a string)",
			    "phải là biểu thức chính quy (chuỗi ký tự)");
		} else if ((why = jsonschema_pattern_check(json_string_value(v), &why_vi))) {
			/* the same check as the validator's: too long, invalid, or
			 * repetitions that would make regcomp allocate too much */
			char *en = mc_xasprintf("is not accepted: %s", why);
			char *vi = mc_xasprintf("không được chấp nhận: %s", why_vi);
			err(errors, p, en, vi);
			free(en);
			free(vi);
		}
	} else if (!strcmp(k, "format")) {
		const char *f = json_string_value(v);
		if (!f || (strcmp(f, "date") != 0 && strcmp(f, "email") != 0))
			err(errors, p, "must be \"date\" or \"email\"",
			    "phải là \"date\" hoặc \"email\"");
	} else if (!is_annotation(k)) {
		err(errors, p, "is not supported by motcua's JSON Schema subset",
		    "không được hỗ trợ trong tập con JSON Schema của motcua");
	}
	(void)s;
	free(p);
}

static void check_schema(json_t *s, const char *path, json_t *errors, int depth, int *nodes)
{
	if (++*nodes > FORM_MAX_NODES) {
		if (*nodes == FORM_MAX_NODES + 1)
			err(errors, path, "the schema is too large", "lược đồ quá lớn");
		return;
	}
	if (depth > FORM_MAX_DEPTH) {
		err(errors, path, "the schema is nested too deeply", "lược đồ lồng nhau quá sâu");
		return;
	}
	if (json_is_boolean(s))
		return;
	if (!json_is_object(s)) {
		err(errors, path, "must be a schema object", "phải là một lược đồ (đối tượng)");
		return;
	}
	const char *k;
	json_t *v;
	json_object_foreach(s, k, v) check_keyword(s, k, v, path, errors, depth, nodes);
}

json_t *catalog_form_check(json_t *schema)
{
	json_t *errors = json_array();
	int nodes = 0;
	if (!json_is_object(schema)) {
		err(errors, "$", "must be a schema object", "phải là một lược đồ (đối tượng)");
		return errors;
	}
	const char *t = json_string_value(json_object_get(schema, "type"));
	if (!t || strcmp(t, "object") != 0)
		err(errors, "$.type", "an eForm must have \"type\": \"object\"",
		    "biểu mẫu phải có \"type\": \"object\"");
	check_schema(schema, "$", errors, 0, &nodes);
	return errors;
}

/* ---- procedure documents written by admins ---- */

/* Largest time limit amount in any unit: the "maximum" of amount and min
 * in doc_schema_text below. In hours it must stay within what the calendar
 * counts (hours become working days of CALENDAR_WORKING_HOURS); working
 * days are capped further by check_time_limit. */
#define DOC_MAX_AMOUNT 3650
_Static_assert(DOC_MAX_AMOUNT <= CALENDAR_MAX_WORKING_DAYS * CALENDAR_WORKING_HOURS,
               "time limits in hours must fit the calendar");

static const char doc_schema_text[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"code\",\"name\"],"
    "\"properties\":{"
    "\"code\":{\"type\":\"string\",\"pattern\":\"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$\"},"
    "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":2000},"
    "\"decision\":{\"type\":[\"string\",\"null\"],\"maxLength\":200},"
    "\"type\":{\"type\":[\"string\",\"null\"],\"maxLength\":500},"
    "\"level\":{\"type\":\"array\",\"maxItems\":4,"
    "  \"items\":{\"enum\":[\"ministry\",\"province\",\"commune\",\"other\"]}},"
    "\"field\":{\"type\":[\"string\",\"null\"],\"maxLength\":500},"
    "\"ministry\":{\"enum\":[\"BCA\",\"BTP\",\"BTC\",\"BXD\",\"BNNMT\",\"NHNN\",\"TANDTC\",null]},"
    "\"agency\":{\"type\":\"array\",\"maxItems\":50,"
    "  \"items\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$\"}},"
    "\"subjects\":{\"type\":[\"string\",\"null\"],\"maxLength\":2000},"
    "\"competent_authority\":{\"type\":[\"string\",\"null\"],\"maxLength\":2000},"
    "\"implementing_agency\":{\"type\":[\"string\",\"null\"],\"maxLength\":2000},"
    "\"online_level\":{\"enum\":[\"full\",\"partial\",\"none\"]},"
    "\"channels\":{\"type\":\"array\",\"maxItems\":3,\"items\":{\"type\":\"object\","
    "  \"additionalProperties\":false,\"required\":[\"channel\"],\"properties\":{"
    "  \"channel\":{\"enum\":[\"online\",\"in_person\",\"post\"]},"
    "  \"time_limit\":{\"type\":[\"object\",\"null\"],\"required\":[\"amount\",\"unit\"],"
    "    \"properties\":{\"amount\":{\"type\":\"number\",\"minimum\":0,\"maximum\":3650},"
    "      \"min\":{\"type\":\"number\",\"minimum\":0,\"maximum\":3650},"
    "      \"unit\":{\"enum\":[\"working_days\",\"days\",\"hours\"]},"
    "      \"text\":{\"type\":\"string\",\"maxLength\":200},"
    "      \"source\":{\"type\":\"string\",\"maxLength\":40}}},"
    "  \"fees\":{\"type\":\"array\",\"maxItems\":20,\"items\":{\"type\":\"object\","
    "    \"properties\":{\"text\":{\"type\":\"string\",\"maxLength\":8000},"
    "      \"free\":{\"type\":[\"boolean\",\"null\"]},"
    "      \"amount_vnd\":{\"type\":[\"integer\",\"null\"],\"minimum\":0,"
    "        \"maximum\":1000000000000},"
    "      \"amount\":{\"type\":[\"number\",\"null\"],\"minimum\":0},"
    "      \"currency\":{\"enum\":[\"VND\",\"USD\"]},"
    "      \"scaled\":{\"type\":\"boolean\"},"
    "      \"note\":{\"type\":\"string\",\"maxLength\":8000}}}},"
    "  \"description\":{\"type\":[\"string\",\"null\"],\"maxLength\":8000},"
    "  \"cases\":{\"type\":\"array\",\"maxItems\":20}}}},"
    "\"components\":{\"type\":\"array\",\"maxItems\":200,\"items\":{\"type\":\"object\","
    "  \"additionalProperties\":false,\"required\":[\"id\",\"name\"],\"properties\":{"
    "  \"id\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9_-]{1,16}$\"},"
    "  \"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":2000},"
    "  \"group\":{\"type\":[\"string\",\"null\"],\"maxLength\":500},"
    "  \"originals\":{\"type\":[\"integer\",\"null\"],\"minimum\":0,\"maximum\":100},"
    "  \"copies\":{\"type\":[\"integer\",\"null\"],\"minimum\":0,\"maximum\":100},"
    "  \"quantity\":{\"type\":[\"string\",\"null\"],\"maxLength\":100},"
    "  \"template\":{\"type\":[\"string\",\"null\"],\"maxLength\":300},"
    "  \"kind\":{\"enum\":[\"document\",\"note\"]},"
    "  \"required\":{\"type\":\"boolean\"},"
    "  \"presentation\":{\"type\":\"boolean\"},"
    "  \"condition\":{\"type\":[\"string\",\"null\"],\"maxLength\":2000}}}},"
    "\"steps\":{\"type\":\"array\",\"maxItems\":100,"
    "  \"items\":{\"type\":\"string\",\"maxLength\":2000}},"
    "\"legal_basis\":{\"type\":\"array\",\"maxItems\":100,\"items\":{\"type\":\"object\","
    "  \"properties\":{\"title\":{\"type\":\"string\",\"maxLength\":1000},"
    "  \"code\":{\"type\":\"string\",\"maxLength\":100}}}},"
    "\"conditions\":{\"type\":[\"string\",\"null\"],\"maxLength\":20000},"
    "\"result\":{\"type\":\"array\",\"maxItems\":50,\"items\":{\"type\":\"object\","
    "  \"required\":[\"name\"],\"properties\":{"
    "  \"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000},"
    "  \"code\":{\"type\":[\"string\",\"null\"],\"maxLength\":100}}}},"
    "\"source_url\":{\"type\":[\"string\",\"null\"],\"maxLength\":500}}}";

/* A string member that is present must hold more than white space. */
static void check_not_blank(json_t *obj, const char *key, const char *path, json_t *errors)
{
	const char *v = json_string_value(json_object_get(obj, key));
	if (!v || !*v)
		return; /* absent, wrong type or "": the schema reports it */
	char *t = text_trim_dup(v, strlen(v));
	if (!*t)
		err(errors, path, "must not be blank", "không được để trống");
	free(t);
}

/* A time limit in working days must be one the calendar can count (a due
 * date is computed from it on receipt): at most CALENDAR_MAX_WORKING_DAYS.
 * Hours and calendar days are bounded by the schema (DOC_MAX_AMOUNT). */
static void check_time_limit(json_t *t, size_t i, json_t *errors)
{
	const char *unit = json_string_value(json_object_get(t, "unit"));
	if (!unit || strcmp(unit, "working_days") != 0)
		return;
	char en[128], vi[128];
	snprintf(en, sizeof en, "must be at most %d working days (what the calendar counts)",
	         CALENDAR_MAX_WORKING_DAYS);
	snprintf(vi, sizeof vi, "tối đa %d ngày làm việc (giới hạn của lịch làm việc)",
	         CALENDAR_MAX_WORKING_DAYS);
	static const char *const keys[] = {"amount", "min"};
	for (size_t k = 0; k < 2; k++) {
		json_t *a = json_object_get(t, keys[k]);
		if (json_is_number(a) && json_number_value(a) > CALENDAR_MAX_WORKING_DAYS) {
			char *p = mc_xasprintf("$.channels[%zu].time_limit.%s", i, keys[k]);
			err(errors, p, en, vi);
			free(p);
		}
	}
}

json_t *catalog_doc_check(json_t *doc)
{
	json_t *schema = json_loads(doc_schema_text, 0, NULL);
	if (!schema)
		abort(); /* the constant above is valid JSON; checked by the tests */
	json_t *errors = jsonschema_validate(schema, doc);
	json_decref(schema);
	/* component ids and channels must be unique */
	json_t *seen = json_object();
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(doc, "components"), i, c)
	{
		const char *id = json_string_value(json_object_get(c, "id"));
		if (!id)
			continue;
		if (json_object_get(seen, id)) {
			char *p = mc_xasprintf("$.components[%zu].id", i);
			err(errors, p, "duplicate component id", "mã thành phần hồ sơ bị trùng");
			free(p);
		}
		json_object_set_new(seen, id, json_true());
	}
	json_object_clear(seen);
	json_array_foreach(json_object_get(doc, "channels"), i, c)
	{
		const char *ch = json_string_value(json_object_get(c, "channel"));
		if (!ch)
			continue;
		if (json_object_get(seen, ch)) {
			char *p = mc_xasprintf("$.channels[%zu].channel", i);
			err(errors, p, "duplicate channel", "hình thức nộp bị trùng");
			free(p);
		}
		json_object_set_new(seen, ch, json_true());
	}
	json_object_clear(seen);
	json_array_foreach(json_object_get(doc, "level"), i, c)
	{
		const char *lv = json_string_value(c);
		if (!lv)
			continue;
		if (json_object_get(seen, lv)) {
			char *p = mc_xasprintf("$.level[%zu]", i);
			err(errors, p, "duplicate level", "cấp thực hiện bị trùng");
			free(p);
		}
		json_object_set_new(seen, lv, json_true());
	}
	json_decref(seen);
	json_array_foreach(json_object_get(doc, "channels"), i, c)
	{
		check_time_limit(json_object_get(c, "time_limit"), i, errors);
	}
	check_not_blank(doc, "name", "$.name", errors);
	json_array_foreach(json_object_get(doc, "components"), i, c)
	{
		char *p = mc_xasprintf("$.components[%zu].name", i);
		check_not_blank(c, "name", p, errors);
		free(p);
	}
	return errors;
}
