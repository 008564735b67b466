/* auth_cli.c - `motcua user add`: creates an account in a data directory,
 * the password read from standard input (never from the command line). */
#include "auth/auth.h"
#include "core/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "Usage: motcua user add --data DIR --username U --role citizen|officer|admin\n"
    "                       [--agency CODE] [--person-id ID] --password-stdin\n"
    "\n"
    "Creates an account in the data directory DIR. The password (8 to 256 bytes)\n"
    "is the first line of standard input, e.g.\n"
    "  printf '%s\\n' \"$PASS\" | motcua user add --data d --username an --role citizen "
    "--password-stdin\n"
    "\n"
    "Options:\n"
    "  --data DIR        data directory created by `motcua init`\n"
    "  --db URL          PostgreSQL database (postgresql://...; default $MOTCUA_DB)\n"
    "  --username U      3 to 63 characters of a-z, 0-9, '.', '_', '-'\n"
    "  --role R          citizen, officer or admin\n"
    "  --agency CODE     the officer's agency (required for officers), e.g. UBND-00004\n"
    "  --person-id ID    12-digit personal identification number\n"
    "  --password-stdin  read the password from standard input (required)\n"
    "  --help            show this help\n"
    "\n"
    "Exit status: 0 created, 1 failure (e.g. the username is taken), 2 wrong argument.\n";

/* Option named by a validation path, for messages. */
static const char *option_of(const char *path)
{
	static const char *const map[][2] = {
	    {"$.username", "--username"}, {"$.password", "password"},     {"$.role", "--role"},
	    {"$.agency", "--agency"},     {"$.person_id", "--person-id"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (path && strcmp(path, map[i][0]) == 0)
			return map[i][1];
	return path ? path : "?";
}

/* Reports the first entry of an errors array (exit 2). */
static int bad_field(json_t *errs)
{
	json_t *first = json_array_get(errs, 0);
	char msg[300];
	snprintf(msg, sizeof msg, "%s %s",
	         option_of(json_string_value(json_object_get(first, "path"))),
	         json_string_value(json_object_get(first, "message")));
	return cli_usage_error("user", NULL, msg, NULL);
}

/* Reads the first line of stdin into buf (without the newline). False when
 * longer than max bytes. */
static bool read_password(char *buf, size_t size, size_t max)
{
	size_t n = 0;
	int ch;
	while ((ch = getchar()) != EOF && ch != '\n') {
		if (n >= max || n + 1 >= size)
			return false;
		buf[n++] = (char)ch;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return true;
}

/* Value of option argv[*i] ("--name VALUE" or "--name=VALUE"), or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int auth_cli_user(int argc, char **argv)
{
	const char *data = NULL, *db = NULL, *username = NULL, *role_s = NULL, *agency = NULL,
	           *person = NULL;
	bool add = false, pw_stdin = false;
	char password[AUTH_PASSWORD_MAX + 2];
	int i = 1, rc = 1;

	if (argc > 1 && strcmp(argv[1], "user") == 0)
		i = 2;
	for (; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "add") == 0 && !add) {
			add = true;
		} else if (strcmp(a, "--password-stdin") == 0) {
			pw_stdin = true;
		} else if ((v = opt_value(argc, argv, &i, "--data", &missing))) {
			data = v;
		} else if ((v = opt_value(argc, argv, &i, "--db", &missing))) {
			db = v;
		} else if ((v = opt_value(argc, argv, &i, "--username", &missing))) {
			username = v;
		} else if ((v = opt_value(argc, argv, &i, "--role", &missing))) {
			role_s = v;
		} else if ((v = opt_value(argc, argv, &i, "--agency", &missing))) {
			agency = v;
		} else if ((v = opt_value(argc, argv, &i, "--person-id", &missing))) {
			person = v;
		} else if (missing) {
			return cli_usage_error("user", NULL, "option needs a value", a);
		} else if (strcmp(a, "--password") == 0 || strncmp(a, "--password=", 11) == 0) {
			return cli_usage_error(
			    "user", NULL,
			    "passwords are not accepted on the command line; use "
			    "--password-stdin",
			    NULL);
		} else if (a[0] == '-') {
			return cli_usage_error("user", NULL, "unknown option", a);
		} else {
			return cli_usage_error("user", NULL, "unexpected argument", a);
		}
	}
	if (!add)
		return cli_usage_error("user", NULL, "missing subcommand (add)", NULL);
	data = cli_db(db, data);
	if (!data)
		return cli_usage_error("user", NULL, "missing --data DIR (or --db URL)", NULL);
	if (!username)
		return cli_usage_error("user", NULL, "missing --username", NULL);
	if (!role_s)
		return cli_usage_error("user", NULL, "missing --role", NULL);
	if (!pw_stdin)
		return cli_usage_error("user", NULL, "missing --password-stdin", NULL);
	mc_role role;
	if (!role_parse(role_s, &role))
		return cli_usage_error("user", NULL, "--role must be citizen, officer or admin",
		                       role_s);
	if (agency && !*agency)
		agency = NULL;
	if (person && !*person)
		person = NULL;

	/* Check everything but the password and the agency's existence first,
	 * so a wrong argument fails before anything is read from stdin. */
	auth_user_spec u = {username, "placeholder-password", role, agency, person};
	json_t *errs = auth_user_check(&u);
	if (json_array_size(errs)) {
		rc = bad_field(errs);
		json_decref(errs);
		return rc;
	}
	json_decref(errs);
	if (!read_password(password, sizeof password, AUTH_PASSWORD_MAX)) {
		sodium_memzero(password, sizeof password);
		return cli_usage_error("user", NULL, "password longer than 256 bytes", NULL);
	}
	u.password = password;
	errs = auth_user_check(&u);
	if (json_array_size(errs)) {
		sodium_memzero(password, sizeof password);
		rc = bad_field(errs);
		json_decref(errs);
		return rc;
	}
	json_decref(errs);

	store *s = NULL;
	mc_diag diag = {0};
	json_t *out = NULL;
	mc_err e = store_open(data, false, &s, &diag);
	if (e) {
		rc = e == MC_ERR_NOT_FOUND || e == MC_ERR_INVALID ? 2 : 1;
		fprintf(stderr, "motcua user: cannot open %s: %s\n",
		        store_url_is_pg(data) ? "the database" : data,
		        diag.detail[0] ? diag.detail : mc_err_name(e));
		goto out;
	}
	e = auth_user_create(s, "cli", &u, &out, &diag);
	if (e == MC_ERR_UNPROCESSABLE && diag.ext) {
		rc = bad_field(json_object_get(diag.ext, "errors"));
		goto out;
	}
	if (e) {
		fprintf(stderr, "motcua user: %s\n", diag.detail[0] ? diag.detail : mc_err_name(e));
		goto out;
	}
	printf("user %s created (role %s%s%s)\n", username, role_name(role),
	       agency ? ", agency " : "", agency ? agency : "");
	rc = 0;
out:
	sodium_memzero(password, sizeof password);
	json_decref(out);
	mc_diag_clear(&diag);
	store_close(s);
	return rc;
}
