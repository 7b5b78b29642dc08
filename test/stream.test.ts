import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {LogEvent} from '../source/events.js';
import {streamLogFile, type IndexEntry} from '../source/trace/stream.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-stream-'));

describe('streaming a log with an offset index', () => {
	const file = path.join(dir, 'big.log');
	const lines = Array.from({length: 20_000}, (_, i) => `[${String(100 + Math.floor(i / 10)).padStart(5, ' ')}.${String((i % 10) * 1000).padStart(6, '0')}] line ${i} ${i % 97 === 0 ? 'PM: suspend entry (deep)' : 'ünïcödé text'}`);
	writeFileSync(file, lines.join('\n') + '\n');

	it('reads every line in batches, and the index lets a reader start anywhere', async () => {
		const all: LogEvent[] = [];
		const index: IndexEntry[] = [];
		const result = await streamLogFile(file, {indexEvery: 1000, onBatch: batch => void all.push(...batch), onIndex: entry => index.push(entry)});
		expect(result.lines).toBe(20_000);
		expect(all).toHaveLength(20_000);
		expect(index.length).toBe(20);
		const entry = index[13]!;
		const tail: LogEvent[] = [];
		await streamLogFile(file, {from: entry, onBatch: batch => void tail.push(...batch)});
		expect(tail).toHaveLength(20_000 - entry.line);
		expect(tail[0]!.text).toBe(all[entry.line]!.text);
		expect(tail[0]!.source!.line).toBe(entry.line + 1);
		expect(tail.map(e => e.t)).toEqual(all.slice(entry.line).map(e => e.t));
	});

	it('records the clock of the lines before each index entry, not 0 after a batch was handed over', async () => {
		const all: LogEvent[] = [];
		const index: IndexEntry[] = [];
		// An entry at every line of a file read in several chunks: some come right after a batch was handed over (and emptied).
		const longer = path.join(dir, 'longer.log');
		writeFileSync(longer, Array.from({length: 4}, () => lines.join('\n') + '\n').join(''));
		await streamLogFile(longer, {indexEvery: 1, onBatch: batch => void all.push(...batch), onIndex: entry => index.push(entry)});
		expect(index[0]!.t).toBe(0);
		expect(index).toHaveLength(80_000);
		for (const entry of index.slice(2)) {
			// The parser holds one line back, so the clock is that of one of the two lines before the entry.
			expect(entry.t).toBeGreaterThanOrEqual(all[entry.line - 2]!.t);
			expect(entry.t).toBeLessThanOrEqual(all[entry.line - 1]!.t);
		}
	});
});
