/* vault_types.c - the pure parts of the vault: the document-type
 * dictionary (data/vault-doctypes.json, embedded at build time), the
 * matcher from catalog component names to types, the rule that decides how
 * a dossier component is satisfied, and the rate formulas. No I/O. */
#include "vault/vault.h"

#include "core/mem.h"
#include "core/text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char embedded_vault_doctypes[];

typedef struct pattern {
	char *folded;
	size_t len;
	bool anchored; /* "^": only at the start of the name */
	bool weak;     /* "~": only when no strong phrase matches */
	const char *type;
} pattern;

static pthread_once_t types_once = PTHREAD_ONCE_INIT;
static json_t *types;     /* the "types" array */
static pattern *patterns; /* every phrase of every type */
static size_t npatterns;

static void load(void)
{
	json_error_t err;
	json_t *doc = json_loads(embedded_vault_doctypes, 0, &err);
	types = json_incref(json_object_get(doc, "types"));
	json_decref(doc);
	if (!json_is_array(types)) {
		fprintf(stderr, "motcua: data/vault-doctypes.json is malformed: %s\n", err.text);
		abort();
	}
	size_t cap = 0, i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		cap += json_array_size(json_object_get(t, "patterns"));
	}
	patterns = mc_xcalloc(cap ? cap : 1, sizeof *patterns);
	json_array_foreach(types, i, t)
	{
		const char *code = json_string_value(json_object_get(t, "code"));
		size_t j;
		json_t *p;
		json_array_foreach(json_object_get(t, "patterns"), j, p)
		{
			const char *s = json_string_value(p);
			if (!s || !code)
				continue;
			pattern *q = &patterns[npatterns];
			for (;;) {
				if (*s == '^')
					q->anchored = true;
				else if (*s == '~')
					q->weak = true;
				else
					break;
				s++;
			}
			q->folded = text_fold(s);
			q->len = strlen(q->folded);
			q->type = code;
			if (q->len == 0) {
				free(q->folded);
				continue;
			}
			npatterns++;
		}
	}
}

json_t *vault_doctypes(void)
{
	pthread_once(&types_once, load);
	return types;
}

json_t *vault_doctype(const char *code)
{
	if (!code)
		return NULL;
	size_t i;
	json_t *t;
	json_array_foreach(vault_doctypes(), i, t)
	{
		if (strcmp(json_string_value(json_object_get(t, "code")), code) == 0)
			return t;
	}
	return NULL;
}

/* Position of the first occurrence of p in s on word boundaries, or -1. */
static long find_word(const char *s, const pattern *p)
{
	const char *at = s;
	while ((at = strstr(at, p->folded)) != NULL) {
		bool start_ok = at == s || at[-1] == ' ';
		char end = at[p->len];
		if (start_ok && (end == '\0' || end == ' '))
			return at - s;
		if (p->anchored)
			return -1;
		at++;
	}
	return -1;
}

/* Words that say which copy is handed in, skipped at the start of a name,
 * with enumeration labels ("a", "1", "2 1") left over by folding. */
static const char *const skip_words[] = {
    "ban sao",       "ban chinh",  "ban chup", "ban goc", "ban dien tu",
    "co chung thuc", "chung thuc", "hop le",   "hoac",    "va",
    "cac",           "mot",        NULL,
};

static const char *skip_leading(const char *s)
{
	for (bool again = true; again && *s;) {
		again = false;
		/* a one-character token or a number: an enumeration label */
		size_t n = strcspn(s, " ");
		bool label = n == 1;
		if (!label && n > 0 && n <= 3) {
			label = true;
			for (size_t i = 0; i < n; i++) {
				if (s[i] < '0' || s[i] > '9')
					label = false;
			}
			/* "02 anh": a count of photos stays */
			if (label && strncmp(s + n, " anh", 4) == 0)
				label = false;
		}
		if (label && s[n] == ' ') {
			s += n + 1;
			again = true;
			continue;
		}
		for (int i = 0; skip_words[i]; i++) {
			size_t k = strlen(skip_words[i]);
			if (strncmp(s, skip_words[i], k) == 0 && s[k] == ' ') {
				s += k + 1;
				again = true;
				break;
			}
		}
	}
	return s;
}

const char *vault_match_name(const char *name)
{
	if (!name)
		return NULL;
	pthread_once(&types_once, load);
	char *folded = text_fold(name);
	const char *s = skip_leading(folded);
	const char *best[2] = {NULL, NULL}; /* [0] strong, [1] weak */
	long best_pos[2] = {-1, -1};
	size_t best_len[2] = {0, 0};
	for (size_t i = 0; i < npatterns; i++) {
		const pattern *p = &patterns[i];
		long pos = find_word(s, p);
		if (pos < 0 || (p->anchored && pos != 0))
			continue;
		int w = p->weak ? 1 : 0;
		if (!best[w] || pos < best_pos[w] || (pos == best_pos[w] && p->len > best_len[w])) {
			best[w] = p->type;
			best_pos[w] = pos;
			best_len[w] = p->len;
		}
	}
	free(folded);
	return best[0] ? best[0] : best[1];
}

/* ---- satisfaction ---- */

const char *vault_satisfied_by_name(vault_satisfied_by s)
{
	switch (s) {
	case VAULT_BY_UPLOAD:
		return "upload";
	case VAULT_BY_VAULT:
		return "vault";
	case VAULT_BY_REGISTRY:
		return "registry";
	case VAULT_BY_FORM:
		return "form";
	default:
		return "missing";
	}
}

vault_satisfied_by vault_satisfy_rule(json_t *type, bool upload, bool chosen_item,
                                      bool registry_fact_available, int valid_items)
{
	if (upload)
		return VAULT_BY_UPLOAD;
	if (chosen_item)
		return VAULT_BY_VAULT;
	if (!type)
		return VAULT_BY_NONE;
	if (json_is_true(json_object_get(type, "form")))
		return VAULT_BY_FORM;
	if (json_is_string(json_object_get(type, "registry")) && registry_fact_available)
		return VAULT_BY_REGISTRY;
	if (valid_items == 1)
		return VAULT_BY_VAULT;
	return VAULT_BY_NONE;
}

/* ---- names ---- */

static const char *const status_names[] = {"unverified", "verified", "revoked"};
static const char *const source_names[] = {"result", "upload", "registry"};

const char *vault_status_name(vault_status s)
{
	return (unsigned)s < 3 ? status_names[s] : "unverified";
}

bool vault_status_parse(const char *s, vault_status *out)
{
	for (int i = 0; s && i < 3; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (vault_status)i;
			return true;
		}
	}
	return false;
}

const char *vault_source_name(vault_source s)
{
	return (unsigned)s < 3 ? source_names[s] : "upload";
}

bool vault_source_parse(const char *s, vault_source *out)
{
	for (int i = 0; s && i < 3; i++) {
		if (strcmp(s, source_names[i]) == 0) {
			*out = (vault_source)i;
			return true;
		}
	}
	return false;
}

bool vault_item_valid_on(json_t *item, const char *today)
{
	const char *st = json_string_value(json_object_get(item, "status"));
	if (!st || strcmp(st, "revoked") == 0)
		return false;
	const char *from = json_string_value(json_object_get(item, "valid_from"));
	const char *until = json_string_value(json_object_get(item, "valid_until"));
	if (from && strcmp(today, from) < 0)
		return false;
	if (until && strcmp(today, until) > 0)
		return false;
	return true;
}

/* ---- rates ---- */

double vault_rate(long num, long den)
{
	if (den <= 0)
		return -1;
	if (num < 0)
		num = 0;
	if (num > den)
		num = den;
	return (double)num / (double)den;
}

static json_t *rate_json(long num, long den)
{
	double r = vault_rate(num, den);
	return json_pack("{s:o, s:I, s:I}", "rate", r < 0 ? json_null() : json_real(r), "numerator",
	                 (json_int_t)num, "denominator", (json_int_t)den);
}

json_t *vault_rates_json(const vault_rate_counts *k)
{
	long once_den = k->by_vault + k->by_registry + k->by_upload;
	json_t *once = rate_json(k->by_vault + k->by_registry, once_den);
	json_object_set_new(
	    once, "components",
	    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "required",
	              (json_int_t)k->components_required, "vault", (json_int_t)k->by_vault,
	              "registry", (json_int_t)k->by_registry, "upload", (json_int_t)k->by_upload,
	              "form", (json_int_t)k->by_form, "missing", (json_int_t)k->missing));
	return json_pack("{s:o, s:o, s:o}", "once_only", once, "digitization",
	                 rate_json(k->dossiers_digitized, k->dossiers_finished), "reuse",
	                 rate_json(k->items_reused, k->items_created));
}
