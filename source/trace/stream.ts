/**
 * Streaming a kernel log: bytes in chunks, never seeked (pipes, FIFOs and
 * standard input work like files), parsed by format — text lines, journal
 * JSON / export, `dmesg --json` — and delivered in batches, so memory stays
 * bounded whatever the size. For a plain-text regular file, every
 * `indexEvery` lines the byte offset and the parser's clock are recorded, so
 * a player can seek without re-reading from the start.
 */
import {createReadStream} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import type {LogEvent} from '../events.js';
import {openText, type OpenOptions, type TextInput} from './input.js';
import {LineSplitter, LogParser, maxLineLength, notPlainText, type LineSink, type TraceWarning} from './log-parser.js';
import {dmesgJsonReader, journalJsonReader, JournalExportReader} from './structured.js';

export type IndexEntry = {offset: number; line: number; t: number};

export type StreamOptions = {
	/** Label used in warnings (defaults to the path). */
	label?: string;
	indexEvery?: number;
	onBatch: (events: LogEvent[]) => void | Promise<void>;
	/**
	 * Lines go here, in order, as the parser reads them (events for the lines the sink wants, time
	 * and line number for the others: see LineSink); `onBatch` is then called with no events after
	 * each read, for the consumer to flush its output and wait for a slow reader.
	 */
	sink?: LineSink;
	onIndex?: (entry: IndexEntry) => void;
	/** Start here (an index entry) instead of the beginning: plain-text regular files only. */
	from?: IndexEntry;
	signal?: AbortSignal;
};

export type StreamResult = {lines: number; bytes: number; warnings: TraceWarning[]};

const batchSize = 2048;

/** Stream an opened input (any log format) through the parser. */
export async function streamLog(input: TextInput, options: StreamOptions): Promise<StreamResult> {
	const label = options.label ?? input.label;
	/** The clock of the last event handed over (the index records it; the batch may just have been flushed). */
	let lastT = 0;
	const outer = options.sink;
	const sink: LineSink | undefined = outer && {
		event(event) {
			lastT = event.t;
			outer.event(event);
		},
		skips: (text, origin) => outer.skips(text, origin),
		skipped(t, line, userspace) {
			lastT = t;
			outer.skipped(t, line, userspace);
		},
	};
	const parser = new LogParser(label, sink);
	let batch: LogEvent[] = [];
	let bytes = 0;
	let lines = 0;
	const add = (events: LogEvent[]) => {
		for (const e of events) batch.push(e);
		if (events.length > 0) lastT = events.at(-1)!.t;
	};

	const flush = async (force = false) => {
		if (sink) {
			await options.onBatch([]);
			return;
		}

		if (batch.length >= batchSize || (force && batch.length > 0)) {
			const full = batch;
			batch = [];
			await options.onBatch(full);
		}
	};

	const warn = (line: number, message: string) => parser.warn(line, message);
	const emit = (record: Parameters<LogParser['pushRecord']>[0], line: number) => {
		lines++;
		add(parser.pushRecord(record, line));
	};

	try {
		if (input.format === 'journal-export') {
			const reader = new JournalExportReader(emit, warn);
			for await (const chunk of input.chunks) {
				if (options.signal?.aborted) break;
				bytes += chunk.length;
				reader.push(chunk);
				// A pipe hands over what it has at once (it may go quiet for a while: dmesg -w); a file in batches.
				await flush(!input.regular);
			}

			reader.end();
		} else {
			const decoder = new StringDecoder('utf8');
			let push: (text: string) => void;
			let end: () => void;
			let splitter: LineSplitter | undefined;
			if (input.format === 'journal-json' || input.format === 'dmesg-json') {
				const reader = input.format === 'journal-json' ? journalJsonReader(emit, warn) : dmesgJsonReader(emit, warn);
				push = text => reader.push(text);
				end = () => reader.end();
			} else {
				const indexEvery = options.indexEvery ?? 4096;
				let offset = options.from?.offset ?? 0;
				const lineBase = options.from?.line ?? 0;
				const onIndex = options.onIndex;
				splitter = new LineSplitter(
					(line, lineNo, part, ending, plain) => {
						if (onIndex) {
							if (part === 0 && (lineNo - 1) % indexEvery === 0) onIndex({offset, line: lineBase + lineNo - 1, t: lastT});
							offset += Buffer.byteLength(line, 'utf8') + ending;
						}

						add(parser.push(line, lineBase + lineNo, part, plain));
					},
					maxLineLength,
					notPlainText,
				);
				push = text => splitter!.push(text);
				end = () => splitter!.end();
			}

			for await (const chunk of input.chunks) {
				if (options.signal?.aborted) break;
				bytes += chunk.length;
				push(decoder.write(chunk));
				// A pipe hands over what it has at once (it may go quiet for a while: dmesg -w); a file in batches.
				await flush(!input.regular);
			}

			push(decoder.end());
			end();
			if (splitter) lines = (options.from?.line ?? 0) + splitter.lines;
		}
	} finally {
		input.close();
	}

	add(parser.finish());
	await flush(true);
	return {lines, bytes: (options.from?.offset ?? 0) + bytes, warnings: [...input.warnings, ...parser.warnings]};
}

/**
 * Stream a log by path (or `-`). With `from`, a plain-text regular file is
 * read from that byte offset (seeking is for files only).
 */
export async function streamLogFile(path: string, options: StreamOptions & OpenOptions): Promise<StreamResult> {
	if (options.from) {
		const stream = createReadStream(path, {start: options.from.offset, highWaterMark: 1 << 20});
		const input: TextInput = {label: path, format: 'log', compression: 'none', regular: true, chunks: stream, warnings: [], close: () => stream.destroy()};
		return streamLog(input, options);
	}

	return streamLog(await openText(path, options), options);
}
