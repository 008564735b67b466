// dossiers.test.mjs - the dossier lifecycle with national status codes:
// the whole path with supplement, payment and transfer; refuse, withdraw,
// stop, apology; the once-only rules; 409 with allowed_actions; dossier
// codes and the daily sequence per agency; history; the officer queue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ITEMS, act, actOk, submit, supplementBody, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

/* Monday 2 March 2026, 09:00 in Hà Nội: UTC and local dates agree. */
const NOW = '2026-03-02T02:00:00Z';
const YYMMDD = '260302';
const srv = useServer({ now: NOW });

let citizen, officer, officer2, admin, base;

async function tokens() {
	if (citizen) return;
	citizen = await srv.login('citizen');
	officer = await srv.login('officer');
	officer2 = await srv.login('officer2');
	admin = await srv.login('admin');
	base = await validSubmission(srv, citizen);
}

async function newDossier(agency = 'UBND-00004') {
	await tokens();
	return submit(srv, citizen, { ...base, agency });
}

async function expectConflict(token, code, action, extra = {}) {
	const r = await act(srv, token, code, action, extra);
	assertProblem(r, 409, `${action} on ${code}`);
	assertConforms(r, 'actOnDossier');
	assert.ok(Array.isArray(r.body.allowed_actions), `409 lists allowed_actions: ${r.text}`);
	return r.body.allowed_actions;
}

test('the demo data has dossiers in different states', async () => {
	await tokens();
	const all = await srv.api('GET', '/api/v1/dossiers?limit=100', { token: admin });
	const states = new Set(all.body.items.map((x) => x.status_code));
	assert.ok(states.size >= 3, `demo dossiers in ${[...states]} states`);
});

test('submission answers 201 with code <agency>-<YYMMDD>-<NNNN>, status 1', async () => {
	await tokens();
	const r = await srv.api('POST', '/api/v1/dossiers', { token: citizen, json: base });
	assert.equal(r.status, 201, r.text);
	assertConforms(r, 'submitDossier');
	assert.match(r.body.code, new RegExp(`^UBND-00004-${YYMMDD}-\\d{4}$`));
	assert.equal(r.body.status_code, 1);
	assert.equal(r.body.status, 'submitted');
	assert.equal(r.body.procedure, '1.001193');
	assert.equal(r.body.agency, 'UBND-00004');
	assert.deepEqual(r.body.form, base.form, 'the form is stored as submitted');
	const got = await srv.api('GET', `/api/v1/dossiers/${r.body.code}`, { token: citizen });
	assert.equal(got.status, 200);
	assertConforms(got, 'getDossier');
	assert.equal(got.body.code, r.body.code);
});

test('the daily sequence increments per agency', async () => {
	const a = await newDossier('UBND-00004');
	const b = await newDossier('UBND-00008');
	const c = await newDossier('UBND-00004');
	const d = await newDossier('UBND-00008');
	const seq = (code) => Number(code.slice(-4));
	assert.match(b.code, new RegExp(`^UBND-00008-${YYMMDD}-\\d{4}$`));
	assert.equal(seq(c.code), seq(a.code) + 1, `${a.code} then ${c.code}: not disturbed by ${b.code}`);
	assert.equal(seq(d.code), seq(b.code) + 1, `${b.code} then ${d.code}`);
});

test('whole lifecycle: receive, supplement, process, payment, transfer, finish by the new agency, return', async () => {
	const d = await newDossier();
	const code = d.code;
	assert.equal(d.due_date ?? null, null, 'no due date before receipt');

	// receive 1 -> 2 sets the due date from the procedure's time limit
	const rec = await actOk(srv, officer, code, 'receive', {}, 2);
	assert.equal(rec.status, 'received');
	assert.match(rec.due_date, /^\d{4}-\d\d-\d\d$/);
	assert.ok(rec.due_date >= '2026-03-02', 'due on or after the receipt');
	const p = (await srv.api('GET', '/api/v1/procedures/1.001193')).body;
	const ch = (p.channels || []).find((x) => x.channel === 'online' && x.time_limit) || (p.channels || []).find((x) => x.time_limit);
	if (ch && ch.time_limit.unit === 'working_days' && Number.isInteger(ch.time_limit.amount)) {
		const exp = await srv.api('GET', `/api/v1/calendar/add?from=2026-03-02&days=${ch.time_limit.amount}`);
		assert.equal(rec.due_date, exp.body.date, `due date = receipt + ${ch.time_limit.amount} working days`);
	}

	// request_supplement 2 -> 5 listing what is missing; the applicant supplements 5 -> 2
	const items = [
		{ component: base.components[0]?.component || 'c1', note: 'Bản sao Giấy chứng nhận kết hôn không rõ nét' },
		{ field: 'noi_sinh', note: 'Ghi rõ nơi sinh theo Giấy chứng sinh' },
	];
	const rs = await actOk(srv, officer, code, 'request_supplement', { items }, 5);
	assert.equal(rs.status, 'supplement_requested');
	assert.ok(JSON.stringify(rs.supplement_request).includes(items[0].note), 'the dossier shows what is missing');
	const sup = await actOk(srv, citizen, code, 'supplement', await supplementBody(srv, citizen, base), 2);
	assert.equal(sup.status, 'received', 'back to the state before the request');

	await actOk(srv, officer, code, 'process', {}, 4);
	const pay = await actOk(srv, officer, code, 'request_payment', { amount: 8000, reason: 'Lệ phí' }, 6);
	assert.equal(pay.status, 'payment_requested');
	await actOk(srv, citizen, code, 'pay', {}, 4);

	// transfer to officer2's agency; the status stays 4
	const tr = await actOk(srv, officer, code, 'transfer', { agency: 'UBND-00008', reason: 'Liên thông' }, 4);
	assert.equal(tr.agency, 'UBND-00008');
	assertProblem(await act(srv, officer, code, 'finish', { result: { so: '1' } }), 403, 'the old agency cannot finish');

	const fin = await actOk(srv, officer2, code, 'finish', { result: { so_giay_khai_sinh: '123/2026', ghi_chu: 'Đã cấp' } }, 9);
	assert.equal(fin.status, 'processed');
	assert.equal(fin.timeliness, 'on_time', 'finished on the day of receipt');
	const ret = await actOk(srv, officer2, code, 'return_result', {}, 10);
	assert.equal(ret.status, 'result_returned');

	// nothing more is allowed
	const allowed = await expectConflict(officer2, code, 'process');
	assert.deepEqual(allowed, [], 'a returned dossier allows no action');

	// history in order
	const h = await srv.api('GET', `/api/v1/dossiers/${code}/history`, { token: citizen });
	assert.equal(h.status, 200, h.text);
	assertConforms(h, 'getDossierHistory');
	const actions = h.body.items.map((e) => e.action);
	assert.deepEqual(actions.slice(1), ['receive', 'request_supplement', 'supplement', 'process', 'request_payment', 'pay', 'transfer', 'finish', 'return_result']);
	assert.deepEqual(h.body.items.map((e) => e.to_status_code), [1, 2, 5, 2, 4, 6, 4, 4, 9, 10]);
	const reqEv = h.body.items.find((e) => e.action === 'request_supplement');
	assert.ok(JSON.stringify(reqEv).includes(items[0].note), 'the supplement request keeps the list of items');
	assert.equal(h.body.items.find((e) => e.action === 'finish').actor, 'officer2');

	// visible to the applicant, the new agency, the old agency and admins
	for (const t of [citizen, officer2, officer, admin]) assert.equal((await srv.api('GET', `/api/v1/dossiers/${code}`, { token: t })).status, 200);
});

test('refuse needs a reason, gives status 3 and ends the dossier', async () => {
	const { code } = await newDossier();
	const noReason = await act(srv, officer, code, 'refuse', {});
	assert.ok([400, 422].includes(noReason.status), `refuse without reason -> ${noReason.status} ${noReason.text}`);
	const r = await actOk(srv, officer, code, 'refuse', { reason: 'Hồ sơ không thuộc thẩm quyền' }, 3);
	assert.equal(r.status, 'refused');
	assert.deepEqual(await expectConflict(officer, code, 'receive'), []);
});

test('the applicant withdraws (7); officers cannot withdraw for them', async () => {
	const { code } = await newDossier();
	await actOk(srv, officer, code, 'receive', {}, 2);
	assertProblem(await act(srv, officer, code, 'withdraw'), 403, 'officer withdraws');
	const r = await actOk(srv, citizen, code, 'withdraw', {}, 7);
	assert.equal(r.status, 'withdrawn');
	await expectConflict(citizen, code, 'withdraw');
});

test('an officer stops processing (8)', async () => {
	const { code } = await newDossier();
	await actOk(srv, officer, code, 'receive', {}, 2);
	await actOk(srv, officer, code, 'process', {}, 4);
	const r = await actOk(srv, officer, code, 'stop', { reason: 'Người yêu cầu không bổ sung' }, 8);
	assert.equal(r.status, 'stopped');
	await expectConflict(officer, code, 'finish', { result: { so: '1' } });
});

test('apology moves the due date once; a second apology is 409', async () => {
	const { code } = await newDossier();
	assertProblem(await act(srv, officer, code, 'apologize', { new_due_date: '2026-04-30', reason: 'x' }), 409, 'apology before receipt');
	const rec = await actOk(srv, officer, code, 'receive', {}, 2);
	const newDue = (await srv.api('GET', `/api/v1/calendar/add?from=${rec.due_date}&days=5`)).body.date;
	const missing = await act(srv, officer, code, 'apologize', { new_due_date: newDue });
	assert.ok([400, 422].includes(missing.status), `apology without reason -> ${missing.status}`);
	const ap = await actOk(srv, officer, code, 'apologize', { new_due_date: newDue, reason: 'Cần xác minh thêm thông tin' }, 2);
	assert.equal(ap.due_date, newDue, 'the new due date applies');
	const again = await act(srv, officer, code, 'apologize', { new_due_date: '2026-06-30', reason: 'Lần hai' });
	assertProblem(again, 409, 'second apology');
	assert.ok(!again.body.allowed_actions.includes('apologize'), 'apologize no longer allowed');
	assert.equal((await srv.api('GET', `/api/v1/dossiers/${code}`, { token: citizen })).body.due_date, newDue);
	await actOk(srv, officer, code, 'process', {}, 4);
	await actOk(srv, officer, code, 'finish', { result: { ket_qua: 'Đã cấp' } }, 9);
	await expectConflict(officer, code, 'apologize', { new_due_date: '2026-07-30', reason: 'Quá muộn' });
});

test('a supplement can be requested once only', async () => {
	const { code } = await newDossier();
	await actOk(srv, officer, code, 'request_supplement', { items: ITEMS }, 5);
	await expectConflict(officer, code, 'request_supplement', { items: ITEMS });
	const empty = await act(srv, citizen, code, 'supplement', {});
	assert.ok([400, 422].includes(empty.status), `a supplement that brings nothing -> ${empty.status}`);
	await actOk(srv, citizen, code, 'supplement', await supplementBody(srv, citizen, base), 1);
	await actOk(srv, officer, code, 'receive', {}, 2);
	const allowed = await expectConflict(officer, code, 'request_supplement', { items: ITEMS });
	assert.ok(!allowed.includes('request_supplement'));
	assert.ok(allowed.includes('process'));
	const noItems = await newDossier();
	for (const bad of [{ items: [] }, {}, { items: ['a bare string'] }, { items: [{ note: 'names nothing' }] }]) {
		const r = await act(srv, officer, noItems.code, 'request_supplement', bad);
		assert.ok([400, 422].includes(r.status), `request_supplement ${JSON.stringify(bad)} -> ${r.status}`);
	}
});

test('an action not allowed in the state is 409 listing the allowed actions', async () => {
	const { code } = await newDossier();
	const allowed = await expectConflict(officer, code, 'finish', { result: { x: 1 } });
	for (const a of ['receive', 'refuse', 'request_supplement']) assert.ok(allowed.includes(a), `${a} allowed in status 1: ${allowed}`);
	for (const a of ['finish', 'process', 'return_result', 'pay', 'supplement']) assert.ok(!allowed.includes(a), `${a} not allowed in status 1`);
	await actOk(srv, officer, code, 'receive', {}, 2);
	const allowed2 = await expectConflict(officer, code, 'return_result');
	assert.ok(allowed2.includes('process'));
	assert.ok(!allowed2.includes('receive'));
	const unknown = await act(srv, officer, code, 'teleport');
	assert.ok([400, 422].includes(unknown.status), `unknown action -> ${unknown.status}`);
	const transferSelf = await act(srv, officer, code, 'transfer', { agency: 'NOPE-1', reason: 'x' });
	assert.ok([409, 422].includes(transferSelf.status), `transfer in status 2 / unknown agency -> ${transferSelf.status}`);
});

test('transfer requires a known agency', async () => {
	const { code } = await newDossier();
	await actOk(srv, officer, code, 'receive', {}, 2);
	await actOk(srv, officer, code, 'process', {}, 4);
	const r = await act(srv, officer, code, 'transfer', { agency: 'NO-SUCH-AGENCY', reason: 'Liên thông' });
	assert.ok([400, 422].includes(r.status), `unknown agency -> ${r.status} ${r.text}`);
	const none = await act(srv, officer, code, 'transfer', {});
	assert.ok([400, 422].includes(none.status), `no agency -> ${none.status}`);
});

test('the officer queue filters by status, agency and due date; citizens see only their own', async () => {
	await tokens();
	const { code } = await newDossier();
	const rec = await actOk(srv, officer, code, 'receive', {}, 2);
	const q = await srv.api('GET', '/api/v1/dossiers?status=2&limit=100', { token: officer });
	assert.equal(q.status, 200, q.text);
	assertConforms(q, 'listDossiers');
	assert.ok(q.body.items.some((x) => x.code === code));
	for (const x of q.body.items) {
		assert.equal(x.status_code, 2);
		assert.equal(x.agency, 'UBND-00004');
	}
	const byName = await srv.api('GET', '/api/v1/dossiers?status=received&limit=100', { token: officer });
	assert.deepEqual(byName.body.items.map((x) => x.code), q.body.items.map((x) => x.code), 'status by name or code');

	const nextDay = (await srv.api('GET', `/api/v1/calendar/add?from=${rec.due_date}&days=1`)).body.date;
	const due = await srv.api('GET', `/api/v1/dossiers?due_before=${nextDay}&limit=100`, { token: officer });
	assert.ok(due.body.items.some((x) => x.code === code), 'due_before after the due date includes it');
	for (const x of due.body.items) assert.ok(x.due_date && x.due_date < nextDay, `${x.code} due ${x.due_date}`);
	const early = await srv.api('GET', `/api/v1/dossiers?due_before=${rec.due_date}&limit=100`, { token: officer });
	assert.ok(!early.body.items.some((x) => x.code === code), 'due_before is strict');

	assertProblem(await srv.api('GET', '/api/v1/dossiers?agency=UBND-00008', { token: officer }), 403, 'another agency\'s queue');
	const q2 = await srv.api('GET', '/api/v1/dossiers?limit=100', { token: officer2 });
	assert.ok(!q2.body.items.some((x) => x.code === code), 'officer2 does not see UBND-00004 dossiers');

	const mine = await srv.api('GET', '/api/v1/dossiers?limit=100', { token: citizen });
	assert.ok(mine.body.items.some((x) => x.code === code));
	const c2 = await srv.login('citizen2');
	const theirs = await srv.api('GET', '/api/v1/dossiers?limit=100', { token: c2 });
	assert.equal(theirs.status, 200);
	assert.ok(!theirs.body.items.some((x) => x.code === code), 'citizen2 does not see citizen\'s dossiers');

	// pagination through everything the admin sees, no duplicates
	const seen = new Set();
	let cursor = null;
	for (let i = 0; i < 100; i++) {
		const p = await srv.api('GET', `/api/v1/dossiers?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin });
		assert.equal(p.status, 200, p.text);
		for (const x of p.body.items) {
			assert.ok(!seen.has(x.code), `${x.code} on two pages`);
			seen.add(x.code);
		}
		cursor = p.body.next_cursor;
		if (!cursor) break;
	}
	assert.ok(seen.has(code));
	for (const bad of ['status=11', 'status=nonsense', 'due_before=2026-13-01', 'late=maybe', 'limit=0']) {
		assertProblem(await srv.api('GET', `/api/v1/dossiers?${bad}`, { token: officer }), 400, bad);
	}
});
