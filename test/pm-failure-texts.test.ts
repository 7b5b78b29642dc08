/**
 * kernel/power/hibernate.c create_image() and resume_target_kernel() print the
 * same "Some devices failed to power down, aborting …" line; only the restore's
 * says the restore was aborted (kernel-failures.test.ts checked that text only
 * for the restore).
 */
import {describe, expect, it} from 'vitest';
import {recogniseFailure} from '../source/kernel/pm-failures.js';

describe('devices failed to power down', () => {
	it('while creating the image (≤5.7 "aborting hibernation", ≥5.8 "PM: hibernation: … aborting"): no restore in the text', () => {
		for (const line of ['PM: Some devices failed to power down, aborting hibernation', 'PM: hibernation: Some devices failed to power down, aborting']) {
			expect(recogniseFailure(line)).toEqual({id: 'devices-failed-to-power-down', text: 'some devices failed to power down', stage: 'freeze-late-noirq', kind: 'hibernate'});
		}
	});

	it('while restoring ("aborting resume")', () => {
		expect(recogniseFailure('PM: Some devices failed to power down, aborting resume')).toEqual({id: 'devices-failed-to-power-down', text: 'some devices failed to power down (restore aborted)', stage: 'restore', kind: 'hibernate'});
	});
});
