/**
 * The capture script's side files are timed by CLOCK_MONOTONIC, its log by printk; its kmsg markers
 * carry both (trace/marker-clock.ts). On the real nfit_test captures the operator's write must land
 * between its markers: after "fwtool write … (start; …)", before the freeze it starts, and its return
 * after the thaw and before the "returned" marker.
 */
import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {fixturesDir} from '../source/paths.js';
import {loadSideEvents, planTrace} from '../source/trace/bundle.js';
import {monotonicAheadUs} from '../source/trace/marker-clock.js';

const capture = (name: string) => fixturesDir('traces', 'nfit-test-6.1', name);

describe('the capture markers\' clock offset', () => {
	it('01: the largest bound of its two markers, worked out by hand', () => {
		const text = readFileSync(capture('01-quiesce-sysfs/dmesg-01-quiesce-sysfs-raw.log'), 'utf8');
		// start marker:  22.734074 − 22.687049 = 0.047025 s; returned marker: 22.924772 − 22.876653 = 0.048119 s.
		expect(monotonicAheadUs(text)).toBe(48_119);
	});

	it('03 (the plain dmesg form): 46.781700 − 46.734518 = 0.047182 s beats 46.782420 − 46.735410 = 0.047010 s', () => {
		expect(monotonicAheadUs(readFileSync(capture('03-live-sysfs/dmesg-03-live-sysfs.log'), 'utf8'))).toBe(47_182);
	});

	it('no markers, no offset; garbage never throws', () => {
		expect(monotonicAheadUs(readFileSync(fixturesDir('traces', '01-hibernate-3.17-qemu-em28xx-full-cycle.log'), 'utf8'))).toBeUndefined();
		fc.assert(fc.property(fc.string({maxLength: 400}), text => {
			const ahead = monotonicAheadUs(text);
			if (!text.includes('CLOCK_MONOTONIC')) expect(ahead).toBeUndefined();
			else expect(ahead === undefined || Number.isSafeInteger(ahead)).toBe(true);
		}));
	});

	it('01 replayed: the write starts after its marker and before the freeze, and returns after the thaw, before its marker', async () => {
		const plan = await planTrace(capture('01-quiesce-sysfs'));
		const writes = loadSideEvents(plan).events.filter(e => e.kind === 'action' && e.path === 'bus/nd/devices/ndbus0/firmware/activate');
		expect(writes.map(w => w.kind === 'action' && w.result === null ? 'issued' : 'returned')).toEqual(['issued', 'returned']);
		const [issued, returned] = writes.map(w => w.t);
		expect(issued).toBeGreaterThanOrEqual(22_687_049); // [   22.687049] capture: fwtool write 'quiesce' … (start; …)
		expect(issued).toBeLessThan(22_710_028); // [   22.710028] Freezing user space processes
		expect(returned).toBeGreaterThan(22_866_320); // [   22.866320] Restarting tasks ... done.
		expect(returned).toBeLessThanOrEqual(22_876_653); // [   22.876653] capture: … returned rc=8 …
	});

	it('06 replayed: every poll of the bus is placed no earlier than the printk moment it was read', async () => {
		const plan = await planTrace(capture('06-results-errors'));
		const {events} = loadSideEvents(plan);
		// The first EINVAL write ("bogus") returned at CLOCK_MONOTONIC 81.221739, its marker stamped at 81.174529.
		const bogus = events.find(e => e.kind === 'action' && e.value === 'bogus' && e.result !== null);
		expect(bogus?.t).toBeLessThanOrEqual(81_174_529);
		expect(bogus!.t).toBeGreaterThan(81_174_529 - 1_000);
	});
});
