// inbox.test.mjs - the inbox (hộp thư) in a real browser: the demo citizen
// sees the messages of the demo dossiers with the unread ones marked in
// words and the count in the navigation, opens one (a form POST that marks
// it read) and follows its link to the dossier, saves the contact form
// after a wrong phone number; axe-core finds no violation in Vietnamese or
// English.
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

test('the citizen reads a message of the inbox and sets the contact', async () => {
	const page = await newPage(browser);
	await loginForm(page, srv.url, 'citizen', ACCOUNTS.citizen);
	const nav = page.locator('nav a[href="/hop-thu"]');
	const before = Number(await nav.locator('.badge').textContent().then((t) => t.match(/\d+/)[0]));
	assert.ok(before > 0, 'the navigation shows unread messages');
	assert.match(await nav.textContent(), /thư chưa đọc/, 'the count is said in words');
	await Promise.all([page.waitForNavigation(), nav.click()]);
	assert.equal(new URL(page.url()).pathname, '/hop-thu');
	await page.getByRole('heading', { level: 1, name: 'Hộp thư' }).waitFor();
	assert.ok((await page.locator('ul.list li').count()) > 0, 'messages listed');
	assert.ok((await page.locator('ul.list .badge', { hasText: 'Chưa đọc' }).count()) > 0, 'unread marked in words');
	await check(page, 'inbox');

	const first = page.locator('ul.list li').first();
	const subject = (await first.locator('h2').textContent()).replace('Chưa đọc', '').trim();
	await Promise.all([page.waitForNavigation(), first.getByRole('button', { name: /Mở thư/ }).click()]);
	assert.match(new URL(page.url()).pathname, /^\/hop-thu\/\d+$/);
	assert.equal((await page.locator('h1').textContent()).trim(), subject);
	const link = page.getByRole('link', { name: 'Xem hồ sơ' });
	assert.match(await link.getAttribute('href'), /^\/ho-so\/UBND-/);
	await check(page, 'inbox-message');
	const after1 = Number(await page.locator('nav a[href="/hop-thu"] .badge').textContent().then((t) => t.match(/\d+/)[0]));
	assert.equal(after1, before - 1, 'one message fewer unread');
	await Promise.all([page.waitForNavigation(), link.click()]);
	assert.match(new URL(page.url()).pathname, /^\/ho-so\/UBND-/);

	await page.goto(`${srv.url}/hop-thu`);
	await page.getByLabel('Số điện thoại di động').fill('12345');
	await page.getByLabel('Gửi tin nhắn SMS').check();
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu' }).click()]);
	assert.match(await page.locator('.error').textContent(), /số di động/);
	await check(page, 'inbox-contact-error');
	await page.getByLabel('Số điện thoại di động').fill('0912 345 678');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu' }).click()]);
	await page.locator('.success').waitFor();
	assert.equal(await page.getByLabel('Số điện thoại di động').inputValue(), '+84912345678');

	await page.goto(`${srv.url}/hop-thu?lang=en`);
	await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
	await check(page, 'inbox-en');
	await page.close();
});
