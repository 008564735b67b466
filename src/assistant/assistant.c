/* assistant.c - answers a question with procedures: the plan of
 * assistant_plan.c run through the catalog's search (catalog_list), hits of
 * the better searches first. */
#include "assistant/assistant.h"

#include "core/mem.h"
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

/* Runs one search with the caller's filters; appends the hits not seen yet
 * to `all` until it holds `want`. *hits tells whether the search found
 * anything. */
static mc_err gather(store *s, const catalog_query *filters, const char *words, size_t want,
                     json_t *all, json_t *seen, bool *hits, mc_diag *diag)
{
	catalog_query q = *filters;
	q.q = words;
	q.limit = ASSISTANT_MAX_RESULTS;
	q.offset = 0;
	q.after = NULL;
	json_t *items = NULL;
	bool more = false;
	mc_err e = catalog_list(s, &q, &items, &more, diag);
	if (e)
		return e;
	*hits = json_array_size(items) > 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *code = json_string_value(json_object_get(it, "code"));
		if (json_array_size(all) >= want)
			break;
		if (!code || json_object_get(seen, code))
			continue;
		json_object_set_new(seen, code, json_true());
		json_array_append(all, it);
	}
	json_decref(items);
	return MC_OK;
}

mc_err assistant_ask(store *s, const char *question, const catalog_query *filters, int limit,
                     int offset, json_t **out, bool *more, mc_diag *diag)
{
	*out = NULL;
	*more = false;
	if (!question || !*question || strlen(question) > ASSISTANT_QUESTION_MAX ||
	    !text_utf8_valid(question, strlen(question)))
		return mc_fail2(
		    diag, MC_ERR_INVALID, "Câu hỏi phải là văn bản UTF-8 từ 1 đến 300 byte.",
		    "The question must be UTF-8 text of 1 to %d bytes.", ASSISTANT_QUESTION_MAX);
	if (limit < 1 || limit > 100 || offset < 0)
		return mc_fail2(diag, MC_ERR_INVALID, "Giới hạn trang không hợp lệ.",
		                "Invalid page limits.");
	assistant_plan p;
	assistant_plan_make(question, &p);
	json_t *items = NULL, *all = json_array(), *seen = json_object();
	const char *query = p.nsearch ? p.search[0] : "";
	mc_err e = MC_OK;
	if (p.plain) {
		/* an ordinary search, paged through the whole result */
		catalog_query q = *filters;
		q.q = p.search[0];
		q.limit = limit;
		q.offset = offset;
		q.after = NULL;
		e = catalog_list(s, &q, &items, more, diag);
	} else {
		size_t want = (size_t)offset + (size_t)limit + 1;
		if (want > ASSISTANT_MAX_RESULTS)
			want = ASSISTANT_MAX_RESULTS;
		bool first = true;
		for (int i = 0; i < p.nsearch && !e && json_array_size(all) < want; i++) {
			bool hits = false;
			e = gather(s, filters, p.search[i], want, all, seen, &hits, diag);
			if (hits && first) {
				query = p.search[i];
				first = false;
			}
		}
		items = json_array();
		for (size_t i = (size_t)offset;
		     i < json_array_size(all) && i < (size_t)offset + (size_t)limit; i++)
			json_array_append(items, json_array_get(all, i));
		*more = json_array_size(all) > (size_t)offset + (size_t)limit;
	}
	if (!e)
		*out = json_pack("{s:s, s:s, s:s, s:O, s:o}", "question", question, "mode",
		                 p.plain ? "search" : "assistant", "query", query, "understood",
		                 p.understood, "items", items);
	else
		json_decref(items);
	json_decref(all);
	json_decref(seen);
	assistant_plan_free(&p);
	return e;
}
