/* jsonschema.c - validation of JSON instances against the JSON Schema
 * (2020-12) subset described in jsonschema.h.
 *
 * The validator walks schema and instance together and collects every
 * failure as {"path", "message", "message_vi"}; it never stops at the first
 * one. Paths are JSON paths: "$" is the instance, ".name" an object member
 * (["name"] when the name is not an identifier), "[3]" an array element.
 * Keywords outside the subset are ignored (annotations such as title or
 * description). Patterns are POSIX extended regular expressions, searched
 * anywhere in the string like ECMA-262 patterns are; \d \w \s and their
 * negations are translated. A pattern that jsonschema_pattern_check refuses
 * (too long, invalid, or whose counted repetitions would make regcomp
 * allocate too much) is reported as a schema error instead of being
 * compiled; the others are compiled once per validation (a small cache in
 * the validation context). A string that already fails maxLength is not
 * matched against the pattern (regexec time grows with its length).
 * Matching is byte-wise (C locale): "." matches one byte of a UTF-8
 * letter, so length limits belong in minLength/maxLength, which count code
 * points. */
#include "core/jsonschema.h"

#include "core/err.h"

#include "core/date.h"
#include "core/mem.h"
#include "core/text.h"

#include <math.h>
#include <regex.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONSCHEMA_MAX_DEPTH 64
#define JSONSCHEMA_MAX_ERRORS 200
#define STR_(x) #x
#define STR(x) STR_(x)

static atomic_ulong compiled;

/* A compiled pattern of the validation in progress. */
typedef struct compiled_pattern {
	const char *pattern; /* the schema's string (borrowed) */
	bool ok;             /* false: refused or invalid, nothing compiled */
	const char *why_en, *why_vi;
	regex_t re;
} compiled_pattern;

/* State of one jsonschema_validate call. */
typedef struct vctx {
	json_t *errors;
	compiled_pattern *patterns;
	size_t npatterns, cap;
} vctx;

static void add_error(json_t *errors, const char *path, const char *en, const char *vi)
{
	if (json_array_size(errors) >= JSONSCHEMA_MAX_ERRORS)
		return;
	mc_errors_add(errors, path, en, vi);
}

/* True when name can follow a dot in a JSON path. */
static bool is_identifier(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		if (!alpha && !(p != name && c >= '0' && c <= '9'))
			return false;
	}
	return true;
}

/* New malloc'ed path of member `name` below `path`. */
static char *path_member(const char *path, const char *name)
{
	if (is_identifier(name))
		return mc_xasprintf("%s.%s", path, name);
	mc_buf b = {0};
	mc_buf_puts(&b, path);
	mc_buf_puts(&b, "['");
	for (const char *p = name; *p; p++) {
		if (*p == '\'' || *p == '\\')
			mc_buf_append(&b, "\\", 1);
		mc_buf_append(&b, p, 1);
	}
	mc_buf_puts(&b, "']");
	return mc_buf_cstr(&b);
}

static const char *type_name_vi(const char *t)
{
	if (!strcmp(t, "string"))
		return "chuỗi ký tự";
	if (!strcmp(t, "integer"))
		return "số nguyên";
	if (!strcmp(t, "number"))
		return "số";
	if (!strcmp(t, "boolean"))
		return "giá trị đúng/sai";
	if (!strcmp(t, "object"))
		return "đối tượng";
	if (!strcmp(t, "array"))
		return "danh sách";
	if (!strcmp(t, "null"))
		return "null";
	return t;
}

static bool has_type(json_t *inst, const char *t)
{
	if (!strcmp(t, "string"))
		return json_is_string(inst);
	if (!strcmp(t, "number"))
		return json_is_number(inst);
	if (!strcmp(t, "integer")) {
		if (json_is_integer(inst))
			return true;
		if (json_is_real(inst)) {
			double v = json_real_value(inst);
			return isfinite(v) && floor(v) == v;
		}
		return false;
	}
	if (!strcmp(t, "boolean"))
		return json_is_boolean(inst);
	if (!strcmp(t, "object"))
		return json_is_object(inst);
	if (!strcmp(t, "array"))
		return json_is_array(inst);
	if (!strcmp(t, "null"))
		return json_is_null(inst);
	return false;
}

/* JSON equality where 1 and 1.0 are the same number. */
static bool values_equal(json_t *a, json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	return json_equal(a, b) != 0;
}

static void check_type(json_t *schema, json_t *inst, const char *path, json_t *errors)
{
	json_t *type = json_object_get(schema, "type");
	if (!type)
		return;
	mc_buf en = {0}, vi = {0};
	if (json_is_string(type)) {
		const char *t = json_string_value(type);
		if (has_type(inst, t))
			return;
		mc_buf_printf(&en, "must be of type %s", t);
		mc_buf_printf(&vi, "phải có kiểu %s", type_name_vi(t));
	} else if (json_is_array(type)) {
		size_t i;
		json_t *t;
		json_array_foreach(type, i, t)
		{
			if (json_is_string(t) && has_type(inst, json_string_value(t)))
				return;
		}
		mc_buf_puts(&en, "must be of type ");
		mc_buf_puts(&vi, "phải có kiểu ");
		json_array_foreach(type, i, t)
		{
			if (!json_is_string(t))
				continue;
			if (i) {
				mc_buf_puts(&en, " or ");
				mc_buf_puts(&vi, " hoặc ");
			}
			mc_buf_puts(&en, json_string_value(t));
			mc_buf_puts(&vi, type_name_vi(json_string_value(t)));
		}
	} else {
		return;
	}
	add_error(errors, path, mc_buf_cstr(&en), mc_buf_cstr(&vi));
	mc_buf_free(&en);
	mc_buf_free(&vi);
}

/* Short JSON text of v for messages (at most ~60 bytes). */
static char *short_json(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s)
		return mc_xstrdup("?");
	if (strlen(s) > 60) {
		size_t cut = 57;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--; /* keep UTF-8 whole */
		strcpy(s + cut, "...");
	}
	return s;
}

static void check_enum_const(json_t *schema, json_t *inst, const char *path, json_t *errors)
{
	json_t *en = json_object_get(schema, "enum");
	if (json_is_array(en)) {
		size_t i;
		json_t *v;
		bool found = false;
		json_array_foreach(en, i, v)
		{
			if (values_equal(v, inst)) {
				found = true;
				break;
			}
		}
		if (!found) {
			mc_buf list = {0};
			json_array_foreach(en, i, v)
			{
				if (i == 10) {
					mc_buf_puts(&list, ", ...");
					break;
				}
				char *s = short_json(v);
				mc_buf_printf(&list, "%s%s", i ? ", " : "", s);
				free(s);
			}
			char *m1 = mc_xasprintf("must be one of: %s", mc_buf_cstr(&list));
			char *m2 =
			    mc_xasprintf("phải là một trong các giá trị: %s", mc_buf_cstr(&list));
			add_error(errors, path, m1, m2);
			free(m1);
			free(m2);
			mc_buf_free(&list);
		}
	}
	json_t *cv = json_object_get(schema, "const");
	if (cv && !values_equal(cv, inst)) {
		char *s = short_json(cv);
		char *m1 = mc_xasprintf("must be equal to %s", s);
		char *m2 = mc_xasprintf("phải bằng %s", s);
		add_error(errors, path, m1, m2);
		free(m1);
		free(m2);
		free(s);
	}
}

/* Non-negative integer keyword value, or -1 when absent or malformed. */
static long long count_keyword(json_t *schema, const char *kw)
{
	json_t *v = json_object_get(schema, kw);
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) >= 0 &&
	    floor(json_real_value(v)) == json_real_value(v))
		return (long long)json_real_value(v);
	return -1;
}

/* Translates ECMA-262 shorthand classes into POSIX ERE. NULL when the
 * pattern ends with a lone backslash. */
static char *translate_pattern(const char *p)
{
	mc_buf b = {0};
	bool in_class = false;
	for (; *p; p++) {
		if (*p == '\\') {
			char n = p[1];
			const char *rep = NULL;
			switch (n) {
			case 'd':
				rep = in_class ? "0-9" : "[0-9]";
				break;
			case 'D':
				rep = in_class ? NULL : "[^0-9]";
				break;
			case 'w':
				rep = in_class ? "A-Za-z0-9_" : "[A-Za-z0-9_]";
				break;
			case 'W':
				rep = in_class ? NULL : "[^A-Za-z0-9_]";
				break;
			case 's':
				rep = in_class ? " \t\n\r\f\v" : "[[:space:]]";
				break;
			case 'S':
				rep = in_class ? NULL : "[^[:space:]]";
				break;
			case '\0':
				mc_buf_free(&b);
				return NULL;
			default:
				break;
			}
			if (rep) {
				mc_buf_puts(&b, rep);
			} else if (in_class) {
				/* inside a POSIX bracket a backslash is literal */
				mc_buf_append(&b, &n, 1);
			} else {
				mc_buf_append(&b, p, 2);
			}
			p++;
			continue;
		}
		if (!in_class && *p == '[') {
			in_class = true;
			mc_buf_append(&b, p, 1);
			if (p[1] == '^') {
				mc_buf_append(&b, ++p, 1);
			}
			if (p[1] == ']') /* a leading ] is a member */
				mc_buf_append(&b, ++p, 1);
			continue;
		}
		if (in_class && *p == ']')
			in_class = false;
		mc_buf_append(&b, p, 1);
	}
	return mc_buf_cstr(&b);
}

/* ---- the cost of a pattern ----
 *
 * A scan of the translated ERE that counts what glibc's regcomp will build:
 * each atom once, a repeated expression once per copy ({m,n} makes n copies,
 * {m,} m + 1, "+" two, "*" and "?" one) and nested or stacked repetitions
 * multiply. Values saturate at COST_INF. */

#define COST_INF 1000000000LL

typedef struct rx_scan {
	const char *p;
	const char *why_en, *why_vi; /* first reason to refuse */
} rx_scan;

static long long sat_add(long long a, long long b)
{
	return a + b > COST_INF ? COST_INF : a + b;
}

static long long sat_mul(long long a, long long b)
{
	if (a == 0 || b == 0)
		return 0;
	return a > COST_INF / b ? COST_INF : a * b;
}

static void rx_refuse(rx_scan *s, const char *en, const char *vi)
{
	if (!s->why_en) {
		s->why_en = en;
		s->why_vi = vi;
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads digits at *p (saturating), -1 when there are none. */
static long long rx_number(const char **p)
{
	if (!is_digit(**p))
		return -1;
	long long v = 0;
	while (is_digit(**p)) {
		v = v * 10 + (**p - '0');
		if (v > COST_INF)
			v = COST_INF;
		(*p)++;
	}
	return v;
}

/* A repetition operator at s->p: advances and sets *copies; false when
 * there is none (a "{" that does not start an interval is left alone). */
static bool rx_quantifier(rx_scan *s, long long *copies)
{
	const char *p = s->p;
	switch (*p) {
	case '*':
	case '?':
		*copies = 1;
		s->p++;
		return true;
	case '+':
		*copies = 2; /* a+ is built as a a* */
		s->p++;
		return true;
	case '{':
		break;
	default:
		return false;
	}
	p++;
	long long m = rx_number(&p), n = -1;
	bool comma = *p == ',';
	if (comma) {
		p++;
		n = rx_number(&p);
	}
	if (*p != '}' || (m < 0 && !comma))
		return false;
	s->p = p + 1;
	if (m < 0)
		m = 0; /* glibc reads {,n} as {0,n} */
	if (m > JSONSCHEMA_PATTERN_MAX_REPEAT || n > JSONSCHEMA_PATTERN_MAX_REPEAT)
		rx_refuse(s, "a repetition bound is over " STR(JSONSCHEMA_PATTERN_MAX_REPEAT),
		          "có giới hạn lặp lớn hơn " STR(JSONSCHEMA_PATTERN_MAX_REPEAT));
	if (n >= 0)
		*copies = n;
	else if (comma)
		*copies = m == 0 ? 1 : m + 1;
	else
		*copies = m;
	if (*copies < 1)
		*copies = 1; /* {0}: the expression was built before being dropped */
	return true;
}

/* Skips a bracket expression starting at s->p ("["). */
static void rx_bracket(rx_scan *s)
{
	const char *p = s->p + 1;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
			char close = p[1];
			const char *q = p + 2;
			while (*q && !(q[0] == close && q[1] == ']'))
				q++;
			p = *q ? q + 2 : q;
			continue;
		}
		p++;
	}
	s->p = *p ? p + 1 : p;
}

static long long rx_alternation(rx_scan *s, long long *maxprod);

/* One atom at s->p; returns its expanded size, *maxprod the largest
 * repetition product inside it. */
static long long rx_atom(rx_scan *s, long long *maxprod)
{
	*maxprod = 1;
	switch (*s->p) {
	case '(': {
		s->p++;
		long long n = rx_alternation(s, maxprod);
		if (*s->p == ')')
			s->p++;
		return n > 0 ? n : 1;
	}
	case '[':
		rx_bracket(s);
		return 1;
	case '\\':
		if (s->p[1] >= '1' && s->p[1] <= '9')
			rx_refuse(s, "back-references (\\1 to \\9) are not supported",
			          "không hỗ trợ tham chiếu ngược (\\1 đến \\9)");
		s->p += s->p[1] ? 2 : 1;
		return 1;
	default:
		s->p++;
		return 1;
	}
}

/* Atoms and their repetitions up to "|", ")" or the end. */
static long long rx_sequence(rx_scan *s, long long *maxprod)
{
	long long total = 0;
	*maxprod = 1;
	while (*s->p && *s->p != '|' && *s->p != ')') {
		long long prod;
		long long n = rx_atom(s, &prod);
		long long copies;
		while (rx_quantifier(s, &copies)) {
			n = sat_mul(n, copies);
			prod = sat_mul(prod, copies);
		}
		if (prod > *maxprod)
			*maxprod = prod;
		total = sat_add(total, n);
	}
	return total;
}

/* Branches separated by "|" up to ")" or the end: every branch is built. */
static long long rx_alternation(rx_scan *s, long long *maxprod)
{
	long long total = 0;
	*maxprod = 1;
	for (;;) {
		long long prod;
		total = sat_add(total, rx_sequence(s, &prod));
		if (prod > *maxprod)
			*maxprod = prod;
		if (*s->p != '|')
			break;
		s->p++;
	}
	return total;
}

/* NULL when the translated pattern `ere` is cheap enough, else a reason. */
static const char *rx_cost_check(const char *ere, const char **vi)
{
	rx_scan s = {.p = ere};
	long long atoms = 0, maxprod = 1;
	while (*s.p) {
		long long prod;
		atoms = sat_add(atoms, rx_alternation(&s, &prod));
		if (prod > maxprod)
			maxprod = prod;
		if (*s.p == ')')
			s.p++; /* an unmatched ")" is an ordinary character in an ERE */
	}
	if (!s.why_en && maxprod > JSONSCHEMA_PATTERN_MAX_REPEAT)
		rx_refuse(&s,
		          "nested or stacked repetitions make more than " STR(
		              JSONSCHEMA_PATTERN_MAX_REPEAT) " copies",
		          "các phép lặp lồng nhau tạo ra hơn " STR(
		              JSONSCHEMA_PATTERN_MAX_REPEAT) " bản sao");
	if (!s.why_en && atoms > JSONSCHEMA_PATTERN_MAX_ATOMS)
		rx_refuse(
		    &s,
		    "too complex: more than " STR(
		        JSONSCHEMA_PATTERN_MAX_ATOMS) " atoms once its repetitions are expanded",
		    "quá phức tạp: hơn " STR(
		        JSONSCHEMA_PATTERN_MAX_ATOMS) " thành phần khi khai triển các phép lặp");
	if (vi)
		*vi = s.why_vi;
	return s.why_en;
}

static const char too_long_en[] = "longer than " STR(JSONSCHEMA_PATTERN_MAX) " bytes";
static const char too_long_vi[] = "dài quá " STR(JSONSCHEMA_PATTERN_MAX) " byte";
static const char invalid_en[] = "not a valid POSIX extended regular expression";
static const char invalid_vi[] = "không phải biểu thức chính quy (POSIX ERE) hợp lệ";

/* Checks `pattern` and, when accepted, compiles it into *re (the caller
 * regfree's it). Returns NULL on success, else the reason (English; *vi
 * the Vietnamese). */
static const char *pattern_compile(const char *pattern, regex_t *re, const char **vi)
{
	const char *dummy;
	if (!vi)
		vi = &dummy;
	if (strlen(pattern) > JSONSCHEMA_PATTERN_MAX) {
		*vi = too_long_vi;
		return too_long_en;
	}
	char *ere = translate_pattern(pattern);
	if (!ere) {
		*vi = invalid_vi;
		return invalid_en;
	}
	const char *why = rx_cost_check(ere, vi);
	if (!why) {
		atomic_fetch_add(&compiled, 1);
		if (regcomp(re, ere, REG_EXTENDED | REG_NOSUB) != 0) {
			*vi = invalid_vi;
			why = invalid_en;
		}
	}
	free(ere);
	return why;
}

const char *jsonschema_pattern_check(const char *pattern, const char **vi)
{
	regex_t re;
	const char *why = pattern_compile(pattern, &re, vi);
	if (!why)
		regfree(&re);
	return why;
}

unsigned long jsonschema_compile_count(void)
{
	return atomic_load(&compiled);
}

/* The compiled form of `pattern` for this validation, compiled on first
 * use. */
static compiled_pattern *pattern_get(vctx *x, const char *pattern)
{
	for (size_t i = 0; i < x->npatterns; i++) {
		if (!strcmp(x->patterns[i].pattern, pattern))
			return &x->patterns[i];
	}
	if (x->npatterns == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 4;
		x->patterns = mc_xrealloc(x->patterns, x->cap * sizeof *x->patterns);
	}
	compiled_pattern *c = &x->patterns[x->npatterns++];
	memset(c, 0, sizeof *c);
	c->pattern = pattern;
	c->why_en = pattern_compile(pattern, &c->re, &c->why_vi);
	c->ok = c->why_en == NULL;
	return c;
}

static void patterns_free(vctx *x)
{
	for (size_t i = 0; i < x->npatterns; i++) {
		if (x->patterns[i].ok)
			regfree(&x->patterns[i].re);
	}
	free(x->patterns);
	x->patterns = NULL;
	x->npatterns = x->cap = 0;
}

static bool email_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 254)
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
		    c == '<' || c == '>' || c == '[' || c == ']' || c == '"' || c == '\\')
			return false;
	}
	const char *dom = at + 1;
	const char *dot = strrchr(dom, '.');
	if (!dot || dot == dom || dot[1] == '\0')
		return false;
	if (dom[0] == '.' || strstr(dom, ".."))
		return false;
	return true;
}

static void check_string(json_t *schema, json_t *inst, const char *path, vctx *x)
{
	json_t *errors = x->errors;
	if (!json_is_string(inst))
		return;
	const char *s = json_string_value(inst);
	long long len = -1;
	long long min = count_keyword(schema, "minLength");
	long long max = count_keyword(schema, "maxLength");
	if (min >= 0 || max >= 0)
		len = text_utf8_valid(s, strlen(s)) ? (long long)text_utf8_len(s)
		                                    : (long long)strlen(s);
	char en[160], vi[160];
	if (min >= 0 && len < min) {
		snprintf(en, sizeof en, "must be at least %lld characters long", min);
		snprintf(vi, sizeof vi, "phải có ít nhất %lld ký tự", min);
		add_error(errors, path, en, vi);
	}
	if (max >= 0 && len > max) {
		snprintf(en, sizeof en, "must be at most %lld characters long", max);
		snprintf(vi, sizeof vi, "chỉ được có tối đa %lld ký tự", max);
		add_error(errors, path, en, vi);
	}
	json_t *pat = json_object_get(schema, "pattern");
	if (json_is_string(pat) && !(max >= 0 && len > max)) {
		compiled_pattern *c = pattern_get(x, json_string_value(pat));
		if (!c->ok) {
			char *m1 = mc_xasprintf("the schema's pattern is refused: %s", c->why_en);
			char *m2 = mc_xasprintf(
			    "mẫu (pattern) của lược đồ không được chấp nhận: %s", c->why_vi);
			add_error(errors, path, m1, m2);
			free(m1);
			free(m2);
		} else if (regexec(&c->re, s, 0, NULL, 0) != 0) {
			char *m1 = mc_xasprintf("does not match the pattern %.*s",
			                        JSONSCHEMA_PATTERN_MAX, json_string_value(pat));
			char *m2 = mc_xasprintf("không đúng định dạng %.*s", JSONSCHEMA_PATTERN_MAX,
			                        json_string_value(pat));
			add_error(errors, path, m1, m2);
			free(m1);
			free(m2);
		}
	}
	json_t *fmt = json_object_get(schema, "format");
	if (json_is_string(fmt)) {
		const char *f = json_string_value(fmt);
		mc_day d;
		if (!strcmp(f, "date") && !date_parse(s, &d))
			add_error(errors, path, "must be a date in the form YYYY-MM-DD",
			          "phải là ngày hợp lệ theo định dạng YYYY-MM-DD");
		else if (!strcmp(f, "email") && !email_valid(s))
			add_error(errors, path, "must be an email address",
			          "phải là địa chỉ thư điện tử hợp lệ");
	}
}

static void check_number(json_t *schema, json_t *inst, const char *path, json_t *errors)
{
	if (!json_is_number(inst))
		return;
	double v = json_number_value(inst);
	json_t *min = json_object_get(schema, "minimum");
	json_t *max = json_object_get(schema, "maximum");
	char en[160], vi[160];
	if (json_is_number(min) && v < json_number_value(min)) {
		snprintf(en, sizeof en, "must be greater than or equal to %g",
		         json_number_value(min));
		snprintf(vi, sizeof vi, "phải lớn hơn hoặc bằng %g", json_number_value(min));
		add_error(errors, path, en, vi);
	}
	if (json_is_number(max) && v > json_number_value(max)) {
		snprintf(en, sizeof en, "must be less than or equal to %g", json_number_value(max));
		snprintf(vi, sizeof vi, "phải nhỏ hơn hoặc bằng %g", json_number_value(max));
		add_error(errors, path, en, vi);
	}
}

static void validate_at(json_t *schema, json_t *inst, const char *path, vctx *x, int depth);

static void check_object(json_t *schema, json_t *inst, const char *path, vctx *x, int depth)
{
	json_t *errors = x->errors;
	if (!json_is_object(inst))
		return;
	json_t *props = json_object_get(schema, "properties");
	json_t *req = json_object_get(schema, "required");
	if (json_is_array(req)) {
		size_t i;
		json_t *r;
		json_array_foreach(req, i, r)
		{
			if (json_is_string(r) && !json_object_get(inst, json_string_value(r))) {
				char *p = path_member(path, json_string_value(r));
				add_error(errors, p, "is required", "là thông tin bắt buộc");
				free(p);
			}
		}
	}
	json_t *addl = json_object_get(schema, "additionalProperties");
	const char *key;
	json_t *val;
	json_object_foreach(inst, key, val)
	{
		json_t *sub = json_is_object(props) ? json_object_get(props, key) : NULL;
		if (sub) {
			char *p = path_member(path, key);
			validate_at(sub, val, p, x, depth + 1);
			free(p);
		} else if (json_is_false(addl)) {
			char *p = path_member(path, key);
			add_error(errors, p, "is not allowed here",
			          "không được phép có trường này");
			free(p);
		}
	}
}

static void check_array(json_t *schema, json_t *inst, const char *path, vctx *x, int depth)
{
	json_t *errors = x->errors;
	if (!json_is_array(inst))
		return;
	long long n = (long long)json_array_size(inst);
	long long min = count_keyword(schema, "minItems");
	long long max = count_keyword(schema, "maxItems");
	char en[160], vi[160];
	if (min >= 0 && n < min) {
		snprintf(en, sizeof en, "must have at least %lld items", min);
		snprintf(vi, sizeof vi, "phải có ít nhất %lld phần tử", min);
		add_error(errors, path, en, vi);
	}
	if (max >= 0 && n > max) {
		snprintf(en, sizeof en, "must have at most %lld items", max);
		snprintf(vi, sizeof vi, "chỉ được có tối đa %lld phần tử", max);
		add_error(errors, path, en, vi);
	}
	json_t *items = json_object_get(schema, "items");
	if (json_is_object(items) || json_is_boolean(items)) {
		size_t i;
		json_t *v;
		json_array_foreach(inst, i, v)
		{
			char *p = mc_xasprintf("%s[%zu]", path, i);
			validate_at(items, v, p, x, depth + 1);
			free(p);
		}
	}
}

static void validate_at(json_t *schema, json_t *inst, const char *path, vctx *x, int depth)
{
	json_t *errors = x->errors;
	if (json_is_true(schema))
		return;
	if (json_is_false(schema)) {
		add_error(errors, path, "is not allowed here", "không được phép có trường này");
		return;
	}
	if (!json_is_object(schema))
		return;
	if (depth > JSONSCHEMA_MAX_DEPTH) {
		add_error(errors, path, "the schema is nested too deeply",
		          "lược đồ lồng nhau quá sâu");
		return;
	}
	check_type(schema, inst, path, errors);
	check_enum_const(schema, inst, path, errors);
	check_string(schema, inst, path, x);
	check_number(schema, inst, path, errors);
	check_object(schema, inst, path, x, depth);
	check_array(schema, inst, path, x, depth);
}

json_t *jsonschema_validate(json_t *schema, json_t *instance)
{
	vctx x = {.errors = json_array()};
	if (!instance) {
		add_error(x.errors, "$", "is required", "là thông tin bắt buộc");
		return x.errors;
	}
	validate_at(schema, instance, "$", &x, 0);
	patterns_free(&x);
	return x.errors;
}
