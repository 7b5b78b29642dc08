/**
 * Replay memory is bounded (issue 18): a 300 MB log of real text (the real 6.1 dmesg repeated with
 * shifted stamps, streamed to a temporary file) replays to its summary in a child whose V8 heap is
 * capped at 64 MB. Not timed: it must complete, and count every cycle.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, describe, expect, it} from 'vitest';
import {generateRealLog} from '../bench/real-log.js';
import {cliPath, ensureBuilt} from './helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-memory-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('replay in bounded memory', () => {
	it('summarises a 300 MB log under --max-old-space-size=64', async () => {
		ensureBuilt();
		const file = path.join(dir, 'big.log');
		const {bytes, copies} = await generateRealLog(file, 300);
		expect(bytes).toBeGreaterThanOrEqual(300 * 1024 * 1024);
		const result = await execa('node', ['--max-old-space-size=64', cliPath, 'replay', file, '--summary'], {reject: false, stdin: 'ignore', env: {NO_COLOR: ''}});
		expect(result.stderr).not.toMatch(/heap|out of memory/i);
		expect(result.exitCode).toBe(0);
		// Each copy of the log holds two hibernation pm_test runs (freezer, then devices) that the kernel completed.
		const cycles = 2 * copies;
		expect(result.stdout).toContain(`totals: ${cycles} cycle(s): ${cycles} ok, 0 failed, 0 incomplete; ${cycles} hibernate; ${cycles} pm_test run(s)`);
		expect(result.stdout).toContain(`(showing the last 50 of ${cycles} cycles; --all lists every one)`);
	}, 300_000);
});
