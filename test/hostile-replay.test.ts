/**
 * Replay never crashes, hangs or loses data on broken input (issue 12,
 * "Replay and simulation never crash or hang on bad input", replay side):
 * every external record validated, a warning naming file, line and field,
 * the rest replayed; bounds tested by operation counts, not timers.
 */
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runRecord} from '../source/commands/record.js';
import {describeFsError} from '../source/trace/input.js';
import {LogParser, maxJoinedLines, maxLineLength, parseLogText} from '../source/trace/log-parser.js';
import {parseNdctlText, repair, repairWork} from '../source/trace/ndctl-parser.js';
import {parseSysfsText} from '../source/trace/sysfs-parser.js';
import {fixturesDir} from '../source/paths.js';
import {quiesce} from './helpers/cli.js';
import {replay} from './helpers/replay.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-hostile-'));

describe('ndctl JSON of the wrong shape', () => {
	it.each([
		['[{"dev":"ndbus0","provider":"ACPI.NFIT","dimms":[null, {"dev":"nmem1","firmware":{"activate_state":"armed"}}]}]', /^ndctl \[0\]\.dimms\[0\]: value: Expected object, received null; skipped$/, ['nmem1']],
		['5', /^ndctl object: expected an object, got number; skipped$/, []],
		['{}', /^ndctl object: field dev: missing; skipped$/, []],
		['[{"dev":"ndbus0","dimms":5}]', /^ndctl \[0\] \("ndbus0"\): field dimms: Expected array, received number; skipped$/, []],
		['[{"dev":"ndbus0","dimms":[{"dev":"nmem0","firmware":{"activate_state":7}}, {"dev":"nmem1"}]}]', /^ndctl \[0\]\.dimms\[0\] \("nmem0"\): field firmware\.activate_state: Expected string, received number; skipped$/, ['nmem1']],
		['{"dimms":[{"dev":"nmem3"},[]]}', /^ndctl object\.dimms\[1\]: value: Expected object, received array; skipped$/, ['nmem3']],
	])('%s → a warning naming the place and field, the rest read', (text, message, dimms) => {
		const parsed = parseNdctlText(text, 'n.json');
		expect(parsed.warnings[0]?.message).toMatch(message);
		expect(parsed.warnings[0]?.file).toBe('n.json');
		expect(parsed.dimms).toEqual(dimms);
	});

	it('the line of a bad DIMM is the line of its "dev"', () => {
		const text = '[\n  {\n    "dev":"ndbus0",\n    "dimms":[\n      {\n        "dev":"nmem0",\n        "firmware":"yes"\n      }\n    ]\n  }\n]\n';
		expect(parseNdctlText(text, 'n.json').warnings[0]).toMatchObject({line: 6, message: expect.stringMatching(/field firmware: Expected object/)});
	});

	it('repairing 20 000 unclosed objects is linear (characters scanned = input length)', () => {
		const text = '[' + '{"dev":"nmem0","firmware":{"a":['.repeat(20_000);
		const repaired = repair(text);
		expect(repairWork.chars).toBeLessThanOrEqual(text.length);
		expect(() => JSON.parse(repaired)).not.toThrow();
		const parsed = parseNdctlText(text, 'deep.json');
		expect(parsed.warnings[0]!.message).toMatch(/cut off or pasted/);
	});
});

describe('bundle records with missing or mistyped fields', () => {
	const bundle = path.join(dir, 'bundle');
	runRecord({scenario: 'default', seed: 2, json: false, out: bundle, force: true});
	const lines = readFileSync(path.join(bundle, 'events.ndjson'), 'utf8').trimEnd().split('\n');

	it('events.ndjson: each bad line is a warning with file, line and field; the others replay', async () => {
		const broken = [...lines];
		broken[0] = '{"kind":"log","t":"soon","text":"x"}';
		broken[1] = '{"kind":"sysfs","t":5}';
		broken[2] = '{"kind":"teleport","t":5}';
		broken[3] = '{"kind":"log","t":1e400,"text":"x"}';
		broken[4] = 'null';
		broken[5] = '{"kind":"action","t":7316401461,"op":"write","path":"x","result":{"ok":false,"errno":"EWHAT","code":1},"actor":"operator"}';
		const damaged = path.join(dir, 'damaged');
		mkdirSync(damaged, {recursive: true});
		writeFileSync(path.join(damaged, 'events.ndjson'), broken.join('\n') + '\n');
		copyFileSync(path.join(bundle, 'meta.json'), path.join(damaged, 'meta.json'));
		const {events, warnings} = await replay(damaged);
		const file = path.join(damaged, 'events.ndjson');
		expect(warnings.slice(0, 6).map(w => `${w.file === file ? 'events.ndjson' : w.file}:${w.line}: ${w.message}`)).toEqual([
			'events.ndjson:1: bad event line: field t: Expected number, received string (kind "log")',
			'events.ndjson:2: bad event line: field path: missing (kind "sysfs")',
			expect.stringMatching(/^events\.ndjson:3: bad event line: field kind: Invalid discriminator value/),
			expect.stringMatching(/^events\.ndjson:4: bad event line: field t: /),
			expect.stringMatching(/^events\.ndjson:5: bad event line: field \(record\): Expected object, received null$/),
			expect.stringMatching(/^events\.ndjson:6: bad event line: field result\.errno: /),
		]);
		expect(events).toHaveLength(lines.length - 6);
		for (const e of events) expect(Number.isFinite(e.t)).toBe(true);
	});

	it('meta.json with wrong types: each bad field named and dropped, the trace replays', async () => {
		const bad = path.join(dir, 'bad-meta');
		mkdirSync(bad, {recursive: true});
		copyFileSync(path.join(bundle, 'kernel.log'), path.join(bad, 'kernel.log'));
		copyFileSync(path.join(bundle, 'sysfs.tsv'), path.join(bad, 'sysfs.tsv'));
		writeFileSync(path.join(bad, 'meta.json'), JSON.stringify({format: 'quiesce-trace', version: 1, seed: 'one', clock: {sysfsOffsetUs: 'x'}, unreadable: 'all', notes: [1]}));
		const {events, warnings} = await replay(bad);
		expect(warnings.map(w => w.message)).toEqual([
			expect.stringMatching(/^meta\.json: field seed: Expected number, received string; field ignored$/),
			expect.stringMatching(/^meta\.json: field clock\.sysfsOffsetUs: Expected number, received string; field ignored$/),
			expect.stringMatching(/^meta\.json: field unreadable: Expected array, received string; field ignored$/),
			expect.stringMatching(/^meta\.json: field notes\.0: Expected string, received number; field ignored$/),
		]);
		expect(events.length).toBeGreaterThan(50);
		for (const top of ['[]', '"x"', '{']) {
			writeFileSync(path.join(bad, 'meta.json'), top);
			const again = await replay(bad);
			expect(again.warnings[0]!.message).toMatch(/^meta\.json(?:: expected a JSON object| is not valid JSON)/);
			expect(again.events.length).toBe(events.length);
		}
	});

	it('the CLI: warnings on stderr, exit status from the replayed cycles, never a stack', async () => {
		const result = await quiesce(['replay', path.join(dir, 'damaged'), '--summary']);
		expect([0, 1]).toContain(result.exitCode);
		expect(String(result.stderr)).toMatch(/events\.ndjson:1: bad event line: field t/);
		expect(String(result.stderr)).not.toMatch(/\n\s+at /);
	});
});

describe('timestamps that do not fit', () => {
	it('hundreds of digits: a warning for that line, the line kept, time stays finite', () => {
		const huge = '9'.repeat(300);
		const text = `[    1.000000] a\n[${huge}.000000] b\n<6>[${huge}.5] c\n6,1,${huge},-;d\n[    2.000000] e\n`;
		const {events, warnings} = parseLogText(text, 'huge.log');
		expect(events.map(e => e.text)).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(events.map(e => e.t)).toEqual([1_000_000, 1_000_000, 1_000_000, 1_000_000, 2_000_000]);
		expect(warnings.map(w => w.line)).toEqual([2, 3, 4]);
		expect(warnings[0]!.message).toMatch(/^timestamp "9{24}…" does not fit a printk stamp/);
	});

	it('sysfs poll times too: warned per line, never Infinity', () => {
		const {events, warnings} = parseSysfsText(`5\t/sys/power/state\tmem\n${'9'.repeat(400)}\t/sys/power/state\tdisk\n7\t/sys/power/state\tfreeze\n`, 's.tsv');
		expect(events.map(e => [e.t, e.value])).toEqual([[5, 'mem'], [5, 'disk'], [7, 'freeze']]);
		expect(warnings).toEqual([{file: 's.tsv', line: 2, message: expect.stringMatching(/^time "9{24}…" does not fit/)}]);
	});
});

describe('no quadratic paths', () => {
	it('16 000 wrapped lines: joining is bounded (recogniser work linear in the input)', () => {
		const lines = ['[    1.000000] Freezing user space processes ... (elapsed', ...Array.from({length: 16_000}, () => '0.001 seconds) done.')];
		const text = lines.join('\n');
		const {events, work} = parseLogText(text, 'wrapped.log');
		expect(work.recognisedChars).toBeLessThan(text.length * 4 * maxJoinedLines);
		// Nothing lost: every line is in some event.
		const covered = new Set<number>();
		for (const e of events) for (let l = e.source!.line; l <= (e.source!.endLine ?? e.source!.line); l++) covered.add(l);
		expect(covered.size).toBe(lines.length);
	});

	it('the work per line does not grow with the log (same ratio at 1 000 and 16 000 lines)', () => {
		const ratio = (n: number) => {
			const text = ['[    1.000000] PM: suspend entry (deep)', ...Array.from({length: n}, (_, i) => `continuation ${i}`)].join('\n');
			return parseLogText(text, 'w.log').work.recognisedChars / n;
		};

		expect(ratio(16_000)).toBeLessThanOrEqual(ratio(1000) * 1.1);
	});

	it('stamps jumping back and forth (a new segment per line) keep a bounded segment list', () => {
		const parser = new LogParser('jumps.log');
		const segments = () => (parser as unknown as {segments: unknown[]}).segments.length;
		for (let i = 0; i < 5000; i++) parser.push(`[${String(i % 2 === 0 ? 1 : 900 + i).padStart(5)}.000000] x`, i + 1);
		expect(segments()).toBeLessThanOrEqual(64);
	});
});

describe('line endings and long lines', () => {
	it('CR-only, CRLF and LF all end lines, even split across chunks', () => {
		const cr = parseLogText('[    1.000000] PM: suspend entry (deep)\r[    1.100000] PM: suspend exit\r', 'cr.log');
		expect(cr.events.map(e => [e.text, e.source!.line])).toEqual([
			['PM: suspend entry (deep)', 1],
			['PM: suspend exit', 2],
		]);
		const mixed = parseLogText('a\r\nb\rc\nd', 'mixed.log');
		expect(mixed.events.map(e => e.text)).toEqual(['a', 'b', 'c', 'd']);
	});

	it('a line longer than the cap is kept whole across pieces of the same line (lossless)', () => {
		const long = Array.from({length: 200_000}, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
		const {events, warnings} = parseLogText(`[    1.000000] head\n[    2.000000] ${long}\n[    3.000000] tail\n`, 'long.log');
		const pieces = events.filter(e => e.source!.line === 2);
		expect(pieces.length).toBe(Math.ceil((long.length + 15) / maxLineLength));
		expect(pieces.map(e => e.text).join('')).toBe(long);
		expect(pieces.every(e => e.t === 2_000_000)).toBe(true);
		expect(warnings).toEqual([{file: 'long.log', line: 2, message: expect.stringMatching(/kept in pieces of 65536, each an event of the same line/)}]);
		expect(events.at(-1)!.text).toBe('tail');
	});
});

describe('every error names its place, in one line', () => {
	it.each([
		['EACCES', /^\/x\/kernel\.log: permission denied \(the file cannot be read by this user\)$/],
		['ELOOP', /^\/x\/kernel\.log: symlink loop/],
		['ENOENT', /^\/x\/kernel\.log: no such file or directory$/],
		['EIO', /^\/x\/kernel\.log: input\/output error while reading$/],
	])('%s', (code, message) => {
		expect(describeFsError('/x/kernel.log', Object.assign(new Error(`${code}: boom\nsecond line`), {code}))).toMatch(message);
	});

	it.skipIf(process.getuid?.() === 0)('an unreadable file (as a user, not root)', async () => {
		const file = path.join(dir, 'secret.log');
		writeFileSync(file, '[    1.000000] x\n', {mode: 0o000});
		const result = await quiesce(['replay', file]);
		expect(result.exitCode).toBe(2);
		expect(String(result.stderr).trimEnd()).toMatch(/secret\.log: permission denied/);
	});

	it('control characters in a path or a value are escaped, long values cut', async () => {
		const file = path.join(dir, 'evil\u001B[2Jname.tsv');
		writeFileSync(file, `/sys/power/state\tmem\n${'\u001B[31m'.repeat(40)}garbage\n`);
		const result = await quiesce(['replay', file, '--headless']);
		const stderr = String(result.stderr);
		expect(stderr).not.toMatch(/\u001B/);
		expect(stderr).toMatch(/evil\\u001b\[2Jname\.tsv:2: not a sysfs line .*…"/);
	});

	it('real traces still parse with no new warning', async () => {
		const {warnings} = await replay(fixturesDir('traces', '17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log'));
		expect(warnings).toEqual([]);
	});
});
