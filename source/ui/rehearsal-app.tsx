/**
 * The drill screen: the briefing (wrapped, scrollable), the monitor's panes
 * on the simulated host, the kernel's answers (wrapped) and an action line
 * (a real line editor). A command that makes the kernel work — the bus write
 * runs the whole freeze, a 20 s freezer timeout included — plays on screen in
 * compressed time: the write has not returned until it has played, so Enter
 * waits meanwhile. `finish` grades the run; each mistake comes with the kernel
 * behaviour that makes it matter.
 */
import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import {reduce} from '../monitor/reducer.js';
import {readAfterWrite} from '../player/player.js';
import {initialState, type MonitorState} from '../monitor/state.js';
import {grade, reportSummary, type DrillReport} from '../rehearsal/report.js';
import type {DrillSession} from '../rehearsal/session.js';
import {useTerminalSize} from './app.js';
import {Devices, deviceRowsVisible} from './devices.js';
import {FreezeProgress} from './freeze-progress.js';
import {KernelLog} from './kernel-log.js';
import {layout} from './layout.js';
import {LineEditor} from './line-editor.js';
import {QuiesceCountdown, wrapText} from './quiesce-countdown.js';
import {color} from './theme.js';
import {escapeControls} from '../escape.js';

export type RehearsalAppProps = {
	session: DrillSession;
	onFinish?: (report: DrillReport) => void;
	/** Ctrl-C: 130, as a shell reports an interrupted command. */
	onQuit?: (code: number) => void;
	/** Wall ms a span of simulated time takes to play: 20 s of freezer timeout in about 4 s. */
	playMs?: (spanUs: number) => number;
	now?: () => number;
};

const defaultPlayMs = (spanUs: number) => Math.min(4000, Math.max(0, spanUs / 5000));

type Pane = 'briefing' | 'devices' | 'answers';

export function RehearsalApp({session, onFinish, onQuit, playMs = defaultPlayMs, now = () => performance.now()}: RehearsalAppProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [answers, setAnswers] = useState<string[]>(['type help for the commands; inspect, read, arm, trigger, verify, wait, decide, finish']);
	const [report, setReport] = useState<DrillReport | undefined>();
	// A ref beside the state: a key right after Tab must already scroll the new pane.
	const [pane, setPaneState] = useState<Pane>('briefing');
	const paneRef = useRef<Pane>('briefing');
	const setPane = (next: (p: Pane) => Pane) => {
		paneRef.current = next(paneRef.current);
		setPaneState(paneRef.current);
	};

	const [scroll, setScroll] = useState<Record<Pane, number>>({briefing: 0, devices: 0, answers: 0});
	const [, setTick] = useState(0);
	// What is on screen: the timeline up to `shownUs`, played towards the simulator's clock.
	const play = useRef<{fromUs: number; toUs: number; startWall: number; durationMs: number} | undefined>(undefined);
	const reduced = useRef<{count: number; state: MonitorState}>({count: 0, state: initialState()});
	const shownUs = useRef(session.sim.now);

	// Commands typed while the kernel works wait their turn, as a shell's typeahead does.
	const queue = useRef<string[]>([]);
	const heldAnswer = useRef<string[]>([]);
	/** How far the answers can scroll from the latest command: back to older answers, forward to the rest of it. */
	const answerBounds = useRef({back: 0, forward: 0});
	/** Rows ever appended to the answers, and the one the pane is anchored at (absolute): the latest command's echo. */
	const appended = useRef(1);
	const anchor = useRef(0);
	const append = (rows: string[], anchorHere: boolean) => {
		if (anchorHere) anchor.current = appended.current;
		appended.current += rows.length;
		setAnswers(previous => [...previous, ...rows].slice(-200));
	};

	const playing = play.current !== undefined;
	useEffect(() => {
		if (playing || queue.current.length === 0) return;
		const next = queue.current.shift()!;
		submit(next);
	});

	useEffect(() => {
		if (!playing) return;
		const timer = setInterval(() => {
			const p = play.current;
			if (!p) return;
			const fraction = p.durationMs <= 0 ? 1 : Math.min(1, (now() - p.startWall) / p.durationMs);
			shownUs.current = p.fromUs + (p.toUs - p.fromUs) * fraction;
			if (fraction >= 1) {
				play.current = undefined;
				// The write returns now: its answer shows.
				const held = heldAnswer.current;
				heldAnswer.current = [];
				if (held.length > 0) append(held, true); // the news: the pane shows it from its top
			}

			setTick(t => t + 1);
		}, 33);
		return () => clearInterval(timer);
	}, [playing]);

	const submit = (line: string) => {
		const command = line.trim();
		if (command === '' || report || session.finished) return;
		if (play.current) {
			queue.current.push(command);
			setTick(t => t + 1);
			return;
		}

		const from = session.sim.now;
		// Line by line: the answer's own line ends are rows, every other control character is escaped.
		const answer = session.run(command).split(/\r?\n/).map(row => escapeControls(row, true));
		setScroll(s => ({...s, answers: 0}));
		// The kernel's work (everything but the operator's think time) plays on screen.
		const worked = session.sim.timeline.filter(e => e.t > from && (e.kind === 'log' || e.kind === 'note')).at(-1)?.t ?? from;
		const span = worked - from;
		if (span > 1000 && playMs(span) > 0) {
			play.current = {fromUs: from, toUs: session.sim.now, startWall: now(), durationMs: playMs(session.sim.now - from)};
			heldAnswer.current = answer;
			append([`> ${command}`, '  … the write has not returned yet'], true);
		} else {
			shownUs.current = session.sim.now;
			append([`> ${command}`, ...answer], true);
		}
		setTick(t => t + 1);
		if (session.finished) {
			const result = grade(session);
			setReport(result);
			setScroll(s => ({...s, answers: 0}));
			onFinish?.(result);
		}
	};

	useInput((text, key) => {
		if (key.ctrl && text === 'c') {
			onQuit?.(130);
			exit();
			return;
		}

		if (report) {
			if (key.return || key.escape || text === 'q') exit();
			else if (key.pageUp || key.pageDown) setScroll(s => ({...s, answers: Math.max(0, s.answers + (key.pageDown ? 5 : -5))}));
			return;
		}

		if (key.escape) {
			exit();
			return;
		}

		if (key.tab) {
			setPane(p => (p === 'briefing' ? 'devices' : p === 'devices' ? 'answers' : 'briefing'));
			return;
		}

		if (key.pageUp || key.pageDown) {
			// Briefing and devices scroll down with PgDn; answers scroll back (up) with PgUp.
			const target = paneRef.current;
			const delta = target === 'answers' ? (key.pageUp ? 3 : -3) : key.pageDown ? 3 : -3;
			// Answers scroll from the latest command's answer: back (PgUp) to older ones, forward (PgDn) to its rest.
			const [low, high] = target === 'answers' ? [-answerBounds.current.forward, answerBounds.current.back] : [0, Number.POSITIVE_INFINITY];
			setScroll(s => ({...s, [target]: Math.min(high, Math.max(low, s[target] + delta))}));
		}
	});

	// Catch the monitor state up with what is shown of the simulated host.
	const timeline = session.sim.timeline;
	let {count, state} = reduced.current;
	if (count > 0 && timeline[count - 1]!.t > shownUs.current) ({count, state} = {count: 0, state: initialState()});
	for (; count < timeline.length && timeline[count]!.t <= shownUs.current; count++) state = reduce(state, timeline[count]!);
	reduced.current = {count, state};
	const evidence = readAfterWrite(timeline, count, state.cycle?.endUs);
	const paneLines = timeline.slice(0, count).flatMap((event, index) => (event.kind === 'log' || event.kind === 'action' ? [{index, event}] : []));

	const drill = session.drill;
	const inner = columns - 2;
	// Paragraphs (blank-line separated) re-wrapped to the terminal's width.
	const briefing = drill.briefing.trim().split(/\n\s*\n/).flatMap((paragraph, i) => [...(i > 0 ? [''] : []), ...wrapText(paragraph.replace(/\s*\n\s*/g, ' '), inner - 2)]);
	const briefRows = rows >= 34 ? 5 : 3;
	const briefFirst = Math.min(scroll.briefing, Math.max(0, briefing.length - briefRows));
	const l = layout(Math.max(80, columns), Math.max(24, rows));
	const topHeight = 10;
	const deviceHeight = rows >= 34 ? 7 : 3;
	const logHeight = rows >= 34 ? Math.max(3, rows - 1 - 1 - briefRows - topHeight - deviceHeight - 8 - 2) : 0;
	const answerRows = Math.max(2, rows - 1 - 1 - briefRows - topHeight - deviceHeight - logHeight - 3);
	const anchorIndex = anchor.current - (appended.current - answers.length);
	const answerLines = (report ? [...reportSummary(report), 'Enter or q leaves · PgUp/PgDn scroll'] : answers).flatMap((line, at) => wrapText(line, inner - 2).map((text, i) => ({text: i === 0 ? text : `  ${text}`, line, at})));
	// Answers show the latest command and as much of its answer as fits, like a pager (a held answer,
	// the write returning, is appended after it): the rest is a PgDn away (a row says how much),
	// older answers a PgUp away. The report reads from its top.
	const lastCommand = answerLines.findIndex(row => row.at === anchorIndex);
	const anchoredEnd = Math.min(answerLines.length, Math.max(0, lastCommand) + answerRows);
	answerBounds.current = {back: Math.max(0, anchoredEnd - answerRows), forward: answerLines.length - anchoredEnd};
	const answerEnd = Math.max(Math.min(answerRows, answerLines.length), Math.min(answerLines.length, anchoredEnd - scroll.answers));
	const reportFirst = Math.min(scroll.answers, Math.max(0, answerLines.length - answerRows));
	const tail = answerLines.slice(Math.max(0, answerEnd - answerRows), answerEnd);
	const below = answerLines.length - answerEnd;
	if (below > 0 && tail.length > 1) tail[tail.length - 1] = {text: `↓ ${below + 1} more rows (PgDn)`, line: '', at: -1};
	const shownAnswers = report ? answerLines.slice(reportFirst, reportFirst + answerRows) : tail;
	const deviceCount = Object.keys(state.dimms).length + Object.keys(state.devices).length;
	const deviceScroll = Math.min(scroll.devices, Math.max(0, deviceCount - deviceRowsVisible(deviceHeight, false)));
	const tone = (line: string) => (line.startsWith('MISTAKE') ? 'red' : line.startsWith('  why:') ? 'yellow' : line.startsWith('ok ') ? 'green' : line.startsWith('> ') ? 'cyan' : undefined);
	return (
		<Box flexDirection="column" width={columns}>
			<Text bold color={color('cyan')} wrap="truncate">
				quiesce rehearse · {drill.name} (seed {session.seed}) · host clock {(shownUs.current / 1_000_000).toFixed(3)} s{playing ? ' · the kernel is working…' : ''} · Tab {pane} · PgUp/PgDn scroll · Ctrl-C quits
			</Text>
			<Box flexDirection="column" height={briefRows}>
				{briefing.slice(briefFirst, briefFirst + briefRows).map((line, i) => (
					<Text key={i} wrap="truncate" color={color(pane === 'briefing' ? undefined : 'gray')}>
						{i === 0 && briefFirst > 0 ? '↑ ' : i === briefRows - 1 && briefFirst + briefRows < briefing.length ? '↓ ' : '  '}
						{line}
					</Text>
				))}
			</Box>
			<Box>
				<FreezeProgress state={state} nowUs={shownUs.current} width={l.phasesWidth} height={topHeight} border={false} evidence={evidence} />
				<QuiesceCountdown state={state} nowUs={shownUs.current} width={columns - l.phasesWidth} height={topHeight} border={false} evidence={evidence} />
			</Box>
			<Devices dimms={state.dimms} devices={state.devices} width={columns} height={deviceHeight} scroll={deviceScroll} border={false} focused={pane === 'devices'} />
			{logHeight > 0 ? <KernelLog entries={paneLines.slice(-(logHeight - 1))} total={paneLines.length} back={0} width={columns} height={logHeight} border={false} /> : null}
			<Box flexDirection="column" borderStyle="round" borderColor={pane === 'answers' ? color('cyan') : undefined} paddingX={1} width={columns} height={answerRows + 2 + (report ? 0 : 1)}>
				{shownAnswers.map((row, i) => (
					<Text key={i} wrap="truncate" color={color(tone(row.line))} bold={row.line.startsWith('Score')}>
						{row.text}
					</Text>
				))}
				{report ? null : <LineEditor onSubmit={submit} />}
				{queue.current.length > 0 ? <Text color={color('gray')}>queued until the write returns: {queue.current.join('; ')}</Text> : null}
			</Box>
		</Box>
	);
}
