/* ocr.c - the OCR job queue (table ocr_job: enqueue with the upload, claim
 * with a lease, complete, fail), reading a job, searching extracted text
 * scoped to the caller's agency, and the character-accuracy measure. */
#include "ocr/ocr.h"

#include "core/date.h"
#include "core/mem.h"
#include "core/text.h"
#include "dossier/dossier.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_INDEX "ocr"
#define EXCERPT_MAX 300

/* Longest prefix of s of at most max bytes that ends on a UTF-8 boundary. */
static size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Stores text as the result of a job and indexes it (inside a write). */
static mc_err store_text(store_conn *c, const char *id, const char *text, int pages,
                         const char *now)
{
	store_stmt *st;
	mc_err e = store_prepare(
	    c,
	    "UPDATE ocr_job SET state = 'done', text = ?1, pages = ?2, "
	    "error = NULL, lease_until = NULL, claimed_by = NULL, updated_at = ?3 WHERE "
	    "document_id = ?4",
	    &st);
	if (e)
		return e;
	store_bind_text(st, 1, text);
	store_bind_int(st, 2, pages);
	store_bind_text(st, 3, now);
	store_bind_text(st, 4, id);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		return e;
	char *folded = text_fold(text);
	e = store_text_put(c, TEXT_INDEX, id, folded ? folded : "");
	free(folded);
	return e;
}

mc_err ocr_enqueue(store_conn *c, const char *document_id, const char *sha256,
                   const char *media_type, const char *now)
{
	const char *p[] = {document_id, sha256, media_type, now};
	mc_err e = store_execv(c,
	                       "INSERT INTO ocr_job (document_id, sha256, media_type, state, "
	                       "attempts, created_at, updated_at) VALUES (?1, ?2, ?3, 'queued', 0, "
	                       "?4, ?4)",
	                       4, p);
	if (e)
		return e;
	/* the same content read before: reuse its text */
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "SELECT text, pages FROM ocr_job WHERE sha256 = ?1 AND state = "
	                       "'done' AND document_id <> ?2 LIMIT 1",
	                       &st)))
		return e;
	store_bind_text(st, 1, sha256);
	store_bind_text(st, 2, document_id);
	bool row = false;
	char *text = NULL;
	int pages = 0;
	if (!(e = store_step(st, &row)) && row) {
		const char *t = store_col_text(st, 0);
		text = mc_xstrdup(t ? t : "");
		pages = (int)store_col_int(st, 1);
	}
	store_finish(st);
	if (!e && text)
		e = store_text(c, document_id, text, pages, now);
	free(text);
	return e;
}

typedef struct claim_ctx {
	const char *worker;
	ocr_job *job;
	bool got;
	int n;
} claim_ctx;

static mc_err claim_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	claim_ctx *x = vctx;
	x->got = false;
	time_t t = ts_now();
	char now[32], until[32];
	ts_format(t, now);
	ts_format(t + OCR_LEASE_SECONDS, until);
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT document_id, media_type, attempts, state, lease_until "
	                         "FROM ocr_job WHERE state = 'queued' OR (state = 'running' AND "
	                         "lease_until < ?1) ORDER BY created_at, document_id LIMIT 1",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, now);
	bool row = false;
	char state[16] = "", lease[32] = "";
	if (!(e = store_step(st, &row)) && row) {
		snprintf(x->job->document_id, sizeof x->job->document_id, "%s",
		         store_col_text(st, 0));
		snprintf(x->job->media_type, sizeof x->job->media_type, "%s",
		         store_col_text(st, 1));
		x->job->attempts = (int)store_col_int(st, 2);
		snprintf(state, sizeof state, "%s", store_col_text(st, 3));
		const char *l = store_col_text(st, 4);
		snprintf(lease, sizeof lease, "%s", l ? l : "");
	}
	store_finish(st);
	if (e || !row)
		return e;
	bool give_up = x->job->attempts >= OCR_MAX_ATTEMPTS;
	/* only if nobody claimed it meanwhile (another node) */
	if ((e = store_prepare(c,
	                       give_up
	                           ? "UPDATE ocr_job SET state = 'failed', lease_until = NULL, "
	                             "error = ?1, updated_at = ?2 WHERE document_id = ?3 AND "
	                             "state = ?4 AND coalesce(lease_until, '') = ?5"
	                           : "UPDATE ocr_job SET state = 'running', lease_until = ?1, "
	                             "attempts = attempts + 1, updated_at = ?2, claimed_by = ?6 "
	                             "WHERE document_id = ?3 AND state = ?4 AND "
	                             "coalesce(lease_until, '') = ?5",
	                       &st)))
		return e;
	store_bind_text(st, 1, give_up ? "gave up after repeated attempts" : until);
	store_bind_text(st, 2, now);
	store_bind_text(st, 3, x->job->document_id);
	store_bind_text(st, 4, state);
	store_bind_text(st, 5, lease);
	if (!give_up)
		store_bind_text(st, 6, x->worker);
	e = store_step(st, NULL);
	int64_t changed = e ? 0 : store_changes(c);
	store_finish(st);
	if (e)
		return e;
	x->got = !give_up && changed == 1;
	if (x->got)
		x->job->attempts++;
	(void)diag;
	return MC_OK;
}

mc_err ocr_claim(store *s, const char *worker, ocr_job *job, bool *got, mc_diag *diag)
{
	memset(job, 0, sizeof *job);
	claim_ctx x = {worker, job, false, 0};
	mc_err e = store_write(s, claim_fn, &x, diag);
	*got = !e && x.got;
	return e;
}

static mc_err requeue_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	claim_ctx *x = vctx;
	char now[32];
	ts_format(ts_now(), now);
	const char *p[] = {now, x->worker};
	mc_err e =
	    store_execv(c,
	                "UPDATE ocr_job SET state = 'queued', lease_until = NULL, claimed_by = "
	                "NULL, updated_at = ?1 WHERE state = 'running' AND claimed_by = ?2",
	                2, p);
	x->n = e ? 0 : (int)store_changes(c);
	return e;
}

mc_err ocr_requeue_own(store *s, const char *worker, int *n, mc_diag *diag)
{
	claim_ctx x = {worker, NULL, false, 0};
	mc_err e = store_write(s, requeue_fn, &x, diag);
	if (n)
		*n = e ? 0 : x.n;
	return e;
}

typedef struct finish_ctx {
	const char *id, *text, *reason;
	int pages;
} finish_ctx;

/* The outcome of a job. Not an audit entry: the text is data derived from
 * an upload that is audited itself, and the job row records state, times
 * and attempts (a background writer appending to the audit chain would
 * also interleave with every request's entries). */
static mc_err finish_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	finish_ctx *x = vctx;
	char now[32];
	ts_format(ts_now(), now);
	(void)diag;
	if (x->reason) {
		const char *p[] = {x->reason, now, x->id};
		return store_execv(
		    c,
		    "UPDATE ocr_job SET state = 'failed', error = ?1, lease_until = NULL, "
		    "claimed_by = NULL, updated_at = ?2 WHERE document_id = ?3",
		    3, p);
	}
	return store_text(c, x->id, x->text, x->pages, now);
}

mc_err ocr_complete(store *s, const char *document_id, const char *text, int pages, mc_diag *diag)
{
	char *cut = mc_xstrndup(text ? text : "", utf8_cut(text ? text : "", OCR_TEXT_MAX));
	finish_ctx x = {document_id, cut, NULL, pages};
	mc_err e = store_write(s, finish_fn, &x, diag);
	free(cut);
	return e;
}

mc_err ocr_fail(store *s, const char *document_id, const char *reason, mc_diag *diag)
{
	finish_ctx x = {document_id, NULL, reason ? reason : "failed", 0};
	return store_write(s, finish_fn, &x, diag);
}

mc_err ocr_get(store_conn *c, const char *document_id, json_t **out, mc_diag *diag)
{
	*out = NULL;
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "SELECT document_id, state, attempts, pages, text, error, "
	                         "created_at, updated_at FROM ocr_job WHERE document_id = ?1",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, document_id);
	bool row = false;
	if (!(e = store_step(st, &row)) && row) {
		const char *text = store_col_text(st, 4), *err = store_col_text(st, 5);
		*out = json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:s, s:s}", "document_id",
		                 store_col_text(st, 0), "state", store_col_text(st, 1), "attempts",
		                 (json_int_t)store_col_int(st, 2), "pages",
		                 store_col_null(st, 3) ? json_null()
		                                       : json_integer(store_col_int(st, 3)),
		                 "text", text ? json_string(text) : json_null(), "error",
		                 err ? json_string(err) : json_null(), "created_at",
		                 store_col_text(st, 6), "updated_at", store_col_text(st, 7));
	}
	store_finish(st);
	if (e)
		return e;
	if (!*out)
		return mc_fail2(diag, MC_ERR_NOT_FOUND, "Tài liệu chưa được số hóa.",
		                "No text extraction for this document.");
	return MC_OK;
}

/* ---- search ---- */

static bool collect_hit(const char *key, double rank, void *ctx)
{
	(void)rank;
	json_array_append_new(ctx, json_string(key));
	return true;
}

typedef struct search_ctx {
	const mc_principal *who;
	const char *folded;
	int limit, offset;
	json_t *items;
	bool more;
} search_ctx;

static mc_err search_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	search_ctx *x = vctx;
	json_decref(x->items);
	x->items = json_array();
	x->more = false;
	json_t *keys = json_array();
	mc_err e =
	    store_text_search(c, TEXT_INDEX, x->folded, OCR_SEARCH_SCAN, 0, collect_hit, keys);
	int skipped = 0;
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		if (e)
			break;
		const char *id = json_string_value(k);
		json_t *ds = NULL;
		if ((e = dossier_document_dossiers(c, id, &ds))) {
			json_decref(ds);
			break;
		}
		json_t *codes = json_array();
		size_t j;
		json_t *d;
		json_array_foreach(ds, j, d)
		{
			const char *agency = json_string_value(json_object_get(d, "agency"));
			if (x->who->role == ROLE_ADMIN ||
			    (agency && strcmp(agency, x->who->agency) == 0))
				json_array_append(codes, json_object_get(d, "code"));
		}
		json_decref(ds);
		if (json_array_size(codes) == 0) {
			json_decref(codes);
			continue;
		}
		if (skipped < x->offset) {
			skipped++;
			json_decref(codes);
			continue;
		}
		if ((int)json_array_size(x->items) == x->limit) {
			x->more = true;
			json_decref(codes);
			break;
		}
		json_t *job = NULL;
		if ((e = ocr_get(c, id, &job, diag))) {
			json_decref(codes);
			if (e == MC_ERR_NOT_FOUND) {
				mc_diag_clear(diag);
				e = MC_OK;
				continue;
			}
			break;
		}
		const char *text = json_string_value(json_object_get(job, "text"));
		if (!text)
			text = "";
		json_array_append_new(x->items, json_pack("{s:s, s:o, s:O, s:s%}", "document_id",
		                                          id, "dossiers", codes, "pages",
		                                          json_object_get(job, "pages"), "excerpt",
		                                          text, utf8_cut(text, EXCERPT_MAX)));
		json_decref(job);
	}
	json_decref(keys);
	return e;
}

mc_err ocr_search(store *s, const mc_principal *who, const char *query, int limit, int offset,
                  json_t **items, bool *more, mc_diag *diag)
{
	*items = NULL;
	*more = false;
	if (who->role != ROLE_OFFICER && who->role != ROLE_ADMIN)
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Chỉ cán bộ được tìm trong tài liệu số hóa.",
		                "Only officers may search digitized documents.");
	size_t n = query ? strlen(query) : 0;
	if (n > OCR_QUERY_MAX || (n && !text_utf8_valid(query, n)))
		return mc_fail2(diag, MC_ERR_INVALID, "Từ khóa tìm kiếm quá dài hoặc không hợp lệ.",
		                "q must be valid UTF-8 of at most 200 bytes.");
	char *folded = query ? text_fold(query) : NULL;
	bool blank = true;
	for (const char *p = folded; p && *p; p++)
		if (*p != ' ')
			blank = false;
	if (blank) {
		free(folded);
		return mc_fail2(diag, MC_ERR_INVALID, "Cần từ khóa tìm kiếm (q).",
		                "The query q is required.");
	}
	search_ctx x = {who, folded, limit, offset, NULL, false};
	mc_err e = store_read(s, search_fn, &x, diag);
	free(folded);
	if (e) {
		json_decref(x.items);
		return e;
	}
	*items = x.items;
	*more = x.more;
	return MC_OK;
}

/* ---- accuracy ---- */

#define ACC_MAX 20000

/* Decodes UTF-8 into code points with whitespace runs collapsed and ends
 * trimmed; returns the count. Invalid bytes count as one code point each. */
static size_t codepoints(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0;
	bool space = false;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p && n < max) {
		uint32_t cp = *p;
		int len = 1;
		if (cp >= 0xf0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
		    (p[3] & 0xc0) == 0x80) {
			cp = ((cp & 7u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) |
			     (p[3] & 0x3fu);
			len = 4;
		} else if (cp >= 0xe0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			cp = ((cp & 15u) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
			len = 3;
		} else if (cp >= 0xc0 && (p[1] & 0xc0) == 0x80) {
			cp = ((cp & 31u) << 6) | (p[1] & 0x3fu);
			len = 2;
		}
		p += len;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
		    cp == '\v') {
			space = true;
			continue;
		}
		if (space && n > 0 && n < max)
			out[n++] = ' ';
		space = false;
		if (n < max)
			out[n++] = cp;
	}
	return n;
}

double ocr_char_accuracy(const char *expected, const char *got)
{
	uint32_t *a = mc_xmalloc(ACC_MAX * sizeof *a), *b = mc_xmalloc(ACC_MAX * sizeof *b);
	size_t na = codepoints(expected, a, ACC_MAX), nb = codepoints(got, b, ACC_MAX);
	double acc;
	if (na == 0) {
		acc = nb == 0 ? 1.0 : 0.0;
	} else {
		size_t *prev = mc_xmalloc((nb + 1) * sizeof *prev);
		size_t *cur = mc_xmalloc((nb + 1) * sizeof *cur);
		for (size_t j = 0; j <= nb; j++)
			prev[j] = j;
		for (size_t i = 1; i <= na; i++) {
			cur[0] = i;
			for (size_t j = 1; j <= nb; j++) {
				size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
				size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
				cur[j] =
				    sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			}
			size_t *t = prev;
			prev = cur;
			cur = t;
		}
		double d = (double)prev[nb];
		acc = 1.0 - d / (double)na;
		if (acc < 0)
			acc = 0;
		free(prev);
		free(cur);
	}
	free(a);
	free(b);
	return acc;
}
