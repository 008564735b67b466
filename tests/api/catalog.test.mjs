// catalog.test.mjs - the national procedure catalog: diacritic-folding
// search, filters, cursor pagination, details with channels, time limits
// and components, eForms, versions, admin create/update, and a dossier
// keeping the version it was submitted under.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { submit, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer({ now: '2026-03-02T02:00:00Z' });

const search = (qs) => srv.api('GET', `/api/v1/procedures?${qs}`);
const levelsOf = (p) => (Array.isArray(p.level) ? p.level : Array.isArray(p.levels) ? p.levels : String(p.level ?? '').split(','));

async function all(qs) {
	const items = [];
	let cursor = null;
	for (let i = 0; i < 100; i++) {
		const r = await search(`${qs}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		assert.equal(r.status, 200, r.text);
		items.push(...r.body.items);
		cursor = r.body.next_cursor;
		if (!cursor) return items;
	}
	throw new Error('too many pages');
}

test('"dang ky khai sinh" with or without diacritics, in any case, finds 1.001193 first', async () => {
	for (const q of ['dang ky khai sinh', 'đăng ký khai sinh', 'DANG KY KHAI SINH', 'Đăng Ký Khai Sinh', '  dang   ky  khai sinh ']) {
		const r = await search(`q=${encodeURIComponent(q)}`);
		assert.equal(r.status, 200, r.text);
		assertConforms(r, 'searchProcedures');
		assert.ok(r.body.items.length > 0, `results for ${q}`);
		assert.equal(r.body.items[0].code, '1.001193', `first result for "${q}": ${r.body.items.slice(0, 3).map((x) => `${x.code} ${x.name}`).join(' | ')}`);
	}
	const other = await search(`q=${encodeURIComponent('dang ky ket hon')}`);
	assert.ok(other.body.items.slice(0, 5).some((x) => x.code === '1.000894'), 'marriage registration near the top');
	const none = await search('q=xyzzyplugh');
	assert.equal(none.status, 200);
	assert.deepEqual(none.body.items, []);
	assert.equal(none.body.next_cursor, null);
});

test('search pages chained by cursor never repeat a procedure', async () => {
	const items = await all('q=dang%20ky&limit=7');
	assert.ok(items.length > 20, `many results for "dang ky": ${items.length}`);
	const codes = items.map((x) => x.code);
	assert.equal(new Set(codes).size, codes.length, 'no duplicates across pages');
	const single = await search('q=dang%20ky&limit=100');
	assert.deepEqual(codes.slice(0, single.body.items.length), single.body.items.map((x) => x.code).slice(0, codes.length), 'same order whatever the page size');
});

test('the whole catalog pages through 2,642 procedures without duplicates', async () => {
	const items = await all('limit=100');
	const codes = items.map((x) => x.code);
	assert.equal(new Set(codes).size, codes.length, 'no duplicates');
	assert.equal(codes.length, 2642);
	assert.ok(codes.includes('1.001193') && codes.includes('3.000333') && codes.includes('1.001456'));
});

test('filters: level, agency, online level, field', async () => {
	const commune = await search('q=khai%20sinh&level=commune&limit=50');
	assert.equal(commune.status, 200);
	assert.ok(commune.body.items.some((x) => x.code === '1.001193'));
	const bca = await all('agency=BCA&limit=100');
	assert.ok(bca.length > 50, `BCA procedures: ${bca.length}`);
	assert.ok(!bca.some((x) => x.code === '1.001193'), 'birth registration is not a BCA procedure');
	assert.ok(bca.some((x) => x.code === '1.001456' || x.code === '3.000333' || x.code === '1.000178'), 'police procedures listed');
	const btp = await all('agency=BTP&q=khai%20sinh&limit=100');
	assert.ok(btp.some((x) => x.code === '1.001193'));
	for (const x of btp) assert.equal(x.ministry, 'BTP', `${x.code} owned by BTP`);
	const ward = await all('agency=UBND-00004&q=khai%20sinh&limit=100');
	assert.ok(ward.some((x) => x.code === '1.001193'), 'a commune committee handles commune-level procedures');
	for (const x of ward) assert.ok(levelsOf(x).includes('commune'), `${x.code} at commune level`);
	const ministry = await all('level=ministry&limit=100');
	for (const x of ministry.slice(0, 100)) assert.ok(levelsOf(x).includes('ministry'), `${x.code} level ${JSON.stringify(x.level ?? x.levels)}`);
	for (const lvl of ['full', 'partial', 'none']) {
		const r = await search(`online=${lvl}&limit=20`);
		assert.equal(r.status, 200);
		for (const x of r.body.items) assert.equal(x.online_level, lvl, `${x.code} online_level`);
	}
	const full = await all('online=full&limit=100');
	const partial = await all('online=partial&limit=100');
	const noneL = await all('online=none&limit=100');
	assert.equal(full.length + partial.length + noneL.length, 2642, 'every procedure has one online level');
	for (const bad of ['level=galaxy', 'online=sometimes', 'limit=0', 'limit=x']) assertProblem(await search(bad), 400, bad);
	const field = await search(`field=${encodeURIComponent('Hộ tịch')}&limit=100`);
	assert.equal(field.status, 200);
	assert.ok(field.body.items.length > 0);
	assert.ok(field.body.items.every((x) => /h[oộ] t[iị]ch/i.test(x.field)), 'field filter');
});

test('the detail of 1.001193 has channels with time limits, fees, components and an eForm', async () => {
	const r = await srv.api('GET', '/api/v1/procedures/1.001193');
	assert.equal(r.status, 200);
	assertConforms(r, 'getProcedure');
	const p = r.body;
	assert.match(p.name, /khai sinh/i);
	assert.ok(p.version >= 1);
	assert.ok(p.channels.length >= 1);
	const withLimit = p.channels.filter((c) => c.time_limit && c.time_limit.amount > 0);
	assert.ok(withLimit.length >= 1, `a channel with a time limit: ${JSON.stringify(p.channels)}`);
	for (const c of withLimit) assert.ok(['working_days', 'days', 'hours'].includes(c.time_limit.unit));
	assert.ok(p.channels.some((c) => c.channel === 'online'), 'offered online');
	assert.ok(p.components.length >= 1, 'components');
	const ids = p.components.map((c) => c.id);
	assert.equal(new Set(ids).size, ids.length, 'component ids are unique');
	for (const c of p.components) assert.ok(c.name && c.name.length > 3, `component ${c.id} has a name`);
	assert.ok(levelsOf(p).includes('commune'));

	const f = await srv.api('GET', '/api/v1/procedures/1.001193/form');
	assert.equal(f.status, 200);
	assertConforms(f, 'getProcedureForm');
	assert.equal(f.body.type, 'object');
	assert.ok(Object.keys(f.body.properties || {}).length >= 2, 'the eForm has fields');
	assert.ok(Array.isArray(f.body.required) && f.body.required.length >= 1, 'the eForm requires something');

	assertProblem(await srv.api('GET', '/api/v1/procedures/9.999999'), 404, 'unknown code');
	assertProblem(await srv.api('GET', '/api/v1/procedures/9.999999/form'), 404, 'unknown form');
	assertProblem(await srv.api('GET', '/api/v1/procedures/1.001193?version=99'), 404, 'unknown version');
	assertProblem(await srv.api('GET', '/api/v1/procedures/1.001193?version=abc'), 400, 'bad version');
});

test('most procedures have parsed time limits and components', async () => {
	// Sample 60 procedures across the catalog.
	const items = await all('limit=100');
	const sample = items.filter((_, i) => i % 44 === 0);
	let limits = 0;
	let comps = 0;
	for (const x of sample) {
		const p = (await srv.api('GET', `/api/v1/procedures/${encodeURIComponent(x.code)}`)).body;
		if (p.channels.some((c) => c.time_limit && c.time_limit.amount > 0)) limits++;
		if (p.components.length > 0) comps++;
	}
	assert.ok(limits / sample.length >= 0.9, `time limits parsed for ${limits}/${sample.length}`);
	assert.ok(comps / sample.length >= 0.9, `components parsed for ${comps}/${sample.length}`);
});

test('admin update creates version 2; a dossier submitted before keeps version 1', async () => {
	const citizen = await srv.login('citizen');
	const admin = await srv.login('admin');
	const body = await validSubmission(srv, citizen);
	const before = await submit(srv, citizen, body);
	const v1 = (await srv.api('GET', '/api/v1/procedures/1.001193')).body;
	assert.equal(before.procedure_version, v1.version);

	const doc = structuredClone(v1);
	doc.name = `${v1.name} (sửa đổi 2026)`;
	for (const c of doc.channels) if (c.time_limit) c.time_limit = { amount: 7, unit: 'working_days' };
	const officer = await srv.login('officer');
	assertProblem(await srv.api('PUT', '/api/v1/procedures/1.001193', { token: officer, json: doc }), 403, 'officer updates');
	assertProblem(await srv.api('PUT', '/api/v1/procedures/1.001193', { json: doc }), 401, 'anonymous updates');
	const r = await srv.api('PUT', '/api/v1/procedures/1.001193', { token: admin, json: doc });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'updateProcedure');
	assert.equal(r.body.version, v1.version + 1);
	assert.equal(r.body.name, doc.name);

	const cur = (await srv.api('GET', '/api/v1/procedures/1.001193')).body;
	assert.equal(cur.version, v1.version + 1);
	const old = await srv.api('GET', `/api/v1/procedures/1.001193?version=${v1.version}`);
	assert.equal(old.status, 200);
	assert.equal(old.body.name, v1.name, 'the old version is kept');
	const versions = await srv.api('GET', '/api/v1/procedures/1.001193/versions');
	assert.equal(versions.status, 200);
	assertConforms(versions, 'listProcedureVersions');
	const vs = versions.body.items.map((x) => x.version);
	assert.deepEqual(vs, Array.from({ length: v1.version + 1 }, (_, i) => v1.version + 1 - i), 'every version, newest first');
	assert.equal(versions.body.items[0].current, true);
	assert.equal(versions.body.items[0].created_by, 'admin');

	const still = await srv.api('GET', `/api/v1/dossiers/${before.code}`, { token: citizen });
	assert.equal(still.body.procedure_version, v1.version, 'the earlier dossier keeps its version');
	const after = await submit(srv, citizen, body);
	assert.equal(after.procedure_version, v1.version + 1, 'a new dossier uses the new version');

	// the due date follows the version of each dossier
	const recOld = await srv.api('POST', `/api/v1/dossiers/${before.code}/actions`, { token: officer, json: { action: 'receive' } });
	const recNew = await srv.api('POST', `/api/v1/dossiers/${after.code}/actions`, { token: officer, json: { action: 'receive' } });
	const exp7 = (await srv.api('GET', '/api/v1/calendar/add?from=2026-03-02&days=7')).body.date;
	assert.equal(recNew.body.due_date, exp7, 'new version: 7 working days');
	const oldCh = v1.channels.find((c) => c.channel === 'online' && c.time_limit) || v1.channels.find((c) => c.time_limit);
	if (oldCh && oldCh.time_limit.unit === 'working_days' && oldCh.time_limit.amount !== 7) assert.notEqual(recOld.body.due_date, exp7, 'old version keeps its own time limit');

	// search finds the new name
	const s = await search(`q=${encodeURIComponent('sua doi 2026')}`);
	assert.ok(s.body.items.some((x) => x.code === '1.001193'), 'the index follows the update');
});

test('admin replaces the eForm: validation follows it and lists every failing field', async () => {
	const admin = await srv.login('admin');
	const citizen = await srv.login('citizen');
	const form = {
		type: 'object',
		required: ['ho_ten_tre', 'ngay_sinh', 'noi_sinh'],
		properties: {
			ho_ten_tre: { type: 'string', minLength: 2, maxLength: 100, title: 'Họ tên trẻ' },
			ngay_sinh: { type: 'string', format: 'date', title: 'Ngày sinh' },
			noi_sinh: { type: 'string', maxLength: 200 },
			gioi_tinh: { type: 'string', enum: ['nam', 'nu'] },
		},
	};
	assertProblem(await srv.api('PUT', '/api/v1/procedures/1.001193/form', { token: citizen, json: form }), 403, 'citizen replaces the form');
	const bad = await srv.api('PUT', '/api/v1/procedures/1.001193/form', { token: admin, json: { type: 'object', properties: { x: { type: 'banana' } } } });
	assertProblem(bad, 422, 'not a valid schema');
	const before = (await srv.api('GET', '/api/v1/procedures/1.001193')).body.version;
	const r = await srv.api('PUT', '/api/v1/procedures/1.001193/form', { token: admin, json: form });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'setProcedureForm');
	assert.equal(r.body.version, before + 1, 'a new form is a new version');
	const old = await srv.api('GET', `/api/v1/procedures/1.001193/form?version=${before}`);
	assert.notDeepEqual(old.body, form, 'the previous version keeps its form');
	const got = (await srv.api('GET', '/api/v1/procedures/1.001193/form')).body;
	assert.deepEqual(got.required, form.required);

	const body = await validSubmission(srv, citizen);
	const inv = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, form: { ho_ten_tre: 'A', ngay_sinh: '2026-02-30', gioi_tinh: 'khac' } } });
	assertProblem(inv, 422, 'invalid form');
	const paths = inv.body.errors.map((e) => e.path).sort();
	assert.deepEqual(paths, ['$.form.gioi_tinh', '$.form.ho_ten_tre', '$.form.ngay_sinh', '$.form.noi_sinh'], JSON.stringify(inv.body.errors));
	const ok = await submit(srv, citizen, { ...body, form: { ho_ten_tre: 'Nguyễn Văn An', ngay_sinh: '2026-02-20', noi_sinh: 'Bệnh viện Phụ sản Hà Nội' } });
	assert.equal(ok.status_code, 1);
});

test('admin creates a procedure; it is searchable; duplicates are 409', async () => {
	const admin = await srv.login('admin');
	const doc = {
		code: '9.900001',
		name: 'Thủ tục thử nghiệm cấp giấy xác nhận tình trạng hôn nhân điện tử',
		level: ['commune'],
		field: 'Hộ tịch',
		online_level: 'full',
		ministry: 'BTP',
		channels: [{ channel: 'online', time_limit: { amount: 3, unit: 'working_days' }, fees: [] }],
		components: [{ id: 'c1', name: 'Tờ khai theo mẫu' }],
	};
	assertProblem(await srv.api('POST', '/api/v1/procedures', { json: doc }), 401, 'anonymous');
	const r = await srv.api('POST', '/api/v1/procedures', { token: admin, json: doc });
	assert.equal(r.status, 201, r.text);
	assertConforms(r, 'createProcedure');
	assert.equal(r.body.version, 1);
	assertProblem(await srv.api('POST', '/api/v1/procedures', { token: admin, json: doc }), 409, 'duplicate code');
	const s = await search(`q=${encodeURIComponent('tinh trang hon nhan dien tu thu nghiem')}`);
	assert.equal(s.body.items[0]?.code, '9.900001');
	const form = await srv.api('GET', '/api/v1/procedures/9.900001/form');
	assert.equal(form.status, 200, 'a default eForm is derived');
	const bad = await srv.api('POST', '/api/v1/procedures', { token: admin, json: { code: '9.900002' } });
	assertProblem(bad, 422, 'no name');
	assert.ok(bad.body.errors?.some((e) => e.path.includes('name')), JSON.stringify(bad.body));
});
