// hostile-input.test.mjs - adversarial input on every route, found by
// fuzzing the sanitizer build: malformed and absurd JSON, wrong member
// types everywhere, bogus cursors and limits, FTS/SQL metacharacters,
// impossible dates and calendar caps, hostile path parameters, malformed
// Authorization and Idempotency-Key headers, bad uploads, racing actions.
// Each answer must be a problem+json document with a 4xx status and a
// failed request must change nothing (no history event, no audit entry).
//
// The tests at the end are regressions for defects found while fuzzing
// (the comment above each one says what was wrong).
// Everything is deterministic (no randomness) and bounded in size and time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ocrIdle, png, pdf } from './lib/fixtures.mjs';
import { assertConforms, validate } from './lib/openapi.mjs';
import { Server, useServer } from './lib/server.mjs';

const NOW = '2026-03-02T02:00:00Z';
const srv = useServer({ now: NOW });
const PROC = 'HX.0001'; /* a small procedure of our own: 5 working days, one optional text field */
let admin, citizen, citizen2, officer;

const b64 = (s) => Buffer.from(s).toString('base64url');
const enc = encodeURIComponent;

/* Asserts a problem+json answer whose status is one of `statuses` and whose
 * "status" member equals the HTTP status. */
function problem(r, statuses, msg = '') {
	const list = Array.isArray(statuses) ? statuses : [statuses];
	assert.ok(list.includes(r.status), `${msg}: expected ${list.join('/')}, got ${r.status}: ${r.text.slice(0, 300)}`);
	assert.match(r.contentType, /^application\/problem\+json/i, `${msg}: content type ${r.contentType} (${r.text.slice(0, 120)})`);
	const errs = validate(r.body, { $ref: '#/components/schemas/Problem' });
	assert.deepEqual(errs, [], `${msg}: not a problem document: ${errs.join('; ')}`);
	assert.equal(r.body.status, r.status, `${msg}: problem "status" member`);
}

/* Procedure PROC: level commune (UBND-00004 handles it), online, `limit`
 * working days, eForm {note: string}. Returns the create answer. */
async function makeProcedure(s, token, code, limit = 5) {
	const c = await s.api('POST', '/api/v1/procedures', {
		token,
		json: {
			code,
			name: `Thủ tục thử nghiệm ${code}`,
			level: ['commune'],
			channels: [{ channel: 'online', time_limit: { amount: limit, unit: 'working_days' } }],
		},
	});
	if (c.status !== 201) return c;
	const f = await s.api('PUT', `/api/v1/procedures/${code}/form`, {
		token,
		json: { type: 'object', properties: { note: { type: 'string', maxLength: 200 } } },
	});
	assert.equal(f.status, 200, `form of ${code}: ${f.text}`);
	return c;
}

async function setup() {
	if (admin) return;
	admin = await srv.login('admin');
	citizen = await srv.login('citizen');
	citizen2 = await srv.login('citizen2');
	officer = await srv.login('officer');
	const c = await makeProcedure(srv, admin, PROC);
	assert.equal(c.status, 201, `procedure ${PROC}: ${c.text}`);
}

async function submit(s = srv, token = citizen, procedure = PROC) {
	const r = await s.api('POST', '/api/v1/dossiers', {
		token,
		json: { procedure, agency: 'UBND-00004', channel: 'online', form: { note: 'hồ sơ thử' } },
	});
	assert.equal(r.status, 201, `submit: ${r.text}`);
	return r.body.code;
}

const act = (code, token, body, s = srv) => s.api('POST', `/api/v1/dossiers/${enc(code)}/actions`, { token, json: body });

async function actOk(code, token, body, s = srv) {
	const r = await act(code, token, body, s);
	assert.equal(r.status, 200, `${body.action} on ${code}: ${r.text}`);
	return r.body;
}

/* Newest audit sequence number: a failed request must not move it. */
async function auditTop(s = srv, token = admin) {
	/* the background OCR of earlier uploads appends its own entries */
	if (s.dataDir) await ocrIdle(s.dataDir);
	const r = await s.api('GET', '/api/v1/audit?limit=1', { token });
	assert.equal(r.status, 200, r.text);
	return r.body.items[0]?.seq ?? 0;
}

async function historyOf(code, s = srv, token = admin) {
	const r = await s.api('GET', `/api/v1/dossiers/${enc(code)}/history`, { token });
	assert.equal(r.status, 200, r.text);
	return r.body.items;
}

const rawJson = (method, path, text, token) =>
	srv.api(method, path, { token, body: text, headers: { 'content-type': 'application/json' } });

test('malformed and absurd JSON bodies are 400 problems on every JSON route, and change nothing', async () => {
	await setup();
	const code = await submit();
	const routes = [
		['POST', '/api/v1/auth/login', undefined],
		['POST', '/api/v1/users', admin],
		['PUT', '/api/v1/users/citizen2', admin],
		['POST', '/api/v1/agencies', admin],
		['PUT', '/api/v1/agencies/UBND-00008', admin],
		['PUT', '/api/v1/calendar/days/2026-05-05', admin],
		['POST', '/api/v1/procedures', admin],
		['PUT', `/api/v1/procedures/${PROC}`, admin],
		['PUT', `/api/v1/procedures/${PROC}/form`, admin],
		['POST', '/api/v1/dossiers', citizen],
		['POST', `/api/v1/dossiers/${code}/actions`, officer],
	];
	const bodies = [
		'['.repeat(100000) + ']'.repeat(100000),
		'{"a":'.repeat(30000) + '1' + '}'.repeat(30000),
		'{"action":"receive","action":"refuse"}',
		'{"a":NaN}',
		'{"a":Infinity}',
		'{"a":1e99999}',
		'{"a":123456789012345678901234567890}',
		'{"a":"\\ud800"}',
		'{"a":"\\u0000"}',
		'{"\\u0000":1}',
		Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('"}')]),
		Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]),
		'/* comment */ {}',
		'{} trailing',
		'{}\u0000',
		'{"a":1,}',
	];
	const before = await auditTop();
	const events = (await historyOf(code)).length;
	for (const [method, path, token] of routes) {
		for (const text of bodies) problem(await rawJson(method, path, text, token), 400, `${method} ${path} ${String(text).slice(0, 30)}`);
	}
	assert.equal(await auditTop(), before, 'no audit entry for a rejected body');
	assert.equal((await historyOf(code)).length, events, 'no history event for a rejected body');
	assert.equal((await srv.api('GET', '/healthz')).status, 200);
});

test('wrong member types at every member are 400/422 problems, and change nothing', async () => {
	await setup();
	const S = [true, 12345, [], {}]; /* not a string */
	const B = ['yes', 1, []]; /* not a boolean */
	const A = ['x', {}, 1]; /* not an array */
	const O = ['x', [], 1]; /* not an object */
	const N = ['12', [], {}, true]; /* not a number */
	const code = await submit();
	await actOk(code, officer, { action: 'receive' });
	await actOk(code, officer, { action: 'process' });
	const cases = [
		['POST', '/api/v1/auth/login', undefined, { username: 'citizen', password: 'x' }, { username: S, password: S }],
		['POST', '/api/v1/users', admin, { username: 'hx-user', password: 'a-long-password', role: 'officer', agency: 'UBND-00004' }, { username: S, password: S, role: S, agency: S, person_id: S }],
		['PUT', '/api/v1/users/citizen2', admin, {}, { role: S, agency: S, person_id: S, disabled: B, password: S }],
		['POST', '/api/v1/agencies', admin, { code: 'HX-AG', name: 'Cơ quan thử', name_en: 'Test agency', level: 'commune', unit: '00004' }, { code: S, name: S, name_en: S, level: S, unit: S, parent: S }],
		['PUT', '/api/v1/agencies/UBND-00008', admin, {}, { code: S, name: S, name_en: S, level: S, unit: S, parent: S }],
		['PUT', '/api/v1/calendar/days/2026-05-05', admin, { kind: 'off', reason: 'Nghỉ bù' }, { kind: S, reason: S, reason_en: S }],
		['POST', '/api/v1/procedures', admin, { code: 'HX.0099', name: 'Thủ tục' }, { code: S, name: S, level: A, channels: A, components: A, online_level: S, ministry: S }],
		['PUT', `/api/v1/procedures/${PROC}`, admin, {}, { code: S, name: S, level: A, channels: A, components: A, field: S }],
		['POST', '/api/v1/dossiers', citizen, { procedure: PROC, agency: 'UBND-00004', channel: 'online', form: {} }, { procedure: S, agency: S, channel: S, form: O, components: A }],
		['POST', `/api/v1/dossiers/${code}/actions`, officer, { action: 'transfer', agency: 'UBND-00008', reason: 'chuyển' }, { action: S, agency: S, reason: S, note: S }],
		['POST', `/api/v1/dossiers/${code}/actions`, officer, { action: 'request_payment', amount: 50000, reason: 'lệ phí' }, { amount: N, reason: S }],
		['POST', `/api/v1/dossiers/${code}/actions`, officer, { action: 'finish', result: { so: '1' } }, { result: O, note: S }],
		['POST', `/api/v1/dossiers/${code}/actions`, officer, { action: 'apologize', new_due_date: '2026-06-01', reason: 'trễ' }, { new_due_date: S, reason: S }],
		['POST', `/api/v1/dossiers/${code}/actions`, officer, { action: 'request_supplement', items: [{ field: 'note', note: 'thiếu' }] }, { items: A }],
	];
	const before = await auditTop();
	const events = (await historyOf(code)).length;
	for (const [method, path, token, base, fields] of cases) {
		for (const [member, values] of Object.entries(fields)) {
			for (const v of values) {
				const r = await srv.api(method, path, { token, json: { ...base, [member]: v } });
				problem(r, [400, 422], `${method} ${path} ${member}=${JSON.stringify(v)}`);
			}
		}
	}
	assert.equal(await auditTop(), before, 'no audit entry for a rejected request');
	assert.equal((await historyOf(code)).length, events, 'no history event for a rejected action');
	const d = await srv.api('GET', `/api/v1/dossiers/${code}`, { token: officer });
	assert.equal(d.body.status, 'processing', 'the dossier did not move');
});

test('bogus cursors and limits are 400 problems on every list', async () => {
	await setup();
	const lists = [
		['/api/v1/users', admin],
		['/api/v1/units', undefined],
		['/api/v1/agencies', undefined],
		['/api/v1/procedures', undefined],
		['/api/v1/procedures?q=khai%20sinh', undefined],
		[`/api/v1/procedures/${PROC}/versions`, undefined],
		['/api/v1/dossiers', citizen],
		['/api/v1/dossiers', officer],
		['/api/v1/audit', admin],
	];
	const cursors = [
		'!!!',
		'%00',
		'A'.repeat(2049),
		b64('null'),
		b64('1'),
		b64('[]'),
		b64('"after"'),
		b64('{}'),
		b64('{"after":[1],"before":"1","o":-1,"d":1,"c":2}'),
		b64('{"after":{},"before":1e400,"o":1e400,"d":"2026-02-30","c":null}'),
		b64('{"after":null,"before":-9223372036854775808,"o":100001,"d":"0000-00-00","c":[]}'),
		b64('['.repeat(1500)),
		b64('{"a":'.repeat(1000)),
	];
	const limits = ['0', '-1', '-99999999999999999999', 'abc', '1e3', '0x10', '1.5', '', '%00'];
	for (const [path, token] of lists) {
		const sep = path.includes('?') ? '&' : '?';
		for (const c of cursors) problem(await srv.api('GET', `${path}${sep}cursor=${enc(c)}`, { token }), 400, `${path} cursor ${c.slice(0, 40)}`);
		for (const l of limits) problem(await srv.api('GET', `${path}${sep}limit=${l}`, { token }), 400, `${path} limit=${l}`);
		const huge = await srv.api('GET', `${path}${sep}limit=99999999999999999999`, { token });
		assert.equal(huge.status, 200, `${path}: a huge limit is capped: ${huge.text.slice(0, 200)}`);
		assert.ok(huge.body.items.length <= 100, `${path}: at most 100 items`);
	}
});

test('FTS and SQL metacharacters in search and filters never break the lists', async () => {
	await setup();
	const qs = ['"', '""', '*', 'NEAR(', 'NEAR(a b, 2)', 'a OR b', 'OR', 'AND NOT', '-khai', '^khai', 'khai*', 'name:khai', '{body}:x', '()',
		"' OR 1=1 --", '%', '_', '\\', 'a"b', '中文', '😀', '\u0301', 'đăng ký', 'x'.repeat(200), '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20'];
	for (const q of qs) {
		for (const extra of ['', '&level=commune&online=full', `&field=${enc(q)}`]) {
			const r = await srv.api('GET', `/api/v1/procedures?q=${enc(q)}${extra}`);
			assert.equal(r.status, 200, `q=${q}${extra}: ${r.text.slice(0, 200)}`);
			assert.ok(Array.isArray(r.body.items));
		}
		for (const p of [`/api/v1/units?q=${enc(q)}`, `/api/v1/agencies?q=${enc(q)}`]) {
			const r = await srv.api('GET', p);
			assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 200)}`);
		}
		const a = await srv.api('GET', `/api/v1/audit?object=${enc(q)}&actor=${enc(q)}&action=${enc(q)}`, { token: admin });
		assert.equal(a.status, 200, `audit filters ${q}: ${a.text.slice(0, 200)}`);
	}
	problem(await srv.api('GET', `/api/v1/procedures?q=${'x'.repeat(201)}`), 400, 'q over 200 bytes');
	problem(await srv.api('GET', `/api/v1/procedures?agency=${enc('UBND-01%')}`), 400, 'agency with a wildcard');
	for (const [p, token] of [['/api/v1/dossiers?status=', officer], ['/api/v1/dossiers?late=', officer], ['/api/v1/procedures?level=', undefined], ['/api/v1/procedures?online=', undefined], ['/api/v1/units?level=', undefined], ['/api/v1/users?role=', admin]]) {
		for (const v of ["x' OR '1'='1", '0', '11', '%25', 'TRUE']) problem(await srv.api('GET', p + enc(v), { token }), 400, p + v);
	}
	const first = await srv.api('GET', '/api/v1/procedures?q=dang%20ky%20khai%20sinh');
	assert.equal(first.body.items[0]?.code, '1.001193', 'the catalog and its index are intact');
});

test('impossible dates are 400; the calendar caps are enforced at their edges', async () => {
	await setup();
	for (const d of ['0000-00-00', '9999-12-31', '2026-02-30', '2025-02-29', '1899-12-31', '2200-01-01', '2026-13-01', '20260101', '2026-01-01x', '-001-01-01', '2026-1-1']) {
		problem(await srv.api('GET', `/api/v1/calendar?from=${d}`), 400, `calendar from=${d}`);
		problem(await srv.api('GET', `/api/v1/calendar/add?from=${d}&days=1`), 400, `add from=${d}`);
		problem(await srv.api('PUT', `/api/v1/calendar/days/${d}`, { token: admin, json: { kind: 'off', reason: 'x' } }), 400, `PUT day ${d}`);
		problem(await srv.api('DELETE', `/api/v1/calendar/days/${d}`, { token: admin }), 400, `DELETE day ${d}`);
	}
	for (const d of ['0000-00-00', '2026-02-30', '2025-02-29', '2026-13-01', '20260101', '2026-01-01x', '-001-01-01', '2026-1-1']) {
		problem(await srv.api('GET', `/api/v1/dossiers?due_before=${d}`, { token: officer }), 400, `due_before=${d}`);
	}
	for (const days of ['-1', '1001', '1e3', '99999999999', 'x', '']) problem(await srv.api('GET', `/api/v1/calendar/add?from=2026-03-02&days=${days}`), 400, `days=${days}`);
	problem(await srv.api('GET', '/api/v1/calendar/add?from=2199-12-31&days=1'), 400, 'past the last supported day');
	problem(await srv.api('GET', '/api/v1/calendar/add?from=2199-06-01&days=1000'), 400, '1000 working days from mid 2199');
	problem(await srv.api('GET', '/api/v1/calendar?from=2024-01-01&to=2025-01-01'), 400, '367 days');
	problem(await srv.api('GET', '/api/v1/calendar?from=2026-03-02&to=2026-03-01'), 400, 'to before from');
	for (const q of ['from=1900-01-01&to=1900-12-31', 'from=2199-01-01&to=2199-12-31', 'from=2199-12-31', 'from=2024-01-01&to=2024-12-31']) {
		const r = await srv.api('GET', `/api/v1/calendar?${q}`);
		assert.equal(r.status, 200, `${q}: ${r.text.slice(0, 200)}`);
		assertConforms(r, 'listNonWorkingDays');
	}
	const add = await srv.api('GET', '/api/v1/calendar/add?from=1900-01-01&days=1000');
	assert.equal(add.status, 200, add.text);
	assertConforms(add, 'addWorkingDays');
});

test('hostile path parameters are 400/404 problems on every route with a parameter', async () => {
	await setup();
	const segs = ['%FF%FE', '%C0%AF', '%ED%A0%80', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', 'A'.repeat(5000), '%25', "x'%20OR%20'1'%3D'1", '*', 'NEAR(', '%E2%80%AE', '-1', '99999999999999999999'];
	const routes = [
		['GET', '/api/v1/users/{}', admin],
		['PUT', '/api/v1/users/{}', admin, { disabled: false }],
		['GET', '/api/v1/units/{}'],
		['GET', '/api/v1/agencies/{}'],
		['PUT', '/api/v1/agencies/{}', admin, { name: 'x' }],
		['PUT', '/api/v1/calendar/days/{}', admin, { kind: 'off', reason: 'x' }],
		['DELETE', '/api/v1/calendar/days/{}', admin],
		['GET', '/api/v1/procedures/{}'],
		['PUT', '/api/v1/procedures/{}', admin, { name: 'x' }],
		['GET', '/api/v1/procedures/{}/form'],
		['PUT', '/api/v1/procedures/{}/form', admin, { type: 'object' }],
		['GET', '/api/v1/procedures/{}/versions'],
		['GET', '/api/v1/documents/{}', citizen],
		['GET', '/api/v1/documents/{}/content', citizen],
		['GET', '/api/v1/dossiers/{}', citizen],
		['GET', '/api/v1/dossiers/{}/history', citizen],
		['POST', '/api/v1/dossiers/{}/actions', officer, { action: 'receive' }],
	];
	const before = await auditTop();
	for (const [method, pattern, token, json] of routes) {
		for (const s of segs) {
			const path = pattern.replace('{}', s);
			problem(await srv.api(method, path, { token, json }), [400, 404], `${method} ${path.slice(0, 70)}`);
		}
	}
	assert.equal(await auditTop(), before, 'nothing was written');
});

test('malformed Authorization headers are 401 problems', async () => {
	await setup();
	const values = ['Basic Y2l0aXplbjpjaXRpemVuLWRlbW8tMjAyNg==', 'Bearer', 'Bearer ' + 'A'.repeat(129), 'Bearer ' + 'A'.repeat(20000), `Bearer\t${citizen}`, `Bearer ${citizen} extra`, `Token ${citizen}`, 'Bearer \u00ff\u00fe', `${citizen}`, 'Bearer ../../etc/passwd'];
	for (const v of values) {
		for (const path of ['/api/v1/auth/me', '/api/v1/dossiers']) {
			const r = await srv.api('GET', path, { headers: { authorization: v } });
			problem(r, 401, `${path} Authorization: ${v.slice(0, 30)}`);
		}
	}
	const ok = await srv.api('GET', '/api/v1/auth/me', { headers: { authorization: `bearer ${citizen}` } });
	assert.equal(ok.status, 200, 'the scheme is case-insensitive');
});

test('Idempotency-Key edge cases are 400 and create nothing; racing replays give one dossier', async () => {
	await setup();
	const body = { procedure: PROC, agency: 'UBND-00004', channel: 'online', form: { note: 'khóa' } };
	const mine = async () => (await srv.api('GET', '/api/v1/dossiers?limit=100', { token: citizen2 })).body.items.length;
	const before = await mine();
	const top = await auditTop();
	for (const key of ['', 'k'.repeat(201), 'k'.repeat(10240), 'khóa-\u00e9', 'a b', '\u00ff\u00fe', '\t']) {
		const r = await srv.api('POST', '/api/v1/dossiers', { token: citizen2, json: body, headers: { 'idempotency-key': key } });
		problem(r, 400, `Idempotency-Key ${JSON.stringify(key.slice(0, 20))}`);
	}
	assert.equal(await mine(), before, 'no dossier was created');
	assert.equal(await auditTop(), top, 'no audit entry');
	const rs = await Promise.all(Array.from({ length: 12 }, () => srv.api('POST', '/api/v1/dossiers', { token: citizen2, json: body, headers: { 'idempotency-key': 'hx-race-1' } })));
	for (const r of rs) assert.equal(r.status, 201, r.text);
	assert.equal(new Set(rs.map((r) => r.body.code)).size, 1, 'one dossier for one key');
	const other = await srv.api('POST', '/api/v1/dossiers', { token: citizen2, json: { ...body, form: { note: 'khác' } }, headers: { 'idempotency-key': 'hx-race-1' } });
	problem(other, 422, 'same key, other body');
	assert.equal(await mine(), before + 1);
});

test('uploads: empty, mislabeled, unlabeled and badly named files are refused', async () => {
	await setup();
	const up = (body, type, q = '') => srv.api('POST', `/api/v1/documents${q}`, { token: citizen, body, headers: type === undefined ? {} : { 'content-type': type } });
	const top = await auditTop();
	problem(await up(Buffer.alloc(0), 'image/png'), 422, 'zero bytes');
	problem(await up(Buffer.alloc(0), 'application/pdf'), 422, 'zero bytes pdf');
	problem(await up(png(), 'application/pdf'), 422, 'PNG labeled PDF');
	problem(await up(pdf(), 'image/png'), 422, 'PDF labeled PNG');
	problem(await up(Buffer.from([0x89, 0x50]), 'image/png'), 422, 'truncated magic');
	for (const t of [undefined, '', 'image/gif', 'image/svg+xml', 'text/html', 'application/json', 'multipart/form-data; boundary=x', 'image/pngx', 'image/' + 'p'.repeat(5000)]) {
		problem(await up(png(), t), 415, `content type ${String(t).slice(0, 30)}`);
	}
	for (const q of ['?name=%FF', '?name=%C0%AF', '?name=a%0d%0aX-Injected:%201', '?name=a%09b', `?name=${'n'.repeat(256)}`]) {
		problem(await up(png(), 'image/png', q), 400, `name ${q.slice(0, 40)}`);
	}
	assert.equal(await auditTop(), top, 'no audit entry for a refused upload');
	const ok = await up(png(), 'image/png', `?name=${enc('../../etc/passwd "tệp".png')}`);
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.body.name, '../../etc/passwd "tệp".png', 'the name is stored literally');
	problem(await srv.api('GET', `/api/v1/documents/${ok.body.id}`, { token: citizen2 }), 404, "someone else's document");
});

test('racing conflicting actions: exactly one wins and the history has one event', async () => {
	await setup();
	const code = await submit();
	const before = (await historyOf(code)).length;
	const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => act(code, officer, i % 2 ? { action: 'receive' } : { action: 'refuse', reason: 'thiếu giấy tờ' })));
	const won = rs.filter((r) => r.status === 200);
	assert.equal(won.length, 1, `one winner: ${rs.map((r) => r.status)}`);
	for (const r of rs) if (r.status !== 200) problem(r, 409, 'loser');
	assert.equal((await historyOf(code)).length, before + 1);
});

/* ---- defects found while fuzzing, now fixed: regression tests ---------- */

/* A method the path does not support is a 405 problem (type
 * .../method_not_allowed, status 405 in the body too) with an Allow header. */
test('405 answers are problems saying 405, with Allow', async () => {
	await setup();
	for (const [method, path] of [['DELETE', '/healthz'], ['PATCH', '/api/v1/dossiers'], ['PUT', '/api/v1/units'], ['POST', '/api/v1/audit']]) {
		const r = await srv.api(method, path, { token: admin });
		assert.equal(r.status, 405, `${method} ${path}`);
		assert.ok(r.headers.get('allow'), 'Allow header');
		problem(r, 405, `${method} ${path}`);
	}
});

/* A decoded %00 would end the C string and serve another resource
 * (/units/00004%00xyz as /units/00004): the server leaves %00 undecoded
 * and refuses any path or query holding it with 400. */
test('a %00 in the path or query is refused with 400, never truncated', async () => {
	await setup();
	problem(await srv.api('GET', '/api/v1/units/00004%00xyz'), [400, 404], 'unit code with a NUL');
	const f = await srv.api('GET', '/api/v1/procedures/1.001193%00evil/form');
	assert.ok(f.status >= 400, `/procedures/1.001193%00evil/form must not answer ${f.status} with ${f.text.slice(0, 80)}`);
	problem(f, [400, 404], 'procedure code with a NUL');
	problem(await srv.api('GET', '/api/v1/units?limit=1%00abc'), 400, 'limit with a NUL');
	const up = await srv.api('POST', '/api/v1/documents?name=a%00b.png', { token: citizen, body: png(), headers: { 'content-type': 'image/png' } });
	assert.notEqual(up.body?.name, 'a', 'the name is not silently cut at the NUL');
	problem(up, 400, 'file name with a NUL');
});

/* Time limits the calendar cannot count. calendar_add_working_days counts
 * at most CALENDAR_MAX_WORKING_DAYS (1000) working days, so the catalog
 * refuses a longer limit in working days (catalog_doc_check), on create and
 * on update; 1000 working days are accepted and such a dossier is received
 * with its due date. (A procedure stored otherwise, e.g. imported, is
 * received without a due date: see dossier_service_test.c.) */
test('a procedure of more than 1000 working days is refused with 422; 1000 are received with a due date', async () => {
	await setup();
	const top = await auditTop();
	const c = await makeProcedure(srv, admin, 'HX.1500', 1500);
	problem(c, 422, 'a 1500-working-day procedure');
	assert.ok(c.body.errors.some((e) => e.path === '$.channels[0].time_limit.amount' && /1000 working days/.test(e.message) && e.message_vi), JSON.stringify(c.body.errors));
	problem(await srv.api('GET', '/api/v1/procedures/HX.1500'), 404, 'nothing was created');
	const up = await srv.api('PUT', `/api/v1/procedures/${PROC}`, { token: admin, json: { channels: [{ channel: 'online', time_limit: { amount: 1001, unit: 'working_days' } }] } });
	problem(up, 422, 'an update to 1001 working days');
	assert.equal(await auditTop(), top, 'no audit entry for a refused procedure');
	assert.equal((await makeProcedure(srv, admin, 'HX.1000', 1000)).status, 201);
	const code = await submit(srv, citizen, 'HX.1000');
	const r = await actOk(code, officer, { action: 'receive' });
	assert.match(r.due_date ?? '', /^20(29|30)-\d\d-\d\d$/, `1000 working days after 2026-03-02: ${r.due_date}`);
});

/* An apology date must stay where the calendar can still extend it after a
 * supplement: after the current due date, at most CALENDAR_MAX_SPAN (1830)
 * days later and not after 2199-12-31 (dossier_action_validate); otherwise
 * 422 at $.new_due_date. A calendar failure on supplement never blocks the
 * applicant (the due date is kept). Here a valid apology is followed by a
 * supplement three working days after the request, on a second server
 * whose clock is three days later. */
test('apologize refuses a new due date the calendar cannot count (9999-12-31) with 422; the applicant can still supplement', async () => {
	const s = await Server.create({ now: NOW });
	try {
		await s.start({ now: NOW });
		const a = await s.login('admin');
		const o = await s.login('officer');
		let c = await s.login('citizen');
		assert.equal((await makeProcedure(s, a, PROC)).status, 201);
		const code = await submit(s, c);
		await actOk(code, o, { action: 'receive' }, s);
		await actOk(code, o, { action: 'request_supplement', items: [{ field: 'note', note: 'ghi rõ' }] }, s);
		for (const d of ['9999-12-31', '2200-01-01', '2031-06-01']) {
			const ap = await act(code, o, { action: 'apologize', new_due_date: d, reason: 'xin lỗi vì trễ hẹn' }, s);
			problem(ap, 422, `new_due_date ${d}`);
			assert.deepEqual(ap.body.errors.map((e) => e.path), ['$.new_due_date']);
		}
		const ap = await actOk(code, o, { action: 'apologize', new_due_date: '2026-06-01', reason: 'xin lỗi vì trễ hẹn' }, s);
		assert.equal(ap.due_date, '2026-06-01');
		assert.equal((await s.stop()).code, 0);
		await s.start({ now: '2026-03-05T02:00:00Z' });
		c = await s.login('citizen');
		const sup = await actOk(code, c, { action: 'supplement', form: { note: 'đã bổ sung' } }, s);
		assert.equal(sup.status, 'received');
		assert.equal(sup.due_date, '2026-06-04', 'Monday to Wednesday in supplement (3 working days) are added');
	} finally {
		await s.stop();
		await s.remove();
	}
});

/* glibc's regcomp needs memory quadratic in the copies a counted repetition
 * makes: a{1,3000} about 70 MB, (.{1,200}){1,200} about 80 MB, a{1,32767}
 * about 10 GB. jsonschema_pattern_check (used by catalog_form_check and by
 * the validator) refuses a bound over 255, a product of nested or stacked
 * bounds over 255 and more than 1000 atoms once expanded, and the
 * validator compiles each pattern once per validation. */
test('eForm patterns with large counted repetitions are refused with 422 (no regcomp memory bomb)', async () => {
	await setup();
	assert.equal((await makeProcedure(srv, admin, 'HX.RGX')).status, 201);
	const put = (pattern) => srv.api('PUT', '/api/v1/procedures/HX.RGX/form', { token: admin, json: { type: 'object', properties: { note: { type: 'string', pattern } } } });
	const before = (await srv.api('GET', '/api/v1/procedures/HX.RGX/form')).text;
	for (const pattern of ['a{1,3000}', '(.{1,200}){1,200}', 'a{1,32767}', '(a{16}){16}', '((((((((a+)+)+)+)+)+)+)+)']) {
		const r = await put(pattern);
		problem(r, 422, `pattern ${pattern}`);
		assert.ok(r.body.errors.some((e) => /pattern$/.test(e.path) && e.message && e.message_vi), JSON.stringify(r.body.errors));
	}
	assert.equal((await srv.api('GET', '/api/v1/procedures/HX.RGX/form')).text, before, 'the form did not change');
	assert.equal((await put('^[0-9]{1,255}$')).status, 200, 'a bound of 255 is fine');
});

/* An action body carries only the members its action defines ("action",
 * "note" and the action's own, see the transition table in dossier_rules.c):
 * anything else is refused with 422 listing every unknown member, so that
 * nobody writes facts the server computes (from_agency, timeliness,
 * previous_due_date) or arbitrary JSON into the immutable history; the
 * history keeps only the defined members (dossier_action_details). */
test('unknown members of an action body are refused with 422 listing them, and never reach the history', async () => {
	await setup();
	const code = await submit();
	const events = (await historyOf(code)).length;
	const top = await auditTop();
	const forged = { action: 'receive', from_agency: 'BCA', timeliness: 'late', previous_due_date: '1999-01-01', forged: { x: 1 } };
	const r = await act(code, officer, forged);
	problem(r, 422, 'forged members');
	assert.deepEqual(r.body.errors.map((e) => e.path).sort(), ['$.forged', '$.from_agency', '$.previous_due_date', '$.timeliness']);
	problem(await act(code, officer, { action: 'refuse', reason: 'x', amount: 5 }), 422, 'a member of another action');
	assert.equal((await historyOf(code)).length, events, 'no history event');
	assert.equal(await auditTop(), top, 'no audit entry');
	await actOk(code, officer, { action: 'receive', note: 'đã nhận' });
	const ev = (await historyOf(code)).at(-1);
	assert.equal(ev.action, 'receive');
	assert.deepEqual(Object.keys(ev.details).sort(), ['due_date', 'note'], JSON.stringify(ev.details));
});

/* Public routes treat a stale or unknown token as anonymous (a browser
 * holding an expired token can still read the catalog), answering as
 * docs/openapi.json declares; a route without a body ignores one. */
test('public routes serve a caller with a stale token as anonymous; bodyless routes ignore a body', async () => {
	await setup();
	const h = { authorization: 'Bearer expired-or-unknown-token' };
	const cases = [['/healthz', 'getHealth'], ['/api/v1/units?limit=1', 'listUnits'], ['/api/v1/procedures?q=khai%20sinh', 'searchProcedures'], ['/api/v1/procedures/1.001193', 'getProcedure'], ['/api/v1/calendar/add?from=2026-03-02&days=5', 'addWorkingDays']];
	for (const [path, op] of cases) assertConforms(await srv.api('GET', path, { headers: h }), op);
	const big = await srv.api('POST', '/api/v1/auth/logout', { token: citizen2, body: 'x'.repeat(70 * 1024) });
	assertConforms(big, 'logout');
});

/* URLs longer than the server's cap (8 KiB) get a problem+json 400 from
 * the server itself, not libmicrohttpd's HTML page. */
test('a 40 KiB URL is a problem+json 400', async () => {
	await setup();
	const r = await srv.api('GET', `/api/v1/units/${'A'.repeat(40 * 1024)}`);
	problem(r, 400, '40 KiB path');
});

/* The history is a list like every other: pages of at most 100 events
 * (default 100) in seq order, with limit and an opaque cursor; nothing
 * bounds the number of events (transfer can repeat), and none is lost. */
test('the history is paged by seq with limit and cursor; events after the 1000th are listed', async () => {
	await setup();
	const code = await submit();
	await actOk(code, admin, { action: 'receive' });
	await actOk(code, admin, { action: 'process' });
	for (let i = 0; i < 1000; i++) await actOk(code, admin, { action: 'transfer', agency: i % 2 ? 'UBND-00004' : 'UBND-00008', reason: `chuyển lần ${i + 1}` });
	const events = [];
	let cursor = null;
	let pages = 0;
	do {
		const r = await srv.api('GET', `/api/v1/dossiers/${code}/history${cursor ? `?cursor=${enc(cursor)}` : ''}`, { token: admin });
		assertConforms(r, 'getDossierHistory');
		assert.ok(r.body.items.length <= 100, 'at most 100 events a page');
		events.push(...r.body.items);
		cursor = r.body.next_cursor;
		pages++;
	} while (cursor && pages < 20);
	assert.equal(pages, 11, '1003 events in pages of 100');
	assert.equal(events.length, 1003, 'submit, receive, process and 1000 transfers are all listed');
	assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 1003 }, (_, i) => i + 1), 'in seq order, none twice');
	assert.equal(events.at(-1).note, 'chuyển lần 1000', 'the newest event is there');
	const small = await srv.api('GET', `/api/v1/dossiers/${code}/history?limit=7`, { token: admin });
	assert.deepEqual(small.body.items.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7]);
	const next = await srv.api('GET', `/api/v1/dossiers/${code}/history?limit=2&cursor=${enc(small.body.next_cursor)}`, { token: admin });
	assert.deepEqual(next.body.items.map((e) => e.seq), [8, 9]);
	const huge = await srv.api('GET', `/api/v1/dossiers/${code}/history?limit=99999999999999999999`, { token: admin });
	assert.equal(huge.body.items.length, 100, 'a huge limit is capped');
	for (const c of ['!!!', b64('{}'), b64('{"after":"5"}'), b64('{"after":0}'), b64('{"after":5,"x":1}'), b64('{"d":"2026-01-01","c":"x"}')]) {
		problem(await srv.api('GET', `/api/v1/dossiers/${code}/history?cursor=${enc(c)}`, { token: admin }), 400, `history cursor ${c}`);
	}
	for (const l of ['0', '-1', 'abc', '1.5']) problem(await srv.api('GET', `/api/v1/dossiers/${code}/history?limit=${l}`, { token: admin }), 400, `history limit=${l}`);
});

/* A required text (reason, agency, a supplement item's field...) made only
 * of white space, ASCII or Unicode (no-break, ideographic, zero-width
 * spaces), is empty: 422 at its path (dossier_action_validate). Likewise a
 * procedure's name (catalog_doc_check), which also refuses a level listed
 * twice. */
test('a reason made only of blanks does not satisfy a required reason', async () => {
	await setup();
	const code = await submit();
	for (const reason of [' \t\n ', '\u00a0\u3000\u200b']) {
		const r = await act(code, officer, { action: 'refuse', reason });
		problem(r, 422, `blank reason ${JSON.stringify(reason)}`);
		assert.deepEqual(r.body.errors.map((e) => e.path), ['$.reason']);
	}
	problem(await act(code, officer, { action: 'request_supplement', items: [{ field: '   ' }] }), 422, 'blank field');
	const d = await srv.api('GET', `/api/v1/dossiers/${code}`, { token: officer });
	assert.equal(d.body.status, 'submitted', 'the dossier did not move');
	await actOk(code, officer, { action: 'refuse', reason: '  thiếu giấy tờ  ' });
});

test('a blank procedure name and a level listed twice are refused with 422', async () => {
	await setup();
	const top = await auditTop();
	const create = (json) => srv.api('POST', '/api/v1/procedures', { token: admin, json: { code: 'HX.BLANK', ...json } });
	for (const name of [' ', ' \t\n']) {
		const r = await create({ name });
		problem(r, 422, `name ${JSON.stringify(name)}`);
		assert.deepEqual(r.body.errors.map((e) => e.path), ['$.name']);
	}
	const lv = await create({ name: 'Thủ tục', level: ['commune', 'province', 'commune'] });
	problem(lv, 422, 'duplicate levels');
	assert.deepEqual(lv.body.errors.map((e) => e.path), ['$.level[2]']);
	problem(await srv.api('PUT', `/api/v1/procedures/${PROC}`, { token: admin, json: { name: '  ' } }), 422, 'blank name on update');
	assert.equal(await auditTop(), top, 'nothing was written');
});
