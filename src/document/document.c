/* document.c - the document service: media-type and magic-number checks,
 * content-addressed blob files under DATA/blobs/aa/bb/<sha256> written
 * durably (temp file, fsync, rename, fsync of the directory) before the row
 * of table document is committed, and reading metadata and content back. */
#include "document/document.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/mem.h"
#include "core/text.h"
#include "ocr/ocr.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *type;
	const unsigned char *magic;
	size_t len;
} magics[] = {
    {"application/pdf", (const unsigned char *)"%PDF-", 5},
    {"image/png", (const unsigned char *)"\x89PNG\r\n\x1a\n", 8},
    {"image/jpeg", (const unsigned char *)"\xff\xd8\xff", 3},
    {"image/tiff", (const unsigned char *)"II*\0", 4},
    {"image/tiff", (const unsigned char *)"MM\0*", 4},
};

mc_err document_media_type(const char *content_type, char *buf, size_t bufsize, mc_diag *diag)
{
	if (!content_type)
		goto bad;
	const char *s = content_type;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = 0;
	while (s[n] && s[n] != ';' && s[n] != ' ' && s[n] != '\t')
		n++;
	if (n == 0 || n >= bufsize)
		goto bad;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
		if (strcmp(magics[i].type, buf) == 0)
			return MC_OK;
	}
bad:
	if (bufsize)
		buf[0] = '\0';
	return mc_fail2(diag, MC_ERR_MEDIA_TYPE, "Chỉ chấp nhận tệp PDF, PNG, JPEG hoặc TIFF.",
	                "Only application/pdf, image/png, image/jpeg and image/tiff are accepted.");
}

bool document_magic_ok(const char *media_type, const void *p, size_t n)
{
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
		if (strcmp(magics[i].type, media_type) == 0 && n >= magics[i].len &&
		    memcmp(p, magics[i].magic, magics[i].len) == 0)
			return true;
	}
	return false;
}

static bool name_ok(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > DOCUMENT_NAME_MAX || !text_utf8_valid(name, len))
		return false;
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			return false;
	}
	return true;
}

static char *blob_root(mc_app *app)
{
	if (app->blob_dir)
		return mc_xstrdup(app->blob_dir);
	return mc_xasprintf("%s/blobs", app->data_dir ? app->data_dir : ".");
}

static char *blob_path(mc_app *app, const char *sha)
{
	char *root = blob_root(app);
	char *p = mc_xasprintf("%s/%.2s/%.2s/%s", root, sha, sha + 2, sha);
	free(root);
	return p;
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* mkdir that tolerates an existing directory; a new directory is made
 * durable by syncing its parent. */
static int ensure_dir(const char *path, const char *parent)
{
	if (mkdir(path, 0750) == 0)
		return fsync_dir(parent);
	if (errno != EEXIST)
		return -1;
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

/* Writes the blob for `sha` unless present. Durable when it returns 0. */
static mc_err blob_write(mc_app *app, const char *sha, const void *p, size_t n, mc_diag *diag)
{
	mc_err err = MC_OK;
	char *root = blob_root(app);
	char *d1 = mc_xasprintf("%s/%.2s", root, sha);
	char *d2 = mc_xasprintf("%s/%.2s", d1, sha + 2);
	char *final = mc_xasprintf("%s/%s", d2, sha);
	char *tmp = NULL;
	char *parent = app->data_dir ? mc_xstrdup(app->data_dir) : mc_xstrdup(".");
	int fd = -1;

	if (ensure_dir(root, parent) || ensure_dir(d1, root) || ensure_dir(d2, d1)) {
		err = mc_fail(diag, MC_ERR_IO, "cannot create the blob directory: %s",
		              strerror(errno));
		goto out;
	}
	struct stat sb;
	if (stat(final, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == n) {
		/* same content already stored; make sure its name is durable */
		if (fsync_dir(d2))
			err = mc_fail(diag, MC_ERR_IO, "cannot sync the blob directory");
		goto out;
	}
	unsigned char rnd[8];
	char rhex[17];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(rhex, sizeof rhex, rnd, sizeof rnd);
	tmp = mc_xasprintf("%s/.tmp-%s", d2, rhex);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		err = mc_fail(diag, MC_ERR_IO, "cannot create a blob file: %s", strerror(errno));
		goto out;
	}
	const unsigned char *b = p;
	size_t left = n;
	while (left > 0) {
		ssize_t w = write(fd, b, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = mc_fail(diag, MC_ERR_IO, "cannot write a blob file: %s",
			              strerror(errno));
			goto out;
		}
		b += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0) {
		err = mc_fail(diag, MC_ERR_IO, "cannot sync a blob file: %s", strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, final) != 0) {
		err = mc_fail(diag, MC_ERR_IO, "cannot rename a blob file: %s", strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (fsync_dir(d2) != 0)
		err = mc_fail(diag, MC_ERR_IO, "cannot sync the blob directory");
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(root);
	free(d1);
	free(d2);
	free(final);
	free(parent);
	return err;
}

typedef struct put_ctx {
	const char *id, *sha, *media_type, *name, *actor, *created_at;
	int64_t owner;
	size_t size;
} put_ctx;

static mc_err put_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	put_ctx *x = vctx;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "INSERT INTO document (id, sha256, media_type, size, name, "
	                         "owner_user_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->id);
	store_bind_text(st, 2, x->sha);
	store_bind_text(st, 3, x->media_type);
	store_bind_int(st, 4, (int64_t)x->size);
	store_bind_text(st, 5, x->name);
	store_bind_int(st, 6, x->owner);
	store_bind_text(st, 7, x->created_at);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		return mc_fail(diag, e, "cannot store the document");
	json_t *detail = json_pack("{s:s, s:s, s:I}", "sha256", x->sha, "media_type", x->media_type,
	                           "size", (json_int_t)x->size);
	char object[64];
	snprintf(object, sizeof object, "document/%s", x->id);
	e = audit_append(c, x->actor, "document.upload", object, detail);
	json_decref(detail);
	/* text extraction of the scan, queued with the upload (never lost) */
	if (!e)
		e = ocr_enqueue(c, x->id, x->sha, x->media_type, x->created_at);
	return e;
}

mc_err document_put(mc_app *app, int64_t owner_user_id, const char *actor, const char *media_type,
                    const void *p, size_t n, const char *name, json_t **out, mc_diag *diag)
{
	char mt[64];
	mc_err e = document_media_type(media_type, mt, sizeof mt, diag);
	if (e)
		return e;
	if (app->max_upload > 0 && n > (size_t)app->max_upload)
		return mc_fail2(diag, MC_ERR_TOO_LARGE, "Tệp quá lớn.",
		                "The document is larger than %ld bytes.", app->max_upload);
	if (n == 0)
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE, "Tệp rỗng.", "The document is empty.");
	if (!document_magic_ok(mt, p, n))
		return mc_fail2(diag, MC_ERR_UNPROCESSABLE,
		                "Nội dung tệp không khớp với kiểu tệp đã khai báo.",
		                "The content does not match the declared type %s.", mt);
	if (name && !name_ok(name))
		return mc_fail2(
		    diag, MC_ERR_INVALID,
		    "Tên tệp không hợp lệ (tối đa 255 byte, không có ký tự điều khiển).",
		    "Invalid file name (at most 255 bytes of UTF-8, no control "
		    "characters).");
	if (sodium_init() < 0)
		return mc_fail(diag, MC_ERR_INTERNAL, "libsodium cannot start");

	unsigned char hash[crypto_hash_sha256_BYTES];
	char sha[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(hash, p, n);
	sodium_bin2hex(sha, sizeof sha, hash, sizeof hash);
	unsigned char rnd[16];
	char id[DOCUMENT_ID_LEN + 1];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	char now[32];
	ts_format(ts_now(), now);

	if ((e = blob_write(app, sha, p, n, diag)))
		return e;
	put_ctx x = {.id = id,
	             .sha = sha,
	             .media_type = mt,
	             .name = name,
	             .actor = actor ? actor : "",
	             .created_at = now,
	             .owner = owner_user_id,
	             .size = n};
	if ((e = store_write(app->db, put_fn, &x, diag)))
		return e;
	ocr_worker_wake();
	if (out)
		*out = json_pack("{s:s, s:s, s:s, s:I, s:o, s:s}", "id", id, "sha256", sha,
		                 "media_type", mt, "size", (json_int_t)n, "name",
		                 name ? json_string(name) : json_null(), "created_at", now);
	return MC_OK;
}

static bool id_ok(const char *id)
{
	if (!id || strlen(id) != DOCUMENT_ID_LEN)
		return false;
	for (const char *s = id; *s; s++) {
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	}
	return true;
}

mc_err document_get(store_conn *c, const char *id, json_t **out, mc_diag *diag)
{
	*out = NULL;
	if (!id_ok(id))
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy tài liệu.",
		                "No such document.");
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT id, sha256, media_type, size, name, owner_user_id, "
	                         "created_at FROM document WHERE id = ?1",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, id);
	bool row;
	e = store_step(st, &row);
	if (!e && row) {
		const char *name = store_col_text(st, 4);
		*out = json_pack("{s:s, s:s, s:s, s:I, s:o, s:I, s:s}", "id", store_col_text(st, 0),
		                 "sha256", store_col_text(st, 1), "media_type",
		                 store_col_text(st, 2), "size", (json_int_t)store_col_int(st, 3),
		                 "name", name ? json_string(name) : json_null(), "owner",
		                 (json_int_t)store_col_int(st, 5), "created_at",
		                 store_col_text(st, 6));
	}
	store_finish(st);
	if (e)
		return e;
	if (!*out)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy tài liệu.",
		                "No such document.");
	return MC_OK;
}

mc_err document_read_content(mc_app *app, json_t *meta, void **data, size_t *n, mc_diag *diag)
{
	*data = NULL;
	*n = 0;
	const char *sha = json_string_value(json_object_get(meta, "sha256"));
	json_int_t size = json_integer_value(json_object_get(meta, "size"));
	if (!sha || strlen(sha) != 64)
		return mc_fail(diag, MC_ERR_INTERNAL, "document without a hash");
	char *path = blob_path(app, sha);
	mc_err err = MC_OK;
	unsigned char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = mc_fail(diag, MC_ERR_IO, "the content of the document is missing");
		goto out;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0 || sb.st_size != (off_t)size) {
		err = mc_fail(diag, MC_ERR_IO, "the content of the document has a wrong size");
		goto out;
	}
	buf = mc_xmalloc((size_t)size + 1);
	size_t got = 0;
	while (got < (size_t)size) {
		ssize_t r = read(fd, buf + got, (size_t)size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = mc_fail(diag, MC_ERR_IO, "cannot read the content of the document");
			goto out;
		}
		got += (size_t)r;
	}
	*data = buf;
	*n = got;
	buf = NULL;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(path);
	return err;
}
