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
	const ready = tasks.map(t => t.readyAfterUs).sort((a, b) => a - b);
	const endUs = timeoutMs * 1000;
	const scanUs = Math.max(1, Math.round(tasks.length * scanCostPerTaskUs));
	const progress: FreezerProgress[] = [];
	let sleepUs = 1000;
	let t = 0;
	let lastFrozen = -1;
	freezerCost.passes = 0;
	freezerCost.skips = 0;
	for (;;) {
		freezerCost.passes++;
		t += scanUs;
		const frozen = upperBound(ready, t);
		if (frozen !== lastFrozen) {
			progress.push({atUs: t, frozen});
			lastFrozen = frozen;
		}

		if (frozen === ready.length || t > endUs) break;
		// Nothing can change before the next task is ready or the timeout passes:
		// jump over the passes in between at once, so the cost of a long timeout
		// (pm_freeze_timeout goes up to 2^32-1 ms) does not grow with it.
		if (sleepUs >= maxSleepUs) {
			const target = Math.min(ready[frozen]!, endUs);
			const passes = Math.floor((target - t) / (scanUs + maxSleepUs));
			if (passes > 8) {
				t += skipPasses(passes, scanUs, rng);
				freezerCost.skips++;
			}
		}

		t += rng.int(sleepUs / 2, sleepUs);
		if (sleepUs < maxSleepUs) sleepUs *= 2;
	}

	const refusing = tasks.filter(task => task.readyAfterUs > t);
	return {ok: refusing.length === 0, elapsedUs: t, total: tasks.length, refusing, progress};
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
