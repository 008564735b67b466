/* opendata_rules.c - the pure rules of open data: licence, theme and
 * frequency vocabularies, dataset names, Table Schema checks, the streaming
 * CSV validator, the parser of CKAN/Solr filter terms and the scoring
 * rules of the Decision 766 index. No I/O. */
#include "opendata/opendata.h"

#include "core/date.h"
#include "core/mem.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const od_license od_licenses[] = {
    {"CC-BY-4.0", "Creative Commons Attribution 4.0",
     "https://creativecommons.org/licenses/by/4.0/"},
    {"CC-BY-SA-4.0", "Creative Commons Attribution Share-Alike 4.0",
     "https://creativecommons.org/licenses/by-sa/4.0/"},
    {"CC0-1.0", "Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/"},
    {"ODC-BY-1.0", "Open Data Commons Attribution License",
     "https://opendatacommons.org/licenses/by/1-0/"},
    {"ODbL-1.0", "Open Data Commons Open Database License (ODbL)",
     "https://opendatacommons.org/licenses/odbl/1-0/"},
    {"PDDL-1.0", "Open Data Commons Public Domain Dedication and License (PDDL)",
     "https://opendatacommons.org/licenses/pddl/1-0/"},
    {0, 0, 0},
};

const od_license *od_license_find(const char *id)
{
	for (const od_license *l = od_licenses; id && l->id; l++)
		if (strcmp(l->id, id) == 0)
			return l;
	return NULL;
}

const od_theme od_themes[] = {
    {"AGRI", "Agriculture, fisheries, forestry and food",
     "Nông nghiệp, thủy sản, lâm nghiệp và thực phẩm"},
    {"ECON", "Economy and finance", "Kinh tế và tài chính"},
    {"EDUC", "Education, culture and sport", "Giáo dục, văn hóa và thể thao"},
    {"ENER", "Energy", "Năng lượng"},
    {"ENVI", "Environment", "Môi trường"},
    {"GOVE", "Government and public sector", "Chính phủ và khu vực công"},
    {"HEAL", "Health", "Y tế"},
    {"INTR", "International issues", "Vấn đề quốc tế"},
    {"JUST", "Justice, legal system and public safety", "Tư pháp, pháp luật và an toàn công cộng"},
    {"REGI", "Regions and cities", "Vùng và đô thị"},
    {"SOCI", "Population and society", "Dân số và xã hội"},
    {"TECH", "Science and technology", "Khoa học và công nghệ"},
    {"TRAN", "Transport", "Giao thông vận tải"},
    {0, 0, 0},
};

const od_theme *od_theme_find(const char *code)
{
	for (const od_theme *t = od_themes; code && t->code; t++)
		if (strcmp(t->code, code) == 0)
			return t;
	return NULL;
}

static const char *const frequencies[][2] = {
    {"DAILY", "daily"},         {"WEEKLY", "weekly"},     {"MONTHLY", "monthly"},
    {"QUARTERLY", "quarterly"}, {"ANNUAL", "annual"},     {"IRREG", "irregular"},
    {"CONT", "continuous"},     {"UNKNOWN", "unknown"},   {"NEVER", "never"},
    {"BIENNIAL", "biennial"},   {"BIWEEKLY", "biweekly"}, {"ANNUAL_2", "semiannual"},
};

const char *od_frequency_label(const char *code)
{
	for (size_t i = 0; code && i < sizeof frequencies / sizeof frequencies[0]; i++)
		if (strcmp(frequencies[i][0], code) == 0)
			return frequencies[i][1];
	return NULL;
}

bool od_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 2 || n > OD_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* ---- Table Schema ---- */

static const char *const field_types[] = {"string", "integer",  "number", "boolean",
                                          "date",   "datetime", "year"};

static bool type_known(const char *t)
{
	for (size_t i = 0; t && i < sizeof field_types / sizeof field_types[0]; i++)
		if (strcmp(field_types[i], t) == 0)
			return true;
	return false;
}

void od_schema_check(json_t *schema, const char *path, json_t *errors)
{
	char p[160];
	json_t *fields = json_object_get(schema, "fields");
	if (!json_is_object(schema) || !json_is_array(fields) || json_array_size(fields) == 0 ||
	    json_array_size(fields) > OD_SCHEMA_FIELDS) {
		mc_errors_add(errors, path, "a table schema is an object with 1..200 \"fields\"",
		              "lược đồ bảng phải là đối tượng có 1..200 trường (\"fields\")");
		return;
	}
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		snprintf(p, sizeof p, "%s.fields[%zu]", path, i);
		const char *name = json_string_value(json_object_get(f, "name"));
		json_t *type = json_object_get(f, "type");
		if (!name || !*name || strlen(name) > 200) {
			mc_errors_add(errors, p, "each field needs a name (1..200 characters)",
			              "mỗi trường cần có tên (1..200 ký tự)");
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			const char *other =
			    json_string_value(json_object_get(json_array_get(fields, j), "name"));
			if (other && strcmp(other, name) == 0)
				mc_errors_add(errors, p, "field names must be unique",
				              "tên trường không được trùng nhau");
		}
		if (type && !type_known(json_string_value(type)))
			mc_errors_add(
			    errors, p,
			    "type must be string, integer, number, boolean, date, datetime "
			    "or year",
			    "kiểu phải là string, integer, number, boolean, date, datetime "
			    "hoặc year");
		json_t *cons = json_object_get(f, "constraints");
		if (cons && !json_is_object(cons))
			mc_errors_add(errors, p, "constraints must be an object",
			              "constraints phải là đối tượng");
		json_t *en = json_object_get(cons, "enum");
		if (en && (!json_is_array(en) || json_array_size(en) > 1000))
			mc_errors_add(errors, p, "enum must be an array of at most 1000 values",
			              "enum phải là mảng tối đa 1000 giá trị");
	}
}

/* ---- streaming CSV validator ---- */

#define CELL_MAX (1 << 20) /* a longer cell is an error and is cut */

enum { T_STRING, T_INTEGER, T_NUMBER, T_BOOLEAN, T_DATE, T_DATETIME, T_YEAR };

/* One field of the schema, read once. */
typedef struct rule {
	const char *name, *type_name;
	int type;
	bool required, has_min, has_max;
	double min, max;
	json_t *en; /* enum array or NULL (borrowed) */
} rule;

struct od_csv {
	rule *rules;
	size_t nfields;
	bool has_schema;
	mc_buf row;   /* cells of the current row, each NUL-terminated */
	size_t *offs; /* start of each cell in row */
	size_t ncells, capcells;
	size_t cell_start;
	int cell_over;
	bool in_quotes, quote_seen, after_cr, any_in_row;
	int64_t line; /* row number, 1 = header */
	int64_t rows;
	long nerrors;
	json_t *errors;
};

static int type_of(const char *t)
{
	for (size_t i = 0; t && i < sizeof field_types / sizeof field_types[0]; i++)
		if (strcmp(field_types[i], t) == 0)
			return (int)i;
	return T_STRING;
}

od_csv *od_csv_new(json_t *schema)
{
	od_csv *v = mc_xcalloc(1, sizeof *v);
	json_t *f = json_object_get(schema, "fields");
	if (json_is_array(f)) {
		v->has_schema = true;
		v->nfields = json_array_size(f);
		v->rules = mc_xcalloc(v->nfields ? v->nfields : 1, sizeof *v->rules);
		for (size_t i = 0; i < v->nfields; i++) {
			json_t *fi = json_array_get(f, i);
			json_t *cons = json_object_get(fi, "constraints");
			rule *r = &v->rules[i];
			r->name = json_string_value(json_object_get(fi, "name"));
			r->type_name = json_string_value(json_object_get(fi, "type"));
			if (!r->type_name)
				r->type_name = "string";
			r->type = type_of(r->type_name);
			r->required = json_is_true(json_object_get(cons, "required"));
			json_t *mn = json_object_get(cons, "minimum"),
			       *mx = json_object_get(cons, "maximum");
			r->has_min =
			    json_is_number(mn) && (r->type == T_INTEGER || r->type == T_NUMBER);
			r->has_max =
			    json_is_number(mx) && (r->type == T_INTEGER || r->type == T_NUMBER);
			r->min = json_number_value(mn);
			r->max = json_number_value(mx);
			json_t *en = json_object_get(cons, "enum");
			r->en = json_is_array(en) ? en : NULL;
		}
	}
	v->errors = json_array();
	v->line = 1;
	return v;
}

static void err(od_csv *v, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err(od_csv *v, const char *field, const char *fmt, ...)
{
	v->nerrors++;
	if (json_array_size(v->errors) >= OD_ERRORS_MAX)
		return;
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_t *e =
	    json_pack("{s:I,s:s?,s:s}", "row", (json_int_t)v->line, "field", field, "message", msg);
	json_array_append_new(v->errors, e);
}

static bool is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool is_number(const char *s)
{
	char *end;
	if (!*s || isspace((unsigned char)*s))
		return false;
	strtod(s, &end);
	return *end == '\0';
}

static bool is_date(const char *s)
{
	mc_day d;
	return strlen(s) == 10 && date_parse(s, &d);
}

static bool is_datetime(const char *s)
{
	time_t t;
	return ts_parse(s, &t);
}

static void check_cell(od_csv *v, const rule *r, const char *s)
{
	if (!*s) {
		if (r->required)
			err(v, r->name, "a value is required");
		return;
	}
	bool ok = true;
	switch (r->type) {
	case T_INTEGER:
		ok = is_int(s);
		break;
	case T_NUMBER:
		ok = is_number(s);
		break;
	case T_BOOLEAN:
		ok = strcmp(s, "true") == 0 || strcmp(s, "false") == 0 || strcmp(s, "1") == 0 ||
		     strcmp(s, "0") == 0;
		break;
	case T_DATE:
		ok = is_date(s);
		break;
	case T_DATETIME:
		ok = is_datetime(s);
		break;
	case T_YEAR:
		ok = is_int(s) && strlen(s) <= 5;
		break;
	default:
		break;
	}
	if (!ok) {
		err(v, r->name, "\"%.60s\" is not a valid %s", s, r->type_name);
		return;
	}
	if (r->has_min || r->has_max) {
		double x = strtod(s, NULL);
		if (r->has_min && x < r->min)
			err(v, r->name, "%.60s is below the minimum %g", s, r->min);
		if (r->has_max && x > r->max)
			err(v, r->name, "%.60s is above the maximum %g", s, r->max);
	}
	if (r->en) {
		size_t i;
		json_t *e;
		bool found = false;
		json_array_foreach(r->en, i, e)
		{
			char buf[64];
			const char *es = json_string_value(e);
			if (!es && json_is_integer(e)) {
				snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
				         json_integer_value(e));
				es = buf;
			}
			if (es && strcmp(es, s) == 0)
				found = true;
		}
		if (!found)
			err(v, r->name, "\"%.60s\" is not one of the allowed values", s);
	}
}

static const char *cell(od_csv *v, size_t i)
{
	return v->row.data + v->offs[i];
}

static void end_row(od_csv *v)
{
	size_t n = v->ncells;
	if (v->line == 1) {
		/* header: must list the schema's fields in order */
		if (v->has_schema) {
			if (n != v->nfields)
				err(v, NULL, "the header has %zu columns, the schema %zu fields", n,
				    v->nfields);
			for (size_t i = 0; i < n && i < v->nfields; i++) {
				const char *f = v->rules[i].name;
				if (f && strcmp(cell(v, i), f) != 0)
					err(v, f, "header column %zu is \"%.60s\", expected \"%s\"",
					    i + 1, cell(v, i), f);
			}
		}
	} else {
		v->rows++;
		if (v->has_schema && n != v->nfields) {
			err(v, NULL, "the row has %zu values, expected %zu", n, v->nfields);
		} else if (v->has_schema) {
			for (size_t i = 0; i < n; i++)
				check_cell(v, &v->rules[i], cell(v, i));
		}
	}
	v->row.len = 0;
	v->ncells = 0;
	v->cell_start = 0;
	v->line++;
	v->any_in_row = false;
}

static void end_cell(od_csv *v)
{
	if (v->cell_over)
		err(v, NULL, "a value is longer than %d bytes", CELL_MAX);
	size_t len = v->row.len - v->cell_start;
	if (!text_utf8_valid(v->row.data + v->cell_start, len)) {
		err(v, NULL, "a value is not valid UTF-8");
		v->row.len = v->cell_start;
	}
	mc_buf_append(&v->row, "", 1);
	if (v->ncells == v->capcells) {
		v->capcells = v->capcells ? v->capcells * 2 : 16;
		v->offs = mc_xrealloc(v->offs, v->capcells * sizeof *v->offs);
	}
	v->offs[v->ncells++] = v->cell_start;
	v->cell_start = v->row.len;
	v->cell_over = 0;
	v->quote_seen = false;
}

static void cell_add(od_csv *v, const char *p, size_t n)
{
	size_t have = v->row.len - v->cell_start;
	if (have + n > CELL_MAX) {
		v->cell_over = 1;
		n = have >= CELL_MAX ? 0 : CELL_MAX - have;
	}
	if (n)
		mc_buf_append(&v->row, p, n);
}

static bool cell_empty(const od_csv *v)
{
	return v->row.len == v->cell_start;
}

void od_csv_feed(od_csv *v, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (v->in_quotes) {
			/* a run up to the closing quote */
			const char *q = memchr(p + i, '"', n - i);
			size_t run = q ? (size_t)(q - (p + i)) : n - i;
			cell_add(v, p + i, run);
			i += run;
			if (q) {
				v->in_quotes = false;
				v->quote_seen = true;
			}
			continue;
		}
		if (v->after_cr) {
			v->after_cr = false;
			if (c == '\n')
				continue;
		}
		switch (c) {
		case '"':
			if (v->quote_seen) { /* "" inside a quoted value */
				cell_add(v, "\"", 1);
				v->in_quotes = true;
			} else if (!cell_empty(v)) { /* a stray quote: kept as text */
				cell_add(v, &c, 1);
			} else {
				v->in_quotes = true;
			}
			v->any_in_row = true;
			break;
		case ',':
			end_cell(v);
			v->any_in_row = true;
			break;
		case '\r':
		case '\n':
			if (v->any_in_row || !cell_empty(v) || v->ncells) {
				end_cell(v);
				end_row(v);
			}
			v->after_cr = c == '\r';
			break;
		default: {
			/* a run of plain characters */
			size_t j = i + 1;
			while (j < n && p[j] != ',' && p[j] != '"' && p[j] != '\r' && p[j] != '\n')
				j++;
			cell_add(v, p + i, j - i);
			v->any_in_row = true;
			i = j - 1;
		}
		}
	}
}

long od_csv_finish(od_csv *v, json_t **errors, int64_t *rows)
{
	if (v->in_quotes)
		err(v, NULL, "a quoted value is not closed");
	if (v->any_in_row || !cell_empty(v) || v->ncells) {
		end_cell(v);
		end_row(v);
	}
	if (v->line == 1 && v->has_schema)
		err(v, NULL, "the file is empty: a header row is required");
	if (errors)
		*errors = json_incref(v->errors);
	if (rows)
		*rows = v->rows;
	return v->nerrors;
}

void od_csv_free(od_csv *v)
{
	if (!v)
		return;
	mc_buf_free(&v->row);
	free(v->offs);
	free(v->rules);
	json_decref(v->errors);
	free(v);
}

/* ---- filter terms ---- */

static const char *const term_fields[] = {"name",
                                          "title",
                                          "tags",
                                          "organization",
                                          "res_format",
                                          "license_id",
                                          "metadata_modified",
                                          "metadata_created",
                                          "groups",
                                          "id",
                                          "owner_org",
                                          "text",
                                          "notes"};

bool od_date_bound(const char *s, char out[21])
{
	if (strcmp(s, "NOW") == 0 || strncmp(s, "NOW", 3) == 0) {
		ts_format(ts_now(), out);
		return true;
	}
	size_t n = strlen(s);
	if (n == 10) {
		mc_day d;
		if (!date_parse(s, &d))
			return false;
		snprintf(out, 21, "%.10sT00:00:00Z", s);
		return true;
	}
	if (n < 19 || s[10] != 'T')
		return false;
	char buf[21];
	memcpy(buf, s, 19);
	buf[19] = 'Z';
	buf[20] = '\0';
	const char *rest = s + 19;
	if (*rest == '.') {
		rest++;
		while (isdigit((unsigned char)*rest))
			rest++;
	}
	if (*rest == 'Z')
		rest++;
	if (*rest)
		return false;
	time_t t;
	if (!ts_parse(buf, &t))
		return false;
	memcpy(out, buf, 21);
	return true;
}

static char *unquote(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return mc_xstrndup(s + 1, n - 2);
	return mc_xstrndup(s, n);
}

mc_err od_terms_parse(const char *text, od_term **terms, int *n, char **words, mc_diag *diag)
{
	*terms = NULL;
	*n = 0;
	*words = NULL;
	mc_buf w = {0};
	int cap = 0;
	const char *s = text ? text : "";
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '+')
			s++;
		if (!*s)
			break;
		/* one token: up to a space outside quotes and brackets */
		const char *start = s;
		int depth = 0;
		bool q = false;
		while (*s && (q || depth || (*s != ' ' && *s != '\t'))) {
			if (*s == '"')
				q = !q;
			else if (!q && *s == '[')
				depth++;
			else if (!q && *s == ']')
				depth--;
			if (depth < 0)
				break;
			s++;
		}
		if (q || depth) {
			od_terms_free(*terms, *n);
			*terms = NULL;
			*n = 0;
			mc_buf_free(&w);
			return mc_fail(diag, MC_ERR_INVALID, "unbalanced quote or bracket");
		}
		size_t len = (size_t)(s - start);
		if ((len == 3 && strncmp(start, "AND", 3) == 0) ||
		    (len == 3 && strncmp(start, "*:*", 3) == 0))
			continue;
		const char *colon = memchr(start, ':', len);
		if (!colon || start[0] == '"') {
			if (w.len)
				mc_buf_append(&w, " ", 1);
			char *u = unquote(start, len);
			mc_buf_puts(&w, u);
			free(u);
			continue;
		}
		size_t fl = (size_t)(colon - start);
		bool known = false;
		for (size_t i = 0; i < sizeof term_fields / sizeof term_fields[0]; i++)
			if (strlen(term_fields[i]) == fl && strncmp(term_fields[i], start, fl) == 0)
				known = true;
		if (!known || fl >= sizeof((*terms)->field)) {
			od_terms_free(*terms, *n);
			*terms = NULL;
			*n = 0;
			mc_buf_free(&w);
			return mc_fail(diag, MC_ERR_INVALID, "unknown field %.*s", (int)fl, start);
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*terms = mc_xrealloc(*terms, (size_t)cap * sizeof **terms);
		}
		od_term *t = &(*terms)[(*n)++];
		memset(t, 0, sizeof *t);
		memcpy(t->field, start, fl);
		const char *v = colon + 1;
		size_t vl = len - fl - 1;
		if (vl >= 2 && v[0] == '[' && v[vl - 1] == ']') {
			const char *to = strstr(v, " TO ");
			if (!to || to > v + vl) {
				od_terms_free(*terms, *n);
				*terms = NULL;
				*n = 0;
				mc_buf_free(&w);
				return mc_fail(diag, MC_ERR_INVALID, "a range needs [A TO B]");
			}
			char *lo = mc_xstrndup(v + 1, (size_t)(to - v - 1));
			char *hi = mc_xstrndup(to + 4, (size_t)(v + vl - 1 - (to + 4)));
			t->lo = strcmp(lo, "*") ? lo : (free(lo), NULL);
			t->hi = strcmp(hi, "*") ? hi : (free(hi), NULL);
		} else {
			t->value = unquote(v, vl);
		}
	}
	if (w.len)
		*words = mc_xstrdup(mc_buf_cstr(&w));
	mc_buf_free(&w);
	return MC_OK;
}

void od_terms_free(od_term *terms, int n)
{
	for (int i = 0; i < n; i++) {
		free(terms[i].value);
		free(terms[i].lo);
		free(terms[i].hi);
	}
	free(terms);
}

double od_766_points(double rate, double max, double threshold)
{
	if (rate <= 0)
		return 0;
	if (threshold <= 0 || rate >= threshold)
		return max;
	return rate * max / threshold;
}

double od_766_digitization(double digitized, double t_digitized, double reuse, double t_reuse,
                           double max)
{
	if (digitized < 0)
		return -1;
	if (reuse < 0)
		return od_766_points(digitized, max, t_digitized);
	return od_766_points(digitized, max / 2, t_digitized) +
	       od_766_points(reuse, max / 2, t_reuse);
}
