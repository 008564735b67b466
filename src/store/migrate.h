/* migrate.h - the embedded schema migrations (generated from schema/). */
#ifndef MC_MIGRATE_H
#define MC_MIGRATE_H

typedef struct store_migration {
	const char *backend; /* "sqlite" or "postgresql" */
	int version;         /* NNNN prefix of the file name */
	const char *name;    /* file name without .sql */
	const char *sql;
} store_migration;

/* Ended by a row with backend == NULL. */
extern const store_migration store_migrations[];

#endif
