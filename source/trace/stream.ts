/**
 * Streaming a kernel log file: chunks split on newlines, parsed line by line,
 * delivered in batches — memory stays bounded whatever the file size. Every
 * `indexEvery` lines the byte offset and the parser's clock are recorded, so
 * a player can seek without re-reading from the start.
 */
import {createReadStream} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import type {LogEvent} from '../events.js';
import {LogParser, type TraceWarning} from './log-parser.js';

export type IndexEntry = {offset: number; line: number; t: number};

export type StreamOptions = {
	/** Label used in warnings (defaults to the path). */
	label?: string;
	indexEvery?: number;
	onBatch: (events: LogEvent[]) => void | Promise<void>;
	onIndex?: (entry: IndexEntry) => void;
	/** Start here (an index entry) instead of the beginning. */
	from?: IndexEntry;
	signal?: AbortSignal;
};

export type StreamResult = {lines: number; bytes: number; warnings: TraceWarning[]};

export async function streamLogFile(path: string, options: StreamOptions): Promise<StreamResult> {
	const parser = new LogParser(options.label ?? path);
	const indexEvery = options.indexEvery ?? 4096;
	const decoder = new StringDecoder('utf8');
	let carry = '';
	let lineNo = options.from?.line ?? 0;
	let offset = options.from?.offset ?? 0;
	const stream = createReadStream(path, {start: offset, highWaterMark: 1 << 20});
	let batch: LogEvent[] = [];
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		if (options.signal?.aborted) break;
		const text = carry + decoder.write(chunk);
		let start = 0;
		let nl = text.indexOf('\n', start);
		while (nl !== -1) {
			const line = text.slice(start, nl);
			lineNo++;
			if (options.onIndex && (lineNo - 1) % indexEvery === 0) {
				options.onIndex({offset, line: lineNo - 1, t: batch.at(-1)?.t ?? 0});
			}

			offset += Buffer.byteLength(line, 'utf8') + 1;
			batch.push(...parser.push(line, lineNo));
			start = nl + 1;
			nl = text.indexOf('\n', start);
		}

		carry = text.slice(start);
		if (carry.length > 16 * 1024 * 1024) {
			// A line longer than 16 MB: take it in pieces rather than hold it.
			lineNo++;
			batch.push(...parser.push(carry, lineNo));
			offset += Buffer.byteLength(carry, 'utf8');
			carry = '';
		}

		if (batch.length >= 2048) {
			await options.onBatch(batch);
			batch = [];
		}
	}

	const rest = carry + decoder.end();
	if (rest.length > 0) {
		lineNo++;
		batch.push(...parser.push(rest, lineNo));
		offset += Buffer.byteLength(rest, 'utf8');
	}

	batch.push(...parser.finish());
	if (batch.length > 0) await options.onBatch(batch);
	return {lines: lineNo, bytes: offset, warnings: parser.warnings};
}
