/* document_http.c - HTTP handlers of the document module and its route
 * table: upload (raw body), metadata and content. Access: the uploader,
 * officers and administrators; anyone else gets 404 so that document ids
 * are not confirmed to strangers. */
#include "document/document.h"

#include <stdlib.h>
#include <string.h>

static bool may_read(const mc_principal *who, json_t *meta)
{
	if (who->role == ROLE_ADMIN || who->role == ROLE_OFFICER)
		return true;
	return who->user_id != 0 &&
	       json_integer_value(json_object_get(meta, "owner")) == who->user_id;
}

/* Loads the metadata the caller may see; replies the error otherwise. */
static json_t *load_visible(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *meta = NULL;
	mc_err e = http_read_json(req, document_get, req->params[0], &meta, &diag);
	if (!e && !may_read(&req->who, meta))
		e = mc_fail2(&diag, MC_ERR_NOT_FOUND, "Không tìm thấy tài liệu.",
		             "No such document.");
	if (e) {
		json_decref(meta);
		http_reply_error(req, resp, e, &diag);
		mc_diag_clear(&diag);
		return NULL;
	}
	return meta;
}

static void h_upload(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	const char *name = http_query(req, "name");
	if (name && strlen(name) > DOCUMENT_NAME_MAX) {
		http_reply_problem(req, resp, MC_ERR_INVALID, "Tên tệp quá dài.",
		                   "name is longer than %d bytes", DOCUMENT_NAME_MAX);
		return;
	}
	mc_err e = document_put(req->app, req->who.user_id, req->who.username, req->content_type,
	                        req->body, req->body_len, name && *name ? name : NULL, &out, &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
		mc_diag_clear(&diag);
		return;
	}
	const char *id = json_string_value(json_object_get(out, "id"));
	char *loc = mc_arena_printf(req->arena, "/api/v1/documents/%s", id);
	http_add_header(resp, "Location", loc);
	http_reply_json(resp, 201, out);
}

static void h_get(mc_req *req, mc_resp *resp)
{
	json_t *meta = load_visible(req, resp);
	if (!meta)
		return;
	http_reply_json(resp, 200, meta);
}

static void h_content(mc_req *req, mc_resp *resp)
{
	json_t *meta = load_visible(req, resp);
	if (!meta)
		return;
	mc_diag diag = {0};
	void *data = NULL;
	size_t n = 0;
	mc_err e = document_read_content(req->app, meta, &data, &n, &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
		mc_diag_clear(&diag);
	} else {
		/* resp keeps the pointer: the type must outlive meta */
		const char *mt = mc_arena_strdup(
		    req->arena, json_string_value(json_object_get(meta, "media_type")));
		http_reply_bytes(resp, 200, mt, data, n);
		http_add_header(resp, "Content-Disposition", "attachment");
	}
	free(data);
	json_decref(meta);
}

const http_route document_routes[] = {
    {"POST", "/api/v1/documents", h_upload, ACCESS_USER, BODY_RAW},
    {"GET", "/api/v1/documents/{id}", h_get, ACCESS_USER, BODY_NONE},
    {"GET", "/api/v1/documents/{id}/content", h_content, ACCESS_USER, BODY_NONE},
    {0},
};
