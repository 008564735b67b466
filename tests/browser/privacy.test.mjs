// privacy.test.mjs - "my data" in a real browser: the demo citizen opens
// who used my data from the navigation (the demo reads are there, with
// their basis in plain words), goes to my consents, gives a consent
// through the form (agency select, data, purpose, until), withdraws it,
// and sees a refused form answered with its errors; the pages also in
// English and without JavaScript. axe-core: zero violations on each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useServer } from '../api/lib/server.mjs';
import { check, launch, loginForm, newPage } from './lib.mjs';

const srv = useServer();
let browser;

before(async () => {
	browser = await launch();
});
after(async () => {
	if (browser) await browser.close();
});

test('citizen: who used my data, give and withdraw a consent', async () => {
	const page = await newPage(browser);
	page.setDefaultTimeout(15000);
	await loginForm(page, srv.url, 'citizen', 'citizen-demo-2026');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Dữ liệu của tôi' }).click()]);
	assert.equal(new URL(page.url()).pathname, '/du-lieu-cua-toi');
	await page.getByRole('heading', { level: 1, name: 'Ai đã dùng dữ liệu của tôi' }).waitFor();
	const entries = page.locator('main ul.list > li');
	assert.ok((await entries.count()) >= 4);
	const text = await page.locator('main').innerText();
	assert.match(text, /Bị từ chối/);
	assert.match(text, /Theo sự đồng ý của bạn/);
	assert.match(text, /Để giải quyết hồ sơ của bạn/);
	assert.match(text, /officer2/);
	await check(page, 'privacy-access-log');

	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Sự đồng ý của tôi' }).click()]);
	await page.getByRole('heading', { level: 1, name: 'Sự đồng ý của tôi' }).waitFor();
	assert.equal(await page.getByRole('button', { name: 'Thu hồi sự đồng ý này' }).count(), 1);
	await check(page, 'privacy-consents');

	/* a refused form: no purpose (the browser's own check is bypassed) */
	await page.locator('form[method="post"] textarea#purpose').evaluate((el) => el.removeAttribute('required'));
	await page.getByLabel('Cơ quan', { exact: true }).selectOption('UBND-01');
	await page.getByLabel('Dữ liệu', { exact: true }).selectOption('family');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đồng ý cho phép' }).click()]);
	await page.getByRole('alert').waitFor();
	assert.match(await page.getByRole('alert').innerText(), /mục đích không được để trống/);
	await check(page, 'privacy-consent-refused');

	await page.getByLabel('Cơ quan', { exact: true }).selectOption('UBND-01');
	await page.getByLabel('Dữ liệu', { exact: true }).selectOption('family');
	await page.getByLabel('Mục đích').fill('Xác minh để cấp giấy xác nhận');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đồng ý cho phép' }).click()]);
	assert.match(await page.getByRole('status').innerText(), /Đã ghi nhận/);
	assert.equal(await page.getByRole('button', { name: 'Thu hồi sự đồng ý này' }).count(), 2);
	const li = page.locator('main ul.list > li', { hasText: 'Xác minh để cấp giấy xác nhận' });
	await li.getByText('Đang hiệu lực').waitFor();
	await check(page, 'privacy-consent-given');

	await Promise.all([page.waitForNavigation(), li.getByRole('button', { name: 'Thu hồi sự đồng ý này' }).click()]);
	assert.match(await page.getByRole('status').innerText(), /Đã thu hồi/);
	await page.locator('main ul.list > li', { hasText: 'Xác minh để cấp giấy xác nhận' }).getByText('Đã thu hồi').waitFor();
	assert.equal(await page.getByRole('button', { name: 'Thu hồi sự đồng ý này' }).count(), 1);

	await page.goto(`${srv.url}/du-lieu-cua-toi?lang=en`);
	await page.getByRole('heading', { level: 1, name: 'Who used my data' }).waitFor();
	assert.match(await page.locator('main').innerText(), /With your consent/);
	await check(page, 'privacy-access-log-english');
	await page.context().close();
});

test('the consent pages work without JavaScript', async () => {
	const page = await newPage(browser, { javaScriptEnabled: false });
	page.setDefaultTimeout(15000);
	await loginForm(page, srv.url, 'citizen2', 'citizen2-demo-2026');
	await page.goto(`${srv.url}/dong-y?q=ngoc%20ha`);
	await page.getByLabel('Cơ quan', { exact: true }).selectOption('UBND-00008');
	await page.getByLabel('Dữ liệu', { exact: true }).selectOption('residence');
	await page.getByLabel('Mục đích').fill('Nhận trợ cấp');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đồng ý cho phép' }).click()]);
	assert.match(await page.getByRole('status').innerText(), /Đã ghi nhận/);
	/* axe needs JavaScript: this page was checked in the test above */
	await page.locator('main ul.list > li', { hasText: 'Nhận trợ cấp' }).getByText('Đang hiệu lực').waitFor();
	await page.context().close();
});
