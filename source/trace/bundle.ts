/**
 * Trace bundles: what `replay` opens and what `record` and `capture` write.
 *
 *   meta.json      {"format": "quiesce-trace", "version": 1, host, kernel,
 *                   source, created, clock: {sysfsOffsetUs}, unreadable: []}
 *   kernel.log     the kernel log, in any format the log parser reads
 *   sysfs.tsv      t_us<TAB>path<TAB>value polls (or a path<TAB>value dump)
 *   ndctl.json     optional `ndctl list -BDF`
 *   writes.tsv     optional: the operator's writes (trace/writes.ts; the
 *                  format of a real capture's *-writes.tsv)
 *   events.ndjson  optional: the full native timeline, one event per line
 *                  (lossless; replay prefers it when present)
 *
 * A single log file is a trace too, and so is a folder of captures with
 * other names (dmesg*.log, *.tsv, sys-power.txt, ndctl*.json).
 */
import {closeSync, lstatSync, openSync, readdirSync, readSync, statSync, type Stats} from 'node:fs';
import path from 'node:path';
import {onFirstUse, zod} from './zod-on-demand.js';
import {faultPoints, type TimelineEvent} from '../events.js';
import {errnoNames} from '../kernel/errno.js';
import {describeFsError, quotePath, sniffText} from './input.js';
import {maxStampUs, quote, type TraceWarning} from './log-parser.js';
import {parseNdctlText} from './ndctl-parser.js';
import {parseSysfsText} from './sysfs-parser.js';
import {monotonicAheadUs} from './marker-clock.js';
import {parseWritesText} from './writes.js';
import {describeIssue} from './structured.js';
import {TraceError} from '../errors.js';

export const bundleFormat = 'quiesce-trace';

export type BundleMeta = {
	format: typeof bundleFormat;
	version: 1;
	host?: string;
	kernel?: string;
	source?: string;
	created?: string;
	scenario?: string;
	seed?: number;
	clock?: {sysfsOffsetUs?: number; note?: string};
	unreadable?: string[];
	[key: string]: unknown;
};

export type TracePlan = {
	root: string;
	/** A single path or "-": opened as a stream, its format sniffed from its content. */
	input?: string;
	meta?: BundleMeta;
	logs: string[];
	sysfs: string[];
	ndctl: string[];
	/** Operator writes (writes.tsv, *-writes.tsv). */
	writes: string[];
	native?: string;
	/** Files named in a "skipped/unreadable" list or not readable. */
	unreadable: string[];
	warnings: TraceWarning[];
};

export {TraceError};

type FileKind = 'log' | 'sysfs' | 'ndctl' | 'native' | 'meta' | 'links' | 'skipped' | 'writes' | 'ignore';

/** At most this much of a side file (meta, sysfs, ndctl, skipped list) is read. */
export const maxSideFileBytes = 64 * 1024 * 1024;

/** The first bytes of a regular file, read without loading the rest. */
function readHead(file: string, bytes = 8192): Buffer {
	const fd = openSync(file, 'r');
	try {
		const buf = Buffer.alloc(bytes);
		const n = readSync(fd, buf, 0, bytes, 0);
		return buf.subarray(0, n);
	} finally {
		closeSync(fd);
	}
}

/** A whole side file, bounded: larger ones are an error naming the file. */
export function readSideFile(file: string, limit = maxSideFileBytes): string {
	let stat: Stats;
	try {
		stat = statSync(file);
	} catch (error) {
		throw new TraceError(describeFsError(file, error));
	}

	if (!stat.isFile()) throw new TraceError(`${quotePath(file)}: not a regular file`);
	if (stat.size > limit) throw new TraceError(`${quotePath(file)}: ${stat.size} bytes, more than the ${limit / 1024 / 1024} MiB read from a ${path.basename(file)}; is it the right file?`);
	try {
		return readHead(file, Math.max(1, stat.size)).toString('utf8');
	} catch (error) {
		throw new TraceError(describeFsError(file, error));
	}
}

function sniff(file: string): FileKind {
	const base = path.basename(file);
	if (base === 'meta.json') return 'meta';
	if (base.endsWith('.ndjson')) return 'native';
	if (/links\.tsv$/.test(base)) return 'links';
	if (/skipped\.tsv$|unreadable/.test(base)) return 'skipped';
	if (/\.(tar|md|png|stderr)$/.test(base)) return 'ignore';
	let head: Buffer;
	try {
		head = readHead(file);
	} catch {
		return 'ignore';
	}

	const firstLines = head.toString('utf8').split('\n').slice(0, 12).map(l => l.trim()).filter(Boolean);
	if (firstLines.length > 0 && firstLines.every(l => /^write\t\/sys\//.test(l))) return 'writes';
	// Compressed logs are logs (replay decompresses gzip and zstd by content).
	if ((head[0] === 0x1f && head[1] === 0x8b) || (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd)) return 'log';
	if (/\.(gz|xz|zst|bz2)$/.test(base)) return 'ignore';
	const kind = sniffText(head.toString('utf8'), base);
	if (kind === 'sysfs' || kind === 'ndctl') return kind;
	if (kind === 'native') return 'native';
	if (kind === 'empty') return 'ignore';
	return 'log';
}

/** meta.json as written by record/capture; every field optional, each checked. */
export const bundleMetaSchema = onFirstUse(() => {
	const z = zod();
	return z
		.object({
			format: z.literal(bundleFormat).optional(),
			version: z.number().int().optional(),
			host: z.string().optional(),
			kernel: z.string().optional(),
			source: z.string().optional(),
			created: z.string().optional(),
			scenario: z.string().optional(),
			seed: z.number().int().nonnegative().optional(),
			clock: z.object({sysfsOffsetUs: z.number().finite().min(-maxStampUs).max(maxStampUs).optional(), note: z.string().optional()}).passthrough().optional(),
			unreadable: z.array(z.string()).optional(),
			notes: z.array(z.string()).optional(),
		})
		.passthrough();
});

/**
 * Read meta.json field by field: a field of the wrong type is a warning
 * naming it and is dropped; the other fields still count.
 */
function readMeta(file: string, warnings: TraceWarning[]): BundleMeta | undefined {
	let raw: unknown;
	try {
		raw = JSON.parse(readSideFile(file, 1024 * 1024));
	} catch (error) {
		warnings.push({file, line: 1, message: error instanceof TraceError ? error.message : `meta.json is not valid JSON (${(error as Error).message}); ignored`});
		return undefined;
	}

	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		warnings.push({file, line: 1, message: 'meta.json: expected a JSON object; ignored'});
		return undefined;
	}

	const meta: Record<string, unknown> = {...(raw as Record<string, unknown>)};
	for (let attempt = 0; attempt < 32; attempt++) {
		const parsed = bundleMetaSchema().safeParse(meta);
		if (parsed.success) return {...parsed.data, format: bundleFormat, version: 1} as BundleMeta;
		const field = parsed.error.issues[0]!.path[0];
		warnings.push({file, line: 1, message: `meta.json: ${describeIssue(parsed.error)}; field ignored`});
		if (field === undefined) return undefined;
		delete meta[String(field)];
	}

	return undefined;
}

/** What a directory entry is, following a symlink once; a warning for what cannot be read. */
function entryKind(file: string, warnings: TraceWarning[]): 'file' | 'other' {
	let link: Stats;
	try {
		link = lstatSync(file);
	} catch (error) {
		warnings.push({file, line: 0, message: describeFsError(file, error).replace(`${quotePath(file)}: `, '') + '; skipped'});
		return 'other';
	}

	let stat = link;
	if (link.isSymbolicLink()) {
		try {
			stat = statSync(file);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			warnings.push({file, line: 0, message: code === 'ENOENT' ? 'dangling symlink (its target does not exist); skipped' : code === 'ELOOP' ? 'symlink loop; skipped' : `${describeFsError(file, error)}; skipped`});
			return 'other';
		}
	}

	if (stat.isFile()) return 'file';
	if (stat.isDirectory()) return 'other';
	warnings.push({file, line: 0, message: `${stat.isFIFO() ? 'a FIFO' : stat.isSocket() ? 'a socket' : 'a device file'}, not read (a bundle holds regular files); skipped`});
	return 'other';
}

/** Decide which files of a path make up the trace. */
export function planTrace(target: string): TracePlan {
	const plan: TracePlan = {root: target, logs: [], sysfs: [], ndctl: [], writes: [], unreadable: [], warnings: []};
	if (target === '-') return {...plan, input: target};
	let stat: Stats;
	try {
		stat = statSync(target);
	} catch (error) {
		throw new TraceError(describeFsError(target, error));
	}

	if (!stat.isDirectory()) {
		// An operator-writes file (writes.tsv) on its own; anything else is a log stream.
		if (stat.isFile() && sniff(target) === 'writes') return {...plan, writes: [target]};
		return {...plan, input: target};
	}

	let names: string[];
	try {
		names = readdirSync(target).sort();
	} catch (error) {
		throw new TraceError(describeFsError(target, error));
	}

	const files = names.map(f => path.join(target, f)).filter(f => entryKind(f, plan.warnings) === 'file');
	if (files.length === 0) throw new TraceError(`${quotePath(target)}: ${names.length === 0 ? 'empty directory, no trace in it' : 'no readable trace file in it'}`);
	const logs: string[] = [];
	for (const file of files) {
		const kind = sniff(file);
		switch (kind) {
			case 'meta': {
				plan.meta = readMeta(file, plan.warnings);
				plan.unreadable.push(...(plan.meta?.unreadable ?? []));

				break;
			}

			case 'native': {
				plan.native = file;
				break;
			}

			case 'log': {
				logs.push(file);
				break;
			}

			case 'sysfs': {
				plan.sysfs.push(file);
				break;
			}

			case 'ndctl': {
				plan.ndctl.push(file);
				break;
			}

			case 'writes': {
				plan.writes.push(file);
				break;
			}

			case 'skipped': {
				const text = readSideFileOrWarn(file, plan.warnings);
				for (const line of text?.split('\n') ?? []) if (line.includes('\t')) plan.unreadable.push(line.split('\t')[0]!.replace(/^\/sys\//, ''));
				break;
			}

			default:
		}
	}

	// One kernel log per trace: the same boot saved twice (dmesg and /dev/kmsg) must not replay twice.
	const preferred = logs.find(f => /^kernel\.log(?:\.gz|\.zst)?$/.test(path.basename(f))) ?? logs.find(f => /dmesg/.test(path.basename(f))) ?? logs.sort((a, b) => statSync(b).size - statSync(a).size)[0];
	if (preferred) plan.logs.push(preferred);
	for (const other of logs.filter(f => f !== preferred)) {
		plan.warnings.push({file: other, line: 0, message: `another kernel log in the folder; replaying ${path.basename(preferred!)} only (give this file's path to replay it)`});
	}

	if (!plan.native && plan.logs.length === 0 && plan.sysfs.length === 0 && plan.ndctl.length === 0 && plan.writes.length === 0) {
		throw new TraceError(`${quotePath(target)}: no kernel log, sysfs dump or ndctl output found`);
	}

	return plan;
}

const noteTopics = ['scenario', 'step', 'tasks', 'device', 'dma', 'quiesce', 'platform', 'firmware', 'outcome'] as const;

/** One line of events.ndjson: the TimelineEvent contract of events.ts, checked field by field (zod loads on first use). */
export const timelineEventSchema = onFirstUse(() => {
	const z = zod();
	const time = z.number().finite().nonnegative().max(maxStampUs);
	const sourceLocation = z.object({file: z.string(), line: z.number().int().nonnegative(), endLine: z.number().int().nonnegative().optional()}).strict();

	return z.discriminatedUnion('kind', [
		z.object({
			kind: z.literal('log'),
			t: time,
			stamp: time.optional(),
			level: z.number().int().min(0).max(7).optional(),
			text: z.string(),
			source: sourceLocation.optional(),
			origin: z.enum(['kernel', 'userspace', 'unknown']).optional(),
			ident: z.string().optional(),
		}),
		z.object({kind: z.literal('sysfs'), t: time, path: z.string().min(1), value: z.string(), source: sourceLocation.optional()}),
		z.object({kind: z.literal('note'), t: time, topic: z.enum(noteTopics), text: z.string(), data: z.record(z.unknown()).optional()}),
		// The simulator's fault events (events.ts FaultEvent), recorded by `quiesce record`.
		z.object({kind: z.literal('fault'), t: time, simulated: z.literal(true), point: z.enum(faultPoints), target: z.string().optional(), errno: z.enum(errnoNames as [string, ...string[]]).optional(), text: z.string(), data: z.record(z.unknown()).optional()}),
		z.object({
			kind: z.literal('action'),
			t: time,
			op: z.enum(['read', 'write']),
			path: z.string().min(1),
			value: z.string().optional(),
			result: z.union([
				z.null(),
				z.object({ok: z.literal(true), value: z.string().optional(), bytes: z.number().int().nonnegative().optional()}),
				z.object({ok: z.literal(false), errno: z.enum(errnoNames as [string, ...string[]]), code: z.number().int()}),
			]),
			actor: z.enum(['operator', 'script']),
		}),
	]);
});

/**
 * A reader of native events.ndjson lines: each validated, a bad one a
 * warning naming file, line and field; time never goes backwards.
 */
export class NativeEventReader {
	readonly warnings: TraceWarning[] = [];
	private lastT = 0;

	constructor(readonly file: string) {}

	line(text: string, lineNo: number): TimelineEvent | undefined {
		if (text.trim() === '') return undefined;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			this.warn(lineNo, `bad event line: not JSON (${(error as Error).message.slice(0, 80)})`);
			return undefined;
		}

		const parsed = timelineEventSchema().safeParse(value);
		if (!parsed.success) {
			this.warn(lineNo, `bad event line: ${describeIssue(parsed.error)}${kindOf(value)}`);
			return undefined;
		}

		// Validated; the original object is kept (same key order, nothing stripped).
		const event = value as TimelineEvent;
		if (event.t < this.lastT) {
			this.warn(lineNo, `event time ${event.t} goes back before ${this.lastT}; placed at ${this.lastT}`);
			event.t = this.lastT;
		}

		this.lastT = event.t;
		return event;
	}

	private warn(line: number, message: string): void {
		if (this.warnings.length < 1000) this.warnings.push({file: this.file, line, message});
	}
}

function kindOf(value: unknown): string {
	const kind = (value as {kind?: unknown} | null)?.kind;
	return typeof kind === 'string' ? ` (kind ${quote(kind, 20)})` : '';
}

/** Parse a native events.ndjson text: one TimelineEvent per line. */
export function parseNativeEvents(text: string, file: string): {events: TimelineEvent[]; warnings: TraceWarning[]} {
	const reader = new NativeEventReader(file);
	const events: TimelineEvent[] = [];
	for (const [i, line] of text.split(/\r\n|\n|\r/).entries()) {
		const event = reader.line(line, i + 1);
		if (event) events.push(event);
	}

	return {events, warnings: reader.warnings};
}

/** A side file's text, or a warning naming it when it cannot be read (the rest of the bundle still replays). */
function readSideFileOrWarn(file: string, warnings: TraceWarning[]): string | undefined {
	try {
		return readSideFile(file);
	} catch (error) {
		warnings.push({file, line: 0, message: (error as Error).message});
		return undefined;
	}
}

/**
 * A folder without meta.json whose log carries the capture script's clock markers: its side files
 * are timed by CLOCK_MONOTONIC, the log by printk (trace/marker-clock.ts). The offset that puts
 * them on the log's clock, read from the first MiB of the log; 0 without markers.
 */
function markerClockOffsetUs(plan: TracePlan): number {
	const log = plan.logs[0];
	if (!log || /\.(?:gz|zst)$/.test(log) || (plan.sysfs.length === 0 && plan.writes.length === 0)) return 0;
	try {
		const ahead = monotonicAheadUs(readHead(log, Math.min(statSync(log).size, 1024 * 1024)).toString('utf8'));
		return ahead === undefined ? 0 : -ahead;
	} catch {
		return 0; // the log's own reader reports what is wrong with it
	}
}

/** The small parts of a trace (sysfs, ndctl), all in memory, sorted by time. */
export function loadSideEvents(plan: TracePlan): {events: TimelineEvent[]; warnings: TraceWarning[]} {
	const events: TimelineEvent[] = [];
	const warnings: TraceWarning[] = [];
	const offset = plan.meta?.clock?.sysfsOffsetUs ?? markerClockOffsetUs(plan);
	/** Side files' own times, on the log's clock. */
	const onLogClock = (timed: TimelineEvent[]) => (offset === 0 ? timed : timed.map(e => ({...e, t: e.t + offset})));
	/** Snapshots without times of their own (a path<TAB>value dump, an ndctl listing), placed below. */
	const snapshots: Array<{file: string; events: TimelineEvent[]}> = [];
	for (const file of plan.sysfs) {
		const text = readSideFileOrWarn(file, warnings);
		if (text === undefined) continue;
		const parsed = parseSysfsText(text, file);
		warnings.push(...parsed.warnings);
		plan.unreadable.push(...parsed.unreadable);
		if (parsed.timed) events.push(...onLogClock(parsed.events));
		else snapshots.push({file, events: parsed.events});
	}

	for (const file of plan.ndctl) {
		const text = readSideFileOrWarn(file, warnings);
		if (text === undefined) continue;
		const parsed = parseNdctlText(text, file);
		warnings.push(...parsed.warnings);
		snapshots.push({file, events: parsed.events});
	}

	for (const file of plan.writes) {
		const text = readSideFileOrWarn(file, warnings);
		if (text === undefined) continue;
		const parsed = parseWritesText(text, file);
		warnings.push(...parsed.warnings);
		// Timed by the same clock as the sysfs side files.
		events.push(...onLogClock(parsed.events));
	}

	// Snapshots go by the moment their name gives (before < unnamed < during < after): taken before,
	// at the start; taken during or after, after every timed value of the trace (a real capture has
	// sysfs-fw-before.tsv, -busy.tsv, -after.tsv and ndctl listings of each: in name order "after"
	// came first and the bus read "armed" at the end of a completed activation).
	const lastTimedUs = events.reduce((max, e) => Math.max(max, e.t), Number.NEGATIVE_INFINITY);
	snapshots.sort((a, b) => snapshotRank(a.file) - snapshotRank(b.file));
	const early = snapshots.filter(s => snapshotRank(s.file) <= 1 || lastTimedUs === Number.NEGATIVE_INFINITY);
	const late = snapshots.filter(s => !early.includes(s));
	events.unshift(...early.flatMap(s => s.events));
	// Stable: a write issued and returned at the same µs stays in that order.
	events.sort((a, b) => a.t - b.t);
	events.push(...late.flatMap(s => s.events.map(e => ({...e, t: lastTimedUs}))));
	return {events, warnings};
}

/** When an untimed snapshot was taken, from its file name: 0 before, 1 not said, 2 during, 3 after. */
export function snapshotRank(file: string): 0 | 1 | 2 | 3 {
	const words = path.basename(file).toLowerCase().split(/[^a-z0-9]+/);
	if (words.some(w => w === 'after' || w === 'post' || w === 'final' || w === 'end')) return 3;
	if (words.some(w => w === 'busy' || w === 'during')) return 2;
	if (words.some(w => w === 'before' || w === 'pre' || w === 'initial' || w === 'start')) return 0;
	return 1;
}
