/**
 * The contract between every part of quiesce (ARCHITECTURE.md): a timeline
 * is a list of these events, whatever produced it — the simulator, a parsed
 * trace, or a capture. Times are integer microseconds since boot.
 */
import type {ErrnoName} from './kernel/errno.js';
import type {LogLevel} from './kernel/log-format.js';

export type SourceLocation = {file: string; line: number; /** last line, when a wrapped message spans several */ endLine?: number};

/** One kernel log record. */
export type LogEvent = {
	kind: 'log';
	/** When the record became visible (µs). */
	t: number;
	/**
	 * The printk timestamp (µs), when the record has one. It differs from `t`
	 * for pr_cont lines: stamped when they started, visible when complete.
	 */
	stamp?: number;
	level?: LogLevel;
	text: string;
	source?: SourceLocation;
	/**
	 * Parsed traces only: who wrote the line — the kernel, a user-space
	 * daemon interleaved in a journal/syslog (`ident` names it), or unknown
	 * (no prefix: a wrapped line, a shell prompt, firmware console output).
	 */
	origin?: 'kernel' | 'userspace' | 'unknown';
	ident?: string;
};

/** A sysfs file's value at a time; path relative to the sysfs root. */
export type SysfsEvent = {
	kind: 'sysfs';
	t: number;
	path: string;
	value: string;
	source?: SourceLocation;
};

/** Simulator-only truth that no real kernel exposes. */
export type NoteEvent = {
	kind: 'note';
	t: number;
	topic: NoteTopic;
	text: string;
	data?: Record<string, unknown>;
};

export type NoteTopic =
	| 'scenario'
	| 'step'
	| 'tasks'
	| 'device'
	| 'dma'
	| 'quiesce'
	| 'platform'
	| 'firmware'
	| 'outcome';

/** `bytes`: what a successful write() returned (sysfs stores return the whole count). */
export type ActionResult = {ok: true; value?: string; bytes?: number} | {ok: false; errno: ErrnoName; code: number};

/**
 * An operator's read or write and the kernel's answer. A write that blocks
 * (the bus `activate` write runs the whole quiesce cycle) is reported twice:
 * `result: null` when issued, then with its result when it returns.
 */
export type ActionEvent = {
	kind: 'action';
	t: number;
	op: 'read' | 'write';
	path: string;
	value?: string;
	result: ActionResult | null;
	actor: 'operator' | 'script';
};

/** The named injection points of the simulator's fault model (sim/faults.ts). */
export const faultPoints = [
	'hibernation-busy',
	'notifier-veto',
	'task-wont-freeze',
	'callback-error',
	'dma-not-stopped',
	'platform-abort',
	'overflow',
	'dimm-result',
] as const;

export type FaultPoint = (typeof faultPoints)[number];

/**
 * Simulator-only: a fault the scenario and the seeded PRNG injected, recorded
 * when it fires (not when it is planned). Outcome analysis, risk and grading
 * read these instead of re-deriving causes from host state. No real kernel
 * exposes them: nothing shown as the kernel's may depend on them.
 */
export type FaultEvent = {
	kind: 'fault';
	t: number;
	simulated: true;
	point: FaultPoint;
	/** What it hit: a task comm, a device "<drv> <dev>", a DIMM "nmemN". */
	target?: string;
	/** The errno it makes the kernel return, when it has one. */
	errno?: ErrnoName;
	text: string;
	data?: Record<string, unknown>;
};

export type TimelineEvent = LogEvent | SysfsEvent | NoteEvent | ActionEvent | FaultEvent;

export type EventKind = TimelineEvent['kind'];
