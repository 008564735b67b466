// permissions.test.mjs - who may see and do what on dossiers: anonymous 401,
// citizens only their own (a foreign dossier is 404), officers only their
// agency's (403), applicant-only and officer-only actions, admins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ITEMS, act, actOk, submit, supplementBody, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer({ now: '2026-03-02T02:00:00Z' });
const t = {};
let body;
let code;

test('setup: a dossier of citizen at UBND-00004', async () => {
	for (const u of ['citizen', 'citizen2', 'officer', 'officer2', 'admin']) t[u] = await srv.login(u);
	body = await validSubmission(srv, t.citizen);
	code = (await submit(srv, t.citizen, body)).code;
});

test('anonymous callers get 401 on every dossier operation', async () => {
	assertProblem(await srv.api('POST', '/api/v1/dossiers', { json: body }), 401, 'submit');
	assertProblem(await srv.api('GET', '/api/v1/dossiers'), 401, 'list');
	assertProblem(await srv.api('GET', `/api/v1/dossiers/${code}`), 401, 'get');
	assertProblem(await srv.api('GET', `/api/v1/dossiers/${code}/history`), 401, 'history');
	const r = await srv.api('POST', `/api/v1/dossiers/${code}/actions`, { json: { action: 'receive' } });
	assertProblem(r, 401, 'act');
	assertConforms(r, 'actOnDossier');
	assertProblem(await srv.api('POST', '/api/v1/documents', { body: Buffer.from('%PDF-1.4'), headers: { 'content-type': 'application/pdf' } }), 401, 'upload');
});

test('another citizen gets 404 for someone else\'s dossier, as if it did not exist', async () => {
	const get = await srv.api('GET', `/api/v1/dossiers/${code}`, { token: t.citizen2 });
	assertProblem(get, 404, 'get');
	assertConforms(get, 'getDossier');
	const missing = await srv.api('GET', '/api/v1/dossiers/UBND-00004-260302-9999', { token: t.citizen2 });
	assert.equal(get.body.title, missing.body.title, 'same answer as for a dossier that does not exist');
	assertProblem(await srv.api('GET', `/api/v1/dossiers/${code}/history`, { token: t.citizen2 }), 404, 'history');
	assertProblem(await act(srv, t.citizen2, code, 'withdraw'), 404, 'withdraw');
	const list = await srv.api('GET', '/api/v1/dossiers?limit=100', { token: t.citizen2 });
	assert.ok(!list.body.items.some((x) => x.code === code));
});

test('an officer of another agency cannot act on the dossier (403)', async () => {
	const r = await act(srv, t.officer2, code, 'receive');
	assertProblem(r, 403, 'officer2 receives a UBND-00004 dossier');
	const g = await srv.api('GET', `/api/v1/dossiers/${code}`, { token: t.officer2 });
	assert.ok([403, 404].includes(g.status), `officer2 reads it -> ${g.status}`);
	assertProblem(await srv.api('GET', '/api/v1/dossiers?agency=UBND-00004', { token: t.officer2 }), 403, 'officer2 lists UBND-00004');
	assert.equal((await srv.api('GET', `/api/v1/dossiers/${code}`, { token: t.citizen })).body.status_code, 1, 'nothing happened');
});

test('officers and admins cannot submit dossiers (403)', async () => {
	assertProblem(await srv.api('POST', '/api/v1/dossiers', { token: t.officer, json: body }), 403, 'officer submits');
	assertProblem(await srv.api('POST', '/api/v1/dossiers', { token: t.admin, json: body }), 403, 'admin submits');
});

test('the applicant cannot perform officer actions, officers cannot perform applicant actions', async () => {
	assertProblem(await act(srv, t.citizen, code, 'receive'), 403, 'citizen receives own dossier');
	assertProblem(await act(srv, t.citizen, code, 'refuse', { reason: 'x' }), 403, 'citizen refuses');
	await actOk(srv, t.officer, code, 'request_supplement', { items: ITEMS }, 5);
	const sup = await supplementBody(srv, t.citizen, body);
	assertProblem(await act(srv, t.officer, code, 'supplement', { form: body.form }), 403, 'officer supplements');
	assertProblem(await act(srv, t.citizen2, code, 'supplement', { form: body.form }), 404, 'another citizen supplements');
	await actOk(srv, t.citizen, code, 'supplement', sup, 1);
	assertProblem(await act(srv, t.officer, code, 'withdraw'), 403, 'officer withdraws');
});

test('the applicant and the handling officer see the dossier and its history; admins see and act on all', async () => {
	for (const u of ['citizen', 'officer', 'admin']) {
		assert.equal((await srv.api('GET', `/api/v1/dossiers/${code}`, { token: t[u] })).status, 200, u);
		const h = await srv.api('GET', `/api/v1/dossiers/${code}/history`, { token: t[u] });
		assert.equal(h.status, 200, `${u} history`);
		assert.ok(h.body.items.length >= 3);
	}
	await actOk(srv, t.admin, code, 'receive', {}, 2);
	const all = await srv.api('GET', '/api/v1/dossiers?agency=UBND-00004&limit=100', { token: t.admin });
	assert.equal(all.status, 200);
	assert.ok(all.body.items.some((x) => x.code === code));
});

test('allowed_actions in the detail depend on who asks', async () => {
	const asCitizen = (await srv.api('GET', `/api/v1/dossiers/${code}`, { token: t.citizen })).body.allowed_actions;
	const asOfficer = (await srv.api('GET', `/api/v1/dossiers/${code}`, { token: t.officer })).body.allowed_actions;
	assert.ok(Array.isArray(asCitizen) && Array.isArray(asOfficer));
	assert.ok(asCitizen.includes('withdraw') && !asCitizen.includes('process'), `citizen: ${asCitizen}`);
	assert.ok(asOfficer.includes('process') && !asOfficer.includes('withdraw'), `officer: ${asOfficer}`);
});
