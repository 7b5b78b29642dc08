import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {quiesce} from './helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-replay-cli-'));
const write = (name: string, content: string | Buffer) => {
	const file = path.join(dir, name);
	writeFileSync(file, content);
	return file;
};

describe('quiesce replay', () => {
	it('prints a real trace with its phases, and --summary its outcome', async () => {
		const result = await quiesce(['replay', 'fixtures/traces/17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log', '--headless']);
		expect(result.exitCode).toBe(1); // a cycle failed
		expect(String(result.stdout)).toMatch(/^# phase  \[ 9748\.173350\] Freeze user space: failed/m);
		expect(String(result.stdout)).toMatch(/^\[ 9748\.173350\] Freezing user space processes failed after 20\.001 seconds/m);
		const summary = await quiesce(['replay', '--summary', 'fixtures/traces/17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log']);
		expect(String(summary.stdout)).toMatch(/^cycle 1: suspend \(deep\) .* failed: 1 task\(s\) refused to freeze/m);
		expect(String(summary.stdout)).toMatch(/refused to freeze: btrfs \(pid 15156\) state D/);
	});

	it('binary garbage: warnings with file:line, exit 0, the rest replays', async () => {
		const file = write('garbage.log', Buffer.concat([Buffer.from('[    1.000000] PM: suspend entry (deep)\n'), Buffer.from([0, 1, 2, 255, 254, 10]), Buffer.from('[    2.000000] PM: suspend exit\n')]));
		const result = await quiesce(['replay', file, '--headless']);
		expect(result.exitCode).toBe(0);
		expect(String(result.stderr)).toMatch(/garbage\.log:2: binary data/);
		expect(String(result.stdout)).toMatch(/PM: suspend exit/);
	});

	it('a truncated file and a 10 MB line still replay', async () => {
		const file = write('truncated.log', `[    1.000000] Freezing user space processes ... (elapsed 0.001 seconds) done.\n${'y'.repeat(10 * 1024 * 1024)}\n[    1.5] Restarting tas`);
		const result = await quiesce(['replay', file, '--summary']);
		expect(result.exitCode).toBe(0);
		expect(String(result.stderr)).toMatch(/truncated\.log:2: line longer than 65536 characters: kept in pieces/);
		expect(String(result.stdout)).toMatch(/Freeze user space: done/);
	});

	it('an empty file, a missing path, an empty or useless folder: one clear line, exit 2', async () => {
		const empty = write('empty.log', '');
		const folder = path.join(dir, 'folder');
		mkdirSync(folder);
		const useless = path.join(dir, 'useless');
		mkdirSync(useless);
		writeFileSync(path.join(useless, 'meta.json'), '{"format":"quiesce-trace","version":1}');
		for (const [target, message] of [
			[empty, /empty\.log: nothing to replay \(empty trace\)/],
			[path.join(dir, 'nope.log'), /nope\.log: no such file or directory/],
			[folder, /folder: empty directory/],
			[useless, /useless: no kernel log, sysfs dump or ndctl output found/],
		] as const) {
			const result = await quiesce(['replay', target, '--headless']);
			expect(result.exitCode).toBe(2);
			expect(String(result.stderr).trim()).toMatch(message);
			expect(String(result.stderr).trim().split('\n')).toHaveLength(1);
		}
	});

	it('a bundle missing its sysfs part replays its log', async () => {
		const bundle = path.join(dir, 'partial');
		mkdirSync(bundle);
		writeFileSync(path.join(bundle, 'meta.json'), '{"format":"quiesce-trace","version":1}');
		writeFileSync(path.join(bundle, 'kernel.log'), '[    5.000000] Freezing user space processes\n[    5.001000] Freezing user space processes completed (elapsed 0.001 seconds)\n');
		const result = await quiesce(['replay', bundle, '--summary']);
		expect(result.exitCode).toBe(0);
		expect(String(result.stdout)).toMatch(/Freeze user space: done 1\.000 ms \[stamps\]/);
	});

	it('record writes a bundle that replay opens', async () => {
		const out = path.join(dir, 'bundle');
		const recorded = await quiesce(['record', '--scenario', 'need-reset', '--seed', '3', '--out', out]);
		expect(recorded.exitCode).toBe(0);
		expect(String(recorded.stderr)).toMatch(/recorded \d+ events of "need-reset" \(seed 3, outcome need-reset\)/);
		const summary = await quiesce(['replay', '--summary', out]);
		expect(String(summary.stdout)).toMatch(/DIMMs: 8; activate: 8 idle; results: 7 success, 1 need_reset/);
	});
});
