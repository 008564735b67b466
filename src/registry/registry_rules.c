/* registry_rules.c - built-in registry definitions and the store-free
 * rules of registries (see registry_rules.h). */
#include "registry/registry_rules.h"

#include "core/ids.h"
#include "core/jsonschema.h"
#include "core/mem.h"
#include "core/text.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- built-in definitions ------------------------------------------------- */

static const char persons_def[] =
    "{\"name\":\"persons\",\"version\":1,"
    "\"title\":\"Cơ sở dữ liệu quốc gia về dân cư\","
    "\"title_en\":\"National population database\","
    "\"id_field\":\"id\",\"agency\":\"BCA\",\"public\":false,\"writers\":\"officers\","
    "\"subject_field\":\"id\","
    "\"personal_fields\":[\"id\",\"full_name\",\"date_of_birth\",\"sex\",\"residence\","
    "\"father_id\",\"mother_id\",\"spouse_id\",\"date_of_death\"],"
    "\"sensitive_fields\":[\"father_id\",\"mother_id\",\"spouse_id\"],"
    "\"indexed_fields\":[\"residence\",\"father_id\",\"mother_id\",\"spouse_id\","
    "\"date_of_death\"],"
    "\"search_fields\":[\"full_name\"],"
    "\"duplicate_key\":[\"full_name\",\"date_of_birth\",\"residence\"],"
    "\"schema\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"id\",\"full_name\",\"date_of_birth\",\"sex\",\"residence\"],"
    "\"properties\":{"
    "\"id\":{\"type\":\"string\",\"pattern\":\"^[0-9]{12}$\","
    "\"description\":\"Personal identification number (12 digits)\"},"
    "\"full_name\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":100},"
    "\"date_of_birth\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"sex\":{\"type\":\"string\",\"enum\":[\"male\",\"female\"]},"
    "\"residence\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\",\"x-unit\":\"commune\","
    "\"description\":\"Permanent-residence commune code\"},"
    "\"father_id\":{\"type\":[\"string\",\"null\"],\"pattern\":\"^[0-9]{12}$\","
    "\"x-ref\":\"persons\"},"
    "\"mother_id\":{\"type\":[\"string\",\"null\"],\"pattern\":\"^[0-9]{12}$\","
    "\"x-ref\":\"persons\"},"
    "\"spouse_id\":{\"type\":[\"string\",\"null\"],\"pattern\":\"^[0-9]{12}$\","
    "\"x-ref\":\"persons\"},"
    "\"date_of_death\":{\"type\":[\"string\",\"null\"],\"format\":\"date\"}}}}";

static const char businesses_def[] =
    "{\"name\":\"businesses\",\"version\":1,"
    "\"title\":\"Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp\","
    "\"title_en\":\"National business registration database\","
    "\"id_field\":\"id\",\"agency\":\"BTC\",\"public\":true,\"writers\":\"officers\","
    "\"subject_field\":\"legal_representative\","
    "\"personal_fields\":[\"legal_representative\"],\"sensitive_fields\":[],"
    "\"indexed_fields\":[\"address\",\"legal_representative\",\"status\"],"
    "\"search_fields\":[\"name\"],"
    "\"duplicate_key\":[\"name\",\"address\"],"
    "\"schema\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"id\",\"name\",\"address\",\"legal_representative\",\"status\"],"
    "\"properties\":{"
    "\"id\":{\"type\":\"string\",\"pattern\":\"^[0-9]{10}(-[0-9]{3})?$\","
    "\"description\":\"Enterprise code (10 digits) or branch code (NNNNNNNNNN-NNN)\"},"
    "\"name\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":200},"
    "\"address\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\",\"x-unit\":\"commune\"},"
    "\"legal_representative\":{\"type\":\"string\",\"pattern\":\"^[0-9]{12}$\","
    "\"x-ref\":\"persons\"},"
    "\"status\":{\"type\":\"string\",\"enum\":[\"active\",\"suspended\",\"dissolved\"]}}}}";

static const char deaths_def[] =
    "{\"name\":\"death_records\",\"version\":1,"
    "\"title\":\"Sổ đăng ký khai tử\",\"title_en\":\"Death registrations\","
    "\"id_field\":\"id\",\"agency\":\"BTP\",\"public\":false,\"writers\":\"officers\","
    "\"subject_field\":\"person_id\","
    "\"personal_fields\":[\"person_id\",\"date_of_death\",\"place\"],"
    "\"sensitive_fields\":[],"
    "\"indexed_fields\":[\"person_id\",\"place\"],"
    "\"search_fields\":[],"
    "\"duplicate_key\":[\"person_id\"],"
    "\"schema\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"id\",\"person_id\",\"date_of_death\",\"place\"],"
    "\"properties\":{"
    "\"id\":{\"type\":\"string\",\"pattern\":\"^[A-Z0-9][A-Z0-9.-]{2,39}$\"},"
    "\"person_id\":{\"type\":\"string\",\"pattern\":\"^[0-9]{12}$\",\"x-ref\":\"persons\"},"
    "\"date_of_death\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"place\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\",\"x-unit\":\"commune\"}}}}";

const char *const reg_builtin_names[] = {"persons", "businesses", "death_records", NULL};
static const char *const builtin_texts[] = {persons_def, businesses_def, deaths_def};
static json_t *builtin_json[3];
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_init(void)
{
	for (int i = 0; i < 3; i++) {
		json_error_t err;
		builtin_json[i] = json_loads(builtin_texts[i], 0, &err);
		if (!builtin_json[i])
			abort(); /* a bug in the texts above; the unit tests load them */
		json_object_set_new(builtin_json[i], "builtin", json_true());
	}
}

json_t *reg_builtin(const char *name)
{
	pthread_once(&builtin_once, builtin_init);
	for (int i = 0; reg_builtin_names[i]; i++)
		if (name && strcmp(name, reg_builtin_names[i]) == 0)
			return json_incref(builtin_json[i]);
	return NULL;
}

/* ---- binding ------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *array_or_empty(json_t *def, const char *key)
{
	json_t *a = json_object_get(def, key);
	return json_is_array(a) ? a : NULL;
}

bool reg_def_bind(reg_def *d, json_t *def)
{
	memset(d, 0, sizeof *d);
	d->json = json_incref(def);
	d->name = json_string_value(json_object_get(def, "name"));
	d->id_field = json_string_value(json_object_get(def, "id_field"));
	d->agency = json_string_value(json_object_get(def, "agency"));
	d->subject_field = json_string_value(json_object_get(def, "subject_field"));
	d->writers = json_string_value(json_object_get(def, "writers"));
	if (!d->writers)
		d->writers = "owner";
	d->schema = json_object_get(def, "schema");
	d->props = json_object_get(d->schema, "properties");
	d->personal = array_or_empty(def, "personal_fields");
	d->sensitive = array_or_empty(def, "sensitive_fields");
	d->indexed = array_or_empty(def, "indexed_fields");
	d->search = array_or_empty(def, "search_fields");
	d->dupkey = array_or_empty(def, "duplicate_key");
	d->builtin = json_is_true(json_object_get(def, "builtin"));
	d->public_read = json_is_true(json_object_get(def, "public"));
	d->version = (int)json_integer_value(json_object_get(def, "version"));
	if (!d->name || !d->id_field || !d->agency || !json_is_object(d->props))
		return false;
	const char *k;
	json_t *v;
	json_object_foreach(d->props, k, v)
	{
		if (d->nfields == REGISTRY_FIELDS_MAX)
			return false;
		d->fields[d->nfields++] = k;
	}
	qsort(d->fields, (size_t)d->nfields, sizeof d->fields[0], cmp_str);
	return true;
}

void reg_def_release(reg_def *d)
{
	json_decref(d->json);
	memset(d, 0, sizeof *d);
}

bool reg_in(json_t *list, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *s = json_string_value(v);
		if (s && name && strcmp(s, name) == 0)
			return true;
	}
	return false;
}

/* ---- checking a proposed definition -------------------------------------- */

static bool name_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > max || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

static void check_text(json_t *def, const char *key, bool required, json_t *errors)
{
	json_t *v = json_object_get(def, key);
	char path[64];
	snprintf(path, sizeof path, "$.%s", key);
	if (!v) {
		if (required)
			mc_errors_add(errors, path, "is required", "bắt buộc");
		return;
	}
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) > 200 || !text_utf8_valid(s, strlen(s)))
		mc_errors_add(errors, path, "must be a text of 1 to 200 bytes",
		              "phải là chuỗi từ 1 đến 200 byte");
}

static void check_list(json_t *def, const char *key, json_t *props, size_t max, json_t *errors)
{
	json_t *a = json_object_get(def, key);
	char path[96];
	if (!a)
		return;
	snprintf(path, sizeof path, "$.%s", key);
	if (!json_is_array(a) || json_array_size(a) > max) {
		mc_errors_add(errors, path, "must be an array of property names (capped)",
		              "phải là mảng tên thuộc tính (có giới hạn)");
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		const char *s = json_string_value(v);
		if (!s || !json_object_get(props, s)) {
			snprintf(path, sizeof path, "$.%s[%zu]", key, i);
			mc_errors_add(errors, path, "is not a property of the schema",
			              "không phải thuộc tính của lược đồ");
		}
	}
}

void reg_def_check(json_t *def, json_t *errors)
{
	static const char *const allowed[] = {
	    "name",          "title",           "title_en",         "version",
	    "id_field",      "agency",          "public",           "writers",
	    "subject_field", "personal_fields", "sensitive_fields", "indexed_fields",
	    "search_fields", "duplicate_key",   "schema",           NULL};
	const char *k;
	json_t *v;
	json_object_foreach(def, k, v)
	{
		bool ok = false;
		for (int i = 0; allowed[i]; i++)
			ok |= strcmp(allowed[i], k) == 0;
		if (!ok) {
			char *p = mc_xasprintf("$.%s", k);
			mc_errors_add(errors, strlen(p) < 100 ? p : "$",
			              "is not a definition member",
			              "không phải thành phần của định nghĩa");
			free(p);
		}
	}
	const char *name = json_string_value(json_object_get(def, "name"));
	if (!name_ok(name, REGISTRY_NAME_MAX))
		mc_errors_add(errors, "$.name",
		              "must be 2 to 40 characters a-z, 0-9 or _, starting with a letter",
		              "phải gồm 2 đến 40 ký tự a-z, 0-9 hoặc _, bắt đầu bằng chữ cái");
	else if (reg_builtin(name)) {
		json_t *b = reg_builtin(name);
		json_decref(b);
		mc_errors_add(errors, "$.name", "is the name of a built-in registry",
		              "trùng tên sổ đăng ký có sẵn");
	}
	check_text(def, "title", true, errors);
	check_text(def, "title_en", false, errors);
	json_t *ver = json_object_get(def, "version");
	if (ver && (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
	            json_integer_value(ver) > 1000000))
		mc_errors_add(errors, "$.version", "must be an integer from 1",
		              "phải là số nguyên từ 1");
	json_t *pub = json_object_get(def, "public");
	if (pub && !json_is_boolean(pub))
		mc_errors_add(errors, "$.public", "must be true or false",
		              "phải là true hoặc false");
	const char *writers = json_string_value(json_object_get(def, "writers"));
	if (json_object_get(def, "writers") &&
	    (!writers || (strcmp(writers, "owner") && strcmp(writers, "officers"))))
		mc_errors_add(errors, "$.writers", "must be \"owner\" or \"officers\"",
		              "phải là \"owner\" hoặc \"officers\"");
	json_t *schema = json_object_get(def, "schema");
	json_t *props = json_object_get(schema, "properties");
	const char *type = json_string_value(json_object_get(schema, "type"));
	if (!json_is_object(schema) || !type || strcmp(type, "object") || !json_is_object(props) ||
	    json_object_size(props) == 0 || json_object_size(props) > REGISTRY_FIELDS_MAX) {
		mc_errors_add(errors, "$.schema",
		              "must be a JSON Schema of type object with 1 to 62 properties",
		              "phải là JSON Schema kiểu object có từ 1 đến 62 thuộc tính");
		return;
	}
	json_t *req = json_object_get(schema, "required");
	if (req && !json_is_array(req))
		mc_errors_add(errors, "$.schema.required", "must be an array", "phải là một mảng");
	json_object_foreach(props, k, v)
	{
		char path[160];
		snprintf(path, sizeof path, "$.schema.properties.%.100s", k);
		if (!name_ok(k, 64) && !(strlen(k) == 1 && k[0] >= 'a' && k[0] <= 'z')) {
			mc_errors_add(errors, path, "property names are a-z, 0-9 and _",
			              "tên thuộc tính gồm a-z, 0-9 và _");
			continue;
		}
		if (!json_is_object(v)) {
			mc_errors_add(errors, path, "must be a schema object",
			              "phải là một lược đồ");
			continue;
		}
		const char *pat = json_string_value(json_object_get(v, "pattern"));
		const char *why_vi = NULL;
		const char *why = pat ? jsonschema_pattern_check(pat, &why_vi) : NULL;
		if (why) {
			snprintf(path, sizeof path, "$.schema.properties.%.100s.pattern", k);
			mc_errors_add(errors, path, why, why_vi ? why_vi : why);
		}
		json_t *unit = json_object_get(v, "x-unit");
		const char *us = json_string_value(unit);
		if (unit && (!us || (strcmp(us, "commune") && strcmp(us, "province")))) {
			snprintf(path, sizeof path, "$.schema.properties.%.100s.x-unit", k);
			mc_errors_add(errors, path, "must be \"commune\" or \"province\"",
			              "phải là \"commune\" hoặc \"province\"");
		}
		json_t *ref = json_object_get(v, "x-ref");
		if (ref && !name_ok(json_string_value(ref), REGISTRY_NAME_MAX)) {
			snprintf(path, sizeof path, "$.schema.properties.%.100s.x-ref", k);
			mc_errors_add(errors, path, "must be a registry name",
			              "phải là tên một sổ đăng ký");
		}
	}
	const char *idf = json_string_value(json_object_get(def, "id_field"));
	json_t *idp = idf ? json_object_get(props, idf) : NULL;
	if (!idp)
		mc_errors_add(errors, "$.id_field", "must name a property of the schema",
		              "phải là tên một thuộc tính của lược đồ");
	else if (!reg_in(req, idf) || !json_is_string(json_object_get(idp, "type")) ||
	         strcmp(json_string_value(json_object_get(idp, "type")), "string"))
		mc_errors_add(errors, "$.id_field",
		              "the identifier property must be a required string",
		              "thuộc tính định danh phải là chuỗi bắt buộc");
	const char *subj = json_string_value(json_object_get(def, "subject_field"));
	if (json_object_get(def, "subject_field") && (!subj || !json_object_get(props, subj)))
		mc_errors_add(errors, "$.subject_field", "must name a property of the schema",
		              "phải là tên một thuộc tính của lược đồ");
	check_list(def, "personal_fields", props, REGISTRY_FIELDS_MAX, errors);
	check_list(def, "sensitive_fields", props, REGISTRY_FIELDS_MAX, errors);
	check_list(def, "indexed_fields", props, REGISTRY_INDEXED_MAX, errors);
	check_list(def, "search_fields", props, 8, errors);
	check_list(def, "duplicate_key", props, 8, errors);
}

/* ---- validating records -------------------------------------------------- */

static const char *member_text(json_t *data, const char *key)
{
	return json_string_value(json_object_get(data, key));
}

static void persons_rules(json_t *data, mc_day today, json_t *errors)
{
	const char *id = member_text(data, "id");
	const char *dob = member_text(data, "date_of_birth");
	const char *sex = member_text(data, "sex");
	const char *dod = member_text(data, "date_of_death");
	id_person p;
	mc_diag d = {0};
	if (id && id_person_parse(id, &p, &d) != MC_OK) {
		mc_errors_add(errors, "$.id", d.detail, d.detail_vi);
		id = NULL;
	}
	mc_diag_clear(&d);
	mc_day birth = 0, death = 0;
	bool has_birth = dob && date_parse(dob, &birth);
	if (id && has_birth) {
		int y, m, dd;
		date_to_ymd(birth, &y, &m, &dd);
		if (y != p.birth_year)
			mc_errors_add(
			    errors, "$.date_of_birth",
			    "the year of birth does not match the century and year digits "
			    "of the personal number",
			    "năm sinh không khớp với mã thế kỷ và năm sinh trong số định danh");
	}
	if (id && sex && (strcmp(sex, "female") == 0) != p.female)
		mc_errors_add(errors, "$.sex",
		              "the sex does not match the century/sex digit of the personal number",
		              "giới tính không khớp với mã thế kỷ/giới tính trong số định danh");
	if (has_birth && birth > today)
		mc_errors_add(errors, "$.date_of_birth", "is in the future",
		              "là ngày trong tương lai");
	if (dod && date_parse(dod, &death)) {
		if (death > today)
			mc_errors_add(errors, "$.date_of_death", "is in the future",
			              "là ngày trong tương lai");
		if (has_birth && death < birth)
			mc_errors_add(errors, "$.date_of_death", "is before the date of birth",
			              "trước ngày sinh");
	}
	static const char *const rel[] = {"father_id", "mother_id", "spouse_id"};
	const char *self = member_text(data, "id");
	for (int i = 0; i < 3; i++) {
		const char *v = member_text(data, rel[i]);
		char path[32];
		snprintf(path, sizeof path, "$.%s", rel[i]);
		if (v && self && strcmp(v, self) == 0)
			mc_errors_add(errors, path, "cannot be the person themself",
			              "không thể là chính người đó");
	}
	const char *f = member_text(data, "father_id"), *m = member_text(data, "mother_id");
	if (f && m && strcmp(f, m) == 0)
		mc_errors_add(errors, "$.mother_id", "cannot be the father as well",
		              "không thể đồng thời là cha");
}

static void businesses_rules(json_t *data, json_t *errors)
{
	const char *id = member_text(data, "id");
	mc_diag d = {0};
	if (id && id_enterprise_parse(id, NULL, &d) != MC_OK)
		mc_errors_add(errors, "$.id", d.detail, d.detail_vi);
	mc_diag_clear(&d);
}

void reg_validate(const reg_def *d, json_t *data, mc_day today, json_t *errors)
{
	json_t *errs = jsonschema_validate(d->schema, data);
	json_array_extend(errors, errs);
	json_decref(errs);
	if (!json_is_object(data))
		return;
	if (d->builtin && strcmp(d->name, "persons") == 0)
		persons_rules(data, today, errors);
	else if (d->builtin && strcmp(d->name, "businesses") == 0)
		businesses_rules(data, errors);
}

/* ---- derived values -------------------------------------------------------- */

int64_t reg_filled_mask(const reg_def *d, json_t *data)
{
	int64_t m = 0;
	for (int i = 0; i < d->nfields; i++) {
		json_t *v = json_object_get(data, d->fields[i]);
		if (v && !json_is_null(v) && !(json_is_string(v) && !*json_string_value(v)))
			m |= (int64_t)1 << i;
	}
	return m;
}

char *reg_scalar_text(json_t *v)
{
	if (json_is_string(v))
		return mc_xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return mc_xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_boolean(v))
		return mc_xstrdup(json_is_true(v) ? "true" : "false");
	if (json_is_real(v))
		return mc_xasprintf("%.17g", json_real_value(v));
	return NULL;
}

char *reg_dup_key(const reg_def *d, json_t *data)
{
	if (!d->dupkey || json_array_size(d->dupkey) == 0)
		return NULL;
	mc_buf b = {0};
	size_t i;
	json_t *k;
	json_array_foreach(d->dupkey, i, k)
	{
		char *s = reg_scalar_text(json_object_get(data, json_string_value(k)));
		if (!s || !*s) {
			free(s);
			mc_buf_free(&b);
			return NULL;
		}
		char *f = text_fold(s);
		if (i)
			mc_buf_puts(&b, "|");
		mc_buf_puts(&b, f);
		free(f);
		free(s);
	}
	return mc_buf_cstr(&b);
}

json_t *reg_changes(json_t *old_data, json_t *new_data)
{
	json_t *names = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(new_data, k, v)
	{
		json_t *o = json_object_get(old_data, k);
		bool o_null = !o || json_is_null(o), n_null = json_is_null(v);
		if (o_null && n_null)
			continue;
		if (!o || !json_equal(o, v))
			json_array_append_new(names, json_string(k));
	}
	json_object_foreach(old_data, k, v)
	{
		if (!json_object_get(new_data, k) && !json_is_null(v))
			json_array_append_new(names, json_string(k));
	}
	/* sort */
	size_t n = json_array_size(names);
	const char **tmp = mc_xcalloc(n ? n : 1, sizeof *tmp);
	for (size_t i = 0; i < n; i++)
		tmp[i] = json_string_value(json_array_get(names, i));
	qsort(tmp, n, sizeof *tmp, cmp_str);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(sorted, json_string(tmp[i]));
	free(tmp);
	json_decref(names);
	return sorted;
}

static void add_event(json_t *events, const char *type, json_t *payload)
{
	json_array_append_new(events, json_pack("{s:s, s:o}", "type", type, "payload", payload));
}

/* A member as JSON for a payload: the value, or null. */
static json_t *member_or_null(json_t *data, const char *key)
{
	json_t *v = json_object_get(data, key);
	return v ? json_deep_copy(v) : json_null();
}

json_t *reg_events(const char *name, const char *id, json_t *old_data, json_t *new_data)
{
	json_t *ev = json_array();
	if (strcmp(name, "persons") == 0) {
		if (!old_data)
			add_event(ev, "person.born",
			          json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "id", id,
			                    "date_of_birth",
			                    member_or_null(new_data, "date_of_birth"), "sex",
			                    member_or_null(new_data, "sex"), "residence",
			                    member_or_null(new_data, "residence"), "father_id",
			                    member_or_null(new_data, "father_id"), "mother_id",
			                    member_or_null(new_data, "mother_id")));
		const char *od = member_text(old_data, "date_of_death");
		const char *nd = member_text(new_data, "date_of_death");
		if (nd && !od)
			add_event(ev, "person.died",
			          json_pack("{s:s, s:s, s:o}", "id", id, "date_of_death", nd,
			                    "residence", member_or_null(new_data, "residence")));
		const char *os = member_text(old_data, "spouse_id");
		const char *ns = member_text(new_data, "spouse_id");
		if (ns && (!os || strcmp(os, ns)))
			add_event(ev, "person.married",
			          json_pack("{s:s, s:s, s:o}", "id", id, "spouse_id", ns,
			                    "previous_spouse_id",
			                    os ? json_string(os) : json_null()));
		const char *orr = member_text(old_data, "residence");
		const char *nr = member_text(new_data, "residence");
		if (old_data && nr && (!orr || strcmp(orr, nr)))
			add_event(ev, "person.address_changed",
			          json_pack("{s:s, s:o, s:s}", "id", id, "from",
			                    orr ? json_string(orr) : json_null(), "to", nr));
	} else if (strcmp(name, "businesses") == 0) {
		if (!old_data)
			add_event(ev, "business.founded",
			          json_pack("{s:s, s:o, s:o, s:o}", "id", id, "name",
			                    member_or_null(new_data, "name"), "address",
			                    member_or_null(new_data, "address"), "status",
			                    member_or_null(new_data, "status")));
		const char *ost = member_text(old_data, "status");
		const char *nst = member_text(new_data, "status");
		if (nst && strcmp(nst, "dissolved") == 0 && (!ost || strcmp(ost, "dissolved")))
			add_event(ev, "business.dissolved",
			          json_pack("{s:s, s:o}", "id", id, "previous_status",
			                    ost ? json_string(ost) : json_null()));
	}
	return ev;
}

/* ---- access ------------------------------------------------------------- */

bool reg_may_write(const mc_principal *who, const reg_def *d)
{
	if (who->role == ROLE_ADMIN)
		return true;
	if (who->role != ROLE_OFFICER)
		return false;
	if (strcmp(d->writers, "officers") == 0)
		return true;
	return strcmp(who->agency, d->agency) == 0;
}

/* Removes the members named in `list` from data and records them in masked. */
static void strip(json_t *data, json_t *list, json_t *masked)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		const char *k = json_string_value(v);
		if (k && json_object_get(data, k)) {
			json_object_del(data, k);
			if (!reg_in(masked, k))
				json_array_append_new(masked, json_string(k));
		}
	}
}

json_t *reg_visible(const mc_principal *who, const reg_def *d, json_t *rec)
{
	json_t *data = json_object_get(rec, "data");
	bool subject = false;
	if (who->role != ROLE_ANONYMOUS && who->person_id[0] && d->subject_field) {
		const char *sv = member_text(data, d->subject_field);
		subject = sv && strcmp(sv, who->person_id) == 0;
	}
	bool officer = who->role == ROLE_OFFICER;
	if (who->role == ROLE_ADMIN || subject || (officer && strcmp(who->agency, d->agency) == 0))
		return json_deep_copy(rec);
	if (!officer && !d->public_read)
		return NULL;
	json_t *out = json_deep_copy(rec);
	json_t *odata = json_object_get(out, "data");
	json_t *masked = json_array();
	strip(odata, d->sensitive, masked);
	if (!officer)
		strip(odata, d->personal, masked);
	if (json_array_size(masked))
		json_object_set_new(out, "masked", masked);
	else
		json_decref(masked);
	return out;
}
