/**
 * The monitor on a pipe (issue 17): a Player on a timeline still being read — events appended in
 * batches as they come, then `finish` at the end of input. Whatever the batches, the finished
 * player is the player of the whole timeline (marks, indexes, keyframes, pace plan, caches); while
 * it is still read, playback waits at the end so far instead of ending. Pure: the wall clock is
 * passed in.
 */
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {reduceAll} from '../source/monitor/reducer.js';
import {Player} from '../source/player/player.js';
import {fixturesDir} from '../source/paths.js';
import {followUntilFirstCycle} from '../source/ui/run.js';
import {replay} from './helpers/replay.js';
import {expectSameIndexes} from './helpers/player.js';
import {simulate} from './helpers/sim.js';

const qemuLog = fixturesDir('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log');

/** Split `timeline` at `cuts` (sorted, deduplicated positions) into batches. */
function batches(timeline: readonly TimelineEvent[], cuts: number[]): TimelineEvent[][] {
	const at = [...new Set(cuts.map(c => c % (timeline.length + 1)))].sort((a, b) => a - b);
	const out: TimelineEvent[][] = [];
	let from = 0;
	for (const cut of [...at, timeline.length]) {
		out.push(timeline.slice(from, cut));
		from = cut;
	}

	return out;
}

function expectSamePlayer(streamed: Player, whole: Player): void {
	expectSameIndexes(streamed, whole);
	expect(streamed.startUs).toBe(whole.startUs);
	expect(streamed.endUs).toBe(whole.endUs);
	expect(streamed.logIndexes).toEqual(whole.logIndexes);
	expect(streamed.paneIndexes).toEqual(whole.paneIndexes);
	expect(streamed.pace.segments).toBe(whole.pace.segments);
	expect(streamed.pace.totalWallUs).toBeCloseTo(whole.pace.totalWallUs, 3);
	for (const event of whole.timeline) {
		expect(streamed.pace.toWall(event.t)).toBeCloseTo(whole.pace.toWall(event.t), 3);
		expect(streamed.pace.segmentAt(event.t)).toEqual(whole.pace.segmentAt(event.t));
	}
}

describe('Player on a timeline still being read', () => {
	let qemu: TimelineEvent[];
	beforeAll(async () => {
		qemu = (await replay(qemuLog)).events;
	});

	it('appended in any batches, then finished, it is the player of the whole timeline (a real 6.1 log and simulations)', () => {
		const timelines = [qemu, simulate('default').timeline, simulate('task-wont-freeze').timeline, simulate('overflow').timeline];
		for (const timeline of timelines) {
			const whole = new Player(timeline, 16);
			fc.assert(
				fc.property(fc.array(fc.nat(timeline.length), {maxLength: 12}), fc.boolean(), (cuts, askEarly) => {
					const streamed = Player.open(16);
					for (const batch of batches(timeline, cuts)) {
						streamed.append(batch);
						// The caches of filters, failures and the pace plan asked for while it grows are extended, not frozen.
						if (askEarly) {
							streamed.failures();
							streamed.paneLines('errors');
							streamed.paneLines('freezer');
							void streamed.pace;
						}
					}

					expect(streamed.complete).toBe(false);
					streamed.finish();
					expectSamePlayer(streamed, whole);
					for (const count of [0, 1, 17, Math.floor(timeline.length / 2), timeline.length]) {
						expect(streamed.stateAfter(count)).toEqual(reduceAll(timeline.slice(0, count)));
					}
				}),
				{numRuns: 12},
			);
		}
	});

	it('waits at the end so far (never ended) and plays on when more comes; after the end of input it ends', () => {
		const timeline = qemu;
		const half = timeline.findIndex(e => e.kind === 'log' && e.text === 'PM: hibernation: hibernation exit');
		expect(half).toBeGreaterThan(0);
		const player = Player.open();
		expect(player.following).toBe(true);
		expect(player.ended).toBe(false);
		player.append(timeline.slice(0, half + 1));
		const endSoFar = player.endUs;
		expect(endSoFar).toBe(timeline[half]!.t);
		expect(player.cycleAt()).toEqual({k: 0, n: 1});
		player.seek(endSoFar - 1000);
		let wall = 0;
		player.tick(wall);
		// An hour of wall time at 1000×: the clock stops at the last event read.
		player.clock.speed = 1000;
		for (let i = 0; i < 100; i++) player.tick((wall += 36_000));
		expect(player.position).toBe(endSoFar);
		expect(player.following).toBe(true);
		expect(player.ended).toBe(false);
		// Seeking past the end so far lands on it.
		player.seek(endSoFar + 60_000_000);
		expect(player.position).toBe(endSoFar);
		expect(player.seekStepUs).toBe(Math.max(1000, Math.round((endSoFar - player.startUs) / 20)));

		player.append(timeline.slice(half + 1));
		expect(player.endUs).toBe(timeline.at(-1)!.t);
		expect(player.cycleAt().n).toBe(2);
		player.tick((wall += 10));
		expect(player.position).toBeGreaterThan(endSoFar);
		for (let i = 0; i < 1000 && player.position < player.endUs; i++) player.tick((wall += 36_000));
		expect(player.position).toBe(player.endUs);
		expect(player.ended).toBe(false); // the end of input has not been seen: more may come
		player.finish();
		expect(player.ended).toBe(true);
		expect(player.following).toBe(false);
		expect(() => player.append(timeline.slice(0, 1))).toThrow(/complete/);
	});

	it('tells subscribers of each batch and of the end of input', () => {
		const player = Player.open();
		const seen: Array<[number, boolean]> = [];
		const unsubscribe = player.subscribe(() => seen.push([player.timeline.length, player.complete]));
		player.append(qemu.slice(0, 10));
		player.append([]);
		player.append(qemu.slice(10, 30));
		player.finish();
		player.finish();
		unsubscribe();
		expect(seen).toEqual([
			[10, false],
			[30, false],
			[30, true],
		]);
	});

	it('the monitor follows the end so far until the first cycle arrives, then opens there, as a replay of a file does', () => {
		const firstCycle = new Player(qemu).firstCycleUs;
		const boot = qemu.findIndex(e => e.t >= firstCycle) - 5;
		const mid = Math.floor(boot / 2);
		const player = Player.open();
		followUntilFirstCycle(player);
		player.append(qemu.slice(0, mid));
		expect(player.position).toBe(player.endUs);
		player.append(qemu.slice(mid, boot));
		expect(player.position).toBe(player.endUs);
		expect(player.cycleStarts).toEqual([]);
		player.append(qemu.slice(boot, boot + 300));
		expect(player.position).toBe(firstCycle);
		// Opened: later batches leave the position alone.
		player.append(qemu.slice(boot + 300));
		expect(player.position).toBe(firstCycle);
	});

	it('a person who moved before the first cycle keeps their place', () => {
		const player = Player.open();
		followUntilFirstCycle(player);
		player.append(qemu.slice(0, 50));
		player.seek(player.startUs);
		player.append(qemu.slice(50));
		expect(player.position).toBe(player.startUs);
	});
});
