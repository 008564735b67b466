/* cli.c - the one-line usage error of every command (cli.h). */
#include "core/cli.h"

#include <stdio.h>
#include <stdlib.h>

int cli_usage_error(const char *cmd, const char *help_cmd, const char *what, const char *arg)
{
	fprintf(stderr, "motcua %s: %s%s%s (try 'motcua %s --help')\n", cmd, what, arg ? ": " : "",
	        arg ? arg : "", help_cmd ? help_cmd : cmd);
	return CLI_USAGE;
}

const char *cli_db(const char *db, const char *data)
{
	if (db && *db)
		return db;
	const char *env = getenv("MOTCUA_DB");
	if (env && *env)
		return env;
	return data && *data ? data : NULL;
}
