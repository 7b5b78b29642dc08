/**
 * recognise(): the signal of each line the other tests only reached through a
 * replay (or not at all), checked field by field — the mutation run showed
 * that a rule could lose its type, its stage or its direction unnoticed.
 * Lines are real (fixtures/traces, file named) or the kernel's format string
 * (source file and function named beside it).
 */
import {describe, expect, it} from 'vitest';
import {firstCharOf, isFailureSignal, recognise, type Signal} from '../source/kernel/recognise.js';

const cases: Array<[line: string, signal: Signal]> = [
	// Freezer. 2.6.2x kernel/power/process.c freeze_processes(): printk("Freezing user space processes ... ")
	// then printk("done.\n"), before try_to_freeze_tasks() printed "(elapsed …)".
	['Freezing user space processes ... done.', {type: 'freeze-done', what: 'user'}],
	['Freezing remaining freezable tasks ... done.', {type: 'freeze-done', what: 'kernel'}],
	// 2.6.3x–6.1 pr_cont form: kernel/power/process.c try_to_freeze_tasks() "(elapsed %d.%03d seconds) " then "done.".
	['Freezing user space processes ... (elapsed 0.002 seconds) done.', {type: 'freeze-done', what: 'user', elapsedMs: 2, precisionUs: 1000, combined: true}],
	// fixtures/traces/05 (3.0 kern.log): "%d.%02d" and the "Freezing of tasks" wording.
	['Freezing of tasks failed after 20.01 seconds (1 tasks refusing to freeze, wq_busy=0):', {type: 'freeze-failed', what: 'unknown', aborted: false, elapsedMs: 20_010, refusing: 1, precisionUs: 10_000}],
	// try_to_freeze_tasks(): "\nFreezing of tasks %s after %d.%03d seconds (%d tasks refusing to freeze, wq_busy=%d):\n",
	// wakeup ? "aborted" : "failed".
	['Freezing of tasks aborted after 0.003 seconds (2 tasks refusing to freeze, wq_busy=0):', {type: 'freeze-failed', what: 'unknown', aborted: true, elapsedMs: 3, refusing: 2, precisionUs: 1000}],
	// A cut-short "Freezing of tasks" line is still freezer chatter; fixtures/traces/07 (4.x Ubuntu) prints the OOM double check.
	['Freezing of tasks', {type: 'pm-other'}],
	['Double checking all user space processes after OOM killer disable... (elapsed 0.000 seconds)', {type: 'pm-other'}],
	// fixtures/traces/17 (6.17 journal): kernel/power/process.c thaw_processes().
	['Restarting tasks: Starting', {type: 'restart', what: 'tasks', stage: 'start'}],
	['Restarting tasks: Done', {type: 'restart', what: 'tasks', stage: 'done'}],
	// kernel/power/process.c thaw_kernel_threads(): pr_info("Done restarting kernel threads.\n") (2025 tree, kernel.md §5).
	['Done restarting kernel threads.', {type: 'restart', what: 'kernel', stage: 'done'}],
	// pm_test waits: fixtures/traces/qemu-6.1 (pm_test=freezer) and kernel/power/suspend.c suspend_test()
	// pr_info("suspend debug: Waiting for %d second(s).\n", pm_test_delay) with pr_fmt "PM: ".
	['PM: hibernation: debug: Waiting for 5 seconds.', {type: 'pm-test-wait', kind: 'hibernate', seconds: 5}],
	['PM: suspend debug: Waiting for 5 second(s).', {type: 'pm-test-wait', kind: 'suspend', seconds: 5}],
	// kernel/power/suspend.c s2idle_enter(): pm_pr_dbg("suspend-to-idle\n"), pm_pr_dbg("resume from suspend-to-idle\n").
	['PM: suspend-to-idle', {type: 's2idle', direction: 'enter'}],
	['PM: resume from suspend-to-idle', {type: 's2idle', direction: 'exit'}],
	// Hibernation image: fixtures/traces/01 (3.17 qemu) "PM: writing image." and "PM: Compressing and saving image data (26783 pages)...";
	// kernel/power/swap.c save_image_lzo() pr_info("Image saving done\n"); kernel/power/hibernate.c swsusp_show_speed()
	// "%s %u kbytes in %u.%02u seconds (%u.%02u MB/s)\n" with msg "Wrote"; kernel/reboot.c kernel_power_off()
	// pr_emerg("Power down\n") with pr_fmt "reboot: ".
	['PM: writing image.', {type: 'image-saved', stage: 'writing'}],
	['PM: Compressing and saving image data (26783 pages)...', {type: 'image-saved', stage: 'writing'}],
	['PM: Image saving done', {type: 'image-saved', stage: 'done'}],
	['PM: hibernation: Wrote 107132 kbytes in 0.94 seconds (113.97 MB/s)', {type: 'image-saved', stage: 'done'}],
	['reboot: Power down', {type: 'image-saved', stage: 'power-off'}],
	// fixtures/traces/09 (5.9 arm64): kernel/power/main.c ksys_sync_helper().
	['Filesystems sync: 0.000 seconds', {type: 'fs-sync', done: true}],
	// fixtures/traces/nfit-test-6.1 (06-results-errors): drivers/acpi/sleep.c, suspend_nvs_save().
	['ACPI: PM: Saving platform NVS memory', {type: 'acpi-pm-other'}],
	// Kernel bug reports: kernel/sched/core.c __schedule_bug() "BUG: scheduling while atomic: %s/%d/0x%08x\n";
	// kernel/panic.c panic() "Kernel panic - not syncing: %s\n".
	['BUG: scheduling while atomic: swapper/0/0/0x00000002', {type: 'kernel-bug', what: 'bug', text: 'BUG: scheduling while atomic: swapper/0/0/0x00000002'}],
	['Kernel panic - not syncing: Fatal exception', {type: 'kernel-bug', what: 'panic', text: 'Kernel panic - not syncing: Fatal exception'}],
	// fixtures/traces/01 (3.17 qemu): kernel/cpu.c freeze_secondary_cpus()/thaw_secondary_cpus().
	['Disabling non-boot CPUs ...', {type: 'cpus', direction: 'down'}],
	['Enabling non-boot CPUs ...', {type: 'cpus', direction: 'up'}],
	// fixtures/traces/40 (5.7 memmap pmem): block/genhd.c set_capacity_and_notify() on a pmem disk ("pmem0: " prefix, no driver).
	['pmem0: detected capacity change from 0 to 4294967296', {type: 'nvdimm', device: 'pmem0', text: 'detected capacity change from 0 to 4294967296'}],
	// drivers/pci/pcie/aer.c __aer_print_error(): pci_printk(level, dev, "   [%2d] %-22s%s\n", i, errmsg, …) — "CmpltTO".
	['pcieport 0000:00:1c.0:    [14] CmpltTO                (First)', {type: 'aer-completion-timeout', device: 'pcieport 0000:00:1c.0'}],
	// Any other "PM: " line that is no failure: fixtures/traces/07 (4.x) "PM: Suspending system (mem)".
	['PM: Suspending system (mem)', {type: 'pm-other'}],
	// dpm_show_time() prints "%ld.%03ld": three decimals; a longer fraction (a garbled copy) is cut to µs, never scaled up.
	['PM: suspend of devices complete after 1.2345 msecs', {type: 'dpm-phase', info: '', verb: 'suspend', aborted: false, usecs: 1234}],
];

describe('recognise: one signal per line, every field', () => {
	it.each(cases)('%s', (line, signal) => {
		expect(recognise(line)).toEqual(signal);
	});
});

describe('isFailureSignal', () => {
	// The kernel's own failure lines, each through recognise(): drivers/base/power/main.c, kernel/power/suspend.c.
	it.each([
		// suspend.c suspend_devices_and_enter() pr_err("Some devices failed to suspend, or early wake event detected\n").
		['PM: Some devices failed to suspend, or early wake event detected', true],
		['pcieport 0000:00:1c.0:    [14] CmpltTO                (First)', true],
		['BUG: scheduling while atomic: swapper/0/0/0x00000002', true],
		['Kernel panic - not syncing: Fatal exception', true],
		['Restarting tasks: Done', false],
		['PM: suspend-to-idle', false],
	])('%s → %s', (line, failure) => {
		expect(isFailureSignal(recognise(line)!)).toBe(failure);
	});

	it('the failures no message maps to one by one', () => {
		expect(isFailureSignal({type: 'devices-failed'})).toBe(true);
		expect(isFailureSignal({type: 'cycle-error', errno: -16, text: 'Error -16 creating image'})).toBe(true);
		expect(isFailureSignal({type: 'aer-completion-timeout', device: 'pcieport 0000:00:1c.0'})).toBe(true);
		expect(isFailureSignal({type: 'acpi-error', severity: 'warning', text: 'ACPI Warning: x'})).toBe(false);
		expect(isFailureSignal({type: 'acpi-error', severity: 'error', text: 'ACPI Error: x'})).toBe(true);
	});
});

describe('firstCharOf: only a top-level alternative or a quantifier hides the first character', () => {
	it('an escaped character, a class or a group may hold "|" without hiding it', () => {
		expect(firstCharOf(/^P\|M/)).toBe('P');
		expect(firstCharOf(/^P[|]M/)).toBe('P');
		expect(firstCharOf(/^P[a|]M/)).toBe('P');
		expect(firstCharOf(/^P[(]M|x/)).toBeUndefined();
		expect(firstCharOf(/^P[)]M|x/)).toBeUndefined();
		expect(firstCharOf(/^P(?:a|b)c/)).toBe('P');
		expect(firstCharOf(/^P(?:a)|x/)).toBeUndefined();
		expect(firstCharOf(/^P\(|x/)).toBeUndefined();
		expect(firstCharOf(/^P\)x|y/)).toBeUndefined();
	});

	it('the pattern must begin with "^"', () => {
		expect(firstCharOf(/(?:^P)M/)).toBeUndefined();
		expect(firstCharOf(/PM/)).toBeUndefined();
	});
});
