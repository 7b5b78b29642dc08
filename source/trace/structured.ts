/**
 * Kernel logs saved as structured records, read with their exact fields
 * (no guessing from text):
 *
 * - `journalctl -o json` (one object per line), `-o json-pretty`,
 *   `-o json-seq`, or a JSON array of those (`jq -s`): the kernel's own
 *   printk stamp is `_SOURCE_MONOTONIC_TIMESTAMP` (µs), the level
 *   `PRIORITY`, kernel records have `_TRANSPORT=kernel`; `MESSAGE` may be a
 *   byte array when it is not valid UTF-8 (systemd.journal-fields(7),
 *   "JSON format" in the journal export format documentation).
 * - `journalctl -o export`: `FIELD=value` lines, a blank line between
 *   records, and binary fields as `FIELD\n` + 64-bit little-endian length +
 *   bytes + `\n`.
 * - `dmesg --json` (util-linux ≥ 2.38, sys-utils/dmesg.c:print_record):
 *   `{"dmesg": [{"pri": 6, "time": 12.345678, "caller": "T1", "msg": "…"}]}`,
 *   `pri` being facility × 8 + level, or `"fac"`/`"pri"` names with `--decode`.
 *
 * Every record is validated (zod); a bad one is a warning naming its line
 * and field, and the rest is read.
 */
import type {z} from 'zod';
import {onFirstUse, zod} from './zod-on-demand.js';
import type {LogLevel} from '../kernel/log-format.js';
import {microsToUs, quote, stampToUs, type LogParser, type TraceWarning} from './log-parser.js';

export type StructuredRecord = Parameters<LogParser['pushRecord']>[0] & {boot?: string};

type Emit = (record: StructuredRecord, line: number) => void;
type Warn = (line: number, message: string) => void;

/** Largest single JSON object or export record kept (journald's own limits are far below). */
export const maxRecordLength = 4 * 1024 * 1024;

/**
 * Cut a stream of JSON text into the objects at one depth: 0 for one
 * object per line or json-seq, 1 inside a top-level array, 2 for `dmesg
 * --json`'s `{"dmesg": [ … ]}`. Linear in the input; bounded per object.
 */
export class JsonObjectSplitter {
	private depth = 0;
	private inString = false;
	private escaped = false;
	private buffer: string[] = [];
	private length = 0;
	private startLine = 0;
	private line = 1;
	private collecting = false;
	private oversize = false;
	private targetDepth: number | undefined;

	constructor(
		private readonly onObject: (text: string, line: number) => void,
		private readonly warn: Warn,
		private readonly mode: 'journal' | 'dmesg',
	) {}

	push(text: string): void {
		let segmentStart = 0;
		for (let i = 0; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (c === 10) {
				this.line++;
				// JSON strings hold no raw newline: a record cut inside a string ends here.
				this.inString = false;
				this.escaped = false;
				// A record at the start of a line while another is open: the open one was cut off.
				if (this.collecting && this.mode === 'journal' && text.charCodeAt(i + 1) === 123) {
					this.warn(this.startLine, 'record cut off (not closed before the next one); skipped');
					this.collecting = false;
					this.buffer = [];
					this.depth = this.targetDepth ?? 0;
				}

				continue;
			}

			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (c === 92) this.escaped = true;
				else if (c === 34) this.inString = false;
				continue;
			}

			if (c === 34) {
				this.inString = true;
				continue;
			}

			if (c === 123 || c === 91) {
				// { or [
				if (this.targetDepth === undefined) this.targetDepth = this.mode === 'dmesg' ? 2 : c === 91 ? 1 : 0;
				if (c === 123 && this.depth === this.targetDepth && !this.collecting) {
					this.collecting = true;
					this.oversize = false;
					this.startLine = this.line;
					this.buffer = [];
					this.length = 0;
					segmentStart = i;
				}

				this.depth++;
				continue;
			}

			if (c === 125 || c === 93) {
				// } or ]
				this.depth = Math.max(0, this.depth - 1);
				if (c === 125 && this.collecting && this.depth === this.targetDepth) {
					this.append(text.slice(segmentStart, i + 1));
					this.collecting = false;
					if (this.oversize) this.warn(this.startLine, `record longer than ${maxRecordLength} characters; skipped`);
					else this.onObject(this.buffer.join(''), this.startLine);
					this.buffer = [];
				}
			}
		}

		if (this.collecting) this.append(text.slice(segmentStart));
	}

	end(): void {
		if (this.collecting) this.warn(this.startLine, 'the input ends inside a record (cut off); that record is skipped');
		this.collecting = false;
		this.buffer = [];
	}

	private append(piece: string): void {
		if (this.oversize) return;
		this.length += piece.length;
		if (this.length > maxRecordLength) {
			this.oversize = true;
			this.buffer = [];
			return;
		}

		this.buffer.push(piece);
	}
}

function journalSchemas() {
	const z = zod();
	const digits = z.string().regex(/^\d{1,20}$/, 'expected a decimal number of microseconds');
	/** A journal field's value: a string, a byte array (not UTF-8), null (too large), or a list of these (repeated field). */
	const fieldValue = z.union([z.string(), z.array(z.number().int().min(0).max(255)), z.null()]);
	const repeated = z.union([fieldValue, z.array(fieldValue)]);
	const record = z
		.object({
			MESSAGE: repeated,
			PRIORITY: z.string().regex(/^[0-7]$/, 'expected a level 0-7').optional(),
			__REALTIME_TIMESTAMP: digits.optional(),
			__MONOTONIC_TIMESTAMP: digits.optional(),
			_SOURCE_MONOTONIC_TIMESTAMP: digits.optional(),
			_TRANSPORT: z.string().optional(),
			SYSLOG_IDENTIFIER: repeated.optional(),
			_COMM: z.string().optional(),
			_BOOT_ID: z.string().optional(),
		})
		.passthrough();
	return {fieldValue, repeated, record};
}

type JournalSchemas = ReturnType<typeof journalSchemas>;
/** One `journalctl -o json` record (zod loads on first use: zod-on-demand.ts). */
export const journalRecordSchema = onFirstUse(() => journalSchemas().record);

function firstValue(value: z.infer<JournalSchemas['repeated']> | undefined): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value;
	if (value.length === 0) return '';
	if (typeof value[0] === 'number') return Buffer.from(value as number[]).toString('utf8');
	return firstValue(value[0] as z.infer<JournalSchemas['fieldValue']>);
}

/** Where a zod error points, as "field X: what". */
export function describeIssue(error: z.ZodError): string {
	let issue = error.issues[0]!;
	// A union (e.g. an action's result): the branch that got furthest tells what is wrong.
	if (issue.code === 'invalid_union') {
		const deepest = issue.unionErrors
			.flatMap(e => e.issues)
			.sort((a, b) => b.path.length - a.path.length || Number(a.code === 'invalid_literal') - Number(b.code === 'invalid_literal'))[0];
		if (deepest && deepest.path.length > issue.path.length) issue = deepest;
	}

	const field = issue.path.length > 0 ? issue.path.join('.') : '(record)';
	return `field ${field}: ${issue.message === 'Required' ? 'missing' : issue.message}`;
}

/** A journal record (JSON or export fields) as a log record; undefined with a warning when unusable. */
export function journalToRecord(fields: Record<string, unknown>, line: number, warn: Warn): StructuredRecord | undefined {
	const parsed = journalRecordSchema().safeParse(fields);
	if (!parsed.success) {
		warn(line, `journal record: ${describeIssue(parsed.error)}; record skipped`);
		return undefined;
	}

	const r = parsed.data;
	const text = firstValue(r.MESSAGE);
	if (text === undefined) {
		warn(line, 'journal record: field MESSAGE is null (too large for journalctl to print); record skipped');
		return undefined;
	}

	const kernel = r._TRANSPORT === 'kernel';
	const record: StructuredRecord = {text, origin: kernel ? 'kernel' : 'userspace'};
	if (!kernel) record.ident = firstValue(r.SYSLOG_IDENTIFIER) ?? r._COMM ?? r._TRANSPORT ?? 'journal';
	if (r.PRIORITY !== undefined) record.level = Number(r.PRIORITY) as LogLevel;
	const stamp = r._SOURCE_MONOTONIC_TIMESTAMP ?? r.__MONOTONIC_TIMESTAMP;
	if (stamp !== undefined) {
		const us = microsToUs(stamp);
		if (us === undefined) warn(line, `journal record: timestamp ${quote(stamp, 24)} out of range; kept without it`);
		else record.stampUs = us;
	}

	if (r.__REALTIME_TIMESTAMP !== undefined) {
		const us = microsToUs(r.__REALTIME_TIMESTAMP);
		if (us !== undefined) record.wallUs = us;
	}

	if (r._BOOT_ID !== undefined) record.boot = r._BOOT_ID;
	return record;
}

/** One JSON record, or a warning at its line (undefined: the record is skipped). */
function parseRecord(text: string, line: number, warn: Warn): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		warn(line, `not valid JSON (${(error as Error).message}); record skipped`);
		return undefined;
	}
}

/** `journalctl -o json` and friends: JSON objects, one record each. */
export function journalJsonReader(emit: Emit, warn: Warn): {push(text: string): void; end(): void} {
	const splitter = new JsonObjectSplitter(
		(text, line) => {
			const value = parseRecord(text, line, warn);
			if (value === undefined) return;

			if (typeof value !== 'object' || value === null || Array.isArray(value)) {
				warn(line, 'expected a JSON object; record skipped');
				return;
			}

			const record = journalToRecord(value as Record<string, unknown>, line, warn);
			if (record) emit(record, line);
		},
		warn,
		'journal',
	);
	return splitter;
}

const levelNames = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];

/** One record of `dmesg --json` (zod loads on first use: zod-on-demand.ts). */
export const dmesgRecordSchema = onFirstUse(() => {
	const z = zod();
	return z
		.object({
			pri: z.union([z.number().int().min(0).max(1023), z.enum(levelNames as [string, ...string[]])]).optional(),
			fac: z.string().optional(),
			time: z.number().finite().nonnegative().optional(),
			caller: z.string().optional(),
			msg: z.string(),
		})
		.passthrough();
});

/** `dmesg --json`: the records of its "dmesg" array. */
export function dmesgJsonReader(emit: Emit, warn: Warn): {push(text: string): void; end(): void} {
	return new JsonObjectSplitter(
		(text, line) => {
			const value = parseRecord(text, line, warn);
			if (value === undefined) return;

			const parsed = dmesgRecordSchema().safeParse(value);
			if (!parsed.success) {
				warn(line, `dmesg record: ${describeIssue(parsed.error)}; record skipped`);
				return;
			}

			const r = parsed.data;
			const record: StructuredRecord = {text: r.msg, origin: 'kernel'};
			if (typeof r.pri === 'number') {
				record.level = (r.pri & 7) as LogLevel;
				if (r.pri >> 3 !== 0) {
					record.origin = 'userspace';
					record.ident = /^([^\s:[]+)(?:\[\d+\])?:/.exec(r.msg)?.[1] ?? 'kmsg';
				}
			} else if (typeof r.pri === 'string') {
				record.level = levelNames.indexOf(r.pri) as LogLevel;
				if (r.fac !== undefined && r.fac !== 'kern') {
					record.origin = 'userspace';
					record.ident = /^([^\s:[]+)(?:\[\d+\])?:/.exec(r.msg)?.[1] ?? r.fac;
				}
			}

			// The stamp exactly as printed (`%5ld.%06ld`), not through a float.
			const raw = /"time"\s*:\s*(\d+(?:\.\d+)?)/.exec(text)?.[1];
			if (raw !== undefined) {
				const us = stampToUs(raw);
				if (us === undefined) warn(line, `dmesg record: time ${quote(raw, 24)} out of range; kept without it`);
				else record.stampUs = us;
			}

			emit(record, line);
		},
		warn,
		'dmesg',
	);
}

/**
 * `journalctl -o export`, from bytes (binary fields carry a length, not a
 * line end). Records are emitted with the line number of their first field.
 */
export class JournalExportReader {
	private pending: Buffer[] = [];
	private pendingLength = 0;
	private fields: Record<string, string> = {};
	private fieldCount = 0;
	private line = 1;
	private recordLine = 1;
	/** A binary field being read: its name and how many bytes remain (plus the trailing LF). */
	private binary: {name: string; length: number; parts: Buffer[]; got: number; tooLarge: boolean} | undefined;

	constructor(
		private readonly emit: Emit,
		private readonly warn: Warn,
	) {}

	push(chunk: Buffer): void {
		this.pending.push(chunk);
		this.pendingLength += chunk.length;
		let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
		let offset = 0;
		for (;;) {
			if (this.binary) {
				const b = this.binary;
				const need = b.length - b.got;
				const take = Math.min(need, buf.length - offset);
				if (!b.tooLarge) b.parts.push(buf.subarray(offset, offset + take));
				b.got += take;
				offset += take;
				if (b.got < b.length) break;
				if (offset >= buf.length) break; // wait for the LF after the data
				if (buf[offset] === 10) offset++;
				this.line++;
				if (b.tooLarge) this.warn(this.line, `export field ${quote(b.name, 40)} of ${b.length} bytes is too large; dropped`);
				else this.setField(b.name, Buffer.concat(b.parts).toString('utf8'));
				this.binary = undefined;
				continue;
			}

			const nl = buf.indexOf(10, offset);
			if (nl === -1) {
				if (buf.length - offset > maxRecordLength) {
					this.warn(this.line, `export line longer than ${maxRecordLength} bytes; skipped`);
					offset = buf.length;
				}

				break;
			}

			const line = buf.subarray(offset, nl).toString('utf8');
			if (line === '') {
				offset = nl + 1;
				this.line++;
				this.flushRecord();
				continue;
			}

			const eq = line.indexOf('=');
			if (eq === -1) {
				// A binary field: name, LF, then a 64-bit little-endian length.
				if (buf.length - (nl + 1) < 8) break;
				const length = buf.readBigUInt64LE(nl + 1);
				offset = nl + 9;
				if (this.fieldCount === 0) this.recordLine = this.line;
				this.binary = {name: line, length: Number(length > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : length), parts: [], got: 0, tooLarge: length > BigInt(maxRecordLength)};
				this.fieldCount++;
				continue;
			}

			if (this.fieldCount === 0) this.recordLine = this.line;
			this.setField(line.slice(0, eq), line.slice(eq + 1));
			offset = nl + 1;
			this.line++;
		}

		const restBuf = buf.subarray(offset);
		this.pending = restBuf.length > 0 ? [Buffer.from(restBuf)] : [];
		this.pendingLength = restBuf.length;
		buf = Buffer.alloc(0);
	}

	end(): void {
		if (this.binary) this.warn(this.line, `the input ends inside the binary field ${quote(this.binary.name, 40)}; that record is cut`);
		if (this.pendingLength > 0) {
			const line = Buffer.concat(this.pending).toString('utf8');
			const eq = line.indexOf('=');
			if (eq > 0) this.setField(line.slice(0, eq), line.slice(eq + 1));
		}

		this.binary = undefined;
		this.flushRecord();
	}

	private setField(name: string, value: string): void {
		if (this.fieldCount === 0) this.recordLine = this.line;
		this.fieldCount++;
		// Repeated fields: the first one counts.
		if (!(name in this.fields)) this.fields[name] = value;
	}

	private flushRecord(): void {
		if (this.fieldCount === 0) return;
		const record = journalToRecord(this.fields, this.recordLine, this.warn);
		if (record) this.emit(record, this.recordLine);
		this.fields = {};
		this.fieldCount = 0;
	}
}

export type {TraceWarning};
