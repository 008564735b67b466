/* opendata.c - the open-data service: validation and storage of datasets
 * and resources, loading them back with their resources, CKAN-style search
 * (q, fq terms, sort, rows/start, facets), lists of names, organizations
 * and tags, the change feed and the programme figure. */
#include "opendata/opendata.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/jcache.h"
#include "core/mem.h"
#include "core/text.h"
#include "territory/territory.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The full-text index of the datasets (store_text_*), keyed by uuid. */
#define OD_TEXT_INDEX "opendata"
/* Text hits considered by one search (more than the datasets of a country). */
#define OD_TEXT_HITS 200000

static void new_uuid(char out[37])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* ---- validation ---- */

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool text_ok(const char *s, size_t max)
{
	return s && *s && strlen(s) <= max && text_utf8_valid(s, strlen(s));
}

/* {vi, en} object with both members (en optional when !need_en). */
static void check_bilingual(json_t *o, const char *path, size_t max, bool need_en, json_t *errors)
{
	char p[64];
	if (!json_is_object(o)) {
		mc_errors_add(errors, path, "an object {\"vi\", \"en\"} is required",
		              "cần một đối tượng {\"vi\", \"en\"}");
		return;
	}
	snprintf(p, sizeof p, "%s.vi", path);
	if (!text_ok(str_of(o, "vi"), max))
		mc_errors_add(errors, p, "the Vietnamese text is required (not too long)",
		              "cần nội dung tiếng Việt (không quá dài)");
	snprintf(p, sizeof p, "%s.en", path);
	json_t *en = json_object_get(o, "en");
	if ((need_en || en) && !text_ok(json_string_value(en), max))
		mc_errors_add(errors, p, "the English text is required (not too long)",
		              "cần nội dung tiếng Anh (không quá dài)");
}

static void check_string_list(json_t *a, const char *path, size_t max, json_t *errors)
{
	if (!a)
		return;
	if (!json_is_array(a) || json_array_size(a) > OD_LIST_MAX) {
		mc_errors_add(errors, path, "a list of at most 50 strings is expected",
		              "cần một danh sách tối đa 50 chuỗi");
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (!text_ok(json_string_value(v), max)) {
			char p[80];
			snprintf(p, sizeof p, "%s[%zu]", path, i);
			mc_errors_add(errors, p, "a non-empty string is expected",
			              "cần một chuỗi không rỗng");
		}
	}
}

static void check_resource(json_t *r, const char *path, json_t *errors)
{
	char p[96];
	if (!json_is_object(r)) {
		mc_errors_add(errors, path, "a resource is an object",
		              "tài nguyên phải là đối tượng");
		return;
	}
	snprintf(p, sizeof p, "%s.name", path);
	if (!text_ok(str_of(r, "name"), OD_TITLE_MAX))
		mc_errors_add(errors, p, "a name is required", "cần tên tài nguyên");
	json_t *d = json_object_get(r, "description");
	snprintf(p, sizeof p, "%s.description", path);
	if (d && !json_is_null(d) && !text_ok(json_string_value(d), OD_TEXT_MAX))
		mc_errors_add(errors, p, "the description must be a string of at most 4000 bytes",
		              "mô tả phải là chuỗi tối đa 4000 byte");
	const char *fmt = str_of(r, "format");
	snprintf(p, sizeof p, "%s.format", path);
	if (!fmt || (strcasecmp(fmt, "CSV") != 0 && strcasecmp(fmt, "JSON") != 0)) {
		mc_errors_add(errors, p, "format must be CSV or JSON",
		              "định dạng phải là CSV hoặc JSON");
		return;
	}
	json_t *schema = json_object_get(r, "schema");
	snprintf(p, sizeof p, "%s.schema", path);
	if (strcasecmp(fmt, "CSV") == 0) {
		if (!schema || json_is_null(schema))
			mc_errors_add(errors, p, "a CSV resource needs a Table Schema",
			              "tài nguyên CSV cần lược đồ bảng (Table Schema)");
		else
			od_schema_check(schema, p, errors);
	}
}

/* Validates a merged dataset document; checks references in the store. */
static void check_dataset(store_conn *c, json_t *d, json_t *errors)
{
	json_t *tmp = NULL;
	if (!od_name_ok(str_of(d, "name")))
		mc_errors_add(errors, "$.name",
		              "name must be 2..100 characters of a-z, 0-9, - and _",
		              "tên phải gồm 2..100 ký tự a-z, 0-9, - và _");
	const char *agency = str_of(d, "agency");
	if (!agency || territory_agency_get(c, agency, &tmp, NULL) != MC_OK)
		mc_errors_add(errors, "$.agency", "an existing agency code is required",
		              "cần mã cơ quan đã có");
	json_decref(tmp);
	tmp = NULL;
	check_bilingual(json_object_get(d, "title"), "$.title", OD_TITLE_MAX, true, errors);
	check_bilingual(json_object_get(d, "description"), "$.description", OD_TEXT_MAX, true,
	                errors);
	json_t *kw = json_object_get(d, "keywords");
	if (kw && !json_is_object(kw))
		mc_errors_add(errors, "$.keywords",
		              "keywords is an object {\"vi\": [], \"en\": []}",
		              "keywords là đối tượng {\"vi\": [], \"en\": []}");
	check_string_list(json_object_get(kw, "vi"), "$.keywords.vi", 100, errors);
	check_string_list(json_object_get(kw, "en"), "$.keywords.en", 100, errors);
	json_t *themes = json_object_get(d, "themes");
	check_string_list(themes, "$.themes", 10, errors);
	size_t i;
	json_t *v;
	json_array_foreach(themes, i, v)
	{
		if (json_is_string(v) && !od_theme_find(json_string_value(v))) {
			char p[40];
			snprintf(p, sizeof p, "$.themes[%zu]", i);
			mc_errors_add(errors, p,
			              "not an EU data theme code (AGRI, ECON, ... GOVE ...)",
			              "không phải mã chủ đề dữ liệu EU (AGRI, ECON, ... GOVE ...)");
		}
	}
	if (!od_license_find(str_of(d, "license")))
		mc_errors_add(errors, "$.license",
		              "an open licence is required: CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, "
		              "ODC-BY-1.0, ODbL-1.0 or PDDL-1.0",
		              "cần giấy phép mở: CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, ODC-BY-1.0, "
		              "ODbL-1.0 hoặc PDDL-1.0");
	json_t *spatial = json_object_get(d, "spatial");
	check_string_list(spatial, "$.spatial", 10, errors);
	json_array_foreach(spatial, i, v)
	{
		if (json_is_string(v) &&
		    territory_unit_get(c, json_string_value(v), false, &tmp, NULL) != MC_OK) {
			char p[40];
			snprintf(p, sizeof p, "$.spatial[%zu]", i);
			mc_errors_add(errors, p, "not an administrative-unit code",
			              "không phải mã đơn vị hành chính");
		}
		json_decref(tmp);
		tmp = NULL;
	}
	json_t *temporal = json_object_get(d, "temporal");
	if (temporal && !json_is_null(temporal)) {
		const char *a = str_of(temporal, "start"), *b = str_of(temporal, "end");
		mc_day da, db;
		if (!json_is_object(temporal) || !a || !date_parse(a, &da) ||
		    (b && (!date_parse(b, &db) || db < da)))
			mc_errors_add(
			    errors, "$.temporal",
			    "temporal is {\"start\": date, \"end\": date or absent}, start "
			    "<= end",
			    "temporal là {\"start\": ngày, \"end\": ngày}, start <= end");
	}
	if (!od_frequency_label(str_of(d, "frequency")))
		mc_errors_add(errors, "$.frequency",
		              "an EU frequency code is required (DAILY, WEEKLY, MONTHLY, "
		              "QUARTERLY, ANNUAL, IRREG, ...)",
		              "cần mã tần suất EU (DAILY, WEEKLY, MONTHLY, QUARTERLY, ANNUAL, "
		              "IRREG, ...)");
	json_t *contact = json_object_get(d, "contact");
	if (contact) {
		const char *email = str_of(contact, "email");
		if (!json_is_object(contact) || !text_ok(str_of(contact, "name"), OD_TITLE_MAX) ||
		    (email && (!text_ok(email, 200) || !strchr(email, '@') || strchr(email, ' ') ||
		               strchr(email, '>'))))
			mc_errors_add(
			    errors, "$.contact",
			    "contact is {\"name\", \"email\"} with a valid e-mail address",
			    "contact là {\"name\", \"email\"} với địa chỉ thư hợp lệ");
	}
	json_t *res = json_object_get(d, "resources");
	if (res && (!json_is_array(res) || json_array_size(res) > OD_LIST_MAX)) {
		mc_errors_add(errors, "$.resources", "resources is a list of at most 50",
		              "resources là danh sách tối đa 50 mục");
	} else {
		json_array_foreach(res, i, v)
		{
			char p[40];
			snprintf(p, sizeof p, "$.resources[%zu]", i);
			check_resource(v, p, errors);
		}
	}
}

/* ---- storage ---- */

static const char *const doc_members[] = {"name",     "agency",    "title",   "description",
                                          "keywords", "themes",    "license", "spatial",
                                          "temporal", "frequency", "contact"};

/* Folded searchable text of a dataset document. */
static char *search_text(json_t *d)
{
	mc_buf b = {0};
	const char *keys[] = {"title", "description"};
	for (size_t k = 0; k < 2; k++) {
		json_t *o = json_object_get(d, keys[k]);
		mc_buf_printf(&b, "%s %s ", str_of(o, "vi") ? str_of(o, "vi") : "",
		              str_of(o, "en") ? str_of(o, "en") : "");
	}
	json_t *kw = json_object_get(d, "keywords");
	const char *langs[] = {"vi", "en"};
	for (size_t l = 0; l < 2; l++) {
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(kw, langs[l]), i, v)
		    mc_buf_printf(&b, "%s ", json_string_value(v));
	}
	mc_buf_printf(&b, "%s %s", str_of(d, "name"), str_of(d, "agency"));
	char *f = text_fold(mc_buf_cstr(&b));
	mc_buf_free(&b);
	return f;
}

static char *bar_list(json_t *a, const char *member)
{
	mc_buf b = {0};
	mc_buf_puts(&b, "|");
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		const char *s = member ? str_of(v, member) : json_string_value(v);
		if (!s)
			continue;
		char *l = mc_xstrdup(s);
		lower(l);
		char needle[64];
		snprintf(needle, sizeof needle, "|%s|", l);
		if (!strstr(mc_buf_cstr(&b), needle))
			mc_buf_printf(&b, "%s|", l);
		free(l);
	}
	char *s = mc_xstrdup(mc_buf_cstr(&b));
	mc_buf_free(&b);
	return s;
}

static mc_err resource_rows(store_conn *c, int64_t dataset_id, json_t **out)
{
	store_stmt *st;
	*out = json_array();
	mc_err e = store_prepare(
	    c,
	    "SELECT r.uuid, r.format, r.version, r.created_at, r.modified_at, r.doc, v.size, "
	    "v.sha256, v.rows_count, v.created_at FROM od_resource r LEFT JOIN "
	    "od_resource_version v ON v.resource_id = r.id AND v.version = r.version "
	    "WHERE r.dataset_id = ?1 AND r.removed_at IS NULL ORDER BY r.position",
	    &st);
	if (e)
		return e;
	store_bind_int(st, 1, dataset_id);
	bool row;
	while ((e = store_step(st, &row)) == MC_OK && row) {
		json_t *doc = json_loads(store_col_text(st, 5), 0, NULL);
		if (!doc)
			doc = json_object();
		json_object_set_new(doc, "id", json_string(store_col_text(st, 0)));
		json_object_set_new(doc, "format", json_string(store_col_text(st, 1)));
		json_object_set_new(doc, "version", json_integer(store_col_int(st, 2)));
		json_object_set_new(doc, "created", json_string(store_col_text(st, 3)));
		json_object_set_new(doc, "modified", json_string(store_col_text(st, 4)));
		if (!json_object_get(doc, "schema"))
			json_object_set_new(doc, "schema", json_null());
		if (!json_object_get(doc, "description"))
			json_object_set_new(doc, "description", json_null());
		bool has = !store_col_null(st, 6);
		json_object_set_new(doc, "size",
		                    has ? json_integer(store_col_int(st, 6)) : json_null());
		json_object_set_new(doc, "sha256",
		                    has ? json_string(store_col_text(st, 7)) : json_null());
		json_object_set_new(doc, "rows",
		                    has && store_col_int(st, 8) >= 0
		                        ? json_integer(store_col_int(st, 8))
		                        : json_null());
		json_object_set_new(doc, "content_modified",
		                    has ? json_string(store_col_text(st, 9)) : json_null());
		json_array_append_new(*out, doc);
	}
	store_finish(st);
	return e;
}

/* Loads a dataset row by name or uuid: *id and the document (with
 * resources). */
static mc_err load(store_conn *c, const char *key, int64_t *id, json_t **out, mc_diag *diag)
{
	store_stmt *st;
	*out = NULL;
	mc_err e = store_prepare(c,
	                         "SELECT id, uuid, created_at, modified_at, generated, doc, "
	                         "row_version FROM od_dataset WHERE name = ?1 OR uuid = ?1",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, key);
	bool row;
	e = store_step(st, &row);
	if (!e && !row)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có bộ dữ liệu này.",
		             "no dataset %.100s", key);
	if (!e) {
		json_t *doc = json_loads(store_col_text(st, 5), 0, NULL);
		if (!doc)
			doc = json_object();
		*id = store_col_int(st, 0);
		json_object_set_new(doc, "id", json_string(store_col_text(st, 1)));
		json_object_set_new(doc, "created", json_string(store_col_text(st, 2)));
		json_object_set_new(doc, "modified", json_string(store_col_text(st, 3)));
		json_object_set_new(doc, "generated", json_boolean(store_col_int(st, 4)));
		json_object_set_new(doc, "revision", json_integer(store_col_int(st, 6)));
		*out = doc;
	}
	store_finish(st);
	if (e)
		return e;
	json_t *res;
	e = resource_rows(c, *id, &res);
	if (e) {
		json_decref(*out);
		*out = NULL;
		return e;
	}
	json_object_set_new(*out, "resources", res);
	return MC_OK;
}

mc_err opendata_dataset_get(store_conn *c, const char *key, json_t **out, mc_diag *diag)
{
	int64_t id;
	return load(c, key, &id, out, diag);
}

mc_err opendata_change_add(store_conn *c, const char *uuid, const char *name, const char *agency,
                           const char *action)
{
	char ts[32];
	const char *p[] = {uuid, name, agency, action, ts_format(ts_now(), ts)};
	return store_execv(c,
	                   "INSERT INTO od_change (dataset_uuid, name, agency, action, at) VALUES "
	                   "(?1, ?2, ?3, ?4, ?5)",
	                   5, p);
}

/* Writes the resources of `res` for dataset `id`: listed ids are kept (their
 * metadata updated), new entries created, others removed from the list as
 * CKAN's package_update does. A removed resource is marked, not deleted:
 * its row gets removed_at (so no list, search, facet or upload sees it any
 * more) and its stored versions stay downloadable by
 * /resources/{id}/download?version=N. */
static mc_err save_resources(store_conn *c, int64_t id, json_t *res, const char *now)
{
	store_stmt *st;
	mc_err e = MC_OK;
	/* drop the rows not listed */
	json_t *keep = json_object();
	size_t i;
	json_t *r;
	json_array_foreach(res, i, r)
	{
		if (str_of(r, "id"))
			json_object_set_new(keep, str_of(r, "id"), json_true());
	}
	json_t *old;
	e = resource_rows(c, id, &old);
	json_array_foreach(old, i, r)
	{
		if (e || json_object_get(keep, str_of(r, "id")))
			continue;
		store_stmt *del;
		e = store_prepare(c,
		                  "UPDATE od_resource SET removed_at = ?2, modified_at = ?2 WHERE "
		                  "uuid = ?1",
		                  &del);
		if (!e) {
			store_bind_text(del, 1, str_of(r, "id"));
			store_bind_text(del, 2, now);
			bool row;
			e = store_step(del, &row);
			store_finish(del);
		}
	}
	json_decref(old);
	json_decref(keep);
	json_array_foreach(res, i, r)
	{
		if (e)
			break;
		json_t *doc = json_object();
		json_object_set(doc, "name", json_object_get(r, "name"));
		json_t *desc = json_object_get(r, "description");
		json_object_set_new(doc, "description", desc ? json_incref(desc) : json_null());
		json_t *schema = json_object_get(r, "schema");
		json_object_set_new(doc, "schema", schema ? json_incref(schema) : json_null());
		char *ds = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(doc);
		char fmt[8];
		snprintf(fmt, sizeof fmt, "%s", str_of(r, "format"));
		for (char *q = fmt; *q; q++)
			*q = (char)toupper((unsigned char)*q);
		const char *rid = str_of(r, "id");
		bool updated = false;
		if (rid) {
			e = store_prepare(
			    c,
			    "UPDATE od_resource SET position = ?2, format = ?3, doc = ?4, "
			    "modified_at = ?5 WHERE uuid = ?1 AND dataset_id = ?6 AND removed_at "
			    "IS NULL",
			    &st);
			if (!e) {
				store_bind_text(st, 1, rid);
				store_bind_int(st, 2, (int64_t)i);
				store_bind_text(st, 3, fmt);
				store_bind_text(st, 4, ds);
				store_bind_text(st, 5, now);
				store_bind_int(st, 6, id);
				bool row;
				e = store_step(st, &row);
				store_finish(st);
				updated = store_changes(c) > 0;
			}
		}
		if (!e && !updated) {
			char uuid[37];
			new_uuid(uuid);
			json_object_set_new(r, "id", json_string(uuid));
			e = store_prepare(
			    c,
			    "INSERT INTO od_resource (uuid, dataset_id, position, format, "
			    "version, created_at, modified_at, doc) VALUES (?1, ?2, ?3, "
			    "?4, 0, ?5, ?5, ?6)",
			    &st);
			if (!e) {
				store_bind_text(st, 1, uuid);
				store_bind_int(st, 2, id);
				store_bind_int(st, 3, (int64_t)i);
				store_bind_text(st, 4, fmt);
				store_bind_text(st, 5, now);
				store_bind_text(st, 6, ds);
				bool row;
				e = store_step(st, &row);
				store_finish(st);
			}
		}
		free(ds);
	}
	return e;
}

static mc_err save_tags(store_conn *c, int64_t id, json_t *d)
{
	store_stmt *st;
	mc_err e = store_prepare(c, "DELETE FROM od_tag WHERE dataset_id = ?1", &st);
	if (e)
		return e;
	store_bind_int(st, 1, id);
	bool row;
	e = store_step(st, &row);
	store_finish(st);
	json_t *kw = json_object_get(d, "keywords");
	const char *langs[] = {"vi", "en"};
	for (size_t l = 0; !e && l < 2; l++) {
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(kw, langs[l]), i, v)
		{
			e = store_prepare(c,
			                  "INSERT INTO od_tag (dataset_id, tag) VALUES (?1, ?2) ON "
			                  "CONFLICT (dataset_id, tag) DO NOTHING",
			                  &st);
			if (e)
				break;
			store_bind_int(st, 1, id);
			store_bind_text(st, 2, json_string_value(v));
			e = store_step(st, &row);
			store_finish(st);
			if (e)
				break;
		}
	}
	return e;
}

/* Refreshes the formats column of dataset `id` from its resources. */
static mc_err save_formats(store_conn *c, int64_t id)
{
	json_t *res;
	mc_err e = resource_rows(c, id, &res);
	if (e)
		return e;
	char *formats = bar_list(res, "format");
	store_stmt *st;
	e = store_prepare(c, "UPDATE od_dataset SET formats = ?2 WHERE id = ?1", &st);
	if (!e) {
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, formats);
		bool row;
		e = store_step(st, &row);
		store_finish(st);
	}
	free(formats);
	json_decref(res);
	return e;
}

typedef struct save_ctx {
	const mc_principal *who; /* NULL: system */
	const char *key;         /* NULL: create */
	json_t *body;
	bool patch;
	json_t *out;
} save_ctx;

static bool may_write(const mc_principal *who, const char *agency)
{
	if (!who || who->role == ROLE_ADMIN)
		return true;
	return who->role == ROLE_OFFICER && agency && strcmp(who->agency, agency) == 0;
}

static mc_err save_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	save_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *old = NULL, *d = NULL, *errors = NULL;
	int64_t id = 0;
	char now[32];
	ts_format(ts_now(), now);
	mc_err e = MC_OK;
	if (x->key) {
		e = load(c, x->key, &id, &old, diag);
		if (e)
			goto out;
		if (!may_write(x->who, str_of(old, "agency"))) {
			e = mc_fail2(
			    diag, MC_ERR_FORBIDDEN,
			    "Chỉ cán bộ của cơ quan sở hữu hoặc quản trị viên được sửa bộ dữ "
			    "liệu này.",
			    "only officers of the owning agency or admins may change this "
			    "dataset");
			goto out;
		}
	}
	/* merged document: the old members (patch, or update without them)
	 * overlaid by the body's members */
	d = json_object();
	for (size_t i = 0; i < sizeof doc_members / sizeof doc_members[0]; i++) {
		json_t *v = json_object_get(x->body, doc_members[i]);
		if (!v && old &&
		    (x->patch || strcmp(doc_members[i], "name") == 0 ||
		     strcmp(doc_members[i], "agency") == 0))
			v = json_object_get(old, doc_members[i]);
		if (v)
			json_object_set(d, doc_members[i], v);
	}
	if (!json_object_get(d, "frequency"))
		json_object_set_new(d, "frequency", json_string("IRREG"));
	json_t *res = json_object_get(x->body, "resources");
	if (res)
		json_object_set(d, "resources", res);
	if (!json_object_get(d, "contact") && str_of(d, "agency")) {
		json_t *ag = NULL;
		if (territory_agency_get(c, str_of(d, "agency"), &ag, NULL) == MC_OK)
			json_object_set_new(
			    d, "contact", json_pack("{s:O}", "name", json_object_get(ag, "name")));
		json_decref(ag);
	}
	errors = json_array();
	check_dataset(c, d, errors);
	if (json_array_size(errors)) {
		mc_diag_ext(diag, "errors", json_incref(errors));
		e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Siêu dữ liệu bộ dữ liệu không hợp lệ.",
		             "the dataset metadata is invalid");
		goto out;
	}
	if (!may_write(x->who, str_of(d, "agency"))) {
		e = mc_fail2(diag, MC_ERR_FORBIDDEN,
		             "Cán bộ chỉ được công bố dữ liệu của cơ quan mình.",
		             "officers publish only their own agency's datasets");
		goto out;
	}
	/* name taken by another dataset? */
	{
		store_stmt *st;
		e = store_prepare(c, "SELECT id FROM od_dataset WHERE name = ?1", &st);
		if (e)
			goto out;
		store_bind_text(st, 1, str_of(d, "name"));
		bool row;
		e = store_step(st, &row);
		bool taken = !e && row && store_col_int(st, 0) != id;
		store_finish(st);
		if (!e && taken) {
			json_t *errs = json_array();
			mc_errors_add(errs, "$.name", "That URL is already in use.",
			              "Tên (URL) này đã được dùng.");
			mc_diag_ext(diag, "errors", errs);
			e = mc_fail2(diag, MC_ERR_CONFLICT, "Tên bộ dữ liệu đã được dùng.",
			             "the dataset name is already in use");
		}
		if (e)
			goto out;
	}
	json_t *resources = json_object_get(d, "resources");
	json_incref(resources);
	json_object_del(d, "resources");
	char *doc = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	char *title = text_fold(str_of(json_object_get(d, "title"), "vi"));
	char *stext = search_text(d);
	char *themes = bar_list(json_object_get(d, "themes"), NULL);
	bool generated = !x->who;
	store_stmt *st;
	char uuid[37];
	if (!old) {
		new_uuid(uuid);
		e = store_prepare(
		    c,
		    "INSERT INTO od_dataset (uuid, name, agency, title_sort, license_id, formats, "
		    "themes, search_text, generated, created_at, modified_at, row_version, doc) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, '||', ?6, ?7, ?8, ?9, ?9, 1, ?10) RETURNING id",
		    &st);
	} else {
		snprintf(uuid, sizeof uuid, "%s", str_of(old, "id"));
		e = store_prepare(
		    c,
		    "UPDATE od_dataset SET name = ?2, agency = ?3, title_sort = ?4, "
		    "license_id = ?5, themes = ?6, search_text = ?7, generated = ?8, "
		    "modified_at = ?9, row_version = row_version + 1, doc = ?10 WHERE "
		    "uuid = ?1 RETURNING id",
		    &st);
	}
	if (!e) {
		store_bind_text(st, 1, uuid);
		store_bind_text(st, 2, str_of(d, "name"));
		store_bind_text(st, 3, str_of(d, "agency"));
		store_bind_text(st, 4, title);
		store_bind_text(st, 5, str_of(d, "license"));
		store_bind_text(st, 6, themes);
		store_bind_text(st, 7, stext);
		store_bind_int(st, 8, generated ? 1 : 0);
		store_bind_text(st, 9, now);
		store_bind_text(st, 10, doc);
		bool row;
		e = store_step(st, &row);
		if (!e && row)
			id = store_col_int(st, 0);
		store_finish(st);
	}
	if (!e)
		e = store_text_put(c, OD_TEXT_INDEX, uuid, stext);
	free(doc);
	free(title);
	free(stext);
	free(themes);
	if (!e)
		e = save_tags(c, id, d);
	if (!e && resources)
		e = save_resources(c, id, resources, now);
	json_decref(resources);
	if (!e)
		e = save_formats(c, id);
	if (!e)
		e = opendata_change_add(c, uuid, str_of(d, "name"), str_of(d, "agency"),
		                        old ? "updated" : "created");
	if (!e) {
		json_t *detail = json_pack("{s:s,s:s}", "id", uuid, "agency", str_of(d, "agency"));
		e = audit_append(c, x->who ? x->who->username : NULL,
		                 old ? "opendata.dataset.update" : "opendata.dataset.create",
		                 str_of(d, "name"), detail);
		json_decref(detail);
	}
	if (!e)
		e = load(c, uuid, &id, &x->out, diag);
out:
	json_decref(old);
	json_decref(d);
	json_decref(errors);
	return e;
}

mc_err opendata_dataset_save(mc_app *app, const mc_principal *who, const char *key, json_t *body,
                             bool patch, json_t **out, mc_diag *diag)
{
	if (!who || who->role < ROLE_OFFICER)
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Chỉ cán bộ hoặc quản trị viên được công bố dữ liệu.",
		                "only officers and admins publish datasets");
	save_ctx x = {.who = who, .key = key, .body = body, .patch = patch};
	mc_err e = store_write(app->db, save_fn, &x, diag);
	*out = e ? NULL : x.out;
	if (e)
		json_decref(x.out);
	return e;
}

static mc_err exists_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	json_t *d = NULL;
	mc_err e = opendata_dataset_get(c, ctx, &d, NULL);
	json_decref(d);
	return e;
}

mc_err opendata_dataset_save_system(mc_app *app, const char *key, json_t *body, json_t **out,
                                    mc_diag *diag)
{
	bool exists = store_read(app->db, exists_fn, (void *)key, NULL) == MC_OK;
	save_ctx x = {.who = NULL, .key = exists ? key : NULL, .body = body, .patch = false};
	mc_err e = store_write(app->db, save_fn, &x, diag);
	if (out)
		*out = e ? NULL : json_incref(x.out);
	json_decref(x.out);
	return e;
}

typedef struct res_ctx {
	const mc_principal *who;
	const char *key;
	json_t *body, *out;
} res_ctx;

static mc_err res_add_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	res_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *d = NULL;
	int64_t id;
	mc_err e = load(c, x->key, &id, &d, diag);
	if (e)
		return e;
	if (!may_write(x->who, str_of(d, "agency"))) {
		json_decref(d);
		return mc_fail2(
		    diag, MC_ERR_FORBIDDEN,
		    "Chỉ cán bộ của cơ quan sở hữu hoặc quản trị viên được sửa bộ dữ "
		    "liệu này.",
		    "only officers of the owning agency or admins may change this dataset");
	}
	json_t *errors = json_array();
	check_resource(x->body, "$", errors);
	json_t *res = json_object_get(d, "resources");
	if (json_array_size(res) >= OD_LIST_MAX)
		mc_errors_add(errors, "$", "a dataset has at most 50 resources",
		              "một bộ dữ liệu có tối đa 50 tài nguyên");
	if (json_array_size(errors)) {
		mc_diag_ext(diag, "errors", errors);
		json_decref(d);
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Tài nguyên không hợp lệ.",
		                "the resource is invalid");
	}
	json_decref(errors);
	json_t *r = json_deep_copy(x->body);
	json_object_del(r, "id");
	json_array_append_new(res, r);
	char now[32];
	ts_format(ts_now(), now);
	e = save_resources(c, id, res, now);
	if (!e)
		e = save_formats(c, id);
	const char *rid = str_of(r, "id");
	char *rid_copy = rid ? mc_xstrdup(rid) : NULL;
	if (!e) {
		store_stmt *st;
		e = store_prepare(
		    c,
		    "UPDATE od_dataset SET modified_at = ?2, row_version = row_version + 1 "
		    "WHERE id = ?1",
		    &st);
		if (!e) {
			store_bind_int(st, 1, id);
			store_bind_text(st, 2, now);
			bool row;
			e = store_step(st, &row);
			store_finish(st);
		}
	}
	if (!e)
		e = opendata_change_add(c, str_of(d, "id"), str_of(d, "name"), str_of(d, "agency"),
		                        "resource");
	if (!e) {
		json_t *detail = json_pack("{s:s}", "dataset", str_of(d, "name"));
		e = audit_append(c, x->who ? x->who->username : NULL, "opendata.resource.create",
		                 rid_copy, detail);
		json_decref(detail);
	}
	if (!e)
		e = opendata_resource_get(c, rid_copy, false, &x->out, diag);
	free(rid_copy);
	json_decref(d);
	return e;
}

mc_err opendata_resource_add(mc_app *app, const mc_principal *who, const char *key, json_t *body,
                             json_t **out, mc_diag *diag)
{
	if (!who || who->role < ROLE_OFFICER)
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Chỉ cán bộ hoặc quản trị viên được công bố dữ liệu.",
		                "only officers and admins publish datasets");
	res_ctx x = {.who = who, .key = key, .body = body};
	mc_err e = store_write(app->db, res_add_fn, &x, diag);
	*out = e ? NULL : x.out;
	if (e)
		json_decref(x.out);
	return e;
}

mc_err opendata_resource_get(store_conn *c, const char *id, bool versions, json_t **out,
                             mc_diag *diag)
{
	store_stmt *st;
	*out = NULL;
	mc_err e = store_prepare(c,
	                         "SELECT d.uuid, r.id FROM od_resource r JOIN od_dataset d ON d.id "
	                         "= r.dataset_id WHERE r.uuid = ?1 AND r.removed_at IS NULL",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, id);
	bool row;
	e = store_step(st, &row);
	char *duuid = !e && row ? mc_xstrdup(store_col_text(st, 0)) : NULL;
	int64_t rid = !e && row ? store_col_int(st, 1) : 0;
	store_finish(st);
	if (!e && !duuid)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có tài nguyên này.",
		                "no resource %.100s", id);
	json_t *d = NULL;
	if (!e)
		e = opendata_dataset_get(c, duuid, &d, diag);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(d, "resources"), i, r)
	{
		if (strcmp(str_of(r, "id"), id) == 0)
			*out = json_incref(r);
	}
	if (*out) {
		json_object_set_new(*out, "dataset", json_string(str_of(d, "name")));
		json_object_set_new(*out, "dataset_id", json_string(duuid));
		json_object_set_new(*out, "agency", json_string(str_of(d, "agency")));
	}
	json_decref(d);
	free(duuid);
	if (!e && *out && versions) {
		json_t *vs = json_array();
		e = store_prepare(
		    c,
		    "SELECT version, size, sha256, rows_count, created_at, created_by "
		    "FROM od_resource_version WHERE resource_id = ?1 ORDER BY version "
		    "DESC LIMIT 100",
		    &st);
		if (!e) {
			store_bind_int(st, 1, rid);
			while ((e = store_step(st, &row)) == MC_OK && row) {
				int64_t rows = store_col_int(st, 3);
				json_array_append_new(
				    vs, json_pack("{s:I,s:I,s:s,s:o,s:s,s:s}", "version",
				                  (json_int_t)store_col_int(st, 0), "size",
				                  (json_int_t)store_col_int(st, 1), "sha256",
				                  store_col_text(st, 2), "rows",
				                  rows >= 0 ? json_integer(rows) : json_null(),
				                  "created", store_col_text(st, 4), "created_by",
				                  store_col_text(st, 5)));
			}
			store_finish(st);
		}
		json_object_set_new(*out, "versions", vs);
	}
	if (e) {
		json_decref(*out);
		*out = NULL;
	}
	return e;
}

/* ---- search ---- */

typedef struct sqlq {
	mc_buf where;
	char *binds[64];
	int nb;
} sqlq;

static int bind_add(sqlq *s, char *v)
{
	if (s->nb >= 64) {
		free(v);
		return 64;
	}
	s->binds[s->nb++] = v;
	return s->nb;
}

static void sqlq_free(sqlq *s)
{
	mc_buf_free(&s->where);
	for (int i = 0; i < s->nb; i++)
		free(s->binds[i]);
}

static mc_err add_words(sqlq *s, const char *words)
{
	if (!words)
		return MC_OK;
	char *f = text_fold(words);
	char *save = NULL;
	int n = 0;
	for (char *w = strtok_r(f, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (++n > 8)
			break;
		for (char *p = w; *p; p++)
			if (*p == '%' || *p == '_')
				*p = ' ';
		int k = bind_add(s, mc_xasprintf("%%%s%%", w));
		mc_buf_printf(&s->where, " AND d.search_text LIKE ?%d", k);
	}
	free(f);
	return MC_OK;
}

static mc_err add_term(sqlq *s, const od_term *t, mc_diag *diag)
{
	const char *f = t->field;
	if (strcmp(f, "metadata_modified") == 0 || strcmp(f, "metadata_created") == 0) {
		const char *col = f[9] == 'm' ? "d.modified_at" : "d.created_at";
		char lo[21], hi[21];
		const char *a = t->value ? t->value : t->lo, *b = t->value ? t->value : t->hi;
		if ((a && !od_date_bound(a, lo)) || (b && !od_date_bound(b, hi)))
			return mc_fail(diag, MC_ERR_INVALID,
			               "%s needs dates like 2026-03-01T00:00:00Z", f);
		if (a)
			mc_buf_printf(&s->where, " AND %s >= ?%d", col,
			              bind_add(s, mc_xstrdup(lo)));
		if (b)
			mc_buf_printf(&s->where, " AND %s <= ?%d", col,
			              bind_add(s, mc_xstrdup(hi)));
		return MC_OK;
	}
	if (!t->value)
		return mc_fail(diag, MC_ERR_INVALID, "ranges apply only to dates (%s)", f);
	if (strcmp(f, "name") == 0) {
		mc_buf_printf(&s->where, " AND d.name = ?%d", bind_add(s, mc_xstrdup(t->value)));
	} else if (strcmp(f, "id") == 0) {
		mc_buf_printf(&s->where, " AND d.uuid = ?%d", bind_add(s, mc_xstrdup(t->value)));
	} else if (strcmp(f, "title") == 0 || strcmp(f, "text") == 0 || strcmp(f, "notes") == 0) {
		return add_words(s, t->value);
	} else if (strcmp(f, "tags") == 0) {
		mc_buf_printf(
		    &s->where,
		    " AND EXISTS (SELECT 1 FROM od_tag t WHERE t.dataset_id = d.id AND t.tag "
		    "= ?%d)",
		    bind_add(s, mc_xstrdup(t->value)));
	} else if (strcmp(f, "organization") == 0 || strcmp(f, "owner_org") == 0) {
		char *v = mc_xstrdup(t->value);
		for (char *p = v; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		mc_buf_printf(&s->where, " AND d.agency = ?%d", bind_add(s, v));
	} else if (strcmp(f, "res_format") == 0 || strcmp(f, "groups") == 0) {
		char *v = mc_xstrdup(t->value);
		lower(v);
		for (char *p = v; *p; p++)
			if (*p == '%' || *p == '_' || *p == '|')
				*p = ' ';
		mc_buf_printf(&s->where, " AND d.%s LIKE ?%d", f[0] == 'r' ? "formats" : "themes",
		              bind_add(s, mc_xasprintf("%%|%s|%%", v)));
		free(v);
	} else if (strcmp(f, "license_id") == 0) {
		mc_buf_printf(&s->where, " AND d.license_id = ?%d",
		              bind_add(s, mc_xstrdup(t->value)));
	}
	return MC_OK;
}

static mc_err order_by(const char *sort, mc_buf *out, mc_diag *diag)
{
	mc_buf_puts(out, " ORDER BY ");
	if (!sort || !*sort)
		sort = "score desc, metadata_modified desc";
	char *s = mc_xstrdup(sort), *save = NULL;
	int n = 0;
	mc_err e = MC_OK;
	for (char *part = strtok_r(s, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		char field[40] = "", dir[8] = "asc";
		if (sscanf(part, " %39s %7s", field, dir) < 1 ||
		    (strcasecmp(dir, "asc") != 0 && strcasecmp(dir, "desc") != 0)) {
			e = mc_fail(diag, MC_ERR_INVALID, "bad sort \"%.80s\"", sort);
			break;
		}
		const char *col = strcmp(field, "id") == 0                  ? "d.uuid"
		                  : strcmp(field, "name") == 0              ? "d.name"
		                  : strcmp(field, "metadata_modified") == 0 ? "d.modified_at"
		                  : strcmp(field, "metadata_created") == 0  ? "d.created_at"
		                  : strcmp(field, "title_string") == 0      ? "d.title_sort"
		                  : strcmp(field, "score") == 0             ? ""
		                                                            : NULL;
		if (!col) {
			e = mc_fail(diag, MC_ERR_INVALID, "cannot sort by %.40s", field);
			break;
		}
		if (!*col)
			continue;
		mc_buf_printf(out, "%s%s %s", n++ ? ", " : "", col,
		              strcasecmp(dir, "desc") == 0 ? "DESC" : "ASC");
	}
	free(s);
	mc_buf_printf(out, "%sd.uuid ASC", n ? ", " : "");
	return e;
}

static void bind_all(store_stmt *st, sqlq *s)
{
	for (int i = 0; i < s->nb; i++)
		store_bind_text(st, i + 1, s->binds[i]);
}

typedef struct search_ctx {
	const od_query *q;
	sqlq s;
	const char *order;
	char *fts;     /* folded free words of q, matched by the text index */
	int score_dir; /* 1: score desc first, -1: score asc first, 0: no score */
	json_t *result;
} search_ctx;

static void facet_count(json_t *facet, const char *value)
{
	json_t *n = json_object_get(facet, value);
	json_object_set_new(facet, value, json_integer(n ? json_integer_value(n) + 1 : 1));
}

static bool wants(const od_query *q, const char *field)
{
	for (int f = 0; f < q->nfacets; f++)
		if (strcmp(q->facets[f], field) == 0)
			return true;
	return false;
}

/* Adds each member of a "|a|b|" list to facet (upper-cased when `upper`). */
static void count_bars(json_t *facet, const char *v, bool upper)
{
	char *copy = mc_xstrdup(v ? v : ""), *save = NULL;
	for (char *p = strtok_r(copy, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
		if (upper)
			for (char *u = p; *u; u++)
				*u = (char)toupper((unsigned char)*u);
		facet_count(facet, p);
	}
	free(copy);
}

/* Facets: one scan of the matching rows for organization, license_id,
 * res_format and groups (which also gives the count), and one grouped
 * query for tags. Unknown facet fields answer an empty facet. *count is
 * set when the scan ran (-1 otherwise). */
static mc_err facets(store_conn *c, search_ctx *x, json_t *out, int64_t *count)
{
	mc_err e = MC_OK;
	*count = -1;
	for (int f = 0; f < x->q->nfacets; f++)
		json_object_set_new(out, x->q->facets[f], json_object());
	bool org = wants(x->q, "organization"), lic = wants(x->q, "license_id"),
	     fmt = wants(x->q, "res_format"), grp = wants(x->q, "groups");
	store_stmt *st;
	bool row;
	if (org || lic || fmt || grp) {
		char *sql = mc_xasprintf("SELECT d.agency, d.license_id, d.formats, d.themes FROM "
		                         "od_dataset d WHERE 1 = 1%s",
		                         mc_buf_cstr(&x->s.where));
		e = store_prepare(c, sql, &st);
		free(sql);
		if (e)
			return e;
		bind_all(st, &x->s);
		int64_t n = 0;
		while ((e = store_step(st, &row)) == MC_OK && row) {
			n++;
			if (org) {
				char *l = mc_xstrdup(store_col_text(st, 0));
				lower(l);
				facet_count(json_object_get(out, "organization"), l);
				free(l);
			}
			if (lic)
				facet_count(json_object_get(out, "license_id"),
				            store_col_text(st, 1));
			if (fmt)
				count_bars(json_object_get(out, "res_format"),
				           store_col_text(st, 2), true);
			if (grp)
				count_bars(json_object_get(out, "groups"), store_col_text(st, 3),
				           false);
		}
		store_finish(st);
		if (e)
			return e;
		*count = n;
	}
	if (wants(x->q, "tags")) {
		/* the 50 most used tags, like Solr's default facet.limit */
		/* the matching ids first (one scan), then their tags by key */
		char *sql =
		    mc_xasprintf("SELECT t.tag, count(*) FROM od_tag t WHERE t.dataset_id IN "
		                 "(SELECT d.id FROM od_dataset d WHERE 1 = 1%s) GROUP BY t.tag "
		                 "ORDER BY count(*) DESC, t.tag LIMIT 50",
		                 mc_buf_cstr(&x->s.where));
		e = store_prepare(c, sql, &st);
		free(sql);
		if (e)
			return e;
		bind_all(st, &x->s);
		json_t *facet = json_object_get(out, "tags");
		while ((e = store_step(st, &row)) == MC_OK && row)
			json_object_set_new(facet, store_col_text(st, 0),
			                    json_integer(store_col_int(st, 1)));
		store_finish(st);
	}
	return e;
}

/* Datasets by (uuid, row_version): a row version names one immutable state
 * of the dataset and its resources (every change bumps it in the same
 * write), so the loaded JSON can be shared between requests. */
static jcache dataset_cache = JCACHE_INIT(4096);

/* The dataset `uuid` at `rv` (a new reference to a value that must not be
 * modified). */
static json_t *cached_get(store_conn *c, const char *uuid, int64_t rv, mc_err *e, mc_diag *diag)
{
	char key[128];
	snprintf(key, sizeof key, "%llu|%s|%lld", (unsigned long long)store_conn_instance(c), uuid,
	         (long long)rv);
	json_t *d = jcache_get(&dataset_cache, key);
	if (d)
		return d;
	*e = opendata_dataset_get(c, uuid, &d, diag);
	if (*e)
		return NULL;
	if (!store_conn_writable(c))
		jcache_put(&dataset_cache, key, d);
	return d;
}

/* Text hits, best first: uuid -> rank class (1 = best; equal ranks share a
 * class, so ties fall back to the other sort keys). */
typedef struct hit_ctx {
	json_t *pos;
	int64_t n;
	double last;
} hit_ctx;

static bool on_hit(const char *key, double rank, void *vctx)
{
	hit_ctx *h = vctx;
	if (h->n == 0 || rank != h->last) {
		h->n++;
		h->last = rank;
	}
	json_object_set_new(h->pos, key, json_integer(h->n));
	return true;
}

typedef struct hit_row {
	char uuid[40];
	int64_t rv, rank, seq, id;
} hit_row;

static int hit_cmp(const void *a, const void *b)
{
	const hit_row *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int tag_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t nx = json_integer_value(json_array_get(x, 1)),
	           ny = json_integer_value(json_array_get(y, 1));
	if (nx != ny)
		return nx > ny ? -1 : 1;
	return strcmp(json_string_value(json_array_get(x, 0)),
	              json_string_value(json_array_get(y, 0)));
}

/* The keyset clause of a search that continues after a dataset uuid, with
 * its placeholder numbered `n` (empty when the search starts at the top).
 * Fills `buf` and returns it. */
static const char *after_clause(const search_ctx *x, int n, char *buf, size_t size)
{
	if (x->q->after)
		snprintf(buf, size, " AND d.uuid > ?%d", n);
	else
		buf[0] = '\0';
	return buf;
}

/* Search with free words in q: the text index gives the matching datasets
 * and their rank; one scan of the rows that pass the filters (in the sort
 * order of the other keys) keeps the hits, counts them and their facets;
 * the hits are then ordered by rank when the sort starts with score, and
 * the page is cut. */
static mc_err search_text_fn(store_conn *c, search_ctx *x, mc_diag *diag)
{
	hit_ctx h = {.pos = json_object()};
	hit_row *rows = NULL;
	size_t n = 0, cap = 0;
	json_t *kept_ids = json_object();
	json_t *fac = json_object_get(x->result, "facets");
	store_stmt *st = NULL;
	bool row;
	int k = x->s.nb;
	mc_err e = store_text_search(c, OD_TEXT_INDEX, x->fts, OD_TEXT_HITS, 0, on_hit, &h);
	if (e)
		goto out;
	for (int f = 0; f < x->q->nfacets; f++)
		json_object_set_new(fac, x->q->facets[f], json_object());
	char after[32];
	char *sql = mc_xasprintf("SELECT d.uuid, d.row_version, d.agency, d.license_id, "
	                         "d.formats, d.themes, d.id FROM od_dataset d WHERE 1 = 1%s%s%s",
	                         mc_buf_cstr(&x->s.where),
	                         after_clause(x, k + 1, after, sizeof after), x->order);
	e = store_prepare(c, sql, &st);
	free(sql);
	if (e)
		goto out;
	bind_all(st, &x->s);
	if (x->q->after)
		store_bind_text(st, k + 1, x->q->after);
	while ((e = store_step(st, &row)) == MC_OK && row) {
		json_t *r = json_object_get(h.pos, store_col_text(st, 0));
		if (!r)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			rows = mc_xrealloc(rows, cap * sizeof *rows);
		}
		hit_row *hr = &rows[n];
		snprintf(hr->uuid, sizeof hr->uuid, "%s", store_col_text(st, 0));
		hr->rv = store_col_int(st, 1);
		/* signed by the direction: ascending order = the wanted order */
		hr->rank = json_integer_value(r) * (x->score_dir < 0 ? -1 : 1);
		hr->seq = (int64_t)n;
		hr->id = store_col_int(st, 6);
		n++;
		if (wants(x->q, "organization")) {
			char *l = mc_xstrdup(store_col_text(st, 2));
			lower(l);
			facet_count(json_object_get(fac, "organization"), l);
			free(l);
		}
		if (wants(x->q, "license_id"))
			facet_count(json_object_get(fac, "license_id"), store_col_text(st, 3));
		if (wants(x->q, "res_format"))
			count_bars(json_object_get(fac, "res_format"), store_col_text(st, 4), true);
		if (wants(x->q, "groups"))
			count_bars(json_object_get(fac, "groups"), store_col_text(st, 5), false);
		if (wants(x->q, "tags")) {
			char key[24];
			snprintf(key, sizeof key, "%lld", (long long)hr->id);
			json_object_set_new(kept_ids, key, json_true());
		}
	}
	store_finish(st);
	st = NULL;
	if (e)
		goto out;
	if (wants(x->q, "tags") && n) {
		/* the 50 most used tags of the hits */
		sql = mc_xasprintf("SELECT t.dataset_id, t.tag FROM od_tag t WHERE t.dataset_id IN "
		                   "(SELECT d.id FROM od_dataset d WHERE 1 = 1%s)",
		                   mc_buf_cstr(&x->s.where));
		e = store_prepare(c, sql, &st);
		free(sql);
		if (e)
			goto out;
		bind_all(st, &x->s);
		json_t *all = json_object();
		while ((e = store_step(st, &row)) == MC_OK && row) {
			char key[24];
			snprintf(key, sizeof key, "%lld", (long long)store_col_int(st, 0));
			if (json_object_get(kept_ids, key))
				facet_count(all, store_col_text(st, 1));
		}
		store_finish(st);
		st = NULL;
		size_t nt = json_object_size(all), i = 0;
		json_t **list = mc_xmalloc((nt ? nt : 1) * sizeof *list);
		const char *tag;
		json_t *cnt;
		json_object_foreach(all, tag, cnt) list[i++] = json_pack("[s,O]", tag, cnt);
		qsort(list, nt, sizeof *list, tag_cmp);
		json_t *facet = json_object_get(fac, "tags");
		for (i = 0; i < nt; i++) {
			if (i < 50)
				json_object_set(facet,
				                json_string_value(json_array_get(list[i], 0)),
				                json_array_get(list[i], 1));
			json_decref(list[i]);
		}
		free(list);
		json_decref(all);
		if (e)
			goto out;
	}
	if (x->score_dir && n) {
		qsort(rows, n, sizeof *rows, hit_cmp);
	}
	json_object_set_new(x->result, "count", json_integer((json_int_t)n));
	json_t *results = json_array();
	json_object_set_new(x->result, "results", results);
	for (size_t i = (size_t)x->q->start;
	     !e && i < n && i < (size_t)x->q->start + (size_t)x->q->rows; i++) {
		json_t *d = cached_get(c, rows[i].uuid, rows[i].rv, &e, diag);
		if (!e)
			json_array_append_new(results, d);
	}
out:
	store_finish(st);
	free(rows);
	json_decref(h.pos);
	json_decref(kept_ids);
	return e;
}

static mc_err search_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	search_ctx *x = vctx;
	if (x->fts) {
		json_decref(x->result);
		x->result = json_pack("{s:o}", "facets", json_object());
		return search_text_fn(c, x, diag);
	}
	json_decref(x->result);
	x->result = json_object();
	store_stmt *st;
	bool row;
	char *sql;
	json_t *fac = json_object();
	json_object_set_new(x->result, "facets", fac);
	int64_t count;
	mc_err e = facets(c, x, fac, &count);
	if (e)
		return e;
	if (count < 0) {
		sql = mc_xasprintf("SELECT count(*) FROM od_dataset d WHERE 1 = 1%s",
		                   mc_buf_cstr(&x->s.where));
		e = store_prepare(c, sql, &st);
		free(sql);
		if (e)
			return e;
		bind_all(st, &x->s);
		e = store_step(st, &row);
		count = !e && row ? store_col_int(st, 0) : 0;
		store_finish(st);
		if (e)
			return e;
	}
	json_object_set_new(x->result, "count", json_integer(count));
	json_t *results = json_array();
	json_object_set_new(x->result, "results", results);
	if (x->q->rows > 0) {
		int k = x->s.nb;
		char after[32];
		sql = mc_xasprintf(
		    "SELECT d.uuid, d.row_version FROM od_dataset d WHERE 1 = 1%s%s%s "
		    "LIMIT ?%d OFFSET ?%d",
		    mc_buf_cstr(&x->s.where), after_clause(x, k + 1, after, sizeof after), x->order,
		    k + 1 + (x->q->after ? 1 : 0), k + 2 + (x->q->after ? 1 : 0));
		e = store_prepare(c, sql, &st);
		free(sql);
		if (e)
			return e;
		bind_all(st, &x->s);
		int n = k;
		if (x->q->after)
			store_bind_text(st, ++n, x->q->after);
		store_bind_int(st, ++n, x->q->rows);
		store_bind_int(st, ++n, x->q->start);
		json_t *ids = json_array();
		while ((e = store_step(st, &row)) == MC_OK && row)
			json_array_append_new(ids, json_pack("[s,I]", store_col_text(st, 0),
			                                     (json_int_t)store_col_int(st, 1)));
		store_finish(st);
		size_t i;
		json_t *id;
		json_array_foreach(ids, i, id)
		{
			if (e)
				break;
			json_t *d = cached_get(c, json_string_value(json_array_get(id, 0)),
			                       json_integer_value(json_array_get(id, 1)), &e, diag);
			if (!e)
				json_array_append_new(results, d);
		}
		json_decref(ids);
		if (e)
			return e;
	}
	return MC_OK;
}

mc_err opendata_search(store *s, const od_query *q, json_t **result, mc_diag *diag)
{
	search_ctx x = {.q = q};
	od_term *terms = NULL;
	int n = 0;
	char *words = NULL;
	mc_buf order = {0};
	mc_err e = MC_OK;
	*result = NULL;
	const char *texts[2] = {q->q, q->fq};
	for (int k = 0; !e && k < 2; k++) {
		e = od_terms_parse(texts[k], &terms, &n, &words, diag);
		for (int i = 0; !e && i < n; i++)
			e = add_term(&x.s, &terms[i], diag);
		if (!e && words && k == 1) {
			/* free words in fq: Solr would search the default field */
			e = add_words(&x.s, words);
		} else if (!e && words && *words) {
			/* free words in q: the text index, ranked (punctuation
			 * alone filters nothing) */
			x.fts = text_fold(words);
			bool any = false;
			for (const char *w = x.fts; *w && !any; w++)
				any = isalnum((unsigned char)*w);
			if (!any) {
				free(x.fts);
				x.fts = NULL;
			}
		}
		od_terms_free(terms, n);
		free(words);
		terms = NULL;
		words = NULL;
		n = 0;
	}
	if (!e && x.s.nb >= 60)
		e = mc_fail(diag, MC_ERR_INVALID, "too many search terms");
	if (!e)
		e = order_by(q->after ? "id asc" : q->sort, &order, diag);
	if (!e && x.fts && !q->after) {
		/* the sort starts with score (the default does) */
		const char *so = q->sort && *q->sort ? q->sort : "score desc";
		while (*so == ' ')
			so++;
		if (strncmp(so, "score", 5) == 0 && (so[5] == ' ' || so[5] == ',' || !so[5])) {
			const char *dir = so + 5;
			while (*dir == ' ')
				dir++;
			x.score_dir = strncasecmp(dir, "asc", 3) == 0 ? -1 : 1;
		}
	}
	if (!e) {
		x.order = mc_buf_cstr(&order);
		e = store_read(s, search_fn, &x, diag);
	}
	if (!e)
		*result = x.result;
	else
		json_decref(x.result);
	mc_buf_free(&order);
	sqlq_free(&x.s);
	free(x.fts);
	return e;
}

static mc_err reindex_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	int64_t *n = ctx;
	*n = 0;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT uuid, search_text FROM od_dataset ORDER BY uuid", &st);
	if (e)
		return e;
	json_t *rows = json_array();
	bool row;
	while ((e = store_step(st, &row)) == MC_OK && row)
		json_array_append_new(
		    rows, json_pack("[s,s]", store_col_text(st, 0), store_col_text(st, 1)));
	store_finish(st);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (e)
			break;
		e = store_text_put(c, OD_TEXT_INDEX, json_string_value(json_array_get(r, 0)),
		                   json_string_value(json_array_get(r, 1)));
		(*n)++;
	}
	json_decref(rows);
	return e;
}

mc_err opendata_reindex(mc_app *app, int64_t *n, mc_diag *diag)
{
	int64_t dummy;
	return store_write(app->db, reindex_fn, n ? n : &dummy, diag);
}

/* ---- lists ---- */

typedef struct list_ctx {
	int offset, limit, kind;
	json_t *out;
	const char *from, *to;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	list_ctx *x = vctx;
	json_decref(x->out);
	x->out = x->kind == 3 ? json_object() : json_array();
	const char *sql =
	    x->kind == 0 ? "SELECT name FROM od_dataset ORDER BY name LIMIT ?1 OFFSET ?2"
	    : x->kind == 1
	        ? "SELECT agency, count(*) FROM od_dataset GROUP BY agency ORDER BY agency"
	    : x->kind == 2 ? "SELECT tag, count(*) FROM od_tag GROUP BY tag ORDER BY tag"
	                   : "SELECT themes FROM od_dataset";
	store_stmt *st;
	mc_err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	if (x->kind == 0) {
		store_bind_int(st, 1, x->limit);
		store_bind_int(st, 2, x->offset);
	}
	bool row;
	while ((e = store_step(st, &row)) == MC_OK && row) {
		if (x->kind == 0) {
			json_array_append_new(x->out, json_string(store_col_text(st, 0)));
		} else if (x->kind == 3) {
			char *copy = mc_xstrdup(store_col_text(st, 0)), *save = NULL;
			for (char *p = strtok_r(copy, "|", &save); p;
			     p = strtok_r(NULL, "|", &save))
				facet_count(x->out, p);
			free(copy);
		} else {
			json_array_append_new(x->out,
			                      json_pack("{s:s,s:I}", x->kind == 1 ? "code" : "tag",
			                                store_col_text(st, 0), "count",
			                                (json_int_t)store_col_int(st, 1)));
		}
	}
	store_finish(st);
	return e;
}

static mc_err run_list(store *s, int kind, int offset, int limit, json_t **out, mc_diag *diag)
{
	list_ctx x = {.kind = kind, .offset = offset, .limit = limit};
	mc_err e = store_read(s, list_fn, &x, diag);
	*out = e ? NULL : x.out;
	if (e)
		json_decref(x.out);
	return e;
}

mc_err opendata_names(store *s, int offset, int limit, json_t **out, mc_diag *diag)
{
	return run_list(s, 0, offset, limit, out, diag);
}

mc_err opendata_orgs(store *s, json_t **out, mc_diag *diag)
{
	return run_list(s, 1, 0, 0, out, diag);
}

mc_err opendata_tags(store *s, json_t **out, mc_diag *diag)
{
	return run_list(s, 2, 0, 0, out, diag);
}

mc_err opendata_theme_counts(store *s, json_t **out, mc_diag *diag)
{
	return run_list(s, 3, 0, 0, out, diag);
}

/* ---- change feed ---- */

typedef struct changes_ctx {
	int64_t after;
	int limit;
	json_t *items;
	bool more;
} changes_ctx;

static mc_err changes_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	changes_ctx *x = vctx;
	json_decref(x->items);
	x->items = json_array();
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT seq, dataset_uuid, name, agency, action, at FROM od_change "
	                  "WHERE seq > ?1 ORDER BY seq LIMIT ?2",
	                  &st);
	if (e)
		return e;
	store_bind_int(st, 1, x->after);
	store_bind_int(st, 2, x->limit + 1);
	bool row;
	int n = 0;
	x->more = false;
	while ((e = store_step(st, &row)) == MC_OK && row) {
		if (++n > x->limit) {
			x->more = true;
			break;
		}
		json_array_append_new(
		    x->items,
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)store_col_int(st, 0),
		              "dataset", store_col_text(st, 1), "name", store_col_text(st, 2),
		              "agency", store_col_text(st, 3), "action", store_col_text(st, 4),
		              "at", store_col_text(st, 5)));
	}
	store_finish(st);
	return e;
}

mc_err opendata_changes(store *s, int64_t after, int limit, json_t **items, bool *more,
                        mc_diag *diag)
{
	changes_ctx x = {.after = after, .limit = limit};
	mc_err e = store_read(s, changes_fn, &x, diag);
	*items = e ? NULL : x.items;
	*more = x.more;
	if (e)
		json_decref(x.items);
	return e;
}

/* ---- programme figure ---- */

typedef struct figure_ctx {
	const char *from, *to;
	int64_t publishing, agencies;
} figure_ctx;

static mc_err figure_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	figure_ctx *x = vctx;
	store_stmt *st;
	/* agencies with a dataset created, updated or given new content in the
	 * period, from the change feed (generated datasets excluded: they are
	 * published by the platform, not by the agency) */
	mc_err e =
	    store_prepare(c,
	                  "SELECT count(DISTINCT ch.agency) FROM od_change ch JOIN od_dataset "
	                  "d ON d.uuid = ch.dataset_uuid WHERE d.generated = 0 AND ch.at >= "
	                  "?1 AND ch.at < ?2",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->from);
	store_bind_text(st, 2, x->to);
	bool row;
	e = store_step(st, &row);
	x->publishing = !e && row ? store_col_int(st, 0) : 0;
	store_finish(st);
	if (e)
		return e;
	/* every agency of the territory module: page through its list */
	territory_query q = {.limit = 100};
	char after[64] = "";
	x->agencies = 0;
	for (;;) {
		json_t *items = NULL;
		bool more = false;
		q.after = after[0] ? after : NULL;
		e = territory_agency_list(c, &q, &items, &more, diag);
		if (e)
			return e;
		x->agencies += (int64_t)json_array_size(items);
		json_t *last = json_array_get(items, json_array_size(items) - 1);
		if (last)
			snprintf(after, sizeof after, "%s", str_of(last, "code"));
		json_decref(items);
		if (!more || !last)
			break;
	}
	return MC_OK;
}

mc_err opendata_figure(store *s, const char *from, const char *to, json_t **out, mc_diag *diag)
{
	mc_day a, b;
	*out = NULL;
	if (!from || !to || !date_parse(from, &a) || !date_parse(to, &b) || b <= a)
		return mc_fail2(diag, MC_ERR_INVALID, "Kỳ phải là from < to, dạng YYYY-MM-DD.",
		                "the period needs from < to as YYYY-MM-DD");
	char f[32], t[32];
	snprintf(f, sizeof f, "%sT00:00:00Z", from);
	snprintf(t, sizeof t, "%sT00:00:00Z", to);
	figure_ctx x = {.from = f, .to = t};
	mc_err e = store_read(s, figure_fn, &x, diag);
	if (e)
		return e;
	double share = x.agencies ? (double)x.publishing / (double)x.agencies : 0.0;
	*out = json_pack("{s:s,s:s,s:I,s:I,s:f,s:s,s:s}", "from", from, "to", to, "agencies",
	                 (json_int_t)x.agencies, "publishing", (json_int_t)x.publishing, "share",
	                 share, "target", "100% of agencies publish standardized open data by 2030",
	                 "target_vi", "100% cơ quan cung cấp dữ liệu mở chuẩn hóa vào năm 2030");
	return MC_OK;
}
