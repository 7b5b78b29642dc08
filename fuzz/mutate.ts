/**
 * Seeded mutators for the fuzz harness: the same seed gives the same bytes.
 * Byte-level (flip, insert, delete, duplicate, truncate), line-level
 * (splice from another input, shuffle, CR endings, overlong lines, stamps of
 * hundreds of digits, NULs) and JSON-aware (replace a value with another
 * type, delete a key, wrap in an array), and now and then gzip.
 */
import {gzipSync} from 'node:zlib';
import YAML from 'yaml';

/** mulberry32: small, fast, good enough to pick mutations. */
export class Random {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0 || 0x9e_37_79_b9;
	}

	next(): number {
		this.state = (this.state + 0x6d_2b_79_f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	}

	int(max: number): number {
		return Math.floor(this.next() * max);
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)]!;
	}

	chance(p: number): boolean {
		return this.next() < p;
	}
}

type Mutator = (input: Buffer, random: Random, donor: Buffer) => Buffer;

const interesting = ['', '0', '-1', '4294967296', '9'.repeat(300), 'NaN', 'Infinity', '1e400', '\u0000', '\u001B[2J', '\r', '\n', '"', '{', '[', ']', '}', ':', '\t', '<12>', '[', '] ', '999999999999.999999', 'kernel: ', 'PM: ', '(elapsed', ' '.repeat(70_000)];

function at(input: Buffer, random: Random): number {
	return input.length === 0 ? 0 : random.int(input.length + 1);
}

function lines(input: Buffer): string[] {
	return input.toString('utf8').split('\n');
}

const byteMutators: Mutator[] = [
	// flip a few bytes
	(input, random) => {
		const out = Buffer.from(input);
		for (let i = 0, n = 1 + random.int(8); i < n && out.length > 0; i++) out[random.int(out.length)] = random.int(256);
		return out;
	},
	// insert an interesting token
	(input, random) => {
		const p = at(input, random);
		return Buffer.concat([input.subarray(0, p), Buffer.from(random.pick(interesting)), input.subarray(p)]);
	},
	// delete a range
	(input, random) => {
		const a = at(input, random);
		const b = Math.min(input.length, a + random.int(200));
		return Buffer.concat([input.subarray(0, a), input.subarray(b)]);
	},
	// duplicate a range
	(input, random) => {
		const a = at(input, random);
		const b = Math.min(input.length, a + random.int(400));
		return Buffer.concat([input.subarray(0, b), input.subarray(a, b), input.subarray(b)]);
	},
	// truncate (a cut-off paste, a log still being written)
	(input, random) => input.subarray(0, at(input, random)),
	// random bytes
	(input, random) => {
		const p = at(input, random);
		const noise = Buffer.alloc(1 + random.int(64));
		for (let i = 0; i < noise.length; i++) noise[i] = random.int(256);
		return Buffer.concat([input.subarray(0, p), noise, input.subarray(p)]);
	},
];

const lineMutators: Mutator[] = [
	// splice lines from another input
	(input, random, donor) => {
		const mine = lines(input);
		const theirs = lines(donor);
		const start = random.int(theirs.length);
		mine.splice(random.int(mine.length + 1), 0, ...theirs.slice(start, start + 1 + random.int(20)));
		return Buffer.from(mine.join('\n'));
	},
	// shuffle a window of lines
	(input, random) => {
		const all = lines(input);
		const start = random.int(all.length);
		const window = all.slice(start, start + 10);
		for (let i = window.length - 1; i > 0; i--) {
			const j = random.int(i + 1);
			[window[i], window[j]] = [window[j]!, window[i]!];
		}

		all.splice(start, window.length, ...window);
		return Buffer.from(all.join('\n'));
	},
	// CR-only or CRLF line endings
	(input, random) => Buffer.from(input.toString('utf8').replaceAll('\n', random.chance(0.5) ? '\r' : '\r\n')),
	// a stamp that does not fit
	(input, random) => {
		const all = lines(input);
		const i = random.int(all.length);
		all[i] = (all[i] ?? '').replace(/\d+\.\d+/, `${'9'.repeat(1 + random.int(400))}.${random.int(1_000_000)}`);
		return Buffer.from(all.join('\n'));
	},
	// an overlong line
	(input, random) => {
		const all = lines(input);
		all.splice(random.int(all.length + 1), 0, `[    1.000000] ${'x'.repeat(60_000 + random.int(100_000))}`);
		return Buffer.from(all.join('\n'));
	},
	// many wrapped continuation lines
	(input, random) => {
		const all = lines(input);
		const n = 1 + random.int(3000);
		all.splice(random.int(all.length + 1), 0, '[    5.000000] Freezing user space processes ... (elapsed', ...Array.from({length: n}, () => '0.001 seconds) done.'));
		return Buffer.from(all.join('\n'));
	},
	// e-mail quoting / indentation
	(input, random) => Buffer.from(lines(input).map(l => (random.chance(0.3) ? `> ${l}` : random.chance(0.1) ? `\t${l}` : l)).join('\n')),
];

/** Replace, delete or re-type values inside a JSON document (or each JSON line). */
function mutateJsonValue(value: unknown, random: Random, depth = 0): unknown {
	const replacements = [null, 0, 1, 5, -1, 4096, 1e9, 1e308, 0.5, '', 'x', '9'.repeat(300), '\u001B[2J', [], {}, [null], true, {dev: 7}];
	if (random.chance(0.15) || depth > 6) return random.pick(replacements);
	if (Array.isArray(value)) {
		const out = value.map(v => (random.chance(0.3) ? mutateJsonValue(v, random, depth + 1) : v));
		if (random.chance(0.2)) out.push(random.pick(replacements));
		if (random.chance(0.1) && out.length > 0) out.splice(random.int(out.length), 1);
		return out;
	}

	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) {
			if (random.chance(0.08)) continue;
			out[k] = random.chance(0.3) ? mutateJsonValue(v, random, depth + 1) : v;
		}

		return out;
	}

	return random.chance(0.5) ? random.pick(replacements) : value;
}

const jsonMutator: Mutator = (input, random) => {
	const text = input.toString('utf8');
	try {
		return Buffer.from(JSON.stringify(mutateJsonValue(JSON.parse(text), random), null, random.chance(0.5) ? 2 : undefined));
	} catch {}

	// YAML (scenario files): mutate the document, write it back as YAML.
	if (!/^\s*[[{]/.test(text)) {
		try {
			const doc = YAML.parse(text) as unknown;
			if (doc && typeof doc === 'object') return Buffer.from(YAML.stringify(mutateJsonValue(doc, random)));
		} catch {}
	}

	{
		// One JSON document per line (events.ndjson, journal JSON).
		return Buffer.from(
			text
				.split('\n')
				.map(line => {
					if (!random.chance(0.2)) return line;
					try {
						return JSON.stringify(mutateJsonValue(JSON.parse(line), random));
					} catch {
						return line;
					}
				})
				.join('\n'),
		);
	}
};

/** Mutate an input 1–4 times; `json` adds JSON-aware mutations. */
export function mutate(input: Buffer, random: Random, donor: Buffer, json: boolean): Buffer {
	let out = input;
	for (let i = 0, n = 1 + random.int(4); i < n; i++) {
		const pool = json && random.chance(0.5) ? [jsonMutator] : random.chance(0.5) ? lineMutators : byteMutators;
		out = random.pick(pool)(out, random, donor);
		if (out.length > 8 * 1024 * 1024) out = out.subarray(0, 8 * 1024 * 1024);
	}

	if (!json && random.chance(0.05)) out = gzipSync(out);
	return out;
}
