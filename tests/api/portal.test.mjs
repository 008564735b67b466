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

test('the apply wizard starts from what the registries know, as GET /api/v1/vault/prefill says', async () => {
	const citizen = await formLogin('citizen', 'citizen-demo-2026');
	const wiz = await page('/nop/1.001193', { cookies: citizen });
	assert.equal(wiz.status, 200);
	const started = JSON.parse(hidden(wiz.text, 'form'));
	const pre = await srv.api('GET', '/api/v1/vault/prefill?procedure=1.001193', { token: await srv.login('citizen') });
	assert.equal(pre.status, 200);
	const groups = Object.entries(pre.body.form);
	assert.ok(groups.length >= 2, `registry values for several blocks: ${JSON.stringify(pre.body.form)}`);
	for (const [group, fields] of groups) for (const [k, v] of Object.entries(fields)) assert.deepEqual(started[group]?.[k], v, `${group}.${k}`);
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

/* ---- open data and the programme figures ---- */

const odBody = (n, over = {}) => ({
	name: `portal-od-${String(n).padStart(2, '0')}`,
	agency: 'UBND-00004',
	title: { vi: `Dữ liệu phường Ba Đình số ${n}`, en: `Ba Dinh data number ${n}` },
	description: { vi: 'Số liệu thử của cổng.', en: 'Test figures of the portal.' },
	keywords: { vi: ['thử'], en: ['test'] },
	themes: ['GOVE'],
	license: 'CC-BY-4.0',
	spatial: ['00004'],
	temporal: { start: '2026-01-01', end: '2026-12-31' },
	frequency: 'MONTHLY',
	contact: { name: 'UBND phường Ba Đình', email: 'opendata@badinh.example.vn' },
	resources: [{ name: 'data.csv', format: 'CSV', schema: { fields: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }] } }],
	...over,
});

/* The figure row of the scoreboard named `name`: [numerator, denominator]. */
function figureOf(html, name) {
	const m = new RegExp(`<th scope="row">${name}</th><td><strong>[^<]*</strong><br><span class="meta">(\\d+) / (\\d+)</span>`).exec(html);
	assert.ok(m, `figure ${name}`);
	return [Number(m[1]), Number(m[2])];
}

test('the open-data catalog: list, search, paging and a dataset page with downloads and DCAT-AP links, without JavaScript', async () => {
	const officer = await srv.login('officer');
	const hostile = '<img src=x onerror=alert(1)>"\'';
	for (let n = 1; n <= 21; n++) {
		const over = n === 7 ? { title: { vi: `Dữ liệu ${hostile}`, en: `Data ${hostile}` } } : {};
		const r = await srv.api('POST', '/api/v1/opendata/datasets', { token: officer, json: odBody(n, over) });
		assert.equal(r.status, 201, r.text);
	}
	const ds = (await srv.api('GET', '/api/v1/opendata/datasets/portal-od-01')).body;
	const rid = ds.resources[0].id;
	for (const csv of ['a,b\n1,2\n', 'a,b\n1,2\n3,4\n']) {
		const p = await srv.api('PUT', `/api/v1/opendata/resources/${rid}/content`, { token: officer, body: csv, headers: { 'content-type': 'text/csv' } });
		assert.ok([200, 201].includes(p.status), p.text);
	}

	/* the list: linked from the navigation, 20 per page, a next-page link */
	const home = await page('/');
	assert.match(home.text, /<a href="\/du-lieu-mo">Dữ liệu mở<\/a>/);
	const list = await page('/du-lieu-mo');
	assert.equal(list.status, 200);
	assert.match(list.text, /<h1>Dữ liệu mở<\/h1>/);
	assert.match(list.text, /<form class="search" method="get" action="\/du-lieu-mo"/);
	const count = Number(/<p class="meta" role="status">(\d+) bộ dữ liệu<\/p>/.exec(list.text)[1]);
	const api = (await srv.api('GET', '/api/3/action/package_search?rows=0')).body.result.count;
	assert.equal(count, api, 'the count is the catalog\'s');
	const items = (t) => [...t.matchAll(/<li><a href="\/du-lieu-mo\/([^"]+)">/g)].map((m) => m[1]);
	assert.equal(items(list.text).length, 20);
	const next = /<a href="(\/du-lieu-mo\?page=2)">Trang sau<\/a>/.exec(list.text);
	assert.ok(next, 'a next page link');
	const p2 = await page(next[1]);
	assert.equal(items(p2.text).length, count - 20);
	assert.equal(new Set([...items(list.text), ...items(p2.text)]).size, count, 'pages do not overlap');
	assert.match(p2.text, /<a href="\/du-lieu-mo\?page=1">Trang trước<\/a>/);

	/* search: the form's GET, paging keeps the query */
	const s = await page('/du-lieu-mo?q=' + encodeURIComponent('Ba Đình'));
	assert.equal(s.status, 200);
	assert.equal(items(s.text).length, 20, 'the 20 datasets with Ba Đình in their title');
	assert.ok(items(s.text).every((n) => n.startsWith('portal-od-') && n !== 'portal-od-07'), 'only matching datasets');
	const s1 = await page('/du-lieu-mo?q=' + encodeURIComponent('Số liệu thử'));
	assert.equal(items(s1.text).length, 20);
	const sn = /<a href="(\/du-lieu-mo\?page=2&amp;q=S%E1%BB%91%20li%E1%BB%87u%20th%E1%BB%AD)">Trang sau<\/a>/.exec(s1.text);
	assert.ok(sn, 'paging keeps the query');
	const s2 = await page(sn[1].replace(/&amp;/g, '&'));
	assert.ok(items(s2.text).length >= 1);
	assert.ok(items(s2.text).every((n) => !items(s1.text).includes(n)), 'the second page has other datasets');
	const none = await page('/du-lieu-mo?q=khongcogica');
	assert.match(none.text, /Không có bộ dữ liệu nào khớp/);
	/* query syntax and hostile text are plain words, escaped */
	const h = await page('/du-lieu-mo?q=' + encodeURIComponent('"><script>alert(1)</script> title:[a TO'));
	assert.equal(h.status, 200);
	assert.ok(!h.text.includes('<script>alert'));
	assert.ok(h.text.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; title:[a TO"'));
	const t7 = await page('/du-lieu-mo?q=' + encodeURIComponent('Dữ liệu img'));
	assert.ok(!t7.text.includes('<img src=x'), 'a hostile title is escaped');
	assert.ok(t7.text.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;'));

	/* the dataset page, in both languages */
	const d = await page('/du-lieu-mo/portal-od-01');
	assert.equal(d.status, 200);
	assert.match(d.text, /<h1>Dữ liệu phường Ba Đình số 1<\/h1>/);
	for (const dt of ['Cơ quan công bố', 'Giấy phép', 'Chủ đề', 'Phạm vi địa lý', 'Thời gian', 'Tần suất cập nhật', 'Định dạng'])
		assert.ok(d.text.includes(`<dt>${dt}</dt>`), dt);
	assert.match(d.text, /UBND-00004/);
	assert.match(d.text, /Hằng tháng/);
	assert.match(d.text, /rel="license">Creative Commons Attribution 4.0<\/a>/);
	assert.match(d.text, /Chính phủ và khu vực công/);
	assert.ok(d.text.includes(`href="/api/v1/opendata/resources/${rid}/download"`), 'download link');
	assert.ok(d.text.includes(`href="/api/v1/opendata/resources/${rid}/download?version=1"`), 'older version');
	assert.match(d.text, /<caption>Các phiên bản<\/caption>/);
	for (const href of ['/api/v1/opendata/datasets/portal-od-01/dcat.ttl', '/api/v1/opendata/datasets/portal-od-01/dcat.jsonld', '/catalog.ttl', '/catalog.jsonld']) {
		assert.ok(d.text.includes(`href="${href}"`), href);
		assert.equal((await fetch(srv.url + href)).status, 200, href);
	}
	const dl = await fetch(srv.url + `/api/v1/opendata/resources/${rid}/download?version=1`);
	assert.equal(dl.status, 200);
	assert.equal(await dl.text(), 'a,b\n1,2\n');
	const en = await page('/du-lieu-mo/portal-od-01?lang=en');
	assert.match(en.text, /<h1>Ba Dinh data number 1<\/h1>/);
	assert.match(en.text, /<dt>Update frequency<\/dt>/);
	assert.match(en.text, /Government and public sector/);
	const bad = await page('/du-lieu-mo/portal-od-07');
	assert.ok(!bad.text.includes('<img src=x'));
	for (const missing of ['/du-lieu-mo/no-such-dataset', '/du-lieu-mo/' + encodeURIComponent('<b>x<i>')]) {
		const r = await page(missing);
		assert.equal(r.status, 404, missing);
		assert.match(r.headers.get('content-type'), /^text\/html/);
		assert.match(r.text, /Không tìm thấy bộ dữ liệu/);
		assert.ok(!r.text.includes('<b>x<i>'));
	}
	/* weight, CSP */
	for (const path of ['/du-lieu-mo', '/du-lieu-mo?q=ba+dinh', '/du-lieu-mo/portal-od-01', '/du-lieu-mo/motcua-766-index']) {
		const p = await page(path);
		assert.equal(p.status, 200, path);
		assert.match(p.headers.get('content-security-policy'), /default-src 'self'/);
		for (const tag of p.text.match(/<script[^>]*>/g) || []) assert.match(tag, /src="\/assets\//, `${path}: ${tag}`);
		assert.ok(!/\sstyle="|\son[a-z]+="/.test(p.text), `${path}: no inline style or handler`);
		const w = await wireSize(path);
		assert.equal(w.encoding, 'gzip');
		let total = w.bytes;
		for (const a of new Set([...p.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]))) total += (await wireSize(a)).bytes;
		assert.ok(total <= 150 * 1024, `${path}: ${total} bytes on first load`);
	}
});

test('the scoreboard shows the programme figures computed live, with definition, period and target', async () => {
	const from = '2025-03-03', to = '2026-03-02'; /* the last 365 days up to NOW */
	let sb = await page('/so-lieu');
	assert.equal(sb.status, 200);
	assert.match(sb.text, /<caption>Chỉ tiêu của chương trình phát triển Chính phủ số đến năm 2030<\/caption>/);
	for (const target of ['100 % thủ tục đủ điều kiện, năm 2027', '100 %, năm 2027', '100 % cơ quan, năm 2030', '100 %, năm 2030', '80 %, năm 2030'])
		assert.ok(sb.text.includes(`<td>${target}</td>`), target);
	assert.ok(sb.text.includes('<td>03/03/2025 – 02/03/2026</td>'), 'the period is shown');

	/* the vault's rates and opendata's figure, the same as their APIs */
	const rates = (await srv.api('GET', `/api/v1/vault/rates?from=${from}&to=${to}`)).body;
	assert.deepEqual(figureOf(sb.text, 'Giấy tờ chỉ cung cấp một lần'), [rates.once_only.numerator, rates.once_only.denominator]);
	assert.deepEqual(figureOf(sb.text, 'Hồ sơ và kết quả được số hóa'), [rates.digitization.numerator, rates.digitization.denominator]);
	assert.deepEqual(figureOf(sb.text, 'Dữ liệu số hóa được tái sử dụng'), [rates.reuse.numerator, rates.reuse.denominator]);
	const od = (await srv.api('GET', '/api/v1/opendata/figure?from=2025-03-03&to=2026-03-03')).body;
	assert.deepEqual(figureOf(sb.text, 'Cơ quan công bố dữ liệu mở'), [od.publishing, od.agencies]);

	/* procedures online: an admin turns one procedure fully online, the figure follows */
	const [full0, total0] = figureOf(sb.text, 'Thủ tục cung cấp trực tuyến toàn trình');
	assert.ok(total0 > 100 && full0 < total0);
	const partial = (await srv.api('GET', '/api/v1/procedures?online=partial&limit=1')).body.items[0];
	const admin = await srv.login('admin');
	const u = await srv.api('PUT', `/api/v1/procedures/${partial.code}`, { token: admin, json: { online_level: 'full' } });
	assert.equal(u.status, 200, u.text);
	sb = await page('/so-lieu');
	assert.deepEqual(figureOf(sb.text, 'Thủ tục cung cấp trực tuyến toàn trình'), [full0 + 1, total0]);
	assert.match(sb.text, /<caption>Số thủ tục theo cấp thực hiện và mức độ trực tuyến<\/caption>/);
	assert.match(sb.text, /<th scope="row">Cấp xã<\/th><td>\d+<\/td>/);

	/* the 766 index, from opendata's generated dataset */
	assert.match(sb.text, /<h2 id="chi-so-766">Chỉ số 766 theo tỉnh<\/h2>/);
	assert.match(sb.text, /href="\/du-lieu-mo\/motcua-766-index"/);
	const idx = await srv.api('GET', '/api/v1/opendata/datasets/motcua-766-index');
	assert.equal(idx.status, 200);
	const csv = await (await fetch(srv.url + `/api/v1/opendata/resources/${idx.body.resources[0].id}/download`)).text();
	const rows = csv.trim().split('\n').slice(1).map((l) => l.split(','));
	if (rows.length) {
		const month = rows.map((r) => r[0]).sort().at(-1);
		assert.ok(sb.text.includes(`, tháng ${month}</caption>`));
		for (const r of rows.filter((r) => r[0] === month)) assert.ok(sb.text.includes(`<span class="meta">${r[1]}</span></th><td>${r[2] || '—'}</td>`), `province ${r[1]}`);
	}
	/* the digitization group's columns, found by the CSV header's names */
	const head = csv.split('\n')[0].split(',');
	assert.ok(head.includes('digitized_rate') && head.includes('digitization_points'));
	assert.match(sb.text, /<th scope="col">Hồ sơ số hóa<\/th><th scope="col">Điểm số hóa<\/th>/);
	const en = await page('/so-lieu?lang=en');
	assert.match(en.text, /<th scope="row">Procedures offered fully online<\/th>/);
	assert.match(en.text, /80% by 2030/);
});
