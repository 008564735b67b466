/* opendata_dcat.c - DCAT-AP 3.0.1 documents of the open-data catalog: one
 * list of triples built from the datasets, written as Turtle or as
 * JSON-LD (an @graph of nodes with a prefix @context). Catalog pages hold
 * 100 datasets and carry hydra paging links. Every controlled-vocabulary
 * IRI (themes, frequencies, licences, file types, media types, languages,
 * places) is given its class and a label, as the DCAT-AP range shapes
 * require. */
#include "opendata/opendata.h"

#include "core/mem.h"
#include "territory/territory.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 100
#define EU "http://publications.europa.eu/resource/authority/"

typedef struct tri {
	char *s, *p, *o, *extra; /* extra: language or datatype */
	int kind;                /* 0 IRI, 1 literal@lang, 2 typed literal, 3 plain literal */
} tri;

typedef struct graph {
	tri *t;
	size_t n, cap;
	json_t *seen; /* described vocabulary IRIs */
	int blank;
} graph;

static void add(graph *g, const char *s, const char *p, const char *o, int kind, const char *extra)
{
	if (!o)
		return;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->t = mc_xrealloc(g->t, g->cap * sizeof *g->t);
	}
	g->t[g->n++] = (tri){mc_xstrdup(s), mc_xstrdup(p), mc_xstrdup(o),
	                     extra ? mc_xstrdup(extra) : NULL, kind};
}

static void iri(graph *g, const char *s, const char *p, const char *o)
{
	add(g, s, p, o, 0, NULL);
}

static void lit(graph *g, const char *s, const char *p, const char *v, const char *lang)
{
	if (v && *v)
		add(g, s, p, v, lang ? 1 : 3, lang);
}

static void typed(graph *g, const char *s, const char *p, const char *v, const char *dt)
{
	if (v && *v)
		add(g, s, p, v, 2, dt);
}

static char *blank(graph *g)
{
	return mc_xasprintf("_:b%d", ++g->blank);
}

/* First time an IRI is described: true (and remembered). */
static bool first(graph *g, const char *iri_)
{
	if (json_object_get(g->seen, iri_))
		return false;
	json_object_set_new(g->seen, iri_, json_true());
	return true;
}

static void graph_free(graph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->t[i].s);
		free(g->t[i].p);
		free(g->t[i].o);
		free(g->t[i].extra);
	}
	free(g->t);
	json_decref(g->seen);
}

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void concept(graph *g, const char *s, const char *p, const char *o, const char *type,
                    const char *en, const char *vi, const char *scheme, const char *scheme_title)
{
	iri(g, s, p, o);
	if (!first(g, o))
		return;
	iri(g, o, "rdf:type", type);
	if (strcmp(type, "skos:Concept") != 0)
		iri(g, o, "rdf:type", "skos:Concept");
	lit(g, o, "skos:prefLabel", en, "en");
	lit(g, o, "skos:prefLabel", vi, "vi");
	if (scheme) {
		iri(g, o, "skos:inScheme", scheme);
		if (first(g, scheme)) {
			iri(g, scheme, "rdf:type", "skos:ConceptScheme");
			lit(g, scheme, "dct:title", scheme_title, "en");
		}
	}
}

static void agent(graph *g, store_conn *c, const char *base, const char *s, const char *code)
{
	char *a = mc_xasprintf("%s/api/v1/agencies/%s", base, code);
	iri(g, s, "dct:publisher", a);
	if (first(g, a)) {
		json_t *ag = NULL;
		iri(g, a, "rdf:type", "foaf:Agent");
		iri(g, a, "rdf:type", "foaf:Organization");
		if (territory_agency_get(c, code, &ag, NULL) == MC_OK) {
			lit(g, a, "foaf:name", str_of(ag, "name"), "vi");
			lit(g, a, "foaf:name", str_of(ag, "name_en"), "en");
		} else {
			lit(g, a, "foaf:name", code, NULL);
		}
		lit(g, a, "dct:identifier", code, NULL);
		json_decref(ag);
	}
	free(a);
}

static char *dt(const char *ts)
{
	return mc_xasprintf("%s", ts ? ts : "");
}

static void distribution(graph *g, const char *base, const char *ds, json_t *r, const od_license *l,
                         const char *dataset_name)
{
	const char *id = str_of(r, "id");
	char *d = mc_xasprintf("%s/api/v1/opendata/resources/%s", base, id);
	char *url = mc_xasprintf("%s/download", d);
	bool csv = strcmp(str_of(r, "format"), "CSV") == 0;
	iri(g, ds, "dcat:distribution", d);
	iri(g, d, "rdf:type", "dcat:Distribution");
	lit(g, d, "dct:title", str_of(r, "name"), "vi");
	lit(g, d, "dct:description", str_of(r, "description"), "vi");
	lit(g, d, "dct:identifier", id, NULL);
	iri(g, d, "dcat:accessURL", url);
	if (json_is_integer(json_object_get(r, "size")))
		iri(g, d, "dcat:downloadURL", url);
	concept(g, d, "dct:format", csv ? EU "file-type/CSV" : EU "file-type/JSON",
	        "dct:MediaTypeOrExtent", csv ? "CSV" : "JSON", NULL, EU "file-type", "File type");
	const char *mt = csv ? "https://www.iana.org/assignments/media-types/text/csv"
	                     : "https://www.iana.org/assignments/media-types/application/json";
	iri(g, d, "dcat:mediaType", mt);
	if (first(g, mt)) {
		iri(g, mt, "rdf:type", "dct:MediaType");
		iri(g, mt, "rdf:type", "dct:MediaTypeOrExtent");
	}
	if (l) {
		iri(g, d, "dct:license", l->url);
		if (first(g, l->url)) {
			iri(g, l->url, "rdf:type", "dct:LicenseDocument");
			lit(g, l->url, "dct:title", l->title, "en");
			lit(g, l->url, "dct:identifier", l->id, NULL);
		}
	}
	json_t *size = json_object_get(r, "size");
	if (json_is_integer(size)) {
		char b[32];
		snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, json_integer_value(size));
		typed(g, d, "dcat:byteSize", b, "xsd:nonNegativeInteger");
		char *cs = blank(g);
		iri(g, d, "spdx:checksum", cs);
		iri(g, cs, "rdf:type", "spdx:Checksum");
		iri(g, cs, "spdx:algorithm", "http://spdx.org/rdf/terms#checksumAlgorithm_sha256");
		if (first(g, "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"))
			iri(g, "http://spdx.org/rdf/terms#checksumAlgorithm_sha256", "rdf:type",
			    "spdx:ChecksumAlgorithm");
		typed(g, cs, "spdx:checksumValue", str_of(r, "sha256"), "xsd:hexBinary");
		free(cs);
		char *m = dt(str_of(r, "content_modified"));
		typed(g, d, "dct:modified", m, "xsd:dateTime");
		free(m);
	}
	if (csv && json_is_object(json_object_get(r, "schema"))) {
		char *sch = mc_xasprintf("%s/api/v1/opendata/resources/%s#table-schema", base, id);
		iri(g, d, "dct:conformsTo", sch);
		iri(g, sch, "rdf:type", "dct:Standard");
		lit(g, sch, "dct:title", "Frictionless Table Schema", "en");
		free(sch);
	}
	(void)dataset_name;
	free(d);
	free(url);
}

static void dataset(graph *g, store_conn *c, const char *base, json_t *d, const char *catalog)
{
	const char *name = str_of(d, "name");
	char *ds = mc_xasprintf("%s/api/v1/opendata/datasets/%s#dataset", base, name);
	char *landing = mc_xasprintf("%s/api/v1/opendata/datasets/%s", base, name);
	if (catalog)
		iri(g, catalog, "dcat:dataset", ds);
	iri(g, ds, "rdf:type", "dcat:Dataset");
	lit(g, ds, "dct:identifier", str_of(d, "id"), NULL);
	json_t *t = json_object_get(d, "title"), *de = json_object_get(d, "description");
	lit(g, ds, "dct:title", str_of(t, "vi"), "vi");
	lit(g, ds, "dct:title", str_of(t, "en"), "en");
	lit(g, ds, "dct:description", str_of(de, "vi"), "vi");
	lit(g, ds, "dct:description", str_of(de, "en"), "en");
	json_t *kw = json_object_get(d, "keywords");
	const char *langs[] = {"vi", "en"};
	size_t i;
	json_t *v;
	for (int li = 0; li < 2; li++)
		json_array_foreach(json_object_get(kw, langs[li]), i, v)
		    lit(g, ds, "dcat:keyword", json_string_value(v), langs[li]);
	agent(g, c, base, ds, str_of(d, "agency"));
	json_array_foreach(json_object_get(d, "themes"), i, v)
	{
		const od_theme *th = od_theme_find(json_string_value(v));
		if (!th)
			continue;
		char *ti = mc_xasprintf(EU "data-theme/%s", th->code);
		concept(g, ds, "dcat:theme", ti, "skos:Concept", th->en, th->vi, EU "data-theme",
		        "Data theme");
		free(ti);
	}
	json_array_foreach(json_object_get(d, "spatial"), i, v)
	{
		char *u = mc_xasprintf("%s/api/v1/units/%s", base, json_string_value(v));
		iri(g, ds, "dct:spatial", u);
		if (first(g, u)) {
			json_t *unit = NULL;
			iri(g, u, "rdf:type", "dct:Location");
			if (territory_unit_get(c, json_string_value(v), false, &unit, NULL) ==
			    MC_OK) {
				lit(g, u, "skos:prefLabel", str_of(unit, "full_name"), "vi");
				lit(g, u, "skos:prefLabel", str_of(unit, "full_name_en"), "en");
			}
			lit(g, u, "dct:identifier", json_string_value(v), NULL);
			json_decref(unit);
		}
		free(u);
	}
	json_t *temporal = json_object_get(d, "temporal");
	if (json_is_object(temporal)) {
		char *b = blank(g);
		iri(g, ds, "dct:temporal", b);
		iri(g, b, "rdf:type", "dct:PeriodOfTime");
		typed(g, b, "dcat:startDate", str_of(temporal, "start"), "xsd:date");
		typed(g, b, "dcat:endDate", str_of(temporal, "end"), "xsd:date");
		free(b);
	}
	const char *fr = str_of(d, "frequency");
	if (fr) {
		char *fi = mc_xasprintf(EU "frequency/%s", fr);
		concept(g, ds, "dct:accrualPeriodicity", fi, "dct:Frequency",
		        od_frequency_label(fr), NULL, EU "frequency", "Frequency");
		free(fi);
	}
	json_t *contact = json_object_get(d, "contact");
	if (json_is_object(contact)) {
		char *b = blank(g);
		iri(g, ds, "dcat:contactPoint", b);
		iri(g, b, "rdf:type", "vcard:Kind");
		iri(g, b, "rdf:type", "vcard:Organization");
		lit(g, b, "vcard:fn", str_of(contact, "name"), NULL);
		if (str_of(contact, "email")) {
			char *m = mc_xasprintf("mailto:%s", str_of(contact, "email"));
			iri(g, b, "vcard:hasEmail", m);
			free(m);
		}
		free(b);
	}
	char *m = dt(str_of(d, "created"));
	typed(g, ds, "dct:issued", m, "xsd:dateTime");
	free(m);
	m = dt(str_of(d, "modified"));
	typed(g, ds, "dct:modified", m, "xsd:dateTime");
	free(m);
	iri(g, ds, "dcat:landingPage", landing);
	iri(g, landing, "rdf:type", "foaf:Document");
	free(landing);
	const od_license *l = od_license_find(str_of(d, "license"));
	json_array_foreach(json_object_get(d, "resources"), i, v)
	    distribution(g, base, ds, v, l, name);
	free(ds);
}

/* ---- writers ---- */

static const char *const prefixes[][2] = {
    {"dcat", "http://www.w3.org/ns/dcat#"},
    {"dct", "http://purl.org/dc/terms/"},
    {"foaf", "http://xmlns.com/foaf/0.1/"},
    {"vcard", "http://www.w3.org/2006/vcard/ns#"},
    {"skos", "http://www.w3.org/2004/02/skos/core#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"hydra", "http://www.w3.org/ns/hydra/core#"},
    {"spdx", "http://spdx.org/rdf/terms#"},
};

static void ttl_str(mc_buf *b, const char *s)
{
	mc_buf_puts(b, "\"");
	for (; *s; s++) {
		switch (*s) {
		case '"':
			mc_buf_puts(b, "\\\"");
			break;
		case '\\':
			mc_buf_puts(b, "\\\\");
			break;
		case '\n':
			mc_buf_puts(b, "\\n");
			break;
		case '\r':
			mc_buf_puts(b, "\\r");
			break;
		case '\t':
			mc_buf_puts(b, "\\t");
			break;
		default:
			if ((unsigned char)*s < 0x20)
				mc_buf_printf(b, "\\u%04x", (unsigned char)*s);
			else
				mc_buf_append(b, s, 1);
		}
	}
	mc_buf_puts(b, "\"");
}

static void ttl_iri(mc_buf *b, const char *s)
{
	if (strncmp(s, "_:", 2) == 0) {
		mc_buf_puts(b, s);
		return;
	}
	/* prefixed names are written as such */
	const char *colon = strchr(s, ':');
	if (colon && strncmp(colon, "://", 3) != 0 && strncmp(s, "mailto:", 7) != 0) {
		mc_buf_puts(b, s);
		return;
	}
	mc_buf_puts(b, "<");
	for (; *s; s++) {
		if (*s == '>' || *s == '<' || *s == '"' || *s == ' ' || *s == '{' || *s == '}' ||
		    *s == '|' || *s == '\\' || *s == '^' || *s == '`' || (unsigned char)*s < 0x21)
			mc_buf_printf(b, "%%%02X", (unsigned char)*s);
		else
			mc_buf_append(b, s, 1);
	}
	mc_buf_puts(b, ">");
}

static char *to_turtle(graph *g)
{
	mc_buf b = {0};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		mc_buf_printf(&b, "@prefix %s: <%s> .\n", prefixes[i][0], prefixes[i][1]);
	mc_buf_puts(&b, "\n");
	for (size_t i = 0; i < g->n; i++) {
		tri *t = &g->t[i];
		ttl_iri(&b, t->s);
		mc_buf_puts(&b, " ");
		mc_buf_puts(&b, strcmp(t->p, "rdf:type") == 0 ? "a" : t->p);
		mc_buf_puts(&b, " ");
		if (t->kind == 0) {
			ttl_iri(&b, t->o);
		} else {
			ttl_str(&b, t->o);
			if (t->kind == 1)
				mc_buf_printf(&b, "@%s", t->extra);
			else if (t->kind == 2)
				mc_buf_printf(&b, "^^%s", t->extra);
		}
		mc_buf_puts(&b, " .\n");
	}
	char *s = mc_xstrdup(mc_buf_cstr(&b));
	mc_buf_free(&b);
	return s;
}

static char *to_jsonld(graph *g)
{
	json_t *ctx = json_object();
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		json_object_set_new(ctx, prefixes[i][0], json_string(prefixes[i][1]));
	json_t *nodes = json_object(); /* subject -> node, insertion order kept by order[] */
	json_t *order = json_array();
	for (size_t i = 0; i < g->n; i++) {
		tri *t = &g->t[i];
		json_t *node = json_object_get(nodes, t->s);
		if (!node) {
			node = json_pack("{s:s}", "@id", t->s);
			json_object_set_new(nodes, t->s, node);
			json_array_append_new(order, json_string(t->s));
		}
		const char *key = strcmp(t->p, "rdf:type") == 0 ? "@type" : t->p;
		json_t *list = json_object_get(node, key);
		if (!list) {
			list = json_array();
			json_object_set_new(node, key, list);
		}
		json_t *val;
		if (strcmp(key, "@type") == 0)
			val = json_string(t->o);
		else if (t->kind == 0)
			val = json_pack("{s:s}", "@id", t->o);
		else if (t->kind == 1)
			val = json_pack("{s:s,s:s}", "@value", t->o, "@language", t->extra);
		else if (t->kind == 2)
			val = json_pack("{s:s,s:s}", "@value", t->o, "@type", t->extra);
		else
			val = json_pack("{s:s}", "@value", t->o);
		json_array_append_new(list, val);
	}
	json_t *graph_ = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(order, i, k)
	    json_array_append(graph_, json_object_get(nodes, json_string_value(k)));
	json_t *doc = json_pack("{s:o,s:o}", "@context", ctx, "@graph", graph_);
	char *s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	json_decref(nodes);
	json_decref(order);
	return s;
}

/* ---- catalog ---- */

typedef struct dcat_ctx {
	const char *base, *key;
	int page;
	json_t *datasets; /* filled before the read */
	int64_t total;
	graph g;
} dcat_ctx;

static mc_err dcat_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	dcat_ctx *x = vctx;
	graph_free(&x->g);
	memset(&x->g, 0, sizeof x->g);
	x->g.seen = json_object();
	graph *g = &x->g;
	if (x->key) {
		json_t *d = NULL;
		mc_err e = opendata_dataset_get(c, x->key, &d, diag);
		if (e)
			return e;
		dataset(g, c, x->base, d, NULL);
		json_decref(d);
		return MC_OK;
	}
	char *cat = mc_xasprintf("%s/catalog", x->base);
	iri(g, cat, "rdf:type", "dcat:Catalog");
	lit(g, cat, "dct:title", "Danh mục dữ liệu mở motcua", "vi");
	lit(g, cat, "dct:title", "motcua open data catalog", "en");
	lit(g, cat, "dct:description",
	    "Dữ liệu mở chuẩn hóa do các cơ quan nhà nước công bố trên nền tảng motcua.", "vi");
	lit(g, cat, "dct:description",
	    "Standardized open data published by state agencies on the motcua platform.", "en");
	char *pub = mc_xasprintf("%s/#operator", x->base);
	iri(g, cat, "dct:publisher", pub);
	iri(g, pub, "rdf:type", "foaf:Agent");
	lit(g, pub, "foaf:name", "Đơn vị vận hành nền tảng motcua", "vi");
	lit(g, pub, "foaf:name", "motcua platform operator", "en");
	free(pub);
	iri(g, cat, "dct:language", EU "language/VIE");
	iri(g, cat, "dct:language", EU "language/ENG");
	iri(g, EU "language/VIE", "rdf:type", "dct:LinguisticSystem");
	iri(g, EU "language/ENG", "rdf:type", "dct:LinguisticSystem");
	iri(g, cat, "dcat:themeTaxonomy", EU "data-theme");
	first(g, EU "data-theme");
	iri(g, EU "data-theme", "rdf:type", "skos:ConceptScheme");
	lit(g, EU "data-theme", "dct:title", "Data theme", "en");
	iri(g, cat, "foaf:homepage", x->base);
	iri(g, x->base, "rdf:type", "foaf:Document");
	/* hydra paging */
	int64_t last = x->total ? (x->total + PAGE - 1) / PAGE : 1;
	char *pg = mc_xasprintf("%s/catalog.%s?page=%d", x->base, "jsonld", x->page);
	iri(g, pg, "rdf:type", "hydra:PartialCollectionView");
	char n[32];
	snprintf(n, sizeof n, "%lld", (long long)x->total);
	typed(g, pg, "hydra:totalItems", n, "xsd:nonNegativeInteger");
	char *u = mc_xasprintf("%s/catalog.jsonld?page=1", x->base);
	iri(g, pg, "hydra:first", u);
	free(u);
	u = mc_xasprintf("%s/catalog.jsonld?page=%lld", x->base, (long long)last);
	iri(g, pg, "hydra:last", u);
	free(u);
	if (x->page < last) {
		u = mc_xasprintf("%s/catalog.jsonld?page=%d", x->base, x->page + 1);
		iri(g, pg, "hydra:next", u);
		free(u);
	}
	if (x->page > 1) {
		u = mc_xasprintf("%s/catalog.jsonld?page=%d", x->base, x->page - 1);
		iri(g, pg, "hydra:previous", u);
		free(u);
	}
	free(pg);
	size_t i;
	json_t *d;
	json_array_foreach(x->datasets, i, d) dataset(g, c, x->base, d, cat);
	free(cat);
	return MC_OK;
}

mc_err opendata_dcat(store *s, const char *base, const char *key, int page, bool turtle, char **out,
                     mc_diag *diag)
{
	*out = NULL;
	dcat_ctx x = {.base = base, .key = key, .page = page};
	if (!key) {
		od_query q = {.rows = PAGE, .start = (page - 1) * PAGE, .sort = "id asc"};
		json_t *result;
		mc_err e = opendata_search(s, &q, &result, diag);
		if (e)
			return e;
		x.datasets = json_incref(json_object_get(result, "results"));
		x.total = json_integer_value(json_object_get(result, "count"));
		json_decref(result);
	}
	mc_err e = store_read(s, dcat_fn, &x, diag);
	if (!e) {
		char *doc = turtle ? to_turtle(&x.g) : to_jsonld(&x.g);
		if (turtle) {
			/* paging links name the Turtle pages in a Turtle document */
			mc_buf b = {0};
			const char *p = doc, *hit;
			while ((hit = strstr(p, "/catalog.jsonld?page="))) {
				mc_buf_append(&b, p, (size_t)(hit - p));
				mc_buf_puts(&b, "/catalog.ttl?page=");
				p = hit + strlen("/catalog.jsonld?page=");
			}
			mc_buf_puts(&b, p);
			free(doc);
			doc = mc_xstrdup(mc_buf_cstr(&b));
			mc_buf_free(&b);
		}
		*out = doc;
	}
	graph_free(&x.g);
	json_decref(x.datasets);
	return e;
}
