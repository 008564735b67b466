/* backup.c - `motcua backup` / `motcua restore` (backup.h). */
#include "backup/backup.h"

#include "core/cli.h"
#include "core/date.h"
#include "core/mem.h"
#include "store/store.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *usage_backup =
    "usage: motcua backup --data DIR [--db URL] --to PATH\n\n"
    "Copies the database (SQLite: online backup API; PostgreSQL: pg_dump\n"
    "--format=custom) and then DIR/blobs into the new directory PATH, with a\n"
    "MANIFEST. Safe while motcua serves.\n";

static const char *usage_restore =
    "usage: motcua restore --data DIR [--db URL] --from PATH\n\n"
    "Replaces the database (SQLite: DIR/motcua.db; PostgreSQL: the database\n"
    "at URL, which must exist, via pg_restore --clean in one transaction)\n"
    "with the backup in PATH and copies its blobs into DIR/blobs. Stop every\n"
    "motcua server of this data first.\n";

/* Copies one file (mode 0640), fsynced. */
static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (out < 0)
		goto done;
	char buf[65536];
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto done;
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto done;
			off += w;
		}
	}
	rc = fsync(out);
done:
	if (out >= 0 && close(out) != 0)
		rc = -1;
	close(in);
	return rc;
}

static bool blob_name(const char *n)
{
	size_t len = strlen(n);
	if (len != 2 && len != 64)
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* Copies the blob tree (aa/bb/<sha256>) from `from` to `to`; files that
 * already exist with the same size are kept (content-addressed). Counts
 * copied files in *n. Temporary files of uploads in flight are skipped. */
static int copy_blobs(const char *from, const char *to, int depth, long *n)
{
	DIR *d = opendir(from);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	if (mkdir(to, 0750) != 0 && errno != EEXIST) {
		closedir(d);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!blob_name(e->d_name) || (depth < 2) != (strlen(e->d_name) == 2))
			continue;
		char *src = mc_xasprintf("%s/%s", from, e->d_name);
		char *dst = mc_xasprintf("%s/%s", to, e->d_name);
		struct stat a, b;
		if (stat(src, &a) == 0) {
			if (S_ISDIR(a.st_mode) && depth < 2)
				rc = copy_blobs(src, dst, depth + 1, n);
			else if (S_ISREG(a.st_mode) && depth == 2 &&
			         !(stat(dst, &b) == 0 && b.st_size == a.st_size)) {
				rc = copy_file(src, dst);
				(*n)++;
			}
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

struct opts {
	const char *data, *db, *path;
};

static int parse(int argc, char **argv, const char *cmd, const char *path_opt, const char *usage,
                 struct opts *o)
{
	const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                              {"db", required_argument, 0, 'B'},
	                              {path_opt, required_argument, 0, 'p'},
	                              {"help", no_argument, 0, 'h'},
	                              {0, 0, 0, 0}};
	int c;
	optind = 1;
	opterr = 0;
	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->data = optarg;
			break;
		case 'B':
			o->db = optarg;
			break;
		case 'p':
			o->path = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return cli_usage_error(cmd, NULL,
			                       c == ':' ? "option needs a value" : "unknown option",
			                       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, NULL, "unexpected argument", argv[optind]);
	if (!o->data || !*o->data)
		return cli_usage_error(cmd, NULL, "missing --data DIR", NULL);
	if (!o->path || !*o->path)
		return cli_usage_error(
		    cmd, NULL, strcmp(path_opt, "to") ? "missing --from PATH" : "missing --to PATH",
		    NULL);
	return -1;
}

int backup_cli(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, "backup", "to", usage_backup, &o);
	if (rc >= 0)
		return rc;
	rc = 1;
	const char *url = cli_db(o.db, o.data);
	store *s = NULL;
	mc_diag d = {0};
	char *dbfile = mc_xasprintf("%s/database", o.path);
	char *blobs_from = mc_xasprintf("%s/blobs", o.data);
	char *blobs_to = mc_xasprintf("%s/blobs", o.path);
	char *manifest = mc_xasprintf("%s/MANIFEST", o.path);
	if (mkdir(o.path, 0750) != 0) {
		fprintf(stderr, "motcua backup: cannot create %s: %s\n", o.path, strerror(errno));
		goto out;
	}
	if (store_open(url, false, &s, &d) != MC_OK) {
		fprintf(stderr, "motcua backup: %s\n", d.detail);
		goto out;
	}
	if (store_backup(s, dbfile, &d) != MC_OK) {
		fprintf(stderr, "motcua backup: %s\n", d.detail);
		goto out;
	}
	long n = 0;
	if (copy_blobs(blobs_from, blobs_to, 0, &n) != 0) {
		fprintf(stderr, "motcua backup: cannot copy blobs: %s\n", strerror(errno));
		goto out;
	}
	FILE *f = fopen(manifest, "w");
	char ts[32];
	if (!f ||
	    fprintf(f, "backend %s\nschema_version %d\ncreated_at %s\nblobs %ld\n",
	            store_backend(s), store_schema_version(s), ts_format(ts_now(), ts), n) < 0 ||
	    fclose(f) != 0) {
		fprintf(stderr, "motcua backup: cannot write %s\n", manifest);
		goto out;
	}
	printf("backup of the %s database and %ld blobs written to %s\n", store_backend(s), n,
	       o.path);
	rc = 0;
out:
	store_close(s);
	mc_diag_clear(&d);
	free(dbfile);
	free(blobs_from);
	free(blobs_to);
	free(manifest);
	return rc;
}

int restore_cli(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, "restore", "from", usage_restore, &o);
	if (rc >= 0)
		return rc;
	rc = 1;
	const char *url = cli_db(o.db, o.data);
	mc_diag d = {0};
	char *dbfile = mc_xasprintf("%s/database", o.path);
	char *blobs_from = mc_xasprintf("%s/blobs", o.path);
	char *blobs_to = mc_xasprintf("%s/blobs", o.data);
	char *manifest = mc_xasprintf("%s/MANIFEST", o.path);
	char backend[32] = "";
	FILE *f = fopen(manifest, "r");
	if (!f || fscanf(f, "backend %31s", backend) != 1) {
		fprintf(stderr, "motcua restore: %s is not a motcua backup (no MANIFEST)\n",
		        o.path);
		if (f)
			fclose(f);
		goto out;
	}
	fclose(f);
	const char *want = store_url_is_pg(url) ? "postgresql" : "sqlite";
	if (strcmp(backend, want) != 0) {
		fprintf(stderr,
		        "motcua restore: the backup is of a %s database, the target is %s\n",
		        backend, want);
		goto out;
	}
	if (mkdir(o.data, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "motcua restore: cannot create %s: %s\n", o.data, strerror(errno));
		goto out;
	}
	if (store_restore(url, dbfile, &d) != MC_OK) {
		fprintf(stderr, "motcua restore: %s\n", d.detail);
		goto out;
	}
	long n = 0;
	if (copy_blobs(blobs_from, blobs_to, 0, &n) != 0) {
		fprintf(stderr, "motcua restore: cannot copy blobs: %s\n", strerror(errno));
		goto out;
	}
	printf("restored the %s database and %ld blobs from %s\n", backend, n, o.path);
	rc = 0;
out:
	mc_diag_clear(&d);
	free(dbfile);
	free(blobs_from);
	free(blobs_to);
	free(manifest);
	return rc;
}
