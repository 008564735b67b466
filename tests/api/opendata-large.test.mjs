// opendata-large.test.mjs - a resource larger than 2 GiB goes through the
// resumable upload: the bytes are generated on the fly (nothing is kept in
// the repository or in memory), the first PATCH is cut off mid-stream by
// closing the socket, the client asks where the server stands and resumes
// from there; the stored file is checked against its table schema, its
// SHA-256 and row count match, and a Range at the end comes back intact.
// Size: MOTCUA_TEST_LARGE_BYTES (default 2 GiB + 1 MiB). Runs in the SQLite
// pass of the suite only: the bytes go to files, never to the database, so
// the PostgreSQL pass would repeat the same minutes for nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { BACKEND, useServer } from './lib/server.mjs';

const srv = useServer();

const HEADER = Buffer.from('id,label\n');
const LINE = 'x'.repeat(54);
/* 1 MiB of 16384 rows of 64 bytes: "0000000001,xxx...\n" style, same bytes
 * every chunk (the id column is an integer) */
const CHUNK = Buffer.alloc(1 << 20);
for (let i = 0; i < 16384; i++) CHUNK.write(`${String(i).padStart(8, '0')},${LINE}\n`, i * 64);
const TOTAL = Number(process.env.MOTCUA_TEST_LARGE_BYTES || 2 ** 31 + 2 ** 20);
const BODY = TOTAL - HEADER.length;
const ROWS = Math.floor(BODY / 64);
const LENGTH = HEADER.length + ROWS * 64;

/* Bytes [from, to) of the generated file, as Buffers of at most 1 MiB. */
function* bytes(from, to) {
	let pos = from;
	while (pos < to) {
		if (pos < HEADER.length) {
			const end = Math.min(HEADER.length, to);
			yield HEADER.subarray(pos, end);
			pos = end;
			continue;
		}
		const off = (pos - HEADER.length) % CHUNK.length;
		const n = Math.min(CHUNK.length - off, to - pos);
		yield CHUNK.subarray(off, off + n);
		pos += n;
	}
}

/* PATCHes [from, to) of the file; with cutAt, destroys the socket after
 * about that many bytes and resolves {cut: true}. */
function patch(path, token, from, to, cutAt) {
	const url = new URL(srv.url + path);
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: url.hostname,
				port: url.port,
				path: url.pathname,
				method: 'PATCH',
				headers: {
					authorization: `Bearer ${token}`,
					'content-type': 'application/offset+octet-stream',
					'upload-offset': String(from),
					'content-length': String(to - from),
				},
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
			},
		);
		req.on('error', (e) => (cutAt ? resolve({ cut: true }) : reject(e)));
		const gen = bytes(from, to);
		let sent = 0;
		const pump = () => {
			for (;;) {
				if (cutAt && sent >= cutAt) {
					req.destroy();
					resolve({ cut: true });
					return;
				}
				const { value, done } = gen.next();
				if (done) {
					req.end();
					return;
				}
				sent += value.length;
				if (!req.write(value)) {
					req.once('drain', pump);
					return;
				}
			}
		};
		pump();
	});
}

test(`a ${(LENGTH / 2 ** 30).toFixed(2)} GiB CSV survives a cut connection and resumes; schema, hash and ranges hold`, { timeout: 900000, skip: BACKEND !== 'sqlite' && 'resource bytes live in files, not in the database: run once, in the SQLite pass' }, async () => {
	const t = await srv.login('officer');
	const schema = { fields: [{ name: 'id', type: 'integer', constraints: { required: true } }, { name: 'label', type: 'string' }] };
	const d = await srv.api('POST', '/api/v1/opendata/datasets', {
		token: t,
		json: {
			name: 'large-file',
			agency: 'UBND-00004',
			title: { vi: 'Tệp lớn', en: 'Large file' },
			description: { vi: 'Kiểm thử tệp trên 2 GB', en: 'More than 2 GB' },
			license: 'CC0-1.0',
			resources: [{ name: 'large.csv', format: 'CSV', schema }],
		},
	});
	assert.equal(d.status, 201, d.text);
	const rid = d.body.resources[0].id;
	const c = await srv.api('POST', `/api/v1/opendata/resources/${rid}/uploads`, { token: t, json: { length: LENGTH } });
	assert.equal(c.status, 201, c.text);
	const up = c.headers.get('location');

	const cut = await patch(up, t, 0, LENGTH, Math.floor(LENGTH / 3));
	assert.equal(cut.cut, true);
	/* the server keeps what arrived before the cut; it records it when the
	 * connection ends, so ask (bounded) until it says more than 0 */
	let offset = 0;
	for (const deadline = Date.now() + 60000; Date.now() < deadline && offset === 0; ) {
		const h = await srv.api('GET', up, { token: t });
		assert.equal(h.status, 200, h.text);
		offset = h.body.offset;
		if (offset === 0) await new Promise((r) => setTimeout(r, 100));
	}
	assert.ok(offset > 0 && offset < LENGTH, `offset ${offset} after the cut`);

	const done = await patch(up, t, offset, LENGTH);
	assert.equal(done.status, 200, done.text);
	const res = JSON.parse(done.text);
	assert.equal(res.size, LENGTH);
	assert.equal(res.rows, ROWS);
	const h = createHash('sha256');
	for (const b of bytes(0, LENGTH)) h.update(b);
	assert.equal(res.sha256, h.digest('hex'));

	const tail = await srv.api('GET', `/api/v1/opendata/resources/${rid}/download`, { headers: { range: `bytes=${LENGTH - 128}-`, 'accept-encoding': 'identity' } });
	assert.equal(tail.status, 206);
	assert.ok(tail.bytes.equals(Buffer.concat([...bytes(LENGTH - 128, LENGTH)])));
	assert.equal(tail.headers.get('content-range'), `bytes ${LENGTH - 128}-${LENGTH - 1}/${LENGTH}`);
});
