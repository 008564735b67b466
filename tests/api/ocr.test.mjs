// ocr.test.mjs - digitization of scans: the test renders Vietnamese text
// with diacritics (pango-view, DejaVu Sans) into a PNG, a PDF and a
// two-page TIFF it writes itself, uploads them as dossier components, waits
// for the background worker and measures the character accuracy (edit
// distance over code points, computed here) against the rendered text:
// at least 90 %. Then the officers' search (scoped to their agency's
// dossiers, with or without diacritics), permissions, bad input (oversized
// and undecodable images fail with a reason), and a job that survives a
// kill -9 right after the upload.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { submit, tiff, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer();
const work = mkdtempSync(join(tmpdir(), 'motcua-ocr-'));
after(() => rmSync(work, { recursive: true, force: true }));

const TEXT1 = [
	'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
	'Độc lập - Tự do - Hạnh phúc',
	'GIẤY KHAI SINH',
	'Họ, chữ đệm, tên: Nguyễn Thị Hồng Nhung',
	'Ngày, tháng, năm sinh: 15 tháng 01 năm 2026',
	'Nơi sinh: Bệnh viện Phụ sản Hà Nội',
	'Quê quán: xã Đông Anh, thành phố Hà Nội',
].join('\n');
const TEXT2 = [
	'TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ',
	'Kính gửi: Công an phường Ba Đình',
	'Họ và tên chủ hộ: Trần Văn Đức',
	'Nơi thường trú: số 12 phố Điện Biên Phủ',
	'Lý do: đăng ký thường trú cho con mới sinh',
].join('\n');

/* Renders text to a file (format from the extension: .png or .pdf). */
function render(text, file) {
	const src = join(work, `${file}.txt`);
	writeFileSync(src, text);
	const out = join(work, file);
	execFileSync('pango-view', ['--font=DejaVu Sans 14', '--dpi=300', '--margin=60', '-q', '-o', out, src]);
	return readFileSync(out);
}

/* Decodes an 8-bit PNG (grey, RGB, grey+alpha, RGBA) into grey pixels. */
function pngToGrey(buf) {
	let off = 8;
	let w = 0;
	let h = 0;
	let ctype = 0;
	const idat = [];
	for (;;) {
		const len = buf.readUInt32BE(off);
		const type = buf.toString('latin1', off + 4, off + 8);
		const data = buf.subarray(off + 8, off + 8 + len);
		if (type === 'IHDR') {
			w = data.readUInt32BE(0);
			h = data.readUInt32BE(4);
			assert.equal(data[8], 8, 'bit depth 8');
			assert.equal(data[12], 0, 'not interlaced');
			ctype = data[9];
		}
		if (type === 'IDAT') idat.push(data);
		off += 12 + len;
		if (type === 'IEND') break;
	}
	const bpp = { 0: 1, 2: 3, 4: 2, 6: 4 }[ctype];
	assert.ok(bpp, `colour type ${ctype}`);
	const raw = inflateSync(Buffer.concat(idat));
	const stride = w * bpp;
	const cur = Buffer.alloc(stride);
	let prev = Buffer.alloc(stride);
	const grey = Buffer.alloc(w * h);
	for (let y = 0; y < h; y++) {
		const f = raw[y * (stride + 1)];
		const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let i = 0; i < stride; i++) {
			const a = i >= bpp ? cur[i - bpp] : 0;
			const b = prev[i];
			const c = i >= bpp ? prev[i - bpp] : 0;
			let v = line[i];
			if (f === 1) v += a;
			else if (f === 2) v += b;
			else if (f === 3) v += (a + b) >> 1;
			else if (f === 4) {
				const p = a + b - c;
				const pa = Math.abs(p - a);
				const pb = Math.abs(p - b);
				const pc = Math.abs(p - c);
				v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			}
			cur[i] = v & 0xff;
		}
		for (let x = 0; x < w; x++) {
			const p = x * bpp;
			let g = bpp >= 3 ? Math.round(0.299 * cur[p] + 0.587 * cur[p + 1] + 0.114 * cur[p + 2]) : cur[p];
			const alpha = bpp === 4 ? cur[p + 3] : bpp === 2 ? cur[p + 1] : 255;
			g = Math.round((g * alpha + 255 * (255 - alpha)) / 255); /* on white */
			grey[y * w + x] = g;
		}
		prev = Buffer.from(cur);
	}
	return { w, h, grey };
}

/* A baseline little-endian TIFF, one uncompressed 8-bit grey strip per
 * page, pages chained through their IFDs. */
function tiffPages(pages) {
	const parts = [Buffer.from([0x49, 0x49, 0x2a, 0x00, 0, 0, 0, 0])];
	let size = 8;
	let prevNext = 4; /* where the offset of the next IFD goes */
	const header = parts[0];
	const patches = [];
	for (const { w, h, grey } of pages) {
		const dataOff = size;
		parts.push(grey);
		size += grey.length;
		if (size % 2) {
			parts.push(Buffer.alloc(1));
			size++;
		}
		const tags = [
			[256, 4, w], [257, 4, h], [258, 3, 8], [259, 3, 1], [262, 3, 1],
			[273, 4, dataOff], [277, 3, 1], [278, 4, h], [279, 4, grey.length],
		];
		const ifd = Buffer.alloc(2 + tags.length * 12 + 4);
		ifd.writeUInt16LE(tags.length, 0);
		tags.forEach(([tag, type, v], i) => {
			const o = 2 + i * 12;
			ifd.writeUInt16LE(tag, o);
			ifd.writeUInt16LE(type, o + 2);
			ifd.writeUInt32LE(1, o + 4);
			if (type === 3) ifd.writeUInt16LE(v, o + 8);
			else ifd.writeUInt32LE(v, o + 8);
		});
		patches.push([prevNext, size]);
		prevNext = size + 2 + tags.length * 12;
		parts.push(ifd);
		size += ifd.length;
	}
	const out = Buffer.concat(parts);
	for (const [at, v] of patches) out.writeUInt32LE(v, at);
	assert.equal(header.length, 8);
	return out;
}

/* Character accuracy: 1 - Levenshtein(code points) / length(expected),
 * after NFC and collapsing whitespace. */
function accuracy(expected, got) {
	const norm = (s) => [...s.normalize('NFC').replace(/\s+/g, ' ').trim()];
	const a = norm(expected);
	const b = norm(got);
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		prev = cur;
	}
	return Math.max(0, 1 - prev[b.length] / a.length);
}

test('the accuracy measure of this test can fail', () => {
	assert.equal(accuracy('Việt Nam', 'Việt Nam'), 1);
	assert.ok(accuracy('Việt Nam', 'Viet Nam') < 0.9, 'missing diacritics count');
	assert.equal(accuracy('abc', ''), 0);
});

async function upload(token, body, type, name) {
	const r = await srv.api('POST', `/api/v1/documents?name=${name}`, { token, body, headers: { 'content-type': type } });
	assert.equal(r.status, 201, r.text);
	return r.body.id;
}

/* Polls the text of a document until its job is done or failed (bounded). */
async function waitText(token, id, timeoutMs = 240000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await srv.api('GET', `/api/v1/documents/${id}/text`, { token });
		assert.equal(r.status, 200, r.text);
		assertConforms(r, 'getDocumentText');
		if (r.body.state === 'done' || r.body.state === 'failed') return r.body;
		assert.ok(Date.now() < deadline, `text of ${id} still ${r.body.state}`);
		await new Promise((res) => setTimeout(res, 200));
	}
}

let citizen, citizen2, officer, officer2, admin, base;
const docs = {};
const dossierOf = {};

async function setup() {
	if (citizen) return;
	citizen = await srv.login('citizen');
	citizen2 = await srv.login('citizen2');
	officer = await srv.login('officer');
	officer2 = await srv.login('officer2');
	admin = await srv.login('admin');
	base = await validSubmission(srv, citizen);
	const png = render(TEXT1, 'birth.png');
	const pdf = render(TEXT2, 'residence.pdf');
	const tif = tiffPages([pngToGrey(png), pngToGrey(render(TEXT2, 'residence.png'))]);
	docs.png = await upload(citizen, png, 'image/png', 'giay-khai-sinh.png');
	docs.pdf = await upload(citizen, pdf, 'application/pdf', 'to-khai.pdf');
	docs.tiff = await upload(citizen, tif, 'image/tiff', 'ho-so.tiff');
	for (const k of ['png', 'pdf', 'tiff']) {
		const components = base.components.map((c) => ({ component: c.component, document: docs[k] }));
		const d = await submit(srv, citizen, { ...base, components });
		dossierOf[k] = d.code;
	}
}

test('a PNG scan is read with at least 90 % character accuracy', async () => {
	await setup();
	const t = await waitText(citizen, docs.png);
	assert.equal(t.state, 'done', t.error);
	assert.equal(t.pages, 1);
	const acc = accuracy(TEXT1, t.text);
	assert.ok(acc >= 0.9, `accuracy ${acc.toFixed(3)}:\n${t.text}`);
});

test('a PDF scan is rendered page by page and read with at least 90 % accuracy', async () => {
	await setup();
	const t = await waitText(citizen, docs.pdf);
	assert.equal(t.state, 'done', t.error);
	assert.equal(t.pages, 1);
	const acc = accuracy(TEXT2, t.text);
	assert.ok(acc >= 0.9, `accuracy ${acc.toFixed(3)}:\n${t.text}`);
});

test('a two-page TIFF gives the text of both pages in order', async () => {
	await setup();
	const t = await waitText(citizen, docs.tiff);
	assert.equal(t.state, 'done', t.error);
	assert.equal(t.pages, 2);
	const acc = accuracy(`${TEXT1}\n${TEXT2}`, t.text);
	assert.ok(acc >= 0.9, `accuracy ${acc.toFixed(3)}:\n${t.text}`);
	assert.ok(t.text.indexOf('KHAI SINH') < t.text.indexOf('CƯ TRÚ'), 'page order');
});

test('officers search the text of their agency\'s dossiers, with or without diacritics', async () => {
	await setup();
	for (const id of Object.values(docs)) await waitText(citizen, id);
	for (const q of ['giấy khai sinh', 'giay khai sinh', 'hong nhung', 'Đông Anh']) {
		const r = await srv.api('GET', `/api/v1/documents?q=${encodeURIComponent(q)}`, { token: officer });
		assert.equal(r.status, 200, r.text);
		assertConforms(r, 'searchDocuments');
		const ids = r.body.items.map((x) => x.document_id);
		assert.ok(ids.includes(docs.png), `${q}: png found (${ids})`);
		assert.ok(ids.includes(docs.tiff), `${q}: tiff found`);
		assert.ok(!ids.includes(docs.pdf), `${q}: the PDF does not contain it`);
		const hit = r.body.items.find((x) => x.document_id === docs.png);
		assert.deepEqual(hit.dossiers, [dossierOf.png]);
		assert.ok(hit.excerpt.length > 0);
	}
	const res = await srv.api('GET', `/api/v1/documents?q=${encodeURIComponent('thuong tru')}`, { token: officer });
	assert.ok(res.body.items.some((x) => x.document_id === docs.pdf), 'the PDF is found by its own words');
	/* another agency's officer sees none of these dossiers */
	const other = await srv.api('GET', `/api/v1/documents?q=${encodeURIComponent('khai sinh')}`, { token: officer2 });
	assert.equal(other.status, 200);
	assert.ok(!other.body.items.some((x) => Object.values(docs).includes(x.document_id)), 'scoped to the agency');
	const all = await srv.api('GET', `/api/v1/documents?q=${encodeURIComponent('khai sinh')}`, { token: admin });
	assert.ok(all.body.items.some((x) => x.document_id === docs.png), 'admins see all');
	/* paging */
	const p1 = await srv.api('GET', `/api/v1/documents?q=${encodeURIComponent('khai sinh')}&limit=1`, { token: officer });
	assert.equal(p1.body.items.length, 1);
	assert.ok(p1.body.next_cursor);
	const p2 = await srv.api('GET', `/api/v1/documents?q=${encodeURIComponent('khai sinh')}&limit=1&cursor=${p1.body.next_cursor}`, { token: officer });
	assert.equal(p2.status, 200, p2.text);
	assert.notEqual(p2.body.items[0].document_id, p1.body.items[0].document_id);
});

test('search and text: permissions and bad input', async () => {
	await setup();
	const s = await srv.api('GET', '/api/v1/documents?q=khai', { token: citizen });
	assertProblem(s, 403, 'citizens do not search');
	assertConforms(s, 'searchDocuments');
	assertProblem(await srv.api('GET', '/api/v1/documents?q=khai'), 401, 'anonymous');
	for (const q of ['', '?q=', '?q=%20%20', `?q=${'a'.repeat(201)}`, '?q=khai&limit=0', '?q=khai&limit=x', '?q=khai&cursor=zzz', '?q=%FF%FE']) {
		const r = await srv.api('GET', `/api/v1/documents${q}`, { token: officer });
		assertProblem(r, 400, `query ${q}`);
		assertConforms(r, 'searchDocuments');
	}
	const mine = await srv.api('GET', `/api/v1/documents/${docs.png}/text`, { token: officer });
	assert.equal(mine.status, 200);
	const stranger = await srv.api('GET', `/api/v1/documents/${docs.png}/text`, { token: citizen2 });
	assertProblem(stranger, 404, 'another citizen');
	assertConforms(stranger, 'getDocumentText');
	assertProblem(await srv.api('GET', `/api/v1/documents/${docs.png}/text`), 401, 'anonymous');
	assertProblem(await srv.api('GET', `/api/v1/documents/${'0'.repeat(32)}/text`, { token: admin }), 404, 'unknown');
});

/* A PNG header announcing w x h pixels, with valid CRCs and an empty IDAT. */
function hugePng(w, h) {
	const chunk = (type, data) => {
		const len = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(td) >>> 0);
		return Buffer.concat([len, td, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8;
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(0)), chunk('IEND', Buffer.alloc(0))]);
}

test('oversized and undecodable scans fail with a reason, nothing crashes', async () => {
	await setup();
	const big = await upload(citizen, hugePng(60000, 60000), 'image/png', 'big.png');
	const t1 = await waitText(citizen, big);
	assert.equal(t1.state, 'failed');
	assert.match(t1.error, /too large/);
	const junk = await upload(citizen, tiff(), 'image/tiff', 'junk.tiff');
	const t2 = await waitText(citizen, junk);
	assert.equal(t2.state, 'failed');
	assert.ok(t2.error.length > 0);
	const health = await srv.api('GET', '/healthz');
	assert.equal(health.status, 200);
});

test('an acknowledged upload keeps its OCR job across kill -9', async () => {
	await setup();
	const png = render('Sổ hộ khẩu số 0123 của hộ ông Lê Văn Tám', 'book.png');
	const id = await upload(citizen, png, 'image/png', 'so-ho-khau.png');
	await srv.kill9();
	await srv.start();
	const token = await srv.login('citizen');
	const t = await waitText(token, id);
	assert.equal(t.state, 'done', t.error);
	assert.ok(accuracy('Sổ hộ khẩu số 0123 của hộ ông Lê Văn Tám', t.text) >= 0.9, t.text);
	citizen = token;
});
