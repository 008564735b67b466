/* result_keys.c - the master key file, encryption of agencies' secret keys
 * at rest, key ids, signing primitives and key rotation (table result_key).
 * The master key lives only in process memory (sodium_malloc'ed, locked);
 * secret keys are decrypted for one signature and wiped right after. */
#include "result/result_internal.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/mem.h"
#include "territory/territory.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *master; /* NULL until loaded */
static char public_url[RESULT_PUBLIC_URL_MAX + 1] = "http://127.0.0.1:8080";

void result_master_key_set(const unsigned char *key)
{
	if (sodium_init() < 0)
		abort();
	pthread_mutex_lock(&cfg_lock);
	if (key) {
		if (!master) {
			master = sodium_malloc(RESULT_MASTER_KEY_BYTES);
			if (!master)
				abort();
		}
		memcpy(master, key, RESULT_MASTER_KEY_BYTES);
	} else if (master) {
		sodium_free(master);
		master = NULL;
	}
	pthread_mutex_unlock(&cfg_lock);
}

/* Copies the master key into buf; false when none is loaded. */
static bool master_copy(unsigned char buf[RESULT_MASTER_KEY_BYTES])
{
	pthread_mutex_lock(&cfg_lock);
	bool ok = master != NULL;
	if (ok)
		memcpy(buf, master, RESULT_MASTER_KEY_BYTES);
	pthread_mutex_unlock(&cfg_lock);
	return ok;
}

char *result_master_key_path(const char *option, const char *data_dir)
{
	if (option && *option)
		return mc_xstrdup(option);
	const char *env = getenv("MOTCUA_MASTER_KEY_FILE");
	if (env && *env)
		return mc_xstrdup(env);
	return mc_xasprintf("%s/master.key", data_dir ? data_dir : ".");
}

static int fsync_parent(const char *path)
{
	char *dir = mc_xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

mc_err result_master_key_create(const char *path, bool *created, mc_diag *diag)
{
	if (created)
		*created = false;
	struct stat sb;
	if (stat(path, &sb) == 0)
		return MC_OK;
	unsigned char key[RESULT_MASTER_KEY_BYTES];
	char hex[2 * RESULT_MASTER_KEY_BYTES + 2];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	sodium_memzero(key, sizeof key);
	strcat(hex, "\n");
	mc_err e = MC_OK;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = mc_fail(diag, MC_ERR_IO, "cannot create the master key %s: %s", path,
		            strerror(errno));
		goto out;
	}
	size_t n = strlen(hex);
	if (write(fd, hex, n) != (ssize_t)n || fsync(fd) != 0) {
		e = mc_fail(diag, MC_ERR_IO, "cannot write the master key %s: %s", path,
		            strerror(errno));
		close(fd);
		unlink(path);
		goto out;
	}
	close(fd);
	if (fsync_parent(path) != 0) {
		e = mc_fail(diag, MC_ERR_IO, "cannot sync the directory of %s", path);
		goto out;
	}
	if (created)
		*created = true;
out:
	sodium_memzero(hex, sizeof hex);
	return e;
}

mc_err result_master_key_load(const char *path, mc_diag *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mc_fail(diag, MC_ERR_IO,
		               "cannot read the master key %s: %s (motcua init creates it; nodes "
		               "sharing a database must share it)",
		               path, strerror(errno));
	struct stat sb;
	char buf[2 * RESULT_MASTER_KEY_BYTES + 8];
	unsigned char key[RESULT_MASTER_KEY_BYTES];
	mc_err e = MC_OK;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		e = mc_fail(diag, MC_ERR_IO, "the master key %s is not a file", path);
		goto out;
	}
	if (sb.st_mode & 077) {
		e = mc_fail(diag, MC_ERR_INVALID,
		            "the master key %s is readable by others: chmod 600 it", path);
		goto out;
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	if (n < 0) {
		e = mc_fail(diag, MC_ERR_IO, "cannot read the master key %s", path);
		goto out;
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	size_t got = 0;
	if (n != 2 * RESULT_MASTER_KEY_BYTES ||
	    sodium_hex2bin(key, sizeof key, buf, (size_t)n, NULL, &got, NULL) != 0 ||
	    got != sizeof key) {
		e = mc_fail(diag, MC_ERR_INVALID, "the master key %s must be 64 hex digits", path);
		goto out;
	}
	result_master_key_set(key);
out:
	sodium_memzero(buf, sizeof buf);
	sodium_memzero(key, sizeof key);
	close(fd);
	return e;
}

mc_err result_set_public_url(const char *url, mc_diag *diag)
{
	size_t n = url ? strlen(url) : 0;
	bool ok = n > 0 && n <= RESULT_PUBLIC_URL_MAX &&
	          (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0);
	for (size_t i = 0; ok && i < n; i++)
		ok = url[i] > 0x20 && url[i] < 0x7f && url[i] != '"' && url[i] != '<' &&
		     url[i] != '>' && url[i] != '\'' && url[i] != '\\';
	if (!ok)
		return mc_fail(diag, MC_ERR_INVALID,
		               "--public-url must be an http:// or https:// address of at most %d "
		               "printable characters",
		               RESULT_PUBLIC_URL_MAX);
	while (n > 0 && url[n - 1] == '/')
		n--;
	pthread_mutex_lock(&cfg_lock);
	memcpy(public_url, url, n);
	public_url[n] = '\0';
	pthread_mutex_unlock(&cfg_lock);
	return MC_OK;
}

char *result_verify_url(const char *id)
{
	pthread_mutex_lock(&cfg_lock);
	char *s = mc_xasprintf("%s/verify/%s", public_url, id);
	pthread_mutex_unlock(&cfg_lock);
	return s;
}

/* ---- primitives ---- */

char *result_canonical(const json_t *doc)
{
	return json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

void result_sign_bytes(const unsigned char sk[crypto_sign_SECRETKEYBYTES], const void *p, size_t n,
                       char sig_hex[2 * crypto_sign_BYTES + 1])
{
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, p, n, sk);
	sodium_bin2hex(sig_hex, 2 * crypto_sign_BYTES + 1, sig, sizeof sig);
}

bool result_signature_ok(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const void *p,
                         size_t n, const char *sig_hex)
{
	unsigned char sig[crypto_sign_BYTES];
	size_t got = 0;
	if (!sig_hex || strlen(sig_hex) != 2 * crypto_sign_BYTES ||
	    sodium_hex2bin(sig, sizeof sig, sig_hex, strlen(sig_hex), NULL, &got, NULL) != 0 ||
	    got != sizeof sig)
		return false;
	return crypto_sign_verify_detached(sig, p, n, pk) == 0;
}

/* Associated data binding a sealed key to its row. */
static char *seal_ad(const char *key_id, const char *agency)
{
	return mc_xasprintf("motcua.result_key.v1|%s|%s", key_id, agency);
}

void result_key_seal(const unsigned char m[RESULT_MASTER_KEY_BYTES], const char *key_id,
                     const char *agency, const unsigned char sk[crypto_sign_SECRETKEYBYTES],
                     char **hex_out)
{
	enum { NB = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES };
	unsigned char
	    buf[NB + crypto_sign_SECRETKEYBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	randombytes_buf(buf, NB);
	char *ad = seal_ad(key_id, agency);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + NB, &clen, sk, crypto_sign_SECRETKEYBYTES,
	                                           (const unsigned char *)ad, strlen(ad), NULL, buf,
	                                           m);
	free(ad);
	size_t total = NB + (size_t)clen;
	*hex_out = mc_xmalloc(2 * total + 1);
	sodium_bin2hex(*hex_out, 2 * total + 1, buf, total);
}

mc_err result_key_open(const unsigned char m[RESULT_MASTER_KEY_BYTES], const char *key_id,
                       const char *agency, const char *hex,
                       unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	enum { NB = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES };
	unsigned char
	    buf[NB + crypto_sign_SECRETKEYBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	size_t got = 0;
	if (!hex || strlen(hex) != 2 * sizeof buf ||
	    sodium_hex2bin(buf, sizeof buf, hex, strlen(hex), NULL, &got, NULL) != 0 ||
	    got != sizeof buf)
		return MC_ERR_FORBIDDEN;
	char *ad = seal_ad(key_id, agency);
	unsigned long long mlen = 0;
	int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
	    sk, &mlen, NULL, buf + NB, got - NB, (const unsigned char *)ad, strlen(ad), buf, m);
	free(ad);
	if (rc != 0 || mlen != crypto_sign_SECRETKEYBYTES) {
		sodium_memzero(sk, crypto_sign_SECRETKEYBYTES);
		return MC_ERR_FORBIDDEN;
	}
	return MC_OK;
}

void result_key_id(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                   char id[RESULT_KEY_ID_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, pk, crypto_sign_PUBLICKEYBYTES);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	id[0] = 'k';
	memcpy(id + 1, hex, RESULT_KEY_ID_LEN - 1);
	id[RESULT_KEY_ID_LEN] = '\0';
}

/* ---- keys in the store ---- */

static mc_err no_master(mc_diag *diag)
{
	return mc_fail2(diag, MC_ERR_UNAVAILABLE,
	                "Chưa cấu hình khóa chủ để ký kết quả; liên hệ quản trị viên.",
	                "No master key is loaded, so results cannot be signed "
	                "(--master-key or MOTCUA_MASTER_KEY_FILE).");
}

static json_t *key_json(store_stmt *st)
{
	const char *retired = store_col_text(st, 5);
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:o}", "id", store_col_text(st, 0), "agency",
	                 store_col_text(st, 1), "public_key", store_col_text(st, 2), "active",
	                 store_col_int(st, 3) != 0, "created_at", store_col_text(st, 4),
	                 "retired_at", retired ? json_string(retired) : json_null());
}

mc_err result_key_rotate(store_conn *c, const char *agency, const char *actor, json_t **out,
                         mc_diag *diag)
{
	if (out)
		*out = NULL;
	unsigned char m[RESULT_MASTER_KEY_BYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char *sealed = NULL, *pk_hex = NULL;
	json_t *ag = NULL;
	char previous[RESULT_KEY_ID_LEN + 1] = "";
	store_stmt *st = NULL;
	if (!master_copy(m))
		return no_master(diag);
	mc_err e = territory_agency_get(c, agency, &ag, NULL);
	if (e == MC_ERR_NOT_FOUND) {
		e = mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy cơ quan.", "No such agency.");
		goto out;
	}
	if (e)
		goto out;
	char now[32];
	ts_format(ts_now(), now);
	/* the current active key, if any, is retired (kept for verification) */
	if ((e = store_prepare(c, "SELECT id FROM result_key WHERE agency = ?1 AND active = 1",
	                       &st)))
		goto out;
	store_bind_text(st, 1, agency);
	bool row;
	if (!(e = store_step(st, &row)) && row)
		snprintf(previous, sizeof previous, "%s", store_col_text(st, 0));
	store_finish(st);
	st = NULL;
	if (e)
		goto out;
	if (previous[0]) {
		const char *p[] = {now, previous};
		if ((e = store_execv(
		         c, "UPDATE result_key SET active = 0, retired_at = ?1 WHERE id = ?2", 2,
		         p)))
			goto out;
	}
	crypto_sign_keypair(pk, sk);
	char kid[RESULT_KEY_ID_LEN + 1];
	result_key_id(pk, kid);
	result_key_seal(m, kid, agency, sk, &sealed);
	pk_hex = mc_xmalloc(2 * sizeof pk + 1);
	sodium_bin2hex(pk_hex, 2 * sizeof pk + 1, pk, sizeof pk);
	if ((e = store_prepare(
	         c,
	         "INSERT INTO result_key (id, agency, public_key, secret_enc, active, "
	         "created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)",
	         &st)))
		goto out;
	store_bind_text(st, 1, kid);
	store_bind_text(st, 2, agency);
	store_bind_text(st, 3, pk_hex);
	store_bind_text(st, 4, sealed);
	store_bind_text(st, 5, now);
	e = store_step(st, NULL);
	store_finish(st);
	st = NULL;
	if (e) {
		e = mc_fail(diag, e, "cannot store the signing key");
		goto out;
	}
	json_t *detail =
	    json_pack("{s:s, s:s, s:o}", "agency", agency, "key_id", kid, "previous_key_id",
	              previous[0] ? json_string(previous) : json_null());
	char object[128];
	snprintf(object, sizeof object, "agency/%s", agency);
	e = audit_append(c, actor ? actor : "system", "result.key_rotate", object, detail);
	json_decref(detail);
	if (e)
		goto out;
	if (out)
		*out =
		    json_pack("{s:s, s:s, s:s, s:b, s:s, s:n}", "id", kid, "agency", agency,
		              "public_key", pk_hex, "active", 1, "created_at", now, "retired_at");
out:
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(m, sizeof m);
	json_decref(ag);
	free(sealed);
	free(pk_hex);
	return e;
}

typedef struct rotate_ctx {
	const char *agency, *actor;
	json_t *out;
} rotate_ctx;

static mc_err rotate_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	rotate_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return result_key_rotate(c, x->agency, x->actor, &x->out, diag);
}

mc_err result_key_rotate_on(store *s, const char *agency, const char *actor, json_t **out,
                            mc_diag *diag)
{
	rotate_ctx x = {agency, actor, NULL};
	mc_err e = store_write(s, rotate_fn, &x, diag);
	if (!e && out) {
		*out = x.out;
		x.out = NULL;
	}
	json_decref(x.out);
	return e;
}

mc_err result_keys_list(store_conn *c, const char *agency, json_t **out, mc_diag *diag)
{
	*out = NULL;
	json_t *ag = NULL;
	mc_err e = territory_agency_get(c, agency, &ag, NULL);
	json_decref(ag);
	if (e == MC_ERR_NOT_FOUND)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy cơ quan.",
		                "No such agency.");
	if (e)
		return e;
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "SELECT id, agency, public_key, active, created_at, retired_at FROM "
	                       "result_key WHERE agency = ?1 ORDER BY created_at DESC, id",
	                       &st)))
		return e;
	store_bind_text(st, 1, agency);
	json_t *items = json_array();
	bool row;
	while (!(e = store_step(st, &row)) && row)
		json_array_append_new(items, key_json(st));
	store_finish(st);
	if (e) {
		json_decref(items);
		return e;
	}
	*out = items;
	return MC_OK;
}

mc_err result_active_key(store_conn *c, const char *agency, const char *actor,
                         char kid[RESULT_KEY_ID_LEN + 1],
                         unsigned char sk[crypto_sign_SECRETKEYBYTES], mc_diag *diag)
{
	unsigned char m[RESULT_MASTER_KEY_BYTES];
	if (!master_copy(m))
		return no_master(diag);
	mc_err e = MC_OK;
	char *sealed = NULL;
	for (int attempt = 0; attempt < 2 && !sealed; attempt++) {
		store_stmt *st;
		if ((e = store_prepare(
		         c,
		         "SELECT id, secret_enc FROM result_key WHERE agency = ?1 AND "
		         "active = 1",
		         &st)))
			goto out;
		store_bind_text(st, 1, agency);
		bool row;
		if (!(e = store_step(st, &row)) && row) {
			snprintf(kid, RESULT_KEY_ID_LEN + 1, "%s", store_col_text(st, 0));
			sealed = mc_xstrdup(store_col_text(st, 1));
		}
		store_finish(st);
		if (e)
			goto out;
		if (!sealed && attempt == 0 &&
		    (e = result_key_rotate(c, agency, actor, NULL, diag)))
			goto out;
	}
	if (!sealed) {
		e = mc_fail(diag, MC_ERR_INTERNAL, "no signing key after creating one");
		goto out;
	}
	if (result_key_open(m, kid, agency, sealed, sk) != MC_OK)
		e = mc_fail2(diag, MC_ERR_UNAVAILABLE,
		             "Không giải mã được khóa ký của cơ quan (sai khóa chủ?).",
		             "The agency's signing key cannot be decrypted: is this the master key "
		             "the other nodes use?");
out:
	sodium_memzero(m, sizeof m);
	free(sealed);
	return e;
}

mc_err result_agency_sign(store_conn *c, const char *agency, const char *actor, const void *p,
                          size_t n, char kid[RESULT_KEY_ID_LEN + 1],
                          char sig_hex[2 * crypto_sign_BYTES + 1], mc_diag *diag)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	mc_err e = result_active_key(c, agency, actor, kid, sk, diag);
	if (!e)
		result_sign_bytes(sk, p, n, sig_hex);
	sodium_memzero(sk, sizeof sk);
	return e;
}
