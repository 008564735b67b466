/* opendata_http.c - HTTP handlers of open data: the native API under
 * /api/v1/opendata (datasets, resources, cursor paging, change feed,
 * programme figure, refresh, webhooks), the CKAN Action API under
 * /api/3/action/, /api/action/ and /api/2/action/ with CKAN's envelope and
 * error types, and the DCAT-AP catalog documents. */
#include "opendata/opendata.h"

#include "auth/auth.h"
#include "core/jcache.h"
#include "core/mem.h"
#include "territory/territory.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

const char *opendata_base(mc_req *req)
{
	const char *env = getenv("MOTCUA_PUBLIC_URL");
	if (env && *env)
		return env;
	const char *host = http_header(req, "Host");
	bool ok = host && *host && strlen(host) < 200;
	for (const char *p = host; ok && *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '.' || *p == ':' || *p == '-' ||
		      *p == '[' || *p == ']'))
			ok = false;
	return mc_arena_printf(req->arena, "http://%s", ok ? host : "localhost");
}

/* ---- native API ---- */

static void reply_dataset_err(mc_req *req, mc_resp *resp, mc_err e, mc_diag *diag)
{
	http_reply_error(req, resp, e, diag);
	mc_diag_clear(diag);
}

static void post_dataset(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out;
	mc_err e =
	    opendata_dataset_save(req->app, &req->who, NULL, http_json(req), false, &out, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	char *loc =
	    mc_arena_printf(req->arena, "/api/v1/opendata/datasets/%s", str_of(out, "name"));
	http_add_header(resp, "Location", loc);
	http_reply_json(resp, 201, out);
}

static void put_dataset(mc_req *req, mc_resp *resp, bool patch)
{
	mc_diag diag = {0};
	json_t *out;
	mc_err e = opendata_dataset_save(req->app, &req->who, req->params[0], http_json(req), patch,
	                                 &out, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	http_reply_json(resp, 200, out);
}

static void put_dataset_full(mc_req *req, mc_resp *resp)
{
	put_dataset(req, resp, false);
}

static void patch_dataset(mc_req *req, mc_resp *resp)
{
	put_dataset(req, resp, true);
}

static mc_err dataset_get(store_conn *c, const char *key, json_t **out, mc_diag *diag)
{
	return opendata_dataset_get(c, key, out, diag);
}

static void get_dataset(mc_req *req, mc_resp *resp)
{
	http_reply_read(req, resp, dataset_get, req->params[0]);
}

static mc_err resource_get(store_conn *c, const char *key, json_t **out, mc_diag *diag)
{
	return opendata_resource_get(c, key, true, out, diag);
}

static void get_resource(mc_req *req, mc_resp *resp)
{
	http_reply_read(req, resp, resource_get, req->params[0]);
}

static void post_resource(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out;
	mc_err e =
	    opendata_resource_add(req->app, &req->who, req->params[0], http_json(req), &out, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	http_reply_json(resp, 201, out);
}

/* GET /api/v1/opendata/datasets?limit=&cursor=&q=&fq= : keyset pages by
 * id, as fast at any depth as on the first page. */
static void list_datasets(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *cur = NULL, *result = NULL;
	od_query q = {.q = http_query(req, "q"), .fq = http_query(req, "fq"), .sort = "id asc"};
	int limit = 20;
	mc_err e = http_limit(req, 20, 100, &limit, &diag);
	q.rows = limit + 1; /* one more tells whether a next page exists */
	if (!e)
		e = http_cursor_decode(req, &cur, &diag);
	if (!e && cur) {
		q.after = str_of(cur, "after");
		if (!q.after)
			e = mc_fail2(&diag, MC_ERR_INVALID, "Con trỏ trang không hợp lệ.",
			             "invalid cursor");
	}
	if (!e)
		e = opendata_search(req->app->db, &q, &result, &diag);
	if (e) {
		json_decref(cur);
		return reply_dataset_err(req, resp, e, &diag);
	}
	json_t *items = json_incref(json_object_get(result, "results"));
	bool more = (int)json_array_size(items) > limit;
	if (more)
		json_array_remove(items, (size_t)limit);
	http_reply_list(req, resp, items, http_next_after(items, more, "after", "id"));
	json_decref(result);
	json_decref(cur);
}

/* GET /api/v1/opendata/changes?cursor=&limit= */
static void get_changes(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *items = NULL;
	int limit;
	bool more = false;
	int64_t after = 0;
	mc_err e = http_limit(req, 100, 100, &limit, &diag);
	if (!e)
		e = http_cursor_int(req, "after", 0, INT64_MAX, &after, &diag);
	if (!e)
		e = opendata_changes(req->app->db, after, limit, &items, &more, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	/* the cursor always points after the last change seen, so a client
	 * polling the feed resumes exactly there, even from an empty page */
	json_t *last = json_array_get(items, json_array_size(items) - 1);
	int64_t upto = last ? json_integer_value(json_object_get(last, "seq")) : after;
	json_t *state = json_pack("{s:I}", "after", (json_int_t)upto);
	json_t *body = json_pack("{s:o,s:s,s:b}", "items", items, "cursor",
	                         http_cursor_encode(req, state), "more", more);
	json_decref(state);
	http_reply_json(resp, 200, body);
}

static void get_figure(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out;
	mc_err e = opendata_figure(req->app->db, http_query(req, "from"), http_query(req, "to"),
	                           &out, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	http_reply_json(resp, 200, out);
}

static void post_refresh(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out;
	mc_err e = opendata_refresh(req->app, &out, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	http_reply_json(resp, 200, out);
}

static void post_webhook(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out;
	mc_err e = opendata_webhook_add(req->app, &req->who, http_json(req), &out, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	http_reply_json(resp, 201, out);
}

static void get_webhooks(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out;
	mc_err e = opendata_webhook_list(req->app, &out, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	http_reply_json(resp, 200, json_pack("{s:o}", "items", out));
}

/* ---- DCAT-AP ---- */

static void dcat(mc_req *req, mc_resp *resp, const char *key, bool ttl)
{
	mc_diag diag = {0};
	int page = 1;
	const char *p = http_query(req, "page");
	if (p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (!*p || *end || v < 1 || v > 1000000) {
			http_reply_problem(req, resp, MC_ERR_INVALID, "Số trang không hợp lệ.",
			                   "page must be a positive integer");
			return;
		}
		page = (int)v;
	}
	char *out = NULL;
	mc_err e = opendata_dcat(req->app->db, opendata_base(req), key, page, ttl, &out, &diag);
	if (e)
		return reply_dataset_err(req, resp, e, &diag);
	http_add_header(resp, "Cache-Control", "public, max-age=60");
	http_reply_bytes(resp, 200, ttl ? "text/turtle; charset=utf-8" : "application/ld+json", out,
	                 strlen(out));
	free(out);
}

static void get_catalog_jsonld(mc_req *req, mc_resp *resp)
{
	dcat(req, resp, NULL, false);
}

static void get_catalog_ttl(mc_req *req, mc_resp *resp)
{
	dcat(req, resp, NULL, true);
}

static void get_dataset_jsonld(mc_req *req, mc_resp *resp)
{
	dcat(req, resp, req->params[0], false);
}

static void get_dataset_ttl(mc_req *req, mc_resp *resp)
{
	dcat(req, resp, req->params[0], true);
}

/* ---- CKAN Action API ---- */

typedef struct ck {
	mc_req *req;
	json_t *data;
	mc_principal who;
	const char *base;
	json_t *orgs;  /* organizations met in this request: code -> dict */
	od_form *form; /* resource_create's multipart body, or NULL */
	/* error */
	int status;
	const char *type;
	json_t *err; /* extra members of the error object */
} ck;

static json_t *ck_fail(ck *c, int status, const char *type, const char *message)
{
	c->status = status;
	c->type = type;
	json_decref(c->err);
	c->err = json_object();
	if (message)
		json_object_set_new(c->err, "message", json_string(message));
	return NULL;
}

static json_t *ck_not_found(ck *c, const char *what)
{
	return ck_fail(c, 404, "Not Found Error",
	               mc_arena_printf(c->req->arena, "Not found: %s", what));
}

/* Maps a service error to CKAN's error types. */
static json_t *ck_from(ck *c, mc_err e, mc_diag *d, bool search)
{
	const char *msg = d->detail[0] ? d->detail : mc_err_name(e);
	switch (e) {
	case MC_ERR_NOT_FOUND:
		return ck_fail(c, 404, "Not Found Error",
		               mc_arena_printf(c->req->arena, "Not found: %s", msg));
	case MC_ERR_FORBIDDEN:
	case MC_ERR_UNAUTHENTICATED:
		return ck_fail(c, 403, "Authorization Error",
		               mc_arena_printf(c->req->arena, "Access denied: %s", msg));
	case MC_ERR_TOO_LARGE:
		ck_fail(c, 413, "Validation Error", NULL);
		json_object_set_new(c->err, "upload", json_pack("[s]", msg));
		return NULL;
	case MC_ERR_INVALID:
		if (search)
			return ck_fail(
			    c, 400, "Search Query Error",
			    mc_arena_printf(c->req->arena, "Search Query is invalid: %s", msg));
		/* fall through */
	case MC_ERR_UNPROCESSABLE:
	case MC_ERR_CONFLICT: {
		ck_fail(c, 409, "Validation Error", NULL);
		json_t *errs = json_object_get(d->ext, "errors");
		size_t i;
		json_t *x;
		json_array_foreach(errs, i, x)
		{
			const char *path = str_of(x, "path");
			char field[64];
			snprintf(field, sizeof field, "%s",
			         path && strncmp(path, "$.", 2) == 0 ? path + 2 : "message");
			char *dot = strpbrk(field, ".[");
			if (dot)
				*dot = '\0';
			json_t *list = json_object_get(c->err, field);
			if (!list) {
				list = json_array();
				json_object_set_new(c->err, field, list);
			}
			json_array_append_new(list, json_string(str_of(x, "message")));
		}
		if (!json_array_size(errs))
			json_object_set_new(c->err, "message", json_string(msg));
		return NULL;
	}
	default:
		return ck_fail(c, 500, "Internal Server Error", "Internal Server Error");
	}
}

static const char *ck_str(ck *c, const char *k)
{
	json_t *v = json_object_get(c->data, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool ck_int(ck *c, const char *k, int def, int min, int max, int *out)
{
	json_t *v = json_object_get(c->data, k);
	*out = def;
	if (!v)
		return true;
	long long n;
	if (json_is_integer(v)) {
		n = json_integer_value(v);
	} else if (json_is_string(v)) {
		char *end;
		n = strtoll(json_string_value(v), &end, 10);
		if (!*json_string_value(v) || *end)
			goto bad;
	} else {
		goto bad;
	}
	if (n < min)
		goto bad;
	*out = n > max ? max : (int)n;
	return true;
bad : {
	ck_fail(c, 409, "Validation Error", NULL);
	json_t *l = json_array();
	json_array_append_new(l, json_string("Invalid integer"));
	json_object_set_new(c->err, k, l);
	return false;
}
}

static bool ck_bool(ck *c, const char *k)
{
	json_t *v = json_object_get(c->data, k);
	if (json_is_boolean(v))
		return json_is_true(v);
	const char *s = json_string_value(v);
	return s &&
	       (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0);
}

static char *ck_time(mc_arena *a, const char *ts)
{
	/* CKAN's timestamps: naive UTC ISO 8601 with microseconds */
	if (!ts || strlen(ts) < 19)
		return NULL;
	return mc_arena_printf(a, "%.19s.000000", ts);
}

static char *lower_dup(mc_arena *a, const char *s)
{
	char *d = mc_arena_strdup(a, s ? s : "");
	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

static json_t *ck_org(ck *c, store_conn *conn, const char *code, json_int_t count)
{
	json_t *ag = NULL;
	if (territory_agency_get(conn, code, &ag, NULL) != MC_OK)
		return NULL;
	const char *name = lower_dup(c->req->arena, code);
	json_t *o = json_pack(
	    "{s:s,s:s,s:O,s:O,s:O,s:s,s:b,s:s,s:s,s:s,s:s,s:I,s:s}", "id", name, "name", name,
	    "title", json_object_get(ag, "name"), "display_name", json_object_get(ag, "name"),
	    "description", json_object_get(ag, "name_en"), "type", "organization",
	    "is_organization", 1, "state", "active", "approval_status", "approved", "image_url", "",
	    "image_display_url", "", "package_count", count, "agency_code", code);
	json_decref(ag);
	return o;
}

static json_t *ck_resource(ck *c, json_t *r, const char *package_id, int pos)
{
	const char *fmt = str_of(r, "format");
	json_t *o = json_object();
	json_object_set(o, "id", json_object_get(r, "id"));
	json_object_set_new(o, "package_id", json_string(package_id));
	json_object_set(o, "name", json_object_get(r, "name"));
	json_t *desc = json_object_get(r, "description");
	json_object_set_new(o, "description",
	                    json_string(json_is_string(desc) ? json_string_value(desc) : ""));
	json_object_set_new(o, "format", json_string(fmt));
	json_object_set_new(
	    o, "mimetype",
	    json_string(fmt && strcmp(fmt, "CSV") == 0 ? "text/csv" : "application/json"));
	json_object_set_new(
	    o, "url",
	    json_sprintf("%s/api/v1/opendata/resources/%s/download", c->base, str_of(r, "id")));
	json_object_set_new(o, "url_type", json_string("upload"));
	json_object_set(o, "size", json_object_get(r, "size"));
	const char *sha = str_of(r, "sha256");
	json_object_set_new(o, "hash", sha ? json_sprintf("sha256:%s", sha) : json_string(""));
	json_object_set_new(o, "created",
	                    json_string(ck_time(c->req->arena, str_of(r, "created"))));
	const char *lm = str_of(r, "content_modified");
	json_object_set_new(o, "last_modified",
	                    lm ? json_string(ck_time(c->req->arena, lm)) : json_null());
	json_object_set_new(o, "metadata_modified",
	                    json_string(ck_time(c->req->arena, str_of(r, "modified"))));
	json_object_set_new(o, "position", json_integer(pos));
	json_object_set_new(o, "state", json_string("active"));
	json_object_set(o, "schema", json_object_get(r, "schema"));
	json_object_set(o, "version", json_object_get(r, "version"));
	return o;
}

static json_t *ck_package_build(ck *c, json_t *d);

/* CKAN package dicts without their organization, by (base URL, dataset id,
 * revision): immutable, shared between requests. */
static jcache package_cache = JCACHE_INIT(4096);

/* The CKAN package of dataset `d`, with its organization (looked up once
 * per request and agency). */
static json_t *ck_package(ck *c, store_conn *conn, json_t *d)
{
	char *key =
	    mc_arena_printf(c->req->arena, "%llu|%s|%s|%" JSON_INTEGER_FORMAT,
	                    (unsigned long long)(conn ? store_conn_instance(conn) : 0), c->base,
	                    str_of(d, "id"), json_integer_value(json_object_get(d, "revision")));
	json_t *shared = jcache_get(&package_cache, key);
	if (!shared) {
		shared = ck_package_build(c, d);
		if (conn && !store_conn_writable(conn))
			jcache_put(&package_cache, key, shared);
	}
	json_t *p = json_copy(shared); /* shallow: members stay shared */
	json_decref(shared);
	const char *agency = str_of(d, "agency");
	json_t *org = json_object_get(c->orgs, agency);
	if (org) {
		json_incref(org);
	} else {
		org = conn ? ck_org(c, conn, agency, 0) : NULL;
		if (org) {
			json_object_del(org, "package_count");
			if (!c->orgs)
				c->orgs = json_object();
			json_object_set(c->orgs, agency, org);
		}
	}
	json_object_set_new(p, "organization", org ? org : json_null());
	return p;
}

static json_t *ck_package_build(ck *c, json_t *d)
{
	mc_arena *a = c->req->arena;
	json_t *p = json_object();
	const char *id = str_of(d, "id");
	json_t *title = json_object_get(d, "title"), *desc = json_object_get(d, "description");
	json_object_set_new(p, "id", json_string(id));
	json_object_set(p, "name", json_object_get(d, "name"));
	json_object_set(p, "title", json_object_get(title, "vi"));
	json_object_set(p, "title_translated", title);
	json_object_set(p, "notes", json_object_get(desc, "vi"));
	json_object_set(p, "notes_translated", desc);
	const od_license *l = od_license_find(str_of(d, "license"));
	json_object_set_new(p, "license_id", json_string(l ? l->id : ""));
	json_object_set_new(p, "license_title", json_string(l ? l->title : ""));
	json_object_set_new(p, "license_url", json_string(l ? l->url : ""));
	json_object_set_new(p, "isopen", json_true());
	const char *agency = str_of(d, "agency");
	json_object_set_new(p, "owner_org", json_string(lower_dup(a, agency)));
	json_t *contact = json_object_get(d, "contact");
	json_object_set_new(p, "author", json_null());
	json_object_set_new(p, "author_email", json_null());
	json_object_set(p, "maintainer", json_object_get(contact, "name"));
	json_t *email = json_object_get(contact, "email");
	json_object_set_new(p, "maintainer_email", email ? json_incref(email) : json_null());
	json_object_set_new(p, "metadata_created", json_string(ck_time(a, str_of(d, "created"))));
	json_object_set_new(p, "metadata_modified", json_string(ck_time(a, str_of(d, "modified"))));
	json_object_set_new(p, "private", json_false());
	json_object_set_new(p, "state", json_string("active"));
	json_object_set_new(p, "type", json_string("dataset"));
	json_object_set_new(p, "version", json_null());
	json_object_set_new(
	    p, "url", json_sprintf("%s/api/v1/opendata/datasets/%s", c->base, str_of(d, "name")));
	json_t *tags = json_array();
	json_t *kw = json_object_get(d, "keywords");
	const char *langs[] = {"vi", "en"};
	for (int li = 0; li < 2; li++) {
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(kw, langs[li]), i, v)
		{
			json_array_append_new(tags, json_pack("{s:O,s:O,s:s,s:n}", "name", v,
			                                      "display_name", v, "state", "active",
			                                      "vocabulary_id"));
		}
	}
	json_object_set_new(p, "num_tags", json_integer((json_int_t)json_array_size(tags)));
	json_object_set_new(p, "tags", tags);
	json_t *groups = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(d, "themes"), i, v)
	{
		const od_theme *t = od_theme_find(json_string_value(v));
		if (!t)
			continue;
		const char *g = lower_dup(a, t->code);
		json_array_append_new(groups,
		                      json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", g, "name", g,
		                                "title", t->en, "display_name", t->en,
		                                "description", t->vi, "image_display_url", ""));
	}
	json_object_set_new(p, "groups", groups);
	json_t *res = json_array();
	json_array_foreach(json_object_get(d, "resources"), i, v)
	    json_array_append_new(res, ck_resource(c, v, id, (int)i));
	json_object_set_new(p, "num_resources", json_integer((json_int_t)json_array_size(res)));
	json_object_set_new(p, "resources", res);
	/* DCAT-AP members that CKAN keeps in extras */
	json_t *extras = json_array();
	json_object_set(p, "frequency", json_object_get(d, "frequency"));
	json_array_append_new(extras, json_pack("{s:s,s:O}", "key", "frequency", "value",
	                                        json_object_get(d, "frequency")));
	mc_buf sp = {0};
	json_array_foreach(json_object_get(d, "spatial"), i, v)
	    mc_buf_printf(&sp, "%s%s", i ? "," : "", json_string_value(v));
	json_object_set_new(p, "spatial", json_string(mc_buf_cstr(&sp)));
	json_array_append_new(extras,
	                      json_pack("{s:s,s:s}", "key", "spatial", "value", mc_buf_cstr(&sp)));
	mc_buf_free(&sp);
	json_t *temporal = json_object_get(d, "temporal");
	json_t *ts = json_object_get(temporal, "start"), *te = json_object_get(temporal, "end");
	json_object_set_new(p, "temporal_start", ts ? json_incref(ts) : json_null());
	json_object_set_new(p, "temporal_end", te ? json_incref(te) : json_null());
	json_object_set_new(p, "extras", extras);
	json_object_set(p, "generated", json_object_get(d, "generated"));
	json_object_set_new(p, "relationships_as_object", json_array());
	json_object_set_new(p, "relationships_as_subject", json_array());
	return p;
}

/* CKAN package dict -> native dataset body. */
static json_t *ck_to_native(ck *c, json_t *in)
{
	json_t *b = json_object();
	json_t *v;
	if ((v = json_object_get(in, "name")))
		json_object_set(b, "name", v);
	json_t *tt = json_object_get(in, "title_translated");
	if (json_is_object(tt))
		json_object_set(b, "title", tt);
	else if ((v = json_object_get(in, "title")))
		json_object_set_new(
		    b, "title", json_is_object(v) ? json_incref(v) : json_pack("{s:O}", "vi", v));
	json_t *nt = json_object_get(in, "notes_translated");
	if (json_is_object(nt))
		json_object_set(b, "description", nt);
	else if ((v = json_object_get(in, "notes")))
		json_object_set_new(b, "description",
		                    json_is_object(v) ? json_incref(v)
		                                      : json_pack("{s:O}", "vi", v));
	const char *org = json_string_value(json_object_get(in, "owner_org"));
	if (org) {
		char *u = mc_arena_strdup(c->req->arena, org);
		for (char *p = u; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		json_object_set_new(b, "agency", json_string(u));
	}
	if ((v = json_object_get(in, "license_id")))
		json_object_set(b, "license", v);
	json_t *tags = json_object_get(in, "tags");
	if (json_is_array(tags)) {
		json_t *kw = json_pack("{s:[],s:[]}", "vi", "en");
		size_t i;
		json_t *t;
		json_array_foreach(tags, i, t)
		{
			json_t *n = json_is_object(t) ? json_object_get(t, "name") : t;
			json_array_append(json_object_get(kw, "vi"), n ? n : json_null());
		}
		json_t *kt = json_object_get(in, "keywords");
		json_object_set_new(b, "keywords", json_is_object(kt) ? json_incref(kt) : kw);
		if (json_is_object(kt))
			json_decref(kw);
	} else if ((v = json_object_get(in, "keywords"))) {
		json_object_set(b, "keywords", v);
	}
	json_t *groups = json_object_get(in, "groups");
	if (json_is_array(groups)) {
		json_t *th = json_array();
		size_t i;
		json_t *g;
		json_array_foreach(groups, i, g)
		{
			const char *n =
			    json_string_value(json_is_object(g) ? json_object_get(g, "name") : g);
			char *u = mc_arena_strdup(c->req->arena, n ? n : "");
			for (char *p = u; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			json_array_append_new(th, json_string(u));
		}
		json_object_set_new(b, "themes", th);
	}
	/* DCAT-AP members: top level (scheming style) or extras */
	json_t *extras = json_object_get(in, "extras");
	const char *keys[] = {"frequency", "spatial", "temporal_start", "temporal_end"};
	json_t *found[4] = {0};
	for (int k = 0; k < 4; k++) {
		found[k] = json_object_get(in, keys[k]);
		size_t i;
		json_t *e;
		json_array_foreach(extras, i, e)
		{
			const char *key = str_of(e, "key");
			if (key && strcmp(key, keys[k]) == 0)
				found[k] = json_object_get(e, "value");
		}
		/* package_show writes null or "" for an absent member; a
		 * package_show -> edit -> package_update round trip sends them back */
		if (json_is_null(found[k]) ||
		    (json_is_string(found[k]) && !*json_string_value(found[k])))
			found[k] = NULL;
	}
	if (found[0])
		json_object_set(b, "frequency", found[0]);
	if (json_is_array(found[1])) {
		json_object_set(b, "spatial", found[1]);
	} else if (json_is_string(found[1])) {
		json_t *sp = json_array();
		char *s = mc_arena_strdup(c->req->arena, json_string_value(found[1])), *save = NULL;
		for (char *p = strtok_r(s, ", ", &save); p; p = strtok_r(NULL, ", ", &save))
			json_array_append_new(sp, json_string(p));
		json_object_set_new(b, "spatial", sp);
	}
	if (found[2] || found[3]) {
		json_t *t = json_object();
		if (found[2])
			json_object_set(t, "start", found[2]);
		if (found[3] && !json_is_null(found[3]))
			json_object_set(t, "end", found[3]);
		json_object_set_new(b, "temporal", t);
	}
	json_t *m = json_object_get(in, "maintainer");
	if (m) {
		json_t *ct = json_pack("{s:O}", "name", m);
		json_t *me = json_object_get(in, "maintainer_email");
		if (json_is_string(me) && *json_string_value(me))
			json_object_set(ct, "email", me);
		json_object_set_new(b, "contact", ct);
	}
	json_t *res = json_object_get(in, "resources");
	if (json_is_array(res)) {
		json_t *rs = json_array();
		size_t i;
		json_t *r;
		json_array_foreach(res, i, r)
		{
			json_t *n = json_object();
			const char *ks[] = {"id", "name", "description", "format", "schema"};
			for (int k = 0; k < 5; k++) {
				json_t *rv = json_object_get(r, ks[k]);
				/* CKAN writes "" for no description */
				if (rv && !json_is_null(rv) &&
				    !(k == 2 && json_is_string(rv) && !*json_string_value(rv)))
					json_object_set(n, ks[k], rv);
			}
			if (json_is_string(json_object_get(n, "schema"))) {
				json_t *parsed = json_loads(
				    json_string_value(json_object_get(n, "schema")), 0, NULL);
				if (parsed)
					json_object_set_new(n, "schema", parsed);
			}
			json_array_append_new(rs, n);
		}
		json_object_set_new(b, "resources", rs);
	}
	return b;
}

/* Reads within a snapshot with the CKAN context. */
typedef json_t *(*ck_read_fn)(ck *c, store_conn *conn);

typedef struct ck_read_ctx {
	ck *c;
	ck_read_fn fn;
	json_t *result;
} ck_read_ctx;

static mc_err ck_read_cb(store_conn *conn, void *vctx, mc_diag *diag)
{
	(void)diag;
	ck_read_ctx *x = vctx;
	json_decref(x->result);
	x->result = x->fn(x->c, conn);
	return MC_OK;
}

static json_t *ck_read(ck *c, ck_read_fn fn)
{
	ck_read_ctx x = {.c = c, .fn = fn};
	mc_diag d = {0};
	mc_err e = store_read(c->req->app->db, ck_read_cb, &x, &d);
	mc_diag_clear(&d);
	if (e) {
		json_decref(x.result);
		return ck_fail(c, 500, "Internal Server Error", "Internal Server Error");
	}
	return x.result;
}

static json_t *package_show_fn(ck *c, store_conn *conn)
{
	const char *id = ck_str(c, "id");
	if (!id)
		id = ck_str(c, "name");
	json_t *d = NULL;
	if (!id || opendata_dataset_get(conn, id, &d, NULL) != MC_OK)
		return ck_not_found(c, "Dataset");
	json_t *p = ck_package(c, conn, d);
	json_decref(d);
	return p;
}

static json_t *a_package_show(ck *c)
{
	return ck_read(c, package_show_fn);
}

static json_t *a_package_list(ck *c)
{
	int limit, offset;
	if (!ck_int(c, "limit", 1000000, 0, 1000000, &limit) ||
	    !ck_int(c, "offset", 0, 0, 100000000, &offset))
		return NULL;
	json_t *out;
	mc_diag d = {0};
	mc_err e = opendata_names(c->req->app->db, offset, limit, &out, &d);
	json_t *r = e ? ck_from(c, e, &d, false) : out;
	mc_diag_clear(&d);
	return r;
}

static json_t *search_pkgs_fn(ck *c, store_conn *conn)
{
	json_t *res = json_object_get(c->data, "__results");
	json_t *out = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(res, i, d) json_array_append_new(out, ck_package(c, conn, d));
	return out;
}

static json_t *a_package_search(ck *c)
{
	od_query q = {.q = ck_str(c, "q"), .fq = ck_str(c, "fq"), .sort = ck_str(c, "sort")};
	if (!ck_int(c, "rows", 10, 0, 1000, &q.rows) ||
	    !ck_int(c, "start", 0, 0, 100000000, &q.start))
		return NULL;
	json_t *ff = json_object_get(c->data, "facet.field");
	json_t *parsed = NULL;
	if (json_is_string(ff)) {
		parsed = json_loads(json_string_value(ff), 0, NULL);
		ff = parsed;
		if (!json_is_array(ff)) {
			json_decref(parsed);
			return ck_fail(c, 409, "Validation Error",
			               "facet.field must be a JSON list of field names");
		}
	}
	size_t i;
	json_t *v;
	json_array_foreach(ff, i, v)
	{
		if (q.nfacets < 8 && json_is_string(v))
			q.facets[q.nfacets++] = json_string_value(v);
	}
	json_t *result = NULL;
	mc_diag d = {0};
	mc_err e = opendata_search(c->req->app->db, &q, &result, &d);
	if (e) {
		json_decref(parsed);
		json_t *r = ck_from(c, e, &d, true);
		mc_diag_clear(&d);
		return r;
	}
	json_object_set(c->data, "__results", json_object_get(result, "results"));
	json_t *pkgs = ck_read(c, search_pkgs_fn);
	json_object_del(c->data, "__results");
	if (!pkgs) {
		json_decref(parsed);
		json_decref(result);
		return NULL;
	}
	json_t *facets = json_object_get(result, "facets");
	json_t *sf = json_object();
	const char *k;
	json_t *fv;
	json_object_foreach(facets, k, fv)
	{
		json_t *items = json_array();
		const char *name;
		json_t *n;
		json_object_foreach(fv, name, n)
		    json_array_append_new(items, json_pack("{s:s,s:s,s:O}", "name", name,
		                                           "display_name", name, "count", n));
		json_object_set_new(sf, k, json_pack("{s:s,s:o}", "title", k, "items", items));
	}
	json_t *out = json_pack("{s:O,s:s,s:O,s:o,s:o}", "count", json_object_get(result, "count"),
	                        "sort", q.sort ? q.sort : "score desc, metadata_modified desc",
	                        "facets", facets, "results", pkgs, "search_facets", sf);
	json_decref(result);
	json_decref(parsed);
	return out;
}

static json_t *orgs_fn(ck *c, store_conn *conn)
{
	json_t *counts = json_object_get(c->data, "__orgs");
	bool all = ck_bool(c, "all_fields");
	json_t *out = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(counts, i, o)
	{
		if (!all) {
			json_array_append_new(
			    out, json_string(lower_dup(c->req->arena, str_of(o, "code"))));
			continue;
		}
		json_t *org = ck_org(c, conn, str_of(o, "code"),
		                     json_integer_value(json_object_get(o, "count")));
		if (org)
			json_array_append_new(out, org);
	}
	return out;
}

static json_t *a_organization_list(ck *c)
{
	json_t *counts;
	mc_diag d = {0};
	mc_err e = opendata_orgs(c->req->app->db, &counts, &d);
	mc_diag_clear(&d);
	if (e)
		return ck_fail(c, 500, "Internal Server Error", "Internal Server Error");
	json_object_set_new(c->data, "__orgs", counts);
	json_t *r = ck_read(c, orgs_fn);
	json_object_del(c->data, "__orgs");
	return r;
}

static json_t *org_show_fn(ck *c, store_conn *conn)
{
	const char *id = ck_str(c, "id");
	if (!id)
		return ck_not_found(c, "Organization");
	char *code = mc_arena_strdup(c->req->arena, id);
	for (char *p = code; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	json_t *r = json_object_get(c->data, "__search");
	json_t *org = ck_org(c, conn, code, json_integer_value(json_object_get(r, "count")));
	if (!org)
		return ck_not_found(c, "Organization");
	if (ck_bool(c, "include_datasets")) {
		json_t *pk = json_array();
		size_t i;
		json_t *d;
		json_array_foreach(json_object_get(r, "results"), i, d)
		    json_array_append_new(pk, ck_package(c, conn, d));
		json_object_set_new(org, "packages", pk);
	}
	json_object_set_new(org, "users", json_array());
	json_object_set_new(org, "extras", json_array());
	return org;
}

static json_t *group_or_org_show(ck *c, bool org)
{
	const char *id = ck_str(c, "id");
	if (!id)
		return ck_not_found(c, org ? "Organization" : "Group");
	char *fq = mc_arena_printf(c->req->arena, "%s:\"%s\"", org ? "organization" : "groups", id);
	for (char *p = fq; *p; p++)
		if (*p == '\\')
			*p = ' ';
	od_query q = {.fq = fq, .rows = 100, .sort = "name asc"};
	if (!org || ck_bool(c, "include_datasets"))
		q.rows = 100;
	json_t *result = NULL;
	mc_diag d = {0};
	mc_err e = opendata_search(c->req->app->db, &q, &result, &d);
	mc_diag_clear(&d);
	if (e) {
		json_decref(result);
		return ck_not_found(c, org ? "Organization" : "Group");
	}
	json_object_set_new(c->data, "__search", result);
	json_t *r = NULL;
	if (org) {
		r = ck_read(c, org_show_fn);
	} else {
		char *code = mc_arena_strdup(c->req->arena, id);
		for (char *p = code; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		const od_theme *t = od_theme_find(code);
		if (!t) {
			r = ck_not_found(c, "Group");
		} else {
			const char *g = lower_dup(c->req->arena, t->code);
			r = json_pack(
			    "{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:O,s:s,s:s}", "id", g, "name", g,
			    "title", t->en, "display_name", t->en, "description", t->vi, "type",
			    "group", "is_organization", 0, "state", "active", "package_count",
			    json_object_get(result, "count"), "image_display_url", "", "theme_iri",
			    mc_arena_printf(c->req->arena,
			                    "http://publications.europa.eu/resource/authority/"
			                    "data-theme/%s",
			                    t->code));
		}
	}
	json_object_del(c->data, "__search");
	return r;
}

static json_t *a_organization_show(ck *c)
{
	return group_or_org_show(c, true);
}

static json_t *a_group_show(ck *c)
{
	return group_or_org_show(c, false);
}

static json_t *a_group_list(ck *c)
{
	json_t *counts = NULL;
	mc_diag d = {0};
	opendata_theme_counts(c->req->app->db, &counts, &d);
	mc_diag_clear(&d);
	bool all = ck_bool(c, "all_fields");
	json_t *out = json_array();
	for (const od_theme *t = od_themes; t->code; t++) {
		const char *g = lower_dup(c->req->arena, t->code);
		if (!all) {
			json_array_append_new(out, json_string(g));
			continue;
		}
		json_t *n = json_object_get(counts, g);
		json_array_append_new(
		    out, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:I}", "id", g, "name", g,
		                   "title", t->en, "display_name", t->en, "description", t->vi,
		                   "type", "group", "is_organization", 0, "state", "active",
		                   "package_count", (json_int_t)(n ? json_integer_value(n) : 0)));
	}
	json_decref(counts);
	return out;
}

static json_t *a_tag_list(ck *c)
{
	json_t *tags = NULL;
	mc_diag d = {0};
	mc_err e = opendata_tags(c->req->app->db, &tags, &d);
	mc_diag_clear(&d);
	if (e)
		return ck_fail(c, 500, "Internal Server Error", "Internal Server Error");
	const char *query = ck_str(c, "query");
	bool all = ck_bool(c, "all_fields");
	json_t *out = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t)
	{
		const char *name = str_of(t, "tag");
		if (query && !strstr(name, query))
			continue;
		json_array_append_new(out,
		                      all ? json_pack("{s:s,s:s,s:s,s:n}", "id", name, "name", name,
		                                      "display_name", name, "vocabulary_id")
		                          : json_string(name));
	}
	json_decref(tags);
	return out;
}

static json_t *res_show_fn(ck *c, store_conn *conn)
{
	const char *id = ck_str(c, "id");
	json_t *r = NULL;
	if (!id || opendata_resource_get(conn, id, false, &r, NULL) != MC_OK)
		return ck_not_found(c, "Resource");
	json_t *o = ck_resource(c, r, str_of(r, "dataset_id"), 0);
	json_decref(r);
	return o;
}

static json_t *a_resource_show(ck *c)
{
	return ck_read(c, res_show_fn);
}

static json_t *a_license_list(ck *c)
{
	(void)c;
	json_t *out = json_array();
	for (const od_license *l = od_licenses; l->id; l++)
		json_array_append_new(
		    out, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b}", "id", l->id, "title",
		                   l->title, "url", l->url, "od_conformance", "approved",
		                   "osd_conformance", "not reviewed", "status", "active",
		                   "domain_data", 1, "domain_content", 1, "domain_software", 0));
	return out;
}

static json_t *a_status_show(ck *c)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:n,s:[s,s]}", "ckan_version", "2.10.4", "site_url",
	                 c->base, "site_title", "motcua open data", "site_description",
	                 "Dữ liệu mở của các cơ quan nhà nước / open data of state agencies",
	                 "locale_default", "vi", "error_emails_to", "extensions", "dcat",
	                 "scheming_datasets");
}

static json_t *ck_write_reply(ck *c, mc_err e, mc_diag *d, json_t *out, bool resource)
{
	if (e) {
		json_t *r = ck_from(c, e, d, false);
		mc_diag_clear(d);
		return r;
	}
	mc_diag_clear(d);
	if (resource) {
		json_t *o = ck_resource(c, out, str_of(out, "dataset_id"), 0);
		json_decref(out);
		return o;
	}
	json_object_set_new(c->data, "id", json_incref(json_object_get(out, "id")));
	json_decref(out);
	return ck_read(c, package_show_fn);
}

static json_t *ck_write(ck *c, bool create, bool patch)
{
	json_t *body = ck_to_native(c, c->data);
	const char *id = create ? NULL : ck_str(c, "id");
	if (!create && !id)
		id = ck_str(c, "name");
	json_t *out = NULL;
	mc_diag d = {0};
	mc_err e;
	if (!create && !id)
		e = mc_fail(&d, MC_ERR_NOT_FOUND, "Dataset");
	else
		e = opendata_dataset_save(c->req->app, &c->who, id, body, patch, &out, &d);
	json_decref(body);
	return ck_write_reply(c, e, &d, out, false);
}

static json_t *a_package_create(ck *c)
{
	return ck_write(c, true, false);
}

static json_t *a_package_update(ck *c)
{
	return ck_write(c, false, false);
}

static json_t *a_package_patch(ck *c)
{
	return ck_write(c, false, true);
}

static json_t *a_resource_create(ck *c)
{
	const char *pkg = ck_str(c, "package_id");
	json_t *r = json_object();
	const char *ks[] = {"name", "description", "format", "schema"};
	for (int k = 0; k < 4; k++)
		if (json_object_get(c->data, ks[k]))
			json_object_set(r, ks[k], json_object_get(c->data, ks[k]));
	if (json_is_string(json_object_get(r, "schema"))) {
		json_t *parsed = json_loads(str_of(r, "schema"), 0, NULL);
		if (parsed)
			json_object_set_new(r, "schema", parsed);
	}
	json_t *out = NULL;
	mc_diag d = {0};
	mc_err e = MC_OK;
	const char *file = c->form ? od_form_file(c->form) : NULL;
	if (file) {
		/* CKAN's upload: name and format default from the file name */
		const char *fn = od_form_filename(c->form);
		const char *dot = fn ? strrchr(fn, '.') : NULL;
		if (!str_of(r, "name") || !*str_of(r, "name"))
			json_object_set_new(r, "name", json_string(fn && *fn ? fn : "upload"));
		if ((!str_of(r, "format") || !*str_of(r, "format")) && dot)
			json_object_set_new(r, "format", json_string(dot + 1));
		if (json_is_string(json_object_get(r, "description")) && !*str_of(r, "description"))
			json_object_del(r, "description");
		/* a CSV is checked against its schema before anything is stored */
		json_t *schema = json_object_get(r, "schema");
		if (str_of(r, "format") && strcasecmp(str_of(r, "format"), "csv") == 0 &&
		    json_is_object(schema)) {
			json_t *errs = json_array();
			od_schema_check(schema, "$.schema", errs);
			if (!json_array_size(errs))
				e = od_csv_check_file(file, schema, &d);
			json_decref(errs);
		}
	}
	if (!e)
		e = pkg ? opendata_resource_add(c->req->app, &c->who, pkg, r, &out, &d)
		        : mc_fail(&d, MC_ERR_NOT_FOUND, "Dataset");
	json_decref(r);
	if (!e && file) {
		json_t *res = NULL;
		char id[40];
		snprintf(id, sizeof id, "%s", str_of(out, "id"));
		e = opendata_content_commit(c->req->app, c->who.username, id, file, &res, &d);
		if (!e) {
			/* the dataset id for the CKAN dict */
			json_object_set(res, "dataset_id", json_object_get(out, "dataset_id"));
			json_decref(out);
			out = res;
		}
	}
	return ck_write_reply(c, e, &d, out, true);
}

typedef struct ck_action {
	const char *name;
	json_t *(*fn)(ck *c);
	bool write;
} ck_action;

static const ck_action actions[] = {
    {"package_list", a_package_list, false},
    {"package_show", a_package_show, false},
    {"package_search", a_package_search, false},
    {"organization_list", a_organization_list, false},
    {"organization_show", a_organization_show, false},
    {"group_list", a_group_list, false},
    {"group_show", a_group_show, false},
    {"tag_list", a_tag_list, false},
    {"resource_show", a_resource_show, false},
    {"license_list", a_license_list, false},
    {"status_show", a_status_show, false},
    {"package_create", a_package_create, true},
    {"package_update", a_package_update, true},
    {"package_patch", a_package_patch, true},
    {"resource_create", a_resource_create, true},
};

static const char *const get_keys[] = {"id",     "name",        "q",          "fq",
                                       "rows",   "start",       "sort",       "limit",
                                       "offset", "facet.field", "all_fields", "include_datasets",
                                       "query",  "facet.limit", "package_id"};

static void ck_reply_bad(mc_resp *resp, const char *msg)
{
	/* CKAN answers a bare JSON string here */
	json_t *s = json_sprintf("Bad request - %s", msg);
	char *body = json_dumps(s, JSON_ENCODE_ANY);
	json_decref(s);
	http_reply_bytes(resp, 400, "application/json", body, strlen(body));
	free(body);
}

/* The caller of the CKAN API: a bearer token resolved by the auth stage, or
 * a token in Authorization without "Bearer" or in X-CKAN-API-Key. */
static void ck_principal(mc_req *req, mc_principal *who)
{
	*who = req->who;
	if (who->role != ROLE_ANONYMOUS)
		return;
	const char *t = http_header(req, "X-CKAN-API-Key");
	if (!t || !*t)
		t = http_header(req, "Authorization");
	if (!t || !*t)
		return;
	if (strncasecmp(t, "Bearer ", 7) == 0)
		t += 7;
	char hash[65];
	mc_principal p;
	if (auth_resolve(req->app->db, t, &p, hash) == MC_OK)
		*who = p;
}

static void ck_run(mc_req *req, mc_resp *resp, const ck_action *a, const char *body,
                   size_t body_len, od_form *form, mc_err se, mc_diag *sd);

static void ckan_action(mc_req *req, mc_resp *resp)
{
	const char *name = req->params[0];
	const ck_action *a = NULL;
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i].name, name) == 0)
			a = &actions[i];
	if (!a) {
		ck_reply_bad(resp,
		             mc_arena_printf(req->arena, "Action name not known: %.100s", name));
		return;
	}
	ck_run(req, resp, a, req->body, req->body_len, NULL, MC_OK, NULL);
}

/* Runs action `a` with the body (JSON) or the multipart form `form`; a
 * stream error `se` (with `sd`) answers in CKAN's envelope. */
static void ck_run(mc_req *req, mc_resp *resp, const ck_action *a, const char *body,
                   size_t body_len, od_form *form, mc_err se, mc_diag *sd)
{
	ck c = {.req = req, .base = opendata_base(req), .form = form};
	bool post = strcmp(req->method, "POST") == 0;
	if (!post && a->write) {
		ck_reply_bad(resp, "JSON Error: Invalid request. Please use POST method for your "
		                   "request");
		return;
	}
	if (se) {
		c.data = json_object();
	} else if (form) {
		c.data = json_deep_copy(od_form_fields(form));
	} else if (post && body_len) {
		if ((long)body_len > req->app->max_body) {
			http_reply_problem(req, resp, MC_ERR_TOO_LARGE, "Nội dung quá lớn.",
			                   "the body exceeds %ld bytes", req->app->max_body);
			return;
		}
		json_error_t jerr;
		c.data = json_loadb(body, body_len, 0, &jerr);
		if (!json_is_object(c.data)) {
			json_decref(c.data);
			ck_reply_bad(resp, "JSON Error: Error decoding JSON data.");
			return;
		}
	} else {
		c.data = json_object();
		for (size_t i = 0; i < sizeof get_keys / sizeof get_keys[0]; i++) {
			const char *v = http_query(req, get_keys[i]);
			if (v)
				json_object_set_new(c.data, get_keys[i], json_string(v));
		}
	}
	json_t *env = json_object();
	json_object_set_new(env, "help",
	                    json_sprintf("%s/api/3/action/help_show?name=%s", c.base, a->name));
	ck_principal(req, &c.who);
	json_t *result = NULL;
	if (se)
		ck_from(&c, se, sd, false);
	else if (a->write && c.who.role == ROLE_ANONYMOUS)
		ck_fail(
		    &c, 403, "Authorization Error",
		    "Access denied: an API token is required (Authorization or X-CKAN-API-Key)");
	else
		result = a->fn(&c);
	if (c.type) {
		json_decref(result);
		json_object_set_new(c.err, "__type", json_string(c.type));
		json_object_set_new(env, "success", json_false());
		json_object_set_new(env, "error", c.err);
		c.err = NULL;
		http_reply_json(resp, c.status, env);
	} else {
		json_object_set_new(env, "success", json_true());
		json_object_set_new(env, "result", result ? result : json_null());
		http_reply_json(resp, 200, env);
	}
	json_decref(c.data);
	json_decref(c.orgs);
}

/* ---- resource_create as a stream: CKAN's multipart upload ---- */

typedef struct rc_stream {
	od_form *form; /* multipart/form-data */
	mc_buf json;   /* any other body: JSON, kept up to max_body */
	long max;
} rc_stream;

static mc_err rc_open(mc_req *req, void **vctx, mc_diag *diag)
{
	/* the caller is known before the first byte: no anonymous or
	 * citizen upload reaches the disk */
	mc_principal who;
	ck_principal(req, &who);
	if (who.role == ROLE_ANONYMOUS)
		return mc_fail2(diag, MC_ERR_FORBIDDEN, "Cần mã API.",
		                "an API token is required (Authorization or X-CKAN-API-Key)");
	if (who.role < ROLE_OFFICER)
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Chỉ cán bộ hoặc quản trị viên được công bố dữ liệu.",
		                "only officers and admins publish datasets");
	rc_stream *x = mc_xcalloc(1, sizeof *x);
	x->max = req->app->max_body;
	const char *ct = req->content_type;
	if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		mc_err e;
		x->form = od_form_new(ct, req->app, diag, &e);
		if (e) {
			free(x);
			return e;
		}
	}
	*vctx = x;
	return MC_OK;
}

static mc_err rc_write(void *vctx, const char *p, size_t n, mc_diag *diag)
{
	rc_stream *x = vctx;
	if (x->form)
		return od_form_feed(x->form, p, n, diag);
	if ((long)(x->json.len + n) > x->max)
		return mc_fail2(diag, MC_ERR_TOO_LARGE, "Nội dung quá lớn.",
		                "the body exceeds %ld bytes", x->max);
	mc_buf_append(&x->json, p, n);
	return MC_OK;
}

static void rc_close(void *vctx)
{
	rc_stream *x = vctx;
	if (!x)
		return;
	od_form_free(x->form);
	mc_buf_free(&x->json);
	free(x);
}

const http_stream_ops opendata_rc_ops = {rc_open, rc_write, rc_close};

void opendata_ckan_resource_create(mc_req *req, mc_resp *resp)
{
	const ck_action *a = NULL;
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i].name, "resource_create") == 0)
			a = &actions[i];
	rc_stream *x = req->stream_ctx;
	mc_diag d = {0};
	mc_err e = req->stream_err;
	if (!e && x && x->form)
		e = od_form_finish(x->form, &d);
	if (req->stream_err)
		ck_run(req, resp, a, NULL, 0, NULL, e, &req->stream_diag);
	else if (e)
		ck_run(req, resp, a, NULL, 0, NULL, e, &d);
	else if (x->form)
		ck_run(req, resp, a, NULL, 0, x->form, MC_OK, NULL);
	else
		ck_run(req, resp, a, x->json.len ? mc_buf_cstr(&x->json) : "", x->json.len, NULL,
		       MC_OK, NULL);
	mc_diag_clear(&d);
}

const http_route opendata_routes[] = {
    {"GET", "/api/v1/opendata/datasets", list_datasets, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/v1/opendata/datasets", post_dataset, ACCESS_OFFICER, BODY_JSON},
    {"GET", "/api/v1/opendata/datasets/{name}", get_dataset, ACCESS_PUBLIC, BODY_NONE},
    {"PUT", "/api/v1/opendata/datasets/{name}", put_dataset_full, ACCESS_OFFICER, BODY_JSON},
    {"PATCH", "/api/v1/opendata/datasets/{name}", patch_dataset, ACCESS_OFFICER, BODY_JSON},
    {"POST", "/api/v1/opendata/datasets/{name}/resources", post_resource, ACCESS_OFFICER,
     BODY_JSON},
    {"GET", "/api/v1/opendata/datasets/{name}/dcat.jsonld", get_dataset_jsonld, ACCESS_PUBLIC,
     BODY_NONE},
    {"GET", "/api/v1/opendata/datasets/{name}/dcat.ttl", get_dataset_ttl, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/opendata/resources/{id}", get_resource, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/opendata/changes", get_changes, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/opendata/figure", get_figure, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/v1/opendata/refresh", post_refresh, ACCESS_ADMIN, BODY_NONE},
    {"POST", "/api/v1/opendata/webhooks", post_webhook, ACCESS_ADMIN, BODY_JSON},
    {"GET", "/api/v1/opendata/webhooks", get_webhooks, ACCESS_ADMIN, BODY_NONE},
    {"GET", "/catalog.jsonld", get_catalog_jsonld, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/catalog.ttl", get_catalog_ttl, ACCESS_PUBLIC, BODY_NONE},
    /* before the generic action routes: a streamed body (multipart upload) */
    {"POST", "/api/3/action/resource_create", opendata_ckan_resource_create, ACCESS_PUBLIC,
     BODY_STREAM},
    {"POST", "/api/action/resource_create", opendata_ckan_resource_create, ACCESS_PUBLIC,
     BODY_STREAM},
    {"POST", "/api/2/action/resource_create", opendata_ckan_resource_create, ACCESS_PUBLIC,
     BODY_STREAM},
    {"GET", "/api/3/action/{action}", ckan_action, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/3/action/{action}", ckan_action, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/api/action/{action}", ckan_action, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/action/{action}", ckan_action, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/api/2/action/{action}", ckan_action, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/api/2/action/{action}", ckan_action, ACCESS_PUBLIC, BODY_RAW},
    {0},
};
