/* store.c - the public functions of store.h: pick the backend from the URL
 * at open, then forward every call to the ops of the object it is given
 * (see store_impl.h). Shared code of both backends lives here too. */
#include "store/migrate.h"
#include "store/store_impl.h"

#include <stdatomic.h>
#include <string.h>

#define OPS(p) (((const store_head *)(p))->ops)

uint64_t store_next_instance(void)
{
	static atomic_uint_fast64_t instances;
	return atomic_fetch_add(&instances, 1) + 1;
}

bool store_url_is_pg(const char *url)
{
	return url &&
	       (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0);
}

mc_err store_open(const char *url, bool create, store **out, mc_diag *diag)
{
	if (!url || !*url)
		return mc_fail(diag, MC_ERR_INVALID, "no database given");
	const store_ops *ops = store_pg_ops.accepts(url) ? &store_pg_ops : &store_sqlite_ops;
	return ops->open(url, create, out, diag);
}

void store_close(store *s)
{
	if (s)
		OPS(s)->close(s);
}

const char *store_backend(const store *s)
{
	return OPS(s)->name;
}

void store_set_pool(store *s, int n)
{
	OPS(s)->set_pool(s, n);
}

mc_err store_migrate(store *s, int *applied, mc_diag *diag)
{
	return OPS(s)->migrate(s, applied, diag);
}

int store_schema_version(store *s)
{
	return OPS(s)->schema_version(s);
}

mc_err store_read(store *s, store_fn fn, void *ctx, mc_diag *diag)
{
	return OPS(s)->read(s, fn, ctx, diag);
}

mc_err store_write(store *s, store_fn fn, void *ctx, mc_diag *diag)
{
	return OPS(s)->write(s, fn, ctx, diag);
}

mc_err store_prepare(store_conn *c, const char *sql, store_stmt **out)
{
	return OPS(c)->prepare(c, sql, out);
}

void store_bind_text(store_stmt *st, int idx, const char *v)
{
	OPS(st)->bind_text(st, idx, v);
}

void store_bind_int(store_stmt *st, int idx, int64_t v)
{
	OPS(st)->bind_int(st, idx, v);
}

void store_bind_null(store_stmt *st, int idx)
{
	OPS(st)->bind_null(st, idx);
}

void store_bind_blob(store_stmt *st, int idx, const void *p, size_t n)
{
	OPS(st)->bind_blob(st, idx, p, n);
}

mc_err store_step(store_stmt *st, bool *row)
{
	return OPS(st)->step(st, row);
}

const char *store_col_text(store_stmt *st, int col)
{
	return OPS(st)->col_text(st, col);
}

int64_t store_col_int(store_stmt *st, int col)
{
	return OPS(st)->col_int(st, col);
}

bool store_col_null(store_stmt *st, int col)
{
	return OPS(st)->col_null(st, col);
}

const void *store_col_blob(store_stmt *st, int col, size_t *n)
{
	return OPS(st)->col_blob(st, col, n);
}

void store_finish(store_stmt *st)
{
	if (st)
		OPS(st)->finish(st);
}

bool store_conn_writable(const store_conn *c)
{
	return OPS(c)->conn_writable(c);
}

uint64_t store_conn_instance(const store_conn *c)
{
	return OPS(c)->conn_instance(c);
}

int64_t store_changes(store_conn *c)
{
	return OPS(c)->changes(c);
}

mc_err store_collect(store_stmt *st, int limit, store_row_fn row, json_t *items, bool *more)
{
	bool has;
	mc_err e;
	*more = false;
	while (!(e = store_step(st, &has)) && has) {
		if ((int)json_array_size(items) >= limit) {
			*more = true;
			break;
		}
		json_array_append_new(items, row(st));
	}
	return e;
}

mc_err store_execv(store_conn *c, const char *sql, int n, const char *const *params)
{
	store_stmt *st;
	mc_err e = store_prepare(c, sql, &st);
	if (e)
		return e;
	for (int i = 0; i < n; i++)
		store_bind_text(st, i + 1, params[i]);
	bool row = true;
	while (!e && row)
		e = store_step(st, &row);
	store_finish(st);
	return e;
}

mc_err store_text_put(store_conn *c, const char *index, const char *key, const char *folded)
{
	return OPS(c)->text_put(c, index, key, folded);
}

mc_err store_text_delete(store_conn *c, const char *index, const char *key)
{
	return OPS(c)->text_delete(c, index, key);
}

mc_err store_text_search(store_conn *c, const char *index, const char *folded_query, int limit,
                         int offset, store_text_hit hit, void *ctx)
{
	return OPS(c)->text_search(c, index, folded_query, limit, offset, hit, ctx);
}

mc_err store_optimize(store *s, mc_diag *diag)
{
	return OPS(s)->optimize(s, diag);
}

mc_err store_backup(store *s, const char *path, mc_diag *diag)
{
	return OPS(s)->backup(s, path, diag);
}

mc_err store_restore(const char *url, const char *path, mc_diag *diag)
{
	const store_ops *ops = store_pg_ops.accepts(url) ? &store_pg_ops : &store_sqlite_ops;
	return ops->restore(url, path, diag);
}

int store_pending_migrations(const char *backend, const int *have, int n,
                             const store_migration **out, int max)
{
	int k = 0;
	for (const store_migration *m = store_migrations; m->backend && k < max; m++) {
		if (strcmp(m->backend, backend) != 0)
			continue;
		bool done = false;
		for (int i = 0; i < n && !done; i++)
			done = have[i] == m->version;
		if (!done)
			out[k++] = m;
	}
	/* the generator sorts files by name, hence by version; keep it so */
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && out[j - 1]->version > out[j]->version; j--) {
			const store_migration *t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return k;
}
