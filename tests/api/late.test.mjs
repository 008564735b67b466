// late.test.mjs - due dates against the clock: a dossier received under an
// early MOTCUA_NOW and finished after the server is restarted with a clock
// far past its due date is "late"; one finished in time is "on_time"; the
// queue's late filter follows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ITEMS, actOk, submit, supplementBody, validSubmission } from './lib/fixtures.mjs';
import { assertConforms } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const EARLY = '2026-03-02T02:00:00Z';
const srv = useServer({ now: EARLY });

const state = {};

test('under the early clock: one dossier finished on time, one left in processing', async () => {
	const c = await srv.login('citizen');
	const o = await srv.login('officer');
	const body = await validSubmission(srv, c);

	const onTime = await submit(srv, c, body);
	await actOk(srv, o, onTime.code, 'receive', {}, 2);
	await actOk(srv, o, onTime.code, 'process', {}, 4);
	const fin = await actOk(srv, o, onTime.code, 'finish', { result: { ket_qua: 'Đã cấp' } }, 9);
	assert.equal(fin.timeliness, 'on_time');
	state.onTime = onTime.code;

	const late = await submit(srv, c, body);
	const rec = await actOk(srv, o, late.code, 'receive', {}, 2);
	await actOk(srv, o, late.code, 'process', {}, 4);
	assert.match(rec.due_date, /^\d{4}-\d\d-\d\d$/);
	state.late = late.code;
	state.due = rec.due_date;

	const pending = await submit(srv, c, body);
	await actOk(srv, o, pending.code, 'receive', {}, 2);
	state.pending = pending.code;

	const notLate = await srv.api('GET', '/api/v1/dossiers?late=true&limit=100', { token: o });
	assert.equal(notLate.status, 200, notLate.text);
	assert.ok(!notLate.body.items.some((x) => x.code === state.late), 'not late before its due date');
});

test('restarted 30 days after the due date: finishing is late, the queue shows it', async () => {
	assert.ok(state.due, 'previous test ran');
	const later = new Date(`${state.due}T02:00:00Z`);
	later.setUTCDate(later.getUTCDate() + 30);
	assert.equal((await srv.stop()).code, 0, 'clean exit on SIGTERM');
	await srv.start({ now: later.toISOString().replace(/\.\d{3}Z$/, 'Z') });
	const o = await srv.login('officer');

	const lateList = await srv.api('GET', '/api/v1/dossiers?late=true&limit=100', { token: o });
	assert.equal(lateList.status, 200, lateList.text);
	assertConforms(lateList, 'listDossiers');
	const lateCodes = lateList.body.items.map((x) => x.code);
	assert.ok(lateCodes.includes(state.late), 'an overdue dossier in processing is late');
	assert.ok(lateCodes.includes(state.pending), 'an overdue received dossier is late');
	assert.ok(!lateCodes.includes(state.onTime), 'a dossier finished in time is not late');
	const notLate = await srv.api('GET', '/api/v1/dossiers?late=false&limit=100', { token: o });
	assert.ok(notLate.body.items.some((x) => x.code === state.onTime));
	assert.ok(!notLate.body.items.some((x) => x.code === state.late));

	const fin = await actOk(srv, o, state.late, 'finish', { result: { ket_qua: 'Đã cấp (muộn)' } }, 9);
	assert.equal(fin.timeliness, 'late');
	const again = await srv.api('GET', `/api/v1/dossiers/${state.late}`, { token: o });
	assert.equal(again.body.timeliness, 'late');
	const still = await srv.api('GET', `/api/v1/dossiers/${state.onTime}`, { token: o });
	assert.equal(still.body.timeliness, 'on_time', 'the earlier verdict does not change with the clock');
});

test('time spent waiting for a supplement does not count towards the due date', async () => {
	// Start on a working day (Monday 1 June 2026) so that both ways of
	// counting the days spent (request day included or not) agree.
	assert.equal((await srv.stop()).code, 0);
	await srv.start({ now: '2026-06-01T02:00:00Z' });
	const c = await srv.login('citizen');
	const o = await srv.login('officer');
	const body = await validSubmission(srv, c, { seed: 3 });
	const d = await submit(srv, c, body);
	const rec = await actOk(srv, o, d.code, 'receive', {}, 2);
	// Supplement requested and answered on the same day: the due date is unchanged.
	await actOk(srv, o, d.code, 'request_supplement', { items: ITEMS }, 5);
	const back = await actOk(srv, c, d.code, 'supplement', await supplementBody(srv, c, body), 2);
	assert.equal(back.due_date, rec.due_date, 'same-day supplement does not move the due date');
	// Supplement spanning days: restart later, answer, the due date moves by the working days spent.
	const d2 = await submit(srv, c, body);
	const rec2 = await actOk(srv, o, d2.code, 'receive', {}, 2);
	await actOk(srv, o, d2.code, 'request_supplement', { items: ITEMS }, 5);
	const today = rec2.received_at ? rec2.received_at.slice(0, 10) : null;
	assert.ok(today, `received_at set: ${JSON.stringify(rec2)}`);
	const plus5 = (await srv.api('GET', `/api/v1/calendar/add?from=${today}&days=5`)).body.date;
	assert.equal((await srv.stop()).code, 0);
	await srv.start({ now: `${plus5}T02:00:00Z` });
	const c2 = await srv.login('citizen');
	const back2 = await actOk(srv, c2, d2.code, 'supplement', await supplementBody(srv, c2, body), 2);
	const expected = (await srv.api('GET', `/api/v1/calendar/add?from=${rec2.due_date}&days=5`)).body.date;
	assert.equal(back2.due_date, expected, `five working days in supplement move the due date ${rec2.due_date} by five working days`);
});
