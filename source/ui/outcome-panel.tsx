/**
 * The end of a run: what happened in one or two lines (monitor/outcome-panel.ts)
 * and what to do next. It stays until a key is pressed.
 */
import {Box, Text} from 'ink';
import type {OutcomePanelView} from '../monitor/outcome-panel.js';
import {escapeControls} from '../escape.js';
import {wrapText} from './quiesce-countdown.js';
import {color} from './theme.js';

export const outcomeKeys = 'g watch again · q quit · ? help · e error · } cycle';

/** The text rows of the panel at a width: the verdict, then the facts, at most `max` rows. */
export function outcomeRows(view: OutcomePanelView, width: number, max = 3): string[] {
	const verdict = wrapText(escapeControls(`ENDED: ${view.word} — ${view.verdict}`), width);
	const facts = wrapText(escapeControls(view.facts.join(' · ')), width);
	const rows = [...verdict.slice(0, Math.max(1, max - Math.min(facts.length, 1))), ...facts];
	return rows.slice(0, max);
}

/** Rows the panel takes on screen at a width (its text, the keys row, the border). */
export function outcomePanelHeight(view: OutcomePanelView, width: number, border: boolean, maxText = 3): number {
	return outcomeRows(view, width - (border ? 4 : 0), maxText).length + 1 + (border ? 2 : 0);
}

export function OutcomePanel({view, width, border, maxText = 3, message}: {view: OutcomePanelView; width: number; border: boolean; maxText?: number; message?: string}) {
	const rows = outcomeRows(view, width - (border ? 4 : 0), maxText);
	return (
		<Box flexDirection="column" width={width} borderStyle={border ? 'round' : undefined} borderColor={color(view.tone)} paddingX={border ? 1 : 0}>
			{rows.map((row, i) => (
				<Text key={i} wrap="truncate" bold={i === 0} color={color(i === 0 ? view.tone : undefined)}>
					{row}
				</Text>
			))}
			<Text wrap="truncate" color={color('gray')}>
				{message ? <Text color={undefined}>{message} · </Text> : null}
				{outcomeKeys}
			</Text>
		</Box>
	);
}
