/* cli.h - conventions shared by every motcua command: a wrong argument
 * gets one line on stderr and exit status 2. */
#ifndef MC_CLI_H
#define MC_CLI_H

#define CLI_USAGE 2 /* exit status of a usage error */

/* Prints "motcua CMD: WHAT[: ARG] (try 'motcua HELP --help')" on stderr,
 * where HELP is `help_cmd` or CMD when NULL. Returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *help_cmd, const char *what, const char *arg);

/* The database a command opens: `db` (its --db option) when given, else
 * $MOTCUA_DB when set and not empty, else the data directory `data`
 * (SQLite DIR/motcua.db). NULL when none of them is given. */
const char *cli_db(const char *db, const char *data);

#endif
