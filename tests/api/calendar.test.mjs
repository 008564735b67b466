// calendar.test.mjs - non-working days (weekends, lunar Tết), adding
// working days across Tết, administrator overrides (day off, make-up day).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer();

const addDays = (d, n) => {
	const t = new Date(`${d}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() + n);
	return t.toISOString().slice(0, 10);
};

async function nonWorking(from, to) {
	const r = await srv.api('GET', `/api/v1/calendar?from=${from}&to=${to}`);
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'listNonWorkingDays');
	return r.body.items;
}

async function add(from, days) {
	const r = await srv.api('GET', `/api/v1/calendar/add?from=${from}&days=${days}`);
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'addWorkingDays');
	assert.equal(r.body.from, from);
	assert.equal(r.body.days, days);
	return r.body.date;
}

/* The day `n` working days after `from`, computed from the listing. */
function expectedAdd(from, n, offDays) {
	let d = from;
	if (n === 0) {
		while (offDays.has(d)) d = addDays(d, 1);
		return d;
	}
	let count = 0;
	while (count < n) {
		d = addDays(d, 1);
		if (!offDays.has(d)) count++;
	}
	return d;
}

test('2026-02-17 (lunar new year) is a non-working day because of Tết', async () => {
	const items = await nonWorking('2026-02-01', '2026-02-28');
	const d = items.find((x) => x.date === '2026-02-17');
	assert.ok(d, '2026-02-17 listed');
	assert.match(d.reason, /Tết/);
	assert.ok(d.reason_en && d.reason_en.length > 0, 'English reason');
	assert.ok(items.some((x) => x.date === '2026-02-18'), 'second day of Tết listed');
	for (const x of items) {
		assert.ok(x.date >= '2026-02-01' && x.date <= '2026-02-28', `${x.date} within the range`);
		assert.ok(x.reason, `${x.date} has a reason`);
	}
	const dates = items.map((x) => x.date);
	assert.deepEqual(dates, [...dates].sort(), 'in date order');
	assert.ok(!dates.includes('2026-02-26'), 'an ordinary Thursday is a working day');
});

test('weekends are non-working days; other lunar new years are holidays too', async () => {
	const items = await nonWorking('2026-03-01', '2026-03-08');
	const dates = items.map((x) => x.date);
	assert.ok(dates.includes('2026-03-01'), 'Sunday');
	assert.ok(dates.includes('2026-03-07'), 'Saturday');
	assert.ok(dates.includes('2026-03-08'), 'Sunday');
	for (const d of ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']) assert.ok(!dates.includes(d), `${d} is a working day`);
	for (const [from, to, day] of [['2025-01-27', '2025-02-02', '2025-01-29'], ['2027-02-01', '2027-02-10', '2027-02-06']]) {
		const lny = (await nonWorking(from, to)).find((x) => x.date === day);
		assert.ok(lny, `${day} listed`);
		assert.match(lny.reason, /Tết/);
	}
	const hung = (await nonWorking('2026-04-20', '2026-04-30')).find((x) => x.date === '2026-04-26');
	// Hùng Kings day 2026 (10/3 lunar) falls on Sunday 26 April; its reason may be
	// the weekend or the holiday; it must be listed either way.
	assert.ok(hung, '2026-04-26 listed');
	const apr30 = (await nonWorking('2026-04-30', '2026-05-01')).map((x) => x.date);
	assert.deepEqual(apr30, ['2026-04-30', '2026-05-01'], '30 April and 1 May');
});

test('adding working days skips Tết and weekends, consistently with the listing', async () => {
	const off = new Set((await nonWorking('2026-02-01', '2026-03-31')).filter((x) => x.kind !== 'declared_work').map((x) => x.date));
	for (const [from, n] of [['2026-02-13', 1], ['2026-02-12', 3], ['2026-02-16', 5], ['2026-02-09', 15], ['2026-02-14', 0], ['2026-03-02', 0]]) {
		const got = await add(from, n);
		assert.equal(got, expectedAdd(from, n, off), `add(${from}, ${n})`);
		assert.ok(!off.has(got), `${got} is a working day`);
	}
	assert.ok((await add('2026-02-13', 1)) > '2026-02-18', 'one working day after Friday 13 Feb 2026 is after Tết');
	assert.equal(await add('2026-03-02', 5), '2026-03-09', 'a plain week');
});

test('admin declares a day off: add skips it; deleting the override restores it', async () => {
	assert.equal(await add('2026-03-03', 1), '2026-03-04');
	const admin = await srv.login('admin');
	const put = await srv.api('PUT', '/api/v1/calendar/days/2026-03-04', {
		token: admin,
		json: { kind: 'off', reason: 'Nghỉ bù', reason_en: 'Compensatory day off' },
	});
	assert.equal(put.status, 201, `new override: ${put.text}`);
	assertConforms(put, 'setCalendarDay');
	assert.equal(put.body.kind, 'off');
	assert.equal(await add('2026-03-03', 1), '2026-03-05', 'the declared day off is skipped');
	const listed = (await nonWorking('2026-03-04', '2026-03-04'))[0];
	assert.equal(listed?.date, '2026-03-04');
	assert.equal(listed.kind, 'declared_off');
	assert.equal(listed.reason, 'Nghỉ bù');
	assert.equal(listed.reason_en, 'Compensatory day off');

	const del = await srv.api('DELETE', '/api/v1/calendar/days/2026-03-04', { token: admin });
	assert.equal(del.status, 204, del.text);
	assert.equal(await add('2026-03-03', 1), '2026-03-04', 'back to a working day');
	assertProblem(await srv.api('DELETE', '/api/v1/calendar/days/2026-03-04', { token: admin }), 404, 'no override left');
});

test('admin declares a make-up working Saturday', async () => {
	assert.equal(await add('2026-03-06', 1), '2026-03-09');
	const admin = await srv.login('admin');
	const put = await srv.api('PUT', '/api/v1/calendar/days/2026-03-07', {
		token: admin,
		json: { kind: 'work', reason: 'Làm bù', reason_en: 'Make-up working day' },
	});
	assert.equal(put.status, 201, put.text);
	assert.equal(await add('2026-03-06', 1), '2026-03-07', 'the Saturday now counts');
	const items = await nonWorking('2026-03-07', '2026-03-08');
	const sat = items.find((x) => x.date === '2026-03-07');
	assert.ok(!sat || sat.kind === 'declared_work', `the Saturday is not listed as non-working: ${JSON.stringify(sat)}`);
	const again = await srv.api('PUT', '/api/v1/calendar/days/2026-03-07', {
		token: admin,
		json: { kind: 'work', reason: 'Làm bù (sửa)', reason_en: 'Make-up working day' },
	});
	assert.equal(again.status, 200, `replacing an override: ${again.text}`);
	assert.equal((await srv.api('DELETE', '/api/v1/calendar/days/2026-03-07', { token: admin })).status, 204);
});

test('only admins change the calendar (401 anonymous, 403 others)', async () => {
	const body = { kind: 'off', reason: 'Thử', reason_en: 'Test' };
	assertProblem(await srv.api('PUT', '/api/v1/calendar/days/2026-03-10', { json: body }), 401, 'anonymous');
	for (const u of ['citizen', 'officer']) {
		const t = await srv.login(u);
		assertProblem(await srv.api('PUT', '/api/v1/calendar/days/2026-03-10', { token: t, json: body }), 403, u);
		assertProblem(await srv.api('DELETE', '/api/v1/calendar/days/2026-03-10', { token: t }), 403, `${u} delete`);
	}
	assert.equal(await add('2026-03-09', 1), '2026-03-10', 'nothing changed');
});

test('bad dates and counts are 400', async () => {
	for (const q of ['from=2026-02-30&days=1', 'from=yesterday&days=1', 'from=2026-03-02&days=-1', 'from=2026-03-02&days=x', 'from=2026-03-02']) {
		assertProblem(await srv.api('GET', `/api/v1/calendar/add?${q}`), 400, q);
	}
	for (const q of ['from=2026-13-01&to=2026-12-31', 'from=2026-01-01&to=2027-06-01', 'from=2026-03-10&to=2026-03-01']) {
		assertProblem(await srv.api('GET', `/api/v1/calendar?${q}`), 400, q);
	}
	const admin = await srv.login('admin');
	const bad = await srv.api('PUT', '/api/v1/calendar/days/2026-03-11', { token: admin, json: { kind: 'holiday', reason: 'x' } });
	assert.ok([400, 422].includes(bad.status), `kind holiday -> ${bad.status}`);
	const badDate = await srv.api('PUT', '/api/v1/calendar/days/2026-02-30', { token: admin, json: { kind: 'off', reason: 'x' } });
	assertProblem(badDate, 400, 'invalid date in the path');
});
