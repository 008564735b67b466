// storage.test.mjs - the PostgreSQL database checks of `motcua init` and
// `motcua serve`: a database whose text does not compare bytewise (an ICU
// collation) is refused with the command that creates a right one; serve
// refuses a database init has not prepared; a wrong URL is a clear error;
// init twice on one database applies nothing the second time. Skipped,
// visibly, on SQLite.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BACKEND, PG_BASE, cli, dropDatabase, newDatabase, sql, useDatabase } from './lib/server.mjs';

const pgOnly = { skip: BACKEND !== 'postgresql' && 'needs PostgreSQL (set MOTCUA_TEST_DB, e.g. scripts/pg-test.sh run)' };

test('init refuses a database without the C collation and says how to create one', pgOnly, async () => {
	const root = await mkdtemp(join(tmpdir(), 'motcua-st-'));
	const url = newDatabase();
	const name = url.slice(url.lastIndexOf('/') + 1);
	const icu = `${name}_icu`;
	try {
		useDatabase(join(root, 'any'), `${PG_BASE}/postgres`);
		sql(join(root, 'any'), `CREATE DATABASE "${icu}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' LOCALE 'C'`);
		const r = await cli(['init', '--data', join(root, 'd1'), '--db', `${PG_BASE}/${icu}`]);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		assert.match(r.stderr, /C collation/);
		assert.match(r.stderr, /CREATE DATABASE name TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'/);
	} finally {
		sql(join(root, 'any'), `DROP DATABASE IF EXISTS "${icu}" WITH (FORCE)`);
		dropDatabase(url);
		await rm(root, { recursive: true, force: true });
	}
});

test('serve refuses an empty database; a wrong URL is one clear line; init twice applies nothing new', pgOnly, async () => {
	const root = await mkdtemp(join(tmpdir(), 'motcua-st-'));
	const url = newDatabase();
	try {
		const s = await cli(['serve', '--data', join(root, 'd'), '--db', url, '--listen', '127.0.0.1:0']);
		assert.equal(s.code, 1);
		assert.match(s.stderr, /no motcua schema \(run motcua init --db URL\)/);
		const bad = await cli(['audit', 'verify', '--db', `${PG_BASE}/no_such_database_here`]);
		assert.equal(bad.code, 1);
		assert.match(bad.stderr, /cannot connect to PostgreSQL/);
		assert.doesNotMatch(bad.stderr, /postgresql:\/\//, 'the URL (which may hold a password) is not printed');
		const i1 = await cli(['init', '--data', join(root, 'd'), '--db', url]);
		assert.equal(i1.code, 0, i1.stdout + i1.stderr);
		assert.match(i1.stdout, /database: postgresql/);
		useDatabase(join(root, 'd'), url);
		const versions = sql(join(root, 'd'), 'SELECT count(*) FROM schema_migration');
		const i2 = await cli(['init', '--data', join(root, 'd'), '--db', url]);
		assert.equal(i2.code, 0, i2.stdout + i2.stderr);
		assert.equal(sql(join(root, 'd'), 'SELECT count(*) FROM schema_migration'), versions);
		const v = await cli(['audit', 'verify', '--data', join(root, 'd')]);
		assert.equal(v.code, 0, v.stdout + v.stderr);
	} finally {
		dropDatabase(url);
		await rm(root, { recursive: true, force: true });
	}
});
