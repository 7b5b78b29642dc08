/**
 * The freezer loop (sim/freezer.ts) no longer sorts every task's ready time: it drops the tasks that
 * froze at each pass and sorts what is left only once a slow task keeps it polling. What it reports
 * must be what the sorted loop reported, draw for draw: that loop is kept here, as it was written
 * (before this change), and both run on the same tasks with the same seeded streams.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {runFreezer, runFreezerOn, type FreezerResult, type FreezerTask} from '../source/sim/freezer.js';
import {Prng} from '../source/sim/prng.js';
import {upperBound} from '../source/sorted.js';

/** try_to_freeze_tasks() as sim/freezer.ts had it: one sorted array, a binary search per pass. */
function sortedFreezer(tasks: readonly FreezerTask[], timeoutMs: number, rng: Prng): FreezerResult {
	const ready = tasks.map(t => t.readyAfterUs).sort((a, b) => a - b);
	const endUs = timeoutMs * 1000;
	const scanUs = Math.max(1, Math.round(tasks.length * 0.06));
	const progress: FreezerResult['progress'] = [];
	let sleepUs = 1000;
	let t = 0;
	let lastFrozen = -1;
	for (;;) {
		t += scanUs;
		const frozen = upperBound(ready, t);
		if (frozen !== lastFrozen) {
			progress.push({atUs: t, frozen});
			lastFrozen = frozen;
		}

		if (frozen === ready.length || t > endUs) break;
		if (sleepUs >= 8000) {
			const target = Math.min(ready[frozen]!, endUs);
			const passes = Math.floor((target - t) / (scanUs + 8000));
			if (passes > 8) {
				const half = 4000;
				const mean = passes * (scanUs + half * 1.5);
				const sd = Math.sqrt(passes) * (half / Math.sqrt(12));
				const u = 1 - rng.next();
				const gauss = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
				t += Math.round(Math.min(passes * (scanUs + 8000), Math.max(passes * (scanUs + half), mean + sd * gauss)));
			}
		}

		t += rng.int(sleepUs / 2, sleepUs);
		if (sleepUs < 8000) sleepUs *= 2;
	}

	const refusing = tasks.filter(task => task.readyAfterUs > t);
	return {ok: refusing.length === 0, elapsedUs: t, total: tasks.length, refusing, progress};
}

/** Ready times as the simulator makes them: fast draws, slow ones, tasks that never freeze, ties. */
const readyTime = fc.oneof(
	fc.integer({min: 0, max: 2500}),
	fc.integer({min: 0, max: 400_000}),
	fc.integer({min: 0, max: 30_000_000}),
	fc.constant(Number.POSITIVE_INFINITY),
);

describe('the freezer without a full sort', () => {
	it('reports what the sorted loop reported: elapsed time, progress samples, refusing tasks, the next draw of the stream', () => {
		fc.assert(
			fc.property(fc.array(readyTime, {maxLength: 300}), fc.constantFrom(1, 20, 5000, 20_000, 4_294_967_295), fc.integer({min: 0, max: 0xff_ff_ff_ff}), (times, timeoutMs, seed) => {
				const tasks = times.map((readyAfterUs, id) => ({id, readyAfterUs}));
				const reference = new Prng(seed);
				const expected = sortedFreezer(tasks, timeoutMs, reference);
				const viaTasks = new Prng(seed);
				expect(runFreezer(tasks, timeoutMs, viaTasks)).toEqual(expected);
				const viaArray = new Prng(seed);
				const ready = Float64Array.from(times);
				expect(runFreezerOn(ready, timeoutMs, viaArray)).toEqual(expected);
				// The same draws were taken from each stream, and the caller's array is left as it was.
				const [next, ...others] = [reference, viaTasks, viaArray].map(rng => rng.nextUint32());
				expect(others).toEqual([next, next]);
				expect([...ready]).toEqual(times);
			}),
			{numRuns: 400},
		);
	});
});
