/* portal_verify.c - checking a signed result in the portal: /xac-thuc (a
 * form for the result id; works without JavaScript) and /xac-thuc/{id}
 * (the verdict of result_verify in words, with the QR code). The QR code
 * itself points at the result module's own page /verify/{id}. Also the
 * result box of the dossier page (id, verdict link, QR code). */
#include "portal/portal_internal.h"
#include "result/result.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct vctx {
	const char *id;
	const char *dossier;
	json_t *out;
} vctx;

static mc_err verify_fn(store_conn *conn, void *ctx, mc_diag *d)
{
	vctx *v = ctx;
	json_decref(v->out);
	v->out = NULL;
	return result_verify(conn, v->id, &v->out, d);
}

static mc_err by_dossier_fn(store_conn *conn, void *ctx, mc_diag *d)
{
	vctx *v = ctx;
	json_decref(v->out);
	v->out = NULL;
	return result_get_by_dossier(conn, v->dossier, &v->out, d);
}

/* A result id as typed: trimmed, lower-cased; NULL unless 32 hex digits. */
static const char *clean_id(pt_ctx *c, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	char buf[RESULT_ID_LEN + 1];
	size_t n = 0;
	for (; *s && *s != ' '; s++) {
		if (n >= RESULT_ID_LEN || !isxdigit((unsigned char)*s))
			return NULL;
		buf[n++] = (char)tolower((unsigned char)*s);
	}
	while (*s == ' ')
		s++;
	if (*s || n != RESULT_ID_LEN)
		return NULL;
	buf[n] = '\0';
	return mc_arena_strdup(c->req->arena, buf);
}

static void verify_form(pt_ctx *c, mc_buf *b, const char *value)
{
	html_fmt(
	    b,
	    "<form class=\"search\" method=\"get\" action=\"/xac-thuc\">"
	    "<label for=\"rid\">%s</label>"
	    "<input type=\"text\" id=\"rid\" name=\"id\" value=\"%s\" maxlength=\"64\" "
	    "autocomplete=\"off\" spellcheck=\"false\"><button type=\"submit\">%s</button></form>",
	    PT_T(c, "Mã kết quả (32 ký tự, in dưới mã QR)",
	         "Result id (32 characters, printed under the QR code)"),
	    value ? value : "", PT_T(c, "Xác thực", "Verify"));
}

static void verify_page(pt_ctx *c, int status, const char *typed, json_t *v, const char *error)
{
	mc_buf b = {0};
	pt_head(c, &b, PT_T(c, "Xác thực giấy tờ", "Verify a document"));
	html_fmt(&b, "<h1>%s</h1><p>%s</p>",
	         PT_T(c, "Xác thực kết quả điện tử", "Verify an electronic result"),
	         PT_T(c,
	              "Nhập mã kết quả hoặc quét mã QR in trên giấy tờ để biết giấy tờ có do cơ "
	              "quan nhà nước cấp và còn nguyên vẹn hay không.",
	              "Enter the result id or scan the QR code printed on the document to learn "
	              "whether a public office issued it and it is unaltered."));
	if (error)
		html_fmt(&b, "<p class=\"error\" role=\"alert\">%s</p>", error);
	if (v) {
		const char *st = json_string_value(json_object_get(v, "status"));
		bool valid = st && !strcmp(st, "valid");
		bool revoked = st && !strcmp(st, "revoked");
		const char *id = json_string_value(json_object_get(v, "id"));
		json_t *ag = json_object_get(v, "issuing_agency");
		const char *agn =
		    json_string_value(json_object_get(ag, c->en ? "name_en" : "name"));
		if (!agn)
			agn = json_string_value(json_object_get(ag, "name"));
		html_fmt(&b,
		         "<section class=\"%R verdict\" role=\"status\" "
		         "aria-labelledby=\"h-v\"><h2 id=\"h-v\">%s</h2>",
		         valid ? "success" : "error",
		         valid ? PT_T(c, "Hợp lệ: chữ ký số đúng, nội dung nguyên vẹn",
		                      "Valid: the signature is right and the content unaltered")
		         : revoked ? PT_T(c, "Đã bị thu hồi", "Revoked")
		                   : PT_T(c, "Không hợp lệ: nội dung đã bị thay đổi",
		                          "Not valid: the content was altered"));
		html_fmt(
		    &b,
		    "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s <span "
		    "class=\"meta\">%s</span></dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
		    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
		    PT_T(c, "Mã kết quả", "Result id"), id, PT_T(c, "Cơ quan cấp", "Issued by"),
		    agn, json_string_value(json_object_get(ag, "code")),
		    PT_T(c, "Thời điểm cấp", "Issued at"),
		    pt_datetime(c, json_string_value(json_object_get(v, "issued_at"))),
		    PT_T(c, "Thủ tục", "Procedure"),
		    json_string_value(json_object_get(json_object_get(v, "procedure"), "name")),
		    PT_T(c, "Mã hồ sơ", "Dossier code"),
		    json_string_value(json_object_get(v, "dossier_code")),
		    PT_T(c, "Khóa ký", "Signing key"),
		    json_string_value(json_object_get(v, "key_id")));
		if (revoked)
			html_fmt(&b, "<dt>%s</dt><dd>%s</dd>", PT_T(c, "Lý do thu hồi", "Reason"),
			         json_string_value(json_object_get(v, "revoke_reason")));
		const char *why = json_string_value(json_object_get(v, "reason"));
		if (why)
			html_fmt(&b, "<dt>%s</dt><dd>%s</dd>", PT_T(c, "Chi tiết", "Details"), why);
		html_fmt(
		    &b,
		    "</dl><p><img class=\"qr\" src=\"/verify/%U/qr.svg\" width=\"160\" "
		    "height=\"160\" "
		    "alt=\"%s\"></p><p><a href=\"/verify/%U\">%s</a></p></section>",
		    id,
		    PT_T(c, "Mã QR dẫn tới trang xác thực này", "QR code leading to this check"),
		    id, PT_T(c, "Trang xác thực của mã QR", "The QR code's verification page"));
	}
	verify_form(c, &b, typed);
	pt_foot(c, &b);
	pt_reply(c, status, &b);
}

static void verify_id(pt_ctx *c, const char *typed)
{
	const char *id = clean_id(c, typed);
	if (!id) {
		verify_page(c, 404, typed, NULL,
		            PT_T(c, "Mã kết quả gồm 32 chữ số hệ 16 (0-9, a-f).",
		                 "A result id is 32 hexadecimal digits (0-9, a-f)."));
		return;
	}
	vctx v = {.id = id};
	mc_diag d = {0};
	mc_err e = store_read(c->req->app->db, verify_fn, &v, &d);
	mc_diag_clear(&d);
	if (e == MC_OK)
		verify_page(c, 200, id, v.out, NULL);
	else
		verify_page(
		    c, e == MC_ERR_NOT_FOUND ? 404 : 500, typed, NULL,
		    e == MC_ERR_NOT_FOUND
		        ? PT_T(c,
		               "Không có kết quả nào mang mã này: giấy tờ không do hệ thống cấp.",
		               "No result has this id: the document was not issued here.")
		        : PT_T(c, "Lỗi hệ thống, hãy thử lại.", "System error; try again."));
	json_decref(v.out);
}

void pt_h_verify(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	const char *id = http_query(req, "id");
	if (id && *id && strlen(id) <= 64)
		verify_id(&c, id);
	else
		verify_page(&c, 200, NULL, NULL, NULL);
}

void pt_h_verify_id(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	verify_id(&c, strlen(req->params[0]) <= 64 ? req->params[0] : "");
}

void pt_result_box(pt_ctx *c, mc_buf *b, const char *dossier_code)
{
	vctx v = {.dossier = dossier_code};
	mc_diag d = {0};
	mc_err e = store_read(c->req->app->db, by_dossier_fn, &v, &d);
	mc_diag_clear(&d);
	if (e != MC_OK || !result_may_read(&c->who, v.out)) {
		json_decref(v.out);
		return;
	}
	const char *id = json_string_value(json_object_get(v.out, "id"));
	const char *st = json_string_value(json_object_get(v.out, "status"));
	html_fmt(b,
	         "<section class=\"box\" aria-labelledby=\"h-sr\"><h2 id=\"h-sr\">%s</h2>"
	         "<p>%s: <strong class=\"rid\">%s</strong></p><p>%s: %s</p>"
	         "<p><img class=\"qr\" src=\"/verify/%U/qr.svg\" width=\"160\" height=\"160\" "
	         "alt=\"%s\"></p>"
	         "<p><a href=\"/xac-thuc/%U\">%s</a> · <a "
	         "href=\"/verify/%U/qr.png\">%s</a></p></section>",
	         PT_T(c, "Kết quả điện tử có chữ ký số", "Signed electronic result"),
	         PT_T(c, "Mã kết quả", "Result id"), id, PT_T(c, "Tình trạng", "Status"),
	         st && !strcmp(st, "valid")     ? PT_T(c, "hợp lệ", "valid")
	         : st && !strcmp(st, "revoked") ? PT_T(c, "đã thu hồi", "revoked")
	                                        : PT_T(c, "không hợp lệ", "not valid"),
	         id, PT_T(c, "Mã QR xác thực kết quả", "QR code to verify the result"), id,
	         PT_T(c, "Xác thực kết quả này", "Verify this result"), id,
	         PT_T(c, "Tải mã QR (PNG)", "Download the QR code (PNG)"));
	json_decref(v.out);
}
