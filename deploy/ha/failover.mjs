// failover.mjs - the measuring half of deploy/ha/failover-test: runs a
// submission load against a running three-site cluster (deploy/ha/up),
// kills the leader's PostgreSQL postmaster with SIGKILL in the middle of it,
// keeps the load going until a new leader serves writes and some seconds
// after, then checks that every acknowledged write is still there.
//
//   node deploy/ha/failover.mjs HA_DIR [--mode api|sql] [--kill postgres|site]
//        [--clients N] [--warmup S] [--after S] [--failover-deadline S]
//        [--report FILE] [--control]
//
// --kill postgres (default) kills the leader's postmaster; --kill site
// kills, all at once with SIGKILL, everything of the leader's site: its
// Patroni, its postmaster, its etcd member and its motcua node (a data
// center lost). Patroni's leader key then has to expire (ttl 10 s) before
// another site takes over, and requests in flight on the dead node get a
// 502 from HAProxy (retried by the client with the same key).
//
// Modes:
//   api  (default) citizens submit dossiers through HAProxy's HTTP port to
//        the three motcua nodes, each submission with its own
//        Idempotency-Key; a 201 is an acknowledgement (its dossier code is
//        recorded). A 503 is retried with the same key after Retry-After
//        seconds, as a client must; so is a network error. Afterwards each
//        acknowledged code is read back with GET /api/v1/dossiers/{code}.
//   sql  the same shape without motcua: each write is one psql INSERT
//        through HAProxy's write port into a probe table, acknowledged when
//        psql exits 0 with the row's id; afterwards the table is read back.
//        It tests the database tier alone (used before the PostgreSQL
//        backend of motcua existed, still useful to tell tiers apart).
//
// --control (sql mode only) is the negative control that shows the check
// can fail: the writes commit with synchronous_commit = local (not waiting
// for a standby) and, for two seconds before the kill, the leader's WAL
// senders are paused (SIGSTOP; killed with the postmaster). Those commits
// exist on the killed primary only, so the run must report them lost; it
// exits 0 when it does and 1 when it does not notice.
//
// Output: a report on stdout (and as JSON in --report): writes
// acknowledged, found afterwards, lost (must be 0), duplicate codes (must be
// 0), the longest time without a successful write, the time from the kill
// to the new leader and to the first write it served, errors by status.
// Exit status 0 when nothing acknowledged was lost and every answer that
// was not a 201 was a 503 with Retry-After (network errors are counted and
// retried); 1 otherwise; 2 on a setup error.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '../../tests/api/lib/server.mjs';
import { validSubmission } from '../../tests/api/lib/fixtures.mjs';

/* ---- options ---------------------------------------------------------- */

const argv = process.argv.slice(2);
const opt = { mode: 'api', kill: 'postgres', clients: 8, warmup: 5, after: 10, 'failover-deadline': 120, report: '' };
let haDir = '';
let control = false;
for (let i = 0; i < argv.length; i++) {
	const a = argv[i];
	if (a === '--control') control = true;
	else if (a.startsWith('--')) {
		const k = a.slice(2);
		if (!(k in opt) || i + 1 >= argv.length) usage(`unknown option or missing value: ${a}`);
		opt[k] = argv[++i];
	} else haDir = a;
}
if (!haDir) usage('HA_DIR is required');
if (!['api', 'sql'].includes(opt.mode)) usage('--mode is api or sql');
if (control && opt.mode !== 'sql') usage('--control needs --mode sql');
if (!['postgres', 'site'].includes(opt.kill)) usage('--kill is postgres or site');
for (const k of ['clients', 'warmup', 'after', 'failover-deadline']) {
	opt[k] = Number(opt[k]);
	if (!Number.isInteger(opt[k]) || opt[k] < 1 || opt[k] > 1000) usage(`--${k} must be an integer 1..1000`);
}

function usage(msg) {
	console.error(`failover.mjs: ${msg}\nusage: node deploy/ha/failover.mjs HA_DIR [--mode api|sql] [--kill postgres|site] [--clients N] [--warmup S] [--after S] [--failover-deadline S] [--report FILE] [--control]`);
	process.exit(2);
}

/* ha.env: lines of KEY=VALUE or KEY='VALUE' pairs written by deploy/ha/up. */
function loadEnv(dir) {
	const env = {};
	const text = readFileSync(join(dir, 'ha.env'), 'utf8');
	for (const line of text.split('\n')) {
		if (line.startsWith('#')) continue;
		for (const m of line.matchAll(/([A-Z_0-9]+)=(?:'([^']*)'|(\S*))/g)) env[m[1]] = m[2] ?? m[3];
	}
	return env;
}
const env = loadEnv(haDir);
const SITES = [1, 2, 3];

/* Resolves after `ms`. Used for client back-off and between the polls of
 * bounded waits, never as synchronisation. */
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now() / 1000; /* seconds, monotonic */
const T0 = now();
const log = (msg) => console.log(`failover [${(now() - T0).toFixed(1).padStart(5)}s] ${msg}`);

/* ---- Patroni ---------------------------------------------------------- */

/* The cluster as any reachable Patroni REST API sees it, or null. */
async function patroniCluster() {
	for (const s of SITES) {
		try {
			const r = await fetch(`http://127.0.0.1:${env[`REST_PORT_${s}`]}/cluster`, { signal: AbortSignal.timeout(1500) });
			if (r.ok) return await r.json();
		} catch {
			/* this site's Patroni is unreachable: ask the next */
		}
	}
	return null;
}

/* {name, site} of the running leader, or null. */
async function leader() {
	const c = await patroniCluster();
	const m = c && c.members.find((x) => ['leader', 'master', 'primary'].includes(x.role) && x.state === 'running');
	return m ? { name: m.name, site: Number(m.name.replace('site', '')) } : null;
}

/* ---- results ---------------------------------------------------------- */

const acked = []; /* {key, id, token, t0, t1} one per acknowledged write */
const errors = {}; /* status (or 'network', 'psql-...') -> count */
let replayed = 0; /* 201s that were idempotent replays of an earlier attempt */
let missingRetryAfter = 0;
let abandoned = 0; /* keys still being retried when the load stopped */
let stopping = false;
const countError = (k) => (errors[k] = (errors[k] || 0) + 1);

/* ---- api mode --------------------------------------------------------- */

const api = (method, path, o) => request(env.MOTCUA_URL, method, path, { timeoutMs: 30000, ...o });

/* Logs in (retrying 503s and network errors for a bounded time). */
async function login(username, password) {
	const deadline = now() + 60;
	for (;;) {
		try {
			const r = await api('POST', '/api/v1/auth/login', { json: { username, password } });
			if (r.status === 200) return r.body.token;
			if (r.status !== 503 || now() > deadline) throw new Error(`login ${username}: ${r.status} ${r.text}`);
		} catch (e) {
			if (now() > deadline) throw e;
		}
		await pause(200);
	}
}

async function apiSetup() {
	const accounts = [
		['citizen', 'citizen-demo-2026'],
		['citizen2', 'citizen2-demo-2026'],
	];
	const tokens = [];
	for (const [u, p] of accounts) tokens.push(await login(u, p));
	const srv = { api };
	const bodies = [];
	for (let i = 0; i < tokens.length; i++) bodies.push(await validSubmission(srv, tokens[i], { seed: 100 + i }));
	return { tokens, bodies };
}

/* One write in api mode: POST with the key; retries 503 (after its
 * Retry-After) and network errors with the same key until acknowledged or
 * the load stops. Other answers are counted and the key is given up. */
async function apiWrite(ctx, c, key) {
	const token = ctx.tokens[c % ctx.tokens.length];
	const body = ctx.bodies[c % ctx.bodies.length];
	for (;;) {
		const t0 = now();
		let r;
		try {
			r = await api('POST', '/api/v1/dossiers', { token, json: body, headers: { 'idempotency-key': key } });
		} catch {
			countError('network');
			if (stopping) return (abandoned++, undefined);
			await pause(200);
			continue;
		}
		if (r.status === 201) {
			if (r.headers.get('idempotent-replayed') === 'true') replayed++;
			acked.push({ key, id: r.body.code, token, t0, t1: now() });
			return;
		}
		countError(String(r.status));
		if (r.status === 503) {
			const ra = r.headers.get('retry-after');
			if (ra === null) missingRetryAfter++;
			if (stopping) return (abandoned++, undefined);
			await pause(Math.min(5, Math.max(0.05, Number(ra) || 1)) * 1000);
			continue;
		}
		if (r.status === 502 || r.status === 504) {
			/* HAProxy found no motcua node answering in time: retry */
			if (stopping) return (abandoned++, undefined);
			await pause(200);
			continue;
		}
		if (countError.first === undefined) {
			countError.first = `${r.status} ${r.text.slice(0, 300)}`;
			log(`first unexpected answer: ${countError.first}`);
		}
		return;
	}
}

/* Reads every acknowledged dossier back; returns the codes not found. */
async function apiVerify() {
	const missing = [];
	let next = 0;
	async function worker() {
		while (next < acked.length) {
			const a = acked[next++];
			const deadline = now() + 60;
			for (;;) {
				let r;
				try {
					r = await api('GET', `/api/v1/dossiers/${encodeURIComponent(a.id)}`, { token: a.token });
				} catch {
					r = { status: 0 };
				}
				if (r.status === 200 && r.body && r.body.code === a.id) break;
				if ((r.status === 503 || r.status === 0 || r.status === 502) && now() < deadline) {
					await pause(200);
					continue;
				}
				missing.push({ id: a.id, status: r.status });
				break;
			}
		}
	}
	await Promise.all(Array.from({ length: 4 }, worker));
	return missing;
}

/* ---- sql mode --------------------------------------------------------- */

const PSQL = '/usr/lib/postgresql/15/bin/psql';
/* The probe table lives in the `postgres` database, away from motcua's. */
const conninfo = (port) => `host=127.0.0.1 port=${port} user=postgres dbname=postgres connect_timeout=3`;

/* Runs psql with `sql`; resolves {code, out, err}. `local` commits with
 * synchronous_commit = local (the negative control). */
function psql(sql, port = env.WRITE_PORT, local = false) {
	return new Promise((res) => {
		const p = spawn(PSQL, ['-X', '-tAq', '-v', 'ON_ERROR_STOP=1', conninfo(port), '-c', sql], {
			env: {
				...process.env,
				PGPASSFILE: join(haDir, 'secrets/pgpass'),
				PGOPTIONS: local ? '-c synchronous_commit=local' : '',
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		p.stdout.on('data', (d) => (out += d));
		p.stderr.on('data', (d) => (err += d));
		p.on('close', (code) => res({ code, out: out.trim(), err: err.trim() }));
	});
}

async function sqlSetup() {
	const r = await psql(
		'CREATE TABLE IF NOT EXISTS failover_probe (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, ' +
			'key TEXT NOT NULL UNIQUE, at TIMESTAMPTZ NOT NULL DEFAULT now())',
	);
	if (r.code !== 0) throw new Error(`cannot create the probe table: ${r.err}`);
	return {};
}

/* One write in sql mode, retried with the same key like an API client. */
async function sqlWrite(_ctx, _c, key) {
	for (;;) {
		const t0 = now();
		const r = await psql(
			`INSERT INTO failover_probe (key) VALUES ('${key}') ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
			env.WRITE_PORT,
			control,
		);
		if (r.code === 0 && /^\d+$/.test(r.out)) {
			acked.push({ key, id: r.out, t0, t1: now() });
			return;
		}
		/* psql exit 2: connection failed or lost; 1/3: an error from the server */
		const first = (r.err.split('\n')[0] || '').replace(/^psql: (error: )?/, '').replace(/\d+/g, 'N');
		countError(r.code === 2 ? `psql connection: ${first.slice(0, 80)}` : `psql error: ${first.slice(0, 80)}`);
		if (stopping) return (abandoned++, undefined);
		await pause(200);
	}
}

async function sqlVerify() {
	const deadline = now() + 60;
	let r;
	for (;;) {
		r = await psql("SELECT id || ' ' || key FROM failover_probe");
		if (r.code === 0 || now() > deadline) break;
		await pause(200);
	}
	if (r.code !== 0) throw new Error(`cannot read the probe table back: ${r.err}`);
	/* a row counts only with its own key: after a loss, the new primary
	 * can hand a lost row's id to another key */
	const have = new Set(r.out.split('\n').filter(Boolean));
	return acked.filter((a) => !have.has(`${a.id} ${a.key}`)).map((a) => ({ id: a.id, status: 404 }));
}

/* Pids of the WAL senders of the leader at `port`. */
async function walSenders(port) {
	const r = await psql('SELECT pid FROM pg_stat_replication', port);
	return r.code === 0 ? r.out.split('\n').filter((x) => /^\d+$/.test(x)).map(Number) : [];
}

/* Sends `sig` to each pid, ignoring processes already gone. */
function signalAll(pids, sig) {
	for (const p of pids) {
		try {
			process.kill(p, sig);
		} catch {
			/* already gone */
		}
	}
}

/* ---- the run ---------------------------------------------------------- */

const mode = opt.mode === 'api' ? { setup: apiSetup, write: apiWrite, verify: apiVerify } : { setup: sqlSetup, write: sqlWrite, verify: sqlVerify };

async function main() {
	const runId = `${process.pid}-${Date.now().toString(36)}`;
	const ctx = await mode.setup();
	log(`mode ${opt.mode}, ${opt.clients} clients, warm-up ${opt.warmup}s`);

	const clients = Array.from({ length: opt.clients }, async (_, c) => {
		for (let n = 0; !stopping; n++) await mode.write(ctx, c, `fo-${runId}-${c}-${n}`);
	});

	/* warm-up: steady load before the kill */
	const warmEnd = now() + opt.warmup;
	while (now() < warmEnd) await pause(100);
	const before = await leader();
	if (!before) throw new Error('no running leader before the kill');
	const pidFile = join(haDir, `site${before.site}`, 'pgdata', 'postmaster.pid');
	const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	const paused = [];
	process.on('exit', () => signalAll(paused, 'SIGCONT')); /* never leave one stopped */
	if (control) {
		paused.push(...(await walSenders(env[`PG_PORT_${before.site}`])));
		if (paused.length === 0) throw new Error('control: no WAL sender found on the leader');
		signalAll(paused, 'SIGSTOP');
		const n0 = acked.length;
		log(`control: WAL senders ${paused.join(', ')} paused; writes commit on the primary only for 2s`);
		const until = now() + 2;
		while (now() < until) await pause(100);
		log(`control: ${acked.length - n0} writes acknowledged while the replicas received nothing`);
	}
	const ackedAtKill = acked.length;
	const victims = [pid];
	if (opt.kill === 'site') {
		for (const d of ['patroni', 'etcd', 'motcua']) {
			try {
				victims.push(Number(readFileSync(join(haDir, 'run', `${d}${before.site}.pid`), 'utf8')));
			} catch {
				/* not started (sql mode has no motcua node) */
			}
		}
	}
	const what = opt.kill === 'site' ? `the whole of ${before.name} (Patroni, postmaster, etcd, motcua)` : `${before.name}'s postmaster`;
	log(`${ackedAtKill} writes acknowledged; kill -9 of ${what}: pids ${victims.join(' ')}`);
	const tKill = now();
	signalAll(victims, 'SIGKILL');
	signalAll(paused.splice(0), 'SIGKILL'); /* the paused senders die with their primary */

	/* new leader: another member running as leader (bounded wait) */
	let after = null;
	while (!(after && after.name !== before.name)) {
		if (now() - tKill > opt['failover-deadline']) throw new Error(`no new leader ${opt['failover-deadline']}s after the kill`);
		await pause(200);
		after = await leader();
	}
	const tLeader = now();
	log(`new leader ${after.name} after ${(tLeader - tKill).toFixed(1)}s`);

	/* first write started after the kill and acknowledged (bounded wait) */
	let firstAfter = null;
	while (!firstAfter) {
		firstAfter = acked.find((a) => a.t0 > tKill);
		if (firstAfter) break;
		if (now() - tKill > opt['failover-deadline']) throw new Error(`no write acknowledged ${opt['failover-deadline']}s after the kill`);
		await pause(100);
	}
	log(`first write after the kill acknowledged ${(firstAfter.t1 - tKill).toFixed(1)}s after it; load goes on ${opt.after}s`);
	const endAt = now() + opt.after;
	while (now() < endAt) await pause(100);
	stopping = true;
	await Promise.all(clients);
	log(`load stopped: ${acked.length} writes acknowledged; reading each back`);

	const missing = await mode.verify();
	const ids = new Map();
	let duplicates = 0;
	for (const a of acked) {
		if (ids.has(a.id) && ids.get(a.id) !== a.key) duplicates++;
		ids.set(a.id, a.key);
	}
	const done = acked.map((a) => a.t1).sort((x, y) => x - y);
	let gap = 0;
	let gapAt = 0;
	for (let i = 1; i < done.length; i++)
		if (done[i] - done[i - 1] > gap) {
			gap = done[i] - done[i - 1];
			gapAt = done[i - 1];
		}
	const cluster = await patroniCluster();
	const report = {
		mode: opt.mode,
		clients: opt.clients,
		killed: before.name,
		kill: opt.kill,
		new_leader: after.name,
		acknowledged: acked.length,
		acknowledged_before_kill: ackedAtKill,
		found_afterwards: acked.length - missing.length,
		lost: missing.length,
		lost_examples: missing.slice(0, 10),
		duplicate_ids: duplicates,
		idempotent_replays: replayed,
		abandoned_at_stop: abandoned,
		seconds_without_successful_write: Number(gap.toFixed(2)),
		longest_gap_starts_after_kill_s: Number((gapAt - tKill).toFixed(2)),
		seconds_kill_to_new_leader: Number((tLeader - tKill).toFixed(2)),
		seconds_kill_to_first_write: Number((firstAfter.t1 - tKill).toFixed(2)),
		errors_by_status: errors,
		status_503_without_retry_after: missingRetryAfter,
		members_after: cluster ? cluster.members.map((m) => `${m.name}:${m.role}:${m.state}`) : [],
	};
	const bad = [];
	if (report.lost > 0) bad.push(`${report.lost} acknowledged writes lost`);
	if (duplicates > 0) bad.push(`${duplicates} ids acknowledged for two different keys`);
	if (errors['500']) bad.push(`${errors['500']} answers 500 (must be 503 with Retry-After)`);
	/* a failover may delay a write (503, retried), never refuse it otherwise:
	 * e.g. a 401 would log a citizen out because the database was away */
	/* 502: HAProxy's answer for a request in flight on a node that died */
	const expected = opt.kill === 'site' ? ['503', '500', '502'] : ['503', '500'];
	const other = Object.keys(errors).filter((k) => /^\d+$/.test(k) && !expected.includes(k));
	if (other.length) bad.push(`unexpected answers ${other.map((k) => `${k} x${errors[k]}`).join(', ')} (first: ${countError.first})`);
	if (missingRetryAfter) bad.push(`${missingRetryAfter} answers 503 without Retry-After`);
	if (acked.length - ackedAtKill < 1) bad.push('no write acknowledged after the kill');
	report.verdict = bad.length ? `FAIL: ${bad.join('; ')}` : 'PASS';
	if (control) {
		report.verdict =
			report.lost > 0
				? `CONTROL PASS: the check caught ${report.lost} lost writes (asynchronous commits)`
				: 'CONTROL FAIL: asynchronous commits were lost on purpose, but the check saw none';
	}

	console.log('\n== failover-test report');
	console.log(`  mode                               ${report.mode} (${report.clients} concurrent clients)`);
	console.log(`  killed (kill -9 of ${opt.kill === 'site' ? 'the site' : 'the postmaster'})${opt.kill === 'site' ? '      ' : ''} ${report.killed}; new leader ${report.new_leader}`);
	console.log(`  writes acknowledged                ${report.acknowledged} (${ackedAtKill} before the kill)`);
	console.log(`  found afterwards                   ${report.found_afterwards}`);
	console.log(`  acknowledged writes lost           ${report.lost}`);
	console.log(`  ids given to two keys              ${report.duplicate_ids}`);
	console.log(`  idempotent replays (201 again)     ${report.idempotent_replays}`);
	const at = report.longest_gap_starts_after_kill_s;
	const when = at >= 0 ? `${at}s after the kill` : `${-at}s before the kill`;
	console.log(`  seconds without a successful write ${report.seconds_without_successful_write} (starting ${when})`);
	console.log(`  kill -> new leader (Patroni)       ${report.seconds_kill_to_new_leader}s`);
	console.log(`  kill -> first acknowledged write   ${report.seconds_kill_to_first_write}s`);
	console.log(`  client errors by status            ${JSON.stringify(report.errors_by_status)}`);
	console.log(`  503 without Retry-After            ${report.status_503_without_retry_after}`);
	console.log(`  members afterwards                 ${report.members_after.join(' ')}`);
	console.log(`  verdict                            ${report.verdict}`);
	if (report.lost) console.log(`  lost: ${JSON.stringify(report.lost_examples)}`);
	if (opt.report) writeFileSync(opt.report, JSON.stringify(report, null, 2) + '\n');
	if (control) return report.lost > 0 ? 0 : 1;
	return bad.length ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(`failover.mjs: ${e.stack || e.message}`);
		process.exit(2);
	},
);
