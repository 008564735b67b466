// audit.test.mjs - the hash-chained audit log: actions are logged, the chain
// is served to admins, `motcua audit verify` accepts the untouched log and
// rejects an edited, a deleted-in-the-middle and a deleted-newest entry
// (edited with the sqlite3 CLI or psql in copies of the data directory).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { actOk, submit, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { cli, copyData as copyDir, sql, useServer } from './lib/server.mjs';

const srv = useServer({ now: '2026-03-02T02:00:00Z' });
let code;

const sqlite = sql; /* either backend, see lib/server.mjs */

function copyData(name) {
	return copyDir(srv.dataDir, join(srv.root, name));
}

test('state changes and admin actions are in the audit log, chained newest first', async () => {
	const c = await srv.login('citizen');
	const o = await srv.login('officer');
	const a = await srv.login('admin');
	const d = await submit(srv, c, await validSubmission(srv, c));
	code = d.code;
	await actOk(srv, o, code, 'receive', {}, 2);
	const cal = await srv.api('PUT', '/api/v1/calendar/days/2026-03-20', { token: a, json: { kind: 'off', reason: 'Kiểm thử', reason_en: 'Test' } });
	assert.equal(cal.status, 201, cal.text);

	assertProblem(await srv.api('GET', '/api/v1/audit'), 401, 'anonymous');
	assertProblem(await srv.api('GET', '/api/v1/audit', { token: c }), 403, 'citizen');
	const r = await srv.api('GET', '/api/v1/audit?limit=100', { token: a });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'listAudit');
	const items = r.body.items;
	assert.ok(items.length >= 3);
	for (let i = 0; i + 1 < items.length; i++) {
		assert.equal(items[i].seq, items[i + 1].seq + 1, 'consecutive sequence numbers, newest first');
		assert.equal(items[i].prev_hash, items[i + 1].hash, `entry ${items[i].seq} links to ${items[i + 1].seq}`);
		assert.match(items[i].hash, /^[0-9a-f]{64}$/);
	}
	const about = items.filter((x) => x.object.endsWith(code));
	assert.ok(about.length >= 2, `submission and receipt of ${code} logged: ${JSON.stringify(about)}`);
	assert.ok(about.some((x) => x.actor === 'officer'), 'the receipt is attributed to the officer');
	assert.ok(about.some((x) => x.actor === 'citizen'), 'the submission is attributed to the citizen');
	assert.ok(items.some((x) => x.actor === 'admin' && JSON.stringify(x).includes('2026-03-20')), 'the calendar change is logged');

	const object = about[0].object;
	const byObject = await srv.api('GET', `/api/v1/audit?object=${encodeURIComponent(object)}`, { token: a });
	assert.equal(byObject.status, 200);
	assert.equal(byObject.body.items.length, about.length, 'the object filter finds the same entries');
	for (const x of byObject.body.items) assert.equal(x.object, object);
	const byActor = await srv.api('GET', '/api/v1/audit?actor=admin&limit=100', { token: a });
	assert.ok(byActor.body.items.length >= 1);
	for (const x of byActor.body.items) assert.equal(x.actor, 'admin');

	// pagination: pages of 2 chain up without duplicates
	const seen = new Set();
	let cursor = null;
	for (let i = 0; i < 5; i++) {
		const p = await srv.api('GET', `/api/v1/audit?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: a });
		assert.equal(p.status, 200);
		for (const x of p.body.items) {
			assert.ok(!seen.has(x.seq), `seq ${x.seq} repeated across pages`);
			seen.add(x.seq);
		}
		cursor = p.body.next_cursor;
		if (!cursor) break;
	}
	assert.ok(seen.size >= Math.min(10, items.length), 'pages cover distinct entries');
});

test('audit verify: 0 on the untouched log, 1 after an edit, a deletion in the middle or of the newest entry', async () => {
	assert.equal((await srv.stop()).code, 0, 'clean exit on SIGTERM');
	const ok = await cli(['audit', 'verify', '--data', srv.dataDir]);
	assert.equal(ok.code, 0, `verify on the untouched log: ${ok.stdout}${ok.stderr}`);
	assert.match(ok.stdout, /OK/);
	const n = Number(sqlite(srv.dataDir, 'SELECT count(*) FROM audit_log;'));
	assert.ok(n >= 3, `${n} entries`);
	const mid = Number(sqlite(srv.dataDir, 'SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 1;'));

	// 1. edit one column of one row
	const edited = await copyData('edited');
	sqlite(edited, `UPDATE audit_log SET actor = 'mallory' WHERE seq = ${mid};`);
	assert.equal(sqlite(edited, `SELECT actor FROM audit_log WHERE seq = ${mid};`), 'mallory', 'the row was edited');
	const r1 = await cli(['audit', 'verify', '--data', edited]);
	assert.equal(r1.code, 1, `edited entry must be detected: ${r1.stdout}${r1.stderr}`);
	assert.match(r1.stdout + r1.stderr, new RegExp(`\\b${mid}\\b`), 'names the first bad entry');

	// 2. replace the detail of the dossier's latest entry
	const detail = await copyData('detail');
	sqlite(detail, `UPDATE audit_log SET detail = '{"tampered":true}' WHERE seq = (SELECT max(seq) FROM audit_log WHERE object LIKE '%${code}');`);
	assert.equal(sqlite(detail, `SELECT count(*) FROM audit_log WHERE detail = '{"tampered":true}';`), '1', 'one row edited');
	const r2 = await cli(['audit', 'verify', '--data', detail]);
	assert.equal(r2.code, 1, `edited detail must be detected: ${r2.stdout}`);

	// 3. delete an entry in the middle
	const deleted = await copyData('deleted');
	sqlite(deleted, `DELETE FROM audit_log WHERE seq = ${mid};`);
	const r3 = await cli(['audit', 'verify', '--data', deleted]);
	assert.equal(r3.code, 1, `deleted entry must be detected: ${r3.stdout}`);

	// 4. delete the newest entry (the chain alone is still consistent)
	const newest = await copyData('newest');
	sqlite(newest, 'DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);');
	const r4 = await cli(['audit', 'verify', '--data', newest]);
	assert.equal(r4.code, 1, `deleted newest entry must be detected: ${r4.stdout}`);

	// the original is still fine, and the server starts again on it
	assert.equal((await cli(['audit', 'verify', '--data', srv.dataDir])).code, 0);
	await srv.start({ now: '2026-03-02T03:00:00Z' });
});

test('audit verify: usage errors exit 2', async () => {
	assert.equal((await cli(['audit', 'verify'])).code, 2);
	assert.equal((await cli(['audit', 'verify', '--data', join(srv.root, 'does-not-exist')])).code, 2);
	assert.equal((await cli(['audit', 'frobnicate', '--data', srv.dataDir])).code, 2);
});
