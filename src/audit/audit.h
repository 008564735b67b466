/* audit.h - append-only, hash-chained audit log. Every state change and
 * admin action is appended in the same transaction as the change.
 *
 * Entry hash: hex SHA-256 over a length-prefixed encoding ("<len>:<bytes>"
 * per field) of the tag "motcua.audit.v1", prev_hash, seq (decimal), at,
 * actor, action, object and detail (canonical JSON: sorted keys, compact).
 * The first entry's prev_hash is 64 zeros. The one-row table audit_head
 * holds the newest seq and hash so that deleting the newest entries is
 * detected as well. Owns tables audit_log and audit_head. */
#ifndef MC_AUDIT_H
#define MC_AUDIT_H

#include "http/http.h"
#include "store/store.h"
#include <jansson.h>

/* Appends an entry chained to the previous one: hash = SHA-256(prev_hash |
 * seq | time | actor | action | object | canonical detail). `detail` is
 * borrowed and may be NULL (stored as {}); actor NULL means "system", object
 * NULL means "". Must run inside store_write (it locks the head row first, so
 * concurrent appenders are serialised on every backend). */
mc_err audit_append(store_conn *c, const char *actor, const char *action, const char *object,
                    json_t *detail);

/* Walks the whole chain. *checked = entries verified; on a broken chain
 * returns MC_ERR_CONFLICT with *first_bad = sequence number of the first
 * edited, inserted or deleted entry and a reason in diag->detail. */
mc_err audit_verify(store *s, long long *checked, long long *first_bad, mc_diag *diag);

/* Filters and page of audit_list. */
typedef struct audit_query {
	const char *object, *actor, *action; /* exact matches, NULL: any */
	int64_t before; /* only entries with seq < before; 0: from the newest */
	int limit;      /* page size, >= 1 */
} audit_query;

/* Reads one page of the log, newest first, in a read snapshot: *items (new
 * array) holds up to q->limit entries {seq, at, actor, action, object,
 * detail (parsed JSON), prev_hash, hash}; *more tells whether older
 * matching entries follow. */
mc_err audit_list(store *s, const audit_query *q, json_t **items, bool *more, mc_diag *diag);

/* CLI: motcua audit verify --data DIR. argv[0] is the command word "audit"
 * (a leading program name before it is skipped as well). Prints
 * "audit log OK: N entries" (exit 0) or "audit log BROKEN at entry N:
 * reason" (exit 1); usage errors exit 2. Returns the exit status. */
int audit_cli(int argc, char **argv);

/* GET /api/v1/audit?limit=&cursor=&object=&actor=&action= (admin), newest
 * first. */
extern const http_route audit_routes[];

#endif
