/* proactive_cli.c - `motcua proactive run --data DIR [--db URL]`: handles
 * every life event not yet handled (the same drain as the background
 * worker of `serve`) and prints what it did as JSON. */
#include "proactive/proactive.h"

#include "core/cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "Usage: motcua proactive run --data DIR | --db URL\n"
    "\n"
    "run  turns the life events recorded in the registries since the last run\n"
    "     into offers (data/life-events.json) and prints {batches, events,\n"
    "     offers, skipped, position} as JSON. `serve` does the same every\n"
    "     few seconds.\n"
    "\n"
    "Options:\n"
    "  --data DIR     data directory created by `motcua init`\n"
    "  --db URL       the database instead (postgresql://...; default $MOTCUA_DB)\n"
    "  --help         show this help\n";

int proactive_cli(int argc, char **argv)
{
	const char *data = NULL, *db = NULL;
	bool run = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--data") == 0 || strcmp(a, "--db") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("proactive", NULL, "option needs a value",
				                       a);
			if (a[2] == 'd' && a[3] == 'a')
				data = argv[++i];
			else
				db = argv[++i];
		} else if (a[0] == '-') {
			return cli_usage_error("proactive", NULL, "unknown option", a);
		} else if (!run && strcmp(a, "run") == 0) {
			run = true;
		} else {
			return cli_usage_error("proactive", NULL, "unexpected argument", a);
		}
	}
	if (!run)
		return cli_usage_error("proactive", NULL, "missing subcommand (run)", NULL);
	data = cli_db(db, data);
	if (!data || !*data)
		return cli_usage_error("proactive", NULL, "missing --data DIR (or --db URL)", NULL);
	struct stat sb;
	if (strncmp(data, "sqlite:", 7) != 0 && !store_url_is_pg(data) &&
	    (stat(data, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return cli_usage_error("proactive", NULL, "not a data directory", data);
	store *s = NULL;
	mc_diag diag = {0};
	int rc = 1, applied = 0;
	mc_err e = store_open(data, false, &s, &diag);
	if (!e)
		e = store_migrate(s, &applied, &diag);
	proactive_report rep;
	if (!e)
		e = proactive_run(s, 0, &rep, &diag);
	if (e) {
		fprintf(stderr, "motcua proactive: %s\n",
		        diag.detail[0] ? diag.detail : mc_err_name(e));
	} else {
		printf("{\"batches\":%ld,\"events\":%ld,\"offers\":%ld,\"skipped\":%ld,"
		       "\"position\":%lld}\n",
		       rep.batches, rep.events, rep.offers, rep.skipped, (long long)rep.position);
		rc = 0;
	}
	mc_diag_clear(&diag);
	store_close(s);
	return rc;
}
