/* audit.c - the hash-chained audit log: append inside the caller's write
 * transaction, verification of the whole chain against the head row, and
 * the filtered, paged listing behind GET /api/v1/audit. */
#include "audit/audit.h"

#include "core/date.h"
#include "core/mem.h"
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_TAG "motcua.audit.v1"
#define AUDIT_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_HASH_HEX (crypto_hash_sha256_BYTES * 2 + 1)

/* Feeds "<len>:<bytes>" of s into the hash state. */
static void hash_field(crypto_hash_sha256_state *st, const char *s)
{
	char len[32];
	size_t n = strlen(s);
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

/* Computes the hex hash of one entry into out (AUDIT_HASH_HEX bytes). */
static void entry_hash(const char *prev_hash, int64_t seq, const char *at, const char *actor,
                       const char *action, const char *object, const char *detail, char *out)
{
	crypto_hash_sha256_state st;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char seqs[32];

	snprintf(seqs, sizeof seqs, "%" PRId64, seq);
	crypto_hash_sha256_init(&st);
	hash_field(&st, AUDIT_TAG);
	hash_field(&st, prev_hash);
	hash_field(&st, seqs);
	hash_field(&st, at);
	hash_field(&st, actor);
	hash_field(&st, action);
	hash_field(&st, object);
	hash_field(&st, detail);
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(out, AUDIT_HASH_HEX, digest, sizeof digest);
}

mc_err audit_append(store_conn *c, const char *actor, const char *action, const char *object,
                    json_t *detail)
{
	store_stmt *st = NULL;
	char *canon = NULL;
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX], at[32];
	int64_t seq = 0;
	bool row = false;
	mc_err e;

	if (!action || !*action)
		return MC_ERR_INTERNAL;
	if (!actor || !*actor)
		actor = "system";
	if (!object)
		object = "";
	canon = detail ? json_dumps(detail, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY)
	               : mc_xstrdup("{}");
	if (!canon) {
		e = MC_ERR_INTERNAL;
		goto out;
	}
	ts_format(ts_now(), at);

	/* Taking the head first locks it (PostgreSQL row lock, SQLite write
	 * transaction): appenders are serialised and seq has no gaps. */
	e = store_prepare(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
	                  &st);
	if (e)
		goto out;
	e = store_step(st, &row);
	if (!e && !row)
		e = MC_ERR_INTERNAL; /* the head row was removed */
	if (!e) {
		const char *h = store_col_text(st, 1);
		seq = store_col_int(st, 0);
		snprintf(prev, sizeof prev, "%s", h ? h : "");
		while (!e && row)
			e = store_step(st, &row);
	}
	store_finish(st);
	st = NULL;
	if (e)
		goto out;

	entry_hash(prev, seq, at, actor, action, object, canon, hash);
	e = store_prepare(
	    c,
	    "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, "
	    "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    &st);
	if (e)
		goto out;
	store_bind_int(st, 1, seq);
	store_bind_text(st, 2, at);
	store_bind_text(st, 3, actor);
	store_bind_text(st, 4, action);
	store_bind_text(st, 5, object);
	store_bind_text(st, 6, canon);
	store_bind_text(st, 7, prev);
	store_bind_text(st, 8, hash);
	e = store_step(st, &row);
	store_finish(st);
	st = NULL;
	if (e)
		goto out;
	{
		const char *p[] = {hash};
		e = store_execv(c, "UPDATE audit_head SET hash = ?1 WHERE id = 1", 1, p);
	}
out:
	free(canon);
	return e;
}

typedef struct verify_ctx {
	long long checked;
	long long first_bad;
} verify_ctx;

static mc_err broken(verify_ctx *v, mc_diag *diag, long long seq, const char *vi, const char *en)
{
	v->first_bad = seq;
	return mc_fail2(diag, MC_ERR_CONFLICT, vi, "%s", en);
}

static mc_err verify_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	verify_ctx *v = vctx;
	store_stmt *st = NULL;
	char last_hash[AUDIT_HASH_HEX] = AUDIT_ZERO_HASH, want[AUDIT_HASH_HEX];
	long long last_seq = 0, head_seq = 0;
	char head_hash[AUDIT_HASH_HEX] = "";
	char why[256], why_vi[256];
	bool row = false, have_head = false;
	mc_err e;

	v->checked = 0;
	v->first_bad = 0;

	e = store_prepare(c, "SELECT seq, hash FROM audit_head WHERE id = 1", &st);
	if (e)
		return mc_fail(diag, e, "cannot read the audit head");
	e = store_step(st, &row);
	if (!e && row) {
		const char *h = store_col_text(st, 1);
		head_seq = store_col_int(st, 0);
		snprintf(head_hash, sizeof head_hash, "%s", h ? h : "");
		have_head = true;
	}
	store_finish(st);
	st = NULL;
	if (e)
		return mc_fail(diag, e, "cannot read the audit head");
	if (!have_head)
		return broken(v, diag, 1, "thiếu dòng đầu chuỗi nhật ký",
		              "the audit head row is missing");

	e = store_prepare(c,
	                  "SELECT seq, at, actor, action, object, detail, prev_hash, hash "
	                  "FROM audit_log ORDER BY seq",
	                  &st);
	if (e)
		return mc_fail(diag, e, "cannot read the audit log");
	for (;;) {
		e = store_step(st, &row);
		if (e) {
			mc_fail(diag, e, "cannot read the audit log");
			goto out;
		}
		if (!row)
			break;
		long long seq = store_col_int(st, 0);
		const char *at = store_col_text(st, 1), *actor = store_col_text(st, 2),
		           *action = store_col_text(st, 3), *object = store_col_text(st, 4),
		           *detail = store_col_text(st, 5), *prev = store_col_text(st, 6),
		           *hash = store_col_text(st, 7);
		if (seq != last_seq + 1) {
			snprintf(why, sizeof why, "entry %lld is missing (deleted)", last_seq + 1);
			snprintf(why_vi, sizeof why_vi, "thiếu mục %lld (bị xóa)", last_seq + 1);
			e = broken(v, diag, last_seq + 1, why_vi, why);
			goto out;
		}
		if (!prev || strcmp(prev, last_hash) != 0) {
			e = broken(v, diag, seq,
			           "prev_hash không khớp với mục trước (mục bị xóa hoặc thay)",
			           "prev_hash does not match the previous entry (an entry was "
			           "deleted or replaced)");
			goto out;
		}
		if (!at || !actor || !action || !object || !detail || !hash) {
			e = broken(v, diag, seq, "một trường của mục bị rỗng (bị sửa)",
			           "a field of the entry is NULL (edited)");
			goto out;
		}
		entry_hash(prev, seq, at, actor, action, object, detail, want);
		if (strcmp(hash, want) != 0) {
			e = broken(v, diag, seq, "mã băm không khớp (mục bị sửa)",
			           "hash mismatch (entry edited)");
			goto out;
		}
		snprintf(last_hash, sizeof last_hash, "%s", hash);
		last_seq = seq;
		v->checked++;
	}
	if (head_seq > last_seq) {
		snprintf(why, sizeof why, "entries %lld to %lld are missing (log truncated)",
		         last_seq + 1, head_seq);
		snprintf(why_vi, sizeof why_vi, "thiếu các mục %lld đến %lld (nhật ký bị cắt)",
		         last_seq + 1, head_seq);
		v->first_bad = last_seq + 1;
		e = mc_fail2(diag, MC_ERR_CONFLICT, why_vi, "%s", why);
		goto out;
	}
	if (head_seq < last_seq) {
		e = broken(v, diag, head_seq + 1, "có mục được thêm sau đầu chuỗi đã ghi",
		           "an entry was added after the recorded head");
		goto out;
	}
	if (strcmp(head_hash, last_hash) != 0) {
		e = broken(v, diag, last_seq > 0 ? last_seq : 1,
		           "mục mới nhất không khớp với đầu chuỗi đã ghi (bị thay)",
		           "the newest entry does not match the recorded head (replaced)");
		goto out;
	}
	e = MC_OK;
out:
	store_finish(st);
	return e;
}

mc_err audit_verify(store *s, long long *checked, long long *first_bad, mc_diag *diag)
{
	verify_ctx v = {0, 0};
	mc_err e = store_read(s, verify_fn, &v, diag);
	if (checked)
		*checked = v.checked;
	if (first_bad)
		*first_bad = e == MC_ERR_CONFLICT ? v.first_bad : 0;
	return e;
}

typedef struct list_ctx {
	const audit_query *q;
	json_t *items; /* out */
	bool more;     /* out */
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	list_ctx *x = vctx;
	const audit_query *q = x->q;
	mc_buf sql = {0};
	store_stmt *st = NULL;
	const char *vals[3];
	int n = 0;
	bool row = false;
	mc_err e;

	json_decref(x->items);
	x->items = json_array();
	x->more = false;

	/* Only fixed fragments go into the SQL text; values are bound. */
	mc_buf_puts(&sql, "SELECT seq, at, actor, action, object, detail, prev_hash, hash "
	                  "FROM audit_log WHERE 1 = 1");
	if (q->object) {
		vals[n++] = q->object;
		mc_buf_printf(&sql, " AND object = ?%d", n);
	}
	if (q->actor) {
		vals[n++] = q->actor;
		mc_buf_printf(&sql, " AND actor = ?%d", n);
	}
	if (q->action) {
		vals[n++] = q->action;
		mc_buf_printf(&sql, " AND action = ?%d", n);
	}
	if (q->before > 0)
		mc_buf_printf(&sql, " AND seq < ?%d", n + 1);
	mc_buf_printf(&sql, " ORDER BY seq DESC LIMIT ?%d", n + (q->before > 0) + 1);

	e = store_prepare(c, mc_buf_cstr(&sql), &st);
	if (e) {
		mc_fail(diag, e, "cannot read the audit log");
		goto out;
	}
	for (int i = 0; i < n; i++)
		store_bind_text(st, i + 1, vals[i]);
	if (q->before > 0)
		store_bind_int(st, n + 1, q->before);
	store_bind_int(st, n + (q->before > 0) + 1, q->limit + 1);
	for (;;) {
		e = store_step(st, &row);
		if (e || !row)
			break;
		if ((int)json_array_size(x->items) == q->limit) {
			x->more = true;
			break;
		}
		const char *detail = store_col_text(st, 5);
		json_t *d = detail ? json_loads(detail, JSON_DECODE_ANY, NULL) : NULL;
		json_array_append_new(
		    x->items,
		    json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:o, s:s?, s:s?}", "seq",
		              (json_int_t)store_col_int(st, 0), "at", store_col_text(st, 1),
		              "actor", store_col_text(st, 2), "action", store_col_text(st, 3),
		              "object", store_col_text(st, 4), "detail", d ? d : json_null(),
		              "prev_hash", store_col_text(st, 6), "hash", store_col_text(st, 7)));
	}
	if (e)
		mc_fail(diag, e, "cannot read the audit log");
out:
	store_finish(st);
	mc_buf_free(&sql);
	return e;
}

mc_err audit_list(store *s, const audit_query *q, json_t **items, bool *more, mc_diag *diag)
{
	list_ctx x = {.q = q};
	mc_err e = store_read(s, list_fn, &x, diag);
	if (e) {
		json_decref(x.items);
		x.items = NULL;
	}
	*items = x.items;
	*more = x.more;
	return e;
}
