/**
 * Every key of the monitor, as data: the input handler, the `?` overlay and
 * the README table are all made from this one list.
 */
export type MonitorAction =
	| 'pause'
	| 'faster'
	| 'slower'
	| 'step'
	| 'next-phase'
	| 'previous-phase'
	| 'seek-back'
	| 'seek-forward'
	| 'start'
	| 'end'
	| 'slow-motion'
	| 'scroll-up'
	| 'scroll-down'
	| 'log-up'
	| 'log-down'
	| 'log-tail'
	| 'device-timeline'
	| 'timeline-sort'
	| 'help'
	| 'quit';

export type KeyBinding = {keys: string[]; label: string; action: MonitorAction; help: string};

export const keymap: KeyBinding[] = [
	{keys: [' '], label: 'space', action: 'pause', help: 'pause / resume'},
	{keys: ['+', '='], label: '+ / -', action: 'faster', help: 'speed up / slow down (0.001× to 1000×)'},
	{keys: ['-', '_'], label: '', action: 'slower', help: ''},
	{keys: ['.'], label: '.', action: 'step', help: 'step to the next event (pauses)'},
	{keys: ['n'], label: 'n / p', action: 'next-phase', help: 'next / previous phase'},
	{keys: ['p'], label: '', action: 'previous-phase', help: ''},
	{keys: ['left'], label: '← / →', action: 'seek-back', help: 'seek back / forward 5 %'},
	{keys: ['right'], label: '', action: 'seek-forward', help: ''},
	{keys: ['g', 'home'], label: 'g / G', action: 'start', help: 'go to the start / the end'},
	{keys: ['G', 'end'], label: '', action: 'end', help: ''},
	{keys: ['s'], label: 's', action: 'slow-motion', help: 'slow motion around the memory quiesce on / off'},
	{keys: ['up', 'k'], label: '↑ / ↓', action: 'scroll-up', help: 'scroll the device list'},
	{keys: ['down', 'j'], label: '', action: 'scroll-down', help: ''},
	{keys: ['pageup', 'b'], label: 'PgUp / PgDn', action: 'log-up', help: 'scroll the kernel log back / forward'},
	{keys: ['pagedown', 'f'], label: '', action: 'log-down', help: ''},
	{keys: ['F'], label: 'F', action: 'log-tail', help: 'follow the log tail again'},
	{keys: ['t'], label: 't', action: 'device-timeline', help: 'device callback timeline of the cycle on screen on / off'},
	{keys: ['o'], label: 'o', action: 'timeline-sort', help: 'device timeline: sort by start / slowest first'},
	{keys: ['?', 'h'], label: '? / h', action: 'help', help: 'this help'},
	{keys: ['q', 'escape'], label: 'q', action: 'quit', help: 'quit'},
];

type InkKey = {leftArrow?: boolean; rightArrow?: boolean; upArrow?: boolean; downArrow?: boolean; pageUp?: boolean; pageDown?: boolean; escape?: boolean; home?: boolean; end?: boolean};

/** The action for a keypress as Ink's useInput reports it. */
export function actionFor(input: string, key: InkKey): MonitorAction | undefined {
	const name =
		key.leftArrow ? 'left'
			: key.rightArrow ? 'right'
				: key.upArrow ? 'up'
					: key.downArrow ? 'down'
						: key.pageUp ? 'pageup'
							: key.pageDown ? 'pagedown'
								: key.escape ? 'escape'
									: key.home ? 'home'
										: key.end ? 'end'
											: input;
	return keymap.find(binding => binding.keys.includes(name))?.action;
}

/** Rows of the help overlay: one per documented binding. */
export function helpRows(): Array<[string, string]> {
	return keymap.filter(b => b.label !== '').map(b => [b.label, b.help]);
}
