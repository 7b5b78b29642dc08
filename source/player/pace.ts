/**
 * The pace rule: how a timeline's kernel time is played on a person's wall
 * clock. A firmware activation's freeze lasts a fraction of a second and a
 * freezer timeout 20 s of nothing; played in real time the first cannot be
 * followed and the second is a wait. So:
 *
 *  - every *scene* (what is on screen from one visible change — a phase
 *    starting or ending, an operator's read or write — to the next) stays at
 *    least a minimum on screen, longer for the phases that matter (the freeze
 *    of user space, the device freeze, the memory quiesce): time is stretched;
 *  - every stretch with nothing happening longer than the idle limit plays in
 *    the limit (asciinema's idle-time limit): time is compressed.
 *
 * The result is a piecewise-linear, strictly increasing map between kernel
 * time (µs, what the clock on screen shows — always the true one) and paced
 * time (µs of wall clock at 1×). Pure: built once from event times and marks,
 * queried by the playback clock with whatever wall time the caller passes.
 */
import {upperBound} from '../sorted.js';

export type PaceRule = {
	/** A scene stays at least this long on screen (µs of wall time at 1×). */
	minSceneUs: number;
	/** ... and this long when it is one of the phases that matter. */
	minKeySceneUs: number;
	/** An operator's read or write and the kernel's answer. */
	minActionUs: number;
	/** A stretch with no event longer than this plays in this long. */
	idleLimitUs: number;
};

export const defaultPace: PaceRule = {
	minSceneUs: 1_000_000,
	minKeySceneUs: 2_500_000,
	minActionUs: 700_000,
	idleLimitUs: 2_000_000,
};

/** How a stretch of kernel time is played. */
export type PaceSegment = {
	fromUs: number;
	toUs: number;
	/** Paced (wall at 1×) µs it takes. */
	wallUs: number;
	/** slow: stretched to be readable; gap: idle compressed; real: as it happened. */
	kind: 'real' | 'slow' | 'gap';
};

/**
 * Streaming builder: feed every event time in order (`event`) and the
 * changes a person should see (`mark`, at an event's time, before or after
 * that event's `event` call), then `build`.
 */
export class PacePlanBuilder {
	private kernel: number[] = [];
	private wall: number[] = [];
	private kinds: Array<PaceSegment['kind']> = [];
	/** The open scene: where it began, its minimum, its compressed gaps. */
	private scene: {fromUs: number; minUs: number; gaps: Array<{fromUs: number; toUs: number}>} | undefined;
	private lastUs: number | undefined;

	constructor(readonly rule: PaceRule = defaultPace) {}

	event(t: number): void {
		if (this.lastUs === undefined) {
			this.lastUs = t;
			this.scene = {fromUs: t, minUs: 0, gaps: []};
			this.kernel.push(t);
			this.wall.push(0);
			return;
		}

		if (t <= this.lastUs) return;
		if (t - this.lastUs > this.rule.idleLimitUs) this.scene!.gaps.push({fromUs: this.lastUs, toUs: t});
		this.lastUs = t;
	}

	/** From `t` on, what is on screen changed: keep it there at least `minUs`. */
	mark(t: number, minUs: number): void {
		this.event(t);
		const scene = this.scene!;
		if (t === scene.fromUs) {
			scene.minUs = Math.max(scene.minUs, minUs);
			return;
		}

		this.close(t);
		this.scene = {fromUs: t, minUs, gaps: []};
	}

	/**
	 * The plan of the times fed so far, the open scene ended at the last one. The builder is left
	 * as it was: more times can follow (a timeline still being read) and `build` again.
	 */
	build(): PacePlan {
		const copy = new PacePlanBuilder(this.rule);
		copy.kernel = this.kernel.slice();
		copy.wall = this.wall.slice();
		copy.kinds = this.kinds.slice();
		copy.lastUs = this.lastUs;
		copy.scene = this.scene && {...this.scene, gaps: this.scene.gaps.slice()};
		if (copy.scene && copy.lastUs !== undefined && copy.lastUs > copy.scene.fromUs) copy.close(copy.lastUs);
		return new PacePlan(Float64Array.from(copy.kernel), Float64Array.from(copy.wall), copy.kinds);
	}

	/** End the open scene at `t`: its gaps compressed, the whole stretched to its minimum. */
	private close(t: number): void {
		const scene = this.scene!;
		const span = t - scene.fromUs;
		const gapSpan = scene.gaps.reduce((sum, g) => sum + (g.toUs - g.fromUs), 0);
		const compressed = span - gapSpan + scene.gaps.length * this.rule.idleLimitUs;
		const scale = compressed > 0 && compressed < scene.minUs ? scene.minUs / compressed : 1;
		let at = scene.fromUs;
		const busy = scale > 1 ? 'slow' : 'real';
		for (const gap of scene.gaps) {
			if (gap.fromUs > at) this.push(gap.fromUs, (gap.fromUs - at) * scale, busy);
			this.push(gap.toUs, this.rule.idleLimitUs * scale, 'gap');
			at = gap.toUs;
		}

		if (t > at) this.push(t, (t - at) * scale, busy);
	}

	/** A knot at kernel time `k`, `wallUs` after the previous one; collinear knots merge. */
	private push(k: number, wallUs: number, kind: PaceSegment['kind']): void {
		const n = this.kernel.length;
		const w = this.wall[n - 1]! + wallUs;
		if (n >= 2 && this.kinds[n - 2] === kind && kind !== 'gap') {
			const k0 = this.kernel[n - 2]!;
			const w0 = this.wall[n - 2]!;
			const k1 = this.kernel[n - 1]!;
			const w1 = this.wall[n - 1]!;
			// Same rate as the segment before: extend it instead of adding a knot.
			if (Math.abs((w1 - w0) * (k - k1) - (w - w1) * (k1 - k0)) <= 1e-9 * (w - w0) * (k - k0)) {
				this.kernel[n - 1] = k;
				this.wall[n - 1] = w;
				return;
			}
		}

		this.kernel.push(k);
		this.wall.push(w);
		this.kinds.push(kind);
	}
}

/** The kernel ↔ paced map. Outside the knots, time is real (rate 1). */
export class PacePlan {
	constructor(
		private readonly kernel: Float64Array,
		private readonly wall: Float64Array,
		private readonly kinds: ReadonlyArray<PaceSegment['kind']>,
	) {}

	/** Real time everywhere. */
	static real(): PacePlan {
		return new PacePlan(new Float64Array(), new Float64Array(), []);
	}

	get segments(): number {
		return this.kinds.length;
	}

	/** Paced µs from the plan's start to its end. */
	get totalWallUs(): number {
		return this.wall.length === 0 ? 0 : this.wall[this.wall.length - 1]!;
	}

	/** Paced time at kernel time `k`. */
	toWall(k: number): number {
		return follow(this.kernel, this.wall, k);
	}

	/** Kernel time at paced time `w` (the inverse of toWall). */
	toKernel(w: number): number {
		return follow(this.wall, this.kernel, w);
	}

	/** The segment that plays kernel time `k` (the one starting there, at a knot). */
	segmentAt(k: number): PaceSegment {
		const n = this.kernel.length;
		if (n < 2 || k < this.kernel[0]! || k >= this.kernel[n - 1]!) return {fromUs: k, toUs: k, wallUs: 0, kind: 'real'};
		const i = upperBound(this.kernel, k) - 1;
		return {fromUs: this.kernel[i]!, toUs: this.kernel[i + 1]!, wallUs: this.wall[i + 1]! - this.wall[i]!, kind: this.kinds[i]!};
	}
}

/**
 * Along the knots (`from` ascending, `to` its image), the image of `x`: linear between knots, rate 1
 * before the first and after the last. The first knot's paced time is 0, so the map and its inverse
 * are this one function with the arrays swapped.
 */
function follow(from: Float64Array, to: Float64Array, x: number): number {
	const n = from.length;
	if (n === 0) return x;
	if (x <= from[0]!) return to[0]! + (x - from[0]!);
	if (x >= from[n - 1]!) return to[n - 1]! + (x - from[n - 1]!);
	const i = upperBound(from, x) - 1;
	const x0 = from[i]!;
	const x1 = from[i + 1]!;
	return to[i]! + ((x - x0) / (x1 - x0)) * (to[i + 1]! - to[i]!);
}

/** A length for people: 19.2 s, 3 min 12 s, 5 h 02 min. */
export function humanDuration(us: number): string {
	const s = us / 1_000_000;
	if (s < 60) return `${s.toFixed(1)} s`;
	if (s < 3600) return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
	const minutes = Math.round(s / 60);
	return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Two significant digits: ×0.0021, ×0.25. */
function factor(x: number): string {
	return Number(x.toPrecision(2)).toString();
}

/**
 * How time is being played, for the status bar: `×0.0021 slow` (kernel time
 * runs at that fraction of the wall clock, before the speed keys' factor),
 * `gap skipped 19.2 s`, `real time`, or `strict real time` when pacing is off.
 */
export function paceLabel(segment: PaceSegment, paced: boolean): string {
	if (!paced) return 'strict real time';
	const span = segment.toUs - segment.fromUs;
	if (span <= 0 || segment.wallUs <= 0) return 'real time';
	if (segment.kind === 'gap') return `gap skipped ${humanDuration(Math.max(0, span - segment.wallUs))}`;
	const rate = span / segment.wallUs;
	if (segment.kind === 'slow') return `×${factor(rate)} slow`;
	return 'real time';
}
