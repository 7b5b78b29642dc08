/**
 * Every key of the monitor, as data: the input handler, the `?` overlay and
 * the README table are all made from this one list. Navigation follows lnav
 * (/ n N search, e E errors, f filter, w warnings) and asciinema (space,
 * `.` step, ] [ markers = phases); } { move by cycle.
 */
export type MonitorAction =
	| 'pause'
	| 'faster'
	| 'slower'
	| 'step'
	| 'next-phase'
	| 'previous-phase'
	| 'next-cycle'
	| 'previous-cycle'
	| 'search'
	| 'next-match'
	| 'previous-match'
	| 'next-error'
	| 'previous-error'
	| 'filter'
	| 'warnings'
	| 'seek-back'
	| 'seek-forward'
	| 'start'
	| 'end'
	| 'pace'
	| 'focus'
	| 'scroll-up'
	| 'scroll-down'
	| 'log-up'
	| 'log-down'
	| 'log-tail'
	| 'device-timeline'
	| 'timeline-sort'
	| 'page-up'
	| 'page-down'
	| 'top'
	| 'bottom'
	| 'help'
	| 'quit';

export type KeyBinding = {keys: string[]; label: string; action: MonitorAction; help: string};

export const keymap: KeyBinding[] = [
	{keys: [' '], label: 'space', action: 'pause', help: 'pause / resume'},
	{keys: ['.'], label: '.', action: 'step', help: 'step to the next event and show it (pauses)'},
	{keys: [']'], label: '] / [', action: 'next-phase', help: 'next / previous phase'},
	{keys: ['['], label: '', action: 'previous-phase', help: ''},
	{keys: ['}'], label: '} / {', action: 'next-cycle', help: 'next / previous cycle ("cycle k of n" on the status bar)'},
	{keys: ['{'], label: '', action: 'previous-cycle', help: ''},
	{keys: ['/'], label: '/', action: 'search', help: 'search the log (incremental, highlighted; Enter keeps, Esc cancels)'},
	{keys: ['n'], label: 'n / N', action: 'next-match', help: 'next / previous match'},
	{keys: ['N'], label: '', action: 'previous-match', help: ''},
	{keys: ['e'], label: 'e / E', action: 'next-error', help: 'next / previous error or failure'},
	{keys: ['E'], label: '', action: 'previous-error', help: ''},
	{keys: ['f'], label: 'f', action: 'filter', help: 'filter the log: all, errors, freezer, device PM, ACPI, nvdimm, other'},
	{keys: ['w'], label: 'w', action: 'warnings', help: 'list every warning'},
	{keys: ['+', '='], label: '+ / -', action: 'faster', help: 'speed up / slow down (0.001× to 1000×)'},
	{keys: ['-', '_'], label: '', action: 'slower', help: ''},
	{keys: ['left'], label: '← / →', action: 'seek-back', help: 'seek back / forward 5 %'},
	{keys: ['right'], label: '', action: 'seek-forward', help: ''},
	{keys: ['g'], label: 'g / G', action: 'start', help: 'watch again from the first cycle / go to the end'},
	{keys: ['G'], label: '', action: 'end', help: ''},
	{keys: ['s'], label: 's', action: 'pace', help: 'readable pace (phases held, idle gaps skipped) / strict real time'},
	{keys: ['tab'], label: 'Tab', action: 'focus', help: 'move the focus between the devices and the log'},
	{keys: ['up', 'k'], label: '↑ / ↓', action: 'scroll-up', help: 'scroll the focused pane by a line'},
	{keys: ['down', 'j'], label: '', action: 'scroll-down', help: ''},
	{keys: ['t'], label: 't', action: 'device-timeline', help: 'device callback timeline of the cycle on screen on / off'},
	{keys: ['o'], label: 'o', action: 'timeline-sort', help: 'device timeline: sort by start / slowest first'},
	{keys: ['pageup'], label: 'PgUp / PgDn', action: 'page-up', help: 'scroll the focused pane by a page'},
	{keys: ['pagedown'], label: '', action: 'page-down', help: ''},
	{keys: ['home'], label: 'Home / End', action: 'top', help: 'top / bottom of the focused pane (End follows the log)'},
	{keys: ['end'], label: '', action: 'bottom', help: ''},
	{keys: ['?', 'h'], label: '? / h', action: 'help', help: 'this help'},
	{keys: ['q', 'escape'], label: 'q', action: 'quit', help: 'quit (Ctrl-C too, from anywhere: exit status 130)'},
];

type InkKey = {leftArrow?: boolean; rightArrow?: boolean; upArrow?: boolean; downArrow?: boolean; pageUp?: boolean; pageDown?: boolean; escape?: boolean; home?: boolean; end?: boolean; tab?: boolean; shift?: boolean};

/** The name of a keypress as Ink's useInput reports it ('left', 'pageup', or the character). */
export function keyName(input: string, key: InkKey): string {
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.escape) return 'escape';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.tab) return 'tab';
	return input;
}

/** The action for a keypress. */
export function actionFor(input: string, key: InkKey): MonitorAction | undefined {
	const name = keyName(input, key);
	return keymap.find(binding => binding.keys.includes(name))?.action;
}

/** Rows of the help overlay: one per documented binding. */
export function helpRows(): Array<[string, string]> {
	return keymap.filter(b => b.label !== '').map(b => [b.label, b.help]);
}

/** The hints row: `? help` and `q quit` first, so the narrowest terminal keeps them. */
export const keyHints = ['? help', 'q quit', 'space pause', '/ search', 'e error', '] phase', '} cycle', 'f filter', 'w warnings', '. step', 'Tab focus'];
