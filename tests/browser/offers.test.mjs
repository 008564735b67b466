// offers.test.mjs - proactive offers in a real browser: after a birth is
// recorded in the population registry, the father finds the offer through
// the navigation, reads why it was made and what will be submitted, adds
// the one field the registries do not hold and confirms in one step (the
// dossier's receipt follows; a second confirmation lands on the same
// dossier); before that, the mother declines hers. Every page passes axe-core (zero
// WCAG 2.1 A/AA violations) and is saved as a screenshot, in Vietnamese and
// English. Runs without --demo (fast init): the data is made here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cli, useServer } from '../api/lib/server.mjs';
import { check, launch, loginForm, newPage } from './lib.mjs';

const srv = useServer({ demo: false, now: '2026-03-02T02:00:00Z' });
const P = '/api/v1/registries/persons/records';
const FATHER = '001090000301';
const MOTHER = '001190000302';
const PW = 'offers-browser-2026';
let browser;

before(async () => {
	browser = await launch();
});
after(async () => {
	if (browser) await browser.close();
});

let ready;
const setup = () => (ready ||= prepare());
async function prepare() {
	for (const [u, role, extra] of [
		['oadmin', 'admin', []],
		['ofather', 'citizen', ['--person-id', FATHER]],
		['omother', 'citizen', ['--person-id', MOTHER]],
		['oofficer', 'officer', ['--agency', 'UBND-00004']],
	]) {
		const r = await cli(['user', 'add', '--data', srv.dataDir, '--username', u, '--role', role, ...extra, '--password-stdin'], { input: `${PW}\n` });
		assert.equal(r.code, 0, r.stderr);
	}
	const off = await srv.login('oofficer', PW);
	const people = [
		{ id: MOTHER, full_name: 'Phạm Thị Mai', date_of_birth: '1990-03-03', sex: 'female', residence: '00004' },
		{ id: FATHER, full_name: 'Đỗ Văn Hùng', date_of_birth: '1990-07-07', sex: 'male', residence: '00004', spouse_id: MOTHER },
		{ id: '001326000303', full_name: 'Đỗ Minh Anh', date_of_birth: '2026-02-25', sex: 'female', residence: '00004', father_id: FATHER, mother_id: MOTHER },
	];
	for (const p of people) {
		const r = await srv.api('POST', P, { token: off, json: { data: p, reason: 'đăng ký' } });
		assert.equal(r.status, 201, r.text);
	}
	/* the drain (the background worker may have done it already) */
	const r = await srv.api('POST', '/api/v1/proactive/run', { token: await srv.login('oadmin', PW) });
	assert.equal(r.status, 200, r.text);
	const f = await srv.api('GET', '/api/v1/proactive/figure?from=2026-03-01&to=2026-03-03');
	assert.equal(f.body.offers.made, 2, f.text);
}

test('one parent declines the offer; anonymous visitors go to the login form', async () => {
	await setup();
	const page = await newPage(browser);
	await loginForm(page, srv.url, 'omother', PW);
	await page.goto(srv.url + '/de-xuat');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Đăng ký thường trú' }).click()]);
	const offerUrl = page.url();
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Từ chối đề xuất' }).click()]);
	assert.equal(new URL(page.url()).pathname, '/de-xuat');
	await page.getByText('Đã từ chối đề xuất.').waitFor();
	await page.getByText('Đã từ chối', { exact: true }).waitFor();
	await check(page, 'offers-after-decline');
	await page.goto(offerUrl);
	assert.equal(await page.getByRole('button', { name: 'Xác nhận và nộp hồ sơ' }).count(), 0);
	/* anonymous visitors go to the login form */
	const anon = await newPage(browser);
	await anon.goto(srv.url + '/de-xuat');
	assert.equal(new URL(anon.url()).pathname, '/dang-nhap');
	await anon.context().close();
	await page.context().close();
});

test('the other parent confirms the offer made after a birth in one step', async () => {
	await setup();
	const page = await newPage(browser);
	await loginForm(page, srv.url, 'ofather', PW);
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Đề xuất cho bạn' }).click()]);
	await page.getByRole('heading', { level: 1, name: 'Dịch vụ đề xuất cho bạn' }).waitFor();
	await page.getByText('Đang chờ bạn xác nhận').waitFor();
	await check(page, 'offers-list');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Đăng ký thường trú' }).click()]);
	const offerUrl = page.url();
	await page.getByRole('heading', { name: 'Vì sao bạn nhận được đề xuất này' }).waitFor();
	await page.getByText(/Đỗ Minh Anh \(sinh ngày 25\/02\/2026\)/).waitFor();
	await page.getByRole('heading', { name: 'Những gì sẽ được nộp' }).waitFor();
	await page.getByText('Lấy từ cơ sở dữ liệu quốc gia').first().waitFor();
	await check(page, 'offer-detail');
	/* the one field the registries do not hold, then Confirm */
	await page.getByLabel('Số nhà, đường, thôn, tổ dân phố').fill('Số 5 ngõ Giếng');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Xác nhận và nộp hồ sơ' }).click()]);
	const u = new URL(page.url());
	assert.match(u.pathname, /^\/ho-so\/UBND-00004-260302-\d{4}$/);
	assert.equal(u.searchParams.get('ok'), 'submit');
	await page.getByText('Đăng ký thường trú').first().waitFor();
	await page.getByRole('link', { name: 'Nộp từ đề xuất chủ động (sự kiện trong cuộc sống)' }).waitFor();
	await check(page, 'offer-receipt');
	const code = u.pathname.split('/').pop();
	/* confirming again (back button, second click) shows the same dossier */
	await page.goto(offerUrl);
	await page.getByText('Đã xác nhận, đã nộp hồ sơ').waitFor();
	assert.equal(await page.getByRole('button', { name: 'Xác nhận và nộp hồ sơ' }).count(), 0);
	await page.getByRole('link', { name: code }).waitFor();
	/* English */
	await Promise.all([page.waitForNavigation(), page.locator('a[hreflang="en"]').click()]);
	await page.getByRole('heading', { name: 'Why you are offered this' }).waitFor();
	await check(page, 'offer-detail-english');
	await page.context().close();
});
