/**
 * Every failure message of kernel/pm-failures.ts and the device-PM lines of
 * recognise.ts, one line each, with what the kernel says about it: the errno
 * it prints or returns, which kind of cycle prints it, and where in the cycle
 * (the function named beside each line). Lines are quoted from
 * fixtures/traces (from-source/ and the real captures) or, where no trace has
 * one, from the format string in the kernel source.
 */
import {describe, expect, it} from 'vitest';
import {recogniseFailure} from '../source/kernel/pm-failures.js';
import {categoryOf, isFailureSignal, recognise, type Signal} from '../source/kernel/recognise.js';

type Want = {id: string; errno?: number; stage?: string; kind?: 'suspend' | 'hibernate'; whole?: true; device?: string; text?: RegExp};

const cases: Array<[line: string, want: Want]> = [
	// kernel/power/suspend.c enter_state() → -EAGAIN (pmtest-3.x and pmtest-6.1 from-source logs).
	['PM: Unsupported test mode for freeze state,please choose none/freezer/devices/platform.', {id: 'unsupported-test-mode', errno: -11, kind: 'suspend', whole: true}],
	['PM: Unsupported test mode for suspend to idle, please choose none/freezer/devices/platform.', {id: 'unsupported-test-mode', errno: -11, kind: 'suspend', whole: true}],
	// suspend.c suspend_devices_and_enter() (real 17-…6.17 and 2.6.32 wording).
	['PM: Some devices failed to suspend, or early wake event detected', {id: 'devices-failed-to-suspend', stage: 'freeze-devices', kind: 'suspend'}],
	['PM: Some devices failed to suspend', {id: 'devices-failed-to-suspend', stage: 'freeze-devices', kind: 'suspend'}],
	// suspend.c suspend_enter(): pr_err("noirq suspend of devices failed") (dev-6.10 from-source log).
	['PM: noirq suspend of devices failed', {id: 'late-noirq-suspend-failed', stage: 'freeze-late-noirq', kind: 'suspend', text: /^noirq suspend of devices failed$/}],
	['PM: late suspend of devices failed', {id: 'late-noirq-suspend-failed', stage: 'freeze-late-noirq', kind: 'suspend', text: /^late suspend of devices failed$/}],
	// kernel/power/hibernate.c create_image() (3.x and 6.1 wording) and resume_target_kernel().
	['PM: Some devices failed to power down, aborting hibernation', {id: 'devices-failed-to-power-down', stage: 'freeze-late-noirq', kind: 'hibernate'}],
	['PM: hibernation: Some devices failed to power down, aborting', {id: 'devices-failed-to-power-down', stage: 'freeze-late-noirq', kind: 'hibernate'}],
	['PM: Some devices failed to power down, aborting resume', {id: 'devices-failed-to-power-down', stage: 'restore', kind: 'hibernate', text: /restore aborted/}],
	['PM: hibernation: Some system devices failed to power down, aborting', {id: 'system-devices-failed', stage: 'platform-prep', kind: 'hibernate'}],
	// create_image(): "PM: Error %d creating hibernation image" (≤5.7), "PM: hibernation: Error %d creating image" (≥5.8).
	['PM: Error -14 creating hibernation image', {id: 'error-creating-image', errno: -14, stage: 'activation', kind: 'hibernate'}],
	['PM: hibernation: Error -12 creating image', {id: 'error-creating-image', errno: -12, stage: 'activation', kind: 'hibernate'}],
	// kernel/power/snapshot.c swsusp_save() → -ENOMEM.
	['PM: Not enough free memory', {id: 'not-enough-memory', errno: -12, stage: 'activation', kind: 'hibernate'}],
	['PM: hibernation: Memory allocation failed', {id: 'memory-allocation-failed', errno: -12, stage: 'activation', kind: 'hibernate'}],
	// kernel/power/swap.c get_swap_writer(), swsusp_write() (→ -ENOSPC for free swap).
	['PM: Cannot find swap device, try swapon -a.', {id: 'no-swap-device', stage: 'activation', kind: 'hibernate'}],
	['PM: Cannot get swap writer', {id: 'no-swap-writer', stage: 'activation', kind: 'hibernate'}],
	['PM: Not enough free swap', {id: 'not-enough-swap', errno: -28, stage: 'activation', kind: 'hibernate'}],
	// swap.c swsusp_check(): at boot, the whole attempt (hib-2.6 and hib-6.6 from-source logs).
	['PM: Image not found (code -22)', {id: 'image-not-found', errno: -22, stage: 'restore', kind: 'hibernate', whole: true, text: /^no hibernation image on the resume device/}],
	['PM: Image not found (code -16)', {id: 'image-not-found', errno: -16, stage: 'restore', kind: 'hibernate', whole: true, text: /could not be opened/}],
	// swap.c swsusp_read(); hibernate.c load_image_and_restore(), software_resume().
	['PM: Error -5 resuming', {id: 'error-resuming', errno: -5, stage: 'restore', kind: 'hibernate'}],
	['PM: Failed to load hibernation image, recovering.', {id: 'failed-to-load-image', stage: 'restore', kind: 'hibernate'}],
	['PM: hibernation: Failed to load image, recovering.', {id: 'failed-to-load-image', stage: 'restore', kind: 'hibernate'}],
	['PM: hibernation: resume failed (-1)', {id: 'resume-failed', errno: -1, stage: 'restore', kind: 'hibernate'}],
	// snapshot.c check_header(): pr_err("Image mismatch: %s\n", reason).
	['PM: hibernation: Image mismatch: architecture specific data', {id: 'image-mismatch', stage: 'restore', kind: 'hibernate', text: /: architecture specific data$/}],
	// hibernate.c power_down().
	['PM: Please power down manually', {id: 'power-down-manually', stage: 'activation', kind: 'hibernate'}],
	['PM: hibernation: Swap will be unusable! Try swapon -a.', {id: 'swap-unusable', kind: 'hibernate'}],
	// drivers/base/power/wakeup.c pm_wakeup_pending() → -EBUSY from suspend_enter(): either kind of cycle.
	['PM: Wakeup pending, aborting suspend', {id: 'wakeup-pending', errno: -16, stage: 'activation'}],
	// drivers/base/power/main.c dpm_watchdog_handler(): dev_emerg, no "PM: " (the device is the dev_printk prefix).
	['nvme 0000:01:00.0: **** DPM device timeout ****', {id: 'dpm-watchdog', device: 'nvme 0000:01:00.0'}],
	['nvme 0000:01:00.0: **** DPM device timeout after 120 seconds; 60 seconds until panic ****', {id: 'dpm-watchdog', device: 'nvme 0000:01:00.0'}],
];

describe('failure messages (kernel/pm-failures.ts)', () => {
	it.each(cases)('%s', (line, want) => {
		const failure = recogniseFailure(line);
		expect(failure).toBeDefined();
		const {text, ...fields} = want;
		expect(failure).toEqual({...fields, text: expect.any(String)});
		expect(failure!.text.length).toBeGreaterThan(10);
		if (text) expect(failure!.text).toMatch(text);
		// The same line through recognise() is a failure signal, which the log pane marks.
		const signal = recognise(line);
		expect(signal).toEqual({type: 'failure', failure});
		expect(isFailureSignal(signal!)).toBe(true);
		expect(categoryOf(line)).toBe('pm');
	});

	it('no failure in the lines around them', () => {
		for (const line of [
			'PM: suspend entry (deep)',
			'PM: hibernation: hibernation entry',
			'PM: noirq suspend of devices complete after 21.660 msecs',
			'PM: Image saving progress:  10%',
			'PM: Using 3 thread(s) for compression',
			'PM: Image not found',
			'PM: Error creating image',
			'mpt3sas 0000:02:00.0: DPM device timeout handled',
			'kernel: PM: Cannot get swap writer', // not a message: the prefix was not removed
		]) expect(recogniseFailure(line), line).toBeUndefined();
	});
});

describe('device PM lines and the failure marks of the log pane', () => {
	const signals: Array<[line: string, signal: Signal, failure: boolean]> = [
		// from-source dev-6.1 / dev-3.13 / dev-2.6.32 / dev-6.12.
		['xhci_hcd 0000:00:14.0: PM: dpm_run_callback(): pci_pm_suspend+0x0/0x1c0 returns -16', {type: 'callback-error', device: 'xhci_hcd 0000:00:14.0', caller: 'dpm_run_callback', callee: 'pci_pm_suspend+0x0/0x1c0', errno: -16}, true],
		['PM: dpm_run_callback(): pci_pm_freeze+0x0/0xc0 returns -16', {type: 'callback-error', device: undefined, caller: 'dpm_run_callback', callee: 'pci_pm_freeze+0x0/0xc0', errno: -16}, true],
		['pci_pm_suspend(): hcd_pci_suspend+0x0/0x30 returns -16', {type: 'callback-error', caller: 'pci_pm_suspend', callee: 'hcd_pci_suspend+0x0/0x30', errno: -16}, true],
		['pm_op(): usb_dev_suspend+0x0/0x20 returns -16', {type: 'callback-error', caller: 'pm_op', callee: 'usb_dev_suspend+0x0/0x20', errno: -16}, true],
		['nvidia 0000:01:00.0: PM: pci_pm_resume(): nv_pmops_resume [nvidia] returns -5', {type: 'callback-error', device: 'nvidia 0000:01:00.0', caller: 'pci_pm_resume', callee: 'nv_pmops_resume [nvidia]', errno: -5}, true],
		['i8042 kbd 00:00: PM: failed to suspend async noirq: error -110', {type: 'device-failed', device: 'i8042 kbd 00:00', verb: 'suspend', info: 'async noirq', errno: -110}, true],
		['PM: Device 0000:3b:00.0 failed to freeze async: error -16', {type: 'device-failed', device: '0000:3b:00.0', verb: 'freeze', info: 'async', errno: -16}, true],
		['PM: Device usb2 failed to suspend: error -16', {type: 'device-failed', device: 'usb2', verb: 'suspend', info: '', errno: -16}, true],
		['PM: Device 3-1 not prepared for power transition: code -16', {type: 'device-not-prepared', device: '3-1', errno: -16}, true],
		['arm-smmu 3da0000.kgsl-smmu: PM: not prepared for power transition: code -115', {type: 'device-not-prepared', device: 'arm-smmu 3da0000.kgsl-smmu', errno: -115}, true],
		// Real 17-…6.17.
		['Freezing user space processes failed after 20.001 seconds (1 tasks refusing to freeze, wq_busy=0):', {type: 'freeze-failed', what: 'user', aborted: false, elapsedMs: 20_001, refusing: 1, precisionUs: 1000}, true],
		// 05-…3.0: two decimals (10 ms precision).
		['Freezing of tasks failed after 20.01 seconds (1 tasks refusing to freeze, wq_busy=0):', {type: 'freeze-failed', what: 'unknown', aborted: false, elapsedMs: 20_010, refusing: 1, precisionUs: 10_000}, true],
		['Freezing remaining freezable tasks aborted after 0.004 seconds (2 tasks refusing to freeze, wq_busy=0):', {type: 'freeze-failed', what: 'kernel', aborted: true, elapsedMs: 4, refusing: 2, precisionUs: 1000}, true],
		// drivers/acpi/acpica/utxferror.c: errors mark, warnings do not.
		['ACPI Error: Aborting method \\_SB.PCI0.LPCB.EC0._Q66 due to previous error (AE_NOT_FOUND) (20200925/psparse-529)', {type: 'acpi-error', severity: 'error', text: 'ACPI Error: Aborting method \\_SB.PCI0.LPCB.EC0._Q66 due to previous error (AE_NOT_FOUND) (20200925/psparse-529)'}, true],
		['ACPI Warning: \\_SB.PCI0.GFX0._DSM: Argument #4 type mismatch - Found [Buffer], ACPI requires [Package] (20200925/nsarguments-61)', {type: 'acpi-error', severity: 'warning', text: 'ACPI Warning: \\_SB.PCI0.GFX0._DSM: Argument #4 type mismatch - Found [Buffer], ACPI requires [Package] (20200925/nsarguments-61)'}, false],
		// kernel/panic.c __warn() (from-source s3-6.6).
		['WARNING: CPU: 3 PID: 1972 at drivers/gpu/drm/i915/display/intel_display_power.c:1248 hsw_enable_pc8+0x5f/0x70 [i915]', {type: 'kernel-bug', what: 'warning', text: 'WARNING: CPU: 3 PID: 1972 at drivers/gpu/drm/i915/display/intel_display_power.c:1248 hsw_enable_pc8+0x5f/0x70 [i915]'}, true],
		['pcieport 0000:00:1c.0: AER: Uncorrected (Non-Fatal) error received: 0000:3b:00.0', {type: 'aer'}, true],
		// Not failures.
		['PM: suspend entry (deep)', {type: 'cycle-start', kind: 'suspend', detail: 'deep', exit: true}, false],
		['PM: freeze of devices complete after 15.186 msecs', {type: 'dpm-phase', info: '', verb: 'freeze', aborted: false, usecs: 15_186}, false],
		['PM: late freeze of devices aborted after 0.7 msecs', {type: 'dpm-phase', info: 'late', verb: 'freeze', aborted: true, usecs: 700}, false],
		['OOM killer enabled.', {type: 'oom-killer', enabled: true}, false],
		['Restarting tasks: Done', {type: 'restart', what: 'tasks', stage: 'done'}, false],
		['Restarting kernel threads ... done.', {type: 'restart', what: 'kernel', stage: 'done'}, false],
		['Restarting tasks ... ', {type: 'restart', what: 'tasks', stage: 'start'}, false],
	];

	it.each(signals)('%s', (line, signal, failure) => {
		expect(recognise(line)).toEqual(signal);
		expect(isFailureSignal(signal)).toBe(failure);
	});

	it('categories: freezer, device PM, ACPI sleep, NVDIMM, PCIe — and nothing for other lines', () => {
		expect(categoryOf('OOM killer disabled.')).toBe('freezer');
		expect(categoryOf('PM: Device usb2 failed to suspend: error -16')).toBe('device-pm');
		expect(categoryOf('ACPI: PM: Preparing to enter system sleep state S4')).toBe('acpi-sleep');
		expect(categoryOf('nfit ACPI0012:00: result: 0')).toBe('nvdimm');
		expect(categoryOf('pcieport 0000:00:1c.0: AER: Uncorrected (Non-Fatal) error received: 0000:3b:00.0')).toBe('pcie');
		expect(categoryOf('wlp0s20f3: deauthenticating from a4:22:49:b2:cb:a6 by local choice (Reason: 3=DEAUTH_LEAVING)')).toBeUndefined();
		expect(categoryOf('random: crng reseeded on system resumption')).toBeUndefined();
	});
});
