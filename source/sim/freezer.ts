/**
 * The freezer loop of try_to_freeze_tasks() (kernel/power/process.c):
 * signal every task, then poll until none is left, sleeping 0.5–1 ms at
 * first and doubling up to 4–8 ms, giving up after freeze_timeout_msecs.
 * Pure: given when each task would freeze, it says what the kernel reports.
 */
import {upperBound} from '../sorted.js';
import type {Prng} from './prng.js';

export type FreezerTask = {
	id: number;
	/** µs after the freeze starts when this task enters the refrigerator (Infinity: never). */
	readyAfterUs: number;
};

export type FreezerProgress = {atUs: number; frozen: number};

export type FreezerResult = {
	ok: boolean;
	/** µs from the start to the moment the loop ended. */
	elapsedUs: number;
	total: number;
	/** Tasks still not frozen when the loop gave up (empty on success). */
	refusing: FreezerTask[];
	/** Samples of the frozen count, one per loop pass where it changed. */
	progress: FreezerProgress[];
};

/** Cost of one pass over the task list, per task (µs). */
const scanCostPerTaskUs = 0.06;

/** The retry sleep stops doubling here (process.c: `if (sleep_usecs < 8 * USEC_PER_MSEC) sleep_usecs *= 2`). */
const maxSleepUs = 8000;

/** Work done by the last runFreezer() call, in loop passes simulated one by one (for cost tests). */
export const freezerCost = {passes: 0, skips: 0};

export function runFreezer(tasks: readonly FreezerTask[], timeoutMs: number, rng: Prng): FreezerResult {
	const ready = new Float64Array(tasks.length);
	for (let i = 0; i < tasks.length; i++) ready[i] = tasks[i]!.readyAfterUs;
	const result = freezeLoop(ready, timeoutMs, rng);
	return {...result, refusing: tasks.filter(task => task.readyAfterUs > result.elapsedUs)};
}

/**
 * runFreezer() over task `i`'s ready time at `readyAfterUs[i]` (the task's id is its index), with no
 * task objects: what the simulator calls for thousands of tasks. The array is not changed.
 */
export function runFreezerOn(readyAfterUs: Float64Array, timeoutMs: number, rng: Prng): FreezerResult {
	const result = freezeLoop(readyAfterUs, timeoutMs, rng);
	const refusing: FreezerTask[] = [];
	for (let id = 0; id < readyAfterUs.length; id++) {
		if (readyAfterUs[id]! > result.elapsedUs) refusing.push({id, readyAfterUs: readyAfterUs[id]!});
	}

	return {...result, refusing};
}

function freezeLoop(readyAfterUs: Float64Array, timeoutMs: number, rng: Prng): Omit<FreezerResult, 'refusing'> {
	const total = readyAfterUs.length;
	// The tasks still not frozen, compacted in place each pass: the first passes, which freeze nearly
	// every task, cost one look at each task still running, no sort. Once the sleep stops doubling
	// (a slow task is left), what remains is sorted once and searched from then on.
	const pending = readyAfterUs.slice();
	let left = total;
	let sorted = false;
	const endUs = timeoutMs * 1000;
	const scanUs = Math.max(1, Math.round(total * scanCostPerTaskUs));
	const progress: FreezerProgress[] = [];
	let sleepUs = 1000;
	let t = 0;
	let lastFrozen = -1;
	freezerCost.passes = 0;
	freezerCost.skips = 0;
	for (;;) {
		freezerCost.passes++;
		t += scanUs;
		let frozen: number;
		if (sorted) {
			frozen = total - left + upperBound(pending.subarray(0, left), t);
		} else {
			let kept = 0;
			for (let i = 0; i < left; i++) {
				const readyUs = pending[i]!;
				if (readyUs > t) pending[kept++] = readyUs;
			}

			left = kept;
			frozen = total - left;
		}

		if (frozen !== lastFrozen) {
			progress.push({atUs: t, frozen});
			lastFrozen = frozen;
		}

		if (frozen === total || t > endUs) break;
		// Nothing can change before the next task is ready or the timeout passes:
		// jump over the passes in between at once, so the cost of a long timeout
		// (pm_freeze_timeout goes up to 2^32-1 ms) does not grow with it.
		if (sleepUs >= maxSleepUs) {
			if (!sorted) {
				// A typed array sorts numerically (no NaN here), as (a, b) => a - b would.
				pending.subarray(0, left).sort();
				sorted = true;
			}

			// The first task not frozen yet: the smallest ready time above t.
			const target = Math.min(pending[frozen - (total - left)]!, endUs);
			const passes = Math.floor((target - t) / (scanUs + maxSleepUs));
			if (passes > 8) {
				t += skipPasses(passes, scanUs, rng);
				freezerCost.skips++;
			}
		}

		t += rng.int(sleepUs / 2, sleepUs);
		if (sleepUs < maxSleepUs) sleepUs *= 2;
	}

	return {ok: lastFrozen === total, elapsedUs: t, total, progress};
}

/**
 * Time taken by `n` passes of usleep_range(4 ms, 8 ms) plus a scan: the sum
 * of n uniform draws, drawn at once (normal approximation, clamped to the
 * possible range). Each pass ends at most scan + 8 ms later, so the jump never
 * passes the moment it was computed for.
 */
function skipPasses(n: number, scanUs: number, rng: Prng): number {
	const half = maxSleepUs / 2;
	const mean = n * (scanUs + half * 1.5);
	const sd = Math.sqrt(n) * (half / Math.sqrt(12));
	const u = 1 - rng.next();
	const gauss = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
	return Math.round(Math.min(n * (scanUs + maxSleepUs), Math.max(n * (scanUs + half), mean + sd * gauss)));
}
