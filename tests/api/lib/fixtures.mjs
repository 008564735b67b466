// fixtures.mjs - files and dossier helpers shared by the API tests: small
// real PNG/PDF/JPEG/TIFF files, a sampler that fills an eForm (JSON Schema)
// with valid values, and submit/act shortcuts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { assertConforms } from './openapi.mjs';
import { sql, tables } from './server.mjs';

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td) >>> 0);
	return Buffer.concat([len, td, crc]);
}

/* A valid w x h RGB PNG whose pixels depend on `seed` (distinct files). */
export function png(w = 4, h = 4, seed = 1) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; /* bit depth */
	ihdr[9] = 2; /* RGB */
	const raw = Buffer.alloc(h * (1 + 3 * w));
	for (let y = 0; y < h; y++) {
		raw[y * (1 + 3 * w)] = 0;
		for (let x = 0; x < 3 * w; x++) raw[y * (1 + 3 * w) + 1 + x] = (x * 31 + y * 17 + seed * 101) & 0xff;
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/* A minimal one-page PDF. */
export function pdf(text = 'motcua test') {
	return Buffer.from(
		`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
			`3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
		'latin1',
	);
}

/* JPEG and TIFF headers followed by filler: enough for magic-number checks. */
export const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])]);
export const tiff = () => Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), Buffer.alloc(64, 3)]);

/* Uploads a PNG as `token`; returns the document id. */
export async function uploadPng(srv, token, seed = 1) {
	const r = await srv.api('POST', '/api/v1/documents', { token, body: png(4, 4, seed), headers: { 'content-type': 'image/png' } });
	assert.equal(r.status, 201, `upload: ${r.text}`);
	assertConforms(r, 'uploadDocument');
	return r.body.id;
}

/* A value satisfying JSON Schema `s` (the subset eForms use). */
export function sample(s, name = 'x') {
	if (!s || typeof s !== 'object') return 'x';
	if (s.const !== undefined) return s.const;
	if (s.enum) return s.enum[0];
	if (s.examples && s.examples.length) return s.examples[0];
	if (s.default !== undefined) return s.default;
	const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
	switch (type) {
		case 'object': {
			const o = {};
			const props = s.properties || {};
			for (const k of s.required || Object.keys(props)) o[k] = sample(props[k], k);
			return o;
		}
		case 'array': {
			const n = Math.max(1, s.minItems || 0);
			return Array.from({ length: n }, () => sample(s.items, name));
		}
		case 'integer':
			return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 1, 1));
		case 'number':
			return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 1, 1));
		case 'boolean':
			return true;
		default:
			return sampleString(s, name);
	}
}

function sampleString(s, name) {
	const fmt = s.format;
	if (fmt === 'date') return '2026-01-15';
	if (fmt === 'date-time') return '2026-01-15T08:00:00Z';
	if (fmt === 'email') return 'nguyen.van.an@example.vn';
	if (s.pattern) {
		const known = {
			'^[0-9]{12}$': '001090012345',
			'^\\d{12}$': '001090012345',
			'^[0-9]{9}$|^[0-9]{12}$': '001090012345',
			'^[0-9]{10}$': '0912345678',
			'^\\d{10}$': '0912345678',
			'^0[0-9]{9}$': '0912345678',
		};
		if (known[s.pattern]) return known[s.pattern];
		// Last resort: digits of the required length.
		const m = /^\^\[0-9\]\{(\d+)\}\$$/.exec(s.pattern) || /^\^\\d\{(\d+)\}\$$/.exec(s.pattern);
		if (m) return '1'.repeat(Number(m[1]));
	}
	let v = `Nguyễn Văn An (${name})`;
	if (s.maxLength && v.length > s.maxLength) v = 'A'.repeat(Math.max(1, s.minLength || 1));
	if (s.minLength && v.length < s.minLength) v = v.padEnd(s.minLength, 'a');
	return v;
}

/* Everything a valid submission of `procedure` needs, for `token`'s
 * citizen: {procedure, agency, channel, form, components}. Uploads one
 * document per document component (notes take none). */
export async function validSubmission(srv, token, { procedure = '1.001193', agency = 'UBND-00004', channel = 'online', seed = 1 } = {}) {
	const p = await srv.api('GET', `/api/v1/procedures/${procedure}`);
	assert.equal(p.status, 200, `procedure ${procedure}: ${p.text}`);
	const f = await srv.api('GET', `/api/v1/procedures/${procedure}/form`);
	assert.equal(f.status, 200, `form of ${procedure}: ${f.text}`);
	const form = sample(f.body, 'form');
	const components = [];
	const doc = await uploadPng(srv, token, seed);
	for (const c of p.body.components || []) if (c.kind !== 'note') components.push({ component: c.id, document: doc });
	return { procedure, agency, channel, form, components };
}

/* A request_supplement body: one missing component and one form field. */
export const ITEMS = [
	{ component: 'c1', note: 'Bản sao giấy tờ không rõ nét, đề nghị nộp lại' },
	{ field: 'ho_ten', note: 'Họ tên chưa khớp với giấy tờ tùy thân' },
];

/* A supplement body for a dossier submitted with `submission`: the same
 * form and a freshly uploaded document for each component. */
export async function supplementBody(srv, token, submission, seed = 77) {
	const doc = await uploadPng(srv, token, seed);
	const components = submission.components.map((c) => ({ component: c.component, document: doc }));
	return components.length ? { form: submission.form, components } : { form: submission.form };
}

/* Submits; asserts 201; returns the dossier. */
export async function submit(srv, token, body, headers = {}) {
	const r = await srv.api('POST', '/api/v1/dossiers', { token, json: body, headers });
	assert.equal(r.status, 201, `submit: ${r.text}`);
	assertConforms(r, 'submitDossier');
	return r.body;
}

/* Applies an action; returns the raw answer (caller asserts). */
export function act(srv, token, code, action, extra = {}) {
	return srv.api('POST', `/api/v1/dossiers/${encodeURIComponent(code)}/actions`, { token, json: { action, ...extra } });
}

/* Applies an action and asserts 200 and the resulting status code. */
export async function actOk(srv, token, code, action, extra, expectStatusCode) {
	const r = await act(srv, token, code, action, extra);
	assert.equal(r.status, 200, `${action} on ${code}: ${r.status} ${r.text}`);
	assertConforms(r, 'actOnDossier');
	if (expectStatusCode !== undefined) assert.equal(r.body.status_code, expectStatusCode, `${action} -> status_code`);
	return r.body;
}

/* The OCR worker extracts the text of uploaded scans in the background
 * (docs/RESULTS.md) and writes its job row and an audit entry when done.
 * Waits, bounded, until no job of the data directory is queued or running,
 * so that a test comparing the database before and after sees only its own
 * changes. The pause is only between polls. */
export async function ocrIdle(dataDir) {
	if (!tables(dataDir).includes('ocr_job')) return;
	for (let i = 0; i < 1200; i++) {
		if (sql(dataDir, "SELECT COUNT(*) FROM ocr_job WHERE state IN ('queued', 'running')") === '0') return;
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.fail('OCR jobs still queued or running after 120 s');
}
