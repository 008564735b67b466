/* catalog.c - the procedure catalog service: import of the portal's
 * records (.jsonl / .jsonl.gz), versions, admin changes, eForms, the
 * "procedure" full-text index and the list/search behind the API.
 *
 * Storage (schema/sqlite/0006_catalog.sql): `procedure` has one row per
 * code with the current version, the columns the list filters on and the
 * list item (summary); `procedure_version` keeps every version's document
 * and form. Every change writes a new version; nothing is ever deleted, so
 * a dossier can always read the version it was submitted under. */
#include "catalog/catalog.h"
#include "core/cli.h"

#include "audit/audit.h"
#include "catalog/catalog_parse.h"
#include "core/date.h"
#include "core/jcache.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IMPORT_BATCH 200
#define IMPORT_MAX_LINE (4L << 20) /* bytes of one record */
#define IMPORT_MAX_ERRORS_LOGGED 10
#define PARSER_VERSION "motcua-catalog-parse/2" /* 2: components classified */
#define SEARCH_MAX_HITS 1000
#define TEXT_INDEX "procedure"
#define IMPORT_ACTOR "system:import"

/* ---- small helpers ---- */

static json_t *jnum(double v)
{
	if (floor(v) == v && fabs(v) < 1e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static void now_text(char buf[32])
{
	ts_format(ts_now(), buf);
}

/* Folded name without a leading "Thủ tục" ("thu tuc "). malloc'ed. */
static char *fold_name(const char *name)
{
	char *f = text_fold(name ? name : "");
	if (text_starts_with(f, "thu tuc "))
		memmove(f, f + 8, strlen(f + 8) + 1);
	return f;
}

/* ",a,b," of an array of strings. malloc'ed. */
static char *join_list(json_t *arr)
{
	mc_buf b = {0};
	mc_buf_puts(&b, ",");
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v)) {
			mc_buf_puts(&b, json_string_value(v));
			mc_buf_puts(&b, ",");
		}
	}
	return mc_buf_cstr(&b);
}

/* FNV-1a 64 of the record's canonical text, as 16 hex digits. */
static void record_hash(json_t *rec, char out[17])
{
	char *s = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = PARSER_VERSION; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (const char *p = s ? s : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	free(s);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

catalog_unit catalog_time_limit(json_t *procedure, const char *channel, double *amount)
{
	json_t *ch, *fallback = NULL;
	size_t i;
	json_array_foreach(json_object_get(procedure, "channels"), i, ch)
	{
		json_t *t = json_object_get(ch, "time_limit");
		json_t *a = json_object_get(t, "amount");
		catalog_unit u = catalog_unit_parse(json_string_value(json_object_get(t, "unit")));
		if (u == LIMIT_NONE || !json_is_number(a))
			continue;
		const char *name = json_string_value(json_object_get(ch, "channel"));
		if (channel && name && !strcmp(name, channel)) {
			if (amount)
				*amount = json_number_value(a);
			return u;
		}
		if (!fallback)
			fallback = t;
	}
	if (fallback) {
		if (amount)
			*amount = json_number_value(json_object_get(fallback, "amount"));
		return catalog_unit_parse(json_string_value(json_object_get(fallback, "unit")));
	}
	if (amount)
		*amount = 0;
	return LIMIT_NONE;
}

json_t *catalog_component(json_t *procedure, const char *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(procedure, "components"), i, c)
	{
		const char *cid = json_string_value(json_object_get(c, "id"));
		if (cid && id && strcmp(cid, id) == 0)
			return c;
	}
	return NULL;
}

bool catalog_component_is_document(json_t *component)
{
	const char *kind = json_string_value(json_object_get(component, "kind"));
	return !kind || strcmp(kind, "note") != 0;
}

bool catalog_offers_channel(json_t *procedure, const char *channel)
{
	json_t *chs = json_object_get(procedure, "channels");
	if (!json_is_array(chs) || json_array_size(chs) == 0)
		return true;
	size_t i;
	json_t *ch;
	json_array_foreach(chs, i, ch)
	{
		const char *s = json_string_value(json_object_get(ch, "channel"));
		if (s && channel && strcmp(s, channel) == 0)
			return true;
	}
	return false;
}

bool catalog_handled_at(json_t *procedure, const char *agency_level)
{
	json_t *levels = json_object_get(procedure, "level");
	if (!json_is_array(levels) || json_array_size(levels) == 0 || !agency_level)
		return true;
	const char *want = strcmp(agency_level, "central") == 0 ? "ministry" : agency_level;
	size_t i;
	json_t *l;
	json_array_foreach(levels, i, l)
	{
		const char *s = json_string_value(l);
		if (s && strcmp(s, want) == 0)
			return true;
	}
	return false;
}

/* Members computed by motcua, never taken from a client. */
static const char *const readonly_members[] = {
    "version", "current_version", "versioned_at", "time_limit",
    "form",    "updated_at",      "created_at",   NULL};

static void strip_readonly(json_t *doc)
{
	for (const char *const *k = readonly_members; *k; k++)
		json_object_del(doc, *k);
}

/* Recomputes the derived members of a document. */
static void doc_finish(json_t *doc)
{
	double amount;
	catalog_unit u = catalog_time_limit(doc, "in_person", &amount);
	json_object_set_new(doc, "time_limit",
	                    u == LIMIT_NONE ? json_null()
	                                    : json_pack("{s:o, s:s}", "amount", jnum(amount),
	                                                "unit", catalog_unit_name(u)));
}

static json_t *summary_of(json_t *doc, int version)
{
	json_t *s = json_object();
	static const char *const keys[] = {"code",     "name",         "level",      "field",
	                                   "ministry", "online_level", "time_limit", NULL};
	for (const char *const *k = keys; *k; k++) {
		json_t *v = json_object_get(doc, *k);
		json_object_set(s, *k, v ? v : json_null());
	}
	json_object_set_new(s, "version", json_integer(version));
	return s;
}

/* Steps of a document joined as one text (for the online heuristic). */
static char *steps_text(json_t *doc)
{
	mc_buf b = {0};
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "steps"), i, s)
	{
		if (json_is_string(s)) {
			mc_buf_puts(&b, json_string_value(s));
			mc_buf_puts(&b, "\n");
		}
	}
	return mc_buf_cstr(&b);
}

/* ---- rows and versions ---- */

typedef struct proc_state {
	bool exists;
	int version;
	char hash[32];
	bool form_custom, online_custom;
} proc_state;

static mc_err load_state(store_conn *c, const char *code, proc_state *st)
{
	memset(st, 0, sizeof *st);
	store_stmt *q;
	mc_err e = store_prepare(c,
	                         "SELECT current_version, source_hash, form_custom, online_custom "
	                         "FROM procedure WHERE code = ?1",
	                         &q);
	if (e)
		return e;
	store_bind_text(q, 1, code);
	bool row;
	e = store_step(q, &row);
	if (!e && row) {
		st->exists = true;
		st->version = (int)store_col_int(q, 0);
		const char *h = store_col_text(q, 1);
		snprintf(st->hash, sizeof st->hash, "%s", h ? h : "");
		st->form_custom = store_col_int(q, 2) != 0;
		st->online_custom = store_col_int(q, 3) != 0;
	}
	store_finish(q);
	return e;
}

/* Loads the document and form of a version (NOT_FOUND when absent). */
/* load_state, and NOT_FOUND (with a sentence for users) when the procedure
 * does not exist. */
static mc_err load_existing(store_conn *c, const char *code, proc_state *st, mc_diag *diag)
{
	mc_err e = load_state(c, code, st);
	if (!e && !st->exists)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có thủ tục này.", "no procedure %s",
		             code);
	return e;
}

static mc_err load_version(store_conn *c, const char *code, int version, json_t **doc,
                           json_t **form, char *created_at, size_t ca_size)
{
	store_stmt *q;
	mc_err e = store_prepare(c,
	                         "SELECT doc, form, created_at FROM procedure_version "
	                         "WHERE code = ?1 AND version = ?2",
	                         &q);
	if (e)
		return e;
	store_bind_text(q, 1, code);
	store_bind_int(q, 2, version);
	bool row;
	e = store_step(q, &row);
	if (!e && !row)
		e = MC_ERR_NOT_FOUND;
	if (!e) {
		json_error_t jerr;
		if (doc && !(*doc = json_loads(store_col_text(q, 0), 0, &jerr)))
			e = MC_ERR_INTERNAL;
		if (!e && form && !(*form = json_loads(store_col_text(q, 1), 0, &jerr)))
			e = MC_ERR_INTERNAL;
		if (created_at)
			snprintf(created_at, ca_size, "%s", store_col_text(q, 2));
	}
	store_finish(q);
	return e;
}

typedef struct proc_write {
	const char *code;
	int version;
	json_t *doc;  /* finished document */
	json_t *form; /* eForm */
	const char *actor;
	const char *source_hash; /* NULL keeps the stored one */
	bool form_custom, online_custom;
} proc_write;

/* Text indexed for search: the name (without "Thủ tục") first, so that a
 * phrase at the start of the name ranks first, then the full name, code,
 * field, ministry and agencies. */
static char *index_text(json_t *doc)
{
	mc_buf b = {0};
	const char *keys[] = {"name", "code", "field", "implementing_agency",
	                      "competent_authority"};
	char *fn = fold_name(json_string_value(json_object_get(doc, "name")));
	mc_buf_puts(&b, fn);
	free(fn);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const char *v = json_string_value(json_object_get(doc, keys[i]));
		if (v) {
			mc_buf_puts(&b, " ");
			mc_buf_puts(&b, v);
		}
	}
	const char *code, *vi, *en;
	if (catalog_ministry(json_string_value(json_object_get(doc, "ministry")), &code, &vi, &en))
		mc_buf_printf(&b, " %s %s", code, vi);
	char *folded = text_fold(mc_buf_cstr(&b));
	mc_buf_free(&b);
	return folded;
}

static mc_err write_version(store_conn *c, const proc_write *w)
{
	char now[32];
	now_text(now);
	char *doc = json_dumps(w->doc, JSON_COMPACT);
	char *form = json_dumps(w->form, JSON_COMPACT);
	json_t *sum = summary_of(w->doc, w->version);
	char *summary = json_dumps(sum, JSON_COMPACT);
	json_decref(sum);
	char *nf = fold_name(json_string_value(json_object_get(w->doc, "name")));
	char *levels = join_list(json_object_get(w->doc, "level"));
	char *agencies = join_list(json_object_get(w->doc, "agency"));
	const char *field = json_string_value(json_object_get(w->doc, "field"));
	char *ff = field ? text_fold(field) : NULL;
	char *itext = index_text(w->doc);
	store_stmt *q = NULL;
	mc_err e = store_prepare(
	    c,
	    "INSERT INTO procedure (code, current_version, name, name_folded, levels, field, "
	    "field_folded, ministry, agencies, online_level, summary, source_hash, form_custom, "
	    "online_custom, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15) "
	    "ON CONFLICT (code) DO UPDATE SET current_version = excluded.current_version, "
	    "name = excluded.name, name_folded = excluded.name_folded, levels = excluded.levels, "
	    "field = excluded.field, field_folded = excluded.field_folded, "
	    "ministry = excluded.ministry, agencies = excluded.agencies, "
	    "online_level = excluded.online_level, summary = excluded.summary, "
	    "source_hash = COALESCE(excluded.source_hash, procedure.source_hash), "
	    "form_custom = excluded.form_custom, online_custom = excluded.online_custom, "
	    "updated_at = excluded.updated_at",
	    &q);
	if (e)
		goto out;
	store_bind_text(q, 1, w->code);
	store_bind_int(q, 2, w->version);
	store_bind_text(q, 3, json_string_value(json_object_get(w->doc, "name")));
	store_bind_text(q, 4, nf);
	store_bind_text(q, 5, levels);
	store_bind_text(q, 6, field);
	store_bind_text(q, 7, ff);
	store_bind_text(q, 8, json_string_value(json_object_get(w->doc, "ministry")));
	store_bind_text(q, 9, agencies);
	store_bind_text(q, 10, json_string_value(json_object_get(w->doc, "online_level")));
	store_bind_text(q, 11, summary);
	store_bind_text(q, 12, w->source_hash);
	store_bind_int(q, 13, w->form_custom);
	store_bind_int(q, 14, w->online_custom);
	store_bind_text(q, 15, now);
	bool row;
	e = store_step(q, &row);
	store_finish(q);
	if (e)
		goto out;
	e = store_prepare(c,
	                  "INSERT INTO procedure_version (code, version, doc, form, created_at, "
	                  "created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                  &q);
	if (e)
		goto out;
	store_bind_text(q, 1, w->code);
	store_bind_int(q, 2, w->version);
	store_bind_text(q, 3, doc);
	store_bind_text(q, 4, form);
	store_bind_text(q, 5, now);
	store_bind_text(q, 6, w->actor);
	e = store_step(q, &row);
	store_finish(q);
	if (e)
		goto out;
	e = store_text_put(c, TEXT_INDEX, w->code, itext);
out:
	free(doc);
	free(form);
	free(summary);
	free(nf);
	free(levels);
	free(agencies);
	free(ff);
	free(itext);
	return e;
}

/* ---- procedure JSON ---- */

/* Adds version metadata and the form to a stored document. */
/* Parsed procedure versions (core/jcache.h), keyed by store, code and
 * version: a committed (code, version) never changes, so entries cannot go
 * stale on any node; the current version number is always read from the
 * store. Only filled from committed reads. */
static jcache version_cache = JCACHE_INIT(512);

/* Writes the cache key; false when it does not fit (then no caching). */
static bool version_key(char *buf, size_t n, store_conn *c, const char *code, int version)
{
	int k = snprintf(buf, n, "%llu/%s/%d", (unsigned long long)store_conn_instance(c), code,
	                 version);
	return k > 0 && (size_t)k < n;
}

mc_err catalog_procedure_get(store_conn *c, const char *code, int version, json_t **out,
                             mc_diag *diag)
{
	*out = NULL;
	if (!code || version < 0)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có thủ tục này.",
		                "no such procedure");
	proc_state st;
	mc_err e = load_existing(c, code, &st, diag);
	if (e)
		return e;
	int v = version ? version : st.version;
	char key[160];
	bool cacheable = version_key(key, sizeof key, c, code, v);
	json_t *doc = cacheable ? jcache_get(&version_cache, key) : NULL;
	if (!doc) {
		json_t *form = NULL;
		char created[32];
		e = load_version(c, code, v, &doc, &form, created, sizeof created);
		if (e == MC_ERR_NOT_FOUND)
			return mc_fail2(diag, MC_ERR_NOT_FOUND,
			                "Không có phiên bản này của thủ tục.",
			                "procedure %s has no version %d", code, v);
		if (e) {
			json_decref(doc);
			json_decref(form);
			return e;
		}
		json_object_set_new(doc, "version", json_integer(v));
		json_object_set_new(doc, "versioned_at", json_string(created));
		json_object_set_new(doc, "form", form);
		if (cacheable && !store_conn_writable(c))
			jcache_put(&version_cache, key, doc);
	}
	/* shallow copy: shared members, own current_version */
	*out = json_object();
	json_object_update(*out, doc);
	json_decref(doc);
	json_object_set_new(*out, "current_version", json_integer(st.version));
	return MC_OK;
}

typedef struct render_ctx {
	const char *code;
	int version;
	bool form_only;
	char *json;      /* out */
	int version_out; /* out */
} render_ctx;

static mc_err render_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	render_ctx *x = vctx;
	free(x->json);
	x->json = NULL;
	proc_state st;
	mc_err e = load_existing(c, x->code, &st, diag);
	if (e)
		return e;
	int v = x->version ? x->version : st.version;
	store_stmt *q;
	e = store_prepare(c,
	                  "SELECT doc, form, created_at FROM procedure_version "
	                  "WHERE code = ?1 AND version = ?2",
	                  &q);
	if (e)
		return e;
	store_bind_text(q, 1, x->code);
	store_bind_int(q, 2, v);
	bool row;
	e = store_step(q, &row);
	if (!e && !row)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có phiên bản này của thủ tục.",
		             "procedure %s has no version %d", x->code, v);
	if (!e) {
		const char *doc = store_col_text(q, 0), *form = store_col_text(q, 1);
		x->version_out = v;
		if (x->form_only) {
			x->json = mc_xstrdup(form);
		} else if (doc[0] == '{' && doc[1] != '}') {
			/* splice the version members in front of the stored members */
			x->json = mc_xasprintf("{\"version\":%d,\"current_version\":%d,"
			                       "\"versioned_at\":\"%s\",\"form\":%s,%s",
			                       v, st.version, store_col_text(q, 2), form, doc + 1);
		} else {
			e = MC_ERR_INTERNAL;
		}
	}
	store_finish(q);
	return e;
}

static mc_err render(store *s, render_ctx *x, char **json, mc_diag *diag)
{
	mc_err e = store_read(s, render_fn, x, diag);
	*json = e ? NULL : x->json;
	if (e)
		free(x->json);
	return e;
}

mc_err catalog_render(store *s, const char *code, int version, char **json, mc_diag *diag)
{
	render_ctx x = {.code = code, .version = version};
	return render(s, &x, json, diag);
}

mc_err catalog_form_get(store *s, const char *code, int version, char **json, int *version_out,
                        mc_diag *diag)
{
	render_ctx x = {.code = code, .version = version, .form_only = true};
	mc_err e = render(s, &x, json, diag);
	if (version_out)
		*version_out = x.version_out;
	return e;
}

/* ---- import ---- */

typedef struct import_item {
	char *code;
	json_t *doc; /* finished, online level from the heuristic */
	char hash[17];
} import_item;

typedef struct import_batch {
	import_item items[IMPORT_BATCH];
	int n;
	const char *file;
	long imported, updated, unchanged; /* outputs of import_fn */
} import_batch;

static mc_err import_one(store_conn *c, import_item *it, import_batch *b, json_t *changed)
{
	proc_state st;
	mc_err e = load_state(c, it->code, &st);
	if (e)
		return e;
	if (!st.exists) {
		json_t *form = catalog_form_derive(it->doc);
		proc_write w = {.code = it->code,
		                .version = 1,
		                .doc = it->doc,
		                .form = form,
		                .actor = IMPORT_ACTOR,
		                .source_hash = it->hash};
		e = write_version(c, &w);
		json_decref(form);
		if (!e) {
			b->imported++;
			json_array_append_new(changed, json_string(it->code));
		}
		return e;
	}
	if (!strcmp(st.hash, it->hash)) {
		b->unchanged++;
		return MC_OK;
	}
	json_t *cur = NULL, *cur_form = NULL;
	e = load_version(c, it->code, st.version, &cur, &cur_form, NULL, 0);
	if (e)
		return e;
	json_t *doc = json_deep_copy(it->doc);
	if (st.online_custom)
		json_object_set(doc, "online_level", json_object_get(cur, "online_level"));
	json_t *form = st.form_custom ? json_incref(cur_form) : catalog_form_derive(doc);
	doc_finish(doc);
	proc_write w = {.code = it->code,
	                .version = st.version + 1,
	                .doc = doc,
	                .form = form,
	                .actor = IMPORT_ACTOR,
	                .source_hash = it->hash,
	                .form_custom = st.form_custom,
	                .online_custom = st.online_custom};
	if (json_equal(doc, cur) && json_equal(form, cur_form)) {
		/* the source changed where motcua reads nothing: remember the hash */
		store_stmt *q;
		e = store_prepare(c, "UPDATE procedure SET source_hash = ?2 WHERE code = ?1", &q);
		if (!e) {
			bool row;
			store_bind_text(q, 1, it->code);
			store_bind_text(q, 2, it->hash);
			e = store_step(q, &row);
			store_finish(q);
		}
		if (!e)
			b->unchanged++;
	} else {
		e = write_version(c, &w);
		if (!e) {
			b->updated++;
			json_array_append_new(changed, json_string(it->code));
		}
	}
	json_decref(doc);
	json_decref(form);
	json_decref(cur);
	json_decref(cur_form);
	return e;
}

static mc_err import_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	import_batch *b = vctx;
	b->imported = b->updated = b->unchanged = 0;
	json_t *changed = json_array();
	mc_err e = MC_OK;
	for (int i = 0; i < b->n && !e; i++)
		e = import_one(c, &b->items[i], b, changed);
	if (!e && json_array_size(changed)) {
		json_t *detail =
		    json_pack("{s:s, s:i, s:i, s:O}", "file", b->file, "imported", (int)b->imported,
		              "updated", (int)b->updated, "codes", changed);
		e = audit_append(c, IMPORT_ACTOR, "catalog.import", "procedure", detail);
		json_decref(detail);
	}
	json_decref(changed);
	if (e && diag && !diag->detail[0])
		mc_fail(diag, e, "cannot store the imported procedures (%s)", mc_err_name(e));
	return e;
}

static void batch_clear(import_batch *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->items[i].code);
		json_decref(b->items[i].doc);
	}
	b->n = 0;
}

static mc_err batch_flush(store *s, import_batch *b, catalog_import_report *rep, mc_diag *diag)
{
	mc_err e = MC_OK;
	if (b->n && s) {
		e = store_write(s, import_fn, b, diag);
		if (!e) {
			rep->imported += b->imported;
			rep->updated += b->updated;
			rep->unchanged += b->unchanged;
		}
	} else if (b->n) {
		rep->imported += b->n; /* dry run: every record would be imported */
	}
	batch_clear(b);
	return e;
}

static void count_flags(catalog_import_report *rep, unsigned f)
{
	if (f & UNPARSED_TIME_LIMIT)
		rep->unparsed_time_limit++;
	if (f & UNPARSED_COMPONENTS)
		rep->unparsed_components++;
	if (f & UNPARSED_CHANNELS)
		rep->unparsed_channels++;
	if (f & UNPARSED_FEES)
		rep->unparsed_fees++;
	if (f & UNPARSED_LEVEL)
		rep->unparsed_level++;
	if (f & PARSED_UNIT_ASSUMED)
		rep->unit_assumed++;
	if (f & PARSED_TIME_FROM_TEXT)
		rep->time_from_text++;
	if (!(f & (UNPARSED_TIME_LIMIT | UNPARSED_COMPONENTS)))
		rep->complete++;
}

/* Counts the components of a parsed document by class. */
static void count_components(catalog_import_report *rep, json_t *doc)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(doc, "components"), i, c)
	{
		rep->components++;
		const char *kind = json_string_value(json_object_get(c, "kind"));
		if (kind && !strcmp(kind, "note"))
			rep->notes++;
		else if (json_is_true(json_object_get(c, "required")))
			rep->required_documents++;
		else
			rep->conditional_documents++;
		if (json_is_true(json_object_get(c, "presentation")))
			rep->shown++;
	}
}

/* Handles one line; counts it. */
static void import_line(char *line, size_t len, long lineno, import_batch *b,
                        catalog_import_report *rep)
{
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return; /* blank line */
	rep->read++;
	json_error_t jerr;
	json_t *rec = json_loadb(line, len, 0, &jerr);
	mc_diag d = {0};
	unsigned flags = 0;
	json_t *doc = rec ? catalog_from_portal(rec, &flags, &d) : NULL;
	if (!doc) {
		if (rep->failed < IMPORT_MAX_ERRORS_LOGGED)
			log_error("procedures line %ld: %s", lineno, rec ? d.detail : jerr.text);
		rep->failed++;
		json_decref(rec);
		return;
	}
	count_flags(rep, flags);
	count_components(rep, doc);
	import_item *it = &b->items[b->n++];
	it->code = mc_xstrdup(json_string_value(json_object_get(doc, "code")));
	doc_finish(doc);
	it->doc = doc;
	record_hash(rec, it->hash);
	json_decref(rec);
}

mc_err catalog_import_file(store *s, const char *path, catalog_import_report *rep, mc_diag *diag)
{
	memset(rep, 0, sizeof *rep);
	gzFile f = gzopen(path, "rb");
	if (!f)
		return mc_fail(diag, MC_ERR_IO, "cannot open %s", path);
	gzbuffer(f, 1 << 17);
	size_t cap = (size_t)IMPORT_MAX_LINE + 2;
	char *buf = mc_xmalloc(cap);
	import_batch *b = mc_xcalloc(1, sizeof *b);
	const char *base = strrchr(path, '/');
	b->file = base ? base + 1 : path;
	mc_err e = MC_OK;
	long lineno = 0;
	while (gzgets(f, buf, (int)cap)) {
		lineno++;
		size_t len = strlen(buf);
		if (len && buf[len - 1] != '\n' && !gzeof(f)) {
			/* longer than the cap: skip the rest of the line, count it failed */
			int ch;
			while ((ch = gzgetc(f)) != -1 && ch != '\n')
				;
			rep->read++;
			rep->failed++;
			if (rep->failed <= IMPORT_MAX_ERRORS_LOGGED)
				log_error("procedures line %ld: longer than %ld bytes", lineno,
				          (long)IMPORT_MAX_LINE);
			continue;
		}
		import_line(buf, len, lineno, b, rep);
		if (b->n == IMPORT_BATCH && (e = batch_flush(s, b, rep, diag)))
			break;
	}
	if (!e) {
		int zerr;
		const char *msg = gzerror(f, &zerr);
		if (zerr != Z_OK && zerr != Z_STREAM_END) {
			e = mc_fail(diag, MC_ERR_IO, "cannot read %s: %s", path, msg);
			/* keep what was read before the damage */
			mc_diag tmp = {0};
			batch_flush(s, b, rep, &tmp);
			mc_diag_clear(&tmp);
		} else {
			e = batch_flush(s, b, rep, diag);
		}
	}
	/* a bulk load leaves the search index in many small segments */
	if (!e && s && (rep->imported || rep->updated))
		e = store_optimize(s, diag);
	batch_clear(b);
	free(b);
	free(buf);
	gzclose(f);
	return e;
}

void catalog_report_print(const catalog_import_report *rep, FILE *f)
{
	long parsed = rep->read - rep->failed;
	fprintf(f, "procedures: read %ld, imported %ld, updated %ld, unchanged %ld, failed %ld\n",
	        rep->read, rep->imported, rep->updated, rep->unchanged, rep->failed);
	fprintf(f, "  with a time limit and a component list: %ld of %ld (%.1f %%)\n",
	        rep->complete, parsed,
	        parsed ? 100.0 * (double)rep->complete / (double)parsed : 0.0);
	fprintf(f,
	        "  could not parse: time limit %ld, components %ld, channels %ld, fees %ld, "
	        "level %ld\n",
	        rep->unparsed_time_limit, rep->unparsed_components, rep->unparsed_channels,
	        rep->unparsed_fees, rep->unparsed_level);
	fprintf(f,
	        "  time limits: unit assumed (bare number) in %ld records, taken from a "
	        "description in %ld\n",
	        rep->unit_assumed, rep->time_from_text);
	fprintf(f,
	        "  components: %ld: documents required %ld, conditional %ld; notes %ld; shown "
	        "(not handed in) %ld\n",
	        rep->components, rep->required_documents, rep->conditional_documents, rep->notes,
	        rep->shown);
}

/* ---- owner agencies ---- */

mc_err catalog_owner_agencies(store *s,
                              void (*fn)(const char *code, const char *name_vi, const char *name_en,
                                         void *ctx),
                              void *ctx)
{
	(void)s; /* the catalog's ministries are the fixed list of bo_nganh slugs */
	for (int i = 0; i < catalog_ministry_count(); i++) {
		const char *code, *vi, *en;
		catalog_ministry_at(i, &code, &vi, &en);
		fn(code, vi, en, ctx);
	}
	return MC_OK;
}

/* ---- list and search ---- */

typedef struct list_ctx {
	const catalog_query *q;
	char *folded_q, *folded_field;
	json_t *items; /* out */
	bool more;     /* out */
} list_ctx;

/* Level a People's Committee code stands for: UBND-01 -> province,
 * UBND-00004 -> commune; NULL for other agencies. */
static const char *committee_level(const char *agency)
{
	if (!text_starts_with(agency, "UBND-"))
		return NULL;
	const char *d = agency + 5;
	size_t n = 0;
	while (d[n] >= '0' && d[n] <= '9')
		n++;
	if (d[n])
		return NULL;
	return n == 2 ? "province" : n == 5 ? "commune" : NULL;
}

/* "%,X,%" with LIKE wildcards escaped by '\'. */
static char *like_member(const char *v)
{
	mc_buf b = {0};
	mc_buf_puts(&b, "%,");
	for (const char *p = v; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			mc_buf_append(&b, "\\", 1);
		mc_buf_append(&b, p, 1);
	}
	mc_buf_puts(&b, ",%");
	return mc_buf_cstr(&b);
}

static bool list_has(const char *list, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = list; p && (p = strstr(p, v)); p++) {
		if (p > list && p[-1] == ',' && p[n] == ',')
			return true;
	}
	return false;
}

/* Parsed list items (core/jcache.h), keyed by their own stored text: the
 * same text always parses to the same value, so an entry cannot be stale.
 * Lists answer from here instead of parsing every summary of every page
 * again (it was a quarter of a search's CPU). */
#define SUMMARY_CACHE_MAX_TEXT 4096
static jcache summary_cache = JCACHE_INIT(1024);

/* A new reference to the parsed summary `text`, or NULL when malformed. */
static json_t *summary_parse(const char *text)
{
	json_t *v = jcache_get(&summary_cache, text);
	if (v || !(v = json_loads(text, 0, NULL)) || strlen(text) > SUMMARY_CACHE_MAX_TEXT)
		return v;
	jcache_put(&summary_cache, text, v);
	return v;
}

static mc_err list_by_code(store_conn *c, list_ctx *x)
{
	const catalog_query *q = x->q;
	mc_buf sql = {0};
	const char *params[8];
	char *owned[8] = {0};
	int n = 0;
	mc_buf_puts(&sql, "SELECT summary FROM procedure WHERE code > ?1");
	params[n++] = q->after ? q->after : "";
	const char *level = q->level;
	if (level) {
		owned[n] = like_member(level);
		params[n] = owned[n];
		n++;
		mc_buf_printf(&sql, " AND levels LIKE ?%d ESCAPE '\\'", n);
	}
	if (x->folded_field) {
		params[n++] = x->folded_field;
		mc_buf_printf(&sql, " AND field_folded = ?%d", n);
	}
	if (q->agency) {
		const char *cl = committee_level(q->agency);
		owned[n] = like_member(cl ? cl : q->agency);
		params[n] = owned[n];
		n++;
		mc_buf_printf(&sql,
		              cl ? " AND levels LIKE ?%d ESCAPE '\\'"
		                 : " AND agencies LIKE ?%d ESCAPE '\\'",
		              n);
	}
	if (q->online) {
		params[n++] = q->online;
		mc_buf_printf(&sql, " AND online_level = ?%d", n);
	}
	mc_buf_printf(&sql, " ORDER BY code LIMIT %d", q->limit + 1);
	store_stmt *st;
	mc_err e = store_prepare(c, mc_buf_cstr(&sql), &st);
	if (e)
		goto out;
	for (int i = 0; i < n; i++)
		store_bind_text(st, i + 1, params[i]);
	bool row;
	int count = 0;
	while (!(e = store_step(st, &row)) && row) {
		if (count++ == q->limit) {
			x->more = true;
			break;
		}
		json_t *item = summary_parse(store_col_text(st, 0));
		if (item)
			json_array_append_new(x->items, item);
	}
	store_finish(st);
out:
	for (int i = 0; i < n; i++)
		free(owned[i]);
	mc_buf_free(&sql);
	return e;
}

typedef struct hits {
	char **keys;
	size_t n, cap;
} hits;

static bool collect_hit(const char *key, double rank, void *ctx)
{
	(void)rank;
	hits *h = ctx;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->keys = mc_xrealloc(h->keys, h->cap * sizeof *h->keys);
	}
	h->keys[h->n++] = mc_xstrdup(key);
	return h->n < SEARCH_MAX_HITS;
}

/* Filters of a query on one procedure row's columns. */
static bool row_matches(const list_ctx *x, const char *levels, const char *field_folded,
                        const char *agencies, const char *online)
{
	const catalog_query *q = x->q;
	if (q->level && !list_has(levels, q->level))
		return false;
	if (x->folded_field && (!field_folded || strcmp(field_folded, x->folded_field) != 0))
		return false;
	if (q->agency) {
		const char *cl = committee_level(q->agency);
		if (!(cl ? list_has(levels, cl) : list_has(agencies, q->agency)))
			return false;
	}
	if (q->online && strcmp(online, q->online) != 0)
		return false;
	return true;
}

typedef struct ranked {
	char **code, **summary; /* summary NULL until needed */
	size_t n, cap;
} ranked;

static void ranked_add(ranked *r, const char *code, const char *summary)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->code = mc_xrealloc(r->code, r->cap * sizeof *r->code);
		r->summary = mc_xrealloc(r->summary, r->cap * sizeof *r->summary);
	}
	r->code[r->n] = mc_xstrdup(code);
	r->summary[r->n] = summary ? mc_xstrdup(summary) : NULL;
	r->n++;
}

static bool ranked_has(const ranked *r, size_t upto, const char *code)
{
	for (size_t i = 0; i < upto; i++) {
		if (!strcmp(r->code[i], code))
			return true;
	}
	return false;
}

static void ranked_free(ranked *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->code[i]);
		free(r->summary[i]);
	}
	free(r->code);
	free(r->summary);
}

static const char row_sql[] = "SELECT summary, levels, field_folded, agencies, online_level, code "
                              "FROM procedure WHERE ";

/* Ranking: procedures whose whole name (without "Thủ tục") is the query
 * come first, then the text index's order (phrase at the start of the
 * name, phrase anywhere, BM25). Without filters only the page's rows are
 * read; with filters every hit (at most SEARCH_MAX_HITS) is checked. */
static mc_err search(store_conn *c, list_ctx *x)
{
	const catalog_query *q = x->q;
	bool filtered = q->level || x->folded_field || q->agency || q->online;
	ranked r = {0};
	hits h = {0};
	store_stmt *st;
	bool row;
	char *sql = mc_xasprintf("%sname_folded = ?1 ORDER BY code", row_sql);
	mc_err e = store_prepare(c, sql, &st);
	free(sql);
	if (e)
		goto out;
	const char *exact = x->folded_q;
	if (text_starts_with(exact, "thu tuc "))
		exact += 8;
	store_bind_text(st, 1, exact);
	while (!(e = store_step(st, &row)) && row) {
		if (row_matches(x, store_col_text(st, 1), store_col_text(st, 2),
		                store_col_text(st, 3), store_col_text(st, 4)))
			ranked_add(&r, store_col_text(st, 5), store_col_text(st, 0));
	}
	store_finish(st);
	if (e)
		goto out;
	size_t nexact = r.n;
	size_t want = (size_t)q->offset + (size_t)q->limit + 1;
	int fetch = filtered ? SEARCH_MAX_HITS : (int)(want + nexact);
	if (fetch > SEARCH_MAX_HITS)
		fetch = SEARCH_MAX_HITS;
	if ((e = store_text_search(c, TEXT_INDEX, x->folded_q, fetch, 0, collect_hit, &h)))
		goto out;
	sql = mc_xasprintf("%scode = ?1", row_sql);
	for (size_t i = 0; i < h.n && !e; i++) {
		if (ranked_has(&r, nexact, h.keys[i]))
			continue;
		if (!filtered) {
			ranked_add(&r, h.keys[i], NULL);
			continue;
		}
		if ((e = store_prepare(c, sql, &st)))
			break;
		store_bind_text(st, 1, h.keys[i]);
		e = store_step(st, &row);
		if (!e && row &&
		    row_matches(x, store_col_text(st, 1), store_col_text(st, 2),
		                store_col_text(st, 3), store_col_text(st, 4)))
			ranked_add(&r, h.keys[i], store_col_text(st, 0));
		store_finish(st);
	}
	for (size_t i = (size_t)q->offset; !e && i < r.n && i < want - 1; i++) {
		if (!r.summary[i]) {
			if ((e = store_prepare(c, sql, &st)))
				break;
			store_bind_text(st, 1, r.code[i]);
			e = store_step(st, &row);
			if (!e && row)
				r.summary[i] = mc_xstrdup(store_col_text(st, 0));
			store_finish(st);
		}
		json_t *item = r.summary[i] ? summary_parse(r.summary[i]) : NULL;
		if (item)
			json_array_append_new(x->items, item);
	}
	free(sql);
	x->more = r.n >= want;
out:
	ranked_free(&r);
	for (size_t i = 0; i < h.n; i++)
		free(h.keys[i]);
	free(h.keys);
	return e;
}

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = json_array();
	x->more = false;
	mc_err e = x->folded_q ? search(c, x) : list_by_code(c, x);
	if (e)
		mc_fail(diag, e, "cannot list procedures");
	return e;
}

mc_err catalog_list(store *s, const catalog_query *q, json_t **items, bool *more, mc_diag *diag)
{
	list_ctx x = {.q = q};
	if (q->q) {
		x.folded_q = text_fold(q->q);
		if (!*x.folded_q) {
			free(x.folded_q);
			x.folded_q = NULL;
		}
	}
	if (q->field)
		x.folded_field = text_fold(q->field);
	mc_err e = store_read(s, list_fn, &x, diag);
	free(x.folded_q);
	free(x.folded_field);
	if (e) {
		json_decref(x.items);
		*items = NULL;
		return e;
	}
	*items = x.items;
	*more = x.more;
	return MC_OK;
}

/* ---- admin writes ---- */

static mc_err unprocessable(mc_diag *diag, json_t *errors)
{
	mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Thông tin thủ tục không hợp lệ.",
	         "the procedure has invalid members");
	mc_diag_ext(diag, "errors", errors);
	return MC_ERR_UNPROCESSABLE;
}

/* Validates an admin document (read-only members already removed). */
static json_t *check_doc(json_t *doc)
{
	return catalog_doc_check(doc);
}

typedef struct admin_ctx {
	const char *actor;
	const char *code;
	json_t *body; /* borrowed */
	json_t *out;  /* out */
} admin_ctx;

/* Fills defaults of a new document (empty arrays, agency from the
 * ministry, classification of components given without a kind). */
static void doc_defaults(json_t *doc)
{
	static const char *const arrays[] = {"level", "agency",      "channels", "components",
	                                     "steps", "legal_basis", "result",   NULL};
	for (const char *const *k = arrays; *k; k++) {
		if (!json_object_get(doc, *k))
			json_object_set_new(doc, *k, json_array());
	}
	const char *m = json_string_value(json_object_get(doc, "ministry"));
	if (m && !json_array_size(json_object_get(doc, "agency")))
		json_array_append_new(json_object_get(doc, "agency"), json_string(m));
	if (!json_object_get(doc, "ministry"))
		json_object_set_new(doc, "ministry", json_null());
	catalog_components_classify(json_object_get(doc, "components"));
}

/* Adds the problems of an admin's eForm to `errors`, their paths under
 * "$.form". */
static void add_form_errors(json_t *errors, json_t *form)
{
	json_t *fe = catalog_form_check(form);
	size_t i;
	json_t *v;
	json_array_foreach(fe, i, v)
	{
		char *p =
		    mc_xasprintf("$.form%s", json_string_value(json_object_get(v, "path")) + 1);
		json_array_append_new(errors, json_pack("{s:s, s:O, s:O}", "path", p, "message",
		                                        json_object_get(v, "message"), "message_vi",
		                                        json_object_get(v, "message_vi")));
		free(p);
	}
	json_decref(fe);
}

/* Sets the computed online level unless the admin chose one. */
static void online_default(json_t *doc, bool online_custom)
{
	if (online_custom)
		return;
	char *steps = steps_text(doc);
	json_object_set_new(doc, "online_level",
	                    json_string(catalog_online_heuristic(doc, steps, NULL)));
	free(steps);
}

/* Writes version w, audits `action` with `detail` (stolen) and, unless
 * out is NULL, reads the procedure back into *out. */
static mc_err write_audited(store_conn *c, const proc_write *w, const char *action, json_t *detail,
                            json_t **out, mc_diag *diag)
{
	mc_err e = write_version(c, w);
	if (!e)
		e = audit_append(c, w->actor, action, w->code, detail);
	json_decref(detail);
	if (!e && out)
		e = catalog_procedure_get(c, w->code, 0, out, diag);
	return e;
}

/* State and current version of the procedure an admin changes: NOT_FOUND
 * when it does not exist. */
static mc_err load_current(store_conn *c, const char *code, proc_state *st, json_t **doc,
                           json_t **form, mc_diag *diag)
{
	mc_err e = load_existing(c, code, st, diag);
	return e ? e : load_version(c, code, st->version, doc, form, NULL, 0);
}

/* Runs an admin write function fn with x; *out = x->out on success. */
static mc_err admin_write(store *s, store_fn fn, admin_ctx *x, json_t **out, mc_diag *diag)
{
	mc_err e = store_write(s, fn, x, diag);
	if (e) {
		json_decref(x->out);
		x->out = NULL;
	}
	*out = x->out;
	return e;
}

static mc_err body_object(json_t *body, mc_diag *diag)
{
	if (json_is_object(body))
		return MC_OK;
	return mc_fail2(diag, MC_ERR_INVALID, "Nội dung phải là một đối tượng JSON.",
	                "the body must be a JSON object");
}

static mc_err create_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	admin_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	mc_diag_clear(diag);
	json_t *doc = json_deep_copy(x->body);
	json_t *form = json_incref(json_object_get(doc, "form"));
	strip_readonly(doc);
	const char *code = json_string_value(json_object_get(doc, "code"));
	mc_err e = MC_OK;
	json_t *errors = check_doc(doc);
	if (form)
		add_form_errors(errors, form);
	if (json_array_size(errors)) {
		e = unprocessable(diag, errors);
		errors = NULL;
		goto out;
	}
	proc_state st;
	if ((e = load_state(c, code, &st)))
		goto out;
	if (st.exists) {
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Mã thủ tục đã tồn tại.",
		             "procedure %s already exists", code);
		goto out;
	}
	doc_defaults(doc);
	bool online_custom = json_object_get(doc, "online_level") != NULL;
	online_default(doc, online_custom);
	if (!form)
		form = catalog_form_derive(doc);
	doc_finish(doc);
	proc_write w = {.code = code,
	                .version = 1,
	                .doc = doc,
	                .form = form,
	                .actor = x->actor,
	                .form_custom = json_object_get(x->body, "form") != NULL,
	                .online_custom = online_custom};
	e = write_audited(c, &w, "catalog.procedure.create",
	                  json_pack("{s:s, s:i}", "code", code, "version", 1), &x->out, diag);
out:
	json_decref(errors);
	json_decref(doc);
	json_decref(form);
	return e;
}

mc_err catalog_create(store *s, const char *actor, json_t *body, json_t **out, mc_diag *diag)
{
	admin_ctx x = {.actor = actor, .body = body};
	*out = NULL;
	mc_err e = body_object(body, diag);
	return e ? e : admin_write(s, create_fn, &x, out, diag);
}

/* Names of the members of `body` that differ from `cur`. */
static json_t *changed_members(json_t *cur, json_t *next)
{
	json_t *names = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(next, k, v)
	{
		if (!json_equal(v, json_object_get(cur, k)))
			json_array_append_new(names, json_string(k));
	}
	return names;
}

static mc_err update_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	admin_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	mc_diag_clear(diag);
	json_t *cur = NULL, *cur_form = NULL, *doc = NULL, *form = NULL, *errors = NULL;
	proc_state st;
	mc_err e = load_current(c, x->code, &st, &cur, &cur_form, diag);
	if (e)
		goto out;
	doc = json_deep_copy(cur);
	json_t *patch = json_deep_copy(x->body);
	json_t *new_form = json_incref(json_object_get(patch, "form"));
	strip_readonly(patch);
	json_object_update(doc, patch);
	json_decref(patch);
	strip_readonly(doc);
	errors = check_doc(doc);
	const char *code = json_string_value(json_object_get(doc, "code"));
	if (code && strcmp(code, x->code) != 0)
		json_array_append_new(errors,
		                      json_pack("{s:s, s:s, s:s}", "path", "$.code", "message",
		                                "must equal the code in the URL", "message_vi",
		                                "phải trùng với mã thủ tục trên đường dẫn"));
	if (new_form)
		add_form_errors(errors, new_form);
	if (json_array_size(errors)) {
		json_decref(new_form);
		e = unprocessable(diag, errors);
		errors = NULL;
		goto out;
	}
	/* components sent without a kind are classified like imported ones */
	if (json_object_get(x->body, "components"))
		catalog_components_classify(json_object_get(doc, "components"));
	bool online_custom = st.online_custom || json_object_get(x->body, "online_level") != NULL;
	online_default(doc, online_custom);
	bool form_custom = st.form_custom || new_form != NULL;
	form = new_form ? new_form : form_custom ? json_incref(cur_form) : catalog_form_derive(doc);
	doc_finish(doc);
	if (json_equal(doc, cur) && json_equal(form, cur_form)) {
		/* nothing changed: no new version */
		e = catalog_procedure_get(c, x->code, 0, &x->out, diag);
		goto out;
	}
	proc_write w = {.code = x->code,
	                .version = st.version + 1,
	                .doc = doc,
	                .form = form,
	                .actor = x->actor,
	                .form_custom = form_custom,
	                .online_custom = online_custom};
	json_t *names = changed_members(cur, doc);
	if (!json_equal(form, cur_form))
		json_array_append_new(names, json_string("form"));
	e = write_audited(c, &w, "catalog.procedure.update",
	                  json_pack("{s:i, s:o}", "version", st.version + 1, "changed", names),
	                  &x->out, diag);
out:
	json_decref(errors);
	json_decref(cur);
	json_decref(cur_form);
	json_decref(doc);
	json_decref(form);
	return e;
}

mc_err catalog_update(store *s, const char *actor, const char *code, json_t *body, json_t **out,
                      mc_diag *diag)
{
	admin_ctx x = {.actor = actor, .code = code, .body = body};
	*out = NULL;
	mc_err e = body_object(body, diag);
	return e ? e : admin_write(s, update_fn, &x, out, diag);
}

static mc_err form_put_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	admin_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	mc_diag_clear(diag);
	json_t *cur = NULL, *cur_form = NULL;
	proc_state st;
	mc_err e = load_current(c, x->code, &st, &cur, &cur_form, diag);
	if (e)
		goto out;
	int version = st.version;
	if (!json_equal(cur_form, x->body) || !st.form_custom) {
		version = st.version + 1;
		proc_write w = {.code = x->code,
		                .version = version,
		                .doc = cur,
		                .form = x->body,
		                .actor = x->actor,
		                .form_custom = true,
		                .online_custom = st.online_custom};
		e = write_audited(c, &w, "catalog.form.update",
		                  json_pack("{s:i}", "version", version), NULL, diag);
		if (e)
			goto out;
	}
	x->out = json_pack("{s:s, s:i, s:O}", "code", x->code, "version", version, "form", x->body);
out:
	json_decref(cur);
	json_decref(cur_form);
	return e;
}

mc_err catalog_form_put(store *s, const char *actor, const char *code, json_t *schema, json_t **out,
                        mc_diag *diag)
{
	*out = NULL;
	json_t *errors = catalog_form_check(schema);
	if (json_array_size(errors)) {
		mc_fail2(diag, MC_ERR_UNPROCESSABLE,
		         "Biểu mẫu không phải lược đồ JSON Schema hợp lệ (tập con được hỗ trợ).",
		         "the form is not a valid schema of the supported JSON Schema subset");
		mc_diag_ext(diag, "errors", errors);
		return MC_ERR_UNPROCESSABLE;
	}
	json_decref(errors);
	admin_ctx x = {.actor = actor, .code = code, .body = schema};
	return admin_write(s, form_put_fn, &x, out, diag);
}

/* ---- versions ---- */

typedef struct versions_ctx {
	const char *code;
	int before, limit;
	json_t *items; /* out */
	bool more;     /* out */
} versions_ctx;

static mc_err versions_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	versions_ctx *x = vctx;
	json_decref(x->items);
	x->items = json_array();
	x->more = false;
	proc_state st;
	mc_err e = load_existing(c, x->code, &st, diag);
	if (e)
		return e;
	store_stmt *q;
	e = store_prepare(c,
	                  "SELECT version, created_at, created_by FROM procedure_version "
	                  "WHERE code = ?1 AND version < ?2 ORDER BY version DESC LIMIT ?3",
	                  &q);
	if (e)
		return e;
	store_bind_text(q, 1, x->code);
	store_bind_int(q, 2, x->before > 0 ? x->before : INT32_MAX);
	store_bind_int(q, 3, x->limit + 1);
	bool row;
	int n = 0;
	while (!(e = store_step(q, &row)) && row) {
		if (n++ == x->limit) {
			x->more = true;
			break;
		}
		int v = (int)store_col_int(q, 0);
		json_array_append_new(x->items,
		                      json_pack("{s:i, s:s, s:s, s:b}", "version", v, "created_at",
		                                store_col_text(q, 1), "created_by",
		                                store_col_text(q, 2), "current", v == st.version));
	}
	store_finish(q);
	return e;
}

mc_err catalog_versions(store *s, const char *code, int before, int limit, json_t **items,
                        bool *more, mc_diag *diag)
{
	versions_ctx x = {.code = code, .before = before, .limit = limit};
	mc_err e = store_read(s, versions_fn, &x, diag);
	if (e) {
		json_decref(x.items);
		*items = NULL;
		return e;
	}
	*items = x.items;
	*more = x.more;
	return MC_OK;
}

/* ---- CLI ---- */

static const char cli_usage[] =
    "Usage: motcua import procedures FILE [--data DIR]\n"
    "\n"
    "Imports procedure records in the national portal's format (one JSON object\n"
    "per line; FILE may be .jsonl or .jsonl.gz) into the catalog of the data\n"
    "directory DIR. A record whose content changed gets a new version; an\n"
    "unchanged record is left alone; a malformed line is counted as failed.\n"
    "Without --data the file is only parsed and the report printed.\n"
    "\n"
    "Prints: records read, imported, updated, unchanged, failed, and per field\n"
    "how many values could not be parsed.\n"
    "\n"
    "Options:\n"
    "  --data DIR   data directory created by `motcua init`\n"
    "  --db URL     PostgreSQL database (postgresql://...; default $MOTCUA_DB)\n"
    "  --help       show this help\n";

int catalog_cli_import(int argc, char **argv)
{
	const char *data = NULL, *file = NULL, *db = NULL;
	int i = 0;
	if (i < argc && !strcmp(argv[i], "import"))
		i++;
	if (i < argc && !strcmp(argv[i], "procedures"))
		i++;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(cli_usage, stdout);
			return 0;
		} else if (!strcmp(a, "--data")) {
			if (i + 1 >= argc)
				return cli_usage_error("import", "import procedures",
				                       "--data needs a directory", NULL);
			data = argv[++i];
		} else if (!strncmp(a, "--data=", 7)) {
			data = a + 7;
		} else if (!strcmp(a, "--db")) {
			if (i + 1 >= argc)
				return cli_usage_error("import", "import procedures",
				                       "--db needs a URL", NULL);
			db = argv[++i];
		} else if (!strncmp(a, "--db=", 5)) {
			db = a + 5;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("import", "import procedures", "unknown option", a);
		} else if (!file) {
			file = a;
		} else {
			return cli_usage_error("import", "import procedures", "unexpected argument",
			                       a);
		}
	}
	if (!file)
		return cli_usage_error("import", "import procedures", "missing FILE", NULL);
	if (data && !*data)
		return cli_usage_error("import", "import procedures", "empty --data", NULL);
	if (data || (db && *db))
		data = cli_db(db, data);
	store *s = NULL;
	mc_diag diag = {0};
	int rc = 1;
	mc_err e;
	if (data) {
		int applied = 0;
		if ((e = store_open(data, false, &s, &diag)) ||
		    (e = store_migrate(s, &applied, &diag))) {
			fprintf(stderr, "motcua import: cannot open %s: %s\n",
			        store_url_is_pg(data) ? "the database" : data,
			        diag.detail[0] ? diag.detail : mc_err_name(e));
			goto out;
		}
	}
	catalog_import_report rep;
	e = catalog_import_file(s, file, &rep, &diag);
	if (!e || rep.read)
		catalog_report_print(&rep, stdout);
	if (e) {
		fprintf(stderr, "motcua import: %s\n",
		        diag.detail[0] ? diag.detail : mc_err_name(e));
		goto out;
	}
	if (!data)
		printf("(dry run: nothing stored; use --data DIR to import)\n");
	rc = 0;
out:
	mc_diag_clear(&diag);
	store_close(s);
	return rc;
}
