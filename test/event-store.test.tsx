/**
 * The packed timeline of a replay (issue 18: bounded memory; player/event-store.ts) shows exactly
 * what the timeline of objects showed: for every fixture trace — logs, sysfs dumps, ndctl output,
 * bundles, inputs of every format — a player built as the CLI builds it (Player.open, batches
 * appended, small blocks so that most events live sealed) and a player over the array of events
 * answer every query a frame asks the same, at every phase change, cycle start and spread times,
 * and draw the same frames.
 */
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {fixturesDir} from '../source/paths.js';
import {PackedEvents} from '../source/player/event-store.js';
import {Player} from '../source/player/player.js';
import {App} from '../source/ui/app.js';
import {waitForFrame} from './helpers/ink.js';
import {expectSameIndexes} from './helpers/player.js';
import {replay} from './helpers/replay.js';
import {simulate} from './helpers/sim.js';

/** Every trace under fixtures/traces and fixtures/inputs: files and bundle folders (a folder with a meta.json or sysfs files is one trace). */
function traces(): string[] {
	const out: string[] = [];
	for (const root of [fixturesDir('traces'), fixturesDir('inputs')]) {
		const walk = (dir: string) => {
			for (const name of readdirSync(dir).sort()) {
				const full = path.join(dir, name);
				if (statSync(full).isDirectory()) {
					out.push(full);
					walk(full);
				} else if (!/\.(?:md|tar)$/.test(name)) {
					out.push(full);
				}
			}
		};

		walk(root);
	}

	return out;
}

async function eventsOf(trace: string): Promise<TimelineEvent[] | undefined> {
	try {
		const {events} = await replay(trace);
		return events.length > 0 ? events : undefined;
	} catch {
		return undefined; // not a trace on its own (refused input, a folder of folders): the CLI says so, no player is built
	}
}

function packedPlayer(events: readonly TimelineEvent[]): Player {
	const player = Player.open({blockSize: 16});
	for (let i = 0; i < events.length; i += 37) player.append(events.slice(i, i + 37));
	player.finish();
	return player;
}

/** Positions worth looking at: every phase mark and cycle start, and 25 spread times. */
function positions(player: Player): number[] {
	const at = new Set<number>([player.startUs, player.endUs]);
	for (const i of [...player.phaseMarks, ...player.cycleStarts]) at.add(player.event(i)!.t);
	for (let k = 1; k < 25; k++) at.add(player.startUs + ((player.endUs - player.startUs) * k) / 25);
	return [...at];
}

function expectSameAnswers(packed: Player, whole: Player): void {
	expectSameIndexes(packed, whole);
	for (const t of positions(whole)) {
		packed.seek(t);
		whole.seek(t);
		expect(packed.stateNow()).toEqual(whole.stateNow());
		expect(packed.evidenceNow()).toEqual(whole.evidenceNow());
		expect(packed.cycleAt()).toEqual(whole.cycleAt());
		expect(packed.paceLabel).toBe(whole.paceLabel);
		expect(packed.ended).toBe(whole.ended);
		for (const filter of ['all', 'errors'] as const) {
			for (const back of [0, 7]) expect(packed.paneTail(30, back, filter)).toEqual(whole.paneTail(30, back, filter));
		}

		expect(packed.logTail(20)).toEqual(whole.logTail(20));
	}
}

describe('packed events (a replay in bounded memory)', () => {
	const all = traces();

	it('finds the fixture traces', () => {
		expect(all.length).toBeGreaterThan(40);
	});

	it.each(all.map(t => [path.relative(fixturesDir(), t), t]))('%s: same answers to every query a frame asks', async (_name, trace) => {
		const events = await eventsOf(trace);
		if (!events) return;
		expectSameAnswers(packedPlayer(events), new Player(events));
	});

	it('simulations too (actions, notes, sysfs values between the lines)', () => {
		for (const name of ['default', 'overflow', 'task-wont-freeze', 'need-reset']) {
			const events = simulate(name).timeline;
			expectSameAnswers(packedPlayer(events), new Player(events));
		}
	});

	it.each([
		['qemu-6.1', path.join('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log')],
		['a freeze failure', path.join('traces', '05-s3-3.0-ubuntu1110-kernlog-freeze-failure-khubd.log')],
		['nfit_test quiesce', path.join('traces', 'nfit-test-6.1', '01-quiesce-sysfs')],
	])('%s: the same frames at the start, the first cycle, mid-way and the end', async (_name, relative) => {
		const events = (await eventsOf(fixturesDir(relative)))!;
		const packed = packedPlayer(events);
		const whole = new Player(events);
		for (const t of [whole.startUs, whole.firstCycleUs, (whole.startUs + whole.endUs) / 2, whole.endUs]) {
			const frames: string[] = [];
			for (const player of [packed, whole]) {
				player.seek(t);
				const app = render(<App player={player} source="trace" autoplay={false} />);
				frames.push(await waitForFrame(app, f => /Kernel log/.test(f)));
				app.unmount();
			}

			expect(frames[0]).toBe(frames[1]);
		}
	});
});

describe('search on a packed timeline', () => {
	it('findPaneLine finds the nearest match each way, as a filter of every line would', async () => {
		const events = (await eventsOf(fixturesDir('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log')))!;
		const packed = packedPlayer(events);
		for (const needle of ['freez', 'pm:', 'nd_pmem', 'no-such-text']) {
			const test = (e: TimelineEvent) => (e.kind === 'log' ? e.text : '').toLowerCase().includes(needle);
			const all = packed.paneIndexes.filter(i => test(events[i]!));
			for (const from of [-1, 0, 100, 300, 409, events.length - 1, events.length]) {
				expect(packed.findPaneLine(test, 1, from)).toBe(all.find(i => i > from));
				expect(packed.findPaneLine(test, -1, from)).toBe(all.findLast(i => i < from));
			}
		}
	});
});

describe('PackedEvents', () => {
	it('gives back exactly what went in, sealed or not: odd strings, optional fields, every kind', () => {
		const odd = ['', 'plain', 'tab\there', 'ctrl \u0007\u001B[31m', 'é ü 中文 🙂', 'lone \uD800 high', 'lone \uDC00 low', 'nul \u0000 byte', '"quoted" \\ back'];
		const events: TimelineEvent[] = [];
		let t = 0;
		for (const text of odd) {
			events.push({kind: 'log', t: (t += 1), text});
			events.push({kind: 'log', t: (t += 1), stamp: t - 3, level: 3, text, source: {file: 'f.log', line: 7, endLine: 9}, origin: 'userspace', ident: 'systemd'});
			events.push({kind: 'sysfs', t: (t += 1), path: 'bus/nd/devices/ndbus0/firmware/activate', value: text});
			events.push({kind: 'action', t, op: 'write', path: 'x', value: text, result: null, actor: 'operator'});
			events.push({kind: 'action', t, op: 'write', path: 'x', result: {ok: false, errno: 'EBUSY', code: -16}, actor: 'script'});
			events.push({kind: 'note', t, topic: 'quiesce', text, data: {state: 'begin', n: 1.5, nested: {a: [1, 2]}}});
		}

		const store = new PackedEvents(4, 2);
		for (const e of events) store.push(e);
		expect(store.length).toBe(events.length);
		for (let i = 0; i < events.length; i++) {
			expect(store.at(i)).toEqual(events[i]);
			expect(store.t(i)).toBe(events[i]!.t);
			expect(store.kind(i)).toBe(events[i]!.kind);
		}

		// Backwards and jumping (the decoded-block cache evicts and decodes again).
		for (let i = events.length - 1; i >= 0; i -= 3) expect(store.at(i)).toEqual(events[i]);
		expect(store.all()).toEqual(events);
		expect(store.at(events.length)).toBeUndefined();
	});

	it('holds a large log in a fraction of its objects\' size', async () => {
		const {events} = await replay(fixturesDir('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log'));
		const store = new PackedEvents(64);
		for (let copy = 0; copy < 20; copy++) for (const e of events) store.push(e);
		const json = JSON.stringify(events).length * 20;
		expect(store.packedBytes).toBeLessThan(json / 3);
	});
});
