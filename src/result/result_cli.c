/* result_cli.c - `motcua result rotate-key AGENCY --data DIR [--master-key
 * FILE]`: retires the agency's active signing key and creates a new one
 * (old results stay verifiable with the retired public key). */
#include "core/cli.h"
#include "result/result.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: motcua result rotate-key AGENCY --data DIR [--db URL] [--master-key FILE]\n"
    "\n"
    "Creates a new Ed25519 signing key for AGENCY (e.g. UBND-00004) and retires\n"
    "the active one; results signed with retired keys stay verifiable. The\n"
    "secret key is encrypted with the master key: --master-key FILE, else\n"
    "$MOTCUA_MASTER_KEY_FILE, else DIR/master.key (made by motcua init). Every\n"
    "node sharing the database must use the same master key file. --db URL\n"
    "(default $MOTCUA_DB) names a PostgreSQL database.\n"
    "\n"
    "Exit status: 0 rotated, 1 failure (unknown agency, no master key), 2 wrong\n"
    "argument.\n";

int result_cli(int argc, char **argv)
{
	static const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                                     {"master-key", required_argument, 0, 'm'},
	                                     {"db", required_argument, 0, 'B'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "rotate-key") != 0)
		return cli_usage_error("result", NULL, "expected 'rotate-key AGENCY'", NULL);
	const char *data = NULL, *mkey = NULL, *db = NULL;
	int c;
	optind = 1;
	opterr = 0;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			data = optarg;
			break;
		case 'm':
			mkey = optarg;
			break;
		case 'B':
			db = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return cli_usage_error("result", NULL,
			                       c == ':' ? "option needs a value" : "unknown option",
			                       argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("result", NULL, "expected exactly one AGENCY", NULL);
	if (!data)
		return cli_usage_error("result", NULL, "--data DIR is required", NULL);
	const char *agency = argv[optind];
	mc_diag d = {0};
	store *s = NULL;
	json_t *key = NULL;
	int rc = 1;
	char *path = result_master_key_path(mkey, data);
	int applied = 0;
	if (result_master_key_load(path, &d) != MC_OK ||
	    store_open(cli_db(db, data), false, &s, &d) != MC_OK ||
	    store_migrate(s, &applied, &d) != MC_OK ||
	    result_key_rotate_on(s, agency, "cli", &key, &d) != MC_OK) {
		fprintf(stderr, "motcua result: %s\n", d.detail);
		goto out;
	}
	printf("agency %s: new signing key %s (public key %s)\n", agency,
	       json_string_value(json_object_get(key, "id")),
	       json_string_value(json_object_get(key, "public_key")));
	rc = 0;
out:
	json_decref(key);
	store_close(s);
	mc_diag_clear(&d);
	free(path);
	result_master_key_set(NULL);
	return rc;
}
