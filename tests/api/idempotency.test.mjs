// idempotency.test.mjs - Idempotency-Key on dossier submission: replays
// give the same dossier and never a second one, also under concurrency;
// the same key with another body is refused; keys belong to their user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer({ now: '2026-03-02T02:00:00Z' });
let citizen, body;

async function setup() {
	if (citizen) return;
	citizen = await srv.login('citizen');
	body = await validSubmission(srv, citizen);
}

const post = (token, b, key) => srv.api('POST', '/api/v1/dossiers', { token, json: b, headers: key ? { 'idempotency-key': key } : {} });

async function myCodes(token) {
	const codes = [];
	let cursor = null;
	for (let i = 0; i < 50; i++) {
		const r = await srv.api('GET', `/api/v1/dossiers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
		assert.equal(r.status, 200);
		codes.push(...r.body.items.map((x) => x.code));
		cursor = r.body.next_cursor;
		if (!cursor) break;
	}
	return codes;
}

test('the same key and body give the same dossier, and only one exists', async () => {
	await setup();
	const before = await myCodes(citizen);
	const first = await post(citizen, body, 'key-0001');
	assert.equal(first.status, 201, first.text);
	assertConforms(first, 'submitDossier');
	const second = await post(citizen, body, 'key-0001');
	assert.equal(second.status, 201, second.text);
	assert.equal(second.body.code, first.body.code);
	assert.equal(second.headers.get('idempotent-replayed'), 'true');
	assert.equal(first.headers.get('idempotent-replayed'), null);
	// the same JSON with members in another order is the same body
	const reordered = Object.fromEntries(Object.entries(body).reverse());
	const third = await post(citizen, reordered, 'key-0001');
	assert.equal(third.status, 201, `reordered members: ${third.text}`);
	assert.equal(third.body.code, first.body.code);
	const after = await myCodes(citizen);
	assert.equal(after.length, before.length + 1, 'exactly one new dossier');
	assert.equal(after.filter((c) => c === first.body.code).length, 1);
});

test('a replay after a state change returns the dossier, not a new one', async () => {
	await setup();
	const first = await post(citizen, body, 'key-0002');
	const o = await srv.login('officer');
	const rec = await srv.api('POST', `/api/v1/dossiers/${first.body.code}/actions`, { token: o, json: { action: 'receive' } });
	assert.equal(rec.status, 200);
	const again = await post(citizen, body, 'key-0002');
	assert.equal(again.status, 201);
	assert.equal(again.body.code, first.body.code);
});

test('the same key with another body is refused (422) and creates nothing', async () => {
	await setup();
	const first = await post(citizen, body, 'key-0003');
	assert.equal(first.status, 201);
	const before = await myCodes(citizen);
	const other = await post(citizen, { ...body, agency: 'UBND-00008' }, 'key-0003');
	assertProblem(other, 422, 'key reused with another body');
	assertConforms(other, 'submitDossier');
	assert.deepEqual(await myCodes(citizen), before, 'no dossier created');
});

test('different keys, or no key, give different dossiers', async () => {
	await setup();
	const a = await post(citizen, body, 'key-0004');
	const b = await post(citizen, body, 'key-0005');
	const c = await post(citizen, body);
	const d = await post(citizen, body);
	const codes = [a, b, c, d].map((r) => r.body.code);
	assert.equal(new Set(codes).size, 4, `four dossiers: ${codes}`);
});

test('keys belong to their user: another citizen with the same key gets their own dossier', async () => {
	await setup();
	const mine = await post(citizen, body, 'shared-key');
	const c2 = await srv.login('citizen2');
	const body2 = await validSubmission(srv, c2, { seed: 5 });
	const theirs = await post(c2, body2, 'shared-key');
	assert.equal(theirs.status, 201, theirs.text);
	assert.notEqual(theirs.body.code, mine.body.code, 'citizen2 does not receive citizen\'s dossier');
	assert.equal(theirs.body.applicant?.user ?? 'citizen2', 'citizen2');
});

test('20 concurrent requests with one key create exactly one dossier', async () => {
	await setup();
	const before = await myCodes(citizen);
	const results = await Promise.all(Array.from({ length: 20 }, () => post(citizen, body, 'concurrent-key')));
	const statuses = results.map((r) => r.status);
	assert.ok(statuses.every((s) => s === 201 || s === 409), `statuses: ${statuses}`);
	const codes = new Set(results.filter((r) => r.status === 201).map((r) => r.body.code));
	assert.equal(codes.size, 1, `one code: ${[...codes]}`);
	const after = await myCodes(citizen);
	assert.equal(after.length, before.length + 1);
	const final = await post(citizen, body, 'concurrent-key');
	assert.equal(final.status, 201);
	assert.ok(codes.has(final.body.code));
});
