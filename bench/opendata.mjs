// opendata.mjs - the measuring half of bench/opendata (see there).
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';

const [base, out] = process.argv.slice(2);
const DATASETS = Number(process.env.DATASETS || 10000);
const ROWS = Number(process.env.ROWS || 1000000);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function req(method, path, { body, headers = {} } = {}) {
	const url = new URL(base + path);
	return new Promise((resolve, reject) => {
		const r = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent }, (res) => {
			const chunks = [];
			let n = 0;
			res.on('data', (c) => {
				n += c.length;
				if (n < 1 << 20) chunks.push(c);
			});
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: n, text: Buffer.concat(chunks).toString('utf8') }));
		});
		r.on('error', reject);
		if (body && typeof body.pipe === 'function') body.pipe(r);
		else r.end(body);
	});
}

const login = await req('POST', '/api/v1/auth/login', { body: JSON.stringify({ username: 'admin', password: 'admin-demo-2026' }), headers: { 'content-type': 'application/json' } });
const token = JSON.parse(login.text).token;
const auth = { authorization: `Bearer ${token}` };
const themes = ['GOVE', 'SOCI', 'ECON', 'EDUC', 'HEAL', 'TRAN', 'ENVI', 'AGRI'];
const licences = ['CC-BY-4.0', 'CC0-1.0', 'ODC-BY-1.0'];
const agencies = ['UBND-00004', 'UBND-00008', 'UBND-01', 'UBND-79', 'BTP', 'BCA'];
const words = ['dân số', 'hộ tịch', 'giáo dục', 'y tế', 'giao thông', 'môi trường', 'đất đai', 'thuế', 'doanh nghiệp', 'ngân sách'];

console.log(`== creating ${DATASETS} datasets`);
let t0 = Date.now();
let next = 0;
async function worker() {
	while (next < DATASETS) {
		const i = next++;
		const w = words[i % words.length];
		const body = {
			name: `bench-${String(i).padStart(5, '0')}`,
			agency: agencies[i % agencies.length],
			title: { vi: `Thống kê ${w} số ${i}`, en: `Statistics ${i}` },
			description: { vi: `Bộ dữ liệu thử nghiệm về ${w}.`, en: 'Benchmark dataset.' },
			keywords: { vi: [w, `nhóm ${i % 50}`], en: ['bench'] },
			themes: [themes[i % themes.length]],
			license: licences[i % licences.length],
			frequency: 'MONTHLY',
			resources: [{ name: 'data.json', format: 'JSON' }],
		};
		const r = await req('POST', '/api/v1/opendata/datasets', { body: JSON.stringify(body), headers: { ...auth, 'content-type': 'application/json' } });
		if (r.status !== 201) throw new Error(`create ${i}: ${r.status} ${r.text}`);
	}
}
await Promise.all(Array.from({ length: 16 }, worker));
console.log(`created in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

function pct(a, p) {
	const s = [...a].sort((x, y) => x - y);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
async function measure(name, paths, n = 500) {
	const lat = [];
	for (let i = 0; i < n; i++) {
		const path = paths[i % paths.length];
		const t = process.hrtime.bigint();
		const r = await req('GET', path);
		lat.push(Number(process.hrtime.bigint() - t) / 1e6);
		if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text.slice(0, 200)}`);
	}
	const line = `${name}: n=${n} p50=${pct(lat, 50).toFixed(2)} ms p99=${pct(lat, 99).toFixed(2)} ms`;
	console.log(line);
	return { name, p50: pct(lat, 50), p99: pct(lat, 99) };
}
const enc = encodeURIComponent;
const mixed = [
	'/api/3/action/package_search?q=ho%20tich&rows=10',
	`/api/3/action/package_search?fq=${enc('organization:ubnd-00004')}&rows=10`,
	`/api/3/action/package_search?fq=${enc('tags:"y tế"')}&rows=10`,
	`/api/3/action/package_search?fq=${enc('res_format:JSON license_id:CC0-1.0')}&rows=20&sort=${enc('metadata_modified desc')}`,
	'/api/3/action/package_search?rows=10',
	`/api/3/action/package_search?q=giao%20duc&facet.field=${enc('["organization","tags","license_id"]')}&rows=10`,
];
console.log('== package_search');
const results = [];
results.push(await measure('package_search mixed (q, fq, sort, facets)', mixed));
results.push(await measure('package_search sort=id asc start=0', [`/api/3/action/package_search?rows=100&start=0&sort=${enc('id asc')}`]));
results.push(await measure('package_search sort=id asc start=9000', [`/api/3/action/package_search?rows=100&start=9000&sort=${enc('id asc')}`]));
/* full text: "thong ke" opens every title, so all datasets are ranked hits */
results.push(await measure('package_search q (10,000 hits, score) start=0', [`/api/3/action/package_search?q=${enc('thong ke')}&rows=100&start=0`], 100));
results.push(await measure('package_search q (10,000 hits, score) start=9000', [`/api/3/action/package_search?q=${enc('thong ke')}&rows=100&start=9000`], 100));

console.log(`== ${ROWS}-row CSV download`);
const ds = JSON.parse((await req('POST', '/api/v1/opendata/datasets', {
	body: JSON.stringify({ name: 'bench-big-csv', agency: 'UBND-00004', title: { vi: 'CSV lớn', en: 'Big CSV' }, description: { vi: 'a', en: 'b' }, license: 'CC0-1.0', resources: [{ name: 'big.csv', format: 'CSV', schema: { fields: [{ name: 'id', type: 'integer' }, { name: 'commune', type: 'string' }, { name: 'month', type: 'date' }, { name: 'count', type: 'integer' }, { name: 'share', type: 'number' }] } }] }),
	headers: { ...auth, 'content-type': 'application/json' },
})).text);
const rid = ds.resources[0].id;
const file = `${out}/big.csv`;
await new Promise((resolve) => {
	const w = createWriteStream(file);
	w.write('id,commune,month,count,share\n');
	let i = 0;
	const more = () => {
		while (i < ROWS) {
			const line = `${i},${String(i % 3321).padStart(5, '0')},2026-${String((i % 12) + 1).padStart(2, '0')}-01,${i % 997},0.${String(i % 10000).padStart(4, '0')}\n`;
			i++;
			if (!w.write(line)) return w.once('drain', more);
		}
		w.end(resolve);
	};
	more();
});
const size = (await stat(file)).size;
t0 = Date.now();
const { createReadStream } = await import('node:fs');
const put = await req('PUT', `/api/v1/opendata/resources/${rid}/content`, { body: createReadStream(file), headers: { ...auth, 'content-type': 'text/csv', 'content-length': String(size) } });
if (put.status !== 201) throw new Error(`upload: ${put.status} ${put.text.slice(0, 300)}`);
console.log(`upload + schema check of ${(size / 1e6).toFixed(1)} MB: ${((Date.now() - t0) / 1000).toFixed(2)} s`);
async function download(name, headers) {
	let best = 0;
	for (let k = 0; k < 5; k++) {
		const t = process.hrtime.bigint();
		const r = await req('GET', `/api/v1/opendata/resources/${rid}/download`, { headers });
		const s = Number(process.hrtime.bigint() - t) / 1e9;
		if (r.status !== 200) throw new Error(`download ${r.status}`);
		best = Math.max(best, size / s / 1e6);
	}
	console.log(`${name}: best of 5 ${best.toFixed(0)} MB/s of CSV`);
	return best;
}
const plain = await download('download (sendfile)', {});
const gz = await download('download (gzip on the fly)', { 'accept-encoding': 'gzip' });
console.log('\n== summary');
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${new Date().toISOString()}`);
for (const r of results) console.log(`${r.name}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
console.log(`download ${(size / 1e6).toFixed(1)} MB: ${plain.toFixed(0)} MB/s plain, ${gz.toFixed(0)} MB/s (uncompressed bytes) with gzip`);
agent.destroy();
