/**
 * A timeline under playback control: the monitor state at any position,
 * from keyframes (every `keyframeEvery` events) so that seeking backwards
 * costs at most that many reductions, never a replay from the start. Phase
 * markers (events that change a phase) drive next/previous-phase jumps.
 * Pure apart from the clock, which the caller ticks with wall time.
 */
import type {LogEvent, TimelineEvent} from '../events.js';
import {reduce} from '../monitor/reducer.js';
import {initialState, type MonitorState} from '../monitor/state.js';
import {phaseKey} from '../monitor/summary.js';
import {PlaybackClock, quiesceWindows} from './clock.js';

export const speeds = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

export class Player {
	readonly clock: PlaybackClock;
	readonly startUs: number;
	readonly endUs: number;
	/** Indexes (into the timeline) of the log events, in order. */
	readonly logIndexes: number[] = [];
	/** Indexes of events after which a phase changed. */
	readonly phaseMarks: number[] = [];
	private readonly keyframes: MonitorState[] = [];
	private cache: {index: number; state: MonitorState} = {index: -1, state: initialState()};

	constructor(
		readonly timeline: readonly TimelineEvent[],
		readonly keyframeEvery = 256,
	) {
		let state = initialState();
		for (const [i, event] of timeline.entries()) {
			if (i % keyframeEvery === 0) this.keyframes.push(state);
			const next = reduce(state, event);
			if (phaseKey(next) !== phaseKey(state)) this.phaseMarks.push(i);
			if (event.kind === 'log') this.logIndexes.push(i);
			state = next;
		}

		this.startUs = timeline[0]?.t ?? 0;
		this.endUs = timeline.at(-1)?.t ?? this.startUs;
		this.clock = new PlaybackClock(this.startUs, 1, quiesceWindows(timeline));
	}

	get position(): number {
		return this.clock.position;
	}

	get ended(): boolean {
		return this.position >= this.endUs;
	}

	/** Number of events at or before `t` (the index just past the last visible event). */
	countAt(t: number): number {
		let lo = 0;
		let hi = this.timeline.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.timeline[mid]!.t <= t) lo = mid + 1;
			else hi = mid;
		}

		return lo;
	}

	/** The monitor state after the first `count` events. */
	stateAfter(count: number): MonitorState {
		const target = count - 1;
		if (target === this.cache.index) return this.cache.state;
		let index: number;
		let state: MonitorState;
		if (target > this.cache.index && target - this.cache.index < this.keyframeEvery) {
			({index, state} = this.cache);
		} else {
			const k = Math.floor(Math.max(0, count) / this.keyframeEvery);
			const key = Math.min(k, this.keyframes.length - 1);
			state = this.keyframes[Math.max(0, key)] ?? initialState();
			index = Math.max(0, key) * this.keyframeEvery - 1;
		}

		for (let i = index + 1; i <= target; i++) state = reduce(state, this.timeline[i]!);
		this.cache = {index: target, state};
		return state;
	}

	stateNow(): MonitorState {
		return this.stateAfter(this.countAt(this.position));
	}

	/** The last `n` log events visible at the current position, `back` lines up from the tail. */
	logTail(n: number, back = 0): {lines: LogEvent[]; total: number} {
		const visible = this.countAt(this.position);
		let lo = 0;
		let hi = this.logIndexes.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.logIndexes[mid]! < visible) lo = mid + 1;
			else hi = mid;
		}

		const end = Math.max(0, lo - back);
		const start = Math.max(0, end - n);
		return {lines: this.logIndexes.slice(start, end).map(i => this.timeline[i] as LogEvent), total: lo};
	}

	seek(t: number): void {
		this.clock.seek(Math.min(this.endUs, Math.max(this.startUs, t)));
	}

	/** Move to the next event after the current position. */
	stepForward(): void {
		const next = this.timeline[this.countAt(this.position)];
		if (next) this.seek(next.t);
	}

	nextPhase(): void {
		const visible = this.countAt(this.position);
		const mark = this.phaseMarks.find(i => i >= visible);
		this.seek(mark === undefined ? this.endUs : this.timeline[mark]!.t);
	}

	/** Back to where the current phase began; pressed there, to the phase before. */
	previousPhase(): void {
		const marks = this.phaseMarks.filter(i => this.timeline[i]!.t < this.position);
		const mark = marks.at(-1);
		this.seek(mark === undefined ? this.startUs : this.timeline[mark]!.t);
	}

	setSpeed(direction: 1 | -1): number {
		const index = speeds.findIndex(s => s >= this.clock.speed - 1e-12);
		const next = speeds[Math.min(speeds.length - 1, Math.max(0, (index === -1 ? speeds.length - 1 : index) + direction))]!;
		this.clock.speed = next;
		return next;
	}

	/** Seek step: 5 % of the timeline, at least 1 ms. */
	get seekStepUs(): number {
		return Math.max(1000, Math.round((this.endUs - this.startUs) / 20));
	}

	/** Inside a slow-motion window (the memory quiesce), if slow motion is on. */
	get inSlowMotion(): boolean {
		return this.clock.slowMotion && this.clock.slowWindows.some(w => this.position >= w.fromUs && this.position < w.toUs);
	}
}
