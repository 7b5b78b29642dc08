/**
 * Where a player keeps its events. A simulation or a test hands over an array and it is used as
 * it is (`ArrayEvents`). A replay — an 86 MB log is a million events, 285 bytes each as objects —
 * keeps them packed (`PackedEvents`, issue 18): every event's time and kind in typed arrays (the
 * binary searches and the scans for reads and writes never touch an event), the events themselves
 * in blocks of `blockSize` (512: one decodes in under a millisecond; 4096 took 20 ms), each sealed as deflated JSON once full and decoded again when the
 * screen asks for an event in it — the window around the playhead: the keyframe before it, the
 * lines of the log pane. The last few decoded blocks are kept. JSON gives back the very objects
 * that went in (numbers, strings — lone surrogates included —, absent optional fields), so the
 * screen cannot tell the two apart (test/event-store.test.ts replays every fixture both ways).
 */
import {constants, deflateRawSync, inflateRawSync} from 'node:zlib';
import type {TimelineEvent} from '../events.js';

/** Read access to a timeline, whatever keeps it. Events are shared: never change one. */
export type EventSource = {
	readonly length: number;
	at(index: number): TimelineEvent;
	/** The time of event `index` (µs), without decoding it. */
	t(index: number): number;
	/** The kind of event `index`, without decoding it. */
	kind(index: number): TimelineEvent['kind'];
	push(event: TimelineEvent): void;
	/** Every event, in order (decoding each block once). */
	all(): TimelineEvent[];
};

export class ArrayEvents implements EventSource {
	constructor(readonly events: TimelineEvent[]) {}

	get length(): number {
		return this.events.length;
	}

	at(index: number): TimelineEvent {
		return this.events[index]!;
	}

	t(index: number): number {
		return this.events[index]!.t;
	}

	kind(index: number): TimelineEvent['kind'] {
		return this.events[index]!.kind;
	}

	push(event: TimelineEvent): void {
		this.events.push(event);
	}

	all(): TimelineEvent[] {
		return this.events;
	}
}

/** Kinds by code, in the order first seen (any kind of event packs). */
const kinds: Array<TimelineEvent['kind']> = [];
/** In a sealed row: the log line's stamp is its time. No event has a field of this name. */
const stampIsTime = '~stamp=t';
const kindCode = new Map<TimelineEvent['kind'], number>();
/** In a sealed row: where the line is (see seal). No event has a field of this name. */
const placeKey = '~at';

/** A source location of exactly a file and a line number (what the log parser gives every line). */
function isPlace(source: unknown): source is {file: string; line: number} {
	if (typeof source !== 'object' || source === null) return false;
	const {file, line} = source as {file?: unknown; line?: unknown};
	return Object.keys(source).length === 2 && typeof file === 'string' && typeof line === 'number' && Number.isInteger(line);
}

export class PackedEvents implements EventSource {
	length = 0;
	private readonly times: TimeColumn;
	private codes = new Uint8Array(4096);
	private readonly sealed: Buffer[] = [];
	private open: TimelineEvent[] = [];
	/** Decoded blocks, least recently used first. */
	private readonly decoded = new Map<number, TimelineEvent[]>();

	constructor(
		readonly blockSize = 512,
		/** Decoded blocks kept. */
		readonly keep = 6,
	) {
		this.times = new TimeColumn(blockSize);
	}

	push(event: TimelineEvent): void {
		if (this.length === this.codes.length) {
			const codes = new Uint8Array(Math.max(4096, this.codes.length * 2));
			codes.set(this.codes);
			this.codes = codes;
		}

		let code = kindCode.get(event.kind);
		if (code === undefined) {
			code = kinds.push(event.kind) - 1;
			kindCode.set(event.kind, code);
		}

		this.times.push(event.t);
		this.codes[this.length] = code;
		this.length++;
		this.open.push(event);
		if (this.open.length === this.blockSize) {
			// The times are in their column: not again in the block (nor a log line's stamp when it is its time).
			// A log line's place, {file, line}: 1 when it is the line after the row before's, in the same file
			// (deflate cannot shorten a million different line numbers: 23 → 19 bytes an event).
			let file: string | undefined;
			let line = Number.NaN;
			const rows = this.open.map(e => {
				const row: Record<string, unknown> = e.kind === 'log' && e.stamp === e.t ? {...e, t: undefined, stamp: undefined, [stampIsTime]: 1} : {...e, t: undefined};
				const source = (e as {source?: unknown}).source;
				if (isPlace(source)) {
					row['source'] = undefined;
					row[placeKey] = source.file === file && source.line === line + 1 ? 1 : [source.file, source.line];
					({file, line} = source);
				}

				return row;
			});
			// Copied to its own size: zlib's output is a view of a 16 KiB buffer (a block is 11–15 KiB).
			this.sealed.push(Buffer.from(deflateRawSync(JSON.stringify(rows), {level: constants.Z_BEST_SPEED})));
			this.open = [];
		}
	}

	at(index: number): TimelineEvent {
		if (!(index >= 0 && index < this.length)) return undefined as unknown as TimelineEvent;
		const block = Math.floor(index / this.blockSize);
		const offset = index - block * this.blockSize;
		if (block === this.sealed.length) return this.open[offset]!;
		return this.block(block)[offset]!;
	}

	t(index: number): number {
		return this.times.at(index);
	}

	kind(index: number): TimelineEvent['kind'] {
		return kinds[this.codes[index]!]!;
	}

	all(): TimelineEvent[] {
		const out: TimelineEvent[] = [];
		for (let b = 0; b < this.sealed.length; b++) for (const e of this.decode(b)) out.push(e);
		for (const e of this.open) out.push(e);
		return out;
	}

	/** Bytes held by the sealed blocks and the columns (for the bench and the tests). */
	get packedBytes(): number {
		return this.sealed.reduce((sum, b) => sum + b.length, 0) + this.times.bytes + this.codes.byteLength;
	}

	private block(b: number): TimelineEvent[] {
		let events = this.decoded.get(b);
		if (events) {
			this.decoded.delete(b);
			this.decoded.set(b, events);
			return events;
		}

		events = this.decode(b);
		this.decoded.set(b, events);
		if (this.decoded.size > this.keep) this.decoded.delete(this.decoded.keys().next().value!);
		return events;
	}

	private decode(b: number): TimelineEvent[] {
		const cached = this.decoded.get(b);
		if (cached) return cached;
		const rows = JSON.parse(inflateRawSync(this.sealed[b]!).toString('utf8')) as Array<Record<string, unknown>>;
		const base = b * this.blockSize;
		let file = '';
		let line = 0;
		for (const [k, row] of rows.entries()) {
			row['t'] = this.times.at(base + k);
			if (row[stampIsTime] === 1) {
				delete row[stampIsTime];
				row['stamp'] = row['t'];
			}

			const place = row[placeKey] as 1 | [string, number] | undefined;
			if (place !== undefined) {
				delete row[placeKey];
				if (place === 1) line++;
				else [file, line] = place;
				row['source'] = {file, line};
			}
		}

		return rows as TimelineEvent[];
	}

	/** Every event is in: the columns shrink to their length. */
	trim(): void {
		this.times.trim();
		this.codes = this.codes.slice(0, this.length);
	}
}

/**
 * Event times (µs), exact, in about 4 bytes each instead of 8: per block of `blockSize` events, its
 * first time, and each time as its difference from that in an Int32Array — when every difference
 * is a whole number within ±2^31 that gives the time back exactly (a log's stamps are whole µs,
 * and a block spans seconds); otherwise that block's times stay as they are (Float64).
 */
export class TimeColumn {
	length = 0;
	private offsets = new Int32Array(4096);
	/** Per sealed block: its first time, or NaN when its times are kept whole in `whole`. */
	private readonly bases: number[] = [];
	private readonly whole = new Map<number, Float64Array>();
	private readonly open: Float64Array;

	constructor(readonly blockSize: number) {
		this.open = new Float64Array(blockSize);
	}

	push(t: number): void {
		const k = this.length % this.blockSize;
		this.open[k] = t;
		this.length++;
		if (k === this.blockSize - 1) this.seal();
	}

	at(index: number): number {
		const block = Math.floor(index / this.blockSize);
		if (block >= this.bases.length) return this.open[index - block * this.blockSize]!;
		const base = this.bases[block]!;
		return Number.isNaN(base) ? this.whole.get(block)![index - block * this.blockSize]! : base + this.offsets[index]!;
	}

	get bytes(): number {
		let bytes = this.offsets.byteLength + this.bases.length * 8 + this.open.byteLength;
		for (const times of this.whole.values()) bytes += times.byteLength;
		return bytes;
	}

	/** No more times: the spare room is given back. */
	trim(): void {
		this.offsets = this.offsets.slice(0, this.bases.length * this.blockSize);
	}

	private seal(): void {
		const block = this.bases.length;
		const from = block * this.blockSize;
		if (this.offsets.length < from + this.blockSize) {
			const grown = new Int32Array(Math.max(from + this.blockSize, this.offsets.length * 2));
			grown.set(this.offsets);
			this.offsets = grown;
		}

		const base = this.open[0]!;
		let exact = Number.isFinite(base);
		for (let k = 0; exact && k < this.blockSize; k++) {
			const offset = this.open[k]! - base;
			exact = Number.isInteger(offset) && offset >= -(2 ** 31) && offset < 2 ** 31 && Object.is(base + offset, this.open[k]);
			this.offsets[from + k] = offset;
		}

		if (exact) this.bases.push(base);
		else {
			this.bases.push(Number.NaN);
			this.whole.set(block, this.open.slice());
		}
	}
}
