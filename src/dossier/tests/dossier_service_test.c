/* dossier_service_test.c - service-level tests of the dossier and document
 * modules against a temporary store: the real administrative units, two
 * real procedures imported from the project's data (1.001193 birth
 * registration, 1.000656 death registration), uploads (type, magic,
 * content addressing), submission (code format and daily sequence,
 * envelope types, unknown procedure/agency, agency level, foreign
 * documents, idempotency), the lifecycle with permissions (404 for
 * strangers, 403 for the wrong actor, 409 with allowed actions), transfer
 * and reading by the former agency, apology, the 766 timeliness, history
 * and its pages, due dates the calendar cannot count (no due date on
 * receipt, unchanged after a supplement), the queue filters and paging,
 * and the demo seed. The clock is fixed with
 * MOTCUA_NOW at Monday 2026-03-02 09:00 Vietnam time. */
#include "document/document.h"
#include "dossier/dossier.h"
#include "dossier/dossier_rules.h"
#include "result/result.h"

#include "calendar/calendar.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "core/mem.h"
#include "territory/territory.h"
#include "testsupport/testsupport.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

static char dir[64];
static mc_app app;
static char blob_dir[128];

static const mc_principal citizen = {ROLE_CITIZEN, 10, "citizen", "", "001090012345"};
static const mc_principal citizen2 = {ROLE_CITIZEN, 11, "citizen2", "", "079190012346"};
static const mc_principal officer = {ROLE_OFFICER, 20, "officer", "UBND-00004", ""};
static const mc_principal officer2 = {ROLE_OFFICER, 21, "officer2", "UBND-00008", ""};
static const mc_principal admin = {ROLE_ADMIN, 1, "admin", "", ""};

static const char pdf[] = "%PDF-1.4\n% test document\n%%EOF\n";
static char doc_citizen[40], doc_citizen2[40];

/* Copies the records of the two test procedures from the shipped
 * .jsonl.gz into a small .jsonl file, plus LONG_PROC: the birth
 * registration with a time limit of 1500 working days, more than the
 * calendar counts (the import keeps what the source says; an admin could
 * not store it, but such procedures may exist). */
#define LONG_PROC "9.000001"
static int extract_procedures(const char *src, const char *dst)
{
	gzFile in = gzopen(src, "rb");
	FILE *out = fopen(dst, "w");
	if (!in || !out)
		return -1;
	size_t cap = 8 << 20;
	char *line = mc_xmalloc(cap);
	int found = 0;
	while (gzgets(in, line, (int)cap)) {
		if (!strstr(line, "1.001193") && !strstr(line, "1.000656"))
			continue;
		json_t *rec = json_loads(line, 0, NULL);
		const char *code = json_string_value(json_object_get(rec, "ma_thu_tuc"));
		if (code && (strcmp(code, "1.001193") == 0 || strcmp(code, "1.000656") == 0)) {
			fputs(line, out);
			found++;
		}
		if (code && strcmp(code, "1.001193") == 0) {
			json_object_set_new(rec, "ma_thu_tuc", json_string(LONG_PROC));
			json_object_set_new(rec, "cach_thuc_thuc_hien",
			                    json_string("Hình thức nộpThời gianPhí, lệ phíMô tả"
			                                "Trực tuyến1500 Ngày làm việcMiễn phí"));
			json_object_del(rec, "raw_text");
			char *text = json_dumps(rec, JSON_COMPACT);
			fprintf(out, "%s\n", text);
			free(text);
		}
		json_decref(rec);
	}
	free(line);
	gzclose(in);
	fclose(out);
	return found == 2 ? 0 : -1;
}

static int group_setup(void **state)
{
	(void)state;
	mc_mem_init();
	setenv("MOTCUA_NOW", "2026-03-02T02:00:00Z", 1);
	mc_diag d = {0};
	/* finishing a dossier signs its result: a master key for the test */
	unsigned char master[RESULT_MASTER_KEY_BYTES] = {7};
	result_master_key_set(master);
	app.db = testsupport_store_open("dossier", dir, sizeof dir);
	if (!app.db || testsupport_load_units(app.db, NULL, NULL))
		return -1;
	char *gz = testsupport_data_path("procedures-vn.jsonl.gz");
	char *jsonl = mc_xasprintf("%s/procedures.jsonl", dir);
	int rc = extract_procedures(gz, jsonl);
	free(gz);
	if (rc) {
		free(jsonl);
		fprintf(stderr, "cannot extract the test procedures\n");
		return -1;
	}
	catalog_import_report rep = {0};
	mc_err e = catalog_import_file(app.db, jsonl, &rep, &d);
	unlink(jsonl);
	free(jsonl);
	if (e || rep.imported != 3) {
		fprintf(stderr, "import: %s (%ld)\n", d.detail, rep.imported);
		return -1;
	}
	snprintf(blob_dir, sizeof blob_dir, "%s/blobs", dir);
	app.data_dir = dir;
	app.blob_dir = blob_dir;
	app.max_body = 1 << 20;
	app.max_upload = 1 << 20;

	json_t *out = NULL;
	if (document_put(&app, citizen.user_id, "citizen", "application/pdf", pdf, sizeof pdf - 1,
	                 "a.pdf", &out, &d))
		return -1;
	snprintf(doc_citizen, sizeof doc_citizen, "%s",
	         json_string_value(json_object_get(out, "id")));
	json_decref(out);
	if (document_put(&app, citizen2.user_id, "citizen2", "application/pdf", pdf, sizeof pdf - 1,
	                 NULL, &out, &d))
		return -1;
	snprintf(doc_citizen2, sizeof doc_citizen2, "%s",
	         json_string_value(json_object_get(out, "id")));
	json_decref(out);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return testsupport_store_remove(app.db, dir);
}

/* ---- helpers ---- */

typedef struct proc_ctx {
	json_t *proc;
} proc_ctx;

static mc_err proc_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	proc_ctx *x = vctx;
	json_decref(x->proc);
	x->proc = NULL;
	return catalog_procedure_get(c, "1.001193", 0, &x->proc, diag);
}

/* A value for a schema written by hand for the test: required members of
 * objects, first enum value, dates, a few patterned strings. */
static json_t *fill(json_t *sub)
{
	json_t *en = json_object_get(sub, "enum");
	if (json_is_array(en))
		return json_deep_copy(json_array_get(en, 0));
	const char *type = json_string_value(json_object_get(sub, "type"));
	if (!type)
		type = "string";
	if (strcmp(type, "object") == 0) {
		json_t *obj = json_object();
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(sub, "required"), i, r)
		{
			const char *k = json_string_value(r);
			json_object_set_new(
			    obj, k, fill(json_object_get(json_object_get(sub, "properties"), k)));
		}
		return obj;
	}
	if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0)
		return json_integer(1);
	if (strcmp(type, "boolean") == 0)
		return json_true();
	if (strcmp(type, "array") == 0)
		return json_array();
	const char *fmt = json_string_value(json_object_get(sub, "format"));
	const char *pat = json_string_value(json_object_get(sub, "pattern"));
	if (fmt && strcmp(fmt, "date") == 0)
		return json_string("2026-02-20");
	if (fmt && strcmp(fmt, "email") == 0)
		return json_string("an@example.vn");
	if (pat && strstr(pat, "{12}"))
		return json_string("001090012345");
	if (pat && strstr(pat, "{5}"))
		return json_string("00004");
	if (pat)
		return json_string("0912345678");
	return json_string("Nguyễn Văn An");
}

/* A form that satisfies the procedure's eForm. */
static json_t *valid_form(void)
{
	proc_ctx x = {0};
	assert_int_equal(store_read(app.db, proc_fn, &x, NULL), MC_OK);
	json_t *form = fill(json_object_get(x.proc, "form"));
	json_decref(x.proc);
	return form;
}

static const char *first_component(void)
{
	static char id[64];
	proc_ctx x = {0};
	assert_int_equal(store_read(app.db, proc_fn, &x, NULL), MC_OK);
	json_t *c0 = json_array_get(json_object_get(x.proc, "components"), 0);
	snprintf(id, sizeof id, "%s", c0 ? json_string_value(json_object_get(c0, "id")) : "");
	json_decref(x.proc);
	return id;
}

static json_t *submit_body(const char *agency, const char *doc)
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:o, s:[]}", "procedure", "1.001193", "agency",
	                      agency, "channel", "online", "form", valid_form(), "components");
	const char *cid = first_component();
	if (doc && *cid)
		json_array_append_new(json_object_get(b, "components"),
		                      json_pack("{s:s, s:s}", "component", cid, "document", doc));
	return b;
}

static mc_err submit(const mc_principal *who, json_t *body, const char *key, json_t **out,
                     bool *replayed, mc_diag *d)
{
	mc_err e = dossier_submit(&app, who, body, key, out, replayed, d);
	json_decref(body);
	return e;
}

/* Submits a valid dossier as the citizen; returns its code (static). */
static const char *new_dossier(void)
{
	static char code[128];
	json_t *out = NULL;
	mc_diag d = {0};
	mc_err e = submit(&citizen, submit_body("UBND-00004", doc_citizen), NULL, &out, NULL, &d);
	if (e)
		fprintf(stderr, "submit: %s %s\n", d.detail, d.ext ? json_dumps(d.ext, 0) : "");
	assert_int_equal(e, MC_OK);
	snprintf(code, sizeof code, "%s", json_string_value(json_object_get(out, "code")));
	json_decref(out);
	return code;
}

/* Runs an action given as JSON text; returns the error, *out the dossier. */
static mc_err act(const mc_principal *who, const char *code, const char *body, json_t **out,
                  mc_diag *d)
{
	json_t *b = json_loads(body, 0, NULL);
	assert_non_null(b);
	json_t *o = NULL;
	mc_err e = dossier_act(&app, who, code, b, &o, d);
	json_decref(b);
	if (out)
		*out = o;
	else
		json_decref(o);
	return e;
}

static const char *sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool has_error_path(mc_diag *d, const char *path)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(d->ext, "errors"), i, e)
	{
		if (strcmp(sget(e, "path"), path) == 0)
			return true;
	}
	return false;
}

static bool array_has(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

/* ---- documents ---- */

static void test_documents(void **state)
{
	(void)state;
	mc_diag d = {0};
	json_t *out = NULL;
	/* wrong declared type, content not matching, empty, too large */
	assert_int_equal(
	    document_put(&app, 10, "citizen", "text/plain", "hello", 5, NULL, &out, &d),
	    MC_ERR_MEDIA_TYPE);
	assert_int_equal(
	    document_put(&app, 10, "citizen", "image/png", pdf, sizeof pdf - 1, NULL, &out, &d),
	    MC_ERR_UNPROCESSABLE);
	assert_int_equal(
	    document_put(&app, 10, "citizen", "application/pdf", "", 0, NULL, &out, &d),
	    MC_ERR_UNPROCESSABLE);
	char *big = mc_xcalloc(1, (size_t)app.max_upload + 10);
	memcpy(big, "%PDF-", 5);
	assert_int_equal(document_put(&app, 10, "citizen", "application/pdf", big,
	                              (size_t)app.max_upload + 1, NULL, &out, &d),
	                 MC_ERR_TOO_LARGE);
	free(big);
	assert_int_equal(document_put(&app, 10, "citizen", "application/pdf", pdf, sizeof pdf - 1,
	                              "bad\nname", &out, &d),
	                 MC_ERR_INVALID);
	/* a PNG with parameters in the content type */
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
	assert_int_equal(document_put(&app, 10, "citizen", "Image/PNG; foo=bar", png, sizeof png,
	                              "ảnh.png", &out, &d),
	                 MC_OK);
	assert_string_equal(sget(out, "media_type"), "image/png");
	assert_int_equal(json_integer_value(json_object_get(out, "size")), sizeof png);
	const char *sha = sget(out, "sha256");
	assert_int_equal(strlen(sha), 64);
	char *path = mc_xasprintf("%s/%.2s/%.2s/%s", blob_dir, sha, sha + 2, sha);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, sizeof png);
	free(path);
	json_decref(out);
	/* content addressed: same bytes twice -> two documents, one blob */
	json_t *a = NULL, *b = NULL;
	assert_int_equal(
	    document_put(&app, 10, "citizen", "application/pdf", pdf, sizeof pdf - 1, NULL, &a, &d),
	    MC_OK);
	assert_int_equal(document_put(&app, 11, "citizen2", "application/pdf", pdf, sizeof pdf - 1,
	                              NULL, &b, &d),
	                 MC_OK);
	assert_string_not_equal(sget(a, "id"), sget(b, "id"));
	assert_string_equal(sget(a, "sha256"), sget(b, "sha256"));
	/* content round trip */
	void *data = NULL;
	size_t n = 0;
	json_object_set_new(a, "size", json_integer(sizeof pdf - 1));
	assert_int_equal(document_read_content(&app, a, &data, &n, &d), MC_OK);
	assert_int_equal(n, sizeof pdf - 1);
	assert_memory_equal(data, pdf, n);
	free(data);
	json_decref(a);
	json_decref(b);
	/* magic numbers */
	assert_true(document_magic_ok("image/tiff", "II*\0x", 5));
	assert_true(document_magic_ok("image/tiff", "MM\0*x", 5));
	assert_true(document_magic_ok("image/jpeg", "\xff\xd8\xff\xe0", 4));
	assert_false(document_magic_ok("image/jpeg", "\xff\xd8", 2));
	assert_false(document_magic_ok("application/pdf", "%PDX-", 5));
}

/* ---- submission ---- */

typedef struct basis_ctx {
	const char *agency, *person;
	char code[DOSSIER_CODE_MAX + 1];
	bool found;
} basis_ctx;

static mc_err basis_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	basis_ctx *x = vctx;
	return dossier_agency_person_dossier(c, x->agency, x->person, x->code, &x->found);
}

/* The newest dossier of `person` that `agency` handles or handled ("" if
 * none), as the exchange module asks it. */
static const char *agency_dossier(basis_ctx *x, const char *agency, const char *person)
{
	x->agency = agency;
	x->person = person;
	assert_int_equal(store_read(app.db, basis_fn, x, NULL), MC_OK);
	assert_int_equal(x->found, x->code[0] != 0);
	return x->code;
}

static void test_submit_code_and_sequence(void **state)
{
	(void)state;
	json_t *out = NULL;
	mc_diag d = {0};
	assert_int_equal(
	    submit(&citizen, submit_body("UBND-00008", doc_citizen), NULL, &out, NULL, &d), MC_OK);
	/* Ngọc Hà had no dossier today: first of the day */
	assert_string_equal(sget(out, "code"), "UBND-00008-260302-0001");
	assert_string_equal(sget(out, "status"), "submitted");
	assert_int_equal(json_integer_value(json_object_get(out, "status_code")), 1);
	assert_string_equal(sget(json_object_get(out, "status_name"), "vi"), "Mới đăng ký");
	assert_string_equal(sget(json_object_get(out, "applicant"), "user"), "citizen");
	assert_string_equal(sget(json_object_get(out, "applicant"), "person_id"), "001090012345");
	assert_true(json_integer_value(json_object_get(out, "procedure_version")) >= 1);
	assert_true(json_is_null(json_object_get(out, "due_date")));
	assert_true(array_has(json_object_get(out, "allowed_actions"), "withdraw"));
	assert_int_equal(json_array_size(json_object_get(out, "allowed_actions")), 1);
	json_decref(out);
	assert_int_equal(
	    submit(&citizen, submit_body("UBND-00008", doc_citizen), NULL, &out, NULL, &d), MC_OK);
	assert_string_equal(sget(out, "code"), "UBND-00008-260302-0002");
	json_decref(out);
	/* the legal basis of an exchange read: the newest such dossier */
	basis_ctx b;
	assert_string_equal(agency_dossier(&b, "UBND-00008", "001090012345"),
	                    "UBND-00008-260302-0002");
	assert_string_equal(agency_dossier(&b, "UBND-00001", "001090012345"), "");
	assert_string_equal(agency_dossier(&b, "UBND-00008", "012345678901"), "");
}

static void test_submit_validation(void **state)
{
	(void)state;
	json_t *out = NULL;
	mc_diag d = {0};
	/* officers and admins do not submit */
	assert_int_equal(submit(&officer, submit_body("UBND-00004", NULL), NULL, &out, NULL, &d),
	                 MC_ERR_FORBIDDEN);
	assert_int_equal(submit(&admin, submit_body("UBND-00004", NULL), NULL, &out, NULL, &d),
	                 MC_ERR_FORBIDDEN);
	/* wrong types: 400 */
	assert_int_equal(submit(&citizen,
	                        json_pack("{s:i, s:s, s:s}", "procedure", 5, "agency", "UBND-00004",
	                                  "channel", "online"),
	                        NULL, &out, NULL, &d),
	                 MC_ERR_INVALID);
	assert_true(has_error_path(&d, "$.procedure"));
	mc_diag_clear(&d);
	assert_int_equal(
	    submit(&citizen,
	           json_pack("{s:s, s:s, s:s, s:[i]}", "procedure", "1.001193", "agency",
	                     "UBND-00004", "channel", "online", "components", 3),
	           NULL, &out, NULL, &d),
	    MC_ERR_INVALID);
	assert_true(has_error_path(&d, "$.components[0]"));
	mc_diag_clear(&d);
	/* missing members: 422 listing each */
	assert_int_equal(submit(&citizen, json_object(), NULL, &out, NULL, &d),
	                 MC_ERR_UNPROCESSABLE);
	assert_true(has_error_path(&d, "$.procedure"));
	assert_true(has_error_path(&d, "$.agency"));
	assert_true(has_error_path(&d, "$.channel"));
	mc_diag_clear(&d);
	/* unknown procedure and agency (SQL metacharacters are just text) */
	json_t *b = submit_body("UBND-'; DROP TABLE dossier; --", NULL);
	json_object_set_new(b, "procedure", json_string("9.999999"));
	assert_int_equal(submit(&citizen, b, NULL, &out, NULL, &d), MC_ERR_UNPROCESSABLE);
	assert_true(has_error_path(&d, "$.procedure"));
	assert_true(has_error_path(&d, "$.agency"));
	mc_diag_clear(&d);
	/* a province agency does not handle a commune procedure */
	assert_int_equal(submit(&citizen, submit_body("UBND-01", NULL), NULL, &out, NULL, &d),
	                 MC_ERR_UNPROCESSABLE);
	assert_true(has_error_path(&d, "$.agency"));
	mc_diag_clear(&d);
	/* unknown channel */
	b = submit_body("UBND-00004", NULL);
	json_object_set_new(b, "channel", json_string("fax"));
	assert_int_equal(submit(&citizen, b, NULL, &out, NULL, &d), MC_ERR_UNPROCESSABLE);
	assert_true(has_error_path(&d, "$.channel"));
	mc_diag_clear(&d);
	/* another citizen's document, an unknown document and component */
	if (*first_component()) {
		assert_int_equal(
		    submit(&citizen, submit_body("UBND-00004", doc_citizen2), NULL, &out, NULL, &d),
		    MC_ERR_UNPROCESSABLE);
		assert_true(has_error_path(&d, "$.components[0].document"));
		mc_diag_clear(&d);
	}
	b = submit_body("UBND-00004", NULL);
	json_array_append_new(json_object_get(b, "components"),
	                      json_pack("{s:s, s:s}", "component", "zz", "document",
	                                "00000000000000000000000000000000"));
	assert_int_equal(submit(&citizen, b, NULL, &out, NULL, &d), MC_ERR_UNPROCESSABLE);
	size_t last = json_array_size(json_object_get(d.ext, "errors"));
	assert_true(last >= 2);
	mc_diag_clear(&d);
	/* form fields are checked against the eForm, every failure under $.form */
	b = submit_body("UBND-00004", NULL);
	json_t *form = json_object_get(b, "form");
	size_t required = json_object_size(form);
	json_object_clear(form);
	if (required > 0) {
		assert_int_equal(submit(&citizen, b, NULL, &out, NULL, &d), MC_ERR_UNPROCESSABLE);
		json_t *errs = json_object_get(d.ext, "errors");
		assert_int_equal(json_array_size(errs), required);
		size_t i;
		json_t *e;
		json_array_foreach(errs, i, e)
		{
			assert_true(strncmp(sget(e, "path"), "$.form", 6) == 0);
			assert_non_null(sget(e, "message_vi"));
		}
		mc_diag_clear(&d);
	} else {
		json_decref(b);
	}
}

static void test_idempotency(void **state)
{
	(void)state;
	json_t *a = NULL, *b = NULL;
	bool replayed = true;
	mc_diag d = {0};
	assert_int_equal(
	    submit(&citizen, submit_body("UBND-00004", doc_citizen), "key-1", &a, &replayed, &d),
	    MC_OK);
	assert_false(replayed);
	assert_int_equal(
	    submit(&citizen, submit_body("UBND-00004", doc_citizen), "key-1", &b, &replayed, &d),
	    MC_OK);
	assert_true(replayed);
	assert_string_equal(sget(a, "code"), sget(b, "code"));
	json_decref(b);
	/* same key, another body */
	json_t *other = submit_body("UBND-00004", NULL);
	assert_int_equal(submit(&citizen, other, "key-1", &b, &replayed, &d), MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	/* keys are per user */
	assert_int_equal(
	    submit(&citizen2, submit_body("UBND-00004", NULL), "key-1", &b, &replayed, &d), MC_OK);
	assert_false(replayed);
	assert_string_not_equal(sget(a, "code"), sget(b, "code"));
	json_decref(a);
	json_decref(b);
	/* key caps */
	char key[260];
	memset(key, 'k', 201);
	key[201] = '\0';
	assert_int_equal(submit(&citizen, submit_body("UBND-00004", NULL), key, &b, &replayed, &d),
	                 MC_ERR_INVALID);
	assert_int_equal(
	    submit(&citizen, submit_body("UBND-00004", NULL), "a b", &b, &replayed, &d),
	    MC_ERR_INVALID);
}

/* ---- lifecycle ---- */

static void test_permissions(void **state)
{
	(void)state;
	const char *code = new_dossier();
	json_t *out = NULL;
	mc_diag d = {0};
	/* strangers do not learn that the dossier exists */
	assert_int_equal(dossier_get(&app, &citizen2, code, &out, &d), MC_ERR_NOT_FOUND);
	assert_int_equal(dossier_get(&app, &officer2, code, &out, &d), MC_ERR_FORBIDDEN);
	assert_int_equal(act(&citizen2, code, "{\"action\": \"withdraw\"}", NULL, &d),
	                 MC_ERR_NOT_FOUND);
	assert_int_equal(act(&officer2, code, "{\"action\": \"receive\"}", NULL, &d),
	                 MC_ERR_FORBIDDEN);
	assert_int_equal(dossier_get(&app, &citizen, "NO-SUCH", &out, &d), MC_ERR_NOT_FOUND);
	/* owner, officer of the agency and admin see it */
	assert_int_equal(dossier_get(&app, &citizen, code, &out, &d), MC_OK);
	json_decref(out);
	assert_int_equal(dossier_get(&app, &officer, code, &out, &d), MC_OK);
	assert_true(array_has(json_object_get(out, "allowed_actions"), "receive"));
	json_decref(out);
	assert_int_equal(dossier_get(&app, &admin, code, &out, &d), MC_OK);
	json_decref(out);
	/* wrong actor kind: 403 */
	assert_int_equal(act(&citizen, code, "{\"action\": \"receive\"}", NULL, &d),
	                 MC_ERR_FORBIDDEN);
	assert_int_equal(act(&officer, code, "{\"action\": \"withdraw\"}", NULL, &d),
	                 MC_ERR_FORBIDDEN);
	/* unknown action: 422; not allowed now: 409 with the allowed actions */
	assert_int_equal(act(&officer, code, "{\"action\": \"explode\"}", NULL, &d),
	                 MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	assert_int_equal(act(&officer, code, "{\"action\": \"finish\", \"result\": {}}", NULL, &d),
	                 MC_ERR_CONFLICT);
	json_t *allowed = json_object_get(d.ext, "allowed_actions");
	assert_true(array_has(allowed, "receive"));
	assert_true(array_has(allowed, "refuse"));
	assert_false(array_has(allowed, "finish"));
	mc_diag_clear(&d);
	/* missing required member: 422 */
	assert_int_equal(act(&officer, code, "{\"action\": \"refuse\"}", NULL, &d),
	                 MC_ERR_UNPROCESSABLE);
	assert_true(has_error_path(&d, "$.reason"));
	mc_diag_clear(&d);
	/* the admin may act as the officer */
	assert_int_equal(
	    act(&admin, code, "{\"action\": \"refuse\", \"reason\": \"Sai thẩm quyền\"}", &out, &d),
	    MC_OK);
	assert_string_equal(sget(out, "status"), "refused");
	assert_int_equal(json_array_size(json_object_get(out, "allowed_actions")), 0);
	json_decref(out);
}

static void test_full_lifecycle(void **state)
{
	(void)state;
	const char *code = new_dossier();
	json_t *out = NULL;
	mc_diag d = {0};
	/* receive: due date from the channel's limit in working days */
	assert_int_equal(act(&officer, code, "{\"action\": \"receive\"}", &out, &d), MC_OK);
	assert_string_equal(sget(out, "status"), "received");
	/* the test clock starts at 02:00:00 and advances with real time */
	time_t received;
	assert_true(ts_parse(sget(out, "received_at"), &received));
	assert_true(received >= date_local_midnight(date_from_ymd(2026, 3, 2)) + 9 * 3600 &&
	            received < date_local_midnight(date_from_ymd(2026, 3, 2)) + 9 * 3600 + 300);
	const char *due_s = sget(out, "due_date");
	assert_non_null(due_s);
	mc_day due;
	assert_true(date_parse(due_s, &due));
	assert_true(due > date_from_ymd(2026, 3, 2));
	assert_true(date_weekday(due) < 5);
	assert_false(json_is_true(json_object_get(out, "late")));
	char due_copy[16];
	snprintf(due_copy, sizeof due_copy, "%s", due_s);
	json_decref(out);
	/* supplement requested from "received", listing every missing item */
	assert_int_equal(act(&officer, code,
	                     "{\"action\": \"request_supplement\", \"items\": [{\"field\": "
	                     "\"ho_ten\", \"note\": \"ghi rõ\"}, {\"component\": \"c1\"}], "
	                     "\"note\": \"bổ sung\"}",
	                     &out, &d),
	                 MC_OK);
	assert_string_equal(sget(out, "status"), "supplement_requested");
	assert_int_equal(json_integer_value(json_object_get(out, "status_code")), 5);
	assert_int_equal(json_integer_value(json_object_get(out, "supplement_requests")), 1);
	assert_int_equal(
	    json_array_size(json_object_get(json_object_get(out, "supplement_request"), "items")),
	    2);
	assert_true(array_has(json_object_get(out, "allowed_actions"), "stop"));
	json_decref(out);
	/* the applicant sees "supplement" and brings a document */
	assert_int_equal(dossier_get(&app, &citizen, code, &out, &d), MC_OK);
	assert_true(array_has(json_object_get(out, "allowed_actions"), "supplement"));
	size_t ncomp = json_array_size(json_object_get(out, "components"));
	json_decref(out);
	char body[512];
	snprintf(body, sizeof body,
	         "{\"action\": \"supplement\", \"components\": [{\"component\": \"%s\", "
	         "\"document\": \"%s\"}], \"form\": {}}",
	         first_component(), doc_citizen);
	if (!*first_component())
		snprintf(body, sizeof body, "{\"action\": \"supplement\", \"form\": {}}");
	assert_int_equal(act(&citizen, code, body, &out, &d), MC_OK);
	assert_string_equal(sget(out, "status"), "received"); /* back where it was */
	assert_string_equal(sget(out, "due_date"), due_copy); /* same day: nothing to add */
	if (*first_component())
		assert_int_equal(json_array_size(json_object_get(out, "components")), ncomp + 1);
	json_decref(out);
	/* only one supplement request per dossier */
	assert_int_equal(
	    act(&officer, code,
	        "{\"action\": \"request_supplement\", \"items\": [{\"field\": \"x\"}]}", NULL, &d),
	    MC_ERR_CONFLICT);
	assert_false(array_has(json_object_get(d.ext, "allowed_actions"), "request_supplement"));
	assert_true(array_has(json_object_get(d.ext, "allowed_actions"), "process"));
	mc_diag_clear(&d);
	/* processing, payment */
	assert_int_equal(act(&officer, code, "{\"action\": \"process\"}", NULL, &d), MC_OK);
	assert_int_equal(act(&officer, code,
	                     "{\"action\": \"request_payment\", \"amount\": 8000, \"reason\": "
	                     "\"Lệ phí cấp bản sao\"}",
	                     &out, &d),
	                 MC_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "status_code")), 6);
	json_decref(out);
	assert_int_equal(
	    act(&citizen, code, "{\"action\": \"pay\", \"reference\": \"VNPAY-1\"}", &out, &d),
	    MC_OK);
	assert_string_equal(sget(out, "status"), "processing");
	assert_non_null(sget(json_object_get(out, "payment"), "paid_at"));
	json_decref(out);
	/* apology: once, after the current due date */
	assert_int_equal(act(&officer, code,
	                     "{\"action\": \"apologize\", \"new_due_date\": \"2026-03-01\", "
	                     "\"reason\": \"x\"}",
	                     NULL, &d),
	                 MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	assert_int_equal(act(&officer, code,
	                     "{\"action\": \"apologize\", \"new_due_date\": \"2026-04-15\", "
	                     "\"reason\": \"Cần xác minh thêm\"}",
	                     &out, &d),
	                 MC_OK);
	assert_string_equal(sget(out, "due_date"), "2026-04-15");
	assert_string_equal(sget(json_object_get(out, "apology"), "previous_due_date"), due_copy);
	json_decref(out);
	assert_int_equal(act(&officer, code,
	                     "{\"action\": \"apologize\", \"new_due_date\": \"2026-05-15\", "
	                     "\"reason\": \"again\"}",
	                     NULL, &d),
	                 MC_ERR_CONFLICT);
	mc_diag_clear(&d);
	/* transfer to Ngọc Hà: the former agency still reads, no longer acts */
	assert_int_equal(act(&officer, code,
	                     "{\"action\": \"transfer\", \"agency\": \"UBND-99999\", \"reason\": "
	                     "\"x\"}",
	                     NULL, &d),
	                 MC_ERR_UNPROCESSABLE);
	mc_diag_clear(&d);
	assert_int_equal(act(&officer2, code, "{\"action\": \"finish\", \"result\": {}}", NULL, &d),
	                 MC_ERR_FORBIDDEN);
	assert_int_equal(act(&officer, code,
	                     "{\"action\": \"transfer\", \"agency\": \"UBND-00008\", \"reason\": "
	                     "\"Liên thông\"}",
	                     &out, &d),
	                 MC_OK);
	assert_string_equal(sget(out, "agency"), "UBND-00008");
	assert_string_equal(sget(out, "status"), "processing");
	assert_int_equal(json_array_size(json_object_get(out, "allowed_actions")), 0);
	json_decref(out);
	assert_int_equal(dossier_get(&app, &officer, code, &out, &d), MC_OK);
	json_decref(out);
	assert_int_equal(act(&officer, code, "{\"action\": \"finish\", \"result\": {}}", NULL, &d),
	                 MC_ERR_FORBIDDEN);
	/* finish by the new agency: on time (today <= due, one supplement) */
	assert_int_equal(act(&officer2, code,
	                     "{\"action\": \"finish\", \"result\": {\"number\": \"GKS-7\"}}", &out,
	                     &d),
	                 MC_OK);
	assert_string_equal(sget(out, "status"), "processed");
	assert_string_equal(sget(out, "timeliness"), "on_time");
	assert_false(json_is_true(json_object_get(out, "late")));
	assert_string_equal(sget(json_object_get(out, "result"), "number"), "GKS-7");
	json_decref(out);
	assert_int_equal(act(&officer2, code, "{\"action\": \"return_result\"}", &out, &d), MC_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "status_code")), 10);
	json_decref(out);
	assert_int_equal(act(&citizen, code, "{\"action\": \"withdraw\"}", NULL, &d),
	                 MC_ERR_CONFLICT);
	mc_diag_clear(&d);

	/* history in time order */
	json_t *items = NULL;
	bool more = true;
	assert_int_equal(dossier_history(&app, &citizen, code, 0, 100, &items, &more, &d), MC_OK);
	assert_false(more);
	const char *expect[] = {"submit",     "receive",      "request_supplement",
	                        "supplement", "process",      "request_payment",
	                        "pay",        "apologize",    "transfer",
	                        "finish",     "return_result"};
	assert_int_equal(json_array_size(items), sizeof expect / sizeof expect[0]);
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *ev = json_array_get(items, i);
		assert_string_equal(sget(ev, "action"), expect[i]);
		assert_int_equal(json_integer_value(json_object_get(ev, "seq")), (json_int_t)i + 1);
	}
	json_t *tr = json_array_get(items, 8);
	assert_string_equal(sget(tr, "agency"), "UBND-00004");
	assert_string_equal(sget(tr, "note"), "Liên thông");
	assert_string_equal(sget(json_array_get(items, 3), "to_status"), "received");
	json_decref(items);
	/* pages of 4 events by seq: 1-4, 5-8, 9-11 */
	int64_t after = 0;
	size_t seen = 0;
	for (int page = 0; page < 3; page++) {
		assert_int_equal(dossier_history(&app, &citizen, code, after, 4, &items, &more, &d),
		                 MC_OK);
		assert_int_equal(json_array_size(items), page < 2 ? 4 : 3);
		assert_int_equal(more, page < 2);
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *ev = json_array_get(items, i);
			assert_string_equal(sget(ev, "action"), expect[seen++]);
			after = json_integer_value(json_object_get(ev, "seq"));
		}
		json_decref(items);
	}
	assert_int_equal(seen, sizeof expect / sizeof expect[0]);
	assert_int_equal(dossier_history(&app, &citizen, code, after, 4, &items, &more, &d), MC_OK);
	assert_int_equal(json_array_size(items), 0);
	assert_false(more);
	json_decref(items);
	assert_int_equal(dossier_history(&app, &citizen2, code, 0, 100, &items, &more, &d),
	                 MC_ERR_NOT_FOUND);
}

typedef struct due_ctx {
	const char *code, *due;
} due_ctx;

/* Test-only: moves a dossier's due date into the past (own table). */
static mc_err set_due_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	due_ctx *x = vctx;
	const char *p[] = {x->due, x->code};
	return store_execv(c, "UPDATE dossier SET due_date = ?1 WHERE code = ?2", 2, p);
}

/* Test-only: sets the day a supplement was requested (own table). */
static mc_err set_since_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	due_ctx *x = vctx;
	const char *p[] = {x->due, x->code};
	return store_execv(c, "UPDATE dossier SET supplement_since = ?1 WHERE code = ?2", 2, p);
}

/* The details of the newest history event of `code` (new reference). */
static json_t *last_details(const char *code)
{
	json_t *items = NULL;
	bool more = true;
	mc_diag d = {0};
	assert_int_equal(dossier_history(&app, &admin, code, 0, 100, &items, &more, &d), MC_OK);
	assert_false(more);
	json_t *det = json_incref(
	    json_object_get(json_array_get(items, json_array_size(items) - 1), "details"));
	json_decref(items);
	return det;
}

/* A limit or a due date the calendar cannot count never blocks a dossier:
 * it is received without a due date, and a supplement keeps the due date it
 * cannot extend; the event says so. */
static void test_calendar_out_of_range(void **state)
{
	(void)state;
	mc_diag d = {0};
	json_t *out = NULL;
	json_t *body = submit_body("UBND-00004", doc_citizen);
	json_object_set_new(body, "procedure", json_string(LONG_PROC));
	assert_int_equal(submit(&citizen, body, NULL, &out, NULL, &d), MC_OK);
	char code[128];
	snprintf(code, sizeof code, "%s", sget(out, "code"));
	json_decref(out);
	assert_int_equal(act(&officer, code, "{\"action\": \"receive\"}", &out, &d), MC_OK);
	assert_string_equal(sget(out, "status"), "received");
	assert_true(json_is_null(json_object_get(out, "due_date")));
	json_decref(out);
	json_t *det = last_details(code);
	assert_true(json_is_true(json_object_get(det, "due_date_unavailable")));
	assert_true(json_is_null(json_object_get(det, "due_date")));
	json_decref(det);

	/* a due date at the end of the calendar cannot be extended */
	const char *c2 = new_dossier();
	snprintf(code, sizeof code, "%s", c2);
	assert_int_equal(act(&officer, code, "{\"action\": \"receive\"}", NULL, &d), MC_OK);
	assert_int_equal(act(&officer, code,
	                     "{\"action\": \"request_supplement\", \"items\": "
	                     "[{\"field\": \"child\"}]}",
	                     NULL, &d),
	                 MC_OK);
	due_ctx dc = {code, "2199-12-31"};
	assert_int_equal(store_write(app.db, set_due_fn, &dc, NULL), MC_OK);
	dc.due = "2026-02-27"; /* Friday: one working day spent in status 5 */
	assert_int_equal(store_write(app.db, set_since_fn, &dc, NULL), MC_OK);
	assert_int_equal(
	    act(&citizen, code, "{\"action\": \"supplement\", \"form\": {}}", &out, &d), MC_OK);
	assert_string_equal(sget(out, "status"), "received");
	assert_string_equal(sget(out, "due_date"), "2199-12-31");
	json_decref(out);
	det = last_details(code);
	assert_true(json_is_true(json_object_get(det, "due_date_unavailable")));
	assert_string_equal(sget(det, "due_date"), "2199-12-31");
	json_decref(det);
}

static void test_late_and_queue(void **state)
{
	(void)state;
	mc_diag d = {0};
	json_t *out = NULL;
	const char *c1 = new_dossier();
	char code1[128];
	snprintf(code1, sizeof code1, "%s", c1);
	assert_int_equal(act(&officer, code1, "{\"action\": \"receive\"}", NULL, &d), MC_OK);

	dossier_query q = {.late = -1, .limit = 100};
	json_t *items = NULL, *next = NULL;
	/* officers see only their agency's queue */
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	size_t n_officer = json_array_size(items);
	assert_true(n_officer > 0);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) assert_string_equal(sget(it, "agency"), "UBND-00004");
	/* sorted by due date (none last) then code */
	for (i = 1; i < json_array_size(items); i++) {
		const char *a = sget(json_array_get(items, i - 1), "due_date");
		const char *b = sget(json_array_get(items, i), "due_date");
		const char *ka = a ? a : "9999-12-31", *kb = b ? b : "9999-12-31";
		int cmp = strcmp(ka, kb);
		assert_true(cmp < 0 ||
		            (cmp == 0 && strcmp(sget(json_array_get(items, i - 1), "code"),
		                                sget(json_array_get(items, i), "code")) < 0));
	}
	json_decref(items);
	assert_null(next);
	q.agency = "UBND-00008";
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_ERR_FORBIDDEN);
	q.agency = NULL;
	/* citizens: their own only */
	assert_int_equal(dossier_list(&app, &citizen2, &q, &items, &next, &d), MC_OK);
	json_array_foreach(items, i, it)
	    assert_string_equal(sget(json_object_get(it, "applicant"), "user"), "citizen2");
	json_decref(items);
	/* status filter */
	q.status = DS_RECEIVED;
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	assert_true(json_array_size(items) >= 1);
	json_array_foreach(items, i, it) assert_string_equal(sget(it, "status"), "received");
	json_decref(items);
	q.status = 0;
	/* due_before: the received dossier is due after today */
	q.due_before = "2026-03-03";
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	q.due_before = "2027-01-01";
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	assert_true(json_array_size(items) >= 1);
	json_array_foreach(items, i, it) assert_non_null(sget(it, "due_date"));
	json_decref(items);
	q.due_before = NULL;
	/* nothing is late today; late=false lists everything */
	q.late = 1;
	assert_int_equal(dossier_list(&app, &admin, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	q.late = 0;
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), n_officer);
	json_decref(items);
	/* a due date in the past (Friday 2026-02-27) makes it late */
	due_ctx dc = {code1, "2026-02-27"};
	assert_int_equal(store_write(app.db, set_due_fn, &dc, NULL), MC_OK);
	assert_int_equal(dossier_get(&app, &officer, code1, &out, &d), MC_OK);
	assert_true(json_is_true(json_object_get(out, "late")));
	json_decref(out);
	q.late = 1;
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(sget(json_array_get(items, 0), "code"), code1);
	json_decref(items);
	q.late = 0;
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), n_officer - 1);
	json_decref(items);
	/* clock stopped during a supplement requested after the due date: still late */
	assert_int_equal(
	    act(&officer, code1,
	        "{\"action\": \"request_supplement\", \"items\": [{\"field\": \"x\"}]}", NULL, &d),
	    MC_OK);
	q.late = 1;
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	assert_int_equal(
	    act(&citizen, code1, "{\"action\": \"supplement\", \"form\": {}}", NULL, &d), MC_OK);
	/* finished after the due date: 766 says late, kept after finishing */
	assert_int_equal(act(&officer, code1, "{\"action\": \"process\"}", NULL, &d), MC_OK);
	assert_int_equal(act(&officer, code1, "{\"action\": \"finish\", \"result\": {}}", &out, &d),
	                 MC_OK);
	assert_string_equal(sget(out, "timeliness"), "late");
	assert_true(json_is_true(json_object_get(out, "late")));
	json_decref(out);
	assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	q.late = -1;
	/* paging with the cursor walks the same list */
	q.limit = 2;
	size_t seen = 0;
	char after_due[16] = "", after_code[128] = "";
	for (int page = 0; page < 100; page++) {
		assert_int_equal(dossier_list(&app, &officer, &q, &items, &next, &d), MC_OK);
		seen += json_array_size(items);
		assert_true(json_array_size(items) <= 2);
		json_decref(items);
		if (!next)
			break;
		snprintf(after_due, sizeof after_due, "%s", sget(next, "d"));
		snprintf(after_code, sizeof after_code, "%s", sget(next, "c"));
		json_decref(next);
		q.after_due = after_due;
		q.after_code = after_code;
	}
	assert_int_equal(seen, n_officer);
	/* metrics counts */
	long counts[11];
	assert_int_equal(dossier_count_by_status(app.db, counts), MC_OK);
	assert_true(counts[1] > 0 && counts[9] > 0 && counts[10] >= 1 && counts[3] >= 1);
}

static void test_seed_demo(void **state)
{
	(void)state;
	mc_diag d = {0};
	const mc_principal demo_citizen = {ROLE_CITIZEN, 50, "democitizen", "", "001090012345"};
	assert_int_equal(dossier_seed_demo_as(&app, &demo_citizen, &officer, &d), MC_OK);
	dossier_query q = {.late = -1, .limit = 100};
	json_t *items = NULL, *next = NULL;
	assert_int_equal(dossier_list(&app, &demo_citizen, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), 6);
	int seen[11] = {0};
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	    seen[json_integer_value(json_object_get(it, "status_code"))]++;
	assert_int_equal(seen[1], 1);
	assert_int_equal(seen[2], 1);
	assert_int_equal(seen[4], 1);
	assert_int_equal(seen[5], 1);
	assert_int_equal(seen[9], 1);
	assert_int_equal(seen[10], 1);
	json_decref(items);
	/* a second run adds nothing */
	assert_int_equal(dossier_seed_demo_as(&app, &demo_citizen, &officer, &d), MC_OK);
	assert_int_equal(dossier_list(&app, &demo_citizen, &q, &items, &next, &d), MC_OK);
	assert_int_equal(json_array_size(items), 6);
	json_decref(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_documents),
	    cmocka_unit_test(test_submit_code_and_sequence),
	    cmocka_unit_test(test_submit_validation),
	    cmocka_unit_test(test_idempotency),
	    cmocka_unit_test(test_permissions),
	    cmocka_unit_test(test_full_lifecycle),
	    cmocka_unit_test(test_calendar_out_of_range),
	    cmocka_unit_test(test_late_and_queue),
	    cmocka_unit_test(test_seed_demo),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
