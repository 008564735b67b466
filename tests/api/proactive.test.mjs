// proactive.test.mjs - proactive services: a life event recorded in the
// population registry (a birth, a death) becomes, after a synchronous
// drain, offers for the right persons with a reason; accepting submits the
// pre-filled dossier in one step (origin recorded, a double click gives one
// dossier, the other parent's offer is superseded); declining; expiry; 401/403/404/409/415/422 cases; the figure of
// essential services delivered proactively counts it; an offer reaches the
// person's inbox (notifications). Runs without --demo
// (fast init): the accounts and persons are created here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { cli, useServer } from './lib/server.mjs';

/* Monday 2 March 2026, 09:00 in Hà Nội. */
const NOW = '2026-03-02T02:00:00Z';
const srv = useServer({ demo: false, now: NOW });

const P = '/api/v1/registries/persons/records';
const FATHER = '001090000201';
const MOTHER = '001190000202';
const OTHER = '079085000203';
const GRANDPA = '001060000205';
const CHILD = '001326000204'; /* female, born 2026 */
const PW = 'proactive-test-2026';

const tok = {};
let ready;
function setup() {
	ready ||= prepare();
	return ready;
}
async function prepare() {
	const add = async (username, role, extra = []) => {
		const r = await cli(['user', 'add', '--data', srv.dataDir, '--username', username, '--role', role, ...extra, '--password-stdin'], { input: `${PW}\n` });
		assert.equal(r.code, 0, r.stderr);
	};
	await add('padmin', 'admin');
	await add('father', 'citizen', ['--person-id', FATHER]);
	await add('mother', 'citizen', ['--person-id', MOTHER]);
	await add('other', 'citizen', ['--person-id', OTHER]);
	await add('pofficer', 'officer', ['--agency', 'UBND-00004']);
	for (const u of ['padmin', 'father', 'mother', 'other', 'pofficer']) tok[u] = await srv.login(u, PW);
	const people = [
		{ id: GRANDPA, full_name: 'Nguyễn Văn Tổ', date_of_birth: '1960-01-10', sex: 'male', residence: '00004' },
		{ id: MOTHER, full_name: 'Lê Thị Mẹ', date_of_birth: '1990-08-08', sex: 'female', residence: '00004' },
		{ id: FATHER, full_name: 'Nguyễn Văn Cha', date_of_birth: '1990-04-01', sex: 'male', residence: '00004', father_id: GRANDPA, spouse_id: MOTHER },
		{ id: OTHER, full_name: 'Trần Văn Khác', date_of_birth: '1985-02-02', sex: 'male', residence: '00008' },
	];
	for (const p of people) {
		const r = await srv.api('POST', P, { token: tok.pofficer, json: { data: p, reason: 'dữ liệu thử' } });
		assert.equal(r.status, 201, r.text);
	}
	const m = await srv.api('PUT', `${P}/${MOTHER}`, { token: tok.pofficer, json: { data: { ...people[1], spouse_id: FATHER }, reason: 'kết hôn' } });
	assert.equal(m.status, 200, m.text);
	/* births of adults (not newborns) and a marriage in one commune: no offer */
	await run();
	assert.equal(await made(), 0);
}

async function run() {
	const r = await srv.api('POST', '/api/v1/proactive/run', { token: tok.padmin });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'runProactive');
	return r.body;
}

/* Offers made so far (the background worker of serve may drain before
 * POST /api/v1/proactive/run does: count offers, not what a run did). */
async function made() {
	const r = await srv.api('GET', '/api/v1/proactive/figure?from=2026-01-01&to=2027-01-01');
	assert.equal(r.status, 200, r.text);
	return r.body.offers.made;
}

async function offers(token) {
	const r = await srv.api('GET', '/api/v1/offers', { token });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'listOffers');
	return r.body.items;
}

const accept = (id, token, json) => srv.api('POST', `/api/v1/offers/${id}/accept`, { token, ...(json ? { json } : {}) });

let fatherOffer, motherOffer, dossierCode;

test('a birth in the registry becomes an offer for each parent, with a reason and a pre-filled form', async () => {
	await setup();
	const born = await srv.api('POST', P, {
		token: tok.pofficer,
		json: { data: { id: CHILD, full_name: 'Nguyễn Thị Con', date_of_birth: '2026-02-27', sex: 'female', residence: '00004', father_id: FATHER, mother_id: MOTHER }, reason: 'đăng ký khai sinh' },
	});
	assert.equal(born.status, 201, born.text);
	await run();
	assert.equal(await made(), 2); /* 1.004222 for both parents; 2.000639 is not online */
	assert.equal((await run()).offers, 0, 'a second drain makes nothing new');
	assert.equal(await made(), 2);

	const mine = await offers(tok.father);
	assert.equal(mine.length, 1);
	fatherOffer = mine[0];
	assert.equal(fatherOffer.status, 'open');
	assert.equal(fatherOffer.procedure.code, '1.004222');
	assert.equal(fatherOffer.event.type, 'person.born');
	assert.equal(fatherOffer.recipient, FATHER);
	assert.equal(fatherOffer.agency, 'UBND-00004');
	assert.match(fatherOffer.reason.vi, /Nguyễn Thị Con/);
	assert.match(fatherOffer.reason.en, /birth/);
	assert.equal(fatherOffer.expires_on, '2026-05-01'); /* 60 days */
	motherOffer = (await offers(tok.mother))[0];
	assert.ok(motherOffer && motherOffer.id !== fatherOffer.id);
	assert.deepEqual(await offers(tok.other), []);

	const d = await srv.api('GET', `/api/v1/offers/${fatherOffer.id}`, { token: tok.father });
	assert.equal(d.status, 200, d.text);
	assertConforms(d, 'getOffer');
	assert.equal(d.body.form.applicant.person_id, FATHER);
	assert.equal(d.body.form.applicant.full_name, 'Nguyễn Văn Cha');
	assert.equal(d.body.form.residence.commune_code, '00004');
	assert.match(d.body.form.note, new RegExp(CHILD));
	assert.ok(d.body.components.some((c) => c.satisfied_by === 'registry'), 'a component comes from a registry');
	assert.deepEqual(d.body.missing.map((m) => m.path), ['$.residence.detail']);

	/* the offer.made event of the contract */
	const ev = await srv.api('GET', '/api/v1/events?type=offer.made', { token: tok.padmin });
	assert.equal(ev.status, 200, ev.text);
	const madeEv = ev.body.items.find((e) => e.payload.offer_id === fatherOffer.id);
	assert.ok(madeEv, 'offer.made emitted');
	assert.equal(madeEv.subject, FATHER);
	assert.equal(madeEv.payload.procedure, '1.004222');
	assert.equal(madeEv.payload.event_type, 'person.born');
	assert.ok(madeEv.payload.procedure_name.vi && madeEv.payload.procedure_name.en);
	assert.ok(madeEv.payload.reason.vi && madeEv.payload.reason.en);

	/* notifications turn the offer into an inbox message for that person */
	const n = await srv.api('POST', '/api/v1/notify/run', { token: tok.padmin });
	assert.equal(n.status, 200, n.text);
	const inbox = await srv.api('GET', '/api/v1/inbox', { token: tok.father });
	assert.equal(inbox.status, 200, inbox.text);
	const msg = inbox.body.items.find((x) => x.event_type === 'offer.made');
	assert.ok(msg, `an inbox message for the offer: ${inbox.text.slice(0, 300)}`);
	assert.equal(msg.link, `/de-xuat/${fatherOffer.id}`);
	assert.match(msg.subject.vi, /Đăng ký thường trú/);
	assert.match(msg.body.en, /Nguyễn Thị Con/);
});

test('who may see and act on an offer', async () => {
	await setup();
	assertProblem(await srv.api('GET', '/api/v1/offers'), 401);
	assertProblem(await srv.api('GET', '/api/v1/offers', { token: tok.pofficer }), 403);
	assertProblem(await srv.api('POST', '/api/v1/proactive/run', { token: tok.father }), 403);
	assertProblem(await srv.api('GET', `/api/v1/offers/${fatherOffer.id}`, { token: tok.other }), 404);
	assertProblem(await accept(fatherOffer.id, tok.other), 404, 'another person accepting');
	assertProblem(await srv.api('POST', `/api/v1/offers/${fatherOffer.id}/decline`, { token: tok.mother }), 404);
	assertProblem(await srv.api('GET', '/api/v1/offers/nothing', { token: tok.father }), 404);
	assertProblem(await srv.api('GET', `/api/v1/offers/${'x'.repeat(300)}`, { token: tok.father }), 404);
	/* bad bodies */
	assertProblem(await srv.api('POST', `/api/v1/offers/${fatherOffer.id}/accept`, { token: tok.father, body: 'x', headers: { 'content-type': 'text/plain' } }), 415);
	assertProblem(await srv.api('POST', `/api/v1/offers/${fatherOffer.id}/accept`, { token: tok.father, body: '[1]', headers: { 'content-type': 'application/json' } }), 400);
	assertProblem(await srv.api('POST', `/api/v1/offers/${fatherOffer.id}/accept`, { token: tok.father, body: '{"form":', headers: { 'content-type': 'application/json' } }), 400);
	assertProblem(await accept(fatherOffer.id, tok.father, { form: 'x' }), 400);
	const big = JSON.stringify({ form: { note: 'x'.repeat(1100000) } });
	assertProblem(await srv.api('POST', `/api/v1/offers/${fatherOffer.id}/accept`, { token: tok.father, body: big, headers: { 'content-type': 'application/json' } }), 413);
	/* the house number the registry does not hold: 422, nothing submitted */
	const r = await accept(fatherOffer.id, tok.father);
	assertProblem(r, 422);
	assert.ok(r.body.errors.some((e) => e.path === '$.form.residence.detail'), r.text);
	assert.equal((await offers(tok.father))[0].status, 'open');
	const list = await srv.api('GET', '/api/v1/dossiers', { token: tok.father });
	assert.equal(list.body.items.length, 0);
	assertProblem(await srv.api('GET', '/api/v1/proactive/figure?from=2026-03-02&to=2026-03-01'), 400);
});

test('accepting submits the dossier in one step; a double click gives one dossier', async () => {
	await setup();
	/* the house number is added; a pre-filled value cannot be replaced */
	const body = { form: { residence: { detail: 'Số 12 phố Đội Cấn' }, applicant: { person_id: OTHER } } };
	const [a, b] = await Promise.all([accept(fatherOffer.id, tok.father, body), accept(fatherOffer.id, tok.father, body)]);
	const ok = [a, b].filter((r) => r.status === 201);
	assert.ok(ok.length >= 1, `${a.status} ${a.text} / ${b.status} ${b.text}`);
	for (const r of [a, b]) if (r.status !== 201) assertProblem(r, 409);
	assertConforms(ok[0], 'acceptOffer');
	const dossier = ok[0].body;
	dossierCode = dossier.code;
	for (const r of ok) assert.equal(r.body.code, dossierCode, 'the same dossier both times');
	assert.equal(dossier.procedure, '1.004222');
	assert.equal(dossier.channel, 'online');
	assert.equal(dossier.agency, 'UBND-00004');
	assert.deepEqual(dossier.origin, { offer: fatherOffer.id });
	assert.equal(dossier.form.residence.detail, 'Số 12 phố Đội Cấn');
	assert.equal(dossier.form.residence.commune_code, '00004');
	assert.equal(dossier.form.applicant.person_id, FATHER);

	const again = await accept(fatherOffer.id, tok.father, body);
	assertProblem(again, 409);
	assert.equal(again.body.dossier, dossierCode);
	assert.equal(again.body.offer_status, 'accepted');
	assertProblem(await srv.api('POST', `/api/v1/offers/${fatherOffer.id}/decline`, { token: tok.father }), 409);

	const list = await srv.api('GET', '/api/v1/dossiers', { token: tok.father });
	assert.equal(list.body.items.length, 1, 'one dossier');
	const g = await srv.api('GET', `/api/v1/dossiers/${dossierCode}`, { token: tok.father });
	assert.deepEqual(g.body.origin, { offer: fatherOffer.id });
	const o = await srv.api('GET', `/api/v1/offers/${fatherOffer.id}`, { token: tok.father });
	assert.equal(o.body.status, 'accepted');
	assert.equal(o.body.dossier, dossierCode);
	/* the other parent's offer of the same event and procedure is done */
	const m = (await offers(tok.mother)).find((x) => x.id === motherOffer.id);
	assert.equal(m.status, 'superseded');
	const ma = await accept(motherOffer.id, tok.mother, body);
	assertProblem(ma, 409);
	assert.equal(ma.body.offer_status, 'superseded');
	assertProblem(await srv.api('POST', `/api/v1/offers/${motherOffer.id}/decline`, { token: tok.mother }), 409);
});

test('a death: offers for the spouse and children only, death registration only without a death record', async () => {
	await setup();
	const g = await srv.api('GET', `${P}/${GRANDPA}`, { token: tok.padmin });
	const put = await srv.api('PUT', `${P}/${GRANDPA}`, { token: tok.pofficer, json: { data: { ...g.body.data, date_of_death: '2026-02-28' }, reason: 'báo tử' } });
	assert.equal(put.status, 200, put.text);
	/* the command-line drain, as an operator would run it */
	const c = await cli(['proactive', 'run', '--data', srv.dataDir], { env: { MOTCUA_NOW: NOW } });
	assert.equal(c.code, 0, c.stderr);
	assert.ok(JSON.parse(c.stdout).position > 0, c.stdout);
	assert.equal(await made(), 5);
	assert.equal((await cli(['proactive', 'nothing'])).code, 2);
	const codes = (await offers(tok.father)).filter((o) => o.event.type === 'person.died').map((o) => o.procedure.code).sort();
	assert.deepEqual(codes, ['1.000656', '1.003197', '2.000821']);
	assert.deepEqual((await offers(tok.mother)).filter((o) => o.event.type === 'person.died'), [], 'a daughter-in-law is not offered');
	const reg = (await offers(tok.father)).find((o) => o.procedure.code === '1.000656');
	assert.equal(reg.form.deceased.person_id, GRANDPA);
	assert.equal(reg.form.deceased.date_of_death, '2026-02-28');
	assert.equal(reg.form.relationship, 'Con');
	assert.match(reg.reason.en, /died on 28\/02\/2026/);
	/* the open ones come first */
	const all = await offers(tok.father);
	assert.deepEqual(all.map((o) => o.status), ['open', 'open', 'open', 'accepted']);
});

test('a move: the person who moved is offered the update of the identity card', async () => {
	await setup();
	const o = await srv.api('GET', `${P}/${OTHER}`, { token: tok.padmin });
	const put = await srv.api('PUT', `${P}/${OTHER}`, { token: tok.pofficer, json: { data: { ...o.body.data, residence: '00025' }, reason: 'chuyển nơi thường trú' } });
	assert.equal(put.status, 200, put.text);
	await run();
	const mine = await offers(tok.other);
	assert.equal(mine.length, 1);
	assert.equal(mine[0].event.type, 'person.address_changed');
	assert.equal(mine[0].procedure.code, '1.014060');
	assert.equal(mine[0].agency, 'UBND-00025', 'the commune of the new residence');
	assert.equal(mine[0].form.reason, 'change_of_details');
	assert.equal(mine[0].form.applicant.person_id, OTHER);
	assert.match(mine[0].form.note, /00025/);
});

test('declining; a declined offer cannot be accepted', async () => {
	await setup();
	const sb = (await offers(tok.father)).find((o) => o.procedure.code === '2.000821');
	const r = await srv.api('POST', `/api/v1/offers/${sb.id}/decline`, { token: tok.father });
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'declineOffer');
	assert.equal(r.body.status, 'declined');
	const a = await accept(sb.id, tok.father, {});
	assertProblem(a, 409);
	assert.equal(a.body.offer_status, 'declined');
	assertProblem(await srv.api('POST', `/api/v1/offers/${sb.id}/decline`, { token: tok.father }), 409);
});

test('the figure counts essential-service dossiers that started from an offer', async () => {
	await setup();
	/* the same procedure applied for without an offer */
	const form = { applicant: { full_name: 'Trần Văn Khác', date_of_birth: '1985-02-02', person_id: OTHER }, residence: { commune_code: '00008', detail: 'Số 1' } };
	const s = await srv.api('POST', '/api/v1/dossiers', { token: tok.other, json: { procedure: '1.004222', agency: 'UBND-00008', channel: 'online', form } });
	assert.equal(s.status, 201, s.text);
	assert.equal(s.body.origin, null);
	const r = await srv.api('GET', '/api/v1/proactive/figure?from=2026-03-01&to=2026-03-03');
	assert.equal(r.status, 200, r.text);
	assertConforms(r, 'getProactiveFigure');
	assert.equal(r.body.essential, 2);
	assert.equal(r.body.from_offer, 1);
	assert.equal(r.body.rate, 0.5);
	assert.equal(r.body.services, 25);
	assert.ok(r.body.codes.includes('1.004222'));
	assert.equal(r.body.offers.made, 6);
	assert.equal(r.body.offers.accepted, 1);
	assert.equal(r.body.offers.declined, 1);
	const before = await srv.api('GET', '/api/v1/proactive/figure?from=2026-01-01&to=2026-02-01');
	assert.equal(before.body.essential, 0);
	assert.equal(before.body.rate, null);
	const rules = await srv.api('GET', '/api/v1/proactive/rules');
	assertConforms(rules, 'getProactiveRules');
	assert.ok(rules.body.rules.some((x) => x.event === 'person.born' && x.procedure === '1.004222'));
});

test('an offer past its last day is expired and cannot be accepted', async () => {
	await setup();
	const open = (await offers(tok.father)).find((o) => o.procedure.code === '1.003197');
	await srv.stop();
	await srv.start({ now: '2026-06-01T02:00:00Z' });
	const login = await srv.login('father', PW);
	const o = (await offers(login)).find((x) => x.id === open.id);
	assert.equal(o.status, 'expired');
	const a = await accept(open.id, login, {});
	assertProblem(a, 409);
	assert.equal(a.body.offer_status, 'expired');
});
