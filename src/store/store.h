/* store.h - the one storage interface every module uses.
 *
 * Backends: SQLite (embedded default, store_sqlite.c); PostgreSQL next.
 * Modules write portable SQL (the common subset of SQLite 3.40 and
 * PostgreSQL 15: ?N placeholders, ON CONFLICT ... DO UPDATE, RETURNING,
 * text timestamps "YYYY-MM-DDTHH:MM:SSZ", INTEGER/TEXT/BLOB columns) and never
 * touch a backend API. Schema lives per backend in schema/<backend>/NNNN_*.sql
 * and is applied by store_migrate. Full-text search is a store capability
 * (store_text_*), so FTS5 versus tsvector never leaks into a module.
 *
 * Concurrency and durability: store_write runs the caller's function in a
 * write transaction and returns only once that transaction is durably
 * committed (SQLite: WAL + synchronous=FULL). Concurrent writers are grouped
 * into one commit by a writer thread (group commit); each function runs
 * inside its own savepoint, so one failing function never undoes another.
 * A write function may be called more than once (retries), so it must only
 * have effects through the connection, and must fill its outputs afresh. */
#ifndef MC_STORE_H
#define MC_STORE_H

#include "core/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct store store;           /* thread-safe handle */
typedef struct store_conn store_conn; /* used by one thread at a time */
typedef struct store_stmt store_stmt; /* prepared statement of one conn */

/* Opens the database at `url`: a data directory (SQLite file DIR/motcua.db)
 * or "sqlite:PATH". Creates the file when `create` is true. */
mc_err store_open(const char *url, bool create, store **out, mc_diag *diag);
/* Waits for pending writes, then closes every connection. NULL is a no-op. */
void store_close(store *s);
/* Name of the backend: "sqlite" or "postgresql". */
const char *store_backend(const store *s);
/* Applies every migration of schema/<backend>/ not yet applied, in order,
 * each in its own transaction. Reports what it applied through `applied`. */
mc_err store_migrate(store *s, int *applied, mc_diag *diag);
/* Current schema version (highest applied migration number). */
int store_schema_version(store *s);

typedef mc_err (*store_fn)(store_conn *c, void *ctx, mc_diag *diag);

/* Runs fn in a read-only snapshot on a pooled connection. */
mc_err store_read(store *s, store_fn fn, void *ctx, mc_diag *diag);
/* Runs fn in a write transaction; returns fn's error, or MC_OK once the
 * commit is durable. See the file comment for grouping and retries. */
mc_err store_write(store *s, store_fn fn, void *ctx, mc_diag *diag);

/* Prepares portable SQL (placeholders ?1, ?2...). Statements are cached per
 * connection; always pair with store_finish. */
mc_err store_prepare(store_conn *c, const char *sql, store_stmt **out);
/* Binding: index starts at 1. Text is copied. NULL text binds SQL NULL. */
void store_bind_text(store_stmt *st, int idx, const char *v);
void store_bind_int(store_stmt *st, int idx, int64_t v);
void store_bind_null(store_stmt *st, int idx);
void store_bind_blob(store_stmt *st, int idx, const void *p, size_t n);
/* Advances: *row is true while a row is available. */
mc_err store_step(store_stmt *st, bool *row);
/* Column accessors, valid until the next step/finish. Index starts at 0.
 * store_col_text returns NULL for SQL NULL. */
const char *store_col_text(store_stmt *st, int col);
int64_t store_col_int(store_stmt *st, int col);
bool store_col_null(store_stmt *st, int col);
const void *store_col_blob(store_stmt *st, int col, size_t *n);
/* Resets the statement and returns it to the connection cache. */
void store_finish(store_stmt *st);
/* True on a write function's connection, whose uncommitted rows may still
 * roll back: a cache of immutable rows must be filled only from reads. */
bool store_conn_writable(const store_conn *c);
/* A number unique to the store `c` belongs to, for the life of the
 * process (never reused), so that a process-wide cache keeps databases
 * apart. */
uint64_t store_conn_instance(const store_conn *c);
/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t store_changes(store_conn *c);

/* Convenience: prepare, bind the `n` text parameters (NULL binds NULL), step
 * to completion, finish. For statements without result rows. */
mc_err store_execv(store_conn *c, const char *sql, int n, const char *const *params);

/* Full-text indexes, named by modules (e.g. "procedure"). Text must already
 * be folded (text_fold) by the caller; the query is folded words, matched
 * as a prefix AND of every word. */
mc_err store_text_put(store_conn *c, const char *index, const char *key, const char *folded);
mc_err store_text_delete(store_conn *c, const char *index, const char *key);
typedef bool (*store_text_hit)(const char *key, double rank, void *ctx);
/* Calls hit for each matching key, best first, skipping `offset` hits, until
 * `limit` hits or hit returns false. */
mc_err store_text_search(store_conn *c, const char *index, const char *folded_query, int limit,
                         int offset, store_text_hit hit, void *ctx);

/* Maintenance after a bulk load: merges the text index into one segment
 * and refreshes the query planner's statistics. Safe at any time. */
mc_err store_optimize(store *s, mc_diag *diag);

/* Online backup of the whole database to `path` (a new file). */
mc_err store_backup(store *s, const char *path, mc_diag *diag);

#endif
