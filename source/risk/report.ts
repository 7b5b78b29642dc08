/**
 * Turning runs into a risk report: the probability of each outcome with its
 * Wilson 95 % interval, percentiles of frozen time and of the memory quiesce
 * against the budget, DMA timeouts by device, per-DIMM results, and the top
 * contributors to failure.
 */
import {outcomeKinds, type OutcomeKind} from '../sim/outcome.js';
import type {RunResult} from './run.js';

export type Estimate = {count: number; p: number; low: number; high: number};

/** Wilson score interval for k successes in n trials (z = 1.96 for 95 %). */
export function wilson(k: number, n: number, z = 1.96): Estimate {
	if (n === 0) return {count: 0, p: 0, low: 0, high: 1};
	const p = k / n;
	const z2 = z * z;
	const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
	return {count: k, p, low: Math.max(0, centre - half), high: Math.min(1, centre + half)};
}

export type Percentiles = {p50: number; p90: number; p99: number; max: number};

export function percentiles(values: number[]): Percentiles {
	const sorted = Float64Array.from(values).sort();
	const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
	return {p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!};
}

export type Histogram = {from: number; width: number; counts: number[]};

export function histogram(values: number[], bins = 24): Histogram {
	if (values.length === 0) return {from: 0, width: 1, counts: []};
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	for (const v of values) {
		min = Math.min(min, v);
		max = Math.max(max, v);
	}

	const width = Math.max(1, (max - min) / bins);
	const counts = Array.from({length: bins}, () => 0);
	for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]!++;
	return {from: min, width, counts};
}

export type RiskReport = {
	scenario: string;
	method: string;
	seed: number;
	runs: number;
	requested: number;
	complete: boolean;
	outcomes: Record<OutcomeKind, Estimate>;
	dmaTimeouts: Record<string, Estimate>;
	dimms: Record<string, Record<string, Estimate>>;
	frozen: Percentiles & {histogram: Histogram};
	stall: Percentiles & {budgetUs: number; overBudget: Estimate; histogram: Histogram};
	contributors: Array<{cause: string} & Estimate>;
};

export function report(results: readonly RunResult[], meta: {scenario: string; method: string; seed: number; requested: number}): RiskReport {
	const n = results.length;
	const count = (pred: (r: RunResult) => boolean) => {
		let k = 0;
		for (const r of results) if (pred(r)) k++;
		return wilson(k, n);
	};

	const outcomes = Object.fromEntries(outcomeKinds.map(kind => [kind, count(r => r.kind === kind)])) as Record<OutcomeKind, Estimate>;
	const devices = new Set(results.flatMap(r => r.dmaTimeouts));
	const dmaTimeouts = Object.fromEntries([...devices].sort().map(device => [device, count(r => r.dmaTimeouts.includes(device))]));
	const dimmNames = new Set(results.flatMap(r => Object.keys(r.dimms)));
	const dimms: RiskReport['dimms'] = {};
	for (const name of [...dimmNames].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))) {
		const values = new Set(results.map(r => r.dimms[name] ?? 'not armed'));
		dimms[name] = Object.fromEntries([...values].sort().map(v => [v, count(r => (r.dimms[name] ?? 'not armed') === v)]));
	}

	const causes = new Map<string, number>();
	for (const r of results) for (const cause of new Set(r.causes)) causes.set(cause, (causes.get(cause) ?? 0) + 1);
	const contributors = [...causes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([cause, k]) => ({cause, ...wilson(k, n)}));
	const frozen = results.map(r => r.userFrozenUs);
	const stalls = results.filter(r => r.stallUs > 0).map(r => r.stallUs);
	const budgetUs = results[0]?.budgetUs ?? 0;
	return {
		...meta,
		runs: n,
		complete: n === meta.requested,
		outcomes,
		dmaTimeouts,
		dimms,
		frozen: {...percentiles(frozen), histogram: histogram(frozen)},
		stall: {...percentiles(stalls), budgetUs, overBudget: count(r => r.stallUs > r.budgetUs), histogram: histogram(stalls)},
		contributors,
	};
}
