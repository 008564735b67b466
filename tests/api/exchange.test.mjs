// exchange.test.mjs - exchange and consent: a citizen grants, lists and
// revokes consents (bad input 422/400, another person's consent 404,
// officers may not grant); an officer's exchange read is denied without a
// basis (403, logged in the person's access log), allowed with the person's
// consent (only that category's fields, signed with the agency key: the
// signature and digest verify) and with a dossier basis; revoking the
// consent denies again; officers' vault and registry reads appear in the
// person's access log, the person's own reads do not; the demo data.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { sql, useServer } from './lib/server.mjs';

const srv = useServer();
const CITIZEN = '001090012345';
const CITIZEN2 = '079190012346';

let t;
async function tokens() {
	if (t) return t;
	t = {};
	for (const u of ['citizen', 'citizen2', 'officer', 'officer2', 'admin']) t[u] = await srv.login(u);
	return t;
}

function inDays(n) {
	return new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
}

async function grant(token, body, status = 201) {
	const r = await srv.api('POST', '/api/v1/consents', { token, json: body });
	assertConforms(r, 'grantConsent');
	if (status >= 400) assertProblem(r, status);
	else assert.equal(r.status, status, r.text);
	return r;
}

async function exchange(token, person, category, purpose = 'Kiểm tra / check') {
	const q = new URLSearchParams({ category, purpose });
	const r = await srv.api('GET', `/api/v1/exchange/persons/${person}?${q}`, { token });
	assertConforms(r, 'exchangeReadPerson');
	return r;
}

async function accessLog(token, query = '') {
	const r = await srv.api('GET', `/api/v1/me/data-access${query}`, { token });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'listMyDataAccess');
	return r.body;
}

/* Canonical JSON as the server signs it: keys sorted, compact. */
function canonical(v) {
	if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
	if (v && typeof v === 'object')
		return `{${Object.keys(v)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
			.join(',')}}`;
	return JSON.stringify(v);
}

test('the demo citizen has a consent and an access log', async () => {
	const { citizen } = await tokens();
	const r = await srv.api('GET', '/api/v1/consents', { token: citizen });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'listConsents');
	assert.equal(r.body.items.length, 1);
	assert.equal(r.body.items[0].status, 'active');
	assert.equal(r.body.items[0].agency, 'UBND-00008');
	const log = await accessLog(citizen);
	assert.ok(log.items.length >= 4, JSON.stringify(log));
	const bases = log.items.map((i) => i.basis.split(':')[0]);
	for (const b of ['dossier', 'consent', 'none', 'role']) assert.ok(bases.includes(b), `basis ${b} in ${bases}`);
	/* newest first, and paging by cursor */
	const seqs = log.items.map((i) => i.seq);
	assert.deepEqual([...seqs].sort((a, b) => b - a), seqs);
	const p1 = await accessLog(citizen, '?limit=2');
	assert.equal(p1.items.length, 2);
	assert.ok(p1.next_cursor);
	const p2 = await accessLog(citizen, `?limit=2&cursor=${p1.next_cursor}`);
	assert.ok(p2.items[0].seq < p1.items[1].seq);
	const cats = await srv.api('GET', '/api/v1/exchange/categories');
	assertConforms(cats, 'listDataCategories');
	assert.ok(cats.body.items.some((c) => c.code === 'residence'));
});

test('consents: bad input, permissions, another person\'s consent', async () => {
	const { citizen, citizen2, officer, admin } = await tokens();
	const good = { agency: 'UBND-00008', category: 'identity', purpose: 'Hưởng trợ cấp', expires_on: inDays(30) };
	let r = await grant(citizen2, { ...good, agency: 'NO-SUCH' }, 422);
	assert.ok(r.body.errors.some((e) => e.path === '$.agency'));
	r = await grant(citizen2, { ...good, category: 'secrets', purpose: ' ', expires_on: inDays(6 * 366) }, 422);
	assert.deepEqual(r.body.errors.map((e) => e.path).sort(), ['$.category', '$.expires_on', '$.purpose']);
	r = await grant(citizen2, { ...good, expires_on: '2020-01-01' }, 422);
	r = await grant(citizen2, { ...good, purpose: 'x'.repeat(501) }, 422);
	r = await grant(citizen2, { agency: 5 }, 422);
	r = await grant(officer, good, 403);
	r = await grant(admin, good, 403);
	r = await srv.api('POST', '/api/v1/consents', { token: citizen2, body: 'agency=x', headers: { 'Content-Type': 'text/plain' } });
	assertProblem(r, 415);
	r = await srv.api('POST', '/api/v1/consents', { json: good });
	assertProblem(r, 401);
	/* another person's consent is not found; a bad id too */
	const mine = (await srv.api('GET', '/api/v1/consents', { token: citizen })).body.items[0];
	r = await srv.api('POST', `/api/v1/consents/${mine.id}/revoke`, { token: citizen2 });
	assertConforms(r, 'revokeConsent');
	assertProblem(r, 404);
	r = await srv.api('DELETE', '/api/v1/consents/nope', { token: citizen2 });
	assertProblem(r, 404);
	r = await srv.api('GET', '/api/v1/consents?limit=0', { token: citizen2 });
	assertProblem(r, 400);
	r = await srv.api('GET', '/api/v1/consents', { token: officer });
	assertProblem(r, 403);
});

test('exchange read: denied without basis and logged, allowed with consent (signed), denied again after revoke', async () => {
	const { citizen2, officer2, officer, admin, citizen } = await tokens();
	/* deny by default */
	let r = await exchange(officer2, CITIZEN2, 'identity');
	assertProblem(r, 403);
	assert.equal(r.body.basis, 'none');
	let log = await accessLog(citizen2);
	assert.equal(log.items[0].outcome, 'denied');
	assert.equal(log.items[0].agency, 'UBND-00008');
	assert.equal(log.items[0].actor, 'officer2');
	assert.equal(log.items[0].category, 'identity');
	/* consent for identity */
	const k = (await grant(citizen2, { agency: 'UBND-00008', category: 'identity', purpose: 'Hưởng trợ cấp', expires_on: inDays(30) })).body;
	assert.equal(k.status, 'active');
	const list = await srv.api('GET', '/api/v1/consents', { token: citizen2 });
	assert.ok(list.body.items.some((i) => i.id === k.id));
	r = await exchange(officer2, CITIZEN2, 'identity', 'Xét trợ cấp');
	assert.equal(r.status, 200, r.text);
	const doc = r.body.document;
	assert.equal(doc.basis, `consent:${k.id}`);
	assert.equal(doc.person, CITIZEN2);
	assert.deepEqual(Object.keys(doc.data).sort(), ['date_of_birth', 'full_name', 'id', 'sex']);
	/* digest and Ed25519 signature over the canonical document */
	const bytes = Buffer.from(canonical(doc), 'utf8');
	assert.equal(createHash('sha256').update(bytes).digest('hex'), r.body.digest);
	assert.ok(r.body.signature, 'signed');
	const keys = await srv.api('GET', '/api/v1/result-keys/UBND-00008');
	const pk = keys.body.items.find((x) => x.id === r.body.signature.key_id);
	const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pk.public_key, 'hex')]);
	const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
	assert.ok(verify(null, bytes, key, Buffer.from(r.body.signature.value, 'hex')));
	log = await accessLog(citizen2);
	assert.equal(log.items[0].seq, doc.access_id);
	assert.equal(log.items[0].basis, `consent:${k.id}`);
	assert.equal(log.items[0].digest, r.body.digest);
	assert.equal(log.items[0].purpose, 'Xét trợ cấp');
	/* the consent covers its category only, and its agency only */
	assertProblem(await exchange(officer2, CITIZEN2, 'family'), 403);
	/* revoke: denied again; a second revoke conflicts */
	r = await srv.api('POST', `/api/v1/consents/${k.id}/revoke`, { token: citizen2 });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'revokeConsent');
	assert.equal(r.body.status, 'revoked');
	assertProblem(await srv.api('DELETE', `/api/v1/consents/${k.id}`, { token: citizen2 }), 409);
	assertProblem(await exchange(officer2, CITIZEN2, 'identity'), 403);
	/* bad input, and who may ask */
	assertProblem(await exchange(officer2, '123', 'identity'), 400);
	assertProblem(await exchange(officer2, CITIZEN2, 'secrets'), 400);
	assertProblem(await exchange(officer2, CITIZEN2, 'identity', ''), 400);
	assertProblem(await exchange(officer2, CITIZEN2, 'identity', 'x'.repeat(501)), 400);
	assertProblem(await exchange(admin, CITIZEN2, 'identity'), 403);
	assertProblem(await exchange(citizen, CITIZEN2, 'identity'), 403);
	assertProblem(await srv.api('GET', `/api/v1/exchange/persons/${CITIZEN2}?category=identity&purpose=x`), 401);
	/* a legal basis: the officer's agency handles a dossier of the demo citizen */
	r = await exchange(officer, CITIZEN, 'family');
	assert.equal(r.status, 200, r.text);
	assert.match(r.body.document.basis, /^dossier:UBND-00004-/);
	assert.deepEqual(Object.keys(r.body.document.data).sort(), ['children', 'father_id', 'mother_id', 'spouse_id']);
	/* ... but not for a person it has no dossier of */
	assertProblem(await exchange(officer, CITIZEN2, 'family'), 403);
});

test('officers\' vault and registry reads appear in the access log; the person\'s own do not', async () => {
	const { citizen2, officer } = await tokens();
	const before = (await accessLog(citizen2)).items[0]?.seq || 0;
	let r = await srv.api('GET', `/api/v1/vault/items?holder=${CITIZEN2}`, { token: officer });
	assert.equal(r.status, 200, r.text);
	r = await srv.api('GET', `/api/v1/registries/persons/records/${CITIZEN2}`, { token: officer });
	assert.equal(r.status, 200, r.text);
	/* the person's own reads */
	r = await srv.api('GET', '/api/v1/vault/items', { token: citizen2 });
	assert.equal(r.status, 200, r.text);
	r = await srv.api('GET', `/api/v1/registries/persons/records/${CITIZEN2}`, { token: citizen2 });
	assert.equal(r.status, 200, r.text);
	const fresh = (await accessLog(citizen2)).items.filter((i) => i.seq > before);
	assert.deepEqual(
		fresh.map((i) => [i.channel, i.category, i.actor, i.basis]),
		[
			['registry', 'registry:persons', 'officer', 'role:officer'],
			['vault', 'vault_documents', 'officer', 'role:officer'],
		],
	);
	/* the audit entries are kept */
	const admin = t.admin;
	r = await srv.api('GET', '/api/v1/audit?action=vault.read&limit=5', { token: admin });
	assert.equal(r.status, 200, r.text);
	assert.ok(r.body.items.some((e) => e.object === `vault/${CITIZEN2}`));
	r = await srv.api('GET', '/api/v1/audit?action=consent.revoke&limit=5', { token: admin });
	assert.ok(r.body.items.length >= 1);
});

test('a staff search of a registry puts every person it returns in that person\'s log', async () => {
	const { citizen2, officer } = await tokens();
	const me = await srv.api('GET', `/api/v1/registries/persons/records/${CITIZEN2}`, { token: citizen2 });
	assert.equal(me.status, 200, me.text);
	const before = (await accessLog(citizen2)).items[0]?.seq || 0;
	const r = await srv.api('GET', `/api/v1/registries/persons/records?q=${encodeURIComponent(me.body.data.full_name)}&limit=5`, { token: officer });
	assert.equal(r.status, 200, r.text);
	assert.ok(r.body.items.some((p) => p.id === CITIZEN2), 'the search finds the person');
	const fresh = (await accessLog(citizen2)).items.filter((i) => i.seq > before);
	assert.deepEqual(fresh.map((i) => [i.channel, i.actor]), [['registry', 'officer']]);
	/* the person's own search is not logged */
	await srv.api('GET', `/api/v1/registries/persons/records?q=${encodeURIComponent(me.body.data.full_name)}`, { token: citizen2 });
	assert.equal((await accessLog(citizen2)).items.filter((i) => i.seq > before).length, 1);
});

test('staff look-ups of registry records are written behind: within moments without anyone asking, chained into the audit log by batch, and before the server exits', async () => {
	const { officer, admin } = await tokens();
	const batches = async () => (await srv.api('GET', '/api/v1/audit?action=registry.read&actor=officer&limit=100', { token: admin })).body.items;
	const n0 = (await batches()).length;
	let r = await srv.api('GET', `/api/v1/registries/persons/records/${CITIZEN2}`, { token: officer });
	assert.equal(r.status, 200, r.text);
	/* the audit list does not flush the queue: the writer thread does it
	 * (every 200 ms); poll with a deadline */
	const deadline = Date.now() + 10000;
	let items = await batches();
	while (items.length === n0) {
		assert.ok(Date.now() < deadline, 'the look-up reached the audit log within 10 s');
		await new Promise((res) => setTimeout(res, 50));
		items = await batches();
	}
	/* one audit entry for the reader's batch, whose digest covers its access-log entries */
	const entry = items[0];
	assert.match(entry.object, /^data_access\/\d+-\d+$/);
	assert.equal(entry.detail.role, 'officer');
	const rows = sql(srv.dataDir, `SELECT seq, at, person_id, category FROM data_access WHERE actor = 'officer' AND channel = 'registry' AND seq BETWEEN ${entry.detail.first_seq} AND ${entry.detail.last_seq} ORDER BY seq`)
		.split('\n')
		.filter(Boolean)
		.map((l) => l.split('|'));
	assert.equal(rows.length, entry.detail.reads);
	assert.ok(rows.some((row) => row[2] === CITIZEN2));
	const digest = createHash('sha256').update(rows.map((row) => `${row.join('|')}\n`).join('')).digest('hex');
	assert.equal(entry.detail.sha256, digest, 'the audit entry chains the access-log entries it covers');
	/* a look-up answered just before SIGTERM is written before the exit */
	const logged = () => Number(sql(srv.dataDir, `SELECT count(*) FROM data_access WHERE person_id = '${CITIZEN2}' AND channel = 'registry'`));
	r = await srv.api('GET', `/api/v1/registries/persons/records/${CITIZEN2}`, { token: officer });
	assert.equal(r.status, 200, r.text);
	const res = await srv.stop();
	assert.equal(res.code, 0);
	const after = logged();
	await srv.start();
	const log = (await srv.api('GET', '/api/v1/me/data-access?limit=100', { token: await srv.login('citizen2') })).body.items;
	assert.equal(log.filter((i) => i.channel === 'registry').length, after, 'every registry look-up of the person is in the log');
	assert.ok(after >= 3, `three officer look-ups logged, found ${after}`);
});
