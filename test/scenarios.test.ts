import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {SysfsEvent} from '../source/events.js';
import {freezingStart} from '../source/kernel/log-format.js';
import {resolveKernel} from '../source/kernel/profiles.js';
import {sysfsPaths} from '../source/kernel/sysfs.js';
import {outcomeKinds} from '../source/sim/outcome.js';
import {builtinScenarioNames, loadScenario, ScenarioError} from '../source/sim/scenario.js';
import {logs, notes, simulate, simulateText} from './helpers/sim.js';

const required = ['default', 'live', 'overflow', 'task-wont-freeze', 'device-freeze-error', 'rdma-dma-during-quiesce', 'not-staged', 'need-reset', 'noidle', 'big-box'];

function sysfsValues(timeline: readonly unknown[], file: string): string[] {
	return (timeline as SysfsEvent[]).filter(e => e.kind === 'sysfs' && e.path === file).map(e => e.value);
}

describe('built-in scenarios', () => {
	it('include every scenario the foundation promises', () => {
		expect(builtinScenarioNames()).toEqual(expect.arrayContaining(required));
		expect(builtinScenarioNames()[0]).toBe('default');
	});

	it.each(builtinScenarioNames())('%s reaches its documented outcome', name => {
		const scenario = loadScenario(name);
		expect(scenario.expect, `${name} documents its outcome`).toBeDefined();
		expect(outcomeKinds).toContain(scenario.expect);
		const sim = simulate(name);
		expect(sim.outcome().kind).toBe(scenario.expect);
	});

	it('default is a healthy 8-DIMM quiesce', () => {
		const scenario = loadScenario('default');
		expect(scenario.method).toBe('quiesce');
		expect(scenario.dimms.count).toBe(8);
		const outcome = simulate('default').outcome();
		expect(outcome.dimms.success).toBe(8);
		expect(outcome.stallUs).toBeGreaterThan(100);
		expect(outcome.stallUs).toBeLessThanOrEqual(outcome.budgetUs);
	});

	it('big-box is big', () => {
		const sim = simulate('big-box');
		expect(sim.host.dimms.length).toBeGreaterThanOrEqual(256);
		expect(sim.host.devices.length).toBeGreaterThanOrEqual(64);
		expect(sim.host.userTasks + sim.host.kernelTasks).toBeGreaterThanOrEqual(2000);
		expect(sim.outcome().dimms.success).toBe(256);
	});

	it('overflow: the bus reads overflow, the write returns 0, nothing activates', () => {
		const sim = simulate('overflow');
		expect(sysfsValues(sim.timeline, sysfsPaths.busActivate(0))).toContain('overflow');
		const outcome = sim.outcome();
		expect(outcome.write).toBe('0');
		expect(outcome.dimms.armed).toBe(12);
		expect(outcome.stallUs).toBe(0);
		expect(outcome.userFrozenUs).toBeGreaterThan(0); // user space was frozen for nothing
	});

	it('live: no freezer, device-PM or ACPI lines at all', () => {
		const sim = simulate('live');
		const k = resolveKernel(sim.kernel.id);
		const texts = logs(sim.timeline).map(l => l.text);
		expect(texts.some(t => t.startsWith(freezingStart(k, 'user space processes').text.trim()))).toBe(false);
		expect(texts.filter(t => /PM:|ACPI|OOM|Restarting/.test(t))).toEqual([]);
		expect(notes(sim.timeline, 'step')).toEqual([]);
		expect(sim.outcome().dimms.success).toBe(8);
	});

	it('task-wont-freeze: gives up after the 20 s freeze timeout with EBUSY', () => {
		const sim = simulate('task-wont-freeze');
		const outcome = sim.outcome();
		expect(outcome.write).toBe('-16 (EBUSY)');
		expect(outcome.userFrozenUs).toBeGreaterThanOrEqual(20_000_000);
		expect(outcome.userFrozenUs).toBeLessThan(20_100_000);
		expect(sysfsValues(sim.timeline, sysfsPaths.busActivate(0)).at(-1)).toBe('armed');
	});

	it('rdma-dma-during-quiesce: completion timeouts reported by AER after IRQs return', () => {
		const sim = simulate('rdma-dma-during-quiesce');
		expect(sim.outcome().dmaTimeouts).toEqual(['mlx5_core 0000:3b:00.0', 'mlx5_core 0000:3b:00.1']);
		const texts = logs(sim.timeline).map(l => l.text);
		const aer = texts.findIndex(t => t.includes('CmpltTO'));
		const noirqThaw = texts.findIndex(t => t.includes('noirq thaw of devices'));
		expect(aer).toBeGreaterThan(noirqThaw);
	});

	it('noidle: the platform does not force-idle, the file reads Y', () => {
		const sim = simulate('noidle');
		expect(sysfsValues(sim.timeline, sysfsPaths.busNoidle(0))).toEqual(['Y']);
		expect(notes(sim.timeline, 'quiesce')[0]?.data?.['forceIdle']).toBe(false);
	});

	it('not-staged and need-reset: per-DIMM results in sysfs', () => {
		expect(sysfsValues(simulate('not-staged').timeline, sysfsPaths.dimmResult(5)).at(-1)).toBe('not_staged');
		expect(sysfsValues(simulate('need-reset').timeline, sysfsPaths.dimmResult(2)).at(-1)).toBe('need_reset');
		expect(sysfsValues(simulate('dimm-fail').timeline, sysfsPaths.dimmResult(6)).at(-1)).toBe('fail');
	});

	it('busy-window: bus and DIMMs read busy, results none, then idle and success', () => {
		const sim = simulate('busy-window');
		expect(sysfsValues(sim.timeline, sysfsPaths.busActivate(0))).toEqual(['idle', 'armed', 'busy', 'idle']);
		expect(sysfsValues(sim.timeline, sysfsPaths.dimmActivate(0))).toEqual(['idle', 'armed', 'busy', 'idle']);
		expect(sysfsValues(sim.timeline, sysfsPaths.dimmResult(0))).toEqual(['none', 'success']);
	});

	it('nfit-test is the real nfit_test host: two armed DIMMs of four on ndbus0, none on ndbus1, busy for 3 s, then success', () => {
		const sim = simulate('nfit-test');
		expect(sim.kernel.id).toBe('6.1');
		expect(sysfsValues(sim.timeline, sysfsPaths.busActivate(0))).toEqual(['idle', 'armed', 'busy', 'idle']);
		expect(sysfsValues(sim.timeline, sysfsPaths.dimmResult(0))).toEqual(['none', 'success']);
		expect(sysfsValues(sim.timeline, sysfsPaths.dimmResult(2))).toEqual(['none']);
		// nmem4/nmem5 sit on ndbus1, which has no firmware attributes.
		expect(sim.peek(sysfsPaths.dimmActivate(4))).toEqual({ok: false, errno: 'ENOENT'});
		expect(sim.peek(sysfsPaths.busActivate(1))).toEqual({ok: false, errno: 'ENOENT'});
		expect(sim.outcome().dimms.success).toBe(2);
	});

	it('nfit-test with all four DIMMs armed: overflow (4 s > 3 s), the write still returns 0 and nfit_test activates anyway', () => {
		const sim = simulateText('extends: nfit-test\ndescription: x\nexpect: overflow\ndimms: {count: 6, overrides: {nmem2: {arm: true, nextVersion: "0xffffffffabcd"}, nmem3: {arm: true, nextVersion: "0xffffffffabcd"}}}\n');
		expect(sysfsValues(sim.timeline, sysfsPaths.busActivate(0))).toEqual(['idle', 'armed', 'overflow', 'busy', 'idle']);
		const outcome = sim.outcome();
		expect(outcome.kind).toBe('overflow');
		expect(outcome.write).toBe('0');
		expect(outcome.dimms.success).toBe(4);
		expect(sim.faults.map(f => f.point)).toEqual(['overflow']);
	});
});

describe('scenario validation', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-scenario-'));
	const write = (name: string, text: string) => {
		const file = path.join(dir, name);
		writeFileSync(file, text);
		return file;
	};

	const cases: Array<[name: string, text: string, message: RegExp]> = [
		['missing.json', '{"description": "x"}', /missing\.json: dimms: required field is missing/],
		['count.json', '{"description": "x", "dimms": {"count": "eight"}}', /count\.json: dimms\.count: expected number, got string/],
		['typo.yaml', 'description: x\ndimms: {count: 2}\ndimmz: 3\n', /typo\.yaml: \(top level\): unknown field "dimmz"/],
		['method.yaml', 'description: x\nmethod: suspend\ndimms: {count: 2}\n', /method\.yaml: method: expected one of "quiesce", "live", got "suspend"/],
		['range.yaml', 'description: x\ndimms: {count: 2, defaults: {activationUs: [9, 3]}}\n', /range\.yaml: dimms\.defaults\.activationUs: expected \[min, max\] with min ≤ max/],
		['errno.yaml', 'description: x\ndimms: {count: 2}\ndevices: [{name: a, driver: b, fail: {callback: freeze, errno: EWHAT}}]\n', /errno\.yaml: devices\.0\.fail\.errno: expected an errno name/],
		['override.yaml', 'description: x\ndimms: {count: 2, overrides: {nmem7: {arm: false}}}\n', /override\.yaml: dimms\.overrides\.nmem7: expected a DIMM index below dimms\.count \(2\)/],
		['pattern.yaml', 'description: x\ndimms: {count: 2}\ndevices: [{name: nvme0, driver: nvme, count: 3}]\n', /pattern\.yaml: devices\.0\.name: expected "\{i\}" or "\{x\}"/],
		['broken.json', '{"description": ', /broken\.json: not valid JSON/],
		['broken.yaml', 'description: [\n', /broken\.yaml: not valid YAML/],
		['list.yaml', '- a\n- b\n', /list\.yaml: expected a mapping of scenario fields/],
		['cycle.yaml', 'extends: ./cycle.yaml\ndescription: x\n', /cycle\.yaml: extends: cycle through cycle\.yaml/],
	];
	it.each(cases)('%s: names the file, the field and what was expected', (name, text, message) => {
		const file = write(name, text);
		expect(() => loadScenario(file)).toThrowError(ScenarioError);
		expect(() => loadScenario(file)).toThrowError(message);
	});

	it('unknown names and missing paths are clear', () => {
		expect(() => loadScenario('no-such-scenario')).toThrowError(/unknown scenario "no-such-scenario" \(built-in: default, /);
		expect(() => loadScenario('./nope.yaml')).toThrowError(/nope\.yaml: no such scenario file/);
	});

	it('a user scenario can extend a built-in one', () => {
		const file = write('mine.yaml', 'extends: default\ndescription: mine\ndimms: {count: 2}\n');
		const scenario = loadScenario(file);
		expect(scenario.dimms.count).toBe(2);
		expect(scenario.devices.length).toBe(loadScenario('default').devices.length);
		expect(scenario.name).toBe('mine');
	});
});
