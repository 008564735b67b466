/* portal.c - the portal's request context: language switch, cookie
 * session, CSRF tokens, form parsing (urlencoded and multipart), the page
 * frame and the HTML reply (gzip, Content-Security-Policy). Page handlers
 * live in portal_pages.c, portal_dossier.c and portal_apply.c. */
#include "auth/auth.h"
#include "core/date.h"
#include "core/text.h"
#include "notify/notify.h"
#include "portal/portal_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#define COOKIE_SESSION "mc_session"
#define COOKIE_PRE "mc_pre"
#define COOKIE_LANG "mc_lang"
#define GZIP_MIN 256 /* smaller bodies are sent as they are */

const char *pt_cookie(mc_arena *a, const char *header, const char *name)
{
	if (!header)
		return NULL;
	size_t nl = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *eq = strchr(p, '=');
		const char *end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		if (eq && eq < end && (size_t)(eq - p) == nl && memcmp(p, name, nl) == 0)
			return mc_arena_strndup(a, eq + 1, (size_t)(end - eq - 1));
		p = end;
	}
	return NULL;
}

void pt_csrf_of(const char *session_token, char out[PT_CSRF_LEN + 1])
{
	static const unsigned char key[32] = "motcua portal csrf token key v1";
	unsigned char h[PT_CSRF_LEN / 2];
	crypto_generichash(h, sizeof h, (const unsigned char *)session_token, strlen(session_token),
	                   key, sizeof key);
	sodium_bin2hex(out, PT_CSRF_LEN + 1, h, sizeof h);
}

static bool is_hex(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

void pt_begin(pt_ctx *c, mc_req *req, mc_resp *resp)
{
	memset(c, 0, sizeof *c);
	c->req = req;
	c->resp = resp;
	const char *cookies = http_header(req, "Cookie");
	const char *q = http_query(req, "lang");
	const char *ck = pt_cookie(req->arena, cookies, COOKIE_LANG);
	if (q && (!strcmp(q, "en") || !strcmp(q, "vi"))) {
		c->lang = q;
		if (!ck || strcmp(ck, q) != 0)
			c->set_lang = q;
	} else if (ck && (!strcmp(ck, "en") || !strcmp(ck, "vi"))) {
		c->lang = ck;
	} else {
		c->lang = req->lang && !strcmp(req->lang, "en") ? "en" : "vi";
	}
	c->en = !strcmp(c->lang, "en");

	const char *tok = pt_cookie(req->arena, cookies, COOKIE_SESSION);
	if (tok && *tok && strlen(tok) <= AUTH_TOKEN_MAX &&
	    auth_resolve(req->app->db, tok, &c->who, c->token_hash) == MC_OK) {
		c->token = tok;
		pt_csrf_of(tok, c->csrf);
	} else {
		memset(&c->who, 0, sizeof c->who);
		c->token_hash[0] = '\0';
		const char *pre = pt_cookie(req->arena, cookies, COOKIE_PRE);
		if (is_hex(pre, PT_CSRF_LEN)) {
			memcpy(c->csrf, pre, PT_CSRF_LEN + 1);
		} else {
			unsigned char r[PT_CSRF_LEN / 2];
			randombytes_buf(r, sizeof r);
			sodium_bin2hex(c->csrf, sizeof c->csrf, r, sizeof r);
			c->new_pre_csrf = true;
		}
	}
}

/* The current path with each segment percent-encoded (req->path is
 * decoded), for links back to this page. */
static void self_path(pt_ctx *c, mc_buf *b)
{
	const char *p = c->req->path;
	while (*p) {
		if (*p == '/') {
			mc_buf_puts(b, "/");
			p++;
			continue;
		}
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		html_url(b, mc_arena_strndup(c->req->arena, p, n));
		p += n;
	}
}

/* The inbox link of a citizen's navigation, with the unread count (one
 * indexed count through the notify module) in words for screen readers. */
static void pt_inbox_nav(pt_ctx *c, mc_buf *b)
{
	long n = 0;
	if (c->who.person_id[0])
		notify_unread_count(c->req->app->db, c->who.person_id, &n);
	html_fmt(b, "<li><a href=\"/hop-thu\">%s", PT_T(c, "Hộp thư", "Inbox"));
	if (n > 0)
		html_fmt(b, " <span class=\"badge open\">%D<span class=\"sr\"> %s</span></span>",
		         (int64_t)n, PT_T(c, "thư chưa đọc", "unread"));
	mc_buf_puts(b, "</a></li>");
}

void pt_head(pt_ctx *c, mc_buf *b, const char *title)
{
	html_fmt(
	    b,
	    "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<title>%s · %s</title>"
	    "<link rel=\"stylesheet\" href=\"/assets/site.css\">"
	    "<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\">"
	    "<script src=\"/assets/app.js\" defer></script></head><body>"
	    "<a class=\"skip\" href=\"#main\">%s</a>"
	    "<header class=\"top\"><div class=\"wrap bar\">"
	    "<a class=\"brand\" href=\"/\"><img src=\"/assets/icon.svg\" alt=\"\" width=\"28\" "
	    "height=\"28\"> <span>%s</span></a>",
	    c->lang, title, PT_T(c, "Một cửa", "One door"),
	    PT_T(c, "Bỏ qua, đến nội dung chính", "Skip to main content"),
	    PT_T(c, "Dịch vụ công Một cửa", "One-door public services"));
	html_fmt(b, "<nav aria-label=\"%s\"><ul>", PT_T(c, "Điều hướng chính", "Main navigation"));
	html_fmt(b, "<li><a href=\"/thu-tuc\">%s</a></li>", PT_T(c, "Thủ tục", "Procedures"));
	if (c->who.role == ROLE_CITIZEN) {
		html_fmt(b,
		         "<li><a href=\"/ho-so\">%s</a></li><li><a href=\"/de-xuat\">%s</a></li>"
		         "<li><a href=\"/kho\">%s</a></li>",
		         PT_T(c, "Hồ sơ của tôi", "My dossiers"),
		         PT_T(c, "Đề xuất cho bạn", "Offers for you"),
		         PT_T(c, "Kho dữ liệu", "My vault"));
		html_fmt(b, "<li><a href=\"/du-lieu-cua-toi\">%s</a></li>",
		         PT_T(c, "Dữ liệu của tôi", "My data"));
		pt_inbox_nav(c, b);
	} else if (c->who.role >= ROLE_OFFICER)
		html_fmt(b,
		         "<li><a href=\"/ho-so\">%s</a></li><li><a href=\"/danh-gia\">%s</a></li>",
		         PT_T(c, "Hồ sơ cần xử lý", "Dossier queue"),
		         PT_T(c, "Đánh giá, phản ánh", "Ratings, feedback"));
	html_fmt(b, "<li><a href=\"/xac-thuc\">%s</a></li>",
	         PT_T(c, "Xác thực giấy tờ", "Verify a document"));
	html_fmt(b, "<li><a href=\"/du-lieu-mo\">%s</a></li>", PT_T(c, "Dữ liệu mở", "Open data"));
	html_fmt(b, "<li><a href=\"/so-lieu\">%s</a></li>", PT_T(c, "Số liệu", "Scoreboard"));
	mc_buf_puts(b, "</ul></nav><div class=\"tools\">");
	const char *other = c->en ? "vi" : "en";
	mc_buf_puts(b, "<a class=\"lang\" href=\"");
	self_path(c, b);
	html_fmt(b, "?lang=%s", other);
	const char *q = http_query(c->req, "q");
	if (q)
		html_fmt(b, "&amp;q=%U", q);
	html_fmt(b, "\" hreflang=\"%s\" lang=\"%s\">%s</a>", other, other,
	         c->en ? "Tiếng Việt" : "English");
	if (c->token) {
		html_fmt(b,
		         "<form class=\"inline\" method=\"post\" action=\"/dang-xuat\">"
		         "<span class=\"who\">%s</span>",
		         c->who.username);
		pt_csrf_input(c, b);
		html_fmt(b, "<button type=\"submit\" class=\"link\">%s</button></form>",
		         PT_T(c, "Đăng xuất", "Log out"));
	} else {
		html_fmt(b, "<a href=\"/dang-nhap\">%s</a>", PT_T(c, "Đăng nhập", "Log in"));
	}
	mc_buf_puts(b, "</div></div></header><main id=\"main\" class=\"wrap\">");
}

void pt_foot(pt_ctx *c, mc_buf *b)
{
	html_fmt(b,
	         "</main><footer class=\"foot\"><div class=\"wrap\"><p>%s</p>"
	         "<p><a href=\"/openapi.json\">API (OpenAPI 3.1)</a></p></div></footer>"
	         "</body></html>\n",
	         PT_T(c, "motcua — nền tảng Chính phủ số một cửa, mã nguồn mở.",
	              "motcua — open-source one-door digital-government platform."));
}

static bool accepts_gzip(mc_req *req)
{
	const char *ae = http_header(req, "Accept-Encoding");
	return ae && strstr(ae, "gzip") != NULL;
}

/* gzip of p (n bytes) into *out; false on a zlib failure. */
static bool gzip(const void *p, size_t n, mc_buf *out)
{
	z_stream z = {0};
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	size_t cap = deflateBound(&z, (uLong)n) + 32;
	out->data = mc_xrealloc(out->data, cap);
	out->cap = cap;
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END;
}

/* Replies bytes, gzip'ed when the client accepts it and it pays. */
static void reply_bytes(mc_req *req, mc_resp *resp, int status, const char *type, const void *p,
                        size_t n)
{
	mc_buf z = {0};
	if (n >= GZIP_MIN && accepts_gzip(req) && gzip(p, n, &z)) {
		http_reply_bytes(resp, status, type, z.data, z.len);
		http_add_header(resp, "Content-Encoding", "gzip");
	} else {
		http_reply_bytes(resp, status, type, p, n);
	}
	http_add_header(resp, "Vary", "Accept-Encoding");
	mc_buf_free(&z);
}

static void set_cookie(pt_ctx *c, const char *name, const char *value, long max_age)
{
	char *v = mc_arena_printf(c->req->arena,
	                          "%s=%s; Path=/; Max-Age=%ld; HttpOnly; Secure; SameSite=Lax",
	                          name, value, max_age);
	http_add_header(c->resp, "Set-Cookie", v);
}

/* Security headers and cookies of every page. */
static void page_headers(pt_ctx *c)
{
	http_add_header(c->resp, "Content-Security-Policy",
	                "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
	                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
	                "object-src 'none'");
	http_add_header(c->resp, "Referrer-Policy", "same-origin");
	if (c->set_lang)
		set_cookie(c, COOKIE_LANG, c->set_lang, 365L * 24 * 3600);
	if (c->new_pre_csrf)
		set_cookie(c, COOKIE_PRE, c->csrf, 24L * 3600);
}

void pt_reply(pt_ctx *c, int status, mc_buf *b)
{
	reply_bytes(c->req, c->resp, status, "text/html; charset=utf-8", b->data, b->len);
	page_headers(c);
	mc_buf_free(b);
}

void pt_message(pt_ctx *c, int status, const char *title, const char *text)
{
	mc_buf b = {0};
	pt_head(c, &b, title);
	html_fmt(&b, "<h1>%s</h1><p>%s</p><p><a href=\"/\">%s</a></p>", title, text,
	         PT_T(c, "Về trang chủ", "Back to the home page"));
	pt_foot(c, &b);
	pt_reply(c, status, &b);
}

void pt_redirect(pt_ctx *c, const char *location)
{
	mc_buf b = {0};
	html_fmt(&b, "<!doctype html><title>303</title><a href=\"%s\">%s</a>\n", location,
	         location);
	http_reply_bytes(c->resp, 303, "text/html; charset=utf-8", b.data, b.len);
	http_add_header(c->resp, "Location", location);
	page_headers(c);
	mc_buf_free(&b);
}

bool pt_require(pt_ctx *c, mc_role min)
{
	if (!c->token) {
		mc_buf u = {0};
		mc_buf_puts(&u, "/dang-nhap?next=");
		mc_buf p = {0};
		self_path(c, &p);
		html_url(&u, mc_buf_cstr(&p));
		pt_redirect(c, mc_buf_cstr(&u));
		mc_buf_free(&u);
		mc_buf_free(&p);
		return false;
	}
	if (c->who.role < min) {
		pt_message(c, 403, PT_T(c, "Không được phép", "Not allowed"),
		           PT_T(c, "Tài khoản của bạn không được xem trang này.",
		                "Your account may not see this page."));
		return false;
	}
	return true;
}

void pt_csrf_input(pt_ctx *c, mc_buf *b)
{
	html_fmt(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", c->csrf);
}

/* ---- form bodies ---- */

static bool add_field(mc_arena *a, pt_form *f, const char *name, size_t nlen, const char *val,
                      size_t vlen, bool decode)
{
	if (f->n >= PT_FORM_MAX_FIELDS || vlen > PT_FIELD_MAX * 3)
		return false;
	char *n = mc_arena_strndup(a, name, nlen);
	char *v = mc_arena_strndup(a, val, vlen);
	if (decode && (!html_form_decode(n) || !html_form_decode(v)))
		return false;
	if (!text_utf8_valid(n, strlen(n)) || !text_utf8_valid(v, strlen(v)) ||
	    strlen(v) > PT_FIELD_MAX)
		return false;
	f->name[f->n] = n;
	f->value[f->n] = v;
	f->n++;
	return true;
}

bool pt_parse_urlencoded(mc_arena *a, const char *body, size_t len, pt_form *f)
{
	memset(f, 0, sizeof *f);
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && body[j] != '&')
			j++;
		if (j > i) {
			const char *eq = memchr(body + i, '=', j - i);
			size_t nlen = eq ? (size_t)(eq - (body + i)) : j - i;
			const char *val = eq ? eq + 1 : body + j;
			size_t vlen = eq ? (size_t)(body + j - val) : 0;
			if (memchr(body + i, '\0', j - i) ||
			    !add_field(a, f, body + i, nlen, val, vlen, true))
				return false;
		}
		i = j + 1;
	}
	return true;
}

/* Value of parameter `param` (name="...") in a header line [p, end). */
static const char *header_param(mc_arena *a, const char *p, const char *end, const char *param)
{
	size_t pl = strlen(param);
	for (const char *s = p; s + pl + 2 <= end; s++) {
		if ((s == p || s[-1] == ' ' || s[-1] == ';') && strncasecmp(s, param, pl) == 0 &&
		    s[pl] == '=') {
			const char *v = s + pl + 1;
			if (*v == '"') {
				const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
				if (!q)
					return NULL;
				return mc_arena_strndup(a, v + 1, (size_t)(q - v - 1));
			}
			const char *e = v;
			while (e < end && *e != ';' && *e != ' ' && *e != '\r')
				e++;
			return mc_arena_strndup(a, v, (size_t)(e - v));
		}
	}
	return NULL;
}

bool pt_parse_multipart(mc_arena *a, const char *content_type, const char *body, size_t len,
                        pt_form *f)
{
	memset(f, 0, sizeof *f);
	if (!content_type)
		return false;
	const char *boundary =
	    header_param(a, content_type, content_type + strlen(content_type), "boundary");
	if (!boundary || !*boundary || strlen(boundary) > 70)
		return false;
	char *delim = mc_arena_printf(a, "\r\n--%s", boundary);
	size_t dl = strlen(delim);
	/* the body starts with the delimiter without its CRLF */
	if (len < dl - 2 || memcmp(body, delim + 2, dl - 2) != 0)
		return false;
	const char *p = body + dl - 2, *end = body + len;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return true; /* closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return false;
		p += 2;
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend)
			return false;
		const char *name = NULL, *filename = NULL, *type = NULL;
		for (const char *line = p; line < hend;) {
			const char *le = memmem(line, (size_t)(hend + 2 - line), "\r\n", 2);
			if (!le)
				le = hend;
			if ((size_t)(le - line) > 20 &&
			    strncasecmp(line, "Content-Disposition:", 20) == 0) {
				name = header_param(a, line, le, "name");
				filename = header_param(a, line, le, "filename");
			} else if ((size_t)(le - line) > 13 &&
			           strncasecmp(line, "Content-Type:", 13) == 0) {
				const char *v = line + 13;
				while (v < le && *v == ' ')
					v++;
				type = mc_arena_strndup(a, v, (size_t)(le - v));
			}
			line = le + 2;
		}
		const char *data = hend + 4;
		const char *next = memmem(data, (size_t)(end - data), delim, dl);
		if (!name || !next)
			return false;
		size_t dlen = (size_t)(next - data);
		if (filename) {
			if (dlen > 0) {
				if (f->nfiles >= PT_FORM_MAX_FILES)
					return false;
				f->files[f->nfiles++] = (pt_file){name, filename, type, data, dlen};
			}
		} else if (memchr(data, '\0', dlen) ||
		           !add_field(a, f, name, strlen(name), data, dlen, false)) {
			return false;
		}
		p = next + dl;
	}
}

bool pt_post(pt_ctx *c)
{
	mc_req *r = c->req;
	const char *ct = r->content_type ? r->content_type : "";
	bool ok;
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		ok = pt_parse_urlencoded(r->arena, r->body, r->body_len, &c->form);
	else if (strncasecmp(ct, "multipart/form-data", 19) == 0)
		ok = pt_parse_multipart(r->arena, ct, r->body, r->body_len, &c->form);
	else {
		pt_message(c, 415, PT_T(c, "Không đọc được biểu mẫu", "Unreadable form"),
		           PT_T(c, "Biểu mẫu phải được gửi từ trình duyệt.",
		                "The form must be sent by a browser."));
		return false;
	}
	if (!ok) {
		pt_message(c, 400, PT_T(c, "Biểu mẫu không hợp lệ", "Invalid form"),
		           PT_T(c, "Dữ liệu gửi lên không đúng định dạng hoặc quá dài.",
		                "The data sent is malformed or too long."));
		return false;
	}
	const char *got = pt_field(c, "csrf");
	if (!got || strlen(got) != PT_CSRF_LEN || c->new_pre_csrf ||
	    sodium_memcmp(got, c->csrf, PT_CSRF_LEN) != 0) {
		pt_message(c, 403, PT_T(c, "Phiên làm việc đã hết hạn", "Session expired"),
		           PT_T(c, "Mã bảo vệ biểu mẫu không khớp. Hãy tải lại trang và thử lại.",
		                "The form's protection code does not match. Reload the page and "
		                "try again."));
		return false;
	}
	return true;
}

const char *pt_field(pt_ctx *c, const char *name)
{
	for (int i = 0; i < c->form.n; i++)
		if (!strcmp(c->form.name[i], name))
			return c->form.value[i];
	return NULL;
}

const pt_file *pt_file_of(pt_ctx *c, const char *name)
{
	for (int i = 0; i < c->form.nfiles; i++)
		if (!strcmp(c->form.files[i].field, name) && c->form.files[i].len > 0)
			return &c->form.files[i];
	return NULL;
}

/* ---- small formatters ---- */

const char *pt_date(pt_ctx *c, const char *iso)
{
	int y, m, d;
	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return "";
	return mc_arena_printf(c->req->arena, "%02d/%02d/%04d", d, m, y);
}

const char *pt_datetime(pt_ctx *c, const char *iso)
{
	time_t t;
	if (!iso || !ts_parse(iso, &t))
		return iso ? iso : "";
	t += 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return mc_arena_printf(c->req->arena, "%02d/%02d/%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1,
	                       tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

const char *pt_i18n(pt_ctx *c, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_object(v)) {
		json_t *s = json_object_get(v, c->lang);
		if (!json_is_string(s))
			s = json_object_get(v, "vi");
		return json_is_string(s) ? json_string_value(s) : "";
	}
	return "";
}

static const struct {
	const char *action, *vi, *en;
} action_names[] = {
    {"submit", "Nộp hồ sơ", "Submitted"},
    {"receive", "Tiếp nhận", "Receive"},
    {"refuse", "Từ chối tiếp nhận", "Refuse"},
    {"request_supplement", "Yêu cầu bổ sung", "Request a supplement"},
    {"supplement", "Bổ sung hồ sơ", "Supplement"},
    {"process", "Chuyển xử lý", "Start processing"},
    {"transfer", "Chuyển cơ quan khác", "Transfer"},
    {"request_payment", "Yêu cầu nộp phí", "Request payment"},
    {"pay", "Nộp phí", "Pay"},
    {"withdraw", "Rút hồ sơ", "Withdraw"},
    {"stop", "Dừng xử lý", "Stop"},
    {"finish", "Hoàn thành, cấp kết quả", "Finish and issue the result"},
    {"return_result", "Trả kết quả", "Return the result"},
    {"apologize", "Xin lỗi, hẹn lại ngày trả", "Apologise with a new date"},
};

const char *pt_action_name(pt_ctx *c, const char *action)
{
	for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
		if (!strcmp(action_names[i].action, action))
			return PT_T(c, action_names[i].vi, action_names[i].en);
	return action;
}

void pt_status_badge(pt_ctx *c, mc_buf *b, json_t *d)
{
	int code = (int)json_integer_value(json_object_get(d, "status_code"));
	const char *cls = code == 5 || code == 6                ? "wait"
	                  : code == 9 || code == 10             ? "done"
	                  : code == 3 || code == 7 || code == 8 ? "stop"
	                                                        : "open";
	html_fmt(b, "<span class=\"badge %s\">%s</span>", cls,
	         pt_i18n(c, json_object_get(d, "status_name")));
}

/* ---- static assets ---- */

static const char *asset_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".woff2"))
		return "font/woff2";
	return "application/octet-stream";
}

void pt_h_asset(mc_req *req, mc_resp *resp)
{
	const char *name = req->params[0];
	for (const web_asset *a = web_assets; a->name; a++) {
		if (strcmp(a->name, name) != 0)
			continue;
		reply_bytes(req, resp, 200, asset_type(name), a->data, a->len);
		http_add_header(resp, "Cache-Control", "public, max-age=3600");
		return;
	}
	pt_ctx c;
	pt_begin(&c, req, resp);
	pt_message(&c, 404, PT_T(&c, "Không tìm thấy", "Not found"),
	           PT_T(&c, "Không có tệp này.", "There is no such file."));
}
