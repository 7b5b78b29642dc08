/**
 * What each pane of the monitor says, decided here from kernel evidence
 * (log-derived cycle and phases, sysfs values the operator or a capture read,
 * the operator's writes and their return values) — never from simulator
 * notes. Ink components only render these views.
 *
 * The verdict rules, with the kernel behaviour behind each
 * (drivers/nvdimm/bus.c + drivers/acpi/nfit/intel.c, see /work/shared/domain/kernel.md §2.7):
 *  - The bus write returns 0 whenever the quiesce cycle reached the activation
 *    callback, even if the platform then refused (status TMO/ABORT, overflow):
 *    intel_bus_fwa_activate() only logs "result: N". So "write returned 0" is
 *    not success: afterwards the bus must no longer read armed/overflow (the
 *    cache is invalidated by every activation) and the armed DIMMs must report
 *    a result other than `none`.
 *  - `overflow` is not rejected by the kernel (activate_store() accepts armed
 *    and overflow): an overflowed bus that still reads overflow after a write
 *    of 0 means the platform did not activate.
 *  - A freeze that fails (freeze_processes/dpm_suspend errors) unwinds and the
 *    write returns that errno: the memory quiesce was never reached.
 *  - A completed activation can still hurt: PCIe completion timeouts (AER
 *    CmpltTO) on a device that had DMA in flight, DIMM results fail /
 *    need_reset / not_staged.
 */
import type {LogEvent, TimelineEvent} from '../events.js';
import {formatStamp} from '../kernel/log-format.js';
import {isFailureSignal, recognise, signalCategory} from '../kernel/recognise.js';
import {failedResultWhy, resultSays} from '../kernel/sysfs.js';
import type {Cycle, DeviceView, DimmView, MonitorState, Phase, PhaseStatus, Warning} from './state.js';

/**
 * What the state alone cannot tell: whether the bus and DIMM files were read
 * after the write returned (a value read before it is stale: the kernel
 * invalidates its caches on every activation). The player works it out from
 * the timeline; without it, a bus still "armed" proves nothing.
 */
export type Evidence = {readAfterWrite?: boolean};

export type Tone = 'green' | 'yellow' | 'red' | 'cyan' | 'gray' | undefined;

export type OutcomeKind = 'no-cycle' | 'running' | 'completed' | 'unverified' | 'damaged' | 'refused' | 'overflow' | 'never-reached' | 'failed';

export type Outcome = {
	kind: OutcomeKind;
	/** One upper-case word for titles and tags; never "OK" unless the evidence says so. */
	word: string;
	tone: Tone;
	/** One sentence: what happened, from the evidence. */
	line: string;
	/** Collateral damage seen after an activation that ran. */
	damage: string[];
};

function activation(cycle: Cycle): Phase | undefined {
	return cycle.phases.find(p => p.id === 'activation');
}

function isActivation(cycle: Cycle): boolean {
	return cycle.kind === 'fwa-quiesce' || cycle.kind === 'fwa-live';
}

/**
 * Device errors printed during (or after) the cycle on screen: a device that failed in an earlier
 * cycle of the same log is no damage of this one.
 */
function deviceErrorsOf(state: MonitorState, cycle: Cycle | undefined): string[] {
	return Object.values(state.devices)
		.filter(d => d.errors.length > 0 && (cycle === undefined || d.lastErrorCycle === cycle.ordinal))
		.map(d => `${d.name}: ${d.errors.at(-1)}`);
}

/** Damage visible after a cycle: device errors (AER completion timeouts, callback errors), bad DIMM results. */
export function collateralDamage(state: MonitorState): string[] {
	const damage = deviceErrorsOf(state, state.cycle);

	for (const d of Object.values(state.dimms)) {
		if (d.result && resultSays(d.result) === 'failed') damage.push(`${d.name}: result ${d.result} (${failedResultWhy[d.result]})`);
	}

	return damage;
}

/** The outcome of the current (or last) cycle, from evidence only. */
export function outcome(state: MonitorState, evidence: Evidence = {}): Outcome {
	const cycle = state.cycle;
	if (!cycle) return {kind: 'no-cycle', word: 'IDLE', tone: 'gray', line: 'no freeze cycle yet', damage: []};
	const act = activation(cycle);
	const reached = act !== undefined && (act.status === 'done' || act.status === 'running' || act.status === 'failed');
	if (cycle.status === 'running' && !cycle.failure) {
		const what = act?.status === 'running' ? 'activation running (memory quiesce)' : `${cycle.phases.find(p => p.status === 'running')?.label ?? 'cycle'} running`;
		return {kind: 'running', word: 'RUNNING', tone: 'cyan', line: what, damage: []};
	}

	if (cycle.failure) {
		const write = cycle.write ? `; write returned ${cycle.write}` : '';
		if (isActivation(cycle) && !(act?.status === 'done' || act?.status === 'failed')) {
			// The write's return value first: it is what the operator saw, and it stays on one line when the rest wraps.
			const returned = cycle.write ? `write returned ${cycle.write}; ` : '';
			return {kind: 'never-reached', word: 'NEVER REACHED', tone: 'red', line: `memory quiesce never reached: ${returned}${cycle.failure}; everything thawed, nothing activated`, damage: []};
		}

		return {kind: 'failed', word: 'FAILED', tone: 'red', line: `${cycle.failure}${write}`, damage: []};
	}

	if (!isActivation(cycle)) {
		const damage = deviceErrorsOf(state, cycle);
		if (damage.length > 0) return {kind: 'damaged', word: 'DONE WITH ERRORS', tone: 'yellow', line: `${cycle.kind} completed, with device errors: ${damage[0]}`, damage};
		return {kind: 'completed', word: 'DONE', tone: 'green', line: `${cycle.kind}${cycle.detail ? ` (${cycle.detail})` : ''} completed`, damage: []};
	}

	// An activation whose write returned 0 (or whose return we did not see).
	const dimms = Object.values(state.dimms);
	const armedResults = dimms.map(d => d.result);
	const anyResult = armedResults.some(r => r !== undefined && r !== 'none');
	const bus = state.bus.activate;
	if (reached && (bus === 'overflow' || bus === 'armed') && !anyResult && evidence.readAfterWrite) {
		const word = bus === 'overflow' ? 'OVERFLOW' : 'REFUSED';
		const why = bus === 'overflow'
			? 'the armed DIMMs need more quiesce time than the platform allows (bus reads overflow)'
			: 'the bus still reads armed';
		return {
			kind: bus === 'overflow' ? 'overflow' : 'refused',
			word,
			tone: 'red',
			line: `${word === 'OVERFLOW' ? 'overflow' : 'refused'}: write returned ${cycle.write ?? '?'} but nothing was activated — ${why}, no DIMM reports a result`,
			damage: [],
		};
	}

	const damage = collateralDamage(state);
	if (damage.length > 0) {
		return {kind: 'damaged', word: 'COMPLETED WITH DAMAGE', tone: 'yellow', line: `activation ran, with collateral damage: ${damage[0]}${damage.length > 1 ? ` (+${damage.length - 1} more)` : ''}`, damage};
	}

	// Only results read after this cycle's write returned count: a `success` left from an earlier
	// activation says nothing of this one (state.ts ActivationReadback).
	// Every DIMM armed at the write must say so (summary-document.ts activationVerdict).
	const readback = state.activation && state.activation.ordinal === cycle.ordinal ? state.activation : undefined;
	const successes = Object.values(readback?.results ?? {}).filter(r => r === 'success').length;
	const allArmedDone = (readback?.armed ?? []).every(name => readback?.results[name] === 'success');
	if (cycle.write === '0' && successes > 0 && allArmedDone && !(bus === 'armed' || bus === 'overflow')) {
		return {kind: 'completed', word: 'OK', tone: 'green', line: `activation completed: write returned 0, ${successes} DIMM(s) report success`, damage: []};
	}

	const stale = bus === 'armed' || bus === 'overflow' ? ` (the bus read ${bus} before the write)` : '';
	return {kind: 'unverified', word: 'UNVERIFIED', tone: 'yellow', line: `write returned ${cycle.write ?? '(not seen)'}; nothing read back after it${stale}, so the activation is not confirmed — read the bus and each DIMM's firmware/result`, damage: []};
}

export type PhaseRow = {id: string; mark: string; label: string; status: string; tone: Tone; elapsed: string; progress: string};

const phaseMarks: Record<PhaseStatus, string> = {pending: '·', running: '▶', done: '✓', failed: '✗', unwound: '↺', skipped: '-'};
const phaseTones: Record<PhaseStatus, Tone> = {pending: 'gray', running: 'cyan', done: 'green', failed: 'red', unwound: 'yellow', skipped: 'gray'};

export function duration(us: number): string {
	if (us < 1000) return `${Math.round(us)} µs`;
	if (us < 1_000_000) return `${(us / 1000).toFixed(1)} ms`;
	return `${(us / 1_000_000).toFixed(3)} s`;
}

/** The phase list; the activation row agrees with the outcome (a refused activation is not "done"). */
export function phaseRows(state: MonitorState, nowUs: number, evidence: Evidence = {}): PhaseRow[] {
	const cycle = state.cycle;
	if (!cycle) return [];
	const verdict = outcome(state, evidence);
	return cycle.phases.map(p => {
		let status = p.status.toUpperCase();
		let tone = phaseTones[p.status];
		let mark = phaseMarks[p.status];
		if (p.id === 'activation' && p.status === 'done') {
			if (verdict.kind === 'refused' || verdict.kind === 'overflow') {
				status = verdict.word;
				tone = 'red';
				mark = '✗';
			} else if (verdict.kind === 'damaged') {
				status = 'DAMAGE';
				tone = 'yellow';
				mark = '!';
			} else if (verdict.kind === 'unverified') {
				status = 'UNCONF.';
				tone = 'yellow';
				mark = '?';
			}
		}

		if (p.id === 'activation' && (p.status === 'pending' || p.status === 'skipped') && verdict.kind === 'never-reached') status = 'NOT RUN';
		const elapsed = p.startUs === undefined ? '' : duration(Math.max(0, (p.endUs ?? (p.status === 'running' ? nowUs : p.startUs)) - p.startUs));
		const progress = p.progress ? `${p.progress.done}${p.progress.total === undefined ? '' : `/${p.progress.total}`} ${p.progress.what}` : p.detail && p.status === 'failed' ? p.detail : '';
		return {id: p.id, mark, label: p.label, status, tone, elapsed, progress};
	});
}

export type QuiesceView = {
	title: string;
	tone: Tone;
	/** The one number shown big, and what it measures. */
	numberUs?: number;
	numberLabel: string;
	/** Platform maximum, when known (a simulated scenario gives it). */
	budgetUs?: number;
	lines: Array<{text: string; tone?: Tone}>;
	frozen: FrozenClock;
	live: boolean;
};

export type FrozenClock = {label: string; short: string; us?: number; counting: boolean};

/**
 * How long user space has been frozen — counting up while the freeze runs.
 * Before the kernel prints anything (the freezer's line only shows when it
 * ends, pr_cont), the operator's write is the evidence that the freeze began.
 */
export function frozenClock(state: MonitorState, nowUs: number): FrozenClock {
	const cycle = state.cycle;
	if (!cycle) return {label: 'User space frozen', short: 'Frozen', counting: false};
	if (cycle.userFrozenFromUs !== undefined) {
		const to = cycle.userFrozenToUs ?? (cycle.status === 'running' ? nowUs : cycle.endUs ?? nowUs);
		return {label: 'User space frozen', short: 'Frozen', us: Math.max(0, to - cycle.userFrozenFromUs), counting: cycle.userFrozenToUs === undefined && cycle.status === 'running'};
	}

	if (cycle.kind === 'fwa-quiesce') {
		const to = cycle.status === 'running' ? nowUs : cycle.endUs ?? nowUs;
		return {label: cycle.status === 'running' ? 'Write blocked, freezing' : 'Write blocked for', short: cycle.status === 'running' ? 'Freezing' : 'Blocked', us: Math.max(0, to - cycle.startUs), counting: cycle.status === 'running'};
	}

	return {label: 'User space frozen', short: 'Frozen', counting: false};
}

export function quiesceView(state: MonitorState, nowUs: number, evidence: Evidence = {}): QuiesceView {
	const cycle = state.cycle;
	const verdict = outcome(state, evidence);
	const frozen = frozenClock(state, nowUs);
	const live = cycle?.kind === 'fwa-live';
	const lines: QuiesceView['lines'] = [];
	const budgetUs = state.quiesce.budgetUs;
	if (!cycle || !isActivation(cycle)) {
		return {
			title: 'Memory quiesce',
			tone: cycle ? verdict.tone : 'gray',
			// While the cycle runs a later line may still show it to be an activation (a log alone says
			// so only from the activation's own lines): "not (yet) seen", not "none".
			numberLabel: !cycle ? 'no firmware activation yet' : cycle.status === 'running' ? 'no firmware activation seen in this cycle yet' : 'no firmware activation in this cycle',
			budgetUs,
			lines: cycle ? [{text: verdict.line, tone: verdict.tone}] : [{text: 'waiting for a write to the bus activate file', tone: 'gray'}],
			frozen,
			live: false,
		};
	}

	const act = activation(cycle)!;
	const numberUs = act.startUs === undefined ? undefined : Math.max(0, (act.endUs ?? (act.status === 'running' ? nowUs : act.startUs)) - act.startUs);
	lines.push({text: verdict.line, tone: verdict.tone});
	if (state.quiesce.stallUs !== undefined && verdict.kind !== 'refused' && verdict.kind !== 'overflow') {
		lines.push({text: `simulated platform stall: ${state.quiesce.stallUs} µs (inside the activation phase)`, tone: 'gray'});
	}

	if (state.quiesce.refusal) lines.push({text: `simulated: ${state.quiesce.refusal}`, tone: 'gray'});
	return {
		title: `Memory quiesce — ${verdict.word}`,
		tone: verdict.tone,
		numberUs,
		numberLabel: numberUs === undefined ? 'activation not started' : 'activation phase',
		budgetUs,
		lines,
		frozen,
		live,
	};
}

export type DeviceRowView = {key: string; text: string; tone: Tone; failed: boolean};

function fit(text: string, width: number): string {
	return text.length <= width ? text.padEnd(width, ' ') : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export const deviceHeader = `${'NAME'.padEnd(30)} ${'STATE'.padEnd(14)} DETAIL`;

/** Every row of the device list — failed ones first, then DIMMs by number, then devices. */
export function deviceRows(dimms: Record<string, DimmView>, devices: Record<string, DeviceView>): DeviceRowView[] {
	const rows: DeviceRowView[] = [];
	const dimmList = Object.values(dimms).sort((a, b) => Number(a.name.slice(4)) - Number(b.name.slice(4)));
	for (const d of dimmList) {
		const fw = d.current === undefined ? '' : `fw ${d.current ?? '?'}${d.next ? ` → ${d.next}` : ''}`;
		const failed = d.result === 'fail';
		const tone: Tone = failed ? 'red' : d.result === 'need_reset' || d.result === 'not_staged' ? 'yellow' : d.result === 'success' ? 'green' : undefined;
		rows.push({key: d.name, text: `${fit(d.name, 30)} ${fit(`${d.activate ?? '—'} / ${d.result ?? '—'}`, 14)} ${fw}`, tone, failed: failed || tone === 'yellow'});
	}

	for (const d of Object.values(devices)) {
		const dma = d.dmaInflight === undefined ? '' : `DMA ${d.dmaInflight} in flight${d.completionTimeoutUs === undefined ? '' : `, CTO ${d.completionTimeoutUs} µs`} (sim) `;
		const errors = d.errors.length > 0 ? `ERR ${d.errors.at(-1)}` : '';
		const failed = d.errors.length > 0;
		rows.push({key: d.name, text: `${fit(d.name, 30)} ${fit(d.pm, 14)} ${errors}${errors && dma ? ' · ' : ''}${dma}`.trimEnd(), tone: failed ? 'red' : d.dmaInflight ? 'yellow' : undefined, failed});
	}

	return [...rows.filter(r => r.failed), ...rows.filter(r => !r.failed)];
}

/**
 * What the warnings overlay (`w`) lists: the kernel's warnings and, for a simulation, the
 * simulator's own (state.simulated.warnings, each labelled "(simulated)"), oldest first.
 */
export type ListedWarning = Warning & {simulated?: boolean};

export function listedWarnings(state: MonitorState): ListedWarning[] {
	const simulated = state.simulated?.warnings ?? [];
	if (simulated.length === 0) return state.warnings;
	return [...state.warnings, ...simulated.map(w => ({...w, simulated: true}))].sort((a, b) => a.t - b.t);
}

/** One row per warning; the simulator's are marked "sim" up front (the row may be cut at the right edge). */
export function warningRows(warnings: ListedWarning[]): Array<{text: string; tone: Tone}> {
	return warnings.map(w => ({text: `${w.simulated ? 'sim ' : ''}${w.severity === 'crit' ? 'CRIT' : 'WARN'} ${formatStamp(w.t)} ${w.text}`, tone: w.severity === 'crit' ? 'red' : 'yellow'}));
}

/** Categories of the log filter (`f`). */
export const logCategories = ['all', 'errors', 'freezer', 'device PM', 'ACPI', 'nvdimm', 'other'] as const;
export type LogFilter = (typeof logCategories)[number];

const failureSignals = new Set(['freeze-failed', 'device-failed', 'callback-error', 'device-not-prepared', 'devices-failed', 'cycle-error', 'aer-completion-timeout', 'aer']);

/** A failure line (a recognised failure, or a record at level err or worse). */
export function isFailureLine(e: LogEvent): boolean {
	if (e.text.trim() === '') return false;
	const signal = recognise(e.text);
	// The recogniser's own list of what the kernel prints when something failed, every era's wording.
	if (signal !== undefined && (failureSignals.has(signal.type) || isFailureSignal(signal))) return true;
	if (signal?.type === 'device-callback' && signal.errno) return true;
	return e.level !== undefined && e.level <= 3;
}

export function logCategory(e: LogEvent): Exclude<LogFilter, 'all' | 'errors'> {
	const signal = recognise(e.text);
	if (!signal) return /\bnvdimm|\bnfit|\bnmem\d|\bndbus\d|\bpmem\d/i.test(e.text) ? 'nvdimm' : /ACPI/.test(e.text) ? 'ACPI' : 'other';
	const category = signalCategory[signal.type];
	if (category === 'freezer') return 'freezer';
	if (category === 'device-pm' || category === 'pcie') return 'device PM';
	if (category === 'acpi-sleep') return 'ACPI';
	if (category === 'nvdimm') return 'nvdimm';
	return 'other';
}

/** Lines of the log pane: the kernel log and the operator's reads and writes. */
export function matchesFilter(e: TimelineEvent, filter: LogFilter): boolean {
	if (filter === 'all') return true;
	if (e.kind === 'action') return filter === 'nvdimm' || (filter === 'errors' && e.result !== null && !e.result.ok);
	if (e.kind !== 'log') return false;
	if (filter === 'errors') return isFailureLine(e) || e.level === 4;
	return logCategory(e) === filter;
}
