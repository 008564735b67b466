// shacl.mjs - validates RDF (Turtle or JSON-LD) against the official
// DCAT-AP 3.0.1 SHACL shapes shipped in tests/data (copied from SEMICeu,
// see tests/data/README.md): returns the list of violations as readable
// strings (empty when the data conforms).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import datasetFactory from '@rdfjs/dataset';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { REPO } from './server.mjs';


function parseTurtle(text, baseIRI) {
	return datasetFactory.dataset(new Parser({ baseIRI }).parse(text));
}

let shapes = null;
function loadShapes() {
	if (!shapes) {
		const quads = [];
		for (const f of ['dcat-ap-3.0.1-shacl.ttl', 'dcat-ap-3.0.1-ranges.ttl']) {
			const text = readFileSync(join(REPO, 'tests/data', f), 'utf8');
			quads.push(...new Parser().parse(text));
		}
		shapes = datasetFactory.dataset(quads);
	}
	return shapes;
}

/* Parses `text` (turtle | jsonld) into an RDF/JS dataset. */
export async function toDataset(text, format) {
	if (format === 'turtle') return parseTurtle(text);
	const nquads = await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads' });
	return datasetFactory.dataset(new Parser({ format: 'N-Quads' }).parse(nquads));
}

/* Violations of `text` against DCAT-AP 3.0.1 (shapes and ranges). */
export async function dcatViolations(text, format) {
	const data = await toDataset(text, format);
	const validator = new SHACLValidator(loadShapes());
	const report = await validator.validate(data);
	return report.results
		.filter((r) => r.severity?.value?.endsWith('Violation'))
		.map((r) => `${r.focusNode?.value} ${r.path?.value ?? ''}: ${r.message.map((m) => m.value).join('; ')}`);
}
