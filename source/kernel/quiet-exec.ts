/**
 * `hibernate_quiet_exec()` (kernel/power/hibernate.c), step by step, with the
 * error labels and the exact unwind path from every failure point
 * (kernel.md §3.1–3.2). The simulator walks this table; the tests check it
 * against the kernel's goto structure.
 */

export const quietExecSteps = [
	{n: 1, id: 'lock_system_sleep', label: 'lock system sleep'},
	{n: 2, id: 'hibernate_acquire', label: 'acquire hibernation'},
	{n: 3, id: 'pm_prepare_console', label: 'prepare console'},
	{n: 4, id: 'pm_notifier_prepare', label: 'PM notifiers (PREPARE)'},
	{n: 5, id: 'freeze_processes', label: 'freeze user space'},
	{n: 6, id: 'lock_device_hotplug', label: 'lock device hotplug'},
	{n: 7, id: 'pm_suspend_clear_flags', label: 'clear suspend flags'},
	{n: 8, id: 'platform_begin', label: 'platform begin'},
	{n: 9, id: 'freeze_kernel_threads', label: 'freeze kernel threads'},
	{n: 10, id: 'dpm_prepare', label: 'prepare devices'},
	{n: 11, id: 'suspend_console', label: 'suspend console'},
	{n: 12, id: 'dpm_suspend', label: 'freeze devices'},
	{n: 13, id: 'dpm_suspend_end', label: 'late/noirq freeze'},
	{n: 14, id: 'platform_pre_snapshot', label: 'platform pre-snapshot'},
	{n: 15, id: 'callback', label: 'firmware activation'},
	{n: 16, id: 'platform_finish', label: 'platform finish'},
	{n: 17, id: 'dpm_resume_start', label: 'noirq/early thaw'},
	{n: 18, id: 'dpm_resume', label: 'thaw devices'},
	{n: 19, id: 'resume_console', label: 'resume console'},
	{n: 20, id: 'dpm_complete', label: 'complete devices'},
	{n: 21, id: 'thaw_kernel_threads', label: 'thaw kernel threads'},
	{n: 22, id: 'platform_end', label: 'platform end'},
	{n: 23, id: 'unlock_device_hotplug', label: 'unlock device hotplug'},
	{n: 24, id: 'thaw_processes', label: 'thaw user space'},
	{n: 25, id: 'pm_notifier_post', label: 'PM notifiers (POST)'},
	{n: 26, id: 'pm_restore_console', label: 'restore console'},
	{n: 27, id: 'hibernate_release', label: 'release hibernation'},
	{n: 28, id: 'unlock_system_sleep', label: 'unlock system sleep'},
] as const;

export type QuietExecStep = (typeof quietExecSteps)[number];
export type StepId = QuietExecStep['id'];
export type StepNumber = QuietExecStep['n'];

/** The goto labels of hibernate_quiet_exec() and the step each lands on. */
export const unwindLabels = {
	skip: 16,
	dpm_resume: 18,
	dpm_complete: 20,
	thaw: 22,
	exit: 25,
	restore: 26,
	unlock: 28,
} as const;

export type UnwindLabel = keyof typeof unwindLabels;

/** Steps that can fail, and where each failure jumps. */
export const failurePoints = [
	'hibernate_acquire',
	'pm_notifier_prepare',
	'freeze_processes',
	'platform_begin',
	'freeze_kernel_threads',
	'dpm_prepare',
	'dpm_suspend',
	'dpm_suspend_end',
	'platform_pre_snapshot',
	'callback',
] as const satisfies readonly StepId[];

export type FailurePoint = (typeof failurePoints)[number];

/** v5.9 used manual notifier bookkeeping; v5.10+ the robust helper. */
export type NotifierStyle = 'nr_calls' | 'robust';

export function stepById(id: StepId): QuietExecStep {
	const step = quietExecSteps.find(s => s.id === id);
	if (!step) throw new Error(`unknown quiet-exec step ${id}`);
	return step;
}

export function stepByNumber(n: number): QuietExecStep {
	const step = quietExecSteps.find(s => s.n === n);
	if (!step) throw new Error(`unknown quiet-exec step ${n}`);
	return step;
}

export function unwindLabelFor(point: FailurePoint, notifiers: NotifierStyle = 'robust'): UnwindLabel | 'none' {
	switch (point) {
		case 'hibernate_acquire': {
			return 'unlock';
		}

		case 'pm_notifier_prepare': {
			return notifiers === 'robust' ? 'restore' : 'exit';
		}

		case 'freeze_processes': {
			return 'exit';
		}

		case 'platform_begin':
		case 'freeze_kernel_threads': {
			return 'thaw';
		}

		case 'dpm_prepare': {
			return 'dpm_complete';
		}

		case 'dpm_suspend':
		case 'dpm_suspend_end': {
			return 'dpm_resume';
		}

		case 'platform_pre_snapshot': {
			return 'skip';
		}

		case 'callback': {
			return 'none';
		}
	}
}

/**
 * The steps executed after a failure at `point`, in order. A failing
 * callback skips nothing: the full thaw runs and the error is returned.
 */
export function unwindPath(point: FailurePoint, notifiers: NotifierStyle = 'robust'): StepId[] {
	const label = unwindLabelFor(point, notifiers);
	const from = label === 'none' ? stepById('callback').n + 1 : unwindLabels[label];
	return quietExecSteps.filter(s => s.n >= from).map(s => s.id);
}

/** The success path: every step, in kernel order. */
export function successPath(): StepId[] {
	return quietExecSteps.map(s => s.id);
}

/**
 * The coarse stages an operator watches (kernel.md §3.4), and which steps
 * belong to each. The monitor shows these; steps are finer truth.
 */
export const stages = [
	{id: 'freeze-user', label: 'Freeze user space', steps: ['freeze_processes']},
	{id: 'freeze-kthreads', label: 'Freeze kernel threads', steps: ['platform_begin', 'freeze_kernel_threads']},
	{id: 'prepare-devices', label: 'Prepare devices', steps: ['dpm_prepare', 'suspend_console']},
	{id: 'freeze-devices', label: 'Freeze devices', steps: ['dpm_suspend']},
	{id: 'freeze-late-noirq', label: 'Late/noirq freeze', steps: ['dpm_suspend_end']},
	{id: 'platform-prep', label: 'Platform prepare (S4)', steps: ['platform_pre_snapshot']},
	{id: 'activation', label: 'Memory quiesce + activation', steps: ['callback']},
	{id: 'thaw-devices', label: 'Thaw devices', steps: ['platform_finish', 'dpm_resume_start', 'dpm_resume', 'resume_console', 'dpm_complete']},
	{id: 'thaw-tasks', label: 'Thaw tasks', steps: ['thaw_kernel_threads', 'platform_end', 'unlock_device_hotplug', 'thaw_processes']},
] as const satisfies ReadonlyArray<{id: string; label: string; steps: readonly StepId[]}>;

export type StageId = (typeof stages)[number]['id'];

export function stageOfStep(step: StepId): StageId | undefined {
	return stages.find(stage => (stage.steps as readonly StepId[]).includes(step))?.id;
}
