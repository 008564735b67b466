/* audit_cli.c - `motcua audit verify --data DIR`: walks the hash chain of a
 * data directory and reports the first broken entry. */
#include "audit/audit.h"
#include "core/cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "Usage: motcua audit verify --data DIR\n"
    "\n"
    "Verifies the hash-chained audit log of the data directory DIR: every\n"
    "entry's hash, the link to the previous entry, the sequence without gaps\n"
    "and the recorded head (so deleting the newest entries is detected).\n"
    "\n"
    "Prints \"audit log OK: N entries\" and exits 0, or\n"
    "\"audit log BROKEN at entry N: reason\" and exits 1.\n"
    "Exit status 2 on a usage error.\n"
    "\n"
    "Options:\n"
    "  --data DIR   data directory created by `motcua init`\n"
    "  --db URL     PostgreSQL database (postgresql://...; default $MOTCUA_DB)\n"
    "  --help       show this help\n";

int audit_cli(int argc, char **argv)
{
	const char *data = NULL, *db = NULL;
	bool verify = false;
	int i = 1;

	/* argv[0] is "audit"; tolerate being handed the program name too. */
	if (argc > 1 && strcmp(argv[1], "audit") == 0)
		i = 2;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--data") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("audit", NULL, "--data needs a directory",
				                       NULL);
			data = argv[++i];
		} else if (strncmp(a, "--data=", 7) == 0) {
			data = a + 7;
		} else if (strcmp(a, "--db") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("audit", NULL, "--db needs a URL", NULL);
			db = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			db = a + 5;
		} else if (strcmp(a, "verify") == 0 && !verify) {
			verify = true;
		} else if (a[0] == '-') {
			return cli_usage_error("audit", NULL, "unknown option", a);
		} else {
			return cli_usage_error("audit", NULL, "unexpected argument", a);
		}
	}
	if (!verify)
		return cli_usage_error("audit", NULL, "missing subcommand (verify)", NULL);
	data = cli_db(db, data);
	if (!data)
		return cli_usage_error("audit", NULL, "missing --data DIR (or --db URL)", NULL);
	struct stat sb;
	if (strncmp(data, "sqlite:", 7) != 0 && !store_url_is_pg(data) &&
	    (stat(data, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return cli_usage_error("audit", NULL, "not a data directory", data);

	store *s = NULL;
	mc_diag diag = {0};
	long long checked = 0, bad = 0;
	int rc = 1;
	mc_err e = store_open(data, false, &s, &diag);
	if (e) {
		fprintf(stderr, "motcua audit: cannot open %s: %s\n",
		        store_url_is_pg(data) ? "the database" : data,
		        diag.detail[0] ? diag.detail : mc_err_name(e));
		goto out;
	}
	e = audit_verify(s, &checked, &bad, &diag);
	if (e == MC_OK) {
		printf("audit log OK: %lld entries\n", checked);
		rc = 0;
	} else if (e == MC_ERR_CONFLICT) {
		printf("audit log BROKEN at entry %lld: %s\n", bad,
		       diag.detail[0] ? diag.detail : "chain broken");
	} else {
		fprintf(stderr, "motcua audit: cannot verify: %s\n",
		        diag.detail[0] ? diag.detail : mc_err_name(e));
	}
out:
	mc_diag_clear(&diag);
	store_close(s);
	return rc;
}
