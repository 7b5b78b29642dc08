/**
 * `quiesce replay PATH --devices | --compare-cycles | --html OUT.html` and the
 * same from `quiesce sim`: the per-device callback timeline of a trace or a
 * simulated run, as text, JSON lines, a comparison or a self-contained page.
 */
import {writeFileSync} from 'node:fs';
import type {Writable} from 'node:stream';
import type {LogEvent, TimelineEvent} from '../events.js';
import {planTrace, TraceError} from '../trace/bundle.js';
import {DeviceTimelineBuilder, type BuilderOptions, type DeviceTimeline} from '../timeline/device-timeline.js';
import {timelineHtml} from '../timeline/html.js';
import {callbackRecord, compareCycles, comparisonText, devicesText} from '../timeline/report.js';
import {UsageError} from './errors.js';
import {readTimeline} from './replay.js';

export type DevicesArgs = {
	devices: boolean;
	compare: boolean;
	html?: string;
	json: boolean;
	top: number;
	cycle?: number;
};

export function wantsDevices(args: {devices?: boolean; compareCycles?: boolean; html?: string}): boolean {
	return Boolean(args.devices || args.compareCycles || args.html !== undefined);
}

/** Check --top and --cycle before any work. */
export function checkDeviceOptions(top: unknown, cycle: unknown): {top: number; cycle?: number} {
	if (!(typeof top === 'number' && Number.isInteger(top) && top >= 1 && top <= 100_000)) throw new UsageError(`--top: expected an integer from 1 to 100000, got ${String(top)}`);
	if (cycle !== undefined && !(typeof cycle === 'number' && Number.isInteger(cycle) && cycle >= 1)) throw new UsageError(`--cycle: expected a cycle number from 1 (as --devices lists them), got ${String(cycle)}`);
	return cycle === undefined ? {top} : {top, cycle};
}

/** Build the timeline of a trace, streaming (warnings to `warn`). */
export async function traceDeviceTimeline(path: string, warn: (text: string) => void, options: BuilderOptions = {}): Promise<{timeline: DeviceTimeline; lines: number}> {
	const builder = new DeviceTimelineBuilder(options);
	let warnings = 0;
	const {lines} = await readTimeline(
		planTrace(path),
		events => {
			for (const event of events) if (event.kind === 'log') builder.push(event);
		},
		w => {
			warnings++;
			if (warnings <= 50) warn(`quiesce: warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`);
			else if (warnings === 51) warn('quiesce: warning: more warnings not shown');
		},
	);
	if (lines === 0) throw new TraceError(`${path}: nothing to replay (empty trace)`);
	return {timeline: builder.finish(), lines};
}

export function eventsDeviceTimeline(events: readonly TimelineEvent[], options: BuilderOptions = {}): DeviceTimeline {
	const builder = new DeviceTimelineBuilder(options);
	for (const event of events) if (event.kind === 'log') builder.push(event as LogEvent);
	return builder.finish();
}

/**
 * How much the builder must keep for these flags: the HTML page needs every
 * callback and its lines, the comparison every callback; `--devices` alone
 * only the slowest `top` of each phase (and every failure), `--json` streams
 * each cycle's callbacks as it closes — so memory does not grow with the log.
 */
export function builderOptionsFor(args: DevicesArgs, out: Writable): BuilderOptions {
	if (args.html !== undefined) return {keepText: true};
	if (args.compare) return {keepText: false};
	if (args.devices && args.json) {
		return {
			keepText: false,
			top: args.top,
			onCycle(cycle) {
				if (args.cycle === undefined || cycle.index === args.cycle) for (const c of cycle.callbacks) out.write(JSON.stringify(callbackRecord(c)) + '\n');
			},
		};
	}

	return {keepText: false, top: args.top};
}

/** Print what the flags ask for; write the HTML file when asked. */
export function reportDevices(timeline: DeviceTimeline, args: DevicesArgs, title: string, out: Writable, err: Writable): number {
	if (args.cycle !== undefined && !timeline.cycles.some(c => c.index === args.cycle)) {
		throw new UsageError(`--cycle: no cycle ${args.cycle} in ${title} (it has ${timeline.cycles.length}: 1 to ${timeline.cycles.length})`);
	}

	if (args.html !== undefined) {
		try {
			writeFileSync(args.html, timelineHtml(timeline, {title}));
		} catch (error) {
			throw new UsageError(`--html: cannot write ${args.html}: ${(error as Error).message}`);
		}

		err.write(`quiesce: wrote ${args.html} (${timeline.cycles.length} cycles, ${timeline.callbacks} callbacks)\n`);
	}

	if (args.devices) {
		const cycles = args.cycle === undefined ? timeline.cycles : timeline.cycles.filter(c => c.index === args.cycle);
		// With --json and no --html/--compare, builderOptionsFor() streamed the records already.
		if (args.json) {
			if (args.html !== undefined || args.compare) for (const cycle of cycles) for (const c of cycle.callbacks) out.write(JSON.stringify(callbackRecord(c)) + '\n');
		} else out.write(devicesText(timeline, {top: args.top, cycle: args.cycle}) + '\n');
	}

	if (args.compare) {
		const comparison = compareCycles(timeline);
		out.write((args.json ? JSON.stringify({kind: 'compare-cycles', ...(comparison ?? {fastest: null, slowest: null})}) : comparisonText(comparison, args.top)) + '\n');
	}

	return 0;
}
