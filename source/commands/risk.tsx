/**
 * `quiesce risk`: N seeded simulations, a report of what can go wrong and
 * how likely. In a terminal: a progress bar (runs/s, time left) and the
 * report drawn by Ink; in a pipe: plain text; --json for tools. Ctrl-C stops
 * early and reports on the runs done, with their confidence intervals.
 */
import process from 'node:process';
import type {ActivationMethod} from '../kernel/sysfs.js';
import {compareLines, reportLines, type Line} from '../risk/format.js';
import {defaultThreads, runMany} from '../risk/pool.js';
import {report, type RiskReport} from '../risk/report.js';
import {withMethod} from '../risk/run.js';
import {loadScenario} from '../sim/scenario.js';
import {UsageError} from './errors.js';
import {jsonVersion} from '../json-version.js';

export type RiskArgs = {scenario: string; runs: number; seed: number; method?: ActivationMethod; compare: boolean; json: boolean; threads?: number};

export type RiskResult = {reports: RiskReport[]; lines: Line[]};

export async function computeRisk(args: RiskArgs, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<RiskResult> {
	if (!Number.isInteger(args.runs) || args.runs < 1 || args.runs > 10_000_000) throw new UsageError(`--runs: expected a whole number from 1 to 10000000, got ${args.runs}`);
	const base = loadScenario(args.scenario);
	const methods: ActivationMethod[] = args.compare ? ['quiesce', 'live'] : [args.method ?? base.method];
	const threads = args.threads ?? defaultThreads(args.runs);
	const reports: RiskReport[] = [];
	for (const [i, method] of methods.entries()) {
		const scenario = withMethod(base, method);
		const results = await runMany({scenario, runs: args.runs, seed: args.seed, threads, signal, onProgress: done => onProgress?.(i * args.runs + done, methods.length * args.runs)});
		reports.push(report(results, {scenario: base.name, method, seed: args.seed, requested: args.runs}));
		if (signal?.aborted) break;
	}

	const lines = reports.length === 2 ? compareLines(reports[0]!, reports[1]!) : reportLines(reports[0]!);
	return {reports, lines};
}

export async function runRisk(args: RiskArgs): Promise<void> {
	const controller = new AbortController();
	const stop = () => controller.abort();
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	try {
		if (args.json || !process.stdout.isTTY) {
			const result = await computeRisk(args, undefined, controller.signal);
			process.stdout.write(args.json ? result.reports.map(r => JSON.stringify({version: jsonVersion, ...r})).join('\n') + '\n' : result.lines.map(l => l.text).join('\n') + '\n');
			return;
		}

		// The progress screen (Ink, React) is loaded only here: --json and piped runs never parse it.
		const {showRisk} = await import('../ui/risk-app.js');
		await showRisk(args, controller, computeRisk);
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}
}
