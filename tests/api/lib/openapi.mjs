// openapi.mjs - checks answers of the server against docs/openapi.json: the
// status must be declared by the operation, the content type must be one it
// declares, and a JSON body must satisfy the declared schema (a small JSON
// Schema subset: $ref, allOf, type incl. arrays of types, required,
// properties, items, enum, minimum/maximum, pattern). Cheap by design: it is
// run on most answers the tests look at.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './server.mjs';

export const spec = JSON.parse(readFileSync(join(REPO, 'docs/openapi.json'), 'utf8'));

const byOperationId = new Map();
for (const [path, item] of Object.entries(spec.paths)) {
	for (const [method, op] of Object.entries(item)) {
		if (op && op.operationId) byOperationId.set(op.operationId, { path, method, op });
	}
}

function deref(node) {
	let n = node;
	for (let i = 0; n && n.$ref && i < 20; i++) {
		const parts = n.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
		n = parts.reduce((o, k) => (o ? o[k] : undefined), spec);
		if (n === undefined) throw new Error(`unresolved $ref ${node.$ref}`);
	}
	return n;
}

function typeOf(v) {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
	return typeof v;
}

function typeMatches(t, v) {
	const actual = typeOf(v);
	if (t === actual) return true;
	if (t === 'number' && actual === 'integer') return true;
	return false;
}

/* Errors of `value` against `schema`, as "path: message" strings. */
export function validate(value, schema, path = '$', errors = []) {
	const s = deref(schema);
	if (!s || typeof s !== 'object') return errors;
	if (s.allOf) for (const sub of s.allOf) validate(value, sub, path, errors);
	if (s.type !== undefined) {
		const types = Array.isArray(s.type) ? s.type : [s.type];
		if (!types.some((t) => typeMatches(t, value))) {
			errors.push(`${path}: expected ${types.join('|')}, got ${typeOf(value)} ${JSON.stringify(value)?.slice(0, 80)}`);
			return errors;
		}
	}
	if (s.enum && !s.enum.some((e) => e === value)) errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(s.enum)}`);
	if (typeof value === 'number') {
		if (s.minimum !== undefined && value < s.minimum) errors.push(`${path}: ${value} < ${s.minimum}`);
		if (s.maximum !== undefined && value > s.maximum) errors.push(`${path}: ${value} > ${s.maximum}`);
	}
	if (typeof value === 'string' && s.pattern && !new RegExp(s.pattern, 'u').test(value))
		errors.push(`${path}: ${JSON.stringify(value)} does not match ${s.pattern}`);
	if (typeOf(value) === 'object') {
		for (const r of s.required || []) if (!(r in value)) errors.push(`${path}: missing required "${r}"`);
		for (const [k, sub] of Object.entries(s.properties || {}))
			if (k in value) validate(value[k], sub, `${path}.${k}`, errors);
	}
	if (Array.isArray(value) && s.items) value.forEach((v, i) => validate(v, s.items, `${path}[${i}]`, errors));
	return errors;
}

/* Asserts that `res` (from api()) is an answer the operation declares. */
export function assertConforms(res, operationId) {
	const entry = byOperationId.get(operationId);
	assert.ok(entry, `no operation ${operationId} in docs/openapi.json`);
	const { op } = entry;
	const declared = op.responses[String(res.status)] || op.responses[`${String(res.status)[0]}XX`] || op.responses.default;
	assert.ok(declared, `${operationId}: status ${res.status} not declared (declared: ${Object.keys(op.responses).join(', ')}); body: ${res.text.slice(0, 300)}`);
	const resp = deref(declared);
	if (!resp.content) return;
	const mt = (res.contentType || '').split(';')[0].trim().toLowerCase();
	const media = resp.content[mt];
	assert.ok(media, `${operationId} ${res.status}: content type "${mt}" not declared (declared: ${Object.keys(resp.content).join(', ')})`);
	if (mt.endsWith('json') && media.schema) {
		assert.notEqual(res.body, undefined, `${operationId}: answer is not valid JSON: ${res.text.slice(0, 200)}`);
		const errs = validate(res.body, media.schema);
		assert.deepEqual(errs, [], `${operationId} ${res.status}: answer does not match docs/openapi.json:\n${errs.join('\n')}`);
	}
}

/* Asserts a problem+json answer with the given status. */
export function assertProblem(res, status, msg = '') {
	assert.equal(res.status, status, `${msg} expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
	assert.match(res.contentType, /^application\/problem\+json/i, `${msg} content type ${res.contentType}`);
	const errs = validate(res.body, { $ref: '#/components/schemas/Problem' });
	assert.deepEqual(errs, [], `${msg} not a problem document: ${errs.join('; ')}`);
	assert.equal(res.body.status, status, `${msg} problem status member`);
}
