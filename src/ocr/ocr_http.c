/* ocr_http.c - HTTP handlers of the OCR module: the extracted text of one
 * document (its uploader, officers, admins) and the search of extracted
 * text by officers, scoped to their agency's dossiers. */
#include "document/document.h"
#include "ocr/ocr.h"

#include <stdlib.h>
#include <string.h>

typedef struct text_ctx {
	const mc_principal *who;
	const char *id;
	json_t *out;
} text_ctx;

static mc_err text_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	text_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *meta = NULL;
	mc_err e = document_get(c, x->id, &meta, diag);
	if (e)
		return e;
	bool may = x->who->role == ROLE_ADMIN || x->who->role == ROLE_OFFICER ||
	           (x->who->user_id != 0 &&
	            json_integer_value(json_object_get(meta, "owner")) == x->who->user_id);
	json_decref(meta);
	if (!may)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy tài liệu.",
		                "No such document.");
	return ocr_get(c, x->id, &x->out, diag);
}

static void h_text(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	text_ctx x = {&req->who, req->params[0], NULL};
	mc_err e = store_read(req->app->db, text_fn, &x, &diag);
	if (e) {
		json_decref(x.out);
		http_reply_error(req, resp, e, &diag);
		mc_diag_clear(&diag);
		return;
	}
	http_reply_json(resp, 200, x.out);
}

static void h_search(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *items = NULL;
	int limit;
	int64_t offset = 0;
	bool more = false;
	mc_err e;
	if ((e = http_limit(req, 20, 100, &limit, &diag)))
		goto fail;
	if ((e = http_cursor_int(req, "o", 1, OCR_SEARCH_SCAN, &offset, &diag)))
		goto fail;
	if ((e = ocr_search(req->app->db, &req->who, http_query(req, "q"), limit, (int)offset,
	                    &items, &more, &diag)))
		goto fail;
	json_t *next =
	    more ? json_pack("{s:I}", "o", (json_int_t)(offset + (int64_t)json_array_size(items)))
	         : NULL;
	http_reply_list(req, resp, items, next);
	items = NULL;
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	json_decref(items);
	mc_diag_clear(&diag);
}

const http_route ocr_routes[] = {
    {"GET", "/api/v1/documents", h_search, ACCESS_OFFICER, BODY_NONE},
    {"GET", "/api/v1/documents/{id}/text", h_text, ACCESS_USER, BODY_NONE},
    {0},
};
