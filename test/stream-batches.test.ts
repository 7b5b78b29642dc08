/**
 * How streamLog hands a log over (source/trace/stream.ts), checked on inputs
 * built here so every chunk boundary is known: batches of at least 2048
 * events from a file, each chunk at once from a pipe, nothing left in the
 * last partial line or record, the sink path (replay --summary), the offset
 * index, the byte and record counts, abort, and the input always closed.
 * The lines are the real qemu-6.1 boot + hibernate log (fixtures/traces/qemu-6.1,
 * `[    0.000000] msg` with no level) and `dmesg --json` of util-linux 2.38
 * (fixtures/inputs).
 */
import {readFileSync, writeFileSync, mkdtempSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {LogEvent} from '../source/events.js';
import {fixturesDir} from '../source/paths.js';
import type {TextInput} from '../source/trace/input.js';
import type {LineSink} from '../source/trace/log-parser.js';
import {streamLog, streamLogFile, type IndexEntry} from '../source/trace/stream.js';

const qemuLog = readFileSync(fixturesDir('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log'), 'utf8');
const qemuLines = qemuLog.trimEnd().split('\n');
const dmesgJson = readFileSync(fixturesDir('inputs', 'dmesg-json-util-linux-2.38.json'), 'utf8');

type Fake = TextInput & {closed: number; served: number};

/** An input that serves these chunks, counting how many it served and whether it was closed. */
function inputOf(chunks: string[], options: {regular: boolean; format?: TextInput['format']; label?: string}): Fake {
	const counts = {closed: 0, served: 0};
	async function * serve() {
		for (const chunk of chunks) {
			counts.served++;
			yield Buffer.from(chunk);
		}
	}

	return {
		label: options.label ?? 'fake.log',
		format: options.format ?? 'log',
		compression: 'none',
		regular: options.regular,
		warnings: [],
		get closed() {
			return counts.closed;
		},
		get served() {
			return counts.served;
		},
		close() {
			counts.closed++;
		},
		chunks: serve(),
	};
}

/** The text cut into chunks of `perChunk` lines (each ending in its newline). */
function chunked(lines: string[], perChunk: number): string[] {
	const out: string[] = [];
	for (let i = 0; i < lines.length; i += perChunk) out.push(lines.slice(i, i + perChunk).map(l => `${l}\n`).join(''));
	return out;
}

describe('batches', () => {
	// 566 real lines, five times over: 2830 lines.
	const lines = Array.from({length: 5}, () => qemuLines).flat();

	it('a regular file: a batch is handed over once it holds 2048 events, never empty, the rest at the end', async () => {
		// 2049 lines in the first chunk: the parser holds one line back, so 2048 events are ready after it.
		const input = inputOf([...chunked(lines.slice(0, 2049), 2049), ...chunked(lines.slice(2049), 100)], {regular: true});
		const batches: number[] = [];
		const served: number[] = [];
		const result = await streamLog(input, {onBatch: batch => void (batches.push(batch.length), served.push(input.served))});
		expect(batches).toEqual([2048, lines.length - 2048]);
		// The first batch went before the second chunk was read: at 2048 events, not later.
		expect(served[0]).toBe(1);
		expect(result.lines).toBe(lines.length);
		expect(result.bytes).toBe(Buffer.byteLength(lines.map(l => `${l}\n`).join('')));
		expect(input.closed).toBe(1);
	});

	it('a regular file below 2048 events per read: held until 2048, not handed over chunk by chunk', async () => {
		const input = inputOf(chunked(lines, 100), {regular: true});
		const batches: number[] = [];
		await streamLog(input, {onBatch: batch => void batches.push(batch.length)});
		// After 20 chunks of 100 lines, 1999 events are ready (one line held back); after 21, 2099: the first batch. The rest at the end.
		expect(batches).toEqual([2099, lines.length - 2099]);
	});

	it('a pipe: what each read brought is handed over at once (dmesg -w may then go quiet), never an empty batch', async () => {
		const input = inputOf(chunked(qemuLines, 200), {regular: false});
		const batches: Array<{size: number; served: number}> = [];
		await streamLog(input, {onBatch: batch => void batches.push({size: batch.length, served: input.served})});
		// 566 lines in chunks of 200, 200, 166: each read's lines but the one held back, then that last line.
		expect(batches).toEqual([
			{size: 199, served: 1},
			{size: 200, served: 2},
			{size: 166, served: 3},
			{size: 1, served: 3},
		]);
	});

	it('the last line without a newline is read; the events are the file\'s lines in order', async () => {
		const text = qemuLines.join('\n');
		const input = inputOf([text.slice(0, 1000), text.slice(1000)], {regular: true});
		const events: LogEvent[] = [];
		const result = await streamLog(input, {onBatch: batch => void events.push(...batch)});
		expect(events.map(e => e.source!.line)).toEqual(qemuLines.map((_, i) => i + 1));
		expect(events.at(-1)!.text).toBe(qemuLines.at(-1)!.replace(/^\[\s*[\d.]+\] /, ''));
		expect(result.lines).toBe(qemuLines.length);
	});
});

describe('structured input', () => {
	it('dmesg --json: the last record is read even when the stream ends right after it; records, bytes and close counted', async () => {
		const input = inputOf([dmesgJson.slice(0, 500), dmesgJson.slice(500)], {regular: true, format: 'dmesg-json'});
		const events: LogEvent[] = [];
		const result = await streamLog(input, {onBatch: batch => void events.push(...batch)});
		// The 12 records of dmesg -r util-linux 2.38 (fixtures/inputs/README.md), the last one included.
		const raw = readFileSync(fixturesDir('inputs', 'dmesg-r-util-linux-2.38.log'), 'utf8').trimEnd().split('\n');
		expect(events.map(e => e.text)).toEqual(raw.map(l => l.replace(/^<\d+>\[\s*[\d.]+\] /, '')));
		expect(result.lines).toBe(12);
		expect(result.bytes).toBe(Buffer.byteLength(dmesgJson));
		expect(input.closed).toBe(1);
	});

	it('journalctl -o export: records and bytes counted, a pipe\'s records handed over per read', async () => {
		// Two records with the fields journalctl -o export prints for kernel messages (systemd.journal-fields(7));
		// messages from fixtures/traces/17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log.
		const record = (us: number, message: string) => `__MONOTONIC_TIMESTAMP=${us + 1234}\n_TRANSPORT=kernel\nPRIORITY=6\nSYSLOG_FACILITY=0\nSYSLOG_IDENTIFIER=kernel\n_SOURCE_MONOTONIC_TIMESTAMP=${us}\nMESSAGE=${message}\n\n`;
		const chunks = [record(9_727_982_000, 'PM: suspend entry (deep)'), record(9_728_071_330, 'Filesystems sync: 0.089 seconds')];
		const input = inputOf(chunks, {regular: false, format: 'journal-export'});
		const batches: Array<{texts: string[]; served: number}> = [];
		const result = await streamLog(input, {onBatch: batch => void batches.push({texts: batch.map(e => e.text), served: input.served})});
		// The parser holds a record back (it may continue it): the first is handed over right after the
		// second read, not kept for the end (a pipe is handed over at once); the second at the end.
		expect(batches).toEqual([
			{texts: ['PM: suspend entry (deep)'], served: 2},
			{texts: ['Filesystems sync: 0.089 seconds'], served: 2},
		]);
		expect(result.lines).toBe(2);
		expect(result.bytes).toBe(Buffer.byteLength(chunks.join('')));
		expect(input.closed).toBe(1);
	});

	it('dmesg --json cut off inside a record: the end of the input says so (the records before it are kept)', async () => {
		const cut = dmesgJson.slice(0, dmesgJson.lastIndexOf('"msg"'));
		const input = inputOf([cut], {regular: true, format: 'dmesg-json', label: 'cut.json'});
		const events: LogEvent[] = [];
		const result = await streamLog(input, {onBatch: batch => void events.push(...batch)});
		expect(events).toHaveLength(11);
		expect(result.warnings.map(w => [w.file, w.message])).toEqual([['cut.json', 'the input ends inside a record (cut off); that record is skipped']]);
	});
});

describe('abort', () => {
	it('an aborted signal stops reading: no chunk is read past it, and the input is still closed', async () => {
		for (const format of ['log', 'journal-export'] as const) {
			const input = inputOf(chunked(qemuLines, 100), {regular: true, format});
			const controller = new AbortController();
			controller.abort();
			const result = await streamLog(input, {onBatch() {}, signal: controller.signal});
			expect(result.bytes, format).toBe(0);
			expect(input.closed, format).toBe(1);
		}
	});
});

describe('the sink (replay --summary)', () => {
	it('lines go to the sink in order: events for the lines it wants, times for those it skips; onBatch only asks for a flush', async () => {
		const input = inputOf(chunked(qemuLines, 200), {regular: true});
		const seen: Array<[string, number]> = [];
		const batches: number[] = [];
		const sink: LineSink = {
			event: e => void seen.push(['event', e.source!.line]),
			// Keep only the PM lines; count the others.
			skips: text => !text.startsWith('PM: '),
			skipped: (_t, line) => void seen.push(['skipped', line]),
		};
		const index: IndexEntry[] = [];
		await streamLog(input, {onBatch: batch => void batches.push(batch.length), sink, indexEvery: 100, onIndex: e => index.push(e)});
		// Every line once, in order.
		expect(seen.map(s => s[1])).toEqual(qemuLines.map((_, i) => i + 1));
		const pmLines = qemuLines.flatMap((l, i) => (/^\[[\s\d.]+\] PM: /.test(l) ? [i + 1] : []));
		expect(pmLines.length).toBeGreaterThan(10);
		expect(seen.filter(s => s[0] === 'event').map(s => s[1])).toEqual(pmLines);
		// One flush request per read and one at the end, never with events.
		expect(batches).toEqual([0, 0, 0, 0]);
		// The index takes the clock from the sink's lines too: entry 5 (line 501) has the time of the line before it or the one before that.
		const stamp = (line: number) => Math.round(Number(/^\[\s*([\d.]+)\]/.exec(qemuLines[line - 1]!)![1]) * 1e6);
		expect([stamp(499), stamp(500)]).toContain(index[5]!.t);
		expect(index[5]!.t).toBeGreaterThan(0);
	});
});

describe('labels', () => {
	it('warnings name the label given, else the input\'s own', async () => {
		const bad = ['[    1.000000] a', `[${'9'.repeat(40)}.000000] b`].map(l => `${l}\n`).join('');
		const given = await streamLog(inputOf([bad], {regular: true, label: 'input.log'}), {label: 'shown.log', onBatch() {}});
		expect(given.warnings.map(w => [w.file, w.line])).toEqual([['shown.log', 2]]);
		const own = await streamLog(inputOf([bad], {regular: true, label: 'input.log'}), {onBatch() {}});
		expect(own.warnings.map(w => [w.file, w.line])).toEqual([['input.log', 2]]);
	});
});

describe('the offset index', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-stream-index-'));

	it('an entry every indexEvery lines, at lines 0, n, 2n…, each at the byte offset where that line starts', async () => {
		const file = path.join(dir, 'qemu.log');
		writeFileSync(file, qemuLog);
		const index: IndexEntry[] = [];
		const result = await streamLogFile(file, {indexEvery: 100, onBatch() {}, onIndex: e => index.push(e)});
		expect(index.map(e => e.line)).toEqual([0, 100, 200, 300, 400, 500]);
		const starts = qemuLines.map((_, i) => Buffer.byteLength(qemuLines.slice(0, i).map(l => `${l}\n`).join('')));
		expect(index.map(e => e.offset)).toEqual([0, 100, 200, 300, 400, 500].map(l => starts[l]));
		expect(result.bytes).toBe(statSync(file).size);

		// From an entry: the rest of the file, bytes counted from the file's start, no warnings, in batches of 2048 or more.
		const tail: LogEvent[] = [];
		const from = await streamLogFile(file, {from: index[3], onBatch: batch => void tail.push(...batch)});
		expect(tail.map(e => e.source!.line)).toEqual(qemuLines.slice(300).map((_, i) => 301 + i));
		expect(from.bytes).toBe(statSync(file).size);
		expect(from.lines).toBe(qemuLines.length);
		expect(from.warnings).toEqual([]);
	});

	it('a line longer than the longest event (kept in parts) gets one entry, at its start', async () => {
		const long = `[    5.000000] ${'x'.repeat(200 * 1024)}`;
		const file = path.join(dir, 'long.log');
		writeFileSync(file, [qemuLines[0], qemuLines[1], long, qemuLines[2]].map(l => `${l}\n`).join(''));
		const index: IndexEntry[] = [];
		await streamLogFile(file, {indexEvery: 1, onBatch() {}, onIndex: e => index.push(e)});
		expect(index.map(e => e.line)).toEqual([0, 1, 2, 3]);
		expect(index[3]!.offset).toBe(Buffer.byteLength(`${qemuLines[0]}\n${qemuLines[1]}\n${long}\n`));
	});

	it('from an entry, a file of long lines (under 2048 per 1 MiB read) is still handed over in batches of 2048 (a regular file, not a pipe)', async () => {
		const file = path.join(dir, 'long-lines.log');
		// 3000 lines of 1.5 KB: about 700 per read.
		writeFileSync(file, Array.from({length: 3000}, (_, i) => `[${String(1 + i).padStart(5)}.000000] ${'x'.repeat(1500)}\n`).join(''));
		const batches: number[] = [];
		await streamLogFile(file, {from: {offset: 0, line: 0, t: 0}, onBatch: batch => void batches.push(batch.length)});
		expect(batches.length).toBeGreaterThan(1);
		for (const size of batches.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(2048);
		expect(batches.reduce((a, b) => a + b, 0)).toBe(3000);
	});

	it('from an entry, a file is still handed over in batches of 2048 events (a regular file, not a pipe)', async () => {
		const file = path.join(dir, 'repeated.log');
		writeFileSync(file, Array.from({length: 10}, () => qemuLog).join(''));
		const batches: number[] = [];
		await streamLogFile(file, {from: {offset: 0, line: 0, t: 0}, onBatch: batch => void batches.push(batch.length)});
		for (const size of batches.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(2048);
		expect(batches.reduce((a, b) => a + b, 0)).toBe(qemuLines.length * 10);
	});
});
