/**
 * `replay --devices / --compare-cycles / --html` and `sim --devices` through
 * the built CLI: output, JSON records, bad options, the summary's callbacks.
 */
import {mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {fixturesDir} from '../source/paths.js';
import {quiesce} from './helpers/cli.js';

const qemu = path.join(fixturesDir('traces'), 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log');

describe('replay --devices', () => {
	it('text: per cycle and phase the slowest callbacks with µs and share of the phase, then per driver', async () => {
		const r = await quiesce(['replay', qemu, '--devices', '--top', '2']);
		expect(r.exitCode).toBe(0);
		expect(r.stdout).toContain('cycle 2 (hibernate');
		expect(r.stdout).toMatch(/freeze: 15\.2 ms by the kernel; 28 callbacks, 1189 µs in callbacks/);
		// 328 / 15186 = 2.2 %
		expect(r.stdout).toMatch(/ 328 µs {3}2\.2% {2}rtc_cmos 00:06 {2}pnp_bus_freeze {2}pid 1 {2}parent pnp0 {2}line 462/);
		expect(r.stdout).toMatch(/240 µs .*pci 0000:00:00\.0 {2}pci_pm_restore {2}pid 105 async/);
		expect(r.stdout).toContain('per driver:');
		expect(String(r.stdout).split('\n').filter(l => / µs +\d+\.\d%/.test(l))).toHaveLength(4);
		expect(r.stdout).not.toMatch(/\u001B\[/);
	});

	it('--json: one object per callback with cycle, phase, device, driver, callback, usecs, rc, pid, parent, line', async () => {
		const r = await quiesce(['replay', qemu, '--devices', '--json', '--cycle', '2']);
		expect(r.exitCode).toBe(0);
		const records = String(r.stdout).trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>);
		expect(records).toHaveLength(58);
		expect(records[0]).toMatchObject({kind: 'callback', cycle: 2, phase: 'freeze', device: 'platform-framebuffer.0', driver: 'platform', callback: 'platform_pm_freeze', usecs: 41, rc: 0, pid: 1, parent: 'platform', line: 442, returnLine: 443});
		const awkSum = readFileSync(qemu, 'utf8').split('\n').reduce((sum, l) => sum + Number(/ returned -?\d+ after (\d+) usecs$/.exec(l)?.[1] ?? 0), 0);
		expect(records.reduce((sum, r) => sum + (r['usecs'] as number), 0)).toBe(awkSum);
	});

	it('--json streamed cycle by cycle (bounded memory) prints the same records as the full timeline', async () => {
		const html = path.join(mkdtempSync(path.join(os.tmpdir(), 'quiesce-json-')), 'x.html');
		const streamed = await quiesce(['replay', qemu, '--devices', '--json']);
		const full = await quiesce(['replay', qemu, '--devices', '--json', '--html', html]);
		expect(String(streamed.stdout).trim().split('\n')).toHaveLength(58);
		expect(streamed.stdout).toBe(full.stdout);
	});

	it('bad --cycle / --top: one line naming the option, the value and what is allowed; exit 2', async () => {
		const a = await quiesce(['replay', qemu, '--devices', '--cycle', '9']);
		expect(a.exitCode).toBe(2);
		expect(String(a.stderr).trim()).toBe(`quiesce: --cycle: no cycle 9 in ${qemu} (it has 2: 1 to 2)`);
		const b = await quiesce(['replay', qemu, '--devices', '--top', '-1']);
		expect(b.exitCode).toBe(2);
		expect(String(b.stderr).trim()).toBe('quiesce: --top: expected an integer from 1 to 100000, got -1');
		const c = await quiesce(['replay', qemu, '--html', '/nonexistent-dir/x.html']);
		expect(c.exitCode).toBe(2);
		expect(c.stderr).toMatch(/^quiesce: --html: cannot write \/nonexistent-dir\/x\.html: /);
	});

	it('--compare-cycles: fastest vs slowest, phases and devices that changed', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-cmp-'));
		const log = path.join(dir, 'two.log');
		const lines = (t: number, us: number) => [
			`[ ${t}.000000] PM: suspend entry (deep)`,
			`[ ${t}.100000] nvme 0000:01:00.0: PM: calling pci_pm_suspend+0x0/0x1 @ 5, parent: p`,
			`[ ${t}.200000] nvme 0000:01:00.0: PM: pci_pm_suspend+0x0/0x1 returned 0 after ${us} usecs`,
			`[ ${t}.300000] PM: suspend of devices complete after ${(us / 1000).toFixed(3)} msecs`,
			`[ ${t}.400000] PM: suspend exit`,
		];
		const {writeFileSync} = await import('node:fs');
		writeFileSync(log, [...lines(10, 500), ...lines(20, 80_000)].join('\n') + '\n');
		const r = await quiesce(['replay', log, '--compare-cycles']);
		expect(r.exitCode).toBe(0);
		expect(r.stdout).toContain('fastest cycle 1: 500 µs of device phases; slowest cycle 2: 80.0 ms');
		expect(r.stdout).toContain('nvme 0000:01:00.0 pci_pm_suspend [suspend]: 500 µs → 80000 µs (+79500 µs)');
		const j = await quiesce(['replay', log, '--compare-cycles', '--json']);
		expect(JSON.parse(String(j.stdout))).toMatchObject({kind: 'compare-cycles', fastest: 1, slowest: 2});
	});

	it('--summary gains each cycle\'s top callbacks (text and JSON)', async () => {
		const r = await quiesce(['replay', qemu, '--summary']);
		expect(r.stdout).toContain('device callbacks, cycle 2 (hibernate)');
		expect(r.stdout).toMatch(/328 µs {2}rtc_cmos 00:06 {2}pnp_bus_freeze {2}\[freeze\] {2}line 462/);
		const j = await quiesce(['replay', qemu, '--summary', '--json']);
		const summary = JSON.parse(String(j.stdout)) as {topCallbacks: Array<{cycle: number; top: Array<{usecs: number}>}>};
		expect(summary.topCallbacks.map(c => c.cycle)).toEqual([2]);
		expect(summary.topCallbacks[0]!.top[0]!.usecs).toBe(328);
	});

	it('--summary numbers a cycle\'s top callbacks as its cycles: the real 6.1 nfit_test captures where three writes failed at once (no log lines) before the activation that ran', async () => {
		const j = await quiesce(['replay', 'fixtures/traces/nfit-test-6.1/06-results-errors', '--summary', '--json']);
		const summary = JSON.parse(String(j.stdout)) as {cycles: Array<{kind: string; status: string}>; topCallbacks: Array<{cycle: number; kind: string}>};
		// ENXIO, ENXIO, EINVAL, then the quiesce that ran (its freeze callbacks are in the log; nmem1
		// reads not_staged after it, so it failed too: test/activation-readback.test.ts), then EBUSY twice.
		expect(summary.cycles.map(c => `${c.kind} ${c.status}`)).toEqual(['fwa-quiesce failed', 'fwa-live failed', 'fwa-quiesce failed', 'fwa-quiesce failed', 'fwa-quiesce failed', 'fwa-live failed']);
		expect(summary.topCallbacks.map(c => [c.cycle, c.kind])).toEqual([[4, 'fwa-quiesce']]);
		const text = await quiesce(['replay', 'fixtures/traces/nfit-test-6.1/06-results-errors', '--summary']);
		expect(text.stdout).toContain('device callbacks, cycle 4 (fwa-quiesce)');
	});

	it('a `live` write the kernel refused (ENXIO with nothing armed, EBUSY in the busy window) never shows its activation as done: the real 6.1 captures', async () => {
		const j = await quiesce(['replay', 'fixtures/traces/nfit-test-6.1/06-results-errors', '--summary', '--json']);
		const summary = JSON.parse(String(j.stdout)) as {cycles: Array<{kind: string; write?: string; phases: Array<{id: string; status: string}>}>};
		const live = summary.cycles.filter(c => c.kind === 'fwa-live');
		expect(live.map(c => c.write)).toEqual(['-6 (ENXIO)', '-16 (EBUSY)']);
		for (const cycle of live) expect(cycle.phases.find(p => p.id === 'activation')?.status).toBe('failed');
		const text = await quiesce(['replay', 'fixtures/traces/nfit-test-6.1/06-results-errors', '--summary']);
		expect(text.stdout).not.toMatch(/Memory quiesce \+ activation: done 0\.0[34]\d ms/);
	});

	it('text from the log is escaped: an ESC in a device name never reaches the terminal', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-esc-'));
		const log = path.join(dir, 'esc.log');
		const {writeFileSync} = await import('node:fs');
		writeFileSync(log, '[ 1.000000] PM: suspend entry (deep)\n[ 1.100000] evil dev\u001B[31m: PM: calling x_suspend+0x0/0x1 @ 5, parent: p\n[ 1.200000] PM: suspend exit\n');
		const r = await quiesce(['replay', log, '--devices']);
		expect(r.stdout).not.toContain('\u001B');
		expect(r.stdout).toContain('NEVER RETURNED');
	});
});

describe('sim --devices / --html', () => {
	it('--html from a simulation: one self-contained file titled with the scenario, no external reference', async () => {
		const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'quiesce-simhtml-')), 'sim.html');
		const r = await quiesce(['sim', '--scenario', 'default', '--html', out]);
		expect(r.exitCode).toBe(0);
		const html = readFileSync(out, 'utf8');
		expect(html).toContain('sim default (seed 1, kernel');
		expect(html).not.toMatch(/\b(?:src|href)=["']?(?:https?:)?\/\//);
		expect(html).toMatch(/<script type="application\/json" id="timeline-data">/);
	});

	it('runs on a simulation (headless, no TTY) and reports what the simulated log holds', async () => {
		const r = await quiesce(['sim', '--devices']);
		expect(r.exitCode).toBe(0);
		expect(r.stdout).toMatch(/^(?:no per-device callback lines|cycle 1 )/m);
	});
});
