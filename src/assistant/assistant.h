/* assistant.h - the service assistant (DESIGN capability 8): maps a
 * free-text question, in Vietnamese with or without diacritics or in
 * English ("How do I get a passport?", "lam the nao de dang ky ket hon"),
 * to procedures of the catalog, and says what it understood. It owns no
 * table: the words come from data/assistant-lexicon.json (embedded at build
 * time) and the procedures from catalog_list.
 *
 * How a question is read (assistant_plan_make, pure):
 *   - the question is folded (text_fold) and split into words;
 *   - the longest lexicon phrase at each position wins: a concept (a
 *     service, e.g. "birth registration" -> "khai sinh"), a generic word
 *     ("renew" -> "cap lai") or a stop word ("how", "tôi", "muốn");
 *   - the other words are kept as they are.
 * The searches tried, best first: the usual procedure's name when the
 * question names one service and nothing else; all words; the concepts
 * with the generic words; the concepts with the other words; the concepts;
 * each concept alone; without concepts, the kept words. A question from
 * which nothing was understood or dropped is an ordinary catalog search. */
#ifndef MC_ASSISTANT_H
#define MC_ASSISTANT_H

#include "catalog/catalog.h"
#include "http/http.h"
#include "store/store.h"
#include <jansson.h>
#include <stdbool.h>

#define ASSISTANT_QUESTION_MAX 300 /* bytes of a question */
#define ASSISTANT_MAX_SEARCHES 8   /* searches tried for one question */
#define ASSISTANT_MAX_RESULTS 100  /* procedures one answer can page through */

/* What a question was read as. */
typedef struct assistant_plan {
	bool plain;  /* nothing understood or dropped: an ordinary search */
	int nsearch; /* searches to try, best first */
	char *search[ASSISTANT_MAX_SEARCHES]; /* folded words (owned) */
	json_t *understood;                   /* [{id, words, label: {vi, en}}] of the concepts */
} assistant_plan;

/* Reads `question` (any text; NULL or blank gives no search) into *p. Pure
 * apart from loading the embedded lexicon once (abort on a malformed
 * lexicon, which is a build error). Free with assistant_plan_free. */
void assistant_plan_make(const char *question, assistant_plan *p);
void assistant_plan_free(assistant_plan *p);

/* Answers `question` with procedures: tries the plan's searches through
 * catalog_list with the filters of `filters` (its q, limit, offset and
 * after are ignored) and gathers their hits in order, without repeats, up
 * to ASSISTANT_MAX_RESULTS; *out = {question, mode ("search" | "assistant"),
 * query (the folded words of the first search with hits, or of the plain
 * search), understood, items (the page [offset, offset + limit) of
 * catalog summaries)} and *more whether hits follow the page. A plain
 * question pages through the whole catalog search. limit 1..100,
 * offset >= 0. INVALID for an empty or over-long question. */
mc_err assistant_ask(store *s, const char *question, const catalog_query *filters, int limit,
                     int offset, json_t **out, bool *more, mc_diag *diag);

/* GET /api/v1/assistant?q=&limit=&cursor= (public). */
extern const http_route assistant_routes[];

#endif
