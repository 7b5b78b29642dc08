/**
 * A step name that hibernate_quiet_exec() does not have is a programming
 * error, reported with the name (stepByNumber had this test; stepById not).
 */
import {describe, expect, it} from 'vitest';
import {stepById, stepByNumber} from '../source/kernel/quiet-exec.js';

describe('quiet-exec step lookup', () => {
	it('an unknown step throws, naming it', () => {
		expect(() => stepById('freeze_everything' as never)).toThrow('unknown quiet-exec step freeze_everything');
		expect(() => stepByNumber(29)).toThrow('unknown quiet-exec step 29');
	});
});
