// registry.test.mjs - registries: definitions, the demo population (the demo
// citizens exist with consistent data), who reads what (anonymous, the
// person themself, another citizen, officers outside and inside the owning
// agency, admin), create/update with versions, 422 paths, 409 on a
// duplicate identifier, search (folded words, indexed filters, cursor
// pages), the event feed, the quality report (API and CLI agree; planted
// duplicates are found; verification counts as fresh) and a specialized
// registry created through the API without code changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { cli, useServer } from './lib/server.mjs';

const srv = useServer();
const tokens = {};
async function tok(user) {
	if (!tokens[user]) tokens[user] = await srv.login(user);
	return tokens[user];
}

/* Check digit of an enterprise code (DESIGN.md §4). */
function enterprise(d9) {
	const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
	const c = 10 - ([...d9].reduce((s, d, i) => s + w[i] * Number(d), 0) % 11);
	return c === 10 ? null : d9 + c;
}

const P = '/api/v1/registries/persons/records';
let serial = 0;
/* A fresh valid person (1985, male unless female) in commune `residence`. */
function person({ female = false, residence = '00004', name = 'Hoàng Văn Kiểm Thử', extra = {} } = {}) {
	serial++;
	const id = `096${female ? 1 : 0}85${String(990000 + serial).padStart(6, '0')}`;
	return { id, full_name: name, date_of_birth: '1985-06-15', sex: female ? 'female' : 'male', residence, ...extra };
}

async function create(p, user = 'officer') {
	const r = await srv.api('POST', P, { token: await tok(user), json: { data: p, reason: 'đăng ký mới' } });
	return r;
}

test('the registries are listed publicly, built-ins first', async () => {
	const r = await srv.api('GET', '/api/v1/registries');
	assert.equal(r.status, 200);
	assertConforms(r, 'listRegistries');
	assert.deepEqual(
		r.body.items.slice(0, 3).map((d) => d.name),
		['persons', 'businesses', 'death_records'],
	);
	const d = await srv.api('GET', '/api/v1/registries/persons');
	assertConforms(d, 'getRegistry');
	assert.equal(d.body.id_field, 'id');
	assert.deepEqual(Object.keys(d.body.schema.properties).sort(), ['date_of_birth', 'date_of_death', 'father_id', 'full_name', 'id', 'mother_id', 'residence', 'sex', 'spouse_id']);
	assertProblem(await srv.api('GET', '/api/v1/registries/nothing'), 404);
});

test('the demo citizens exist with data consistent with their personal numbers', async () => {
	for (const [user, id, sex] of [['citizen', '001090012345', 'male'], ['citizen2', '079190012346', 'female']]) {
		const r = await srv.api('GET', `${P}/${id}`, { token: await tok(user) });
		assert.equal(r.status, 200, r.text);
		assertConforms(r, 'getRegistryRecord');
		assert.equal(r.body.data.id, id);
		assert.equal(r.body.data.sex, sex);
		assert.equal(r.body.data.date_of_birth.slice(0, 4), '1990');
		assert.equal(r.body.masked, undefined, 'the person themself sees everything');
		assert.ok(r.body.valid);
	}
	const me = await srv.api('GET', `${P}/001090012345`, { token: await tok('citizen') });
	assert.equal(me.body.data.spouse_id, '079190012346');
	assert.equal(me.body.data.residence, '00004');
	const father = await srv.api('GET', `${P}/${me.body.data.father_id}`, { token: await tok('admin') });
	assert.equal(father.status, 200);
	assert.equal(father.body.data.sex, 'male');
	assert.ok(father.body.data.date_of_birth < me.body.data.date_of_birth);
});

test('who reads a person: anonymous 401, another citizen 404, officers masked, admin all', async () => {
	const url = `${P}/001090012345`;
	const anon = await srv.api('GET', url);
	assertProblem(anon, 401, 'anonymous');
	assertConforms(anon, 'getRegistryRecord');
	assertProblem(await srv.api('GET', `${P}/001090099999`), 401, 'anonymous, unknown number: no existence leak');
	assertProblem(await srv.api('GET', url, { token: await tok('citizen2') }), 404, 'other citizen');
	const off = await srv.api('GET', url, { token: await tok('officer') });
	assert.equal(off.status, 200);
	assertConforms(off, 'getRegistryRecord');
	assert.equal(off.body.data.full_name, 'Nguyễn Văn An');
	assert.equal(off.body.data.father_id, undefined, 'family relations are sensitive outside the owning agency');
	assert.ok(off.body.masked.includes('father_id'));
	const adm = await srv.api('GET', url, { token: await tok('admin') });
	assert.equal(adm.body.data.father_id, '001060000101');
	assertProblem(await srv.api('GET', `${P}/001090099999`, { token: await tok('officer') }), 404);
	assertProblem(await srv.api('GET', `${P}/001090012345/versions`), 401);
	assertProblem(await srv.api('GET', `${P}/001090012345/versions`, { token: await tok('citizen2') }), 404);
});

test('businesses are public without the legal representative', async () => {
	const code = enterprise('010123456');
	const anon = await srv.api('GET', `/api/v1/registries/businesses/records/${code}`);
	assert.equal(anon.status, 200, anon.text);
	assertConforms(anon, 'getRegistryRecord');
	assert.equal(anon.body.data.status, 'active');
	assert.equal(anon.body.data.legal_representative, undefined);
	const rep = await srv.api('GET', `/api/v1/registries/businesses/records/${code}`, { token: await tok('citizen') });
	assert.equal(rep.body.data.legal_representative, '001090012345');
});

test('create: 201 with version 1, 409 on the same identifier, 422 with JSON paths', async () => {
	const p = person();
	const r = await create(p);
	assert.equal(r.status, 201, r.text);
	assertConforms(r, 'createRegistryRecord');
	assert.equal(r.headers.get('location'), `${P}/${p.id}`);
	assert.equal(r.body.version, 1);
	assert.deepEqual(r.body.data, p);
	const dup = await create(p);
	assertProblem(dup, 409);
	assertConforms(dup, 'createRegistryRecord');
	const bad = await create({ ...person(), id: '096085990999', sex: 'female', residence: '99999', date_of_birth: '1984-01-01', father_id: '001060000102' });
	assertProblem(bad, 422);
	assertConforms(bad, 'createRegistryRecord');
	const paths = bad.body.errors.map((e) => e.path).sort();
	for (const want of ['$.data.date_of_birth', '$.data.father_id', '$.data.residence', '$.data.sex']) assert.ok(paths.includes(want), `${want} in ${paths}`);
	for (const e of bad.body.errors) assert.ok(e.message && e.message_vi);
	const shape = await srv.api('POST', P, { token: await tok('officer'), json: { record: {} } });
	assertProblem(shape, 422);
	assert.ok(shape.body.errors.some((e) => e.path === '$.data'));
	const bad2 = await srv.api('POST', '/api/v1/registries/businesses/records', {
		token: await tok('officer'),
		json: { data: { id: '0101234560', name: 'X', address: '00004', legal_representative: '001090012345', status: 'open' } },
	});
	assertProblem(bad2, 422);
	const bp = bad2.body.errors.map((e) => e.path);
	assert.ok(bp.includes('$.data.status') && bp.includes('$.data.name'), bp.join());
});

test('writes need an officer: anonymous 401, citizen 403', async () => {
	const p = person();
	assertProblem(await srv.api('POST', P, { json: { data: p } }), 401);
	assertProblem(await create(p, 'citizen'), 403);
	assertProblem(await srv.api('PUT', `${P}/001090012345`, { token: await tok('citizen'), json: { data: {}, reason: 'x' } }), 403);
});

test('update: a new version with who, why and what changed; history and old versions', async () => {
	const p = person({ female: true });
	assert.equal((await create(p)).status, 201);
	const noReason = await srv.api('PUT', `${P}/${p.id}`, { token: await tok('officer'), json: { data: { ...p, residence: '00008' } } });
	assertProblem(noReason, 422);
	assert.ok(noReason.body.errors.some((e) => e.path === '$.reason'));
	const r = await srv.api('PUT', `${P}/${p.id}`, { token: await tok('officer'), json: { data: { ...p, residence: '00008' }, reason: 'chuyển hộ khẩu' } });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'updateRegistryRecord');
	assert.equal(r.body.version, 2);
	assert.equal(r.body.data.residence, '00008');
	const same = await srv.api('PUT', `${P}/${p.id}`, { token: await tok('officer'), json: { data: { ...p, residence: '00008' }, reason: 'again' } });
	assert.equal(same.body.version, 2, 'no change, no version');
	const mismatch = await srv.api('PUT', `${P}/${p.id}`, { token: await tok('officer'), json: { data: { ...p, id: '096185999999' }, reason: 'x' } });
	assertProblem(mismatch, 422);
	assertProblem(await srv.api('PUT', `${P}/096185999998`, { token: await tok('officer'), json: { data: p, reason: 'x' } }), 404, 'unknown record');
	const h = await srv.api('GET', `${P}/${p.id}/versions`, { token: await tok('admin') });
	assert.equal(h.status, 200);
	assertConforms(h, 'listRegistryRecordVersions');
	assert.deepEqual(h.body.items.map((v) => v.version), [2, 1]);
	assert.deepEqual(h.body.items[0].changes, ['residence']);
	assert.equal(h.body.items[0].changed_by, 'officer');
	assert.equal(h.body.items[0].reason, 'chuyển hộ khẩu');
	const page = await srv.api('GET', `${P}/${p.id}/versions?limit=1`, { token: await tok('admin') });
	assert.equal(page.body.items.length, 1);
	const page2 = await srv.api('GET', `${P}/${p.id}/versions?limit=1&cursor=${encodeURIComponent(page.body.next_cursor)}`, { token: await tok('admin') });
	assert.deepEqual(page2.body.items.map((v) => v.version), [1]);
	assert.equal(page2.body.next_cursor, null);
	const v1 = await srv.api('GET', `${P}/${p.id}?version=1`, { token: await tok('admin') });
	assert.equal(v1.body.data.residence, '00004');
	assertProblem(await srv.api('GET', `${P}/${p.id}?version=9`, { token: await tok('admin') }), 404);
	assertProblem(await srv.api('GET', `${P}/${p.id}?version=x`, { token: await tok('admin') }), 400);
});

test('an officer writing back a masked record keeps what was masked', async () => {
	const mother = person({ female: true, name: 'Đặng Thị Mẹ' });
	assert.equal((await create(mother)).status, 201);
	const child = { ...person({ name: 'Đặng Văn Con' }), date_of_birth: '1985-09-01', mother_id: mother.id };
	assert.equal((await create(child)).status, 201);
	const seen = await srv.api('GET', `${P}/${child.id}`, { token: await tok('officer') });
	assert.equal(seen.body.data.mother_id, undefined);
	const r = await srv.api('PUT', `${P}/${child.id}`, { token: await tok('officer'), json: { data: { ...seen.body.data, full_name: 'Đặng Văn Con Trai' }, reason: 'sửa tên' } });
	assert.equal(r.status, 200, r.text);
	const all = await srv.api('GET', `${P}/${child.id}`, { token: await tok('admin') });
	assert.equal(all.body.data.mother_id, mother.id);
	assert.equal(all.body.data.full_name, 'Đặng Văn Con Trai');
});

test('search: folded words, indexed filters, cursor pages; officers only', async () => {
	const a = person({ residence: '00025', name: 'Trịnh Công Tìm Kiếm' });
	const b = person({ residence: '00025', name: 'Trịnh Công Tìm Thấy' });
	assert.equal((await create(a)).status, 201);
	assert.equal((await create(b)).status, 201);
	const off = await tok('officer');
	const q = await srv.api('GET', '/api/v1/registries/persons/records?q=trinh%20cong%20tim', { token: off });
	assert.equal(q.status, 200);
	assertConforms(q, 'searchRegistryRecords');
	assert.deepEqual(q.body.items.map((r) => r.id).sort(), [a.id, b.id].sort());
	const exact = await srv.api('GET', `/api/v1/registries/persons/records?q=${encodeURIComponent('Tìm Kiếm')}`, { token: off });
	assert.deepEqual(exact.body.items.map((r) => r.id), [a.id]);
	/* every person of commune 00025 over pages of 1, in order, no duplicates */
	const seen = [];
	let cursor = null;
	for (let i = 0; i < 500; i++) {
		const r = await srv.api('GET', `/api/v1/registries/persons/records?residence=00025&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: off });
		assert.equal(r.status, 200);
		for (const it of r.body.items) assert.equal(it.data.residence, '00025');
		seen.push(...r.body.items.map((x) => x.id));
		cursor = r.body.next_cursor;
		if (!cursor) break;
	}
	assert.ok(seen.includes(a.id) && seen.includes(b.id));
	assert.equal(new Set(seen).size, seen.length);
	assert.deepEqual([...seen].sort(), seen);
	const both = await srv.api('GET', `/api/v1/registries/persons/records?residence=00025&father_id=${a.id}`, { token: off });
	assert.equal(both.status, 200);
	assert.deepEqual(both.body.items, []);
	assertProblem(await srv.api('GET', '/api/v1/registries/persons/records?sex=male', { token: off }), 400, 'not indexed');
	assertProblem(await srv.api('GET', '/api/v1/registries/persons/records?cursor=xyz', { token: off }), 400);
	assertProblem(await srv.api('GET', '/api/v1/registries/persons/records?q=an', { token: await tok('citizen') }), 403);
	assertProblem(await srv.api('GET', '/api/v1/registries/persons/records?q=an'), 401);
	assertProblem(await srv.api('GET', '/api/v1/registries/nothing/records', { token: off }), 404);
});

test('events: births, marriages, moves, deaths and businesses in one ordered feed', async () => {
	const off = await tok('officer');
	const head = await srv.api('GET', '/api/v1/events?limit=100', { token: off });
	assert.equal(head.status, 200);
	assertConforms(head, 'listEvents');
	let after = 0;
	let cursor = null;
	for (let i = 0; i < 100; i++) {
		const r = await srv.api('GET', `/api/v1/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: off });
		for (const e of r.body.items) after = Math.max(after, e.seq);
		cursor = r.body.next_cursor;
		if (!cursor) break;
	}
	const h = person({ name: 'Vương Văn Chồng' });
	const w = person({ female: true, name: 'Mai Thị Vợ' });
	assert.equal((await create(h)).status, 201);
	assert.equal((await create(w)).status, 201);
	const put = (p, reason) => srv.api('PUT', `${P}/${p.id}`, { token: off, json: { data: p, reason } });
	assert.equal((await put({ ...h, spouse_id: w.id }, 'đăng ký kết hôn')).status, 200);
	assert.equal((await put({ ...h, spouse_id: w.id, residence: '00008' }, 'chuyển nơi thường trú')).status, 200);
	assert.equal((await put({ ...h, spouse_id: w.id, residence: '00008', date_of_death: '2026-01-05' }, 'khai tử')).status, 200);
	const code = enterprise('096000777') || enterprise('096000778');
	const biz = { id: code, name: 'Công ty TNHH Kiểm Thử', address: '00004', legal_representative: w.id, status: 'active' };
	const rb = await srv.api('POST', '/api/v1/registries/businesses/records', { token: off, json: { data: biz } });
	assert.equal(rb.status, 201, rb.text);
	assert.equal((await srv.api('PUT', `/api/v1/registries/businesses/records/${code}`, { token: off, json: { data: { ...biz, status: 'dissolved' }, reason: 'giải thể' } })).status, 200);
	const r = await srv.api('GET', `/api/v1/events?after=${after}`, { token: off });
	assert.equal(r.status, 200);
	assertConforms(r, 'listEvents');
	const got = r.body.items.map((e) => `${e.type} ${e.subject}`);
	assert.deepEqual(got, [
		`person.born persons/${h.id}`,
		`person.born persons/${w.id}`,
		`person.married persons/${h.id}`,
		`person.address_changed persons/${h.id}`,
		`person.died persons/${h.id}`,
		`business.founded businesses/${code}`,
		`business.dissolved businesses/${code}`,
	]);
	assert.equal(r.body.items[3].payload.from, '00004');
	assert.equal(r.body.items[3].payload.to, '00008');
	const seqs = r.body.items.map((e) => e.seq);
	assert.deepEqual([...seqs].sort((x, y) => x - y), seqs);
	const typed = await srv.api('GET', `/api/v1/events?after=${after}&type=person.died`, { token: off });
	assert.deepEqual(typed.body.items.map((e) => e.subject), [`persons/${h.id}`]);
	const p1 = await srv.api('GET', `/api/v1/events?after=${after}&limit=2`, { token: off });
	const p2 = await srv.api('GET', `/api/v1/events?after=${after}&limit=2&cursor=${encodeURIComponent(p1.body.next_cursor)}`, { token: off });
	assert.deepEqual(p2.body.items.map((e) => e.seq), seqs.slice(2, 4));
	assertProblem(await srv.api('GET', '/api/v1/events', { token: await tok('citizen') }), 403);
	assertProblem(await srv.api('GET', '/api/v1/events'), 401);
	assertProblem(await srv.api('GET', '/api/v1/events?after=-1', { token: off }), 400);
	/* a rejected write leaves no event */
	const bad = await put({ ...w, residence: '99999' }, 'x');
	assertProblem(bad, 422);
	const again = await srv.api('GET', `/api/v1/events?after=${seqs[seqs.length - 1]}`, { token: off });
	assert.deepEqual(again.body.items, []);
});

test('quality: API and CLI agree; a planted duplicate and a verification are counted', async () => {
	const off = await tok('officer');
	const q0 = await srv.api('GET', '/api/v1/registries/persons/quality', { token: off });
	assert.equal(q0.status, 200);
	assertConforms(q0, 'getRegistryQuality');
	assert.ok(q0.body.records >= 2000, `records ${q0.body.records}`);
	assert.ok(q0.body.valid_share > 0.9 && q0.body.valid_share <= 1);
	assert.equal(q0.body.completeness.full_name, 1);
	assert.ok(q0.body.completeness.date_of_death > 0 && q0.body.completeness.date_of_death < 0.5);
	assert.ok(q0.body.duplicates.groups >= 1, 'the seed plants duplicates');
	assert.ok('alive_with_death_record' in q0.body.contradictions);
	/* the same person entered again, spelled without diacritics */
	const orig = person({ name: 'Lương Thị Trùng Lặp', female: true });
	const twin = { ...person({ female: true }), full_name: 'LUONG THI TRUNG LAP' };
	assert.equal((await create(orig)).status, 201);
	assert.equal((await create(twin)).status, 201);
	const v = await srv.api('POST', `${P}/${orig.id}/verify`, { token: off });
	assert.equal(v.status, 200);
	assertConforms(v, 'verifyRegistryRecord');
	assert.ok(v.body.verified_at);
	const q1 = await srv.api('GET', '/api/v1/registries/persons/quality', { token: off });
	assert.equal(q1.body.duplicates.groups, q0.body.duplicates.groups + 1);
	assert.equal(q1.body.freshness.verified_last_30_days, q0.body.freshness.verified_last_30_days + 1);
	const c = await cli(['registry', 'quality', 'persons', '--data', srv.dataDir]);
	assert.equal(c.code, 0, c.stderr);
	const fromCli = JSON.parse(c.stdout);
	assert.equal(fromCli.records, q1.body.records);
	assert.equal(fromCli.duplicates.groups, q1.body.duplicates.groups);
	const b = await srv.api('GET', '/api/v1/registries/businesses/quality', { token: off });
	assert.ok('active_with_deceased_representative' in b.body.contradictions);
	assertProblem(await srv.api('GET', '/api/v1/registries/persons/quality', { token: await tok('citizen') }), 403);
	assertProblem(await srv.api('GET', `${P}/${orig.id}/verify`, { token: off }), 405);
	assertProblem(await srv.api('POST', `${P}/096085000000/verify`, { token: off }), 404);
	const usage = await cli(['registry', 'quality', '--data', srv.dataDir]);
	assert.equal(usage.code, 2);
});

test('an agency creates a specialized registry through the API and uses it', async () => {
	const def = {
		name: 'vehicles',
		title: 'Đăng ký phương tiện',
		title_en: 'Vehicle registrations',
		id_field: 'plate',
		subject_field: 'owner_id',
		personal_fields: ['owner_id'],
		indexed_fields: ['owner_id'],
		search_fields: ['model'],
		schema: {
			type: 'object',
			additionalProperties: false,
			required: ['plate', 'owner_id', 'model'],
			properties: {
				plate: { type: 'string', pattern: '^[0-9]{2}[A-Z]-[0-9]{3}\\.[0-9]{2}$' },
				owner_id: { type: 'string', 'x-ref': 'persons' },
				model: { type: 'string', maxLength: 100 },
				registered_in: { type: 'string', 'x-unit': 'commune' },
			},
		},
	};
	const off = await tok('officer');
	assertProblem(await srv.api('POST', '/api/v1/registries', { token: await tok('citizen'), json: def }), 403);
	assertProblem(await srv.api('POST', '/api/v1/registries', { token: off, json: { ...def, agency: 'UBND-00008' } }), 403);
	const bad = await srv.api('POST', '/api/v1/registries', { token: off, json: { ...def, name: 'Xe!', indexed_fields: ['colour'] } });
	assertProblem(bad, 422);
	assertConforms(bad, 'createRegistry');
	assert.deepEqual(bad.body.errors.map((e) => e.path).sort(), ['$.indexed_fields[0]', '$.name']);
	const r = await srv.api('POST', '/api/v1/registries', { token: off, json: def });
	assert.equal(r.status, 201, r.text);
	assertConforms(r, 'createRegistry');
	assert.equal(r.body.agency, 'UBND-00004');
	assert.equal(r.headers.get('location'), '/api/v1/registries/vehicles');
	assertProblem(await srv.api('POST', '/api/v1/registries', { token: off, json: def }), 409);
	const list = await srv.api('GET', '/api/v1/registries');
	assert.ok(list.body.items.some((d) => d.name === 'vehicles' && d.builtin === false));
	const V = '/api/v1/registries/vehicles/records';
	const car = { plate: '29A-123.45', owner_id: '001090012345', model: 'VinFast VF 8', registered_in: '00004' };
	assertProblem(await srv.api('POST', V, { token: await tok('officer2'), json: { data: car } }), 403, 'other agency');
	const badCar = await srv.api('POST', V, { token: off, json: { data: { ...car, plate: '29A12345', owner_id: '001090099999', registered_in: '01' } } });
	assertProblem(badCar, 422);
	assert.deepEqual(badCar.body.errors.map((e) => e.path).sort(), ['$.data.owner_id', '$.data.plate', '$.data.registered_in']);
	const c = await srv.api('POST', V, { token: off, json: { data: car } });
	assert.equal(c.status, 201, c.text);
	assertProblem(await srv.api('POST', V, { token: off, json: { data: car } }), 409);
	const mine = await srv.api('GET', `${V}/29A-123.45`, { token: await tok('citizen') });
	assert.equal(mine.status, 200);
	assert.equal(mine.body.data.model, 'VinFast VF 8');
	assertProblem(await srv.api('GET', `${V}/29A-123.45`, { token: await tok('citizen2') }), 404);
	assertProblem(await srv.api('GET', `${V}/29A-123.45`), 401);
	const s = await srv.api('GET', `${V}?q=vinfast`, { token: await tok('officer2') });
	assert.deepEqual(s.body.items.map((x) => x.id), ['29A-123.45']);
	const byOwner = await srv.api('GET', `${V}?owner_id=001090012345`, { token: off });
	assert.deepEqual(byOwner.body.items.map((x) => x.id), ['29A-123.45']);
	const qual = await srv.api('GET', '/api/v1/registries/vehicles/quality', { token: off });
	assert.equal(qual.status, 200);
	assertConforms(qual, 'getRegistryQuality');
	assert.equal(qual.body.records, 1);
	assert.equal(qual.body.completeness.registered_in, 1);
	assert.equal(qual.body.contradictions.dangling_owner_id.count, 0);
});

test('bad input: malformed JSON 400, wrong media type 415, oversized record 413, hostile ids 404', async () => {
	const off = await tok('officer');
	const raw = (body, ct = 'application/json') => srv.api('POST', P, { token: off, body, headers: { 'content-type': ct } });
	assertProblem(await raw('{"data": {'), 400);
	assertProblem(await raw('[]'), 400);
	assertProblem(await raw('{"data":{}}', 'text/plain'), 415);
	const big = person({ name: 'x'.repeat(70000) });
	assertProblem(await create(big), 413);
	const wrongTypes = await create({ ...person(), full_name: 42, date_of_birth: '1985-02-30', father_id: ['x'] });
	assertProblem(wrongTypes, 422);
	const wp = wrongTypes.body.errors.map((e) => e.path);
	for (const want of ['$.data.full_name', '$.data.date_of_birth', '$.data.father_id']) assert.ok(wp.includes(want), `${want} in ${wp}`);
	for (const id of ['%27%20OR%201%3D1', 'x'.repeat(300), '..%2F..%2Fetc']) {
		const r = await srv.api('GET', `${P}/${id}`, { token: off });
		assert.ok([400, 404].includes(r.status), `${id}: ${r.status}`);
		assertProblem(r, r.status);
	}
	const q = await srv.api('GET', `${P}?q=${encodeURIComponent('"*) OR NEAR(a b')}`, { token: off });
	assert.equal(q.status, 200);
	const reason = await srv.api('PUT', `${P}/001090012345`, { token: off, json: { data: {}, reason: 'x'.repeat(501) } });
	assertProblem(reason, 422);
});
