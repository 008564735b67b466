/* registry_cli.c - `motcua registry quality NAME --data DIR` (the quality
 * report as JSON) and `motcua registry seed --persons N --data DIR [--seed
 * S]` (the synthetic population). */
#include "registry/registry.h"

#include "core/cli.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "Usage: motcua registry quality NAME --data DIR | --db URL\n"
    "       motcua registry seed --persons N --data DIR | --db URL [--seed S]\n"
    "\n"
    "quality  prints the data-quality report of registry NAME (persons,\n"
    "         businesses, death_records or a registry created through the API)\n"
    "         as JSON: valid share, completeness per field, freshness,\n"
    "         duplicate candidates, contradictions with other registries.\n"
    "seed     adds a deterministic synthetic population of about N persons\n"
    "         (families, deaths, businesses) across the real communes, and\n"
    "         the demo citizens; the same N and S give the same data.\n"
    "\n"
    "Options:\n"
    "  --data DIR     data directory created by `motcua init`\n"
    "  --db URL       the database instead (postgresql://...; default $MOTCUA_DB)\n"
    "  --persons N    number of persons to generate (0..5000000)\n"
    "  --seed S       generator seed (default 2026)\n"
    "  --help         show this help\n";

typedef struct q_ctx {
	const char *name;
	json_t *out;
} q_ctx;

static mc_err quality_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	q_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return registry_quality(c, x->name, &x->out, diag);
}

static bool parse_long(const char *s, long max, long *out)
{
	if (!s || !*s || strlen(s) > 10)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	*out = strtol(s, NULL, 10);
	return *out <= max;
}

int registry_cli(int argc, char **argv)
{
	const char *data = NULL, *db = NULL, *sub = NULL, *name = NULL;
	long persons = -1, seed = 2026;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--data") == 0 || strcmp(a, "--persons") == 0 ||
		           strcmp(a, "--seed") == 0 || strcmp(a, "--db") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("registry", NULL, "option needs a value", a);
			const char *v = argv[++i];
			if (strcmp(a, "--data") == 0)
				data = v;
			else if (strcmp(a, "--db") == 0)
				db = v;
			else if (a[2] == 'p' && !parse_long(v, 5000000, &persons))
				return cli_usage_error("registry", NULL,
				                       "--persons must be 0..5000000", v);
			else if (a[2] == 's' && !parse_long(v, 2000000000, &seed))
				return cli_usage_error("registry", NULL, "--seed must be a number",
				                       v);
		} else if (a[0] == '-') {
			return cli_usage_error("registry", NULL, "unknown option", a);
		} else if (!sub && (strcmp(a, "quality") == 0 || strcmp(a, "seed") == 0)) {
			sub = a;
		} else if (sub && strcmp(sub, "quality") == 0 && !name) {
			name = a;
		} else {
			return cli_usage_error("registry", NULL, "unexpected argument", a);
		}
	}
	if (!sub)
		return cli_usage_error("registry", NULL, "missing subcommand (quality or seed)",
		                       NULL);
	if (strcmp(sub, "quality") == 0 && !name)
		return cli_usage_error("registry", NULL, "missing registry NAME", NULL);
	if (strcmp(sub, "seed") == 0 && persons < 0)
		return cli_usage_error("registry", NULL, "--persons N is required", NULL);
	data = cli_db(db, data);
	if (!data || !*data)
		return cli_usage_error("registry", NULL, "missing --data DIR (or --db URL)", NULL);
	struct stat sb;
	if (strncmp(data, "sqlite:", 7) != 0 && !store_url_is_pg(data) &&
	    (stat(data, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return cli_usage_error("registry", NULL, "not a data directory", data);
	store *s = NULL;
	mc_diag diag = {0};
	int rc = 1, applied = 0;
	mc_err e = store_open(data, false, &s, &diag);
	if (!e)
		e = store_migrate(s, &applied, &diag);
	if (e) {
		fprintf(stderr, "motcua registry: cannot open %s: %s\n",
		        store_url_is_pg(data) ? "the database" : data,
		        diag.detail[0] ? diag.detail : mc_err_name(e));
		goto out;
	}
	if (strcmp(sub, "quality") == 0) {
		q_ctx x = {.name = name};
		e = store_read(s, quality_fn, &x, &diag);
		if (!e) {
			char *text = json_dumps(x.out, JSON_INDENT(2));
			puts(text);
			free(text);
			rc = 0;
		}
		json_decref(x.out);
	} else {
		e = registry_seed(s, persons, (unsigned long)seed, stdout, &diag);
		if (!e) {
			mc_diag_clear(&diag);
			store_optimize(s, &diag);
			rc = 0;
		}
	}
	if (e)
		fprintf(stderr, "motcua registry: %s\n",
		        diag.detail[0] ? diag.detail : mc_err_name(e));
out:
	mc_diag_clear(&diag);
	store_close(s);
	return rc;
}
