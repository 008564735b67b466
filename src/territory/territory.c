/* territory.c - administrative units and agencies: loading the shipped
 * admin-units-vn.json, the People's Committees, lookups, lists and the
 * admin's agency changes. All SQL of tables unit and agency lives here. */
#include "territory/territory.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/mem.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MAX 32
#define NAME_MAX_BYTES 256
#define QUERY_MAX_BYTES 200
#define PARENT_DEPTH_MAX 32

#define UNIT_COLS "code, name, name_en, full_name, full_name_en, type, level, parent"
#define AGENCY_COLS "code, name, name_en, level, unit, parent"

/* ---- rows of the source file ---------------------------------------- */

typedef struct unit_row {
	const char *code, *name, *name_en, *full_name, *full_name_en, *type, *level, *parent;
} unit_row;

typedef struct load_ctx {
	unit_row *rows;
	size_t n, cap;
	int provinces, communes; /* out */
} load_ctx;

static bool all_digits(const char *s, size_t len)
{
	if (!s || strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static const char *str_member(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v && *v && strlen(v) <= NAME_MAX_BYTES ? v : NULL;
}

/* Commune type from the source's administrative unit (the file's "Type" is
 * "ward" for every commune-level unit; the unit kind tells them apart). */
static const char *commune_type(json_t *w)
{
	const char *en = json_string_value(json_object_get(w, "AdministrativeUnitShortNameEn"));
	json_int_t id = json_integer_value(json_object_get(w, "AdministrativeUnitId"));
	if ((en && strcmp(en, "Ward") == 0) || id == 3)
		return "ward";
	if ((en && strcmp(en, "Commune") == 0) || id == 4)
		return "commune";
	if ((en && strncmp(en, "Special", 7) == 0) || id == 5)
		return "special_zone";
	return NULL;
}

static mc_err add_row(load_ctx *x, json_t *o, const char *type, const char *level,
                      const char *parent, size_t code_len, mc_diag *diag)
{
	unit_row r = {
	    .code = json_string_value(json_object_get(o, "Code")),
	    .name = str_member(o, "Name"),
	    .name_en = str_member(o, "NameEn"),
	    .full_name = str_member(o, "FullName"),
	    .full_name_en = str_member(o, "FullNameEn"),
	    .type = type,
	    .level = level,
	    .parent = parent,
	};
	if (!all_digits(r.code, code_len) || !r.name || !r.name_en || !r.full_name ||
	    !r.full_name_en || !r.type)
		return mc_fail(
		    diag, MC_ERR_INVALID,
		    "admin units file: bad %s entry #%zu (code %s): expected Code of %zu "
		    "digits, Name, NameEn, FullName, FullNameEn and a known unit kind",
		    level, x->n + 1, r.code ? r.code : "?", code_len);
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 4096;
		x->rows = mc_xrealloc(x->rows, x->cap * sizeof *x->rows);
	}
	x->rows[x->n++] = r;
	return MC_OK;
}

static mc_err parse_units(json_t *root, load_ctx *x, mc_diag *diag)
{
	size_t i, j;
	json_t *p, *w;
	mc_err e;

	if (!json_is_array(root) || json_array_size(root) == 0)
		return mc_fail(diag, MC_ERR_INVALID,
		               "admin units file: expected an array of provinces");
	json_array_foreach(root, i, p)
	{
		json_t *wards = json_object_get(p, "Wards");
		if (!json_is_object(p) || !json_is_array(wards))
			return mc_fail(diag, MC_ERR_INVALID,
			               "admin units file: province #%zu has no Wards array", i + 1);
		e = add_row(x, p, "province", "province", NULL, 2, diag);
		if (e)
			return e;
		x->provinces++;
		const char *pcode = x->rows[x->n - 1].code;
		json_array_foreach(wards, j, w)
		{
			const char *wp = json_string_value(json_object_get(w, "ProvinceCode"));
			if (!json_is_object(w) || (wp && strcmp(wp, pcode) != 0))
				return mc_fail(diag, MC_ERR_INVALID,
				               "admin units file: commune #%zu of province %s is "
				               "malformed or names another province",
				               j + 1, pcode);
			e = add_row(x, w, commune_type(w), "commune", pcode, 5, diag);
			if (e)
				return e;
			x->communes++;
		}
	}
	return MC_OK;
}

/* ---- load ------------------------------------------------------------ */

static char *fold3(const char *a, const char *b, const char *c)
{
	char *joined = mc_xasprintf("%s %s %s", a ? a : "", b ? b : "", c ? c : "");
	char *f = text_fold(joined);
	free(joined);
	return f;
}

static mc_err upsert_unit(store_conn *c, const unit_row *r)
{
	char *search = fold3(r->full_name, r->full_name_en, r->code);
	const char *p[] = {r->code, r->name,  r->name_en, r->full_name, r->full_name_en,
	                   r->type, r->level, r->parent,  search};
	mc_err e = store_execv(
	    c,
	    "INSERT INTO unit (code, name, name_en, full_name, full_name_en, type, level, "
	    "parent, search) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
	    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, "
	    "full_name = excluded.full_name, full_name_en = excluded.full_name_en, "
	    "type = excluded.type, level = excluded.level, parent = excluded.parent, "
	    "search = excluded.search",
	    9, p);
	free(search);
	return e;
}

static mc_err upsert_committee(store_conn *c, const unit_row *r, const char *now)
{
	char *code = mc_xasprintf("UBND-%s", r->code);
	char *name = mc_xasprintf("Ủy ban nhân dân %s", r->full_name);
	char *name_en = mc_xasprintf("People's Committee of %s", r->full_name_en);
	char *parent = r->parent ? mc_xasprintf("UBND-%s", r->parent) : NULL;
	char *search = fold3(name, name_en, code);
	const char *p[] = {code, name, name_en, r->level, r->code, parent, search, now};
	mc_err e = store_execv(
	    c,
	    "INSERT INTO agency (code, name, name_en, level, unit, parent, search, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, "
	    "level = excluded.level, unit = excluded.unit, parent = excluded.parent, "
	    "search = excluded.search, updated_at = excluded.updated_at",
	    8, p);
	free(code);
	free(name);
	free(name_en);
	free(parent);
	free(search);
	return e;
}

static mc_err load_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	load_ctx *x = vctx;
	char now[32];
	mc_err e = MC_OK;

	ts_format(ts_now(), now);
	/* Rows are in file order: a province precedes its communes, so parents
	 * exist before children even with foreign keys enforced. */
	for (size_t i = 0; i < x->n && !e; i++) {
		e = upsert_unit(c, &x->rows[i]);
		if (!e)
			e = upsert_committee(c, &x->rows[i], now);
	}
	if (e)
		return mc_fail(diag, e, "cannot store administrative units");
	json_t *d = json_pack("{s:i, s:i, s:i}", "provinces", x->provinces, "communes", x->communes,
	                      "agencies", (int)x->n);
	e = audit_append(c, "system", "territory.load", "territory", d);
	json_decref(d);
	return e;
}

mc_err territory_load_units(store *s, const char *path, int *units, int *agencies, mc_diag *diag)
{
	json_error_t jerr;
	load_ctx x = {0};
	mc_err e;
	json_t *root = json_load_file(path, 0, &jerr);

	if (!root) {
		e = mc_fail(diag, MC_ERR_IO, "cannot read %s: %s (line %d)", path, jerr.text,
		            jerr.line);
		goto out;
	}
	e = parse_units(root, &x, diag);
	if (e)
		goto out;
	e = store_write(s, load_fn, &x, diag);
	if (e)
		goto out;
	if (units)
		*units = (int)x.n;
	if (agencies)
		*agencies = (int)x.n;
out:
	free(x.rows);
	json_decref(root);
	return e;
}

/* ---- lookups ----------------------------------------------------------- */

static json_t *unit_json(store_stmt *st)
{
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "code",
	                 store_col_text(st, 0), "name", store_col_text(st, 1), "name_en",
	                 store_col_text(st, 2), "full_name", store_col_text(st, 3), "full_name_en",
	                 store_col_text(st, 4), "type", store_col_text(st, 5), "level",
	                 store_col_text(st, 6), "parent", store_col_text(st, 7));
}

static json_t *agency_json(store_stmt *st)
{
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "code", store_col_text(st, 0),
	                 "name", store_col_text(st, 1), "name_en", store_col_text(st, 2), "level",
	                 store_col_text(st, 3), "unit", store_col_text(st, 4), "parent",
	                 store_col_text(st, 5));
}

/* Runs a one-parameter query and returns its first row as JSON (or NULL). */
static mc_err get_one(store_conn *c, const char *sql, const char *arg,
                      json_t *(*to_json)(store_stmt *), json_t **out)
{
	store_stmt *st = NULL;
	bool row = false;
	mc_err e = store_prepare(c, sql, &st);

	*out = NULL;
	if (e)
		return e;
	store_bind_text(st, 1, arg);
	e = store_step(st, &row);
	if (!e && row)
		*out = to_json(st);
	store_finish(st);
	return e;
}

mc_err territory_agency_get(store_conn *c, const char *code, json_t **out, mc_diag *diag)
{
	json_t *a = NULL;
	mc_err e;

	*out = NULL;
	if (!code || !*code || strlen(code) > CODE_MAX)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có cơ quan này.", "No agency %.64s.",
		                code ? code : "");
	e = get_one(c, "SELECT " AGENCY_COLS " FROM agency WHERE code = ?1", code, agency_json, &a);
	if (e)
		return mc_fail(diag, e, "cannot read agency %s", code);
	if (!a)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có cơ quan này.", "No agency %s.",
		                code);
	*out = a;
	return MC_OK;
}

mc_err territory_unit_get(store_conn *c, const char *code, bool children, json_t **out,
                          mc_diag *diag)
{
	json_t *u = NULL, *kids = NULL;
	store_stmt *st = NULL;
	bool row = false;
	mc_err e;

	*out = NULL;
	if (!code || !*code || strlen(code) > CODE_MAX)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có đơn vị hành chính này.",
		                "No administrative unit %.64s.", code ? code : "");
	e = get_one(c, "SELECT " UNIT_COLS " FROM unit WHERE code = ?1", code, unit_json, &u);
	if (e)
		return mc_fail(diag, e, "cannot read unit %s", code);
	if (!u)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có đơn vị hành chính này.",
		                "No administrative unit %s.", code);
	if (children && strcmp(json_string_value(json_object_get(u, "level")), "province") == 0) {
		kids = json_array();
		e = store_prepare(
		    c, "SELECT " UNIT_COLS " FROM unit WHERE parent = ?1 ORDER BY code", &st);
		if (e)
			goto out;
		store_bind_text(st, 1, code);
		while (!(e = store_step(st, &row)) && row)
			json_array_append_new(kids, unit_json(st));
		store_finish(st);
		if (e)
			goto out;
		json_object_set_new(u, "children", kids);
		kids = NULL;
	}
out:
	json_decref(kids);
	if (e) {
		json_decref(u);
		return mc_fail(diag, e, "cannot read the communes of %s", code);
	}
	*out = u;
	return MC_OK;
}

/* ---- lists ------------------------------------------------------------- */

static bool in_set(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

static mc_err check_code_param(const char *v, const char *name, mc_diag *diag)
{
	if (v && (!*v || strlen(v) > CODE_MAX))
		return mc_fail2(diag, MC_ERR_INVALID, "Tham số mã không hợp lệ.",
		                "Parameter %s must be a code of 1 to %d bytes.", name, CODE_MAX);
	return MC_OK;
}

/* Shared list runner: `base` selects the columns from the table; filters
 * are fixed SQL fragments with bound values. */
static mc_err run_list(store_conn *c, const territory_query *q, bool agencies, json_t **items,
                       bool *more, mc_diag *diag)
{
	static const char *const unit_levels[] = {"province", "commune", NULL};
	static const char *const agency_levels[] = {"central", "province", "commune", NULL};
	const char *vals[6];
	char *folded = NULL;
	mc_buf sql = {0};
	store_stmt *st = NULL;
	int n = 0, limit = q->limit < 1 ? 1 : q->limit > 100 ? 100 : q->limit;
	mc_err e = MC_OK;

	*items = NULL;
	*more = false;
	if (q->level && !in_set(q->level, agencies ? agency_levels : unit_levels))
		return mc_fail2(diag, MC_ERR_INVALID, "Tham số level không hợp lệ.",
		                agencies ? "Parameter level must be central, province or commune."
		                         : "Parameter level must be province or commune.");
	if ((e = check_code_param(q->parent, "parent", diag)) ||
	    (e = check_code_param(q->unit, "unit", diag)) ||
	    (e = check_code_param(q->after, "cursor", diag)))
		return e;
	if (q->q && strlen(q->q) > QUERY_MAX_BYTES)
		return mc_fail2(diag, MC_ERR_INVALID, "Từ khóa tìm kiếm quá dài.",
		                "Parameter q is longer than %d bytes.", QUERY_MAX_BYTES);

	mc_buf_printf(&sql, "SELECT %s FROM %s WHERE 1 = 1", agencies ? AGENCY_COLS : UNIT_COLS,
	              agencies ? "agency" : "unit");
	if (q->level) {
		vals[n++] = q->level;
		mc_buf_printf(&sql, " AND level = ?%d", n);
	}
	if (q->parent) {
		vals[n++] = q->parent;
		mc_buf_printf(&sql, " AND parent = ?%d", n);
	}
	if (agencies && q->unit) {
		vals[n++] = q->unit;
		mc_buf_printf(&sql, " AND unit = ?%d", n);
	}
	if (q->q) {
		folded = text_fold(q->q);
		if (*folded) {
			/* folded text holds only [a-z0-9 ]: no LIKE wildcards */
			vals[n++] = folded;
			mc_buf_printf(&sql, " AND search LIKE '%%' || ?%d || '%%'", n);
		}
	}
	if (q->after) {
		vals[n++] = q->after;
		mc_buf_printf(&sql, " AND code > ?%d", n);
	}
	mc_buf_printf(&sql, " ORDER BY code LIMIT ?%d", n + 1);

	e = store_prepare(c, mc_buf_cstr(&sql), &st);
	if (e)
		goto out;
	for (int i = 0; i < n; i++)
		store_bind_text(st, i + 1, vals[i]);
	store_bind_int(st, n + 1, limit + 1);
	*items = json_array();
	e = store_collect(st, limit, agencies ? agency_json : unit_json, *items, more);
	store_finish(st);
out:
	if (e) {
		json_decref(*items);
		*items = NULL;
		mc_fail(diag, e, "cannot list %s", agencies ? "agencies" : "units");
	}
	free(folded);
	mc_buf_free(&sql);
	return e;
}

mc_err territory_unit_list(store_conn *c, const territory_query *q, json_t **items, bool *more,
                           mc_diag *diag)
{
	return run_list(c, q, false, items, more, diag);
}

mc_err territory_agency_list(store_conn *c, const territory_query *q, json_t **items, bool *more,
                             mc_diag *diag)
{
	return run_list(c, q, true, items, more, diag);
}

/* ---- agency changes ---------------------------------------------------- */

static bool valid_code(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > CODE_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!isalnum(ch) && ch != '-' && ch != '.' && ch != '_')
			return false;
	}
	return true;
}

/* Reads member `key` of body as a trimmed name: *out is a malloc'ed string,
 * NULL when absent (error when `required`). */
static void take_name(json_t *body, const char *key, bool required, json_t *errs, char **out)
{
	json_t *v = json_object_get(body, key);
	char path[32];

	*out = NULL;
	snprintf(path, sizeof path, "$.%s", key);
	if (!v) {
		if (required)
			mc_errors_add(errs, path, "is required", "bắt buộc");
		return;
	}
	const char *s = json_string_value(v);
	if (!s) {
		mc_errors_add(errs, path, "must be a string", "phải là chuỗi");
		return;
	}
	char *t = text_trim_dup(s, strlen(s));
	if (!*t || strlen(t) > NAME_MAX_BYTES) {
		mc_errors_add(errs, path, "must be 1 to 256 bytes", "phải dài từ 1 đến 256 byte");
		free(t);
		return;
	}
	*out = t;
}

/* Reads an optional code member: *present tells whether it was given, *out
 * the code (NULL for JSON null). */
static void take_ref(json_t *body, const char *key, json_t *errs, bool *present, const char **out)
{
	json_t *v = json_object_get(body, key);
	char path[32];

	*present = v != NULL;
	*out = NULL;
	if (!v || json_is_null(v))
		return;
	snprintf(path, sizeof path, "$.%s", key);
	if (!json_is_string(v) || !valid_code(json_string_value(v))) {
		mc_errors_add(errs, path, "must be a code or null", "phải là mã hoặc null");
		return;
	}
	*out = json_string_value(v);
}

/* True when following parents from `start` reaches `code` (or is too deep). */
static mc_err parent_cycle(store_conn *c, const char *code, const char *start, bool *cycle)
{
	char cur[CODE_MAX + 1];
	mc_err e = MC_OK;

	*cycle = false;
	snprintf(cur, sizeof cur, "%s", start);
	for (int depth = 0; depth < PARENT_DEPTH_MAX; depth++) {
		json_t *a = NULL;
		if (strcmp(cur, code) == 0) {
			*cycle = true;
			return MC_OK;
		}
		e = get_one(c, "SELECT " AGENCY_COLS " FROM agency WHERE code = ?1", cur,
		            agency_json, &a);
		if (e || !a)
			return e;
		const char *p = json_string_value(json_object_get(a, "parent"));
		if (!p) {
			json_decref(a);
			return MC_OK;
		}
		snprintf(cur, sizeof cur, "%s", p);
		json_decref(a);
	}
	*cycle = true;
	return MC_OK;
}

static mc_err agency_put(store_conn *c, const char *actor, const char *code, json_t *body,
                         bool create, json_t **out, mc_diag *diag)
{
	static const char *const levels[] = {"central", "province", "commune", NULL};
	json_t *errs = json_array(), *old = NULL, *unit = NULL, *after = NULL;
	char *name = NULL, *name_en = NULL, *search = NULL, now[32];
	const char *level = NULL, *unit_code = NULL, *parent = NULL;
	bool has_unit = false, has_parent = false;
	mc_err e = MC_OK;

	*out = NULL;
	if (!json_is_object(body)) {
		e = mc_fail2(diag, MC_ERR_INVALID, "Nội dung phải là đối tượng JSON.",
		             "The body must be a JSON object.");
		goto out;
	}
	/* shape */
	json_t *jcode = json_object_get(body, "code");
	if (create) {
		code = json_string_value(jcode);
		if (!code || !valid_code(code)) {
			mc_errors_add(errs, "$.code",
			              "must be 2 to 32 letters, digits, '.', '-' or '_'",
			              "phải gồm 2 đến 32 chữ cái, chữ số, '.', '-' hoặc '_'");
			code = NULL;
		}
	} else if (!valid_code(code)) {
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có cơ quan này.", "No agency %.64s.",
		             code ? code : "");
		goto out;
	} else if (jcode && (!json_is_string(jcode) || strcmp(json_string_value(jcode), code))) {
		mc_errors_add(errs, "$.code", "must equal the code in the path",
		              "phải trùng với mã trên đường dẫn");
	}
	take_name(body, "name", create, errs, &name);
	take_name(body, "name_en", create, errs, &name_en);
	json_t *jlevel = json_object_get(body, "level");
	if (jlevel || create) {
		level = json_string_value(jlevel);
		if (!level || !in_set(level, levels)) {
			mc_errors_add(errs, "$.level", "must be central, province or commune",
			              "phải là central, province hoặc commune");
			level = NULL;
		}
	}
	take_ref(body, "unit", errs, &has_unit, &unit_code);
	take_ref(body, "parent", errs, &has_parent, &parent);
	if (json_array_size(errs))
		goto invalid;

	/* existence */
	e = get_one(c, "SELECT " AGENCY_COLS " FROM agency WHERE code = ?1", code, agency_json,
	            &old);
	if (e)
		goto out;
	if (create && old) {
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Mã cơ quan đã tồn tại.",
		             "Agency %s already exists.", code);
		goto out;
	}
	if (!create && !old) {
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có cơ quan này.", "No agency %s.",
		             code);
		goto out;
	}
	if (old) { /* absent members keep their value */
		if (!name)
			name = mc_xstrdup(json_string_value(json_object_get(old, "name")));
		if (!name_en)
			name_en = mc_xstrdup(json_string_value(json_object_get(old, "name_en")));
		if (!level)
			level = json_string_value(json_object_get(old, "level"));
		if (!has_unit)
			unit_code = json_string_value(json_object_get(old, "unit"));
		if (!has_parent)
			parent = json_string_value(json_object_get(old, "parent"));
	}

	/* references */
	if (strcmp(level, "central") == 0) {
		if (unit_code)
			mc_errors_add(errs, "$.unit", "must be null for a central agency",
			              "phải là null với cơ quan trung ương");
	} else if (!unit_code) {
		mc_errors_add(errs, "$.unit", "is required for a local agency",
		              "bắt buộc với cơ quan địa phương");
	} else {
		e = get_one(c, "SELECT " UNIT_COLS " FROM unit WHERE code = ?1", unit_code,
		            unit_json, &unit);
		if (e)
			goto out;
		if (!unit)
			mc_errors_add(errs, "$.unit", "no such administrative unit",
			              "không có đơn vị hành chính này");
		else if (strcmp(json_string_value(json_object_get(unit, "level")), level) != 0)
			mc_errors_add(errs, "$.unit", "the unit's level differs from the agency's",
			              "cấp của đơn vị khác cấp của cơ quan");
	}
	if (parent) {
		bool cycle = false;
		json_t *pa = NULL;
		e = get_one(c, "SELECT " AGENCY_COLS " FROM agency WHERE code = ?1", parent,
		            agency_json, &pa);
		if (e)
			goto out;
		if (!pa) {
			mc_errors_add(errs, "$.parent", "no such agency", "không có cơ quan này");
		} else {
			json_decref(pa);
			e = parent_cycle(c, code, parent, &cycle);
			if (e)
				goto out;
			if (cycle)
				mc_errors_add(errs, "$.parent", "would make a cycle of parents",
				              "tạo thành vòng lặp cơ quan cấp trên");
		}
	}
	if (json_array_size(errs))
		goto invalid;

	/* write */
	ts_format(ts_now(), now);
	search = fold3(name, name_en, code);
	{
		const char *p[] = {code, name, name_en, level, unit_code, parent, search, now};
		e = store_execv(
		    c,
		    create ? "INSERT INTO agency (code, name, name_en, level, unit, parent, "
		             "search, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		           : "UPDATE agency SET name = ?2, name_en = ?3, level = ?4, "
		             "unit = ?5, parent = ?6, search = ?7, updated_at = ?8 "
		             "WHERE code = ?1",
		    8, p);
		if (e)
			goto out;
	}
	e = get_one(c, "SELECT " AGENCY_COLS " FROM agency WHERE code = ?1", code, agency_json,
	            &after);
	if (e || !after) {
		e = e ? e : MC_ERR_INTERNAL;
		goto out;
	}
	{
		json_t *d = create ? json_pack("{s:O}", "after", after)
		                   : json_pack("{s:O, s:O}", "before", old, "after", after);
		char *object = mc_xasprintf("agency:%s", code);
		e = audit_append(c, actor, create ? "agency.create" : "agency.update", object, d);
		free(object);
		json_decref(d);
		if (e)
			goto out;
	}
	*out = after;
	after = NULL;
	goto out;
invalid:
	e = mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Thông tin cơ quan không hợp lệ.",
	             "The agency has invalid fields.");
	mc_diag_ext(diag, "errors", errs);
	errs = NULL;
out:
	if (e && e != MC_ERR_UNPROCESSABLE && e != MC_ERR_CONFLICT && e != MC_ERR_NOT_FOUND &&
	    e != MC_ERR_INVALID && diag && !diag->detail[0])
		mc_fail(diag, e, "cannot store agency");
	json_decref(errs);
	json_decref(old);
	json_decref(unit);
	json_decref(after);
	free(name);
	free(name_en);
	free(search);
	return e;
}

mc_err territory_ensure_agency(store_conn *c, const char *code, const char *name_vi,
                               const char *name_en, const char *level, const char *unit,
                               const char *parent)
{
	static const char *const levels[] = {"central", "province", "commune", NULL};
	char now[32], *search = NULL;
	mc_err e;

	if (!valid_code(code) || !name_vi || !*name_vi || !name_en || !*name_en || !level ||
	    !in_set(level, levels))
		return MC_ERR_INVALID;
	ts_format(ts_now(), now);
	search = fold3(name_vi, name_en, code);
	const char *p[] = {code, name_vi, name_en, level, unit, parent, search, now};
	e = store_execv(c,
	                "INSERT INTO agency (code, name, name_en, level, unit, parent, search, "
	                "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	                "ON CONFLICT (code) DO NOTHING",
	                8, p);
	free(search);
	if (e || store_changes(c) != 1)
		return e;
	json_t *d =
	    json_pack("{s:{s:s, s:s, s:s, s:s, s:s?, s:s?}}", "after", "code", code, "name",
	              name_vi, "name_en", name_en, "level", level, "unit", unit, "parent", parent);
	char *object = mc_xasprintf("agency:%s", code);
	e = audit_append(c, "system", "agency.create", object, d);
	free(object);
	json_decref(d);
	return e;
}

typedef struct put_ctx {
	const char *actor, *code;
	json_t *body;
	bool create;
	json_t *out;
} put_ctx;

static mc_err put_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	put_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	mc_diag_clear(diag);
	return agency_put(c, x->actor, x->code, x->body, x->create, &x->out, diag);
}

mc_err territory_agency_save(store *s, const char *actor, const char *code, json_t *body,
                             bool create, json_t **out, mc_diag *diag)
{
	put_ctx x = {.actor = actor, .code = code, .body = body, .create = create};
	mc_err e = store_write(s, put_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		x.out = NULL;
	}
	*out = x.out;
	return e;
}
