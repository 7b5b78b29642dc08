/**
 * The operator's writes to sysfs, as a file a human can read: one line per
 * write, in the form of the real nfit_test capture
 * (traces/nfit-test-6.1/01-quiesce-sysfs/*-writes.tsv):
 *
 *   write<TAB>/sys/PATH<TAB>VALUE<TAB>start_mono=S.UUUUUU<TAB>end_mono=S.UUUUUU<TAB>dur_ms=MS<TAB>rc=N<TAB>errno=0|NAME text
 *
 * (the capture also has start/end _uptime and _boot clocks; they are read and
 * ignored). CLOCK_MONOTONIC is the kernel log's clock on a machine that did
 * not sleep, so each write becomes two `action` events on the log's time line:
 * issued at start_mono, returned at end_mono with its result — what the
 * monitor needs to see a firmware activation start and end.
 */
import type {ActionEvent} from '../events.js';
import {errnoCode, errnos, isErrnoName, type ErrnoName} from '../kernel/errno.js';
import {errnoName} from '../kernel/errno-names.js';
import type {TraceWarning} from './log-parser.js';

const seconds = (s: string) => Math.round(Number(s) * 1_000_000);

export function parseWritesText(text: string, file: string): {events: ActionEvent[]; warnings: TraceWarning[]} {
	const events: ActionEvent[] = [];
	const warnings: TraceWarning[] = [];
	for (const [i, raw] of text.split('\n').entries()) {
		const line = raw.replace(/\r$/, '');
		if (line.trim() === '' || line.startsWith('#')) continue;
		const [op, path, value, ...fields] = line.split('\t');
		const kv = Object.fromEntries(fields.map(f => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
		const start = kv['start_mono'] ?? kv['start_boot'];
		const end = kv['end_mono'] ?? kv['end_boot'] ?? start;
		if (op !== 'write' || !path?.startsWith('/sys/') || value === undefined || !start || !/^\d+(?:\.\d+)?$/.test(start) || !/^\d+(?:\.\d+)?$/.test(end!)) {
			warnings.push({file, line: i + 1, message: 'expected write<TAB>/sys/PATH<TAB>VALUE<TAB>start_mono=S<TAB>end_mono=S<TAB>…<TAB>rc=N<TAB>errno=…; line skipped'});
			continue;
		}

		const actor = kv['actor'] === 'script' ? 'script' : 'operator';
		const written = value.replaceAll(/\\([\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));
		const base = {kind: 'action', op: 'write', path: path.slice('/sys/'.length), value: written, actor} as const;
		// A write that returned at once is one event; a blocking one (the bus activate) is issued, then returns.
		if (seconds(start) !== seconds(end!) || kv['unfinished'] === '1') events.push({...base, t: seconds(start), result: null});
		if (kv['unfinished'] === '1') continue;
		const errno = (kv['errno'] ?? '0').split(' ')[0]!;
		const rc = Number(kv['rc'] ?? '0');
		if (errno === '0' && rc >= 0) events.push({...base, t: seconds(end!), result: {ok: true}});
		else {
			const code = isErrnoName(errno) ? errnoCode(errno) : Number(Object.entries(knownCodes()).find(([, n]) => n === errno)?.[0] ?? 5);
			events.push({...base, t: seconds(end!), result: {ok: false, errno: errno as ErrnoName, code}});
		}
	}

	return {events, warnings};
}

function knownCodes(): Record<number, string> {
	const codes: Record<number, string> = {};
	for (let n = 1; n < 600; n++) {
		const name = errnoName(n);
		if (name) codes[n] = name;
	}

	return codes;
}

const fmt = (us: number) => (us / 1_000_000).toFixed(6);

/** `echo` adds a newline the capture does not show; other tabs and newlines are escaped. */
function printable(value: string | undefined): string {
	return (value ?? '').replace(/\n$/, '').replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n');
}

/** Pair each issued write with its return, in the capture's format. */
export function formatWrites(actions: readonly ActionEvent[]): string {
	const lines: string[] = [];
	const open = new Map<string, ActionEvent>();
	for (const a of actions) {
		if (a.op !== 'write') continue;
		if (a.result === null) {
			open.set(a.path, a);
			continue;
		}

		const start = open.get(a.path) ?? a;
		open.delete(a.path);
		const errno = a.result.ok ? '0' : `${a.result.errno} ${errnoText(a.result.errno)}`;
		const rc = a.result.ok ? (a.value ?? '').length : -1;
		lines.push(['write', `/sys/${a.path}`, printable(a.value), `start_mono=${fmt(start.t)}`, `end_mono=${fmt(a.t)}`, `dur_ms=${((a.t - start.t) / 1000).toFixed(3)}`, `rc=${rc}`, `errno=${errno}`, ...(a.actor === 'script' ? ['actor=script'] : [])].join('\t'));
	}

	// A write still blocked when the run ended.
	for (const a of open.values()) lines.push(['write', `/sys/${a.path}`, printable(a.value), `start_mono=${fmt(a.t)}`, `end_mono=${fmt(a.t)}`, 'dur_ms=0.000', 'rc=0', 'errno=0', 'unfinished=1'].join('\t'));
	return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

function errnoText(name: ErrnoName | string): string {
	return isErrnoName(name) ? messageOf(name) : '';
}


function messageOf(name: ErrnoName): string {
	return errnos[name].message;
}
