/**
 * The monitor: status bar, phases, memory quiesce, devices and the log, over
 * a Player. What each pane says comes from monitor/selectors.ts; this file
 * wires keys (keymap.ts) to the player and the panes. The screen samples the
 * player at most ~30 times a second while playing and not at all while paused.
 */
import {Box, Text, useApp, useInput, useStdout} from 'ink';
import {performance} from 'node:perf_hooks';
import {useEffect, useMemo, useReducer, useRef, useState, type ReactElement} from 'react';
import {formatEventText} from '../headless/format.js';
import {listedWarnings, logCategories} from '../monitor/selectors.js';
import type {Warning} from '../monitor/state.js';
import type {Player} from '../player/player.js';
import {Devices, deviceRowsVisible} from './devices.js';
import {deviceTimeline} from '../timeline/device-timeline.js';
import type {TimelineSort} from '../timeline/terminal-view.js';
import {DeviceTimelineView} from './device-timeline.js';
import {FreezeProgress} from './freeze-progress.js';
import {HelpOverlay} from './help-overlay.js';
import {actionFor, keyHints, type MonitorAction} from './keymap.js';
import {entryText, KernelLog} from './kernel-log.js';
import {layout, minColumns, minRows} from './layout.js';
import {outcomePanel} from '../monitor/outcome-panel.js';
import {OutcomePanel, outcomePanelHeight} from './outcome-panel.js';
import {QuiesceCountdown} from './quiesce-countdown.js';
import {StatusBar} from './status-bar.js';
import {color} from './theme.js';
import {WarningsOverlay} from './warnings-overlay.js';
import {escapeControls} from '../escape.js';

/** The latest warning, critical ones first: always on screen, whatever the panes show. */
function WarningLine({warnings}: {warnings: Warning[]}) {
	const latest = warnings.findLast(w => w.severity === 'crit') ?? warnings.at(-1);
	if (!latest) return <Text color={color('gray')}>no warnings</Text>;
	return (
		<Text wrap="truncate" color={color(latest.severity === 'crit' ? 'red' : 'yellow')} bold>
			{warnings.length > 1 ? `[${warnings.length} warnings, w lists] ` : ''}
			{latest.severity === 'crit' ? 'CRIT' : 'WARN'} {escapeControls(latest.text)}
		</Text>
	);
}

export type AppProps = {
	player: Player;
	/** What is playing: "sim default (seed 1)" or a trace path. */
	source: string;
	kernel?: string;
	autoplay?: boolean;
	/** Where `g` (watch again) starts: a replay's first cycle (asked each time while the timeline is still read). Default: the start. */
	openAtUs?: number | (() => number);
	/** What is being read while the timeline is not complete (`(stdin)`): the status bar says so. */
	reading?: string;
	/** Said once the reading ends (end of input, or the error that ended it). */
	inputEnd?: () => string;
	/** Wall clock in ms (tests inject one). */
	now?: () => number;
	/** ms between samples while playing. */
	tickMs?: number;
	/** Called with the exit status: 0 for q, 130 for Ctrl-C. */
	onQuit?: (code: number) => void;
};

export function useTerminalSize(): {columns: number; rows: number} {
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

type Search = {editing: boolean; term: string; origin: number};

export function App({player, source, kernel, autoplay = true, openAtUs: openAt, reading, inputEnd, now = () => performance.now(), tickMs = 33, onQuit}: AppProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [playing, setPlaying] = useState(autoplay && !player.ended);
	const [overlay, setOverlayState] = useState<'none' | 'help' | 'warnings'>('none');
	// Keys that arrive before the next render (typed fast, or pasted: "?xq") must see the overlay the
	// previous key left, not the one of the last render: a stale 'help' would swallow the q.
	const overlayRef = useRef(overlay);
	const setOverlay = (next: 'none' | 'help' | 'warnings') => {
		overlayRef.current = next;
		setOverlayState(next);
	};
	// Refs beside state where a key right after another must see its effect (Tab, then PgDn).
	const [focus, setFocusState] = useState<'devices' | 'log'>('devices');
	const focusRef = useRef<'devices' | 'log'>('devices');
	const setFocus = (next: (f: 'devices' | 'log') => 'devices' | 'log') => {
		focusRef.current = next(focusRef.current);
		setFocusState(focusRef.current);
	};

	const [deviceScroll, setDeviceScroll] = useState(0);
	const [logBack, setLogBack] = useState(0);
	const [timelineOn, setTimelineOn] = useState(false);
	const [timelineSort, setTimelineSort] = useState<TimelineSort>('start');
	const [timelineScroll, setTimelineScroll] = useState(0);
	const [complete, setComplete] = useState(player.complete);
	const [events, setEvents] = useState(player.length);
	// Built when first shown, again as a timeline still being read grows.
	const devicesTimeline = useMemo(() => (timelineOn ? deviceTimeline(player.timeline) : undefined), [player, timelineOn, timelineOn && events]);
	const [warningScroll, setWarningScroll] = useState(0);
	const [filterIndex, setFilterIndex] = useState(0);
	// A ref, not state: keys typed faster than a render must each see the term so far.
	const searchRef = useRef<Search | undefined>(undefined);
	const search = searchRef.current;
	const setSearch = (next: Search | undefined) => {
		searchRef.current = next;
		redraw();
	};

	const [message, setMessage] = useState<string | undefined>();
	const [current, setCurrent] = useState<number | undefined>();
	const [, redraw] = useReducer((n: number) => n + 1, 0);
	const lastCount = useRef(-1);
	const lastDraw = useRef(0);
	const filter = logCategories[filterIndex]!;
	const openAtUs = typeof openAt === 'function' ? openAt() : openAt;

	// A timeline still being read: redraw as events come (at most 10 times a second), say when the input ends.
	useEffect(() => {
		if (player.complete) return;
		let timer: NodeJS.Timeout | undefined;
		const unsubscribe = player.subscribe(() => {
			if (player.complete) {
				clearTimeout(timer);
				setEvents(player.length);
				setComplete(true);
				if (inputEnd) setMessage(inputEnd());
				return;
			}

			timer ??= setTimeout(() => {
				timer = undefined;
				setEvents(player.length);
			}, 100);
		});
		return () => {
			clearTimeout(timer);
			unsubscribe();
		};
	}, [player]);

	useEffect(() => {
		if (!playing) return;
		player.clock.paused = false;
		player.clock.resetWall();
		player.tick(now());
		const timer = setInterval(() => {
			player.tick(now());
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
	const state = player.stateNow();
	const evidence = player.evidenceNow();
	const deviceCount = Object.keys(state.dimms).length + Object.keys(state.devices).length;
	const deviceVisible = deviceRowsVisible(l.devicesHeight, l.border);
	// The end: the outcome panel takes the key hints' row and what the log can spare (it keeps 3 lines).
	const ending = player.ended && !searchRef.current?.editing ? outcomePanel(state, evidence, player.position) : undefined;
	const panelText = Math.max(1, Math.min(3, l.logHeight - l.frame - 1 - 3));
	const logHeight = ending ? Math.max(2 + l.frame, l.logHeight - (outcomePanelHeight(ending, columns, false, panelText) - 1)) : l.logHeight;
	const logVisible = Math.max(1, logHeight - 1 - l.frame);

	const quit = (code: number) => {
		onQuit?.(code);
		exit();
	};

	/** Land on a pane line (a match, an error): it becomes the newest visible line, paused. */
	const landOn = (index: number | undefined, none: string, what: string) => {
		if (index === undefined) {
			setMessage(none);
			return;
		}

		setPlaying(false);
		setLogBack(0);
		setCurrent(index);
		const position = player.paneLines(filter).indexOf(index);
		if (position === -1) setFilterIndex(0); // the filter hides it: show everything
		setMessage(`${what}: ${entryText(player.event(index) as never)}`);
	};

	/** Where n / N / e / E count from: the line last landed on while it is still on screen, else the newest line. */
	const from = () => {
		const visible = player.countAt(player.position) - 1;
		return current !== undefined && current <= visible && player.event(current)!.t === player.event(visible)?.t ? current : visible;
	};

	/** The nearest pane line matching `term` after (or before) `from`: scanned lazily, stopping at the first. */
	const match = (term: string, direction: 1 | -1, from: number) => {
		const needle = term.toLowerCase();
		return player.findPaneLine(event => entryText(event as never).toLowerCase().includes(needle), direction, from);
	};

	const scrollDevices = (delta: number) => setDeviceScroll(s => Math.max(0, Math.min(Math.max(0, deviceCount - deviceVisible), s + delta)));
	const scrollLog = (delta: number) => {
		const total = player.paneTail(0, 0, filter).total;
		setLogBack(b => Math.max(0, Math.min(Math.max(0, total - logVisible), b + delta)));
	};

	const act = (action: MonitorAction) => {
		setMessage(undefined);
		switch (action) {
			case 'pause': {
				if (player.ended) player.seek(openAtUs ?? player.startUs);
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
				const before = player.countAt(player.position);
				player.stepForward();
				const after = player.countAt(player.position);
				const event = player.event(before);
				if (after === before || !event) setMessage(player.complete ? 'at the end: nothing to step to' : 'at the end so far: waiting for input');
				else setMessage(`stepped to: ${formatEventText(event)}${after - before > 1 ? ` (+${after - before - 1} more at the same time)` : ''}`);
				setCurrent(after - 1);
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

			case 'next-cycle':
			case 'previous-cycle': {
				const moved = action === 'next-cycle' ? player.nextCycle() : player.previousCycle();
				if (!moved) setMessage(action === 'next-cycle' ? 'no later cycle' : 'no earlier cycle');
				break;
			}

			case 'search': {
				setSearch({editing: true, term: '', origin: player.countAt(player.position) - 1});
				break;
			}

			case 'next-match':
			case 'previous-match': {
				const term = searchRef.current?.term;
				if (!term) {
					setMessage('no search yet: / to search');
					break;
				}

				const direction = action === 'next-match' ? 1 : -1;
				const target = match(term, direction, from());
				if (target !== undefined) player.seekToIndex(target);
				landOn(target, `no ${action === 'next-match' ? 'later' : 'earlier'} match for "${term}"`, 'match');
				break;
			}

			case 'next-error':
			case 'previous-error': {
				landOn(player.jump(player.failures(), action === 'next-error' ? 1 : -1, from()), `no ${action === 'next-error' ? 'later' : 'earlier'} error or failure`, 'error');
				break;
			}

			case 'filter': {
				setFilterIndex(i => (i + 1) % logCategories.length);
				setLogBack(0);
				break;
			}

			case 'warnings': {
				setWarningScroll(0);
				setOverlay('warnings');
				break;
			}

			case 'seek-back':
			case 'seek-forward': {
				player.seek(player.position + (action === 'seek-back' ? -1 : 1) * player.seekStepUs);
				break;
			}

			case 'start': {
				player.seek(openAtUs ?? player.startUs);
				setCurrent(undefined);
				setPlaying(true);
				break;
			}

			case 'end': {
				player.seek(player.endUs);
				// Still being read: follow it as it comes (less +F); read to its end: stop there.
				setPlaying(!player.complete);
				if (!player.complete) setMessage('following the input as it is read (space pauses)');
				break;
			}

			case 'pace': {
				player.clock.paced = !player.clock.paced;
				break;
			}

			case 'focus': {
				setFocus(f => (f === 'devices' ? 'log' : 'devices'));
				break;
			}

			case 'scroll-up':
			case 'scroll-down':
			case 'page-up':
			case 'page-down': {
				const up = action === 'scroll-up' || action === 'page-up';
				const page = action.startsWith('page');
				if (timelineOn) setTimelineScroll(s => Math.max(0, s + (up ? -1 : 1) * (page ? 10 : 1)));
				else if (focusRef.current === 'devices') scrollDevices((up ? -1 : 1) * (page ? deviceVisible : 1));
				else scrollLog((up ? 1 : -1) * (page ? logVisible : 1));
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

			case 'top': {
				if (focusRef.current === 'devices') setDeviceScroll(0);
				else scrollLog(Number.MAX_SAFE_INTEGER);
				break;
			}

			case 'bottom': {
				if (focusRef.current === 'devices') scrollDevices(Number.MAX_SAFE_INTEGER);
				else setLogBack(0);
				break;
			}

			case 'help': {
				setOverlay('help');
				break;
			}

			case 'quit': {
				quit(0);
				break;
			}
		}

		redraw();
	};

	useInput((input, key) => {
		// Ctrl-C quits from anywhere — help, warnings, the search prompt — with status 130.
		if (key.ctrl && input === 'c') {
			quit(130);
			return;
		}

		const search = searchRef.current;
		if (search?.editing) {
			if (key.escape) {
				player.seekToIndex(Math.max(0, search.origin));
				setSearch(undefined);
				setCurrent(undefined);
				return;
			}

			if (key.return) {
				setSearch({...search, editing: false});
				return;
			}

			const term = key.backspace || key.delete ? search.term.slice(0, -1) : key.ctrl || key.meta || input === '' ? search.term : search.term + input.replace(/[\r\n]/g, '');
			setSearch({...search, term});
			if (term === '') return;
			const later = match(term, 1, search.origin);
			const target = later ?? match(term, 1, -1);
			if (target === undefined) setMessage(`no match for "${term}"`);
			else {
				player.seekToIndex(target);
				landOn(target, '', later === undefined ? 'match (wrapped to the start)' : 'match');
			}

			return;
		}

		if (overlayRef.current === 'warnings') {
			const action = actionFor(input, key);
			if (action === 'scroll-up' || action === 'scroll-down' || action === 'page-up' || action === 'page-down') {
				const step = action.startsWith('page') ? 10 : 1;
				setWarningScroll(s => Math.max(0, Math.min(Math.max(0, listedWarnings(state).length - 1), s + (action.endsWith('up') ? -step : step))));
				return;
			}

			setOverlay('none');
			return;
		}

		if (overlayRef.current === 'help') {
			setOverlay('none');
			return;
		}

		const action = actionFor(input, key);
		if (action) act(action);
	});

	const position = player.position;
	const status = (
		<StatusBar
			source={source}
			kernel={kernel ?? state.source.kernel}
			positionUs={position}
			speed={player.clock.speed}
			paused={!playing}
			ended={player.ended}
			width={columns}
			cycle={player.cycleAt()}
			reading={complete ? undefined : reading ?? source}
			following={playing && player.following}
			pace={player.ended ? undefined : player.paceLabel}
		/>
	);
	if (l.tooSmall) {
		return (
			<Box flexDirection="column" width={columns}>
				<Text color={color('yellow')} bold wrap="wrap">
					Terminal too small: {columns}×{rows}, quiesce needs at least {minColumns}×{minRows}. Enlarge it, or use --headless. q quits.
				</Text>
			</Box>
		);
	}

	if (overlay === 'help') {
		return (
			<Box flexDirection="column">
				{status}
				<HelpOverlay width={columns} height={rows - 2} />
			</Box>
		);
	}

	if (overlay === 'warnings') {
		return (
			<Box flexDirection="column">
				{status}
				<WarningsOverlay warnings={listedWarnings(state)} width={columns} height={rows - 2} scroll={warningScroll} />
			</Box>
		);
	}

	const scroll = Math.min(deviceScroll, Math.max(0, deviceCount - deviceVisible));
	const tail = player.paneTail(logVisible, logBack, filter);
	let hints: ReactElement;
	if (search?.editing) {
		hints = (
			<Text wrap="truncate">
				<Text bold>/{escapeControls(search.term)}▌</Text>
				<Text color={color('gray')}> Enter keeps · Esc cancels{message ? ` · ${message}` : ''}</Text>
			</Text>
		);
	} else if (message && ending) {
		hints = <OutcomePanel view={ending} width={columns} border={false} maxText={panelText} message={message} />;
	} else if (message) {
		hints = (
			<Text wrap="truncate">
				<Text color={color('gray')}>? help · q quit · </Text>
				{message}
			</Text>
		);
	} else if (ending) {
		hints = <OutcomePanel view={ending} width={columns} border={false} maxText={panelText} />;
	} else {
		hints = (
			<Text color={color('gray')} wrap="truncate">
				{keyHints.join(' · ')}
			</Text>
		);
	}

	return (
		<Box flexDirection="column" width={columns}>
			{status}
			{timelineOn ? (
				<DeviceTimelineView timeline={devicesTimeline!} positionUs={position} width={columns} height={l.topHeight + l.devicesHeight + l.logHeight} scroll={timelineScroll} sort={timelineSort} border={l.border} />
			) : (
				<>
				<Box>
					<FreezeProgress state={state} nowUs={position} width={l.phasesWidth} height={l.topHeight} border={l.border} evidence={evidence} />
					<QuiesceCountdown state={state} nowUs={position} width={l.countdownWidth} height={l.topHeight} border={l.border} evidence={evidence} />
				</Box>
				<Devices dimms={state.dimms} devices={state.devices} width={columns} height={l.devicesHeight} scroll={scroll} border={l.border} focused={focus === 'devices'} />
				<KernelLog entries={tail.entries} total={tail.total} back={Math.min(logBack, tail.total)} width={columns} height={logHeight} border={l.border} filter={filter} search={search?.term || undefined} focused={focus === 'log'} current={current} />
				</>
			)}
			<WarningLine warnings={state.warnings} />
			{hints}
		</Box>
	);
}
