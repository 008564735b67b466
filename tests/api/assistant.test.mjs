// assistant.test.mjs - the service assistant (GET /api/v1/assistant):
// questions in English and in Vietnamese with or without diacritics find
// the procedure a person means, keyword queries stay ordinary catalog
// searches, paging and filters, bad input; and the portal's search page
// reading questions without JavaScript.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertConforms, assertProblem } from './lib/openapi.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer({ now: '2026-03-02T02:00:00Z' });

const ask = (q, extra = '') => srv.api('GET', `/api/v1/assistant?q=${encodeURIComponent(q)}${extra}`);

/* The code of the catalog procedure whose name is exactly `name`. */
async function codeNamed(name) {
	const r = await srv.api('GET', `/api/v1/procedures?q=${encodeURIComponent(name)}&limit=100`);
	assert.equal(r.status, 200, r.text);
	const hit = r.body.items.find((p) => p.name.replace(/^Thủ tục /, '').toLowerCase() === name.toLowerCase());
	assert.ok(hit, `a procedure named ${name}`);
	return hit.code;
}

test('questions in English and Vietnamese, with or without diacritics, find the service meant first', async () => {
	const cases = [
		['How do I register a birth?', 'đăng ký khai sinh', 'birth'],
		['tôi muốn đăng ký khai sinh cho con', 'đăng ký khai sinh', 'birth'],
		['lam the nao de dang ky ket hon', 'đăng ký kết hôn', 'marriage'],
		['My father passed away, what do I do?', 'đăng ký khai tử', 'death'],
		['I moved house', 'đăng ký thường trú', 'permanent-residence'],
	];
	for (const [q, name, id] of cases) {
		const r = await ask(q);
		assert.equal(r.status, 200, r.text);
		assertConforms(r, 'askAssistant');
		assert.equal(r.body.mode, 'assistant', q);
		assert.deepEqual(r.body.understood.map((u) => u.id), [id], q);
		assert.ok(r.body.understood[0].label.vi && r.body.understood[0].label.en, 'bilingual label');
		assert.equal(r.body.items[0]?.code, await codeNamed(name), `${q}: ${r.body.items.slice(0, 3).map((p) => p.name).join(' | ')}`);
	}
	/* a detail of the question narrows the answer */
	const lost = await ask('I lost my passport');
	assert.match(lost.body.items[0].name, /mất hộ chiếu/i, lost.body.items[0].name);
	const foreign = await ask('marry a foreigner');
	assert.match(foreign.body.items[0].name, /kết hôn có yếu tố nước ngoài/i, foreign.body.items[0].name);
});

test('keyword queries stay ordinary catalog searches; questions of stop words find nothing', async () => {
	const q = 'giấy phép môi trường';
	const a = await ask(q, '&limit=20');
	const s = await srv.api('GET', `/api/v1/procedures?q=${encodeURIComponent(q)}&limit=20`);
	assert.equal(a.body.mode, 'search');
	assert.deepEqual(a.body.understood, []);
	assert.ok(s.body.items.length > 0);
	assert.deepEqual(a.body.items.map((p) => p.code), s.body.items.map((p) => p.code));
	const nothing = await ask('how do I?');
	assert.equal(nothing.status, 200);
	assert.equal(nothing.body.mode, 'assistant');
	assert.deepEqual(nothing.body.items, []);
	assert.equal(nothing.body.next_cursor, null);
});

test('pages follow the cursor without repeats, at most 100 procedures; filters apply', async () => {
	const seen = [];
	let cursor = null;
	for (let i = 0; i < 20; i++) {
		const r = await ask('temporary residence', `&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		assert.equal(r.status, 200, r.text);
		seen.push(...r.body.items.map((p) => p.code));
		cursor = r.body.next_cursor;
		if (!cursor) break;
	}
	assert.equal(new Set(seen).size, seen.length, 'no repeats');
	assert.ok(seen.length > 50 && seen.length <= 100, `${seen.length} procedures over several pages`);
	const commune = await ask('register a birth', '&level=commune&limit=50');
	assert.ok(commune.body.items.length > 0);
	for (const p of commune.body.items) {
		const levels = Array.isArray(p.level) ? p.level : [p.level];
		assert.ok(levels.includes('commune'), `${p.code}: ${p.level}`);
	}
});

test('bad input gets a problem, not a crash', async () => {
	assertProblem(await srv.api('GET', '/api/v1/assistant'), 400, 'no question');
	assertProblem(await ask(''), 400, 'empty question');
	assertProblem(await ask('a'.repeat(301)), 400, 'question over 300 bytes');
	assertProblem(await srv.api('GET', '/api/v1/assistant?q=%FF%FE'), 400, 'not UTF-8');
	assertProblem(await ask('passport', '&level=galaxy'), 400, 'unknown level');
	assertProblem(await ask('passport', '&online=maybe'), 400, 'unknown online');
	assertProblem(await ask('passport', '&limit=0'), 400, 'limit 0');
	assertProblem(await ask('passport', '&cursor=!!'), 400, 'bad cursor');
	const ok = await ask('a'.repeat(300));
	assert.equal(ok.status, 200, 'a question of exactly 300 bytes');
});

test('the portal search page reads questions without JavaScript and says what it understood', async () => {
	const en = await fetch(`${srv.url}/thu-tuc?lang=en&q=${encodeURIComponent('How do I get a passport?')}`);
	const html = await en.text();
	assert.equal(en.status, 200);
	assert.match(html, /The assistant understood you need: <strong>Ordinary passport<\/strong>/);
	const first = /<ol class="list"><li><a href="\/thu-tuc\/([^"]+)"/.exec(html);
	assert.ok(first, 'a result list');
	const api = await ask('How do I get a passport?');
	assert.equal(decodeURIComponent(first[1]), api.body.items[0].code, 'the same first procedure as the API');
	const vi = await (await fetch(`${srv.url}/thu-tuc?lang=vi&q=${encodeURIComponent('lam ho chieu')}`)).text();
	assert.match(vi, /Trợ lý hiểu bạn cần: <strong>Cấp hộ chiếu phổ thông<\/strong>/);
	const plain = await (await fetch(`${srv.url}/thu-tuc?q=${encodeURIComponent('giấy phép môi trường')}`)).text();
	assert.doesNotMatch(plain, /class="assistant"/, 'no note for a keyword search');
});
