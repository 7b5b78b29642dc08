/**
 * The playback clock: maps wall-clock time to timeline time at a speed, with
 * automatic slow motion inside windows (the memory quiesce lasts hundreds of
 * µs; at 1× it would be invisible). Pure: the caller passes wall time in, so
 * position is computed from elapsed wall time — no drift from timer jitter.
 */
import type {TimelineEvent} from '../events.js';

/** A stretch of idle timeline played as no time at all (replays: long gaps between cycles). */
export type SkipWindow = {fromUs: number; toUs: number};

export type SlowWindow = {fromUs: number; toUs: number; /** virtual µs per wall µs inside the window at 1× */ rate: number};

export class PlaybackClock {
	private positionUs: number;
	private lastWallMs: number | undefined;
	paused = false;
	skips: SkipWindow[] = [];

	constructor(
		startUs: number,
		public speed = 1,
		public slowWindows: SlowWindow[] = [],
		public slowMotion = true,
	) {
		this.positionUs = startUs;
	}

	get position(): number {
		return this.positionUs;
	}

	/** Forget the last wall time: the next tick starts from there (after a pause). */
	resetWall(): void {
		this.lastWallMs = undefined;
	}

	seek(us: number): void {
		this.positionUs = us;
	}

	/** Advance by the wall time elapsed since the previous call; returns the new position. */
	tick(wallMs: number): number {
		const last = this.lastWallMs;
		this.lastWallMs = wallMs;
		if (last === undefined || this.paused) return this.positionUs;
		let wallUs = (wallMs - last) * 1000 * this.speed;
		// Integrate piecewise: normal rate outside windows, slow rate inside.
		while (wallUs > 0) {
			const window = this.slowMotion ? this.slowWindows.find(w => this.positionUs >= w.fromUs && this.positionUs < w.toUs) : undefined;
			if (window) {
				const virtualLeft = window.toUs - this.positionUs;
				const wallNeeded = virtualLeft / window.rate;
				if (wallUs < wallNeeded) {
					this.positionUs += wallUs * window.rate;
					return this.positionUs;
				}

				this.positionUs = window.toUs;
				wallUs -= wallNeeded;
				continue;
			}

			const skip = this.skips.find(w => this.positionUs >= w.fromUs && this.positionUs < w.toUs);
			if (skip) {
				this.positionUs = skip.toUs;
				continue;
			}

			const nextSkip = nextWindowStart(this.skips, this.positionUs);
			const nextSlow = this.slowMotion ? nextWindowStart(this.slowWindows, this.positionUs) : undefined;
			const next = nextSkip === undefined ? nextSlow : nextSlow === undefined ? nextSkip : Math.min(nextSkip, nextSlow);
			if (next !== undefined && this.positionUs + wallUs > next) {
				wallUs -= next - this.positionUs;
				this.positionUs = next;
				continue;
			}

			this.positionUs += wallUs;
			wallUs = 0;
		}

		return this.positionUs;
	}
}

function nextWindowStart(windows: Array<{fromUs: number}>, at: number): number | undefined {
	let best: number | undefined;
	for (const w of windows) if (w.fromUs > at && (best === undefined || w.fromUs < best)) best = w.fromUs;
	return best;
}

/** Slow-motion windows around each memory quiesce of a timeline: the stall lasts `wallSeconds` at 1×. */
export function quiesceWindows(timeline: readonly TimelineEvent[], wallSeconds = 2): SlowWindow[] {
	const windows: SlowWindow[] = [];
	let begin: number | undefined;
	for (const event of timeline) {
		if (event.kind !== 'note' || event.topic !== 'quiesce') continue;
		if (event.data?.['state'] === 'begin') begin = event.t;
		else if (event.data?.['state'] === 'end' && begin !== undefined) {
			const span = Math.max(1, event.t - begin);
			const margin = Math.max(50, Math.round(span / 4));
			windows.push({fromUs: begin - margin, toUs: event.t + margin, rate: (span + 2 * margin) / (wallSeconds * 1_000_000 * 1.5)});
			begin = undefined;
		}
	}

	return windows;
}
