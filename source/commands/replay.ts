/**
 * `quiesce replay PATH --headless`: the trace's timeline with the derived
 * state at each phase change, or `--summary` for the outcome only. Warnings
 * (file:line: what) go to stderr; the replay goes on.
 */
import {readFileSync} from 'node:fs';
import type {Writable} from 'node:stream';
import type {TimelineEvent} from '../events.js';
import {TimelinePrinter} from '../headless/printer.js';
import {summaryText} from '../monitor/summary.js';
import {loadSideEvents, parseNativeEvents, planTrace, TraceError, type TracePlan} from '../trace/bundle.js';
import type {TraceWarning} from '../trace/log-parser.js';
import {streamLogFile} from '../trace/stream.js';
import {DeviceTimelineBuilder} from '../timeline/device-timeline.js';
import {safe, topCallbacksByCycle} from '../timeline/report.js';

export type ReplayArgs = {path: string; json: boolean; summary: boolean};

/** Every event of a trace, in time order, streamed in batches. */
export async function readTimeline(plan: TracePlan, onEvents: (events: TimelineEvent[]) => void, warn: (w: TraceWarning) => void): Promise<{lines: number}> {
	for (const w of plan.warnings) warn(w);
	if (plan.native) {
		const parsed = parseNativeEvents(readFileSync(plan.native, 'utf8'), plan.native);
		parsed.warnings.forEach(warn);
		onEvents(parsed.events);
		return {lines: parsed.events.length};
	}

	const side = loadSideEvents(plan);
	side.warnings.forEach(warn);
	let next = 0;
	let lines = 0;
	for (const file of plan.logs) {
		const result = await streamLogFile(file, {
			onBatch(batch) {
				const merged: TimelineEvent[] = [];
				for (const event of batch) {
					while (next < side.events.length && side.events[next]!.t <= event.t) merged.push(side.events[next++]!);
					merged.push(event);
				}

				onEvents(merged);
			},
		});
		result.warnings.forEach(warn);
		lines += result.lines;
	}

	onEvents(side.events.slice(next));
	return {lines: lines + side.events.length};
}

export async function runReplayHeadless(args: ReplayArgs, out: Writable, err: Writable): Promise<number> {
	const plan = planTrace(args.path);
	const printer = new TimelinePrinter(out, args.json, !args.summary);
	// The summary gains each cycle's slowest (and failed) device callbacks.
	const devices = args.summary ? new DeviceTimelineBuilder({keepText: false, top: 5}) : undefined;
	let warnings = 0;
	const {lines} = await readTimeline(
		plan,
		events => {
			for (const event of events) {
				printer.push(event);
				if (devices && event.kind === 'log') devices.push(event);
			}
		},
		w => {
			warnings++;
			if (warnings <= 50) err.write(`quiesce: warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
			else if (warnings === 51) err.write('quiesce: warning: more warnings not shown\n');
		},
	);
	if (lines === 0) throw new TraceError(`${args.path}: nothing to replay (empty trace)`);
	if (args.summary) {
		printer.flush();
		const topCallbacks = topCallbacksByCycle(devices!.finish(), 5);
		if (args.json) out.write(JSON.stringify({kind: 'summary', state: printer.state, topCallbacks}) + '\n');
		else {
			const notes = (plan.meta?.['notes'] as string[] | undefined) ?? [];
			const callbackLines = topCallbacks.flatMap(c => [
				`device callbacks, cycle ${c.cycle} (${c.kind}${c.failed ? ', FAILED' : ''}) — slowest, failed first (replay --devices for all):`,
				...c.top.map(t => `  ${String(t['usecs'] ?? '?').padStart(7)} µs  ${safe(String(t['driver'] ? `${t['driver']} ${t['device']}` : t['device']))}  ${safe(String(t['callback'] ?? ''))}  [${t['phase']}]${t['status'] === 'ok' || t['status'] === 'no-calling-line' ? '' : `  ${String(t['status']).toUpperCase()}`}  line ${t['line']}`),
			]);
			out.write(summaryText(printer.state) + '\n' + callbackLines.map(l => l + '\n').join('') + notes.map(n => `capture: ${n}\n`).join(''));
		}
		return 0;
	}

	const cycles = printer.state.cycles.length + (printer.state.cycle ? 1 : 0);
	printer.line(args.json ? JSON.stringify({kind: 'end', lines, cycles, warnings}) : `# end: ${lines} records, ${cycles} cycle(s), ${warnings} warning(s) [${args.path}]`);
	printer.flush();
	return 0;
}

/** The whole timeline of a trace in memory, for the monitor (warnings summarised on stderr). */
export async function loadTimeline(target: string, err: Writable): Promise<TimelineEvent[]> {
	const events: TimelineEvent[] = [];
	let warnings = 0;
	await readTimeline(planTrace(target), batch => events.push(...batch), () => warnings++);
	if (events.length === 0) throw new TraceError(`${target}: nothing to replay (empty trace)`);
	if (warnings > 0) err.write(`quiesce: ${warnings} warning(s) while reading ${target} (replay --headless lists them)\n`);
	return events;
}
