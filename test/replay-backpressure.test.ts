/**
 * The headless replay waits for a slow reader: what it has written but the reader has not taken
 * stays near one batch, whatever the length of the log (issue 18).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {afterAll, describe, expect, it} from 'vitest';
import {generateRealLog} from '../bench/real-log.js';
import {runReplayHeadless} from '../source/commands/replay.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-backpressure-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('replay --headless on a slow pipe', () => {
	it('keeps what is waiting to be read bounded', async () => {
		const file = path.join(dir, 'real.log');
		await generateRealLog(file, 6);
		let written = 0;
		let peak = 0;
		const out = new Writable({
			highWaterMark: 16 * 1024,
			write(chunk: Buffer, _encoding, done) {
				written += chunk.length;
				setImmediate(done);
			},
		});
		const sample = setInterval(() => (peak = Math.max(peak, out.writableLength)), 0);
		const original = out.write.bind(out);
		out.write = ((chunk: string, ...rest: never[]) => {
			const ok = original(chunk, ...rest);
			peak = Math.max(peak, out.writableLength);
			return ok;
		}) as typeof out.write;
		const err = new Writable({write: (_c, _e, done) => done()});
		try {
			await runReplayHeadless({path: file, json: false, summary: false}, out, err);
		} finally {
			clearInterval(sample);
		}

		await new Promise(resolve => out.end(resolve));
		expect(written).toBeGreaterThan(4 * 1024 * 1024);
		// The lines of one read of the log (1 MiB of input, its events in one batch) at most — not the whole output (6 MB without waiting).
		expect(peak).toBeLessThan(2 * 1024 * 1024);
	}, 120_000);
});
