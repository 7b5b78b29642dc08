/**
 * Fragments and boundaries. The reducer never merges, splits or loses a
 * cycle given correctly parsed events: any log cut at any line, or any two
 * logs concatenated, yields cycles whose kinds and statuses agree with the
 * uncut log wherever the cycle is whole. And each input oddity the issue
 * lists (user-space lines between kernel lines, untimestamped serial output,
 * dmesg -r priorities, three-word device names, localized dmesg -T dates,
 * journal lines with truncated dates) leaves the cycles as they are.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {LogEvent, TimelineEvent} from '../source/events.js';
import {reduceAll} from '../source/monitor/reducer.js';
import {cycleDocument} from '../source/monitor/summary-document.js';
import {parseLogText} from '../source/trace/log-parser.js';
import {fixturesDir} from '../source/paths.js';
import {allCycles} from './helpers/replay.js';

const traces = fixturesDir('traces');

function logs(dir: string): string[] {
	return readdirSync(dir).flatMap(name => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return logs(full);
		return /\.log$/.test(name) ? [full] : [];
	});
}

type Seen = {first: number; last: number; kind: string; status: string; partial: string | null};

function cyclesOfEvents(events: TimelineEvent[]): Seen[] {
	return allCycles(reduceAll(events)).map((c, i) => {
		const doc = cycleDocument(c, i + 1);
		return {first: c.lines?.first ?? 0, last: c.lines?.last ?? 0, kind: doc.kind, status: doc.status, partial: doc.partial};
	});
}

function cyclesOf(lines: string[]): Seen[] {
	return cyclesOfEvents(parseLogText(lines.join('\n') + '\n', 'cut.log').events);
}

/** A cycle is whole when the log holds all its lines: it neither began before nor ended after it. */
const whole = (c: Seen) => c.partial === null;
const key = (c: Seen, shift = 0) => `${c.first - shift}-${c.last - shift} ${c.kind} ${c.status}`;
const lineOf = (e: TimelineEvent) => ('source' in e && e.source ? e.source.line : 0);
/** Events of another log placed after these: lines and times shifted (the parser reads each log alone). */
function after(events: TimelineEvent[], lines: number, t: number): TimelineEvent[] {
	return events.map(e => ({...e, t: e.t + t, ...('source' in e && e.source ? {source: {...e.source, line: e.source.line + lines, ...(e.source.endLine ? {endLine: e.source.endLine + lines} : {})}} : {})}) as TimelineEvent);
}

// Each log parsed once: the property is about the reducer, given correctly parsed events.
const files = logs(traces).map(f => {
	const lines = readFileSync(f, 'utf8').replace(/\n$/, '').split('\n');
	return {name: path.relative(traces, f), lines: lines.length, events: parseLogText(lines.join('\n') + '\n', path.basename(f)).events as TimelineEvent[]};
});

describe('a log cut at any line: whole cycles keep their kind and status', () => {
	it.each(files.map(f => [f.name, f] as const))('%s', (_name, file) => {
		const uncut = cyclesOfEvents(file.events).filter(whole);
		for (let k = 1; k < file.lines; k++) {
			const headEvents = file.events.filter(e => lineOf(e) <= k);
			const tailEvents = after(file.events.filter(e => lineOf(e) > k), 0, 0);
			const head = cyclesOfEvents(headEvents).map(c => key(c));
			const tail = cyclesOfEvents(tailEvents).map(c => key(c));
			for (const cycle of uncut) {
				if (cycle.last <= k) expect(head, `cut after line ${k}`).toContain(key(cycle));
				if (cycle.first > k) expect(tail, `cut after line ${k}`).toContain(key(cycle));
			}
		}
	});
});

describe('two logs concatenated: whole cycles of each keep their kind and status', () => {
	/**
	 * B's cycles must survive unless A ends inside a cycle (end-missing): then B's first lines may be that
	 * cycle's continuation ("PM: suspend entry" at A's end, "Freezing user space processes" at B's start
	 * is one cycle, as far as any reader can tell), so B's first cycle is not whole in the joined log.
	 */
	function check(a: (typeof files)[number], b: (typeof files)[number]): void {
		const end = Math.max(0, ...a.events.map(e => e.t));
		const joined = cyclesOfEvents([...a.events, ...after(b.events, a.lines, end)]).map(c => key(c));
		const aCycles = cyclesOfEvents(a.events);
		for (const cycle of aCycles.filter(whole)) expect(joined, `${a.name} + ${b.name}`).toContain(key(cycle));
		const open = aCycles.at(-1)?.partial === 'end-missing';
		for (const [i, cycle] of cyclesOfEvents(b.events).entries()) {
			if (whole(cycle) && !(open && i === 0)) expect(joined, `${a.name} + ${b.name}`).toContain(key(cycle, -a.lines));
		}
	}

	it('every ordered pair of fixture logs', () => {
		for (const a of files) for (const b of files) check(a, b);
	}, 120_000);

	it('a hibernation that wrote its image, a boot whose restore finds no image, then a firmware activation: three attempts, the restore ends the first (the chain fast-check found)', () => {
		const pick = (name: string) => files.find(f => f.name === name)!;
		const chain = [pick('14-hibernate-5.6rc6-arm64-juno-image-saving-warning.log'), pick('from-source/hib-2.6-image-not-found-ebusy-boot.log'), pick('nfit-test-6.1/01-quiesce-sysfs/dmesg-01-quiesce-sysfs-raw.log')];
		let lines = 0;
		let end = 0;
		const events: TimelineEvent[] = [];
		for (const file of chain) {
			events.push(...after(file.events, lines, end));
			lines += file.lines;
			end = Math.max(end, ...events.map(e => e.t));
		}

		// Before: "PM: Image not found (code -16)" left the hibernation open, and the activation's freeze became part of it.
		expect(cyclesOfEvents(events).map(c => `${c.kind} ${c.status}`)).toEqual(['hibernate failed', 'fwa-quiesce unverified']);
	});

	it('any sequence of fixture logs (random chains of 3 to 6)', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({min: 0, max: files.length - 1}), {minLength: 3, maxLength: 6}), picks => {
				let lines = 0;
				let end = 0;
				const chain: TimelineEvent[] = [];
				const expected: string[] = [];
				let open = false;
				for (const i of picks) {
					const file = files[i]!;
					const cycles = cyclesOfEvents(file.events);
					for (const [n, cycle] of cycles.entries()) if (whole(cycle) && !(open && n === 0)) expected.push(key(cycle, -lines));
					open = cycles.length > 0 ? cycles.at(-1)!.partial === 'end-missing' : open;
					chain.push(...after(file.events, lines, end));
					lines += file.lines;
					end = Math.max(end, ...chain.map(e => e.t));
				}

				const joined = cyclesOfEvents(chain).map(c => key(c));
				for (const k of expected) expect(joined, picks.map(i => files[i]!.name).join(' + ')).toContain(k);
			}),
			{numRuns: 100},
		);
	}, 120_000);
});

/** The kernel records of a simple failed suspend, as events (no parser involved). */
function kernel(t: number, text: string, line: number): LogEvent {
	return {kind: 'log', t, text, origin: 'kernel', source: {file: 'x.log', line}};
}

const failedSuspend = [
	'PM: suspend entry (deep)',
	'Freezing user space processes ... (elapsed 0.001 seconds) done.',
	'OOM killer disabled.',
	'Freezing remaining freezable tasks ... (elapsed 0.001 seconds) done.',
	'printk: Suspending console(s) (use no_console_suspend to debug)',
	'i8042 kbd 00:00: PM: failed to suspend: error -16',
	'PM: Some devices failed to suspend, or early wake event detected',
	'OOM killer enabled.',
	'Restarting tasks ... done.',
	'PM: suspend exit',
];

describe('input oddities do not merge, split or lose a cycle', () => {
	const baseline = () => failedSuspend.map((text, i) => kernel(1_000_000 + i * 1000, text, i + 1));
	const statuses = (events: TimelineEvent[]) => allCycles(reduceAll(events)).map(c => [c.kind, cycleDocument(c, 1).status, c.failures.length]);

	it('the baseline: one failed suspend with two failures (the device, then "Some devices failed"), the first naming a three-word device', () => {
		const state = reduceAll(baseline());
		expect(statuses(baseline())).toEqual([['suspend', 'failed', 2]]);
		expect(allCycles(state)[0]!.failures[0]).toMatchObject({device: 'i8042 kbd 00:00', errnoName: 'EBUSY'});
	});

	it('user-space lines between kernel lines (a journal)', () => {
		const events: TimelineEvent[] = baseline().flatMap((e, i) => [e, {kind: 'log', t: e.t, text: 'systemd-sleep[712]: Entering sleep state \'suspend\'... failed to suspend: error -16', origin: 'userspace', ident: 'systemd-sleep', source: {file: 'x.log', line: 100 + i}} as LogEvent]);
		expect(statuses(events)).toEqual([['suspend', 'failed', 2]]);
	});

	it('untimestamped serial-console output (firmware lines, all at the same time)', () => {
		const events: TimelineEvent[] = baseline().flatMap((e, i) => [e, {kind: 'log', t: e.t, text: i % 2 ? 'bl30 enter suspend!' : 'Restarting', origin: 'unknown', source: {file: 'x.log', line: 200 + i}} as LogEvent]);
		expect(statuses(events)).toEqual([['suspend', 'failed', 2]]);
	});

	it('records without levels and with every level (dmesg -r priorities decoded by the parser)', () => {
		for (const level of [undefined, 0, 3, 4, 6, 7] as const) {
			const events = baseline().map(e => (level === undefined ? e : {...e, level}));
			expect(statuses(events)).toEqual([['suspend', 'failed', 2]]);
		}
	});

	it('coarse stamps (1 s journal or dmesg -T dates in any locale): every line in the same second', () => {
		const events = baseline().map(e => ({...e, t: 7_000_000}));
		expect(statuses(events)).toEqual([['suspend', 'failed', 2]]);
	});

	it('journal lines whose date was cut: no stamp at all, t from the line before', () => {
		const events = baseline().map((e, i) => (i % 3 === 1 ? {...e, stamp: undefined} : e));
		expect(statuses(events)).toEqual([['suspend', 'failed', 2]]);
	});

	it('the same through the parser: one-digit dmesg -r priorities, German dmesg -T dates, journal lines without a date', () => {
		const variants = [
			failedSuspend.map((l, i) => `<${i === 5 ? 3 : 6}>[ 10.00${i}000] ${l}`),
			failedSuspend.map(l => `[Mi Jan 30 19:16:41 2019] ${l}`),
			failedSuspend.map((l, i) => (i % 2 ? `Jan 30 19:16:4${i} host kernel: ${l}` : `kernel: ${l}`)),
		];
		for (const lines of variants) expect(cyclesOf(lines).map(c => [c.kind, c.status]), lines[0]).toEqual([['suspend', 'failed']]);
	});

	it('through the parser: dmesg -r "<12>"/"<14>" priorities (facility 1)', () => {
		// Facility 1 (LOG_USER) is what user space writes to /dev/kmsg; the kernel's own records are facility 0.
		// Interleaved with the kernel's cycle they neither split nor merge it …
		const mixed = failedSuspend.flatMap((l, i) => [`<${i === 5 ? 3 : 6}>[ 10.00${i}000] ${l}`, `<${i === 5 ? 11 : 14}>[ 10.00${i}500] systemd-sleep[4242]: ${l}`]);
		expect(cyclesOf(mixed).map(c => [c.kind, c.status])).toEqual([['suspend', 'failed']]);
		// … and on their own they are user-space records with their level, never a made-up kernel cycle.
		const user = failedSuspend.map((l, i) => `<${i === 5 ? 11 : 14}>[ 10.00${i}000] ${l}`);
		const {events} = parseLogText(user.join('\n') + '\n', 'cut.log');
		const logEvents = events.filter((e): e is LogEvent => e.kind === 'log');
		expect(logEvents.map(e => [e.origin, e.level])).toEqual(user.map((_, i) => ['userspace', i === 5 ? 3 : 6]));
		expect(cyclesOf(user)).toEqual([]);
	});

	// CJK dmesg -T month names ("1月") are read as dates (trace/log-parser.ts), so the records keep their kernel origin.
	it('through the parser: CJK dmesg -T dates ("[木 1月 30 19:16:41 2019]")', () => {
		expect(cyclesOf(failedSuspend.map(l => `[木 1月 30 19:16:41 2019] ${l}`)).map(c => [c.kind, c.status])).toEqual([['suspend', 'failed']]);
	});

	it('a new boot ends an open cycle: "the machine restarted during …"', () => {
		const events = [...baseline().slice(0, 5), kernel(0, 'Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)', 50)];
		const [cycle] = allCycles(reduceAll(events));
		expect(cycle).toMatchObject({status: 'failed'});
		expect(cycle!.failures.at(-1)!.text).toMatch(/the machine restarted during "Suspend devices"/);
	});

	it('a hibernation that wrote its image comes back through a new boot: not a restart failure', () => {
		const lines = ['PM: hibernation: hibernation entry', 'Freezing user space processes ... (elapsed 0.001 seconds) done.', 'PM: hibernation: Preallocating image memory', 'PM: Image saving done', 'reboot: Power down', 'Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)', 'PM: hibernation: resume from hibernation', 'Restarting tasks ... done.', 'PM: hibernation: hibernation exit'];
		const [cycle, ...rest] = allCycles(reduceAll(lines.map((text, i) => kernel(1000 + i, text, i + 1))));
		expect(rest).toEqual([]);
		expect(cycleDocument(cycle!, 1)).toMatchObject({kind: 'hibernate', status: 'ok', failures: []});
	});
});
