/* store.h - the one storage interface every module uses.
 *
 * Backends: SQLite (embedded default, store_sqlite.c) and PostgreSQL
 * (store_pg.c, libpq; docs/STORAGE.md), chosen by the URL given to
 * store_open; store.c forwards each call to the backend.
 * Modules write portable SQL (the common subset of SQLite 3.40 and
 * PostgreSQL 15: ?N placeholders, ON CONFLICT ... DO UPDATE, RETURNING,
 * text timestamps "YYYY-MM-DDTHH:MM:SSZ", INTEGER/TEXT/BLOB columns) and never
 * touch a backend API. Schema lives per backend in schema/<backend>/NNNN_*.sql
 * and is applied by store_migrate. Full-text search is a store capability
 * (store_text_*), so FTS5 versus tsvector never leaks into a module.
 *
 * Concurrency and durability: store_write runs the caller's function in a
 * write transaction and returns only once that transaction is durably
 * committed (SQLite: WAL + synchronous=FULL; PostgreSQL: COMMIT with
 * synchronous_commit on). Writers are serialised, so a write function sees
 * every write committed before it and no other write runs beside it
 * (SQLite: one writer thread, concurrent writers grouped into one commit,
 * each function inside its own savepoint so one failing function never
 * undoes another; PostgreSQL: one transaction per function on a pooled
 * connection, under a database-wide writer lock, across every process).
 * Transient failures (serialization failure, deadlock, lost connection)
 * are retried inside the store; when retries run out the result is
 * MC_ERR_UNAVAILABLE (HTTP 503 with Retry-After).
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

/* Opens the database at `url`: a data directory (SQLite file DIR/motcua.db),
 * "sqlite:PATH", or a PostgreSQL URL ("postgresql://..." or "postgres://...",
 * libpq syntax; the database must exist and compare text bytewise, collation
 * "C"). Creates the SQLite file when `create` is true. */
mc_err store_open(const char *url, bool create, store **out, mc_diag *diag);
/* True when `url` names a PostgreSQL database. */
bool store_url_is_pg(const char *url);
/* Caps the connection pool at `n` connections (PostgreSQL; serve uses
 * --threads + 2). SQLite opens readers on demand and ignores it. */
void store_set_pool(store *s, int n);
/* Waits for pending writes, then closes every connection. NULL is a no-op. */
void store_close(store *s);
/* Name of the backend: "sqlite" or "postgresql". */
const char *store_backend(const store *s);
/* Applies every migration of schema/<backend>/ not yet recorded in
 * schema_migration (the set difference, not only those above the highest
 * version, since branches land out of order), in version order, each in
 * its own transaction. Reports how many it applied through `applied`. */
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

/* Convenience for list pages: steps `st` (a query with LIMIT limit + 1)
 * and appends row(st) for each row to `items`, at most `limit` of them;
 * *more tells whether a row followed them. Does not finish st. */
typedef json_t *(*store_row_fn)(store_stmt *st);
mc_err store_collect(store_stmt *st, int limit, store_row_fn row, json_t *items, bool *more);

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

/* Online backup of the whole database to `path` (a new file): SQLite's
 * backup API, or pg_dump -Fc for PostgreSQL (restore with pg_restore;
 * motcua restore does both). */
mc_err store_backup(store *s, const char *path, mc_diag *diag);
/* Replaces the whole database at `url` with the backup at `path` made by
 * store_backup (no server may be using it). SQLite: the backup API into
 * DIR/motcua.db; PostgreSQL: pg_restore --clean into the existing
 * database, in one transaction. */
mc_err store_restore(const char *url, const char *path, mc_diag *diag);

#endif
