/**
 * What a run came to, in the terms an operator uses, from the activation
 * writes and the host's final state. One line for the summary; the data for
 * --json and for grading.
 */
import {errnoCode, type ErrnoName} from '../kernel/errno.js';
import type {FaultEvent} from '../events.js';
import type {ActivateResult} from '../kernel/sysfs.js';
import type {Host} from './host.js';
import type {ActivationRun} from './quiet-exec-run.js';

export const outcomeKinds = [
	'freeze-failed',
	'device-error',
	'dma-timeout',
	'platform-abort',
	'overflow',
	'dimm-fail',
	'need-reset',
	'not-staged',
	'refused',
	'no-activation',
	'success',
] as const;

export type OutcomeKind = (typeof outcomeKinds)[number];

export type Outcome = {
	kind: OutcomeKind;
	method?: string;
	/** What the last activation write returned: "0" or "-16 (EBUSY)". */
	write?: string;
	dimms: Record<ActivateResult, number> & {armed: number};
	userFrozenUs: number;
	stallUs: number;
	budgetUs: number;
	estimateUs: number;
	dmaTimeouts: string[];
	failedStep?: string;
	deviceErrors: string[];
	activations: number;
};

const freezeSteps = new Set(['freeze_processes', 'freeze_kernel_threads']);

/**
 * What one activation write came to: the kernel-visible answer (the write's
 * errno) and, for the cause, the faults that fired while it ran (sim/faults.ts)
 * — never the host's state.
 */
function runKind(run: ActivationRun): OutcomeKind {
	const fired = (point: FaultEvent['point']) => run.faults.filter(f => f.point === point);
	if (run.errno) {
		if (fired('task-wont-freeze').length > 0 || (run.failedStep && freezeSteps.has(run.failedStep))) return 'freeze-failed';
		if (fired('callback-error').length > 0) return 'device-error';
		return 'refused';
	}

	if (!run.activation) return 'refused';
	if (fired('dma-not-stopped').some(f => f.data?.['timedOut'] === true)) return 'dma-timeout';
	if (fired('platform-abort').length > 0) return 'platform-abort';
	if (fired('overflow').length > 0) return 'overflow';
	const results = fired('dimm-result').map(f => f.data?.['result']);
	if (results.includes('fail')) return 'dimm-fail';
	if (results.includes('need_reset')) return 'need-reset';
	if (results.includes('not_staged')) return 'not-staged';
	return run.activation.status === 'SUCCESS' ? 'success' : 'refused';
}

export function summarise(runs: readonly ActivationRun[], host: Host): Outcome {
	const kinds = runs.map(run => runKind(run));
	const kind = runs.length === 0 ? 'no-activation' : outcomeKinds.find(k => kinds.includes(k)) ?? 'success';
	const last = runs.at(-1);
	const dimms = {none: 0, success: 0, fail: 0, not_staged: 0, need_reset: 0, armed: 0};
	for (const dimm of host.dimms) {
		dimms[dimm.pendingResult ?? dimm.result]++;
		if (dimm.armed) dimms.armed++;
	}

	const activation = runs.map(r => r.activation).findLast(a => a !== undefined);
	return {
		kind,
		method: last?.method,
		write: last ? writeText(last.errno) : undefined,
		dimms,
		userFrozenUs: runs.reduce((sum, r) => sum + (r.frozenFromUs !== undefined && r.frozenToUs !== undefined ? r.frozenToUs - r.frozenFromUs : 0), 0),
		stallUs: activation?.stallUs ?? 0,
		budgetUs: activation?.budgetUs ?? host.bus.maxQuiesceUs,
		estimateUs: activation?.estimateUs ?? host.activateEstimateUs(),
		dmaTimeouts: runs.flatMap(r => r.faults.filter(f => f.point === 'dma-not-stopped' && f.data?.['timedOut'] === true).map(f => f.target!)),
		failedStep: runs.map(r => r.failedStep).findLast(s => s !== undefined),
		deviceErrors: host.devices.filter(d => d.errors.length > 0).map(d => `${d.driver} ${d.name}: ${d.errors.join('; ')}`),
		activations: runs.filter(r => r.activation).length,
	};
}

function writeText(errno: ErrnoName | undefined): string {
	return errno ? `-${errnoCode(errno)} (${errno})` : '0';
}

const headline: Record<OutcomeKind, string> = {
	success: 'success',
	'freeze-failed': 'FAILED: tasks refused to freeze',
	'device-error': 'FAILED: a device PM callback failed',
	'dma-timeout': 'DMA TIMEOUT during the memory quiesce',
	'platform-abort': 'platform aborted the activation',
	overflow: 'OVERFLOW: activation exceeds the platform quiesce budget',
	'dimm-fail': 'activation failed on some DIMMs',
	'need-reset': 'DIMMs need a power cycle (need_reset)',
	'not-staged': 'DIMMs had no staged image (not_staged)',
	refused: 'the write was refused',
	'no-activation': 'no activation was triggered',
};

function seconds(us: number): string {
	return (us / 1_000_000).toFixed(3);
}

/** The one-line summary that ends a headless run. */
export function outcomeLine(outcome: Outcome): string {
	const parts = [`outcome ${outcome.kind}: ${headline[outcome.kind]}`];
	if (outcome.method) parts.push(`${outcome.method} write returned ${outcome.write}`);
	const total = outcome.dimms.success + outcome.dimms.fail + outcome.dimms.need_reset + outcome.dimms.not_staged;
	parts.push(`DIMMs: ${outcome.dimms.success} success${(['fail', 'need_reset', 'not_staged'] as const).map(r => (outcome.dimms[r] ? `, ${outcome.dimms[r]} ${r}` : '')).join('')}${outcome.dimms.armed ? `, ${outcome.dimms.armed} still armed` : ''}${total === 0 && !outcome.dimms.armed ? ' (none activated)' : ''}`);
	if (outcome.method === 'quiesce') parts.push(outcome.userFrozenUs > 0 ? `user space frozen ${seconds(outcome.userFrozenUs)} s` : 'user space never frozen');
	parts.push(outcome.stallUs > 0 ? `memory quiesce ${outcome.stallUs} µs of ${outcome.budgetUs} µs budget` : `no memory quiesce (estimate ${outcome.estimateUs} µs, budget ${outcome.budgetUs} µs)`);
	if (outcome.dmaTimeouts.length > 0) parts.push(`DMA timed out on ${outcome.dmaTimeouts.join(', ')}`);
	if (outcome.failedStep) parts.push(`failed at ${outcome.failedStep}`);
	return parts.join('; ');
}
