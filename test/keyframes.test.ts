/**
 * The player reduces its timeline in place and keeps copies at its keyframes (player/keyframe.ts,
 * issue 18: no copy of the whole state per event while loading). Checked against the copy-on-write
 * reduction from the start (reduceAll): every state a player hands out is the state after that
 * many events, and stays so — a later seek, step or append never changes a state handed out
 * before, nor a keyframe. On a real 6.1 log repeated past the 100 cycles a state keeps (the
 * archived cycles are what keyframes share), with the steps a player takes: one event, a few
 * (copy-on-write from the state shown), many (a copy reduced in place), back (from a keyframe).
 */
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import type {TimelineEvent} from '../source/events.js';
import {maxCycles, reduceAll} from '../source/monitor/reducer.js';
import type {MonitorState} from '../source/monitor/state.js';
import {fixturesDir} from '../source/paths.js';
import {FlagList, IndexList, keyframeOf, shareEqual} from '../source/player/keyframe.js';
import {Player} from '../source/player/player.js';
import {replay} from './helpers/replay.js';

const qemuLog = fixturesDir('traces', 'qemu-6.1', 'dmesg-6.1-boot-hibernate-pm_test-freezer-devices.log');

let timeline: TimelineEvent[];

beforeAll(async () => {
	const {events} = await replay(qemuLog);
	// The log again and again, each copy later than the one before (as bench/real-log.ts makes big logs).
	const span = events.at(-1)!.t - events[0]!.t + 1_000_000;
	timeline = [];
	for (let copy = 0; timeline.length < 40_000; copy++) for (const e of events) timeline.push({...e, t: e.t + copy * span, ...(e.kind === 'log' && e.stamp !== undefined ? {stamp: e.stamp + copy * span} : {})} as TimelineEvent);
});

/** The copy-on-write states after `counts` events, from the start (the reference). */
function reference(counts: number[]): Map<number, MonitorState> {
	const wanted = [...new Set(counts)].sort((a, b) => a - b);
	const out = new Map<number, MonitorState>();
	let state = reduceAll([]);
	let at = 0;
	for (const count of wanted) {
		state = reduceAll(timeline.slice(at, count), state);
		at = count;
		out.set(count, state);
	}

	return out;
}

describe('keyframes (the player reduces in place between them)', () => {
	it('the repeated log goes past the cycles a state keeps', () => {
		const final = reduceAll(timeline);
		expect(final.totals.cycles).toBeGreaterThan(maxCycles + 20);
		expect(final.cycles.length).toBe(maxCycles);
	});

	it('every state handed out is the state after that many events, and stays so whatever comes after', () => {
		const player = new Player(timeline, {keyframeEvery: 512, pace: false});
		fc.assert(
			fc.property(fc.array(fc.oneof(fc.integer({min: 1, max: 3}), fc.integer({min: 4, max: 40}), fc.integer({min: 41, max: 2000}), fc.integer({min: -3000, max: -1}), fc.nat(timeline.length)), {minLength: 2, maxLength: 12}), moves => {
				let count = Math.floor(timeline.length / 3);
				const counts: number[] = [];
				for (const move of moves) {
					count = move > timeline.length / 2 ? move : Math.min(timeline.length, Math.max(0, count + move));
					counts.push(count);
				}

				const expected = reference(counts);
				const handedOut: Array<[number, MonitorState, string]> = [];
				for (const c of counts) {
					const state = player.stateAfter(c);
					expect(state).toEqual(expected.get(c));
					handedOut.push([c, state, JSON.stringify(state)]);
				}

				// Nothing handed out was changed by the moves after it.
				for (const [c, state, json] of handedOut) expect(JSON.stringify(state), `state after ${c} events`).toBe(json);
			}),
			{numRuns: 25, endOnFailure: true},
		);
	});

	it('appended in batches (a replay being read), the keyframes are those of the whole timeline, unchanged by seeks between appends', () => {
		const whole = new Player(timeline, {keyframeEvery: 256, pace: false});
		const streamed = Player.open({keyframeEvery: 256, blockSize: 64, pace: false});
		for (let from = 0; from < timeline.length; from += 3001) {
			streamed.append(timeline.slice(from, from + 3001));
			streamed.stateAfter(Math.floor(streamed.length / 2));
			streamed.stateAfter(streamed.length);
		}

		streamed.finish();
		const keyframes = (p: Player) => (p as unknown as {keyframes: MonitorState[]}).keyframes;
		expect(keyframes(streamed).length).toBe(Math.ceil(timeline.length / 256));
		expect(keyframes(streamed)).toEqual(keyframes(whole));
		const expected = reference([0, 256, 256 * 7, 256 * 100]);
		for (const [count, state] of expected) expect(keyframes(streamed)[count / 256]).toEqual(state);
	});

	it('a keyframe shares with the keyframe before it exactly the parts that are equal', () => {
		const before = keyframeOf(reduceAll(timeline.slice(0, 5000)));
		const state = reduceAll(timeline.slice(0, 5512));
		const copy = keyframeOf(state, before);
		expect(copy).toEqual(state);
		let shared = 0;
		for (const key of Object.keys(copy) as Array<keyof MonitorState>) {
			const equal = JSON.stringify(copy[key]) === JSON.stringify(before[key]);
			if (typeof copy[key] === 'object' && copy[key] !== null) {
				expect(copy[key] === before[key], key).toBe(equal);
				if (equal) shared++;
			}
		}

		expect(shared).toBeGreaterThan(2);
		expect(keyframeOf(before, before)).toBe(before);
		expect(shareEqual({a: 0, b: {c: 1}}, {a: -0, b: {c: 1}})).toEqual({a: 0, b: {c: 1}});
		expect(Object.is((shareEqual({a: 0}, {a: -0}) as {a: number}).a, 0)).toBe(true);
		const old = {a: 1, b: {c: 1}};
		expect((shareEqual({a: 2, b: {c: 1}}, old) as {b: unknown}).b).toBe(old.b);
		expect(shareEqual({a: 1, b: {c: 1}, d: undefined}, old)).not.toBe(old);
	});

	it('a keyframe copy shares only the archived cycles', () => {
		const state = reduceAll(timeline.slice(0, 20_000));
		const copy = keyframeOf(state);
		expect(copy).toEqual(state);
		expect(copy.cycles).not.toBe(state.cycles);
		expect(copy.cycles[0]).toBe(state.cycles[0]);
		expect(copy.devices).not.toBe(state.devices);
		expect(copy.log).not.toBe(state.log);
		if (state.cycle) expect(copy.cycle).not.toBe(state.cycle);
	});
});

describe('IndexList', () => {
	it('keeps what is pushed, in order, through growth and trim', () => {
		const list = new IndexList();
		const pushed: number[] = [];
		for (let i = 0; i < 5000; i += 3) {
			list.push(i);
			pushed.push(i);
		}

		expect([...list.view]).toEqual(pushed);
		list.trim();
		expect([...list.view]).toEqual(pushed);
		list.push(7777);
		expect([...list.view]).toEqual([...pushed, 7777]);
		const empty = new IndexList();
		empty.trim();
		empty.push(1);
		expect([...empty.view]).toEqual([1]);
	});
});

describe('FlagList', () => {
	it('answers for every index whether it was set, through growth', () => {
		const flags = new FlagList();
		const set = new Set<number>();
		for (let i = 0; i < 20_000; i += 1 + (i % 7)) {
			flags.set(i);
			set.add(i);
		}

		for (let i = 0; i < 21_000; i++) expect(flags.has(i), String(i)).toBe(set.has(i));
	});
});
