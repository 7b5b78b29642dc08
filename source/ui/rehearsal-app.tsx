/**
 * The drill screen: the briefing, the monitor's panes on the simulated host,
 * the kernel's answers, and an action line where the operator types the real
 * steps. `finish` grades the run and shows the report's summary.
 */
import {Box, Text, useApp, useInput, useStdout} from 'ink';
import {useRef, useState} from 'react';
import {reduce} from '../monitor/reducer.js';
import {initialState, type MonitorState} from '../monitor/state.js';
import {grade, reportSummary, type DrillReport} from '../rehearsal/report.js';
import type {DrillSession} from '../rehearsal/session.js';
import {Devices} from './devices.js';
import {FreezeProgress} from './freeze-progress.js';
import {KernelLog} from './kernel-log.js';
import {QuiesceCountdown} from './quiesce-countdown.js';
import {color} from './theme.js';

export type RehearsalAppProps = {session: DrillSession; onFinish?: (report: DrillReport) => void};

export function RehearsalApp({session, onFinish}: RehearsalAppProps) {
	const {exit} = useApp();
	const {stdout} = useStdout();
	const columns = stdout.columns || 100;
	const [input, setInput] = useState('');
	const [answers, setAnswers] = useState<string[]>(['type help for the commands; inspect, read, arm, trigger, verify, decide, finish']);
	const [report, setReport] = useState<DrillReport | undefined>();
	const history = useRef<string[]>([]);
	const reduced = useRef<{count: number; state: MonitorState}>({count: 0, state: initialState()});

	const submit = (line: string) => {
		const command = line.trim();
		if (command === '') return;
		history.current.push(command);
		const answer = session.run(command);
		setAnswers(previous => [...previous, `> ${command}`, ...answer.split('\n')].slice(-40));
		if (session.finished) {
			const result = grade(session);
			setReport(result);
			onFinish?.(result);
		}
	};

	useInput((text, key) => {
		if (report) {
			if (key.return || key.escape || text === 'q') exit();
			return;
		}

		if (key.escape || (key.ctrl && text === 'c')) {
			exit();
			return;
		}

		if (key.return) {
			submit(input);
			setInput('');
			return;
		}

		if (key.backspace || key.delete) {
			setInput(value => value.slice(0, -1));
			return;
		}

		if (key.upArrow) {
			setInput(history.current.at(-1) ?? '');
			return;
		}

		// A pasted script may hold several lines.
		const parts = text.split(/\r\n|\r|\n/);
		if (parts.length > 1) {
			let buffer = input + parts[0];
			for (const next of parts.slice(1)) {
				submit(buffer);
				buffer = next;
			}

			setInput(buffer);
			return;
		}

		if (!key.ctrl && !key.meta) setInput(value => value + text);
	});

	// Catch the monitor state up with what the simulated host did.
	const timeline = session.sim.timeline;
	let {count, state} = reduced.current;
	for (; count < timeline.length; count++) state = reduce(state, timeline[count]!);
	reduced.current = {count, state};
	const logs = timeline.flatMap((event, index) => (event.kind === 'log' || event.kind === 'action' ? [{index, event}] : [])).slice(-6);
	const drill = session.drill;
	const half = Math.floor(columns / 2);
	return (
		<Box flexDirection="column" width={columns}>
			<Text bold color={color('cyan')} wrap="truncate">
				quiesce rehearse · {drill.name} (seed {session.seed}) · {drill.description}
			</Text>
			{drill.briefing.trim().split('\n').slice(0, 4).map((line, i) => (
				<Text key={i} wrap="truncate">
					{line}
				</Text>
			))}
			<Box>
				<FreezeProgress state={state} nowUs={session.sim.now} width={columns - Math.max(34, Math.min(44, half - 6))} height={11} border={false} />
				<QuiesceCountdown state={state} nowUs={session.sim.now} width={Math.max(34, Math.min(44, half - 6))} height={11} border={false} />
			</Box>
			<Devices dimms={state.dimms} devices={state.devices} width={columns} height={5} scroll={0} border={false} />
			<KernelLog entries={logs} total={timeline.filter(e => e.kind === 'log' || e.kind === 'action').length} back={0} width={columns} height={7} border={false} />
			<Box flexDirection="column" borderStyle="round" paddingX={1} width={columns}>
				{(report ? [...reportSummary(report).slice(0, 12), 'press Enter to leave'] : answers.slice(-8)).map((line, i) => (
					<Text key={i} wrap="truncate" color={color(line.startsWith('MISTAKE') ? 'red' : line.startsWith('ok ') ? 'green' : line.startsWith('> ') ? 'cyan' : undefined)} bold={line.startsWith('Score')}>
						{line}
					</Text>
				))}
				{report ? null : (
					<Text>
						<Text color={color('cyan')}>{'> '}</Text>
						{input}
						<Text inverse> </Text>
					</Text>
				)}
			</Box>
		</Box>
	);
}
