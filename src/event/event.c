/* event.c - the outbox service: append, list after a cursor, consumer
 * positions. */
#include "event/event.h"

#include "core/date.h"
#include "core/mem.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

mc_err event_emit(store_conn *c, const char *type, const char *subject, json_t *payload)
{
	return event_emit_seq(c, type, subject, payload, NULL);
}

mc_err event_emit_seq(store_conn *c, const char *type, const char *subject, json_t *payload,
                      int64_t *seq)
{
	if (!type || !*type || strlen(type) > EVENT_TYPE_MAX || !subject || !*subject ||
	    strlen(subject) > EVENT_SUBJECT_MAX)
		return MC_ERR_INVALID;
	char *text = payload ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char now[32];
	ts_format(ts_now(), now);
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "INSERT INTO event_outbox (type, subject, payload, created_at) "
	                         "VALUES (?1, ?2, ?3, ?4) RETURNING seq",
	                         &st);
	if (e)
		goto out;
	store_bind_text(st, 1, type);
	store_bind_text(st, 2, subject);
	store_bind_text(st, 3, text ? text : "{}");
	store_bind_text(st, 4, now);
	bool row = false;
	e = store_step(st, &row);
	if (!e && row && seq)
		*seq = store_col_int(st, 0);
	while (!e && row) /* drain so that the statement completes */
		e = store_step(st, &row);
	store_finish(st);
out:
	free(text);
	return e;
}

mc_err event_list_after(store_conn *c, int64_t after, const char *type, const char *subject_prefix,
                        int limit, json_t **items, bool *more, mc_diag *diag)
{
	*items = NULL;
	*more = false;
	if (limit < 1 || limit > 1000)
		return mc_fail(diag, MC_ERR_INVALID, "limit must be 1..1000");
	/* filters are added only when given: PostgreSQL cannot type a
	 * parameter that is only compared with NULL */
	mc_buf sql = {0};
	int n = 1;
	mc_buf_puts(&sql, "SELECT seq, type, subject, payload, created_at FROM event_outbox "
	                  "WHERE seq > ?1");
	if (type)
		mc_buf_printf(&sql, " AND type = ?%d", ++n);
	if (subject_prefix) {
		mc_buf_printf(&sql, " AND substr(subject, 1, ?%d) = ?%d", n + 1, n + 2);
		n += 2;
	}
	mc_buf_printf(&sql, " ORDER BY seq LIMIT ?%d", ++n);
	store_stmt *st;
	mc_err e = store_prepare(c, mc_buf_cstr(&sql), &st);
	mc_buf_free(&sql);
	if (e)
		return e;
	n = 1;
	store_bind_int(st, n++, after);
	if (type)
		store_bind_text(st, n++, type);
	if (subject_prefix) {
		store_bind_int(st, n++, (int64_t)strlen(subject_prefix));
		store_bind_text(st, n++, subject_prefix);
	}
	store_bind_int(st, n, limit + 1);
	json_t *arr = json_array();
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if ((int)json_array_size(arr) == limit) {
			*more = true;
			break;
		}
		json_t *payload = json_loads(store_col_text(st, 3), 0, NULL);
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:o, s:s}", "seq",
		                                     (json_int_t)store_col_int(st, 0), "type",
		                                     store_col_text(st, 1), "subject",
		                                     store_col_text(st, 2), "payload",
		                                     payload ? payload : json_object(),
		                                     "created_at", store_col_text(st, 4)));
	}
	store_finish(st);
	if (e) {
		json_decref(arr);
		return e;
	}
	*items = arr;
	return MC_OK;
}

mc_err event_cursor_get(store_conn *c, const char *name, int64_t *position)
{
	*position = 0;
	store_stmt *st;
	mc_err e = store_prepare(c, "SELECT position FROM event_consumer WHERE name = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, name);
	bool row;
	e = store_step(st, &row);
	if (!e && row)
		*position = store_col_int(st, 0);
	store_finish(st);
	return e;
}

mc_err event_cursor_advance(store_conn *c, const char *name, int64_t position)
{
	char now[32];
	ts_format(ts_now(), now);
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "INSERT INTO event_consumer (name, position, updated_at) "
	                         "VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET "
	                         "position = excluded.position, updated_at = excluded.updated_at "
	                         "WHERE event_consumer.position < excluded.position",
	                         &st);
	if (e)
		return e;
	store_bind_text(st, 1, name);
	store_bind_int(st, 2, position);
	store_bind_text(st, 3, now);
	e = store_step(st, NULL);
	store_finish(st);
	return e;
}

static pthread_mutex_t wakers_mu = PTHREAD_MUTEX_INITIALIZER;
static void (*wakers[EVENT_WAKERS])(void);
static int nwakers;

void event_on_wake(void (*wake)(void))
{
	pthread_mutex_lock(&wakers_mu);
	bool known = false;
	for (int i = 0; i < nwakers; i++)
		known |= wakers[i] == wake;
	if (!known && nwakers < EVENT_WAKERS)
		wakers[nwakers++] = wake;
	pthread_mutex_unlock(&wakers_mu);
}

void event_wake(void)
{
	pthread_mutex_lock(&wakers_mu);
	int n = nwakers;
	void (*w[EVENT_WAKERS])(void);
	memcpy(w, wakers, sizeof w);
	pthread_mutex_unlock(&wakers_mu);
	for (int i = 0; i < n; i++)
		w[i]();
}
