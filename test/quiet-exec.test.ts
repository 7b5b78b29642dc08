import {describe, expect, it} from 'vitest';
import {
	failurePoints,
	quietExecSteps,
	stageOfStep,
	stepByNumber,
	successPath,
	unwindLabelFor,
	unwindLabels,
	unwindPath,
	type FailurePoint,
} from '../source/kernel/quiet-exec.js';
import {executedSteps, notes, simulate, simulateText} from './helpers/sim.js';

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i);
// kernel.md §3.1: hibernate_quiet_exec() (kernel/power/hibernate.c, v5.9+), step n is kernelOrder[n - 1].
// Written out here, not looked up with the module's own stepById().
const kernelOrder = [
	'lock_system_sleep', 'hibernate_acquire', 'pm_prepare_console', 'pm_notifier_prepare', 'freeze_processes',
	'lock_device_hotplug', 'pm_suspend_clear_flags', 'platform_begin', 'freeze_kernel_threads', 'dpm_prepare',
	'suspend_console', 'dpm_suspend', 'dpm_suspend_end', 'platform_pre_snapshot', 'callback',
	'platform_finish', 'dpm_resume_start', 'dpm_resume', 'resume_console', 'dpm_complete',
	'thaw_kernel_threads', 'platform_end', 'unlock_device_hotplug', 'thaw_processes', 'pm_notifier_post',
	'pm_restore_console', 'hibernate_release', 'unlock_system_sleep',
];
const numbers = (ids: string[]) => ids.map(id => {
	const n = kernelOrder.indexOf(id) + 1;
	if (n === 0) throw new Error(`not a step of hibernate_quiet_exec(): ${id}`);
	return n;
});
// The step at which each failure point fails (kernel.md §3.1, "On failure jump to" column).
const failsAt: Record<FailurePoint, number> = {
	hibernate_acquire: 2,
	pm_notifier_prepare: 4,
	freeze_processes: 5,
	platform_begin: 8,
	freeze_kernel_threads: 9,
	dpm_prepare: 10,
	dpm_suspend: 12,
	dpm_suspend_end: 13,
	platform_pre_snapshot: 14,
	callback: 15,
};

// kernel.md §3.2, as step numbers: the spec this module must match.
const unwindTable: Record<FailurePoint, number[]> = {
	hibernate_acquire: [28],
	pm_notifier_prepare: [26, 27, 28],
	freeze_processes: [25, 26, 27, 28],
	platform_begin: range(22, 28),
	freeze_kernel_threads: range(22, 28),
	dpm_prepare: range(20, 28),
	dpm_suspend: range(18, 28),
	dpm_suspend_end: range(18, 28),
	platform_pre_snapshot: range(16, 28),
	callback: range(16, 28),
};

describe('hibernate_quiet_exec step table', () => {
	it('has 28 steps in kernel order with the callback at 15', () => {
		expect(quietExecSteps.map(s => [s.n, s.id])).toEqual(kernelOrder.map((id, i) => [i + 1, id]));
		expect(successPath()).toEqual(kernelOrder);
		expect([...failurePoints]).toEqual(Object.keys(failsAt));
		for (const [point, n] of Object.entries(failsAt)) expect(kernelOrder[n - 1]).toBe(point);
		expect(stepByNumber(15).id).toBe('callback');
		expect(stepByNumber(21).id).toBe('thaw_kernel_threads');
		expect(() => stepByNumber(29)).toThrow(/unknown quiet-exec step 29/);
		expect(() => stepByNumber(0)).toThrow(/unknown/);
	});

	it('has the goto labels where the kernel puts them', () => {
		expect(unwindLabels).toEqual({skip: 16, dpm_resume: 18, dpm_complete: 20, thaw: 22, exit: 25, restore: 26, unlock: 28});
	});

	it('groups the steps into the stages an operator watches (kernel.md §3.4)', () => {
		const stageOf = Object.fromEntries(kernelOrder.map(id => [id, stageOfStep(id as never)]));
		expect(stageOf).toEqual({
			lock_system_sleep: undefined, hibernate_acquire: undefined, pm_prepare_console: undefined, pm_notifier_prepare: undefined,
			freeze_processes: 'freeze-user', lock_device_hotplug: undefined, pm_suspend_clear_flags: undefined,
			platform_begin: 'freeze-kthreads', freeze_kernel_threads: 'freeze-kthreads',
			dpm_prepare: 'prepare-devices', suspend_console: 'prepare-devices', dpm_suspend: 'freeze-devices',
			dpm_suspend_end: 'freeze-late-noirq', platform_pre_snapshot: 'platform-prep', callback: 'activation',
			platform_finish: 'thaw-devices', dpm_resume_start: 'thaw-devices', dpm_resume: 'thaw-devices', resume_console: 'thaw-devices', dpm_complete: 'thaw-devices',
			thaw_kernel_threads: 'thaw-tasks', platform_end: 'thaw-tasks', unlock_device_hotplug: 'thaw-tasks', thaw_processes: 'thaw-tasks',
			pm_notifier_post: undefined, pm_restore_console: undefined, hibernate_release: undefined, unlock_system_sleep: undefined,
		});
	});

	it.each(failurePoints)('unwinds from %s exactly as the kernel does', point => {
		expect(numbers(unwindPath(point))).toEqual(unwindTable[point]);
	});

	it.each([
		['hibernate_acquire', 'unlock'], ['pm_notifier_prepare', 'restore'], ['freeze_processes', 'exit'], ['platform_begin', 'thaw'],
		['freeze_kernel_threads', 'thaw'], ['dpm_prepare', 'dpm_complete'], ['dpm_suspend', 'dpm_resume'], ['dpm_suspend_end', 'dpm_resume'],
		['platform_pre_snapshot', 'skip'], ['callback', 'none'],
	] as const)('a failure at %s jumps to %s', (point, label) => {
		expect(unwindLabelFor(point)).toBe(label);
		expect(unwindLabelFor(point, 'nr_calls')).toBe(point === 'pm_notifier_prepare' ? 'exit' : label);
	});

	it('v5.9 notifier bookkeeping unwinds through the POST notifiers', () => {
		expect(unwindLabelFor('pm_notifier_prepare', 'nr_calls')).toBe('exit');
		expect(numbers(unwindPath('pm_notifier_prepare', 'nr_calls'))).toEqual([25, 26, 27, 28]);
	});
});

describe('the simulator walks that table', () => {
	it('runs every step once, in order, on success', () => {
		expect(executedSteps(simulate('default').timeline)).toEqual(range(1, 28));
	});

	const cases: Array<[scenario: string, point: FailurePoint]> = [
		['hibernation-busy', 'hibernate_acquire'],
		['task-wont-freeze', 'freeze_processes'],
		['kthread-wont-freeze', 'freeze_kernel_threads'],
		['device-prepare-error', 'dpm_prepare'],
		['device-freeze-error', 'dpm_suspend'],
		['device-late-error', 'dpm_suspend_end'],
		['device-noirq-error', 'dpm_suspend_end'],
	];
	it.each(cases)('%s fails at %s and runs its unwind path', (scenario, point) => {
		const timeline = simulate(scenario).timeline;
		const failedAt = failsAt[point];
		const expected = [...range(1, failedAt), ...unwindTable[point]];
		expect(executedSteps(timeline)).toEqual(expected);
		const failure = notes(timeline, 'step').find(n => n.data?.['status'] === 'failed');
		expect(failure?.data?.['step']).toBe(point);
	});

	it('a PM notifier veto unwinds from restore (v5.10+)', () => {
		const sim = simulateText('extends: default\ndescription: veto\nplatform: {notifierVeto: EAGAIN}\n');
		expect(executedSteps(sim.timeline)).toEqual([1, 2, 3, 4, 26, 27, 28]);
		expect(sim.outcome().write).toBe('-11 (EAGAIN)');
	});

	it('a refused write never enters the quiesce path', () => {
		const sim = simulateText('extends: default\ndescription: nothing armed\ndimms: {count: 4, defaults: {arm: false}}\n');
		expect(executedSteps(sim.timeline)).toEqual([]);
		const write = sim.timeline.find(e => e.kind === 'action' && e.op === 'write' && e.path.endsWith('ndbus0/firmware/activate'));
		expect(write).toMatchObject({result: {ok: false, errno: 'ENXIO'}});
	});
});
