/* cli.c - the one-line usage error of every command (cli.h). */
#include "core/cli.h"

#include <stdio.h>

int cli_usage_error(const char *cmd, const char *help_cmd, const char *what, const char *arg)
{
	fprintf(stderr, "motcua %s: %s%s%s (try 'motcua %s --help')\n", cmd, what, arg ? ": " : "",
	        arg ? arg : "", help_cmd ? help_cmd : cmd);
	return CLI_USAGE;
}
