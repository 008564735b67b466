// bad-input.test.mjs - malformed JSON, wrong types, unknown references,
// eForm validation listing every failing field, size caps, wrong content
// types, SQL metacharacters and odd Unicode stored literally.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { png, submit, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer({ now: '2026-03-02T02:00:00Z' });
const ROBERT = "Robert'); DROP TABLE dossier;--";
let citizen, admin, body, formSchema;

async function setup() {
	if (citizen) return;
	citizen = await srv.login('citizen');
	admin = await srv.login('admin');
	body = await validSubmission(srv, citizen);
	formSchema = (await srv.api('GET', '/api/v1/procedures/1.001193/form')).body;
}

const raw = (path, text, token, type = 'application/json', headers = {}) =>
	srv.api('POST', path, { token, body: text, headers: { 'content-type': type, ...headers } });

const isString = (s) => s && (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')));

/* Path (array of member names) of a free-text string field of the form,
 * looking into nested objects; null when there is none. */
function textField(schema = formSchema, prefix = []) {
	const props = (schema && schema.properties) || {};
	for (const [k, s] of Object.entries(props)) {
		if (isString(s) && !s.enum && !s.pattern && !s.format && !(s.maxLength < 40)) return [...prefix, k];
	}
	for (const [k, s] of Object.entries(props)) {
		if (s && s.type === 'object') {
			const p = textField(s, [...prefix, k]);
			if (p) return p;
		}
	}
	return null;
}

/* A deep copy of `form` with the member at `path` set to `value`. */
function withField(form, path, value) {
	const copy = structuredClone(form);
	let o = copy;
	for (const k of path.slice(0, -1)) o = o[k] ??= {};
	o[path[path.length - 1]] = value;
	return copy;
}

const getField = (form, path) => path.reduce((o, k) => (o == null ? o : o[k]), form);

test('malformed JSON is 400 on every JSON endpoint', async () => {
	await setup();
	const cases = [
		['/api/v1/auth/login', undefined],
		['/api/v1/dossiers', citizen],
		['/api/v1/dossiers/UBND-00004-260302-0001/actions', citizen],
		['/api/v1/agencies', admin],
		['/api/v1/users', admin],
	];
	for (const [path, token] of cases) {
		for (const text of ['{"procedure": "1.001193",', '{bad json}', '', 'null', '[1,2,3]', '"just a string"', '{"a":1}{"b":2}']) {
			const r = await raw(path, text, token);
			assertProblem(r, 400, `${path} with ${JSON.stringify(text)}`);
		}
	}
	const r = await raw('/api/v1/dossiers', '{"procedure": "1.001193",', citizen);
	assertConforms(r, 'submitDossier');
});

test('invalid UTF-8 and absurd nesting are rejected, and the server lives on', async () => {
	await setup();
	const badUtf8 = Buffer.concat([Buffer.from('{"procedure": "'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
	assertProblem(await raw('/api/v1/dossiers', badUtf8, citizen), 400, 'invalid UTF-8');
	const deep = '['.repeat(100000) + ']'.repeat(100000);
	const r = await raw('/api/v1/dossiers', deep, citizen);
	assert.ok([400, 413].includes(r.status), `100000 nested arrays -> ${r.status}`);
	const deepObj = '{"a":'.repeat(50000) + '1' + '}'.repeat(50000);
	const r2 = await raw('/api/v1/dossiers', deepObj, citizen);
	assert.ok([400, 413, 422].includes(r2.status), `50000 nested objects -> ${r2.status}`);
	assert.equal((await srv.api('GET', '/healthz')).status, 200);
});

test('a JSON endpoint with another content type is 415', async () => {
	await setup();
	const text = JSON.stringify(body);
	for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
		const r = await raw('/api/v1/dossiers', text, citizen, type);
		assertProblem(r, 415, type);
		assertConforms(r, 'submitDossier');
	}
	assertProblem(await srv.api('POST', '/api/v1/auth/login', { body: '{"username":"citizen","password":"citizen-demo-2026"}' }), 415, 'login without content type');
	const ok = await raw('/api/v1/dossiers', text, citizen, 'application/json; charset=utf-8');
	assert.equal(ok.status, 201, `charset parameter is fine: ${ok.text}`);
});

test('wrong member types are 400/422 problems naming the member', async () => {
	await setup();
	const cases = [
		[{ ...body, procedure: 1001193 }, 'procedure'],
		[{ ...body, agency: ['UBND-00004'] }, 'agency'],
		[{ ...body, channel: 2 }, 'channel'],
		[{ ...body, form: 'not an object' }, 'form'],
		[{ ...body, components: { component: 'c1' } }, 'components'],
		[{ ...body, components: [{ component: 1, document: true }] }, 'component'],
	];
	for (const [b, member] of cases) {
		const r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: b });
		assert.ok([400, 422].includes(r.status), `${member}: ${r.status} ${r.text}`);
		assert.match(r.contentType, /^application\/problem\+json/);
		assert.ok(r.text.includes(member), `the problem names ${member}: ${r.text}`);
	}
	const missing = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { form: body.form } });
	assert.ok([400, 422].includes(missing.status), `no procedure -> ${missing.status}`);
	const act = await srv.api('POST', '/api/v1/dossiers/UBND-00004-260302-0001/actions', { token: citizen, json: { action: 42 } });
	assert.ok([400, 422, 404].includes(act.status), `action 42 -> ${act.status}`);
});

test('unknown procedure, agency, channel and documents are 422 with errors by path', async () => {
	await setup();
	const cases = [
		[{ ...body, procedure: '9.999999' }, '$.procedure'],
		[{ ...body, agency: 'UBND-99999' }, '$.agency'],
		[{ ...body, channel: 'carrier_pigeon' }, '$.channel'],
		[{ ...body, components: [{ component: body.components[0]?.component || 'c1', document: '0123456789abcdef0123456789abcdef' }] }, '$.components'],
	];
	for (const [b, path] of cases) {
		const r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: b });
		assertProblem(r, 422, path);
		assertConforms(r, 'submitDossier');
		assert.ok(r.body.errors.some((e) => e.path.startsWith(path)), `${path} in ${JSON.stringify(r.body.errors)}`);
	}
	// another user's document cannot be attached
	const c2 = await srv.login('citizen2');
	const up = await srv.api('POST', '/api/v1/documents', { token: c2, body: png(4, 4, 99), headers: { 'content-type': 'image/png' } });
	assert.equal(up.status, 201);
	if (body.components.length) {
		const r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, components: [{ component: body.components[0].component, document: up.body.id }] } });
		assertProblem(r, 422, 'someone else\'s document');
	}
	// several problems at once are all listed
	const many = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, agency: 'UBND-99999', channel: 'carrier_pigeon', form: {} } });
	assertProblem(many, 422, 'several problems');
	const paths = many.body.errors.map((e) => e.path);
	assert.ok(paths.some((p) => p.startsWith('$.agency')) && paths.some((p) => p.startsWith('$.channel')), `all listed: ${paths}`);
});

test('a document attached to an explanatory note of the procedure is 422', async () => {
	await setup();
	const p = await srv.api('GET', '/api/v1/procedures/1.001193');
	const note = p.body.components.find((c) => c.kind === 'note');
	assert.ok(note, 'birth registration has explanatory notes among its components');
	const doc = body.components[0].document;
	const r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, components: [{ component: note.id, document: doc }] } });
	assertProblem(r, 422, 'note as a component');
	assertConforms(r, 'submitDossier');
	assert.deepEqual(r.body.errors.map((e) => e.path), ['$.components[0].component']);
});

test('an empty form lists every required field of the eForm', async () => {
	await setup();
	const required = formSchema.required || [];
	assert.ok(required.length >= 2, `the eForm of 1.001193 requires fields: ${JSON.stringify(formSchema).slice(0, 300)}`);
	const r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, form: {} } });
	assertProblem(r, 422, 'empty form');
	const paths = r.body.errors.map((e) => e.path);
	for (const f of required) assert.ok(paths.includes(`$.form.${f}`), `$.form.${f} listed in ${paths}`);
	for (const e of r.body.errors) assert.ok(e.message && e.message.length > 0, 'each error has a message');

	// every field with a wrong type is listed too
	const wrong = {};
	for (const [k, s] of Object.entries(formSchema.properties || {})) wrong[k] = s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')) ? 12345 : 'not-the-right-type';
	const r2 = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, form: wrong } });
	assertProblem(r2, 422, 'wrong types');
	const paths2 = r2.body.errors.map((e) => e.path);
	for (const k of Object.keys(formSchema.properties || {})) assert.ok(paths2.some((p) => p === `$.form.${k}` || p.startsWith(`$.form.${k}.`) || p.startsWith(`$.form.${k}[`)), `$.form.${k} listed in ${paths2}`);
});

test('a JSON body over 1 MiB is 413; the server keeps serving', async () => {
	await setup();
	const field = textField() || ['ghi_chu'];
	const big = JSON.stringify({ ...body, form: withField(body.form, field, 'x'.repeat(1100 * 1024)) });
	const r = await raw('/api/v1/dossiers', big, citizen);
	assertProblem(r, 413, 'oversize body');
	assertConforms(r, 'submitDossier');
	let bigger;
	try {
		bigger = await raw('/api/v1/auth/login', `{"username":"${'a'.repeat(5 * 1024 * 1024)}","password":"x"}`, undefined);
	} catch (e) {
		assert.fail(`5 MiB body: the server closed the connection without answering 413 (${e.cause?.code || e.message})`);
	}
	assertProblem(bigger, 413, '5 MiB login');
	assert.equal((await srv.api('GET', '/healthz')).status, 200);
	const tooMany = Array.from({ length: 101 }, () => body.components[0] || { component: 'c1', document: 'x' });
	const r2 = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, components: tooMany } });
	assert.ok([400, 413, 422].includes(r2.status), `101 components -> ${r2.status}`);
	const longKey = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: body, headers: { 'idempotency-key': 'k'.repeat(201) } });
	assert.ok([400, 422].includes(longKey.status), `Idempotency-Key of 201 chars -> ${longKey.status}`);
});

test('SQL metacharacters are stored and returned literally', async () => {
	await setup();
	const field = textField();
	assert.ok(field, `the eForm has a free-text field: ${JSON.stringify(formSchema.properties)}`);
	const d = await submit(srv, citizen, { ...body, form: withField(body.form, field, ROBERT) });
	assert.equal(getField(d.form, field), ROBERT);
	const got = await srv.api('GET', `/api/v1/dossiers/${d.code}`, { token: citizen });
	assert.equal(getField(got.body.form, field), ROBERT);
	const list = await srv.api('GET', '/api/v1/dossiers?limit=100', { token: citizen });
	assert.equal(list.status, 200, 'the dossier table is still there');
	assert.ok(list.body.items.some((x) => x.code === d.code));

	const o = await srv.login('officer');
	const reason = "x' OR '1'='1";
	const r = await srv.api('POST', `/api/v1/dossiers/${d.code}/actions`, { token: o, json: { action: 'refuse', reason } });
	assert.equal(r.status, 200, r.text);
	const h = await srv.api('GET', `/api/v1/dossiers/${d.code}/history`, { token: citizen });
	assert.ok(h.text.includes(JSON.stringify(reason).slice(1, -1)), 'the reason is stored literally');

	for (const q of ["' OR 1=1 --", "%' UNION SELECT * FROM user_account --", 'khai sinh"; DROP TABLE procedure; --', '\\', '%', '_']) {
		const s = await srv.api('GET', `/api/v1/procedures?q=${encodeURIComponent(q)}`);
		assert.equal(s.status, 200, `search ${q}: ${s.text}`);
		assert.ok(Array.isArray(s.body.items));
	}
	assert.equal((await srv.api('GET', '/api/v1/procedures?q=dang%20ky%20khai%20sinh')).body.items[0]?.code, '1.001193', 'the catalog is intact');
	assertProblem(await srv.api('POST', '/api/v1/auth/login', { json: { username: "admin' --", password: 'x' } }), 401, 'SQL in username');
	assertProblem(await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent("x' OR '1'='1")}`, { token: citizen }), 404, 'SQL in path');
	assertProblem(await srv.api('GET', `/api/v1/agencies/${encodeURIComponent("UBND-01' --")}`), 404, 'SQL in agency code');
});

test('Unicode survives: Vietnamese, emoji, RTL, escapes', async () => {
	await setup();
	const field = textField();
	for (const v of ['Nguyễn Thị Ánh Tuyết', 'Đặng Văn Đức 👶🏽', 'שלום مرحبا', 'tab\there "quoted" \\ back', 'ký tự tổ hợp: Nguyễn']) {
		const d = await submit(srv, citizen, { ...body, form: withField(body.form, field, v) });
		const got = await srv.api('GET', `/api/v1/dossiers/${d.code}`, { token: citizen });
		assert.equal(getField(got.body.form, field), v, `round trip of ${JSON.stringify(v)}`);
	}
	const nul = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, form: withField(body.form, field, 'a\u0000b') } });
	assert.ok(nul.status < 500, `NUL inside a string -> ${nul.status}`);
	if (nul.status === 201) {
		const got = await srv.api('GET', `/api/v1/dossiers/${nul.body.code}`, { token: citizen });
		assert.equal(getField(got.body.form, field), 'a\u0000b', 'NUL stored literally or refused, never truncated');
	}
});

test('bad path parameters are 404, not 500', async () => {
	await setup();
	for (const p of ['/api/v1/dossiers/%00', `/api/v1/dossiers/${'A'.repeat(5000)}`, '/api/v1/procedures/..%2F..%2Fetc', '/api/v1/units/%FF%FE']) {
		const r = await srv.api('GET', p, { token: citizen });
		assert.ok([400, 404, 414].includes(r.status), `${p.slice(0, 60)} -> ${r.status}`);
	}
});
