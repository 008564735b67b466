// satisfaction.test.mjs - "rate the service" in a real browser: the demo
// citizen opens an ended dossier (processed, not rated yet), rates it with
// the radio groups (fieldsets with legends) and a comment, and sees the
// rating on the dossier page, then sends feedback (PAKN); the officer of the
// agency sees the rating, answers the feedback and finds both on the
// officers' page /danh-gia; the scoreboard shows the satisfied share. Every page passes
// axe-core and is saved as a screenshot.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, useServer } from '../api/lib/server.mjs';
import { check, launch, loginForm, newPage } from './lib.mjs';

const srv = useServer();
let browser;

before(async () => {
	browser = await launch();
});
after(async () => {
	if (browser) await browser.close();
});

test('a citizen rates an ended dossier; the officer reads the rating; the scoreboard counts it', async () => {
	const token = await srv.login('citizen');
	const list = await srv.api('GET', '/api/v1/dossiers?status=9', { token });
	assert.equal(list.status, 200, list.text);
	const code = list.body.items[0]?.code;
	assert.ok(code, 'the demo has a processed dossier');

	const page = await newPage(browser);
	await loginForm(page, srv.url, 'citizen', ACCOUNTS.citizen);
	await page.goto(`${srv.url}/ho-so/${encodeURIComponent(code)}`);
	const form = page.getByRole('region', { name: 'Đánh giá mức độ hài lòng' });
	await form.getByRole('group', { name: /Mức độ hài lòng của bạn/ }).waitFor();
	await check(page, 'rating-form');
	await form.getByLabel('Hài lòng', { exact: true }).check();
	await form.getByRole('group', { name: /đúng hẹn/ }).getByLabel('Có').check();
	await form.getByLabel(/Góp ý thêm/).fill('Thủ tục nhanh gọn, cán bộ hướng dẫn rõ ràng.');
	await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Gửi đánh giá' }).click()]);
	assert.match(page.url(), /\?rated=1#danh-gia$/);
	const done = page.getByRole('region', { name: 'Đánh giá của bạn' });
	await done.getByRole('status').filter({ hasText: 'Cảm ơn bạn đã đánh giá.' }).waitFor();
	assert.match(await done.textContent(), /Hài lòng \(4\/5\).*Thủ tục nhanh gọn/s);
	await check(page, 'rating-given');
	/* feedback (PAKN) about the same dossier */
	const fb = page.getByRole('region', { name: 'Phản ánh, kiến nghị' });
	await fb.getByText('Gửi phản ánh, kiến nghị').click();
	await fb.getByLabel(/Nội dung phản ánh, kiến nghị/).fill('Đề nghị gửi thêm bản giấy của kết quả.');
	await Promise.all([page.waitForNavigation(), fb.getByRole('button', { name: 'Gửi', exact: true }).click()]);
	await page.getByRole('status').filter({ hasText: 'Đã gửi phản ánh, kiến nghị.' }).waitFor();
	await page.getByText('Cơ quan chưa trả lời.').waitFor();
	/* the rating page itself says it is done; no second form */
	await page.goto(`${srv.url}/ho-so/${encodeURIComponent(code)}/danh-gia?lang=en`);
	await page.getByRole('region', { name: 'Your rating' }).waitFor();
	assert.equal(await page.locator('form[action$="/danh-gia"]').count(), 0);
	await page.context().close();

	const officer = await newPage(browser);
	await loginForm(officer, srv.url, 'officer', ACCOUNTS.officer);
	await officer.goto(`${srv.url}/ho-so/${encodeURIComponent(code)}`);
	await officer.getByRole('region', { name: 'Đánh giá của người dân' }).getByText('Hài lòng (4/5)').waitFor();
	const ofb = officer.getByRole('region', { name: 'Phản ánh, kiến nghị' });
	await ofb.getByText('Đề nghị gửi thêm bản giấy của kết quả.').waitFor();
	await check(officer, 'feedback-to-answer');
	await ofb.getByLabel(/Trả lời/).fill('Bản giấy sẽ được gửi qua bưu điện trong tuần.');
	await Promise.all([officer.waitForNavigation(), ofb.getByRole('button', { name: 'Gửi trả lời' }).click()]);
	await officer.getByRole('status').filter({ hasText: 'Đã gửi câu trả lời.' }).waitFor();
	await officer.getByText('Bản giấy sẽ được gửi qua bưu điện trong tuần.').waitFor();
	assert.equal(await officer.locator('textarea[name="answer"]').count(), 0, 'answered once');
	/* the officers' page: the demo feedback waits for an answer, this rating is listed */
	await Promise.all([officer.waitForNavigation(), officer.getByRole('link', { name: 'Đánh giá, phản ánh' }).click()]);
	await officer.getByRole('heading', { level: 1, name: 'Đánh giá và phản ánh của người dân' }).waitFor();
	await officer.getByRole('table', { name: 'Cũ nhất trước' }).getByText(/Hồ sơ đang xử lý đã lâu/).waitFor();
	await officer.getByRole('table', { name: 'Mới nhất trước' }).getByRole('link', { name: code }).waitFor();
	await check(officer, 'officer-ratings-feedback');
	await officer.goto(`${srv.url}/so-lieu`);
	const row = officer.getByRole('row', { name: /Người dân, doanh nghiệp hài lòng/ });
	/* the demo rating (5) and this one (4): 2 of 2 */
	assert.match(await row.textContent(), /100,0 %\s*2 \/ 2/);
	await check(officer, 'scoreboard-satisfied');
	await officer.context().close();
});
