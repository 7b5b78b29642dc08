import {describe, expect, it} from 'vitest';
import {kernelIds} from '../source/kernel/profiles.js';
import {quiesce} from './helpers/cli.js';

describe('quiesce sim --headless', () => {
	it('prints the timeline as dmesg lines and # annotations, ending with the outcome', async () => {
		const result = await quiesce(['sim', '--headless']);
		expect(result.exitCode).toBe(0);
		const lines = String(result.stdout).trimEnd().split('\n');
		expect(lines.at(-1)).toMatch(/^# outcome success: .*8 success.* \[scenario default, seed 1, kernel 6\.6\]$/);
		for (const line of lines) expect(line).toMatch(/^(?:# (?:sysfs|note|write|read|phase|outcome) |\[\s*\d+\.\d{6}\] )/);
		expect(lines).toContain(lines.find(l => /^\[\s*\d+\.\d{6}\] Freezing user space processes$/.test(l)));
		expect(String(result.stdout)).not.toMatch(/\u001B\[/); // no ANSI in a pipe
	});

	it('is byte-identical across two processes for the same seed', async () => {
		const [a, b, c] = await Promise.all([
			quiesce(['sim', '--headless', '--scenario', 'rdma-dma-during-quiesce', '--seed', '99']),
			quiesce(['sim', '--headless', '--scenario', 'rdma-dma-during-quiesce', '--seed', '99']),
			quiesce(['sim', '--headless', '--scenario', 'rdma-dma-during-quiesce', '--seed', '100']),
		]);
		expect(a.stdout).toBe(b.stdout);
		expect(a.stdout).not.toBe(c.stdout);
		expect(String(a.stdout).length).toBeGreaterThan(1000);
	});

	it('--json prints one object per event and an outcome object', async () => {
		const result = await quiesce(['sim', '--json', '--scenario', 'overflow', '--kernel', '5.10']);
		const objects = String(result.stdout).trimEnd().split('\n').map(line => JSON.parse(line) as {kind: string; outcome?: string; kernel?: string});
		expect(new Set(objects.map(o => o.kind))).toEqual(new Set(['note', 'sysfs', 'action', 'log', 'state', 'outcome']));
		expect(objects.at(-1)).toMatchObject({kind: 'outcome', outcome: 'overflow', kernel: '5.10'});
	});

	it('without a terminal, plain `sim` falls back to headless output', async () => {
		const result = await quiesce(['sim', '--scenario', 'live']);
		expect(result.exitCode).toBe(0);
		expect(String(result.stdout).trimEnd().split('\n').at(-1)).toMatch(/^# outcome success: .*live write returned 0/);
	});

	it('accepts a scenario file by path (exit 1: the outcome is not success)', async () => {
		const result = await quiesce(['sim', '--headless', '--scenario', 'fixtures/scenarios/need-reset.yaml']);
		expect(result.exitCode).toBe(1);
		expect(String(result.stdout)).toMatch(/# outcome need-reset:/);
	});

	it.each([
		[['sim', '--headless', '--scenario', 'nope'], /^quiesce: unknown scenario "nope" \(built-in: default, .*\)$/],
		[['sim', '--headless', '--seed', 'abc'], /^quiesce: --seed: expected an integer from 0 to 4294967295, got "abc"$/],
		[['sim', '--headless', '--seed', '-3'], /^quiesce: --seed: expected an integer/],
		[['sim', '--headless', '--kernel', '4.4'], new RegExp(`^quiesce: --kernel: got "4\\.4"; one of ${kernelIds.map(k => k.replaceAll('.', '\\.')).join(', ')}$`)],
		[['risk', '--method', 'foo'], /^quiesce: --method: got "foo"; one of quiesce, live$/],
		[['sim', '--headless', '--frobnicate'], /^quiesce: unknown option --frobnicate \(see --help for the options of this command\)$/],
		[['sim', '--speed', '5000'], /^quiesce: --speed: got "5000"; expected a number from 0\.001 to 1000$/],
		[['sim', '--speed', 'fast'], /^quiesce: --speed: got "fast"; expected a number from 0\.001 to 1000$/],
		[['sim', '--headless', '--scenario', './missing.yaml'], /^quiesce: \.\/missing\.yaml: no such scenario file$/],
		[['launch'], /^quiesce: unknown command or argument "launch"; one of sim, replay, record, capture, rehearse, risk, scenarios, completion \(see --help\)$/],
		[['replay'], /^quiesce: replay: missing PATH \(a log file, a bundle folder, or - for standard input; see --help\)$/],
		[['record'], /^quiesce: --out: required \(see --help\)$/],
		[['record', '--out', ''], /^quiesce: --out: got ""; expected a directory/],
		[[], /^quiesce: give a command: sim, replay, record, capture, rehearse, risk, scenarios/],
	])('%j ⇒ one clear line on stderr, exit 2', async (args, message) => {
		const result = await quiesce(args);
		expect(result.exitCode).toBe(2);
		const stderr = String(result.stderr).trimEnd();
		expect(stderr.split('\n')).toHaveLength(1);
		expect(stderr).toMatch(message);
		expect(result.stdout).toBe('');
	});
});

describe('quiesce scenarios', () => {
	it('lists every built-in scenario with a description', async () => {
		const result = await quiesce(['scenarios']);
		expect(result.exitCode).toBe(0);
		const lines = String(result.stdout).trimEnd().split('\n');
		expect(lines[0]).toMatch(/^default\s+Healthy/);
		expect(lines.length).toBeGreaterThanOrEqual(10);
		const json = await quiesce(['scenarios', '--json']);
		expect(String(json.stdout).trimEnd().split('\n').map(l => JSON.parse(l).name)).toContain('big-box');
	});
});
