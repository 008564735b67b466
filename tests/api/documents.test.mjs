// documents.test.mjs - attachment upload: SHA-256, media types, magic
// numbers, size cap (server started with --max-upload 65536), visibility.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jpeg, pdf, png, sha256, tiff } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const CAP = 65536;
const srv = useServer({ args: ['--max-upload', String(CAP)] });

const upload = (token, body, type, path = '/api/v1/documents') =>
	srv.api('POST', path, { token, body, headers: type ? { 'content-type': type } : {} });

test('a PNG upload answers 201 with its SHA-256, type and size; the content comes back byte for byte', async () => {
	const t = await srv.login('citizen');
	const file = png(16, 16, 7);
	const r = await upload(t, file, 'image/png', '/api/v1/documents?name=giay-chung-sinh.png');
	assert.equal(r.status, 201, r.text);
	assertConforms(r, 'uploadDocument');
	assert.equal(r.body.sha256, sha256(file));
	assert.equal(r.body.media_type, 'image/png');
	assert.equal(r.body.size, file.length);
	assert.equal(r.body.name, 'giay-chung-sinh.png');
	assert.equal(r.headers.get('location'), `/api/v1/documents/${r.body.id}`);

	const meta = await srv.api('GET', `/api/v1/documents/${r.body.id}`, { token: t });
	assert.equal(meta.status, 200);
	assertConforms(meta, 'getDocument');
	assert.equal(meta.body.sha256, sha256(file));
	const content = await srv.api('GET', `/api/v1/documents/${r.body.id}/content`, { token: t });
	assert.equal(content.status, 200);
	assertConforms(content, 'getDocumentContent');
	assert.match(content.contentType, /^image\/png/);
	assert.ok(content.bytes.equals(file), 'same bytes');
});

test('PDF, JPEG and TIFF are accepted; the same bytes give the same SHA-256', async () => {
	const t = await srv.login('citizen');
	for (const [type, file] of [['application/pdf', pdf()], ['image/jpeg', jpeg()], ['image/tiff', tiff()]]) {
		const r = await upload(t, file, type);
		assert.equal(r.status, 201, `${type}: ${r.text}`);
		assert.equal(r.body.media_type, type);
		assert.equal(r.body.sha256, sha256(file));
	}
	const a = await upload(t, pdf('same'), 'application/pdf');
	const b = await upload(t, pdf('same'), 'application/pdf; charset=binary');
	assert.equal(b.status, 201, `content type with parameters: ${b.text}`);
	assert.equal(a.body.sha256, b.body.sha256);
});

test('wrong or missing content type is 415', async () => {
	const t = await srv.login('citizen');
	for (const type of ['text/plain', 'application/json', 'image/gif', 'application/octet-stream', 'text/html']) {
		const r = await upload(t, png(), type);
		assertProblem(r, 415, type);
		assertConforms(r, 'uploadDocument');
	}
	assertProblem(await upload(t, png(), undefined), 415, 'no content type');
});

test('a body whose magic bytes do not match the declared type is rejected (415/422)', async () => {
	const t = await srv.login('citizen');
	for (const [type, body] of [
		['image/png', Buffer.from('this is not a png at all')],
		['application/pdf', png()],
		['image/jpeg', pdf()],
		['image/tiff', Buffer.from('plain text pretending to be a scan')],
	]) {
		const r = await upload(t, body, type);
		assert.ok([415, 422].includes(r.status), `${type} with wrong magic -> ${r.status} ${r.text}`);
		assert.match(r.contentType, /^application\/problem\+json/);
	}
	const empty = await upload(t, Buffer.alloc(0), 'image/png');
	assert.ok([400, 415, 422].includes(empty.status), `empty body -> ${empty.status}`);
});

test('uploads over the cap are 413; exactly the cap is accepted', async () => {
	const t = await srv.login('citizen');
	const head = png();
	const atCap = Buffer.concat([head, Buffer.alloc(CAP - head.length, 1)]);
	const ok = await upload(t, atCap, 'image/png');
	assert.equal(ok.status, 201, `exactly ${CAP} bytes: ${ok.text}`);
	assert.equal(ok.body.size, CAP);
	const over = Buffer.concat([head, Buffer.alloc(CAP + 1 - head.length, 1)]);
	const r = await upload(t, over, 'image/png');
	assertProblem(r, 413, 'cap + 1');
	assertConforms(r, 'uploadDocument');
	const huge = await upload(t, Buffer.concat([head, Buffer.alloc(3 * CAP, 2)]), 'image/png');
	assertProblem(huge, 413, '4x the cap');
	// the server still works afterwards
	assert.equal((await srv.api('GET', '/healthz')).status, 200);
});

test('documents are visible to their uploader, officers and admins only', async () => {
	const c = await srv.login('citizen');
	const r = await upload(c, png(4, 4, 42), 'image/png');
	const id = r.body.id;
	assertProblem(await upload(undefined, png(), 'image/png'), 401, 'anonymous upload');
	assertProblem(await srv.api('GET', `/api/v1/documents/${id}`), 401, 'anonymous read');
	const c2 = await srv.login('citizen2');
	assertProblem(await srv.api('GET', `/api/v1/documents/${id}`, { token: c2 }), 404, 'another citizen');
	assertProblem(await srv.api('GET', `/api/v1/documents/${id}/content`, { token: c2 }), 404, 'another citizen content');
	const o = await srv.login('officer');
	assert.equal((await srv.api('GET', `/api/v1/documents/${id}`, { token: o })).status, 200);
	const a = await srv.login('admin');
	assert.equal((await srv.api('GET', `/api/v1/documents/${id}/content`, { token: a })).status, 200);
	assertProblem(await srv.api('GET', '/api/v1/documents/0123456789abcdef0123456789abcdef', { token: c }), 404, 'unknown id');
	assertProblem(await srv.api('GET', '/api/v1/documents/..%2f..%2fetc%2fpasswd', { token: a }), 404, 'path traversal id');
});
