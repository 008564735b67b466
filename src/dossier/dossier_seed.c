/* dossier_seed.c - the demo dossiers of `init --demo`: a few dossiers of
 * the demo citizen at Phường Ba Đình (UBND-00004) in different states,
 * created through the same service functions as the API (document_put,
 * dossier_submit, dossier_act). The eForm data is generated from the
 * procedure's own form schema, so it validates whatever the catalog
 * derived. Idempotency keys make a second run a no-op. */
#include "auth/auth.h"
#include "catalog/catalog.h"
#include "core/jsonschema.h"
#include "core/log.h"
#include "document/document.h"
#include "dossier/dossier.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_AGENCY "UBND-00004"

/* True when `v` satisfies `schema` (v borrowed). */
static bool fits(json_t *schema, json_t *v)
{
	json_t *errs = jsonschema_validate(schema, v);
	bool ok = json_array_size(errs) == 0;
	json_decref(errs);
	return ok;
}

static const char *schema_type(json_t *schema)
{
	json_t *t = json_object_get(schema, "type");
	if (json_is_string(t))
		return json_string_value(t);
	size_t i;
	json_t *v;
	json_array_foreach(t, i, v)
	{
		const char *s = json_string_value(v);
		if (s && strcmp(s, "null") != 0)
			return s;
	}
	if (json_object_get(schema, "properties"))
		return "object";
	return "string";
}

/* A value that satisfies `schema` as far as this small generator can. */
static json_t *sample_of(json_t *schema, int depth)
{
	if (!json_is_object(schema) || depth > 8)
		return json_string("Nguyễn Văn An");
	json_t *c = json_object_get(schema, "const");
	if (c)
		return json_deep_copy(c);
	json_t *en = json_object_get(schema, "enum");
	if (json_is_array(en) && json_array_size(en) > 0)
		return json_deep_copy(json_array_get(en, 0));
	const char *type = schema_type(schema);
	if (strcmp(type, "object") == 0) {
		json_t *obj = json_object();
		json_t *req = json_object_get(schema, "required");
		const char *key;
		json_t *sub;
		json_object_foreach(json_object_get(schema, "properties"), key, sub)
		{
			json_t *v = sample_of(sub, depth + 1);
			bool required = false;
			size_t i;
			json_t *r;
			json_array_foreach(req, i, r)
			{
				if (json_is_string(r) && strcmp(json_string_value(r), key) == 0)
					required = true;
			}
			if (required || fits(sub, v))
				json_object_set_new(obj, key, v);
			else
				json_decref(v);
		}
		return obj;
	}
	if (strcmp(type, "array") == 0) {
		json_t *arr = json_array();
		json_int_t min = json_integer_value(json_object_get(schema, "minItems"));
		for (json_int_t i = 0; i < min && i < 10; i++)
			json_array_append_new(
			    arr, sample_of(json_object_get(schema, "items"), depth + 1));
		return arr;
	}
	if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0) {
		json_t *min = json_object_get(schema, "minimum");
		return json_integer(json_is_number(min) ? (json_int_t)json_number_value(min) + 1
		                                        : 1);
	}
	if (strcmp(type, "boolean") == 0)
		return json_true();
	if (strcmp(type, "null") == 0)
		return json_null();
	static const char *const candidates[] = {"Nguyễn Văn An",
	                                         "2026-01-15",
	                                         "001090012345",
	                                         "0912345678",
	                                         "citizen@example.vn",
	                                         "Số 1 phố Điện Biên Phủ, phường Ba Đình, Hà Nội",
	                                         "Hà Nội",
	                                         "Nam",
	                                         "01",
	                                         "1",
	                                         "A"};
	const char *fmt = json_string_value(json_object_get(schema, "format"));
	if (fmt && strcmp(fmt, "date") == 0)
		return json_string("2026-01-15");
	if (fmt && strcmp(fmt, "email") == 0)
		return json_string("citizen@example.vn");
	for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
		json_t *v = json_string(candidates[i]);
		if (fits(schema, v))
			return v;
		json_decref(v);
	}
	return json_string(candidates[0]);
}

typedef struct proc_ctx {
	const char *code;
	json_t *proc;
} proc_ctx;

static mc_err proc_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	proc_ctx *x = vctx;
	json_decref(x->proc);
	x->proc = NULL;
	return catalog_procedure_get(c, x->code, 0, &x->proc, diag);
}

/* A minimal valid PDF page. */
static const char demo_pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                               "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                               "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
                               "trailer<</Root 1 0 R>>\n%%EOF\n";

/* One demo dossier: the procedure, a key and the actions after submission. */
typedef struct demo {
	const char *procedure;
	const char *key;
	const char *actions[5];
} demo;

static const demo demos[] = {
    {"1.001193", "demo-seed-1", {NULL}},
    {"1.001193", "demo-seed-2", {"receive", NULL}},
    {"1.001193", "demo-seed-3", {"receive", "request_supplement", NULL}},
    {"1.001193", "demo-seed-4", {"receive", "process", NULL}},
    {"1.001193", "demo-seed-5", {"receive", "process", "finish", NULL}},
    {"1.000656", "demo-seed-6", {"receive", "process", "finish", "return_result", NULL}},
};

/* Id of the procedure's first document component (not a note), or NULL. */
static const char *first_document(json_t *proc)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(proc, "components"), i, c)
	{
		if (catalog_component_is_document(c))
			return json_string_value(json_object_get(c, "id"));
	}
	return NULL;
}

static json_t *action_body(const char *action, json_t *proc)
{
	if (strcmp(action, "request_supplement") == 0) {
		const char *cid = first_document(proc);
		json_t *item = cid ? json_pack("{s:s, s:s}", "component", cid, "note",
		                               "Bản chụp không rõ; đề nghị nộp lại bản rõ nét.")
		                   : json_pack("{s:s, s:s}", "field", "ho_ten", "note",
		                               "Đề nghị ghi đầy đủ họ tên.");
		return json_pack("{s:s, s:[o], s:s}", "action", action, "items", item, "note",
		                 "Vui lòng bổ sung trong 5 ngày làm việc.");
	}
	if (strcmp(action, "finish") == 0)
		return json_pack("{s:s, s:{s:s, s:s}}", "action", action, "result", "decision",
		                 "Đã cấp theo yêu cầu (dữ liệu minh họa)", "number", "DEMO-0001");
	return json_pack("{s:s}", "action", action);
}

static mc_err seed_one(mc_app *app, const mc_principal *citizen, const mc_principal *officer,
                       const demo *dm, const char *doc_id, mc_diag *diag)
{
	proc_ctx pc = {.code = dm->procedure};
	mc_err e = store_read(app->db, proc_fn, &pc, diag);
	if (e) {
		json_decref(pc.proc);
		if (e == MC_ERR_NOT_FOUND) {
			log_info("demo: procedure %s not in the catalog, skipped", dm->procedure);
			mc_diag_clear(diag);
			return MC_OK;
		}
		return e;
	}
	json_t *form = sample_of(json_object_get(pc.proc, "form"), 0);
	if (!json_is_object(form)) {
		json_decref(form);
		form = json_object();
	}
	json_t *comps = json_array();
	const char *cid = first_document(pc.proc);
	if (cid && doc_id)
		json_array_append_new(
		    comps, json_pack("{s:s, s:s}", "component", cid, "document", doc_id));
	json_t *body =
	    json_pack("{s:s, s:s, s:s, s:o, s:o}", "procedure", dm->procedure, "agency",
	              DEMO_AGENCY, "channel", "online", "form", form, "components", comps);
	json_t *out = NULL;
	bool replayed = false;
	e = dossier_submit(app, citizen, body, dm->key, &out, &replayed, diag);
	json_decref(body);
	if (e)
		goto out;
	char code[160];
	snprintf(code, sizeof code, "%s", json_string_value(json_object_get(out, "code")));
	json_decref(out);
	out = NULL;
	if (replayed)
		goto out;
	for (int i = 0; i < 5 && dm->actions[i]; i++) {
		json_t *ab = action_body(dm->actions[i], pc.proc);
		e = dossier_act(app, officer, code, ab, &out, diag);
		json_decref(ab);
		json_decref(out);
		out = NULL;
		if (e)
			goto out;
	}
	log_info("demo: dossier %s (%s)", code, dm->procedure);
out:
	json_decref(pc.proc);
	return e;
}

typedef struct seeded_ctx {
	int64_t user_id;
	bool seeded;
} seeded_ctx;

static mc_err seeded_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	seeded_ctx *x = vctx;
	store_stmt *st;
	mc_err e =
	    store_prepare(c, "SELECT 1 FROM idempotency WHERE user_id = ?1 AND idem_key = ?2", &st);
	if (e)
		return e;
	store_bind_int(st, 1, x->user_id);
	store_bind_text(st, 2, demos[0].key);
	e = store_step(st, &x->seeded);
	store_finish(st);
	return e;
}

mc_err dossier_seed_demo_as(mc_app *app, const mc_principal *citizen, const mc_principal *officer,
                            mc_diag *diag)
{
	seeded_ctx sc = {.user_id = citizen->user_id};
	mc_err e = store_read(app->db, seeded_fn, &sc, diag);
	if (e || sc.seeded)
		return e;
	json_t *doc = NULL;
	e = document_put(app, citizen->user_id, citizen->username, "application/pdf", demo_pdf,
	                 sizeof demo_pdf - 1, "giay-chung-sinh-minh-hoa.pdf", &doc, diag);
	if (e)
		return e;
	const char *doc_id = json_string_value(json_object_get(doc, "id"));
	for (size_t i = 0; i < sizeof demos / sizeof demos[0] && !e; i++)
		e = seed_one(app, citizen, officer, &demos[i], doc_id, diag);
	json_decref(doc);
	return e;
}

mc_err dossier_seed_demo(mc_app *app, mc_diag *diag)
{
	mc_principal citizen = {0}, officer = {0};
	mc_err e = auth_principal_of(app->db, "citizen", &citizen, diag);
	if (!e)
		e = auth_principal_of(app->db, "officer", &officer, diag);
	if (e)
		return e;
	return dossier_seed_demo_as(app, &citizen, &officer, diag);
}
