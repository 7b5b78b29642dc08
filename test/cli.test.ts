import {describe, expect, it} from 'vitest';
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
		// overflow fires the `overflow` fault (simulator-only, labelled simulated).
		expect(new Set(objects.map(o => o.kind))).toEqual(new Set(['note', 'sysfs', 'action', 'log', 'state', 'outcome', 'fault']));
		expect(objects.at(-1)).toMatchObject({kind: 'outcome', outcome: 'overflow', kernel: '5.10'});
	});

	it('without a terminal, plain `sim` falls back to headless output', async () => {
		const result = await quiesce(['sim', '--scenario', 'live']);
		expect(result.exitCode).toBe(0);
		expect(String(result.stdout).trimEnd().split('\n').at(-1)).toMatch(/^# outcome success: .*live write returned 0/);
	});

	it('accepts a scenario file by path', async () => {
		const result = await quiesce(['sim', '--headless', '--scenario', 'fixtures/scenarios/need-reset.yaml']);
		expect(result.exitCode).toBe(0);
		expect(String(result.stdout)).toMatch(/# outcome need-reset:/);
	});

	it.each([
		[['sim', '--headless', '--scenario', 'nope'], /^quiesce: unknown scenario "nope" \(built-in: default, .*\)$/],
		[['sim', '--headless', '--seed', 'abc'], /^quiesce: --seed: expected an integer from 0 to 4294967295, got "abc"$/],
		[['sim', '--headless', '--seed', '-3'], /^quiesce: --seed: expected an integer/],
		[['sim', '--headless', '--kernel', '4.4'], /^quiesce: --kernel: unknown kernel release "4\.4" \(accepted: 5\.10, 6\.1, 6\.6\.30, 6\.6\.94, 6\.12, 6\.17, or X\.Y\.Z of the series 5\.10, 6\.1, 6\.6, 6\.12, 6\.17\)$/],
		[['sim', '--headless', '--frobnicate'], /^quiesce: Unknown arguments?: frobnicate$/],
		[['sim', '--speed', '5000'], /^quiesce: --speed: expected a number from 0\.001 to 1000, got 5000$/],
		[['sim', '--headless', '--scenario', './missing.yaml'], /^quiesce: \.\/missing\.yaml: no such scenario file$/],
		[['launch'], /^quiesce: Unknown argument: launch$/],
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
