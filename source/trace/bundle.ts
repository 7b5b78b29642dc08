/**
 * Trace bundles: what `replay` opens and what `record` and `capture` write.
 *
 *   meta.json      {"format": "quiesce-trace", "version": 1, host, kernel,
 *                   source, created, clock: {sysfsOffsetUs}, unreadable: []}
 *   kernel.log     the kernel log, in any format the log parser reads
 *   sysfs.tsv      t_us<TAB>path<TAB>value polls (or a path<TAB>value dump)
 *   ndctl.json     optional `ndctl list -BDF`
 *   events.ndjson  optional: the full native timeline, one event per line
 *                  (lossless; replay prefers it when present)
 *
 * A single log file is a trace too, and so is a folder of captures with
 * other names (dmesg*.log, *.tsv, sys-power.txt, ndctl*.json).
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import type {TimelineEvent} from '../events.js';
import type {TraceWarning} from './log-parser.js';
import {parseNdctlText} from './ndctl-parser.js';
import {parseSysfsText} from './sysfs-parser.js';
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
	meta?: BundleMeta;
	logs: string[];
	sysfs: string[];
	ndctl: string[];
	native?: string;
	/** Files named in a "skipped/unreadable" list or not readable. */
	unreadable: string[];
	warnings: TraceWarning[];
};

export {TraceError};

type FileKind = 'log' | 'sysfs' | 'ndctl' | 'native' | 'meta' | 'links' | 'skipped' | 'ignore';

function sniff(file: string): FileKind {
	const base = path.basename(file);
	if (base === 'meta.json') return 'meta';
	if (base.endsWith('.ndjson')) return 'native';
	if (/links\.tsv$/.test(base)) return 'links';
	if (/skipped\.tsv$|unreadable/.test(base)) return 'skipped';
	if (/\.(tar|gz|xz|zst|md|png)$/.test(base)) return 'ignore';
	let head = '';
	try {
		head = readFileSync(file, {encoding: 'utf8', flag: 'r'}).slice(0, 4096);
	} catch {
		return 'ignore';
	}

	const firstLines = head.split('\n').slice(0, 12).map(l => l.trim()).filter(Boolean);
	if (/ndctl/.test(base) || /^\s*(?:ndctl list.*\n\s*)?[[{]/.test(head) && /"dev"\s*:/.test(head)) return 'ndctl';
	const sysfsLike = firstLines.filter(l => /^(?:\d+\t)?\/sys\/\S+(?:\t|:)/.test(l) || /^(?:(?:ndbus|nmem|region|namespace|btt|pfn|dax)\d+(?:\.\d+)?\s*)+$/.test(l)).length;
	if (sysfsLike > 0 && sysfsLike >= firstLines.length / 2) return 'sysfs';
	return 'log';
}

/** Decide which files of a path make up the trace. */
export function planTrace(target: string): TracePlan {
	let stat;
	try {
		stat = statSync(target);
	} catch {
		throw new TraceError(`${target}: no such file or directory`);
	}

	const plan: TracePlan = {root: target, logs: [], sysfs: [], ndctl: [], unreadable: [], warnings: []};
	if (!stat.isDirectory()) {
		const kind = sniff(target);
		if (kind === 'sysfs') plan.sysfs.push(target);
		else if (kind === 'ndctl') plan.ndctl.push(target);
		else if (kind === 'native') plan.native = target;
		else plan.logs.push(target);
		return plan;
	}

	const files = readdirSync(target).sort().map(f => path.join(target, f)).filter(f => statSync(f).isFile());
	if (files.length === 0) throw new TraceError(`${target}: empty directory, no trace in it`);
	const logs: string[] = [];
	for (const file of files) {
		const kind = sniff(file);
		switch (kind) {
			case 'meta': {
				try {
					plan.meta = JSON.parse(readFileSync(file, 'utf8')) as BundleMeta;
					plan.unreadable.push(...(plan.meta.unreadable ?? []));
				} catch (error) {
					plan.warnings.push({file, line: 1, message: `meta.json is not valid JSON (${(error as Error).message}); ignored`});
				}

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

			case 'skipped': {
				for (const line of readFileSync(file, 'utf8').split('\n')) if (line.includes('\t')) plan.unreadable.push(line.split('\t')[0]!.replace(/^\/sys\//, ''));
				break;
			}

			default:
		}
	}

	// One kernel log per trace: the same boot saved twice (dmesg and /dev/kmsg) must not replay twice.
	const preferred = logs.find(f => path.basename(f) === 'kernel.log') ?? logs.find(f => /dmesg/.test(path.basename(f))) ?? logs.sort((a, b) => statSync(b).size - statSync(a).size)[0];
	if (preferred) plan.logs.push(preferred);
	for (const other of logs.filter(f => f !== preferred)) {
		plan.warnings.push({file: other, line: 0, message: `another kernel log in the folder; replaying ${path.basename(preferred!)} only (give this file's path to replay it)`});
	}

	if (!plan.native && plan.logs.length === 0 && plan.sysfs.length === 0 && plan.ndctl.length === 0) {
		throw new TraceError(`${target}: no kernel log, sysfs dump or ndctl output found`);
	}

	return plan;
}

/** Parse a native events.ndjson: one TimelineEvent per line. */
export function parseNativeEvents(text: string, file: string): {events: TimelineEvent[]; warnings: TraceWarning[]} {
	const events: TimelineEvent[] = [];
	const warnings: TraceWarning[] = [];
	// 'fault': the simulator's fault events (events.ts), recorded by `quiesce record`.
	const kinds = new Set(['log', 'sysfs', 'note', 'action', 'fault']);
	for (const [i, line] of text.split('\n').entries()) {
		if (line.trim() === '') continue;
		try {
			const event = JSON.parse(line) as TimelineEvent;
			if (!kinds.has(event.kind) || typeof event.t !== 'number') throw new Error('expected an event with kind log|sysfs|note|action|fault and a numeric t');
			events.push(event);
		} catch (error) {
			warnings.push({file, line: i + 1, message: `bad event line: ${(error as Error).message}`});
		}
	}

	return {events, warnings};
}

/** The small parts of a trace (sysfs, ndctl), all in memory, sorted by time. */
export function loadSideEvents(plan: TracePlan): {events: TimelineEvent[]; warnings: TraceWarning[]} {
	const events: TimelineEvent[] = [];
	const warnings: TraceWarning[] = [];
	const offset = plan.meta?.clock?.sysfsOffsetUs ?? 0;
	for (const file of plan.sysfs) {
		const parsed = parseSysfsText(readFileSync(file, 'utf8'), file);
		warnings.push(...parsed.warnings);
		plan.unreadable.push(...parsed.unreadable);
		events.push(...parsed.events.map(e => ({...e, t: e.t + offset})));
	}

	for (const file of plan.ndctl) {
		const parsed = parseNdctlText(readFileSync(file, 'utf8'), file);
		warnings.push(...parsed.warnings);
		events.push(...parsed.events);
	}

	events.sort((a, b) => a.t - b.t);
	return {events, warnings};
}
