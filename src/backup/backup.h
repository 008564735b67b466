/* backup.h - `motcua backup` and `motcua restore`: the whole database
 * (SQLite online backup API, or pg_dump / pg_restore for PostgreSQL, see
 * store_backup / store_restore) plus the content-addressed blobs.
 *
 * A backup is a directory: MANIFEST (backend, schema version, time),
 * database (SQLite file or pg_dump custom archive) and blobs/ (a copy of
 * DATA/blobs). The database is copied first, then the blobs: a blob is
 * written before the row that names it commits, so every document in the
 * copied database has its blob in the copy. */
#ifndef MC_BACKUP_H
#define MC_BACKUP_H

/* motcua backup --data DIR [--db URL] --to PATH. Returns the exit status. */
int backup_cli(int argc, char **argv);
/* motcua restore --data DIR [--db URL] --from PATH. Returns the exit
 * status. No server may be running on the target. */
int restore_cli(int argc, char **argv);

#endif
