// server.mjs - test harness for the API tests: runs the real motcua binary
// against a fresh data directory per test file, and small HTTP helpers.
//
//   import { useServer, api, login } from './lib/server.mjs';
//   const srv = useServer({ now: '2026-03-02T02:00:00Z' }); // before/after hooks
//   test('...', async () => { const t = await login('citizen', 'citizen-demo-2026'); ... });
//
// useServer() registers node:test hooks: before() creates a temp data dir,
// runs `motcua init --data DIR --demo` once, starts `motcua serve` on a free
// loopback port and polls /healthz until it answers (bounded); after() stops
// it with SIGTERM, asserts exit status 0 and removes the data dir.
// The binary comes from $MOTCUA_BIN (default build/motcua in the repo).
//
// Backend: with MOTCUA_TEST_DB=postgresql://USER@HOST:PORT (a cluster's base
// URL, e.g. from scripts/pg-test.sh) every Server gets a fresh PostgreSQL
// database (UTF8, C collation) created here and dropped by remove(); the
// harness passes `--db URL` to init and serve, and cli() adds it to any
// command given `--data DIR` of a known data directory. sql() and
// copyData() work on either backend. Without it, SQLite in the data dir.
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = resolve(REPO, process.env.MOTCUA_BIN || 'build/motcua');

export const ACCOUNTS = {
	admin: 'admin-demo-2026',
	citizen: 'citizen-demo-2026',
	citizen2: 'citizen2-demo-2026',
	officer: 'officer-demo-2026',
	officer2: 'officer2-demo-2026',
};

export const PG_BASE = (process.env.MOTCUA_TEST_DB || '').replace(/\/+$/, '');
export const BACKEND = PG_BASE ? 'postgresql' : 'sqlite';
const PG_BIN = process.env.MOTCUA_PG_BIN || '/usr/lib/postgresql/15/bin';
const dbOf = new Map(); /* resolved data dir -> database URL */
const created = new Set(); /* databases this process created */
let dbSeq = 0;

function psql(url, sql) {
	return execFileSync(join(PG_BIN, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], {
		encoding: 'utf8',
		maxBuffer: 1 << 30,
		stdio: ['ignore', 'pipe', 'pipe'],
	}).trim();
}

/* A new empty database (or a copy of `template`) on the test cluster. */
export function newDatabase(template) {
	const name = `motcua_t${process.pid}_${++dbSeq}`;
	const from = template ? `"${template}"` : 'template0';
	psql(`${PG_BASE}/postgres`, `CREATE DATABASE "${name}" TEMPLATE ${from} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
	created.add(name);
	return `${PG_BASE}/${name}`;
}

export function dropDatabase(url) {
	const name = url.slice(url.lastIndexOf('/') + 1);
	if (!created.delete(name)) return;
	psql(`${PG_BASE}/postgres`, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

process.on('exit', () => {
	for (const name of [...created]) {
		try {
			psql(`${PG_BASE}/postgres`, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		} catch {
			/* the cluster may be gone already */
		}
	}
});

/* The PostgreSQL URL used for a data directory, or undefined (SQLite). */
export function dbUrlOf(dataDir) {
	return dbOf.get(resolve(dataDir));
}

/* Gives `dataDir` the PostgreSQL database at `url` (cli() and serve pass
 * --db URL for it). */
export function useDatabase(dataDir, url) {
	dbOf.set(resolve(dataDir), url);
}

/* Names of every table of the database of `dataDir`. */
export function tables(dataDir) {
	const q = dbUrlOf(dataDir)
		? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
		: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1";
	return sql(dataDir, q).split('\n').filter(Boolean);
}

/* `--db URL` for a data directory that has a PostgreSQL database. */
function dbArgs(dataDir) {
	const url = dbUrlOf(dataDir);
	return url ? ['--db', url] : [];
}

/* Runs one SQL statement on the database of `dataDir` (psql or sqlite3);
 * returns its output (values separated by |, rows by newlines). */
export function sql(dataDir, text) {
	const url = dbUrlOf(dataDir);
	if (url) return psql(url, text);
	return execFileSync('sqlite3', [join(dataDir, 'motcua.db'), text], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
}

/* Copies a data directory and its database (no server may run on it). */
export async function copyData(fromDir, toDir) {
	await rm(toDir, { recursive: true, force: true });
	await cp(fromDir, toDir, { recursive: true });
	const url = dbUrlOf(fromDir);
	if (url) dbOf.set(resolve(toDir), newDatabase(url.slice(url.lastIndexOf('/') + 1)));
	return toDir;
}

const READY_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 30000;
const CLI_TIMEOUT_MS = 300000;

/* Resolves after `ms` milliseconds. Only used between polls of a bounded
 * retry loop, never as synchronisation by itself. */
function pause(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/* A free TCP port on 127.0.0.1: listen on port 0, read it, close. */
export function freePort() {
	return new Promise((res, rej) => {
		const s = createServer();
		s.unref();
		s.on('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => res(port));
		});
	});
}

/* Runs `motcua ARGS...` to completion. Resolves {code, signal, stdout,
 * stderr}; never rejects on a non-zero exit (the caller asserts). */
export function cli(args, { env = {}, input, timeoutMs = CLI_TIMEOUT_MS } = {}) {
	const at = args.indexOf('--data');
	if (at >= 0 && at + 1 < args.length && !args.includes('--db')) args = [...args, ...dbArgs(args[at + 1])];
	return new Promise((res, rej) => {
		const p = spawn(BIN, args, {
			env: { ...process.env, ...env },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		p.stdout.on('data', (d) => (stdout += d));
		p.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
		p.on('error', (e) => {
			clearTimeout(timer);
			rej(new Error(`cannot run ${BIN}: ${e.message}`));
		});
		p.on('close', (code, signal) => {
			clearTimeout(timer);
			res({ code, signal, stdout, stderr });
		});
		if (input !== undefined) p.stdin.end(input);
		else p.stdin.end();
	});
}

/* Tail of a stream kept for diagnostics. */
function keepTail(stream, holder, max = 20000) {
	stream.on('data', (d) => {
		holder.text += d;
		if (holder.text.length > max) holder.text = holder.text.slice(-max);
	});
}

/* One running (or stopped) motcua server on one data directory. */
/* Runs `motcua init --data dataDir [--demo]` (MOTCUA_NOW=now when given). */
async function initData(dataDir, demo, now) {
	const args = ['init', '--data', dataDir];
	if (demo) args.push('--demo');
	const r = await cli(args, { env: now ? { MOTCUA_NOW: now } : {} });
	if (r.code !== 0) throw new Error(`motcua ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
}

/* `init --demo` (catalog import, registry seed, generated datasets) is the
 * slowest step of most test files, and its result depends only on the
 * binary, the backend and `now`. With $MOTCUA_TEST_CACHE (a directory that
 * lives for one run of the suite) the first file that needs demo data for
 * a `now` makes a template there; later files copy it (a directory copy,
 * and CREATE DATABASE ... TEMPLATE on PostgreSQL). The template is built
 * in a private directory and renamed into place, so files running side by
 * side cannot see half a template. Returns {dataDir, db (template database
 * name or undefined)}. */
const CACHE = process.env.MOTCUA_TEST_CACHE || '';
async function demoTemplate(now) {
	const key = join(CACHE, `demo-${BACKEND}-${(now || 'now').replace(/[^0-9A-Za-z]/g, '')}`);
	const readTemplate = async () => {
		try {
			const meta = JSON.parse(await readFile(join(key, 'template.json'), 'utf8'));
			return { dataDir: join(key, 'data'), db: meta.db };
		} catch {
			return null;
		}
	};
	const found = await readTemplate();
	if (found) return found;
	const work = await mkdtemp(join(CACHE, 'build-'));
	const dataDir = join(work, 'data');
	let db;
	if (PG_BASE) {
		const url = newDatabase();
		db = url.slice(url.lastIndexOf('/') + 1);
		created.delete(db); /* kept for later files; the cluster is thrown away after the run */
		dbOf.set(resolve(dataDir), url);
	}
	await initData(dataDir, true, now);
	dbOf.delete(resolve(dataDir));
	await writeFile(join(work, 'template.json'), JSON.stringify({ db, now: now || null }));
	try {
		await rename(work, key);
	} catch {
		/* another file made it first: use theirs */
		await rm(work, { recursive: true, force: true });
	}
	return readTemplate();
}

export class Server {
	constructor({ dataDir, root }) {
		this.dataDir = dataDir;
		this.root = root;
		this.proc = null;
		this.port = 0;
		this.url = '';
		this.log = { text: '' };
		this.exit = null;
	}

	/* Creates a temp dir and runs init (with --demo unless demo is false).
	 * With demo data and $MOTCUA_TEST_CACHE set (run.sh sets it for one
	 * run), the directory and database are a copy of a template made by
	 * the first file that needed the same `now`: see demoTemplate(). */
	static async create({ demo = true, now } = {}) {
		const root = await mkdtemp(join(tmpdir(), 'motcua-api-'));
		const dataDir = join(root, 'data');
		try {
			const tpl = demo && CACHE ? await demoTemplate(now) : null;
			if (tpl) {
				await cp(tpl.dataDir, dataDir, { recursive: true });
				if (tpl.db) dbOf.set(resolve(dataDir), newDatabase(tpl.db));
			} else {
				if (PG_BASE) dbOf.set(resolve(dataDir), newDatabase());
				await initData(dataDir, demo, now);
			}
		} catch (e) {
			await rm(root, { recursive: true, force: true });
			throw e;
		}
		return new Server({ dataDir, root });
	}

	/* Starts `motcua serve` (MOTCUA_NOW=now when given) and waits until
	 * /healthz answers 200. Retries on another port if the chosen one was
	 * taken in the meantime. */
	async start({ now, env = {}, args = [] } = {}) {
		if (this.proc) throw new Error('server already running');
		let lastErr;
		for (let attempt = 0; attempt < 3; attempt++) {
			this.port = await freePort();
			this.url = `http://127.0.0.1:${this.port}`;
			this.log = { text: '' };
			this.exit = null;
			const p = spawn(BIN, ['serve', '--data', this.dataDir, ...dbArgs(this.dataDir), '--listen', `127.0.0.1:${this.port}`, ...args], {
				env: { ...process.env, ...(now ? { MOTCUA_NOW: now } : {}), ...env },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			this.proc = p;
			keepTail(p.stdout, this.log);
			keepTail(p.stderr, this.log);
			this.exited = new Promise((res) => {
				p.on('exit', (code, signal) => {
					this.exit = { code, signal };
					res(this.exit);
				});
				p.on('error', (e) => {
					/* spawn failed (e.g. no binary): there will be no exit */
					this.exit = { code: -1, signal: null, error: e.message };
					res(this.exit);
				});
			});
			try {
				await this.waitReady();
				return this;
			} catch (e) {
				lastErr = e;
				if (this.exit === null) {
					p.kill('SIGKILL');
					await this.exited;
				}
				this.proc = null;
			}
		}
		throw lastErr;
	}

	/* Polls GET /healthz (bounded) until 200; fails early if the process
	 * exits. */
	async waitReady() {
		const deadline = Date.now() + READY_TIMEOUT_MS;
		while (Date.now() < deadline) {
			if (this.exit)
				throw new Error(`motcua serve exited (${JSON.stringify(this.exit)}) before ready:\n${this.log.text}`);
			try {
				const r = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) });
				await r.arrayBuffer();
				if (r.status === 200) return;
			} catch {
				/* not listening yet */
			}
			await pause(50);
		}
		throw new Error(`motcua serve not ready after ${READY_TIMEOUT_MS} ms:\n${this.log.text}`);
	}

	/* SIGTERM, wait (bounded) for exit; returns {code, signal}. */
	async stop() {
		if (!this.proc) return this.exit;
		const p = this.proc;
		if (this.exit === null) p.kill('SIGTERM');
		const timer = setTimeout(() => p.kill('SIGKILL'), STOP_TIMEOUT_MS);
		const res = await this.exited;
		clearTimeout(timer);
		this.proc = null;
		return res;
	}

	/* SIGKILL (kill -9) without waiting for anything but the exit. */
	async kill9() {
		if (!this.proc) return this.exit;
		const p = this.proc;
		p.kill('SIGKILL');
		const res = await this.exited;
		this.proc = null;
		return res;
	}

	/* The PostgreSQL URL of this server's database, or undefined. */
	get dbUrl() {
		return dbUrlOf(this.dataDir);
	}

	async remove() {
		const url = this.dbUrl;
		if (url) dropDatabase(url);
		if (this.root) await rm(this.root, { recursive: true, force: true });
	}

	/* HTTP request to this server; see api() below. */
	api(method, path, opts) {
		return request(this.url, method, path, opts);
	}

	async login(username, password = ACCOUNTS[username]) {
		const r = await this.api('POST', '/api/v1/auth/login', { json: { username, password } });
		if (r.status !== 200)
			throw new Error(`login ${username}: ${r.status} ${r.text}`);
		return r.body.token;
	}
}

/* Performs one request. opts: token (bearer), json (serialised with
 * Content-Type application/json), body (raw string/Buffer), headers.
 * Resolves {status, headers, text, bytes, body} where body is the parsed
 * JSON when the answer is JSON (application/json or +json), else null. */
export async function request(base, method, path, { token, json, body, headers = {}, timeoutMs = 60000 } = {}) {
	const h = { ...headers };
	if (token) h.authorization = `Bearer ${token}`;
	let b = body;
	if (json !== undefined) {
		b = JSON.stringify(json);
		if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
	}
	const res = await fetch(base + path, { method, headers: h, body: b, signal: AbortSignal.timeout(timeoutMs) });
	const bytes = Buffer.from(await res.arrayBuffer());
	const text = bytes.toString('utf8');
	const ct = res.headers.get('content-type') || '';
	let parsed = null;
	if (/^application\/([a-z.+-]+\+)?json/i.test(ct)) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined; /* invalid JSON: tests assert on it */
		}
	}
	return { status: res.status, headers: res.headers, contentType: ct, text, bytes, body: parsed };
}

let current = null;

/* Registers before/after hooks that give the test file its own server.
 * Returns the Server (filled in by before()). */
export function useServer({ demo = true, now, env, args } = {}) {
	const holder = {};
	const proxy = new Proxy(holder, {
		get(_t, k) {
			if (!holder.srv) throw new Error('server not started (use inside tests)');
			const v = holder.srv[k];
			return typeof v === 'function' ? v.bind(holder.srv) : v;
		},
	});
	before(async () => {
		const srv = await Server.create({ demo, now });
		try {
			await srv.start({ now, env, args });
		} catch (e) {
			await srv.remove();
			throw e;
		}
		holder.srv = srv;
		current = srv;
	});
	after(async () => {
		const s = holder.srv;
		if (!s) return;
		const res = await s.stop();
		if (!res || res.code !== 0) {
			throw new Error(`motcua serve did not exit cleanly on SIGTERM: ${JSON.stringify(res)} (data kept in ${s.dataDir})\n${s.log.text}`);
		}
		await s.remove();
	});
	return proxy;
}

/* api()/login() on the server of the current test file. */
export function api(method, path, opts) {
	if (!current) throw new Error('no server: call useServer() at the top of the test file');
	return current.api(method, path, opts);
}

export function login(username, password) {
	if (!current) throw new Error('no server: call useServer() at the top of the test file');
	return current.login(username, password);
}
