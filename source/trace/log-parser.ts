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

/**
 * Where a LogParser hands its lines when the consumer needs events for only some of them
 * (replay --summary): each line, in order, either as an event or — when `skips` says no event is
 * needed for it — as its time and line number only, with no event made.
 */
export type LineSink = {
	event(event: LogEvent): void;
	/** A line without a level that the consumer only counts: no event is made for it. */
	skips(text: string, origin: NonNullable<LogEvent['origin']>): boolean;
	/** A line `skips` took, in order with the events: its time on the timeline, its line, and whether user space wrote it. */
	skipped(t: number, line: number, userspace: boolean): void;
};

/** What push/finish return to a parser with a sink (everything went to the sink). */
const none: LogEvent[] = [];

/**
 * Longest piece of a line held in one event. A longer line is kept in
 * consecutive pieces of this size, each an event with the same line number
 * (a lossless cut: concatenated in order they give the line back).
 */
export const maxLineLength = 64 * 1024;

type Parsed = {
	text: string;
	stampUs?: number;
	wallUs?: number;
	level?: LogLevel;
	origin: NonNullable<LogEvent['origin']>;
	ident?: string;
	/** A stamp that does not fit (hundreds of digits): the line is kept without it, with a warning. */
	badStamp?: string;
};

const month: Record<string, number> = {Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11};

/**
 * The largest printk stamp: the kernel prints `ts_nsec` (a u64) as
 * `%5lu.%06lu` seconds (kernel/printk/printk.c:print_time), so at most 11
 * integer digits. Anything larger is not a stamp a kernel printed; µs past
 * 2^53 (285 years of uptime) would lose precision, so that is the bound.
 */
export const maxStampUs = Number.MAX_SAFE_INTEGER;

/** A printk stamp in µs, or undefined when it does not fit (hundreds of digits, > u64 ns). */
export function stampToUs(seconds: string): number | undefined {
	const dot = seconds.indexOf('.');
	const whole = dot === -1 ? seconds : seconds.slice(0, dot);
	if (whole.length > 11) return undefined;
	let micros = 0;
	if (dot !== -1) {
		const digits = seconds.slice(dot + 1, dot + 7);
		micros = Number(digits.padEnd(6, '0'));
	}

	const us = Number(whole) * 1_000_000 + micros;
	return Number.isFinite(us) && us <= maxStampUs ? us : undefined;
}

/** A µs count (kmsg records, journal fields), or undefined when it does not fit. */
export function microsToUs(digits: string): number | undefined {
	if (!/^\d{1,17}$/.test(digits)) return undefined;
	const us = Number(digits);
	return us <= maxStampUs ? us : undefined;
}

/** Month numbers from the names `dmesg -T` and syslog print, in the locales seen in real logs. */
const monthNames: Record<string, number> = {
	jan: 0, feb: 1, fév: 1, fev: 1, mar: 2, mär: 2, mrz: 2, apr: 3, avr: 3, may: 4, mai: 4, jun: 5, jui: 5, jul: 6, aug: 7, aoû: 7, sep: 8, oct: 9, okt: 9, nov: 10, dec: 11, dez: 11, déc: 11,
};

/** The month in a locale's abbreviated name: English/German/French, or CJK "1月" / "1월". */
function monthOf(name: string): number | undefined {
	const cjk = /(\d{1,2})\s*[月월]/.exec(name);
	if (cjk) return Number(cjk[1]) - 1;
	const key = name.trim().toLowerCase().replace(/\.$/, '');
	return monthNames[key.slice(0, 3)];
}

/** Wall clock of a syslog/journal stamp, as µs in an arbitrary year (only differences matter). */
function syslogWallUs(mon: string, day: string | undefined, time: string | undefined): number {
	const [hh = '0', mm = '0', ss = '0'] = (time ?? '').split(':');
	const [sec = '0', frac = ''] = ss.split('.');
	const days = (month[mon] ?? 0) * 31 + Number(day ?? 0);
	return ((days * 24 + Number(hh)) * 60 + Number(mm)) * 60_000_000 + Number(sec) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

/** `<N>` prefixes (kmsg, `dmesg -r`) carry facility × 8 + level (include/linux/kern_levels.h, syslog(2)). */
function fromPriority(priority: number, parsed: Parsed, ident?: string): Parsed {
	parsed.level = (priority & 7) as LogLevel;
	if (priority >> 3 !== 0) {
		// Facility other than kern: a user-space message written to /dev/kmsg (systemd, udev…).
		parsed.origin = 'userspace';
		parsed.ident = ident ?? /^([^\s:[]+)(?:\[\d+\])?:/.exec(parsed.text)?.[1] ?? 'kmsg';
	}

	return parsed;
}

const kmsgRecord = /^(\d{1,3}),(\d+),(\d+),([^;]*);(.*)$/;
const kmsgDict = /^ [A-Z_]+=/;
const rawStamp = /^(?:<(\d{1,3})>)?\[\s*(\d+(?:\.\d+)?)\](?:\[\s*([TC]\d+)\])?(?: |$)(.*)$/;
/** `dmesg -r` without printk times: `<6>message`. */
const rawPriority = /^<(\d{1,3})>(?!\[)(.*)$/;
/**
 * `dmesg -T`: `[%a %b %e %H:%M:%S %Y]` in the reader's locale. Day and month
 * names may be anything (CJK month names hold digits: "1月"), so the day of
 * the month is the last number before the time.
 */
const dmesgHuman = /^\[([^\]]{1,40}? )(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?(.*)$/;
/** `dmesg --time-format iso`: `2024-01-30T19:16:41,123456+01:00 msg` (a comma before the fraction). */
const dmesgIso = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d),(\d{6})(?:[+-]\d\d:?\d\d)? (.*)$/;
/** syslog/kern.log and journalctl short/short-precise; seconds, and even the host, may be missing in a cut copy. */
const syslog = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
const syslogNoHost = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d(?::\d\d(?:\.\d+)?)?) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
/** journalctl short-iso(-precise), short-full and with-unit (`Wed 2023-06-11 21:16:14 CEST host kernel: …`). */
const isoJournal = /^(?:[A-Z][a-z]{1,2}\.? )?(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?(?:Z|[+-]\d\d:?\d\d| [A-Z]{2,5}| [+-]\d\d(?:\d\d)?)? (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
const monotonicJournal = /^\[\s*(\d+\.\d+)\] (?:(\S+) )?(kernel): ?(.*)$/;
const monotonicDaemon = /^\[\s*(\d+\.\d+)\] (\S+) ([^\s:[]+)\[(\d+)\]: ?(.*)$/;
const bareKernel = /^kernel: ?(.*)$/;
/**
 * What is left of a syslog/journal line whose date was cut (a paste that
 * lost its first columns): a few date/time/host words, then `kernel:`.
 */
const fragmentKernel = /^(?:(?:[A-Z][a-z]{2}|[\w.+-]*\d[\w:.,+-]*) ){0,4}(?:[\w.-]+ )?kernel: ?(.*)$/;
/** A printk stamp glued after other text (serial consoles, pr_cont without newline). */
const gluedStamp = /\[\s*\d+\.\d{6}\](?:\[\s*[TC]\d+\])? /;

function kernelOrDaemon(ident: string, text: string, wallUs: number | undefined): Parsed {
	const at: Partial<Parsed> = wallUs === undefined ? {} : {wallUs};
	if (ident !== 'kernel') return {text, ...at, origin: 'userspace', ident};
	const inner = rawStamp.exec(text);
	if (inner) {
		const stampUs = stampToUs(inner[2]!);
		if (stampUs !== undefined) return {text: inner[4]!, stampUs, ...at, origin: 'kernel'};
	}

	return {text, ...at, origin: 'kernel'};
}

/**
 * The common line of a raw dmesg, `[ 1234.567890] text`, read without a regex: what rawStamp and
 * stampToUs give for it, or undefined for any other shape (a `<N>` level, a `[T123]` caller id,
 * tabs, no fraction, more than 11 digits of seconds…), left to the regexes. Only for a `plain` line
 * (no \u2028/\u2029, which `.` in rawStamp does not match; see LineSplitter's `plain`).
 */
function rawDmesg(line: string): Parsed | undefined {
	let i = 1;
	while (line.charCodeAt(i) === 32) i++;
	let whole = 0;
	const wholeFrom = i;
	for (let c = line.charCodeAt(i); c >= 48 && c <= 57; c = line.charCodeAt(++i)) whole = whole * 10 + (c - 48);
	if (i === wholeFrom || i - wholeFrom > 11 || line.charCodeAt(i) !== 46) return undefined;
	const fractionFrom = ++i;
	let micros = 0;
	for (let c = line.charCodeAt(i); c >= 48 && c <= 57; c = line.charCodeAt(++i)) if (i - fractionFrom < 6) micros = micros * 10 + (c - 48);
	const digits = i - fractionFrom;
	if (digits === 0 || line.charCodeAt(i) !== 93) return undefined;
	if (digits < 6) micros *= 10 ** (6 - digits);
	const after = line.charCodeAt(i + 1);
	// "] text", or the stamp alone; "][T123]", "]\t…" and the rest take the regex path.
	if (after === 32) i += 2;
	else if (i + 1 === line.length) i += 1;
	else return undefined;
	const stampUs = whole * 1_000_000 + micros;
	if (!(stampUs <= maxStampUs)) return undefined;
	return {text: line.slice(i), origin: 'kernel', stampUs};
}

/** `plain`: the line holds no control character, U+FFFD, U+2028 or U+2029 (LineSplitter's `plain`). */
function parseOne(line: string, plain = false): Parsed {
	let m: RegExpExecArray | null = null;
	// Raw dmesg, the common line: a `[` cannot begin a /dev/kmsg record or its dictionary.
	const bracket = line.charCodeAt(0) === 91;
	if (!bracket) m = kmsgRecord.exec(line);
	if (m) {
		const stampUs = microsToUs(m[3]!);
		const parsed: Parsed = {text: m[5]!, origin: 'kernel'};
		if (stampUs === undefined) parsed.badStamp = m[3]!;
		else parsed.stampUs = stampUs;
		return fromPriority(Number(m[1]), parsed);
	}

	if (!bracket && kmsgDict.test(line)) return {text: line, origin: 'unknown', ident: 'kmsg-dict'};
	// journalctl -o short-monotonic: the word "kernel", or a daemon's "ident[pid]:" (a second "[").
	m = bracket && line.includes('kernel') ? monotonicJournal.exec(line) : null;
	if (m) return withStamp({text: m[4]!, origin: 'kernel'}, m[1]!);
	m = bracket && line.indexOf('[', 1) !== -1 ? monotonicDaemon.exec(line) : null;
	if (m) return withStamp({text: m[5]!, origin: 'userspace', ident: m[3]!}, m[1]!);
	if (bracket && plain) {
		const fast = rawDmesg(line);
		if (fast) return fast;
	}

	m = rawStamp.exec(line);
	if (m) {
		const parsed = withStamp({text: m[4]!, origin: 'kernel'}, m[2]!);
		return m[1] === undefined ? parsed : fromPriority(Number(m[1]), parsed);
	}

	m = rawPriority.exec(line);
	if (m) return fromPriority(Number(m[1]), {text: m[2]!, origin: 'kernel'});
	m = syslogNoHost.exec(line);
	if (m && (m[4] === 'kernel' || m[5] !== undefined)) return kernelOrDaemon(m[4]!, m[6]!, syslogWallUs(m[1]!, m[2]!, m[3]!));
	m = syslog.exec(line);
	if (m) return kernelOrDaemon(m[5]!, m[7]!, syslogWallUs(m[1]!, m[2]!, m[3]!));
	m = dmesgIso.exec(line);
	if (m) {
		const wallUs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) * 1000 + Number(m[7]);
		return {text: m[8]!, wallUs, origin: 'kernel'};
	}

	m = isoJournal.exec(line);
	if (m) {
		const wallUs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) * 1000 + Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
		return kernelOrDaemon(m[9]!, m[11]!, wallUs);
	}

	m = dmesgHuman.exec(line);
	if (m) {
		const wallUs = Date.UTC(Number(m[6]), monthOf(m[1]!.trim().split(/\s+/).slice(1).join(' ') || m[1]!) ?? 0, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) * 1000;
		return {text: m[7]!, wallUs, origin: 'kernel'};
	}

	m = bareKernel.exec(line);
	if (m) return {text: m[1]!, origin: 'kernel'};
	m = fragmentKernel.exec(line);
	if (m) return kernelOrDaemon('kernel', m[1]!, undefined);
	return {text: line, origin: 'unknown'};
}

function withStamp(parsed: Parsed, seconds: string): Parsed {
	const stampUs = stampToUs(seconds);
	if (stampUs === undefined) parsed.badStamp = seconds;
	else parsed.stampUs = stampUs;
	return parsed;
}

/** Remove what pasting added around a line: CR, e-mail quotes, code-block indentation before a stamp. */
function clean(raw: string): string {
	let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
	const first = line.charCodeAt(0);
	// Only a line that begins with a quote mark, a space or a tab has anything to remove.
	if (first !== 62 && first !== 32 && first !== 9) return line;
	line = line.replace(/^(?:> ?)+(?=\S|$)/, '');
	const indented = /^[\t ]+(?=<\d{1,3}>\[|\[\s*\d+\.\d+\]|[A-Z][a-z]{2} [ \d]\d \d\d:|kernel: )/.exec(line);
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
	/**
	 * Work done, for tests of the bounds (no timers): characters handed to the
	 * recogniser while deciding whether a line continues the one before.
	 */
	readonly work = {recognisedChars: 0};
	private pending: LogEvent | undefined;
	/** The held-back line when the sink skips it: its parse, time and line (no event made yet). */
	private light: Parsed | undefined;
	private lightT = 0;
	private lightLine = 0;
	private pendingJoins = 0;
	private lastT = 0;
	private readonly segments: Array<{offset: number; last: number}> = [];
	private wallOrigin: number | undefined;
	private started = false;
	private warned = 0;
	private boot: string | undefined;
	private newBoot = false;

	/** `sink`: lines go there, in order, instead of being returned (see LineSink). */
	constructor(
		readonly file: string,
		private readonly sink?: LineSink,
	) {}

	/** The held-back line as an event: a skipped one is made whole when something needs it. */
	private held(): LogEvent | undefined {
		if (this.light) {
			this.pending = this.eventAt(this.light, this.lightLine, this.lightT);
			this.light = undefined;
		}

		return this.pending;
	}

	/** Hand the held-back line over (to the sink, or into `out`). */
	private release(out: LogEvent[]): void {
		if (this.light) {
			this.sink!.skipped(this.lightT, this.lightLine, this.light.origin === 'userspace');
			this.light = undefined;
		} else if (this.pending) {
			if (this.sink) this.sink.event(this.pending);
			else out.push(this.pending);
		}

		this.pending = undefined;
	}

	/**
	 * One physical line. `part` > 0 marks the next piece of a line longer
	 * than `maxLineLength` (see LineSplitter): kept as its own event with
	 * the same line number, so nothing is dropped and memory stays bounded.
	 * `plain`: the caller knows the line holds none of LineSplitter's `notPlain` characters.
	 */
	push(raw: string, lineNo: number, part = 0, plain = false): LogEvent[] {
		let line = raw;
		// eslint-disable-next-line no-control-regex
		if (!plain && /[\u0000-\u0008\u000E-\u001F\uFFFD]/.test(line)) {
			if (part === 0) this.warn(lineNo, 'binary data in a text log (kept, with control characters escaped)');
			// eslint-disable-next-line no-control-regex
			line = line.replace(/[\u0000-\u0008\u000E-\u001F]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
		}

		const out = this.sink ? none : [];
		if (part > 0) {
			if (part === 1) this.warn(lineNo, `line longer than ${maxLineLength} characters: kept in pieces of ${maxLineLength}, each an event of the same line`);
			const previous = this.held();
			const origin = previous?.source?.line === lineNo ? (previous.origin ?? 'unknown') : 'unknown';
			this.release(out);
			this.pending = {kind: 'log', t: this.lastT, text: line, source: {file: this.file, line: lineNo}, origin};
			this.pendingJoins = Number.POSITIVE_INFINITY; // a piece never absorbs the next line
			return out;
		}

		// Only a whole line can be the wrapped tail of the previous message: the text before a glued stamp is a record of its own.
		const pieces = this.pieces(clean(line), plain);
		for (const piece of pieces) this.accept(piece, lineNo, pieces.length === 1, out);
		return out;
	}

	/**
	 * A record whose fields were read from a structured source (journal JSON
	 * or export, `dmesg --json`): exact stamp, level and origin, no guessing.
	 */
	pushRecord(record: {text: string; stampUs?: number; wallUs?: number; level?: LogLevel; origin: NonNullable<LogEvent['origin']>; ident?: string; boot?: string}, lineNo: number): LogEvent[] {
		const out = this.sink ? none : [];
		// A journal spanning boots: each boot's monotonic stamps start again near zero.
		if (record.boot !== undefined) {
			if (this.boot !== undefined && record.boot !== this.boot) this.newBoot = true;
			this.boot = record.boot;
		}

		// A multi-line MESSAGE: one event per line, all at the record's time.
		for (const text of record.text.split(/\r\n|\n|\r/)) {
			const event = this.event({...record, text}, lineNo);
			this.held();
			this.release(out);
			this.pending = event;
			this.pendingJoins = Number.POSITIVE_INFINITY;
		}

		return out;
	}

	/** Flush the last held-back line. */
	finish(): LogEvent[] {
		const out = this.sink ? none : [];
		this.release(out);
		return out;
	}

	warn(line: number, message: string): void {
		// Bounded: a file of a million bad lines must not hold a million warnings.
		this.warned++;
		if (this.warned <= maxWarnings) this.warnings.push({file: this.file, line, message});
		else if (this.warned === maxWarnings + 1) this.warnings.push({file: this.file, line, message: `more than ${maxWarnings} warnings in this file; the rest are not listed`});
	}

	/**
	 * Parse a line into one or more records: a printk stamp glued after other
	 * text ("fe0 suspend 0[  107.365163] PM: …", serial-console fragments)
	 * starts a record of its own.
	 */
	private pieces(line: string, plain = false): Parsed[] {
		const out = [parseOne(line, plain)];
		for (;;) {
			const current = out.at(-1)!;
			const m = current.text.includes('[') ? gluedStamp.exec(current.text) : null;
			if (!m || m.index === 0) break;
			const before = current.text.slice(0, m.index);
			const next = parseOne(current.text.slice(m.index), plain);
			// A shell prompt before a pasted stamp ("# [  299.688526] …") is not a message of its own.
			if (/^[\s#>$]*$/.test(before)) out[out.length - 1] = next;
			else {
				current.text = before;
				out.push(next);
			}
		}

		return out;
	}

	private event(parsed: Parsed, lineNo: number): LogEvent {
		return this.eventAt(parsed, lineNo, this.clock(parsed));
	}

	private eventAt(parsed: Parsed, lineNo: number, t: number): LogEvent {
		const event: LogEvent = {kind: 'log', t, text: parsed.text, source: {file: this.file, line: lineNo}, origin: parsed.origin};
		if (parsed.stampUs !== undefined) event.stamp = parsed.stampUs;
		if (parsed.level !== undefined) event.level = parsed.level;
		if (parsed.ident !== undefined) event.ident = parsed.ident;
		return event;
	}

	private accept(parsed: Parsed, lineNo: number, wholeLine: boolean, out: LogEvent[]): void {
		if (parsed.badStamp !== undefined) {
			this.warn(lineNo, `timestamp ${quote(parsed.badStamp, 24)} does not fit a printk stamp (at most 11 digits of seconds); line kept at the previous time`);
		}

		// The held-back line as the continuation test reads it (origin and text): an event, or a skipped line's parse.
		const previous = this.light ?? this.pending;
		if (previous && wholeLine && parsed.origin === 'unknown' && parsed.text.trim() !== '' && this.pendingJoins < maxJoinedLines && previous.text.length + parsed.text.length <= maxJoinedLength && this.continues(previous, parsed.text)) {
			const joined = this.held()!;
			joined.text = `${joined.text.trimEnd()} ${parsed.text.trim()}`;
			joined.source = {...joined.source!, endLine: lineNo};
			this.pendingJoins++;
			return;
		}

		this.release(out);
		this.pendingJoins = 0;
		const t = this.clock(parsed);
		if (this.sink && parsed.level === undefined && this.sink.skips(parsed.text, parsed.origin)) {
			this.light = parsed;
			this.lightT = t;
			this.lightLine = lineNo;
		} else this.pending = this.eventAt(parsed, lineNo, t);
	}

	private continues(previous: {origin?: LogEvent['origin']; text: string}, next: string): boolean {
		if (previous.origin !== 'kernel') return false;
		this.work.recognisedChars += previous.text.length * 2 + next.length;
		return continues(previous, next);
	}

	private clock(parsed: Parsed): number {
		let t: number | undefined;
		if (parsed.stampUs !== undefined) {
			t = this.placeStamp(parsed.stampUs);
		} else if (parsed.wallUs !== undefined && Number.isFinite(parsed.wallUs)) {
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
	 * Only the latest `maxSegments` segments are remembered, so a log of
	 * stamps jumping back and forth costs linear time.
	 */
	private placeStamp(stamp: number): number {
		const current = this.segments.at(-1);
		if (!current) {
			this.segments.push({offset: 0, last: stamp});
			return stamp;
		}

		if (this.newBoot) {
			this.newBoot = false;
			this.addSegment({offset: this.lastT - stamp, last: stamp});
			return this.lastT;
		}

		let resumed: {offset: number; last: number} | undefined;
		for (let i = this.segments.length - 2; i >= 0; i--) {
			const s = this.segments[i]!;
			if (stamp >= s.last - 10_000_000 && stamp <= s.last + 600_000_000) {
				resumed = s;
				break;
			}
		}

		const forward = stamp >= current.last - 1_000_000;
		if (forward && (stamp <= current.last + 10_000_000 || !resumed)) {
			current.last = Math.max(current.last, stamp);
			return stamp + current.offset;
		}

		if (resumed) {
			this.addSegment({offset: resumed.offset, last: stamp});
			return stamp + resumed.offset;
		}

		if (stamp < 60_000_000) {
			this.addSegment({offset: this.lastT - stamp, last: stamp});
			return this.lastT;
		}

		return this.lastT;
	}

	private addSegment(segment: {offset: number; last: number}): void {
		this.segments.push(segment);
		if (this.segments.length > maxSegments) this.segments.splice(0, this.segments.length - maxSegments);
	}
}

/** At most this many prefix-less lines join one wrapped message, up to this length: no quadratic joins. */
export const maxJoinedLines = 8;
export const maxJoinedLength = 4096;
const maxSegments = 64;
/** Warnings kept per file. */
export const maxWarnings = 1000;

/** A value echoed in a message: cut, and with control characters escaped. */
export function quote(value: string, max = 60): string {
	const cut = value.length > max ? `${value.slice(0, max)}…` : value;
	return JSON.stringify(cut).replace(/[\u007F-\u009F\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A prefix-less line continues the previous kernel message when the two
 * read as one message the recogniser knows and the first alone does not
 * (an e-mail client wrapped it) — e.g. "… (elapsed" / "0.001 seconds) done.".
 */
function continues(previous: {origin?: LogEvent['origin']; text: string}, next: string): boolean {
	if (previous.origin !== 'kernel') return false;
	// Console output of its own (systemd status, a shell prompt) or a complete kernel message is never a continuation.
	if (/^\s*(?:\[\s*(?:OK|FAILED|DEPEND|TIME|\*+)\s*\]|[#$] |[A-Z][\w-]*:\s)/.test(next) || recognise(next.trim())) return false;
	const alone = recognise(previous.text.trimEnd());
	const joined = recognise(`${previous.text.trimEnd()} ${next.trim()}`);
	if (!joined) return false;
	if (!alone) return true;
	// A known message made generic by the next line was not wrapped: the next line is text of its own.
	if (joined.type === 'pm-other') return false;
	return alone.type !== joined.type || JSON.stringify(alone) !== JSON.stringify(joined);
}

/**
 * Lines of a text in pieces as they arrive: `\n`, `\r\n` and a lone `\r`
 * (old Mac files, some serial consoles) all end a line. A line longer than
 * `maxLength` is handed over in pieces as it grows (part 0, 1, 2…), so a
 * file with no newline at all (`/dev/zero`, a sparse file) never needs more
 * memory than one piece.
 */
export class LineSplitter {
	private carry = '';
	private part = 0;
	/** No line handed over from the current text holds a `notPlain` character (tested once per text, not per line). */
	private plain = false;
	lines = 0;

	constructor(
		/**
		 * `ending`: the bytes of the line end that followed (0 for a piece or the last line, 1 for LF/CR, 2 for CRLF).
		 * `plain`: the line holds none of `notPlain`'s characters (always false without `notPlain`).
		 */
		private readonly onLine: (line: string, lineNo: number, part: number, ending: number, plain: boolean) => void,
		private readonly maxLength = maxLineLength,
		private readonly notPlain?: RegExp,
	) {}

	push(text: string): void {
		const all = this.carry.length > 0 ? this.carry + text : text;
		// Every line handed over below is a part of `all`.
		this.plain = this.notPlain !== undefined && !this.notPlain.test(all);
		let start = 0;
		// Line ends found with indexOf (native scans), not character by character.
		let lf = all.indexOf('\n');
		let cr = all.indexOf('\r');
		for (;;) {
			const i = cr === -1 ? lf : lf === -1 ? cr : Math.min(lf, cr);
			if (i === -1) break;
			if (i === cr && i === all.length - 1) break; // a CR at the end of a chunk: wait for a possible LF
			const crlf = i === cr && all.charCodeAt(i + 1) === 10;
			const line = all.slice(start, i);
			this.emit(line.length > this.maxLength ? this.cutLong(line) : line, true, crlf ? 2 : 1);
			start = crlf ? i + 2 : i + 1;
			if (lf !== -1 && lf < start) lf = all.indexOf('\n', start);
			if (cr !== -1 && cr < start) cr = all.indexOf('\r', start);
		}

		this.carry = this.cutLong(all.slice(start));
	}

	/** Hand over whole pieces of an overlong line; return what is left. */
	private cutLong(text: string): string {
		let rest = text;
		while (rest.length > this.maxLength) {
			let cut = this.maxLength;
			const code = rest.charCodeAt(cut - 1);
			if (code >= 0xd8_00 && code <= 0xdb_ff) cut--; // never split a surrogate pair
			this.emit(rest.slice(0, cut), false, 0);
			rest = rest.slice(cut);
		}

		return rest;
	}

	end(): void {
		this.plain = this.notPlain !== undefined && !this.notPlain.test(this.carry);
		if (this.carry.endsWith('\r')) this.carry = this.carry.slice(0, -1);
		if (this.carry.length > 0 || this.part > 0) this.emit(this.carry, true, 0);
		this.carry = '';
	}

	private emit(piece: string, complete: boolean, ending: number): void {
		if (this.part === 0) this.lines++;
		if (piece.length > 0 || this.part === 0) this.onLine(piece, this.lines, this.part, ending, this.plain);
		this.part = complete ? 0 : this.part + 1;
	}
}

/**
 * Characters that send a line down the slow path: C0 controls other than tab, LF, VT, FF, CR
 * (LogParser escapes them, with a warning), U+FFFD (invalid UTF-8, the same warning), U+2028 and
 * U+2029 (line terminators to a regex `.`). A text without any is read without testing each line.
 */
// eslint-disable-next-line no-control-regex
export const notPlainText = /[\u0000-\u0008\u000E-\u001F\uFFFD\u2028\u2029]/;

/** Parse a whole text (tests, small files). Large files go through the streaming reader. */
export function parseLogText(text: string, file: string): {events: LogEvent[]; warnings: TraceWarning[]; lines: number; work: LogParser['work']} {
	const parser = new LogParser(file);
	const events: LogEvent[] = [];
	const splitter = new LineSplitter((line, lineNo, part, _ending, plain) => events.push(...parser.push(line, lineNo, part, plain)), maxLineLength, notPlainText);
	splitter.push(text);
	splitter.end();
	events.push(...parser.finish());
	return {events, warnings: parser.warnings, lines: splitter.lines, work: parser.work};
}
