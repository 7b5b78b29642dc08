/**
 * Which PM callback the PM core runs for a device in each phase of the
 * hibernation freeze/thaw sequence, as the bus's dev_pm_ops name them
 * (drivers/pci/pci-driver.c, drivers/base/platform.c). A RECOVER event runs
 * the thaw callbacks (pm_op(): PM_EVENT_THAW and PM_EVENT_RECOVER share them).
 */
import type {DpmInfo, PmVerb} from './log-format.js';

export const deviceBuses = ['pci', 'platform', 'pnp'] as const;
export type DeviceBus = (typeof deviceBuses)[number];

export const pmCallbacks = ['prepare', 'freeze', 'freeze_late', 'freeze_noirq', 'thaw_noirq', 'thaw_early', 'thaw', 'complete'] as const;
export type PmCallback = (typeof pmCallbacks)[number];

const busCallbacks: Record<DeviceBus, Partial<Record<PmCallback, string>>> = {
	pci: {
		prepare: 'pci_pm_prepare',
		freeze: 'pci_pm_freeze',
		freeze_noirq: 'pci_pm_freeze_noirq',
		thaw_noirq: 'pci_pm_thaw_noirq',
		thaw: 'pci_pm_thaw',
		complete: 'pci_pm_complete',
	},
	platform: {
		freeze: 'platform_pm_freeze',
		thaw: 'platform_pm_thaw',
	},
	// drivers/pnp/driver.c pnp_bus_dev_pm_ops: .freeze = pnp_bus_freeze, .thaw = pnp_bus_resume
	// (real 6.1 trace: "rtc_cmos 00:06: PM: calling pnp_bus_freeze+0x0/0x10").
	pnp: {
		freeze: 'pnp_bus_freeze',
		thaw: 'pnp_bus_resume',
	},
};

/**
 * Does the PM core print pm_print_times lines for this callback? Only
 * callbacks run through dpm_run_callback() are timed: device_prepare() and
 * device_complete() call theirs directly (drivers/base/power/main.c), so the
 * real 6.1 log has no "calling …prepare"/"…complete" line among ~1000.
 */
export function timedCallback(callback: PmCallback): boolean {
	return callback !== 'prepare' && callback !== 'complete';
}

/** The bus-level callback symbol, if the bus has one for this phase. */
export function busCallback(bus: DeviceBus, callback: PmCallback): string | undefined {
	return busCallbacks[bus][callback];
}

/** A driver's own callback name: most drivers use SIMPLE_DEV_PM_OPS(suspend, resume). */
export function driverCallback(driver: string, callback: PmCallback): string {
	const ident = driver.replaceAll('-', '_');
	const suffix: Record<PmCallback, string> = {
		prepare: 'prepare',
		freeze: 'suspend',
		freeze_late: 'suspend_late',
		freeze_noirq: 'suspend_noirq',
		thaw_noirq: 'resume_noirq',
		thaw_early: 'resume_early',
		thaw: 'resume',
		complete: 'complete',
	};
	return `${ident}_${suffix[callback]}`;
}

/** How each phase is named in dpm_show_time() and pm_dev_err(). */
export const phaseNaming: Record<PmCallback, {info: DpmInfo; errInfo: '' | 'late' | 'noirq' | 'early'; verb: PmVerb}> = {
	prepare: {info: '', errInfo: '', verb: 'freeze'},
	freeze: {info: '', errInfo: '', verb: 'freeze'},
	freeze_late: {info: 'late', errInfo: 'late', verb: 'freeze'},
	freeze_noirq: {info: 'noirq', errInfo: 'noirq', verb: 'freeze'},
	thaw_noirq: {info: 'noirq', errInfo: 'noirq', verb: 'thaw'},
	thaw_early: {info: 'early', errInfo: 'early', verb: 'thaw'},
	thaw: {info: '', errInfo: '', verb: 'thaw'},
	complete: {info: '', errInfo: '', verb: 'thaw'},
};
