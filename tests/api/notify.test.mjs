// notify.test.mjs - notifications: dossier events become inbox messages
// of the applicant (submission, reception with the due date, supplement
// request), paging and the unread count, the read mark, another person's
// message answers 404, officers have no inbox, contact validation (422),
// e-mail through an SMTP sink with the Vietnamese subject, SMS through a
// gateway that fails once (retry with backoff), the CLI drain.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { actOk, ITEMS, submit, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { cli, useServer } from './lib/server.mjs';
import { smsGateway, smtpSink } from './lib/sinks.mjs';

/* Monday 2 March 2026, 09:00 in Hà Nội. */
const NOW = '2026-03-02T02:00:00Z';
const smtp = await smtpSink();
const sms = await smsGateway({ failFirst: 1 });
const srv = useServer({
	now: NOW,
	args: ['--smtp-url', smtp.url, '--smtp-from', 'thongbao@motcua.gov.vn', '--sms-url', sms.url, '--notify-retry', '1', '--notify-poll', '300'],
});
after(async () => {
	await smtp.close();
	await sms.close();
});

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
let citizen, citizen2, officer, admin, body;

async function tokens() {
	if (citizen) return;
	citizen = await srv.login('citizen');
	citizen2 = await srv.login('citizen2');
	officer = await srv.login('officer');
	admin = await srv.login('admin');
	body = await validSubmission(srv, citizen);
}

async function run() {
	const r = await srv.api('POST', '/api/v1/notify/run', { token: admin });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'runNotifications');
	return r.body;
}

async function inbox(token = citizen, q = '') {
	const r = await srv.api('GET', `/api/v1/inbox${q}`, { token });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'listInbox');
	return r.body;
}

/* The message of `token`'s inbox whose subject (vi) contains `text`. */
async function find(text, token = citizen) {
	await run();
	const page = await inbox(token, '?limit=100');
	return page.items.find((m) => m.subject.vi.includes(text));
}

test('submission and reception become messages in the applicant inbox, with the due date', async () => {
	await tokens();
	const d = await submit(srv, citizen, body);
	const sub = await find(d.code);
	assert.ok(sub, 'a message about the submitted dossier');
	assert.equal(sub.subject.vi, `Đã gửi hồ sơ ${d.code}`);
	assert.equal(sub.subject.en, `Dossier ${d.code} submitted`);
	assert.equal(sub.link, `/ho-so/${d.code}`);
	assert.equal(sub.event_type, 'dossier.status_changed');
	assert.equal(sub.read, false);

	const rec = await actOk(srv, officer, d.code, 'receive', {}, 2);
	assert.match(rec.due_date, /^\d{4}-\d\d-\d\d$/);
	const [y, m, dd] = rec.due_date.split('-');
	const msg = await find(`Hồ sơ ${d.code} đã được tiếp nhận`);
	assert.ok(msg, 'a message about the reception');
	assert.ok(msg.body.vi.includes(`Ngày hẹn trả kết quả: ${dd}/${m}/${y}`), msg.body.vi);
	assert.ok(msg.body.en.includes(`${dd}/${m}/${y}`), msg.body.en);

	await actOk(srv, officer, d.code, 'request_supplement', { items: ITEMS }, 5);
	const sup = await find(`Cần bổ sung hồ sơ ${d.code}`);
	assert.ok(sup, 'a message about the supplement request');
	assert.equal(sup.link, `/ho-so/${d.code}`);

	/* the event itself follows the contract */
	const ev = await srv.api('GET', '/api/v1/events?type=dossier.status_changed&limit=100', { token: admin });
	const mine = ev.body.items.filter((e) => e.subject === d.code);
	assert.deepEqual(
		mine.map((e) => [e.payload.action, e.payload.from_status_code, e.payload.to_status_code]),
		[
			['submit', 0, 1],
			['receive', 1, 2],
			['request_supplement', 2, 5],
		],
	);
	assert.equal(mine[1].payload.due_date, rec.due_date);
	assert.equal(mine[0].payload.applicant, '001090012345');
	assert.equal(typeof mine[0].payload.procedure_name.vi, 'string');

	/* a second run creates nothing again */
	const again = await run();
	assert.equal(again.messages, 0);
});

test('newest first, cursor paging, unread count and the read mark', async () => {
	await tokens();
	const first = await inbox(citizen, '?limit=2');
	assert.equal(first.items.length, 2);
	assert.ok(first.items[0].id > first.items[1].id, 'newest first');
	assert.ok(first.next_cursor, 'more pages');
	const second = await inbox(citizen, `?limit=2&cursor=${first.next_cursor}`);
	assert.ok(second.items[0].id < first.items[1].id, 'the next page continues below');
	const unread = first.unread;
	assert.ok(unread >= 3, `unread ${unread}`);

	const id = first.items[0].id;
	const r = await srv.api('POST', `/api/v1/inbox/${id}/read`, { token: citizen });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'readInboxMessage');
	assert.equal(r.body.read, true);
	assert.match(r.body.read_at, /^\d{4}-/);
	const again = await srv.api('POST', `/api/v1/inbox/${id}/read`, { token: citizen });
	assert.equal(again.body.read_at, r.body.read_at, 'marking twice keeps the first time');
	assert.equal((await inbox()).unread, unread - 1);

	const bad = await srv.api('GET', '/api/v1/inbox?cursor=bm9wZQ', { token: citizen });
	assertProblem(bad, 400, 'bad cursor');
	assertProblem(await srv.api('GET', '/api/v1/inbox?limit=0', { token: citizen }), 400, 'limit 0');
});

test("another person's message is 404; officers have no inbox; anonymous 401", async () => {
	await tokens();
	const id = (await inbox()).items[0].id;
	assertProblem(await srv.api('GET', `/api/v1/inbox/${id}`, { token: citizen2 }), 404, 'other person get');
	assertProblem(await srv.api('POST', `/api/v1/inbox/${id}/read`, { token: citizen2 }), 404, 'other person read');
	assertProblem(await srv.api('GET', '/api/v1/inbox/99999999', { token: citizen }), 404, 'no such message');
	assertProblem(await srv.api('GET', '/api/v1/inbox/abc', { token: citizen }), 404, 'not a number');
	assert.ok(!(await inbox(citizen2)).items.some((m) => m.id === id), 'not in the other inbox');
	assertProblem(await srv.api('GET', '/api/v1/inbox', { token: officer }), 403, 'officer');
	assertProblem(await srv.api('GET', '/api/v1/inbox'), 401, 'anonymous');
	assertProblem(await srv.api('POST', '/api/v1/notify/run', { token: citizen }), 403, 'run is for admins');
});

test('contact: validation answers 422 with errors, a valid one is kept normalised', async () => {
	await tokens();
	const put = (json, token = citizen2) => srv.api('PUT', '/api/v1/notify/contact', { token, json });
	for (const [bad, path] of [
		[{ email: 'not-an-address' }, '$.email'],
		[{ email: `${'a'.repeat(250)}@x.vn` }, '$.email'],
		[{ email: 'a@b.vn\r\nBcc: x@y.vn' }, '$.email'],
		[{ phone: '12345' }, '$.phone'],
		[{ sms_enabled: true }, '$.sms_enabled'],
		[{ email_enabled: 'yes', email: 'a@b.vn' }, '$.email_enabled'],
		[{ lang: 'fr' }, '$.lang'],
		[{ colour: 'red' }, '$'],
	]) {
		const r = await put(bad);
		assertProblem(r, 422, JSON.stringify(bad));
		assert.ok(r.body.errors.some((e) => e.path === path), `${path} in ${r.text}`);
	}
	assertProblem(await srv.api('PUT', '/api/v1/notify/contact', { token: citizen2, body: '{', headers: { 'content-type': 'application/json' } }), 400, 'bad JSON');
	assertProblem(await put({ email: 'x@y.vn' }, officer), 403, 'officer has no contact here');
	const ok = await put({ email: 'tran.thi.b@example.vn', phone: '091 234 5678', email_enabled: true, sms_enabled: false, lang: 'en' });
	assert.equal(ok.status, 200, ok.text);
	assertConforms(ok, 'putNotifyContact');
	assert.equal(ok.body.phone, '+84912345678');
	assert.equal(ok.body.lang, 'en');
	const got = await srv.api('GET', '/api/v1/notify/contact', { token: citizen2 });
	assert.equal(got.status, 200);
	assertConforms(got, 'getNotifyContact');
	assert.equal(got.body.email, 'tran.thi.b@example.vn');
	assert.equal(got.body.email_enabled, true);
});

test('e-mail reaches the SMTP server with the Vietnamese subject; SMS is retried after a gateway failure', async () => {
	await tokens();
	const c = await srv.api('PUT', '/api/v1/notify/contact', {
		token: citizen,
		json: { email: 'nguyen.van.a@example.vn', phone: '0912345678', email_enabled: true, sms_enabled: true },
	});
	assert.equal(c.status, 200, c.text);
	const d = await submit(srv, citizen, body);
	const msg = await find(d.code);
	assert.ok(msg, 'message made');
	/* bounded wait for the worker or our runs: e-mail sent, SMS failed once */
	let got;
	for (let i = 0; i < 100; i++) {
		await run();
		got = (await srv.api('GET', `/api/v1/inbox/${msg.id}`, { token: citizen })).body;
		const email = got.deliveries.find((x) => x.channel === 'email');
		const s = got.deliveries.find((x) => x.channel === 'sms');
		if (email?.status === 'sent' && s?.attempts >= 1) break;
		await pause(100);
	}
	const email = got.deliveries.find((x) => x.channel === 'email');
	assert.equal(email.status, 'sent', JSON.stringify(got.deliveries));
	const mail = smtp.messages.find((m) => m.subject === `Đã gửi hồ sơ ${d.code}`);
	assert.ok(mail, `the sink has the message: ${JSON.stringify(smtp.messages.map((m) => m.subject))}`);
	assert.deepEqual(mail.to, ['<nguyen.van.a@example.vn>']);
	assert.match(mail.headers, /Content-Type: text\/plain; charset=UTF-8/);
	assert.ok(mail.body.includes(`/ho-so/${d.code}`), mail.body);

	const first = got.deliveries.find((x) => x.channel === 'sms');
	if (first.status === 'pending') {
		assert.equal(first.attempts, 1);
		assert.match(first.last_error, /503/);
		assert.ok(first.next_attempt_at, 'a next attempt is scheduled');
	}
	let smsd;
	for (let i = 0; i < 100; i++) {
		await run();
		got = (await srv.api('GET', `/api/v1/inbox/${msg.id}`, { token: citizen })).body;
		smsd = got.deliveries.find((x) => x.channel === 'sms');
		if (smsd.status === 'sent') break;
		await pause(100);
	}
	assert.equal(smsd.status, 'sent', JSON.stringify(smsd));
	assert.equal(smsd.attempts, 2, 'sent at the second attempt');
	assert.equal(smsd.last_error, null);
	assert.equal(sms.requests, 2);
	assert.deepEqual(sms.received[0], { to: '+84912345678', text: `Đã gửi hồ sơ ${d.code}` });
});

test('the worker of serve makes messages without a run; the CLI drains too', async () => {
	await tokens();
	const d = await submit(srv, citizen, body);
	let hit;
	for (let i = 0; i < 100 && !hit; i++) {
		hit = (await inbox(citizen, '?limit=5')).items.find((m) => m.subject.vi.includes(d.code));
		if (!hit) await pause(100);
	}
	assert.ok(hit, 'the background worker made the message');
	const r = await cli(['notify', 'run', '--data', srv.dataDir]);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(JSON.parse(r.stdout).messages, 0, 'nothing left to handle');
	const bad = await cli(['notify', 'frobnicate']);
	assert.equal(bad.code, 2);
});
