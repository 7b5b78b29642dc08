/**
 * A driver's own callback symbols for the phases kernel-units.test.ts did not
 * name: the dev_pm_ops members of include/linux/pm.h (.prepare, .suspend_late,
 * .resume_noirq, .complete) after the driver's prefix, as in
 * drivers/gpu/drm/i915/i915_driver.c (i915_pm_prepare, i915_pm_suspend_late,
 * i915_pm_resume_early, i915_pm_complete).
 */
import {describe, expect, it} from 'vitest';
import {driverCallback} from '../source/kernel/pm-callbacks.js';

describe('driverCallback', () => {
	it.each([
		['prepare', 'i915_pm_prepare'],
		['freeze_late', 'i915_pm_suspend_late'],
		['thaw_noirq', 'i915_pm_resume_noirq'],
		['complete', 'i915_pm_complete'],
	] as const)('%s → %s', (callback, symbol) => {
		expect(driverCallback('i915-pm', callback)).toBe(symbol);
	});
});
