// territory.test.mjs - administrative units (34 provinces, 3,321 communes)
// and agencies: lists, filters, pagination, details, admin create/update.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer();

/* Follows next_cursor from `path` (which has a query string or not). */
async function all(path, token) {
	const items = [];
	let cursor = null;
	for (let page = 0; page < 200; page++) {
		const sep = path.includes('?') ? '&' : '?';
		const r = await srv.api('GET', cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path, { token });
		assert.equal(r.status, 200, `${path}: ${r.text}`);
		assert.ok(Array.isArray(r.body.items));
		assert.ok('next_cursor' in r.body, 'next_cursor member present');
		items.push(...r.body.items);
		cursor = r.body.next_cursor;
		if (cursor === null) return items;
		assert.equal(typeof cursor, 'string');
	}
	throw new Error(`${path}: more than 200 pages`);
}

test('34 provinces, with two-digit codes', async () => {
	const r = await srv.api('GET', '/api/v1/units?level=province&limit=100');
	assert.equal(r.status, 200);
	assertConforms(r, 'listUnits');
	assert.equal(r.body.items.length, 34);
	assert.equal(r.body.next_cursor, null);
	for (const u of r.body.items) {
		assert.match(u.code, /^\d{2}$/);
		assert.equal(u.level, 'province');
	}
	const codes = r.body.items.map((u) => u.code);
	for (const c of ['01', '48', '79']) assert.ok(codes.includes(c), `province ${c}`);
});

test('3,321 communes over cursor pages, without duplicates', async () => {
	const items = await all('/api/v1/units?level=commune&limit=100');
	assert.equal(items.length, 3321);
	assert.equal(new Set(items.map((u) => u.code)).size, 3321, 'no duplicates across pages');
	for (const u of items.slice(0, 50)) {
		assert.match(u.code, /^\d{5}$/);
		assert.equal(u.level, 'commune');
	}
});

test('province 01 (Hà Nội) has more than 100 communes as children, including Ba Đình', async () => {
	const r = await srv.api('GET', '/api/v1/units/01');
	assert.equal(r.status, 200);
	assertConforms(r, 'getUnit');
	assert.match(r.body.name, /Hà Nội/);
	assert.ok(Array.isArray(r.body.children));
	assert.ok(r.body.children.length > 100, `children: ${r.body.children.length}`);
	assert.equal(r.body.children.length, 126);
	const bd = r.body.children.find((c) => c.code === '00004');
	assert.ok(bd, 'Ba Đình is a child of Hà Nội');
	assert.match(bd.name, /Ba Đình/);
	const viaParent = await all('/api/v1/units?parent=01&limit=100');
	assert.equal(viaParent.length, r.body.children.length, '?parent=01 lists the same communes');
});

test('a commune knows its province; unknown codes are 404', async () => {
	const r = await srv.api('GET', '/api/v1/units/00004');
	assert.equal(r.status, 200);
	assert.equal(r.body.parent, '01');
	assert.equal(r.body.level, 'commune');
	const nf = await srv.api('GET', '/api/v1/units/99');
	assertProblem(nf, 404, 'unknown unit');
	assertConforms(nf, 'getUnit');
});

test('unit name search folds diacritics', async () => {
	for (const q of ['ba dinh', 'Ba Đình', 'BA DINH']) {
		const r = await srv.api('GET', `/api/v1/units?q=${encodeURIComponent(q)}&limit=100`);
		assert.equal(r.status, 200);
		assert.ok(r.body.items.some((u) => u.code === '00004'), `q=${q} finds 00004`);
	}
});

test('bad limit is 400; a huge limit is capped at 100', async () => {
	for (const l of ['0', '-1', 'abc']) {
		const r = await srv.api('GET', `/api/v1/units?limit=${l}`);
		assertProblem(r, 400, `limit=${l}`);
	}
	const big = await srv.api('GET', '/api/v1/units?level=commune&limit=100000');
	assert.equal(big.status, 200);
	assert.ok(big.body.items.length <= 100, `items ${big.body.items.length}`);
	for (const c of ['garbage!!', Buffer.from('not-json').toString('base64url')]) {
		const badCursor = await srv.api('GET', `/api/v1/units?cursor=${encodeURIComponent(c)}`);
		assertProblem(badCursor, 400, `cursor ${c}`);
	}
});

test('agencies: province and commune People\'s Committees and ministries', async () => {
	const p = await srv.api('GET', '/api/v1/agencies/UBND-01');
	assert.equal(p.status, 200);
	assertConforms(p, 'getAgency');
	assert.equal(p.body.level, 'province');
	assert.equal(p.body.unit, '01');
	const c = await srv.api('GET', '/api/v1/agencies/UBND-00004');
	assert.equal(c.status, 200);
	assert.equal(c.body.level, 'commune');
	assert.equal(c.body.unit, '00004');
	assert.equal(c.body.parent, 'UBND-01');
	assert.match(c.body.name, /Ba Đình/);
	assertProblem(await srv.api('GET', '/api/v1/agencies/NOPE'), 404, 'unknown agency');

	const central = await all('/api/v1/agencies?level=central&limit=100');
	const codes = central.map((a) => a.code);
	for (const m of ['BCA', 'BTP', 'BTC', 'BXD', 'BNNMT', 'NHNN', 'TANDTC']) assert.ok(codes.includes(m), `ministry ${m}`);
	for (const a of central) assert.equal(a.level, 'central');

	const provinces = await all('/api/v1/agencies?level=province&limit=100');
	assert.equal(provinces.length, 34);
	const communes = await all('/api/v1/agencies?level=commune&limit=100');
	assert.equal(communes.length, 3321);
	assert.equal(new Set(communes.map((a) => a.code)).size, 3321);

	const byUnit = await srv.api('GET', '/api/v1/agencies?unit=00004');
	assert.equal(byUnit.status, 200);
	assertConforms(byUnit, 'listAgencies');
	assert.ok(byUnit.body.items.some((a) => a.code === 'UBND-00004'));
	for (const a of byUnit.body.items) assert.equal(a.unit, '00004');
});

test('admin creates and updates an agency; others cannot', async () => {
	const body = { code: 'STP-01', name: 'Sở Tư pháp thành phố Hà Nội', name_en: 'Hanoi Department of Justice', level: 'province', unit: '01', parent: 'UBND-01' };
	assertProblem(await srv.api('POST', '/api/v1/agencies', { json: body }), 401, 'anonymous');
	const citizen = await srv.login('citizen');
	assertProblem(await srv.api('POST', '/api/v1/agencies', { token: citizen, json: body }), 403, 'citizen');
	const officer = await srv.login('officer');
	assertProblem(await srv.api('POST', '/api/v1/agencies', { token: officer, json: body }), 403, 'officer');

	const admin = await srv.login('admin');
	const r = await srv.api('POST', '/api/v1/agencies', { token: admin, json: body });
	assert.equal(r.status, 201, r.text);
	assertConforms(r, 'createAgency');
	assert.equal(r.body.code, 'STP-01');
	const got = await srv.api('GET', '/api/v1/agencies/STP-01');
	assert.equal(got.body.name, body.name);
	assert.equal(got.body.parent, 'UBND-01');
	assertProblem(await srv.api('POST', '/api/v1/agencies', { token: admin, json: body }), 409, 'duplicate');

	const upd = await srv.api('PUT', '/api/v1/agencies/STP-01', { token: admin, json: { ...body, name: 'Sở Tư pháp Hà Nội' } });
	assert.equal(upd.status, 200, upd.text);
	assertConforms(upd, 'updateAgency');
	assert.equal((await srv.api('GET', '/api/v1/agencies/STP-01')).body.name, 'Sở Tư pháp Hà Nội');
	assertProblem(await srv.api('PUT', '/api/v1/agencies/NOPE-99', { token: admin, json: { ...body, code: 'NOPE-99' } }), 404, 'update unknown');
	const mismatch = await srv.api('PUT', '/api/v1/agencies/STP-01', { token: admin, json: { ...body, code: 'OTHER-1' } });
	assert.ok([400, 422].includes(mismatch.status), `code in the body differs from the path -> ${mismatch.status}`);
	assertProblem(await srv.api('PUT', '/api/v1/agencies/STP-01', { token: officer, json: body }), 403, 'officer update');

	const badLevel = await srv.api('POST', '/api/v1/agencies', { token: admin, json: { ...body, code: 'X-1', level: 'galactic' } });
	assert.ok([400, 422].includes(badLevel.status), `bad level -> ${badLevel.status}`);
});
