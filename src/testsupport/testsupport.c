/* testsupport.c - temporary data directories and stores for the unit tests
 * (see testsupport.h). Not part of motcua_lib. */
#include "testsupport/testsupport.h"

#include "core/mem.h"
#include "territory/territory.h"
#include <ftw.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int testsupport_tmpdir(const char *name, char *dir, size_t n)
{
	int k = snprintf(dir, n, "/tmp/motcua-%s-XXXXXX", name);
	if (k < 0 || (size_t)k >= n || !mkdtemp(dir)) {
		fprintf(stderr, "testsupport: cannot create a temporary directory for %s\n", name);
		return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 ? 0 : -1;
}

int testsupport_rmtree(const char *path)
{
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
		fprintf(stderr, "testsupport: cannot remove %s\n", path);
		return -1;
	}
	return 0;
}

store *testsupport_store_open(const char *name, char *dir, size_t n)
{
	store *s = NULL;
	mc_diag d = {0};
	int applied = 0;
	if (testsupport_tmpdir(name, dir, n))
		return NULL;
	if (store_open(dir, true, &s, &d) != MC_OK || store_migrate(s, &applied, &d) != MC_OK) {
		fprintf(stderr, "testsupport: store: %s\n", d.detail);
		testsupport_store_remove(s, dir);
		s = NULL;
	}
	mc_diag_clear(&d);
	return s;
}

int testsupport_store_remove(store *s, const char *dir)
{
	store_close(s);
	return testsupport_rmtree(dir);
}

char *testsupport_data_path(const char *file)
{
	const char *src = getenv("MOTCUA_DATA_SOURCE");
	return mc_xasprintf("%s/%s", src ? src : "data", file);
}

int testsupport_load_units(store *s, int *units, int *agencies)
{
	mc_diag d = {0};
	int nu = 0, na = 0;
	char *path = testsupport_data_path("admin-units-vn.json");
	mc_err e = territory_load_units(s, path, &nu, &na, &d);
	free(path);
	if (e != MC_OK)
		fprintf(stderr, "testsupport: units: %s\n", d.detail);
	mc_diag_clear(&d);
	if (units)
		*units = nu;
	if (agencies)
		*agencies = na;
	return e == MC_OK ? 0 : -1;
}

const char *testsupport_pg_base(void)
{
	const char *b = getenv("MOTCUA_TEST_DB");
	return b && *b ? b : NULL;
}

/* Runs one statement on the cluster's maintenance database. */
static int pg_admin(const char *sql)
{
	char *u = mc_xasprintf("%s/postgres", testsupport_pg_base());
	PGconn *c = PQconnectdb(u);
	free(u);
	int rc = -1;
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc)
			fprintf(stderr, "testsupport: %s: %s", sql, PQerrorMessage(c));
		PQclear(r);
	} else {
		fprintf(stderr, "testsupport: cannot connect: %s", PQerrorMessage(c));
	}
	PQfinish(c);
	return rc;
}

bool testsupport_pg_database(const char *name, char *url, size_t n)
{
	const char *base = testsupport_pg_base();
	if (!base)
		return false;
	static int seq;
	char db[96];
	snprintf(db, sizeof db, "motcua_u_%s_%d_%d", name, (int)getpid(), ++seq);
	char *sql = mc_xasprintf("CREATE DATABASE \"%s\" TEMPLATE template0 ENCODING 'UTF8' "
	                         "LC_COLLATE 'C' LC_CTYPE 'C'",
	                         db);
	int rc = pg_admin(sql);
	free(sql);
	if (rc) {
		fprintf(stderr, "testsupport: cannot create database %s\n", db);
		abort();
	}
	snprintf(url, n, "%s/%s", base, db);
	return true;
}

int testsupport_pg_drop(const char *url)
{
	const char *db = strrchr(url, '/');
	if (!db || !testsupport_pg_base())
		return -1;
	char *sql = mc_xasprintf("DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", db + 1);
	int rc = pg_admin(sql);
	free(sql);
	return rc;
}
