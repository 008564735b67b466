// index766.test.mjs - the Decision 766 index of the open data (dataset
// motcua-766-index): every group of every row per province and per agency
// (progress, online services, digitization, satisfaction, points and the
// 0-100 index) computed independently here from the dossiers, ratings and
// agencies the API shows, with a dossier transferred between agencies (its
// digitization counts for the agency that finished it), and the table
// schema of the agency resource. Every count is published here
// (MOTCUA_OPENDATA_MIN_COUNT=1); suppression is checked in
// opendata.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actOk, submit, validSubmission } from './lib/fixtures.mjs';
import { useServer } from './lib/server.mjs';

const srv = useServer({ env: { MOTCUA_OPENDATA_MIN_COUNT: '1' } });

/* default weights and thresholds (DATA/opendata/766.json absent) */
const CONF = { progress: [20, 1.0], online: [12, 0.5], satisfaction: [18, 0.9], digitization: [22, 0.8] };
const pts = (rate, [max, threshold]) => (rate >= threshold ? max : (rate * max) / threshold);

async function pages(path, token) {
	const all = [];
	let cursor = '';
	for (;;) {
		const r = await srv.api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
		assert.equal(r.status, 200, r.text);
		all.push(...r.body.items);
		if (!r.body.next_cursor) return all;
		cursor = r.body.next_cursor;
	}
}

/* The rows of a CSV resource as objects by header name (quotes removed). */
async function csvRows(resource) {
	const text = (await srv.api('GET', `/api/v1/opendata/resources/${resource.id}/download`)).text;
	const [head, ...rest] = text.trim().split('\n').map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));
	return { head, rows: rest.map((cells) => Object.fromEntries(head.map((h, i) => [h, cells[i]]))) };
}

const bump = (map, key, field, n = 1) => {
	const v = map.get(key) || { sub: 0, online: 0, onTime: 0, late: 0, rated: 0, satisfied: 0, finished: 0, digitized: 0 };
	v[field] += n;
	map.set(key, v);
};

test('the 766 index per province and per agency matches the dossiers, ratings and agencies, digitization included', async () => {
	const [citizen, officer, officer2, admin] = await Promise.all(['citizen', 'officer', 'officer2', 'admin'].map((u) => srv.login(u)));
	const base = await validSubmission(srv, citizen);
	/* one dossier received by UBND-00004, transferred to UBND-00008 and
	 * finished there; one finished and returned by UBND-00004, rated 2 */
	const moved = await submit(srv, citizen, base);
	await actOk(srv, officer, moved.code, 'receive', {}, 2);
	await actOk(srv, officer, moved.code, 'process', {}, 4);
	await actOk(srv, officer, moved.code, 'transfer', { agency: 'UBND-00008', reason: 'Liên thông' }, 4);
	await actOk(srv, officer2, moved.code, 'finish', { result: { so: '766-1' } }, 9);
	const kept = await submit(srv, citizen, base);
	await actOk(srv, officer, kept.code, 'receive', {}, 2);
	await actOk(srv, officer, kept.code, 'process', {}, 4);
	await actOk(srv, officer, kept.code, 'finish', { result: { so: '766-2' } }, 9);
	await actOk(srv, officer, kept.code, 'return_result', {}, 10);
	const rated = await srv.api('POST', `/api/v1/dossiers/${encodeURIComponent(kept.code)}/rating`, { token: citizen, json: { score: 2 } });
	assert.equal(rated.status, 201, rated.text);

	const refresh = await srv.api('POST', '/api/v1/opendata/refresh', { token: admin });
	assert.equal(refresh.status, 200, refresh.text);

	/* expected counts per "month|agency", from the API */
	const byAgency = new Map();
	const summaries = await pages('/api/v1/dossiers', admin);
	const dossiers = await Promise.all(
		summaries.map(async (s) => {
			const r = await srv.api('GET', `/api/v1/dossiers/${encodeURIComponent(s.code)}`, { token: admin });
			assert.equal(r.status, 200, r.text);
			return r.body;
		}),
	);
	let digitizedSeen = 0;
	for (const d of dossiers) {
		const k = `${d.submitted_at.slice(0, 7)}|${d.receiving_agency}`;
		bump(byAgency, k, 'sub');
		if (d.channel === 'online') bump(byAgency, k, 'online');
		if (d.timeliness === 'on_time') bump(byAgency, k, 'onTime');
		if (d.timeliness === 'late') bump(byAgency, k, 'late');
		if ((d.status_code === 9 || d.status_code === 10) && d.finished_at) {
			/* digitized: the result is stored and no required component is missing */
			const fk = `${d.finished_at.slice(0, 7)}|${d.agency}`;
			bump(byAgency, fk, 'finished');
			if (d.result !== null && !d.satisfaction.some((s) => s.required && s.satisfied_by === 'missing')) {
				bump(byAgency, fk, 'digitized');
				digitizedSeen++;
			}
		}
	}
	assert.ok(digitizedSeen >= 2, 'the finished dossiers are digitized');
	for (const r of await pages('/api/v1/satisfaction/ratings', admin)) {
		const k = `${r.rated_at.slice(0, 7)}|${r.agency}`;
		bump(byAgency, k, 'rated');
		if (r.satisfied) bump(byAgency, k, 'satisfied');
	}
	/* the province of each agency (territory API) and the province rows */
	const province = new Map();
	for (const code of new Set([...byAgency.keys()].map((k) => k.split('|')[1]))) {
		const a = await srv.api('GET', `/api/v1/agencies/${encodeURIComponent(code)}`);
		assert.equal(a.status, 200, a.text);
		let p = '';
		if (a.body.unit) {
			const u = await srv.api('GET', `/api/v1/units/${a.body.unit}`);
			assert.equal(u.status, 200, u.text);
			p = u.body.level === 'province' ? u.body.code : u.body.level === 'commune' ? u.body.parent : '';
		}
		province.set(code, p);
	}
	const byProvince = new Map();
	for (const [k, v] of byAgency) {
		const [month, agency] = k.split('|');
		if (!province.get(agency)) continue;
		for (const [field, n] of Object.entries(v)) bump(byProvince, `${month}|${province.get(agency)}`, field, n);
	}

	const idx = await srv.api('GET', '/api/v1/opendata/datasets/motcua-766-index');
	assert.equal(idx.status, 200, idx.text);
	assert.deepEqual(idx.body.resources.map((r) => r.name), ['index-766.csv', 'index-766-agency.csv']);
	const close = (got, want, what) => assert.ok(got !== '' && Math.abs(Number(got) - want) < 0.006, `${what}: ${got}, expected ${want}`);
	for (const [resource, key, expected] of [
		[idx.body.resources[0], 'province', byProvince],
		[idx.body.resources[1], 'agency', byAgency],
	]) {
		const { head, rows } = await csvRows(resource);
		assert.deepEqual(
			resource.schema.fields.map((f) => f.name),
			head,
			`${resource.name}: the table schema names the columns`,
		);
		assert.deepEqual(head.slice(0, 2), ['month', key]);
		for (const col of ['digitized_rate', 'digitization_points', 'satisfaction_points', 'index']) assert.ok(head.includes(col), `${resource.name} has ${col}`);
		assert.deepEqual(rows.map((r) => `${r.month}|${r[key]}`).sort(), [...expected.keys()].sort(), `${resource.name}: one row per month and ${key}`);
		for (const r of rows) {
			const e = expected.get(`${r.month}|${r[key]}`);
			const what = `${resource.name} ${r.month} ${r[key]}`;
			let points = 0;
			let possible = 0;
			const group = (rateCell, pointsCell, num, den, conf, name) => {
				if (den === 0) {
					assert.equal(r[rateCell], '', `${what}: no ${name}`);
					assert.equal(r[pointsCell], '', `${what}: no ${name} points`);
					return;
				}
				close(r[rateCell], num / den, `${what} ${rateCell}`);
				close(r[pointsCell], pts(num / den, conf), `${what} ${pointsCell}`);
				points += pts(num / den, conf);
				possible += conf[0];
			};
			assert.equal(r.dossiers, e.sub ? String(e.sub) : '', `${what}: dossiers`);
			group('on_time_rate', 'progress_points', e.onTime, e.sub ? e.onTime + e.late : 0, CONF.progress, 'progress');
			group('online_rate', 'online_points', e.online, e.sub, CONF.online, 'online');
			group('satisfied_share', 'satisfaction_points', e.satisfied, e.rated, CONF.satisfaction, 'satisfaction');
			group('digitized_rate', 'digitization_points', e.digitized, e.finished, CONF.digitization, 'digitization');
			close(r.points, points, `${what} points`);
			assert.equal(Number(r.points_possible), possible, `${what} points possible`);
			close(r.index, (points * 100) / possible, `${what} index`);
		}
	}
	/* the transferred dossier: submitted to UBND-00004, digitized by UBND-00008 */
	const { rows: agencyRows } = await csvRows(idx.body.resources[1]);
	const fin = dossiers.find((d) => d.code === moved.code);
	const at8 = agencyRows.find((r) => r.agency === 'UBND-00008' && r.month === fin.finished_at.slice(0, 7));
	assert.ok(at8 && at8.digitized_rate !== '', 'UBND-00008 is scored for the dossier it finished');
	assert.ok(agencyRows.some((r) => r.agency === 'UBND-00004' && r.month === fin.submitted_at.slice(0, 7) && Number(r.dossiers) >= 2));
});
