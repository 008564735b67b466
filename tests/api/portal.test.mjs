// portal.test.mjs - the portal without a browser: fetch the HTML, follow
// its links and forms like a browser without JavaScript would, and check
// what a browser relies on: the search form, stable procedure addresses,
// the language switch and its cookie, escaping, the Content-Security-
// Policy, page weight (gzip, <= 150 KB with assets), cookie sessions and
// CSRF tokens, access rules, and the queue's late highlighting.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { Server, useServer } from './lib/server.mjs';

const NOW = '2026-03-02T02:00:00Z'; /* Monday 2 March 2026, 09:00 in Hà Nội */
const srv = useServer({ now: NOW });

/* GET/POST with cookies; no redirect following. */
async function page(path, { cookies = {}, method = 'GET', form, headers = {} } = {}) {
	const h = { ...headers };
	const c = Object.entries(cookies)
		.map(([k, v]) => `${k}=${v}`)
		.join('; ');
	if (c) h.cookie = c;
	let body;
	if (form) {
		body = new URLSearchParams(form).toString();
		h['content-type'] = 'application/x-www-form-urlencoded';
	}
	const r = await fetch(srv.url + path, { method, headers: h, body, redirect: 'manual' });
	const text = await r.text();
	const set = {};
	for (const sc of r.headers.getSetCookie()) {
		const [kv] = sc.split(';');
		const i = kv.indexOf('=');
		set[kv.slice(0, i)] = { value: kv.slice(i + 1), raw: sc };
	}
	return { status: r.status, headers: r.headers, text, set };
}

const hidden = (html, name) => {
	const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
	return m ? m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&') : null;
};

/* Logs in through the form; returns the cookie jar. */
async function formLogin(username, password) {
	const g = await page('/dang-nhap');
	assert.equal(g.status, 200);
	const jar = { mc_pre: g.set.mc_pre.value };
	const p = await page('/dang-nhap', { cookies: jar, method: 'POST', form: { username, password, csrf: hidden(g.text, 'csrf'), next: '/ho-so' } });
	assert.equal(p.status, 303, p.text);
	assert.equal(p.headers.get('location'), '/ho-so');
	return { mc_session: p.set.mc_session.value };
}

/* Bytes on the wire (compressed) of one GET. */
function wireSize(path) {
	return new Promise((res, rej) => {
		const u = new URL(srv.url + path);
		const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { 'accept-encoding': 'gzip' } }, (r) => {
			let n = 0;
			r.on('data', (d) => (n += d.length));
			r.on('end', () => res({ status: r.statusCode, bytes: n, encoding: r.headers['content-encoding'] }));
		});
		req.on('error', rej);
		req.end();
	});
}

test('the home page has a search form that works without JavaScript', async () => {
	const r = await page('/');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
	assert.match(r.text, /<html lang="vi">/);
	assert.match(r.text, /<form class="search" method="get" action="\/thu-tuc"/);
	assert.match(r.text, /<input type="search" id="q" name="q"/);
	/* following the form: GET /thu-tuc?q=... with or without diacritics */
	for (const q of ['dang ky khai sinh', 'đăng ký khai sinh', 'DANG KY KHAI SINH']) {
		const s = await page('/thu-tuc?' + new URLSearchParams({ q }));
		assert.equal(s.status, 200);
		const first = /<ol class="list"><li><a href="([^"]+)"/.exec(s.text);
		assert.ok(first, `results for ${q}`);
		assert.equal(first[1], '/thu-tuc/1.001193', `first result for ${q}`);
	}
});

test('procedure pages live at /thu-tuc/{code} with steps, documents, time and fees, and an apply link', async () => {
	const r = await page('/thu-tuc/1.001193');
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Thủ tục đăng ký khai sinh<\/h1>/);
	for (const h of ['Trình tự thực hiện', 'Thành phần hồ sơ', 'Cách thức thực hiện, thời hạn và phí', 'Căn cứ pháp lý'])
		assert.ok(r.text.includes(`<h2>${h}</h2>`), h);
	assert.match(r.text, /Miễn phí/);
	assert.match(r.text, /href="\/nop\/1\.001193"/);
	const missing = await page('/thu-tuc/9.999999');
	assert.equal(missing.status, 404);
	assert.match(missing.text, /Không tìm thấy thủ tục/);
});

test('the language switch is a link with hreflang that sets a cookie the next pages follow', async () => {
	const vi = await page('/thu-tuc/1.001193');
	const m = /<a class="lang" href="([^"]+)" hreflang="en" lang="en">English<\/a>/.exec(vi.text);
	assert.ok(m, 'a link to the English page with hreflang');
	const en = await page(m[1].replace(/&amp;/g, '&'));
	assert.match(en.text, /<html lang="en">/);
	assert.match(en.text, /<h2>Documents<\/h2>/);
	assert.ok(en.set.mc_lang, 'the choice is remembered');
	assert.equal(en.set.mc_lang.value, 'en');
	assert.match(en.set.mc_lang.raw, /SameSite=Lax/);
	const next = await page('/so-lieu', { cookies: { mc_lang: 'en' } });
	assert.match(next.text, /<html lang="en">/);
	assert.match(next.text, /Dossier figures/);
	const back = await page('/so-lieu?lang=vi', { cookies: { mc_lang: 'en' } });
	assert.match(back.text, /<html lang="vi">/);
	assert.equal(back.set.mc_lang.value, 'vi');
});

test('text from requests is escaped; pages carry a strict CSP and no inline script or style', async () => {
	const r = await page('/thu-tuc?q=' + encodeURIComponent('"><script>alert(1)</script>'));
	assert.equal(r.status, 200);
	assert.ok(!r.text.includes('<script>alert'), 'no injected markup');
	assert.ok(r.text.includes('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
	for (const path of ['/', '/thu-tuc?q=ho+chieu', '/thu-tuc/1.001193', '/so-lieu', '/dang-nhap']) {
		const p = await page(path);
		const csp = p.headers.get('content-security-policy');
		assert.match(csp, /default-src 'self'/, path);
		assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), `${path}: ${csp}`);
		assert.match(csp, /frame-ancestors 'none'/);
		for (const tag of p.text.match(/<script[^>]*>/g) || []) assert.match(tag, /src="\/assets\//, `${path}: ${tag}`);
		assert.ok(!/\sstyle="/.test(p.text), `${path}: no style attribute`);
		assert.ok(!/\son[a-z]+="/.test(p.text), `${path}: no event handler attribute`);
		assert.ok(!/https?:\/\//.test(p.text.replace(/<a [^>]*>/g, '')), `${path}: nothing loaded from elsewhere`);
	}
});

test('each read-only page with its assets weighs at most 150 KB compressed on first load', async () => {
	const LIMIT = 150 * 1024;
	for (const path of ['/', '/thu-tuc?q=dang+ky', '/thu-tuc/1.001193', '/thu-tuc/2.000986', '/so-lieu', '/dang-nhap']) {
		const html = await page(path);
		const w = await wireSize(path);
		assert.equal(w.status, 200, path);
		assert.equal(w.encoding, 'gzip', `${path} is sent compressed`);
		let total = w.bytes;
		const assets = [...html.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
		assert.ok(assets.length >= 2, `${path} references its assets`);
		for (const a of new Set(assets)) {
			const aw = await wireSize(a);
			assert.equal(aw.status, 200, a);
			total += aw.bytes;
		}
		assert.ok(total <= LIMIT, `${path}: ${total} bytes on first load`);
	}
	const css = await wireSize('/assets/site.css');
	assert.equal(css.encoding, 'gzip');
	assert.equal((await page('/assets/nope.css')).status, 404);
});

test('login through the form: pre-session CSRF, HttpOnly Secure SameSite=Lax session cookie, logout revokes it', async () => {
	const g = await page('/dang-nhap');
	assert.ok(g.set.mc_pre, 'a pre-session CSRF cookie');
	assert.match(g.set.mc_pre.raw, /HttpOnly/);
	const csrf = hidden(g.text, 'csrf');
	assert.equal(csrf, g.set.mc_pre.value);
	const jar = { mc_pre: g.set.mc_pre.value };
	/* no token, wrong token, token without its cookie: refused */
	assert.equal((await page('/dang-nhap', { cookies: jar, method: 'POST', form: { username: 'citizen', password: 'citizen-demo-2026' } })).status, 403);
	assert.equal((await page('/dang-nhap', { cookies: jar, method: 'POST', form: { username: 'citizen', password: 'citizen-demo-2026', csrf: 'f'.repeat(32) } })).status, 403);
	assert.equal((await page('/dang-nhap', { method: 'POST', form: { username: 'citizen', password: 'citizen-demo-2026', csrf } })).status, 403);
	const bad = await page('/dang-nhap', { cookies: jar, method: 'POST', form: { username: 'citizen', password: 'wrong-password', csrf } });
	assert.equal(bad.status, 401);
	assert.match(bad.text, /role="alert"/);
	assert.ok(!bad.set.mc_session);
	/* an open redirect is not followed */
	const ok = await page('/dang-nhap', { cookies: jar, method: 'POST', form: { username: 'citizen', password: 'citizen-demo-2026', csrf, next: '//evil.example/' } });
	assert.equal(ok.status, 303);
	assert.equal(ok.headers.get('location'), '/');
	const sc = ok.set.mc_session.raw;
	for (const attr of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/']) assert.ok(sc.includes(attr), `${attr} in ${sc}`);
	assert.ok(!ok.text.includes(ok.set.mc_session.value), 'the token is not in the page');
	const session = { mc_session: ok.set.mc_session.value };
	const mine = await page('/ho-so', { cookies: session });
	assert.equal(mine.status, 200);
	assert.match(mine.text, /Hồ sơ của tôi/);
	assert.match(mine.text, /UBND-00004-260302-\d{4}/);
	/* logout needs the session's CSRF token */
	const token = hidden(mine.text, 'csrf');
	assert.notEqual(token, csrf, 'the session has its own CSRF token');
	assert.equal((await page('/dang-xuat', { cookies: session, method: 'POST', form: { csrf } })).status, 403);
	const out = await page('/dang-xuat', { cookies: session, method: 'POST', form: { csrf: token } });
	assert.equal(out.status, 303);
	assert.match(out.set.mc_session.raw, /Max-Age=0/);
	const after = await page('/ho-so', { cookies: session });
	assert.equal(after.status, 303, 'the old cookie no longer opens a session');
	assert.equal(after.headers.get('location'), '/dang-nhap?next=%2Fho-so');
});

test('a dossier action needs the session CSRF token; access rules follow the API', async () => {
	const citizen = await formLogin('citizen', 'citizen-demo-2026');
	const list = await page('/ho-so', { cookies: citizen });
	const codes = [...list.text.matchAll(/href="\/ho-so\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
	assert.ok(codes.length >= 5, `citizen's dossiers: ${codes}`);
	const code = codes[0];
	const view = await page(`/ho-so/${code}`, { cookies: citizen });
	assert.equal(view.status, 200);
	assert.match(view.text, /Quá trình xử lý/);
	/* withdraw with a wrong token: refused, nothing changes */
	const before = /<span class="badge [a-z]+">([^<]+)</.exec(view.text)[1];
	const forged = await page(`/ho-so/${code}`, { cookies: citizen, method: 'POST', form: { action: 'withdraw', csrf: '0'.repeat(32) } });
	assert.equal(forged.status, 403);
	const again = await page(`/ho-so/${code}`, { cookies: citizen });
	assert.equal(/<span class="badge [a-z]+">([^<]+)</.exec(again.text)[1], before);
	/* another citizen: 404; officer of another agency: 403; officers do not apply */
	const citizen2 = await formLogin('citizen2', 'citizen2-demo-2026');
	assert.equal((await page(`/ho-so/${code}`, { cookies: citizen2 })).status, 404);
	const officer2 = await formLogin('officer2', 'officer2-demo-2026');
	assert.equal((await page(`/ho-so/${code}`, { cookies: officer2 })).status, 403);
	assert.equal((await page('/nop/1.001193', { cookies: officer2 })).status, 403);
	/* anonymous: to the login form */
	const anon = await page('/nop/1.001193');
	assert.equal(anon.status, 303);
	assert.equal(anon.headers.get('location'), '/dang-nhap?next=%2Fnop%2F1.001193');
	/* the wizard refuses a tampered state */
	const wiz = await page('/nop/1.001193', { cookies: citizen });
	assert.equal(wiz.status, 200);
	assert.equal(hidden(wiz.text, 'agency'), '');
	const tampered = await page('/nop/1.001193', { cookies: citizen, method: 'POST', form: { csrf: hidden(wiz.text, 'csrf'), form: '[1', docs: '{}', idem: hidden(wiz.text, 'idem'), step: '0' } });
	assert.equal(tampered.status, 400);
	/* a form that is not a form */
	const raw = await fetch(`${srv.url}/ho-so/${code}`, { method: 'POST', headers: { cookie: `mc_session=${citizen.mc_session}`, 'content-type': 'application/json' }, body: '{}', redirect: 'manual' });
	assert.equal(raw.status, 415);
});

test('the officer queue highlights late and at-risk dossiers', async () => {
	/* demo data made on Monday 2 March: the received dossiers are due on
	 * Tuesday 3 March, at risk that day and late on Wednesday 4 March */
	const s = await Server.create({ now: NOW });
	const queue = async (query = '') => {
		const g = await fetch(s.url + '/dang-nhap');
		const pre = g.headers.getSetCookie()[0].split(';')[0];
		const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(await g.text())[1];
		const l = await fetch(s.url + '/dang-nhap', {
			method: 'POST',
			headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ username: 'officer', password: 'officer-demo-2026', csrf }).toString(),
			redirect: 'manual',
		});
		const session = l.headers.getSetCookie()[0].split(';')[0];
		return (await fetch(s.url + '/ho-so' + query, { headers: { cookie: session } })).text();
	};
	try {
		await s.start({ now: '2026-03-03T02:00:00Z' });
		let q = await queue();
		assert.match(q, /<tr class="risk">/, 'dossiers due today are at risk');
		assert.match(q, /<span class="risk">Sắp đến hạn<\/span>/);
		assert.ok(!/<tr class="late">/.test(q), 'nothing is late yet');
		await s.stop();
		await s.start({ now: '2026-03-04T02:00:00Z' });
		q = await queue();
		assert.match(q, /<tr class="late">/, 'late rows are marked');
		assert.match(q, /<span class="late">Quá hạn<\/span>/);
		const late = await queue('?late=1');
		assert.match(late, /<tr class="late">/);
		assert.ok(!/<tr class="(risk|)">/.test(late), 'the late filter shows only late dossiers');
	} finally {
		await s.stop();
		await s.remove();
	}
});
