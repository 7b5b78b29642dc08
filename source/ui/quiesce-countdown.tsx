import {Box, Text} from 'ink';
import type {MonitorState} from '../monitor/state.js';
import {duration, quiesceView, type Evidence} from '../monitor/selectors.js';
import {bigDigits} from './format.js';
import {color} from './theme.js';

export type QuiesceCountdownProps = {state: MonitorState; nowUs: number; width: number; height: number; border?: boolean; evidence?: Evidence};

/** The big number in a unit that keeps it to four digits. */
export function bigNumber(us: number): {digits: string; unit: string} {
	if (us < 10_000) return {digits: String(Math.round(us)), unit: 'µs'};
	if (us < 10_000_000) return {digits: String(Math.round(us / 1000)), unit: 'ms'};
	return {digits: String(Math.round(us / 1_000_000)), unit: 's'};
}

export function QuiesceCountdown({state, nowUs, width, height, border = true, evidence}: QuiesceCountdownProps) {
	const view = quiesceView(state, nowUs, evidence);
	const inner = width - (border ? 4 : 1);
	const big = view.numberUs === undefined ? undefined : bigNumber(view.numberUs);
	const digits = bigDigits((big?.digits ?? '—').padStart(3, ' '));
	const compact = inner < 34;
	const labels = compact ? [big ? big.unit : '', ...view.numberLabel.split(' ')] : [big ? big.unit : '', view.numberLabel, view.budgetUs === undefined ? '' : `of max ${duration(view.budgetUs)} (sim)`];
	const title = compact ? view.title.replace('Memory quiesce — ', 'Quiesce: ') : view.title;
	// Rows left under the title, the number, the frozen time and the budget: the verdict wraps into them, then the notes.
	const used = 1 + (big ? 3 : 1) + 1 + (compact && view.budgetUs !== undefined ? 1 : 0) + (border ? 2 : 0);
	const textRows = view.lines.flatMap((line, i) => (i === 0 ? wrapText(line.text, inner).map(text => ({text, tone: line.tone})) : [line])).slice(0, Math.max(0, height - used));
	return (
		<Box flexDirection="column" borderStyle={border ? 'round' : undefined} width={width} height={height} paddingX={border ? 1 : 0} paddingLeft={1} overflow="hidden">
			<Text bold wrap="truncate" color={color(view.tone)}>
				{title}
			</Text>
			{big
				? digits.map((row, i) => (
					<Text key={i} color={color(view.tone)} wrap="truncate">
						{row}
						<Text color={color(i === 0 ? view.tone : 'gray')}>{labels[i]}</Text>
					</Text>
				))
				: <Text color={color('gray')} wrap="truncate">{view.numberLabel}</Text>}
			{view.live ? (
				<Text bold color={color('red')} wrap="truncate">
					LIVE: no freeze protects the system
				</Text>
			) : (
				<Text wrap="truncate">
					{compact ? view.frozen.short : view.frozen.label}: <Text bold>{view.frozen.us === undefined ? '—' : duration(view.frozen.us)}</Text>
					{view.frozen.counting ? ' ▲' : ''}
				</Text>
			)}
			{compact && view.budgetUs !== undefined ? (
				<Text color={color('gray')} wrap="truncate">
					max {duration(view.budgetUs)} (sim)
				</Text>
			) : null}
			{textRows.map((line, i) => (
				<Text key={i} color={color(line.tone)} wrap="truncate">
					{line.text}
				</Text>
			))}
		</Box>
	);
}

/** Word-wrap to a width (long words are cut). */
export function wrapText(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/)) {
		if (line === '') line = word;
		else if (line.length + 1 + word.length <= width) line += ` ${word}`;
		else {
			lines.push(line);
			line = word;
		}

		while (line.length > width) {
			lines.push(line.slice(0, width));
			line = line.slice(width);
		}
	}

	if (line !== '') lines.push(line);
	return lines;
}
