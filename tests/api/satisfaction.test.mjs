// satisfaction.test.mjs - ratings of the service per dossier: the
// applicant rates an ended dossier once (a second rating is 409, a dossier
// not ended is 409), other citizens get 404, officers and admins may read
// but not write, officers of another agency get 403; bad input (score
// 0 / 6 / "x", unknown members, oversized comment, wrong content type);
// the aggregate for officers and admins; the demo rating; the audit entry;
// the open-data monthly rows and the satisfaction group of the 766 index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actOk, submit, validSubmission } from './lib/fixtures.mjs';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { ACCOUNTS, useServer } from './lib/server.mjs';

/* every count published, so the open-data rows show the ratings */
const srv = useServer({ env: { MOTCUA_OPENDATA_MIN_COUNT: '1' } });
let citizen, citizen2, officer, officer2, admin, base;

async function tokens() {
	if (citizen) return;
	[citizen, citizen2, officer, officer2, admin] = await Promise.all(['citizen', 'citizen2', 'officer', 'officer2', 'admin'].map((u) => srv.login(u)));
	base = await validSubmission(srv, citizen);
}

const path = (code) => `/api/v1/dossiers/${encodeURIComponent(code)}/rating`;
const rate = (token, code, json) => srv.api('POST', path(code), { token, json });

test('the applicant rates an ended dossier once; readers and non-readers', async () => {
	await tokens();
	const d = await submit(srv, citizen, base);
	/* not ended yet: 409 with the status */
	const early = await rate(citizen, d.code, { score: 5 });
	assertProblem(early, 409, 'not ended');
	assert.equal(early.body.status_code, 1);
	await actOk(srv, officer, d.code, 'receive', {}, 2);
	await actOk(srv, officer, d.code, 'process', {}, 4);
	await actOk(srv, officer, d.code, 'finish', { result: { so: 'GKS-1' } }, 9);

	/* another citizen: 404, the dossier's existence is not revealed */
	assertProblem(await rate(citizen2, d.code, { score: 1 }), 404, 'other citizen');
	assertProblem(await srv.api('GET', path(d.code), { token: citizen2 }), 404, 'other citizen reads');
	/* officers and admins do not rate */
	assertProblem(await rate(officer, d.code, { score: 5 }), 403, 'officer writes');
	assertProblem(await rate(admin, d.code, { score: 5 }), 403, 'admin writes');
	assertProblem(await srv.api('GET', path(d.code), { token: citizen }), 404, 'not rated yet');

	const body = { score: 4, criteria: { on_time: true, courteous: false, easy_online: null }, comment: 'Nhanh, nhưng cán bộ chưa niềm nở.' };
	const r = await rate(citizen, d.code, body);
	assert.equal(r.status, 201, r.text);
	assertConforms(r, 'rateDossier');
	assert.equal(r.body.score, 4);
	assert.equal(r.body.satisfied, true);
	assert.deepEqual(r.body.criteria, { on_time: true, courteous: false, easy_online: null });
	assert.equal(r.body.comment, body.comment);
	assert.equal(r.body.agency, 'UBND-00004');

	/* one rating per dossier */
	assertProblem(await rate(citizen, d.code, { score: 1 }), 409, 'second rating');

	for (const token of [citizen, officer, admin]) {
		const g = await srv.api('GET', path(d.code), { token });
		assert.equal(g.status, 200, g.text);
		assertConforms(g, 'getDossierRating');
		assert.equal(g.body.score, 4);
	}
	assertProblem(await srv.api('GET', path(d.code), { token: officer2 }), 403, 'officer of another agency');
	assertProblem(await srv.api('GET', path(d.code)), 401, 'anonymous');
	assertProblem(await srv.api('GET', path('KHONG-CO-HO-SO')), 401, 'anonymous, unknown');
	assertProblem(await rate(citizen, 'KHONG-CO-HO-SO', { score: 5 }), 404, 'unknown dossier');

	/* the rating and its audit entry */
	const audit = await srv.api('GET', `/api/v1/audit?object=${encodeURIComponent(d.code)}&action=satisfaction.rate`, { token: admin });
	assert.equal(audit.status, 200, audit.text);
	assert.equal(audit.body.items.length, 1);
	assert.equal(audit.body.items[0].detail.score, 4);
	assert.equal(audit.body.items[0].detail.comment, true, 'the audit says a comment exists, not its text');
});

test('a refused dossier can be rated; bad input is refused without a write', async () => {
	await tokens();
	const d = await submit(srv, citizen, base);
	await actOk(srv, officer, d.code, 'refuse', { reason: 'Không thuộc thẩm quyền' }, 3);
	for (const [json, status] of [
		[{ score: 0 }, 422],
		[{ score: 6 }, 422],
		[{ score: 'x' }, 400],
		[{ score: 4.5 }, 400],
		[{}, 422],
		[{ score: 3, stars: 3 }, 422],
		[{ score: 3, criteria: { speed: true } }, 422],
		[{ score: 3, criteria: { on_time: 'yes' } }, 400],
		[{ score: 3, comment: 'x'.repeat(2001) }, 422],
		[{ score: 3, comment: 12 }, 400],
	]) {
		const r = await rate(citizen, d.code, json);
		assertProblem(r, status, JSON.stringify(json).slice(0, 60));
		assert.ok(Array.isArray(r.body.errors) && r.body.errors.length > 0, 'errors listed');
	}
	const wrongType = await srv.api('POST', path(d.code), { token: citizen, body: 'score=5', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	assertProblem(wrongType, 415, 'wrong content type');
	assertProblem(await srv.api('POST', path(d.code), { token: citizen, body: '{"score":', headers: { 'content-type': 'application/json' } }), 400, 'malformed JSON');
	assertProblem(await srv.api('GET', path(d.code), { token: citizen }), 404, 'nothing was written');
	/* 2000 characters are fine; score 2 is not satisfied */
	const ok = await rate(citizen, d.code, { score: 2, comment: 'ạ'.repeat(2000) });
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.body.satisfied, false);
	assert.equal([...ok.body.comment].length, 2000);
});

test('the aggregate: officers see their agency, admins any; the demo rating counts', async () => {
	await tokens();
	const all = await srv.api('GET', '/api/v1/satisfaction', { token: admin });
	assert.equal(all.status, 200, all.text);
	assertConforms(all, 'getSatisfaction');
	/* the demo rating (5) and the two of the tests above (4 and 2) */
	assert.equal(all.body.rated, 3);
	assert.equal(all.body.satisfied, 2);
	assert.ok(Math.abs(all.body.satisfied_share - 2 / 3) < 1e-9);
	assert.deepEqual(all.body.by_score, { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 });
	assert.deepEqual(all.body.criteria.courteous, { yes: 1, no: 1 });
	assert.deepEqual(all.body.agencies.map((a) => [a.agency, a.rated]), [['UBND-00004', 3]]);

	const mine = await srv.api('GET', '/api/v1/satisfaction', { token: officer });
	assert.equal(mine.status, 200);
	assert.equal(mine.body.agency, 'UBND-00004');
	assert.equal(mine.body.rated, 3);
	const other = await srv.api('GET', '/api/v1/satisfaction', { token: officer2 });
	assert.equal(other.body.rated, 0);
	assert.equal(other.body.satisfied_share, 0);
	assertProblem(await srv.api('GET', '/api/v1/satisfaction?agency=UBND-00004', { token: officer2 }), 403, 'another agency');
	assertProblem(await srv.api('GET', '/api/v1/satisfaction', { token: citizen }), 403, 'citizen');
	assertProblem(await srv.api('GET', '/api/v1/satisfaction'), 401, 'anonymous');
	const past = await srv.api('GET', '/api/v1/satisfaction?from=2020-01-01&to=2020-02-01', { token: admin });
	assert.equal(past.body.rated, 0);
	/* the ratings themselves, newest first, paged; the dissatisfied only */
	const p1 = await srv.api('GET', '/api/v1/satisfaction/ratings?limit=2', { token: officer });
	assert.equal(p1.status, 200, p1.text);
	assertConforms(p1, 'listRatings');
	assert.equal(p1.body.items.length, 2);
	assert.ok(p1.body.next_cursor);
	const p2 = await srv.api('GET', `/api/v1/satisfaction/ratings?limit=2&cursor=${p1.body.next_cursor}`, { token: officer });
	assert.equal(p2.body.items.length, 1);
	assert.equal(p2.body.next_cursor, null);
	const seen = [...p1.body.items, ...p2.body.items].map((x) => x.rated_at + x.dossier_code);
	assert.deepEqual(seen, [...seen].sort().reverse(), 'newest first');
	const low = await srv.api('GET', '/api/v1/satisfaction/ratings?satisfied=false', { token: admin });
	assert.deepEqual(low.body.items.map((x) => x.score), [2]);
	assert.equal((await srv.api('GET', '/api/v1/satisfaction/ratings', { token: officer2 })).body.items.length, 0);
	assertProblem(await srv.api('GET', '/api/v1/satisfaction/ratings?agency=UBND-00004', { token: officer2 }), 403, 'another agency ratings');
	assertProblem(await srv.api('GET', '/api/v1/satisfaction/ratings', { token: citizen }), 403, 'citizen ratings');
	for (const q of ['satisfied=maybe', 'limit=0', 'cursor=%%%']) assertProblem(await srv.api('GET', `/api/v1/satisfaction/ratings?${q}`, { token: admin }), 400, q);
	for (const q of ['from=2026-13-01', 'from=x', 'from=2026-02-01&to=2026-01-01', `agency=${'A'.repeat(65)}`]) assertProblem(await srv.api('GET', `/api/v1/satisfaction?${q}`, { token: admin }), 400, q);
});

test('open data: monthly rows per agency and the satisfaction group of the 766 index come from the ratings', async () => {
	await tokens();
	const r = await srv.api('POST', '/api/v1/opendata/refresh', { token: admin });
	assert.equal(r.status, 200, r.text);
	const rows = async (name) => {
		const ds = await srv.api('GET', `/api/v1/opendata/datasets/${name}`);
		assert.equal(ds.status, 200, ds.text);
		const text = (await srv.api('GET', `/api/v1/opendata/resources/${ds.body.resources[0].id}/download`)).text;
		const [head, ...rest] = text.trim().split('\n').map((l) => l.split(','));
		return rest.map((cells) => Object.fromEntries(head.map((h, i) => [h, cells[i]])));
	};
	const sat = await rows('motcua-satisfaction-monthly');
	assert.ok(sat.length >= 1);
	for (const row of sat) assert.equal(row.agency, '"UBND-00004"');
	assert.equal(sat.reduce((n, x) => n + Number(x.ratings), 0), 3);
	assert.equal(sat.reduce((n, x) => n + Number(x.satisfied), 0), 2);
	const idx = (await rows('motcua-766-index')).filter((x) => x.satisfied_share !== '');
	assert.ok(idx.length >= 1, 'a province row measures satisfaction');
	for (const x of idx) {
		const points = Number(x.satisfaction_points);
		/* 18 points at a satisfied share of 90 % or more, linear below */
		assert.ok(Math.abs(points - Math.min(1, Number(x.satisfied_share) / 0.9) * 18) < 0.01, `points ${points}`);
		assert.ok(Number(x.points_possible) >= 18);
	}
});

test('feedback (PAKN): the applicant writes, the agency answers once; the queue; access and bad input', async () => {
	await tokens();
	const d = await submit(srv, citizen, base);
	const fb = (code) => `/api/v1/dossiers/${encodeURIComponent(code)}/feedback`;
	const sent = await srv.api('POST', fb(d.code), { token: citizen, json: { content: 'Hồ sơ đã nộp 3 ngày chưa được tiếp nhận.' } });
	assert.equal(sent.status, 201, sent.text);
	assertConforms(sent, 'sendDossierFeedback');
	assert.equal(sent.body.status, 'open');
	assert.equal(sent.body.agency, 'UBND-00004');
	assertProblem(await srv.api('POST', fb(d.code), { token: citizen2, json: { content: 'x' } }), 404, 'other citizen');
	assertProblem(await srv.api('POST', fb(d.code), { token: officer, json: { content: 'x' } }), 403, 'officer sends');
	for (const [json, status] of [
		[{}, 422],
		[{ content: '   ' }, 422],
		[{ content: 7 }, 400],
		[{ content: 'x'.repeat(4001) }, 422],
		[{ content: 'ok', extra: 1 }, 422],
	])
		assertProblem(await srv.api('POST', fb(d.code), { token: citizen, json }), status, JSON.stringify(json).slice(0, 40));

	const q = await srv.api('GET', '/api/v1/feedback', { token: officer });
	assert.equal(q.status, 200, q.text);
	assertConforms(q, 'listFeedbackQueue');
	assert.ok(q.body.items.some((f) => f.id === sent.body.id));
	assert.ok(q.body.items.some((f) => /^Hồ sơ đang xử lý đã lâu/.test(f.content)), 'the demo feedback is in the queue');
	assert.equal((await srv.api('GET', '/api/v1/feedback', { token: officer2 })).body.items.length, 0);
	assertProblem(await srv.api('GET', '/api/v1/feedback?agency=UBND-00004', { token: officer2 }), 403, 'another agency queue');
	assertProblem(await srv.api('GET', '/api/v1/feedback?status=maybe', { token: admin }), 400, 'bad status');
	assertProblem(await srv.api('GET', '/api/v1/feedback', { token: citizen }), 403, 'citizen queue');

	const ans = (token, json, id = sent.body.id) => srv.api('POST', `/api/v1/feedback/${id}/answer`, { token, json });
	assertProblem(await ans(officer2, { answer: 'Không phải việc của chúng tôi' }), 403, 'other agency answers');
	assertProblem(await ans(officer, { answer: '' }), 422, 'empty answer');
	assertProblem(await ans(officer, { answer: 'ok' }, '0'.repeat(32)), 404, 'unknown feedback');
	const a = await ans(officer, { answer: 'Cơ quan đã tiếp nhận hồ sơ hôm nay, xin lỗi vì chậm trễ.' });
	assert.equal(a.status, 200, a.text);
	assertConforms(a, 'answerFeedback');
	assert.equal(a.body.status, 'answered');
	assert.equal(a.body.answered_by, 'officer');
	assertProblem(await ans(admin, { answer: 'lần hai' }), 409, 'second answer');

	for (const token of [citizen, officer, admin]) {
		const l = await srv.api('GET', fb(d.code), { token });
		assert.equal(l.status, 200, l.text);
		assertConforms(l, 'listDossierFeedback');
		assert.deepEqual(l.body.items.map((f) => f.status), ['answered']);
	}
	assertProblem(await srv.api('GET', fb(d.code), { token: citizen2 }), 404, 'other citizen reads');
	assertProblem(await srv.api('GET', fb(d.code), { token: officer2 }), 403, 'other agency reads');
	const open = await srv.api('GET', '/api/v1/feedback', { token: officer });
	assert.ok(!open.body.items.some((f) => f.id === sent.body.id), 'answered feedback leaves the open queue');
	const all = await srv.api('GET', '/api/v1/feedback?status=all&limit=1', { token: admin });
	assert.equal(all.body.items.length, 1);
});

/* ---- the portal's forms, without a browser ---- */

async function page(path, { cookies = {}, method = 'GET', form } = {}) {
	const headers = {};
	const c = Object.entries(cookies)
		.map(([k, v]) => `${k}=${v}`)
		.join('; ');
	if (c) headers.cookie = c;
	let body;
	if (form) {
		body = new URLSearchParams(form).toString();
		headers['content-type'] = 'application/x-www-form-urlencoded';
	}
	const r = await fetch(srv.url + path, { method, headers, body, redirect: 'manual' });
	const set = {};
	for (const sc of r.headers.getSetCookie()) {
		const [kv] = sc.split(';');
		set[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
	}
	return { status: r.status, location: r.headers.get('location'), text: await r.text(), set };
}
const hidden = (html, name) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1];
async function formLogin(username) {
	const g = await page('/dang-nhap');
	const p = await page('/dang-nhap', { cookies: { mc_pre: g.set.mc_pre }, method: 'POST', form: { username, password: ACCOUNTS[username], csrf: hidden(g.text, 'csrf'), next: '/ho-so' } });
	assert.equal(p.status, 303, p.text);
	return { mc_session: p.set.mc_session };
}

test('portal: the rating and feedback forms need the CSRF token, refuse bad input as pages, then rate once', async () => {
	await tokens();
	const list = await srv.api('GET', '/api/v1/dossiers?status=9', { token: citizen });
	const code = list.body.items[0]?.code;
	assert.ok(code, 'the demo has a processed dossier not rated yet');
	const jar = await formLogin('citizen');
	const view = await page(`/ho-so/${encodeURIComponent(code)}/danh-gia`, { cookies: jar });
	assert.equal(view.status, 200);
	assert.match(view.text, /<fieldset><legend>Mức độ hài lòng của bạn/);
	const csrf = hidden(view.text, 'csrf');
	const post = (form, cookies = jar) => page(`/ho-so/${encodeURIComponent(code)}/danh-gia`, { cookies, method: 'POST', form });
	assert.equal((await post({ score: '5', csrf: '0'.repeat(32) })).status, 403, 'forged CSRF token');
	assertProblem(await srv.api('GET', path(code), { token: citizen }), 404, 'nothing was written');
	const none = await post({ csrf, comment: 'quên chọn điểm' });
	assert.equal(none.status, 422);
	assert.match(none.text, /role="alert"[\s\S]*cần chọn điểm từ 1 đến 5/);
	assert.match(none.text, /quên chọn điểm<\/textarea>/, 'the comment typed is kept');
	assert.equal((await post({ csrf, score: '9' })).status, 422);
	const ok = await post({ csrf, score: '4', on_time: 'yes', courteous: 'no', comment: 'Ổn' });
	assert.equal(ok.status, 303, ok.text);
	assert.equal(ok.location, `/ho-so/${encodeURIComponent(code)}?rated=1#danh-gia`);
	const r = await srv.api('GET', path(code), { token: citizen });
	assert.deepEqual([r.body.score, r.body.criteria, r.body.comment], [4, { on_time: true, courteous: false, easy_online: null }, 'Ổn']);
	assert.equal((await post({ csrf, score: '1' })).status, 409, 'a second rating');
	/* officers do not rate through the portal either */
	const ojar = await formLogin('officer');
	const oview = await page(`/ho-so/${encodeURIComponent(code)}`, { cookies: ojar });
	assert.match(oview.text, /Đánh giá của người dân[\s\S]*Hài lòng<\/strong> \(4\/5\)/);
	assert.equal((await post({ csrf: hidden(oview.text, 'csrf'), score: '5' }, ojar)).status, 403);
	/* feedback through the form, then the officer's answer */
	const fbp = (form, cookies = jar) => page(`/ho-so/${encodeURIComponent(code)}/phan-anh`, { cookies, method: 'POST', form });
	assert.equal((await fbp({ csrf: '1'.repeat(32), content: 'x' })).status, 403, 'forged CSRF token');
	assert.equal((await fbp({ csrf, content: '   ' })).status, 422, 'blank feedback');
	const sent = await fbp({ csrf, content: 'Xin bản giấy' });
	assert.equal(sent.status, 303);
	const [fb] = (await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(code)}/feedback`, { token: citizen })).body.items;
	assert.equal(fb.content, 'Xin bản giấy');
	const answer = (form, cookies) => page(`/ho-so/${encodeURIComponent(code)}/phan-anh/${fb.id}/tra-loi`, { cookies, method: 'POST', form });
	assert.equal((await answer({ csrf, answer: 'tự trả lời' }, jar)).status, 403, 'the citizen does not answer');
	const oc = hidden((await page(`/ho-so/${encodeURIComponent(code)}`, { cookies: ojar })).text, 'csrf');
	const done = await answer({ csrf: oc, answer: 'Đã gửi qua bưu điện' }, ojar);
	assert.equal(done.status, 303);
	assert.equal(done.location, `/ho-so/${encodeURIComponent(code)}?feedback=answered#phan-anh`);
	assert.equal((await answer({ csrf: oc, answer: 'lần hai' }, ojar)).status, 409);
	const office = await page('/danh-gia', { cookies: ojar });
	assert.equal(office.status, 200);
	assert.ok(office.text.includes(`href="/ho-so/${encodeURIComponent(code)}#danh-gia"`), 'the rating is listed');
	assert.equal((await page('/danh-gia', { cookies: jar })).status, 403, 'citizens do not see the officers page');
});
