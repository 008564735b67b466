/* store_impl.h - what a store backend provides (private to src/store).
 *
 * store.c holds the public functions of store.h; each forwards to the
 * backend through the ops table that is the first member of every store,
 * store_conn and store_stmt of that backend. Backends: store_sqlite.c
 * (store_sqlite_ops) and store_pg.c (store_pg_ops). */
#ifndef MC_STORE_IMPL_H
#define MC_STORE_IMPL_H

#include "store/store.h"

typedef struct store_ops {
	const char *name;
	/* true when this backend takes `url` (e.g. "postgresql://...") */
	bool (*accepts)(const char *url);
	mc_err (*open)(const char *url, bool create, store **out, mc_diag *diag);
	void (*close)(store *s);
	void (*set_pool)(store *s, int n);
	mc_err (*migrate)(store *s, int *applied, mc_diag *diag);
	int (*schema_version)(store *s);
	mc_err (*read)(store *s, store_fn fn, void *ctx, mc_diag *diag);
	mc_err (*write)(store *s, store_fn fn, void *ctx, mc_diag *diag);
	mc_err (*prepare)(store_conn *c, const char *sql, store_stmt **out);
	void (*bind_text)(store_stmt *st, int idx, const char *v);
	void (*bind_int)(store_stmt *st, int idx, int64_t v);
	void (*bind_null)(store_stmt *st, int idx);
	void (*bind_blob)(store_stmt *st, int idx, const void *p, size_t n);
	mc_err (*step)(store_stmt *st, bool *row);
	const char *(*col_text)(store_stmt *st, int col);
	int64_t (*col_int)(store_stmt *st, int col);
	bool (*col_null)(store_stmt *st, int col);
	const void *(*col_blob)(store_stmt *st, int col, size_t *n);
	void (*finish)(store_stmt *st);
	bool (*conn_writable)(const store_conn *c);
	uint64_t (*conn_instance)(const store_conn *c);
	int64_t (*changes)(store_conn *c);
	mc_err (*text_put)(store_conn *c, const char *index, const char *key, const char *folded);
	mc_err (*text_delete)(store_conn *c, const char *index, const char *key);
	mc_err (*text_search)(store_conn *c, const char *index, const char *folded_query, int limit,
	                      int offset, store_text_hit hit, void *ctx);
	mc_err (*optimize)(store *s, mc_diag *diag);
	mc_err (*backup)(store *s, const char *path, mc_diag *diag);
	mc_err (*restore)(const char *url, const char *path, mc_diag *diag);
} store_ops;

/* Every backend object starts with its ops. */
typedef struct store_head {
	const store_ops *ops;
} store_head;

extern const store_ops store_sqlite_ops;
extern const store_ops store_pg_ops;

/* A number for store_conn_instance, unique in the process. */
uint64_t store_next_instance(void);

/* The migrations of `backend` in version order that are not in the sorted
 * array `have` (n entries): the runner applies exactly these (set
 * difference, since branches land out of order). Returns how many it put
 * in `out` (at most `max`). */
int store_pending_migrations(const char *backend, const int *have, int n,
                             const struct store_migration **out, int max);

#endif
