/**
 * `replay --summary [--json]`: every cycle as a stable document, totals
 * (cycles, ok/failed/incomplete, by kind, p50/p95/max per phase), the nd bus
 * and each DIMM by name. Built incrementally while the log streams: each cycle
 * is handed over once, when it can no longer change, and only what will be
 * printed is kept (the documents of the last N cycles, or none when they are
 * written out as they come; per-phase durations for the percentiles).
 */
import {formatStamp} from '../kernel/log-format.js';
import {errnoName} from '../kernel/errno-names.js';
import {failedResultWhy, resultSays} from '../kernel/sysfs.js';
import type {ActivationReadback, Cycle, MonitorState, TimeSource} from './state.js';

/**
 * `unverified`: a firmware activation whose write returned 0, but after which no DIMM's
 * firmware/result was read that says it took (see activationVerdict).
 */
export type CycleStatus = 'ok' | 'failed' | 'incomplete' | 'unverified';

/** Did an activation cycle run the activation (its write returned 0, or the log shows it done)? */
export function ranActivation(cycle: Cycle): boolean {
	if (cycle.kind !== 'fwa-quiesce' && cycle.kind !== 'fwa-live') return false;
	return cycle.write === '0' || cycle.phases.some(p => p.id === 'activation' && p.status === 'done');
}

/**
 * What an activation the kernel ended without error achieved, from what was read back after
 * its write returned (state.ts ActivationReadback) — the write returns 0 even when the platform
 * refused (kernel.md §2.2), so without a read-back it is not "ok":
 * - a DIMM whose result reads fail, not_staged or need_reset: failed;
 * - the bus still reading armed or overflow, and no DIMM reporting success: failed (nothing was activated);
 * - every DIMM that read `armed` when the write was issued reporting success (or, when no DIMM
 *   was read before the write, at least one reporting success): ok;
 * - otherwise (nothing read back, only `none`, an armed DIMM with no result or `none`): unverified —
 *   `none` may be nfit_test's busy window, or the platform leaving the DIMM out: it is not a success.
 */
export function activationVerdict(readback: ActivationReadback | undefined): {status: 'ok' | 'failed' | 'unverified'; failures: string[]; note: string} {
	const results = Object.entries(readback?.results ?? {}).sort(([a], [b]) => a.localeCompare(b, 'en', {numeric: true}));
	const failed = results.filter(([, r]) => resultSays(r) === 'failed');
	const activated = results.filter(([, r]) => resultSays(r) === 'activated');
	if (failed.length > 0) {
		return {status: 'failed', failures: failed.map(([n, r]) => `${n}: firmware/result reads ${r} after the activation (${failedResultWhy[r]})`), note: `${activated.length} DIMM(s) report success, ${failed.length} failed`};
	}

	const bus = readback?.bus;
	if ((bus === 'armed' || bus === 'overflow') && activated.length === 0) {
		return {status: 'failed', failures: [`the bus still reads ${bus} after the write returned, and no DIMM reports success: nothing was activated`], note: `bus reads ${bus}`};
	}

	const armed = readback?.armed ?? [];
	const unconfirmed = armed.filter(name => resultSays(readback?.results[name] ?? '') !== 'activated');
	if (activated.length > 0 && unconfirmed.length === 0) return {status: 'ok', failures: [], note: `${activated.length} DIMM(s) report success`};
	if (activated.length > 0) {
		const list = unconfirmed.map(name => `${name} ${readback?.results[name] ? `reads ${readback.results[name]}` : 'not read'}`).join(', ');
		return {status: 'unverified', failures: [], note: `${activated.length} DIMM(s) report success, but of the DIMMs armed at the write ${list}: the activation is not confirmed for them`};
	}

	return {
		status: 'unverified',
		failures: [],
		note: results.length > 0 ? 'the DIMM results read after the write say none: the activation is not confirmed' : 'no DIMM firmware/result read after the write: the activation is not confirmed',
	};
}

/** The status to show: a cycle still open when the log ends failed if the kernel said so, else is incomplete. */
export function finalStatus(cycle: Cycle): CycleStatus {
	if (cycle.status !== 'running') return cycle.status;
	return cycle.failure !== undefined || cycle.failures.length > 0 ? 'failed' : 'incomplete';
}

export function finalPartial(cycle: Cycle): 'start-missing' | 'end-missing' | null {
	if (cycle.partial) return cycle.partial;
	return cycle.status === 'running' ? 'end-missing' : null;
}

export type PhaseDocument = {
	id: string;
	label: string;
	status: string;
	startUs: number | null;
	durationUs: number | null;
	source: TimeSource;
	/** Resolution of durationUs (1 µs, 1000 µs, 1 s…): never read it finer than this. */
	precisionUs: number;
	/** "stage" for the monitor's phases, "detail" for the finer figures the kernel printed (resume noirq/early/normal…). */
	level: 'stage' | 'detail';
	detail?: string;
};

export type CycleDocument = {
	index: number;
	kind: string;
	mode: string | null;
	pmTest: string | null;
	status: CycleStatus;
	partial: 'start-missing' | 'end-missing' | null;
	startUs: number;
	endUs: number | null;
	lines: {file?: string; first: number; last: number} | null;
	failures: Array<{text: string; errno: number | null; errnoName: string | null; device: string | null; line: number | null}>;
	/** Drivers that reported an error (dev_err with an errno) during the cycle; the cycle went on. */
	driverErrors: Array<{text: string; errno: number; errnoName: string | null; device: string; line: number | null}>;
	phases: PhaseDocument[];
	write: string | null;
	/**
	 * An activation that ran: the bus `activate` and each DIMM's `result` as last read after its
	 * write returned (until the next activation ran or a DIMM was armed), and what they say.
	 */
	readBack: {bus: string | null; results: Record<string, string>; verdict: 'ok' | 'failed' | 'unverified'; note: string} | null;
	refusing: Array<{comm: string; pid?: number; state?: string}>;
};

export function cycleDocument(cycle: Cycle, index: number, readback?: ActivationReadback): CycleDocument {
	const clock = cycle.clockUs ?? 1;
	const phases: PhaseDocument[] = cycle.phases
		.filter(p => p.status !== 'pending')
		.map(p => {
			const doc: PhaseDocument = {
				id: p.id,
				label: p.label,
				status: p.status,
				startUs: p.startUs ?? null,
				durationUs: p.lengthUs ?? (p.startUs !== undefined && p.endUs !== undefined ? p.endUs - p.startUs : null),
				source: p.source ?? 'timestamps',
				precisionUs: p.source === 'kernel' ? (p.precisionUs ?? 1) : clock,
				level: 'stage',
			};
			if (p.detail) doc.detail = p.detail;
			// S3/S4: printk stamps stop while the machine sleeps, so their difference is not the sleep.
			if (p.id === 'activation' && p.lengthUs === undefined && !cycle.pmTest && cycle.mode !== 's2idle' && (cycle.kind === 'suspend' || cycle.kind === 'hibernate') && doc.durationUs !== null) {
				doc.detail = `${p.detail ? `${p.detail}; ` : ''}stamps stop during the sleep: not its length`;
			}

			return doc;
		});
	for (const t of cycle.timings) {
		phases.push({id: t.id, label: t.label, status: 'done', startUs: t.startUs ?? null, durationUs: t.durationUs, source: t.source, precisionUs: t.source === 'kernel' ? t.precisionUs : Math.max(t.precisionUs, clock), level: 'detail'});
	}

	let status: CycleStatus = finalStatus(cycle);
	const failures = cycle.failures.map(f => ({text: f.text, errno: f.errno ?? null, errnoName: f.errnoName ?? null, device: f.device ?? null, line: f.line ?? null}));
	let readBack: CycleDocument['readBack'] = null;
	if (ranActivation(cycle)) {
		readBack = {bus: readback?.bus ?? null, results: readback?.results ?? {}, verdict: 'unverified', note: ''};
		const verdict = activationVerdict(readback);
		readBack.verdict = verdict.status;
		readBack.note = verdict.note;
		if (status === 'ok') status = verdict.status;
		failures.push(...verdict.failures.map(text => ({text, errno: null, errnoName: null, device: null, line: null})));
	}

	return {
		index,
		kind: cycle.kind,
		mode: cycle.mode ?? (cycle.kind === 'suspend' ? (cycle.detail ?? null) : null),
		pmTest: cycle.pmTest ?? null,
		status,
		partial: finalPartial(cycle),
		startUs: cycle.startUs,
		endUs: cycle.endUs ?? null,
		lines: cycle.lines ?? null,
		failures,
		driverErrors: (cycle.driverErrors ?? []).map(e => ({text: e.text, errno: e.errno, errnoName: errnoName(e.errno) ?? null, device: e.device, line: e.line ?? null})),
		phases,
		write: cycle.write ?? null,
		readBack,
		refusing: cycle.refusing,
	};
}

/**
 * Durations of one phase across cycles: exact while there are few, then a log-scale histogram
 * (1% wide buckets) so that a log with millions of cycles stays in bounded memory.
 */
export class DurationStats {
	static readonly exactLimit = 50_000;
	count = 0;
	max = 0;
	private exact: number[] | undefined = [];
	private readonly buckets = new Map<number, number>();
	precisionUs = 1;
	source: TimeSource = 'kernel';

	add(us: number, precisionUs: number, source: TimeSource): void {
		this.count++;
		this.max = Math.max(this.max, us);
		this.precisionUs = Math.max(this.precisionUs, precisionUs);
		if (source === 'timestamps') this.source = 'timestamps';
		if (this.exact) {
			this.exact.push(us);
			if (this.exact.length > DurationStats.exactLimit) {
				for (const v of this.exact) this.bucket(v);
				this.exact = undefined;
			}
		} else this.bucket(us);
	}

	private bucket(us: number): void {
		const key = us <= 0 ? -1 : Math.floor(Math.log(us) / Math.log(1.01));
		this.buckets.set(key, (this.buckets.get(key) ?? 0) + 1);
	}

	/** Nearest-rank percentile (exact while the values are kept, else within 1%). */
	percentile(p: number): number {
		if (this.count === 0) return 0;
		const rank = Math.max(1, Math.ceil((p / 100) * this.count));
		if (this.exact) return [...this.exact].sort((a, b) => a - b)[rank - 1]!;
		let seen = 0;
		for (const key of [...this.buckets.keys()].sort((a, b) => a - b)) {
			seen += this.buckets.get(key)!;
			if (seen >= rank) return key < 0 ? 0 : Math.round(1.01 ** key);
		}

		return this.max;
	}

	get approximate(): boolean {
		return this.exact === undefined;
	}
}

export type Totals = {
	cycles: number;
	ok: number;
	failed: number;
	incomplete: number;
	/** Activations whose write returned 0 with nothing read back that confirms them. */
	unverified: number;
	byKind: Record<string, number>;
	pmTest: number;
	errors: number;
	warnings: number;
	failedWrites: number;
	records: number;
	phases: Array<{id: string; label: string; count: number; p50Us: number; p95Us: number; maxUs: number; source: TimeSource; precisionUs: number; approximate: boolean}>;
};

/**
 * Receives every cycle once, when final; keeps the last `keep` documents (0: none) and the totals.
 * An activation that ran is final only when what was read back after it is: when another
 * activation runs, or the trace ends. It is held until then, and the cycles after it with it
 * (their order kept; at most `maxHeld`, then it goes out with what was read so far).
 */
export class SummaryCollector {
	static readonly maxHeld = 1000;
	private seen = 0;
	private index = 0;
	readonly kept: CycleDocument[] = [];
	private readonly counts = {cycles: 0, ok: 0, failed: 0, incomplete: 0, unverified: 0, pmTest: 0, byKind: {} as Record<string, number>};
	private readonly stats = new Map<string, {label: string; stats: DurationStats}>();
	/** The activation waiting for its read-back, the last read-back seen for it, and the cycles after it. */
	private held: {cycle: Cycle; readback?: ActivationReadback; after: Cycle[]} | undefined;

	constructor(
		private readonly keep: number,
		private readonly onCycle?: (doc: CycleDocument) => void,
	) {}

	/** Call after every reduce: hands over the cycles archived since the last call. */
	observe(state: MonitorState): void {
		if (this.held && state.activation && state.activation.ordinal === this.held.cycle.ordinal) this.held.readback = state.activation;
		const archived = state.totals.cycles - this.seen;
		if (archived <= 0) return;
		const fresh = state.cycles.slice(-Math.min(archived, state.cycles.length));
		for (const cycle of fresh) this.accept(cycle, state);
		this.seen = state.totals.cycles;
	}

	/** At the end of the log: the cycle still current, and whatever was held. */
	finish(state: MonitorState): void {
		this.observe(state);
		if (state.cycle) this.accept(state.cycle, state);
		this.release();
	}

	private accept(cycle: Cycle, state: MonitorState): void {
		const ran = ranActivation(cycle);
		if (this.held && (ran || this.held.after.length >= SummaryCollector.maxHeld)) this.release();
		if (this.held) {
			this.held.after.push(cycle);
			return;
		}

		if (!ran) {
			this.take(cycle);
			return;
		}

		this.held = {cycle, after: []};
		if (state.activation?.ordinal === cycle.ordinal) this.held.readback = state.activation;
	}

	private release(): void {
		const held = this.held;
		if (!held) return;
		this.held = undefined;
		this.take(held.cycle, held.readback);
		for (const cycle of held.after) this.take(cycle);
	}

	take(cycle: Cycle, readback?: ActivationReadback): void {
		const doc = cycleDocument(cycle, ++this.index, readback);
		this.counts.cycles++;
		this.counts[doc.status]++;
		this.counts.byKind[doc.kind] = (this.counts.byKind[doc.kind] ?? 0) + 1;
		if (doc.pmTest) this.counts.pmTest++;
		for (const p of doc.phases) {
			// Only whole lengths count: a phase a partial cycle shows in part, or one that never ended, does not.
			if (p.durationUs === null || (p.status !== 'done' && p.status !== 'unwound')) continue;
			const key = `${doc.kind}:${p.id}`;
			let entry = this.stats.get(key);
			if (!entry) {
				entry = {label: `${doc.kind}: ${p.label}`, stats: new DurationStats()};
				this.stats.set(key, entry);
			}

			entry.stats.add(p.durationUs, p.precisionUs, p.source);
		}

		this.onCycle?.(doc);
		if (this.keep > 0) {
			this.kept.push(doc);
			if (this.kept.length > this.keep) this.kept.shift();
		}
	}

	totals(state: MonitorState): Totals {
		return {
			...this.counts,
			errors: state.log.errors + state.log.failedWrites,
			warnings: state.log.warnings,
			failedWrites: state.log.failedWrites,
			records: state.log.count,
			phases: [...this.stats.entries()].map(([id, {label, stats}]) => ({
				id,
				label,
				count: stats.count,
				p50Us: stats.percentile(50),
				p95Us: stats.percentile(95),
				maxUs: stats.max,
				source: stats.source,
				precisionUs: stats.precisionUs,
				approximate: stats.approximate,
			})),
		};
	}
}

export type DimmDocument = {name: string; supported: boolean; activate: string | null; result: string | null; current: string | null; next: string | null; note?: string};

/** Each DIMM by name; without firmware/ files on a bus without the capability, the platform does not support activation. */
export function dimmDocuments(state: MonitorState): DimmDocument[] {
	const busSupports = state.bus.capability !== undefined && state.bus.capability !== 'none';
	return Object.values(state.dimms)
		.sort((a, b) => a.name.localeCompare(b.name, 'en', {numeric: true}))
		.map(d => {
			const hasFirmware = d.activate !== undefined || d.result !== undefined || d.current !== undefined || d.next !== undefined;
			const doc: DimmDocument = {name: d.name, supported: hasFirmware || busSupports, activate: d.activate ?? null, result: d.result ?? null, current: d.current ?? null, next: d.next ?? null};
			if (!hasFirmware) doc.note = busSupports ? 'firmware/ attributes not in the trace' : 'not supported by this platform (no firmware/ attributes)';
			return doc;
		});
}

export function busDocument(state: MonitorState) {
	return {present: state.bus.present, name: state.bus.name ?? null, capability: state.bus.capability ?? (state.bus.present ? 'none' : null), activate: state.bus.activate ?? null, noidle: state.bus.noidle ?? null};
}

/** A length at the precision it has: "2 s (1 s stamps)", "3 ms", "14.358 ms". */
export function formatLength(us: number, precisionUs: number): string {
	if (precisionUs >= 1_000_000) return `${Math.round(us / 1_000_000)} s (±1 s: stamps of 1 s)`;
	if (us >= 1_000_000) return `${(us / 1_000_000).toFixed(precisionUs >= 10_000 ? 2 : 3)} s`;
	if (precisionUs >= 10_000) return `${(us / 1000).toFixed(0)} ms`;
	if (precisionUs >= 1000) return `${(us / 1000).toFixed(0)} ms`;
	return `${(us / 1000).toFixed(3)} ms`;
}

export function cycleLines(doc: CycleDocument): string[] {
	const lines: string[] = [];
	const mode = doc.mode ? ` (${doc.mode})` : '';
	const test = doc.pmTest ? ` [pm_test=${doc.pmTest}: a test, not a sleep]` : '';
	const partial = doc.partial === 'start-missing' ? ' [started before the log]' : doc.partial === 'end-missing' ? ' [ended after the log]' : '';
	const where = doc.lines ? ` (lines ${doc.lines.first}–${doc.lines.last})` : '';
	const first = doc.failures[0];
	const reason = first ? `: ${first.device && !first.text.includes(first.device) ? `${first.device}: ` : ''}${first.text}${first.errno === null ? '' : ` (${first.errno}${first.errnoName ? ` ${first.errnoName}` : ''})`}` : '';
	const unverified = doc.status === 'unverified' && doc.readBack ? `: ${doc.readBack.note}` : '';
	lines.push(`cycle ${doc.index}: ${doc.kind}${mode}${test} at ${formatStamp(doc.startUs)}${where} — ${doc.status}${reason}${unverified}${partial}${doc.write ? `; write returned ${doc.write}` : ''}`);
	if (doc.readBack) {
		const results = Object.entries(doc.readBack.results).map(([n, r]) => `${n} ${r}`);
		lines.push(`  read back after the write: ${results.length > 0 ? results.join(', ') : 'no DIMM result'}${doc.readBack.bus ? `; bus ${doc.readBack.bus}` : ''}`);
	}

	for (const e of doc.driverErrors) {
		const errno = e.text.includes(String(e.errno)) ? (e.errnoName ? ` = ${e.errnoName}` : '') : ` (${e.errno}${e.errnoName ? ` ${e.errnoName}` : ''})`;
		lines.push(`  driver error (the ${doc.kind} went on): ${e.device}: ${e.text}${errno}${e.line === null ? '' : ` [line ${e.line}]`}`);
	}

	for (const f of doc.failures.slice(1)) lines.push(`  also: ${f.device && !f.text.includes(f.device) ? `${f.device}: ` : ''}${f.text}${f.errno === null ? '' : ` (${f.errno}${f.errnoName ? ` ${f.errnoName}` : ''})`}${f.line === null ? '' : ` [line ${f.line}]`}`);
	for (const p of doc.phases) {
		if (p.status === 'skipped') continue;
		const length = p.durationUs === null ? '' : ` ${formatLength(p.durationUs, p.precisionUs)} [${p.source === 'kernel' ? 'kernel' : 'stamps'}]`;
		lines.push(`  ${p.level === 'detail' ? '· ' : ''}${p.label}: ${p.level === 'detail' ? '' : p.status}${length}${p.detail ? ` (${p.detail})` : ''}`.replace(/: +\(/, ': (').trimEnd());
	}

	for (const task of doc.refusing) lines.push(`  refused to freeze: ${task.comm}${task.pid ? ` (pid ${task.pid})` : ''} state ${task.state ?? '?'}`);
	return lines;
}

export function totalsLines(totals: Totals): string[] {
	const kinds = Object.entries(totals.byKind).map(([k, v]) => `${v} ${k}`).join(', ');
	const lines = [
		`totals: ${totals.cycles} cycle(s): ${totals.ok} ok, ${totals.failed} failed, ${totals.incomplete} incomplete${totals.unverified ? `, ${totals.unverified} unverified` : ''}${kinds ? `; ${kinds}` : ''}${totals.pmTest ? `; ${totals.pmTest} pm_test run(s)` : ''}`,
		`log: ${totals.records} record(s), ${totals.errors} error(s)${totals.failedWrites ? ` (${totals.failedWrites} failed write(s))` : ''}, ${totals.warnings} warning(s)`,
	];
	for (const p of totals.phases) {
		lines.push(`  ${p.label}: n=${p.count} p50 ${formatLength(p.p50Us, p.precisionUs)}, p95 ${formatLength(p.p95Us, p.precisionUs)}, max ${formatLength(p.maxUs, p.precisionUs)} [${p.source === 'kernel' ? 'kernel' : 'stamps'}]${p.approximate ? ' (percentiles within 1%)' : ''}`);
	}

	return lines;
}

export function dimmLines(state: MonitorState): string[] {
	const lines: string[] = [];
	if (state.bus.present) {
		lines.push(`nd bus ${state.bus.name ?? ''}: ${state.bus.capability && state.bus.capability !== 'none' ? `capability ${state.bus.capability}, activate ${state.bus.activate ?? '?'}` : 'no firmware activation support (capability none)'}${state.bus.noidle ? `, noidle ${state.bus.noidle}` : ''}`);
	}

	for (const d of dimmDocuments(state)) {
		lines.push(`  ${d.name}: ${d.note ?? `firmware ${d.current ?? '?'} → ${d.next ?? 'none staged'}, activate ${d.activate ?? '?'}, result ${d.result ?? '?'}`}`);
	}

	return lines;
}
