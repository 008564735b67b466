/* main.c - the motcua command line: init, serve, import, user, audit,
 * routes. Each command has --help; a wrong argument prints one line on
 * stderr and exits with status 2. */
#include "app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "backup/backup.h"
#include "catalog/catalog.h"
#include "core/cli.h"
#include "core/log.h"
#include "core/mem.h"
#include "dossier/dossier.h"
#include "exchange/exchange.h"
#include "http/server.h"
#include "http/server_internal.h"
#include "notify/notify.h"
#include "ocr/ocr.h"
#include "opendata/opendata.h"
#include "proactive/proactive.h"
#include "registry/registry.h"
#include "result/result.h"
#include "satisfaction/satisfaction.h"
#include "territory/territory.h"
#include "vault/vault.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_BODY (1L << 20)    /* 1 MiB of JSON */
#define DEFAULT_MAX_UPLOAD (20L << 20) /* 20 MiB per attachment */
#define DEMO_PERSONS 2000              /* synthetic persons of init --demo */

static const char *usage_main =
    "usage: motcua COMMAND [OPTIONS]\n"
    "\n"
    "motcua - one-stop national digital-government platform\n"
    "\n"
    "commands:\n"
    "  init      create a data directory (units, agencies, procedure catalog)\n"
    "  serve     serve the portal API over HTTP\n"
    "  import    import data (motcua import procedures FILE)\n"
    "  user      manage accounts (motcua user add ...)\n"
    "  audit     verify the audit log (motcua audit verify --data DIR)\n"
    "  registry  registries: quality report, synthetic population (seed)\n"
    "  vault     vault reports (motcua vault match-report --data DIR)\n"
    "  result    signing keys of results (motcua result rotate-key AGENCY ...)\n"
    "  backup    copy the database and blobs (motcua backup --data DIR --to PATH)\n"
    "  restore   put a backup back (motcua restore --data DIR --from PATH)\n"
    "  opendata  regenerate the generated open datasets (motcua opendata refresh --data DIR)\n"
    "  proactive turn new life events into offers now (motcua proactive run --data DIR)\n"
    "  notify    turn new events into inbox messages now (motcua notify run --data DIR)\n"
    "  routes    print every HTTP route\n"
    "\n"
    "Run 'motcua COMMAND --help' for the options of a command.\n"
    "Every command that opens data takes --db URL (postgresql://...) to use\n"
    "PostgreSQL instead of DIR/motcua.db (SQLite); $MOTCUA_DB is its default.\n";

static int bad_arg(const char *cmd, const char *msg)
{
	return cli_usage_error(cmd, NULL, msg, NULL);
}

/* One-line error for what getopt_long (optstring ":", opterr 0) rejected. */
static int bad_option(const char *cmd, int c, char **argv)
{
	char msg[160];
	snprintf(msg, sizeof msg, c == ':' ? "option %s needs a value" : "unknown option %s",
	         argv[optind - 1]);
	return bad_arg(cmd, msg);
}

/* Opens the store (`db` when given, else $MOTCUA_DB, else SQLite in
 * `data`) and fills the application context; blobs live in DATA/blobs. */
static int app_open(mc_app *app, const char *data, const char *db, bool create)
{
	mc_diag d = {0};
	memset(app, 0, sizeof *app);
	if (create && mkdir(data, 0750) != 0 && errno != EEXIST) {
		fprintf(stderr, "motcua: cannot create %s: %s\n", data, strerror(errno));
		return 1;
	}
	if (store_open(cli_db(db, data), create, &app->db, &d) != MC_OK) {
		fprintf(stderr, "motcua: %s\n", d.detail);
		return 1;
	}
	int applied = 0;
	if (store_migrate(app->db, &applied, &d) != MC_OK) {
		fprintf(stderr, "motcua: %s\n", d.detail);
		store_close(app->db);
		return 1;
	}
	app->data_dir = mc_xstrdup(data);
	app->blob_dir = mc_xasprintf("%s/blobs", data);
	mkdir(app->blob_dir, 0750);
	app->max_body = DEFAULT_MAX_BODY;
	app->max_upload = DEFAULT_MAX_UPLOAD;
	return 0;
}

static void app_close(mc_app *app)
{
	store_close(app->db);
	free(app->data_dir);
	free(app->blob_dir);
}

/* ---- init ---- */

struct demo_user {
	const char *username, *password, *role, *agency, *person_id;
};

static const struct demo_user demo_users[] = {
    {"admin", "admin-demo-2026", "admin", NULL, NULL},
    {"citizen", "citizen-demo-2026", "citizen", NULL, "001090012345"},
    {"citizen2", "citizen2-demo-2026", "citizen", NULL, "079190012346"},
    {"officer", "officer-demo-2026", "officer", "UBND-00004", NULL},
    {"officer2", "officer2-demo-2026", "officer", "UBND-00008", NULL},
};

struct ministry_ctx {
	const char *code, *vi, *en;
};

static mc_err ensure_ministry_fn(store_conn *c, void *ctx, mc_diag *diag)
{
	(void)diag;
	struct ministry_ctx *m = ctx;
	return territory_ensure_agency(c, m->code, m->vi, m->en, "central", NULL, NULL);
}

/* catalog_owner_agencies callback: one central agency per ministry. */
static void add_ministry(const char *code, const char *name_vi, const char *name_en, void *ctx)
{
	struct ministry_ctx m = {code, name_vi, name_en};
	if (store_write(ctx, ensure_ministry_fn, &m, NULL) != MC_OK)
		fprintf(stderr, "motcua init: cannot create agency %s\n", code);
}

static int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                                     {"db", required_argument, 0, 'B'},
	                                     {"demo", no_argument, 0, 'D'},
	                                     {"source", required_argument, 0, 's'},
	                                     {"master-key", required_argument, 0, 'm'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	const char *data = NULL, *db = NULL, *source = getenv("MOTCUA_DATA_SOURCE"), *mkey = NULL;
	bool demo = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			data = optarg;
			break;
		case 'D':
			demo = true;
			break;
		case 'B':
			db = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 'm':
			mkey = optarg;
			break;
		case 'h':
			printf(
			    "usage: motcua init --data DIR [--db URL] [--demo] [--source DIR]\n"
			    "                   [--master-key FILE]\n\n"
			    "Creates DIR (SQLite in WAL mode, or the PostgreSQL database at\n"
			    "--db postgresql://... with blobs in DIR), applies migrations, loads "
			    "the\n"
			    "34 provinces and 3,321 communes, their People's Committees, the\n"
			    "ministries and the procedure catalog from --source (default: the\n"
			    "project's data/ folder). --demo adds demo accounts, dossiers and a\n"
			    "synthetic population of about 2,000 persons in the registries.\n"
			    "The master key that encrypts agencies' signing keys is created\n"
			    "(mode 0600) unless it exists: --master-key FILE, else\n"
			    "$MOTCUA_MASTER_KEY_FILE, else DIR/master.key. Nodes sharing one\n"
			    "database must share this file.\n");
			return 0;
		default:
			return bad_option("init", c, argv);
		}
	}
	if (optind < argc)
		return bad_arg("init", "unexpected argument");
	if (!data)
		return bad_arg("init", "--data DIR is required");
	if (!source)
		source = MOTCUA_SOURCE_DATA;
	log_set_quiet(1); /* the report below says what init did */
	mc_app app;
	if (app_open(&app, data, db, true))
		return 1;
	int rc = 1;
	mc_diag d = {0};
	char *units_path = mc_xasprintf("%s/admin-units-vn.json", source);
	char *proc_path = mc_xasprintf("%s/procedures-vn.jsonl.gz", source);
	char *key_path = result_master_key_path(mkey, data);
	bool key_created = false;
	if (result_master_key_create(key_path, &key_created, &d) != MC_OK ||
	    result_master_key_load(key_path, &d) != MC_OK) {
		fprintf(stderr, "motcua init: %s\n", d.detail);
		goto out;
	}
	printf("master key for signing keys: %s (%s)\n", key_path,
	       key_created ? "created" : "kept");
	int units = 0, agencies = 0;
	if (territory_load_units(app.db, units_path, &units, &agencies, &d) != MC_OK) {
		fprintf(stderr, "motcua init: units: %s\n", d.detail);
		goto out;
	}
	printf("administrative units (provinces and communes): %d, People's Committees: %d\n",
	       units, agencies);
	catalog_import_report rep = {0};
	if (catalog_import_file(app.db, proc_path, &rep, &d) != MC_OK) {
		fprintf(stderr, "motcua init: procedures: %s\n", d.detail);
		goto out;
	}
	catalog_report_print(&rep, stdout);
	if (catalog_owner_agencies(app.db, add_ministry, app.db) != MC_OK) {
		fprintf(stderr, "motcua init: cannot create ministries\n");
		goto out;
	}
	if (demo) {
		printf("\ndemo accounts:\n");
		for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
			const struct demo_user *u = &demo_users[i];
			mc_role role;
			role_parse(u->role, &role);
			mc_diag_clear(&d);
			mc_err e = auth_user_add(app.db, u->username, u->password, role, u->agency,
			                         u->person_id, &d);
			if (e && e != MC_ERR_CONFLICT) {
				fprintf(stderr, "motcua init: user %s: %s\n", u->username,
				        d.detail);
				goto out;
			}
			printf("  %-9s password %-20s role %-8s%s%s\n", u->username, u->password,
			       u->role, u->agency ? " agency " : "", u->agency ? u->agency : "");
		}
		/* registries and vaults first, so that the demo dossiers are
		 * satisfied from them (once-only) */
		mc_diag_clear(&d);
		if (registry_seed(app.db, DEMO_PERSONS, 2026, NULL, &d) != MC_OK) {
			fprintf(stderr, "motcua init: demo registries: %s\n", d.detail);
			goto out;
		}
		printf("demo registries: about %d synthetic persons with families and "
		       "businesses\n",
		       DEMO_PERSONS);
		mc_diag_clear(&d);
		if (vault_seed_demo(app.db, &d) != MC_OK) {
			fprintf(stderr, "motcua init: demo vaults: %s\n", d.detail);
			goto out;
		}
		printf("demo vaults: electronic results of the demo citizens\n");
		mc_diag_clear(&d);
		if (dossier_seed_demo(&app, &d) != MC_OK) {
			fprintf(stderr, "motcua init: demo dossiers: %s\n", d.detail);
			goto out;
		}
		printf("demo dossiers created\n");
		mc_diag_clear(&d);
		if (proactive_seed_demo(app.db, &d) != MC_OK) {
			fprintf(stderr, "motcua init: demo offers: %s\n", d.detail);
			goto out;
		}
		printf("demo offers: a birth in the demo citizens' family (open /de-xuat)\n");
		mc_diag_clear(&d);
		int nrated = 0;
		if (satisfaction_seed_demo(&app, &nrated, &d) != MC_OK) {
			fprintf(stderr, "motcua init: demo ratings: %s\n", d.detail);
			goto out;
		}
		printf("demo ratings: %d\n", nrated);
		/* after the demo offers, so that they reach the inboxes too */
		notify_run_report nrep = {0};
		mc_diag_clear(&d);
		if (notify_drain(app.db, &nrep, &d) != MC_OK) {
			fprintf(stderr, "motcua init: notifications: %s\n", d.detail);
			goto out;
		}
		printf("inbox messages of the demo dossiers and offers: %ld\n", nrep.messages);
		mc_diag_clear(&d);
		if (exchange_seed_demo(&app, &d) != MC_OK) {
			fprintf(stderr, "motcua init: demo consents: %s\n", d.detail);
			goto out;
		}
		printf("demo consent and data-access log of citizen 001090012345\n");
		long nres = 0;
		char rid[RESULT_ID_LEN + 1];
		if (result_count(app.db, &nres, rid, NULL) == MC_OK && nres > 0)
			printf("signed results: %ld (verify one: motcua serve, then open "
			       "http://127.0.0.1:8080/verify/%s)\n",
			       nres, rid);
	}
	{
		json_t *odrep = NULL;
		mc_diag_clear(&d);
		if (opendata_refresh(&app, &odrep, &d) != MC_OK) {
			fprintf(stderr, "motcua init: open data: %s\n", d.detail);
			goto out;
		}
		printf("generated open datasets: %zu\n",
		       json_array_size(json_object_get(odrep, "datasets")));
		json_decref(odrep);
	}
	printf("data directory ready: %s (database: %s)\n", data, store_backend(app.db));
	rc = 0;
out:
	mc_diag_clear(&d);
	free(units_path);
	free(proc_path);
	free(key_path);
	app_close(&app);
	return rc;
}

/* ---- one-shot jobs on a data directory: opendata refresh, notify run ---- */

/* A job of `motcua WORD SUB --data DIR [--db URL]`: runs on the opened
 * data and prints its report; returns the exit status. */
typedef int (*data_job)(mc_app *app);

/* Parses `WORD SUB --data DIR [--db URL] | --help`, opens the data quietly
 * and runs `job`. argv[0] is WORD. */
static int data_subcommand(int argc, char **argv, const char *sub, const char *help, data_job job)
{
	static const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                                     {"db", required_argument, 0, 'B'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	const char *word = argv[0], *data = NULL, *db = NULL;
	int c;
	optind = 1;
	opterr = 0;
	if (argc >= 2 && strcmp(argv[1], sub) == 0) {
		argv++;
		argc--;
	} else if (!(argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))) {
		char what[64];
		snprintf(what, sizeof what, "the only subcommand is: %s", sub);
		return bad_arg(word, what);
	}
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			data = optarg;
			break;
		case 'B':
			db = optarg;
			break;
		case 'h':
			printf("usage: motcua %s %s --data DIR [--db URL]\n\n%s", word, sub, help);
			return 0;
		default:
			return bad_option(word, c, argv);
		}
	}
	if (optind < argc)
		return bad_arg(word, "unexpected argument");
	if (!data)
		return bad_arg(word, "--data DIR is required");
	log_set_quiet(1);
	mc_app app;
	if (app_open(&app, data, db, false))
		return 1;
	int rc = job(&app);
	app_close(&app);
	return rc;
}

static int opendata_job(mc_app *app)
{
	json_t *rep = NULL;
	mc_diag d = {0};
	int rc = 0;
	if (opendata_refresh(app, &rep, &d) != MC_OK) {
		fprintf(stderr, "motcua opendata refresh: %s\n", d.detail);
		rc = 1;
	} else {
		char *s = json_dumps(rep, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
	}
	json_decref(rep);
	mc_diag_clear(&d);
	return rc;
}

static int cmd_opendata(int argc, char **argv)
{
	return data_subcommand(argc, argv, "refresh",
	                       "Regenerates the generated open datasets (procedure catalog,\n"
	                       "satisfaction) now; `serve` does it every --opendata-refresh "
	                       "seconds.\n",
	                       opendata_job);
}

static int notify_job(mc_app *app)
{
	notify_run_report rep = {0};
	mc_diag d = {0};
	int rc = 0;
	if (notify_drain(app->db, &rep, &d) != MC_OK) {
		fprintf(stderr, "motcua notify run: %s\n", d.detail);
		rc = 1;
	} else {
		printf("{\"events\":%ld,\"messages\":%ld}\n", rep.events, rep.messages);
	}
	mc_diag_clear(&d);
	return rc;
}

static int cmd_notify(int argc, char **argv)
{
	return data_subcommand(argc, argv, "run",
	                       "Turns the events not yet handled into inbox messages now and\n"
	                       "prints a JSON report; `serve` does it continuously (see\n"
	                       "--notify-poll). E-mail and SMS are sent by `serve` only.\n",
	                       notify_job);
}

/* ---- serve ---- */

static int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                                     {"db", required_argument, 0, 'B'},
	                                     {"listen", required_argument, 0, 'l'},
	                                     {"threads", required_argument, 0, 't'},
	                                     {"max-upload", required_argument, 0, 'u'},
	                                     {"token-ttl", required_argument, 0, 'T'},
	                                     {"master-key", required_argument, 0, 'm'},
	                                     {"public-url", required_argument, 0, 'P'},
	                                     {"quiet", no_argument, 0, 'q'},
	                                     {"opendata-refresh", required_argument, 0, 'R'},
	                                     {"smtp-url", required_argument, 0, 'S'},
	                                     {"smtp-from", required_argument, 0, 'F'},
	                                     {"sms-url", required_argument, 0, 'M'},
	                                     {"notify-retry", required_argument, 0, 'r'},
	                                     {"notify-poll", required_argument, 0, 'p'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	const char *data = NULL, *db = NULL, *listen_at = "127.0.0.1:8080", *mkey = NULL;
	long threads = 4, max_upload = DEFAULT_MAX_UPLOAD, refresh = 3600;
	notify_config ncfg = {0};
	int c;
	char *end;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			data = optarg;
			break;
		case 'B':
			db = optarg;
			break;
		case 'l':
			listen_at = optarg;
			break;
		case 't':
			threads = strtol(optarg, &end, 10);
			if (*end || threads < 1 || threads > 256)
				return bad_arg("serve", "--threads must be 1..256");
			break;
		case 'u':
			max_upload = strtol(optarg, &end, 10);
			if (*end || max_upload < 1024 || max_upload > (1L << 30))
				return bad_arg("serve",
				               "--max-upload must be 1024..1073741824 bytes");
			break;
		case 'T': {
			auth_limits lim;
			auth_get_limits(&lim);
			lim.token_ttl = strtol(optarg, &end, 10);
			if (*end || lim.token_ttl < 60 || lim.token_ttl > 30L * 86400)
				return bad_arg("serve", "--token-ttl must be 60..2592000 seconds");
			auth_set_limits(&lim);
			break;
		}
		case 'm':
			mkey = optarg;
			break;
		case 'P':
			if (result_set_public_url(optarg, NULL) != MC_OK)
				return bad_arg("serve",
				               "--public-url must be an http:// or https:// "
				               "address (at most 200 characters)");
			break;
		case 'q':
			log_set_quiet(1);
			break;
		case 'R':
			refresh = strtol(optarg, &end, 10);
			if (*end || refresh < 0 || refresh > 30L * 86400)
				return bad_arg("serve",
				               "--opendata-refresh must be 0..2592000 seconds");
			break;
		case 'S':
			ncfg.smtp_url = optarg;
			break;
		case 'F':
			ncfg.smtp_from = optarg;
			break;
		case 'M':
			ncfg.sms_url = optarg;
			break;
		case 'r':
			ncfg.retry_base = strtol(optarg, &end, 10);
			if (*end || ncfg.retry_base < 1 || ncfg.retry_base > 86400)
				return bad_arg("serve", "--notify-retry must be 1..86400 seconds");
			break;
		case 'p':
			ncfg.poll_ms = strtol(optarg, &end, 10);
			if (*end || ncfg.poll_ms < 50 || ncfg.poll_ms > 3600000)
				return bad_arg("serve",
				               "--notify-poll must be 50..3600000 milliseconds");
			break;
		case 'h':
			printf("usage: motcua serve --data DIR [--db URL] [--listen HOST:PORT] "
			       "[--threads N]\n"
			       "                    [--max-upload BYTES] [--token-ttl SECONDS] "
			       "[--quiet]\n"
			       "                    [--master-key FILE] [--public-url URL]\n\n"
			       "Serves the API on HOST:PORT (default 127.0.0.1:8080) with a pool\n"
			       "of N worker threads (default 4). SIGTERM or SIGINT stops it after\n"
			       "the requests in flight finish. Bearer tokens live --token-ttl\n"
			       "seconds (default 43200). With --db postgresql://... the data\n"
			       "lives in PostgreSQL (a pool of N + 2 connections) and DIR holds\n"
			       "the blobs: several nodes may serve one database when they share\n"
			       "DIR/blobs. The master key that decrypts agencies' signing keys:\n"
			       "--master-key FILE, else $MOTCUA_MASTER_KEY_FILE, else\n"
			       "DIR/master.key (every node must use the same one). --public-url\n"
			       "is the base of the verification addresses in QR codes (default\n"
			       "http://127.0.0.1:8080). Generated open datasets are refreshed\n"
			       "every --opendata-refresh seconds (default 3600, 0 = never).\n"
			       "Notifications: new events become inbox messages every\n"
			       "--notify-poll milliseconds (default 2000); e-mail goes through\n"
			       "--smtp-url smtp://HOST:PORT from --smtp-from ADDRESS, SMS through\n"
			       "the HTTP gateway --sms-url URL (a channel without its URL is\n"
			       "off); a failed delivery is retried after --notify-retry seconds\n"
			       "(default 60), doubling each time, at most 6 attempts.\n");
			return 0;
		default:
			return bad_option("serve", c, argv);
		}
	}
	if (optind < argc)
		return bad_arg("serve", "unexpected argument");
	if (!data)
		return bad_arg("serve", "--data DIR is required");
	{
		mc_diag nd = {0};
		if (notify_configure(&ncfg, &nd) != MC_OK)
			return bad_arg("serve", nd.detail);
	}
	char host[64];
	const char *colon = strrchr(listen_at, ':');
	long port = colon ? strtol(colon + 1, &end, 10) : -1;
	if (!colon || *end || port < 0 || port > 65535 ||
	    (size_t)(colon - listen_at) >= sizeof host)
		return bad_arg("serve", "--listen must be HOST:PORT");
	memcpy(host, listen_at, (size_t)(colon - listen_at));
	host[colon - listen_at] = '\0';
	mc_diag kd = {0};
	char *key_path = result_master_key_path(mkey, data);
	mc_err ke = result_master_key_load(key_path, &kd);
	free(key_path);
	if (ke != MC_OK) {
		/* verification still works; issuing results answers 503 until a
		 * master key is given */
		fprintf(stderr, "motcua serve: warning: %s; results cannot be signed\n", kd.detail);
		mc_diag_clear(&kd);
	}
	mc_app app;
	if (app_open(&app, data, db, false))
		return 1;
	store_set_pool(app.db, (int)threads + 2);
	app.max_upload = max_upload;
	server_opts so = {.host = host, .port = (int)port, .threads = (int)threads};
	mc_diag wd = {0};
	if (ocr_worker_start(&app, &wd) != MC_OK)
		fprintf(stderr, "motcua serve: warning: %s; scans are not read\n", wd.detail);
	opendata_start(&app, (int)refresh);
	if (proactive_worker_start(&app, &wd) != MC_OK)
		fprintf(stderr, "motcua serve: warning: %s; life events are not offered\n",
		        wd.detail);
	mc_diag nwd = {0};
	if (notify_worker_start(&app, &nwd) != MC_OK)
		fprintf(stderr, "motcua serve: warning: %s; no notifications\n", nwd.detail);
	mc_diag xwd = {0};
	if (exchange_later_start(&app, &xwd) != MC_OK)
		fprintf(stderr, "motcua serve: warning: %s; look-ups are logged one by one\n",
		        xwd.detail);
	int rc = server_run(&app, &so);
	exchange_later_stop(&app);
	notify_worker_stop();
	proactive_worker_stop();
	opendata_stop();
	ocr_worker_stop();
	app_close(&app);
	return rc;
}

static int cmd_import(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "procedures") == 0)
		return catalog_cli_import(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: motcua import procedures FILE [--data DIR]\n");
		return 0;
	}
	return bad_arg("import", "expected 'procedures FILE'");
}

static int cmd_routes(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		printf("usage: motcua routes\n\nPrints every HTTP route as 'METHOD PATTERN'.\n");
		return 0;
	}
	if (argc >= 2)
		return bad_arg("routes", "unexpected argument");
	routes_print(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	mc_mem_init();
	if (sodium_init() < 0) {
		fprintf(stderr, "motcua: libsodium failed to initialise\n");
		return 1;
	}
	if (argc < 2) {
		fputs("motcua: missing command (try 'motcua --help')\n", stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc - 1, argv + 1);
	if (strcmp(cmd, "user") == 0)
		return auth_cli_user(argc - 1, argv + 1);
	if (strcmp(cmd, "audit") == 0)
		return audit_cli(argc - 1, argv + 1);
	if (strcmp(cmd, "registry") == 0)
		return registry_cli(argc - 1, argv + 1);
	if (strcmp(cmd, "vault") == 0)
		return vault_cli(argc - 1, argv + 1);
	if (strcmp(cmd, "backup") == 0)
		return backup_cli(argc - 1, argv + 1);
	if (strcmp(cmd, "restore") == 0)
		return restore_cli(argc - 1, argv + 1);
	if (strcmp(cmd, "opendata") == 0)
		return cmd_opendata(argc - 1, argv + 1);
	if (strcmp(cmd, "proactive") == 0)
		return proactive_cli(argc - 1, argv + 1);
	if (strcmp(cmd, "notify") == 0)
		return cmd_notify(argc - 1, argv + 1);
	if (strcmp(cmd, "routes") == 0)
		return cmd_routes(argc - 1, argv + 1);
	if (strcmp(cmd, "result") == 0)
		return result_cli(argc - 1, argv + 1);
	fprintf(stderr, "motcua: unknown command '%s' (try 'motcua --help')\n", cmd);
	return 2;
}
