/**
 * The risk report as lines of text, each with a tone: printed plain in a
 * pipe, coloured by Ink in a terminal. Histograms are one row of block
 * characters with a row of percentile markers under it.
 */
import type {OutcomeKind} from '../sim/outcome.js';
import type {Estimate, Histogram, Percentiles, RiskReport} from './report.js';

export type Line = {text: string; tone?: 'red' | 'yellow' | 'green' | 'cyan' | 'gray'; bold?: boolean};

const pct = (x: number) => `${(x * 100).toFixed(2).padStart(6)} %`;
const ci = (e: Estimate) => `[${(e.low * 100).toFixed(2)}, ${(e.high * 100).toFixed(2)}]`;

function us(v: number): string {
	if (v >= 1_000_000) return `${(v / 1_000_000).toFixed(3)} s`;
	if (v >= 10_000) return `${(v / 1000).toFixed(1)} ms`;
	return `${Math.round(v)} µs`;
}

const blocks = ' ▁▂▃▄▅▆▇█';

export function histogramLines(h: Histogram, marks: Array<[string, number]>, indent = '  '): Line[] {
	if (h.counts.length === 0) return [{text: `${indent}(no values)`, tone: 'gray'}];
	const top = Math.max(...h.counts);
	const row = h.counts.map(c => blocks[c === 0 ? 0 : Math.max(1, Math.round((c / top) * 8))]).join('');
	const markers = Array.from({length: h.counts.length}, () => ' ');
	const labels: string[] = [];
	const end = h.from + h.width * h.counts.length;
	for (const [name, value] of marks) {
		if (value < h.from || value > end) {
			labels.push(`${name} ${us(value)} (${value > end ? 'beyond the right edge' : 'before the left edge'})`);
			continue;
		}

		markers[Math.min(h.counts.length - 1, Math.floor((value - h.from) / h.width))] = '^';
		labels.push(`${name} ${us(value)}`);
	}

	return [
		{text: `${indent}${row}  ${us(h.from)} … ${us(h.from + h.width * h.counts.length)}`, tone: 'cyan'},
		{text: `${indent}${markers.join('')}  ^ ${labels.join(', ')}`, tone: 'gray'},
	];
}

const failureKinds: OutcomeKind[] = ['freeze-failed', 'device-error', 'dma-timeout', 'platform-abort', 'overflow', 'dimm-fail', 'need-reset', 'not-staged', 'refused'];

function percentileText(p: Percentiles): string {
	return `p50 ${us(p.p50)}  p90 ${us(p.p90)}  p99 ${us(p.p99)}  max ${us(p.max)}`;
}

export function reportLines(r: RiskReport): Line[] {
	const lines: Line[] = [];
	lines.push({text: `risk: ${r.scenario} — ${r.method}, ${r.runs} runs${r.complete ? '' : ` of ${r.requested} (stopped early)`}, seed ${r.seed}`, bold: true});
	lines.push({text: 'outcome            probability   95 % interval'});
	for (const [kind, e] of Object.entries(r.outcomes) as Array<[OutcomeKind, Estimate]>) {
		if (e.count === 0 && kind !== 'success') continue;
		lines.push({text: `${kind.padEnd(18)} ${pct(e.p)}     ${ci(e)}`, tone: kind === 'success' ? 'green' : failureKinds.includes(kind) ? 'red' : undefined});
	}

	const zero = failureKinds.filter(k => r.outcomes[k].count === 0);
	if (zero.length > 0) lines.push({text: `not seen (each < ${(wilsonUpperForZero(r.runs) * 100).toFixed(2)} % at 95 %): ${zero.join(', ')}`, tone: 'gray'});
	if (r.method === 'quiesce') {
		lines.push({text: `user space frozen  ${percentileText(r.frozen)}`, bold: true});
		lines.push(...histogramLines(r.frozen.histogram, [['p50', r.frozen.p50], ['p90', r.frozen.p90], ['p99', r.frozen.p99]]));
	}

	lines.push({text: `memory quiesce     ${percentileText(r.stall)}  (budget ${us(r.stall.budgetUs)}; over budget ${pct(r.stall.overBudget.p).trim()})`, bold: true});
	lines.push(...histogramLines(r.stall.histogram, [['p50', r.stall.p50], ['p99', r.stall.p99], ['budget', r.stall.budgetUs]]));
	for (const [device, e] of Object.entries(r.dmaTimeouts)) lines.push({text: `DMA timeout on ${device}: ${pct(e.p).trim()} ${ci(e)}`, tone: 'red'});
	const risky = Object.entries(r.dimms).filter(([, results]) => Object.keys(results).some(k => k !== 'success'));
	for (const [dimm, results] of risky.slice(0, 12)) {
		lines.push({text: `${dimm}: ${Object.entries(results).map(([result, e]) => `${result} ${pct(e.p).trim()}`).join(', ')}`, tone: 'yellow'});
	}

	if (risky.length > 12) lines.push({text: `… and ${risky.length - 12} more DIMMs with results other than success`, tone: 'yellow'});
	if (r.contributors.length > 0) {
		lines.push({text: 'top contributors to failure', bold: true});
		for (const [i, c] of r.contributors.entries()) lines.push({text: `${String(i + 1).padStart(2)}. ${c.cause}: ${pct(c.p).trim()} ${ci(c)}`, tone: 'red'});
	}

	return lines;
}

/** Upper 95 % Wilson bound when an outcome was never seen in n runs. */
function wilsonUpperForZero(n: number): number {
	const z2 = 1.96 * 1.96;
	return z2 / (n + z2);
}

/** Two reports side by side: what the freeze buys. */
export function compareLines(quiesce: RiskReport, live: RiskReport): Line[] {
	const lines: Line[] = [{text: `risk: ${quiesce.scenario} — quiesce vs live, the same ${quiesce.runs} draws (seed ${quiesce.seed})`, bold: true}, {text: `${'outcome'.padEnd(18)} ${'quiesce'.padStart(22)}   ${'live'.padStart(22)}`}];
	for (const kind of Object.keys(quiesce.outcomes) as OutcomeKind[]) {
		const a = quiesce.outcomes[kind];
		const b = live.outcomes[kind];
		if (a.count === 0 && b.count === 0 && kind !== 'success') continue;
		lines.push({text: `${kind.padEnd(18)} ${`${pct(a.p)} ${ci(a)}`.padStart(22)}   ${`${pct(b.p)} ${ci(b)}`.padStart(22)}`, tone: kind === 'success' ? 'green' : 'red'});
	}

	lines.push({text: `user space frozen  quiesce p50 ${us(quiesce.frozen.p50)}, p99 ${us(quiesce.frozen.p99)}; live: never frozen`});
	lines.push({text: `memory quiesce     quiesce p50 ${us(quiesce.stall.p50)}; live p50 ${us(live.stall.p50)} (budget ${us(quiesce.stall.budgetUs)})`});
	const devices = new Set([...Object.keys(quiesce.dmaTimeouts), ...Object.keys(live.dmaTimeouts)]);
	for (const d of devices) lines.push({text: `DMA timeout on ${d}: quiesce ${pct(quiesce.dmaTimeouts[d]?.p ?? 0).trim()}, live ${pct(live.dmaTimeouts[d]?.p ?? 0).trim()}`, tone: 'red'});
	return lines;
}
