import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {schedulePhase} from '../source/sim/device-phase.js';
import {Engine} from '../source/sim/engine.js';
import {runFreezer} from '../source/sim/freezer.js';
import {Prng} from '../source/sim/prng.js';

describe('Prng', () => {
	it('is deterministic per seed and differs across seeds', () => {
		const draw = (seed: number) => Array.from({length: 5}, (() => {
			const rng = new Prng(seed);
			return () => rng.nextUint32();
		})());
		expect(draw(1)).toEqual(draw(1));
		expect(draw(1)).not.toEqual(draw(2));
	});

	it('int() stays within bounds', () => {
		fc.assert(fc.property(fc.integer({min: 0, max: 2 ** 32 - 1}), fc.integer({min: 0, max: 1e6}), fc.integer({min: 0, max: 1e6}), (seed, a, b) => {
			const v = new Prng(seed).int(a, b);
			expect(v).toBeGreaterThanOrEqual(Math.min(a, b));
			expect(v).toBeLessThanOrEqual(Math.max(a, b));
			expect(Number.isInteger(v)).toBe(true);
		}));
	});
});

describe('Engine', () => {
	it('runs by time, ties first-in first-out, on an integer clock', () => {
		const engine = new Engine(100);
		const order: string[] = [];
		engine.schedule(5, () => order.push('b'));
		engine.schedule(0, () => order.push('a'));
		engine.schedule(5, () => order.push('c'));
		engine.schedule(2.6, () => order.push(`rounded@${engine.now}`));
		while (engine.step());
		expect(order).toEqual(['a', 'rounded@103', 'b', 'c']);
		expect(engine.now).toBe(105);
	});

	it('runs generator processes that sleep in µs', () => {
		const engine = new Engine(0);
		const seen: number[] = [];
		engine.spawn((function * () {
			seen.push(engine.now);
			yield 10;
			seen.push(engine.now);
			yield 0;
			seen.push(engine.now);
		})(), () => seen.push(-1));
		while (engine.step());
		expect(seen).toEqual([0, 10, 10, -1]);
	});
});

describe('runFreezer (try_to_freeze_tasks)', () => {
	it('reports elapsed time at the pass where the last task froze', () => {
		const result = runFreezer([{id: 0, readyAfterUs: 10}, {id: 1, readyAfterUs: 2500}], 20_000, new Prng(1));
		expect(result.ok).toBe(true);
		expect(result.elapsedUs).toBeGreaterThanOrEqual(2500);
		expect(result.elapsedUs).toBeLessThan(2500 + 8000);
		expect(result.progress.at(-1)?.frozen).toBe(2);
	});

	it('gives up just after the timeout, naming the tasks that refused', () => {
		const result = runFreezer([{id: 0, readyAfterUs: 5}, {id: 1, readyAfterUs: Number.POSITIVE_INFINITY}], 20_000, new Prng(1));
		expect(result.ok).toBe(false);
		expect(result.refusing.map(t => t.id)).toEqual([1]);
		expect(result.elapsedUs).toBeGreaterThan(20_000_000);
		expect(result.elapsedUs).toBeLessThan(20_000_000 + 8000 + 100);
	});

	it('a task that wakes before the timeout only delays the freeze', () => {
		const result = runFreezer([{id: 0, readyAfterUs: 1_800_000}], 20_000, new Prng(3));
		expect(result.ok).toBe(true);
		expect(result.elapsedUs).toBeGreaterThanOrEqual(1_800_000);
		expect(result.elapsedUs).toBeLessThanOrEqual(1_808_100);
	});
});

describe('schedulePhase (device PM phase)', () => {
	it('runs async devices in parallel and sync ones in turn', () => {
		const schedule = schedulePhase([
			{key: 0, async: true, durationUs: 100},
			{key: 1, async: true, durationUs: 50},
			{key: 2, async: false, durationUs: 10},
			{key: 3, async: false, durationUs: 10},
		]);
		const by = new Map(schedule.callbacks.map(c => [c.key, c]));
		expect(by.get(1)!.startUs).toBeLessThan(by.get(0)!.endUs); // overlap
		expect(by.get(3)!.startUs).toBeGreaterThanOrEqual(by.get(2)!.endUs);
		expect(schedule.endUs).toBeGreaterThanOrEqual(100);
		expect(schedule.failure).toBeUndefined();
	});

	it('stops starting callbacks after an error; running ones finish', () => {
		const schedule = schedulePhase([
			{key: 0, async: false, durationUs: 30, error: -16},
			{key: 1, async: true, durationUs: 5},
		]);
		expect(schedule.failure).toEqual({key: 0, atUs: 31, error: -16});
		expect(schedule.callbacks.map(c => c.key)).toEqual([0]);
	});

	it('devices without a callback are walked but print nothing', () => {
		const schedule = schedulePhase([{key: 0, async: true, durationUs: undefined}, {key: 1, async: true, durationUs: 4}]);
		expect(schedule.visited).toEqual([0, 1]);
		expect(schedule.callbacks.map(c => c.key)).toEqual([1]);
	});
});
