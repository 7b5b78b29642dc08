/**
 * What was read back after a firmware activation decides whether it is "ok": the bus write
 * returns 0 even when the platform refused (kernel.md §2.2), and each DIMM's firmware/result
 * says how the last activation went (Documentation/driver-api/nvdimm/firmware-activate.rst).
 * Checked on the real nfit_test captures (traces/nfit-test-6.1, copied untouched into
 * fixtures/) and on the capture script's own file layouts: a poll table and timed reads.
 */
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {reduce} from '../source/monitor/reducer.js';
import {outcome} from '../source/monitor/selectors.js';
import {cycleDocument} from '../source/monitor/summary-document.js';
import {initialState} from '../source/monitor/state.js';
import {fixturesDir} from '../source/paths.js';
import {sniffText} from '../source/trace/input.js';
import {parseSysfsText} from '../source/trace/sysfs-parser.js';
import {quiesce} from './helpers/cli.js';

const capture = (name: string) => path.join(fixturesDir('traces'), 'nfit-test-6.1', name);
const read = (name: string, file: string) => readFileSync(path.join(capture(name), file), 'utf8');

type Summary = {
	cycles: Array<{index: number; kind: string; status: string; write: string | null; failures: Array<{text: string}>; readBack: {bus: string | null; results: Record<string, string>; verdict: string} | null}>;
	totals: {ok: number; failed: number; unverified: number};
	bus: {activate: string | null};
	dimms: Array<{name: string; activate: string | null; result: string | null}>;
};

async function summary(target: string): Promise<{doc: Summary; exitCode: number | undefined}> {
	const result = await quiesce(['replay', target, '--summary', '--json']);
	return {doc: JSON.parse(String(result.stdout)) as Summary, exitCode: result.exitCode};
}

describe('the capture script\'s sysfs layouts', () => {
	it('a poll table (header of clocks then paths): values at CLOCK_MONOTONIC, an event only where one changed', () => {
		const text = read('01-quiesce-sysfs', '01-quiesce-sysfs-poll.tsv');
		expect(sniffText(text.slice(0, 4096), '01-quiesce-sysfs-poll.tsv')).toBe('sysfs');
		const {events, warnings, timed} = parseSysfsText(text, 'poll.tsv');
		expect(warnings).toEqual([]);
		expect(timed).toBe(true);
		// The first row, 21.720519 (mono_s): all eleven attributes (three of the bus, two per DIMM); its nmem0 values are "armed" and "none".
		expect(events.filter(e => e.t === 21_720_519)).toHaveLength(11);
		expect(events.find(e => e.path === 'bus/nd/devices/nmem0/firmware/activate')).toMatchObject({t: 21_720_519, value: 'armed', source: {line: 2}});
		// Row 573 of the file: nmem0's result turns success at 25.807296, after nfit_test's busy window.
		expect(events.filter(e => e.path === 'bus/nd/devices/nmem0/firmware/result').map(e => [e.t, e.value])).toEqual([
			[21_720_519, 'none'],
			[25_807_296, 'success'],
		]);
		// The poller was frozen with user space: the bus is next seen busy, 162 ms later, at 22.914345.
		expect(events.filter(e => e.path === 'bus/nd/devices/ndbus0/firmware/activate').map(e => e.value)).toEqual(['armed', 'busy', 'idle']);
		expect(events.find(e => e.path === 'bus/nd/devices/ndbus0/firmware/activate' && e.value === 'busy')?.t).toBe(22_914_345);
	});

	it('timed reads (uptime, label, path, value): at the uptime given, which is taken before the read', () => {
		const text = read('01-quiesce-sysfs', '01-quiesce-sysfs-reads.tsv');
		expect(sniffText(text, '01-quiesce-sysfs-reads.tsv')).toBe('sysfs');
		const {events, warnings} = parseSysfsText(text, 'reads.tsv');
		expect(warnings).toEqual([]);
		expect(events).toHaveLength(22);
		expect(events[4]).toMatchObject({t: 21_550_000, path: 'bus/nd/devices/nmem0/firmware/result', value: 'none'});
		expect(events[15]).toMatchObject({t: 29_290_000, path: 'bus/nd/devices/nmem0/firmware/result', value: 'success'});
	});

	it('a poll row with the wrong number of columns or no time is a warning naming its line; the other rows still count', () => {
		const header = 'uptime\tmono_s\tboot_s\tn\tmaxgap_ms\t/sys/bus/nd/devices/nmem0/firmware/result';
		const text = `${header}\n1.00\t1.000001\t1.000002\t1\t0.0\tnone\n2.00\t\t2.0\t1\t0.0\tsuccess\ngarbage\n3.00\t3.000001\t3.000002\t1\t0.0\tsuccess\n`;
		const {events, warnings} = parseSysfsText(text, 'p.tsv');
		expect(events.map(e => [e.t, e.value])).toEqual([[1_000_001, 'none'], [3_000_001, 'success']]);
		expect(warnings.map(w => [w.file, w.line])).toEqual([['p.tsv', 3], ['p.tsv', 4]]);
	});
});

describe('the poll table and timed reads against garbage', () => {
	const header = 'uptime\tmono_s\tboot_s\tn\tmaxgap_ms\t/sys/bus/nd/devices/ndbus0/firmware/activate\t/sys/bus/nd/devices/nmem0/firmware/result';
	const field = fc.oneof(fc.constantFrom('armed', 'idle', 'busy', 'success', 'none', '', '1.5', '-3', '99999999999999999999', 'x\\ty'), fc.stringMatching(/^[ -[\]-~]{0,8}$/)); // printable, no backslash (escapes are the constants' part)
	// Comment lines (#…) are skipped by design: a row of garbage never starts with one here.
	const row = fc.array(field, {minLength: 0, maxLength: 9}).map(fields => fields.join('\t')).filter(line => !line.trimStart().startsWith('#'));
	const timedRow = fc.tuple(fc.double({min: 0, max: 1e6, noNaN: true}), fc.constantFrom('busy', 'idle', 'success', 'fail')).map(([t, v]) => `${t.toFixed(6)}\t${t.toFixed(6)}\t${t.toFixed(6)}\t1\t0.0\t${v}\t${v}`);

	it('never throws; time never goes backwards; each event is a row\'s cell or a warning names the row (200 to 400 lines)', () => {
		fc.assert(
			fc.property(fc.array(fc.oneof(row, timedRow), {minLength: 200, maxLength: 400}), rows => {
				const text = [header, ...rows].join('\n');
				const {events, warnings} = parseSysfsText(text, 'p.tsv');
				for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
				const lines = text.split('\n');
				for (const e of events) expect(lines[e.source!.line - 1]!.split('\t').slice(5)).toContain(e.value.replaceAll('\t', '\\t'));
				// A row is either read (all its cells accounted for) or warned about, never dropped in silence.
				const warned = new Set(warnings.map(w => w.line));
				for (const [i, line] of lines.entries()) if (i > 0 && line.trim() !== '' && line.split('\t').length !== 7) expect(warned.has(i + 1)).toBe(true);
			}),
			{numRuns: 60},
		);
	});
});

describe('replay --summary of the real nfit_test captures: the read-back decides', () => {
	it('01, quiesce: ok, because nmem0 and nmem1 read success after the write; the bus ends idle (the before/busy/after dumps in their order)', async () => {
		const {doc, exitCode} = await summary(capture('01-quiesce-sysfs'));
		expect(doc.cycles.map(c => [c.kind, c.status, c.write])).toEqual([['fwa-quiesce', 'ok', '0']]);
		expect(doc.cycles[0]!.readBack).toMatchObject({bus: 'idle', results: {nmem0: 'success', nmem1: 'success'}, verdict: 'ok'});
		// Before: the dumps were all placed at t = 0 in name order (after, before, busy) and the
		// summary ended on "activate armed, result none" for nmem0.
		expect(doc.bus.activate).toBe('idle');
		expect(doc.dimms.find(d => d.name === 'nmem0')).toMatchObject({activate: 'idle', result: 'success'});
		expect(exitCode).toBe(0);
	});

	it('03, live: ok, the same way (the kernel printed nothing at all)', async () => {
		const {doc} = await summary(capture('03-live-sysfs'));
		expect(doc.cycles.map(c => [c.kind, c.status, c.readBack?.results['nmem0']])).toEqual([['fwa-live', 'ok', 'success']]);
	});

	it('06: the activation that ran reads nmem1 not_staged afterwards — failed, not ok; the refused writes after it do not reset the results', async () => {
		const {doc, exitCode} = await summary(capture('06-results-errors'));
		const ran = doc.cycles[3]!;
		expect([ran.kind, ran.write, ran.status]).toEqual(['fwa-quiesce', '0', 'failed']);
		expect(ran.readBack?.results).toMatchObject({nmem0: 'success', nmem1: 'not_staged'});
		expect(ran.failures[0]!.text).toBe('nmem1: firmware/result reads not_staged after the activation (no image was staged)');
		expect(doc.totals).toMatchObject({ok: 0, failed: 6, unverified: 0});
		expect(exitCode).toBe(1);
	});

	it('the log and the write alone, nothing read back: unverified, never ok', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-readback-'));
		for (const file of ['dmesg-01-quiesce-sysfs-raw.log', '01-quiesce-sysfs-writes.tsv']) cpSync(path.join(capture('01-quiesce-sysfs'), file), path.join(dir, file));
		const {doc} = await summary(dir);
		expect(doc.cycles.map(c => [c.status, c.readBack?.verdict])).toEqual([['unverified', 'unverified']]);
		expect(doc.totals).toMatchObject({ok: 0, unverified: 1});
		const text = await quiesce(['replay', dir, '--summary']);
		expect(String(text.stdout)).toMatch(/^cycle 1: fwa-quiesce .* — unverified: no DIMM firmware\/result read after the write: the activation is not confirmed; write returned 0$/m);
		expect(String(text.stdout)).toMatch(/^totals: 1 cycle\(s\): 0 ok, 0 failed, 0 incomplete, 1 unverified/m);
	});

	it('no write recorded (as `capture` records none): the log\'s own end of the activation starts the read-back — the poll table\'s success makes it ok', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-readback-nowrite-'));
		for (const file of ['dmesg-01-quiesce-sysfs-raw.log', '01-quiesce-sysfs-poll.tsv']) cpSync(path.join(capture('01-quiesce-sysfs'), file), path.join(dir, file));
		const {doc} = await summary(dir);
		expect(doc.cycles.map(c => [c.kind, c.write, c.status])).toEqual([['fwa-quiesce', null, 'ok']]);
		expect(doc.cycles[0]!.readBack?.results).toMatchObject({nmem0: 'success', nmem1: 'success'});
	});

	it('a result that reads fail after the write: failed (the capture with its results changed to fail)', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-readback-fail-'));
		cpSync(capture('01-quiesce-sysfs'), dir, {recursive: true});
		for (const file of ['01-quiesce-sysfs-reads.tsv', '01-quiesce-sysfs-poll.tsv', '01-quiesce-sysfs-sysfs-fw-after.tsv', '01-quiesce-sysfs-ndctl-list-BDFv-after.json']) {
			const full = path.join(dir, file);
			writeFileSync(full, readFileSync(full, 'utf8').replaceAll(/\bsuccess\b/g, 'fail'));
		}

		const {doc, exitCode} = await summary(dir);
		expect(doc.cycles.map(c => c.status)).toEqual(['failed']);
		expect(doc.cycles[0]!.failures.map(f => f.text)).toEqual([
			'nmem0: firmware/result reads fail after the activation (activation failed on the DIMM)',
			'nmem1: firmware/result reads fail after the activation (activation failed on the DIMM)',
		]);
		expect(exitCode).toBe(1);
	});
});

describe('the monitor\'s outcome counts only what was read after this write', () => {
	const bus = 'bus/nd/devices/ndbus0/firmware/activate';
	const result = 'bus/nd/devices/nmem0/firmware/result';
	const arm = 'bus/nd/devices/nmem0/firmware/activate';
	const run = (events: TimelineEvent[]) => events.reduce(reduce, initialState());
	const activation: TimelineEvent[] = [
		// nmem0 still says success from an earlier activation (06-results-errors' "start" reads).
		{kind: 'sysfs', t: 1_000_000, path: result, value: 'success'},
		{kind: 'sysfs', t: 1_000_000, path: bus, value: 'armed'},
		{kind: 'action', t: 2_000_000, op: 'write', path: bus, value: 'quiesce\n', result: null, actor: 'operator'},
		{kind: 'action', t: 2_200_000, op: 'write', path: bus, value: 'quiesce\n', result: {ok: true}, actor: 'operator'},
	];

	it('a success left from an earlier activation is not an OK', () => {
		expect(outcome(run(activation)).word).toBe('UNVERIFIED');
	});

	it('success read after the write is', () => {
		const state = run([...activation, {kind: 'sysfs', t: 5_000_000, path: bus, value: 'idle'}, {kind: 'sysfs', t: 5_000_000, path: result, value: 'fail'}, {kind: 'sysfs', t: 6_000_000, path: result, value: 'success'}]);
		expect(outcome(state)).toMatchObject({word: 'OK', line: 'activation completed: write returned 0, 1 DIMM(s) report success'});
	});

	it('a DIMM armed at the write that reads none afterwards: not OK, and the summary says unverified naming it', () => {
		const armedTwo: TimelineEvent[] = [
			{kind: 'sysfs', t: 1_000_000, path: 'bus/nd/devices/nmem0/firmware/activate', value: 'armed'},
			{kind: 'sysfs', t: 1_000_000, path: 'bus/nd/devices/nmem1/firmware/activate', value: 'armed'},
			...activation.slice(1),
			{kind: 'sysfs', t: 6_000_000, path: bus, value: 'idle'},
			{kind: 'sysfs', t: 6_000_000, path: result, value: 'success'},
			{kind: 'sysfs', t: 6_000_000, path: 'bus/nd/devices/nmem1/firmware/result', value: 'none'},
		];
		const state = run(armedTwo);
		expect(state.activation?.armed).toEqual(['nmem0', 'nmem1']);
		expect(outcome(state).word).toBe('UNVERIFIED');
		const doc = cycleDocument(state.cycle!, 1, state.activation);
		expect(doc.status).toBe('unverified');
		expect(doc.readBack?.note).toBe('1 DIMM(s) report success, but of the DIMMs armed at the write nmem1 reads none: the activation is not confirmed for them');
		// Once nmem1 reports success too, it is OK.
		const done = run([...armedTwo, {kind: 'sysfs', t: 7_000_000, path: 'bus/nd/devices/nmem1/firmware/result', value: 'success'}]);
		expect(outcome(done).word).toBe('OK');
		expect(cycleDocument(done.cycle!, 1, done.activation).status).toBe('ok');
	});

	it('after a DIMM is armed again its result is about the next activation, not this one', () => {
		const state = run([
			...activation,
			{kind: 'action', t: 3_000_000, op: 'write', path: arm, value: 'arm\n', result: {ok: true}, actor: 'operator'},
			{kind: 'sysfs', t: 4_000_000, path: result, value: 'success'},
		]);
		expect(state.activation).toMatchObject({results: {}, closedUs: 3_000_000});
		expect(outcome(state).word).not.toBe('OK');
	});
});
