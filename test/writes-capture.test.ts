/**
 * The operator's writes as the real nfit_test capture saved them
 * (fixtures/traces/nfit-test-6.1/06-results-errors/06-results-errors-writes.tsv,
 * Debian 6.1): each write issued at start_mono and returned at end_mono with
 * the kernel's answer — the errno names and numbers of include/uapi/asm-generic/errno-base.h
 * (ENXIO 6, EBUSY 16, EINVAL 22). Expected values are copied from the file's columns.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {fixturesDir} from '../source/paths.js';
import {formatWrites, parseWritesText} from '../source/trace/writes.js';

const file = path.join(fixturesDir('traces'), 'nfit-test-6.1', '06-results-errors', '06-results-errors-writes.tsv');

describe('writes.tsv of the real capture', () => {
	it('every write: issued, then its answer', () => {
		const {events, warnings} = parseWritesText(readFileSync(file, 'utf8'), file);
		expect(warnings).toEqual([]);
		const row = (t: number, p: string, value: string, result: unknown) => ({kind: 'action', op: 'write', path: `bus/nd/devices/${p}/firmware/activate`, value, actor: 'operator', t, result});
		expect(events.slice(0, 8)).toEqual([
			row(81_166_854, 'ndbus0', 'quiesce', null),
			row(81_167_007, 'ndbus0', 'quiesce', {ok: false, errno: 'ENXIO', code: 6}),
			row(81_197_381, 'ndbus0', 'live', null),
			row(81_197_415, 'ndbus0', 'live', {ok: false, errno: 'ENXIO', code: 6}),
			row(81_221_692, 'ndbus0', 'bogus', null),
			row(81_221_739, 'ndbus0', 'bogus', {ok: false, errno: 'EINVAL', code: 22}),
			row(81_260_844, 'nmem2', 'arm', null),
			row(81_260_890, 'nmem2', 'arm', {ok: true}),
		]);
		// The activation that ran (rc=8, 83.479 ms) and the EBUSY refusals right after it.
		expect(events.slice(14, 18)).toEqual([
			row(84_595_810, 'ndbus0', 'quiesce', null),
			row(84_679_289, 'ndbus0', 'quiesce', {ok: true}),
			row(84_719_135, 'ndbus0', 'quiesce', null),
			row(84_719_198, 'ndbus0', 'quiesce', {ok: false, errno: 'EBUSY', code: 16}),
		]);
		expect(events).toHaveLength(2 * 12);
	});
});

describe('lines that are not a write', () => {
	it('each one warned with its line, the rest read', () => {
		const text = [
			'# written by fwtool',
			'read\t/sys/bus/nd/devices/ndbus0/firmware/activate\tidle\tstart_mono=1.0\tend_mono=1.0\trc=5\terrno=0',
			'write\tbus/nd/devices/ndbus0/firmware/activate\tquiesce\tstart_mono=1.0\tend_mono=1.0\trc=8\terrno=0',
			'write\t/sys/bus/nd/devices/ndbus0/firmware/activate',
			'write\t/sys/bus/nd/devices/ndbus0/firmware/activate\tquiesce\tend_mono=2.0\trc=8\terrno=0',
			'write\t/sys/bus/nd/devices/ndbus0/firmware/activate\tquiesce\tstart_mono=x\tend_mono=2.0\trc=8\terrno=0',
			'write\t/sys/bus/nd/devices/ndbus0/firmware/activate\tquiesce\tstart_mono=1.5\tend_mono=2.0x\trc=8\terrno=0',
			'',
			'write\t/sys/bus/nd/devices/nmem0/firmware/activate\tarm\tstart_boot=3.000001\tend_boot=3.000001\trc=4\terrno=0',
		].join('\r\n');
		const {events, warnings} = parseWritesText(text, 'w.tsv');
		expect(warnings.map(w => [w.file, w.line])).toEqual([['w.tsv', 2], ['w.tsv', 3], ['w.tsv', 4], ['w.tsv', 5], ['w.tsv', 6], ['w.tsv', 7]]);
		expect(warnings[0]!.message).toBe('expected write<TAB>/sys/PATH<TAB>VALUE<TAB>start_mono=S<TAB>end_mono=S<TAB>…<TAB>rc=N<TAB>errno=…; line skipped');
		// start and end the same microsecond (the boot clock when there is no mono one): one event, its answer.
		expect(events).toEqual([{kind: 'action', op: 'write', path: 'bus/nd/devices/nmem0/firmware/activate', value: 'arm', actor: 'operator', t: 3_000_001, result: {ok: true}}]);
	});

	it('a write with no end is its start; an errno given only by name is still numbered (errno-base.h)', () => {
		const {events} = parseWritesText('write\t/sys/power/pm_freeze_timeout\t0\tstart_mono=5\trc=-1\terrno=EINVAL Invalid argument\tactor=script\n', 'w.tsv');
		expect(events).toEqual([{kind: 'action', op: 'write', path: 'power/pm_freeze_timeout', value: '0', actor: 'script', t: 5_000_000, result: {ok: false, errno: 'EINVAL', code: 22}}]);
		const eio = parseWritesText('write\t/sys/power/state\tmem\tstart_mono=5\tend_mono=6\trc=-1\terrno=ENOSPC No space left on device\n', 'w.tsv').events;
		expect(eio.at(-1)!.result).toEqual({ok: false, errno: 'ENOSPC', code: 28});
	});
});

describe('formatWrites: the capture format back', () => {
	const act = (t: number, value: string, result: unknown, extra: object = {}) => ({kind: 'action', op: 'write', path: 'bus/nd/devices/ndbus0/firmware/activate', value, actor: 'operator', t, result, ...extra}) as never;

	it('the real 01-quiesce write: echo\'s newline counted in rc (8 bytes), not shown', () => {
		// fixtures/traces/nfit-test-6.1/01-quiesce-sysfs/01-quiesce-sysfs-writes.tsv, without its uptime/boot clocks.
		expect(formatWrites([act(22_736_615, 'quiesce\n', null), act(22_924_772, 'quiesce\n', {ok: true})])).toBe('write\t/sys/bus/nd/devices/ndbus0/firmware/activate\tquiesce\tstart_mono=22.736615\tend_mono=22.924772\tdur_ms=188.157\trc=8\terrno=0\n');
	});

	it('a refused write, a script\'s write, one still blocked, and nothing', () => {
		expect(formatWrites([act(81_166_854, 'quiesce\n', null), act(81_167_007, 'quiesce\n', {ok: false, errno: 'ENXIO', code: 6})])).toBe('write\t/sys/bus/nd/devices/ndbus0/firmware/activate\tquiesce\tstart_mono=81.166854\tend_mono=81.167007\tdur_ms=0.153\trc=-1\terrno=ENXIO No such device or address\n');
		expect(formatWrites([act(1_000_000, 'a\tb\\c\n', {ok: true}, {actor: 'script'})])).toBe('write\t/sys/bus/nd/devices/ndbus0/firmware/activate\ta\\tb\\\\c\tstart_mono=1.000000\tend_mono=1.000000\tdur_ms=0.000\trc=6\terrno=0\tactor=script\n');
		expect(formatWrites([act(2_500_000, 'quiesce\n', null)])).toBe('write\t/sys/bus/nd/devices/ndbus0/firmware/activate\tquiesce\tstart_mono=2.500000\tend_mono=2.500000\tdur_ms=0.000\trc=0\terrno=0\tunfinished=1\n');
		expect(formatWrites([])).toBe('');
		expect(formatWrites([act(1, 'x', {ok: true}, {op: 'read'})])).toBe('');
	});
});

describe('parseWritesText: what formatWrites writes, read back', () => {
	it('escaped values, a write still blocked, a script\'s write, a comment and CRLF', () => {
		const text = [
			'# a comment line, skipped',
			'write\t/sys/power/pm_test\ta\\tb\\\\c\\n\tstart_mono=1.000000\tend_mono=1.000000\tdur_ms=0.000\trc=6\terrno=0\tactor=script',
			'write\t/sys/bus/nd/devices/ndbus0/firmware/activate\tquiesce\tstart_mono=2.500000\tend_mono=2.500000\tdur_ms=0.000\trc=0\terrno=0\tunfinished=1',
		].join('\r\n');
		const {events, warnings} = parseWritesText(text, 'w.tsv');
		expect(warnings).toEqual([]);
		expect(events).toEqual([
			{kind: 'action', op: 'write', path: 'power/pm_test', value: 'a\tb\\c\n', actor: 'script', t: 1_000_000, result: {ok: true}},
			// Blocked when the capture ended: issued, no answer.
			{kind: 'action', op: 'write', path: 'bus/nd/devices/ndbus0/firmware/activate', value: 'quiesce', actor: 'operator', t: 2_500_000, result: null},
		]);
	});

	it('a write with no rc and no errno returned; rc=-1 with errno=0 or an errno unknown here failed (EIO when unnamed)', () => {
		const one = (fields: string) => parseWritesText(`write\t/sys/power/state\tmem\tstart_mono=1\tend_mono=1${fields}\n`, 'w.tsv').events.at(-1)!.result;
		expect(one('')).toEqual({ok: true});
		expect(one('\trc=0\terrno=0')).toEqual({ok: true});
		expect(one('\trc=-1\terrno=0')).toMatchObject({ok: false});
		// include/uapi/asm-generic/errno.h: ETIME is 62 (named through errno-names.ts, not errno.ts' table).
		expect(one('\trc=-1\terrno=ETIME Timer expired')).toEqual({ok: false, errno: 'ETIME', code: 62});
		expect(one('\trc=-1\terrno=EWHATEVER')).toEqual({ok: false, errno: 'EWHATEVER', code: 5});
	});
});
