/**
 * A kernel release resolved to the facts the formatters read. Which facts
 * hold for a release is decided only by the release table (releases.ts, one
 * row per behaviour change with its commit); nothing here branches on a
 * version number, so an era difference is written down exactly once.
 */
import type {NotifierStyle} from './quiet-exec.js';
import {
	changesIn,
	formatVersion,
	namedReleases,
	parseRelease,
	supportedSeries,
	UnknownReleaseError,
	type BehaviourId,
	type Version,
} from './releases.js';

export {UnknownReleaseError} from './releases.js';

/** The releases offered by name; any X.Y.Z of a supported series is accepted too. */
export const kernelIds = namedReleases;
/** A kernel release as the user names it ("6.1", "6.6.94"); see resolveKernel(). */
export type KernelId = string;

export type KernelProfile = {
	/** The release as named ("6.6.30"). */
	id: KernelId;
	version: Version;
	/** `uname -r` of the simulated host. */
	release: string;
	/** Behaviour changes (releases.ts) in force in this release. */
	changes: ReadonlySet<BehaviourId>;
	/** pr_cont freezer line "… ... (elapsed …) done." or separate lines (a449dfbfc089). */
	freezer: 'cont' | 'split';
	/** "Freezing of tasks failed after …" or "Freezing <what> failed after …" (96d4b8e1ad8a). */
	freezeFailure: 'of-tasks' | 'what';
	/** "Restarting tasks ... done." or "Restarting tasks: Starting/Done" (≈6.16). */
	restartTasks: 'dots' | 'starting-done';
	/** pr_fmt of drivers/acpi/sleep.c. */
	acpiPrefix: string;
	/** Prefix of "Saving platform NVS memory" (drivers/acpi/nvs.c). */
	nvsPrefix: string;
	/** pm_dev_err()/device_prepare() and pm_print_times lines: pr_err "PM: Device X" or dev_printk with "PM: ". */
	devPrintk: boolean;
	/** __suspend_report_result() prints through dev_err (5.19+). */
	deviceReportPrefix: boolean;
	/** pm_dev_err() info strings combine (" async noirq", ≈6.9). */
	combinedAsyncInfo: boolean;
	/** Callback symbols: %pS "pci_pm_freeze+0x0/0xe0" or %ps "pci_pm_freeze" (6.10). */
	symbolFormat: 'pS' | 'ps';
	/**
	 * dpm_show_time() lines print inside hibernate_quiet_exec() when
	 * pm_debug_messages is on — false from cdb8c100d8a4 until 1b17d4525bca.
	 */
	dpmDebugInQuietExec: boolean;
	/** sched_show_task() header layout. */
	taskHeader: 'right' | 'left' | 'tgid' | 'task-flags';
	/** x86 stack dumps bracketed by <TASK> … </TASK> (5.16+). */
	taskMarkers: boolean;
	/** Page-cache stacks show folio functions (5.16+). */
	folios: boolean;
	/** Kernel-thread stacks end in ret_from_fork_asm (6.6+). */
	retFromForkAsm: boolean;
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
	pnp_bus_freeze: '0x0/0x10',
	pnp_bus_resume: '0x0/0xa0',
	led_suspend: '0x0/0x40',
	led_resume: '0x0/0x50',
	input_dev_freeze: '0x0/0x80',
	rtc_suspend: '0x0/0x1f0',
	rtc_resume: '0x0/0x240',
};

/** Sizes as the real Debian 6.1.192 build prints them (nfit-test-6.1 trace). */
const symbols6: Record<string, string> = {
	...symbols510,
	pci_pm_freeze: '0x0/0xe0',
	pci_pm_freeze_noirq: '0x0/0xe0',
	pci_pm_thaw_noirq: '0x0/0xa0',
	pci_pm_thaw: '0x0/0xa0',
};

/** Resolve a release name to its profile; throws UnknownReleaseError. */
export function resolveKernel(id: string): KernelProfile {
	const version = parseRelease(id);
	if (!version) throw new UnknownReleaseError(id);
	const has = changesIn(version);
	const on = (change: BehaviourId) => has.has(change);
	const series = `${version[0]}.${version[1]}`;
	return {
		id: id.trim().replace(/^v/, ''),
		version,
		release: supportedSeries[series]!.uname(version),
		changes: has,
		freezer: on('freezer-no-pr-cont') ? 'split' : 'cont',
		freezeFailure: on('freezer-failure-names-what') ? 'what' : 'of-tasks',
		restartTasks: on('restart-tasks-starting-done') ? 'starting-done' : 'dots',
		acpiPrefix: on('acpi-pm-prefix') ? 'ACPI: PM: ' : 'ACPI: ',
		nvsPrefix: on('acpi-nvs-prefix') ? 'ACPI: PM: ' : 'PM: ',
		devPrintk: on('pm-dev-printk'),
		deviceReportPrefix: on('report-result-dev-err'),
		combinedAsyncInfo: on('pm-dev-err-combined-info'),
		symbolFormat: on('pm-callback-ps') ? 'ps' : 'pS',
		dpmDebugInQuietExec: !on('pm-debug-suspend-only'),
		taskHeader: on('task-header-task-flags') ? 'task-flags' : on('task-header-tgid') ? 'tgid' : on('task-header-left-aligned') ? 'left' : 'right',
		taskMarkers: on('x86-task-markers'),
		folios: on('page-cache-folios'),
		retFromForkAsm: on('ret-from-fork-asm'),
		notifiers: 'robust',
		symbolSize: version[0] >= 6 ? symbols6 : symbols510,
	};
}

/** The named releases' profiles (tests iterate over these). */
export const kernelProfiles: Record<string, KernelProfile> = Object.fromEntries(namedReleases.map(id => [id, resolveKernel(id)]));

export const defaultKernel: KernelId = '6.1';

export function isKernelId(value: string): value is KernelId {
	return parseRelease(value) !== undefined;
}

export {formatVersion};
