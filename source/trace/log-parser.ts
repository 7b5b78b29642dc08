/**
 * Kernel logs in every form people save or paste, one physical line at a
 * time: raw `dmesg` (`[  123.456789] msg`, with `<6>` levels or `[ T123]`
 * caller ids), `/dev/kmsg` records, `dmesg -T` in any locale, syslog and
 * kern.log, journalctl (short, short-precise, short-iso, short-monotonic),
 * bare `kernel: msg`, e-mail quoting, CRLF. Nothing is dropped: a line that
 * is not a kernel record is kept as user-space or unknown text, and a
 * malformed line gets a warning with its file and line number.
 */
import type {LogEvent} from '../events.js';
import type {LogLevel} from '../kernel/log-format.js';
import {recognise} from '../kernel/recognise.js';

export type TraceWarning = {file: string; line: number; message: string};

/** Longest message kept whole; longer lines are cut, with a warning. */
export const maxLineLength = 64 * 1024;

type Parsed = {
	text: string;
	stampUs?: number;
	wallUs?: number;
	level?: LogLevel;
	origin: NonNullable<LogEvent['origin']>;
	ident?: string;
};

const month: Record<string, number> = {Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11};

function stampToUs(seconds: string): number {
	const dot = seconds.indexOf('.');
	if (dot === -1) return Number(seconds) * 1_000_000;
	const frac = seconds.length - dot - 1;
	const micros = frac >= 6 ? Number(seconds.slice(dot + 1, dot + 7)) : Number(seconds.slice(dot + 1)) * 10 ** (6 - frac);
	return Number(seconds.slice(0, dot)) * 1_000_000 + micros;
}

/** Wall clock of a syslog/journal stamp, as µs in an arbitrary year (only differences matter). */
function syslogWallUs(mon: string, day: string, time: string): number {
	const [hh, mm, ss] = time.split(':');
	const [sec, frac = ''] = (ss ?? '0').split('.');
	const days = (month[mon] ?? 0) * 31 + Number(day);
	return ((days * 24 + Number(hh)) * 60 + Number(mm)) * 60_000_000 + Number(sec) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

const kmsgRecord = /^(\d{1,3}),(\d+),(\d+),([^;]*);(.*)$/;
const kmsgDict = /^ [A-Z_]+=/;
const rawStamp = /^(?:<(\d)>)?\[\s*(\d+\.\d+)\](?:\[\s*([TC]\d+)\])?(?: |$)(.*)$/;
const dmesgHuman = /^\[([^\]\d]{2,12} [^\]\d]{2,12} +\d{1,2} (\d\d:\d\d:\d\d) (\d{4}))\] ?(.*)$/;
const syslog = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d(?:\.\d+)?) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
const isoJournal = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?:Z|[+-]\d\d:?\d\d)? (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
const monotonicJournal = /^\[\s*(\d+\.\d+)\] (?:(\S+) )?(kernel): ?(.*)$/;
const monotonicDaemon = /^\[\s*(\d+\.\d+)\] (\S+) ([^\s:[]+)\[(\d+)\]: ?(.*)$/;
const bareKernel = /^kernel: ?(.*)$/;
/** A printk stamp glued after other text (serial consoles, pr_cont without newline). */
const gluedStamp = /\[\s*\d+\.\d{6}\](?:\[\s*[TC]\d+\])? /;

function parseOne(line: string): Parsed {
	let m = kmsgRecord.exec(line);
	if (m) {
		return {text: m[5]!, stampUs: Number(m[3]), level: (Number(m[1]) & 7) as LogLevel, origin: 'kernel'};
	}

	if (kmsgDict.test(line)) return {text: line, origin: 'unknown', ident: 'kmsg-dict'};
	m = monotonicJournal.exec(line);
	if (m) return {text: m[4]!, stampUs: stampToUs(m[1]!), origin: 'kernel'};
	m = monotonicDaemon.exec(line);
	if (m) return {text: m[5]!, stampUs: stampToUs(m[1]!), origin: 'userspace', ident: m[3]!};
	m = rawStamp.exec(line);
	if (m) {
		const parsed: Parsed = {text: m[4]!, stampUs: stampToUs(m[2]!), origin: 'kernel'};
		if (m[1] !== undefined) parsed.level = Number(m[1]) as LogLevel;
		return parsed;
	}

	m = syslog.exec(line);
	if (m) {
		const wallUs = syslogWallUs(m[1]!, m[2]!, m[3]!);
		if (m[5] !== 'kernel') return {text: m[7]!, wallUs, origin: 'userspace', ident: m[5]!};
		const inner = rawStamp.exec(m[7]!);
		if (inner) return {text: inner[4]!, stampUs: stampToUs(inner[2]!), wallUs, origin: 'kernel'};
		return {text: m[7]!, wallUs, origin: 'kernel'};
	}

	m = isoJournal.exec(line);
	if (m) {
		const wallUs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) * 1000 + Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
		return m[9] === 'kernel' ? {text: m[11]!, wallUs, origin: 'kernel'} : {text: m[11]!, wallUs, origin: 'userspace', ident: m[9]!};
	}

	m = dmesgHuman.exec(line);
	if (m) {
		const [hh, mm, ss] = m[2]!.split(':').map(Number);
		const day = Number(/ (\d{1,2}) \d\d:/.exec(m[1]!)?.[1] ?? 0);
		const wallUs = (((Number(m[3]) * 400 + day) * 24 + hh!) * 3600 + mm! * 60 + ss!) * 1_000_000;
		return {text: m[4]!, wallUs, origin: 'kernel'};
	}

	m = bareKernel.exec(line);
	if (m) return {text: m[1]!, origin: 'kernel'};
	return {text: line, origin: 'unknown'};
}

/** Remove what pasting added around a line: CR, e-mail quotes, code-block indentation before a stamp. */
function clean(raw: string): string {
	let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
	line = line.replace(/^(?:> ?)+(?=\S|$)/, '');
	const indented = /^[\t ]+(?=<\d>\[|\[\s*\d+\.\d+\]|[A-Z][a-z]{2} [ \d]\d \d\d:|kernel: )/.exec(line);
	if (indented) line = line.slice(indented[0].length);
	return line;
}

/**
 * A streaming parser: push lines in order, get LogEvents back (a line is
 * held back until the next one shows whether it continues a wrapped
 * message). Timeline time `t` never goes backwards: stamps that jump back
 * (a new boot, a restore kernel, out-of-order pr_cont) keep their printk
 * `stamp` but are placed after what came before.
 */
export class LogParser {
	readonly warnings: TraceWarning[] = [];
	private pending: LogEvent | undefined;
	private lastT = 0;
	private readonly segments: Array<{offset: number; last: number}> = [];
	private wallOrigin: number | undefined;
	private started = false;

	constructor(readonly file: string) {}

	push(raw: string, lineNo: number): LogEvent[] {
		const out: LogEvent[] = [];
		let line = raw;
		if (line.length > maxLineLength) {
			this.warn(lineNo, `line of ${line.length} characters cut to ${maxLineLength}`);
			line = line.slice(0, maxLineLength);
		}

		// eslint-disable-next-line no-control-regex
		if (/[\u0000-\u0008\u000E-\u001F\uFFFD]/.test(line)) {
			this.warn(lineNo, 'binary data in a text log (kept, with control characters escaped)');
			// eslint-disable-next-line no-control-regex
			line = line.replace(/[\u0000-\u0008\u000E-\u001F]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
		}

		for (const piece of this.pieces(clean(line))) out.push(...this.accept(piece, lineNo));
		return out;
	}

	/** Flush the last held-back line. */
	finish(): LogEvent[] {
		const last = this.pending;
		this.pending = undefined;
		return last ? [last] : [];
	}

	private warn(line: number, message: string): void {
		this.warnings.push({file: this.file, line, message});
	}

	/**
	 * Parse a line into one or more records: a printk stamp glued after other
	 * text ("fe0 suspend 0[  107.365163] PM: …", serial-console fragments)
	 * starts a record of its own.
	 */
	private pieces(line: string): Parsed[] {
		const out = [parseOne(line)];
		for (;;) {
			const current = out.at(-1)!;
			const m = gluedStamp.exec(current.text);
			if (!m || m.index === 0) break;
			const before = current.text.slice(0, m.index);
			const next = parseOne(current.text.slice(m.index));
			// A shell prompt before a pasted stamp ("# [  299.688526] …") is not a message of its own.
			if (/^[\s#>$]*$/.test(before)) out[out.length - 1] = next;
			else {
				current.text = before;
				out.push(next);
			}
		}

		return out;
	}

	private accept(parsed: Parsed, lineNo: number): LogEvent[] {
		const event: LogEvent = {kind: 'log', t: this.clock(parsed), text: parsed.text, source: {file: this.file, line: lineNo}, origin: parsed.origin};
		if (parsed.stampUs !== undefined) event.stamp = parsed.stampUs;
		if (parsed.level !== undefined) event.level = parsed.level;
		if (parsed.ident !== undefined) event.ident = parsed.ident;
		const previous = this.pending;
		if (previous && parsed.origin === 'unknown' && parsed.text.trim() !== '' && continues(previous, parsed.text)) {
			previous.text = `${previous.text.trimEnd()} ${parsed.text.trim()}`;
			previous.source = {...previous.source!, endLine: lineNo};
			return [];
		}

		this.pending = event;
		return previous ? [previous] : [];
	}

	private clock(parsed: Parsed): number {
		let t: number | undefined;
		if (parsed.stampUs !== undefined) {
			t = this.placeStamp(parsed.stampUs);
		} else if (parsed.wallUs !== undefined) {
			this.wallOrigin ??= parsed.wallUs - this.lastT;
			t = parsed.wallUs - this.wallOrigin;
		}

		if (!this.started && t !== undefined) {
			this.started = true;
			this.lastT = t;
		}

		this.lastT = Math.max(this.lastT, t ?? this.lastT);
		return this.lastT;
	}

	/**
	 * Map a printk stamp onto the timeline. A stamp far back near zero starts
	 * a new segment (a new boot, or hibernation's restore kernel); a stamp
	 * that resumes an earlier segment goes back to it (the restored image);
	 * other backward steps are absorbed (the line stays at the current time).
	 */
	private placeStamp(stamp: number): number {
		const current = this.segments.at(-1);
		if (!current) {
			this.segments.push({offset: 0, last: stamp});
			return stamp;
		}

		const resumed = this.segments.slice(0, -1).reverse().find(s => stamp >= s.last - 10_000_000 && stamp <= s.last + 600_000_000);
		const forward = stamp >= current.last - 1_000_000;
		if (forward && (stamp <= current.last + 10_000_000 || !resumed)) {
			current.last = Math.max(current.last, stamp);
			return stamp + current.offset;
		}

		if (resumed) {
			this.segments.push({offset: resumed.offset, last: stamp});
			return stamp + resumed.offset;
		}

		if (stamp < 60_000_000) {
			this.segments.push({offset: this.lastT - stamp, last: stamp});
			return this.lastT;
		}

		return this.lastT;
	}
}

/**
 * A prefix-less line continues the previous kernel message when the two
 * read as one message the recogniser knows and the first alone does not
 * (an e-mail client wrapped it) — e.g. "… (elapsed" / "0.001 seconds) done.".
 */
function continues(previous: LogEvent, next: string): boolean {
	if (previous.origin !== 'kernel') return false;
	const alone = recognise(previous.text.trimEnd());
	const joined = recognise(`${previous.text.trimEnd()} ${next.trim()}`);
	if (!joined) return false;
	if (!alone) return true;
	return alone.type !== joined.type || (alone.type === 'pm-other' && joined.type === 'pm-other' ? false : JSON.stringify(alone) !== JSON.stringify(joined));
}

/** Parse a whole text (tests, small files). Large files go through the streaming reader. */
export function parseLogText(text: string, file: string): {events: LogEvent[]; warnings: TraceWarning[]} {
	const parser = new LogParser(file);
	const events: LogEvent[] = [];
	const lines = text.split('\n');
	if (lines.at(-1) === '') lines.pop();
	for (const [i, line] of lines.entries()) events.push(...parser.push(line, i + 1));
	events.push(...parser.finish());
	return {events, warnings: parser.warnings};
}
