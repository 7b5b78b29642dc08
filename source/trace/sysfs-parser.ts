/**
 * sysfs as people save it: a `path<TAB>value` dump (values with \\, \t, \r,
 * \n escaped), `grep '' /sys/…/*` output (`path:value`), an `ls` of
 * /sys/bus/nd/devices, or a time series of polls (`t_us<TAB>path<TAB>value`,
 * the bundle format). All become sysfs events with paths relative to /sys.
 */
import type {SysfsEvent} from '../events.js';
import {microsToUs, quote, type TraceWarning} from './log-parser.js';

export function relativeSysfsPath(path: string): string {
	return path.replace(/^\/?sys\//, '').replace(/^\/+/, '');
}

function unescapeValue(value: string): string {
	return value.replace(/\\([\\trn])/g, (_, c: string) => ({'\\': '\\', t: '\t', r: '\r', n: '\n'})[c]!);
}

export function escapeValue(value: string): string {
	return value.replace(/[\\\t\r\n]/g, c => ({'\\': '\\\\', '\t': '\\t', '\r': '\\r', '\n': '\\n'})[c]!);
}

export type SysfsParse = {events: SysfsEvent[]; warnings: TraceWarning[]; unreadable: string[]};

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
	let lastT = t;
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

			events.push({kind: 'sysfs', t: lastT, path: relativeSysfsPath(fields[1]!), value: unescapeValue(fields.slice(2).join('\t')), source});
			continue;
		}

		// Dump: path<TAB>value (or path<TAB>reason in a "skipped" list)
		if (fields.length >= 2 && fields[0]!.startsWith('/sys/')) {
			const value = fields.slice(1).join('\t');
			if (/^not readable|^cannot read|^error:|Permission denied/.test(value)) unreadable.push(relativeSysfsPath(fields[0]!));
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

	return {events, warnings, unreadable};
}
