/**
 * sysfs as people save it: a `path<TAB>value` dump (values with \\, \t, \r,
 * \n escaped), `grep '' /sys/…/*` output (`path:value`), an `ls` of
 * /sys/bus/nd/devices, or a time series of polls (`t_us<TAB>path<TAB>value`,
 * the bundle format). All become sysfs events with paths relative to /sys.
 *
 * Two more layouts come from a real capture script (traces/nfit-test-6.1, every
 * folder): a poll table, one row per poll and one column per attribute, under a
 * header naming the clocks then the paths
 *
 *   uptime<TAB>mono_s<TAB>boot_s<TAB>n<TAB>maxgap_ms<TAB>/sys/…/activate<TAB>…
 *   21.72<TAB>21.720519<TAB>21.720614<TAB>1<TAB>0.000<TAB>armed<TAB>…
 *
 * and a list of timed reads, `uptime<TAB>label<TAB>/sys/path<TAB>value`
 * (`29.17	after	/sys/bus/nd/devices/nmem0/firmware/result	success`).
 * Times: CLOCK_MONOTONIC (`mono_s`) is the log's clock on a machine that did not
 * sleep (the writes are placed by it too, trace/writes.ts); `/proc/uptime` has
 * 10 ms steps and is taken before the read, so a read is placed at or before
 * the moment it happened — never later, so it is never taken for evidence
 * read after a write it preceded.
 */
import type {SysfsEvent} from '../events.js';
import {maxStampUs, microsToUs, quote, type TraceWarning} from './log-parser.js';

/** Seconds with an optional fraction (`21.720519`, `29.17`) in µs; undefined when not a time. */
function secondsToUs(text: string): number | undefined {
	if (!/^\d{1,11}(?:\.\d{1,9})?$/.test(text)) return undefined;
	const us = Math.round(Number(text) * 1_000_000);
	return us <= maxStampUs ? us : undefined;
}

/** The clock columns a poll table's header may start with (in order of preference for the time). */
const pollClocks = ['mono_s', 'boot_s', 'uptime'] as const;

/** A poll table's header: clock and counter columns, then at least one /sys/ path. */
export function isPollHeader(line: string): boolean {
	const fields = line.trim().split('\t');
	const first = fields.findIndex(f => f.startsWith('/sys/'));
	return first > 0 && fields.slice(0, first).some(f => (pollClocks as readonly string[]).includes(f)) && fields.slice(first).every(f => f.startsWith('/sys/'));
}

/** One capture read: `uptime<TAB>label<TAB>/sys/path<TAB>value`. */
const timedRead = /^(\d{1,11}(?:\.\d{1,9})?)\t([^\t/]*)\t(\/sys\/[^\t]+)\t(.*)$/;

export function relativeSysfsPath(path: string): string {
	return path.replace(/^\/?sys\//, '').replace(/^\/+/, '');
}

function unescapeValue(value: string): string {
	return value.replace(/\\([\\trn])/g, (_, c: string) => ({'\\': '\\', t: '\t', r: '\r', n: '\n'})[c]!);
}

export function escapeValue(value: string): string {
	return value.replace(/[\\\t\r\n]/g, c => ({'\\': '\\\\', '\t': '\\t', '\r': '\\r', '\n': '\\n'})[c]!);
}

export type SysfsParse = {
	events: SysfsEvent[];
	warnings: TraceWarning[];
	unreadable: string[];
	/** The file gives each value its own time (a poll series, timed reads); false for a snapshot. */
	timed: boolean;
};

/** Lines of a sysfs capture, whatever its layout; `t` for snapshots without times. */
export function parseSysfsText(text: string, file: string, t = 0): SysfsParse {
	const events: SysfsEvent[] = [];
	const warnings: TraceWarning[] = [];
	const unreadable: string[] = [];
	const warn = (w: TraceWarning) => {
		if (warnings.length < 1000) warnings.push(w);
	};

	const lines = text.split(/\r\n|\n|\r/);
	if (lines.at(-1) === '') lines.pop();
	const header = lines.findIndex(l => l.trim() !== '');
	if (header !== -1 && isPollHeader(lines[header]!)) return parsePollTable(lines, header, file);
	let lastT = t;
	let timed = false;
	for (const [i, raw] of lines.entries()) {
		const line = raw;
		const lineNo = i + 1;
		const source = {file, line: lineNo};
		if (line.trim() === '' || line.startsWith('#')) continue;
		const fields = line.split('\t');
		// Poll series: t_us<TAB>path<TAB>value
		if (fields.length >= 3 && /^\d+$/.test(fields[0]!) && fields[1]!.includes('/')) {
			const at = microsToUs(fields[0]!);
			if (at === undefined) {
				warn({file, line: lineNo, message: `time ${quote(fields[0]!, 24)} does not fit (µs since boot); line kept at the previous time`});
			} else lastT = Math.max(lastT, at);

			timed = true;
			events.push({kind: 'sysfs', t: lastT, path: relativeSysfsPath(fields[1]!), value: unescapeValue(fields.slice(2).join('\t')), source});
			continue;
		}

		// A capture's timed read: uptime<TAB>label<TAB>/sys/path<TAB>value
		const read = timedRead.exec(line);
		if (read) {
			const at = secondsToUs(read[1]!);
			if (at === undefined) warn({file, line: lineNo, message: `time ${quote(read[1]!, 24)} does not fit (seconds since boot); line kept at the previous time`});
			else lastT = Math.max(lastT, at);
			timed = true;
			events.push({kind: 'sysfs', t: lastT, path: relativeSysfsPath(read[3]!), value: read[4]!, source});
			continue;
		}

		// Dump: path<TAB>value (or path<TAB>reason in a "skipped" list)
		if (fields.length >= 2 && fields[0]!.startsWith('/sys/')) {
			const value = fields.slice(1).join('\t');
			// The capture's read errors (traces/qemu-6.1/sys-power.txt `read error: cat: read error: No data available`,
			// nfit-test-6.1/00-initial `cat: read error: …`, `read error: ENXIO (…)`) say the read failed: no value.
			if (/^not readable|^cannot read|^error:|^read error:|^cat: |Permission denied/.test(value)) unreadable.push(relativeSysfsPath(fields[0]!));
			else if (/^\(nd bus device; dumped under \//.test(value)) continue; // a skipped list's pointer to where the device was dumped
			else events.push({kind: 'sysfs', t: lastT, path: relativeSysfsPath(fields[0]!), value: unescapeValue(value), source});
			continue;
		}

		// grep '' /sys/power/*: path:value (the first colon after the path)
		const grep = /^(\/sys\/[^:\s]+):(.*)$/.exec(line);
		if (grep) {
			events.push({kind: 'sysfs', t: lastT, path: relativeSysfsPath(grep[1]!), value: grep[2]!, source});
			continue;
		}

		// ls /sys/bus/nd/devices: names separated by blanks
		if (/^(?:(?:ndbus|nmem|region|namespace|btt|pfn|dax)\d+(?:\.\d+)?\s*)+$/.test(line.trim())) {
			for (const name of line.trim().split(/\s+/)) events.push({kind: 'sysfs', t: lastT, path: `bus/nd/devices/${name}`, value: '<dir>', source});
			continue;
		}

		const error = /^grep: (\/sys\/\S+): (.*)$/.exec(line);
		if (error) {
			if (!/Is a directory/.test(error[2]!)) unreadable.push(relativeSysfsPath(error[1]!));
			continue;
		}

		if (/^\S*[$#] /.test(line)) continue; // a shell prompt with the command that made the dump
		warn({file, line: lineNo, message: `not a sysfs line (expected path<TAB>value, path:value or t<TAB>path<TAB>value): ${quote(line, 60)}`});
	}

	return {events, warnings, unreadable, timed};
}

/**
 * A poll table: each row's values at its time, as events only where a value
 * changed from the row before (the first row gives them all). A row with a
 * bad time or the wrong number of columns is a warning; the rest still count.
 */
function parsePollTable(lines: readonly string[], header: number, file: string): SysfsParse {
	const events: SysfsEvent[] = [];
	const warnings: TraceWarning[] = [];
	const warn = (w: TraceWarning) => {
		if (warnings.length < 1000) warnings.push(w);
	};

	const columns = lines[header]!.trim().split('\t');
	const firstPath = columns.findIndex(c => c.startsWith('/sys/'));
	const clock = pollClocks.map(name => columns.indexOf(name)).find(i => i !== -1 && i < firstPath)!;
	const paths = columns.slice(firstPath).map(relativeSysfsPath);
	const last: Array<string | undefined> = [];
	let lastT = 0;
	for (let i = header + 1; i < lines.length; i++) {
		const line = lines[i]!;
		if (line.trim() === '' || line.startsWith('#')) continue;
		const fields = line.split('\t');
		const at = secondsToUs(fields[clock] ?? '');
		if (fields.length !== columns.length || at === undefined) {
			warn({file, line: i + 1, message: `not a poll row of ${columns.length} columns with a time in ${quote(columns[clock]!, 12)}: ${quote(line, 60)}; row skipped`});
			continue;
		}

		lastT = Math.max(lastT, at);
		for (const [k, path] of paths.entries()) {
			const value = fields[firstPath + k]!;
			if (last[k] === value) continue;
			last[k] = value;
			events.push({kind: 'sysfs', t: lastT, path, value: unescapeValue(value), source: {file, line: i + 1}});
		}
	}

	return {events, warnings, unreadable: [], timed: true};
}
