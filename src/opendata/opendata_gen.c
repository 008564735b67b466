/* opendata_gen.c - datasets motcua generates itself, refreshed by a
 * background thread (and `motcua opendata refresh`): the procedure catalog
 * (from the catalog module's public list), dossier statistics per
 * procedure, agency and commune per month (from dossier_stats_each), the
 * Decision 766 index per province and per agency (from what exists:
 * progress, online submission, digitized dossiers from
 * dossier_digitized_each and satisfaction; weights and thresholds in
 * DATA/opendata/766.json) and satisfaction per agency per month (from
 * satisfaction_monthly_each). Owned by the Office of the Government agency
 * "VPCP". Counts under opendata_min_count() are suppressed (written as
 * empty cells). */
#include "opendata/opendata.h"

#include "catalog/catalog.h"
#include "core/log.h"
#include "core/mem.h"
#include "dossier/dossier.h"
#include "satisfaction/satisfaction.h"
#include "territory/territory.h"
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OWNER "VPCP"

int opendata_min_count(void)
{
	const char *e = getenv("MOTCUA_OPENDATA_MIN_COUNT");
	int v = e ? atoi(e) : 5;
	return v > 0 ? v : 5;
}

static void csv_cell(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
	fputc('"', f);
	fputc(last ? '\n' : ',', f);
}

static mc_err owner_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)ctx;
	(void)diag;
	return territory_ensure_agency(c, OWNER, "Văn phòng Chính phủ", "Office of the Government",
	                               "central", NULL, NULL);
}

static json_t *field(const char *name, const char *type, const char *title)
{
	return json_pack("{s:s,s:s,s:s}", "name", name, "type", type, "title", title);
}

typedef struct existing_ctx {
	const char *name;
	json_t *out;
} existing_ctx;

/* store_read callback: x->out = the dataset named x->name, NULL if none. */
static mc_err existing_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	existing_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	mc_err e = opendata_dataset_get(c, x->name, &x->out, NULL);
	return e == MC_ERR_NOT_FOUND ? MC_OK : e;
}

/* Creates or updates the generated dataset `body` and stores `tmp` (may be
 * NULL) as a new version of its first resource. */
static mc_err publish(mc_app *app, json_t *body, const char *tmp, mc_diag *diag)
{
	json_t *d = NULL;
	const char *name = json_string_value(json_object_get(body, "name"));
	/* keep the resource id (and so its versions): the existing dataset's
	 * first resource */
	existing_ctx ex = {.name = name};
	json_t *old = NULL;
	if (store_read(app->db, existing_fn, &ex, NULL) == MC_OK && ex.out) {
		json_t *r0 = json_array_get(json_object_get(ex.out, "resources"), 0);
		json_t *b0 = json_array_get(json_object_get(body, "resources"), 0);
		if (r0 && b0)
			json_object_set(b0, "id", json_object_get(r0, "id"));
	}
	json_decref(ex.out);
	mc_err e = opendata_dataset_save_system(app, name, body, &old, diag);
	if (e) {
		if (tmp)
			unlink(tmp);
		return e;
	}
	json_t *r = json_array_get(json_object_get(old, "resources"), 0);
	if (tmp && r) {
		e = opendata_content_commit(
		    app, "system", json_string_value(json_object_get(r, "id")), tmp, &d, diag);
		json_decref(d);
	} else if (tmp) {
		unlink(tmp);
	}
	json_decref(old);
	return e;
}

static json_t *base_body(const char *name, const char *tvi, const char *ten, const char *dvi,
                         const char *den, const char *theme, const char *freq)
{
	return json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s},s:{s:[s,s],s:[s,s]},s:[s],s:s,s:s,"
	                 "s:{s:s,s:s}}",
	                 "name", name, "agency", OWNER, "title", "vi", tvi, "en", ten,
	                 "description", "vi", dvi, "en", den, "keywords", "vi", "dữ liệu mở",
	                 "thống kê", "en", "open data", "statistics", "themes", theme, "license",
	                 "CC-BY-4.0", "frequency", freq, "contact", "name", "Văn phòng Chính phủ",
	                 "email", "opendata@motcua.gov.vn");
}

static char *tmp_file(mc_app *app, FILE **f)
{
	char *dir = opendata_dir(app, "tmp");
	unsigned char b[16];
	char hex[33];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(hex, sizeof hex, b, sizeof b);
	char *p = mc_xasprintf("%s/gen-%s", dir, hex);
	free(dir);
	*f = fopen(p, "wx");
	return p;
}

static mc_err gen_procedures(mc_app *app, long *rows, mc_diag *diag)
{
	json_t *schema = json_pack("{s:[o,o,o,o,o,o,o]}", "fields",
	                           field("code", "string", "Mã thủ tục / procedure code"),
	                           field("name", "string", "Tên thủ tục / procedure name"),
	                           field("level", "string", "Cấp thực hiện / level"),
	                           field("field", "string", "Lĩnh vực / field"),
	                           field("ministry", "string", "Bộ, ngành / ministry"),
	                           field("online_level", "string", "Mức trực tuyến / online level"),
	                           field("version", "integer", "Phiên bản / version"));
	json_object_set_new(json_array_get(json_object_get(schema, "fields"), 0), "constraints",
	                    json_pack("{s:b}", "required", 1));
	json_t *body =
	    base_body("motcua-procedure-catalog", "Danh mục thủ tục hành chính",
	              "Catalog of administrative procedures",
	              "Các thủ tục hành chính trong cơ sở dữ liệu quốc gia, do motcua tạo tự động.",
	              "Administrative procedures of the national database, generated by motcua.",
	              "GOVE", "DAILY");
	json_object_set_new(body, "resources",
	                    json_pack("[{s:s,s:s,s:s,s:o}]", "name", "procedures.csv",
	                              "description", "Một dòng mỗi thủ tục / one row per procedure",
	                              "format", "CSV", "schema", schema));
	FILE *f;
	char *tmp = tmp_file(app, &f);
	mc_err e = MC_OK;
	if (!f) {
		free(tmp);
		json_decref(body);
		return mc_fail(diag, MC_ERR_IO, "cannot create a temporary file");
	}
	fputs("code,name,level,field,ministry,online_level,version\n", f);
	catalog_query q = {.limit = 100};
	char after[64] = "";
	for (;;) {
		json_t *items = NULL;
		bool more = false;
		q.after = after[0] ? after : NULL;
		e = catalog_list(app->db, &q, &items, &more, diag);
		if (e)
			break;
		size_t i;
		json_t *p;
		json_array_foreach(items, i, p)
		{
			const char *cols[] = {"code",  "name",     "level",
			                      "field", "ministry", "online_level"};
			for (int k = 0; k < 6; k++) {
				json_t *v = json_object_get(p, cols[k]);
				csv_cell(f, json_is_string(v) ? json_string_value(v) : "", false);
			}
			fprintf(f, "%" JSON_INTEGER_FORMAT "\n",
			        json_integer_value(json_object_get(p, "version")));
			(*rows)++;
		}
		json_t *last = json_array_get(items, json_array_size(items) - 1);
		if (last)
			snprintf(after, sizeof after, "%s",
			         json_string_value(json_object_get(last, "code")));
		json_decref(items);
		if (!more || !last)
			break;
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		e = e ? e : mc_fail(diag, MC_ERR_IO, "cannot write the catalog file");
	fclose(f);
	if (!e)
		e = publish(app, body, tmp, diag);
	else
		unlink(tmp);
	free(tmp);
	json_decref(body);
	return e;
}

/* ---- dossier statistics and the 766 index ---- */

enum { C_SUBMITTED, C_RECEIVED, C_ONLINE, C_FINISHED, C_ON_TIME, C_LATE, C_N };

typedef struct stat_ctx {
	json_t *by_proc;   /* "YYYY-MM|procedure" -> [C_N counts] */
	json_t *by_agency; /* "YYYY-MM|agency" -> [C_N counts] */
} stat_ctx;

static void bump(json_t *map, const char *key, const dossier_stat *d)
{
	json_t *a = json_object_get(map, key);
	if (!a) {
		a = json_array();
		for (int i = 0; i < C_N; i++)
			json_array_append_new(a, json_integer(0));
		json_object_set_new(map, key, a);
	}
	bool on[C_N] = {
	    [C_SUBMITTED] = true,
	    [C_RECEIVED] = d->received_at != NULL,
	    [C_ONLINE] = d->channel && strcmp(d->channel, "online") == 0,
	    [C_FINISHED] = d->finished_at != NULL,
	    [C_ON_TIME] = d->timeliness && strcmp(d->timeliness, "on_time") == 0,
	    [C_LATE] = d->timeliness && strcmp(d->timeliness, "late") == 0,
	};
	for (int i = 0; i < C_N; i++)
		if (on[i])
			json_array_set_new(
			    a, (size_t)i,
			    json_integer(json_integer_value(json_array_get(a, (size_t)i)) + 1));
}

static void on_dossier(const dossier_stat *d, void *vctx)
{
	stat_ctx *x = vctx;
	if (!d->submitted_at || strlen(d->submitted_at) < 7)
		return;
	char key[160];
	snprintf(key, sizeof key, "%.7s|%s", d->submitted_at, d->procedure_code);
	bump(x->by_proc, key, d);
	snprintf(key, sizeof key, "%.7s|%s", d->submitted_at, d->receiving_agency);
	bump(x->by_agency, key, d);
}

static mc_err stats_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	stat_ctx *x = vctx;
	json_object_clear(x->by_proc);
	json_object_clear(x->by_agency);
	return dossier_stats_each(c, on_dossier, x);
}

typedef struct place_ctx {
	json_t *agencies; /* agency -> ["commune", "province"] filled here */
} place_ctx;

/* Commune and province of every agency in the map (territory module). */
static mc_err place_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	place_ctx *x = vctx;
	const char *code;
	json_t *v;
	json_object_foreach(x->agencies, code, v)
	{
		json_t *ag = NULL, *unit = NULL;
		const char *commune = "", *province = "";
		if (territory_agency_get(c, code, &ag, NULL) == MC_OK &&
		    json_string_value(json_object_get(ag, "unit")) &&
		    territory_unit_get(c, json_string_value(json_object_get(ag, "unit")), false,
		                       &unit, NULL) == MC_OK) {
			const char *level = json_string_value(json_object_get(unit, "level"));
			const char *ucode = json_string_value(json_object_get(unit, "code"));
			if (level && strcmp(level, "commune") == 0) {
				commune = ucode;
				const char *parent =
				    json_string_value(json_object_get(unit, "parent"));
				province = parent ? parent : "";
			} else if (level && strcmp(level, "province") == 0) {
				province = ucode;
			}
		}
		json_array_clear(v);
		json_array_append_new(v, json_string(commune ? commune : ""));
		json_array_append_new(v, json_string(province ? province : ""));
		json_decref(ag);
		json_decref(unit);
	}
	return MC_OK;
}

/* Adds the counts of `src` into map[key]. */
static void add_counts(json_t *map, const char *key, json_t *src)
{
	json_t *a = json_object_get(map, key);
	if (!a) {
		json_object_set_new(map, key, json_deep_copy(src));
		return;
	}
	for (size_t i = 0; i < C_N; i++)
		json_array_set_new(a, i,
		                   json_integer(json_integer_value(json_array_get(a, i)) +
		                                json_integer_value(json_array_get(src, i))));
}

/* A count as published: blank when 0 < n < min (it could single out
 * someone). */
static bool shown(json_int_t n)
{
	return n == 0 || n >= opendata_min_count();
}

static void put_count(FILE *f, json_int_t n, bool last)
{
	if (shown(n))
		fprintf(f, "%" JSON_INTEGER_FORMAT, n);
	fputc(last ? '\n' : ',', f);
}

static void put_share(FILE *f, json_int_t num, json_int_t den, bool last)
{
	if (den > 0 && shown(num) && shown(den))
		fprintf(f, "%.4f", (double)num / (double)den);
	fputc(last ? '\n' : ',', f);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of a JSON object, sorted (bytewise), in a new array of borrowed
 * strings; *n their count. */
static const char **sorted_keys(json_t *map, size_t *n)
{
	*n = json_object_size(map);
	const char **keys = mc_xcalloc(*n ? *n : 1, sizeof *keys);
	size_t i = 0;
	const char *k;
	json_t *v;
	json_object_foreach(map, k, v) keys[i++] = k;
	qsort(keys, *n, sizeof *keys, key_cmp);
	return keys;
}

static json_t *count_schema(const char *key, const char *key_title)
{
	json_t *fields = json_array();
	json_t *m = field("month", "string", "Tháng nộp / month submitted (YYYY-MM)");
	json_object_set_new(m, "constraints", json_pack("{s:b}", "required", 1));
	json_array_append_new(fields, m);
	json_array_append_new(fields, field(key, "string", key_title));
	const char *cols[][2] = {
	    {"submitted", "Hồ sơ nộp / dossiers submitted"},
	    {"received", "Đã tiếp nhận / received"},
	    {"online", "Nộp trực tuyến / submitted online"},
	    {"online_share", "Tỷ lệ trực tuyến / online share"},
	    {"finished", "Đã giải quyết / finished"},
	    {"on_time", "Đúng hạn / on time"},
	    {"late", "Trễ hạn / late"},
	};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		json_t *f = field(cols[i][0],
		                  strcmp(cols[i][0], "online_share") == 0 ? "number" : "integer",
		                  cols[i][1]);
		json_object_set_new(f, "constraints", json_pack("{s:i}", "minimum", 0));
		json_array_append_new(fields, f);
	}
	/* an empty cell is a count under the suppression threshold */
	return json_pack("{s:o,s:[s]}", "fields", fields, "missingValues", "");
}

/* Writes one statistics CSV of `map` ("YYYY-MM|key" -> counts) to a new
 * temporary file; returns its path. */
static char *write_counts(mc_app *app, json_t *map, const char *key_name, long *rows, mc_err *e,
                          mc_diag *diag)
{
	FILE *f;
	char *tmp = tmp_file(app, &f);
	if (!f) {
		*e = mc_fail(diag, MC_ERR_IO, "cannot create a temporary file");
		free(tmp);
		return NULL;
	}
	fprintf(f, "month,%s,submitted,received,online,online_share,finished,on_time,late\n",
	        key_name);
	size_t n;
	const char **keys = sorted_keys(map, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_object_get(map, keys[i]);
		const char *bar = strchr(keys[i], '|');
		if (!bar || !bar[1])
			continue;
		json_int_t c[C_N];
		for (int k = 0; k < C_N; k++)
			c[k] = json_integer_value(json_array_get(a, (size_t)k));
		fprintf(f, "%.7s,", keys[i]);
		csv_cell(f, bar + 1, false);
		put_count(f, c[C_SUBMITTED], false);
		put_count(f, c[C_RECEIVED], false);
		put_count(f, c[C_ONLINE], false);
		put_share(f, c[C_ONLINE], c[C_SUBMITTED], false);
		put_count(f, c[C_FINISHED], false);
		put_count(f, c[C_ON_TIME], false);
		put_count(f, c[C_LATE], true);
		(*rows)++;
	}
	free(keys);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		*e = mc_fail(diag, MC_ERR_IO, "cannot write statistics");
	fclose(f);
	return tmp;
}

/* ---- satisfaction (ratings of the satisfaction module) ---- */

enum { S_RATED, S_SATISFIED, S_N };

static void on_month(const satisfaction_month *m, void *vctx)
{
	json_t *map = vctx;
	char key[160];
	snprintf(key, sizeof key, "%.7s|%s", m->month, m->agency);
	json_t *a = json_object_get(map, key);
	if (!a) {
		a = json_pack("[i,i]", 0, 0);
		json_object_set_new(map, key, a);
	}
	json_array_set_new(a, S_RATED,
	                   json_integer(json_integer_value(json_array_get(a, S_RATED)) + m->rated));
	json_array_set_new(
	    a, S_SATISFIED,
	    json_integer(json_integer_value(json_array_get(a, S_SATISFIED)) + m->satisfied));
}

/* store_read callback: ctx (a JSON object) = "YYYY-MM|agency" -> [rated,
 * satisfied]. */
static mc_err ratings_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	json_object_clear(vctx);
	return satisfaction_monthly_each(c, on_month, vctx);
}

static mc_err gen_satisfaction(mc_app *app, long *rows, mc_diag *diag)
{
	json_t *fields = json_array();
	json_t *m = field("month", "string", "Tháng đánh giá / month rated (YYYY-MM)");
	json_object_set_new(m, "constraints", json_pack("{s:b}", "required", 1));
	json_array_append_new(fields, m);
	json_array_append_new(fields, field("agency", "string", "Cơ quan / agency code"));
	json_array_append_new(
	    fields,
	    field("ratings", "integer", "Số đánh giá / ratings (suppressed under the threshold)"));
	json_array_append_new(fields,
	                      field("satisfied", "integer", "Số hài lòng (4-5) / satisfied (4-5)"));
	json_array_append_new(
	    fields, field("satisfied_share", "number", "Tỷ lệ hài lòng / satisfied share"));
	for (size_t i = 2; i < 5; i++)
		json_object_set_new(json_array_get(fields, i), "constraints",
		                    json_pack("{s:i}", "minimum", 0));
	json_t *schema = json_pack("{s:o,s:[s]}", "fields", fields, "missingValues", "");
	json_t *body = base_body(
	    "motcua-satisfaction-monthly", "Mức độ hài lòng theo cơ quan, theo tháng",
	    "Satisfaction per agency per month",
	    "Đánh giá của người nộp sau khi hồ sơ kết thúc (điểm 1-5; hài lòng là 4 hoặc 5), theo "
	    "cơ quan giải quyết và tháng đánh giá. Số nhỏ hơn ngưỡng (mặc định 5) được để trống.",
	    "Ratings given by applicants after their dossier ended (score 1-5; satisfied is 4 or "
	    "5), per handling agency and month of rating. Counts under the threshold (default 5) "
	    "are left empty.",
	    "GOVE", "MONTHLY");
	json_object_set_new(body, "resources",
	                    json_pack("[{s:s,s:s,s:s,s:o}]", "name", "satisfaction.csv",
	                              "description",
	                              "Một dòng mỗi cơ quan và tháng / one row per "
	                              "agency and month",
	                              "format", "CSV", "schema", schema));
	json_t *map = json_object();
	FILE *f = NULL;
	char *tmp = NULL;
	mc_err e = store_read(app->db, ratings_fn, map, diag);
	if (e)
		goto out;
	tmp = tmp_file(app, &f);
	if (!f) {
		e = mc_fail(diag, MC_ERR_IO, "cannot create a temporary file");
		goto out;
	}
	fputs("month,agency,ratings,satisfied,satisfied_share\n", f);
	size_t n;
	const char **keys = sorted_keys(map, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_object_get(map, keys[i]);
		const char *bar = strchr(keys[i], '|');
		if (!bar || !bar[1])
			continue;
		json_int_t rated = json_integer_value(json_array_get(a, S_RATED));
		json_int_t sat = json_integer_value(json_array_get(a, S_SATISFIED));
		fprintf(f, "%.7s,", keys[i]);
		csv_cell(f, bar + 1, false);
		put_count(f, rated, false);
		put_count(f, sat, false);
		put_share(f, sat, rated, true);
		(*rows)++;
	}
	free(keys);
	bool bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	fclose(f);
	if (bad) {
		unlink(tmp);
		e = mc_fail(diag, MC_ERR_IO, "cannot write the satisfaction file");
		goto out;
	}
	e = publish(app, body, tmp, diag);
out:
	free(tmp);
	json_decref(map);
	json_decref(body);
	return e;
}

/* The configurable part of the 766 index: max points and threshold of each
 * measured group, from DATA/opendata/766.json when present. */
typedef struct idx_conf {
	double progress_max, progress_threshold, online_max, online_threshold;
	double satisfaction_max, satisfaction_threshold;
	double digitization_max, digitization_threshold;
} idx_conf;

/* Reads group `name` {max, threshold} of the configuration into *max and
 * *threshold (kept when absent or not positive). */
static void idx_group(json_t *j, const char *name, double *max, double *threshold)
{
	json_t *g = json_object_get(j, name);
	if (json_is_number(json_object_get(g, "max")))
		*max = json_number_value(json_object_get(g, "max"));
	if (json_is_number(json_object_get(g, "threshold")) &&
	    json_number_value(json_object_get(g, "threshold")) > 0)
		*threshold = json_number_value(json_object_get(g, "threshold"));
}

static idx_conf idx_config(mc_app *app)
{
	idx_conf c = {20, 1.0, 12, 0.5, 18, 0.9, 22, 0.8};
	char *path = mc_xasprintf("%s/opendata/766.json", app->data_dir);
	json_t *j = json_load_file(path, 0, NULL);
	free(path);
	idx_group(j, "progress", &c.progress_max, &c.progress_threshold);
	idx_group(j, "online", &c.online_max, &c.online_threshold);
	idx_group(j, "satisfaction", &c.satisfaction_max, &c.satisfaction_threshold);
	idx_group(j, "digitization", &c.digitization_max, &c.digitization_threshold);
	json_decref(j);
	return c;
}

/* ---- digitized dossiers (dossier_digitized_each) ---- */

enum { G_FINISHED, G_DIGITIZED, G_N };

static void on_digitized(const dossier_digitized *d, void *vctx)
{
	char key[160];
	snprintf(key, sizeof key, "%.7s|%s", d->month, d->agency);
	json_object_set_new(vctx, key,
	                    json_pack("[I,I]", (json_int_t)d->finished, (json_int_t)d->digitized));
}

/* store_read callback: ctx (a JSON object) = "YYYY-MM|agency" -> [finished,
 * digitized], by month of finishing and handling agency. */
static mc_err digitized_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	json_object_clear(vctx);
	return dossier_digitized_each(c, on_digitized, vctx);
}

/* Adds the integers of array `src` into map[key] (created as a copy). */
static void sum_into(json_t *map, const char *key, json_t *src)
{
	json_t *t = json_object_get(map, key);
	if (!t) {
		json_object_set_new(map, key, json_deep_copy(src));
		return;
	}
	for (size_t i = 0; i < json_array_size(src); i++)
		json_array_set_new(t, i,
		                   json_integer(json_integer_value(json_array_get(t, i)) +
		                                json_integer_value(json_array_get(src, i))));
}

/* Rolls `src` ("YYYY-MM|agency" -> counts) up into `dst` ("YYYY-MM|province"
 * -> counts) with the places of `agencies` (agency -> [commune, province]);
 * agencies without a province are left out. */
static void roll_up(json_t *src, json_t *agencies, json_t *dst)
{
	const char *k;
	json_t *v;
	json_object_foreach(src, k, v)
	{
		const char *bar = strchr(k, '|');
		json_t *place = bar ? json_object_get(agencies, bar + 1) : NULL;
		const char *province = json_string_value(json_array_get(place, 1));
		if (!province || !*province)
			continue;
		char key[160];
		snprintf(key, sizeof key, "%.7s|%s", k, province);
		sum_into(dst, key, v);
	}
}

/* The 766 index per `key_name` (province or agency) and month: `by_key`
 * ("YYYY-MM|key" -> dossier counts, by month of submission), `sat_key` (->
 * [rated, satisfied], by month of rating) and `dig_key` (-> [finished,
 * digitized], by month of finishing). A group is measured in a row when
 * its count is publishable and not zero; the index is over the groups
 * measured. */
static char *write_766(mc_app *app, const char *key_name, json_t *by_key, json_t *sat_key,
                       json_t *dig_key, long *rows, mc_err *e, mc_diag *diag)
{
	idx_conf cf = idx_config(app);
	FILE *f;
	char *tmp = tmp_file(app, &f);
	if (!f) {
		*e = mc_fail(diag, MC_ERR_IO, "cannot create a temporary file");
		free(tmp);
		return NULL;
	}
	fprintf(f,
	        "month,%s,dossiers,on_time_rate,progress_points,online_rate,online_points,"
	        "satisfied_share,satisfaction_points,digitized_rate,digitization_points,points,"
	        "points_possible,index\n",
	        key_name);
	json_t *all = json_object();
	json_object_update(all, by_key);
	json_object_update_missing(all, sat_key);
	json_object_update_missing(all, dig_key);
	size_t n;
	const char **keys = sorted_keys(all, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_object_get(by_key, keys[i]);
		json_t *r = json_object_get(sat_key, keys[i]);
		json_t *g = json_object_get(dig_key, keys[i]);
		const char *bar = strchr(keys[i], '|');
		if (!bar || !bar[1])
			continue;
		json_int_t sub = json_integer_value(json_array_get(a, C_SUBMITTED));
		json_int_t onl = json_integer_value(json_array_get(a, C_ONLINE));
		json_int_t fin = json_integer_value(json_array_get(a, C_ON_TIME)) +
		                 json_integer_value(json_array_get(a, C_LATE));
		json_int_t ont = json_integer_value(json_array_get(a, C_ON_TIME));
		json_int_t rated = json_integer_value(json_array_get(r, S_RATED));
		json_int_t sat = json_integer_value(json_array_get(r, S_SATISFIED));
		json_int_t gfin = json_integer_value(json_array_get(g, G_FINISHED));
		json_int_t gdig = json_integer_value(json_array_get(g, G_DIGITIZED));
		fprintf(f, "%.7s,", keys[i]);
		if (strpbrk(bar + 1, ",\"\r\n"))
			csv_cell(f, bar + 1, false);
		else
			fprintf(f, "%s,", bar + 1); /* codes stay unquoted, as before */
		(*rows)++;
		double pts = 0, possible = 0;
		bool dossiers = sub > 0 && shown(sub);
		if (dossiers)
			fprintf(f, "%" JSON_INTEGER_FORMAT ",", sub);
		else
			fputc(',', f);
		if (dossiers && fin > 0 && shown(fin)) {
			double rt = (double)ont / (double)fin;
			double pp = od_766_points(rt, cf.progress_max, cf.progress_threshold);
			pts += pp;
			possible += cf.progress_max;
			fprintf(f, "%.4f,%.2f,", rt, pp);
		} else {
			fputs(",,", f);
		}
		if (dossiers) {
			double rt = (double)onl / (double)sub;
			double pp = od_766_points(rt, cf.online_max, cf.online_threshold);
			pts += pp;
			possible += cf.online_max;
			fprintf(f, "%.4f,%.2f,", rt, pp);
		} else {
			fputs(",,", f); /* too few dossiers to publish rates */
		}
		if (rated > 0 && shown(rated)) {
			double rt = satisfaction_share(sat, rated);
			double pp =
			    od_766_points(rt, cf.satisfaction_max, cf.satisfaction_threshold);
			pts += pp;
			possible += cf.satisfaction_max;
			fprintf(f, "%.4f,%.2f,", rt, pp);
		} else {
			fputs(",,", f);
		}
		if (gfin > 0 && shown(gfin)) {
			/* reuse of digitized data is not measured per agency: the
			 * digitized rate scores over the whole group */
			double rt = (double)gdig / (double)gfin;
			double pp =
			    od_766_digitization(rt, cf.digitization_threshold, -1,
			                        cf.digitization_threshold, cf.digitization_max);
			pts += pp;
			possible += cf.digitization_max;
			fprintf(f, "%.4f,%.2f,", rt, pp);
		} else {
			fputs(",,", f);
		}
		if (possible > 0)
			fprintf(f, "%.2f,%.0f,%.2f\n", pts, possible, pts * 100.0 / possible);
		else
			fputs(",,\n", f);
	}
	free(keys);
	json_decref(all);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		*e = mc_fail(diag, MC_ERR_IO, "cannot write the index");
	fclose(f);
	return tmp;
}

/* Publishes dataset `body` whose resources get the given files (paths,
 * freed here; NULL skips), in order. */
static mc_err publish_many(mc_app *app, json_t *body, char **files, int nfiles, mc_diag *diag)
{
	const char *name = json_string_value(json_object_get(body, "name"));
	existing_ctx ex = {.name = name};
	if (store_read(app->db, existing_fn, &ex, NULL) == MC_OK && ex.out) {
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(ex.out, "resources"), i, r)
		{
			json_t *b = json_array_get(json_object_get(body, "resources"), i);
			if (b)
				json_object_set(b, "id", json_object_get(r, "id"));
		}
	}
	json_decref(ex.out);
	json_t *out = NULL;
	mc_err e = opendata_dataset_save_system(app, name, body, &out, diag);
	for (int i = 0; i < nfiles; i++) {
		json_t *r = json_array_get(json_object_get(out, "resources"), (size_t)i);
		if (!e && r && files[i]) {
			json_t *d = NULL;
			e = opendata_content_commit(app, "system",
			                            json_string_value(json_object_get(r, "id")),
			                            files[i], &d, diag);
			json_decref(d);
		} else if (files[i]) {
			unlink(files[i]);
		}
		free(files[i]);
	}
	json_decref(out);
	return e;
}

/* The Frictionless table schema of the 766 index per `key` (province or
 * agency). */
static json_t *index_schema(const char *key, const char *key_title)
{
	return json_pack(
	    "{s:[o,o,o,o,o,o,o,o,o,o,o,o,o,o],s:[s]}", "fields",
	    field("month", "string", "Tháng / month (YYYY-MM)"), field(key, "string", key_title),
	    field("dossiers", "integer", "Hồ sơ nộp trong tháng / dossiers submitted in the month"),
	    field("on_time_rate", "number", "Tỷ lệ đúng hạn / on-time rate"),
	    field("progress_points", "number", "Điểm tiến độ / progress points"),
	    field("online_rate", "number", "Tỷ lệ trực tuyến / online rate"),
	    field("online_points", "number", "Điểm trực tuyến / online points"),
	    field("satisfied_share", "number",
	          "Tỷ lệ hài lòng (theo tháng đánh giá) / satisfied share (by month rated)"),
	    field("satisfaction_points", "number", "Điểm hài lòng / satisfaction points"),
	    field("digitized_rate", "number",
	          "Tỷ lệ hồ sơ số hóa (theo tháng giải quyết xong) / digitized share of the "
	          "dossiers finished (by month finished)"),
	    field("digitization_points", "number", "Điểm số hóa / digitization points"),
	    field("points", "number", "Điểm đạt / points"),
	    field("points_possible", "number", "Điểm tối đa đo được / points possible"),
	    field("index", "number", "Chỉ số 0-100 / index 0-100"), "missingValues", "");
}

static mc_err gen_dossiers(mc_app *app, long *rows, mc_diag *diag)
{
	stat_ctx sx = {.by_proc = json_object(), .by_agency = json_object()};
	place_ctx px = {.agencies = json_object()};
	json_t *by_commune = json_object(), *by_province = json_object();
	json_t *sat_agency = json_object(), *sat_province = json_object();
	json_t *dig_agency = json_object(), *dig_province = json_object();
	char *files[3] = {0}, *index_files[2] = {0};
	json_t *body = NULL, *idx = NULL;
	mc_err e = store_read(app->db, stats_fn, &sx, diag);
	if (e)
		goto out;
	const char *k;
	json_t *v;
	json_object_foreach(sx.by_agency, k, v)
	{
		const char *bar = strchr(k, '|');
		if (bar)
			json_object_set_new(px.agencies, bar + 1, json_array());
	}
	if ((e = store_read(app->db, ratings_fn, sat_agency, diag)))
		goto out;
	json_object_foreach(sat_agency, k, v)
	{
		const char *bar = strchr(k, '|');
		if (bar && !json_object_get(px.agencies, bar + 1))
			json_object_set_new(px.agencies, bar + 1, json_array());
	}
	if ((e = store_read(app->db, digitized_fn, dig_agency, diag)))
		goto out;
	json_object_foreach(dig_agency, k, v)
	{
		const char *bar = strchr(k, '|');
		if (bar && !json_object_get(px.agencies, bar + 1))
			json_object_set_new(px.agencies, bar + 1, json_array());
	}
	e = store_read(app->db, place_fn, &px, diag);
	if (e)
		goto out;
	roll_up(sat_agency, px.agencies, sat_province);
	roll_up(dig_agency, px.agencies, dig_province);
	json_object_foreach(sx.by_agency, k, v)
	{
		const char *bar = strchr(k, '|');
		json_t *place = bar ? json_object_get(px.agencies, bar + 1) : NULL;
		const char *commune = json_string_value(json_array_get(place, 0));
		const char *province = json_string_value(json_array_get(place, 1));
		char key[160];
		if (commune && *commune) {
			snprintf(key, sizeof key, "%.7s|%s", k, commune);
			add_counts(by_commune, key, v);
		}
		if (province && *province) {
			snprintf(key, sizeof key, "%.7s|%s", k, province);
			add_counts(by_province, key, v);
		}
	}
	files[0] = write_counts(app, sx.by_proc, "procedure", rows, &e, diag);
	if (!e)
		files[1] = write_counts(app, sx.by_agency, "agency", rows, &e, diag);
	if (!e)
		files[2] = write_counts(app, by_commune, "commune", rows, &e, diag);
	if (!e)
		index_files[0] = write_766(app, "province", by_province, sat_province, dig_province,
		                           rows, &e, diag);
	if (!e)
		index_files[1] =
		    write_766(app, "agency", sx.by_agency, sat_agency, dig_agency, rows, &e, diag);
	if (e)
		goto out;
	body = base_body(
	    "motcua-dossier-statistics", "Thống kê hồ sơ thủ tục hành chính theo tháng",
	    "Monthly statistics of administrative dossiers",
	    "Hồ sơ nộp, tiếp nhận, nộp trực tuyến, đúng hạn và trễ hạn theo thủ tục, cơ quan và "
	    "xã, "
	    "theo tháng nộp. Số nhỏ hơn ngưỡng (mặc định 5) được để trống.",
	    "Dossiers submitted, received, submitted online, finished on time and late per "
	    "procedure, agency and commune, per month of submission. Counts under the threshold "
	    "(default 5) are left empty.",
	    "GOVE", "DAILY");
	json_object_set_new(
	    body, "resources",
	    json_pack("[{s:s,s:s,s:s,s:o},{s:s,s:s,s:s,s:o},{s:s,s:s,s:s,s:o}]", "name",
	              "by-procedure.csv", "description", "Theo thủ tục / per procedure", "format",
	              "CSV", "schema", count_schema("procedure", "Mã thủ tục / procedure code"),
	              "name", "by-agency.csv", "description", "Theo cơ quan / per agency", "format",
	              "CSV", "schema", count_schema("agency", "Mã cơ quan / agency code"), "name",
	              "by-commune.csv", "description", "Theo xã, phường / per commune", "format",
	              "CSV", "schema", count_schema("commune", "Mã xã / commune code")));
	e = publish_many(app, body, files, 3, diag);
	files[0] = files[1] = files[2] = NULL;
	if (e)
		goto out;
	json_t *ischemas[2] = {index_schema("province", "Mã tỉnh / province code"),
	                       index_schema("agency", "Mã cơ quan / agency code")};
	idx = base_body(
	    "motcua-766-index", "Chỉ số 766 theo tỉnh và cơ quan (phần đo được)",
	    "Decision 766 index per province and agency (measured part)",
	    "Chỉ số theo Quyết định 766/QĐ-TTg tính từ dữ liệu hiện có: tiến độ giải quyết, "
	    "hồ sơ nộp trực tuyến, số hóa hồ sơ và mức độ hài lòng; trọng số và ngưỡng cấu "
	    "hình được (docs/OPENDATA.md).",
	    "Decision 766/QD-TTg index computed from the data that exists: progress of "
	    "settlement, online submission, digitization of dossiers and satisfaction; "
	    "weights and thresholds are configurable (docs/OPENDATA.md).",
	    "GOVE", "MONTHLY");
	json_object_set_new(idx, "resources",
	                    json_pack("[{s:s,s:s,s:s,s:o},{s:s,s:s,s:s,s:o}]", "name",
	                              "index-766.csv", "description",
	                              "Theo tỉnh và tháng / per province and month", "format",
	                              "CSV", "schema", ischemas[0], "name", "index-766-agency.csv",
	                              "description", "Theo cơ quan và tháng / per agency and month",
	                              "format", "CSV", "schema", ischemas[1]));
	e = publish_many(app, idx, index_files, 2, diag);
	index_files[0] = index_files[1] = NULL;
out:
	for (int i = 0; i < 3; i++)
		if (files[i]) {
			unlink(files[i]);
			free(files[i]);
		}
	for (int i = 0; i < 2; i++)
		if (index_files[i]) {
			unlink(index_files[i]);
			free(index_files[i]);
		}
	json_decref(sx.by_proc);
	json_decref(sx.by_agency);
	json_decref(px.agencies);
	json_decref(by_commune);
	json_decref(by_province);
	json_decref(sat_agency);
	json_decref(sat_province);
	json_decref(dig_agency);
	json_decref(dig_province);
	json_decref(body);
	json_decref(idx);
	return e;
}

mc_err opendata_refresh(mc_app *app, json_t **report, mc_diag *diag)
{
	*report = NULL;
	mc_err e = store_write(app->db, owner_fn, NULL, diag);
	long rows = 0;
	if (!e)
		e = gen_procedures(app, &rows, diag);
	if (!e)
		e = gen_dossiers(app, &rows, diag);
	if (!e)
		e = gen_satisfaction(app, &rows, diag);
	if (!e)
		*report = json_pack("{s:[s,s,s,s],s:I,s:i}", "datasets", "motcua-procedure-catalog",
		                    "motcua-dossier-statistics", "motcua-766-index",
		                    "motcua-satisfaction-monthly", "rows", (json_int_t)rows,
		                    "min_count", opendata_min_count());
	return e;
}

/* ---- background threads ---- */

/* Two loops: the refresh of the generated datasets every `period` seconds
 * (the first after one period: init ran one), and the webhook deliveries
 * every second. Both stop promptly on opendata_stop. */
typedef struct loop_t {
	pthread_t th;
	bool running;
	int period;
	void (*work)(void);
} loop_t;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool stopping;
static mc_app *the_app;
static loop_t refresher, deliverer;

static void refresh_work(void)
{
	json_t *rep = NULL;
	mc_diag d = {0};
	if (opendata_refresh(the_app, &rep, &d) != MC_OK)
		log_error("opendata refresh: %s", d.detail);
	json_decref(rep);
	mc_diag_clear(&d);
}

static void deliver_work(void)
{
	/* deliver until nothing is due, then wait */
	while (opendata_webhook_run(the_app) > 0) {
		pthread_mutex_lock(&mu);
		bool stop = stopping;
		pthread_mutex_unlock(&mu);
		if (stop)
			break;
	}
}

static void *loop(void *arg)
{
	loop_t *l = arg;
	pthread_mutex_lock(&mu);
	for (;;) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += l->period;
		while (!stopping && pthread_cond_timedwait(&cv, &mu, &until) == 0)
			;
		if (stopping)
			break;
		pthread_mutex_unlock(&mu);
		l->work();
		pthread_mutex_lock(&mu);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

static void loop_start(loop_t *l, int period, void (*work)(void))
{
	l->period = period;
	l->work = work;
	l->running = pthread_create(&l->th, NULL, loop, l) == 0;
}

void opendata_start(mc_app *app, int seconds)
{
	the_app = app;
	stopping = false;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	{
		/* a database written before the text index existed becomes searchable */
		int64_t n = 0;
		mc_diag d = {0};
		if (opendata_reindex(app, &n, &d) != MC_OK)
			log_error("opendata reindex: %s", d.detail);
		mc_diag_clear(&d);
	}
	if (seconds > 0 && !refresher.running)
		loop_start(&refresher, seconds, refresh_work);
	if (!deliverer.running)
		loop_start(&deliverer, 1, deliver_work);
}

void opendata_stop(void)
{
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	loop_t *loops[] = {&refresher, &deliverer};
	for (int i = 0; i < 2; i++) {
		if (loops[i]->running)
			pthread_join(loops[i]->th, NULL);
		loops[i]->running = false;
	}
	curl_global_cleanup();
}
