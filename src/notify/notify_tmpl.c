/* notify_tmpl.c - the pure parts of notifications: the template document
 * (data/notify-templates.json, embedded at build time), the choice of a
 * variant and the filling of placeholders, the backoff formula, the checks
 * of contact addresses and the MIME text of an e-mail. No I/O. */
#include "notify/notify.h"

#include "core/date.h"
#include "core/mem.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char embedded_notify_templates[];

static pthread_once_t tmpl_once = PTHREAD_ONCE_INIT;
static json_t *templates;

static void load(void)
{
	json_error_t err;
	templates = json_loads(embedded_notify_templates, 0, &err);
	if (!json_is_object(templates)) {
		fprintf(stderr, "motcua: data/notify-templates.json is malformed: %s\n", err.text);
		abort();
	}
}

json_t *notify_templates(void)
{
	pthread_once(&tmpl_once, load);
	return templates;
}

void notify_rendered_free(notify_rendered *r)
{
	if (!r)
		return;
	free(r->subject_vi);
	free(r->subject_en);
	free(r->body_vi);
	free(r->body_en);
	free(r->link);
	memset(r, 0, sizeof *r);
}

/* Length of the longest prefix of s (n bytes) of at most max bytes that
 * does not cut a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

/* Writes the value of payload member `name` in `lang`. */
static void put_value(mc_buf *b, json_t *payload, const char *name, const char *lang)
{
	json_t *v = json_object_get(payload, name);
	if (json_is_object(v)) {
		json_t *l = json_object_get(v, lang);
		v = json_is_string(l) ? l : json_object_get(v, "vi");
	}
	if (json_is_string(v) && json_string_length(v) > 0) {
		const char *s = json_string_value(v);
		mc_day d;
		char buf[16];
		if (strlen(s) == 10 && date_parse(s, &d)) {
			int y, m, dd;
			date_to_ymd(d, &y, &m, &dd);
			snprintf(buf, sizeof buf, "%02d/%02d/%04d", dd, m, y);
			mc_buf_puts(b, buf);
		} else {
			mc_buf_puts(b, s);
		}
	} else if (json_is_integer(v)) {
		mc_buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else {
		mc_buf_puts(b, "—");
	}
}

char *notify_fill(const char *tmpl, json_t *payload, const char *lang, size_t max)
{
	mc_buf b = {0};
	mc_buf_puts(&b, "");
	for (const char *p = tmpl ? tmpl : ""; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (close && close - p > 1 && close - p <= 64) {
			char name[65];
			memcpy(name, p + 1, (size_t)(close - p - 1));
			name[close - p - 1] = '\0';
			put_value(&b, payload, name, lang);
			p = close + 1;
		} else {
			mc_buf_append(&b, p, 1);
			p++;
		}
	}
	char *s = mc_buf_cstr(&b);
	size_t n = utf8_cut(s, b.len, max);
	char *out = mc_xstrndup(s, n);
	mc_buf_free(&b);
	return out;
}

/* A link is kept only when it is a local path of safe characters. */
static bool link_ok(const char *s)
{
	if (!s || s[0] != '/' || strlen(s) > 200)
		return false;
	for (const char *p = s; *p; p++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '/' || ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return !strstr(s, "//") && !strstr(s, "..");
}

/* The variant of template `t` for `payload`: the first member of "select"
 * whose value names a variant, else "default". NULL: none or null. */
static json_t *pick_variant(json_t *t, json_t *payload)
{
	json_t *variants = json_object_get(t, "variants");
	size_t i;
	json_t *sel;
	json_array_foreach(json_object_get(t, "select"), i, sel)
	{
		json_t *v = json_object_get(payload, json_string_value(sel));
		char key[64] = "";
		if (json_is_string(v) && json_string_length(v) < sizeof key)
			snprintf(key, sizeof key, "%s", json_string_value(v));
		else if (json_is_integer(v))
			snprintf(key, sizeof key, "%lld", (long long)json_integer_value(v));
		if (!key[0])
			continue;
		json_t *hit = json_object_get(variants, key);
		if (hit) /* an object, or null: the event is skipped */
			return json_is_object(hit) ? hit : NULL;
	}
	json_t *d = json_object_get(variants, "default");
	return json_is_object(d) ? d : NULL;
}

bool notify_render(json_t *tmpls, const char *type, const char *subject, json_t *payload,
                   notify_rendered *r)
{
	json_t *t = json_object_get(tmpls, type ? type : "");
	if (!json_is_object(t) || !json_is_object(payload))
		return false;
	const char *rcpt = json_string_value(json_object_get(t, "recipient"));
	const char *person = NULL;
	if (rcpt && !strcmp(rcpt, "$subject"))
		person = subject;
	else if (rcpt)
		person = json_string_value(json_object_get(payload, rcpt));
	if (!person || !*person || strlen(person) >= sizeof r->person_id)
		return false;
	json_t *v = pick_variant(t, payload);
	if (!v)
		return false;
	json_t *vi = json_object_get(v, "vi"), *en = json_object_get(v, "en");
	if (!json_is_object(en))
		en = vi;
	if (!json_is_object(vi))
		return false;
	memset(r, 0, sizeof *r);
	snprintf(r->person_id, sizeof r->person_id, "%s", person);
	r->subject_vi = notify_fill(json_string_value(json_object_get(vi, "subject")), payload,
	                            "vi", NOTIFY_SUBJECT_MAX);
	r->body_vi = notify_fill(json_string_value(json_object_get(vi, "body")), payload, "vi",
	                         NOTIFY_BODY_MAX);
	r->subject_en = notify_fill(json_string_value(json_object_get(en, "subject")), payload,
	                            "en", NOTIFY_SUBJECT_MAX);
	r->body_en = notify_fill(json_string_value(json_object_get(en, "body")), payload, "en",
	                         NOTIFY_BODY_MAX);
	const char *lt = json_string_value(json_object_get(t, "link"));
	if (lt) {
		char *link = notify_fill(lt, payload, "vi", 200);
		if (link_ok(link))
			r->link = link;
		else
			free(link);
	}
	return true;
}

long notify_backoff(long base, int attempts)
{
	if (base < 1)
		base = 1;
	if (attempts < 1)
		attempts = 1;
	long d = base;
	for (int i = 1; i < attempts && d < NOTIFY_BACKOFF_CAP; i++)
		d *= 2;
	return d > NOTIFY_BACKOFF_CAP ? NOTIFY_BACKOFF_CAP : d;
}

bool notify_email_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n < 5 || n > NOTIFY_EMAIL_MAX)
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || at - s > 64)
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch <= 0x20 || ch >= 0x7f || strchr("<>()[],;:\"\\", ch))
			return false;
	}
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] && !strstr(at + 1, "..") && at[1] != '.';
}

bool notify_phone_norm(const char *s, char out[NOTIFY_PHONE_MAX + 1])
{
	if (!s || strlen(s) > 24)
		return false;
	char digits[32];
	size_t n = 0;
	bool plus = false;
	for (const char *p = s; *p; p++) {
		if (*p == '+' && p == s)
			plus = true;
		else if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
		else if (*p != ' ' && *p != '.' && *p != '-')
			return false;
	}
	digits[n] = '\0';
	const char *national;
	if (plus) {
		if (strncmp(digits, "84", 2) != 0)
			return false;
		national = digits + 2;
	} else if (digits[0] == '0') {
		national = digits + 1;
	} else {
		return false;
	}
	size_t k = strlen(national);
	if (k != 9 || national[0] < '3' || national[0] > '9')
		return false;
	snprintf(out, NOTIFY_PHONE_MAX + 1, "+84%s", national);
	return true;
}

/* base64 (standard alphabet, padded) of n bytes, appended to b; lines of
 * 76 characters when `wrap`. */
static void put_b64(mc_buf *b, const char *p, size_t n, bool wrap)
{
	size_t cap = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *enc = mc_xmalloc(cap);
	sodium_bin2base64(enc, cap, (const unsigned char *)p, n, sodium_base64_VARIANT_ORIGINAL);
	size_t len = strlen(enc);
	for (size_t i = 0; i < len; i += 76) {
		size_t k = len - i < 76 ? len - i : 76;
		mc_buf_append(b, enc + i, k);
		if (wrap)
			mc_buf_puts(b, "\r\n");
	}
	free(enc);
}

char *notify_mime(const char *from, const char *to, const char *subject, const char *body,
                  time_t date, const char *msgid_seed)
{
	mc_buf b = {0};
	char when[64];
	struct tm tm;
	gmtime_r(&date, &tm);
	strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	const char *at = strchr(from, '@');
	mc_buf_printf(&b, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <%s@%s>\r\n", when,
	              from, to, msgid_seed, at ? at + 1 : "motcua");
	/* the subject as RFC 2047 encoded words of at most 45 bytes each,
	 * never cutting a UTF-8 sequence */
	mc_buf_puts(&b, "Subject:");
	size_t n = strlen(subject);
	for (size_t i = 0; i < n;) {
		size_t k = utf8_cut(subject + i, n - i, 45);
		if (k == 0)
			k = n - i < 45 ? n - i : 45;
		mc_buf_puts(&b, i ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?");
		put_b64(&b, subject + i, k, false);
		mc_buf_puts(&b, "?=");
		i += k;
	}
	mc_buf_puts(&b, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	                "Content-Transfer-Encoding: base64\r\n\r\n");
	put_b64(&b, body, strlen(body), true);
	char *out = mc_xstrdup(mc_buf_cstr(&b));
	mc_buf_free(&b);
	return out;
}
