/**
 * Kernel eras that print the quiesce path differently (kernel.md version map,
 * §4). Each profile is a set of facts about one kernel line; formatters in
 * log-format.ts read them, so an era difference is written down exactly once.
 */
import type {NotifierStyle} from './quiet-exec.js';

export const kernelIds = ['5.10', '6.6', '6.17'] as const;
export type KernelId = (typeof kernelIds)[number];

export type KernelProfile = {
	id: KernelId;
	/** `uname -r` of the simulated host. */
	release: string;
	/** ≤6.1: one pr_cont line "… (elapsed …) done."; 6.2+: separate lines. */
	freezer: 'cont' | 'split';
	/** Before 6.2 the failure path printed `pr_err("\n")` first: an empty record. */
	freezeFailureBlankLine: boolean;
	/** ≈6.16+: "Restarting tasks: Starting" / "Restarting tasks: Done". */
	restartTasks: 'dots' | 'starting-done';
	/** pr_fmt of drivers/acpi/sleep.c: "ACPI: " until ≈5.12, then "ACPI: PM: ". */
	acpiPrefix: string;
	/** ≈5.18+: suspend_report_result() lines carry the device prefix. */
	deviceReportPrefix: boolean;
	/** 6.x: pm_dev_err() info strings combine (" async late"). */
	combinedAsyncInfo: boolean;
	/** ≤5.x: "PM: Device X not prepared …"; 6.x: dev_info "<drv> <dev>: PM: not prepared …". */
	notPreparedStyle: 'pr_info' | 'dev_info';
	/** sched_show_task() header layout. */
	taskHeader: 'v5.10' | 'v6.6' | 'v6.17';
	/** x86 stack dumps bracketed by <TASK> … </TASK> (5.16+). */
	taskMarkers: boolean;
	notifiers: NotifierStyle;
	/** Symbol sizes printed by %pS differ between builds; these are typical. */
	symbolSize: Record<string, string>;
};

const symbols510: Record<string, string> = {
	pci_pm_prepare: '0x0/0x60',
	pci_pm_freeze: '0x0/0xc0',
	pci_pm_freeze_noirq: '0x0/0x120',
	pci_pm_thaw_noirq: '0x0/0x80',
	pci_pm_thaw: '0x0/0x90',
	pci_pm_complete: '0x0/0x80',
	platform_pm_freeze: '0x0/0x50',
	platform_pm_thaw: '0x0/0x40',
	pm_generic_freeze_late: '0x0/0x30',
	pm_generic_thaw_early: '0x0/0x30',
};

const symbols6: Record<string, string> = {
	...symbols510,
	pci_pm_freeze: '0x0/0xe0',
	pci_pm_freeze_noirq: '0x0/0x130',
	pci_pm_thaw: '0x0/0xa0',
};

export const kernelProfiles: Record<KernelId, KernelProfile> = {
	'5.10': {
		id: '5.10',
		release: '5.10.0-28-amd64',
		freezer: 'cont',
		freezeFailureBlankLine: true,
		restartTasks: 'dots',
		acpiPrefix: 'ACPI: ',
		deviceReportPrefix: false,
		combinedAsyncInfo: false,
		notPreparedStyle: 'pr_info',
		taskHeader: 'v5.10',
		taskMarkers: false,
		notifiers: 'robust',
		symbolSize: symbols510,
	},
	'6.6': {
		id: '6.6',
		release: '6.6.0-24-amd64',
		freezer: 'split',
		freezeFailureBlankLine: false,
		restartTasks: 'dots',
		acpiPrefix: 'ACPI: PM: ',
		deviceReportPrefix: true,
		combinedAsyncInfo: true,
		notPreparedStyle: 'dev_info',
		taskHeader: 'v6.6',
		taskMarkers: true,
		notifiers: 'robust',
		symbolSize: symbols6,
	},
	'6.17': {
		id: '6.17',
		release: '6.17.0-1-amd64',
		freezer: 'split',
		freezeFailureBlankLine: false,
		restartTasks: 'starting-done',
		acpiPrefix: 'ACPI: PM: ',
		deviceReportPrefix: true,
		combinedAsyncInfo: true,
		notPreparedStyle: 'dev_info',
		taskHeader: 'v6.17',
		taskMarkers: true,
		notifiers: 'robust',
		symbolSize: symbols6,
	},
};

export const defaultKernel: KernelId = '6.6';

export function isKernelId(value: string): value is KernelId {
	return (kernelIds as readonly string[]).includes(value);
}
