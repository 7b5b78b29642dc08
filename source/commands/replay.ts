/**
 * `quiesce replay PATH --headless`: the trace's timeline with the derived
 * state at each phase change, or `--summary` for the outcome only. Warnings
 * (file:line: what) go to stderr; the replay goes on. PATH may be a file,
 * a bundle folder, `-` (standard input), a pipe, process substitution or a
 * FIFO: a single input is streamed from its start and never seeked, and its
 * format is told by its content.
 */
import type {Writable} from 'node:stream';
import type {TimelineEvent} from '../events.js';
import {TimelinePrinter} from '../headless/printer.js';
import {summaryText} from '../monitor/summary.js';
import {loadSideEvents, NativeEventReader, planTrace, readSideFile, TraceError, type TracePlan} from '../trace/bundle.js';
import {openText, readAllText, type OpenOptions, type TextInput} from '../trace/input.js';
import {LineSplitter, quote, type TraceWarning} from '../trace/log-parser.js';
import {parseNdctlText} from '../trace/ndctl-parser.js';
import {parseSysfsText} from '../trace/sysfs-parser.js';
import {streamLog} from '../trace/stream.js';
import {jsonVersion} from '../json-version.js';

export type ReplayArgs = {path: string; json: boolean; summary: boolean};

export type ReadOptions = OpenOptions;

/** A native events.ndjson, streamed line by line and validated. */
async function readNative(input: TextInput, onEvents: (events: TimelineEvent[]) => void, warn: (w: TraceWarning) => void): Promise<number> {
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
				onEvents(batch);
				batch = [];
			}
		}
	} finally {
		input.close();
	}

	splitter.push(decoder.end());
	splitter.end();
	onEvents(batch);
	[...input.warnings, ...reader.warnings].forEach(warn);
	return splitter.lines;
}

/** A single path or `-`: opened once, its format told by its content. */
async function readSingle(target: string, onEvents: (events: TimelineEvent[]) => void, warn: (w: TraceWarning) => void, options: ReadOptions): Promise<{lines: number}> {
	const input = await openText(target, options);
	switch (input.format) {
		case 'sysfs':
		case 'ndctl': {
			const text = await readAllText(input);
			const parsed = input.format === 'sysfs' ? parseSysfsText(text, input.label) : parseNdctlText(text, input.label);
			[...input.warnings, ...parsed.warnings].forEach(warn);
			onEvents(parsed.events);
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
			const result = await streamLog(input, {onBatch: onEvents});
			result.warnings.forEach(warn);
			return {lines: result.lines};
		}
	}
}

/** Every event of a trace, in time order, streamed in batches. */
export async function readTimeline(plan: TracePlan, onEvents: (events: TimelineEvent[]) => void, warn: (w: TraceWarning) => void, options: ReadOptions = {}): Promise<{lines: number}> {
	for (const w of plan.warnings) warn(w);
	if (plan.input) return readSingle(plan.input, onEvents, warn, options);
	if (plan.native) return {lines: await readNative(await openText(plan.native, options), onEvents, warn)};

	const side = loadSideEvents(plan);
	side.warnings.forEach(warn);
	let next = 0;
	let lines = 0;
	for (const file of plan.logs) {
		const result = await streamLog(await openText(file, options), {
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

/** A warning as one line of text: escaped, bounded. */
export function warningLine(w: TraceWarning): string {
	const where = `${w.file}${w.line ? `:${w.line}` : ''}`;
	// eslint-disable-next-line no-control-regex
	const safe = (text: string) => (/[\u0000-\u001F\u007F-\u009F]/.test(text) ? quote(text, 300).slice(1, -1) : text);
	return `quiesce: warning: ${safe(where)}: ${safe(w.message)}`;
}

/**
 * The exit status of a headless replay: 0 when no cycle failed, 1 when one
 * did (README "Exit status"); unreadable input throws (status 2).
 */
export async function runReplayHeadless(args: ReplayArgs, out: Writable, err: Writable, options: ReadOptions = {}): Promise<0 | 1> {
	const plan = planTrace(args.path);
	const printer = new TimelinePrinter(out, args.json, !args.summary);
	let warnings = 0;
	const {lines} = await readTimeline(
		plan,
		events => {
			for (const event of events) printer.push(event);
		},
		w => {
			warnings++;
			if (warnings <= 50) err.write(warningLine(w) + '\n');
			else if (warnings === 51) err.write('quiesce: warning: more warnings not shown\n');
		},
		{onNote: message => err.write(`quiesce: ${message}\n`), ...options},
	);
	if (lines === 0) throw new TraceError(`${args.path === '-' ? '(stdin)' : args.path}: nothing to replay (empty trace)`);
	const state = printer.state;
	const outcome = {cycles: state.totals.cycles + (state.cycle ? 1 : 0), failed: state.totals.failed + (state.cycle?.status === 'failed' ? 1 : 0)};
	if (args.summary) {
		printer.flush();
		if (args.json) out.write(JSON.stringify({kind: 'summary', version: jsonVersion, state: printer.state}) + '\n');
		else {
			const notes = (plan.meta?.['notes'] as string[] | undefined) ?? [];
			out.write(summaryText(printer.state) + '\n' + notes.map(n => `capture: ${n}\n`).join(''));
		}

		return outcome.failed > 0 ? 1 : 0;
	}

	printer.line(args.json ? JSON.stringify({kind: 'end', version: jsonVersion, lines, cycles: outcome.cycles, failed: outcome.failed, warnings}) : `# end: ${lines} records, ${outcome.cycles} cycle(s), ${outcome.failed} failed, ${warnings} warning(s) [${args.path === "-" ? "(stdin)" : args.path}]`);
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
