/**
 * Every grading rule, shown to fail and to pass: a drill played two ways,
 * then the rule judged on that session alone. The verdict and its detail
 * are what the operator reads in the after-action report.
 */
import {describe, expect, it} from 'vitest';
import {loadDrill} from '../source/rehearsal/drill.js';
import {ruleIds, rules, type RuleId} from '../source/rehearsal/rules.js';
import {DrillSession} from '../source/rehearsal/session.js';

function judge(rule: RuleId, drill: string, commands: string[]) {
	const session = new DrillSession(loadDrill(drill), 1);
	for (const command of commands) session.run(command);
	return rules[rule].judge({records: session.records, sim: session.sim, runs: session.sim.runs, maxFrozenMs: session.drill.maxFrozenMs, initial: session.initial});
}

const clean = ['inspect', 'read ndbus0/firmware/capability', 'arm all', 'read ndbus0/firmware/activate', 'trigger quiesce', 'verify', 'finish'];

type Case = {drill: string; pass: string[]; passDetail: RegExp; fail: Array<[commands: string[], detail: RegExp]>};

const cases: Record<RuleId, Case> = {
	// A skipped step is a mistake only where it changes the outcome (issue 16): a host with a stuck task, a bus in overflow.
	inspect: {drill: 'stuck-task', pass: ['inspect', 'read ndbus0/firmware/activate', 'arm all', 'trigger quiesce', 'verify'], passDetail: /inspected the host first/, fail: [
		[['arm all', 'trigger quiesce', 'verify'], /triggered without looking at tasks and DMA traffic/],
		// Looking after the trigger is too late.
		[['arm all', 'trigger quiesce', 'inspect', 'verify'], /triggered without looking/],
	]},
	'check-bus': {drill: 'overflow-batches', pass: loadDrill('overflow-batches').solution!, passDetail: /read ndbus0\/firmware\/activate or capability first/, fail: [
		[['inspect', 'arm all', 'trigger quiesce', 'verify'], /never read the bus state before writing to it/],
		[['inspect', 'arm all', 'read nmem0/firmware/activate', 'trigger quiesce', 'read ndbus0/firmware/activate'], /never read the bus state/],
	]},
	'no-overflow': {drill: 'overflow-batches', pass: loadDrill('overflow-batches').solution!, passDetail: /every trigger was on an armed \(not overflowing\) bus/, fail: [
		[['inspect', 'arm all', 'read ndbus0/firmware/activate', 'trigger quiesce', 'verify'], /triggered 1 time\(s\) with the bus in overflow/],
	]},
	method: {drill: 'live-platform', pass: loadDrill('live-platform').solution!, passDetail: /triggered with live, as the capability says/, fail: [
		[['inspect', 'arm all', 'trigger quiesce', 'verify'], /triggered with quiesce on a platform whose capability is live/],
	]},
	drain: {drill: 'rdma-traffic', pass: loadDrill('rdma-traffic').solution!, passDetail: /drained .*0000:3b:00\.0.* before triggering/, fail: [
		[['inspect', 'read ndbus0/firmware/activate', 'arm all', 'trigger quiesce', 'verify'], /DMA timed out on .*0000:3b:00/],
		// Draining one port of two is not enough when the other's DMA times out in the stall.
		[['inspect', 'drain 0000:3b:00.0', 'read ndbus0/firmware/activate', 'arm all', 'trigger quiesce', 'verify'], /0000:3b:00\.1/],
	]},
	tasks: {drill: 'stuck-task', pass: loadDrill('stuck-task').solution!, passDetail: /resolved fio before triggering/, fail: [
		[['read ndbus0/firmware/activate', 'arm all', 'trigger quiesce', 'verify'], /the freezer failed: fio refused to freeze/],
		[['inspect'], /did not resolve fio/],
	]},
	goal: {drill: 'clean-activation', pass: clean, passDetail: /^8\/8 DIMMs activated$/, fail: [
		[['inspect', 'arm 0-3', 'trigger quiesce', 'verify'], /^4\/8 DIMMs activated$/],
		[['inspect'], /^0\/8 DIMMs activated$/],
	]},
	verify: {drill: 'clean-activation', pass: clean, passDetail: /read every result after the last activation/, fail: [
		[['inspect', 'arm all', 'trigger quiesce', 'finish'], /did not check the outcome after the last trigger/],
		[['inspect', 'verify'], /never triggered an activation/],
		[['inspect', 'arm all', 'trigger quiesce', 'read nmem0/firmware/result'], /did not read the result of nmem1, nmem2/],
		// Reading before the last trigger does not verify it.
		[['inspect', 'arm 0-3', 'trigger quiesce', 'verify', 'arm 4-7', 'trigger quiesce'], /did not check the outcome after the last trigger/],
	]},
	decide: {drill: 'results-follow-up', pass: loadDrill('results-follow-up').solution!, passDetail: /nmem2: power-cycle, nmem5: restage/, fail: [
		[loadDrill('results-follow-up').mistake!, /nmem2 needs "power-cycle", nmem5 needs "restage"/],
		// The last decision counts.
		[['inspect', 'arm all', 'trigger quiesce', 'verify', 'decide nmem2 power-cycle', 'decide nmem5 restage', 'decide nmem2 replace'], /^nmem2 needs "power-cycle"$/],
	]},
	'frozen-budget': {drill: 'stuck-task', pass: loadDrill('stuck-task').solution!, passDetail: /user space frozen \d+\.\d ms in total/, fail: [
		// The freezer waits pm_freeze_timeout (20 s) for fio with user space frozen.
		[['arm all', 'trigger quiesce', 'verify'], /user space frozen 2\d{4}\.\d ms, over the 2000 ms allowed/],
	]},
	collateral: {drill: 'rdma-traffic', pass: loadDrill('rdma-traffic').solution!, passDetail: /^no device errors$/, fail: [
		[['inspect', 'read ndbus0/firmware/activate', 'arm all', 'trigger quiesce', 'verify'], /0000:3b:00\.\d: /],
	]},
};

describe('grading rules', () => {
	it('every rule has a passing and a failing case below', () => {
		expect(Object.keys(cases).sort()).toEqual([...ruleIds].sort());
		for (const id of ruleIds) expect(cases[id].fail.length, id).toBeGreaterThan(0);
	});

	for (const id of ruleIds) {
		const c = cases[id];
		it(`${id}: passes when the operator does it (${c.drill})`, () => {
			const verdict = judge(id, c.drill, c.pass);
			expect(verdict.ok, verdict.detail).toBe(true);
			expect(verdict.detail).toMatch(c.passDetail);
		});

		it.each(c.fail.map(([commands, detail]) => [commands.join('; '), commands, detail] as const))(`${id}: fails for %s`, (_name, commands, detail) => {
			const verdict = judge(id, c.drill, commands);
			expect(verdict.ok, verdict.detail).toBe(false);
			expect(verdict.detail).toMatch(detail);
		});
	}

	it('frozen-budget: no limit in the drill, no failure', () => {
		const verdict = rules['frozen-budget'].judge({records: [], sim: new DrillSession(loadDrill('clean-activation'), 1).sim, runs: [], initial: {} as never});
		expect(verdict).toEqual({ok: true, detail: 'user space frozen 0.0 ms in total'});
	});
});

/**
 * A skipped step is only a mistake where it made a difference (issue 16): on a
 * host with nothing stuck, nothing racing the stall and an armed bus, the rule
 * passes and its detail says why. Details are what the report prints.
 */
describe('grading rules on a host where the step made no difference', () => {
	const careless = ['arm all', 'trigger quiesce', 'verify'];
	it.each([
		['inspect', 'clean-activation', careless, 'did not inspect, but there was nothing stuck and nothing racing the stall: no difference on this host'],
		['check-bus', 'clean-activation', careless, 'did not read the bus state, but it was armed: no difference on this host'],
		['drain', 'clean-activation', careless, 'nothing was moving data that its freeze would not stop: nothing to drain'],
		['tasks', 'clean-activation', careless, 'no task was stuck in D state: nothing to resolve'],
		['decide', 'clean-activation', careless, 'nothing to decide'],
		['collateral', 'clean-activation', careless, 'no device errors'],
		['no-overflow', 'clean-activation', careless, 'every trigger was on an armed (not overflowing) bus'],
		['method', 'clean-activation', careless, 'triggered with quiesce, as the capability says'],
		// A verify before the trigger still counts as reading the bus first.
		['check-bus', 'overflow-batches', ['arm all', 'read ndbus0/firmware/capability', 'trigger quiesce'], 'read ndbus0/firmware/activate or capability first'],
		// Draining after arming but before the trigger is in time.
		['drain', 'rdma-traffic', ['inspect', 'arm all', 'drain 0000:3b:00.0', 'drain 0000:3b:00.1', 'trigger quiesce'], 'drained mlx5_core 0000:3b:00.0, mlx5_core 0000:3b:00.1 before triggering'],
		// A DIMM without a staged image is not a goal (results-follow-up: nmem5 has none, nmem2 ends in need_reset).
		['goal', 'results-follow-up', ['arm all', 'trigger quiesce'], '6/6 DIMMs activated'],
	] as const)('%s on %s: %j passes', (rule, drill, commands, detail) => {
		expect(judge(rule, drill, [...commands])).toEqual({ok: true, detail});
	});

	it.each([
		// DMA that the freeze does not stop is a reason to look first, even with no stuck task.
		['inspect', 'rdma-traffic', careless, 'triggered without looking at tasks and DMA traffic'],
		['drain', 'rdma-traffic', ['inspect', 'arm all', 'trigger quiesce', 'drain 0000:3b:00.0', 'drain 0000:3b:00.1'], 'DMA timed out on mlx5_core 0000:3b:00.0, mlx5_core 0000:3b:00.1 — not drained before triggering: mlx5_core 0000:3b:00.0, mlx5_core 0000:3b:00.1'],
		['method', 'clean-activation', ['arm all', 'trigger live', 'trigger quiesce'], 'triggered with live on a platform whose capability is quiesce'],
		['no-overflow', 'overflow-batches', ['arm all', 'trigger quiesce', 'trigger quiesce'], 'triggered 2 time(s) with the bus in overflow'],
		['decide', 'results-follow-up', ['inspect', 'arm all', 'trigger quiesce', 'verify', 'decide nmem2 power-cycle'], 'nmem5 needs "restage"'],
		['verify', 'results-follow-up', ['arm all', 'trigger quiesce', 'read nmem0/firmware/result'], 'did not read the result of nmem1, nmem2, nmem3, nmem4, nmem5, nmem6, nmem7'],
		['check-bus', 'overflow-batches', ['arm all', 'trigger quiesce', 'trigger quiesce'], 'never read the bus state before writing to it (it was overflow, overflow)'],
	] as const)('%s on %s: %j fails', (rule, drill, commands, detail) => {
		expect(judge(rule, drill, [...commands])).toEqual({ok: false, detail});
	});

	it('frozen-budget: exactly the limit is within it, a tenth of a millisecond less is not', () => {
		const session = new DrillSession(loadDrill('stuck-task'), 1);
		for (const command of loadDrill('stuck-task').solution!) session.run(command);
		const context = {records: session.records, sim: session.sim, runs: session.sim.runs, initial: session.initial};
		const run = session.sim.runs.find(r => r.frozenFromUs !== undefined && r.frozenToUs !== undefined)!;
		const ms = (run.frozenToUs! - run.frozenFromUs!) / 1000;
		expect(ms).toBeGreaterThan(0);
		expect(rules['frozen-budget'].judge({...context, maxFrozenMs: ms}).ok).toBe(true);
		expect(rules['frozen-budget'].judge({...context, maxFrozenMs: ms - 0.1})).toEqual({ok: false, detail: `user space frozen ${ms.toFixed(1)} ms, over the ${ms - 0.1} ms allowed`});
	});
});

describe('grading rules: what counts, and when', () => {
	it.each([
		// Looking without triggering at all: everything the operator did counts as "before".
		['inspect', 'stuck-task', ['arm all', 'inspect'], true, 'inspected the host first'],
		// A verify reads the bus files too.
		['check-bus', 'overflow-batches', ['arm all', 'verify', 'trigger quiesce'], true, 'read ndbus0/firmware/activate or capability first'],
		// Results read before the last trigger do not verify it.
		['verify', 'clean-activation', ['arm all', 'verify', 'trigger quiesce'], false, 'did not check the outcome after the last trigger'],
		['method', 'live-platform', ['arm all', 'trigger quiesce', 'trigger quiesce'], false, 'triggered with quiesce, quiesce on a platform whose capability is live'],
		// A task that will not freeze is not a device error, and DMA faults are not stuck tasks.
		['collateral', 'stuck-task', ['arm all', 'trigger quiesce'], true, 'no device errors'],
		['tasks', 'rdma-traffic', ['arm all', 'trigger quiesce'], true, 'no task was stuck in D state: nothing to resolve'],
		// A live activation freezes nothing.
		['frozen-budget', 'live-platform', ['arm all', 'trigger live'], true, 'user space frozen 0.0 ms in total'],
	] as const)('%s on %s: %j', (rule, drill, commands, ok, detail) => {
		expect(judge(rule, drill, [...commands])).toEqual({ok, detail});
	});

	it('check-bus: any bus number, and only the activate and capability files', () => {
		const sim = new DrillSession(loadDrill('overflow-batches'), 1).sim;
		const verdict = (path: string) => rules['check-bus'].judge({records: [{kind: 'read', paths: [path]}, {kind: 'trigger', busBefore: 'overflow'}] as never, sim, runs: [], initial: {} as never});
		expect(verdict('bus/nd/devices/ndbus12/firmware/activate').ok).toBe(true);
		expect(verdict('bus/nd/devices/ndbus0/firmware/capability').ok).toBe(true);
		expect(verdict('bus/nd/devices/ndbus0/firmware/activate_noidle')).toEqual({ok: false, detail: 'never read the bus state before writing to it (it was overflow)'});
		expect(verdict('bus/nd/devices/nmem0/firmware/activate').ok).toBe(false);
	});
});

describe('a task that leaves D state by itself (nfs-recovering: the NFS server comes back 15 s after the start)', () => {
	it('waiting until it wakes is dealing with it; wait says when it left D state', () => {
		const session = new DrillSession(loadDrill('nfs-recovering'), 1);
		expect(session.run('inspect')).toMatch(/^task fio \(pid 48213\) in D state\./);
		expect(session.run('wait 5s')).toMatch(/^5s passed\. task fio \(pid 48213\) still in D state\.$/);
		expect(session.run('wait 10s')).toMatch(/^10s passed\. task fio \(pid 48213\) left D state at 7331\.400 s; no task in D state\.$/);
		expect(judge('tasks', 'nfs-recovering', loadDrill('nfs-recovering').solution!)).toEqual({ok: true, detail: 'waited until fio left D state before triggering'});
	});

	it('triggering before it wakes: the freezer waits for it with user space frozen (the freeze succeeds, over the budget)', () => {
		const commands = ['inspect', 'read ndbus0/firmware/activate', 'arm all', 'trigger quiesce', 'verify'];
		expect(judge('tasks', 'nfs-recovering', commands)).toEqual({ok: false, detail: 'triggered while fio was still in D state (resolve it, or wait until it leaves D state)'});
		// Trigger at 7316.4 + 4 commands × 2 s think time; fio wakes at 7331.4 s: about 7 s frozen, not the 20 s timeout.
		const budget = judge('frozen-budget', 'nfs-recovering', commands);
		expect(budget.ok).toBe(false);
		expect(budget.detail).toMatch(/^user space frozen (\d+)\.\d ms, over the 2000 ms allowed$/);
		const frozen = Number(/frozen (\d+)/.exec(budget.detail)![1]);
		expect(frozen).toBeGreaterThan(5000);
		expect(frozen).toBeLessThan(12_000);
		expect(judge('goal', 'nfs-recovering', commands)).toEqual({ok: true, detail: '8/8 DIMMs activated'});
	});
});
