// durability.test.mjs - a dossier acknowledged with 201 survives kill -9 of
// the server at any moment; graceful SIGTERM under load loses nothing; the
// audit chain stays valid through both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validSubmission } from './lib/fixtures.mjs';
import { cli, useServer } from './lib/server.mjs';

const NOW = '2026-03-03T02:00:00Z';
const srv = useServer({ now: NOW });

/* Fires `n` concurrent submissions; calls onAck(count) after each 201.
 * Resolves {acked: [codes], statuses: {status: count}, errors}. */
async function burst(n, token, body, onAck) {
	const acked = [];
	const statuses = {};
	let errors = 0;
	const one = async (i) => {
		try {
			const r = await srv.api('POST', '/api/v1/dossiers', {
				token,
				json: { ...body, form: { ...body.form } },
				headers: { 'idempotency-key': `burst-${n}-${i}-${Date.now()}` },
				timeoutMs: 120000,
			});
			statuses[r.status] = (statuses[r.status] || 0) + 1;
			if (r.status === 201) {
				acked.push(r.body.code);
				onAck(acked.length);
			}
		} catch {
			errors++; /* connection reset / refused after the kill */
		}
	};
	await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
	return { acked, statuses, errors };
}

test('200 concurrent submissions, kill -9 in the middle: every 201 survives the restart', async () => {
	const c = await srv.login('citizen');
	const body = await validSubmission(srv, c);
	const N = 200;
	const killAt = 30 + Math.floor(Math.random() * 70); /* between the 30th and the 99th ack */
	let killedAfter = -1;
	let killing = null;
	const res = await burst(N, c, body, (count) => {
		if (count === killAt && !killing) {
			killedAfter = count;
			killing = srv.kill9();
		}
	});
	await killing;
	assert.ok(killedAfter > 0, `the server was killed after ${killAt} acks (statuses ${JSON.stringify(res.statuses)}, errors ${res.errors})`);
	const unexpected = Object.keys(res.statuses).filter((s) => !['201', '503'].includes(s));
	assert.deepEqual(unexpected, [], `only 201 (or 503 under load) expected: ${JSON.stringify(res.statuses)}`);
	assert.ok(res.acked.length >= killAt, `${res.acked.length} acknowledged`);
	assert.equal(new Set(res.acked).size, res.acked.length, 'no code acknowledged twice');
	assert.ok(res.acked.length < N, `some requests were still in flight when killed (${res.acked.length}/${N} acked)`);

	const v = await cli(['audit', 'verify', '--data', srv.dataDir]);
	assert.equal(v.code, 0, `audit verify after kill -9: ${v.stdout}${v.stderr}`);

	await srv.start({ now: NOW });
	const c2 = await srv.login('citizen');
	const missing = [];
	for (const code of res.acked) {
		const r = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(code)}`, { token: c2 });
		if (r.status !== 200) missing.push(`${code}: ${r.status}`);
		else assert.equal(r.body.code, code);
	}
	assert.deepEqual(missing, [], `acknowledged dossiers lost after kill -9 (${missing.length} of ${res.acked.length})`);

	// The daily sequence continues after the crash without reusing a number.
	const after = await srv.api('POST', '/api/v1/dossiers', { token: c2, json: body });
	assert.equal(after.status, 201, after.text);
	assert.ok(!res.acked.includes(after.body.code), 'a code acknowledged before the crash is not reused');
});

test('SIGTERM under load: in-flight submissions finish, exit status 0, nothing acknowledged is lost', async () => {
	const c = await srv.login('citizen');
	const body = await validSubmission(srv, c, { seed: 2 });
	let stopping = null;
	const res = await burst(60, c, body, (count) => {
		if (count === 10 && !stopping) stopping = srv.stop();
	});
	const exit = await stopping;
	assert.ok(exit, 'the server was asked to stop');
	assert.equal(exit.code, 0, `exit status after SIGTERM: ${JSON.stringify(exit)}\n${srv.log.text.slice(-2000)}`);
	const unexpected = Object.keys(res.statuses).filter((s) => !['201', '503'].includes(s));
	assert.deepEqual(unexpected, [], `statuses during shutdown: ${JSON.stringify(res.statuses)}`);

	const v = await cli(['audit', 'verify', '--data', srv.dataDir]);
	assert.equal(v.code, 0, `audit verify after SIGTERM: ${v.stdout}${v.stderr}`);
	await srv.start({ now: NOW });
	const c2 = await srv.login('citizen');
	for (const code of res.acked) {
		const r = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(code)}`, { token: c2 });
		assert.equal(r.status, 200, `${code} acknowledged before SIGTERM`);
	}
});
