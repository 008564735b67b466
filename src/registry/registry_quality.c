/* registry_quality.c - the data-quality report of a registry, from SQL
 * aggregates over indexed columns so that it stays fast at a million
 * records: share of valid records, completeness per field (the fill mask
 * of each record), freshness (verified_at), duplicate candidates (equal
 * folded duplicate keys under different identifiers) and records that
 * contradict another registry. Examples name identifiers only. */
#include "registry/registry_internal.h"

#include "core/date.h"
#include "core/mem.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES 10

static double share(int64_t n, int64_t total)
{
	return total > 0 ? round((double)n * 10000.0 / (double)total) / 10000.0 : 0.0;
}

static mc_err totals(store_conn *c, const reg_def *d, json_t *out)
{
	char t30[32], t365[32];
	time_t now = ts_now();
	ts_format(now - 30 * 86400, t30);
	ts_format(now - 365 * 86400, t365);
	mc_buf sql = {0};
	mc_buf_puts(&sql, "SELECT count(*), SUM(CASE WHEN valid <> 0 THEN 1 ELSE 0 END), "
	                  "SUM(CASE WHEN verified_at IS NULL THEN 1 ELSE 0 END), "
	                  "SUM(CASE WHEN verified_at >= ?2 THEN 1 ELSE 0 END), "
	                  "SUM(CASE WHEN verified_at >= ?3 THEN 1 ELSE 0 END), "
	                  "MIN(verified_at), MAX(updated_at)");
	for (int i = 0; i < d->nfields; i++)
		mc_buf_printf(&sql, ", SUM(CASE WHEN (filled & %lld) <> 0 THEN 1 ELSE 0 END)",
		              (long long)((int64_t)1 << i));
	mc_buf_puts(&sql, " FROM registry_record WHERE registry = ?1");
	store_stmt *st;
	mc_err e = store_prepare(c, mc_buf_cstr(&sql), &st);
	mc_buf_free(&sql);
	if (e)
		return e;
	store_bind_text(st, 1, d->name);
	store_bind_text(st, 2, t30);
	store_bind_text(st, 3, t365);
	bool row;
	e = store_step(st, &row);
	if (!e && row) {
		int64_t n = store_col_int(st, 0), valid = store_col_int(st, 1);
		int64_t never = store_col_int(st, 2), d30 = store_col_int(st, 3),
		        d365 = store_col_int(st, 4);
		const char *oldest = store_col_text(st, 5), *last = store_col_text(st, 6);
		json_object_set_new(out, "records", json_integer(n));
		json_object_set_new(out, "valid", json_integer(valid));
		json_object_set_new(out, "invalid", json_integer(n - valid));
		json_object_set_new(out, "valid_share", json_real(share(valid, n)));
		json_t *comp = json_object();
		for (int i = 0; i < d->nfields; i++)
			json_object_set_new(comp, d->fields[i],
			                    json_real(share(store_col_int(st, 7 + i), n)));
		json_object_set_new(out, "completeness", comp);
		json_object_set_new(
		    out, "freshness",
		    json_pack("{s:I, s:I, s:I, s:I, s:f, s:o, s:o}", "verified",
		              (json_int_t)(n - never), "never_verified", (json_int_t)never,
		              "verified_last_30_days", (json_int_t)d30, "verified_last_365_days",
		              (json_int_t)d365, "share_verified_last_365_days", share(d365, n),
		              "oldest_verified_at", oldest ? json_string(oldest) : json_null(),
		              "last_updated_at", last ? json_string(last) : json_null()));
	}
	store_finish(st);
	return e;
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static mc_err duplicates(store_conn *c, const reg_def *d, json_t *out)
{
	json_t *keys = json_array();
	int64_t groups = 0, records = 0;
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT dup_key, count(*) FROM registry_record WHERE registry = ?1 "
	                  "AND dup_key IS NOT NULL GROUP BY dup_key HAVING count(*) > 1 "
	                  "ORDER BY dup_key",
	                  &st);
	if (e)
		goto out;
	store_bind_text(st, 1, d->name);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		groups++;
		records += store_col_int(st, 1);
		if (json_array_size(keys) < EXAMPLES)
			json_array_append_new(keys, json_string(store_col_text(st, 0)));
	}
	store_finish(st);
	if (e)
		goto out;
	json_t *examples = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		if ((e = store_prepare(c,
		                       "SELECT id FROM registry_record WHERE registry = ?1 AND "
		                       "dup_key = ?2 LIMIT 20",
		                       &st)))
			break;
		/* no ORDER BY: it would tempt the planner to walk the primary key
		 * of every record; the few identifiers are sorted here */
		store_bind_text(st, 1, d->name);
		store_bind_text(st, 2, json_string_value(k));
		char *idv[20];
		size_t nid = 0;
		while (!(e = store_step(st, &row)) && row && nid < 20)
			idv[nid++] = mc_xstrdup(store_col_text(st, 0));
		store_finish(st);
		qsort(idv, nid, sizeof idv[0], cmp_text);
		json_t *ids = json_array();
		for (size_t j = 0; j < nid; j++) {
			json_array_append_new(ids, json_string(idv[j]));
			free(idv[j]);
		}
		json_array_append_new(examples, json_pack("{s:o}", "ids", ids));
		if (e)
			break;
	}
	json_object_set_new(out, "duplicates",
	                    json_pack("{s:o, s:I, s:I, s:o}", "key",
	                              d->dupkey ? json_deep_copy(d->dupkey) : json_array(),
	                              "groups", (json_int_t)groups, "records", (json_int_t)records,
	                              "examples", examples));
out:
	json_decref(keys);
	return e;
}

/* Runs a rule query (?1.. bound from `params`, text) whose rows are
 * identifiers; adds {count, examples, description, description_vi}. */
static mc_err rule(store_conn *c, json_t *rules, const char *name, const char *en, const char *vi,
                   const char *sql, int n, const char *const *params)
{
	store_stmt *st;
	mc_err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	for (int i = 0; i < n; i++)
		store_bind_text(st, i + 1, params[i]);
	int64_t count = 0;
	json_t *examples = json_array();
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if (count++ < EXAMPLES)
			json_array_append_new(examples, json_string(store_col_text(st, 0)));
	}
	store_finish(st);
	json_object_set_new(rules, name,
	                    json_pack("{s:I, s:o, s:s, s:s}", "count", (json_int_t)count,
	                              "examples", examples, "description", en, "description_vi",
	                              vi));
	return e;
}

static const char sql_alive_with_death[] =
    "SELECT DISTINCT d.value FROM registry_field d WHERE d.registry = 'death_records' AND "
    "d.field = 'person_id' AND EXISTS (SELECT 1 FROM registry_record p WHERE p.registry = "
    "'persons' AND p.id = d.value) AND NOT EXISTS (SELECT 1 FROM registry_field x WHERE "
    "x.registry = 'persons' AND x.id = d.value AND x.field = 'date_of_death') "
    "ORDER BY d.value";

static const char sql_death_of_living[] =
    "SELECT d.id FROM registry_field d WHERE d.registry = 'death_records' AND "
    "d.field = 'person_id' AND EXISTS (SELECT 1 FROM registry_record p WHERE p.registry = "
    "'persons' AND p.id = d.value) AND NOT EXISTS (SELECT 1 FROM registry_field x WHERE "
    "x.registry = 'persons' AND x.id = d.value AND x.field = 'date_of_death') "
    "ORDER BY d.value, d.id";

static const char sql_spouse[] =
    "SELECT a.id FROM registry_field a WHERE a.registry = 'persons' AND a.field = "
    "'spouse_id' AND NOT EXISTS (SELECT 1 FROM registry_field b WHERE b.registry = "
    "'persons' AND b.field = 'spouse_id' AND b.value = a.id AND b.id = a.value) "
    "ORDER BY a.value, a.id";

static const char sql_dead_rep[] =
    "SELECT s.id FROM registry_field s JOIN registry_field lr ON lr.registry = s.registry "
    "AND lr.id = s.id AND lr.field = 'legal_representative' WHERE s.registry = 'businesses' "
    "AND s.field = 'status' AND s.value = 'active' AND EXISTS (SELECT 1 FROM registry_field "
    "x WHERE x.registry = 'persons' AND x.id = lr.value AND x.field = 'date_of_death') "
    "ORDER BY s.id";

static const char sql_dangling[] =
    "SELECT f.id FROM registry_field f WHERE f.registry = ?1 AND f.field = ?2 AND NOT "
    "EXISTS (SELECT 1 FROM registry_record r WHERE r.registry = ?3 AND r.id = f.value) "
    "ORDER BY f.value, f.id"; /* the primary key's order: no sort of every row */

static mc_err contradictions(store_conn *c, const reg_def *d, json_t *out)
{
	json_t *rules = json_object();
	mc_err e = MC_OK;
	if (d->builtin && strcmp(d->name, "persons") == 0) {
		e = rule(c, rules, "alive_with_death_record",
		         "living persons (no date of death) who have a death record",
		         "người còn sống (không có ngày mất) nhưng có bản ghi khai tử",
		         sql_alive_with_death, 0, NULL);
		if (!e)
			e = rule(c, rules, "spouse_not_reciprocal",
			         "persons whose spouse does not name them as spouse",
			         "người có vợ/chồng không ghi lại người đó là vợ/chồng", sql_spouse,
			         0, NULL);
	} else if (d->builtin && strcmp(d->name, "businesses") == 0) {
		e = rule(c, rules, "active_with_deceased_representative",
		         "active businesses whose legal representative has died",
		         "doanh nghiệp đang hoạt động có người đại diện theo pháp luật đã mất",
		         sql_dead_rep, 0, NULL);
	} else if (d->builtin && strcmp(d->name, "death_records") == 0) {
		e = rule(c, rules, "person_not_marked_dead",
		         "death records of persons the population registry shows alive",
		         "bản ghi khai tử của người mà cơ sở dữ liệu dân cư ghi là còn sống",
		         sql_death_of_living, 0, NULL);
	}
	/* every indexed reference: records naming a record that does not exist */
	size_t i;
	json_t *f;
	json_array_foreach(d->indexed, i, f)
	{
		const char *field = json_string_value(f);
		const char *ref =
		    json_string_value(json_object_get(json_object_get(d->props, field), "x-ref"));
		if (e || !ref)
			continue;
		char *name = mc_xasprintf("dangling_%s", field);
		const char *p[3] = {d->name, field, ref};
		e = rule(c, rules, name, "records whose reference names no record",
		         "bản ghi tham chiếu tới bản ghi không tồn tại", sql_dangling, 3, p);
		free(name);
	}
	json_object_set_new(out, "contradictions", rules);
	return e;
}

mc_err registry_quality(store_conn *c, const char *registry, json_t **out, mc_diag *diag)
{
	*out = NULL;
	reg_def d;
	mc_err e = reg_def_load(c, registry, &d, diag);
	if (e)
		return e;
	json_t *r = json_pack("{s:s, s:i}", "registry", d.name, "version", d.version);
	char now[32];
	ts_format(ts_now(), now);
	if (!(e = totals(c, &d, r)) && !(e = duplicates(c, &d, r)))
		e = contradictions(c, &d, r);
	json_object_set_new(r, "generated_at", json_string(now));
	reg_def_release(&d);
	if (e) {
		json_decref(r);
		return mc_fail(diag, e, "cannot compute the quality report");
	}
	*out = r;
	return MC_OK;
}
