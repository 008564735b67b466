/* vault_cli.c - `motcua vault match-report --data DIR [--examples N]
 * [--json]`: the share of catalog components the document-type matcher
 * types, with examples of untyped ones. */
#include "vault/vault.h"

#include "core/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "Usage: motcua vault match-report --data DIR [--examples N] [--json]\n"
    "\n"
    "Maps every document component of every procedure of the catalog to a\n"
    "type of the document-type dictionary (data/vault-doctypes.json) and\n"
    "prints the share typed, the count per type and N (default 20, at most\n"
    "1000) examples of untyped components spread over the catalog. --json\n"
    "prints the report as JSON (the same as GET /api/v1/vault/match-report).\n"
    "Exit status 2 on a usage error.\n";

static void print_share(const char *label, json_t *s)
{
	double share = json_real_value(json_object_get(s, "share"));
	printf("%s: %lld of %lld (%.1f %%)\n", label,
	       (long long)json_integer_value(json_object_get(s, "typed")),
	       (long long)json_integer_value(json_object_get(s, "total")), share * 100.0);
}

int vault_cli(int argc, char **argv)
{
	const char *data = NULL;
	bool report = false, as_json = false;
	long examples = 20;
	int i = 1;
	if (argc > 1 && strcmp(argv[1], "vault") == 0)
		i = 2;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--data") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("vault", NULL, "--data needs a directory",
				                       NULL);
			data = argv[++i];
		} else if (strcmp(a, "--examples") == 0) {
			char *end;
			if (i + 1 >= argc)
				return cli_usage_error("vault", NULL, "--examples needs a number",
				                       NULL);
			examples = strtol(argv[++i], &end, 10);
			if (*end || examples < 0 || examples > 1000)
				return cli_usage_error("vault", NULL, "--examples must be 0..1000",
				                       argv[i]);
		} else if (strcmp(a, "--json") == 0) {
			as_json = true;
		} else if (strcmp(a, "match-report") == 0 && !report) {
			report = true;
		} else if (a[0] == '-') {
			return cli_usage_error("vault", NULL, "unknown option", a);
		} else {
			return cli_usage_error("vault", NULL, "unexpected argument", a);
		}
	}
	if (!report)
		return cli_usage_error("vault", NULL, "missing subcommand (match-report)", NULL);
	if (!data || !*data)
		return cli_usage_error("vault", NULL, "missing --data DIR", NULL);
	struct stat sb;
	if (strncmp(data, "sqlite:", 7) != 0 && strncmp(data, "postgres", 8) != 0 &&
	    (stat(data, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return cli_usage_error("vault", NULL, "not a data directory", data);
	store *s = NULL;
	mc_diag diag = {0};
	json_t *rep = NULL;
	int rc = 1;
	mc_err e = store_open(data, false, &s, &diag);
	if (!e)
		e = vault_match_report(s, (int)examples, &rep, &diag);
	if (e) {
		fprintf(stderr, "motcua vault: %s\n",
		        diag.detail[0] ? diag.detail : mc_err_name(e));
		goto out;
	}
	if (as_json) {
		char *txt = json_dumps(rep, JSON_INDENT(1));
		puts(txt);
		free(txt);
	} else {
		printf("procedures: %lld\n",
		       (long long)json_integer_value(json_object_get(rep, "procedures")));
		print_share("document components typed", json_object_get(rep, "documents"));
		print_share("required document components typed",
		            json_object_get(rep, "required_documents"));
		printf("by type:\n");
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(rep, "by_type"), k, v)
		{
			printf("  %-30s %lld\n", k, (long long)json_integer_value(v));
		}
		printf("untyped examples:\n");
		size_t j;
		json_t *ex;
		json_array_foreach(json_object_get(rep, "untyped_examples"), j, ex)
		{
			printf("  %s %s: %s\n", json_string_value(json_object_get(ex, "procedure")),
			       json_string_value(json_object_get(ex, "component")),
			       json_string_value(json_object_get(ex, "name")));
		}
	}
	rc = 0;
out:
	json_decref(rep);
	mc_diag_clear(&diag);
	store_close(s);
	return rc;
}
