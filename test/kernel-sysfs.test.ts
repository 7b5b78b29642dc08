import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {errnoNames} from '../source/kernel/errno.js';
import {
	busActivateStates,
	deriveBusState,
	dimmActivateStates,
	kstrtobool,
	parseFirmwarePath,
	readBusActivate,
	readBusCapability,
	readDimmActivate,
	readDimmResult,
	sysfsPaths,
	sysfsStreq,
	writeBusActivate,
	writeDimmActivate,
	writeNoidle,
} from '../source/kernel/sysfs.js';

// Expectations are kernel.md §2.2, §2.4 and §2.7 — the spec, written once here.
describe('ndbusX/firmware/activate write', () => {
	const table: Array<[state: string, input: string, expected: string]> = [
		['idle', 'quiesce', 'ENXIO'],
		['idle', 'live', 'ENXIO'],
		['armed', 'quiesce', 'quiesce'],
		['armed', 'live', 'live'],
		['overflow', 'quiesce', 'quiesce'], // the kernel does not refuse overflow
		['overflow', 'live', 'live'],
		['busy', 'quiesce', 'EBUSY'],
		['busy', 'live', 'EBUSY'],
		['invalid', 'quiesce', 'ENXIO'],
		['invalid', 'live', 'ENXIO'],
		// the text is checked before the state
		['idle', 'activate', 'EINVAL'],
		['armed', 'suspend', 'EINVAL'],
		['busy', 'nonsense', 'EINVAL'],
		['overflow', '', 'EINVAL'],
		['invalid', 'Quiesce', 'EINVAL'],
	];
	it.each(table)('state %s, write %j ⇒ %s', (state, input, expected) => {
		for (const text of input === '' ? [input] : [input, `${input}\n`]) {
			const answer = writeBusActivate('quiesce', state as never, text);
			expect(answer.ok ? answer.value : answer.errno).toBe(expected);
		}
	});

	it('covers every state × every write', () => {
		const states = [...busActivateStates, 'invalid'];
		for (const state of states) for (const input of ['live', 'quiesce']) expect(table.some(([s, i]) => s === state && i === input)).toBe(true);
	});

	it('is absent (ENOENT: the file is hidden) without the capability', () => {
		for (const state of [...busActivateStates, 'invalid'] as const) {
			expect(writeBusActivate('none', state, 'quiesce')).toEqual({ok: false, errno: 'ENOENT'});
			expect(readBusActivate('none', state)).toEqual({ok: false, errno: 'ENOENT'});
		}
	});

	it('tolerates exactly one trailing newline (sysfs_streq)', () => {
		expect(sysfsStreq('quiesce\n', 'quiesce')).toBe(true);
		expect(sysfsStreq('quiesce\n\n', 'quiesce')).toBe(false);
		expect(writeBusActivate('quiesce', 'armed', 'quiesce\n\n')).toEqual({ok: false, errno: 'EINVAL'});
	});
});

describe('ndbusX/firmware/activate and capability read', () => {
	it('reads each state, and ENXIO for an invalid platform state', () => {
		for (const state of busActivateStates) expect(readBusActivate('quiesce', state)).toEqual({ok: true, value: state});
		expect(readBusActivate('live', 'armed')).toEqual({ok: true, value: 'armed'});
		expect(readBusActivate('quiesce', 'invalid')).toEqual({ok: false, errno: 'ENXIO'});
	});

	it('capability reads quiesce or live, and is absent for none', () => {
		expect(readBusCapability('quiesce')).toEqual({ok: true, value: 'quiesce'});
		expect(readBusCapability('live')).toEqual({ok: true, value: 'live'});
		expect(readBusCapability('none')).toEqual({ok: false, errno: 'ENOENT'});
	});
});

describe('bus state derivation: the overflow rule', () => {
	it('is overflow exactly when the armed estimate exceeds the maximum', () => {
		expect(deriveBusState('armed', 600, 600)).toBe('armed');
		expect(deriveBusState('armed', 601, 600)).toBe('overflow');
		expect(deriveBusState('idle', 10_000, 600)).toBe('idle');
		expect(deriveBusState('busy', 10_000, 600)).toBe('busy');
		expect(deriveBusState('invalid', 0, 600)).toBe('invalid');
	});

	it('nfit_test: 1 s per DIMM against a 3 s maximum overflows at the 4th DIMM', () => {
		const states = [1, 2, 3, 4].map(n => deriveBusState('armed', n * 1_000_000, 3_000_000));
		expect(states).toEqual(['armed', 'armed', 'armed', 'overflow']);
	});
});

describe('nmemX/firmware/activate write', () => {
	const table: Array<[state: string, input: string, expected: string]> = [
		['idle', 'arm', 'dsm arm → armed'],
		['idle', 'disarm', 'no dsm → idle'],
		['armed', 'arm', 'no dsm → armed'],
		['armed', 'disarm', 'dsm disarm → idle'],
		['busy', 'arm', 'EBUSY'],
		['busy', 'disarm', 'EBUSY'],
		['invalid', 'arm', 'ENXIO'],
		['invalid', 'disarm', 'ENXIO'],
		['idle', 'armed', 'EINVAL'],
		['busy', 'go', 'EINVAL'],
		['invalid', '', 'EINVAL'],
	];
	it.each(table)('state %s, write %j ⇒ %s', (state, input, expected) => {
		const answer = writeDimmActivate('quiesce', true, state as never, `${input}\n`);
		const text = answer.ok ? `${answer.value.dsm ? `dsm ${answer.value.dsm}` : 'no dsm'} → ${answer.value.next}` : answer.errno;
		expect(text).toBe(expected);
	});

	it('covers every state × every write', () => {
		for (const state of [...dimmActivateStates, 'invalid']) for (const input of ['arm', 'disarm']) expect(table.some(([s, i]) => s === state && i === input)).toBe(true);
	});

	it('is absent without bus capability or DIMM ops', () => {
		expect(writeDimmActivate('none', true, 'idle', 'arm')).toEqual({ok: false, errno: 'ENOENT'});
		expect(writeDimmActivate('quiesce', false, 'idle', 'arm')).toEqual({ok: false, errno: 'ENOENT'});
		expect(readDimmActivate('quiesce', false, 'idle')).toEqual({ok: false, errno: 'ENOENT'});
		expect(readDimmResult('none', true, 'none')).toEqual({ok: false, errno: 'ENOENT'});
	});

	it('reads results, and ENXIO when the DIMMINFO query fails', () => {
		for (const result of ['none', 'success', 'fail', 'not_staged', 'need_reset'] as const) expect(readDimmResult('quiesce', true, result)).toEqual({ok: true, value: result});
		expect(readDimmResult('quiesce', true, 'invalid')).toEqual({ok: false, errno: 'ENXIO'});
		expect(readDimmActivate('quiesce', true, 'invalid')).toEqual({ok: false, errno: 'ENXIO'});
	});
});

describe('nfit/firmware_activate_noidle (kstrtobool)', () => {
	it.each([
		['1', true], ['Y', true], ['yes', true], ['on', true], ['ON', true],
		['0', false], ['N', false], ['no', false], ['off', false], ['oFf', false],
	])('%j ⇒ %s', (input, value) => {
		expect(writeNoidle(`${input}\n`)).toEqual({ok: true, value});
	});

	it.each(['', 'true', 'o', 'ox', '2', ' 1'])('%j ⇒ EINVAL', input => {
		expect(writeNoidle(input)).toEqual({ok: false, errno: 'EINVAL'});
	});

	it('never throws, and agrees with the first two characters only', () => {
		fc.assert(
			fc.property(fc.string(), fc.string(), (a, b) => {
				const value = kstrtobool(a);
				if (a.length >= 2) expect(kstrtobool(a.slice(0, 2) + b)).toBe(value);
			}),
		);
	});
});

describe('garbage writes', () => {
	it('always get a value or a known errno, never an exception', () => {
		fc.assert(
			fc.property(fc.string({maxLength: 40}), fc.constantFrom(...busActivateStates, 'invalid' as const), fc.constantFrom(...dimmActivateStates, 'invalid' as const), (text, bus, dimm) => {
				const a = writeBusActivate('quiesce', bus, text);
				const b = writeDimmActivate('quiesce', true, dimm, text);
				for (const answer of [a, b]) if (!answer.ok) expect(errnoNames).toContain(answer.errno);
			}),
		);
	});
});

describe('sysfs paths', () => {
	it('round-trip through the parser', () => {
		expect(parseFirmwarePath(sysfsPaths.busActivate(0))).toEqual({file: 'bus-activate', bus: 0});
		expect(parseFirmwarePath(`/sys/${sysfsPaths.dimmResult(12)}`)).toEqual({file: 'dimm-result', dimm: 12});
		expect(parseFirmwarePath(sysfsPaths.busNoidle(1))).toEqual({file: 'bus-noidle', bus: 1});
		expect(parseFirmwarePath('bus/nd/devices/nmem0/firmware/update')).toBeUndefined();
	});
});
