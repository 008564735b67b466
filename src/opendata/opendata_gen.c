/* opendata_gen.c - datasets motcua generates itself, refreshed by a
 * background thread (and `motcua opendata refresh`): the procedure catalog
 * (from the catalog module's public list) and satisfaction per agency per
 * month (published with its table schema and no rows while no ratings
 * exist). Owned by the Office of the Government agency "VPCP". Counts under
 * opendata_min_count() are suppressed (written as empty cells). */
#include "opendata/opendata.h"

#include "catalog/catalog.h"
#include "core/log.h"
#include "core/mem.h"
#include "territory/territory.h"
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
		e = opendata_content_commit(app, "system",
		                            json_string_value(json_object_get(r, "id")), tmp, &d,
		                            diag);
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
	json_t *body = base_body(
	    "motcua-procedure-catalog", "Danh mục thủ tục hành chính",
	    "Catalog of administrative procedures",
	    "Các thủ tục hành chính trong cơ sở dữ liệu quốc gia, do motcua tạo tự động.",
	    "Administrative procedures of the national database, generated by motcua.", "GOVE",
	    "DAILY");
	json_object_set_new(body, "resources",
	                    json_pack("[{s:s,s:s,s:s,s:o}]", "name", "procedures.csv", "description",
	                              "Một dòng mỗi thủ tục / one row per procedure", "format",
	                              "CSV", "schema", schema));
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
			const char *cols[] = {"code", "name", "level", "field", "ministry",
			                      "online_level"};
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

static mc_err gen_satisfaction(mc_app *app, mc_diag *diag)
{
	json_t *schema = json_pack(
	    "{s:[o,o,o,o,o]}", "fields", field("month", "string", "Tháng / month (YYYY-MM)"),
	    field("agency", "string", "Cơ quan / agency code"),
	    field("ratings", "integer", "Số đánh giá / ratings (suppressed under the threshold)"),
	    field("satisfied", "integer", "Số hài lòng / satisfied"),
	    field("satisfied_share", "number", "Tỷ lệ hài lòng / satisfied share"));
	json_t *body = base_body(
	    "motcua-satisfaction-monthly", "Mức độ hài lòng theo cơ quan, theo tháng",
	    "Satisfaction per agency per month",
	    "Đánh giá sau mỗi hồ sơ, theo cơ quan và tháng. Chưa có đánh giá nào: bộ dữ liệu được "
	    "công bố với lược đồ và không có dòng.",
	    "Ratings after each dossier, per agency and month. No ratings exist yet: the dataset is "
	    "published with its schema and no rows.",
	    "GOVE", "MONTHLY");
	json_object_set_new(body, "resources",
	                    json_pack("[{s:s,s:s,s:s,s:o}]", "name", "satisfaction.csv",
	                              "description", "Một dòng mỗi cơ quan và tháng / one row per "
	                                             "agency and month",
	                              "format", "CSV", "schema", schema));
	FILE *f;
	char *tmp = tmp_file(app, &f);
	if (!f) {
		free(tmp);
		json_decref(body);
		return mc_fail(diag, MC_ERR_IO, "cannot create a temporary file");
	}
	fputs("month,agency,ratings,satisfied,satisfied_share\n", f);
	fflush(f);
	fsync(fileno(f));
	fclose(f);
	mc_err e = publish(app, body, tmp, diag);
	free(tmp);
	json_decref(body);
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
		e = gen_satisfaction(app, diag);
	if (!e)
		*report = json_pack("{s:[s,s],s:I,s:i}", "datasets", "motcua-procedure-catalog",
		                    "motcua-satisfaction-monthly", "rows", (json_int_t)rows,
		                    "min_count", opendata_min_count());
	return e;
}

/* ---- background thread ---- */

static pthread_t worker;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool running, stopping;
static int period;
static mc_app *the_app;

static void *loop(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	for (;;) {
		/* init ran the first refresh: wait one period, then refresh */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += period;
		while (!stopping && pthread_cond_timedwait(&cv, &mu, &until) == 0)
			;
		if (stopping)
			break;
		pthread_mutex_unlock(&mu);
		json_t *rep = NULL;
		mc_diag d = {0};
		if (opendata_refresh(the_app, &rep, &d) != MC_OK)
			log_error("opendata refresh: %s", d.detail);
		json_decref(rep);
		mc_diag_clear(&d);
		pthread_mutex_lock(&mu);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

void opendata_start(mc_app *app, int seconds)
{
	if (seconds <= 0 || running)
		return;
	the_app = app;
	period = seconds;
	stopping = false;
	if (pthread_create(&worker, NULL, loop, NULL) == 0)
		running = true;
}

void opendata_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(worker, NULL);
	running = false;
}
