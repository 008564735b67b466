/* catalog_parse.c - recovers structure from the national portal's procedure
 * records, whose tables were flattened into text when they were scraped:
 * the channel table ("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5
 * Ngày làm việc25 USD..."), the component tables ("Tên giấy tờMẫu đơn, tờ
 * khaiSố lượng<name>1 bản chính...") and the classification of their rows
 * (documents, notes, conditions), levels, steps, results and legal basis.
 * Pure functions on strings; the heuristics are documented in
 * docs/CATALOG.md and exercised on real samples by
 * tests/catalog_parse_test.c. */
#include "catalog/catalog_parse.h"

#include "core/mem.h"
#include "core/text.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DESCRIPTION 8000 /* bytes kept of a channel row's description */
#define MAX_NAME 2000        /* bytes kept of a component name */
#define MAX_COMPONENTS 200
#define MAX_STEPS 100
#define MAX_STEP 2000
#define MAX_RESULTS 50
#define MAX_LEGAL 100

static const char CHANNEL_HEADER[] = "Hình thức nộpThời gianPhí, lệ phíMô tả";
static const char COMPONENT_HEADER[] = "Tên giấy tờMẫu đơn, tờ khaiSố lượng";
static const char NO_INFO[] = "Không có thông tin";

/* ---- UTF-8 and case helpers ---- */

/* Decodes the code point at s (*n = its length; a stray byte is itself). */
static uint32_t u8_get(const char *s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	if (p[0] < 0x80) {
		*n = 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
		*n = 2;
		return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
	}
	if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		*n = 3;
		return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
		       (p[2] & 0x3F);
	}
	if ((p[0] & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
	    (p[3] & 0xC0) == 0x80) {
		*n = 4;
		return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
		       ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
	}
	*n = 1;
	return p[0];
}

/* Lower case of the letters Vietnamese uses; other code points unchanged. */
static uint32_t cp_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 0x20;
	if (c >= 0x100 && c <= 0x17F && !(c & 1))
		return c + 1;
	if (c == 0x1A0 || c == 0x1AF)
		return c + 1;
	if (c >= 0x1EA0 && c <= 0x1EF9 && !(c & 1))
		return c + 1;
	return c;
}

static bool cp_is_upper(uint32_t c)
{
	return cp_lower(c) != c;
}

static bool cp_is_lower(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return true;
	if (c >= 0xDF && c <= 0xFF && c != 0xF7)
		return true;
	if (c >= 0x101 && c <= 0x17F && (c & 1))
		return true;
	if (c == 0x1A1 || c == 0x1B0)
		return true;
	return c >= 0x1EA1 && c <= 0x1EF9 && (c & 1);
}

/* Case-insensitive match of the lower-case literal `lit` at s. Returns the
 * bytes of s matched, 0 when s does not start with lit. */
static size_t match_ci(const char *s, const char *lit)
{
	const char *p = s;
	while (*lit) {
		if (!*p)
			return 0;
		size_t n1, n2;
		uint32_t a = u8_get(p, &n1), b = u8_get(lit, &n2);
		if (cp_lower(a) != b)
			return 0;
		p += n1;
		lit += n2;
	}
	return (size_t)(p - s);
}

static bool starts(const char *s, const char *lit)
{
	return strncmp(s, lit, strlen(lit)) == 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const char *skip_spaces(const char *s)
{
	while (is_space(*s))
		s++;
	return s;
}

/* Length of the longest prefix of s[0..n) that is at most `max` bytes and
 * ends on a UTF-8 boundary. */
static size_t u8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

/* New JSON string of s[0..n) trimmed, cut at `max` bytes; NULL when empty. */
static json_t *jstr_trim(const char *s, size_t n, size_t max)
{
	while (n && is_space(*s)) {
		s++;
		n--;
	}
	while (n && is_space(s[n - 1]))
		n--;
	if (!n)
		return NULL;
	n = u8_cut(s, n, max);
	return json_stringn(s, n);
}

/* JSON number: integer when integral. */
static json_t *jnum(double v)
{
	if (floor(v) == v && fabs(v) < 1e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* ---- time limits ---- */

const char *catalog_unit_name(catalog_unit u)
{
	switch (u) {
	case LIMIT_WORKING_DAYS:
		return "working_days";
	case LIMIT_DAYS:
		return "days";
	case LIMIT_HOURS:
		return "hours";
	default:
		return "none";
	}
}

catalog_unit catalog_unit_parse(const char *name)
{
	if (!name)
		return LIMIT_NONE;
	if (!strcmp(name, "working_days"))
		return LIMIT_WORKING_DAYS;
	if (!strcmp(name, "days"))
		return LIMIT_DAYS;
	if (!strcmp(name, "hours"))
		return LIMIT_HOURS;
	return LIMIT_NONE;
}

static const struct {
	const char *word; /* lower case */
	catalog_unit unit;
	double factor;
} time_units[] = {
    {"ngày làm việc", LIMIT_WORKING_DAYS, 1},
    {"ngày", LIMIT_DAYS, 1},
    {"giờ", LIMIT_HOURS, 1},
    {"tháng", LIMIT_DAYS, 30},
    {"tuần", LIMIT_DAYS, 7},
    {"phút", LIMIT_HOURS, 1.0 / 60},
};

/* A number of a time limit: "5", "05", "0.5", "1,5" (a separator followed
 * by three digits is a thousands separator and ends the number). */
static size_t parse_num(const char *s, double *v)
{
	const char *p = s;
	double x = 0;
	int digits = 0;
	while (is_digit(*p) && digits < 7) {
		x = x * 10 + (*p - '0');
		p++;
		digits++;
	}
	if (!digits || is_digit(*p))
		return 0;
	if ((*p == '.' || *p == ',') && is_digit(p[1]) && !(is_digit(p[2]) && is_digit(p[3]))) {
		const char *q = p + 1;
		double scale = 0.1;
		while (is_digit(*q) && q - p <= 2) {
			x += (*q - '0') * scale;
			scale /= 10;
			q++;
		}
		if (!is_digit(*q))
			p = q;
	}
	*v = x;
	return (size_t)(p - s);
}

/* Skips "(năm)" style spelled numbers: '(' letters and spaces ')'. */
static const char *skip_spelled(const char *p)
{
	if (*p != '(')
		return p;
	const char *q = p + 1;
	while (*q && *q != ')' && q - p < 40) {
		size_t n;
		uint32_t c = u8_get(q, &n);
		if (!(c == ' ' || cp_is_lower(c) || cp_is_upper(c)))
			return p;
		q += n;
	}
	return *q == ')' ? q + 1 : p;
}

bool catalog_parse_time(const char *s, catalog_time *out)
{
	static const char *const prefixes[] = {"không quá", "tối đa", "trong vòng",
	                                       "trong thời hạn", "trong"};
	const char *p = skip_spaces(s);
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		size_t n = match_ci(p, prefixes[i]);
		if (n && is_space(p[n])) {
			p = skip_spaces(p + n);
			break;
		}
	}
	double a, b;
	size_t n = parse_num(p, &a);
	if (!n)
		return false;
	p += n;
	const char *end = p;
	double lo = a;
	/* range: "10 - 15", "10–15", "10 đến 15" */
	const char *q = skip_spaces(p);
	size_t dash = 0;
	if (*q == '-')
		dash = 1;
	else if (starts(q, "\xE2\x80\x93"))
		dash = 3;
	else
		dash = match_ci(q, "đến");
	if (dash) {
		const char *r = skip_spaces(q + dash);
		size_t m = parse_num(r, &b);
		if (m && b > a) {
			a = b;
			p = end = r + m;
		}
	}
	q = skip_spelled(skip_spaces(p));
	q = skip_spaces(q);
	out->unit = LIMIT_NONE;
	for (size_t i = 0; i < sizeof time_units / sizeof *time_units; i++) {
		size_t m = match_ci(q, time_units[i].word);
		if (m) {
			out->unit = time_units[i].unit;
			out->written = a;
			a *= time_units[i].factor;
			lo *= time_units[i].factor;
			end = q + m;
			break;
		}
	}
	if (out->unit == LIMIT_NONE)
		out->written = a;
	out->amount = a;
	out->min = lo;
	out->len = (size_t)(end - s);
	return true;
}

/* True when the word before position i of text is a date word ("ngày 01
 * tháng 7 năm 2025", "ngày 15/11/2015"), so the number is not a limit. */
static bool after_date_word(const char *text, size_t i)
{
	size_t j = i;
	while (j > 0 && text[j - 1] == ' ')
		j--;
	static const char *const words[] = {"ngày", "tháng", "năm",   "Ngày",  "Tháng", "Năm", "số",
	                                    "Điều", "điều",  "khoản", "Khoản", "mục",   "Mục"};
	for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
		size_t l = strlen(words[k]);
		if (j >= l && !strncmp(text + j - l, words[k], l) && j != i)
			return true;
	}
	return false;
}

bool catalog_find_time(const char *text, double want, catalog_time *out)
{
	if (!text)
		return false;
	for (size_t i = 0; text[i]; i++) {
		if (!is_digit(text[i]))
			continue;
		if (i > 0 && (is_digit(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == ',' ||
		              text[i - 1] == '/'))
			continue;
		catalog_time t;
		if (!catalog_parse_time(text + i, &t) || t.unit == LIMIT_NONE || t.amount <= 0)
			continue;
		/* "ngày 01/7/2025": the number must not continue as a date */
		size_t nl = 0;
		while (is_digit(text[i + nl]))
			nl++;
		if (text[i + nl] == '/')
			continue;
		if (after_date_word(text, i))
			continue;
		if (want > 0 && fabs(t.written - want) > 1e-9)
			continue;
		*out = t;
		return true;
	}
	return false;
}

/* ---- money ---- */

size_t catalog_parse_amount(const char *s, long long *value)
{
	const char *p = s;
	long long v = 0;
	int digits = 0;
	while (is_digit(*p)) {
		if (digits >= 15)
			return 0;
		v = v * 10 + (*p - '0');
		p++;
		digits++;
	}
	if (!digits)
		return 0;
	/* thousands groups: [.,]ddd not followed by another digit */
	while ((*p == ',' || *p == '.') && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
	       !is_digit(p[4]) && digits <= 12) {
		v = v * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		p += 4;
		digits += 3;
	}
	*value = v;
	return (size_t)(p - s);
}

/* Currency word at s (after optional spaces): "VND"/"USD", *n = bytes. */
static const char *match_currency(const char *s, size_t *n)
{
	const char *p = s;
	if (*p == ' ')
		p++;
	static const struct {
		const char *word;
		const char *cur;
	} cur[] = {{"việt nam đồng", "VND"},
	           {"vnđ", "VND"},
	           {"vnd", "VND"},
	           {"đồng", "VND"},
	           {"usd", "USD"}};
	for (size_t i = 0; i < sizeof cur / sizeof *cur; i++) {
		size_t m = match_ci(p, cur[i].word);
		if (m) {
			*n = (size_t)(p - s) + m;
			return cur[i].cur;
		}
	}
	return NULL;
}

/* True when one of the money amounts written in text equals v. */
static bool text_has_amount(const char *text, size_t len, long long v)
{
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(text[i]) || (i > 0 && is_digit(text[i - 1])))
			continue;
		long long a;
		size_t n = catalog_parse_amount(text + i, &a);
		if (n && a == v)
			return true;
		if (n)
			i += n - 1;
	}
	return false;
}

/* True when text mentions a money amount ("8.000.000", "20.000 đồng"). */
static bool text_mentions_money(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(text[i]) || (i > 0 && is_digit(text[i - 1])))
			continue;
		long long a;
		size_t n = catalog_parse_amount(text + i, &a);
		if (!n)
			continue;
		size_t cn;
		const char *after = text + i + n;
		if (a >= 1000 && (memchr(text + i, '.', n) || memchr(text + i, ',', n)))
			return true;
		if (match_currency(after, &cn) || starts(after, "đ") || starts(after, "/lần"))
			return true;
		i += n - 1;
	}
	return false;
}

/* End of a parenthesised note starting at s ('('): one past the matching
 * ')', or the end of the string when unbalanced. */
static const char *note_end(const char *s)
{
	int depth = 0;
	const char *p = s;
	for (; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return p;
}

json_t *catalog_parse_fee(const char *s, size_t *len)
{
	const char *p = s;
	json_t *fee = json_object();
	size_t n;
	if ((n = match_ci(p, "miễn phí")) != 0) {
		json_object_set_new(fee, "free", json_true());
		json_object_set_new(fee, "amount_vnd", json_integer(0));
		p += n;
	} else if (starts(p, NO_INFO)) {
		json_object_set_new(fee, "free", json_null());
		json_object_set_new(fee, "amount_vnd", json_null());
		p += strlen(NO_INFO);
	} else {
		long long v;
		size_t an = catalog_parse_amount(p, &v), cn = 0;
		const char *cur = an ? match_currency(p + an, &cn) : NULL;
		if (!cur) {
			json_decref(fee);
			return NULL;
		}
		p += an + cn;
		json_object_set_new(fee, "free", json_boolean(v == 0));
		json_object_set_new(fee, "amount", json_integer(v));
		json_object_set_new(fee, "currency", json_string(cur));
		if (!strcmp(cur, "VND")) {
			/* "20 VNĐ(20.000 vnđ /tờ khai)": such cells are in thousands */
			if (v > 0 && v < 1000) {
				v *= 1000;
				json_object_set_new(fee, "scaled", json_true());
			}
			json_object_set_new(fee, "amount_vnd", json_integer(v));
		} else {
			json_object_set_new(fee, "amount_vnd", json_null());
		}
	}
	if (*p == '(') {
		const char *e = note_end(p);
		size_t inner = (size_t)(e - p) - (e[-1] == ')' ? 2 : 1);
		json_t *note = jstr_trim(p + 1, inner, MAX_DESCRIPTION);
		if (note) {
			/* "Miễn phí(8.000.000/lần...)": the note contradicts the cell */
			if (json_is_true(json_object_get(fee, "free")) &&
			    text_mentions_money(p + 1, inner)) {
				json_object_set_new(fee, "free", json_false());
				json_object_set_new(fee, "amount_vnd", json_null());
			}
			json_object_set_new(fee, "note", note);
		}
		p = e;
	}
	json_t *text = jstr_trim(s, (size_t)(p - s), MAX_DESCRIPTION);
	json_object_set_new(fee, "text", text ? text : json_string(""));
	*len = (size_t)(p - s);
	return fee;
}

/* ---- channel table ---- */

static const struct {
	const char *label;
	const char *channel;
} channel_labels[] = {
    {"Trực tuyến", "online"},
    {"Trực tiếp", "in_person"},
    {"Dịch vụ bưu chính", "post"},
};

/* Index of the channel label starting a table row at s, or -1. A row label
 * is followed at once by the time cell: a digit or a capital letter. */
static int row_label_at(const char *s, size_t *label_len)
{
	for (int i = 0; i < 3; i++) {
		size_t l = strlen(channel_labels[i].label);
		if (strncmp(s, channel_labels[i].label, l) != 0)
			continue;
		const char *n = s + l;
		size_t cl;
		uint32_t c = u8_get(n, &cl);
		if (is_digit(*n) || (*n && cp_is_upper(c))) {
			*label_len = l;
			return i;
		}
	}
	return -1;
}

/* Hours of a time limit, for comparisons between units. */
static double limit_hours(double amount, catalog_unit u)
{
	switch (u) {
	case LIMIT_HOURS:
		return amount;
	case LIMIT_DAYS:
		return amount * 24;
	case LIMIT_WORKING_DAYS:
		return amount * 24 * 7 / 5;
	default:
		return 0;
	}
}

static json_t *time_json(const catalog_time *t, const char *text, size_t text_len,
                         const char *source)
{
	json_t *o = json_object();
	json_object_set_new(o, "amount", jnum(t->amount));
	json_object_set_new(o, "unit", json_string(catalog_unit_name(t->unit)));
	if (t->min < t->amount)
		json_object_set_new(o, "min", jnum(t->min));
	json_t *tx = jstr_trim(text, text_len, 200);
	if (tx)
		json_object_set_new(o, "text", tx);
	json_object_set_new(o, "source", json_string(source));
	return o;
}

/* Position of the first fee cell start in [p, end): "Miễn phí", "Không có
 * thông tin" or an amount followed by a currency. */
static const char *find_fee_start(const char *p, const char *end)
{
	for (const char *q = p; q < end; q++) {
		if (match_ci(q, "miễn phí") || starts(q, NO_INFO))
			return q;
		if (is_digit(*q) && (q == p || !is_digit(q[-1]))) {
			long long v;
			size_t n = catalog_parse_amount(q, &v), cn;
			if (n && match_currency(q + n, &cn))
				return q;
		}
	}
	return end;
}

/* Splits "120,000 VNĐ" (a bare time cell "1" glued to the fee "20,000
 * VNĐ") into the time digits and the fee. Returns the number of leading
 * digits that belong to the time, 0 when the cell is a fee alone. */
static size_t split_glued_time(const char *cell, size_t amount_len, const char *note,
                               size_t note_len)
{
	size_t best = 0;
	for (size_t k = 1; k <= 2 && k < amount_len; k++) {
		if (!is_digit(cell[k - 1]) || !is_digit(cell[k]))
			break;
		const char *rest = cell + k;
		if (*rest == '0' && is_digit(rest[1]))
			continue; /* a fee does not start with 0 */
		long long v;
		size_t n = catalog_parse_amount(rest, &v);
		if (n != amount_len - k)
			continue; /* the rest must be one well-formed amount */
		if (note_len && (text_has_amount(note, note_len, v) ||
		                 text_has_amount(note, note_len, v * 1000)))
			return k;
		if (!best)
			best = k;
	}
	return best;
}

typedef struct row {
	int channel;
	json_t *time; /* NULL when none */
	double hours;
	json_t *fee; /* NULL when not understood */
	json_t *description;
} row;

static void parse_row(const char *cell, size_t cell_len, const char *context, row *r,
                      unsigned *flags)
{
	char *c = mc_xstrndup(cell, cell_len);
	const char *p = c;
	catalog_time t = {0};
	bool have_time = false;
	const char *time_text = p;
	size_t time_len = 0;
	long long v;
	size_t an = catalog_parse_amount(p, &v), cn;
	if (an && match_currency(p + an, &cn)) {
		/* glued bare time + fee */
		const char *after = p + an + cn;
		const char *ne = *after == '(' ? note_end(after) : after;
		size_t k = split_glued_time(p, an, after, (size_t)(ne - after));
		if (k) {
			double d = 0;
			for (size_t i = 0; i < k; i++)
				d = d * 10 + (p[i] - '0');
			t.amount = t.min = d;
			t.unit = LIMIT_NONE;
			have_time = d > 0;
			time_len = k;
			p += k;
		}
	} else if (catalog_parse_time(p, &t)) {
		have_time = t.amount > 0;
		time_len = t.len;
		p += t.len;
	} else if (starts(p, NO_INFO)) {
		p += strlen(NO_INFO);
	} else {
		/* a text time cell: up to the fee cell */
		const char *f = find_fee_start(p, c + cell_len);
		time_len = (size_t)(f - p);
		catalog_time tt;
		char *tc = mc_xstrndup(p, time_len);
		if (catalog_find_time(tc, 0, &tt)) {
			t = tt;
			have_time = true;
		}
		free(tc);
		p = f;
	}
	size_t fl = 0;
	r->fee = catalog_parse_fee(p, &fl);
	if (!r->fee)
		*flags |= UNPARSED_FEES;
	p += fl;
	r->description = jstr_trim(p, strlen(p), MAX_DESCRIPTION);
	const char *desc = r->description ? json_string_value(r->description) : "";
	const char *source = "table";
	if (have_time && t.unit == LIMIT_NONE) {
		/* a bare number: the unit is in the description, the steps, or assumed */
		catalog_time u;
		if (catalog_find_time(desc, t.amount, &u) ||
		    catalog_find_time(context, t.amount, &u)) {
			double scale = u.amount / u.written;
			t.unit = u.unit;
			t.amount *= scale;
			t.min *= scale;
			source = "table+description";
		} else {
			t.unit = LIMIT_WORKING_DAYS;
			source = "assumed_unit";
			*flags |= PARSED_UNIT_ASSUMED;
		}
	}
	if (!have_time) {
		catalog_time u;
		if (catalog_find_time(desc, 0, &u)) {
			t = u;
			have_time = true;
			source = "description";
			*flags |= PARSED_TIME_FROM_TEXT;
			time_text = NULL;
		}
	}
	if (have_time) {
		r->time =
		    time_json(&t, time_text ? time_text : "", time_text ? time_len : 0, source);
		r->hours = limit_hours(t.amount, t.unit);
	}
	free(c);
}

json_t *catalog_parse_channels(const char *text, const char *context, unsigned *flags)
{
	json_t *out = json_array();
	if (!text) {
		*flags |= UNPARSED_CHANNELS | UNPARSED_TIME_LIMIT;
		return out;
	}
	const char *body = strstr(text, CHANNEL_HEADER);
	body = body ? body + strlen(CHANNEL_HEADER) : text;
	/* row starts */
	size_t cap = 16, n = 0;
	const char **starts_at = mc_xmalloc(cap * sizeof *starts_at);
	int *chan = mc_xmalloc(cap * sizeof *chan);
	size_t *lab = mc_xmalloc(cap * sizeof *lab);
	for (const char *p = body; *p; p++) {
		if (*p != 'T' && *p != 'D')
			continue;
		size_t l;
		int ch = row_label_at(p, &l);
		if (ch < 0)
			continue;
		if (n == cap) {
			cap *= 2;
			starts_at = mc_xrealloc(starts_at, cap * sizeof *starts_at);
			chan = mc_xrealloc(chan, cap * sizeof *chan);
			lab = mc_xrealloc(lab, cap * sizeof *lab);
		}
		starts_at[n] = p;
		chan[n] = ch;
		lab[n] = l;
		n++;
		p += l - 1;
		if (n >= 64)
			break;
	}
	row *rows = mc_xcalloc(n ? n : 1, sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const char *cs = starts_at[i] + lab[i];
		const char *ce = i + 1 < n ? starts_at[i + 1] : cs + strlen(cs);
		rows[i].channel = chan[i];
		parse_row(cs, (size_t)(ce - cs), context, &rows[i], flags);
	}
	/* one entry per channel, in order of first appearance */
	bool any_time = false;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].channel < 0)
			continue;
		int ch = rows[i].channel;
		json_t *entry = json_object();
		json_object_set_new(entry, "channel", json_string(channel_labels[ch].channel));
		json_t *fees = json_array(), *cases = json_array();
		json_t *best = NULL;
		double best_h = -1;
		int count = 0;
		for (size_t j = i; j < n; j++) {
			if (rows[j].channel != ch)
				continue;
			count++;
			if (rows[j].time && rows[j].hours > best_h) {
				best = rows[j].time;
				best_h = rows[j].hours;
			}
			if (rows[j].fee) {
				bool dup = false;
				size_t k;
				json_t *f;
				json_array_foreach(fees, k, f)
				{
					if (json_equal(f, rows[j].fee))
						dup = true;
				}
				if (!dup)
					json_array_append(fees, rows[j].fee);
			}
			json_t *cs = json_object();
			json_object_set(cs, "time_limit",
			                rows[j].time ? rows[j].time : json_null());
			json_object_set(cs, "fee", rows[j].fee ? rows[j].fee : json_null());
			if (rows[j].description)
				json_object_set(cs, "description", rows[j].description);
			json_array_append_new(cases, cs);
			if (j != i)
				rows[j].channel = -1;
		}
		json_object_set(entry, "time_limit", best ? best : json_null());
		if (best)
			any_time = true;
		json_object_set_new(entry, "fees", fees);
		if (rows[i].description)
			json_object_set(entry, "description", rows[i].description);
		if (count > 1)
			json_object_set_new(entry, "cases", cases);
		else
			json_decref(cases);
		json_array_append_new(out, entry);
	}
	for (size_t i = 0; i < n; i++) {
		json_decref(rows[i].time);
		json_decref(rows[i].fee);
		json_decref(rows[i].description);
	}
	free(rows);
	free(starts_at);
	free(chan);
	free(lab);
	if (!n)
		*flags |= UNPARSED_CHANNELS;
	if (!any_time)
		*flags |= UNPARSED_TIME_LIMIT;
	return out;
}

/* ---- components ---- */

/* Finds the next quantity cell ("1 bản chính", "0 bản chính,1 bản sao",
 * "2 bản sao") in [p, end). Sets *qs, *qe and the counts. */
static bool find_quantity(const char *p, const char *end, const char **qs, const char **qe,
                          int *originals, int *copies)
{
	static const char needle[] = " bản ";
	const char *q = p;
	while (q < end) {
		const char *hit = strstr(q, needle);
		if (!hit || hit >= end)
			return false;
		q = hit + 1;
		if (hit == p || !is_digit(hit[-1]))
			continue;
		const char *w = hit + strlen(needle);
		bool orig;
		if (starts(w, "chính")) {
			orig = true;
			w += strlen("chính");
		} else if (starts(w, "sao")) {
			orig = false;
			w += strlen("sao");
		} else {
			continue;
		}
		/* the digits: one, or two; a longer run ends a name ("năm 20251") */
		const char *d = hit;
		while (d > p && is_digit(d[-1]))
			d--;
		size_t run = (size_t)(hit - d);
		if (run > 2)
			d = hit - 1;
		int num = atoi(d);
		int o = orig ? num : 0, c = orig ? 0 : num;
		const char *e = w;
		if (orig && *e == ',' && is_digit(e[1])) {
			const char *x = e + 1;
			int cnum = 0;
			while (is_digit(*x))
				cnum = cnum * 10 + (*x++ - '0');
			if (starts(x, " bản sao")) {
				c = cnum;
				e = x + strlen(" bản sao");
			}
		}
		/* what follows must start the next row, not continue a sentence */
		if (e < end) {
			if (*e == ',' || *e == ';' || *e == ':' || *e == ')')
				continue;
			if (*e == ' ') {
				const char *f = skip_spaces(e);
				size_t cl;
				uint32_t cp = u8_get(f, &cl);
				if (f < end && (cp_is_lower(cp) || *f == '('))
					continue;
			}
		}
		*qs = d;
		*qe = e;
		*originals = o;
		*copies = c;
		return true;
	}
	return false;
}

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t l = strlen(suffix);
	if (n < l)
		return false;
	for (size_t i = 0; i < l; i++) {
		char a = s[n - l + i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a + 32);
		if (a != suffix[i])
			return false;
	}
	return true;
}

/* Length of a template file name ending the row text ("...;Mus08.docx"),
 * 0 when the text does not end with a document file name. */
static size_t template_len(const char *s, size_t n)
{
	static const char *const exts[] = {".docx", ".doc", ".pdf", ".xlsx", ".xls",
	                                   ".rtf",  ".odt", ".zip", ".rar"};
	size_t ext = 0;
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
		if (ends_with_ci(s, n, exts[i])) {
			ext = strlen(exts[i]);
			break;
		}
	}
	if (!ext || n <= ext)
		return 0;
	/* the name starts after the first ";.:)" boundary glued to it whose
	 * tail has no sentence break, within 120 bytes */
	size_t lo = n > 120 ? n - 120 : 0;
	for (size_t i = lo; i + ext < n; i++) {
		char c = s[i];
		unsigned char nx = (unsigned char)s[i + 1];
		bool word = (nx >= '0' && nx <= '9') || (nx >= 'A' && nx <= 'Z') ||
		            (nx >= 'a' && nx <= 'z') || nx >= 0x80;
		if ((c == ';' || c == '.' || c == ':' || c == ')') && word) {
			bool clean = true;
			for (size_t j = i + 1; j + 1 < n; j++) {
				if ((s[j] == '.' || s[j] == ';') && s[j + 1] == ' ')
					clean = false;
			}
			if (clean && i + 1 < n - ext)
				return n - (i + 1);
		}
	}
	/* otherwise the last word */
	size_t i = n - ext;
	while (i > 0 && !is_space(s[i - 1]))
		i--;
	return i > 0 ? n - i : 0;
}

/* Trims bullets and spaces around a row or group text. */
static void trim_bullets(const char **s, size_t *n)
{
	for (;;) {
		while (*n &&
		       (is_space(**s) || **s == '-' || **s == '+' || **s == '*' || **s == '#')) {
			(*s)++;
			(*n)--;
		}
		/* U+2022 bullet, U+F0FC (Wingdings check mark), U+2013 dash */
		if (*n >= 3 && (starts(*s, "\xE2\x80\xA2") || starts(*s, "\xEF\x83\xBC") ||
		                starts(*s, "\xE2\x80\x93"))) {
			*s += 3;
			*n -= 3;
			continue;
		}
		break;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

static void add_component(json_t *out, const char *group, const char *s, size_t n, int originals,
                          int copies, const char *qtext, size_t qlen)
{
	if (json_array_size(out) >= MAX_COMPONENTS)
		return;
	trim_bullets(&s, &n);
	size_t tl = template_len(s, n);
	json_t *tmpl = NULL;
	if (tl) {
		tmpl = jstr_trim(s + n - tl, tl, 300);
		n -= tl;
		while (n && (is_space(s[n - 1]) || s[n - 1] == ';'))
			n--;
		if (!n) { /* the row is only a file name */
			n = tl;
			json_decref(tmpl);
			tmpl = NULL;
		}
	}
	json_t *name = jstr_trim(s, n, MAX_NAME);
	if (!name) {
		json_decref(tmpl);
		return;
	}
	json_t *c = json_object();
	char id[16];
	snprintf(id, sizeof id, "c%zu", json_array_size(out) + 1);
	json_object_set_new(c, "id", json_string(id));
	json_object_set_new(c, "name", name);
	if (group)
		json_object_set_new(c, "group", json_string(group));
	if (originals >= 0) {
		json_object_set_new(c, "originals", json_integer(originals));
		json_object_set_new(c, "copies", json_integer(copies));
		json_object_set_new(c, "quantity", json_stringn(qtext, qlen));
	} else {
		json_object_set_new(c, "originals", json_null());
		json_object_set_new(c, "copies", json_null());
	}
	if (tmpl)
		json_object_set_new(c, "template", tmpl);
	json_array_append_new(out, c);
}

/* Group title text, cleaned; NULL when empty or a placeholder ("--"). */
static char *group_title(const char *s, size_t n)
{
	trim_bullets(&s, &n);
	while (n && (s[n - 1] == ':' || is_space(s[n - 1])))
		n--;
	if (!n)
		return NULL;
	n = u8_cut(s, n, 500);
	return mc_xstrndup(s, n);
}

json_t *catalog_parse_components(const char *text)
{
	json_t *out = json_array();
	if (!text)
		return out;
	const char *h = strstr(text, COMPONENT_HEADER);
	if (!h)
		return out;
	char *group = group_title(text, (size_t)(h - text));
	while (h) {
		const char *seg = h + strlen(COMPONENT_HEADER);
		const char *next = strstr(seg, COMPONENT_HEADER);
		const char *end = next ? next : seg + strlen(seg);
		const char *p = seg, *qs, *qe;
		int o, c;
		while (p < end && find_quantity(p, end, &qs, &qe, &o, &c)) {
			add_component(out, group, p, (size_t)(qs - p), o, c, qs, (size_t)(qe - qs));
			p = qe;
		}
		if (next) {
			free(group);
			group = group_title(p, (size_t)(next - p));
		} else if (end - p > 10) {
			/* a last row without its quantity (the text was cut) */
			add_component(out, group, p, (size_t)(end - p), -1, -1, NULL, 0);
		}
		h = next;
	}
	free(group);
	catalog_components_classify(out);
	return out;
}

/* ---- component classification ---- */

#define MAX_CONDITION 500 /* bytes of a condition split off a name or group */

/* Base letter of a code point for matching without diacritics: ASCII
 * lower case, Vietnamese vowels without their marks, đ -> d; 0 for a
 * combining mark (skipped); ' ' for anything else (a separator). */
static int fold_cp(uint32_t c)
{
	if (c >= 0x300 && c <= 0x36F)
		return 0;
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? (int)(c + 32) : (int)c;
	c = cp_lower(c);
	static const struct {
		uint32_t lo, hi;
		char base;
	} ranges[] = {
	    {0xE0, 0xE3, 'a'},     {0xE8, 0xEA, 'e'},     {0xEC, 0xED, 'i'},
	    {0xF2, 0xF5, 'o'},     {0xF9, 0xFA, 'u'},     {0xFD, 0xFD, 'y'},
	    {0x103, 0x103, 'a'},   {0x111, 0x111, 'd'},   {0x129, 0x129, 'i'},
	    {0x169, 0x169, 'u'},   {0x1A1, 0x1A1, 'o'},   {0x1B0, 0x1B0, 'u'},
	    {0x1EA1, 0x1EB7, 'a'}, {0x1EB9, 0x1EC7, 'e'}, {0x1EC9, 0x1ECB, 'i'},
	    {0x1ECD, 0x1EE3, 'o'}, {0x1EE5, 0x1EF1, 'u'}, {0x1EF3, 0x1EF9, 'y'},
	};
	for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
		if (c >= ranges[i].lo && c <= ranges[i].hi)
			return ranges[i].base;
	}
	return ' ';
}

static bool fold_alnum(int f)
{
	return (f >= 'a' && f <= 'z') || (f >= '0' && f <= '9');
}

/* Folded character at p (< end) skipping combining marks; *n = bytes read
 * (0 at end). */
static int fold_next(const char *p, const char *end, size_t *n)
{
	const char *q = p;
	while (q < end && *q) {
		size_t l;
		int f = fold_cp(u8_get(q, &l));
		q += l;
		if (f) {
			*n = (size_t)(q - p);
			return f;
		}
	}
	*n = (size_t)(q - p);
	return 0;
}

/* Matches `lit` (lower case ASCII without diacritics; a space matches a run
 * of white space) at p, ignoring case and Vietnamese diacritics, ending on
 * a word boundary. Returns the bytes matched, 0 when no match. */
static size_t match_fold(const char *p, const char *end, const char *lit)
{
	const char *q = p;
	size_t n;
	while (*lit) {
		if (*lit == ' ') {
			const char *r = q;
			while (r < end && (is_space(*r) || starts(r, "\xC2\xA0")))
				r += is_space(*r) ? 1 : 2;
			if (r == q)
				return 0;
			q = r;
			lit++;
			continue;
		}
		int f = fold_next(q, end, &n);
		if (f != (unsigned char)*lit)
			return 0;
		q += n;
		lit++;
	}
	if (fold_alnum((unsigned char)lit[-1]) && fold_alnum(fold_next(q, end, &n)))
		return 0;
	return (size_t)(q - p);
}

/* True when p starts with one of `lits` (NULL-terminated). */
static bool starts_any(const char *p, const char *end, const char *const *lits)
{
	for (; *lits; lits++) {
		if (match_fold(p, end, *lits))
			return true;
	}
	return false;
}

/* "nếu" (if), told apart from "nêu" (state) by its acute accent, in
 * precomposed or decomposed form. */
static size_t match_neu(const char *p)
{
	size_t n = match_ci(p, "nếu");
	if (!n)
		n = match_ci(p, "n\xC3\xAA\xCC\x81u");
	if (!n)
		return 0;
	size_t l;
	uint32_t c = u8_get(p + n, &l);
	return cp_is_lower(c) || cp_is_upper(c) || is_digit(p[n]) ? 0 : n;
}

/* First word start in [p, end) where one of `lits` matches (or "nếu" when
 * `neu`); *at and *len receive the match. */
static bool find_any(const char *p, const char *end, const char *const *lits, bool neu,
                     const char **at, size_t *len)
{
	bool word = false; /* the previous character is a letter or digit */
	for (const char *q = p; q < end && *q;) {
		size_t l;
		int f = fold_cp(u8_get(q, &l));
		if (!f) {
			q += l;
			continue;
		}
		if (!word || !fold_alnum(f)) {
			size_t m = neu ? match_neu(q) : 0;
			for (const char *const *k = lits; !m && k && *k; k++)
				m = match_fold(q, end, *k);
			if (m) {
				*at = q;
				*len = m;
				return true;
			}
		}
		word = fold_alnum(f);
		q += l;
	}
	return false;
}

/* Length of an enumeration label at p ("a)", "đ)", "(1)", "(ii)", "1.",
 * "3.3.", "(1.1)", "IV.", "2/"), 0 when none. */
static size_t label_len(const char *p, const char *end)
{
	bool paren = *p == '(';
	const char *r = p + paren;
	if (r < end && is_digit(*r)) {
		while (r < end && (is_digit(*r) || (*r == '.' && r + 1 < end && is_digit(r[1]))))
			r++;
	} else {
		int letters = 0, roman = 0;
		size_t l;
		int f;
		while (r < end && fold_alnum(f = fold_next(r, end, &l)) && !is_digit(*r)) {
			letters++;
			roman += f == 'i' || f == 'v' || f == 'x';
			r += l;
		}
		if (!(letters == 1 || (letters <= 4 && roman == letters)))
			return 0;
	}
	if (paren && r < end && *r == '*')
		r++; /* "(*)" */
	if (r == p + paren || r >= end)
		return 0;
	if (paren)
		return *r == ')' ? (size_t)(r + 1 - p) : 0;
	if (*r == ')')
		return (size_t)(r + 1 - p);
	if ((*r == '.' || *r == '/') && (r + 1 >= end || is_space(r[1])))
		return (size_t)(r + 1 - p);
	return 0;
}

/* Skips bullets, enumeration labels and one opening parenthesis. */
static const char *skip_enum(const char *p, const char *end)
{
	for (int round = 0; round < 4; round++) {
		while (p < end && (is_space(*p) || *p == '-' || *p == '+' || *p == '*' ||
		                   *p == '.' || starts(p, "\xE2\x80\xA2") ||
		                   starts(p, "\xE2\x80\x93") || starts(p, "\xEF\x83\xBC")))
			p += (unsigned char)*p < 0x80 ? 1 : 3;
		size_t n = label_len(p, end);
		if (!n)
			break;
		p += n;
	}
	if (p < end && *p == '(')
		p++;
	while (p < end && is_space(*p))
		p++;
	return p;
}

/* End of the first clause of a name: the first ';', ". " or line break. */
static const char *clause_end(const char *p, const char *end)
{
	for (const char *q = p; q < end; q++) {
		if (*q == ';' || *q == '\n' || (*q == '.' && (q + 1 == end || is_space(q[1]))))
			return q;
	}
	return end;
}

/* Names that start a note rather than a document (after enumeration). */
static const char *const NOTE_STARTS[] = {"luu y",
                                          "ghi chu",
                                          "chu y",
                                          "vi du",
                                          "trong do",
                                          "viec",
                                          "so luong",
                                          "nguoi tiep nhan",
                                          "can bo tiep nhan",
                                          "cong chuc",
                                          "co quan",
                                          "he thong",
                                          "ca nhan co quyen",
                                          "nguoi uy quyen va nguoi duoc uy quyen",
                                          "khong",
                                          "cham nhat",
                                          "don vi",
                                          "bao gom",
                                          "gom",
                                          NULL};

/* Rules about other rows ("Tài liệu quy định tại điểm k Mục 1.3.1.1 được
 * nộp sau ..."): notes when they have no quantity of their own. */
static const char *const RULE_STARTS[] = {"tai lieu quy dinh tai", "cac tai lieu quy dinh tai",
                                          "giay to quy dinh tai", "cac giay to quy dinh tai", NULL};

/* Phrases of the first clause that make an instruction or explanation:
 * what need not be handed in, what the agency does. */
static const char *const NOTE_PHRASES[] = {"khong phai nop",
                                           "khong phai xuat trinh",
                                           "khong phai tai len",
                                           "khong phai cung cap",
                                           "khong phai co",
                                           "khong phai gui",
                                           "khong phai chung thuc",
                                           "khong phai dich",
                                           "khong phai thuc hien",
                                           "thi khong yeu cau",
                                           "khong yeu cau bat buoc",
                                           "khong duoc yeu cau",
                                           "thi khong can",
                                           "co trach nhiem",
                                           "thi co quan",
                                           "thi nguoi tiep nhan",
                                           "thi viec",
                                           "thi he thong",
                                           NULL};

/* Words after "không phải nộp" that are money, not papers ("không phải
 * nộp thuế thu nhập cá nhân" describes who is exempt from a tax). */
static const char *const MONEY_WORDS[] = {"thue", "phi", "le phi", "tien", NULL};

/* True when the first clause [p, ce) holds one of NOTE_PHRASES. */
static bool note_phrase(const char *p, const char *ce)
{
	const char *at;
	size_t len;
	while (p < ce && find_any(p, ce, NOTE_PHRASES, false, &at, &len)) {
		const char *w = at + len;
		while (w < ce && is_space(*w))
			w++;
		if (!match_fold(at, ce, "khong phai nop") || !starts_any(w, ce, MONEY_WORDS))
			return true;
		p = at + len;
	}
	return false;
}

/* How papers must be: a note when said of papers in general ("Giấy tờ do
 * cơ quan nước ngoài cấp phải được hợp pháp hóa lãnh sự"), not when said of
 * a named document ("Quy định nội bộ ... phải đảm bảo tuân thủ ..."). */
static const char *const RULE_PHRASES[] = {"phai bao dam", "phai dam bao", "phai duoc hop phap hoa",
                                           NULL};
static const char *const GENERIC_STARTS[] = {
    "giay to", "cac giay to", "tai lieu", "cac tai lieu", "ban chup cac", "ho so", NULL};

/* Names that start like a document (used when the quantity is 0 or
 * unknown, as the customs tables give 0 for real documents). */
static const char *const DOC_STARTS[] = {"van ban",
                                         "ban",
                                         "don",
                                         "to khai",
                                         "to trinh",
                                         "to ban do",
                                         "giay",
                                         "bao cao",
                                         "quyet dinh",
                                         "quy dinh",
                                         "hop dong",
                                         "ho so",
                                         "danh sach",
                                         "danh muc",
                                         "phuong an",
                                         "bien ban",
                                         "thong bao",
                                         "bang",
                                         "cong van",
                                         "du thao",
                                         "nghi quyet",
                                         "dieu le",
                                         "de an",
                                         "anh",
                                         "chung tu",
                                         "chung chi",
                                         "chung nhan",
                                         "chung thu",
                                         "phu luc",
                                         "ke hoach",
                                         "cam ket",
                                         "hoa don",
                                         "so do",
                                         "so",
                                         "phieu",
                                         "mau",
                                         "the",
                                         "ho chieu",
                                         "tai lieu",
                                         "cac tai lieu",
                                         "cac giay",
                                         "cac van ban",
                                         "cac chung tu",
                                         "mot trong",
                                         "hinh anh",
                                         "trich luc",
                                         "trich sao",
                                         "van don",
                                         "van tai don",
                                         "bieu mau",
                                         "thiet ke",
                                         "quy trinh",
                                         "quy che",
                                         "ly lich",
                                         "thu moi",
                                         "thu bao lanh",
                                         "thu xac nhan",
                                         "thu gioi thieu",
                                         "thu de nghi",
                                         "luan chung",
                                         "y kien",
                                         "xac nhan",
                                         "manh trich do",
                                         "de nghi",
                                         "ket qua",
                                         "hoc ba",
                                         "bang ke",
                                         "can cuoc",
                                         NULL};

/* Names and groups that state the case in which a document is needed. */
static const char *const COND_STARTS[] = {
    "truong hop",  "trong truong hop", "doi voi",  "rieng", "khi",
    "chi ap dung", "ap dung doi voi",  "mien nop", NULL};

/* The same inside the first clause of a name (with "nếu"). */
static const char *const COND_PHRASES[] = {"trong truong hop",
                                           "doi voi truong hop",
                                           "(truong hop",
                                           ", truong hop",
                                           "(doi voi",
                                           "(ap dung",
                                           "(chi ap dung",
                                           "(khi",
                                           NULL};

/* Inside a group title, a case ("Hồ sơ đối với tàu cải hoán gồm"), or a
 * channel at its start ("Nộp trực tiếp"): the group is one of several
 * alternatives when the table has more than one group. */
static const char *const GROUP_CASE_PHRASES[] = {"doi voi", "truong hop", NULL};
static const char *const GROUP_CASE_STARTS[] = {"nop truc tiep", "nop truc tuyen", "nop qua", NULL};

/* Group titles of papers shown rather than handed in. */
static const char *const PRESENT_STARTS[] = {"giay to phai xuat trinh",
                                             "cac giay to phai xuat trinh", "giay to xuat trinh",
                                             "xuat trinh", NULL};
static const char *const PRESENT_PHRASES[] = {
    "phai xuat trinh cac giay to", "xuat trinh mot trong cac giay to", "phai xuat trinh cho", NULL};
static const char *const SUBMIT_STARTS[] = {"giay to phai nop", "cac giay to phai nop", NULL};

/* Words after a comma that end a leading condition ("Trường hợp ..., hồ
 * sơ gồm"). */
static const char *const COND_CUTS[] = {"ho so", "cac tai lieu", "cac giay to",
                                        "ngoai", "bo sung",      NULL};

/* Where the condition at the start of a name ends: before " thì ", ":",
 * " phải ", a comma before COND_CUTS or a closing parenthesis when `paren`. NULL
 * when none is found before `end`. */
static const char *cond_cut(const char *p, const char *end, bool paren)
{
	for (const char *q = p; q < end; q++) {
		if ((paren && *q == ')') || *q == ':')
			return q;
		if (!is_space(*q) && *q != ',')
			continue;
		const char *w = q + 1;
		while (w < end && is_space(*w))
			w++;
		size_t n = match_ci(w, "thì");
		if (!n)
			n = match_ci(w, "thi\xCC\x80");
		if ((n && (w + n >= end || is_space(w[n]))) || match_fold(w, end, "phai"))
			return q;
		if (*q == ',' && starts_any(w, end, COND_CUTS))
			return q;
	}
	return NULL;
}

/* Sets "condition" on c to s[0..n) trimmed of punctuation, unless empty or
 * longer than MAX_CONDITION. */
static void set_condition(json_t *c, const char *s, size_t n)
{
	while (n && (is_space(*s) || *s == '(' || *s == ',')) {
		s++;
		n--;
	}
	while (n && (is_space(s[n - 1]) || s[n - 1] == ')' || s[n - 1] == ',' || s[n - 1] == ':' ||
	             s[n - 1] == ';' || s[n - 1] == '.'))
		n--;
	if (n && n <= MAX_CONDITION)
		json_object_set_new(c, "condition", json_stringn(s, n));
}

/* Condition of a document stated in its name: a name that starts with a
 * case ("Trường hợp ... thì", "Đối với ...:") or a first clause holding
 * one ("... trong trường hợp ...", "(nếu có)", "(áp dụng ...)"). */
static bool name_condition(json_t *c, const char *name, const char *p, const char *ce)
{
	bool paren = p > name && p[-1] == '(';
	if (starts_any(p, ce, COND_STARTS) || match_neu(p)) {
		const char *cut = cond_cut(p, ce, paren);
		if (cut)
			set_condition(c, p, (size_t)(cut - p));
		return true;
	}
	const char *at;
	size_t len;
	if (!find_any(p, ce, COND_PHRASES, true, &at, &len))
		return false;
	/* after a list of names ("Bản khai chung theo mẫu, Danh sách thuyền
	 * viên theo mẫu, Danh sách hành khách (nếu có)": two or more ", " and
	 * a capital) the case qualifies the last one only */
	int listed = 0;
	for (const char *q = p; q + 2 < at; q++) {
		size_t l;
		if (*q == ',' && q[1] == ' ' && cp_is_upper(u8_get(q + 2, &l)))
			listed++;
	}
	if (listed >= 2)
		return false;
	/* inside parentheses: up to the closing one; otherwise up to a colon
	 * (the quantity follows) or the end of the clause */
	int depth = 0;
	for (const char *q = p; q < at; q++)
		depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
	const char *e = ce;
	if (depth > 0 || *at == '(') {
		const char *close = memchr(at, ')', (size_t)(ce - at));
		if (close)
			e = close;
	} else {
		const char *colon = memchr(at, ':', (size_t)(ce - at));
		if (colon)
			e = colon;
	}
	set_condition(c, at, (size_t)(e - at));
	return true;
}

/* Classifies one component (see catalog_components_classify and
 * docs/CATALOG.md). `several_groups`: the table has more than one group
 * title, so a case inside a title makes its rows conditional. *shown is the
 * presentation state of the rows since the last "Giấy tờ phải xuất trình:"
 * / "Giấy tờ phải nộp:" row of the same group. */
static void classify_one(json_t *c, bool several_groups, bool *shown)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	const char *group = json_string_value(json_object_get(c, "group"));
	if (!name)
		name = "";
	json_t *jo = json_object_get(c, "originals"), *jc = json_object_get(c, "copies");
	long qty = -1; /* unknown: a row cut before its quantity */
	if (json_is_integer(jo) || json_is_integer(jc))
		qty = (long)(json_integer_value(jo) + json_integer_value(jc));
	else if (!jo && !jc)
		qty = 1; /* an admin's component without quantities: something to hand in */
	const char *end = name + strlen(name);
	const char *p = skip_enum(name, end);
	const char *ce = clause_end(p, end);
	const char *last = end;
	while (last > name && is_space(last[-1]))
		last--;
	bool heading = last > name && last[-1] == ':';

	const char *gend = group ? group + strlen(group) : NULL;
	const char *g = group ? skip_enum(group, gend) : NULL;
	bool group_note = g && (match_fold(g, gend, "luu y") || match_fold(g, gend, "ghi chu") ||
	                        match_fold(g, gend, "chu y"));
	const char *at;
	size_t len;
	bool group_cond =
	    g && (starts_any(g, gend, COND_STARTS) || match_neu(g) ||
	          (several_groups && (starts_any(g, gend, GROUP_CASE_STARTS) ||
	                              find_any(g, gend, GROUP_CASE_PHRASES, false, &at, &len))));
	bool group_shown = g && (starts_any(g, gend, PRESENT_STARTS) ||
	                         find_any(g, gend, PRESENT_PHRASES, false, &at, &len));

	const char *ne;
	size_t nl;
	bool doc_start = is_digit(*p) || starts_any(p, end, DOC_STARTS);
	bool generic = !doc_start || starts_any(p, end, GENERIC_STARTS);
	bool note = group_note || starts_any(p, end, NOTE_STARTS) ||
	            (qty <= 0 && starts_any(p, end, RULE_STARTS)) ||
	            (generic && find_any(p, ce, RULE_PHRASES, false, &ne, &nl)) ||
	            note_phrase(p, ce) || (heading && qty <= 0) || (qty <= 0 && !doc_start);
	if (note && heading) {
		if (starts_any(p, end, PRESENT_STARTS))
			*shown = true;
		else if (starts_any(p, end, SUBMIT_STARTS))
			*shown = false;
	}
	bool presentation = group_shown || *shown || match_fold(p, end, "xuat trinh") ||
	                    match_fold(p, end, "trinh");
	json_object_set_new(c, "kind", json_string(note ? "note" : "document"));
	bool required = false;
	if (!note) {
		bool cond = name_condition(c, name, p, ce);
		if (!cond && group_cond) {
			cond = true;
			set_condition(c, g, (size_t)(gend - g));
		}
		required = !cond;
	}
	json_object_set_new(c, "required", json_boolean(required));
	json_object_set_new(c, "presentation", json_boolean(presentation));
}

void catalog_components_classify(json_t *components)
{
	const char *prev = NULL, *first = NULL;
	bool shown = false, several = false;
	size_t i;
	json_t *c;
	json_array_foreach(components, i, c)
	{
		const char *group = json_string_value(json_object_get(c, "group"));
		if (i == 0)
			first = group;
		else if (group ? !first || strcmp(group, first) != 0 : first != NULL)
			several = true;
	}
	json_array_foreach(components, i, c)
	{
		if (!json_is_object(c))
			continue;
		const char *group = json_string_value(json_object_get(c, "group"));
		if (i == 0 || (group ? !prev || strcmp(group, prev) != 0 : prev != NULL))
			shown = false;
		prev = group;
		if (!json_object_get(c, "kind"))
			classify_one(c, several, &shown);
	}
}

char *catalog_raw_section(const char *raw, const char *after, const char *title,
                          const char *next_title)
{
	if (!raw)
		return NULL;
	const char *from = after ? strstr(raw, after) : NULL;
	from = from ? from + strlen(after) : raw;
	const char *s = strstr(from, title);
	if (!s)
		return NULL;
	s += strlen(title);
	const char *e = strstr(s, next_title);
	if (!e)
		return NULL;
	return mc_xstrndup(s, (size_t)(e - s));
}

bool catalog_find_time_after_keyword(const char *text, catalog_time *out)
{
	static const char *const keys[] = {
	    "thời hạn", "trong vòng", "không quá", "thời gian giải quyết", "trong thời gian", NULL};
	if (!text)
		return false;
	for (const char *p = text; *p; p++) {
		size_t n = 0;
		for (const char *const *k = keys; *k && !n; k++)
			n = match_ci(p, *k);
		if (!n)
			continue;
		size_t w = u8_cut(p + n, strlen(p + n), 80);
		char *win = mc_xstrndup(p + n, w);
		bool ok = catalog_find_time(win, 0, out);
		free(win);
		if (ok)
			return true;
		p += n - 1;
	}
	return false;
}

/* ---- levels, steps, results, legal basis ---- */

json_t *catalog_parse_levels(const char *text)
{
	json_t *out = json_array();
	if (!text)
		return out;
	static const struct {
		const char *vi, *level; /* vi in lower case */
	} map[] = {{"cấp bộ", "ministry"},
	           {"cấp tỉnh", "province"},
	           {"cấp xã", "commune"},
	           {"cơ quan khác", "other"}};
	bool seen[4] = {false};
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *s = p;
		trim_bullets(&s, &n);
		for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
			if (n && match_ci(s, map[i].vi) == n)
				seen[i] = true;
		}
		if (!e)
			break;
		p = e + 1;
	}
	for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
		if (seen[i])
			json_array_append_new(out, json_string(map[i].level));
	}
	return out;
}

json_t *catalog_parse_steps(const char *text)
{
	json_t *out = json_array();
	if (!text)
		return out;
	const char *p = text;
	while (*p && json_array_size(out) < MAX_STEPS) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		json_t *s = jstr_trim(p, n, MAX_STEP);
		if (s && strcmp(json_string_value(s), NO_INFO) != 0)
			json_array_append_new(out, s);
		else
			json_decref(s);
		p += n;
		if (*p)
			p++;
	}
	return out;
}

json_t *catalog_parse_results(const char *text)
{
	json_t *out = json_array();
	if (!text)
		return out;
	const char *end = strstr(text, "Từ khóa");
	if (!end)
		end = text + strlen(text);
	const char *p = text;
	while (p < end && json_array_size(out) < MAX_RESULTS) {
		const char *m = strstr(p, "Mã: ");
		if (!m || m >= end) {
			json_t *name = jstr_trim(p, (size_t)(end - p), 1000);
			if (name && strcmp(json_string_value(name), NO_INFO) != 0)
				json_array_append_new(
				    out, json_pack("{s:o, s:n}", "name", name, "code"));
			else
				json_decref(name);
			break;
		}
		const char *c = m + strlen("Mã: "), *ce = c;
		/* KQ.G15.000031: letters, digits, dots; the next name follows */
		while (ce < end && ((*ce >= 'A' && *ce <= 'Z') || is_digit(*ce) || *ce == '.' ||
		                    *ce == '-' || *ce == '_')) {
			/* stop before a capital that starts the next result name */
			if (*ce >= 'A' && *ce <= 'Z' && ce > c && is_digit(ce[-1]) && ce[1] &&
			    !(ce[1] >= 'A' && ce[1] <= 'Z') && !is_digit(ce[1]) && ce[1] != '.')
				break;
			ce++;
		}
		while (ce > c && ce[-1] == '.')
			ce--;
		json_t *name = jstr_trim(p, (size_t)(m - p), 1000);
		if (name)
			json_array_append_new(out, json_pack("{s:o, s:s%}", "name", name, "code", c,
			                                     (size_t)(ce - c)));
		p = ce;
	}
	return out;
}

/* Length of a legal document code ("123/2015/NĐ-CP", "66.7/2025/NQ-CP",
 * "60/2014/QH13", "01/2018/TT-VPCP") at s, 0 when none. */
static size_t legal_code_len(const char *s)
{
	const char *p = s;
	int d = 0;
	while (is_digit(*p) && d < 5) {
		p++;
		d++;
	}
	if (!d)
		return 0;
	if (*p == '.' && is_digit(p[1])) {
		p++;
		while (is_digit(*p))
			p++;
	}
	if (*p != '/' || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]) || !is_digit(p[4]) ||
	    p[5] != '/')
		return 0;
	p += 6;
	const char *suf = p;
	for (;;) {
		if (*p >= 'A' && *p <= 'Z')
			p++;
		else if (starts(p, "Đ"))
			p += strlen("Đ");
		else if (*p == '-' && p > suf)
			p++;
		else if (*p == 'g' && p > suf && p[-1] == 'T')
			p++; /* QĐ-TTg */
		else
			break;
	}
	if (p == suf)
		return 0;
	/* "...TT-BTPThông tư": the last capital starts the next title */
	size_t cl;
	uint32_t next = u8_get(p, &cl);
	if (cp_is_lower(next) && p - suf > 2 && p[-1] >= 'A' && p[-1] <= 'Z')
		p--;
	/* "60/2014/QH13": the legislature's term follows QH */
	if (p - suf >= 2 && p[-2] == 'Q' && p[-1] == 'H') {
		int digits = 0;
		while (is_digit(*p) && digits < 2) {
			p++;
			digits++;
		}
	}
	return (size_t)(p - s);
}

json_t *catalog_parse_legal(const char *text)
{
	json_t *out = json_array();
	if (!text)
		return out;
	const char *h = strstr(text, "Tên văn bản pháp lýMã văn bản");
	const char *p = h ? h + strlen("Tên văn bản pháp lýMã văn bản") : text;
	const char *title = p;
	bool boundary = true; /* p may start a code although a digit precedes */
	while (*p && json_array_size(out) < MAX_LEGAL) {
		if (is_digit(*p) && (boundary || p == title ||
		                     !(is_digit(p[-1]) || p[-1] == '/' || p[-1] == '.'))) {
			size_t n = legal_code_len(p);
			if (n) {
				/* a code after a space is part of the title ("Luật 60/2014/QH13");
				 * one glued to the text is the code column */
				if (p > title && !is_space(p[-1])) {
					json_t *t = jstr_trim(title, (size_t)(p - title), 1000);
					json_array_append_new(
					    out, json_pack("{s:o, s:s%}", "title",
					                   t ? t : json_string(""), "code", p, n));
					title = p + n;
				}
				p += n;
				boundary = true;
				continue;
			}
		}
		boundary = false;
		p++;
	}
	return out;
}

/* ---- ministries ---- */

static const struct {
	const char *slug, *code, *vi, *en;
} ministries[] = {
    {"bo-cong-an", "BCA", "Bộ Công an", "Ministry of Public Security"},
    {"bo-tu-phap", "BTP", "Bộ Tư pháp", "Ministry of Justice"},
    {"bo-tai-chinh", "BTC", "Bộ Tài chính", "Ministry of Finance"},
    {"bo-xay-dung", "BXD", "Bộ Xây dựng", "Ministry of Construction"},
    {"bo-nong-nghiep-mt", "BNNMT", "Bộ Nông nghiệp và Môi trường",
     "Ministry of Agriculture and Environment"},
    {"ngan-hang-nha-nuoc", "NHNN", "Ngân hàng Nhà nước Việt Nam", "State Bank of Vietnam"},
    {"toa-an-nhan-dan", "TANDTC", "Tòa án nhân dân tối cao", "Supreme People's Court"},
};

bool catalog_ministry(const char *slug, const char **code, const char **name_vi,
                      const char **name_en)
{
	if (!slug)
		return false;
	for (size_t i = 0; i < sizeof ministries / sizeof *ministries; i++) {
		if (!strcmp(slug, ministries[i].slug) || !strcmp(slug, ministries[i].code)) {
			if (code)
				*code = ministries[i].code;
			if (name_vi)
				*name_vi = ministries[i].vi;
			if (name_en)
				*name_en = ministries[i].en;
			return true;
		}
	}
	return false;
}

int catalog_ministry_count(void)
{
	return (int)(sizeof ministries / sizeof *ministries);
}

void catalog_ministry_at(int i, const char **code, const char **name_vi, const char **name_en)
{
	*code = ministries[i].code;
	*name_vi = ministries[i].vi;
	*name_en = ministries[i].en;
}

/* ---- online level ---- */

static bool folded_has_any(const char *folded, const char *const *words)
{
	for (; *words; words++) {
		if (strstr(folded, *words))
			return true;
	}
	return false;
}

const char *catalog_online_heuristic(json_t *doc, const char *steps_text, const char *channels_text)
{
	json_t *channels = json_object_get(doc, "channels"), *ch, *online = NULL;
	size_t i;
	json_array_foreach(channels, i, ch)
	{
		const char *name = json_string_value(json_object_get(ch, "channel"));
		if (name && !strcmp(name, "online"))
			online = ch;
	}
	if (!online)
		return "none";
	/* payment: no fee to pay online, or online payment is described */
	bool fees_ok = true;
	json_t *f;
	json_array_foreach(json_object_get(online, "fees"), i, f)
	{
		json_t *free_ = json_object_get(f, "free");
		json_t *vnd = json_object_get(f, "amount_vnd");
		bool ok = json_is_true(free_) || (json_is_null(free_) && json_is_null(vnd)) ||
		          (json_is_integer(vnd) && json_integer_value(vnd) == 0);
		if (!ok)
			fees_ok = false;
	}
	mc_buf all = {0};
	if (steps_text)
		mc_buf_puts(&all, steps_text);
	mc_buf_puts(&all, " ");
	if (channels_text)
		mc_buf_puts(&all, channels_text);
	char *folded = text_fold(mc_buf_cstr(&all));
	mc_buf_free(&all);
	static const char *const pay_words[] = {"thanh toan truc tuyen",
	                                        "nop phi truc tuyen",
	                                        "nop le phi truc tuyen",
	                                        "thanh toan dien tu",
	                                        "chuc nang thanh toan",
	                                        "cong thanh toan",
	                                        NULL};
	bool pay = fees_ok || folded_has_any(folded, pay_words);
	free(folded);
	/* a physical result (card, passport, plate, book) is collected */
	static const char *const physical[] = {"the ", "ho chieu", "bien so", "giay phep lai xe",
	                                       "so ",  NULL};
	bool phys = false;
	json_t *r;
	json_array_foreach(json_object_get(doc, "result"), i, r)
	{
		const char *rn = json_string_value(json_object_get(r, "name"));
		char *fn = text_fold(rn ? rn : "");
		for (const char *const *w = physical; *w; w++) {
			if (text_starts_with(fn, *w))
				phys = true;
		}
		free(fn);
	}
	/* the online row itself asks the applicant to come in person */
	bool in_person = false;
	const char *desc = json_string_value(json_object_get(online, "description"));
	if (desc) {
		char *fd = text_fold(desc);
		static const char *const visit[] = {"truoc khi den", "den nop truc tiep",
		                                    "nop truc tiep ho so", "den co quan", NULL};
		in_person = folded_has_any(fd, visit);
		free(fd);
	}
	return pay && !phys && !in_person ? "full" : "partial";
}

/* ---- whole record ---- */

/* Text field value, NULL for absent, empty or "Không có thông tin". */
static const char *field(json_t *rec, const char *name)
{
	const char *s = json_string_value(json_object_get(rec, name));
	if (!s)
		return NULL;
	const char *t = skip_spaces(s);
	if (!*t || !strcmp(t, NO_INFO) || !strcmp(t, "--"))
		return NULL;
	return s;
}

static void set_text(json_t *doc, const char *key, const char *s, size_t max)
{
	json_t *v = s ? jstr_trim(s, strlen(s), max) : NULL;
	json_object_set_new(doc, key, v ? v : json_null());
}

static bool code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n == 0 || n > 32)
		return false;
	for (const char *p = code; *p; p++) {
		char c = *p;
		if (!(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

json_t *catalog_from_portal(json_t *rec, unsigned *flags, mc_diag *diag)
{
	*flags = 0;
	if (!json_is_object(rec)) {
		mc_fail(diag, MC_ERR_INVALID, "record is not a JSON object");
		return NULL;
	}
	const char *code = json_string_value(json_object_get(rec, "ma_thu_tuc"));
	const char *name = field(rec, "ten_thu_tuc");
	if (!code || !code_valid(code)) {
		mc_fail(diag, MC_ERR_INVALID, "record without a valid ma_thu_tuc");
		return NULL;
	}
	if (!name || !text_utf8_valid(name, strlen(name)) || strlen(name) > 2000) {
		mc_fail(diag, MC_ERR_INVALID, "record %s without a valid ten_thu_tuc", code);
		return NULL;
	}
	json_t *doc = json_object();
	json_object_set_new(doc, "code", json_string(code));
	set_text(doc, "name", name, 2000);
	set_text(doc, "decision", field(rec, "so_quyet_dinh"), 200);
	set_text(doc, "type", field(rec, "loai_thu_tuc"), 500);
	json_t *levels = catalog_parse_levels(field(rec, "cap_thuc_hien"));
	if (!json_array_size(levels))
		*flags |= UNPARSED_LEVEL;
	json_object_set_new(doc, "level", levels);
	set_text(doc, "field", field(rec, "linh_vuc"), 500);
	const char *mcode = NULL;
	catalog_ministry(field(rec, "bo_nganh"), &mcode, NULL, NULL);
	json_object_set_new(doc, "ministry", mcode ? json_string(mcode) : json_null());
	json_object_set_new(doc, "agency", mcode ? json_pack("[s]", mcode) : json_array());
	set_text(doc, "subjects", field(rec, "doi_tuong_thuc_hien"), 2000);
	set_text(doc, "competent_authority", field(rec, "co_quan_co_tham_quyen"), 2000);
	set_text(doc, "implementing_agency", field(rec, "co_quan_thuc_hien"), 2000);

	const char *steps_text = field(rec, "trinh_tu_thuc_hien");
	const char *raw = field(rec, "raw_text");
	const char *ch_text = field(rec, "cach_thuc_thuc_hien");
	char *ch_raw = NULL;
	if (!ch_text || !strstr(ch_text, CHANNEL_HEADER)) {
		ch_raw = catalog_raw_section(raw, NULL, "Cách Thức Thực Hiện", "Thành phần hồ sơ");
		if (ch_raw && strstr(ch_raw, CHANNEL_HEADER))
			ch_text = ch_raw;
	}
	json_t *channels = catalog_parse_channels(ch_text, steps_text, flags);
	json_object_set_new(doc, "channels", channels);
	catalog_time st;
	if ((*flags & UNPARSED_TIME_LIMIT) && json_array_size(channels) &&
	    catalog_find_time_after_keyword(steps_text, &st)) {
		/* nothing in the table: "Trong thời hạn 05 ngày làm việc" in the steps */
		size_t i;
		json_t *ch;
		json_array_foreach(channels, i, ch)
		{
			if (json_is_null(json_object_get(ch, "time_limit")))
				json_object_set_new(ch, "time_limit",
				                    time_json(&st, "", 0, "steps"));
		}
		*flags = (*flags & ~(unsigned)UNPARSED_TIME_LIMIT) | PARSED_TIME_FROM_TEXT;
	}

	const char *comp_text = field(rec, "thanh_phan_ho_so");
	json_t *comps = catalog_parse_components(comp_text);
	if (!json_array_size(comps)) {
		char *sec =
		    catalog_raw_section(raw, CHANNEL_HEADER, "Thành phần hồ sơ", "Căn cứ pháp lý");
		if (sec) {
			json_decref(comps);
			comps = catalog_parse_components(sec);
			free(sec);
		}
	}
	if (!json_array_size(comps))
		*flags |= UNPARSED_COMPONENTS;
	json_object_set_new(doc, "components", comps);
	json_object_set_new(doc, "steps", catalog_parse_steps(steps_text));
	const char *legal = field(rec, "can_cu_phap_ly");
	json_object_set_new(doc, "legal_basis", catalog_parse_legal(legal));
	set_text(doc, "conditions", field(rec, "yeu_cau_dieu_kien"), 20000);
	json_object_set_new(doc, "result", catalog_parse_results(field(rec, "ket_qua_xu_ly")));
	set_text(doc, "source_url", field(rec, "detail_url"), 500);
	json_object_set_new(doc, "online_level",
	                    json_string(catalog_online_heuristic(doc, steps_text, ch_text)));
	free(ch_raw);
	return doc;
}
