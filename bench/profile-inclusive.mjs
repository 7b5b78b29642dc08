// Inclusive share of functions of a .cpuprofile: node bench/profile-inclusive.mjs FILE name...
import {readFileSync} from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const names = process.argv.slice(3);
const byId = new Map(prof.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const totals = new Map(names.map(n => [n, 0]));
for (const s of prof.samples) {
	const seen = new Set();
	for (let id = s; id !== undefined; id = parent.get(id)) {
		const f = byId.get(id).callFrame;
		const key = `${f.functionName} ${f.url.split('/').slice(-2).join('/')}`;
		for (const n of names) if (key.startsWith(n + ' ') || key.includes(n)) seen.add(n);
	}
	for (const n of seen) totals.set(n, totals.get(n) + 1);
}
for (const [n, c] of totals) console.log(`${(100 * c / prof.samples.length).toFixed(1).padStart(5)} %  ${n}`);
