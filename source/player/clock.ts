/**
 * The playback clock: maps wall-clock time to timeline (kernel) time at a
 * speed, through the pace plan (pace.ts: readable scenes stretched, idle
 * stretches compressed) or, with pacing off, in strict real time. Pure: the
 * caller passes wall time in, so position is computed from elapsed wall time
 * — no drift from timer jitter — and tests inject any clock they like.
 */
import {PacePlan} from './pace.js';

export class PlaybackClock {
	private positionUs: number;
	private lastWallMs: number | undefined;
	paused = false;

	constructor(
		startUs: number,
		public speed = 1,
		public plan: PacePlan = PacePlan.real(),
		/** Off: strict real time (the `s` key). */
		public paced = true,
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
		if (last === undefined || this.paused || wallMs <= last) return this.positionUs;
		const wallUs = (wallMs - last) * 1000 * this.speed;
		const next = this.paced ? this.plan.toKernel(this.plan.toWall(this.positionUs) + wallUs) : this.positionUs + wallUs;
		// Never backwards (the map's round trip is exact only to the last bit).
		this.positionUs = Math.max(this.positionUs, next);
		return this.positionUs;
	}
}
