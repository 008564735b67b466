/* result_http.c - HTTP handlers of the result module and its route table:
 * results for their readers (applicant, officers of the issuing agency,
 * admins), revocation, agencies' public keys and rotation, and the public
 * verification page /verify/{id} (JSON or HTML) with its QR code. */
#include "dossier/dossier.h"
#include "result/qr.h"
#include "result/result_internal.h"

#include <stdlib.h>
#include <string.h>

#define QR_SCALE 6
#define QR_BORDER 4

static void reply_err(mc_req *req, mc_resp *resp, mc_err e, mc_diag *diag)
{
	http_reply_error(req, resp, e, diag);
	mc_diag_clear(diag);
}

/* Loads the result the caller may read; replies the error otherwise.
 * Citizens get 404 for others' results, officers of another agency 403. */
static json_t *load_visible(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *r = NULL;
	mc_err e = http_read_json(req, result_get, req->params[0], &r, &diag);
	if (!e && !result_may_read(&req->who, r)) {
		e = req->who.role == ROLE_OFFICER
		        ? mc_fail2(&diag, MC_ERR_FORBIDDEN, "Kết quả do cơ quan khác ban hành.",
		                   "The result was issued by another agency.")
		        : mc_fail2(&diag, MC_ERR_NOT_FOUND, "Không tìm thấy kết quả.",
		                   "No such result.");
	}
	if (e) {
		json_decref(r);
		reply_err(req, resp, e, &diag);
		return NULL;
	}
	return r;
}

static void h_get(mc_req *req, mc_resp *resp)
{
	json_t *r = load_visible(req, resp);
	if (r)
		http_reply_json(resp, 200, r);
}

static void reply_rendering(mc_req *req, mc_resp *resp, bool html)
{
	json_t *r = load_visible(req, resp);
	if (!r)
		return;
	json_t *doc = json_object_get(r, "document");
	if (!json_is_object(doc)) {
		http_reply_problem(req, resp, MC_ERR_CONFLICT,
		                   "Kết quả đã bị sửa đổi, không hiển thị được.",
		                   "The stored result is not readable (tampered).");
		json_decref(r);
		return;
	}
	char *s = html ? result_render_html(doc) : result_render_text(doc);
	http_reply_bytes(resp, 200, html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
	                 s, strlen(s));
	if (html)
		http_add_header(resp, "Content-Security-Policy",
		                "default-src 'none'; style-src 'unsafe-inline'");
	free(s);
	json_decref(r);
}

static void h_html(mc_req *req, mc_resp *resp)
{
	reply_rendering(req, resp, true);
}

static void h_text(mc_req *req, mc_resp *resp)
{
	reply_rendering(req, resp, false);
}

static void h_dossier_result(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *d = NULL, *r = NULL;
	/* the dossier's own visibility rules decide who may see its result */
	mc_err e = dossier_get(req->app, &req->who, req->params[0], &d, &diag);
	json_decref(d);
	if (!e && (e = http_read_json(req, result_get_by_dossier, req->params[0], &r, &diag)) ==
	              MC_ERR_NOT_FOUND) {
		mc_diag_clear(&diag);
		e = mc_fail2(&diag, MC_ERR_NOT_FOUND, "Hồ sơ chưa có kết quả.",
		             "The dossier has no result yet.");
	}
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, r);
}

static void h_revoke(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *body = http_json(req);
	json_t *reason = json_object_get(body, "reason");
	if (reason && !json_is_string(reason)) {
		http_reply_problem(req, resp, MC_ERR_INVALID, "\"reason\" phải là chuỗi ký tự.",
		                   "\"reason\" must be a string.");
		return;
	}
	json_t *out = NULL;
	mc_err e = result_revoke(req->app->db, &req->who, req->params[0], json_string_value(reason),
	                         &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, out);
}

typedef struct keys_ctx {
	const char *agency;
	json_t *out;
} keys_ctx;

static mc_err keys_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	keys_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return result_keys_list(c, x->agency, &x->out, diag);
}

static void h_keys(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	keys_ctx x = {req->params[0], NULL};
	mc_err e = store_read(req->app->db, keys_fn, &x, &diag);
	if (e) {
		json_decref(x.out);
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, json_pack("{s:o}", "items", x.out));
}

static void h_rotate(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e =
	    result_key_rotate_on(req->app->db, req->params[0], req->who.username, &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 201, out);
}

/* ---- public verification ---- */

/* True when the client asked for JSON rather than a page. */
static bool wants_json(mc_req *req)
{
	const char *a = http_header(req, "Accept");
	if (!a)
		return false;
	const char *j = strstr(a, "application/json");
	const char *h = strstr(a, "text/html");
	return j && (!h || j < h);
}

static void h_verify(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *v = NULL;
	mc_err e = http_read_json(req, result_verify, req->params[0], &v, &diag);
	http_add_header(resp, "Cache-Control", "no-store");
	http_add_header(resp, "Vary", "Accept");
	if (wants_json(req)) {
		if (e)
			reply_err(req, resp, e, &diag);
		else
			http_reply_json(resp, 200, v);
		return;
	}
	char *page = result_verify_html(e ? NULL : v);
	http_reply_bytes(resp, e ? http_status_of(e) : 200, "text/html; charset=utf-8", page,
	                 strlen(page));
	http_add_header(resp, "Content-Security-Policy",
	                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
	free(page);
	json_decref(v);
	mc_diag_clear(&diag);
}

static void reply_qr(mc_req *req, mc_resp *resp, bool svg)
{
	mc_diag diag = {0};
	json_t *v = NULL;
	/* a QR code only for results that exist */
	mc_err e = http_read_json(req, result_verify, req->params[0], &v, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	char *url = result_verify_url(json_string_value(json_object_get(v, "id")));
	json_decref(v);
	qr_matrix q;
	e = qr_encode(url, &q);
	free(url);
	if (e) {
		http_reply_problem(req, resp, MC_ERR_INTERNAL, "Không tạo được mã QR.",
		                   "cannot encode the QR code");
		return;
	}
	size_t n = 0;
	if (svg) {
		char *s = qr_svg(&q, QR_BORDER, &n);
		http_reply_bytes(resp, 200, "image/svg+xml", s, n);
		free(s);
	} else {
		unsigned char *p = qr_png(&q, QR_SCALE, QR_BORDER, &n);
		http_reply_bytes(resp, 200, "image/png", p, n);
		free(p);
	}
	http_add_header(resp, "Cache-Control", "public, max-age=86400");
	qr_free(&q);
}

static void h_qr_svg(mc_req *req, mc_resp *resp)
{
	reply_qr(req, resp, true);
}

static void h_qr_png(mc_req *req, mc_resp *resp)
{
	reply_qr(req, resp, false);
}

const http_route result_routes[] = {
    {"GET", "/api/v1/results/{id}", h_get, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/results/{id}/html", h_html, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/results/{id}/text", h_text, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/results/{id}/revoke", h_revoke, ACCESS_OFFICER, BODY_JSON},
    {"GET", "/api/v1/dossiers/{code}/result", h_dossier_result, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/result-keys/{agency}", h_keys, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/v1/result-keys/{agency}/rotate", h_rotate, ACCESS_ADMIN, BODY_NONE},
    {"GET", "/verify/{id}", h_verify, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/verify/{id}/qr.svg", h_qr_svg, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/verify/{id}/qr.png", h_qr_png, ACCESS_PUBLIC, BODY_NONE},
    {0},
};
