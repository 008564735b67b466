/* event.h - the event outbox: domain events (person.born, business.founded,
 * ...) written in the same transaction as the change that caused them, and
 * read in order by consumers that keep a cursor (the last seq they handled),
 * so that a consumer that handles an event twice after a crash is
 * idempotent by checking the seq. Owns tables event_outbox and
 * event_consumer.
 *
 * Event JSON: {seq, type, subject, payload (object), created_at}. */
#ifndef MC_EVENT_H
#define MC_EVENT_H

#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define EVENT_TYPE_MAX 64
#define EVENT_SUBJECT_MAX 200

/* Appends an event inside the caller's write transaction (store_write), so
 * that it commits or rolls back with the change. `payload` is borrowed
 * (NULL: {}). INVALID when type or subject is empty or longer than its
 * cap. */
mc_err event_emit(store_conn *c, const char *type, const char *subject, json_t *payload);

/* event_emit that also gives the event's sequence number in *seq. */
mc_err event_emit_seq(store_conn *c, const char *type, const char *subject, json_t *payload,
                      int64_t *seq);

/* Events with seq > after, in seq order, at most `limit` (1..1000); only
 * type `type` when not NULL, only subjects starting with `subject_prefix`
 * when not NULL. *items gets a new array; *more whether more follow. */
mc_err event_list_after(store_conn *c, int64_t after, const char *type, const char *subject_prefix,
                        int limit, json_t **items, bool *more, mc_diag *diag);

/* Position of consumer `name` (0 when it never advanced). */
mc_err event_cursor_get(store_conn *c, const char *name, int64_t *position);

/* Moves consumer `name` forward to `position` (never backwards: a smaller
 * position is ignored, so a replayed batch cannot rewind). Runs in
 * store_write. */
mc_err event_cursor_advance(store_conn *c, const char *name, int64_t position);

/* Consumers that run in this process (the notification and proactive
 * workers) register a function that wakes them; a module that committed a
 * write with events calls event_wake after the commit, so that they need
 * not wait for their next poll. Waking is a hint: consumers still poll, so
 * events written by another node are handled as well. At most
 * EVENT_WAKERS functions; registering one twice keeps one. Thread-safe. */
#define EVENT_WAKERS 8
void event_on_wake(void (*wake)(void));
void event_wake(void);

/* GET /api/v1/events?after=&type=&limit= (officers and admins). */
extern const http_route event_routes[];

#endif
