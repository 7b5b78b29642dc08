/**
 * The small kernel/ helpers, each against the kernel fact it encodes: errno
 * numbers from include/uapi/asm-generic/errno*.h and include/linux/errno.h,
 * x86_64 syscall numbers from arch/x86/entry/syscalls/syscall_64.tbl,
 * sched_show_task() headers from kernel/sched/core.c of each era, the DSM
 * result mapping of drivers/acpi/nfit/intel.c, and real lines from
 * fixtures/traces. Expected values are written here, never computed by the
 * code under test (the mutation run showed these were only reached through
 * the simulator, where a wrong value went unnoticed).
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {errnoByCode, errnoCode, errnos, isErrnoName} from '../source/kernel/errno.js';
import {errnoName} from '../source/kernel/errno-names.js';
import * as fmt from '../source/kernel/log-format.js';
import {busCallback, driverCallback, timedCallback} from '../source/kernel/pm-callbacks.js';
import {resolveKernel} from '../source/kernel/profiles.js';
import {stuckTaskStack, syscallOf, userRegisters} from '../source/kernel/stacks.js';
import {capabilityHasFiles, dsmResultToSysfs, formatNoidle, parseFirmwarePath} from '../source/kernel/sysfs.js';
import {fixturesDir} from '../source/paths.js';

const trace = (file: string) => readFileSync(path.join(fixturesDir('traces'), file), 'utf8');
/** The message of a dmesg/journal line: stamp and "kernel: " removed, nothing else. */
const message = (line: string) => line.replace(/^\[\s*\d+\.\d+\] (?:kernel: )?/, '');

describe('errno numbers (include/uapi/asm-generic/errno-base.h, errno.h; include/linux/errno.h)', () => {
	it('names a number of either sign, and nothing for 0 or an unknown one', () => {
		expect(errnoByCode(-16)).toBe('EBUSY');
		expect(errnoByCode(16)).toBe('EBUSY');
		expect(errnoByCode(-6)).toBe('ENXIO');
		expect(errnoByCode(-95)).toBe('EOPNOTSUPP');
		expect(errnoByCode(-524)).toBe('ENOTSUPP');
		expect(errnoByCode(0)).toBeUndefined();
		expect(errnoByCode(-1)).toBeUndefined();
		expect(errnoByCode(-9999)).toBeUndefined();
	});

	it('gives the number of a name', () => {
		expect(errnoCode('ENOENT')).toBe(2);
		expect(errnoCode('EIO')).toBe(5);
		expect(errnoCode('ENXIO')).toBe(6);
		expect(errnoCode('EAGAIN')).toBe(11);
		expect(errnoCode('EBUSY')).toBe(16);
		expect(errnoCode('EINVAL')).toBe(22);
		expect(errnoCode('ETIMEDOUT')).toBe(110);
		expect(errnos.ENXIO.message).toBe('No such device or address');
	});

	it('tells its own names from other strings (also inherited properties)', () => {
		expect(isErrnoName('EBUSY')).toBe(true);
		expect(isErrnoName('ENOTSUPP')).toBe(true);
		expect(isErrnoName('EPERM')).toBe(false);
		expect(isErrnoName('ebusy')).toBe(false);
		expect(isErrnoName('toString')).toBe(false);
		expect(isErrnoName('')).toBe(false);
	});

	it('names any number a log line prints, kernel-internal ones included', () => {
		expect(errnoName(-16)).toBe('EBUSY');
		expect(errnoName(16)).toBe('EBUSY');
		expect(errnoName(-110)).toBe('ETIMEDOUT');
		expect(errnoName(-5)).toBe('EIO');
		expect(errnoName(-512)).toBe('ERESTARTSYS');
		expect(errnoName(-517)).toBe('EPROBE_DEFER');
		expect(errnoName(-524)).toBe('ENOTSUPP');
		expect(errnoName(0)).toBeUndefined();
		expect(errnoName(-41)).toBeUndefined(); // 41 is unused (EWOULDBLOCK is EAGAIN)
		expect(errnoName(-520)).toBeUndefined(); // a hole in include/linux/errno.h
	});
});

describe('PM callbacks of each bus (drivers/pci/pci-driver.c, drivers/base/platform.c, drivers/pnp/driver.c)', () => {
	it('only callbacks run through dpm_run_callback() are timed: prepare and complete are not', () => {
		expect(timedCallback('prepare')).toBe(false);
		expect(timedCallback('complete')).toBe(false);
		for (const cb of ['freeze', 'freeze_late', 'freeze_noirq', 'thaw_noirq', 'thaw_early', 'thaw'] as const) expect(timedCallback(cb), cb).toBe(true);
	});

	it('names the bus callback of a phase, or none when the bus has none', () => {
		expect(busCallback('pci', 'freeze')).toBe('pci_pm_freeze');
		expect(busCallback('pci', 'freeze_noirq')).toBe('pci_pm_freeze_noirq');
		expect(busCallback('pci', 'thaw_noirq')).toBe('pci_pm_thaw_noirq');
		expect(busCallback('pci', 'freeze_late')).toBeUndefined();
		expect(busCallback('platform', 'thaw')).toBe('platform_pm_thaw');
		expect(busCallback('platform', 'freeze_noirq')).toBeUndefined();
		// Real 6.1 trace: "i8042 aux 00:01: PM: calling pnp_bus_resume+0x0/0xa0 @ 278" in the thaw.
		expect(busCallback('pnp', 'thaw')).toBe('pnp_bus_resume');
		expect(busCallback('pnp', 'freeze')).toBe('pnp_bus_freeze');
	});

	it("a driver's own SIMPLE_DEV_PM_OPS symbols are C identifiers (no '-')", () => {
		expect(driverCallback('e1000e', 'freeze')).toBe('e1000e_suspend');
		expect(driverCallback('snd-hda-intel', 'thaw')).toBe('snd_hda_intel_resume');
		expect(driverCallback('a-b-c', 'freeze_noirq')).toBe('a_b_c_suspend_noirq');
		expect(driverCallback('mlx5', 'thaw_early')).toBe('mlx5_resume_early');
	});
});

describe('stuck tasks as sched_show_task() dumps them', () => {
	it('ORIG_RAX is the x86_64 number of the syscall the stack entered through (syscall_64.tbl)', () => {
		expect(syscallOf(['vfs_read+0x1a4/0x340', 'ksys_read+0x63/0xe0'])).toBe(0);
		expect(syscallOf(['vfs_write+0xb9/0x3a0', 'ksys_write+0x63/0xe0'])).toBe(1);
		expect(syscallOf(['vfs_write+0xb9/0x3a0'])).toBe(1);
		// The real 6.17 trace: btrfs_ioctl … __x64_sys_ioctl, "ORIG_RAX: 0000000000000010".
		const frames = trace('17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log').split('\n').map(message).filter(l => /^ \S/.test(l) && !l.includes('TASK>'));
		expect(syscallOf(frames)).toBe(0x10);
		expect(syscallOf(['ksys_pread64+0x7a/0xa0', 'vfs_read+0x1a4/0x340'])).toBe(17);
		expect(syscallOf(['ksys_pwrite64+0x7a/0xa0', 'vfs_write+0xb9/0x3a0'])).toBe(18);
	});

	it('user registers have the layout and constants of the real 6.17 dump (__show_regs())', () => {
		const real = trace('17-s3-6.17rc5-journalctl-monotonic-btrfs-freeze-failure.log').split('\n').map(message).filter(l => /^(?:RIP|RSP|RAX|RDX|RBP|R10|R13): /.test(l));
		const regs = userRegisters(3, 0x10);
		expect(regs).toHaveLength(real.length);
		// Same register names in the same places; every value 16 hex digits but the RIP.
		const layout = (l: string) => l.replace(/\b[\da-f]{16}\b/g, 'X').replace(/0x[\da-f]+/, 'RIP');
		expect(regs.map(layout)).toEqual(real.map(layout));
		// Fixed by the entry code: user CS/SS, IF set in EFLAGS, RAX = -ENOSYS, the syscall number.
		expect(regs[1]).toMatch(/^RSP: 002b:[\da-f]{16} EFLAGS: 00000246 ORIG_RAX: 0000000000000010$/);
		expect(regs[2]).toMatch(/^RAX: ffffffffffffffda /);
		expect(regs[0]).toMatch(/^RIP: 0033:0x7f4a[\da-f]{8}$/);
		expect(userRegisters(1)[1]).toMatch(/ORIG_RAX: 0{16}$/);
		// RCX holds the user RIP (syscall saves it there).
		expect(regs[2]!.slice(-12)).toBe(regs[0]!.slice(-12));
		expect(userRegisters(4)).not.toEqual(userRegisters(5));
	});

	it('a kernel thread shows no syscall frames; 6.6+ ends in ret_from_fork_asm', () => {
		const k510 = stuckTaskStack(resolveKernel('5.10'), 'kernel');
		const k617 = stuckTaskStack(resolveKernel('6.17'), 'kernel');
		for (const stack of [k510, k617]) expect(stack.some(f => /syscall|SYSCALL/.test(f))).toBe(false);
		expect(k510.at(-1)).toMatch(/^ret_from_fork\+/);
		expect(k617.at(-1)).toMatch(/^ret_from_fork_asm\+/);
		expect(stuckTaskStack(resolveKernel('6.17'), 'user').at(-1)).toMatch(/^entry_SYSCALL_64_after_hwframe\+/);
		expect(stuckTaskStack(resolveKernel('6.17'), 'user').some(f => f.startsWith('folio_wait_bit_common'))).toBe(true);
		expect(stuckTaskStack(resolveKernel('5.10'), 'user').some(f => f.startsWith('wait_on_page_bit_common'))).toBe(true);
	});

	const task: fmt.TaskDump = {comm: 'btrfs', state: 'D', pid: 15_156, tgid: 15_155, ppid: 4043, taskFlags: 0x44_01_40, flags: 0x40_06, stack: ['__schedule+0x2f9/0x7b0'], regs: ['RIP: 0033:0x7f4a739060ed']};

	it('header per era (kernel/sched/core.c sched_show_task())', () => {
		// 6.17, the real line: " stack:%-5lu pid:%-5d tgid:%-5d ppid:%-6d task_flags:0x%04x flags:0x%08lx".
		expect(fmt.taskHeader(resolveKernel('6.17'), task)).toBe('task:btrfs           state:D stack:0     pid:15156 tgid:15155 ppid:4043   task_flags:0x440140 flags:0x00004006');
		// 6.6–6.16: " stack:%-5lu pid:%-5d tgid:%-5d ppid:%-6d flags:0x%08lx".
		expect(fmt.taskHeader(resolveKernel('6.6.30'), task)).toBe('task:btrfs           state:D stack:0     pid:15156 tgid:15155 ppid:4043   flags:0x00004006');
		// 6.0–6.5 (left-aligned): " stack:%-5lu pid:%-5d ppid:%-6d flags:0x%08lx".
		expect(fmt.taskHeader({...resolveKernel('6.1'), taskHeader: 'left'}, task)).toBe('task:btrfs           state:D stack:0     pid:15156 ppid:4043   flags:0x00004006');
		// Before: " stack:%5lu pid:%5d ppid:%6d flags:0x%08lx".
		expect(fmt.taskHeader(resolveKernel('5.10'), {...task, pid: 77, ppid: 2})).toBe('task:btrfs           state:D stack:    0 pid:   77 ppid:     2 flags:0x00004006');
		// "%-15.15s": a long comm is cut to 15 characters.
		expect(fmt.taskHeader(resolveKernel('6.17'), {...task, comm: 'kworker/u16:3+events_unbound'})).toMatch(/^task:kworker\/u16:3\+e state:D /);
		expect(fmt.taskHeader(resolveKernel('6.17'), {...task, taskFlags: 0x40})).toContain(' task_flags:0x0040 ');
	});

	it('the dump brackets frames and registers with <TASK> from 5.16 on', () => {
		const lines = (k: string) => fmt.taskDump(resolveKernel(k), task).map(r => `${r.level} ${r.text}`);
		expect(lines('6.17').slice(1)).toEqual(['6 Call Trace:', '6  <TASK>', '6  __schedule+0x2f9/0x7b0', '6 RIP: 0033:0x7f4a739060ed', '6  </TASK>']);
		expect(lines('5.10').slice(1)).toEqual(['6 Call Trace:', '6  __schedule+0x2f9/0x7b0', '6 RIP: 0033:0x7f4a739060ed']);
		expect(fmt.taskDump(resolveKernel('5.10'), {...task, regs: undefined}).map(r => r.text).slice(1)).toEqual(['Call Trace:', ' __schedule+0x2f9/0x7b0']);
	});
});

describe('log-format lines against real and from-source lines', () => {
	const k61 = resolveKernel('6.1');
	const dev = (driver: string, name: string) => ({driver, name});

	it('freezer failure, each wording, at KERN_ERR', () => {
		// Real 6.17: "Freezing user space processes failed after 20.001 seconds (1 tasks refusing to freeze, wq_busy=0):"
		const r617 = fmt.freezingFailed(resolveKernel('6.17'), 'user space processes', 20_001, 1, false);
		expect(r617).toEqual([{level: 3, text: 'Freezing user space processes failed after 20.001 seconds (1 tasks refusing to freeze, wq_busy=0):'}]);
		// kernel/power/process.c ≤6.1: "Freezing of tasks %s after %d.%03d seconds (%d tasks refusing to freeze, wq_busy=%d):"
		expect(fmt.freezingFailed(k61, 'remaining freezable tasks', 20_040, 2, true, true)[0]!.text).toBe('Freezing of tasks aborted after 20.040 seconds (2 tasks refusing to freeze, wq_busy=1):');
		expect(fmt.freezingFailed(k61, 'user space processes', 5, 3, false)[0]!.text).toBe('Freezing of tasks failed after 0.005 seconds (3 tasks refusing to freeze, wq_busy=0):');
	});

	it('freezer start and success lines (pr_cont eras and split eras)', () => {
		const k510 = resolveKernel('5.10');
		expect(fmt.freezingStart(k510, 'user space processes')).toEqual({level: 6, text: 'Freezing user space processes ... '});
		expect(fmt.freezingStart(resolveKernel('6.17'), 'user space processes')).toEqual({level: 6, text: 'Freezing user space processes'});
		// Real 6.1 (qemu-6.1 dmesg): "Freezing user space processes ... (elapsed 0.001 seconds) done."
		expect(fmt.freezingDone(k510, 'user space processes', 1).text).toBe('Freezing user space processes ... (elapsed 0.001 seconds) done.');
		expect(fmt.freezingDone(resolveKernel('6.17'), 'remaining freezable tasks', 1234).text).toBe('Freezing remaining freezable tasks completed (elapsed 1.234 seconds)');
	});

	it('dpm_show_time(): "%s%s%s of devices %s after %ld.%03ld msecs" at KERN_DEBUG', () => {
		expect(fmt.dpmShowTime('', 'freeze', false, 15_186)).toEqual({level: 7, text: 'PM: freeze of devices complete after 15.186 msecs'});
		expect(fmt.dpmShowTime('noirq', 'thaw', false, 3082).text).toBe('PM: noirq thaw of devices complete after 3.082 msecs');
		expect(fmt.dpmShowTime('late', 'freeze', true, 7).text).toBe('PM: late freeze of devices aborted after 0.007 msecs');
	});

	it('__suspend_report_result(), with and without the device prefix', () => {
		// from-source dev-5.10: "PM: dpm_run_callback(): pci_pm_freeze+0x0/0xc0 returns -16"
		const old = fmt.suspendReportResult(resolveKernel('5.10'), dev('mlx5_core', '0000:3b:00.0'), 'dpm_run_callback', 'pci_pm_freeze+0x0/0xc0', -16);
		expect(old).toEqual({level: 3, text: 'PM: dpm_run_callback(): pci_pm_freeze+0x0/0xc0 returns -16'});
		// from-source dev-6.1: "xhci_hcd 0000:00:14.0: PM: dpm_run_callback(): pci_pm_suspend+0x0/0x1c0 returns -16"
		expect(fmt.suspendReportResult(k61, dev('xhci_hcd', '0000:00:14.0'), 'dpm_run_callback', 'pci_pm_suspend+0x0/0x1c0', -16).text).toBe('xhci_hcd 0000:00:14.0: PM: dpm_run_callback(): pci_pm_suspend+0x0/0x1c0 returns -16');
	});

	it('dpm_prepare() refusal: "PM: Device 3-1 not prepared …" before the dev_printk conversion, device-prefixed after', () => {
		expect(fmt.notPrepared(resolveKernel('5.10'), dev('usb', '3-1'), -16)).toEqual({level: 6, text: 'PM: Device 3-1 not prepared for power transition: code -16'});
		expect(fmt.notPrepared(resolveKernel('6.6.30'), dev('arm-smmu', '3da0000.kgsl-smmu'), -115).text).toBe('arm-smmu 3da0000.kgsl-smmu: PM: not prepared for power transition: code -115');
	});

	it('pm_dev_err() with no info string, and errors at KERN_ERR', () => {
		expect(fmt.pmDevErr(k61, dev('xhci_hcd', '0000:00:14.0'), 'suspend', '', true, -16)).toEqual({level: 3, text: 'xhci_hcd 0000:00:14.0: PM: failed to suspend async: error -16'});
		expect(fmt.pmDevErr(k61, dev('xhci_hcd', '0000:00:14.0'), 'freeze', '', false, -16).text).toBe('xhci_hcd 0000:00:14.0: PM: failed to freeze: error -16');
		expect(fmt.pmDevErr(resolveKernel('6.17'), dev('i8042', 'kbd 00:00'), 'suspend', 'noirq', false, -110).text).toBe('i8042 kbd 00:00: PM: failed to suspend noirq: error -110');
	});

	it('pm_print_times lines as the real 6.1 log prints them', () => {
		// nfit-test-6.1: "nfit_test nfit_test.0: PM: calling platform_pm_freeze+0x0/0x50 @ 278, parent: platform"
		expect(fmt.callingCallback(k61, dev('nfit_test', 'nfit_test.0'), 'platform_pm_freeze', 278, 'platform').text).toBe('nfit_test nfit_test.0: PM: calling platform_pm_freeze+0x0/0x50 @ 278, parent: platform');
		expect(fmt.callbackReturned(k61, dev('nfit_test', 'nfit_test.0'), 'platform_pm_thaw', 0, 0.7).text).toBe('nfit_test nfit_test.0: PM: platform_pm_thaw+0x0/0x40 returned 0 after 0 usecs');
		// 5.10 (dev_info without "PM: "), symbol size from the 5.10 table.
		expect(fmt.callbackReturned(resolveKernel('5.10'), dev('e1000e', '0000:00:19.0'), 'pci_pm_freeze', -16, 42).text).toBe('e1000e 0000:00:19.0: pci_pm_freeze+0x0/0xc0 returned -16 after 42 usecs');
		// A symbol the table does not know gets a plausible size; ≥6.10 prints no offset.
		expect(fmt.symbol(k61, 'mystery_suspend')).toBe('mystery_suspend+0x0/0x40');
		expect(fmt.symbol(resolveKernel('6.17'), 'pci_pm_freeze')).toBe('pci_pm_freeze');
	});

	it('OOM killer, consoles, ACPI and NVS lines per era', () => {
		expect(fmt.oomKillerDisabled()).toEqual({level: 6, text: 'OOM killer disabled.'});
		expect(fmt.oomKillerEnabled()).toEqual({level: 6, text: 'OOM killer enabled.'});
		expect(fmt.suspendingConsoles().text).toBe('printk: Suspending console(s) (use no_console_suspend to debug)');
		expect(fmt.acpiPreparing(resolveKernel('5.10')).text).toBe('ACPI: Preparing to enter system sleep state S4');
		expect(fmt.acpiPreparing(k61, 'S3').text).toBe('ACPI: PM: Preparing to enter system sleep state S3');
		expect(fmt.acpiWaking(k61).text).toBe('ACPI: PM: Waking up from system sleep state S4');
		expect(fmt.acpiSavingNvs(k61).text).toBe('ACPI: PM: Saving platform NVS memory');
		expect(fmt.restartingTasks(k61)).toEqual([{level: 6, text: 'Restarting tasks ... done.'}]);
		// Real 6.17: "Restarting tasks: Starting" / "Restarting tasks: Done".
		expect(fmt.restartingTasks(resolveKernel('6.17')).map(r => r.text)).toEqual(['Restarting tasks: Starting', 'Restarting tasks: Done']);
		expect(fmt.restartingKernelThreads(k61).map(r => r.text)).toEqual(['Restarting kernel threads ... done.']);
	});

	it('nfit dev_dbg() results and the AER completion-timeout report', () => {
		expect(fmt.nfitActivateResult(0)).toEqual({level: 7, text: 'nfit ACPI0012:00: result: 0'});
		expect(fmt.nfitActivateResult(-5, {driver: 'nfit_test', name: 'nfit_test.0'}).text).toBe('nfit_test nfit_test.0: result: -5');
		expect(fmt.nfitArmResult(true, 0)).toEqual({level: 7, text: 'nfit ACPI0012:00: arm result: 0'});
		expect(fmt.nfitArmResult(false, 1).text).toBe('nfit ACPI0012:00: disarm result: 1');
		// drivers/pci/pcie/aer.c __aer_print_error(): "   [%2d] %-22s%s" with " (First)" for bit 14 (CmpltTO), KERN_ERR.
		const aer = fmt.aerCompletionTimeout('0000:00:1c.0', dev('mlx5_core', '0000:3b:00.0'), '15b3:1017');
		expect(aer.map(r => r.level)).toEqual([3, 3, 3, 3]);
		expect(aer.map(r => r.text)).toEqual([
			'pcieport 0000:00:1c.0: AER: Uncorrected (Non-Fatal) error received: 0000:3b:00.0',
			'mlx5_core 0000:3b:00.0: PCIe Bus Error: severity=Uncorrected (Non-Fatal), type=Transaction Layer, (Requester ID)',
			'mlx5_core 0000:3b:00.0:   device [15b3:1017] error status/mask=00004000/00000000',
			`mlx5_core 0000:3b:00.0:    [14] ${'CmpltTO'.padEnd(22, ' ')} (First)`,
		]);
	});

	it('printk stamps: "[%5lu.%06lu]"', () => {
		expect(fmt.formatStamp(1)).toBe('[    0.000001]');
		expect(fmt.formatStamp(99_999_999)).toBe('[   99.999999]');
		expect(fmt.formatStamp(12_345.9)).toBe('[    0.012345]');
	});
});

describe('sysfs helpers', () => {
	it('DSM result codes → firmware/result (drivers/acpi/nfit/intel.c intel_fw_activate_result())', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 7, 99, -1].map(dsmResultToSysfs)).toEqual(['none', 'not_staged', 'success', 'need_reset', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail']);
	});

	it('noidle reads Y/N (a bool attribute), the files exist only with a capability', () => {
		expect(formatNoidle(true)).toBe('Y');
		expect(formatNoidle(false)).toBe('N');
		expect(capabilityHasFiles('quiesce')).toBe(true);
		expect(capabilityHasFiles('live')).toBe(true);
		expect(capabilityHasFiles('none')).toBe(false);
	});

	it('names every firmware file, with or without /sys and leading slashes, and nothing else', () => {
		expect(parseFirmwarePath('/sys/bus/nd/devices/ndbus0/firmware/activate')).toEqual({file: 'bus-activate', bus: 0});
		expect(parseFirmwarePath('sys/bus/nd/devices/ndbus3/firmware/capability')).toEqual({file: 'bus-capability', bus: 3});
		expect(parseFirmwarePath('//bus/nd/devices/ndbus1/nfit/firmware_activate_noidle')).toEqual({file: 'bus-noidle', bus: 1});
		expect(parseFirmwarePath('bus/nd/devices/nmem7/firmware/activate')).toEqual({file: 'dimm-activate', dimm: 7});
		expect(parseFirmwarePath('/sys/bus/nd/devices/nmem10/firmware/result')).toEqual({file: 'dimm-result', dimm: 10});
		expect(parseFirmwarePath('/sys/bus/nd/devices/nmem0/firmware/capability')).toBeUndefined();
		expect(parseFirmwarePath('/sys/bus/nd/devices/ndbus0/firmware/result')).toBeUndefined();
		expect(parseFirmwarePath('/sys/bus/nd/devices/ndbus0/firmware/activate.bak')).toBeUndefined();
		expect(parseFirmwarePath('/proc/sys/bus/nd/devices/ndbus0/firmware/activate')).toBeUndefined();
	});
});
