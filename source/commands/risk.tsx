/**
 * `quiesce risk`: N seeded simulations, a report of what can go wrong and
 * how likely. In a terminal: a progress bar (runs/s, time left) and the
 * report drawn by Ink; in a pipe: plain text; --json for tools. Ctrl-C stops
 * early and reports on the runs done, with their confidence intervals.
 */
import process from 'node:process';
import {performance} from 'node:perf_hooks';
import {Box, Text, render, useApp, useInput} from 'ink';
import {useEffect, useState} from 'react';
import type {ActivationMethod} from '../kernel/sysfs.js';
import {compareLines, reportLines, type Line} from '../risk/format.js';
import {defaultThreads, runMany} from '../risk/pool.js';
import {report, type RiskReport} from '../risk/report.js';
import {withMethod} from '../risk/run.js';
import {loadScenario} from '../sim/scenario.js';
import {colorEnabled} from '../ui/theme.js';
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

function LineView({line}: {line: Line}) {
	return (
		<Text color={colorEnabled ? line.tone : undefined} bold={line.bold} wrap="truncate">
			{line.text}
		</Text>
	);
}

function RiskApp({args, controller}: {args: RiskArgs; controller: AbortController}) {
	const {exit} = useApp();
	const [progress, setProgress] = useState({done: 0, total: args.runs * (args.compare ? 2 : 1)});
	const [lines, setLines] = useState<Line[] | undefined>();
	const [error, setError] = useState<string | undefined>();
	const [start] = useState(() => performance.now());
	useInput((input, key) => {
		if ((key.ctrl && input === 'c') || input === 'q') controller.abort();
	});
	useEffect(() => {
		let last = 0;
		computeRisk(args, (done, total) => {
			const now = performance.now();
			if (now - last > 100 || done === total) {
				last = now;
				setProgress({done, total});
			}
		}, controller.signal)
			.then(result => setLines(result.lines))
			.catch((error_: Error) => setError(error_.message));
	}, []);
	useEffect(() => {
		if (lines || error) setTimeout(exit, 0);
	}, [lines, error]);
	if (error) return <Text color="red">quiesce: {error}</Text>;
	if (lines) return <Box flexDirection="column">{lines.map((line, i) => <LineView key={i} line={line} />)}</Box>;
	const seconds = (performance.now() - start) / 1000;
	const rate = progress.done / Math.max(seconds, 0.001);
	const left = rate > 0 ? (progress.total - progress.done) / rate : 0;
	const width = 40;
	const filled = Math.round((progress.done / progress.total) * width);
	return (
		<Text>
			<Text color={colorEnabled ? 'cyan' : undefined}>{'█'.repeat(filled)}{'░'.repeat(width - filled)}</Text> {progress.done}/{progress.total} runs · {rate.toFixed(0)} runs/s · {left.toFixed(1)} s left · Ctrl-C stops and reports
		</Text>
	);
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

		const instance = render(<RiskApp args={args} controller={controller} />, {exitOnCtrlC: false, patchConsole: false});
		await instance.waitUntilExit();
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}
}
