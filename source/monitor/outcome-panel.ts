/**
 * What the outcome panel says when a run ends: the verdict of selectors.ts
 * (never contradicted, never "OK" unless it says so) and one line of facts —
 * the DIMMs' results, how long user space was frozen, the memory quiesce
 * against its budget, the collateral damage — all from the evidence-only
 * state. Figures only the simulator knows (the platform's stall, its budget)
 * are labelled "(sim)", as the quiesce pane labels them.
 */
import {collateralDamage, duration, frozenClock, outcome, type Evidence, type Tone} from './selectors.js';
import type {MonitorState} from './state.js';

export type OutcomePanelView = {
	/** The verdict's word (OK, NEVER REACHED, OVERFLOW, …). */
	word: string;
	tone: Tone;
	/** What happened, in the verdict's words. */
	verdict: string;
	/** The facts, each short: joined with " · " on screen. */
	facts: string[];
};

export function outcomePanel(state: MonitorState, evidence: Evidence, nowUs: number): OutcomePanelView {
	const verdict = outcome(state, evidence);
	const facts: string[] = [];
	const cycle = state.cycle;
	if (state.totals.cycles > 1) facts.push(`${state.totals.cycles} cycles: ${state.totals.ok} completed, ${state.totals.failed} failed${state.totals.incomplete > 0 ? `, ${state.totals.incomplete} incomplete` : ''}`);
	const dimms = Object.values(state.dimms);
	if (dimms.length > 0) {
		const counts = new Map<string, number>();
		for (const d of dimms) counts.set(d.result ?? 'not read', (counts.get(d.result ?? 'not read') ?? 0) + 1);
		facts.push(`DIMM results: ${[...counts].map(([result, n]) => `${n} ${result}`).join(', ')}`);
	}

	if (cycle) {
		const frozen = frozenClock(state, nowUs);
		if (frozen.us !== undefined) facts.push(`${frozen.label.toLowerCase()} ${duration(frozen.us)}`);
	}

	const act = cycle?.phases.find(p => p.id === 'activation');
	if (cycle && (cycle.kind === 'fwa-quiesce' || cycle.kind === 'fwa-live')) {
		const budget = state.quiesce.budgetUs === undefined ? '' : ` of ${duration(state.quiesce.budgetUs)} budget (sim)`;
		if (act?.startUs === undefined || act.status === 'pending' || act.status === 'skipped') facts.push('memory quiesce never reached');
		else if (state.quiesce.stallUs !== undefined && verdict.kind !== 'refused' && verdict.kind !== 'overflow') facts.push(`memory quiesce ${duration(state.quiesce.stallUs)}${budget}`);
		else if (act.endUs !== undefined) facts.push(`activation phase ${duration(act.endUs - act.startUs)}${budget}`);
	}

	// A damaged verdict names the damage itself; the others say whether any was seen.
	if (cycle && verdict.kind !== 'damaged') {
		const damage = collateralDamage(state);
		facts.push(damage.length === 0 ? 'no collateral damage seen' : `collateral: ${damage[0]}${damage.length > 1 ? ` (+${damage.length - 1} more)` : ''}`);
	}

	return {word: verdict.word, tone: verdict.tone, verdict: verdict.kind === 'no-cycle' ? 'no freeze cycle in this timeline' : verdict.line, facts};
}
