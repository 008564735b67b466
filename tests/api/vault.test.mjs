// vault.test.mjs - the vault (kho dữ liệu điện tử): registry facts and
// stored items of a holder, uploads, officer records, verification and
// revocation, permissions and bad input; the document-type dictionary and
// the match report; pre-filled eForms; dossier components satisfied from
// the vault and the registries (a second dossier that needs the result of
// the first needs zero uploads); no supplement request for a component the
// state already holds; the once-only, digitization and reuse rates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { act, actOk, png, sample, sha256, submit, uploadPng, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

/* Monday 2 March 2026, 09:00 in Hà Nội. */
const srv = useServer({ now: '2026-03-02T02:00:00Z' });

const CITIZEN = '001090012345';
const CITIZEN2 = '079190012346';
/* Re-registration of a birth: needs an identity paper (c2) and a copy of
 * the birth certificate (c10). */
const REBIRTH = '1.004884';

let citizen, citizen2, officer, officer2, admin;
async function tokens() {
	if (citizen) return;
	citizen = await srv.login('citizen');
	citizen2 = await srv.login('citizen2');
	officer = await srv.login('officer');
	officer2 = await srv.login('officer2');
	admin = await srv.login('admin');
}

async function items(token, query = '') {
	const r = await srv.api('GET', `/api/v1/vault/items${query}`, { token });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'listVaultItems');
	return r.body.items;
}

async function record(token, body, status = 201) {
	const r = await srv.api('POST', '/api/v1/vault/items', { token, json: body });
	assert.equal(r.status, status, r.text);
	assertConforms(r, 'createVaultItem');
	return r.body;
}

async function setStatus(token, id, body) {
	const r = await srv.api('POST', `/api/v1/vault/items/${id}/status`, { token, json: body });
	assertConforms(r, 'setVaultItemStatus');
	return r;
}

/* A valid submission of `procedure` with no components at all. */
async function bareSubmission(procedure, agency = 'UBND-00004') {
	const f = await srv.api('GET', `/api/v1/procedures/${procedure}/form`);
	assert.equal(f.status, 200, f.text);
	return { procedure, agency, channel: 'online', form: sample(f.body, 'form'), components: [] };
}

const sat = (dossier, component) => dossier.satisfaction.find((s) => s.component === component);

test('the document-type dictionary is public and has the types the programme names', async () => {
	const r = await srv.api('GET', '/api/v1/vault/types');
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'listVaultTypes');
	const codes = new Set(r.body.items.map((t) => t.code));
	for (const c of ['birth_certificate', 'death_certificate', 'marriage_certificate', 'identity_card', 'residence_confirmation', 'household_business_licence', 'enterprise_registration', 'health_insurance_card', 'passport', 'criminal_record_certificate', 'driving_licence', 'photo', 'declaration_form'])
		assert.ok(codes.has(c), `type ${c}`);
	for (const t of r.body.items) assert.ok(t.name_vi && t.name_en, `${t.code} has both names`);
	assert.equal(r.body.items.find((t) => t.code === 'identity_card').registry, 'identity');
	assert.equal(r.body.items.find((t) => t.code === 'declaration_form').form, true);
});

test('a vault is never readable anonymously', async () => {
	await tokens();
	for (const path of ['/api/v1/vault/items', `/api/v1/vault/items?holder=${CITIZEN}`, '/api/v1/vault/items/0123456789abcdef0123456789abcdef', `/api/v1/vault/prefill?procedure=${REBIRTH}`])
		assertProblem(await srv.api('GET', path), 401, path);
	assertProblem(await srv.api('POST', '/api/v1/vault/items', { json: { type: 'photo' } }), 401, 'anonymous put');
	assertProblem(await srv.api('GET', '/api/v1/vault/match-report'), 401, 'match report');
});

test("a citizen's vault lists registry facts (computed) and issued results", async () => {
	await tokens();
	const list = await items(citizen);
	const byId = Object.fromEntries(list.map((i) => [i.id, i]));
	const identity = byId['registry:identity'];
	assert.ok(identity, `identity fact in ${JSON.stringify(list.map((i) => i.id))}`);
	assert.equal(identity.source, 'registry');
	assert.equal(identity.computed, true);
	assert.equal(identity.data.id, CITIZEN);
	// the fact is the registry's current record, not a copy
	const rec = await srv.api('GET', `/api/v1/registries/persons/records/${CITIZEN}`, { token: citizen });
	assert.equal(rec.status, 200, rec.text);
	assert.equal(identity.data.full_name, rec.body.data.full_name);
	assert.equal(byId['registry:residence'].data.residence, rec.body.data.residence);
	const rel = byId['registry:relations'];
	assert.ok(rel, 'family relations');
	assert.equal(rel.data.spouse_id, rec.body.data.spouse_id);
	assert.ok(list.some((i) => i.id.startsWith('registry:business:') && i.type === 'enterprise_registration'), 'the business the citizen represents');
	const birth = list.find((i) => i.type === 'birth_certificate' && i.source === 'result');
	assert.ok(birth, 'the demo birth certificate');
	assert.equal(birth.status, 'verified');
	assert.equal(birth.valid, true);
	// one item by id; a fact by id too
	const one = await srv.api('GET', `/api/v1/vault/items/${birth.id}`, { token: citizen });
	assert.equal(one.status, 200, one.text);
	assertConforms(one, 'getVaultItem');
	assert.equal(one.body.id, birth.id);
	const f = await srv.api('GET', '/api/v1/vault/items/registry:identity', { token: citizen });
	assert.equal(f.status, 200, f.text);
	assert.equal(f.body.data.id, CITIZEN);
	// pages: facts on the first page, then stored items by cursor
	const stored = list.filter((i) => !i.computed);
	assert.ok(stored.length >= 2, 'the demo results');
	const p1 = await srv.api('GET', '/api/v1/vault/items?limit=1', { token: citizen });
	assert.equal(p1.body.items.filter((i) => !i.computed).length, 1);
	assert.ok(p1.body.next_cursor, 'a next page');
	const p2 = await srv.api('GET', `/api/v1/vault/items?limit=1&cursor=${p1.body.next_cursor}`, { token: citizen });
	assert.equal(p2.status, 200, p2.text);
	assert.equal(p2.body.items.length, 1);
	assert.ok(!p2.body.items[0].computed, 'facts only on the first page');
	assert.notEqual(p2.body.items[0].id, p1.body.items.at(-1).id);
	assert.equal(p2.body.items[0].id, stored[1].id, 'newest first');
	assertProblem(await srv.api('GET', '/api/v1/vault/items?cursor=abc', { token: citizen }), 400, 'bad cursor');
	// type filter and bad parameters
	const only = await items(citizen, '?type=birth_certificate');
	assert.ok(only.length >= 1 && only.every((i) => i.type === 'birth_certificate'));
	assertProblem(await srv.api('GET', '/api/v1/vault/items?type=nope', { token: citizen }), 400, 'unknown type');
	assertProblem(await srv.api('GET', '/api/v1/vault/items?limit=0', { token: citizen }), 400, 'limit 0');
	assertProblem(await srv.api('GET', '/api/v1/vault/items?holder=12', { token: citizen }), 400, 'bad holder');
});

test("citizens see only their own vault and their businesses'", async () => {
	await tokens();
	assertProblem(await srv.api('GET', `/api/v1/vault/items?holder=${CITIZEN2}`, { token: citizen }), 403, "another citizen's vault");
	const theirs = (await items(citizen2)).find((i) => i.type === 'marriage_certificate');
	assert.ok(theirs, "citizen2's marriage certificate");
	assertProblem(await srv.api('GET', `/api/v1/vault/items/${theirs.id}`, { token: citizen }), 404, "another citizen's item");
	// a business the citizen represents
	const biz = (await items(citizen)).find((i) => i.id.startsWith('registry:business:'));
	const code = biz.data.id;
	const bizItems = await items(citizen, `?holder=${code}`);
	assert.ok(bizItems.some((i) => i.id === 'registry:enterprise' && i.data.id === code), 'registry fact of the business');
	assertProblem(await srv.api('GET', `/api/v1/vault/items?holder=${code}`, { token: citizen2 }), 403, 'not their business');
});

test('officers read any vault with a holder, and every read is audited', async () => {
	await tokens();
	assertProblem(await srv.api('GET', '/api/v1/vault/items', { token: officer }), 400, 'holder required');
	const list = await items(officer2, `?holder=${CITIZEN}`);
	assert.ok(list.some((i) => i.id === 'registry:identity'));
	const one = list.find((i) => i.type === 'birth_certificate');
	const r = await srv.api('GET', `/api/v1/vault/items/${one.id}`, { token: officer2 });
	assert.equal(r.status, 200, r.text);
	const audit = await srv.api('GET', '/api/v1/audit?action=vault.read&actor=officer2', { token: admin });
	assert.equal(audit.status, 200, audit.text);
	const objects = audit.body.items.map((e) => e.object);
	assert.ok(objects.filter((o) => o === `vault/${CITIZEN}`).length >= 2, `two audited reads: ${objects}`);
	// citizens' reads of their own vault are not "who used my data" entries
	await items(citizen);
	const mine = await srv.api('GET', '/api/v1/audit?action=vault.read&actor=citizen', { token: admin });
	assert.equal(mine.body.items.length, 0);
});

test('a citizen adds an upload to their vault; officers verify or revoke it within their role', async () => {
	await tokens();
	const file = png(6, 6, 41);
	const up = await srv.api('POST', '/api/v1/documents', { token: citizen, body: file, headers: { 'content-type': 'image/png' } });
	assert.equal(up.status, 201, up.text);
	const item = await record(citizen, { document: up.body.id, type: 'photo', title: 'Ảnh 4x6' });
	assert.equal(item.holder, CITIZEN);
	assert.equal(item.source, 'upload');
	assert.equal(item.status, 'unverified');
	assert.equal(item.content_sha256, sha256(file), 'the item references the bytes by hash');
	assert.equal(item.document, up.body.id);

	// bad input
	const other = await uploadPng(srv, citizen2, 42);
	let r = await srv.api('POST', '/api/v1/vault/items', { token: citizen, json: { document: other, type: 'photo' } });
	assertProblem(r, 422, "another citizen's document");
	assert.ok(r.body.errors.some((e) => e.path === '$.document'));
	r = await srv.api('POST', '/api/v1/vault/items', { token: citizen, json: { document: up.body.id, type: 'nope', valid_from: '2026-02-30', extra: 1 } });
	assertProblem(r, 422, 'unknown member');
	assert.ok(r.body.errors.some((e) => e.path === '$.extra'), JSON.stringify(r.body.errors));
	r = await srv.api('POST', '/api/v1/vault/items', { token: citizen, json: { document: up.body.id, type: 'nope', valid_from: '2026-02-30' } });
	assertProblem(r, 422, 'bad type and date');
	const paths = r.body.errors.map((e) => e.path);
	assert.ok(paths.includes('$.type') && paths.includes('$.valid_from'), paths.join());
	assertProblem(await srv.api('POST', '/api/v1/vault/items', { token: citizen, json: { type: 'photo' } }), 422, 'no document');
	assertProblem(await srv.api('POST', '/api/v1/vault/items', { token: citizen, json: { document: 7, type: 'photo' } }), 400, 'document not a string');
	assertProblem(await srv.api('POST', '/api/v1/vault/items', { token: citizen, json: { document: up.body.id, type: 'photo', holder: CITIZEN2 } }), 403, "into another citizen's vault");
	assertProblem(await srv.api('POST', '/api/v1/vault/items', { token: citizen, body: 'x', headers: { 'content-type': 'text/plain' } }), 415, 'not JSON');

	// status changes
	assertProblem(await setStatus(citizen, item.id, { status: 'verified' }), 403, 'citizens do not verify');
	assertProblem(await setStatus(officer, item.id, { status: 'unverified' }), 422, 'back to unverified');
	assertProblem(await setStatus(officer, item.id, { status: 'verified', extra: true }), 422, 'unknown member');
	assertProblem(await setStatus(officer, item.id, { status: 3 }), 400, 'status not a string');
	r = await setStatus(officer, item.id, { status: 'verified' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.status, 'verified');
	assert.equal(r.body.status_by, 'officer');
	assertProblem(await setStatus(officer, item.id, { status: 'verified' }), 409, 'already verified');
	assertProblem(await setStatus(officer2, item.id, { status: 'revoked' }), 422, 'revocation without reason');
	r = await setStatus(officer2, item.id, { status: 'revoked', reason: 'Ảnh không đúng quy cách' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.valid, false);
	assertProblem(await setStatus(admin, item.id, { status: 'verified' }), 409, 'revocation is final');
	assertProblem(await setStatus(officer, '0123456789abcdef0123456789abcdef', { status: 'verified' }), 404, 'unknown item');
	const audit = await srv.api('GET', `/api/v1/audit?object=vault/${item.id}`, { token: admin });
	assert.deepEqual(audit.body.items.map((e) => e.action).sort(), ['vault.item.put', 'vault.item.revoked', 'vault.item.verified']);
});

test('officers record documents issued by their own agency only', async () => {
	await tokens();
	const it = await record(officer, { holder: CITIZEN2, type: 'health_insurance_card', valid_from: '2026-01-01', valid_until: '2026-12-31', ref: 'test-bhyt' });
	assert.equal(it.issuer, 'UBND-00004');
	assert.equal(it.source, 'result');
	assert.equal(it.status, 'verified');
	assertProblem(await srv.api('POST', '/api/v1/vault/items', { token: officer, json: { holder: CITIZEN2, type: 'passport', issuer: 'UBND-00008' } }), 403, 'another agency as issuer');
	let r = await srv.api('POST', '/api/v1/vault/items', { token: officer, json: { type: 'passport' } });
	assertProblem(r, 422, 'no holder');
	r = await srv.api('POST', '/api/v1/vault/items', { token: officer, json: { holder: '001090012340X', type: 'passport', valid_from: '2026-05-01', valid_until: '2026-04-01', content_sha256: 'ABC' } });
	assertProblem(r, 422, 'bad members');
	const paths = r.body.errors.map((e) => e.path);
	for (const p of ['$.holder', '$.valid_until', '$.content_sha256']) assert.ok(paths.includes(p), `${p} in ${paths}`);
	assertProblem(await setStatus(officer2, it.id, { status: 'revoked', reason: 'thử' }), 403, "another agency's document");
	assertProblem(await srv.api('POST', '/api/v1/vault/items', { token: admin, json: { holder: CITIZEN2, type: 'passport' } }), 422, 'admins name the issuer');
});

test('forms are pre-filled from the registries, with how each component would be satisfied', async () => {
	await tokens();
	const r = await srv.api('GET', '/api/v1/vault/prefill?procedure=1.001193', { token: citizen });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'getVaultPrefill');
	const rec = (await srv.api('GET', `/api/v1/registries/persons/records/${CITIZEN}`, { token: citizen })).body.data;
	assert.equal(r.body.form.applicant.full_name, rec.full_name);
	assert.equal(r.body.form.applicant.person_id, CITIZEN);
	assert.equal(r.body.form.applicant.date_of_birth, rec.date_of_birth);
	assert.equal(r.body.form.applicant.address.commune_code, rec.residence);
	// the child's parents: the applicant (male) and the spouse
	assert.equal(r.body.form.father.person_id, CITIZEN);
	assert.equal(r.body.form.mother.person_id, rec.spouse_id);
	const ident = r.body.components.find((c) => c.type === 'identity_card');
	assert.equal(ident.satisfied_by, 'registry');
	assert.equal(ident.registry_fact, 'identity');
	// the pre-filled values pass the eForm
	const f = await srv.api('GET', '/api/v1/procedures/1.001193/form');
	const form = sample(f.body, 'form');
	for (const [k, v] of Object.entries(r.body.form)) form[k] = { ...form[k], ...v };
	const d = await submit(srv, citizen, { procedure: '1.001193', agency: 'UBND-00004', channel: 'online', form, components: [] });
	assert.equal(d.form.applicant.full_name, rec.full_name);
	assert.equal(sat(d, ident.component).satisfied_by, 'registry');

	assertProblem(await srv.api('GET', '/api/v1/vault/prefill?procedure=1.001193', { token: officer }), 403, 'officers');
	assertProblem(await srv.api('GET', '/api/v1/vault/prefill', { token: citizen }), 400, 'no procedure');
	assertProblem(await srv.api('GET', '/api/v1/vault/prefill?procedure=9.999999', { token: citizen }), 404, 'unknown procedure');
});

test('a second dossier that needs the result of the first needs zero uploads', async () => {
	await tokens();
	// citizen2 has no birth certificate in the vault yet
	assert.equal((await items(citizen2, '?type=birth_certificate')).length, 0);

	// dossier A: birth registration, finished by the officer
	const a = await submit(srv, citizen2, await validSubmission(srv, citizen2, { seed: 21 }));
	await actOk(srv, officer, a.code, 'receive', {}, 2);
	await actOk(srv, officer, a.code, 'process', {}, 4);
	await actOk(srv, officer, a.code, 'finish', { result: { so_giay_khai_sinh: '15/2026', ghi_chu: 'Đã cấp' } }, 9);
	// the issued result is in the applicant's vault: placed there by
	// `finish` (signed results); in a build without the results module
	// (404 on the route) the officer records it instead
	const res = await srv.api('GET', `/api/v1/dossiers/${a.code}/result`, { token: citizen2 });
	let issued = (await items(citizen2, '?type=birth_certificate')).filter((i) => i.valid);
	if (res.status === 200) {
		assert.equal(issued.length, 1, `finish placed the result in the vault: ${JSON.stringify(issued)}`);
		assert.equal(issued[0].ref, res.body.id, 'the item is the signed result');
		assert.equal(issued[0].id, res.body.vault_item);
		assert.equal(issued[0].issuer, 'UBND-00004');
	} else {
		assert.equal(res.status, 404, res.text);
		assert.equal(issued.length, 0);
		await record(officer, { holder: CITIZEN2, type: 'birth_certificate', title: 'Giấy khai sinh', ref: a.code, valid_from: '2026-03-02' });
		issued = (await items(citizen2, '?type=birth_certificate')).filter((i) => i.valid);
	}
	assert.equal(issued.length, 1, 'one valid birth certificate');

	// dossier B: needs an identity paper and the birth certificate
	const b = await submit(srv, citizen2, await bareSubmission(REBIRTH));
	assert.deepEqual(b.components, [], 'no upload at all');
	const required = b.satisfaction.filter((s) => s.required);
	assert.ok(required.length >= 2, JSON.stringify(b.satisfaction));
	for (const s of required) assert.ok(['vault', 'registry', 'form'].includes(s.satisfied_by), `${s.component} (${s.type}) satisfied by ${s.satisfied_by}`);
	const birth = b.satisfaction.find((s) => s.type === 'birth_certificate');
	assert.equal(birth.satisfied_by, 'vault');
	assert.equal(birth.vault_item, issued[0].id, 'the result of dossier A');
	assert.equal(b.satisfaction.find((s) => s.type === 'identity_card').satisfied_by, 'registry');
	const used = await srv.api('GET', `/api/v1/vault/items/${issued[0].id}`, { token: citizen2 });
	assert.equal(used.body.uses, 1, 'the reuse is recorded');

	// an officer cannot ask for what the state already holds
	await actOk(srv, officer, b.code, 'receive', {}, 2);
	let r = await act(srv, officer, b.code, 'request_supplement', { items: [{ component: birth.component, note: 'Nộp bản sao giấy khai sinh' }] });
	assertProblem(r, 409, 'vault-satisfied component');
	assertConforms(r, 'actOnDossier');
	assert.ok(r.body.allowed_actions.includes('request_supplement'), 'the action itself is allowed, not for this component');
	assert.deepEqual(r.body.satisfied_components, [{ component: birth.component, satisfied_by: 'vault' }]);
	const ident = b.satisfaction.find((s) => s.type === 'identity_card');
	r = await act(srv, officer, b.code, 'request_supplement', { items: [{ component: ident.component }, { field: 'ghi_chu' }] });
	assertProblem(r, 409, 'registry-satisfied component');
	assert.match(r.body.detail, /once-only|một lần/);
	// a field may still be asked for
	await actOk(srv, officer, b.code, 'request_supplement', { items: [{ field: 'ghi_chu', note: 'Ghi rõ lý do' }] }, 5);
});

test('the applicant chooses a vault item; items of others, revoked or of another type are refused', async () => {
	await tokens();
	const mine = (await items(citizen, '?type=birth_certificate')).find((i) => i.valid);
	const body = await bareSubmission(REBIRTH);
	const birthComp = (await srv.api('GET', `/api/v1/vault/prefill?procedure=${REBIRTH}`, { token: citizen })).body.components.find((c) => c.type === 'birth_certificate').component;
	const d = await submit(srv, citizen, { ...body, components: [{ component: birthComp, vault_item: mine.id }] });
	assert.equal(sat(d, birthComp).satisfied_by, 'vault');
	assert.equal(sat(d, birthComp).vault_item, mine.id);

	const theirs = (await items(citizen2, '?type=birth_certificate'))[0];
	let r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, components: [{ component: birthComp, vault_item: theirs.id }] } });
	assertProblem(r, 422, "another citizen's item");
	assert.ok(r.body.errors.some((e) => e.path === '$.components[0].vault_item'), JSON.stringify(r.body.errors));
	const bhyt = (await items(citizen, '?type=health_insurance_card'))[0];
	r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, components: [{ component: birthComp, vault_item: bhyt.id }] } });
	assertProblem(r, 422, 'another type');
	assert.ok(r.body.errors[0].message.includes('type'));
	r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, components: [{ component: birthComp, vault_item: mine.id, document: 'x' }] } });
	assertProblem(r, 400, 'both document and vault_item');
	r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, components: [{ component: birthComp, vault_item: 5 }] } });
	assertProblem(r, 400, 'vault_item not a string');
	// a revoked item can no longer be used
	const extra = await record(officer, { holder: CITIZEN, type: 'birth_certificate', ref: 'test-revoked' });
	assert.equal((await setStatus(officer, extra.id, { status: 'revoked', reason: 'Cấp nhầm' })).status, 200);
	r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: { ...body, components: [{ component: birthComp, vault_item: extra.id }] } });
	assertProblem(r, 422, 'revoked item');
});

test('a missing component is asked for, then supplemented from the vault', async () => {
	await tokens();
	// two valid birth certificates: no automatic choice, the component is
	// missing at submission
	await record(officer, { holder: CITIZEN, type: 'birth_certificate', title: 'Trích lục khai sinh', ref: 'test-second-copy' });
	assert.ok((await items(citizen, '?type=birth_certificate')).filter((i) => i.valid).length >= 2);
	const body = await bareSubmission(REBIRTH);
	const d = await submit(srv, citizen, body);
	const birth = d.satisfaction.find((s) => s.type === 'birth_certificate');
	assert.equal(birth.satisfied_by, 'missing', JSON.stringify(birth));
	const pre = await srv.api('GET', `/api/v1/vault/prefill?procedure=${REBIRTH}`, { token: citizen });
	const cand = pre.body.components.find((c) => c.component === birth.component);
	assert.equal(cand.satisfied_by, 'missing');
	assert.ok(cand.candidates >= 2, 'several valid items: the applicant chooses');
	await actOk(srv, officer, d.code, 'receive', {}, 2);
	await actOk(srv, officer, d.code, 'request_supplement', { items: [{ component: birth.component, note: 'Chọn giấy khai sinh trong kho dữ liệu' }] }, 5);
	const mine = (await items(citizen, '?type=birth_certificate')).find((i) => i.valid);
	const s = await actOk(srv, citizen, d.code, 'supplement', { components: [{ component: birth.component, vault_item: mine.id }] }, 2);
	assert.equal(sat(s, birth.component).satisfied_by, 'vault');
	assert.deepEqual(s.components, [], 'still no upload');
});

test('the match report types most catalog components', async () => {
	await tokens();
	const r = await srv.api('GET', '/api/v1/vault/match-report?examples=5', { token: officer });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'getVaultMatchReport');
	assert.ok(r.body.procedures > 2000, `${r.body.procedures} procedures`);
	const docs = r.body.documents;
	assert.equal(docs.share, docs.typed / docs.total);
	assert.ok(docs.share > 0.8, `share typed ${docs.share}`);
	assert.equal(r.body.untyped_examples.length, 5);
	assert.equal(r.body.untyped_count, docs.total - docs.typed);
	assert.equal(Object.values(r.body.by_type).reduce((a, b) => a + b, 0), docs.typed);
	assertProblem(await srv.api('GET', '/api/v1/vault/match-report', { token: citizen }), 403, 'citizens');
	assertProblem(await srv.api('GET', '/api/v1/vault/match-report?examples=x', { token: officer }), 400, 'bad examples');
});

test('once-only, digitization and reuse rates come from operational data', async () => {
	await tokens();
	const r = await srv.api('GET', '/api/v1/vault/rates?from=2026-01-01&to=2026-12-31');
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'getVaultRates');
	const { once_only: o, digitization: g, reuse: u } = r.body;
	const c = o.components;
	assert.equal(c.required, c.vault + c.registry + c.upload + c.form + c.missing);
	assert.equal(o.numerator, c.vault + c.registry);
	assert.equal(o.denominator, c.vault + c.registry + c.upload);
	assert.ok(o.numerator > 0, 'components satisfied from the vault and registries');
	assert.equal(o.rate, o.numerator / o.denominator);
	assert.ok(g.denominator >= 1, 'a finished dossier');
	assert.ok(u.numerator >= 1, 'an item reused');
	assert.equal(u.rate, u.numerator / u.denominator);
	// a period with nothing in it
	const empty = await srv.api('GET', '/api/v1/vault/rates?from=2001-01-01&to=2001-01-31');
	assert.equal(empty.status, 200);
	assert.equal(empty.body.once_only.rate, null);
	assert.equal(empty.body.reuse.denominator, 0);
	for (const q of ['from=2026-13-01', 'to=yesterday', 'from=2026-05-01&to=2026-04-01'])
		assertProblem(await srv.api('GET', `/api/v1/vault/rates?${q}`), 400, q);
});
