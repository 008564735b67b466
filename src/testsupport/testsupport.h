/* testsupport.h - set-up shared by the unit tests, built as its own static
 * library (motcua_testsupport) that only the test executables link:
 * temporary data directories, a migrated store in one, the project's data
 * files (MOTCUA_DATA_SOURCE) and the shipped administrative units. Failures
 * are reported on stderr and returned, so that cmocka set-up functions can
 * pass them on. */
#ifndef MC_TESTSUPPORT_H
#define MC_TESTSUPPORT_H

#include "store/store.h"
#include <stdbool.h>
#include <stddef.h>

/* Creates a new empty directory /tmp/motcua-<name>-XXXXXX and writes its
 * path into dir (n bytes). Returns 0, or -1 when it cannot. */
int testsupport_tmpdir(const char *name, char *dir, size_t n);

/* Removes path and everything below it (no symbolic links are followed).
 * Returns 0, or -1 when something could not be removed. */
int testsupport_rmtree(const char *path);

/* A store in a new temporary data directory (testsupport_tmpdir; path in
 * dir), with every migration applied. NULL when any step fails. */
store *testsupport_store_open(const char *name, char *dir, size_t n);

/* Closes s (NULL is a no-op) and removes its data directory dir. Returns 0,
 * or -1 when dir could not be removed. */
int testsupport_store_remove(store *s, const char *dir);

/* Path of `file` in the project's data directory: $MOTCUA_DATA_SOURCE
 * (set by ctest), "data" when unset. Caller frees. */
char *testsupport_data_path(const char *file);

/* Loads the shipped admin-units-vn.json into s (territory_load_units);
 * counts into *units and *agencies (nullable). Returns 0 or -1. */
int testsupport_load_units(store *s, int *units, int *agencies);

/* The PostgreSQL cluster of the tests: $MOTCUA_TEST_DB (a base URL such as
 * postgresql://postgres@127.0.0.1:5432), or NULL when unset. */
const char *testsupport_pg_base(void);
/* Creates a new database (UTF8, C collation) on that cluster and writes
 * its URL into url (n bytes). Returns false when MOTCUA_TEST_DB is unset
 * (the caller skips); aborts the test on any other failure. */
bool testsupport_pg_database(const char *name, char *url, size_t n);
/* Drops the database at url (made by testsupport_pg_database). 0 or -1. */
int testsupport_pg_drop(const char *url);

#endif
