// lib.mjs - helpers of the browser tests: Debian's chromium driven by
// playwright-core (no browser download), axe-core run in every page, CSP
// violations collected, screenshots of each step under $BROWSER_OUT
// (default build-check/browser-screenshots), keyboard-only helpers.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO } from '../api/lib/server.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const OUT = process.env.BROWSER_OUT || join(REPO, 'build-check/browser-screenshots');
mkdirSync(OUT, { recursive: true });

export async function launch() {
	const args = [];
	if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
	return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args });
}

/* A fresh context (own cookies) in Vietnamese; `problems` collects CSP
 * violations and page errors, asserted empty by check(). */
export async function newPage(browser, { locale = 'vi-VN', javaScriptEnabled = true } = {}) {
	const ctx = await browser.newContext({ locale, javaScriptEnabled, viewport: { width: 390, height: 844 } });
	const page = await ctx.newPage();
	page.problems = [];
	page.on('console', (m) => {
		/* a page answered with 4xx (a refused form) is logged by chromium;
		 * the tests assert those statuses themselves */
		if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
			page.problems.push(m.text());
	});
	page.on('pageerror', (e) => page.problems.push(String(e)));
	return page;
}

let shot = 0;
/* Runs axe-core in the page (WCAG 2.1 A/AA rules) and asserts zero
 * violations and no console errors (CSP refusals show there); saves a
 * full-page screenshot named after the step. axe is evaluated through the
 * DevTools protocol, so the page's CSP (no inline script) stays as served. */
export async function check(page, step) {
	shot += 1;
	const name = `${String(shot).padStart(2, '0')}-${step.replace(/[^a-z0-9]+/gi, '-')}.png`;
	await page.screenshot({ path: join(OUT, name), fullPage: true });
	await page.evaluate(AXE);
	const res = await page.evaluate(() =>
		window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
	);
	const v = res.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join(', ')})`);
	assert.deepEqual(v, [], `axe violations on ${step} (${page.url()})`);
	assert.deepEqual(page.problems, [], `console errors on ${step}`);
	return name;
}

/* Presses Tab (at most 80 times) until the focused element matches `sel`
 * (a CSS selector) and, when given, its label or text contains `text`. */
export async function tabTo(page, sel, text) {
	for (let i = 0; i < 80; i++) {
		await page.keyboard.press('Tab');
		const ok = await page.evaluate(
			([s, t]) => {
				const el = document.activeElement;
				if (!el || !el.matches(s)) return false;
				if (!t) return true;
				const label = (el.labels && el.labels[0] ? el.labels[0].textContent : '') + ' ' + (el.textContent || '') + ' ' + (el.value || '');
				return label.includes(t);
			},
			[sel, text],
		);
		if (ok) return;
	}
	throw new Error(`keyboard: no focusable ${sel} ${text || ''} on ${page.url()}`);
}

/* Opens the file chooser of the focused file input with the Space key, as
 * a keyboard user does. Headless chromium on a loaded machine has been
 * seen to drop the first key press on a freshly loaded page, so the key is
 * pressed again (at most three times, 5 s each) until the chooser opens. */
export async function keyboardFileChooser(page) {
	for (let i = 0; i < 3; i++) {
		const opened = page.waitForEvent('filechooser', { timeout: 5000 }).catch(() => null);
		await page.keyboard.press('Space');
		const chooser = await opened;
		if (chooser) return chooser;
	}
	throw new Error(`keyboard: Space on the focused file input opened no file chooser on ${page.url()}`);
}

/* Logs in through the form. */
export async function loginForm(page, base, user, password) {
	await page.goto(`${base}/dang-nhap`);
	await page.getByLabel('Tên đăng nhập').fill(user);
	await page.getByLabel('Mật khẩu').fill(password);
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}
