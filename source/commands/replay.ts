/**
 * `quiesce replay PATH --headless`: the trace's timeline with the derived
 * state at each phase change, or `--summary` for the outcome only. Warnings
 * (file:line: what) go to stderr; the replay goes on. PATH may be a file,
 * a bundle folder, `-` (standard input), a pipe, process substitution or a
 * FIFO: a single input is streamed from its start and never seeked, and its
 * format is told by its content.
 */
import {once} from 'node:events';
import type {Writable} from 'node:stream';
import type {TimelineEvent} from '../events.js';
import {TimelinePrinter} from '../headless/printer.js';
import {reduceInPlace} from '../monitor/reducer.js';
import {initialState} from '../monitor/state.js';
import {stateLines} from '../monitor/summary.js';
import {busDocument, cycleLines, dimmDocuments, SummaryCollector, totalsLines} from '../monitor/summary-document.js';
import {DeviceTimelineBuilder} from '../timeline/device-timeline.js';
import {safe, topCallbacksByCycle} from '../timeline/report.js';
import {loadSideEvents, NativeEventReader, planTrace, readSideFile, TraceError, type TracePlan} from '../trace/bundle.js';
import {openText, readAllText, type OpenOptions, type TextInput} from '../trace/input.js';
import {LineSplitter, quote, type TraceWarning} from '../trace/log-parser.js';
import {parseNdctlText} from '../trace/ndctl-parser.js';
import {parseSysfsText} from '../trace/sysfs-parser.js';
import {streamLog} from '../trace/stream.js';
import {jsonVersion} from '../json-version.js';

export type ReplayArgs = {path: string; json: boolean; summary: boolean; all?: boolean};

/** Cycles `--summary` lists without --all (the totals always count every one). */
export const summaryLast = 50;
/** Callbacks per cycle the summary lists (replay --devices lists them all). */
const summaryTopCallbacks = 5;

export type ReadOptions = OpenOptions;

/** A native events.ndjson, streamed line by line and validated. */
async function readNative(input: TextInput, onEvents: (events: TimelineEvent[]) => unknown, warn: (w: TraceWarning) => void): Promise<number> {
	const reader = new NativeEventReader(input.label);
	let batch: TimelineEvent[] = [];
	const splitter = new LineSplitter((line, lineNo, part) => {
		if (part > 0) return; // an event line longer than 64 KiB: reported below as not JSON
		const event = reader.line(line, lineNo);
		if (event) batch.push(event);
	}, 16 * 1024 * 1024);
	const {StringDecoder} = await import('node:string_decoder');
	const decoder = new StringDecoder('utf8');
	try {
		for await (const chunk of input.chunks) {
			splitter.push(decoder.write(chunk));
			if (batch.length >= 2048) {
				await onEvents(batch);
				batch = [];
			}
		}
	} finally {
		input.close();
	}

	splitter.push(decoder.end());
	splitter.end();
	await onEvents(batch);
	[...input.warnings, ...reader.warnings].forEach(warn);
	return splitter.lines;
}

/** A single path or `-`: opened once, its format told by its content. */
async function readSingle(target: string, onEvents: (events: TimelineEvent[]) => unknown, warn: (w: TraceWarning) => void, options: ReadOptions): Promise<{lines: number}> {
	const input = await openText(target, options);
	switch (input.format) {
		case 'sysfs':
		case 'ndctl': {
			const text = await readAllText(input);
			const parsed = input.format === 'sysfs' ? parseSysfsText(text, input.label) : parseNdctlText(text, input.label);
			[...input.warnings, ...parsed.warnings].forEach(warn);
			await onEvents(parsed.events);
			return {lines: parsed.events.length};
		}

		case 'native': {
			return {lines: await readNative(input, onEvents, warn)};
		}

		case 'empty': {
			input.close();
			return {lines: 0};
		}

		default: {
			const result = await streamLog(input, {onBatch: async batch => {
				await onEvents(batch);
			}});
			result.warnings.forEach(warn);
			return {lines: result.lines};
		}
	}
}

/** Every event of a trace, in time order, streamed in batches. */
export async function readTimeline(plan: TracePlan, onEvents: (events: TimelineEvent[]) => unknown, warn: (w: TraceWarning) => void, options: ReadOptions = {}): Promise<{lines: number}> {
	for (const w of plan.warnings) warn(w);
	if (plan.input) return readSingle(plan.input, onEvents, warn, options);
	if (plan.native) return {lines: await readNative(await openText(plan.native, options), onEvents, warn)};

	const side = loadSideEvents(plan);
	side.warnings.forEach(warn);
	let next = 0;
	let lines = 0;
	for (const file of plan.logs) {
		const result = await streamLog(await openText(file, options), {
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

/** A warning as one line of text: escaped, bounded. */
export function warningLine(w: TraceWarning): string {
	const where = `${w.file}${w.line ? `:${w.line}` : ''}`;
	// eslint-disable-next-line no-control-regex
	const safe = (text: string) => (/[\u0000-\u001F\u007F-\u009F]/.test(text) ? quote(text, 300).slice(1, -1) : text);
	return `quiesce: warning: ${safe(where)}: ${safe(w.message)}`;
}

/**
 * `--summary`: stream the trace through the reducer, hand each cycle to the collector once final,
 * and write it out as it comes (JSON, or text with --all) or keep the last few — memory stays
 * bounded by what is printed, whatever the length of the log.
 */
async function runSummary(args: ReplayArgs, plan: TracePlan, out: Writable, warn: (w: TraceWarning) => void, options: ReadOptions): Promise<0 | 1> {
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
	if (args.json) pending.push(`{"kind":"summary","version":${jsonVersion},"cycles":[`);
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
				reduceInPlace(state, event);
				collector.observe(state);
				if (event.kind === 'log') {
					devices.push(event);
					devices.attribute(state.cycle?.ordinal, state.cycle?.kind);
				}
			}

			flush();
			await drained();
		},
		warn,
		options,
	);
	if (lines === 0) throw new TraceError(`${args.path === '-' ? '(stdin)' : args.path}: nothing to replay (empty trace)`);
	collector.finish(state);
	const totals = collector.totals(state);
	const topCallbacks = topCallbacksByCycle(devices.finish(), summaryTopCallbacks);
	if (args.json) {
		pending.push(`${first ? '' : '\n'}],\n"totals":${JSON.stringify(totals)},\n"topCallbacks":${JSON.stringify(topCallbacks)},\n"bus":${JSON.stringify(busDocument(state))},\n"dimms":${JSON.stringify(dimmDocuments(state))},\n"power":${JSON.stringify(state.power)},\n"warnings":${JSON.stringify(state.warnings)}}\n`);
		flush();
		return totals.failed > 0 ? 1 : 0;
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
	return totals.failed > 0 ? 1 : 0;
}

/**
 * The exit status of a headless replay: 0 when no cycle failed, 1 when one
 * did (README "Exit status"); unreadable input throws (status 2).
 */
export async function runReplayHeadless(args: ReplayArgs, out: Writable, err: Writable, options: ReadOptions = {}): Promise<0 | 1> {
	const plan = planTrace(args.path);
	let warnings = 0;
	const warn = (w: TraceWarning) => {
		warnings++;
		if (warnings <= 50) err.write(warningLine(w) + '\n');
		else if (warnings === 51) err.write('quiesce: warning: more warnings not shown\n');
	};
	const readOptions: ReadOptions = {onNote: message => err.write(`quiesce: ${message}\n`), ...options};
	if (args.summary) return runSummary(args, plan, out, warn, readOptions);
	const printer = new TimelinePrinter(out, args.json, true);
	// Counts cycles as --summary does: an activation is failed when what was read back after it says so.
	const collector = new SummaryCollector(0);
	const {lines} = await readTimeline(
		plan,
		async events => {
			for (const event of events) {
				printer.push(event);
				collector.observe(printer.state);
			}

			// A slow reader (a pipe into less) slows the replay down instead of filling memory.
			printer.flush();
			if (out.writableNeedDrain) await once(out, 'drain');
		},
		warn,
		readOptions,
	);
	if (lines === 0) throw new TraceError(`${args.path === '-' ? '(stdin)' : args.path}: nothing to replay (empty trace)`);
	const state = printer.state;
	collector.finish(state);
	const totals = collector.totals(state);
	const outcome = {cycles: totals.cycles, failed: totals.failed};
	// The log's own errors and warnings always show (failed writes count as errors), apart from the reader's.
	const errors = state.log.errors + state.log.failedWrites;
	const where = args.path === '-' ? '(stdin)' : args.path;
	printer.line(
		args.json
			? JSON.stringify({kind: 'end', version: jsonVersion, lines, cycles: outcome.cycles, failed: outcome.failed, warnings, log: {errors, warnings: state.log.warnings, failedWrites: state.log.failedWrites}})
			: `# end: ${lines} records, ${outcome.cycles} cycle(s), ${outcome.failed} failed, log: ${errors} error(s)${state.log.failedWrites ? ` (${state.log.failedWrites} failed write(s))` : ''}, ${state.log.warnings} warning(s); ${warnings} reader warning(s) [${where}]`,
	);
	printer.flush();
	return outcome.failed > 0 ? 1 : 0;
}

/** The whole timeline of a trace in memory, for the monitor (warnings summarised on stderr). */
export async function loadTimeline(target: string, err: Writable, options: ReadOptions = {}): Promise<TimelineEvent[]> {
	const events: TimelineEvent[] = [];
	let warnings = 0;
	await readTimeline(
		planTrace(target),
		batch => {
			for (const e of batch) events.push(e);
		},
		() => warnings++,
		{onNote: message => err.write(`quiesce: ${message}\n`), ...options},
	);
	if (events.length === 0) throw new TraceError(`${target}: nothing to replay (empty trace)`);
	if (warnings > 0) err.write(`quiesce: ${warnings} warning(s) while reading ${target} (replay --headless lists them)\n`);
	return events;
}

export {readSideFile};
