/* assistant_plan.c - the pure part of the assistant: the lexicon
 * (data/assistant-lexicon.json, embedded) and the reading of a question
 * into the searches to try (assistant_plan_make). No I/O. */
#include "assistant/assistant.h"

#include "core/mem.h"
#include "core/text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char embedded_assistant_lexicon[];

#define MAX_WORDS 64 /* words of a question considered (300 bytes hold fewer) */

typedef enum { KIND_CONCEPT, KIND_GENERIC, KIND_STOP } phrase_kind;

/* One lexicon phrase, folded and split into words. */
typedef struct phrase {
	char **words;
	int n;
	phrase_kind kind;
	json_t *entry; /* its concept or generic entry (borrowed from lexicon) */
} phrase;

static pthread_once_t lexicon_once = PTHREAD_ONCE_INIT;
static json_t *lexicon;
static phrase *phrases;
static size_t nphrases, capphrases;

/* Splits folded text (words separated by single spaces) into a new array
 * of new strings; *n gets the count (at most max). */
static char **split_words(const char *folded, int max, int *n)
{
	char **w = mc_xcalloc((size_t)max + 1, sizeof *w);
	*n = 0;
	const char *p = folded;
	while (*p && *n < max) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len)
			w[(*n)++] = mc_xstrndup(p, len);
		p += len;
		while (*p == ' ')
			p++;
	}
	return w;
}

static void add_phrases(json_t *list, phrase_kind kind, json_t *entry)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		if (!json_is_string(v))
			continue;
		char *f = text_fold(json_string_value(v));
		int n;
		char **w = split_words(f, MAX_WORDS, &n);
		free(f);
		if (!n) {
			free(w);
			continue;
		}
		if (nphrases == capphrases) {
			capphrases = capphrases ? capphrases * 2 : 256;
			phrases = mc_xrealloc(phrases, capphrases * sizeof *phrases);
		}
		phrases[nphrases++] = (phrase){w, n, kind, entry};
	}
}

static void load(void)
{
	json_error_t err;
	lexicon = json_loads(embedded_assistant_lexicon, 0, &err);
	json_t *concepts = json_object_get(lexicon, "concepts");
	json_t *generic = json_object_get(lexicon, "generic");
	json_t *stop = json_object_get(lexicon, "stop");
	if (!json_is_array(concepts) || !json_is_array(generic) || !json_is_array(stop)) {
		fprintf(stderr, "motcua: data/assistant-lexicon.json is malformed: %s\n",
		        lexicon ? "concepts, generic and stop must be arrays" : err.text);
		abort();
	}
	size_t i;
	json_t *c;
	json_array_foreach(concepts, i, c)
	{
		add_phrases(json_object_get(c, "phrases"), KIND_CONCEPT, c);
	}
	json_array_foreach(generic, i, c)
	{
		add_phrases(json_object_get(c, "phrases"), KIND_GENERIC, c);
	}
	add_phrases(stop, KIND_STOP, NULL);
}

/* The longest phrase that starts at words[at], or NULL. */
static const phrase *longest_at(char **words, int nwords, int at)
{
	const phrase *best = NULL;
	for (size_t i = 0; i < nphrases; i++) {
		const phrase *ph = &phrases[i];
		if (ph->n > nwords - at || (best && ph->n <= best->n))
			continue;
		int k = 0;
		while (k < ph->n && !strcmp(ph->words[k], words[at + k]))
			k++;
		if (k == ph->n)
			best = ph;
	}
	return best;
}

/* A growing list of distinct folded terms joined by spaces. */
typedef struct terms {
	mc_buf b;
	json_t *seen; /* term -> true */
} terms;

static void terms_add(terms *t, const char *term)
{
	if (!term || !*term || json_object_get(t->seen, term))
		return;
	json_object_set_new(t->seen, term, json_true());
	if (t->b.len)
		mc_buf_puts(&t->b, " ");
	mc_buf_puts(&t->b, term);
}

/* Adds the folded query of each entry of `entries` (concepts or generic
 * words) to t. */
static void terms_add_entries(terms *t, json_t *entries)
{
	size_t i;
	json_t *e;
	json_array_foreach(entries, i, e)
	{
		char *f = text_fold(json_string_value(json_object_get(e, "query")));
		terms_add(t, f);
		free(f);
	}
}

static void plan_add(assistant_plan *p, terms *t)
{
	const char *s = t->b.len ? mc_buf_cstr(&t->b) : "";
	if (*s && p->nsearch < ASSISTANT_MAX_SEARCHES) {
		for (int i = 0; i < p->nsearch; i++)
			if (!strcmp(p->search[i], s))
				goto out;
		p->search[p->nsearch++] = mc_xstrdup(s);
	}
out:
	mc_buf_free(&t->b);
	json_decref(t->seen);
	t->seen = json_object();
}

/* True when the words of `part` appear in order as whole words of `whole`
 * (both folded). */
static bool contains_words(const char *whole, const char *part)
{
	size_t n = strlen(part);
	if (!n)
		return true;
	for (const char *w = whole; (w = strstr(w, part)) != NULL; w++) {
		bool starts = w == whole || w[-1] == ' ';
		bool ends = w[n] == '\0' || w[n] == ' ';
		if (starts && ends)
			return true;
	}
	return false;
}

void assistant_plan_make(const char *question, assistant_plan *p)
{
	memset(p, 0, sizeof *p);
	p->understood = json_array();
	pthread_once(&lexicon_once, load);
	char *folded = text_fold(question ? question : "");
	int nwords;
	char **words = split_words(folded, MAX_WORDS, &nwords);
	json_t *concepts = json_array(), *generic = json_array(), *kept = json_array();
	bool dropped = false;
	for (int at = 0; at < nwords;) {
		const phrase *ph = longest_at(words, nwords, at);
		if (!ph) {
			json_array_append_new(kept, json_string(words[at++]));
			continue;
		}
		mc_buf matched = {0};
		for (int k = 0; k < ph->n; k++) {
			if (k)
				mc_buf_puts(&matched, " ");
			mc_buf_puts(&matched, ph->words[k]);
		}
		at += ph->n;
		if (ph->kind == KIND_STOP) {
			dropped = true;
		} else if (ph->kind == KIND_GENERIC) {
			json_array_append(generic, ph->entry);
		} else {
			bool dup = false;
			size_t i;
			json_t *c;
			json_array_foreach(concepts, i, c) dup |= c == ph->entry;
			if (!dup) {
				json_array_append(concepts, ph->entry);
				json_array_append_new(
				    p->understood,
				    json_pack("{s:O, s:s, s:O}", "id",
				              json_object_get(ph->entry, "id"), "words",
				              mc_buf_cstr(&matched), "label",
				              json_object_get(ph->entry, "label")));
			}
		}
		mc_buf_free(&matched);
	}

	size_t nc = json_array_size(concepts), ng = json_array_size(generic),
	       nk = json_array_size(kept);
	terms t = {.seen = json_object()};
	size_t i;
	json_t *v;
	if (!nc && !ng && !dropped) {
		/* nothing understood: the question as typed */
		p->plain = nk > 0;
		if (nk)
			terms_add(&t, folded);
		plan_add(p, &t);
		goto out;
	}
	if (nc == 1 && !nk) {
		/* one service named: its usual procedure first, when the generic
		 * words say nothing its name does not ("đăng ký" + "kết hôn") */
		const char *name =
		    json_string_value(json_object_get(json_array_get(concepts, 0), "name"));
		char *f = name ? text_fold(name) : NULL;
		bool fits = f != NULL;
		json_array_foreach(generic, i, v)
		{
			char *g = text_fold(json_string_value(json_object_get(v, "query")));
			fits = fits && contains_words(f, g);
			free(g);
		}
		if (fits) {
			terms_add(&t, f);
			plan_add(p, &t);
		}
		free(f);
	}
	/* everything, then fewer words */
	terms_add_entries(&t, concepts);
	terms_add_entries(&t, generic);
	json_array_foreach(kept, i, v) terms_add(&t, json_string_value(v));
	plan_add(p, &t);
	if (nc) {
		terms_add_entries(&t, concepts);
		terms_add_entries(&t, generic);
		plan_add(p, &t);
		terms_add_entries(&t, concepts);
		json_array_foreach(kept, i, v) terms_add(&t, json_string_value(v));
		plan_add(p, &t);
		terms_add_entries(&t, concepts);
		plan_add(p, &t);
		json_t *one = json_array();
		json_array_foreach(concepts, i, v)
		{
			json_array_clear(one);
			json_array_append(one, v);
			terms_add_entries(&t, one);
			plan_add(p, &t);
		}
		json_decref(one);
	} else if (nk) {
		json_array_foreach(kept, i, v) terms_add(&t, json_string_value(v));
		plan_add(p, &t);
	}
out:
	json_decref(t.seen);
	mc_buf_free(&t.b);
	json_decref(concepts);
	json_decref(generic);
	json_decref(kept);
	for (int k = 0; k < nwords; k++)
		free(words[k]);
	free(words);
	free(folded);
}

void assistant_plan_free(assistant_plan *p)
{
	for (int i = 0; i < p->nsearch; i++)
		free(p->search[i]);
	json_decref(p->understood);
	memset(p, 0, sizeof *p);
}
