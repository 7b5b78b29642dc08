/**
 * Two sysfs writes the mutation run found unchecked: kstrtobool() reads a
 * second character only after 'o'/'O' (lib/kstrtox.c kstrtobool(): case 'o'
 * → s[1] 'n'/'N' true, 'f'/'F' false, otherwise -EINVAL), and an empty write
 * to nmemX/firmware/activate is neither "arm" nor "disarm"
 * (drivers/nvdimm/dimm_devs.c activate_store(): sysfs_streq() on each, else -EINVAL).
 */
import {describe, expect, it} from 'vitest';
import {writeDimmActivate, writeNoidle} from '../source/kernel/sysfs.js';

describe('kstrtobool: a second character matters only after "o"', () => {
	it.each(['xn', 'af', 'Tn', 'xN\n'])('%j ⇒ EINVAL', input => {
		expect(writeNoidle(input)).toEqual({ok: false, errno: 'EINVAL'});
	});
});

describe('nmemX/firmware/activate: an empty write', () => {
	it.each(['', '\n'])('%j ⇒ EINVAL, whatever the state', input => {
		for (const state of ['idle', 'armed'] as const) expect(writeDimmActivate('quiesce', true, state, input)).toEqual({ok: false, errno: 'EINVAL'});
	});
});
