/**
 * Kernel facts the simulator must model (issue 13 points 7–10, issue 12 sim
 * part): cost of the freezer and of thousands of DIMMs measured by counting
 * operations, never by timers.
 */
import {describe, expect, it} from 'vitest';
import type {ActionEvent} from '../source/events.js';
import {resolveKernel} from '../source/kernel/profiles.js';
import {stuckTaskStack} from '../source/kernel/stacks.js';
import {sysfsPaths} from '../source/kernel/sysfs.js';
import {freezerCost, runFreezer} from '../source/sim/freezer.js';
import {Prng} from '../source/sim/prng.js';
import {parseScenario} from '../source/sim/scenario.js';
import {Simulation} from '../source/sim/simulation.js';
import {logs, simulateText} from './helpers/sim.js';

const reads = (sim: Simulation, path: string) =>
	(sim.timeline.filter(e => e.kind === 'action' && e.op === 'read' && e.path === path) as ActionEvent[]).map(e => (e.result?.ok ? e.result.value : e.result?.errno));

describe('freeze timeout (issue 12)', () => {
	it('freezeTimeoutMs: 1 does not crash: ordinary tasks that were only slow are dumped and the write fails with EBUSY', () => {
		const sim = simulateText('extends: default\ndescription: x\nexpect: freeze-failed\nfreezeTimeoutMs: 1\ntasks: {user: 50, freezeLatencyUs: [500, 5000]}\n');
		expect(sim.outcome().write).toBe('-16 (EBUSY)');
		expect(logs(sim.timeline).some(l => l.text.startsWith('task:'))).toBe(true);
		// Not injected: no task-wont-freeze fault fired, the timeout was simply too short.
		expect(sim.faults.filter(f => f.point === 'task-wont-freeze')).toEqual([]);
	});

	it('accepts the kernel range of pm_freeze_timeout (unsigned int) and nothing outside it', () => {
		expect(() => parseScenario('description: x\nfreezeTimeoutMs: 4294967295\ndimms: {count: 1}\n', 'x.yaml')).not.toThrow();
		expect(() => parseScenario('description: x\nfreezeTimeoutMs: 0\ndimms: {count: 1}\n', 'x.yaml')).not.toThrow();
		expect(() => parseScenario('description: x\nfreezeTimeoutMs: 4294967296\ndimms: {count: 1}\n', 'x.yaml')).toThrow(/freezeTimeoutMs: expected 0 … 4294967295 ms/);
	});

	it('the freezer loop costs the same whatever the timeout (a stuck task, 20 s vs 2^32-1 ms)', () => {
		const tasks = [{id: 0, readyAfterUs: Number.POSITIVE_INFINITY}, {id: 1, readyAfterUs: 30}];
		const cost = (timeoutMs: number) => {
			const result = runFreezer(tasks, timeoutMs, new Prng(3));
			expect(result.ok).toBe(false);
			expect(result.elapsedUs).toBeGreaterThan(timeoutMs * 1000);
			return freezerCost.passes;
		};

		const short = cost(20_000);
		const long = cost(4_294_967_295);
		expect(long).toBeLessThan(short * 2);
		expect(long).toBeLessThan(40);
	});

	it('a task that freezes late is still seen at the right pass after a jump', () => {
		const result = runFreezer([{id: 0, readyAfterUs: 5_000_000}], 20_000, new Prng(9));
		expect(result.ok).toBe(true);
		expect(result.elapsedUs).toBeGreaterThanOrEqual(5_000_000);
		expect(result.elapsedUs).toBeLessThan(5_000_000 + 8100);
	});
});

describe('thousands of DIMMs (issue 12)', () => {
	const run = (count: number) => {
		const sim = new Simulation(parseScenario(`description: x\ndimms: {count: ${count}, defaults: {activationUs: 0}}\nplatform: {maxQuiesceUs: 600}\n`, 'x.yaml'), {seed: 1}).run();
		expect(sim.outcome().dimms.success).toBe(count);
		return sim.host.ops;
	};

	it('arming, activating and verifying 4096 DIMMs costs linear work (counted, not timed)', () => {
		const small = run(512);
		const large = run(4096);
		// 8× the DIMMs: linear work is ~8× the operations; quadratic would be ~64×.
		expect(large / small).toBeLessThan(10);
		expect(large).toBeLessThan(4096 * 40);
	});
});

describe('kernel facts in the simulated host', () => {
	it('firmware files of a platform without the capability are hidden: reads and writes fail with ENOENT (point 10)', () => {
		const sim = simulateText('extends: default\ndescription: x\nexpect: refused\nplatform: {capability: none}\n');
		for (const path of [sysfsPaths.busActivate(0), sysfsPaths.busCapability(0), sysfsPaths.dimmActivate(0), sysfsPaths.dimmResult(0)]) {
			expect(sim.peek(path)).toEqual({ok: false, errno: 'ENOENT'});
		}

		const writes = sim.timeline.filter(e => e.kind === 'action' && e.op === 'write' && e.result !== null) as ActionEvent[];
		expect(writes.length).toBeGreaterThan(0);
		expect(new Set(writes.map(w => (w.result?.ok ? 'ok' : w.result?.errno)))).toEqual(new Set(['ENOENT']));
	});

	it('intel_fwa_result() keeps answering the cached `none` after the busy window until activate is read (point 9)', () => {
		const text = `extends: nfit-test
description: x
expect: success
script:
  - {at: 0, write: bus/nd/devices/nmem0/firmware/activate, value: "arm\\n"}
  - {at: 10000, write: bus/nd/devices/ndbus0/firmware/activate, value: "quiesce\\n"}
  - {at: 1000000, read: bus/nd/devices/nmem0/firmware/result}
  - {at: 5000000, read: bus/nd/devices/nmem0/firmware/result}
  - {at: 5100000, read: bus/nd/devices/nmem0/firmware/activate}
  - {at: 5200000, read: bus/nd/devices/nmem0/firmware/result}
`;
		const sim = simulateText(text);
		// During the window: none; after it, still the cached none; activate re-queries (busy was cached) and refreshes it.
		expect(reads(sim, sysfsPaths.dimmResult(0))).toEqual(['none', 'none', 'success']);
		expect(reads(sim, sysfsPaths.dimmActivate(0))).toEqual(['idle']);
	});

	it('nfit_test activates at once: user space is frozen for the freeze/thaw path only, not 1 s per DIMM (point 8)', () => {
		const sim = simulateText('extends: nfit-test\ndescription: x\nexpect: success\n');
		expect(sim.outcome().userFrozenUs).toBeLessThan(500_000);
		expect(sim.outcome().estimateUs).toBe(2_000_000);
	});

	it('stacks: a kernel thread never shows system-call frames; 5.10 has no folio functions; 6.6 headers have tgid (point 7)', () => {
		for (const release of ['5.10', '6.1', '6.6.30', '6.17']) {
			const k = resolveKernel(release);
			expect(stuckTaskStack(k, 'kernel').join(' ')).not.toMatch(/syscall|SYSCALL|ksys_/);
			expect(stuckTaskStack(k, 'kernel').at(-1)).toMatch(/^ret_from_fork/);
		}

		expect(stuckTaskStack(resolveKernel('5.10'), 'user').join(' ')).not.toMatch(/folio|filemap_get_pages/);
		expect(stuckTaskStack(resolveKernel('6.1'), 'user').join(' ')).toMatch(/folio/);
		const header = (release: string) => logs(simulateText(`extends: task-wont-freeze\ndescription: x\nkernel: "${release}"\n`).timeline).find(l => l.text.startsWith('task:'))!.text;
		expect(header('6.6.30')).toMatch(/ pid:\d+ +tgid:\d+ +ppid:/);
		expect(header('6.1')).not.toMatch(/tgid:/);
		expect(header('5.10')).toMatch(/stack: {4}0 pid: *\d+ ppid: *\d+ flags:/);
	});
});

describe('writes and debug lines of the nfit_test host', () => {
	it('a successful store returns the byte count, as the real 6.1 writes did (quiesce\\n → 8, arm\\n → 4)', () => {
		const sim = simulateText('extends: nfit-test\ndescription: x\nexpect: success\n');
		const writes = sim.timeline.filter(e => e.kind === 'action' && e.op === 'write' && e.result?.ok) as ActionEvent[];
		const bytes = (suffix: string) => writes.filter(w => w.path.endsWith(suffix)).map(w => (w.result?.ok ? w.result.bytes : undefined));
		expect(bytes('ndbus0/firmware/activate')).toEqual([8]);
		expect(bytes('nmem0/firmware/activate')).toEqual([4]);
	});

	it('intel.c dev_dbg() names nfit_test.0 under the emulation and the NFIT root on a platform', () => {
		const emulated = logs(simulateText('extends: nfit-test\ndescription: x\nexpect: success\nlog: {nfitDyndbg: true}\n').timeline).map(l => l.text);
		expect(emulated).toContain('nfit_test nfit_test.0: result: 0');
		expect(emulated).toContain('nfit_test nfit_test.0: arm result: 0');
		const platform = logs(simulateText('extends: default\ndescription: x\nexpect: success\nlog: {nfitDyndbg: true}\n').timeline).map(l => l.text);
		expect(platform).toContain('nfit ACPI0012:00: result: 0');
	});
});

describe('the ABI answers of the real 6.1 nfit_test capture (06-results-errors/…-writes.tsv)', () => {
	it('nothing armed → ENXIO; bogus → EINVAL; arm/disarm 4/7 bytes; during the busy window every write → EBUSY; an armed DIMM without an image ends not_staged', () => {
		const bus = sysfsPaths.busActivate(0);
		const text = `extends: nfit-test
description: x
expect: not-staged
dimms: {count: 6, overrides: {nmem0: {arm: false}, nmem1: {arm: false}}}
script:
  - {at: 0, write: ${bus}, value: "quiesce\\n"}
  - {at: 30000, write: ${bus}, value: "live\\n"}
  - {at: 55000, write: ${bus}, value: "bogus\\n"}
  - {at: 95000, write: bus/nd/devices/nmem2/firmware/activate, value: "arm\\n"}
  - {at: 385000, write: bus/nd/devices/nmem2/firmware/activate, value: "disarm\\n"}
  - {at: 683000, write: bus/nd/devices/nmem2/firmware/activate, value: "bogus\\n"}
  - {at: 800000, write: bus/nd/devices/nmem0/firmware/activate, value: "arm\\n"}
  - {at: 1850000, write: bus/nd/devices/nmem1/firmware/activate, value: "arm\\n"}
  - {at: 3430000, write: ${bus}, value: "quiesce\\n"}
  - {at: 3560000, write: ${bus}, value: "quiesce\\n"}
  - {at: 3600000, write: bus/nd/devices/nmem0/firmware/activate, value: "arm\\n"}
  - {at: 3630000, write: bus/nd/devices/nmem0/firmware/activate, value: "disarm\\n"}
  - {at: 3650000, write: ${bus}, value: "live\\n"}
  - {at: 7500000, read: bus/nd/devices/nmem0/firmware/activate}
  - {at: 7510000, read: bus/nd/devices/nmem0/firmware/result}
  - {at: 7520000, read: bus/nd/devices/nmem1/firmware/activate}
  - {at: 7530000, read: bus/nd/devices/nmem1/firmware/result}
`;
		const sim = simulateText(text.replace('{nmem0: {arm: false}, nmem1: {arm: false}}', '{nmem0: {arm: false, nextVersion: "0xffffffffabcd"}, nmem1: {arm: false, nextVersion: null}}'));
		const writes = (sim.timeline.filter(e => e.kind === 'action' && e.op === 'write' && e.result !== null) as ActionEvent[]).map(w => (w.result!.ok ? `rc=${w.result!.bytes}` : w.result!.errno));
		// The real writes.tsv, in order: rc / errno of each write.
		expect(writes).toEqual(['ENXIO', 'ENXIO', 'EINVAL', 'rc=4', 'rc=7', 'EINVAL', 'rc=4', 'rc=4', 'rc=8', 'EBUSY', 'EBUSY', 'EBUSY', 'EBUSY']);
		expect(reads(sim, sysfsPaths.dimmResult(0))).toEqual(['success']);
		expect(reads(sim, sysfsPaths.dimmResult(1))).toEqual(['not_staged']);
	});
});
