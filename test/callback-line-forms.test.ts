/**
 * parseCallbackLine() and phaseFromSymbol(), the cases the mutation run found
 * unchecked: a module only when the line names one (toStrictEqual: no
 * `module: undefined`), a device without a driver string, the Ubuntu 2.6.3x
 * completion line's milliseconds. Lines are real (fixtures/traces, named) or
 * built from drivers/base/power/main.c format strings (quoted).
 */
import {describe, expect, it} from 'vitest';
import {parseCallbackLine, phaseFromSymbol} from '../source/kernel/callback-lines.js';

describe('parseCallbackLine: the module and the parent only when printed', () => {
	it('pm-pS without a module (fixtures/traces/nfit-test-6.1: a built-in symbol)', () => {
		expect(parseCallbackLine('nfit_test nfit_test.1: PM: calling platform_pm_freeze+0x0/0x50 @ 727, parent: platform')).toStrictEqual({kind: 'calling', form: 'pm-pS', driver: 'nfit_test', device: 'nfit_test.1', callback: 'platform_pm_freeze', pid: 727, parent: 'platform'});
		expect(parseCallbackLine('nfit_test nfit_test.1: PM: platform_pm_freeze+0x0/0x50 returned 0 after 3 usecs')).toStrictEqual({kind: 'returned', form: 'pm-pS', driver: 'nfit_test', device: 'nfit_test.1', callback: 'platform_pm_freeze', rc: 0, usecs: 3});
	});

	// lib/vsprintf.c: %pS/%ps of a module's symbol appends " [module]".
	it('pm-pS and pm-ps with a module', () => {
		expect(parseCallbackLine('nfit_test nfit_test.0: PM: calling nfit_test_suspend+0x0/0x20 [nfit_test] @ 727, parent: platform')).toStrictEqual({kind: 'calling', form: 'pm-pS', driver: 'nfit_test', device: 'nfit_test.0', callback: 'nfit_test_suspend', module: 'nfit_test', pid: 727, parent: 'platform'});
		expect(parseCallbackLine('e1000e 0000:00:19.0: PM: e1000e_pm_freeze [e1000e] returned 0 after 2107 usecs')).toStrictEqual({kind: 'returned', form: 'pm-ps', driver: 'e1000e', device: '0000:00:19.0', callback: 'e1000e_pm_freeze', module: 'e1000e', rc: 0, usecs: 2107});
	});

	// dev_info(dev, "calling %pF @ %i, parent: %s\n", …) and dev_info(dev, "%pF returned %d after %Ld usecs\n", …).
	it('dev-pF with and without a module', () => {
		expect(parseCallbackLine('ahci 0000:00:1f.2: calling pci_pm_suspend+0x0/0x150 @ 3120, parent: pci0000:00')).toStrictEqual({kind: 'calling', form: 'dev-pF', driver: 'ahci', device: '0000:00:1f.2', callback: 'pci_pm_suspend', pid: 3120, parent: 'pci0000:00'});
		expect(parseCallbackLine('ahci 0000:00:1f.2: pci_pm_suspend+0x0/0x150 returned 0 after 3052 usecs')).toStrictEqual({kind: 'returned', form: 'dev-pF', driver: 'ahci', device: '0000:00:1f.2', callback: 'pci_pm_suspend', rc: 0, usecs: 3052});
		expect(parseCallbackLine('e1000e 0000:00:19.0: calling e1000_suspend+0x0/0x30 [e1000e] @ 3120, parent: pci0000:00')).toStrictEqual({kind: 'calling', form: 'dev-pF', driver: 'e1000e', device: '0000:00:19.0', callback: 'e1000_suspend', module: 'e1000e', pid: 3120, parent: 'pci0000:00'});
		expect(parseCallbackLine('e1000e 0000:00:19.0: e1000_suspend+0x0/0x30 [e1000e] returned -16 after 12 usecs')).toStrictEqual({kind: 'returned', form: 'dev-pF', driver: 'e1000e', device: '0000:00:19.0', callback: 'e1000_suspend', module: 'e1000e', rc: -16, usecs: 12});
	});

	// 2.6.3x pr_info("calling  %s+ @ %i\n", dev_name(dev), task_pid_nr(current)): no parent.
	it('legacy 2.6.3x calling line without a parent', () => {
		expect(parseCallbackLine('calling  0000:00:1f.2+ @ 1234')).toStrictEqual({kind: 'calling', form: 'legacy', driver: '', device: '0000:00:1f.2', pid: 1234});
	});

	// dev_printk() prints "%s %s: " with dev_driver_string() first: '' for a device with no driver, bus or class,
	// so the message holds the device name alone once the leading space is trimmed.
	it('a device without a driver string: the whole prefix is the device', () => {
		expect(parseCallbackLine('memory62: PM: calling memory_subsys_suspend+0x0/0x30 @ 727, parent: none')).toStrictEqual({kind: 'calling', form: 'pm-pS', driver: '', device: 'memory62', callback: 'memory_subsys_suspend', pid: 727, parent: 'none'});
	});
});

describe('the Ubuntu 2.6.3x completion line', () => {
	// fixtures/traces/03 (2.6.35 Ubuntu syslog).
	it('microseconds from "%ld.%03ld msecs"', () => {
		expect(parseCallbackLine('PM: freeze of drv:sd dev:0:0:0:0 complete after 202.829 msecs')).toStrictEqual({kind: 'complete', form: 'drv-dev-msecs', driver: 'sd', device: '0:0:0:0', verb: 'freeze', usecs: 202_829});
	});

	it('a fraction of fewer digits (a copy that lost zeros) is still tenths and hundredths of a millisecond', () => {
		expect(parseCallbackLine('PM: freeze of drv:sd dev:0:0:0:0 complete after 202.8 msecs')).toMatchObject({usecs: 202_800});
		expect(parseCallbackLine('PM: freeze of drv:sd dev:0:0:0:0 complete after 202.8291 msecs')).toMatchObject({usecs: 202_829});
	});
});

describe('phaseFromSymbol', () => {
	it('the dev_pm_ops member a bus callback ends with (include/linux/pm.h)', () => {
		expect(phaseFromSymbol('pci_pm_freeze_noirq')).toEqual({verb: 'freeze', info: 'noirq'});
		expect(phaseFromSymbol('platform_pm_thaw')).toEqual({verb: 'thaw', info: ''});
	});

	it('a verb inside the name is not the phase: fixtures/traces/01 usb_resume_both (drivers/usb/core/driver.c, a helper)', () => {
		expect(phaseFromSymbol('usb_resume_both')).toBeUndefined();
		expect(phaseFromSymbol('led_classdev_register')).toBeUndefined();
	});
});
