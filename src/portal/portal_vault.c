/* portal_vault.c - "my vault" (/kho): the electronic documents the state
 * holds for the citizen (issued results with their QR codes, verified
 * uploads, registry records), through vault_list_for_holder. */
#include "portal/portal_internal.h"
#include "vault/vault.h"

#include <stdlib.h>
#include <string.h>

#define VAULT_PAGE 50

typedef struct list_ctx {
	const char *holder;
	const char *after_created, *after_id;
	json_t *items;
	bool more;
} list_ctx;

static mc_err list_fn(store_conn *conn, void *ctx, mc_diag *d)
{
	list_ctx *x = ctx;
	json_decref(x->items);
	x->items = NULL;
	return vault_list_for_holder(conn, x->holder, NULL, VAULT_PAGE, x->after_created,
	                             x->after_id, &x->items, &x->more, d);
}

static const char *source_name(pt_ctx *c, const char *s)
{
	if (s && !strcmp(s, "result"))
		return PT_T(c, "Kết quả do cơ quan cấp", "Result issued by an office");
	if (s && !strcmp(s, "registry"))
		return PT_T(c, "Từ cơ sở dữ liệu", "From a registry");
	return PT_T(c, "Bạn tải lên", "Your upload");
}

static const char *status_name(pt_ctx *c, json_t *it)
{
	const char *s = json_string_value(json_object_get(it, "status"));
	if (s && !strcmp(s, "revoked"))
		return PT_T(c, "Đã thu hồi", "Revoked");
	if (!json_is_true(json_object_get(it, "valid")))
		return PT_T(c, "Hết hiệu lực", "No longer valid");
	if (s && !strcmp(s, "verified"))
		return PT_T(c, "Đã xác minh, còn hiệu lực", "Verified, valid");
	return PT_T(c, "Chưa xác minh", "Not verified");
}

static bool is_result_id(const char *s)
{
	if (!s || strlen(s) != 32)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

void pt_h_vault(mc_req *req, mc_resp *resp)
{
	pt_ctx c;
	pt_begin(&c, req, resp);
	if (!pt_require(&c, ROLE_CITIZEN))
		return;
	if (c.who.role != ROLE_CITIZEN || !c.who.person_id[0]) {
		pt_message(&c, 403, PT_T(&c, "Không có kho dữ liệu", "No vault"),
		           PT_T(&c, "Kho dữ liệu thuộc về công dân có số định danh cá nhân.",
		                "A vault belongs to a citizen with a personal number."));
		return;
	}
	list_ctx x = {.holder = c.who.person_id,
	              .after_created = http_query(req, "after_t"),
	              .after_id = http_query(req, "after_i")};
	if (!x.after_created || !x.after_id || strlen(x.after_created) > 32 ||
	    strlen(x.after_id) > 64)
		x.after_created = x.after_id = NULL;
	mc_diag d = {0};
	mc_err e = store_read(req->app->db, list_fn, &x, &d);
	mc_diag_clear(&d);
	mc_buf b = {0};
	pt_head(&c, &b, PT_T(&c, "Kho dữ liệu của tôi", "My vault"));
	html_fmt(&b, "<h1>%s</h1><p>%s</p>", PT_T(&c, "Kho dữ liệu của tôi", "My vault"),
	         PT_T(&c,
	              "Giấy tờ điện tử nhà nước đã cấp hoặc đã xác minh cho bạn. Khi nộp hồ sơ, "
	              "bạn chọn giấy tờ ở đây thay vì nộp lại.",
	              "Electronic documents the state issued or verified for you. When you "
	              "apply, choose them here instead of handing them in again."));
	if (e != MC_OK) {
		html_fmt(&b, "<p class=\"error\">%s</p>",
		         PT_T(&c, "Không đọc được kho dữ liệu.", "The vault could not be read."));
	} else if (!json_array_size(x.items)) {
		html_fmt(&b, "<p>%s</p>",
		         PT_T(&c, "Kho của bạn chưa có giấy tờ nào.", "Your vault is empty."));
	} else {
		mc_buf_puts(&b, "<ul class=\"list\">");
		size_t i;
		json_t *it;
		json_array_foreach(x.items, i, it)
		{
			const char *title = json_string_value(json_object_get(it, "title"));
			const char *tn = pt_i18n(&c, json_object_get(it, "type_name"));
			const char *src = json_string_value(json_object_get(it, "source"));
			const char *ref = json_string_value(json_object_get(it, "ref"));
			const char *until = json_string_value(json_object_get(it, "valid_until"));
			html_fmt(&b, "<li><h2>%s</h2><dl class=\"facts\"><dt>%s</dt><dd>%s</dd>",
			         title ? title : tn, PT_T(&c, "Loại giấy tờ", "Document type"), tn);
			html_fmt(&b, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
			         PT_T(&c, "Nguồn", "Source"), source_name(&c, src),
			         PT_T(&c, "Tình trạng", "Status"), status_name(&c, it));
			const char *issuer = json_string_value(json_object_get(it, "issuer"));
			if (issuer)
				html_fmt(&b, "<dt>%s</dt><dd>%s</dd>",
				         PT_T(&c, "Cơ quan cấp", "Issued by"), issuer);
			if (until)
				html_fmt(&b, "<dt>%s</dt><dd>%s</dd>",
				         PT_T(&c, "Hiệu lực đến", "Valid until"),
				         pt_date(&c, until));
			json_t *uses = json_object_get(it, "uses");
			if (json_integer_value(uses) > 0)
				html_fmt(&b, "<dt>%s</dt><dd>%D</dd>",
				         PT_T(&c, "Đã dùng lại cho hồ sơ", "Reused by dossiers"),
				         (int64_t)json_integer_value(uses));
			mc_buf_puts(&b, "</dl>");
			if (src && !strcmp(src, "result") && is_result_id(ref))
				html_fmt(
				    &b,
				    "<p><img class=\"qr\" src=\"/verify/%U/qr.svg\" width=\"120\" "
				    "height=\"120\" alt=\"%s\"></p><p><a "
				    "href=\"/xac-thuc/%U\">%s</a></p>",
				    ref,
				    PT_T(&c, "Mã QR xác thực giấy tờ này",
				         "QR code to verify this document"),
				    ref, PT_T(&c, "Xác thực giấy tờ này", "Verify this document"));
			mc_buf_puts(&b, "</li>");
		}
		mc_buf_puts(&b, "</ul>");
		if (x.more) {
			json_t *last = json_array_get(x.items, json_array_size(x.items) - 1);
			html_fmt(&b, "<p><a href=\"/kho?after_t=%U&amp;after_i=%U\">%s</a></p>",
			         json_string_value(json_object_get(last, "created_at")),
			         json_string_value(json_object_get(last, "id")),
			         PT_T(&c, "Trang sau", "Next page"));
		}
	}
	json_decref(x.items);
	pt_foot(&c, &b);
	pt_reply(&c, 200, &b);
}
