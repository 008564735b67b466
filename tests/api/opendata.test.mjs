// opendata.test.mjs - open data: datasets owned by agencies with bilingual
// DCAT-AP metadata, permissions, CSV checked against its table schema,
// versions, streamed downloads (ETag, Range, gzip), resumable uploads, the
// CKAN Action API (envelope, error types, search, writes with API tokens,
// the harvester's and a dump client's call sequences), DCAT-AP catalogs
// validated with the official SHACL shapes, cursor paging, the change feed,
// the programme figure and the generated datasets.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { sha256 } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { dcatViolations, toDataset } from './lib/shacl.mjs';
import { cli, useServer } from './lib/server.mjs';

const srv = useServer();

const SCHEMA = {
	fields: [
		{ name: 'commune', type: 'string', constraints: { required: true } },
		{ name: 'month', type: 'date' },
		{ name: 'received', type: 'integer', constraints: { minimum: 0 } },
		{ name: 'online_share', type: 'number', constraints: { minimum: 0, maximum: 1 } },
	],
};

let seq = 0;
function datasetBody(over = {}) {
	seq++;
	return {
		name: `ba-dinh-dossiers-${seq}`,
		agency: 'UBND-00004',
		title: { vi: `Hồ sơ tiếp nhận tại Ba Đình ${seq}`, en: `Dossiers received in Ba Dinh ${seq}` },
		description: { vi: 'Số hồ sơ theo tháng.', en: 'Dossiers per month.' },
		keywords: { vi: ['hồ sơ', 'thống kê'], en: ['dossiers', 'statistics'] },
		themes: ['GOVE', 'SOCI'],
		license: 'CC-BY-4.0',
		spatial: ['00004'],
		temporal: { start: '2026-01-01', end: '2026-12-31' },
		frequency: 'MONTHLY',
		contact: { name: 'UBND phường Ba Đình', email: 'opendata@badinh.example.vn' },
		resources: [{ name: 'monthly.csv', format: 'CSV', schema: SCHEMA }],
		...over,
	};
}

const CSV_OK = 'commune,month,received,online_share\n00004,2026-01-01,12,0.5\n"00004",2026-02-01,7,"0.25"\n';

async function createDataset(token, over) {
	const r = await srv.api('POST', '/api/v1/opendata/datasets', { token, json: datasetBody(over) });
	assert.equal(r.status, 201, r.text);
	return r.body;
}

async function putContent(token, resource, body, type = 'text/csv') {
	return srv.api('PUT', `/api/v1/opendata/resources/${resource}/content`, {
		token,
		body,
		headers: { 'content-type': type },
	});
}

/* A raw GET that does not decompress (fetch would). */
function rawGet(path, headers = {}) {
	const url = new URL(srv.url + path);
	return new Promise((res, rej) => {
		const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers }, (r) => {
			const chunks = [];
			r.on('data', (c) => chunks.push(c));
			r.on('end', () => res({ status: r.statusCode, headers: r.headers, bytes: Buffer.concat(chunks) }));
			r.on('error', rej);
		});
		req.on('error', rej);
		req.end();
	});
}

const ck = (action, { method = 'GET', query = '', json, headers, token } = {}) =>
	srv.api(method, `/api/3/action/${action}${query ? `?${query}` : ''}`, { json, headers, token });

test('an officer publishes a dataset of their agency; the metadata comes back in Vietnamese and English', async () => {
	const t = await srv.login('officer');
	const r = await srv.api('POST', '/api/v1/opendata/datasets', { token: t, json: datasetBody() });
	assert.equal(r.status, 201, r.text);
	assertConforms(r, 'createOpenDataset');
	assert.equal(r.headers.get('location'), `/api/v1/opendata/datasets/${r.body.name}`);
	assert.equal(r.body.agency, 'UBND-00004');
	assert.ok(r.body.title.vi && r.body.title.en);
	assert.equal(r.body.resources.length, 1);
	assert.equal(r.body.resources[0].version, 0);
	const g = await srv.api('GET', `/api/v1/opendata/datasets/${r.body.name}`);
	assert.equal(g.status, 200);
	assertConforms(g, 'getOpenDataset');
	assert.deepEqual(g.body.keywords, datasetBody().keywords);
	assert.equal(g.body.id, r.body.id);
});

test('bad metadata is 422 with every problem; licences must be open; permissions are enforced', async () => {
	const t = await srv.login('officer');
	const bad = await srv.api('POST', '/api/v1/opendata/datasets', {
		token: t,
		json: datasetBody({
			name: 'Bad Name!',
			license: 'proprietary',
			themes: ['XXXX'],
			frequency: 'SOMETIMES',
			spatial: ['99999'],
			title: { vi: 'chỉ tiếng Việt' },
			resources: [{ name: 'x.csv', format: 'CSV' }],
		}),
	});
	assertProblem(bad, 422);
	assertConforms(bad, 'createOpenDataset');
	const paths = bad.body.errors.map((e) => e.path);
	for (const p of ['$.name', '$.license', '$.themes[0]', '$.frequency', '$.spatial[0]', '$.title.en', '$.resources[0].schema'])
		assert.ok(paths.includes(p), `${p} in ${paths}`);
	for (const lic of ['CC-BY-4.0', 'CC0-1.0', 'ODC-BY-1.0']) {
		const ok = await srv.api('POST', '/api/v1/opendata/datasets', { token: t, json: datasetBody({ license: lic }) });
		assert.equal(ok.status, 201, `${lic}: ${ok.text}`);
	}
	const other = await srv.api('POST', '/api/v1/opendata/datasets', { token: t, json: datasetBody({ agency: 'UBND-00008' }) });
	assertProblem(other, 403, 'other agency');
	const citizen = await srv.login('citizen');
	assertProblem(await srv.api('POST', '/api/v1/opendata/datasets', { token: citizen, json: datasetBody() }), 403, 'citizen');
	assertProblem(await srv.api('POST', '/api/v1/opendata/datasets', { json: datasetBody() }), 401, 'anonymous');
	const mine = await createDataset(t);
	const t2 = await srv.login('officer2');
	assertProblem(await srv.api('PATCH', `/api/v1/opendata/datasets/${mine.name}`, { token: t2, json: { license: 'CC0-1.0' } }), 403, 'officer2 patch');
	const admin = await srv.login('admin');
	const p = await srv.api('PATCH', `/api/v1/opendata/datasets/${mine.name}`, { token: admin, json: { license: 'CC0-1.0' } });
	assert.equal(p.status, 200, p.text);
	assertConforms(p, 'patchOpenDataset');
	assert.equal(p.body.license, 'CC0-1.0');
	assert.equal(p.body.title.en, mine.title.en, 'patch keeps the other members');
	const dup = await srv.api('POST', '/api/v1/opendata/datasets', { token: t, json: datasetBody({ name: mine.name }) });
	assertProblem(dup, 409, 'name taken');
});

test('CSV content is checked against the table schema: errors name the row and the field', async () => {
	const t = await srv.login('officer');
	const d = await createDataset(t);
	const rid = d.resources[0].id;
	const bad = await putContent(t, rid, 'commune,month,received,online_share\n,2026-13-01,-3,2\n00004,2026-01-01,x\n');
	assertProblem(bad, 422);
	assertConforms(bad, 'putOpenResourceContent');
	const errs = bad.body.errors;
	const find = (row, field) => errs.find((e) => e.row === row && e.field === field);
	assert.ok(find(2, 'commune'), 'required commune on row 2');
	assert.ok(find(2, 'month'), 'bad date on row 2');
	assert.ok(find(2, 'received'), 'minimum on row 2');
	assert.ok(find(2, 'online_share'), 'maximum on row 2');
	assert.ok(errs.find((e) => e.row === 3 && /values/.test(e.message)), 'short row 3');
	const header = await putContent(t, rid, 'a,b\n1,2\n');
	assertProblem(header, 422, 'wrong header');
	const none = await srv.api('GET', `/api/v1/opendata/resources/${rid}/download`);
	assertProblem(none, 404, 'nothing stored after refused uploads');
});

test('every update keeps the previous version downloadable; downloads carry ETag, honour If-None-Match, Range and gzip', async () => {
	const t = await srv.login('officer');
	const d = await createDataset(t);
	const rid = d.resources[0].id;
	const v1 = await putContent(t, rid, CSV_OK);
	assert.equal(v1.status, 201, v1.text);
	assertConforms(v1, 'putOpenResourceContent');
	assert.equal(v1.body.version, 1);
	assert.equal(v1.body.rows, 2);
	assert.equal(v1.body.sha256, sha256(Buffer.from(CSV_OK)));
	const csv2 = CSV_OK + '00004,2026-03-01,30,0.9\n';
	const v2 = await putContent(t, rid, csv2);
	assert.equal(v2.status, 201, v2.text);
	assert.equal(v2.body.version, 2);

	const cur = await srv.api('GET', `/api/v1/opendata/resources/${rid}/download`);
	assert.equal(cur.status, 200);
	assertConforms(cur, 'downloadOpenResource');
	assert.equal(cur.text, csv2);
	assert.match(cur.contentType, /^text\/csv/);
	const old = await srv.api('GET', `/api/v1/opendata/resources/${rid}/download?version=1`);
	assert.equal(old.status, 200);
	assert.equal(old.text, CSV_OK, 'version 1 unchanged');
	const info = await srv.api('GET', `/api/v1/opendata/resources/${rid}`);
	assertConforms(info, 'getOpenResource');
	assert.deepEqual(info.body.versions.map((v) => v.version), [2, 1]);

	const identity = await rawGet(`/api/v1/opendata/resources/${rid}/download`);
	assert.equal(identity.bytes.toString('utf8'), csv2);
	const etag = identity.headers.etag;
	assert.equal(etag, `"${sha256(Buffer.from(csv2))}"`);
	const nm = await rawGet(`/api/v1/opendata/resources/${rid}/download`, { 'if-none-match': etag });
	assert.equal(nm.status, 304);
	assert.equal(nm.bytes.length, 0);
	const changed = await rawGet(`/api/v1/opendata/resources/${rid}/download`, { 'if-none-match': '"other"' });
	assert.equal(changed.status, 200);

	const part = await srv.api('GET', `/api/v1/opendata/resources/${rid}/download`, { headers: { range: 'bytes=8-19' } });
	assert.equal(part.status, 206);
	assert.equal(part.text, csv2.slice(8, 20));
	assert.equal(part.headers.get('content-range'), `bytes 8-19/${csv2.length}`);
	const tail = await srv.api('GET', `/api/v1/opendata/resources/${rid}/download`, { headers: { range: 'bytes=-5' } });
	assert.equal(tail.status, 206);
	assert.equal(tail.text, csv2.slice(-5));
	const beyond = await srv.api('GET', `/api/v1/opendata/resources/${rid}/download`, { headers: { range: `bytes=${csv2.length + 10}-` } });
	assert.equal(beyond.status, 416);
	assert.equal(beyond.headers.get('content-range'), `bytes */${csv2.length}`);

	const gz = await rawGet(`/api/v1/opendata/resources/${rid}/download`, { 'accept-encoding': 'gzip, deflate' });
	assert.equal(gz.status, 200);
	assert.equal(gz.headers['content-encoding'], 'gzip');
	assert.equal(gunzipSync(gz.bytes).toString('utf8'), csv2);
	assert.notEqual(gz.headers.etag, etag, 'the gzip variant has its own ETag');
	const plain = await rawGet(`/api/v1/opendata/resources/${rid}/download`, { 'accept-encoding': 'gzip;q=0' });
	assert.equal(plain.headers['content-encoding'], undefined);
	assert.equal(plain.bytes.toString('utf8'), csv2);

	assertProblem(await srv.api('GET', `/api/v1/opendata/resources/${rid}/download?version=9`), 404, 'no version 9');
	assertProblem(await srv.api('GET', `/api/v1/opendata/resources/${rid}/download?version=x`), 400, 'bad version');
	const t2 = await srv.login('officer2');
	assertProblem(await putContent(t2, rid, CSV_OK), 403, 'officer of another agency');
	assertProblem(await putContent(undefined, rid, CSV_OK), 401, 'anonymous');
});

test('a resumable upload survives a broken connection and resumes at the stored offset', async () => {
	const t = await srv.login('officer');
	const d = await createDataset(t, { resources: [{ name: 'data.json', format: 'JSON' }] });
	const rid = d.resources[0].id;
	const content = Buffer.from(JSON.stringify({ rows: Array.from({ length: 5000 }, (_, i) => ({ i, v: `value ${i}` })) }));
	const c = await srv.api('POST', `/api/v1/opendata/resources/${rid}/uploads`, { token: t, json: { length: content.length } });
	assert.equal(c.status, 201, c.text);
	assertConforms(c, 'createOpenUpload');
	const up = c.headers.get('location');
	const cut = 40000;
	const p1 = await srv.api('PATCH', up, { token: t, body: content.subarray(0, cut), headers: { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' } });
	assert.equal(p1.status, 204, p1.text);
	assert.equal(p1.headers.get('upload-offset'), String(cut));
	const wrong = await srv.api('PATCH', up, { token: t, body: content.subarray(cut), headers: { 'upload-offset': '0' } });
	assertProblem(wrong, 409, 'stale offset');
	const head = await srv.api('GET', up, { token: t });
	assert.equal(head.status, 200);
	assertConforms(head, 'getOpenUpload');
	assert.equal(head.body.offset, cut);
	const other = await srv.login('officer2');
	assertProblem(await srv.api('GET', up, { token: other }), 404, "another officer's upload");
	const p2 = await srv.api('PATCH', up, { token: t, body: content.subarray(cut), headers: { 'upload-offset': String(cut) } });
	assert.equal(p2.status, 200, p2.text);
	assertConforms(p2, 'patchOpenUpload');
	assert.equal(p2.body.version, 1);
	assert.equal(p2.body.sha256, sha256(content));
	const dl = await srv.api('GET', `/api/v1/opendata/resources/${rid}/download`);
	assert.ok(dl.bytes.equals(content));
	assertProblem(await srv.api('GET', up, { token: t }), 404, 'finished uploads are gone');
	const tooLong = await srv.api('POST', `/api/v1/opendata/resources/${rid}/uploads`, { token: t, json: { length: 10 } });
	const u2 = tooLong.headers.get('location');
	assertProblem(await srv.api('PATCH', u2, { token: t, body: Buffer.alloc(11), headers: { 'upload-offset': '0' } }), 409, 'past the length');
	assertProblem(await srv.api('POST', `/api/v1/opendata/resources/${rid}/uploads`, { token: t, json: { length: -1 } }), 422, 'negative length');
});

test('CKAN envelope and error types are exactly CKAN\'s', async () => {
	const ok = await ck('status_show');
	assert.equal(ok.status, 200);
	assert.equal(ok.body.success, true);
	assert.match(ok.body.help, /\/api\/3\/action\/help_show\?name=status_show$/);
	assert.ok(ok.body.result.ckan_version);
	const nf = await ck('package_show', { query: 'id=does-not-exist' });
	assert.equal(nf.status, 404);
	assert.equal(nf.body.success, false);
	assert.equal(nf.body.error.__type, 'Not Found Error');
	const unknown = await ck('package_destroy_everything');
	assert.equal(unknown.status, 400);
	assert.equal(unknown.body, 'Bad request - Action name not known: package_destroy_everything');
	const getWrite = await ck('package_create', { query: 'name=x' });
	assert.equal(getWrite.status, 400);
	assert.match(getWrite.body, /^Bad request - JSON Error: Invalid request\. Please use POST method/);
	const anon = await ck('package_create', { method: 'POST', json: { name: 'x' } });
	assert.equal(anon.status, 403);
	assert.equal(anon.body.error.__type, 'Authorization Error');
	assert.match(anon.body.error.message, /^Access denied/);
	const badq = await ck('package_search', { query: `fq=${encodeURIComponent('nosuchfield:1')}` });
	assert.equal(badq.status, 400);
	assert.equal(badq.body.error.__type, 'Search Query Error');
	const alias = await srv.api('GET', '/api/action/license_list');
	assert.equal(alias.status, 200);
	assert.ok(alias.body.result.some((l) => l.id === 'CC-BY-4.0'));
	assert.ok(!alias.body.result.some((l) => /proprietary|notspecified/i.test(l.id)), 'open licences only');
});

test('CKAN writes with an API token in Authorization or X-CKAN-API-Key; validation errors per field', async () => {
	const t = await srv.login('officer');
	const pkg = {
		name: 'ckan-written-dataset',
		title_translated: { vi: 'Bộ dữ liệu ghi qua CKAN', en: 'Dataset written through CKAN' },
		notes_translated: { vi: 'Mô tả', en: 'Description' },
		owner_org: 'ubnd-00004',
		license_id: 'CC-BY-4.0',
		tags: [{ name: 'ckan' }, { name: 'thử nghiệm' }],
		groups: [{ name: 'gove' }],
		extras: [{ key: 'frequency', value: 'ANNUAL' }, { key: 'spatial', value: '00004' }],
		resources: [{ name: 'data.csv', format: 'CSV', schema: JSON.stringify(SCHEMA) }],
	};
	const c = await ck('package_create', { method: 'POST', json: pkg, headers: { authorization: t } });
	assert.equal(c.status, 200, c.text);
	assert.equal(c.body.success, true);
	const p = c.body.result;
	assert.equal(p.name, pkg.name);
	assert.equal(p.owner_org, 'ubnd-00004');
	assert.equal(p.organization.name, 'ubnd-00004');
	assert.deepEqual(p.tags.map((x) => x.name).sort(), ['ckan', 'thử nghiệm']);
	assert.equal(p.groups[0].name, 'gove');
	assert.equal(p.frequency, 'ANNUAL');
	assert.equal(p.num_resources, 1);
	assert.match(p.metadata_modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);

	const dup = await ck('package_create', { method: 'POST', json: pkg, headers: { 'x-ckan-api-key': t } });
	assert.equal(dup.status, 409);
	assert.equal(dup.body.error.__type, 'Validation Error');
	assert.deepEqual(dup.body.error.name, ['That URL is already in use.']);
	const inv = await ck('package_create', { method: 'POST', json: { ...pkg, name: 'other-name', license_id: 'proprietary' }, headers: { authorization: t } });
	assert.equal(inv.status, 409);
	assert.ok(Array.isArray(inv.body.error.license));

	const patch = await ck('package_patch', { method: 'POST', json: { id: p.id, license_id: 'CC0-1.0' }, headers: { authorization: `Bearer ${t}` } });
	assert.equal(patch.status, 200, patch.text);
	assert.equal(patch.body.result.license_id, 'CC0-1.0');
	assert.equal(patch.body.result.title, pkg.title_translated.vi);
	const upd = await ck('package_update', { method: 'POST', json: { ...pkg, id: p.id, notes_translated: { vi: 'Mô tả mới', en: 'New description' } }, headers: { authorization: t } });
	assert.equal(upd.status, 200, upd.text);
	assert.equal(upd.body.result.notes, 'Mô tả mới');
	const rc = await ck('resource_create', { method: 'POST', json: { package_id: pkg.name, name: 'more.json', format: 'JSON' }, headers: { authorization: t } });
	assert.equal(rc.status, 200, rc.text);
	assert.equal(rc.body.result.format, 'JSON');
	const rs = await ck('resource_show', { query: `id=${rc.body.result.id}` });
	assert.equal(rs.body.result.id, rc.body.result.id);
	assert.equal(rs.body.result.package_id, p.id);

	const t2 = await srv.login('officer2');
	const denied = await ck('package_patch', { method: 'POST', json: { id: p.id, license_id: 'CC-BY-4.0' }, headers: { authorization: t2 } });
	assert.equal(denied.status, 403);
	assert.equal(denied.body.error.__type, 'Authorization Error');
	const badTok = await ck('package_patch', { method: 'POST', json: { id: p.id }, headers: { authorization: 'not-a-token' } });
	assert.equal(badTok.status, 403);
});

test('package_update replaces the resource list as CKAN does (removed resources stay downloadable by version); package_patch keeps what it does not send', async () => {
	const t = await srv.login('officer');
	const auth = { authorization: t };
	const pkg = {
		name: 'ckan-resource-list',
		title_translated: { vi: 'Danh sách tài nguyên', en: 'Resource list' },
		notes_translated: { vi: 'Mô tả', en: 'Description' },
		owner_org: 'ubnd-00004',
		license_id: 'CC-BY-4.0',
		resources: [
			{ name: 'keep.csv', format: 'CSV', schema: JSON.stringify(SCHEMA) },
			{ name: 'drop.csv', format: 'CSV', schema: JSON.stringify(SCHEMA) },
		],
	};
	const c = await ck('package_create', { method: 'POST', json: pkg, headers: auth });
	assert.equal(c.status, 200, c.text);
	const [keep, drop] = c.body.result.resources;
	assert.equal(drop.name, 'drop.csv');
	assert.equal((await putContent(t, drop.id, CSV_OK)).status, 201);

	/* package_show -> edit -> package_update without the second resource */
	const shown = (await ck('package_show', { query: `id=${pkg.name}` })).body.result;
	const upd = await ck('package_update', { method: 'POST', json: { ...shown, resources: [shown.resources[0]] }, headers: auth });
	assert.equal(upd.status, 200, upd.text);
	assert.deepEqual(upd.body.result.resources.map((r) => r.id), [keep.id]);
	assert.equal(upd.body.result.num_resources, 1);
	const gone = await ck('resource_show', { query: `id=${drop.id}` });
	assert.equal(gone.status, 404);
	assert.equal(gone.body.error.__type, 'Not Found Error');
	const dl = await srv.api('GET', `/api/v1/opendata/resources/${drop.id}/download?version=1`);
	assert.equal(dl.status, 200);
	assert.equal(dl.text, CSV_OK);
	assert.equal((await srv.api('GET', `/api/v1/opendata/resources/${drop.id}/download?version=2`)).status, 404);
	/* a removed resource takes no new content */
	assert.equal((await putContent(t, drop.id, CSV_OK)).status, 404);

	/* package_patch without resources keeps them and the other fields */
	const patch = await ck('package_patch', { method: 'POST', json: { id: pkg.name, license_id: 'CC0-1.0' }, headers: auth });
	assert.equal(patch.status, 200, patch.text);
	assert.deepEqual(patch.body.result.resources.map((r) => r.id), [keep.id]);
	assert.equal(patch.body.result.notes, 'Mô tả');
	/* package_update without a resources member keeps the resources (CKAN >= 2.10)
	   but drops the fields it does not send */
	const { resources: _r, notes_translated: _n, ...noRes } = shown;
	const upd2 = await ck('package_update', { method: 'POST', json: { ...noRes, notes_translated: { vi: 'Mới', en: 'New' } }, headers: auth });
	assert.equal(upd2.status, 200, upd2.text);
	assert.deepEqual(upd2.body.result.resources.map((r) => r.id), [keep.id]);
	assert.equal(upd2.body.result.license_id, 'CC-BY-4.0');
	/* a new resource without an id is added; the kept one keeps its id */
	const upd3 = await ck('package_update', { method: 'POST', json: { ...noRes, notes_translated: { vi: 'Mới', en: 'New' }, resources: [keep, { name: 'extra.json', format: 'JSON' }] }, headers: auth });
	assert.equal(upd3.status, 200, upd3.text);
	assert.equal(upd3.body.result.resources[0].id, keep.id);
	assert.equal(upd3.body.result.resources[1].name, 'extra.json');
	/* package_patch with resources replaces the list too */
	const patch2 = await ck('package_patch', { method: 'POST', json: { id: pkg.name, resources: [] }, headers: auth });
	assert.equal(patch2.status, 200, patch2.text);
	assert.equal(patch2.body.result.num_resources, 0);
});

test('resource_create takes CKAN\'s multipart upload: fields and the file streamed, checked, versioned; bad bodies and callers refused', async () => {
	const t = await srv.login('officer');
	const ds = await createDataset(t, { name: 'ckan-multipart', resources: [] });
	const form = (fields, file, filename = 'monthly.csv') => {
		const f = new FormData();
		for (const [k, v] of Object.entries(fields)) f.append(k, v);
		if (file !== undefined) f.append('upload', new Blob([file], { type: 'text/csv' }), filename);
		return f;
	};
	const post = (body, headers = { authorization: t }) => srv.api('POST', '/api/3/action/resource_create', { body, headers });
	/* 3 MB of rows, with delimiter-like bytes inside the values */
	const rows = ['commune,month,received,online_share'];
	for (let i = 0, n = 0; n < 3 << 20; i++) {
		rows.push(`"a--b\r\n--x ${i}",2026-01-01,${i},0.5`);
		n += rows.at(-1).length + 1;
	}
	const csv = rows.join('\n') + '\n';
	const ok = await post(form({ package_id: ds.name, schema: JSON.stringify(SCHEMA), description: 'Tải lên qua CKAN' }, csv));
	assert.equal(ok.status, 200, ok.text);
	const r = ok.body.result;
	assert.equal(r.name, 'monthly.csv', 'the name defaults to the file name');
	assert.equal(r.format, 'CSV', 'the format defaults to the extension');
	assert.equal(r.size, Buffer.byteLength(csv));
	assert.equal(r.hash, `sha256:${sha256(csv)}`);
	assert.equal(r.package_id, ds.id);
	const dl = await srv.api('GET', `/api/v1/opendata/resources/${r.id}/download?version=1`);
	assert.equal(dl.status, 200);
	assert.equal(sha256(dl.bytes), sha256(csv));
	const shown = await ck('package_show', { query: `id=${ds.name}` });
	assert.equal(shown.body.result.num_resources, 1);

	/* a row that breaks the schema: 409 and nothing created */
	const bad = await post(form({ package_id: ds.name, name: 'bad.csv', format: 'CSV', schema: JSON.stringify(SCHEMA) }, 'commune,month,received,online_share\n00004,2026-01-01,-3,0.5\n'));
	assert.equal(bad.status, 409, bad.text);
	assert.equal(bad.body.error.__type, 'Validation Error');
	assert.equal((await ck('package_show', { query: `id=${ds.name}` })).body.result.num_resources, 1);
	/* a JSON resource with its file; JSON bodies still work on the same action */
	const js = await post(form({ package_id: ds.name, name: 'data.json' }, '{"a":1}', 'data.json'));
	assert.equal(js.status, 200, js.text);
	assert.equal(js.body.result.format, 'JSON');
	assert.equal(js.body.result.size, 7);
	const plain = await ck('resource_create', { method: 'POST', json: { package_id: ds.name, name: 'empty.json', format: 'JSON' }, headers: { authorization: t } });
	assert.equal(plain.status, 200, plain.text);
	assert.equal((await ck('package_show', { query: `id=${ds.name}` })).body.result.num_resources, 3);

	/* no token, a citizen, another agency: refused (before the file is stored) */
	const anon = await post(form({ package_id: ds.name, name: 'x.json' }, '{}', 'x.json'), {});
	assert.equal(anon.status, 403);
	assert.equal(anon.body.error.__type, 'Authorization Error');
	const citizen = await post(form({ package_id: ds.name, name: 'x.json' }, '{}', 'x.json'), { authorization: await srv.login('citizen') });
	assert.equal(citizen.status, 403);
	const other = await post(form({ package_id: ds.name, name: 'x.json' }, '{}', 'x.json'), { authorization: await srv.login('officer2') });
	assert.equal(other.status, 403);
	assert.equal(other.body.error.__type, 'Authorization Error');
	/* malformed multipart: no closing delimiter; a field over its cap */
	const raw = '--XyZ\r\nContent-Disposition: form-data; name="package_id"\r\n\r\nckan-multipart\r\n--XyZ\r\nContent-Disposition: form-data; name="upload"; filename="a.json"\r\n\r\n{}';
	const cut = await post(raw, { authorization: t, 'content-type': 'multipart/form-data; boundary=XyZ' });
	assert.equal(cut.status, 409, cut.text);
	assert.equal(cut.body.error.__type, 'Validation Error');
	const noBoundary = await post('x', { authorization: t, 'content-type': 'multipart/form-data' });
	assert.equal(noBoundary.status, 409);
	const huge = await post(form({ package_id: ds.name, name: 'h.json', description: 'x'.repeat(300000) }, '{}', 'h.json'));
	assert.equal(huge.status, 413, huge.text);
	assert.equal((await ck('package_show', { query: `id=${ds.name}` })).body.result.num_resources, 3);
});

test('package_search: q, fq on name, title, tags, organization, res_format, license_id and metadata_modified; rows, start, sort, facets', async () => {
	const t = await srv.login('officer');
	const a = await createDataset(t, { name: 'search-alpha', keywords: { vi: ['giáo dục'], en: ['education'] }, license: 'CC0-1.0', resources: [{ name: 'a.json', format: 'JSON' }] });
	await createDataset(t, { name: 'search-beta', title: { vi: 'Chất lượng không khí', en: 'Air quality' } });
	const q = async (params) => {
		const r = await ck('package_search', { query: new URLSearchParams(params).toString() });
		assert.equal(r.status, 200, r.text);
		return r.body.result;
	};
	assert.deepEqual((await q({ fq: 'name:search-alpha' })).results.map((x) => x.name), ['search-alpha']);
	assert.deepEqual((await q({ q: 'khong khi' })).results.map((x) => x.name), ['search-beta'], 'q without diacritics');
	assert.deepEqual((await q({ fq: 'title:"air quality"' })).results.map((x) => x.name), ['search-beta']);
	assert.deepEqual((await q({ fq: 'tags:education' })).results.map((x) => x.name), ['search-alpha']);
	assert.deepEqual((await q({ fq: 'tags:"giáo dục" license_id:CC0-1.0' })).results.map((x) => x.name), ['search-alpha']);
	assert.ok((await q({ fq: 'res_format:JSON' })).results.some((x) => x.name === 'search-alpha'));
	assert.ok(!(await q({ fq: 'res_format:JSON' })).results.some((x) => x.name === 'search-beta'));
	const org = await q({ fq: 'organization:ubnd-00004', rows: '1000' });
	assert.ok(org.count >= 2 && org.results.every((x) => x.owner_org === 'ubnd-00004'));
	assert.equal((await q({ fq: 'organization:ubnd-00008' })).count, 0);
	const since = a.modified.replace('Z', '.000000Z');
	const mod = await q({ fq: `metadata_modified:[${since} TO *]`, rows: '1000' });
	assert.ok(mod.results.some((x) => x.name === 'search-beta'));
	assert.equal((await q({ fq: 'metadata_modified:[2030-01-01T00:00:00Z TO *]' })).count, 0);
	const all = await q({ rows: '1000', sort: 'name asc' });
	const names = all.results.map((x) => x.name);
	assert.deepEqual(names, [...names].sort());
	const paged = await q({ rows: '2', start: '1', sort: 'name asc' });
	assert.deepEqual(paged.results.map((x) => x.name), names.slice(1, 3));
	assert.equal(paged.count, all.count);
	const f = await q({ 'facet.field': '["organization","license_id","tags","res_format"]', rows: '0' });
	assert.equal(f.results.length, 0);
	assert.ok(f.facets.organization['ubnd-00004'] >= 2);
	assert.ok(f.facets.license_id['CC0-1.0'] >= 1);
	assert.ok(f.facets.res_format.CSV >= 1);
	assert.ok(f.search_facets.tags.items.some((i) => i.name === 'education'));
	const badSort = await ck('package_search', { query: 'sort=nonsense%20asc' });
	assert.equal(badSort.status, 400);
	const badRows = await ck('package_search', { query: 'rows=abc' });
	assert.equal(badRows.status, 409);
	assert.equal(badRows.body.error.__type, 'Validation Error');
});

test('package_search q is full text: folded (with or without diacritics), ranked, sort=score desc honoured, fq kept, start paging stable', async () => {
	const t = await srv.login('officer');
	const kw = { vi: ['nông nghiệp'], en: ['agriculture'] };
	/* the phrase opens the title: ranked first */
	await createDataset(t, { name: 'zz-irrigation-first', keywords: kw, title: { vi: 'Thủy lợi nội đồng xã', en: 'Field irrigation' }, description: { vi: 'Kênh mương thủy lợi.', en: 'Canals.' } });
	/* the words only inside the description: after it */
	await createDataset(t, { name: 'aa-canals-second', keywords: kw, title: { vi: 'Kênh mương cấp huyện', en: 'District canals' }, description: { vi: 'Số liệu kênh mương và công trình thủy lợi của huyện.', en: 'Canals and irrigation works.' } });
	await createDataset(t, { name: 'mm-canals-third', keywords: kw, title: { vi: 'Trạm bơm', en: 'Pumping stations' }, description: { vi: 'Trạm bơm phục vụ thủy lợi.', en: 'Pumps for irrigation.' } });
	/* another licence, filtered out by fq */
	await createDataset(t, { name: 'other-licence-irrigation', license: 'CC0-1.0', keywords: kw, title: { vi: 'Thủy lợi phường khác', en: 'Other irrigation' } });
	const q = async (params) => {
		const r = await ck('package_search', { query: new URLSearchParams(params).toString() });
		assert.equal(r.status, 200, r.text);
		return r.body.result;
	};
	const mine = 'organization:ubnd-00004 license_id:CC-BY-4.0';
	const ranked = await q({ q: 'thủy lợi', fq: mine, rows: '100' });
	const names = ranked.results.map((x) => x.name);
	assert.equal(ranked.count, 3);
	assert.equal(names[0], 'zz-irrigation-first', 'the title that opens with the words ranks first');
	assert.deepEqual([...names].sort(), ['aa-canals-second', 'mm-canals-third', 'zz-irrigation-first']);
	assert.ok(!names.includes('other-licence-irrigation'), 'fq still filters');
	/* without diacritics, and upper case: the same hits in the same order */
	assert.deepEqual((await q({ q: 'THUY LOI', fq: mine, rows: '100' })).results.map((x) => x.name), names);
	/* explicit score desc = the default; score asc reverses the rank order */
	assert.deepEqual((await q({ q: 'thuy loi', fq: mine, sort: 'score desc, metadata_modified desc', rows: '100' })).results.map((x) => x.name), names);
	assert.equal((await q({ q: 'thuy loi', fq: mine, sort: 'score asc', rows: '100' })).results.at(-1).name, 'zz-irrigation-first');
	/* another sort key replaces the rank */
	assert.deepEqual((await q({ q: 'thuy loi', fq: mine, sort: 'name asc', rows: '100' })).results.map((x) => x.name), ['aa-canals-second', 'mm-canals-third', 'zz-irrigation-first']);
	/* every word must match */
	assert.deepEqual((await q({ q: 'thuy loi tram bom', fq: mine })).results.map((x) => x.name), ['mm-canals-third']);
	assert.equal((await q({ q: 'thuy loi khongcotu' })).count, 0);
	/* punctuation alone filters nothing */
	assert.equal((await q({ q: '!!', fq: mine })).count, (await q({ fq: mine })).count);
	/* without fq: the other licence's dataset too, counted and faceted */
	const all = await q({ q: 'thuy loi', rows: '100', 'facet.field': '["license_id","tags"]' });
	assert.equal(all.count, 4);
	assert.equal(all.facets.license_id['CC-BY-4.0'], 3);
	assert.equal(all.facets.license_id['CC0-1.0'], 1);
	assert.equal(all.facets.tags.agriculture, 4);
	/* start paging: pages of one concatenate to the full ranked list */
	const pages = [];
	for (let i = 0; i < 4; i++) {
		const p = await q({ q: 'thuy loi', rows: '1', start: String(i) });
		assert.equal(p.count, 4);
		pages.push(...p.results.map((x) => x.name));
	}
	assert.deepEqual(pages, all.results.map((x) => x.name));
	assert.equal((await q({ q: 'thuy loi', rows: '1', start: '4' })).results.length, 0);
	/* an update is searchable at once; the old words are gone */
	const up = await ck('package_patch', { method: 'POST', json: { id: 'mm-canals-third', title_translated: { vi: 'Trạm bơm nước sạch', en: 'Water pumps' }, notes_translated: { vi: 'Nước sạch.', en: 'Clean water.' } }, headers: { authorization: t } });
	assert.equal(up.status, 200, up.text);
	assert.equal((await q({ q: 'thuy loi', fq: mine })).count, 2);
	assert.deepEqual((await q({ q: 'nuoc sach' })).results.map((x) => x.name), ['mm-canals-third']);
});

test('the CKAN harvester\'s call sequence: paging by id asc, then an incremental metadata_modified filter, then organization_show', async () => {
	const t = await srv.login('officer');
	for (let i = 0; i < 23; i++) await createDataset(t, { name: `harvest-${String(i).padStart(2, '0')}` });
	/* gather: package_search rows=100... here rows=10 to page */
	const gather = async (fq) => {
		const params = { rows: '10', start: '0', sort: 'id asc' };
		if (fq) params.fq = fq;
		const ids = [];
		let previous = null;
		for (;;) {
			const r = await srv.api('GET', `/api/3/action/package_search?${new URLSearchParams(params)}`);
			assert.equal(r.status, 200);
			assert.notEqual(r.text, previous, 'paging moves');
			previous = r.text;
			const page = r.body.result.results;
			if (page.length === 0) break;
			for (const p of page) ids.push(p.id);
			params.start = String(Number(params.start) + Number(params.rows));
		}
		return ids;
	};
	const ids = await gather();
	assert.deepEqual(ids, [...ids].sort(), 'ordered by id');
	assert.equal(new Set(ids).size, ids.length, 'no duplicates');
	const count = (await ck('package_search', { query: 'rows=0' })).body.result.count;
	assert.equal(ids.length, count, 'every dataset gathered');
	/* the next run asks only for what changed since the last gather */
	const mark = new Date(Date.now() - 1000).toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1000');
	const before = (await srv.api('GET', '/api/v1/opendata/datasets/harvest-05')).body;
	await srv.api('PATCH', '/api/v1/opendata/datasets/harvest-05', { token: t, json: { keywords: { vi: ['cập nhật'], en: ['updated'] } } });
	const since = (await srv.api('GET', '/api/v1/opendata/datasets/harvest-05')).body.modified.replace('Z', '');
	assert.ok(since >= before.modified.replace('Z', ''));
	const inc = await gather(`metadata_modified:[${since}.000000Z TO *]`);
	assert.ok(inc.includes(before.id), 'the changed dataset is harvested again');
	assert.ok(inc.length < ids.length, `incremental (${inc.length}) is smaller than the full gather (${ids.length}) - mark ${mark}`);
	/* import: organization_show for each owner_org */
	const shown = await ck('package_show', { query: `id=${before.id}` });
	const org = await ck('organization_show', { query: `id=${shown.body.result.owner_org}` });
	assert.equal(org.status, 200);
	assert.equal(org.body.result.name, 'ubnd-00004');
	assert.equal(org.body.result.is_organization, true);
	assert.ok(org.body.result.package_count >= 23);
	const orgs = await ck('organization_list', { query: 'all_fields=true' });
	assert.ok(orgs.body.result.some((o) => o.name === 'ubnd-00004' && o.package_count >= 23));
	const nf = await ck('organization_show', { query: 'id=no-such-org' });
	assert.equal(nf.status, 404);
	assert.equal(nf.body.error.__type, 'Not Found Error');
});

test('a dump client: package_list, then package_show for each name; group and tag lists', async () => {
	const list = await ck('package_list');
	assert.equal(list.status, 200);
	assert.ok(list.body.result.length >= 3);
	for (const name of list.body.result.slice(0, 30)) {
		const r = await ck('package_show', { method: 'POST', json: { id: name } });
		assert.equal(r.status, 200, `${name}: ${r.text}`);
		assert.equal(r.body.result.name, name);
	}
	const limited = await ck('package_list', { query: 'limit=2&offset=1' });
	assert.deepEqual(limited.body.result, list.body.result.slice(1, 3));
	const groups = await ck('group_list');
	assert.ok(groups.body.result.includes('gove'));
	const g = await ck('group_show', { query: 'id=gove' });
	assert.equal(g.status, 200);
	assert.ok(g.body.result.package_count >= 1);
	assert.equal((await ck('group_show', { query: 'id=nope' })).status, 404);
	const tags = await ck('tag_list');
	assert.ok(tags.body.result.includes('statistics'));
});

test('DCAT-AP: the catalog in Turtle and JSON-LD conforms to the DCAT-AP 3.0.1 SHACL shapes, with typed vocabularies and hydra paging', async () => {
	const t = await srv.login('officer');
	const d = await createDataset(t);
	await putContent(t, d.resources[0].id, CSV_OK);
	const count = (await ck('package_search', { query: 'rows=0' })).body.result.count;
	for (let i = count; i <= 101; i++) await createDataset(t, { name: `paging-${i}` });
	for (const [path, format, type] of [
		['/catalog.ttl', 'turtle', /^text\/turtle/],
		['/catalog.jsonld', 'jsonld', /^application\/ld\+json/],
		['/catalog.ttl?page=2', 'turtle', /^text\/turtle/],
		[`/api/v1/opendata/datasets/${d.name}/dcat.ttl`, 'turtle', /^text\/turtle/],
		[`/api/v1/opendata/datasets/${d.name}/dcat.jsonld`, 'jsonld', /^application\/ld\+json/],
	]) {
		const r = await srv.api('GET', path);
		assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 300)}`);
		assert.match(r.contentType, type);
		const violations = await dcatViolations(r.text, format);
		assert.deepEqual(violations, [], `${path}: ${violations.length} violations`);
		const ds = await toDataset(r.text, format);
		assert.ok(ds.size > 20, `${path}: ${ds.size} triples`);
	}
	const page1 = await srv.api('GET', '/catalog.ttl');
	assert.match(page1.text, /hydra:next <[^>]*\/catalog\.ttl\?page=2>/);
	const datasets1 = page1.text.match(/ a dcat:Dataset \./g).length;
	assert.equal(datasets1, 100, '100 datasets a page');
	const one = await srv.api('GET', `/api/v1/opendata/datasets/${d.name}/dcat.ttl`);
	for (const [iri, cls] of [
		['http://publications.europa.eu/resource/authority/data-theme/GOVE', 'skos:Concept'],
		['http://publications.europa.eu/resource/authority/frequency/MONTHLY', 'dct:Frequency'],
		['http://publications.europa.eu/resource/authority/file-type/CSV', 'dct:MediaTypeOrExtent'],
		['https://creativecommons.org/licenses/by/4.0/', 'dct:LicenseDocument'],
	])
		assert.ok(one.text.includes(`<${iri}> a ${cls} .`), `${iri} typed ${cls}`);
	/* a broken document is caught: the check can fail */
	const broken = one.text.replace(/ a dct:Frequency \./g, ' a skos:Collection .');
	assert.ok((await dcatViolations(broken, 'turtle')).length > 0);
	assertProblem(await srv.api('GET', '/catalog.ttl?page=0'), 400, 'page 0');
	assertProblem(await srv.api('GET', '/api/v1/opendata/datasets/none/dcat.ttl'), 404, 'unknown dataset');
});

test('cursor paging is stable; the change feed lists what changed since a cursor', async () => {
	const seen = [];
	let cursor = '';
	for (let i = 0; i < 100; i++) {
		const r = await srv.api('GET', `/api/v1/opendata/datasets?limit=37${cursor ? `&cursor=${cursor}` : ''}`);
		assert.equal(r.status, 200);
		assertConforms(r, 'listOpenDatasets');
		seen.push(...r.body.items.map((x) => x.id));
		if (!r.body.next_cursor) break;
		cursor = r.body.next_cursor;
	}
	assert.equal(new Set(seen).size, seen.length);
	assert.deepEqual(seen, [...seen].sort());
	const total = (await ck('package_search', { query: 'rows=0' })).body.result.count;
	assert.equal(seen.length, total);

	const first = await srv.api('GET', '/api/v1/opendata/changes?limit=5');
	assertConforms(first, 'listOpenDataChanges');
	assert.equal(first.body.items.length, 5);
	let cur = first.body.cursor;
	for (;;) {
		const r = await srv.api('GET', `/api/v1/opendata/changes?cursor=${cur}`);
		cur = r.body.cursor;
		if (!r.body.more) break;
	}
	const empty = await srv.api('GET', `/api/v1/opendata/changes?cursor=${cur}`);
	assert.deepEqual(empty.body.items, []);
	const t = await srv.login('officer');
	const d = await createDataset(t);
	const after = await srv.api('GET', `/api/v1/opendata/changes?cursor=${cur}`);
	assert.deepEqual(after.body.items.map((c) => [c.name, c.action]), [[d.name, 'created']]);
	assertProblem(await srv.api('GET', '/api/v1/opendata/changes?cursor=zzz'), 400, 'bad cursor');
});

test('the programme figure: share of agencies that published or refreshed open data in the period', async () => {
	const now = new Date();
	const from = new Date(now.getTime() - 86400000).toISOString().slice(0, 10);
	const to = new Date(now.getTime() + 86400000).toISOString().slice(0, 10);
	const r = await srv.api('GET', `/api/v1/opendata/figure?from=${from}&to=${to}`);
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'getOpenDataFigure');
	assert.equal(r.body.publishing, 1, 'only UBND-00004 published (generated datasets do not count)');
	assert.ok(r.body.agencies > 3000);
	assert.equal(r.body.share, r.body.publishing / r.body.agencies);
	const t2 = await srv.login('officer2');
	await srv.api('POST', '/api/v1/opendata/datasets', { token: t2, json: datasetBody({ agency: 'UBND-00008', spatial: ['00008'] }) });
	const r2 = await srv.api('GET', `/api/v1/opendata/figure?from=${from}&to=${to}`);
	assert.equal(r2.body.publishing, 2);
	const past = await srv.api('GET', '/api/v1/opendata/figure?from=2020-01-01&to=2020-02-01');
	assert.equal(past.body.publishing, 0);
	assertProblem(await srv.api('GET', '/api/v1/opendata/figure?from=2026-02-01&to=2026-01-01'), 400, 'reversed period');
});

test('generated datasets: the procedure catalog and satisfaction (monthly rows per agency, small counts suppressed) exist and refresh', async () => {
	const cat = await srv.api('GET', '/api/v1/opendata/datasets/motcua-procedure-catalog');
	assert.equal(cat.status, 200);
	assert.equal(cat.body.generated, true);
	const res = cat.body.resources[0];
	assert.ok(res.rows > 2000, `${res.rows} procedures`);
	const csv = await srv.api('GET', `/api/v1/opendata/resources/${res.id}/download`);
	assert.match(csv.text, /^code,name,level,field,ministry,online_level,version\n/);
	assert.ok(csv.text.includes('"1.001193"'), 'birth registration is listed');
	const sat = await srv.api('GET', '/api/v1/opendata/datasets/motcua-satisfaction-monthly');
	/* the demo has one rating: one row, its counts under 5 left empty */
	assert.equal(sat.body.resources[0].rows, 1);
	assert.ok(sat.body.resources[0].schema.fields.length >= 4);
	const satCsv = await srv.api('GET', `/api/v1/opendata/resources/${sat.body.resources[0].id}/download`);
	assert.match(satCsv.text, /^month,agency,ratings,satisfied,satisfied_share\n\d{4}-\d{2},"UBND-00004",,,\n$/);
	const admin = await srv.login('admin');
	const r = await srv.api('POST', '/api/v1/opendata/refresh', { token: admin });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'refreshOpenData');
	const after = await srv.api('GET', '/api/v1/opendata/datasets/motcua-procedure-catalog');
	assert.equal(after.body.resources[0].version, res.version + 1);
	assert.equal(after.body.resources[0].sha256, res.sha256, 'same content, new version');
	const officer = await srv.login('officer');
	assertProblem(await srv.api('POST', '/api/v1/opendata/refresh', { token: officer }), 403);
});

test('generated dossier statistics match the dossiers, with counts under 5 suppressed; the 766 index is published per province and per agency', async () => {
	const admin = await srv.login('admin');
	/* every dossier, as the admin sees them */
	const all = [];
	let cursor = '';
	for (;;) {
		const r = await srv.api('GET', `/api/v1/dossiers?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
		assert.equal(r.status, 200);
		all.push(...r.body.items);
		if (!r.body.next_cursor) break;
		cursor = r.body.next_cursor;
	}
	assert.ok(all.length > 0, 'the demo has dossiers');
	const ds = await srv.api('GET', '/api/v1/opendata/datasets/motcua-dossier-statistics');
	assert.equal(ds.status, 200);
	assert.deepEqual(ds.body.resources.map((r) => r.name), ['by-procedure.csv', 'by-agency.csv', 'by-commune.csv']);
	const csv = async (r) => (await srv.api('GET', `/api/v1/opendata/resources/${r.id}/download`)).text.trim().split('\n').map((l) => l.split(','));
	const [head, ...rows] = await csv(ds.body.resources[0]);
	assert.deepEqual(head, ['month', 'procedure', 'submitted', 'received', 'online', 'online_share', 'finished', 'on_time', 'late']);
	const expect = new Map();
	for (const d of all) {
		const key = `${d.submitted_at.slice(0, 7)}|${d.procedure}`;
		expect.set(key, (expect.get(key) || 0) + 1);
	}
	assert.equal(rows.length, expect.size, 'one row per month and procedure');
	let suppressed = 0;
	for (const row of rows) {
		const n = expect.get(`${row[0]}|${row[1].replace(/"/g, '')}`);
		assert.ok(n, `row ${row}`);
		if (n < 5) {
			assert.equal(row[2], '', `${row[1]}: ${n} dossiers are suppressed`);
			suppressed++;
		} else {
			assert.equal(row[2], String(n));
		}
		for (const cell of row.slice(2)) assert.ok(cell === '' || cell === '0' || Number(cell) >= 5 || (Number(cell) > 0 && Number(cell) <= 1 && cell.includes('.')), `cell ${cell}`);
	}
	const idx = await srv.api('GET', '/api/v1/opendata/datasets/motcua-766-index');
	assert.equal(idx.status, 200);
	const [ihead, ...irows] = await csv(idx.body.resources[0]);
	assert.deepEqual(ihead.slice(0, 3), ['month', 'province', 'dossiers']);
	const at = ihead.indexOf('index');
	assert.ok(at > 2 && ihead.includes('satisfaction_points'), 'the satisfaction group is in the index');
	assert.ok(irows.length >= 1);
	for (const r of irows) {
		assert.match(r[1], /^\d{2}$/, 'province codes');
		assert.equal(r.length, ihead.length);
		if (r[2] !== '') assert.ok(Number(r[at]) >= 0 && Number(r[at]) <= 100, `index ${r[at]}`);
	}
	/* the same index per agency: dossiers per receiving agency and month,
	 * digitized dossiers per handling agency and month finished; counts
	 * under 5 leave the count and its rates empty */
	assert.equal(idx.body.resources[1].name, 'index-766-agency.csv');
	const [ahead, ...arows] = await csv(idx.body.resources[1]);
	assert.deepEqual(ahead, [...ihead.slice(0, 1), 'agency', ...ihead.slice(2)]);
	const full = await Promise.all(all.map(async (d) => (await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(d.code)}`, { token: admin })).body));
	const submitted = new Map();
	const finished = new Map();
	for (const d of full) {
		const k = `${d.submitted_at.slice(0, 7)}|${d.receiving_agency}`;
		submitted.set(k, (submitted.get(k) || 0) + 1);
		if (d.status_code >= 9 && d.finished_at) {
			const f = `${d.finished_at.slice(0, 7)}|${d.agency}`;
			finished.set(f, (finished.get(f) || 0) + 1);
		}
	}
	const col = (name) => ahead.indexOf(name);
	for (const r of arows) {
		const key = `${r[0]}|${r[1]}`;
		const n = submitted.get(key) || 0;
		assert.equal(r[col('dossiers')], n >= 5 ? String(n) : '', `${key}: ${n} dossiers`);
		if (n < 5) for (const c of ['on_time_rate', 'online_rate', 'online_points']) assert.equal(r[col(c)], '', `${key} ${c} suppressed`);
		const f = finished.get(key) || 0;
		if (f < 5) assert.equal(r[col('digitized_rate')], '', `${key}: ${f} finished, suppressed`);
		else assert.ok(Number(r[col('digitized_rate')]) >= 0 && Number(r[col('digitized_rate')]) <= 1, `${key} digitized_rate`);
	}
	assert.ok(
		[...submitted.keys()].every((k) => arows.some((r) => `${r[0]}|${r[1]}` === k)),
		'a row for every agency and month with dossiers',
	);
	/* the catalog with these datasets still conforms to DCAT-AP */
	const cat = await srv.api('GET', '/api/v1/opendata/datasets/motcua-dossier-statistics/dcat.ttl');
	assert.deepEqual(await dcatViolations(cat.text, 'turtle'), []);
	assert.ok(suppressed >= 0);
});

test('motcua opendata refresh runs from the command line; wrong arguments exit 2', async () => {
	const bad = await cli(['opendata', 'refrsh', '--data', srv.dataDir]);
	assert.equal(bad.code, 2);
	const none = await cli(['opendata', 'refresh']);
	assert.equal(none.code, 2);
	const help = await cli(['opendata', '--help']);
	assert.equal(help.code, 0);
});

test('webhooks: dataset changes are POSTed signed with HMAC-SHA256, and retried with backoff after a failure', async () => {
	const got = [];
	let calls = 0;
	let wake = () => {};
	const receiver = createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			calls++;
			if (calls === 1) {
				res.writeHead(503);
				res.end('busy');
				return;
			}
			got.push({ headers: req.headers, raw: Buffer.concat(chunks) });
			res.end('ok');
			wake();
		});
	});
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	try {
		const url = `http://127.0.0.1:${receiver.address().port}/hook`;
		const admin = await srv.login('admin');
		const officer = await srv.login('officer');
		assertProblem(await srv.api('POST', '/api/v1/opendata/webhooks', { token: officer, json: { url } }), 403, 'officer');
		assertProblem(await srv.api('POST', '/api/v1/opendata/webhooks', { token: admin, json: { url: 'ftp://x' } }), 422, 'bad url');
		const w = await srv.api('POST', '/api/v1/opendata/webhooks', { token: admin, json: { url, agency: 'UBND-00004' } });
		assert.equal(w.status, 201, w.text);
		assertConforms(w, 'createOpenDataWebhook');
		const secret = w.body.secret;
		assert.match(secret, /^[0-9a-f]{64}$/);
		const arrived = new Promise((resolve, reject) => {
			wake = resolve;
			setTimeout(() => reject(new Error(`no delivery after 30 s (${calls} calls)`)), 30000).unref();
		});
		const d = await createDataset(officer);
		await arrived;
		const { headers, raw } = got[0];
		assert.equal(headers['x-motcua-signature'], `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
		const body = JSON.parse(raw.toString('utf8'));
		assert.equal(body.event, 'dataset.changed');
		assert.equal(body.change.name, d.name);
		assert.equal(body.change.action, 'created');
		assert.equal(calls, 2, 'the first attempt failed and was retried');
		/* the server records the result after the receiver answered: poll
		 * (bounded) until it has */
		let mine;
		for (const deadline = Date.now() + 10000; Date.now() < deadline; ) {
			const list = await srv.api('GET', '/api/v1/opendata/webhooks', { token: admin });
			assertConforms(list, 'listOpenDataWebhooks');
			mine = list.body.items.find((x) => x.id === w.body.id);
			if (mine.deliveries.delivered === 1) break;
			await new Promise((r) => setTimeout(r, 50));
		}
		assert.equal(mine.deliveries.delivered, 1);
		assert.equal(mine.recent[0].attempts, 2);
		assert.equal(mine.recent[0].status, 'delivered');
		assert.ok(!('secret' in mine), 'the secret is shown once');
	} finally {
		receiver.close();
	}
});
