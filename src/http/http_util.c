/* http_util.c - the helpers of http.h that modules call: replies, problem
 * documents, query parameters, limits, opaque cursors, list envelopes and
 * the read-one-document-and-reply shorthand. */
#include "http/http.h"

#include "http/server_internal.h"
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *http_query(mc_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(mc_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

json_t *http_json(mc_req *req)
{
	return server_req_json(req);
}

static void reply_drop_stream(mc_resp *resp)
{
	if (resp->has_fd)
		close(resp->fd);
	resp->has_fd = false;
	if (resp->read && resp->read_free)
		resp->read_free(resp->read_cls);
	resp->read = NULL;
	resp->read_cls = NULL;
}

static void reply_take(mc_resp *resp, int status, const char *ctype, char *body, size_t n)
{
	reply_drop_stream(resp);
	free(resp->body);
	resp->status = status;
	resp->body = body;
	resp->body_len = n;
	resp->content_type = ctype;
}

void http_reply_json(mc_resp *resp, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!s)
		s = mc_xstrdup("null");
	reply_take(resp, status, "application/json", s, strlen(s));
}

void http_reply_bytes(mc_resp *resp, int status, const char *content_type, const void *p, size_t n)
{
	char *b = mc_xmalloc(n + 1);
	memcpy(b, p, n);
	b[n] = '\0';
	reply_take(resp, status, content_type, b, n);
}

void http_reply_fd(mc_resp *resp, int status, const char *content_type, int fd, uint64_t off,
                   uint64_t len)
{
	reply_take(resp, status, content_type, NULL, 0);
	resp->has_fd = true;
	resp->fd = fd;
	resp->fd_off = off;
	resp->fd_len = len;
}

void http_reply_stream(mc_resp *resp, int status, const char *content_type, uint64_t size,
                       http_read_fn read, void *cls, void (*free_fn)(void *cls))
{
	reply_take(resp, status, content_type, NULL, 0);
	resp->read = read;
	resp->read_cls = cls;
	resp->read_free = free_fn;
	resp->read_size = size;
}

void http_add_header(mc_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders >= (int)(sizeof resp->headers / sizeof resp->headers[0]))
		return;
	resp->headers[resp->nheaders][0] = mc_xstrdup(name);
	resp->headers[resp->nheaders][1] = mc_xstrdup(value);
	resp->nheaders++;
}

int http_status_of(mc_err e)
{
	switch (e) {
	case MC_OK:
		return 200;
	case MC_ERR_INVALID:
		return 400;
	case MC_ERR_UNAUTHENTICATED:
		return 401;
	case MC_ERR_FORBIDDEN:
		return 403;
	case MC_ERR_NOT_FOUND:
		return 404;
	case MC_ERR_METHOD:
		return 405;
	case MC_ERR_CONFLICT:
		return 409;
	case MC_ERR_TOO_LARGE:
		return 413;
	case MC_ERR_MEDIA_TYPE:
		return 415;
	case MC_ERR_UNPROCESSABLE:
		return 422;
	case MC_ERR_RATE_LIMITED:
		return 429;
	case MC_ERR_UNAVAILABLE:
		return 503;
	default:
		return 500;
	}
}

static const char *title_of(mc_err e, bool vi)
{
	switch (e) {
	case MC_ERR_INVALID:
		return vi ? "Yêu cầu không hợp lệ" : "Bad request";
	case MC_ERR_UNAUTHENTICATED:
		return vi ? "Chưa đăng nhập hoặc phiên đã hết hạn" : "Authentication required";
	case MC_ERR_FORBIDDEN:
		return vi ? "Không có quyền thực hiện" : "Forbidden";
	case MC_ERR_NOT_FOUND:
		return vi ? "Không tìm thấy" : "Not found";
	case MC_ERR_METHOD:
		return vi ? "Phương thức không được hỗ trợ" : "Method not allowed";
	case MC_ERR_CONFLICT:
		return vi ? "Xung đột trạng thái" : "Conflict";
	case MC_ERR_TOO_LARGE:
		return vi ? "Dữ liệu gửi lên quá lớn" : "Payload too large";
	case MC_ERR_MEDIA_TYPE:
		return vi ? "Kiểu dữ liệu không được hỗ trợ" : "Unsupported media type";
	case MC_ERR_UNPROCESSABLE:
		return vi ? "Dữ liệu không hợp lệ" : "Validation failed";
	case MC_ERR_RATE_LIMITED:
		return vi ? "Quá nhiều yêu cầu" : "Too many requests";
	case MC_ERR_UNAVAILABLE:
		return vi ? "Dịch vụ tạm thời không sẵn sàng" : "Service unavailable";
	default:
		return vi ? "Lỗi hệ thống" : "Internal error";
	}
}

void http_reply_error(mc_req *req, mc_resp *resp, mc_err e, const mc_diag *diag)
{
	bool vi = !req || !req->lang || strcmp(req->lang, "en") != 0;
	int status = http_status_of(e);
	json_t *p = json_object();
	json_object_set_new(p, "type",
	                    json_sprintf("https://motcua.gov.vn/problems/%s", mc_err_name(e)));
	json_object_set_new(p, "title", json_string(title_of(e, vi)));
	json_object_set_new(p, "status", json_integer(status));
	const char *detail = NULL;
	if (diag) {
		detail = vi && diag->detail_vi[0] ? diag->detail_vi : diag->detail;
		if (!detail[0])
			detail = NULL;
	}
	if (status >= 500 && e != MC_ERR_UNAVAILABLE)
		detail =
		    vi ? "Đã xảy ra lỗi, vui lòng thử lại sau." : "An internal error occurred.";
	if (detail)
		json_object_set_new(p, "detail", json_string(detail));
	if (diag && diag->detail[0] && vi && diag->detail_vi[0] && status < 500)
		json_object_set_new(p, "detail_en", json_string(diag->detail));
	if (req && req->path)
		json_object_set_new(p, "instance", json_string(req->path));
	if (diag && diag->ext && status < 500)
		json_object_update_missing(p, diag->ext);
	char *s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	reply_take(resp, status, "application/problem+json", s, strlen(s));
	if (e == MC_ERR_UNAVAILABLE)
		http_add_header(resp, "Retry-After", "1");
}

void http_reply_problem(mc_req *req, mc_resp *resp, mc_err e, const char *vi, const char *fmt, ...)
{
	mc_diag d = {0};
	snprintf(d.detail_vi, sizeof d.detail_vi, "%s", vi);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d.detail, sizeof d.detail, fmt, ap);
	va_end(ap);
	http_reply_error(req, resp, e, &d);
}

mc_err http_limit(mc_req *req, int def, int max, int *out, mc_diag *diag)
{
	const char *s = http_query(req, "limit");
	if (!s) {
		*out = def;
		return MC_OK;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1)
		return mc_fail2(diag, MC_ERR_INVALID, "Tham số limit phải là số nguyên dương",
		                "limit must be a positive integer");
	*out = v > max ? max : (int)v;
	return MC_OK;
}

const char *http_cursor_encode(mc_req *req, json_t *state)
{
	char *s = json_dumps(state, JSON_COMPACT | JSON_SORT_KEYS);
	size_t n = strlen(s);
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = mc_arena_alloc(req->arena, cap);
	sodium_bin2base64(out, cap, (const unsigned char *)s, n,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(s);
	return out;
}

mc_err http_cursor_decode(mc_req *req, json_t **out, mc_diag *diag)
{
	*out = NULL;
	const char *c = http_query(req, "cursor");
	if (!c || !*c)
		return MC_OK;
	size_t n = strlen(c);
	if (n > 2048)
		return mc_fail2(diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ",
		                "invalid cursor");
	unsigned char *bin = mc_arena_alloc(req->arena, n + 1);
	size_t len = 0;
	if (sodium_base642bin(bin, n, c, n, NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return mc_fail2(diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ",
		                "invalid cursor");
	json_t *j = json_loadb((const char *)bin, len, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return mc_fail2(diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ",
		                "invalid cursor");
	}
	*out = j;
	return MC_OK;
}

mc_err http_cursor_int(mc_req *req, const char *member, int64_t min, int64_t max, int64_t *out,
                       mc_diag *diag)
{
	json_t *cur = NULL;
	mc_err e = http_cursor_decode(req, &cur, diag);
	if (e || !cur)
		return e;
	json_t *v = json_object_get(cur, member);
	if (!json_is_integer(v) || json_object_size(cur) != 1 || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		e = mc_fail2(diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ", "invalid cursor");
	else
		*out = json_integer_value(v);
	json_decref(cur);
	return e;
}

json_t *http_list(json_t *items, const char *next_cursor)
{
	return json_pack("{s:o, s:o}", "items", items, "next_cursor",
	                 next_cursor ? json_string(next_cursor) : json_null());
}

void http_reply_list(mc_req *req, mc_resp *resp, json_t *items, json_t *next_state)
{
	const char *next = next_state ? http_cursor_encode(req, next_state) : NULL;
	json_decref(next_state);
	http_reply_json(resp, 200, http_list(items, next));
}

json_t *http_next_after(json_t *items, bool more, const char *state_key, const char *item_key)
{
	size_t n = json_array_size(items);
	if (!more || !n)
		return NULL;
	return json_pack("{s:O}", state_key,
	                 json_object_get(json_array_get(items, n - 1), item_key));
}

typedef struct read_ctx {
	http_get_fn get;
	const char *key;
	json_t *out;
} read_ctx;

static mc_err read_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	read_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return x->get(c, x->key, &x->out, diag);
}

mc_err http_read_json(mc_req *req, http_get_fn get, const char *key, json_t **out, mc_diag *diag)
{
	read_ctx x = {.get = get, .key = key};
	mc_err e = store_read(req->app->db, read_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		x.out = NULL;
	}
	*out = x.out;
	return e;
}

void http_reply_read(mc_req *req, mc_resp *resp, http_get_fn get, const char *key)
{
	mc_diag diag = {0};
	json_t *doc = NULL;
	mc_err e = http_read_json(req, get, key, &doc, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_json(resp, 200, doc);
	mc_diag_clear(&diag);
}
