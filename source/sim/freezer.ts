/**
 * The freezer loop of try_to_freeze_tasks() (kernel/power/process.c):
 * signal every task, then poll until none is left, sleeping 0.5–1 ms at
 * first and doubling up to 4–8 ms, giving up after freeze_timeout_msecs.
 * Pure: given when each task would freeze, it says what the kernel reports.
 */
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

export function runFreezer(tasks: readonly FreezerTask[], timeoutMs: number, rng: Prng): FreezerResult {
	const ready = tasks.map(t => t.readyAfterUs).sort((a, b) => a - b);
	const endUs = timeoutMs * 1000;
	const scanUs = Math.max(1, Math.round(tasks.length * scanCostPerTaskUs));
	const progress: FreezerProgress[] = [];
	let sleepUs = 1000;
	let t = 0;
	let lastFrozen = -1;
	for (;;) {
		t += scanUs;
		const frozen = countAtOrBefore(ready, t);
		if (frozen !== lastFrozen) {
			progress.push({atUs: t, frozen});
			lastFrozen = frozen;
		}

		if (frozen === ready.length || t > endUs) break;
		t += rng.int(sleepUs / 2, sleepUs);
		if (sleepUs < 8000) sleepUs *= 2;
	}

	const refusing = tasks.filter(task => task.readyAfterUs > t);
	return {ok: refusing.length === 0, elapsedUs: t, total: tasks.length, refusing, progress};
}

function countAtOrBefore(sorted: readonly number[], t: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid]! <= t) lo = mid + 1;
		else hi = mid;
	}

	return lo;
}
