/**
 * `quiesce replay PATH --headless`: the trace's timeline with the derived
 * state at each phase change, or `--summary` for the outcome only. Warnings
 * (file:line: what) go to stderr; the replay goes on.
 */
import {once} from 'node:events';
import {readFileSync} from 'node:fs';
import type {Writable} from 'node:stream';
import type {TimelineEvent} from '../events.js';
import {TimelinePrinter} from '../headless/printer.js';
import {reduce} from '../monitor/reducer.js';
import {initialState} from '../monitor/state.js';
import {stateLines} from '../monitor/summary.js';
import {busDocument, cycleLines, dimmDocuments, SummaryCollector, totalsLines} from '../monitor/summary-document.js';
import {loadSideEvents, parseNativeEvents, planTrace, TraceError, type TracePlan} from '../trace/bundle.js';
import type {TraceWarning} from '../trace/log-parser.js';
import {streamLogFile} from '../trace/stream.js';
import {DeviceTimelineBuilder} from '../timeline/device-timeline.js';
import {safe, topCallbacksByCycle} from '../timeline/report.js';

export type ReplayArgs = {path: string; json: boolean; summary: boolean; all?: boolean};

/** Cycles `--summary` lists without --all (the totals always count every one). */
export const summaryLast = 50;
/** Callbacks per cycle the summary lists (replay --devices lists them all). */
const summaryTopCallbacks = 5;

/** Every event of a trace, in time order, streamed in batches. */
export async function readTimeline(plan: TracePlan, onEvents: (events: TimelineEvent[]) => unknown, warn: (w: TraceWarning) => void): Promise<{lines: number}> {
	for (const w of plan.warnings) warn(w);
	if (plan.native) {
		const parsed = parseNativeEvents(readFileSync(plan.native, 'utf8'), plan.native);
		parsed.warnings.forEach(warn);
		await onEvents(parsed.events);
		return {lines: parsed.events.length};
	}

	const side = loadSideEvents(plan);
	side.warnings.forEach(warn);
	let next = 0;
	let lines = 0;
	for (const file of plan.logs) {
		const result = await streamLogFile(file, {
			async onBatch(batch) {
				const merged: TimelineEvent[] = [];
				for (const event of batch) {
					while (next < side.events.length && side.events[next]!.t <= event.t) merged.push(side.events[next++]!);
					merged.push(event);
				}

				await onEvents(merged);
			},
		});
		result.warnings.forEach(warn);
		lines += result.lines;
	}

	await onEvents(side.events.slice(next));
	return {lines: lines + side.events.length};
}

/**
 * `--summary`: stream the trace through the reducer, hand each cycle to the collector once final,
 * and write it out as it comes (JSON, or text with --all) or keep the last few — memory stays
 * bounded by what is printed, whatever the length of the log.
 */
async function runSummary(args: ReplayArgs, plan: TracePlan, out: Writable, warn: (w: TraceWarning) => void): Promise<number> {
	let state = initialState();
	let first = true;
	let pending: string[] = [];
	const flush = () => {
		if (pending.length > 0) out.write(pending.join(''));
		pending = [];
	};

	// A slow reader (a pipe into jq or less) must slow the replay down, not fill memory.
	const drained = async () => {
		if (out.writableNeedDrain) await once(out, 'drain');
	};

	const stream = args.json || args.all;
	if (args.json) pending.push('{"kind":"summary","version":1,"cycles":[');
	const collector = new SummaryCollector(stream ? 0 : summaryLast, doc => {
		if (args.json) pending.push(`${first ? '\n' : ',\n'}${JSON.stringify(doc)}`);
		else if (args.all) pending.push(cycleLines(doc).join('\n') + '\n');
		first = false;
		if (pending.length >= 256) flush();
	});
	// Each cycle's slowest (and failed) device callbacks, for the last cycles that printed any.
	const devices = new DeviceTimelineBuilder({keepText: false, top: summaryTopCallbacks, retain: summaryLast});
	const {lines} = await readTimeline(
		plan,
		async events => {
			for (const event of events) {
				state = reduce(state, event);
				collector.observe(state);
				if (event.kind === 'log') devices.push(event);
			}

			flush();
			await drained();
		},
		warn,
	);
	if (lines === 0) throw new TraceError(`${args.path}: nothing to replay (empty trace)`);
	collector.finish(state);
	const totals = collector.totals(state);
	const topCallbacks = topCallbacksByCycle(devices.finish(), summaryTopCallbacks);
	if (args.json) {
		pending.push(`${first ? '' : '\n'}],\n"totals":${JSON.stringify(totals)},\n"topCallbacks":${JSON.stringify(topCallbacks)},\n"bus":${JSON.stringify(busDocument(state))},\n"dimms":${JSON.stringify(dimmDocuments(state))},\n"power":${JSON.stringify(state.power)},\n"warnings":${JSON.stringify(state.warnings)}}\n`);
		flush();
		return 0;
	}

	const text: string[] = [];
	if (totals.cycles === 0) text.push('no suspend, hibernation or firmware-activation cycle in this trace');
	if (!args.all) {
		for (const doc of collector.kept) text.push(...cycleLines(doc));
		if (totals.cycles > collector.kept.length) text.push(`(showing the last ${collector.kept.length} of ${totals.cycles} cycles; --all lists every one)`);
	}

	text.push(...totalsLines(totals), ...stateLines(state));
	for (const c of topCallbacks) {
		text.push(`device callbacks, cycle ${c.cycle} (${c.kind}${c.failed ? ', FAILED' : ''}) — slowest, failed first (replay --devices for all):`);
		for (const t of c.top) {
			const status = t['status'] === 'ok' || t['status'] === 'no-calling-line' ? '' : `  ${String(t['status']).toUpperCase()}`;
			text.push(`  ${String(t['usecs'] ?? '?').padStart(7)} µs  ${safe(String(t['driver'] ? `${t['driver']} ${t['device']}` : t['device']))}  ${safe(String(t['callback'] ?? ''))}  [${t['phase']}]${status}  line ${t['line']}`);
		}
	}
	const notes = (plan.meta?.['notes'] as string[] | undefined) ?? [];
	flush();
	out.write(text.join('\n') + '\n' + notes.map(n => `capture: ${n}\n`).join(''));
	return 0;
}

export async function runReplayHeadless(args: ReplayArgs, out: Writable, err: Writable): Promise<number> {
	const plan = planTrace(args.path);
	let warned = 0;
	const warn = (w: TraceWarning) => {
		warned++;
		if (warned <= 50) err.write(`quiesce: warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
		else if (warned === 51) err.write('quiesce: warning: more warnings not shown\n');
	};

	if (args.summary) return runSummary(args, plan, out, warn);
	const printer = new TimelinePrinter(out, args.json, !args.summary);
	const {lines} = await readTimeline(
		plan,
		events => {
			for (const event of events) printer.push(event);
		},
		warn,
	);
	const warnings = warned;
	if (lines === 0) throw new TraceError(`${args.path}: nothing to replay (empty trace)`);
	const state = printer.state;
	const cycles = state.totals.cycles + (state.cycle ? 1 : 0);
	// The log's own errors and warnings always show (failed writes count as errors), apart from the reader's.
	const errors = state.log.errors + state.log.failedWrites;
	printer.line(
		args.json
			? JSON.stringify({kind: 'end', lines, cycles, warnings, log: {errors, warnings: state.log.warnings, failedWrites: state.log.failedWrites}})
			: `# end: ${lines} records, ${cycles} cycle(s), log: ${errors} error(s)${state.log.failedWrites ? ` (${state.log.failedWrites} failed write(s))` : ''}, ${state.log.warnings} warning(s); ${warnings} reader warning(s) [${args.path}]`,
	);
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
