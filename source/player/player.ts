/**
 * A timeline under playback control: the monitor state at any position,
 * from keyframes (every `keyframeEvery` events) so that seeking backwards
 * costs at most that many reductions, never a replay from the start. Phase
 * markers (events that change a phase) drive next/previous-phase jumps.
 * Pure apart from the clock, which the caller ticks with wall time.
 */
import type {ActionEvent, LogEvent, TimelineEvent} from '../events.js';
import {countLine, reduce, reduceInPlace} from '../monitor/reducer.js';
import {mayMatter} from '../kernel/line-filter.js';
import {isFailureLine, matchesFilter, type LogFilter} from '../monitor/selectors.js';
import {initialState, type MonitorState} from '../monitor/state.js';
import {phaseKey} from '../monitor/summary.js';
import {ArrayEvents, PackedEvents, type EventSource} from './event-store.js';
import {PlaybackClock} from './clock.js';
import {FlagList, IndexList, keyframeOf} from './keyframe.js';
import {defaultPace, PacePlan, PacePlanBuilder, paceLabel, type PaceRule} from './pace.js';
import {lowerBound, upperBound} from '../sorted.js';

/** A line of the log pane: a kernel log record or an operator's read or write. */
export type PaneEntry = {index: number; event: LogEvent | ActionEvent};

export type PlayerOptions = {
	keyframeEvery?: number;
	/** The pace rule (pace.ts); false builds no plan (strict real time only). */
	pace?: Partial<PaceRule> | false;
};

/** The phases a person must be able to watch: longer on screen than the others. */
const keyPhases = new Set(['freeze-user', 'freeze-devices', 'activation']);

/**
 * How long what `event` makes visible must stay on screen (µs of wall time
 * at 1×), or undefined when it changes nothing a person reads: a phase that
 * starts, ends or fails, a cycle that opens or closes, an operator's read or
 * write and the kernel's answer.
 */
export function sceneMinimum(before: MonitorState, after: MonitorState, event: TimelineEvent, rule: PaceRule): number | undefined {
	return sceneMinimumAfter(phaseKey(after) !== phaseKey(before), after, event, rule);
}

/** sceneMinimum, told whether the phase changed (the player reduces in place: the state before is gone). */
function sceneMinimumAfter(phaseChanged: boolean, after: MonitorState, event: TimelineEvent, rule: PaceRule): number | undefined {
	let min: number | undefined;
	if (phaseChanged) {
		const cycle = after.cycle?.status === 'running' ? after.cycle : undefined;
		const running = cycle?.phases.find(p => p.status === 'running');
		// Opened and nothing printed yet: the freeze of user space is under way (the freezer's line shows only when it ends).
		const freezing = cycle !== undefined && running === undefined && cycle.phases[0]?.status === 'pending';
		min = (running && keyPhases.has(running.id)) || freezing ? rule.minKeySceneUs : rule.minSceneUs;
	}

	if (event.kind === 'action') min = Math.max(min ?? 0, rule.minActionUs);
	return min;
}

/**
 * The pace plan of a stretch of timeline, from the state before its first
 * event (the rehearsal screen plays each command's stretch this way).
 */
export function pacePlanOf(events: readonly TimelineEvent[], from: MonitorState = initialState(), rule: PaceRule = defaultPace, span?: {fromUs: number; toUs: number}): PacePlan {
	const builder = new PacePlanBuilder(rule);
	// A stretch with no event at its start or end (a `wait`): its idle time is played by the rule too.
	if (span) builder.event(span.fromUs);
	let state = from;
	for (const event of events) {
		builder.event(event.t);
		const next = reduce(state, event);
		const min = sceneMinimum(state, next, event, rule);
		if (min !== undefined) builder.mark(event.t, min);
		state = next;
	}

	if (span) builder.event(span.toUs);
	return builder.build();
}

/** A step forward of at most this many events reduces copy-on-write from the state shown (playing); a longer one copies and reduces in place. */
const copyOnWriteSteps = 32;

export const speeds = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

export class Player {
	readonly clock: PlaybackClock;
	/** Kernel time of the first event (0 while none has arrived). */
	startUs: number;
	/** Indexes of events after which a phase changed. */
	readonly phaseMarks: number[] = [];
	/** The log pane's lines (log records and the operator's reads and writes), 4 bytes each. */
	private readonly pane = new IndexList();
	/** Indexes of the events that opened each cycle. */
	readonly cycleStarts: number[] = [];
	/**
	 * Whether every event is in: false while a pipe is still being read (`open`), until `finish`.
	 * The end of an incomplete timeline is only where reading has got to: playback waits there.
	 */
	complete = true;
	private failureIndexes: number[] | undefined;
	private readonly filtered = new Map<LogFilter, IndexList>();
	/** Lazily, for logTail. */
	private logs: IndexList | undefined;
	/** keyframes[k]: the state after the first k × keyframeEvery events (keyframe.ts: never changed). */
	private readonly keyframes: MonitorState[] = [];
	/** The state last asked for: handed out, so never changed in place. */
	private cache: {index: number; state: MonitorState} = {index: -1, state: initialState()};
	/** The state after every event so far, reduced in place (never handed out): where the next appended event is reduced from. */
	private last: MonitorState = initialState();
	private lastPhase = '';
	/**
	 * The events that only count (a log line without a level that no reader takes: user space, or
	 * kernel/line-filter.ts mayMatter says none — replay --summary skips the same): reduced as
	 * countLine(t), without decoding them. Most lines of a big log.
	 */
	private readonly countsOnly = new FlagList();
	private readonly rule: PaceRule | undefined;
	private readonly builder: PacePlanBuilder | undefined;
	private plan: PacePlan | undefined;
	private readonly events: EventSource;
	private readonly listeners = new Set<() => void>();

	readonly keyframeEvery: number;

	constructor(
		timeline: readonly TimelineEvent[] | PackedEvents,
		options: number | PlayerOptions = {},
	) {
		const {keyframeEvery = 512, pace = {}} = typeof options === 'number' ? {keyframeEvery: options} : options;
		this.keyframeEvery = keyframeEvery;
		this.rule = pace === false ? undefined : {...defaultPace, ...pace};
		this.builder = this.rule ? new PacePlanBuilder(this.rule) : undefined;
		this.events = timeline instanceof PackedEvents ? timeline : new ArrayEvents(timeline as TimelineEvent[]);
		this.startUs = this.events.length > 0 ? this.events.t(0) : 0;
		this.clock = new PlaybackClock(this.startUs, 1, PacePlan.real(), this.builder !== undefined);
		this.index(0);
		this.clock.plan = this.pace;
	}

	/**
	 * A player on a timeline still being read (a pipe): empty, or with what has come so far;
	 * `append` the rest as it comes, then `finish`.
	 */
	static open(options: number | (PlayerOptions & {blockSize?: number}) = {}): Player {
		// Packed (event-store.ts): a replay's events cost bytes, not objects. A keyframe every 512 events (a block):
		// a seek copies one and reduces at most 511 events in place, decoding one or two blocks (2048 took 3× the CPU
		// per seek). The keyframes share what did not change (keyframe.ts): 5.5 MB for an 86 MB log, not 22.
		const {blockSize, ...rest} = typeof options === 'number' ? {keyframeEvery: options} : options;
		const player = new Player(new PackedEvents(blockSize), {keyframeEvery: 512, ...rest});
		player.complete = false;
		return player;
	}

	/**
	 * The events, in time order (growing while the timeline is not complete). Of a packed timeline
	 * (a replay), a new array of every event each time: ask `event(i)` and `length` instead.
	 */
	get timeline(): readonly TimelineEvent[] {
		return this.events.all();
	}

	/** Number of events so far. */
	get length(): number {
		return this.events.length;
	}

	/** Event `index` (undefined past the end). */
	event(index: number): TimelineEvent | undefined {
		return index >= 0 && index < this.events.length ? this.events.at(index) : undefined;
	}

	/** Kernel time of the last event so far. */
	get endUs(): number {
		return this.events.length > 0 ? this.events.t(this.events.length - 1) : this.startUs;
	}

	/** More events, in time order, read after the ones before (a timeline still being read). */
	append(events: readonly TimelineEvent[]): void {
		if (this.complete) throw new Error('Player.append: the timeline is complete');
		if (events.length === 0) return;
		const from = this.events.length;
		for (const event of events) this.events.push(event);
		if (from === 0) {
			this.startUs = this.events.t(0);
			this.clock.seek(this.startUs);
		}

		this.index(from, events);
		this.notify();
	}

	/** Every event is in (end of input): the end is the end. */
	finish(): void {
		if (this.complete) return;
		this.complete = true;
		if (this.events instanceof PackedEvents) this.events.trim();
		this.pane.trim();
		this.notify();
	}

	/** Called after each `append` and at `finish`; returns the unsubscription. */
	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** How kernel time is played (pace.ts), for the events so far. */
	get pace(): PacePlan {
		this.plan ??= this.builder?.build() ?? PacePlan.real();
		return this.plan;
	}

	/** Advance the clock by wall time; on a timeline still being read, wait at its end so far. */
	tick(wallMs: number): number {
		if (this.clock.plan !== this.pace) this.clock.plan = this.pace;
		this.clock.tick(wallMs);
		if (!this.complete && this.clock.position > this.endUs) this.clock.seek(this.endUs);
		return this.clock.position;
	}

	/** At the end so far of a timeline still being read: waiting for more. */
	get following(): boolean {
		return !this.complete && this.position >= this.endUs;
	}

	/**
	 * Keyframes, marks, pane indexes, filter caches and the pace plan of events `from`… (`batch`:
	 * those events, as appended — not decoded again from a packed store).
	 */
	private index(from: number, batch?: readonly TimelineEvent[]): void {
		const {rule, builder, keyframeEvery, pane} = this;
		let state = this.last;
		let phase = this.lastPhase;
		const lines = pane.length;
		for (let i = from; i < this.events.length; i++) {
			const event = batch ? batch[i - from]! : this.events.at(i);
			if (i % keyframeEvery === 0) this.keyframes.push(keyframeOf(state, this.keyframes.at(-1)));
			if (event.kind === 'log' && event.level === undefined && (event.origin === 'userspace' || !mayMatter(event.text))) {
				// Counted: no phase, cycle or scene changes (reduceInPlace does the same, after more tests).
				this.countsOnly.set(i);
				countLine(state, event.t);
				pane.push(i);
				this.logs?.push(i);
				builder?.event(event.t);
				continue;
			}

			const cycleStart = state.cycle?.startUs;
			state = reduceInPlace(state, event);
			const next = phaseKey(state);
			const phaseChanged = next !== phase;
			phase = next;
			if (phaseChanged) this.phaseMarks.push(i);
			if (state.cycle && state.cycle.startUs !== cycleStart) this.cycleStarts.push(i);
			if (event.kind === 'log' || event.kind === 'action') {
				pane.push(i);
				if (event.kind === 'log') this.logs?.push(i);
			}

			if (builder && rule) {
				builder.event(event.t);
				const min = sceneMinimumAfter(phaseChanged, state, event, rule);
				if (min !== undefined) builder.mark(event.t, min);
			}
		}

		this.last = state;
		this.lastPhase = phase;
		this.plan = undefined;
		// The caches of filters and failures asked for already: extended with the new lines.
		const added = pane.view.subarray(lines);
		for (const [filter, indexes] of this.filtered) for (const i of added) if (matchesFilter(this.events.at(i), filter)) indexes.push(i);
		if (this.failureIndexes) for (const i of added) if (this.isFailure(i)) this.failureIndexes.push(i);
	}

	/** Indexes of the log pane's lines: log records and the operator's reads and writes. */
	get paneIndexes(): Int32Array {
		return this.pane.view;
	}

	/** Indexes (into the timeline) of the log events, in order (listed on first use). */
	get logIndexes(): Int32Array {
		if (!this.logs) {
			this.logs = new IndexList();
			for (let i = 0; i < this.events.length; i++) if (this.events.kind(i) === 'log') this.logs.push(i);
		}

		return this.logs.view;
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}

	private isFailure(i: number): boolean {
		const e = this.events.at(i);
		return e.kind === 'log' ? isFailureLine(e) : e.kind === 'action' && e.result !== null && !e.result.ok;
	}

	/** How time is being played at the position, for the status bar (`×0.0021 slow`, `gap skipped 19.2 s`). */
	get paceLabel(): string {
		return paceLabel(this.pace.segmentAt(this.position), this.clock.paced);
	}

	/**
	 * Whether the bus activate file or a DIMM result was read after the current
	 * cycle's write returned (selectors.Evidence): a scan back from the
	 * position, stopping at the write.
	 */
	evidenceNow(): {readAfterWrite: boolean} {
		return readAfterWrite(this.events, this.countAt(this.position), this.stateNow().cycle?.endUs);
	}

	/** Where a replay opens: the first event of the first cycle (or the start). */
	get firstCycleUs(): number {
		const first = this.cycleStarts[0];
		return first === undefined ? this.startUs : this.events.t(first);
	}

	/** "cycle k of n" at the current position (k = 0 before the first). */
	cycleAt(): {k: number; n: number} {
		const visible = this.countAt(this.position);
		let k = 0;
		while (k < this.cycleStarts.length && this.cycleStarts[k]! < visible) k++;
		return {k, n: this.cycleStarts.length};
	}

	nextCycle(): boolean {
		const visible = this.countAt(this.position);
		const next = this.cycleStarts.find(i => i >= visible);
		if (next === undefined) return false;
		this.seek(this.events.t(next));
		return true;
	}

	/** To the start of the current cycle; pressed there, to the one before. */
	previousCycle(): boolean {
		const starts = this.cycleStarts.filter(i => this.events.t(i) < this.position);
		const target = starts.at(-1);
		if (target === undefined) return false;
		this.seek(this.events.t(target));
		return true;
	}

	/** Pane indexes matching a filter (computed once per filter). */
	paneLines(filter: LogFilter = 'all'): Int32Array {
		if (filter === 'all') return this.paneIndexes;
		let lines = this.filtered.get(filter);
		if (!lines) {
			lines = new IndexList();
			for (const i of this.paneIndexes) if (matchesFilter(this.events.at(i), filter)) lines.push(i);
			this.filtered.set(filter, lines);
		}

		return lines.view;
	}

	/** The last `n` pane lines visible now, `back` lines up from the tail, through a filter. */
	paneTail(n: number, back = 0, filter: LogFilter = 'all'): {entries: PaneEntry[]; total: number} {
		const indexes = this.paneLines(filter);
		const visible = this.countAt(this.position);
		const lo = lowerBound(indexes, visible);
		const end = Math.max(0, lo - back);
		const start = Math.max(0, end - n);
		return {entries: Array.from(indexes.subarray(start, end), index => ({index, event: this.events.at(index) as LogEvent | ActionEvent})), total: lo};
	}

	/** Failure lines of the pane (for e / E). */
	failures(): number[] {
		this.failureIndexes ??= Array.from(this.paneIndexes.filter(i => this.isFailure(i)));
		return this.failureIndexes;
	}

	/**
	 * Jump so that the next (or previous) of `indexes` is the newest visible
	 * line. Returns the index landed on, or undefined when there is none.
	 */
	jump(indexes: ArrayLike<number>, direction: 1 | -1, from = this.countAt(this.position) - 1): number | undefined {
		// Ascending: the first after `from`, or the last before it.
		const target = direction === 1 ? indexes[upperBound(indexes, from)] : indexes[lowerBound(indexes, from) - 1];
		if (target === undefined) return undefined;
		this.seekToIndex(target);
		return target;
	}

	/**
	 * The nearest pane line after `from` (direction 1) or before it (-1) that passes `test`, scanning
	 * outwards and stopping at the first: a search on a packed timeline decodes only the blocks it
	 * passes (a scan of every line of an 86 MB log decodes 2 500 blocks).
	 */
	findPaneLine(test: (event: LogEvent | ActionEvent) => boolean, direction: 1 | -1, from: number): number | undefined {
		const lines = this.pane.view;
		if (direction === 1) {
			for (let k = lowerBound(lines, from + 1); k < lines.length; k++) if (test(this.events.at(lines[k]!) as LogEvent | ActionEvent)) return lines[k];
		} else {
			for (let k = lowerBound(lines, from) - 1; k >= 0; k--) if (test(this.events.at(lines[k]!) as LogEvent | ActionEvent)) return lines[k];
		}

		return undefined;
	}

	/** Make event `index` visible, with as few later events as possible. */
	seekToIndex(index: number): void {
		this.seek(this.events.t(index));
	}

	get position(): number {
		return this.clock.position;
	}

	/** Played to the end of a complete timeline (one still being read has not ended: it waits). */
	get ended(): boolean {
		return this.complete && this.position >= this.endUs;
	}

	/** Number of events at or before `t` (the index just past the last visible event). */
	countAt(t: number): number {
		let lo = 0;
		let hi = this.events.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.events.t(mid) <= t) lo = mid + 1;
			else hi = mid;
		}

		return lo;
	}

	/**
	 * The monitor state after the first `count` events: from the state last asked for when it is a
	 * few events back (copy-on-write: what did not change stays the same object), else from a copy
	 * of the nearest earlier keyframe or of that state, reduced forward in place.
	 */
	stateAfter(count: number): MonitorState {
		const target = count - 1;
		const cached = this.cache;
		if (target === cached.index) return cached.state;
		const key = Math.max(0, Math.min(Math.floor(Math.max(0, count) / this.keyframeEvery), this.keyframes.length - 1));
		const keyIndex = key * this.keyframeEvery - 1;
		let state: MonitorState;
		if (target > cached.index && cached.index >= keyIndex && target - cached.index <= copyOnWriteSteps) {
			state = cached.state;
			for (let i = cached.index + 1; i <= target; i++) state = reduce(state, this.events.at(i));
		} else {
			const fromCache = target > cached.index && cached.index >= keyIndex;
			const index = fromCache ? cached.index : keyIndex;
			const origin = fromCache ? cached.state : this.keyframes[key];
			state = origin ? keyframeOf(origin) : initialState();
			for (let i = index + 1; i <= target; i++) {
				if (this.countsOnly.has(i)) countLine(state, this.events.t(i));
				else state = reduceInPlace(state, this.events.at(i));
			}
		}

		this.cache = {index: target, state};
		return state;
	}

	stateNow(): MonitorState {
		return this.stateAfter(this.countAt(this.position));
	}

	/** The last `n` log events visible at the current position, `back` lines up from the tail. */
	logTail(n: number, back = 0): {lines: LogEvent[]; total: number} {
		const visible = this.countAt(this.position);
		const lo = lowerBound(this.logIndexes, visible);
		const end = Math.max(0, lo - back);
		const start = Math.max(0, end - n);
		return {lines: Array.from(this.logIndexes.subarray(start, end), i => this.events.at(i) as LogEvent), total: lo};
	}

	seek(t: number): void {
		this.clock.seek(Math.min(this.endUs, Math.max(this.startUs, t)));
	}

	/** Move to the next event after the current position. */
	stepForward(): void {
		const next = this.event(this.countAt(this.position));
		if (next) this.seek(next.t);
	}

	nextPhase(): void {
		const visible = this.countAt(this.position);
		const mark = this.phaseMarks.find(i => i >= visible);
		this.seek(mark === undefined ? this.endUs : this.events.t(mark));
	}

	/** Back to where the current phase began; pressed there, to the phase before. */
	previousPhase(): void {
		const marks = this.phaseMarks.filter(i => this.events.t(i) < this.position);
		const mark = marks.at(-1);
		this.seek(mark === undefined ? this.startUs : this.events.t(mark));
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

	/** Played slower than real time right now (the memory quiesce, the freeze): the clocks on screen move every frame. */
	get inSlowMotion(): boolean {
		return this.clock.paced && this.pace.segmentAt(this.position).kind === 'slow';
	}
}

/** A bus or DIMM firmware file read (a sysfs value or an operator's read) at or after `fromUs`, before event `count`. */
export function readAfterWrite(timeline: readonly TimelineEvent[] | EventSource, count: number, fromUs: number | undefined): {readAfterWrite: boolean} {
	if (fromUs === undefined) return {readAfterWrite: false};
	const events = Array.isArray(timeline) ? new ArrayEvents(timeline) : (timeline as EventSource);
	for (let i = count - 1; i >= 0; i--) {
		if (events.t(i) < fromUs) break;
		// Log lines and notes are never reads: skipped without decoding them.
		const kind = events.kind(i);
		if (kind !== 'sysfs' && kind !== 'action') continue;
		const e = events.at(i);
		const path = e.kind === 'sysfs' || (e.kind === 'action' && e.op === 'read' && e.result?.ok) ? e.path : undefined;
		if (path && /(?:ndbus\d+\/firmware\/activate|nmem\d+\/firmware\/result)$/.test(path)) return {readAfterWrite: true};
	}

	return {readAfterWrite: false};
}
