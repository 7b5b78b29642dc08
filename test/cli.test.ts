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
		// overflow fires the `overflow` fault (simulator-only, labelled simulated).
		expect(new Set(objects.map(o => o.kind))).toEqual(new Set(['note', 'sysfs', 'action', 'log', 'state', 'outcome', 'fault']));
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
		[['sim', '--headless', '--kernel', '4.4'], new RegExp(`^quiesce: --kernel: unknown kernel release "4\\.4" \\(accepted: ${kernelIds.map(k => k.replaceAll('.', '\\.')).join(', ')}, or X\\.Y\\.Z of the series .*\\)$`)],
		[['risk', '--method', 'foo'], /^quiesce: --method: got "foo"; one of quiesce, live$/],
		[['sim', '--headless', '--frobnicate'], /^quiesce: unknown option --frobnicate; options here: --scenario, --seed, --kernel, --json, --headless, --speed, .*--paused \(see --help\)$/],
		[['sim', '--headless', '--kernal', '6.1'], /^quiesce: unknown option --kernal \(did you mean --kernel\?\); options here: --scenario, .*\(see --help\)$/],
		[['sim', '--headless', '--foo-bar=1'], /^quiesce: unknown option --foo-bar; options here: /],
		[['replay', 'fixtures/traces/03-hibernate-2.6.35-ubuntu1010-syslog-enomem-recover-ebusy.log', 'extra.log', '--summary'], /^quiesce: unexpected argument "extra\.log"; options here: --headless, --json, --summary, .*--all \(see --help\)$/],
		[['replay', '--bogus', 'x', 'fixtures/traces/03-hibernate-2.6.35-ubuntu1010-syslog-enomem-recover-ebusy.log'], /^quiesce: unknown option --bogus; options here: --headless, /],
		[['rehearse', '--drll', 'x'], /^quiesce: unknown option --drll \(did you mean --drill\?\); options here: --list, --drill, /],
		[['sim', '--speed', '5000'], /^quiesce: --speed: got "5000"; expected a number from 0\.001 to 1000$/],
		[['sim', '--speed', 'fast'], /^quiesce: --speed: got "fast"; expected a number from 0\.001 to 1000$/],
		[['sim', '--headless', '--scenario', './missing.yaml'], /^quiesce: \.\/missing\.yaml: no such scenario file$/],
		[['launch'], /^quiesce: unknown command or argument "launch"; one of sim, replay, record, capture, rehearse, risk, scenarios, completion \(see --help\)$/],
		[['replay'], /^quiesce: replay: missing PATH \(a log file, a bundle folder, or - for standard input; see --help\)$/],
		// yargs takes x.log as the unknown option's value, then misses the path: the option is the mistake.
		[['replay', '--sumary', 'x.log'], /^quiesce: unknown option --sumary \(did you mean --summary\?\), which took "x\.log" as its value; replay: missing PATH \(.*see --help\)$/],
		[['replay', '--json', '--sumary=1'], /^quiesce: unknown option --sumary \(did you mean --summary\?\); replay: missing PATH \(.*see --help\)$/],
		[['replay', '--compareCycles', '--summary'], /^quiesce: replay: missing PATH \(a log file, a bundle folder, or - for standard input; see --help\)$/],
		[['record'], /^quiesce: --out: required \(see --help\)$/],
		[['record', '--out', ''], /^quiesce: --out: got ""; expected a directory/],
		[['sim', '--headless', '--scenario', '/dev/zero'], /^quiesce: --scenario: got "\/dev\/zero", a character device; expected a regular file$/],
		[['risk', '--scenario', '/dev/urandom'], /^quiesce: --scenario: got "\/dev\/urandom", a character device; expected a regular file$/],
		[['rehearse', '--drill', '/tmp'], /^quiesce: --drill: got "\/tmp", a directory; expected a regular file$/],
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

describe('exit status carries the outcome (README "Exit status")', () => {
	it('sim --headless: 0 on success, 1 when the activation failed', async () => {
		const [ok, failed] = await Promise.all([quiesce(['sim', '--headless']), quiesce(['sim', '--headless', '--scenario', 'task-wont-freeze'])]);
		expect(ok.exitCode).toBe(0);
		expect(failed.exitCode).toBe(1);
		expect(String(failed.stdout)).toMatch(/^# outcome freeze-failed/m);
	});

	it('replay --summary: 0 when every cycle succeeded, 1 when one failed', async () => {
		const [ok, failed] = await Promise.all([
			quiesce(['replay', '-', '--summary'], {stdin: 'pipe', input: '[    1.000000] PM: suspend entry (deep)\n[    1.000100] Freezing user space processes\n[    1.001100] Freezing user space processes completed (elapsed 0.001 seconds)\n[    1.002000] PM: suspend exit\n'}),
			quiesce(['replay', 'fixtures/traces/17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log', '--summary']),
		]);
		// The totals line names the count of failed cycles ("0 failed"); no cycle is marked failed.
		expect(String(ok.stdout)).toMatch(/^totals: 1 cycle\(s\): 1 ok, 0 failed, 0 incomplete/m);
		expect(String(ok.stdout)).not.toMatch(/— failed|[1-9]\d* failed/);
		expect(String(failed.stdout)).toMatch(/^cycle 1: .* — failed: /m);
		expect(ok.exitCode).toBe(0);
		expect(failed.exitCode).toBe(1);
	});

	it('130 after Ctrl-C (SIGINT) in a headless run', async () => {
		const {execFileSync} = await import('node:child_process');
		const {mkdtempSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const fifo = `${mkdtempSync(`${tmpdir()}/quiesce-sigint-`)}/wait.fifo`;
		execFileSync('mkfifo', [fifo]);
		const {execa} = await import('execa');
		const {cliPath} = await import('./helpers/cli.js');
		const run = execa('node', [cliPath, 'replay', fifo, '--headless'], {reject: false, stdin: 'ignore'});
		// Once it says it waits for a writer, it is inside the blocked open: the hardest place to stop.
		await new Promise<void>(resolve => {
			run.stderr!.on('data', (chunk: Buffer) => {
				if (String(chunk).includes('waiting for a writer')) resolve();
			});
		});
		run.kill('SIGINT');
		const result = await run;
		expect(result.exitCode).toBe(130);
	});

	it('an internal error: one line with a hint to rerun with --debug (exit 70); --debug prints the stack', async () => {
		const env = {QUIESCE_INTERNAL_ERROR_TEST: '1', NO_COLOR: ''};
		const plain = await quiesce(['scenarios'], {env});
		expect(plain.exitCode).toBe(70);
		expect(String(plain.stderr).trimEnd()).toBe('quiesce: internal error: TypeError: deliberate internal error for the test suite (rerun with --debug for the stack)');
		const debug = await quiesce(['scenarios', '--debug'], {env});
		expect(debug.exitCode).toBe(70);
		expect(String(debug.stderr)).toMatch(/^quiesce: internal error: TypeError: deliberate internal error for the test suite\n\s+at /);
	});
});

describe('conventions', () => {
	it('--version prints the package version', async () => {
		const {readFileSync} = await import('node:fs');
		const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {version: string};
		const result = await quiesce(['--version']);
		expect(String(result.stdout).trim()).toBe(pkg.version);
	});

	it.each(['sim', 'replay', 'record', 'capture', 'rehearse', 'risk', 'scenarios'])('%s --help shows two or three examples', async command => {
		const result = await quiesce([command, '--help']);
		expect(result.exitCode).toBe(0);
		const examples = String(result.stdout).split('Examples:')[1] ?? '';
		const count = examples.split('\n').filter(l => /^\s+(?:quiesce|dmesg|journalctl|sudo) /.test(l)).length;
		expect(count).toBeGreaterThanOrEqual(2);
		expect(count).toBeLessThanOrEqual(3);
	});

	it('record --help offers only flags that record uses', async () => {
		const result = await quiesce(['record', '--help']);
		const flags = [...String(result.stdout).matchAll(/^ {2}(--[\w-]+) {2,}\S/gm)].map(m => m[1]).sort();
		expect(flags).toEqual(['--debug', '--force', '--help', '--kernel', '--out', '--scenario', '--seed', '--version']);
	});

	it('completion: a bash script, a zsh script, completions of options and of allowed values', async () => {
		const bash = await quiesce(['completion'], {env: {SHELL: '/bin/bash'}});
		expect(String(bash.stdout)).toMatch(/complete -o bashdefault -o default -F _quiesce_yargs_completions quiesce/);
		const zsh = await quiesce(['completion'], {env: {SHELL: '/usr/bin/zsh'}});
		expect(String(zsh.stdout)).toMatch(/^#compdef quiesce/);
		const options = await quiesce(['--get-yargs-completions', 'replay', '--']);
		expect(String(options.stdout).trim().split('\n')).toEqual(expect.arrayContaining(['--headless', '--json', '--summary']));
		const values = await quiesce(['--get-yargs-completions', 'risk', '--method']);
		expect(String(values.stdout).trim().split('\n')).toEqual(['quiesce', 'live']);
		const kernels = await quiesce(['--get-yargs-completions', 'sim', '--kernel', '']);
		expect(String(kernels.stdout).trim().split('\n')).toEqual(['5.10', '6.1', '6.6.30', '6.6.94', '6.12', '6.17']);
		const kernels6 = await quiesce(['--get-yargs-completions', 'record', '--kernel', '6.1']);
		expect(String(kernels6.stdout).trim().split('\n')).toEqual(['6.1', '6.12', '6.17']);
		const scenarios = await quiesce(['--get-yargs-completions', 'sim', '--scenario', 'ov']);
		expect(String(scenarios.stdout).trim().split('\n')).toEqual(['overflow']);
		const drills = await quiesce(['--get-yargs-completions', 'rehearse', '--drill', '']);
		expect(String(drills.stdout).trim().split('\n')).toEqual(expect.arrayContaining(['clean-activation', 'stuck-task']));
	});

	it.each([
		[['sim', '--json'], (l: string[]) => JSON.parse(l.at(-1)!)],
		[['replay', 'fixtures/traces/17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log', '--json'], (l: string[]) => JSON.parse(l.at(-1)!)],
		[['replay', 'fixtures/traces/17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log', '--summary', '--json'], (l: string[]) => JSON.parse(l.join('\n'))], // one document, streamed over several lines
		[['scenarios', '--json'], (l: string[]) => JSON.parse(l[0]!)],
		[['risk', '--runs', '20', '--json'], (l: string[]) => JSON.parse(l[0]!)],
		[['rehearse', '--drill', 'clean-activation', '--headless', '--json'], (l: string[]) => JSON.parse(l[0]!)],
	] as const)('%j: the JSON document has "version": 1', async (args, pick) => {
		const result = await quiesce([...args]);
		const document = pick(String(result.stdout).trimEnd().split('\n')) as {version?: number};
		expect(document.version).toBe(1);
	});
});
