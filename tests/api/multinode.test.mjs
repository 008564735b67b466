// multinode.test.mjs - two `motcua serve` processes on one PostgreSQL
// database (and one shared blobs directory): concurrent submissions to both
// nodes give unique, gap-free daily codes per agency; one Idempotency-Key
// sent to both nodes gives one dossier; a write on one node is read at once
// on the other (no unshared caches), login failures count across nodes; and
// killing the database connections under load gives clients success or a
// 503 with Retry-After, never a 500. Runs when MOTCUA_TEST_DB is set
// (make check does); skipped, visibly, on SQLite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validSubmission } from './lib/fixtures.mjs';
import { BACKEND, Server, sql } from './lib/server.mjs';

const NOW = '2026-03-02T02:00:00Z';
const pgOnly = { skip: BACKEND !== 'postgresql' && 'multi-node needs PostgreSQL (set MOTCUA_TEST_DB, e.g. scripts/pg-test.sh run)' };
let a, b; /* the two nodes */

test.before(async () => {
	if (BACKEND !== 'postgresql') return;
	a = await Server.create({ now: NOW });
	await a.start({ now: NOW });
	b = new Server({ dataDir: a.dataDir, root: a.root });
	await b.start({ now: NOW });
});

test.after(async () => {
	for (const s of [b, a]) {
		if (!s) continue;
		const r = await s.stop();
		assert.equal(r?.code, 0, `clean exit: ${JSON.stringify(r)}\n${s.log.text.slice(-2000)}`);
	}
	await a?.remove();
});

/* Runs `n` submissions, `width` at a time, alternating between the nodes;
 * `during(i)` is called before the i-th request. Returns statuses, the
 * acknowledged codes and the 503 answers. */
async function load(n, width, token, body, { during, headers } = {}) {
	const res = { statuses: {}, acked: [], unavailable: [] };
	let next = 0;
	async function worker() {
		while (next < n) {
			const i = next++;
			if (during) await during(i);
			const node = i % 2 ? b : a;
			const r = await node.api('POST', '/api/v1/dossiers', { token, json: body, headers: headers?.(i) });
			res.statuses[r.status] = (res.statuses[r.status] || 0) + 1;
			if (r.status === 201) res.acked.push(r.body.code);
			if (r.status === 503) res.unavailable.push(r);
		}
	}
	await Promise.all(Array.from({ length: width }, worker));
	return res;
}

/* Every agency-day sequence in the database is 1..n without a gap, and
 * dossier_seq agrees. */
function assertGapFree() {
	const codes = sql(a.dataDir, 'SELECT code FROM dossier').split('\n').filter(Boolean);
	const byPrefix = new Map();
	for (const c of codes) {
		const m = /^(.*)-(\d{4,})$/.exec(c);
		assert.ok(m, `code ${c}`);
		if (!byPrefix.has(m[1])) byPrefix.set(m[1], []);
		byPrefix.get(m[1]).push(Number(m[2]));
	}
	assert.equal(new Set(codes).size, codes.length, 'codes are unique');
	const seq = new Map(
		sql(a.dataDir, 'SELECT agency, day, n FROM dossier_seq')
			.split('\n')
			.filter(Boolean)
			.map((l) => l.split('|'))
			.map(([agency, day, n]) => [`${agency}-${day.slice(2).replaceAll('-', '')}`, Number(n)]),
	);
	for (const [prefix, nums] of byPrefix) {
		nums.sort((x, y) => x - y);
		assert.deepEqual(nums, Array.from({ length: nums.length }, (_, i) => i + 1), `${prefix}: numbers 1..${nums.length} without a gap`);
		assert.equal(seq.get(prefix), nums.length, `dossier_seq of ${prefix}`);
	}
	return codes.length;
}

test('concurrent submissions to two nodes: codes unique and gap-free per agency and day', pgOnly, async () => {
	const c = await a.login('citizen');
	const body = await validSubmission(a, c);
	const res = await load(60, 8, c, body);
	assert.deepEqual(Object.keys(res.statuses), ['201'], `statuses ${JSON.stringify(res.statuses)}`);
	assert.equal(new Set(res.acked).size, 60);
	const prefixes = new Set(res.acked.map((x) => x.replace(/-\d+$/, '')));
	assert.equal(prefixes.size, 1, 'one agency and day');
	assert.ok(assertGapFree() >= 60);
});

test('the same Idempotency-Key sent to both nodes at once gives one dossier', pgOnly, async () => {
	const c = await a.login('citizen2');
	const body = await validSubmission(b, c, { seed: 5 });
	for (let k = 0; k < 5; k++) {
		const key = `multi-node-${k}`;
		const headers = { 'idempotency-key': key };
		const [ra, rb] = await Promise.all([
			a.api('POST', '/api/v1/dossiers', { token: c, json: body, headers }),
			b.api('POST', '/api/v1/dossiers', { token: c, json: body, headers }),
		]);
		assert.equal(ra.status, 201, ra.text);
		assert.equal(rb.status, 201, rb.text);
		assert.equal(ra.body.code, rb.body.code, `key ${key}: one dossier`);
	}
	const n = Number(sql(a.dataDir, "SELECT count(*) FROM idempotency WHERE idem_key LIKE 'multi-node-%'"));
	assert.equal(n, 5);
	assertGapFree();
});

test('a write on one node is read at once on the other', pgOnly, async () => {
	const c = await a.login('citizen');
	const o = await b.login('officer');
	const body = await validSubmission(a, c, { seed: 9 });
	for (let i = 0; i < 5; i++) {
		const [w, r] = i % 2 ? [b, a] : [a, b];
		const d = await w.api('POST', '/api/v1/dossiers', { token: c, json: body });
		assert.equal(d.status, 201, d.text);
		const got = await r.api('GET', `/api/v1/dossiers/${encodeURIComponent(d.body.code)}`, { token: c });
		assert.equal(got.status, 200, `${d.body.code} on the other node`);
		assert.equal(got.body.status, 'submitted');
		const rec = await r.api('POST', `/api/v1/dossiers/${encodeURIComponent(d.body.code)}/actions`, { token: o, json: { action: 'receive' } });
		assert.equal(rec.status, 200, rec.text);
		const again = await w.api('GET', `/api/v1/dossiers/${encodeURIComponent(d.body.code)}`, { token: c });
		assert.equal(again.body.status, rec.body.status, 'the action on one node is seen on the other');
	}
	// a calendar override made on A changes B's working-day count at once
	const admin = await a.login('admin');
	const q = '/api/v1/calendar/add?from=2026-04-06&days=1';
	const before = await b.api('GET', q);
	assert.equal(before.status, 200, before.text);
	const put = await a.api('PUT', `/api/v1/calendar/days/${before.body.date}`, { token: admin, json: { kind: 'off', reason: 'Kiểm thử hai nút', reason_en: 'Two-node test' } });
	assert.equal(put.status, 201, put.text);
	const after = await b.api('GET', q);
	assert.notEqual(after.body.date, before.body.date, 'B sees the day off declared on A');
	// a disabled account or a revoked token is refused on the other node
	const t = await a.login('citizen2');
	assert.equal((await b.api('POST', '/api/v1/auth/logout', { token: t })).status, 204);
	assert.equal((await a.api('GET', '/api/v1/auth/me', { token: t })).status, 401);
});

test('failed logins count across nodes (the rate limit lives in the database)', pgOnly, async () => {
	for (let i = 0; i < 5; i++) {
		const node = i % 2 ? b : a;
		const r = await node.api('POST', '/api/v1/auth/login', { json: { username: 'officer2', password: `wrong-${i}` } });
		assert.equal(r.status, 401, `attempt ${i + 1}`);
	}
	for (const node of [a, b]) {
		const r = await node.api('POST', '/api/v1/auth/login', { json: { username: 'officer2', password: 'officer2-demo-2026' } });
		assert.equal(r.status, 429, 'locked on both nodes');
		assert.ok(r.headers.get('retry-after'));
	}
});

test('database connections killed under load: every answer is 201 or 503 with Retry-After, nothing acknowledged is lost', pgOnly, async (t) => {
	const c = await a.login('citizen');
	const body = await validSubmission(a, c, { seed: 11 });
	let kills = 0;
	const res = await load(120, 8, c, body, {
		during: (i) => {
			if (i % 15 === 7) {
				kills++;
				sql(a.dataDir, 'SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
			}
		},
	});
	t.diagnostic(`${kills} kills of every connection; answers ${JSON.stringify(res.statuses)}`);
	assert.ok(kills >= 7, `${kills} kills`);
	const unexpected = Object.keys(res.statuses).filter((s) => !['201', '503'].includes(s));
	assert.deepEqual(unexpected, [], `statuses ${JSON.stringify(res.statuses)}`);
	for (const r of res.unavailable) {
		assert.ok(Number(r.headers.get('retry-after')) >= 1, '503 carries Retry-After');
		assert.equal(r.body?.status, 503);
	}
	assert.ok(res.acked.length >= 60, `most submissions succeed: ${JSON.stringify(res.statuses)}`);
	// every acknowledged dossier exists, on both nodes
	for (const [i, code] of res.acked.entries()) {
		const node = i % 2 ? a : b;
		const r = await node.api('GET', `/api/v1/dossiers/${encodeURIComponent(code)}`, { token: c });
		assert.equal(r.status, 200, `${code} acknowledged`);
	}
	assertGapFree();
	// both nodes still serve after the storm
	for (const node of [a, b]) assert.equal((await node.api('GET', '/healthz')).status, 200);
});
