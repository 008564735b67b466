/* registry.c - the registry service: definitions (built-in and stored),
 * records with every version, the field index behind relations and
 * filters, the text index behind ?q=, events and audit of every change. */
#include "registry/registry.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/mem.h"
#include "core/text.h"
#include "event/event.h"
#include "registry/registry_internal.h"
#include "territory/territory.h"
#include <stdlib.h>
#include <string.h>

static mc_err not_found_registry(mc_diag *diag, const char *name)
{
	(void)name;
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có sổ đăng ký này.", "No such registry.");
}

static mc_err not_found_record(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy bản ghi.", "No such record.");
}

static bool short_text(const char *s, size_t max)
{
	return s && *s && strlen(s) <= max;
}

/* ---- definitions ------------------------------------------------------- */

mc_err reg_def_load(store_conn *c, const char *name, reg_def *d, mc_diag *diag)
{
	memset(d, 0, sizeof *d);
	if (!short_text(name, REGISTRY_NAME_MAX))
		return not_found_registry(diag, name);
	json_t *b = reg_builtin(name);
	if (b) {
		bool ok = reg_def_bind(d, b);
		json_decref(b);
		return ok ? MC_OK : mc_fail(diag, MC_ERR_INTERNAL, "bad built-in definition");
	}
	store_stmt *st;
	mc_err e = store_prepare(
	    c, "SELECT definition, created_at, created_by FROM registry_def WHERE name = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, name);
	bool row;
	json_t *def = NULL;
	e = store_step(st, &row);
	if (!e && row) {
		def = json_loads(store_col_text(st, 0), 0, NULL);
		if (def) {
			json_object_set_new(def, "builtin", json_false());
			json_object_set_new(def, "created_at", json_string(store_col_text(st, 1)));
			json_object_set_new(def, "created_by", json_string(store_col_text(st, 2)));
		}
	}
	store_finish(st);
	if (e)
		return e;
	if (!row)
		return not_found_registry(diag, name);
	bool ok = def && reg_def_bind(d, def);
	json_decref(def);
	if (!ok) {
		reg_def_release(d);
		return mc_fail(diag, MC_ERR_INTERNAL, "stored definition %s is unreadable", name);
	}
	return MC_OK;
}

mc_err registry_def_get(store_conn *c, const char *name, json_t **out, mc_diag *diag)
{
	*out = NULL;
	reg_def d;
	mc_err e = reg_def_load(c, name, &d, diag);
	if (e)
		return e;
	*out = json_deep_copy(d.json);
	reg_def_release(&d);
	return MC_OK;
}

/* Short form of a definition for lists. */
static json_t *def_summary(json_t *def)
{
	json_t *s = json_object();
	static const char *const keys[] = {"name",     "title",      "title_en", "version",
	                                   "id_field", "agency",     "public",   "builtin",
	                                   "writers",  "created_at", NULL};
	for (int i = 0; keys[i]; i++) {
		json_t *v = json_object_get(def, keys[i]);
		if (v)
			json_object_set(s, keys[i], v);
	}
	return s;
}

mc_err registry_def_list(store_conn *c, json_t **out, mc_diag *diag)
{
	*out = NULL;
	json_t *arr = json_array();
	for (int i = 0; reg_builtin_names[i]; i++) {
		json_t *b = reg_builtin(reg_builtin_names[i]);
		json_array_append_new(arr, def_summary(b));
		json_decref(b);
	}
	store_stmt *st;
	mc_err e = store_prepare(
	    c, "SELECT definition, created_at FROM registry_def ORDER BY name LIMIT 1000", &st);
	if (e)
		goto fail;
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		json_t *def = json_loads(store_col_text(st, 0), 0, NULL);
		if (!def)
			continue;
		json_object_set_new(def, "builtin", json_false());
		json_object_set_new(def, "created_at", json_string(store_col_text(st, 1)));
		json_array_append_new(arr, def_summary(def));
		json_decref(def);
	}
	store_finish(st);
	if (e)
		goto fail;
	*out = arr;
	return MC_OK;
fail:
	json_decref(arr);
	return mc_fail(diag, e, "cannot list registries");
}

typedef struct create_ctx {
	const mc_principal *who;
	json_t *def; /* working copy */
	json_t *out;
} create_ctx;

static mc_err create_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	create_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *def = x->def;
	const char *name = json_string_value(json_object_get(def, "name"));
	json_t *errors = json_array();
	mc_err e = MC_OK;
	/* agency */
	const char *agency = json_string_value(json_object_get(def, "agency"));
	json_t *ag = NULL;
	if (!agency || territory_agency_get(c, agency, &ag, NULL) != MC_OK)
		mc_errors_add(errors, "$.agency", "must be the code of an existing agency",
		              "phải là mã của một cơ quan có thật");
	json_decref(ag);
	/* x-ref targets */
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(json_object_get(def, "schema"), "properties"), k, v)
	{
		const char *ref = json_string_value(json_object_get(v, "x-ref"));
		if (!ref || strcmp(ref, name) == 0)
			continue;
		reg_def t;
		if (reg_def_load(c, ref, &t, NULL) != MC_OK) {
			char path[160];
			snprintf(path, sizeof path, "$.schema.properties.%.100s.x-ref", k);
			mc_errors_add(errors, path, "names no registry", "không có sổ đăng ký này");
		} else {
			reg_def_release(&t);
		}
	}
	if (json_array_size(errors)) {
		mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Định nghĩa sổ đăng ký không hợp lệ.",
		         "The registry definition is not valid.");
		mc_diag_ext(diag, "errors", errors);
		return MC_ERR_UNPROCESSABLE;
	}
	json_decref(errors);
	char now[32];
	ts_format(ts_now(), now);
	char *text = json_dumps(def, JSON_COMPACT);
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "INSERT INTO registry_def (name, version, agency, definition, "
	                       "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	                       "ON CONFLICT (name) DO NOTHING",
	                       &st))) {
		free(text);
		return e;
	}
	store_bind_text(st, 1, name);
	store_bind_int(st, 2, json_integer_value(json_object_get(def, "version")));
	store_bind_text(st, 3, agency);
	store_bind_text(st, 4, text);
	store_bind_text(st, 5, now);
	store_bind_text(st, 6, x->who->username);
	e = store_step(st, NULL);
	store_finish(st);
	free(text);
	if (e)
		return e;
	if (store_changes(c) == 0)
		return mc_fail2(diag, MC_ERR_CONFLICT, "Đã có sổ đăng ký với tên này.",
		                "A registry with this name exists.");
	char *object = mc_xasprintf("registry/%s", name);
	json_t *detail =
	    json_pack("{s:s, s:O}", "agency", agency, "version", json_object_get(def, "version"));
	e = audit_append(c, x->who->username, "registry.create", object, detail);
	json_decref(detail);
	free(object);
	if (e)
		return e;
	x->out = json_deep_copy(def);
	json_object_set_new(x->out, "builtin", json_false());
	json_object_set_new(x->out, "created_at", json_string(now));
	json_object_set_new(x->out, "created_by", json_string(x->who->username));
	return MC_OK;
}

mc_err registry_def_create(store *s, const mc_principal *who, json_t *def, json_t **out,
                           mc_diag *diag)
{
	*out = NULL;
	if (who->role != ROLE_ADMIN && who->role != ROLE_OFFICER)
		return mc_fail2(diag, MC_ERR_FORBIDDEN, "Chỉ cán bộ hoặc quản trị được tạo sổ.",
		                "Only officers and administrators create registries.");
	if (!json_is_object(def))
		return mc_fail(diag, MC_ERR_INVALID, "the definition must be a JSON object");
	char *text = json_dumps(def, JSON_COMPACT);
	size_t len = text ? strlen(text) : 0;
	free(text);
	if (len > REGISTRY_RECORD_MAX)
		return mc_fail2(diag, MC_ERR_TOO_LARGE, "Định nghĩa quá lớn.",
		                "The definition is larger than %d bytes.", REGISTRY_RECORD_MAX);
	create_ctx x = {.who = who, .def = json_deep_copy(def)};
	if (who->role == ROLE_OFFICER) {
		const char *given = json_string_value(json_object_get(def, "agency"));
		if (json_object_get(def, "agency") && (!given || strcmp(given, who->agency))) {
			json_decref(x.def);
			return mc_fail2(diag, MC_ERR_FORBIDDEN,
			                "Cán bộ chỉ tạo sổ đăng ký của cơ quan mình.",
			                "An officer creates registries of their own agency only.");
		}
		json_object_set_new(x.def, "agency", json_string(who->agency));
	}
	if (!json_object_get(x.def, "version"))
		json_object_set_new(x.def, "version", json_integer(1));
	json_t *errors = json_array();
	reg_def_check(x.def, errors);
	if (json_array_size(errors)) {
		json_decref(x.def);
		mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Định nghĩa sổ đăng ký không hợp lệ.",
		         "The registry definition is not valid.");
		mc_diag_ext(diag, "errors", errors);
		return MC_ERR_UNPROCESSABLE;
	}
	json_decref(errors);
	mc_err e = store_write(s, create_fn, &x, diag);
	json_decref(x.def);
	if (e) {
		json_decref(x.out);
		return e;
	}
	*out = x.out;
	return MC_OK;
}

/* ---- reading records -------------------------------------------------------- */

/* Record JSON from the columns registry, id, version, data, valid,
 * created_at, updated_at, verified_at starting at column 0. */
static json_t *record_of(store_stmt *st)
{
	json_t *data = json_loads(store_col_text(st, 3), 0, NULL);
	const char *ver = store_col_text(st, 7);
	return json_pack("{s:s, s:s, s:I, s:o, s:b, s:s, s:s, s:o}", "registry",
	                 store_col_text(st, 0), "id", store_col_text(st, 1), "version",
	                 (json_int_t)store_col_int(st, 2), "data", data ? data : json_object(),
	                 "valid", store_col_int(st, 4) != 0, "created_at", store_col_text(st, 5),
	                 "updated_at", store_col_text(st, 6), "verified_at",
	                 ver ? json_string(ver) : json_null());
}

#define RECORD_COLS "registry, id, version, data, valid, created_at, updated_at, verified_at"

/* The record or NULL in *out; errors only for store failures. */
static mc_err record_read(store_conn *c, const char *registry, const char *id, json_t **out)
{
	*out = NULL;
	if (!short_text(id, REGISTRY_ID_MAX))
		return MC_OK;
	store_stmt *st;
	mc_err e = store_prepare(
	    c, "SELECT " RECORD_COLS " FROM registry_record WHERE registry = ?1 AND id = ?2", &st);
	if (e)
		return e;
	store_bind_text(st, 1, registry);
	store_bind_text(st, 2, id);
	bool row;
	e = store_step(st, &row);
	if (!e && row)
		*out = record_of(st);
	store_finish(st);
	return e;
}

mc_err registry_record_get(store_conn *c, const char *registry, const char *id, json_t **out,
                           mc_diag *diag)
{
	*out = NULL;
	if (!short_text(registry, REGISTRY_NAME_MAX))
		return not_found_registry(diag, registry);
	mc_err e = record_read(c, registry, id, out);
	if (e)
		return mc_fail(diag, e, "cannot read the record");
	if (*out)
		return MC_OK;
	/* tell an unknown registry from an unknown record */
	reg_def d;
	if ((e = reg_def_load(c, registry, &d, diag)))
		return e;
	reg_def_release(&d);
	return not_found_record(diag);
}

mc_err registry_record_version(store_conn *c, const char *registry, const char *id, int version,
                               json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!short_text(registry, REGISTRY_NAME_MAX) || !short_text(id, REGISTRY_ID_MAX))
		return not_found_record(diag);
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT registry, id, version, data, changed_by, changed_at, "
	                         "reason, changes FROM registry_version WHERE registry = ?1 AND "
	                         "id = ?2 AND version = ?3",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, registry);
	store_bind_text(st, 2, id);
	store_bind_int(st, 3, version);
	bool row;
	e = store_step(st, &row);
	if (!e && row) {
		json_t *data = json_loads(store_col_text(st, 3), 0, NULL);
		json_t *changes = json_loads(store_col_text(st, 7), 0, NULL);
		const char *reason = store_col_text(st, 6);
		*out = json_pack("{s:s, s:s, s:I, s:o, s:s, s:s, s:o, s:o}", "registry",
		                 store_col_text(st, 0), "id", store_col_text(st, 1), "version",
		                 (json_int_t)store_col_int(st, 2), "data",
		                 data ? data : json_object(), "changed_by", store_col_text(st, 4),
		                 "changed_at", store_col_text(st, 5), "reason",
		                 reason ? json_string(reason) : json_null(), "changes",
		                 changes ? changes : json_array());
	}
	store_finish(st);
	if (e)
		return e;
	return *out ? MC_OK : not_found_record(diag);
}

mc_err reg_versions(store_conn *c, const char *registry, const char *id, int before, int limit,
                    json_t **items, bool *more, mc_diag *diag)
{
	*items = NULL;
	*more = false;
	json_t *cur = NULL;
	mc_err e = registry_record_get(c, registry, id, &cur, diag);
	if (e)
		return e;
	json_decref(cur);
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "SELECT version FROM registry_version WHERE registry = ?1 AND "
	                       "id = ?2 AND (?3 = 0 OR version < ?3) ORDER BY version DESC "
	                       "LIMIT ?4",
	                       &st)))
		return e;
	store_bind_text(st, 1, registry);
	store_bind_text(st, 2, id);
	store_bind_int(st, 3, before);
	store_bind_int(st, 4, limit + 1);
	int versions[101];
	int n = 0;
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if (n == limit || n == 100) {
			*more = true;
			break;
		}
		versions[n++] = (int)store_col_int(st, 0);
	}
	store_finish(st);
	if (e)
		return e;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *v = NULL;
		if ((e = registry_record_version(c, registry, id, versions[i], &v, diag))) {
			json_decref(arr);
			return e;
		}
		json_array_append_new(arr, v);
	}
	*items = arr;
	return MC_OK;
}

mc_err registry_find_by_field(store_conn *c, const char *registry, const char *field,
                              const char *value, int limit, json_t **ids, mc_diag *diag)
{
	*ids = NULL;
	reg_def d;
	mc_err e = reg_def_load(c, registry, &d, diag);
	if (e)
		return e;
	if (!reg_in(d.indexed, field) || limit < 1 || limit > 1000 || !value) {
		reg_def_release(&d);
		return mc_fail(diag, MC_ERR_INVALID, "%s is not an indexed field of %s",
		               field ? field : "(null)", registry);
	}
	reg_def_release(&d);
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "SELECT id FROM registry_field WHERE registry = ?1 AND field = ?2 "
	                       "AND value = ?3 ORDER BY id LIMIT ?4",
	                       &st)))
		return e;
	store_bind_text(st, 1, registry);
	store_bind_text(st, 2, field);
	store_bind_text(st, 3, value);
	store_bind_int(st, 4, limit);
	json_t *arr = json_array();
	bool row;
	while (!(e = store_step(st, &row)) && row)
		json_array_append_new(arr, json_string(store_col_text(st, 0)));
	store_finish(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*ids = arr;
	return MC_OK;
}

static json_t *text_or_null(json_t *data, const char *key)
{
	const char *s = json_string_value(json_object_get(data, key));
	return s ? json_string(s) : json_null();
}

mc_err registry_person_relations(store_conn *c, const char *person_id, json_t **out, mc_diag *diag)
{
	*out = NULL;
	json_t *rec = NULL, *fa = NULL, *mo = NULL, *biz = NULL, *deaths = NULL;
	mc_err e = registry_record_get(c, "persons", person_id, &rec, diag);
	if (e)
		return e;
	if ((e = registry_find_by_field(c, "persons", "father_id", person_id, 1000, &fa, diag)) ||
	    (e = registry_find_by_field(c, "persons", "mother_id", person_id, 1000, &mo, diag)) ||
	    (e = registry_find_by_field(c, "businesses", "legal_representative", person_id, 1000,
	                                &biz, diag)) ||
	    (e = registry_find_by_field(c, "death_records", "person_id", person_id, 1, &deaths,
	                                diag)))
		goto out;
	json_array_extend(fa, mo);
	json_t *data = json_object_get(rec, "data");
	json_t *dr = json_array_get(deaths, 0);
	*out =
	    json_pack("{s:s, s:o, s:o, s:o, s:O, s:O, s:o, s:b}", "id", person_id, "father_id",
	              text_or_null(data, "father_id"), "mother_id", text_or_null(data, "mother_id"),
	              "spouse_id", text_or_null(data, "spouse_id"), "children", fa, "businesses",
	              biz, "death_record", dr ? json_incref(dr) : json_null(), "deceased",
	              json_is_string(json_object_get(data, "date_of_death")) || dr != NULL);
out:
	json_decref(rec);
	json_decref(fa);
	json_decref(mo);
	json_decref(biz);
	json_decref(deaths);
	return e;
}

/* ---- writing records ------------------------------------------------------- */

static mc_err exec_text(store_conn *c, const char *sql, int n, const char *a, const char *b,
                        const char *cc, const char *d)
{
	const char *p[4] = {a, b, cc, d};
	return store_execv(c, sql, n, p);
}

mc_err reg_write_row(store_conn *c, const reg_def *d, const reg_row *r, bool insert_only,
                     bool *inserted)
{
	char *text = json_dumps(r->data, JSON_COMPACT | JSON_SORT_KEYS);
	char *dup = reg_dup_key(d, r->data);
	char *changes = r->changes ? json_dumps(r->changes, JSON_COMPACT) : mc_xstrdup("[]");
	mc_err e;
	store_stmt *st;
	if (inserted)
		*inserted = true;
	if ((e = store_prepare(c,
	                       insert_only
	                           ? "INSERT INTO registry_record (registry, id, version, data, "
	                             "valid, filled, dup_key, created_at, updated_at, verified_at) "
	                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
	                             "ON CONFLICT (registry, id) DO NOTHING"
	                           : "INSERT INTO registry_record (registry, id, version, data, "
	                             "valid, filled, dup_key, created_at, updated_at, verified_at) "
	                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
	                             "ON CONFLICT (registry, id) DO UPDATE SET version = "
	                             "excluded.version, data = excluded.data, valid = "
	                             "excluded.valid, filled = excluded.filled, dup_key = "
	                             "excluded.dup_key, updated_at = excluded.updated_at",
	                       &st)))
		goto out;
	store_bind_text(st, 1, d->name);
	store_bind_text(st, 2, r->id);
	store_bind_int(st, 3, r->version);
	store_bind_text(st, 4, text);
	store_bind_int(st, 5, r->valid ? 1 : 0);
	store_bind_int(st, 6, reg_filled_mask(d, r->data));
	store_bind_text(st, 7, dup);
	store_bind_text(st, 8, r->created_at);
	store_bind_text(st, 9, r->updated_at);
	store_bind_text(st, 10, r->verified_at);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		goto out;
	if (insert_only && store_changes(c) == 0) {
		if (inserted)
			*inserted = false;
		goto out;
	}
	if ((e = store_prepare(c,
	                       "INSERT INTO registry_version (registry, id, version, data, "
	                       "changed_by, changed_at, reason, changes) VALUES (?1, ?2, ?3, ?4, "
	                       "?5, ?6, ?7, ?8)",
	                       &st)))
		goto out;
	store_bind_text(st, 1, d->name);
	store_bind_text(st, 2, r->id);
	store_bind_int(st, 3, r->version);
	store_bind_text(st, 4, text);
	store_bind_text(st, 5, r->actor ? r->actor : "system");
	store_bind_text(st, 6, r->updated_at);
	store_bind_text(st, 7, r->reason);
	store_bind_text(st, 8, changes);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		goto out;
	/* field index */
	if (!insert_only &&
	    (e = exec_text(c, "DELETE FROM registry_field WHERE registry = ?1 AND id = ?2", 2,
	                   d->name, r->id, NULL, NULL)))
		goto out;
	size_t i;
	json_t *f;
	json_array_foreach(d->indexed, i, f)
	{
		char *v = reg_scalar_text(json_object_get(r->data, json_string_value(f)));
		if (v && *v && strlen(v) <= 200)
			e = exec_text(
			    c,
			    "INSERT INTO registry_field (registry, field, value, id) VALUES "
			    "(?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
			    4, d->name, json_string_value(f), v, r->id);
		free(v);
		if (e)
			goto out;
	}
	/* text index: the identifier and the search fields, folded */
	mc_buf b = {0};
	mc_buf_puts(&b, r->id);
	json_array_foreach(d->search, i, f)
	{
		const char *s = json_string_value(json_object_get(r->data, json_string_value(f)));
		if (s) {
			mc_buf_puts(&b, " ");
			mc_buf_puts(&b, s);
		}
	}
	char *folded = text_fold(mc_buf_cstr(&b));
	mc_buf_free(&b);
	char *index = mc_xasprintf("registry:%s", d->name);
	e = store_text_put(c, index, r->id, folded);
	free(index);
	free(folded);
out:
	free(text);
	free(dup);
	free(changes);
	return e;
}

/* True when a record `id` exists in `registry`; *data (nullable) gets its
 * data. */
static mc_err exists(store_conn *c, const char *registry, const char *id, bool *yes, json_t **data)
{
	json_t *rec = NULL;
	mc_err e = record_read(c, registry, id, &rec);
	*yes = rec != NULL;
	if (data)
		*data = rec ? json_incref(json_object_get(rec, "data")) : NULL;
	json_decref(rec);
	return e;
}

mc_err reg_check_refs(store_conn *c, const reg_def *d, json_t *data, json_t *errors)
{
	const char *k;
	json_t *spec;
	mc_err e = MC_OK;
	bool persons = d->builtin && strcmp(d->name, "persons") == 0;
	json_object_foreach(d->props, k, spec)
	{
		const char *v = json_string_value(json_object_get(data, k));
		if (!v || !*v)
			continue;
		char path[96];
		snprintf(path, sizeof path, "$.%.80s", k);
		const char *unit = json_string_value(json_object_get(spec, "x-unit"));
		if (unit) {
			json_t *u = NULL;
			if (territory_unit_get(c, v, false, &u, NULL) != MC_OK ||
			    strcmp(json_string_value(json_object_get(u, "level")), unit))
				mc_errors_add(
				    errors, path,
				    strcmp(unit, "commune") == 0 ? "is not the code of a commune"
				                                 : "is not the code of a province",
				    strcmp(unit, "commune") == 0 ? "không phải mã đơn vị cấp xã"
				                                 : "không phải mã tỉnh");
			json_decref(u);
		}
		const char *ref = json_string_value(json_object_get(spec, "x-ref"));
		if (!ref)
			continue;
		bool yes = false;
		json_t *other = NULL;
		if ((e = exists(c, ref, v, &yes, &other)))
			return e;
		if (!yes) {
			mc_errors_add(errors, path, "names no record of the referenced registry",
			              "không có bản ghi này trong sổ được tham chiếu");
			continue;
		}
		if (persons && (strcmp(k, "father_id") == 0 || strcmp(k, "mother_id") == 0)) {
			bool father = k[0] == 'f';
			const char *sex = json_string_value(json_object_get(other, "sex"));
			if (sex && strcmp(sex, father ? "male" : "female"))
				mc_errors_add(errors, path,
				              father ? "the father must be male"
				                     : "the mother must be female",
				              father ? "cha phải là nam" : "mẹ phải là nữ");
			const char *pb = json_string_value(json_object_get(other, "date_of_birth"));
			const char *cb = json_string_value(json_object_get(data, "date_of_birth"));
			if (pb && cb && strcmp(pb, cb) >= 0)
				mc_errors_add(errors, path,
				              "the parent is not born before the child",
				              "cha/mẹ không sinh trước con");
		}
		json_decref(other);
	}
	return e;
}

/* Prefixes every error path "$..." of `errors` with `prefix` instead of "$". */
static void rebase_paths(json_t *errors, const char *prefix)
{
	size_t i;
	json_t *v;
	json_array_foreach(errors, i, v)
	{
		const char *p = json_string_value(json_object_get(v, "path"));
		if (p && p[0] == '$') {
			char *np = mc_xasprintf("%s%s", prefix, p + 1);
			json_object_set_new(v, "path", json_string(np));
			free(np);
		}
	}
}

mc_err registry_record_put(store_conn *c, const char *registry, const char *id, json_t *data,
                           bool create, const char *actor, const char *reason, json_t **out,
                           mc_diag *diag)
{
	if (out)
		*out = NULL;
	reg_def d;
	mc_err e = reg_def_load(c, registry, &d, diag);
	if (e)
		return e;
	json_t *work = NULL, *errors = json_array(), *old = NULL, *changes = NULL;
	json_t *events = NULL;
	char *text = NULL;
	if (!json_is_object(data)) {
		mc_errors_add(errors, "$.data", "must be an object", "phải là một đối tượng");
		goto invalid;
	}
	if (reason && strlen(reason) > REGISTRY_REASON_MAX) {
		e = mc_fail2(diag, MC_ERR_INVALID, "Lý do quá dài.",
		             "The reason is longer than %d bytes.", REGISTRY_REASON_MAX);
		goto out;
	}
	text = json_dumps(data, JSON_COMPACT);
	if (!text || strlen(text) > REGISTRY_RECORD_MAX) {
		e = mc_fail2(diag, MC_ERR_TOO_LARGE, "Bản ghi quá lớn.",
		             "The record is larger than %d bytes.", REGISTRY_RECORD_MAX);
		goto out;
	}
	work = json_deep_copy(data);
	json_t *given = json_object_get(work, d.id_field);
	if (!create) {
		if (!given)
			json_object_set_new(work, d.id_field, json_string(id));
		else if (!json_is_string(given) || strcmp(json_string_value(given), id)) {
			char path[96];
			snprintf(path, sizeof path, "$.data.%s", d.id_field);
			mc_errors_add(errors, path, "must equal the identifier in the path",
			              "phải trùng với mã định danh trên đường dẫn");
			goto invalid;
		}
	}
	const char *rid = json_string_value(json_object_get(work, d.id_field));
	json_t *verrs = json_array();
	reg_validate(&d, work, date_local_of(ts_now()), verrs);
	if (rid && strlen(rid) > REGISTRY_ID_MAX) {
		char path[96];
		snprintf(path, sizeof path, "$.%.80s", d.id_field);
		mc_errors_add(verrs, path, "is longer than 64 bytes", "dài quá 64 byte");
	}
	if ((e = reg_check_refs(c, &d, work, verrs))) {
		json_decref(verrs);
		goto out;
	}
	rebase_paths(verrs, "$.data");
	json_array_extend(errors, verrs);
	json_decref(verrs);
	if (json_array_size(errors))
		goto invalid;
	json_t *cur = NULL;
	if ((e = record_read(c, registry, rid, &cur)))
		goto out;
	if (create && cur) {
		json_decref(cur);
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Đã có bản ghi với mã định danh này.",
		             "A record with this identifier exists.");
		goto out;
	}
	if (!create && !cur) {
		e = not_found_record(diag);
		goto out;
	}
	char now[32];
	ts_format(ts_now(), now);
	old = cur ? json_incref(json_object_get(cur, "data")) : NULL;
	changes = reg_changes(old, work);
	if (cur && json_array_size(changes) == 0) {
		/* nothing changed: no new version */
		if (out)
			*out = cur;
		else
			json_decref(cur);
		goto out;
	}
	int version = cur ? (int)json_integer_value(json_object_get(cur, "version")) + 1 : 1;
	reg_row row = {
	    .id = rid,
	    .data = work,
	    .version = version,
	    .valid = true,
	    .created_at = cur ? json_string_value(json_object_get(cur, "created_at")) : now,
	    .updated_at = now,
	    .verified_at = cur ? json_string_value(json_object_get(cur, "verified_at")) : NULL,
	    .actor = actor,
	    .reason = reason,
	    .changes = changes};
	e = reg_write_row(c, &d, &row, false, NULL);
	json_decref(cur);
	if (e)
		goto out;
	/* events derived from the change */
	events = reg_events(registry, rid, old, work);
	char *subject = mc_xasprintf("%s/%s", registry, rid);
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		if ((e = event_emit(c, json_string_value(json_object_get(ev, "type")), subject,
		                    json_object_get(ev, "payload"))))
			break;
	}
	if (!e) {
		char *object = mc_xasprintf("registry/%s", subject);
		json_t *detail =
		    json_pack("{s:i, s:O, s:o}", "version", version, "changes", changes, "reason",
		              reason ? json_string(reason) : json_null());
		e = audit_append(c, actor,
		                 create ? "registry.record.create" : "registry.record.update",
		                 object, detail);
		json_decref(detail);
		free(object);
	}
	free(subject);
	if (e)
		goto out;
	if (out)
		e = registry_record_get(c, registry, rid, out, diag);
	goto out;
invalid:
	e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Dữ liệu bản ghi không hợp lệ.",
	             "The record is not valid.");
	mc_diag_ext(diag, "errors", json_incref(errors));
out:
	json_decref(errors);
	json_decref(work);
	json_decref(old);
	json_decref(changes);
	json_decref(events);
	free(text);
	reg_def_release(&d);
	return e;
}

mc_err registry_record_verify(store_conn *c, const char *registry, const char *id,
                              const char *actor, mc_diag *diag)
{
	json_t *cur = NULL;
	mc_err e = registry_record_get(c, registry, id, &cur, diag);
	if (e)
		return e;
	json_decref(cur);
	char now[32];
	ts_format(ts_now(), now);
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "UPDATE registry_record SET verified_at = ?3 WHERE registry = ?1 "
	                       "AND id = ?2",
	                       &st)))
		return e;
	store_bind_text(st, 1, registry);
	store_bind_text(st, 2, id);
	store_bind_text(st, 3, now);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		return e;
	char *object = mc_xasprintf("registry/%s/%s", registry, id);
	json_t *detail = json_pack("{s:s}", "verified_at", now);
	e = audit_append(c, actor, "registry.record.verify", object, detail);
	json_decref(detail);
	free(object);
	return e;
}

json_t *registry_visible(const mc_principal *who, json_t *def, json_t *rec)
{
	reg_def d;
	if (!reg_def_bind(&d, def)) {
		reg_def_release(&d);
		return NULL;
	}
	json_t *v = reg_visible(who, &d, rec);
	reg_def_release(&d);
	return v;
}

/* ---- search ------------------------------------------------------------ */

typedef struct hits {
	json_t *ids;
} hits;

static bool on_hit(const char *key, double rank, void *ctx)
{
	(void)rank;
	hits *h = ctx;
	json_array_append_new(h->ids, json_string(key));
	return true;
}

/* True when every filter holds on the record's data. */
static bool filters_hold(const reg_search *q, json_t *rec)
{
	json_t *data = json_object_get(rec, "data");
	for (int i = 0; i < q->nfilters; i++) {
		char *v = reg_scalar_text(json_object_get(data, q->field[i]));
		bool ok = v && strcmp(v, q->value[i]) == 0;
		free(v);
		if (!ok)
			return false;
	}
	return true;
}

mc_err reg_search_run(store_conn *c, const reg_def *d, const reg_search *q, json_t **items,
                      bool *more, mc_diag *diag)
{
	*items = NULL;
	*more = false;
	mc_err e = MC_OK;
	json_t *arr = json_array();
	if (q->q && *q->q) {
		hits h = {json_array()};
		char *index = mc_xasprintf("registry:%s", d->name);
		e = store_text_search(c, index, q->q, q->limit + 1, q->offset, on_hit, &h);
		free(index);
		if (!e) {
			size_t i;
			json_t *k;
			json_array_foreach(h.ids, i, k)
			{
				if ((int)i == q->limit) {
					*more = true;
					break;
				}
				json_t *rec = NULL;
				if ((e = record_read(c, d->name, json_string_value(k), &rec)))
					break;
				if (rec && filters_hold(q, rec))
					json_array_append_new(arr, rec);
				else
					json_decref(rec);
			}
		}
		json_decref(h.ids);
		goto out;
	}
	store_stmt *st;
	if (q->nfilters == 0) {
		e = store_prepare(c,
		                  "SELECT " RECORD_COLS " FROM registry_record WHERE registry = ?1 "
		                  "AND id > ?2 ORDER BY id LIMIT ?3",
		                  &st);
	} else {
		e = store_prepare(
		    c,
		    "SELECT r.registry, r.id, r.version, r.data, r.valid, r.created_at, "
		    "r.updated_at, r.verified_at FROM registry_field f JOIN registry_record r ON "
		    "r.registry = f.registry AND r.id = f.id WHERE f.registry = ?1 AND f.id > ?2 "
		    "AND f.field = ?4 AND f.value = ?5 ORDER BY f.id LIMIT ?3",
		    &st);
	}
	if (e)
		goto out;
	store_bind_text(st, 1, d->name);
	store_bind_text(st, 2, q->after ? q->after : "");
	/* further filters are checked on the rows: fetch a larger window */
	int window = q->nfilters > 1 ? 1000 : q->limit + 1;
	store_bind_int(st, 3, window);
	if (q->nfilters) {
		store_bind_text(st, 4, q->field[0]);
		store_bind_text(st, 5, q->value[0]);
	}
	bool row;
	int seen = 0;
	while (!(e = store_step(st, &row)) && row) {
		seen++;
		json_t *rec = record_of(st);
		if (!filters_hold(q, rec)) {
			json_decref(rec);
			continue;
		}
		if ((int)json_array_size(arr) == q->limit) {
			json_decref(rec);
			*more = true;
			break;
		}
		json_array_append_new(arr, rec);
	}
	store_finish(st);
	if (!e && !*more && q->nfilters > 1 && seen == window)
		*more = true; /* the window ended before the page filled */
out:
	if (e) {
		json_decref(arr);
		return mc_fail(diag, e, "cannot search the registry");
	}
	*items = arr;
	return MC_OK;
}
