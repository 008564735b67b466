/* opendata_files.c - resource content: streamed uploads (one request, or
 * resumable in several PATCH requests with Upload-Offset), the commit of a
 * new version (SHA-256, CSV checked against the table schema, file moved
 * under DATA/opendata/files, version row written durably), and streamed
 * downloads (sendfile, Range, ETag/If-None-Match, gzip on the fly). */
#include "opendata/opendata.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Largest resource content accepted (bytes); MOTCUA_OPENDATA_MAX_BYTES. */
static uint64_t max_bytes(void)
{
	const char *e = getenv("MOTCUA_OPENDATA_MAX_BYTES");
	uint64_t v = e ? strtoull(e, NULL, 10) : 0;
	return v ? v : (uint64_t)64 << 30;
}

char *opendata_dir(mc_app *app, const char *sub)
{
	char *top = mc_xasprintf("%s/opendata", app->data_dir);
	mkdir(top, 0750);
	char *d = mc_xasprintf("%s/%s", top, sub);
	mkdir(d, 0750);
	free(top);
	return d;
}

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void rand_hex(char out[33])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, 33, b, sizeof b);
}

/* ---- commit of a new version ---- */

typedef struct commit_ctx {
	const char *actor, *id, *file, *sha;
	uint64_t size;
	int64_t rows;
	json_t *out;
} commit_ctx;

static mc_err commit_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	commit_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	store_stmt *st;
	char now[32];
	ts_format(ts_now(), now);
	mc_err e =
	    store_prepare(c,
	                  "SELECT r.id, r.version, d.uuid, d.name, d.agency FROM od_resource r "
	                  "JOIN od_dataset d ON d.id = r.dataset_id WHERE r.uuid = ?1 AND "
	                  "r.removed_at IS NULL",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->id);
	bool row;
	e = store_step(st, &row);
	if (!e && !row)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có tài nguyên này.", "no resource");
	int64_t rid = 0, version = 0;
	char duuid[40] = "", name[128] = "", agency[64] = "";
	if (!e) {
		rid = store_col_int(st, 0);
		version = store_col_int(st, 1) + 1;
		snprintf(duuid, sizeof duuid, "%s", store_col_text(st, 2));
		snprintf(name, sizeof name, "%s", store_col_text(st, 3));
		snprintf(agency, sizeof agency, "%s", store_col_text(st, 4));
	}
	store_finish(st);
	if (e)
		return e;
	/* versions are never reused: continue after the highest stored */
	e = store_prepare(c,
	                  "SELECT coalesce(max(version), 0) FROM od_resource_version WHERE "
	                  "resource_id = ?1",
	                  &st);
	if (e)
		return e;
	store_bind_int(st, 1, rid);
	e = store_step(st, &row);
	if (!e && row && store_col_int(st, 0) >= version)
		version = store_col_int(st, 0) + 1;
	store_finish(st);
	if (e)
		return e;
	e = store_prepare(c,
	                  "INSERT INTO od_resource_version (resource_id, version, size, sha256, "
	                  "rows_count, file, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, "
	                  "?6, ?7, ?8)",
	                  &st);
	if (e)
		return e;
	store_bind_int(st, 1, rid);
	store_bind_int(st, 2, version);
	store_bind_int(st, 3, (int64_t)x->size);
	store_bind_text(st, 4, x->sha);
	store_bind_int(st, 5, x->rows);
	store_bind_text(st, 6, x->file);
	store_bind_text(st, 7, now);
	store_bind_text(st, 8, x->actor ? x->actor : "system");
	e = store_step(st, &row);
	store_finish(st);
	if (e)
		return e;
	e = store_prepare(c, "UPDATE od_resource SET version = ?2, modified_at = ?3 WHERE id = ?1",
	                  &st);
	if (e)
		return e;
	store_bind_int(st, 1, rid);
	store_bind_int(st, 2, version);
	store_bind_text(st, 3, now);
	e = store_step(st, &row);
	store_finish(st);
	if (e)
		return e;
	e = store_prepare(c,
	                  "UPDATE od_dataset SET modified_at = ?2, row_version = row_version + 1 "
	                  "WHERE uuid = ?1",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, duuid);
	store_bind_text(st, 2, now);
	e = store_step(st, &row);
	store_finish(st);
	if (!e)
		e = opendata_change_add(c, duuid, name, agency, "resource");
	if (!e) {
		json_t *detail =
		    json_pack("{s:s,s:I,s:s,s:I}", "dataset", name, "version", (json_int_t)version,
		              "sha256", x->sha, "size", (json_int_t)x->size);
		e = audit_append(c, x->actor, "opendata.resource.content", x->id, detail);
		json_decref(detail);
	}
	if (!e)
		e = opendata_resource_get(c, x->id, false, &x->out, diag);
	return e;
}

typedef struct schema_ctx {
	const char *id;
	json_t *res;
} schema_ctx;

static mc_err schema_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	schema_ctx *x = vctx;
	json_decref(x->res);
	x->res = NULL;
	return opendata_resource_get(c, x->id, false, &x->res, diag);
}

mc_err opendata_content_commit(mc_app *app, const char *actor, const char *id, const char *tmp,
                               json_t **out, mc_diag *diag)
{
	*out = NULL;
	schema_ctx sx = {.id = id};
	mc_err e = store_read(app->db, schema_fn, &sx, diag);
	if (e) {
		unlink(tmp);
		return e;
	}
	bool csv = strcmp(str_of(sx.res, "format"), "CSV") == 0;
	json_t *schema = json_object_get(sx.res, "schema");
	int fd = open(tmp, O_RDONLY);
	if (fd < 0) {
		json_decref(sx.res);
		return mc_fail(diag, MC_ERR_IO, "cannot read the upload");
	}
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	od_csv *v = csv ? od_csv_new(schema) : NULL;
	char *buf = mc_xmalloc(1 << 20);
	uint64_t size = 0;
	ssize_t n;
	while ((n = read(fd, buf, 1 << 20)) > 0) {
		crypto_hash_sha256_update(&h, (const unsigned char *)buf, (unsigned long long)n);
		if (v)
			od_csv_feed(v, buf, (size_t)n);
		size += (uint64_t)n;
	}
	free(buf);
	close(fd);
	unsigned char dig[32];
	char sha[65];
	crypto_hash_sha256_final(&h, dig);
	sodium_bin2hex(sha, sizeof sha, dig, sizeof dig);
	int64_t rows = -1;
	if (v) {
		json_t *errors = NULL;
		long nerr = od_csv_finish(v, &errors, &rows);
		od_csv_free(v);
		if (nerr) {
			unlink(tmp);
			mc_diag_ext(diag, "errors", errors);
			mc_diag_ext(diag, "error_count", json_integer(nerr));
			json_decref(sx.res);
			return mc_fail2(
			    diag, MC_ERR_UNPROCESSABLE,
			    "Tệp CSV không khớp lược đồ bảng (xem errors: dòng và trường).",
			    "the CSV does not match its table schema (%ld errors, see "
			    "errors: row and field)",
			    nerr);
		}
		json_decref(errors);
	}
	json_decref(sx.res);
	char rnd[33];
	rand_hex(rnd);
	char *file = mc_xasprintf("%s-%.16s-%s", id, sha, rnd);
	char *dir = opendata_dir(app, "files");
	char *dest = mc_xasprintf("%s/%s", dir, file);
	if (rename(tmp, dest) != 0) {
		e = mc_fail(diag, MC_ERR_IO, "cannot store the file: %s", strerror(errno));
		unlink(tmp);
	} else {
		fsync_dir(dir);
		commit_ctx cx = {
		    .actor = actor, .id = id, .file = file, .sha = sha, .size = size, .rows = rows};
		e = store_write(app->db, commit_fn, &cx, diag);
		if (e) {
			unlink(dest);
			json_decref(cx.out);
		} else {
			*out = cx.out;
		}
	}
	free(file);
	free(dir);
	free(dest);
	return e;
}

/* ---- access to a resource for writing ---- */

typedef struct access_ctx {
	const char *id;
	const mc_principal *who;
	json_t *res;
} access_ctx;

static mc_err access_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	access_ctx *x = vctx;
	json_decref(x->res);
	x->res = NULL;
	mc_err e = opendata_resource_get(c, x->id, false, &x->res, diag);
	if (e)
		return e;
	const char *agency = str_of(x->res, "agency");
	if (x->who->role == ROLE_ADMIN ||
	    (x->who->role == ROLE_OFFICER && agency && strcmp(agency, x->who->agency) == 0))
		return MC_OK;
	return mc_fail2(diag, MC_ERR_FORBIDDEN,
	                "Chỉ cán bộ của cơ quan sở hữu hoặc quản trị viên được tải lên.",
	                "only officers of the owning agency or admins may upload");
}

static mc_err may_upload(mc_app *app, const mc_principal *who, const char *id, mc_diag *diag)
{
	access_ctx x = {.id = id, .who = who};
	mc_err e = store_read(app->db, access_fn, &x, diag);
	json_decref(x.res);
	return e;
}

/* ---- one-request upload: PUT /resources/{id}/content ---- */

typedef struct put_ctx {
	mc_app *app;
	char *tmp;
	int fd;
	uint64_t n, cap;
	bool received_all;
} put_ctx;

static mc_err put_open(mc_req *req, void **vctx, mc_diag *diag)
{
	mc_err e = may_upload(req->app, &req->who, req->params[0], diag);
	if (e)
		return e;
	const char *cl = http_header(req, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > max_bytes())
		return mc_fail2(diag, MC_ERR_TOO_LARGE, "Tệp quá lớn.",
		                "the content exceeds %" PRIu64 " bytes", max_bytes());
	put_ctx *x = mc_xcalloc(1, sizeof *x);
	x->app = req->app;
	x->cap = max_bytes();
	char *dir = opendata_dir(req->app, "tmp");
	char rnd[33];
	rand_hex(rnd);
	x->tmp = mc_xasprintf("%s/%s", dir, rnd);
	free(dir);
	x->fd = open(x->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (x->fd < 0) {
		free(x->tmp);
		free(x);
		return mc_fail(diag, MC_ERR_IO, "cannot create a temporary file");
	}
	*vctx = x;
	return MC_OK;
}

static mc_err write_all(int fd, const char *p, size_t n, mc_diag *diag)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return mc_fail(diag, MC_ERR_IO, "cannot write the upload: %s",
			               strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return MC_OK;
}

static mc_err put_write(void *vctx, const char *p, size_t n, mc_diag *diag)
{
	put_ctx *x = vctx;
	if (x->n + n > x->cap)
		return mc_fail2(diag, MC_ERR_TOO_LARGE, "Tệp quá lớn.",
		                "the content exceeds %" PRIu64 " bytes", x->cap);
	x->n += n;
	return write_all(x->fd, p, n, diag);
}

static void put_close(void *vctx)
{
	put_ctx *x = vctx;
	if (!x)
		return;
	if (x->fd >= 0)
		close(x->fd);
	unlink(x->tmp); /* no-op once moved */
	free(x->tmp);
	free(x);
}

static void put_content(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *out = NULL;
	put_ctx *x = req->stream_ctx;
	if (req->stream_err) {
		http_reply_error(req, resp, req->stream_err, &req->stream_diag);
		return;
	}
	if (fsync(x->fd) != 0) {
		http_reply_problem(req, resp, MC_ERR_IO, "Lỗi lưu tệp.", "fsync failed");
		return;
	}
	close(x->fd);
	x->fd = -1;
	mc_err e = opendata_content_commit(req->app, req->who.username, req->params[0], x->tmp,
	                                   &out, &diag);
	if (e)
		http_reply_error(req, resp, e, &diag);
	else
		http_reply_json(resp, 201, out);
	mc_diag_clear(&diag);
}

/* ---- resumable uploads ---- */

typedef struct upload_ctx {
	const char *id, *resource, *actor;
	int64_t length, received;
	json_t *row;
} upload_ctx;

static mc_err upload_new_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	upload_ctx *x = vctx;
	char now[32];
	store_stmt *st;
	mc_err e = store_prepare(
	    c, "SELECT id FROM od_resource WHERE uuid = ?1 AND removed_at IS NULL", &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->resource);
	bool row;
	e = store_step(st, &row);
	int64_t rid = !e && row ? store_col_int(st, 0) : 0;
	store_finish(st);
	if (!e && !row)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có tài nguyên này.", "no resource");
	if (e)
		return e;
	e = store_prepare(c,
	                  "INSERT INTO od_upload (id, resource_id, length, received, created_by, "
	                  "created_at) VALUES (?1, ?2, ?3, 0, ?4, ?5)",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->id);
	store_bind_int(st, 2, rid);
	store_bind_int(st, 3, x->length);
	store_bind_text(st, 4, x->actor);
	store_bind_text(st, 5, ts_format(ts_now(), now));
	e = store_step(st, &row);
	store_finish(st);
	if (!e) {
		json_t *detail = json_pack("{s:s,s:I}", "resource", x->resource, "length",
		                           (json_int_t)x->length);
		e = audit_append(c, x->actor, "opendata.upload.create", x->id, detail);
		json_decref(detail);
	}
	return e;
}

static mc_err upload_get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	upload_ctx *x = vctx;
	json_decref(x->row);
	x->row = NULL;
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT u.length, u.received, u.created_by, r.uuid, u.created_at "
	                  "FROM od_upload u JOIN od_resource r ON r.id = u.resource_id WHERE "
	                  "u.id = ?1",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->id);
	bool row;
	e = store_step(st, &row);
	if (!e && !row)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có phiên tải lên này.",
		             "no upload %.40s", x->id);
	if (!e)
		x->row =
		    json_pack("{s:s,s:s,s:I,s:I,s:s,s:s}", "id", x->id, "resource",
		              store_col_text(st, 3), "length", (json_int_t)store_col_int(st, 0),
		              "offset", (json_int_t)store_col_int(st, 1), "created_by",
		              store_col_text(st, 2), "created", store_col_text(st, 4));
	store_finish(st);
	return e;
}

static mc_err upload_set_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	upload_ctx *x = vctx;
	store_stmt *st;
	mc_err e = x->received < 0
	               ? store_prepare(c, "DELETE FROM od_upload WHERE id = ?1", &st)
	               : store_prepare(c, "UPDATE od_upload SET received = ?2 WHERE id = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->id);
	if (x->received >= 0)
		store_bind_int(st, 2, x->received);
	bool row;
	e = store_step(st, &row);
	store_finish(st);
	return e;
}

static char *upload_path(mc_app *app, const char *id)
{
	char *dir = opendata_dir(app, "uploads");
	char *p = mc_xasprintf("%s/%s", dir, id);
	free(dir);
	return p;
}

static bool hex_id(const char *s)
{
	if (!s || strlen(s) != 32)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static void set_offset_headers(mc_resp *resp, int64_t off, int64_t len)
{
	char b[32];
	snprintf(b, sizeof b, "%" PRId64, off);
	http_add_header(resp, "Upload-Offset", b);
	snprintf(b, sizeof b, "%" PRId64, len);
	http_add_header(resp, "Upload-Length", b);
}

/* POST /api/v1/opendata/resources/{id}/uploads {"length": N} */
static void post_upload(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *len = json_object_get(http_json(req), "length");
	mc_err e;
	if (!json_is_integer(len) || json_integer_value(len) < 0 ||
	    (uint64_t)json_integer_value(len) > max_bytes()) {
		json_t *errs = json_array();
		mc_errors_add(errs, "$.length", "length is the total size in bytes (0..limit)",
		              "length là tổng kích thước tính bằng byte");
		mc_diag_ext(&diag, "errors", errs);
		e = mc_fail2(&diag, MC_ERR_UNPROCESSABLE, "Kích thước không hợp lệ.",
		             "invalid length");
		goto fail;
	}
	e = may_upload(req->app, &req->who, req->params[0], &diag);
	if (e)
		goto fail;
	char id[33];
	rand_hex(id);
	char *path = upload_path(req->app, id);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	free(path);
	if (fd < 0) {
		e = mc_fail(&diag, MC_ERR_IO, "cannot create the upload file");
		goto fail;
	}
	close(fd);
	upload_ctx x = {.id = id,
	                .resource = req->params[0],
	                .actor = req->who.username,
	                .length = json_integer_value(len)};
	e = store_write(req->app->db, upload_new_fn, &x, &diag);
	if (e)
		goto fail;
	char loc[96];
	snprintf(loc, sizeof loc, "/api/v1/opendata/uploads/%s", id);
	http_add_header(resp, "Location", loc);
	set_offset_headers(resp, 0, x.length);
	http_reply_json(resp, 201,
	                json_pack("{s:s,s:s,s:I,s:i}", "id", id, "resource", req->params[0],
	                          "length", (json_int_t)x.length, "offset", 0));
	mc_diag_clear(&diag);
	return;
fail:
	http_reply_error(req, resp, e, &diag);
	mc_diag_clear(&diag);
}

static mc_err upload_load(mc_app *app, const mc_principal *who, const char *id, json_t **row,
                          mc_diag *diag)
{
	*row = NULL;
	if (!hex_id(id))
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có phiên tải lên này.", "no upload");
	upload_ctx x = {.id = id};
	mc_err e = store_read(app->db, upload_get_fn, &x, diag);
	if (e)
		return e;
	if (who->role != ROLE_ADMIN && strcmp(str_of(x.row, "created_by"), who->username) != 0) {
		json_decref(x.row);
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có phiên tải lên này.", "no upload");
	}
	*row = x.row;
	return MC_OK;
}

/* GET (and HEAD) /api/v1/opendata/uploads/{id} */
static void get_upload(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	json_t *row;
	mc_err e = upload_load(req->app, &req->who, req->params[0], &row, &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
	} else {
		set_offset_headers(resp, json_integer_value(json_object_get(row, "offset")),
		                   json_integer_value(json_object_get(row, "length")));
		json_object_del(row, "created_by");
		http_reply_json(resp, 200, row);
	}
	mc_diag_clear(&diag);
}

typedef struct patch_ctx {
	mc_app *app;
	char id[33];
	char *path;
	int fd;
	int64_t start, length, n;
	bool handled;
} patch_ctx;

static mc_err patch_open(mc_req *req, void **vctx, mc_diag *diag)
{
	json_t *row;
	mc_err e = upload_load(req->app, &req->who, req->params[0], &row, diag);
	if (e)
		return e;
	int64_t off = json_integer_value(json_object_get(row, "offset"));
	int64_t len = json_integer_value(json_object_get(row, "length"));
	json_decref(row);
	const char *h = http_header(req, "Upload-Offset");
	char *end = NULL;
	long long claimed = h ? strtoll(h, &end, 10) : -1;
	if (!h || !*h || *end || claimed < 0)
		return mc_fail2(diag, MC_ERR_INVALID, "Thiếu tiêu đề Upload-Offset.",
		                "the Upload-Offset header (a byte count) is required");
	if (claimed != off) {
		mc_diag_ext(diag, "offset", json_integer(off));
		return mc_fail2(
		    diag, MC_ERR_CONFLICT,
		    "Upload-Offset không khớp số byte đã nhận; hỏi lại vị trí bằng HEAD.",
		    "Upload-Offset %lld does not match the %lld bytes stored; ask "
		    "with HEAD",
		    claimed, (long long)off);
	}
	patch_ctx *x = mc_xcalloc(1, sizeof *x);
	x->app = req->app;
	snprintf(x->id, sizeof x->id, "%s", req->params[0]);
	x->path = upload_path(req->app, x->id);
	x->start = off;
	x->length = len;
	x->fd = open(x->path, O_WRONLY | O_CLOEXEC);
	/* bytes past the acknowledged offset were never confirmed: drop them */
	if (x->fd < 0 || ftruncate(x->fd, off) != 0 || lseek(x->fd, off, SEEK_SET) != off) {
		if (x->fd >= 0)
			close(x->fd);
		free(x->path);
		free(x);
		return mc_fail(diag, MC_ERR_IO, "cannot open the upload file");
	}
	*vctx = x;
	return MC_OK;
}

static mc_err patch_write(void *vctx, const char *p, size_t n, mc_diag *diag)
{
	patch_ctx *x = vctx;
	if (x->start + x->n + (int64_t)n > x->length)
		return mc_fail2(diag, MC_ERR_CONFLICT, "Dữ liệu vượt quá độ dài đã khai báo.",
		                "the data goes past the announced Upload-Length");
	mc_err e = write_all(x->fd, p, n, diag);
	if (!e)
		x->n += (int64_t)n;
	return e;
}

static void patch_close(void *vctx)
{
	patch_ctx *x = vctx;
	if (!x)
		return;
	if (!x->handled && x->fd >= 0 && x->n > 0) {
		/* interrupted: keep what arrived so the client can resume */
		if (fsync(x->fd) == 0) {
			upload_ctx u = {.id = x->id, .received = x->start + x->n};
			store_write(x->app->db, upload_set_fn, &u, NULL);
		}
	}
	if (x->fd >= 0)
		close(x->fd);
	free(x->path);
	free(x);
}

/* PATCH /api/v1/opendata/uploads/{id} with Upload-Offset */
static void patch_upload(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	patch_ctx *x = req->stream_ctx;
	if (req->stream_err) {
		if (x)
			x->handled = true; /* unacknowledged bytes are dropped on resume */
		http_reply_error(req, resp, req->stream_err, &req->stream_diag);
		return;
	}
	x->handled = true;
	mc_err e = MC_OK;
	if (fsync(x->fd) != 0) {
		e = mc_fail(&diag, MC_ERR_IO, "fsync failed");
		goto fail;
	}
	int64_t now = x->start + x->n;
	upload_ctx u = {.id = x->id, .received = now};
	if (now < x->length) {
		e = store_write(req->app->db, upload_set_fn, &u, &diag);
		if (e)
			goto fail;
		set_offset_headers(resp, now, x->length);
		http_reply_bytes(resp, 204, "application/json", "", 0);
		mc_diag_clear(&diag);
		return;
	}
	/* complete: the file becomes a new version of the resource */
	json_t *row;
	e = upload_load(req->app, &req->who, x->id, &row, &diag);
	if (e)
		goto fail;
	char *resource = mc_xstrdup(str_of(row, "resource"));
	json_decref(row);
	close(x->fd);
	x->fd = -1;
	char *dir = opendata_dir(req->app, "tmp");
	char *tmp = mc_xasprintf("%s/%s", dir, x->id);
	free(dir);
	json_t *out = NULL;
	if (rename(x->path, tmp) != 0) {
		e = mc_fail(&diag, MC_ERR_IO, "cannot move the upload");
	} else {
		u.received = -1; /* the upload is over, whatever the commit says */
		store_write(req->app->db, upload_set_fn, &u, NULL);
		e = opendata_content_commit(req->app, req->who.username, resource, tmp, &out,
		                            &diag);
	}
	free(tmp);
	free(resource);
	if (e)
		goto fail;
	set_offset_headers(resp, now, x->length);
	http_reply_json(resp, 200, out);
	mc_diag_clear(&diag);
	return;
fail:
	http_reply_error(req, resp, e, &diag);
	mc_diag_clear(&diag);
}

/* ---- downloads ---- */

typedef struct file_ctx {
	const char *id;
	int64_t version; /* 0 = current */
	char file[200], sha[65], format[8], dataset[128];
	int64_t size, v;
} file_ctx;

static mc_err file_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	file_ctx *x = vctx;
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "SELECT v.file, v.sha256, v.size, r.format, v.version, d.name FROM od_resource r JOIN "
	    "od_dataset d ON d.id = r.dataset_id JOIN od_resource_version v ON v.resource_id "
	    "= "
	    "r.id "
	    "AND v.version = (CASE WHEN ?2 = 0 THEN r.version ELSE ?2 END) WHERE r.uuid = ?1",
	    &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->id);
	store_bind_int(st, 2, x->version);
	bool row;
	e = store_step(st, &row);
	if (!e && !row)
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không có nội dung (phiên bản) này.",
		             "no such resource content (version)");
	if (!e) {
		snprintf(x->file, sizeof x->file, "%s", store_col_text(st, 0));
		snprintf(x->sha, sizeof x->sha, "%s", store_col_text(st, 1));
		x->size = store_col_int(st, 2);
		snprintf(x->format, sizeof x->format, "%s", store_col_text(st, 3));
		x->v = store_col_int(st, 4);
		snprintf(x->dataset, sizeof x->dataset, "%s", store_col_text(st, 5));
	}
	store_finish(st);
	return e;
}

typedef struct gz_ctx {
	int fd;
	z_stream z;
	unsigned char in[1 << 16];
	bool eof, done;
} gz_ctx;

static long gz_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	gz_ctx *g = cls;
	if (g->done)
		return 0;
	g->z.next_out = (unsigned char *)buf;
	g->z.avail_out = (uInt)(max > (1u << 30) ? (1u << 30) : max);
	while (g->z.avail_out > 0) {
		if (g->z.avail_in == 0 && !g->eof) {
			ssize_t n = read(g->fd, g->in, sizeof g->in);
			if (n < 0)
				return -1;
			if (n == 0)
				g->eof = true;
			g->z.next_in = g->in;
			g->z.avail_in = (uInt)n;
		}
		int r = deflate(&g->z, g->eof ? Z_FINISH : Z_NO_FLUSH);
		if (r == Z_STREAM_END) {
			g->done = true;
			break;
		}
		if (r != Z_OK && r != Z_BUF_ERROR)
			return -1;
	}
	long produced = (long)((char *)g->z.next_out - buf);
	return produced;
}

static void gz_free(void *cls)
{
	gz_ctx *g = cls;
	deflateEnd(&g->z);
	close(g->fd);
	free(g);
}

static bool accepts_gzip(const char *ae)
{
	if (!ae)
		return false;
	const char *p = strstr(ae, "gzip");
	if (!p)
		return false;
	const char *q = p + 4;
	while (*q == ' ')
		q++;
	if (*q == ';') {
		const char *v = strstr(q, "q=");
		if (v && strtod(v + 2, NULL) == 0.0)
			return false;
	}
	return true;
}

/* Parses a single "bytes=a-b" range against size; 1 ok, 0 no usable range
 * (ignore the header), -1 unsatisfiable. */
static int parse_range(const char *h, int64_t size, int64_t *from, int64_t *to)
{
	if (strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	const char *s = h + 6;
	char *end;
	if (*s == '-') {
		long long n = strtoll(s + 1, &end, 10);
		if (*end || n <= 0)
			return 0;
		if (size == 0)
			return -1;
		*from = n >= size ? 0 : size - n;
		*to = size - 1;
		return 1;
	}
	long long a = strtoll(s, &end, 10);
	if (end == s || *end != '-' || a < 0)
		return 0;
	s = end + 1;
	long long b = size - 1;
	if (*s) {
		b = strtoll(s, &end, 10);
		if (*end || b < a)
			return 0;
	}
	if (a >= size)
		return -1;
	*from = a;
	*to = b >= size ? size - 1 : b;
	return 1;
}

/* GET /api/v1/opendata/resources/{id}/download[?version=N] */
mc_err opendata_content_read(mc_app *app, const char *id, size_t max, char **out, size_t *len,
                             mc_diag *diag)
{
	file_ctx x = {.id = id};
	*out = NULL;
	*len = 0;
	mc_err e = store_read(app->db, file_fn, &x, diag);
	if (e)
		return e;
	if (x.size < 0 || (uint64_t)x.size > max)
		return mc_fail(diag, MC_ERR_TOO_LARGE, "content of %" PRId64 " bytes", x.size);
	char *dir = opendata_dir(app, "files");
	char *path = mc_xasprintf("%s/%s", dir, x.file);
	free(dir);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f)
		return mc_fail(diag, MC_ERR_IO, "cannot read the resource content");
	char *buf = mc_xmalloc((size_t)x.size + 1);
	size_t n = fread(buf, 1, (size_t)x.size, f);
	fclose(f);
	if (n != (size_t)x.size) {
		free(buf);
		return mc_fail(diag, MC_ERR_IO, "short read of the resource content");
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return MC_OK;
}

static void get_download(mc_req *req, mc_resp *resp)
{
	mc_diag diag = {0};
	file_ctx x = {.id = req->params[0]};
	const char *vq = http_query(req, "version");
	if (vq) {
		char *end;
		long long v = strtoll(vq, &end, 10);
		if (!*vq || *end || v < 1 || v > 1000000000) {
			http_reply_problem(req, resp, MC_ERR_INVALID, "Phiên bản không hợp lệ.",
			                   "version must be a positive integer");
			return;
		}
		x.version = v;
	}
	mc_err e = store_read(req->app->db, file_fn, &x, &diag);
	if (e) {
		http_reply_error(req, resp, e, &diag);
		mc_diag_clear(&diag);
		return;
	}
	const char *ctype =
	    strcmp(x.format, "CSV") == 0 ? "text/csv; charset=utf-8" : "application/json";
	bool gz = accepts_gzip(http_header(req, "Accept-Encoding"));
	const char *range = http_header(req, "Range");
	int64_t from = 0, to = x.size - 1;
	int rr = range ? parse_range(range, x.size, &from, &to) : 0;
	if (rr != 0)
		gz = false; /* ranges address the stored bytes */
	char etag[80];
	snprintf(etag, sizeof etag, "\"%s%s\"", x.sha, gz ? "-gzip" : "");
	char disp[300];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s-v%" PRId64 ".%s\"", x.dataset, x.v,
	         strcmp(x.format, "CSV") == 0 ? "csv" : "json");
	char vbuf[24];
	snprintf(vbuf, sizeof vbuf, "%" PRId64, x.v);
	http_add_header(resp, "ETag", etag);
	http_add_header(resp, "Vary", "Accept-Encoding");
	http_add_header(resp, "Accept-Ranges", "bytes");
	http_add_header(resp, "X-Resource-Version", vbuf);
	http_add_header(resp, "Cache-Control",
	                x.version ? "public, max-age=31536000, immutable" : "public, max-age=60");
	const char *inm = http_header(req, "If-None-Match");
	if (inm && (strcmp(inm, "*") == 0 || strstr(inm, etag))) {
		http_reply_bytes(resp, 304, ctype, "", 0);
		return;
	}
	if (rr < 0) {
		char cr[64];
		snprintf(cr, sizeof cr, "bytes */%" PRId64, x.size);
		http_add_header(resp, "Content-Range", cr);
		const char *p = "{\"type\":\"https://motcua.gov.vn/problems/range\",\"title\":"
		                "\"Range Not Satisfiable\",\"status\":416}";
		http_reply_bytes(resp, 416, "application/problem+json", p, strlen(p));
		return;
	}
	char *dir = opendata_dir(req->app, "files");
	char *path = mc_xasprintf("%s/%s", dir, x.file);
	free(dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0) {
		http_reply_problem(req, resp, MC_ERR_IO, "Không đọc được tệp.",
		                   "cannot read the file");
		return;
	}
	http_add_header(resp, "Content-Disposition", disp);
	if (gz) {
		gz_ctx *g = mc_xcalloc(1, sizeof *g);
		g->fd = fd;
		if (deflateInit2(&g->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			close(fd);
			free(g);
			http_reply_problem(req, resp, MC_ERR_INTERNAL, "Lỗi hệ thống.", "zlib");
			return;
		}
		http_add_header(resp, "Content-Encoding", "gzip");
		http_reply_stream(resp, 200, ctype, UINT64_MAX, gz_read, g, gz_free);
		return;
	}
	if (rr > 0) {
		char cr[96];
		snprintf(cr, sizeof cr, "bytes %" PRId64 "-%" PRId64 "/%" PRId64, from, to, x.size);
		http_add_header(resp, "Content-Range", cr);
		http_reply_fd(resp, 206, ctype, fd, (uint64_t)from, (uint64_t)(to - from + 1));
		return;
	}
	http_reply_fd(resp, 200, ctype, fd, 0, (uint64_t)x.size);
}

/* ---- CKAN resource_create body: JSON, or multipart/form-data streamed ---- */

#define FORM_HEADERS_MAX 16384 /* the headers of one part */
#define FORM_FIELD_MAX 262144  /* one text field (a table schema is one) */
#define FORM_FIELDS_MAX 64     /* text fields */

enum { F_BODY, F_AFTER, F_HDR, F_DONE };

struct od_form {
	char delim[80]; /* "\r\n--" boundary */
	size_t dlen;
	int state;
	char *buf; /* bytes not consumed yet */
	size_t len, cap;
	/* the part being read */
	bool in_file, discard;
	char name[64];
	mc_buf value;
	size_t total; /* text bytes kept */
	/* results */
	json_t *fields;
	char *tmp, *filename;
	int fd;
	uint64_t size, max;
	bool file_seen;
};

static mc_err form_fail(mc_diag *diag, const char *en)
{
	return mc_fail2(diag, MC_ERR_INVALID, "Nội dung multipart/form-data không hợp lệ.", "%s",
	                en);
}

/* The value of `key="..."` (or key=token) in a Content-Disposition line;
 * false when absent. */
static bool disp_param(const char *line, const char *key, char *out, size_t max)
{
	size_t kl = strlen(key);
	for (const char *p = line; (p = strcasestr(p, key)) != NULL; p += kl) {
		if ((p != line && p[-1] != ' ' && p[-1] != ';') || p[kl] != '=')
			continue;
		const char *v = p + kl + 1;
		size_t n = 0;
		if (*v == '"') {
			v++;
			while (v[n] && v[n] != '"')
				n++;
		} else {
			while (v[n] && v[n] != ';' && v[n] != ' ' && v[n] != '\r')
				n++;
		}
		if (n >= max)
			n = max - 1;
		memcpy(out, v, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

static mc_err form_part_begin(od_form *f, const char *hdr, size_t n, mc_diag *diag)
{
	char *h = mc_xstrndup(hdr, n);
	mc_err e = MC_OK;
	const char *cd = NULL;
	for (char *line = h; line && *line;) {
		char *end = strstr(line, "\r\n");
		if (end)
			*end = '\0';
		if (strncasecmp(line, "Content-Disposition:", 20) == 0)
			cd = line + 20;
		line = end ? end + 2 : NULL;
	}
	char fname[256] = "";
	f->name[0] = '\0';
	f->in_file = f->discard = false;
	mc_buf_free(&f->value);
	if (!cd || !disp_param(cd, "name", f->name, sizeof f->name)) {
		e = form_fail(diag, "a part has no Content-Disposition name");
	} else if (disp_param(cd, "filename", fname, sizeof fname)) {
		if (strcmp(f->name, "upload") != 0 || f->file_seen) {
			f->discard = true; /* other files are not kept */
		} else {
			f->in_file = f->file_seen = true;
			free(f->filename);
			f->filename = mc_xstrdup(fname);
		}
	} else if (json_object_size(f->fields) >= FORM_FIELDS_MAX) {
		e = form_fail(diag, "too many form fields");
	}
	free(h);
	return e;
}

static mc_err form_emit(od_form *f, const char *p, size_t n, mc_diag *diag)
{
	if (!n || f->discard || f->state == F_HDR)
		return MC_OK;
	if (f->in_file) {
		if (f->size + n > f->max)
			return mc_fail2(diag, MC_ERR_TOO_LARGE, "Tệp quá lớn.",
			                "the upload exceeds %" PRIu64 " bytes", f->max);
		f->size += n;
		return write_all(f->fd, p, n, diag);
	}
	if (!f->name[0])
		return MC_OK; /* preamble */
	if (f->value.len + n > FORM_FIELD_MAX || f->total + n > 4 * FORM_FIELD_MAX)
		return mc_fail2(diag, MC_ERR_TOO_LARGE, "Trường biểu mẫu quá lớn.",
		                "the form field %s exceeds %d bytes", f->name, FORM_FIELD_MAX);
	f->total += n;
	mc_buf_append(&f->value, p, n);
	return MC_OK;
}

static mc_err form_part_end(od_form *f, mc_diag *diag)
{
	if (!f->name[0] || f->in_file || f->discard)
		return MC_OK;
	const char *v = mc_buf_cstr(&f->value);
	if (!text_utf8_valid(v, f->value.len))
		return form_fail(diag, "a form field is not valid UTF-8");
	json_object_set_new(f->fields, f->name, json_string(v));
	return MC_OK;
}

od_form *od_form_new(const char *content_type, mc_app *app, mc_diag *diag, mc_err *e)
{
	char boundary[72] = "";
	*e = MC_OK;
	if (!content_type || strncasecmp(content_type, "multipart/form-data", 19) != 0 ||
	    !disp_param(content_type, "boundary", boundary, sizeof boundary) || !*boundary) {
		*e = form_fail(diag, "multipart/form-data needs a boundary");
		return NULL;
	}
	od_form *f = mc_xcalloc(1, sizeof *f);
	f->dlen = (size_t)snprintf(f->delim, sizeof f->delim, "\r\n--%s", boundary);
	f->fields = json_object();
	f->fd = -1;
	f->max = max_bytes();
	/* the body opens with "--boundary": seen as a delimiter after a virtual
	 * CRLF, the preamble being a part without a name */
	f->cap = 4096;
	f->buf = mc_xmalloc(f->cap);
	memcpy(f->buf, "\r\n", 2);
	f->len = 2;
	f->state = F_BODY;
	char *dir = opendata_dir(app, "tmp");
	char rnd[33];
	rand_hex(rnd);
	f->tmp = mc_xasprintf("%s/%s", dir, rnd);
	free(dir);
	f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (f->fd < 0) {
		*e = mc_fail(diag, MC_ERR_IO, "cannot create a temporary file");
		od_form_free(f);
		return NULL;
	}
	return f;
}

mc_err od_form_feed(od_form *f, const char *p, size_t n, mc_diag *diag)
{
	if (f->len + n > f->cap) {
		while (f->len + n > f->cap)
			f->cap *= 2;
		f->buf = mc_xrealloc(f->buf, f->cap);
	}
	memcpy(f->buf + f->len, p, n);
	f->len += n;
	size_t pos = 0;
	mc_err e = MC_OK;
	while (!e && pos < f->len) {
		char *at = f->buf + pos;
		size_t left = f->len - pos;
		if (f->state == F_BODY) {
			char *d = memmem(at, left, f->delim, f->dlen);
			if (!d) {
				/* keep what could begin a delimiter */
				size_t safe = left >= f->dlen ? left - (f->dlen - 1) : 0;
				e = form_emit(f, at, safe, diag);
				pos += safe;
				break;
			}
			e = form_emit(f, at, (size_t)(d - at), diag);
			if (!e)
				e = form_part_end(f, diag);
			pos += (size_t)(d - at) + f->dlen;
			f->state = F_AFTER;
		} else if (f->state == F_AFTER) {
			if (left < 2)
				break;
			if (at[0] == '-' && at[1] == '-') {
				f->state = F_DONE;
			} else if (at[0] == '\r' && at[1] == '\n') {
				f->state = F_HDR;
				pos += 2;
			} else {
				e = form_fail(diag, "bad multipart delimiter");
			}
		} else if (f->state == F_HDR) {
			char *end = memmem(at, left, "\r\n\r\n", 4);
			if (!end) {
				if (left > FORM_HEADERS_MAX)
					e = form_fail(diag, "the headers of a part are too long");
				break;
			}
			e = form_part_begin(f, at, (size_t)(end - at) + 2, diag);
			pos += (size_t)(end - at) + 4;
			f->state = F_BODY;
		} else {
			pos = f->len; /* epilogue */
		}
	}
	memmove(f->buf, f->buf + pos, f->len - pos);
	f->len -= pos;
	return e;
}

mc_err od_form_finish(od_form *f, mc_diag *diag)
{
	if (f->state != F_DONE)
		return form_fail(diag, "the multipart body ends before its closing delimiter");
	if (f->fd >= 0) {
		if (fsync(f->fd) != 0) {
			close(f->fd);
			f->fd = -1;
			return mc_fail(diag, MC_ERR_IO, "fsync failed");
		}
		close(f->fd);
		f->fd = -1;
	}
	return MC_OK;
}

json_t *od_form_fields(od_form *f)
{
	return f->fields;
}

const char *od_form_file(od_form *f)
{
	return f->file_seen ? f->tmp : NULL;
}

const char *od_form_filename(od_form *f)
{
	return f->filename;
}

void od_form_free(od_form *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp); /* no-op once committed (moved) */
	free(f->tmp);
	free(f->filename);
	free(f->buf);
	mc_buf_free(&f->value);
	json_decref(f->fields);
	free(f);
}

/* Checks a CSV file against a table schema (before anything is written):
 * UNPROCESSABLE with errors {row, field, message}. */
mc_err od_csv_check_file(const char *path, json_t *schema, mc_diag *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mc_fail(diag, MC_ERR_IO, "cannot read the upload");
	od_csv *v = od_csv_new(schema);
	char *buf = mc_xmalloc(1 << 20);
	ssize_t n;
	while ((n = read(fd, buf, 1 << 20)) > 0)
		od_csv_feed(v, buf, (size_t)n);
	free(buf);
	close(fd);
	json_t *errors = NULL;
	int64_t rows = 0;
	long nerr = od_csv_finish(v, &errors, &rows);
	od_csv_free(v);
	if (!nerr) {
		json_decref(errors);
		return MC_OK;
	}
	mc_diag_ext(diag, "errors", errors);
	mc_diag_ext(diag, "error_count", json_integer(nerr));
	return mc_fail2(diag, MC_ERR_UNPROCESSABLE,
	                "Tệp CSV không khớp lược đồ bảng (xem errors: dòng và trường).",
	                "the CSV does not match its table schema (%ld errors)", nerr);
}

const http_route opendata_file_routes[] = {
    {"PUT", "/api/v1/opendata/resources/{id}/content", put_content, ACCESS_OFFICER, BODY_STREAM},
    {"POST", "/api/v1/opendata/resources/{id}/uploads", post_upload, ACCESS_OFFICER, BODY_JSON},
    {"GET", "/api/v1/opendata/uploads/{id}", get_upload, ACCESS_OFFICER, BODY_NONE},
    {"PATCH", "/api/v1/opendata/uploads/{id}", patch_upload, ACCESS_OFFICER, BODY_STREAM},
    {"GET", "/api/v1/opendata/resources/{id}/download", get_download, ACCESS_PUBLIC, BODY_NONE},
    {0},
};

static const http_stream_ops put_ops = {put_open, put_write, put_close};
static const http_stream_ops patch_ops = {patch_open, patch_write, patch_close};

const http_stream_route opendata_stream_routes[] = {
    {put_content, &put_ops},
    {patch_upload, &patch_ops},
    {opendata_ckan_resource_create, &opendata_rc_ops},
    {0, 0},
};
