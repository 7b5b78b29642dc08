/**
 * Selectors over MonitorState for printing: phase-change detection, a
 * compact JSON summary, and the outcome text of `replay --summary`.
 */
import {escapeControls} from '../escape.js';
import {formatStamp} from '../kernel/log-format.js';
import type {Cycle, MonitorState, Phase} from './state.js';
import {cycleLines, dimmLines, SummaryCollector, totalsLines} from './summary-document.js';

export function phaseKey(state: MonitorState): string {
	const cycle = state.cycle;
	if (!cycle) return '';
	return `${cycle.startUs}:${cycle.kind}:${cycle.status}:${cycle.phases.map(p => p.status[0]).join('')}`;
}

function ms(us: number): string {
	return us >= 1_000_000 ? `${(us / 1_000_000).toFixed(3)} s` : `${(us / 1000).toFixed(3)} ms`;
}

export function describePhase(p: Phase): string {
	const parts: string[] = [];
	if (p.startUs !== undefined && p.endUs !== undefined) parts.push(ms(p.endUs - p.startUs));
	if (p.progress) parts.push(`${p.progress.done}${p.progress.total === undefined ? '' : `/${p.progress.total}`} ${p.progress.what}`);
	if (p.detail) parts.push(p.detail);
	return `${p.label}: ${p.status}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`;
}

/** Phases whose status changed between two states of the same cycle. */
export function changedPhases(before: MonitorState, after: MonitorState): Phase[] {
	const cycle = after.cycle;
	if (!cycle) return [];
	const previous = before.cycle?.startUs === cycle.startUs ? before.cycle : undefined;
	return cycle.phases.filter((p, i) => p.status !== 'pending' && previous?.phases[i]?.status !== p.status);
}

export function cycleSummary(cycle: Cycle) {
	return {
		kind: cycle.kind,
		detail: cycle.detail,
		status: cycle.status,
		startUs: cycle.startUs,
		endUs: cycle.endUs,
		failure: cycle.failure,
		write: cycle.write,
		userFrozenUs: cycle.userFrozenFromUs !== undefined && cycle.userFrozenToUs !== undefined ? cycle.userFrozenToUs - cycle.userFrozenFromUs : undefined,
		refusing: cycle.refusing,
		phases: cycle.phases.map(p => ({id: p.id, status: p.status, startUs: p.startUs, endUs: p.endUs, progress: p.progress, detail: p.detail})),
	};
}

export function countBy(values: Array<string | undefined>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const v of values) counts[v ?? 'unknown'] = (counts[v ?? 'unknown'] ?? 0) + 1;
	return counts;
}

/** The derived state in a compact, comparable form (for --json and tests). */
export function stateSummary(state: MonitorState) {
	const dimms = Object.values(state.dimms);
	return {
		cycle: state.cycle ? cycleSummary(state.cycle) : undefined,
		quiesce: state.quiesce,
		bus: state.bus,
		dimms: {count: dimms.length, activate: countBy(dimms.map(d => d.activate)), result: countBy(dimms.map(d => d.result))},
		deviceErrors: Object.values(state.devices).filter(d => d.errors.length > 0).map(d => ({device: d.name, errors: d.errors})),
		warnings: state.warnings.length,
	};
}

/** The lines after the cycles and totals: /sys/power, the quiesce, the bus and DIMMs, device errors, warnings. */
export function stateLines(state: MonitorState): string[] {
	const lines: string[] = [];
	const power = ['mem_sleep', 'disk', 'pm_freeze_timeout', 'pm_debug_messages', 'pm_print_times', 'pm_test'].filter(k => state.power[k] !== undefined);
	if (power.length > 0) lines.push(`/sys/power: ${power.map(k => `${k}=${state.power[k]!.trim()}`).join(', ')}`);
	const q = state.quiesce;
	if (q.stallUs !== undefined) lines.push(`memory quiesce: ${q.stallUs} µs of ${q.budgetUs ?? '?'} µs budget`);
	if (q.refusal) lines.push(`platform: ${q.refusal}`);
	lines.push(...dimmLines(state));
	const dimms = Object.values(state.dimms).filter(d => d.activate !== undefined || d.result !== undefined);
	if (dimms.length > 0) {
		const results = countBy(dimms.map(d => d.result));
		const activate = countBy(dimms.map(d => d.activate));
		lines.push(`DIMMs: ${dimms.length}; activate: ${Object.entries(activate).map(([k, v]) => `${v} ${k}`).join(', ')}; results: ${Object.entries(results).map(([k, v]) => `${v} ${k}`).join(', ')}`);
	}

	for (const device of Object.values(state.devices)) if (device.errors.length > 0) lines.push(`device ${device.name}: ${device.errors.join('; ')}`);
	for (const w of state.warnings) lines.push(`${w.severity === 'crit' ? 'CRIT' : 'WARN'} ${formatStamp(w.t)} ${w.text}`);
	// Task names, device names and messages come from the log: never raw to a terminal.
	return lines.map(line => escapeControls(line, true));
}

/** `replay --summary` of a state already reduced (the cycles it still holds, the totals it counted). */
export function summaryText(state: MonitorState): string {
	const collector = new SummaryCollector(Number.POSITIVE_INFINITY);
	for (const cycle of state.cycles) collector.take(cycle);
	if (state.cycle) collector.take(state.cycle);
	const lines: string[] = [];
	if (collector.kept.length === 0) lines.push('no suspend, hibernation or firmware-activation cycle in this trace');
	for (const doc of collector.kept) lines.push(...cycleLines(doc));
	lines.push(...totalsLines(collector.totals(state)), ...stateLines(state));
	return lines.join('\n');
}
