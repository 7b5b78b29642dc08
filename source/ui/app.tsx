/**
 * The monitor: status bar, freeze progress, quiesce countdown, devices and
 * kernel log, over a Player. The screen samples the player at most ~30 times
 * a second while playing and not at all while paused.
 */
import {Box, Text, useApp, useInput, useStdout} from 'ink';
import {performance} from 'node:perf_hooks';
import {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import type {Player} from '../player/player.js';
import {deviceTimeline} from '../timeline/device-timeline.js';
import type {TimelineSort} from '../timeline/terminal-view.js';
import {DeviceTimelineView} from './device-timeline.js';
import {Devices} from './devices.js';
import {FreezeProgress} from './freeze-progress.js';
import {HelpOverlay} from './help-overlay.js';
import {actionFor, type MonitorAction} from './keymap.js';
import {KernelLog} from './kernel-log.js';
import {layout, minColumns, minRows} from './layout.js';
import {QuiesceCountdown} from './quiesce-countdown.js';
import {StatusBar} from './status-bar.js';
import {color} from './theme.js';
import type {Warning} from '../monitor/state.js';

/** The latest warning, critical ones first: always on screen, whatever the panes show. */
function WarningLine({warnings}: {warnings: Warning[]}) {
	const latest = warnings.findLast(w => w.severity === 'crit') ?? warnings.at(-1);
	if (!latest) return <Text color={color('gray')}>no warnings</Text>;
	return (
		<Text wrap="truncate" color={color(latest.severity === 'crit' ? 'red' : 'yellow')} bold>
			{latest.severity === 'crit' ? 'CRIT' : 'WARN'} {latest.text}
			{warnings.length > 1 ? ` (+${warnings.length - 1} more)` : ''}
		</Text>
	);
}

export type AppProps = {
	player: Player;
	/** What is playing: "sim default (seed 1)" or a trace path. */
	source: string;
	kernel?: string;
	autoplay?: boolean;
	/** Wall clock in ms (tests inject one). */
	now?: () => number;
	/** ms between samples while playing. */
	tickMs?: number;
	onQuit?: () => void;
};

function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const read = () => ({columns: stdout.columns || 100, rows: stdout.rows || 30});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}

export function App({player, source, kernel, autoplay = true, now = () => performance.now(), tickMs = 33, onQuit}: AppProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [playing, setPlaying] = useState(autoplay && !player.ended);
	const [help, setHelp] = useState(false);
	const [deviceScroll, setDeviceScroll] = useState(0);
	const [logBack, setLogBack] = useState(0);
	const [timelineOn, setTimelineOn] = useState(false);
	const [timelineSort, setTimelineSort] = useState<TimelineSort>('start');
	const [timelineScroll, setTimelineScroll] = useState(0);
	const devicesTimeline = useMemo(() => deviceTimeline(player.timeline), [player]);
	const [, redraw] = useReducer((n: number) => n + 1, 0);
	const lastCount = useRef(-1);
	const lastDraw = useRef(0);

	useEffect(() => {
		if (!playing) return;
		player.clock.paused = false;
		player.clock.resetWall();
		player.clock.tick(now());
		const timer = setInterval(() => {
			player.clock.tick(now());
			if (player.ended) {
				player.seek(player.endUs);
				setPlaying(false);
			}

			// Redraw at once when an event arrived; when only the clock moved, at 10 fps
			// (30 fps in slow motion, where the quiesce countdown is the point of the screen).
			const count = player.countAt(player.position);
			const wall = now();
			const clockOnly = player.inSlowMotion ? 0 : 100;
			if (count !== lastCount.current || wall - lastDraw.current >= clockOnly) {
				lastCount.current = count;
				lastDraw.current = wall;
				redraw();
			}
		}, tickMs);
		return () => {
			clearInterval(timer);
			player.clock.paused = true;
		};
	}, [playing, player]);

	const l = layout(columns, rows);

	const act = (action: MonitorAction) => {
		switch (action) {
			case 'pause': {
				if (player.ended) player.seek(player.startUs);
				setPlaying(p => !p);
				break;
			}

			case 'faster':
			case 'slower': {
				player.setSpeed(action === 'faster' ? 1 : -1);
				break;
			}

			case 'step': {
				setPlaying(false);
				player.stepForward();
				break;
			}

			case 'next-phase': {
				player.nextPhase();
				break;
			}

			case 'previous-phase': {
				player.previousPhase();
				break;
			}

			case 'seek-back':
			case 'seek-forward': {
				player.seek(player.position + (action === 'seek-back' ? -1 : 1) * player.seekStepUs);
				break;
			}

			case 'start': {
				player.seek(player.startUs);
				break;
			}

			case 'end': {
				player.seek(player.endUs);
				setPlaying(false);
				break;
			}

			case 'slow-motion': {
				player.clock.slowMotion = !player.clock.slowMotion;
				break;
			}

			case 'scroll-up':
			case 'scroll-down': {
				(timelineOn ? setTimelineScroll : setDeviceScroll)(s => Math.max(0, s + (action === 'scroll-up' ? -1 : 1)));
				break;
			}

			case 'device-timeline': {
				setTimelineOn(on => !on);
				break;
			}

			case 'timeline-sort': {
				setTimelineSort(s => (s === 'start' ? 'time' : 'start'));
				break;
			}

			case 'log-up':
			case 'log-down': {
				setLogBack(b => Math.max(0, b + (action === 'log-up' ? 1 : -1) * Math.max(1, l.logHeight - 1 - l.frame)));
				break;
			}

			case 'log-tail': {
				setLogBack(0);
				break;
			}

			case 'help': {
				setHelp(true);
				break;
			}

			case 'quit': {
				onQuit?.();
				exit();
				break;
			}
		}

		redraw();
	};

	useInput((input, key) => {
		if (help) {
			setHelp(false);
			return;
		}

		if (key.ctrl && input === 'c') {
			act('quit');
			return;
		}

		const action = actionFor(input, key);
		if (action) act(action);
	});

	const state = player.stateNow();
	const position = player.position;
	const status = (
		<StatusBar
			source={source}
			kernel={kernel ?? state.source.kernel}
			positionUs={position}
			speed={player.clock.speed}
			paused={!playing}
			ended={player.ended}
			slowMotion={player.clock.slowMotion}
			inSlowMotion={player.inSlowMotion}
			width={columns}
		/>
	);
	if (help) {
		return (
			<Box flexDirection="column">
				{status}
				<HelpOverlay width={columns} />
			</Box>
		);
	}

	const rowCount = Object.keys(state.dimms).length + Object.keys(state.devices).length;
	const scroll = Math.min(deviceScroll, Math.max(0, rowCount - (l.devicesHeight - 1 - l.frame)));
	const tail = player.logTail(l.logHeight - 1 - l.frame, logBack);
	return (
		<Box flexDirection="column" width={columns}>
			{status}
			{l.tooSmall ? (
				<Text color={color('yellow')} wrap="truncate">
					Terminal {columns}×{rows} is smaller than {minColumns}×{minRows}: panes are cramped.
				</Text>
			) : null}
			{timelineOn ? (
				<DeviceTimelineView timeline={devicesTimeline} positionUs={position} width={columns} height={l.topHeight + l.devicesHeight + l.logHeight} scroll={timelineScroll} sort={timelineSort} border={l.border} />
			) : (
				<>
					<Box>
						<FreezeProgress cycle={state.cycle} nowUs={position} width={l.phasesWidth} height={l.topHeight} border={l.border} />
						<QuiesceCountdown quiesce={state.quiesce} cycle={state.cycle} nowUs={position} width={l.countdownWidth} height={l.topHeight} border={l.border} />
					</Box>
					<Devices dimms={state.dimms} devices={state.devices} width={columns} height={l.devicesHeight} scroll={scroll} border={l.border} />
					<KernelLog lines={tail.lines} total={tail.total} back={Math.min(logBack, tail.total)} width={columns} height={l.logHeight} border={l.border} />
				</>
			)}
			<WarningLine warnings={state.warnings} />
			<Text color={color('gray')} wrap="truncate">
				space pause · +/- speed · . step · n/p phase · ←/→ seek · g/G start/end · s slow-mo · t devices · ? help · q quit
			</Text>
		</Box>
	);
}
