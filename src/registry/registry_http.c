/* registry_http.c - HTTP handlers of registries and their route table.
 *
 * Access (docs/REGISTRIES.md): definitions are public; records are read
 * through registry_visible (the person a record is about reads it whole,
 * officers read every record with the sensitive fields masked unless their
 * agency owns the registry, administrators read everything, anyone reads
 * the non-personal fields of a public registry); anonymous callers who may
 * not read a record get 401, other callers 404 (a record's existence is
 * not confirmed to strangers). A read of a record about a person by an
 * officer or administrator is audited ("registry.read") and recorded in
 * the person's access log (src/exchange, "who used my data"). Search,
 * quality and writes are for officers
 * and administrators; writes also need the registry's writer rule. */
#include "registry/registry.h"

#include "audit/audit.h"
#include "core/ids.h"
#include "core/text.h"
#include "exchange/exchange.h"
#include "registry/registry_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply_err(mc_req *req, mc_resp *resp, mc_err e, mc_diag *diag)
{
	http_reply_error(req, resp, e, diag);
	mc_diag_clear(diag);
}

/* ---- definitions ---------------------------------------------------------- */

static mc_err defs_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	json_t **out = vctx;
	json_decref(*out);
	*out = NULL;
	return registry_def_list(c, out, diag);
}

static void h_defs(mc_req *req, mc_resp *resp)
{
	json_t *items = NULL;
	mc_diag diag = {0};
	mc_err e = store_read(req->app->db, defs_fn, &items, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_list(req, resp, items, NULL);
}

static void h_def_create(mc_req *req, mc_resp *resp)
{
	json_t *out = NULL;
	mc_diag diag = {0};
	mc_err e = registry_def_create(req->app->db, &req->who, http_json(req), &out, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_add_header(resp, "Location",
	                mc_arena_printf(req->arena, "/api/v1/registries/%s",
	                                json_string_value(json_object_get(out, "name"))));
	http_reply_json(resp, 201, out);
}

static void h_def_get(mc_req *req, mc_resp *resp)
{
	http_reply_read(req, resp, registry_def_get, req->params[0]);
}

/* The definition `name` as a shared reference (handlers never change it). */
static mc_err def_ref(store_conn *c, const char *name, json_t **out, mc_diag *diag)
{
	reg_def d;
	mc_err e = reg_def_load(c, name, &d, diag);
	if (e)
		return e;
	*out = json_incref(d.json);
	reg_def_release(&d);
	return MC_OK;
}

/* ---- one record ------------------------------------------------------------ */

typedef struct rec_ctx {
	const char *registry, *id;
	int version;   /* 0: current */
	json_t *def;   /* out */
	json_t *rec;   /* out: current record */
	json_t *ver;   /* out: the version asked for */
	json_t *extra; /* out: versions page */
	int before, limit;
	bool more, versions;
	const mc_principal *staff; /* an officer or admin: the read is logged */
} rec_ctx;

/* Staff reads of a record about a person are audited ("registry.read")
 * and recorded in that person's access log (src/exchange) with their
 * basis: a dossier or identity consent of the officer's agency, else the
 * reader's role. Fills *l (strings in x, `object` and `category`); false
 * when the read is not logged (not staff, not about a person, or the
 * reader's own). */
static bool staff_lookup(const rec_ctx *x, exchange_lookup *l, char object[160],
                         char category[EXCHANGE_CATEGORY_MAX + 1])
{
	const mc_principal *who = x->staff;
	const char *field = json_string_value(json_object_get(x->def, "subject_field"));
	const char *subject =
	    field ? json_string_value(json_object_get(json_object_get(x->rec, "data"), field))
	          : NULL;
	if (!who || !subject || id_person_parse(subject, NULL, NULL) != MC_OK ||
	    strcmp(subject, who->person_id) == 0)
		return false;
	const char *id = json_string_value(json_object_get(x->rec, "id"));
	snprintf(object, 160, "registry/%s/%s", x->registry, id ? id : "");
	snprintf(category, EXCHANGE_CATEGORY_MAX + 1, "registry:%s", x->registry);
	*l = (exchange_lookup){.subject = subject,
	                       .actor = who->username,
	                       .agency = who->agency,
	                       .role = role_name(who->role),
	                       .channel = "registry",
	                       .category = category,
	                       .basis_category = "identity",
	                       .audit_action = "registry.read",
	                       .audit_object = object};
	return true;
}

static mc_err rec_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	rec_ctx *x = vctx;
	json_decref(x->def);
	json_decref(x->rec);
	json_decref(x->ver);
	json_decref(x->extra);
	x->def = x->rec = x->ver = x->extra = NULL;
	mc_err e = def_ref(c, x->registry, &x->def, diag);
	if (!e)
		e = registry_record_get(c, x->registry, x->id, &x->rec, diag);
	if (!e && x->version > 0)
		e = registry_record_version(c, x->registry, x->id, x->version, &x->ver, diag);
	if (!e && x->versions)
		e = reg_versions(c, x->registry, x->id, x->before, x->limit, &x->extra, &x->more,
		                 diag);
	return e;
}

static mc_err log_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	return exchange_lookup_log(c, vctx, NULL, NULL, diag);
}

static bool is_staff(const mc_principal *who)
{
	return who->role == ROLE_OFFICER || who->role == ROLE_ADMIN;
}

/* Logs a staff member's read of `rec` (a record of `registry` with
 * definition `def`) when it is about a person: queued for the access-log
 * writer (exchange_lookup_later), or written now when the queue cannot take
 * it, so that nothing is answered unlogged. Others' reads: nothing. */
static mc_err log_staff_read(mc_req *req, const char *registry, json_t *def, json_t *rec,
                             mc_diag *diag)
{
	rec_ctx x = {.registry = registry,
	             .def = def,
	             .rec = rec,
	             .staff = is_staff(&req->who) ? &req->who : NULL};
	exchange_lookup l;
	char object[160], category[EXCHANGE_CATEGORY_MAX + 1];
	if (!staff_lookup(&x, &l, object, category) || exchange_lookup_later(&l))
		return MC_OK;
	return store_write(req->app->db, log_fn, &l, diag);
}

/* The read of x in a snapshot, then logged (log_staff_read). */
static mc_err rec_run(mc_req *req, rec_ctx *x, mc_diag *diag)
{
	mc_err e = store_read(req->app->db, rec_fn, x, diag);
	if (!e)
		e = log_staff_read(req, x->registry, x->def, x->rec, diag);
	return e;
}

static void rec_clear(rec_ctx *x)
{
	json_decref(x->def);
	json_decref(x->rec);
	json_decref(x->ver);
	json_decref(x->extra);
}

/* The visible view of x->rec, or NULL after replying 401/404. */
static json_t *visible_or_reply(mc_req *req, mc_resp *resp, rec_ctx *x)
{
	json_t *v = registry_visible(&req->who, x->def, x->rec);
	if (v)
		return v;
	if (req->who.role == ROLE_ANONYMOUS)
		http_reply_problem(req, resp, MC_ERR_UNAUTHENTICATED,
		                   "Cần đăng nhập để xem dữ liệu cá nhân.",
		                   "Sign in to read personal data.");
	else
		http_reply_problem(req, resp, MC_ERR_NOT_FOUND, "Không tìm thấy bản ghi.",
		                   "No such record.");
	return NULL;
}

static bool parse_pos_int(const char *s, int max, int *out)
{
	if (!s || !*s || strlen(s) > 9)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	long v = strtol(s, NULL, 10);
	if (v < 1 || v > max)
		return false;
	*out = (int)v;
	return true;
}

/* A version seen through the same rules as the current record: the rules
 * apply to the version's own data. */
static json_t *visible_version(mc_req *req, json_t *def, json_t *ver)
{
	return registry_visible(&req->who, def, ver);
}

static void h_record_get(mc_req *req, mc_resp *resp)
{
	rec_ctx x = {.registry = req->params[0], .id = req->params[1]};
	mc_diag diag = {0};
	const char *ver = http_query(req, "version");
	if (ver && !parse_pos_int(ver, 1000000000, &x.version)) {
		http_reply_problem(req, resp, MC_ERR_INVALID, "Số phiên bản không hợp lệ.",
		                   "version must be a positive integer");
		return;
	}
	mc_err e = rec_run(req, &x, &diag);
	if (e && req->who.role == ROLE_ANONYMOUS && e == MC_ERR_NOT_FOUND && x.def &&
	    !json_is_true(json_object_get(x.def, "public"))) {
		/* do not tell anonymous callers which personal numbers exist */
		mc_diag_clear(&diag);
		http_reply_problem(req, resp, MC_ERR_UNAUTHENTICATED,
		                   "Cần đăng nhập để xem dữ liệu cá nhân.",
		                   "Sign in to read personal data.");
		goto out;
	}
	if (e) {
		reply_err(req, resp, e, &diag);
		goto out;
	}
	json_t *v = visible_or_reply(req, resp, &x);
	if (!v)
		goto out;
	if (x.ver) {
		json_decref(v);
		v = visible_version(req, x.def, x.ver);
		if (!v) {
			http_reply_problem(req, resp, MC_ERR_NOT_FOUND, "Không tìm thấy bản ghi.",
			                   "No such record.");
			goto out;
		}
	}
	http_reply_json(resp, 200, v);
out:
	rec_clear(&x);
}

static void h_versions(mc_req *req, mc_resp *resp)
{
	rec_ctx x = {.registry = req->params[0], .id = req->params[1], .versions = true};
	mc_diag diag = {0};
	int64_t before = 0;
	mc_err e = http_limit(req, 20, 100, &x.limit, &diag);
	if (!e)
		e = http_cursor_int(req, "before", 1, 1000000000, &before, &diag);
	x.before = (int)before;
	if (!e)
		e = rec_run(req, &x, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		goto out;
	}
	json_t *v = visible_or_reply(req, resp, &x);
	if (!v)
		goto out;
	json_decref(v);
	json_t *items = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(x.extra, i, it)
	{
		json_t *vv = visible_version(req, x.def, it);
		if (vv)
			json_array_append_new(items, vv);
	}
	json_t *next = NULL;
	if (x.more && json_array_size(x.extra))
		next =
		    json_pack("{s:O}", "before",
		              json_object_get(json_array_get(x.extra, json_array_size(x.extra) - 1),
		                              "version"));
	http_reply_list(req, resp, items, next);
out:
	rec_clear(&x);
}

/* ---- writing ---------------------------------------------------------------- */

typedef struct put_ctx {
	const mc_principal *who;
	const char *registry, *id;
	json_t *data;
	const char *reason;
	bool create, verify;
	json_t *out;
} put_ctx;

/* Members the caller cannot see stay as they are when the body omits them,
 * so that writing back a masked record does not erase what was masked. */
static void keep_masked(put_ctx *x, json_t *def, json_t *cur, json_t *data)
{
	json_t *vis = registry_visible(x->who, def, cur);
	json_t *masked = json_object_get(vis, "masked");
	json_t *cdata = json_object_get(cur, "data");
	size_t i;
	json_t *m;
	json_array_foreach(masked, i, m)
	{
		const char *k = json_string_value(m);
		if (k && !json_object_get(data, k) && json_object_get(cdata, k))
			json_object_set(data, k, json_object_get(cdata, k));
	}
	json_decref(vis);
}

static mc_err put_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	put_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *def = NULL, *cur = NULL, *data = NULL;
	mc_err e = def_ref(c, x->registry, &def, diag);
	if (e)
		return e;
	reg_def d;
	if (!reg_def_bind(&d, def)) {
		e = mc_fail(diag, MC_ERR_INTERNAL, "bad definition");
		goto out;
	}
	bool may = reg_may_write(x->who, &d);
	reg_def_release(&d);
	if (!may) {
		e = mc_fail2(diag, MC_ERR_FORBIDDEN,
		             "Chỉ cán bộ của cơ quan quản lý được ghi vào sổ này.",
		             "Only officers of the owning agency write to this registry.");
		goto out;
	}
	if (x->verify) {
		if ((e = registry_record_verify(c, x->registry, x->id, x->who->username, diag)))
			goto out;
		e = registry_record_get(c, x->registry, x->id, &x->out, diag);
		goto out;
	}
	data = json_is_object(x->data) ? json_deep_copy(x->data) : json_incref(x->data);
	if (!x->create && json_is_object(data)) {
		if ((e = registry_record_get(c, x->registry, x->id, &cur, diag)))
			goto out;
		keep_masked(x, def, cur, data);
	}
	e = registry_record_put(c, x->registry, x->id, data, x->create, x->who->username, x->reason,
	                        &x->out, diag);
out:
	json_decref(def);
	json_decref(cur);
	json_decref(data);
	return e;
}

/* Reads {data, reason} from the body; replies and returns false when bad. */
static bool read_body(mc_req *req, mc_resp *resp, put_ctx *x, bool reason_required)
{
	json_t *body = http_json(req);
	json_t *errors = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		if (strcmp(k, "data") && strcmp(k, "reason"))
			mc_errors_add(errors, "$", "only the members data and reason are allowed",
			              "chỉ cho phép các thành phần data và reason");
	}
	x->data = json_object_get(body, "data");
	if (!json_is_object(x->data))
		mc_errors_add(errors, "$.data", "must be an object with the record's fields",
		              "phải là đối tượng chứa các trường của bản ghi");
	json_t *r = json_object_get(body, "reason");
	if (r && !json_is_string(r) && !json_is_null(r))
		mc_errors_add(errors, "$.reason", "must be a text", "phải là chuỗi");
	x->reason = json_string_value(r);
	if (x->reason && !text_utf8_valid(x->reason, strlen(x->reason)))
		x->reason = NULL;
	if (reason_required && (!x->reason || !*x->reason))
		mc_errors_add(errors, "$.reason", "say why the record changes",
		              "cần nêu lý do thay đổi");
	if (x->reason && strlen(x->reason) > REGISTRY_REASON_MAX)
		mc_errors_add(errors, "$.reason", "is longer than 500 bytes", "dài quá 500 byte");
	if (json_array_size(errors)) {
		mc_diag diag = {0};
		mc_fail2(&diag, MC_ERR_UNPROCESSABLE, "Yêu cầu không hợp lệ.",
		         "The request is not valid.");
		mc_diag_ext(&diag, "errors", errors);
		reply_err(req, resp, MC_ERR_UNPROCESSABLE, &diag);
		return false;
	}
	json_decref(errors);
	return true;
}

static void write_record(mc_req *req, mc_resp *resp, bool create, bool verify)
{
	put_ctx x = {.who = &req->who,
	             .registry = req->params[0],
	             .id = create ? NULL : req->params[1],
	             .create = create,
	             .verify = verify};
	if (!verify && !read_body(req, resp, &x, !create))
		return;
	mc_diag diag = {0};
	mc_err e = store_write(req->app->db, put_fn, &x, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	if (create)
		http_add_header(resp, "Location",
		                mc_arena_printf(req->arena, "/api/v1/registries/%s/records/%s",
		                                req->params[0],
		                                json_string_value(json_object_get(x.out, "id"))));
	http_reply_json(resp, create ? 201 : 200, x.out);
}

static void h_record_post(mc_req *req, mc_resp *resp)
{
	write_record(req, resp, true, false);
}

static void h_record_put(mc_req *req, mc_resp *resp)
{
	write_record(req, resp, false, false);
}

static void h_record_verify(mc_req *req, mc_resp *resp)
{
	write_record(req, resp, false, true);
}

/* ---- search ------------------------------------------------------------------ */

typedef struct search_ctx {
	mc_req *req;
	const char *registry;
	reg_search q;
	json_t *items;
	bool more;
	json_t *def;
} search_ctx;

static mc_err search_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	search_ctx *x = vctx;
	json_decref(x->items);
	json_decref(x->def);
	x->items = x->def = NULL;
	reg_def d;
	mc_err e = reg_def_load(c, x->registry, &d, diag);
	if (e)
		return e;
	/* filters: ?<indexed field>=value; other schema fields are refused */
	x->q.nfilters = 0;
	for (int i = 0; i < d.nfields && !e; i++) {
		const char *v = http_query(x->req, d.fields[i]);
		if (!v)
			continue;
		if (!reg_in(d.indexed, d.fields[i]) || x->q.nfilters == 3 || strlen(v) > 200)
			e = mc_fail2(diag, MC_ERR_INVALID,
			             "Chỉ lọc được theo tối đa 3 trường có chỉ mục.",
			             "Filters work on at most 3 indexed fields (%s is not one).",
			             d.fields[i]);
		else {
			x->q.field[x->q.nfilters] = d.fields[i];
			x->q.value[x->q.nfilters++] = v;
		}
	}
	if (!e)
		e = reg_search_run(c, &d, &x->q, &x->items, &x->more, diag);
	if (!e)
		x->def = json_incref(d.json);
	reg_def_release(&d);
	return e;
}

static void h_search(mc_req *req, mc_resp *resp)
{
	search_ctx x = {.req = req, .registry = req->params[0]};
	mc_diag diag = {0};
	json_t *cur = NULL;
	char *folded = NULL;
	mc_err e = http_limit(req, 20, 100, &x.q.limit, &diag);
	if (!e)
		e = http_cursor_decode(req, &cur, &diag);
	if (e)
		goto fail;
	const char *q = http_query(req, "q");
	if (q && strlen(q) > 200) {
		e = mc_fail2(&diag, MC_ERR_INVALID, "Chuỗi tìm kiếm quá dài.",
		             "q is longer than 200 bytes");
		goto fail;
	}
	if (q && *q) {
		folded = text_fold(q);
		x.q.q = folded;
	}
	if (cur) {
		json_t *a = json_object_get(cur, "after"), *o = json_object_get(cur, "offset");
		if (json_is_string(a) && strlen(json_string_value(a)) <= REGISTRY_ID_MAX)
			x.q.after = json_string_value(a);
		else if (json_is_integer(o) && json_integer_value(o) >= 0 &&
		         json_integer_value(o) <= 100000)
			x.q.offset = (int)json_integer_value(o);
		else {
			e = mc_fail2(&diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.",
			             "Invalid cursor.");
			goto fail;
		}
	}
	if ((e = store_read(req->app->db, search_fn, &x, &diag)))
		goto fail;
	json_t *items = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(x.items, i, it)
	{
		json_t *v = registry_visible(&req->who, x.def, it);
		if (!v)
			continue;
		json_array_append_new(items, v);
		/* each person found by a staff search is in that person's log */
		if ((e = log_staff_read(req, x.registry, x.def, it, &diag))) {
			json_decref(items);
			goto fail;
		}
	}
	json_t *next = NULL;
	if (x.q.q && x.more)
		next = json_pack("{s:i}", "offset", x.q.offset + x.q.limit);
	else
		next = http_next_after(x.items, x.more, "after", "id");
	http_reply_list(req, resp, items, next);
	goto out;
fail:
	http_reply_error(req, resp, e, &diag);
out:
	mc_diag_clear(&diag);
	json_decref(cur);
	json_decref(x.items);
	json_decref(x.def);
	free(folded);
}

/* ---- quality ------------------------------------------------------------------ */

typedef struct quality_ctx {
	const char *registry;
	json_t *out;
} quality_ctx;

static mc_err quality_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	quality_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return registry_quality(c, x->registry, &x->out, diag);
}

static void h_quality(mc_req *req, mc_resp *resp)
{
	quality_ctx x = {.registry = req->params[0]};
	mc_diag diag = {0};
	mc_err e = store_read(req->app->db, quality_fn, &x, &diag);
	if (e) {
		reply_err(req, resp, e, &diag);
		return;
	}
	http_reply_json(resp, 200, x.out);
}

const http_route registry_routes[] = {
    {"GET", "/api/v1/registries", h_defs, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/v1/registries", h_def_create, ACCESS_OFFICER, BODY_JSON},
    {"GET", "/api/v1/registries/{name}", h_def_get, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/registries/{name}/quality", h_quality, ACCESS_OFFICER, BODY_NONE},
    {"GET", "/api/v1/registries/{name}/records", h_search, ACCESS_OFFICER, BODY_NONE},
    {"POST", "/api/v1/registries/{name}/records", h_record_post, ACCESS_OFFICER, BODY_JSON},
    {"GET", "/api/v1/registries/{name}/records/{id}", h_record_get, ACCESS_PUBLIC, BODY_NONE},
    {"PUT", "/api/v1/registries/{name}/records/{id}", h_record_put, ACCESS_OFFICER, BODY_JSON},
    {"GET", "/api/v1/registries/{name}/records/{id}/versions", h_versions, ACCESS_USER, BODY_NONE},
    {"POST", "/api/v1/registries/{name}/records/{id}/verify", h_record_verify, ACCESS_OFFICER,
     BODY_NONE},
    {0},
};
