/** The risk command's progress screen in a terminal, then its report (commands/risk.tsx). */
import {performance} from 'node:perf_hooks';
import {Box, Text, render, useApp, useInput} from 'ink';
import {useEffect, useState} from 'react';
import type {computeRisk as ComputeRisk, RiskArgs} from '../commands/risk.js';
import type {Line} from '../risk/format.js';
import {colorEnabled} from './theme.js';

function LineView({line}: {line: Line}) {
	return (
		<Text color={colorEnabled ? line.tone : undefined} bold={line.bold} wrap="truncate">
			{line.text}
		</Text>
	);
}

export function RiskApp({args, controller, computeRisk}: {args: RiskArgs; controller: AbortController; computeRisk: typeof ComputeRisk}) {
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

/** Draw the progress, then the report, until the runs end or Ctrl-C stops them. */
export async function showRisk(args: RiskArgs, controller: AbortController, computeRisk: typeof ComputeRisk): Promise<void> {
	const instance = render(<RiskApp args={args} controller={controller} computeRisk={computeRisk} />, {exitOnCtrlC: false, patchConsole: false});
	await instance.waitUntilExit();
}
