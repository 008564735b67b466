// results.test.mjs - signed electronic results: finishing a dossier issues a
// result signed with the agency's Ed25519 key; who may read it; the public
// /verify/{id} page (JSON and HTML) says valid, tampered (one byte of the
// stored document edited in the database) or revoked; QR codes (SVG, PNG
// whose chunks and pixels are checked); revocation rules; key rotation (API
// and CLI) keeps old results verifiable; bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { actOk, ocrIdle, submit, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { cli, sql as sqlOn, useServer } from './lib/server.mjs';

const PUBLIC_URL = 'https://dichvucong.example.vn';
const srv = useServer({ args: ['--public-url', `${PUBLIC_URL}/`] });

let citizen, citizen2, officer, officer2, admin, base;

async function tokens() {
	if (citizen) return;
	citizen = await srv.login('citizen');
	citizen2 = await srv.login('citizen2');
	officer = await srv.login('officer');
	officer2 = await srv.login('officer2');
	admin = await srv.login('admin');
	base = await validSubmission(srv, citizen);
}

let seq = 0;
/* Submits, receives, processes and finishes a dossier; returns
 * {code, result_id, content}. */
async function finished(content) {
	await tokens();
	const d = await submit(srv, citizen, base);
	await actOk(srv, officer, d.code, 'receive', {}, 2);
	await actOk(srv, officer, d.code, 'process', {}, 4);
	const c = content || { so: `GKS-2026-${String(++seq).padStart(4, '0')}`, ho_ten: 'Nguyễn Thị Hồng Nhung', ghi_chu: 'Đã đăng ký khai sinh' };
	await actOk(srv, officer, d.code, 'finish', { result: c }, 9);
	const r = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(d.code)}/result`, { token: citizen });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'getDossierResult');
	return { code: d.code, id: r.body.id, content: c, result: r.body };
}

const verifyJson = (id) => srv.api('GET', `/verify/${id}`, { headers: { accept: 'application/json' } });
const verifyHtml = (id) => srv.api('GET', `/verify/${id}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });

/* Runs SQL on the server's database, SQLite or PostgreSQL (the test edits
 * stored bytes). The server may hold SQLite's write lock for a moment (the
 * OCR worker stores text in the background): a "locked" answer is retried,
 * bounded. */
async function sql(statement) {
	for (let i = 0; ; i++) {
		try {
			return sqlOn(srv.dataDir, statement);
		} catch (e) {
			if (i >= 100 || !/locked|busy/i.test(String(e.stderr || e.message))) throw e;
			await new Promise((r) => setTimeout(r, 100));
		}
	}
}

test('finish issues a signed result: structured document, signature, renderings, history', async () => {
	const { code, id, content, result } = await finished();
	assert.match(id, /^[0-9a-f]{32}$/);
	assert.equal(result.status, 'valid');
	assert.equal(result.dossier_code, code);
	assert.equal(result.agency, 'UBND-00004');
	assert.match(result.signature, /^[0-9a-f]{128}$/);
	assert.equal(result.verify_url, `${PUBLIC_URL}/verify/${id}`);
	const doc = result.document;
	assert.equal(doc.format, 'motcua.result/1');
	assert.equal(doc.id, id);
	assert.equal(doc.dossier_code, code);
	assert.equal(doc.procedure.code, '1.001193');
	assert.ok(doc.procedure.name.length > 0);
	assert.equal(doc.applicant.username, 'citizen');
	assert.equal(doc.applicant.person_id, '001090012345');
	assert.equal(doc.issuing_agency.code, 'UBND-00004');
	assert.equal(doc.signing_key, result.key_id);
	assert.deepEqual(doc.content, content);

	const byId = await srv.api('GET', `/api/v1/results/${id}`, { token: citizen });
	assert.equal(byId.status, 200);
	assertConforms(byId, 'getResult');
	assert.deepEqual(byId.body.document, doc);

	const html = await srv.api('GET', `/api/v1/results/${id}/html`, { token: citizen });
	assert.equal(html.status, 200);
	assertConforms(html, 'getResultHtml');
	assert.ok(html.text.includes(content.ho_ten) && html.text.includes(content.so), 'content in the HTML');
	assert.ok(html.text.includes('<html lang="vi">') && html.text.includes('Result'), 'bilingual page');
	assert.ok(!/<script/i.test(html.text), 'no script');
	const text = await srv.api('GET', `/api/v1/results/${id}/text`, { token: citizen });
	assert.equal(text.status, 200);
	assertConforms(text, 'getResultText');
	assert.ok(text.text.includes(`so: ${content.so}`), text.text);

	/* placed in the applicant's vault: verified, issued by the agency, same hash */
	assert.match(result.vault_item, /^[0-9a-f]{32}$/);
	const item = await srv.api('GET', `/api/v1/vault/items/${result.vault_item}`, { token: citizen });
	assert.equal(item.status, 200, item.text);
	assert.equal(item.body.status, 'verified');
	assert.equal(item.body.source, 'result');
	assert.equal(item.body.issuer, 'UBND-00004');
	assert.equal(item.body.type, 'birth_certificate');
	assert.equal(item.body.ref, id);
	assert.equal(item.body.content_sha256, (await verifyJson(id)).body.document_sha256);

	const hist = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(code)}/history`, { token: citizen });
	const fin = hist.body.items.find((e) => e.action === 'finish');
	assert.equal(fin.details.result_id, id, 'the finish event names the result');
	/* the issuance is in the audit log */
	const audit = await srv.api('GET', `/api/v1/audit?action=result.issue&object=result/${id}`, { token: admin });
	assert.equal(audit.status, 200, audit.text);
	assert.equal(audit.body.items.length, 1);
});

test('who may read a result: applicant, officers of the issuing agency, admins', async () => {
	const { code, id } = await finished();
	for (const t of [citizen, officer, admin]) {
		const r = await srv.api('GET', `/api/v1/results/${id}`, { token: t });
		assert.equal(r.status, 200, r.text);
	}
	const stranger = await srv.api('GET', `/api/v1/results/${id}`, { token: citizen2 });
	assertProblem(stranger, 404, 'another citizen');
	assertConforms(stranger, 'getResult');
	const other = await srv.api('GET', `/api/v1/results/${id}`, { token: officer2 });
	assertProblem(other, 403, 'an officer of another agency');
	assertConforms(other, 'getResult');
	assertProblem(await srv.api('GET', `/api/v1/results/${id}`), 401, 'anonymous');
	assertProblem(await srv.api('GET', `/api/v1/results/${id}/html`, { token: citizen2 }), 404, 'html, stranger');
	const dr = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(code)}/result`, { token: citizen2 });
	assertProblem(dr, 404, 'dossier result, stranger');
	/* a dossier that is not finished has no result */
	const open = await submit(srv, citizen, base);
	const none = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(open.code)}/result`, { token: citizen });
	assertProblem(none, 404, 'unfinished dossier');
	assertConforms(none, 'getDossierResult');
	for (const bad of ['nope', '0'.repeat(32), 'A'.repeat(32), '%2e%2e', 'x'.repeat(300)]) {
		assertProblem(await srv.api('GET', `/api/v1/results/${bad}`, { token: admin }), 404, `id ${bad}`);
	}
});

test('GET /verify/{id} is public: JSON and an accessible bilingual HTML page', async () => {
	const { id, code } = await finished();
	const v = await verifyJson(id);
	assert.equal(v.status, 200, v.text);
	assertConforms(v, 'verifyResult');
	assert.equal(v.body.status, 'valid');
	assert.equal(v.body.reason, null);
	assert.equal(v.body.issuing_agency.code, 'UBND-00004');
	assert.ok(v.body.issuing_agency.name.includes('Ba Đình'), v.body.issuing_agency.name);
	assert.match(v.body.key_id, /^k[0-9a-f]{16}$/);
	assert.match(v.body.issued_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	assert.equal(v.body.dossier_code, code);
	assert.equal(v.body.verify_url, `${PUBLIC_URL}/verify/${id}`);
	assert.ok(!JSON.stringify(v.body).includes('001090012345'), 'no personal number on the public answer');
	assert.equal(v.headers.get('cache-control'), 'no-store');

	const h = await verifyHtml(id);
	assert.equal(h.status, 200);
	assertConforms(h, 'verifyResult');
	assert.match(h.contentType, /^text\/html/);
	assert.ok(h.text.includes('HỢP LỆ') && h.text.includes('VALID'), 'status in both languages');
	assert.ok(h.text.includes('lang="vi"') && h.text.includes('lang="en"'));
	assert.ok(h.text.includes('UBND-00004'));
	assert.ok(!/<script/i.test(h.text), 'no script');
	assert.ok(!/(src|href)="(https?:)?\/\//i.test(h.text), 'no external resource');
	assert.ok(/<img [^>]*alt="[^"]+"/.test(h.text), 'the QR image has a text alternative');
	assert.match(h.headers.get('content-security-policy') || '', /default-src 'none'/);
	/* no Accept header: the page */
	const plain = await srv.api('GET', `/verify/${id}`);
	assert.match(plain.contentType, /^text\/html/);
});

test('one byte of the stored result edited in the database: tampered; restored: valid', async () => {
	const { id, content } = await finished();
	await ocrIdle(srv.dataDir);
	const before = await sql(`SELECT document FROM result WHERE id = '${id}'`);
	assert.ok(before.includes(content.so));
	const edited = content.so.slice(0, -1) + (content.so.endsWith('9') ? '8' : '9');
	await sql(`UPDATE result SET document = replace(document, '${content.so}', '${edited}') WHERE id = '${id}'`);
	const after = await sql(`SELECT document FROM result WHERE id = '${id}'`);
	assert.equal(after.length, before.length, 'same length');
	let diff = 0;
	for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) diff++;
	assert.equal(diff, 1, 'exactly one byte differs');

	const v = await verifyJson(id);
	assert.equal(v.status, 200);
	assertConforms(v, 'verifyResult');
	assert.equal(v.body.status, 'tampered');
	assert.match(v.body.reason, /signature/);
	const h = await verifyHtml(id);
	assert.ok(h.text.includes('BỊ SỬA ĐỔI') && h.text.includes('TAMPERED'), 'the page says tampered');
	const r = await srv.api('GET', `/api/v1/results/${id}`, { token: citizen });
	assert.equal(r.body.status, 'tampered');

	await sql(`UPDATE result SET document = replace(document, '${edited}', '${content.so}') WHERE id = '${id}'`);
	assert.equal((await verifyJson(id)).body.status, 'valid');
	/* the time stored next to the document is covered as well */
	await sql(`UPDATE result SET issued_at = '2020-01-01T00:00:00Z' WHERE id = '${id}'`);
	assert.equal((await verifyJson(id)).body.status, 'tampered');
});

test('unknown or malformed ids: 404 for JSON, HTML and QR codes', async () => {
	const unknown = 'ab'.repeat(16);
	const j = await verifyJson(unknown);
	assertProblem(j, 404, 'unknown id');
	assertConforms(j, 'verifyResult');
	const h = await verifyHtml(unknown);
	assert.equal(h.status, 404);
	assertConforms(h, 'verifyResult');
	assert.ok(h.text.includes('No result has this id'));
	for (const p of [`/verify/${unknown}/qr.svg`, `/verify/${unknown}/qr.png`, '/verify/..%2F..%2Fetc', `/verify/${'f'.repeat(2000)}`]) {
		const r = await srv.api('GET', p);
		assert.ok([404, 414].includes(r.status), `${p} -> ${r.status}`);
	}
});

/* Reads a PNG: checks signature and every CRC; returns {w, h, pixels}. */
function readPng(buf) {
	assert.ok(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG signature');
	let off = 8;
	let w = 0;
	let h = 0;
	const idat = [];
	for (;;) {
		const len = buf.readUInt32BE(off);
		const type = buf.toString('latin1', off + 4, off + 8);
		const data = buf.subarray(off + 8, off + 8 + len);
		assert.equal(crc32(buf.subarray(off + 4, off + 8 + len)) >>> 0, buf.readUInt32BE(off + 8 + len), `CRC of ${type}`);
		if (type === 'IHDR') {
			w = data.readUInt32BE(0);
			h = data.readUInt32BE(4);
			assert.equal(data[8], 8);
			assert.equal(data[9], 0);
		}
		if (type === 'IDAT') idat.push(data);
		off += 12 + len;
		if (type === 'IEND') break;
	}
	assert.equal(off, buf.length);
	const raw = inflateSync(Buffer.concat(idat));
	assert.equal(raw.length, (w + 1) * h);
	return { w, h, raw };
}

test('QR codes of the verification address, as SVG and PNG', async () => {
	const { id } = await finished();
	const svg = await srv.api('GET', `/verify/${id}/qr.svg`);
	assert.equal(svg.status, 200);
	assertConforms(svg, 'getVerifyQrSvg');
	assert.ok(svg.text.includes('<svg xmlns="http://www.w3.org/2000/svg"') && svg.text.includes('<path'));
	assert.ok(!/script/i.test(svg.text));
	const png = await srv.api('GET', `/verify/${id}/qr.png`);
	assert.equal(png.status, 200);
	assertConforms(png, 'getVerifyQrPng');
	const { w, h, raw } = readPng(png.bytes);
	assert.equal(w, h);
	/* the symbol's modules: same count as in the SVG's viewBox */
	const vb = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg.text)[1]);
	assert.equal(w % vb, 0, `PNG ${w} px is a whole number of ${vb} modules`);
	const scale = w / vb;
	/* the top-left finder pattern starts after a 4-module quiet zone */
	const px = (x, y) => raw[y * (w + 1) + 1 + x];
	assert.equal(px(0, 0), 255, 'quiet zone');
	assert.equal(px(4 * scale + 1, 4 * scale + 1), 0, 'finder corner is dark');
	assert.equal(px(5 * scale + 1, 5 * scale + 1), 255, 'finder ring is light inside');
	/* different results, different codes */
	const other = await finished();
	const png2 = await srv.api('GET', `/verify/${other.id}/qr.png`);
	assert.ok(!png2.bytes.equals(png.bytes));
});

test('revocation: officers of the issuing agency with a reason; verify says revoked; audited', async () => {
	const { id } = await finished();
	const url = `/api/v1/results/${id}/revoke`;
	assertProblem(await srv.api('POST', url, { token: citizen, json: { reason: 'x' } }), 403, 'citizen');
	const other = await srv.api('POST', url, { token: officer2, json: { reason: 'x' } });
	assertProblem(other, 403, 'officer of another agency');
	assertConforms(other, 'revokeResult');
	assertProblem(await srv.api('POST', url, { json: { reason: 'x' } }), 401, 'anonymous');
	const blank = await srv.api('POST', url, { token: officer, json: { reason: '   ' } });
	assertProblem(blank, 422, 'blank reason');
	assertConforms(blank, 'revokeResult');
	assert.equal(blank.body.errors[0].path, '$.reason');
	assertProblem(await srv.api('POST', url, { token: officer, json: {} }), 422, 'no reason');
	assertProblem(await srv.api('POST', url, { token: officer, json: { reason: 'x'.repeat(1001) } }), 422, 'long reason');
	assertProblem(await srv.api('POST', url, { token: officer, json: { reason: 7 } }), 400, 'reason not a string');
	assertProblem(await srv.api('POST', url, { token: officer, body: 'reason=x', headers: { 'content-type': 'text/plain' } }), 415, 'not JSON');
	assertProblem(await srv.api('POST', `/api/v1/results/${'0'.repeat(32)}/revoke`, { token: officer, json: { reason: 'x' } }), 404, 'unknown');
	assert.equal((await verifyJson(id)).body.status, 'valid', 'nothing changed yet');

	const ok = await srv.api('POST', url, { token: officer, json: { reason: 'Cấp nhầm đối tượng' } });
	assert.equal(ok.status, 200, ok.text);
	assertConforms(ok, 'revokeResult');
	assert.equal(ok.body.status, 'revoked');
	assert.equal(ok.body.revoke_reason, 'Cấp nhầm đối tượng');
	const v = await verifyJson(id);
	assert.equal(v.body.status, 'revoked');
	assert.equal(v.body.revoke_reason, 'Cấp nhầm đối tượng');
	assert.ok(v.body.revoked_at);
	const h = await verifyHtml(id);
	assert.ok(h.text.includes('THU HỒI') && h.text.includes('REVOKED'));
	const rid = (await srv.api('GET', `/api/v1/results/${id}`, { token: citizen })).body.vault_item;
	const item = await srv.api('GET', `/api/v1/vault/items/${rid}`, { token: citizen });
	assert.equal(item.body.status, 'revoked', 'the vault copy is revoked too');
	const again = await srv.api('POST', url, { token: admin, json: { reason: 'again' } });
	assertProblem(again, 409, 'already revoked');
	const audit = await srv.api('GET', `/api/v1/audit?action=result.revoke&object=result/${id}`, { token: admin });
	assert.equal(audit.body.items.length, 1);
	assert.equal(audit.body.items[0].actor, 'officer');
});

test('key rotation (API and CLI) keeps old results verifiable; new results use the new key', async () => {
	const old = await finished();
	const keys0 = await srv.api('GET', '/api/v1/result-keys/UBND-00004');
	assert.equal(keys0.status, 200);
	assertConforms(keys0, 'listSigningKeys');
	const active0 = keys0.body.items.filter((k) => k.active);
	assert.equal(active0.length, 1);
	assert.equal(active0[0].id, old.result.key_id);
	assert.match(active0[0].public_key, /^[0-9a-f]{64}$/);

	const url = '/api/v1/result-keys/UBND-00004/rotate';
	assertProblem(await srv.api('POST', url, { token: officer }), 403, 'officer');
	assertProblem(await srv.api('POST', url, { token: citizen }), 403, 'citizen');
	assertProblem(await srv.api('POST', url), 401, 'anonymous');
	const unknown = await srv.api('POST', '/api/v1/result-keys/UBND-99999/rotate', { token: admin });
	assertProblem(unknown, 404, 'unknown agency');
	assertConforms(unknown, 'rotateSigningKey');
	assertProblem(await srv.api('GET', '/api/v1/result-keys/UBND-99999'), 404, 'unknown agency keys');

	const rot = await srv.api('POST', url, { token: admin });
	assert.equal(rot.status, 201, rot.text);
	assertConforms(rot, 'rotateSigningKey');
	assert.notEqual(rot.body.id, old.result.key_id);
	assert.equal(rot.body.active, true);

	const fresh = await finished();
	assert.equal(fresh.result.key_id, rot.body.id, 'new results are signed with the new key');
	assert.equal((await verifyJson(old.id)).body.status, 'valid', 'old result still valid');
	assert.equal((await verifyJson(old.id)).body.key_id, old.result.key_id);
	assert.equal((await verifyJson(fresh.id)).body.status, 'valid');

	/* the CLI rotates too (same database, same master key file) */
	const bad = await cli(['result', 'rotate-key', '--data', srv.dataDir]);
	assert.equal(bad.code, 2, bad.stderr);
	const c = await cli(['result', 'rotate-key', 'UBND-00004', '--data', srv.dataDir]);
	assert.equal(c.code, 0, c.stderr);
	const cliKey = /new signing key (k[0-9a-f]{16})/.exec(c.stdout)[1];
	const keys = await srv.api('GET', '/api/v1/result-keys/UBND-00004');
	assert.equal(keys.body.items.length, keys0.body.items.length + 2);
	assert.deepEqual(keys.body.items.filter((k) => k.active).map((k) => k.id), [cliKey]);
	const third = await finished();
	assert.equal(third.result.key_id, cliKey);
	for (const r of [old, fresh, third]) assert.equal((await verifyJson(r.id)).body.status, 'valid');
	const audit = await srv.api('GET', '/api/v1/audit?action=result.key_rotate&object=agency/UBND-00004', { token: admin });
	assert.ok(audit.body.items.length >= 3, 'creation and both rotations are audited');
});

test('finish with an oversized result is refused and leaves the dossier processing', async () => {
	await tokens();
	const d = await submit(srv, citizen, base);
	await actOk(srv, officer, d.code, 'receive', {}, 2);
	await actOk(srv, officer, d.code, 'process', {}, 4);
	const r = await srv.api('POST', `/api/v1/dossiers/${encodeURIComponent(d.code)}/actions`, {
		token: officer,
		json: { action: 'finish', result: { text: 'x'.repeat(70000) } },
	});
	assertProblem(r, 422, 'result over 64 KiB');
	const got = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(d.code)}`, { token: officer });
	assert.equal(got.body.status_code, 4, 'no partial write');
	const none = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(d.code)}/result`, { token: officer });
	assert.equal(none.status, 404);
});
