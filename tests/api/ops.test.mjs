// ops.test.mjs - /healthz, /metrics, /openapi.json, and that the OpenAPI
// description and the server's route table (`motcua routes`) list exactly
// the same operations.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { assertConforms, spec } from './lib/openapi.mjs';
import { REPO, cli, useServer } from './lib/server.mjs';

const srv = useServer();

/* Parses Prometheus text format into [{name, labels, value}]. */
function parseProm(text) {
	const out = [];
	for (const line of text.split('\n')) {
		if (!line || line.startsWith('#')) continue;
		const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
		assert.ok(m, `not a Prometheus sample line: ${JSON.stringify(line)}`);
		const labels = {};
		if (m[2]) {
			const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;
			let lm;
			while ((lm = re.exec(m[2]))) labels[lm[1]] = lm[2].replace(/\\(.)/g, '$1');
		}
		const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
		assert.ok(!Number.isNaN(value), `bad sample value in ${line}`);
		out.push({ name: m[1], labels, value });
	}
	return out;
}

test('GET /healthz answers 200 with status ok', async () => {
	const r = await srv.api('GET', '/healthz');
	assert.equal(r.status, 200);
	assert.equal(r.body.status, 'ok');
	assertConforms(r, 'getHealth');
});

test('GET /openapi.json is the OpenAPI 3.1 document of the repository', async () => {
	const r = await srv.api('GET', '/openapi.json');
	assert.equal(r.status, 200);
	assert.match(r.contentType, /^application\/json/);
	assertConforms(r, 'getOpenApi');
	const served = JSON.parse(r.text);
	assert.match(served.openapi, /^3\.1\.\d+$/);
	assert.ok(Object.keys(served.paths).length > 20);
	const onDisk = JSON.parse(readFileSync(join(REPO, 'docs/openapi.json'), 'utf8'));
	assert.ok(isDeepStrictEqual(served, onDisk), 'the binary serves an outdated docs/openapi.json (rebuild)');
});

test('every route of the server is in the OpenAPI paths and vice versa', async () => {
	const r = await cli(['routes']);
	assert.equal(r.code, 0, r.stderr);
	const norm = (p) => p.replace(/\{[^}]+\}/g, '{}');
	const routes = new Set();
	const exact = new Map();
	for (const line of r.stdout.split('\n').filter(Boolean)) {
		const m = /^([A-Z]+) (\/\S*)$/.exec(line.trim());
		assert.ok(m, `bad line from motcua routes: ${line}`);
		routes.add(`${m[1]} ${norm(m[2])}`);
		exact.set(`${m[1]} ${norm(m[2])}`, m[2]);
	}
	const documented = new Set();
	const docExact = new Map();
	for (const [path, item] of Object.entries(spec.paths)) {
		for (const method of Object.keys(item)) {
			if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) continue;
			documented.add(`${method.toUpperCase()} ${norm(path)}`);
			docExact.set(`${method.toUpperCase()} ${norm(path)}`, path);
		}
	}
	const undocumented = [...routes].filter((x) => !documented.has(x)).sort();
	const missing = [...documented].filter((x) => !routes.has(x)).sort();
	assert.deepEqual(undocumented, [], 'routes served but not in docs/openapi.json');
	assert.deepEqual(missing, [], 'operations in docs/openapi.json that the server does not route');
	for (const [k, pattern] of exact) {
		assert.equal(docExact.get(k), pattern, `parameter names differ for ${k}`);
	}
});

test('GET /metrics counts requests by route and status, has a latency histogram and dossiers by status', async () => {
	const before = parseProm((await srv.api('GET', '/metrics')).text);
	const count = (samples, route, status) =>
		samples
			.filter((s) => s.name === 'motcua_http_requests_total' && s.labels.route === route && s.labels.status === status)
			.reduce((a, s) => a + s.value, 0);
	const base = count(before, '/api/v1/procedures/{code}', '200');
	const base404 = count(before, '/api/v1/procedures/{code}', '404');
	for (let i = 0; i < 3; i++) assert.equal((await srv.api('GET', '/api/v1/procedures/1.001193')).status, 200);
	assert.equal((await srv.api('GET', '/api/v1/procedures/9.999999')).status, 404);

	const r = await srv.api('GET', '/metrics');
	assert.equal(r.status, 200);
	assert.match(r.contentType, /^text\/plain/);
	assertConforms(r, 'getMetrics');
	const after = parseProm(r.text);
	assert.equal(count(after, '/api/v1/procedures/{code}', '200') - base, 3, 'three 200s counted for the route');
	assert.equal(count(after, '/api/v1/procedures/{code}', '404') - base404, 1, 'one 404 counted for the route');

	const buckets = after.filter((s) => s.name.endsWith('_bucket') && s.labels.route === '/api/v1/procedures/{code}');
	assert.ok(buckets.length >= 2, 'latency histogram buckets for the route');
	const inf = buckets.find((s) => s.labels.le === '+Inf');
	assert.ok(inf, 'histogram has a +Inf bucket');
	const histName = inf.name.replace(/_bucket$/, '');
	const cnt = after.find((s) => s.name === `${histName}_count` && s.labels.route === '/api/v1/procedures/{code}');
	assert.ok(cnt && cnt.value === inf.value, 'histogram _count equals the +Inf bucket');
	const les = buckets.map((s) => s.value);
	for (let i = 1; i < les.length; i++) assert.ok(les[i] >= les[i - 1], 'buckets are cumulative');

	const dossierGauges = after.filter((s) => /dossier/.test(s.name) && ('status' in s.labels || 'status_code' in s.labels));
	assert.ok(dossierGauges.length >= 1, 'dossiers by status are exported');
	const total = dossierGauges.reduce((a, s) => a + s.value, 0);
	assert.ok(total >= 1, 'the demo dossiers are counted');
});

test('unknown paths get 404 and wrong methods 405, as problems', async () => {
	const r404 = await srv.api('GET', '/api/v1/no-such-thing');
	assert.equal(r404.status, 404);
	assert.match(r404.contentType, /^application\/problem\+json/);
	const r405 = await srv.api('DELETE', '/api/v1/procedures');
	assert.equal(r405.status, 405);
	assert.match(r405.contentType, /^application\/problem\+json/);
	assert.ok(r405.headers.get('allow'), '405 carries an Allow header');
});
