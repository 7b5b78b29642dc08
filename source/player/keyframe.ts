/**
 * A player's keyframes and working states (issue 18). The player reduces its timeline in place
 * (reduceInPlace: no copy of the state per event) and keeps, every `keyframeEvery` events, a copy
 * of the state there. A copy shares the archived cycles (`state.cycles`: at most 100, the bulk of
 * a state, never changed once archived — monitor/draft.ts archive() only pushes and drops them)
 * and owns everything else (the running cycle, devices, DIMMs, warnings, counts, the array of
 * cycles itself), so reducing one copy in place never changes another: a seek copies the keyframe
 * before it and reduces forward in place.
 */
import type {MonitorState} from '../monitor/state.js';

/**
 * A state that reduceInPlace may change without touching `state`: the archived cycles shared, the
 * rest copied. With `previous` (the keyframe before, never changed either), the parts of the copy
 * equal to its parts are its parts: between two keyframes most devices, DIMMs and warnings stay as
 * they were, and each is kept once.
 */
export function keyframeOf(state: MonitorState, previous?: MonitorState): MonitorState {
	const {cycles, ...rest} = state;
	const copy = structuredClone(rest) as MonitorState;
	copy.cycles = cycles.slice();
	if (!previous) return copy;
	const shared = shareEqual(copy, previous) as MonitorState;
	// Equal cycles arrays hold the same archived cycles (they are shared, never copied).
	if (shared !== previous && copy.cycles.length === previous.cycles.length && copy.cycles.every((c, i) => c === previous.cycles[i])) copy.cycles = previous.cycles;
	return shared;
}

/**
 * `fresh` with every part deep-equal to the same part of `old` replaced by `old`'s (and `old`
 * itself when all of it is equal). Plain data only (what a state is made of); `fresh` is changed.
 */
export function shareEqual(fresh: unknown, old: unknown): unknown {
	// Object.is: 0 and -0 are not the same number here.
	if (Object.is(fresh, old) || typeof fresh !== 'object' || fresh === null || typeof old !== 'object' || old === null) return Object.is(fresh, old) ? old : fresh;
	if (Array.isArray(fresh) !== Array.isArray(old)) return fresh;
	const f = fresh as Record<string, unknown>;
	const o = old as Record<string, unknown>;
	const keys = Object.keys(f);
	let same = keys.length === Object.keys(o).length;
	for (const key of keys) {
		const value = Object.hasOwn(o, key) ? shareEqual(f[key], o[key]) : f[key];
		f[key] = value;
		if (!Object.is(value, o[key]) || !Object.hasOwn(o, key)) same = false;
	}

	return same ? old : fresh;
}

/** Event indexes in ascending order, 4 bytes each (a replay's pane holds a line per log record: a million of them). */
export class IndexList {
	length = 0;
	private data = new Int32Array(256);

	push(index: number): void {
		if (this.length === this.data.length) {
			const grown = new Int32Array(Math.max(256, this.data.length * 2));
			grown.set(this.data);
			this.data = grown;
		}

		this.data[this.length++] = index;
	}

	/** The indexes so far (a view: it does not follow later pushes). */
	get view(): Int32Array {
		return this.data.subarray(0, this.length);
	}

	/** No more pushes: the spare room is given back. */
	trim(): void {
		if (this.data.length > this.length) this.data = this.data.slice(0, this.length);
	}
}

/** One bit per event index. */
export class FlagList {
	private bits = new Uint8Array(256);

	set(index: number): void {
		const byte = index >> 3;
		if (byte >= this.bits.length) {
			const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
			grown.set(this.bits);
			this.bits = grown;
		}

		this.bits[byte]! |= 1 << (index & 7);
	}

	has(index: number): boolean {
		return ((this.bits[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
	}
}
