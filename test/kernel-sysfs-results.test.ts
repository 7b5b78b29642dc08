/**
 * What each value of a DIMM's firmware/result says of the last runtime activation, from
 * Documentation/driver-api/nvdimm/firmware-activate.rst (the document's words quoted).
 */
import {describe, expect, it} from 'vitest';
import {activateResults, failedResultWhy, resultSays} from '../source/kernel/sysfs.js';

describe('firmware/result', () => {
	it('"success: The last runtime activation completed successfully"', () => {
		expect(resultSays('success')).toBe('activated');
	});

	it('"fail", "not_staged" ("failed due to a sequencing error of the firmware image not being staged") and "need_reset" ("Runtime firmware activation failed") all mean it failed', () => {
		expect(['fail', 'not_staged', 'need_reset'].map(resultSays)).toEqual(['failed', 'failed', 'failed']);
		expect(failedResultWhy).toEqual({fail: 'activation failed on the DIMM', need_reset: 'a power cycle is still needed', not_staged: 'no image was staged'});
	});

	it('"none: No runtime activation triggered since the last time the device was reset"; anything else is unknown', () => {
		expect(resultSays('none')).toBe('nothing');
		expect(['', 'Success', 'success\n', 'busy', 'armed'].map(resultSays)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
	});

	it('the five values the ABI has each get a meaning', () => {
		expect(activateResults.map(resultSays)).toEqual(['nothing', 'activated', 'failed', 'failed', 'failed']);
	});
});
