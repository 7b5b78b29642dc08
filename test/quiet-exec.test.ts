import {describe, expect, it} from 'vitest';
import {
	failurePoints,
	quietExecSteps,
	stepById,
	successPath,
	unwindLabelFor,
	unwindPath,
	type FailurePoint,
} from '../source/kernel/quiet-exec.js';
import {executedSteps, notes, simulate, simulateText} from './helpers/sim.js';

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i);
const numbers = (ids: string[]) => ids.map(id => stepById(id as never).n);

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
		expect(quietExecSteps.map(s => s.n)).toEqual(range(1, 28));
		expect(stepById('callback').n).toBe(15);
		expect(stepById('freeze_processes').n).toBeLessThan(stepById('freeze_kernel_threads').n);
		expect(stepById('dpm_prepare').n).toBeLessThan(stepById('dpm_suspend').n);
		expect(stepById('thaw_kernel_threads').n).toBeLessThan(stepById('thaw_processes').n);
		expect(numbers(successPath())).toEqual(range(1, 28));
	});

	it.each(failurePoints)('unwinds from %s exactly as the kernel does', point => {
		expect(numbers(unwindPath(point))).toEqual(unwindTable[point]);
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
		const failedAt = stepById(point).n;
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
