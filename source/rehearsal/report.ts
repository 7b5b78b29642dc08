/** The after-action report of a drill: score, timeline, what went well, each mistake and why it matters. */
import {formatStamp} from '../kernel/log-format.js';
import type {Drill} from './drill.js';
import {frozenMs, rules, type RuleContext, type RuleId} from './rules.js';
import type {DrillSession} from './session.js';

export type DrillReport = {
	drill: string;
	seed: number;
	score: number;
	points: {earned: number; possible: number};
	wentWell: Array<{rule: RuleId; title: string; detail: string}>;
	mistakes: Array<{rule: RuleId; title: string; detail: string; why: string}>;
	timeline: Array<{at: string; command: string; answer: string}>;
	timeTakenS: number;
	userFrozenMs: number;
	dimmsActivated: number;
	collateral: string[];
};

export function grade(session: DrillSession): DrillReport {
	const initial = session.initial;
	const drill: Drill = session.drill;
	const context: RuleContext = {records: session.records, sim: session.sim, runs: session.sim.runs, maxFrozenMs: drill.maxFrozenMs, initial};
	const wentWell: DrillReport['wentWell'] = [];
	const mistakes: DrillReport['mistakes'] = [];
	let earned = 0;
	let possible = 0;
	for (const entry of drill.rules) {
		const id = typeof entry === 'string' ? entry : entry.id;
		const points = typeof entry === 'string' ? 10 : entry.points;
		const rule = rules[id];
		const verdict = rule.judge(context);
		possible += points;
		if (verdict.ok) {
			earned += points;
			wentWell.push({rule: id, title: rule.title, detail: verdict.detail});
		} else mistakes.push({rule: id, title: rule.title, detail: verdict.detail, why: rule.why});
	}

	const first = session.records[0]?.t ?? session.sim.now;
	return {
		drill: drill.name,
		seed: session.seed,
		score: possible === 0 ? 100 : Math.round((earned / possible) * 100),
		points: {earned, possible},
		wentWell,
		mistakes,
		timeline: session.records.map(r => ({at: formatStamp(r.t), command: r.command, answer: r.answer})),
		timeTakenS: Math.round((session.sim.now - first) / 1000) / 1000,
		userFrozenMs: Math.round(frozenMs(context) * 1000) / 1000,
		dimmsActivated: session.sim.host.dimms.filter(d => d.result === 'success' || d.pendingResult === 'success').length,
		collateral: session.sim.host.devices.filter(d => d.errors.length > 0).map(d => `${d.driver} ${d.name}: ${d.errors.join('; ')}`),
	};
}

export function reportMarkdown(r: DrillReport, drill: Drill): string {
	const lines = [
		`# Drill report: ${r.drill}`,
		'',
		`**Score: ${r.score}/100** (${r.points.earned} of ${r.points.possible} points) · seed ${r.seed}`,
		'',
		`${drill.description}`,
		'',
		`- time taken: ${r.timeTakenS.toFixed(1)} s`,
		`- user space frozen: ${r.userFrozenMs.toFixed(1)} ms${drill.maxFrozenMs ? ` (allowed: ${drill.maxFrozenMs} ms)` : ''}`,
		`- DIMMs activated: ${r.dimmsActivated}`,
		`- collateral damage: ${r.collateral.length === 0 ? 'none' : r.collateral.join('; ')}`,
		'',
		'## What went well',
		...(r.wentWell.length === 0 ? ['- nothing yet'] : r.wentWell.map(w => `- ${w.title}: ${w.detail}`)),
		'',
		'## Mistakes',
		...(r.mistakes.length === 0 ? ['- none'] : r.mistakes.flatMap(m => [`- **${m.title}** — ${m.detail}.`, `  Why it matters: ${m.why}`])),
		'',
		'## Timeline',
		'',
		'| time | command | kernel answer |',
		'|---|---|---|',
		...r.timeline.map(t => `| ${t.at} | \`${t.command}\` | ${t.answer.replaceAll('\n', '<br>').replaceAll('|', '\\|')} |`),
		'',
	];
	return lines.join('\n');
}

export function reportSummary(r: DrillReport): string[] {
	return [
		`Score: ${r.score}/100 — ${r.dimmsActivated} DIMM(s) activated, user space frozen ${r.userFrozenMs.toFixed(1)} ms, ${r.collateral.length === 0 ? 'no collateral damage' : `collateral: ${r.collateral.join('; ')}`}`,
		...r.mistakes.flatMap(m => [`MISTAKE ${m.title}: ${m.detail}`, `  why: ${m.why}`]),
		...r.wentWell.map(w => `ok ${w.title}`),
	];
}
