// backup.test.mjs - `motcua backup` while the server runs and `motcua
// restore` into a new data directory (and database) and over the original:
// every table has the same rows (count and content) as when the backup was
// taken, blobs come back, the audit chain verifies, and a server on the
// restored data serves the dossiers and their documents. Runs on the
// backend of the suite (SQLite, or PostgreSQL with MOTCUA_TEST_DB).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { ocrIdle, submit, validSubmission } from './lib/fixtures.mjs';
import { BACKEND, Server, cli, newDatabase, sql, tables, useDatabase, useServer } from './lib/server.mjs';

const NOW = '2026-03-02T02:00:00Z';
const srv = useServer({ now: NOW });

/* {table: {rows, digest}} of every table: rows sorted, so the digest does
 * not depend on the physical order. */
function snapshot(dataDir) {
	const out = {};
	for (const t of tables(dataDir)) {
		const rows = sql(dataDir, `SELECT * FROM "${t}"`).split('\n').filter((l) => l !== '');
		rows.sort();
		out[t] = { rows: rows.length, digest: createHash('sha256').update(rows.join('\n')).digest('hex') };
	}
	return out;
}

test('backup while serving, restore into a new place and over the original: every table compares equal', async () => {
	const c = await srv.login('citizen');
	const body = await validSubmission(srv, c, { seed: 3 });
	const d = await submit(srv, c, body);
	const docId = body.components[0].document;
	const docBytes = (await srv.api('GET', `/api/v1/documents/${docId}/content`, { token: c })).bytes;
	await ocrIdle(srv.dataDir);
	const before = snapshot(srv.dataDir);
	assert.ok(Object.keys(before).length >= 15, `tables: ${Object.keys(before)}`);
	assert.ok(before.dossier.rows >= 1 && before.audit_log.rows >= 1);
	const path = join(srv.root, 'backup-1');
	const bk = await cli(['backup', '--data', srv.dataDir, '--to', path]);
	assert.equal(bk.code, 0, bk.stdout + bk.stderr);
	assert.match(bk.stdout, new RegExp(`backup of the ${BACKEND} database and \\d+ blobs`));

	// changes after the backup: gone after restoring over the original
	const later = await submit(srv, c, body);

	// 1. into a new data directory (and a new database)
	const fresh = join(srv.root, 'restored');
	if (BACKEND === 'postgresql') useDatabase(fresh, newDatabase());
	const rs = await cli(['restore', '--data', fresh, '--from', path]);
	assert.equal(rs.code, 0, rs.stdout + rs.stderr);
	assert.deepEqual(snapshot(fresh), before, 'restored copy equals the state at backup time');
	const v = await cli(['audit', 'verify', '--data', fresh]);
	assert.equal(v.code, 0, v.stdout + v.stderr);

	// a server on the restored data serves the dossier and its document
	const s2 = new Server({ dataDir: fresh, root: null });
	await s2.start({ now: NOW });
	try {
		const c2 = await s2.login('citizen');
		const got = await s2.api('GET', `/api/v1/dossiers/${encodeURIComponent(d.code)}`, { token: c2 });
		assert.equal(got.status, 200);
		assert.equal((await s2.api('GET', `/api/v1/dossiers/${encodeURIComponent(later.code)}`, { token: c2 })).status, 404, 'made after the backup');
		const content = await s2.api('GET', `/api/v1/documents/${docId}/content`, { token: c2 });
		assert.equal(content.status, 200);
		assert.ok(content.bytes.equals(docBytes), 'blob restored');
	} finally {
		assert.equal((await s2.stop()).code, 0);
	}

	// 2. over the original (server stopped), which has moved on since
	assert.equal((await srv.stop()).code, 0);
	assert.notDeepEqual(snapshot(srv.dataDir), before);
	const over = await cli(['restore', '--data', srv.dataDir, '--from', path]);
	assert.equal(over.code, 0, over.stdout + over.stderr);
	assert.deepEqual(snapshot(srv.dataDir), before, 'restored over the original');
	await srv.start({ now: NOW });
	assert.equal((await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(later.code)}`, { token: await srv.login('citizen') })).status, 404);
});

test('backup and restore refuse bad arguments and a backup of the other backend', async () => {
	assert.equal((await cli(['backup', '--data', srv.dataDir])).code, 2, 'missing --to');
	assert.equal((await cli(['restore', '--from', '/nonexistent'])).code, 2, 'missing --data');
	assert.equal((await cli(['backup', '--data', srv.dataDir, '--to', srv.dataDir])).code, 1, 'existing target');
	const r = await cli(['restore', '--data', join(srv.root, 'x'), '--from', join(srv.root, 'no-backup')]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /not a motcua backup/);
});
